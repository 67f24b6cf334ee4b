//! SARIF 2.1.0, for code-scanning views of pull requests: the rules from the scan's rule
//! table, each finding a result with its location and a fingerprint stable across runs.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::Write;

use serde::Serialize;

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
/// `file:` URI. Spaces, `#`, `%` and other reserved characters are percent-encoded, and so
/// are the bytes of a name that is not UTF-8 (`raw`), so that the URI names the real file.
fn artifact_location(path: &str, raw: Option<&[u8]>, root: Option<&[u8]>) -> ArtifactLocation {
    if path == "<stdin>" {
        // Standard input has no file to point at; `stdin` names it.
        return ArtifactLocation {
            description: Some(Text {
                text: "standard input".into(),
            }),
            uri: "stdin".to_string(),
            uri_base_id: None,
        };
    }
    let path = slashes(raw.unwrap_or(path.as_bytes()));
    let absolute = path.starts_with(b"/") || is_windows_absolute(&path);
    let relative = if absolute {
        root.and_then(|root| {
            let root = slashes(root);
            let mut root = root.as_slice();
            while let Some(r) = root.strip_suffix(b"/") {
                root = r;
            }
            path.strip_prefix(root)?.strip_prefix(b"/")
        })
    } else {
        let mut rest = path.as_slice();
        while let Some(r) = rest.strip_prefix(b"./") {
            rest = r;
        }
        Some(rest)
    };
    let (uri, uri_base_id) = match relative {
        Some(relative) if !relative.split(|b| *b == b'/').any(|s| s == b"..") => {
            (percent_encode(relative), Some(SRCROOT))
        }
        _ if absolute => {
            let slash = if path.starts_with(b"/") { "" } else { "/" };
            (format!("file://{slash}{}", percent_encode(&path)), None)
        }
        // Relative, but outside the folder the scan ran in (`../k8s`): still a reference.
        _ => (percent_encode(&path), None),
    };
    ArtifactLocation {
        description: None,
        uri,
        uri_base_id,
    }
}

/// A path's bytes with backslashes turned into slashes.
fn slashes(path: &[u8]) -> Vec<u8> {
    path.iter()
        .map(|&b| if b == b'\\' { b'/' } else { b })
        .collect()
}

const SRCROOT: &str = "%SRCROOT%";

/// `C:/...`: a drive letter, a colon and a slash (backslashes already turned around).
fn is_windows_absolute(path: &[u8]) -> bool {
    path.len() > 2 && path[0].is_ascii_alphabetic() && path[1] == b':' && path[2] == b'/'
}

/// A path as the path of a URI reference: unreserved characters and `/` stay, every other
/// byte becomes `%XX`. A `:` is encoded too, so that no first segment reads as a scheme; a
/// Windows drive (`C:`) keeps its colon.
fn percent_encode(path: &[u8]) -> String {
    let mut out = String::with_capacity(path.len());
    for (i, &byte) in path.iter().enumerate() {
        let drive = i == 1 && byte == b':' && is_windows_absolute(path);
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) || drive {
            out.push(byte as char);
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// The bytes of the folder the scan ran in, as the system names it.
fn root_bytes(root: &std::path::Path) -> Cow<'_, [u8]> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        Cow::Borrowed(root.as_os_str().as_bytes())
    }
    #[cfg(not(unix))]
    {
        match root.to_string_lossy() {
            Cow::Borrowed(text) => Cow::Borrowed(text.as_bytes()),
            Cow::Owned(text) => Cow::Owned(text.into_bytes()),
        }
    }
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
    let mut out = String::with_capacity(32);
    for b in hash.finalize().iter().take(16) {
        let _ = write!(out, "{b:02x}");
    }
    out
}

// The SARIF document as types, each field in the order of its name (the order the JSON has
// always had), written straight to text: results borrow from the findings and are made one
// at a time as they are written, so a scan of 100,000 findings never holds them as values.

#[derive(Serialize)]
struct Document<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    runs: [Run<'a>; 1],
    version: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    invocations: [Invocation<'a>; 1],
    #[serde(skip_serializing_if = "Option::is_none")]
    original_uri_base_ids: Option<BTreeMap<&'static str, Uri>>,
    properties: Properties<'a>,
    results: Results<'a>,
    tool: Tool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation<'a> {
    execution_successful: bool,
    tool_configuration_notifications: Vec<Notification<'a>>,
}

#[derive(Serialize)]
struct Notification<'a> {
    descriptor: Id<'a>,
    level: &'static str,
    message: Text<'a>,
}

#[derive(Serialize)]
struct Id<'a> {
    id: &'a str,
}

#[derive(Serialize, Debug, PartialEq)]
struct Text<'a> {
    text: Cow<'a, str>,
}

#[derive(Serialize)]
struct Uri {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Properties<'a> {
    kubernetes_target: String,
    warnings: Vec<&'a str>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    #[serde(skip_serializing_if = "Option::is_none")]
    information_uri: Option<&'static str>,
    name: &'static str,
    rules: Vec<RuleEntry>,
    version: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RuleEntry {
    default_configuration: Level,
    full_description: Text<'static>,
    help: Text<'static>,
    help_uri: &'static str,
    id: &'static str,
    name: &'static str,
    short_description: Text<'static>,
}

#[derive(Serialize)]
struct Level {
    level: &'static str,
}

/// The findings as results, made one by one as they are written.
struct Results<'a> {
    report: &'a ScanReport,
    root: Option<&'a [u8]>,
}

impl Serialize for Results<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let raw = &self.report.raw_file_names;
        serializer.collect_seq(self.report.findings.iter().map(|f| {
            let raw = raw.get(&f.file).map(Vec::as_slice);
            result(f, artifact_location(&f.file, raw, self.root))
        }))
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultEntry<'a> {
    level: &'static str,
    locations: [Location<'a>; 1],
    message: Text<'a>,
    partial_fingerprints: Fingerprints,
    rule_id: &'static str,
    rule_index: Option<usize>,
}

#[derive(Serialize)]
struct Fingerprints {
    #[serde(rename = "upgradeAdvisor/v2")]
    v2: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    logical_locations: [Logical<'a>; 1],
    physical_location: Physical,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Logical<'a> {
    fully_qualified_name: String,
    kind: &'static str,
    name: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Physical {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<Text<'static>>,
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
}

fn result<'a>(f: &'a Finding, artifact_location: ArtifactLocation) -> ResultEntry<'a> {
    let logical = match &f.container {
        Some(container) => Logical {
            fully_qualified_name: format!("{}/{container}", f.object),
            kind: "container",
            name: container,
        },
        None => Logical {
            fully_qualified_name: f.object.to_string(),
            kind: "object",
            name: &f.object.name,
        },
    };
    ResultEntry {
        level: f.rule.level(),
        locations: [Location {
            logical_locations: [logical],
            physical_location: Physical {
                artifact_location,
                region: Region {
                    start_line: f.line.max(1),
                },
            },
        }],
        message: Text {
            text: format!("{}: {}. Fix: {}.", f.object, f.message, f.fix).into(),
        },
        partial_fingerprints: Fingerprints { v2: fingerprint(f) },
        rule_id: f.rule.id(),
        rule_index: Rule::ALL.iter().position(|r| *r == f.rule),
    }
}

/// SARIF 2.1.0: one run, the rules as the tool's rules, each finding a result with a location
/// relative to `root` (the folder the scan ran in) where it can be.
fn sarif(report: &ScanReport, root: Option<&std::path::Path>) -> String {
    let rules = Rule::ALL
        .iter()
        .map(|r| {
            let info = r.info();
            RuleEntry {
                default_configuration: Level {
                    level: info.level.as_str(),
                },
                full_description: Text {
                    text: info.description.into(),
                },
                help: Text {
                    text: format!(
                        "{} Each result says how to fix it. More: {}",
                        info.description, info.help_uri
                    )
                    .into(),
                },
                help_uri: info.help_uri,
                id: info.id,
                name: info.sarif_name,
                short_description: Text {
                    text: info.title.into(),
                },
            }
        })
        .collect();
    let root_bytes = root.map(root_bytes);
    let original_uri_base_ids = root_bytes.as_deref().map(|root| {
        let mut base = format!("file://{}", percent_encode(&slashes(root)));
        if !base.ends_with('/') {
            base.push('/');
        }
        BTreeMap::from([(SRCROOT, Uri { uri: base })])
    });
    let information_uri = [env!("CARGO_PKG_HOMEPAGE"), env!("CARGO_PKG_REPOSITORY")]
        .into_iter()
        .find(|u| !u.is_empty());
    let document = Document {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        runs: [Run {
            invocations: [Invocation {
                execution_successful: true,
                tool_configuration_notifications: report
                    .warnings
                    .iter()
                    .map(|w| Notification {
                        descriptor: Id {
                            id: w.kind.as_str(),
                        },
                        level: "warning",
                        message: Text {
                            text: w.message.as_str().into(),
                        },
                    })
                    .collect(),
            }],
            original_uri_base_ids,
            properties: Properties {
                kubernetes_target: report.target.to_string(),
                warnings: report.warnings.iter().map(|w| w.message.as_str()).collect(),
            },
            results: Results {
                report,
                root: root_bytes.as_deref(),
            },
            tool: Tool {
                driver: Driver {
                    information_uri,
                    name: "upgrade-advisor",
                    rules,
                    version: env!("CARGO_PKG_VERSION"),
                },
            },
        }],
        version: "2.1.0",
    };
    let mut text = serde_json::to_vec_pretty(&document).expect("SARIF serializes");
    text.push(b'\n');
    String::from_utf8(text).expect("JSON is UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    #[test]
    fn uris_are_percent_encoded_references() {
        assert_eq!(
            percent_encode(b"k8s/my app#1/100%.yaml"),
            "k8s/my%20app%231/100%25.yaml"
        );
        assert_eq!(percent_encode("a:b/ü".as_bytes()), "a%3Ab/%C3%BC");
        assert_eq!(percent_encode(b"C:/x y"), "C:/x%20y");
    }

    fn location(path: &str, raw: Option<&[u8]>) -> Value {
        serde_json::to_value(artifact_location(path, raw, Some(b"/repo"))).unwrap()
    }

    #[test]
    fn files_under_the_root_are_relative_to_it() {
        assert_eq!(
            location("/repo/k8s/a b.yaml", None),
            json!({ "uri": "k8s/a%20b.yaml", "uriBaseId": "%SRCROOT%" })
        );
        assert_eq!(
            location("./k8s/a.yaml", None),
            json!({ "uri": "k8s/a.yaml", "uriBaseId": "%SRCROOT%" })
        );
        assert_eq!(
            location("/elsewhere/#x.yaml", None),
            json!({ "uri": "file:///elsewhere/%23x.yaml" })
        );
        assert_eq!(
            location("../k8s/a.yaml", None),
            json!({ "uri": "../k8s/a.yaml" })
        );
        assert_eq!(location("<stdin>", None)["uri"], "stdin");
    }

    /// A name that is not UTF-8 is shown with U+FFFD, but its URI has its real bytes.
    #[test]
    fn a_name_that_is_not_utf8_keeps_its_bytes() {
        assert_eq!(
            location("k8s/caf\u{fffd}.yaml", Some(b"k8s/caf\xe9.yaml")),
            json!({ "uri": "k8s/caf%E9.yaml", "uriBaseId": "%SRCROOT%" })
        );
    }
}
