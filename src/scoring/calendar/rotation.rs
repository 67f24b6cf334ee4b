//! Capacity rotation: when the spare capacity is limited and no more can be approved, the
//! parallel strategies keep at most [`Facts::waves_at_once`] waves of old clusters beside
//! their new ones. A wave's old clusters are kept for their own rollback hold and retired
//! before a later wave needs the room, so that wave starts only in the first change window
//! after the retirement. Window numbers stay the calendar's open windows from the start
//! (freezes skipped), so a plan with waiting windows still compares with others by window
//! count, and every date still comes from the windows machinery.

use super::layout::{Schedule, What};
use super::timeline::RotatedWave;
use crate::base::date::Date;
use crate::base::text::plural;
use crate::checklist::raw::PhaseKind;
use crate::scoring::facts::Facts;
use crate::scoring::windows::window_error::MAX_WINDOWS;

/// The open window dates from the facts' start, read as far as the layout needs them.
pub struct Clock<'f> {
    facts: &'f Facts,
    dates: Vec<Date>,
}

impl<'f> Clock<'f> {
    pub fn new(facts: &'f Facts) -> Self {
        Clock {
            facts,
            dates: Vec::new(),
        }
    }

    /// The date of window `index` (1-based; 0 is the start): the calendar's, or the cadence
    /// estimate when the calendar cannot date windows (dating the plan reports that error).
    pub fn date(&mut self, index: u64) -> Date {
        let facts = self.facts;
        let Some(at) = usize::try_from(index).ok().filter(|&i| i <= MAX_WINDOWS) else {
            return Date::LATEST;
        };
        if at == 0 {
            return facts.start;
        }
        if self.dates.len() < at {
            let want = at
                .max(self.dates.len().saturating_mul(2))
                .clamp(16, MAX_WINDOWS);
            let found = facts
                .calendar
                .as_ref()
                .ok()
                .and_then(|c| c.plan_windows(facts.start, want).ok());
            self.dates = match found {
                Some(found) => found.windows,
                None => (1..=want as i64)
                    .map(|i| {
                        let days = i.saturating_mul(365) / i64::from(facts.windows_per_year.max(1));
                        facts.start.plus_days(days)
                    })
                    .collect(),
            };
        }
        self.dates.get(at - 1).copied().unwrap_or(Date::LATEST)
    }

    /// The first window from `from` on whose date is after `day` (the last there is when the
    /// calendar runs out).
    pub fn first_after(&mut self, day: Date, from: u64) -> u64 {
        let mut index = from.max(1);
        loop {
            let date = self.date(index);
            if date > day || date == Date::LATEST {
                return index;
            }
            index = index.saturating_add(1);
        }
    }
}

/// The size of wave `i` (1-based) of `facts.batches`: a batch, the last one what is left.
fn wave_size(facts: &Facts, i: u64) -> u64 {
    let before = i.saturating_sub(1).saturating_mul(facts.per_window);
    facts.clusters.saturating_sub(before).min(facts.per_window)
}

/// The waves of whole clusters, one a window after the windows used so far, as one phase
/// named by `name` (given "3 waves", or how they rotate). When [`Facts::waves_at_once`] says
/// so they rotate through the capacity: wave `i` waits until the old clusters of wave
/// `i - m` have been kept for their hold and retired. Returns the most new-side clusters
/// that exist at once while their old clusters still run. The old clusters of the last `m`
/// waves are kept and retired by the phases after this one.
pub fn cluster_waves(
    s: &mut Schedule,
    facts: &Facts,
    layer: Option<&str>,
    name: &dyn Fn(&str) -> String,
    (retire_changes, retire_in_window): (u64, bool),
) -> u64 {
    let wave = What {
        kind: PhaseKind::Wave,
        layer,
        changes: facts.batches,
        shared: false,
    };
    let count = plural(facts.batches, "wave", "waves");
    let Some(at_once) = facts.waves_at_once() else {
        s.windows(|| name(&count), wave, facts.batches);
        return facts.clusters;
    };
    // The most clusters at once: the first `m` waves, all full (only the last is smaller).
    let peak = at_once.saturating_mul(facts.per_window).min(facts.clusters);
    if facts.batches > MAX_WINDOWS as u64 {
        // More waves than any calendar dates (dating says so): laid out without waiting.
        s.windows(|| name(&count), wave, facts.batches);
        return peak;
    }
    let hold = i64::from(facts.rollback_hold_days);
    let in_window = retire_in_window && retire_changes > 0;
    let mut clock = Clock::new(facts);
    let mut waves: Vec<RotatedWave> = Vec::new();
    let mut next = s.last().saturating_add(1);
    let mut retired = 0u64;
    for i in 1..=facts.batches {
        if let Some(room) = i
            .checked_sub(at_once + 1)
            .and_then(|j| waves.get_mut(usize::try_from(j).ok()?))
        {
            // The old clusters of wave `i - m` make room: held, then retired.
            let held_until = clock.date(room.window).plus_days(hold);
            room.held_until = Some(held_until);
            if in_window {
                // The retirement books the first window after the hold; the wave the next.
                let at = clock.first_after(held_until, next);
                room.retire_window = at;
                room.retired_on = Some(clock.date(at));
                next = at.saturating_add(1);
            } else {
                // Retired the day after the hold; the wave goes in a window after that day.
                let day = held_until.plus_days(1);
                room.retired_on = Some(day);
                next = clock.first_after(day, next);
            }
            retired += 1;
        }
        waves.push(RotatedWave {
            wave: i,
            window: next,
            clusters: wave_size(facts, i),
            day: clock.date(next),
            held_until: None,
            retired_on: None,
            retire_window: 0,
        });
        next = next.saturating_add(1);
    }
    let rotating = format!("{count} rotating through the limited capacity, {at_once} at a time");
    let retire_windows = if in_window { retired } else { 0 };
    s.rotated(
        || name(&rotating),
        wave,
        waves,
        (retired.saturating_mul(retire_changes), retire_windows),
    );
    peak
}
