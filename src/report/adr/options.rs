//! The considered options of a decision record: each strategy's good, neutral and bad
//! points, and what rolling it back means.

use crate::base::text::lower_first;
use crate::base::text::plural;
use crate::checklist::raw::PhaseKind;
use crate::checklist::strategy::{Strategy, Toward};
use crate::plan::Report;
use crate::report::blocks::{escape_inline, inline_code};
use crate::report::wording::timeline_figures;
use crate::scoring::calendar::timeline::Timeline;
use crate::scoring::feasibility::Level;
use crate::scoring::feasibility::Status;
use crate::scoring::preference::Driver;

/// Good, neutral and bad points of an option, from feasibility, the drivers and the timeline.
pub fn pros_and_cons(report: &Report, strategy: Strategy) -> Vec<String> {
    let a = &report.assessment;
    let mut good = Vec::new();
    let mut neutral = Vec::new();
    let mut bad = Vec::new();
    if strategy == a.recommendation.strategy {
        good.push("Good, because it is the recommendation.".to_string());
    }
    for r in a
        .recommendation
        .ruled_out
        .iter()
        .filter(|r| r.strategy == strategy)
    {
        for g in a
            .recommendation
            .gates
            .iter()
            .filter(|g| r.gates.contains(&g.id))
        {
            bad.push(format!(
                "Bad, because it is not possible here: {}",
                escape_inline(&g.reason)
            ));
        }
    }
    if let Some(f) = a.feasibility.iter().find(|f| f.strategy == strategy) {
        let met = f
            .prerequisites
            .iter()
            .filter(|p| p.status == Status::Met)
            .count() as u64;
        if met > 0 {
            good.push(format!(
                "Good, because {met} of its {} prerequisites are met.",
                f.prerequisites.len()
            ));
        }
        for p in &f.prerequisites {
            let need = escape_inline(&p.need);
            match (p.status, p.level) {
                (Status::Missing, Level::Should) => {
                    bad.push(format!("Bad, because a should-have is missing: {need}."))
                }
                (Status::Unknown, _) => {
                    neutral.push(format!("Neutral, because it is unknown whether: {need}."))
                }
                _ => {}
            }
        }
    }
    let side = strategy.leaning();
    let mut for_it = a.drivers.iter().filter(|d| d.weight > 0 && d.leans == side);
    let mut against = a
        .drivers
        .iter()
        .filter(|d| d.weight > 0 && d.leans != side && d.leans != Toward::Neutral);
    let argument = |verdict: &str, d: &Driver| {
        format!(
            "{verdict}, because {} ({} = {}, weight {}).",
            lower_first(&escape_inline(d.reason.trim_end_matches('.'))),
            inline_code(&d.question),
            escape_inline(&d.answer),
            d.weight
        )
    };
    good.extend(for_it.by_ref().take(3).map(|d| argument("Good", d)));
    bad.extend(against.by_ref().take(3).map(|d| argument("Bad", d)));
    if let Some(t) = a.timeline_of(strategy) {
        let soonest = a
            .timeline
            .iter()
            .filter(|t| t.ruled_out_by.is_none())
            .map(|t| t.target_date)
            .min();
        let line = timeline_figures(t);
        if soonest.is_some_and(|d| t.target_date <= d) {
            good.push(format!(
                "Good, because it reaches the target soonest: {line}."
            ));
        } else {
            neutral.push(format!(
                "Neutral, because it reaches the target later: {line}."
            ));
        }
        for line in rollback_consequences(t) {
            if line.starts_with("Good") {
                good.push(line);
            } else {
                bad.push(line);
            }
        }
    }
    if let Some(analysis) = &report.analysis
        && let Some(w) = analysis.what_if.iter().find(|w| w.strategy == strategy)
        && let Some(s) = w.scenarios.first()
    {
        let parts: Vec<String> = s
            .changes
            .iter()
            .map(|c| {
                format!(
                    "{} were {}",
                    inline_code(&c.question),
                    escape_inline(&c.to.to_string())
                )
            })
            .collect();
        neutral.push(format!(
            "Neutral, because it would be recommended if {}.",
            parts.join(" and ")
        ));
    }
    good.into_iter().chain(neutral).chain(bad).collect()
}

pub fn rollback_consequences(t: &Timeline) -> Vec<String> {
    let count = |kind: PhaseKind| t.phases.iter().filter(|p| p.kind == kind).count() as u64;
    let mut out = Vec::new();
    let in_place = count(PhaseKind::InPlace);
    if in_place > 0 {
        out.push(format!(
            "Bad, because {} in place cannot be rolled back once started: restore from backup or fix forward.",
            plural(in_place, "phase", "phases")
        ));
    }
    if count(PhaseKind::Wave) > 0 {
        let kept = t
            .phases
            .iter()
            .filter(|p| p.kind == PhaseKind::Rollback)
            .map(|p| p.last_window - p.first_window + 1)
            .sum::<u64>();
        out.push(format!(
            "Good, because the waves can move back until the old side is retired, which stays for {} after the last wave.",
            plural(kept, "window", "windows")
        ));
        out.push(
            "Bad, because the old and the new side run at the same time until the old one is retired, which needs capacity and double operations."
                .to_string(),
        );
    }
    out
}
