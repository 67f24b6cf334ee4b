//! Text from data shows as itself in markdown: escaped text, parsed back by a GitHub-flavoured
//! markdown parser (tables, strikethrough, task lists, footnotes, math), gives back the text,
//! wherever a report puts it.

use proptest::prelude::*;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use upgrade_advisor::report::blocks::{cell, code, escape_inline, one_line};

fn gfm() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_MATH
        | Options::ENABLE_GFM
}

/// The text a reader sees in the part of `doc` that `inside` picks, and every event that is
/// not plain text there (markup, HTML, breaks).
fn read_back(doc: &str, inside: impl Fn(&Tag) -> bool) -> (String, Vec<String>) {
    let mut depth = 0;
    let mut text = String::new();
    let mut other = Vec::new();
    let mut in_body = false;
    for event in Parser::new_ext(doc, gfm()) {
        match &event {
            Event::Start(Tag::TableHead) => in_body = false,
            Event::End(TagEnd::TableHead) => in_body = true,
            _ => {}
        }
        match event {
            Event::Start(tag)
                if depth == 0 && inside(&tag) && !matches!(tag, Tag::TableCell if !in_body) =>
            {
                depth = 1
            }
            Event::Start(tag) if depth > 0 => {
                depth += 1;
                other.push(format!("{tag:?}"));
            }
            Event::End(_) if depth > 0 => depth -= 1,
            Event::Text(t) if depth > 0 => text.push_str(&t),
            e if depth > 0 => other.push(format!("{e:?}")),
            _ => {}
        }
    }
    (text, other)
}

fn markdownish() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[-+=#>*_`~\\\\\\[\\]()<>&;|$!:.^{}0-9a-z \n\r\t]{0,30}",
        // Things that look like the markup they must not become.
        prop::sample::select(vec![
            "~~struck~~".to_string(),
            "&copy; &#35; &amp;".to_string(),
            "Acme\n## Recommendation: Blue-Green".to_string(),
            "</table><script>alert(1)</script>".to_string(),
            "- [ ] done".to_string(),
            "1. first".to_string(),
            "[x](http://example.com) ![i](y.png) <http://a.b>".to_string(),
            "```\ncode\n```".to_string(),
            "$x^2$ and $$y$$".to_string(),
            "a[^1]\n\n[^1]: note".to_string(),
            "> quoted".to_string(),
            "---".to_string(),
            "===".to_string(),
            "    indented".to_string(),
            "trailing \\".to_string(),
            "| a | b |\n|---|---|".to_string(),
        ]),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn escaped_text_reads_back_as_itself_in_a_paragraph(text in markdownish()) {
        let (seen, other) = read_back(&escape_inline(&text), |t| matches!(t, Tag::Paragraph));
        prop_assert_eq!(seen, one_line(&text));
        prop_assert!(other.is_empty(), "{:?}", other);
    }

    #[test]
    fn escaped_text_reads_back_as_itself_in_headings_and_list_items(text in markdownish()) {
        let doc = format!("# Kubernetes upgrade strategy: {}\n", escape_inline(&text));
        let (seen, other) = read_back(&doc, |t| matches!(t, Tag::Heading { .. }));
        let expected = format!("Kubernetes upgrade strategy: {}", one_line(&text));
        prop_assert_eq!(seen.trim_end(), expected.trim_end());
        prop_assert!(other.is_empty(), "{:?}", other);

        let doc = format!("- {}\n", escape_inline(&text));
        let (seen, other) = read_back(&doc, |t| matches!(t, Tag::Item));
        prop_assert_eq!(seen, one_line(&text));
        prop_assert!(other.is_empty() || other == ["Paragraph"], "{:?}", other);
    }

    #[test]
    fn cells_read_back_as_themselves(text in markdownish()) {
        let doc = format!("| A | B |\n|---|---|\n| {} | after |\n", cell(&text));
        let (seen, other) = read_back(&doc, |t| matches!(t, Tag::TableCell));
        prop_assert_eq!(seen, format!("{}after", one_line(&text)));
        prop_assert!(other.is_empty(), "{:?}", other);
    }

    #[test]
    fn code_in_cells_reads_back_as_itself(text in markdownish()) {
        let doc = format!("| A | B |\n|---|---|\n| {} | after |\n", code(&text));
        let mut codes = Vec::new();
        let mut html = false;
        for event in Parser::new_ext(&doc, gfm()) {
            match event {
                Event::Code(c) => codes.push(c.to_string()),
                Event::Html(_) | Event::InlineHtml(_) => html = true,
                _ => {}
            }
        }
        prop_assert!(!html);
        let expected: Vec<String> = Some(one_line(&text)).filter(|t| !t.is_empty()).into_iter().collect();
        prop_assert_eq!(codes, expected);
    }
}

/// A manifest that names its object with an OSC 52 clipboard write, a bell and a
/// right-to-left override: the scan table shows the sequences as visible escapes, and no
/// control character or override reaches the terminal, at 80 columns or wrapped narrower.
#[test]
fn a_manifest_name_never_reaches_the_terminal_as_a_control_sequence() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("evil.yaml"),
        "apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata:\n  name: \"shop\\e]52;c;cm0gLXJmIH4=\\a\\u202Egpj.exe\"\n  namespace: \"ns\\e]0;pwned\\a\"\nspec: {minAvailable: 1}\n",
    )
    .unwrap();
    let path = dir.path().to_str().unwrap();
    for width in ["80", "40"] {
        let out = crate::common::advisor()
            .args(["scan", path, "--target", "1.33", "--format", "table"])
            .env("COLUMNS", width)
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("PodDisruptionBudget"), "{text}");
        let bad: Vec<char> = text
            .chars()
            .filter(|&c| (c.is_control() && c != '\n') || ('\u{202a}'..='\u{202e}').contains(&c))
            .collect();
        assert!(bad.is_empty(), "width {width}: {bad:?} in\n{text}");
        assert!(text.contains("\\x1b]52"), "shown, not obeyed:\n{text}");
    }
}

/// A right-to-left override in an answers file is refused, with its line and a fix; in a
/// manifest (which the tool reads as found) it reaches no document or terminal: the scan's
/// markdown and table show it as a visible escape.
#[test]
fn bidirectional_overrides_reach_no_document_or_terminal() {
    let file = std::fs::read_to_string("checklists/examples/case-study.yaml").unwrap();
    let hostile = file.replace(
        "organization: Example Corp",
        "organization: \"Example \\u202Eprocorp\"",
    );
    assert_ne!(file, hostile);
    crate::common::advisor()
        .args(["assess", "--answers", "-"])
        .write_stdin(hostile)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "<stdin>:5: `context`: `organization`: the text holds the bidirectional formatting character U+202E",
        ));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("evil.yaml"),
        "apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata:\n  name: \"shop\\u202Egpj.exe\"\nspec: {minAvailable: 1}\n",
    )
    .unwrap();
    let path = dir.path().to_str().unwrap();
    for format in ["markdown", "table"] {
        let text =
            crate::common::stdout_of(["scan", path, "--target", "1.33", "--format", format], "");
        let bad: Vec<char> = text
            .chars()
            .filter(|&c| {
                (c.is_control() && c != '\n') || upgrade_advisor::base::text::is_bidi_control(c)
            })
            .collect();
        assert!(bad.is_empty(), "{format}: {bad:?}");
        assert!(
            text.contains("u{202e}"),
            "{format}: shown as an escape:\n{text}"
        );
    }
}
