//! A scan report as a table, markdown, JSON, YAML or SARIF 2.1.0.

use std::collections::BTreeMap;
use std::fmt::Write;

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell, CellAlignment, ContentArrangement, Table};
use serde_json::json;

use super::{Rule, ScanReport};
use crate::markdown::Align::{Left as L, Right as R};
use crate::markdown::{self as md, cell, code, escape_inline};

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
        .force_no_tty();
    if let Some(width) = width {
        t.set_width(width);
    }
    t
}

fn table(report: &ScanReport, width: Option<u16>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}\n", summary(report));
    for w in &report.warnings {
        let _ = writeln!(out, "Warning: {}\n", w.message);
    }
    if !report.findings.is_empty() {
        let mut t = new_table(width);
        t.set_header(vec!["Rule", "Object", "Where", "Finding and fix"]);
        for f in &report.findings {
            t.add_row(vec![
                Cell::new(f.rule.id()),
                Cell::new(&f.object),
                Cell::new(f.place()),
                Cell::new(format!("{}. Fix: {}", f.message, f.fix)),
            ]);
        }
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
        let _ = writeln!(out, "{s}\n");
    }
    out
}

fn evidence_rows(report: &ScanReport) -> Vec<(&'static str, &super::EvidenceAnswer)> {
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

/// A path as a SARIF artifact URI: forward slashes, relative paths kept relative.
fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let path = path.strip_prefix("./").unwrap_or(&path).to_string();
    if path == "<stdin>" {
        "stdin".to_string()
    } else {
        path
    }
}

/// SARIF 2.1.0: one run, the rules as the tool's rules, each finding a result with a location.
fn sarif(report: &ScanReport) -> String {
    let rules: Vec<serde_json::Value> = Rule::ALL
        .iter()
        .map(|r| {
            json!({
                "id": r.id(),
                "name": r.id(),
                "shortDescription": { "text": r.description() },
                "fullDescription": { "text": r.description() },
                "defaultConfiguration": { "level": r.level() },
                "help": { "text": format!("{} Each result says how to fix it.", r.description()) },
            })
        })
        .collect();
    let results: Vec<serde_json::Value> = report
        .findings
        .iter()
        .map(|f| {
            json!({
                "ruleId": f.rule.id(),
                "ruleIndex": Rule::ALL.iter().position(|r| *r == f.rule),
                "level": f.rule.level(),
                "message": { "text": format!("{}: {}. Fix: {}.", f.object, f.message, f.fix) },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri(&f.file) },
                        "region": { "startLine": f.line },
                    },
                    "logicalLocations": [{
                        "name": f.object.name,
                        "fullyQualifiedName": f.object.to_string(),
                        "kind": "object",
                    }],
                }],
                "partialFingerprints": {
                    "upgradeAdvisor/v1": format!("{}:{}:{}/{}", f.rule.id(), f.object.kind, f.object.namespace, f.object.name),
                },
            })
        })
        .collect();
    let document = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
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
        }],
    });
    let mut text = serde_json::to_string_pretty(&document).expect("SARIF serializes");
    text.push('\n');
    text
}
