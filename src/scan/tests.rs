//! The scanner on small fixtures, one behaviour each.

use std::collections::BTreeMap;

use super::lines::{LineCursor, holds_name, item_starts};
use super::objects::{metadata_name, object_of};
use super::read::for_each_value;
use super::rules::Rule;
use super::*;
use super::{helm, prune};

fn file(path: &str, text: &str) -> SourceFile {
    SourceFile {
        path: path.to_string(),
        raw_path: None,
        text: text.to_string(),
    }
}

fn run(text: &str, target: &str) -> ScanReport {
    scan(
        &[file("m.yaml", text)],
        Vec::new(),
        ScanOptions {
            target: target.parse().unwrap(),
            current: None,
        },
    )
}

fn rules(report: &ScanReport) -> Vec<(Rule, String)> {
    report
        .findings
        .iter()
        .map(|f| (f.rule, f.object.name.clone()))
        .collect()
}

fn has(report: &ScanReport, rule: Rule, name: &str) -> bool {
    report
        .findings
        .iter()
        .any(|f| f.rule == rule && f.object.name == name)
}

fn deployment(name: &str, namespace: &str, replicas: u32, labels: &str, probes: bool) -> String {
    let probes = if probes {
        "\n          readinessProbe: { httpGet: { path: /ready, port: 8080 } }\n          livenessProbe: { httpGet: { path: /live, port: 8080 } }"
    } else {
        ""
    };
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\n  namespace: {namespace}\nspec:\n  replicas: {replicas}\n  selector:\n    matchLabels: {labels}\n  template:\n    metadata:\n      labels: {labels}\n    spec:\n      containers:\n        - name: app\n          image: app:1{probes}\n"
    )
}

fn pdb(name: &str, namespace: &str, api: &str, selector: &str, budget: &str) -> String {
    format!(
        "apiVersion: {api}\nkind: PodDisruptionBudget\nmetadata:\n  name: {name}\n  namespace: {namespace}\nspec:\n  {budget}\n  selector: {selector}\n"
    )
}

#[test]
fn removed_apis_at_before_and_after_the_target() {
    let text = "apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: old-ingress\n---\napiVersion: batch/v1beta1\nkind: CronJob\nmetadata:\n  name: nightly\n---\napiVersion: flowcontrol.apiserver.k8s.io/v1beta3\nkind: FlowSchema\nmetadata:\n  name: fs\n---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: new-ingress\n";
    let report = run(text, "1.25");
    assert!(
        has(&report, Rule::RemovedApi, "old-ingress"),
        "removed before the target"
    );
    assert!(
        has(&report, Rule::RemovedApi, "nightly"),
        "removed at the target"
    );
    assert!(
        has(&report, Rule::UpcomingRemoval, "fs"),
        "removed after the target: upcoming"
    );
    assert!(
        !report
            .findings
            .iter()
            .any(|f| f.object.name == "new-ingress")
    );
    let old = report
        .findings
        .iter()
        .find(|f| f.object.name == "old-ingress")
        .unwrap();
    assert_eq!(old.line, 4, "the line of the object's name");
    assert_eq!(old.document, 0);
    assert!(old.fix.contains("networking.k8s.io/v1"));
    assert_eq!(
        report
            .findings
            .iter()
            .find(|f| f.object.name == "fs")
            .unwrap()
            .document,
        2
    );
}

#[test]
fn kubectl_list_dumps_and_empty_documents() {
    let text = "---\n---\napiVersion: v1\nkind: List\nitems:\n  - apiVersion: policy/v1beta1\n    kind: PodDisruptionBudget\n    metadata: { name: a, namespace: x }\n    spec: { maxUnavailable: 1, selector: { matchLabels: { app: a } } }\n  - apiVersion: autoscaling/v2beta2\n    kind: HorizontalPodAutoscaler\n    metadata: { name: h, namespace: x }\n    spec: { scaleTargetRef: { kind: Deployment, name: a }, minReplicas: 2 }\n---\n\n";
    let report = run(text, "1.33");
    assert_eq!(report.documents.read, 2);
    assert_eq!(report.documents.skipped, 0);
    assert!(has(&report, Rule::RemovedApi, "a"));
    assert!(has(&report, Rule::RemovedApi, "h"));
    assert!(has(&report, Rule::Hpa, "h"));
}

#[test]
fn pdb_selectors_match_labels_and_expressions_in_the_same_namespace() {
    let docs = [
        deployment("covered", "shop", 3, "{ app: web, tier: front }", true),
        pdb(
            "web",
            "shop",
            "policy/v1",
            "{ matchLabels: { app: web } }",
            "maxUnavailable: 1",
        ),
        deployment("by-in", "shop", 2, "{ app: api }", true),
        deployment(
            "by-notin",
            "shop",
            2,
            "{ app: worker, track: stable }",
            true,
        ),
        deployment("by-exists", "shop", 2, "{ app: cache, tier: data }", true),
        pdb(
            "exprs-in",
            "shop",
            "policy/v1",
            "{ matchExpressions: [{ key: app, operator: In, values: [api] }] }",
            "maxUnavailable: 1",
        ),
        pdb(
            "exprs-notin",
            "shop",
            "policy/v1",
            "{ matchLabels: { app: worker }, matchExpressions: [{ key: track, operator: NotIn, values: [canary] }] }",
            "maxUnavailable: 1",
        ),
        pdb(
            "exprs-exists",
            "shop",
            "policy/v1",
            "{ matchExpressions: [{ key: tier, operator: Exists }, { key: app, operator: In, values: [cache] }] }",
            "maxUnavailable: 1",
        ),
        // Same labels, other namespace: does not cover `elsewhere`.
        deployment("elsewhere", "billing", 2, "{ app: web }", true),
        deployment("uncovered", "shop", 2, "{ app: lonely }", true),
    ];
    let report = run(&docs.join("---\n"), "1.33");
    for covered in ["covered", "by-in", "by-notin", "by-exists"] {
        assert!(
            !has(&report, Rule::NoPdb, covered),
            "{covered} is covered: {:?}",
            rules(&report)
        );
    }
    assert!(
        has(&report, Rule::NoPdb, "elsewhere"),
        "a PDB in another namespace does not count"
    );
    assert!(has(&report, Rule::NoPdb, "uncovered"));
}

#[test]
fn an_empty_selector_covers_everything_in_policy_v1_and_nothing_in_v1beta1() {
    let v1 = [
        deployment("a", "ns", 2, "{ app: a }", true),
        pdb("all", "ns", "policy/v1", "{}", "maxUnavailable: 1"),
    ];
    assert!(!has(&run(&v1.join("---\n"), "1.33"), Rule::NoPdb, "a"));
    let beta = [
        deployment("a", "ns", 2, "{ app: a }", true),
        pdb("all", "ns", "policy/v1beta1", "{}", "maxUnavailable: 1"),
    ];
    assert!(has(&run(&beta.join("---\n"), "1.22"), Rule::NoPdb, "a"));
}

#[test]
fn budgets_that_allow_no_disruption_are_found() {
    let docs = [
        deployment("db", "ns", 3, "{ app: db }", true),
        pdb(
            "strict",
            "ns",
            "policy/v1",
            "{ matchLabels: { app: db } }",
            "minAvailable: 3",
        ),
        deployment("cache", "ns", 2, "{ app: cache }", true),
        pdb(
            "zero",
            "ns",
            "policy/v1",
            "{ matchLabels: { app: cache } }",
            "maxUnavailable: 0",
        ),
        deployment("ok", "ns", 3, "{ app: ok }", true),
        pdb(
            "fine",
            "ns",
            "policy/v1",
            "{ matchLabels: { app: ok } }",
            "minAvailable: 2",
        ),
    ];
    let report = run(&docs.join("---\n"), "1.33");
    assert!(has(&report, Rule::PdbBlocksEviction, "strict"));
    assert!(has(&report, Rule::PdbBlocksEviction, "zero"));
    assert!(!has(&report, Rule::PdbBlocksEviction, "fine"));
    let strict = report
        .findings
        .iter()
        .find(|f| f.object.name == "strict")
        .unwrap();
    assert_eq!(strict.object.kind, "PodDisruptionBudget");
    assert!(
        strict.message.contains("Deployment db"),
        "{}",
        strict.message
    );
}

#[test]
fn replicas_probes_and_state() {
    let statefulset = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: { name: pg, namespace: ns }\nspec:\n  replicas: 1\n  template:\n    metadata: { labels: { app: pg } }\n    spec:\n      containers: [{ name: pg, image: postgres }]\n  volumeClaimTemplates: [{ metadata: { name: data } }]\n";
    let with_pvc = "apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: files, namespace: ns }\nspec:\n  replicas: 1\n  template:\n    metadata: { labels: { app: files } }\n    spec:\n      containers: [{ name: f, image: f, readinessProbe: {}, livenessProbe: {} }]\n      volumes: [{ name: d, persistentVolumeClaim: { claimName: files-data } }]\n";
    let docs = [
        deployment("bare", "ns", 1, "{ app: bare }", false),
        statefulset.to_string(),
        with_pvc.to_string(),
    ];
    let report = run(&docs.join("---\n"), "1.33");
    assert!(has(&report, Rule::SingleReplica, "bare"));
    assert!(has(&report, Rule::NoReadinessProbe, "bare"));
    assert!(has(&report, Rule::NoLivenessProbe, "bare"));
    assert!(has(&report, Rule::Stateful, "pg"));
    assert!(has(&report, Rule::Stateful, "files"));
    assert!(!has(&report, Rule::NoReadinessProbe, "files"));
    let evidence = &report.evidence;
    assert_eq!(
        evidence.stateful_workloads.as_ref().unwrap().answer,
        "many",
        "2 of 3 workloads keep state"
    );
    assert_eq!(evidence.pod_autoscaling.as_ref().unwrap().answer, "no");
}

#[test]
fn an_autoscaler_minimum_decides_the_replica_count() {
    let hpa = "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: { name: web, namespace: ns }\nspec:\n  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }\n  minReplicas: 3\n  maxReplicas: 10\n";
    let docs = [
        deployment("web", "ns", 1, "{ app: web }", true),
        hpa.to_string(),
    ];
    let report = run(&docs.join("---\n"), "1.33");
    assert!(!has(&report, Rule::SingleReplica, "web"));
    assert!(
        has(&report, Rule::NoPdb, "web"),
        "three replicas from the HPA need a budget"
    );
    assert_eq!(
        report.evidence.pod_autoscaling.as_ref().unwrap().answer,
        "yes"
    );
}

#[test]
fn evidence_for_disruption_readiness_carries_its_counts() {
    let docs = [
        deployment("a", "ns", 2, "{ app: a }", true),
        pdb(
            "a",
            "ns",
            "policy/v1",
            "{ matchLabels: { app: a } }",
            "maxUnavailable: 1",
        ),
        deployment("b", "ns", 2, "{ app: b }", true),
    ];
    let report = run(&docs.join("---\n"), "1.33");
    let e = report.evidence.pdbs_and_probes.unwrap();
    assert_eq!(e.answer, "partly");
    assert_eq!(e.counts["without_pdb"], 1);
    assert_eq!(e.counts["multi_replica_workloads"], 2);
    assert!(
        e.detail
            .starts_with("1 of 2 multi-replica workloads lack a PodDisruptionBudget"),
        "{}",
        e.detail
    );
    assert_eq!(
        report.evidence.deprecated_apis.unwrap().answer,
        "remediated"
    );
}

#[test]
fn bad_documents_are_skipped_with_a_reason_and_the_rest_is_read() {
    let files = [
        file("good.yaml", &deployment("ok", "ns", 2, "{ app: ok }", true)),
        file("no-kind.yaml", "metadata:\n  name: x\n---\n- a list\n"),
        file("broken.yaml", "apiVersion: v1\nkind: [unclosed\n"),
    ];
    let report = scan(
        &files,
        Vec::new(),
        ScanOptions {
            target: "1.33".parse().unwrap(),
            current: None,
        },
    );
    assert_eq!(report.documents.read, 1);
    let reasons: Vec<(&str, &str)> = report
        .skipped
        .iter()
        .map(|s| (s.path.as_str(), s.reason.as_str()))
        .collect();
    assert_eq!(reasons.len(), 3, "{reasons:?}");
    assert!(
        reasons
            .iter()
            .any(|(p, r)| *p == "no-kind.yaml" && r.contains("no apiVersion or kind"))
    );
    assert!(
        reasons
            .iter()
            .any(|(p, r)| *p == "no-kind.yaml" && r.contains("not a mapping"))
    );
    assert!(
        reasons
            .iter()
            .any(|(p, r)| *p == "broken.yaml" && r.starts_with("not valid YAML"))
    );
}

/// A Helm release record as `kubectl get secrets -o yaml` shows it.
fn helm_secret(name: &str, revision: u64, status: &str, manifest: &str) -> String {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;
    use std::io::Write;
    let release = serde_json::json!({
        "name": name, "namespace": "apps", "version": revision,
        "info": { "status": status },
        "chart": { "metadata": { "name": name, "version": format!("0.{revision}.0") } },
        "manifest": manifest,
    });
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(release.to_string().as_bytes()).unwrap();
    let helm = STANDARD.encode(gz.finish().unwrap());
    format!(
        "apiVersion: v1\nkind: Secret\ntype: helm.sh/release.v1\nmetadata:\n  name: sh.helm.release.v1.{name}.v{revision}\n  namespace: apps\n  labels: {{owner: helm, status: {status}}}\ndata:\n  release: {}\n",
        STANDARD.encode(helm)
    )
}

fn ingress_manifest(name: &str, api: &str) -> String {
    format!(
        "---\n# Source: {name}/templates/ingress.yaml\napiVersion: {api}\nkind: Ingress\nmetadata:\n  name: {name}\n"
    )
}

#[test]
fn the_newest_deployed_revision_is_scanned_whatever_the_order() {
    let old = ingress_manifest("web", "extensions/v1beta1");
    let new = ingress_manifest("web", "networking.k8s.io/v1beta1");
    // Helm can leave two revisions marked deployed after an interrupted upgrade.
    let text = [
        helm_secret("web", 3, "deployed", &new),
        helm_secret("web", 1, "superseded", &old),
        helm_secret("web", 2, "deployed", &old),
        helm_secret("web", 4, "failed", &old),
    ]
    .join("---\n");
    let report = run(&text, "1.33");
    assert_eq!(report.documents.read, 1, "one release, one object");
    let finding = &report.findings[0];
    assert_eq!(finding.rule, Rule::RemovedApi);
    assert!(
        finding
            .message
            .starts_with("networking.k8s.io/v1beta1 Ingress")
    );
    let helm = finding.helm.as_ref().unwrap();
    assert_eq!(helm.revision, 3);
    assert_eq!(helm.chart, "web-0.3.0");
    assert_eq!(helm.template.as_deref(), Some("web/templates/ingress.yaml"));
    assert_eq!(finding.object.namespace, "apps");
    assert_eq!(finding.document, 0, "the record's document");
    assert_eq!(finding.line, 5, "the record's name line");
    assert_eq!(
        finding.place(),
        "web/templates/ingress.yaml (m.yaml:5)",
        "the template, then the dump"
    );
}

#[test]
fn a_release_without_a_deployed_revision_is_skipped_with_why() {
    let text = [
        helm_secret(
            "api",
            1,
            "superseded",
            &ingress_manifest("api", "extensions/v1beta1"),
        ),
        helm_secret(
            "api",
            2,
            "failed",
            &ingress_manifest("api", "extensions/v1beta1"),
        ),
        deployment("other", "apps", 2, "{ app: other }", true),
    ]
    .join("---\n");
    let report = run(&text, "1.33");
    assert!(report.findings.iter().all(|f| f.object.name != "api"));
    assert_eq!(report.skipped.len(), 1);
    assert_eq!(
        report.skipped[0].reason,
        "Helm release apps/api has no deployed revision (the newest, rev 2, is failed); nothing of it runs to scan"
    );
}

#[test]
fn last_applied_configurations_are_read_leniently() {
    let with = |annotation: &str| {
        format!(
            "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: pdb\n  annotations:\n    kubectl.kubernetes.io/last-applied-configuration: '{annotation}'\nspec:\n  maxUnavailable: 1\n"
        )
    };
    let applied = |report: &ScanReport| report.findings.iter().filter(|f| f.last_applied).count();
    // No kind in the configuration: the object's own kind.
    let report = run(&with(r#"{"apiVersion":"policy/v1beta1"}"#), "1.33");
    assert_eq!(applied(&report), 1);
    assert!(report.findings[0].message.contains("as last applied"));
    assert_eq!(
        report.evidence.deprecated_apis.unwrap().answer,
        "not-remediated"
    );
    // Before the removal it is upcoming, like any other use of the API.
    let report = run(&with(r#"{"apiVersion":"policy/v1beta1"}"#), "1.24");
    assert_eq!(report.findings[0].rule, Rule::UpcomingRemoval);
    // Garbage, or the version the object is served at: nothing to say.
    assert_eq!(applied(&run(&with("not json"), "1.33")), 0);
    assert_eq!(
        applied(&run(&with(r#"{"apiVersion":"policy/v1"}"#), "1.33")),
        0
    );
}

#[test]
fn a_hostile_release_manifest_is_skipped_like_a_hostile_file() {
    let deep = format!("---\nkind: [{}]\n", "[".repeat(100));
    let report = run(&helm_secret("deep", 1, "deployed", &deep), "1.33");
    assert_eq!(report.documents.read, 0);
    assert!(
        report.skipped[0].reason.starts_with(
            "helm: apps/deep rev 1, chart deep-0.1.0: the manifest is not YAML to scan"
        ),
        "{:?}",
        report.skipped
    );
    let broken = run(
        &helm_secret("broken", 1, "deployed", "kind: [unclosed\n"),
        "1.33",
    );
    assert!(
        broken.skipped[0].reason.contains("not valid YAML"),
        "{:?}",
        broken.skipped
    );
}

#[test]
fn a_live_object_helm_manages_is_judged_once() {
    let manifest = format!(
        "{}---\n# Source: shop/templates/deployment.yaml\n{}",
        ingress_manifest("shop", "extensions/v1beta1"),
        deployment("shop", "apps", 1, "{ app: shop }", false)
    );
    let live = |annotated: bool| {
        let text = deployment("shop", "apps", 2, "{ app: shop }", true);
        if annotated {
            text.replace(
                "  namespace: apps\n",
                "  namespace: apps\n  annotations:\n    meta.helm.sh/release-name: shop\n    meta.helm.sh/release-namespace: apps\n",
            )
        } else {
            text
        }
    };
    let text = |annotated: bool| {
        [
            helm_secret("shop", 1, "deployed", &manifest),
            live(annotated),
        ]
        .join("---\n")
    };
    let report = run(&text(true), "1.33");
    assert_eq!(
        report.documents.read, 2,
        "the ingress and the live deployment"
    );
    assert!(
        has(&report, Rule::RemovedApi, "shop"),
        "the release's ingress"
    );
    assert!(
        !has(&report, Rule::SingleReplica, "shop") && !has(&report, Rule::NoReadinessProbe, "shop"),
        "the live deployment runs two replicas with probes: {:?}",
        rules(&report)
    );
    // Without Helm's annotations the two are not known to be one object.
    let report = run(&text(false), "1.33");
    assert_eq!(report.documents.read, 3);
    assert!(has(&report, Rule::SingleReplica, "shop"));
}

#[test]
fn list_items_each_find_their_own_line() {
    // Two items share a name: each is placed at its own `name:` line, in order.
    let text = "apiVersion: v1\nkind: List\nitems:\n  - apiVersion: extensions/v1beta1\n    kind: Ingress\n    metadata:\n      name: web\n  - apiVersion: batch/v1beta1\n    kind: CronJob\n    metadata:\n      name: web\n";
    let report = run(text, "1.25");
    let mut lines: Vec<(String, usize)> = report
        .findings
        .iter()
        .filter(|f| f.rule == Rule::RemovedApi)
        .map(|f| (f.object.kind.clone(), f.line))
        .collect();
    lines.sort();
    assert_eq!(
        lines,
        [("CronJob".to_string(), 11), ("Ingress".to_string(), 7)]
    );
}

#[test]
fn json_dumps_and_later_documents_keep_their_lines() {
    let text = "{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [\n  {\"apiVersion\": \"extensions/v1beta1\", \"kind\": \"Ingress\",\n   \"metadata\": {\"name\": \"a\"}},\n  {\"apiVersion\": \"extensions/v1beta1\", \"kind\": \"Ingress\",\n   \"metadata\": {\"name\": \"b\"}}]}\n";
    let report = run(text, "1.25");
    let line = |name: &str| {
        report
            .findings
            .iter()
            .find(|f| f.object.name == name)
            .unwrap()
            .line
    };
    assert_eq!((line("a"), line("b")), (3, 5));

    let text = "apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: one\n---\napiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: two\n";
    let report = run(text, "1.25");
    let line = |name: &str| {
        report
            .findings
            .iter()
            .find(|f| f.object.name == name)
            .unwrap()
            .line
    };
    assert_eq!((line("one"), line("two")), (4, 9));
}

/// Everything the scan takes from each document of `text`, read with `shape`: the objects (as
/// reduced), Helm records (decoded), lines, and the reasons for what is skipped.
fn readings(shape: &'static prune::Shape, text: &str) -> Vec<String> {
    let readings = std::cell::RefCell::new(Vec::new());
    let mut lines = LineCursor::new(text);
    for_each_value(
        shape,
        text,
        |value| value,
        |document, range, value| {
            let line = lines.object_line(document, range, metadata_name(&value));
            let record = helm::record_storage(&value)
                .map(|storage| helm::decode(&value, storage).map(|r| (r.name, r.manifest)));
            let object = object_of(&value, "default");
            readings.borrow_mut().push(format!(
                "{document}:{line} {record:?} {object:?} {:?}",
                value.get("kind")
            ));
            object.map(drop)
        },
        |document, reason| {
            readings
                .borrow_mut()
                .push(format!("skipped {document:?}: {reason}"))
        },
    );
    readings.into_inner()
}

/// The scan builds only the parts of each document its rules read; that must read every
/// document exactly as whole values do: the same objects, records, lines and skip reasons,
/// tags, odd types and repeated keys included.
#[test]
fn pruned_documents_read_exactly_as_whole_ones() {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;
    let release = STANDARD.encode(STANDARD.encode(
        r#"{"name":"shop","version":3,"info":{"status":"deployed"},"manifest":"kind: X\n"}"#,
    ));
    let many_keys: String = (0..40).map(|i| format!("    k{i}: {i}\n")).collect();
    let documents = [
        // Everything the rules read, in odd shapes.
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\n  labels: &l {app: web, tier: 1}\n  annotations:\n    meta.helm.sh/release-name: shop\n    other: x\nspec:\n  replicas: 3\n  template:\n    metadata:\n      labels: {app: web, 7: seven, on: true, n: 1.5, t: !x tagged, ? [a]: b}\n    spec:\n      containers:\n        - name: a\n          readinessProbe: null\n          env: [{name: X, value: '1'}]\n        - livenessProbe: !probe {}\n        - plain text\n      volumes:\n        - persistentVolumeClaim: {claimName: data}\n        - persistentVolumeClaim: {claimName: 5}\n        - emptyDir: {}\n",
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: !meta\n  generateName: db-\nspec:\n  replicas: \"2\"\n  volumeClaimTemplates: [{}, x, [1]]\n  template: !t\n    metadata: {labels: &m {app: db}}\n    spec: {containers: {a: b}, also: *m}\n",
        "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: nightly}\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers: [{name: job}]\n          volumes: [{persistentVolumeClaim: {claimName: reports}}]\n",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: 42\n  generateName: ignored-\n  labels: [not, a, map]\nspec:\n  containers: [{name: p, readinessProbe: {}, livenessProbe: {}}]\n",
        "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: pdb}\nspec:\n  minAvailable: 3\n  selector:\n    matchLabels: {app: web, tier: 1, x: [1], 2: y}\n    matchExpressions:\n      - {key: tier, operator: In, values: [\"1\", 2]}\n      - not-a-mapping\n",
        "apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata: {name: empty}\nspec: {maxUnavailable: \"0%\", selector: {}}\n",
        "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: tagged}\nspec: {maxUnavailable: !!int 0, minAvailable: 100%}\n",
        "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: all}\nspec: {minAvailable: 100%}\n",
        "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\nspec: {scaleTargetRef: {kind: Deployment, name: web}, minReplicas: 2}\n",
        "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: odd}\nspec: {scaleTargetRef: [kind], minReplicas: 2.0}\n",
        "{\"apiVersion\": \"v1\", \"kind\": \"Service\", \"metadata\": {\"name\": \"svc\", \"annotations\": {\"kubectl.kubernetes.io/last-applied-configuration\": \"{\\\"apiVersion\\\":\\\"v1beta1\\\"}\"}}}\n",
        "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {name: one}\n- !tagged {apiVersion: v1, kind: Service, metadata: {name: two}}\n- just text\n- null\n- apiVersion: v1\n  kind: List\n  items: [{apiVersion: v1, kind: Pod}]\n",
        "apiVersion: v1\nkind: ServiceList\nitems: !seq [{apiVersion: v1, kind: Service}]\n",
        "apiVersion: v1\nkind: List\nitems: {not: a sequence}\n",
        "!whole {apiVersion: v1, kind: Service, metadata: {name: tagged}}\n",
        "- a sequence\n",
        "just text\n",
        "",
        &format!(
            "apiVersion: v1\nkind: Secret\ntype: helm.sh/release.v1\nmetadata: {{name: sh.helm.release.v1.shop.v3, namespace: shop}}\ndata:\n  release: {release}\n"
        ),
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm, labels: {owner: helm}}\ndata: {release: not-base64, other: x}\n",
        &format!("apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: many}}\ndata:\n{many_keys}"),
    ];
    let whole_failures = [
        // Repeated keys, where the rules look and where they do not.
        "apiVersion: v1\nkind: Service\nmetadata: {name: a, name: b}\n",
        "apiVersion: v1\nkind: Service\nspec: {ports: [{port: 1, port: 2}]}\n",
        "apiVersion: v1\nkind: Service\nx: {1: a, 0x1: b}\n",
        "apiVersion: v1\nkind: Service\nx: {? [a]: 1, ? [a]: 2}\n",
        "apiVersion: v1\nkind: Service\nx: {null: 1, ~: 2}\n",
        "apiVersion: v1\nkind: Service\nx: {true: 1, true: 2}\n",
        "apiVersion: v1\nkind: Service\nx: {\"a\\tb\": 1, \"a\\tb\": 2}\n",
        &format!("apiVersion: v1\nkind: ConfigMap\ndata:\n{many_keys}    k3: again\n"),
        &format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels:\n{many_keys}    k39: again\n"
        ),
        // A syntax error ends the file.
        "apiVersion: v1\nkind: [\n",
    ];
    for text in documents.iter().chain(whole_failures.iter()) {
        let whole = readings(&prune::Shape::Whole, text);
        assert_eq!(readings(&prune::OBJECT, text), whole, "{text}");
    }
    for text in whole_failures {
        let whole = readings(&prune::Shape::Whole, text);
        assert!(whole[0].starts_with("skipped Some(0): "), "{whole:?}");
    }
    // All of them in one stream, as a dump holds them.
    let stream = documents.join("---\n");
    let whole = readings(&prune::Shape::Whole, &stream);
    assert_eq!(readings(&prune::OBJECT, &stream), whole);
    assert!(whole.len() > documents.len(), "{whole:#?}");
}

/// Where a finding's line points, per object: `(kind, name) -> line`.
fn lines_of(report: &ScanReport) -> BTreeMap<(String, String), usize> {
    report
        .findings
        .iter()
        .map(|f| ((f.object.kind.clone(), f.object.name.clone()), f.line))
        .collect()
}

#[test]
fn list_items_are_placed_within_their_own_lines() {
    // kubectl's YAML: a Deployment whose container shares its name, then an Ingress of that
    // name; the Ingress is at its own name, not at the container's.
    let yaml = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: apps/v1\n  kind: Deployment\n  metadata:\n    name: web\n  spec:\n    template:\n      spec:\n        containers:\n        - name: web\n          image: web:1\n# a comment\n\n- apiVersion: extensions/v1beta1\n  kind: Ingress\n  metadata:\n    name: web\nmetadata:\n  resourceVersion: \"\"\n";
    let lines = lines_of(&run(yaml, "1.25"));
    assert_eq!(lines[&("Deployment".into(), "web".into())], 7);
    assert_eq!(lines[&("Ingress".into(), "web".into())], 19);
    assert_eq!(item_starts(yaml, 1), [4, 16]);

    // kubectl's JSON, the same two.
    let json = "{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n        {\n            \"apiVersion\": \"apps/v1\",\n            \"kind\": \"Deployment\",\n            \"metadata\": {\n                \"name\": \"web\"\n            },\n            \"spec\": {\"template\": {\"spec\": {\"containers\": [\n                {\n                    \"name\": \"web\"\n                }\n            ]}}}\n        },\n        {\n            \"apiVersion\": \"extensions/v1beta1\",\n            \"kind\": \"Ingress\",\n            \"metadata\": {\n                \"name\": \"web\"\n            }\n        }\n    ],\n    \"kind\": \"List\"\n}\n";
    let lines = lines_of(&run(json, "1.25"));
    assert_eq!(lines[&("Deployment".into(), "web".into())], 8);
    assert_eq!(lines[&("Ingress".into(), "web".into())], 20);
    assert_eq!(item_starts(json, 1), [4, 16]);

    // Items indented under `items:`, in the second document of a file.
    let text = format!(
        "kind: Namespace\napiVersion: v1\nmetadata: {{name: x}}\n---\n{}",
        "apiVersion: v1\nkind: List\nitems:\n  - apiVersion: extensions/v1beta1\n    kind: Ingress\n    metadata: {name: a}\n  - apiVersion: extensions/v1beta1\n    kind: Ingress\n    metadata:\n      name: b\n"
    );
    assert_eq!(item_starts(&text, 5), [8, 11]);
    let lines = lines_of(&run(&text, "1.25"));
    assert_eq!(lines[&("Ingress".into(), "a".into())], 10);
    assert_eq!(lines[&("Ingress".into(), "b".into())], 14);

    // Flow style shows no item starts: the document's lines are searched in order.
    let flow = "apiVersion: v1\nkind: List\nitems: [{apiVersion: extensions/v1beta1, kind: Ingress, metadata: {name: a}}]\n";
    assert!(item_starts(flow, 1).is_empty());
    assert_eq!(
        lines_of(&run(flow, "1.25"))[&("Ingress".into(), "a".into())],
        3
    );
}

#[test]
fn a_name_is_looked_for_only_within_its_own_object() {
    // Quoted names are found; a name written so that it cannot be found places the object at
    // its document's start, never at a later object's line.
    let text = "apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: \"quoted\"\n---\napiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: >-\n    folded\n---\napiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: 'single'\n  labels: {app: folded}\n---\napiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: folded\n";
    let report = run(text, "1.25");
    let lines: Vec<(String, usize)> = report
        .findings
        .iter()
        .map(|f| (f.object.name.clone(), f.line))
        .collect();
    assert_eq!(
        lines,
        [
            ("quoted".to_string(), 4),
            ("folded".to_string(), 6),
            ("single".to_string(), 15),
            ("folded".to_string(), 21),
        ]
    );
    assert!(
        holds_name("  name: web-canary", "web"),
        "a prefix, as before"
    );
    assert!(holds_name("  - name: \"web\"", "web"));
    assert!(!holds_name("  name: \"web-canary\"", "web"));
    assert!(!holds_name("  name: 'web\"", "web"));
    assert!(holds_name("{\"name\": \"web\", \"x\": 1}", "web"));
    assert!(!holds_name("{\"name\": \"webapp\"}", "web"));
    assert!(holds_name("{\"name\":\"web\",\"x\":1}", "web"), "jq -c");
    assert!(!holds_name("{\"name\":\"webapp\"}", "web"));
    assert!(!holds_name("  generateName: web", "web"));
}
