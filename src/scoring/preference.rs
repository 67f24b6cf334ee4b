//! Stage two: among the possible strategies, which one the costs and benefits favour. Only
//! preference questions and computed signals add points; a choice's lean may depend on its
//! context (other answers, removed APIs in the hop range); an `unknown` answer adds nothing.

use serde::Serialize;

use super::calendar;
use super::facts::Facts;
use crate::answers::values::Answers;
use crate::base::text::{duration_text, format_number, plural};
use crate::checklist::model::Band;
use crate::checklist::model::Checklist;
use crate::checklist::model::Choice;
use crate::checklist::model::Lean;
use crate::checklist::model::Signal;
use crate::checklist::raw::Measure;
use crate::checklist::strategy::Toward;

#[derive(schemars::JsonSchema, Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Scores {
    /// Total weight leaning Sequential.
    pub sequential: u32,
    /// Total weight leaning Blue-Green.
    pub blue_green: u32,
    /// `blue_green - sequential`.
    pub margin: i64,
    /// The margin Blue-Green needs to be the lean.
    pub blue_green_needs: i64,
}

impl Scores {
    pub fn leaning(&self) -> Toward {
        if self.margin >= self.blue_green_needs {
            Toward::BlueGreen
        } else {
            Toward::Sequential
        }
    }

    /// Points that would have to move for the lean to flip.
    pub fn distance(&self) -> i64 {
        if self.leaning() == Toward::BlueGreen {
            self.margin - self.blue_green_needs + 1
        } else {
            self.blue_green_needs - self.margin
        }
    }
}

#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Serialize)]
pub struct Driver {
    pub question: String,
    /// The answer as shown to people (for signals, the computed value with its inputs).
    pub answer: String,
    pub leans: Toward,
    pub weight: u32,
    pub reason: String,
    /// The derived signal, when the contribution is computed rather than answered directly.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signal: Option<String>,
}

/// The lean a choice has with these answers, and the reason to show.
pub fn lean_of<'c>(choice: &'c Choice, answers: &Answers, facts: &Facts) -> (Lean, &'c str) {
    if choice.unknown {
        return (
            Lean {
                toward: Toward::Neutral,
                weight: 0,
            },
            &choice.reason,
        );
    }
    match &choice.context {
        Some(context) => {
            if facts.holds(&context.when, answers) {
                (choice.lean, &choice.reason)
            } else {
                (context.otherwise, &context.otherwise_reason)
            }
        }
        None => (choice.lean, &choice.reason),
    }
}

fn effective(lean: Lean) -> Option<(Toward, u32)> {
    (lean.toward != Toward::Neutral && lean.weight > 0).then_some((lean.toward, lean.weight))
}

/// The points on each side.
pub fn scores(checklist: &Checklist, answers: &Answers, facts: &Facts) -> Scores {
    let (mut sequential, mut blue_green) = (0u32, 0u32);
    let mut add = |lean: Lean| match effective(lean) {
        Some((Toward::Sequential, w)) => sequential = sequential.saturating_add(w),
        Some((Toward::BlueGreen, w)) => blue_green = blue_green.saturating_add(w),
        _ => {}
    };
    // Only choice questions lean; the others are not looked up.
    for question in checklist
        .questions
        .iter()
        .filter(|q| !q.choices().is_empty())
    {
        if let Some(choice) = answers
            .get(&question.id)
            .and_then(|v| question.choice_of(v))
        {
            add(lean_of(choice, answers, facts).0);
        }
    }
    if !checklist.signals.is_empty() {
        let in_place = calendar::dates::sequential_months(checklist, facts);
        for signal in &checklist.signals {
            if let Some(band) = band(signal, measure(signal.measure, facts, in_place)) {
                add(band.lean);
            }
        }
    }
    Scores {
        sequential,
        blue_green,
        margin: i64::from(blue_green) - i64::from(sequential),
        blue_green_needs: checklist.decision.blue_green_margin,
    }
}

/// The contributions, largest first; ties keep checklist order.
pub fn drivers(checklist: &Checklist, answers: &Answers, facts: &Facts) -> Vec<Driver> {
    let mut out: Vec<Driver> = checklist
        .questions
        .iter()
        .filter_map(|q| {
            let value = answers.get(&q.id)?;
            let choice = q.choice_of(value)?;
            let (lean, reason) = lean_of(choice, answers, facts);
            let (leans, weight) = effective(lean)?;
            Some(Driver {
                question: q.id.clone(),
                answer: value.to_string(),
                leans,
                weight,
                reason: reason.to_string(),
                signal: None,
            })
        })
        .collect();
    let in_place = calendar::dates::sequential_months(checklist, facts);
    let (cost, _) = in_place;
    for signal in &checklist.signals {
        let value = measure(signal.measure, facts, in_place);
        let shown = match signal.measure {
            Measure::Hops => format!(
                "{} to {}: {}",
                facts.from,
                facts.to,
                plural(facts.hops.len() as u64, "hop", "hops")
            ),
            Measure::SequentialWindows => format!(
                "{} in place",
                plural(cost.windows_to_target, "change window", "change windows")
            ),
            Measure::SequentialMonths => format!(
                "{} in place: {}, {}, {}",
                plural(facts.clusters, "cluster", "clusters"),
                plural(cost.risky_changes, "risky change", "risky changes"),
                plural(cost.windows_to_target, "window", "windows"),
                duration_text(value)
            ),
            Measure::ClusterCount => plural(facts.clusters, "cluster", "clusters"),
        };
        let Some(band) = band(signal, value) else {
            continue;
        };
        if let Some((leans, weight)) = effective(band.lean) {
            out.push(Driver {
                question: signal.question.clone(),
                answer: shown,
                leans,
                weight,
                reason: band
                    .reason
                    .replace("{value}", &format_number(value))
                    .replace("{duration}", &duration_text(value)),
                signal: Some(signal.id.clone()),
            });
        }
    }
    out.sort_by_key(|d| std::cmp::Reverse(d.weight));
    out
}

/// The value a signal measures; `in_place` is the sequential plan's cost and time to target
/// in months ([`calendar::dates::sequential_months`]).
fn measure(measure: Measure, facts: &Facts, in_place: (calendar::Cost, f64)) -> f64 {
    let (cost, months) = in_place;
    match measure {
        Measure::Hops => facts.hops.len() as f64,
        Measure::SequentialWindows => cost.windows_to_target as f64,
        Measure::SequentialMonths => months,
        Measure::ClusterCount => facts.clusters as f64,
    }
}

/// The band a value falls in.
fn band(signal: &Signal, value: f64) -> Option<&Band> {
    signal
        .bands
        .iter()
        .find(|b| b.up_to.is_none_or(|limit| value <= limit))
}
