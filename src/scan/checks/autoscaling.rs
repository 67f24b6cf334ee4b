//! HorizontalPodAutoscalers (hpa): what they scale, and the minimum a drain can rely on.

use std::collections::HashMap;

use crate::scan::model::{Facts, Finding, Object};
use crate::scan::rules::Rule;

/// The replicas an autoscaler keeps at least, by `(namespace, kind, name)` of what it scales.
pub(in crate::scan) type MinReplicas = HashMap<(String, String, String), i64>;

/// One finding per autoscaler, and the minimum each scaled workload runs (an autoscaler owns
/// the replica count; the last one read for a workload wins).
pub(in crate::scan) fn autoscalers(
    objects: &[Object],
    paths: &[String],
) -> (Vec<Finding>, MinReplicas) {
    let mut findings = Vec::new();
    let mut min_replicas_of = MinReplicas::new();
    for (hpa, facts) in objects.iter().filter_map(|o| match &o.facts {
        Facts::Hpa(hpa) => Some((o, hpa)),
        _ => None,
    }) {
        let (kind, name, min) = (&facts.target_kind, &facts.target_name, facts.min_replicas);
        min_replicas_of.insert((hpa.namespace.clone(), kind.clone(), name.clone()), min);
        findings.push(hpa.finding(
            paths,
            Rule::Hpa,
            format!("scales {kind} {}/{name} from {min} replicas", hpa.namespace),
            "keep it: a new cluster or node pool absorbs load at cut-over only when pods scale by themselves".to_string(),
        ));
    }
    (findings, min_replicas_of)
}
