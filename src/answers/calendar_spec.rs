//! The optional `calendar:` block of an answers file as values: when change windows happen,
//! in which time zone, how long a rollback hold lasts and which freezes block changes. It is
//! read by `calendar_read` and turned into dates by `scoring::windows`; every value here is
//! already checked and bounded.

use jiff::civil::Weekday;
use jiff::tz::TimeZone;

use crate::base::date::Date;
use crate::base::diagnostic::Diagnostic;
use crate::base::diagnostic::code::Code;

/// The most dates `windows: {dates: [...]}` may list: twenty years of weekly windows.
pub const MAX_WINDOW_DATES: usize = 1_000;

/// The most freezes one calendar may list: several a month for decades.
pub const MAX_FREEZES: usize = 500;

/// The longest reason a freeze may give, in characters; reports show it on one line.
pub const MAX_REASON_CHARS: usize = 200;

/// The keys a `calendar:` block takes, in the order the interface lists them.
pub const CALENDAR_KEYS: [&str; 4] = ["windows", "time_zone", "rollback_hold_days", "freezes"];

/// The `calendar:` block as written: each key is optional. A fleet environment's block
/// overrides the top-level block key by key (see [`CalendarSpec::over`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct CalendarSpec {
    /// When windows happen; `None` falls back to the cadence answer (`change_window`).
    pub windows: Option<WindowsSpec>,
    /// The zone the window and freeze dates are civil dates in; `None` is UTC.
    pub time_zone: Option<TimeZoneName>,
    /// Overrides the checklist's default rollback hold.
    pub rollback_hold_days: Option<u32>,
    /// `None` when the block does not say (a fleet environment then keeps the top-level
    /// freezes); `Some(vec![])` when it says there are none.
    pub freezes: Option<Vec<Freeze>>,
}

impl CalendarSpec {
    /// This block (a fleet environment's) over `defaults` (the top-level block): each key this
    /// block gives replaces the default's, whole (a list of freezes is not merged).
    pub fn over(&self, defaults: &CalendarSpec) -> CalendarSpec {
        CalendarSpec {
            windows: self.windows.clone().or_else(|| defaults.windows.clone()),
            time_zone: self
                .time_zone
                .clone()
                .or_else(|| defaults.time_zone.clone()),
            rollback_hold_days: self.rollback_hold_days.or(defaults.rollback_hold_days),
            freezes: self.freezes.clone().or_else(|| defaults.freezes.clone()),
        }
    }

    /// Appends `extra` (freezes imported with `--freezes`) to this block's freezes. More than
    /// [`MAX_FREEZES`] in all is an error and leaves the block as it was.
    pub fn with_extra_freezes(&mut self, extra: &[Freeze]) -> Result<(), Diagnostic> {
        let have = self.freezes.as_deref().unwrap_or_default();
        // A freeze the calendar already has (the same file twice, or a blackout in both the
        // answers file and a calendar) is added once.
        let mut new: Vec<&Freeze> = Vec::new();
        for f in extra {
            if !have.contains(f) && !new.contains(&f) {
                new.push(f);
            }
        }
        if new.is_empty() {
            return Ok(());
        }
        if have.len() + new.len() > MAX_FREEZES {
            return Err(Diagnostic::new(format!(
                "the answers file's {} freezes and the {} imported ones are more than the {MAX_FREEZES} a calendar may hold",
                have.len(),
                new.len()
            ))
            .fix("join neighbouring freezes into one, or import only the coming years' blackouts")
            .code(Code::FreezeIcsTooMany));
        }
        let new: Vec<Freeze> = new.into_iter().cloned().collect();
        self.freezes.get_or_insert_with(Vec::new).extend(new);
        Ok(())
    }
}

/// `windows:`: a weekday in some week of every month, or an explicit list of dates.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum WindowsSpec {
    /// `{weekday: saturday, week: first}`.
    Weekday { weekday: Weekday, week: WeekOfMonth },
    /// `{dates: ["2027-01-09", ...]}`: at least one, at most [`MAX_WINDOW_DATES`], distinct,
    /// in increasing order (sorted when read).
    Dates(Vec<Date>),
}

/// Which occurrence of the weekday in a month is a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WeekOfMonth {
    First,
    Second,
    Third,
    Fourth,
    /// The last occurrence (the fourth or the fifth).
    Last,
    /// Every occurrence: a weekly window.
    Every,
}

impl WeekOfMonth {
    /// Every value, in the order the interface lists them.
    pub const ALL: [WeekOfMonth; 6] = [
        WeekOfMonth::First,
        WeekOfMonth::Second,
        WeekOfMonth::Third,
        WeekOfMonth::Fourth,
        WeekOfMonth::Last,
        WeekOfMonth::Every,
    ];

    /// The word an answers file writes.
    pub fn id(self) -> &'static str {
        match self {
            WeekOfMonth::First => "first",
            WeekOfMonth::Second => "second",
            WeekOfMonth::Third => "third",
            WeekOfMonth::Fourth => "fourth",
            WeekOfMonth::Last => "last",
            WeekOfMonth::Every => "every",
        }
    }

    pub fn from_id(text: &str) -> Option<WeekOfMonth> {
        WeekOfMonth::ALL.into_iter().find(|w| w.id() == text)
    }
}

/// The weekdays as an answers file writes them, Monday first.
pub const WEEKDAYS: [(&str, Weekday); 7] = [
    ("monday", Weekday::Monday),
    ("tuesday", Weekday::Tuesday),
    ("wednesday", Weekday::Wednesday),
    ("thursday", Weekday::Thursday),
    ("friday", Weekday::Friday),
    ("saturday", Weekday::Saturday),
    ("sunday", Weekday::Sunday),
];

/// The word an answers file writes for `weekday`.
pub fn weekday_id(weekday: Weekday) -> &'static str {
    WEEKDAYS
        .iter()
        .find(|(_, w)| *w == weekday)
        .map_or("monday", |(id, _)| id)
}

/// A weekday from its lower-case English name.
pub fn weekday_from_id(text: &str) -> Option<Weekday> {
    WEEKDAYS.iter().find(|(id, _)| *id == text).map(|(_, w)| *w)
}

/// A time zone of the IANA database (bundled with the program, so the machine's own
/// zoneinfo does not matter), with the name the database gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeZoneName {
    name: String,
    zone: TimeZone,
}

/// Two names of one zone are one zone: hashed by the database's spelling.
impl std::hash::Hash for TimeZoneName {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.name.hash(state);
    }
}

impl TimeZoneName {
    /// The zone named `text` (IANA names, any case: `Europe/Berlin`, `utc`), or `None`.
    pub fn parse(text: &str) -> Option<TimeZoneName> {
        // Every name the database knows is short and plain; anything else is not looked up.
        if text.is_empty() || text.len() > 64 || !text.is_ascii() {
            return None;
        }
        let zone = TimeZone::get(text).ok()?;
        let name = zone.iana_name().unwrap_or(text).to_string();
        Some(TimeZoneName { name, zone })
    }

    /// UTC, the default.
    pub fn utc() -> TimeZoneName {
        TimeZoneName {
            name: "UTC".to_string(),
            zone: TimeZone::UTC,
        }
    }

    /// The database's spelling of the name (`europe/berlin` is `Europe/Berlin`).
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn zone(&self) -> &TimeZone {
        &self.zone
    }
}

/// Every zone name the bundled database knows, for a did-you-mean.
pub fn time_zone_names() -> Vec<String> {
    jiff::tz::db().available().map(|n| n.to_string()).collect()
}

/// A freeze: no change window from `from` to `to`, both days included, civil dates in the
/// calendar's time zone.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, schemars::JsonSchema)]
pub struct Freeze {
    pub from: Date,
    /// Not before `from`.
    pub to: Date,
    /// Why (one line, at most [`MAX_REASON_CHARS`] characters): reports name the freeze that
    /// skipped a window by it.
    pub reason: String,
}

impl Freeze {
    /// Whether `date` falls in the freeze.
    pub fn covers(&self, date: Date) -> bool {
        self.from <= date && date <= self.to
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for week in WeekOfMonth::ALL {
            assert_eq!(WeekOfMonth::from_id(week.id()), Some(week));
        }
        for (id, weekday) in WEEKDAYS {
            assert_eq!(weekday_id(weekday), id);
            assert_eq!(weekday_from_id(id), Some(weekday));
        }
        assert_eq!(
            weekday_from_id("Saturday"),
            None,
            "the file writes lower case"
        );
        assert_eq!(WeekOfMonth::from_id("fifth"), None);
    }

    #[test]
    fn time_zones_come_from_the_bundled_database() {
        let berlin = TimeZoneName::parse("europe/berlin").unwrap();
        assert_eq!(berlin.name(), "Europe/Berlin");
        assert_eq!(TimeZoneName::parse("UTC").unwrap().name(), "UTC");
        for bad in [
            "Europe/Berln",
            "",
            "Mars/Olympus",
            "../../etc/passwd",
            "Europe/Berlin\n",
        ] {
            assert!(TimeZoneName::parse(bad).is_none(), "{bad:?}");
        }
        assert!(time_zone_names().iter().any(|n| n == "America/New_York"));
    }

    #[test]
    fn an_environment_block_overrides_key_by_key() {
        let freeze = Freeze {
            from: "2027-12-01".parse().unwrap(),
            to: "2027-12-31".parse().unwrap(),
            reason: "year end".into(),
        };
        let top = CalendarSpec {
            windows: Some(WindowsSpec::Weekday {
                weekday: Weekday::Saturday,
                week: WeekOfMonth::First,
            }),
            rollback_hold_days: Some(14),
            freezes: Some(vec![freeze.clone()]),
            ..CalendarSpec::default()
        };
        let environment = CalendarSpec {
            windows: Some(WindowsSpec::Weekday {
                weekday: Weekday::Tuesday,
                week: WeekOfMonth::Every,
            }),
            time_zone: TimeZoneName::parse("Europe/Berlin"),
            ..CalendarSpec::default()
        };
        let merged = environment.over(&top);
        assert_eq!(merged.windows, environment.windows);
        assert_eq!(merged.time_zone, environment.time_zone);
        assert_eq!(merged.rollback_hold_days, Some(14));
        assert_eq!(merged.freezes, Some(vec![freeze]));
        let no_freezes = CalendarSpec {
            freezes: Some(Vec::new()),
            ..CalendarSpec::default()
        };
        assert_eq!(no_freezes.over(&top).freezes, Some(Vec::new()));
    }
}
