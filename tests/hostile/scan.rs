//! Hostile scans: memory, quadratic reads, output amplification and links out of the tree.
