use jiff::civil::Weekday;
use proptest::prelude::*;

use super::window_error::{MAX_WINDOWS, WindowError};
use super::window_rule::{WindowRule, WindowSchedule};
use super::*;
use crate::answers::calendar_spec::{MAX_WINDOW_DATES, TimeZoneName, WeekOfMonth, WindowsSpec};
use crate::base::diagnostic::code::Code;

fn date(text: &str) -> Date {
    text.parse().unwrap()
}

fn dates(texts: &[&str]) -> Vec<Date> {
    texts.iter().map(|t| date(t)).collect()
}

fn utc() -> TimeZoneName {
    TimeZoneName::utc()
}

fn zone(name: &str) -> TimeZoneName {
    TimeZoneName::parse(name).unwrap()
}

fn saturday(week: WeekOfMonth) -> WindowSchedule {
    WindowSchedule::weekday(Weekday::Saturday, week, utc())
}

fn freeze(from: &str, to: &str, reason: &str) -> Freeze {
    Freeze {
        from: date(from),
        to: date(to),
        reason: reason.to_string(),
    }
}

fn first(schedule: &WindowSchedule, start: &str, n: usize) -> Vec<Date> {
    schedule.candidates(date(start)).take(n).collect()
}

#[test]
fn every_week_of_the_month() {
    // January 2027 has five Saturdays (2, 9, 16, 23, 30), February four (6 to 27).
    let cases = [
        (
            WeekOfMonth::First,
            ["2027-01-02", "2027-02-06", "2027-03-06"],
        ),
        (
            WeekOfMonth::Second,
            ["2027-01-09", "2027-02-13", "2027-03-13"],
        ),
        (
            WeekOfMonth::Third,
            ["2027-01-16", "2027-02-20", "2027-03-20"],
        ),
        (
            WeekOfMonth::Fourth,
            ["2027-01-23", "2027-02-27", "2027-03-27"],
        ),
        (
            WeekOfMonth::Last,
            ["2027-01-30", "2027-02-27", "2027-03-27"],
        ),
        (
            WeekOfMonth::Every,
            ["2027-01-02", "2027-01-09", "2027-01-16"],
        ),
    ];
    for (week, expected) in cases {
        assert_eq!(
            first(&saturday(week), "2027-01-01", 3),
            dates(&expected),
            "{week:?}"
        );
    }
    let every = first(&saturday(WeekOfMonth::Every), "2027-01-01", 9);
    assert!(
        every.windows(2).all(|w| w[0].plus_days(7) == w[1]),
        "{every:?}"
    );
    assert_eq!(every[8], date("2027-02-27"));
}

#[test]
fn month_ends_and_a_window_on_the_start_date() {
    // 2027-01-31 is a Sunday: the last Sunday of January is the month's last day.
    let last_sunday = WindowSchedule::weekday(Weekday::Sunday, WeekOfMonth::Last, utc());
    assert_eq!(
        first(&last_sunday, "2027-01-31", 3),
        dates(&["2027-01-31", "2027-02-28", "2027-03-28"])
    );
    // A start after the month's window moves to the next month, across the year's end.
    let first_saturday = saturday(WeekOfMonth::First);
    assert_eq!(
        first(&first_saturday, "2027-12-05", 2),
        dates(&["2028-01-01", "2028-02-05"])
    );
    assert_eq!(
        first(&first_saturday, "2027-01-02", 1),
        dates(&["2027-01-02"])
    );
    assert_eq!(
        first(&first_saturday, "2027-01-03", 1),
        dates(&["2027-02-06"])
    );
}

#[test]
fn leap_days() {
    // 2028-02-29 is a Tuesday, the last (and fifth) of its month.
    let last = WindowSchedule::weekday(Weekday::Tuesday, WeekOfMonth::Last, utc());
    assert_eq!(
        first(&last, "2028-02-01", 2),
        dates(&["2028-02-29", "2028-03-28"])
    );
    let every = WindowSchedule::weekday(Weekday::Tuesday, WeekOfMonth::Every, utc());
    assert_eq!(
        first(&every, "2028-02-23", 2),
        dates(&["2028-02-29", "2028-03-07"])
    );
    let fourth = WindowSchedule::weekday(Weekday::Tuesday, WeekOfMonth::Fourth, utc());
    assert_eq!(first(&fourth, "2028-02-01", 1), dates(&["2028-02-22"]));
    let listed = WindowSchedule::dates(dates(&["2028-03-01", "2028-02-29"]), utc()).unwrap();
    assert_eq!(
        first(&listed, "2028-02-29", 5),
        dates(&["2028-02-29", "2028-03-01"])
    );
    // A freeze over the leap day skips it.
    let found = next_windows(
        &every,
        &[freeze("2028-02-29", "2028-02-29", "leap day")],
        date("2028-02-23"),
        1,
    )
    .unwrap();
    assert_eq!(found.windows, dates(&["2028-03-07"]));
    assert_eq!(found.skipped[0].date, date("2028-02-29"));
}

#[test]
fn every_other_week_keeps_a_fixed_grid() {
    let fortnightly = WindowSchedule::from_cadence(26, utc());
    assert_eq!(fortnightly.describe(), "every other Saturday");
    let from_new_year = first(&fortnightly, "2027-01-01", 3);
    assert_eq!(
        from_new_year,
        dates(&["2027-01-02", "2027-01-16", "2027-01-30"])
    );
    // A later start lands on the same grid, not on the first Saturday after it.
    assert_eq!(first(&fortnightly, "2027-01-03", 1), dates(&["2027-01-16"]));
    assert_eq!(first(&fortnightly, "2027-01-16", 1), dates(&["2027-01-16"]));
    let leap = first(&fortnightly, "2028-02-20", 2);
    assert!(
        leap.windows(2).all(|w| w[0].plus_days(14) == w[1]),
        "{leap:?}"
    );
}

#[test]
fn the_cadence_picks_a_plausible_weekday_schedule() {
    let cases = [
        (52, "every Saturday", 53),
        (100, "every Saturday", 53),
        (27, "every Saturday", 53),
        (26, "every other Saturday", 27),
        (13, "every other Saturday", 27),
        (12, "the second Saturday of every month", 12),
        (7, "the second Saturday of every month", 12),
        (
            6,
            "the second Saturday of January, March, May, July, September and November",
            6,
        ),
        (
            4,
            "the second Saturday of January, April, July and October",
            4,
        ),
        (
            5,
            "the second Saturday of January, March, May, July, September and November",
            6,
        ),
        (3, "the second Saturday of January, May and September", 3),
        (2, "the second Saturday of January and July", 2),
        (1, "the second Saturday of January", 1),
        (0, "the second Saturday of January", 1),
    ];
    for (per_year, described, in_2028) in cases {
        let schedule = WindowSchedule::from_cadence(per_year, utc());
        assert_eq!(schedule.describe(), described, "{per_year}");
        let year: Vec<Date> = schedule
            .candidates(date("2028-01-01"))
            .take_while(|d| d.year() == 2028)
            .collect();
        // 2028 starts on a Saturday: it has 53 of them, 27 on the fortnightly grid.
        assert_eq!(year.len(), in_2028, "{per_year}: {year:?}");
        assert!(year.len() as u32 >= per_year.clamp(1, 52), "{per_year}");
        assert!(
            year.iter()
                .all(|d| d.civil().weekday() == Weekday::Saturday),
            "{per_year}"
        );
    }
    let quarterly = WindowSchedule::from_cadence(4, utc());
    assert_eq!(
        first(&quarterly, "2027-02-01", 3),
        dates(&["2027-04-10", "2027-07-10", "2027-10-09"])
    );
}

#[test]
fn a_spec_gives_the_schedule_and_the_cadence_fills_in() {
    let fallback = WindowSchedule::from_spec(None, 12).unwrap();
    assert_eq!(fallback, WindowSchedule::from_cadence(12, utc()));
    let spec = CalendarSpec {
        windows: Some(WindowsSpec::Weekday {
            weekday: Weekday::Tuesday,
            week: WeekOfMonth::Every,
        }),
        time_zone: Some(zone("Europe/Berlin")),
        ..CalendarSpec::default()
    };
    let schedule = WindowSchedule::from_spec(Some(&spec), 4).unwrap();
    assert_eq!(schedule.to_string(), "every Tuesday (Europe/Berlin)");
    let only_zone = CalendarSpec {
        time_zone: Some(zone("Asia/Tokyo")),
        ..CalendarSpec::default()
    };
    let schedule = WindowSchedule::from_spec(Some(&only_zone), 12).unwrap();
    assert_eq!(
        schedule.to_string(),
        "the second Saturday of every month (Asia/Tokyo)"
    );
    let listed = CalendarSpec {
        windows: Some(WindowsSpec::Dates(dates(&["2027-01-09", "2027-02-06"]))),
        ..CalendarSpec::default()
    };
    let calendar = ChangeCalendar::new(Some(&listed), 12).unwrap();
    assert_eq!(calendar.schedule.to_string(), "2 listed dates");
    assert_eq!(calendar.freezes, Vec::new());
    assert_eq!(
        calendar
            .next_windows(date("2027-01-01"), 2)
            .unwrap()
            .windows,
        dates(&["2027-01-09", "2027-02-06"])
    );
}

#[test]
fn the_zone_decides_which_date_today_is() {
    // 2027-01-02T23:30Z: Saturday evening in London, already Sunday in Berlin, Saturday
    // afternoon in Los Angeles.
    let instant = 1_798_932_600;
    let first_saturday =
        |name: &str| WindowSchedule::weekday(Weekday::Saturday, WeekOfMonth::First, zone(name));
    let today = |name: &str| first_saturday(name).date_at(instant);
    assert_eq!(today("UTC"), date("2027-01-02"));
    assert_eq!(today("Europe/London"), date("2027-01-02"));
    assert_eq!(today("Europe/Berlin"), date("2027-01-03"));
    assert_eq!(today("America/Los_Angeles"), date("2027-01-02"));
    // So the next window from "today" is that evening in London and a month later in Berlin.
    let next = |name: &str| {
        let schedule = first_saturday(name);
        next_windows(&schedule, &[], schedule.date_at(instant), 1)
            .unwrap()
            .windows
    };
    assert_eq!(next("UTC"), dates(&["2027-01-02"]));
    assert_eq!(next("Europe/Berlin"), dates(&["2027-02-06"]));
    // One instant, two dates a day apart on either side of the date line.
    assert_eq!(today("Pacific/Kiritimati"), date("2027-01-03"));
    assert_eq!(today("Pacific/Pago_Pago"), date("2027-01-02"));
    // Window dates are civil dates: a weekly window keeps its weekday across a change to
    // summer time (Berlin, 2027-03-28).
    let sundays =
        WindowSchedule::weekday(Weekday::Sunday, WeekOfMonth::Every, zone("Europe/Berlin"));
    assert_eq!(
        first(&sundays, "2027-03-21", 3),
        dates(&["2027-03-21", "2027-03-28", "2027-04-04"])
    );
    // Instants beyond the calendar's range are clamped, not wrapped.
    assert_eq!(first_saturday("UTC").date_at(i64::MIN), Date::EARLIEST);
    assert_eq!(first_saturday("UTC").date_at(i64::MAX), Date::LATEST);
}

#[test]
fn a_list_whose_dates_never_come_is_a_clear_error() {
    let listed = WindowSchedule::dates(dates(&["2026-06-06", "2026-12-05"]), utc()).unwrap();
    let error = next_windows(&listed, &[], date("2027-01-01"), 1).unwrap_err();
    assert_eq!(
        error.to_string(),
        "none of the listed window dates is on or after 2027-01-01: the last is 2026-12-05"
    );
    assert!(
        error.fix().contains("calendar.windows.dates"),
        "{}",
        error.fix()
    );
    assert_eq!(error.code(), Code::CalendarWindow);
    // A list that runs out, counting what the freezes took.
    let listed =
        WindowSchedule::dates(dates(&["2027-01-09", "2027-02-06", "2027-12-04"]), utc()).unwrap();
    let error = next_windows(
        &listed,
        &[freeze("2027-12-01", "2027-12-31", "year end")],
        date("2027-01-01"),
        4,
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "the listed window dates give 2 open dates from 2027-01-01 on (a freeze skipped 1), and the plan needs 4"
    );
    assert_eq!(
        WindowSchedule::dates(Vec::new(), utc()).unwrap_err(),
        WindowError::NoDates
    );
    let many: Vec<Date> = (0..=MAX_WINDOW_DATES as i64)
        .map(|d| date("2027-01-01").plus_days(d))
        .collect();
    assert!(matches!(
        WindowSchedule::dates(many, utc()),
        Err(WindowError::TooManyDates { .. })
    ));
    // Duplicates are one window; order does not matter.
    let listed =
        WindowSchedule::dates(dates(&["2027-02-06", "2027-01-09", "2027-02-06"]), utc()).unwrap();
    assert_eq!(
        listed.rule(),
        &WindowRule::Dates(dates(&["2027-01-09", "2027-02-06"]))
    );
}

#[test]
fn overlapping_freezes_skip_windows_and_say_which_freeze() {
    let schedule = saturday(WeekOfMonth::First);
    let freezes = [
        freeze("2027-11-15", "2028-01-05", "holiday sales"),
        freeze("2027-12-01", "2028-02-10", "year-end close"),
    ];
    let found = next_windows(&schedule, &freezes, date("2027-10-01"), 3).unwrap();
    assert_eq!(
        found.windows,
        dates(&["2027-10-02", "2027-11-06", "2028-03-04"])
    );
    let skipped: Vec<(Date, &str)> = found
        .skipped
        .iter()
        .map(|s| (s.date, s.freeze.reason.as_str()))
        .collect();
    assert_eq!(
        skipped,
        [
            (date("2027-12-04"), "holiday sales"),
            (date("2028-01-01"), "holiday sales"),
            (date("2028-02-05"), "year-end close"),
        ]
    );
    // The list's order, not the dates, decides which of two covering freezes is named.
    let swapped = [freezes[1].clone(), freezes[0].clone()];
    let found = next_windows(&schedule, &swapped, date("2027-10-01"), 3).unwrap();
    assert!(
        found
            .skipped
            .iter()
            .all(|s| s.freeze.reason == "year-end close")
    );
    // A freeze's both days are in it.
    let edges = [freeze("2027-11-06", "2027-11-06", "one day")];
    let found = next_windows(&schedule, &edges, date("2027-11-01"), 1).unwrap();
    assert_eq!(found.windows, dates(&["2027-12-04"]));
}

#[test]
fn a_freeze_spanning_the_start() {
    let schedule = saturday(WeekOfMonth::Every);
    let freezes = [freeze("2027-06-20", "2027-07-12", "summer release")];
    let found = next_windows(&schedule, &freezes, date("2027-07-01"), 2).unwrap();
    assert_eq!(found.windows, dates(&["2027-07-17", "2027-07-24"]));
    assert_eq!(
        found.skipped.iter().map(|s| s.date).collect::<Vec<_>>(),
        dates(&["2027-07-03", "2027-07-10"])
    );
    // Freezes wholly before the start skip nothing.
    let found = next_windows(&schedule, &freezes, date("2027-08-01"), 1).unwrap();
    assert_eq!(found.skipped, Vec::new());
}

#[test]
fn freezes_covering_every_window_for_a_year_are_an_error() {
    let monthly = saturday(WeekOfMonth::First);
    // One freeze over the whole of 2027.
    let year = [freeze("2027-01-01", "2027-12-31", "platform rebuild")];
    let error = next_windows(&monthly, &year, date("2027-01-01"), 1).unwrap_err();
    assert_eq!(
        error,
        WindowError::AllFrozen {
            from: date("2027-01-01"),
            to: date("2027-12-31")
        }
    );
    assert_eq!(
        error.to_string(),
        "the freezes leave no change window from 2027-01-01 to 2027-12-31, a year or more"
    );
    assert_eq!(error.code(), Code::CalendarFreeze);
    assert!(error.fix().contains("calendar.freezes"));
    // Overlapping and touching freezes join into one run.
    let joined = [
        freeze("2027-01-01", "2027-05-31", "a"),
        freeze("2027-06-01", "2027-09-30", "b"),
        freeze("2027-09-15", "2028-01-10", "c"),
    ];
    assert!(matches!(
        next_windows(&monthly, &joined, date("2027-01-01"), 1),
        Err(WindowError::AllFrozen { .. })
    ));
    // Freezes with gaps no window falls in: every first Saturday is frozen, year after year.
    let gaps: Vec<Freeze> = (2027..2040)
        .map(|y| freeze(&format!("{y}-01-01"), &format!("{y}-12-20"), "busy"))
        .collect();
    let error = next_windows(&monthly, &gaps, date("2027-01-01"), 1).unwrap_err();
    assert!(matches!(error, WindowError::AllFrozen { .. }), "{error}");
    // A year-long freeze the plan never reaches is no error.
    let later = [freeze("2028-01-01", "2029-06-30", "far off")];
    let found = next_windows(&monthly, &later, date("2027-01-01"), 12).unwrap();
    assert_eq!(found.windows.len(), 12);
    // Nor is a long but shorter freeze: the plan waits.
    let long = [freeze("2027-01-01", "2027-11-30", "long")];
    let found = next_windows(&monthly, &long, date("2027-01-01"), 1).unwrap();
    assert_eq!(found.windows, dates(&["2027-12-04"]));
    assert_eq!(found.skipped.len(), 11);
}

#[test]
fn every_number_is_bounded() {
    let weekly = saturday(WeekOfMonth::Every);
    assert_eq!(
        next_windows(&weekly, &[], date("2027-01-01"), 0).unwrap(),
        WindowDates::default()
    );
    let found = next_windows(&weekly, &[], date("2027-01-01"), MAX_WINDOWS).unwrap();
    assert_eq!(found.windows.len(), MAX_WINDOWS);
    assert_eq!(
        next_windows(&weekly, &[], date("2027-01-01"), MAX_WINDOWS + 1),
        Err(WindowError::TooManyWindows {
            wanted: MAX_WINDOWS + 1
        })
    );
    let many = vec![freeze("2030-01-01", "2030-01-02", "x"); MAX_FREEZES + 1];
    assert!(matches!(
        next_windows(&weekly, &many, date("2027-01-01"), 1),
        Err(WindowError::TooManyFreezes { .. })
    ));
    let backwards = [freeze("2027-02-01", "2027-01-01", "typo")];
    let error = next_windows(&weekly, &backwards, date("2027-01-01"), 1).unwrap_err();
    assert_eq!(
        error.to_string(),
        "the freeze \"typo\" ends (2027-01-01) before it starts (2027-02-01)"
    );
    // Quarterly windows: 400 in a century, no more.
    let quarterly = WindowSchedule::from_cadence(4, utc());
    assert!(next_windows(&quarterly, &[], date("2027-01-01"), 400).is_ok());
    let error = next_windows(&quarterly, &[], date("2027-01-01"), 401).unwrap_err();
    assert!(
        matches!(error, WindowError::BeyondHorizon { found: 400, .. }),
        "{error}"
    );
    // Near the calendar's end the windows run out.
    let error = next_windows(&quarterly, &[], date("9999-06-01"), 3).unwrap_err();
    assert_eq!(
        error,
        WindowError::BeyondHorizon {
            found: 2,
            wanted: 3,
            until: Date::LATEST
        }
    );
    let fortnightly = WindowSchedule::from_cadence(26, utc());
    let tail: Vec<Date> = fortnightly.candidates(date("9999-12-01")).collect();
    assert!(
        tail.len() <= 3 && tail.iter().all(|d| d.year() == 9999),
        "{tail:?}"
    );
}

/// Plans longer than windows are dated saturate at the last day instead of failing; schedule
/// and freeze problems still fail.
#[test]
fn plans_past_what_is_dated_saturate_at_the_last_day() {
    let quarterly = WindowSchedule::from_cadence(4, utc());
    let found = next_windows_saturating(&quarterly, &[], date("9999-06-01"), 3).unwrap();
    assert_eq!(
        found.windows,
        [date("9999-07-10"), date("9999-10-09"), Date::LATEST]
    );
    // Past a century, and past the most windows one call dates.
    let long = next_windows_saturating(&quarterly, &[], date("2027-01-01"), 401).unwrap();
    assert_eq!(long.windows.len(), 401);
    assert!(long.windows[400] > date("2126-12-31"));
    let weekly = saturday(WeekOfMonth::Every);
    let many = next_windows_saturating(&weekly, &[], date("2027-01-01"), MAX_WINDOWS + 10).unwrap();
    assert_eq!(many.windows.len(), MAX_WINDOWS + 10);
    assert_eq!(many.windows[MAX_WINDOWS..], [Date::LATEST; 10]);
    assert!(many.windows[..MAX_WINDOWS].windows(2).all(|w| w[0] < w[1]));
    // A list that runs out, and freezes that block a year, are still errors.
    let listed = WindowSchedule::dates(dates(&["2027-02-06"]), utc()).unwrap();
    assert!(matches!(
        next_windows_saturating(&listed, &[], date("2027-01-01"), 2),
        Err(WindowError::NotEnoughDates { .. })
    ));
    let year = [freeze("2027-01-01", "2028-01-31", "all year")];
    assert!(matches!(
        next_windows_saturating(&weekly, &year, date("2027-01-01"), 2),
        Err(WindowError::AllFrozen { .. })
    ));
}

#[test]
fn errors_become_diagnostics_with_a_fix_and_a_code() {
    let errors = [
        WindowError::TooManyWindows { wanted: 9_999 },
        WindowError::NoDates,
        WindowError::TooManyDates { listed: 2_000 },
        WindowError::TooManyFreezes { listed: 900 },
        WindowError::FreezeBackwards {
            freeze: freeze("2027-02-01", "2027-01-01", "x"),
        },
        WindowError::NotEnoughDates {
            found: 1,
            wanted: 3,
            start: date("2027-01-01"),
            skipped: 2,
            last: date("2027-03-01"),
        },
        WindowError::AllFrozen {
            from: date("2027-01-01"),
            to: date("2028-01-01"),
        },
        WindowError::BeyondHorizon {
            found: 1,
            wanted: 2,
            until: date("2127-01-01"),
        },
    ];
    for error in errors {
        let diagnostic = error.diagnostic();
        assert_eq!(diagnostic.message, error.to_string());
        assert!(!error.fix().is_empty());
        assert_eq!(diagnostic.code, Some(error.code()));
        assert_eq!(diagnostic.at.as_deref(), Some("`calendar`"));
    }
}

/// A schedule of any kind, in UTC.
fn any_schedule() -> impl Strategy<Value = WindowSchedule> {
    let weekday = (0..7i8).prop_map(|n| Weekday::from_monday_zero_offset(n).unwrap());
    let week = proptest::sample::select(WeekOfMonth::ALL.to_vec());
    prop_oneof![
        (weekday.clone(), week).prop_map(|(d, w)| WindowSchedule::weekday(d, w, utc())),
        (0..60u32).prop_map(|n| WindowSchedule::from_cadence(n, utc())),
        proptest::collection::vec(0..2_000i64, 1..40).prop_map(|days| {
            let listed = days
                .iter()
                .map(|d| date("2027-01-01").plus_days(*d))
                .collect();
            WindowSchedule::dates(listed, utc()).unwrap()
        }),
    ]
}

/// Freezes of up to four months within a few years of 2027.
fn any_freezes() -> impl Strategy<Value = Vec<Freeze>> {
    let one = (0..1_800i64, 0..120i64).prop_map(|(start, days)| {
        let from = date("2026-06-01").plus_days(start);
        Freeze {
            from,
            to: from.plus_days(days),
            reason: format!("f{start}"),
        }
    });
    proptest::collection::vec(one, 0..6)
}

proptest! {
    #[test]
    fn windows_avoid_freezes_increase_and_account_for_every_candidate(
        schedule in any_schedule(),
        freezes in any_freezes(),
        start in 0..800i64,
        count in 1..30usize,
    ) {
        let start = date("2026-09-01").plus_days(start);
        let Ok(found) = next_windows(&schedule, &freezes, start, count) else {
            return Ok(());
        };
        prop_assert_eq!(found.windows.len(), count);
        prop_assert!(found.windows[0] >= start);
        prop_assert!(found.windows.windows(2).all(|w| w[0] < w[1]));
        for window in &found.windows {
            prop_assert!(!freezes.iter().any(|f| f.covers(*window)), "{} is frozen", window);
        }
        // Every candidate up to the last window is a window or skipped by a freeze that
        // covers it, the first such in the list.
        let last = *found.windows.last().unwrap();
        let candidates: Vec<Date> = schedule.candidates(start).take_while(|d| *d <= last).collect();
        let mut accounted: Vec<Date> = found.windows.clone();
        accounted.extend(found.skipped.iter().map(|s| s.date));
        accounted.sort();
        prop_assert_eq!(accounted, candidates);
        for skipped in &found.skipped {
            let first = freezes.iter().find(|f| f.covers(skipped.date));
            prop_assert_eq!(first, Some(&skipped.freeze));
        }
    }

    #[test]
    fn adding_a_freeze_never_brings_a_window_earlier(
        schedule in any_schedule(),
        freezes in any_freezes(),
        extra in any_freezes(),
        start in 0..800i64,
        count in 1..30usize,
    ) {
        let start = date("2026-09-01").plus_days(start);
        let before = next_windows(&schedule, &freezes, start, count);
        let mut more = freezes.clone();
        more.extend(extra);
        let after = next_windows(&schedule, &more, start, count);
        match (before, after) {
            (Ok(before), Ok(after)) => {
                for (k, (b, a)) in before.windows.iter().zip(&after.windows).enumerate() {
                    prop_assert!(a >= b, "window {} moved from {} to {}", k, b, a);
                }
            }
            // A calendar that fails still fails with more freezes.
            (Err(_), after) => prop_assert!(after.is_err()),
            (Ok(_), Err(_)) => {}
        }
    }
}
