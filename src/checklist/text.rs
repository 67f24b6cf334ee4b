//! Names shown on one line in reports (titles, names, ids, prompts, labels) must not hold
//! control characters: a line break in one would start a line of its own in a markdown report,
//! where it could pass for a heading or close the timeline chart.

use super::raw::RawChecklist;
use super::raw::{RawCondition, RawStep};
use crate::base::diagnostic::code::Code;
use crate::base::diagnostic::{Diagnostic, LineStarts, MAX_SHOWN};
use crate::base::text::{is_unsafe_char, unsafe_char_name};

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
    let mut lines = ShownLines::new(source);
    names
        .into_iter()
        .filter_map(|(at, text)| {
            let found = text.chars().find(|&c| is_unsafe_char(c))?;
            let what = match found {
                '\n' | '\r' => "a line break".to_string(),
                '\t' => "a tab".to_string(),
                other => unsafe_char_name(other),
            };
            // The line of the value's first words, when the file spells them out.
            let head: String = text.chars().take_while(|c| !c.is_control()).collect();
            let line = lines.line_of(head.trim());
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

/// A problem for every text of `raw` shown as prose (descriptions, help, reasons, needs,
/// actions, risks, what a condition says) that holds a control character other than a line
/// break or a tab, or a bidirectional formatting character: either could drive a terminal
/// (an escape sequence) or make a report read in another order than it is written.
pub(super) fn prose_characters(raw: &RawChecklist, source: &str) -> Vec<Diagnostic> {
    let mut texts: Vec<(String, &str)> = vec![("description".into(), &raw.description)];
    fn says<'r>(at: String, c: &'r RawCondition, out: &mut Vec<(String, &'r str)>) {
        if let Some(text) = &c.says {
            out.push((format!("{at}.says"), text));
        }
        for (key, list) in [("all", &c.all), ("any", &c.any)] {
            for (i, inner) in list.iter().flatten().enumerate() {
                says(format!("{at}.{key}[{i}]"), inner, out);
            }
        }
    }
    for (i, signal) in raw.signals.iter().enumerate() {
        for (b, band) in signal.bands.iter().enumerate() {
            texts.push((format!("signals[{i}].bands[{b}].reason"), &band.reason));
        }
    }
    for (i, gate) in raw.gates.iter().enumerate() {
        let at = format!("gates[{i}]");
        texts.push((format!("{at}.reason"), &gate.reason));
        texts.extend(gate.need.as_deref().map(|t| (format!("{at}.need"), t)));
        texts.extend(gate.action.as_deref().map(|t| (format!("{at}.action"), t)));
        says(format!("{at}.when"), &gate.when, &mut texts);
    }
    for (i, blocker) in raw.blockers.iter().enumerate() {
        let at = format!("blockers[{i}]");
        texts.push((format!("{at}.action"), &blocker.action));
        texts.extend(blocker.need.as_deref().map(|t| (format!("{at}.need"), t)));
        says(format!("{at}.when"), &blocker.when, &mut texts);
    }
    for (si, section) in raw.sections.iter().enumerate() {
        if let Some(d) = &section.description {
            texts.push((format!("sections[{si}].description"), d));
        }
        for (qi, question) in section.questions.iter().enumerate() {
            let at = format!("sections[{si}].questions[{qi}]");
            texts.push((format!("{at}.help"), &question.help));
            if let Some(when) = &question.when {
                says(format!("{at}.when"), when, &mut texts);
            }
            for (ci, choice) in question.choices.iter().enumerate() {
                let at = format!("{at}.choices[{ci}]");
                for (key, text) in [
                    ("reason", &choice.reason),
                    ("risk", &choice.risk),
                    ("mitigation", &choice.mitigation),
                ] {
                    texts.extend(text.as_deref().map(|t| (format!("{at}.{key}"), t)));
                }
            }
        }
    }
    let runbook = &raw.runbook;
    for (i, r) in runbook.references.iter().enumerate() {
        texts.push((format!("runbook.references[{i}].title"), &r.title));
        texts.push((format!("runbook.references[{i}].url"), &r.url));
    }
    for (i, check) in runbook.before.iter().enumerate() {
        let at = format!("runbook.before[{i}]");
        texts.push((format!("{at}.step"), &check.step));
        texts.extend(
            check
                .command
                .as_deref()
                .map(|t| (format!("{at}.command"), t)),
        );
        if let Some(when) = &check.when {
            says(format!("{at}.when"), when, &mut texts);
        }
    }
    for (i, phase) in runbook.phases.iter().enumerate() {
        let at = format!("runbook.phases[{i}]");
        if let Some(when) = &phase.when {
            says(format!("{at}.when"), when, &mut texts);
        }
        for (key, steps) in [
            ("pre_checks", &phase.pre_checks),
            ("change", &phase.change),
            ("validation", &phase.validation),
            ("go_no_go", &phase.go_no_go),
            ("rollback", &phase.rollback),
        ] {
            for (s, step) in steps.iter().enumerate() {
                let at = format!("{at}.{key}[{s}]");
                match step {
                    RawStep::Text(text) => texts.push((at, text)),
                    RawStep::Full(f) => {
                        texts.push((format!("{at}.step"), &f.step));
                        texts.extend(f.command.as_deref().map(|t| (format!("{at}.command"), t)));
                    }
                }
            }
        }
    }
    let mut lines = ShownLines::new(source);
    texts
        .into_iter()
        .filter_map(|(at, text)| {
            let found = text
                .chars()
                .find(|&c| is_unsafe_char(c) && !matches!(c, '\n' | '\t'))?;
            let head: String = text.chars().take_while(|&c| !is_unsafe_char(c)).collect();
            let line = head
                .lines()
                .last()
                .and_then(|h| lines.line_of(h.trim()));
            Some(
                Diagnostic::new(format!(
                    "the text holds {}, which could drive a terminal or reorder what a report shows",
                    unsafe_char_name(found)
                ))
                .at(at)
                .line(line)
                .fix("remove it; in double-quoted YAML, escapes such as \\e, \\x1b or \\u202E write such characters")
                .code(Code::UnsafeText),
            )
        })
        .collect()
}

/// The lines of refused texts: only the first [`MAX_SHOWN`] problems are shown with their
/// lines, and each costs a search, so the rest are not looked for.
struct ShownLines<'s> {
    source: &'s str,
    starts: std::cell::OnceCell<LineStarts>,
    shown: usize,
}

impl<'s> ShownLines<'s> {
    fn new(source: &'s str) -> Self {
        ShownLines {
            source,
            starts: std::cell::OnceCell::new(),
            shown: 0,
        }
    }

    /// The line holding `head` (a text's first words, at least three characters), while
    /// fewer than [`MAX_SHOWN`] have been looked for.
    fn line_of(&mut self, head: &str) -> Option<usize> {
        if head.len() < 3 {
            return None;
        }
        self.shown += 1;
        if self.shown > MAX_SHOWN {
            return None;
        }
        self.starts
            .get_or_init(|| LineStarts::new(self.source))
            .find_containing(self.source, head, 0)
    }
}
