//! The fleet report: each environment's recommendation, then the plan for the whole fleet.

use std::fmt::Write;

use comfy_table::{Cell, CellAlignment};
use serde::Serialize;

use super::markdown::{
    answers_appendix, blockers_section, cell, confidence_note, drivers_section, escape_inline,
    feasibility_section, footer, gantt_axis, gantt_text, header, next_steps_section, path_section,
    plan_section, risks_section, support_section, what_if_section,
};
use super::table::{heading, push, table};
use super::{ChecklistInfo, Format, RenderOptions, Report, SCHEMA_VERSION, ordered_pairs};
use crate::answers::FleetAnswers;
use crate::checklist::Checklist;
use crate::diagnostic::Diagnostic;
use crate::fleet::{
    FleetSummary, Member, check_shared_versions, duration_text, summarize, workload_months,
};
use crate::markdown::{self as md, Align::Left as L, Align::Right as R};
use crate::scoring::format_number;

#[derive(schemars::JsonSchema, Debug, Clone, Serialize)]
pub struct FleetReport<'a> {
    pub schema_version: u32,
    pub checklist: ChecklistInfo,
    #[serde(serialize_with = "ordered_pairs")]
    #[schemars(with = "std::collections::BTreeMap<String, String>")]
    pub context: Vec<(String, String)>,
    /// Each environment's full result.
    pub environments: Vec<EnvironmentReport<'a>>,
    pub fleet: FleetSummary,
    pub answers_sha256: String,
}

#[derive(schemars::JsonSchema, Debug, Clone, Serialize)]
pub struct EnvironmentReport<'a> {
    pub name: String,
    pub supervisor: Option<String>,
    #[serde(flatten)]
    pub report: Report<'a>,
}

/// Fleets up to this many environments get a what-if analysis per environment; it takes
/// milliseconds each, which a fleet of thousands cannot afford.
pub const WHAT_IF_FLEET_LIMIT: usize = 100;

impl<'a> FleetReport<'a> {
    /// Assesses every environment and plans the fleet. Environments that share a Supervisor
    /// but disagree on its versions are refused.
    pub fn build(
        checklist: &'a Checklist,
        fleet: &FleetAnswers,
        options: &RenderOptions,
    ) -> Result<Self, Vec<Diagnostic>> {
        let problems = check_shared_versions(checklist, &fleet.environments);
        if !problems.is_empty() {
            return Err(problems);
        }
        let what_if = fleet.environments.len() <= WHAT_IF_FLEET_LIMIT;
        let environments: Vec<EnvironmentReport> = fleet
            .environments
            .iter()
            .map(|env| EnvironmentReport {
                name: env.name.clone(),
                supervisor: env.supervisor.clone(),
                report: Report::build(checklist, &env.file, options, what_if),
            })
            .collect();
        let members: Vec<Member> = environments
            .iter()
            .map(|e| Member {
                name: &e.name,
                supervisor: e.supervisor.as_deref(),
                assessment: &e.report.assessment,
            })
            .collect();
        let summary = summarize(checklist, &members);
        Ok(FleetReport::new(checklist, fleet, environments, summary))
    }

    pub fn new(
        checklist: &Checklist,
        fleet: &FleetAnswers,
        environments: Vec<EnvironmentReport<'a>>,
        summary: FleetSummary,
    ) -> Self {
        FleetReport {
            schema_version: SCHEMA_VERSION,
            checklist: ChecklistInfo {
                id: checklist.id.clone(),
                version: checklist.version.clone(),
                title: checklist.title.clone(),
            },
            context: fleet.context.clone(),
            environments,
            fleet: summary,
            answers_sha256: fleet.sha256.clone(),
        }
    }

    pub fn render(&self, format: Format, options: &RenderOptions) -> String {
        match format {
            Format::Json => {
                let mut text =
                    serde_json::to_string_pretty(self).expect("a report always serializes");
                text.push('\n');
                text
            }
            Format::Table => crate::width::wrap_prose(
                &self.table(options),
                options.width.unwrap_or_else(crate::width::terminal_width),
            ),
            Format::Markdown => self.markdown(options),
        }
    }

    fn table(&self, options: &RenderOptions) -> String {
        let mut out = String::new();
        let mut overview = table(options);
        overview.set_header(vec![
            heading("Environment", options),
            heading("Supervisor", options),
            heading("Strategy", options),
            heading("Confidence", options),
            heading("Blockers", options),
            heading("Own work", options),
        ]);
        for env in &self.environments {
            let a = &env.report.assessment;
            let months = workload_months(a, a.recommendation.strategy);
            overview.add_row(vec![
                Cell::new(&env.name),
                Cell::new(env.supervisor.as_deref().unwrap_or("-")),
                Cell::new(env.report.strategy_name(a.recommendation.strategy)),
                Cell::new(a.recommendation.confidence),
                Cell::new(a.blockers.len()).set_alignment(CellAlignment::Right),
                Cell::new(duration_text(months)),
            ]);
        }
        push(&mut out, &overview);
        let _ = writeln!(out, "{OWN_WORK}\n");

        for env in &self.environments {
            let a = &env.report.assessment;
            let mut detail = table(options);
            detail.set_header(vec![
                heading(&env.name, options),
                heading(env.report.strategy_name(a.recommendation.strategy), options),
            ]);
            detail.add_row(vec![
                Cell::new("Why"),
                Cell::new(a.recommendation.rationale.join("\n")),
            ]);
            for b in &a.blockers {
                detail.add_row(vec![
                    Cell::new("Blocker"),
                    Cell::new(format!(
                        "{} ({}: {}). {}",
                        b.title, b.question, b.answer, b.action
                    )),
                ]);
            }
            push(&mut out, &detail);
        }

        let fleet = &self.fleet;
        if !fleet.supervisors.is_empty() {
            let mut supervisors = table(options);
            supervisors.set_header(vec![
                heading("Supervisor", options),
                heading("Environments", options),
                heading("In place, once, first", options),
                heading("Duration", options),
            ]);
            for s in &fleet.supervisors {
                supervisors.add_row(vec![
                    Cell::new(&s.name),
                    Cell::new(s.environments.join(", ")),
                    Cell::new(s.steps_text("\n")),
                    Cell::new(duration_text(s.months)),
                ]);
            }
            push(&mut out, &supervisors);
        }
        let mut plan = table(options);
        plan.set_header(vec![
            heading("#", options),
            heading("Order of work", options),
        ]);
        for (i, step) in fleet.order.iter().enumerate() {
            plan.add_row(vec![Cell::new(i + 1), Cell::new(step)]);
        }
        push(&mut out, &plan);
        let _ = writeln!(out, "{}", counts(fleet));
        let _ = writeln!(
            out,
            "Fleet calendar: {} with the recommended mix ({} months), against {} all hop by hop ({} months).\n{}",
            duration_text(fleet.calendar.recommended_months),
            format_number(fleet.calendar.recommended_months),
            duration_text(fleet.calendar.all_sequential_months),
            format_number(fleet.calendar.all_sequential_months),
            fleet.calendar.basis
        );
        out
    }

    fn markdown(&self, options: &RenderOptions) -> String {
        let mut out = String::new();
        let count = [("Environments", self.environments.len().to_string())];
        header(
            &mut out,
            "Kubernetes fleet upgrade strategy",
            &self.context,
            &self.checklist,
            &count,
            options,
        );

        let fleet = &self.fleet;
        let _ = writeln!(out, "## Summary\n\n{}\n", counts(fleet));
        md::table(
            &mut out,
            &[
                ("Environment", L),
                ("Supervisor", L),
                ("Recommendation", L),
                ("Confidence", L),
                ("Blockers", R),
                ("Own work", L),
            ],
            self.environments.iter().map(|env| {
                let a = &env.report.assessment;
                vec![
                    cell(&env.name),
                    cell(env.supervisor.as_deref().unwrap_or("-")),
                    cell(env.report.strategy_name(a.recommendation.strategy)),
                    a.recommendation.confidence.to_string(),
                    a.blockers.len().to_string(),
                    duration_text(workload_months(a, a.recommendation.strategy)),
                ]
            }),
        );
        let _ = writeln!(out, "{OWN_WORK}\n");
        if !fleet.supervisors.is_empty() {
            let _ = writeln!(
                out,
                "## Supervisors\n\nA shared Supervisor is upgraded in place once, before the workload clusters of every environment on it, whatever strategy each of them gets.\n"
            );
            md::table(
                &mut out,
                &[
                    ("Supervisor", L),
                    ("Environments", L),
                    ("In place, once, first", L),
                    ("Duration", L),
                ],
                fleet.supervisors.iter().map(|s| {
                    vec![
                        cell(&s.name),
                        cell(&s.environments.join(", ")),
                        cell(&s.steps_text("; ")),
                        duration_text(s.months),
                    ]
                }),
            );
        }
        let _ = writeln!(out, "## Order of work\n");
        for (i, step) in fleet.order.iter().enumerate() {
            let _ = writeln!(out, "{}. {}", i + 1, escape_inline(step));
        }
        let _ = writeln!(out, "\n## Fleet calendar\n");
        md::table(
            &mut out,
            &[("Plan", L), ("Duration", L), ("Months", R)],
            [
                vec![
                    "Recommended mix".to_string(),
                    duration_text(fleet.calendar.recommended_months),
                    format_number(fleet.calendar.recommended_months),
                ],
                vec![
                    "Every environment hop by hop".to_string(),
                    duration_text(fleet.calendar.all_sequential_months),
                    format_number(fleet.calendar.all_sequential_months),
                ],
            ],
        );
        let _ = writeln!(out, "{}\n", escape_inline(&fleet.calendar.basis));
        self.gantt(&mut out, options);

        for env in &self.environments {
            environment_section(&mut out, env);
        }
        let _ = writeln!(out, "## Appendix: answers\n");
        for env in &self.environments {
            let _ = writeln!(out, "### {}\n", escape_inline(&env.name));
            answers_appendix(&mut out, &env.report);
        }
        let overrides = self.environments.first().map_or(String::new(), |e| {
            super::markdown::overrides_text(&e.report.overrides, false)
        });
        footer(
            &mut out,
            &self.checklist,
            &self.answers_sha256,
            None,
            &overrides,
            options,
        );
        out
    }

    /// The fleet's calendar as a mermaid gantt: each Supervisor's shared steps first, then every
    /// environment's own phases after its Supervisor, from `--start`.
    fn gantt(&self, out: &mut String, options: &RenderOptions) {
        if self.environments.len() > GANTT_LIMIT {
            let _ = writeln!(
                out,
                "The chart is left out above {GANTT_LIMIT} environments; the order of work lists every step.\n"
            );
            return;
        }
        let day = |months: f64| (months * 365.25 / 12.0).round() as i64;
        let shared_days = |name: Option<&str>| {
            name.and_then(|n| self.fleet.supervisors.iter().find(|s| s.name == n))
                .map_or(0, |s| day(s.months))
        };
        let span = self
            .environments
            .iter()
            .map(|e| {
                let a = &e.report.assessment;
                shared_days(e.supervisor.as_deref()) + day(a.recommended_months())
            })
            .max()
            .unwrap_or(0);
        let (axis, tick) = gantt_axis(span);
        let _ = writeln!(
            out,
            "```mermaid\ngantt\n    title Fleet calendar, from {}\n    dateFormat YYYY-MM-DD\n    axisFormat {axis}\n    tickInterval {tick}\n    todayMarker off",
            options.start
        );
        for (i, s) in self.fleet.supervisors.iter().enumerate() {
            let _ = writeln!(
                out,
                "    section Supervisor {}\n    {} :crit, sup{i}, {}, {}d",
                gantt_text(&s.name),
                gantt_text(&s.steps_text(", ")),
                options.start,
                day(s.months).max(1)
            );
        }
        for (e, env) in self.environments.iter().enumerate() {
            let a = &env.report.assessment;
            let Some(t) = a.timeline_of(a.recommendation.strategy) else {
                continue;
            };
            let days_per_window = 365.25 / f64::from(a.calendar.windows_per_year.max(1));
            // With a named Supervisor its shared steps are drawn above, once; the environment's
            // own phases follow them.
            let shared = env.supervisor.is_some();
            let phases: Vec<_> = t.phases.iter().filter(|p| !(shared && p.shared)).collect();
            let skip = phases.iter().map(|p| p.first_window).min().unwrap_or(1) - 1;
            let offset = shared_days(env.supervisor.as_deref());
            let _ = writeln!(
                out,
                "    section {}",
                gantt_text(&format!(
                    "{} ({})",
                    env.name,
                    env.report.strategy_name(t.strategy)
                ))
            );
            for (i, p) in phases.iter().enumerate() {
                let from = ((p.first_window - 1 - skip) as f64 * days_per_window).round() as i64;
                let to = ((p.last_window - skip) as f64 * days_per_window).round() as i64;
                let _ = writeln!(
                    out,
                    "    {} :env{e}p{i}, {}, {}d",
                    gantt_text(&p.name),
                    options.start.plus_days(offset + from),
                    (to - from).max(1)
                );
            }
        }
        let _ = writeln!(out, "```\n");
    }
}

/// Fleets up to this many environments get a gantt chart; beyond, it would be unreadable.
pub const GANTT_LIMIT: usize = 60;

const OWN_WORK: &str = "Own work is each environment's own changes at its change windows, after its Supervisor's shared steps; the order of work gives the same figures.";

/// One environment's part of the fleet document: what a single report says, a level down.
fn environment_section(out: &mut String, env: &EnvironmentReport) {
    let report = &env.report;
    let rec = &report.assessment.recommendation;
    let _ = writeln!(
        out,
        "## {}: {}\n",
        escape_inline(&env.name),
        escape_inline(report.strategy_name(rec.strategy))
    );
    if let Some(s) = &env.supervisor {
        let _ = writeln!(out, "Supervisor: {}.\n", escape_inline(s));
    }
    let _ = writeln!(out, "**Confidence: {}.**\n", rec.confidence);
    for sentence in &rec.rationale {
        let _ = writeln!(out, "{}\n", escape_inline(sentence));
    }
    confidence_note(out, report);
    feasibility_section(out, report, 3);
    drivers_section(out, report, 3);
    blockers_section(out, report, 3);
    plan_section(out, report, 3);
    path_section(out, report, 3);
    support_section(out, report, 3);
    what_if_section(out, report, 3);
    risks_section(out, report, 3);
    next_steps_section(out, report, 3);
}

fn counts(fleet: &FleetSummary) -> String {
    let parts: Vec<String> = fleet
        .strategies
        .iter()
        .map(|(s, n)| format!("{s}: {n}"))
        .collect();
    format!("{} environments; {}.", fleet.environments, parts.join(", "))
}
