//! Parts a single decision record and a fleet's share: the front matter, the subject, the
//! context list, how to confirm the decision, and where it came from.

use std::fmt::Write;

use crate::answers::values::CONTEXT_DECIDERS;
use crate::checklist::strategy::Strategy;
use crate::plan::ChecklistInfo;
use crate::report::blocks::{checklist_origin, escape_inline, inline_code};
use crate::report::render::RenderOptions;

/// YAML front matter: status, date and the deciders from the context.
pub fn front_matter(out: &mut String, context: &[(String, String)], options: &RenderOptions) {
    let deciders: Vec<String> = context
        .iter()
        .filter(|(k, _)| k == CONTEXT_DECIDERS || k == "prepared_by")
        .flat_map(|(_, v)| v.split(',').map(|d| d.trim().to_string()))
        .filter(|d| !d.is_empty())
        .map(|d| serde_json::to_string(&d).expect("a string serializes"))
        .collect();
    let _ = writeln!(
        out,
        "---\nstatus: proposed\ndate: {}\ndeciders: [{}]\n---\n",
        options.today,
        deciders.join(", ")
    );
}

/// ": Example Corp" when the context names the organization.
pub fn subject(context: &[(String, String)]) -> String {
    context
        .iter()
        .find(|(k, _)| k == crate::answers::values::CONTEXT_SUBJECT)
        .map(|(_, v)| format!(" at {}", escape_inline(v)))
        .unwrap_or_default()
}

pub fn context_list(out: &mut String, context: &[(String, String)]) {
    if context.is_empty() {
        return;
    }
    for (key, value) in context {
        let _ = writeln!(
            out,
            "* {}: {}",
            escape_inline(&key.replace(['_', '-'], " ")),
            escape_inline(value)
        );
    }
    out.push('\n');
}

/// How to confirm the decision later: the CI line and the inputs' fingerprints.
pub fn confirmation(
    out: &mut String,
    expected: &[(Option<&str>, Strategy)],
    checklist: &ChecklistInfo,
    sha256: &str,
) {
    let mut strategies: Vec<Strategy> = expected.iter().map(|(_, s)| *s).collect();
    strategies.sort();
    strategies.dedup();
    if let [only] = strategies[..] {
        let _ = writeln!(
            out,
            "Run this in CI on the answers file; it exits with code 4 when the answers stop supporting the decision:\n\n```sh\nupgrade-advisor assess --answers answers.yaml --checklist {} --expect {}\n```\n",
            if checklist.builtin {
                checklist.id.clone()
            } else {
                "CHECKLIST.yaml".to_string()
            },
            only.id()
        );
    } else {
        let _ = writeln!(
            out,
            "The environments get different strategies, so `--expect` (one strategy for all) does not fit. In CI, run `upgrade-advisor assess --answers answers.yaml --format json` and compare each `environments[].recommendation.strategy` with the decision:\n"
        );
        for (name, s) in expected {
            if let Some(name) = name {
                let _ = writeln!(out, "* {}: {}", escape_inline(name), inline_code(s.id()));
            }
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "The decision was made from the answers file with SHA-256 `{}`, with checklist {} version {} ({}). A changed hash means the answers changed: assess again before relying on this record. Each phase of the runbook (`assess --format runbook`) has a go/no-go gate that confirms the plan as it runs.\n",
        sha256,
        inline_code(&checklist.id),
        escape_inline(&checklist.version),
        checklist_origin(checklist)
    );
}

pub fn more_information(
    out: &mut String,
    checklist: &ChecklistInfo,
    sha256: &str,
    overrides: &str,
    options: &RenderOptions,
) {
    let _ = writeln!(out, "## More Information\n");
    let _ = writeln!(
        out,
        "* Made with upgrade-advisor {} on {}.",
        env!("CARGO_PKG_VERSION"),
        options.today
    );
    let _ = writeln!(
        out,
        "* Checklist: {} ({} version {}; {}).",
        escape_inline(&checklist.title),
        inline_code(&checklist.id),
        escape_inline(&checklist.version),
        checklist_origin(checklist)
    );
    let _ = writeln!(out, "* Answers file SHA-256: `{sha256}`.");
    if overrides.is_empty() {
        let _ = writeln!(out, "* Overrides (`--set`): none.");
    } else {
        let _ = writeln!(out, "* Overrides (`--set`): {overrides}.");
    }
    let _ = writeln!(
        out,
        "* The full analysis: `upgrade-advisor assess --format markdown`; the plan of record: `upgrade-advisor assess --format runbook`."
    );
}
