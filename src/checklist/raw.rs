//! The checklist file exactly as written, before references are checked.
//!
//! Unknown keys are rejected so a typo in a custom checklist is reported, not ignored.

use serde::{Deserialize, Serialize};

use crate::checklist::strategy::{Strategy, Toward};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawChecklist {
    pub id: String,
    pub version: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub bindings: RawBindings,
    pub decision: RawDecision,
    pub strategies: RawStrategies,
    pub calendar: RawCalendar,
    #[serde(default)]
    pub layers: Vec<RawLayer>,
    #[serde(default)]
    pub signals: Vec<RawSignal>,
    #[serde(default)]
    pub gates: Vec<RawGate>,
    #[serde(default)]
    pub blockers: Vec<RawBlocker>,
    pub sections: Vec<RawSection>,
    /// Which questions `scan` evidence answers.
    #[serde(default)]
    pub evidence: RawEvidenceBindings,
    /// Step texts for `assess --format runbook`; optional.
    #[serde(default)]
    pub runbook: RawRunbook,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEvidenceBindings {
    pub deprecated_apis: Option<String>,
    pub pdbs_and_probes: Option<String>,
    pub stateful_workloads: Option<String>,
    pub pod_autoscaling: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBindings {
    pub current_version: String,
    pub target_version: String,
    pub cluster_count: String,
    pub change_window: String,
    pub changes_per_window: String,
    pub clusters_per_window: String,
    /// The spare-capacity choice question (its `limited` choice), for capacity rotation.
    #[serde(default)]
    pub spare_capacity: Option<String>,
    /// The yes/no question whether more capacity can be approved, for capacity rotation.
    #[serde(default)]
    pub capacity_expansion: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDecision {
    pub blue_green_margin: i64,
    pub confidence: RawConfidence,
    /// When this holds, applications ride through rolling restarts, so a parallel move that
    /// gains no calendar time loses to the cheaper in-place plan.
    pub restarts_tolerated: Option<RawCondition>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfidence {
    pub high: i64,
    pub medium: i64,
    /// Deciding questions answered `unknown` that make the confidence low.
    #[serde(default = "two")]
    pub low_with_unknowns: u32,
}

fn two() -> u32 {
    2
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStrategies {
    pub sequential: RawStrategyText,
    #[serde(rename = "blue-green")]
    pub blue_green: RawStrategyText,
    pub hybrid: RawStrategyText,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStrategyText {
    pub name: String,
    pub summary: String,
    #[serde(default)]
    pub next_steps: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCalendar {
    pub blue_green_build_changes: u32,
    pub blue_green_decommission_changes: u32,
    pub hybrid_decommission_changes: u32,
    /// Days the old side is kept untouched for rollback after the last wave, before it is
    /// retired (an answers file's `calendar.rollback_hold_days` overrides it).
    #[serde(default = "fourteen")]
    pub rollback_hold_days: u32,
    /// Whether retiring the old side needs a production change window of its own; by default
    /// it is a low-risk change done once the hold is over.
    #[serde(default)]
    pub retire_in_window: bool,
    /// Extra clusters a `limited` spare capacity holds at once (with no expansion approved):
    /// the parallel strategies rotate their waves through it.
    #[serde(default)]
    pub limited_capacity_clusters: Option<u32>,
}

fn fourteen() -> u32 {
    14
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LayerRole {
    /// Shared by several workload clusters (a management plane, a platform service):
    /// upgraded in place under Hybrid.
    Shared,
    /// The workload clusters (or their node pools): versions come from the bindings. Replaced
    /// blue-green under Hybrid.
    Workload,
    /// Each cluster's own control plane: versions come from the bindings; upgraded in place,
    /// one minor per hop, under Sequential and Hybrid.
    ControlPlane,
    /// The applications on the clusters.
    Applications,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Steps {
    /// One minor version per in-place change (Kubernetes control planes).
    Minor,
    /// One in-place change, whatever the distance (a platform service).
    Direct,
}

impl Steps {
    /// The versions passed on the way from `from` to `to` in place (the last is `to`): every
    /// minor for `Minor`, just the target for `Direct`; none when there is nothing to do.
    pub fn path(
        self,
        from: crate::kube::version::Version,
        to: crate::kube::version::Version,
    ) -> Vec<crate::kube::version::Version> {
        match self {
            Steps::Minor => from.hops_to(to),
            Steps::Direct if to > from => vec![to],
            Steps::Direct => Vec::new(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLayer {
    pub id: String,
    pub name: String,
    pub role: LayerRole,
    pub from: Option<String>,
    pub to: Option<String>,
    pub steps: Option<Steps>,
    /// For a control plane: how many minors its nodes may lag behind it (kubelet skew), so
    /// node pools must move at least every `max_skew` hops.
    pub max_skew: Option<u32>,
    /// What happens to the layer under each strategy, with `{from}`, `{to}`, `{steps}`,
    /// `{hops}`, `{clusters}`, `{batches}` and `{waves}` filled in, and where the nodes move:
    /// `{node_stops}` (the versions, "1.33 and 1.35") and `{drains}` ("2 node drains").
    pub notes: RawNotes,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNotes {
    pub sequential: String,
    #[serde(rename = "blue-green")]
    pub blue_green: String,
    pub hybrid: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// In-place minor hops of the workload clusters.
    Hops,
    /// Change windows the Sequential strategy needs.
    SequentialWindows,
    /// Months the Sequential strategy needs.
    SequentialMonths,
    /// Workload clusters in scope.
    ClusterCount,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSignal {
    pub id: String,
    pub measure: Measure,
    pub question: String,
    pub bands: Vec<RawBand>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBand {
    pub up_to: Option<f64>,
    pub leans: Toward,
    pub weight: u32,
    pub reason: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGate {
    pub id: String,
    /// The must-have prerequisite, phrased as met (e.g. "A way to move traffic").
    pub need: Option<String>,
    pub rules_out: Vec<Strategy>,
    pub when: RawCondition,
    pub reason: String,
    /// What would make the ruled-out strategies possible again.
    pub action: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBlocker {
    pub id: String,
    /// The should-have prerequisite, phrased as met.
    pub need: Option<String>,
    pub question: String,
    pub strategies: Vec<Strategy>,
    pub when: RawCondition,
    pub title: String,
    pub action: String,
    /// Whether the blocker is a stated requirement the plan contradicts (a named conflict in
    /// the runbook, open until someone accepts the risk), rather than something missing.
    #[serde(default)]
    pub conflict: bool,
}

/// A condition: exactly one of a question test, `all` or `any`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCondition {
    pub question: Option<String>,
    pub equals: Option<String>,
    pub one_of: Option<Vec<String>>,
    pub not_one_of: Option<Vec<String>>,
    pub answered: Option<bool>,
    pub all: Option<Vec<RawCondition>>,
    pub any: Option<Vec<RawCondition>>,
    /// A computed fact instead of a question (`removed_apis`, `hops`), with `above: N`.
    pub fact: Option<Fact>,
    pub above: Option<u64>,
    /// How reports say the test when it holds, e.g. "the Supervisor is shared".
    pub says: Option<String>,
}

/// Facts the engine computes from the answers, for conditions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Fact {
    /// Kubernetes API group/versions removed after the current version, up to the target.
    RemovedApis,
    /// In-place minor hops from the current to the target version.
    Hops,
    /// Clusters by which one batch (`clusters_per_window`) exceeds what a limited spare
    /// capacity with no expansion holds (`calendar.limited_capacity_clusters`); 0 when it fits
    /// or the capacity is not limited.
    BatchOverCapacity,
}

impl Fact {
    /// The name as written in a checklist.
    pub fn name(self) -> &'static str {
        match self {
            Fact::RemovedApis => "removed_apis",
            Fact::Hops => "hops",
            Fact::BatchOverCapacity => "batch_over_capacity",
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSection {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    pub questions: Vec<RawQuestion>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RawKind {
    Choice,
    YesNo,
    Integer,
    Version,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQuestion {
    pub id: String,
    pub prompt: String,
    #[serde(default)]
    pub help: String,
    #[serde(rename = "type")]
    pub kind: RawKind,
    #[serde(default)]
    pub choices: Vec<RawChoice>,
    pub default: Option<serde_yaml::Value>,
    pub default_from: Option<String>,
    pub required: Option<bool>,
    pub when: Option<RawCondition>,
    pub min: Option<u64>,
    pub max: Option<u64>,
    /// For a version question: a version as people will write it, shown in hints ("3.1" for
    /// a VKS release). Without it, hints say "1.30".
    pub example: Option<String>,
    /// The choices from the one leaning most toward Sequential to the one leaning most toward
    /// Blue-Green (answers like `unknown` may stay out).
    #[serde(default)]
    pub order: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawChoice {
    pub value: String,
    pub label: Option<String>,
    pub leans: Option<Toward>,
    pub weight: Option<u32>,
    pub reason: Option<String>,
    pub risk: Option<String>,
    pub mitigation: Option<String>,
    /// The strategies the risk and its mitigation belong to; absent: every strategy.
    pub risk_for: Option<Vec<Strategy>>,
    pub windows_per_year: Option<u32>,
    /// `unknown: true` (or the value `unknown`): the answer is not evidence either way.
    pub unknown: Option<bool>,
    /// The lean holds only in this context; otherwise the `otherwise` lean applies.
    pub context: Option<RawContext>,
    /// For an answer that says how data moves to the new side: how a cut-over is undone.
    pub rollback: Option<RawDataRollback>,
}

/// How the data a cut-over moved comes back (see [`crate::checklist::model::DataRollback`]).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDataRollback {
    pub before: String,
    pub how: String,
    pub point_of_no_return: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawContext {
    pub when: RawCondition,
    pub otherwise: RawOtherwise,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOtherwise {
    pub leans: Toward,
    pub weight: u32,
    pub reason: String,
}

// The `runbook:` section.

/// What a phase does, for renderers that lay out runbooks and rollback matrices.
#[derive(schemars::JsonSchema, Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PhaseKind {
    /// A layer upgraded where it runs.
    InPlace,
    /// The new environment built at the target.
    Build,
    /// Clusters (or node pools) moved to the new side, one batch per window.
    Wave,
    /// The old side kept, untouched, so traffic can move back.
    Rollback,
    /// The old side retired.
    Decommission,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRunbook {
    /// Documents the steps point to (vendor documentation, upstream guides).
    #[serde(default)]
    pub references: Vec<RawReference>,
    /// Checks before the first window, each shown when its condition holds (always without one).
    #[serde(default)]
    pub before: Vec<RawCheck>,
    /// Step texts per phase kind, optionally per layer and strategy.
    #[serde(default)]
    pub phases: Vec<RawPhaseSteps>,
    /// The go/no-go gates' limits; absent: the built-in defaults.
    pub gates: Option<RawGates>,
}

/// `runbook.gates`: every limit a go/no-go gate measures against.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGates {
    pub error_rate_increase_pct: f64,
    pub latency_p99_increase_pct: f64,
    pub soak_minutes: u32,
    pub abort_after_minutes: u32,
    pub traffic_steps: Vec<u32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawReference {
    pub id: String,
    pub title: String,
    pub url: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCheck {
    pub step: String,
    pub command: Option<String>,
    pub see: Option<String>,
    pub when: Option<RawCondition>,
}

/// A step: what to do, and a command only where one is documented.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStepFields {
    pub step: String,
    pub command: Option<String>,
    /// A reference id for further reading.
    pub see: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum RawStep {
    Text(String),
    Full(RawStepFields),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPhaseSteps {
    pub kind: PhaseKind,
    /// The layer id the texts are for; without it they apply to any layer of the kind.
    pub layer: Option<String>,
    /// The strategies the texts are for; all when empty.
    #[serde(default)]
    pub strategies: Vec<Strategy>,
    /// When the texts apply (a platform's own commands and links); always without one.
    pub when: Option<RawCondition>,
    /// Reference ids the phase points to.
    #[serde(default)]
    pub see: Vec<String>,
    #[serde(default)]
    pub pre_checks: Vec<RawStep>,
    pub change: Vec<RawStep>,
    #[serde(default)]
    pub validation: Vec<RawStep>,
    #[serde(default)]
    pub go_no_go: Vec<RawStep>,
    #[serde(default)]
    pub rollback: Vec<RawStep>,
}
