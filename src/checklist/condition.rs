//! When a question applies, a gate closes or a blocker stands: tests over answers and the
//! few facts the engine computes from them.

use serde::Serialize;

use crate::checklist::raw::Fact;

use crate::checklist::value::AnswerValue;

/// An answer that made a condition hold: the question and the answer it had.
#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Trigger {
    pub question: String,
    pub answer: String,
    /// How the checklist says it ("the Supervisor is shared"); empty when it says nothing.
    #[serde(skip)]
    pub says: String,
}

impl Trigger {
    /// "the Supervisor is shared (shared_supervisor: yes)".
    pub fn describe(&self) -> String {
        if self.says.is_empty() {
            format!("{} is {}", self.question, self.answer)
        } else {
            format!("{} ({}: {})", self.says, self.question, self.answer)
        }
    }
}

/// Reads answers for conditions.
pub type AnswerLookup<'a, 'b> = &'b dyn Fn(&str) -> Option<&'a AnswerValue>;
/// Reads computed facts for conditions; `None` when unknown (no versions).
pub type FactLookup<'b> = &'b dyn Fn(Fact) -> Option<u64>;

/// A validated condition over answers. Every question and value it names exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    /// Every inner condition holds.
    All(Vec<Condition>),
    /// At least one inner condition holds.
    Any(Vec<Condition>),
    /// The question's answer is (or, negated, is not) one of the values. An unanswered
    /// question satisfies neither form: nothing is known about it.
    OneOf {
        question: String,
        values: Vec<String>,
        negate: bool,
        /// How reports say it when it holds.
        says: Option<String>,
    },
    /// The question has (or has not) been answered.
    Answered { question: String, answered: bool },
    /// A computed fact is above a number.
    Fact {
        fact: Fact,
        above: u64,
        says: Option<String>,
    },
}

impl Condition {
    /// Whether the condition holds, reading answers through `answer`; facts are unknown.
    pub fn holds<'a>(&self, answer: AnswerLookup<'a, '_>) -> bool {
        self.holds_with(answer, &|_| None)
    }

    /// Whether the condition holds, reading answers and computed facts.
    pub fn holds_with<'a>(&self, answer: AnswerLookup<'a, '_>, fact: FactLookup<'_>) -> bool {
        match self {
            Condition::All(inner) => inner.iter().all(|c| c.holds_with(answer, fact)),
            Condition::Any(inner) => inner.iter().any(|c| c.holds_with(answer, fact)),
            Condition::Fact {
                fact: which, above, ..
            } => fact(*which).is_some_and(|value| value > *above),
            Condition::OneOf {
                question,
                values,
                negate,
                ..
            } => match answer(question) {
                // Choices compare without building text: conditions run in the what-if search.
                Some(AnswerValue::Choice(choice)) => values.contains(choice) != *negate,
                Some(value) => {
                    let text = value.to_string();
                    values.contains(&text) != *negate
                }
                None => false,
            },
            Condition::Answered { question, answered } => answer(question).is_some() == *answered,
        }
    }

    /// The answers that make the condition hold, only those that do: every branch of an
    /// `all`, the holding branches of an `any`. Empty when the condition does not hold.
    pub fn triggers<'a>(&self, answer: AnswerLookup<'a, '_>, fact: FactLookup<'_>) -> Vec<Trigger> {
        let mut out = Vec::new();
        if self.holds_with(answer, fact) {
            self.collect_triggers(answer, fact, &mut out);
        }
        out
    }

    fn collect_triggers<'a>(
        &self,
        answer: AnswerLookup<'a, '_>,
        fact: FactLookup<'_>,
        out: &mut Vec<Trigger>,
    ) {
        match self {
            Condition::All(inner) => {
                for c in inner {
                    c.collect_triggers(answer, fact, out);
                }
            }
            Condition::Any(inner) => {
                for c in inner.iter().filter(|c| c.holds_with(answer, fact)) {
                    c.collect_triggers(answer, fact, out);
                }
            }
            Condition::OneOf { question, says, .. } => out.push(Trigger {
                question: question.clone(),
                answer: answer(question)
                    .map(ToString::to_string)
                    .unwrap_or_default(),
                says: says.clone().unwrap_or_default(),
            }),
            Condition::Answered { question, .. } => out.push(Trigger {
                question: question.clone(),
                answer: answer(question).map_or("not answered".to_string(), ToString::to_string),
                says: String::new(),
            }),
            Condition::Fact {
                fact: which, says, ..
            } => out.push(Trigger {
                question: which.name().to_string(),
                answer: fact(*which).map(|v| v.to_string()).unwrap_or_default(),
                says: says.clone().unwrap_or_default(),
            }),
        }
    }

    /// Every question id the condition reads.
    pub fn questions(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.collect_questions(&mut out);
        out
    }

    fn collect_questions<'s>(&'s self, out: &mut Vec<&'s str>) {
        match self {
            Condition::All(inner) | Condition::Any(inner) => {
                for c in inner {
                    c.collect_questions(out);
                }
            }
            Condition::OneOf { question, .. } | Condition::Answered { question, .. } => {
                out.push(question)
            }
            Condition::Fact { .. } => {}
        }
    }

    /// A short human reading, e.g. `spare_capacity is no and capacity_expansion is no`.
    pub fn describe(&self) -> String {
        match self {
            Condition::All(inner) => join(inner, " and "),
            Condition::Any(inner) => join(inner, " or "),
            Condition::Fact { fact, above, .. } => {
                format!("{} is above {above}", fact.name())
            }
            Condition::OneOf {
                question,
                values,
                negate,
                ..
            } => {
                let verb = if *negate { "is not" } else { "is" };
                format!("{question} {verb} {}", values.join(" or "))
            }
            Condition::Answered { question, answered } => {
                if *answered {
                    format!("{question} is answered")
                } else {
                    format!("{question} is not answered")
                }
            }
        }
    }
}

fn join(inner: &[Condition], sep: &str) -> String {
    let parts: Vec<String> = inner
        .iter()
        .map(|c| match c {
            Condition::All(_) | Condition::Any(_) if inner.len() > 1 => {
                format!("({})", c.describe())
            }
            _ => c.describe(),
        })
        .collect();
    parts.join(sep)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn answers(pairs: &[(&str, &str)]) -> BTreeMap<String, AnswerValue> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), AnswerValue::Choice(v.to_string())))
            .collect()
    }

    fn one_of(q: &str, values: &[&str], negate: bool) -> Condition {
        Condition::OneOf {
            question: q.into(),
            values: values.iter().map(|v| v.to_string()).collect(),
            negate,
            says: None,
        }
    }

    #[test]
    fn unanswered_questions_satisfy_neither_a_test_nor_its_negation() {
        let given = answers(&[]);
        let lookup = |q: &str| given.get(q);
        assert!(!one_of("a", &["x"], false).holds(&lookup));
        assert!(!one_of("a", &["x"], true).holds(&lookup));
    }

    #[test]
    fn all_any_and_answered_combine() {
        let given = answers(&[("a", "x"), ("b", "y")]);
        let lookup = |q: &str| given.get(q);
        let both = Condition::All(vec![one_of("a", &["x"], false), one_of("b", &["z"], true)]);
        assert!(both.holds(&lookup));
        let either = Condition::Any(vec![one_of("a", &["q"], false), one_of("b", &["y"], false)]);
        assert!(either.holds(&lookup));
        let missing = Condition::Answered {
            question: "c".into(),
            answered: false,
        };
        assert!(missing.holds(&lookup));
        assert_eq!(
            Condition::All(vec![one_of("a", &["x"], false), either]).describe(),
            "a is x and (a is q or b is y)"
        );
    }
}
