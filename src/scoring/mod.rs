//! The recommendation: a pure, deterministic function of a checklist and its answers, in
//! two stages.
//!
//! 1. [`feasibility`]: which strategies are possible. Must-have prerequisites (gates) rule a
//!    strategy out; should-have ones (blockers) leave it possible but open.
//! 2. [`preference`]: among the possible ones, which the costs and benefits favour, with the
//!    [`calendar`] as part of the decision. Then [`confidence`] says how sure that is.
//!
//! Nothing here reads files, prints or looks at a terminal.

pub mod assessment;
pub mod calendar;
pub mod confidence;
pub mod decision;
mod explain;
pub mod facts;
pub mod feasibility;
pub mod layers;
pub mod preference;
pub mod probe;
pub mod rollup;
#[cfg(test)]
mod tests;
pub mod whatif;
pub mod windows;

use assessment::{
    Assessment, CalendarBasis, Outcome, Recommendation, RuledOut, UnknownAnswer, UpgradePath,
};
use decision::{decide_with, unknown_questions};

use crate::answers::values::Answers;
use crate::checklist::model::Checklist;
use crate::checklist::strategy::Strategy;
use crate::checklist::value::AnswerValue;
use facts::Facts;
use windows::When;
use windows::window_error::WindowError;

/// The recommendation with one answer changed, or `None` when the change does not apply.
fn with_change(
    probe: &mut probe::Probe<'_>,
    question: &str,
    value: AnswerValue,
) -> Option<Strategy> {
    probe.decide(&[(question, &value)]).map(|d| d.strategy)
}

/// Assesses the answers with the checklist, dated on `when`: the decision and everything
/// that explains it. Pure and deterministic. Fails only when the calendar cannot date the
/// plans (a listed schedule runs out of dates, freezes cover every window for a year).
pub fn assess(
    checklist: &Checklist,
    answers: &Answers,
    when: &When,
) -> Result<Assessment, WindowError> {
    let facts = Facts::new(checklist, answers, when);
    let mut timeline = calendar::dates::timelines(checklist, &facts)?;
    let decision = decide_with(checklist, answers, &facts);
    let strategy = decision.strategy;
    let mut probe = probe::Probe::new(checklist, answers, when);

    // What each known answer to an unknown question would give.
    let unknowns: Vec<UnknownAnswer> = unknown_questions(checklist, answers)
        .map(|q| {
            let outcomes: Vec<Outcome> = q
                .choices()
                .iter()
                .filter(|c| !c.unknown)
                .filter_map(|c| {
                    let s = with_change(&mut probe, &q.id, AnswerValue::Choice(c.value.clone()))?;
                    Some(Outcome {
                        answer: c.value.clone(),
                        strategy: s,
                    })
                })
                .collect();
            UnknownAnswer {
                question: q.id.clone(),
                deciding: outcomes.iter().any(|o| o.strategy != strategy),
                outcomes,
            }
        })
        .collect();
    let flips = single_flips(checklist, answers, &mut probe, strategy);
    let blockers = feasibility::blockers(checklist, answers, &facts, strategy);
    let (confidence, confidence_reasons) = confidence::rate(
        &checklist.decision,
        confidence::Inputs {
            distance: decision.scores.distance(),
            open_blockers: blockers.len(),
            overruled: decision.overruled,
            unknown_answers: unknowns.len(),
            deciding_unknowns: unknowns.iter().filter(|u| u.deciding).count(),
            flips,
        },
    );

    let gates = feasibility::gates(checklist, answers, &facts, &decision.closed_gates);
    for t in &mut timeline {
        t.ruled_out_by = gates
            .iter()
            .find(|g| g.rules_out.contains(&t.strategy))
            .map(|g| g.id.clone());
    }
    let ruled_out = Strategy::ALL
        .into_iter()
        .filter_map(|s| {
            let by: Vec<String> = gates
                .iter()
                .filter(|g| g.rules_out.contains(&s))
                .map(|g| g.id.clone())
                .collect();
            (!by.is_empty()).then_some(RuledOut {
                strategy: s,
                gates: by,
            })
        })
        .collect();
    let drivers = preference::drivers(checklist, answers, &facts);
    let risks = explain::risks(checklist, answers, &unknowns, strategy);
    let next_steps = explain::next_steps(checklist, strategy, &blockers, &risks);
    let rationale = explain::rationale(checklist, &decision, &drivers, &timeline, &facts);
    Ok(Assessment {
        recommendation: Recommendation {
            strategy,
            name: checklist.strategy_text(strategy).name.clone(),
            confidence,
            confidence_reasons,
            leaning: decision.leaning,
            gates,
            ruled_out,
            rationale,
        },
        scores: decision.scores,
        drivers,
        feasibility: feasibility::feasibility(checklist, answers, &facts, &decision.closed_gates),
        blockers,
        unknowns,
        risks,
        next_steps,
        layers: layers::layers(checklist, &facts, strategy),
        path: UpgradePath {
            from: facts.from,
            to: facts.to,
            hops: facts.hops.clone(),
        },
        calendar: CalendarBasis {
            clusters: facts.clusters,
            batches: facts.batches,
            clusters_per_window: facts.per_window,
            changes_per_window: facts.changes_per_window,
            windows_per_year: facts.windows_per_year,
            start: facts.start,
            rollback_hold_days: facts.rollback_hold_days,
            schedule: calendar_of(&facts).schedule.describe(),
            time_zone: calendar_of(&facts).schedule.zone().name().to_string(),
            freezes: calendar_of(&facts).freezes.clone(),
        },
        timeline,
    })
}

/// The calendar the facts date with; [`assess`] has dated the timelines with it, so it is
/// there.
fn calendar_of(facts: &Facts) -> &windows::ChangeCalendar {
    facts
        .calendar
        .as_ref()
        .expect("the timelines were dated on this calendar")
}

/// How many single changes of a choice answer flip the recommendation.
fn single_flips(
    checklist: &Checklist,
    answers: &Answers,
    probe: &mut probe::Probe<'_>,
    current: Strategy,
) -> usize {
    checklist
        .questions
        .iter()
        .filter(|q| answers.get(&q.id).is_some())
        .map(|q| {
            let now = answers
                .get(&q.id)
                .map(ToString::to_string)
                .unwrap_or_default();
            q.choices()
                .iter()
                .filter(|c| !c.unknown && c.value != now)
                .filter(|c| {
                    with_change(probe, &q.id, AnswerValue::Choice(c.value.clone()))
                        .is_some_and(|s| s != current)
                })
                .count()
        })
        .sum()
}
