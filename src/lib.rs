//! upgrade-advisor: choose how to upgrade Kubernetes (Sequential in-place, Blue-Green or
//! Hybrid) from a decision checklist, and explain why.
//!
//! Data flows one way (ARCHITECTURE.md is the map): a [`checklist::model::Checklist`] and an
//! answers file are parsed and validated at the edge, [`scoring`] decides without any I/O,
//! [`plan`] builds the report value, and [`report`] renders it. [`scan`] turns manifests into
//! evidence for the edge to fold into the answers.

pub mod base;
pub mod kube;

pub mod answers;
pub mod capacity;
pub mod checklist;
pub mod plan;
pub mod report;
pub mod scan;
pub mod scoring;

// The edge: the only library modules that talk to the person at the terminal.
pub mod cli;
#[allow(clippy::print_stderr)]
pub mod commands;
pub mod exit;
pub mod io;
pub mod workshop;
