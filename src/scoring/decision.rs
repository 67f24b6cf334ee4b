//! The decision alone: feasibility, then preference with the calendar, then confidence. Every
//! what-if probe runs this, so it stays small.

use crate::answers::values::Answers;
use crate::checklist::model::Checklist;
use crate::checklist::strategy::{Strategy, Toward};
use crate::scoring::calendar;
use crate::scoring::confidence::{self, Confidence};
use crate::scoring::facts::Facts;
use crate::scoring::feasibility::{self};
use crate::scoring::preference::{self, Scores};
use crate::scoring::windows::When;

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
    /// The parallel strategy the lean pointed at reached the target no sooner than in place
    /// with no fewer risky changes, and applications ride through restarts, so in place won.
    pub no_calendar_gain: Option<Strategy>,
    /// The preferences lean Blue-Green, but no parallel strategy is possible.
    pub overruled: bool,
}

/// Decides the strategy: feasibility, then preference with the calendar `when` dates.
pub fn decide(checklist: &Checklist, answers: &Answers, when: &When) -> Decision {
    let facts = Facts::new(checklist, answers, when);
    decide_with(checklist, answers, &facts)
}

pub fn decide_with(checklist: &Checklist, answers: &Answers, facts: &Facts) -> Decision {
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
            // Applications ride through restarts: a parallel move must earn its cost. The
            // first possible one that runs production on the target sooner than in place, or
            // as soon with fewer risky production changes, wins.
            let in_place = calendar::cost(checklist, facts, Strategy::Sequential);
            match [Strategy::BlueGreen, Strategy::Hybrid]
                .into_iter()
                .filter(|&s| feasible(s))
                .find(|&s| calendar::cost(checklist, facts, s).beats(in_place))
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
pub fn unknown_questions<'c>(
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
