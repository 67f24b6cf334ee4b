//! The checklist shown to people: an answers file to fill in, and its questions as a table
//! for a terminal, a markdown table for documents (the README's tables are these) or JSON.

use std::fmt::Write;

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};

use crate::checklist::model::Checklist;
use crate::checklist::model::DefaultValue;
use crate::checklist::model::Question;
use crate::checklist::model::QuestionKind;
use crate::report::blocks::{Align, cell, code, table};
use crate::report::schema::SCHEMA_FILE;

/// An answers file with every question as a commented key: prompt, help, allowed values and
/// default above it. Required questions without a default are left empty to fill in;
/// optional ones are commented out.
pub fn answers_template(checklist: &Checklist) -> String {
    let mut out = String::new();
    // Editors running yaml-language-server validate and complete the file against the schema.
    let _ = writeln!(out, "# yaml-language-server: $schema={SCHEMA_FILE}");
    let _ = writeln!(
        out,
        "# (create the schema beside this file: upgrade-advisor schema --checklist {} > {SCHEMA_FILE})",
        checklist.id
    );
    let _ = writeln!(out, "#");
    let _ = writeln!(
        out,
        "# Answers for the checklist `{}` {}: {}",
        checklist.id, checklist.version, checklist.title
    );
    let _ = writeln!(out, "# Fill in every empty value, then run:");
    let _ = writeln!(out, "#   upgrade-advisor assess --answers THIS_FILE.yaml");
    let _ = writeln!(
        out,
        "# Versions are quoted (\"1.30\"): unquoted, YAML reads 1.30 as the number 1.3."
    );
    let _ = writeln!(out, "checklist: {}", checklist.id);
    let _ = writeln!(out, "context:\n  organization: \"\"\n  environment: \"\"");
    let _ = writeln!(out, "answers:");
    for section in &checklist.sections {
        let _ = writeln!(out, "\n  # == {} ==", section.title);
        for question in &checklist.questions[section.questions.clone()] {
            question_block(&mut out, question);
        }
    }
    out
}

fn question_block(out: &mut String, q: &Question) {
    let _ = writeln!(out);
    for line in wrap(&q.prompt, 86) {
        let _ = writeln!(out, "  # {line}");
    }
    for line in wrap(&q.help, 86) {
        let _ = writeln!(out, "  #   {line}");
    }
    if let QuestionKind::Choice { choices, .. } = &q.kind {
        for c in choices {
            if c.label != c.value {
                let _ = writeln!(out, "  #   - {}: {}", c.value, c.label);
            }
        }
    }
    let mut facts = vec![format!("Allowed: {}", q.allowed())];
    match &q.default {
        Some(DefaultValue::Value(v)) => facts.push(format!("Default: {v}")),
        Some(DefaultValue::FromQuestion(from)) => {
            facts.push(format!("Default: the answer to {from}"))
        }
        None if !q.required => facts.push("Optional".to_string()),
        None => facts.push("Required".to_string()),
    }
    if let Some(when) = &q.when {
        facts.push(format!("Asked when {}", when.describe()));
    }
    let _ = writeln!(out, "  # {}.", facts.join(". "));
    // Versions get quotes ready to type into; other empty values stay bare.
    let example = match &q.kind {
        QuestionKind::Version => " \"\"",
        _ => "",
    };
    match &q.default {
        Some(DefaultValue::Value(v)) => {
            let value = match v {
                crate::checklist::value::AnswerValue::Version(v) => format!("\"{v}\""),
                // Quoted, so that a YAML 1.1 reader does not make `yes` a boolean.
                crate::checklist::value::AnswerValue::Choice(c) => format!("\"{c}\""),
                other => other.to_string(),
            };
            let _ = writeln!(out, "  {}: {value}", q.id);
        }
        Some(DefaultValue::FromQuestion(_)) => {
            let _ = writeln!(out, "  # {}:", q.id);
        }
        None if !q.required || q.when.is_some() => {
            let _ = writeln!(out, "  # {}:{example}", q.id);
        }
        None => {
            let _ = writeln!(out, "  {}:{example}", q.id);
        }
    }
}

/// The questions as a table: order, section, id, type, allowed values, default, condition.
pub fn questions_table(checklist: &Checklist, width: Option<u16>, color: bool) -> String {
    let mut table = Table::new();
    table
        .load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(width.unwrap_or(crate::report::width::DEFAULT_WIDTH));
    if color {
        table.enforce_styling();
    }
    // Four columns, so that ids and allowed values fit whole at 80 columns; the default and
    // the condition go under the question. Headings bold with colour, as in `assess`.
    table.set_header(["#", "Id", "Question", "Answer"].map(|h| {
        let cell = comfy_table::Cell::new(h);
        if color {
            cell.add_attribute(comfy_table::Attribute::Bold)
        } else {
            cell
        }
    }));
    for (i, q) in checklist.questions.iter().enumerate() {
        let notes = answer_notes(q);
        let section = &checklist.sections[q.section].title;
        let mut question = format!("{}\n[{section}]", q.prompt);
        if !notes.is_empty() {
            question.push_str(&format!("\n{}", capitalized(&notes.join("; "))));
        }
        table.add_row(vec![
            (i + 1).to_string(),
            q.id.clone(),
            question,
            q.allowed(),
        ]);
    }
    crate::report::width::keep_words_whole(&mut table);
    let title = format!(
        "{}: {} ({} questions)\n",
        checklist.id,
        checklist.title,
        checklist.questions.len()
    );
    let width = table.width().unwrap_or(80);
    format!(
        "{}{table}\n",
        crate::report::width::wrap_prose(&title, width)
    )
}

/// What a question's answer may be, beyond its allowed values: its default, that it is
/// optional, and when it is asked.
fn answer_notes(q: &Question) -> Vec<String> {
    let mut notes = Vec::new();
    match &q.default {
        Some(DefaultValue::Value(v)) => notes.push(format!("default {v}")),
        Some(DefaultValue::FromQuestion(from)) => notes.push(format!("default: {from}")),
        None if !q.required => notes.push("optional".to_string()),
        None => {}
    }
    if let Some(when) = &q.when {
        notes.push(format!("when {}", when.describe()));
    }
    notes
}

/// The questions as a GitHub-flavoured markdown table, one row per question in checklist order:
/// section (on its first question), id, question and answer (allowed values and notes).
pub fn questions_markdown(checklist: &Checklist) -> String {
    let mut out = String::new();
    let mut last_section = None;
    let rows = checklist.questions.iter().map(|q| {
        let section = (last_section != Some(q.section)).then(|| {
            last_section = Some(q.section);
            cell(&checklist.sections[q.section].title)
        });
        let allowed = match &q.kind {
            QuestionKind::Choice { choices, .. } => choices
                .iter()
                .map(|c| code(&c.value))
                .collect::<Vec<_>>()
                .join(", "),
            _ => cell(&q.allowed()),
        };
        let notes = answer_notes(q);
        let answer = if notes.is_empty() {
            allowed
        } else {
            format!("{allowed} ({})", cell(&notes.join("; ")))
        };
        vec![
            section.unwrap_or_default(),
            code(&q.id),
            cell(&q.prompt),
            answer,
        ]
    });
    table(
        &mut out,
        &[
            ("Section", Align::Left),
            ("Id", Align::Left),
            ("Question", Align::Left),
            ("Answer", Align::Left),
        ],
        rows,
    );
    out
}

/// The questions as JSON: the checklist's id, version and title, then each question with its
/// section, prompt, help, kind, allowed values, whether it is required, default and condition.
pub fn questions_json(checklist: &Checklist) -> String {
    let questions: Vec<serde_json::Value> = checklist
        .questions
        .iter()
        .map(|q| {
            let (kind, choices, range) = match &q.kind {
                QuestionKind::Choice { choices, yes_no } => (
                    if *yes_no { "yes_no" } else { "choice" },
                    Some(
                        choices
                            .iter()
                            .map(|c| serde_json::json!({"value": c.value, "label": c.label}))
                            .collect::<Vec<_>>(),
                    ),
                    None,
                ),
                QuestionKind::Integer { min, max } => (
                    "integer",
                    None,
                    Some(serde_json::json!({"min": min, "max": max})),
                ),
                QuestionKind::Version => ("version", None, None),
            };
            let default = match &q.default {
                Some(DefaultValue::Value(v)) => serde_json::json!({"value": v.to_string()}),
                Some(DefaultValue::FromQuestion(from)) => serde_json::json!({"from": from}),
                None => serde_json::Value::Null,
            };
            let mut entry = serde_json::json!({
                "id": q.id,
                "section": checklist.sections[q.section].title,
                "prompt": q.prompt,
                "help": q.help,
                "kind": kind,
                "allowed": q.allowed(),
                "required": q.required,
                "default": default,
                "when": q.when.as_ref().map(|w| w.describe()),
            });
            if let Some(choices) = choices {
                entry["choices"] = serde_json::Value::Array(choices);
            }
            if let Some(range) = range {
                entry["range"] = range;
            }
            entry
        })
        .collect();
    let document = serde_json::json!({
        "checklist": {
            "id": checklist.id,
            "version": checklist.version,
            "title": checklist.title,
        },
        "questions": questions,
    });
    let mut text = serde_json::to_string_pretty(&document).expect("JSON values serialize");
    text.push('\n');
    text
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Greedy word wrap.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_word_boundaries() {
        assert_eq!(wrap("a bb ccc dddd", 6), ["a bb", "ccc", "dddd"]);
    }

    #[test]
    fn the_template_names_every_question_once() {
        let checklist = Checklist::builtin("vks").unwrap();
        let text = answers_template(&checklist);
        for id in checklist.question_ids() {
            let keyed = text.lines().filter(|l| {
                let l = l.trim_start().trim_start_matches("# ");
                l.starts_with(&format!("{id}:"))
            });
            assert_eq!(keyed.count(), 1, "{id}");
        }
    }
}
