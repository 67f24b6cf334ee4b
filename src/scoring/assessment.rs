//! What an assessment says: the recommendation and everything that explains it.

use serde::Serialize;

use crate::answers::calendar_spec::Freeze;
use crate::base::date::Date;
use crate::checklist::strategy::{Strategy, Toward};
use crate::kube::version::Version;
use crate::scoring::calendar::timeline::Timeline;
use crate::scoring::confidence::Confidence;
use crate::scoring::feasibility::{Blocker, ClosedGate, Feasibility};
use crate::scoring::layers::LayerPlan;
use crate::scoring::preference::{Driver, Scores};

/// The outcome of an assessment.
#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    pub recommendation: Recommendation,
    pub scores: Scores,
    /// Preference contributions, largest first. Prerequisites are never drivers.
    pub drivers: Vec<Driver>,
    /// Every strategy's prerequisites, met or not, and whether it is possible.
    pub feasibility: Vec<Feasibility>,
    /// Missing should-have prerequisites of the recommended strategy.
    pub blockers: Vec<Blocker>,
    /// Questions answered `unknown`, with what each known answer would give.
    pub unknowns: Vec<UnknownAnswer>,
    pub risks: Vec<RiskItem>,
    pub next_steps: Vec<String>,
    pub layers: Vec<LayerPlan>,
    pub path: UpgradePath,
    /// The answers the calendar arithmetic used.
    pub calendar: CalendarBasis,
    pub timeline: Vec<Timeline>,
}

impl Assessment {
    /// Time to target of the recommended strategy, in calendar months.
    pub fn recommended_months(&self) -> f64 {
        self.timeline_of(self.recommendation.strategy)
            .map_or(0.0, |t| t.months)
    }

    pub fn timeline_of(&self, strategy: Strategy) -> Option<&Timeline> {
        self.timeline.iter().find(|t| t.strategy == strategy)
    }
}

#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CalendarBasis {
    pub clusters: u64,
    /// Batches of clusters, one per window (waves, for the parallel strategies).
    pub batches: u64,
    /// The most clusters changed in one window.
    pub clusters_per_window: u64,
    pub changes_per_window: u64,
    pub windows_per_year: u32,
    /// The first day of the calendar: no window before it.
    pub start: Date,
    /// Days the old side of a parallel plan is kept for rollback after its last cut-over.
    pub rollback_hold_days: u32,
    /// When the change windows are, in words ("the first Saturday of every month").
    pub schedule: String,
    /// The IANA time zone the window and freeze dates are civil dates in.
    pub time_zone: String,
    /// The freezes no window falls in.
    pub freezes: Vec<Freeze>,
}

#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Serialize)]
pub struct Recommendation {
    pub strategy: Strategy,
    pub name: String,
    pub confidence: Confidence,
    /// Why the confidence is not higher (empty when high).
    pub confidence_reasons: Vec<String>,
    /// Where the weighed preferences point: `blue-green` or `sequential`.
    pub leaning: Toward,
    /// Gates that closed, in checklist order, each with the answers that fired it.
    pub gates: Vec<ClosedGate>,
    /// Strategies that are not possible, with the gates that rule them out.
    pub ruled_out: Vec<RuledOut>,
    /// A few sentences explaining the recommended plan.
    pub rationale: Vec<String>,
}

#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Serialize)]
pub struct RuledOut {
    pub strategy: Strategy,
    pub gates: Vec<String>,
}

#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Serialize)]
pub struct RiskItem {
    pub question: String,
    pub answer: String,
    pub risk: String,
    pub mitigation: String,
}

#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Serialize)]
pub struct UpgradePath {
    pub from: Version,
    pub to: Version,
    /// Every in-place minor hop of the workload clusters.
    pub hops: Vec<Version>,
}

/// A question answered `unknown`, and the recommendation each known answer would give.
#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Serialize)]
pub struct UnknownAnswer {
    pub question: String,
    /// Some known answer changes the recommendation.
    pub deciding: bool,
    pub outcomes: Vec<Outcome>,
}

#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    pub answer: String,
    pub strategy: Strategy,
}
