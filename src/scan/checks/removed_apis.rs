//! API versions that the target, or a release after it, no longer serves (removed-api,
//! upcoming-removal): in the objects and in what was last applied to them.

use crate::kube::apis::{ApiTable, Removal};
use crate::scan::model::{Finding, Object, ScanOptions};
use crate::scan::rules::Rule;

/// Removed APIs, in the objects and in what was last applied to them.
pub(in crate::scan) fn removed_apis(
    objects: &[Object],
    paths: &[String],
    options: ScanOptions,
    table: &ApiTable,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    let already = |removal: &Removal| match options.current {
        Some(current) if removal.removed_in <= current => {
            " (already removed in the current version)"
        }
        _ => "",
    };
    let rule_for = |removal: &Removal| {
        if removal.removed_in <= options.target {
            Rule::RemovedApi
        } else {
            Rule::UpcomingRemoval
        }
    };
    for object in objects {
        if let Some(removal) = table.find(&object.api_version, &object.kind) {
            findings.push(object.finding(
                paths,
                rule_for(removal),
                format!(
                    "{} {} {}{}",
                    object.api_version,
                    object.kind,
                    removed_in_words(removal),
                    already(removal)
                ),
                replacement_fix(&removal.replacement, &object.kind),
            ));
        }
        if let Some((api_version, kind)) = &object.last_applied
            && let Some(removal) = table.find(api_version, kind)
        {
            let mut found = object.finding(
                paths,
                rule_for(removal),
                format!(
                    "{api_version} {kind} {}{}, as last applied: the API server shows the object as {}, but what the pipeline applies still uses {api_version}",
                    removed_in_words(removal),
                    already(removal),
                    object.api_version
                ),
                format!(
                    "change the manifest your pipeline applies ({}); applying the old one fails once the API is gone",
                    replacement_fix(&removal.replacement, kind)
                ),
            );
            found.last_applied = true;
            findings.push(found);
        }
    }
    findings
}

/// "is removed in Kubernetes 1.22", naming the component and data file of a team's removal.
/// What to do instead: the replacement API, or, where the data says there is none
/// (`none: use Pod Security Admission ...`), that there is none and what to do.
fn replacement_fix(replacement: &str, kind: &str) -> String {
    match replacement.strip_prefix("none") {
        Some(rest) if rest.is_empty() || rest.starts_with([':', ',', ';', ' ']) => {
            let rest = rest.trim_start_matches([':', ',', ';', ' ']);
            if rest.is_empty() {
                format!("no API replaces {kind}: remove the object before the upgrade")
            } else {
                format!("no API replaces {kind}: {rest}")
            }
        }
        _ => format!("use {replacement} for {kind}"),
    }
}

fn removed_in_words(removal: &Removal) -> String {
    match (&removal.component, &removal.data_file) {
        (Some(component), Some(file)) => format!(
            "is gone by Kubernetes {} ({component}, per {file})",
            removal.removed_in
        ),
        (Some(component), None) => {
            format!("is gone by Kubernetes {} ({component})", removal.removed_in)
        }
        (None, Some(file)) => format!(
            "is removed in Kubernetes {} (per {file})",
            removal.removed_in
        ),
        (None, None) => format!("is removed in Kubernetes {}", removal.removed_in),
    }
}
