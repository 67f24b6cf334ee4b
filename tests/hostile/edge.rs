//! Hostile use of the edge: exit codes, closed streams, standard input twice, fix advice, keys.
