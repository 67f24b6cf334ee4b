//! How a schedule picks its window dates: a weekday in some week of every month (or of
//! every few months), every other week, or an explicit list; the fallback from the cadence
//! answer; the candidate dates from a start date, freezes not applied. Civil dates in the
//! schedule's time zone, which decides what "today" is.

use std::fmt;

use jiff::civil::{self, Weekday};
use jiff::{Span, Timestamp};

use super::window_error::WindowError;
use crate::answers::calendar_spec::{
    CalendarSpec, MAX_WINDOW_DATES, TimeZoneName, WeekOfMonth, WindowsSpec,
};
use crate::base::date::Date;

/// The weekday the cadence fallback books: a quiet day with the rest of the weekend as a
/// buffer, as most change boards book production changes (and the issue's own example).
pub const FALLBACK_WEEKDAY: Weekday = Weekday::Saturday;

/// How a schedule picks its window dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WindowRule {
    /// `weekday` in the weeks `week` picks (`Every`: each one), in every month whose number
    /// counted from January is a multiple of `every_months` (1: every month; 3: January,
    /// April, July and October). `every_months` divides 12.
    Monthly {
        weekday: Weekday,
        week: WeekOfMonth,
        every_months: u8,
    },
    /// `weekday` every other week, on a fixed grid (the first such weekday from 1970-01-01
    /// on, then every 14 days), so that the grid does not move with the start date.
    Fortnightly { weekday: Weekday },
    /// Exactly these dates: at least one, at most [`MAX_WINDOW_DATES`], increasing.
    Dates(Vec<Date>),
}

/// When change windows happen, and the zone whose civil dates they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WindowSchedule {
    rule: WindowRule,
    zone: TimeZoneName,
}

/// The sparse cadences the fallback offers below monthly: (windows a year, months apart).
const MONTH_STEPS: [(u32, u8); 5] = [(6, 2), (4, 3), (3, 4), (2, 6), (1, 12)];

impl WindowSchedule {
    /// `weekday` in the week `week` of every month (`Every`: every week).
    pub fn weekday(weekday: Weekday, week: WeekOfMonth, zone: TimeZoneName) -> WindowSchedule {
        WindowSchedule {
            rule: WindowRule::Monthly {
                weekday,
                week,
                every_months: 1,
            },
            zone,
        }
    }

    /// Exactly `dates` (sorted here, each kept once).
    pub fn dates(mut dates: Vec<Date>, zone: TimeZoneName) -> Result<WindowSchedule, WindowError> {
        if dates.is_empty() {
            return Err(WindowError::NoDates);
        }
        if dates.len() > MAX_WINDOW_DATES {
            return Err(WindowError::TooManyDates {
                listed: dates.len(),
            });
        }
        dates.sort_unstable();
        dates.dedup();
        Ok(WindowSchedule {
            rule: WindowRule::Dates(dates),
            zone,
        })
    }

    /// A plausible schedule for the cadence answer (`windows_per_year`, as the checklist's
    /// choices give it: 52 weekly, 26 every two weeks, 12 monthly, 4 quarterly): the sparsest
    /// of the usual schedules that still gives at least that many windows a year, so a dated
    /// plan is never slower than the cadence promised. All on [`FALLBACK_WEEKDAY`]:
    /// - 27 or more: every Saturday (52; above 52 too, the densest a weekday rule gives);
    /// - 13 to 26: every other Saturday (26, the count of "every two weeks", not the 24 of
    ///   "first and third Saturday");
    /// - 7 to 12: the second Saturday of every month: early in the month, clear of month-end
    ///   closing, and never New Year's Day or Christmas (the 8th to the 14th);
    /// - fewer: the second Saturday of every second (6), third (4: January, April, July,
    ///   October, the calendar quarters), fourth (3) or sixth (2) month, or of January (1).
    pub fn from_cadence(windows_per_year: u32, zone: TimeZoneName) -> WindowSchedule {
        let weekday = FALLBACK_WEEKDAY;
        let rule = match windows_per_year.max(1) {
            27.. => WindowRule::Monthly {
                weekday,
                week: WeekOfMonth::Every,
                every_months: 1,
            },
            13..=26 => WindowRule::Fortnightly { weekday },
            n => {
                let every_months = MONTH_STEPS
                    .iter()
                    .rev()
                    .find(|(per_year, _)| *per_year >= n)
                    .map_or(1, |(_, months)| *months);
                WindowRule::Monthly {
                    weekday,
                    week: WeekOfMonth::Second,
                    every_months,
                }
            }
        };
        WindowSchedule { rule, zone }
    }

    /// The schedule a `calendar:` block gives, or the cadence fallback where it names no
    /// windows; UTC where it names no zone.
    pub fn from_spec(
        spec: Option<&CalendarSpec>,
        windows_per_year: u32,
    ) -> Result<WindowSchedule, WindowError> {
        let zone = spec
            .and_then(|s| s.time_zone.clone())
            .unwrap_or_else(TimeZoneName::utc);
        match spec.and_then(|s| s.windows.as_ref()) {
            Some(WindowsSpec::Weekday { weekday, week }) => {
                Ok(WindowSchedule::weekday(*weekday, *week, zone))
            }
            Some(WindowsSpec::Dates(dates)) => WindowSchedule::dates(dates.clone(), zone),
            None => Ok(WindowSchedule::from_cadence(windows_per_year, zone)),
        }
    }

    pub fn rule(&self) -> &WindowRule {
        &self.rule
    }

    pub fn zone(&self) -> &TimeZoneName {
        &self.zone
    }

    /// The civil date in the schedule's zone at the instant `unix_seconds` (seconds since
    /// 1970-01-01T00:00Z): what "today" is for this calendar. Within [`Date::EARLIEST`] and
    /// [`Date::LATEST`].
    pub fn date_at(&self, unix_seconds: i64) -> Date {
        let clamp = || {
            if unix_seconds < 0 {
                Date::EARLIEST
            } else {
                Date::LATEST
            }
        };
        Timestamp::from_second(unix_seconds)
            .ok()
            .and_then(|t| Date::from_civil(t.to_zoned(self.zone.zone().clone()).date()))
            .unwrap_or_else(clamp)
    }

    /// The schedule's window dates from `start` on (a window on `start` counts), in
    /// increasing order, freezes not applied; it ends at [`Date::LATEST`] or the list's end.
    pub fn candidates(&self, start: Date) -> Candidates<'_> {
        let cursor = match &self.rule {
            WindowRule::Monthly { every_months, .. } => {
                let first = start.civil().first_of_month();
                let every = i32::from((*every_months).clamp(1, 12));
                // The first month on the grid (January, then every `every` months) from the
                // start's month on.
                let index = i32::from(first.year()) * 12 + i32::from(first.month()) - 1;
                let aligned = (index + every - 1) / every * every;
                let month = civil::Date::new((aligned / 12) as i16, (aligned % 12 + 1) as i8, 1);
                Cursor::Monthly {
                    month: month.ok(),
                    pending: Vec::new(),
                }
            }
            WindowRule::Fortnightly { weekday } => {
                let epoch = Date::EARLIEST.civil();
                let ahead = weekday.since(epoch.weekday());
                let anchor = epoch.checked_add(Span::new().days(ahead)).ok();
                let next = anchor.and_then(|anchor| {
                    let days = i64::from(anchor.until(start.civil()).ok()?.get_days());
                    let steps = (days.max(0) + 13) / 14;
                    anchor
                        .checked_add(Span::new().try_days(steps * 14).ok()?)
                        .ok()
                });
                Cursor::Fortnightly { next }
            }
            WindowRule::Dates(dates) => Cursor::Dates {
                index: dates.partition_point(|d| *d < start),
            },
        };
        Candidates {
            rule: &self.rule,
            start,
            cursor,
        }
    }

    /// The schedule in words: "the first Saturday of every month", "every other Tuesday",
    /// "3 listed dates".
    pub fn describe(&self) -> String {
        match &self.rule {
            WindowRule::Monthly {
                weekday,
                week: WeekOfMonth::Every,
                every_months: 1,
            } => format!("every {}", weekday_name(*weekday)),
            WindowRule::Monthly {
                weekday,
                week,
                every_months,
            } => {
                let week = match week {
                    WeekOfMonth::Every => "every",
                    other => other.id(),
                };
                let months = match every_months {
                    1 => "every month".to_string(),
                    n => {
                        let names: Vec<&str> = (0..12)
                            .step_by(usize::from(*n).max(1))
                            .map(|m| MONTH_NAMES[m])
                            .collect();
                        match names.split_last() {
                            Some((last, [])) => (*last).to_string(),
                            Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
                            None => String::new(),
                        }
                    }
                };
                let article = if week == "every" { "" } else { "the " };
                format!("{article}{week} {} of {months}", weekday_name(*weekday))
            }
            WindowRule::Fortnightly { weekday } => {
                format!("every other {}", weekday_name(*weekday))
            }
            WindowRule::Dates(dates) if dates.len() == 1 => "1 listed date".to_string(),
            WindowRule::Dates(dates) => format!("{} listed dates", dates.len()),
        }
    }
}

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// "Saturday".
pub fn weekday_name(weekday: Weekday) -> &'static str {
    match weekday {
        Weekday::Monday => "Monday",
        Weekday::Tuesday => "Tuesday",
        Weekday::Wednesday => "Wednesday",
        Weekday::Thursday => "Thursday",
        Weekday::Friday => "Friday",
        Weekday::Saturday => "Saturday",
        Weekday::Sunday => "Sunday",
    }
}

/// Where [`Candidates`] stands.
#[derive(Debug, Clone)]
enum Cursor {
    /// The next month on the grid to expand, and the dates of the current one still to
    /// give, last first.
    Monthly {
        month: Option<civil::Date>,
        pending: Vec<civil::Date>,
    },
    Fortnightly {
        next: Option<civil::Date>,
    },
    Dates {
        index: usize,
    },
}

/// A schedule's window dates from a start date, increasing ([`WindowSchedule::candidates`]).
#[derive(Debug, Clone)]
pub struct Candidates<'s> {
    rule: &'s WindowRule,
    start: Date,
    cursor: Cursor,
}

impl Iterator for Candidates<'_> {
    type Item = Date;

    fn next(&mut self) -> Option<Date> {
        match (&mut self.cursor, self.rule) {
            (
                Cursor::Monthly { month, pending },
                WindowRule::Monthly {
                    weekday,
                    week,
                    every_months,
                },
            ) => loop {
                if let Some(date) = pending.pop() {
                    let date = Date::from_civil(date)?;
                    if date >= self.start {
                        return Some(date);
                    }
                    continue;
                }
                let current = (*month)?;
                *month = current
                    .checked_add(Span::new().months(i64::from(*every_months)))
                    .ok();
                let nth = |n: i8| current.nth_weekday_of_month(n, *weekday).ok();
                *pending = match week {
                    WeekOfMonth::First => nth(1).into_iter().collect(),
                    WeekOfMonth::Second => nth(2).into_iter().collect(),
                    WeekOfMonth::Third => nth(3).into_iter().collect(),
                    WeekOfMonth::Fourth => nth(4).into_iter().collect(),
                    WeekOfMonth::Last => nth(-1).into_iter().collect(),
                    WeekOfMonth::Every => (1..=5).rev().filter_map(nth).collect(),
                };
            },
            (Cursor::Fortnightly { next }, _) => {
                let date = (*next)?;
                *next = date.checked_add(Span::new().days(14)).ok();
                Date::from_civil(date)
            }
            (Cursor::Dates { index }, WindowRule::Dates(dates)) => {
                let date = dates.get(*index).copied()?;
                *index += 1;
                Some(date)
            }
            _ => None,
        }
    }
}

impl fmt::Display for WindowSchedule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())?;
        if self.zone.name() != "UTC" {
            write!(f, " ({})", self.zone.name())?;
        }
        Ok(())
    }
}
