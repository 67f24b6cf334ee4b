//! Evidence for `assess`: read from `--evidence FILE` and scanned from `--manifests PATH...`,
//! merged in one place, with the scan's own warnings turned into support warnings.

use std::path::Path;

use anyhow::Result;

use super::scan::run_scan;
use crate::answers::values::PartialAnswers;
use crate::base::diagnostic::InputKind;
use crate::checklist::model::Checklist;
use crate::checklist::value::AnswerValue;
use crate::cli::AssessArgs;
use crate::io::input::read_source;
use crate::kube::version::Version;
use crate::plan::support::{SupportWarning, WarningKind};
use crate::scan::model::{Evidence, ScanWarning, ScanWarningKind};

/// Evidence from `--evidence FILE` and `--manifests PATH...`; the latter wins where both speak.
/// The scan's own warnings (removed-API data coverage) join the report's support warnings.
pub fn gather_evidence(
    args: &AssessArgs,
    checklist: &Checklist,
    answers: &PartialAnswers,
    output: Option<&Path>,
) -> Result<(Evidence, Vec<SupportWarning>)> {
    let mut evidence = Evidence::default();
    let mut warnings = Vec::new();
    if let Some(path) = &args.evidence {
        let source = read_source(path, InputKind::Evidence)?;
        evidence = crate::scan::evidence::load(&source.text, &source.origin)?;
        evidence.validate(checklist, &source.origin)?;
    }
    if !args.manifests.is_empty() {
        // Removals are judged against the target the answers name, when they name one.
        let target = answers
            .first_answer(&checklist.bindings.target_version)
            .and_then(AnswerValue::as_version);
        let report = run_scan(&args.manifests, target, None, &args.api_data, output)?;
        warnings = report
            .warnings
            .iter()
            .map(|w| support_warning(w, report.target))
            .collect();
        evidence = report.evidence.or(evidence);
    }
    Ok((evidence, warnings))
}

/// A warning about a scan of manifests for `target`, as a support warning of the report.
fn support_warning(warning: &ScanWarning, target: Version) -> SupportWarning {
    SupportWarning {
        kind: warning_kind(&warning.kind),
        version: target,
        end_of_life: None,
        message: format!("Manifest scan: {}.", warning.message),
    }
}

/// The support-warning kind of a scan warning's kind: the data coverage keeps its name,
/// every other scan warning is a `manifest-scan` one.
fn warning_kind(scan_kind: &ScanWarningKind) -> WarningKind {
    match scan_kind {
        ScanWarningKind::ApiDataCoverage => WarningKind::ApiDataCoverage,
        ScanWarningKind::ApiDataRelaxed => WarningKind::ApiDataRelaxed,
        _ => WarningKind::ManifestScan,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scan_warnings_keep_the_data_coverage_kind() {
        assert_eq!(
            warning_kind(&ScanWarningKind::ApiDataCoverage),
            WarningKind::ApiDataCoverage
        );
        assert_eq!(
            warning_kind(&ScanWarningKind::ChartKubeVersionUnreadable),
            WarningKind::ManifestScan
        );
    }
}
