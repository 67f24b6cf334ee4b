//! Kubernetes facts that several rooms read: versions, releases and their end of life,
//! removed APIs, and resource quantities. Scoring, scan and plan import them; they import nothing of the domain.

pub mod apis;
pub mod quantity;
pub mod releases;
pub mod version;
