//! Broken or hostile input: every case ends at once with a short error and exit code 2,
//! never a hang, a crash or a huge allocation.

/// The third hostile round, by area.
mod edge;
mod model;
mod scan;

use std::time::{Duration, Instant};

use crate::common::advisor;
use predicates::str::contains;

/// A "billion laughs" document: nine levels of nine aliases.
fn alias_bomb(key: &str) -> String {
    let mut text = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names = ["b", "c", "d", "e", "f", "g", "h", "i"];
    let mut previous = "a";
    for name in names {
        let refs = vec![format!("*{previous}"); 9].join(",");
        text.push_str(&format!("{name}: &{name} [{refs}]\n"));
        previous = name;
    }
    text.push_str(&format!("{key}:\n  x: *i\n"));
    text
}

fn deep(depth: usize) -> String {
    format!("answers: {}{}\n", "[".repeat(depth), "]".repeat(depth))
}

/// Runs `args` with `stdin`, expecting exit 2, the message, and less than a second.
fn refuses_fast(args: &[&str], stdin: Vec<u8>, message: &str) {
    let started = Instant::now();
    advisor()
        .args(args)
        .write_stdin(stdin)
        .timeout(Duration::from_secs(20))
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains(message));
    let took = started.elapsed();
    assert!(took < Duration::from_secs(1), "{args:?} took {took:?}");
}

#[test]
fn an_alias_bomb_is_refused() {
    refuses_fast(
        &["assess", "-a", "-"],
        alias_bomb("answers").into_bytes(),
        "YAML aliases expand too far",
    );
}

/// An apostrophe in a plain scalar (`O'Reilly Media`) does not open a quote, so the brackets
/// after it are still counted: 100,000 of them are refused at once, not after minutes.
#[test]
fn an_apostrophe_does_not_hide_deep_nesting() {
    let file = format!(
        "checklist: vks\ncontext:\n  organization: O'Reilly Media\nanswers:\n  cluster_count: {}\n",
        "[".repeat(100_000)
    );
    refuses_fast(
        &["assess", "-a", "-"],
        file.clone().into_bytes(),
        "<stdin>:5: brackets or braces nest more than 64 levels deep",
    );
    refuses_fast(
        &["checklist", "lint", "-"],
        format!(
            "id: x\ntitle: O'Reilly\nsections: {}\n",
            "[".repeat(100_000)
        )
        .into_bytes(),
        "nest more than 64 levels deep",
    );
}

#[test]
fn deep_nesting_is_refused() {
    refuses_fast(
        &["assess", "-a", "-"],
        deep(200_000).into_bytes(),
        "nest more than 64 levels deep",
    );
    let block: String = (1..500)
        .map(|i| format!("{}k{i}:\n", "  ".repeat(i)))
        .collect();
    refuses_fast(
        &["assess", "-a", "-"],
        format!("answers:\n{block}").into_bytes(),
        "the YAML nests too deeply",
    );
}

#[test]
fn binary_junk_is_refused() {
    let junk: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    refuses_fast(&["assess", "-a", "-"], junk, "is not UTF-8 text");
}

#[test]
fn a_huge_file_is_refused_without_reading_it_all() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.yaml");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(100 * 1024 * 1024).unwrap(); // 100 MiB, sparse
    let started = Instant::now();
    advisor()
        .args(["assess", "-a"])
        .arg(&path)
        .assert()
        .code(2)
        .stderr(contains("is larger than 16 MiB"));
    assert!(started.elapsed() < Duration::from_secs(1));
    advisor()
        .args(["checklist", "lint"])
        .arg(&path)
        .assert()
        .code(2)
        .stderr(contains("is larger than 16 MiB"));
    // A scan skips it and says why.
    advisor()
        .arg("scan")
        .arg(&path)
        .assert()
        .code(2)
        .stderr(contains("larger than 16 MiB"));
}

#[test]
fn hostile_checklists_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text, message) in [
        (
            "bomb.yaml",
            alias_bomb("sections"),
            "bomb.yaml:1: unknown field `a`",
        ),
        ("deep.yaml", deep(100_000), "nest more than 64 levels deep"),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let started = Instant::now();
        advisor()
            .args(["checklist", "lint"])
            .arg(&path)
            .assert()
            .code(2)
            .stderr(contains(message));
        assert!(started.elapsed() < Duration::from_secs(1), "{name}");
    }
}

/// In a scan, hostile files are skipped and the rest is still read.
#[test]
fn hostile_manifests_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bomb.yaml"), alias_bomb("metadata")).unwrap();
    std::fs::write(dir.path().join("deep.yaml"), deep(100_000)).unwrap();
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
    let reasons: Vec<&str> = json["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["reason"].as_str().unwrap())
        .collect();
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("YAML aliases expand too far")),
        "{reasons:?}"
    );
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("nest more than 64 levels")),
        "{reasons:?}"
    );
}
