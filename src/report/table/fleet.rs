//! A fleet in tables: the overview, each environment's recommendation and blockers, the
//! Supervisors, the order of work and the fleet calendar.

use std::fmt::Write;

use crate::base::text::plural;
use crate::plan::fleet::FleetReport;
use crate::report::capacity_words::capacity_brief;
use crate::report::render::{Emit, RenderOptions};
use crate::report::table::cells::{heading, plain, push, table};
use crate::report::wording::{OWN_WORK, counts, fleet_calendar_text};

/// The table output, handed to `emit` a part at a time.
pub fn fleet(fleet: &FleetReport, options: &RenderOptions, emit: Emit) -> std::io::Result<()> {
    let mut out = String::new();
    let mut overview = table(options);
    overview.set_header(vec![
        heading("Environment", options),
        heading("Supervisor", options),
        heading("Strategy", options),
        heading("Confidence", options),
        heading("Target", options),
    ]);
    for m in &fleet.members {
        overview.add_row(vec![
            plain(&m.name),
            plain(m.supervisor.as_deref().unwrap_or("-")),
            plain(&m.strategy_name),
            plain(match m.blockers {
                0 => m.confidence.to_string(),
                n => format!(
                    "{}, {}",
                    m.confidence,
                    plural(n as u64, "blocker", "blockers")
                ),
            }),
            plain(m.own.target_date),
        ]);
    }
    push(&mut out, &overview);
    drop(overview);
    let _ = writeln!(out, "{OWN_WORK}\n");
    emit(&out)?;
    out.clear();

    for env in fleet.environments.each(false) {
        let a = &env.report.assessment;
        let mut detail = table(options);
        detail.set_header(vec![
            heading(&env.name, options),
            heading(env.report.strategy_name(a.recommendation.strategy), options),
        ]);
        detail.add_row(vec![
            plain("Why"),
            plain(a.recommendation.rationale.join("\n")),
        ]);
        if let Some(line) = env.report.capacity.as_ref().and_then(capacity_brief) {
            detail.add_row(vec![plain("Capacity"), plain(line)]);
        }
        for b in &a.blockers {
            detail.add_row(vec![
                plain("Blocker"),
                plain(format!(
                    "{} ({}: {}). {}",
                    b.title, b.question, b.answer, b.action
                )),
            ]);
        }
        push(&mut out, &detail);
        emit(&out)?;
        out.clear();
    }

    let summary = &fleet.fleet;
    if !summary.supervisors.is_empty() {
        let mut supervisors = table(options);
        supervisors.set_header(vec![
            heading("Supervisor", options),
            heading("Environments", options),
            heading("In place, once, first", options),
            heading("Done", options),
        ]);
        for s in &summary.supervisors {
            supervisors.add_row(vec![
                plain(&s.name),
                plain(s.environments.join(", ")),
                plain(s.steps_text("\n")),
                plain(s.last_day.map_or("-".to_string(), |d| d.to_string())),
            ]);
        }
        push(&mut out, &supervisors);
    }
    let mut plan = table(options);
    plan.set_header(vec![
        heading("#", options),
        heading("Order of work", options),
    ]);
    for (i, step) in summary.order.iter().enumerate() {
        plan.add_row(vec![plain(i + 1), plain(step)]);
    }
    push(&mut out, &plan);
    let _ = writeln!(out, "{}", counts(summary));
    let _ = writeln!(
        out,
        "Fleet calendar: {}\n{}",
        fleet_calendar_text(summary),
        summary.calendar.basis
    );
    emit(&out)
}
