//! The calendar and the plan: which phases each strategy needs, in which change windows, and
//! what happens to each layer. All counts saturate instead of wrapping.

use crate::checklist::raw::PhaseKind;
use serde::Serialize;

use super::facts::Facts;
use crate::base::text::plural;
use crate::checklist::model::Checklist;
use crate::checklist::model::Layer;
use crate::checklist::raw::LayerRole;
use crate::checklist::raw::Steps;
use crate::checklist::strategy::Strategy;
use crate::kube::version::Version;

#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Serialize)]
pub struct Timeline {
    pub strategy: Strategy,
    /// Production changes needed.
    pub changes: u64,
    /// Change windows needed at the answered cadence, changes and clusters per window.
    pub windows: u64,
    /// Calendar months those windows span, at least; validation and remediation come on top.
    pub months: f64,
    pub phases: Vec<Phase>,
    /// The gate that rules this strategy out, if one does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ruled_out_by: Option<String>,
}

#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Serialize)]
pub struct Phase {
    pub name: String,
    pub kind: PhaseKind,
    pub changes: u64,
    /// An in-place change of a shared layer (done once per management plane in a fleet).
    pub shared: bool,
    /// First and last window (1-based) the phase occupies.
    pub first_window: u64,
    pub last_window: u64,
}

/// Lays phases out over change windows, each after the one it depends on.
struct Schedule {
    /// Build phase names and keep the phases; off when only the window count is wanted.
    record: bool,
    per_window: u64,
    /// The last window used so far (0: none).
    last: u64,
    /// Change slots still free in `last`, for in-place changes that may share it.
    room: u64,
    changes: u64,
    phases: Vec<Phase>,
}

impl Schedule {
    fn new(per_window: u64, record: bool) -> Self {
        Schedule {
            record,
            per_window: per_window.max(1),
            last: 0,
            room: 0,
            changes: 0,
            phases: Vec::new(),
        }
    }

    /// In-place changes, `per_window` to a window; they may continue the window of the
    /// in-place change before them.
    fn packed(&mut self, name: impl FnOnce() -> String, changes: u64, shared: bool) {
        if changes == 0 {
            return;
        }
        let from_room = self.room.min(changes);
        let rest = changes - from_room;
        let first = if from_room > 0 {
            self.last
        } else {
            self.last.saturating_add(1)
        };
        let extra = rest.div_ceil(self.per_window);
        self.last = self.last.saturating_add(extra);
        self.room = if extra > 0 {
            extra.saturating_mul(self.per_window) - rest
        } else {
            self.room - from_room
        };
        self.push(name, PhaseKind::InPlace, changes, shared, first);
    }

    /// A phase of whole windows that starts after everything before it has ended.
    fn windows(
        &mut self,
        name: impl FnOnce() -> String,
        kind: PhaseKind,
        windows: u64,
        changes: u64,
    ) {
        if windows == 0 {
            return;
        }
        let first = self.last.saturating_add(1);
        self.last = self.last.saturating_add(windows);
        self.room = 0;
        self.push(name, kind, changes, false, first);
    }

    fn push(
        &mut self,
        name: impl FnOnce() -> String,
        kind: PhaseKind,
        changes: u64,
        shared: bool,
        first: u64,
    ) {
        self.changes = self.changes.saturating_add(changes);
        if !self.record {
            return;
        }
        self.phases.push(Phase {
            name: name(),
            kind,
            changes,
            shared,
            first_window: first,
            last_window: self.last,
        });
    }

    fn finish(self, strategy: Strategy, windows_per_year: u32) -> Timeline {
        Timeline {
            strategy,
            changes: self.changes,
            windows: self.last,
            months: months(self.last, windows_per_year),
            phases: self.phases,
            ruled_out_by: None,
        }
    }
}

/// Calendar months for a number of windows, to one decimal.
pub fn months(windows: u64, windows_per_year: u32) -> f64 {
    let months = windows as f64 * 12.0 / f64::from(windows_per_year.max(1));
    (months * 10.0).round() / 10.0
}

/// The hops, in groups that one window can take for one batch of clusters.
fn hop_groups(hops: &[Version], per_window: u64) -> impl Iterator<Item = &[Version]> {
    hops.chunks(usize::try_from(per_window).unwrap_or(usize::MAX).max(1))
}

/// The versions the nodes are replaced at under Hybrid when a control plane moves hop by
/// hop: never more than `max_skew` minors behind it, and the target at the end.
pub fn node_pool_stops(hops: &[Version], max_skew: u32) -> Vec<Version> {
    hops.chunks(usize::try_from(max_skew).unwrap_or(usize::MAX).max(1))
        .filter_map(|chunk| chunk.last().copied())
        .collect()
}

fn shared_phases(checklist: &Checklist, facts: &Facts, schedule: &mut Schedule) {
    for path in &facts.shared {
        let layer = &checklist.layers[path.layer];
        let name = || format!("{} {} to {} in place", layer.name, path.from, path.to);
        schedule.packed(name, path.steps.len() as u64, true);
    }
}

fn workload_name(checklist: &Checklist) -> &str {
    checklist
        .layers
        .iter()
        .find(|l| l.role == LayerRole::Workload)
        .map_or("Workload clusters", |l| l.name.as_str())
}

/// In-place hops of the workload (or control-plane) layer for every batch: one batch a
/// window, up to `changes_per_window` hops of that batch in it.
fn batched_hops(
    name: &str,
    hops: &[Version],
    facts: &Facts,
    schedule: &mut Schedule,
    suffix: &str,
) {
    for group in hop_groups(hops, facts.changes_per_window) {
        let (Some(first), Some(last)) = (group.first(), group.last()) else {
            continue;
        };
        let label = || {
            let to = if first == last {
                last.to_string()
            } else {
                format!("{first}-{last}")
            };
            let in_batches = plural(facts.batches, "batch", "batches");
            format!("{name} to {to}{suffix} ({in_batches})")
        };
        let changes = facts.batches.saturating_mul(group.len() as u64);
        if facts.batches == 1 {
            schedule.packed(label, changes, false);
        } else {
            schedule.windows(label, PhaseKind::InPlace, facts.batches, changes);
        }
    }
}

pub fn sequential(checklist: &Checklist, facts: &Facts) -> Timeline {
    sequential_plan(checklist, facts, true)
}

fn sequential_plan(checklist: &Checklist, facts: &Facts, record: bool) -> Timeline {
    let mut s = Schedule::new(facts.changes_per_window, record);
    shared_phases(checklist, facts, &mut s);
    batched_hops(workload_name(checklist), &facts.hops, facts, &mut s, "");
    s.finish(Strategy::Sequential, facts.windows_per_year)
}

pub fn blue_green(checklist: &Checklist, facts: &Facts) -> Timeline {
    blue_green_plan(checklist, facts, true)
}

fn blue_green_plan(checklist: &Checklist, facts: &Facts, record: bool) -> Timeline {
    let cal = &checklist.calendar;
    let mut s = Schedule::new(facts.changes_per_window, record);
    let build = u64::from(cal.blue_green_build_changes);
    s.windows(
        || format!("Build Green at {}", facts.to),
        PhaseKind::Build,
        build.div_ceil(facts.changes_per_window),
        build,
    );
    s.windows(
        || format!("Move to Green ({})", plural(facts.batches, "wave", "waves")),
        PhaseKind::Wave,
        facts.batches,
        facts.batches,
    );
    rollback_then_retire(
        &mut s,
        facts,
        u64::from(cal.rollback_windows),
        "Blue",
        "Decommission Blue",
        u64::from(cal.blue_green_decommission_changes),
    );
    s.finish(Strategy::BlueGreen, facts.windows_per_year)
}

pub fn hybrid(checklist: &Checklist, facts: &Facts) -> Timeline {
    hybrid_plan(checklist, facts, true)
}

fn hybrid_plan(checklist: &Checklist, facts: &Facts, record: bool) -> Timeline {
    let cal = &checklist.calendar;
    let mut s = Schedule::new(facts.changes_per_window, record);
    shared_phases(checklist, facts, &mut s);
    let workload = workload_name(checklist);
    let workload = workload.to_lowercase();
    let waves = |n: u64| plural(n, "wave", "waves");
    let control_plane = checklist
        .layers
        .iter()
        .find(|l| l.role == LayerRole::ControlPlane);
    match (control_plane, facts.max_skew) {
        (Some(layer), Some(skew)) if !facts.hops.is_empty() => {
            // The control plane moves hop by hop; the nodes are replaced before they fall
            // more than `skew` minors behind it.
            let skew = usize::try_from(skew).unwrap_or(usize::MAX).max(1);
            for chunk in facts.hops.chunks(skew) {
                batched_hops(&layer.name, chunk, facts, &mut s, " in place");
                let Some(stop) = chunk.last() else { continue };
                s.windows(
                    || format!("Replace {workload} at {stop} ({})", waves(facts.batches)),
                    PhaseKind::Wave,
                    facts.batches,
                    facts.batches,
                );
            }
        }
        _ => s.windows(
            || {
                format!(
                    "Replace {workload} at {} ({})",
                    facts.to,
                    waves(facts.batches)
                )
            },
            PhaseKind::Wave,
            facts.batches,
            facts.batches,
        ),
    }
    rollback_then_retire(
        &mut s,
        facts,
        u64::from(cal.rollback_windows),
        &format!("the old {workload}"),
        &format!("Retire the old {workload}"),
        u64::from(cal.hybrid_decommission_changes),
    );
    s.finish(Strategy::Hybrid, facts.windows_per_year)
}

/// The end of every parallel plan: the old side kept untouched for `rollback` windows, so
/// traffic can move back, and only then retired.
fn rollback_then_retire(
    s: &mut Schedule,
    facts: &Facts,
    rollback: u64,
    old_side: &str,
    retire_name: &str,
    retire_changes: u64,
) {
    s.windows(
        || {
            format!(
                "Keep {old_side} for rollback ({})",
                plural(rollback, "window", "windows")
            )
        },
        PhaseKind::Rollback,
        rollback,
        0,
    );
    s.windows(
        || retire_name.to_string(),
        PhaseKind::Decommission,
        retire_changes.div_ceil(facts.changes_per_window),
        retire_changes,
    );
}

/// The three timelines, in [`Strategy::ALL`] order.
pub fn timelines(checklist: &Checklist, facts: &Facts) -> Vec<Timeline> {
    vec![
        sequential(checklist, facts),
        blue_green(checklist, facts),
        hybrid(checklist, facts),
    ]
}

/// Windows a strategy needs, without building phase names (for the decision).
pub fn windows(checklist: &Checklist, facts: &Facts, strategy: Strategy) -> u64 {
    match strategy {
        Strategy::Sequential => sequential_plan(checklist, facts, false).windows,
        Strategy::BlueGreen => blue_green_plan(checklist, facts, false).windows,
        Strategy::Hybrid => hybrid_plan(checklist, facts, false).windows,
    }
}

#[derive(schemars::JsonSchema, Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// Upgraded where it runs.
    InPlace,
    /// Rebuilt at the target beside the old one.
    BlueGreen,
    /// Redeployed onto the new clusters.
    Migrate,
    /// Stays on its clusters and rides through each in-place hop.
    RideThrough,
    /// No versions given or nothing to change.
    Unchanged,
}

impl Method {
    pub fn label(self) -> &'static str {
        match self {
            Method::InPlace => "in place",
            Method::BlueGreen => "blue-green",
            Method::Migrate => "migrated",
            Method::RideThrough => "in place (rolling restarts)",
            Method::Unchanged => "unchanged",
        }
    }
}

#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Serialize)]
pub struct LayerPlan {
    pub id: String,
    pub name: String,
    pub method: Method,
    pub from: Option<Version>,
    pub to: Option<Version>,
    /// The versions passed through, in order (the last is the target).
    pub steps: Vec<Version>,
    pub note: String,
}

/// What happens to each layer under `strategy`.
pub fn layers(checklist: &Checklist, facts: &Facts, strategy: Strategy) -> Vec<LayerPlan> {
    let hops = facts.hops.len() as u64;
    // Under Hybrid with a control plane, the nodes are replaced at each skew stop.
    let stops = match facts.max_skew {
        Some(skew) if strategy == Strategy::Hybrid => node_pool_stops(&facts.hops, skew),
        _ => vec![facts.to],
    };
    let waves = facts.batches.saturating_mul(stops.len().max(1) as u64);
    checklist
        .layers
        .iter()
        .enumerate()
        .map(|(index, layer)| {
            let versions = match layer.role {
                LayerRole::Shared => match facts.shared.iter().find(|p| p.layer == index) {
                    Some(p) => Some((p.from, p.to, p.steps.clone())),
                    None => {
                        let from_id = layer.from.as_deref().unwrap_or_default();
                        return unchanged(
                            layer,
                            None,
                            format!("not assessed: {from_id} was not answered"),
                        );
                    }
                },
                LayerRole::Workload | LayerRole::ControlPlane => {
                    Some((facts.from, facts.to, facts.hops.clone()))
                }
                LayerRole::Applications => None,
            };
            if let Some((from, to, steps)) = &versions
                && steps.is_empty()
            {
                return unchanged(
                    layer,
                    Some((*from, *to)),
                    "already at the target".to_string(),
                );
            }
            let method = match (layer.role, strategy) {
                (LayerRole::Applications, Strategy::Sequential) => Method::RideThrough,
                (LayerRole::Applications, _) => Method::Migrate,
                (_, Strategy::BlueGreen) | (LayerRole::Workload, Strategy::Hybrid) => {
                    Method::BlueGreen
                }
                _ => Method::InPlace,
            };
            let (from, to, steps) = match versions {
                Some((from, to, _)) if method == Method::BlueGreen => {
                    let steps = if layer.role == LayerRole::Workload {
                        stops.clone()
                    } else {
                        vec![to]
                    };
                    (Some(from), Some(to), steps)
                }
                Some((from, to, steps)) => (Some(from), Some(to), steps),
                None => (None, None, Vec::new()),
            };
            let in_place = match layer.steps {
                Steps::Minor if layer.role == LayerRole::Shared => {
                    plural(steps.len() as u64, "hop", "hops")
                }
                Steps::Direct if layer.role == LayerRole::Shared => {
                    "one in-place update".to_string()
                }
                _ => plural(hops, "hop", "hops"),
            };
            let version = |v: Option<Version>| v.map_or(String::new(), |v| v.to_string());
            let note = layer.notes[&strategy]
                .replace("{from}", &version(from))
                .replace("{to}", &version(to))
                .replace("{steps}", &in_place)
                .replace("{hops}", &plural(hops, "hop", "hops"))
                .replace("{clusters}", &plural(facts.clusters, "cluster", "clusters"))
                .replace("{batches}", &plural(facts.batches, "batch", "batches"))
                .replace("{waves}", &plural(waves, "wave", "waves"));
            LayerPlan {
                id: layer.id.clone(),
                name: layer.name.clone(),
                method,
                from,
                to,
                steps,
                note,
            }
        })
        .collect()
}

fn unchanged(layer: &Layer, versions: Option<(Version, Version)>, note: String) -> LayerPlan {
    LayerPlan {
        id: layer.id.clone(),
        name: layer.name.clone(),
        method: Method::Unchanged,
        from: versions.map(|v| v.0),
        to: versions.map(|v| v.1),
        steps: Vec::new(),
        note,
    }
}
