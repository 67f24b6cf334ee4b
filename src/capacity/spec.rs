//! What the answers file's `capacity:` block states: the room a parallel environment may
//! use, the headroom a copy is given, and prices; and the room as reports show it.

use serde::Serialize;

/// The most headroom a copy may be given, in percent.
pub const MAX_HEADROOM_PCT: u32 = 1_000;
/// The room available for a parallel environment, as the answers file states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Spare {
    /// Spare CPU (milli-cores), memory and storage (bytes); what is not stated is not checked.
    Room {
        cpu: Option<u64>,
        memory: Option<u64>,
        storage: Option<u64>,
    },
    /// Spare nodes of one size: CPU in milli-cores, memory in bytes.
    Nodes { count: u64, cpu: u64, memory: u64 },
}

/// What running a parallel environment costs, in millionths of the user's currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prices {
    Resources {
        cpu_hour_micro: u64,
        memory_gib_hour_micro: u64,
    },
    Node {
        node_hour_micro: u64,
    },
}

/// A cloud account's quota: the most CPU (milli-cores) and memory (bytes) it may still add.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Quota {
    pub cpu: Option<u64>,
    pub memory: Option<u64>,
}

/// The `capacity:` block of an answers file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CapacitySpec {
    pub spare: Option<Spare>,
    /// For clouds: the quota the new clusters must also stay within.
    pub quota: Option<Quota>,
    /// When given, a copy is sized from what runs plus this much; else as the same node pools.
    pub headroom_pct: Option<u32>,
    pub prices: Option<Prices>,
}

/// The stated room, as reports show it: CPU in milli-cores, memory and storage in bytes.
#[derive(schemars::JsonSchema, Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SpareView {
    /// Milli-cores.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpu: Option<u64>,
    /// Bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory: Option<u64>,
    /// Bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub storage: Option<u64>,
    /// Spare nodes of one size, when the room is stated as nodes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nodes: Option<SpareNodes>,
}

#[derive(schemars::JsonSchema, Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SpareNodes {
    pub count: u64,
    /// Milli-cores per node.
    pub cpu: u64,
    /// Bytes per node.
    pub memory: u64,
}

impl CapacitySpec {
    /// The room within the quota: each stated resource the smaller of the two (a quota
    /// states a limit where the room is silent); spare nodes only as many as the quota holds.
    /// Also whether the quota lowered it.
    pub fn room(&self) -> Option<(Spare, bool)> {
        let spare = self.spare.clone()?;
        let Some(quota) = self.quota else {
            return Some((spare, false));
        };
        let cap = |room: Option<u64>, limit: Option<u64>| match (room, limit) {
            (Some(r), Some(l)) => Some(r.min(l)),
            (r, l) => r.or(l),
        };
        let capped = match spare {
            Spare::Room {
                cpu,
                memory,
                storage,
            } => Spare::Room {
                cpu: cap(cpu, quota.cpu),
                memory: cap(memory, quota.memory),
                storage,
            },
            Spare::Nodes { count, cpu, memory } => {
                let by = |limit: Option<u64>, per: u64| {
                    limit.map_or(u64::MAX, |l| l.checked_div(per).unwrap_or(u64::MAX))
                };
                Spare::Nodes {
                    count: count.min(by(quota.cpu, cpu)).min(by(quota.memory, memory)),
                    cpu,
                    memory,
                }
            }
        };
        let lowered = capped != spare;
        Some((capped, lowered))
    }
}
