//! The decision checklist: questions, leans, signals, gates and blockers, loaded from YAML
//! and validated once, so that scoring never meets a dangling reference.

pub mod condition;
pub mod model;
pub mod raw;
pub mod steps;
pub mod strategy;
mod text;
pub mod validate;
pub mod value;

use model::{Checklist, Question, StrategyText};
use raw::RawChecklist;
use validate::Validator;

use crate::base::diagnostic::code::Code;
use crate::base::diagnostic::guards::check_nesting;
use crate::base::diagnostic::{Diagnostic, InputError, InputKind, explain_yaml_error};
use crate::base::digest::sha256_hex;
use crate::checklist::strategy::Strategy;

/// The checklists built into the binary: `(name, YAML)`.
pub const BUILTIN: &[(&str, &str)] = &[
    ("vks", include_str!("../../checklists/vks.yaml")),
    (
        "kubernetes",
        include_str!("../../checklists/kubernetes.yaml"),
    ),
];

/// The checklist used when none is named.
pub const DEFAULT_CHECKLIST: &str = "vks";

/// The built-in checklists as JSON, converted from their YAML by `build.rs`: the same
/// content, parsed several times faster at start-up. `(name, JSON)`, in [`BUILTIN`] order.
const BUILTIN_JSON: &[(&str, &str)] = &[
    ("vks", include_str!(concat!(env!("OUT_DIR"), "/vks.json"))),
    (
        "kubernetes",
        include_str!(concat!(env!("OUT_DIR"), "/kubernetes.json")),
    ),
];

impl Checklist {
    /// A built-in checklist by name.
    pub fn builtin(name: &str) -> Option<Checklist> {
        let (_, yaml) = BUILTIN.iter().find(|(n, _)| *n == name)?;
        let (_, json) = BUILTIN_JSON.iter().find(|(n, _)| *n == name)?;
        // Built-ins are validated by the tests (also that the JSON and the YAML load alike);
        // a failure here is a bug, not user input.
        let raw: RawChecklist = serde_json::from_str(json).expect("built-in checklist is JSON");
        let mut v = Validator::new(yaml);
        let mut checklist = v.checklist(raw);
        assert!(v.problems.is_empty(), "built-in checklist {name} is valid");
        checklist.origin.sha256 = sha256_hex(yaml.as_bytes());
        Some(checklist)
    }

    /// Parses and validates a checklist. `origin` names the file in messages.
    pub fn from_yaml(source: &str, origin: &str) -> Result<Checklist, InputError> {
        let fail = |d: Vec<Diagnostic>| InputError::new(InputKind::Checklist, origin, d);
        if source.trim().is_empty() {
            return Err(fail(vec![Diagnostic::new("the file is empty").fix(
                "start from a built-in checklist: `upgrade-advisor checklist show vks > my.yaml`",
            ).code(Code::EmptyFile)]));
        }
        check_nesting(source).map_err(|d| fail(vec![d]))?;
        let raw: RawChecklist =
            serde_yaml::from_str(source).map_err(|e| fail(vec![explain_yaml_error(&e, source)]))?;
        let too_large = validate::limits::size_problems(&raw, source);
        if !too_large.is_empty() {
            return Err(fail(too_large));
        }
        let mut v = Validator::new(source);
        v.problems.extend(builtin_id(&raw.id, source));
        v.problems.extend(text::control_characters(&raw, source));
        v.problems.extend(text::prose_characters(&raw, source));
        let checklist = v.checklist(raw);
        if v.problems.is_empty() {
            Ok(checklist)
        } else {
            Err(fail(v.problems))
        }
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.index.get(id).map(|&i| &self.questions[i])
    }

    /// Where the question `id` is in [`Checklist::questions`].
    pub fn question_index(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    pub fn question_ids(&self) -> impl Iterator<Item = &str> {
        self.questions.iter().map(|q| q.id.as_str())
    }

    pub fn strategy_text(&self, strategy: Strategy) -> &StrategyText {
        &self.strategies[&strategy]
    }
}

/// A custom checklist may not take a built-in's id: a report made with it would name the
/// built-in. A file with exactly a built-in's text is that built-in, and passes.
fn builtin_id(id: &str, source: &str) -> Option<Diagnostic> {
    let (_, yaml) = BUILTIN.iter().find(|(name, _)| *name == id.trim())?;
    (source != *yaml).then(|| {
        Diagnostic::new(format!(
            "`{id}` is the id of a built-in checklist, and this is not that checklist"
        ))
        .at("id")
        .line(crate::base::diagnostic::find_key_line(source, "id", 0))
        .fix(format!(
            "give the checklist an id of its own, e.g. `id: {}-custom`, and write that id under `checklist:` in its answers files",
            id.trim()
        ))
        .code(Code::ChecklistRule)
    })
}

#[cfg(test)]
mod tests;
