//! What one cluster has and asks for, from its inventory: nodes by pool and zone, the
//! requests of what runs (its pods, or its controllers times their replicas when the dump
//! has no pods), DaemonSet overhead per node, claimed storage by class, and what a copy of
//! it at the target needs.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::scan::inventory::Inventory;
use crate::scan::inventory_node::Resources;

/// CPU in milli-cores, memory in bytes, pods as a count.
#[derive(schemars::JsonSchema, Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Allocatable {
    /// Milli-cores (1000 = one vCPU).
    pub cpu: u64,
    /// Bytes.
    pub memory: u64,
    pub pods: u64,
}

/// CPU in milli-cores and memory in bytes.
#[derive(schemars::JsonSchema, Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Requested {
    /// Milli-cores (1000 = one vCPU).
    pub cpu: u64,
    /// Bytes.
    pub memory: u64,
}

impl From<Resources> for Requested {
    fn from(r: Resources) -> Requested {
        Requested {
            cpu: r.cpu,
            memory: r.memory,
        }
    }
}

/// What a copy of a cluster needs: CPU in milli-cores, memory and storage in bytes.
#[derive(
    schemars::JsonSchema, Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize,
)]
pub struct Needs {
    /// Milli-cores (1000 = one vCPU).
    pub cpu: u64,
    /// Bytes.
    pub memory: u64,
    /// Bytes.
    pub storage: u64,
}

impl Needs {
    pub fn plus(self, other: Needs) -> Needs {
        Needs {
            cpu: self.cpu.saturating_add(other.cpu),
            memory: self.memory.saturating_add(other.memory),
            storage: self.storage.saturating_add(other.storage),
        }
    }
}

/// The nodes of one pool in one zone.
#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pool {
    pub pool: String,
    pub zone: String,
    pub nodes: u64,
    pub allocatable: Allocatable,
}

/// Claimed storage of one storage class, in bytes.
#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StorageClass {
    pub class: String,
    pub bytes: u64,
}

/// Where a cluster's requests were counted from.
#[derive(schemars::JsonSchema, Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RequestsFrom {
    /// The pods that hold resources (finished ones left out).
    Pods,
    /// No pods in the dump: Deployments, StatefulSets and ReplicaSets times their replicas,
    /// DaemonSets once per node they may run on.
    Controllers,
}

/// Pods counted, and what their count cannot show.
#[derive(schemars::JsonSchema, Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PodCounts {
    /// Pods (or replicas) whose requests are counted.
    pub counted: u64,
    /// Pods that have finished (Succeeded, Failed): they hold nothing.
    pub finished: u64,
    /// Containers that request neither CPU nor memory: what they use is not counted.
    pub containers_without_requests: u64,
    pub containers: u64,
}

/// One cluster, from its dump.
#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClusterCapacity {
    /// Named after its dump (the file or folder given to `--manifests`).
    pub name: String,
    pub nodes: u64,
    /// Nodes marked unschedulable (cordoned).
    pub unschedulable_nodes: u64,
    pub pools: Vec<Pool>,
    /// What the nodes offer pods.
    pub allocatable: Allocatable,
    /// What the nodes have (their capacity, before the system's reservations).
    pub node_capacity: Requested,
    /// What runs asks for.
    pub requested: Requested,
    pub requests_from: RequestsFrom,
    /// What the DaemonSets ask for on every node they run on.
    pub daemonset_per_node: Requested,
    pub pods: PodCounts,
    /// Claimed storage by class.
    pub storage: Vec<StorageClass>,
    /// What a copy of the cluster at the target needs.
    pub copy_needs: Needs,
}

/// How a copy is sized.
#[derive(schemars::JsonSchema, Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Basis {
    /// The same node pools: every node's capacity, and the claimed storage.
    NodePools,
    /// What runs asks for, plus `headroom_pct` (on CPU, memory and storage alike).
    RequestsPlusHeadroom,
}

/// `n` grown by `pct` percent, rounded up.
fn grown(n: u64, pct: u32) -> u64 {
    let grown = u128::from(n) * (100 + u128::from(pct));
    u64::try_from(grown.div_ceil(100)).unwrap_or(u64::MAX)
}

/// A cluster's capacity from its inventory; `None` when the dump has no nodes (manifests
/// from a repository describe no cluster's room).
pub fn cluster(
    name: &str,
    inventory: &Inventory,
    basis: Basis,
    headroom_pct: u32,
) -> Option<ClusterCapacity> {
    if inventory.nodes.is_empty() {
        return None;
    }
    let mut pools: BTreeMap<(&str, &str), Pool> = BTreeMap::new();
    let (mut allocatable, mut capacity) = (Allocatable::default(), Resources::default());
    for node in &inventory.nodes {
        let pool = pools
            .entry((node.pool.as_str(), node.zone.as_str()))
            .or_insert_with(|| Pool {
                pool: node.pool.clone(),
                zone: node.zone.clone(),
                nodes: 0,
                allocatable: Allocatable::default(),
            });
        pool.nodes += 1;
        for total in [&mut pool.allocatable, &mut allocatable] {
            total.cpu = total.cpu.saturating_add(node.allocatable.cpu);
            total.memory = total.memory.saturating_add(node.allocatable.memory);
            total.pods = total.pods.saturating_add(node.allocatable_pods);
        }
        capacity = capacity.plus(node.capacity);
    }
    let mut pods = PodCounts::default();
    let mut requested = Resources::default();
    let daemonsets: Vec<_> = inventory
        .controllers
        .iter()
        .filter(|c| c.kind == "DaemonSet")
        .collect();
    let requests_from = if inventory.pods.is_empty() {
        for controller in &inventory.controllers {
            let replicas = match controller.kind.as_str() {
                "DaemonSet" => inventory
                    .nodes
                    .iter()
                    .filter(|n| controller.needs.fits_on(n))
                    .count() as u64,
                "ReplicaSet" if controller.owned => 0,
                _ => controller.replicas,
            };
            pods.counted = pods.counted.saturating_add(replicas);
            pods.containers = pods
                .containers
                .saturating_add(controller.needs.containers.saturating_mul(replicas));
            pods.containers_without_requests = pods
                .containers_without_requests
                .saturating_add(controller.needs.without_requests.saturating_mul(replicas));
            requested = requested.plus(controller.needs.requests.times(replicas));
        }
        RequestsFrom::Controllers
    } else {
        for pod in &inventory.pods {
            if !pod.holds_resources() {
                pods.finished += 1;
                continue;
            }
            pods.counted += 1;
            pods.containers = pods.containers.saturating_add(pod.needs.containers);
            pods.containers_without_requests = pods
                .containers_without_requests
                .saturating_add(pod.needs.without_requests);
            requested = requested.plus(pod.needs.requests);
        }
        RequestsFrom::Pods
    };
    // DaemonSet overhead per node: their templates where the dump has them, else their pods
    // spread over the nodes.
    let daemonset_per_node = if daemonsets.is_empty() {
        let daemon = inventory
            .pods
            .iter()
            .filter(|p| p.daemon && p.holds_resources())
            .fold(Resources::default(), |sum, p| sum.plus(p.needs.requests));
        let nodes = inventory.nodes.len() as u64;
        Resources {
            cpu: daemon.cpu.div_ceil(nodes),
            memory: daemon.memory.div_ceil(nodes),
        }
    } else {
        daemonsets
            .iter()
            .fold(Resources::default(), |sum, d| sum.plus(d.needs.requests))
    };
    let mut classes: BTreeMap<&str, u64> = BTreeMap::new();
    if inventory.claims.is_empty() {
        for controller in &inventory.controllers {
            for claim in &controller.claim_templates {
                let bytes = claim.storage.saturating_mul(controller.replicas);
                let total = classes.entry(claim.class.as_str()).or_default();
                *total = total.saturating_add(bytes);
            }
        }
    } else {
        for claim in &inventory.claims {
            let total = classes.entry(claim.class.as_str()).or_default();
            *total = total.saturating_add(claim.storage);
        }
    }
    let storage: Vec<StorageClass> = classes
        .into_iter()
        .map(|(class, bytes)| StorageClass {
            class: class.to_string(),
            bytes,
        })
        .collect();
    let claimed = storage
        .iter()
        .fold(0u64, |sum, s| sum.saturating_add(s.bytes));
    let copy_needs = match basis {
        Basis::NodePools => Needs {
            cpu: capacity.cpu,
            memory: capacity.memory,
            storage: claimed,
        },
        Basis::RequestsPlusHeadroom => Needs {
            cpu: grown(requested.cpu, headroom_pct),
            memory: grown(requested.memory, headroom_pct),
            storage: grown(claimed, headroom_pct),
        },
    };
    Some(ClusterCapacity {
        name: name.to_string(),
        nodes: inventory.nodes.len() as u64,
        unschedulable_nodes: inventory.nodes.iter().filter(|n| n.unschedulable).count() as u64,
        pools: pools.into_values().collect(),
        allocatable,
        node_capacity: capacity.into(),
        requested: requested.into(),
        requests_from,
        daemonset_per_node: daemonset_per_node.into(),
        pods,
        storage,
        copy_needs,
    })
}
