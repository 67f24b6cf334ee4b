//! The VEVENTs of an iCalendar file (read by `calendar_ics`) as freezes: all-day and timed
//! events (UTC, `TZID=` with IANA names from jiff's bundled database, floating times), DTEND
//! or DURATION, RRULE (FREQ=YEARLY, MONTHLY, WEEKLY or DAILY with INTERVAL, COUNT, UNTIL;
//! any BY... part is refused), EXDATE. Each occurrence becomes the freeze of every civil day
//! it touches in the calendar's time zone. Recurrences are expanded from their first
//! occurrence up to [`HORIZON_YEARS`] after the plan's start; occurrences that end before the
//! start are dropped. STATUS:CANCELLED events are skipped (they do not happen);
//! TRANSP:TRANSPARENT events are imported (calendars export all-day blackouts as transparent).

use jiff::civil::{Date as CivilDate, DateTime};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use super::calendar_ics::{ContentLine, IcsEvent, events, ics_problem, unescape_text};
use super::calendar_spec::{Freeze, MAX_FREEZES, MAX_REASON_CHARS};
use crate::base::date::Date;
use crate::base::diagnostic::Diagnostic;
use crate::base::diagnostic::code::Code;

/// How far after the plan's start recurrences are expanded.
pub const HORIZON_YEARS: i16 = 10;
/// The most steps one recurrence is followed for (a daily rule from decades back).
const MAX_STEPS: i64 = 200_000;

/// A DTSTART, DTEND, EXDATE or UNTIL value.
#[derive(Debug, Clone, PartialEq)]
enum When {
    Day(CivilDate),
    /// A local time in a zone (UTC for a trailing `Z`; the calendar's zone for a floating time).
    Time(DateTime, TimeZone),
}

/// The freezes the events of iCalendar `text` give, as civil dates in `zone`, for a plan that
/// starts on `start`. Bad input is a [`Diagnostic`] with the line it is on (codes
/// `freeze-ics`, and `freeze-ics-too-many` for files or expansions beyond the bounds).
pub fn freezes_from_ics(
    text: &str,
    zone: &TimeZone,
    start: Date,
) -> Result<Vec<Freeze>, Diagnostic> {
    let start = start.civil();
    let horizon = start
        .checked_add(jiff::Span::new().years(HORIZON_YEARS))
        .unwrap_or(start);
    let mut out: Vec<Freeze> = Vec::new();
    for event in events(text)? {
        if event
            .property("STATUS")
            .is_some_and(|s| s.value.eq_ignore_ascii_case("CANCELLED"))
        {
            continue;
        }
        for freeze in event_freezes(&event, zone, start, horizon)? {
            if !out.contains(&freeze) {
                out.push(freeze);
            }
            if out.len() > MAX_FREEZES {
                return Err(ics_problem(
                    format!("the events give more than {MAX_FREEZES} freezes within {HORIZON_YEARS} years of the start"),
                    event.line,
                    "join the blackouts into fewer, longer events, or use a rarer recurrence",
                )
                .code(Code::FreezeIcsTooMany));
            }
        }
    }
    Ok(out)
}

fn event_freezes(
    event: &IcsEvent,
    zone: &TimeZone,
    start: CivilDate,
    horizon: CivilDate,
) -> Result<Vec<Freeze>, Diagnostic> {
    let dtstart = event.property("DTSTART").ok_or_else(|| {
        ics_problem(
            "the event has no DTSTART",
            event.line,
            "give the event its first day, e.g. DTSTART;VALUE=DATE:20271124",
        )
    })?;
    let first = when(dtstart, zone)?;
    let length = length(event, &first, zone)?;
    let reason = reason(event);
    if let Some(rdate) = event.property("RDATE") {
        return Err(ics_problem(
            "RDATE is not supported",
            rdate.line,
            "write each extra date as an event of its own",
        ));
    }
    let mut excluded = Vec::new();
    for exdate in event.all("EXDATE") {
        for value in exdate.value.split(',') {
            let mut one = exdate.clone();
            one.value = value.to_string();
            excluded.push(when(&one, zone)?);
        }
    }
    let occurrences = match event.property("RRULE") {
        None => vec![first.clone()],
        Some(rule) => expand(rule, &first, zone, horizon)?,
    };
    let mut out = Vec::new();
    for occurrence in occurrences {
        if excluded.iter().any(|x| same(x, &occurrence)) {
            continue;
        }
        let Some((from, to)) = days(&occurrence, length, zone) else {
            continue;
        };
        if to < start || from > horizon {
            continue;
        }
        let (Some(from), Some(to)) = (Date::from_civil(from), Date::from_civil(to)) else {
            continue;
        };
        out.push(Freeze {
            from,
            to,
            reason: reason.clone(),
        });
    }
    Ok(out)
}

/// The first and last civil day in `zone` an occurrence touches; `length` is days for an
/// all-day event, else an exact duration.
fn days(occurrence: &When, length: Length, zone: &TimeZone) -> Option<(CivilDate, CivilDate)> {
    match (occurrence, length) {
        (When::Day(day), Length::Days(n)) => {
            let last = day.checked_add(jiff::Span::new().days(n.max(1) - 1)).ok()?;
            Some((*day, last))
        }
        (When::Time(time, tz), Length::Exact(duration)) => {
            let begin = time.to_zoned(tz.clone()).ok()?.timestamp();
            let end = begin.checked_add(duration).ok()?;
            // The end is exclusive: an event to midnight does not touch the next day.
            let last = if duration.is_zero() {
                begin
            } else {
                end.checked_sub(SignedDuration::from_nanos(1)).ok()?
            };
            Some((
                begin.to_zoned(zone.clone()).date(),
                last.to_zoned(zone.clone()).date(),
            ))
        }
        _ => None,
    }
}

#[derive(Debug, Clone, Copy)]
enum Length {
    Days(i64),
    Exact(SignedDuration),
}

/// How long each occurrence lasts: from DTEND or DURATION; without either, one day for an
/// all-day event and no time for a timed one (RFC 5545, 3.6.1).
fn length(event: &IcsEvent, first: &When, zone: &TimeZone) -> Result<Length, Diagnostic> {
    if let Some(end) = event.property("DTEND") {
        let end_when = when(end, zone)?;
        let length = match (first, &end_when) {
            (When::Day(a), When::Day(b)) => {
                Length::Days(b.since(*a).map_or(0, |s| i64::from(s.get_days())))
            }
            (When::Time(a, az), When::Time(b, bz)) => {
                let a = instant(a, az, end.line)?;
                let b = instant(b, bz, end.line)?;
                Length::Exact(b.duration_since(a))
            }
            _ => {
                return Err(ics_problem(
                    "DTSTART and DTEND are not both dates or both date-times",
                    end.line,
                    "write both as dates (VALUE=DATE) for an all-day event, or both with a time",
                ));
            }
        };
        let negative = match length {
            Length::Days(n) => n < 1,
            Length::Exact(d) => d.is_negative(),
        };
        if negative {
            return Err(ics_problem(
                "the event ends before it starts",
                end.line,
                "DTEND is exclusive and after DTSTART: an all-day event on 24 November ends on 20271125",
            ));
        }
        return Ok(length);
    }
    if let Some(duration) = event.property("DURATION") {
        let seconds = parse_duration(&duration.value).ok_or_else(|| {
            ics_problem(
                format!("`{}` is not a duration", short(&duration.value)),
                duration.line,
                "write a duration such as P1D, P2W or PT4H (no negative durations)",
            )
        })?;
        return Ok(match first {
            When::Day(_) => Length::Days((seconds / 86_400).max(1)),
            When::Time(..) => Length::Exact(SignedDuration::from_secs(seconds)),
        });
    }
    Ok(match first {
        When::Day(_) => Length::Days(1),
        When::Time(..) => Length::Exact(SignedDuration::ZERO),
    })
}

/// `P1W`, `P2D`, `PT4H30M`, `P1DT12H` in seconds; a bound keeps it far from overflow.
fn parse_duration(text: &str) -> Option<i64> {
    let text = text.strip_prefix('+').unwrap_or(text);
    let body = text.strip_prefix('P')?;
    let (mut total, mut number, mut in_time, mut any) = (0i64, None::<i64>, false, false);
    for c in body.chars() {
        match c {
            '0'..='9' => {
                let digit = i64::from(c as u8 - b'0');
                number = Some(number.unwrap_or(0).checked_mul(10)?.checked_add(digit)?);
                if number? > 100_000_000 {
                    return None;
                }
            }
            'T' if !in_time && number.is_none() => in_time = true,
            unit => {
                let factor = match (unit, in_time) {
                    ('W', false) => 604_800,
                    ('D', false) => 86_400,
                    ('H', true) => 3_600,
                    ('M', true) => 60,
                    ('S', true) => 1,
                    _ => return None,
                };
                total = total.checked_add(number.take()?.checked_mul(factor)?)?;
                any = true;
            }
        }
    }
    (any && number.is_none()).then_some(total)
}

/// A date or date-time value: `20271124` (or VALUE=DATE), `20271124T220000` (floating: in
/// `zone`), `...Z` (UTC), or with TZID= an IANA zone.
fn when(line: &ContentLine, zone: &TimeZone) -> Result<When, Diagnostic> {
    let value = line.value.trim();
    let bad = || {
        ics_problem(
            format!(
                "{}: `{}` is not a date or date-time",
                line.name,
                short(value)
            ),
            line.line,
            "write a date as 20271124 (with VALUE=DATE) or a time as 20271124T220000Z",
        )
    };
    if line
        .param("VALUE")
        .is_some_and(|v| v.eq_ignore_ascii_case("DATE"))
        || value.len() == 8
    {
        let day = civil_date(value).ok_or_else(bad)?;
        return Ok(When::Day(day));
    }
    let (body, utc) = match value.strip_suffix('Z') {
        Some(body) => (body, true),
        None => (value, false),
    };
    let (date, time) = body.split_once('T').ok_or_else(bad)?;
    let day = civil_date(date).ok_or_else(bad)?;
    if time.len() != 6 || !time.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let number = |r: std::ops::Range<usize>| time[r].parse::<i8>().ok();
    let (h, m, s) = (number(0..2), number(2..4), number(4..6));
    let (Some(h), Some(m), Some(s)) = (h, m, s) else {
        return Err(bad());
    };
    // A leap second (60) is read as the second before.
    let time = jiff::civil::Time::new(h, m, s.min(59), 0).map_err(|_| bad())?;
    let tz = if utc {
        TimeZone::UTC
    } else if let Some(name) = line.param("TZID") {
        let name = name.trim_start_matches('/');
        if name.len() > 64 || !name.is_ascii() {
            return Err(unknown_zone(line, name));
        }
        TimeZone::get(name).map_err(|_| unknown_zone(line, name))?
    } else {
        zone.clone()
    };
    Ok(When::Time(day.to_datetime(time), tz))
}

fn unknown_zone(line: &ContentLine, name: &str) -> Diagnostic {
    ics_problem(
        format!(
            "{}: TZID `{}` is not a time zone of the IANA database",
            line.name,
            short(name)
        ),
        line.line,
        "use an IANA name such as TZID=Europe/Berlin, or a UTC time (20271124T220000Z)",
    )
}

fn civil_date(text: &str) -> Option<CivilDate> {
    if text.len() != 8 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: i16 = text[0..4].parse().ok()?;
    let month: i8 = text[4..6].parse().ok()?;
    let day: i8 = text[6..8].parse().ok()?;
    CivilDate::new(year, month, day).ok()
}

fn instant(time: &DateTime, zone: &TimeZone, line: usize) -> Result<Timestamp, Diagnostic> {
    time.to_zoned(zone.clone())
        .map(|z| z.timestamp())
        .map_err(|_| ics_problem("a time outside the supported range", line, "check the year"))
}

/// Whether an EXDATE names this occurrence: the same day for a date, the same instant for a
/// time.
fn same(excluded: &When, occurrence: &When) -> bool {
    match (excluded, occurrence) {
        (When::Day(a), When::Day(b)) => a == b,
        (When::Day(a), When::Time(t, _)) => t.date() == *a,
        (When::Time(a, az), When::Time(b, bz)) => {
            let a = a.to_zoned(az.clone()).map(|z| z.timestamp());
            let b = b.to_zoned(bz.clone()).map(|z| z.timestamp());
            matches!((a, b), (Ok(a), Ok(b)) if a == b)
        }
        (When::Time(a, _), When::Day(b)) => a.date() == *b,
    }
}

/// The occurrences of an RRULE from `first` up to `horizon` (civil days of the rule's own
/// zone): FREQ YEARLY, MONTHLY, WEEKLY or DAILY, with INTERVAL, COUNT and UNTIL. A yearly
/// 29 February or a monthly 31st occurs only where that day exists (RFC 5545, 3.3.10).
fn expand(
    rule: &ContentLine,
    first: &When,
    zone: &TimeZone,
    horizon: CivilDate,
) -> Result<Vec<When>, Diagnostic> {
    let refuse = |what: String| {
        ics_problem(
            format!("RRULE: {what}"),
            rule.line,
            "use FREQ=YEARLY, MONTHLY, WEEKLY or DAILY with INTERVAL, COUNT or UNTIL only, or write the dates as events",
        )
    };
    let (mut freq, mut interval, mut count, mut until) = (None, 1i64, None, None);
    for part in rule.value.split(';').filter(|p| !p.is_empty()) {
        let (key, value) = part
            .split_once('=')
            .ok_or_else(|| refuse(format!("`{}` is not KEY=VALUE", short(part))))?;
        match key.to_ascii_uppercase().as_str() {
            "FREQ" => freq = Some(value.to_ascii_uppercase()),
            "INTERVAL" => {
                interval = value
                    .parse::<i64>()
                    .ok()
                    .filter(|n| (1..=1000).contains(n))
                    .ok_or_else(|| {
                        refuse(format!("INTERVAL `{}` is not 1 to 1000", short(value)))
                    })?;
            }
            "COUNT" => {
                count = Some(
                    value
                        .parse::<i64>()
                        .ok()
                        .filter(|n| (1..=10_000).contains(n))
                        .ok_or_else(|| {
                            refuse(format!("COUNT `{}` is not 1 to 10000", short(value)))
                        })?,
                );
            }
            "UNTIL" => {
                let mut line = rule.clone();
                line.value = value.to_string();
                line.params.clear();
                until = Some(when(&line, zone)?);
            }
            "WKST" => {}
            other => return Err(refuse(format!("{} is not supported", short(other)))),
        }
    }
    let freq = freq.ok_or_else(|| refuse("no FREQ".to_string()))?;
    let (day, time) = match first {
        When::Day(d) => (*d, None),
        When::Time(t, tz) => (t.date(), Some((t.time(), tz.clone()))),
    };
    let mut out = Vec::new();
    for n in 0..MAX_STEPS {
        let step = n * interval;
        let next = match freq.as_str() {
            "YEARLY" => i16::try_from(i64::from(day.year()) + step)
                .ok()
                .and_then(|y| CivilDate::new(y, day.month(), day.day()).ok()),
            "MONTHLY" => {
                let months = i64::from(day.year()) * 12 + i64::from(day.month()) - 1 + step;
                let year = i16::try_from(months.div_euclid(12)).ok();
                let month = (months.rem_euclid(12) + 1) as i8;
                year.and_then(|y| CivilDate::new(y, month, day.day()).ok())
            }
            "WEEKLY" | "DAILY" => {
                let days = if freq == "WEEKLY" { step * 7 } else { step };
                day.checked_add(jiff::Span::new().days(days)).ok()
            }
            other => return Err(refuse(format!("FREQ={} is not supported", short(other)))),
        };
        let Some(next) = next else {
            // A day that does not exist that year or month: skipped, not counted.
            continue;
        };
        if next > horizon {
            break;
        }
        let occurrence = match &time {
            None => When::Day(next),
            Some((t, tz)) => When::Time(next.to_datetime(*t), tz.clone()),
        };
        if let Some(until) = &until
            && after(&occurrence, until)
        {
            break;
        }
        out.push(occurrence);
        if count.is_some_and(|c| out.len() as i64 >= c) {
            break;
        }
    }
    Ok(out)
}

/// Whether an occurrence is after an UNTIL.
fn after(occurrence: &When, until: &When) -> bool {
    match (occurrence, until) {
        (When::Day(a), When::Day(b)) => a > b,
        (When::Time(t, _), When::Day(b)) => t.date() > *b,
        (When::Day(a), When::Time(t, _)) => *a > t.date(),
        (When::Time(a, az), When::Time(b, bz)) => {
            let a = a.to_zoned(az.clone()).map(|z| z.timestamp());
            let b = b.to_zoned(bz.clone()).map(|z| z.timestamp());
            matches!((a, b), (Ok(a), Ok(b)) if a > b)
        }
    }
}

/// The event's SUMMARY as a one-line reason of at most MAX_REASON_CHARS characters.
fn reason(event: &IcsEvent) -> String {
    let text = event
        .property("SUMMARY")
        .map(|s| unescape_text(&s.value))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| format!("blackout event (line {})", event.line));
    if text.chars().count() <= MAX_REASON_CHARS {
        return text;
    }
    let mut cut: String = text.chars().take(MAX_REASON_CHARS - 1).collect();
    cut.push('…');
    cut
}

/// A value quoted in a message: at most 40 characters.
fn short(text: &str) -> String {
    let cut: String = text.chars().take(40).collect();
    if cut.len() < text.len() {
        format!("{cut}…")
    } else {
        cut
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn calendar(events: &str) -> String {
        format!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{events}END:VCALENDAR\r\n")
    }

    fn freezes(events: &str, zone: &str, start: &str) -> Result<Vec<Freeze>, Diagnostic> {
        let zone = TimeZone::get(zone).unwrap();
        freezes_from_ics(&calendar(events), &zone, start.parse().unwrap())
    }

    /// `(from, to)` of each freeze, as text.
    fn spans(events: &str, zone: &str) -> Vec<(String, String)> {
        freezes(events, zone, "2027-01-01")
            .unwrap()
            .iter()
            .map(|f| (f.from.to_string(), f.to.to_string()))
            .collect()
    }

    fn span(from: &str, to: &str) -> (String, String) {
        (from.to_string(), to.to_string())
    }

    #[test]
    fn all_day_events_end_the_day_before_dtend() {
        let event = "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20271115\r\nDTEND;VALUE=DATE:20280106\r\nSUMMARY:sales\r\nEND:VEVENT\r\n";
        assert_eq!(spans(event, "UTC"), [span("2027-11-15", "2028-01-05")]);
        let one = "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20271115\r\nEND:VEVENT\r\n";
        assert_eq!(spans(one, "UTC"), [span("2027-11-15", "2027-11-15")]);
        let duration =
            "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20271115\r\nDURATION:P1W\r\nEND:VEVENT\r\n";
        assert_eq!(spans(duration, "UTC"), [span("2027-11-15", "2027-11-21")]);
    }

    #[test]
    fn timed_events_cover_every_day_they_touch_in_the_calendar_zone() {
        // 22:00 to 02:00 UTC is 23:00 to 03:00 in Berlin in winter: two days either way.
        let event =
            "BEGIN:VEVENT\r\nDTSTART:20271201T220000Z\r\nDTEND:20271202T020000Z\r\nEND:VEVENT\r\n";
        assert_eq!(
            spans(event, "Europe/Berlin"),
            [span("2027-12-01", "2027-12-02")]
        );
        // 20:00 to 23:00 UTC is the next morning in Tokyo: one day.
        let evening =
            "BEGIN:VEVENT\r\nDTSTART:20271201T200000Z\r\nDTEND:20271201T230000Z\r\nEND:VEVENT\r\n";
        assert_eq!(
            spans(evening, "Asia/Tokyo"),
            [span("2027-12-02", "2027-12-02")]
        );
        // An end at midnight does not touch the next day.
        let midnight = "BEGIN:VEVENT\r\nDTSTART;TZID=Europe/Berlin:20271201T090000\r\nDTEND;TZID=Europe/Berlin:20271202T000000\r\nEND:VEVENT\r\n";
        assert_eq!(
            spans(midnight, "Europe/Berlin"),
            [span("2027-12-01", "2027-12-01")]
        );
        // Floating times are in the calendar's zone; DURATION instead of DTEND.
        let floating = "BEGIN:VEVENT\r\nDTSTART:20271201T230000\r\nDURATION:PT2H\r\nEND:VEVENT\r\n";
        assert_eq!(
            spans(floating, "Asia/Tokyo"),
            [span("2027-12-01", "2027-12-02")]
        );
    }

    #[test]
    fn a_weekly_event_keeps_its_wall_time_across_dst() {
        // 23:30 in New York is 04:30 UTC in winter and 03:30 UTC in summer: the next day in
        // UTC either way, and the same day in New York.
        let event = "BEGIN:VEVENT\r\nDTSTART;TZID=\"America/New_York\":20270306T233000\r\nDURATION:PT15M\r\nRRULE:FREQ=WEEKLY;COUNT=2\r\nEND:VEVENT\r\n";
        assert_eq!(
            spans(event, "UTC"),
            [
                span("2027-03-07", "2027-03-07"),
                span("2027-03-14", "2027-03-14")
            ]
        );
        assert_eq!(
            spans(event, "America/New_York"),
            [
                span("2027-03-06", "2027-03-06"),
                span("2027-03-13", "2027-03-13")
            ]
        );
    }

    #[test]
    fn yearly_recurrence_skips_missing_leap_days_and_honours_exdate_count_until() {
        let leap = "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20280229\r\nRRULE:FREQ=YEARLY;COUNT=2\r\nEND:VEVENT\r\n";
        assert_eq!(
            spans(leap, "UTC"),
            [
                span("2028-02-29", "2028-02-29"),
                span("2032-02-29", "2032-02-29")
            ]
        );
        let until = "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20271224\r\nRRULE:FREQ=YEARLY;INTERVAL=2;UNTIL=20311224\r\nEXDATE;VALUE=DATE:20291224\r\nEND:VEVENT\r\n";
        assert_eq!(
            spans(until, "UTC"),
            [
                span("2027-12-24", "2027-12-24"),
                span("2031-12-24", "2031-12-24")
            ]
        );
        // Without an end, a recurrence stops ten years after the start; past ones are dropped.
        let open =
            "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20001224\r\nRRULE:FREQ=YEARLY\r\nEND:VEVENT\r\n";
        let all = spans(open, "UTC");
        assert_eq!(all.first(), Some(&span("2027-12-24", "2027-12-24")));
        assert_eq!(all.len(), 10);
        let monthly = "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20270131\r\nRRULE:FREQ=MONTHLY;COUNT=3\r\nEND:VEVENT\r\n";
        assert_eq!(
            spans(monthly, "UTC"),
            [
                span("2027-01-31", "2027-01-31"),
                span("2027-03-31", "2027-03-31"),
                span("2027-05-31", "2027-05-31")
            ]
        );
    }

    #[test]
    fn summaries_become_one_line_bounded_reasons() {
        let event = "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20271115\r\nSUMMARY:Holiday sales\\, peak\\n\r\n  traffic\\; no changes\r\nEND:VEVENT\r\n";
        let got = freezes(event, "UTC", "2027-01-01").unwrap();
        assert_eq!(got[0].reason, "Holiday sales, peak traffic; no changes");
        let long = format!(
            "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20271115\r\nSUMMARY:{}\r\nEND:VEVENT\r\n",
            "x".repeat(500)
        );
        let got = freezes(&long, "UTC", "2027-01-01").unwrap();
        assert_eq!(got[0].reason.chars().count(), MAX_REASON_CHARS);
        let cancelled =
            "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20271115\r\nSTATUS:CANCELLED\r\nEND:VEVENT\r\n";
        assert!(freezes(cancelled, "UTC", "2027-01-01").unwrap().is_empty());
    }

    #[test]
    fn bad_and_hostile_files_are_located_errors() {
        let code = |events: &str| {
            freezes(events, "UTC", "2027-01-01")
                .map(|_| ())
                .unwrap_err()
        };
        let zone =
            code("BEGIN:VEVENT\r\nDTSTART;TZID=Mars/Olympus:20270101T000000\r\nEND:VEVENT\r\n");
        assert_eq!((zone.code, zone.line), (Some(Code::FreezeIcs), Some(4)));
        let rule = code(
            "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20270101\r\nRRULE:FREQ=YEARLY;BYDAY=MO\r\nEND:VEVENT\r\n",
        );
        assert_eq!(rule.line, Some(5));
        let daily = code(
            "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20270101\r\nRRULE:FREQ=DAILY\r\nEND:VEVENT\r\n",
        );
        assert_eq!(daily.code, Some(Code::FreezeIcsTooMany));
        let deep = "BEGIN:X\r\n".repeat(100_000);
        assert_eq!(code(&deep).code, Some(Code::FreezeIcs));
        let many = "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20270101\r\nEND:VEVENT\r\n".repeat(2_001);
        assert_eq!(code(&many).code, Some(Code::FreezeIcsTooMany));
        let huge = format!("X-A:{}\r\n", "a".repeat(5 * 1024 * 1024));
        assert_eq!(code(&huge).code, Some(Code::FreezeIcsTooMany));
        let unclosed = "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20270101\r\n";
        let zone = TimeZone::UTC;
        let error = freezes_from_ics(
            &format!("BEGIN:VCALENDAR\r\n{unclosed}"),
            &zone,
            "2027-01-01".parse().unwrap(),
        )
        .unwrap_err();
        assert_eq!(error.line, Some(2));
    }
}
