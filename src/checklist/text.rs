//! Names shown on one line in reports (titles, names, ids, prompts, labels) must not hold
//! control characters: a line break in one would start a line of its own in a markdown report,
//! where it could pass for a heading or close the timeline chart.

use super::raw::RawChecklist;
use crate::base::diagnostic::code::Code;
use crate::base::diagnostic::{Diagnostic, find_line_containing};

/// A problem for every single-line name in `raw` that holds a control character.
pub(super) fn control_characters(raw: &RawChecklist, source: &str) -> Vec<Diagnostic> {
    let mut names: Vec<(String, &str)> = vec![
        ("id".into(), &raw.id),
        ("version".into(), &raw.version),
        ("title".into(), &raw.title),
        (
            "strategies.sequential.name".into(),
            &raw.strategies.sequential.name,
        ),
        (
            "strategies.blue_green.name".into(),
            &raw.strategies.blue_green.name,
        ),
        ("strategies.hybrid.name".into(), &raw.strategies.hybrid.name),
    ];
    for (i, layer) in raw.layers.iter().enumerate() {
        names.push((format!("layers[{i}].id"), &layer.id));
        names.push((format!("layers[{i}].name"), &layer.name));
    }
    for (i, signal) in raw.signals.iter().enumerate() {
        names.push((format!("signals[{i}].id"), &signal.id));
    }
    for (i, gate) in raw.gates.iter().enumerate() {
        names.push((format!("gates[{i}].id"), &gate.id));
    }
    for (i, blocker) in raw.blockers.iter().enumerate() {
        names.push((format!("blockers[{i}].id"), &blocker.id));
        names.push((format!("blockers[{i}].title"), &blocker.title));
    }
    for (si, section) in raw.sections.iter().enumerate() {
        names.push((format!("sections[{si}].id"), &section.id));
        names.push((format!("sections[{si}].title"), &section.title));
        for (qi, question) in section.questions.iter().enumerate() {
            let at = format!("sections[{si}].questions[{qi}]");
            names.push((format!("{at}.id"), &question.id));
            names.push((format!("{at}.prompt"), &question.prompt));
            for (ci, choice) in question.choices.iter().enumerate() {
                names.push((format!("{at}.choices[{ci}].value"), &choice.value));
                if let Some(label) = &choice.label {
                    names.push((format!("{at}.choices[{ci}].label"), label));
                }
            }
        }
    }
    names
        .into_iter()
        .filter_map(|(at, text)| {
            let found = text.chars().find(|c| c.is_control())?;
            let what = match found {
                '\n' | '\r' => "a line break".to_string(),
                '\t' => "a tab".to_string(),
                other => format!("the control character U+{:04X}", other as u32),
            };
            // The line of the value's first words, when the file spells them out.
            let head: String = text.chars().take_while(|c| !c.is_control()).collect();
            let line = Some(head.trim())
                .filter(|h| h.len() >= 3)
                .and_then(|h| find_line_containing(source, h, 0));
            Some(
                Diagnostic::new(format!(
                    "the value holds {what}, but reports show names on one line"
                ))
                .at(at)
                .line(line)
                .fix("write it on one line: a plain or quoted string, not a `|` or `>` block, and without escapes such as \\n or \\t")
                .code(Code::UnsafeText),
            )
        })
        .collect()
}
