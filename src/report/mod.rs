//! Renderers: the report value (`plan`) or a scan report as text, one file (or folder) per
//! format, each rendering both a single report and a fleet. This file is the one dispatch:
//! adding a format is a new file, a variant of [`Format`] (or [`ScanFormat`]) and a line in
//! [`renderer`] (or [`scan_renderer`]).
//!
//! Renderers only render: every figure, date and rule they print was decided in `scoring` or
//! `plan`. No renderer imports another; what several share lives in `md` (markdown building
//! blocks), `wording` (sentences) and `width` (terminal tables).

pub mod adr;
pub mod blocks;
pub mod capacity_words;
pub mod json;
pub mod markdown;
pub mod render;
pub mod runbook;
pub mod sarif;
pub mod schema;
pub mod schema_capacity;
pub mod table;
pub mod template;
pub mod width;
pub mod wording;
pub mod yaml;

use crate::plan::Report;
use crate::plan::fleet::FleetReport;
use crate::scan::model::ScanReport;
use render::{RenderOptions, Renderer, ScanRenderOptions, ScanRenderer};

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
    /// The JSON report's fields, in YAML.
    Yaml,
}

/// The output formats of `scan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ScanFormat {
    /// Tables for a terminal.
    Table,
    /// A document for a pull request or wiki.
    Markdown,
    /// The stable machine format; `assess --evidence` reads it.
    Json,
    /// The same fields as JSON, in YAML.
    Yaml,
    /// SARIF 2.1.0, for code-scanning views of pull requests.
    Sarif,
}

/// The output formats of `questions`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum QuestionsFormat {
    /// A table for a terminal.
    Table,
    /// A GitHub-flavoured markdown table, for a README or a wiki.
    Markdown,
    /// Every question with its kind, allowed values, default and condition.
    Json,
}

/// A checklist's questions in `format`; `width` and `color` are the table's.
pub fn render_questions(
    checklist: &crate::checklist::model::Checklist,
    format: QuestionsFormat,
    width: Option<u16>,
    color: bool,
) -> String {
    match format {
        QuestionsFormat::Table => template::questions_table(checklist, width, color),
        QuestionsFormat::Markdown => template::questions_markdown(checklist),
        QuestionsFormat::Json => template::questions_json(checklist),
    }
}

/// The renderer of `format`: the one dispatch.
pub fn renderer(format: Format) -> &'static dyn Renderer {
    match format {
        Format::Table => &table::Tables,
        Format::Markdown => &markdown::Markdown,
        Format::Json => &json::Json,
        Format::Runbook => &runbook::Runbook,
        Format::Adr => &adr::Adr,
        Format::Yaml => &yaml::Yaml,
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

/// The renderer of a scan `format`.
pub fn scan_renderer(format: ScanFormat) -> &'static dyn ScanRenderer {
    match format {
        ScanFormat::Table => &table::Tables,
        ScanFormat::Markdown => &markdown::Markdown,
        ScanFormat::Json => &json::Json,
        ScanFormat::Yaml => &yaml::Yaml,
        ScanFormat::Sarif => &sarif::Sarif,
    }
}

/// A scan in `format`.
pub fn render_scan(report: &ScanReport, format: ScanFormat, options: &ScanRenderOptions) -> String {
    scan_renderer(format).scan(report, options)
}
