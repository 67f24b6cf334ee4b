//! Workloads that keep state on persistent volumes (stateful).

use crate::scan::model::{Facts, Finding, Object};
use crate::scan::rules::Rule;

/// One finding per workload that keeps state, saying why.
pub(in crate::scan) fn state(objects: &[Object], paths: &[String]) -> Vec<Finding> {
    let mut findings = Vec::new();
    for object in objects {
        let Facts::Workload(workload) = &object.facts else {
            continue;
        };
        if let Some(reason) = &workload.stateful {
            findings.push(object.finding(
                paths,
                Rule::Stateful,
                reason.clone(),
                "plan how its data moves: replication, backup and restore of its volumes (e.g. Velero), or a downtime window".to_string(),
            ));
        }
    }
    findings
}
