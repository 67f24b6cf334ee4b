//! How many copies fit in the stated room at once: the smallest copies first (which fits
//! the most clusters), each resource the room states checked, and the arithmetic in words.

use super::demand::{ClusterCapacity, Needs};
use super::spec::{Spare, SpareNodes, SpareView};
use super::units::{bytes, cpu, name};
use crate::base::text::{join_and, plural};

/// How many copies fit, and why, in words.
pub(super) struct Verdict {
    pub fits: u64,
    pub arithmetic: String,
    /// The copy that would fit next with more room: the smallest of those left out.
    pub next: Option<NextCopy>,
}

/// The copy the room would have to hold next: the smallest left out, and what it needs.
#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NextCopy {
    pub cluster: String,
    /// CPU in milli-cores, memory and storage in bytes.
    pub needs: Needs,
}

pub(super) fn view(spare: &Spare) -> SpareView {
    match *spare {
        Spare::Room {
            cpu,
            memory,
            storage,
        } => SpareView {
            cpu,
            memory,
            storage,
            nodes: None,
        },
        Spare::Nodes { count, cpu, memory } => SpareView {
            nodes: Some(SpareNodes { count, cpu, memory }),
            ..SpareView::default()
        },
    }
}

/// Nodes of `size` a copy needs: enough for its CPU and for its memory.
pub(super) fn nodes_for(needs: &Needs, cpu_per_node: u64, memory_per_node: u64) -> u64 {
    let by = |need: u64, per: u64| {
        if per == 0 {
            u64::MAX
        } else {
            need.div_ceil(per)
        }
    };
    by(needs.cpu, cpu_per_node).max(by(needs.memory, memory_per_node))
}

/// `needs` in words, each resource the room checks.
fn needs_text(needs: &Needs, checks: &Checks) -> String {
    let mut parts = Vec::new();
    if checks.cpu.is_some() {
        parts.push(cpu(needs.cpu));
    }
    if checks.memory.is_some() {
        parts.push(format!("{} memory", bytes(needs.memory)));
    }
    if checks.storage.is_some() {
        parts.push(format!("{} storage", bytes(needs.storage)));
    }
    join_and(&parts)
}

/// The resources a room states.
struct Checks {
    cpu: Option<u64>,
    memory: Option<u64>,
    storage: Option<u64>,
}

impl Checks {
    fn holds(&self, needs: &Needs) -> bool {
        self.cpu.is_none_or(|c| needs.cpu <= c)
            && self.memory.is_none_or(|m| needs.memory <= m)
            && self.storage.is_none_or(|s| needs.storage <= s)
    }

    /// The largest share of the room `needs` takes, for ordering copies by size.
    fn share(&self, needs: &Needs) -> f64 {
        let part = |need: u64, room: Option<u64>| match room {
            Some(0) if need > 0 => f64::INFINITY,
            Some(0) | None => 0.0,
            Some(room) => need as f64 / room as f64,
        };
        part(needs.cpu, self.cpu)
            .max(part(needs.memory, self.memory))
            .max(part(needs.storage, self.storage))
    }
}

/// How many of `clusters`' copies fit in `spare` at once, and the arithmetic.
pub(super) fn fit(clusters: &[ClusterCapacity], spare: &Spare, notes: &mut Vec<String>) -> Verdict {
    match *spare {
        Spare::Room {
            cpu: c,
            memory,
            storage,
        } => {
            let checks = Checks {
                cpu: c,
                memory,
                storage,
            };
            let unstated: Vec<&str> = [("CPU", c), ("memory", memory), ("storage", storage)]
                .into_iter()
                .filter(|(_, v)| v.is_none())
                .map(|(what, _)| what)
                .collect();
            if !unstated.is_empty() {
                notes.push(format!(
                    "{} not checked: `capacity.spare` does not state it",
                    join_and(&unstated.iter().map(|s| s.to_string()).collect::<Vec<_>>())
                ));
            }
            let mut order: Vec<&ClusterCapacity> = clusters.iter().collect();
            order.sort_by(|a, b| {
                checks
                    .share(&a.copy_needs)
                    .total_cmp(&checks.share(&b.copy_needs))
                    .then_with(|| a.name.cmp(&b.name))
            });
            let mut total = Needs::default();
            let mut fits = 0;
            for cluster in &order {
                let next = total.plus(cluster.copy_needs);
                if !checks.holds(&next) {
                    break;
                }
                total = next;
                fits += 1;
            }
            let room = needs_text(
                &Needs {
                    cpu: c.unwrap_or(0),
                    memory: memory.unwrap_or(0),
                    storage: storage.unwrap_or(0),
                },
                &checks,
            );
            let arithmetic = words(
                &order,
                fits,
                |n| needs_text(n, &checks),
                &room,
                &needs_text(&total, &checks),
            );
            Verdict {
                fits: fits as u64,
                arithmetic,
                next: next_copy(order.get(fits).copied()),
            }
        }
        Spare::Nodes {
            count,
            cpu: per_cpu,
            memory: per_memory,
        } => {
            let mut order: Vec<(&ClusterCapacity, u64)> = clusters
                .iter()
                .map(|c| (c, nodes_for(&c.copy_needs, per_cpu, per_memory)))
                .collect();
            order.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.name.cmp(&b.0.name)));
            let mut used = 0u64;
            let mut fits = 0;
            for (_, nodes) in &order {
                let next = used.saturating_add(*nodes);
                if next > count {
                    break;
                }
                used = next;
                fits += 1;
            }
            notes.push(
                "storage not checked: `capacity.spare_nodes` states nodes, not storage".to_string(),
            );
            let size = format!("{} and {}", cpu(per_cpu), bytes(per_memory));
            let clusters_only: Vec<&ClusterCapacity> = order.iter().map(|(c, _)| *c).collect();
            let nodes_of =
                |needs: &Needs| plural(nodes_for(needs, per_cpu, per_memory), "node", "nodes");
            let room = format!("{count} spare nodes of {size}");
            let arithmetic = words(
                &clusters_only,
                fits,
                nodes_of,
                &room,
                &plural(used, "node", "nodes"),
            );
            Verdict {
                fits: fits as u64,
                arithmetic,
                next: next_copy(clusters_only.get(fits).copied()),
            }
        }
    }
}

fn next_copy(cluster: Option<&ClusterCapacity>) -> Option<NextCopy> {
    cluster.map(|c| NextCopy {
        cluster: c.name.clone(),
        needs: c.copy_needs,
    })
}

/// The arithmetic: which copies fit (`order` smallest first, the first `fits` of them), what
/// they need against the room, and what the next one would need.
fn words(
    order: &[&ClusterCapacity],
    fits: usize,
    needs_text: impl Fn(&Needs) -> String,
    room: &str,
    total: &str,
) -> String {
    let all = order.len();
    let names = |cs: &[&ClusterCapacity]| {
        let shown: Vec<String> = cs.iter().take(5).map(|c| name(&c.name)).collect();
        match cs.len() {
            n if n > 5 => format!("{} and {} more", shown.join(", "), n - 5),
            _ => join_and(&shown),
        }
    };
    if fits == 0 {
        let smallest = order[0];
        return format!(
            "not even the smallest copy fits: {} needs {} of {room}",
            name(&smallest.name),
            needs_text(&smallest.copy_needs)
        );
    }
    let (head, verb) = match (fits, all) {
        (1, 1) => ("the copy of the one cluster fits".to_string(), "needs"),
        (f, a) if f == a => (format!("copies of all {a} clusters fit at once"), "need"),
        (1, a) => (format!("a copy of 1 of {a} clusters fits at once"), "needs"),
        (f, a) => (format!("copies of {f} of {a} clusters fit at once"), "need"),
    };
    let mut text = format!("{head}: {} {verb} {total} of {room}", names(&order[..fits]));
    if let Some(next) = order.get(fits) {
        text.push_str(&format!(
            "; {} would add {}",
            name(&next.name),
            needs_text(&next.copy_needs)
        ));
    }
    text
}

/// One wave of clusters whose copies are held at once.
#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CapacityWave {
    pub clusters: Vec<String>,
    /// What their copies need together (CPU in milli-cores, memory and storage in bytes).
    pub needs: Needs,
    /// Whether the room holds them (a copy too big for the room on its own does not fit).
    pub fits: bool,
}

/// Clusters packed into waves of at most `per_wave`, each wave's copies within `spare`: the
/// largest copy first into the first wave with room for it (first fit decreasing).
pub(super) fn waves(
    clusters: &[ClusterCapacity],
    spare: &Spare,
    per_wave: u64,
) -> Vec<CapacityWave> {
    let holds = |needs: &Needs| match *spare {
        Spare::Room {
            cpu: c,
            memory,
            storage,
        } => Checks {
            cpu: c,
            memory,
            storage,
        }
        .holds(needs),
        Spare::Nodes {
            count,
            cpu: c,
            memory,
        } => nodes_for(needs, c, memory) <= count,
    };
    let mut order: Vec<&ClusterCapacity> = clusters.iter().collect();
    order.sort_by(|a, b| {
        b.copy_needs
            .cmp(&a.copy_needs)
            .then_with(|| a.name.cmp(&b.name))
    });
    let mut waves: Vec<CapacityWave> = Vec::new();
    for cluster in order {
        let slot = waves.iter_mut().find(|w| {
            w.fits
                && (w.clusters.len() as u64) < per_wave
                && holds(&w.needs.plus(cluster.copy_needs))
        });
        match slot {
            Some(wave) => {
                wave.clusters.push(cluster.name.clone());
                wave.needs = wave.needs.plus(cluster.copy_needs);
            }
            None => waves.push(CapacityWave {
                clusters: vec![cluster.name.clone()],
                needs: cluster.copy_needs,
                fits: holds(&cluster.copy_needs),
            }),
        }
    }
    waves
}
