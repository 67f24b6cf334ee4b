//! The `calendar:` block of an answers file as a user meets it: a valid block is accepted and
//! (until the calendar is dated) changes no output but the file's own hash; a broken one
//! exits 2 naming the line and the fix.

use crate::common::{CASE_STUDY, advisor, case_study_with};

const CALENDAR: &str = "calendar:
  windows: {weekday: saturday, week: first}
  time_zone: Europe/Berlin
  rollback_hold_days: 14
  freezes:
    - {from: \"2027-11-15\", to: \"2028-01-05\", reason: holiday sales}
answers:";

/// Runs `assess` on `answers` (standard input) in `format`: (exit code, stdout, stderr).
fn assess(answers: &str, format: &str) -> (i32, String, String) {
    let out = advisor()
        .args(["assess", "--answers", "-", "--format", format])
        .args(["--start", "2027-01-04"])
        .write_stdin(answers.to_string())
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// The SHA-256 a report gives for its answers file.
fn answers_sha256(answers: &str) -> String {
    let (code, json, _) = assess(answers, "json");
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    json["answers_sha256"].as_str().unwrap().to_string()
}

#[test]
fn a_valid_calendar_is_accepted_and_changes_nothing_yet() {
    let plain =
        std::fs::read_to_string(format!("{}/{CASE_STUDY}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let dated = case_study_with("answers:", CALENDAR);
    let (plain_hash, dated_hash) = (answers_sha256(&plain), answers_sha256(&dated));
    assert_ne!(plain_hash, dated_hash, "the file's own hash is its bytes'");
    for format in ["table", "markdown", "json", "runbook", "adr"] {
        let (code, with_calendar, stderr) = assess(&dated, format);
        assert_eq!(code, 0, "{format}: {stderr}");
        let (_, without, plain_stderr) = assess(&plain, format);
        assert_eq!(
            with_calendar.replace(&dated_hash, &plain_hash),
            without,
            "{format}"
        );
        assert_eq!(stderr, plain_stderr, "{format}");
    }
}

#[test]
fn a_fleet_environment_may_carry_its_own_calendar() {
    let fleet = std::fs::read_to_string(format!(
        "{}/checklists/examples/fleet.yaml",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let dated = fleet.replacen(
        "    supervisor: sup-east\n",
        "    supervisor: sup-east\n    calendar:\n      windows: {weekday: tuesday, week: every}\n",
        1,
    );
    assert_ne!(dated, fleet);
    let (code, _, stderr) = assess(&dated, "json");
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn a_broken_calendar_exits_2_naming_the_line_and_the_fix() {
    let broken = case_study_with(
        "answers:",
        "calendar:\n  windows: {weekday: saturday, week: first}\n  time_zone: Europe/Berln\nanswers:",
    );
    let line = broken
        .lines()
        .position(|l| l.contains("Europe/Berln"))
        .unwrap()
        + 1;
    let (code, stdout, stderr) = assess(&broken, "table");
    assert_eq!(code, 2, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(
        stderr.contains(&format!(":{line}: `calendar.time_zone`: ")),
        "{stderr}"
    );
    assert!(
        stderr.contains("fix: did you mean `Europe/Berlin`?"),
        "{stderr}"
    );
    // A freeze that ends before it starts points at its `to:` line.
    let backwards = case_study_with(
        "answers:",
        "calendar:\n  freezes:\n    - from: 2027-12-20\n      to: 2027-12-01\n      reason: year end\nanswers:",
    );
    let line = backwards
        .lines()
        .position(|l| l.contains("to: 2027-12-01"))
        .unwrap()
        + 1;
    let (code, _, stderr) = assess(&backwards, "json");
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(&format!(":{line}: `calendar.freezes[0]`: ")),
        "{stderr}"
    );
    assert!(stderr.contains("fix: swap `from` and `to`"), "{stderr}");
    // A misspelt key is refused with the key it meant.
    let misspelt = case_study_with("answers:", "calender:\n  time_zone: UTC\nanswers:");
    let (code, _, stderr) = assess(&misspelt, "table");
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("did you mean `calendar`?"), "{stderr}");
}
