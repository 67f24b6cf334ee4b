//! SARIF from `scan --format sarif`, checked against the official SARIF 2.1.0 schema and the
//! way code-scanning views tell results apart.

use std::collections::HashSet;
use std::path::Path;

use crate::common::advisor;
use serde_json::Value;

const SCHEMA: &str = "tests/fixtures/sarif/sarif-schema-2.1.0.json";

/// Two containers without probes in one Deployment with one replica.
const DEPLOYMENT: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
  namespace: web
spec:
  replicas: 1
  template:
    spec:
      containers:
        - name: app
          image: shop:1
        - name: sidecar
          image: proxy:1
";

fn sarif_in(dir: &Path, paths: &[&str]) -> Value {
    let out = advisor()
        .current_dir(dir)
        .args(["scan", "--format", "sarif", "--target", "1.33"])
        .args(paths)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The official schema declares draft-04 but uses the draft-06 format `uri-reference`; it is
/// checked with draft-07 rules (as schemastore.org serves it) so that formats are checked too.
fn assert_valid(sarif: &Value) {
    let errors = schema_errors(sarif);
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

fn schema_errors(sarif: &Value) -> Vec<String> {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(SCHEMA)).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    validator
        .iter_errors(sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

fn results(sarif: &Value) -> &Vec<Value> {
    sarif["runs"][0]["results"].as_array().unwrap()
}

fn uris(sarif: &Value) -> HashSet<String> {
    results(sarif)
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

#[test]
fn the_fixtures_give_valid_sarif() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let sarif = sarif_in(root, &["tests/fixtures/manifests"]);
    assert!(!results(&sarif).is_empty());
    assert_valid(&sarif);
}

#[test]
fn awkward_file_names_become_valid_uri_references() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("my apps");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("shop #1 [100%].yaml"), DEPLOYMENT).unwrap();

    // Scanned from the folder above: relative to the root the scan ran in.
    let sarif = sarif_in(dir.path(), &["my apps"]);
    assert_valid(&sarif);
    assert_eq!(
        uris(&sarif),
        HashSet::from(["my%20apps/shop%20%231%20%5B100%25%5D.yaml".to_string()])
    );
    let location = &results(&sarif)[0]["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(location["uriBaseId"], "%SRCROOT%");
    let base = sarif["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap();
    assert!(
        base.starts_with("file:///") && base.ends_with('/'),
        "{base}"
    );

    // The check has teeth: the raw path, as earlier versions wrote it, is not a URI reference.
    let mut raw = sarif.clone();
    raw["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] =
        Value::from("my apps/shop #1 [100%].yaml");
    assert!(!schema_errors(&raw).is_empty());

    // Scanned by absolute path from elsewhere: an absolute file URI, still encoded.
    let elsewhere = tempfile::tempdir().unwrap();
    let absolute = folder.to_string_lossy().into_owned();
    let sarif = sarif_in(elsewhere.path(), &[&absolute]);
    assert_valid(&sarif);
    for uri in uris(&sarif) {
        assert!(uri.starts_with("file:///"), "{uri}");
        assert!(
            uri.ends_with("/my%20apps/shop%20%231%20%5B100%25%5D.yaml"),
            "{uri}"
        );
    }
}

#[test]
fn fingerprints_tell_containers_and_files_apart() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.yaml"), DEPLOYMENT).unwrap();
    std::fs::write(dir.path().join("b.yaml"), DEPLOYMENT).unwrap();
    let sarif = sarif_in(dir.path(), &["."]);
    assert_valid(&sarif);
    let results = results(&sarif);
    // Per file: two containers x two probes, and the single replica.
    assert_eq!(results.len(), 10, "{results:#?}");
    let fingerprints: HashSet<&str> = results
        .iter()
        .map(|r| {
            r["partialFingerprints"]["upgradeAdvisor/v2"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert_eq!(
        fingerprints.len(),
        results.len(),
        "every result its own alert"
    );
    let containers: HashSet<&str> = results
        .iter()
        .filter(|r| r["ruleId"] == "no-readiness-probe")
        .map(|r| {
            r["locations"][0]["logicalLocations"][0]["name"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert_eq!(containers, HashSet::from(["app", "sidecar"]));

    // The same scan again gives the same fingerprints: alerts stay the same alerts.
    let again = sarif_in(dir.path(), &["."]);
    let again: HashSet<&str> = self::results(&again)
        .iter()
        .map(|r| {
            r["partialFingerprints"]["upgradeAdvisor/v2"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert_eq!(again, fingerprints);
}

#[test]
fn rules_have_human_names_and_help_links() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let sarif = sarif_in(root, &["tests/fixtures/manifests"]);
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    for rule in rules {
        let (id, name) = (rule["id"].as_str().unwrap(), rule["name"].as_str().unwrap());
        assert_ne!(id, name, "a name is not the id");
        assert!(name.chars().next().unwrap().is_ascii_uppercase(), "{name}");
        assert!(
            rule["helpUri"]
                .as_str()
                .unwrap()
                .starts_with("https://kubernetes.io/docs/")
                || rule["helpUri"]
                    .as_str()
                    .unwrap()
                    .starts_with("https://helm.sh/docs/"),
            "{rule}"
        );
        assert_ne!(rule["shortDescription"], rule["fullDescription"]);
    }
}

/// The SARIF text of the fixtures, byte for byte (the folder the scan ran in written as
/// `ROOT`), so that a change to how it is written is a reviewed change.
#[test]
fn sarif_text_snapshot() {
    let root = std::env::current_dir().unwrap();
    let out = advisor()
        .args(["scan", "--format", "sarif", "--target", "1.33"])
        .arg("tests/fixtures/manifests")
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let root = format!("file://{}/", root.display());
    insta::assert_snapshot!(text.replace(&root, "file:///ROOT/"));
}
