//! Evidence from manifests: removed APIs, disruption readiness, probes, state and autoscaling,
//! read from YAML or JSON the way `kubectl`, Helm and GitOps repositories write it.
//!
//! [`scan`] is pure: it takes file contents and returns findings. Reading folders and standard
//! input is in [`files`].
//!
//! Besides manifests, it reads what is deployed: Helm release records (Secrets and ConfigMaps
//! that Helm 3 stores releases in) and the last-applied configurations in live dumps.

pub mod apis;
pub mod evidence;
pub mod files;
mod helm;
mod prune;
pub mod render;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;

use serde::{Deserialize, Serialize};
use serde_yaml::Value;

pub use apis::{ApiTable, Removal, load_extra as load_api_data};
pub use evidence::{Evidence, EvidenceAnswer};

use crate::kube::version::Version;

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
#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skipped {
    pub path: String,
    /// The document's index in its file, when only that document was skipped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document: Option<usize>,
    pub reason: String,
}

/// The finding rules: stable ids a pipeline can filter on.
#[derive(
    schemars::JsonSchema,
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
)]
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
    ChartKubeVersion,
}

impl Rule {
    pub const ALL: [Rule; 10] = [
        Rule::RemovedApi,
        Rule::UpcomingRemoval,
        Rule::NoPdb,
        Rule::PdbBlocksEviction,
        Rule::SingleReplica,
        Rule::NoReadinessProbe,
        Rule::NoLivenessProbe,
        Rule::Stateful,
        Rule::Hpa,
        Rule::ChartKubeVersion,
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
            Rule::ChartKubeVersion => "chart-kube-version",
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
            Rule::ChartKubeVersion => {
                "A deployed Helm release's chart declares a kubeVersion the target release does not satisfy, so Helm refuses to upgrade it there."
            }
        }
    }

    /// How serious a finding is for an upgrade: `error`, `warning` or `note` (SARIF levels).
    pub fn level(self) -> &'static str {
        match self {
            Rule::RemovedApi | Rule::PdbBlocksEviction | Rule::ChartKubeVersion => "error",
            Rule::UpcomingRemoval | Rule::NoPdb | Rule::SingleReplica | Rule::NoReadinessProbe => {
                "warning"
            }
            Rule::NoLivenessProbe | Rule::Stateful | Rule::Hpa => "note",
        }
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
    pub kind: String,
    pub message: String,
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
    pub skipped: Vec<Skipped>,
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
}

/// What to judge removals against.
#[derive(Debug, Clone, Copy)]
pub struct ScanOptions {
    pub target: Version,
    pub current: Option<Version>,
}

/// One Kubernetes object found in the input, reduced to what the rules read: its document
/// is dropped as soon as this is taken from it.
#[derive(Debug, PartialEq)]
struct Object {
    api_version: String,
    kind: String,
    namespace: String,
    name: String,
    file: usize,
    document: usize,
    line: usize,
    // Boxed, as are the larger facts: most objects have none, and ten thousands are kept.
    helm: Option<Box<HelmSource>>,
    /// The apiVersion and kind of the last-applied configuration, when they differ from the
    /// object's own.
    last_applied: Option<(String, String)>,
    /// `NAMESPACE/RELEASE` of the Helm release its `meta.helm.sh` annotations name.
    managed_by: Option<String>,
    facts: Facts,
}

/// What the rules read of an object, by kind.
#[derive(Debug, PartialEq)]
enum Facts {
    /// Nothing beyond the removed-API check.
    None,
    /// An object with a pod template (or a Pod).
    Workload(Box<Workload>),
    Pdb(Box<Pdb>),
    Hpa(Hpa),
}

#[derive(Debug, PartialEq)]
struct Workload {
    /// The pod template's labels a selector can match: text, numbers and booleans as text.
    labels: Vec<(String, String)>,
    /// `spec.replicas`; 1 when not a number.
    replicas: i64,
    containers: Vec<Container>,
    /// Why it keeps state, if it does.
    stateful: Option<String>,
}

#[derive(Debug, PartialEq)]
struct Container {
    name: String,
    readiness_probe: bool,
    liveness_probe: bool,
}

#[derive(Debug, PartialEq)]
struct Pdb {
    /// `None` when there is no selector, which selects nothing.
    selector: Option<Selector>,
    budget: Budget,
}

/// A label selector. An empty one selects every pod in the namespace under policy/v1 and
/// none under policy/v1beta1.
#[derive(Debug, PartialEq)]
struct Selector {
    /// `matchLabels`; `None` for a pair that is not text (it matches no pod).
    match_labels: Vec<Option<(String, String)>>,
    match_expressions: Vec<Expression>,
}

#[derive(Debug, PartialEq)]
struct Expression {
    key: String,
    operator: String,
    values: Vec<String>,
}

/// What a PodDisruptionBudget allows.
#[derive(Debug, PartialEq)]
enum Budget {
    /// At least one disruption, whatever the replicas.
    Allows,
    /// None, for this reason, whatever the replicas.
    Blocks(String),
    /// An integer `minAvailable`: no disruption unless the replicas exceed it.
    MinAvailable(i64),
}

#[derive(Debug, PartialEq)]
struct Hpa {
    target_kind: String,
    target_name: String,
    min_replicas: i64,
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

/// Scans file contents against the built-in removed-API data. Pure: nothing is read or
/// printed here. Files may come from a slice or one at a time from an iterator, each dropped
/// once its objects are read.
pub fn scan<F: std::borrow::Borrow<SourceFile>>(
    files: impl IntoIterator<Item = F>,
    skipped_on_read: Vec<Skipped>,
    options: ScanOptions,
) -> ScanReport {
    scan_with(files, skipped_on_read, options, &ApiTable::builtin())
}

/// Scans file contents against `table` (the built-in data plus any `--api-data`).
pub fn scan_with<F: std::borrow::Borrow<SourceFile>>(
    files: impl IntoIterator<Item = F>,
    skipped_on_read: Vec<Skipped>,
    options: ScanOptions,
    table: &ApiTable,
) -> ScanReport {
    let mut skipped = skipped_on_read;
    let mut warnings = Vec::new();
    let mut objects = Vec::new();
    let mut releases = Releases::default();
    let mut paths = Vec::new();
    for (index, file) in files.into_iter().enumerate() {
        let file = file.borrow();
        read_objects(index, file, &mut objects, &mut skipped, &mut releases);
        paths.push(file.path.clone());
    }
    let mut deployed = releases.deployed(&paths, &mut skipped);
    for stored in &mut deployed {
        read_release(stored, &mut objects, &mut skipped, &paths);
    }
    let mut findings = Vec::new();
    let finding = |object: &Object, rule: Rule, message: String, fix: String| Finding {
        rule,
        object: object.reference(),
        file: paths[object.file].to_string(),
        document: object.document,
        line: object.line,
        container: None,
        message: match &object.helm {
            Some(helm) => format!("{message} ({helm})"),
            None => message,
        },
        fix,
        helm: object.helm.as_deref().cloned(),
        last_applied: false,
    };

    // Charts that do not admit the target.
    for stored in &deployed {
        let release = &stored.release;
        let Some(constraint) = &release.kube_version else {
            continue;
        };
        let source = stored.source(None);
        match helm::KubeVersion::parse(constraint) {
            Ok(kube_version) if kube_version.admits(options.target) => {}
            Ok(_) => findings.push(Finding {
                container: None,
                rule: Rule::ChartKubeVersion,
                object: ObjectRef {
                    kind: "HelmRelease".to_string(),
                    namespace: release.namespace.clone(),
                    name: release.name.clone(),
                },
                file: paths[stored.file].to_string(),
                document: stored.document,
                line: stored.line,
                message: format!(
                    "the chart declares kubeVersion \"{constraint}\", which Kubernetes {} does not satisfy ({source})",
                    options.target
                ),
                fix: format!(
                    "upgrade the release to a chart version whose kubeVersion admits {} before the cluster upgrade (helm upgrade {} CHART --version VERSION -n {}); on {} Helm refuses to upgrade it",
                    options.target, release.name, release.namespace, options.target
                ),
                helm: Some(source),
                last_applied: false,
            }),
            Err(reason) => warnings.push(ScanWarning {
                kind: "chart-kube-version-unreadable".to_string(),
                message: format!(
                    "{source}: the chart's kubeVersion is not a constraint Helm reads ({reason}); it was not checked against {}",
                    options.target
                ),
            }),
        }
    }

    // Removed APIs, in the objects and in what was last applied to them.
    let already = |removal: &Removal| match options.current {
        Some(current) if removal.removed_in <= current => {
            " (already removed in the current version)"
        }
        _ => "",
    };
    let rule_for = |removal: &Removal| {
        if removal.removed_in <= options.target {
            Rule::RemovedApi
        } else {
            Rule::UpcomingRemoval
        }
    };
    for object in &objects {
        if let Some(removal) = table.find(&object.api_version, &object.kind) {
            findings.push(finding(
                object,
                rule_for(removal),
                format!(
                    "{} {} {}{}",
                    object.api_version,
                    object.kind,
                    removed_in_words(removal),
                    already(removal)
                ),
                format!("use {} for {}", removal.replacement, object.kind),
            ));
        }
        if let Some((api_version, kind)) = &object.last_applied
            && let Some(removal) = table.find(api_version, kind)
        {
            let mut found = finding(
                object,
                rule_for(removal),
                format!(
                    "{api_version} {kind} {}{}, as last applied: the API server shows the object as {}, but what the pipeline applies still uses {api_version}",
                    removed_in_words(removal),
                    already(removal),
                    object.api_version
                ),
                format!(
                    "change the manifest your pipeline applies to {} for {kind}; applying the old one fails once the API is gone",
                    removal.replacement
                ),
            );
            found.last_applied = true;
            findings.push(found);
        }
    }

    // A live object that Helm manages is also in its release's manifest. Its removed APIs
    // were checked in both; everything else is judged once, on the live object, which is
    // what runs.
    let live_managed: HashSet<(String, String, String, String)> = objects
        .iter()
        .filter(|o| o.helm.is_none())
        .filter_map(|o| {
            Some((
                o.managed_by.clone()?,
                o.kind.clone(),
                o.namespace.clone(),
                o.name.clone(),
            ))
        })
        .collect();
    if !live_managed.is_empty() {
        objects.retain(|o| {
            o.helm.as_ref().is_none_or(|h| {
                !live_managed.contains(&(
                    format!("{}/{}", h.namespace, h.release),
                    o.kind.clone(),
                    o.namespace.clone(),
                    o.name.clone(),
                ))
            })
        });
    }

    // Workloads, their pod templates, and what covers them.
    let hpas: Vec<(&Object, &Hpa)> = objects
        .iter()
        .filter_map(|o| match &o.facts {
            Facts::Hpa(hpa) => Some((o, hpa)),
            _ => None,
        })
        .collect();
    // PodDisruptionBudgets by namespace, as indexes into `objects`.
    let mut pdbs_by_namespace: HashMap<&str, Vec<usize>> = HashMap::new();
    for (index, object) in objects.iter().enumerate() {
        if let Facts::Pdb(_) = object.facts {
            pdbs_by_namespace
                .entry(object.namespace.as_str())
                .or_default()
                .push(index);
        }
    }
    let mut min_replicas_of: HashMap<(String, String, String), i64> = HashMap::new();
    for (hpa, facts) in &hpas {
        let (kind, name, min) = (&facts.target_kind, &facts.target_name, facts.min_replicas);
        min_replicas_of.insert((hpa.namespace.clone(), kind.clone(), name.clone()), min);
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
        let Facts::Workload(workload) = &object.facts else {
            continue;
        };
        let replicated = matches!(object.kind.as_str(), "Deployment" | "StatefulSet");
        if replicated {
            let declared = workload.replicas;
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
                        .filter(|&i| selects(&objects[i], &workload.labels))
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
            counts.containers += workload.containers.len();
            for container in &workload.containers {
                let name = &container.name;
                if !container.readiness_probe {
                    findings.push(Finding {
                        container: Some(name.to_string()),
                        ..finding(
                        object,
                        Rule::NoReadinessProbe,
                        format!("container {name} has no readiness probe"),
                        format!("add a readinessProbe to container {name} so it gets traffic only when ready"),
                    )});
                }
                if !container.liveness_probe {
                    findings.push(Finding {
                        container: Some(name.to_string()),
                        ..finding(
                        object,
                        Rule::NoLivenessProbe,
                        format!("container {name} has no liveness probe"),
                        format!(
                            "add a livenessProbe to container {name} so a hung process is restarted"
                        ),
                    )});
                }
            }
        }
        if let Some(reason) = &workload.stateful {
            findings.push(finding(
                object,
                Rule::Stateful,
                reason.clone(),
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
    if let Some(message) = table.coverage_warning(options.target) {
        warnings.insert(
            0,
            ScanWarning {
                kind: "api-data-coverage".to_string(),
                message,
            },
        );
    }
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
        api_covers_up_to: Some(table.covers_up_to),
        api_data: table.extra_files.clone(),
        warnings,
    }
}

/// "was removed in Kubernetes 1.22", naming the component and data file of a team's removal.
fn removed_in_words(removal: &Removal) -> String {
    match (&removal.component, &removal.data_file) {
        (Some(component), Some(file)) => format!(
            "is gone by Kubernetes {} ({component}, per {file})",
            removal.removed_in
        ),
        (Some(component), None) => {
            format!("is gone by Kubernetes {} ({component})", removal.removed_in)
        }
        (None, Some(file)) => format!(
            "was removed in Kubernetes {} (per {file})",
            removal.removed_in
        ),
        (None, None) => format!("was removed in Kubernetes {}", removal.removed_in),
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

/// Reads every object of a file: multi-document YAML, JSON, and `kind: List` dumps. Helm
/// release records go to `releases` instead of `objects`.
fn read_objects(
    index: usize,
    file: &SourceFile,
    objects: &mut Vec<Object>,
    skipped: &mut Vec<Skipped>,
    releases: &mut Releases,
) {
    if let Err(problem) = crate::base::diagnostic::check_nesting(&file.text) {
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
    let mut lines = LineCursor::new(&file.text);
    for_each_value(
        &prune::OBJECT,
        &file.text,
        |value| -> Result<Reading, String> {
            Ok(match helm::record_storage(&value) {
                Some(storage) => Reading::Record(value, storage),
                None => Reading::Object {
                    object: object_of(&value, "default")?,
                    named: metadata_name(&value).is_some(),
                },
            })
        },
        |document, range, reading| match reading? {
            Reading::Record(value, storage) => {
                let line = lines.object_line(document, range, metadata_name(&value));
                releases.add(index, document, line, &value, storage)
            }
            Reading::Object { mut object, named } => {
                object.file = index;
                object.document = document;
                object.line = lines.object_line(document, range, named.then_some(&object.name));
                objects.push(object);
                Ok(())
            }
        },
        |document, reason| {
            skipped.push(Skipped {
                path: file.path.clone(),
                document,
                reason,
            })
        },
    );
}

/// A document or list item of a file, reduced as it is read.
// Objects are kept by value: nearly every reading is one, and each becomes an `Object` in the
// scan's list anyway.
#[allow(clippy::large_enum_variant)]
enum Reading {
    /// A Helm release record, kept until its release is decoded.
    Record(Value, helm::Storage),
    /// An object; `named` when its line can be found by its name.
    Object { object: Object, named: bool },
}

/// Calls `on_value` for each mapping of a YAML stream, each item of a List counting as one,
/// with its document, its lines as far as they are known (a document's, or a List item's when
/// the text shows where items start; open-ended at the end) and what `reduce` makes of it; what cannot be read goes to `on_skip` with its document
/// index and reason. The values `reduce` gets hold what `shape` keeps ([`prune::OBJECT`]: what
/// the scan reads; the rest of each document is never built), and the items of a List are
/// reduced one by one as they are read, so a dump is never held whole.
fn for_each_value<T>(
    shape: &'static prune::Shape,
    text: &str,
    mut reduce: impl FnMut(Value) -> T,
    mut on_value: impl FnMut(usize, Range<usize>, T) -> Result<(), String>,
    mut on_skip: impl FnMut(Option<usize>, String),
) {
    let starts = document_starts(text);
    let mut keys = prune::Keys::new();
    for (document, deserializer) in serde_yaml::Deserializer::from_str(text).enumerate() {
        // The items of what may turn out to be a List (`kind` can come after `items`).
        let mut items = Vec::new();
        let read = {
            let mut sink = |item: Value| items.push(reduce(item));
            let prune = prune::Prune {
                shape,
                keys: &mut keys,
                items: Some(&mut sink),
            };
            serde::de::DeserializeSeed::deserialize(prune, deserializer)
        };
        let value = match read {
            Ok(value) => value,
            Err(error) => {
                let problem = crate::base::diagnostic::from_yaml_error(&error);
                let reason = if problem.message.starts_with("YAML aliases")
                    || problem.message.starts_with("the YAML nests")
                {
                    problem.message
                } else {
                    format!("not valid YAML: {error}")
                };
                on_skip(Some(document), reason);
                // The parser cannot resynchronise after an error; the rest of the file is lost.
                break;
            }
        };
        let start = starts.get(document).copied().unwrap_or(1);
        let end = starts.get(document + 1).copied().unwrap_or(usize::MAX);
        match &value {
            Value::Null => continue,
            Value::Mapping(_) => {}
            _ => {
                on_skip(
                    Some(document),
                    "not a Kubernetes object (the document is not a mapping)".to_string(),
                );
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
            let Value::Mapping(mut map) = value else {
                continue;
            };
            // Items come reduced already, or (when `shape` keeps them) are moved out, not
            // copied. A tagged sequence of items is not read.
            let whole = match map.remove("items") {
                Some(Value::Sequence(whole)) => whole,
                _ => {
                    items.clear();
                    Vec::new()
                }
            };
            // Each item's own first line, when the text shows them all.
            let mut item_lines = item_starts(text, start);
            if item_lines.len() != items.len() + whole.len() {
                item_lines.clear();
            }
            let items = items.into_iter().chain(whole.into_iter().map(&mut reduce));
            for (index, item) in items.enumerate() {
                let lines = match item_lines.get(index) {
                    Some(&first) => first..item_lines.get(index + 1).copied().unwrap_or(end),
                    None => start..end,
                };
                if let Err(reason) = on_value(document, lines, item) {
                    on_skip(Some(document), reason);
                }
            }
            continue;
        }
        if let Err(reason) = on_value(document, start..end, reduce(value)) {
            on_skip(Some(document), reason);
        }
    }
}

/// The annotation `kubectl apply` keeps the applied configuration in.
const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// A Kubernetes object from a parsed value, reduced to what the rules read; its place (file,
/// document, line) is the caller's to fill in. Objects without a namespace land in
/// `namespace`.
fn object_of(value: &Value, namespace: &str) -> Result<Object, String> {
    let api_version = value.get("apiVersion").and_then(Value::as_str);
    let kind = value.get("kind").and_then(Value::as_str);
    let (Some(api_version), Some(kind)) = (api_version, kind) else {
        return Err("not a Kubernetes object: no apiVersion or kind".to_string());
    };
    let metadata = value.get("metadata");
    let name = metadata_name(value).unwrap_or("(unnamed)").to_string();
    // Objects without a namespace (Helm templates, most repositories) land in the namespace
    // they are applied to; for files that is treated as one namespace, `default`.
    let namespace = metadata
        .and_then(|m| m.get("namespace"))
        .and_then(Value::as_str)
        .unwrap_or(namespace)
        .to_string();
    let last_applied = metadata
        .and_then(|m| m.get("annotations"))
        .and_then(|a| a.get(LAST_APPLIED))
        .and_then(Value::as_str)
        .and_then(|text| last_applied_api(text, kind))
        .filter(|(applied, _)| applied != api_version);
    let managed_by = metadata
        .and_then(|m| m.get("annotations"))
        .and_then(|annotations| {
            let release = annotations.get("meta.helm.sh/release-name")?.as_str()?;
            let release_namespace = annotations
                .get("meta.helm.sh/release-namespace")
                .and_then(Value::as_str)
                .unwrap_or(&namespace);
            Some(format!("{release_namespace}/{release}"))
        });
    let facts = match kind {
        "HorizontalPodAutoscaler" => Facts::Hpa(hpa_of(value)),
        "PodDisruptionBudget" => Facts::Pdb(Box::new(pdb_of(value))),
        _ => pod_template(kind, value).map_or(Facts::None, |template| {
            Facts::Workload(Box::new(workload_of(kind, value, template)))
        }),
    };
    Ok(Object {
        api_version: api_version.to_string(),
        kind: kind.to_string(),
        namespace,
        name,
        file: 0,
        document: 0,
        line: 1,
        helm: None,
        last_applied,
        managed_by,
        facts,
    })
}

/// What a HorizontalPodAutoscaler scales, and from how many replicas.
fn hpa_of(value: &Value) -> Hpa {
    let spec = value.get("spec");
    let target = spec.and_then(|s| s.get("scaleTargetRef"));
    let text = |key: &str| {
        target
            .and_then(|t| t.get(key))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    Hpa {
        target_kind: text("kind"),
        target_name: text("name"),
        min_replicas: spec
            .and_then(|s| s.get("minReplicas"))
            .and_then(Value::as_i64)
            .unwrap_or(1),
    }
}

/// A workload's pod labels, replicas, containers and state.
fn workload_of(kind: &str, value: &Value, template: &Value) -> Workload {
    let labels = template
        .get("metadata")
        .and_then(|m| m.get("labels"))
        .and_then(Value::as_mapping)
        .into_iter()
        .flatten()
        .filter_map(|(key, label)| {
            // Only text keys are found by name; a selector reads numbers and booleans as text.
            let Value::String(key) = key else {
                return None;
            };
            let label = match label {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                _ => return None,
            };
            Some((key.clone(), label))
        })
        .collect();
    let pod_spec = template.get("spec");
    let containers = pod_spec
        .and_then(|s| s.get("containers"))
        .and_then(Value::as_sequence)
        .into_iter()
        .flatten()
        .map(|container| Container {
            name: container
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("?")
                .to_string(),
            readiness_probe: container.get("readinessProbe").is_some(),
            liveness_probe: container.get("livenessProbe").is_some(),
        })
        .collect();
    Workload {
        labels,
        replicas: value
            .get("spec")
            .and_then(|s| s.get("replicas"))
            .and_then(Value::as_i64)
            .unwrap_or(1),
        containers,
        stateful: statefulness(kind, value, pod_spec),
    }
}

/// A PodDisruptionBudget's selector and what it allows.
fn pdb_of(value: &Value) -> Pdb {
    let spec = value.get("spec");
    let selector = spec.and_then(|s| s.get("selector")).map(|selector| {
        let match_labels = selector
            .get("matchLabels")
            .and_then(Value::as_mapping)
            .into_iter()
            .flatten()
            .map(|(k, v)| {
                let value = v
                    .as_str()
                    .map(str::to_string)
                    .or_else(|| v.as_i64().map(|n| n.to_string()))?;
                Some((k.as_str()?.to_string(), value))
            })
            .collect();
        let match_expressions = selector
            .get("matchExpressions")
            .and_then(Value::as_sequence)
            .into_iter()
            .flatten()
            .map(|e| Expression {
                key: e
                    .get("key")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                operator: e
                    .get("operator")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                values: e
                    .get("values")
                    .and_then(Value::as_sequence)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect(),
            })
            .collect();
        Selector {
            match_labels,
            match_expressions,
        }
    });
    Pdb {
        selector,
        budget: budget(spec),
    }
}

/// What a PodDisruptionBudget's spec allows.
fn budget(spec: Option<&Value>) -> Budget {
    let Some(spec) = spec else {
        return Budget::Allows;
    };
    if let Some(max) = spec.get("maxUnavailable") {
        return match max {
            Value::Number(n) if n.as_i64() == Some(0) => {
                Budget::Blocks("maxUnavailable is 0".to_string())
            }
            Value::String(s) if s.trim() == "0%" || s.trim() == "0" => {
                Budget::Blocks(format!("maxUnavailable is {s}"))
            }
            _ => Budget::Allows,
        };
    }
    match spec.get("minAvailable") {
        Some(Value::Number(n)) => n.as_i64().map_or(Budget::Allows, Budget::MinAvailable),
        Some(Value::String(s)) if s.trim() == "100%" => {
            Budget::Blocks("minAvailable is 100%".to_string())
        }
        _ => Budget::Allows,
    }
}

/// An object's `metadata.name`, else its `generateName`.
fn metadata_name(value: &Value) -> Option<&str> {
    value
        .get("metadata")
        .and_then(|m| m.get("name").or_else(|| m.get("generateName")))
        .and_then(Value::as_str)
}

/// The apiVersion and kind of a last-applied configuration (JSON); `None` when unreadable.
fn last_applied_api(text: &str, kind: &str) -> Option<(String, String)> {
    #[derive(Deserialize)]
    struct Applied {
        #[serde(rename = "apiVersion")]
        api_version: Option<String>,
        kind: Option<String>,
    }
    let applied: Applied = serde_json::from_str(text).ok()?;
    Some((
        applied.api_version?,
        applied.kind.unwrap_or_else(|| kind.to_string()),
    ))
}

/// Finds objects' lines in one file in a single forward pass: each search starts where the
/// last one in the same document ended (so the items of a `kind: List` each find their own
/// line), or at the start of a new document. A file of thousands of objects costs one walk
/// over its text, not one per object.
struct LineCursor<'t> {
    text: &'t str,
    /// Byte offset of the start of line `line`.
    offset: usize,
    /// 1-based.
    line: usize,
    /// The document the cursor is in, once a search has run.
    document: Option<usize>,
}

impl<'t> LineCursor<'t> {
    fn new(text: &'t str) -> LineCursor<'t> {
        LineCursor {
            text,
            offset: 0,
            line: 1,
            document: None,
        }
    }

    /// Moves to the start of 1-based `line` (back to the top first if it lies behind).
    fn seek(&mut self, line: usize) {
        if line < self.line {
            (self.offset, self.line) = (0, 1);
        }
        while self.line < line {
            match self.text[self.offset..].find('\n') {
                Some(end) => {
                    self.offset += end + 1;
                    self.line += 1;
                }
                None => break,
            }
        }
    }

    /// The line of an object of `document` (whose first line is `start`): the first line
    /// holding its `name: ...` (or JSON `"name": "..."`) at or after where the search stands,
    /// else (and for an object without a name) the document's start.
    ///
    /// The search ends where the object's lines do (`lines.end`: the next document or list
    /// item), so an object whose name is written otherwise is placed at its own start, not at
    /// a later object's line, and a file of such objects is still read in one pass.
    fn object_line(&mut self, document: usize, lines: Range<usize>, name: Option<&str>) -> usize {
        let start = lines.start;
        if self.document != Some(document) || self.line < start {
            self.seek(start);
            self.document = Some(document);
        }
        let Some(name) = name else {
            return start;
        };
        let (mut offset, mut line) = (self.offset, self.line);
        for text in self.text[offset..].split('\n') {
            if line >= lines.end {
                break;
            }
            let next = (offset + text.len() + 1).min(self.text.len());
            if holds_name(text, name) {
                (self.offset, self.line) = (next, line + 1);
                return line;
            }
            (offset, line) = (next, line + 1);
        }
        start
    }
}

/// Whether a line holds `name: NAME` (also quoted) or JSON's `"name": "NAME"`.
fn holds_name(line: &str, name: &str) -> bool {
    line.match_indices("name").any(|(at, _)| {
        let after = &line[at + "name".len()..];
        if let Some(value) = after.strip_prefix(": ") {
            let unquoted = value.trim_start_matches(['"', '\'']);
            return unquoted.starts_with(name)
                && (value.len() - unquoted.len() < 2)
                && (value.len() == unquoted.len()
                    || unquoted[name.len()..].starts_with(&value[..1]));
        }
        line[..at].ends_with('"')
            && after
                .strip_prefix("\": \"")
                .and_then(|value| value.strip_prefix(name))
                .is_some_and(|rest| rest.starts_with('"'))
    })
}

/// A deployed release and where its record is.
#[derive(Debug)]
struct StoredRelease {
    release: helm::Release,
    file: usize,
    document: usize,
    line: usize,
}

impl StoredRelease {
    fn source(&self, template: Option<String>) -> HelmSource {
        HelmSource {
            release: self.release.name.clone(),
            namespace: self.release.namespace.clone(),
            revision: self.release.revision,
            chart: self.release.chart.clone(),
            template,
        }
    }
}

/// What was seen of one release: the newest deployed revision (the only one whose manifest
/// is kept) and the newest revision of any status.
#[derive(Debug)]
struct ReleaseSeen {
    deployed: Option<StoredRelease>,
    newest: (u64, String, usize),
}

/// Helm releases by namespace and name, gathered while files are read.
#[derive(Debug, Default)]
struct Releases {
    by_name: BTreeMap<(String, String), ReleaseSeen>,
}

impl Releases {
    /// Decodes a record and keeps it when it is the newest deployed revision so far.
    fn add(
        &mut self,
        file: usize,
        document: usize,
        line: usize,
        value: &Value,
        storage: helm::Storage,
    ) -> Result<(), String> {
        let record = value
            .get("metadata")
            .and_then(|m| m.get("name"))
            .and_then(Value::as_str)
            .unwrap_or("(unnamed)");
        let release = helm::decode(value, storage)
            .map_err(|reason| format!("Helm release record {record} (line {line}): {reason}"))?;
        let key = (release.namespace.clone(), release.name.clone());
        let seen = self.by_name.entry(key).or_insert_with(|| ReleaseSeen {
            deployed: None,
            newest: (0, String::new(), file),
        });
        if release.revision >= seen.newest.0 {
            seen.newest = (release.revision, release.status.clone(), file);
        }
        let newer = seen
            .deployed
            .as_ref()
            .is_none_or(|d| release.revision > d.release.revision);
        if release.status == "deployed" && newer {
            seen.deployed = Some(StoredRelease {
                release,
                file,
                document,
                line,
            });
        }
        Ok(())
    }

    /// The deployed revision of each release; a release without one is reported as skipped.
    fn deployed(self, paths: &[String], skipped: &mut Vec<Skipped>) -> Vec<StoredRelease> {
        let mut out = Vec::new();
        for ((namespace, name), seen) in self.by_name {
            match seen.deployed {
                Some(stored) => out.push(stored),
                None => {
                    let (revision, status, file) = seen.newest;
                    skipped.push(Skipped {
                        path: paths[file].clone(),
                        document: None,
                        reason: format!(
                            "Helm release {namespace}/{name} has no deployed revision (the newest, rev {revision}, is {status}); nothing of it runs to scan"
                        ),
                    });
                }
            }
        }
        out
    }
}

/// Reads a deployed release's manifest; its objects take the record's place in the dump and
/// the release's namespace, and remember the template that rendered them.
fn read_release(
    stored: &mut StoredRelease,
    objects: &mut Vec<Object>,
    skipped: &mut Vec<Skipped>,
    paths: &[String],
) {
    // The manifest is read once, here; only the release's names stay for the findings.
    let manifest = std::mem::take(&mut stored.release.manifest);
    let text = &manifest;
    let stored = &*stored;
    let label = stored.source(None).to_string();
    let path = &paths[stored.file];
    if let Err(problem) = crate::base::diagnostic::check_nesting(text) {
        skipped.push(Skipped {
            path: path.clone(),
            document: Some(stored.document),
            reason: format!(
                "{label}: the manifest is not YAML to scan: {}",
                problem.message
            ),
        });
        return;
    }
    let sources = document_sources(text);
    for_each_value(
        &prune::OBJECT,
        text,
        |value| object_of(&value, &stored.release.namespace),
        |document, _, object| {
            let mut object = object?;
            object.file = stored.file;
            object.document = stored.document;
            object.line = stored.line;
            object.helm = Some(Box::new(
                stored.source(sources.get(document).cloned().flatten()),
            ));
            objects.push(object);
            Ok(())
        },
        |_, reason| {
            skipped.push(Skipped {
                path: path.clone(),
                document: Some(stored.document),
                reason: format!("{label}: {reason}"),
            })
        },
    );
}

/// Helm's `# Source: chart/templates/x.yaml` comment of each document, in one pass, aligned
/// with [`document_starts`].
fn document_sources(text: &str) -> Vec<Option<String>> {
    let mut sources: Vec<Option<String>> = Vec::new();
    let mut content_seen = false;
    let mut before_first = None;
    for line in text.lines() {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed.starts_with("--- ") {
            sources.push(None);
            content_seen = true;
        } else if let Some(source) = trimmed.strip_prefix("# Source: ") {
            let source = Some(source.trim().to_string());
            match sources.last_mut() {
                Some(slot) if content_seen => {
                    if slot.is_none() {
                        *slot = source;
                    }
                }
                _ => before_first = before_first.or(source),
            }
        } else if !content_seen && !trimmed.is_empty() && !trimmed.starts_with('#') {
            sources.push(before_first.take());
            content_seen = true;
        }
    }
    sources
}

/// The 1-based first line of each item of the List document that starts at line `start`, as
/// far as the text shows them: block YAML (`- ` entries under a line `items:`, as `kubectl -o
/// yaml` writes them) or JSON (`{` lines under a line ending in `"items": [`, as `kubectl -o
/// json` writes them). The caller checks the count against the items read; any other layout
/// (flow style, one-line JSON) gives what it gives, usually nothing.
fn item_starts(text: &str, start: usize) -> Vec<usize> {
    let separator = |line: &str| {
        let trimmed = line.trim_end();
        trimmed == "---" || trimmed.starts_with("--- ")
    };
    let mut lines = text
        .lines()
        .enumerate()
        .skip(start.saturating_sub(1))
        .map(|(i, line)| (i + 1, line));
    let mut json = None;
    for (_, line) in lines.by_ref() {
        let trimmed = line.trim();
        if separator(line) {
            break;
        } else if trimmed == "items:" {
            json = Some(false);
            break;
        } else if trimmed.ends_with("\"items\": [") || trimmed.ends_with("\"items\":[") {
            json = Some(true);
            break;
        }
    }
    let Some(json) = json else {
        return Vec::new();
    };
    let mut starts = Vec::new();
    let mut item_indent = None;
    for (number, line) in lines {
        let trimmed = line.trim_start();
        if separator(line) {
            break;
        }
        if trimmed.is_empty() || (!json && trimmed.starts_with('#')) {
            continue;
        }
        let indent = line.len() - trimmed.len();
        let opens = if json {
            trimmed.starts_with('{')
        } else {
            trimmed == "-" || trimmed.starts_with("- ")
        };
        match item_indent {
            None if opens => {
                item_indent = Some(indent);
                starts.push(number);
            }
            Some(at) if indent == at && opens => starts.push(number),
            Some(at) if indent > at || (indent == at && json && trimmed.starts_with('}')) => {}
            _ => break,
        }
    }
    starts
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
fn pod_template<'v>(kind: &str, value: &'v Value) -> Option<&'v Value> {
    let spec = value.get("spec");
    match kind {
        "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" | "Job" => spec?.get("template"),
        "CronJob" => spec?.get("jobTemplate")?.get("spec")?.get("template"),
        "Pod" => Some(value),
        _ => None,
    }
}

/// Why the object keeps state, if it does.
fn statefulness(kind: &str, value: &Value, pod_spec: Option<&Value>) -> Option<String> {
    let templates = value
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
    match (kind, templates, claims.is_empty()) {
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
fn selects(pdb: &Object, labels: &[(String, String)]) -> bool {
    let Facts::Pdb(facts) = &pdb.facts else {
        return false;
    };
    let Some(selector) = &facts.selector else {
        return false;
    };
    if selector.match_labels.is_empty() && selector.match_expressions.is_empty() {
        return pdb.api_version != "policy/v1beta1";
    }
    let label = |key: &str| {
        labels
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    let labels_ok = selector.match_labels.iter().all(|pair| {
        pair.as_ref()
            .is_some_and(|(k, v)| label(k) == Some(v.as_str()))
    });
    let expressions_ok = selector.match_expressions.iter().all(|e| {
        let actual = label(&e.key);
        let listed = |a: &str| e.values.iter().any(|v| v == a);
        match e.operator.as_str() {
            "In" => actual.is_some_and(listed),
            "NotIn" => actual.is_none_or(|a| !listed(a)),
            "Exists" => actual.is_some(),
            "DoesNotExist" => actual.is_none(),
            _ => false,
        }
    });
    labels_ok && expressions_ok
}

/// Why a PodDisruptionBudget allows no disruption for a workload of `replicas`, if it does not.
fn blocks_eviction(pdb: &Object, replicas: i64) -> Option<String> {
    let Facts::Pdb(facts) = &pdb.facts else {
        return None;
    };
    match &facts.budget {
        Budget::Allows => None,
        Budget::Blocks(reason) => Some(reason.clone()),
        Budget::MinAvailable(min) if *min >= replicas => Some(format!(
            "minAvailable {min} is not below the {replicas} replicas"
        )),
        Budget::MinAvailable(_) => None,
    }
}

#[cfg(test)]
mod tests;
