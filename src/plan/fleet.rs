//! The fleet's report value: each environment's report, made on demand and shared between
//! environments with the same answers, the fleet's summary, its dated schedule (Supervisors
//! first, then each environment) and the placement of its calendar chart.

use std::collections::HashMap;
use std::convert::Infallible;
use std::rc::Rc;

use serde::Serialize;

use crate::answers::values::Environment;
use crate::answers::values::FleetAnswers;
use crate::base::date::Date;
use crate::base::diagnostic::Diagnostic;
use crate::checklist::model::Checklist;
use crate::checklist::raw::PhaseKind;
use crate::checklist::strategy::Strategy;
use crate::plan::dating::Bar;
use crate::plan::memo::Memo;
use crate::plan::newer::newer_target;
use crate::plan::runbook::model::{RollbackRule, RunbookPhase};
use crate::plan::runbook::runbook_phases;
use crate::plan::schedule::{Planned, schedule, with_rollback_rules};
use crate::plan::{ChecklistInfo, Dates, Report, SCHEMA_VERSION, ordered_pairs};
use crate::scoring::assessment::Assessment;
use crate::scoring::calendar::dates::own_timeline;
use crate::scoring::calendar::timeline::{Phase, Timeline};
use crate::scoring::facts::Facts;
use crate::scoring::rollup::{
    FleetSummary, Member, check_shared_versions, date_shared, groups, shared_steps, shared_windows,
    summarize,
};
use crate::scoring::windows::ChangeCalendar;
use crate::scoring::windows::window_error::WindowError;

/// A fleet's report. Each environment's full report is built when it is rendered and dropped
/// right after, so a fleet of thousands is written without holding every report at once.
#[derive(schemars::JsonSchema, Serialize)]
pub struct FleetReport<'a> {
    pub schema_version: u32,
    pub checklist: ChecklistInfo,
    #[serde(serialize_with = "ordered_pairs")]
    #[schemars(with = "std::collections::BTreeMap<String, String>")]
    pub context: Vec<(String, String)>,
    /// Each environment's full result, built as it is written.
    #[schemars(with = "Vec<EnvironmentReport<'static>>")]
    pub environments: Environments<'a>,
    pub fleet: FleetSummary,
    pub answers_sha256: String,
    /// What the plan keeps of each environment, in file order.
    #[serde(skip)]
    pub members: Vec<Member>,
}

/// The environments of a fleet, each report made on demand.
pub struct Environments<'a> {
    checklist: &'a Checklist,
    fleet: &'a FleetAnswers,
    dates: Dates,
    memo: Memo,
    /// Warnings every environment's report carries too (from a manifest scan).
    pub extra_warnings: Vec<crate::plan::support::SupportWarning>,
}

impl<'a> Environments<'a> {
    /// Each environment's report in turn, with the what-if analysis when `what_if`.
    pub fn each(&self, what_if: bool) -> impl Iterator<Item = EnvironmentReport<'a>> + '_ {
        let environments = self.fleet.environments.iter().enumerate();
        environments.map(move |(i, env)| self.report(i, env, what_if))
    }

    /// The report of environment `i`, which is `env`.
    pub fn report(&self, i: usize, env: &Environment, what_if: bool) -> EnvironmentReport<'a> {
        let when = self.dates.when(&env.file);
        let answers = &env.file.answers;
        // Every environment was assessed when the fleet was built, and assessing is pure: it
        // cannot fail now.
        let assessment = self
            .memo
            .assessment(i, self.checklist, answers, &when)
            .expect("every environment was assessed when the fleet was built");
        let analysis = what_if.then(|| self.memo.analysis(i, self.checklist, answers, &when));
        let newer = self.memo.get_or_make(
            i,
            |k| &mut k.newer,
            || {
                Ok::<_, Infallible>(Rc::new(newer_target(
                    self.checklist,
                    answers,
                    &when,
                    &assessment,
                    self.dates.today,
                )))
            },
        );
        let Ok(newer) = newer;
        let mut report =
            Report::build_from(self.checklist, &env.file, self.dates, assessment, analysis);
        report.newer_target = (*newer).clone();
        report
            .support_warnings
            .extend(self.extra_warnings.iter().cloned());
        EnvironmentReport {
            name: env.name.clone(),
            supervisor: env.supervisor.clone(),
            report,
        }
    }

    pub fn len(&self) -> usize {
        self.fleet.environments.len()
    }

    pub fn is_empty(&self) -> bool {
        self.fleet.environments.is_empty()
    }

    /// The environments as the fleet file gives them, in file order.
    pub fn files(&self) -> &'a [Environment] {
        &self.fleet.environments
    }

    /// Which distinct set of answers environment `i` shares with others (`None` past
    /// [`crate::plan::memo::MEMO_LIMIT`]): environments in one slot have the same answers.
    pub fn slot(&self, i: usize) -> Option<usize> {
        self.memo.slots[i]
    }
}

impl Serialize for Environments<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.each(true))
    }
}

#[derive(schemars::JsonSchema, Debug, Clone, Serialize)]
pub struct EnvironmentReport<'a> {
    pub name: String,
    pub supervisor: Option<String>,
    #[serde(flatten)]
    pub report: Report<'a>,
}

impl<'a> FleetReport<'a> {
    /// Assesses every environment and plans the fleet: each named Supervisor's shared steps
    /// dated first, then every environment's own work after them. Environments that share a
    /// Supervisor but disagree on its versions are refused, and so is a calendar that cannot
    /// date an environment's plans.
    pub fn build(
        checklist: &'a Checklist,
        fleet: &'a FleetAnswers,
        dates: Dates,
    ) -> Result<Self, Vec<Diagnostic>> {
        let problems = check_shared_versions(checklist, &fleet.environments);
        if !problems.is_empty() {
            return Err(problems);
        }
        let keep_phases = fleet.environments.len() <= GANTT_LIMIT;
        let memo = Memo::new(fleet);
        let envs = &fleet.environments;
        let assessed = |i: usize| {
            let env = &envs[i];
            let when = dates.when(&env.file);
            memo.assessment(i, checklist, &env.file.answers, &when)
                .map_err(|e| calendar_problem(env, &e))
        };
        // Each named Supervisor's shared steps, on the strictest calendar of its environments.
        let mut shared = Vec::new();
        let mut ends: HashMap<&str, Date> = HashMap::new();
        for (supervisor, indexes) in groups(
            envs.iter()
                .map(|e| (e.name.as_str(), e.supervisor.as_deref())),
        ) {
            let Some(name) = supervisor else { continue };
            let mut bases = Vec::new();
            let mut calendars = Vec::new();
            let mut steps = Vec::new();
            for &i in &indexes {
                let a = assessed(i)?;
                if steps.is_empty() {
                    steps = shared_steps(checklist, &a);
                }
                let calendar = ChangeCalendar::new(
                    envs[i].file.calendar.as_ref(),
                    a.calendar.windows_per_year,
                )
                .map_err(|e| calendar_problem(&envs[i], &e))?;
                bases.push(a.calendar.clone());
                calendars.push(calendar);
            }
            let windows = shared_windows(&steps, &bases);
            let first = &envs[indexes[0]];
            let dated = date_shared(&calendars, dates.start, windows)
                .map_err(|e| calendar_problem(first, &e))?;
            ends.insert(name, dated.after(dates.start));
            shared.push(dated);
        }
        let mut members = Vec::with_capacity(envs.len());
        for (i, env) in envs.iter().enumerate() {
            let assessment = assessed(i)?;
            let after = env.supervisor.as_deref().and_then(|s| ends.get(s)).copied();
            let (own, sequential) = own_work(checklist, env, &assessment, dates, after)
                .map_err(|e| calendar_problem(env, &e))?;
            members.push(Member::new(
                checklist,
                (&env.name, env.supervisor.as_deref()),
                &assessment,
                (&own, &sequential),
                (dates.start, after.unwrap_or(dates.start), keep_phases),
            ));
        }
        let summary = summarize(&members, &shared, dates.start);
        Ok(FleetReport {
            schema_version: SCHEMA_VERSION,
            checklist: ChecklistInfo::of(checklist),
            context: fleet.context.clone(),
            environments: Environments {
                checklist,
                fleet,
                dates,
                memo,
                extra_warnings: Vec::new(),
            },
            fleet: summary,
            answers_sha256: fleet.sha256.clone(),
            members,
        })
    }

    /// The fleet's schedule: each shared Supervisor's steps first, in its dated windows, then
    /// every environment with its own strategy, dated from the day after its Supervisor's
    /// last window. The environments' reports are built here, once, without what-if.
    pub fn schedule(&self) -> FleetSchedule<'a> {
        let envs: Vec<EnvironmentReport<'a>> = self.environments.each(false).collect();
        let dates = self.environments.dates;
        let mut supervisors = Vec::new();
        let mut ends = HashMap::new();
        for s in &self.fleet.supervisors {
            let Some(index) = envs.iter().position(|e| s.environments.contains(&e.name)) else {
                continue;
            };
            let report = &envs[index].report;
            let mut phases = Vec::new();
            if let (false, Some(first), Some(last)) =
                (s.layers.is_empty(), s.windows.first(), s.windows.last())
            {
                ends.insert(s.name.clone(), last.plus_days(1));
                let count = s.windows.len() as u64;
                for (i, step) in s.layers.iter().enumerate() {
                    let layer = report.source.layers.iter().find(|l| l.name == step.layer);
                    phases.push(Planned {
                        number: i + 1,
                        phase: Phase {
                            name: format!("{} {} to {} in place", step.layer, step.from, step.to),
                            kind: PhaseKind::InPlace,
                            layer: layer.map(|l| l.id.clone()),
                            changes: step.changes,
                            risky: true,
                            shared: true,
                            first_window: 1,
                            last_window: count,
                            windows: s.windows.clone(),
                            first_day: *first,
                            last_day: *last,
                            rotation: Vec::new(),
                        },
                        layer,
                        from: Some(step.from),
                        to: Some(step.to),
                        hops: layer
                            .map(|l| l.steps.path(step.from, step.to))
                            .unwrap_or_else(|| vec![step.to]),
                        first_day: *first,
                        last_day: *last,
                        windows: (1, count),
                        steps: report.source.runbook.steps_when(
                            PhaseKind::InPlace,
                            layer.map(|l| l.id.as_str()),
                            Strategy::Sequential,
                            &|q| report.answers.get(q),
                        ),
                        skew: None,
                        rollback: RollbackRule::default(),
                        batches: None,
                    });
                }
                phases = with_rollback_rules(report, phases);
            }
            let phases = runbook_phases(report, &phases);
            supervisors.push(SupervisorSchedule {
                name: s.name.clone(),
                environments: s.environments.clone(),
                report: index,
                phases,
            });
        }
        let environments = envs
            .into_iter()
            .zip(self.environments.files())
            .map(|(env, file)| {
                let after = env.supervisor.as_ref().and_then(|s| ends.get(s)).copied();
                let a = &env.report.assessment;
                // The fleet was built from these same answers and calendars: dating them
                // again cannot fail.
                let (own, _) = own_work(self.environments.checklist, file, a, dates, after)
                    .expect("every environment was dated when the fleet was built");
                let phases = runbook_phases(&env.report, &schedule(&env.report, &own));
                EnvironmentSchedule {
                    env,
                    after_supervisor: after,
                    phases,
                }
            })
            .collect();
        FleetSchedule {
            supervisors,
            environments,
        }
    }

    /// The fleet's calendar chart: each Supervisor's shared steps, then every environment's
    /// own phases after its Supervisor, on their dates. `None` above [`GANTT_LIMIT`]
    /// environments, where a chart would be unreadable.
    pub fn chart(&self) -> Option<FleetChart> {
        if self.environments.len() > GANTT_LIMIT {
            return None;
        }
        let start = self.environments.dates.start;
        let bar = |name: String, first: Date, last: Date| Bar {
            name,
            start: first,
            days: (last.unix_days() - first.unix_days() + 1).max(1),
        };
        let supervisors = self
            .fleet
            .supervisors
            .iter()
            .map(|s| match (s.windows.first(), s.windows.last()) {
                (Some(first), Some(last)) => bar(s.steps_text(", "), *first, *last),
                _ => bar(s.steps_text(", "), start, start),
            })
            .collect();
        let environments = self
            .members
            .iter()
            .map(|m| {
                m.phases
                    .iter()
                    .map(|p| bar(p.name.clone(), p.first_day, p.last_day))
                    .collect()
            })
            .collect();
        let end = self.fleet.calendar.close_date;
        Some(FleetChart {
            span_days: (end.unix_days() - start.unix_days() + 1).max(1),
            supervisors,
            environments,
        })
    }
}

/// A calendar that cannot date an environment's plans, located at that environment.
fn calendar_problem(env: &Environment, error: &WindowError) -> Vec<Diagnostic> {
    vec![
        error
            .diagnostic()
            .at(format!("environment `{}`, `calendar`", env.name)),
    ]
}

/// An environment's own work with its recommended strategy and hop by hop: its report's
/// timelines, or, after a named Supervisor (`after`), its plans without the shared steps
/// dated from that day.
fn own_work(
    checklist: &Checklist,
    env: &Environment,
    assessment: &Assessment,
    dates: Dates,
    after: Option<Date>,
) -> Result<(Timeline, Timeline), WindowError> {
    let strategy = assessment.recommendation.strategy;
    let of = |s: Strategy| {
        assessment
            .timeline_of(s)
            .cloned()
            .expect("an assessment has every strategy's timeline")
    };
    let Some(after) = after else {
        return Ok((of(strategy), of(Strategy::Sequential)));
    };
    let when = dates.when(&env.file);
    let facts = Facts::new(checklist, &env.file.answers, &when);
    Ok((
        own_timeline(checklist, &facts, strategy, after)?,
        own_timeline(checklist, &facts, Strategy::Sequential, after)?,
    ))
}

/// The fleet's dated schedule (see [`FleetReport::schedule`]).
pub struct FleetSchedule<'a> {
    pub supervisors: Vec<SupervisorSchedule>,
    pub environments: Vec<EnvironmentSchedule<'a>>,
}

/// A shared Supervisor's steps, as in-place phases of its own, all in its first windows.
pub struct SupervisorSchedule {
    pub name: String,
    pub environments: Vec<String>,
    /// The environment (in [`FleetSchedule::environments`]) whose report gives the shared
    /// layers and their step texts.
    pub report: usize,
    /// Empty when the shared layers are already at their targets.
    pub phases: Vec<RunbookPhase>,
}

/// An environment's report and its own phases, dated.
pub struct EnvironmentSchedule<'a> {
    pub env: EnvironmentReport<'a>,
    /// The day it starts when its Supervisor's shared steps come first.
    pub after_supervisor: Option<Date>,
    pub phases: Vec<RunbookPhase>,
}

/// The placement of the fleet's calendar chart (see [`FleetReport::chart`]).
pub struct FleetChart {
    /// The chart's span in days.
    pub span_days: i64,
    /// Each Supervisor's shared steps as one bar, in the order of `FleetSummary::supervisors`.
    pub supervisors: Vec<Bar>,
    /// Each environment's own phases, in the order of the members.
    pub environments: Vec<Vec<Bar>>,
}

/// Fleets up to this many environments get a gantt chart; beyond, it would be unreadable.
pub const GANTT_LIMIT: usize = 60;

/// The example fleet with a copy of each environment under a new name (`copy-of-...`): the
/// same answers, so the copies share the originals' assessments. For tests of sharing.
#[cfg(test)]
pub fn example_fleet_twice(checklist: &Checklist) -> FleetAnswers {
    use crate::answers::values::AnswersDocument;
    let mut text = include_str!("../../checklists/examples/fleet.yaml").to_string();
    let envs = text.split("environments:").nth(1).unwrap().to_string();
    text.push_str(&envs.replace("name: ", "name: copy-of-"));
    let AnswersDocument::Fleet(fleet) =
        AnswersDocument::parse(&text, "fleet.yaml", checklist, &[], &[]).unwrap()
    else {
        panic!("a fleet");
    };
    fleet
}

/// The dates the fleet tests are made with.
#[cfg(test)]
pub fn example_dates() -> Dates {
    let today = "2026-11-26".parse().unwrap();
    Dates {
        today,
        start: today,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Environments that share answers share one assessment and one what-if search, and
    /// each environment's report is still exactly the report its answers give on their own.
    #[test]
    fn shared_answers_are_assessed_once_and_report_alike() {
        let checklist = Checklist::builtin("vks").unwrap();
        let fleet = example_fleet_twice(&checklist);
        let dates = example_dates();
        let report = FleetReport::build(&checklist, &fleet, dates).unwrap();
        let reports: Vec<EnvironmentReport> = report.environments.each(true).collect();
        assert_eq!(reports.len(), fleet.environments.len());
        let distinct: std::collections::HashSet<&crate::answers::values::Answers> =
            fleet.environments.iter().map(|e| &e.file.answers).collect();
        assert!(distinct.len() * 2 <= reports.len(), "copies share answers");
        assert_eq!(
            report.environments.memo.known.borrow().len(),
            distinct.len()
        );
        for (env, made) in fleet.environments.iter().zip(&reports) {
            let alone = Report::build(&checklist, &env.file, dates, true).unwrap();
            assert_eq!(
                serde_json::to_value(&made.report).unwrap(),
                serde_json::to_value(&alone).unwrap(),
                "{}",
                env.name
            );
        }
        // The copies point at the same assessment as their originals.
        let half = reports.len() / 2;
        assert!(Rc::ptr_eq(
            &reports[0].report.assessment,
            &reports[half].report.assessment
        ));
    }
}
