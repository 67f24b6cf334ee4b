//! The real prompter: inquire on a terminal.
// This is the edge that talks to the person, so it prints.
#![allow(clippy::print_stdout)]

use std::fmt;

use inquire::error::InquireError;
use inquire::validator::Validation;
use inquire::{Confirm, Select, Text};

use super::{Ask, Prompter, Reply};
use crate::answers::AnswerValue;
use crate::checklist::{Checklist, QuestionKind};

/// Asks with inquire. Check that standard input and output are terminals before using it.
#[derive(Debug, Default)]
pub struct TerminalPrompter {
    section: Option<String>,
}

const KEYS: &str =
    "Enter accepts · ↑↓ choose · Esc goes back one question · Ctrl-C pauses and saves";

/// A choice as the Select list shows it.
#[derive(Clone)]
struct Option_ {
    value: String,
    label: String,
}

impl fmt::Display for Option_ {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.label.eq_ignore_ascii_case(&self.value) {
            f.write_str(&self.value)
        } else {
            write!(f, "{}  ({})", self.label, self.value)
        }
    }
}

fn reply<T>(result: Result<T, InquireError>) -> Reply<T> {
    match result {
        Ok(value) => Reply::Value(value),
        Err(InquireError::OperationCanceled) => Reply::Back,
        // Ctrl-C, or the terminal went away: either way, stop and keep the answers.
        Err(_) => Reply::Interrupt,
    }
}

impl Prompter for TerminalPrompter {
    fn title(&mut self, checklist: &Checklist) {
        println!("\nupgrade-advisor workshop: {}", checklist.title);
        println!("Checklist `{}` {}", checklist.id, checklist.version);
        if !checklist.description.is_empty() {
            println!("\n{}", checklist.description);
        }
        println!(
            "\n{} sections, {} questions; some are asked only when an earlier answer makes them relevant.",
            checklist.sections.len(),
            checklist.questions.len()
        );
        println!("Keys: {KEYS}\n");
    }

    fn ask(&mut self, ask: &Ask) -> Reply<AnswerValue> {
        let question = ask.question;
        if self.section.as_deref() != Some(ask.section) {
            self.section = Some(ask.section.to_string());
            println!("\n== {} ==", ask.section);
        }
        let message = format!("{} · {}", ask.progress(), question.prompt);
        let optional = if question.required {
            ""
        } else {
            " Optional: press Enter on an empty line to leave it out."
        };
        let help = format!(
            "{}{optional}  [Esc: back · Ctrl-C: pause and save]",
            question.help
        );
        let default = ask.default.as_ref().map(ToString::to_string);
        match &question.kind {
            QuestionKind::Choice { yes_no: true, .. } => {
                let mut prompt = Confirm::new(&message).with_help_message(&help);
                if let Some(default) = &default {
                    prompt = prompt.with_default(default == "yes");
                }
                match reply(prompt.prompt()) {
                    Reply::Value(yes) => {
                        Reply::Value(AnswerValue::Choice(if yes { "yes" } else { "no" }.into()))
                    }
                    Reply::Back => Reply::Back,
                    Reply::Skip => Reply::Skip,
                    Reply::Interrupt => Reply::Interrupt,
                }
            }
            QuestionKind::Choice { choices, .. } => {
                let options: Vec<Option_> = choices
                    .iter()
                    .map(|c| Option_ {
                        value: c.value.clone(),
                        label: c.label.clone(),
                    })
                    .collect();
                let cursor = default
                    .as_ref()
                    .and_then(|d| options.iter().position(|o| &o.value == d))
                    .unwrap_or(0);
                let prompt = Select::new(&message, options)
                    .with_help_message(&help)
                    .with_starting_cursor(cursor)
                    .with_page_size(8);
                match reply(prompt.prompt()) {
                    Reply::Value(option) => Reply::Value(AnswerValue::Choice(option.value)),
                    Reply::Back => Reply::Back,
                    Reply::Skip => Reply::Skip,
                    Reply::Interrupt => Reply::Interrupt,
                }
            }
            QuestionKind::Integer { .. } | QuestionKind::Version => {
                let owned = question.clone();
                let min_version = ask.min_version.clone();
                let validator = move |text: &str| {
                    Ok(
                        match super::parse_text(&owned, min_version.as_ref(), text) {
                            Ok(_) => Validation::Valid,
                            Err(message) => Validation::Invalid(message.into()),
                        },
                    )
                };
                let mut prompt = Text::new(&message)
                    .with_help_message(&help)
                    .with_validator(validator);
                if let Some(default) = &default {
                    prompt = prompt.with_default(default);
                }
                match reply(prompt.prompt()) {
                    Reply::Value(text) => match ask.parse_text(&text) {
                        Ok(Some(value)) => Reply::Value(value),
                        Ok(None) => Reply::Skip,
                        // The validator already refused anything else.
                        Err(_) => Reply::Back,
                    },
                    Reply::Back => Reply::Back,
                    Reply::Skip => Reply::Skip,
                    Reply::Interrupt => Reply::Interrupt,
                }
            }
        }
    }

    fn text(&mut self, message: &str, help: &str, default: Option<&str>) -> Reply<String> {
        let mut prompt = Text::new(message).with_help_message(help);
        if let Some(default) = default {
            prompt = prompt.with_initial_value(default);
        }
        match reply(prompt.prompt()) {
            Reply::Value(text) if text.trim().is_empty() => Reply::Skip,
            Reply::Value(text) => Reply::Value(text.trim().to_string()),
            other => other,
        }
    }

    fn confirm(&mut self, message: &str, default: bool) -> Reply<bool> {
        reply(Confirm::new(message).with_default(default).prompt())
    }

    fn show(&mut self, text: &str) {
        println!("{text}");
    }
}
