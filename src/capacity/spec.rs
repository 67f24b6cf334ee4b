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

/// The `capacity:` block of an answers file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CapacitySpec {
    pub spare: Option<Spare>,
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
