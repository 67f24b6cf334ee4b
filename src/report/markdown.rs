//! Markdown: a document a customer reads on GitHub or GitLab, with a decision-record footer.

use std::fmt::Write;

use super::{ChecklistInfo, RenderOptions, Report};
use crate::markdown::Align::{Left as L, Right as R};
pub(super) use crate::markdown::{cell, code, escape_inline, inline_code, table};
use crate::scoring::{Blocker, Timeline, format_number, plural};
use crate::strategy::Strategy;

pub fn render(report: &Report, options: &RenderOptions) -> String {
    let a = &report.assessment;
    let rec = &a.recommendation;
    let mut out = String::new();
    header(
        &mut out,
        "Kubernetes upgrade strategy",
        &report.context,
        &report.checklist,
        &[],
        options,
    );

    let _ = writeln!(
        out,
        "## Recommendation: {}\n",
        escape_inline(report.strategy_name(rec.strategy))
    );
    let _ = writeln!(
        out,
        "**Confidence: {}.** Blue-Green {}, Sequential {} (Blue-Green needs a lead of {}).\n",
        rec.confidence,
        plural(u64::from(a.scores.blue_green), "point", "points"),
        plural(u64::from(a.scores.sequential), "point", "points"),
        a.scores.blue_green_needs
    );
    for sentence in &rec.rationale {
        let _ = writeln!(out, "{}\n", escape_inline(sentence));
    }
    confidence_note(&mut out, report);

    if !report.evidence.is_empty() {
        let _ = writeln!(out, "## Evidence from manifests\n");
        for e in &report.evidence {
            let _ = writeln!(out, "- {}", escape_inline(&e.sentence()));
        }
        out.push('\n');
    }

    feasibility_section(&mut out, report, 2);

    drivers_section(&mut out, report, 2);
    blockers_section(&mut out, report, 2);
    plan_section(&mut out, report, 2);
    path_section(&mut out, report, 2);
    timeline_section(&mut out, report, options);
    support_section(&mut out, report, 2);
    what_if_section(&mut out, report, 2);
    risks_section(&mut out, report, 2);
    next_steps_section(&mut out, report, 2);
    let _ = writeln!(out, "## Appendix: answers\n");
    answers_appendix(&mut out, report);
    if !report.evidence.is_empty() {
        let _ = writeln!(out, "## Appendix: evidence\n");
        table(
            &mut out,
            &[
                ("Question", L),
                ("Answered", L),
                ("Evidence", L),
                ("Outcome", L),
                ("Counts", L),
            ],
            report.evidence.iter().map(|e| {
                let answered = e
                    .answered
                    .as_ref()
                    .map_or("-".to_string(), ToString::to_string);
                vec![
                    code(&e.question),
                    cell(&answered),
                    cell(&e.evidence.to_string()),
                    e.outcome.to_string(),
                    cell(&e.detail),
                ]
            }),
        );
    }

    footer(
        &mut out,
        &report.checklist,
        &report.answers_sha256,
        Some(&report.effective_answers_sha256),
        &overrides_text(&report.overrides, true),
        options,
    );
    out
}

/// What drove the result. `level` is the heading level (2 in a single report).
pub(super) fn drivers_section(out: &mut String, report: &Report, level: usize) {
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
pub(super) fn blockers_section(out: &mut String, report: &Report, level: usize) {
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
pub(super) fn plan_section(out: &mut String, report: &Report, level: usize) {
    let h = "#".repeat(level);
    let a = &report.assessment;
    let _ = writeln!(out, "{h} Plan by layer\n");
    let version = |v: Option<crate::version::Version>| v.map_or("-".to_string(), |v| v.to_string());
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
pub(super) fn path_section(out: &mut String, report: &Report, level: usize) {
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
pub(super) fn support_section(out: &mut String, report: &Report, level: usize) {
    let h = "#".repeat(level);
    if !report.support_warnings.is_empty() {
        let table = crate::support::SupportTable::builtin();
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
pub(super) fn what_if_section(out: &mut String, report: &Report, level: usize) {
    let h = "#".repeat(level);
    if let Some(analysis) = &report.analysis {
        let _ = writeln!(out, "{h} What would change the answer\n");
        for w in &analysis.what_if {
            let name = report.strategy_name(w.strategy);
            if w.scenarios.is_empty() {
                let _ = writeln!(
                    out,
                    "- **{}**: no change of one or two answers makes it the recommendation.",
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
                format!("; {} more combinations in the JSON output", w.more)
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
            "\n{}\n",
            escape_inline(&super::table::sensitivity_text(&analysis.sensitivity))
        );
    }
}

/// The risks. `level` is the heading level (2 in a single report).
pub(super) fn risks_section(out: &mut String, report: &Report, level: usize) {
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
pub(super) fn next_steps_section(out: &mut String, report: &Report, level: usize) {
    let h = "#".repeat(level);
    let a = &report.assessment;
    let _ = writeln!(out, "{h} Next steps\n");
    for (i, step) in a.next_steps.iter().enumerate() {
        let _ = writeln!(out, "{}. {}", i + 1, escape_inline(step));
    }
    out.push('\n');
}

/// Every effective answer, by section. `level` is the heading level (2 in a single report).
pub(super) fn answers_appendix(out: &mut String, report: &Report) {
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
pub(super) fn confidence_note(out: &mut String, report: &Report) {
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
pub(super) fn feasibility_section(out: &mut String, report: &Report, level: usize) {
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
            let list = |level: crate::scoring::Level| {
                let of_level = || f.prerequisites.iter().filter(|p| p.level == level);
                let mut items: Vec<String> = of_level()
                    .filter(|p| p.status != crate::scoring::Status::Met)
                    .map(|p| format!("{}: **{}**", cell(&p.need), p.status.label()))
                    .collect();
                let met = of_level()
                    .filter(|p| p.status == crate::scoring::Status::Met)
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
                list(crate::scoring::Level::Must),
                list(crate::scoring::Level::Should),
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
            let _ = writeln!(
                out,
                "- **{}** ({}): {}{action}",
                names.join(", "),
                code(&gate.id),
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

pub(super) fn blocker_item(b: &Blocker) -> String {
    format!(
        "- [ ] **{}** ({}: {}). {}",
        escape_inline(&b.title),
        inline_code(&b.question),
        escape_inline(&b.answer),
        escape_inline(&b.action)
    )
}

/// The title (with the organization, when the context names one) and the facts table.
pub(super) fn header(
    out: &mut String,
    title: &str,
    context: &[(String, String)],
    checklist: &ChecklistInfo,
    extra: &[(&str, String)],
    options: &RenderOptions,
) {
    let subject = context
        .iter()
        .find(|(k, _)| k == crate::answers::CONTEXT_SUBJECT)
        .map(|(_, v)| format!(": {v}"))
        .unwrap_or_default();
    let _ = writeln!(out, "# {title}{}\n", escape_inline(&subject));
    let _ = writeln!(out, "| | |\n|---|---|");
    for (key, value) in context {
        let _ = writeln!(out, "| {} | {} |", cell(&title_case(key)), cell(value));
    }
    let _ = writeln!(
        out,
        "| Checklist | {} ({} {}) |",
        cell(&checklist.title),
        code(&checklist.id),
        cell(&checklist.version)
    );
    for (key, value) in extra {
        let _ = writeln!(out, "| {} | {} |", cell(key), cell(value));
    }
    let _ = writeln!(out, "| Date | {} |\n", options.today);
}

/// The decision record: what the report can be traced back to. `effective` is the hash of
/// the effective answers; `overrides` are the answers `--set` replaced.
pub(super) fn footer(
    out: &mut String,
    checklist: &ChecklistInfo,
    sha256: &str,
    effective: Option<&str>,
    overrides: &str,
    options: &RenderOptions,
) {
    let _ = writeln!(out, "---\n");
    let effective = effective.map_or(String::new(), |e| {
        format!(", effective answers SHA-256 `{e}`")
    });
    let _ = writeln!(
        out,
        "*Decision record: checklist {} version {}, answers SHA-256 `{sha256}`{effective}, upgrade-advisor {}, {}.*",
        inline_code(&checklist.id),
        escape_inline(&checklist.version),
        env!("CARGO_PKG_VERSION"),
        options.today
    );
    if !overrides.is_empty() {
        let _ = writeln!(out, "\n*Answers overridden with `--set`: {overrides}.*");
    }
}

/// `--set` overrides in words: `id` = value, with what the file said when `with_file`.
pub(super) fn overrides_text(overrides: &[crate::answers::Override], with_file: bool) -> String {
    overrides
        .iter()
        .map(|o| {
            let set = format!(
                "{} = {}",
                inline_code(&o.question),
                escape_inline(&o.value.to_string())
            );
            if !with_file {
                return set;
            }
            let file = o
                .file_value
                .as_ref()
                .map_or("not answered".to_string(), ToString::to_string);
            format!("{set} (the file: {})", escape_inline(&file))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn timeline_section(out: &mut String, report: &Report, options: &RenderOptions) {
    let a = &report.assessment;
    let basis = &a.calendar;
    let _ = writeln!(out, "## Timeline\n");
    let _ = writeln!(
        out,
        "At {} change windows a year and {} per window, with {} upgraded in {}. These are minimums: validation and remediation come on top.\n",
        basis.windows_per_year,
        plural(basis.changes_per_window, "change", "changes"),
        plural(basis.clusters, "workload cluster", "workload clusters"),
        plural(basis.batches, "batch", "batches")
    );
    table(
        out,
        &[
            ("Strategy", L),
            ("Changes", R),
            ("Windows", R),
            ("Months", R),
            ("Note", L),
        ],
        a.timeline.iter().map(|t| {
            let note = match (&t.ruled_out_by, t.strategy == a.recommendation.strategy) {
                (Some(gate), _) => format!("ruled out ({})", code(gate)),
                (None, true) => "recommended".to_string(),
                (None, false) => String::new(),
            };
            vec![
                cell(report.strategy_name(t.strategy)),
                t.changes.to_string(),
                t.windows.to_string(),
                format_number(t.months),
                note,
            ]
        }),
    );
    let days_per_window = days_per_window(basis.windows_per_year);
    let span = a
        .timeline
        .iter()
        .flat_map(|t| &t.phases)
        .map(|p| (p.last_window as f64 * days_per_window).round() as i64)
        .max()
        .unwrap_or(0);
    let (axis, tick) = gantt_axis(span);
    let sections: Vec<String> = a
        .timeline
        .iter()
        .map(|t| gantt_section_name(report, t))
        .collect();
    // Section names are drawn in the left margin; make it wide enough that they stay clear of
    // the bars (about 7 pixels a character at the default font size).
    let longest = sections
        .iter()
        .map(|s| s.chars().count())
        .max()
        .unwrap_or(0);
    let padding = (longest * 7 + 20).max(75);
    let _ = writeln!(
        out,
        "```mermaid\n%%{{init: {{\"gantt\": {{\"leftPadding\": {padding}}}}}}}%%\ngantt\n    title Calendar by strategy, from {}\n    dateFormat YYYY-MM-DD\n    axisFormat {axis}\n    tickInterval {tick}\n    todayMarker off",
        options.start
    );
    for (t, section) in a.timeline.iter().zip(&sections) {
        gantt_section(out, t, section, options, days_per_window);
    }
    let _ = writeln!(out, "```\n");
}

/// The average length of a change window in days.
pub(super) fn days_per_window(windows_per_year: u32) -> f64 {
    365.25 / f64::from(windows_per_year.max(1))
}

/// Axis labels that change from tick to tick: days for a chart of weeks, months for one of a
/// year or two, quarters and half-years beyond. The chart must not depend on the reader's date,
/// so there is no marker for today.
pub(super) fn gantt_axis(span_days: i64) -> (&'static str, &'static str) {
    match span_days {
        ..=90 => ("%d %b", "1week"),
        91..=400 => ("%b %Y", "1month"),
        401..=1100 => ("%b %Y", "3month"),
        _ => ("%b %Y", "6month"),
    }
}

/// A strategy's section title; the recommended one says so.
fn gantt_section_name(report: &Report, t: &Timeline) -> String {
    let name = gantt_text(report.strategy_name(t.strategy));
    if t.ruled_out_by.is_none() && t.strategy == report.assessment.recommendation.strategy {
        format!("{name} (recommended)")
    } else {
        name
    }
}

fn gantt_section(
    out: &mut String,
    t: &Timeline,
    section: &str,
    options: &RenderOptions,
    days_per_window: f64,
) {
    let _ = writeln!(out, "    section {section}");
    // The recommended strategy's bars are drawn as active (another colour).
    let tag = if section.ends_with("(recommended)") {
        "active, "
    } else {
        ""
    };
    for (i, phase) in t.phases.iter().enumerate() {
        let (start, end) = window_span(days_per_window, phase.first_window, phase.last_window);
        let id = format!("{}{i}", gantt_id(t.strategy));
        let _ = writeln!(
            out,
            "    {} :{tag}{id}, {}, {}d",
            gantt_text(&phase.name),
            options.start.plus_days(start),
            (end - start).max(1)
        );
    }
}

/// The days windows `first..=last` (1-based) span, counted from the start of the calendar:
/// the offset of their first day and of the day after their last. Every dated rendering (the
/// gantt chart, the runbook) uses this one rule.
pub(super) fn window_span(days_per_window: f64, first: u64, last: u64) -> (i64, i64) {
    let start = (first.saturating_sub(1) as f64 * days_per_window).round() as i64;
    let end = (last as f64 * days_per_window).round() as i64;
    (start, end)
}

fn gantt_id(strategy: Strategy) -> &'static str {
    match strategy {
        Strategy::Sequential => "seq",
        Strategy::BlueGreen => "bg",
        Strategy::Hybrid => "hy",
    }
}

/// Text for a mermaid gantt line (a task or section name), kept plain: one line (a line break
/// would end the task, or the code block), without `:` (ends a task name), `#` and `;`
/// (entity codes and statement ends), `%%` (a comment or directive), backticks (a fence),
/// and without `<`, `>` and `&` (markup in labels). A name that starts with a gantt keyword
/// (`section`, `title`, `click`, ...) would be read as that statement, so it is quoted.
pub(super) fn gantt_text(text: &str) -> String {
    let mut plain = crate::markdown::one_line(text)
        .replace([':', '#', ';', '`', '<', '>', '&', '{', '}'], " ")
        .replace('%', " percent ");
    plain = plain.split_whitespace().collect::<Vec<_>>().join(" ");
    const KEYWORDS: [&str; 16] = [
        "section",
        "title",
        "click",
        "dateformat",
        "axisformat",
        "tickinterval",
        "todaymarker",
        "excludes",
        "includes",
        "weekday",
        "weekend",
        "inclusiveenddates",
        "topaxis",
        "acctitle",
        "accdescr",
        "call",
    ];
    let first = plain
        .split(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    if KEYWORDS.contains(&first.as_str()) {
        plain = format!("\u{201c}{plain}\u{201d}");
    }
    if plain.is_empty() {
        plain.push('-');
    }
    plain
}

fn title_case(key: &str) -> String {
    let spaced = key.replace(['_', '-'], " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gantt_names_stay_one_plain_task_name() {
        assert_eq!(gantt_text("Build: Green #1"), "Build Green 1");
        assert_eq!(
            gantt_text("x\n```\n<img src=x onerror=alert(1)>"),
            "x img src=x onerror=alert(1)"
        );
        assert_eq!(
            gantt_text("section Forged"),
            "\u{201c}section Forged\u{201d}"
        );
        assert_eq!(gantt_text("90%% done"), "90 percent percent done");
    }

    #[test]
    fn the_axis_follows_the_span() {
        assert_eq!(gantt_axis(21), ("%d %b", "1week"));
        assert_eq!(gantt_axis(365), ("%b %Y", "1month"));
        assert_eq!(gantt_axis(1000), ("%b %Y", "3month"));
        assert_eq!(gantt_axis(2000), ("%b %Y", "6month"));
    }
}
