//! The validated checklist: what scoring, the workshop and the renderers read. Built only by
//! the validator, so every reference in it resolves.

use std::collections::{BTreeMap, HashMap};

use crate::checklist::condition::Condition;
use crate::checklist::raw::LayerRole;
use crate::checklist::raw::Measure;
use crate::checklist::raw::Steps;
use crate::checklist::strategy::{Strategy, Toward};
use crate::checklist::value::AnswerValue;

/// The answer values each kind of manifest evidence can give, for checking a checklist's
/// `evidence` bindings (the scan produces exactly these).
pub const EVIDENCE_VALUES: [(&str, &[&str]); 4] = [
    ("deprecated_apis", &["remediated", "not-remediated"]),
    ("pdbs_and_probes", &["yes", "partly", "no"]),
    ("stateful_workloads", &["none", "some", "many"]),
    ("pod_autoscaling", &["yes", "no"]),
];

/// A validated checklist.
#[derive(Debug, Clone)]
pub struct Checklist {
    pub id: String,
    pub version: String,
    pub title: String,
    pub description: String,
    pub sections: Vec<Section>,
    /// Every question, in the order asked.
    pub questions: Vec<Question>,
    pub(super) index: HashMap<String, usize>,
    pub bindings: Bindings,
    pub decision: Decision,
    pub strategies: BTreeMap<Strategy, StrategyText>,
    pub calendar: CalendarParams,
    pub layers: Vec<Layer>,
    pub signals: Vec<Signal>,
    pub gates: Vec<Gate>,
    pub blockers: Vec<BlockerRule>,
    /// The questions manifest evidence answers, by concept.
    pub evidence: EvidenceBindings,
    /// Step texts for the runbook (empty when the checklist has none).
    pub runbook: crate::checklist::steps::Runbook,
    /// Where the checklist came from, for every report to name.
    pub origin: ChecklistOrigin,
}

/// Where a checklist came from: built in, or a file (its path as given), with the SHA-256
/// of its text. The edge, which read the file, fills it in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChecklistOrigin {
    /// The file's path; `None` for a built-in checklist.
    pub path: Option<String>,
    /// Lower-case hex SHA-256 of the YAML text.
    pub sha256: String,
}

/// Which question each kind of manifest evidence answers (`None`: the checklist has none).
#[derive(Debug, Clone, Default)]
pub struct EvidenceBindings {
    pub deprecated_apis: Option<String>,
    pub pdbs_and_probes: Option<String>,
    pub stateful_workloads: Option<String>,
    pub pod_autoscaling: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Section {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    /// Indexes into [`Checklist::questions`].
    pub questions: std::ops::Range<usize>,
}

#[derive(Debug, Clone)]
pub struct Question {
    pub id: String,
    /// Index of the section it belongs to.
    pub section: usize,
    pub prompt: String,
    pub help: String,
    pub kind: QuestionKind,
    pub required: bool,
    pub default: Option<DefaultValue>,
    /// When the question applies; `None` means always.
    pub when: Option<Condition>,
    /// Choices from the most Sequential-leaning to the most Blue-Green-leaning; their weights
    /// never lean less toward Blue-Green along it. Empty when the choices have no order.
    pub order: Vec<String>,
    /// A version question's example for hints, as the checklist gives it (else "1.30").
    pub example: Option<String>,
}

#[derive(Debug, Clone)]
pub enum QuestionKind {
    /// One of a list of values; `yes_no` questions have exactly `yes` and `no` and also accept
    /// YAML booleans.
    Choice {
        choices: Vec<Choice>,
        yes_no: bool,
    },
    Integer {
        min: u64,
        max: Option<u64>,
    },
    Version,
}

impl QuestionKind {
    /// The type's name as written in a checklist.
    pub fn name(&self) -> &'static str {
        match self {
            QuestionKind::Choice { yes_no: true, .. } => "yes-no",
            QuestionKind::Choice { .. } => "choice",
            QuestionKind::Integer { .. } => "integer",
            QuestionKind::Version => "version",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub lean: Lean,
    pub reason: String,
    pub risk: Option<Risk>,
    /// For the change-window question: how many windows a year this cadence gives.
    pub windows_per_year: Option<u32>,
    /// The answer says nothing is known: it adds no points and lowers confidence.
    pub unknown: bool,
    /// The lean holds only in a context; otherwise another lean applies.
    pub context: Option<Context>,
    /// For an answer that says how data moves to the new side: how a cut-over is undone.
    pub rollback: Option<DataRollback>,
}

/// How a cut-over is undone when data moved with it: rollback follows the data, so once
/// writes land on the new side, shifting traffic back is not enough.
#[derive(Debug, Clone)]
pub struct DataRollback {
    /// What to set up before the cut-over so it can be undone.
    pub before: String,
    /// How to undo the cut-over once writes land on the new side.
    pub how: String,
    /// Whether the cut-over is the point of no return: after it, going back loses the writes
    /// made on the new side (or needs them restored).
    pub point_of_no_return: bool,
}

/// A choice's lean that depends on other answers or on computed facts.
#[derive(Debug, Clone)]
pub struct Context {
    pub when: Condition,
    pub otherwise: Lean,
    pub otherwise_reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lean {
    pub toward: Toward,
    pub weight: u32,
}

#[derive(Debug, Clone)]
pub struct Risk {
    pub description: String,
    pub mitigation: String,
    /// The strategies the risk belongs to (`risk_for`); empty: every strategy.
    pub strategies: Vec<crate::checklist::strategy::Strategy>,
}

#[derive(Debug, Clone)]
pub enum DefaultValue {
    Value(AnswerValue),
    /// The answer to another (integer) question.
    FromQuestion(String),
}

/// The questions the engine reads computed concepts from.
#[derive(Debug, Clone)]
pub struct Bindings {
    pub current_version: String,
    pub target_version: String,
    pub cluster_count: String,
    pub change_window: String,
    pub changes_per_window: String,
    pub clusters_per_window: String,
    /// The spare-capacity choice question; its `limited` choice (with no expansion) makes the
    /// parallel strategies rotate their waves through the capacity.
    pub spare_capacity: Option<String>,
    /// The yes/no question whether more capacity can be approved.
    pub capacity_expansion: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Decision {
    /// Blue-Green must lead Sequential by at least this many points.
    pub blue_green_margin: i64,
    pub confidence_high: i64,
    pub confidence_medium: i64,
    /// Deciding questions answered `unknown` that make the confidence low.
    pub low_with_unknowns: u32,
    /// When this holds, a parallel move that gains no calendar time loses to in place.
    pub restarts_tolerated: Option<Condition>,
}

#[derive(Debug, Clone)]
pub struct StrategyText {
    pub name: String,
    pub summary: String,
    pub next_steps: Vec<String>,
}

/// The longest rollback hold, in days (checklist default or answer): a year. A longer hold
/// is no rollback plan.
pub const MAX_ROLLBACK_HOLD_DAYS: u32 = 365;

#[derive(Debug, Clone)]
pub struct CalendarParams {
    pub blue_green_build_changes: u32,
    pub blue_green_decommission_changes: u32,
    pub hybrid_decommission_changes: u32,
    /// Days the old side is kept for rollback before it is retired.
    pub rollback_hold_days: u32,
    /// Whether the retirement needs a production change window of its own.
    pub retire_in_window: bool,
    /// Extra clusters a `limited` spare capacity holds at once (1 to
    /// [`MAX_LIMITED_CAPACITY_CLUSTERS`]); `None`: the checklist does not rotate.
    pub limited_capacity_clusters: Option<u32>,
}

/// The most extra clusters a checklist may say a limited capacity holds.
pub const MAX_LIMITED_CAPACITY_CLUSTERS: u32 = 1000;

#[derive(Debug, Clone)]
pub struct Layer {
    pub id: String,
    pub name: String,
    pub role: LayerRole,
    /// Version questions for shared layers; the others use the bindings.
    pub from: Option<String>,
    pub to: Option<String>,
    pub steps: Steps,
    /// For a control plane: how far behind its nodes may be, in minors.
    pub max_skew: Option<u32>,
    /// Per strategy, what happens to the layer (a template, see the checklist docs).
    pub notes: BTreeMap<Strategy, String>,
}

#[derive(Debug, Clone)]
pub struct Signal {
    pub id: String,
    pub measure: Measure,
    /// The question the signal is reported against.
    pub question: String,
    pub bands: Vec<Band>,
}

#[derive(Debug, Clone)]
pub struct Band {
    /// Inclusive upper bound; `None` for the last band.
    pub up_to: Option<f64>,
    pub lean: Lean,
    /// May contain `{value}`.
    pub reason: String,
}

#[derive(Debug, Clone)]
pub struct Gate {
    pub id: String,
    /// The must-have prerequisite, phrased as met.
    pub need: String,
    pub rules_out: Vec<Strategy>,
    pub when: Condition,
    pub reason: String,
    /// What would make the ruled-out strategies possible again.
    pub action: Option<String>,
}

#[derive(Debug, Clone)]
pub struct BlockerRule {
    pub id: String,
    /// The should-have prerequisite, phrased as met.
    pub need: String,
    pub question: String,
    pub strategies: Vec<Strategy>,
    pub when: Condition,
    pub title: String,
    pub action: String,
    /// A stated requirement the plan contradicts (see `RawBlocker::conflict`).
    pub conflict: bool,
}

impl Checklist {
    /// Whether the blocker `id` names a stated requirement the plan contradicts.
    pub fn blocker_is_conflict(&self, id: &str) -> bool {
        self.blockers.iter().any(|b| b.id == id && b.conflict)
    }
}

impl Question {
    pub fn choices(&self) -> &[Choice] {
        match &self.kind {
            QuestionKind::Choice { choices, .. } => choices,
            _ => &[],
        }
    }

    pub fn choice(&self, value: &str) -> Option<&Choice> {
        self.choices().iter().find(|c| c.value == value)
    }

    /// The choice an answer picks, if the answer is a choice of this question.
    pub fn choice_of(&self, answer: &AnswerValue) -> Option<&Choice> {
        match answer {
            AnswerValue::Choice(value) => self.choice(value),
            _ => None,
        }
    }

    /// The allowed values in words, e.g. `all, most, few or unknown`.
    pub fn allowed(&self) -> String {
        match &self.kind {
            QuestionKind::Choice { choices, .. } => {
                let values: Vec<&str> = choices.iter().map(|c| c.value.as_str()).collect();
                match values.split_last() {
                    Some((last, rest)) if !rest.is_empty() => {
                        format!("{} or {last}", rest.join(", "))
                    }
                    _ => values.join(""),
                }
            }
            QuestionKind::Integer {
                min,
                max: Some(max),
            } => {
                format!("a whole number from {min} to {max}")
            }
            QuestionKind::Integer { min, max: None } => format!("a whole number, {min} or more"),
            QuestionKind::Version => format!(
                "a quoted version such as \"{}\"",
                self.example.as_deref().unwrap_or("1.30")
            ),
        }
    }
}
