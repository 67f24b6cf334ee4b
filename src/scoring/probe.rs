//! Deciding again with a few answers changed, cheaply: the what-if search and the
//! single-answer probes of [`super::assess`] evaluate hundreds of neighbours of one set of
//! answers.
//!
//! Most questions are independent: no other question's condition or default reads them, and
//! no version-order rule involves them. Changing such an answer changes nothing else in the
//! resolved answers, so the change is applied to one scratch copy, decided, and undone. A
//! change to any other question resolves all answers again, exactly as loading a file does.

use std::collections::BTreeMap;

use crate::answers::{AnswerValue, Answers};
use crate::checklist::{Checklist, Condition, DefaultValue, QuestionKind};

use super::{Decision, decide};

/// One set of answers, ready to be decided with changes.
pub struct Probe<'c> {
    checklist: &'c Checklist,
    /// The resolved answers; changes are applied here and undone after each decision.
    scratch: Answers,
    /// The answers the user gave, for the changes that need a full resolve.
    given: BTreeMap<String, AnswerValue>,
    /// Per question (checklist order): a change to it can change other resolved answers, or
    /// make the answers invalid, so it needs a full resolve.
    entangled: Vec<bool>,
    /// Per question: the answers a change to it can alter (itself, and the questions whose
    /// condition or default reads an answer it alters), by question index.
    reach: Vec<Vec<bool>>,
}

impl<'c> Probe<'c> {
    pub fn new(checklist: &'c Checklist, answers: &Answers) -> Probe<'c> {
        Probe {
            checklist,
            scratch: answers.clone(),
            given: answers.given(),
            entangled: entangled(checklist),
            reach: reach(checklist),
        }
    }

    /// The decision with `changes` (question, new answer) applied, or `None` when a change
    /// does not apply (its question is then not asked, or the answers become invalid).
    pub fn decide(&mut self, changes: &[(&str, &AnswerValue)]) -> Option<Decision> {
        let simple = changes.iter().all(|(id, _)| {
            self.scratch.get(id).is_some()
                && self
                    .checklist
                    .questions
                    .iter()
                    .position(|q| q.id == *id)
                    .is_some_and(|i| !self.entangled[i])
        });
        if !simple {
            return self.resolve_and_decide(changes);
        }
        let mut undo: Vec<AnswerValue> = Vec::with_capacity(changes.len());
        for (id, value) in changes {
            undo.push(self.scratch.replace(id, (*value).clone()));
        }
        let decision = decide(self.checklist, &self.scratch);
        for ((id, _), old) in changes.iter().zip(undo).rev() {
            self.scratch.replace(id, old);
        }
        Some(decision)
    }

    /// Whether changing `question` can change whether `condition` holds: the condition reads
    /// it, or the change reaches further than its own answer (then it might reach anything).
    /// Facts come from version answers, which always reach further.
    pub fn can_change(&self, question: &str, condition: &Condition) -> bool {
        let questions = &self.checklist.questions;
        let Some(index) = questions.iter().position(|q| q.id == question) else {
            return true;
        };
        let mut read = Vec::new();
        let facts = questions_in(condition, &mut read);
        questions
            .iter()
            .zip(&self.reach[index])
            .any(|(q, &reached)| {
                reached
                    && (read.contains(&q.id.as_str())
                        || (facts && matches!(q.kind, QuestionKind::Version)))
            })
    }

    /// The slow path: resolves the changed answers from scratch.
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
        Some(decide(self.checklist, &resolved))
    }
}

/// Per question: whether a change to its answer can reach beyond that answer. True when
/// another question's condition or default reads it, and for version questions (their order
/// is checked when answers resolve).
fn entangled(checklist: &Checklist) -> Vec<bool> {
    let mut read: Vec<&str> = Vec::new();
    for question in &checklist.questions {
        if let Some(condition) = &question.when {
            questions_in(condition, &mut read);
        }
        if let Some(DefaultValue::FromQuestion(from)) = &question.default {
            read.push(from);
        }
    }
    checklist
        .questions
        .iter()
        .map(|q| matches!(q.kind, QuestionKind::Version) || read.contains(&q.id.as_str()))
        .collect()
}

/// Per question, the questions whose answers a change to it can alter: itself, and,
/// repeatedly, every question whose condition or default reads one of those.
fn reach(checklist: &Checklist) -> Vec<Vec<bool>> {
    let questions = &checklist.questions;
    let reads: Vec<Vec<&str>> = questions
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
        .collect();
    (0..questions.len())
        .map(|start| {
            let mut reached = vec![false; questions.len()];
            reached[start] = true;
            let mut grew = true;
            while grew {
                grew = false;
                for (i, read) in reads.iter().enumerate() {
                    if !reached[i]
                        && questions
                            .iter()
                            .zip(&reached)
                            .any(|(q, &r)| r && read.contains(&q.id.as_str()))
                    {
                        reached[i] = true;
                        grew = true;
                    }
                }
            }
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
    use crate::answers::AnswersFile;

    /// The fast path and a full resolve agree on every single change of every choice, integer
    /// and version answer of the example files.
    #[test]
    fn scratch_changes_decide_like_a_full_resolve() {
        for (name, text) in [
            (
                "case-study",
                include_str!("../../checklists/examples/case-study.yaml"),
            ),
            (
                "small-jump",
                include_str!("../../checklists/examples/small-jump.yaml"),
            ),
        ] {
            let checklist = Checklist::builtin("vks").unwrap();
            let answers = AnswersFile::parse(text, name, &checklist).unwrap().answers;
            let mut probe = Probe::new(&checklist, &answers);
            let mut tried = 0;
            for question in &checklist.questions {
                let values: Vec<AnswerValue> = match &question.kind {
                    QuestionKind::Choice { choices, .. } => choices
                        .iter()
                        .map(|c| AnswerValue::Choice(c.value.clone()))
                        .collect(),
                    QuestionKind::Integer { .. } => (1..4).map(AnswerValue::Integer).collect(),
                    _ => Vec::new(),
                };
                for value in &values {
                    let fast = probe.decide(&[(&question.id, value)]);
                    let slow = probe.resolve_and_decide(&[(&question.id, value)]);
                    assert_eq!(fast, slow, "{name}: {} = {value}", question.id);
                    tried += 1;
                }
            }
            assert!(tried > 20, "{tried}");
            // The scratch copy is back where it started.
            assert_eq!(probe.scratch, answers);
        }
    }
}
