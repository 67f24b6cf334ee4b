//! When a question applies, a gate closes or a blocker stands: tests over answers.

use crate::answers::AnswerValue;

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
    },
    /// The question has (or has not) been answered.
    Answered { question: String, answered: bool },
}

impl Condition {
    /// Whether the condition holds, reading answers through `answer`.
    pub fn holds<'a>(&self, answer: &dyn Fn(&str) -> Option<&'a AnswerValue>) -> bool {
        match self {
            Condition::All(inner) => inner.iter().all(|c| c.holds(answer)),
            Condition::Any(inner) => inner.iter().any(|c| c.holds(answer)),
            Condition::OneOf {
                question,
                values,
                negate,
            } => match answer(question) {
                Some(value) => {
                    let text = value.to_string();
                    values.contains(&text) != *negate
                }
                None => false,
            },
            Condition::Answered { question, answered } => answer(question).is_some() == *answered,
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
        }
    }

    /// A short human reading, e.g. `spare_capacity is no and capacity_expansion is no`.
    pub fn describe(&self) -> String {
        match self {
            Condition::All(inner) => join(inner, " and "),
            Condition::Any(inner) => join(inner, " or "),
            Condition::OneOf {
                question,
                values,
                negate,
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
