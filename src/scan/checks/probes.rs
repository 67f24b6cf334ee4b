//! Containers without readiness or liveness probes (no-readiness-probe, no-liveness-probe).

use crate::scan::model::{Facts, Finding, Object, ObjectCounts};
use crate::scan::rules::Rule;

/// The containers of Deployments, StatefulSets and DaemonSets without a readiness or a
/// liveness probe, one finding per container and probe. Counts the workloads and containers
/// checked into `counts`.
pub(in crate::scan) fn probes(
    objects: &[Object],
    paths: &[String],
    counts: &mut ObjectCounts,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for object in objects {
        let Facts::Workload(workload) = &object.facts else {
            continue;
        };
        if !matches!(
            object.kind.as_str(),
            "Deployment" | "StatefulSet" | "DaemonSet"
        ) {
            continue;
        }
        counts.workloads += 1;
        counts.containers += workload.containers.len();
        for container in &workload.containers {
            let name = &container.name;
            if !container.readiness_probe {
                findings.push(Finding {
                    container: Some(name.to_string()),
                    ..object.finding(
                        paths,
                        Rule::NoReadinessProbe,
                        format!("container {name} has no readiness probe"),
                        format!("add a readinessProbe to container {name} so it gets traffic only when ready"),
                    )
                });
            }
            if !container.liveness_probe {
                findings.push(Finding {
                    container: Some(name.to_string()),
                    ..object.finding(
                        paths,
                        Rule::NoLivenessProbe,
                        format!("container {name} has no liveness probe"),
                        format!(
                            "add a livenessProbe to container {name} so a hung process is restarted"
                        ),
                    )
                });
            }
        }
    }
    findings
}
