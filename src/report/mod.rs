//! Renderers: the report value (`plan`) or a scan report as text, one file (or folder) per
//! format, each rendering both a single report and a fleet. This file is the one dispatch:
//! adding a format is a new file, a variant of [`Format`] and a line in [`renderer`].
//!
//! Renderers only render: every figure, date and rule they print was decided in `scoring` or
//! `plan`. No renderer imports another; what several share lives in `md` (markdown building
//! blocks), `wording` (sentences) and `width` (terminal tables).

pub mod adr;
pub mod blocks;
pub mod json;
pub mod markdown;
pub mod render;
pub mod runbook;
pub mod schema;
pub mod table;
pub mod template;
pub mod width;
pub mod wording;

use crate::plan::Report;
use crate::plan::fleet::FleetReport;
use render::{RenderOptions, Renderer};

/// The output formats of `assess`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Tables for a terminal, readable at 80 columns.
    Table,
    /// A document for the customer (GitHub/GitLab markdown with a mermaid timeline).
    Markdown,
    /// Machine-readable, stable fields (see the README).
    Json,
    /// An editable markdown runbook for the recommended strategy, dated from --start.
    Runbook,
    /// A decision record in MADR 4.0 layout, for a docs/decisions/ folder.
    Adr,
}

/// The renderer of `format`: the one dispatch.
pub fn renderer(format: Format) -> &'static dyn Renderer {
    match format {
        Format::Table => &table::Tables,
        Format::Markdown => &markdown::Markdown,
        Format::Json => &json::Json,
        Format::Runbook => &runbook::Runbook,
        Format::Adr => &adr::Adr,
    }
}

/// A single report in `format`.
pub fn render(report: &Report, format: Format, options: &RenderOptions) -> String {
    renderer(format).report(report, options)
}

/// A fleet in `format`, written to `out` as it is made, one environment at a time.
pub fn write_fleet(
    fleet: &FleetReport,
    format: Format,
    options: &RenderOptions,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    renderer(format).write_fleet(fleet, options, out)
}

/// A fleet in `format`, as one text.
pub fn render_fleet(fleet: &FleetReport, format: Format, options: &RenderOptions) -> String {
    let mut bytes = Vec::new();
    write_fleet(fleet, format, options, &mut bytes).expect("writing to memory cannot fail");
    String::from_utf8(bytes).expect("reports are UTF-8")
}
