//! The runbook: the recommended strategy as an editable plan of record, phase by phase in
//! calendar order, with task boxes, a rollback matrix and a sign-off table.
//!
//! Everything comes from the report: the phases and windows from the recommended strategy's
//! timeline, the layers and versions from the plan by layer, the pre-checks from blockers,
//! prerequisites, risks, unknown answers and scan evidence. The step texts are checklist data
//! (`runbook:`); the rollback rules follow the phase kinds.

use std::fmt::Write;

use super::markdown::{
    blocker_item, cell, days_per_window, escape_inline, footer, header, inline_code, window_span,
};
use super::{RenderOptions, Report};
use crate::checklist::{Layer, LayerRole, PhaseSteps, Runbook, Step};
use crate::date::Date;
use crate::markdown::{Align::Left as L, Align::Right as R, table};
use crate::scoring::{Phase, PhaseKind, Status, plural};
use crate::strategy::Strategy;
use crate::version::Version;

/// How window numbers become dates: from a start date, at a cadence, with the windows before
/// `offset` left out (a fleet environment whose shared layers are done by its Supervisor).
#[derive(Debug, Clone, Copy)]
pub(super) struct Dating {
    pub start: Date,
    pub days_per_window: f64,
    pub offset: u64,
}

impl Dating {
    pub fn new(start: Date, windows_per_year: u32) -> Self {
        Dating {
            start,
            days_per_window: days_per_window(windows_per_year),
            offset: 0,
        }
    }

    /// The first and the last day of windows `first..=last`.
    pub fn days(&self, first: u64, last: u64) -> (Date, Date) {
        let (from, to) = window_span(
            self.days_per_window,
            first.saturating_sub(self.offset),
            last.saturating_sub(self.offset),
        );
        (
            self.start.plus_days(from),
            self.start.plus_days((to - 1).max(from)),
        )
    }

    /// The day after window `last`.
    pub fn after(&self, last: u64) -> Date {
        let (_, to) = window_span(self.days_per_window, 1, last.saturating_sub(self.offset));
        self.start.plus_days(to)
    }
}

/// A phase of the recommended strategy, placed on the calendar and tied to its layer.
#[derive(Debug, Clone)]
pub(super) struct Planned<'r> {
    pub number: usize,
    pub phase: &'r Phase,
    pub layer: Option<&'r Layer>,
    pub from: Option<Version>,
    pub to: Option<Version>,
    pub first_day: Date,
    pub last_day: Date,
    /// The phase's windows, renumbered from the environment's own start.
    pub windows: (u64, u64),
    pub steps: Option<&'r PhaseSteps>,
    /// For node pools kept within the kubelet skew: how many minors the nodes trail the
    /// control planes once the phase is done, and the limit.
    pub skew: Option<(u32, u32)>,
    pub dating: Dating,
}

/// The recommended strategy's phases in calendar order, dated. `skip_shared` leaves out the
/// shared layers' phases (in a fleet, the Supervisor does them once for every environment).
pub(super) fn plan<'r>(report: &'r Report, dating: &Dating, skip_shared: bool) -> Vec<Planned<'r>> {
    let a = &report.assessment;
    let strategy = a.recommendation.strategy;
    let checklist = report.source;
    let Some(timeline) = a.timeline_of(strategy) else {
        return Vec::new();
    };
    let by_role = |role: LayerRole| checklist.layers.iter().find(|l| l.role == role);
    let workload = by_role(LayerRole::Workload);
    let control_plane = by_role(LayerRole::ControlPlane);
    let plan_of = |id: &str| a.layers.iter().find(|p| p.id == id);
    // The shared layers that change in place, in the order the calendar does them.
    let mut shared = checklist.layers.iter().filter(|l| {
        l.role == LayerRole::Shared
            && plan_of(&l.id)
                .is_some_and(|p| p.method == crate::scoring::Method::InPlace && !p.steps.is_empty())
    });
    let stops: Vec<Version> = workload
        .and_then(|l| plan_of(&l.id))
        .map(|p| p.steps.clone())
        .unwrap_or_default();
    let max_skew = control_plane.and_then(|l| l.max_skew);
    let batches = a.calendar.batches.max(1);
    let mut hops = a.path.hops.iter().copied();
    let (mut control, mut nodes) = (a.path.from, a.path.from);
    let mut waves = 0usize;
    let mut out = Vec::new();
    for phase in &timeline.phases {
        let (layer, from, to) = match phase.kind {
            PhaseKind::InPlace if phase.shared => {
                let layer = shared.next();
                let p = layer.and_then(|l| plan_of(&l.id));
                (layer, p.and_then(|p| p.from), p.and_then(|p| p.to))
            }
            PhaseKind::InPlace => {
                // Each batch takes the same group of hops, so the group is changes / batches.
                let group = usize::try_from(phase.changes / batches).unwrap_or(usize::MAX);
                let from = control;
                if let Some(last) = hops.by_ref().take(group.max(1)).last() {
                    control = last;
                }
                if control_plane.is_none() || strategy == Strategy::Sequential {
                    nodes = control;
                }
                (control_plane.or(workload), Some(from), Some(control))
            }
            PhaseKind::Wave => {
                let stop = stops.get(waves).copied().unwrap_or(a.path.to);
                waves += 1;
                let from = nodes;
                nodes = stop;
                (workload, Some(from), Some(stop))
            }
            // A build creates the whole new side, every layer at once.
            PhaseKind::Build => (None, Some(a.path.from), Some(a.path.to)),
            PhaseKind::Rollback | PhaseKind::Decommission => (workload, None, None),
        };
        if skip_shared && phase.shared {
            continue;
        }
        // During a wave the old nodes still run beside the new ones: their lag is the one
        // before it; after an in-place phase, the lag it leaves.
        let trailing = match phase.kind {
            PhaseKind::Wave => from.unwrap_or(nodes),
            _ => nodes,
        };
        let skew = max_skew
            .filter(|_| matches!(phase.kind, PhaseKind::InPlace | PhaseKind::Wave) && !phase.shared)
            .map(|max| (control.minor.saturating_sub(trailing.minor), max));
        let (first_day, last_day) = dating.days(phase.first_window, phase.last_window);
        out.push(Planned {
            number: out.len() + 1,
            phase,
            layer,
            from,
            to,
            first_day,
            last_day,
            windows: (
                phase.first_window.saturating_sub(dating.offset),
                phase.last_window.saturating_sub(dating.offset),
            ),
            steps: checklist
                .runbook
                .steps_for(phase.kind, layer.map(|l| l.id.as_str()), strategy),
            skew,
            dating: *dating,
        });
    }
    out
}

/// The windows of a phase and their dates, e.g. "windows 3-5, 2027-03-05 to 2027-06-02".
pub(super) fn when(p: &Planned) -> String {
    let (first, last) = p.windows;
    let windows = if first == last {
        format!("window {first}")
    } else {
        format!("windows {first}–{last}")
    };
    format!("{windows}, {} to {}", p.first_day, p.last_day)
}

pub fn render(report: &Report, options: &RenderOptions) -> String {
    let a = &report.assessment;
    let rec = &a.recommendation;
    let dating = Dating::new(options.start, a.calendar.windows_per_year);
    let phases = plan(report, &dating, false);
    let mut out = String::new();
    let strategy = report.strategy_name(rec.strategy).to_string();
    let span = match (phases.first(), phases.last()) {
        (Some(first), Some(last)) => format!(
            "{} from {} to {}",
            plural(last.windows.1, "change window", "change windows"),
            first.first_day,
            last.last_day
        ),
        _ => "nothing to schedule".to_string(),
    };
    header(
        &mut out,
        "Kubernetes upgrade runbook",
        &report.context,
        &report.checklist,
        &[
            (
                "Strategy",
                format!("{strategy}, confidence {}", rec.confidence),
            ),
            ("Versions", format!("{} → {}", a.path.from, a.path.to)),
            ("Calendar", span),
            ("Status", "Draft for the change-advisory board".to_string()),
        ],
        options,
    );
    intro(&mut out, report);
    if phases.is_empty() {
        let _ = writeln!(
            out,
            "Nothing to schedule: every layer is already at its target, so there are no phases, rollbacks or sign-offs.\n"
        );
        before_you_start(&mut out, report, 2);
    } else {
        overview(&mut out, &phases, 2);
        before_you_start(&mut out, report, 2);
        for p in &phases {
            phase_section(&mut out, report, p, &phases, 2);
        }
        rollback_matrix(&mut out, report, &phases, 2, None);
        let _ = writeln!(out, "## Sign-off\n");
        let rows: Vec<(String, String)> = phases
            .iter()
            .map(|p| (format!("{}. {}", p.number, p.phase.name), when(p)))
            .collect();
        sign_off(&mut out, rows.iter().map(|(n, w)| (n.as_str(), w.clone())));
    }
    footer(
        &mut out,
        &report.checklist,
        &report.answers_sha256,
        Some(&report.effective_answers_sha256),
        &super::markdown::overrides_text(&report.overrides, true),
        options,
    );
    out
}

fn intro(out: &mut String, report: &Report) {
    let rec = &report.assessment.recommendation;
    let _ = writeln!(
        out,
        "This runbook carries out the recommended strategy, **{}**.\n",
        escape_inline(report.strategy_name(rec.strategy))
    );
    for sentence in &rec.rationale {
        let _ = writeln!(out, "{}\n", escape_inline(sentence));
    }
    let _ = writeln!(
        out,
        "Each phase lists its pre-checks, the change, validation, a go/no-go gate and how to roll back, as task boxes to tick during the window. Dates are the first and last day of the phase's change windows, counted from the start date; they are minimums, before validation and remediation. Commands are shown only for upstream Kubernetes steps; vendor steps point to the vendor's documentation.\n"
    );
}

fn heading(out: &mut String, depth: usize, title: &str) {
    let _ = writeln!(out, "{} {title}\n", "#".repeat(depth));
}

/// The phases at a glance.
pub(super) fn overview(out: &mut String, phases: &[Planned], depth: usize) {
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
                if first == last {
                    first.to_string()
                } else {
                    format!("{first}–{last}")
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

/// Blockers, unconfirmed prerequisites, unknown answers, risks, scan evidence and the
/// checklist's own checks, as task boxes.
pub(super) fn before_you_start(out: &mut String, report: &Report, depth: usize) {
    let a = &report.assessment;
    let strategy = a.recommendation.strategy;
    heading(out, depth, "Before you start");
    let _ = writeln!(
        out,
        "Clear every box before the first window. Each one comes from the assessment; strike out what does not apply and say why.\n"
    );
    let mut items: Vec<String> = a.blockers.iter().map(blocker_item).collect();
    if let Some(f) = a.feasibility.iter().find(|f| f.strategy == strategy) {
        for p in &f.prerequisites {
            let what = match p.status {
                Status::Unknown => "Find out whether this holds",
                Status::NotAsked => "Confirm (not asked in the assessment)",
                Status::Met | Status::Missing => continue,
            };
            let action = if p.action.is_empty() {
                String::new()
            } else {
                format!(" {}", escape_inline(&p.action))
            };
            items.push(format!(
                "- [ ] **{what}:** {}.{action}",
                escape_inline(&p.need)
            ));
        }
    }
    for u in &a.unknowns {
        let effect = if u.deciding {
            "a known answer could change the recommendation"
        } else {
            "no known answer changes the recommendation"
        };
        items.push(format!(
            "- [ ] **Answer {}** (now unknown; {effect}) and assess again.",
            inline_code(&u.question)
        ));
    }
    for r in &a.risks {
        items.push(format!(
            "- [ ] **Mitigate:** {} *Risk:* {} ({}: {})",
            escape_inline(&r.mitigation),
            escape_inline(&r.risk),
            inline_code(&r.question),
            escape_inline(&r.answer)
        ));
    }
    items.extend(evidence_checks(report));
    let lookup = |id: &str| report.answers.get(id);
    for check in &report.source.runbook.before {
        if check.when.as_ref().is_none_or(|c| c.holds(&lookup)) {
            items.push(step_item(&report.source.runbook, &check.step));
        }
    }
    if items.is_empty() {
        let _ = writeln!(out, "Nothing to clear first.\n");
    } else {
        for item in items {
            let _ = writeln!(out, "{item}");
        }
        out.push('\n');
    }
}

/// Pre-checks from the scan evidence, when the report has any.
fn evidence_checks(report: &Report) -> Vec<String> {
    let bound = &report.source.evidence;
    report
        .evidence
        .iter()
        .filter_map(|e| {
            let is = |q: &Option<String>| q.as_deref() == Some(e.question.as_str());
            let value = e.evidence.to_string();
            let detail = escape_inline(&e.detail);
            let text = if is(&bound.deprecated_apis) {
                if value == "remediated" {
                    format!("Scan the manifests and Helm releases again just before the first window; the last scan found {detail}.")
                } else {
                    format!("Migrate the manifests and Helm releases off removed APIs before the first window that reaches the removal: the scan found that {detail}.")
                }
            } else if is(&bound.pdbs_and_probes) {
                let single = e.counts.get("single_replica").copied().unwrap_or(0);
                let single = if single > 0 {
                    format!(" Give the {} a single replica a second one, or agree its downtime at every drain.", crate::text::plural(single, "workload that runs", "workloads that run"))
                } else {
                    String::new()
                };
                if value == "yes" {
                    format!("Keep the PodDisruptionBudgets and readiness probes in place; the scan found {detail}.{single}")
                } else {
                    format!("Add PodDisruptionBudgets and readiness probes where the scan found them missing: {detail}.{single}")
                }
            } else if is(&bound.stateful_workloads) {
                if value == "none" {
                    return None;
                }
                format!("Plan how the data of the stateful workloads moves or rides through: {detail}.")
            } else if is(&bound.pod_autoscaling) {
                format!("Check autoscaling before the first window: {detail}.")
            } else {
                return None;
            };
            Some(format!("- [ ] {text} *(scan)*"))
        })
        .collect()
}

/// A step as a task box: the text, its command as code, its reference as a link.
fn step_item(runbook: &Runbook, step: &Step) -> String {
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
pub(super) fn phase_section(
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
    batch_table(out, report, p);
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
    pre.push("- [ ] The change record for this phase is approved and the application owners are told the window.".to_string());
    list(out, "Pre-checks", pre, pick(|s| &s.pre_checks));
    let mut change = Vec::new();
    if steps.is_none() {
        change.push(format!(
            "- [ ] {} (the checklist has no step texts for this phase; add them under `runbook.phases`).",
            escape_inline(&p.phase.name)
        ));
    }
    list(out, "Change", change, pick(|s| &s.change));
    list(out, "Validation", Vec::new(), pick(|s| &s.validation));
    list(
        out,
        "Go/no-go",
        vec!["- [ ] Go only when every validation box above is ticked; otherwise stop here and roll back as below.".to_string()],
        pick(|s| &s.go_no_go),
    );
    let rule = rollback_rule(report, p, phases);
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

/// For phases of one batch per window: which window takes which batch.
fn batch_table(out: &mut String, report: &Report, p: &Planned) {
    let basis = &report.assessment.calendar;
    let (first, last) = (p.phase.first_window, p.phase.last_window);
    let per_batch = !p.phase.shared
        && basis.batches > 1
        && matches!(p.phase.kind, PhaseKind::InPlace | PhaseKind::Wave)
        && last - first + 1 == basis.batches;
    if !per_batch {
        return;
    }
    let dating_offset = p.dating.offset;
    let _ = writeln!(
        out,
        "One batch of clusters per window, at most {} in a batch:\n",
        basis.clusters_per_window
    );
    table(
        out,
        &[
            ("Batch", R),
            ("Window", R),
            ("Dates", L),
            ("Clusters", R),
            ("Done", L),
        ],
        (0..basis.batches.min(BATCH_ROWS)).map(|i| {
            let window = first + i;
            let (from, to) = p.dating.days(window, window);
            let clusters = basis
                .clusters
                .saturating_sub(i.saturating_mul(basis.clusters_per_window))
                .min(basis.clusters_per_window);
            vec![
                (i + 1).to_string(),
                window.saturating_sub(dating_offset).to_string(),
                format!("{from} to {to}"),
                clusters.to_string(),
                String::new(),
            ]
        }),
    );
    if basis.batches > BATCH_ROWS {
        let _ = writeln!(
            out,
            "The other {} batches follow one per window, up to window {} ending {}.\n",
            basis.batches - BATCH_ROWS,
            last.saturating_sub(dating_offset),
            p.last_day
        );
    }
}

/// The most batches listed one by one; a longer phase says how the rest follow.
const BATCH_ROWS: u64 = 52;

/// Whether and how a phase can be rolled back, following its kind.
pub(super) struct RollbackRule {
    pub possible: &'static str,
    pub how: String,
    pub until: String,
    pub cost: String,
    /// Whether it can be undone, and until when, as a sentence.
    pub rule: String,
}

pub(super) fn rollback_rule(report: &Report, p: &Planned, phases: &[Planned]) -> RollbackRule {
    let layer = p.layer.map_or("the layer", |l| l.name.as_str());
    // The first data step says how, when the checklist gives one.
    let data = p
        .steps
        .and_then(|s| s.rollback.first())
        .map(|s| s.text.clone());
    let day_before = |kind: PhaseKind| {
        phases
            .iter()
            .find(|q| q.phase.kind == kind)
            .map(|q| q.first_day.plus_days(-1))
    };
    let stateful = report
        .source
        .evidence
        .stateful_workloads
        .as_deref()
        .and_then(|q| report.answers.get(q))
        .map(ToString::to_string)
        .filter(|v| v != "none");
    match p.phase.kind {
        PhaseKind::InPlace => {
            let how = data.unwrap_or_else(|| {
                "Restore from the backup taken before the change, or fix forward".to_string()
            });
            RollbackRule {
                possible: "no",
                rule: format!(
                    "This in-place upgrade ({layer}) cannot be rolled back once it has started."
                ),
                how,
                until: "not after the change starts".to_string(),
                cost: format!(
                    "{layer}: down or degraded while restored; the window's work is lost"
                ),
            }
        }
        PhaseKind::Build => {
            let until = day_before(PhaseKind::Wave)
                .map_or("until the first wave".to_string(), |d| {
                    format!("until {d}, before the first wave")
                });
            let how = data
                .unwrap_or_else(|| "Discard what was built; nothing has moved to it".to_string());
            RollbackRule {
                possible: "yes",
                rule: "Nothing has moved yet, so the build can be discarded.".to_string(),
                how,
                until,
                cost: "The build effort; the capacity it held is freed".to_string(),
            }
        }
        PhaseKind::Wave | PhaseKind::Rollback => {
            // Old nodes can take the workloads back only while the control planes have not
            // moved on past them (the kubelet skew); the old side, only until it is retired.
            let moved_on = phases
                .iter()
                .find(|q| q.number > p.number && q.phase.kind == PhaseKind::InPlace)
                .map(|q| q.first_day.plus_days(-1));
            let retired = day_before(PhaseKind::Decommission);
            let until = match (moved_on, retired) {
                (Some(m), Some(r)) if m < r => format!(
                    "until {m}, before the control planes are upgraded again and the old nodes fall out of the kubelet skew"
                ),
                (_, Some(r)) => format!("until {r}, while the old side still runs"),
                (Some(m), None) => {
                    format!("until {m}, before the control planes are upgraded again")
                }
                (None, None) => "while the old side runs".to_string(),
            };
            let how = data.unwrap_or_else(|| {
                "Shift traffic back to the old side, which keeps running".to_string()
            });
            // Node pools move within their cluster: the pods drain back, the data stays.
            let node_pools = report
                .source
                .layers
                .iter()
                .any(|l| l.role == LayerRole::ControlPlane);
            let mut cost = if node_pools {
                "A second drain, back onto the old nodes, and a new window for the move"
            } else {
                "A traffic shift back and a new window for the move"
            }
            .to_string();
            if let Some(v) = stateful.filter(|_| !node_pools) {
                cost.push_str(&format!(
                    "; data written on the new side since the move must be copied back (stateful workloads: {v})"
                ));
            }
            RollbackRule {
                possible: "yes",
                rule: format!("The old side still runs, so this can be undone {until}."),
                how,
                until,
                cost,
            }
        }
        PhaseKind::Decommission => {
            let how = data.unwrap_or_else(|| {
                "Rebuild the old side from code and backups; this is a new project, not a rollback"
                    .to_string()
            });
            RollbackRule {
                possible: "no",
                rule: "Once the old side is retired there is nothing to go back to.".to_string(),
                how,
                until: "not after the retirement starts".to_string(),
                cost: "A full rebuild".to_string(),
            }
        }
    }
}

/// A row per phase: can it be rolled back, how, until when, at what cost.
pub(super) fn rollback_matrix(
    out: &mut String,
    report: &Report,
    phases: &[Planned],
    depth: usize,
    prefix: Option<&str>,
) {
    heading(out, depth, "Rollback matrix");
    let _ = writeln!(
        out,
        "In-place upgrades cannot be rolled back (restore from backup or fix forward); waves can move back until the old side is retired; a build can be discarded.\n"
    );
    table(
        out,
        &[
            ("Phase", L),
            ("When", L),
            ("Can roll back", L),
            ("How", L),
            ("Until", L),
            ("Cost", L),
        ],
        phases.iter().map(|p| {
            let rule = rollback_rule(report, p, phases);
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
                cell(&rule.cost),
            ]
        }),
    );
}

/// The approvals table, empty for people to fill in.
pub(super) fn sign_off<'p>(out: &mut String, rows: impl Iterator<Item = (&'p str, String)>) {
    let _ = writeln!(
        out,
        "Fill in one row per phase before its window: who owns it, who approved it, when, and the change record.\n"
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
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ]
        }),
    );
}

/// The fleet's runbook: each shared Supervisor first, once, then every environment with its
/// own strategy, dated after its Supervisor's work.
pub fn render_fleet(fleet: &super::FleetReport, options: &RenderOptions) -> String {
    // The environments' reports, built once (they are made on demand, one at a time).
    let envs: Vec<super::fleet::EnvironmentReport> = fleet.environments.each(false).collect();
    let mut out = String::new();
    header(
        &mut out,
        "Kubernetes fleet upgrade runbook",
        &fleet.context,
        &fleet.checklist,
        &[
            ("Environments", fleet.environments.len().to_string()),
            ("Status", "Draft for the change-advisory board".to_string()),
        ],
        options,
    );
    let _ = writeln!(
        out,
        "A shared Supervisor, with the other shared layers, is upgraded in place once, before the workload clusters of every environment on it, whatever strategy each of them gets. Its windows follow the strictest change window among those environments. Supervisors are independent and run side by side; each environment then follows its own recommended strategy, dated from the day after its Supervisor's last window. Dates are minimums, before validation and remediation.\n"
    );
    let _ = writeln!(out, "## Order of work\n");
    for (i, step) in fleet.fleet.order.iter().enumerate() {
        let _ = writeln!(out, "{}. {}", i + 1, escape_inline(step));
    }
    out.push('\n');
    let mut sign: Vec<(String, String)> = Vec::new();
    // Each Supervisor's shared steps, as in-place phases of its own.
    let mut ends = std::collections::HashMap::new();
    for s in &fleet.fleet.supervisors {
        let Some(first_env) = envs.iter().find(|e| s.environments.contains(&e.name)) else {
            continue;
        };
        let report = &first_env.report;
        let dating = Dating::new(options.start, s.windows_per_year);
        let _ = writeln!(out, "## Supervisor {}\n", escape_inline(&s.name));
        let _ = writeln!(
            out,
            "Environments on it: {}.\n",
            escape_inline(&s.environments.join(", "))
        );
        if s.layers.is_empty() || s.windows == 0 {
            let _ = writeln!(
                out,
                "Nothing to upgrade: the shared layers are at their targets.\n"
            );
            continue;
        }
        ends.insert(s.name.clone(), dating.after(s.windows));
        let phases: Vec<Phase> = s
            .layers
            .iter()
            .map(|step| Phase {
                name: format!("{} {} to {} in place", step.layer, step.from, step.to),
                kind: PhaseKind::InPlace,
                changes: step.changes,
                shared: true,
                first_window: 1,
                last_window: s.windows,
            })
            .collect();
        let planned: Vec<Planned> = phases
            .iter()
            .enumerate()
            .map(|(i, phase)| {
                let layer = report
                    .source
                    .layers
                    .iter()
                    .find(|l| l.name == s.layers[i].layer);
                let (first_day, last_day) = dating.days(1, s.windows);
                Planned {
                    number: i + 1,
                    phase,
                    layer,
                    from: Some(s.layers[i].from),
                    to: Some(s.layers[i].to),
                    first_day,
                    last_day,
                    windows: (1, s.windows),
                    steps: report.source.runbook.steps_for(
                        PhaseKind::InPlace,
                        layer.map(|l| l.id.as_str()),
                        Strategy::Sequential,
                    ),
                    skew: None,
                    dating,
                }
            })
            .collect();
        let _ = writeln!(
            out,
            "The shared steps run in this order within {}.\n",
            when(&planned[0])
        );
        for p in &planned {
            phase_section(&mut out, report, p, &planned, 3);
        }
        rollback_matrix(&mut out, report, &planned, 3, None);
        for p in &planned {
            sign.push((format!("Supervisor {}: {}", s.name, p.phase.name), when(p)));
        }
    }
    for env in &envs {
        let report = &env.report;
        let a = &report.assessment;
        let start = env.supervisor.as_ref().and_then(|s| ends.get(s)).copied();
        let skip_shared = env.supervisor.is_some();
        let mut dating = Dating::new(start.unwrap_or(options.start), a.calendar.windows_per_year);
        if skip_shared {
            dating.offset = a
                .timeline_of(a.recommendation.strategy)
                .and_then(|t| t.phases.iter().find(|p| !p.shared))
                .map_or(0, |p| p.first_window - 1);
        }
        let phases = plan(report, &dating, skip_shared);
        let _ = writeln!(
            out,
            "## {}: {}\n",
            escape_inline(&env.name),
            escape_inline(report.strategy_name(a.recommendation.strategy))
        );
        match (&env.supervisor, start) {
            (Some(s), Some(day)) => {
                let _ = writeln!(
                    out,
                    "Starts on {day}, after Supervisor {} is done. Versions {} → {}; confidence {}.\n",
                    escape_inline(s),
                    a.path.from,
                    a.path.to,
                    a.recommendation.confidence
                );
            }
            _ => {
                let _ = writeln!(
                    out,
                    "Starts on {}. Versions {} → {}; confidence {}.\n",
                    options.start, a.path.from, a.path.to, a.recommendation.confidence
                );
            }
        }
        for sentence in &a.recommendation.rationale {
            let _ = writeln!(out, "{}\n", escape_inline(sentence));
        }
        before_you_start(&mut out, report, 3);
        overview(&mut out, &phases, 3);
        for p in &phases {
            phase_section(&mut out, report, p, &phases, 3);
        }
        rollback_matrix(&mut out, report, &phases, 3, None);
        for p in &phases {
            sign.push((format!("{}: {}", env.name, p.phase.name), when(p)));
        }
    }
    let _ = writeln!(out, "## Sign-off\n");
    sign_off(&mut out, sign.iter().map(|(n, w)| (n.as_str(), w.clone())));
    let overrides = envs
        .first()
        .map(|e| super::markdown::overrides_text(&e.report.overrides, false))
        .unwrap_or_default();
    footer(
        &mut out,
        &fleet.checklist,
        &fleet.answers_sha256,
        None,
        &overrides,
        options,
    );
    out
}
