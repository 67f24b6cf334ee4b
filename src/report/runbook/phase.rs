//! A runbook's phases: the overview, each phase's task boxes (pre-checks, change,
//! validation, go/no-go, roll back), the rollback matrix and the sign-off table. The phases
//! arrive as data, dated, with their steps and rollback rules, from `plan::runbook`.

use std::fmt::Write;

use crate::answers::values::{CONTEXT_APPROVERS, CONTEXT_CHANGE_OWNER};
use crate::base::date::Date;
use crate::base::text::plural;
use crate::checklist::raw::PhaseKind;
use crate::plan::runbook::model::{RunbookPhase, RunbookStep, StepKind};
use crate::report::blocks::{
    Align::Left as L, Align::Right as R, cell, escape_inline, inline_code, table,
};

/// The windows of a phase and their dates, e.g. "windows 3–5: 2027-03-06, 2027-04-03,
/// 2027-05-01"; a phase that books no window gives its days.
pub fn when(p: &RunbookPhase) -> String {
    let (first, last) = (p.first_window, p.last_window);
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
        format!("windows {}", window_numbers(p))
    };
    format!("{windows}: {}", window_dates(p))
}

/// The windows a phase books: a range, or a capacity rotation's own windows when it waits
/// through others (and lists every wave).
fn window_numbers(p: &RunbookPhase) -> String {
    let (first, last) = (p.first_window, p.last_window);
    match &p.batches {
        Some(b)
            if b.rotating.is_some() && b.more == 0 && b.rows.len() as u64 != last - first + 1 =>
        {
            let numbers: Vec<String> = b.rows.iter().map(|r| r.window.to_string()).collect();
            numbers.join(", ")
        }
        _ if first == last => first.to_string(),
        _ => format!("{first}–{last}"),
    }
}

/// The most window dates listed one by one; a longer phase gives its first and last.
const LISTED_DATES: usize = 6;

/// A phase's window dates, listed, or its first and last when there are many.
pub fn window_dates(p: &RunbookPhase) -> String {
    let dates = &p.windows;
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
pub fn overview(out: &mut String, phases: &[RunbookPhase], depth: usize) {
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
            let (first, last) = (p.first_window, p.last_window);
            vec![
                p.number.to_string(),
                cell(&p.title),
                kind_label(p.kind, p.shared).to_string(),
                match (first, last) {
                    (0, _) => "–".to_string(),
                    _ => window_numbers(p),
                },
                p.first_day.to_string(),
                p.last_day.to_string(),
                p.changes.to_string(),
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

/// A step as a task box: its lead-in in bold, the text, its command as code, its document
/// as a link.
pub fn step_item(step: &RunbookStep) -> String {
    let label = step
        .label
        .as_deref()
        .map(|l| format!("**{}:** ", escape_inline(l)))
        .unwrap_or_default();
    let mut item = format!("- [ ] {label}{}", escape_inline(&step.text));
    if let Some(command) = &step.command {
        let _ = write!(item, ": {}", inline_code(command));
    }
    if let (Some(url), Some(title)) = (&step.link, &step.link_title) {
        let _ = write!(item, " (see {})", link(title, url));
    }
    item
}

/// A markdown link; the address was checked when the checklist was loaded.
fn link(title: &str, url: &str) -> String {
    format!("[{}]({url})", escape_inline(title))
}

/// The title of a run of steps of one kind (and hop).
fn section_title(p: &RunbookPhase, kind: StepKind, hop: Option<usize>) -> String {
    let n = p.hops.len();
    match (kind, hop) {
        (StepKind::Precheck, _) => "Pre-checks".to_string(),
        (StepKind::Communication, _) => "Tell people".to_string(),
        (StepKind::Change, Some(h)) => {
            let to = p
                .hops
                .get(h - 1)
                .map(ToString::to_string)
                .unwrap_or_default();
            let from = match h {
                1 => p.from.map(|v| v.to_string()).unwrap_or_default(),
                _ => p
                    .hops
                    .get(h - 2)
                    .map(ToString::to_string)
                    .unwrap_or_default(),
            };
            let window = p
                .hop_windows
                .get(h - 1)
                .map(|w| format!(" (window {}, {})", w.window, w.date))
                .unwrap_or_default();
            format!("Change, hop {h} of {n}{window}: {from} → {to}")
        }
        (StepKind::Change, None) => "Change".to_string(),
        (StepKind::Validation, Some(h)) => format!("Validation and soak after hop {h}"),
        (StepKind::Validation, None) => "Validation".to_string(),
        (StepKind::Gate, _) => "Go/no-go".to_string(),
        (StepKind::Rollback, _) => "Roll back".to_string(),
    }
}

/// One phase: when, what, and its steps as task boxes, a list for each run of one kind.
pub fn phase_section(out: &mut String, p: &RunbookPhase, depth: usize) {
    heading(
        out,
        depth,
        &format!("Phase {}: {}", p.number, escape_inline(&p.title)),
    );
    let layer = p
        .layer
        .as_deref()
        .map(|l| format!(", {}", escape_inline(l)))
        .unwrap_or_default();
    let versions = match (p.from, p.to) {
        (Some(from), Some(to)) if from != to => format!(", {from} → {to}"),
        _ => String::new(),
    };
    let _ = writeln!(
        out,
        "**When:** {}. **Kind:** {}{layer}{versions}. **Changes:** {}.\n",
        when(p),
        kind_label(p.kind, p.shared),
        p.changes
    );
    if let Some(text) = &p.skew {
        let _ = writeln!(out, "{}\n", escape_inline(text));
    }
    batch_table(out, p);
    let mut start = 0;
    while start < p.steps.len() {
        let (kind, hop) = (p.steps[start].kind, p.steps[start].hop);
        let end = p.steps[start..]
            .iter()
            .position(|s| (s.kind, s.hop) != (kind, hop))
            .map_or(p.steps.len(), |i| start + i);
        let _ = writeln!(out, "**{}**\n", section_title(p, kind, hop));
        for step in &p.steps[start..end] {
            let _ = writeln!(out, "{}", step_item(step));
        }
        out.push('\n');
        start = end;
    }
    if !p.see.is_empty() {
        let links: Vec<String> = p.see.iter().map(|r| link(&r.title, &r.url)).collect();
        let _ = writeln!(out, "See: {}.\n", links.join(", "));
    }
}

/// For phases of one batch per window: which window takes which batch (and, in a capacity
/// rotation, when each batch's old clusters are retired to make room).
fn batch_table(out: &mut String, p: &RunbookPhase) {
    let Some(batches) = &p.batches else {
        return;
    };
    let _ = write!(
        out,
        "One batch of clusters per window, at most {} in a batch",
        batches.clusters_per_window
    );
    let mut columns = vec![("Batch", R), ("Window", R), ("Date", L), ("Clusters", R)];
    if let Some(m) = batches.rotating {
        let waves = if m == 1 {
            "the wave before it".to_string()
        } else {
            format!("the wave {m} before it")
        };
        let _ = write!(
            out,
            ". The limited capacity holds the old clusters of {} at a time: a batch starts only once the old clusters of {waves} have been kept for rollback and retired, and the windows between are left unused",
            plural(m, "wave", "waves")
        );
        columns.extend([("Old clusters kept until", L), ("Retired on", L)]);
    }
    out.push_str(":\n\n");
    columns.push(("Done", L));
    let rotating = batches.rotating.is_some();
    let day =
        |d: Option<Date>| d.map_or_else(|| "after the last wave".to_string(), |d| d.to_string());
    table(
        out,
        &columns,
        batches.rows.iter().map(|row| {
            let mut cells = vec![
                row.batch.to_string(),
                row.window.to_string(),
                row.first_day.to_string(),
                row.clusters.to_string(),
            ];
            if rotating {
                cells.extend([day(row.old_side_until), day(row.retired_on)]);
            }
            cells.push(String::new());
            cells
        }),
    );
    if batches.more > 0 {
        let how = if rotating {
            "each once the old clusters it waits for are retired"
        } else {
            "one per window"
        };
        let _ = writeln!(
            out,
            "The other {} batches follow {how}, up to window {} on {}.\n",
            batches.more, batches.last_window, p.last_day
        );
    }
}

/// A row per phase: can it be rolled back, how, until when, at what cost.
pub fn rollback_matrix(
    out: &mut String,
    phases: &[RunbookPhase],
    depth: usize,
    prefix: Option<&str>,
) {
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
                Some(env) => format!("{}: {}", cell(env), cell(&p.title)),
                None => format!("{}. {}", p.number, cell(&p.title)),
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
