//! Deciding again with a few answers changed, cheaply: the what-if search and the
//! single-answer probes of [`super::assess`] evaluate hundreds of neighbours of one set of
//! answers.
//!
//! Most questions are independent: no other question's condition or default reads them, and
//! no version-order rule involves them. Changing such an answer changes nothing else in the
//! resolved answers, so the change is applied to one scratch copy, decided, and undone. A
//! change to any other question resolves again only the questions it can reach (those whose
//! condition or default reads it, and so on), by the same rule as loading a file, and checks
//! the versions again when it reaches one; that too is undone after the decision.

use std::collections::{BTreeMap, HashSet};

use crate::answers::values::Answers;
use crate::answers::{Resolved, resolve_question, versions_valid};
use crate::checklist::condition::Condition;
use crate::checklist::model::Checklist;
use crate::checklist::model::DefaultValue;
use crate::checklist::model::QuestionKind;
use crate::checklist::value::AnswerValue;

use super::decision::{Decision, decide, decide_with};
use super::facts::Facts;
use super::windows::When;

/// One set of answers, ready to be decided with changes.
pub struct Probe<'c> {
    checklist: &'c Checklist,
    /// The calendar every decision is dated with.
    when: &'c When,
    /// The resolved answers; changes are applied here and undone after each decision.
    scratch: Answers,
    /// The answers the user gave, for the changes that need a full resolve.
    given: BTreeMap<String, AnswerValue>,
    /// Per question (checklist order): a change to it can change other resolved answers, or
    /// make the answers invalid, so it needs a full resolve.
    entangled: Vec<bool>,
    /// Per question: the answers a change to it can alter (itself, and the questions whose
    /// condition or default reads an answer it alters), as question indexes in checklist
    /// order.
    reach: Vec<Vec<usize>>,
    /// The facts of the unchanged answers, and per question whether the facts read it: a
    /// change that reaches none of those decides with these facts.
    facts: Facts,
    facts_read: Vec<bool>,
}

impl<'c> Probe<'c> {
    pub fn new(checklist: &'c Checklist, answers: &Answers, when: &'c When) -> Probe<'c> {
        Probe {
            checklist,
            when,
            scratch: answers.clone(),
            given: answers.given(),
            entangled: entangled(checklist),
            reach: reach(checklist),
            facts: Facts::new(checklist, answers, when),
            facts_read: {
                let inputs = Facts::inputs(checklist);
                let questions = &checklist.questions;
                questions
                    .iter()
                    .map(|q| inputs.contains(&q.id.as_str()))
                    .collect()
            },
        }
    }

    /// The decision with `changes` (question, new answer) applied, or `None` when a change
    /// does not apply (its question is then not asked, or the answers become invalid).
    pub fn decide(&mut self, changes: &[(&str, &AnswerValue)]) -> Option<Decision> {
        let mut indices = Vec::with_capacity(changes.len());
        for (id, _) in changes {
            indices.push(self.checklist.question_index(id)?);
        }
        let simple = changes
            .iter()
            .zip(&indices)
            .all(|((id, _), &i)| !self.entangled[i] && self.scratch.get(id).is_some());
        if simple {
            let mut undo: Vec<AnswerValue> = Vec::with_capacity(changes.len());
            for (id, value) in changes {
                undo.push(self.scratch.replace(id, (*value).clone()));
            }
            let decision = if indices.iter().any(|&i| self.facts_read[i]) {
                decide(self.checklist, &self.scratch, self.when)
            } else {
                decide_with(self.checklist, &self.scratch, &self.facts)
            };
            for ((id, _), old) in changes.iter().zip(undo).rev() {
                self.scratch.replace(id, old);
            }
            return Some(decision);
        }
        self.resolve_reach_and_decide(changes, &indices)
    }

    /// The changes reach other answers: the given answers are changed, and only the questions
    /// they can reach are resolved again (in checklist order, by the rule a full resolve
    /// uses), then everything is undone.
    fn resolve_reach_and_decide(
        &mut self,
        changes: &[(&str, &AnswerValue)],
        indices: &[usize],
    ) -> Option<Decision> {
        let questions = &self.checklist.questions;
        let mut reached: Vec<usize> = indices
            .iter()
            .flat_map(|&i| self.reach[i].iter().copied())
            .collect();
        reached.sort_unstable();
        reached.dedup();
        let saved: Vec<(Option<AnswerValue>, bool)> = reached
            .iter()
            .map(|&q| {
                let id = &questions[q].id;
                (self.scratch.get(id).cloned(), self.scratch.is_given(id))
            })
            .collect();
        let given_before: Vec<Option<AnswerValue>> = changes
            .iter()
            .map(|(id, value)| self.given.insert((*id).to_string(), (*value).clone()))
            .collect();

        let mut valid = true;
        for &q in &reached {
            let question = &questions[q];
            match resolve_question(question, &self.given, self.scratch.values()) {
                Resolved::Answer { value, given } => {
                    self.scratch.set(&question.id, Some(value), given);
                }
                Resolved::Missing if question.required => {
                    valid = false;
                    break;
                }
                _ => self.scratch.set(&question.id, None, false),
            }
        }
        // A change to a question that then no longer applies is no change at all.
        valid = valid
            && changes
                .iter()
                .all(|(id, v)| self.scratch.get(id) == Some(*v));
        if valid
            && reached
                .iter()
                .any(|&q| matches!(questions[q].kind, QuestionKind::Version))
        {
            valid = versions_valid(self.checklist, self.scratch.values());
        }
        let decision = valid.then(|| {
            if reached.iter().any(|&q| self.facts_read[q]) {
                decide(self.checklist, &self.scratch, self.when)
            } else {
                decide_with(self.checklist, &self.scratch, &self.facts)
            }
        });

        for (&q, (value, given)) in reached.iter().zip(saved) {
            self.scratch.set(&questions[q].id, value, given);
        }
        for ((id, _), before) in changes.iter().zip(given_before).rev() {
            match before {
                Some(value) => self.given.insert((*id).to_string(), value),
                None => self.given.remove(*id),
            };
        }
        decision
    }

    /// Whether changing `question` can change whether `condition` holds: the condition reads
    /// it, or the change reaches further than its own answer (then it might reach anything).
    /// Facts come from version answers, which always reach further.
    pub fn can_change(&self, question: &str, condition: &Condition) -> bool {
        let questions = &self.checklist.questions;
        let Some(index) = self.checklist.question_index(question) else {
            return true;
        };
        let mut read = Vec::new();
        let facts = questions_in(condition, &mut read);
        self.reach[index].iter().any(|&q| {
            read.contains(&questions[q].id.as_str())
                || (facts && matches!(questions[q].kind, QuestionKind::Version))
        })
    }

    /// Resolves the changed answers from scratch, as loading a file does: what the probes
    /// must agree with.
    #[cfg(test)]
    fn resolve_and_decide(&self, changes: &[(&str, &AnswerValue)]) -> Option<Decision> {
        let mut given = self.given.clone();
        for (id, value) in changes {
            given.insert((*id).to_string(), (*value).clone());
        }
        let resolved = Answers::resolve(self.checklist, given, &|_| None).ok()?;
        // A change to a question that then no longer applies is no change at all.
        if changes.iter().any(|(id, v)| resolved.get(id) != Some(*v)) {
            return None;
        }
        Some(decide(self.checklist, &resolved, self.when))
    }
}

/// The questions each question's condition or default reads, per question.
fn reads(checklist: &Checklist) -> Vec<Vec<&str>> {
    checklist
        .questions
        .iter()
        .map(|q| {
            let mut read = Vec::new();
            if let Some(condition) = &q.when {
                questions_in(condition, &mut read);
            }
            if let Some(DefaultValue::FromQuestion(from)) = &q.default {
                read.push(from);
            }
            read
        })
        .collect()
}

/// Per question: whether a change to its answer can reach beyond that answer. True when
/// another question's condition or default reads it, and for version questions (their order
/// is checked when answers resolve).
fn entangled(checklist: &Checklist) -> Vec<bool> {
    let read: HashSet<&str> = reads(checklist).into_iter().flatten().collect();
    checklist
        .questions
        .iter()
        .map(|q| matches!(q.kind, QuestionKind::Version) || read.contains(q.id.as_str()))
        .collect()
}

/// Per question, the questions whose answers a change to it can alter: itself, and,
/// repeatedly, every question whose condition or default reads one of those. A walk over
/// who-reads-whom from each question, so the work grows with the questions reached, not
/// with the square of the checklist.
fn reach(checklist: &Checklist) -> Vec<Vec<usize>> {
    let questions = &checklist.questions;
    // Per question, the questions that read it.
    let mut readers: Vec<Vec<usize>> = vec![Vec::new(); questions.len()];
    for (reader, read) in reads(checklist).iter().enumerate() {
        for id in read {
            if let Some(i) = checklist.question_index(id) {
                readers[i].push(reader);
            }
        }
    }
    let mut seen = vec![usize::MAX; questions.len()];
    (0..questions.len())
        .map(|start| {
            let mut reached = vec![start];
            seen[start] = start;
            let mut next = 0;
            while next < reached.len() {
                for &reader in &readers[reached[next]] {
                    if seen[reader] != start {
                        seen[reader] = start;
                        reached.push(reader);
                    }
                }
                next += 1;
            }
            reached.sort_unstable();
            reached
        })
        .collect()
}

/// The questions a condition reads; true when it also reads computed facts.
fn questions_in<'a>(condition: &'a Condition, out: &mut Vec<&'a str>) -> bool {
    match condition {
        Condition::All(inner) | Condition::Any(inner) => {
            let mut facts = false;
            for c in inner {
                facts |= questions_in(c, out);
            }
            facts
        }
        Condition::OneOf { question, .. } | Condition::Answered { question, .. } => {
            out.push(question);
            false
        }
        Condition::Fact { .. } => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::values::AnswersFile;

    /// Every value worth trying for `question`: each choice, small counts, and versions around
    /// the versions in play (valid and invalid ones).
    fn values_for(question: &crate::checklist::model::Question) -> Vec<AnswerValue> {
        match &question.kind {
            QuestionKind::Choice { choices, .. } => choices
                .iter()
                .map(|c| AnswerValue::Choice(c.value.clone()))
                .collect(),
            QuestionKind::Integer { .. } => (1..4).map(AnswerValue::Integer).collect(),
            QuestionKind::Version => [(1, 27), (1, 29), (1, 31), (1, 33), (1, 36), (2, 1)]
                .into_iter()
                .map(|(major, minor)| {
                    AnswerValue::Version(crate::kube::version::Version::new(major, minor))
                })
                .collect(),
        }
    }

    /// The probes and a full resolve agree on every single change, and on every pair of
    /// changes to two questions, of the example files, including changes that make questions
    /// apply or not and versions out of order; the scratch answers are restored after each.
    #[test]
    fn scratch_changes_decide_like_a_full_resolve() {
        for (name, text, checklist) in [
            (
                "case-study",
                include_str!("../../checklists/examples/case-study.yaml"),
                "vks",
            ),
            (
                "small-jump",
                include_str!("../../checklists/examples/small-jump.yaml"),
                "vks",
            ),
            (
                "long-jump",
                include_str!("../../checklists/examples/long-jump.yaml"),
                "vks",
            ),
            (
                "eks-fleet-upgrade",
                include_str!("../../checklists/examples/eks-fleet-upgrade.yaml"),
                "kubernetes",
            ),
        ] {
            let checklist = Checklist::builtin(checklist).unwrap();
            let answers = AnswersFile::parse(text, name, &checklist).unwrap().answers;
            let when = When::example();
            let mut probe = Probe::new(&checklist, &answers, &when);
            let changes: Vec<(&str, AnswerValue)> = checklist
                .questions
                .iter()
                .flat_map(|q| values_for(q).into_iter().map(|v| (q.id.as_str(), v)))
                .collect();
            let (mut tried, mut reached_further) = (0, 0);
            for (i, (a, x)) in changes.iter().enumerate() {
                let fast = probe.decide(&[(a, x)]);
                assert_eq!(
                    fast,
                    probe.resolve_and_decide(&[(a, x)]),
                    "{name}: {a} = {x}"
                );
                tried += 1;
                reached_further +=
                    usize::from(probe.entangled[checklist.question_index(a).unwrap()]);
                for (b, y) in changes.iter().skip(i + 1).step_by(3) {
                    if a == b {
                        continue;
                    }
                    let pair = [(*a, x), (*b, y)];
                    let fast = probe.decide(&pair);
                    assert_eq!(
                        fast,
                        probe.resolve_and_decide(&pair),
                        "{name}: {a} = {x}, {b} = {y}"
                    );
                    tried += 1;
                }
                assert_eq!(probe.scratch, answers, "{name}: restored after {a} = {x}");
                assert_eq!(
                    probe.given,
                    answers.given(),
                    "{name}: restored after {a} = {x}"
                );
            }
            assert!(
                tried > 1000 && reached_further > 10,
                "{name}: {tried}, {reached_further}"
            );
        }
    }
}
