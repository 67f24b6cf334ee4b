//! The real prompter: inquire on a terminal.
//!
//! Each prompt runs on a short-lived thread while the main thread waits for either its answer
//! or a signal (SIGHUP when the terminal closes, SIGTERM, SIGINT). A signal ends the walk like
//! Ctrl-C, so the main thread saves the answers: a prompt blocked on the terminal cannot return
//! by itself, and after a hang-up the terminal library does not return at all.
// This is the edge that talks to the person, so it prints.
#![allow(clippy::print_stdout)]

use std::any::Any;
use std::fmt;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};

use inquire::error::InquireError;
use inquire::validator::Validation;
use inquire::{Select, Text};
use unicode_width::UnicodeWidthStr;

mod input;
mod screen;

use super::layout::{
    BACK_AND_PAUSE, LEAVE_OUT, Option_, fit_answer, frame_rows, message_rows, question_help,
    title_text, wrap, wrap_help, wrap_prompt, yes_no_of,
};
use super::prompt::{Ask, Prompter, Reply};
use crate::checklist::model::Checklist;
use crate::checklist::model::QuestionKind;
use crate::checklist::value::AnswerValue;
use input::{Bounded, MAX_INPUT, TextSpec, TooLong, cut_note, safe_text};
use screen::{erase_rows, render_config, say, terminal_width};

/// Asks with inquire. Check that standard input and output are terminals before using it.
pub struct TerminalPrompter {
    section: Option<String>,
    events: Receiver<Event>,
    sender: Sender<Event>,
    /// The signal that stopped the workshop; every prompt after it is an interrupt.
    stopped_by: Option<i32>,
    /// The rows each finished prompt left on screen, in order: going back erases the answer
    /// that is asked again, so it is not printed twice.
    printed: Vec<usize>,
    #[cfg(unix)]
    signals: signal_hook::iterator::Handle,
}

/// What the main thread waits for while a prompt is up.
enum Event {
    /// The prompt's result, an `inquire::InquireResult` of the prompt's type.
    Answer(Box<dyn Any + Send>),
    Signal(i32),
    /// The prompt's thread panicked.
    PromptFailed,
}

impl TerminalPrompter {
    /// Starts listening for SIGHUP, SIGTERM and SIGINT.
    pub fn new() -> std::io::Result<Self> {
        let (sender, events) = mpsc::channel();
        #[cfg(unix)]
        let signals = {
            use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
            let mut signals = signal_hook::iterator::Signals::new([SIGHUP, SIGTERM, SIGINT])?;
            let handle = signals.handle();
            let forward = sender.clone();
            std::thread::spawn(move || {
                for signal in signals.forever() {
                    if forward.send(Event::Signal(signal)).is_err() {
                        break;
                    }
                }
            });
            handle
        };
        Ok(TerminalPrompter {
            section: None,
            events,
            sender,
            stopped_by: None,
            printed: Vec::new(),
            #[cfg(unix)]
            signals,
        })
    }

    /// Why the workshop stopped, when a signal stopped it: `The terminal closed` (SIGHUP) or
    /// `Stopped (SIGTERM)`. `None` after Ctrl-C or SIGINT, which pause.
    pub fn stopped_because(&self) -> Option<&'static str> {
        #[cfg(unix)]
        {
            use signal_hook::consts::{SIGHUP, SIGTERM};
            match self.stopped_by? {
                SIGHUP => Some("The terminal closed"),
                SIGTERM => Some("Stopped (SIGTERM)"),
                _ => None,
            }
        }
        #[cfg(not(unix))]
        None
    }

    /// Runs `prompt` on its own thread and waits for its result or a signal. `None` when a
    /// signal came first: the terminal is given back in its normal mode.
    fn run<T: Send + 'static>(
        &mut self,
        prompt: impl FnOnce() -> inquire::error::InquireResult<T> + Send + 'static,
    ) -> Option<inquire::error::InquireResult<T>> {
        if self.stopped_by.is_some() {
            return None;
        }
        // A signal that came between two prompts stops before the next one is drawn.
        if let Ok(Event::Signal(signal)) = self.events.try_recv() {
            self.stop(signal, false);
            return None;
        }
        let sender = self.sender.clone();
        std::thread::spawn(move || {
            // A prompt that panics ends the walk like Ctrl-C instead of leaving the main
            // thread waiting for an answer that never comes.
            let event = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(prompt)) {
                Ok(result) => Event::Answer(Box::new(result)),
                Err(_) => Event::PromptFailed,
            };
            let _ = sender.send(event);
        });
        match self.events.recv() {
            Ok(Event::Answer(answer)) => answer
                .downcast::<inquire::error::InquireResult<T>>()
                .ok()
                .map(|boxed| *boxed),
            Ok(Event::Signal(signal)) => {
                self.stop(signal, true);
                None
            }
            Ok(Event::PromptFailed) | Err(_) => None,
        }
    }

    fn stop(&mut self, signal: i32, prompt_up: bool) {
        self.stopped_by = Some(signal);
        if prompt_up {
            // The prompt thread still holds the terminal in raw mode; give it back. After a
            // hang-up there is no terminal, and these fail harmlessly.
            let _ = crossterm::terminal::disable_raw_mode();
            let mut stderr = std::io::stderr();
            // The cursor sits in the prompt's input line: clear what is under it, so the
            // message that follows is not written over the help.
            let _ = crossterm::execute!(
                stderr,
                crossterm::event::DisableBracketedPaste,
                crossterm::cursor::MoveToNextLine(1),
                crossterm::terminal::Clear(crossterm::terminal::ClearType::FromCursorDown),
                crossterm::cursor::Show
            );
        }
    }

    /// A free-text prompt, bounded to [`MAX_INPUT`] characters. Longer input is cut and the
    /// prompt asked again with what was kept.
    fn bounded_text(&mut self, spec: TextSpec) -> Reply<String> {
        let mut initial = spec.initial.clone();
        let mut note = String::new();
        // A saved answer may already be too long; it is cut before the prompt is drawn.
        if let Some(text) = &initial
            && text.chars().nth(MAX_INPUT).is_some()
        {
            initial = Some(text.chars().take(MAX_INPUT).collect());
            note = cut_note();
        }
        loop {
            let width = terminal_width();
            let tail = spec.default.as_ref().map_or(0, |d| d.width() + 3);
            let message = wrap_prompt(&spec.message, width, tail);
            let help = wrap_help(&format!("{note}{}", spec.help), width);
            let last_error = Arc::new(Mutex::new(None::<String>));
            let shown_error = Arc::clone(&last_error);
            let (default, start, check, yes_no, echo_empty) = (
                spec.default.clone(),
                initial.clone(),
                spec.check.clone(),
                spec.yes_no,
                spec.echo_empty,
            );
            let (prompt_message, prompt_help) = (message.clone(), help.clone());
            let result = self.run(move || {
                let validator = move |text: &str| {
                    let verdict = check.as_ref().map_or(Ok(()), |check| check(text));
                    let mut shown = shown_error.lock().unwrap_or_else(|e| e.into_inner());
                    Ok(match verdict {
                        Ok(()) => {
                            *shown = None;
                            Validation::Valid
                        }
                        Err(error) => {
                            let wrapped = wrap(&error, terminal_width(), 2, 2);
                            *shown = Some(wrapped.clone());
                            Validation::Invalid(wrapped.into())
                        }
                    })
                };
                let answer_width = terminal_width();
                let echo = |text: &str| {
                    let text = match yes_no_of(text) {
                        Some(true) if yes_no => "yes",
                        Some(false) if yes_no => "no",
                        _ if text.trim().is_empty() => echo_empty.unwrap_or(text),
                        _ => text,
                    };
                    fit_answer(&prompt_message, text, answer_width)
                };
                let mut prompt = Text::new(&prompt_message)
                    .with_help_message(&prompt_help)
                    .with_render_config(render_config())
                    .with_autocomplete(Bounded)
                    .with_validator(validator)
                    .with_formatter(&echo);
                if let Some(default) = &default {
                    prompt = prompt.with_default(default);
                }
                if let Some(start) = &start {
                    prompt = prompt.with_initial_value(start);
                }
                prompt.prompt()
            });
            match result {
                None => return Reply::Interrupt,
                Some(Ok(text)) => {
                    let shown = fit_answer(&message, &text, width);
                    self.printed
                        .push(message_rows(&message) + shown.matches('\n').count());
                    return Reply::Value(text);
                }
                Some(Err(InquireError::OperationCanceled)) => {
                    erase_rows(message_rows(&message));
                    return Reply::Back;
                }
                Some(Err(InquireError::Custom(error))) => match error.downcast::<TooLong>() {
                    Ok(too_long) => {
                        let error = last_error.lock().map(|e| e.clone()).unwrap_or_default();
                        erase_rows(frame_rows(
                            &message,
                            spec.default.as_deref(),
                            &too_long.kept,
                            &help,
                            error.as_deref(),
                            width,
                        ));
                        note = cut_note();
                        initial = Some(too_long.kept);
                    }
                    Err(_) => return Reply::Interrupt,
                },
                // Ctrl-C, or the terminal went away: either way, stop and keep the answers.
                Some(Err(_)) => return Reply::Interrupt,
            }
        }
    }

    /// A yes/no prompt. `optional`: an empty Enter without a default leaves the answer out.
    fn yes_no(
        &mut self,
        message: &str,
        help: &str,
        default: Option<bool>,
        optional: bool,
    ) -> Reply<bool> {
        let choices = match default {
            None => "(y/n)",
            Some(true) => "(Y/n)",
            Some(false) => "(y/N)",
        };
        let spec = TextSpec {
            message: format!("{message} {choices}"),
            help: help.to_string(),
            default: None,
            initial: None,
            check: Some(Arc::new(move |text: &str| {
                let empty = text.trim().is_empty();
                if yes_no_of(text).is_some() || (empty && (default.is_some() || optional)) {
                    Ok(())
                } else {
                    Err("Answer y or n.".to_string())
                }
            })),
            yes_no: true,
            echo_empty: default.map(|yes| if yes { "yes" } else { "no" }),
        };
        match self.bounded_text(spec) {
            Reply::Value(text) if text.trim().is_empty() && default.is_none() => Reply::Skip,
            Reply::Value(text) => Reply::Value(yes_no_of(&text).or(default).unwrap_or(false)),
            Reply::Skip => Reply::Skip,
            Reply::Back => Reply::Back,
            Reply::Interrupt => Reply::Interrupt,
        }
    }
}

#[cfg(unix)]
impl Drop for TerminalPrompter {
    fn drop(&mut self) {
        self.signals.close();
    }
}

impl fmt::Debug for TerminalPrompter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TerminalPrompter")
            .field("section", &self.section)
            .field("stopped_by", &self.stopped_by)
            .finish_non_exhaustive()
    }
}

impl Prompter for TerminalPrompter {
    fn title(&mut self, checklist: &Checklist) {
        say(&title_text(checklist, terminal_width()));
    }

    fn ask(&mut self, ask: &Ask) -> Reply<AnswerValue> {
        let previous = self.section.clone();
        let heading = previous.as_deref() != Some(ask.section);
        if heading {
            self.section = Some(ask.section.to_string());
            say(&format!("\n== {} ==", ask.section));
        }
        let reply = self.ask_one(ask);
        if heading && reply == Reply::Back {
            // Going back out of a new section takes its heading away too.
            erase_rows(2);
            self.section = previous;
        }
        if reply == Reply::Back {
            self.erase_previous_answer();
        }
        reply
    }

    fn text(&mut self, message: &str, help: &str, default: Option<&str>) -> Reply<String> {
        let spec = TextSpec {
            message: message.to_string(),
            help: format!("{help}\n{BACK_AND_PAUSE}"),
            default: None,
            initial: default.map(str::to_string),
            check: Some(safe_text()),
            yes_no: false,
            echo_empty: None,
        };
        match self.bounded_text(spec) {
            Reply::Value(text) if text.trim().is_empty() => Reply::Skip,
            Reply::Value(text) => Reply::Value(text.trim().to_string()),
            Reply::Back => {
                self.erase_previous_answer();
                Reply::Back
            }
            other => other,
        }
    }

    fn confirm(&mut self, message: &str, default: bool) -> Reply<bool> {
        self.yes_no(
            message,
            "y or n; Enter takes the default.",
            Some(default),
            false,
        )
    }

    fn show(&mut self, text: &str) {
        say(text);
    }
}

impl TerminalPrompter {
    /// Going back: the answer to the prompt asked again comes off the screen, so that it is
    /// shown once, as answered anew.
    fn erase_previous_answer(&mut self) {
        if let Some(rows) = self.printed.pop() {
            erase_rows(rows);
        }
    }

    /// Asks one checklist question with the prompt that fits its kind.
    fn ask_one(&mut self, ask: &Ask) -> Reply<AnswerValue> {
        let question = ask.question;
        let message = format!("{} · {}", ask.progress(), question.prompt);
        let help = question_help(question);
        let default = ask.default.as_ref().map(ToString::to_string);
        match &question.kind {
            QuestionKind::Choice { yes_no: true, .. } => {
                let default = default.as_ref().map(|d| d == "yes");
                match self.yes_no(&message, &help, default, !question.required) {
                    Reply::Value(yes) => {
                        Reply::Value(AnswerValue::Choice(if yes { "yes" } else { "no" }.into()))
                    }
                    Reply::Back => Reply::Back,
                    Reply::Skip => Reply::Skip,
                    Reply::Interrupt => Reply::Interrupt,
                }
            }
            QuestionKind::Choice { choices, .. } => {
                let mut options: Vec<Option_> = choices
                    .iter()
                    .map(|c| Option_ {
                        value: c.value.clone(),
                        label: c.label.clone(),
                    })
                    .collect();
                if !question.required {
                    options.push(Option_ {
                        value: String::new(),
                        label: LEAVE_OUT.to_string(),
                    });
                }
                let cursor = default
                    .as_ref()
                    .and_then(|d| options.iter().position(|o| &o.value == d))
                    .unwrap_or(0);
                let width = terminal_width();
                let message = wrap_prompt(&message, width, 0);
                let help = wrap_help(&help, width);
                let rows = message_rows(&message);
                let answered = message.clone();
                let result = self.run(move || {
                    let echo = |option: inquire::list_option::ListOption<&Option_>| {
                        let shown = if option.value.value.is_empty() {
                            "left out".to_string()
                        } else {
                            option.value.to_string()
                        };
                        fit_answer(&message, &shown, width)
                    };
                    Select::new(&message, options)
                        .with_formatter(&echo)
                        .with_help_message(&help)
                        .with_render_config(render_config())
                        .with_starting_cursor(cursor)
                        .with_page_size(8)
                        .prompt()
                });
                match result {
                    None => Reply::Interrupt,
                    Some(Ok(option)) => {
                        let shown = fit_answer(&answered, &option.to_string(), width);
                        self.printed.push(rows + shown.matches('\n').count());
                        if option.value.is_empty() {
                            Reply::Skip
                        } else {
                            Reply::Value(AnswerValue::Choice(option.value))
                        }
                    }
                    Some(Err(InquireError::OperationCanceled)) => {
                        erase_rows(rows);
                        Reply::Back
                    }
                    Some(Err(_)) => Reply::Interrupt,
                }
            }
            QuestionKind::Integer { .. } | QuestionKind::Version => {
                let owned = question.clone();
                let min_version = ask.min_version.clone();
                let spec = TextSpec {
                    message,
                    help,
                    default,
                    initial: None,
                    check: Some(Arc::new(move |text: &str| {
                        super::prompt::parse_text(&owned, min_version.as_ref(), text).map(|_| ())
                    })),
                    yes_no: false,
                    echo_empty: None,
                };
                match self.bounded_text(spec) {
                    Reply::Value(text) => match ask.parse_text(&text) {
                        Ok(Some(value)) => Reply::Value(value),
                        Ok(None) => Reply::Skip,
                        // The check already refused anything else.
                        Err(_) => Reply::Back,
                    },
                    Reply::Back => Reply::Back,
                    Reply::Skip => Reply::Skip,
                    Reply::Interrupt => Reply::Interrupt,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yes_and_no_in_any_case() {
        assert_eq!(yes_no_of(" Y "), Some(true));
        assert_eq!(yes_no_of("no"), Some(false));
        assert_eq!(yes_no_of("maybe"), None);
    }
}
