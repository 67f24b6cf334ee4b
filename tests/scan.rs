//! `scan` and evidence as a platform team meets them: a folder of real-looking manifests,
//! kubectl dumps on standard input, SARIF for code scanning, and evidence in `assess`.

mod common;

use common::{advisor, case_study_with, json_of, json_with_stdin};
use predicates::str::contains;

const FIXTURES: &str = "tests/fixtures/manifests";

fn scan_json(target: &str) -> serde_json::Value {
    json_of(["scan", FIXTURES, "--target", target, "--format", "json"])
}

/// The documented JSON: findings with rule, object, file, message and fix; counts; skipped; evidence.
#[test]
fn a_folder_of_manifests_gives_the_right_findings() {
    let json = scan_json("1.33");
    let findings = json["findings"].as_array().unwrap();
    let has = |rule: &str, kind: &str, name: &str| {
        findings.iter().any(|f| {
            f["rule"] == rule && f["object"]["kind"] == kind && f["object"]["name"] == name
        })
    };
    assert!(has("removed-api", "Ingress", "storefront"));
    assert!(has("removed-api", "CronJob", "nightly-report"));
    assert!(has("removed-api", "PodDisruptionBudget", "checkout"));
    assert!(has("no-pdb", "Deployment", "storefront"));
    assert!(
        !has("no-pdb", "Deployment", "checkout"),
        "matchExpressions In/NotIn cover checkout"
    );
    assert!(has(
        "pdb-blocks-eviction",
        "PodDisruptionBudget",
        "checkout"
    ));
    assert!(has("no-readiness-probe", "Deployment", "storefront"));
    assert!(
        has("no-liveness-probe", "StatefulSet", "orders-db"),
        "items of a kind: List dump"
    );
    assert!(has("stateful", "StatefulSet", "orders-db"));
    assert!(has("stateful", "CronJob", "nightly-report"));
    assert!(has("hpa", "HorizontalPodAutoscaler", "checkout"));
    for f in findings {
        for field in ["rule", "file", "message", "fix"] {
            assert!(
                f[field].as_str().is_some_and(|s| !s.is_empty()),
                "{field} in {f}"
            );
        }
        for field in ["kind", "namespace", "name"] {
            assert!(f["object"][field].is_string());
        }
        assert!(f["line"].as_u64().unwrap() >= 1);
    }
    let ingress = findings
        .iter()
        .find(|f| f["object"]["kind"] == "Ingress")
        .unwrap();
    assert_eq!(
        ingress["file"],
        "tests/fixtures/manifests/shop/frontend.yaml"
    );
    assert_eq!(ingress["line"], 24);
    assert_eq!(ingress["document"], 1);

    assert_eq!(json["documents"]["read"], 9);
    assert_eq!(json["documents"]["skipped"], 3);
    let skipped: Vec<(&str, &str)> = json["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["path"].as_str().unwrap(), s["reason"].as_str().unwrap()))
        .collect();
    assert!(
        skipped
            .iter()
            .any(|(p, r)| p.ends_with("blob.json") && r.contains("not UTF-8"))
    );
    assert!(
        skipped
            .iter()
            .any(|(p, r)| p.ends_with("broken.yaml") && r.starts_with("not valid YAML"))
    );
    assert!(
        skipped
            .iter()
            .any(|(p, r)| p.ends_with("values.yaml") && r.contains("no apiVersion or kind"))
    );
    assert!(
        !skipped.iter().any(|(p, _)| p.ends_with("notes.md")),
        "non-manifest files are not read at all"
    );

    let evidence = &json["evidence"];
    assert_eq!(evidence["deprecated_apis"]["answer"], "not-remediated");
    assert_eq!(evidence["pdbs_and_probes"]["answer"], "partly");
    assert_eq!(evidence["pdbs_and_probes"]["counts"]["without_pdb"], 1);
    assert_eq!(evidence["stateful_workloads"]["answer"], "many");
    assert_eq!(evidence["pod_autoscaling"]["answer"], "yes");
}

/// Removals after the target are upcoming, not findings that block.
#[test]
fn removals_after_the_target_are_upcoming() {
    let json = scan_json("1.21");
    let rules: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["object"]["kind"] == "CronJob" || f["object"]["kind"] == "Ingress")
        .map(|f| f["rule"].as_str().unwrap())
        .filter(|r| r.contains("removal") || r.contains("removed"))
        .collect();
    assert_eq!(rules, ["upcoming-removal", "upcoming-removal"]);
}

/// `kubectl get ... -o yaml | upgrade-advisor scan -`
#[test]
fn a_kubectl_dump_on_standard_input() {
    let dump = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: networking.k8s.io/v1beta1\n  kind: Ingress\n  metadata:\n    name: legacy\n    namespace: web\n- apiVersion: apps/v1\n  kind: Deployment\n  metadata:\n    name: web\n    namespace: web\n  spec:\n    replicas: 1\n    template:\n      metadata:\n        labels: {app: web}\n      spec:\n        containers:\n        - name: web\n          image: web\nmetadata:\n  resourceVersion: \"\"\n";
    let out = advisor()
        .args(["scan", "-", "--target", "1.33", "-f", "json"])
        .write_stdin(dump)
        .output()
        .unwrap();
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["documents"]["read"], 2);
    let rules: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(
        rules.contains(&"removed-api") && rules.contains(&"single-replica"),
        "{rules:?}"
    );
    assert_eq!(json["findings"][0]["file"], "<stdin>");
}

/// Nothing readable is the only failure: exit 2, with every reason.
#[test]
fn nothing_readable_exits_2() {
    advisor()
        .args([
            "scan",
            "does-not-exist/",
            "tests/fixtures/manifests/platform/values.yaml",
        ])
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains("no Kubernetes objects could be read"))
        .stderr(contains("does-not-exist/: cannot read"))
        .stderr(contains("no apiVersion or kind"));
    let empty = tempfile::tempdir().unwrap();
    advisor()
        .arg("scan")
        .arg(empty.path())
        .assert()
        .code(2)
        .stderr(contains("no .yaml, .yml or .json files were found"));
}

/// A link back to a parent folder does not loop forever.
#[cfg(unix)]
#[test]
fn symlink_loops_are_reported_and_skipped() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("app.yaml"),
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec: {replicas: 2}\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).unwrap();
    let json = json_of([
        "scan".as_ref(),
        dir.path().as_os_str(),
        "-f".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(json["documents"]["read"], 1);
    assert!(
        json["skipped"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["reason"].as_str().unwrap().contains("symlink loop"))
    );
}

/// SARIF 2.1.0 with the parts the specification requires and code-scanning views use.
#[test]
fn sarif_has_the_required_structure() {
    let sarif = json_of(["scan", FIXTURES, "--target", "1.33", "--format", "sarif"]);
    assert_eq!(sarif["version"], "2.1.0");
    assert!(sarif["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let runs = sarif["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "upgrade-advisor");
    let rules = driver["rules"].as_array().unwrap();
    let rule_ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(rule_ids.len(), 9);
    for rule in rules {
        assert!(rule["shortDescription"]["text"].is_string());
        assert!(
            ["error", "warning", "note"]
                .contains(&rule["defaultConfiguration"]["level"].as_str().unwrap())
        );
    }
    let results = runs[0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for result in results {
        let id = result["ruleId"].as_str().unwrap();
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rule_ids[index], id, "ruleIndex points at its rule");
        assert!(["error", "warning", "note"].contains(&result["level"].as_str().unwrap()));
        assert!(!result["message"]["text"].as_str().unwrap().is_empty());
        let location = &result["locations"][0]["physicalLocation"];
        let uri = location["artifactLocation"]["uri"].as_str().unwrap();
        assert!(
            uri.starts_with("tests/fixtures/manifests/") && !uri.contains('\\'),
            "{uri}"
        );
        assert!(location["region"]["startLine"].as_u64().unwrap() >= 1);
    }
}

#[test]
fn markdown_and_yaml_formats() {
    advisor()
        .args(["scan", FIXTURES, "--target", "1.33", "-f", "markdown"])
        .assert()
        .success()
        .stdout(contains("# Manifest scan for Kubernetes 1.33"))
        .stdout(contains("| `removed-api` |"))
        .stdout(contains("## Evidence for the checklist"));
    let out = advisor()
        .args(["scan", FIXTURES, "-f", "yaml"])
        .output()
        .unwrap();
    let yaml: serde_json::Value = serde_yaml::from_slice(&out.stdout).unwrap();
    assert!(yaml["findings"].is_array());
}

/// `assess --manifests` turns a self-reported "yes" into the evidence, and says why.
#[test]
fn manifests_overrule_optimistic_answers_in_the_report() {
    let answers = case_study_with("pdbs_and_probes: partly", "pdbs_and_probes: yes");
    let json = json_with_stdin(
        ["assess", "-a", "-", "-f", "json", "--manifests", FIXTURES],
        &answers,
    );
    assert_eq!(
        json["answers"]["pdbs_and_probes"], "partly",
        "the evidence is used"
    );
    let pdbs = json["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["question"] == "pdbs_and_probes")
        .unwrap();
    assert_eq!(pdbs["answered"], "yes");
    assert_eq!(pdbs["outcome"], "overruled");
    assert!(
        pdbs["detail"]
            .as_str()
            .unwrap()
            .contains("1 of 3 multi-replica workloads lack a PodDisruptionBudget")
    );
    advisor()
        .args(["assess", "-a", "-", "-f", "markdown", "--manifests", FIXTURES])
        .write_stdin(answers)
        .assert()
        .success()
        .stdout(contains("## Evidence from manifests"))
        .stdout(contains("pdbs\\_and\\_probes: answered yes, but 1 of 3 multi-replica workloads lack a PodDisruptionBudget"))
        .stdout(contains("## Appendix: evidence"));
}

/// Where the answers are silent, the evidence answers; `--set` still has the last word.
#[test]
fn evidence_fills_gaps_and_set_wins() {
    let silent = case_study_with("  pod_autoscaling: yes\n", "");
    let dir = tempfile::tempdir().unwrap();
    let scan = dir.path().join("scan.json");
    advisor()
        .args(["scan", FIXTURES, "-f", "json", "-o"])
        .arg(&scan)
        .assert()
        .success();
    let scan = scan.to_str().unwrap();
    let json = json_with_stdin(
        [
            "assess",
            "-a",
            "-",
            "-f",
            "json",
            "--evidence",
            scan,
            "--set",
            "stateful_workloads=some",
        ],
        &silent,
    );
    let outcome = |q: &str| {
        json["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["question"] == q)
            .unwrap()["outcome"]
            .clone()
    };
    assert_eq!(outcome("pod_autoscaling"), "filled");
    assert_eq!(json["answers"]["pod_autoscaling"], "yes");
    assert_eq!(outcome("stateful_workloads"), "overridden");
    assert_eq!(json["answers"]["stateful_workloads"], "some");
}

/// Pluto's JSON answers the deprecated-API question.
#[test]
fn pluto_json_is_evidence_too() {
    let dir = tempfile::tempdir().unwrap();
    let pluto = dir.path().join("pluto.json");
    std::fs::write(
        &pluto,
        r#"{"items":[{"name":"web","filePath":"k8s/web.yaml","namespace":"shop","api":{"version":"extensions/v1beta1","kind":"Ingress","deprecated-in":"v1.14.0","removed-in":"v1.22.0","replacement-api":"networking.k8s.io/v1","component":"k8s"},"deprecated":true,"removed":true}],"target-versions":{"k8s":"v1.33.0"}}"#,
    )
    .unwrap();
    let pluto_path = pluto.to_str().unwrap();
    let json = json_of([
        "assess",
        "-a",
        common::CASE_STUDY,
        "-f",
        "json",
        "--evidence",
        pluto_path,
    ]);
    assert_eq!(json["answers"]["deprecated_apis"], "not-remediated");
    assert!(
        json["evidence"][0]["detail"]
            .as_str()
            .unwrap()
            .contains("Pluto reports 1 objects on removed APIs")
    );
    std::fs::write(&pluto, "{\"something\": 1}").unwrap();
    advisor()
        .args(["assess", "-a", common::CASE_STUDY, "--evidence"])
        .arg(&pluto)
        .assert()
        .code(2)
        .stderr(contains("neither a scan report"));
}
