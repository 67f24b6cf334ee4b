//! A runbook's phases: the overview, each phase's task boxes (pre-checks, change,
//! validation, go/no-go, roll back), the rollback matrix and the sign-off table. The phases
//! arrive dated, with their rollback rules, from `plan::schedule`.

use std::fmt::Write;

use crate::answers::values::{CONTEXT_APPROVERS, CONTEXT_CHANGE_OWNER};
use crate::base::text::{format_number, plural};
use crate::checklist::raw::PhaseKind;
use crate::checklist::steps::Runbook;
use crate::checklist::steps::Step;
use crate::checklist::steps::{GateLimits, PhaseSteps};
use crate::checklist::strategy::Strategy;
use crate::plan::Report;
use crate::plan::schedule::Planned;
use crate::report::blocks::{
    Align::Left as L, Align::Right as R, cell, escape_inline, inline_code, table,
};

/// The windows of a phase and their dates, e.g. "windows 3–5: 2027-03-06, 2027-04-03,
/// 2027-05-01"; a phase that books no window gives its days.
pub fn when(p: &Planned) -> String {
    let (first, last) = p.windows;
    if first == 0 {
        return if p.first_day == p.last_day {
            format!("no change window needed, on {}", p.first_day)
        } else {
            format!("no change window needed, {} to {}", p.first_day, p.last_day)
        };
    }
    let windows = if first == last {
        format!("window {first}")
    } else {
        format!("windows {first}–{last}")
    };
    format!("{windows}: {}", window_dates(p))
}

/// The most window dates listed one by one; a longer phase gives its first and last.
const LISTED_DATES: usize = 6;

/// A phase's window dates, listed, or its first and last when there are many.
pub fn window_dates(p: &Planned) -> String {
    let dates = &p.phase.windows;
    match dates.len() {
        0 => format!("{} to {}", p.first_day, p.last_day),
        n if n <= LISTED_DATES => dates
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        n => format!("{n} windows, {} to {}", p.first_day, p.last_day),
    }
}

pub fn heading(out: &mut String, depth: usize, title: &str) {
    let _ = writeln!(out, "{} {title}\n", "#".repeat(depth));
}

/// The phases at a glance.
pub fn overview(out: &mut String, phases: &[Planned], depth: usize) {
    heading(out, depth, "Phases");
    table(
        out,
        &[
            ("#", R),
            ("Phase", L),
            ("Kind", L),
            ("Windows", L),
            ("First day", L),
            ("Last day", L),
            ("Changes", R),
        ],
        phases.iter().map(|p| {
            let (first, last) = p.windows;
            vec![
                p.number.to_string(),
                cell(&p.phase.name),
                kind_label(p.phase.kind, p.phase.shared).to_string(),
                match (first, last) {
                    (0, _) => "–".to_string(),
                    _ if first == last => first.to_string(),
                    _ => format!("{first}–{last}"),
                },
                p.first_day.to_string(),
                p.last_day.to_string(),
                p.phase.changes.to_string(),
            ]
        }),
    );
}

fn kind_label(kind: PhaseKind, shared: bool) -> &'static str {
    match kind {
        PhaseKind::InPlace if shared => "in place (shared layer)",
        PhaseKind::InPlace => "in place",
        PhaseKind::Build => "build",
        PhaseKind::Wave => "wave",
        PhaseKind::Rollback => "rollback period",
        PhaseKind::Decommission => "decommission",
    }
}

/// A step as a task box: the text, its command as code, its reference as a link.
pub fn step_item(runbook: &Runbook, step: &Step) -> String {
    let mut item = format!("- [ ] {}", escape_inline(&step.text));
    if let Some(command) = &step.command {
        let _ = write!(item, ": {}", inline_code(command));
    }
    if let Some(r) = step.see.as_deref().and_then(|id| runbook.reference(id)) {
        let _ = write!(item, " (see {})", link(&r.title, &r.url));
    }
    item
}

/// A markdown link; the address was checked when the checklist was loaded.
fn link(title: &str, url: &str) -> String {
    format!("[{}]({url})", escape_inline(title))
}

/// One phase: when, what, and the five lists of task boxes.
pub fn phase_section(
    out: &mut String,
    report: &Report,
    p: &Planned,
    phases: &[Planned],
    depth: usize,
) {
    let runbook = &report.source.runbook;
    let a = &report.assessment;
    heading(
        out,
        depth,
        &format!("Phase {}: {}", p.number, escape_inline(&p.phase.name)),
    );
    let layer = p
        .layer
        .map(|l| format!(", {}", escape_inline(&l.name)))
        .unwrap_or_default();
    let versions = match (p.from, p.to) {
        (Some(from), Some(to)) if from != to => format!(", {from} → {to}"),
        _ => String::new(),
    };
    let _ = writeln!(
        out,
        "**When:** {}. **Kind:** {}{layer}{versions}. **Changes:** {}.\n",
        when(p),
        kind_label(p.phase.kind, p.phase.shared),
        p.phase.changes
    );
    if let Some((lag, max)) = p.skew {
        let text = match p.phase.kind {
            PhaseKind::Wave => format!(
                "Kubelet skew: the new node pools run the control planes' version; until this wave ends the old nodes are {} behind (the limit is {max}). Do not upgrade the control planes again before this wave is done.",
                plural(u64::from(lag), "minor", "minors"),
            ),
            _ if lag <= 1 && a.recommendation.strategy == Strategy::Sequential => format!(
                "Kubelet skew: upgrade the node pools right after their control plane, in the same window, so nodes never trail it by more than one minor (the limit is {max})."
            ),
            _ => format!(
                "Kubelet skew: after this phase the nodes trail the control planes by {} (the limit is {max}).",
                plural(u64::from(lag), "minor", "minors"),
            ),
        };
        let _ = writeln!(out, "{text}\n");
    }
    batch_table(out, p);
    let steps = p.steps;
    let list = |out: &mut String, title: &str, generated: Vec<String>, data: &[Step]| {
        let _ = writeln!(out, "**{title}**\n");
        if generated.is_empty() && data.is_empty() {
            let _ = writeln!(
                out,
                "- [ ] (The checklist gives no steps here: write them in, or add them under `runbook.phases`.)"
            );
        }
        for item in generated {
            let _ = writeln!(out, "{item}");
        }
        for s in data {
            let _ = writeln!(out, "{}", step_item(runbook, s));
        }
        out.push('\n');
    };
    let none: &[Step] = &[];
    let pick = |f: fn(&PhaseSteps) -> &[Step]| steps.map_or(none, f);
    let mut pre = Vec::new();
    if let Some(previous) = p.number.checked_sub(2).and_then(|i| phases.get(i)) {
        pre.push(format!(
            "- [ ] Phase {} ({}) passed its go/no-go gate and is signed off.",
            previous.number,
            escape_inline(&previous.phase.name)
        ));
    }
    // A phase that changes nothing (the rollback hold) needs no change record of its own.
    if p.phase.changes > 0 {
        pre.push("- [ ] The change record for this phase is approved and the application owners are told the window.".to_string());
    }
    if let (Some(before), PhaseKind::Wave) = (&p.rollback.before, p.phase.kind) {
        pre.push(format!(
            "- [ ] So that the cut-over can be undone: {}",
            escape_inline(before)
        ));
    }
    list(out, "Pre-checks", pre, pick(|s| &s.pre_checks));
    let mut change = Vec::new();
    if steps.is_none() {
        change.push(format!(
            "- [ ] {} (the checklist has no step texts for this phase; add them under `runbook.phases`).",
            escape_inline(&p.phase.name)
        ));
    }
    let layer_name = p.layer.map_or("the layer", |l| l.name.as_str());
    match (p.hops.len(), p.from) {
        (n, Some(mut from)) if n > 1 => {
            // One change per hop, each validated and soaked before the next.
            for (i, &to) in p.hops.iter().enumerate() {
                let mut items = change.clone();
                items.push(format!(
                    "- [ ] Upgrade {} from {from} to {to} (hop {} of {n}; one minor version at a time, never skipping one).",
                    escape_inline(layer_name),
                    i + 1
                ));
                // One hop a window: the hop's own window.
                let window = match (p.batches.is_none(), p.phase.windows.len() == n) {
                    (true, true) => format!(
                        " (window {}, {})",
                        p.windows.0 + i as u64,
                        p.phase.windows[i]
                    ),
                    _ => String::new(),
                };
                list(
                    out,
                    &format!("Change, hop {} of {n}{window}: {from} → {to}", i + 1),
                    items,
                    pick(|s| &s.change),
                );
                if i + 1 < n {
                    list(
                        out,
                        &format!("Validation and soak after hop {}", i + 1),
                        vec![format!(
                            "- [ ] Soak: leave {} at {to} under normal load, and start hop {} only when every box here is ticked; otherwise stop and roll back as below.",
                            escape_inline(layer_name),
                            i + 2
                        )],
                        pick(|s| &s.validation),
                    );
                }
                from = to;
            }
        }
        _ => list(out, "Change", change, pick(|s| &s.change)),
    }
    list(out, "Validation", Vec::new(), pick(|s| &s.validation));
    list(
        out,
        "Go/no-go",
        {
            let mut gate = vec!["- [ ] Go only when every validation box above is ticked; otherwise stop here and roll back as below.".to_string()];
            gate.extend(measured_gate(p.phase.kind, &report.gates));
            gate
        },
        pick(|s| &s.go_no_go),
    );
    let rule = &p.rollback;
    // With steps of its own, the checklist says how; the rule says whether and until when.
    let summary = if pick(|s| &s.rollback).is_empty() {
        format!("{} {}.", rule.rule, rule.how)
    } else {
        rule.rule.clone()
    };
    list(
        out,
        "Roll back",
        vec![format!("- [ ] {}", escape_inline(&summary))],
        pick(|s| &s.rollback),
    );
    if let Some(s) = steps
        && !s.see.is_empty()
    {
        let links: Vec<String> = s
            .see
            .iter()
            .filter_map(|id| runbook.reference(id))
            .map(|r| link(&r.title, &r.url))
            .collect();
        let _ = writeln!(out, "See: {}.\n", links.join(", "));
    }
}

/// The gate a phase must pass, as measurements against limits and the trigger that starts the
/// rollback; `None` for a phase that changes nothing production runs on.
fn measured_gate(kind: PhaseKind, g: &GateLimits) -> Option<String> {
    let limits = format!(
        "the error rate no more than {} percentage points and the p99 latency no more than {}% above",
        format_number(g.error_rate_increase_pct),
        format_number(g.latency_p99_increase_pct)
    );
    let trigger = format!(
        "Rollback trigger: either limit passed, or the gate not met within {} minutes",
        g.abort_after_minutes
    );
    match kind {
        PhaseKind::Wave => {
            let steps: Vec<String> = g.traffic_steps.iter().map(|s| format!("{s}%")).collect();
            Some(format!(
                "- [ ] Gate at each traffic step ({}), each held {} minutes: on the new side {limits} the old side's. {trigger}: move the traffic back as below.",
                steps.join(", "),
                g.soak_minutes
            ))
        }
        PhaseKind::InPlace => Some(format!(
            "- [ ] Gate, over {} minutes after the change: {limits} the baseline measured before the window. {trigger}: stop and recover as below.",
            g.soak_minutes
        )),
        _ => None,
    }
}

/// For phases of one batch per window: which window takes which batch.
fn batch_table(out: &mut String, p: &Planned) {
    let Some(batches) = &p.batches else {
        return;
    };
    let _ = writeln!(
        out,
        "One batch of clusters per window, at most {} in a batch:\n",
        batches.clusters_per_window
    );
    table(
        out,
        &[
            ("Batch", R),
            ("Window", R),
            ("Date", L),
            ("Clusters", R),
            ("Done", L),
        ],
        batches.rows.iter().map(|row| {
            vec![
                row.batch.to_string(),
                row.window.to_string(),
                row.first_day.to_string(),
                row.clusters.to_string(),
                String::new(),
            ]
        }),
    );
    if batches.more > 0 {
        let _ = writeln!(
            out,
            "The other {} batches follow one per window, up to window {} on {}.\n",
            batches.more, batches.last_window, p.last_day
        );
    }
}

/// A row per phase: can it be rolled back, how, until when, at what cost.
pub fn rollback_matrix(out: &mut String, phases: &[Planned], depth: usize, prefix: Option<&str>) {
    heading(out, depth, "Rollback matrix");
    let _ = writeln!(
        out,
        "In-place upgrades cannot be rolled back (restore from backup or fix forward); waves can move back until the old side is retired, unless their data moved with them: then the cut-over is the point of no return and the way back follows the data; a build can be discarded.\n"
    );
    table(
        out,
        &[
            ("Phase", L),
            ("When", L),
            ("Can roll back", L),
            ("How", L),
            ("Until", L),
            ("Point of no return", L),
            ("Cost", L),
        ],
        phases.iter().map(|p| {
            let rule = &p.rollback;
            let name = match prefix {
                Some(env) => format!("{}: {}", cell(env), cell(&p.phase.name)),
                None => format!("{}. {}", p.number, cell(&p.phase.name)),
            };
            vec![
                name,
                when(p),
                format!("**{}**", rule.possible),
                cell(&rule.how),
                cell(&rule.until),
                rule.point_of_no_return
                    .map_or("none while the old side runs".to_string(), |d| {
                        d.to_string()
                    }),
                cell(&rule.cost),
            ]
        }),
    );
}

/// The approvals table, empty for people to fill in.
/// `context` may name the change owner and the approvers; their names are filled in.
pub fn sign_off<'p>(
    out: &mut String,
    context: &[(String, String)],
    rows: impl Iterator<Item = (&'p str, String)>,
) {
    let named = |key: &str| {
        context
            .iter()
            .find(|(k, v)| k == key && !v.trim().is_empty())
            .map(|(_, v)| cell(v))
            .unwrap_or_default()
    };
    let (owner, approvers) = (named(CONTEXT_CHANGE_OWNER), named(CONTEXT_APPROVERS));
    let _ = writeln!(
        out,
        "Fill in one row per phase before its window: who owns it, who approved it, when, and the change record{}.\n",
        if owner.is_empty() && approvers.is_empty() {
            ""
        } else {
            " (the owner and approvers named in the answers' context are filled in: each signs)"
        }
    );
    table(
        out,
        &[
            ("Phase", L),
            ("When", L),
            ("Owner", L),
            ("Approved by", L),
            ("Date", L),
            ("Change record", L),
        ],
        rows.map(|(name, when)| {
            vec![
                cell(name),
                when,
                owner.clone(),
                approvers.clone(),
                String::new(),
                String::new(),
            ]
        }),
    );
}
