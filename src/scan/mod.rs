//! Evidence from manifests: removed APIs, disruption readiness, probes, state and autoscaling,
//! read from YAML or JSON the way `kubectl`, Helm and GitOps repositories write it.
//!
//! [`scan`] is pure: it takes file contents and returns findings. Reading folders and standard
//! input is in [`files`].

mod apis;
pub mod evidence;
pub mod files;
pub mod render;

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use serde_yaml::Value;

pub use apis::{ApiTable, Removal};
pub use evidence::{Evidence, EvidenceAnswer};

use crate::version::Version;

/// Version of the scan JSON layout.
pub const SCAN_SCHEMA_VERSION: u32 = 1;

/// A file's text, as read.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as given or found (`<stdin>` for standard input).
    pub path: String,
    pub text: String,
}

/// Something that could not be scanned, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skipped {
    pub path: String,
    /// The document's index in its file, when only that document was skipped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document: Option<usize>,
    pub reason: String,
}

/// The finding rules: stable ids a pipeline can filter on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    RemovedApi,
    UpcomingRemoval,
    NoPdb,
    PdbBlocksEviction,
    SingleReplica,
    NoReadinessProbe,
    NoLivenessProbe,
    Stateful,
    Hpa,
}

impl Rule {
    pub const ALL: [Rule; 9] = [
        Rule::RemovedApi,
        Rule::UpcomingRemoval,
        Rule::NoPdb,
        Rule::PdbBlocksEviction,
        Rule::SingleReplica,
        Rule::NoReadinessProbe,
        Rule::NoLivenessProbe,
        Rule::Stateful,
        Rule::Hpa,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Rule::RemovedApi => "removed-api",
            Rule::UpcomingRemoval => "upcoming-removal",
            Rule::NoPdb => "no-pdb",
            Rule::PdbBlocksEviction => "pdb-blocks-eviction",
            Rule::SingleReplica => "single-replica",
            Rule::NoReadinessProbe => "no-readiness-probe",
            Rule::NoLivenessProbe => "no-liveness-probe",
            Rule::Stateful => "stateful",
            Rule::Hpa => "hpa",
        }
    }

    /// What the rule looks for, in one line.
    pub fn description(self) -> &'static str {
        match self {
            Rule::RemovedApi => {
                "The object uses an API version the target Kubernetes release no longer serves."
            }
            Rule::UpcomingRemoval => {
                "The object uses an API version a release after the target removes."
            }
            Rule::NoPdb => {
                "A workload with more than one replica has no PodDisruptionBudget, so a drain can stop every replica at once."
            }
            Rule::PdbBlocksEviction => {
                "A PodDisruptionBudget allows no disruption at all, so node drains stall."
            }
            Rule::SingleReplica => {
                "A workload runs a single replica, so every drain is an outage for it."
            }
            Rule::NoReadinessProbe => {
                "A container has no readiness probe, so traffic reaches it before it is ready."
            }
            Rule::NoLivenessProbe => {
                "A container has no liveness probe, so a hung process is never restarted."
            }
            Rule::Stateful => "The workload keeps state on persistent volumes.",
            Rule::Hpa => "A HorizontalPodAutoscaler scales the workload.",
        }
    }

    /// How serious a finding is for an upgrade: `error`, `warning` or `note` (SARIF levels).
    pub fn level(self) -> &'static str {
        match self {
            Rule::RemovedApi | Rule::PdbBlocksEviction => "error",
            Rule::UpcomingRemoval | Rule::NoPdb | Rule::SingleReplica | Rule::NoReadinessProbe => {
                "warning"
            }
            Rule::NoLivenessProbe | Rule::Stateful | Rule::Hpa => "note",
        }
    }
}

/// The object a finding is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub rule: Rule,
    pub object: ObjectRef,
    pub file: String,
    /// The document's index in its file (0-based).
    pub document: usize,
    /// The object's line in the file (1-based), as near as can be told.
    pub line: usize,
    pub message: String,
    pub fix: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentCounts {
    /// Kubernetes objects read (items of a `kind: List` count one each).
    pub read: usize,
    /// Documents or files that could not be read.
    pub skipped: usize,
}

/// What a scan found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScanReport {
    pub schema_version: u32,
    /// The Kubernetes version removals are judged against.
    pub target: Version,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current: Option<Version>,
    pub documents: DocumentCounts,
    pub findings: Vec<Finding>,
    pub skipped: Vec<Skipped>,
    pub evidence: Evidence,
    /// Where the removed-API table comes from.
    pub api_source: String,
}

/// What to judge removals against.
#[derive(Debug, Clone, Copy)]
pub struct ScanOptions {
    pub target: Version,
    pub current: Option<Version>,
}

/// One Kubernetes object found in the input.
#[derive(Debug, Clone)]
struct Object {
    api_version: String,
    kind: String,
    namespace: String,
    name: String,
    file: usize,
    document: usize,
    line: usize,
    value: Value,
}

impl Object {
    fn reference(&self) -> ObjectRef {
        ObjectRef {
            kind: self.kind.clone(),
            namespace: self.namespace.clone(),
            name: self.name.clone(),
        }
    }
}

/// Scans file contents. Pure: nothing is read or printed here. Files may come from a slice
/// or one at a time from an iterator, each dropped once its objects are read.
pub fn scan<F: std::borrow::Borrow<SourceFile>>(
    files: impl IntoIterator<Item = F>,
    skipped_on_read: Vec<Skipped>,
    options: ScanOptions,
) -> ScanReport {
    let table = ApiTable::builtin();
    let mut skipped = skipped_on_read;
    let mut objects = Vec::new();
    let mut paths = Vec::new();
    for (index, file) in files.into_iter().enumerate() {
        let file = file.borrow();
        read_objects(index, file, &mut objects, &mut skipped);
        paths.push(file.path.clone());
    }
    let mut findings = Vec::new();
    let finding = |object: &Object, rule: Rule, message: String, fix: String| Finding {
        rule,
        object: object.reference(),
        file: paths[object.file].to_string(),
        document: object.document,
        line: object.line,
        message,
        fix,
    };

    // Removed APIs.
    for object in &objects {
        if let Some(removal) = table.find(&object.api_version, &object.kind) {
            let rule = if removal.removed_in <= options.target {
                Rule::RemovedApi
            } else {
                Rule::UpcomingRemoval
            };
            let already = match options.current {
                Some(current) if removal.removed_in <= current => {
                    " (already removed in the current version)"
                }
                _ => "",
            };
            findings.push(finding(
                object,
                rule,
                format!(
                    "{} {} was removed in Kubernetes {}{already}",
                    object.api_version, object.kind, removal.removed_in
                ),
                format!("use {} for {}", removal.replacement, object.kind),
            ));
        }
    }

    // Workloads, their pod templates, and what covers them.
    let hpas: Vec<&Object> = objects
        .iter()
        .filter(|o| o.kind == "HorizontalPodAutoscaler")
        .collect();
    // PodDisruptionBudgets by namespace, as indexes into `objects`.
    let mut pdbs_by_namespace: HashMap<&str, Vec<usize>> = HashMap::new();
    for (index, object) in objects.iter().enumerate() {
        if object.kind == "PodDisruptionBudget" {
            pdbs_by_namespace
                .entry(object.namespace.as_str())
                .or_default()
                .push(index);
        }
    }
    let mut min_replicas_of: HashMap<(String, String, String), i64> = HashMap::new();
    for hpa in &hpas {
        let target = hpa.value.get("spec").and_then(|s| s.get("scaleTargetRef"));
        let kind = target
            .and_then(|t| t.get("kind"))
            .and_then(Value::as_str)
            .unwrap_or("");
        let name = target
            .and_then(|t| t.get("name"))
            .and_then(Value::as_str)
            .unwrap_or("");
        let min = hpa
            .value
            .get("spec")
            .and_then(|s| s.get("minReplicas"))
            .and_then(Value::as_i64)
            .unwrap_or(1);
        min_replicas_of.insert(
            (hpa.namespace.clone(), kind.to_string(), name.to_string()),
            min,
        );
        findings.push(finding(
            hpa,
            Rule::Hpa,
            format!("scales {kind} {}/{name} from {min} replicas", hpa.namespace),
            "keep it: a new cluster or node pool absorbs load at cut-over only when pods scale by themselves".to_string(),
        ));
    }

    // PDB index -> (why it blocks, the workloads it blocks).
    let mut eviction_blockers: BTreeMap<usize, (String, Vec<String>)> = BTreeMap::new();
    let mut counts = ObjectCounts {
        objects: objects.len(),
        ..ObjectCounts::default()
    };
    for object in &objects {
        let Some(template) = pod_template(object) else {
            continue;
        };
        let labels = template
            .get("metadata")
            .and_then(|m| m.get("labels"))
            .and_then(Value::as_mapping);
        let pod_spec = template.get("spec");
        let replicated = matches!(object.kind.as_str(), "Deployment" | "StatefulSet");
        if replicated {
            let declared = object
                .value
                .get("spec")
                .and_then(|s| s.get("replicas"))
                .and_then(Value::as_i64)
                .unwrap_or(1);
            // An autoscaler owns the replica count: its minimum is what a drain can rely on.
            let key = (
                object.namespace.clone(),
                object.kind.clone(),
                object.name.clone(),
            );
            let replicas = min_replicas_of.get(&key).copied().unwrap_or(declared);
            if replicas > 1 {
                counts.multi_replica += 1;
            }
            let covering: Vec<usize> = pdbs_by_namespace
                .get(object.namespace.as_str())
                .map(|list| {
                    list.iter()
                        .copied()
                        .filter(|&i| selects(&objects[i], labels))
                        .collect()
                })
                .unwrap_or_default();
            if replicas <= 1 {
                findings.push(finding(
                    object,
                    Rule::SingleReplica,
                    format!("runs {replicas} replica; every node drain takes it down"),
                    "run at least two replicas (and spread them across nodes) for anything that must stay up during drains".to_string(),
                ));
            } else if covering.is_empty() {
                findings.push(finding(
                    object,
                    Rule::NoPdb,
                    format!("{replicas} replicas and no PodDisruptionBudget selects its pods"),
                    format!(
                        "add a policy/v1 PodDisruptionBudget in namespace {} whose selector matches the pod labels, e.g. maxUnavailable: 1",
                        object.namespace
                    ),
                ));
            }
            for pdb in covering {
                if let Some(reason) = blocks_eviction(&objects[pdb], replicas) {
                    let blocked = eviction_blockers
                        .entry(pdb)
                        .or_insert_with(|| (reason, Vec::new()));
                    blocked.1.push(format!("{} {}", object.kind, object.name));
                }
            }
        }
        if matches!(
            object.kind.as_str(),
            "Deployment" | "StatefulSet" | "DaemonSet"
        ) {
            counts.workloads += 1;
            counts.containers += containers(pod_spec).len();
            for container in containers(pod_spec) {
                let name = container.get("name").and_then(Value::as_str).unwrap_or("?");
                if container.get("readinessProbe").is_none() {
                    findings.push(finding(
                        object,
                        Rule::NoReadinessProbe,
                        format!("container {name} has no readiness probe"),
                        format!("add a readinessProbe to container {name} so it gets traffic only when ready"),
                    ));
                }
                if container.get("livenessProbe").is_none() {
                    findings.push(finding(
                        object,
                        Rule::NoLivenessProbe,
                        format!("container {name} has no liveness probe"),
                        format!(
                            "add a livenessProbe to container {name} so a hung process is restarted"
                        ),
                    ));
                }
            }
        }
        if let Some(reason) = statefulness(object, pod_spec) {
            findings.push(finding(
                object,
                Rule::Stateful,
                reason,
                "plan how its data moves: replication, backup and restore of its volumes (e.g. Velero), or a downtime window".to_string(),
            ));
        }
    }
    // One finding per PDB, naming the workloads it blocks.
    for (pdb, (reason, workloads)) in eviction_blockers {
        findings.push(finding(
            &objects[pdb],
            Rule::PdbBlocksEviction,
            format!("{reason}, so draining nodes under {} stalls", workloads.join(", ")),
            "allow at least one disruption: maxUnavailable: 1, or a minAvailable below the replica count".to_string(),
        ));
    }

    findings.sort_by(|a, b| {
        (&a.file, a.line, a.rule, &a.message).cmp(&(&b.file, b.line, b.rule, &b.message))
    });
    let evidence = Evidence::from_findings(&findings, &counts, options.target);
    ScanReport {
        schema_version: SCAN_SCHEMA_VERSION,
        target: options.target,
        current: options.current,
        documents: DocumentCounts {
            read: objects.len(),
            skipped: skipped.len(),
        },
        findings,
        skipped,
        evidence,
        api_source: table.source.clone(),
    }
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

/// Reads every object of a file: multi-document YAML, JSON, and `kind: List` dumps.
fn read_objects(
    index: usize,
    file: &SourceFile,
    objects: &mut Vec<Object>,
    skipped: &mut Vec<Skipped>,
) {
    if let Err(problem) = crate::diagnostic::check_nesting(&file.text) {
        skipped.push(Skipped {
            path: file.path.clone(),
            document: None,
            reason: format!(
                "not a manifest: {} (line {})",
                problem.message,
                problem.line.unwrap_or(1)
            ),
        });
        return;
    }
    let starts = document_starts(&file.text);
    for (document, deserializer) in serde_yaml::Deserializer::from_str(&file.text).enumerate() {
        let value = match Value::deserialize(deserializer) {
            Ok(value) => value,
            Err(error) => {
                let problem = crate::diagnostic::from_yaml_error(&error);
                let reason = if problem.message.starts_with("YAML aliases")
                    || problem.message.starts_with("the YAML nests")
                {
                    problem.message
                } else {
                    format!("not valid YAML: {error}")
                };
                skipped.push(Skipped {
                    path: file.path.clone(),
                    document: Some(document),
                    reason,
                });
                // The parser cannot resynchronise after an error; the rest of the file is lost.
                break;
            }
        };
        let start = starts.get(document).copied().unwrap_or(1);
        match &value {
            Value::Null => continue,
            Value::Mapping(_) => {}
            _ => {
                skipped.push(Skipped {
                    path: file.path.clone(),
                    document: Some(document),
                    reason: "not a Kubernetes object (the document is not a mapping)".to_string(),
                });
                continue;
            }
        }
        let kind = value
            .get("kind")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if kind == "List"
            || (kind.ends_with("List") && value.get("items").is_some_and(Value::is_sequence))
        {
            for item in value
                .get("items")
                .and_then(Value::as_sequence)
                .into_iter()
                .flatten()
            {
                push_object(index, file, document, start, item.clone(), objects, skipped);
            }
            continue;
        }
        push_object(index, file, document, start, value, objects, skipped);
    }
}

fn push_object(
    index: usize,
    file: &SourceFile,
    document: usize,
    start: usize,
    value: Value,
    objects: &mut Vec<Object>,
    skipped: &mut Vec<Skipped>,
) {
    let api_version = value.get("apiVersion").and_then(Value::as_str);
    let kind = value.get("kind").and_then(Value::as_str);
    let (Some(api_version), Some(kind)) = (api_version, kind) else {
        skipped.push(Skipped {
            path: file.path.clone(),
            document: Some(document),
            reason: "not a Kubernetes object: no apiVersion or kind".to_string(),
        });
        return;
    };
    let metadata = value.get("metadata");
    let name = metadata
        .and_then(|m| m.get("name").or_else(|| m.get("generateName")))
        .and_then(Value::as_str)
        .unwrap_or("(unnamed)")
        .to_string();
    // Objects without a namespace (Helm templates, most repositories) land in the namespace
    // they are applied to; they are treated as one namespace, `default`.
    let namespace = metadata
        .and_then(|m| m.get("namespace"))
        .and_then(Value::as_str)
        .unwrap_or("default")
        .to_string();
    let after = start.saturating_sub(1);
    let line = crate::diagnostic::find_line_containing(&file.text, &format!("name: {name}"), after)
        .or_else(|| {
            crate::diagnostic::find_line_containing(
                &file.text,
                &format!("\"name\": \"{name}\""),
                after,
            )
        })
        .unwrap_or(start);
    objects.push(Object {
        api_version: api_version.to_string(),
        kind: kind.to_string(),
        namespace,
        name,
        file: index,
        document,
        line,
        value,
    });
}

/// The 1-based first line of each YAML document in `text`: line 1 when content comes before
/// any separator, then the line after each `---`.
fn document_starts(text: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut content_seen = false;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed.starts_with("--- ") {
            starts.push(i + 2);
            content_seen = true;
        } else if !content_seen && !trimmed.is_empty() && !trimmed.starts_with('#') {
            starts.push(1);
            content_seen = true;
        }
    }
    starts
}

/// The pod template of a workload (or the pod itself).
fn pod_template(object: &Object) -> Option<&Value> {
    let spec = object.value.get("spec");
    match object.kind.as_str() {
        "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" | "Job" => spec?.get("template"),
        "CronJob" => spec?.get("jobTemplate")?.get("spec")?.get("template"),
        "Pod" => Some(&object.value),
        _ => None,
    }
}

fn containers(pod_spec: Option<&Value>) -> Vec<&Value> {
    pod_spec
        .and_then(|s| s.get("containers"))
        .and_then(Value::as_sequence)
        .map(|list| list.iter().collect())
        .unwrap_or_default()
}

/// Why the object keeps state, if it does.
fn statefulness(object: &Object, pod_spec: Option<&Value>) -> Option<String> {
    let templates = object
        .value
        .get("spec")
        .and_then(|s| s.get("volumeClaimTemplates"))
        .and_then(Value::as_sequence)
        .map_or(0, Vec::len);
    let claims: Vec<&str> = pod_spec
        .and_then(|s| s.get("volumes"))
        .and_then(Value::as_sequence)
        .into_iter()
        .flatten()
        .filter_map(|v| v.get("persistentVolumeClaim")?.get("claimName")?.as_str())
        .collect();
    match (object.kind.as_str(), templates, claims.is_empty()) {
        ("StatefulSet", n, _) if n > 0 => {
            Some(format!("StatefulSet with {n} volumeClaimTemplate(s)"))
        }
        ("StatefulSet", _, _) => Some("StatefulSet".to_string()),
        (_, _, false) => Some(format!(
            "mounts PersistentVolumeClaim(s) {}",
            claims.join(", ")
        )),
        _ => None,
    }
}

/// Whether a PodDisruptionBudget selects pods with these labels. An empty selector selects
/// every pod in the namespace under policy/v1 and none under policy/v1beta1; a missing one
/// selects none.
fn selects(pdb: &Object, labels: Option<&serde_yaml::Mapping>) -> bool {
    let Some(selector) = pdb.value.get("spec").and_then(|s| s.get("selector")) else {
        return false;
    };
    let match_labels = selector.get("matchLabels").and_then(Value::as_mapping);
    let expressions = selector
        .get("matchExpressions")
        .and_then(Value::as_sequence);
    let empty =
        match_labels.is_none_or(|m| m.is_empty()) && expressions.is_none_or(|e| e.is_empty());
    if empty {
        return pdb.api_version != "policy/v1beta1";
    }
    let label = |key: &str| -> Option<String> {
        labels?.get(key).and_then(|v| match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        })
    };
    let labels_ok = match_labels.into_iter().flatten().all(|(k, v)| {
        let (Some(k), Some(v)) = (
            k.as_str(),
            v.as_str()
                .map(str::to_string)
                .or_else(|| v.as_i64().map(|n| n.to_string())),
        ) else {
            return false;
        };
        label(k).as_deref() == Some(v.as_str())
    });
    let expressions_ok = expressions.into_iter().flatten().all(|e| {
        let key = e.get("key").and_then(Value::as_str).unwrap_or("");
        let values: Vec<&str> = e
            .get("values")
            .and_then(Value::as_sequence)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let actual = label(key);
        match e.get("operator").and_then(Value::as_str).unwrap_or("") {
            "In" => actual.is_some_and(|a| values.contains(&a.as_str())),
            "NotIn" => actual.is_none_or(|a| !values.contains(&a.as_str())),
            "Exists" => actual.is_some(),
            "DoesNotExist" => actual.is_none(),
            _ => false,
        }
    });
    labels_ok && expressions_ok
}

/// Why a PodDisruptionBudget allows no disruption for a workload of `replicas`, if it does not.
fn blocks_eviction(pdb: &Object, replicas: i64) -> Option<String> {
    let spec = pdb.value.get("spec")?;
    if let Some(max) = spec.get("maxUnavailable") {
        return match max {
            Value::Number(n) if n.as_i64() == Some(0) => Some("maxUnavailable is 0".to_string()),
            Value::String(s) if s.trim() == "0%" || s.trim() == "0" => {
                Some(format!("maxUnavailable is {s}"))
            }
            _ => None,
        };
    }
    match spec.get("minAvailable")? {
        Value::Number(n) if n.as_i64().is_some_and(|m| m >= replicas) => Some(format!(
            "minAvailable {n} is not below the {replicas} replicas"
        )),
        Value::String(s) if s.trim() == "100%" => Some("minAvailable is 100%".to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
