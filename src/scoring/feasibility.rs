//! Stage one: which strategies are possible. Must-have prerequisites (the checklist's gates)
//! rule a strategy out; should-have prerequisites (its blockers) leave it possible but open.
//! Enablers never add points to a side: they only appear here, as met, missing or unknown.

use serde::Serialize;

use super::facts::Facts;
use crate::answers::values::Answers;
use crate::base::text::join_and;
use crate::checklist::condition::Condition;
use crate::checklist::condition::Trigger;
use crate::checklist::model::Checklist;
use crate::checklist::strategy::Strategy;
use crate::checklist::value::AnswerValue;

/// How much a prerequisite matters.
#[derive(schemars::JsonSchema, Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Missing, it rules the strategy out.
    Must,
    /// Missing, it is a blocker to clear and lowers confidence.
    Should,
}

/// Where a prerequisite stands, as far as the answers tell.
#[derive(schemars::JsonSchema, Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Met,
    Missing,
    /// An answer it depends on is `unknown`: find out.
    Unknown,
    /// An optional question it depends on was not asked.
    NotAsked,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::Missing => "missing",
            Status::Unknown => "unknown",
            Status::NotAsked => "not asked",
        }
    }
}

#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Serialize)]
pub struct Prerequisite {
    /// The gate or blocker id.
    pub id: String,
    /// What is needed, phrased as met.
    pub need: String,
    pub level: Level,
    pub status: Status,
    /// The answers that make it missing (empty unless missing).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub triggered_by: Vec<Trigger>,
    /// What to do when it is missing or unknown.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub action: String,
}

/// One strategy's prerequisites and whether it is possible.
#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Serialize)]
pub struct Feasibility {
    pub strategy: Strategy,
    pub feasible: bool,
    pub prerequisites: Vec<Prerequisite>,
}

/// A gate that closed: a must-have prerequisite is missing.
#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Serialize)]
pub struct ClosedGate {
    pub id: String,
    pub rules_out: Vec<Strategy>,
    /// The checklist's reason, with the answers that fired it.
    pub reason: String,
    /// Only the answers that actually hold.
    pub triggered_by: Vec<Trigger>,
    /// What would make the ruled-out strategies possible.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
}

/// A should-have prerequisite of the recommended strategy that is missing.
#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Serialize)]
pub struct Blocker {
    pub id: String,
    pub question: String,
    pub answer: String,
    pub title: String,
    pub action: String,
}

/// Indexes of the gates that close, in checklist order.
pub fn closed_gates(checklist: &Checklist, answers: &Answers, facts: &Facts) -> Vec<usize> {
    (0..checklist.gates.len())
        .filter(|&i| facts.holds(&checklist.gates[i].when, answers))
        .collect()
}

/// Whether a strategy survives the closed gates.
pub fn is_feasible(checklist: &Checklist, closed: &[usize], strategy: Strategy) -> bool {
    !closed
        .iter()
        .any(|&i| checklist.gates[i].rules_out.contains(&strategy))
}

/// The checklist's should-have prerequisites of `strategy` that are missing.
fn missing<'c>(
    checklist: &'c Checklist,
    answers: &Answers,
    facts: &Facts,
    strategy: Strategy,
) -> impl Iterator<Item = &'c crate::checklist::model::BlockerRule> {
    checklist
        .blockers
        .iter()
        .filter(move |b| b.strategies.contains(&strategy) && facts.holds(&b.when, answers))
}

/// How many should-have prerequisites of `strategy` are missing.
pub fn open_blockers(
    checklist: &Checklist,
    answers: &Answers,
    facts: &Facts,
    strategy: Strategy,
) -> usize {
    missing(checklist, answers, facts, strategy).count()
}

/// The closed gates, each with the answers that fired it.
pub fn gates(
    checklist: &Checklist,
    answers: &Answers,
    facts: &Facts,
    closed: &[usize],
) -> Vec<ClosedGate> {
    closed
        .iter()
        .map(|&i| {
            let gate = &checklist.gates[i];
            let triggered_by = facts.triggers(&gate.when, answers);
            ClosedGate {
                id: gate.id.clone(),
                rules_out: gate.rules_out.clone(),
                reason: with_triggers(&gate.reason, &triggered_by),
                triggered_by,
                action: gate.action.clone(),
            }
        })
        .collect()
}

/// "Intro: the Supervisor is shared (shared_supervisor: yes) and ...".
fn with_triggers(reason: &str, triggers: &[Trigger]) -> String {
    let intro = reason.trim().trim_end_matches('.');
    let said: Vec<String> = triggers.iter().map(Trigger::describe).collect();
    if said.is_empty() {
        format!("{intro}.")
    } else {
        format!("{intro}: {}.", join_and(&said))
    }
}

/// The missing should-haves of `strategy`, with their actions.
pub fn blockers(
    checklist: &Checklist,
    answers: &Answers,
    facts: &Facts,
    strategy: Strategy,
) -> Vec<Blocker> {
    missing(checklist, answers, facts, strategy)
        .map(|b| Blocker {
            id: b.id.clone(),
            question: b.question.clone(),
            answer: answers
                .get(&b.question)
                .map(ToString::to_string)
                .unwrap_or_default(),
            title: b.title.clone(),
            action: b.action.clone(),
        })
        .collect()
}

/// Every strategy's prerequisites with their status.
/// `closed` are the gates [`closed_gates`] found for these answers.
pub fn feasibility(
    checklist: &Checklist,
    answers: &Answers,
    facts: &Facts,
    closed: &[usize],
) -> Vec<Feasibility> {
    Strategy::ALL
        .into_iter()
        .map(|strategy| {
            let prerequisite = |id: &str, need: &str, level, when, action: &str| {
                let (status, triggered_by) = status(checklist, answers, facts, when);
                Prerequisite {
                    id: id.to_string(),
                    need: need.to_string(),
                    level,
                    status,
                    triggered_by,
                    action: if status == Status::Met {
                        String::new()
                    } else {
                        action.to_string()
                    },
                }
            };
            let gates = checklist
                .gates
                .iter()
                .filter(|g| g.rules_out.contains(&strategy))
                .map(|g| {
                    let action = g.action.as_deref().unwrap_or_default();
                    prerequisite(&g.id, &g.need, Level::Must, &g.when, action)
                });
            let blockers = checklist
                .blockers
                .iter()
                .filter(|b| b.strategies.contains(&strategy))
                .map(|b| prerequisite(&b.id, &b.need, Level::Should, &b.when, &b.action));
            let prerequisites = gates.chain(blockers).collect();
            Feasibility {
                strategy,
                feasible: is_feasible(checklist, closed, strategy),
                prerequisites,
            }
        })
        .collect()
}

/// Whether the condition that marks a prerequisite missing holds, could hold once an
/// unknown or unasked answer is known, or cannot hold.
fn status(
    checklist: &Checklist,
    answers: &Answers,
    facts: &Facts,
    missing_when: &Condition,
) -> (Status, Vec<Trigger>) {
    let triggers = facts.triggers(missing_when, answers);
    if !triggers.is_empty() {
        return (Status::Missing, triggers);
    }
    // The questions whose answer is not known: answered `unknown`, or optional and not asked.
    let mut open: Vec<(&str, Status)> = Vec::new();
    for id in missing_when.questions() {
        if open.iter().any(|(q, _)| *q == id) {
            continue;
        }
        let Some(question) = checklist.question(id) else {
            continue;
        };
        match answers.get(id) {
            Some(AnswerValue::Choice(value))
                if question.choice(value).is_some_and(|c| c.unknown) =>
            {
                open.push((id, Status::Unknown));
            }
            None if question.applies(answers.values()) => open.push((id, Status::NotAsked)),
            _ => {}
        }
    }
    if open.is_empty() || open.len() > 3 {
        return (
            if open.is_empty() {
                Status::Met
            } else {
                open_status(&open)
            },
            Vec::new(),
        );
    }
    // Could any known answer to the open questions make it missing?
    let mut assignment: Vec<(String, AnswerValue)> = Vec::new();
    let could = any_assignment(checklist, &open, 0, &mut assignment, &|given| {
        let lookup = |id: &str| {
            given
                .iter()
                .find(|(q, _)| q == id)
                .map(|(_, v)| v)
                .or_else(|| answers.get(id))
        };
        missing_when.holds_with(&lookup, &|f| facts.fact(f))
    });
    if could {
        (open_status(&open), Vec::new())
    } else {
        (Status::Met, Vec::new())
    }
}

fn open_status(open: &[(&str, Status)]) -> Status {
    if open.iter().any(|(_, s)| *s == Status::Unknown) {
        Status::Unknown
    } else {
        Status::NotAsked
    }
}

/// A trial answer to an open question.
type Assigned = (String, AnswerValue);

fn any_assignment(
    checklist: &Checklist,
    open: &[(&str, Status)],
    at: usize,
    assignment: &mut Vec<Assigned>,
    test: &dyn Fn(&[Assigned]) -> bool,
) -> bool {
    let Some((id, _)) = open.get(at) else {
        return test(assignment);
    };
    let Some(question) = checklist.question(id) else {
        return false;
    };
    for choice in question.choices().iter().filter(|c| !c.unknown) {
        assignment.push((id.to_string(), AnswerValue::Choice(choice.value.clone())));
        let found = any_assignment(checklist, open, at + 1, assignment, test);
        assignment.pop();
        if found {
            return true;
        }
    }
    false
}
