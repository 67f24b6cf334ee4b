//! Reading the `calendar:` block of an answers file (at the top, or in a fleet environment):
//! every problem a diagnostic with its line, a fix and a code, unknown keys refused with a
//! did-you-mean, every number and list bounded.

use std::collections::BTreeSet;

use serde_yaml::Value;

use super::calendar_freezes::freezes;
use super::calendar_place::{BlockPlace, date_value, unknown_key};
use super::calendar_spec::*;
use super::read::{describe, key_text, quote, scalar_text, suggest};
use crate::base::diagnostic::Diagnostic;
use crate::base::diagnostic::code::Code;
use crate::checklist::model::MAX_ROLLBACK_HOLD_DAYS;

/// Reads a `calendar:` value. `None` when it is empty or has problems (pushed to `problems`).
pub fn calendar_block(
    value: &Value,
    place: &BlockPlace<'_>,
    problems: &mut Vec<Diagnostic>,
) -> Option<CalendarSpec> {
    let map = match value {
        Value::Null => return None,
        Value::Mapping(map) => map,
        other => {
            problems.push(
                Diagnostic::new(format!(
                    "`calendar` must be a mapping with `windows`, `time_zone`, `rollback_hold_days` or `freezes`, not {}",
                    describe(other)
                ))
                .at(place.at(""))
                .line(place.line())
                .fix("write e.g. `calendar:` then `  windows: {weekday: saturday, week: first}` on the next line")
                .code(Code::CalendarShape),
            );
            return None;
        }
    };
    let before = problems.len();
    let mut spec = CalendarSpec::default();
    for (key, value) in map {
        let key = key_text(key);
        let line = place.key_line(&key, place.line(), place.line());
        match key.as_str() {
            "windows" => spec.windows = windows(value, place, line, problems),
            "time_zone" => spec.time_zone = time_zone(value, place, line, problems),
            "rollback_hold_days" => spec.rollback_hold_days = hold(value, place, line, problems),
            "freezes" => spec.freezes = freezes(value, place, line, problems),
            other => problems.push(unknown_key(
                other,
                &CALENDAR_KEYS,
                place.at(""),
                line,
                "`calendar` takes `windows`, `time_zone`, `rollback_hold_days` and `freezes`",
            )),
        }
    }
    (problems.len() == before).then_some(spec)
}

const WINDOWS_FIX: &str = "write `windows: {weekday: saturday, week: first}` (week: first, second, third, fourth, last or every) or `windows: {dates: [\"2027-01-09\", \"2027-02-06\"]}`; without `windows`, the cadence answer picks the windows";

fn windows(
    value: &Value,
    place: &BlockPlace<'_>,
    line: Option<usize>,
    problems: &mut Vec<Diagnostic>,
) -> Option<WindowsSpec> {
    let problem = |message: String, path: &str, at_line: Option<usize>| {
        Diagnostic::new(message)
            .at(place.at(path))
            .line(at_line)
            .fix(WINDOWS_FIX)
            .code(Code::CalendarWindow)
    };
    let map = match value {
        Value::Null => return None,
        Value::Mapping(map) => map,
        other => {
            problems.push(problem(
                format!("`windows` must be a mapping, not {}", describe(other)),
                ".windows",
                line,
            ));
            return None;
        }
    };
    let (mut weekday, mut week, mut dates) = (None, None, None);
    let before = problems.len();
    for (key, value) in map {
        let key = key_text(key);
        let key_line = place.key_line(&key, line, line);
        match key.as_str() {
            "weekday" => weekday = Some((value, key_line)),
            "week" => week = Some((value, key_line)),
            "dates" => dates = Some((value, key_line)),
            other => problems.push(unknown_key(
                other,
                &["weekday", "week", "dates"],
                place.at(".windows"),
                key_line,
                "`windows` takes `weekday` and `week`, or `dates`",
            )),
        }
    }
    match (weekday, week, dates) {
        // Only misspelt keys: their problems say it.
        (None, None, None) if problems.len() > before => None,
        (None, None, None) => {
            problems.push(problem(
                "`windows` names no windows".to_string(),
                ".windows",
                line,
            ));
            None
        }
        (Some(_), _, Some(_)) | (_, Some(_), Some(_)) => {
            problems.push(problem(
                "`windows` gives both a weekday rule and a list of dates".to_string(),
                ".windows",
                line,
            ));
            None
        }
        (None, None, Some((value, at_line))) => dates_list(value, place, at_line, problems),
        (weekday, week, None) => {
            let weekday = match weekday {
                None => {
                    problems.push(problem(
                        "`windows` gives a `week` but no `weekday`".to_string(),
                        ".windows",
                        line,
                    ));
                    None
                }
                Some((value, at_line)) => one_of(
                    Named {
                        value,
                        line: at_line,
                        key: "weekday",
                        what: "a weekday",
                        ids: &WEEKDAYS.map(|(id, _)| id),
                        otherwise: "write a weekday in lower case: monday, tuesday, wednesday, thursday, friday, saturday or sunday",
                    },
                    weekday_from_id,
                    place,
                    problems,
                ),
            };
            let week = match week {
                None => {
                    problems.push(
                        Diagnostic::new("`windows` gives a `weekday` but no `week`")
                            .at(place.at(".windows"))
                            .line(line)
                            .fix("add `week: every` for a window every week, or `week: first` (second, third, fourth, last) for one a month")
                            .code(Code::CalendarWindow),
                    );
                    None
                }
                Some((value, at_line)) => one_of(
                    Named {
                        value,
                        line: at_line,
                        key: "week",
                        what: "a week of the month",
                        ids: &WeekOfMonth::ALL.map(WeekOfMonth::id),
                        otherwise: "write first, second, third, fourth, last or every",
                    },
                    WeekOfMonth::from_id,
                    place,
                    problems,
                ),
            };
            Some(WindowsSpec::Weekday {
                weekday: weekday?,
                week: week?,
            })
        }
    }
}

/// A value of `windows` that must be one of a few lower-case names.
struct Named<'v> {
    value: &'v Value,
    line: Option<usize>,
    /// The key under `windows`, e.g. `weekday`.
    key: &'static str,
    /// What the names are, e.g. "a weekday".
    what: &'static str,
    ids: &'v [&'static str],
    /// The fix when no name is close.
    otherwise: &'static str,
}

/// The name `named.value` gives, read with `parse`; a problem with a did-you-mean when it is
/// none of the names.
fn one_of<T>(
    named: Named<'_>,
    parse: impl Fn(&str) -> Option<T>,
    place: &BlockPlace<'_>,
    problems: &mut Vec<Diagnostic>,
) -> Option<T> {
    let text = scalar_text(named.value).unwrap_or_default();
    let found = parse(&text);
    if found.is_none() {
        let fix = match suggest(&text.to_lowercase(), named.ids.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => named.otherwise.to_string(),
        };
        problems.push(
            Diagnostic::new(format!(
                "`{}` is {}, not {}",
                named.key,
                describe(named.value),
                named.what
            ))
            .at(place.at(&format!(".windows.{}", named.key)))
            .line(named.line)
            .fix(fix)
            .code(Code::CalendarWindow),
        );
    }
    found
}

/// `dates: [...]`: at least one date, at most [`MAX_WINDOW_DATES`], each once; sorted.
fn dates_list(
    value: &Value,
    place: &BlockPlace<'_>,
    line: Option<usize>,
    problems: &mut Vec<Diagnostic>,
) -> Option<WindowsSpec> {
    let at = place.at(".windows.dates");
    let problem = |message: String, at_line: Option<usize>, fix: &str| {
        Diagnostic::new(message)
            .at(at.clone())
            .line(at_line)
            .fix(fix)
            .code(Code::CalendarWindow)
    };
    let items = match value {
        Value::Sequence(items) if !items.is_empty() => items,
        Value::Sequence(_) | Value::Null => {
            problems.push(problem(
                "`dates` lists no dates".to_string(),
                line,
                "list the window dates, e.g. `dates: [\"2027-01-09\", \"2027-02-06\"]`, or use a weekday rule",
            ));
            return None;
        }
        other => {
            problems.push(problem(
                format!("`dates` must be a list of dates, not {}", describe(other)),
                line,
                "write e.g. `dates: [\"2027-01-09\", \"2027-02-06\"]`",
            ));
            return None;
        }
    };
    if items.len() > MAX_WINDOW_DATES {
        problems.push(problem(
            format!(
                "`dates` lists {} dates; at most {MAX_WINDOW_DATES} are accepted",
                items.len()
            ),
            line,
            "list the windows of the next years only, or use a weekday rule",
        ));
        return None;
    }
    let item_lines = place.item_lines(line);
    let before = problems.len();
    let mut dates = BTreeSet::new();
    for (index, item) in items.iter().enumerate() {
        let at_line = item_lines.get(index).copied().or(line);
        match date_value(item) {
            Ok(date) => {
                if !dates.insert(date) {
                    problems.push(problem(
                        format!("{date} is listed twice"),
                        at_line,
                        "list each window date once; was another date meant?",
                    ));
                }
            }
            Err(message) => problems.push(problem(
                format!("dates[{index}]: {message}"),
                at_line,
                "write each date as YYYY-MM-DD, e.g. \"2027-01-09\"",
            )),
        }
    }
    (problems.len() == before).then(|| WindowsSpec::Dates(dates.into_iter().collect()))
}

fn time_zone(
    value: &Value,
    place: &BlockPlace<'_>,
    line: Option<usize>,
    problems: &mut Vec<Diagnostic>,
) -> Option<TimeZoneName> {
    if value.is_null() {
        return None;
    }
    let text = match value {
        Value::String(text) => text.as_str(),
        _ => "",
    };
    if let Some(zone) = TimeZoneName::parse(text) {
        return Some(zone);
    }
    let names = time_zone_names();
    let lower: Vec<String> = names.iter().map(|n| n.to_lowercase()).collect();
    let fix = match suggest(&text.to_lowercase(), lower.iter().map(String::as_str)) {
        Some(s) => {
            let index = lower.iter().position(|n| n == s).unwrap_or(0);
            format!("did you mean `{}`?", names[index])
        }
        None => "give an IANA time zone name, e.g. `Europe/Berlin`, `America/New_York` or `UTC`"
            .to_string(),
    };
    problems.push(
        Diagnostic::new(format!(
            "`time_zone` is {}, not a time zone of the IANA database",
            describe(value)
        ))
        .at(place.at(".time_zone"))
        .line(line)
        .fix(fix)
        .code(Code::CalendarTimeZone),
    );
    None
}

fn hold(
    value: &Value,
    place: &BlockPlace<'_>,
    line: Option<usize>,
    problems: &mut Vec<Diagnostic>,
) -> Option<u32> {
    if value.is_null() {
        return None;
    }
    match value.as_u64() {
        Some(days) if days <= u64::from(MAX_ROLLBACK_HOLD_DAYS) => u32::try_from(days).ok(),
        _ => {
            problems.push(
                Diagnostic::new(format!(
                    "`rollback_hold_days` is {}, not a number of days from 0 to {MAX_ROLLBACK_HOLD_DAYS}",
                    describe(value)
                ))
                .at(place.at(".rollback_hold_days"))
                .line(line)
                .fix("give the days the old side is kept for a rollback, e.g. `rollback_hold_days: 14`; leave it out for the checklist's default")
                .code(Code::CalendarHold),
            );
            None
        }
    }
}

/// The block as answers-file YAML that [`calendar_block`] reads back to the same value (the
/// workshop saves a resumed file's calendar with it).
pub fn calendar_yaml(spec: &CalendarSpec) -> String {
    let mut out = String::from("calendar:");
    if *spec == CalendarSpec::default() {
        out.push_str(" {}\n");
        return out;
    }
    out.push('\n');
    match &spec.windows {
        Some(WindowsSpec::Weekday { weekday, week }) => out.push_str(&format!(
            "  windows: {{weekday: {}, week: {}}}\n",
            weekday_id(*weekday),
            week.id()
        )),
        Some(WindowsSpec::Dates(dates)) => {
            let dates: Vec<String> = dates.iter().map(|d| format!("\"{d}\"")).collect();
            out.push_str(&format!("  windows: {{dates: [{}]}}\n", dates.join(", ")));
        }
        None => {}
    }
    if let Some(zone) = &spec.time_zone {
        out.push_str(&format!("  time_zone: {}\n", quote(zone.name())));
    }
    if let Some(days) = spec.rollback_hold_days {
        out.push_str(&format!("  rollback_hold_days: {days}\n"));
    }
    match spec.freezes.as_deref() {
        Some([]) => out.push_str("  freezes: []\n"),
        Some(freezes) => {
            out.push_str("  freezes:\n");
            for f in freezes {
                out.push_str(&format!(
                    "    - {{from: \"{}\", to: \"{}\", reason: {}}}\n",
                    f.from,
                    f.to,
                    quote(&f.reason)
                ));
            }
        }
        None => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use jiff::civil::Weekday;

    use super::*;
    use crate::answers::values::{AnswersDocument, AnswersFile, PartialAnswers};
    use crate::base::date::Date;
    use crate::base::diagnostic::InputError;
    use crate::checklist::model::Checklist;

    const ANSWERS: &str = "answers:
  current_version: \"1.32\"
  target_version: \"1.33\"
  cluster_count: 3
  rolling_restart_tolerance: all
  pdbs_and_probes: yes
  deprecated_apis: remediated
  stateful_workloads: none
  legacy_apps: no
  change_window: monthly
  change_approval: light
  spare_capacity: no
  capacity_expansion: no
  shared_supervisor: yes
  traffic_shifting: dns-only
  pod_autoscaling: yes
  cluster_autoscaling: no
  continuous_delivery: pipeline
";

    fn vks() -> Checklist {
        Checklist::builtin("vks").unwrap()
    }

    /// An answers file with `calendar` (written from its first line) before the answers.
    fn with(calendar: &str) -> String {
        format!("checklist: vks\n{calendar}{ANSWERS}")
    }

    fn parse(calendar: &str) -> Result<AnswersFile, InputError> {
        AnswersFile::parse(&with(calendar), "answers.yaml", &vks())
    }

    fn spec(calendar: &str) -> CalendarSpec {
        parse(calendar).unwrap().calendar.unwrap()
    }

    /// The one problem of a broken block: (line, code, message, fix).
    fn problem(calendar: &str) -> (Option<usize>, Code, String, String) {
        let error = parse(calendar).unwrap_err();
        assert_eq!(error.problems.len(), 1, "{error}");
        let p = &error.problems[0];
        (
            p.line,
            p.code.unwrap(),
            p.message.clone(),
            p.fix.clone().unwrap_or_default(),
        )
    }

    fn date(text: &str) -> Date {
        text.parse().unwrap()
    }

    #[test]
    fn the_interface_block_is_read() {
        let read = spec(
            "calendar:
  windows: {weekday: saturday, week: first}
  time_zone: europe/berlin
  rollback_hold_days: 14
  freezes:
    - {from: \"2027-11-15\", to: \"2028-01-05\", reason: holiday sales}
    - from: 2028-07-01
      to: 2028-07-01
      reason: 2028
",
        );
        assert_eq!(
            read.windows,
            Some(WindowsSpec::Weekday {
                weekday: Weekday::Saturday,
                week: WeekOfMonth::First
            })
        );
        assert_eq!(
            read.time_zone.as_ref().map(|z| z.name()),
            Some("Europe/Berlin")
        );
        assert_eq!(read.rollback_hold_days, Some(14));
        assert_eq!(
            read.freezes,
            Some(vec![
                Freeze {
                    from: date("2027-11-15"),
                    to: date("2028-01-05"),
                    reason: "holiday sales".into()
                },
                Freeze {
                    from: date("2028-07-01"),
                    to: date("2028-07-01"),
                    reason: "2028".into()
                },
            ])
        );
        let listed = spec("calendar:\n  windows: {dates: [2027-02-06, \"2027-01-09\"]}\n");
        assert_eq!(
            listed.windows,
            Some(WindowsSpec::Dates(vec![
                date("2027-01-09"),
                date("2027-02-06")
            ]))
        );
        assert_eq!(listed.freezes, None);
        assert_eq!(spec("calendar: {}\n"), CalendarSpec::default());
        assert_eq!(spec("calendar:\n  freezes: []\n").freezes, Some(Vec::new()));
        assert_eq!(parse("calendar:\n").unwrap().calendar, None);
        for week in WeekOfMonth::ALL {
            let text = format!(
                "calendar:\n  windows: {{weekday: tuesday, week: {}}}\n",
                week.id()
            );
            assert!(
                matches!(spec(&text).windows, Some(WindowsSpec::Weekday { week: w, .. }) if w == week)
            );
        }
    }

    #[test]
    fn the_calendar_does_not_change_the_answers() {
        let plain = AnswersFile::parse(&with(""), "answers.yaml", &vks()).unwrap();
        let dated = parse("calendar:\n  windows: {weekday: sunday, week: every}\n").unwrap();
        assert_eq!(plain.answers, dated.answers);
        assert_eq!(plain.context, dated.context);
        assert_eq!(plain.calendar, None);
    }

    #[test]
    fn a_broken_block_says_where_and_how_to_fix_it() {
        let cases: &[(&str, usize, Code, &str, &str)] = &[
            (
                "calendar: monthly\n",
                2,
                Code::CalendarShape,
                "not the text \"monthly\"",
                "windows: {weekday",
            ),
            (
                "calendar:\n  freeze: []\n",
                3,
                Code::AnswersUnknownKey,
                "unknown key `freeze`",
                "did you mean `freezes`?",
            ),
            (
                "calendar:\n  windows: {weekday: saturdy, week: first}\n",
                3,
                Code::CalendarWindow,
                "not a weekday",
                "did you mean `saturday`?",
            ),
            (
                "calendar:\n  windows:\n    weekday: Saturday\n    week: first\n",
                4,
                Code::CalendarWindow,
                "not a weekday",
                "did you mean `saturday`?",
            ),
            (
                "calendar:\n  windows:\n    weekday: friday\n    week: fifth\n",
                5,
                Code::CalendarWindow,
                "not a week of the month",
                "first, second, third, fourth, last or every",
            ),
            (
                "calendar:\n  windows: {weekday: friday}\n",
                3,
                Code::CalendarWindow,
                "no `week`",
                "week: every",
            ),
            (
                "calendar:\n  windows: {week: last}\n",
                3,
                Code::CalendarWindow,
                "no `weekday`",
                "weekday: saturday",
            ),
            (
                "calendar:\n  windows: {weekday: friday, week: last, dates: [2027-01-01]}\n",
                3,
                Code::CalendarWindow,
                "both a weekday rule and a list of dates",
                "dates: [",
            ),
            (
                "calendar:\n  windows: {}\n",
                3,
                Code::CalendarWindow,
                "names no windows",
                "cadence answer",
            ),
            (
                "calendar:\n  windows: {day: friday}\n",
                3,
                Code::AnswersUnknownKey,
                "unknown key `day`",
                "takes `weekday` and `week`, or `dates`",
            ),
            (
                "calendar:\n  windows: {dates: []}\n",
                3,
                Code::CalendarWindow,
                "lists no dates",
                "weekday rule",
            ),
            (
                "calendar:\n  windows:\n    dates:\n      - 2027-01-09\n      - 2027-02-30\n",
                6,
                Code::CalendarWindow,
                "dates[1]: \"2027-02-30\" is not a date (there is no such day)",
                "YYYY-MM-DD",
            ),
            (
                "calendar:\n  windows:\n    dates:\n      - 2027-01-09\n      - 2027-01-09\n",
                6,
                Code::CalendarWindow,
                "2027-01-09 is listed twice",
                "once",
            ),
            (
                "calendar:\n  windows: {dates: [20270109]}\n",
                3,
                Code::CalendarWindow,
                "expected a date, found the number 20270109",
                "YYYY-MM-DD",
            ),
            (
                "calendar:\n  time_zone: Europe/Berln\n",
                3,
                Code::CalendarTimeZone,
                "not a time zone of the IANA database",
                "did you mean `Europe/Berlin`?",
            ),
            (
                "calendar:\n  time_zone: 2\n",
                3,
                Code::CalendarTimeZone,
                "the number 2",
                "IANA time zone name",
            ),
            (
                "calendar:\n  rollback_hold_days: 400\n",
                3,
                Code::CalendarHold,
                "from 0 to 365",
                "rollback_hold_days: 14",
            ),
            (
                "calendar:\n  rollback_hold_days: -1\n",
                3,
                Code::CalendarHold,
                "the number -1",
                "rollback_hold_days: 14",
            ),
            (
                "calendar:\n  rollback_hold_days: two weeks\n",
                3,
                Code::CalendarHold,
                "the text \"two weeks\"",
                "rollback_hold_days: 14",
            ),
            (
                "calendar:\n  freezes: {from: 2027-11-15}\n",
                3,
                Code::CalendarFreeze,
                "must be a list",
                "- {from:",
            ),
            (
                "calendar:\n  freezes:\n    - {from: 2027-11-15, to: 2027-11-30, reason: a}\n    - from: 2027-12-20\n      to: 2027-12-01\n      reason: b\n",
                6,
                Code::CalendarFreeze,
                "ends (2027-12-01) before it starts (2027-12-20)",
                "swap `from` and `to`",
            ),
            (
                "calendar:\n  freezes:\n    - from: 2027-12-20\n      to: 2027-12-31\n",
                4,
                Code::CalendarFreeze,
                "the freeze has no `reason`",
                "reports name the freeze",
            ),
            (
                "calendar:\n  freezes:\n    - {from: 2027-12-20}\n",
                4,
                Code::CalendarFreeze,
                "no `to` or `reason`",
                "(`to`)",
            ),
            (
                "calendar:\n  freezes:\n    - from: 2027-12-20\n      to: 2027-12-31\n      reson: year end\n",
                6,
                Code::AnswersUnknownKey,
                "unknown key `reson`",
                "did you mean `reason`?",
            ),
            (
                "calendar:\n  freezes:\n    - from: 2027-12-20\n      to: 2027-13-31\n      reason: x\n",
                5,
                Code::CalendarFreeze,
                "`to`: \"2027-13-31\" is not a date",
                "YYYY-MM-DD",
            ),
            (
                "calendar:\n  freezes:\n    - {from: 2027-12-20, to: 2027-12-31, reason: \"a\\e[2Jb\"}\n",
                4,
                Code::UnsafeText,
                "control character U+001B",
                "remove it",
            ),
            (
                "calendar:\n  freezes:\n    - 2027-12-20\n",
                4,
                Code::CalendarFreeze,
                "a freeze must be a mapping",
                "- {from:",
            ),
        ];
        for (calendar, line, code, message, fix) in cases {
            let (at, found, said, fixed) = problem(calendar);
            assert_eq!((at, found), (Some(*line), *code), "{calendar}{said}");
            assert!(said.contains(message), "{calendar}: {said}");
            assert!(fixed.contains(fix), "{calendar}: {fixed}");
        }
        let long = format!(
            "calendar:\n  freezes:\n    - {{from: 2027-12-20, to: 2027-12-31, reason: {}}}\n",
            "x".repeat(MAX_REASON_CHARS + 1)
        );
        let (line, code, message, _) = problem(&long);
        assert_eq!((line, code), (Some(4), Code::CalendarFreeze), "{message}");
    }

    #[test]
    fn lists_are_bounded() {
        let many = |n: usize, item: &dyn Fn(usize) -> String| {
            (0..n).map(item).collect::<Vec<_>>().join(", ")
        };
        let day = |i: usize| format!("\"{}\"", date("2027-01-01").plus_days(i as i64));
        let dates = format!(
            "calendar:\n  windows: {{dates: [{}]}}\n",
            many(MAX_WINDOW_DATES + 1, &day)
        );
        let (line, code, message, _) = problem(&dates);
        assert_eq!((line, code), (Some(3), Code::CalendarWindow));
        assert!(message.contains("at most 1000"), "{message}");
        assert!(
            parse(&format!(
                "calendar:\n  windows: {{dates: [{}]}}\n",
                many(MAX_WINDOW_DATES, &day)
            ))
            .is_ok()
        );
        let freeze = |i: usize| {
            let d = date("2027-01-01").plus_days(i as i64);
            format!("{{from: \"{d}\", to: \"{d}\", reason: r}}")
        };
        let freezes = format!(
            "calendar:\n  freezes: [{}]\n",
            many(MAX_FREEZES + 1, &freeze)
        );
        let (line, code, message, _) = problem(&freezes);
        assert_eq!((line, code), (Some(3), Code::CalendarFreeze));
        assert!(message.contains("at most 500"), "{message}");
    }

    #[test]
    fn the_top_level_takes_calendar_and_suggests_it() {
        let error = parse("calender:\n  time_zone: UTC\n").unwrap_err();
        assert!(error.has(Code::AnswersUnknownKey));
        assert_eq!(
            error.problems[0].fix.as_deref(),
            Some("did you mean `calendar`?")
        );
        let error = parse("timezone: UTC\n").unwrap_err();
        assert!(
            error.problems[0]
                .fix
                .as_deref()
                .unwrap()
                .contains("`calendar`"),
            "{error}"
        );
        // The message as the user sees it: file, line, place, what, and the fix.
        let error = parse("calendar:\n  time_zone: Europe/Berln\n").unwrap_err();
        assert_eq!(
            error.to_string(),
            "answers.yaml:3: `calendar.time_zone`: `time_zone` is the text \"Europe/Berln\", not a time zone of the IANA database\n  fix: did you mean `Europe/Berlin`?"
        );
    }

    const FLEET: &str = "checklist: vks
calendar:
  windows: {weekday: saturday, week: first}
  rollback_hold_days: 14
  freezes:
    - {from: 2027-11-15, to: 2028-01-05, reason: holiday sales}
answers:
  current_version: \"1.32\"
  target_version: \"1.33\"
  rolling_restart_tolerance: all
  pdbs_and_probes: yes
  deprecated_apis: remediated
  stateful_workloads: none
  legacy_apps: no
  change_window: monthly
  change_approval: light
  spare_capacity: no
  capacity_expansion: no
  shared_supervisor: yes
  traffic_shifting: dns-only
  pod_autoscaling: yes
  cluster_autoscaling: no
  continuous_delivery: pipeline
environments:
  - name: staging
    answers:
      cluster_count: 2
  - name: prod
    calendar:
      windows: {weekday: tuesday, week: every}
      time_zone: America/New_York
    answers:
      cluster_count: 4
";

    #[test]
    fn a_fleet_environment_overrides_the_calendar_key_by_key() {
        let AnswersDocument::Fleet(fleet) =
            AnswersDocument::parse(FLEET, "fleet.yaml", &vks(), &[], &[]).unwrap()
        else {
            panic!("a fleet");
        };
        let top = fleet.calendar.clone().unwrap();
        let staging = fleet.environments[0].file.calendar.clone().unwrap();
        assert_eq!(staging, top);
        let prod = fleet.environments[1].file.calendar.clone().unwrap();
        assert_eq!(
            prod.windows,
            Some(WindowsSpec::Weekday {
                weekday: Weekday::Tuesday,
                week: WeekOfMonth::Every
            })
        );
        assert_eq!(prod.time_zone.unwrap().name(), "America/New_York");
        assert_eq!(prod.rollback_hold_days, Some(14));
        assert_eq!(prod.freezes, top.freezes);
        // A problem in an environment's block names the environment and its line.
        let broken = FLEET.replace("America/New_York", "America/New_Yrok");
        let error = AnswersDocument::parse(&broken, "fleet.yaml", &vks(), &[], &[]).unwrap_err();
        assert_eq!(error.problems.len(), 1, "{error}");
        let p = &error.problems[0];
        assert_eq!(p.line, Some(31));
        assert_eq!(p.code, Some(Code::CalendarTimeZone));
        assert_eq!(
            p.at.as_deref(),
            Some("environments[1] (prod): `calendar.time_zone`")
        );
        assert_eq!(p.fix.as_deref(), Some("did you mean `America/New_York`?"));
        let unknown = FLEET.replace("    calendar:\n", "    calendr:\n");
        let error = AnswersDocument::parse(&unknown, "fleet.yaml", &vks(), &[], &[]).unwrap_err();
        assert!(
            error.problems[0]
                .fix
                .as_deref()
                .unwrap()
                .contains("`calendar`")
        );
    }

    #[test]
    fn a_saved_calendar_reads_back_the_same() {
        for calendar in [
            "calendar: {}\n",
            "calendar:\n  freezes: []\n",
            "calendar:\n  windows: {dates: [2027-02-06, 2027-01-09]}\n  time_zone: Asia/Tokyo\n",
            "calendar:\n  windows: {weekday: saturday, week: last}\n  rollback_hold_days: 0\n  freezes:\n    - {from: 2027-11-15, to: 2028-01-05, reason: \"holiday: \\\"sales\\\"\"}\n",
        ] {
            let partial = PartialAnswers::parse(&with(calendar), "a.yaml", &vks()).unwrap();
            let saved = partial.to_yaml(&vks(), "saved");
            let again = PartialAnswers::parse(&saved, "saved.yaml", &vks()).unwrap();
            assert_eq!(again.calendar, partial.calendar, "{saved}");
            assert!(again.calendar.is_some());
        }
    }
}
