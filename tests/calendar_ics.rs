//! `assess --freezes FILE.ics`: iCalendar blackout events imported as freezes. A good file's
//! events become the report's freezes and no window falls in them; a bad one exits 2 naming the file, the line and the fix, and leaves no output
//! file; the frozen dates agree with a second implementation (Python's `icalendar` with
//! `recurring-ical-events`, skipped with a message where they are missing).

use std::collections::BTreeSet;
use std::process::Command;

use upgrade_advisor::answers::calendar_ics_events::freezes_from_ics;
use upgrade_advisor::base::date::Date;

use crate::common::{CASE_STUDY, advisor};

const FIXTURE: &str = "tests/fixtures/ics/freezes.ics";

#[test]
fn freezes_from_an_ics_file_are_accepted() {
    let out = advisor()
        .args([
            "assess",
            "-a",
            CASE_STUDY,
            "-f",
            "json",
            "--start",
            "2027-10-01",
        ])
        .args(["--freezes", FIXTURE, "--freezes", FIXTURE])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // The events are the report's freezes (the same file twice adds nothing), and no window
    // of any plan falls in one; the holiday-sales freeze skips the in-place plan's winter
    // windows.
    let freezes = json["calendar"]["freezes"].as_array().unwrap();
    assert!(
        freezes
            .iter()
            .any(|f| f["reason"] == "Holiday sales, peak traffic"
                && f["from"] == "2027-11-15"
                && f["to"] == "2028-01-05"),
        "{freezes:?}"
    );
    assert!(!freezes.iter().any(|f| f["reason"] == "Cancelled freeze"));
    let reasons: Vec<&str> = freezes
        .iter()
        .map(|f| f["reason"].as_str().unwrap())
        .collect();
    let distinct: BTreeSet<(String, String, String)> = freezes
        .iter()
        .map(|f| {
            (
                f["from"].to_string(),
                f["to"].to_string(),
                f["reason"].to_string(),
            )
        })
        .collect();
    assert_eq!(
        distinct.len(),
        reasons.len(),
        "duplicates merged: {reasons:?}"
    );
    let frozen = |day: &str| {
        freezes
            .iter()
            .any(|f| f["from"].as_str().unwrap() <= day && day <= f["to"].as_str().unwrap())
    };
    let mut skipped = 0;
    for t in json["timeline"].as_array().unwrap() {
        for p in t["phases"].as_array().unwrap() {
            for w in p["windows"].as_array().unwrap() {
                assert!(!frozen(w.as_str().unwrap()), "{w} is frozen");
            }
        }
        for s in t["skipped_windows"].as_array().unwrap() {
            assert!(frozen(s["date"].as_str().unwrap()), "{s}");
            skipped += 1;
        }
    }
    assert!(skipped > 0, "the freezes skip some windows");
}

#[test]
fn a_bad_ics_file_exits_2_with_its_line_and_leaves_no_output() {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("report.json");
    let out = advisor()
        .args(["assess", "-a", CASE_STUDY, "-f", "json"])
        .args(["--freezes", "tests/fixtures/ics/backwards.ics", "-o"])
        .arg(&output)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!output.exists(), "no partial output file");
    let stderr = String::from_utf8(out.stderr).unwrap();
    insta::assert_snapshot!("backwards_ics", stderr);
}

#[test]
fn hostile_ics_files_exit_2_quickly() {
    let dir = tempfile::tempdir().unwrap();
    let deep = format!("BEGIN:VCALENDAR\n{}", "BEGIN:X\n".repeat(100_000));
    let many = format!(
        "BEGIN:VCALENDAR\n{}END:VCALENDAR\n",
        "BEGIN:VEVENT\nDTSTART;VALUE=DATE:20270101\nEND:VEVENT\n".repeat(3_000)
    );
    let long = format!(
        "BEGIN:VCALENDAR\nX-A:{}\nEND:VCALENDAR\n",
        "a".repeat(100_000)
    );
    for (name, text) in [("deep", deep), ("many", many), ("long", long)] {
        let path = dir.path().join(format!("{name}.ics"));
        std::fs::write(&path, text).unwrap();
        let started = std::time::Instant::now();
        let out = advisor()
            .args(["assess", "-a", CASE_STUDY, "--freezes"])
            .arg(&path)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{name}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(&format!("{name}.ics:")), "{name}: {stderr}");
        assert!(stderr.contains("fix:"), "{name}: {stderr}");
        assert!(started.elapsed().as_secs() < 20, "{name}");
    }
}

/// Every day our import freezes for `file`, in `zone`, from `start`.
fn our_days(file: &str, zone: &str, start: &str) -> BTreeSet<String> {
    let text = std::fs::read_to_string(file).unwrap();
    let zone = jiff::tz::TimeZone::get(zone).unwrap();
    let start: Date = start.parse().unwrap();
    let mut days = BTreeSet::new();
    for freeze in freezes_from_ics(&text, &zone, start).unwrap() {
        let mut day = freeze.from;
        while day <= freeze.to {
            days.insert(day.to_string());
            day = day.plus_days(1);
        }
    }
    days
}

// A skipped oracle says so on standard error, naming what is missing.
#[allow(clippy::print_stderr)]
#[test]
fn frozen_dates_agree_with_python_icalendar() {
    let script = "tests/fixtures/ics/oracle.py";
    for zone in ["Europe/Berlin", "UTC", "America/New_York", "Asia/Tokyo"] {
        let start = "2027-01-01";
        let out = match Command::new("python3")
            .args([script, FIXTURE, zone, start])
            .output()
        {
            Ok(out) => out,
            Err(e) => {
                eprintln!("skipped: python3 is missing ({e}); the ICS oracle did not run");
                return;
            }
        };
        if out.status.code() == Some(3) {
            eprintln!(
                "skipped: {} (python3 -m pip install --user icalendar recurring-ical-events)",
                String::from_utf8_lossy(&out.stderr).trim()
            );
            return;
        }
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let theirs: BTreeSet<String> = String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect();
        assert!(!theirs.is_empty());
        assert_eq!(our_days(FIXTURE, zone, start), theirs, "{zone}");
    }
}
