//! The command line as a CI job and a new user meet it: examples, formats, exit codes and
//! every kind of bad input.

use crate::common::{CASE_STUDY, advisor, case_study_with, json_of};
use predicates::prelude::*;
use predicates::str::contains;

/// The case study says hybrid in JSON, with the documented fields.
#[test]
fn case_study_json_recommends_hybrid() {
    let out = advisor()
        .args(["assess", "--answers", CASE_STUDY, "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["schema_version"], 3);
    assert_eq!(json["recommendation"]["strategy"], "hybrid");
    // One blocker stays open (cluster_autoscaling: no), so never high.
    assert_eq!(json["recommendation"]["confidence"], "medium");
    assert_eq!(json["path"]["from"], "1.30");
    assert_eq!(json["path"]["to"], "1.33");
    assert_eq!(
        json["path"]["hops"],
        serde_json::json!(["1.31", "1.32", "1.33"])
    );
    let driver = &json["drivers"][0];
    for field in ["question", "answer", "leans", "weight", "reason"] {
        assert!(!driver[field].is_null(), "drivers[0].{field}");
    }
    let blocker = &json["blockers"][0];
    for field in ["question", "title", "action"] {
        assert!(!blocker[field].is_null(), "blockers[0].{field}");
    }
    let timeline = json["timeline"].as_array().unwrap();
    assert_eq!(timeline.len(), 3);
    assert!(
        timeline
            .iter()
            .all(|t| t["strategy"].is_string() && t["windows"].is_u64() && t["months"].is_number())
    );
    assert_eq!(json["answers"]["cluster_count"], 6);
    assert_eq!(json["answers"]["legacy_apps"], "yes");
    assert!(json["layers"].as_array().unwrap().len() >= 4);
    assert!(json["scores"]["blue_green"].is_u64());
}

/// Each example gives the recommendation its header promises.
#[test]
fn every_example_gives_its_expected_strategy() {
    for (file, strategy) in [
        ("case-study", "hybrid"),
        ("small-jump", "sequential"),
        ("long-jump", "blue-green"),
    ] {
        let out = advisor()
            .args([
                "assess",
                "-a",
                &format!("checklists/examples/{file}.yaml"),
                "-f",
                "json",
            ])
            .output()
            .unwrap();
        assert!(out.status.success(), "{file}");
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(json["recommendation"]["strategy"], strategy, "{file}");
    }
}

/// Standard input works the same as a path.
#[test]
fn answers_from_standard_input() {
    let text = std::fs::read_to_string(CASE_STUDY).unwrap();
    advisor()
        .args(["assess", "--answers", "-", "--format", "json"])
        .write_stdin(text)
        .assert()
        .success()
        .stdout(contains("\"strategy\": \"hybrid\""));
}

/// The default table names the strategy, its confidence and its blockers, at 80 columns.
#[test]
fn table_output_fits_80_columns() {
    let out = advisor()
        .args(["assess", "-a", CASE_STUDY])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("Hybrid")
            && text.contains("medium")
            && text.contains("cluster_autoscaling: no")
    );
    for line in text.lines() {
        assert!(line.chars().count() <= 80, "too wide: {line}");
    }
    assert!(!text.contains('\u{1b}'), "no colour when not a terminal");
}

/// --output writes the file atomically and prints nothing on stdout.
#[test]
fn output_file_is_written_and_stdout_stays_empty() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.md");
    advisor()
        .args(["assess", "-a", CASE_STUDY, "-f", "markdown", "-o"])
        .arg(&path)
        .assert()
        .success()
        .stdout("")
        .stderr(contains("Wrote the markdown report"));
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("# Kubernetes upgrade strategy: Example Corp"));
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file left"
    );
}

/// --fail-on-blockers exits 3 and still writes the report; without blockers it exits 0.
#[test]
fn fail_on_blockers_exits_3_only_with_blockers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.json");
    advisor()
        .args([
            "assess",
            "-a",
            CASE_STUDY,
            "-f",
            "json",
            "--fail-on-blockers",
            "-o",
        ])
        .arg(&path)
        .assert()
        .code(3)
        .stderr(contains("has blockers"));
    assert!(
        path.exists(),
        "the report is written even when blockers fail the run"
    );
    let clear = case_study_with("cluster_autoscaling: no", "cluster_autoscaling: yes");
    advisor()
        .args(["assess", "-a", "-", "--fail-on-blockers"])
        .write_stdin(clear)
        .assert()
        .code(0);
}

/// Asserts exit 2, nothing on stdout, and every expected fragment on stderr.
fn rejects(stdin: &str, expected: &[&str]) {
    let assert = advisor()
        .args(["assess", "--answers", "-", "--format", "json"])
        .write_stdin(stdin)
        .assert();
    let mut assert = assert.code(2).stdout("");
    for fragment in expected {
        assert = assert.stderr(contains(*fragment));
    }
}

#[test]
fn malformed_yaml_names_the_line() {
    rejects(
        "answers:\n  current_version: [\"1.30\"\n",
        &["<stdin>:3:", "fix: correct the YAML syntax"],
    );
}

#[test]
fn unknown_question_gets_a_suggestion() {
    rejects(
        &case_study_with("spare_capacity: limited", "spare_capcity: limited"),
        &[
            "`spare_capcity` is not a question of checklist `vks`",
            "did you mean `spare_capacity`?",
        ],
    );
}

#[test]
fn value_outside_the_choices_lists_them() {
    rejects(
        &case_study_with("change_approval: heavy", "change_approval: huge"),
        &[
            "`huge` is not an allowed answer",
            "light, standard or heavy",
        ],
    );
}

#[test]
fn wrong_type_is_named() {
    rejects(
        &case_study_with("cluster_count: 6", "cluster_count: many"),
        &["`cluster_count`: expected a whole number, found the text \"many\""],
    );
}

#[test]
fn unquoted_version_shows_the_quoted_form() {
    rejects(
        &case_study_with("target_version: \"1.33\"", "target_version: 1.30"),
        &[
            "YAML reads the unquoted 1.30 as the number 1.3",
            "quote it: target_version: \"1.30\"",
        ],
    );
}

#[test]
fn target_below_current_is_refused() {
    rejects(
        &case_study_with("target_version: \"1.33\"", "target_version: \"1.28\""),
        &[
            "the target 1.28 is below the current version 1.30",
            "set target_version to 1.30 or later",
        ],
    );
}

#[test]
fn checklist_id_must_match() {
    rejects(
        &case_study_with("checklist: vks", "checklist: gke"),
        &["the file is for checklist `gke`, but the checklist in use is `vks`"],
    );
}

#[test]
fn empty_input_is_refused() {
    rejects(
        "",
        &["the answers file is empty", "upgrade-advisor template"],
    );
}

#[test]
fn every_missing_answer_is_listed_in_one_message() {
    rejects(
        "answers:\n  current_version: \"1.30\"\n  target_version: \"1.31\"\n",
        &[
            "required answers missing: cluster_count, rolling_restart_tolerance, pdbs_and_probes",
            "continuous_delivery",
        ],
    );
}

#[test]
fn a_missing_file_is_bad_input() {
    advisor()
        .args(["assess", "-a", "does-not-exist.yaml"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains(
            "cannot open the answers file `does-not-exist.yaml`",
        ));
}

#[test]
fn binary_junk_gets_a_clear_error() {
    advisor()
        .args(["assess", "-a", "-"])
        .write_stdin(vec![0xff, 0xfe, 0x00, 0x41])
        .assert()
        .code(2)
        .stderr(contains("is not UTF-8 text"));
}

/// A bad answers file never leaves an output file behind.
#[test]
fn bad_input_leaves_no_output_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.md");
    advisor()
        .args(["assess", "-a", "-", "-f", "markdown", "-o"])
        .arg(&path)
        .write_stdin("answers:\n  current_version: 1.30\n")
        .assert()
        .code(2);
    assert!(!path.exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

/// A broken custom checklist is exit 2 with the path of the fault inside the file.
#[test]
fn broken_custom_checklist_names_the_fault() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("custom.yaml");
    let text = std::fs::read_to_string("checklists/vks.yaml")
        .unwrap()
        .replacen("id: vks\n", "id: custom\n", 1)
        .replacen(
            "question: traffic_shifting\n",
            "question: traffic_shift\n",
            1,
        )
        .replacen(
            "            leans: sequential\n            weight: 3\n",
            "            weight: 3\n",
            1,
        );
    std::fs::write(&path, text).unwrap();
    advisor()
        .args(["assess", "-a", CASE_STUDY, "--checklist"])
        .arg(&path)
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains("has 2 problems"))
        .stderr(contains("blockers[1] (traffic-shifting).question: names the question `traffic_shift`, which does not exist"))
        .stderr(contains("did you mean `traffic_shifting`?"))
        .stderr(contains("has no lean"));
}

#[test]
fn unknown_checklist_name_lists_the_builtins() {
    advisor()
        .args(["questions", "--checklist", "nope"])
        .assert()
        .code(2)
        .stderr(contains("pass a built-in name (vks, kubernetes)"));
}

/// A terminal-less run with `-` and no input must not hang: empty stdin is an error.
#[test]
fn assess_never_waits_for_a_terminal() {
    advisor()
        .args(["assess", "-a", "-"])
        .timeout(std::time::Duration::from_secs(5))
        .assert()
        .code(2);
}

/// The template, once filled in, is accepted and gives a recommendation.
#[test]
fn filled_template_is_accepted() {
    let out = advisor().arg("template").output().unwrap();
    assert!(out.status.success());
    let template = String::from_utf8(out.stdout).unwrap();
    let fills = [
        ("current_version: \"\"", "current_version: \"1.31\""),
        ("target_version: \"\"", "target_version: \"1.33\""),
        ("cluster_count:", "cluster_count: 4"),
        (
            "rolling_restart_tolerance:",
            "rolling_restart_tolerance: most",
        ),
        ("pdbs_and_probes:", "pdbs_and_probes: yes"),
        ("deprecated_apis:", "deprecated_apis: remediated"),
        ("stateful_workloads:", "stateful_workloads: none"),
        ("legacy_apps:", "legacy_apps: no"),
        ("change_window:", "change_window: biweekly"),
        ("change_approval:", "change_approval: standard"),
        ("spare_capacity:", "spare_capacity: yes"),
        ("capacity_expansion:", "capacity_expansion: yes"),
        ("shared_supervisor:", "shared_supervisor: no"),
        ("traffic_shifting:", "traffic_shifting: weighted"),
        ("pod_autoscaling:", "pod_autoscaling: yes"),
        ("cluster_autoscaling:", "cluster_autoscaling: yes"),
        ("continuous_delivery:", "continuous_delivery: gitops"),
    ];
    let filled: String = template
        .lines()
        .map(|line| {
            let trimmed = line.trim_start();
            match fills.iter().find(|(empty, _)| trimmed == *empty) {
                Some((_, value)) => format!("  {value}"),
                None => line.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    advisor()
        .args(["assess", "-a", "-", "-f", "json"])
        .write_stdin(filled)
        .assert()
        .success()
        .stdout(contains("\"strategy\""));
    // Unfilled, it is refused with every missing answer named.
    advisor()
        .args(["assess", "-a", "-"])
        .write_stdin(template)
        .assert()
        .code(2)
        .stderr(contains(
            "17 required answers missing: current_version, target_version, cluster_count",
        ));
}

#[test]
fn questions_lists_every_question() {
    advisor()
        .arg("questions")
        .assert()
        .success()
        .stdout(contains("32 questions"))
        .stdout(contains("stateful_strategy"))
        .stdout(contains("When stateful_workloads is not"));
}

#[test]
fn help_has_examples_on_every_command() {
    for args in [
        vec!["--help"],
        vec!["assess", "--help"],
        vec!["workshop", "--help"],
        vec!["scan", "--help"],
        vec!["template", "--help"],
        vec!["questions", "--help"],
    ] {
        advisor()
            .args(&args)
            .assert()
            .success()
            .stdout(predicate::str::contains("Example"));
    }
}

/// --set answers "and if we got the capacity?" in one line, validated like the file.
#[test]
fn set_overrides_answers_from_the_command_line() {
    let out = advisor()
        .args(["assess", "-a", CASE_STUDY, "-f", "json"])
        .args([
            "--set",
            "spare_capacity=yes",
            "--set",
            "shared_supervisor=no",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["recommendation"]["strategy"], "blue-green");
    assert_eq!(json["answers"]["spare_capacity"], "yes");
    // Versions are taken as typed on the command line: no quoting needed.
    advisor()
        .args([
            "assess",
            "-a",
            CASE_STUDY,
            "--set",
            "target_version=1.31",
            "-f",
            "json",
        ])
        .assert()
        .success()
        .stdout(contains("\"to\": \"1.31\""));
    advisor()
        .args(["assess", "-a", CASE_STUDY])
        .args([
            "--set",
            "spare_capcity=yes",
            "--set",
            "cluster_count=x",
            "--set",
            "nonsense",
        ])
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains("the --set answers have 3 problems"))
        .stderr(contains(
            "--set spare_capcity=yes: `spare_capcity` is not a question",
        ))
        .stderr(contains("did you mean `spare_capacity`?"))
        .stderr(contains("--set cluster_count=x: expected a whole number"))
        .stderr(contains("`nonsense` is not ID=VALUE"));
    advisor()
        .args(["assess", "-a", CASE_STUDY, "--set", "target_version=1.29"])
        .assert()
        .code(2)
        .stderr(contains(
            "the target 1.29 is below the current version 1.30",
        ));
}

/// --expect lets a pipeline that agreed on a strategy fail when the answers move away from it.
#[test]
fn expect_exits_4_when_the_recommendation_differs() {
    advisor()
        .args(["assess", "-a", CASE_STUDY, "--expect", "hybrid"])
        .assert()
        .code(0);
    advisor()
        .args([
            "assess",
            "-a",
            CASE_STUDY,
            "--expect",
            "blue-green",
            "-f",
            "json",
        ])
        .assert()
        .code(4)
        .stdout(contains("\"strategy\": \"hybrid\""))
        .stderr(contains("The recommendation is hybrid, not blue-green"));
    advisor()
        .args(["assess", "-a", CASE_STUDY, "--expect", "bluegreen"])
        .assert()
        .code(2)
        .stderr(contains("possible values: sequential, blue-green, hybrid"));
}

/// Every report says what would make another strategy win, and how sensitive the result is.
#[test]
fn what_if_appears_in_json() {
    let out = advisor()
        .args(["assess", "-a", CASE_STUDY, "-f", "json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let what_if = json["what_if"].as_array().unwrap();
    assert_eq!(what_if.len(), 2);
    let bg = what_if
        .iter()
        .find(|w| w["strategy"] == "blue-green")
        .unwrap();
    assert_eq!(bg["changes_needed"], 2);
    let first = &bg["scenarios"][0]["changes"];
    assert!(
        first
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["question"] == "shared_supervisor" && c["to"] == "no")
    );
    assert_eq!(json["sensitivity"]["robust"], false);
}

/// Versions past their upstream end of life are called out, with the vendor caveat.
#[test]
fn support_windows_warn_about_end_of_life() {
    let out = advisor()
        .args(["assess", "-a", CASE_STUDY, "-f", "json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let kinds: Vec<&str> = json["support_warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["current-past-eol", "target-past-eol"]);
    advisor()
        .args(["assess", "-a", CASE_STUDY, "-f", "markdown"])
        .assert()
        .stdout(contains("## Support windows"))
        .stdout(contains("VKr"));
}

/// A fleet gets per-environment results and a plan that upgrades each Supervisor once.
#[test]
fn fleet_gives_each_environment_and_the_fleet_plan() {
    let json = json_of([
        "assess",
        "-a",
        "checklists/examples/fleet.yaml",
        "-f",
        "json",
    ]);
    let environments = json["environments"].as_array().unwrap();
    assert!(environments.len() >= 6);
    for env in environments {
        assert!(env["name"].is_string());
        assert!(
            env["recommendation"]["strategy"].is_string(),
            "each environment is a full result"
        );
        assert!(env["drivers"].as_array().is_some_and(|d| !d.is_empty()));
    }
    let strategies: std::collections::BTreeSet<&str> = environments
        .iter()
        .map(|e| e["recommendation"]["strategy"].as_str().unwrap())
        .collect();
    assert_eq!(
        strategies.len(),
        3,
        "the example mixes all three strategies: {strategies:?}"
    );
    let fleet = &json["fleet"];
    let supervisors = fleet["supervisors"].as_array().unwrap();
    assert_eq!(supervisors.len(), 2);
    assert_eq!(supervisors[0]["name"], "sup-east");
    assert_eq!(
        supervisors[0]["environments"],
        serde_json::json!(["payments-prod", "payments-dr", "web-prod"])
    );
    // Each Supervisor appears exactly once in the order of work, before its environments.
    let order: Vec<&str> = fleet["order"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    for name in ["sup-east", "sup-west"] {
        let at: Vec<usize> = order
            .iter()
            .enumerate()
            .filter(|(_, s)| s.starts_with(&format!("Supervisor {name}")))
            .map(|(i, _)| i)
            .collect();
        assert_eq!(at.len(), 1, "{name} once: {order:?}");
    }
    assert!(
        order
            .iter()
            .position(|s| s.starts_with("Supervisor sup-east"))
            < order.iter().position(|s| s.starts_with("payments-prod"))
    );
    let calendar = &fleet["calendar"];
    assert!(
        calendar["recommended_months"].as_f64().unwrap()
            < calendar["all_sequential_months"].as_f64().unwrap()
    );
    assert_eq!(
        fleet["strategies"]["hybrid"].as_u64().unwrap()
            + fleet["strategies"]["sequential"].as_u64().unwrap()
            + fleet["strategies"]["blue_green"].as_u64().unwrap(),
        environments.len() as u64
    );
}

/// Environments on one Supervisor must agree on its versions.
#[test]
fn fleet_with_disagreeing_supervisor_versions_is_refused() {
    let text = std::fs::read_to_string("checklists/examples/fleet.yaml").unwrap();
    // web-prod is the third sup-east environment: give it another Supervisor version.
    let marker = "  - name: web-prod\n    supervisor: sup-east\n    answers:\n      supervisor_version: \"1.29\"";
    assert!(text.contains(marker));
    let broken = text.replace(marker, &marker.replace("\"1.29\"", "\"1.28\""));
    advisor()
        .args(["assess", "-a", "-"])
        .write_stdin(broken)
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains(
            "the environments on Supervisor `sup-east` disagree on supervisor_version",
        ))
        .stderr(contains("payments-prod: 1.29"))
        .stderr(contains("web-prod: 1.28"));
}

/// Problems inside one environment name it; the exit codes cover every environment.
#[test]
fn fleet_errors_and_exit_codes_name_the_environment() {
    let text = std::fs::read_to_string("checklists/examples/fleet.yaml").unwrap();
    let broken = text.replacen("      cluster_count: 2\n", "      cluster_count: two\n", 1);
    advisor()
        .args(["assess", "-a", "-"])
        .write_stdin(broken)
        .assert()
        .code(2)
        .stderr(contains(
            "environments[1] (payments-dr): `cluster_count`: expected a whole number",
        ));
    advisor()
        .args([
            "assess",
            "-a",
            "checklists/examples/fleet.yaml",
            "--expect",
            "hybrid",
        ])
        .assert()
        .code(4)
        .stderr(contains("web-prod: sequential"));
}

/// Every subcommand's path (`["checklist", "lint"]`), the tool itself first.
fn command_paths(command: &clap::Command, path: Vec<String>, out: &mut Vec<Vec<String>>) {
    out.push(path.clone());
    for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
        let mut next = path.clone();
        next.push(sub.get_name().to_string());
        command_paths(sub, next, out);
    }
}

/// Every line of every help epilogue (the examples, exit codes and notes) is shown whole by
/// `--help` on an 80-column terminal, so an example copied from it is a runnable line.
#[test]
fn help_examples_stay_whole_at_80_columns() {
    let cli = upgrade_advisor::cli::Cli::command_with_versions();
    let mut paths = Vec::new();
    command_paths(&cli, Vec::new(), &mut paths);
    assert!(paths.len() > 10, "{paths:?}");
    let mut examples = 0;
    for path in paths {
        let mut command = &cli;
        for name in &path {
            command = command.find_subcommand(name).unwrap();
        }
        let Some(after) = command.get_after_help().map(|a| a.to_string()) else {
            continue;
        };
        let out = advisor()
            .args(&path)
            .arg("--help")
            .env("COLUMNS", "80")
            .output()
            .unwrap();
        let help = String::from_utf8(out.stdout).unwrap();
        for line in after.lines() {
            // 74: `man` indents an epilogue line by 6 more, and its pages are 80 wide too.
            assert!(
                line.chars().count() <= 74,
                "{path:?}: {} columns: {line}",
                line.chars().count()
            );
            assert!(
                help.lines().any(|shown| shown == line),
                "{path:?}: `{line}` is wrapped at 80 columns:\n{help}"
            );
            examples += usize::from(line.trim_start().starts_with("upgrade-advisor "));
        }
    }
    assert!(examples > 20, "only {examples} examples found");
}

/// `assess answers.yaml`, the first thing people type, works like `--answers answers.yaml`.
#[test]
fn the_answers_file_may_be_given_without_the_flag() {
    let positional = json_of(["assess", CASE_STUDY, "--format", "json"]);
    let flagged = json_of(["assess", "--answers", CASE_STUDY, "--format", "json"]);
    assert_eq!(positional, flagged);
    advisor()
        .args(["assess", CASE_STUDY, "--answers", CASE_STUDY])
        .assert()
        .code(2)
        .stderr(contains("cannot be used with"));
    advisor()
        .arg("assess")
        .assert()
        .code(2)
        .stderr(contains("<ANSWERS>"));
}

/// `questions` and `scan` tables follow the same colour rules as `assess`: colour with
/// CLICOLOR_FORCE, none with NO_COLOR (and never in a file).
#[test]
fn every_table_follows_the_same_colour_rules() {
    for args in [
        &["assess", CASE_STUDY][..],
        &["questions"][..],
        &["scan", "tests/fixtures/manifests"][..],
    ] {
        let forced = advisor()
            .args(args)
            .env_remove("NO_COLOR")
            .env("CLICOLOR_FORCE", "1")
            .output()
            .unwrap();
        let coloured = String::from_utf8_lossy(&forced.stdout);
        assert!(coloured.contains("\u{1b}["), "{args:?} has colour");
        // The table's own colour codes are never shown as escaped text.
        assert!(!coloured.contains("\\x1b["), "{args:?}: {coloured}");
        let plain = advisor().args(args).output().unwrap();
        assert!(
            !String::from_utf8_lossy(&plain.stdout).contains('\u{1b}'),
            "{args:?} NO_COLOR"
        );
    }
}

/// `assess --quiet -o FILE` writes the report and no note; the reason for exit 3 is still said.
#[test]
fn quiet_leaves_out_the_note_but_not_the_reason_for_the_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.md");
    advisor()
        .args(["assess", CASE_STUDY, "-f", "markdown", "-q", "-o"])
        .arg(&out)
        .assert()
        .success()
        .stderr("");
    assert!(std::fs::read_to_string(&out).unwrap().starts_with("# "));
    advisor()
        .args(["assess", CASE_STUDY, "-q", "--fail-on-blockers", "-o"])
        .arg(&out)
        .assert()
        .code(3)
        .stderr(contains("exiting with code 3"));
}
