//! Speed of the core paths, on inputs generated here so the figures are reproducible:
//! `cargo bench` (figures in README.md).

use std::fmt::Write;
use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use upgrade_advisor::answers::values::AnswersDocument;
use upgrade_advisor::answers::values::AnswersFile;
use upgrade_advisor::answers::values::FleetAnswers;
use upgrade_advisor::base::date::Date;
use upgrade_advisor::checklist::model::Checklist;
use upgrade_advisor::plan::fleet::FleetReport;
use upgrade_advisor::report::render::RenderOptions;
use upgrade_advisor::report::{Format, write_fleet};
use upgrade_advisor::scan::model::{ScanOptions, SourceFile};
use upgrade_advisor::scan::scan;
use upgrade_advisor::scoring::assess;
use upgrade_advisor::scoring::whatif::analyse;
use upgrade_advisor::scoring::windows::When;

const CASE_STUDY: &str = include_str!("../checklists/examples/case-study.yaml");

fn options() -> RenderOptions {
    let today: Date = "2026-11-26".parse().unwrap();
    RenderOptions {
        today,
        start: today.first_of_next_month(),
        color: false,
        width: Some(80),
    }
}

/// A fleet file with `n` environments over `n / 10` Supervisors, varied answers.
fn fleet_yaml(n: usize) -> String {
    let mut out = String::from(
        "checklist: vks\nanswers:\n  target_version: \"1.33\"\n  rolling_restart_tolerance: most\n  pdbs_and_probes: partly\n  deprecated_apis: partly\n  stateful_workloads: none\n  legacy_apps: \"no\"\n  change_approval: standard\n  capacity_expansion: \"no\"\n  shared_supervisor: \"yes\"\n  traffic_shifting: weighted\n  pod_autoscaling: \"yes\"\n  cluster_autoscaling: \"yes\"\n  continuous_delivery: gitops\nenvironments:\n",
    );
    let windows = ["weekly", "biweekly", "monthly", "quarterly"];
    let capacity = ["yes", "limited", "no"];
    for i in 0..n {
        let supervisor = i / 10;
        let _ = write!(
            out,
            "  - name: env-{i}\n    supervisor: sup-{supervisor}\n    answers:\n      supervisor_version: \"1.29\"\n      supervisor_target_version: \"1.30\"\n      current_version: \"1.{}\"\n      cluster_count: {}\n      change_window: {}\n      spare_capacity: \"{}\"\n",
            28 + i % 5,
            1 + i % 12,
            windows[i % 4],
            capacity[i % 3]
        );
    }
    out
}

/// A fleet of `n` environments that all differ (each its own cluster count).
fn fleet_yaml_distinct(n: usize) -> String {
    let text = fleet_yaml(n);
    let mut k = 0;
    text.lines()
        .map(|line| {
            if line.trim_start().starts_with("cluster_count:") {
                k += 1;
                format!("      cluster_count: {k}\n")
            } else {
                format!("{line}\n")
            }
        })
        .collect()
}

fn parse_fleet(text: &str, checklist: &Checklist) -> FleetAnswers {
    match AnswersDocument::parse(text, "fleet.yaml", checklist, &[], &[]).unwrap() {
        AnswersDocument::Fleet(fleet) => fleet,
        AnswersDocument::Single(_) => panic!("a fleet"),
    }
}

/// The fleet's whole JSON report, every environment with its what-if search; its size.
fn json_report(text: &str, checklist: &Checklist) -> usize {
    let parsed = parse_fleet(text, checklist);
    let report = FleetReport::build(checklist, &parsed, options().dates()).unwrap();
    let mut out = Counted(0);
    write_fleet(&report, Format::Json, &options(), &mut out).unwrap();
    out.0
}

/// A writer that only counts bytes, so the report's making is timed, not a disk.
struct Counted(usize);

impl std::io::Write for Counted {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// `n` manifests, one per file: Deployments, PodDisruptionBudgets, old Ingresses and Services.
fn manifests(n: usize) -> Vec<SourceFile> {
    (0..n)
        .map(|i| SourceFile {
            path: format!("m{i}.yaml"),
            raw_path: None,
            text: manifest(i),
        })
        .collect()
}

/// The same `n` manifests in one file, as `helm template` prints them.
fn one_file(n: usize) -> Vec<SourceFile> {
    let text: Vec<String> = (0..n).map(manifest).collect();
    vec![SourceFile {
        path: "all.yaml".to_string(),
        raw_path: None,
        text: text.join("---\n"),
    }]
}

/// The same `n` manifests as the items of one `kind: List`, as `kubectl get -o yaml` prints them.
fn list_dump(n: usize) -> Vec<SourceFile> {
    let mut text = String::from("apiVersion: v1\nkind: List\nitems:\n");
    for i in 0..n {
        for (j, line) in manifest(i).lines().enumerate() {
            let _ = writeln!(text, "{} {line}", if j == 0 { " -" } else { "  " });
        }
    }
    vec![SourceFile {
        path: "dump.yaml".to_string(),
        raw_path: None,
        text,
    }]
}

/// The parse floor of a scan: every document of every file parsed into a YAML value and
/// dropped; the number of documents.
fn parse_floor(files: &[SourceFile]) -> usize {
    files
        .iter()
        .flat_map(|file| serde_yaml::Deserializer::from_str(&file.text))
        .map(|d| <serde_yaml::Value as serde::Deserialize>::deserialize(d).is_ok())
        .filter(|ok| *ok)
        .count()
}

/// Manifest number `i`.
fn manifest(i: usize) -> String {
    let ns = i % 50;
    match i % 4 {
        0 => format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app{i}\n  namespace: ns{ns}\nspec:\n  replicas: {}\n  template:\n    metadata:\n      labels: {{app: app{i}}}\n    spec:\n      containers:\n        - name: c\n          image: img\n          readinessProbe: {{httpGet: {{path: /, port: 80}}}}\n",
            1 + i % 3
        ),
        1 => format!(
            "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: pdb{i}\n  namespace: ns{ns}\nspec:\n  maxUnavailable: 1\n  selector:\n    matchLabels: {{app: app{}}}\n",
            i - 1
        ),
        2 => format!(
            "apiVersion: networking.k8s.io/v1beta1\nkind: Ingress\nmetadata:\n  name: ing{i}\n  namespace: ns{ns}\n"
        ),
        _ => format!(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: svc{i}\n  namespace: ns{ns}\n"
        ),
    }
}

fn benches(c: &mut Criterion) {
    let checklist = Checklist::builtin("vks").unwrap();
    let file = AnswersFile::parse(CASE_STUDY, "case-study.yaml", &checklist).unwrap();

    c.bench_function("assess case study (parse + assess)", |b| {
        b.iter(|| {
            let file =
                AnswersFile::parse(black_box(CASE_STUDY), "case-study.yaml", &checklist).unwrap();
            assess(&checklist, &file.answers, &When::example())
        })
    });
    c.bench_function("what-if search, case study", |b| {
        b.iter(|| analyse(&checklist, black_box(&file.answers), &When::example()))
    });

    // Fleets: the plan alone, and the whole JSON report (every environment with its what-if
    // search) written to a sink. 100 and 101 straddle the size where the search used to stop.
    let mut fleet = c.benchmark_group("fleet");
    fleet.sample_size(10);
    for n in [100, 101, 1_000, 10_000, 50_000] {
        let text = fleet_yaml(n);
        fleet.throughput(Throughput::Elements(n as u64));
        fleet.bench_with_input(BenchmarkId::new("plan", n), &text, |b, text| {
            b.iter(|| {
                let parsed = parse_fleet(text, &checklist);
                FleetReport::build(&checklist, &parsed, options().dates())
                    .unwrap()
                    .fleet
                    .environments
            })
        });
        fleet.bench_with_input(BenchmarkId::new("JSON report", n), &text, |b, text| {
            b.iter(|| json_report(text, &checklist))
        });
    }
    // The worst case for sharing: 1,000 environments that all differ.
    let text = fleet_yaml_distinct(1_000);
    fleet.throughput(Throughput::Elements(1_000));
    fleet.bench_with_input(
        BenchmarkId::new("JSON report, all different", 1_000),
        &text,
        |b, text| b.iter(|| json_report(text, &checklist)),
    );
    fleet.finish();

    // Each shape beside its parse floor: the same texts only parsed, document by document,
    // into `serde_yaml::Value` by the same crate and dropped, with nothing else done. `scan`
    // itself also checks nesting, finds lines, applies the rules and sorts the findings.
    let mut scanning = c.benchmark_group("scan 10000 manifests");
    scanning.sample_size(10);
    scanning.throughput(Throughput::Elements(10_000));
    for (shape, corpus) in [
        ("one per file", manifests(10_000)),
        ("in one file", one_file(10_000)),
        ("kind List dump", list_dump(10_000)),
    ] {
        scanning.bench_function(shape, |b| {
            b.iter(|| {
                scan(
                    black_box(&corpus),
                    Vec::new(),
                    ScanOptions {
                        target: "1.33".parse().unwrap(),
                        current: None,
                    },
                )
                .findings
                .len()
            })
        });
        scanning.bench_function(format!("{shape}: parse floor"), |b| {
            b.iter(|| parse_floor(black_box(&corpus)))
        });
    }
    scanning.finish();

    // Whole processes: start-up, argument parsing, and `assess` with its what-if search.
    let binary = env!("CARGO_BIN_EXE_upgrade-advisor");
    let case_study = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/checklists/examples/case-study.yaml"
    );
    let mut process = c.benchmark_group("process");
    process.sample_size(20);
    for (name, args) in [
        ("--help", vec!["--help"]),
        ("--version", vec!["--version"]),
        (
            "assess case study --format json",
            vec!["assess", "--answers", case_study, "--format", "json"],
        ),
        (
            "assess case study (table)",
            vec!["assess", "--answers", case_study],
        ),
    ] {
        process.bench_function(name, |b| {
            b.iter(|| {
                let out = std::process::Command::new(binary)
                    .args(&args)
                    .output()
                    .expect("the binary runs");
                assert!(out.status.success(), "{name}");
                out.stdout.len()
            })
        });
    }
    process.finish();
}

criterion_group!(advisor, benches);
criterion_main!(advisor);
