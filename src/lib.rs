//! upgrade-advisor: choose how to upgrade Kubernetes (Sequential in-place, Blue-Green or
//! Hybrid) from a decision checklist, and explain why.
//!
//! The pipeline is data in, data out: a [`checklist::Checklist`] and an
//! [`answers::AnswersFile`] are parsed and validated at the edge, [`scoring::assess`] turns
//! them into an [`scoring::Assessment`] without any I/O, and [`report`] renders it.

pub mod answers;
pub mod checklist;
pub mod cli;
pub mod date;
pub mod diagnostic;

pub mod report;
pub mod scoring;
pub mod strategy;
pub mod suggest;
pub mod text;
pub mod version;
// The edge: the only library module that talks to the person at the terminal.
#[allow(clippy::print_stderr)]
pub mod commands;
pub mod exit;

pub mod input;
pub mod manual;
pub mod output;
pub mod plan;
pub mod scan;
pub mod schema;
pub mod support;
pub mod template;

pub mod workshop;
