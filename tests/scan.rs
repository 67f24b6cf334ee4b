//! `scan` and evidence as a platform team meets them: a folder of real-looking manifests,
//! kubectl dumps on standard input, SARIF for code scanning, and evidence in `assess`.

use crate::common::{advisor, case_study_with, json_of, json_with_stdin};
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
    assert_eq!(rule_ids.len(), 10);
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
        crate::common::CASE_STUDY,
        "-f",
        "json",
        "--evidence",
        pluto_path,
    ]);
    // The file says some APIs remain; one object seen cannot overrule that estimate.
    assert_eq!(json["answers"]["deprecated_apis"], "partly");
    assert_eq!(json["evidence"][0]["outcome"], "disagrees");
    assert!(
        json["evidence"][0]["detail"]
            .as_str()
            .unwrap()
            .contains("Pluto reports 1 objects on removed APIs")
    );
    std::fs::write(&pluto, "{\"something\": 1}").unwrap();
    advisor()
        .args(["assess", "-a", crate::common::CASE_STUDY, "--evidence"])
        .arg(&pluto)
        .assert()
        .code(2)
        .stderr(contains("neither a scan report"));
}

// ---------------------------------------------------------------------------------------------
// What is deployed: Helm release records and last-applied configurations, built here with
// Helm's real encoding (gzip, then base64; a Secret's data base64s that once more).

mod deployed {
    use std::io::Write;
    use std::path::Path;

    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;
    use serde_json::{Value, json};

    use crate::common::{advisor, case_study_with, json_of, json_with_stdin};
    use predicates::str::contains;

    /// One Helm 3 release as Helm stores it: the JSON release, gzipped, in base64.
    struct Release<'a> {
        name: &'a str,
        namespace: &'a str,
        revision: u64,
        status: &'a str,
        chart: (&'a str, &'a str),
        kube_version: Option<&'a str>,
        manifest: &'a str,
    }

    impl Release<'_> {
        fn helm_base64(&self) -> String {
            let mut metadata =
                json!({ "name": self.chart.0, "version": self.chart.1, "apiVersion": "v2" });
            if let Some(k) = self.kube_version {
                metadata["kubeVersion"] = json!(k);
            }
            let release = json!({
                "name": self.name,
                "namespace": self.namespace,
                "version": self.revision,
                "info": { "status": self.status, "description": "Upgrade complete" },
                "chart": { "metadata": metadata, "templates": [] },
                "config": {},
                "manifest": self.manifest,
            });
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            gz.write_all(release.to_string().as_bytes()).unwrap();
            STANDARD.encode(gz.finish().unwrap())
        }

        fn labels(&self) -> Value {
            json!({ "name": self.name, "owner": "helm", "status": self.status, "version": self.revision.to_string() })
        }

        /// The Secret `kubectl get secrets -o json` shows: its data base64s Helm's text again.
        fn secret(&self) -> Value {
            json!({
                "apiVersion": "v1",
                "kind": "Secret",
                "type": "helm.sh/release.v1",
                "metadata": {
                    "name": format!("sh.helm.release.v1.{}.v{}", self.name, self.revision),
                    "namespace": self.namespace,
                    "labels": self.labels(),
                },
                "data": { "release": STANDARD.encode(self.helm_base64()) },
            })
        }

        /// The ConfigMap of the configmap storage driver: Helm's base64 text, once.
        fn configmap(&self) -> Value {
            json!({
                "apiVersion": "v1",
                "kind": "ConfigMap",
                "metadata": {
                    "name": format!("{}.v{}", self.name, self.revision),
                    "namespace": self.namespace,
                    "labels": self.labels(),
                },
                "data": { "release": self.helm_base64() },
            })
        }
    }

    fn list(items: Vec<Value>) -> String {
        serde_json::to_string_pretty(&json!({
            "apiVersion": "v1", "kind": "List", "items": items, "metadata": { "resourceVersion": "" }
        }))
        .unwrap()
    }

    const SHOP_V2: &str = "---\n# Source: shop/templates/ingress.yaml\napiVersion: networking.k8s.io/v1beta1\nkind: Ingress\nmetadata:\n  name: shop\nspec:\n  rules: []\n---\n# Source: shop/templates/deployment.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: shop\nspec:\n  replicas: 2\n  template:\n    metadata:\n      labels: {app: shop}\n    spec:\n      containers:\n      - name: shop\n        image: shop:2\n";

    /// `kubectl get secrets,configmaps -A -l owner=helm -o json`: shop with superseded,
    /// deployed and failed revisions (its chart stops at 1.30), billing in a ConfigMap (its
    /// chart admits 1.33), and a corrupt record.
    fn helm_dump() -> String {
        let shop = |revision, status, manifest| Release {
            name: "shop",
            namespace: "shop",
            revision,
            status,
            chart: ("shop", if revision == 1 { "1.1.0" } else { "1.2.2" }),
            kube_version: Some(">=1.16.0-0 <1.31.0-0"),
            manifest,
        };
        let billing = Release {
            name: "billing",
            namespace: "billing",
            revision: 4,
            status: "deployed",
            chart: ("billing", "0.9.0"),
            kube_version: Some(">= 1.25.0-0"),
            manifest: "---\n# Source: billing/templates/cronjob.yaml\napiVersion: batch/v1beta1\nkind: CronJob\nmetadata:\n  name: invoices\nspec:\n  schedule: '@daily'\n",
        };
        let mut corrupt = shop(1, "deployed", "").secret();
        corrupt["metadata"]["name"] = json!("sh.helm.release.v1.broken.v1");
        corrupt["data"]["release"] = json!("this is not base64!");
        list(vec![
            shop(1, "superseded", "---\n# Source: shop/templates/ingress.yaml\napiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: shop-old\n").secret(),
            shop(3, "failed", "---\n# Source: shop/templates/cronjob.yaml\napiVersion: batch/v1beta1\nkind: CronJob\nmetadata:\n  name: shop-failed\n").secret(),
            shop(2, "deployed", SHOP_V2).secret(),
            billing.configmap(),
            corrupt,
        ])
    }

    /// `kubectl get deploy,hpa,cronjob -A -o json`: served at the new versions, applied at old ones.
    fn live_dump() -> String {
        let applied = |api: &str, kind: &str, name: &str| {
            json!({ "kubectl.kubernetes.io/last-applied-configuration":
                json!({ "apiVersion": api, "kind": kind, "metadata": { "name": name, "namespace": "web" } }).to_string() })
        };
        list(vec![
            json!({
                "apiVersion": "apps/v1", "kind": "Deployment",
                "metadata": { "name": "web", "namespace": "web", "annotations": applied("extensions/v1beta1", "Deployment", "web") },
                "spec": { "replicas": 3, "template": { "metadata": { "labels": { "app": "web" } },
                    "spec": { "containers": [{ "name": "web", "image": "web:1" }] } } },
            }),
            json!({
                "apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
                "metadata": { "name": "web", "namespace": "web", "annotations": applied("autoscaling/v2beta2", "HorizontalPodAutoscaler", "web") },
                "spec": { "minReplicas": 2, "scaleTargetRef": { "kind": "Deployment", "name": "web" } },
            }),
            json!({
                "apiVersion": "batch/v1", "kind": "CronJob",
                "metadata": { "name": "report", "namespace": "web", "annotations": applied("batch/v1", "CronJob", "report") },
                "spec": { "schedule": "@daily" },
            }),
        ])
    }

    fn write_dumps(dir: &Path) -> (String, String) {
        let helm = dir.join("helm.json");
        let live = dir.join("live.json");
        std::fs::write(&helm, helm_dump()).unwrap();
        std::fs::write(&live, live_dump()).unwrap();
        (
            helm.to_str().unwrap().to_string(),
            live.to_str().unwrap().to_string(),
        )
    }

    fn findings(json: &Value) -> &Vec<Value> {
        json["findings"].as_array().unwrap()
    }

    fn find<'a>(json: &'a Value, rule: &str, kind: &str, name: &str) -> Option<&'a Value> {
        findings(json).iter().find(|f| {
            f["rule"] == rule && f["object"]["kind"] == kind && f["object"]["name"] == name
        })
    }

    /// The issue's "done when": which deployed releases and applied objects break at 1.33.
    #[test]
    fn deployed_releases_and_applied_objects_that_break_at_the_target() {
        let dir = tempfile::tempdir().unwrap();
        let (helm, live) = write_dumps(dir.path());
        let json = json_of(["scan", &helm, &live, "--target", "1.33", "-f", "json"]);

        // Only the deployed revision of shop counts: not the superseded or the failed one.
        let ingress = find(&json, "removed-api", "Ingress", "shop").expect("shop's ingress");
        assert_eq!(
            ingress["object"]["namespace"], "shop",
            "the release's namespace"
        );
        assert_eq!(ingress["file"], helm.as_str());
        assert_eq!(
            ingress["helm"],
            json!({ "release": "shop", "namespace": "shop", "revision": 2, "chart": "shop-1.2.2", "template": "shop/templates/ingress.yaml" })
        );
        assert!(
            ingress["message"]
                .as_str()
                .unwrap()
                .ends_with("(helm: shop/shop rev 2, chart shop-1.2.2)"),
            "{ingress}"
        );
        for gone in ["shop-old", "shop-failed"] {
            assert!(
                findings(&json).iter().all(|f| f["object"]["name"] != gone),
                "{gone} is history, not what runs"
            );
        }
        assert!(find(&json, "no-readiness-probe", "Deployment", "shop").is_some());

        // The ConfigMap-stored release.
        let cronjob = find(&json, "removed-api", "CronJob", "invoices").expect("billing's cronjob");
        assert_eq!(cronjob["object"]["namespace"], "billing");
        assert_eq!(cronjob["helm"]["revision"], 4);
        assert_eq!(
            cronjob["helm"]["template"],
            "billing/templates/cronjob.yaml"
        );

        // Chart kubeVersion: shop's chart stops before 1.31; billing's admits 1.33.
        let chart = find(&json, "chart-kube-version", "HelmRelease", "shop").expect("shop's chart");
        let message = chart["message"].as_str().unwrap();
        assert!(
            message.contains("kubeVersion \">=1.16.0-0 <1.31.0-0\"") && message.contains("1.33"),
            "{message}"
        );
        assert!(
            chart["fix"]
                .as_str()
                .unwrap()
                .starts_with("upgrade the release to a chart version")
        );
        assert!(find(&json, "chart-kube-version", "HelmRelease", "billing").is_none());

        // The corrupt record is skipped with its reason; the rest is read.
        let skipped = json["skipped"].as_array().unwrap();
        assert!(
            skipped.iter().any(|s| {
                let reason = s["reason"].as_str().unwrap();
                reason.contains("sh.helm.release.v1.broken.v1") && reason.contains("is not base64")
            }),
            "{skipped:?}"
        );

        // Last applied: the served versions are current, what the pipeline applies is not.
        let web = findings(&json)
            .iter()
            .find(|f| {
                f["object"]["kind"] == "Deployment"
                    && f["object"]["name"] == "web"
                    && f["rule"] == "removed-api"
            })
            .expect("web as last applied");
        assert_eq!(web["last_applied"], true);
        let message = web["message"].as_str().unwrap();
        assert!(
            message.starts_with(
                "extensions/v1beta1 Deployment is removed in Kubernetes 1.16, as last applied"
            ),
            "{message}"
        );
        assert!(find(&json, "removed-api", "HorizontalPodAutoscaler", "web").is_some());
        assert!(
            find(&json, "removed-api", "CronJob", "report").is_none(),
            "applied as served"
        );

        // Evidence counts them like file findings, and says where they came from.
        let apis = &json["evidence"]["deprecated_apis"];
        assert_eq!(apis["answer"], "not-remediated");
        assert_eq!(apis["counts"]["removed"], 4);
        assert_eq!(apis["counts"]["removed_in_helm_releases"], 2);
        assert_eq!(apis["counts"]["removed_as_last_applied"], 2);
        assert_eq!(apis["counts"]["removed_in_files"], 0);
        assert!(
            apis["detail"]
                .as_str()
                .unwrap()
                .contains("(2 in deployed Helm releases, 2 as last applied)"),
            "{apis}"
        );
        assert_eq!(
            json["warnings"],
            json!([]),
            "1.33 is within the data's coverage"
        );

        // The report names the template and the release.
        advisor()
            .args(["scan", &helm, &live, "--target", "1.33", "-f", "markdown"])
            .assert()
            .success()
            .stdout(contains("shop/templates/ingress.yaml"))
            .stdout(contains("helm: shop/shop rev 2, chart shop-1.2.2"))
            .stdout(contains("chart-kube-version"));
    }

    #[test]
    fn a_chart_that_admits_the_target_is_no_finding() {
        let dir = tempfile::tempdir().unwrap();
        let (helm, _) = write_dumps(dir.path());
        let json = json_of(["scan", &helm, "--target", "1.30", "-f", "json"]);
        assert!(find(&json, "chart-kube-version", "HelmRelease", "shop").is_none());
        assert!(find(&json, "removed-api", "CronJob", "invoices").is_some());
    }

    /// `assess --manifests helm.json live.json` answers deprecated_apis from what is deployed.
    #[test]
    fn assess_uses_what_is_deployed() {
        let dir = tempfile::tempdir().unwrap();
        let (helm, live) = write_dumps(dir.path());
        let answers = case_study_with("deprecated_apis: partly", "deprecated_apis: remediated");
        let json = json_with_stdin(
            [
                "assess",
                "-a",
                "-",
                "-f",
                "json",
                "--manifests",
                &helm,
                &live,
            ],
            &answers,
        );
        assert_eq!(json["answers"]["deprecated_apis"], "not-remediated");
        let apis = json["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["question"] == "deprecated_apis")
            .unwrap();
        assert_eq!(apis["outcome"], "overruled");
        assert!(
            apis["detail"]
                .as_str()
                .unwrap()
                .contains("2 in deployed Helm releases")
        );
    }

    const CRDS: &str = "# cert-manager removed its alpha and beta APIs in 1.6.\nsource: cert-manager upgrade notes\nremovals:\n  - removed_in: \"1.33\"\n    api_versions: [cert-manager.io/v1alpha2, cert-manager.io/v1beta1]\n    kinds: [Certificate, Issuer, ClusterIssuer]\n    replacement: cert-manager.io/v1\n    component: cert-manager\n";

    #[test]
    fn api_data_adds_crd_removals() {
        let dir = tempfile::tempdir().unwrap();
        let crds = dir.path().join("crds.yaml");
        std::fs::write(&crds, CRDS).unwrap();
        let crds = crds.to_str().unwrap();
        let manifest = "apiVersion: cert-manager.io/v1alpha2\nkind: Certificate\nmetadata:\n  name: shop-tls\n  namespace: shop\n";
        let json = json_with_stdin(
            [
                "scan",
                "-",
                "--target",
                "1.33",
                "-f",
                "json",
                "--api-data",
                crds,
            ],
            manifest,
        );
        let certificate =
            find(&json, "removed-api", "Certificate", "shop-tls").expect("the CRD removal");
        let message = certificate["message"].as_str().unwrap();
        assert!(
            message.contains("cert-manager") && message.contains(crds),
            "{message}"
        );
        assert_eq!(certificate["fix"], "use cert-manager.io/v1 for Certificate");
        assert_eq!(json["api_data"], json!([crds]));
        // Without the file the built-in data knows nothing of it.
        let plain = json_with_stdin(["scan", "-", "--target", "1.33", "-f", "json"], manifest);
        assert!(findings(&plain).is_empty());
        // assess takes it alongside --manifests.
        let manifests = dir.path().join("cert.yaml");
        std::fs::write(&manifests, manifest).unwrap();
        let answers = case_study_with("deprecated_apis: partly", "deprecated_apis: remediated");
        let json = json_with_stdin(
            [
                "assess",
                "-a",
                "-",
                "-f",
                "json",
                "--manifests",
                manifests.to_str().unwrap(),
                "--api-data",
                crds,
            ],
            &answers,
        );
        assert_eq!(json["answers"]["deprecated_apis"], "not-remediated");
    }

    #[test]
    fn a_bad_api_data_file_exits_2_with_file_line_and_fix() {
        let dir = tempfile::tempdir().unwrap();
        let crds = dir.path().join("crds.yaml");
        std::fs::write(&crds, CRDS.replace("\"1.33\"", "someday")).unwrap();
        let place = format!("{}:4: removals[0]: removed_in:", crds.display());
        advisor()
            .args(["scan", "tests/fixtures/manifests", "--api-data"])
            .arg(&crds)
            .assert()
            .code(2)
            .stdout("")
            .stderr(contains(place.as_str()))
            .stderr(contains("fix: give the Kubernetes release"));
        advisor()
            .args([
                "assess",
                "-a",
                crate::common::CASE_STUDY,
                "--manifests",
                "tests/fixtures/manifests",
                "--api-data",
            ])
            .arg(&crds)
            .assert()
            .code(2)
            .stderr(contains(place.as_str()));
        advisor()
            .args([
                "scan",
                "tests/fixtures/manifests",
                "--api-data",
                "no-such-file.yaml",
            ])
            .assert()
            .code(2)
            .stderr(contains(
                "cannot open the API data file `no-such-file.yaml`",
            ));
    }

    /// A target newer than the data warns in every format, and in assess.
    #[test]
    fn a_target_beyond_the_data_warns_everywhere() {
        let warning = "the removed-API data covers Kubernetes releases up to 1.36; removals in 1.37 are not known to this version";
        let args = |format: &'static str| {
            [
                "scan",
                "tests/fixtures/manifests",
                "--target",
                "1.37",
                "-f",
                format,
            ]
        };
        let json = json_of(args("json"));
        assert_eq!(json["warnings"][0]["kind"], "api-data-coverage");
        assert!(
            json["warnings"][0]["message"]
                .as_str()
                .unwrap()
                .starts_with(warning)
        );
        assert_eq!(json["api_covers_up_to"], "1.36");
        // The table wraps prose to the terminal width; compare words, not line breaks.
        let table = advisor().args(args("table")).output().unwrap();
        let words = String::from_utf8(table.stdout)
            .unwrap()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert!(words.contains(&format!("Warning: {warning}")), "{words}");
        advisor()
            .args(args("markdown"))
            .assert()
            .success()
            .stdout(contains(format!("> **Warning:** {warning}")));
        advisor()
            .args(args("yaml"))
            .assert()
            .success()
            .stdout(contains("kind: api-data-coverage"));
        let sarif = json_of(args("sarif"));
        let run = &sarif["runs"][0];
        let notification = &run["invocations"][0]["toolConfigurationNotifications"][0];
        assert_eq!(notification["level"], "warning");
        assert!(
            notification["message"]["text"]
                .as_str()
                .unwrap()
                .starts_with(warning)
        );
        assert_eq!(run["invocations"][0]["executionSuccessful"], true);
        assert!(
            run["properties"]["warnings"][0]
                .as_str()
                .unwrap()
                .starts_with(warning)
        );

        let answers = case_study_with("target_version: \"1.33\"", "target_version: \"1.37\"");
        let json = json_with_stdin(
            [
                "assess",
                "-a",
                "-",
                "-f",
                "json",
                "--manifests",
                "tests/fixtures/manifests",
            ],
            &answers,
        );
        let coverage = json["support_warnings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|w| w["kind"] == "api-data-coverage")
            .expect("the coverage warning in assess");
        assert!(coverage["message"].as_str().unwrap().contains(warning));
        advisor()
            .args([
                "assess",
                "-a",
                "-",
                "-f",
                "markdown",
                "--manifests",
                "tests/fixtures/manifests",
            ])
            .write_stdin(answers)
            .assert()
            .success()
            .stdout(contains("removals in 1.37 are not known"));
        // Within the coverage there is no warning.
        let json = json_of([
            "scan",
            "tests/fixtures/manifests",
            "--target",
            "1.36",
            "-f",
            "json",
        ]);
        assert_eq!(json["warnings"], json!([]));
    }

    #[test]
    fn the_version_names_the_data_coverage() {
        advisor()
            .arg("--version")
            .assert()
            .success()
            .stdout(contains(
                "removed-API data up to Kubernetes 1.36 (kubernetes/website",
            ));
    }
}

/// One dump, three layouts: the objects a cluster dump holds give the same findings whether
/// each is its own file, all are documents of one file (`helm template`), or all are items of
/// one `kind: List` (`kubectl get -o yaml`), with PodDisruptionBudgets, autoscalers and their
/// workloads paired across documents; and in one file each finding points at its own object's
/// `name:` line, even when names repeat across kinds and containers share them.
mod layouts {
    use proptest::prelude::*;
    use upgrade_advisor::scan::model::{Finding, ScanOptions, SourceFile};
    use upgrade_advisor::scan::scan;

    #[derive(Debug, Clone)]
    enum Object {
        Workload {
            stateful: bool,
            app: usize,
            replicas: u8,
            probes: bool,
        },
        Pdb {
            app: usize,
            budget: usize,
            beta: bool,
        },
        Hpa {
            target: usize,
            min: u8,
        },
        Ingress {
            old: bool,
        },
        Service,
    }

    const NAMES: [&str; 4] = ["web", "web-1", "api", "db"];
    const NAMESPACES: [&str; 2] = ["shop", "pay"];
    const BUDGETS: [&str; 4] = [
        "maxUnavailable: 1",
        "maxUnavailable: 0",
        "minAvailable: 2",
        "minAvailable: 100%",
    ];

    fn object() -> impl Strategy<Value = Object> {
        prop_oneof![
            (any::<bool>(), 0..3usize, 1..4u8, any::<bool>()).prop_map(
                |(stateful, app, replicas, probes)| Object::Workload {
                    stateful,
                    app,
                    replicas,
                    probes
                }
            ),
            (0..3usize, 0..4usize, any::<bool>()).prop_map(|(app, budget, beta)| Object::Pdb {
                app,
                budget,
                beta
            }),
            (0..4usize, 1..4u8).prop_map(|(target, min)| Object::Hpa { target, min }),
            any::<bool>().prop_map(|old| Object::Ingress { old }),
            Just(Object::Service),
        ]
    }

    /// The object's lines, and which of them (0-based) holds its name.
    fn lines(object: &Object, name: &str, namespace: &str) -> (Vec<String>, usize) {
        let (api, kind) = match object {
            Object::Workload { stateful: true, .. } => ("apps/v1", "StatefulSet"),
            Object::Workload { .. } => ("apps/v1", "Deployment"),
            Object::Pdb { beta: true, .. } => ("policy/v1beta1", "PodDisruptionBudget"),
            Object::Pdb { .. } => ("policy/v1", "PodDisruptionBudget"),
            Object::Hpa { .. } => ("autoscaling/v2", "HorizontalPodAutoscaler"),
            Object::Ingress { old: true } => ("networking.k8s.io/v1beta1", "Ingress"),
            Object::Ingress { .. } => ("networking.k8s.io/v1", "Ingress"),
            Object::Service => ("v1", "Service"),
        };
        let mut out = vec![
            format!("apiVersion: {api}"),
            format!("kind: {kind}"),
            "metadata:".to_string(),
            format!("  name: {name}"),
            format!("  namespace: {namespace}"),
        ];
        let app = |i: usize| NAMES[i];
        match object {
            Object::Workload {
                app: a,
                replicas,
                probes,
                ..
            } => {
                out.extend([
                    "spec:".to_string(),
                    format!("  replicas: {replicas}"),
                    "  template:".to_string(),
                    "    metadata:".to_string(),
                    format!("      labels: {{app: {}}}", app(*a)),
                    "    spec:".to_string(),
                    "      containers:".to_string(),
                    // Containers named like objects, as they often are.
                    format!("      - name: {}", app(*a)),
                ]);
                if *probes {
                    out.push("        readinessProbe: {tcpSocket: {port: 80}}".to_string());
                }
            }
            Object::Pdb { app: a, budget, .. } => out.extend([
                "spec:".to_string(),
                format!("  {}", BUDGETS[*budget]),
                format!("  selector: {{matchLabels: {{app: {}}}}}", app(*a)),
            ]),
            Object::Hpa { target, min } => out.extend([
                "spec:".to_string(),
                format!("  minReplicas: {min}"),
                "  scaleTargetRef:".to_string(),
                "    kind: Deployment".to_string(),
                format!("    name: {}", NAMES[*target]),
            ]),
            Object::Ingress { .. } | Object::Service => {}
        }
        (out, 3)
    }

    fn findings(files: &[SourceFile]) -> Vec<Finding> {
        let report = scan(
            files,
            Vec::new(),
            ScanOptions {
                target: "1.33".parse().unwrap(),
                current: None,
            },
        );
        assert_eq!(report.skipped, []);
        report.findings
    }

    /// Findings without their place, sorted.
    fn what(findings: &[Finding]) -> Vec<String> {
        let mut out: Vec<String> = findings
            .iter()
            .map(|f| format!("{:?} {} {:?} {}", f.rule, f.object, f.container, f.message))
            .collect();
        out.sort();
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn every_layout_gives_the_same_findings_at_each_objects_own_line(
            picked in proptest::collection::vec((object(), 0..4usize, 0..2usize), 1..40)
        ) {
            // One object per kind, namespace and name.
            let mut seen = std::collections::HashSet::new();
            let objects: Vec<(Vec<String>, usize, String)> = picked
                .iter()
                .filter_map(|(object, name, namespace)| {
                    let (lines, at) = lines(object, NAMES[*name], NAMESPACES[*namespace]);
                    let key = format!("{} {}/{}", lines[1], NAMESPACES[*namespace], NAMES[*name]);
                    seen.insert(key.clone()).then_some((lines, at, key))
                })
                .collect();

            let spread: Vec<SourceFile> = objects
                .iter()
                .enumerate()
                .map(|(i, (lines, _, _))| SourceFile {
                    path: format!("m{i}.yaml"),
                    raw_path: None,
                    text: lines.join("\n") + "\n",
                })
                .collect();

            // One file of documents; and one List, kubectl's way, with where each name is.
            let (mut one, mut list) = (String::new(), String::from("apiVersion: v1\nkind: List\nitems:\n"));
            let (mut one_lines, mut list_lines) = (Vec::new(), Vec::new());
            for (i, (lines, at, key)) in objects.iter().enumerate() {
                if i > 0 {
                    one.push_str("---\n");
                }
                one_lines.push((key.clone(), one.lines().count() + at + 1));
                list_lines.push((key.clone(), list.lines().count() + at + 1));
                for line in lines {
                    one.push_str(line);
                    one.push('\n');
                }
                for (j, line) in lines.iter().enumerate() {
                    list.push_str(if j == 0 { "- " } else { "  " });
                    list.push_str(line);
                    list.push('\n');
                }
            }
            list.push_str("metadata:\n  resourceVersion: \"\"\n");

            let spread = findings(&spread);
            for (path, text, expected) in [("all.yaml", one, one_lines), ("dump.yaml", list, list_lines)] {
                let found = findings(&[SourceFile { path: path.to_string(), raw_path: None, text }]);
                prop_assert_eq!(what(&found), what(&spread));
                for finding in &found {
                    let key = format!(
                        "kind: {} {}/{}",
                        finding.object.kind, finding.object.namespace, finding.object.name
                    );
                    let line = expected.iter().find(|(k, _)| *k == key).map(|(_, l)| *l);
                    prop_assert_eq!(Some(finding.line), line, "{} in {}", key, path);
                }
            }
        }
    }
}

/// `scan --fail-on LEVEL`: exit 5 when something breaks at the target, 6 for an upcoming
/// removal, 7 for a readiness risk, each level including the ones above it; the result is
/// written all the same, and one line on standard error says what was checked.
#[test]
fn fail_on_gives_each_class_of_finding_its_exit_code() {
    let removed = "apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: web\n  namespace: shop\n";
    let upcoming = "apiVersion: flowcontrol.apiserver.k8s.io/v1beta3\nkind: FlowSchema\nmetadata:\n  name: fs\n";
    let risk = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  namespace: shop\nspec:\n  replicas: 1\n  template:\n    spec:\n      containers:\n        - name: api\n          image: api:1\n";
    let cases: [(&str, &str, [i32; 4]); 3] = [
        // fail-on: none, removed, upcoming, risk
        (removed, "1.33", [0, 5, 5, 5]),
        (upcoming, "1.30", [0, 0, 6, 6]),
        (risk, "1.33", [0, 0, 0, 7]),
    ];
    for (manifest, target, codes) in cases {
        for (level, code) in [None, Some("removed"), Some("upcoming"), Some("risk")]
            .into_iter()
            .zip(codes)
        {
            let mut args = vec!["scan", "-", "--target", target, "--format", "json"];
            if let Some(level) = level {
                args.extend(["--fail-on", level]);
            }
            let out = advisor()
                .args(&args)
                .write_stdin(manifest)
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(code), "{args:?} on\n{manifest}");
            let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            assert!(
                json["findings"].is_array(),
                "the result is written: {args:?}"
            );
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                stderr.starts_with("Scanned 1 object against Kubernetes"),
                "{stderr}"
            );
            if let Some(level) = level {
                assert!(
                    stderr.contains(&format!("--fail-on {level}: exit {code}")),
                    "{stderr}"
                );
            }
        }
    }
    // --quiet: no summary.
    advisor()
        .args(["scan", "-", "--quiet", "--fail-on", "removed"])
        .write_stdin(removed)
        .assert()
        .code(5)
        .stderr("");
}

/// An API with no replacement says so instead of "use none: ...", and an upcoming removal is
/// not said to have happened.
#[test]
fn removals_without_a_replacement_and_upcoming_ones_read_right() {
    let psp = "apiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata:\n  name: p\n";
    let json = json_with_stdin(["scan", "-", "--target", "1.33", "-f", "json"], psp);
    let finding = &json["findings"][0];
    assert_eq!(finding["rule"], "removed-api");
    assert_eq!(
        finding["fix"],
        "no API replaces PodSecurityPolicy: use Pod Security Admission or a policy webhook"
    );
    let flow = "apiVersion: flowcontrol.apiserver.k8s.io/v1beta3\nkind: FlowSchema\nmetadata:\n  name: fs\n";
    let json = json_with_stdin(["scan", "-", "--target", "1.30", "-f", "json"], flow);
    let message = json["findings"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("is removed in Kubernetes 1.32"),
        "{message}"
    );
}

/// A chart's templates are not manifests: the scan says so and how to render them.
#[test]
fn a_chart_folder_is_told_to_render_first() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("templates");
    std::fs::create_dir(&templates).unwrap();
    std::fs::write(
        templates.join("deployment.yaml"),
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n  labels:\n    {{- include \"labels\" . | nindent 4 }}\n",
    )
    .unwrap();
    advisor()
        .arg("scan")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(contains("looks like a Helm template"))
        .stderr(contains(
            "helm template RELEASE CHART | upgrade-advisor scan -",
        ));
}
