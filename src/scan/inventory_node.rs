//! A Node of a dump, for the capacity inventory: its pool and zone by provider label, what it
//! offers and has, and what keeps pods off it; and the readers of quantities and labels the
//! inventory shares.

use serde_yaml::Value;

use crate::kube::quantity;

/// CPU in milli-cores and memory in bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Resources {
    pub cpu: u64,
    pub memory: u64,
}

impl Resources {
    pub fn plus(self, other: Resources) -> Resources {
        Resources {
            cpu: self.cpu.saturating_add(other.cpu),
            memory: self.memory.saturating_add(other.memory),
        }
    }

    pub fn max(self, other: Resources) -> Resources {
        Resources {
            cpu: self.cpu.max(other.cpu),
            memory: self.memory.max(other.memory),
        }
    }

    pub fn times(self, n: u64) -> Resources {
        Resources {
            cpu: self.cpu.saturating_mul(n),
            memory: self.memory.saturating_mul(n),
        }
    }
}

/// A node: its pool and zone, what it offers, and what keeps pods off it.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub name: String,
    /// Its node pool (from the provider's pool label), `control-plane`, or `(no pool label)`.
    pub pool: String,
    /// `topology.kubernetes.io/zone`, or `(no zone label)`.
    pub zone: String,
    pub labels: Vec<(String, String)>,
    /// What the node offers pods (`status.allocatable`).
    pub allocatable: Resources,
    pub allocatable_pods: u64,
    /// What the machine has (`status.capacity`; the allocatable where it is missing).
    pub capacity: Resources,
    pub taints: Vec<Taint>,
    pub unschedulable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Taint {
    pub key: String,
    pub value: String,
    /// `NoSchedule`, `PreferNoSchedule` or `NoExecute`.
    pub effect: String,
}

/// The text at `key` of a mapping; empty when it is not text.
pub(crate) fn field(value: &Value, key: &str) -> String {
    value
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string()
}

/// The text pairs of a mapping (labels, a node selector); numbers and booleans as text.
pub(crate) fn pairs(value: Option<&Value>) -> Vec<(String, String)> {
    value
        .and_then(Value::as_mapping)
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| {
            let v = match v {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                _ => return None,
            };
            Some((k.as_str()?.to_string(), v))
        })
        .collect()
}

/// A quantity at `key` of a mapping: text (`500m`, `1Gi`) or a number. `None` when absent;
/// an unreadable one is reported and counts as absent.
pub(crate) fn quantity_at(
    map: Option<&Value>,
    key: &str,
    report: &mut dyn FnMut(&str, String),
) -> Option<quantity::Quantity> {
    let value = map?.get(key)?;
    let text = match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => {
            report(key, ": not a quantity".to_string());
            return None;
        }
    };
    match quantity::parse(&text) {
        Ok(q) if q.milli >= 0 => Some(q),
        Ok(_) => {
            report(key, ": a negative quantity".to_string());
            None
        }
        Err(e) => {
            report(key, format!(": {e}"));
            None
        }
    }
}

pub(crate) fn clamp(n: i128) -> u64 {
    u64::try_from(n.max(0)).unwrap_or(u64::MAX)
}

/// CPU (milli-cores) and memory (bytes) of a resource list such as `requests`.
pub(crate) fn resources_of(
    list: Option<&Value>,
    report: &mut dyn FnMut(&str, String),
) -> Resources {
    Resources {
        cpu: quantity_at(list, "cpu", report).map_or(0, |q| clamp(q.milli)),
        memory: quantity_at(list, "memory", report).map_or(0, |q| clamp(q.units_ceil())),
    }
}

/// The labels that name a node's pool, by provider, first match wins.
const POOL_LABELS: &[&str] = &[
    "cluster.x-k8s.io/deployment-name",
    "run.tanzu.vmware.com/node-pool",
    "eks.amazonaws.com/nodegroup",
    "cloud.google.com/gke-nodepool",
    "kubernetes.azure.com/agentpool",
    "karpenter.sh/nodepool",
    "node-pool",
    "nodepool",
];

const ZONE_LABELS: &[&str] = &[
    "topology.kubernetes.io/zone",
    "failure-domain.beta.kubernetes.io/zone",
];

pub(crate) fn node_of(name: &str, value: &Value, report: &mut dyn FnMut(&str, String)) -> Node {
    let labels = pairs(value.get("metadata").and_then(|m| m.get("labels")));
    let label = |keys: &[&str]| {
        keys.iter()
            .find_map(|k| labels.iter().find(|(key, _)| key == k))
            .map(|(_, v)| v.clone())
    };
    let control_plane = labels.iter().any(|(k, _)| {
        k == "node-role.kubernetes.io/control-plane" || k == "node-role.kubernetes.io/master"
    });
    let pool = label(POOL_LABELS).unwrap_or_else(|| {
        if control_plane {
            "control-plane".to_string()
        } else {
            "(no pool label)".to_string()
        }
    });
    let zone = label(ZONE_LABELS).unwrap_or_else(|| "(no zone label)".to_string());
    let status = value.get("status");
    let allocatable = status.and_then(|s| s.get("allocatable"));
    let capacity = status.and_then(|s| s.get("capacity"));
    let offered = resources_of(allocatable, report);
    let has = resources_of(capacity, &mut |_, _| {});
    let spec = value.get("spec");
    Node {
        name: name.to_string(),
        pool,
        zone,
        labels,
        allocatable: offered,
        allocatable_pods: quantity_at(allocatable, "pods", report)
            .map_or(0, |q| clamp(q.units_ceil())),
        capacity: Resources {
            cpu: if has.cpu == 0 { offered.cpu } else { has.cpu },
            memory: if has.memory == 0 {
                offered.memory
            } else {
                has.memory
            },
        },
        taints: spec
            .and_then(|s| s.get("taints"))
            .and_then(Value::as_sequence)
            .into_iter()
            .flatten()
            .map(|t| Taint {
                key: field(t, "key"),
                value: field(t, "value"),
                effect: field(t, "effect"),
            })
            .collect(),
        unschedulable: spec
            .and_then(|s| s.get("unschedulable"))
            .and_then(Value::as_bool)
            .unwrap_or(false),
    }
}
