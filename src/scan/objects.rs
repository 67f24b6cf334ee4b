//! From a parsed document to an [`Object`]: the kind, names and place, and only the facts the
//! rules read (pod templates, disruption budgets, autoscalers, last-applied configurations).

use serde::Deserialize;
use serde_yaml::Value;

use super::model::{Budget, Container, Expression, Facts, Hpa, Object, Pdb, Selector, Workload};

/// The annotation `kubectl apply` keeps the applied configuration in.
pub(super) const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// A Kubernetes object from a parsed value, reduced to what the rules read; its place (file,
/// document, line) is the caller's to fill in. Objects without a namespace land in
/// `namespace`.
pub(super) fn object_of(value: &Value, namespace: &str) -> Result<Object, String> {
    let api_version = value.get("apiVersion").and_then(Value::as_str);
    let kind = value.get("kind").and_then(Value::as_str);
    let (Some(api_version), Some(kind)) = (api_version, kind) else {
        return Err("not a Kubernetes object: no apiVersion or kind".to_string());
    };
    let metadata = value.get("metadata");
    let name = metadata_name(value).unwrap_or("(unnamed)").to_string();
    // Objects without a namespace (Helm templates, most repositories) land in the namespace
    // they are applied to; for files that is treated as one namespace, `default`.
    let namespace = metadata
        .and_then(|m| m.get("namespace"))
        .and_then(Value::as_str)
        .unwrap_or(namespace)
        .to_string();
    let last_applied = metadata
        .and_then(|m| m.get("annotations"))
        .and_then(|a| a.get(LAST_APPLIED))
        .and_then(Value::as_str)
        .and_then(|text| last_applied_api(text, kind))
        .filter(|(applied, _)| applied != api_version);
    let managed_by = metadata
        .and_then(|m| m.get("annotations"))
        .and_then(|annotations| {
            let release = annotations.get("meta.helm.sh/release-name")?.as_str()?;
            let release_namespace = annotations
                .get("meta.helm.sh/release-namespace")
                .and_then(Value::as_str)
                .unwrap_or(&namespace);
            Some(format!("{release_namespace}/{release}"))
        });
    let facts = match kind {
        "HorizontalPodAutoscaler" => Facts::Hpa(hpa_of(value)),
        "PodDisruptionBudget" => Facts::Pdb(Box::new(pdb_of(value))),
        _ => pod_template(kind, value).map_or(Facts::None, |template| {
            Facts::Workload(Box::new(workload_of(kind, value, template)))
        }),
    };
    Ok(Object {
        api_version: api_version.to_string(),
        kind: kind.to_string(),
        namespace,
        name,
        file: 0,
        document: 0,
        line: 1,
        helm: None,
        last_applied,
        managed_by,
        facts,
    })
}

/// What a HorizontalPodAutoscaler scales, and from how many replicas.
fn hpa_of(value: &Value) -> Hpa {
    let spec = value.get("spec");
    let target = spec.and_then(|s| s.get("scaleTargetRef"));
    let text = |key: &str| {
        target
            .and_then(|t| t.get(key))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    Hpa {
        target_kind: text("kind"),
        target_name: text("name"),
        min_replicas: spec
            .and_then(|s| s.get("minReplicas"))
            .and_then(Value::as_i64)
            .unwrap_or(1),
    }
}

/// A workload's pod labels, replicas, containers and state.
fn workload_of(kind: &str, value: &Value, template: &Value) -> Workload {
    let labels = template
        .get("metadata")
        .and_then(|m| m.get("labels"))
        .and_then(Value::as_mapping)
        .into_iter()
        .flatten()
        .filter_map(|(key, label)| {
            // Only text keys are found by name; a selector reads numbers and booleans as text.
            let Value::String(key) = key else {
                return None;
            };
            let label = match label {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                _ => return None,
            };
            Some((key.clone(), label))
        })
        .collect();
    let pod_spec = template.get("spec");
    let containers = pod_spec
        .and_then(|s| s.get("containers"))
        .and_then(Value::as_sequence)
        .into_iter()
        .flatten()
        .map(|container| Container {
            name: container
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("?")
                .to_string(),
            readiness_probe: container.get("readinessProbe").is_some(),
            liveness_probe: container.get("livenessProbe").is_some(),
        })
        .collect();
    Workload {
        labels,
        replicas: value
            .get("spec")
            .and_then(|s| s.get("replicas"))
            .and_then(Value::as_i64)
            .unwrap_or(1),
        containers,
        stateful: statefulness(kind, value, pod_spec),
    }
}

/// A PodDisruptionBudget's selector and what it allows.
fn pdb_of(value: &Value) -> Pdb {
    let spec = value.get("spec");
    let selector = spec.and_then(|s| s.get("selector")).map(|selector| {
        let match_labels = selector
            .get("matchLabels")
            .and_then(Value::as_mapping)
            .into_iter()
            .flatten()
            .map(|(k, v)| {
                let value = v
                    .as_str()
                    .map(str::to_string)
                    .or_else(|| v.as_i64().map(|n| n.to_string()))?;
                Some((k.as_str()?.to_string(), value))
            })
            .collect();
        let match_expressions = selector
            .get("matchExpressions")
            .and_then(Value::as_sequence)
            .into_iter()
            .flatten()
            .map(|e| Expression {
                key: e
                    .get("key")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                operator: e
                    .get("operator")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                values: e
                    .get("values")
                    .and_then(Value::as_sequence)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect(),
            })
            .collect();
        Selector {
            match_labels,
            match_expressions,
        }
    });
    Pdb {
        selector,
        budget: budget(spec),
    }
}

/// What a PodDisruptionBudget's spec allows.
fn budget(spec: Option<&Value>) -> Budget {
    let Some(spec) = spec else {
        return Budget::Allows;
    };
    if let Some(max) = spec.get("maxUnavailable") {
        return match max {
            Value::Number(n) if n.as_i64() == Some(0) => {
                Budget::Blocks("maxUnavailable is 0".to_string())
            }
            Value::String(s) if s.trim() == "0%" || s.trim() == "0" => {
                Budget::Blocks(format!("maxUnavailable is {s}"))
            }
            _ => Budget::Allows,
        };
    }
    match spec.get("minAvailable") {
        Some(Value::Number(n)) => n.as_i64().map_or(Budget::Allows, Budget::MinAvailable),
        Some(Value::String(s)) if s.trim() == "100%" => {
            Budget::Blocks("minAvailable is 100%".to_string())
        }
        _ => Budget::Allows,
    }
}

/// An object's `metadata.name`, else its `generateName`.
pub(super) fn metadata_name(value: &Value) -> Option<&str> {
    value
        .get("metadata")
        .and_then(|m| m.get("name").or_else(|| m.get("generateName")))
        .and_then(Value::as_str)
}

/// The apiVersion and kind of a last-applied configuration (JSON); `None` when unreadable.
fn last_applied_api(text: &str, kind: &str) -> Option<(String, String)> {
    #[derive(Deserialize)]
    struct Applied {
        #[serde(rename = "apiVersion")]
        api_version: Option<String>,
        kind: Option<String>,
    }
    let applied: Applied = serde_json::from_str(text).ok()?;
    Some((
        applied.api_version?,
        applied.kind.unwrap_or_else(|| kind.to_string()),
    ))
}

/// The pod template of a workload (or the pod itself).
fn pod_template<'v>(kind: &str, value: &'v Value) -> Option<&'v Value> {
    let spec = value.get("spec");
    match kind {
        "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" | "Job" => spec?.get("template"),
        "CronJob" => spec?.get("jobTemplate")?.get("spec")?.get("template"),
        "Pod" => Some(value),
        _ => None,
    }
}

/// Why the object keeps state, if it does.
fn statefulness(kind: &str, value: &Value, pod_spec: Option<&Value>) -> Option<String> {
    let templates = value
        .get("spec")
        .and_then(|s| s.get("volumeClaimTemplates"))
        .and_then(Value::as_sequence)
        .map_or(0, Vec::len);
    let claims: Vec<&str> = pod_spec
        .and_then(|s| s.get("volumes"))
        .and_then(Value::as_sequence)
        .into_iter()
        .flatten()
        .filter_map(|v| v.get("persistentVolumeClaim")?.get("claimName")?.as_str())
        .collect();
    match (kind, templates, claims.is_empty()) {
        ("StatefulSet", n, _) if n > 0 => {
            Some(format!("StatefulSet with {n} volumeClaimTemplate(s)"))
        }
        ("StatefulSet", _, _) => Some("StatefulSet".to_string()),
        (_, _, false) => Some(format!(
            "mounts PersistentVolumeClaim(s) {}",
            claims.join(", ")
        )),
        _ => None,
    }
}
