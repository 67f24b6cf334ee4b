//! Small helpers with no knowledge of the domain. Nothing here imports the rest of the crate.

pub mod date;
pub mod diagnostic;
pub mod digest;
pub mod suggest;
pub mod text;
