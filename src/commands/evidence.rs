//! Evidence for `assess`: read from `--evidence FILE` and scanned from `--manifests PATH...`,
//! merged in one place, with the scan's own warnings turned into support warnings. Each
//! `--manifests` path that holds Nodes is one cluster's dump, for the capacity arithmetic.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::scan::run_scan_each;
use crate::answers::values::{EvidenceItem, PartialAnswers};
use crate::base::diagnostic::InputKind;
use crate::base::text::terminal_safe;
use crate::capacity::CapacityReport;
use crate::checklist::model::Checklist;
use crate::checklist::value::AnswerValue;
use crate::cli::AssessArgs;
use crate::io::input::read_source;
use crate::kube::version::Version;
use crate::plan::support::{SupportWarning, WarningKind};
use crate::scan::inventory::Inventory;
use crate::scan::model::{Evidence, ScanReport, ScanWarning, ScanWarningKind};

/// What `assess` learns from files besides the answers.
pub struct Gathered {
    /// The answers the evidence gives, question by question.
    pub items: Vec<EvidenceItem>,
    /// The scan's own warnings, as support warnings.
    pub warnings: Vec<SupportWarning>,
    /// Capacity, when a `--manifests` dump has nodes.
    pub capacity: Option<CapacityReport>,
}

/// Evidence from `--evidence FILE` and `--manifests PATH...`; the latter wins where both speak.
/// The scan's own warnings (removed-API data coverage) join the report's support warnings.
pub fn gather_evidence(
    args: &AssessArgs,
    checklist: &Checklist,
    answers: &PartialAnswers,
    output: Option<&Path>,
) -> Result<Gathered> {
    let mut evidence = Evidence::default();
    let mut warnings = Vec::new();
    let mut capacity = None;
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
        let (mut report, read_from) =
            run_scan_each(&args.manifests, target, None, &args.api_data, output)?;
        let clusters = answers
            .first_answer(&checklist.bindings.cluster_count)
            .and_then(AnswerValue::as_integer);
        let inventories = cluster_inventories(
            &args.manifests,
            &read_from,
            std::mem::take(&mut report.inventory),
        );
        capacity = crate::capacity::assess(
            &answers.capacity.clone().unwrap_or_default(),
            &inventories,
            clusters,
            answers
                .first_answer(&checklist.bindings.clusters_per_window)
                .and_then(AnswerValue::as_integer)
                .or(clusters),
        );
        warnings = report
            .warnings
            .iter()
            .map(|w| support_warning(w, report.target))
            .chain(named_skips(&args.manifests, &report, "Manifest scan"))
            .collect();
        evidence = report.evidence.or(evidence);
    }
    // A fleet's environments count their own clusters: one estate's dumps do not size them.
    if !answers.environments.is_empty() {
        capacity = None;
    }
    let mut items = evidence.as_answers(checklist);
    if let (Some(question), Some(found)) = (
        &checklist.bindings.spare_capacity,
        capacity.as_ref().and_then(|c| c.evidence.as_ref()),
    ) {
        items.push(EvidenceItem::of_capacity(found, question));
    }
    Ok(Gathered {
        items,
        warnings,
        capacity,
    })
}

/// Reads each fleet environment's own dumps (`manifests: [PATH, ...]`, relative to the
/// answers file's folder `base`): their evidence and capacity go to that environment alone.
/// The scans' warnings come back named after their environments.
pub fn gather_environments(
    args: &AssessArgs,
    checklist: &Checklist,
    answers: &mut PartialAnswers,
    base: &Path,
    output: Option<&Path>,
) -> Result<Vec<SupportWarning>> {
    let mut warnings = Vec::new();
    let top = answers.given.clone();
    let top_capacity = answers.capacity.clone();
    for (index, spec) in answers.environments.iter_mut().enumerate() {
        if spec.manifests.is_empty() {
            continue;
        }
        let answer = |id: &str| spec.given.get(id).or_else(|| top.get(id)).cloned();
        let integer = |id: &str| answer(id).as_ref().and_then(AnswerValue::as_integer);
        let target = answer(&checklist.bindings.target_version)
            .as_ref()
            .and_then(AnswerValue::as_version);
        let paths: Vec<PathBuf> = spec.manifests.iter().map(|p| base.join(p)).collect();
        let (mut report, read_from) = run_scan_each(&paths, target, None, &args.api_data, output)
            .with_context(|| {
            format!(
                "environments[{index}] ({}): reading its `manifests`",
                terminal_safe(&spec.name)
            )
        })?;
        let inventories =
            cluster_inventories(&paths, &read_from, std::mem::take(&mut report.inventory));
        let clusters = integer(&checklist.bindings.cluster_count);
        let capacity = crate::capacity::assess(
            &spec
                .capacity
                .clone()
                .or_else(|| top_capacity.clone())
                .unwrap_or_default(),
            &inventories,
            clusters,
            integer(&checklist.bindings.clusters_per_window).or(clusters),
        );
        let name = crate::capacity::units::name(&spec.name);
        warnings.extend(report.warnings.iter().map(|w| {
            let mut warning = support_warning(w, report.target);
            warning.message = format!("Manifest scan of {name}: {}.", w.message);
            warning
        }));
        warnings.extend(named_skips(
            &paths,
            &report,
            &format!("Manifest scan of {name}"),
        ));
        let mut items = report.evidence.as_answers(checklist);
        if let (Some(question), Some(found)) = (
            &checklist.bindings.spare_capacity,
            capacity.as_ref().and_then(|c| c.evidence.as_ref()),
        ) {
            items.push(EvidenceItem::of_capacity(found, question));
        }
        spec.evidence = items;
        spec.capacity_report = capacity.map(Box::new);
    }
    Ok(warnings)
}

/// Each `--manifests` path's inventory (its files' together), named after the path: a file
/// by its name without the extension, a folder by its name, standard input as `stdin`; a
/// name two paths share is given as the whole path.
pub fn cluster_inventories(
    paths: &[PathBuf],
    read_from: &[usize],
    by_file: std::collections::BTreeMap<usize, Inventory>,
) -> Vec<(String, Inventory)> {
    let short = |path: &PathBuf| -> String {
        if path.as_os_str() == "-" {
            return "stdin".to_string();
        }
        let name = if path.is_dir() {
            path.file_name()
        } else {
            path.file_stem()
        };
        name.map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    };
    let names: Vec<String> = paths.iter().map(short).collect();
    let mut inventories: Vec<(String, Inventory)> = paths
        .iter()
        .zip(&names)
        .map(|(path, name)| {
            let shared = names.iter().filter(|n| *n == name).count() > 1;
            let name = if shared {
                path.display().to_string()
            } else {
                name.clone()
            };
            (name, Inventory::default())
        })
        .collect();
    for (file, inventory) in by_file {
        if let Some(slot) = read_from.get(file).and_then(|&p| inventories.get_mut(p)) {
            slot.1.append(inventory);
        }
    }
    inventories
}

/// A warning for each path given by name (not found in a folder) that could not be read: a
/// cluster's dump that is missing would otherwise leave its cluster out unsaid.
fn named_skips(paths: &[PathBuf], report: &ScanReport, what: &str) -> Vec<SupportWarning> {
    report
        .skipped
        .iter()
        .filter(|s| s.document.is_none() && paths.iter().any(|p| Path::new(&s.path) == p))
        .map(|s| SupportWarning {
            kind: WarningKind::ManifestScan,
            version: report.target,
            end_of_life: None,
            message: format!("{what}: {} was not read ({}).", s.path, s.reason),
        })
        .collect()
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
