//! Small text helpers for explanations: counts with their nouns, and numbers as people read them.

/// `1 hop`, `3 hops`.
pub fn plural(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// `4` for whole numbers, `4.5` otherwise.
pub fn format_number(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

/// A duration as a person says it: weeks below about six weeks, months below three years,
/// then years to the half year. Every fleet text uses it, so the figures agree.
pub fn duration_text(months: f64) -> String {
    if months <= 0.0 {
        return "nothing to schedule".to_string();
    }
    let days = months * 365.25 / 12.0;
    if days < 45.0 {
        return match (days / 7.0).round().max(1.0) as u64 {
            1 => "about a week".to_string(),
            weeks => format!("about {weeks} weeks"),
        };
    }
    if months < 35.5 {
        return match months.round() as u64 {
            1 => "about a month".to_string(),
            whole => format!("about {whole} months"),
        };
    }
    let years = (months / 12.0 * 2.0).round() / 2.0;
    format!("about {} years", format_number(years))
}

/// A sentence continued after "because": its first letter in lower case, unless it starts
/// with a name or an acronym.
pub fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    let Some(first) = chars.next() else {
        return String::new();
    };
    let second_upper = text.chars().nth(1).is_some_and(char::is_uppercase);
    let names = [
        "Blue",
        "Green",
        "Hybrid",
        "Sequential",
        "Kubernetes",
        "VKS",
        "Supervisor",
    ];
    if second_upper || names.iter().any(|n| text.starts_with(n)) {
        return text.to_string();
    }
    first.to_lowercase().chain(chars).collect()
}

/// "a", "a and b", "a, b and c".
pub fn join_and(items: &[String]) -> String {
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_input_is_shortened_with_its_length() {
        assert_eq!(shortened("abc", 3), "abc");
        assert_eq!(shortened("abcdé", 3), "abc… (5 characters in all)");
    }

    #[test]
    fn joins_read_like_a_sentence() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(join_and(&s(&[])), "");
        assert_eq!(join_and(&s(&["a"])), "a");
        assert_eq!(join_and(&s(&["a", "b", "c"])), "a, b and c");
        assert_eq!(plural(1, "hop", "hops"), "1 hop");
        assert_eq!(format_number(4.25), "4.2");
    }
}

/// Input echoed in a message, cut to its first `max` characters with how long it was, so
/// that a message about a 2 MB value is not 2 MB long.
pub fn shortened(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => std::borrow::Cow::Borrowed(text),
        Some((cut, _)) => std::borrow::Cow::Owned(format!(
            "{}… ({} characters in all)",
            &text[..cut],
            text.chars().count()
        )),
    }
}

/// Text safe to show on a terminal: control characters (C0, DEL, C1: escape sequences, bells,
/// carriage returns) and bidirectional overrides are shown as visible escapes (`\x1b`,
/// `\u{202e}`), so that text from a file can never move the cursor, retitle the window, write
/// the clipboard or reorder what is shown. Line breaks stay; a tab becomes a space.
pub fn terminal_safe(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| (c.is_control() && c != '\n') || is_bidi_control(c);
    if !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\t' => out.push(' '),
            c if c.is_control() && c != '\n' && (c as u32) < 0x100 => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if unsafe_char(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A character no name or text from a file may hold: a control character or a bidirectional
/// formatting character.
pub fn is_unsafe_char(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// How a message names a character [`is_unsafe_char`] refuses: "the control character
/// U+001B" or "the bidirectional formatting character U+202E".
pub fn unsafe_char_name(c: char) -> String {
    let what = if is_bidi_control(c) {
        "bidirectional formatting character"
    } else {
        "control character"
    };
    format!("the {what} U+{:04X}", u32::from(c))
}

/// The bidirectional formatting characters (embeddings, overrides, isolates, marks) that can
/// make text display in another order than it is read.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// An invisible character: a format character (zero-width space and joiners, word joiner,
/// soft hyphen, byte order mark, bidirectional marks, tags...), a variation selector, the
/// combining grapheme joiner or a Hangul filler. In a name it makes two names that look
/// alike different, so names refuse them.
pub fn is_invisible_char(c: char) -> bool {
    matches!(c,
        '\u{00ad}' | '\u{034f}' | '\u{0600}'..='\u{0605}' | '\u{061c}' | '\u{06dd}'
        | '\u{070f}' | '\u{0890}'..='\u{0891}' | '\u{08e2}' | '\u{115f}'..='\u{1160}'
        | '\u{17b4}'..='\u{17b5}' | '\u{180b}'..='\u{180f}' | '\u{200b}'..='\u{200f}'
        | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{206f}' | '\u{3164}'
        | '\u{fe00}'..='\u{fe0f}' | '\u{feff}' | '\u{ffa0}' | '\u{fff9}'..='\u{fffb}'
        | '\u{110bd}' | '\u{110cd}' | '\u{13430}'..='\u{1343f}' | '\u{1bca0}'..='\u{1bca3}'
        | '\u{1d173}'..='\u{1d17a}' | '\u{e0001}' | '\u{e0020}'..='\u{e007f}'
        | '\u{e0100}'..='\u{e01ef}')
}

/// How a message names an invisible character: "the invisible character U+200B".
pub fn invisible_char_name(c: char) -> String {
    format!("the invisible character U+{:04X}", u32::from(c))
}

/// A name as people read it, for telling whether two names are the same: Unicode
/// compatibility normalisation (NFKC: fullwidth `ｐｒｏｄ` is `prod`, `ﬁ` is `fi`), lower case,
/// every dash and hyphen (non-breaking hyphen, en dash, minus sign...) as `-`, and runs of
/// spaces as one space, trimmed.
pub fn name_key(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let folded: String = name
        .nfkc()
        .collect::<String>()
        .to_lowercase()
        .chars()
        .map(|c| match c {
            '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{fe58}' | '\u{fe63}' | '\u{ff0d}' => '-',
            c => c,
        })
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod name_tests {
    use super::*;

    #[test]
    fn look_alike_names_have_one_key() {
        for same in [
            "sup-east",
            "SUP-EAST",
            "ｓｕｐ－ｅａｓｔ",
            "sup\u{2011}east",
            " sup–east ",
        ] {
            assert_eq!(name_key(same), "sup-east", "{same:?}");
        }
        assert_ne!(name_key("sup-east"), name_key("sup-west"));
        assert_eq!(name_key("Blue  Green"), name_key("blue green"));
        assert!(is_invisible_char('\u{200b}') && is_invisible_char('\u{feff}'));
        assert!(!is_invisible_char('a') && !is_invisible_char('-') && !is_invisible_char(' '));
    }
}

#[cfg(test)]
mod terminal_tests {
    use super::terminal_safe;

    #[test]
    fn escape_sequences_and_overrides_are_shown_not_obeyed() {
        let osc52 = "app\u{1b}]52;c;cm0gLXJmIH4=\u{07}\r\u{9b}2J\u{202e}gpj.exe\tx\ny";
        assert_eq!(
            terminal_safe(osc52),
            "app\\x1b]52;c;cm0gLXJmIH4=\\x07\\x0d\\x9b2J\\u{202e}gpj.exe x\ny"
        );
        assert!(matches!(
            terminal_safe("plain ünïcode\n"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
