//! Calendar dates for report headers and the timeline chart. Civil (proleptic Gregorian)
//! arithmetic on day numbers; no time zones are involved.

use std::fmt;
use std::str::FromStr;

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// The date `days` days after 1970-01-01.
    pub fn from_unix_days(days: i64) -> Date {
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// Days since 1970-01-01.
    pub fn unix_days(self) -> i64 {
        let year = i64::from(self.year) - i64::from(self.month <= 2);
        let era = year.div_euclid(400);
        let yoe = year.rem_euclid(400);
        let month = i64::from(self.month);
        let doy = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5
            + i64::from(self.day)
            - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    pub fn plus_days(self, days: i64) -> Date {
        Date::from_unix_days(self.unix_days() + days)
    }

    /// The first day of the following month.
    pub fn first_of_next_month(self) -> Date {
        if self.month == 12 {
            Date {
                year: self.year + 1,
                month: 1,
                day: 1,
            }
        } else {
            Date {
                year: self.year,
                month: self.month + 1,
                day: 1,
            }
        }
    }
}

impl FromStr for Date {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || format!("\"{s}\" is not a date: write YYYY-MM-DD, for example 2027-01-04");
        let mut parts = s.trim().splitn(3, '-');
        let mut next = || {
            parts
                .next()
                .ok_or_else(err)?
                .parse::<u32>()
                .map_err(|_| err())
        };
        let (year, month, day) = (next()?, next()?, next()?);
        let date = Date {
            year: year as i32,
            month,
            day,
        };
        // Round-tripping rejects 2027-02-30 and friends.
        if !(1..=12).contains(&month) || Date::from_unix_days(date.unix_days()) != date {
            return Err(err());
        }
        Ok(date)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
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
    fn rejects_impossible_dates() {
        for s in [
            "2027-02-30",
            "2027-13-01",
            "2027-1",
            "tomorrow",
            "2027-00-10",
        ] {
            assert!(s.parse::<Date>().is_err(), "{s}");
        }
    }

    #[test]
    fn next_month_wraps_the_year() {
        let d: Date = "2026-12-15".parse().unwrap();
        assert_eq!(d.first_of_next_month().to_string(), "2027-01-01");
    }
}
