//! From findings to answers: what the manifests say about the readiness questions, with the
//! counts behind it. Also reads Pluto's JSON, so teams can bring the scanner they already run.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::model::{Evidence, EvidenceAnswer, Finding, ObjectCounts, ScanReport};
use super::rules::Rule;
use crate::answers::values::EvidenceItem;
use crate::base::diagnostic::code::Code;
use crate::base::diagnostic::{Diagnostic, InputError, InputKind, from_yaml_error};
use crate::checklist::model::Checklist;
use crate::checklist::value::AnswerValue;
use crate::kube::version::Version;

fn counts(pairs: &[(&str, usize)]) -> BTreeMap<String, u64> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), *v as u64))
        .collect()
}

/// Workloads (or objects) a scan must have seen before its estimates overrule a person's
/// answer; below it, a disagreement is shown and the answer stands.
pub const MIN_SEEN_TO_OVERRULE: u64 = 10;

fn of(n: usize, total: usize, what: &str) -> String {
    format!("{n} of {total} {what}")
}

impl Evidence {
    pub(super) fn from_findings(
        findings: &[Finding],
        objects: &ObjectCounts,
        target: Version,
    ) -> Evidence {
        let count = |rule: Rule| findings.iter().filter(|f| f.rule == rule).count();
        if objects.objects == 0 {
            return Evidence::default();
        }
        let removed = count(Rule::RemovedApi);
        let upcoming = count(Rule::UpcomingRemoval);
        // Where the removals were found: deployed Helm releases and last-applied configurations.
        let removed_where = |helm: bool, applied: bool| {
            findings
                .iter()
                .filter(|f| f.rule == Rule::RemovedApi)
                .filter(|f| f.helm.is_some() == helm && f.last_applied == applied)
                .count()
        };
        let (in_files, in_helm, as_applied) = (
            removed_where(false, false),
            removed_where(true, false),
            removed_where(false, true),
        );
        let origins = if in_helm + as_applied == 0 {
            String::new()
        } else {
            format!(" ({in_helm} in deployed Helm releases, {as_applied} as last applied)")
        };
        let deprecated_apis = Some(EvidenceAnswer {
            answer: if removed == 0 {
                "remediated"
            } else {
                "not-remediated"
            }
            .to_string(),
            detail: if removed == 0 {
                format!(
                    "none of {} objects uses an API removed by {target}",
                    objects.objects
                )
            } else {
                format!(
                    "{} use an API removed by {target}{origins}",
                    of(removed, objects.objects, "objects")
                )
            },
            counts: counts(&[
                ("removed", removed),
                ("removed_in_files", in_files),
                ("removed_in_helm_releases", in_helm),
                ("removed_as_last_applied", as_applied),
                ("upcoming", upcoming),
                ("objects", objects.objects),
            ]),
        });
        if objects.workloads == 0 {
            return Evidence {
                deprecated_apis,
                ..Evidence::default()
            };
        }
        let no_pdb = count(Rule::NoPdb);
        let no_readiness = count(Rule::NoReadinessProbe);
        // A budget that allows no disruption blocks every drain: as bad as none.
        let blocking = count(Rule::PdbBlocksEviction);
        let single = count(Rule::SingleReplica);
        let gaps = no_pdb + no_readiness + blocking;
        let everything_missing = (objects.multi_replica == 0 || no_pdb == objects.multi_replica)
            && (objects.containers == 0 || no_readiness == objects.containers);
        let pdbs_and_probes = Some(EvidenceAnswer {
            answer: if gaps == 0 {
                "yes"
            } else if everything_missing {
                "no"
            } else {
                "partly"
            }
            .to_string(),
            detail: format!(
                "{} lack a PodDisruptionBudget; {} eviction; {} lack a readiness probe; {} run a single replica",
                of(no_pdb, objects.multi_replica, "multi-replica workloads"),
                crate::base::text::plural(blocking as u64, "budget blocks", "budgets block"),
                of(no_readiness, objects.containers, "containers"),
                of(single, objects.workloads, "workloads"),
            ),
            counts: counts(&[
                ("multi_replica_workloads", objects.multi_replica),
                ("workloads", objects.workloads),
                ("without_pdb", no_pdb),
                ("pdbs_blocking_eviction", blocking),
                ("single_replica", single),
                ("containers", objects.containers),
                ("without_readiness_probe", no_readiness),
            ]),
        });
        let stateful = count(Rule::Stateful);
        let stateful_workloads = Some(EvidenceAnswer {
            answer: if stateful == 0 {
                "none"
            } else if stateful >= 5 || stateful * 4 >= objects.workloads {
                "many"
            } else {
                "some"
            }
            .to_string(),
            detail: format!(
                "{} keep state (StatefulSets or mounted PersistentVolumeClaims)",
                of(stateful, objects.workloads, "workloads")
            ),
            counts: counts(&[("stateful", stateful), ("workloads", objects.workloads)]),
        });
        let hpas = count(Rule::Hpa);
        let pod_autoscaling = Some(EvidenceAnswer {
            answer: if hpas > 0 { "yes" } else { "no" }.to_string(),
            detail: format!(
                "{} for {}",
                crate::base::text::plural(
                    hpas as u64,
                    "HorizontalPodAutoscaler",
                    "HorizontalPodAutoscalers"
                ),
                crate::base::text::plural(objects.workloads as u64, "workload", "workloads")
            ),
            counts: counts(&[("hpas", hpas), ("workloads", objects.workloads)]),
        });
        Evidence {
            deprecated_apis,
            pdbs_and_probes,
            stateful_workloads,
            pod_autoscaling,
        }
    }

    /// The evidence as answers to the checklist's questions, through its `evidence` bindings.
    pub fn as_answers(&self, checklist: &Checklist) -> Vec<EvidenceItem> {
        let b = &checklist.evidence;
        [
            (
                &b.deprecated_apis,
                &self.deprecated_apis,
                "remediated",
                "objects",
            ),
            (
                &b.pdbs_and_probes,
                &self.pdbs_and_probes,
                "yes",
                "workloads",
            ),
            (
                &b.stateful_workloads,
                &self.stateful_workloads,
                "none",
                "workloads",
            ),
            (&b.pod_autoscaling, &self.pod_autoscaling, "no", "workloads"),
        ]
        .into_iter()
        .filter_map(|(question, answer, absent, unit)| {
            let (question, answer) = (question.as_ref()?, answer.as_ref()?);
            // Workload counts are kept under a few names; the largest is what the scan saw.
            let seen = answer
                .counts
                .iter()
                .filter(|(k, _)| match unit {
                    "objects" => k.as_str() == "objects",
                    _ => k.as_str() == "workloads" || k.as_str() == "multi_replica_workloads",
                })
                .map(|(_, n)| *n)
                .max()
                .unwrap_or(0);
            Some(EvidenceItem {
                question: question.clone(),
                value: AnswerValue::Choice(answer.answer.clone()),
                detail: answer.detail.clone(),
                counts: answer.counts.clone(),
                found: answer.answer != absent,
                absent: absent.to_string(),
                seen: format!(
                    "the scan saw {}",
                    crate::base::text::plural(seen, &unit[..unit.len() - 1], unit)
                ),
                enough: seen >= MIN_SEEN_TO_OVERRULE,
            })
        })
        .collect()
    }

    /// Checks every evidence answer against the question it answers, like an answers file.
    pub fn validate(&self, checklist: &Checklist, origin: &str) -> Result<(), InputError> {
        let problems: Vec<Diagnostic> = self
            .as_answers(checklist)
            .into_iter()
            .filter_map(|item| {
                let question = checklist.question(&item.question)?;
                let value = item.value.to_string();
                (question.choice(&value).is_none()).then(|| {
                    Diagnostic::new(format!(
                        "the evidence answers `{}` with `{value}`, which the question does not allow",
                        item.question
                    ))
                    .at(format!("evidence `{}`", item.question))
                    .fix(format!(
                        "use {} (or regenerate the file with `upgrade-advisor scan PATH --format json`)",
                        question.allowed()
                    )).code(Code::EvidenceValue)
                })
            })
            .collect();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(InputError::new(InputKind::Evidence, origin, problems))
        }
    }

    /// The answer values each concept can produce, for checking a checklist's bindings.
    pub const VALUES: [(&'static str, &'static [&'static str]); 4] =
        crate::checklist::model::EVIDENCE_VALUES;
}

/// Pluto's JSON (`pluto detect-files -o json`), as far as the evidence needs it.
#[derive(Deserialize)]
struct PlutoOutput {
    #[serde(default)]
    items: Vec<PlutoItem>,
}

#[derive(Deserialize)]
struct PlutoItem {
    #[serde(default)]
    removed: bool,
    #[serde(default)]
    deprecated: bool,
}

/// Reads evidence from what `scan` writes (JSON or YAML) or from Pluto's JSON.
pub fn load(text: &str, origin: &str) -> Result<Evidence, InputError> {
    if text.trim_start().starts_with('{') {
        load_json(text, origin)
    } else {
        load_yaml(text, origin)
    }
}

fn load_json(text: &str, origin: &str) -> Result<Evidence, InputError> {
    let fail = |d: Diagnostic| InputError::single(InputKind::Evidence, origin, d);
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        fail(
            Diagnostic::new(format!("not JSON: {e}"))
                .line(Some(e.line()))
                .fix("pass the JSON that `upgrade-advisor scan --format json` or `pluto detect-files -o json` writes").code(Code::EvidenceFormat),
        )
    })?;
    if value.get("findings").is_some() && value.get("evidence").is_some() {
        let report: ScanReport = serde_json::from_value(value).map_err(|e| {
            fail(
                Diagnostic::new(format!(
                    "a scan report, but not one this version reads: {e}"
                ))
                .fix("write it again with this version: upgrade-advisor scan PATH --format json")
                .code(Code::EvidenceFormat),
            )
        })?;
        return Ok(report.evidence);
    }
    if value.get("items").is_some() {
        let pluto: PlutoOutput = serde_json::from_value(value).map_err(|e| {
            fail(
                Diagnostic::new(format!("looks like Pluto's JSON, but: {e}"))
                    .fix("pass the output of `pluto detect-files -o json`")
                    .code(Code::EvidenceFormat),
            )
        })?;
        let removed = pluto.items.iter().filter(|i| i.removed).count();
        let deprecated = pluto.items.iter().filter(|i| i.deprecated).count();
        return Ok(Evidence {
            deprecated_apis: Some(EvidenceAnswer {
                answer: if removed == 0 {
                    "remediated"
                } else {
                    "not-remediated"
                }
                .to_string(),
                detail: format!(
                    "Pluto reports {removed} objects on removed APIs and {deprecated} on deprecated ones"
                ),
                counts: counts(&[
                    ("removed", removed),
                    ("deprecated", deprecated),
                    ("items", pluto.items.len()),
                ]),
            }),
            ..Evidence::default()
        });
    }
    Err(fail(
        Diagnostic::new("neither a scan report (no `findings` and `evidence`) nor Pluto's JSON (no `items`)")
            .fix("pass the JSON that `upgrade-advisor scan --format json` or `pluto detect-files -o json` writes").code(Code::EvidenceFormat),
    ))
}

/// A scan report written with `scan --format yaml`.
fn load_yaml(text: &str, origin: &str) -> Result<Evidence, InputError> {
    crate::base::diagnostic::guards::check_nesting(text)
        .map_err(|d| InputError::single(InputKind::Evidence, origin, d))?;
    let report: ScanReport = serde_yaml::from_str(text).map_err(|e| {
        InputError::single(InputKind::Evidence, origin, from_yaml_error(&e).fix(
            "pass the output of `upgrade-advisor scan --format json` (or yaml), or `pluto detect-files -o json`",
        ))
    })?;
    Ok(report.evidence)
}
