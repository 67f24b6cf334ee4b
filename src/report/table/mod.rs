//! Table: what a person reads in a terminal, at 80 columns and up.

pub mod brief;
mod cells;
mod fleet;
mod scan;

use comfy_table::{CellAlignment, Color, ColumnConstraint, Table, Width};

use crate::base::text::format_number;
use crate::checklist::strategy::{Strategy, Toward};
use crate::plan::Report;
use crate::plan::fleet::FleetReport;
use crate::report::capacity_words::{CLUSTER_COLUMNS, capacity_lines, cluster_row};
use crate::report::render::{Emit, RenderOptions, Renderer, ScanRenderOptions, ScanRenderer};
use crate::report::width::{DEFAULT_WIDTH, wrap_prose};
use crate::report::wording::{held_fixed_text, sensitivity_text};
use crate::scan::model::ScanReport;
use crate::scoring::confidence::Confidence;
use crate::scoring::whatif::describe;
use cells::{heading, paint, plain, push, table};

/// Tables for a terminal.
pub struct Tables;

impl Renderer for Tables {
    fn report(&self, report: &Report, options: &RenderOptions) -> String {
        render(report, options)
    }

    fn fleet(
        &self,
        fleet: &FleetReport,
        options: &RenderOptions,
        emit: Emit,
    ) -> std::io::Result<()> {
        let width = options.width.unwrap_or(DEFAULT_WIDTH);
        fleet::fleet(fleet, options, &mut |chunk| emit(&wrap_prose(chunk, width)))
    }
}

impl ScanRenderer for Tables {
    fn scan(&self, report: &ScanReport, options: &ScanRenderOptions) -> String {
        scan::scan(report, options.width, options.color)
    }
}

fn render(report: &Report, options: &RenderOptions) -> String {
    let mut out = String::new();
    let sections = [
        summary(report, options),
        drivers(report, options),
        ruled(report, options),
        unknown(report, options),
        blockers(report, options),
        layers(report, options),
        timeline(report, options),
        evidence(report, options),
        capacity_clusters(report, options),
        capacity_fit(report, options),
        support(report, options),
        what_if(report, options),
        risks(report, options),
    ];
    for table in sections.iter().flatten() {
        push(&mut out, table);
    }
    out.push_str("Target: the day production runs the target everywhere; Closes: the old side retired after its rollback hold; Risky: in-place hops and cut-overs. Calendar figures are minimums: validation and remediation come on top.\n");
    wrap_prose(&out, options.width.unwrap_or(DEFAULT_WIDTH))
}

fn summary(report: &Report, options: &RenderOptions) -> Option<Table> {
    let a = &report.assessment;
    let rec = &a.recommendation;

    let mut summary = table(options);
    summary.set_header(vec![
        heading("Recommendation", options),
        heading(report.strategy_name(rec.strategy), options),
    ]);
    let strategy_color = match rec.strategy {
        Strategy::Sequential => Color::Blue,
        Strategy::BlueGreen => Color::Green,
        Strategy::Hybrid => Color::Cyan,
    };
    summary.add_row(vec![
        plain("Strategy"),
        paint(plain(rec.strategy.id()), strategy_color, options),
    ]);
    let confidence_color = match rec.confidence {
        Confidence::High => Color::Green,
        Confidence::Medium => Color::Yellow,
        Confidence::Low => Color::Red,
    };
    summary.add_row(vec![
        plain("Confidence"),
        paint(plain(rec.confidence), confidence_color, options),
    ]);
    if !rec.confidence_reasons.is_empty() {
        summary.add_row(vec![
            plain("Confidence is lower because"),
            plain(rec.confidence_reasons.join("\n")),
        ]);
    }
    let possible: Vec<String> = a
        .feasibility
        .iter()
        .map(|f| {
            let word = if f.feasible { "possible" } else { "ruled out" };
            format!("{}: {word}", f.strategy.id())
        })
        .collect();
    summary.add_row(vec![plain("Possible"), plain(possible.join("\n"))]);
    summary.add_row(vec![
        plain("Scores"),
        plain(format!(
            "Blue-Green {}, Sequential {} (Blue-Green needs a lead of {})",
            a.scores.blue_green, a.scores.sequential, a.scores.blue_green_needs
        )),
    ]);
    let path: Vec<String> = std::iter::once(a.path.from)
        .chain(a.path.hops.iter().copied())
        .map(|v| v.to_string())
        .collect();
    summary.add_row(vec![plain("Upgrade path"), plain(path.join(" → "))]);
    summary.add_row(vec![plain("Why"), plain(rec.rationale.join("\n"))]);
    if !report.overrides.is_empty() {
        let lines: Vec<String> = report
            .overrides
            .iter()
            .map(|o| {
                let file = o
                    .file_value
                    .as_ref()
                    .map_or("not answered".to_string(), ToString::to_string);
                format!("{} = {} (the file: {file})", o.question, o.value)
            })
            .collect();
        summary.add_row(vec![plain("Overridden (--set)"), plain(lines.join("\n"))]);
    }
    Some(summary)
}

fn drivers(report: &Report, options: &RenderOptions) -> Option<Table> {
    let a = &report.assessment;

    let mut drivers = table(options);
    drivers.set_header(vec![
        heading("Driver", options),
        heading("Answer", options),
        heading("Lean", options),
        heading("Why", options),
    ]);
    for d in &a.drivers {
        let (side, color) = if d.leans == Toward::BlueGreen {
            ("BG", Color::Green)
        } else {
            ("Seq", Color::Blue)
        };
        drivers.add_row(vec![
            plain(&d.question),
            plain(&d.answer),
            paint(plain(format!("{side} +{}", d.weight)), color, options),
            plain(&d.reason),
        ]);
    }
    // Give the reasons the room: answers wrap first; ids keep their room (see `push`).
    drivers.set_constraints(vec![
        ColumnConstraint::LowerBoundary(Width::Fixed(8)),
        ColumnConstraint::UpperBoundary(Width::Fixed(16)),
        ColumnConstraint::ContentWidth,
        ColumnConstraint::LowerBoundary(Width::Fixed(24)),
    ]);
    Some(drivers)
}

fn ruled(report: &Report, options: &RenderOptions) -> Option<Table> {
    let a = &report.assessment;
    let rec = &a.recommendation;
    if rec.gates.is_empty() {
        return None;
    }
    let mut ruled = table(options);
    ruled.set_header(vec![
        heading("Ruled out", options),
        heading("Because", options),
    ]);
    for gate in &rec.gates {
        let out: Vec<&str> = gate.rules_out.iter().map(|s| s.id()).collect();
        ruled.add_row(vec![plain(out.join(", ")), plain(&gate.reason)]);
    }
    Some(ruled)
}

fn unknown(report: &Report, options: &RenderOptions) -> Option<Table> {
    let a = &report.assessment;
    if a.unknowns.is_empty() {
        return None;
    }
    let mut unknown = table(options);
    unknown.set_header(vec![
        heading("Unknown answer", options),
        heading("If it were known", options),
    ]);
    for u in &a.unknowns {
        let outcomes: Vec<String> = u
            .outcomes
            .iter()
            .map(|o| format!("{} -> {}", o.answer, o.strategy.id()))
            .collect();
        unknown.add_row(vec![plain(&u.question), plain(outcomes.join("\n"))]);
    }
    Some(unknown)
}

fn blockers(report: &Report, options: &RenderOptions) -> Option<Table> {
    let a = &report.assessment;
    if a.blockers.is_empty() {
        return None;
    }
    let mut blockers = table(options);
    blockers.set_header(vec![
        heading("Blocker", options),
        heading("Question", options),
        heading("What to do", options),
    ]);
    for b in &a.blockers {
        blockers.add_row(vec![
            paint(plain(&b.title), Color::Red, options),
            plain(format!("{}: {}", b.question, b.answer)),
            plain(&b.action),
        ]);
    }
    Some(blockers)
}

fn layers(report: &Report, options: &RenderOptions) -> Option<Table> {
    let a = &report.assessment;

    let mut layers = table(options);
    layers.set_header(vec![
        heading("Layer", options),
        heading("How", options),
        heading("Versions", options),
        heading("Notes", options),
    ]);
    for l in &a.layers {
        let versions = match (l.from, l.to) {
            (Some(from), Some(_)) if !l.steps.is_empty() => {
                let steps: Vec<String> = l.steps.iter().map(ToString::to_string).collect();
                format!("{from} → {}", steps.join(" → "))
            }
            (Some(from), Some(_)) => from.to_string(),
            _ => "-".to_string(),
        };
        layers.add_row(vec![
            plain(&l.name),
            plain(l.method.label()),
            plain(versions),
            plain(&l.note),
        ]);
    }
    Some(layers)
}

fn timeline(report: &Report, options: &RenderOptions) -> Option<Table> {
    let a = &report.assessment;
    let rec = &a.recommendation;

    let mut timeline = table(options);
    timeline.set_header(vec![
        heading("Strategy", options),
        heading("Target", options),
        heading("Months", options),
        heading("Risky", options),
        heading("Closes", options),
        heading("Note", options),
    ]);
    for t in &a.timeline {
        let note = match (&t.ruled_out_by, t.strategy == rec.strategy) {
            (Some(_), _) => "ruled out".to_string(),
            (None, true) => "recommended".to_string(),
            (None, false) => String::new(),
        };
        let right = |v: String| plain(v).set_alignment(CellAlignment::Right);
        timeline.add_row(vec![
            plain(report.strategy_name(t.strategy)),
            plain(t.target_date.to_string()),
            right(format_number(t.months)),
            right(t.risky_changes.to_string()),
            plain(t.close_date.to_string()),
            plain(note),
        ]);
    }
    Some(timeline)
}

fn evidence(report: &Report, options: &RenderOptions) -> Option<Table> {
    if report.evidence.is_empty() {
        return None;
    }
    let mut evidence = table(options);
    evidence.set_header(vec![heading("Evidence from manifests", options)]);
    for e in &report.evidence {
        let cell = plain(e.sentence());
        evidence.add_row(vec![if e.outcome == "overruled" {
            paint(cell, Color::Yellow, options)
        } else {
            cell
        }]);
    }
    Some(evidence)
}

/// The capacity of each cluster dump.
fn capacity_clusters(report: &Report, options: &RenderOptions) -> Option<Table> {
    let capacity = report.capacity.as_ref()?;
    let mut table = table(options);
    table.set_header(CLUSTER_COLUMNS.iter().map(|h| heading(h, options)));
    for cluster in &capacity.clusters {
        table.add_row(cluster_row(cluster).map(plain));
    }
    Some(table)
}

/// What fits in the room, the waves, the cost of the parallel run.
fn capacity_fit(report: &Report, options: &RenderOptions) -> Option<Table> {
    let capacity = report.capacity.as_ref()?;
    let mut table = table(options);
    table.set_header(vec![heading("Capacity", options)]);
    for line in capacity_lines(report, capacity) {
        table.add_row(vec![plain(line)]);
    }
    Some(table)
}

fn support(report: &Report, options: &RenderOptions) -> Option<Table> {
    if report.support_warnings.is_empty() {
        return None;
    }
    let mut support = table(options);
    support.set_header(vec![heading("Support window", options)]);
    for w in &report.support_warnings {
        support.add_row(vec![paint(plain(&w.message), Color::Yellow, options)]);
    }
    support.add_row(vec![plain(
        crate::kube::releases::SupportTable::builtin().note.as_str(),
    )]);
    Some(support)
}

fn what_if(report: &Report, options: &RenderOptions) -> Option<Table> {
    let Some(analysis) = &report.analysis else {
        return None;
    };
    let mut what_if = table(options);
    what_if.set_header(vec![heading("Would win", options), heading("If", options)]);
    for w in &analysis.what_if {
        let text = match w.scenarios.is_empty() {
            true => "no change of one or two answers the search tried gets there".to_string(),
            false => {
                let mut lines: Vec<String> =
                    w.scenarios.iter().map(|s| describe(&s.changes)).collect();
                if w.more > 0 {
                    lines.push(format!("... and {} more", w.more));
                }
                lines.join("\nor ")
            }
        };
        what_if.add_row(vec![plain(report.strategy_name(w.strategy)), plain(text)]);
    }
    what_if.add_row(vec![
        plain("Sensitivity"),
        plain(format!(
            "{} {}",
            sensitivity_text(&analysis.sensitivity),
            held_fixed_text(analysis)
        )),
    ]);
    Some(what_if)
}

fn risks(report: &Report, options: &RenderOptions) -> Option<Table> {
    let a = &report.assessment;
    if a.risks.is_empty() {
        return None;
    }
    let mut risks = table(options);
    risks.set_header(vec![
        heading("Risk", options),
        heading("Question", options),
        heading("Mitigation", options),
    ]);
    for r in &a.risks {
        risks.add_row(vec![
            plain(&r.risk),
            plain(format!("{}: {}", r.question, r.answer)),
            plain(&r.mitigation),
        ]);
    }
    Some(risks)
}
