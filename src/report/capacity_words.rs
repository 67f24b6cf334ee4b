//! What the capacity section says, in the same words in every format: one row per cluster
//! dump, then the room, what fits, the waves, the cost of the parallel run and the notes.

use crate::base::text::plural;
use crate::capacity::CapacityReport;
use crate::capacity::cost::StrategyCost;
use crate::capacity::demand::{Basis, ClusterCapacity, Needs};
use crate::capacity::units::{bytes, cpu};
use crate::checklist::strategy::Strategy;
use crate::plan::Report;

/// The column headings of [`cluster_row`].
pub const CLUSTER_COLUMNS: [&str; 4] = ["Cluster", "Nodes", "Requested", "A copy needs"];

/// CPU, memory and (when there is any) storage: `52 vCPU, 208 GiB, 1.5 TiB storage`.
pub fn needs_text(n: &Needs) -> String {
    let mut text = format!("{}, {}", cpu(n.cpu), bytes(n.memory));
    if n.storage > 0 {
        text.push_str(&format!(", {} storage", bytes(n.storage)));
    }
    text
}

/// One cluster: its name, nodes and pools, what runs asks for, what a copy needs.
pub fn cluster_row(c: &ClusterCapacity) -> [String; 4] {
    let pools: std::collections::BTreeSet<&str> = c.pools.iter().map(|p| p.pool.as_str()).collect();
    let zones: std::collections::BTreeSet<&str> = c.pools.iter().map(|p| p.zone.as_str()).collect();
    [
        c.name.clone(),
        format!(
            "{} in {} and {}",
            c.nodes,
            plural(pools.len() as u64, "pool", "pools"),
            plural(zones.len() as u64, "zone", "zones")
        ),
        format!(
            "{}, {} ({} pods)",
            cpu(c.requested.cpu),
            bytes(c.requested.memory),
            c.pods.counted
        ),
        needs_text(&c.copy_needs),
    ]
}

/// The lines under the clusters: how a copy is sized, the room and what fits, the waves,
/// the cost (each strategy by the name `report`'s checklist gives it) and the notes.
pub fn capacity_lines(report: &Report, c: &CapacityReport) -> Vec<String> {
    let mut lines = vec![match c.basis {
        Basis::NodePools => "A copy is sized as the same node pools (every node's capacity) with the claimed storage.".to_string(),
        Basis::RequestsPlusHeadroom => format!(
            "A copy is sized from what runs asks for plus {}% headroom.",
            c.headroom_pct
        ),
    }];
    lines.extend(capacity_brief(c));
    if c.waves.len() > 1 || c.waves.iter().any(|w| !w.fits) {
        let waves: Vec<String> = c
            .waves
            .iter()
            .enumerate()
            .map(|(i, w)| {
                format!(
                    "wave {}: {} ({}{})",
                    i + 1,
                    w.clusters.join(", "),
                    needs_text(&w.needs),
                    if w.fits { "" } else { ", does not fit" }
                )
            })
            .collect();
        lines.push(format!(
            "Waves the room holds one at a time: {}.",
            waves.join("; ")
        ));
    }
    lines.extend(c.cost.iter().map(|cost| cost_line(report, cost)));
    if let (Some(next), Some(w)) = (&c.next_copy, &c.what_if) {
        let strategy = w
            .strategy
            .parse::<Strategy>()
            .map_or(w.strategy.clone(), |s| report.strategy_name(s).to_string());
        let outcome = if w.changes_recommendation {
            format!("{strategy} would be recommended")
        } else {
            format!("the recommendation would stay {strategy}")
        };
        lines.push(format!(
            "What if: with room for one more copy (the copy of {} needs {}), spare_capacity would be {} ({} at once) and {outcome}.",
            next.cluster,
            c.room_for(&next.needs),
            w.spare_capacity,
            plural(w.fits_clusters, "copy", "copies"),
        ));
    }
    lines.extend(c.notes.iter().map(|n| format!("Note: {n}.")));
    lines
}

/// The one line a fleet's overview gives an environment's capacity: what it says of
/// `spare_capacity`, with its arithmetic.
pub fn capacity_brief(c: &CapacityReport) -> Option<String> {
    c.evidence
        .as_ref()
        .map(|e| format!("spare_capacity: {} ({}).", e.value, e.arithmetic))
}

/// One strategy's peak of extra room and what holding it costs, in a sentence.
pub fn cost_line(report: &Report, cost: &StrategyCost) -> String {
    let name = cost
        .strategy
        .parse::<Strategy>()
        .map_or(cost.strategy.clone(), |s| {
            report.strategy_name(s).to_string()
        });
    let amount = cost.amount.map_or(String::new(), |a| {
        format!(", costing {a:.2} at the stated prices")
    });
    format!(
        "{name}: {} held at the peak ({}{}) from {} to {}, {} hours{amount}.",
        plural(cost.extra_clusters, "extra cluster", "extra clusters"),
        needs_text(&cost.extra),
        if cost.extrapolated {
            ", the largest copy standing in for clusters not dumped"
        } else {
            ""
        },
        cost.from,
        cost.to,
        cost.hours
    )
}
