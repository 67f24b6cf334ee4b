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
    /// Change windows the plan books.
    pub windows: u64,
    /// The windows until production runs the target everywhere.
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
    /// rollback hold; a retirement outside change windows).
    pub first_window: u64,
    pub last_window: u64,
    /// The dated change windows it uses, in order.
    pub windows: Vec<Date>,
    /// The phase's first and last day: its first and last window, or the days of the hold.
    pub first_day: Date,
    pub last_day: Date,
}
