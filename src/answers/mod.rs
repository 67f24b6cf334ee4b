//! The answers file: parsed, checked against a checklist, and resolved into the effective
//! answers (defaults filled in, questions that do not apply left out).

pub mod calendar_freezes;
pub mod calendar_ics;
pub mod calendar_ics_events;
pub mod calendar_place;
pub mod calendar_read;
pub mod calendar_spec;
pub mod capacity_read;
mod environments;
pub mod gates_read;
pub mod parse;
pub mod read;
pub mod releases;
#[cfg(test)]
mod tests;
pub mod values;

use std::collections::{BTreeMap, BTreeSet};

use crate::base::diagnostic::code::Code;
use crate::base::diagnostic::{Diagnostic, InputError, InputKind, KeyLines, find_key_line};
use crate::base::digest::sha256_hex;
use crate::checklist::model::Checklist;
use crate::checklist::model::DefaultValue;
use crate::checklist::value::AnswerValue;
use values::*;

/// The overrides as `--set` records, against the answers the file gave.
fn overrides_against(
    given: &BTreeMap<String, AnswerValue>,
    overrides: &BTreeMap<String, AnswerValue>,
) -> Vec<Override> {
    overrides
        .iter()
        .map(|(question, value)| Override {
            question: question.clone(),
            value: value.clone(),
            file_value: given.get(question).cloned(),
        })
        .collect()
}

/// Problems about an answer `--set` gave point at the flag, not at the file's line.
fn blame_overrides(
    problems: Vec<Diagnostic>,
    overrides: &BTreeMap<String, AnswerValue>,
) -> Vec<Diagnostic> {
    problems
        .into_iter()
        .map(|p| {
            let flag = overrides
                .iter()
                .find(|(id, _)| p.at.as_deref() == Some(format!("`{id}`").as_str()));
            match flag {
                Some((id, value)) => Diagnostic {
                    at: Some(format!("--set {id}={value}")),
                    line: None,
                    ..p
                },
                None => p,
            }
        })
        .collect()
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

    /// Replaces the answer to `id`, which must have one, and returns the old answer: a
    /// scratch change for [`crate::scoring::probe`], undone by replacing it back.
    pub(crate) fn replace(&mut self, id: &str, value: AnswerValue) -> AnswerValue {
        let slot = self
            .values
            .get_mut(id)
            .expect("only answered questions are replaced");
        std::mem::replace(slot, value)
    }

    /// Sets or clears the answer to `id` in place, for the probes' scratch copy; the caller
    /// keeps the answers consistent (see [`crate::scoring::probe`]).
    pub(crate) fn set(&mut self, id: &str, value: Option<AnswerValue>, given: bool) {
        match value {
            Some(value) => {
                self.values.insert(id.to_string(), value);
            }
            None => {
                self.values.remove(id);
            }
        }
        if given {
            self.given.insert(id.to_string());
        } else {
            self.given.remove(id);
        }
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
            match resolve_question(question, &given, &values) {
                Resolved::NotAsked { answered } => {
                    if answered {
                        ignored.push(question.id.clone());
                    }
                }
                Resolved::Answer { value, given } => {
                    if given {
                        given_ids.insert(question.id.clone());
                    }
                    values.insert(question.id.clone(), value);
                }
                Resolved::Missing if question.required => missing.push(question.id.as_str()),
                Resolved::Missing | Resolved::NoSource => {}
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
                .fix("add them under `answers:`; `upgrade-advisor template` prints every question with its allowed values")
                .code(Code::MissingAnswer),
            );
        }
        problems.extend(version_order(checklist, &values, line_of));
        problems.extend(releases::unknown_releases(checklist, &values, line_of));
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

/// How one question resolves against the answers given and those resolved before it.
pub(crate) enum Resolved {
    /// Its condition does not hold; `answered` when the user answered it anyway.
    NotAsked { answered: bool },
    /// An answer, given or defaulted.
    Answer { value: AnswerValue, given: bool },
    /// No answer and no default: a problem when the question is required.
    Missing,
    /// It defaults from a question that has no answer (which is reported there).
    NoSource,
}

/// Resolves `question`: whether it applies to `values` (the answers of the questions before
/// it), then its given answer, else its default. One rule for [`Answers::resolve`] and for
/// the probes that resolve again only what a change can reach.
pub(crate) fn resolve_question(
    question: &crate::checklist::model::Question,
    given: &BTreeMap<String, AnswerValue>,
    values: &BTreeMap<String, AnswerValue>,
) -> Resolved {
    let answer = given.get(&question.id);
    if !question.applies(values) {
        return Resolved::NotAsked {
            answered: answer.is_some(),
        };
    }
    match (answer, &question.default) {
        (Some(value), _) => Resolved::Answer {
            value: value.clone(),
            given: true,
        },
        (None, Some(DefaultValue::Value(value))) => Resolved::Answer {
            value: value.clone(),
            given: false,
        },
        (None, Some(DefaultValue::FromQuestion(from))) => match values.get(from) {
            Some(value) => Resolved::Answer {
                value: value.clone(),
                given: false,
            },
            None => Resolved::NoSource,
        },
        (None, None) => Resolved::Missing,
    }
}

/// Whether the version answers are in order and name known releases (what
/// [`Answers::resolve`] checks of them), for answers changed in place.
pub(crate) fn versions_valid(
    checklist: &Checklist,
    values: &BTreeMap<String, AnswerValue>,
) -> bool {
    version_order(checklist, values, &|_| None).is_empty()
        && releases::unknown_releases(checklist, values, &|_| None).is_empty()
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
            let minor = layer.steps == crate::checklist::raw::Steps::Minor;
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
                .fix(format!("set {to_id} to {from} or later, or correct {from_id}"))
                .code(Code::ImpossibleUpgrade),
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
                ))
                .code(Code::ImpossibleUpgrade),
            );
        }
    }
    problems
}

impl AnswersFile {
    /// How many clusters' copies the measured room holds at once, when capacity measured
    /// any: it stands for the checklist's `limited_capacity_clusters`.
    pub fn capacity_clusters(&self) -> Option<u64> {
        self.capacity
            .as_ref()
            .and_then(|c| c.fits_clusters)
            .filter(|&fits| fits > 0)
    }

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
                    .fix("use `upgrade-advisor assess` for fleet files")
                    .code(Code::FleetNotAccepted),
            )),
        }
    }
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
        let top_line = |id: &str| {
            (!overrides.contains_key(id))
                .then(|| keys.find(id, answers_line))
                .flatten()
        };
        if partial.environments.is_empty() {
            let mut given = partial.given;
            let uses = apply_evidence(&mut given, evidence, &overrides);
            let set = overrides_against(&given, &overrides);
            given.extend(overrides.clone());
            let answers = Answers::resolve(checklist, given, &top_line).map_err(|problems| {
                let problems = blame_overrides(problems, &overrides);
                InputError::new(InputKind::Answers, origin, problems)
            })?;
            return Ok(AnswersDocument::Single(AnswersFile {
                context: partial.context,
                answers,
                evidence: uses,
                sha256,
                overrides: set,
                calendar: partial.calendar,
                gates: partial.gates,
                capacity: None,
            }));
        }
        let mut problems = Vec::new();
        let mut environments = Vec::new();
        for (index, spec) in partial.environments.iter().enumerate() {
            let mut given = partial.given.clone();
            given.extend(spec.given.clone());
            // The environment's own dumps speak for it, question by question, over the
            // file-wide evidence.
            let own =
                |item: &EvidenceItem| spec.evidence.iter().any(|e| e.question == item.question);
            let merged: Vec<EvidenceItem> = evidence
                .iter()
                .filter(|item| !own(item))
                .chain(&spec.evidence)
                .cloned()
                .collect();
            let uses = apply_evidence(&mut given, &merged, &overrides);
            let set = overrides_against(&given, &overrides);
            given.extend(overrides.clone());
            let env_line = spec.line.unwrap_or(0);
            let line_of = |id: &str| {
                if overrides.contains_key(id) {
                    None
                } else if spec.given.contains_key(id) {
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
                        overrides: set,
                        calendar: match (&spec.calendar, &partial.calendar) {
                            (Some(own), Some(top)) => Some(own.over(top)),
                            (own, top) => own.clone().or_else(|| top.clone()),
                        },
                        gates: partial.gates.clone(),
                        capacity: spec.capacity_report.clone(),
                    },
                }),
                Err(found) => {
                    problems.extend(blame_overrides(found, &overrides).into_iter().map(|p| {
                        Diagnostic {
                            at: Some(match &p.at {
                                Some(at) => format!("environments[{index}] ({}): {at}", spec.name),
                                None => format!("environments[{index}] ({})", spec.name),
                            }),
                            line: match &p.at {
                                Some(at) if at.starts_with("--set ") => None,
                                _ => p.line.or(spec.line),
                            },
                            ..p
                        }
                    }))
                }
            }
        }
        if !problems.is_empty() {
            return Err(InputError::new(InputKind::Answers, origin, problems));
        }
        Ok(AnswersDocument::Fleet(FleetAnswers {
            context: partial.context,
            environments,
            sha256,
            calendar: partial.calendar,
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
                counts: item.counts.clone(),
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
