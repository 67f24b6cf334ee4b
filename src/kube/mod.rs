//! Kubernetes facts that several rooms read: versions, releases and their end of life, and
//! removed APIs. Scoring, scan and plan import them; they import nothing of the domain.

pub mod apis;
pub mod releases;
pub mod version;
