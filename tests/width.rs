//! Tables fit the terminal they are printed on: in a real 80-column pseudo-terminal, with
//! colour off (NO_COLOR), no line is wider than 80 columns and no id is split mid-word.

#![cfg(unix)]

use std::process::Command;
use std::time::Duration;

use crate::common::json_of;
use expectrl::{Eof, Expect, Session};
use upgrade_advisor::checklist::model::Checklist;

/// What `args` prints on an 80x24 terminal, with line ends as `\n`.
fn on_terminal(args: &[&str]) -> String {
    on_terminal_sized(args, 80, 24)
}

/// What `args` prints on a terminal of `cols` by `rows`.
fn on_terminal_sized(args: &[&str], cols: u16, rows: u16) -> String {
    let program = format!(
        "stty cols {cols} rows {rows}; exec '{}' {}",
        env!("CARGO_BIN_EXE_upgrade-advisor"),
        args.join(" ")
    );
    let mut command = Command::new("sh");
    command
        .args(["-c", &program])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("SOURCE_DATE_EPOCH", "1795651200")
        .env("NO_COLOR", "1")
        .env_remove("COLUMNS")
        .env_remove("CLICOLOR_FORCE")
        .env("TERM", "xterm-256color");
    let mut session = Session::spawn(command).expect("spawn in a pty");
    session.set_expect_timeout(Some(Duration::from_secs(30)));
    let captured = session.expect(Eof).expect("the command ends");
    String::from_utf8(captured.as_bytes().to_vec())
        .unwrap()
        .replace("\r\n", "\n")
}

fn assert_fits(text: &str, words: &[String]) {
    assert!(text.lines().count() > 5, "{text}");
    assert!(!text.contains('\u{1b}'), "no colour with NO_COLOR: {text}");
    for line in text.lines() {
        assert!(
            line.chars().count() <= 80,
            "{} columns: {line}\n{text}",
            line.chars().count()
        );
    }
    for word in words {
        // Whole means between cell borders or spaces on one line.
        let whole = text.lines().any(|l| {
            l.split([' ', '│', '┆', ',', ':', ';'])
                .any(|w| w == word || w.trim_matches(['(', ')', '.']) == word)
        });
        assert!(whole, "`{word}` is split or missing:\n{text}");
    }
}

#[test]
fn questions_fit_80_columns_with_ids_and_values_whole() {
    for name in ["vks", "kubernetes"] {
        let text = on_terminal(&["questions", "--checklist", name]);
        let checklist = Checklist::builtin(name).unwrap();
        let mut words: Vec<String> = checklist.question_ids().map(str::to_string).collect();
        for q in &checklist.questions {
            words.extend(q.choices().iter().map(|c| c.value.clone()));
        }
        assert_fits(&text, &words);
    }
}

#[test]
fn assess_fits_80_columns_with_driver_ids_whole() {
    for answers in [
        "checklists/examples/case-study.yaml",
        "checklists/examples/long-jump.yaml",
    ] {
        let text = on_terminal(&["assess", "--answers", answers]);
        let json = json_of(["assess", "--answers", answers, "--format", "json"]);
        let words: Vec<String> = json["drivers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["question"].as_str().unwrap().to_string())
            .collect();
        assert!(!words.is_empty());
        assert_fits(&text, &words);
    }
}

#[test]
fn the_fleet_summary_fits_80_columns_with_names_whole() {
    let text = on_terminal(&["assess", "--answers", "checklists/examples/fleet.yaml"]);
    let json = json_of([
        "assess",
        "--answers",
        "checklists/examples/fleet.yaml",
        "--format",
        "json",
    ]);
    let mut words: Vec<String> = json["environments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap().to_string())
        .collect();
    words.extend(["Environment", "Strategy", "Confidence", "Target"].map(String::from));
    assert_fits(&text, &words);
}

#[test]
fn scan_fits_80_columns_with_rule_ids_whole() {
    let text = on_terminal(&["scan", "tests/fixtures/manifests", "--target", "1.33"]);
    let json = json_of([
        "scan",
        "tests/fixtures/manifests",
        "--target",
        "1.33",
        "--format",
        "json",
    ]);
    let mut words: Vec<String> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect();
    words.extend(["deprecated_apis", "pdbs_and_probes"].map(String::from));
    assert_fits(&text, &words);
}

#[test]
fn piped_output_keeps_the_documented_width() {
    let out = crate::common::advisor()
        .args(["questions"])
        .env("COLUMNS", "200")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let widest = text.lines().map(|l| l.chars().count()).max().unwrap();
    assert!(widest <= 100 && widest > 80, "{widest}");
}

/// On a 200-column terminal, tables stop at 120 columns, where lines are still readable.
#[test]
fn tables_on_a_wide_terminal_stop_at_120_columns() {
    for args in [
        &["assess", "checklists/examples/case-study.yaml"][..],
        &["questions"][..],
        &["scan", "tests/fixtures/manifests"][..],
    ] {
        let text = on_terminal_sized(args, 200, 50);
        let widest = text.lines().map(|l| l.chars().count()).max().unwrap_or(0);
        assert!(widest <= 120, "{args:?}: {widest} columns\n{text}");
        assert!(
            widest > 100,
            "{args:?} uses the room it has: {widest} columns"
        );
    }
}
