//! Sentences more than one format prints the same way (the table and the markdown say the
//! same thing about a fleet or a what-if result).

use std::collections::BTreeMap;

use crate::base::text::{duration_text, format_number, plural};
use crate::plan::Report;
use crate::scan::model::ScanReport;
use crate::scoring::calendar::timeline::Timeline;
use crate::scoring::rollup::FleetSummary;
use crate::scoring::whatif::{Analysis, Sensitivity};

/// Which answers the result hangs on, in a sentence.
pub fn sensitivity_text(s: &Sensitivity) -> String {
    if s.robust {
        return "Robust: no single answer change the search tried flips the recommendation."
            .to_string();
    }
    let flips: Vec<String> = s
        .flips
        .iter()
        .map(|f| {
            format!(
                "{} ({} gives {})",
                f.change.question, f.change.to, f.strategy
            )
        })
        .collect();
    format!("One change flips it: {}.", flips.join(", "))
}

/// What the what-if search held fixed, in a sentence.
pub fn held_fixed_text(analysis: &Analysis) -> String {
    let mut text = format!(
        "The search changes answers only, one or two at a time, and assesses each scenario shown with its changes applied; it holds fixed {}.",
        analysis.held_fixed.join(", ")
    );
    if !analysis.search.complete {
        text.push_str(&format!(
            " The search was cut short at its work limit after {}: the checklist is too large to try every change, so a strategy shown as out of reach may still be reachable, and more scenarios may exist.",
            plural(analysis.search.decisions as u64, "decision", "decisions")
        ));
    }
    text
}

/// What the target column of a fleet overview gives.
pub const OWN_WORK: &str = "Target: the day production runs the target in the environment, as the fleet schedules it (its own work after its Supervisor's shared steps); the order of work gives the same dates.";

/// The fleet's calendar in a sentence: when production runs the target everywhere, the
/// months to it against every environment hop by hop, the close and the risky changes.
pub fn fleet_calendar_text(fleet: &FleetSummary) -> String {
    let c = &fleet.calendar;
    format!(
        "Production runs the target in every environment on {} with the recommended mix ({}, {} months), against {} months with every environment hop by hop; the last old side is retired on {}; {} in all.",
        c.target_date,
        duration_text(c.recommended_months),
        format_number(c.recommended_months),
        format_number(c.all_sequential_months),
        c.close_date,
        plural(
            c.risky_changes,
            "risky production change",
            "risky production changes"
        ),
    )
}

/// A strategy's two figures and its risk, as a clause: "production runs the target
/// everywhere on 2027-06-05 (about 5 months, 5 windows, 5 risky changes); the programme
/// closes on 2027-06-20".
pub fn timeline_figures(t: &Timeline) -> String {
    format!(
        "production runs the target everywhere on {} (about {} months, {}, {}); the programme closes on {}",
        t.target_date,
        format_number(t.months),
        plural(t.windows_to_target, "window", "windows"),
        plural(t.risky_changes, "risky change", "risky changes"),
        t.close_date
    )
}

/// The target's end of life and the newer target, in a sentence, when the report offers one.
pub fn newer_target_text(report: &Report) -> Option<String> {
    let n = report.newer_target.as_ref()?;
    let a = &report.assessment;
    let reached = a.timeline_of(a.recommendation.strategy)?.target_date;
    let figures: Vec<String> = n
        .strategies
        .iter()
        .map(|f| {
            let mark = if f.strategy == n.recommended {
                " (then recommended)"
            } else {
                ""
            };
            format!(
                "{}{mark} on {} with {}",
                report.strategy_name(f.strategy),
                f.target_date,
                plural(f.risky_changes, "risky change", "risky changes")
            )
        })
        .collect();
    let verb = if n.target_end_of_life < report.dates.today {
        "reached"
    } else {
        "reaches"
    };
    Some(format!(
        "The target {} {verb} its upstream end of life on {}, and this plan puts production on it on {reached}. The newest release the data knows is {} (supported until {}); aimed at it, production would run it: {}. Decide on the target before the first window.",
        n.target,
        n.target_end_of_life,
        n.version,
        n.end_of_life,
        figures.join("; ")
    ))
}

/// How many environments get each strategy, in a sentence.
pub fn counts(fleet: &FleetSummary) -> String {
    let parts: Vec<String> = fleet
        .strategies
        .iter()
        .map(|(s, n)| format!("{s}: {n}"))
        .collect();
    format!("{} environments; {}.", fleet.environments, parts.join(", "))
}

/// The line after a scan's list of what was skipped, when the list stops short.
pub fn skipped_not_listed(report: &ScanReport) -> Option<String> {
    (report.skipped_not_listed > 0).then(|| {
        format!(
            "and {} more not listed ({} skipped in all)",
            report.skipped_not_listed, report.documents.skipped
        )
    })
}

/// A scan in one sentence: what was read, against which target, and the findings by rule.
pub fn scan_summary(report: &ScanReport) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for f in &report.findings {
        *counts.entry(f.rule.id()).or_default() += 1;
    }
    let list: Vec<String> = counts.iter().map(|(r, n)| format!("{r}: {n}")).collect();
    format!(
        "Scanned {} against Kubernetes {} ({} skipped). {}",
        crate::base::text::plural(report.documents.read as u64, "object", "objects"),
        report.target,
        report.documents.skipped,
        if list.is_empty() {
            "No findings.".to_string()
        } else {
            format!("Findings: {}.", list.join(", "))
        }
    )
}
