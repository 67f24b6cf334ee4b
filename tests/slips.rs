//! Common slips get an error that names the slip and the fix, not a guess at something else.

use crate::common::advisor;
use predicates::prelude::*;
use predicates::str::contains;

fn without_checklist_key(path: &str) -> String {
    let text = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
        .unwrap();
    let stripped: String = text
        .lines()
        .filter(|l| !l.starts_with("checklist:"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(stripped, text, "{path} names its checklist");
    stripped
}

#[test]
fn kubernetes_answers_without_a_checklist_key_say_which_checklist_they_belong_to() {
    advisor()
        .args(["assess", "--answers", "-"])
        .write_stdin(without_checklist_key(
            "checklists/examples/eks-fleet-upgrade.yaml",
        ))
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains("these are kubernetes checklist questions"))
        .stderr(contains(
            "add `checklist: kubernetes` at the top of the file, or pass `--checklist kubernetes`",
        ))
        .stderr(contains("did you mean").not());
}

#[test]
fn a_checklist_named_on_purpose_keeps_the_usual_errors() {
    advisor()
        .args(["assess", "--answers", "-", "--checklist", "vks"])
        .write_stdin(without_checklist_key(
            "checklists/examples/eks-fleet-upgrade.yaml",
        ))
        .assert()
        .code(2)
        .stderr(contains("is not a question of checklist `vks`"))
        .stderr(contains("these are kubernetes checklist questions").not());
    // A typo in a vks file is still a typo.
    advisor()
        .args(["assess", "--answers", "-"])
        .write_stdin(crate::common::case_study_with(
            "spare_capacity:",
            "spare_capcity:",
        ))
        .assert()
        .code(2)
        .stderr(contains("did you mean `spare_capacity`?"));
}

#[test]
fn lint_with_a_built_in_name_explains_lint_and_show() {
    advisor()
        .args(["checklist", "lint", "vks"])
        .assert()
        .code(2)
        .stderr(contains(
            "`vks` is the name of a built-in checklist, and `checklist lint` takes the path of a checklist file",
        ))
        .stderr(contains("upgrade-advisor checklist show vks > my-checklist.yaml"));
}

#[test]
fn show_with_a_file_explains_show_and_lint() {
    advisor()
        .args(["checklist", "show", "checklists/vks.yaml"])
        .assert()
        .code(2)
        .stderr(contains(
            "`checklists/vks.yaml` is a file, and `checklist show` takes the name of a built-in checklist",
        ))
        .stderr(contains("upgrade-advisor checklist lint checklists/vks.yaml"));
}

/// The exit-code table of the README, row by row.
#[test]
fn exit_codes_are_as_documented() {
    let readme =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
            .unwrap();
    let table = &readme[readme.find("## Exit codes").unwrap()..];
    for code in ["| 0 |", "| 1 |", "| 2 |", "| 3 |", "| 4 |", "| 130 |"] {
        assert!(table.contains(code), "{code}");
    }
    let case = crate::common::CASE_STUDY;
    // 1: standard output cannot be written.
    if std::path::Path::new("/dev/full").exists() {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_upgrade-advisor"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["assess", "--answers", case])
            .stdout(full)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("could not write to standard output")
        );
    }
    // 2: an --output folder that does not exist; nothing on stdout.
    let dir = tempfile::tempdir().unwrap();
    advisor()
        .args(["assess", "--answers", case, "--output"])
        .arg(dir.path().join("missing/report.md"))
        .assert()
        .code(2)
        .stdout("");
    // 2: a scan that reads nothing.
    advisor()
        .args(["scan"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stdout("");
    // 3, and 4 over 3; the report is still written.
    advisor()
        .args(["assess", "--answers", case, "--fail-on-blockers"])
        .assert()
        .code(3)
        .stdout(contains("Recommendation"));
    advisor()
        .args([
            "assess",
            "--answers",
            case,
            "--fail-on-blockers",
            "--expect",
            "blue-green",
        ])
        .assert()
        .code(4)
        .stdout(contains("Recommendation"));
}

#[test]
fn a_misspelt_checklist_name_suggests_the_built_in() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("checklists/examples/eks-fleet-upgrade.yaml"),
    )
    .unwrap()
    .replace("checklist: kubernetes", "checklist: kubernets");
    advisor()
        .args(["assess", "--answers", "-"])
        .write_stdin(text)
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains(
            "the file is for checklist `kubernets`, but the checklist in use is `vks`",
        ))
        .stderr(contains(
            "`kubernets` is not a built-in checklist: did you mean `checklist: kubernetes`?",
        ));
}

/// A misspelt built-in checklist name gets the name it was meant to be.
#[test]
fn a_misspelt_checklist_name_gets_a_suggestion() {
    advisor()
        .args([
            "assess",
            crate::common::CASE_STUDY,
            "--checklist",
            "kubernets",
        ])
        .assert()
        .code(2)
        .stderr(contains("fix: did you mean `--checklist kubernetes`?"));
}

/// A VKS answers file run with `--checklist kubernetes` is told to drop the flag, never to
/// rename its `checklist:` key (which would make every answer wrong).
#[test]
fn answers_for_another_built_in_are_told_to_drop_the_flag() {
    advisor()
        .args(["assess", crate::common::CASE_STUDY, "--checklist", "kubernetes"])
        .assert()
        .code(2)
        .stderr(contains("fix: drop --checklist kubernetes (assess uses the checklist the file names), or pass --checklist vks"))
        .stderr(contains("set `checklist: kubernetes`").not());
}

/// An answer outside its choices and a target below the current version are listed together,
/// in the order of their lines.
#[test]
fn problems_across_answers_are_listed_with_the_others() {
    let text = crate::common::case_study_with(
        "rolling_restart_tolerance: most",
        "rolling_restart_tolerance: mostly",
    )
    .replacen("target_version: \"1.33\"", "target_version: \"1.29\"", 1);
    let out = advisor()
        .args(["assess", "-"])
        .write_stdin(text)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("has 2 problems"), "{stderr}");
    let below = stderr
        .find("the target 1.29 is below the current version 1.30")
        .unwrap();
    let choice = stderr.find("`mostly` is not an allowed answer").unwrap();
    assert!(below < choice, "line 11 before line 18:\n{stderr}");
}

/// `--expect blue_green` (the JSON spelling) and a typo get the strategy id they meant.
#[test]
fn expect_suggests_the_strategy_id() {
    for (given, meant) in [("blue_green", "blue-green"), ("hybird", "hybrid")] {
        advisor()
            .args(["assess", crate::common::CASE_STUDY, "--expect", given])
            .assert()
            .code(2)
            .stderr(contains(format!(
                "`{given}` is not a strategy: did you mean `{meant}`?"
            )));
    }
}

/// `-V` says as much as `--version`.
#[test]
fn short_and_long_version_agree() {
    let short = advisor().arg("-V").output().unwrap();
    let long = advisor().arg("--version").output().unwrap();
    assert_eq!(short.stdout, long.stdout);
    assert!(String::from_utf8_lossy(&short.stdout).contains("checklist vks "));
}
