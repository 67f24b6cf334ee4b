//! The words around the decision: the rationale for the recommended plan, the risks and the
//! next steps.

use super::assessment::{RiskItem, UnknownAnswer};
use super::decision::Decision;
use super::facts::Facts;
use crate::answers::values::Answers;
use crate::base::text::{join_and, lower_first, plural};
use crate::checklist::model::Checklist;
use crate::checklist::strategy::{Strategy, Toward};
use crate::scoring::calendar::timeline::Timeline;
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
    let feasible = |s| super::feasibility::is_feasible(checklist, &decision.closed_gates, s);
    let seq = of(Strategy::Sequential);
    if let Some(parallel) = decision.no_calendar_gain
        && let (Some(p), Some(seq)) = (of(parallel), seq)
    {
        out.push(format!(
            "{} would run production on the target on {} ({}) against {} in place ({}): no sooner, with no fewer risky changes; applications ride through rolling restarts, so the cheaper, less disruptive in-place plan wins.",
            name(parallel),
            p.target_date,
            cost_text(p),
            seq.target_date,
            cost_text(seq),
        ));
    } else if facts.hops.is_empty() {
        // Said above: nothing to move, so nothing is built beside it.
    } else if decision.leaning == Toward::BlueGreen && strategy == Strategy::Sequential {
        out.push(
            "No parallel strategy is possible (see the strategies ruled out), so the upgrade happens in place.".to_string(),
        );
    } else if strategy == Strategy::Hybrid && feasible(Strategy::BlueGreen) {
        if let (Some(bg), Some(seq)) = (of(Strategy::BlueGreen), seq) {
            out.push(format!(
                "{} would run production on the target on {} ({}), no sooner than in place ({}) or with no fewer risky changes; {}, which keeps the shared layers in place, does better.",
                name(Strategy::BlueGreen),
                bg.target_date,
                cost_text(bg),
                seq.target_date,
                name(Strategy::Hybrid)
            ));
        }
    } else if strategy == Strategy::Hybrid {
        out.push(format!(
            "{} is not possible here (see the strategies ruled out); {} keeps the parallel move for the workload clusters.",
            name(Strategy::BlueGreen),
            name(Strategy::Hybrid)
        ));
    }
    out.push(checklist.strategy_text(strategy).summary.clone());
    let Some(seq) = seq else { return out };
    if facts.hops.is_empty() {
        return out;
    }
    if strategy == Strategy::Sequential {
        // A parallel plan that reaches the target sooner, and why it was not chosen.
        let sooner = [Strategy::BlueGreen, Strategy::Hybrid]
            .into_iter()
            .filter(|&s| feasible(s))
            .filter_map(of)
            .find(|p| p.target_date < seq.target_date);
        if let Some(p) = sooner
            && decision.no_calendar_gain.is_none()
        {
            let why = reasons(drivers, Toward::Sequential);
            out.push(format!(
                "{} would run production on the target sooner, on {} ({}) against {} in place ({}); in place is still preferred because {why}.",
                name(p.strategy),
                p.target_date,
                cost_text(p),
                seq.target_date,
                cost_text(seq),
            ));
        }
        return out;
    }
    let Some(chosen) = of(strategy) else {
        return out;
    };
    let closes = if chosen.close_date > seq.close_date {
        format!(
            "; the programme closes later, on {}, when the old side is retired after its rollback hold, which does not delay production",
            chosen.close_date
        )
    } else {
        format!(
            "; the programme closes on {}, when the old side is retired after its rollback hold",
            chosen.close_date
        )
    };
    if chosen.target_date < seq.target_date {
        out.push(format!(
            "Production runs the target everywhere on {} ({}) against {} hop by hop ({}){closes}.",
            chosen.target_date,
            cost_text(chosen),
            seq.target_date,
            cost_text(seq),
        ));
    } else {
        let why = reasons(drivers, Toward::BlueGreen);
        out.push(format!(
            "Production runs the target everywhere on {} ({}), no sooner than {} in place ({}){closes}; it is still preferred because {why}.",
            chosen.target_date,
            cost_text(chosen),
            seq.target_date,
            cost_text(seq),
        ));
    }
    out
}

/// How long a plan takes to the target and how many risky changes it makes, for a rationale:
/// "4 windows, 4 risky changes".
fn cost_text(t: &Timeline) -> String {
    format!(
        "{}, {}",
        plural(t.windows_to_target, "window", "windows"),
        plural(t.risky_changes, "risky change", "risky changes")
    )
}

/// The two strongest answered reasons leaning `toward`, joined, or a plain fallback.
fn reasons(drivers: &[Driver], toward: Toward) -> String {
    let why: Vec<String> = drivers
        .iter()
        .filter(|d| d.leans == toward && d.signal.is_none())
        .take(2)
        .map(|d| lower_first(d.reason.trim_end_matches('.')))
        .collect();
    if why.is_empty() {
        "the answers favour it".to_string()
    } else {
        join_and(&why)
    }
}

/// Risks from the answers; every unknown answer is a risk whose action is to find out.
/// The risks of the answers under `strategy`: a risk the checklist ties to other strategies
/// (`risk_for`, e.g. drains under an in-place plan) is left out.
pub fn risks(
    checklist: &Checklist,
    answers: &Answers,
    unknowns: &[UnknownAnswer],
    strategy: Strategy,
) -> Vec<RiskItem> {
    checklist
        .questions
        .iter()
        .filter_map(|q| {
            let value = answers.get(&q.id)?;
            let choice = q.choice_of(value)?;
            match (&choice.risk, choice.unknown) {
                (Some(risk), _)
                    if !risk.strategies.is_empty() && !risk.strategies.contains(&strategy) =>
                {
                    None
                }
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
