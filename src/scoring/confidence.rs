//! How sure the recommendation is. The margin sets a starting level (the checklist's
//! `decision.confidence` numbers); open blockers, unknown answers, a lean that had to be
//! overruled and a result that one change flips can only lower it.

use serde::Serialize;

use crate::checklist::model::Decision as DecisionParams;

#[derive(schemars::JsonSchema, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

impl std::fmt::Display for Confidence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Confidence::High => "high",
            Confidence::Medium => "medium",
            Confidence::Low => "low",
        })
    }
}

/// What the confidence is judged on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Inputs {
    /// Points that would have to move for the lean to flip.
    pub distance: i64,
    /// Should-have prerequisites of the recommended strategy that are missing.
    pub open_blockers: usize,
    /// The answers leaned one way, and feasibility forced another.
    pub overruled: bool,
    /// Answers that say `unknown`.
    pub unknown_answers: usize,
    /// Unknown answers where some known answer would change the recommendation.
    pub deciding_unknowns: usize,
    /// Single answer changes that flip the recommendation.
    pub flips: usize,
}

/// The confidence and, when it is below what the margin alone gives, why.
pub fn rate(params: &DecisionParams, inputs: Inputs) -> (Confidence, Vec<String>) {
    let mut level = if inputs.distance >= params.confidence_high {
        Confidence::High
    } else if inputs.distance >= params.confidence_medium {
        Confidence::Medium
    } else {
        Confidence::Low
    };
    let mut why = Vec::new();
    if level == Confidence::Low {
        why.push(format!(
            "the answers are {} of weight from pointing the other way",
            points(inputs.distance.max(0))
        ));
    }
    let mut cap = |limit: Confidence, reason: String| {
        if level > limit {
            level = limit;
        }
        why.push(reason);
    };
    if inputs.open_blockers > 0 {
        cap(
            Confidence::Medium,
            format!(
                "{} of the recommended strategy still open",
                count(inputs.open_blockers, "blocker", "blockers")
            ),
        );
    }
    if inputs.overruled {
        cap(
            Confidence::Medium,
            "the answers lean Blue-Green, but no parallel strategy is possible".to_string(),
        );
    }
    let low_with = usize::try_from(params.low_with_unknowns).unwrap_or(usize::MAX);
    if inputs.deciding_unknowns >= low_with {
        cap(
            Confidence::Low,
            format!(
                "{} that could change the recommendation",
                count(
                    inputs.deciding_unknowns,
                    "unknown answer",
                    "unknown answers"
                )
            ),
        );
    } else if inputs.deciding_unknowns > 0 {
        cap(
            Confidence::Medium,
            "an unknown answer could change the recommendation".to_string(),
        );
    } else if inputs.unknown_answers > 0 {
        cap(
            Confidence::Medium,
            format!(
                "{} (they do not change the recommendation, but they are not evidence)",
                count(inputs.unknown_answers, "unknown answer", "unknown answers")
            ),
        );
    }
    if inputs.flips > 0 {
        cap(
            Confidence::Medium,
            format!(
                "{} would change the recommendation",
                count(
                    inputs.flips,
                    "single answer change",
                    "single answer changes"
                )
            ),
        );
    }
    (level, why)
}

fn count(n: usize, one: &str, many: &str) -> String {
    crate::base::text::plural(n as u64, one, many)
}

fn points(n: i64) -> String {
    if n == 1 {
        "1 point".to_string()
    } else {
        format!("{n} points")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params() -> DecisionParams {
        DecisionParams {
            blue_green_margin: 2,
            confidence_high: 8,
            confidence_medium: 4,
            low_with_unknowns: 2,
            restarts_tolerated: None,
        }
    }

    fn far() -> Inputs {
        Inputs {
            distance: 20,
            ..Inputs::default()
        }
    }

    #[test]
    fn a_wide_margin_alone_is_high() {
        assert_eq!(rate(&params(), far()).0, Confidence::High);
    }

    #[test]
    fn never_high_with_open_blockers_unknowns_overrules_or_flips() {
        let cases = [
            Inputs {
                open_blockers: 1,
                ..far()
            },
            Inputs {
                unknown_answers: 1,
                ..far()
            },
            Inputs {
                deciding_unknowns: 1,
                unknown_answers: 1,
                ..far()
            },
            Inputs {
                overruled: true,
                ..far()
            },
            Inputs { flips: 1, ..far() },
        ];
        for inputs in cases {
            let (level, why) = rate(&params(), inputs);
            assert_eq!(level, Confidence::Medium, "{inputs:?}");
            assert_eq!(why.len(), 1, "one reason each: {why:?}");
        }
    }

    #[test]
    fn enough_deciding_unknowns_make_it_low() {
        let inputs = Inputs {
            deciding_unknowns: 2,
            unknown_answers: 2,
            ..far()
        };
        let (level, why) = rate(&params(), inputs);
        assert_eq!(level, Confidence::Low);
        assert!(why[0].contains("2 unknown answers"), "{why:?}");
    }

    #[test]
    fn a_narrow_margin_is_low_and_says_so() {
        let (level, why) = rate(
            &params(),
            Inputs {
                distance: 1,
                ..Inputs::default()
            },
        );
        assert_eq!(level, Confidence::Low);
        assert!(why[0].contains("1 point"));
    }
}
