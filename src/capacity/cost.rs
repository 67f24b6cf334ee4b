//! What the parallel run takes at its peak and what it costs: the largest copies held at
//! once, priced by the hour from the day the new side is built to the day the old side is
//! retired.

use serde::Serialize;

use super::demand::{ClusterCapacity, Needs};
use super::spec::{Prices, Spare};

/// The extra room one strategy's plan holds at its peak, and what that costs.
#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Serialize)]
pub struct StrategyCost {
    /// `blue-green` or `hybrid`.
    pub strategy: String,
    /// New-side clusters that exist at once beside their old ones (the plan's peak).
    pub extra_clusters: u64,
    /// What they need: the largest copies (CPU in milli-cores, memory and storage in bytes).
    pub extra: Needs,
    /// The peak needs more clusters than were dumped: the largest copy stands for the rest.
    pub extrapolated: bool,
    /// The first day the new side is built.
    pub from: String,
    /// The day the old side is retired (the programme closes).
    pub to: String,
    /// Hours the extra room is held (from the first day to the last, whole days).
    pub hours: u64,
    /// What those hours cost at the answers file's prices, without a currency; absent when
    /// no prices are given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<f64>,
}

/// The amount is finite (bounded prices times bounded hours), so equality is total.
impl Eq for StrategyCost {}

/// What `n` copies need at most: the `n` largest (by CPU, then memory); past the copies there
/// are, the largest stands for each of the rest. Also whether it had to stand in.
pub fn largest_copies(clusters: &[ClusterCapacity], n: u64) -> (Needs, bool) {
    let mut needs: Vec<Needs> = clusters.iter().map(|c| c.copy_needs).collect();
    needs.sort_by(|a, b| b.cmp(a));
    let mut total = Needs::default();
    for i in 0..n {
        let copy = needs
            .get(usize::try_from(i).unwrap_or(usize::MAX))
            .or(needs.first())
            .copied()
            .unwrap_or_default();
        total = total.plus(copy);
    }
    (total, n > needs.len() as u64)
}

/// What holding `extra` for `hours` costs at `prices` (spare nodes are priced by the nodes
/// the room needs of the `spare` size); `None` when node prices meet a room stated in totals.
pub fn amount(prices: &Prices, spare: Option<&Spare>, extra: &Needs, hours: u64) -> Option<f64> {
    const GIB: f64 = (1u64 << 30) as f64;
    let per_hour = match *prices {
        Prices::Resources {
            cpu_hour_micro,
            memory_gib_hour_micro,
        } => {
            extra.cpu as f64 / 1000.0 * cpu_hour_micro as f64
                + extra.memory as f64 / GIB * memory_gib_hour_micro as f64
        }
        Prices::Node { node_hour_micro } => {
            let Some(Spare::Nodes { cpu, memory, .. }) = spare else {
                return None;
            };
            super::fit::nodes_for(extra, *cpu, *memory) as f64 * node_hour_micro as f64
        }
    };
    let total = per_hour * hours as f64 / 1_000_000.0;
    Some((total * 100.0).round() / 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cost_grows_with_the_hours_and_prices_nodes_by_their_size() {
        let extra = Needs {
            cpu: 48_000,
            memory: 192 << 30,
            storage: 0,
        };
        let prices = Prices::Resources {
            cpu_hour_micro: 31_000,
            memory_gib_hour_micro: 4_000,
        };
        // 48 x 0.031 + 192 x 0.004 = 2.256 an hour.
        assert_eq!(amount(&prices, None, &extra, 100), Some(225.6));
        assert_eq!(amount(&prices, None, &extra, 200), Some(451.2));
        let nodes = Spare::Nodes {
            count: 10,
            cpu: 8_000,
            memory: 32 << 30,
        };
        let node_price = Prices::Node {
            node_hour_micro: 380_000,
        };
        assert_eq!(amount(&node_price, Some(&nodes), &extra, 10), Some(22.8));
        assert_eq!(amount(&node_price, None, &extra, 10), None);
    }
}
