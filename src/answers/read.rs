//! Reading one answer from YAML: keys, scalars and their text, a value checked against its
//! question, and the small helpers every part of an answers file shares.

use std::collections::BTreeMap;

use serde_yaml::Value;

use super::values::*;
use crate::base::diagnostic::code::Code;
use crate::base::diagnostic::{Diagnostic, MAX_SHOWN, raw_value_on_line};
use crate::base::suggest::did_you_mean;
use crate::checklist::model::Checklist;
use crate::checklist::model::QuestionKind;
use crate::checklist::value::AnswerValue;
use crate::kube::version::Version;

/// A mapping key: plain when it is a simple identifier, quoted otherwise.
pub fn key(text: &str) -> String {
    let simple = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && text.starts_with(|c: char| c.is_ascii_alphabetic());
    if simple {
        text.to_string()
    } else {
        quote(text)
    }
}

/// A double-quoted YAML scalar (JSON string syntax is valid YAML).
pub fn quote(text: &str) -> String {
    serde_json::to_string(text).expect("strings always serialize")
}

/// Parses an `answers:` mapping; problems are collected, good answers returned.
pub fn answers_map(
    checklist: &Checklist,
    map: &serde_yaml::Mapping,
    source: &str,
    line_of: &dyn Fn(&str) -> Option<usize>,
    problems: &mut Vec<Diagnostic>,
) -> BTreeMap<String, AnswerValue> {
    let mut given = BTreeMap::new();
    for (key, value) in map {
        let id = key_text(key);
        if problems.len() >= MAX_SHOWN && checklist.question(&id).is_none() {
            // Beyond what is shown, only counted: no suggestion search.
            problems.push(
                Diagnostic::new(format!(
                    "`{id}` is not a question of checklist `{}`",
                    checklist.id
                ))
                .line(line_of(&id))
                .code(Code::UnknownQuestion),
            );
            continue;
        }
        match parse_answer(checklist, &id, value, source, line_of) {
            Ok(Some(answer)) => {
                given.insert(id, answer);
            }
            Ok(None) => {}
            Err(problem) => problems.push(problem),
        }
    }
    given
}

/// Parses one answer against its question. `Ok(None)` is an empty value: not answered.
pub fn parse_answer(
    checklist: &Checklist,
    id: &str,
    value: &Value,
    source: &str,
    line_of: &dyn Fn(&str) -> Option<usize>,
) -> Result<Option<AnswerValue>, Diagnostic> {
    // Finding the line costs a search of the file: only problems need it.
    let line = || line_of(id);
    let Some(question) = checklist.question(id) else {
        let fix = match suggest(id, checklist.question_ids()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => "`upgrade-advisor questions` lists every question id".to_string(),
        };
        return Err(Diagnostic::new(format!(
            "`{}` is not a question of checklist `{}`",
            shorten(id),
            checklist.id
        ))
        .line(line())
        .fix(fix)
        .code(Code::UnknownQuestion));
    };
    // An empty value (`key:` or `key: ""`) is a question not yet answered.
    if value.is_null() || value.as_str().is_some_and(|s| s.trim().is_empty()) {
        return Ok(None);
    }
    let problem = |message: String| {
        Diagnostic::new(message)
            .at(format!("`{id}`"))
            .line(line())
            .fix(format!("answer {}", question.allowed()))
            .code(Code::BadValue)
    };
    match &question.kind {
        QuestionKind::Choice { yes_no, .. } => {
            let text = match value {
                Value::String(s) => s.clone(),
                // `true`/`false` mean `yes`/`no` wherever those are choices: a YAML 1.1 reader
                // (PyYAML, many validators) turns an unquoted `yes` into `true` on its way.
                Value::Bool(b)
                    if *yes_no || question.choice(if *b { "yes" } else { "no" }).is_some() =>
                {
                    if *b { "yes" } else { "no" }.to_string()
                }
                other => {
                    return Err(problem(format!(
                        "expected one of the choices, found {}",
                        describe(other)
                    )));
                }
            };
            if question.choice(&text).is_some() {
                Ok(Some(AnswerValue::Choice(text)))
            } else {
                let mut diagnostic =
                    problem(format!("`{}` is not an allowed answer", shorten(&text)));
                if let Some(s) = suggest(&text, question.choices().iter().map(|c| c.value.as_str()))
                {
                    diagnostic = diagnostic.fix(format!(
                        "did you mean `{s}`? Allowed: {}",
                        question.allowed()
                    ));
                }
                Err(diagnostic)
            }
        }
        QuestionKind::Integer { min, max } => {
            let Some(number) = value.as_u64() else {
                return Err(problem(format!(
                    "expected a whole number, found {}",
                    describe(value)
                )));
            };
            if number < *min || max.is_some_and(|m| number > m) {
                return Err(problem(format!("{number} is out of range")));
            }
            if number > MAX_COUNT {
                return Err(Diagnostic::new(format!(
                    "{number} is above {MAX_COUNT}, the largest count upgrade-advisor accepts"
                ))
                .at(format!("`{id}`"))
                .line(line())
                .fix(format!(
                    "give a count of at most {MAX_COUNT}; plan larger estates in parts"
                ))
                .code(Code::BadValue));
            }
            Ok(Some(AnswerValue::Integer(number)))
        }
        QuestionKind::Version => match value {
            Value::String(s) => s
                .parse::<Version>()
                .map(|v| Some(AnswerValue::Version(v)))
                .map_err(|e| problem(e.to_string())),
            Value::Number(n) => {
                let at = line();
                let typed = at
                    .and_then(|l| raw_value_on_line(source, l, id))
                    .unwrap_or_else(|| n.to_string());
                Err(Diagnostic::new(format!(
                    "YAML reads the unquoted {typed} as the number {n}, not as a version"
                ))
                .at(format!("`{id}`"))
                .line(at)
                .fix(
                    match typed.strip_prefix('!').and_then(|t| t.split_once(' ')) {
                        // `!!float 1.30`: the tag made it a number; the version is what follows.
                        Some((_, version)) => format!(
                            "drop the tag and quote the version: {id}: \"{}\"",
                            version.trim()
                        ),
                        None => format!("quote it: {id}: \"{typed}\""),
                    },
                )
                .code(Code::BadValue))
            }
            other => Err(problem(format!(
                "expected a quoted version, found {}",
                describe(other)
            ))),
        },
    }
}

/// Text from the file as shown in a message: at most 60 characters, then `...`, with control
/// characters escaped so that none reaches the terminal.
pub fn shorten(text: &str) -> std::borrow::Cow<'_, str> {
    const SHOWN: usize = 60;
    let cut = text.char_indices().nth(SHOWN).map(|(end, _)| end);
    if cut.is_none() && !text.chars().any(char::is_control) {
        return text.into();
    }
    let kept = &text[..cut.unwrap_or(text.len())];
    let mut out: String = kept
        .chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect();
    if cut.is_some() {
        out.push_str("...");
    }
    out.into()
}

/// A name or context text holding a control character, which reports cannot show safely.
pub fn control_character(c: char, at: String, line: Option<usize>) -> Diagnostic {
    Diagnostic::new(format!(
        "the text holds {}, which reports cannot show safely",
        crate::base::text::unsafe_char_name(c)
    ))
    .at(at)
    .line(line)
    .fix("remove it; in double-quoted YAML, escapes such as \\e, \\x1b or \\u202E write such characters")
    .code(Code::UnsafeText)
}

/// A "did you mean" only for text short enough to be a typo of an id or a choice (the
/// comparison costs the product of the lengths).
pub fn suggest<'a>(text: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    if text.len() > 64 {
        return None;
    }
    did_you_mean(text, candidates)
}

/// A key as text: a scalar as written, a list or mapping in YAML's flow form (`[a, b]`),
/// shortened, never in Rust's debug notation.
pub fn key_text(key: &Value) -> String {
    scalar_text(key).unwrap_or_else(|| shorten(&flow(key)).into_owned())
}

/// `value` in YAML flow form, for messages; stops adding once it is longer than a message shows.
fn flow(value: &Value) -> String {
    let mut out = String::new();
    write_flow(value, &mut out);
    out
}

fn write_flow(value: &Value, out: &mut String) {
    if out.len() > 80 {
        return;
    }
    match value {
        Value::Sequence(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_flow(item, out);
            }
            out.push(']');
        }
        Value::Mapping(map) => {
            out.push('{');
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_flow(k, out);
                out.push_str(": ");
                write_flow(v, out);
            }
            out.push('}');
        }
        Value::Tagged(tagged) => {
            out.push_str(&format!("{} ", tagged.tag));
            write_flow(&tagged.value, out);
        }
        Value::Null => out.push('~'),
        other => out.push_str(&scalar_text(other).unwrap_or_default()),
    }
}

pub fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

pub fn describe(value: &Value) -> String {
    match value {
        Value::Null => "nothing".into(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the text \"{}\"", shorten(s)),
        Value::Sequence(_) => "a list".into(),
        Value::Mapping(_) => "a mapping".into(),
        Value::Tagged(_) => "a tagged value".into(),
    }
}
