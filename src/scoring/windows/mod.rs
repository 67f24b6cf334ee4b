//! Change windows as dates a change board can book: a schedule (`window_rule`), the freezes
//! no window may fall in, and the next windows from a start date with the windows the
//! freezes skipped. Every date operation is `jiff`'s; window and freeze dates are civil dates
//! in the schedule's time zone. Pure: nothing here reads the clock.

pub mod window_error;
pub mod window_rule;

use jiff::Span;

use crate::answers::calendar_spec::{CalendarSpec, Freeze, MAX_FREEZES};
use crate::base::date::Date;
use window_error::{MAX_WINDOWS, WindowError};
use window_rule::{WindowRule, WindowSchedule};

/// How far past the start the search for windows goes, in years, before it gives up.
pub const HORIZON_YEARS: i16 = 100;

/// A window a freeze skipped, and the freeze (the first in the list that covers it).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct SkippedWindow {
    pub date: Date,
    pub freeze: Freeze,
}

/// The windows [`next_windows`] found, and the ones the freezes skipped on the way (all
/// before the last window found).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WindowDates {
    pub windows: Vec<Date>,
    pub skipped: Vec<SkippedWindow>,
}

/// The next `count` window dates of `schedule` from `start` on (a window on `start` counts)
/// that fall in no freeze, with the windows skipped and the freeze that skipped each.
///
/// Fails, rather than searching on, when `count` is above [`MAX_WINDOWS`], when there are
/// more than [`MAX_FREEZES`] freezes or one ends before it starts, when a listed schedule runs
/// out of dates, when the freezes skip every window for a year (a freeze, or overlapping and
/// touching freezes, lasting a year or more over a window; or windows skipped in a row for a
/// year), and when the windows would reach past [`HORIZON_YEARS`] years after the start.
pub fn next_windows(
    schedule: &WindowSchedule,
    freezes: &[Freeze],
    start: Date,
    count: usize,
) -> Result<WindowDates, WindowError> {
    search(schedule, freezes, start, count, false)
}

/// Like [`next_windows`] for a plan longer than windows are dated: past [`MAX_WINDOWS`]
/// windows or the last day there is, the remaining windows saturate at [`Date::LATEST`]
/// (so the plan shows as running to the end of the calendar) instead of failing. Schedule
/// and freeze problems still fail.
pub fn next_windows_saturating(
    schedule: &WindowSchedule,
    freezes: &[Freeze],
    start: Date,
    count: usize,
) -> Result<WindowDates, WindowError> {
    let mut found = search(schedule, freezes, start, count.min(MAX_WINDOWS), true)?;
    found
        .windows
        .resize(count.max(found.windows.len()), Date::LATEST);
    Ok(found)
}

fn search(
    schedule: &WindowSchedule,
    freezes: &[Freeze],
    start: Date,
    count: usize,
    saturate: bool,
) -> Result<WindowDates, WindowError> {
    if count > MAX_WINDOWS {
        return Err(WindowError::TooManyWindows { wanted: count });
    }
    if freezes.len() > MAX_FREEZES {
        return Err(WindowError::TooManyFreezes {
            listed: freezes.len(),
        });
    }
    if let Some(freeze) = freezes.iter().find(|f| f.to < f.from) {
        return Err(WindowError::FreezeBackwards {
            freeze: freeze.clone(),
        });
    }
    let mut found = WindowDates::default();
    if count == 0 {
        return Ok(found);
    }
    let year_after = |date: Date| {
        date.civil()
            .checked_add(Span::new().years(1))
            .ok()
            .and_then(Date::from_civil)
            .unwrap_or(Date::LATEST)
    };
    let until = if saturate {
        Date::LATEST
    } else {
        start
            .civil()
            .checked_add(Span::new().years(HORIZON_YEARS))
            .ok()
            .and_then(Date::from_civil)
            .unwrap_or(Date::LATEST)
    };
    let mut sweep = Sweep::new(freezes);
    // The first window of the current run of skipped windows.
    let mut skipped_since: Option<Date> = None;
    for date in schedule.candidates(start) {
        if date > until && saturate {
            return Ok(found);
        }
        if date > until {
            return Err(WindowError::BeyondHorizon {
                found: found.windows.len(),
                wanted: count,
                until,
            });
        }
        let Some(index) = sweep.covering(date) else {
            skipped_since = None;
            found.windows.push(date);
            if found.windows.len() == count {
                return Ok(found);
            }
            continue;
        };
        let (from, to) = sweep.run_of(date);
        if year_after(from) <= to.plus_days(1) {
            return Err(WindowError::AllFrozen { from, to });
        }
        let since = *skipped_since.get_or_insert(date);
        if year_after(since) <= date {
            return Err(WindowError::AllFrozen {
                from: since,
                to: date,
            });
        }
        found.skipped.push(SkippedWindow {
            date,
            freeze: freezes[index].clone(),
        });
    }
    match schedule.rule() {
        WindowRule::Dates(dates) => Err(WindowError::NotEnoughDates {
            found: found.windows.len(),
            wanted: count,
            start,
            skipped: found.skipped.len(),
            last: dates.last().copied().unwrap_or(start),
        }),
        _ if saturate => Ok(found),
        _ => Err(WindowError::BeyondHorizon {
            found: found.windows.len(),
            wanted: count,
            until: Date::LATEST,
        }),
    }
}

/// The freezes swept in date order, for dates asked in increasing order: which freeze
/// covers a date, and the run of overlapping or touching freezes it lies in.
struct Sweep<'f> {
    freezes: &'f [Freeze],
    /// Freeze indices by first day.
    order: Vec<usize>,
    next: usize,
    /// Indices of the freezes begun and not yet over.
    active: Vec<usize>,
    /// Runs of overlapping or touching freezes, in date order, and the one reached.
    runs: Vec<(Date, Date)>,
    run: usize,
}

impl<'f> Sweep<'f> {
    fn new(freezes: &'f [Freeze]) -> Self {
        let mut order: Vec<usize> = (0..freezes.len()).collect();
        order.sort_by_key(|&i| (freezes[i].from, i));
        let mut runs: Vec<(Date, Date)> = Vec::new();
        for &i in &order {
            let Freeze { from, to, .. } = freezes[i];
            match runs.last_mut() {
                Some((_, end)) if from <= end.plus_days(1) => *end = (*end).max(to),
                _ => runs.push((from, to)),
            }
        }
        Sweep {
            freezes,
            order,
            next: 0,
            active: Vec::new(),
            runs,
            run: 0,
        }
    }

    /// The first freeze in the list that covers `date`, if any.
    fn covering(&mut self, date: Date) -> Option<usize> {
        while let Some(&i) = self.order.get(self.next) {
            if self.freezes[i].from > date {
                break;
            }
            self.active.push(i);
            self.next += 1;
        }
        let freezes = self.freezes;
        self.active.retain(|&i| freezes[i].to >= date);
        self.active.iter().copied().min()
    }

    /// The run holding `date`, which a freeze covers.
    fn run_of(&mut self, date: Date) -> (Date, Date) {
        while self.runs.get(self.run).is_some_and(|(_, end)| *end < date) {
            self.run += 1;
        }
        self.runs.get(self.run).copied().unwrap_or((date, date))
    }
}

/// What a plan is dated with besides the answers: the answers file's `calendar:` block
/// (with any imported freezes) and the first day of the calendar.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct When {
    pub spec: Option<CalendarSpec>,
    pub start: Date,
    /// Clusters whose copies the measured spare room holds at once (capacity evidence); it
    /// stands for the checklist's `calendar.limited_capacity_clusters` when capacity is limited.
    pub capacity_clusters: Option<u64>,
}

impl When {
    /// No `calendar:` block: the cadence answer's windows in UTC, from `start`.
    pub fn from_start(start: Date) -> When {
        When {
            spec: None,
            start,
            capacity_clusters: None,
        }
    }

    /// The fixed start the tests and examples use (2027-01-04), with no `calendar:` block.
    pub fn example() -> When {
        When::from_start("2027-01-04".parse().expect("a valid date"))
    }
}

/// A calendar ready to date a plan: the schedule, the freezes and the rollback hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeCalendar {
    pub schedule: WindowSchedule,
    pub freezes: Vec<Freeze>,
    /// The `calendar:` block's hold; `None` leaves the checklist's default.
    pub rollback_hold_days: Option<u32>,
}

impl ChangeCalendar {
    /// The calendar of an answers file's `calendar:` block (`None`: the cadence fallback in
    /// UTC, no freezes).
    pub fn new(
        spec: Option<&CalendarSpec>,
        windows_per_year: u32,
    ) -> Result<ChangeCalendar, WindowError> {
        Ok(ChangeCalendar {
            schedule: WindowSchedule::from_spec(spec, windows_per_year)?,
            freezes: spec.and_then(|s| s.freezes.clone()).unwrap_or_default(),
            rollback_hold_days: spec.and_then(|s| s.rollback_hold_days),
        })
    }

    /// [`next_windows`] of this calendar.
    pub fn next_windows(&self, start: Date, count: usize) -> Result<WindowDates, WindowError> {
        next_windows(&self.schedule, &self.freezes, start, count)
    }

    /// [`next_windows_saturating`] of this calendar: how plans are dated.
    pub fn plan_windows(&self, start: Date, count: usize) -> Result<WindowDates, WindowError> {
        next_windows_saturating(&self.schedule, &self.freezes, start, count)
    }
}

#[cfg(test)]
mod tests;
