//! Calendar dates for report headers and the timeline chart: civil (proleptic Gregorian)
//! dates from `jiff`, no time zones. Dates a user gives are strict `YYYY-MM-DD` between
//! [`Date::EARLIEST`] and [`Date::LATEST`]; arithmetic saturates at the ends of that range
//! instead of wrapping or panicking.

use std::fmt;
use std::str::FromStr;

use jiff::civil;

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(civil::Date);

impl Date {
    /// The earliest date accepted from a user: the Unix epoch.
    pub const EARLIEST: Date = Date(civil::Date::constant(1970, 1, 1));
    /// The latest date accepted, and the last one arithmetic reaches: four-digit years only.
    pub const LATEST: Date = Date(civil::Date::constant(9999, 12, 31));

    /// The date `days` days after 1970-01-01, kept within [`Date::EARLIEST`] and
    /// [`Date::LATEST`].
    pub fn from_unix_days(days: i64) -> Date {
        Date::EARLIEST
            .plus_days(days)
            .clamp(Date::EARLIEST, Date::LATEST)
    }

    /// The date `days` days after 1970-01-01, or `None` outside the accepted range.
    pub fn checked_from_unix_days(days: i64) -> Option<Date> {
        let span = jiff::Span::new().try_days(days).ok()?;
        let date = Date(Date::EARLIEST.0.checked_add(span).ok()?);
        (Date::EARLIEST..=Date::LATEST)
            .contains(&date)
            .then_some(date)
    }

    /// Days since 1970-01-01.
    pub fn unix_days(self) -> i64 {
        Date::EARLIEST
            .0
            .until(self.0)
            .map_or(0, |span| i64::from(span.get_days()))
    }

    /// The `jiff` date, for calendar rules (weekdays, weeks of a month) built on it.
    pub fn civil(self) -> civil::Date {
        self.0
    }

    /// A `jiff` date, or `None` outside [`Date::EARLIEST`] to [`Date::LATEST`].
    pub fn from_civil(date: civil::Date) -> Option<Date> {
        let date = Date(date);
        (Date::EARLIEST..=Date::LATEST)
            .contains(&date)
            .then_some(date)
    }

    pub fn year(self) -> i32 {
        i32::from(self.0.year())
    }

    pub fn month(self) -> u32 {
        self.0.month() as u32
    }

    pub fn day(self) -> u32 {
        self.0.day() as u32
    }

    /// The date `days` later (earlier when negative), saturating at the calendar's ends.
    pub fn plus_days(self, days: i64) -> Date {
        self.plus(jiff::Span::new().try_days(days), days)
    }

    /// The same day `months` calendar months later, or the month's last day when it is shorter
    /// (January 31 plus one month is February 28 or 29). Saturates at the calendar's ends.
    pub fn plus_months(self, months: i64) -> Date {
        self.plus(jiff::Span::new().try_months(months), months)
    }

    fn plus(self, span: Result<jiff::Span, jiff::Error>, sign: i64) -> Date {
        let end = if sign < 0 {
            Date::EARLIEST
        } else {
            Date::LATEST
        };
        span.and_then(|span| self.0.checked_add(span))
            .map_or(end, Date)
            .clamp(Date::EARLIEST.min(self), Date::LATEST)
    }

    /// The first day of the following month ([`Date::LATEST`] in the last month).
    pub fn first_of_next_month(self) -> Date {
        Date(self.0.first_of_month()).plus_months(1)
    }
}

/// Why a text is not an accepted date.
fn not_a_date(text: &str, why: &str) -> String {
    format!("\"{text}\" is not a date{why}: write YYYY-MM-DD, for example 2027-01-04")
}

impl FromStr for Date {
    type Err = String;

    /// Strict ISO 8601 calendar dates: four-digit year, two-digit month and day, nothing else
    /// (no sign, no six-digit years, no `2027-1-4`), from 1970-01-01 to 9999-12-31.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bytes = s.as_bytes();
        let shaped = bytes.len() == 10
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes
                .iter()
                .enumerate()
                .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        if !shaped {
            return Err(not_a_date(s, ""));
        }
        let number = |range: std::ops::Range<usize>| s[range].parse::<i16>().unwrap_or(0);
        let (year, month, day) = (number(0..4), number(5..7), number(8..10));
        let date = civil::Date::new(year, month as i8, day as i8)
            .map(Date)
            .map_err(|_| not_a_date(s, " (there is no such day)"))?;
        if date < Date::EARLIEST {
            return Err(format!(
                "\"{s}\" is out of range: dates run from {} to {}",
                Date::EARLIEST,
                Date::LATEST
            ));
        }
        Ok(date)
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.0.year(),
            self.0.month(),
            self.0.day()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_known_dates() {
        assert_eq!(Date::from_unix_days(0).to_string(), "1970-01-01");
        let d: Date = "2026-11-26".parse().unwrap();
        assert_eq!(d.unix_days(), 20_783);
        assert_eq!(Date::from_unix_days(20_783), d);
        assert_eq!((d.year(), d.month(), d.day()), (2026, 11, 26));
        assert_eq!(
            "2024-02-29"
                .parse::<Date>()
                .unwrap()
                .plus_days(1)
                .to_string(),
            "2024-03-01"
        );
    }

    #[test]
    fn rejects_impossible_and_loose_dates() {
        for s in [
            "2027-02-30",
            "2027-13-01",
            "2027-1",
            "tomorrow",
            "2027-00-10",
            "2027-1-4",
            "+2027-01-04",
            "+002027-01-04",
            " 2027-01-04",
            "2027-01-04 ",
            "99999-01-01",
            "4294967295-01-01",
            "2027-01-04T00:00",
            "２０２７-01-04",
        ] {
            assert!(s.parse::<Date>().is_err(), "{s}");
        }
        let err = "1969-12-31".parse::<Date>().unwrap_err();
        assert!(
            err.contains("dates run from 1970-01-01 to 9999-12-31"),
            "{err}"
        );
        assert_eq!(
            "9999-12-31".parse::<Date>().unwrap().to_string(),
            "9999-12-31"
        );
    }

    #[test]
    fn jiff_dates_convert_within_the_range() {
        let d: Date = "2028-02-29".parse().unwrap();
        assert_eq!(Date::from_civil(d.civil()), Some(d));
        assert_eq!(Date::from_civil(civil::date(1969, 12, 31)), None);
        assert_eq!(
            Date::from_civil(civil::date(9999, 12, 31)),
            Some(Date::LATEST)
        );
    }

    #[test]
    fn next_month_wraps_the_year() {
        let d: Date = "2026-12-15".parse().unwrap();
        assert_eq!(d.first_of_next_month().to_string(), "2027-01-01");
    }

    #[test]
    fn months_keep_the_day_of_the_month() {
        let d: Date = "2027-01-15".parse().unwrap();
        let days: Vec<String> = (0..4).map(|m| d.plus_months(m).to_string()).collect();
        assert_eq!(
            days,
            ["2027-01-15", "2027-02-15", "2027-03-15", "2027-04-15"]
        );
        let end: Date = "2027-01-31".parse().unwrap();
        assert_eq!(end.plus_months(1).to_string(), "2027-02-28");
        assert_eq!(end.plus_months(2).to_string(), "2027-03-31");
    }

    #[test]
    fn arithmetic_saturates_instead_of_wrapping() {
        let d: Date = "9999-12-01".parse().unwrap();
        assert_eq!(d.plus_days(i64::MAX), Date::LATEST);
        assert_eq!(d.plus_days(100), Date::LATEST);
        assert_eq!(d.plus_months(1_000_000), Date::LATEST);
        assert_eq!(d.first_of_next_month(), Date::LATEST);
        assert_eq!(Date::from_unix_days(i64::MAX), Date::LATEST);
        assert_eq!(Date::from_unix_days(i64::MIN), Date::EARLIEST);
        assert_eq!(Date::checked_from_unix_days(i64::from(u32::MAX)), None);
        assert_eq!(Date::checked_from_unix_days(-1), None);
        assert_eq!(Date::EARLIEST.plus_days(-5), Date::EARLIEST);
    }
}
