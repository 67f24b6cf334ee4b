//! Files in and out, for the edge and for the scanner's file walk: bounded reads of files and
//! standard input (special files refused), and atomic writes that never overwrite an input; `streams` notes a standard stream the caller closed.

pub mod input;
pub mod output;
pub mod streams;
