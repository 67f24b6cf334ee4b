//! A strategy's plan on dates: its windows from the calendar (freezes skipped), the rollback
//! hold as days, the retirement after it, and the months they make.

use super::timeline::Timeline;
use super::{Cost, cost, plan};
use crate::base::date::Date;
use crate::checklist::model::Checklist;
use crate::checklist::raw::PhaseKind;
use crate::checklist::strategy::Strategy;
use crate::scoring::facts::Facts;
use crate::scoring::windows::window_error::WindowError;

/// Calendar months for a number of windows at a cadence, to one decimal: the estimate that
/// stands in where the windows cannot be dated.
pub fn months(windows: u64, windows_per_year: u32) -> f64 {
    let months = windows as f64 * 12.0 / f64::from(windows_per_year.max(1));
    (months * 10.0).round() / 10.0
}

/// Calendar months from `start` to the end of `last` (a twelfth of 365.25 days each), to one
/// decimal; 0 when `last` is before `start`.
pub fn months_between(start: Date, last: Date) -> f64 {
    let days = (last.unix_days() - start.unix_days() + 1).max(0) as f64;
    (days / (365.25 / 12.0) * 10.0).round() / 10.0
}

/// Time to target in place, in months, for the signals: dated on the calendar (freezes
/// included), or the cadence estimate when the windows cannot be dated.
pub fn sequential_months(checklist: &Checklist, facts: &Facts) -> (Cost, f64) {
    let cost = cost(checklist, facts, Strategy::Sequential);
    let count = usize::try_from(cost.windows_to_target).unwrap_or(usize::MAX);
    let dated = facts
        .calendar
        .as_ref()
        .ok()
        .and_then(|c| c.plan_windows(facts.start, count).ok())
        .and_then(|found| found.windows.last().copied());
    let months = match dated {
        Some(last) => months_between(facts.start, last),
        None if count == 0 => 0.0,
        None => months(cost.windows_to_target, facts.windows_per_year),
    };
    (cost, months)
}

/// Puts a timeline on dates: its windows up to the target from the start, the rollback hold
/// as days after the last cut-over, and the retirement when the hold is over (in the first
/// window after it, when the retirement books one).
pub fn date(t: &mut Timeline, facts: &Facts) -> Result<(), WindowError> {
    let calendar = facts.calendar.as_ref().map_err(Clone::clone)?;
    let count = usize::try_from(t.windows_to_target).unwrap_or(usize::MAX);
    let to_target = calendar.plan_windows(facts.start, count)?;
    let target = to_target.windows.last().copied().unwrap_or(facts.start);
    let mut skipped = to_target.skipped;
    let hold_end = target.plus_days(i64::from(t.rollback_hold_days));
    let after_hold = hold_end.plus_days(1);
    let last = t.phases.iter().map(|p| p.last_window).max().unwrap_or(0);
    let retire_count = last.max(t.windows).saturating_sub(t.windows_to_target);
    let retire = if retire_count > 0 {
        let count = usize::try_from(retire_count).unwrap_or(usize::MAX);
        let found = calendar.plan_windows(after_hold, count)?;
        skipped.extend(found.skipped);
        found.windows
    } else {
        Vec::new()
    };
    let mut close = target;
    let hold = i64::from(t.rollback_hold_days);
    let day_of = |window: u64| {
        usize::try_from(window)
            .ok()
            .and_then(|w| w.checked_sub(1))
            .and_then(|i| to_target.windows.get(i).copied())
    };
    for phase in &mut t.phases {
        match (phase.kind, phase.first_window) {
            (PhaseKind::Rollback, _) => {
                phase.first_day = target.plus_days(1);
                phase.last_day = hold_end;
            }
            (_, 0) => {
                phase.first_day = after_hold;
                phase.last_day = after_hold;
            }
            (_, first) if first > t.windows_to_target => {
                let from = first - t.windows_to_target - 1;
                let to = phase.last_window - t.windows_to_target;
                phase.windows = slice(&retire, from, to);
            }
            (_, _) if !phase.rotation.is_empty() => {
                // A rotation's own windows: each wave's, and each retirement that books one.
                for wave in &mut phase.rotation {
                    wave.day = day_of(wave.window).unwrap_or(target);
                    if wave.retired_on.is_some() {
                        wave.held_until = Some(wave.day.plus_days(hold));
                        wave.retired_on = match wave.retire_window {
                            0 => Some(wave.day.plus_days(hold + 1)),
                            at => day_of(at),
                        };
                    }
                }
                phase.windows = phase.rotation.iter().map(|w| w.day).collect();
            }
            (_, first) => {
                phase.windows = slice(&to_target.windows, first - 1, phase.last_window);
            }
        }
        if let (Some(first), Some(last)) = (phase.windows.first(), phase.windows.last()) {
            phase.first_day = *first;
            phase.last_day = *last;
        }
        close = close.max(phase.last_day);
    }
    // Skipped windows past the last window used are not the plan's.
    skipped.retain(|s| s.date <= close);
    t.target_date = target;
    t.close_date = close;
    t.months = months_between(facts.start, target);
    t.close_months = months_between(facts.start, close);
    t.skipped_windows = skipped;
    Ok(())
}

/// Windows `from..to` (0-based, end excluded) of `dates`, as far as there are.
fn slice(dates: &[Date], from: u64, to: u64) -> Vec<Date> {
    let at = |i: u64| usize::try_from(i).unwrap_or(usize::MAX).min(dates.len());
    dates[at(from)..at(to).max(at(from))].to_vec()
}

/// The plan of `strategy` without the shared layers' phases, dated from `start`: a fleet
/// environment's own work once its named Supervisor has done the shared steps.
pub fn own_timeline(
    checklist: &Checklist,
    facts: &Facts,
    strategy: Strategy,
    start: Date,
) -> Result<Timeline, WindowError> {
    let mut own = facts.clone();
    own.shared.clear();
    own.start = start;
    let mut t = plan(checklist, &own, strategy, true);
    date(&mut t, &own)?;
    Ok(t)
}

/// The three timelines, in [`Strategy::ALL`] order, dated on the facts' calendar.
pub fn timelines(checklist: &Checklist, facts: &Facts) -> Result<Vec<Timeline>, WindowError> {
    Strategy::ALL
        .into_iter()
        .map(|s| {
            let mut t = plan(checklist, facts, s, true);
            date(&mut t, facts).map_err(|error| match error {
                // A schedule or freeze problem is the calendar's, whatever the plan.
                WindowError::NotEnoughDates { .. } | WindowError::BeyondHorizon { .. } => {
                    WindowError::InPlan {
                        plan: s.id(),
                        error: Box::new(error),
                    }
                }
                other => other,
            })?;
            Ok(t)
        })
        .collect()
}
