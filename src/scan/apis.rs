//! The removed-API table, kept as data in `checklists/data/removed-apis.yaml`.

use serde::Deserialize;

use crate::version::Version;

const TABLE: &str = include_str!("../../checklists/data/removed-apis.yaml");

/// One removal: these apiVersions of these kinds stopped being served in `removed_in`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removal {
    pub removed_in: Version,
    pub api_versions: Vec<String>,
    pub kinds: Vec<String>,
    pub replacement: String,
}

#[derive(Debug, Clone)]
pub struct ApiTable {
    pub source: String,
    pub removals: Vec<Removal>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTable {
    source: String,
    removals: Vec<RawRemoval>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRemoval {
    removed_in: String,
    api_versions: Vec<String>,
    kinds: Vec<String>,
    replacement: String,
}

impl ApiTable {
    /// The built-in table; the tests check it, so a failure here is a bug.
    pub fn builtin() -> ApiTable {
        let raw: RawTable =
            serde_yaml::from_str(TABLE).expect("the removed-API table is valid YAML");
        ApiTable {
            source: raw.source,
            removals: raw
                .removals
                .into_iter()
                .map(|r| Removal {
                    removed_in: r.removed_in.parse().expect("removal version"),
                    api_versions: r.api_versions,
                    kinds: r.kinds,
                    replacement: r.replacement,
                })
                .collect(),
        }
    }

    /// The removal that applies to an object, if any.
    pub fn find(&self, api_version: &str, kind: &str) -> Option<&Removal> {
        self.removals.iter().find(|r| {
            r.kinds.iter().any(|k| k == kind) && r.api_versions.iter().any(|v| v == api_version)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_has_the_documented_removals() {
        let table = ApiTable::builtin();
        let removed = |v: &str, k: &str| table.find(v, k).map(|r| r.removed_in.to_string());
        assert_eq!(
            removed("extensions/v1beta1", "Ingress").as_deref(),
            Some("1.22")
        );
        assert_eq!(
            removed("networking.k8s.io/v1beta1", "Ingress").as_deref(),
            Some("1.22")
        );
        assert_eq!(removed("batch/v1beta1", "CronJob").as_deref(), Some("1.25"));
        assert_eq!(
            removed("policy/v1beta1", "PodDisruptionBudget").as_deref(),
            Some("1.25")
        );
        assert_eq!(
            removed("autoscaling/v2beta2", "HorizontalPodAutoscaler").as_deref(),
            Some("1.26")
        );
        assert_eq!(
            removed("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema").as_deref(),
            Some("1.32")
        );
        assert_eq!(removed("apps/v1", "Deployment"), None);
        assert_eq!(removed("extensions/v1beta1", "Secret"), None);
        assert!(table.source.contains("deprecation-guide"));
    }
}
