//! The calendar in markdown: the timeline table by strategy and the mermaid gantt charts
//! (a single report's strategies side by side; a fleet's Supervisors and environments). The
//! bars come dated from `plan`; this file only draws them.

use std::fmt::Write;

use crate::base::text::format_number;
use crate::base::text::plural;
use crate::plan::Report;
use crate::plan::dating::{Bar, freeze_bars, timeline_bars};
use crate::plan::fleet::{FleetReport, GANTT_LIMIT};
use crate::report::blocks::Align::{Left as L, Right as R};
use crate::report::blocks::{cell, escape_inline, one_line, table};
use crate::report::render::RenderOptions;
use crate::scoring::calendar::timeline::Timeline;

pub fn timeline_section(out: &mut String, report: &Report, options: &RenderOptions) {
    let a = &report.assessment;
    let basis = &a.calendar;
    let _ = writeln!(out, "## Timeline\n");
    let _ = writeln!(
        out,
        "Change windows on {} ({}), from {}, {} per window, with {} upgraded in {}; the old side of a parallel plan is kept {} for rollback. These are minimums: validation and remediation come on top.\n",
        one_line(&basis.schedule),
        one_line(&basis.time_zone),
        options.start,
        plural(basis.changes_per_window, "change", "changes"),
        plural(basis.clusters, "workload cluster", "workload clusters"),
        plural(basis.batches, "batch", "batches"),
        plural(u64::from(basis.rollback_hold_days), "day", "days"),
    );
    table(
        out,
        &[
            ("Strategy", L),
            ("Production on the target", L),
            ("Months", R),
            ("Windows", R),
            ("Risky changes", R),
            ("Closes", L),
            ("Note", L),
        ],
        a.timeline.iter().map(|t| {
            vec![
                cell(report.strategy_name(t.strategy)),
                t.target_date.to_string(),
                format_number(t.months),
                t.windows_to_target.to_string(),
                t.risky_changes.to_string(),
                t.close_date.to_string(),
                lane_note(report, t),
            ]
        }),
    );
    let _ = writeln!(
        out,
        "Production on the target: the day the last hop or cut-over is done; months count to it. Closes: the old side retired after its rollback hold. Risky changes: in-place hops (each batch's) and cut-overs.\n"
    );
    freezes_and_skipped(out, report);
    let (bars, span) = timeline_bars(&a.timeline, options.start);
    let end = options.start.plus_days(span - 1);
    let freezes = freeze_bars(&basis.freezes, options.start, end);
    let (axis, tick) = gantt_axis(span);
    let sections: Vec<String> = a
        .timeline
        .iter()
        .map(|t| gantt_section_name(report, t))
        .collect();
    let padding = left_padding(sections.iter().cloned());
    let _ = writeln!(
        out,
        "```mermaid\n%%{{init: {{\"gantt\": {{\"leftPadding\": {padding}}}}}}}%%\ngantt\n    title Calendar by strategy, from {}\n    dateFormat YYYY-MM-DD\n    axisFormat {axis}\n    tickInterval {tick}\n    todayMarker off",
        options.start
    );
    if !freezes.is_empty() {
        let _ = writeln!(out, "    section Freezes");
        for (i, bar) in freezes.iter().enumerate() {
            task(out, bar, &format!("done, frz{i}"));
        }
    }
    for ((t, section), bars) in a.timeline.iter().zip(&sections).zip(&bars) {
        gantt_section(out, report, t, section, bars);
    }
    let _ = writeln!(out, "```\n");
}

/// What the timeline table says of a strategy beside its figures: ruled out, or recommended.
/// (Why it is ruled out is said under the prerequisites, in words; the gate's id is for JSON.)
pub fn lane_note(report: &Report, t: &Timeline) -> String {
    match (
        &t.ruled_out_by,
        t.strategy == report.assessment.recommendation.strategy,
    ) {
        (Some(_), _) => "ruled out".to_string(),
        (None, true) => "recommended".to_string(),
        (None, false) => String::new(),
    }
}

/// The freezes of the calendar and the windows they skipped in the recommended plan.
fn freezes_and_skipped(out: &mut String, report: &Report) {
    let a = &report.assessment;
    if a.calendar.freezes.is_empty() {
        return;
    }
    let _ = writeln!(out, "Freezes (no change window falls in one):\n");
    for f in &a.calendar.freezes {
        let _ = writeln!(
            out,
            "- {} to {}: {}",
            f.from,
            f.to,
            escape_inline(&f.reason)
        );
    }
    let _ = writeln!(out);
    let Some(t) = a.timeline_of(a.recommendation.strategy) else {
        return;
    };
    if t.skipped_windows.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "Windows the recommended plan skips for a freeze: {}.\n",
        t.skipped_windows
            .iter()
            .map(|s| format!("{} ({})", s.date, escape_inline(&s.freeze.reason)))
            .collect::<Vec<_>>()
            .join(", ")
    );
}

/// The gantt's left margin for these section names: wide enough that they stay clear of the
/// bars (about 7 pixels a character at the default font size).
fn left_padding(sections: impl Iterator<Item = String>) -> usize {
    let longest = sections.map(|s| s.chars().count()).max().unwrap_or(0);
    (longest * 7 + 20).max(75)
}

/// Axis labels that change from tick to tick: days for a chart of weeks, months for one of a
/// year or two, quarters and half-years beyond. The chart must not depend on the reader's date,
/// so there is no marker for today.
pub fn gantt_axis(span_days: i64) -> (&'static str, &'static str) {
    match span_days {
        ..=90 => ("%d %b", "1week"),
        91..=400 => ("%b %Y", "1month"),
        401..=1100 => ("%b %Y", "3month"),
        _ => ("%b %Y", "6month"),
    }
}

/// A strategy's section title; the recommended one and the ruled-out ones say so.
fn gantt_section_name(report: &Report, t: &Timeline) -> String {
    let name = gantt_text(report.strategy_name(t.strategy));
    match lane_note(report, t).as_str() {
        "" => name,
        note => format!("{name} ({note})"),
    }
}

/// A strategy's lane: the recommended one drawn strongest (`crit`), a ruled-out one greyed
/// (`done`) and named so, the others plain.
fn gantt_section(out: &mut String, report: &Report, t: &Timeline, section: &str, bars: &[Bar]) {
    let _ = writeln!(out, "    section {section}");
    let tag = match (
        &t.ruled_out_by,
        t.strategy == report.assessment.recommendation.strategy,
    ) {
        (Some(_), _) => "done, ",
        (None, true) => "crit, ",
        (None, false) => "",
    };
    for (i, bar) in bars.iter().enumerate() {
        task(out, bar, &format!("{tag}{}{i}", t.strategy.short_id()));
    }
}

/// A dated bar as a gantt task: its name, then `tags` (`crit, `, `active, `, or none) with
/// its id, its first day and its length.
fn task(out: &mut String, bar: &Bar, tags_and_id: &str) {
    let _ = writeln!(
        out,
        "    {} :{tags_and_id}, {}, {}d",
        gantt_text(&bar.name),
        bar.start,
        bar.days
    );
}

/// Text for a mermaid gantt line (a task or section name), kept plain: one line (a line break
/// would end the task, or the code block), without `:` (ends a task name), `#` and `;`
/// (entity codes and statement ends), `%%` (a comment or directive), backticks (a fence),
/// and without `<`, `>` and `&` (markup in labels). A name that starts with a gantt keyword
/// (`section`, `title`, `click`, ...) would be read as that statement, so it is quoted.
pub fn gantt_text(text: &str) -> String {
    let mut plain = one_line(text)
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

/// The fleet's calendar as a mermaid gantt: each Supervisor's shared steps first, then every
/// environment's own phases after its Supervisor, from `--start`.
pub fn fleet_gantt(out: &mut String, fleet: &FleetReport, options: &RenderOptions) {
    let Some(chart) = fleet.chart() else {
        let _ = writeln!(
            out,
            "The chart is left out above {GANTT_LIMIT} environments; the order of work lists every step.\n"
        );
        return;
    };
    let (axis, tick) = gantt_axis(chart.span_days);
    let sections = fleet
        .fleet
        .supervisors
        .iter()
        .map(|s| format!("Supervisor {}", gantt_text(&s.name)))
        .chain(
            fleet
                .members
                .iter()
                .map(|m| gantt_text(&format!("{} ({})", m.name, m.strategy_name))),
        );
    let _ = writeln!(
        out,
        "```mermaid\n%%{{init: {{\"gantt\": {{\"leftPadding\": {}}}}}}}%%\ngantt\n    title Fleet calendar, from {}\n    dateFormat YYYY-MM-DD\n    axisFormat {axis}\n    tickInterval {tick}\n    todayMarker off",
        left_padding(sections),
        options.start
    );
    for (i, (s, bar)) in fleet
        .fleet
        .supervisors
        .iter()
        .zip(&chart.supervisors)
        .enumerate()
    {
        let _ = writeln!(out, "    section Supervisor {}", gantt_text(&s.name));
        task(out, bar, &format!("crit, sup{i}"));
    }
    for (e, (m, bars)) in fleet.members.iter().zip(&chart.environments).enumerate() {
        let _ = writeln!(
            out,
            "    section {}",
            gantt_text(&format!("{} ({})", m.name, m.strategy_name))
        );
        for (i, bar) in bars.iter().enumerate() {
            task(out, bar, &format!("env{e}p{i}"));
        }
    }
    let _ = writeln!(out, "```\n");
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
