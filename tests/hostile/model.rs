//! Hostile checklists and names: size, look-alikes, forged identity, relaxed API data.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::refuses_fast;
use crate::common::advisor;

const EKS: &str = "checklists/examples/eks-fleet-upgrade.yaml";

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// The built-in `kubernetes` checklist as a custom one called `big`, with `extra` more
/// choice questions (`q0`, `q1`, ...); every third has three choices, the rest two.
fn big_checklist(extra: usize) -> String {
    let mut questions = String::from("  - id: extra\n    title: Extra\n    questions:\n");
    for i in 0..extra {
        let three = i % 3 == 0;
        questions.push_str(&format!(
            "      - id: q{i}\n        prompt: Question {i}?\n        help: Why question {i} matters.\n        type: choice\n        order: [{}]\n        choices:\n",
            if three { "a, b, c" } else { "a, b" }
        ));
        for (value, leans) in [
            ("a", "sequential"),
            ("b", "blue-green"),
            ("c", "blue-green"),
        ]
        .into_iter()
        .take(if three { 3 } else { 2 })
        {
            questions.push_str(&format!(
                "          - value: {value}\n            label: {value}\n            leans: {leans}\n            weight: 1\n            reason: {value} leans {leans}.\n"
            ));
        }
    }
    let text = std::fs::read_to_string(repo("checklists/kubernetes.yaml")).unwrap();
    text.replacen("id: kubernetes\n", "id: big\n", 1).replacen(
        "\nrunbook:",
        &format!("\n{questions}\nrunbook:"),
        1,
    )
}

/// The EKS example's answers for [`big_checklist`], every extra question answered.
fn big_answers(extra: usize) -> String {
    let mut text = std::fs::read_to_string(repo(EKS)).unwrap().replacen(
        "checklist: kubernetes",
        "checklist: big",
        1,
    );
    for i in 0..extra {
        text.push_str(&format!("  q{i}: {}\n", if i % 2 == 0 { "a" } else { "b" }));
    }
    text
}

/// 3,000 questions (1.1 MB) took lint no time and `assess` minutes; both now refuse the
/// checklist at once, naming the limit.
#[test]
fn a_huge_checklist_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let checklist = dir.path().join("big.yaml");
    std::fs::write(&checklist, big_checklist(3000)).unwrap();
    let path = checklist.to_str().unwrap();
    refuses_fast(
        &["checklist", "lint", path],
        Vec::new(),
        "sections: the checklist has 3028 questions; at most 200 are allowed",
    );
    refuses_fast(
        &["assess", "-c", path, "-a", "-"],
        big_answers(3000).into_bytes(),
        "at most 200 questions, 500 choices, 50 gates, 100 blockers and 50 signals",
    );
}

/// A checklist at the size limits (200 questions, about 300 choices) is assessed within a
/// second, what-if search included: the search stops at its work limit and says so.
#[test]
fn a_checklist_at_the_limits_is_assessed_within_a_second() {
    let dir = tempfile::tempdir().unwrap();
    let checklist = dir.path().join("big.yaml");
    std::fs::write(&checklist, big_checklist(172)).unwrap();
    for format in ["json", "markdown", "table"] {
        let started = Instant::now();
        let out = advisor()
            .args(["assess", "-c"])
            .arg(&checklist)
            .args(["-a", "-", "-f", format])
            .write_stdin(big_answers(172))
            .timeout(Duration::from_secs(60))
            .output()
            .unwrap();
        let took = started.elapsed();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(took < Duration::from_secs(1), "{format} took {took:?}");
        let text = String::from_utf8(out.stdout).unwrap();
        if format == "json" {
            let json: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert_eq!(json["search"]["complete"], false, "{}", json["search"]);
        } else {
            assert!(
                text.replace(['│', '┆', '\n'], " ")
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .contains("The search was cut short at its work limit"),
                "{format}"
            );
        }
    }
    // The built-in checklists' searches are complete.
    let json = crate::common::json_of(["assess", "-c", "kubernetes", "-a", EKS, "-f", "json"]);
    assert_eq!(json["search"]["complete"], true);
}
