//! Fleet reports, `--set` traces and the published JSON Schemas, as a user meets them.

mod common;

use common::{CASE_STUDY, advisor, json_of, stdout_of};
use sha2::{Digest, Sha256};

const FLEET: &str = "checklists/examples/fleet.yaml";

#[test]
fn set_overrides_are_recorded_in_the_json() {
    let plain = json_of(["assess", "-a", CASE_STUDY, "-f", "json"]);
    assert_eq!(plain["overrides"], serde_json::json!([]));
    let set = json_of([
        "assess",
        "-a",
        CASE_STUDY,
        "-f",
        "json",
        "--set",
        "spare_capacity=no",
    ]);
    assert_eq!(
        set["overrides"],
        serde_json::json!([{"question": "spare_capacity", "value": "no", "file_value": "limited"}])
    );
    // The file is the same; the effective answers are not, and their hash says so.
    assert_eq!(plain["answers_sha256"], set["answers_sha256"]);
    assert_ne!(
        plain["effective_answers_sha256"],
        set["effective_answers_sha256"]
    );
    // The documented canonical form: compact JSON of the effective answers, keys sorted.
    let canonical = serde_json::to_string(&set["answers"]).unwrap();
    let digest: String = Sha256::digest(canonical.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(set["effective_answers_sha256"], digest.as_str());
}

#[test]
fn set_overrides_show_in_the_decision_record_and_the_table() {
    let args = |format: &'static str| {
        [
            "assess",
            "-a",
            CASE_STUDY,
            "-f",
            format,
            "--set",
            "spare_capacity=no",
        ]
    };
    let markdown = stdout_of(args("markdown"), "");
    assert!(
        markdown.contains(
            "*Answers overridden with `--set`: `spare_capacity` = no (the file: limited).*"
        ),
        "{markdown}"
    );
    assert!(
        markdown.contains("effective answers SHA-256 `"),
        "{markdown}"
    );
    let table = stdout_of(args("table"), "");
    assert!(
        table.contains("spare_capacity = no (the file: limited)"),
        "{table}"
    );
    let unset = stdout_of(["assess", "-a", CASE_STUDY, "-f", "markdown"], "");
    assert!(!unset.contains("overridden with"), "{unset}");
}

#[test]
fn a_bad_set_value_names_the_flag_not_the_file_line() {
    let out = advisor()
        .args(["assess", "-a", CASE_STUDY, "--set", "target_version=1.20"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains(&format!(
            "{CASE_STUDY}: --set target_version=1.20: the target 1.20 is below"
        )),
        "{err}"
    );
    let out = advisor()
        .args(["assess", "-a", FLEET, "--set", "target_version=1.20"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains(&format!(
            "{FLEET}: environments[0] (payments-prod): --set target_version=1.20:"
        )),
        "{err}"
    );
    let out = advisor()
        .args(["assess", "-a", CASE_STUDY, "--set", "spare_capacity=maybe"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("--set spare_capacity=maybe: "), "{err}");
}
