//! The answers file: parsed, checked against a checklist, and resolved into the effective
//! answers (defaults filled in, questions that do not apply left out).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;
use serde_yaml::Value;
use sha2::{Digest, Sha256};

use crate::checklist::{Checklist, DefaultValue, Question, QuestionKind};
use crate::diagnostic::{
    Diagnostic, InputError, InputKind, KeyLines, MAX_SHOWN, NameLines, check_nesting,
    explain_yaml_error, find_key_line, raw_value_on_line,
};
use crate::suggest::did_you_mean;
use crate::version::Version;

/// One answer.
pub use crate::checklist::AnswerValue;

/// The effective answers for one checklist: every applicable question that has an answer,
/// given or defaulted. Built only by [`Answers::resolve`], so scoring can rely on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answers {
    values: BTreeMap<String, AnswerValue>,
    /// Ids whose answer came from the user rather than a default.
    given: BTreeSet<String>,
    /// Ids the user answered although the question does not apply; their answers are ignored.
    ignored: Vec<String>,
}

/// The largest whole-number answer accepted (clusters, clusters per window, changes per
/// window): far above any estate, far below where calendar arithmetic could overflow.
pub const MAX_COUNT: u64 = 100_000;

/// The most environments a fleet file may list.
pub const MAX_ENVIRONMENTS: usize = 10_000;

/// The context key whose value titles reports (the customer or organization).
pub const CONTEXT_SUBJECT: &str = "organization";

/// An answer that evidence (a manifest scan) gives to a question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceItem {
    pub question: String,
    pub value: AnswerValue,
    /// The counts behind it, in words.
    pub detail: String,
    /// The scan found what the answer `absent` denies (a removed API, a gap, a StatefulSet,
    /// an HPA): proof, whatever else the scan missed.
    pub found: bool,
    /// The answer that says there is nothing of the kind.
    pub absent: String,
    /// How much the scan saw, in words ("the scan saw 2 workloads").
    pub seen: String,
    /// The scan saw enough of the estate for its estimates to overrule a person's answer.
    pub enough: bool,
}

/// How evidence met the answers file for one question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EvidenceUse {
    pub question: String,
    /// What the file answered, if anything.
    pub answered: Option<AnswerValue>,
    /// What the evidence says.
    pub evidence: AnswerValue,
    pub detail: String,
    /// How much the scan saw, in words.
    pub seen: String,
    /// `filled` (the file was silent), `confirmed` (they agree), `overruled` (the evidence
    /// replaced the answer), `disagrees` (the answer is kept: a partial scan cannot speak for
    /// the whole estate) or `overridden` (`--set` replaced the evidence).
    pub outcome: &'static str,
}

impl EvidenceUse {
    /// One sentence for reports, e.g. "pdbs_and_probes: answered yes, but 3 of 20 ...; using partly".
    pub fn sentence(&self) -> String {
        let q = &self.question;
        let (e, d) = (&self.evidence, &self.detail);
        match (self.outcome, &self.answered) {
            ("confirmed", _) => format!("{q}: answered {e}, and the manifests agree: {d}."),
            ("overruled", Some(a)) => {
                format!("{q}: answered {a}, but {d}; the evidence ({e}) is used.")
            }
            ("overridden", _) => {
                format!("{q}: the manifests say {e} ({d}), but --set decided otherwise.")
            }
            ("disagrees", Some(a)) => format!(
                "{q}: answered {a}; the manifests say {e} ({d}), but {} is too little to overrule a person, so the answer stands. Check it.",
                self.seen
            ),
            _ => format!("{q}: not answered; the manifests say {e}: {d}."),
        }
    }
}

/// A parsed answers file.
#[derive(Debug, Clone)]
pub struct AnswersFile {
    /// Free-text context shown in reports, in file order.
    pub context: Vec<(String, String)>,
    pub answers: Answers,
    /// How manifest evidence met the answers, when there was any.
    pub evidence: Vec<EvidenceUse>,
    /// SHA-256 of the file's bytes, so a report can be traced to its input.
    pub sha256: String,
}

impl Answers {
    pub fn get(&self, id: &str) -> Option<&AnswerValue> {
        self.values.get(id)
    }

    pub fn values(&self) -> &BTreeMap<String, AnswerValue> {
        &self.values
    }

    /// Whether the answer to `id` was given (not a default).
    pub fn is_given(&self, id: &str) -> bool {
        self.given.contains(id)
    }

    /// Answers given to questions that did not apply.
    pub fn ignored(&self) -> &[String] {
        &self.ignored
    }

    /// Resolves given answers against the checklist: walks the questions in order, skips those
    /// whose condition does not hold, fills defaults, checks required answers and version order.
    /// `line_of` points problems at a line of the source, where there is one.
    pub fn resolve(
        checklist: &Checklist,
        given: BTreeMap<String, AnswerValue>,
        line_of: &dyn Fn(&str) -> Option<usize>,
    ) -> Result<Answers, Vec<Diagnostic>> {
        let mut values = BTreeMap::new();
        let mut given_ids = BTreeSet::new();
        let mut ignored = Vec::new();
        let mut missing = Vec::new();
        for question in &checklist.questions {
            let applies = question.applies(&values);
            let answer = given.get(&question.id);
            if !applies {
                if answer.is_some() {
                    ignored.push(question.id.clone());
                }
                continue;
            }
            let value = match (answer, &question.default) {
                (Some(value), _) => {
                    given_ids.insert(question.id.clone());
                    Some(value.clone())
                }
                (None, Some(DefaultValue::Value(value))) => Some(value.clone()),
                (None, Some(DefaultValue::FromQuestion(from))) => match values.get(from) {
                    Some(value) => Some(value.clone()),
                    // The question it defaults from is missing and reported already.
                    None => continue,
                },
                (None, None) => None,
            };
            match value {
                Some(value) => {
                    values.insert(question.id.clone(), value);
                }
                None if question.required => missing.push(question.id.as_str()),
                None => {}
            }
        }
        let mut problems = Vec::new();
        if !missing.is_empty() {
            let noun = if missing.len() == 1 {
                "answer"
            } else {
                "answers"
            };
            problems.push(
                Diagnostic::new(format!(
                    "{} required {noun} missing: {}",
                    missing.len(),
                    missing.join(", ")
                ))
                .at("answers")
                .fix("add them under `answers:`; `upgrade-advisor template` prints every question with its allowed values"),
            );
        }
        problems.extend(version_order(checklist, &values, line_of));
        if problems.is_empty() {
            Ok(Answers {
                values,
                given: given_ids,
                ignored,
            })
        } else {
            Err(problems)
        }
    }
}

/// Targets must not be below their current versions, and minor-stepped layers cannot cross
/// a major version.
fn version_order(
    checklist: &Checklist,
    values: &BTreeMap<String, AnswerValue>,
    line_of: &dyn Fn(&str) -> Option<usize>,
) -> Vec<Diagnostic> {
    let mut pairs = vec![(
        checklist.bindings.current_version.as_str(),
        checklist.bindings.target_version.as_str(),
        true,
    )];
    for layer in &checklist.layers {
        if let (Some(from), Some(to)) = (&layer.from, &layer.to) {
            let minor = layer.steps == crate::checklist::Steps::Minor;
            pairs.push((from.as_str(), to.as_str(), minor));
        }
    }
    let mut problems = Vec::new();
    for (from_id, to_id, minor_steps) in pairs {
        let (Some(from), Some(to)) = (
            values.get(from_id).and_then(AnswerValue::as_version),
            values.get(to_id).and_then(AnswerValue::as_version),
        ) else {
            continue;
        };
        if to < from {
            problems.push(
                Diagnostic::new(format!(
                    "the target {to} is below the current version {from} ({from_id}); Kubernetes cannot be downgraded in place"
                ))
                .at(format!("`{to_id}`"))
                .line(line_of(to_id))
                .fix(format!("set {to_id} to {from} or later, or correct {from_id}")),
            );
        } else if minor_steps && to.major != from.major {
            problems.push(
                Diagnostic::new(format!(
                    "{from} to {to} crosses a major version, which minor-by-minor hops cannot reach"
                ))
                .at(format!("`{to_id}`"))
                .line(line_of(to_id))
                .fix(format!(
                    "check {from_id} and {to_id}; they should share the major version"
                )),
            );
        }
    }
    problems
}

/// An answers file read but not yet resolved: what it says, possibly incomplete. The
/// workshop resumes from one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PartialAnswers {
    pub context: Vec<(String, String)>,
    /// The top-level answers: for a fleet, the defaults of every environment.
    pub given: BTreeMap<String, AnswerValue>,
    /// A fleet's environments; empty for a single-environment file.
    pub environments: Vec<EnvironmentSpec>,
}

/// One environment of a fleet file, before its answers are merged with the defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvironmentSpec {
    pub name: String,
    /// The management plane it shares with other environments.
    pub supervisor: Option<String>,
    /// Its own answers, overriding the top-level ones.
    pub given: BTreeMap<String, AnswerValue>,
    /// Where it starts in the file (1-based), for messages.
    pub line: Option<usize>,
}

impl AnswersFile {
    /// Parses an answers file for `checklist` and resolves it: every required answer must be
    /// there. `origin` names the file in messages.
    pub fn parse(
        source: &str,
        origin: &str,
        checklist: &Checklist,
    ) -> Result<AnswersFile, InputError> {
        Self::parse_with_overrides(source, origin, checklist, &[])
    }

    /// Like [`AnswersFile::parse`], with `ID=VALUE` overrides applied before resolving.
    /// A fleet file (with `environments:`) is refused: use [`AnswersDocument::parse`].
    pub fn parse_with_overrides(
        source: &str,
        origin: &str,
        checklist: &Checklist,
        overrides: &[String],
    ) -> Result<AnswersFile, InputError> {
        match AnswersDocument::parse(source, origin, checklist, &[], overrides)? {
            AnswersDocument::Single(file) => Ok(file),
            AnswersDocument::Fleet(_) => Err(InputError::single(
                InputKind::Answers,
                origin,
                Diagnostic::new("this command takes a single-environment answers file, and this one has `environments:`")
                    .line(find_key_line(source, "environments", 0))
                    .fix("use `upgrade-advisor assess` for fleet files"),
            )),
        }
    }
}

/// An answers file: one environment, or a fleet of them.
#[derive(Debug, Clone)]
pub enum AnswersDocument {
    Single(AnswersFile),
    Fleet(FleetAnswers),
}

/// A fleet file, every environment resolved.
#[derive(Debug, Clone)]
pub struct FleetAnswers {
    pub context: Vec<(String, String)>,
    pub environments: Vec<Environment>,
    pub sha256: String,
}

/// One environment of a fleet: the defaults with its own answers on top, resolved.
#[derive(Debug, Clone)]
pub struct Environment {
    pub name: String,
    pub supervisor: Option<String>,
    pub file: AnswersFile,
}

impl AnswersDocument {
    /// Parses a single- or multi-environment answers file and resolves every environment.
    /// `overrides` (`ID=VALUE`) win over everything in the file.
    pub fn parse(
        source: &str,
        origin: &str,
        checklist: &Checklist,
        evidence: &[EvidenceItem],
        overrides: &[String],
    ) -> Result<AnswersDocument, InputError> {
        let partial = PartialAnswers::parse(source, origin, checklist)?;
        Self::resolve(partial, source, origin, checklist, evidence, overrides)
    }

    /// Resolves an already parsed file (`source` is its text, for lines and the hash).
    pub fn resolve(
        partial: PartialAnswers,
        source: &str,
        origin: &str,
        checklist: &Checklist,
        evidence: &[EvidenceItem],
        overrides: &[String],
    ) -> Result<AnswersDocument, InputError> {
        let overrides = parse_overrides(checklist, overrides)?;
        let sha256 = sha256_hex(source.as_bytes());
        let keys = KeyLines::new(source);
        let answers_line = keys.find("answers", 0).unwrap_or(0);
        let top_line = |id: &str| keys.find(id, answers_line);
        if partial.environments.is_empty() {
            let mut given = partial.given;
            let uses = apply_evidence(&mut given, evidence, &overrides);
            given.extend(overrides);
            let answers = Answers::resolve(checklist, given, &top_line)
                .map_err(|problems| InputError::new(InputKind::Answers, origin, problems))?;
            return Ok(AnswersDocument::Single(AnswersFile {
                context: partial.context,
                answers,
                evidence: uses,
                sha256,
            }));
        }
        let mut problems = Vec::new();
        let mut environments = Vec::new();
        for (index, spec) in partial.environments.iter().enumerate() {
            let mut given = partial.given.clone();
            given.extend(spec.given.clone());
            let uses = apply_evidence(&mut given, evidence, &overrides);
            given.extend(overrides.clone());
            let env_line = spec.line.unwrap_or(0);
            let line_of = |id: &str| {
                if spec.given.contains_key(id) {
                    keys.find(id, env_line)
                } else {
                    top_line(id)
                }
            };
            match Answers::resolve(checklist, given, &line_of) {
                Ok(answers) => environments.push(Environment {
                    name: spec.name.clone(),
                    supervisor: spec.supervisor.clone(),
                    file: AnswersFile {
                        context: partial.context.clone(),
                        answers,
                        evidence: uses,
                        sha256: sha256.clone(),
                    },
                }),
                Err(found) => problems.extend(found.into_iter().map(|p| Diagnostic {
                    at: Some(match &p.at {
                        Some(at) => format!("environments[{index}] ({}): {at}", spec.name),
                        None => format!("environments[{index}] ({})", spec.name),
                    }),
                    line: p.line.or(spec.line),
                    ..p
                })),
            }
        }
        if !problems.is_empty() {
            return Err(InputError::new(InputKind::Answers, origin, problems));
        }
        Ok(AnswersDocument::Fleet(FleetAnswers {
            context: partial.context,
            environments,
            sha256,
        }))
    }
}

/// Puts evidence answers into `given` (the file's answers), recording how each met the file.
/// Overrides are applied after this and win; they are noted here.
fn apply_evidence(
    given: &mut BTreeMap<String, AnswerValue>,
    evidence: &[EvidenceItem],
    overrides: &BTreeMap<String, AnswerValue>,
) -> Vec<EvidenceUse> {
    evidence
        .iter()
        .map(|item| {
            let answered = given.get(&item.question).cloned();
            let outcome = if overrides.contains_key(&item.question) {
                "overridden"
            } else {
                match &answered {
                    None => "filled",
                    Some(a) if *a == item.value => "confirmed",
                    // What the scan found is proof against an answer that denies it.
                    Some(a) if item.found && a.to_string() == item.absent => "overruled",
                    // An estimate speaks only when the scan saw enough; absence never does.
                    Some(_) if item.found && item.enough => "overruled",
                    Some(_) => "disagrees",
                }
            };
            if matches!(outcome, "filled" | "overruled" | "overridden") {
                given.insert(item.question.clone(), item.value.clone());
            }
            EvidenceUse {
                question: item.question.clone(),
                answered,
                evidence: item.value.clone(),
                detail: item.detail.clone(),
                seen: item.seen.clone(),
                outcome,
            }
        })
        .collect()
}

/// Parses `ID=VALUE` overrides (`assess --set`), each checked like an answer in a file.
/// Values are taken as typed: `1.30` is a version here, not a number.
pub fn parse_overrides(
    checklist: &Checklist,
    overrides: &[String],
) -> Result<BTreeMap<String, AnswerValue>, InputError> {
    let mut partial = PartialAnswers::default();
    partial.apply_overrides(checklist, overrides)?;
    Ok(partial.given)
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
        let fail = |problems| InputError::new(InputKind::Answers, origin, problems);
        if source.trim().is_empty() {
            return Err(fail(vec![Diagnostic::new("the answers file is empty").fix(
                "write the answers under `answers:`; `upgrade-advisor template > answers.yaml` gives a file to fill in",
            )]));
        }
        check_nesting(source).map_err(|d| fail(vec![d]))?;
        let mut document: Value =
            serde_yaml::from_str(source).map_err(|e| fail(vec![explain_yaml_error(&e, source)]))?;
        // YAML merge keys (`<<: *defaults`) are merged, not taken for questions.
        document.apply_merge().map_err(|e| {
            fail(vec![
                Diagnostic::new(format!("a YAML merge key (`<<`) cannot be merged: {e}"))
                    .line(find_key_line(source, "<<", 0))
                    .fix("`<<` takes an alias of a mapping (`<<: *defaults`) or a list of them"),
            ])
        })?;
        let Value::Mapping(top) = document else {
            return Err(fail(vec![Diagnostic::new(
                "the answers file must be a mapping with an `answers:` key",
            )
            .line(Some(1))
            .fix("start the file with `answers:` and put one `question_id: value` per line under it")]));
        };

        let keys = KeyLines::new(source);
        let mut problems = Vec::new();
        let mut context = Vec::new();
        let mut raw_answers = None;
        let mut raw_environments = None;
        for (key, value) in &top {
            let key = key_text(key);
            let line = keys.find(&key, 0);
            match key.as_str() {
                "checklist" => {
                    let named = scalar_text(value);
                    if named.as_deref() != Some(checklist.id.as_str()) {
                        // Every other key would be judged by the wrong checklist: stop here.
                        return Err(fail(vec![
                            Diagnostic::new(format!(
                                "the file is for checklist `{}`, but the checklist in use is `{}`",
                                named.unwrap_or_default(),
                                checklist.id
                            ))
                            .at("`checklist`")
                            .line(line)
                            .fix(format!(
                                "pass the matching checklist with --checklist, or set `checklist: {}`",
                                checklist.id
                            )),
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
                            .fix("write e.g. `context:` then `  organization: Example Corp` on the next line"),
                    ),
                },
                "answers" => raw_answers = Some(value),
                "environments" => raw_environments = Some(value),
                other => {
                    let mut diagnostic = Diagnostic::new(format!("unknown top-level key `{other}`"))
                        .at(format!("`{other}`"))
                        .line(line);
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
                    .fix("add an `answers:` mapping with one `question_id: value` per line"),
            ),
            Some(_) => problems.push(
                Diagnostic::new("`answers` must be a mapping of question ids to values")
                    .at("`answers`")
                    .line(keys.find("answers", 0))
                    .fix("write one `question_id: value` per line, indented under `answers:`"),
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
                        .fix("write e.g. --set spare_capacity=yes"),
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
fn key(text: &str) -> String {
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
fn quote(text: &str) -> String {
    serde_json::to_string(text).expect("strings always serialize")
}

/// Parses an `answers:` mapping; problems are collected, good answers returned.
fn answers_map(
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
                .line(line_of(&id)),
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

/// Parses the `environments:` list of a fleet file.
fn environments(
    checklist: &Checklist,
    value: &Value,
    source: &str,
    keys: &KeyLines,
    problems: &mut Vec<Diagnostic>,
) -> Vec<EnvironmentSpec> {
    let list_line = keys.find("environments", 0);
    let Value::Sequence(items) = value else {
        problems.push(
            Diagnostic::new("`environments` must be a list")
                .at("`environments`")
                .line(list_line)
                .fix("write one `- name: ...` entry per environment, each with its own `answers:`"),
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
            .fix("split the fleet into several answers files, for example one per region"),
        );
        return Vec::new();
    }
    let mut out: Vec<EnvironmentSpec> = Vec::new();
    // Names and Supervisors are compared without case or surrounding spaces (`SUP-EAST` and
    // `sup-east ` are one Supervisor, written two ways): the first spelling of each, by its
    // folded form.
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
                    .line(list_line),
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
        if let Some(c) = name.chars().find(|c| c.is_control()) {
            problems.push(control_character(c, at.clone(), line));
        } else if name.trim().is_empty() {
            problems.push(
                Diagnostic::new("the environment has no `name`")
                    .at(at.clone())
                    .line(line)
                    .fix("add `name: ...`; reports show each environment by name"),
            );
        } else if let Some(first) = names.get(&name.to_lowercase()) {
            let message = if *first == name {
                format!("the environment name `{name}` is used twice")
            } else {
                format!("the environment name `{name}` is the same as `{first}` but for case")
            };
            problems.push(Diagnostic::new(message).at(at.clone()).line(line).fix(
                "give every environment its own name (names ignore case and surrounding spaces)",
            ));
        } else {
            names.insert(name.to_lowercase(), name.clone());
        }
        let mut supervisor = None;
        let mut given = BTreeMap::new();
        for (key, value) in map {
            match key_text(key).as_str() {
                "name" => {}
                "supervisor" => match scalar_text(value) {
                    Some(s) if s.chars().any(char::is_control) => {
                        let c = s.chars().find(|c| c.is_control()).unwrap_or_default();
                        problems.push(control_character(c, format!("{at}: `supervisor`"), line));
                    }
                    Some(s) if !s.trim().is_empty() => {
                        let s = s.trim().to_string();
                        match supervisors.get(&s.to_lowercase()) {
                            Some(first) if *first != s => problems.push(
                                Diagnostic::new(format!(
                                    "the Supervisor `{s}` differs from `{first}`, named earlier, only in case"
                                ))
                                .at(at.clone())
                                .line(line)
                                .fix(format!(
                                    "did you mean `{first}`? Write one Supervisor's name the same way in every environment"
                                )),
                            ),
                            Some(_) => {}
                            None => {
                                supervisors.insert(s.to_lowercase(), s.clone());
                            }
                        }
                        supervisor = Some(s);
                    }
                    _ => problems.push(
                        Diagnostic::new("`supervisor` must be the name of a management plane")
                            .at(at.clone())
                            .line(line)
                            .fix("write e.g. `supervisor: sup-east`, the same name in every environment that shares it"),
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
                            .line(line),
                    ),
                },
                other => problems.push(
                    Diagnostic::new(format!("unknown key `{other}` in an environment"))
                        .at(at.clone())
                        .line(line)
                        .fix("an environment takes `name`, `supervisor` and `answers`"),
                ),
            }
        }
        out.push(EnvironmentSpec {
            name,
            supervisor,
            given,
            line,
        });
    }
    if items.is_empty() {
        problems.push(
            Diagnostic::new("`environments` is empty")
                .at("`environments`")
                .line(list_line)
                .fix("list the environments, or remove `environments:` for a single-environment file"),
        );
    }
    out
}

/// The checklist an answers file names in its `checklist:` key, if it parses and names one.
pub fn declared_checklist(source: &str) -> Option<String> {
    /// Only the `checklist` key; everything else is skipped without building values.
    #[derive(serde::Deserialize)]
    struct Declared {
        checklist: Option<Value>,
    }
    check_nesting(source).ok()?;
    let declared: Declared = serde_yaml::from_str(source).ok()?;
    declared.checklist?.as_str().map(str::to_string)
}

/// Parses one answer against its question. `Ok(None)` is an empty value: not answered.
fn parse_answer(
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
        .fix(fix));
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
                )));
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
                .fix(format!("quote it: {id}: \"{typed}\"")))
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
fn shorten(text: &str) -> std::borrow::Cow<'_, str> {
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
fn control_character(c: char, at: String, line: Option<usize>) -> Diagnostic {
    Diagnostic::new(format!(
        "the text holds the control character U+{:04X}, which reports cannot show safely",
        u32::from(c)
    ))
    .at(at)
    .line(line)
    .fix("remove it; in double-quoted YAML, escapes such as \\e or \\x1b write control characters")
}

/// A "did you mean" only for text short enough to be a typo of an id or a choice (the
/// comparison costs the product of the lengths).
fn suggest<'a>(text: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    if text.len() > 64 {
        return None;
    }
    did_you_mean(text, candidates)
}

fn key_text(key: &Value) -> String {
    scalar_text(key).unwrap_or_else(|| format!("{key:?}"))
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn describe(value: &Value) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn vks() -> Checklist {
        Checklist::builtin("vks").unwrap()
    }

    const FULL: &str = r#"
checklist: vks
context:
  organization: Example Corp
answers:
  current_version: "1.30"
  target_version: "v1.33.2"
  cluster_count: 6
  rolling_restart_tolerance: most
  pdbs_and_probes: partly
  deprecated_apis: partly
  stateful_workloads: none
  stateful_strategy: replication
  legacy_apps: true
  change_window: monthly
  change_approval: heavy
  spare_capacity: limited
  capacity_expansion: no
  shared_supervisor: yes
  traffic_shifting: weighted
  pod_autoscaling: yes
  cluster_autoscaling: false
  continuous_delivery: gitops
"#;

    fn parse(text: &str) -> Result<AnswersFile, InputError> {
        AnswersFile::parse(text, "answers.yaml", &vks())
    }

    #[test]
    fn a_full_file_resolves_with_defaults_and_booleans() {
        let file = parse(FULL).unwrap();
        let a = &file.answers;
        assert_eq!(
            a.get("target_version"),
            Some(&AnswerValue::Version(Version::new(1, 33)))
        );
        assert_eq!(
            a.get("legacy_apps"),
            Some(&AnswerValue::Choice("yes".into()))
        );
        assert_eq!(a.get("changes_per_window"), Some(&AnswerValue::Integer(1)));
        // "default: all clusters"
        assert_eq!(a.get("clusters_per_window"), Some(&AnswerValue::Integer(6)));
        assert!(!a.is_given("clusters_per_window"));
        // stateful_strategy does not apply when there are no stateful workloads.
        assert_eq!(a.get("stateful_strategy"), None);
        assert_eq!(a.ignored(), ["stateful_strategy"]);
        assert_eq!(
            file.context,
            [("organization".to_string(), "Example Corp".to_string())]
        );
        assert_eq!(file.sha256.len(), 64);
    }

    #[test]
    fn an_unquoted_version_is_explained_with_the_quoted_form() {
        let err =
            parse(&FULL.replace("current_version: \"1.30\"", "current_version: 1.30")).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains(
                "answers.yaml:6: `current_version`: YAML reads the unquoted 1.30 as the number 1.3"
            ),
            "{text}"
        );
        assert!(
            text.contains("fix: quote it: current_version: \"1.30\""),
            "{text}"
        );
    }

    #[test]
    fn every_missing_required_answer_is_listed_at_once() {
        let text = FULL
            .replace("  change_window: monthly\n", "")
            .replace("  spare_capacity: limited\n", "");
        let err = parse(&text).unwrap_err();
        assert_eq!(err.problems.len(), 1);
        assert!(
            err.problems[0]
                .message
                .contains("2 required answers missing: change_window, spare_capacity"),
            "{err}"
        );
    }

    #[test]
    fn unknown_ids_and_values_get_suggestions() {
        let err =
            parse(&FULL.replace("spare_capacity: limited", "spare_capcity: limited")).unwrap_err();
        assert!(
            err.to_string().contains("did you mean `spare_capacity`?"),
            "{err}"
        );
        let err =
            parse(&FULL.replace("change_window: monthly", "change_window: montly")).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("`montly` is not an allowed answer"), "{text}");
        assert!(
            text.contains(
                "did you mean `monthly`? Allowed: weekly, biweekly, monthly or quarterly"
            ),
            "{text}"
        );
    }

    #[test]
    fn long_values_are_shortened_in_messages() {
        let long = "m".repeat(100_000);
        let err = parse(&FULL.replace("change_window: monthly", &format!("change_window: {long}")))
            .unwrap_err();
        let text = err.to_string();
        assert!(text.len() < 400, "{}", text.len());
        assert!(text.contains(&format!("`{}...` is not an allowed answer", "m".repeat(60))));
    }

    #[test]
    fn a_target_below_current_is_refused() {
        let err = parse(&FULL.replace("v1.33.2", "1.29")).unwrap_err();
        assert!(
            err.to_string()
                .contains("the target 1.29 is below the current version 1.30"),
            "{err}"
        );
    }

    #[test]
    fn wrong_types_and_misplaced_keys_are_explained() {
        let err = parse(&FULL.replace("cluster_count: 6", "cluster_count: six")).unwrap_err();
        assert!(
            err.to_string()
                .contains("expected a whole number, found the text \"six\""),
            "{err}"
        );
        let err = parse(&FULL.replace("cluster_count: 6", "cluster_count: 0")).unwrap_err();
        assert!(err.to_string().contains("0 is out of range"), "{err}");
        let err = parse(&format!("cluster_count: 3\n{FULL}")).unwrap_err();
        assert!(
            err.to_string()
                .contains("`cluster_count` is a question: indent it under `answers:`"),
            "{err}"
        );
        let err = parse(&FULL.replace("checklist: vks", "checklist: eks")).unwrap_err();
        assert!(
            err.to_string().contains("the file is for checklist `eks`"),
            "{err}"
        );
    }

    #[test]
    fn saved_answers_read_back_the_same() {
        let checklist = vks();
        let partial = PartialAnswers::parse(FULL, "a.yaml", &checklist).unwrap();
        let mut with_context = partial.clone();
        with_context.context.push((
            "needs quoting: yes".into(),
            "a \"quoted\" value\nover two lines".into(),
        ));
        let yaml = with_context.to_yaml(&checklist, "header");
        assert!(
            yaml.starts_with(
                "# header\nchecklist: vks\ncontext:\n  organization: \"Example Corp\"\n"
            ),
            "{yaml}"
        );
        let back = PartialAnswers::parse(&yaml, "saved.yaml", &checklist).unwrap();
        assert_eq!(back, with_context);
        let empty = PartialAnswers::default().to_yaml(&checklist, "h");
        assert_eq!(
            PartialAnswers::parse(&empty, "e.yaml", &checklist).unwrap(),
            PartialAnswers::default()
        );
    }

    #[test]
    fn empty_and_malformed_files_are_refused() {
        assert!(parse("  \n").unwrap_err().to_string().contains("is empty"));
        let err = parse("answers:\n  a: [1\n").unwrap_err();
        assert!(err.problems[0].line.is_some(), "{err}");
        assert!(
            parse("- just\n- a list\n")
                .unwrap_err()
                .to_string()
                .contains("must be a mapping")
        );
    }
}
