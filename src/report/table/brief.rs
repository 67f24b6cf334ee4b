//! The recommendation on one screen: what the workshop shows first, before any table, so that
//! a 24-row projector shows the answer and not the tail of the risks.

use comfy_table::Color;

use super::cells::{paint, plain, table};
use crate::plan::Report;
use crate::report::render::RenderOptions;

/// At most this many blockers are named; the rest are counted.
const BLOCKERS_NAMED: usize = 3;

/// A two-column table of five rows at most: the strategy and its confidence, why (the
/// rationale's first sentence), what is ruled out, the open blockers, and the calendar of the
/// recommended strategy.
pub fn brief(report: &Report, options: &RenderOptions) -> String {
    let a = &report.assessment;
    let rec = &a.recommendation;
    let mut brief = table(options);
    brief.set_header(vec![
        plain("Recommendation"),
        paint(
            plain(format!(
                "{} (confidence {})",
                report.strategy_name(rec.strategy),
                rec.confidence
            )),
            Color::Cyan,
            options,
        ),
    ]);
    if let Some(why) = rec.rationale.first() {
        brief.add_row(vec![plain("Why"), plain(why)]);
    }
    let ruled: Vec<&str> = a
        .timeline
        .iter()
        .filter(|t| t.ruled_out_by.is_some())
        .map(|t| report.strategy_name(t.strategy))
        .collect();
    if !ruled.is_empty() {
        brief.add_row(vec![plain("Ruled out"), plain(ruled.join(", "))]);
    }
    if !a.blockers.is_empty() {
        let mut named: Vec<&str> = a
            .blockers
            .iter()
            .take(BLOCKERS_NAMED)
            .map(|b| b.title.as_str())
            .collect();
        let more = a.blockers.len().saturating_sub(BLOCKERS_NAMED);
        let more = format!("and {more} more");
        if a.blockers.len() > BLOCKERS_NAMED {
            named.push(&more);
        }
        brief.add_row(vec![
            paint(plain("Blockers"), Color::Red, options),
            plain(named.join("\n")),
        ]);
    }
    if let Some(t) = a.timeline.iter().find(|t| t.strategy == rec.strategy) {
        brief.add_row(vec![
            plain("Calendar"),
            plain(format!(
                "Production on the target {} ({} risky changes); the old side retired {}",
                t.target_date, t.risky_changes, t.close_date
            )),
        ]);
    }
    crate::report::width::keep_words_whole(&mut brief);
    format!("{brief}\n")
}
