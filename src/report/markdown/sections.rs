//! The sections of the markdown report, each at a heading level of the caller's choosing:
//! a single report puts them at level 2, a fleet's environment at level 3.

use std::fmt::Write;

use crate::base::text::plural;
use crate::plan::Report;
use crate::report::blocks::Align::{Left as L, Right as R};
use crate::report::blocks::{blocker_item, cell, code, escape_inline, inline_code, table};
use crate::report::wording::{held_fixed_text, sensitivity_text};

pub fn drivers_section(out: &mut String, report: &Report, level: usize) {
    let h = "#".repeat(level);
    let a = &report.assessment;
    let _ = writeln!(out, "{h} What drove the result\n");
    table(
        out,
        &[
            ("Question", L),
            ("Answer", L),
            ("Leans", L),
            ("Weight", R),
            ("Why", L),
        ],
        a.drivers.iter().map(|d| {
            vec![
                code(&d.question),
                cell(&d.answer),
                d.leans.to_string(),
                d.weight.to_string(),
                cell(&d.reason),
            ]
        }),
    );
}

/// The blockers as a checklist. `level` is the heading level (2 in a single report).
pub fn blockers_section(out: &mut String, report: &Report, level: usize) {
    let h = "#".repeat(level);
    let a = &report.assessment;
    let rec = &a.recommendation;
    let _ = writeln!(out, "{h} Blockers\n");
    if a.blockers.is_empty() {
        let _ = writeln!(out, "Nothing blocks the recommended strategy.\n");
    } else {
        let _ = writeln!(
            out,
            "Clear these before the {} work starts:\n",
            escape_inline(report.strategy_name(rec.strategy))
        );
        for b in &a.blockers {
            let _ = writeln!(out, "{}", blocker_item(b));
        }
        out.push('\n');
    }
}

/// The plan by layer. `level` is the heading level (2 in a single report).
pub fn plan_section(out: &mut String, report: &Report, level: usize) {
    let h = "#".repeat(level);
    let a = &report.assessment;
    let _ = writeln!(out, "{h} Plan by layer\n");
    let version =
        |v: Option<crate::kube::version::Version>| v.map_or("-".to_string(), |v| v.to_string());
    table(
        out,
        &[
            ("Layer", L),
            ("How", L),
            ("From", L),
            ("To", L),
            ("Steps", L),
            ("Notes", L),
        ],
        a.layers.iter().map(|l| {
            let steps: Vec<String> = l.steps.iter().map(ToString::to_string).collect();
            let steps = if steps.is_empty() {
                "-".to_string()
            } else {
                steps.join(" → ")
            };
            vec![
                cell(&l.name),
                l.method.label().to_string(),
                version(l.from),
                version(l.to),
                steps,
                cell(&l.note),
            ]
        }),
    );
}

/// The workload clusters' upgrade path. `level` is the heading level (2 in a single report).
pub fn path_section(out: &mut String, report: &Report, level: usize) {
    let h = "#".repeat(level);
    let a = &report.assessment;
    let _ = writeln!(out, "{h} Upgrade path\n");
    let path = &a.path;
    if path.hops.is_empty() {
        let _ = writeln!(out, "The workload clusters are already at {}.\n", path.to);
    } else {
        let chain: Vec<String> = std::iter::once(path.from)
            .chain(path.hops.iter().copied())
            .map(|v| v.to_string())
            .collect();
        let _ = writeln!(
            out,
            "Workload clusters: {} ({} in place; a parallel build goes straight to {}).\n",
            chain.join(" → "),
            plural(path.hops.len() as u64, "minor hop", "minor hops"),
            path.to
        );
    }
}

/// Upstream support windows, when any warning applies. `level` is the heading level (2 in a single report).
pub fn support_section(out: &mut String, report: &Report, level: usize) {
    let h = "#".repeat(level);
    if !report.support_warnings.is_empty() {
        let table = crate::kube::releases::SupportTable::builtin();
        let _ = writeln!(out, "{h} Support windows\n");
        for w in &report.support_warnings {
            let _ = writeln!(out, "- {}", escape_inline(&w.message));
        }
        let _ = writeln!(
            out,
            "\n{} Source: {}.\n",
            escape_inline(&table.note),
            escape_inline(&table.source)
        );
    }
}

/// What would change the answer, when it was computed. `level` is the heading level (2 in a single report).
pub fn what_if_section(out: &mut String, report: &Report, level: usize) {
    let h = "#".repeat(level);
    if let Some(analysis) = &report.analysis {
        let _ = writeln!(out, "{h} What would change the answer\n");
        for w in &analysis.what_if {
            let name = report.strategy_name(w.strategy);
            if w.scenarios.is_empty() {
                let _ = writeln!(
                    out,
                    "- **{}**: no change of one or two answers the search tried makes it the recommendation.",
                    escape_inline(name)
                );
                continue;
            }
            let options: Vec<String> = w
                .scenarios
                .iter()
                .map(|s| {
                    let parts: Vec<String> = s
                        .changes
                        .iter()
                        .map(|c| match &c.from {
                            Some(from) => format!(
                                "{} were **{}** (now {})",
                                inline_code(&c.question),
                                escape_inline(&c.to.to_string()),
                                escape_inline(&from.to_string())
                            ),
                            None => format!(
                                "{} were **{}**",
                                inline_code(&c.question),
                                escape_inline(&c.to.to_string())
                            ),
                        })
                        .collect();
                    format!("{} (confidence {})", parts.join(" and "), s.confidence)
                })
                .collect();
            let more = if w.more > 0 {
                format!("; {} more combinations found, not listed", w.more)
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "- **{}** would be recommended if {}{more}.",
                escape_inline(name),
                options.join("; or if ")
            );
        }
        let _ = writeln!(
            out,
            "\n{} {}\n",
            escape_inline(&sensitivity_text(&analysis.sensitivity)),
            escape_inline(&held_fixed_text(analysis))
        );
    }
}

/// The risks. `level` is the heading level (2 in a single report).
pub fn risks_section(out: &mut String, report: &Report, level: usize) {
    let h = "#".repeat(level);
    let a = &report.assessment;
    let _ = writeln!(out, "{h} Risks\n");
    if a.risks.is_empty() {
        let _ = writeln!(out, "No answer was flagged as a risk.\n");
    } else {
        table(
            out,
            &[
                ("Question", L),
                ("Answer", L),
                ("Risk", L),
                ("Mitigation", L),
            ],
            a.risks.iter().map(|r| {
                vec![
                    code(&r.question),
                    cell(&r.answer),
                    cell(&r.risk),
                    cell(&r.mitigation),
                ]
            }),
        );
    }
}

/// The next steps, numbered. `level` is the heading level (2 in a single report).
pub fn next_steps_section(out: &mut String, report: &Report, level: usize) {
    let h = "#".repeat(level);
    let a = &report.assessment;
    let _ = writeln!(out, "{h} Next steps\n");
    for (i, step) in a.next_steps.iter().enumerate() {
        let _ = writeln!(out, "{}. {}", i + 1, escape_inline(step));
    }
    out.push('\n');
}

/// Every effective answer, by section. `level` is the heading level (2 in a single report).
pub fn answers_appendix(out: &mut String, report: &Report) {
    table(
        out,
        &[("Section", L), ("Question", L), ("Id", L), ("Answer", L)],
        report
            .source
            .questions
            .iter()
            .filter(|q| report.answers.contains_key(&q.id))
            .map(|q| {
                let mut answer = cell(&report.answer_label(&q.id));
                if report.defaulted.contains(&q.id) {
                    answer.push_str(" *(default)*");
                }
                let section = &report.source.sections[q.section].title;
                vec![cell(section), cell(&q.prompt), code(&q.id), answer]
            }),
    );
    if !report.ignored.is_empty() {
        let _ = writeln!(
            out,
            "Ignored because the question does not apply to these answers: {}.\n",
            report
                .ignored
                .iter()
                .map(|id| inline_code(id))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
}

/// A blocker as an unchecked task-list item.
/// Why the confidence is not higher, in one line.
pub fn confidence_note(out: &mut String, report: &Report) {
    let rec = &report.assessment.recommendation;
    if rec.confidence_reasons.is_empty() {
        return;
    }
    let reasons: Vec<String> = rec
        .confidence_reasons
        .iter()
        .map(|r| escape_inline(r))
        .collect();
    let _ = writeln!(
        out,
        "Confidence is {} because of: {}.\n",
        rec.confidence,
        reasons.join("; ")
    );
}

/// Stage one: which strategies are possible, their prerequisites, and what unknown answers
/// would decide.
pub fn feasibility_section(out: &mut String, report: &Report, level: usize) {
    let h = "#".repeat(level);
    let a = &report.assessment;
    let _ = writeln!(out, "{h} What is possible\n");
    let _ = writeln!(
        out,
        "Prerequisites decide what is possible; they never make a strategy preferred. A missing must-have rules a strategy out; a missing should-have is work to do first.\n"
    );
    table(
        out,
        &[
            ("Strategy", L),
            ("Possible", L),
            ("Must-haves", L),
            ("Should-haves", L),
        ],
        a.feasibility.iter().map(|f| {
            // What is not met, by name; what is met, as a count.
            let list = |level: crate::scoring::feasibility::Level| {
                let of_level = || f.prerequisites.iter().filter(|p| p.level == level);
                let mut items: Vec<String> = of_level()
                    .filter(|p| p.status != crate::scoring::feasibility::Status::Met)
                    .map(|p| format!("{}: **{}**", cell(&p.need), p.status.label()))
                    .collect();
                let met = of_level()
                    .filter(|p| p.status == crate::scoring::feasibility::Status::Met)
                    .count();
                if met > 0 {
                    items.push(format!("{met} met"));
                }
                if items.is_empty() {
                    "-".to_string()
                } else {
                    items.join("; ")
                }
            };
            vec![
                cell(report.strategy_name(f.strategy)),
                if f.feasible { "yes" } else { "**no**" }.to_string(),
                list(crate::scoring::feasibility::Level::Must),
                list(crate::scoring::feasibility::Level::Should),
            ]
        }),
    );
    if !a.recommendation.gates.is_empty() {
        let _ = writeln!(out, "{h}# Ruled out\n");
        // One line per gate, naming every strategy it rules out.
        for gate in &a.recommendation.gates {
            let names: Vec<String> = gate
                .rules_out
                .iter()
                .map(|s| escape_inline(report.strategy_name(*s)))
                .collect();
            let action = gate.action.as_deref().map_or(String::new(), |x| {
                format!(" To make it possible: {}", escape_inline(x))
            });
            // The gate's id is for JSON and scripts; people read its reason.
            let _ = writeln!(
                out,
                "- **{}**: {}{action}",
                names.join(", "),
                escape_inline(&gate.reason)
            );
        }
        out.push('\n');
    }
    if !a.unknowns.is_empty() {
        let _ = writeln!(out, "{h}# Unknown answers\n");
        let _ = writeln!(
            out,
            "An unknown answer adds no points to either side. What each known answer would give:\n"
        );
        table(
            out,
            &[
                ("Question", L),
                ("Could change the result", L),
                ("If answered", L),
            ],
            a.unknowns.iter().map(|u| {
                let outcomes: Vec<String> = u
                    .outcomes
                    .iter()
                    .map(|o| {
                        format!(
                            "{} → {}",
                            code(&o.answer),
                            cell(report.strategy_name(o.strategy))
                        )
                    })
                    .collect();
                vec![
                    code(&u.question),
                    if u.deciding { "yes" } else { "no" }.to_string(),
                    outcomes.join("; "),
                ]
            }),
        );
    }
}

/// What the manifests and dumps said, sentence by sentence, at heading `level`.
pub fn evidence_section(out: &mut String, report: &Report, level: usize) {
    if report.evidence.is_empty() {
        return;
    }
    let _ = writeln!(out, "{} Evidence from manifests\n", "#".repeat(level));
    for e in &report.evidence {
        let _ = writeln!(out, "- {}", escape_inline(&e.sentence()));
    }
    out.push('\n');
}

/// The capacity of the cluster dumps and what fits in the room, at heading `level`.
pub fn capacity_section(out: &mut String, report: &Report, level: usize) {
    use crate::report::capacity_words::{CLUSTER_COLUMNS, capacity_lines, cluster_row};
    let Some(capacity) = &report.capacity else {
        return;
    };
    let _ = writeln!(out, "{} Capacity\n", "#".repeat(level));
    table(
        out,
        &CLUSTER_COLUMNS.map(|h| (h, L)),
        capacity
            .clusters
            .iter()
            .map(|c| cluster_row(c).iter().map(|t| cell(t)).collect()),
    );
    for line in capacity_lines(report, capacity) {
        let _ = writeln!(out, "- {}", escape_inline(&line));
    }
    out.push('\n');
}
