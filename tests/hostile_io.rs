//! Hostile files and paths around the input and output edge: outputs never destroy inputs,
//! built-in names always mean the built-ins, special files never block or get replaced, and
//! every refusal is quick, exit 2, with the input untouched.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::common::{CASE_STUDY, advisor};
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;

/// The tests here time the tool against a one-second limit; run one at a time, so they do
/// not compete with each other for the processor.
fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A temporary folder holding a copy of the case study as `a.yaml`.
fn workspace() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("a.yaml");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(CASE_STUDY),
        &answers,
    )
    .unwrap();
    (dir, answers)
}

/// Runs `args` in `dir`, expecting exit 2 with `message` on standard error, nothing on
/// standard output, and an end within a second.
fn refuses_fast_in(dir: &Path, args: &[&str], message: &str) {
    let started = Instant::now();
    advisor()
        .current_dir(dir)
        .args(args)
        .timeout(Duration::from_secs(20))
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains(message));
    let took = started.elapsed();
    assert!(took < Duration::from_secs(1), "{args:?} took {took:?}");
}

fn case_study_text() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(CASE_STUDY)).unwrap()
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn the_report_never_overwrites_the_answers() {
    let _serial = one_at_a_time();
    let (dir, answers) = workspace();
    let before = std::fs::read_to_string(&answers).unwrap();
    refuses_fast_in(
        dir.path(),
        &["assess", "-a", "a.yaml", "-o", "a.yaml"],
        "the output a.yaml is the answers file being read",
    );
    // Through a symbolic link and a hard link too.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&answers, dir.path().join("link.md")).unwrap();
        refuses_fast_in(
            dir.path(),
            &["assess", "-a", "a.yaml", "-o", "link.md"],
            "(the same file as a.yaml) is the answers file being read",
        );
    }
    std::fs::hard_link(&answers, dir.path().join("hard.md")).unwrap();
    refuses_fast_in(
        dir.path(),
        &["assess", "-a", "./a.yaml", "-f", "json", "-o", "hard.md"],
        "is the answers file being read",
    );
    // Standard input redirected from the answers file is that file.
    #[cfg(unix)]
    {
        let started = Instant::now();
        let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("upgrade-advisor"))
            .current_dir(dir.path())
            .args(["assess", "-a", "-", "-o", "a.yaml"])
            .stdin(std::fs::File::open(&answers).unwrap())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert!(
            String::from_utf8_lossy(&out.stderr)
                .contains("(the same file as standard input) is the answers file being read")
        );
        assert!(started.elapsed() < Duration::from_secs(1));
    }
    assert_eq!(std::fs::read_to_string(&answers).unwrap(), before);
}

#[test]
fn the_report_never_overwrites_the_checklist_or_the_evidence() {
    let _serial = one_at_a_time();
    let (dir, _) = workspace();
    let checklist = dir.path().join("mine.yaml");
    let vks = advisor()
        .args(["checklist", "show", "vks"])
        .output()
        .unwrap()
        .stdout;
    std::fs::write(&checklist, &vks).unwrap();
    refuses_fast_in(
        dir.path(),
        &[
            "assess",
            "-a",
            "a.yaml",
            "-c",
            "mine.yaml",
            "-o",
            "mine.yaml",
        ],
        "is the checklist being read",
    );
    refuses_fast_in(
        dir.path(),
        &["template", "-c", "mine.yaml", "-o", "mine.yaml"],
        "is the checklist being read",
    );
    refuses_fast_in(
        dir.path(),
        &["schema", "-c", "./mine.yaml", "-o", "mine.yaml"],
        "is the checklist being read",
    );
    assert_eq!(std::fs::read(&checklist).unwrap(), vks);
    let evidence = dir.path().join("scan.json");
    std::fs::write(&evidence, "{}").unwrap();
    refuses_fast_in(
        dir.path(),
        &[
            "assess",
            "-a",
            "a.yaml",
            "--evidence",
            "scan.json",
            "-o",
            "scan.json",
        ],
        "is the evidence file being read",
    );
    assert_eq!(std::fs::read_to_string(&evidence).unwrap(), "{}");
}

#[test]
fn a_scan_never_overwrites_a_scanned_file() {
    let _serial = one_at_a_time();
    let dir = tempfile::tempdir().unwrap();
    let manifest = dir.path().join("deploy.yaml");
    let text = "apiVersion: batch/v1beta1\nkind: CronJob\nmetadata: {name: old}\n";
    std::fs::write(&manifest, text).unwrap();
    refuses_fast_in(
        dir.path(),
        &["scan", ".", "-o", "deploy.yaml"],
        "is the manifest being read",
    );
    refuses_fast_in(
        dir.path(),
        &[
            "assess",
            "-a",
            &format!("{}/{CASE_STUDY}", env!("CARGO_MANIFEST_DIR")),
            "--manifests",
            ".",
            "-o",
            "./deploy.yaml",
        ],
        "is the manifest being read",
    );
    assert_eq!(std::fs::read_to_string(&manifest).unwrap(), text);
}

#[test]
fn built_in_names_mean_the_built_ins_whatever_lies_in_the_folder() {
    let _serial = one_at_a_time();
    let (dir, _) = workspace();
    std::fs::create_dir(dir.path().join("kubernetes")).unwrap();
    // A planted checklist that would turn the recommendation around.
    let planted = advisor()
        .args(["checklist", "show", "vks"])
        .output()
        .unwrap()
        .stdout;
    std::fs::write(dir.path().join("vks"), planted).unwrap();
    let expected = advisor()
        .args(["assess", "-a", CASE_STUDY, "-f", "json"])
        .output()
        .unwrap()
        .stdout;
    let out = advisor()
        .current_dir(dir.path())
        .args(["assess", "-a", "a.yaml", "-f", "json", "--checklist", "vks"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(out.stdout, expected, "the built-in vks, not ./vks");
    advisor()
        .current_dir(dir.path())
        .args(["questions", "--checklist", "kubernetes"])
        .assert()
        .success()
        .stdout(contains("cluster_count"));
    // A file is named as a path: ./vks is read (and here it is the same checklist).
    advisor()
        .current_dir(dir.path())
        .args(["questions", "--checklist", "./vks"])
        .assert()
        .success();
    refuses_fast_in(
        dir.path(),
        &["assess", "-a", "a.yaml", "--checklist", "mine"],
        "e.g. ./mine or mine.yaml",
    );
    advisor()
        .arg("assess")
        .arg("--help")
        .assert()
        .success()
        .stdout(contains("a path needs a `/` or an"));
}

#[test]
fn a_folder_where_a_file_is_expected_is_bad_input() {
    let _serial = one_at_a_time();
    let (dir, _) = workspace();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    for (args, message) in [
        (
            &["assess", "-a", "sub"][..],
            "the answers file `sub` is a folder, not a file",
        ),
        (
            &["assess", "-a", "a.yaml", "-o", "sub"],
            "cannot write sub: it is a folder, not a file",
        ),
        (
            &["assess", "-a", "a.yaml", "--evidence", "sub"],
            "the evidence file `sub` is a folder, not a file",
        ),
        (
            &["checklist", "lint", "sub"],
            "the checklist `sub` is a folder, not a file",
        ),
        (
            &["assess", "-a", "a.yaml", "-c", "sub/"],
            "the checklist `sub/` is a folder, not a file",
        ),
    ] {
        refuses_fast_in(dir.path(), args, message);
    }
}

#[cfg(unix)]
#[test]
fn named_pipes_never_block() {
    let _serial = one_at_a_time();
    let (dir, _) = workspace();
    mkfifo(&dir.path().join("pipe.yaml"));
    for (args, message) in [
        (
            &["assess", "-a", "pipe.yaml"][..],
            "the answers file `pipe.yaml` is a named pipe (FIFO), not a file",
        ),
        (
            &["assess", "-a", "a.yaml", "-c", "pipe.yaml"],
            "the checklist `pipe.yaml` is a named pipe (FIFO)",
        ),
        (
            &["assess", "-a", "a.yaml", "--evidence", "pipe.yaml"],
            "the evidence file `pipe.yaml` is a named pipe (FIFO)",
        ),
        (
            &["checklist", "lint", "pipe.yaml"],
            "is a named pipe (FIFO)",
        ),
        (&["scan", "pipe.yaml"], "pipe.yaml: a named pipe (FIFO)"),
    ] {
        refuses_fast_in(dir.path(), args, message);
    }
    // Inside a scanned folder, the pipe is skipped and the rest is read.
    std::fs::write(
        dir.path().join("ok.yaml"),
        "apiVersion: batch/v1beta1\nkind: CronJob\nmetadata: {name: old}\n",
    )
    .unwrap();
    let started = Instant::now();
    let json = crate::common::json_of([
        "scan".as_ref(),
        dir.path().as_os_str(),
        "-f".as_ref(),
        "json".as_ref(),
    ]);
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(json["documents"]["read"], 1);
    let skipped = json["skipped"].to_string();
    assert!(
        skipped.contains("a named pipe (FIFO), not a file"),
        "{skipped}"
    );
}

#[cfg(unix)]
#[test]
fn output_onto_a_device_or_link_writes_through_it() {
    let _serial = one_at_a_time();
    let (dir, _) = workspace();
    // /dev/null stays a character device (as root, replacing it would break the machine).
    advisor()
        .current_dir(dir.path())
        .args(["assess", "-a", "a.yaml", "-o", "/dev/null"])
        .assert()
        .success();
    use std::os::unix::fs::FileTypeExt;
    assert!(
        std::fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device()
    );
    // A link to a report stays a link; the report it points to is replaced.
    let real = dir.path().join("real.md");
    std::fs::write(&real, "old").unwrap();
    std::os::unix::fs::symlink(&real, dir.path().join("latest.md")).unwrap();
    advisor()
        .current_dir(dir.path())
        .args([
            "assess",
            "-a",
            "a.yaml",
            "-f",
            "markdown",
            "-o",
            "latest.md",
        ])
        .assert()
        .success();
    assert!(
        std::fs::symlink_metadata(dir.path().join("latest.md"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::read_to_string(&real)
            .unwrap()
            .starts_with("# Kubernetes upgrade strategy")
    );
    // A named pipe with a reader gets the report, like a shell redirection.
    let pipe = dir.path().join("out.fifo");
    mkfifo(&pipe);
    let reader = {
        let pipe = pipe.clone();
        std::thread::spawn(move || std::fs::read_to_string(pipe).unwrap())
    };
    advisor()
        .current_dir(dir.path())
        .args(["assess", "-a", "a.yaml", "-f", "json", "-o"])
        .arg(&pipe)
        .timeout(Duration::from_secs(20))
        .assert()
        .success();
    assert!(reader.join().unwrap().contains("\"schema_version\""));
}

#[test]
fn dash_is_standard_output_everywhere() {
    let _serial = one_at_a_time();
    let (dir, _) = workspace();
    advisor()
        .current_dir(dir.path())
        .args(["assess", "-a", "a.yaml", "-f", "json", "-o", "-"])
        .assert()
        .success()
        .stdout(contains("\"schema_version\""));
    advisor()
        .current_dir(dir.path())
        .args(["scan", "-", "-o", "-", "-f", "json"])
        .write_stdin("apiVersion: batch/v1beta1\nkind: CronJob\nmetadata: {name: old}\n")
        .assert()
        .success()
        .stdout(contains("\"removed-api\""));
    advisor()
        .current_dir(dir.path())
        .args(["template", "-o", "-"])
        .assert()
        .success()
        .stdout(contains("answers:"));
    assert!(!dir.path().join("-").exists(), "no file named -");
}

#[test]
fn template_schema_and_man_write_files() {
    let _serial = one_at_a_time();
    let dir = tempfile::tempdir().unwrap();
    for (args, file, start) in [
        (&["template", "-o"][..], "t.yaml", "#"),
        (&["schema", "-c", "kubernetes", "-o"], "s.json", "{"),
        (&["man", "-o"], "u.1", ".ie"),
    ] {
        advisor()
            .args(args)
            .arg(dir.path().join(file))
            .assert()
            .success()
            .stdout("")
            .stderr(contains("Wrote the").and(contains(file)));
        let text = std::fs::read_to_string(dir.path().join(file)).unwrap();
        assert!(text.starts_with(start), "{file}: {}", &text[..20]);
    }
}

/// A byte order mark is not a second document, and a NUL byte is named at its real line.
#[test]
fn bom_and_control_characters_are_handled() {
    let _serial = one_at_a_time();
    let (dir, _) = workspace();
    std::fs::write(
        dir.path().join("bom.yaml"),
        format!("\u{feff}{}", case_study_text()),
    )
    .unwrap();
    advisor()
        .current_dir(dir.path())
        .args(["assess", "-a", "bom.yaml"])
        .assert()
        .success();
    let mut text = case_study_text();
    let at = text.match_indices('\n').nth(9).unwrap().0 + 3;
    text.insert(at, '\0');
    std::fs::write(dir.path().join("nul.yaml"), text).unwrap();
    refuses_fast_in(
        dir.path(),
        &["assess", "-a", "nul.yaml"],
        "nul.yaml:11: column 3: the control character U+0000 (NUL) is not allowed in YAML",
    );
}

#[test]
fn dates_are_strict_and_in_range() {
    let _serial = one_at_a_time();
    let (dir, _) = workspace();
    for start in [
        "99999-01-01",
        "4294967295-01-01",
        "+2027-01-04",
        "2027-1-4",
        "2027-02-29",
        "1969-12-31",
    ] {
        let started = Instant::now();
        advisor()
            .current_dir(dir.path())
            .args(["assess", "-a", "a.yaml", "-f", "markdown", "--start", start])
            .assert()
            .code(2)
            .stdout("")
            .stderr(contains(format!("\"{start}\"")));
        assert!(started.elapsed() < Duration::from_secs(1));
    }
    // The last day there is: the chart saturates instead of wrapping to a negative year.
    let out = advisor()
        .current_dir(dir.path())
        .args([
            "assess",
            "-a",
            "a.yaml",
            "-f",
            "markdown",
            "--start",
            "9999-12-01",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains(", 9999-12-"), "{text}");
    assert!(!text.contains(", -"), "no negative years");
    for epoch in ["tomorrow", "99999999999999999", "-86400", "1e9"] {
        advisor()
            .current_dir(dir.path())
            .env("SOURCE_DATE_EPOCH", epoch)
            .args(["assess", "-a", "a.yaml"])
            .assert()
            .code(2)
            .stderr(contains("SOURCE_DATE_EPOCH"));
    }
}

/// Runs `assess -a -` on `stdin` with `extra` arguments, expecting a quick exit 2 naming
/// `message`.
fn assess_refuses(stdin: &str, extra: &[&str], message: &str) {
    assess_refuses_within(stdin, extra, message, Duration::from_secs(1));
}

/// Like [`assess_refuses`], for inputs that take `limit` only to read.
fn assess_refuses_within(stdin: &str, extra: &[&str], message: &str, limit: Duration) {
    let started = Instant::now();
    advisor()
        .args(["assess", "-a", "-"])
        .args(extra)
        .write_stdin(stdin.to_string())
        .timeout(Duration::from_secs(20))
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains(message));
    let took = started.elapsed();
    assert!(took < limit, "{message}: took {took:?}");
}

#[test]
fn numbers_are_bounded_where_they_come_in() {
    let _serial = one_at_a_time();
    for (from, to, message) in [
        (
            "target_version: \"1.33\"",
            "target_version: \"1.4294967295\"",
            "\"1.4294967295\" is out of range: the major version goes up to 99 and the minor up to 99",
        ),
        (
            "target_version: \"1.33\"",
            "target_version: \"1.100000\"",
            "\"1.100000\" is out of range",
        ),
        (
            "cluster_count: 6",
            "cluster_count: 18446744073709551615",
            "18446744073709551615 is above 100000, the largest count upgrade-advisor accepts",
        ),
        (
            "clusters_per_window: 2",
            "clusters_per_window: 4294967296",
            "is above 100000",
        ),
        (
            "changes_per_window: 1",
            "changes_per_window: 100001",
            "100001 is above 100000",
        ),
    ] {
        assess_refuses(&crate::common::case_study_with(from, to), &[], message);
    }
    assess_refuses(
        &case_study_text(),
        &["--set", "cluster_count=100001"],
        "100001 is above 100000",
    );
    let started = Instant::now();
    advisor()
        .args(["scan", "-", "--target", "1.4294967295"])
        .write_stdin("kind: x\n")
        .assert()
        .code(2)
        .stderr(contains("out of range"));
    assert!(started.elapsed() < Duration::from_secs(1));
}

#[test]
fn a_fleet_beyond_the_limit_is_refused_quickly() {
    let _serial = one_at_a_time();
    let mut fleet = case_study_text();
    fleet.push_str("environments: [");
    for i in 0..50_001 {
        fleet.push_str(&format!("{{name: e{i}}}, "));
    }
    fleet.push_str("]\n");
    // Reading 50,001 entries takes about 2 s in a debug build (a tenth of that in release);
    // assessing them would take minutes, so the refusal comes before any assessment.
    assess_refuses_within(
        &fleet,
        &[],
        "`environments` lists 50001 environments; at most 50000 are accepted",
        Duration::from_secs(8),
    );
}

#[test]
fn supervisor_and_environment_names_ignore_case_and_spaces() {
    let _serial = one_at_a_time();
    let fleet = format!(
        "{}environments:\n  - name: east-a\n    supervisor: SUP-EAST\n  - name: east-b\n    supervisor: \"sup-east \"\n",
        case_study_text()
    );
    assess_refuses(
        &fleet,
        &[],
        "the Supervisor `sup-east` differs from `SUP-EAST`, named earlier, only in case",
    );
    assess_refuses(&fleet, &[], "did you mean `SUP-EAST`?");
    // Surrounding spaces alone are dropped: one Supervisor, planned once.
    let fleet = format!(
        "{}environments:\n  - name: east-a\n    supervisor: sup-east\n  - name: \" east-b\"\n    supervisor: \"sup-east \"\n",
        case_study_text()
    );
    let json = crate::common::json_with_stdin(["assess", "-a", "-", "-f", "json"], &fleet);
    let supervisors = &json["fleet"]["supervisors"];
    assert_eq!(supervisors.as_array().unwrap().len(), 1, "{supervisors}");
    assert_eq!(supervisors[0]["name"], "sup-east");
    assert_eq!(supervisors[0]["environments"][1], "east-b");
    let fleet = format!(
        "{}environments:\n  - name: Prod\n  - name: \"prod \"\n",
        case_study_text()
    );
    assess_refuses(
        &fleet,
        &[],
        "the environment name `prod` reads the same as `Prod`, named earlier",
    );
}

/// Thousands of problems: found in one pass, the first 20 shown, the rest counted.
#[test]
fn many_problems_are_found_fast_and_capped() {
    let _serial = one_at_a_time();
    let mut text = case_study_text();
    for i in 0..5_000 {
        text.push_str(&format!("  unknown_key_{i}: 1\n"));
    }
    let started = Instant::now();
    let out = advisor()
        .args(["assess", "-a", "-"])
        .write_stdin(text)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let took = started.elapsed();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("has 5000 problems:"), "{stderr}");
    assert!(
        stderr.contains("<stdin>:57: `unknown_key_19` is not a question"),
        "{stderr}"
    );
    assert!(!stderr.contains("unknown_key_20`"), "only 20 are listed");
    assert!(stderr.contains("... and 4980 more problems"), "{stderr}");
    assert!(took < Duration::from_secs(1), "took {took:?}");

    // Quoted and flow-style fleet names find their lines without a search per environment.
    let mut fleet = case_study_text();
    fleet.push_str("environments:\n");
    for i in 0..2_000 {
        fleet.push_str(&format!(
            "  - {{name: \"e{i}\", answers: {{cluster_count: 0}}}}\n"
        ));
    }
    let started = Instant::now();
    let out = advisor()
        .args(["assess", "-a", "-"])
        .write_stdin(fleet)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let took = started.elapsed();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("<stdin>:39: environments[0] (e0): `cluster_count`: 0 is out of range"),
        "{stderr}"
    );
    assert!(took < Duration::from_secs(1), "took {took:?}");
}

#[test]
fn yaml_mistakes_are_explained_in_plain_words() {
    let _serial = one_at_a_time();
    let text = case_study_text();
    let lines = text.lines().count();
    assess_refuses(
        &format!("{text}---\nanswers: {{}}\n"),
        &[],
        &format!(
            "<stdin>:{}: the file holds more than one YAML document (a second one starts on this line)",
            lines + 1
        ),
    );
    assess_refuses(
        &crate::common::case_study_with("\n  cluster_count: 6", "\n\tcluster_count: 6"),
        &[],
        "tabs are not allowed for indentation; use spaces",
    );
    assess_refuses(
        &format!("{text}  cluster_count: 7\n"),
        &[],
        &format!(
            "<stdin>:{}: `cluster_count` is given twice (first on line 12)",
            lines + 1
        ),
    );
    assess_refuses(
        "answers:\n  <<: 5\n",
        &[],
        "<stdin>:2: a YAML merge key (`<<`) cannot be merged",
    );
    // Merge keys work: an environment reuses another's answers through an anchor.
    let fleet = format!(
        "{text}environments:\n  - name: a\n    answers: &small\n      cluster_count: 2\n  - name: b\n    answers:\n      <<: *small\n      change_window: weekly\n"
    );
    let json = crate::common::json_with_stdin(["assess", "-a", "-", "-f", "json"], &fleet);
    assert_eq!(json["environments"].as_array().unwrap().len(), 2);
}

/// A write killed by SIGTERM, SIGINT or SIGHUP leaves no temporary file, and the file it was
/// replacing stays whole. (Debug builds can hold the write open for the test.)
#[cfg(unix)]
#[test]
fn an_interrupted_write_leaves_no_temporary_file() {
    let _serial = one_at_a_time();
    for signal in ["TERM", "INT", "HUP"] {
        let (dir, _) = workspace();
        std::fs::write(dir.path().join("report.md"), "previous report").unwrap();
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("upgrade-advisor"))
            .current_dir(dir.path())
            .env("SOURCE_DATE_EPOCH", "1795651200")
            .env("UPGRADE_ADVISOR_TEST_PAUSE_WRITE_MS", "5000")
            .args([
                "assess",
                "-a",
                "a.yaml",
                "-f",
                "markdown",
                "-o",
                "report.md",
            ])
            .spawn()
            .unwrap();
        // Wait for the temporary file to appear, then interrupt.
        let started = Instant::now();
        let temporary = || {
            std::fs::read_dir(dir.path())
                .unwrap()
                .filter_map(Result::ok)
                .any(|e| {
                    e.file_name()
                        .to_string_lossy()
                        .starts_with(".upgrade-advisor-")
                })
        };
        while !temporary() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "no temporary file"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        let status = std::process::Command::new("kill")
            .args([&format!("-{signal}"), &child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let exit = child.wait().unwrap();
        assert!(!exit.success(), "{signal}: {exit:?}");
        assert!(!temporary(), "{signal}: the temporary file was left behind");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("report.md")).unwrap(),
            "previous report"
        );
    }
}

/// A scan holds one file's text at a time: 40 files of 15 MB scan within 300 MB of address
/// space (all at once they would need 600 MB).
#[cfg(target_os = "linux")]
#[test]
fn a_scan_reads_one_file_at_a_time() {
    let _serial = one_at_a_time();
    let dir = tempfile::tempdir().unwrap();
    for i in 0..40 {
        let path = dir.path().join(format!("big-{i:02}.yaml"));
        // Refused by the nesting check at once, after being read in full; sparse on disk.
        std::fs::write(&path, "[".repeat(100)).unwrap();
        std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .unwrap()
            .set_len(15 * 1024 * 1024)
            .unwrap();
    }
    std::fs::write(
        dir.path().join("ok.yaml"),
        "apiVersion: batch/v1beta1\nkind: CronJob\nmetadata: {name: old}\n",
    )
    .unwrap();
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 307200 && exec \"$0\" scan \"$1\" -f json")
        .arg(assert_cmd::cargo::cargo_bin("upgrade-advisor"))
        .arg(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["documents"]["read"], 1);
    let skipped = json["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 40);
    for skip in skipped {
        // Read in full and refused for what it is, never "out of memory".
        assert!(
            skip["reason"]
                .as_str()
                .unwrap()
                .contains("nest more than 64"),
            "{skip}"
        );
    }
}

/// Escape sequences written in double-quoted YAML never reach a terminal: names and context
/// holding control characters are refused, and values echoed in messages are escaped.
#[test]
fn control_characters_in_values_never_reach_the_terminal() {
    let _serial = one_at_a_time();
    assess_refuses(
        &crate::common::case_study_with(
            "organization: Example Corp",
            "organization: \"\\e[31mRED\\e[0m\"",
        ),
        &[],
        "`context`: `organization`: the text holds the control character U+001B",
    );
    assess_refuses(
        &format!(
            "{}environments:\n  - name: \"a\\e[2J\"\n    supervisor: \"s\\x07\"\n",
            case_study_text()
        ),
        &[],
        "environments[0] (a\\u{1b}[2J): the text holds the control character U+001B",
    );
    let out = advisor()
        .args(["assess", "-a", "-"])
        .write_stdin(crate::common::case_study_with(
            "change_window: monthly",
            "change_window: \"\\e[2Jx\"",
        ))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(!stderr.contains('\u{1b}'), "{stderr:?}");
    assert!(
        stderr.contains("`\\u{1b}[2Jx` is not an allowed answer"),
        "{stderr}"
    );
}
