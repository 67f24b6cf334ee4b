//! Reading an answers file: keys to questions, values to answers, each problem with its line.

use std::collections::BTreeMap;

use serde_yaml::Value;

use super::*;
use crate::base::diagnostic::code::Code;
use crate::base::diagnostic::{
    Diagnostic, InputError, InputKind, KeyLines, MAX_SHOWN, check_nesting, explain_yaml_error,
    find_key_line, raw_value_on_line,
};
use crate::base::suggest::did_you_mean;
use crate::checklist::model::Checklist;
use crate::checklist::model::Question;
use crate::checklist::model::QuestionKind;
use crate::kube::version::Version;

/// An answers file read as YAML, before a checklist judges its keys and values: read once,
/// it names its checklist (`checklist:`) and is then checked against that checklist.
pub struct AnswersYaml<'s> {
    source: &'s str,
    origin: &'s str,
    top: serde_yaml::Mapping,
}

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
                            _ => format!(
                                "pass the matching checklist with --checklist, or set `checklist: {}`",
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
                    Value::Mapping(map) => {
                        for (k, v) in map {
                            let (k, v) = (key_text(k), scalar_text(v).unwrap_or_default());
                            // Line breaks and tabs are text; other control characters (an
                            // escape sequence written as "\e[2J") would reach a terminal.
                            let control = |t: &str| {
                                t.chars().find(|c| c.is_control() && !matches!(c, '\n' | '\t'))
                            };
                            if let Some(c) = control(&k).or_else(|| control(&v)) {
                                let at = format!("`context`: `{}`", shorten(&k));
                                let at_line = keys.find(&k, line.unwrap_or(0));
                                problems.push(control_character(c, at, at_line));
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
                other => {
                    let mut diagnostic = Diagnostic::new(format!("unknown top-level key `{other}`"))
                        .at(format!("`{other}`"))
                        .line(line)
                        .code(Code::AnswersUnknownKey);
                    diagnostic = if checklist.question(other).is_some() {
                        diagnostic.fix(format!("`{other}` is a question: indent it under `answers:`"))
                    } else {
                        let hint = did_you_mean(other, ["checklist", "context", "answers", "environments"]);
                        diagnostic.fix(hint.map_or(
                            "the top level takes only `checklist`, `context`, `answers` and `environments`".to_string(),
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
            Some(value) => environments(checklist, value, source, &keys, &mut problems),
            None => Vec::new(),
        };
        if !problems.is_empty() {
            return Err(fail(problems));
        }
        Ok(PartialAnswers {
            context,
            given,
            environments,
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

/// A mapping key: plain when it is a simple identifier, quoted otherwise.
pub(super) fn key(text: &str) -> String {
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
pub(super) fn quote(text: &str) -> String {
    serde_json::to_string(text).expect("strings always serialize")
}

/// Parses an `answers:` mapping; problems are collected, good answers returned.
pub(super) fn answers_map(
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
pub(super) fn parse_answer(
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
                Value::Bool(b) if *yes_no => if *b { "yes" } else { "no" }.to_string(),
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
                .fix(format!("quote it: {id}: \"{typed}\""))
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
pub(super) fn shorten(text: &str) -> std::borrow::Cow<'_, str> {
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
pub(super) fn control_character(c: char, at: String, line: Option<usize>) -> Diagnostic {
    Diagnostic::new(format!(
        "the text holds the control character U+{:04X}, which reports cannot show safely",
        u32::from(c)
    ))
    .at(at)
    .line(line)
    .fix("remove it; in double-quoted YAML, escapes such as \\e or \\x1b write control characters")
    .code(Code::UnsafeText)
}

/// A "did you mean" only for text short enough to be a typo of an id or a choice (the
/// comparison costs the product of the lengths).
pub(super) fn suggest<'a>(
    text: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    if text.len() > 64 {
        return None;
    }
    did_you_mean(text, candidates)
}

pub(super) fn key_text(key: &Value) -> String {
    scalar_text(key).unwrap_or_else(|| format!("{key:?}"))
}

pub(super) fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

pub(super) fn describe(value: &Value) -> String {
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

/// Lower-case hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Question {
    /// Whether this question's condition holds for the answers so far.
    pub fn applies(&self, answers: &BTreeMap<String, AnswerValue>) -> bool {
        self.when
            .as_ref()
            .is_none_or(|c| c.holds(&|id: &str| answers.get(id)))
    }
}
