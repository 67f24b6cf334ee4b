//! The finding rules as one table: each entry says everything about a rule (its stable id,
//! level, description, and the name, title and help page code-scanning views show), so that
//! adding a rule is one entry here plus its check in `checks/`.

/// How serious a finding is for an upgrade (SARIF's levels).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Error,
    Warning,
    Note,
}

impl Level {
    pub const fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Note => "note",
        }
    }
}

/// What a finding means for a pipeline (`scan --fail-on`), from the most to the least serious.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    /// Something that breaks at the target: a removed API, a chart that does not admit it.
    Removed,
    /// An API removed in a later release than the target: it breaks at a later upgrade.
    Upcoming,
    /// A readiness risk for a rolling upgrade: no disruption budget, one replica, no probe.
    Risk,
    /// Worth knowing, never a failure: state, autoscaling, a missing liveness probe.
    Info,
}

/// Everything said about a rule, wherever it is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleInfo {
    /// The stable id a pipeline can filter on; also the rule's name in JSON.
    pub id: &'static str,
    pub level: Level,
    /// What it means for `scan --fail-on`.
    pub class: Class,
    /// What the rule looks for, in one line.
    pub description: &'static str,
    /// The rule's name for people reading a code-scanning view (SARIF `name`, in the spec's
    /// style).
    pub sarif_name: &'static str,
    /// The rule's headline for a code-scanning view.
    pub title: &'static str,
    /// Where the documentation explains what the rule checks.
    pub help_uri: &'static str,
}

/// Declares [`Rule`], [`Rule::ALL`] (in table order, which is also the order findings sort
/// by and SARIF lists rules in) and [`Rule::info`] from one table.
macro_rules! define_rules {
    ($(
        $variant:ident {
            id: $id:literal,
            level: $level:ident,
            class: $class:ident,
            sarif_name: $sarif_name:literal,
            title: $title:literal,
            help_uri: $help_uri:literal,
            description: $description:literal $(,)?
        }
    )*) => {
        /// The finding rules: stable ids a pipeline can filter on.
        #[derive(
            schemars::JsonSchema,
            Debug,
            Clone,
            Copy,
            PartialEq,
            Eq,
            PartialOrd,
            Ord,
            Hash,
            serde::Serialize,
            serde::Deserialize,
        )]
        pub enum Rule {
            $(
                #[serde(rename = $id)]
                $variant,
            )*
        }

        impl Rule {
            pub const ALL: [Rule; [$(stringify!($variant)),*].len()] = [$(Rule::$variant),*];

            /// The rule's entry in the table.
            pub const fn info(self) -> &'static RuleInfo {
                match self {
                    $(
                        Rule::$variant => &RuleInfo {
                            id: $id,
                            level: Level::$level,
                            class: Class::$class,
                            description: $description,
                            sarif_name: $sarif_name,
                            title: $title,
                            help_uri: $help_uri,
                        },
                    )*
                }
            }
        }
    };
}

define_rules! {
    RemovedApi {
        id: "removed-api",
        level: Error,
        class: Removed,
        sarif_name: "RemovedKubernetesApi",
        title: "API version removed by the target Kubernetes release",
        help_uri: "https://kubernetes.io/docs/reference/using-api/deprecation-guide/",
        description: "The object uses an API version the target Kubernetes release no longer serves.",
    }
    UpcomingRemoval {
        id: "upcoming-removal",
        level: Warning,
        class: Upcoming,
        sarif_name: "UpcomingKubernetesApiRemoval",
        title: "API version removed by a later Kubernetes release",
        help_uri: "https://kubernetes.io/docs/reference/using-api/deprecation-guide/",
        description: "The object uses an API version a release after the target removes.",
    }
    NoPdb {
        id: "no-pdb",
        level: Warning,
        class: Risk,
        sarif_name: "MissingPodDisruptionBudget",
        title: "Replicated workload without a PodDisruptionBudget",
        help_uri: "https://kubernetes.io/docs/tasks/run-application/configure-pdb/",
        description: "A workload with more than one replica has no PodDisruptionBudget, so a drain can stop every replica at once.",
    }
    PdbBlocksEviction {
        id: "pdb-blocks-eviction",
        level: Error,
        class: Risk,
        sarif_name: "PodDisruptionBudgetBlocksEviction",
        title: "PodDisruptionBudget that allows no disruption",
        help_uri: "https://kubernetes.io/docs/tasks/run-application/configure-pdb/",
        description: "A PodDisruptionBudget allows no disruption at all, so node drains stall.",
    }
    SingleReplica {
        id: "single-replica",
        level: Warning,
        class: Risk,
        sarif_name: "SingleReplicaWorkload",
        title: "Workload with a single replica",
        help_uri: "https://kubernetes.io/docs/concepts/workloads/pods/disruptions/",
        description: "A workload runs a single replica, so every drain is an outage for it.",
    }
    NoReadinessProbe {
        id: "no-readiness-probe",
        level: Warning,
        class: Risk,
        sarif_name: "MissingReadinessProbe",
        title: "Container without a readiness probe",
        help_uri: "https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/",
        description: "A container has no readiness probe, so traffic reaches it before it is ready.",
    }
    NoLivenessProbe {
        id: "no-liveness-probe",
        level: Note,
        class: Info,
        sarif_name: "MissingLivenessProbe",
        title: "Container without a liveness probe",
        help_uri: "https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/",
        description: "A container has no liveness probe, so a hung process is never restarted.",
    }
    Stateful {
        id: "stateful",
        level: Note,
        class: Info,
        sarif_name: "StatefulWorkload",
        title: "Workload with persistent state",
        help_uri: "https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/",
        description: "The workload keeps state on persistent volumes.",
    }
    Hpa {
        id: "hpa",
        level: Note,
        class: Info,
        sarif_name: "HorizontalPodAutoscaler",
        title: "Workload scaled by a HorizontalPodAutoscaler",
        help_uri: "https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/",
        description: "A HorizontalPodAutoscaler scales the workload.",
    }
    ChartKubeVersion {
        id: "chart-kube-version",
        level: Error,
        class: Removed,
        sarif_name: "HelmChartKubeVersionExcludesTarget",
        title: "Deployed Helm chart that does not support the target release",
        help_uri: "https://helm.sh/docs/topics/charts/#the-chartyaml-file",
        description: "A deployed Helm release's chart declares a kubeVersion the target release does not satisfy, so Helm refuses to upgrade it there.",
    }
}

impl Rule {
    pub fn id(self) -> &'static str {
        self.info().id
    }

    /// What the rule looks for, in one line.
    pub fn description(self) -> &'static str {
        self.info().description
    }

    /// How serious a finding is for an upgrade: `error`, `warning` or `note` (SARIF levels).
    pub fn level(self) -> &'static str {
        self.info().level.as_str()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn every_rule_is_described_once_and_fully() {
        let mut ids = HashSet::new();
        let mut names = HashSet::new();
        for rule in Rule::ALL {
            let info = rule.info();
            assert!(ids.insert(info.id), "id {} twice", info.id);
            assert!(
                names.insert(info.sarif_name),
                "name {} twice",
                info.sarif_name
            );
            assert!(!info.title.is_empty(), "{} has no title", info.id);
            assert!(
                !info.description.is_empty(),
                "{} has no description",
                info.id
            );
            assert!(
                info.help_uri.starts_with("https://"),
                "{} has no help URI",
                info.id
            );
            // The id is what JSON writes and reads.
            assert_eq!(
                serde_json::to_value(rule).unwrap(),
                serde_json::json!(info.id)
            );
            assert_eq!(
                serde_json::from_value::<Rule>(serde_json::json!(info.id)).unwrap(),
                rule
            );
        }
    }
}
