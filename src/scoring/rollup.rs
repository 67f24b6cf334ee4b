//! Fleets: several environments in one answers file, some sharing a Supervisor.
//!
//! A shared Supervisor (and the other shared layers) is upgraded in place once, before the
//! workload clusters of every environment on it, whatever strategy each environment gets.
//! Supervisors are independent of each other, so their work runs side by side.

use crate::base::text::duration_text;
use std::collections::BTreeMap;

use serde::Serialize;

use crate::answers::values::Environment;
use crate::base::diagnostic::Diagnostic;
use crate::base::diagnostic::code::Code;
use crate::checklist::model::Checklist;
use crate::checklist::raw::LayerRole;
use crate::checklist::strategy::Strategy;
use crate::checklist::value::AnswerValue;
use crate::kube::version::Version;
use crate::scoring::assessment::Assessment;
use crate::scoring::calendar::Timeline;
use crate::scoring::calendar::months;

/// What the fleet plan keeps of one environment's assessment: a few facts, so a fleet of
/// thousands is planned without holding every full report.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub name: String,
    pub supervisor: Option<String>,
    pub strategy: Strategy,
    /// The strategy's display name.
    pub strategy_name: String,
    pub confidence: crate::scoring::confidence::Confidence,
    pub blockers: usize,
    pub calendar: crate::scoring::assessment::CalendarBasis,
    /// The in-place steps of the shared layers.
    pub shared: Vec<SharedStep>,
    /// Months of the environment's own work, hop by hop and with its recommended strategy.
    pub sequential_months: f64,
    pub own_months: f64,
    /// The workload layer's plan in words.
    pub workload: String,
    /// The recommended strategy's phases, for the fleet chart (empty when not kept).
    pub phases: Vec<crate::scoring::calendar::Phase>,
}

impl Member {
    /// The facts of `assessment` the fleet plan uses; the phases only when `keep_phases`.
    pub fn new(
        checklist: &Checklist,
        name: &str,
        supervisor: Option<&str>,
        assessment: &Assessment,
        keep_phases: bool,
    ) -> Self {
        let rec = &assessment.recommendation;
        Member {
            name: name.to_string(),
            supervisor: supervisor.map(str::to_string),
            strategy: rec.strategy,
            strategy_name: checklist.strategy_text(rec.strategy).name.clone(),
            confidence: rec.confidence,
            blockers: assessment.blockers.len(),
            calendar: assessment.calendar,
            shared: shared_steps(checklist, assessment),
            sequential_months: workload_months(assessment, Strategy::Sequential),
            own_months: workload_months(assessment, rec.strategy),
            workload: assessment
                .layers
                .iter()
                .find(|l| l.id == workload_layer(checklist))
                .map(|l| l.note.clone())
                .unwrap_or_default(),
            phases: if keep_phases {
                assessment
                    .timeline_of(rec.strategy)
                    .map(|t| t.phases.clone())
                    .unwrap_or_default()
            } else {
                Vec::new()
            },
        }
    }
}

#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Serialize)]
pub struct FleetSummary {
    pub environments: usize,
    /// How many environments each strategy is recommended for, keyed by the strategy id in
    /// snake_case (`blue_green`), like every other JSON key.
    #[serde(serialize_with = "snake_case_keys")]
    #[schemars(with = "BTreeMap<String, usize>")]
    pub strategies: BTreeMap<Strategy, usize>,
    /// Each named management plane and the environments that depend on it.
    pub supervisors: Vec<SupervisorPlan>,
    /// The order of work, one step per line.
    pub order: Vec<String>,
    pub calendar: FleetCalendar,
}

#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Serialize)]
pub struct SupervisorPlan {
    pub name: String,
    pub environments: Vec<String>,
    /// The shared layers' in-place steps, done once for all its environments.
    pub layers: Vec<SharedStep>,
    pub changes: u64,
    /// Change windows the shared steps take, at the strictest cadence of its environments.
    pub windows: u64,
    /// That cadence: the fewest windows a year among its environments.
    pub windows_per_year: u32,
    pub months: f64,
}

#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Serialize)]
pub struct SharedStep {
    pub layer: String,
    pub from: Version,
    pub to: Version,
    pub changes: u64,
}

impl SupervisorPlan {
    /// The shared layers' steps in words, joined by `separator`; `-` when there are none.
    pub fn steps_text(&self, separator: &str) -> String {
        if self.layers.is_empty() {
            return "-".to_string();
        }
        let steps: Vec<String> = self.layers.iter().map(ToString::to_string).collect();
        steps.join(separator)
    }
}

impl std::fmt::Display for SharedStep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {} → {}", self.layer, self.from, self.to)
    }
}

#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Serialize)]
pub struct FleetCalendar {
    /// Every environment hop by hop.
    pub all_sequential_months: f64,
    /// Every environment with its recommended strategy.
    pub recommended_months: f64,
    /// How the figures are put together.
    pub basis: String,
}

fn snake_case_keys<S: serde::Serializer>(
    counts: &BTreeMap<Strategy, usize>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = serializer.serialize_map(Some(counts.len()))?;
    for (strategy, count) in counts {
        map.serialize_entry(&strategy.id().replace('-', "_"), count)?;
    }
    map.end()
}

/// Environments that share a Supervisor must agree on the versions of every shared layer.
pub fn check_shared_versions(
    checklist: &Checklist,
    environments: &[Environment],
) -> Vec<Diagnostic> {
    let questions: Vec<&str> = checklist
        .layers
        .iter()
        .filter(|l| l.role == LayerRole::Shared)
        .flat_map(|l| [l.from.as_deref(), l.to.as_deref()])
        .flatten()
        .collect();
    let mut problems = Vec::new();
    for (supervisor, members) in groups(
        environments
            .iter()
            .map(|e| (e.name.as_str(), e.supervisor.as_deref())),
    ) {
        let Some(supervisor) = supervisor else {
            continue;
        };
        for question in &questions {
            let values: Vec<(&str, Option<&AnswerValue>)> = members
                .iter()
                .map(|&i| {
                    (
                        environments[i].name.as_str(),
                        environments[i].file.answers.get(question),
                    )
                })
                .collect();
            let first = values[0].1;
            if values.iter().any(|(_, v)| *v != first) {
                let shown: Vec<String> = values
                    .iter()
                    .map(|(name, v)| {
                        format!(
                            "{name}: {}",
                            v.map_or("not answered".to_string(), ToString::to_string)
                        )
                    })
                    .collect();
                problems.push(
                    Diagnostic::new(format!(
                        "the environments on Supervisor `{supervisor}` disagree on {question} ({})",
                        shown.join(", ")
                    ))
                    .at(format!("environments (supervisor {supervisor})"))
                    .fix(format!(
                        "a shared Supervisor has one version: give {question} one value for all of them (top-level answers are the place), or name different supervisors"
                    )).code(Code::SupervisorVersions),
                );
            }
        }
    }
    problems
}

/// Environments grouped by Supervisor, in order of first appearance; environments without a
/// named Supervisor each form their own group (`None`).
fn groups<'a>(
    members: impl Iterator<Item = (&'a str, Option<&'a str>)>,
) -> Vec<(Option<&'a str>, Vec<usize>)> {
    let mut out: Vec<(Option<&str>, Vec<usize>)> = Vec::new();
    let mut by_name: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (index, (_, supervisor)) in members.enumerate() {
        match supervisor {
            Some(name) => match by_name.get(name) {
                Some(&group) => out[group].1.push(index),
                None => {
                    by_name.insert(name, out.len());
                    out.push((Some(name), vec![index]));
                }
            },
            None => out.push((None, vec![index])),
        }
    }
    out
}

/// The fleet plan: counts, Supervisors, order of work and calendars.
pub fn summarize(members: &[Member]) -> FleetSummary {
    let mut strategies = BTreeMap::new();
    for m in members {
        *strategies.entry(m.strategy).or_insert(0) += 1;
    }
    let mut supervisors = Vec::new();
    let mut order = Vec::new();
    let (mut all_sequential, mut recommended) = (0.0f64, 0.0f64);
    for (supervisor, indexes) in groups(
        members
            .iter()
            .map(|m| (m.name.as_str(), m.supervisor.as_deref())),
    ) {
        let first = &members[indexes[0]];
        let steps = first.shared.clone();
        let shared_changes: u64 = steps.iter().map(|s| s.changes).sum();
        // A change to a shared Supervisor touches every environment on it, so it follows the
        // strictest governance among them: the rarest windows, the fewest changes per window.
        let bases = indexes.iter().map(|&i| &members[i].calendar);
        let windows_per_year = bases
            .clone()
            .map(|b| b.windows_per_year)
            .min()
            .unwrap_or(12);
        let per_window = bases.map(|b| b.changes_per_window).min().unwrap_or(1);
        let shared_months = months(shared_changes.div_ceil(per_window), windows_per_year);
        let names: Vec<String> = indexes
            .iter()
            .map(|&i| members[i].name.to_string())
            .collect();
        if let Some(supervisor) = supervisor {
            let plan = SupervisorPlan {
                name: supervisor.to_string(),
                environments: names,
                layers: steps,
                changes: shared_changes,
                windows: shared_changes.div_ceil(per_window),
                windows_per_year,
                months: shared_months,
            };
            let work = if plan.layers.is_empty() {
                "nothing to upgrade".to_string()
            } else {
                plan.steps_text(", ")
            };
            order.push(format!(
                "Supervisor {supervisor}: upgrade in place once ({work}; {}), before {}.",
                duration_text(shared_months),
                plan.environments.join(", ")
            ));
            supervisors.push(plan);
        }
        let mut slowest = (0.0f64, 0.0f64);
        for &i in &indexes {
            let m = &members[i];
            slowest.0 = slowest.0.max(m.sequential_months);
            slowest.1 = slowest.1.max(m.own_months);
            let workload = &m.workload;
            let shared_note = if supervisor.is_none() && shared_changes > 0 {
                " (its own Supervisor first, in place)"
            } else {
                ""
            };
            order.push(format!(
                "{}: {}{shared_note}: {workload}; {}.",
                m.name,
                m.strategy_name,
                duration_text(m.own_months),
            ));
        }
        all_sequential = all_sequential.max(shared_months + slowest.0);
        recommended = recommended.max(shared_months + slowest.1);
    }
    FleetSummary {
        environments: members.len(),
        strategies,
        supervisors,
        order,
        calendar: FleetCalendar {
            all_sequential_months: round(all_sequential),
            recommended_months: round(recommended),
            basis: "Each Supervisor's shared layers go first, once, at the strictest change window of the \
                    environments on it; then its environments run side by side. Supervisors are independent \
                    and run in parallel. Minimums, before validation and remediation."
                .to_string(),
        },
    }
}

fn workload_layer(checklist: &Checklist) -> &str {
    checklist
        .layers
        .iter()
        .find(|l| l.role == LayerRole::Workload)
        .map_or("", |l| l.id.as_str())
}

/// The in-place steps of the shared layers, from the Sequential plan (where they always are).
fn shared_steps(checklist: &Checklist, assessment: &Assessment) -> Vec<SharedStep> {
    checklist
        .layers
        .iter()
        .filter(|l| l.role == LayerRole::Shared)
        .filter_map(|layer| {
            let plan = assessment.layers.iter().find(|p| p.id == layer.id)?;
            let (from, to) = (plan.from?, plan.to?);
            let changes = layer.steps.path(from, to).len() as u64;
            (changes > 0).then(|| SharedStep {
                layer: layer.name.clone(),
                from,
                to,
                changes,
            })
        })
        .collect()
}

/// Months an environment needs for its own (not shared) changes under `strategy`.
pub fn workload_months(assessment: &Assessment, strategy: Strategy) -> f64 {
    let basis = &assessment.calendar;
    let timeline: Option<&Timeline> = assessment.timeline.iter().find(|t| t.strategy == strategy);
    let changes: u64 = timeline.map_or(0, |t| {
        t.phases
            .iter()
            .filter(|p| !p.shared)
            .map(|p| p.changes)
            .sum()
    });
    months(
        changes.div_ceil(basis.changes_per_window),
        basis.windows_per_year,
    )
}

fn round(months: f64) -> f64 {
    (months * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_like_speech() {
        assert_eq!(duration_text(0.0), "nothing to schedule");
        assert_eq!(duration_text(0.2), "about a week");
        assert_eq!(duration_text(0.7), "about 3 weeks");
        assert_eq!(duration_text(1.0), "about 4 weeks");
        assert_eq!(duration_text(1.49), "about a month");
        assert_eq!(duration_text(1.8), "about 2 months");
        assert_eq!(duration_text(27.0), "about 27 months");
        assert_eq!(duration_text(40.0), "about 3.5 years");
        assert_eq!(duration_text(48.0), "about 4 years");
    }

    #[test]
    fn groups_keep_file_order_and_split_unnamed_environments() {
        let members = [
            ("a", Some("s1")),
            ("b", None),
            ("c", Some("s2")),
            ("d", Some("s1")),
            ("e", None),
        ];
        let groups = groups(members.into_iter());
        assert_eq!(
            groups,
            [
                (Some("s1"), vec![0, 3]),
                (None, vec![1]),
                (Some("s2"), vec![2]),
                (None, vec![4]),
            ]
        );
    }
}
