//! Reading an answers file: keys to questions, values to answers, each problem with its line.

use std::collections::BTreeMap;

use serde_yaml::Value;

use super::calendar_place::{BlockPlace, line_starts};
use super::calendar_read::{calendar_block, calendar_yaml};
use super::capacity_read::{capacity_block, capacity_yaml};
use super::environments::environments;
use super::gates_read::{gates_block, gates_yaml};
use super::read::*;
use super::values::*;
use crate::base::diagnostic::code::Code;
use crate::base::diagnostic::guards::check_nesting;
use crate::base::diagnostic::{
    Diagnostic, InputError, InputKind, KeyLines, explain_yaml_error, find_key_line,
};
use crate::base::suggest::did_you_mean;
use crate::base::text::is_unsafe_char;
use crate::checklist::model::Checklist;
use crate::checklist::model::Question;
use crate::checklist::model::QuestionKind;
use crate::checklist::value::AnswerValue;

/// An answers file read as YAML, before a checklist judges its keys and values: read once,
/// it names its checklist (`checklist:`) and is then checked against that checklist.
pub struct AnswersYaml<'s> {
    source: &'s str,
    origin: &'s str,
    top: serde_yaml::Mapping,
}

/// The first mapping key anywhere in `document` that is a list or a mapping (YAML's `? [a, b]`),
/// which no answers file has. Walked with a stack: the nesting pre-check bounds the depth.
fn first_complex_key(document: &Value) -> Option<&Value> {
    let mut stack = vec![document];
    while let Some(value) = stack.pop() {
        match value {
            Value::Mapping(map) => {
                for (key, item) in map {
                    if matches!(key, Value::Sequence(_) | Value::Mapping(_)) {
                        return Some(key);
                    }
                    stack.push(item);
                }
            }
            Value::Sequence(items) => stack.extend(items),
            Value::Tagged(tagged) => stack.push(&tagged.value),
            _ => {}
        }
    }
    None
}

/// The line of the first explicit key (`? `), or of a flow list or mapping used as a key.
fn complex_key_line(source: &str) -> Option<usize> {
    source
        .lines()
        .position(|line| {
            let line = line.trim_start().trim_start_matches("- ");
            line == "?"
                || line.starts_with("? ")
                || (line.starts_with(['[', '{']) && (line.contains("]:") || line.contains("}:")))
        })
        .map(|i| i + 1)
}

/// The most `context:` entries a file may give: every report shows each of them at its top.
pub const MAX_CONTEXT_ENTRIES: usize = 50;
/// The longest `context:` text, in characters.
pub const MAX_CONTEXT_TEXT: usize = 2_000;

impl<'s> AnswersYaml<'s> {
    /// Reads `source` as YAML: a mapping at the top, merge keys merged. `origin` names the
    /// file in messages.
    pub fn read(source: &'s str, origin: &'s str) -> Result<AnswersYaml<'s>, InputError> {
        let fail = |problems| InputError::new(InputKind::Answers, origin, problems);
        if source.trim().is_empty() {
            return Err(fail(vec![Diagnostic::new("the answers file is empty").fix(
                "write the answers under `answers:`; `upgrade-advisor template > answers.yaml` gives a file to fill in",
            ).code(Code::EmptyFile)]));
        }
        check_nesting(source).map_err(|d| fail(vec![d]))?;
        let mut document: Value =
            serde_yaml::from_str(source).map_err(|e| fail(vec![explain_yaml_error(&e, source)]))?;
        // YAML merge keys (`<<: *defaults`) are merged, not taken for questions.
        document.apply_merge().map_err(|e| {
            fail(vec![
                Diagnostic::new(format!("a YAML merge key (`<<`) cannot be merged: {e}"))
                    .line(find_key_line(source, "<<", 0))
                    .fix("`<<` takes an alias of a mapping (`<<: *defaults`) or a list of them")
                    .code(Code::YamlMergeKey),
            ])
        })?;
        if let Some(key) = first_complex_key(&document) {
            return Err(fail(vec![
                Diagnostic::new(format!(
                    "a key is {} ({}), but keys are names",
                    describe(key),
                    key_text(key)
                ))
                .line(complex_key_line(source))
                .fix("write each key as a plain name (`question_id: value`); `? ` starts a complex key in YAML")
                .code(Code::YamlComplexKey),
            ]));
        }
        let Value::Mapping(top) = document else {
            return Err(fail(vec![Diagnostic::new(
                "the answers file must be a mapping with an `answers:` key",
            )
            .line(Some(1))
            .fix("start the file with `answers:` and put one `question_id: value` per line under it")
            .code(Code::AnswersShape)]));
        };
        Ok(AnswersYaml {
            source,
            origin,
            top,
        })
    }

    /// The file's name in messages.
    pub fn origin(&self) -> &str {
        self.origin
    }

    /// The checklist the file names in its `checklist:` key, if it names one.
    pub fn declared_checklist(&self) -> Option<&str> {
        self.top.get("checklist").and_then(Value::as_str)
    }

    /// The keys under `answers:`, the top level's and each environment's, in file order.
    pub fn answer_keys(&self) -> Vec<&str> {
        fn keys(answers: Option<&Value>) -> impl Iterator<Item = &str> {
            answers
                .and_then(Value::as_mapping)
                .into_iter()
                .flat_map(|map| map.keys().filter_map(Value::as_str))
        }
        let environments = self
            .top
            .get("environments")
            .and_then(Value::as_sequence)
            .into_iter()
            .flatten();
        keys(self.top.get("answers"))
            .chain(environments.flat_map(|e| keys(e.get("answers"))))
            .collect()
    }
}

impl PartialAnswers {
    /// The answer to `id`: the top-level one, else the first environment's.
    pub fn first_answer(&self, id: &str) -> Option<&AnswerValue> {
        self.given
            .get(id)
            .or_else(|| self.environments.iter().find_map(|e| e.given.get(id)))
    }

    /// Parses an answers file, checking every key and value but not completeness.
    pub fn parse(
        source: &str,
        origin: &str,
        checklist: &Checklist,
    ) -> Result<PartialAnswers, InputError> {
        Self::from_yaml(&AnswersYaml::read(source, origin)?, checklist)
    }

    /// Checks an answers file already read as YAML against `checklist`: every key and value,
    /// but not completeness.
    pub fn from_yaml(
        yaml: &AnswersYaml<'_>,
        checklist: &Checklist,
    ) -> Result<PartialAnswers, InputError> {
        let &AnswersYaml {
            source,
            origin,
            ref top,
        } = yaml;
        let fail = |problems| InputError::new(InputKind::Answers, origin, problems);
        let keys = KeyLines::new(source);
        let mut problems = Vec::new();
        let mut context = Vec::new();
        let mut raw_answers = None;
        let mut raw_environments = None;
        let mut calendar = None;
        let mut gates = None;
        let mut capacity = None;
        // Line offsets for the calendar blocks' lines, made once and only when there is one.
        let starts = std::cell::OnceCell::new();
        let starts = || starts.get_or_init(|| line_starts(source)).as_slice();
        for (key, value) in top {
            let key = key_text(key);
            let line = keys.find(&key, 0);
            match key.as_str() {
                "checklist" => {
                    let named = scalar_text(value);
                    if named.as_deref() != Some(checklist.id.as_str()) {
                        let named = named.unwrap_or_default();
                        let builtins = crate::checklist::BUILTIN.iter().map(|(n, _)| *n);
                        // A misspelt built-in name is a typo, not another checklist.
                        let fix = match did_you_mean(&named, builtins.clone()) {
                            Some(name) if !builtins.clone().any(|n| n == named) => format!(
                                "`{}` is not a built-in checklist: did you mean `checklist: {name}`?",
                                shorten(&named)
                            ),
                            // The file names a built-in: its answers are that checklist's.
                            _ if builtins.clone().any(|n| n == named) => format!(
                                "drop --checklist {} (assess uses the checklist the file names), or pass --checklist {named}",
                                checklist.id
                            ),
                            _ => format!(
                                "pass the file of checklist `{}` with --checklist PATH, or set `checklist: {}` if the answers were written for it",
                                shorten(&named),
                                checklist.id
                            ),
                        };
                        // Every other key would be judged by the wrong checklist: stop here.
                        return Err(fail(vec![
                            Diagnostic::new(format!(
                                "the file is for checklist `{}`, but the checklist in use is `{}`",
                                shorten(&named),
                                checklist.id
                            ))
                            .at("`checklist`")
                            .line(line)
                            .fix(fix)
                            .code(Code::WrongChecklist),
                        ]));
                    }
                }
                "context" => match value {
                    Value::Mapping(map) if map.len() > MAX_CONTEXT_ENTRIES => problems.push(
                        Diagnostic::new(format!(
                            "`context` has {} entries; reports show at most {MAX_CONTEXT_ENTRIES}",
                            map.len()
                        ))
                        .at("`context`")
                        .line(line)
                        .fix("keep the names a reader needs (organization, environment, owners); put the rest in the report's own documents")
                        .code(Code::AnswersShape),
                    ),
                    Value::Mapping(map) => {
                        for (k, v) in map {
                            // A list (approvers, deciders) is kept as comma-separated text.
                            let text = match v {
                                Value::Sequence(items) => {
                                    let items: Vec<String> =
                                        items.iter().filter_map(scalar_text).collect();
                                    Some(items.join(", "))
                                }
                                other => scalar_text(other),
                            };
                            let (k, v) = (key_text(k), text.unwrap_or_default());
                            // Line breaks and tabs are text; other control characters (an
                            // escape sequence written as "\e[2J") would reach a terminal.
                            let control = |t: &str| {
                                t.chars().find(|&c| is_unsafe_char(c) && !matches!(c, '\n' | '\t'))
                            };
                            if let Some(c) = control(&k).or_else(|| control(&v)) {
                                let at = format!("`context`: `{}`", shorten(&k));
                                let at_line = keys.find(&k, line.unwrap_or(0));
                                problems.push(control_character(c, at, at_line));
                            } else if v.chars().count() > MAX_CONTEXT_TEXT {
                                problems.push(
                                    Diagnostic::new(format!(
                                        "the text is {} characters long; reports show at most {MAX_CONTEXT_TEXT}",
                                        v.chars().count()
                                    ))
                                    .at(format!("`context`: `{}`", shorten(&k)))
                                    .line(keys.find(&k, line.unwrap_or(0)))
                                    .fix("shorten it to a line or two; a report links to longer documents")
                                    .code(Code::AnswersShape),
                                );
                            }
                            context.push((k, v));
                        }
                    }
                    Value::Null => {}
                    _ => problems.push(
                        Diagnostic::new("`context` must be a mapping of names to text")
                            .at("`context`")
                            .line(line)
                            .fix("write e.g. `context:` then `  organization: Example Corp` on the next line")
                            .code(Code::AnswersShape),
                    ),
                },
                "answers" => raw_answers = Some(value),
                "environments" => raw_environments = Some(value),
                "calendar" => {
                    let place = BlockPlace::new(source, starts(), &keys, line, String::new());
                    calendar = calendar_block(value, &place, &mut problems);
                }
                "gates" => gates = gates_block(value, &keys, line, &mut problems),
                "capacity" => capacity = capacity_block(value, &keys, line, &mut problems),
                other => {
                    let mut diagnostic = Diagnostic::new(format!("unknown top-level key `{other}`"))
                        .at(format!("`{other}`"))
                        .line(line)
                        .code(Code::AnswersUnknownKey);
                    diagnostic = if checklist.question(other).is_some() {
                        diagnostic.fix(format!("`{other}` is a question: indent it under `answers:`"))
                    } else {
                        let hint = did_you_mean(other, ["checklist", "context", "calendar", "gates", "capacity", "answers", "environments"]);
                        diagnostic.fix(hint.map_or(
                            "the top level takes only `checklist`, `context`, `calendar`, `gates`, `capacity`, `answers` and `environments`".to_string(),
                            |s| format!("did you mean `{s}`?"),
                        ))
                    };
                    problems.push(diagnostic);
                }
            }
        }

        let answers_line = keys.find("answers", 0).unwrap_or(0);
        let mut given = BTreeMap::new();
        match raw_answers {
            Some(Value::Mapping(map)) => {
                let line_of = |id: &str| keys.find(id, answers_line);
                given = answers_map(checklist, map, source, &line_of, &mut problems);
            }
            Some(Value::Null) | None if raw_environments.is_some() => {}
            Some(Value::Null) | None => problems.push(
                Diagnostic::new("there are no answers")
                    .at("`answers`")
                    .line(keys.find("answers", 0))
                    .fix("add an `answers:` mapping with one `question_id: value` per line")
                    .code(Code::AnswersShape),
            ),
            Some(_) => problems.push(
                Diagnostic::new("`answers` must be a mapping of question ids to values")
                    .at("`answers`")
                    .line(keys.find("answers", 0))
                    .fix("write one `question_id: value` per line, indented under `answers:`")
                    .code(Code::AnswersShape),
            ),
        }
        let environments = match raw_environments {
            Some(value) => environments(checklist, value, source, &keys, &starts, &mut problems),
            None => Vec::new(),
        };
        if !problems.is_empty() {
            // The checks across answers run later on a file without faults; with faults, run
            // them now on the answers that did parse, so that every problem is listed at once.
            let line_of = |id: &str| keys.find(id, answers_line);
            problems.extend(super::version_order(checklist, &given, &line_of));
            problems.extend(super::releases::unknown_releases(
                checklist, &given, &line_of,
            ));
            problems.sort_by_key(|p| p.line.unwrap_or(usize::MAX));
            return Err(fail(problems));
        }
        Ok(PartialAnswers {
            context,
            given,
            environments,
            calendar,
            gates,
            capacity,
        })
    }

    /// Applies `ID=VALUE` overrides (`assess --set`), each checked like an answer in a file.
    /// Values are taken as typed: `1.30` is a version here, not a number.
    pub fn apply_overrides(
        &mut self,
        checklist: &Checklist,
        overrides: &[String],
    ) -> Result<(), InputError> {
        let mut problems = Vec::new();
        for text in overrides {
            let Some((id, raw)) = text.split_once('=') else {
                problems.push(
                    Diagnostic::new(format!("`{text}` is not ID=VALUE"))
                        .at("--set")
                        .fix("write e.g. --set spare_capacity=yes")
                        .code(Code::BadOverride),
                );
                continue;
            };
            let (id, raw) = (id.trim(), raw.trim());
            if raw.is_empty() {
                problems.push(
                    Diagnostic::new(format!("`--set {text}` gives `{id}` no value"))
                        .at("--set")
                        .fix("give a value after the `=` (`upgrade-advisor questions` lists the allowed answers), or drop this --set to keep the file's answer")
                        .code(Code::BadOverride),
                );
                continue;
            }
            let value = match checklist.question(id).map(|q| &q.kind) {
                Some(QuestionKind::Integer { .. }) => raw.parse::<u64>().map_or_else(
                    |_| Value::String(raw.to_string()),
                    |n| Value::Number(n.into()),
                ),
                _ => Value::String(raw.to_string()),
            };
            match parse_answer(checklist, id, &value, "", &|_| None) {
                Ok(Some(answer)) => {
                    self.given.insert(id.to_string(), answer);
                }
                Ok(None) => {
                    self.given.remove(id);
                }
                Err(problem) => problems.push(Diagnostic {
                    at: Some(format!("--set {text}")),
                    ..problem
                }),
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(InputError::new(InputKind::Overrides, "--set", problems))
        }
    }

    /// The answers as a YAML answers file, in checklist order, that `assess` accepts.
    pub fn to_yaml(&self, checklist: &Checklist, header: &str) -> String {
        let mut out = String::new();
        for line in header.lines() {
            out.push_str(&format!("# {line}\n"));
        }
        out.push_str(&format!("checklist: {}\n", key(&checklist.id)));
        if !self.context.is_empty() {
            out.push_str("context:\n");
            for (name, value) in &self.context {
                out.push_str(&format!("  {}: {}\n", key(name), quote(value)));
            }
        }
        if let Some(calendar) = &self.calendar {
            out.push_str(&calendar_yaml(calendar));
        }
        if let Some(gates) = &self.gates {
            out.push_str(&gates_yaml(gates));
        }
        if let Some(capacity) = &self.capacity {
            out.push_str(&capacity_yaml(capacity));
        }
        out.push_str("answers:");
        if self.given.is_empty() {
            out.push_str(" {}");
        }
        out.push('\n');
        for section in &checklist.sections {
            let questions = &checklist.questions[section.questions.clone()];
            if !questions.iter().any(|q| self.given.contains_key(&q.id)) {
                continue;
            }
            out.push_str(&format!("  # {}\n", section.title));
            for question in questions {
                if let Some(value) = self.given.get(&question.id) {
                    let text = match value {
                        AnswerValue::Integer(n) => n.to_string(),
                        other => quote(&other.to_string()),
                    };
                    out.push_str(&format!("  {}: {text}\n", question.id));
                }
            }
        }
        out
    }
}

impl Question {
    /// Whether this question's condition holds for the answers so far.
    pub fn applies(&self, answers: &BTreeMap<String, AnswerValue>) -> bool {
        self.when
            .as_ref()
            .is_none_or(|c| c.holds(&|id: &str| answers.get(id)))
    }
}
