//! Evidence from manifests: removed APIs, disruption readiness, probes, state and autoscaling,
//! read from YAML or JSON the way `kubectl`, Helm and GitOps repositories write it.
//!
//! [`scan`] is pure: it takes file contents and returns findings. Reading folders and standard
//! input is in [`files`].
//!
//! Besides manifests, it reads what is deployed: Helm release records (Secrets and ConfigMaps
//! that Helm 3 stores releases in) and the last-applied configurations in live dumps.
//!
//! The stages, each in its own file: `read` (documents into objects, with `lines` placing
//! them and `objects` reducing each to what the rules read), `deployed` (the newest deployed
//! revision of each Helm release, and its manifest's objects), `checks` (one function per
//! rule family, over the objects; the rules themselves are the table in [`rules`]), and
//! [`evidence`] (from findings to answers). The types they share are in [`model`].

mod checks;
mod deployed;
pub mod evidence;
pub mod files;
mod helm;
pub mod inventory;
pub mod inventory_node;
mod lines;
pub mod model;
mod objects;
mod prune;
mod prune_keys;
mod read;
pub mod rules;

use crate::kube::apis::ApiTable;
use checks::{autoscaling, charts, disruption, probes, removed_apis, state};
use deployed::Releases;
use model::{
    DocumentCounts, Evidence, ObjectCounts, SCAN_SCHEMA_VERSION, ScanOptions, ScanReport,
    ScanWarning, ScanWarningKind, Skipped, Skips, SourceFile,
};

/// Scans file contents against the built-in removed-API data. Pure: nothing is read or
/// printed here. Files may come from a slice or one at a time from an iterator, each dropped
/// once its objects are read.
pub fn scan<F: std::borrow::Borrow<SourceFile>>(
    files: impl IntoIterator<Item = F>,
    skipped_on_read: Vec<Skipped>,
    options: ScanOptions,
) -> ScanReport {
    scan_with(files, skipped_on_read, options, &ApiTable::builtin())
}

/// Scans file contents against `table` (the built-in data plus any `--api-data`): reads the
/// objects, runs each rule family's check over them, and combines the findings.
pub fn scan_with<F: std::borrow::Borrow<SourceFile>>(
    files: impl IntoIterator<Item = F>,
    skipped_on_read: Vec<Skipped>,
    options: ScanOptions,
    table: &ApiTable,
) -> ScanReport {
    // Read: each file's objects; Helm release records are gathered by release.
    let mut skipped: Skips = skipped_on_read.into_iter().collect();
    let mut objects = Vec::new();
    let mut releases = Releases::default();
    let mut paths = Vec::new();
    let mut raw_file_names = RawNames::default();
    let mut inventory = std::collections::BTreeMap::new();
    for (index, file) in files.into_iter().enumerate() {
        let file = file.borrow();
        raw_file_names.add(file);
        let mut capacity = inventory::Inventory::default();
        read::read_objects(
            index,
            file,
            &mut objects,
            &mut capacity,
            &mut skipped,
            |document, line, value, storage| {
                releases.add((index, &file.path), document, line, value, storage)
            },
        );
        paths.push(file.path.clone());
        if !capacity.is_empty() {
            inventory.insert(index, capacity);
        }
    }
    let mut deployed = releases.deployed(&paths, &mut skipped);
    for stored in &mut deployed {
        objects.append(&mut stored.objects);
        skipped.append(std::mem::take(&mut stored.skips));
    }

    // Check. Removed APIs are checked in a release's copy of a live object too; the rest
    // judge each object once.
    let (mut findings, mut warnings) =
        charts::chart_kube_versions(&deployed, &paths, options.target);
    findings.extend(removed_apis::removed_apis(&objects, &paths, options, table));
    deployed::drop_release_copies(&mut objects);
    let mut counts = ObjectCounts {
        objects: objects.len(),
        ..ObjectCounts::default()
    };
    let (scaled, min_replicas) = autoscaling::autoscalers(&objects, &paths);
    findings.extend(scaled);
    findings.extend(disruption::disruption_budgets(
        &objects,
        &paths,
        &min_replicas,
        &mut counts,
    ));
    findings.extend(probes::probes(&objects, &paths, &mut counts));
    findings.extend(state::state(&objects, &paths));

    // Combine. The sort is stable and each rule comes from one check, so findings that tie
    // keep the order their check found them in.
    findings.sort_by(|a, b| {
        (&a.file, a.line, a.rule, &a.message).cmp(&(&b.file, b.line, b.rule, &b.message))
    });
    let evidence = Evidence::from_findings(&findings, &counts, options.target);
    // Loud first: an entry that tried to move a known removal later.
    for (i, message) in table.relaxed.iter().enumerate() {
        warnings.insert(
            i,
            ScanWarning {
                kind: ScanWarningKind::ApiDataRelaxed,
                message: message.clone(),
            },
        );
    }
    if let Some(message) = table.coverage_warning(options.target) {
        warnings.insert(
            0,
            ScanWarning {
                kind: ScanWarningKind::ApiDataCoverage,
                message,
            },
        );
    }
    let skipped_count = skipped.len();
    let (listed, skipped_not_listed) = skipped.into_parts();
    ScanReport {
        schema_version: SCAN_SCHEMA_VERSION,
        target: options.target,
        current: options.current,
        documents: DocumentCounts {
            read: objects.len(),
            skipped: skipped_count,
        },
        findings,
        skipped: listed,
        skipped_not_listed,
        evidence,
        api_source: table.source.clone(),
        api_covers_up_to: Some(table.covers_up_to),
        api_data: table.extra_files.clone(),
        warnings,
        raw_file_names: raw_file_names.names,
        inventory,
    }
}

/// The names of files that are not UTF-8, by how they are shown; names that show alike are
/// dropped, since no shown name can tell them apart.
#[derive(Default)]
struct RawNames {
    names: std::collections::BTreeMap<String, Vec<u8>>,
    alike: std::collections::BTreeSet<String>,
}

impl RawNames {
    fn add(&mut self, file: &SourceFile) {
        let Some(raw) = &file.raw_path else {
            return;
        };
        if self.alike.contains(&file.path) {
            return;
        }
        match self.names.get(&file.path) {
            Some(known) if known != raw => {
                self.names.remove(&file.path);
                self.alike.insert(file.path.clone());
            }
            Some(_) => {}
            None => {
                self.names.insert(file.path.clone(), raw.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests;
