//! The fleet's report value: each environment's report, made on demand and shared between
//! environments with the same answers, the fleet's summary, its dated schedule (Supervisors
//! first, then each environment) and the placement of its calendar chart.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use serde::Serialize;

use crate::answers::values::Answers;
use crate::answers::values::Environment;
use crate::answers::values::FleetAnswers;
use crate::base::date::Date;
use crate::base::diagnostic::Diagnostic;
use crate::checklist::model::Checklist;
use crate::checklist::raw::PhaseKind;
use crate::checklist::strategy::Strategy;
use crate::plan::dating::{Bar, Dating, month_days};
use crate::plan::schedule::{Planned, RollbackRule, schedule, with_rollback_rules};
use crate::plan::{ChecklistInfo, Dates, Report, SCHEMA_VERSION, ordered_pairs};
use crate::scoring::assess;
use crate::scoring::assessment::Assessment;
use crate::scoring::calendar::Phase;
use crate::scoring::rollup::{FleetSummary, Member, check_shared_versions, summarize};
use crate::scoring::whatif::{Analysis, analyse};

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
        let answers = &env.file.answers;
        let assessment = self.memo.assessment(i, self.checklist, answers);
        let analysis = what_if.then(|| self.memo.analysis(i, self.checklist, answers));
        let mut report =
            Report::build_from(self.checklist, &env.file, self.dates, assessment, analysis);
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
    /// [`MEMO_LIMIT`]): environments in one slot have the same answers.
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

/// Assessments and what-if analyses already made, by the answers they were made from. Both
/// are pure functions of the answers, and a fleet's environments mostly share them (the
/// defaults with a few answers of their own), so each distinct set of answers is assessed
/// and searched once, however often the report passes over the fleet.
struct Memo {
    /// Per environment (file order), where its answers' results are kept; `None` past
    /// [`MEMO_LIMIT`] distinct sets of answers.
    slots: Vec<Option<usize>>,
    known: RefCell<Vec<Known>>,
}

#[derive(Default)]
struct Known {
    assessment: Option<Rc<Assessment>>,
    analysis: Option<Rc<Analysis>>,
}

/// The most distinct sets of answers the memo keeps; beyond it, answers are assessed each
/// time they are met, so a fleet whose environments all differ still runs in bounded memory.
pub const MEMO_LIMIT: usize = 4096;

impl Memo {
    /// Groups the environments by their answers (each set of answers is hashed once here).
    fn new(fleet: &FleetAnswers) -> Memo {
        let mut seen: HashMap<&Answers, usize> = HashMap::new();
        let slots = fleet
            .environments
            .iter()
            .map(|env| {
                let next = seen.len();
                match seen.get(&env.file.answers) {
                    Some(&slot) => Some(slot),
                    None if next < MEMO_LIMIT => {
                        seen.insert(&env.file.answers, next);
                        Some(next)
                    }
                    None => None,
                }
            })
            .collect();
        let known = std::iter::repeat_with(Known::default)
            .take(seen.len())
            .collect();
        Memo {
            slots,
            known: RefCell::new(known),
        }
    }

    /// The assessment of environment `env`, whose answers are `answers`.
    fn assessment(&self, env: usize, checklist: &Checklist, answers: &Answers) -> Rc<Assessment> {
        self.get_or_make(
            env,
            |k| &mut k.assessment,
            || Rc::new(assess(checklist, answers)),
        )
    }

    /// The what-if analysis of environment `env`, whose answers are `answers`.
    fn analysis(&self, env: usize, checklist: &Checklist, answers: &Answers) -> Rc<Analysis> {
        self.get_or_make(
            env,
            |k| &mut k.analysis,
            || Rc::new(analyse(checklist, answers)),
        )
    }

    fn get_or_make<T>(
        &self,
        env: usize,
        slot: impl Fn(&mut Known) -> &mut Option<Rc<T>>,
        make: impl FnOnce() -> Rc<T>,
    ) -> Rc<T> {
        let Some(index) = self.slots[env] else {
            return make();
        };
        let mut known = self.known.borrow_mut();
        slot(&mut known[index]).get_or_insert_with(make).clone()
    }
}

impl<'a> FleetReport<'a> {
    /// Assesses every environment and plans the fleet. Environments that share a Supervisor
    /// but disagree on its versions are refused.
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
        let members: Vec<Member> = fleet
            .environments
            .iter()
            .enumerate()
            .map(|(i, env)| {
                let assessment = memo.assessment(i, checklist, &env.file.answers);
                Member::new(
                    checklist,
                    &env.name,
                    env.supervisor.as_deref(),
                    &assessment,
                    keep_phases,
                )
            })
            .collect();
        let summary = summarize(&members);
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

    /// The fleet's schedule: each shared Supervisor's steps first, dated from `start`, then
    /// every environment with its own strategy, dated from the day after its Supervisor's
    /// last window. The environments' reports are built here, once, without what-if.
    pub fn schedule(&self, start: Date) -> FleetSchedule<'a> {
        let envs: Vec<EnvironmentReport<'a>> = self.environments.each(false).collect();
        let mut supervisors = Vec::new();
        let mut ends = HashMap::new();
        for s in &self.fleet.supervisors {
            let Some(index) = envs.iter().position(|e| s.environments.contains(&e.name)) else {
                continue;
            };
            let report = &envs[index].report;
            let mut phases = Vec::new();
            if !s.layers.is_empty() && s.windows > 0 {
                let dating = Dating::new(start, s.windows_per_year);
                ends.insert(s.name.clone(), dating.after(s.windows));
                let (first_day, last_day) = dating.days(1, s.windows);
                for (i, step) in s.layers.iter().enumerate() {
                    let layer = report.source.layers.iter().find(|l| l.name == step.layer);
                    phases.push(Planned {
                        number: i + 1,
                        phase: Phase {
                            name: format!("{} {} to {} in place", step.layer, step.from, step.to),
                            kind: PhaseKind::InPlace,
                            changes: step.changes,
                            shared: true,
                            first_window: 1,
                            last_window: s.windows,
                        },
                        layer,
                        from: Some(step.from),
                        to: Some(step.to),
                        first_day,
                        last_day,
                        windows: (1, s.windows),
                        steps: report.source.runbook.steps_for(
                            PhaseKind::InPlace,
                            layer.map(|l| l.id.as_str()),
                            Strategy::Sequential,
                        ),
                        skew: None,
                        rollback: RollbackRule::default(),
                        batches: None,
                    });
                }
                phases = with_rollback_rules(report, phases);
            }
            supervisors.push(SupervisorSchedule {
                name: s.name.clone(),
                environments: s.environments.clone(),
                report: index,
                phases,
            });
        }
        let environments = envs
            .into_iter()
            .map(|env| {
                let a = &env.report.assessment;
                let after = env.supervisor.as_ref().and_then(|s| ends.get(s)).copied();
                let skip_shared = env.supervisor.is_some();
                let mut dating = Dating::new(after.unwrap_or(start), a.calendar.windows_per_year);
                if skip_shared {
                    dating.offset = a
                        .timeline_of(a.recommendation.strategy)
                        .and_then(|t| t.phases.iter().find(|p| !p.shared))
                        .map_or(0, |p| p.first_window - 1);
                }
                let phases = schedule(&env.report, &dating, skip_shared);
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

    /// The fleet's calendar chart from `start`: each Supervisor's shared steps, then every
    /// environment's own phases after its Supervisor. `None` above [`GANTT_LIMIT`]
    /// environments, where a chart would be unreadable.
    pub fn chart(&self, start: Date) -> Option<FleetChart> {
        if self.environments.len() > GANTT_LIMIT {
            return None;
        }
        let shared_days = |name: Option<&str>| {
            name.and_then(|n| self.fleet.supervisors.iter().find(|s| s.name == n))
                .map_or(0, |s| month_days(s.months))
        };
        let span_days = self
            .members
            .iter()
            .map(|m| shared_days(m.supervisor.as_deref()) + month_days(m.own_months))
            .max()
            .unwrap_or(0);
        let supervisors = self
            .fleet
            .supervisors
            .iter()
            .map(|s| Bar {
                name: s.steps_text(", "),
                start,
                days: month_days(s.months).max(1),
            })
            .collect();
        let environments = self
            .members
            .iter()
            .map(|m| {
                let days_per_window = 365.25 / f64::from(m.calendar.windows_per_year.max(1));
                // With a named Supervisor its shared steps are drawn once, above; the
                // environment's own phases follow them.
                let shared = m.supervisor.is_some();
                let phases: Vec<_> = m.phases.iter().filter(|p| !(shared && p.shared)).collect();
                let skip = phases.iter().map(|p| p.first_window).min().unwrap_or(1) - 1;
                let offset = shared_days(m.supervisor.as_deref());
                phases
                    .iter()
                    .map(|p| {
                        let from =
                            ((p.first_window - 1 - skip) as f64 * days_per_window).round() as i64;
                        let to = ((p.last_window - skip) as f64 * days_per_window).round() as i64;
                        Bar {
                            name: p.name.clone(),
                            start: start.plus_days(offset + from),
                            days: (to - from).max(1),
                        }
                    })
                    .collect()
            })
            .collect();
        Some(FleetChart {
            span_days,
            supervisors,
            environments,
        })
    }
}

/// The fleet's dated schedule (see [`FleetReport::schedule`]).
pub struct FleetSchedule<'a> {
    pub supervisors: Vec<SupervisorSchedule<'a>>,
    pub environments: Vec<EnvironmentSchedule<'a>>,
}

/// A shared Supervisor's steps, as in-place phases of its own, all in its first windows.
pub struct SupervisorSchedule<'a> {
    pub name: String,
    pub environments: Vec<String>,
    /// The environment (in [`FleetSchedule::environments`]) whose report gives the shared
    /// layers and their step texts.
    pub report: usize,
    /// Empty when the shared layers are already at their targets.
    pub phases: Vec<Planned<'a>>,
}

/// An environment's report and its own phases, dated.
pub struct EnvironmentSchedule<'a> {
    pub env: EnvironmentReport<'a>,
    /// The day it starts when its Supervisor's shared steps come first.
    pub after_supervisor: Option<Date>,
    pub phases: Vec<Planned<'a>>,
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
        let distinct: std::collections::HashSet<&Answers> =
            fleet.environments.iter().map(|e| &e.file.answers).collect();
        assert!(distinct.len() * 2 <= reports.len(), "copies share answers");
        assert_eq!(
            report.environments.memo.known.borrow().len(),
            distinct.len()
        );
        for (env, made) in fleet.environments.iter().zip(&reports) {
            let alone = Report::build(&checklist, &env.file, dates, true);
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
