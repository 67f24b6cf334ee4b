//! What a cluster has and what it asks for, read from a dump for the capacity arithmetic
//! (`crate::capacity`): its nodes, its pods, the controllers that would make pods, and its
//! volume claims. Quantities are exact (milli-cores, bytes); a quantity that cannot be read
//! counts as none and is said.

use serde_yaml::Value;

use super::inventory_node::{
    Node, Resources, Taint, clamp, field, node_of, pairs, quantity_at, resources_of,
};

/// The most unreadable quantities named (the rest are counted), so a hostile dump of a
/// million bad quantities gives a short report.
pub const MAX_UNREADABLE_LISTED: usize = 5;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Toleration {
    /// Empty with `Exists`: tolerates every taint.
    pub key: String,
    /// `Equal` (the default) or `Exists`.
    pub operator: String,
    pub value: String,
    /// Empty: every effect.
    pub effect: String,
}

impl Toleration {
    pub fn tolerates(&self, taint: &Taint) -> bool {
        let effect = self.effect.is_empty() || self.effect == taint.effect;
        let key = self.key.is_empty() || self.key == taint.key;
        let value = self.operator == "Exists" || self.value == taint.value;
        effect && key && value
    }
}

/// What one pod asks for, by the scheduler's rules: the larger of its containers together
/// (sidecars included) and its init containers one at a time, plus the pod overhead.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PodNeeds {
    pub requests: Resources,
    /// Containers that request neither CPU nor memory (their use is not counted).
    pub without_requests: u64,
    pub containers: u64,
    pub tolerations: Vec<Toleration>,
    pub node_selector: Vec<(String, String)>,
}

impl PodNeeds {
    /// Whether a pod with these needs may run on `node` (taints that keep pods off, and the
    /// node selector; affinity is not read).
    pub fn fits_on(&self, node: &Node) -> bool {
        let tolerated = node
            .taints
            .iter()
            .filter(|t| t.effect == "NoSchedule" || t.effect == "NoExecute")
            .all(|t| self.tolerations.iter().any(|tol| tol.tolerates(t)));
        let selected = self
            .node_selector
            .iter()
            .all(|pair| node.labels.contains(pair));
        tolerated && selected
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Pod {
    pub namespace: String,
    pub name: String,
    /// `spec.nodeName`: where it is scheduled.
    pub node: Option<String>,
    /// `status.phase`; `None` in a manifest.
    pub phase: Option<String>,
    /// Made by a DaemonSet (its owner reference says so).
    pub daemon: bool,
    pub needs: PodNeeds,
}

impl Pod {
    /// A pod that has finished holds nothing.
    pub fn holds_resources(&self) -> bool {
        !matches!(self.phase.as_deref(), Some("Succeeded" | "Failed"))
    }
}

/// Something that makes pods: a Deployment, StatefulSet, ReplicaSet or DaemonSet.
#[derive(Debug, Clone, PartialEq)]
pub struct Controller {
    pub kind: String,
    pub namespace: String,
    pub name: String,
    /// `spec.replicas` (1 when not given); a DaemonSet runs one per node it fits on.
    pub replicas: u64,
    /// A ReplicaSet that a Deployment owns (counted through the Deployment).
    pub owned: bool,
    pub needs: PodNeeds,
    /// Storage each replica claims through `volumeClaimTemplates`.
    pub claim_templates: Vec<Claim>,
}

/// A PersistentVolumeClaim (or a StatefulSet's claim template): its size and class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub storage: u64,
    /// `spec.storageClassName`; `(default)` when not set.
    pub class: String,
}

/// A cluster's capacity facts, as read from its dump.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Inventory {
    pub nodes: Vec<Node>,
    pub pods: Vec<Pod>,
    pub controllers: Vec<Controller>,
    pub claims: Vec<Claim>,
    /// The first [`MAX_UNREADABLE_LISTED`] quantities that could not be read, with where.
    pub unreadable: Vec<String>,
    pub unreadable_more: u64,
}

impl Inventory {
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
            && self.pods.is_empty()
            && self.controllers.is_empty()
            && self.claims.is_empty()
            && self.unreadable.is_empty()
    }

    /// `other`'s facts after these (one cluster read from several files).
    pub fn append(&mut self, mut other: Inventory) {
        self.nodes.append(&mut other.nodes);
        self.pods.append(&mut other.pods);
        self.controllers.append(&mut other.controllers);
        self.claims.append(&mut other.claims);
        for problem in other.unreadable {
            self.note_unreadable(problem);
        }
        self.unreadable_more = self.unreadable_more.saturating_add(other.unreadable_more);
    }

    fn note_unreadable(&mut self, problem: String) {
        if self.unreadable.len() < MAX_UNREADABLE_LISTED {
            self.unreadable.push(problem);
        } else {
            self.unreadable_more = self.unreadable_more.saturating_add(1);
        }
    }

    /// Adds what `value` (a Kubernetes object of `kind`) says of capacity, if anything.
    pub(super) fn add(&mut self, kind: &str, namespace: &str, name: &str, value: &Value) {
        let mut problems = Vec::new();
        let mut report =
            |what: &str, e: String| problems.push(format!("{kind} {namespace}/{name} {what}{e}"));
        match kind {
            "Node" => {
                let node = node_of(name, value, &mut report);
                self.nodes.push(node);
            }
            "Pod" => {
                let needs = needs_of(value, &mut report);
                let spec = value.get("spec");
                self.pods.push(Pod {
                    namespace: namespace.to_string(),
                    name: name.to_string(),
                    node: text(spec, "nodeName"),
                    phase: text(value.get("status"), "phase"),
                    daemon: owned_by(value, "DaemonSet"),
                    needs,
                });
            }
            "Deployment" | "StatefulSet" | "ReplicaSet" | "DaemonSet" => {
                let spec = value.get("spec");
                let template = spec.and_then(|s| s.get("template")).unwrap_or(&Value::Null);
                let needs = needs_of(template, &mut report);
                let claim_templates = spec
                    .and_then(|s| s.get("volumeClaimTemplates"))
                    .and_then(Value::as_sequence)
                    .into_iter()
                    .flatten()
                    .map(|t| claim_of(t, &mut report))
                    .collect();
                self.controllers.push(Controller {
                    kind: kind.to_string(),
                    namespace: namespace.to_string(),
                    name: name.to_string(),
                    replicas: match spec.and_then(|s| s.get("replicas")) {
                        Some(Value::Number(n)) => n.as_u64().unwrap_or(0),
                        _ => 1,
                    },
                    owned: owned_by(value, "Deployment"),
                    needs,
                    claim_templates,
                });
            }
            "PersistentVolumeClaim" => {
                let claim = claim_of(value, &mut report);
                self.claims.push(claim);
            }
            _ => {}
        }
        for problem in problems {
            self.note_unreadable(problem);
        }
    }
}

/// The text at `key` of `value`, when it is text.
fn text(value: Option<&Value>, key: &str) -> Option<String> {
    Some(value?.get(key)?.as_str()?.to_string())
}

/// The items of the sequence at `key` of `value`; none when it is not a sequence.
fn sequence<'v>(value: Option<&'v Value>, key: &str) -> &'v [Value] {
    value
        .and_then(|v| v.get(key))
        .and_then(Value::as_sequence)
        .map_or(&[], Vec::as_slice)
}

fn owned_by(value: &Value, kind: &str) -> bool {
    value
        .get("metadata")
        .and_then(|m| m.get("ownerReferences"))
        .and_then(Value::as_sequence)
        .into_iter()
        .flatten()
        .any(|owner| owner.get("kind").and_then(Value::as_str) == Some(kind))
}

/// A container's requests; where it requests nothing, its limits (the API server defaults
/// requests to limits). `None` when it states neither.
fn container_requests(
    container: &Value,
    report: &mut dyn FnMut(&str, String),
) -> Option<Resources> {
    let resources = container.get("resources");
    let requests = resources.and_then(|r| r.get("requests"));
    let limits = resources.and_then(|r| r.get("limits"));
    let stated = |list: Option<&Value>, key: &str| list.and_then(|l| l.get(key)).is_some();
    let mut got = resources_of(requests, report);
    let defaulted = resources_of(limits, &mut |_, _| {});
    if !stated(requests, "cpu") {
        got.cpu = defaulted.cpu;
    }
    if !stated(requests, "memory") {
        got.memory = defaulted.memory;
    }
    let any = ["cpu", "memory"]
        .iter()
        .any(|k| stated(requests, k) || stated(limits, k));
    any.then_some(got)
}

/// A pod's needs from its spec (a Pod's own, or a template's): the scheduler's effective
/// request with init containers and sidecars (init containers with `restartPolicy: Always`).
fn needs_of(pod: &Value, report: &mut dyn FnMut(&str, String)) -> PodNeeds {
    let spec = pod.get("spec");
    let list = |key: &str| sequence(spec, key);
    let mut needs = PodNeeds::default();
    let mut apps = Resources::default();
    for container in list("containers") {
        needs.containers += 1;
        match container_requests(container, report) {
            Some(r) => apps = apps.plus(r),
            None => needs.without_requests += 1,
        }
    }
    // Init containers run one at a time, each beside the sidecars started before it.
    let (mut sidecars, mut init_peak) = (Resources::default(), Resources::default());
    for container in list("initContainers") {
        needs.containers += 1;
        let requests = container_requests(container, report);
        if requests.is_none() {
            needs.without_requests += 1;
        }
        let requests = requests.unwrap_or_default();
        if container.get("restartPolicy").and_then(Value::as_str) == Some("Always") {
            sidecars = sidecars.plus(requests);
            init_peak = init_peak.max(sidecars);
        } else {
            init_peak = init_peak.max(sidecars.plus(requests));
        }
    }
    let overhead = resources_of(spec.and_then(|s| s.get("overhead")), report);
    needs.requests = apps.plus(sidecars).max(init_peak).plus(overhead);
    needs.tolerations = list("tolerations")
        .iter()
        .map(|t| Toleration {
            key: field(t, "key"),
            operator: Some(field(t, "operator"))
                .filter(|o| !o.is_empty())
                .unwrap_or_else(|| "Equal".to_string()),
            value: field(t, "value"),
            effect: field(t, "effect"),
        })
        .collect();
    needs.node_selector = pairs(spec.and_then(|s| s.get("nodeSelector")));
    needs
}

fn claim_of(value: &Value, report: &mut dyn FnMut(&str, String)) -> Claim {
    let spec = value.get("spec");
    let requests = spec
        .and_then(|s| s.get("resources"))
        .and_then(|r| r.get("requests"));
    Claim {
        storage: quantity_at(requests, "storage", report).map_or(0, |q| clamp(q.units_ceil())),
        class: text(spec, "storageClassName").unwrap_or_else(|| "(default)".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inventory(kind: &str, yaml: &str) -> Inventory {
        let value: Value = serde_yaml::from_str(yaml).unwrap();
        let mut inventory = Inventory::default();
        inventory.add(kind, "ns", "x", &value);
        inventory
    }

    #[test]
    fn a_pod_asks_for_its_containers_and_sidecars_or_its_largest_init_step() {
        let pod = inventory(
            "Pod",
            "spec:
  initContainers:
    - {name: migrate, resources: {requests: {cpu: '2', memory: 1Gi}}}
    - {name: proxy, restartPolicy: Always, resources: {requests: {cpu: 100m, memory: 64Mi}}}
    - {name: warm, resources: {requests: {cpu: 500m}}}
  containers:
    - {name: app, resources: {requests: {cpu: 250m, memory: 256Mi}}}
    - {name: log, resources: {limits: {cpu: 50m, memory: 32Mi}}}
    - {name: bare}
  overhead: {cpu: 10m}
",
        );
        let needs = &pod.pods[0].needs;
        // Containers and sidecar: 250m + 50m + 100m = 400m CPU, 256 + 32 + 64 MiB; the
        // first init step alone is 2 CPU and 1 GiB, so it sets both; then the overhead.
        assert_eq!(needs.requests.cpu, 2_010);
        assert_eq!(needs.requests.memory, 1 << 30);
        assert_eq!(needs.without_requests, 1);
        assert_eq!(needs.containers, 6);
    }

    #[test]
    fn a_node_has_its_pool_zone_and_taints_and_daemon_pods_tolerate_them() {
        let inv = inventory(
            "Node",
            "metadata: {labels: {cloud.google.com/gke-nodepool: gpu, topology.kubernetes.io/zone: eu-1b}}
spec: {taints: [{key: gpu, value: 'true', effect: NoSchedule}]}
status: {allocatable: {cpu: 7910m, memory: 30Gi, pods: '110'}, capacity: {cpu: '8', memory: 32Gi}}
",
        );
        let node = &inv.nodes[0];
        assert_eq!((node.pool.as_str(), node.zone.as_str()), ("gpu", "eu-1b"));
        assert_eq!(node.allocatable.cpu, 7_910);
        assert_eq!(node.capacity.memory, 32 << 30);
        assert_eq!(node.allocatable_pods, 110);
        let plain = PodNeeds::default();
        assert!(!plain.fits_on(node));
        let tolerant = PodNeeds {
            tolerations: vec![Toleration {
                key: "gpu".into(),
                operator: "Exists".into(),
                value: String::new(),
                effect: String::new(),
            }],
            ..PodNeeds::default()
        };
        assert!(tolerant.fits_on(node));
    }

    #[test]
    fn an_unreadable_quantity_is_named_and_counts_as_none() {
        let inv = inventory(
            "Pod",
            "spec: {containers: [{name: a, resources: {requests: {cpu: lots, memory: 1Gi}}}]}",
        );
        assert_eq!(inv.pods[0].needs.requests.cpu, 0);
        assert_eq!(inv.pods[0].needs.requests.memory, 1 << 30);
        assert_eq!(inv.unreadable.len(), 1);
        assert!(inv.unreadable[0].starts_with("Pod ns/x cpu: `lots` is not a quantity"));
    }

    #[test]
    fn claims_and_claim_templates_keep_their_size_and_class() {
        let pvc = inventory(
            "PersistentVolumeClaim",
            "spec: {storageClassName: fast, resources: {requests: {storage: 10Gi}}}",
        );
        assert_eq!(
            pvc.claims,
            [Claim {
                storage: 10 << 30,
                class: "fast".into()
            }]
        );
        let sts = inventory(
            "StatefulSet",
            "spec: {replicas: 3, volumeClaimTemplates: [{spec: {resources: {requests: {storage: 1Ti}}}}], template: {spec: {containers: [{name: db}]}}}",
        );
        let c = &sts.controllers[0];
        assert_eq!(c.replicas, 3);
        assert_eq!(
            c.claim_templates,
            [Claim {
                storage: 1 << 40,
                class: "(default)".into()
            }]
        );
    }
}
