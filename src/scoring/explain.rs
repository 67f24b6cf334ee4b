//! The words around the decision: the rationale for the recommended plan, the risks and the
//! next steps.

use super::assessment::{RiskItem, UnknownAnswer};
use super::decision::Decision;
use super::facts::Facts;
use crate::answers::values::Answers;
use crate::base::text::{format_number, join_and, lower_first, plural};
use crate::checklist::model::Checklist;
use crate::checklist::strategy::{Strategy, Toward};
use crate::scoring::calendar::Timeline;
use crate::scoring::feasibility::Blocker;
use crate::scoring::preference::Driver;

pub fn rationale(
    checklist: &Checklist,
    decision: &Decision,
    drivers: &[Driver],
    timeline: &[Timeline],
    facts: &Facts,
) -> Vec<String> {
    let strategy = decision.strategy;
    let scores = &decision.scores;
    let mut out = Vec::new();
    if facts.hops.is_empty() {
        out.push(format!(
            "The workload clusters are already at {}: there is no minor version to upgrade; only the layers listed below may change.",
            facts.to
        ));
    }
    let side = if decision.leaning == Toward::BlueGreen {
        "Blue-Green"
    } else {
        "Sequential"
    };
    let top: Vec<String> = drivers
        .iter()
        .filter(|d| d.leans == decision.leaning)
        .take(3)
        .map(|d| d.question.clone())
        .collect();
    let led_by = if top.is_empty() {
        String::new()
    } else {
        format!(", led by {}", top.join(", "))
    };
    out.push(format!(
        "The preferences lean {side}: {} points for Blue-Green against {} for Sequential (Blue-Green needs a lead of {}){led_by}.",
        scores.blue_green, scores.sequential, scores.blue_green_needs
    ));
    let of = |s: Strategy| timeline.iter().find(|t| t.strategy == s);
    let name = |s: Strategy| checklist.strategy_text(s).name.as_str();
    if let Some(parallel) = decision.no_calendar_gain
        && let (Some(p), Some(seq)) = (of(parallel), of(Strategy::Sequential))
    {
        out.push(format!(
            "{} would take {} against {} in place, so it gains no calendar time; applications ride through rolling restarts, so the cheaper, less disruptive in-place plan wins.",
            name(parallel),
            plural(p.windows, "change window", "change windows"),
            plural(seq.windows, "window", "windows"),
        ));
    } else if facts.hops.is_empty() {
        // Said above: nothing to move, so nothing is built beside it.
    } else if decision.leaning == Toward::BlueGreen && strategy == Strategy::Sequential {
        out.push(
            "No parallel strategy is possible (see the strategies ruled out), so the upgrade happens in place.".to_string(),
        );
    } else if strategy == Strategy::Hybrid
        && super::feasibility::is_feasible(checklist, &decision.closed_gates, Strategy::BlueGreen)
    {
        out.push(format!(
            "{} would gain no calendar time over in place; {}, which keeps the shared layers in place, does.",
            name(Strategy::BlueGreen),
            name(Strategy::Hybrid)
        ));
    } else if strategy == Strategy::Hybrid {
        out.push(format!(
            "{} is not possible here (see the strategies ruled out); {} keeps the parallel move for the workload clusters.",
            name(Strategy::BlueGreen),
            name(Strategy::Hybrid)
        ));
    }
    out.push(checklist.strategy_text(strategy).summary.clone());
    if let (Some(chosen), Some(seq)) = (of(strategy), of(Strategy::Sequential))
        && strategy != Strategy::Sequential
    {
        if seq.windows > chosen.windows {
            out.push(format!(
                "On the calendar it needs about {} months ({}) against {} months ({}) hop by hop.",
                format_number(chosen.months),
                plural(chosen.windows, "window", "windows"),
                format_number(seq.months),
                plural(seq.windows, "window", "windows"),
            ));
        } else {
            let why: Vec<String> = drivers
                .iter()
                .filter(|d| d.leans == Toward::BlueGreen && d.signal.is_none())
                .take(2)
                .map(|d| lower_first(d.reason.trim_end_matches('.')))
                .collect();
            let because = if why.is_empty() {
                "the answers favour it".to_string()
            } else {
                join_and(&why)
            };
            out.push(format!(
                "It takes about {} months ({}), no less than {} months in place, and is still preferred because it spares the applications repeated in-place hops: {because}.",
                format_number(chosen.months),
                plural(chosen.windows, "window", "windows"),
                format_number(seq.months),
            ));
        }
    }
    out
}

/// Risks from the answers; every unknown answer is a risk whose action is to find out.
pub fn risks(
    checklist: &Checklist,
    answers: &Answers,
    unknowns: &[UnknownAnswer],
) -> Vec<RiskItem> {
    checklist
        .questions
        .iter()
        .filter_map(|q| {
            let value = answers.get(&q.id)?;
            let choice = q.choice_of(value)?;
            match (&choice.risk, choice.unknown) {
                (Some(risk), _) => Some(RiskItem {
                    question: q.id.clone(),
                    answer: value.to_string(),
                    risk: risk.description.clone(),
                    mitigation: risk.mitigation.clone(),
                }),
                (None, true) => {
                    let deciding = unknowns.iter().any(|u| u.question == q.id && u.deciding);
                    Some(RiskItem {
                        question: q.id.clone(),
                        answer: value.to_string(),
                        risk: if deciding {
                            format!("Nobody knows the answer to `{}`, and it could change the recommendation.", q.id)
                        } else {
                            format!("Nobody knows the answer to `{}`.", q.id)
                        },
                        mitigation: format!("Find out: {}", q.prompt),
                    })
                }
                (None, false) => None,
            }
        })
        .collect()
}

pub fn next_steps(
    checklist: &Checklist,
    strategy: Strategy,
    blockers: &[Blocker],
    risks: &[RiskItem],
) -> Vec<String> {
    let mut next_steps: Vec<String> = blockers.iter().map(|b| b.action.clone()).collect();
    next_steps.extend(risks.iter().map(|r| r.mitigation.clone()));
    next_steps.extend(checklist.strategy_text(strategy).next_steps.iter().cloned());
    let mut seen = std::collections::HashSet::new();
    next_steps.retain(|s| seen.insert(s.clone()));
    next_steps
}
