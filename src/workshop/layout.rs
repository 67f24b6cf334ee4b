//! How the workshop's prompts are laid out in a terminal of a given width: text wrapped at
//! spaces, prompts that leave room for their default, answers that fit, and the rows a prompt
//! takes (so a finished one can be erased). Pure: widths in, text and counts out.

use std::fmt;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::checklist::model::{Checklist, Question, QuestionKind};

const KEYS: &str =
    "Enter accepts · ↑↓ choose · Esc goes back one question · Ctrl-C pauses and saves";
/// The keys every prompt's help ends with.
pub const BACK_AND_PAUSE: &str = "Esc: back · Ctrl-C: pause and save";

/// The rows inquire draws for a text prompt: the error line, the prompt with the default and
/// the input (which the terminal wraps anywhere), and the help.
pub fn frame_rows(
    message: &str,
    default: Option<&str>,
    input: &str,
    help: &str,
    error: Option<&str>,
    width: usize,
) -> usize {
    let rows_of = |columns: usize| columns.div_ceil(width).max(1);
    let error_rows = error.map_or(0, |e| {
        e.split('\n')
            .enumerate()
            .map(|(n, l)| rows_of(if n == 0 { 2 } else { 0 } + l.width()))
            .sum()
    });
    let lines: Vec<&str> = message.split('\n').collect();
    let last = lines.last().map_or(0, |l| l.width());
    let prefix = if lines.len() > 1 { 0 } else { 2 };
    let tail = default.map_or(0, |d| d.width() + 3) + input.width() + 1;
    let prompt_rows = lines.len().saturating_sub(1) + rows_of(prefix + last + 1 + tail);
    let help_rows = help.lines().count();
    error_rows + prompt_rows + help_rows
}

/// Wraps `text` at spaces so that no line is wider than `width - 1` columns. The first line
/// starts after `first` columns already used; the next ones are indented by `indent` spaces.
/// Line breaks in `text` are kept. Only a word wider than a whole line is cut.
pub fn wrap(text: &str, width: usize, first: usize, indent: usize) -> String {
    let limit = width.saturating_sub(1).max(indent + 10);
    let pad = " ".repeat(indent);
    let mut out = String::new();
    let mut column = first;
    for (n, paragraph) in text.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
            out.push_str(&pad);
            column = indent;
        }
        let mut line_empty = true;
        for word in paragraph.split_whitespace() {
            let word_width = word.width();
            if !line_empty && column + 1 + word_width > limit {
                out.push('\n');
                out.push_str(&pad);
                column = indent;
                line_empty = true;
            }
            if !line_empty {
                out.push(' ');
                column += 1;
            }
            for c in word.chars() {
                let w = c.width().unwrap_or(0);
                if column + w > limit && column > indent {
                    out.push('\n');
                    out.push_str(&pad);
                    column = indent;
                }
                out.push(c);
                column += w;
            }
            line_empty = false;
        }
    }
    out
}

/// A prompt message wrapped after inquire's `? `, leaving room on its last line for `tail`
/// columns (the default inquire shows after it, and some of the answer).
pub fn wrap_prompt(message: &str, width: usize, tail: usize) -> String {
    let placeholder = "x".repeat(tail + 8);
    let wrapped = wrap(&format!("{message} {placeholder}"), width, 2, 2);
    let head = &wrapped[..wrapped.len() - placeholder.len()];
    // On its own line the tail follows the indent; on the last line, the separating space.
    if head.ends_with("\n  ") {
        head.to_string()
    } else {
        head.strip_suffix(' ').unwrap_or(head).to_string()
    }
}

/// The rows of a wrapped prompt message, as inquire draws it when the prompt ends with Esc.
pub fn message_rows(message: &str) -> usize {
    message.split('\n').count()
}

/// An answer as inquire shows it after the prompt: on the prompt's last line when it fits,
/// else wrapped on lines of its own.
pub fn fit_answer(message: &str, answer: &str, width: usize) -> String {
    let answer = &*crate::base::text::terminal_safe(answer);
    let lines: Vec<&str> = message.split('\n').collect();
    let prefix = if lines.len() > 1 { 0 } else { 2 };
    let used = prefix + lines.last().map_or(0, |l| l.width()) + 1;
    if used + answer.width() < width {
        answer.to_string()
    } else {
        format!("\n  {}", wrap(answer, width, 2, 2))
    }
}

/// Help wrapped inside inquire's `[` and `]`.
pub fn wrap_help(help: &str, width: usize) -> String {
    let wrapped = wrap(&format!("{help} x"), width, 1, 1);
    wrapped[..wrapped.len() - 2].trim_end().to_string()
}

/// The title screen: what the workshop is about to ask and which keys do what.
pub fn title_text(checklist: &Checklist, width: usize) -> String {
    let mut lines = vec![
        format!(
            "\n{}",
            wrap(
                &format!("upgrade-advisor workshop: {}", checklist.title),
                width,
                0,
                0
            )
        ),
        format!("Checklist `{}` {}", checklist.id, checklist.version),
    ];
    if !checklist.description.is_empty() {
        lines.push(format!("\n{}", wrap(&checklist.description, width, 0, 0)));
    }
    lines.push(format!(
        "\n{}",
        wrap(
            &format!(
                "{} sections, {} questions; some are asked only when an earlier answer makes them relevant.",
                checklist.sections.len(),
                checklist.questions.len()
            ),
            width,
            0,
            0
        )
    ));
    lines.push(format!("{}\n", wrap(&format!("Keys: {KEYS}"), width, 0, 6)));
    lines.join("\n")
}

/// A question's help under its prompt: the checklist's help, whether it may be left out, and
/// the keys.
/// The last entry of an optional question's list of choices, which leaves the answer out.
pub const LEAVE_OUT: &str = "(leave it out)";

pub fn question_help(question: &Question) -> String {
    let optional = match &question.kind {
        _ if question.required => String::new(),
        QuestionKind::Choice { yes_no: false, .. } => {
            format!(" Optional: choose {LEAVE_OUT} to leave it out.")
        }
        _ => " Optional: press Enter on an empty line to leave it out.".to_string(),
    };
    format!("{}{optional}\n{BACK_AND_PAUSE}", question.help.trim())
}

/// `y`, `yes`, `n`, `no` in any case.
pub fn yes_no_of(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "y" | "yes" => Some(true),
        "n" | "no" => Some(false),
        _ => None,
    }
}

/// A choice as the Select list shows it.
#[derive(Clone)]
pub struct Option_ {
    pub value: String,
    pub label: String,
}

impl fmt::Display for Option_ {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.value.is_empty() {
            f.write_str(&self.label)
        } else if self.label.eq_ignore_ascii_case(&self.value) {
            f.write_str(&self.value)
        } else {
            write!(f, "{}  ({})", self.label, self.value)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_at_spaces_and_indents() {
        let text = "How many critical applications tolerate rolling restarts?";
        let wrapped = wrap(text, 31, 2, 2);
        assert_eq!(
            wrapped,
            "How many critical\n  applications tolerate\n  rolling restarts?"
        );
        for line in wrapped.lines() {
            assert!(line.width() <= 30, "{line:?}");
        }
    }

    #[test]
    fn wrap_keeps_line_breaks_and_cuts_only_overlong_words() {
        assert_eq!(wrap("one two\nthree", 40, 0, 1), "one two\n three");
        let long = "x".repeat(25);
        let wrapped = wrap(&format!("a {long}"), 21, 0, 0);
        assert!(wrapped.lines().all(|l| l.width() <= 20), "{wrapped}");
        assert_eq!(wrapped.replace(['\n', ' '], ""), format!("a{long}"));
    }

    #[test]
    fn a_prompt_leaves_room_for_the_default() {
        assert_eq!(
            wrap_prompt("aaaa bbbb cccc dddd", 20, 0),
            "aaaa bbbb cccc\n  dddd"
        );
        // "? aaaa bbb" and " (1.30) " with room to type do not fit in 20 columns.
        assert_eq!(wrap_prompt("aaaa bbb", 20, 7), "aaaa bbb\n  ");
        // A tail that fits on no line of the message starts a line of its own.
        assert_eq!(wrap_prompt("aaaa bbbbbbb", 24, 5), "aaaa bbbbbbb\n  ");
        assert_eq!(message_rows("aaaa bbbbbbb\n  "), 2);
        assert_eq!(wrap_prompt("aaaa bbb", 80, 7), "aaaa bbb");
        assert_eq!(wrap_help("some help here", 12), "some help\n here");
    }

    #[test]
    fn a_long_answer_goes_below_the_prompt() {
        assert_eq!(fit_answer("question?", "yes", 40), "yes");
        assert_eq!(
            fit_answer("question?", "None, everything is stateless", 30),
            "\n  None, everything is\n  stateless"
        );
    }

    #[test]
    fn frame_rows_count_wrapped_input() {
        // "? msg " + 100 columns of input + the cursor in 40 columns: 3 rows, plus 2 help rows.
        assert_eq!(
            frame_rows("msg", None, &"a".repeat(100), "h1\n h2", None, 40),
            5
        );
        assert_eq!(
            frame_rows("m1\n  m2", Some("6"), "", "h", Some("bad"), 40),
            4
        );
    }
}
