//! Typed input, bounded: what a free-text prompt shows and accepts, and the autocompleter
//! that stops a prompt once its input passes [`MAX_INPUT`] characters (a stray paste).

use std::fmt;
use std::sync::Arc;

use inquire::Autocomplete;
use inquire::autocompletion::Replacement;
use inquire::error::CustomUserError;

/// The longest typed answer, in characters. Longer input (a stray paste) is cut, so the
/// prompt never redraws thousands of characters on every key.
pub const MAX_INPUT: usize = 500;

/// What a free-text prompt shows and accepts.
pub(super) struct TextSpec {
    pub message: String,
    pub help: String,
    /// Taken on an empty Enter, shown as `(default)`.
    pub default: Option<String>,
    /// Already typed in, editable.
    pub initial: Option<String>,
    /// Refuses an answer with a message shown under the prompt.
    pub check: Option<Check>,
    /// Shows the answer as `yes` or `no`.
    pub yes_no: bool,
    /// Shown as the answer for an empty Enter (a yes/no question's default).
    pub echo_empty: Option<&'static str>,
}

pub(super) type Check = Arc<dyn Fn(&str) -> Result<(), String> + Send + Sync>;

/// The check of free text (names, context): no character that could reorder or restyle the
/// reports and the terminal it goes back to (a pasted right-to-left override).
pub(super) fn safe_text() -> Check {
    Arc::new(
        |text: &str| match text.chars().find(|&c| crate::base::text::is_unsafe_char(c)) {
            Some(c) => Err(format!(
                "The text holds {}, which reports cannot show safely; remove it.",
                crate::base::text::unsafe_char_name(c)
            )),
            None => Ok(()),
        },
    )
}

/// The line added to the help of a prompt whose input was cut.
pub(super) fn cut_note() -> String {
    format!("Cut to {MAX_INPUT} characters, the longest answer this takes.\n")
}

/// Input cut to [`MAX_INPUT`] characters.
#[derive(Debug)]
pub(super) struct TooLong {
    pub kept: String,
}

impl fmt::Display for TooLong {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "input longer than {MAX_INPUT} characters")
    }
}

impl std::error::Error for TooLong {}

/// Suggests nothing; it sees the input after every change and ends the prompt once the input
/// is longer than [`MAX_INPUT`], which is the one place inquire lets a text prompt stop input.
#[derive(Clone)]
pub(super) struct Bounded;

impl Autocomplete for Bounded {
    fn get_suggestions(&mut self, input: &str) -> Result<Vec<String>, CustomUserError> {
        if input.chars().nth(MAX_INPUT).is_some() {
            let kept = input.chars().take(MAX_INPUT).collect();
            return Err(Box::new(TooLong { kept }));
        }
        Ok(Vec::new())
    }

    fn get_completion(
        &mut self,
        _: &str,
        _: Option<String>,
    ) -> Result<Replacement, CustomUserError> {
        Ok(Replacement::None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_past_the_limit_stops_the_prompt_with_what_is_kept() {
        let mut bounded = Bounded;
        assert!(bounded.get_suggestions(&"a".repeat(MAX_INPUT)).is_ok());
        let error = bounded
            .get_suggestions(&"é".repeat(MAX_INPUT + 1))
            .unwrap_err();
        let too_long = error.downcast::<TooLong>().unwrap();
        assert_eq!(too_long.kept.chars().count(), MAX_INPUT);
    }
}
