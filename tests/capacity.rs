//! Capacity as evidence (issue 23): resource quantities as dumps write them, parsed exactly and
//! checked against a second implementation.

use std::io::Write;
use std::process::{Command, Stdio};

use upgrade_advisor::kube::quantity::parse;

/// Quantities from every part of the grammar: signs, whole and fractional numbers, each SI and
/// binary suffix, and decimal exponents.
fn generated() -> Vec<String> {
    let numbers = [
        "0",
        "1",
        "7",
        "12",
        "250",
        "0.5",
        "1.25",
        ".5",
        "5.",
        "123456789",
        "0.0001",
        "3.14159",
        "1024",
        "0.001",
        "99.999",
    ];
    let suffixes = [
        "", "m", "k", "M", "G", "T", "P", "E", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "e0", "e3",
        "e-2", "E6", "e-9",
    ];
    let mut out = Vec::new();
    for sign in ["", "-", "+"] {
        for n in numbers {
            for s in suffixes {
                out.push(format!("{sign}{n}{s}"));
            }
        }
    }
    out
}

/// Python's `kubernetes.utils.parse_quantity` (the official client) gives each generated
/// quantity's exact value; ours, in milli-units rounded away from zero, is the same wherever
/// Python takes the text.
// A skipped oracle says so on standard error, naming what is missing.
#[allow(clippy::print_stderr)]
#[test]
fn quantities_agree_with_the_kubernetes_python_client() {
    let probe = Command::new("python3")
        .args(["-c", "from kubernetes.utils import parse_quantity"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!(
            "SKIPPED quantities_agree_with_the_kubernetes_python_client: needs python3 with the kubernetes client (pip install kubernetes)"
        );
        return;
    }
    let script = "import sys\n\
        from decimal import Decimal, ROUND_UP\n\
        from kubernetes.utils import parse_quantity\n\
        for line in sys.stdin:\n\
        \x20   text = line.rstrip('\\n')\n\
        \x20   try:\n\
        \x20       value = Decimal(parse_quantity(text))\n\
        \x20       print(int((value * 1000).to_integral_value(rounding=ROUND_UP)))\n\
        \x20   except Exception:\n\
        \x20       print('ERR')\n";
    let quantities = generated();
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{}\n", quantities.join("\n")).as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let answers = String::from_utf8(out.stdout).unwrap();
    let answers: Vec<&str> = answers.lines().collect();
    assert_eq!(answers.len(), quantities.len());
    let mut compared = 0;
    for (text, python) in quantities.iter().zip(answers) {
        if python == "ERR" {
            continue;
        }
        let ours =
            parse(text).unwrap_or_else(|e| panic!("{text:?}: Python takes it, we do not: {e}"));
        assert_eq!(ours.milli.to_string(), python, "{text}");
        compared += 1;
    }
    assert!(compared > quantities.len() / 2, "only {compared} compared");
}

// ---- Capacity from cluster dumps: the example of three clusters, assessed end to end.

const EXAMPLE: &str = "checklists/examples/capacity.yaml";
const DUMPS: [&str; 3] = [
    "checklists/examples/dumps/shop-eu.json",
    "checklists/examples/dumps/shop-us.json",
    "checklists/examples/dumps/shop-ap.json",
];

fn example_args(format: &str) -> Vec<String> {
    let mut args = vec!["assess".to_string(), EXAMPLE.to_string()];
    for dump in DUMPS {
        args.extend(["--manifests".to_string(), dump.to_string()]);
    }
    args.extend(["--format".to_string(), format.to_string()]);
    args
}

/// The example's output in `format` with `from` replaced by `to` in its answers file, its
/// text folded to single spaces (as a reader of the wrapped table or markdown sees it).
fn variant_flat(from: &str, to: &str, format: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("answers.yaml");
    let example = std::fs::read_to_string(EXAMPLE).unwrap();
    assert!(example.contains(from), "{from}");
    std::fs::write(&answers, example.replace(from, to)).unwrap();
    let mut args = example_args(format);
    args[1] = answers.to_str().unwrap().to_string();
    let out = crate::common::stdout_of(args, "");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

const GIB: u64 = 1 << 30;
const MIB: u64 = 1 << 20;

/// The dumps' totals, worked out by hand from what they hold: shop-eu has a control-plane
/// node, four workers in two zones and a tainted GPU node; two web pods whose init step
/// (1 vCPU) outweighs their container and sidecar, a database, a finished Job pod, a pod
/// without requests, and a DaemonSet that tolerates the control plane but not the GPU taint.
#[test]
fn the_dumps_give_their_known_totals() {
    let report = crate::common::json_of(example_args("json"));
    let capacity = &report["capacity"];
    let eu = &capacity["clusters"][0];
    assert_eq!(eu["name"], "shop-eu");
    assert_eq!(eu["nodes"], 6);
    assert_eq!(
        eu["pools"].as_array().unwrap().len(),
        4,
        "{:#}",
        eu["pools"]
    );
    // 2 web pods at max(500m + 100m sidecar, 1 vCPU init) = 1 vCPU each; 2 vCPU database;
    // 5 node agents at 100m (on every node but the GPU one); nothing for the bare pod.
    assert_eq!(eu["requested"]["cpu"], 2 * 1_000 + 2_000 + 5 * 100);
    // Web: 1 GiB + 128 MiB sidecar (more than the 512 MiB init step), twice; 8 GiB; 5 x 200 MiB.
    assert_eq!(
        eu["requested"]["memory"],
        2 * (GIB + 128 * MIB) + 8 * GIB + 5 * 200 * MIB
    );
    assert_eq!(eu["pods"]["counted"], 9);
    assert_eq!(eu["pods"]["finished"], 1);
    assert_eq!(eu["pods"]["containers_without_requests"], 1);
    assert_eq!(eu["daemonset_per_node"]["cpu"], 100);
    assert_eq!(eu["storage"][0]["class"], "fast");
    assert_eq!(eu["storage"][0]["bytes"], 500 * GIB);
    assert_eq!(eu["storage"][1]["bytes"], 1024 * GIB);
    // A copy of the same node pools: 4 + 4 x 8 + 16 vCPU, 16 + 4 x 32 + 64 GiB.
    assert_eq!(eu["copy_needs"]["cpu"], 52_000);
    assert_eq!(eu["copy_needs"]["memory"], 208 * GIB);
    assert_eq!(eu["allocatable"]["pods"], 660);
    assert_eq!(capacity["basis"], "node-pools");
    assert_eq!(capacity["fits_clusters"], 2);
    assert_eq!(capacity["evidence"]["value"], "limited");
    assert_eq!(capacity["evidence"]["covers_every_cluster"], true);
    crate::common::assert_valid(
        &crate::common::published_schema("--report"),
        &report,
        "the capacity example",
    );
}

/// The file says `spare_capacity: yes`; the arithmetic proves otherwise and overrules it, and
/// the measured room (2 clusters) is what the waves rotate through.
#[test]
fn the_evidence_overrules_the_answer_and_sizes_the_waves() {
    let report = crate::common::json_of(example_args("json"));
    let used = report["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["question"] == "spare_capacity")
        .unwrap();
    assert_eq!(used["answered"], "yes");
    assert_eq!(used["evidence"], "limited");
    assert_eq!(used["outcome"], "overruled");
    assert_eq!(report["answers"]["spare_capacity"], "limited");
    let waves: Vec<Vec<&str>> = report["capacity"]["waves"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            w["clusters"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c.as_str().unwrap())
                .collect()
        })
        .collect();
    assert_eq!(waves, [vec!["shop-eu"], vec!["shop-ap", "shop-us"]]);
    let hybrid = report["capacity"]["cost"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["strategy"] == "hybrid")
        .unwrap();
    assert_eq!(hybrid["extra_clusters"], 1);
    // 52 vCPU x 0.031 + 208 GiB x 0.004 = 2.444 an hour, for 44 days.
    assert_eq!(hybrid["hours"], 44 * 24);
    assert_eq!(hybrid["amount"], 2580.86);
}

/// Every format shows the arithmetic: a reader of the table, the markdown or the runbook
/// sees why spare capacity is limited.
#[test]
fn the_arithmetic_shows_in_every_format() {
    let arithmetic = "copies of 2 of 3 clusters fit at once: shop-us and shop-ap need 48 vCPU";
    for format in ["table", "markdown"] {
        let out = crate::common::stdout_of(example_args(format), "");
        let flat = out.split_whitespace().collect::<Vec<_>>().join(" ");
        let flat = flat.replace("│ ", "").replace(" │", "");
        assert!(flat.contains("shop-eu"), "{format}");
        assert!(flat.contains(arithmetic), "{format}:\n{out}");
        assert!(
            flat.contains("Waves the room holds one at a time"),
            "{format}"
        );
    }
    let markdown = crate::common::stdout_of(example_args("markdown"), "");
    let section = markdown
        .split("## Capacity\n")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .unwrap();
    insta::assert_snapshot!("capacity_markdown_section", section);
}

/// A dump without pods is sized from its controllers: replicas times requests, and a
/// DaemonSet once for each node whose taints it tolerates.
#[test]
fn controllers_stand_in_for_pods_and_daemonsets_skip_tainted_nodes() {
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("lab.yaml");
    std::fs::write(
        &dump,
        "apiVersion: v1
kind: List
items:
- {apiVersion: v1, kind: Node, metadata: {name: a}, status: {allocatable: {cpu: '4', memory: 16Gi, pods: '110'}}}
- apiVersion: v1
  kind: Node
  metadata: {name: b}
  spec: {taints: [{key: dedicated, value: db, effect: NoSchedule}]}
  status: {allocatable: {cpu: '4', memory: 16Gi, pods: '110'}}
- apiVersion: apps/v1
  kind: Deployment
  metadata: {name: web, namespace: shop}
  spec: {replicas: 3, template: {spec: {containers: [{name: web, resources: {requests: {cpu: 250m, memory: 256Mi}}}]}}}
- apiVersion: apps/v1
  kind: ReplicaSet
  metadata: {name: web-1, namespace: shop, ownerReferences: [{kind: Deployment, name: web}]}
  spec: {replicas: 3, template: {spec: {containers: [{name: web, resources: {requests: {cpu: 250m, memory: 256Mi}}}]}}}
- apiVersion: apps/v1
  kind: DaemonSet
  metadata: {name: logs, namespace: kube-system}
  spec: {template: {spec: {containers: [{name: logs, resources: {requests: {cpu: 50m, memory: 64Mi}}}]}}}
",
    )
    .unwrap();
    let answers = dir.path().join("answers.yaml");
    let example = std::fs::read_to_string(EXAMPLE).unwrap();
    std::fs::write(
        &answers,
        example.replace("cluster_count: 3", "cluster_count: 1"),
    )
    .unwrap();
    let report = crate::common::json_of([
        "assess",
        answers.to_str().unwrap(),
        "--manifests",
        dump.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let lab = &report["capacity"]["clusters"][0];
    assert_eq!(lab["name"], "lab");
    assert_eq!(lab["requests_from"], "controllers");
    // 3 x 250m for the Deployment (its ReplicaSet is not counted twice), 50m on node a only.
    assert_eq!(lab["requested"]["cpu"], 3 * 250 + 50);
    assert_eq!(lab["requested"]["memory"], 3 * 256 * MIB + 64 * MIB);
    assert_eq!(lab["pods"]["counted"], 4);
    // No capacity block's node capacity: the allocatable stands for it.
    assert_eq!(lab["copy_needs"]["cpu"], 8_000);
    assert_eq!(report["capacity"]["evidence"]["value"], "yes");
}

/// A wrong capacity block is bad input: exit 2, its line, and how to fix it.
#[test]
fn a_wrong_capacity_block_names_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("answers.yaml");
    let example = std::fs::read_to_string(EXAMPLE).unwrap();
    std::fs::write(
        &answers,
        example.replace("cpu: 64, memory: 256Gi", "cpu: 64 cores, memory: 256Gi"),
    )
    .unwrap();
    let out = crate::common::advisor()
        .args(["assess", answers.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("answers.yaml:18: `capacity.spare.cpu`"),
        "{err}"
    );
    assert!(err.contains("`64 cores` is not a quantity"), "{err}");
    assert!(
        err.contains("fix: write a Kubernetes quantity such as `96` or `1500m`"),
        "{err}"
    );
}

// ---- A fleet whose environments list their own dumps (`manifests:`).

const FLEET: &str = "checklists/examples/capacity-fleet.yaml";

/// The environment `name` of a fleet's JSON report.
fn environment<'r>(report: &'r serde_json::Value, name: &str) -> &'r serde_json::Value {
    report["environments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == name)
        .unwrap()
}

/// The evidence `question` got in an environment's report.
fn used<'r>(env: &'r serde_json::Value, question: &str) -> &'r serde_json::Value {
    env["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["question"] == question)
        .unwrap()
}

/// Each environment is measured from its own dumps (paths relative to the fleet file) against
/// its own room: production's three clusters overrule its `yes` with `limited` and waves of
/// at most two; staging's one cluster, in its smaller room of its own, confirms `yes`. The
/// other evidence of each dump (removed APIs, probes) is its environment's alone too.
#[test]
fn a_fleet_measures_each_environment_from_its_own_dumps() {
    let report = crate::common::json_of(["assess", FLEET, "--format", "json"]);
    let production = environment(&report, "production");
    assert_eq!(production["capacity"]["fits_clusters"], 2);
    assert_eq!(used(production, "spare_capacity")["outcome"], "overruled");
    assert_eq!(production["answers"]["spare_capacity"], "limited");
    let waves = production["capacity"]["waves"].as_array().unwrap();
    assert!(waves.len() >= 2, "{waves:#?}");
    assert!(
        waves
            .iter()
            .all(|w| w["clusters"].as_array().unwrap().len() <= 2)
    );
    let staging = environment(&report, "staging");
    assert_eq!(staging["capacity"]["clusters"][0]["name"], "staging");
    assert_eq!(staging["capacity"]["spare"]["cpu"], 24_000);
    assert_eq!(used(staging, "spare_capacity")["outcome"], "confirmed");
    assert_eq!(
        staging["capacity"]["evidence"]["arithmetic"],
        "the copy of the one cluster fits: staging needs 20 vCPU and 80 GiB memory of 24 vCPU and 96 GiB memory"
    );
    assert_eq!(
        used(staging, "deprecated_apis")["seen"],
        "the scan saw 9 objects"
    );
    assert_eq!(
        used(production, "deprecated_apis")["seen"],
        "the scan saw 43 objects"
    );
    crate::common::assert_valid(
        &crate::common::published_schema("--report"),
        &report,
        "the capacity fleet example",
    );
    // The markdown shows each environment's arithmetic.
    let markdown = crate::common::stdout_of(["assess", FLEET, "--format", "markdown"], "");
    let flat = markdown.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("copies of 2 of 3 clusters fit at once"),
        "{markdown}"
    );
    assert!(
        flat.contains("the copy of the one cluster fits"),
        "{markdown}"
    );
}

/// A fleet file's `manifests:` that cannot be read is bad input (exit 2) that names the
/// environment: standard input, a value that is not a path, a dump that is not there.
#[test]
fn a_fleet_environments_wrong_manifests_name_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("fleet.yaml");
    let fleet = std::fs::read_to_string(FLEET).unwrap();
    // The fleet's dumps beside it, where its relative paths lead.
    std::fs::create_dir(dir.path().join("dumps")).unwrap();
    for dump in DUMPS
        .iter()
        .chain(&["checklists/examples/dumps/staging.json"])
    {
        let name = std::path::Path::new(dump).file_name().unwrap();
        std::fs::copy(dump, dir.path().join("dumps").join(name)).unwrap();
    }
    let cases = [
        (
            "manifests: [dumps/staging.json]",
            "manifests: [\"-\"]",
            "environments[1] (staging): `manifests`: `manifests` names standard input (`-`)",
        ),
        (
            "manifests: [dumps/staging.json]",
            "manifests: [{path: x}]",
            "which is not a path",
        ),
        (
            "manifests: [dumps/staging.json]",
            "manifests: [dumps/missing.json]",
            "environments[1] (staging): reading its `manifests`",
        ),
    ];
    for (from, to, expected) in cases {
        std::fs::write(&answers, fleet.replace(from, to)).unwrap();
        let out = crate::common::advisor()
            .args(["assess", answers.to_str().unwrap()])
            .output()
            .unwrap();
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{to}: {err}");
        assert!(err.contains(expected), "{to}: {err}");
    }
}

/// The runbook reserves each batch's room before it starts, clusters by name, as nodes of
/// the stated size when the room is stated in nodes; the decision record carries the
/// measured evidence as a driver and the parallel run's cost as a consequence.
#[test]
fn the_runbook_reserves_each_batch_and_the_record_weighs_it() {
    let runbook = crate::common::stdout_of(example_args("runbook"), "");
    let flat = runbook.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("**Capacity:** Room for each batch's new clusters is reserved before the batch starts, as measured from the dumps: batch 1 takes shop-eu (52 vCPU, 208 GiB memory and 1.5 TiB storage); batch 2 takes shop-ap and shop-us (48 vCPU, 192 GiB memory and 500 GiB storage)."),
        "{runbook}"
    );
    assert!(
        flat.contains("the most held at once needs 52 vCPU, 208 GiB memory and 1.5 TiB storage"),
        "{runbook}"
    );
    let adr = crate::common::stdout_of(example_args("adr"), "");
    assert!(
        adr.contains("* Capacity, measured from the cluster dumps: spare\\_capacity: limited (copies of 2 of 3 clusters fit at once"),
        "{adr}"
    );
    assert!(
        adr.contains(
            "* Bad, because the parallel run takes room: Hybrid: 1 extra cluster held at the peak"
        ),
        "{adr}"
    );
    // Room in nodes of a size: each batch's copies as so many of those nodes.
    let flat = variant_flat(
        "spare: {cpu: 64, memory: 256Gi, storage: 4Ti}",
        "spare_nodes: {count: 8, cpu: 8, memory: 32Gi}",
        "runbook",
    );
    // shop-eu needs 52 vCPU and 208 GiB: 7 nodes of 8 vCPU (56) hold it, 32 GiB x 7 = 224.
    assert!(
        flat.contains("batch 1 takes shop-eu (7 nodes of 8 vCPU and 32 GiB)"),
        "{flat}"
    );
}

/// The what-if of capacity: room for the next copy would make `spare_capacity` yes; with a
/// shared Supervisor the recommendation stays Hybrid, without one Blue-Green would be.
#[test]
fn one_more_copy_of_room_is_a_what_if() {
    let report = crate::common::json_of(example_args("json"));
    let capacity = &report["capacity"];
    assert_eq!(capacity["next_copy"]["cluster"], "shop-eu");
    assert_eq!(capacity["what_if"]["spare_capacity"], "yes");
    assert_eq!(capacity["what_if"]["fits_clusters"], 3);
    assert_eq!(capacity["what_if"]["strategy"], "hybrid");
    assert_eq!(capacity["what_if"]["changes_recommendation"], false);
    let flat = variant_flat(
        "shared_supervisor: yes",
        "shared_supervisor: no",
        "markdown",
    );
    assert!(
        flat.contains("What if: with room for one more copy (the copy of shop-eu needs 52 vCPU, 208 GiB memory and 1.5 TiB storage), spare\\_capacity would be yes (3 copies at once) and Blue-Green (parallel) would be recommended."),
        "{flat}"
    );
}
