//! The scan's shared types: what goes in (files, options), what comes out (findings, the
//! report, its evidence), and the objects the rules read. A leaf: it uses only the rule table.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::rules::Rule;
use crate::kube::version::Version;

/// Version of the scan JSON layout.
pub const SCAN_SCHEMA_VERSION: u32 = 1;

/// A file's text, as read.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as given or found (`<stdin>` for standard input).
    pub path: String,
    /// The name's bytes when it is not UTF-8 (`path` shows it with U+FFFD), so that SARIF
    /// can name the real file.
    pub raw_path: Option<Vec<u8>>,
    pub text: String,
}

/// Something that could not be scanned, and why.
#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skipped {
    pub path: String,
    /// The document's index in its file, when only that document was skipped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document: Option<usize>,
    pub reason: String,
}

/// How many skipped files and documents a scan lists; past this many they are only counted,
/// so that a file of a million broken documents gives a short report.
pub const MAX_SKIPPED_LISTED: usize = 100;

/// What a scan skipped: the first [`MAX_SKIPPED_LISTED`] listed, the rest counted.
#[derive(Debug, Default)]
pub struct Skips {
    listed: Vec<Skipped>,
    more: usize,
}

impl Skips {
    pub fn push(&mut self, skipped: Skipped) {
        if self.listed.len() < MAX_SKIPPED_LISTED {
            self.listed.push(skipped);
        } else {
            self.more += 1;
        }
    }

    /// All that was skipped, listed or not.
    pub fn len(&self) -> usize {
        self.listed.len() + self.more
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// `other`'s skips after these.
    pub fn append(&mut self, other: Skips) {
        for skipped in other.listed {
            self.push(skipped);
        }
        self.more += other.more;
    }

    /// The skips listed, and how many more there were.
    pub fn into_parts(self) -> (Vec<Skipped>, usize) {
        (self.listed, self.more)
    }
}

impl FromIterator<Skipped> for Skips {
    fn from_iter<I: IntoIterator<Item = Skipped>>(iter: I) -> Skips {
        let mut skips = Skips::default();
        for skipped in iter {
            skips.push(skipped);
        }
        skips
    }
}

/// The object a finding is about.
#[derive(
    schemars::JsonSchema, Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize,
)]
pub struct ObjectRef {
    pub kind: String,
    pub namespace: String,
    pub name: String,
}

impl std::fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}/{}", self.kind, self.namespace, self.name)
    }
}

/// The deployed Helm release an object was read from.
#[derive(
    schemars::JsonSchema, Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize,
)]
pub struct HelmSource {
    pub release: String,
    pub namespace: String,
    pub revision: u64,
    /// `NAME-VERSION`, as `helm list` shows it.
    pub chart: String,
    /// The template that rendered the object (Helm's `# Source:` comment).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
}

impl std::fmt::Display for HelmSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "helm: {}/{} rev {}, chart {}",
            self.namespace, self.release, self.revision, self.chart
        )
    }
}

#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub rule: Rule,
    pub object: ObjectRef,
    pub file: String,
    /// The document's index in its file (0-based).
    pub document: usize,
    /// The object's line in the file (1-based), as near as can be told.
    pub line: usize,
    /// The container the finding is about, for findings about one container (probes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container: Option<String>,
    pub message: String,
    pub fix: String,
    /// Set when the object comes from a Helm release record rather than a manifest file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub helm: Option<HelmSource>,
    /// True when the finding is about the object's last-applied configuration (what a
    /// pipeline applies), not the object as the API server serves it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub last_applied: bool,
}

impl Finding {
    /// Where to look: the file and line, and for a Helm release the template that rendered it.
    pub fn place(&self) -> String {
        match self.helm.as_ref().and_then(|h| h.template.as_deref()) {
            Some(template) => format!("{template} ({}:{})", self.file, self.line),
            None => format!("{}:{}", self.file, self.line),
        }
    }
}

/// Something the reader of a scan must know about the scan itself.
#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanWarning {
    /// `api-data-coverage` (the target is newer than the removed-API data) or
    /// `chart-kube-version-unreadable`.
    #[schemars(with = "String")]
    pub kind: ScanWarningKind,
    pub message: String,
}

/// What a [`ScanWarning`] is about, written as its kebab-case name. A report another version
/// wrote may name a kind this one does not know: it is kept as written.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(from = "String")]
pub enum ScanWarningKind {
    /// `api-data-coverage`: the target is newer than the removed-API data.
    ApiDataCoverage,
    /// `api-data-relaxed`: an `--api-data` entry would move a built-in removal later; the
    /// built-in removal stands.
    ApiDataRelaxed,
    /// `chart-kube-version-unreadable`: a chart's kubeVersion is not a constraint Helm reads.
    ChartKubeVersionUnreadable,
    /// A kind read from a report, not one this version writes.
    Other(String),
}

impl ScanWarningKind {
    pub fn as_str(&self) -> &str {
        match self {
            ScanWarningKind::ApiDataCoverage => "api-data-coverage",
            ScanWarningKind::ApiDataRelaxed => "api-data-relaxed",
            ScanWarningKind::ChartKubeVersionUnreadable => "chart-kube-version-unreadable",
            ScanWarningKind::Other(kind) => kind,
        }
    }
}

impl From<String> for ScanWarningKind {
    fn from(kind: String) -> ScanWarningKind {
        match kind.as_str() {
            "api-data-coverage" => ScanWarningKind::ApiDataCoverage,
            "api-data-relaxed" => ScanWarningKind::ApiDataRelaxed,
            "chart-kube-version-unreadable" => ScanWarningKind::ChartKubeVersionUnreadable,
            _ => ScanWarningKind::Other(kind),
        }
    }
}

impl Serialize for ScanWarningKind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[derive(schemars::JsonSchema, Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentCounts {
    /// Kubernetes objects read (items of a `kind: List` count one each).
    pub read: usize,
    /// Documents or files that could not be read.
    pub skipped: usize,
}

/// What a scan found.
#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScanReport {
    pub schema_version: u32,
    /// The Kubernetes version removals are judged against.
    pub target: Version,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current: Option<Version>,
    pub documents: DocumentCounts,
    pub findings: Vec<Finding>,
    /// What could not be read, the first [`MAX_SKIPPED_LISTED`] of them; `documents.skipped`
    /// counts them all.
    pub skipped: Vec<Skipped>,
    /// How many more were skipped than `skipped` lists.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub skipped_not_listed: usize,
    pub evidence: Evidence,
    /// Where the removed-API table comes from.
    pub api_source: String,
    /// The newest Kubernetes release the built-in removed-API data was checked against.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_covers_up_to: Option<Version>,
    /// The `--api-data` files whose removals were added.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub api_data: Vec<String>,
    #[serde(default)]
    pub warnings: Vec<ScanWarning>,
    /// The files whose names are not UTF-8: each name as `file` shows it, and its bytes.
    /// Two such names that show alike are left out (their URIs keep U+FFFD).
    #[serde(skip)]
    #[schemars(skip)]
    pub raw_file_names: BTreeMap<String, Vec<u8>>,
    /// What each file (by its index among the files read) says of capacity: nodes, pods,
    /// controllers and claims, for `crate::capacity`. Not part of the scan's JSON.
    #[serde(skip)]
    #[schemars(skip)]
    pub inventory: BTreeMap<usize, super::inventory::Inventory>,
}

/// How many findings a scan made of each [`Class`](crate::scan::rules::Class).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClassCounts {
    pub removed: usize,
    pub upcoming: usize,
    pub risk: usize,
    pub info: usize,
}

impl ScanReport {
    /// The findings counted by what they mean for a pipeline.
    pub fn class_counts(&self) -> ClassCounts {
        use crate::scan::rules::Class;
        let mut counts = ClassCounts::default();
        for finding in &self.findings {
            match finding.rule.info().class {
                Class::Removed => counts.removed += 1,
                Class::Upcoming => counts.upcoming += 1,
                Class::Risk => counts.risk += 1,
                Class::Info => counts.info += 1,
            }
        }
        counts
    }
}

impl ScanReport {
    /// Lists `first` (what could not be found or read) ahead of what the scan itself
    /// skipped, within the bound, and counts them all.
    pub fn skipped_first(&mut self, mut first: Skips) {
        first.append(Skips {
            listed: std::mem::take(&mut self.skipped),
            more: self.skipped_not_listed,
        });
        self.documents.skipped = first.len();
        (self.skipped, self.skipped_not_listed) = first.into_parts();
    }
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// What to judge removals against.
#[derive(Debug, Clone, Copy)]
pub struct ScanOptions {
    pub target: Version,
    pub current: Option<Version>,
}

/// Counts the evidence needs besides the findings.
#[derive(Debug, Clone, Copy, Default)]
pub struct ObjectCounts {
    pub objects: usize,
    /// Deployments, StatefulSets and DaemonSets.
    pub workloads: usize,
    /// Deployments and StatefulSets with more than one replica (or an HPA minimum above one).
    pub multi_replica: usize,
    /// Containers checked for probes.
    pub containers: usize,
}

/// An answer the evidence supports, and why.
#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceAnswer {
    pub answer: String,
    /// The counts in words, e.g. "3 of 20 multi-replica workloads lack a PodDisruptionBudget".
    pub detail: String,
    pub counts: BTreeMap<String, u64>,
}

/// Evidence answers by concept; a concept without evidence is absent.
#[derive(schemars::JsonSchema, Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecated_apis: Option<EvidenceAnswer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pdbs_and_probes: Option<EvidenceAnswer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stateful_workloads: Option<EvidenceAnswer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_autoscaling: Option<EvidenceAnswer>,
}

impl Evidence {
    /// This evidence, concept by concept, where it speaks; `fallback` where it does not.
    pub fn or(self, fallback: Evidence) -> Evidence {
        Evidence {
            deprecated_apis: self.deprecated_apis.or(fallback.deprecated_apis),
            pdbs_and_probes: self.pdbs_and_probes.or(fallback.pdbs_and_probes),
            stateful_workloads: self.stateful_workloads.or(fallback.stateful_workloads),
            pod_autoscaling: self.pod_autoscaling.or(fallback.pod_autoscaling),
        }
    }

    /// Each concept the scan gives evidence for, by its name, with the answer it gives: the
    /// one list of the four concepts, in the order reports show them.
    pub fn answers(&self) -> Vec<(&'static str, &EvidenceAnswer)> {
        [
            ("deprecated_apis", &self.deprecated_apis),
            ("pdbs_and_probes", &self.pdbs_and_probes),
            ("stateful_workloads", &self.stateful_workloads),
            ("pod_autoscaling", &self.pod_autoscaling),
        ]
        .into_iter()
        .filter_map(|(q, a)| Some((q, a.as_ref()?)))
        .collect()
    }
}

/// One Kubernetes object found in the input, reduced to what the rules read: its document
/// is dropped as soon as this is taken from it.
#[derive(Debug, PartialEq)]
pub(super) struct Object {
    pub(super) api_version: String,
    pub(super) kind: String,
    pub(super) namespace: String,
    pub(super) name: String,
    pub(super) file: usize,
    pub(super) document: usize,
    pub(super) line: usize,
    // Boxed, as are the larger facts: most objects have none, and ten thousands are kept.
    pub(super) helm: Option<Box<HelmSource>>,
    /// The apiVersion and kind of the last-applied configuration, when they differ from the
    /// object's own.
    pub(super) last_applied: Option<(String, String)>,
    /// `NAMESPACE/RELEASE` of the Helm release its `meta.helm.sh` annotations name.
    pub(super) managed_by: Option<String>,
    pub(super) facts: Facts,
}

/// What the rules read of an object, by kind.
#[derive(Debug, PartialEq)]
pub(super) enum Facts {
    /// Nothing beyond the removed-API check.
    None,
    /// An object with a pod template (or a Pod).
    Workload(Box<Workload>),
    Pdb(Box<Pdb>),
    Hpa(Hpa),
}

#[derive(Debug, PartialEq)]
pub(super) struct Workload {
    /// The pod template's labels a selector can match: text, numbers and booleans as text.
    pub(super) labels: Vec<(String, String)>,
    /// `spec.replicas`; 1 when not a number.
    pub(super) replicas: i64,
    pub(super) containers: Vec<Container>,
    /// Why it keeps state, if it does.
    pub(super) stateful: Option<String>,
}

#[derive(Debug, PartialEq)]
pub(super) struct Container {
    pub(super) name: String,
    pub(super) readiness_probe: bool,
    pub(super) liveness_probe: bool,
}

#[derive(Debug, PartialEq)]
pub(super) struct Pdb {
    /// `None` when there is no selector, which selects nothing.
    pub(super) selector: Option<Selector>,
    pub(super) budget: Budget,
}

/// A label selector. An empty one selects every pod in the namespace under policy/v1 and
/// none under policy/v1beta1.
#[derive(Debug, PartialEq)]
pub(super) struct Selector {
    /// `matchLabels`; `None` for a pair that is not text (it matches no pod).
    pub(super) match_labels: Vec<Option<(String, String)>>,
    pub(super) match_expressions: Vec<Expression>,
}

#[derive(Debug, PartialEq)]
pub(super) struct Expression {
    pub(super) key: String,
    pub(super) operator: String,
    pub(super) values: Vec<String>,
}

/// What a PodDisruptionBudget allows.
#[derive(Debug, PartialEq)]
pub(super) enum Budget {
    /// At least one disruption, whatever the replicas.
    Allows,
    /// None, for this reason, whatever the replicas.
    Blocks(String),
    /// An integer `minAvailable`: no disruption unless the replicas exceed it.
    MinAvailable(i64),
}

#[derive(Debug, PartialEq)]
pub(super) struct Hpa {
    pub(super) target_kind: String,
    pub(super) target_name: String,
    pub(super) min_replicas: i64,
}

impl Object {
    pub(super) fn reference(&self) -> ObjectRef {
        ObjectRef {
            kind: self.kind.clone(),
            namespace: self.namespace.clone(),
            name: self.name.clone(),
        }
    }

    /// A finding about this object; `paths` are the scan's files, which `file` indexes. A
    /// release's objects say which release they come from.
    pub(super) fn finding(
        &self,
        paths: &[String],
        rule: Rule,
        message: String,
        fix: String,
    ) -> Finding {
        Finding {
            rule,
            object: self.reference(),
            file: paths[self.file].to_string(),
            document: self.document,
            line: self.line,
            container: None,
            message: match &self.helm {
                Some(helm) => format!("{message} ({helm})"),
                None => message,
            },
            fix,
            helm: self.helm.as_deref().cloned(),
            last_applied: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(text: &str) -> Option<EvidenceAnswer> {
        Some(EvidenceAnswer {
            answer: text.to_string(),
            detail: String::new(),
            counts: Default::default(),
        })
    }

    #[test]
    fn the_preferred_evidence_wins_concept_by_concept() {
        let scanned = Evidence {
            deprecated_apis: answer("remediated"),
            pdbs_and_probes: answer("partly"),
            ..Evidence::default()
        };
        let file = Evidence {
            pdbs_and_probes: answer("yes"),
            pod_autoscaling: answer("no"),
            ..Evidence::default()
        };
        let both = scanned.or(file);
        assert_eq!(both.deprecated_apis, answer("remediated"));
        assert_eq!(both.pdbs_and_probes, answer("partly"));
        assert_eq!(both.stateful_workloads, None);
        assert_eq!(both.pod_autoscaling, answer("no"));
    }

    #[test]
    fn warning_kinds_are_written_and_read_as_their_names() {
        for (kind, name) in [
            (ScanWarningKind::ApiDataCoverage, "api-data-coverage"),
            (ScanWarningKind::ApiDataRelaxed, "api-data-relaxed"),
            (
                ScanWarningKind::ChartKubeVersionUnreadable,
                "chart-kube-version-unreadable",
            ),
        ] {
            assert_eq!(serde_json::to_value(&kind).unwrap(), name);
            assert_eq!(
                serde_json::from_value::<ScanWarningKind>(name.into()).unwrap(),
                kind
            );
        }
        // A kind another version wrote is kept as written.
        let other: ScanWarningKind = serde_json::from_value("later-kind".into()).unwrap();
        assert_eq!(other.as_str(), "later-kind");
        assert_eq!(serde_json::to_value(&other).unwrap(), "later-kind");
    }
}
