//! Whether node drains can proceed without an outage (single-replica, no-pdb,
//! pdb-blocks-eviction): replicas, the PodDisruptionBudgets that select a workload's pods,
//! and budgets that allow no disruption at all.

use std::collections::{BTreeMap, HashMap};

use super::autoscaling::MinReplicas;
use crate::scan::model::{Budget, Facts, Finding, Object, ObjectCounts};
use crate::scan::rules::Rule;

/// Deployments and StatefulSets with one replica, or with more and no budget covering them,
/// and one finding per budget that blocks a drain, naming the workloads it blocks. Counts the
/// workloads that run more than one replica into `counts`.
pub(in crate::scan) fn disruption_budgets(
    objects: &[Object],
    paths: &[String],
    min_replicas_of: &MinReplicas,
    counts: &mut ObjectCounts,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    // PodDisruptionBudgets by namespace, as indexes into `objects`.
    let mut pdbs_by_namespace: HashMap<&str, Vec<usize>> = HashMap::new();
    for (index, object) in objects.iter().enumerate() {
        if let Facts::Pdb(_) = object.facts {
            pdbs_by_namespace
                .entry(object.namespace.as_str())
                .or_default()
                .push(index);
        }
    }

    // PDB index -> (why it blocks, the workloads it blocks).
    let mut eviction_blockers: BTreeMap<usize, (String, Vec<String>)> = BTreeMap::new();
    for object in objects {
        let Facts::Workload(workload) = &object.facts else {
            continue;
        };
        let replicated = matches!(object.kind.as_str(), "Deployment" | "StatefulSet");
        if !replicated {
            continue;
        }
        let declared = workload.replicas;
        // An autoscaler owns the replica count: its minimum is what a drain can rely on.
        let key = (
            object.namespace.clone(),
            object.kind.clone(),
            object.name.clone(),
        );
        let replicas = min_replicas_of.get(&key).copied().unwrap_or(declared);
        if replicas > 1 {
            counts.multi_replica += 1;
        }
        let covering: Vec<usize> = pdbs_by_namespace
            .get(object.namespace.as_str())
            .map(|list| {
                list.iter()
                    .copied()
                    .filter(|&i| selects(&objects[i], &workload.labels))
                    .collect()
            })
            .unwrap_or_default();
        if replicas <= 1 {
            findings.push(object.finding(
                paths,
                Rule::SingleReplica,
                format!("runs {replicas} replica; every node drain takes it down"),
                "run at least two replicas (and spread them across nodes) for anything that must stay up during drains".to_string(),
            ));
        } else if covering.is_empty() {
            findings.push(object.finding(
                paths,
                Rule::NoPdb,
                format!("{replicas} replicas and no PodDisruptionBudget selects its pods"),
                format!(
                    "add a policy/v1 PodDisruptionBudget in namespace {} whose selector matches the pod labels, e.g. maxUnavailable: 1",
                    object.namespace
                ),
            ));
        }
        for pdb in covering {
            if let Some(reason) = blocks_eviction(&objects[pdb], replicas) {
                let blocked = eviction_blockers
                    .entry(pdb)
                    .or_insert_with(|| (reason, Vec::new()));
                blocked.1.push(format!("{} {}", object.kind, object.name));
            }
        }
    }
    // One finding per PDB, naming the workloads it blocks.
    for (pdb, (reason, workloads)) in eviction_blockers {
        findings.push(objects[pdb].finding(
            paths,
            Rule::PdbBlocksEviction,
            format!("{reason}, so draining nodes under {} stalls", workloads.join(", ")),
            "allow at least one disruption: maxUnavailable: 1, or a minAvailable below the replica count".to_string(),
        ));
    }
    findings
}

/// Whether a PodDisruptionBudget selects pods with these labels. An empty selector selects
/// every pod in the namespace under policy/v1 and none under policy/v1beta1; a missing one
/// selects none.
fn selects(pdb: &Object, labels: &[(String, String)]) -> bool {
    let Facts::Pdb(facts) = &pdb.facts else {
        return false;
    };
    let Some(selector) = &facts.selector else {
        return false;
    };
    if selector.match_labels.is_empty() && selector.match_expressions.is_empty() {
        return pdb.api_version != "policy/v1beta1";
    }
    let label = |key: &str| {
        labels
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    let labels_ok = selector.match_labels.iter().all(|pair| {
        pair.as_ref()
            .is_some_and(|(k, v)| label(k) == Some(v.as_str()))
    });
    let expressions_ok = selector.match_expressions.iter().all(|e| {
        let actual = label(&e.key);
        let listed = |a: &str| e.values.iter().any(|v| v == a);
        match e.operator.as_str() {
            "In" => actual.is_some_and(listed),
            "NotIn" => actual.is_none_or(|a| !listed(a)),
            "Exists" => actual.is_some(),
            "DoesNotExist" => actual.is_none(),
            _ => false,
        }
    });
    labels_ok && expressions_ok
}

/// Why a PodDisruptionBudget allows no disruption for a workload of `replicas`, if it does not.
fn blocks_eviction(pdb: &Object, replicas: i64) -> Option<String> {
    let Facts::Pdb(facts) = &pdb.facts else {
        return None;
    };
    match &facts.budget {
        Budget::Allows => None,
        Budget::Blocks(reason) => Some(reason.clone()),
        Budget::MinAvailable(min) if *min >= replicas => Some(format!(
            "minAvailable {min} is not below the {replicas} replicas"
        )),
        Budget::MinAvailable(_) => None,
    }
}
