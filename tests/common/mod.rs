//! Helpers shared by the CLI tests.
#![allow(dead_code)]

use assert_cmd::Command;

/// The binary with a fixed date and no colour, run from the repository root.
pub fn advisor() -> Command {
    let mut cmd = Command::cargo_bin("upgrade-advisor").unwrap();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        // 2026-11-26: reports carry this date.
        .env("SOURCE_DATE_EPOCH", "1795651200")
        .env_remove("CLICOLOR_FORCE")
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100");
    cmd
}

pub const CASE_STUDY: &str = "checklists/examples/case-study.yaml";

/// The case study's text with one edit applied; panics if the edit does not apply.
pub fn case_study_with(from: &str, to: &str) -> String {
    let text =
        std::fs::read_to_string(format!("{}/{CASE_STUDY}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let edited = text.replacen(from, to, 1);
    assert_ne!(text, edited, "the edit `{from}` did not apply");
    edited
}

/// Runs the binary with `args`, expects success, and parses its standard output as JSON.
pub fn json_of<I, S>(args: I) -> serde_json::Value
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    json_with_stdin(args, "")
}

/// Like [`json_of`], with `stdin` on standard input.
pub fn json_with_stdin<I, S>(args: I, stdin: &str) -> serde_json::Value
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    serde_json::from_str(&stdout_of(args, stdin)).unwrap()
}

/// Runs the binary with `args` and `stdin`, expects success, and returns its standard output.
pub fn stdout_of<I, S>(args: I, stdin: &str) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let out = advisor()
        .args(args)
        .write_stdin(stdin.to_string())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A validator for the schema `upgrade-advisor schema FLAG` prints.
pub fn published_schema(flag: &str) -> jsonschema::Validator {
    let schema = json_of(["schema", flag]);
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    jsonschema::validator_for(&schema).unwrap()
}

pub fn assert_valid(validator: &jsonschema::Validator, instance: &serde_json::Value, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .take(10)
        .collect();
    assert!(
        errors.is_empty(),
        "{what} does not match its schema: {errors:#?}"
    );
}
