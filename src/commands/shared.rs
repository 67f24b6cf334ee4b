//! What several commands share at the edge: the date, colour, which checklist to load and
//! saying where a file went.

use std::ffi::OsStr;
use std::path::Path;

use anyhow::Result;

use crate::base::date::Date;
use crate::checklist::BUILTIN;
use crate::exit::{Exit, UsageError};
use crate::io::output::emit;

/// Today's date, or the one `SOURCE_DATE_EPOCH` gives (reproducible reports and tests). A
/// value that is not a whole number of seconds, or lies outside 1970-01-01 to 9999-12-31, is
/// bad input (exit 2); an empty one counts as unset.
pub fn today() -> Result<Date> {
    let seconds = match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(text) if !text.trim().is_empty() => {
            let fix = "set SOURCE_DATE_EPOCH to whole seconds since 1970-01-01 (e.g. `date +%s`), or unset it";
            let seconds = text.trim().parse::<i64>().map_err(|_| {
                UsageError::new(
                    format!("SOURCE_DATE_EPOCH is `{text}`, not a whole number of seconds"),
                    fix,
                )
            })?;
            return Date::checked_from_unix_days(seconds.div_euclid(86_400)).ok_or_else(|| {
                UsageError::new(
                    format!(
                        "SOURCE_DATE_EPOCH {seconds} is not a date between {} and {}",
                        Date::EARLIEST,
                        Date::LATEST
                    ),
                    fix,
                )
                .into()
            });
        }
        Err(std::env::VarError::NotUnicode(_)) => {
            return Err(UsageError::new(
                "SOURCE_DATE_EPOCH is not text",
                "set it to whole seconds since 1970-01-01, or unset it",
            )
            .into());
        }
        _ => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX)),
    };
    Ok(Date::from_unix_days(seconds.div_euclid(86_400)))
}

/// The width of the terminal on standard output; `COLUMNS` when the terminal does not say
/// (or says 0); 80 when neither does.
pub fn terminal_width() -> u16 {
    terminal_size::terminal_size_of(std::io::stdout())
        .map(|(terminal_size::Width(w), _)| w)
        .filter(|w| *w > 0)
        .or_else(|| {
            std::env::var("COLUMNS")
                .ok()
                .and_then(|c| c.trim().parse::<u16>().ok())
                .filter(|w| *w > 0)
        })
        .unwrap_or(80)
}

/// The widest a table gets on a wide terminal: past it, lines are too long to read.
pub const MAX_TABLE_WIDTH: u16 = 120;

/// The width tables are laid out for: the terminal's (at most [`MAX_TABLE_WIDTH`]) when the
/// output goes to one, else `piped` (the documented width for files and pipes).
pub fn output_width(to_terminal: bool, piped: u16) -> u16 {
    if to_terminal {
        terminal_width().min(MAX_TABLE_WIDTH)
    } else {
        piped
    }
}

/// Whether to colour output going to a terminal (`to_terminal`): never when `NO_COLOR` is set
/// to anything (https://no-color.org), always when `CLICOLOR_FORCE` is set and not `0`
/// (https://bixense.com/clicolors), else when the output is a terminal.
pub fn use_color(to_terminal: bool) -> bool {
    let set = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if set("NO_COLOR").is_some() {
        return false;
    }
    if set("CLICOLOR_FORCE").is_some_and(|v| v != "0") {
        return true;
    }
    to_terminal
}

/// The checklist to use: the one named on the command line, else a built-in the answers file
/// names in its `checklist:` key, else (`None`) the default.
pub fn checklist_for(flag: Option<&str>, declared: Option<&str>) -> Option<String> {
    flag.or_else(|| declared.filter(|name| BUILTIN.iter().any(|(n, _)| n == name)))
        .map(str::to_string)
}

/// Refuses (exit 2) a command line where more than one input is `-`: standard input can be
/// read once, and the second reader would see it empty and blame its own input. `inputs` are
/// the flags (empty for a positional path) and the values given to them.
pub fn refuse_stdin_twice<'a>(
    inputs: impl IntoIterator<Item = (&'a str, &'a OsStr)>,
) -> Result<()> {
    let readers: Vec<&str> = inputs
        .into_iter()
        .filter(|(_, value)| *value == "-")
        .map(|(flag, _)| flag)
        .collect();
    if let [first, second, ..] = readers[..] {
        let shown = |flag: &str| {
            if flag.is_empty() {
                "the path `-`".to_string()
            } else {
                format!("`{flag} -`")
            }
        };
        let both = if first == second {
            format!("{} is given twice", shown(first))
        } else {
            format!("both {} and {} ask for it", shown(first), shown(second))
        };
        let example = match second {
            "--answers" => "--answers answers.yaml",
            "--evidence" => "--evidence scan.json",
            "--api-data" => "--api-data extra-apis.yaml",
            "--freezes" => "--freezes freezes.ics",
            "--checklist" => "--checklist my-checklist.yaml",
            "--manifests" => "--manifests manifests.yaml",
            _ => "manifests.yaml",
        };
        return Err(UsageError::new(
            format!("standard input can be read only once, but {both}"),
            format!("save one of them to a file and pass its path instead of -, e.g. {example}"),
        )
        .into());
    }
    Ok(())
}

/// Writes `text` to `output` (or standard output) and says where a file went.
pub fn emit_to(output: Option<&Path>, text: &str, what: &str) -> Result<Exit> {
    if emit(output, text)?
        && let Some(path) = output
    {
        eprintln!("Wrote the {what} to {}.", path.display());
    }
    Ok(Exit::Success)
}
