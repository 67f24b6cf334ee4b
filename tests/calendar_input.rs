//! The `calendar:` block of an answers file as a user meets it: a valid block dates every
//! plan on its windows, skipping its freezes, in every format; a broken one exits 2 naming
//! the line and the fix.

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

#[test]
fn a_valid_calendar_dates_every_plan_on_its_windows_outside_its_freezes() {
    let plain =
        std::fs::read_to_string(format!("{}/{CASE_STUDY}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let dated = case_study_with("answers:", CALENDAR);
    let (code, json, stderr) = assess(&dated, "json");
    assert_eq!(code, 0, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let freeze = |d: &str| ("2027-11-15"..="2028-01-05").contains(&d);
    let mut seen = 0;
    for t in json["timeline"].as_array().unwrap() {
        assert!(t["target_date"].as_str().unwrap() <= t["close_date"].as_str().unwrap());
        for phase in t["phases"].as_array().unwrap() {
            for w in phase["windows"].as_array().unwrap() {
                let w = w.as_str().unwrap();
                let day: jiff::civil::Date = w.parse().unwrap();
                // The first Saturday of its month, and never in the freeze.
                assert_eq!(day.weekday(), jiff::civil::Weekday::Saturday, "{w}");
                assert!(day.day() <= 7, "{w}");
                assert!(!freeze(w), "{w} is in the freeze");
                seen += 1;
            }
        }
        for s in t["skipped_windows"].as_array().unwrap() {
            assert!(freeze(s["date"].as_str().unwrap()), "{s}");
            assert_eq!(s["freeze"]["reason"], "holiday sales");
        }
    }
    assert!(seen > 10, "{seen} dated windows");
    let sequential = &json["timeline"][0];
    assert_eq!(
        sequential["skipped_windows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["date"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["2027-12-04", "2028-01-01"],
        "the freeze skips December and January"
    );
    for format in ["table", "markdown", "runbook", "adr"] {
        let (code, with_calendar, stderr) = assess(&dated, format);
        assert_eq!(code, 0, "{format}: {stderr}");
        let (_, without, _) = assess(&plain, format);
        assert_ne!(with_calendar, without, "{format}: the calendar shows");
    }
    let (_, markdown, _) = assess(&dated, "markdown");
    assert!(
        markdown.contains(
            "Change windows on the first Saturday of every month (Europe/Berlin), from 2027-01-04"
        ),
        "{markdown}"
    );
    assert!(markdown.contains("- 2027-11-15 to 2028-01-05: holiday sales"));
    assert!(
        markdown.contains("    section Freezes\n    holiday sales :done, frz0, 2027-11-15, 52d"),
        "{markdown}"
    );
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

#[test]
fn a_calendar_that_cannot_date_a_plan_exits_2_naming_the_plan_and_the_fix() {
    let listed = case_study_with(
        "answers:",
        "calendar:\n  windows: {dates: [\"2027-02-06\"]}\nanswers:",
    );
    let (code, stdout, stderr) = assess(&listed, "markdown");
    assert_eq!((code, stdout.as_str()), (2, ""), "{stderr}");
    assert!(
        stderr.contains("the sequential plan cannot be dated")
            && stderr.contains("1 open date from 2027-01-04 on, and the plan needs 11"),
        "{stderr}"
    );
    assert!(
        stderr.contains("fix: add later dates to `calendar.windows.dates`"),
        "{stderr}"
    );
    let frozen = case_study_with(
        "answers:",
        "calendar:\n  freezes:\n    - {from: \"2027-01-01\", to: \"2028-06-01\", reason: everything}\nanswers:",
    );
    let (code, _, stderr) = assess(&frozen, "json");
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("the freezes leave no change window from 2027-01-01 to 2028-06-01"),
        "{stderr}"
    );
}
