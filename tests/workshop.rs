//! The workshop in a real pseudo-terminal, as an architect drives it: arrow keys, typing,
//! Esc, Ctrl-C, resume. Plus the guarantee that it never waits on a pipe.

#![cfg(unix)]

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::common::advisor;
use expectrl::process::unix::{Signal, WaitStatus};
use expectrl::{Expect, Session};
use predicates::str::contains;

const ENTER: &str = "\r";
const ESC: &str = "\x1b";
pub(crate) const CTRL_C: &str = "\x03";

pub(crate) type Pty = expectrl::session::OsSession;

pub(crate) fn spawn(dir: &Path, args: &[&str]) -> Pty {
    spawn_sized(dir, args, 140)
}

/// The workshop on a terminal `columns` wide.
fn spawn_sized(dir: &Path, args: &[&str], columns: u16) -> Pty {
    let mut command = Command::new(env!("CARGO_BIN_EXE_upgrade-advisor"));
    command
        .arg("workshop")
        .args(args)
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", "1795651200")
        .env("NO_COLOR", "1")
        .env("TERM", "xterm-256color");
    let mut session = Session::spawn(command).expect("spawn in a pty");
    session
        .get_process_mut()
        .set_window_size(columns, 50)
        .unwrap();
    session.set_expect_timeout(Some(Duration::from_secs(15)));
    session
}

/// Waits for `prompt` on screen, then types `keys` (inquire reads keys, so Enter is "\r").
pub(crate) fn answer(pty: &mut Pty, prompt: &str, keys: &str) {
    pty.expect(prompt)
        .unwrap_or_else(|e| panic!("waiting for {prompt:?}: {e}"));
    // Let the prompt finish drawing before typing, as a person would.
    std::thread::sleep(Duration::from_millis(60));
    for chunk in keys.split_inclusive(ENTER) {
        pty.send(chunk).unwrap();
        std::thread::sleep(Duration::from_millis(30));
    }
}

pub(crate) fn exit_code(pty: &mut Pty) -> i32 {
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
        ("Measure spare capacity", ENTER),
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
    let json = crate::common::json_of([
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
    // Esc at the first question goes back to the environment.
    answer(&mut pty, "[1/27] Platform and scale", ESC);
    answer(&mut pty, "Environment", "Production\r");
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
    // One screen first: the recommendation, why, and the calendar; the tables on request.
    pty.expect("Recommendation").unwrap();
    pty.expect("Hybrid (confidence").unwrap();
    pty.expect("Calendar").unwrap();
    answer(&mut pty, "Show every table", "y\r");
    pty.expect("Driver").unwrap();
    pty.expect("Report written to acme-report.md").unwrap();
    assert_eq!(exit_code(&mut pty), 0);

    let report = std::fs::read_to_string(dir.path().join("acme-report.md")).unwrap();
    assert!(report.starts_with("# Kubernetes upgrade strategy: Acme Corp"));
    assert!(report.contains("## Recommendation: Hybrid"));
    assert!(
        report.contains("- **Environment:** Production\n"),
        "{report}"
    );
    let saved = std::fs::read_to_string(dir.path().join("upgrade-answers.yaml")).unwrap();
    assert!(saved.contains("cluster_count: 6\n"), "{saved}");
    assert_eq!(strategy_of(dir.path(), "upgrade-answers.yaml"), "hybrid");
}

/// Ctrl-C saves every answer and says how to resume; the resumed run asks only what is
/// missing and finishes.
#[test]
fn ctrl_c_then_resume_finishes_the_workshop() {
    let dir = tempfile::tempdir().unwrap();
    let mut pty = spawn(dir.path(), &["--report", "report.md"]);
    answer(&mut pty, "Organization", "Acme Corp\r");
    answer(&mut pty, "Environment", "production\r");
    answer(&mut pty, "[1/27]", "1.30\r");
    answer(&mut pty, "[2/27]", "1.33\r");
    answer(&mut pty, "[3/27]", "6\r");
    answer(&mut pty, "[4/27]", CTRL_C);
    // The hint carries the flags that shape the rest of the run.
    pty.expect("upgrade-advisor workshop --resume upgrade-answers.yaml --report report.md")
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
    answer(&mut pty, "Show every table", ENTER);
    // The answers go back to the file they were resumed from, without asking.
    let (rest, _) = pty
        .expect("Report written to report.md")
        .map(|m| (m.before().to_vec(), ()))
        .unwrap();
    assert!(!String::from_utf8_lossy(&rest).contains("Overwrite"));
    assert_eq!(exit_code(&mut pty), 0);
    assert_eq!(strategy_of(dir.path(), "upgrade-answers.yaml"), "hybrid");
    let report = std::fs::read_to_string(dir.path().join("report.md")).unwrap();
    assert!(report.contains("- **Environment:** production\n"));
}

/// The answers given so far, as the saved file holds them.
pub(crate) fn saved_answers(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("upgrade-answers.yaml")).unwrap_or_default()
}

/// Closing the terminal (SIGHUP) or SIGTERM in the middle of a question saves every answer
/// given, exactly as Ctrl-C does, and says how to resume.
#[test]
fn sighup_and_sigterm_save_what_was_answered() {
    for (signal, says) in [
        (Signal::SIGHUP, "The terminal closed"),
        (Signal::SIGTERM, "Stopped (SIGTERM)"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let mut pty = spawn(dir.path(), &[]);
        answer(&mut pty, "Organization", "Acme Corp\r");
        answer(&mut pty, "Environment", ENTER);
        answer(&mut pty, "[1/27]", "1.30\r");
        answer(&mut pty, "[2/27]", "1.33\r");
        pty.expect("[3/27]").unwrap();
        std::thread::sleep(Duration::from_millis(100));
        pty.get_process_mut().kill(signal).unwrap();
        pty.expect(says).unwrap();
        pty.expect("upgrade-advisor workshop --resume upgrade-answers.yaml")
            .unwrap();
        assert_eq!(exit_code(&mut pty), 130, "{signal:?}");
        let saved = saved_answers(dir.path());
        for line in [
            "organization: \"Acme Corp\"",
            "current_version: \"1.30\"",
            "target_version: \"1.33\"",
        ] {
            assert!(
                saved.contains(line),
                "{signal:?}: {line} missing from:\n{saved}"
            );
        }
    }
}

/// A 10,000-character paste is cut to the longest answer at once instead of freezing the
/// prompt for minutes.
#[test]
fn a_huge_paste_is_cut_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut pty = spawn(dir.path(), &[]);
    pty.expect("Organization").unwrap();
    std::thread::sleep(Duration::from_millis(60));
    let started = Instant::now();
    // A bracketed paste, as terminals send it.
    pty.send(format!("\x1b[200~{}\x1b[201~", "x".repeat(10_000)))
        .unwrap();
    pty.expect("Cut to 500 characters").unwrap();
    std::thread::sleep(Duration::from_millis(60));
    pty.send(ENTER).unwrap();
    answer(&mut pty, "Environment", CTRL_C);
    assert_eq!(exit_code(&mut pty), 130);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
    let saved = saved_answers(dir.path());
    assert!(
        saved.contains(&format!("organization: \"{}\"\n", "x".repeat(500))),
        "{saved}"
    );
}

/// The text runs of a PTY transcript: what was written between line breaks and escape
/// sequences (cursor moves, clears), so each run sits on one screen row.
fn screen_lines(bytes: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(bytes);
    let mut plain = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            plain.push('\n');
            // CSI: ESC [ parameters final-byte; other escapes are two characters.
            if chars.next_if_eq(&'[').is_some() {
                for c in chars.by_ref() {
                    if ('@'..='~').contains(&c) {
                        break;
                    }
                }
            } else {
                chars.next();
            }
        } else if c != '\r' {
            plain.push(c);
        }
    }
    plain
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// Answers each prompt with its keys and returns everything the terminal was sent meanwhile.
fn drive(pty: &mut Pty, steps: &[(&str, &str)]) -> Vec<u8> {
    let mut transcript = Vec::new();
    for &(prompt, keys) in steps {
        let found = pty
            .expect(prompt)
            .unwrap_or_else(|e| panic!("waiting for {prompt:?}: {e}"));
        transcript.extend_from_slice(found.before());
        for matched in found.matches() {
            transcript.extend_from_slice(matched);
        }
        std::thread::sleep(Duration::from_millis(70));
        pty.send(keys).unwrap();
    }
    transcript
}

/// At 60 columns, prompts and help break between words; Esc leaves no `<canceled>` line; a
/// yes/no question shows its choices.
#[test]
fn prompts_wrap_at_word_boundaries_and_esc_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let mut pty = spawn_sized(dir.path(), &[], 60);
    // Everything the workshop drew, erased lines included.
    let steps: &[(&str, &str)] = &[
        ("Organization", ENTER),
        ("Environment", ENTER),
        ("[1/27]", "1.30\r"),
        ("[2/27]", ESC),
        ("[1/27]", ENTER),
        ("[2/27]", "1.33\r"),
        ("[3/27]", "6\r"),
        ("[4/27]", ENTER),
        ("[5/27]", ENTER),
        ("[6/27]", "most\r"),
        ("[7/27]", "partly\r"),
        ("[8/27]", "partly\r"),
        ("[9/27]", "none\r"),
        ("(y/n)", CTRL_C),
    ];
    let transcript = drive(&mut pty, steps);
    assert_eq!(exit_code(&mut pty), 130);
    let lines = screen_lines(&transcript);

    let all = lines.join("\n");
    assert!(!all.contains("<canceled>"), "{all}");
    for line in &lines {
        assert!(line.chars().count() <= 60, "wider than 60: {line:?}");
    }
    // The help of the first question, broken between words.
    for line in [
        "[In place, the control plane moves one minor version at a",
        " time, so the distance from here to the target sets how",
    ] {
        assert!(lines.iter().any(|l| l == line), "{line:?} not in:\n{all}");
    }
    // Every word of every help line is a whole word of the help text.
    let c = upgrade_advisor::checklist::model::Checklist::builtin("vks").unwrap();
    let words: std::collections::HashSet<&str> = c
        .questions
        .iter()
        .flat_map(|q| q.help.split_whitespace().chain(q.prompt.split_whitespace()))
        .collect();
    let help_line = |l: &&String| l.starts_with("[In place") || l.starts_with(" time, so");
    for line in lines.iter().filter(help_line) {
        for word in line.trim_start_matches('[').split_whitespace() {
            assert!(words.contains(word), "{word:?} cut in {line:?}");
        }
    }
}

/// Every file the end of the workshop writes is checked before the first question.
#[test]
fn unwritable_or_clashing_paths_are_refused_before_the_first_question() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("answers.yaml"), "answers:\n").unwrap();
    std::os::unix::fs::symlink("answers.yaml", dir.path().join("link.md")).unwrap();
    for (args, says) in [
        (
            &["--save", "/nonexistent/x.yaml"][..],
            "cannot write /nonexistent/x.yaml (--save): the folder /nonexistent does not exist",
        ),
        (
            &["--report", "missing/r.md"][..],
            "(--report): the folder missing does not exist",
        ),
        (
            &["--save", "same.yaml", "--report", "./same.yaml"][..],
            "--save and --report name the same file",
        ),
        (
            &["--save", "answers.yaml", "--report", "link.md"][..],
            "--save and --report name the same file",
        ),
    ] {
        let mut pty = spawn(dir.path(), args);
        pty.expect(says).unwrap_or_else(|e| panic!("{args:?}: {e}"));
        assert_eq!(exit_code(&mut pty), 2, "{args:?}");
    }
    assert!(!dir.path().join("same.yaml").exists());
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

/// An optional question can be left out as its help says, on an 80-column terminal: Enter on
/// an empty line for a yes/no question, "(leave it out)" in a list of choices.
#[test]
fn optional_questions_can_be_left_out_as_their_help_says() {
    let dir = tempfile::tempdir().unwrap();
    let mut pty = spawn_sized(dir.path(), &[], 80);
    for (prompt, keys) in [
        ("Organization", ENTER),
        ("Environment", ENTER),
        ("[1/27]", "1.30\r"),
        ("[2/27]", "1.33\r"),
        ("[3/27]", "6\r"),
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
    ] {
        answer(&mut pty, prompt, keys);
    }
    // rollback_within_window: optional yes/no, no default.
    pty.expect("[15/27]").unwrap();
    std::thread::sleep(Duration::from_millis(60));
    pty.send(ENTER).unwrap();
    for (prompt, keys) in [
        ("[16/27]", "y\r"),
        ("[17/27]", "y\r"),
        ("Measure spare capacity", ENTER),
        ("[18/27]", "limited\r"),
        ("[19/27]", "n\r"),
        ("[20/27]", "y\r"),
    ] {
        answer(&mut pty, prompt, keys);
    }
    // network_room: optional choice.
    pty.expect("[21/27]").unwrap();
    pty.expect("(leave it out)").unwrap();
    std::thread::sleep(Duration::from_millis(60));
    pty.send("leave\r").unwrap();
    answer(&mut pty, "[22/27]", CTRL_C);
    assert_eq!(exit_code(&mut pty), 130);
    let saved = saved_answers(dir.path());
    assert!(saved.contains("rollback_rehearsed: \"yes\""), "{saved}");
    // The file names itself in the commands at its top.
    assert!(
        saved.contains("# Carry on with: upgrade-advisor workshop --resume upgrade-answers.yaml\n"),
        "{saved}"
    );
    assert!(
        saved.contains("# Assess with:   upgrade-advisor assess upgrade-answers.yaml\n"),
        "{saved}"
    );
    assert!(saved.contains("shared_supervisor: \"yes\""), "{saved}");
    for id in ["rollback_within_window:", "network_room:"] {
        assert!(
            !saved.lines().any(|l| l.trim_start().starts_with(id)),
            "{id} was left out, yet saved:\n{saved}"
        );
    }
}

/// The end of a workshop fits a 24-row projector: the one-screen summary and the question
/// after it are all that is printed once the last answer is given, the tables only on request.
#[test]
fn the_recommendation_fits_one_screen_at_80_by_24() {
    let dir = tempfile::tempdir().unwrap();
    let mut pty = spawn_sized(dir.path(), &["--report", "r.md"], 80);
    answer(&mut pty, "Organization", "Acme\r");
    answer(&mut pty, "Environment", ENTER);
    answer(&mut pty, "[1/27]", "1.30\r");
    answer(&mut pty, "[2/27]", "1.33\r");
    answer(&mut pty, "[3/27]", "6\r");
    answer_the_rest(&mut pty);
    let shown = pty.expect("Show every table").unwrap();
    let text = String::from_utf8_lossy(shown.before()).into_owned();
    let from = text.rfind("Recommendation").expect("the summary is shown");
    let rows = text[from..].lines().count();
    assert!(rows <= 20, "{rows} rows:\n{}", &text[from..]);
    assert!(!text.contains("Driver"), "no table before it is asked for");
    std::thread::sleep(Duration::from_millis(60));
    pty.send(ENTER).unwrap();
    pty.expect("Report written to r.md").unwrap();
    assert_eq!(exit_code(&mut pty), 0);
}

/// Going back with Esc takes the earlier answer off the screen as well, so the question asked
/// again is the only place that answer shows: read through a terminal emulator (vt100).
#[test]
fn esc_takes_the_earlier_answer_off_the_screen() {
    let dir = tempfile::tempdir().unwrap();
    let mut pty = spawn_sized(dir.path(), &[], 80);
    let steps: &[(&str, &str)] = &[
        ("Organization", "Acme\r"),
        ("Environment", ENTER),
        ("[1/27]", "1.30\r"),
        ("[2/27]", "1.33\r"),
        ("[3/27]", "60\r"),
        // Oops: Esc at the next question, then fix the answer.
        ("[4/27]", ESC),
        ("[3/27]", "\x7f\x7f6\r"),
        ("[4/27]", CTRL_C),
    ];
    let transcript = drive(&mut pty, steps);
    assert_eq!(exit_code(&mut pty), 130);
    let size = |n: u16| std::num::NonZero::new(n).unwrap();
    let mut screen = vt100::Parser::new(size(50), size(80), 0);
    screen.process(&transcript);
    let contents = screen.screen().contents();
    let answered: Vec<&str> = contents.lines().filter(|l| l.contains("[3/27]")).collect();
    assert_eq!(
        answered.len(),
        1,
        "the clusters question shows once:\n{contents}"
    );
    assert!(
        !contents.contains(" 60"),
        "the answer taken back is gone:\n{contents}"
    );
}

/// At the spare-capacity question the workshop offers to measure it: the person names the
/// clusters' dumps and the room, sees the arithmetic, and the measured answer is the default;
/// the room is saved with the answers and the report has the capacity section.
#[test]
fn spare_capacity_can_be_measured_from_cluster_dumps() {
    let dir = tempfile::tempdir().unwrap();
    let example = std::fs::read_to_string("checklists/examples/capacity.yaml").unwrap();
    let start = example.find("capacity:\n").unwrap();
    let end = example.find("answers:\n").unwrap();
    let without: String = format!("{}{}", &example[..start], &example[end..])
        .lines()
        .filter(|l| !l.contains("spare_capacity:"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(dir.path().join("answers.yaml"), without).unwrap();
    let dumps: Vec<String> = ["shop-eu", "shop-us", "shop-ap"]
        .iter()
        .map(|n| {
            std::fs::canonicalize(format!("checklists/examples/dumps/{n}.json"))
                .unwrap()
                .display()
                .to_string()
        })
        .collect();
    let mut pty = spawn_sized(
        dir.path(),
        &["--resume", "answers.yaml", "--report", "report.md"],
        80,
    );
    answer(&mut pty, "answers were loaded", ENTER);
    answer(&mut pty, "Measure spare capacity", "y\r");
    answer(&mut pty, "Cluster dumps", &format!("{}\r", dumps.join(" ")));
    // A slip is forgiven: the room is asked again.
    answer(&mut pty, "The room you can free", "64\r");
    pty.expect("give CPU and memory").unwrap();
    answer(&mut pty, "Cluster dumps", &format!("{}\r", dumps.join(" ")));
    answer(&mut pty, "The room you can free", "64 256Gi 4Ti\r");
    pty.expect("spare_capacity limited (copies of 2 of 3 clusters fit at once")
        .unwrap();
    // The measured answer is the default: Enter takes it; the optional questions after it
    // are left out.
    answer(&mut pty, "spare compute", ENTER);
    loop {
        let found = pty
            .expect(expectrl::Regex(r"Show every table|\[\d+/\d+\]"))
            .unwrap();
        let last = found
            .matches()
            .last()
            .map(<[u8]>::to_vec)
            .unwrap_or_default();
        std::thread::sleep(Duration::from_millis(60));
        pty.send(ENTER).unwrap();
        if last.starts_with(b"Show") {
            break;
        }
    }
    pty.expect("Report written to report.md").unwrap();
    assert_eq!(exit_code(&mut pty), 0);
    let saved = saved_answers(dir.path());
    assert!(saved.contains("spare_capacity: \"limited\""), "{saved}");
    assert!(
        saved.contains("capacity:\n  spare: {cpu: 64, memory: 256Gi, storage: 4Ti}\n"),
        "{saved}"
    );
    let report = std::fs::read_to_string(dir.path().join("report.md")).unwrap();
    assert!(report.contains("## Capacity"), "{report}");
}
