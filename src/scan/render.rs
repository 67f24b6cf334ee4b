//! A scan report as a table, markdown, JSON, YAML or SARIF 2.1.0.

use std::collections::BTreeMap;
use std::fmt::Write;

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell, CellAlignment, ContentArrangement, Table};
use serde_json::json;

use super::model::{EvidenceAnswer, Finding, ScanReport};
use super::rules::Rule;
use crate::report::blocks::Align::{Left as L, Right as R};
use crate::report::blocks::{self as md, cell, code, escape_inline};

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

pub fn render(report: &ScanReport, format: ScanFormat, width: Option<u16>) -> String {
    match format {
        ScanFormat::Table => table(report, width),
        ScanFormat::Markdown => markdown(report),
        ScanFormat::Json => {
            let mut text = serde_json::to_string_pretty(report).expect("a scan report serializes");
            text.push('\n');
            text
        }
        ScanFormat::Yaml => serde_yaml::to_string(report).expect("a scan report serializes"),
        ScanFormat::Sarif => sarif(report),
    }
}

fn summary(report: &ScanReport) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for f in &report.findings {
        *counts.entry(f.rule.id()).or_default() += 1;
    }
    let list: Vec<String> = counts.iter().map(|(r, n)| format!("{r}: {n}")).collect();
    format!(
        "Scanned {} objects against Kubernetes {} ({} skipped). {}",
        report.documents.read,
        report.target,
        report.documents.skipped,
        if list.is_empty() {
            "No findings.".to_string()
        } else {
            format!("Findings: {}.", list.join(", "))
        }
    )
}

fn new_table(width: Option<u16>) -> Table {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(width.unwrap_or_else(crate::report::width::terminal_width));
    t
}

fn table(report: &ScanReport, width: Option<u16>) -> String {
    let mut out = String::new();
    let width = width.unwrap_or_else(crate::report::width::terminal_width);
    let _ = writeln!(
        out,
        "{}\n",
        crate::report::width::wrap_prose(&summary(report), width)
    );
    for w in &report.warnings {
        let _ = writeln!(
            out,
            "Warning: {}\n",
            crate::report::width::wrap_prose(&w.message, width)
        );
    }
    let width = Some(width);
    if !report.findings.is_empty() {
        let mut t = new_table(width);
        t.set_header(vec!["Rule", "Object and where", "Finding and fix"]);
        for f in &report.findings {
            t.add_row(vec![
                Cell::new(f.rule.id()),
                Cell::new(format!("{}\n{}", f.object, f.place())),
                Cell::new(format!("{}. Fix: {}", f.message, f.fix)),
            ]);
        }
        crate::report::width::keep_words_whole(&mut t);
        let _ = writeln!(out, "{t}\n");
    }
    let mut e = new_table(width);
    e.set_header(vec!["Question", "Evidence", "Because"]);
    for (question, answer) in evidence_rows(report) {
        e.add_row(vec![
            Cell::new(question),
            Cell::new(&answer.answer),
            Cell::new(&answer.detail),
        ]);
    }
    if e.row_count() > 0 {
        crate::report::width::keep_words_whole(&mut e);
        let _ = writeln!(out, "{e}\n");
    }
    if !report.skipped.is_empty() {
        let mut s = new_table(width);
        s.set_header(vec!["Skipped", "Doc", "Why"]);
        for skipped in &report.skipped {
            let doc = skipped.document.map_or("-".to_string(), |d| d.to_string());
            s.add_row(vec![
                Cell::new(&skipped.path),
                Cell::new(doc).set_alignment(CellAlignment::Right),
                Cell::new(&skipped.reason),
            ]);
        }
        crate::report::width::keep_words_whole(&mut s);
        let _ = writeln!(out, "{s}\n");
    }
    out
}

fn evidence_rows(report: &ScanReport) -> Vec<(&'static str, &EvidenceAnswer)> {
    let e = &report.evidence;
    [
        ("deprecated_apis", &e.deprecated_apis),
        ("pdbs_and_probes", &e.pdbs_and_probes),
        ("stateful_workloads", &e.stateful_workloads),
        ("pod_autoscaling", &e.pod_autoscaling),
    ]
    .into_iter()
    .filter_map(|(q, a)| Some((q, a.as_ref()?)))
    .collect()
}

fn markdown(report: &ScanReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Manifest scan for Kubernetes {}\n\n{}\n",
        report.target,
        escape_inline(&summary(report))
    );
    for w in &report.warnings {
        let _ = writeln!(out, "> **Warning:** {}\n", escape_inline(&w.message));
    }
    if !report.findings.is_empty() {
        let _ = writeln!(out, "## Findings\n");
        md::table(
            &mut out,
            &[
                ("Rule", L),
                ("Object", L),
                ("Where", L),
                ("Finding", L),
                ("Fix", L),
            ],
            report.findings.iter().map(|f| {
                vec![
                    code(f.rule.id()),
                    cell(&f.object.to_string()),
                    code(&f.place()),
                    cell(&f.message),
                    cell(&f.fix),
                ]
            }),
        );
    }
    let rows = evidence_rows(report);
    if !rows.is_empty() {
        let _ = writeln!(out, "## Evidence for the checklist\n");
        md::table(
            &mut out,
            &[("Question", L), ("Evidence", L), ("Because", L)],
            rows.into_iter()
                .map(|(q, a)| vec![code(q), cell(&a.answer), cell(&a.detail)]),
        );
    }
    if !report.skipped.is_empty() {
        let _ = writeln!(out, "## Skipped\n");
        md::table(
            &mut out,
            &[("Path", L), ("Document", R), ("Why", L)],
            report.skipped.iter().map(|s| {
                let document = s.document.map_or("-".to_string(), |d| d.to_string());
                vec![code(&s.path), document, cell(&s.reason)]
            }),
        );
    }
    let covered = report
        .api_covers_up_to
        .map(|v| format!(", checked up to Kubernetes {v}"))
        .unwrap_or_default();
    let extra = if report.api_data.is_empty() {
        String::new()
    } else {
        format!("; more from {}", report.api_data.join(", "))
    };
    let source = format!("Removed APIs from {}{covered}{extra}.", report.api_source);
    let _ = writeln!(out, "{}", escape_inline(&source));
    out
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

/// SARIF 2.1.0: one run, the rules as the tool's rules, each finding a result with a location.
fn sarif(report: &ScanReport) -> String {
    sarif_in(report, std::env::current_dir().ok().as_deref())
}

fn sarif_in(report: &ScanReport, root: Option<&std::path::Path>) -> String {
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
