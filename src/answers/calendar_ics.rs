//! iCalendar (RFC 5545) files as blackout events, for `assess --freezes FILE.ics`: the content
//! lines (unfolded, with their parameters, quoted or not) and the VEVENTs they describe.
//! `calendar_ics_events` turns each event into freezes.
//!
//! A small parser of its own rather than a crate: the `icalendar` crate's parser recursed
//! once per nested `BEGIN` and overflowed the stack on hostile input; the maintained
//! alternatives on crates.io (`ical_rust`, `caldata`, `rrule`) build on chrono and chrono-tz,
//! a second date and zone stack beside jiff whose zone data could disagree with the bundled
//! one; and only a few properties matter here. Everything is bounded: the file's size, a line's length, the
//! nesting of components and the number of events.

use crate::base::diagnostic::Diagnostic;
use crate::base::diagnostic::code::Code;

/// The largest iCalendar file read: a decade of a busy team calendar is well under 1 MiB.
pub const MAX_ICS_BYTES: usize = 4 * 1024 * 1024;
/// The longest content line, unfolded, in bytes.
pub const MAX_ICS_LINE_BYTES: usize = 16 * 1024;
/// The deepest nesting of components (VCALENDAR > VEVENT > VALARM is 3).
pub const MAX_ICS_DEPTH: usize = 8;
/// The most VEVENTs one file may hold.
pub const MAX_ICS_EVENTS: usize = 2_000;

/// One content line: `NAME;PARAM=VALUE:VALUE`, with the line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentLine {
    /// Upper case.
    pub name: String,
    /// Names upper case; values unquoted.
    pub params: Vec<(String, String)>,
    pub value: String,
    pub line: usize,
}

impl ContentLine {
    /// The value of parameter `name` (upper case), if given.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A VEVENT: its properties, in order, and the line of its `BEGIN:VEVENT`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IcsEvent {
    pub line: usize,
    pub properties: Vec<ContentLine>,
}

impl IcsEvent {
    /// The first property named `name`.
    pub fn property(&self, name: &str) -> Option<&ContentLine> {
        self.properties.iter().find(|p| p.name == name)
    }

    /// Every property named `name`.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a ContentLine> + 'a {
        self.properties.iter().filter(move |p| p.name == name)
    }
}

/// A problem in an iCalendar file at `line`.
pub fn ics_problem(message: impl Into<String>, line: usize, fix: &str) -> Diagnostic {
    Diagnostic::new(message)
        .line(Some(line))
        .fix(fix)
        .code(Code::FreezeIcs)
}

/// The logical lines of `text`: CRLF or LF endings, a line starting with a space or a tab
/// continues the one before (RFC 5545, 3.1). Each with the line number it starts on; empty
/// lines are dropped.
pub fn unfold(text: &str) -> Result<Vec<(usize, String)>, Diagnostic> {
    let mut lines: Vec<(usize, String)> = Vec::new();
    for (index, raw) in text.split('\n').enumerate() {
        let number = index + 1;
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        let continued = raw.starts_with(' ') || raw.starts_with('\t');
        match lines.last_mut() {
            Some((_, last)) if continued => last.push_str(&raw[1..]),
            _ if continued => {
                return Err(ics_problem(
                    "the file starts with a continuation line (a line beginning with a space)",
                    number,
                    "start the file with `BEGIN:VCALENDAR`",
                ));
            }
            _ => {
                if !raw.is_empty() {
                    lines.push((number, raw.to_string()));
                }
            }
        }
        if let Some((start, last)) = lines.last()
            && last.len() > MAX_ICS_LINE_BYTES
        {
            return Err(ics_problem(
                format!("a content line is longer than {MAX_ICS_LINE_BYTES} bytes"),
                *start,
                "shorten the property (a SUMMARY says why in a few words)",
            ));
        }
    }
    Ok(lines)
}

/// One logical line as name, parameters and value. Parameter values may be quoted
/// (`TZID="Europe/Berlin"`), and then hold `;`, `:` and `,`.
pub fn content_line(number: usize, text: &str) -> Result<ContentLine, Diagnostic> {
    let bad = |what: &str| {
        ics_problem(
            format!("this is not an iCalendar content line ({what})"),
            number,
            "write each property as NAME:VALUE or NAME;PARAM=VALUE:VALUE",
        )
    };
    let end = text.find([';', ':']).ok_or_else(|| bad("no `:`"))?;
    let name = &text[..end];
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(bad("the name is not letters, digits and dashes"));
    }
    let mut rest = &text[end..];
    let mut params = Vec::new();
    while let Some(after) = rest.strip_prefix(';') {
        let eq = after
            .find('=')
            .ok_or_else(|| bad("a parameter without `=`"))?;
        let param = after[..eq].to_ascii_uppercase();
        let mut value_text = &after[eq + 1..];
        let value;
        if let Some(quoted) = value_text.strip_prefix('"') {
            let close = quoted
                .find('"')
                .ok_or_else(|| bad("a quoted parameter value without its closing `\"`"))?;
            value = quoted[..close].to_string();
            value_text = &quoted[close + 1..];
        } else {
            let stop = value_text.find([';', ':']).ok_or_else(|| bad("no `:`"))?;
            value = value_text[..stop].to_string();
            value_text = &value_text[stop..];
        }
        params.push((param, value));
        rest = value_text;
    }
    let value = rest
        .strip_prefix(':')
        .ok_or_else(|| bad("no `:` after the parameters"))?;
    Ok(ContentLine {
        name: name.to_ascii_uppercase(),
        params,
        value: value.to_string(),
        line: number,
    })
}

/// The VEVENTs of an iCalendar file. The file must be one VCALENDAR; components nest at
/// most [`MAX_ICS_DEPTH`] deep (checked with a list, never by recursion); a file holds at
/// most [`MAX_ICS_EVENTS`] events. Properties of components inside an event (VALARM) are
/// not the event's.
pub fn events(text: &str) -> Result<Vec<IcsEvent>, Diagnostic> {
    if text.len() > MAX_ICS_BYTES {
        return Err(ics_problem(
            format!(
                "the file is larger than {} MiB",
                MAX_ICS_BYTES / 1024 / 1024
            ),
            1,
            "export only the blackout calendar, or only the coming years",
        )
        .code(Code::FreezeIcsTooMany));
    }
    let lines = unfold(text)?;
    let Some((first_line, first)) = lines.first() else {
        return Err(ics_problem(
            "the file is empty",
            1,
            "pass an iCalendar file (BEGIN:VCALENDAR ... END:VCALENDAR)",
        ));
    };
    if !first.eq_ignore_ascii_case("BEGIN:VCALENDAR") {
        return Err(ics_problem(
            "this is not an iCalendar file: it does not start with BEGIN:VCALENDAR",
            *first_line,
            "pass an iCalendar (.ics) file, as calendars export them",
        ));
    }
    let mut stack: Vec<(String, usize)> = Vec::new();
    let mut out: Vec<IcsEvent> = Vec::new();
    let mut current: Option<IcsEvent> = None;
    let mut closed = false;
    for (number, text) in &lines {
        let line = content_line(*number, text)?;
        if closed {
            return Err(ics_problem(
                "content after the calendar's END:VCALENDAR",
                *number,
                "put one calendar in a file; pass each further file with its own --freezes",
            ));
        }
        match line.name.as_str() {
            "BEGIN" => {
                let component = line.value.to_ascii_uppercase();
                if stack.len() >= MAX_ICS_DEPTH {
                    return Err(ics_problem(
                        format!("components nest more than {MAX_ICS_DEPTH} deep"),
                        *number,
                        "an event sits in the calendar (and an alarm in the event); remove the extra BEGIN lines",
                    ));
                }
                if component == "VEVENT" && stack.len() == 1 {
                    if out.len() >= MAX_ICS_EVENTS {
                        return Err(ics_problem(
                            format!("the file holds more than {MAX_ICS_EVENTS} events"),
                            *number,
                            "export only the blackout calendar, or only the coming years",
                        )
                        .code(Code::FreezeIcsTooMany));
                    }
                    current = Some(IcsEvent {
                        line: *number,
                        properties: Vec::new(),
                    });
                }
                stack.push((component, *number));
            }
            "END" => {
                let component = line.value.to_ascii_uppercase();
                let Some((open, _)) = stack.pop() else {
                    return Err(ics_problem(
                        "END without a BEGIN",
                        *number,
                        "remove the line, or add its BEGIN",
                    ));
                };
                if open != component {
                    return Err(ics_problem(
                        format!("END:{component} closes BEGIN:{open}"),
                        *number,
                        format!("close the {open} first (END:{open})").as_str(),
                    ));
                }
                if component == "VEVENT" && stack.len() == 1 {
                    out.extend(current.take());
                }
                closed = stack.is_empty();
            }
            _ => {
                if let Some(event) = current.as_mut()
                    && stack.len() == 2
                {
                    event.properties.push(line);
                }
            }
        }
    }
    if let Some((open, at)) = stack.last() {
        return Err(ics_problem(
            format!("BEGIN:{open} is never closed"),
            *at,
            format!("add END:{open}; the file may have been cut short").as_str(),
        ));
    }
    Ok(out)
}

/// A TEXT value unescaped (`\,` `\;` `\\` `\n`), made one line: line breaks and other control
/// characters become spaces, runs of spaces one.
pub fn unescape_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        let c = match c {
            '\\' => match chars.next() {
                Some('n' | 'N') => ' ',
                Some(other) => other,
                None => '\\',
            },
            c => c,
        };
        out.push(if c.is_control() { ' ' } else { c });
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_unfold_and_params_may_be_quoted() {
        let lines = unfold("BEGIN:VCALENDAR\r\nSUMMARY:a\r\n  b\r\n\tc\r\n").unwrap();
        assert_eq!(
            lines,
            [(1, "BEGIN:VCALENDAR".into()), (2, "SUMMARY:a bc".into())]
        );
        let line = content_line(
            3,
            "dtstart;TZID=\"Europe/Berlin;x:y\";value=DATE-TIME:20270101T000000",
        )
        .unwrap();
        assert_eq!(line.name, "DTSTART");
        assert_eq!(line.param("TZID"), Some("Europe/Berlin;x:y"));
        assert_eq!(line.param("VALUE"), Some("DATE-TIME"));
        assert_eq!(line.value, "20270101T000000");
        assert!(content_line(1, "NOCOLON").is_err());
        assert!(content_line(1, "A;P=\"open:x").is_err());
        assert!(unfold(" starts folded").is_err());
    }

    #[test]
    fn events_nest_only_so_deep_and_alarm_properties_stay_out() {
        let text = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:a\nBEGIN:VALARM\nSUMMARY:alarm\nEND:VALARM\nEND:VEVENT\nEND:VCALENDAR\n";
        let got = events(text).unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].all("SUMMARY").count(), 1);
        assert!(events("BEGIN:VEVENT\nEND:VEVENT\n").is_err());
        assert!(events("BEGIN:VCALENDAR\nEND:VEVENT\n").is_err());
        let deep = format!("BEGIN:VCALENDAR\n{}", "BEGIN:X\n".repeat(50));
        assert_eq!(events(&deep).unwrap_err().line, Some(MAX_ICS_DEPTH + 1));
        let long = format!("BEGIN:VCALENDAR\nX:{}\n", " a".repeat(MAX_ICS_LINE_BYTES));
        assert!(events(&long).is_err());
    }

    #[test]
    fn text_is_unescaped_to_one_line() {
        assert_eq!(
            unescape_text("a\\, b\\; c\\nd\\\\e\u{7}f"),
            "a, b; c d\\e f"
        );
    }
}
