//! What a strategy's plan is: its phases and windows, its dates, when production runs the
//! target and when the programme closes, and how many of its changes are risky.

use serde::Serialize;

use crate::base::date::Date;
use crate::checklist::raw::PhaseKind;
use crate::checklist::strategy::Strategy;
use crate::scoring::windows::SkippedWindow;

#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Serialize)]
pub struct Timeline {
    pub strategy: Strategy,
    /// Production changes needed, risky and low-risk.
    pub changes: u64,
    /// The risky production changes: in-place hops (each batch's) and cut-overs. Building the
    /// new side and retiring the old one are low-risk and not counted here.
    pub risky_changes: u64,
    /// Change windows the plan books (a capacity rotation may wait through others).
    pub windows: u64,
    /// The windows until production runs the target everywhere, counted among the
    /// calendar's open windows from the start (those a capacity rotation waits through too).
    pub windows_to_target: u64,
    /// Time to target: calendar months from the start to `target_date`.
    pub months: f64,
    /// The day production runs the target everywhere: the last hop or cut-over.
    pub target_date: Date,
    /// The day the programme closes: the old side retired after its rollback hold (in place,
    /// the target date).
    pub close_date: Date,
    /// Calendar months from the start to `close_date`.
    pub close_months: f64,
    /// Days the old side is kept, untouched, for rollback after the last cut-over (0 in place).
    pub rollback_hold_days: u32,
    /// The most new-side workload clusters that exist at once while their old clusters still
    /// run: the extra clusters the plan needs. Blue-Green and a Hybrid of whole clusters keep
    /// every old cluster until the last cut-over (all the environment's workload clusters),
    /// unless limited capacity makes them rotate (at most the waves the capacity holds times
    /// the batch size). 0 in place, and 0 for a Hybrid that replaces node pools inside the
    /// clusters: it needs extra node pools, not extra clusters.
    pub peak_extra_clusters: u64,
    pub phases: Vec<Phase>,
    /// Windows a freeze skipped, with the freeze.
    pub skipped_windows: Vec<SkippedWindow>,
    /// The gate that rules this strategy out, if one does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ruled_out_by: Option<String>,
}

#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Serialize)]
pub struct Phase {
    pub name: String,
    pub kind: PhaseKind,
    /// The layer the phase changes (its id), when it changes one layer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub layer: Option<String>,
    pub changes: u64,
    /// Whether its changes are risky production changes (in-place hops, cut-overs).
    pub risky: bool,
    /// An in-place change of a shared layer (done once per management plane in a fleet).
    pub shared: bool,
    /// First and last window (1-based) the phase occupies; both 0 when it books none (the
    /// rollback hold; a retirement outside change windows). A capacity rotation's waves
    /// may leave windows between them unused (waiting for room).
    pub first_window: u64,
    pub last_window: u64,
    /// The dated change windows it uses, in order.
    pub windows: Vec<Date>,
    /// The phase's first and last day: its first and last window, or the days of the hold.
    pub first_day: Date,
    pub last_day: Date,
    /// A capacity rotation's waves, in order: each wave's window and when its old clusters
    /// are retired to make room for a later wave. Empty when the waves do not rotate.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rotation: Vec<RotatedWave>,
}

/// One wave of a capacity rotation.
#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Serialize)]
pub struct RotatedWave {
    pub wave: u64,
    /// Its cut-over window (1-based, among the calendar's open windows from the start).
    pub window: u64,
    pub clusters: u64,
    /// The day of its cut-over.
    pub day: Date,
    /// The last day its old clusters are kept for rollback, and the day they are retired to
    /// make room for a later wave (in the window `retire_window` when retirement books one);
    /// `None` for the last waves, whose old clusters the phases after this one hold and
    /// retire.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub held_until: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retired_on: Option<Date>,
    /// The window its retirement books (0: none, it is retired outside change windows).
    #[serde(skip_serializing_if = "is_zero")]
    pub retire_window: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}
