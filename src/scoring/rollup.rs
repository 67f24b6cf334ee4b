//! Fleets: several environments in one answers file, some sharing a Supervisor.
//!
//! A shared Supervisor (and the other shared layers) is upgraded in place once, before the
//! workload clusters of every environment on it, whatever strategy each environment gets.
//! Supervisors are independent of each other, so their work runs side by side.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::answers::values::Environment;
use crate::base::date::Date;
use crate::base::diagnostic::Diagnostic;
use crate::base::diagnostic::code::Code;
use crate::checklist::model::Checklist;
use crate::checklist::raw::LayerRole;
use crate::checklist::strategy::Strategy;
use crate::checklist::value::AnswerValue;
use crate::kube::version::Version;
use crate::scoring::assessment::Assessment;
use crate::scoring::assessment::CalendarBasis;
use crate::scoring::calendar::dates::months_between;
use crate::scoring::calendar::timeline::{Phase, Timeline};
use crate::scoring::windows::window_error::WindowError;
use crate::scoring::windows::{ChangeCalendar, SkippedWindow, WindowDates};

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
    /// The environment's own work in the fleet's schedule (after its Supervisor's shared
    /// steps, when it names one), with its recommended strategy and hop by hop.
    pub own: OwnFigures,
    pub sequential: OwnFigures,
    /// Time to target from the fleet's start, in months, with the recommended strategy.
    pub own_months: f64,
    /// The day its own work may start in the fleet's schedule.
    pub starts: Date,
    /// The workload layer's plan in words.
    pub workload: String,
    /// The recommended strategy's phases as the fleet schedules them (its own phases after a
    /// named Supervisor's), for the fleet chart; empty when not kept.
    pub phases: Vec<Phase>,
}

/// When an environment's own work reaches the target and closes, and its risky changes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OwnFigures {
    pub target_date: Date,
    pub close_date: Date,
    pub risky_changes: u64,
}

impl OwnFigures {
    pub fn of(t: &Timeline) -> Self {
        OwnFigures {
            target_date: t.target_date,
            close_date: t.close_date,
            risky_changes: t.risky_changes,
        }
    }
}

impl Member {
    /// The facts of `assessment` the fleet plan uses, with its own work `own` (recommended
    /// strategy) and `sequential` as the fleet schedules them; the phases only when
    /// `keep_phases`.
    pub fn new(
        checklist: &Checklist,
        (name, supervisor): (&str, Option<&str>),
        assessment: &Assessment,
        (own, sequential): (&Timeline, &Timeline),
        (start, starts, keep_phases): (Date, Date, bool),
    ) -> Self {
        let rec = &assessment.recommendation;
        Member {
            name: name.to_string(),
            supervisor: supervisor.map(str::to_string),
            strategy: rec.strategy,
            strategy_name: checklist.strategy_text(rec.strategy).name.clone(),
            confidence: rec.confidence,
            blockers: assessment.blockers.len(),
            calendar: assessment.calendar.clone(),
            shared: shared_steps(checklist, assessment),
            own: OwnFigures::of(own),
            sequential: OwnFigures::of(sequential),
            own_months: months_between(start, own.target_date),
            starts,
            workload: assessment
                .layers
                .iter()
                .find(|l| l.id == workload_layer(checklist))
                .map(|l| l.note.clone())
                .unwrap_or_default(),
            phases: if keep_phases {
                own.phases.clone()
            } else {
                Vec::new()
            },
        }
    }
}

/// The shared steps of a named Supervisor, dated: done once, in place, before every
/// environment on it.
#[derive(Debug, Clone, PartialEq)]
pub struct SharedDates {
    /// The windows the shared steps use.
    pub windows: Vec<Date>,
    pub skipped: Vec<SkippedWindow>,
}

impl SharedDates {
    /// The day the environments' own work may start: the day after the last shared window
    /// (`start` when there is none).
    pub fn after(&self, start: Date) -> Date {
        self.windows.last().map_or(start, |d| d.plus_days(1))
    }
}

/// How many windows the shared steps of a Supervisor take: a change to a shared Supervisor
/// touches every environment on it, so it follows the strictest governance among them (the
/// fewest changes per window).
pub fn shared_windows(shared: &[SharedStep], bases: &[CalendarBasis]) -> u64 {
    let changes: u64 = shared.iter().map(|s| s.changes).sum();
    let per_window = bases
        .iter()
        .map(|b| b.changes_per_window)
        .min()
        .unwrap_or(1)
        .max(1);
    changes.div_ceil(per_window)
}

/// Dates a Supervisor's shared windows: on each of its environments' calendars from
/// `start`, keeping the one that ends last (the strictest), so every environment's windows
/// and freezes are respected.
pub fn date_shared(
    calendars: &[ChangeCalendar],
    start: Date,
    windows: u64,
) -> Result<SharedDates, WindowError> {
    let count = usize::try_from(windows).unwrap_or(usize::MAX);
    let mut latest: Option<WindowDates> = None;
    for calendar in calendars {
        let found = calendar.plan_windows(start, count)?;
        if latest
            .as_ref()
            .is_none_or(|l| found.windows.last() > l.windows.last())
        {
            latest = Some(found);
        }
    }
    let found = latest.unwrap_or_default();
    Ok(SharedDates {
        windows: found.windows,
        skipped: found.skipped,
    })
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
    /// Each environment's own work as the fleet schedules it (after its Supervisor's shared
    /// steps), in file order: the figures `calendar` is made of.
    pub schedule: Vec<EnvironmentDates>,
    pub calendar: FleetCalendar,
}

/// An environment's own work in the fleet's schedule.
#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Serialize)]
pub struct EnvironmentDates {
    pub environment: String,
    pub strategy: Strategy,
    /// The day its own work may start: the day after its Supervisor's last shared window,
    /// or the fleet's start.
    pub starts: Date,
    /// The day production runs the target in this environment.
    pub target_date: Date,
    /// The day its old side is retired.
    pub close_date: Date,
    /// Its own risky production changes (a named Supervisor's are counted once, there).
    pub risky_changes: u64,
}

#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Serialize)]
pub struct SupervisorPlan {
    pub name: String,
    pub environments: Vec<String>,
    /// The shared layers' in-place steps, done once for all its environments.
    pub layers: Vec<SharedStep>,
    pub changes: u64,
    /// The dated change windows the shared steps take, on the strictest calendar of its
    /// environments (the one whose windows end last).
    pub windows: Vec<Date>,
    /// Windows a freeze skipped on the way.
    pub skipped_windows: Vec<SkippedWindow>,
    /// The last shared window: its environments' own work starts the day after.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_day: Option<Date>,
    /// Calendar months from the start to `last_day`.
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
    /// Time to target, in months, with every environment hop by hop.
    pub all_sequential_months: f64,
    /// Time to target, in months, with every environment's recommended strategy: to
    /// `target_date`.
    pub recommended_months: f64,
    /// The day production runs the target in every environment (recommended strategies).
    pub target_date: Date,
    /// The day the last environment's programme closes (its old side retired).
    pub close_date: Date,
    /// Risky production changes of the whole fleet: every environment's own, and each named
    /// Supervisor's shared steps once.
    pub risky_changes: u64,
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
pub fn groups<'a>(
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

/// The fleet plan: counts, Supervisors, order of work and calendars, from the members (their
/// own work dated as the fleet schedules it) and each named Supervisor's dated shared steps
/// (in order of first appearance, as [`groups`] gives them), all from `start`.
pub fn summarize(members: &[Member], shared: &[SharedDates], start: Date) -> FleetSummary {
    let mut strategies = BTreeMap::new();
    for m in members {
        *strategies.entry(m.strategy).or_insert(0) += 1;
    }
    let mut supervisors = Vec::new();
    let mut order = Vec::new();
    let mut shared_dates = shared.iter();
    let (mut target, mut close, mut sequential_target) = (start, start, start);
    let mut risky = 0u64;
    for m in members {
        target = target.max(m.own.target_date);
        close = close.max(m.own.close_date);
        sequential_target = sequential_target.max(m.sequential.target_date);
        risky = risky.saturating_add(m.own.risky_changes);
    }
    for (supervisor, indexes) in groups(
        members
            .iter()
            .map(|m| (m.name.as_str(), m.supervisor.as_deref())),
    ) {
        if let Some(supervisor) = supervisor {
            let first = &members[indexes[0]];
            let steps = first.shared.clone();
            let changes: u64 = steps.iter().map(|s| s.changes).sum();
            let dates = shared_dates.next().cloned().unwrap_or(SharedDates {
                windows: Vec::new(),
                skipped: Vec::new(),
            });
            let last_day = dates.windows.last().copied();
            let shared_months = last_day.map_or(0.0, |d| months_between(start, d));
            risky = risky.saturating_add(changes);
            if let Some(d) = last_day {
                target = target.max(d);
                close = close.max(d);
            }
            let plan = SupervisorPlan {
                name: supervisor.to_string(),
                environments: indexes.iter().map(|&i| members[i].name.clone()).collect(),
                layers: steps,
                changes,
                windows: dates.windows,
                skipped_windows: dates.skipped,
                last_day,
                months: shared_months,
            };
            let work = match (plan.layers.is_empty(), last_day) {
                (false, Some(d)) => format!("{}; done {d}", plan.steps_text(", ")),
                _ => "nothing to upgrade".to_string(),
            };
            order.push(format!(
                "Supervisor {supervisor}: upgrade in place once ({work}), before {}.",
                plan.environments.join(", ")
            ));
            supervisors.push(plan);
        }
        for &i in &indexes {
            let m = &members[i];
            let shared_note = if m.supervisor.is_none() && !m.shared.is_empty() {
                " (its own Supervisor first, in place)"
            } else {
                ""
            };
            order.push(format!(
                "{}: {}{shared_note}: {}; production on the target {}.",
                m.name, m.strategy_name, m.workload, m.own.target_date,
            ));
        }
    }
    FleetSummary {
        environments: members.len(),
        strategies,
        supervisors,
        order,
        schedule: members
            .iter()
            .map(|m| EnvironmentDates {
                environment: m.name.clone(),
                strategy: m.strategy,
                starts: m.starts,
                target_date: m.own.target_date,
                close_date: m.own.close_date,
                risky_changes: m.own.risky_changes,
            })
            .collect(),
        calendar: FleetCalendar {
            all_sequential_months: months_between(start, sequential_target),
            recommended_months: months_between(start, target),
            target_date: target,
            close_date: close,
            risky_changes: risky,
            basis: "Each Supervisor's shared layers go first, once, on the strictest calendar of the \
                    environments on it; then its environments run side by side, each on its own calendar. \
                    Supervisors are independent and run in parallel. Time to target counts to the day \
                    production runs the target everywhere; minimums, before validation and remediation."
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
pub fn shared_steps(checklist: &Checklist, assessment: &Assessment) -> Vec<SharedStep> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::text::duration_text;

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
