//! The report value: everything a rendering shows, built in one pure step from the
//! checklist, the answers file and the decision (assessment, what-if, support windows, the
//! dated schedule and its rollback rules). Renderers in `report/` only read it.

mod build;
pub mod dating;
pub mod fleet;
pub mod memo;
pub mod newer;
pub mod runbook;
pub mod schedule;
pub mod support;

use std::collections::BTreeMap;
use std::rc::Rc;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::answers::values::EvidenceUse;
use crate::answers::values::Override;
use crate::base::date::Date;
use crate::checklist::model::Checklist;
use crate::checklist::steps::GateLimits;
use crate::checklist::strategy::Strategy;
use crate::checklist::value::AnswerValue;
use crate::plan::runbook::model::RunbookPlan;
use crate::plan::support::SupportWarning;
use crate::scoring::assessment::Assessment;
use crate::scoring::whatif::Analysis;
use crate::scoring::windows::When;

/// Version of the JSON layout. Raised only when a field changes meaning or disappears.
pub const SCHEMA_VERSION: u32 = 3;

/// Everything a rendering shows.
#[derive(schemars::JsonSchema, Debug, Clone, Serialize)]
pub struct Report<'a> {
    pub schema_version: u32,
    pub checklist: ChecklistInfo,
    #[serde(serialize_with = "ordered_pairs")]
    #[schemars(with = "std::collections::BTreeMap<String, String>")]
    pub context: Vec<(String, String)>,
    #[serde(flatten)]
    pub assessment: Rc<Assessment>,
    /// What would change the answer (`what_if[]`, `sensitivity`); absent when not computed
    /// (environments of a large fleet).
    #[serde(flatten)]
    pub analysis: Option<Rc<Analysis>>,
    /// How manifest evidence met the answers (`--evidence`, `--manifests`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<EvidenceUse>,
    /// What a parallel environment needs and how much of it fits, from the cluster dumps
    /// (`--manifests`) and the answers file's `capacity:` block.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capacity: Option<crate::capacity::CapacityReport>,
    /// Upstream end-of-life warnings for the versions and the hop-by-hop calendar. They depend
    /// on the date the report is made.
    pub support_warnings: Vec<SupportWarning>,
    /// The newest release the data knows, with each strategy's figures, when the target is
    /// past its end of life or reaches it before production runs it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub newer_target: Option<newer::NewerTarget>,
    /// The limits every go/no-go gate of the runbook measures against: the answers file's
    /// `gates:` over the checklist's `runbook.gates`.
    pub gates: GateLimits,
    /// The recommended strategy as a runbook: its phases and their steps, gates and points of
    /// no return, the boxes to clear first, the named conflicts and the peak of extra clusters.
    pub runbook: RunbookPlan,
    /// The effective answers by question id, defaults filled in.
    pub answers: BTreeMap<String, AnswerValue>,
    /// Answers that came from the checklist's defaults.
    pub defaulted: Vec<String>,
    /// Answers given to questions that did not apply, and so were ignored.
    pub ignored: Vec<String>,
    /// SHA-256 of the answers file, to trace a report to its input.
    pub answers_sha256: String,
    /// Answers `--set` replaced, with what the file said: the file's hash alone no longer
    /// describes the input when there are any.
    pub overrides: Vec<Override>,
    /// SHA-256 of the effective answers (see [`effective_answers_sha256`]).
    pub effective_answers_sha256: String,
    #[serde(skip)]
    pub source: &'a Checklist,
    /// The dates it was made with.
    #[serde(skip)]
    pub dates: Dates,
}

#[derive(schemars::JsonSchema, Debug, Clone, Serialize)]
pub struct ChecklistInfo {
    pub id: String,
    pub version: String,
    pub title: String,
    /// Whether it is a built-in checklist (`path` is then absent).
    pub builtin: bool,
    /// The checklist file's path as given, for a custom checklist.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// SHA-256 of the checklist's YAML text, to trace a report to the checklist it used.
    pub sha256: String,
}

/// The two dates a report is made with: the day it is made (support windows are judged
/// against it) and the first day of its calendar (`--start`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dates {
    /// The date the report is made.
    pub today: Date,
    /// When the calendar (the timeline chart, the runbook's dates) starts.
    pub start: Date,
}

impl Dates {
    /// What a plan is dated with: `file`'s calendar block from `start`, and the clusters its
    /// capacity measured room for.
    pub fn when(&self, file: &crate::answers::values::AnswersFile) -> When {
        When {
            spec: file.calendar.clone(),
            start: self.start,
            capacity_clusters: file.capacity_clusters(),
        }
    }
}

impl ChecklistInfo {
    /// What a report says of the checklist it was made with.
    pub fn of(checklist: &Checklist) -> Self {
        ChecklistInfo {
            id: checklist.id.clone(),
            version: checklist.version.clone(),
            title: checklist.title.clone(),
            builtin: checklist.origin.path.is_none(),
            path: checklist.origin.path.clone(),
            sha256: checklist.origin.sha256.clone(),
        }
    }
}

impl Report<'_> {
    pub fn strategy_name(&self, strategy: Strategy) -> &str {
        &self.source.strategy_text(strategy).name
    }

    /// The answer to a question as shown to people, with its choice label when it has one.
    pub fn answer_label(&self, id: &str) -> String {
        let Some(value) = self.answers.get(id) else {
            return "-".to_string();
        };
        let text = value.to_string();
        match self.source.question(id).and_then(|q| q.choice(&text)) {
            Some(choice) if !choice.label.eq_ignore_ascii_case(&text) => {
                format!("{text} ({})", choice.label)
            }
            _ => text,
        }
    }
}

/// SHA-256 (lower-case hex) of the effective answers in a canonical form: one compact JSON
/// object, keys (question ids) in byte order, no whitespace, choices and versions as strings
/// (`"1.30"`), whole numbers as numbers. Two reports with the same effective answers carry
/// the same hash, whatever the file looked like and whichever `--set` got them there.
pub fn effective_answers_sha256(answers: &BTreeMap<String, AnswerValue>) -> String {
    let canonical = serde_json::to_string(answers).expect("answers always serialize");
    crate::base::digest::sha256_hex(canonical.as_bytes())
}

pub(crate) fn ordered_pairs<S: Serializer>(
    pairs: &[(String, String)],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(Some(pairs.len()))?;
    for (key, value) in pairs {
        map.serialize_entry(key, value)?;
    }
    map.end()
}
