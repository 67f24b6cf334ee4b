//! The decision record: the same assessment in the MADR 4.0 layout, ready to commit to a
//! `docs/decisions/` folder. Front matter, context, drivers, the three options, the outcome
//! with its consequences and how to confirm it, pros and cons per option, and where the
//! decision came from.

use std::fmt::Write;

use super::markdown::{escape_inline, inline_code};
use super::{ChecklistInfo, RenderOptions, Report};
use crate::scoring::{Level, PhaseKind, Status, Timeline, format_number, plural};
use crate::strategy::{Strategy, Toward};
use crate::text::lower_first;

pub fn render(report: &Report, options: &RenderOptions) -> String {
    let a = &report.assessment;
    let rec = &a.recommendation;
    let mut out = String::new();
    front_matter(&mut out, &report.context, options);
    let chosen = report.strategy_name(rec.strategy);
    let _ = writeln!(
        out,
        "# Upgrade Kubernetes from {} to {} with {}{}\n",
        a.path.from,
        a.path.to,
        escape_inline(chosen),
        subject(&report.context)
    );

    let _ = writeln!(out, "## Context and Problem Statement\n");
    let _ = writeln!(out, "{}\n", problem_statement(report));
    context_list(&mut out, &report.context);

    let _ = writeln!(out, "## Decision Drivers\n");
    for d in &a.drivers {
        let _ = writeln!(
            out,
            "* {} = {}: {} (leans {}, weight {})",
            inline_code(&d.question),
            escape_inline(&d.answer),
            escape_inline(&d.reason),
            d.leans,
            d.weight
        );
    }
    for g in &rec.gates {
        let _ = writeln!(
            out,
            "* Must-have not met ({}): {}",
            inline_code(&g.id),
            escape_inline(&g.reason)
        );
    }
    let basis = &a.calendar;
    let _ = writeln!(
        out,
        "* The calendar: {} a year, {} per window, {} in {}.\n",
        plural(
            u64::from(basis.windows_per_year),
            "change window",
            "change windows"
        ),
        plural(basis.changes_per_window, "change", "changes"),
        plural(basis.clusters, "workload cluster", "workload clusters"),
        plural(basis.batches, "batch", "batches")
    );

    let _ = writeln!(out, "## Considered Options\n");
    for s in Strategy::ALL {
        let _ = writeln!(out, "* {}", escape_inline(report.strategy_name(s)));
    }
    out.push('\n');

    let _ = writeln!(out, "## Decision Outcome\n");
    let because: Vec<String> = rec
        .rationale
        .iter()
        .enumerate()
        .map(|(i, r)| if i == 0 { lower_first(r) } else { r.clone() })
        .collect();
    let _ = writeln!(
        out,
        "Chosen option: \"{}\", because {}\n",
        escape_inline(chosen),
        escape_inline(&because.join(" "))
    );
    let reasons = if rec.confidence_reasons.is_empty() {
        String::new()
    } else {
        format!(" ({})", escape_inline(&rec.confidence_reasons.join("; ")))
    };
    let _ = writeln!(out, "Confidence: {}{reasons}.\n", rec.confidence);

    let _ = writeln!(out, "### Consequences\n");
    for line in consequences(report) {
        let _ = writeln!(out, "* {line}");
    }
    out.push('\n');

    let _ = writeln!(out, "### Confirmation\n");
    confirmation(
        &mut out,
        &[(None, rec.strategy)],
        &report.checklist,
        &report.answers_sha256,
    );

    let _ = writeln!(out, "## Pros and Cons of the Options\n");
    for s in Strategy::ALL {
        let _ = writeln!(out, "### {}\n", escape_inline(report.strategy_name(s)));
        let _ = writeln!(
            out,
            "{}\n",
            escape_inline(&report.source.strategy_text(s).summary)
        );
        for line in pros_and_cons(report, s) {
            let _ = writeln!(out, "* {line}");
        }
        out.push('\n');
    }

    more_information(
        &mut out,
        &report.checklist,
        &report.answers_sha256,
        &super::markdown::overrides_text(&report.overrides, true),
        options,
    );
    out
}

/// YAML front matter: status, date and the deciders from the context.
pub(super) fn front_matter(
    out: &mut String,
    context: &[(String, String)],
    options: &RenderOptions,
) {
    let deciders: Vec<String> = context
        .iter()
        .filter(|(k, _)| k == "deciders" || k == "prepared_by")
        .flat_map(|(_, v)| v.split(',').map(|d| d.trim().to_string()))
        .filter(|d| !d.is_empty())
        .map(|d| serde_json::to_string(&d).expect("a string serializes"))
        .collect();
    let _ = writeln!(
        out,
        "---\nstatus: proposed\ndate: {}\ndeciders: [{}]\n---\n",
        options.today,
        deciders.join(", ")
    );
}

/// ": Example Corp" when the context names the organization.
pub(super) fn subject(context: &[(String, String)]) -> String {
    context
        .iter()
        .find(|(k, _)| k == crate::answers::CONTEXT_SUBJECT)
        .map(|(_, v)| format!(" at {}", escape_inline(v)))
        .unwrap_or_default()
}

pub(super) fn context_list(out: &mut String, context: &[(String, String)]) {
    if context.is_empty() {
        return;
    }
    for (key, value) in context {
        let _ = writeln!(
            out,
            "* {}: {}",
            escape_inline(&key.replace(['_', '-'], " ")),
            escape_inline(value)
        );
    }
    out.push('\n');
}

fn problem_statement(report: &Report) -> String {
    let a = &report.assessment;
    let mut text = format!(
        "The platform runs {} at Kubernetes {} and has to reach {}: {}.",
        plural(a.calendar.clusters, "workload cluster", "workload clusters"),
        a.path.from,
        a.path.to,
        plural(a.path.hops.len() as u64, "minor hop", "minor hops")
    );
    let layers: Vec<String> = a
        .layers
        .iter()
        .filter(|l| !l.steps.is_empty() && l.from != Some(a.path.from))
        .filter_map(|l| Some(format!("{} {} → {}", l.name, l.from?, l.to?)))
        .collect();
    if !layers.is_empty() {
        let _ = write!(text, " The shared layers move too: {}.", layers.join(", "));
    }
    text.push_str(
        " Which strategy should carry the upgrade: in place hop by hop, a parallel environment, or a hybrid of the two?",
    );
    escape_inline(&text)
}

/// Good and bad consequences of the chosen option: its calendar, rollback, blockers and risks.
fn consequences(report: &Report) -> Vec<String> {
    let a = &report.assessment;
    let chosen = a.recommendation.strategy;
    let mut out = Vec::new();
    if let Some(t) = a.timeline_of(chosen) {
        let sequential = a
            .timeline_of(Strategy::Sequential)
            .map_or(0.0, |t| t.months);
        let months = format_number(t.months);
        if chosen != Strategy::Sequential && t.months < sequential {
            out.push(format!(
                "Good, because it needs about {months} months ({}) against {} months hop by hop.",
                plural(t.windows, "window", "windows"),
                format_number(sequential)
            ));
        } else {
            out.push(format!(
                "Good, because the calendar is known: about {months} months, {} and {}.",
                plural(t.windows, "window", "windows"),
                plural(t.changes, "change", "changes")
            ));
        }
        out.extend(rollback_consequences(t));
    }
    for b in &a.blockers {
        out.push(format!(
            "Bad, because a should-have is missing ({}: {}): {}. To do first: {}",
            inline_code(&b.question),
            escape_inline(&b.answer),
            lower_first(&escape_inline(&b.title)),
            escape_inline(&b.action)
        ));
    }
    for r in &a.risks {
        out.push(format!(
            "Bad, because {} Mitigation: {}",
            lower_first(&escape_inline(&r.risk)),
            escape_inline(&r.mitigation)
        ));
    }
    out
}

fn rollback_consequences(t: &Timeline) -> Vec<String> {
    let count = |kind: PhaseKind| t.phases.iter().filter(|p| p.kind == kind).count() as u64;
    let mut out = Vec::new();
    let in_place = count(PhaseKind::InPlace);
    if in_place > 0 {
        out.push(format!(
            "Bad, because {} in place cannot be rolled back once started: restore from backup or fix forward.",
            plural(in_place, "phase", "phases")
        ));
    }
    if count(PhaseKind::Wave) > 0 {
        let kept = t
            .phases
            .iter()
            .filter(|p| p.kind == PhaseKind::Rollback)
            .map(|p| p.last_window - p.first_window + 1)
            .sum::<u64>();
        out.push(format!(
            "Good, because the waves can move back until the old side is retired, which stays for {} after the last wave.",
            plural(kept, "window", "windows")
        ));
        out.push(
            "Bad, because the old and the new side run at the same time until the old one is retired, which needs capacity and double operations."
                .to_string(),
        );
    }
    out
}

/// Good, neutral and bad points of an option, from feasibility, the drivers and the timeline.
fn pros_and_cons(report: &Report, strategy: Strategy) -> Vec<String> {
    let a = &report.assessment;
    let mut good = Vec::new();
    let mut neutral = Vec::new();
    let mut bad = Vec::new();
    if strategy == a.recommendation.strategy {
        good.push("Good, because it is the recommendation.".to_string());
    }
    for r in a
        .recommendation
        .ruled_out
        .iter()
        .filter(|r| r.strategy == strategy)
    {
        for g in a
            .recommendation
            .gates
            .iter()
            .filter(|g| r.gates.contains(&g.id))
        {
            bad.push(format!(
                "Bad, because it is not possible here ({}): {}",
                inline_code(&g.id),
                escape_inline(&g.reason)
            ));
        }
    }
    if let Some(f) = a.feasibility.iter().find(|f| f.strategy == strategy) {
        let met = f
            .prerequisites
            .iter()
            .filter(|p| p.status == Status::Met)
            .count() as u64;
        if met > 0 {
            good.push(format!(
                "Good, because {met} of its {} prerequisites are met.",
                f.prerequisites.len()
            ));
        }
        for p in &f.prerequisites {
            let need = escape_inline(&p.need);
            match (p.status, p.level) {
                (Status::Missing, Level::Should) => {
                    bad.push(format!("Bad, because a should-have is missing: {need}."))
                }
                (Status::Unknown, _) => {
                    neutral.push(format!("Neutral, because it is unknown whether: {need}."))
                }
                _ => {}
            }
        }
    }
    let side = match strategy {
        Strategy::Sequential => Toward::Sequential,
        _ => Toward::BlueGreen,
    };
    let mut for_it = a.drivers.iter().filter(|d| d.weight > 0 && d.leans == side);
    let mut against = a
        .drivers
        .iter()
        .filter(|d| d.weight > 0 && d.leans != side && d.leans != Toward::Neutral);
    let argument = |verdict: &str, d: &crate::scoring::Driver| {
        format!(
            "{verdict}, because {} ({} = {}, weight {}).",
            lower_first(&escape_inline(d.reason.trim_end_matches('.'))),
            inline_code(&d.question),
            escape_inline(&d.answer),
            d.weight
        )
    };
    good.extend(for_it.by_ref().take(3).map(|d| argument("Good", d)));
    bad.extend(against.by_ref().take(3).map(|d| argument("Bad", d)));
    if let Some(t) = a.timeline_of(strategy) {
        let fastest = a
            .timeline
            .iter()
            .map(|t| t.months)
            .fold(f64::INFINITY, f64::min);
        let line = format!(
            "about {} months, {} and {}",
            format_number(t.months),
            plural(t.windows, "change window", "change windows"),
            plural(t.changes, "change", "changes")
        );
        if t.months <= fastest {
            good.push(format!("Good, because it is the quickest: {line}."));
        } else {
            neutral.push(format!("Neutral, because it takes {line}."));
        }
        for line in rollback_consequences(t) {
            if line.starts_with("Good") {
                good.push(line);
            } else {
                bad.push(line);
            }
        }
    }
    if let Some(analysis) = &report.analysis
        && let Some(w) = analysis.what_if.iter().find(|w| w.strategy == strategy)
        && let Some(s) = w.scenarios.first()
    {
        let parts: Vec<String> = s
            .changes
            .iter()
            .map(|c| {
                format!(
                    "{} were {}",
                    inline_code(&c.question),
                    escape_inline(&c.to.to_string())
                )
            })
            .collect();
        neutral.push(format!(
            "Neutral, because it would be recommended if {}.",
            parts.join(" and ")
        ));
    }
    good.into_iter().chain(neutral).chain(bad).collect()
}

/// How to confirm the decision later: the CI line and the inputs' fingerprints.
pub(super) fn confirmation(
    out: &mut String,
    expected: &[(Option<&str>, Strategy)],
    checklist: &ChecklistInfo,
    sha256: &str,
) {
    let mut strategies: Vec<Strategy> = expected.iter().map(|(_, s)| *s).collect();
    strategies.sort();
    strategies.dedup();
    if let [only] = strategies[..] {
        let _ = writeln!(
            out,
            "Run this in CI on the answers file; it exits with code 4 when the answers stop supporting the decision:\n\n```sh\nupgrade-advisor assess --answers answers.yaml --checklist {} --expect {}\n```\n",
            if crate::checklist::BUILTIN
                .iter()
                .any(|(n, _)| *n == checklist.id)
            {
                checklist.id.clone()
            } else {
                "CHECKLIST.yaml".to_string()
            },
            only.id()
        );
    } else {
        let _ = writeln!(
            out,
            "The environments get different strategies, so `--expect` (one strategy for all) does not fit. In CI, run `upgrade-advisor assess --answers answers.yaml --format json` and compare each `environments[].recommendation.strategy` with the decision:\n"
        );
        for (name, s) in expected {
            if let Some(name) = name {
                let _ = writeln!(out, "* {}: {}", escape_inline(name), inline_code(s.id()));
            }
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "The decision was made from the answers file with SHA-256 `{}`, with checklist {} version {}. A changed hash means the answers changed: assess again before relying on this record. Each phase of the runbook (`assess --format runbook`) has a go/no-go gate that confirms the plan as it runs.\n",
        sha256,
        inline_code(&checklist.id),
        escape_inline(&checklist.version)
    );
}

pub(super) fn more_information(
    out: &mut String,
    checklist: &ChecklistInfo,
    sha256: &str,
    overrides: &str,
    options: &RenderOptions,
) {
    let _ = writeln!(out, "## More Information\n");
    let _ = writeln!(
        out,
        "* Made with upgrade-advisor {} on {}.",
        env!("CARGO_PKG_VERSION"),
        options.today
    );
    let _ = writeln!(
        out,
        "* Checklist: {} ({} version {}).",
        escape_inline(&checklist.title),
        inline_code(&checklist.id),
        escape_inline(&checklist.version)
    );
    let _ = writeln!(out, "* Answers file SHA-256: `{sha256}`.");
    if overrides.is_empty() {
        let _ = writeln!(out, "* Overrides (`--set`): none.");
    } else {
        let _ = writeln!(out, "* Overrides (`--set`): {overrides}.");
    }
    let _ = writeln!(
        out,
        "* The full analysis: `upgrade-advisor assess --format markdown`; the plan of record: `upgrade-advisor assess --format runbook`."
    );
}

/// One decision record for the fleet: the per-environment outcomes and the shared rule.
pub fn render_fleet(fleet: &super::FleetReport, options: &RenderOptions) -> String {
    // The environments' reports, built once (they are made on demand, one at a time).
    let envs: Vec<super::fleet::EnvironmentReport> = fleet.environments.each(true).collect();
    let mut out = String::new();
    front_matter(&mut out, &fleet.context, options);
    let summary = &fleet.fleet;
    let _ = writeln!(
        out,
        "# Choose the Kubernetes upgrade strategy per environment{}\n",
        subject(&fleet.context)
    );
    let _ = writeln!(out, "## Context and Problem Statement\n");
    let _ = writeln!(
        out,
        "The fleet has {} and {}. Each environment must reach its target version; which strategy should carry each one, and in what order?\n",
        plural(
            fleet.environments.len() as u64,
            "environment",
            "environments"
        ),
        plural(
            summary.supervisors.len() as u64,
            "shared Supervisor",
            "shared Supervisors"
        )
    );
    for env in &envs {
        let a = &env.report.assessment;
        let on = env
            .supervisor
            .as_deref()
            .map(|s| format!(" on Supervisor {}", escape_inline(s)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "* {}{on}: {}, Kubernetes {} → {}",
            escape_inline(&env.name),
            plural(a.calendar.clusters, "workload cluster", "workload clusters"),
            a.path.from,
            a.path.to
        );
    }
    out.push('\n');
    context_list(&mut out, &fleet.context);

    let _ = writeln!(out, "## Decision Drivers\n");
    let _ = writeln!(
        out,
        "* A shared Supervisor is upgraded in place once, before the workload clusters of every environment on it, at the strictest change window among them."
    );
    for env in &envs {
        let a = &env.report.assessment;
        let drivers: Vec<String> = a
            .drivers
            .iter()
            .filter(|d| d.weight > 0)
            .take(3)
            .map(|d| {
                format!(
                    "{} = {} (leans {})",
                    inline_code(&d.question),
                    escape_inline(&d.answer),
                    d.leans
                )
            })
            .collect();
        let gates: Vec<String> = a
            .recommendation
            .gates
            .iter()
            .map(|g| inline_code(&g.id))
            .collect();
        let gates = if gates.is_empty() {
            String::new()
        } else {
            format!("; must-haves not met: {}", gates.join(", "))
        };
        let _ = writeln!(
            out,
            "* {}: {}{gates}",
            escape_inline(&env.name),
            if drivers.is_empty() {
                "no weighed answers".to_string()
            } else {
                drivers.join(", ")
            }
        );
    }
    out.push('\n');

    let _ = writeln!(out, "## Considered Options\n");
    let names = |s: Strategy| {
        envs.first().map_or(s.id().to_string(), |e| {
            e.report.strategy_name(s).to_string()
        })
    };
    for s in Strategy::ALL {
        let _ = writeln!(out, "* {} (per environment)", escape_inline(&names(s)));
    }
    out.push('\n');

    let _ = writeln!(out, "## Decision Outcome\n");
    let mix: Vec<String> = Strategy::ALL
        .into_iter()
        .filter_map(|s| {
            let envs: Vec<&str> = envs
                .iter()
                .filter(|e| e.report.assessment.recommendation.strategy == s)
                .map(|e| e.name.as_str())
                .collect();
            (!envs.is_empty()).then(|| format!("{} for {}", names(s), envs.join(", ")))
        })
        .collect();
    let _ = writeln!(
        out,
        "Chosen option: \"{}\", because each environment gets the strategy its own answers support, and the shared Supervisors go first, once each.\n",
        escape_inline(&mix.join("; "))
    );
    crate::markdown::table(
        &mut out,
        &[
            ("Environment", crate::markdown::Align::Left),
            ("Supervisor", crate::markdown::Align::Left),
            ("Chosen option", crate::markdown::Align::Left),
            ("Confidence", crate::markdown::Align::Left),
            ("Blockers", crate::markdown::Align::Right),
            ("Months", crate::markdown::Align::Right),
        ],
        envs.iter().map(|e| {
            let a = &e.report.assessment;
            vec![
                crate::markdown::cell(&e.name),
                crate::markdown::cell(e.supervisor.as_deref().unwrap_or("-")),
                crate::markdown::cell(e.report.strategy_name(a.recommendation.strategy)),
                a.recommendation.confidence.to_string(),
                a.blockers.len().to_string(),
                format_number(a.recommended_months()),
            ]
        }),
    );

    let _ = writeln!(out, "### Consequences\n");
    let calendar = &summary.calendar;
    let _ = writeln!(
        out,
        "* Good, because the recommended mix needs about {} months against {} months with every environment hop by hop.",
        format_number(calendar.recommended_months),
        format_number(calendar.all_sequential_months)
    );
    for s in &summary.supervisors {
        if s.changes > 0 {
            let _ = writeln!(
                out,
                "* Bad, because Supervisor {} is upgraded in place ({}), which cannot be rolled back once started, and every environment on it waits for it.",
                escape_inline(&s.name),
                escape_inline(&s.steps_text(", "))
            );
        }
    }
    for e in &envs {
        for b in &e.report.assessment.blockers {
            let _ = writeln!(
                out,
                "* Bad, because {} has a should-have missing: {}. To do first: {}",
                escape_inline(&e.name),
                lower_first(&escape_inline(&b.title)),
                escape_inline(&b.action)
            );
        }
    }
    out.push('\n');

    let _ = writeln!(out, "### Confirmation\n");
    let expected: Vec<(Option<&str>, Strategy)> = envs
        .iter()
        .map(|e| {
            (
                Some(e.name.as_str()),
                e.report.assessment.recommendation.strategy,
            )
        })
        .collect();
    confirmation(&mut out, &expected, &fleet.checklist, &fleet.answers_sha256);

    let _ = writeln!(out, "## Pros and Cons of the Options\n");
    for s in Strategy::ALL {
        let _ = writeln!(out, "### {}\n", escape_inline(&names(s)));
        if let Some(e) = envs.first() {
            let _ = writeln!(
                out,
                "{}\n",
                escape_inline(&e.report.source.strategy_text(s).summary)
            );
        }
        let (mut chosen, mut possible, mut ruled) = (Vec::new(), Vec::new(), Vec::new());
        for e in &envs {
            let a = &e.report.assessment;
            if a.recommendation.strategy == s {
                chosen.push(e.name.as_str());
            } else if a.recommendation.ruled_out.iter().any(|r| r.strategy == s) {
                ruled.push(e.name.as_str());
            } else {
                possible.push(e.name.as_str());
            }
        }
        if !chosen.is_empty() {
            let _ = writeln!(
                out,
                "* Good, because it is recommended for {}.",
                escape_inline(&chosen.join(", "))
            );
        }
        if !possible.is_empty() {
            let _ = writeln!(
                out,
                "* Neutral, because it is possible but not preferred for {}.",
                escape_inline(&possible.join(", "))
            );
        }
        if !ruled.is_empty() {
            let _ = writeln!(
                out,
                "* Bad, because a must-have is missing for {}.",
                escape_inline(&ruled.join(", "))
            );
        }
        out.push('\n');
    }
    let overrides = envs
        .first()
        .map(|e| super::markdown::overrides_text(&e.report.overrides, false))
        .unwrap_or_default();
    more_information(
        &mut out,
        &fleet.checklist,
        &fleet.answers_sha256,
        &overrides,
        options,
    );
    out
}
