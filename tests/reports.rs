//! The reports as a reader sees them: snapshots of every format, and the markdown parsed as
//! GitHub would parse it.

use crate::common::{CASE_STUDY, advisor};
use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

fn render(example: &str, format: &str) -> String {
    let args = [
        "assess",
        "--answers",
        example,
        "--format",
        format,
        "--start",
        "2027-01-04",
    ];
    crate::common::stdout_of(args, "")
}

#[test]
fn case_study_markdown() {
    insta::assert_snapshot!(render(CASE_STUDY, "markdown"));
}

#[test]
fn case_study_table() {
    insta::assert_snapshot!(render(CASE_STUDY, "table"));
}

#[test]
fn case_study_json() {
    insta::assert_snapshot!(render(CASE_STUDY, "json"));
}

#[test]
fn small_jump_markdown() {
    insta::assert_snapshot!(render("checklists/examples/small-jump.yaml", "markdown"));
}

#[test]
fn long_jump_table() {
    insta::assert_snapshot!(render("checklists/examples/long-jump.yaml", "table"));
}

/// Tables and the mermaid chart survive a real GitHub-flavoured markdown parser, and every
/// row has as many cells as its header.
#[test]
fn markdown_parses_into_tables_and_a_mermaid_gantt() {
    let text = render(CASE_STUDY, "markdown");
    let tables = well_formed_tables(&text);
    let parser = Parser::new_ext(&text, Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS);
    let mut headings = Vec::new();
    let mut in_heading = false;
    let mut mermaid = None;
    let mut in_mermaid = false;
    let mut tasks = 0;
    for event in parser {
        match event {
            Event::Start(Tag::Heading { .. }) => {
                in_heading = true;
                headings.push(String::new());
            }
            Event::End(TagEnd::Heading(_)) => in_heading = false,
            Event::Text(t) if in_heading => headings.last_mut().unwrap().push_str(&t),
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if &*info == "mermaid" => {
                in_mermaid = true;
                mermaid = Some(String::new());
            }
            Event::Text(t) if in_mermaid => mermaid.as_mut().unwrap().push_str(&t),
            Event::End(TagEnd::CodeBlock) => in_mermaid = false,
            Event::TaskListMarker(done) => {
                assert!(!done, "blockers start unchecked");
                tasks += 1;
            }
            _ => {}
        }
    }
    assert!(tables >= 6, "found {tables} tables");
    for heading in [
        "Recommendation: Hybrid",
        "What drove the result",
        "Blockers",
        "Plan by layer",
        "Upgrade path",
        "What would change the answer",
        "Support windows",
        "Timeline",
        "Risks",
        "Next steps",
        "Appendix: answers",
    ] {
        assert!(
            headings.iter().any(|h| h == heading),
            "missing heading {heading}: {headings:?}"
        );
    }
    let gantt = mermaid.expect("a mermaid block");
    // An init directive (margins) may come first.
    assert_eq!(gantt.lines().find(|l| !l.starts_with("%%")), Some("gantt"));
    assert_eq!(gantt.matches("    section ").count(), 3);
    for line in gantt.lines().filter(|l| l.contains(" :")) {
        let (name, spec) = line.rsplit_once(" :").unwrap();
        assert!(!name.contains(':'), "task name with a colon: {line}");
        let spec = ["active, ", "crit, ", "done, "]
            .iter()
            .fold(spec, |spec, tag| spec.strip_prefix(tag).unwrap_or(spec));
        let parts: Vec<&str> = spec.split(", ").collect();
        assert_eq!(parts.len(), 3, "{line}");
        assert!(parts[2].ends_with('d'), "{line}");
    }
    assert_eq!(tasks, 1, "one blocker in the case study");
    assert!(text.contains("answers SHA-256 `"), "decision record");
}

/// Counts the tables in `text`, asserting every row has as many cells as its header.
fn well_formed_tables(text: &str) -> usize {
    let parser = Parser::new_ext(text, Options::ENABLE_TABLES);
    let (mut header_cells, mut row_cells, mut in_head, mut tables) = (0, 0, false, 0);
    for event in parser {
        match event {
            Event::Start(Tag::Table(_)) => tables += 1,
            Event::Start(Tag::TableHead) => (in_head, header_cells) = (true, 0),
            Event::End(TagEnd::TableHead) => in_head = false,
            Event::Start(Tag::TableRow) => row_cells = 0,
            Event::End(TagEnd::TableRow) => {
                assert_eq!(row_cells, header_cells, "ragged row in table {tables}")
            }
            Event::Start(Tag::TableCell) if in_head => header_cells += 1,
            Event::Start(Tag::TableCell) => row_cells += 1,
            _ => {}
        }
    }
    tables
}

/// The decision record's hash is the SHA-256 of the answers file's bytes.
#[test]
fn decision_record_traces_the_input() {
    use sha2::Digest;
    let bytes = std::fs::read(CASE_STUDY).unwrap();
    let expected: String = sha2::Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert!(render(CASE_STUDY, "markdown").contains(&expected));
    assert!(render(CASE_STUDY, "json").contains(&expected));
}

#[test]
fn help_texts() {
    for command in ["assess", "scan", "workshop", "template", "questions"] {
        let out = advisor().args([command, "--help"]).output().unwrap();
        insta::assert_snapshot!(
            format!("help_{command}"),
            String::from_utf8(out.stdout).unwrap()
        );
    }
    let out = advisor().arg("--help").output().unwrap();
    insta::assert_snapshot!("help", String::from_utf8(out.stdout).unwrap());
}

#[test]
fn fleet_markdown() {
    let text = render("checklists/examples/fleet.yaml", "markdown");
    // Every table row has as many cells as its header.
    let tables = well_formed_tables(&text);
    assert!(tables >= 4);
    insta::assert_snapshot!(text);
}

#[test]
fn fleet_table() {
    insta::assert_snapshot!(render("checklists/examples/fleet.yaml", "table"));
}

/// `assess --format yaml` carries the JSON report's fields and values, for a single report and
/// a fleet, read back by a YAML 1.2 reader.
#[test]
fn yaml_reports_are_the_json_reports_in_yaml() {
    for example in [
        "checklists/examples/case-study.yaml",
        "checklists/examples/fleet.yaml",
    ] {
        let json = crate::common::json_of(["assess", example, "--format", "json"]);
        let out = crate::common::advisor()
            .args(["assess", example, "--format", "yaml"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        let text = String::from_utf8(out.stdout).unwrap();
        let yaml: serde_json::Value = serde_yaml::from_str(&text).unwrap();
        assert_eq!(yaml, json, "{example}");
    }
}
