//! What every renderer shares: the options a rendering takes and the trait each format
//! implements. The dispatch over formats is in `report/mod.rs`.

use crate::base::date::Date;
use crate::plan::fleet::FleetReport;
use crate::plan::{Dates, Report};
use crate::scan::model::ScanReport;

/// What renderings need besides the report: facts about the moment and the terminal.
#[derive(Debug, Clone, Copy)]
pub struct RenderOptions {
    /// The date the report is made.
    pub today: Date,
    /// When the timeline chart starts.
    pub start: Date,
    /// Colours and bold in the table output.
    pub color: bool,
    /// Table width; `None` lets the table size itself.
    pub width: Option<u16>,
}

impl RenderOptions {
    /// The dates the report value is built with.
    pub fn dates(&self) -> Dates {
        Dates {
            today: self.today,
            start: self.start,
        }
    }
}

/// Takes the next part of a rendering (a fleet is written an environment at a time).
pub type Emit<'e> = &'e mut dyn FnMut(&str) -> std::io::Result<()>;

/// One output format of `assess`.
pub trait Renderer {
    /// A single report as one text.
    fn report(&self, report: &Report, options: &RenderOptions) -> String;

    /// A fleet, handed to `emit` a part at a time as it is made.
    fn fleet(
        &self,
        fleet: &FleetReport,
        options: &RenderOptions,
        emit: Emit,
    ) -> std::io::Result<()>;

    /// A fleet written to `out`. Formats that write many small pieces buffer here, where the
    /// writer's type is known.
    fn write_fleet(
        &self,
        fleet: &FleetReport,
        options: &RenderOptions,
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        self.fleet(fleet, options, &mut |chunk| out.write_all(chunk.as_bytes()))
    }
}

/// What a scan's rendering needs besides the scan.
#[derive(Debug, Clone, Default)]
pub struct ScanRenderOptions {
    /// Table width; `None` lets the table size itself.
    pub width: Option<u16>,
    /// Bold headings and rule ids coloured by level, as `assess` colours its tables.
    pub color: bool,
    /// The folder the scan ran in: SARIF locations are relative to it where they can be.
    pub root: Option<std::path::PathBuf>,
}

/// One output format of `scan`.
pub trait ScanRenderer {
    fn scan(&self, report: &ScanReport, options: &ScanRenderOptions) -> String;
}
