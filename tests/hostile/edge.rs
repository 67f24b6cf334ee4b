//! Hostile use of the edge: exit codes, closed streams, standard input twice, fix advice, keys.

use std::process::Command;

use crate::common::{CASE_STUDY, advisor};
use predicates::prelude::*;
use predicates::str::contains;

/// Runs the binary through `sh -c`, for redirections the test harness cannot express
/// (`>&-`, `<&-`); `script` gets the binary as `$0`-free `"$B"`.
fn shell(script: &str) -> std::process::Output {
    Command::new("sh")
        .arg("-c")
        .arg(script)
        .env("B", env!("CARGO_BIN_EXE_upgrade-advisor"))
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", "1795651200")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

/// Item 12: a `man --dir` that cannot be a folder is bad input (exit 2) with a fix, whether it
/// is a file, lies under a file or on a filesystem that refuses it.
#[test]
fn man_dir_that_cannot_be_a_folder_is_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("page");
    std::fs::write(&file, "x").unwrap();
    let cases = [
        (file.clone(), "it is a file, not a folder".to_string()),
        (file.join("man1"), format!("{} is a file", file.display())),
        (
            "/proc/upgrade-advisor-man".into(),
            "the system refused it".into(),
        ),
    ];
    for (path, why) in cases {
        advisor()
            .args(["man", "--dir"])
            .arg(&path)
            .assert()
            .code(2)
            .stderr(contains(format!(
                "--dir {}: cannot create the folder",
                path.display()
            )))
            .stderr(contains(why))
            .stderr(contains("fix: give --dir a folder you can write"));
    }
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "x");
}

/// Item 13: `assess >&-` writes nothing, so it fails (exit 1) and says why; `>/dev/null` is a
/// choice and succeeds.
#[test]
fn a_closed_standard_output_is_a_failed_write() {
    let closed = shell(&format!("\"$B\" assess -a {CASE_STUDY} >&-"));
    assert_eq!(closed.status.code(), Some(1), "{closed:?}");
    let stderr = String::from_utf8_lossy(&closed.stderr);
    assert!(
        stderr.contains("could not write to standard output: it is closed"),
        "{stderr}"
    );
    let scan = shell("\"$B\" scan tests/fixtures >&-");
    assert_eq!(scan.status.code(), Some(1), "{scan:?}");
    let null = shell(&format!("\"$B\" assess -a {CASE_STUDY} >/dev/null"));
    assert_eq!(null.status.code(), Some(0), "{null:?}");
    // With --output, a closed standard output does not matter.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.json");
    let to_file = shell(&format!(
        "\"$B\" assess -a {CASE_STUDY} -f json -o {} >&-",
        out.display()
    ));
    assert_eq!(to_file.status.code(), Some(0), "{to_file:?}");
    assert!(std::fs::read_to_string(&out).unwrap().starts_with('{'));
}

/// Item 17: a closed standard input is said to be closed, not "the answers file is empty".
#[test]
fn a_closed_standard_input_is_named() {
    for (script, what) in [
        (
            "\"$B\" assess -a - <&-",
            "the answers file is to be read from standard input (-), but standard input is closed",
        ),
        (
            "\"$B\" scan - <&-",
            "the manifests are to be read from standard input (-), but standard input is closed",
        ),
    ] {
        let run = shell(script);
        assert_eq!(run.status.code(), Some(2), "{script}: {run:?}");
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(stderr.contains(what), "{script}: {stderr}");
    }
    // An empty pipe is still an empty answers file.
    advisor()
        .args(["assess", "-a", "-"])
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(contains("the answers file is empty"));
}

/// Item 14: `--set ID=` with nothing after the `=` is refused, not ignored.
#[test]
fn set_with_an_empty_value_is_refused() {
    advisor()
        .args(["assess", "-a", CASE_STUDY, "--set", "cluster_count="])
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains(
            "`--set cluster_count=` gives `cluster_count` no value",
        ))
        .stderr(contains("fix: give a value after the `=`"));
}

/// Item 15: standard input can be read once; a second `-` is refused with both flags named.
#[test]
fn standard_input_asked_for_twice_names_both_flags() {
    let answers = std::fs::read_to_string(CASE_STUDY).unwrap();
    for (args, named) in [
        (
            vec!["assess", "-a", "-", "--manifests", "-"],
            "both `--answers -` and `--manifests -` ask for it",
        ),
        (
            vec!["assess", "-a", "-", "--evidence", "-"],
            "both `--answers -` and `--evidence -` ask for it",
        ),
        (
            vec!["assess", "-a", "-", "--freezes", "-"],
            "both `--answers -` and `--freezes -` ask for it",
        ),
        (
            vec!["scan", "-", "--api-data", "-"],
            "both the path `-` and `--api-data -` ask for it",
        ),
        (vec!["scan", "-", "-"], "the path `-` is given twice"),
    ] {
        advisor()
            .args(&args)
            .write_stdin(answers.clone())
            .assert()
            .code(2)
            .stdout("")
            .stderr(contains(format!(
                "standard input can be read only once, but {named}"
            )))
            .stderr(contains(
                "fix: save one of them to a file and pass its path instead of -",
            ));
    }
}

/// Item 16: the fix for a named pipe given as the checklist does not offer `-`, which
/// `--checklist` refuses; the answers file, which takes `-`, is still offered it.
#[cfg(unix)]
#[test]
fn fix_advice_for_special_files_offers_only_what_works() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("checklist.yaml");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    advisor()
        .args(["assess", "-a", CASE_STUDY, "--checklist"])
        .arg(&fifo)
        .assert()
        .code(2)
        .stderr(contains("is a named pipe (FIFO), not a file"))
        .stderr(contains(
            "fix: save the checklist to a regular file first and pass its path\n",
        ));
    advisor()
        .args(["assess", "-a", "/dev/zero"])
        .assert()
        .code(2)
        .stderr(contains("pass - for standard input"));
}

/// Item 16: a tagged number gets a fix that is accepted when followed.
#[test]
fn the_fix_for_a_tagged_version_is_accepted_when_followed() {
    let tagged = crate::common::case_study_with(
        "current_version: \"1.30\"",
        "current_version: !!float 1.30",
    );
    let fix = "fix: drop the tag and quote the version: current_version: \"1.30\"";
    advisor()
        .args(["assess", "-a", "-"])
        .write_stdin(tagged.clone())
        .assert()
        .code(2)
        .stderr(contains(fix));
    // Following the fix word for word gives a file that is accepted.
    let followed = tagged.replace(
        "current_version: !!float 1.30",
        fix.trim_start_matches("fix: drop the tag and quote the version: "),
    );
    advisor()
        .args(["assess", "-a", "-"])
        .write_stdin(followed)
        .assert()
        .success();
}

/// Item 16: a list used as a key is reported in YAML's words, with its line, never in Rust's
/// debug notation.
#[test]
fn a_complex_key_is_named_in_yaml_with_its_line() {
    for (text, line) in [
        ("checklist: vks\nanswers:\n  ? [a, b]\n  : 1\n", 3),
        (
            "checklist: vks\nanswers:\n  cluster_count: 3\n  [a, {b: c}]: 1\n",
            4,
        ),
    ] {
        advisor()
            .args(["assess", "-a", "-"])
            .write_stdin(text)
            .assert()
            .code(2)
            .stderr(contains(format!("<stdin>:{line}: a key is a list ([a, ")))
            .stderr(predicates::str::contains("Sequence").not())
            .stderr(predicates::str::contains("String(").not());
    }
}

/// Item 17: `scan --current` newer than `--target` is refused.
#[test]
fn scan_refuses_a_current_version_newer_than_the_target() {
    advisor()
        .args([
            "scan",
            "tests/fixtures",
            "--current",
            "1.34",
            "--target",
            "1.33",
        ])
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains("--current 1.34 is newer than --target 1.33"));
}

/// Item 18: in the workshop, Ctrl-Z and other control keys are never typed into an answer,
/// Ctrl-A/E/U/K/W edit the line as in a shell, and a pasted escape sequence loses its escapes.
#[cfg(unix)]
#[test]
fn control_keys_edit_answers_and_are_never_typed_in() {
    use crate::workshop::{CTRL_C, answer, exit_code, saved_answers, spawn};
    use expectrl::Expect;
    let dir = tempfile::tempdir().unwrap();
    let mut pty = spawn(dir.path(), &[]);
    // A right-to-left override is refused under the prompt, and Backspace takes it out.
    answer(&mut pty, "Organization", "Acme\u{202e}\r");
    pty.expect("the bidirectional formatting character U+202E")
        .unwrap();
    // Then Ctrl-Z, " Corp", and a bracketed paste holding an OSC 52 clipboard write.
    answer(
        &mut pty,
        "Organization",
        "\x7f\x1a Corp\x1b[200~\x1b]52;c;cm0gLXJmIH4=\x07\x1b[201~\r",
    );
    // Ctrl-X and Ctrl-V are nothing; Ctrl-U clears the line typed so far.
    answer(&mut pty, "Environment", "sta\x18\x16ging\x15production\r");
    // Ctrl-W deletes the word before the cursor, then Backspace the space.
    answer(&mut pty, "[1/27]", "1.30 oops\x17\x7f\r");
    // Ctrl-A to the start, Ctrl-K to cut to the end, Ctrl-E to the end.
    answer(&mut pty, "[2/27]", "9.9\x01\x0b1.3\x053\r");
    answer(&mut pty, "[3/27]", "6\r");
    answer(&mut pty, "[4/27]", CTRL_C);
    assert_eq!(exit_code(&mut pty), 130);
    let saved = saved_answers(dir.path());
    for line in [
        "organization: \"Acme Corp]52;c;cm0gLXJmIH4=\"",
        "environment: \"production\"",
        "current_version: \"1.30\"",
        "target_version: \"1.33\"",
        "cluster_count: 6",
    ] {
        assert!(saved.contains(line), "{line} missing from:\n{saved}");
    }
    assert!(
        !saved.contains('\x1b') && !saved.contains('\x07'),
        "{saved:?}"
    );
}

/// Item 17: a path that is not UTF-8 is read by its real bytes wherever a path is taken (the
/// answers file, a scanned manifest, `checklist lint`), and `--checklist`, which also takes a
/// name, names itself when it refuses one.
#[cfg(target_os = "linux")]
#[test]
fn paths_that_are_not_utf8_are_read_or_refused_by_name() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let name = |n: &[u8]| dir.path().join(std::ffi::OsStr::from_bytes(n));
    let answers = name(b"caf\xe9-answers.yaml");
    std::fs::copy(CASE_STUDY, &answers).unwrap();
    let manifest = name(b"caf\xe9.yaml");
    std::fs::write(
        &manifest,
        "apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: web\n",
    )
    .unwrap();
    let json = crate::common::json_of([
        "assess".as_ref(),
        answers.as_os_str(),
        "-f".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(json["recommendation"]["strategy"], "hybrid");
    let out = advisor()
        .arg("scan")
        .arg(&manifest)
        .args(["-f", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let scan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(scan["findings"][0]["rule"], "removed-api");
    advisor()
        .args(["checklist", "lint"])
        .arg(&manifest)
        .assert()
        .code(2)
        .stderr(contains("unknown field `apiVersion`"));
    advisor()
        .args(["assess", CASE_STUDY, "--checklist"])
        .arg(&manifest)
        .assert()
        .code(2)
        .stderr(contains(
            "for '--checklist <NAME|PATH>': the name is not UTF-8 text",
        ));
}

/// Beyond the list: `context:` is echoed at the top of every report, so 20,000 entries or a
/// 3,000-character value are refused (with the line) instead of amplified into each format.
#[test]
fn context_is_bounded_where_every_report_echoes_it() {
    let text = std::fs::read_to_string(CASE_STUDY).unwrap();
    let answers = &text[text.find("answers:").unwrap()..];
    let many: String = (0..20_000).map(|i| format!("  k{i}: v{i}\n")).collect();
    let long = format!("  organization: {}\n", "x".repeat(3_000));
    for (context, said) in [
        (
            many,
            "<stdin>:2: `context`: `context` has 20000 entries; reports show at most 50",
        ),
        (
            long,
            "<stdin>:3: `context`: `organization`: the text is 3000 characters long",
        ),
    ] {
        super::refuses_fast(
            &["assess", "-", "-f", "markdown"],
            format!("checklist: vks\ncontext:\n{context}{answers}").into_bytes(),
            said,
        );
    }
}
