//! The `freezes:` list of a `calendar:` block: each freeze's dates and reason, checked.

use serde_yaml::Value;

use super::calendar_place::{BlockPlace, date_value, unknown_key};
use super::calendar_spec::{Freeze, MAX_FREEZES, MAX_REASON_CHARS};
use super::read::{control_character, describe, key_text, scalar_text};
use crate::base::diagnostic::Diagnostic;
use crate::base::diagnostic::code::Code;
use crate::base::text::is_unsafe_char;

const FREEZE_FIX: &str =
    "write each freeze as `- {from: \"2027-11-15\", to: \"2028-01-05\", reason: holiday sales}`";

pub fn freezes(
    value: &Value,
    place: &BlockPlace<'_>,
    line: Option<usize>,
    problems: &mut Vec<Diagnostic>,
) -> Option<Vec<Freeze>> {
    let items = match value {
        Value::Null => return None,
        Value::Sequence(items) => items,
        other => {
            problems.push(
                Diagnostic::new(format!("`freezes` must be a list, not {}", describe(other)))
                    .at(place.at(".freezes"))
                    .line(line)
                    .fix(FREEZE_FIX)
                    .code(Code::CalendarFreeze),
            );
            return None;
        }
    };
    if items.len() > MAX_FREEZES {
        problems.push(
            Diagnostic::new(format!(
                "`freezes` lists {} freezes; at most {MAX_FREEZES} are accepted",
                items.len()
            ))
            .at(place.at(".freezes"))
            .line(line)
            .fix("join neighbouring freezes into one, or list only the next years'")
            .code(Code::CalendarFreeze),
        );
        return None;
    }
    let item_lines = place.item_lines(line);
    let before = problems.len();
    let mut out = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let item_line = item_lines.get(index).copied().or(line);
        // A key of this freeze is looked for from its item's line, before the next item's.
        let next = item_lines.get(index + 1).copied();
        let key_line = |key: &str| {
            place
                .key_line(key, item_line, item_line)
                .filter(|l| next.is_none_or(|n| *l < n))
                .or(item_line)
        };
        let at = place.at(&format!(".freezes[{index}]"));
        if let Some(freeze) = freeze(item, &at, item_line, &key_line, problems) {
            out.push(freeze);
        }
    }
    (problems.len() == before).then_some(out)
}

/// One freeze: `from` and `to` dates (`to` not before `from`) and a one-line `reason`.
fn freeze(
    item: &Value,
    at: &str,
    line: Option<usize>,
    key_line: &dyn Fn(&str) -> Option<usize>,
    problems: &mut Vec<Diagnostic>,
) -> Option<Freeze> {
    let problem = |message: String, at_line: Option<usize>, fix: &str| {
        Diagnostic::new(message)
            .at(at)
            .line(at_line)
            .fix(fix)
            .code(Code::CalendarFreeze)
    };
    let Value::Mapping(map) = item else {
        problems.push(problem(
            format!("a freeze must be a mapping, not {}", describe(item)),
            line,
            FREEZE_FIX,
        ));
        return None;
    };
    let before = problems.len();
    let (mut from, mut to, mut reason) = (None, None, None);
    for (key, value) in map {
        let key = key_text(key);
        match key.as_str() {
            "from" | "to" => match date_value(value) {
                Ok(date) if key == "from" => from = Some(date),
                Ok(date) => to = Some(date),
                Err(message) => problems.push(problem(
                    format!("`{key}`: {message}"),
                    key_line(&key),
                    "write the first and the last day of the freeze as YYYY-MM-DD, e.g. `from: \"2027-11-15\"`",
                )),
            },
            "reason" => {
                let text = scalar_text(value).unwrap_or_default();
                let text = text.trim();
                if let Some(c) = text.chars().find(|&c| is_unsafe_char(c)) {
                    problems.push(control_character(c, format!("{at}: `reason`"), key_line("reason")));
                } else if text.chars().count() > MAX_REASON_CHARS {
                    problems.push(problem(
                        format!("the reason is longer than {MAX_REASON_CHARS} characters"),
                        key_line("reason"),
                        "say why in a few words; reports show it on one line",
                    ));
                } else if !text.is_empty() {
                    reason = Some(text.to_string());
                }
            }
            other => problems.push(unknown_key(
                other,
                &["from", "to", "reason"],
                at.to_string(),
                key_line(other),
                "a freeze takes `from`, `to` and `reason`",
            )),
        }
    }
    if problems.len() > before {
        return None;
    }
    let missing: Vec<&str> = [
        ("from", from.is_none()),
        ("to", to.is_none()),
        ("reason", reason.is_none()),
    ]
    .into_iter()
    .filter_map(|(key, gone)| gone.then_some(key))
    .collect();
    if !missing.is_empty() {
        let keys: Vec<String> = missing.iter().map(|k| format!("`{k}`")).collect();
        problems.push(problem(
            format!("the freeze has no {}", keys.join(" or ")),
            line,
            "give the first day (`from`), the last day (`to`) and why (`reason`): reports name the freeze that skipped a window by its reason",
        ));
        return None;
    }
    let (from, to, reason) = (from?, to?, reason?);
    if to < from {
        problems.push(problem(
            format!("the freeze ends ({to}) before it starts ({from})"),
            key_line("to"),
            "swap `from` and `to`: both days are in the freeze, `from` the first",
        ));
        return None;
    }
    Some(Freeze { from, to, reason })
}
