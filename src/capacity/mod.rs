//! Capacity as evidence: what a parallel environment needs (from each cluster's dump), how
//! much room there is (from the answers file's `capacity:` block), how many copies fit at
//! once, and the answer that gives `spare_capacity`, with its arithmetic in words.
//!
//! Pure: it takes inventories the scan read and the stated room, and returns a
//! [`CapacityReport`]. It imports the scan's inventory types and nothing of the answers, which
//! hold its spec.

pub mod cost;
pub mod demand;
pub mod fit;
pub mod spec;
pub mod units;

use serde::Serialize;

use crate::scan::inventory::Inventory;
use demand::{Basis, ClusterCapacity};
use spec::{CapacitySpec, MAX_HEADROOM_PCT, SpareView};

/// The most clusters whose dumps one assessment reads.
pub const MAX_CLUSTERS: usize = 1_000;

/// What the arithmetic says of `spare_capacity`.
#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CapacityEvidence {
    /// `yes` (every cluster's copy fits at once), `limited` (at least one does), `no` (none).
    pub value: String,
    /// The arithmetic, in words.
    pub arithmetic: String,
    /// Clusters whose dumps were read.
    pub clusters_seen: u64,
    /// Clusters the answers count (`cluster_count`), when answered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clusters_answered: Option<u64>,
    /// The dumps cover every cluster the answers count: only then may the evidence overrule
    /// an answer on its estimate.
    pub covers_every_cluster: bool,
}

/// Capacity, from the dumps and the stated room.
#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CapacityReport {
    pub clusters: Vec<ClusterCapacity>,
    /// How a copy is sized: `node-pools` or `requests-plus-headroom`.
    pub basis: Basis,
    pub headroom_pct: u32,
    /// The room the answers state, when they state it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spare: Option<SpareView>,
    /// How many clusters' copies fit in the room at once; `None` when no room is stated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fits_clusters: Option<u64>,
    /// The copy the room would have to hold next (the smallest left out), when some do not
    /// fit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_copy: Option<fit::NextCopy>,
    /// What one more copy's room would change: filled in by the plan, which can decide.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub what_if: Option<CapacityWhatIf>,
    /// The dumped clusters packed into waves whose copies the room holds one wave at a time,
    /// at most `clusters_per_window` to a wave; empty when no room is stated.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub waves: Vec<fit::CapacityWave>,
    /// The answer it gives `spare_capacity`, when the room is stated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<CapacityEvidence>,
    /// Each parallel strategy's peak of extra room and its cost over the dated plan (filled
    /// in by the plan, which has the dates).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cost: Vec<cost::StrategyCost>,
    /// The prices the cost is reckoned at, when given.
    #[serde(skip)]
    #[schemars(skip)]
    pub prices: Option<spec::Prices>,
    /// The stated room, as stated (for node prices).
    #[serde(skip)]
    #[schemars(skip)]
    pub room: Option<spec::Spare>,
    /// What the figures cannot show (containers without requests, unread quantities, what
    /// the room does not state), in words.
    pub notes: Vec<String>,
}

/// With room for one more copy (the next one), what `spare_capacity` would say and what
/// would be recommended.
#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CapacityWhatIf {
    /// Copies that would fit at once.
    pub fits_clusters: u64,
    /// The answer that would give `spare_capacity`.
    pub spare_capacity: String,
    /// The strategy then recommended (`sequential`, `blue-green` or `hybrid`).
    pub strategy: String,
    /// Whether that differs from the recommendation now.
    pub changes_recommendation: bool,
}

impl CapacityReport {
    /// What `needs` takes of the stated room, in words: nodes of the stated size when the
    /// room is stated in nodes (`6 nodes of 8 vCPU and 32 GiB`), else CPU, memory and
    /// (when any is claimed) storage.
    pub fn room_for(&self, needs: &demand::Needs) -> String {
        match &self.room {
            Some(spec::Spare::Nodes { cpu, memory, .. }) => format!(
                "{} of {} and {}",
                crate::base::text::plural(fit::nodes_for(needs, *cpu, *memory), "node", "nodes"),
                units::cpu(*cpu),
                units::bytes(*memory)
            ),
            _ => {
                let mut parts = vec![
                    units::cpu(needs.cpu),
                    format!("{} memory", units::bytes(needs.memory)),
                ];
                if needs.storage > 0 {
                    parts.push(format!("{} storage", units::bytes(needs.storage)));
                }
                crate::base::text::join_and(&parts)
            }
        }
    }
}

/// Capacity of the named clusters' inventories (those without nodes are left out: they are
/// not cluster dumps) against `spec`'s room; `cluster_count` is what the answers count.
/// `None` when no inventory has nodes.
pub fn assess(
    spec: &CapacitySpec,
    inventories: &[(String, Inventory)],
    cluster_count: Option<u64>,
    per_window: Option<u64>,
) -> Option<CapacityReport> {
    let (basis, headroom_pct) = match spec.headroom_pct {
        Some(pct) => (Basis::RequestsPlusHeadroom, pct.min(MAX_HEADROOM_PCT)),
        None => (Basis::NodePools, 0),
    };
    let mut clusters = Vec::new();
    let mut notes = Vec::new();
    for (name, inventory) in inventories.iter().take(MAX_CLUSTERS) {
        let Some(cluster) = demand::cluster(name, inventory, basis, headroom_pct) else {
            continue;
        };
        let name = units::name(&cluster.name);
        let p = &cluster.pods;
        if p.containers_without_requests > 0 {
            notes.push(format!(
                "{name}: {} of {} containers request neither CPU nor memory; what they use is not counted",
                p.containers_without_requests, p.containers
            ));
        }
        let unread = inventory.unreadable.len() as u64 + inventory.unreadable_more;
        if unread > 0 {
            notes.push(format!(
                "{name}: {} could not be read and count as none (first: {})",
                crate::base::text::plural(unread, "quantity", "quantities"),
                inventory.unreadable.first().map_or("", String::as_str)
            ));
        }
        clusters.push(cluster);
    }
    if clusters.is_empty() {
        return None;
    }
    let room = spec.room().map(|(room, lowered)| {
        if lowered {
            notes.push(
                "the cloud quota (`capacity.quota`) is smaller than the stated room, so the room is taken as the quota allows"
                    .to_string(),
            );
        }
        room
    });
    let spare = room.as_ref().map(fit::view);
    let verdict = room
        .as_ref()
        .map(|room| fit::fit(&clusters, room, &mut notes));
    let evidence = verdict.as_ref().map(|v| {
        let seen = clusters.len() as u64;
        let covers = cluster_count.is_some_and(|c| seen >= c);
        let mut arithmetic = v.arithmetic.clone();
        match cluster_count {
            Some(c) if seen < c => arithmetic.push_str(&format!(
                "; the dumps cover {seen} of the {c} clusters the answers count, so this speaks for those {seen} only"
            )),
            Some(c) if seen > c => notes.push(format!(
                "{seen} cluster dumps were read but the answers count {c} clusters; check cluster_count"
            )),
            _ => {}
        }
        CapacityEvidence {
            value: if v.fits == 0 {
                "no"
            } else if v.fits == seen {
                "yes"
            } else {
                "limited"
            }
            .to_string(),
            arithmetic,
            clusters_seen: seen,
            clusters_answered: cluster_count,
            covers_every_cluster: covers,
        }
    });
    let waves = room.as_ref().map_or_else(Vec::new, |room| {
        fit::waves(&clusters, room, per_window.unwrap_or(u64::MAX).max(1))
    });
    if let Some(big) = waves.iter().find(|w| !w.fits) {
        notes.push(format!(
            "a copy of {} does not fit in the room on its own: free or approve more room before it moves",
            units::name(&big.clusters[0])
        ));
    }
    if spec.spare.is_none() {
        notes.push(
            "no room is stated (`capacity.spare` or `capacity.spare_nodes`), so what fits is not judged; a dump cannot see the spare room of the hypervisor or cloud"
                .to_string(),
        );
    }
    Some(CapacityReport {
        clusters,
        basis,
        headroom_pct,
        spare,
        next_copy: verdict.as_ref().and_then(|v| v.next.clone()),
        what_if: None,
        fits_clusters: verdict.map(|v| v.fits),
        waves,
        evidence,
        cost: Vec::new(),
        prices: spec.prices,
        room,
        notes,
    })
}

#[cfg(test)]
mod tests;
