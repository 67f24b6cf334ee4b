//! The rules' checks, one function per rule family, each pure over the objects read: it
//! returns its findings (and counts what the evidence needs), and `scan_with` combines them.
//! A new rule is an entry in `rules.rs` and a check here.

pub(super) mod autoscaling;
pub(super) mod charts;
pub(super) mod disruption;
pub(super) mod probes;
pub(super) mod removed_apis;
pub(super) mod state;
