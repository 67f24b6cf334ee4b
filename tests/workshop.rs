//! The workshop in a real pseudo-terminal, as an architect drives it: arrow keys, typing,
//! Esc, Ctrl-C, resume. Plus the guarantee that it never waits on a pipe.

#![cfg(unix)]

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::advisor;
use expectrl::process::unix::WaitStatus;
use expectrl::{Expect, Session};
use predicates::str::contains;

const ENTER: &str = "\r";
const ESC: &str = "\x1b";
const CTRL_C: &str = "\x03";

type Pty = expectrl::session::OsSession;

fn spawn(dir: &Path, args: &[&str]) -> Pty {
    let mut command = Command::new(env!("CARGO_BIN_EXE_upgrade-advisor"));
    command
        .arg("workshop")
        .args(args)
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", "1795651200")
        .env("NO_COLOR", "1")
        .env("TERM", "xterm-256color");
    let mut session = Session::spawn(command).expect("spawn in a pty");
    session.get_process_mut().set_window_size(140, 50).unwrap();
    session.set_expect_timeout(Some(Duration::from_secs(15)));
    session
}

/// Waits for `prompt` on screen, then types `keys` (inquire reads keys, so Enter is "\r").
fn answer(pty: &mut Pty, prompt: &str, keys: &str) {
    pty.expect(prompt)
        .unwrap_or_else(|e| panic!("waiting for {prompt:?}: {e}"));
    // Let the prompt finish drawing before typing, as a person would.
    std::thread::sleep(Duration::from_millis(60));
    for chunk in keys.split_inclusive(ENTER) {
        pty.send(chunk).unwrap();
        std::thread::sleep(Duration::from_millis(30));
    }
}

fn exit_code(pty: &mut Pty) -> i32 {
    match pty.get_process().wait().unwrap() {
        WaitStatus::Exited(_, code) => code,
        other => panic!("the workshop did not exit normally: {other:?}"),
    }
}

/// Answers from cluster_count to the end, for a stateless platform without Supervisor or VKS
/// versions. Select prompts filter as you type, so typing a choice and Enter picks it.
fn answer_the_rest(pty: &mut Pty) {
    for (prompt, keys) in [
        ("[4/27]", ENTER),
        ("[5/27]", ENTER),
        ("[6/27]", "most\r"),
        ("[7/27]", "partly\r"),
        ("[8/27]", "partly\r"),
        ("[9/27]", "none\r"),
        ("[10/27]", "y\r"),
        ("[11/27]", "monthly\r"),
        ("[12/27]", ENTER),
        ("[13/27]", "heavy\r"),
        ("[14/27]", "2\r"),
        ("[15/27]", "n\r"),
        ("[16/27]", "y\r"),
        ("[17/27]", "y\r"),
        ("[18/27]", "limited\r"),
        ("[19/27]", "n\r"),
        ("[20/27]", "y\r"),
        ("[21/27]", "yes\r"),
        ("[22/27]", "none\r"),
        ("[23/27]", "yes\r"),
        ("[24/27]", "weighted\r"),
        ("[25/27]", "y\r"),
        ("[26/27]", "n\r"),
        ("[27/27]", "gitops\r"),
    ] {
        answer(pty, prompt, keys);
    }
}

fn strategy_of(dir: &Path, answers: &str) -> String {
    let path = dir.join(answers);
    let json = common::json_of([
        "assess".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        "--answers".as_ref(),
        path.as_os_str(),
    ]);
    json["recommendation"]["strategy"]
        .as_str()
        .unwrap()
        .to_string()
}

/// A full walk-through with arrow keys, a validation message, Esc to undo a mistake, and a
/// report at the end; the saved answers give the same recommendation through `assess`.
#[test]
fn a_full_workshop_ends_with_answers_and_a_report() {
    let dir = tempfile::tempdir().unwrap();
    let mut pty = spawn(dir.path(), &["--report", "acme-report.md"]);
    pty.expect("Esc goes back one question").unwrap();
    answer(&mut pty, "Organization", "Acme Corp\r");
    answer(&mut pty, "Environment", ENTER);
    answer(&mut pty, "[1/27] Platform and scale", "1.30\r");
    // A target below the current version is refused under the prompt; the workshop goes on.
    answer(&mut pty, "[2/27]", "1.29\r");
    pty.expect("is below 1.30").unwrap();
    answer(&mut pty, "[2/27]", "\x7f\x7f\x7f\x7f1.33\r");
    answer(&mut pty, "[3/27]", "60\r");
    // Oops, 60 clusters: Esc at the next question goes back to fix it.
    answer(&mut pty, "[4/27]", ESC);
    answer(&mut pty, "[3/27]", "\x7f\x7f6\r");
    answer_the_rest(&mut pty);
    pty.expect("Recommendation").unwrap();
    pty.expect("Report written to acme-report.md").unwrap();
    assert_eq!(exit_code(&mut pty), 0);

    let report = std::fs::read_to_string(dir.path().join("acme-report.md")).unwrap();
    assert!(report.starts_with("# Kubernetes upgrade strategy: Acme Corp"));
    assert!(report.contains("## Recommendation: Hybrid"));
    let saved = std::fs::read_to_string(dir.path().join("upgrade-answers.yaml")).unwrap();
    assert!(saved.contains("cluster_count: 6\n"), "{saved}");
    assert_eq!(strategy_of(dir.path(), "upgrade-answers.yaml"), "hybrid");
}

/// Ctrl-C saves every answer and says how to resume; the resumed run asks only what is
/// missing and finishes.
#[test]
fn ctrl_c_then_resume_finishes_the_workshop() {
    let dir = tempfile::tempdir().unwrap();
    let mut pty = spawn(dir.path(), &[]);
    answer(&mut pty, "Organization", "Acme Corp\r");
    answer(&mut pty, "Environment", "production\r");
    answer(&mut pty, "[1/27]", "1.30\r");
    answer(&mut pty, "[2/27]", "1.33\r");
    answer(&mut pty, "[3/27]", "6\r");
    answer(&mut pty, "[4/27]", CTRL_C);
    pty.expect("upgrade-advisor workshop --resume upgrade-answers.yaml")
        .unwrap();
    assert_eq!(exit_code(&mut pty), 130);
    let saved = std::fs::read_to_string(dir.path().join("upgrade-answers.yaml")).unwrap();
    for line in [
        "organization: \"Acme Corp\"",
        "current_version: \"1.30\"",
        "target_version: \"1.33\"",
        "cluster_count: 6",
    ] {
        assert!(saved.contains(line), "{line} missing from:\n{saved}");
    }

    let mut pty = spawn(
        dir.path(),
        &["--resume", "upgrade-answers.yaml", "--report", "report.md"],
    );
    answer(&mut pty, "3 answers were loaded", ENTER);
    answer_the_rest(&mut pty);
    // The answers file exists (it is the one we resumed from): the workshop asks first.
    answer(&mut pty, "already exists. Overwrite it?", "y\r");
    pty.expect("Report written to report.md").unwrap();
    assert_eq!(exit_code(&mut pty), 0);
    assert_eq!(strategy_of(dir.path(), "upgrade-answers.yaml"), "hybrid");
    let report = std::fs::read_to_string(dir.path().join("report.md")).unwrap();
    assert!(report.contains("| Environment | production |"));
}

/// Without a terminal, the workshop refuses at once and points to `assess`.
#[test]
fn workshop_with_piped_stdin_exits_2_at_once() {
    let started = Instant::now();
    advisor()
        .arg("workshop")
        .write_stdin("")
        .timeout(Duration::from_secs(5))
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains("upgrade-advisor assess --answers FILE"));
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "took {:?}",
        started.elapsed()
    );
}
