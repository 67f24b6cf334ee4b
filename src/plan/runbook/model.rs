//! The runbook's value, as the JSON report carries it (`runbook`): the types only, so that the
//! report can hold one without importing how it is built (`plan::runbook`).

use serde::Serialize;

use crate::base::date::Date;
use crate::checklist::raw::PhaseKind;
use crate::checklist::steps::Runbook;
use crate::kube::version::Version;
use crate::scoring::feasibility::Blocker;

/// The runbook of one environment (see the module documentation).
#[derive(schemars::JsonSchema, Debug, Clone, Default, Serialize)]
pub struct RunbookPlan {
    /// What to clear before the first window: blockers, unconfirmed prerequisites, unknown
    /// answers, risks, scan evidence and the checklist's own checks.
    pub before: Vec<RunbookStep>,
    pub phases: Vec<RunbookPhase>,
    /// Stated requirements the plan cannot meet (the blockers the checklist marks
    /// `conflict`): each stays open until someone accepts the risk in writing.
    pub conflicts: Vec<Blocker>,
    /// The most new-side clusters that run at once beside the old ones they replace.
    pub peak_extra_clusters: u64,
}

/// A phase of the runbook.
#[derive(schemars::JsonSchema, Debug, Clone, Serialize)]
pub struct RunbookPhase {
    /// 1-based, in calendar order.
    pub number: usize,
    pub title: String,
    pub kind: PhaseKind,
    /// Whether the phase changes a layer that several environments share.
    pub shared: bool,
    /// The name of the layer it changes, when it changes one.
    pub layer: Option<String>,
    pub from: Option<Version>,
    pub to: Option<Version>,
    /// The versions the phase moves through, in order, one change step each; empty for a
    /// rollback hold or a retirement.
    pub hops: Vec<Version>,
    /// The dates of its change windows, freezes skipped; empty when it needs none.
    pub windows: Vec<Date>,
    /// Its first and last window, counted from the start of its calendar; 0 when it books
    /// none.
    pub first_window: u64,
    pub last_window: u64,
    pub first_day: Date,
    pub last_day: Date,
    /// Production changes in the phase.
    pub changes: u64,
    /// Where each hop takes a window of its own: the hop's window and date.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hop_windows: Vec<HopWindow>,
    /// How far the nodes trail the control planes, and what to do about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skew: Option<String>,
    /// For a phase of one batch of clusters per window: which window takes which batch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub batches: Option<Batches>,
    pub steps: Vec<RunbookStep>,
    /// The day after which going back is no longer a rollback; null while the old side can
    /// take over.
    pub point_of_no_return: Option<Date>,
    /// What the go/no-go gate measures, against which limit, and what starts the rollback;
    /// empty for a phase that changes nothing production runs on.
    pub gates: Vec<Gate>,
    /// Whether, how, until when and at what cost the phase can be undone.
    pub rollback: RollbackRule,
    /// Further reading for the phase.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub see: Vec<Link>,
}

/// The window a hop of a phase takes.
#[derive(schemars::JsonSchema, Debug, Clone, Copy, Serialize)]
pub struct HopWindow {
    pub window: u64,
    pub date: Date,
}

/// What a runbook step is.
#[derive(schemars::JsonSchema, Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    Precheck,
    Change,
    Validation,
    Gate,
    Rollback,
    Communication,
}

/// One box to tick.
#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Serialize)]
pub struct RunbookStep {
    pub kind: StepKind,
    pub text: String,
    /// A command to run, where the checklist gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    /// The address of the document that says more.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// The title of that document.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link_title: Option<String>,
    /// The hop (1-based) the step belongs to, in a phase of several hops.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hop: Option<usize>,
    /// A short lead-in for the text, e.g. "Mitigate" or a blocker's title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

impl RunbookStep {
    pub fn new(kind: StepKind, text: impl Into<String>) -> Self {
        RunbookStep {
            kind,
            text: text.into(),
            command: None,
            link: None,
            link_title: None,
            hop: None,
            label: None,
        }
    }

    /// A step from the checklist's texts, with its command and reference.
    pub fn from_data(
        kind: StepKind,
        runbook: &Runbook,
        step: &crate::checklist::steps::Step,
    ) -> Self {
        let reference = step.see.as_deref().and_then(|id| runbook.reference(id));
        RunbookStep {
            command: step.command.clone(),
            link: reference.map(|r| r.url.clone()),
            link_title: reference.map(|r| r.title.clone()),
            ..RunbookStep::new(kind, step.text.clone())
        }
    }

    pub fn labelled(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn in_hop(mut self, hop: Option<usize>) -> Self {
        self.hop = hop;
        self
    }
}

/// A document to read.
#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Serialize)]
pub struct Link {
    pub title: String,
    pub url: String,
}

/// One measurement of a go/no-go gate.
#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Serialize)]
pub struct Gate {
    /// `error_rate` or `latency_p99`.
    pub measure: &'static str,
    /// The most it may rise.
    pub limit: f64,
    /// `percentage_points` (error rate) or `percent` (latency).
    pub unit: &'static str,
    /// What it is compared with: `old_side` (a cut-over) or `baseline` (measured before an
    /// in-place window).
    pub compared_with: &'static str,
    /// How long the limit must hold, at each traffic step of a cut-over.
    pub soak_minutes: u32,
    /// How long the gate may go unmet before the rollback starts.
    pub abort_after_minutes: u32,
    /// The shares of traffic a cut-over is gated at; empty for an in-place change.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub traffic_steps: Vec<u32>,
    /// What starts the rollback, in words.
    pub rollback_trigger: String,
}

/// The batches of a phase that takes one batch of clusters per window.
#[derive(schemars::JsonSchema, Debug, Clone, serde::Serialize)]
pub struct Batches {
    pub clusters_per_window: u64,
    /// The first batches, one per window, at most [`BATCH_ROWS`].
    pub rows: Vec<BatchRow>,
    /// How many more batches follow, one per window, after the rows.
    pub more: u64,
    /// The phase's last window, renumbered from the environment's own start.
    pub last_window: u64,
    /// In a capacity rotation: how many waves' old clusters the limited capacity keeps at
    /// once; a later wave starts only once the old clusters of the wave this many before it
    /// are retired.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rotating: Option<u64>,
}

/// One batch: its window and dates, and how many clusters it takes.
#[derive(schemars::JsonSchema, Debug, Clone, serde::Serialize)]
pub struct BatchRow {
    pub batch: u64,
    /// The window, renumbered from the environment's own start.
    pub window: u64,
    pub first_day: Date,
    pub last_day: Date,
    pub clusters: u64,
    /// In a capacity rotation, for a wave whose old clusters make room for a later one: the
    /// last day they are kept for rollback, and the day they are retired.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_side_until: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retired_on: Option<Date>,
}

/// Whether and how a phase can be rolled back, following its kind.
#[derive(schemars::JsonSchema, Debug, Clone, Default, serde::Serialize)]
pub struct RollbackRule {
    /// `yes`, `no`, `until the cut-over` or `only with the data`.
    pub possible: &'static str,
    pub how: String,
    pub until: String,
    pub cost: String,
    /// Whether it can be undone, and until when, as a sentence.
    pub rule: String,
    /// The day after which going back is no longer a rollback (an in-place change once it
    /// starts; a cut-over whose data moved with it); `None` while the old side can take over.
    pub point_of_no_return: Option<Date>,
    /// What must be set up before the phase so that it can be undone (the data's way back).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
}
