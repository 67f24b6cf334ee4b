//! The answers schema's `capacity:` block, checked as `answers::capacity_read` reads it.

use serde_json::{Value, json};

/// The `capacity:` block: the room a parallel environment may use, headroom and prices.
pub fn capacity() -> Value {
    let quantity = |what: &str| {
        json!({
            "description": what,
            "type": ["string", "number"],
            "pattern": r"^[+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([mkMGTPE]|[KMGTPE]i|[eE][+-]?[0-9]+)?$",
        })
    };
    let price = |what: &str| json!({ "description": what, "type": "number", "minimum": 0, "maximum": crate::answers::capacity_read::MAX_PRICE });
    json!({
        "description": "The room a parallel environment may use, the headroom a copy is given and prices; with `assess --manifests` dumps this gives `spare_capacity` evidence.",
        "type": ["object", "null"],
        "additionalProperties": false,
        "properties": {
            "spare": {
                "description": "Spare totals (Kubernetes quantities); what is not stated is not checked.",
                "type": "object",
                "additionalProperties": false,
                "properties": {
                    "cpu": quantity("Spare CPU in cores, e.g. 96 or 1500m."),
                    "memory": quantity("Spare memory, e.g. 384Gi."),
                    "storage": quantity("Spare storage, e.g. 10Ti."),
                },
            },
            "spare_nodes": {
                "description": "Spare nodes of one size (instead of `spare`).",
                "type": "object",
                "additionalProperties": false,
                "required": ["count", "cpu", "memory"],
                "properties": {
                    "count": { "type": "integer", "minimum": 0, "maximum": crate::answers::capacity_read::MAX_SPARE_NODES },
                    "cpu": quantity("CPU of one node, e.g. 8."),
                    "memory": quantity("Memory of one node, e.g. 32Gi."),
                },
            },
            "quota": {
                "description": "For clouds: the most CPU and memory the account may still add; the room is taken as the smaller of it and `spare` (or as many `spare_nodes` as it holds).",
                "type": "object",
                "additionalProperties": false,
                "properties": {
                    "cpu": quantity("CPU the quota still allows, e.g. 200."),
                    "memory": quantity("Memory the quota still allows, e.g. 800Gi."),
                },
            },
            "headroom_pct": {
                "description": "When given, a copy is sized from what runs plus this many per cent; else as the same node pools.",
                "type": "integer",
                "minimum": 0,
                "maximum": crate::capacity::spec::MAX_HEADROOM_PCT,
            },
            "prices": {
                "description": "Prices of one hour, without a currency: `cpu_hour` and `memory_gib_hour`, or `node_hour` (with `spare_nodes`).",
                "type": "object",
                "additionalProperties": false,
                "properties": {
                    "cpu_hour": price("Price of one vCPU for an hour."),
                    "memory_gib_hour": price("Price of one GiB of memory for an hour."),
                    "node_hour": price("Price of one node of the `spare_nodes` size for an hour."),
                },
            },
        },
        "not": { "required": ["spare", "spare_nodes"] },
    })
}
