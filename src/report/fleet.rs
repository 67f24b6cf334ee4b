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
use std::cell::RefCell;
use std::collections::HashMap;
use std::io::Write as _;
use std::rc::Rc;

use crate::answers::{Answers, AnswersFile, Environment, FleetAnswers};
use crate::checklist::Checklist;
use crate::diagnostic::Diagnostic;
use crate::fleet::{FleetSummary, Member, check_shared_versions, duration_text, summarize};
use crate::markdown::{self as md, Align::Left as L, Align::Right as R};
use crate::scoring::format_number;
use crate::scoring::{Assessment, assess};
use crate::whatif::{Analysis, analyse};

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
    options: RenderOptions,
    memo: Memo,
    /// Warnings every environment's report carries too (from a manifest scan).
    pub extra_warnings: Vec<crate::support::SupportWarning>,
}

impl<'a> Environments<'a> {
    /// Each environment's report in turn, with the what-if analysis when `what_if`.
    pub fn each(&self, what_if: bool) -> impl Iterator<Item = EnvironmentReport<'a>> + '_ {
        let environments = self.fleet.environments.iter().enumerate();
        environments.map(move |(i, env)| self.report(i, env, what_if))
    }

    /// The report of environment `i`, which is `env`.
    fn report(&self, i: usize, env: &Environment, what_if: bool) -> EnvironmentReport<'a> {
        let answers = &env.file.answers;
        let assessment = self.memo.assessment(i, self.checklist, answers);
        let analysis = what_if.then(|| self.memo.analysis(i, self.checklist, answers));
        let mut report = Report::build_from(
            self.checklist,
            &env.file,
            &self.options,
            assessment,
            analysis,
        );
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

/// An environment's JSON report without its name and Supervisor (its fields, indented as the
/// fleet report nests them), and what besides the answers it was made from.
struct SharedJson {
    body: Rc<Vec<u8>>,
    context: Vec<(String, String)>,
    evidence: Vec<crate::answers::EvidenceUse>,
    overrides: Vec<crate::answers::Override>,
    sha256: String,
}

impl SharedJson {
    fn new(file: &AnswersFile, body: Rc<Vec<u8>>) -> SharedJson {
        SharedJson {
            body,
            context: file.context.clone(),
            evidence: file.evidence.clone(),
            overrides: file.overrides.clone(),
            sha256: file.sha256.clone(),
        }
    }

    /// Whether `file` (with the same answers) gives the same report.
    fn matches(&self, file: &AnswersFile) -> bool {
        self.context == file.context
            && self.evidence == file.evidence
            && self.overrides == file.overrides
            && self.sha256 == file.sha256
    }
}

/// A report serialized alone (`{`, its fields at two spaces, `}`) as the fields of an
/// environment inside the fleet report: the braces dropped, every line four spaces deeper.
/// JSON text has line breaks only between tokens (never inside a string), so this is exact.
fn indented(alone: &[u8]) -> Vec<u8> {
    let inner = alone
        .strip_prefix(b"{\n")
        .and_then(|rest| rest.strip_suffix(b"\n}"))
        .unwrap_or(alone);
    let mut out = Vec::with_capacity(inner.len() + inner.len() / 8);
    out.extend_from_slice(b"    ");
    for &byte in inner {
        out.push(byte);
        if byte == b'\n' {
            out.extend_from_slice(b"    ");
        }
    }
    out
}

/// The most distinct sets of answers the memo keeps; beyond it, answers are assessed each
/// time they are met, so a fleet whose environments all differ still runs in bounded memory.
const MEMO_LIMIT: usize = 4096;

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
        options: &RenderOptions,
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
            checklist: ChecklistInfo {
                id: checklist.id.clone(),
                version: checklist.version.clone(),
                title: checklist.title.clone(),
            },
            context: fleet.context.clone(),
            environments: Environments {
                checklist,
                fleet,
                options: *options,
                memo,
                extra_warnings: Vec::new(),
            },
            fleet: summary,
            answers_sha256: fleet.sha256.clone(),
            members,
        })
    }

    pub fn render(&self, format: Format, options: &RenderOptions) -> String {
        let mut bytes = Vec::new();
        self.write(format, options, &mut bytes)
            .expect("writing to memory cannot fail");
        String::from_utf8(bytes).expect("reports are UTF-8")
    }

    /// Writes the report to `out` as it is made, one environment at a time.
    pub fn write(
        &self,
        format: Format,
        options: &RenderOptions,
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        match format {
            Format::Json => {
                // The serializer writes a token at a time: buffer here, where the writer's
                // type is known, rather than through `out`'s dynamic dispatch.
                let mut buffered = std::io::BufWriter::with_capacity(1 << 16, &mut *out);
                self.json(&mut buffered)?;
                buffered.flush()
            }
            Format::Table => {
                let width = options.width.unwrap_or_else(crate::width::terminal_width);
                self.table(options, &mut |chunk| {
                    out.write_all(crate::width::wrap_prose(chunk, width).as_bytes())
                })
            }
            Format::Markdown => {
                self.markdown(options, &mut |chunk| out.write_all(chunk.as_bytes()))
            }
            Format::Runbook => {
                out.write_all(super::runbook::render_fleet(self, options).as_bytes())
            }
            Format::Adr => out.write_all(super::adr::render_fleet(self, options).as_bytes()),
        }
    }

    /// The JSON report, byte for byte what serializing the whole report gives, written an
    /// environment at a time. Environments with the same answers (and the same evidence and
    /// context) have the same report apart from their name and Supervisor: its text is made
    /// once and copied, which spares a large fleet most of its serializing.
    fn json(&self, out: &mut impl std::io::Write) -> std::io::Result<()> {
        /// The report with no environments: the frame the environments are written into.
        #[derive(Serialize)]
        struct Frame<'r> {
            schema_version: u32,
            checklist: &'r ChecklistInfo,
            #[serde(serialize_with = "ordered_pairs")]
            context: &'r [(String, String)],
            environments: [(); 0],
            fleet: &'r FleetSummary,
            answers_sha256: &'r str,
        }
        const EMPTY: &str = "\n  \"environments\": [],\n";
        let frame = serde_json::to_string_pretty(&Frame {
            schema_version: self.schema_version,
            checklist: &self.checklist,
            context: &self.context,
            environments: [],
            fleet: &self.fleet,
            answers_sha256: &self.answers_sha256,
        })?;
        let split = frame.find(EMPTY).expect("the frame lists the environments");
        out.write_all(&frame.as_bytes()[..split])?;
        out.write_all(b"\n  \"environments\": [")?;
        let mut shared: HashMap<usize, SharedJson> = HashMap::new();
        let envs = &self.environments;
        for (i, env) in envs.fleet.environments.iter().enumerate() {
            out.write_all(if i == 0 { b"\n    " } else { b",\n    " })?;
            let slot = envs.memo.slots[i];
            let reusable = slot
                .and_then(|slot| shared.get(&slot))
                .filter(|known| known.matches(&env.file));
            let body = match reusable {
                Some(known) => known.body.clone(),
                None => {
                    let report = envs.report(i, env, true);
                    let body = Rc::new(indented(&serde_json::to_vec_pretty(&report.report)?));
                    if let Some(slot) = slot
                        && shared.len() < MEMO_LIMIT
                    {
                        shared.insert(slot, SharedJson::new(&env.file, body.clone()));
                    }
                    body
                }
            };
            out.write_all(b"{\n      \"name\": ")?;
            serde_json::to_writer(&mut *out, &env.name)?;
            out.write_all(b",\n      \"supervisor\": ")?;
            serde_json::to_writer(&mut *out, &env.supervisor)?;
            out.write_all(b",\n")?;
            out.write_all(&body)?;
            out.write_all(b"\n    }")?;
        }
        if !envs.fleet.environments.is_empty() {
            out.write_all(b"\n  ")?;
        }
        out.write_all(b"],\n")?;
        out.write_all(&frame.as_bytes()[split + EMPTY.len()..])?;
        out.write_all(b"\n")
    }

    /// The table output, handed to `emit` a part at a time.
    fn table(&self, options: &RenderOptions, emit: Emit) -> std::io::Result<()> {
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
        for m in &self.members {
            overview.add_row(vec![
                Cell::new(&m.name),
                Cell::new(m.supervisor.as_deref().unwrap_or("-")),
                Cell::new(&m.strategy_name),
                Cell::new(m.confidence),
                Cell::new(m.blockers).set_alignment(CellAlignment::Right),
                Cell::new(duration_text(m.own_months)),
            ]);
        }
        push(&mut out, &overview);
        drop(overview);
        let _ = writeln!(out, "{OWN_WORK}\n");
        emit(&out)?;
        out.clear();

        for env in self.environments.each(false) {
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
            emit(&out)?;
            out.clear();
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
        emit(&out)
    }

    /// The markdown document, handed to `emit` a part at a time.
    fn markdown(&self, options: &RenderOptions, emit: Emit) -> std::io::Result<()> {
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
            self.members.iter().map(|m| {
                vec![
                    cell(&m.name),
                    cell(m.supervisor.as_deref().unwrap_or("-")),
                    cell(&m.strategy_name),
                    m.confidence.to_string(),
                    m.blockers.to_string(),
                    duration_text(m.own_months),
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

        emit(&out)?;
        out.clear();
        for env in self.environments.each(true) {
            environment_section(&mut out, &env);
            emit(&out)?;
            out.clear();
        }
        let _ = writeln!(out, "## Appendix: answers\n");
        let mut overrides = String::new();
        for env in self.environments.each(false) {
            let _ = writeln!(out, "### {}\n", escape_inline(&env.name));
            answers_appendix(&mut out, &env.report);
            if overrides.is_empty() {
                overrides = super::markdown::overrides_text(&env.report.overrides, false);
            }
            emit(&out)?;
            out.clear();
        }
        footer(
            &mut out,
            &self.checklist,
            &self.answers_sha256,
            None,
            &overrides,
            options,
        );
        emit(&out)
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
            .members
            .iter()
            .map(|m| shared_days(m.supervisor.as_deref()) + day(m.own_months))
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
        for (e, m) in self.members.iter().enumerate() {
            let days_per_window = 365.25 / f64::from(m.calendar.windows_per_year.max(1));
            // With a named Supervisor its shared steps are drawn above, once; the environment's
            // own phases follow them.
            let shared = m.supervisor.is_some();
            let phases: Vec<_> = m.phases.iter().filter(|p| !(shared && p.shared)).collect();
            let skip = phases.iter().map(|p| p.first_window).min().unwrap_or(1) - 1;
            let offset = shared_days(m.supervisor.as_deref());
            let _ = writeln!(
                out,
                "    section {}",
                gantt_text(&format!("{} ({})", m.name, m.strategy_name))
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

/// Takes the next part of a rendering.
type Emit<'e> = &'e mut dyn FnMut(&str) -> std::io::Result<()>;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::AnswersDocument;

    /// Environments that share answers share one assessment and one what-if search, and
    /// each environment's report is still exactly the report its answers give on their own.
    #[test]
    fn shared_answers_are_assessed_once_and_report_alike() {
        let checklist = Checklist::builtin("vks").unwrap();
        let mut text = include_str!("../../checklists/examples/fleet.yaml").to_string();
        // Copies of the example's environments under new names: same answers, new reports.
        let envs = text.split("environments:").nth(1).unwrap().to_string();
        text.push_str(&envs.replace("name: ", "name: copy-of-"));
        let AnswersDocument::Fleet(fleet) =
            AnswersDocument::parse(&text, "fleet.yaml", &checklist, &[], &[]).unwrap()
        else {
            panic!("a fleet");
        };
        let today = "2026-11-26".parse().unwrap();
        let options = RenderOptions {
            today,
            start: today,
            color: false,
            width: Some(80),
        };
        let report = FleetReport::build(&checklist, &fleet, &options).unwrap();
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
            let alone = Report::build(&checklist, &env.file, &options, true);
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

        // The JSON written an environment at a time, copying shared reports, is byte for byte
        // the whole report serialized in one go.
        let written = report.render(Format::Json, &options);
        let whole = serde_json::to_string_pretty(&report).unwrap() + "\n";
        assert_eq!(written, whole);
        let parsed: serde_json::Value = serde_json::from_str(&written).unwrap();
        assert_eq!(
            parsed["environments"][half]["name"],
            "copy-of-payments-prod"
        );
    }

    #[test]
    fn indenting_a_report_nests_its_fields() {
        let alone = b"{\n  \"a\": 1,\n  \"b\": [\n    \"x\\ny\"\n  ]\n}";
        let nested = indented(alone);
        assert_eq!(
            String::from_utf8(nested).unwrap(),
            "      \"a\": 1,\n      \"b\": [\n        \"x\\ny\"\n      ]"
        );
    }
}
