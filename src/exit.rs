//! Exit codes, stable for pipelines.

use std::process::ExitCode;

use crate::base::diagnostic::InputError;

/// What the process tells its caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// The recommendation was produced.
    Success = 0,
    /// Something failed that is not the user's input (an I/O error writing output, a bug).
    Failure = 1,
    /// The input was wrong: arguments, answers file, checklist.
    BadInput = 2,
    /// `--fail-on-blockers` and the recommended strategy has blockers.
    Blockers = 3,
    /// `--expect STRATEGY` and the recommendation is another strategy.
    Unexpected = 4,
    /// `scan --fail-on removed` (or a lower level) and something breaks at the target.
    ScanRemoved = 5,
    /// `scan --fail-on upcoming` (or lower) and an API is removed in a later release.
    ScanUpcoming = 6,
    /// `scan --fail-on risk` and a readiness risk was found.
    ScanRisk = 7,
    /// The workshop was interrupted with Ctrl-C; the answers so far were saved.
    Interrupted = 130,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit as u8)
    }
}

/// A problem with what the user asked for that is not inside a file: a missing file, a
/// terminal where a pipe was expected, an unknown checklist name. Maps to exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{message}\n  fix: {fix}")]
pub struct UsageError {
    pub message: String,
    pub fix: String,
}

impl UsageError {
    pub fn new(message: impl Into<String>, fix: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            fix: fix.into(),
        }
    }
}

/// The exit code for an error: 2 when any cause is the user's input, else 1.
pub fn code_for(error: &anyhow::Error) -> Exit {
    let is_input = error
        .chain()
        .any(|cause| cause.is::<InputError>() || cause.is::<UsageError>());
    if is_input {
        Exit::BadInput
    } else {
        Exit::Failure
    }
}
