//! Guards that run before a YAML or JSON input is parsed, in one linear pass each: flow
//! nesting the parser would be slow on, and characters YAML does not allow anywhere.

use super::Diagnostic;
use super::code::Code;

/// The deepest nesting of brackets and braces a YAML or JSON input may have. Real answers
/// files, checklists and manifests stay far below it; the YAML parser slows down
/// quadratically on deeper flow nesting, so it is refused before parsing.
pub const MAX_FLOW_DEPTH: usize = 64;

/// Refuses input whose flow collections (`[`, `{`) nest deeper than [`MAX_FLOW_DEPTH`], in
/// one linear pass that skips quoted strings and comments.
pub fn check_nesting(source: &str) -> Result<(), Diagnostic> {
    let (mut depth, mut line) = (0usize, 1usize);
    let (mut quote, mut escaped, mut comment) = (None::<char>, false, false);
    let mut previous = '\n';
    let mut chars = source.chars().peekable();
    while let Some(ch) = chars.next() {
        if ch == '\n' {
            line += 1;
            comment = false;
        }
        if comment {
            previous = ch;
            continue;
        }
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if ch == '\\' && q == '"' {
                    escaped = true;
                } else if ch == '\'' && q == '\'' && chars.peek() == Some(&'\'') {
                    // `''` inside single quotes is a quote character, not the end.
                    chars.next();
                } else if ch == q {
                    quote = None;
                }
            }
            None => match ch {
                // A quote opens a quoted scalar only where a scalar starts: an apostrophe
                // inside a plain one (`O'Reilly Media`) is just a character.
                '"' | '\''
                    if previous.is_whitespace() || matches!(previous, '[' | '{' | ',' | ':') =>
                {
                    quote = Some(ch)
                }
                '#' if previous.is_whitespace() => comment = true,
                '[' | '{' => {
                    depth += 1;
                    if depth > MAX_FLOW_DEPTH {
                        return Err(Diagnostic::new(format!(
                            "brackets or braces nest more than {MAX_FLOW_DEPTH} levels deep"
                        ))
                        .line(Some(line))
                        .fix("this is not an answers file, checklist or manifest; check the file you passed")
                        .code(Code::NestingTooDeep));
                    }
                }
                ']' | '}' => depth = depth.saturating_sub(1),
                _ => {}
            },
        }
        previous = ch;
    }
    Ok(())
}

/// Refuses characters YAML does not allow anywhere (control characters other than tab and
/// line breaks, such as NUL), naming the line and column, in one linear pass.
pub fn check_characters(source: &str) -> Result<(), Diagnostic> {
    let (mut line, mut column) = (1usize, 0usize);
    for ch in source.chars() {
        if ch == '\n' {
            line += 1;
            column = 0;
            continue;
        }
        column += 1;
        let forbidden = matches!(ch, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}')
            || (('\u{80}'..='\u{9f}').contains(&ch) && ch != '\u{85}')
            || matches!(ch, '\u{fffe}' | '\u{ffff}');
        if forbidden {
            let name = match ch {
                '\0' => " (NUL)".to_string(),
                '\u{1b}' => " (ESC)".to_string(),
                _ => String::new(),
            };
            return Err(Diagnostic::new(format!(
                "column {column}: the control character U+{:04X}{name} is not allowed in YAML",
                u32::from(ch)
            ))
            .line(Some(line))
            .fix("remove it; a file with control characters is usually binary or damaged, or was saved in the wrong encoding")
            .code(Code::ControlCharacter));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_apostrophe_in_a_plain_scalar_does_not_hide_the_brackets_after_it() {
        // A plain scalar with an apostrophe, then deep brackets: still counted and refused.
        let deep = format!("publisher: O'Reilly Media\nx: {}\n", "[".repeat(100_000));
        let err = check_nesting(&deep).unwrap_err();
        assert_eq!(err.line, Some(2));
        // Real quotes still hide what they hold, `''` included.
        let quoted = format!(
            "a: 'it''s {}'\nb: \"{}\"\nc: [x, 'y']\n",
            "[".repeat(200),
            "{".repeat(200)
        );
        assert!(check_nesting(&quoted).is_ok());
        let flow = "m: {'k': [\"v\", 'O''Reilly'], n: don't}\n";
        assert!(check_nesting(flow).is_ok());
    }
}
