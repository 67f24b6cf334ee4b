//! The terminal around the prompts: inquire's look, the width, erasing finished prompts and
//! writing a line.

use std::io::Write;

use inquire::ui::{RenderConfig, Styled};

/// inquire's look (colours unless NO_COLOR), without the `<canceled>` mark: a prompt left
/// with Esc is erased instead.
pub(super) fn render_config() -> RenderConfig<'static> {
    RenderConfig::default().with_canceled_prompt_indicator(Styled::new(""))
}

/// The terminal's width in columns, and 80 when it cannot be read.
pub(super) fn terminal_width() -> usize {
    crossterm::terminal::size().map_or(80, |(columns, _)| usize::from(columns).max(20))
}

/// Erases the `rows` lines just above the cursor, where inquire left a finished prompt.
pub(super) fn erase_rows(rows: usize) {
    let Ok(rows) = u16::try_from(rows) else {
        return;
    };
    if rows == 0 {
        return;
    }
    let mut stderr = std::io::stderr();
    let _ = crossterm::execute!(
        stderr,
        crossterm::cursor::MoveToPreviousLine(rows),
        crossterm::terminal::Clear(crossterm::terminal::ClearType::FromCursorDown)
    );
}

/// Writes a line to standard output; a terminal that went away is not an error here.
pub(super) fn say(text: &str) {
    let _ = writeln!(std::io::stdout(), "{text}");
}
