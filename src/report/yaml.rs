//! YAML: the scan's JSON fields, in YAML (scans only).

use crate::report::render::{ScanRenderOptions, ScanRenderer};
use crate::scan::model::ScanReport;

/// The YAML format.
pub struct Yaml;

impl ScanRenderer for Yaml {
    fn scan(&self, report: &ScanReport, _: &ScanRenderOptions) -> String {
        serde_yaml::to_string(report).expect("a scan report serializes")
    }
}
