//! What happens to each layer under a strategy: its method, its versions and the versions it
//! passes through, in words the reports show.

use serde::Serialize;

use super::calendar::{node_pool_stops, nodes_trail};
use super::facts::Facts;
use crate::base::text::{join_and, plural};
use crate::checklist::model::Checklist;
use crate::checklist::model::Layer;
use crate::checklist::raw::LayerRole;
use crate::checklist::raw::Steps;
use crate::checklist::strategy::Strategy;
use crate::kube::version::Version;

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
    // With a control plane, the nodes move at the skew stops: replaced under Hybrid,
    // upgraded in place when a sequential plan lets them trail; at every hop otherwise.
    let stops = match facts.max_skew {
        Some(skew) if strategy == Strategy::Hybrid => node_pool_stops(&facts.hops, skew),
        Some(skew) if strategy == Strategy::Sequential && nodes_trail(facts) => {
            node_pool_stops(&facts.hops, skew)
        }
        _ if strategy == Strategy::Sequential => facts.hops.clone(),
        _ => vec![facts.to],
    };
    let stops_text = {
        let shown: Vec<String> = stops.iter().map(ToString::to_string).collect();
        join_and(&shown)
    };
    let drains = plural(stops.len() as u64, "node drain", "node drains");
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
                Some((from, to, _))
                    if layer.role == LayerRole::Workload && facts.max_skew.is_some() =>
                {
                    (Some(from), Some(to), stops.clone())
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
                .replace("{waves}", &plural(waves, "wave", "waves"))
                .replace("{node_stops}", &stops_text)
                .replace("{drains}", &drains);
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
