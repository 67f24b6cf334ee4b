//! The fleet report: each environment's recommendation, then the plan for the whole fleet.

use std::fmt::Write;

use comfy_table::{Cell, CellAlignment};
use serde::Serialize;

use super::markdown::{blocker_item, cell, escape_inline, footer, header};
use super::table::{heading, push, table};
use super::{ChecklistInfo, Format, RenderOptions, Report, SCHEMA_VERSION, ordered_pairs};
use crate::answers::FleetAnswers;
use crate::checklist::Checklist;
use crate::diagnostic::Diagnostic;
use crate::fleet::{FleetSummary, Member, check_shared_versions, summarize};
use crate::markdown::{self as md, Align::Left as L, Align::Right as R};
use crate::scoring::format_number;

#[derive(Debug, Clone, Serialize)]
pub struct FleetReport<'a> {
    pub schema_version: u32,
    pub checklist: ChecklistInfo,
    #[serde(serialize_with = "ordered_pairs")]
    pub context: Vec<(String, String)>,
    /// Each environment's full result.
    pub environments: Vec<EnvironmentReport<'a>>,
    pub fleet: FleetSummary,
    pub answers_sha256: String,
}

#[derive(Debug, Clone, Serialize)]
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
            heading("Recommendation", options),
            heading("Confidence", options),
            heading("Blockers", options),
            heading("Months", options),
        ]);
        for env in &self.environments {
            let a = &env.report.assessment;
            let months = a.recommended_months();
            overview.add_row(vec![
                Cell::new(&env.name),
                Cell::new(env.supervisor.as_deref().unwrap_or("-")),
                Cell::new(env.report.strategy_name(a.recommendation.strategy)),
                Cell::new(a.recommendation.confidence),
                Cell::new(a.blockers.len()).set_alignment(CellAlignment::Right),
                Cell::new(format_number(months)).set_alignment(CellAlignment::Right),
            ]);
        }
        push(&mut out, &overview);

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
                heading("Months", options),
            ]);
            for s in &fleet.supervisors {
                supervisors.add_row(vec![
                    Cell::new(&s.name),
                    Cell::new(s.environments.join(", ")),
                    Cell::new(s.steps_text("\n")),
                    Cell::new(format_number(s.months)).set_alignment(CellAlignment::Right),
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
            "Fleet calendar: about {} months with the recommended mix, against {} months all hop by hop.\n{}",
            format_number(fleet.calendar.recommended_months),
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
                ("Months", R),
            ],
            self.environments.iter().map(|env| {
                let a = &env.report.assessment;
                vec![
                    cell(&env.name),
                    cell(env.supervisor.as_deref().unwrap_or("-")),
                    cell(env.report.strategy_name(a.recommendation.strategy)),
                    a.recommendation.confidence.to_string(),
                    a.blockers.len().to_string(),
                    format_number(a.recommended_months()),
                ]
            }),
        );
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
                    ("Months", R),
                ],
                fleet.supervisors.iter().map(|s| {
                    vec![
                        cell(&s.name),
                        cell(&s.environments.join(", ")),
                        cell(&s.steps_text("; ")),
                        format_number(s.months),
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
            &[("Plan", L), ("Months", R)],
            [
                vec![
                    "Recommended mix".to_string(),
                    format_number(fleet.calendar.recommended_months),
                ],
                vec![
                    "Every environment hop by hop".to_string(),
                    format_number(fleet.calendar.all_sequential_months),
                ],
            ],
        );
        let _ = writeln!(out, "{}\n", escape_inline(&fleet.calendar.basis));

        for env in &self.environments {
            let a = &env.report.assessment;
            let rec = &a.recommendation;
            let _ = writeln!(
                out,
                "## {}: {}\n",
                escape_inline(&env.name),
                escape_inline(env.report.strategy_name(rec.strategy))
            );
            if let Some(s) = &env.supervisor {
                let _ = writeln!(out, "Supervisor: {}.\n", escape_inline(s));
            }
            let _ = writeln!(out, "**Confidence: {}.**\n", rec.confidence);
            for sentence in &rec.rationale {
                let _ = writeln!(out, "{}\n", escape_inline(sentence));
            }
            for b in &a.blockers {
                let _ = writeln!(out, "{}", blocker_item(b));
            }
            if !a.blockers.is_empty() {
                let _ = writeln!(out);
            }
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
}

fn counts(fleet: &FleetSummary) -> String {
    let parts: Vec<String> = fleet
        .strategies
        .iter()
        .map(|(s, n)| format!("{s}: {n}"))
        .collect();
    format!("{} environments; {}.", fleet.environments, parts.join(", "))
}
