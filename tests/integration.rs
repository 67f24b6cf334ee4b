//! The integration tests: one test binary (`[[test]] name = "integration"` in Cargo.toml, with
//! `autotests = false`), so the library and its dependencies are linked once, not once per file.
//!
//! Where new tests go: in the module of their area, one file per area beside this one
//! (`tests/<area>.rs`), listed below. A new area is a new file plus one `mod` line below, in
//! alphabetical order; a file in `tests/` that is not listed here is never compiled or run.
//! Helpers every area may use (`advisor()`, the case study, `json_of`) are in `common/mod.rs`;
//! import them as `use crate::common::...`. Fixtures are under `tests/fixtures/`, read by path
//! from the repository root (the tests run there).
//!
//! Snapshots are named after the module path: `tests/snapshots/integration__<area>__<name>.snap`.
//! A proptest area `tests/<area>.rs` keeps its failure seeds in
//! `tests/<area>.proptest-regressions`. proptest looks there only while no folder above the
//! source holds a `main.rs` or `lib.rs`, so this root is `integration.rs`, and no file in
//! `tests/` may be called `main.rs` or `lib.rs`.
//!
//! One area alone: `cargo test --test integration <area>::`, e.g.
//! `cargo test --test integration scan::`.

mod common;

/// The invariants of ARCHITECTURE.md, checked on the source.
mod architecture;

/// `assess --freezes FILE.ics`: iCalendar blackout events as freezes, checked against Python.
mod calendar_ics;
/// The `calendar:` block of an answers file: accepted, validated, not yet dated.
mod calendar_input;
/// Capacity as evidence: resource quantities against the Kubernetes Python client.
mod capacity;
/// The built-in checklists, lint, and the answers-file schema.
mod checklists;
/// The command line: examples, formats, exit codes and every kind of bad input.
mod cli;
/// Markdown escaping of text from data (proptest, parsed back with a GFM parser).
mod escaping;
/// Evidence weighed against answers.
mod evidence;
/// Fleet reports, `--set` traces and the published JSON Schemas.
mod fleet_report;
/// Inputs found while fuzzing or hardening, calling the library directly.
mod fuzz_regressions;
/// Broken or hostile input documents: quick exit 2, never a hang or a crash.
mod hostile;
/// Hostile files and paths at the input and output edge.
mod hostile_io;
/// Forged report content from answers, evidence and checklists.
mod injection;
/// Properties of the recommendation over random answer sets (proptest).
mod properties;
/// Snapshots of every report format and `--help`.
mod reports;
/// Snapshots of the runbook and the decision record.
mod runbook;
/// SARIF against the official schema.
mod sarif;
/// `scan`, kubectl dumps, Helm releases and evidence in `assess`.
mod scan;
/// Error messages for common slips, and the documented exit codes.
mod slips;
/// Shell completion and manual pages in the real programs.
mod toolchain;
/// Tables in an 80-column pseudo-terminal (Unix only).
mod width;
/// The workshop in a real pseudo-terminal (Unix only).
mod workshop;
