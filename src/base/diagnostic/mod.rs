//! Problems found in a user's input file, each with where it is and how to fix it.

pub mod code;
pub mod guards;

use std::collections::HashMap;
use std::fmt;

use code::Code;

/// One problem in an input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// 1-based line in the file, when it could be found.
    pub line: Option<usize>,
    /// Where in the document: a question id or a path such as `sections[1].questions[2]`.
    pub at: Option<String>,
    pub message: String,
    /// What to do about it.
    pub fix: Option<String>,
    /// What kind of problem it is, for code to tell problems apart (never shown).
    pub code: Option<Code>,
}

impl Diagnostic {
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            line: None,
            at: None,
            message: message.into(),
            fix: None,
            code: None,
        }
    }

    pub fn code(mut self, code: Code) -> Self {
        self.code = Some(code);
        self
    }

    pub fn at(mut self, at: impl Into<String>) -> Self {
        self.at = Some(at.into());
        self
    }

    pub fn line(mut self, line: Option<usize>) -> Self {
        self.line = line;
        self
    }

    pub fn fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }
}

/// Which kind of file an [`InputError`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    Answers,
    Checklist,
    /// Answers given on the command line with `--set`.
    Overrides,
    /// A scan report or Pluto output passed with `--evidence`.
    Evidence,
    /// Removed-API data passed with `--api-data`.
    ApiData,
    /// An iCalendar file of blackout events passed with `--freezes`.
    Freezes,
}

impl fmt::Display for InputKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            InputKind::Answers => "answers file",
            InputKind::Checklist => "checklist",
            InputKind::Overrides => "--set answers",
            InputKind::Evidence => "evidence file",
            InputKind::ApiData => "API data file",
            InputKind::Freezes => "freezes file",
        })
    }
}

/// How many problems an [`InputError`] lists; the rest are counted.
pub const MAX_SHOWN: usize = 20;

/// Everything wrong with one input file. Callers map it to exit code 2.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct InputError {
    pub kind: InputKind,
    /// The file as the user named it (`-` or `<stdin>` for standard input).
    pub origin: String,
    pub problems: Vec<Diagnostic>,
}

impl InputError {
    pub fn new(kind: InputKind, origin: &str, problems: Vec<Diagnostic>) -> Self {
        Self {
            kind,
            origin: origin.to_string(),
            problems,
        }
    }

    pub fn single(kind: InputKind, origin: &str, problem: Diagnostic) -> Self {
        Self::new(kind, origin, vec![problem])
    }

    /// Whether any of the problems has `code`.
    pub fn has(&self, code: Code) -> bool {
        self.problems.iter().any(|p| p.code == Some(code))
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.problems.len();
        if count == 1 {
            // One problem: one line saying where and what, one saying what to do.
            let problem = &self.problems[0];
            self.place(f, problem)?;
            f.write_str(&problem.message)?;
            if let Some(fix) = &problem.fix {
                write!(f, "\n  fix: {fix}")?;
            }
            return Ok(());
        }
        let (what, verb) = match self.kind {
            InputKind::Overrides => (self.kind.to_string(), "have"),
            _ => (format!("{} {}", self.kind, self.origin), "has"),
        };
        write!(f, "the {what} {verb} {count} problems:")?;
        for problem in self.problems.iter().take(MAX_SHOWN) {
            f.write_str("\n  ")?;
            self.place(f, problem)?;
            f.write_str(&problem.message)?;
            if let Some(fix) = &problem.fix {
                write!(f, "\n    fix: {fix}")?;
            }
        }
        if count > MAX_SHOWN {
            write!(
                f,
                "\n  ... and {} more problems (the first {MAX_SHOWN} are shown; fix them and run again)",
                count - MAX_SHOWN
            )?;
        }
        Ok(())
    }
}

impl InputError {
    /// `file:line: at: `, as much of it as is known.
    fn place(&self, f: &mut fmt::Formatter<'_>, problem: &Diagnostic) -> fmt::Result {
        if self.kind != InputKind::Overrides {
            write!(f, "{}", self.origin)?;
            if let Some(line) = problem.line {
                write!(f, ":{line}")?;
            }
            f.write_str(": ")?;
        }
        if let Some(at) = &problem.at {
            write!(f, "{at}: ")?;
        }
        Ok(())
    }
}

/// Turns a YAML parse error into a diagnostic with its line and column.
pub fn from_yaml_error(error: &serde_yaml::Error) -> Diagnostic {
    let line = error.location().map(|l| l.line());
    let text = error.to_string();
    // The parser's own limits, explained.
    if text.contains("repetition limit exceeded") {
        return Diagnostic::new("YAML aliases expand too far (an alias bomb?)")
            .line(line)
            .fix("write the values out; answers files, checklists and manifests need no nested aliases")
            .code(Code::YamlAliasExpansion);
    }
    if text.contains("recursion limit exceeded") {
        return Diagnostic::new("the YAML nests too deeply")
            .line(line)
            .fix("answers files and checklists are a few levels deep; check the file you passed")
            .code(Code::YamlTooDeep);
    }
    let mut message = text;
    // The location is shown in front already; drop serde_yaml's " at line X column Y" suffix.
    if let Some(index) = message.find(" at line ")
        && let Some(loc) = error.location()
    {
        message = format!("{} (column {})", &message[..index], loc.column());
    }
    // serde_yaml's errors have no kinds of their own: its words are all there is to go on.
    let (fix, code) = if message.contains("unknown field") {
        (
            "remove or rename that key: the keys allowed there are listed above",
            Code::YamlUnknownKey,
        )
    } else if message.contains("missing field") {
        ("add the missing key", Code::YamlMissingKey)
    } else if message.contains("invalid type") || message.contains("invalid value") {
        (
            "give that key a value of the expected type",
            Code::YamlWrongType,
        )
    } else {
        (
            "correct the YAML syntax at that line; a YAML linter or editor plugin shows the exact spot",
            Code::YamlSyntax,
        )
    };
    Diagnostic::new(message).line(line).fix(fix).code(code)
}

/// Like [`from_yaml_error`], with the source at hand to explain what the parser's words do
/// not: a second document (with the line where it starts) and tab indentation.
pub fn explain_yaml_error(error: &serde_yaml::Error, source: &str) -> Diagnostic {
    let diagnostic = from_yaml_error(error);
    if error.to_string().contains("more than one document") {
        let line = second_document_line(source);
        let place = if line.is_some() {
            " (a second one starts on this line)"
        } else {
            ""
        };
        return Diagnostic::new(format!("the file holds more than one YAML document{place}"))
            .line(line)
            .fix("keep one document: remove the `---` line and what follows, or move it to a file of its own")
            .code(Code::YamlSeveralDocuments);
    }
    let text = error.to_string();
    if let Some(rest) = text
        .split_once("duplicate entry with key \"")
        .map(|(_, r)| r)
        && let Some((key, _)) = rest.split_once('"')
    {
        // The parser points at the first entry; the one to remove is the next.
        let first = diagnostic
            .line
            .and_then(|l| find_key_line(source, key, l - 1));
        let again = first.and_then(|l| find_key_line(source, key, l));
        let earlier = first.map_or(String::new(), |l| format!(" (first on line {l})"));
        return Diagnostic::new(format!("`{key}` is given twice{earlier}"))
            .line(again.or(diagnostic.line))
            .fix("keep one of them: a key appears once in a mapping")
            .code(Code::YamlDuplicateKey);
    }
    let tab_indented = diagnostic
        .line
        .and_then(|l| source.lines().nth(l.checked_sub(1)?))
        .is_some_and(|text| {
            text.chars()
                .take_while(|c| c.is_whitespace())
                .any(|c| c == '\t')
        });
    if tab_indented {
        return Diagnostic::new("tabs are not allowed for indentation; use spaces")
            .line(diagnostic.line)
            .fix("replace the tabs at the start of that line with spaces, as many as the lines around it use")
            .code(Code::YamlTabIndentation);
    }
    diagnostic
}

/// The 1-based line of the `---` that starts a second document, if there is one.
fn second_document_line(source: &str) -> Option<usize> {
    let (mut content, mut markers) = (false, 0);
    for (index, line) in source.lines().enumerate() {
        let is_marker = line == "---" || line.starts_with("--- ") || line.starts_with("---\t");
        if is_marker {
            markers += 1;
            if content || markers > 1 {
                return Some(index + 1);
            }
            continue;
        }
        if line == "..." {
            continue;
        }
        let text = line.trim();
        if !text.is_empty() && !text.starts_with('#') && !line.starts_with('%') {
            content = true;
        }
    }
    None
}

/// Where each `key:` sits in a source, found in one pass, so that any number of diagnostics
/// get their lines without searching the text again. A key counts at the start of a line
/// (after the indentation and any `- `), plain or quoted, like [`find_key_line`].
pub struct KeyLines<'a> {
    /// 1-based lines of each key, in file order.
    by_key: HashMap<&'a str, Vec<usize>>,
}

impl<'a> KeyLines<'a> {
    pub fn new(source: &'a str) -> Self {
        let mut by_key: HashMap<&str, Vec<usize>> = HashMap::new();
        for (index, line) in source.lines().enumerate() {
            if let Some(key) = leading_key(line) {
                by_key.entry(key).or_default().push(index + 1);
            }
        }
        Self { by_key }
    }

    /// The 1-based line of the first `key:` below the line `after` (0-based).
    pub fn find(&self, key: &str, after: usize) -> Option<usize> {
        let lines = self.by_key.get(key)?;
        let first = lines.partition_point(|&line| line <= after);
        lines.get(first).copied()
    }
}

/// The key a line starts with, if it starts with `key:` (plain, "double" or 'single' quoted).
fn leading_key(line: &str) -> Option<&str> {
    let text = line.trim_start().trim_start_matches("- ");
    let (key, rest) = match text.chars().next()? {
        quote @ ('"' | '\'') => {
            let end = text[1..].find(quote)? + 1;
            (&text[1..end], &text[end + 1..])
        }
        _ => {
            let end = text.find(':')?;
            (&text[..end], &text[end..])
        }
    };
    rest.starts_with(':').then_some(key)
}

/// Lines of each `name:` value (plain or quoted; block or flow style), in file order, so each
/// environment of a fleet finds its line in constant time.
pub struct NameLines<'a> {
    by_name: HashMap<&'a str, std::collections::VecDeque<usize>>,
}

impl<'a> NameLines<'a> {
    pub fn new(source: &'a str) -> Self {
        let mut by_name: HashMap<&str, std::collections::VecDeque<usize>> = HashMap::new();
        for (index, line) in source.lines().enumerate() {
            let mut rest = line;
            while let Some(at) = rest.find("name:") {
                let before = rest[..at].chars().next_back();
                rest = &rest[at + "name:".len()..];
                // `name:` as its own key, not the end of `hostname:`.
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '-') {
                    continue;
                }
                let value = rest.trim_start();
                let value = match value.chars().next() {
                    Some(quote @ ('"' | '\'')) => value[1..].find(quote).map(|end| &value[1..=end]),
                    _ => Some(
                        value
                            .split([',', '}', ']'])
                            .next()
                            .unwrap_or("")
                            .split(" #")
                            .next()
                            .unwrap_or("")
                            .trim_end(),
                    ),
                };
                if let Some(value) = value {
                    by_name.entry(value).or_default().push_back(index + 1);
                }
            }
        }
        Self { by_name }
    }

    /// The next unclaimed line naming `name`.
    pub fn take(&mut self, name: &str) -> Option<usize> {
        self.by_name.get_mut(name)?.pop_front()
    }
}

/// The 1-based line of the first `key:` found below the line `after` (0-based), at any
/// indentation, quoted or not. Used to point diagnostics at the line a user has to edit.
pub fn find_key_line(source: &str, key: &str, after: usize) -> Option<usize> {
    source
        .lines()
        .enumerate()
        .skip(after)
        .find(|(_, line)| {
            let trimmed = line.trim_start().trim_start_matches("- ");
            [
                format!("{key}:"),
                format!("\"{key}\":"),
                format!("'{key}':"),
            ]
            .iter()
            .any(|k| trimmed.starts_with(k.as_str()))
        })
        .map(|(index, _)| index + 1)
}

/// The 1-based line of the first line, below line `after` (0-based), whose text after the
/// indentation contains `needle`.
pub fn find_line_containing(source: &str, needle: &str, after: usize) -> Option<usize> {
    source
        .lines()
        .enumerate()
        .skip(after)
        .find(|(_, line)| line.contains(needle))
        .map(|(index, _)| index + 1)
}

/// Where each line of a file starts, found in one pass, so that finding the lines of many
/// texts in a large file costs one substring search each instead of a walk over its lines (a
/// checklist with 12 MB of comments and 170 problems took lint 11 s).
pub struct LineStarts {
    /// Byte offset of each line's start; the first is 0.
    starts: Vec<usize>,
}

impl LineStarts {
    pub fn new(source: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            source
                .bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineStarts { starts }
    }

    /// What [`find_line_containing`] gives, found faster.
    pub fn find_containing(&self, source: &str, needle: &str, after: usize) -> Option<usize> {
        // A needle with a line break matches no single line.
        if needle.contains(['\n', '\r']) || needle.is_empty() {
            return find_line_containing(source, needle, after);
        }
        let from = *self.starts.get(after)?;
        let at = from + source.get(from..)?.find(needle)?;
        Some(self.starts.partition_point(|&start| start <= at))
    }
}

/// The raw text after `key:` on a given 1-based line, without a trailing comment.
pub fn raw_value_on_line(source: &str, line: usize, key: &str) -> Option<String> {
    let text = source.lines().nth(line.checked_sub(1)?)?;
    let (_, rest) = text.split_once(&format!("{key}:"))?;
    let value = rest.split(" #").next().unwrap_or(rest).trim();
    (!value.is_empty()).then(|| value.to_string())
}

#[cfg(test)]
mod tests {
    use super::guards::{check_characters, check_nesting};
    use super::*;

    #[test]
    fn line_starts_find_what_a_walk_over_the_lines_finds() {
        let text = "a: 1\r\nname: x\n\n  - id: q1\n    name: x y\nlast";
        let starts = LineStarts::new(text);
        for needle in [
            "a: 1", "name: x", "id: q1", "x y", "last", "nothing", "\n", "1\r",
        ] {
            for after in 0..8 {
                assert_eq!(
                    starts.find_containing(text, needle, after),
                    find_line_containing(text, needle, after),
                    "{needle:?} after {after}"
                );
            }
        }
    }

    #[test]
    fn finds_keys_quoted_or_not_after_a_line() {
        let text = "answers:\n  a: 1\n  \"b\": 2\n  - c: 3\nd: 4\n";
        assert_eq!(find_key_line(text, "a", 0), Some(2));
        assert_eq!(find_key_line(text, "b", 0), Some(3));
        assert_eq!(find_key_line(text, "c", 0), Some(4));
        assert_eq!(find_key_line(text, "a", 2), None);
    }

    #[test]
    fn key_lines_agree_with_the_search() {
        let text = "answers:\n  a: 1\n  \"b\": 2\n  - c: 3\nd: 4\n  'e' : 5\n  a: 6\n  f:g\n";
        let keys = KeyLines::new(text);
        for (key, after) in [("a", 0), ("b", 0), ("c", 0), ("a", 2), ("d", 0), ("x", 0)] {
            assert_eq!(
                keys.find(key, after),
                find_key_line(text, key, after),
                "{key}"
            );
        }
        assert_eq!(keys.find("a", 2), Some(7));
        assert_eq!(keys.find("a", 7), None);
    }

    #[test]
    fn name_lines_read_block_flow_and_quoted_names() {
        let text = "environments:\n  - name: a\n  - name: \"b c\"\n  - {name: 'd', hostname: x}\n  - name: a # again\n";
        let mut names = NameLines::new(text);
        assert_eq!(names.take("a"), Some(2));
        assert_eq!(names.take("b c"), Some(3));
        assert_eq!(names.take("d"), Some(4));
        assert_eq!(names.take("x"), None);
        assert_eq!(names.take("a"), Some(5));
        assert_eq!(names.take("a"), None);
    }

    #[test]
    fn second_documents_and_tabs_are_explained() {
        for (text, line) in [
            ("a: 1\n---\nb: 2\n", 2),
            ("---\n# c\n---\nb: 2\n", 3),
            ("# c\n---\na: 1\n--- \nb: 2\n", 4),
        ] {
            let error = serde_yaml::from_str::<serde_yaml::Value>(text).unwrap_err();
            let d = explain_yaml_error(&error, text);
            assert_eq!(d.line, Some(line), "{text:?}: {d:?}");
            assert!(d.message.contains("more than one YAML document"), "{d:?}");
        }
        let text = "answers:\n  a: 1\n  b: 2\n  a: 3\n";
        let error = serde_yaml::from_str::<serde_yaml::Value>(text).unwrap_err();
        let d = explain_yaml_error(&error, text);
        assert_eq!(d.message, "`a` is given twice (first on line 2)");
        assert_eq!(d.line, Some(4));
        let text = "answers:\n  a: 1\n\tb: 2\n";
        let error = serde_yaml::from_str::<serde_yaml::Value>(text).unwrap_err();
        let d = explain_yaml_error(&error, text);
        assert_eq!(
            d.message,
            "tabs are not allowed for indentation; use spaces"
        );
        assert_eq!(d.line, Some(3));
    }

    #[test]
    fn yaml_problems_carry_their_codes() {
        let code = |text: &str| {
            let error = serde_yaml::from_str::<serde_yaml::Value>(text).unwrap_err();
            explain_yaml_error(&error, text).code
        };
        assert_eq!(code("a: 1\n---\nb: 2\n"), Some(Code::YamlSeveralDocuments));
        assert_eq!(code("a: 1\na: 2\n"), Some(Code::YamlDuplicateKey));
        assert_eq!(code("a:\n  b: 1\n\tc: 2\n"), Some(Code::YamlTabIndentation));
        assert_eq!(code("a: [1\n"), Some(Code::YamlSyntax));
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Shape {
            a: u32,
        }
        let shape =
            |text: &str| from_yaml_error(&serde_yaml::from_str::<Shape>(text).unwrap_err()).code;
        assert_eq!(shape("a: 1\nb: 2\n"), Some(Code::YamlUnknownKey));
        assert_eq!(shape("{}"), Some(Code::YamlMissingKey));
        assert_eq!(shape("a: x\n"), Some(Code::YamlWrongType));
        let deep = format!("a: {}", "[".repeat(65));
        assert_eq!(
            check_nesting(&deep).unwrap_err().code,
            Some(Code::NestingTooDeep)
        );
        assert_eq!(
            check_characters("a: \u{0}\n").unwrap_err().code,
            Some(Code::ControlCharacter)
        );
    }

    #[test]
    fn an_input_error_has_the_codes_of_its_problems() {
        let err = InputError::new(
            InputKind::Answers,
            "a.yaml",
            vec![
                Diagnostic::new("bad").code(Code::BadValue),
                Diagnostic::new("no code"),
            ],
        );
        assert!(err.has(Code::BadValue));
        assert!(!err.has(Code::UnknownQuestion));
    }

    #[test]
    fn raw_value_keeps_what_the_user_typed() {
        let text = "answers:\n  current_version: 1.30   # today\n";
        assert_eq!(
            raw_value_on_line(text, 2, "current_version").as_deref(),
            Some("1.30")
        );
    }

    #[test]
    fn deep_nesting_is_refused_quickly_but_strings_and_comments_are_not_counted() {
        let deep = format!("a: {}{}", "[".repeat(100_000), "]".repeat(100_000));
        let err = check_nesting(&deep).unwrap_err();
        assert!(err.message.contains("nest more than 64 levels"));
        let fine = format!(
            "a: \"{}\" # {}\nb: [[1], {{c: [2]}}]\n",
            "[".repeat(500),
            "{".repeat(500)
        );
        assert!(check_nesting(&fine).is_ok());
    }

    #[test]
    fn display_lists_every_problem_with_file_line_and_fix() {
        let err = InputError::new(
            InputKind::Answers,
            "a.yaml",
            vec![
                Diagnostic::new("bad").at("`x`").line(Some(3)).fix("do y"),
                Diagnostic::new("worse"),
            ],
        );
        let text = err.to_string();
        assert!(text.starts_with("the answers file a.yaml has 2 problems:"));
        assert!(text.contains("\n  a.yaml:3: `x`: bad\n    fix: do y"));
        assert!(text.contains("\n  a.yaml: worse"));
    }
}
