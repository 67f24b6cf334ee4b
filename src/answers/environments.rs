//! The `environments:` list of a fleet file: names, Supervisors and per-environment answers.

use std::collections::{BTreeMap, HashMap};

use serde_yaml::Value;

use super::calendar_place::BlockPlace;
use super::calendar_read::calendar_block;
use super::capacity_read::capacity_block;
use super::read::*;
use super::values::*;
use crate::base::diagnostic::code::Code;
use crate::base::diagnostic::{Diagnostic, KeyLines, NameLines};
use crate::base::text::{invisible_char_name, is_invisible_char, is_unsafe_char, name_key};
use crate::checklist::model::Checklist;

/// Parses the `environments:` list of a fleet file.
pub(super) fn environments<'a>(
    checklist: &Checklist,
    value: &Value,
    source: &str,
    keys: &KeyLines,
    starts: &dyn Fn() -> &'a [usize],
    problems: &mut Vec<Diagnostic>,
) -> Vec<EnvironmentSpec> {
    let list_line = keys.find("environments", 0);
    let Value::Sequence(items) = value else {
        problems.push(
            Diagnostic::new("`environments` must be a list")
                .at("`environments`")
                .line(list_line)
                .fix("write one `- name: ...` entry per environment, each with its own `answers:`")
                .code(Code::EnvironmentsShape),
        );
        return Vec::new();
    };
    if items.len() > MAX_ENVIRONMENTS {
        problems.push(
            Diagnostic::new(format!(
                "`environments` lists {} environments; at most {MAX_ENVIRONMENTS} are accepted",
                items.len()
            ))
            .at("`environments`")
            .line(list_line)
            .fix("split the fleet into several answers files, for example one per region")
            .code(Code::TooManyEnvironments),
        );
        return Vec::new();
    }
    let mut out: Vec<EnvironmentSpec> = Vec::new();
    // Names and Supervisors are compared as people read them (`SUP-EAST`, `sup-east ` and
    // fullwidth `ｓｕｐ－ｅａｓｔ` are one Supervisor, written three ways): the first spelling of
    // each, by its key (`name_key`).
    let mut names: HashMap<String, String> = HashMap::new();
    let mut supervisors: HashMap<String, String> = HashMap::new();
    // The line of each environment's name, found in one pass; environments come in file order.
    let mut name_lines = NameLines::new(source);
    let lines: Vec<Option<usize>> = items
        .iter()
        .map(|item| {
            let name = item.get("name").and_then(scalar_text)?;
            name_lines.take(&name)
        })
        .collect();
    for (index, item) in items.iter().enumerate() {
        let at = format!("environments[{index}]");
        let Value::Mapping(map) = item else {
            problems.push(
                Diagnostic::new("an environment must be a mapping with `name` and `answers`")
                    .at(at)
                    .line(list_line)
                    .code(Code::EnvironmentsShape),
            );
            continue;
        };
        let line = lines[index];
        // An answer's key is looked for between this environment's line and the next one's;
        // written flow-style on one line, the environment's line is the answer's.
        let next = lines[index + 1..].iter().flatten().next().copied();
        let name = map
            .get("name")
            .and_then(scalar_text)
            .unwrap_or_default()
            .trim()
            .to_string();
        let at = if name.is_empty() {
            at
        } else {
            format!("{at} ({})", shorten(&name))
        };
        if let Some(c) = name.chars().find(|&c| is_unsafe_char(c)) {
            problems.push(control_character(c, at.clone(), line));
        } else if let Some(c) = name.chars().find(|&c| is_invisible_char(c)) {
            problems.push(invisible(c, "the environment name", at.clone(), line));
        } else if name.trim().is_empty() {
            problems.push(
                Diagnostic::new("the environment has no `name`")
                    .at(at.clone())
                    .line(line)
                    .fix("add `name: ...`; reports show each environment by name")
                    .code(Code::EnvironmentName),
            );
        } else if let Some(first) = names.get(&name_key(&name)) {
            let message = if *first == name {
                format!("the environment name `{name}` is used twice")
            } else {
                format!(
                    "the environment name `{name}` reads the same as `{first}`, named earlier: they differ only in case, width or look-alike characters"
                )
            };
            problems.push(
                Diagnostic::new(message)
                    .at(at.clone())
                    .line(line)
                    .fix("give every environment its own name (names are compared ignoring case, surrounding spaces, fullwidth letters and look-alike dashes)")
                    .code(Code::EnvironmentName),
            );
        } else {
            names.insert(name_key(&name), name.clone());
        }
        let mut supervisor = None;
        let mut given = BTreeMap::new();
        let mut calendar = None;
        let mut manifests = Vec::new();
        let mut capacity = None;
        for (key, value) in map {
            match key_text(key).as_str() {
                "name" => {}
                "supervisor" => match scalar_text(value) {
                    Some(s) if s.chars().any(is_unsafe_char) => {
                        let c = s.chars().find(|&c| is_unsafe_char(c)).unwrap_or_default();
                        problems.push(control_character(c, format!("{at}: `supervisor`"), line));
                    }
                    Some(s) if s.chars().any(is_invisible_char) => {
                        let c = s.chars().find(|&c| is_invisible_char(c)).unwrap_or_default();
                        let at = format!("{at}: `supervisor`");
                        problems.push(invisible(c, "the Supervisor name", at, line));
                    }
                    Some(s) if !s.trim().is_empty() => {
                        let s = s.trim().to_string();
                        match supervisors.get(&name_key(&s)) {
                            Some(first) if *first != s => problems.push(
                                Diagnostic::new(format!(
                                    "the Supervisor `{s}` differs from `{first}`, named earlier, only in case, width or look-alike characters"
                                ))
                                .at(at.clone())
                                .line(line)
                                .fix(format!(
                                    "did you mean `{first}`? Write one Supervisor's name the same way in every environment"
                                ))
                                .code(Code::SupervisorName),
                            ),
                            Some(_) => {}
                            None => {
                                supervisors.insert(name_key(&s), s.clone());
                            }
                        }
                        supervisor = Some(s);
                    }
                    _ => problems.push(
                        Diagnostic::new("`supervisor` must be the name of a management plane")
                            .at(at.clone())
                            .line(line)
                            .fix("write e.g. `supervisor: sup-east`, the same name in every environment that shares it")
                            .code(Code::SupervisorName),
                    ),
                },
                "answers" => match value {
                    Value::Mapping(answers) => {
                        let before = problems.len();
                        let line_of = |id: &str| {
                            keys.find(id, line.unwrap_or(0))
                                .filter(|l| next.is_none_or(|n| *l < n))
                                .or(line)
                        };
                        given = answers_map(checklist, answers, source, &line_of, problems);
                        for problem in &mut problems[before..] {
                            problem.at = Some(match &problem.at {
                                Some(inner) => format!("{at}: {inner}"),
                                None => at.clone(),
                            });
                        }
                    }
                    Value::Null => {}
                    _ => problems.push(
                        Diagnostic::new("`answers` must be a mapping of question ids to values")
                            .at(at.clone())
                            .line(line)
                            .code(Code::EnvironmentsShape),
                    ),
                },
                "calendar" => {
                    let block_line = keys
                        .find("calendar", line.unwrap_or(0))
                        .filter(|l| next.is_none_or(|n| *l < n))
                        .or(line);
                    let prefix = format!("{at}: ");
                    let place = BlockPlace::new(source, starts(), keys, block_line, prefix);
                    calendar = calendar_block(value, &place, problems);
                }
                "manifests" => manifests = manifest_paths(value, &at, line, problems),
                "capacity" => {
                    let block_line = keys
                        .find("capacity", line.unwrap_or(0))
                        .filter(|l| next.is_none_or(|n| *l < n))
                        .or(line);
                    let before = problems.len();
                    capacity = capacity_block(value, keys, block_line, problems);
                    for problem in &mut problems[before..] {
                        problem.at = Some(match &problem.at {
                            Some(inner) => format!("{at}: {inner}"),
                            None => at.clone(),
                        });
                    }
                }
                other => problems.push(
                    Diagnostic::new(format!("unknown key `{other}` in an environment"))
                        .at(at.clone())
                        .line(line)
                        .fix("an environment takes `name`, `supervisor`, `calendar`, `capacity`, `manifests` and `answers`")
                        .code(Code::AnswersUnknownKey),
                ),
            }
        }
        out.push(EnvironmentSpec {
            name,
            supervisor,
            given,
            line,
            calendar,
            manifests,
            capacity,
            evidence: Vec::new(),
            capacity_report: None,
        });
    }
    if items.is_empty() {
        problems.push(
            Diagnostic::new("`environments` is empty")
                .at("`environments`")
                .line(list_line)
                .fix("list the environments, or remove `environments:` for a single-environment file")
                .code(Code::EnvironmentsShape),
        );
    }
    out
}

/// An environment's `manifests:` list: paths of its clusters' dumps (one path, or a list).
fn manifest_paths(
    value: &Value,
    at: &str,
    line: Option<usize>,
    problems: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let wrong = |what: String| {
        Diagnostic::new(what)
            .at(format!("{at}: `manifests`"))
            .line(line)
            .fix("list the dumps of this environment's clusters, one path each, e.g. `manifests: [dumps/eu.json, dumps/us.json]` (relative to the answers file's folder)")
            .code(Code::EnvironmentsShape)
    };
    let items: Vec<&Value> = match value {
        Value::Sequence(items) => items.iter().collect(),
        Value::Null => Vec::new(),
        one => vec![one],
    };
    if items.len() > MAX_MANIFEST_PATHS {
        problems.push(wrong(format!(
            "`manifests` lists {} paths; at most {MAX_MANIFEST_PATHS} are accepted",
            items.len()
        )));
        return Vec::new();
    }
    let mut paths = Vec::new();
    for item in items {
        match item {
            Value::String(path) if path.chars().any(is_unsafe_char) => {
                let c = path
                    .chars()
                    .find(|&c| is_unsafe_char(c))
                    .unwrap_or_default();
                problems.push(control_character(c, format!("{at}: `manifests`"), line));
            }
            Value::String(path) if path.trim() == "-" => problems.push(wrong(
                "`manifests` names standard input (`-`), which a fleet file cannot read"
                    .to_string(),
            )),
            Value::String(path) if !path.trim().is_empty() => paths.push(path.trim().to_string()),
            other => problems.push(wrong(format!(
                "`manifests` holds `{}`, which is not a path",
                shorten(&key_text(other))
            ))),
        }
    }
    paths
}

/// A name that holds an invisible character: it would look like another name and not be it.
fn invisible(c: char, what: &str, at: String, line: Option<usize>) -> Diagnostic {
    Diagnostic::new(format!(
        "{what} holds {}, so it looks like a name it is not",
        invisible_char_name(c)
    ))
    .at(at)
    .line(line)
    .fix("delete the character (retype the name); in double-quoted YAML, escapes such as \\u200B write such characters")
    .code(Code::UnsafeText)
}
