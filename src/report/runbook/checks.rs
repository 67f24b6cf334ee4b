//! "Before you start": the named conflicts first, then the boxes to clear before the first
//! window, as the report's runbook lists them.

use std::fmt::Write;

use crate::plan::runbook::model::RunbookPlan;
use crate::report::runbook::phase::{heading, step_item};

/// The conflicts, then every box of `runbook.before`.
pub fn before_you_start(out: &mut String, runbook: &RunbookPlan, depth: usize) {
    heading(out, depth, "Before you start");
    let _ = writeln!(
        out,
        "Clear every box before the first window. Each one comes from the assessment; strike out what does not apply and say why.\n"
    );
    if !runbook.conflicts.is_empty() {
        let _ = writeln!(
            out,
            "**Requirement conflicts.** The plan contradicts {} stated in the answers; each stays open until the change owner accepts the risk in writing (a row of its own in the sign-off table).\n",
            if runbook.conflicts.len() == 1 {
                "a requirement"
            } else {
                "requirements"
            }
        );
    }
    if runbook.before.is_empty() {
        let _ = writeln!(out, "Nothing to clear first.\n");
    } else {
        for step in &runbook.before {
            let _ = writeln!(out, "{}", step_item(step));
        }
        out.push('\n');
    }
}
