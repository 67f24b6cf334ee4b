//! Evidence with judgement: what a scan finds is proof against an answer that denies it, a
//! partial scan's absence of something never overrules a person, and evidence values are
//! checked like answers.

use crate::common::{CASE_STUDY, advisor, json_of};
use predicates::str::contains;

fn write(dir: &std::path::Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

fn answers_with(dir: &std::path::Path, id: &str, value: &str) -> String {
    let text = std::fs::read_to_string(CASE_STUDY).unwrap();
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with(&format!("{id}:")))
        .unwrap()
        .to_string();
    let indent = &line[..line.len() - line.trim_start().len()];
    write(
        dir,
        "answers.yaml",
        &text.replace(&line, &format!("{indent}{id}: {value}")),
    )
}

const PLUTO: &str = r#"{"items":[{"name":"web","filePath":"k8s/web.yaml","namespace":"shop","api":{"version":"extensions/v1beta1","kind":"Ingress","deprecated-in":"v1.14.0","removed-in":"v1.22.0","replacement-api":"networking.k8s.io/v1","component":"k8s"},"deprecated":true,"removed":true}],"target-versions":{"k8s":"v1.33.0"}}"#;

/// A removed API found is proof, however small the scan: "remediated" is overruled.
#[test]
fn a_found_removal_overrules_an_answer_that_denies_it() {
    let dir = tempfile::tempdir().unwrap();
    let answers = answers_with(dir.path(), "deprecated_apis", "remediated");
    let pluto = write(dir.path(), "pluto.json", PLUTO);
    let json = json_of(["assess", "-a", &answers, "-f", "json", "--evidence", &pluto]);
    assert_eq!(json["answers"]["deprecated_apis"], "not-remediated");
    assert_eq!(json["evidence"][0]["outcome"], "overruled");
}

/// A folder with no HorizontalPodAutoscaler does not turn a person's "yes" into "no": the
/// disagreement is shown, with how much the scan saw.
#[test]
fn absence_in_a_partial_scan_never_overrules_a_yes() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = write(
        dir.path(),
        "web.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: web:1}]\n",
    );
    let json = json_of([
        "assess",
        "-a",
        CASE_STUDY,
        "-f",
        "json",
        "--manifests",
        &manifest,
    ]);
    assert_eq!(json["answers"]["pod_autoscaling"], "yes");
    let hpa = json["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["question"] == "pod_autoscaling")
        .unwrap();
    assert_eq!(hpa["outcome"], "disagrees");
    assert!(
        hpa["seen"]
            .as_str()
            .unwrap()
            .contains("the scan saw 1 workload")
    );
    let md = crate::common::stdout_of(
        [
            "assess",
            "-a",
            CASE_STUDY,
            "-f",
            "markdown",
            "--manifests",
            &manifest,
        ],
        "",
    );
    assert!(md.contains("too little to overrule a person"), "{md}");
}

/// An evidence file whose value the checklist does not allow is bad input, like an answer.
#[test]
fn evidence_values_are_validated_like_answers() {
    let dir = tempfile::tempdir().unwrap();
    let mut scan = json_of(["scan", "tests/fixtures/manifests", "-f", "json"]);
    scan["evidence"]["pdbs_and_probes"]["answer"] = "bogus-value".into();
    let evidence = write(dir.path(), "scan.json", &scan.to_string());
    advisor()
        .args(["assess", "-a", CASE_STUDY, "--evidence", &evidence])
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains("bogus-value"))
        .stderr(contains("yes, partly, no or unknown"));
}

/// Single replicas found by a scan become a pre-check of the runbook.
#[test]
fn single_replicas_become_a_runbook_pre_check() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = write(
        dir.path(),
        "api.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: shop}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: api}}\n  template:\n    metadata: {labels: {app: api}}\n    spec:\n      containers: [{name: api, image: api:1}]\n",
    );
    let runbook = crate::common::stdout_of(
        [
            "assess",
            "-a",
            CASE_STUDY,
            "-f",
            "runbook",
            "--manifests",
            &manifest,
        ],
        "",
    );
    let line = runbook
        .lines()
        .find(|l| l.contains("run a single replica"))
        .expect("a pre-check for single replicas");
    assert!(line.starts_with("- [ ] "), "{line}");
    assert!(
        line.contains("Give the 1 workload that runs a single replica a second one"),
        "{line}"
    );
}
