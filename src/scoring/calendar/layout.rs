//! The layout of a plan in change windows: phases after the ones they depend on, in-place
//! changes packed into shared windows, and the counts the decision weighs.

use super::timeline::{Phase, RotatedWave, Timeline};
use crate::base::date::Date;
use crate::checklist::raw::PhaseKind;
use crate::checklist::strategy::Strategy;

/// Lays phases out over change windows, each after the one it depends on. Dates come later
/// ([`dates::date`]): the layout is in window numbers, which is all the decision needs.
pub struct Schedule {
    /// Build phase names and keep the phases; off when only the counts are wanted.
    record: bool,
    per_window: u64,
    /// The last window used so far (0: none): a number among the calendar's open windows
    /// from the start, so windows a rotation waits through count too.
    last: u64,
    /// Windows the plan books (fewer than `last` when a rotation waits).
    booked: u64,
    /// Change slots still free in `last`, for in-place changes that may share it.
    room: u64,
    changes: u64,
    risky: u64,
    /// The last window of a risky phase: production runs the target after it.
    to_target: u64,
    phases: Vec<Phase>,
}

/// What a phase is, apart from where it lands.
pub struct What<'a> {
    pub kind: PhaseKind,
    pub layer: Option<&'a str>,
    pub changes: u64,
    pub shared: bool,
}

impl Schedule {
    pub fn new(per_window: u64, record: bool) -> Self {
        Schedule {
            record,
            per_window: per_window.max(1),
            last: 0,
            booked: 0,
            room: 0,
            changes: 0,
            risky: 0,
            to_target: 0,
            phases: Vec::new(),
        }
    }

    /// In-place changes, `per_window` to a window; they may continue the window of the
    /// in-place change before them.
    pub fn packed(&mut self, name: impl FnOnce() -> String, what: What) {
        let changes = what.changes;
        if changes == 0 {
            return;
        }
        let from_room = self.room.min(changes);
        let rest = changes - from_room;
        let first = if from_room > 0 {
            self.last
        } else {
            self.last.saturating_add(1)
        };
        let extra = rest.div_ceil(self.per_window);
        self.last = self.last.saturating_add(extra);
        self.booked = self.booked.saturating_add(extra);
        self.room = if extra > 0 {
            extra.saturating_mul(self.per_window) - rest
        } else {
            self.room - from_room
        };
        self.push(name, what, first, self.last);
    }

    /// A phase of whole windows that starts after everything before it has ended.
    pub fn windows(&mut self, name: impl FnOnce() -> String, what: What, windows: u64) {
        if windows == 0 {
            return;
        }
        let first = self.last.saturating_add(1);
        self.last = self.last.saturating_add(windows);
        self.booked = self.booked.saturating_add(windows);
        self.room = 0;
        self.push(name, what, first, self.last);
    }

    /// The last window used so far (0: none).
    pub fn last(&self) -> u64 {
        self.last
    }

    /// A capacity rotation's waves as one phase, in the windows `waves` name (the rotation
    /// may wait through others), with the old clusters retired between them: `retired`
    /// low-risk changes in `retire_windows` windows of their own (0 when they need none).
    pub fn rotated(
        &mut self,
        name: impl FnOnce() -> String,
        what: What,
        waves: Vec<RotatedWave>,
        (retired, retire_windows): (u64, u64),
    ) {
        let (Some(first), Some(last)) = (waves.first(), waves.last()) else {
            return;
        };
        let (first, last) = (first.window, last.window.max(self.last));
        self.last = last;
        let booked = (waves.len() as u64).saturating_add(retire_windows);
        self.booked = self.booked.saturating_add(booked);
        self.room = 0;
        self.changes = self.changes.saturating_add(retired);
        self.push(name, what, first, last);
        if let Some(phase) = self.phases.last_mut().filter(|_| self.record) {
            phase.rotation = waves;
        }
    }

    /// A phase that books no change window (the rollback hold; a low-risk retirement).
    pub fn outside_windows(&mut self, name: impl FnOnce() -> String, what: What) {
        self.push(name, what, 0, 0);
    }

    pub fn push(&mut self, name: impl FnOnce() -> String, what: What, first: u64, last: u64) {
        let risky = matches!(what.kind, PhaseKind::InPlace | PhaseKind::Wave);
        self.changes = self.changes.saturating_add(what.changes);
        if risky {
            self.risky = self.risky.saturating_add(what.changes);
            self.to_target = self.to_target.max(last);
        }
        if !self.record {
            return;
        }
        self.phases.push(Phase {
            name: name(),
            kind: what.kind,
            layer: what.layer.map(str::to_string),
            changes: what.changes,
            risky,
            shared: what.shared,
            first_window: first,
            last_window: last,
            windows: Vec::new(),
            first_day: Date::EARLIEST,
            last_day: Date::EARLIEST,
            rotation: Vec::new(),
        });
    }

    pub fn finish(self, strategy: Strategy, hold: u32) -> Timeline {
        Timeline {
            strategy,
            changes: self.changes,
            risky_changes: self.risky,
            windows: self.booked,
            windows_to_target: self.to_target,
            months: 0.0,
            target_date: Date::EARLIEST,
            close_date: Date::EARLIEST,
            close_months: 0.0,
            rollback_hold_days: hold,
            peak_extra_clusters: 0,
            phases: self.phases,
            skipped_windows: Vec::new(),
            ruled_out_by: None,
        }
    }
}
