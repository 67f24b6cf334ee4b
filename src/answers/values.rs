//! The answers as values: a file's effective answers, its evidence and overrides, a fleet's
//! environments, and the answers of a workshop in progress. Reading and resolving them is in
//! the other files of `answers/`.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::calendar_spec::CalendarSpec;
use crate::checklist::value::AnswerValue;

/// The effective answers for one checklist: every applicable question that has an answer,
/// given or defaulted. Built only by [`Answers::resolve`], so scoring can rely on it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Answers {
    pub(super) values: BTreeMap<String, AnswerValue>,
    /// Ids whose answer came from the user rather than a default.
    pub(super) given: BTreeSet<String>,
    /// Ids the user answered although the question does not apply; their answers are ignored.
    pub(super) ignored: Vec<String>,
}

/// The largest whole-number answer accepted (clusters, clusters per window, changes per
/// window): far above any estate, far below where calendar arithmetic could overflow.
pub const MAX_COUNT: u64 = 100_000;

/// The most environments a fleet file may list: the largest fleet the benchmarks time
/// (about 3 s and under 1 GiB on two cores), far above any estate.
pub const MAX_ENVIRONMENTS: usize = 50_000;

/// The most dump paths one environment may list (`manifests:`).
pub const MAX_MANIFEST_PATHS: usize = crate::capacity::MAX_CLUSTERS;

/// The context key whose value titles reports (the customer or organization).
pub const CONTEXT_SUBJECT: &str = "organization";

/// The context keys that name people: who owns the change (the runbook's sign-off), who
/// approves it (the sign-off) and who decides (the decision record's `deciders`). A list is
/// written as a YAML sequence or comma-separated text.
pub const CONTEXT_CHANGE_OWNER: &str = "change_owner";
pub const CONTEXT_APPROVERS: &str = "approvers";
pub const CONTEXT_DECIDERS: &str = "deciders";

/// An answer that evidence (a manifest scan) gives to a question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceItem {
    pub question: String,
    pub value: AnswerValue,
    /// The counts behind it, in words.
    pub detail: String,
    /// The counts behind it, by name (`single_replica`, `without_pdb`, ...).
    pub counts: BTreeMap<String, u64>,
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

impl EvidenceItem {
    /// What capacity arithmetic says of `question` (the checklist's `spare_capacity`): a copy
    /// that does not fit is proof against `yes`, whatever the dumps missed; any other value
    /// overrules an answer only when the dumps cover every cluster the answers count.
    pub fn of_capacity(
        evidence: &crate::capacity::CapacityEvidence,
        question: &str,
    ) -> EvidenceItem {
        EvidenceItem {
            question: question.to_string(),
            value: AnswerValue::Choice(evidence.value.clone()),
            detail: evidence.arithmetic.clone(),
            counts: BTreeMap::from([("clusters".to_string(), evidence.clusters_seen)]),
            found: evidence.value != "yes",
            absent: "yes".to_string(),
            seen: match evidence.clusters_answered {
                Some(answered) => format!(
                    "the dumps cover {} of {answered} clusters",
                    evidence.clusters_seen
                ),
                None => format!(
                    "the dumps cover {}",
                    crate::base::text::plural(evidence.clusters_seen, "cluster", "clusters")
                ),
            },
            enough: evidence.covers_every_cluster,
        }
    }
}

/// How evidence met the answers file for one question.
#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EvidenceUse {
    pub question: String,
    /// What the file answered, if anything.
    pub answered: Option<AnswerValue>,
    /// What the evidence says.
    pub evidence: AnswerValue,
    pub detail: String,
    /// How much the scan saw, in words.
    pub seen: String,
    /// The counts behind the evidence, by name.
    pub counts: BTreeMap<String, u64>,
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
    /// Answers `--set` replaced, with what the file said.
    pub overrides: Vec<Override>,
    /// The `calendar:` block (for a fleet environment, its own over the top-level one), when
    /// the file has one.
    pub calendar: Option<CalendarSpec>,
    /// The `gates:` block (a fleet's applies to every environment), when the file has one.
    pub gates: Option<GateOverrides>,
    /// Capacity from the cluster dumps (`assess --manifests`) against the `capacity:` block's
    /// room, when a dump has nodes.
    pub capacity: Option<Box<crate::capacity::CapacityReport>>,
}

/// An answer `--set` gave, and what the file (with evidence) had said.
#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Override {
    pub question: String,
    pub value: AnswerValue,
    /// `None` when the file did not answer the question.
    pub file_value: Option<AnswerValue>,
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
    /// The top-level `calendar:` block: for a fleet, the defaults of every environment.
    pub calendar: Option<CalendarSpec>,
    /// The `gates:` block.
    pub gates: Option<GateOverrides>,
    /// The `capacity:` block: the room a parallel environment may use, and prices.
    pub capacity: Option<crate::capacity::spec::CapacitySpec>,
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
    /// Its own `calendar:` block, overriding the top-level one key by key.
    pub calendar: Option<CalendarSpec>,
    /// Its clusters' dumps (`manifests: [PATH, ...]`), as written: relative paths are the
    /// answers file's folder's.
    pub manifests: Vec<String>,
    /// Its own `capacity:` block, in place of the top-level one.
    pub capacity: Option<crate::capacity::spec::CapacitySpec>,
    /// What its own dumps give (filled in by the edge that read them): answers, which win
    /// over the file-wide evidence question by question, and capacity.
    pub evidence: Vec<EvidenceItem>,
    pub capacity_report: Option<Box<crate::capacity::CapacityReport>>,
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
    /// The top-level `calendar:` block (each environment's file has its effective one).
    pub calendar: Option<CalendarSpec>,
}

/// One environment of a fleet: the defaults with its own answers on top, resolved.
#[derive(Debug, Clone)]
pub struct Environment {
    pub name: String,
    pub supervisor: Option<String>,
    pub file: AnswersFile,
}

/// What an answers file's `gates:` block says; each key it leaves out keeps the checklist's.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GateOverrides {
    pub error_rate_increase_pct: Option<f64>,
    pub latency_p99_increase_pct: Option<f64>,
    pub soak_minutes: Option<u32>,
    pub abort_after_minutes: Option<u32>,
    pub traffic_steps: Option<Vec<u32>>,
}

/// The per cents are finite (the reader refuses NaN and infinities), so equality is total.
impl Eq for GateOverrides {}

impl GateOverrides {
    /// These limits over the checklist's `defaults`, key by key.
    pub fn over(
        &self,
        defaults: &crate::checklist::steps::GateLimits,
    ) -> crate::checklist::steps::GateLimits {
        crate::checklist::steps::GateLimits {
            error_rate_increase_pct: self
                .error_rate_increase_pct
                .unwrap_or(defaults.error_rate_increase_pct),
            latency_p99_increase_pct: self
                .latency_p99_increase_pct
                .unwrap_or(defaults.latency_p99_increase_pct),
            soak_minutes: self.soak_minutes.unwrap_or(defaults.soak_minutes),
            abort_after_minutes: self
                .abort_after_minutes
                .unwrap_or(defaults.abort_after_minutes),
            traffic_steps: self
                .traffic_steps
                .clone()
                .unwrap_or_else(|| defaults.traffic_steps.clone()),
        }
    }
}
