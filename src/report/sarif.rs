//! SARIF 2.1.0, for code-scanning views of pull requests: the rules from the scan's rule
//! table, each finding a result with its location and a fingerprint stable across runs.

use std::fmt::Write;

use serde_json::json;

use crate::report::render::{ScanRenderOptions, ScanRenderer};
use crate::scan::model::{Finding, ScanReport};
use crate::scan::rules::Rule;

/// The SARIF format (scans only).
pub struct Sarif;

impl ScanRenderer for Sarif {
    fn scan(&self, report: &ScanReport, options: &ScanRenderOptions) -> String {
        sarif(report, options.root.as_deref())
    }
}

/// Where a result's file is, as a SARIF artifact location: a relative URI reference against
/// `%SRCROOT%` (the folder the scan ran in) when the file is inside it, else an absolute
/// `file:` URI. Spaces, `#`, `%` and other reserved characters are percent-encoded.
fn artifact_location(path: &str, root: Option<&std::path::Path>) -> serde_json::Value {
    if path == "<stdin>" {
        // Standard input has no file to point at; `stdin` names it.
        return json!({ "uri": "stdin", "description": { "text": "standard input" } });
    }
    let path = path.replace('\\', "/");
    let absolute = path.starts_with('/') || is_windows_absolute(&path);
    let relative = if absolute {
        root.and_then(|root| {
            let root = root.to_string_lossy().replace('\\', "/");
            let root = root.trim_end_matches('/');
            path.strip_prefix(root)?
                .strip_prefix('/')
                .map(str::to_string)
        })
    } else {
        let mut rest = path.as_str();
        while let Some(r) = rest.strip_prefix("./") {
            rest = r;
        }
        Some(rest.to_string())
    };
    match relative {
        Some(relative) if !relative.split('/').any(|s| s == "..") => {
            json!({ "uri": percent_encode(&relative), "uriBaseId": SRCROOT })
        }
        _ if absolute => {
            let slash = if path.starts_with('/') { "" } else { "/" };
            json!({ "uri": format!("file://{slash}{}", percent_encode(&path)) })
        }
        // Relative, but outside the folder the scan ran in (`../k8s`): still a reference.
        _ => json!({ "uri": percent_encode(&path) }),
    }
}

const SRCROOT: &str = "%SRCROOT%";

/// `C:/...`: a drive letter, a colon and a slash (backslashes already turned around).
fn is_windows_absolute(path: &str) -> bool {
    let bytes = path.as_bytes();
    bytes.len() > 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' && bytes[2] == b'/'
}

/// A path as the path of a URI reference: unreserved characters and `/` stay, every other
/// byte becomes `%XX`. A `:` is encoded too, so that no first segment reads as a scheme; a
/// Windows drive (`C:`) keeps its colon.
fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for (i, byte) in path.bytes().enumerate() {
        let drive = i == 1 && byte == b':' && is_windows_absolute(path);
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) || drive {
            out.push(byte as char);
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// What tells one result from another across runs, for code-scanning views that merge alerts
/// with equal fingerprints: the rule, the file, the object and the container. Lines are left
/// out so that an edit above the object does not open a new alert.
fn fingerprint(f: &Finding) -> String {
    use sha2::{Digest, Sha256};
    let mut hash = Sha256::new();
    for part in [
        f.rule.id(),
        &f.file,
        &f.object.kind,
        &f.object.namespace,
        &f.object.name,
        f.container.as_deref().unwrap_or(""),
    ] {
        hash.update(part.as_bytes());
        hash.update([0]);
    }
    hash.finalize()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// SARIF 2.1.0: one run, the rules as the tool's rules, each finding a result with a location
/// relative to `root` (the folder the scan ran in) where it can be.
fn sarif(report: &ScanReport, root: Option<&std::path::Path>) -> String {
    let rules: Vec<serde_json::Value> = Rule::ALL
        .iter()
        .map(|r| {
            let info = r.info();
            json!({
                "id": info.id,
                "name": info.sarif_name,
                "shortDescription": { "text": info.title },
                "fullDescription": { "text": info.description },
                "defaultConfiguration": { "level": info.level.as_str() },
                "helpUri": info.help_uri,
                "help": {
                    "text": format!("{} Each result says how to fix it. More: {}", info.description, info.help_uri),
                },
            })
        })
        .collect();
    let results: Vec<serde_json::Value> = report
        .findings
        .iter()
        .map(|f| {
            let mut logical = json!({
                "name": f.object.name,
                "fullyQualifiedName": f.object.to_string(),
                "kind": "object",
            });
            if let Some(container) = &f.container {
                logical = json!({
                    "name": container,
                    "fullyQualifiedName": format!("{}/{container}", f.object),
                    "kind": "container",
                });
            }
            json!({
                "ruleId": f.rule.id(),
                "ruleIndex": Rule::ALL.iter().position(|r| *r == f.rule),
                "level": f.rule.level(),
                "message": { "text": format!("{}: {}. Fix: {}.", f.object, f.message, f.fix) },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": artifact_location(&f.file, root),
                        "region": { "startLine": f.line.max(1) },
                    },
                    "logicalLocations": [logical],
                }],
                "partialFingerprints": { "upgradeAdvisor/v2": fingerprint(f) },
            })
        })
        .collect();
    let mut run = json!({
        "tool": {
            "driver": {
                "name": "upgrade-advisor",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            },
        },
        "results": results,
        "invocations": [{
            "executionSuccessful": true,
            "toolConfigurationNotifications": report.warnings.iter().map(|w| json!({
                "level": "warning",
                "descriptor": { "id": w.kind },
                "message": { "text": w.message },
            })).collect::<Vec<_>>(),
        }],
        "properties": {
            "kubernetesTarget": report.target.to_string(),
            "warnings": report.warnings.iter().map(|w| &w.message).collect::<Vec<_>>(),
        },
    });
    if let Some(home) = [env!("CARGO_PKG_HOMEPAGE"), env!("CARGO_PKG_REPOSITORY")]
        .into_iter()
        .find(|u| !u.is_empty())
    {
        run["tool"]["driver"]["informationUri"] = json!(home);
    }
    if let Some(root) = root {
        let mut base = format!(
            "file://{}",
            percent_encode(&root.to_string_lossy().replace('\\', "/"))
        );
        if !base.ends_with('/') {
            base.push('/');
        }
        run["originalUriBaseIds"] = json!({ SRCROOT: { "uri": base } });
    }
    let document = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [run],
    });
    let mut text = serde_json::to_string_pretty(&document).expect("SARIF serializes");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn uris_are_percent_encoded_references() {
        assert_eq!(
            percent_encode("k8s/my app#1/100%.yaml"),
            "k8s/my%20app%231/100%25.yaml"
        );
        assert_eq!(percent_encode("a:b/ü"), "a%3Ab/%C3%BC");
        assert_eq!(percent_encode("C:/x y"), "C:/x%20y");
    }

    #[test]
    fn files_under_the_root_are_relative_to_it() {
        let root = Some(Path::new("/repo"));
        assert_eq!(
            artifact_location("/repo/k8s/a b.yaml", root),
            json!({ "uri": "k8s/a%20b.yaml", "uriBaseId": "%SRCROOT%" })
        );
        assert_eq!(
            artifact_location("./k8s/a.yaml", root),
            json!({ "uri": "k8s/a.yaml", "uriBaseId": "%SRCROOT%" })
        );
        assert_eq!(
            artifact_location("/elsewhere/#x.yaml", root),
            json!({ "uri": "file:///elsewhere/%23x.yaml" })
        );
        assert_eq!(
            artifact_location("../k8s/a.yaml", root),
            json!({ "uri": "../k8s/a.yaml" })
        );
        assert_eq!(artifact_location("<stdin>", root)["uri"], "stdin");
    }
}
