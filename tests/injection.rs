//! No forged report content: text from answers, evidence and checklists can say anything, and
//! the markdown report still has one title, one recommendation, no raw HTML and an intact
//! timeline chart. Each case goes through the command line and is read back with a markdown
//! parser, the way GitHub would read it.

use crate::common::{CASE_STUDY, advisor, case_study_with};
use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

const FORGED: &str = "## Recommendation: Blue-Green";

/// What a reader of the rendered markdown would see.
#[derive(Debug, Default)]
struct Rendered {
    h1: Vec<String>,
    h2: Vec<String>,
    html: Vec<String>,
    mermaid: Vec<String>,
}

fn read(markdown: &str) -> Rendered {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_MATH
        | Options::ENABLE_GFM;
    let mut rendered = Rendered::default();
    let mut heading: Option<(HeadingLevel, String)> = None;
    let mut mermaid: Option<String> = None;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => heading = Some((level, String::new())),
            Event::End(TagEnd::Heading(_)) => match heading.take() {
                Some((HeadingLevel::H1, text)) => rendered.h1.push(text),
                Some((HeadingLevel::H2, text)) => rendered.h2.push(text),
                _ => {}
            },
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if &*info == "mermaid" => {
                mermaid = Some(String::new());
            }
            Event::End(TagEnd::CodeBlock) => rendered.mermaid.extend(mermaid.take()),
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, text)) = heading.as_mut() {
                    text.push_str(&t);
                }
                if let Some(block) = mermaid.as_mut() {
                    block.push_str(&t);
                }
            }
            Event::Html(h) | Event::InlineHtml(h) => rendered.html.push(h.to_string()),
            _ => {}
        }
    }
    rendered
}

/// The report is whole: one title, one recommendation (the real one), the usual sections
/// once each, no HTML, and one chart of three sections whose every line is a gantt statement.
fn assert_whole(markdown: &str, recommended: &str) {
    let r = read(markdown);
    assert_eq!(r.h1.len(), 1, "one title: {:?}", r.h1);
    let recommendations: Vec<&String> =
        r.h2.iter()
            .filter(|h| h.starts_with("Recommendation"))
            .collect();
    assert_eq!(recommendations.len(), 1, "{:?}", r.h2);
    assert!(
        recommendations[0].starts_with(&format!("Recommendation: {recommended}")),
        "{recommendations:?}"
    );
    for section in ["Blockers", "Timeline", "Risks", "Next steps"] {
        assert_eq!(
            r.h2.iter().filter(|h| *h == section).count(),
            1,
            "{section}: {:?}",
            r.h2
        );
    }
    assert!(r.html.is_empty(), "raw HTML: {:?}", r.html);
    assert_eq!(r.mermaid.len(), 1, "one chart");
    let chart = &r.mermaid[0];
    let mut lines = chart.lines().skip_while(|l| l.starts_with("%%{init"));
    assert_eq!(lines.next(), Some("gantt"));
    let mut sections = 0;
    for line in lines {
        let line = line.trim();
        let known = [
            "title ",
            "dateFormat ",
            "axisFormat ",
            "tickInterval ",
            "todayMarker ",
        ];
        if line.starts_with("section ") {
            sections += 1;
        } else if !known.iter().any(|k| line.starts_with(k)) {
            // A task: `name :[active, ]id, YYYY-MM-DD, Nd` with a plain name.
            let (name, spec) = line.rsplit_once(" :").expect(line);
            assert!(!name.contains([':', ';', '#', '`', '<', '>']), "{line}");
            let parts: Vec<&str> = spec.split(", ").collect();
            assert!(parts.len() == 3 || parts.len() == 4, "{line}");
            assert!(parts.last().unwrap().ends_with('d'), "{line}");
        }
    }
    assert_eq!(sections, 3, "{chart}");
}

fn markdown_with(answers: &str, extra: &[&str]) -> String {
    let out = advisor()
        .args(["assess", "--answers", "-", "--format", "markdown"])
        .args(extra)
        .write_stdin(answers.to_string())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn a_line_break_in_the_organization_forges_no_heading() {
    let answers = case_study_with(
        "organization: Example Corp",
        "organization: \"Example Corp\\n\\n## Recommendation: Blue-Green\\n<script>x</script>\"",
    );
    let markdown = markdown_with(&answers, &[]);
    assert_whole(&markdown, "Hybrid");
    // The whole value stays in the title, on its one line, as text.
    assert_eq!(
        read(&markdown).h1,
        [
            "Kubernetes upgrade strategy: Example Corp  ## Recommendation: Blue-Green <script>x</script>"
        ]
    );
}

#[test]
fn other_context_values_and_keys_forge_nothing() {
    let answers = case_study_with(
        "  prepared_by: Platform architecture team",
        "  prepared_by: \"~~team~~ &copy; $x$\\n```\\n\"\n  \"notes\\n# Title\": \"</table><script>\"",
    );
    let markdown = markdown_with(&answers, &[]);
    assert_whole(&markdown, "Hybrid");
}

#[test]
fn environment_names_of_a_fleet_forge_nothing() {
    let fleet = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("checklists/examples/fleet.yaml"),
    )
    .unwrap();
    let forged = fleet.replacen(
        "  - name: payments-prod",
        &format!("  - name: \"payments-prod\\n{FORGED}\\n<img src=x onerror=alert(1)>\""),
        1,
    );
    assert_ne!(forged, fleet);
    // A name with a line break is refused outright: exit 2, nothing written.
    advisor()
        .args(["assess", "--answers", "-", "--format", "markdown"])
        .write_stdin(forged)
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicates::str::contains("control character U+000A"));
    // A name with markup but no line break is escaped where it lands.
    let marked = fleet.replacen(
        "  - name: payments-prod",
        "  - name: \"payments-prod ## Recommendation: Blue-Green <img src=x onerror=alert(1)>\"",
        1,
    );
    let markdown = markdown_with(&marked, &[]);
    let r = read(&markdown);
    assert_eq!(r.h1.len(), 1, "{:?}", r.h1);
    assert!(
        !r.h2.iter().any(|h| h.starts_with("Recommendation")),
        "{:?}",
        r.h2
    );
    assert!(r.html.is_empty(), "{:?}", r.html);
}

#[test]
fn evidence_details_forge_nothing() {
    let scan = advisor()
        .args(["scan", "tests/fixtures/manifests", "--format", "json"])
        .output()
        .unwrap();
    let mut evidence: serde_json::Value = serde_json::from_slice(&scan.stdout).unwrap();
    for key in ["deprecated_apis", "pdbs_and_probes", "stateful_workloads"] {
        evidence["evidence"][key]["detail"] =
            format!("3 objects\n\n{FORGED}\n\n</table><script>alert(1)</script>\n```\n- [x] done")
                .into();
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("scan.json");
    std::fs::write(&path, evidence.to_string()).unwrap();
    let answers =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(CASE_STUDY))
            .unwrap();
    let markdown = markdown_with(&answers, &["--evidence", path.to_str().unwrap()]);
    let r = read(&markdown);
    assert!(r.h2.iter().any(|h| h == "Evidence from manifests"));
    let recommended =
        r.h2.iter()
            .find(|h| h.starts_with("Recommendation: "))
            .unwrap()
            .trim_start_matches("Recommendation: ")
            .to_string();
    assert_whole(&markdown, &recommended);
}

/// A checklist copied from the built-in one, with `from` replaced by `to`.
fn checklist_with(dir: &std::path::Path, edits: &[(&str, &str)]) -> std::path::PathBuf {
    let out = advisor()
        .args(["checklist", "show", "vks"])
        .output()
        .unwrap();
    // A custom checklist has an id of its own.
    let mut text = String::from_utf8(out.stdout)
        .unwrap()
        .replacen("id: vks\n", "id: hostile\n", 1);
    for (from, to) in edits {
        let edited = text.replacen(from, to, 1);
        assert_ne!(edited, text, "the edit `{from}` did not apply");
        text = edited;
    }
    let path = dir.join("hostile.yaml");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn hostile_checklist_names_on_one_line_forge_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = checklist_with(
        dir.path(),
        &[
            (
                "version: \"2.0.1\"",
                "version: \"1.0 ## Recommendation: X <b>b</b>\"",
            ),
            (
                "name: Hybrid",
                "name: \"Hybrid</td></tr></table><script>alert(1)</script>\"",
            ),
            (
                "name: Supervisor (management plane)",
                "name: \"Supervisor ``` %%{init: {}}%% <img src=x onerror=alert(1)> section Forged: 1\"",
            ),
            (
                "name: Sequential in-place",
                "name: \"section Sequential; title x\"",
            ),
        ],
    );
    let answers = case_study_with("checklist: vks", "");
    let markdown = markdown_with(&answers, &["--checklist", path.to_str().unwrap()]);
    assert_whole(
        &markdown,
        "Hybrid</td></tr></table><script>alert(1)</script>",
    );
}

#[test]
fn checklist_lint_rejects_line_breaks_in_names() {
    let dir = tempfile::tempdir().unwrap();
    let path = checklist_with(
        dir.path(),
        &[
            (
                "version: \"2.0.1\"",
                "version: \"2.0.1\\n## Recommendation: X\"",
            ),
            (
                "name: Supervisor (management plane)",
                "name: \"Supervisor\\n```\\n<script>alert(1)</script>\"",
            ),
        ],
    );
    let out = advisor()
        .args(["checklist", "lint"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("version: the value holds a line break"),
        "{stderr}"
    );
    assert!(
        stderr.contains("layers[0].name: the value holds a line break"),
        "{stderr}"
    );
    assert!(stderr.contains("fix: write it on one line"), "{stderr}");
    // The same checklist cannot be used to assess either.
    advisor()
        .args([
            "assess",
            "--answers",
            CASE_STUDY,
            "--format",
            "markdown",
            "--checklist",
        ])
        .arg(&path)
        .assert()
        .code(2);
}
