//! The report value: everything a rendering shows, built in one pure step from the
//! checklist, the answers file and the decision (assessment, what-if, support windows, the
//! dated schedule and its rollback rules). Renderers in `report/` only read it.

pub mod dating;
pub mod fleet;
pub mod memo;
pub mod newer;
pub mod schedule;
pub mod support;

use std::collections::BTreeMap;
use std::rc::Rc;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::answers::calendar_spec::CalendarSpec;
use crate::answers::values::AnswersFile;
use crate::answers::values::EvidenceUse;
use crate::answers::values::Override;
use crate::base::date::Date;
use crate::checklist::model::Checklist;
use crate::checklist::steps::GateLimits;
use crate::checklist::strategy::Strategy;
use crate::checklist::value::AnswerValue;
use crate::kube::releases::SupportTable;
use crate::plan::support::SupportWarning;
use crate::plan::support::warnings;
use crate::scoring::assess;
use crate::scoring::assessment::Assessment;
use crate::scoring::whatif::Analysis;
use crate::scoring::whatif::analyse;
use crate::scoring::windows::When;
use crate::scoring::windows::window_error::WindowError;

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
    /// What a plan is dated with: `calendar` (an answers file's block) from `start`.
    pub fn when(&self, calendar: Option<&CalendarSpec>) -> When {
        When {
            spec: calendar.cloned(),
            start: self.start,
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
        }
    }
}

impl<'a> Report<'a> {
    /// The whole report for one set of answers: assessment, what-if (when asked for) and
    /// support windows as of `dates.today`, dated on the file's `calendar:` from
    /// `dates.start`. Fails when that calendar cannot date the plans.
    pub fn build(
        checklist: &'a Checklist,
        file: &AnswersFile,
        dates: Dates,
        what_if: bool,
    ) -> Result<Self, WindowError> {
        let when = dates.when(file.calendar.as_ref());
        let assessment = assess(checklist, &file.answers, &when)?;
        let analysis = what_if.then(|| Rc::new(analyse(checklist, &file.answers, &when)));
        let newer = newer::newer_target(checklist, &file.answers, &when, &assessment, dates.today);
        let mut report = Self::build_from(checklist, file, dates, Rc::new(assessment), analysis);
        report.newer_target = newer;
        Ok(report)
    }

    /// Like [`Report::build`], with the assessment and what-if analysis of `file.answers`
    /// already made (a fleet reuses them across environments that share answers).
    pub fn build_from(
        checklist: &'a Checklist,
        file: &AnswersFile,
        dates: Dates,
        assessment: Rc<Assessment>,
        analysis: Option<Rc<Analysis>>,
    ) -> Self {
        let sequential_target = assessment
            .timeline_of(Strategy::Sequential)
            .map_or(dates.start, |t| t.target_date);
        let support_warnings = warnings(
            SupportTable::builtin(),
            assessment.path.from,
            assessment.path.to,
            sequential_target,
            dates.today,
        );
        let answers: BTreeMap<String, AnswerValue> = file.answers.values().clone();
        let effective_answers_sha256 = effective_answers_sha256(&answers);
        let defaulted = answers
            .keys()
            .filter(|id| !file.answers.is_given(id))
            .cloned()
            .collect();
        Report {
            schema_version: SCHEMA_VERSION,
            checklist: ChecklistInfo::of(checklist),
            context: file.context.clone(),
            assessment,
            analysis,
            support_warnings,
            newer_target: None,
            gates: file.gates.as_ref().map_or_else(
                || checklist.runbook.gates.clone(),
                |g| g.over(&checklist.runbook.gates),
            ),
            evidence: file.evidence.clone(),
            answers,
            defaulted,
            ignored: file.answers.ignored().to_vec(),
            answers_sha256: file.sha256.clone(),
            overrides: file.overrides.clone(),
            effective_answers_sha256,
            source: checklist,
            dates,
        }
    }

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
    crate::answers::read::sha256_hex(canonical.as_bytes())
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
