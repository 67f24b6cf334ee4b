//! YAML: the JSON fields of a report, a fleet or a scan, in YAML.

use crate::plan::Report;
use crate::plan::fleet::FleetReport;
use crate::report::render::{Emit, RenderOptions, Renderer, ScanRenderOptions, ScanRenderer};
use crate::scan::model::ScanReport;

/// The YAML format.
pub struct Yaml;

impl Renderer for Yaml {
    fn report(&self, report: &Report, _: &RenderOptions) -> String {
        serde_yaml::to_string(report).expect("a report always serializes")
    }

    fn fleet(&self, fleet: &FleetReport, _: &RenderOptions, emit: Emit) -> std::io::Result<()> {
        let text = serde_yaml::to_string(fleet).map_err(std::io::Error::other)?;
        emit(&text)
    }
}

impl ScanRenderer for Yaml {
    fn scan(&self, report: &ScanReport, _: &ScanRenderOptions) -> String {
        serde_yaml::to_string(report).expect("a scan report serializes")
    }
}
