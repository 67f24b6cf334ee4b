//! The recommendation: a pure, deterministic function of a checklist and its answers, in
//! two stages.
//!
//! 1. [`feasibility`]: which strategies are possible. Must-have prerequisites (gates) rule a
//!    strategy out; should-have ones (blockers) leave it possible but open.
//! 2. [`preference`]: among the possible ones, which the costs and benefits favour, with the
//!    [`calendar`] as part of the decision. Then [`confidence`] says how sure that is.
//!
//! Nothing here reads files, prints or looks at a terminal.

pub mod calendar;
pub mod confidence;
mod explain;
pub mod facts;
pub mod feasibility;
pub mod preference;
pub mod probe;
pub mod rollup;
#[cfg(test)]
mod tests;
pub mod whatif;

use serde::Serialize;

pub use calendar::{LayerPlan, Method, Phase, PhaseKind, Timeline, months};
pub use confidence::Confidence;
pub use feasibility::{Blocker, ClosedGate, Feasibility, Level, Prerequisite, Status};
pub use preference::{Driver, Scores};

pub use crate::base::text::{format_number, plural};

use crate::answers::{AnswerValue, Answers};
use crate::checklist::model::Checklist;
use crate::checklist::strategy::{Strategy, Toward};
use crate::kube::version::Version;
use facts::Facts;

/// The outcome of an assessment.
#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    pub recommendation: Recommendation,
    pub scores: Scores,
    /// Preference contributions, largest first. Prerequisites are never drivers.
    pub drivers: Vec<Driver>,
    /// Every strategy's prerequisites, met or not, and whether it is possible.
    pub feasibility: Vec<Feasibility>,
    /// Missing should-have prerequisites of the recommended strategy.
    pub blockers: Vec<Blocker>,
    /// Questions answered `unknown`, with what each known answer would give.
    pub unknowns: Vec<UnknownAnswer>,
    pub risks: Vec<RiskItem>,
    pub next_steps: Vec<String>,
    pub layers: Vec<LayerPlan>,
    pub path: UpgradePath,
    /// The answers the calendar arithmetic used.
    pub calendar: CalendarBasis,
    pub timeline: Vec<Timeline>,
}

impl Assessment {
    /// Calendar months the recommended strategy needs.
    pub fn recommended_months(&self) -> f64 {
        self.timeline_of(self.recommendation.strategy)
            .map_or(0.0, |t| t.months)
    }

    pub fn timeline_of(&self, strategy: Strategy) -> Option<&Timeline> {
        self.timeline.iter().find(|t| t.strategy == strategy)
    }
}

#[derive(schemars::JsonSchema, Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CalendarBasis {
    pub clusters: u64,
    /// Batches of clusters, one per window (waves, for the parallel strategies).
    pub batches: u64,
    /// The most clusters changed in one window.
    pub clusters_per_window: u64,
    pub changes_per_window: u64,
    pub windows_per_year: u32,
}

#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Serialize)]
pub struct Recommendation {
    pub strategy: Strategy,
    pub name: String,
    pub confidence: Confidence,
    /// Why the confidence is not higher (empty when high).
    pub confidence_reasons: Vec<String>,
    /// Where the weighed preferences point: `blue-green` or `sequential`.
    pub leaning: Toward,
    /// Gates that closed, in checklist order, each with the answers that fired it.
    pub gates: Vec<ClosedGate>,
    /// Strategies that are not possible, with the gates that rule them out.
    pub ruled_out: Vec<RuledOut>,
    /// A few sentences explaining the recommended plan.
    pub rationale: Vec<String>,
}

#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Serialize)]
pub struct RuledOut {
    pub strategy: Strategy,
    pub gates: Vec<String>,
}

#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Serialize)]
pub struct RiskItem {
    pub question: String,
    pub answer: String,
    pub risk: String,
    pub mitigation: String,
}

#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Serialize)]
pub struct UpgradePath {
    pub from: Version,
    pub to: Version,
    /// Every in-place minor hop of the workload clusters.
    pub hops: Vec<Version>,
}

/// A question answered `unknown`, and the recommendation each known answer would give.
#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Serialize)]
pub struct UnknownAnswer {
    pub question: String,
    /// Some known answer changes the recommendation.
    pub deciding: bool,
    pub outcomes: Vec<Outcome>,
}

#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    pub answer: String,
    pub strategy: Strategy,
}

/// The decision alone, without its explanation: cheap enough for the what-if search to
/// evaluate thousands of times. Its confidence leaves out what needs a search (flips and
/// deciding unknowns); [`assess`] adds those.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub strategy: Strategy,
    pub confidence: Confidence,
    pub leaning: Toward,
    pub scores: Scores,
    /// Indexes of the gates that closed, into [`Checklist::gates`].
    pub closed_gates: Vec<usize>,
    /// The parallel strategy the lean pointed at gained no calendar time, and applications
    /// ride through restarts, so in place won.
    pub no_calendar_gain: Option<Strategy>,
    /// The preferences lean Blue-Green, but no parallel strategy is possible.
    pub overruled: bool,
}

/// Decides the strategy: feasibility, then preference with the calendar.
pub fn decide(checklist: &Checklist, answers: &Answers) -> Decision {
    let facts = Facts::new(checklist, answers);
    decide_with(checklist, answers, &facts)
}

fn decide_with(checklist: &Checklist, answers: &Answers, facts: &Facts) -> Decision {
    let scores = preference::scores(checklist, answers, facts);
    let leaning = scores.leaning();
    let closed_gates = feasibility::closed_gates(checklist, answers, facts);
    let feasible = |s| feasibility::is_feasible(checklist, &closed_gates, s);
    let mut no_calendar_gain = None;
    // Blue-Green falls back to Hybrid, and Hybrid to Sequential, as prerequisites fail.
    let parallel = [Strategy::BlueGreen, Strategy::Hybrid]
        .into_iter()
        .find(|&s| feasible(s));
    let strategy = match (leaning, parallel) {
        // Nothing to move: the workload clusters are at the target already.
        _ if facts.hops.is_empty() => Strategy::Sequential,
        (Toward::BlueGreen, Some(candidate)) if tolerates_restarts(checklist, answers, facts) => {
            // Applications ride through restarts: a parallel move must earn its cost on the
            // calendar. The first possible one that finishes sooner than in place wins.
            let in_place = calendar::windows(checklist, facts, Strategy::Sequential);
            match [Strategy::BlueGreen, Strategy::Hybrid]
                .into_iter()
                .filter(|&s| feasible(s))
                .find(|&s| calendar::windows(checklist, facts, s) < in_place)
            {
                Some(faster) => faster,
                None => {
                    no_calendar_gain = Some(candidate);
                    Strategy::Sequential
                }
            }
        }
        (Toward::BlueGreen, Some(candidate)) => candidate,
        _ => Strategy::Sequential,
    };
    let overruled = leaning == Toward::BlueGreen && parallel.is_none();
    let unknown_answers = unknown_questions(checklist, answers).count();
    let (confidence, _) = confidence::rate(
        &checklist.decision,
        confidence::Inputs {
            distance: scores.distance(),
            open_blockers: feasibility::open_blockers(checklist, answers, facts, strategy),
            overruled,
            unknown_answers,
            deciding_unknowns: 0,
            flips: 0,
        },
    );
    Decision {
        strategy,
        confidence,
        leaning,
        scores,
        closed_gates,
        no_calendar_gain,
        overruled,
    }
}

/// Whether applications are known to ride through rolling restarts.
fn tolerates_restarts(checklist: &Checklist, answers: &Answers, facts: &Facts) -> bool {
    checklist
        .decision
        .restarts_tolerated
        .as_ref()
        .is_some_and(|c| facts.holds(c, answers))
}

/// The questions answered with an `unknown` choice.
fn unknown_questions<'c>(
    checklist: &'c Checklist,
    answers: &'c Answers,
) -> impl Iterator<Item = &'c crate::checklist::model::Question> {
    // Only questions that offer an `unknown` choice are looked up: this runs in every probe.
    checklist.questions.iter().filter(|q| {
        q.choices().iter().any(|c| c.unknown)
            && answers
                .get(&q.id)
                .and_then(|v| q.choice_of(v))
                .is_some_and(|c| c.unknown)
    })
}

/// The recommendation with one answer changed, or `None` when the change does not apply.
fn with_change(
    probe: &mut probe::Probe<'_>,
    question: &str,
    value: AnswerValue,
) -> Option<Strategy> {
    probe.decide(&[(question, &value)]).map(|d| d.strategy)
}

/// Assesses the answers with the checklist: the decision and everything that explains it.
/// Pure and deterministic.
pub fn assess(checklist: &Checklist, answers: &Answers) -> Assessment {
    let facts = Facts::new(checklist, answers);
    let decision = decide_with(checklist, answers, &facts);
    let strategy = decision.strategy;
    let mut probe = probe::Probe::new(checklist, answers);

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

    let mut timeline = calendar::timelines(checklist, &facts);
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
    let risks = explain::risks(checklist, answers, &unknowns);
    let next_steps = explain::next_steps(checklist, strategy, &blockers, &risks);
    let rationale = explain::rationale(checklist, &decision, &drivers, &timeline, &facts);
    Assessment {
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
        layers: calendar::layers(checklist, &facts, strategy),
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
        },
        timeline,
    }
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
