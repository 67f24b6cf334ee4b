//! `assess --freezes FILE.ics`: read each iCalendar file (bounded, like every input) and add
//! its events to the answers file's `calendar:` as freezes, before the assessment.

use std::path::PathBuf;

use anyhow::Result;

use crate::answers::calendar_ics_events::freezes_from_ics;
use crate::answers::calendar_spec::{CalendarSpec, TimeZoneName};
use crate::base::date::Date;
use crate::base::diagnostic::{InputError, InputKind};
use crate::io::input::read_source;

/// Adds the freezes of every file in `paths` to `calendar` (the answers file's top-level
/// block, made when it has none). Dates are civil dates in the block's time zone (UTC when it
/// names none); recurrences are expanded from `start`, the plan's first day. A bad file is an
/// [`InputError`] naming it and the line (exit 2), and nothing is added.
pub fn import_freezes(
    paths: &[PathBuf],
    calendar: &mut Option<CalendarSpec>,
    start: Date,
) -> Result<()> {
    if paths.is_empty() {
        return Ok(());
    }
    let zone = calendar
        .as_ref()
        .and_then(|c| c.time_zone.clone())
        .unwrap_or_else(TimeZoneName::utc);
    let mut imported = Vec::new();
    for path in paths {
        let source = read_source(path, InputKind::Freezes)?;
        let freezes = freezes_from_ics(&source.text, zone.zone(), start)
            .map_err(|p| InputError::single(InputKind::Freezes, &source.origin, p))?;
        imported.extend(freezes);
    }
    let origin = paths[0].to_string_lossy();
    calendar
        .get_or_insert_with(CalendarSpec::default)
        .with_extra_freezes(&imported)
        .map_err(|p| InputError::single(InputKind::Freezes, &origin, p))?;
    Ok(())
}
