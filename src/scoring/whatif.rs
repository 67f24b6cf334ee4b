//! What would have to change for another strategy to win, and which answers the result hangs on.
//!
//! An exhaustive search over single answer changes, then over pairs for the strategies no
//! single change reaches. Every claim is checked by deciding again with the changes applied.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::answers::values::Answers;
use crate::checklist::model::Checklist;
use crate::checklist::model::QuestionKind;
use crate::checklist::strategy::Strategy;
use crate::checklist::value::AnswerValue;
use crate::kube::releases::SupportTable;
use crate::kube::version::Version;
use crate::scoring::confidence::Confidence;
use crate::scoring::decision::decide;
use crate::scoring::probe::Probe;
use crate::scoring::windows::When;

/// How many scenarios a report lists per strategy; the rest are counted.
pub const SHOWN: usize = 5;

/// One answer changed.
#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub question: String,
    /// The answer now (`None` when the question is unanswered).
    pub from: Option<AnswerValue>,
    pub to: AnswerValue,
}

/// A set of changes that makes a strategy the recommendation, checked by assessing the
/// answers with the changes applied.
#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Serialize)]
pub struct Scenario {
    pub changes: Vec<Change>,
    /// The confidence the full assessment gives with the changes applied.
    pub confidence: Confidence,
}

/// For one strategy that was not recommended: the smallest sets of changes that make it win.
#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Serialize)]
pub struct WhatIf {
    pub strategy: Strategy,
    /// Changes per scenario: 1 or 2; 0 when neither one nor two changes reach the strategy.
    pub changes_needed: usize,
    /// The best scenarios (highest confidence first), at most [`SHOWN`], each assessed in
    /// full with its changes applied.
    pub scenarios: Vec<Scenario>,
    /// Further scenarios the search found, not listed and not assessed in full.
    pub more: usize,
}

/// A single change that flips the recommendation.
#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Serialize)]
pub struct Flip {
    #[serde(flatten)]
    pub change: Change,
    pub strategy: Strategy,
}

/// Which answers the recommendation hangs on.
#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Serialize)]
pub struct Sensitivity {
    /// No single change flips the recommendation.
    pub robust: bool,
    /// Questions where one change flips it, in checklist order, with the first such change.
    pub flips: Vec<Flip>,
}

#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Serialize)]
pub struct Analysis {
    pub what_if: Vec<WhatIf>,
    pub sensitivity: Sensitivity,
    /// What the search holds fixed: it varies answers only, never the `calendar:` block.
    pub held_fixed: Vec<String>,
    /// How far the search went: whether it tried everything, or stopped at its work limit.
    pub search: SearchExtent,
}

/// How far a what-if search went. The search is bounded by the work it does (decisions times
/// the checklist's size), so a very large checklist gets a partial search, never a long wait.
#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SearchExtent {
    /// Every change and pair of changes the search meant to try was tried, and every
    /// scenario it meant to assess in full was assessed.
    pub complete: bool,
    /// Decisions made: one per single change or pair tried, and per probe of each scenario
    /// assessed in full.
    pub decisions: usize,
    /// The most work a search may do, in questions, gates, blockers and signals evaluated.
    pub work_limit: usize,
}

/// The most work one what-if search does, in questions, gates, blockers and signals
/// evaluated (each decision evaluates the whole checklist once). A built-in checklist's
/// search needs at most about 230,000 (every pair of its some 60 changes, and 40 full
/// assessments), so it always ends (`tests/properties.rs` checks it); the work is reserved
/// for the full assessments first, so the scenarios found can still be assessed.
pub const WORK_LIMIT: usize = 400_000;

/// The work done so far, against [`WORK_LIMIT`].
struct Work {
    /// What one decision costs: the checklist's questions, gates, blockers and signals.
    per_decision: usize,
    done: usize,
    decisions: usize,
    cut_short: bool,
}

impl Work {
    fn new(checklist: &Checklist) -> Work {
        Work {
            per_decision: checklist.questions.len()
                + checklist.gates.len()
                + checklist.blockers.len()
                + checklist.signals.len()
                + 1,
            done: 0,
            decisions: 0,
            cut_short: false,
        }
    }

    /// Takes the work of `decisions` decisions, if it stays within `limit`; otherwise notes
    /// that the search was cut short.
    fn take(&mut self, decisions: usize, limit: usize) -> bool {
        let cost = decisions.saturating_mul(self.per_decision);
        if self.done.saturating_add(cost) > limit {
            self.cut_short = true;
            return false;
        }
        self.done += cost;
        self.decisions += decisions;
        true
    }
}

/// The most scenarios per strategy assessed in full to find the [`SHOWN`] ones.
const CHECKED: usize = 4 * SHOWN;

/// The scenarios that hold, in the order given, at most [`SHOWN`]: each assessed in full with
/// its changes applied (resolved as a file would be), kept only when that assessment
/// recommends `strategy`, with the confidence it gives; then the best first. Returns them and
/// how many found scenarios were left unchecked.
fn assessed(
    checklist: &Checklist,
    answers: &Answers,
    when: &When,
    strategy: Strategy,
    found: Vec<Scenario>,
    work: &mut Work,
) -> (Vec<Scenario>, usize) {
    let total = found.len();
    let mut shown = Vec::new();
    let mut checked = 0;
    // A full assessment decides once, then once per other choice of each answered question.
    let per_assessment = 1 + candidates(checklist, answers).len();
    for scenario in found {
        if shown.len() == SHOWN || checked == CHECKED {
            break;
        }
        if !work.take(per_assessment, WORK_LIMIT) {
            break;
        }
        checked += 1;
        let mut given = answers.given();
        for c in &scenario.changes {
            given.insert(c.question.clone(), c.to.clone());
        }
        let Ok(changed) = Answers::resolve(checklist, given, &|_| None) else {
            continue;
        };
        if let Ok(a) = super::assess(checklist, &changed, when)
            && a.recommendation.strategy == strategy
        {
            shown.push(Scenario {
                changes: scenario.changes,
                confidence: a.recommendation.confidence,
            });
        }
    }
    shown.sort_by_key(|s| confidence_rank(s.confidence));
    (shown, total - checked)
}

fn confidence_rank(confidence: Confidence) -> u8 {
    match confidence {
        Confidence::High => 0,
        Confidence::Medium => 1,
        Confidence::Low => 2,
    }
}

/// What the search does not vary, in words: the calendar block (windows set by the change
/// board, freezes set by the business, its zone) and the start date are constraints, not
/// answers; with no `calendar.windows` the cadence is the `change_window` answer, which is
/// varied like any other.
fn held_fixed(when: &When) -> Vec<String> {
    let mut out = vec!["the start date".to_string()];
    if let Some(spec) = &when.spec {
        if spec.windows.is_some() {
            out.push(
                "calendar.windows (the change board's windows; change_window then moves no date)"
                    .to_string(),
            );
        }
        if spec.freezes.as_ref().is_some_and(|f| !f.is_empty()) {
            out.push("calendar.freezes (business blackouts)".to_string());
        }
        if spec.time_zone.is_some() {
            out.push("calendar.time_zone".to_string());
        }
        if spec.rollback_hold_days.is_some() {
            out.push("calendar.rollback_hold_days".to_string());
        }
    }
    out
}

/// Searches the answers' neighbourhood. `answers` gave `current` as the recommendation.
pub fn analyse(checklist: &Checklist, answers: &Answers, when: &When) -> Analysis {
    let decision = decide(checklist, answers, when);
    let current = decision.strategy;
    let candidates = candidates(checklist, answers);
    let mut work = Work::new(checklist);
    let mut probe = Probe::new(checklist, answers, when);
    // For each strategy, the closed gates that rule it out: a pair can make it the
    // recommendation only if, for each of them, one of its two changes can open it. Per
    // candidate, a bit per such gate (gates past 64 make every candidate count).
    let reopens: Vec<Vec<u64>> = Strategy::ALL
        .into_iter()
        .map(|s| {
            let closing: Vec<&crate::checklist::model::Gate> = decision
                .closed_gates
                .iter()
                .map(|&g| &checklist.gates[g])
                .filter(|g| g.rules_out.contains(&s))
                .collect();
            candidates
                .iter()
                .map(|c| {
                    closing.iter().enumerate().fold(0u64, |bits, (k, gate)| {
                        if k >= 64 || probe.can_change(&c.question, &gate.when) {
                            bits | (1 << k.min(63))
                        } else {
                            bits
                        }
                    })
                })
                .chain(std::iter::once(needed_bits(closing.len())))
                .collect()
        })
        .collect();
    let mut outcome = |changes: &[&Change], work: &mut Work, limit: usize| {
        if !work.take(1, limit) {
            return None;
        }
        let changes: Vec<(&str, &AnswerValue)> = changes
            .iter()
            .map(|c| (c.question.as_str(), &c.to))
            .collect();
        let decision = probe.decide(&changes)?;
        Some((decision.strategy, decision.confidence))
    };

    // The full assessments of the scenarios found (at most CHECKED for each of two
    // strategies) keep their work, or half of it; the singles and pairs may use the rest.
    let reserve = (2 * CHECKED * (1 + candidates.len()))
        .saturating_mul(work.per_decision)
        .min(WORK_LIMIT / 2);
    let search_limit = WORK_LIMIT - reserve;
    let singles: Vec<Option<(Strategy, Confidence)>> = candidates
        .iter()
        .map(|c| outcome(&[c], &mut work, search_limit))
        .collect();
    let single_reaches = |s: Strategy| singles.iter().any(|o| o.is_some_and(|(x, _)| x == s));
    let others: Vec<Strategy> = Strategy::ALL
        .into_iter()
        .filter(|&s| s != current)
        .collect();

    // Pairs only for the strategies no single change reaches, and only pairs that can open
    // every gate that rules such a strategy out.
    let wanted: Vec<usize> = Strategy::ALL
        .into_iter()
        .enumerate()
        .filter(|&(_, s)| s != current && !single_reaches(s))
        .map(|(k, _)| k)
        .collect();
    let mut pairs: Vec<(usize, usize, Strategy, Confidence)> = Vec::new();
    if !wanted.is_empty() {
        let n = candidates.len();
        let can_matter = |i: usize, j: usize| {
            wanted.iter().any(|&k| {
                let bits = &reopens[k];
                bits[i] | bits[j] == bits[n]
            })
        };
        'pairs: for i in 0..n {
            for j in i + 1..n {
                if candidates[i].question == candidates[j].question || !can_matter(i, j) {
                    continue;
                }
                if work.cut_short {
                    break 'pairs;
                }
                if let Some((s, confidence)) =
                    outcome(&[&candidates[i], &candidates[j]], &mut work, search_limit)
                    && s != current
                    && !single_reaches(s)
                {
                    pairs.push((i, j, s, confidence));
                }
            }
        }
    }

    let what_if: Vec<WhatIf> = others
        .iter()
        .map(|&strategy| {
            let mut found: Vec<Scenario> = if single_reaches(strategy) {
                candidates
                    .iter()
                    .zip(&singles)
                    .filter_map(|(c, o)| match o {
                        Some((s, confidence)) if *s == strategy => Some(Scenario {
                            changes: vec![c.clone()],
                            confidence: *confidence,
                        }),
                        _ => None,
                    })
                    .collect()
            } else {
                pairs
                    .iter()
                    .filter(|(_, _, s, _)| *s == strategy)
                    .map(|(i, j, _, confidence)| Scenario {
                        changes: vec![candidates[*i].clone(), candidates[*j].clone()],
                        confidence: *confidence,
                    })
                    .collect()
            };
            // Highest confidence first; the sort is stable, so checklist order breaks ties. The
            // quick decision's confidence leaves out flips and unknowns, so the best are then
            // assessed in full and say what that gives.
            found.sort_by_key(|s| confidence_rank(s.confidence));
            let changes_needed = found.first().map_or(0, |s| s.changes.len());
            let (found, more) = assessed(checklist, answers, when, strategy, found, &mut work);
            let changes_needed = if found.is_empty() { 0 } else { changes_needed };
            WhatIf {
                strategy,
                changes_needed,
                scenarios: found,
                more,
            }
        })
        .collect();

    let mut flips: Vec<Flip> = Vec::new();
    for (change, outcome) in candidates.iter().zip(&singles) {
        if let Some((strategy, _)) = outcome
            && *strategy != current
            && !flips.iter().any(|f| f.change.question == change.question)
        {
            flips.push(Flip {
                change: change.clone(),
                strategy: *strategy,
            });
        }
    }
    Analysis {
        what_if,
        sensitivity: Sensitivity {
            robust: flips.is_empty(),
            flips,
        },
        held_fixed: held_fixed(when),
        search: SearchExtent {
            complete: !work.cut_short,
            decisions: work.decisions,
            work_limit: WORK_LIMIT,
        },
    }
}

/// A bit for each of `gates` gates (all 64 when there are more).
fn needed_bits(gates: usize) -> u64 {
    if gates >= 64 {
        u64::MAX
    } else {
        (1u64 << gates) - 1
    }
}

/// Every single change worth trying: each other choice of every answered choice question,
/// nearby and halved/doubled counts, and smaller or slightly larger jumps of the target.
pub fn candidates(checklist: &Checklist, answers: &Answers) -> Vec<Change> {
    let mut out = Vec::new();
    for question in &checklist.questions {
        let Some(current) = answers.get(&question.id) else {
            continue;
        };
        // Only this question's own changes can repeat one another.
        let first = out.len();
        let mut push = |to: AnswerValue| {
            if &to != current && !out[first..].iter().any(|c: &Change| c.to == to) {
                out.push(Change {
                    question: question.id.clone(),
                    from: Some(current.clone()),
                    to,
                });
            }
        };
        match (&question.kind, current) {
            (QuestionKind::Choice { choices, .. }, _) => {
                // "We do not know" is never a way to reach a strategy.
                for choice in choices.iter().filter(|c| !c.unknown) {
                    push(AnswerValue::Choice(choice.value.clone()));
                }
            }
            (QuestionKind::Integer { min, max }, AnswerValue::Integer(n)) => {
                let n = *n;
                let limit = max.unwrap_or(u64::MAX);
                for value in [*min, n / 2, n.saturating_sub(1), n + 1, n.saturating_mul(2)] {
                    if value >= *min && value <= limit {
                        push(AnswerValue::Integer(value));
                    }
                }
            }
            (QuestionKind::Version, AnswerValue::Version(target))
                if question.id == checklist.bindings.target_version =>
            {
                let Some(from) = answers
                    .get(&checklist.bindings.current_version)
                    .and_then(AnswerValue::as_version)
                else {
                    continue;
                };
                // Smaller jumps down to one hop, and one or two minors further: only releases
                // the release data knows.
                let known = SupportTable::builtin();
                for minor in from.minor + 1..=target.minor + 2 {
                    let version = Version::new(target.major, minor);
                    if from.major == target.major && known.release(version).is_some() {
                        push(AnswerValue::Version(version));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// The scenario in words: `spare_capacity were yes (now limited) and shared_supervisor were no (now yes)`.
pub fn describe(changes: &[Change]) -> String {
    let parts: Vec<String> = changes
        .iter()
        .map(|c| match &c.from {
            Some(from) => format!("{} were {} (now {from})", c.question, c.to),
            None => format!("{} were {}", c.question, c.to),
        })
        .collect();
    parts.join(" and ")
}

impl Answers {
    /// The answers the user gave (not defaults), for changing and resolving again.
    pub fn given(&self) -> BTreeMap<String, AnswerValue> {
        self.values()
            .iter()
            .filter(|(id, _)| self.is_given(id))
            .map(|(id, v)| (id.clone(), v.clone()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::values::AnswersFile;

    fn case_study() -> (Checklist, Answers) {
        let checklist = Checklist::builtin("vks").unwrap();
        let text = include_str!("../../checklists/examples/case-study.yaml");
        let file = AnswersFile::parse(text, "case-study.yaml", &checklist).unwrap();
        (checklist, file.answers)
    }

    fn apply(checklist: &Checklist, answers: &Answers, changes: &[Change]) -> Strategy {
        let mut given = answers.given();
        for c in changes {
            given.insert(c.question.clone(), c.to.clone());
        }
        decide(
            checklist,
            &Answers::resolve(checklist, given, &|_| None).unwrap(),
            &When::example(),
        )
        .strategy
    }

    #[test]
    fn the_case_study_says_what_would_make_blue_green_win() {
        let (checklist, answers) = case_study();
        let analysis = analyse(&checklist, &answers, &When::example());
        let bg = analysis
            .what_if
            .iter()
            .find(|w| w.strategy == Strategy::BlueGreen)
            .unwrap();
        assert_eq!(
            bg.changes_needed, 2,
            "the shared Supervisor and the limited capacity both stand in the way"
        );
        let text: Vec<String> = bg.scenarios.iter().map(|s| describe(&s.changes)).collect();
        assert!(
            text.iter()
                .any(|t| t.contains("shared_supervisor were no (now yes)")),
            "{text:?}"
        );
    }

    #[test]
    fn every_claim_holds_when_applied() {
        let (checklist, answers) = case_study();
        let analysis = analyse(&checklist, &answers, &When::example());
        for what_if in &analysis.what_if {
            for scenario in &what_if.scenarios {
                assert_eq!(
                    apply(&checklist, &answers, &scenario.changes),
                    what_if.strategy,
                    "{scenario:?}"
                );
            }
        }
        for flip in &analysis.sensitivity.flips {
            assert_eq!(
                apply(&checklist, &answers, std::slice::from_ref(&flip.change)),
                flip.strategy
            );
        }
    }

    #[test]
    fn sensitivity_names_single_flips_or_says_robust() {
        let (checklist, answers) = case_study();
        let analysis = analyse(&checklist, &answers, &When::example());
        // No spare capacity at all rules out both parallel strategies.
        assert!(!analysis.sensitivity.robust);
        assert!(
            analysis
                .sensitivity
                .flips
                .iter()
                .any(|f| f.change.question == "spare_capacity")
        );

        let small = AnswersFile::parse(
            include_str!("../../checklists/examples/small-jump.yaml"),
            "small.yaml",
            &checklist,
        )
        .unwrap();
        let analysis = analyse(&checklist, &small.answers, &When::example());
        assert!(
            analysis.sensitivity.robust,
            "{:?}",
            analysis.sensitivity.flips
        );
        assert!(
            analysis
                .what_if
                .iter()
                .all(|w| w.changes_needed == 0 || w.changes_needed == 2)
        );
    }

    /// Resolving every pair from scratch finds exactly the scenarios the pruned, scratch-buffer
    /// search reports.
    #[test]
    fn the_fast_search_finds_what_brute_force_finds() {
        let checklist = Checklist::builtin("vks").unwrap();
        for text in [
            include_str!("../../checklists/examples/case-study.yaml"),
            include_str!("../../checklists/examples/small-jump.yaml"),
        ] {
            let answers = AnswersFile::parse(text, "a.yaml", &checklist)
                .unwrap()
                .answers;
            let current = decide(&checklist, &answers, &When::example()).strategy;
            let all = candidates(&checklist, &answers);
            let outcome = |changes: &[Change]| {
                let mut given = answers.given();
                for c in changes {
                    given.insert(c.question.clone(), c.to.clone());
                }
                let resolved = Answers::resolve(&checklist, given, &|_| None).ok()?;
                changes
                    .iter()
                    .all(|c| resolved.get(&c.question) == Some(&c.to))
                    .then(|| decide(&checklist, &resolved, &When::example()).strategy)
            };
            let singles: Vec<Option<Strategy>> = all
                .iter()
                .map(|c| outcome(std::slice::from_ref(c)))
                .collect();
            let analysis = analyse(&checklist, &answers, &When::example());
            for what_if in &analysis.what_if {
                let s = what_if.strategy;
                let by_one = singles.iter().filter(|o| **o == Some(s)).count();
                let found = what_if.scenarios.len() + what_if.more;
                if by_one > 0 {
                    assert_eq!((what_if.changes_needed, found), (1, by_one), "{s:?}");
                    continue;
                }
                let mut by_two = 0;
                for i in 0..all.len() {
                    for j in i + 1..all.len() {
                        if all[i].question != all[j].question
                            && outcome(&[all[i].clone(), all[j].clone()]) == Some(s)
                        {
                            by_two += 1;
                        }
                    }
                }
                assert_ne!(s, current);
                assert_eq!(found, by_two, "{s:?}");
                assert_eq!(what_if.changes_needed, if by_two > 0 { 2 } else { 0 });
            }
        }
    }

    #[test]
    fn version_candidates_are_smaller_and_slightly_larger_jumps() {
        let (checklist, answers) = case_study();
        let targets: Vec<String> = candidates(&checklist, &answers)
            .into_iter()
            .filter(|c| c.question == "target_version")
            .map(|c| c.to.to_string())
            .collect();
        assert_eq!(targets, ["1.31", "1.32", "1.34", "1.35"]);
    }
}
