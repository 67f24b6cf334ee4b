//! Change windows on the calendar: how window numbers become days and dates. Every dated
//! rendering (the gantt charts, the runbook) reads the dates made here, by one rule.

use crate::base::date::Date;
use crate::scoring::calendar::Timeline;

/// The average length of a change window in days.
pub fn days_per_window(windows_per_year: u32) -> f64 {
    365.25 / f64::from(windows_per_year.max(1))
}

/// The days windows `first..=last` (1-based) span, counted from the start of the calendar:
/// the offset of their first day and of the day after their last.
pub fn window_span(days_per_window: f64, first: u64, last: u64) -> (i64, i64) {
    let start = (first.saturating_sub(1) as f64 * days_per_window).round() as i64;
    let end = (last as f64 * days_per_window).round() as i64;
    (start, end)
}

/// Months as whole days (a month is a twelfth of 365.25 days).
pub fn month_days(months: f64) -> i64 {
    (months * 365.25 / 12.0).round() as i64
}

/// How window numbers become dates: from a start date, at a cadence, with the windows before
/// `offset` left out (a fleet environment whose shared layers are done by its Supervisor).
#[derive(Debug, Clone, Copy)]
pub struct Dating {
    pub start: Date,
    pub days_per_window: f64,
    pub offset: u64,
}

impl Dating {
    pub fn new(start: Date, windows_per_year: u32) -> Self {
        Dating {
            start,
            days_per_window: days_per_window(windows_per_year),
            offset: 0,
        }
    }

    /// The first and the last day of windows `first..=last`.
    pub fn days(&self, first: u64, last: u64) -> (Date, Date) {
        let (from, to) = window_span(
            self.days_per_window,
            first.saturating_sub(self.offset),
            last.saturating_sub(self.offset),
        );
        (
            self.start.plus_days(from),
            self.start.plus_days((to - 1).max(from)),
        )
    }

    /// The day after window `last`.
    pub fn after(&self, last: u64) -> Date {
        let (_, to) = window_span(self.days_per_window, 1, last.saturating_sub(self.offset));
        self.start.plus_days(to)
    }
}

/// A dated bar of a calendar chart: a phase's name, its first day and its length in days
/// (at least one, so that every bar shows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
    pub name: String,
    pub start: Date,
    pub days: i64,
}

/// Each strategy's phases as dated bars from `start`, and the chart's span in days (the end
/// of the last phase of any strategy).
pub fn timeline_bars(
    timeline: &[Timeline],
    windows_per_year: u32,
    start: Date,
) -> (Vec<Vec<Bar>>, i64) {
    let days_per_window = days_per_window(windows_per_year);
    let span = timeline
        .iter()
        .flat_map(|t| &t.phases)
        .map(|p| (p.last_window as f64 * days_per_window).round() as i64)
        .max()
        .unwrap_or(0);
    let bars = timeline
        .iter()
        .map(|t| {
            t.phases
                .iter()
                .map(|phase| {
                    let (from, to) =
                        window_span(days_per_window, phase.first_window, phase.last_window);
                    Bar {
                        name: phase.name.clone(),
                        start: start.plus_days(from),
                        days: (to - from).max(1),
                    }
                })
                .collect()
        })
        .collect();
    (bars, span)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_are_placed_by_one_rule() {
        // Twelve windows a year: a window is about 30.4 days.
        let d = days_per_window(12);
        assert_eq!(window_span(d, 1, 1), (0, 30));
        assert_eq!(window_span(d, 2, 3), (30, 91));
        let start: Date = "2027-01-01".parse().unwrap();
        let dating = Dating::new(start, 12);
        assert_eq!(dating.days(1, 1), (start, start.plus_days(29)));
        assert_eq!(dating.after(2), start.plus_days(61));
        let offset = Dating {
            offset: 1,
            ..dating
        };
        assert_eq!(offset.days(2, 2), (start, start.plus_days(29)));
    }
}
