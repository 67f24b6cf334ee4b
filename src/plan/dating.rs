//! The calendar charts' bars: each phase from its first to its last day, the freezes, and
//! the span a chart must show. The dates themselves are made by `scoring::calendar`; every
//! dated rendering (the gantt charts, the runbook) reads the same dates.

use crate::answers::calendar_spec::Freeze;
use crate::base::date::Date;
use crate::scoring::calendar::timeline::Timeline;

/// A dated bar of a calendar chart: a phase's name, its first day and its length in days
/// (at least one, so that every bar shows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
    pub name: String,
    pub start: Date,
    pub days: i64,
}

impl Bar {
    /// A bar from `first` to `last`, both days included.
    pub fn spanning(name: String, first: Date, last: Date) -> Bar {
        Bar {
            name,
            start: first,
            days: days_between(first, last),
        }
    }
}

/// Days from `first` to `last`, both included; at least one.
pub fn days_between(first: Date, last: Date) -> i64 {
    (last.unix_days() - first.unix_days() + 1).max(1)
}

/// Each strategy's phases as dated bars, and the chart's span in days from `start` (to the
/// last day of any strategy).
pub fn timeline_bars(timeline: &[Timeline], start: Date) -> (Vec<Vec<Bar>>, i64) {
    let end = timeline.iter().map(|t| t.close_date).max().unwrap_or(start);
    let bars = timeline
        .iter()
        .map(|t| {
            t.phases
                .iter()
                .map(|p| Bar::spanning(p.name.clone(), p.first_day, p.last_day))
                .collect()
        })
        .collect();
    (bars, days_between(start, end))
}

/// The freezes that overlap `start..=end`, as bars cut to that span, named by their reason.
pub fn freeze_bars(freezes: &[Freeze], start: Date, end: Date) -> Vec<Bar> {
    freezes
        .iter()
        .filter(|f| f.to >= start && f.from <= end)
        .map(|f| Bar::spanning(f.reason.clone(), f.from.max(start), f.to.min(end)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_span_their_days_and_freezes_are_cut_to_the_chart() {
        let d = |s: &str| -> Date { s.parse().unwrap() };
        let bar = Bar::spanning("x".into(), d("2027-01-02"), d("2027-01-02"));
        assert_eq!(bar.days, 1);
        assert_eq!(days_between(d("2027-01-01"), d("2027-12-31")), 365);
        let freezes = [
            Freeze {
                from: d("2026-12-20"),
                to: d("2027-01-05"),
                reason: "year end".into(),
            },
            Freeze {
                from: d("2028-01-01"),
                to: d("2028-01-05"),
                reason: "later".into(),
            },
        ];
        let bars = freeze_bars(&freezes, d("2027-01-01"), d("2027-06-30"));
        assert_eq!(
            bars,
            [Bar {
                name: "year end".into(),
                start: d("2027-01-01"),
                days: 5
            }]
        );
    }
}
