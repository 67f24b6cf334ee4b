//! Reading what the user points at: answers files, checklists, standard input.

use std::io::{IsTerminal, Read};
use std::path::Path;

use anyhow::{Context, Result};

use crate::checklist::{BUILTIN, Checklist, DEFAULT_CHECKLIST};
use crate::exit::UsageError;

/// Largest input file accepted; anything bigger is not an answers file or a checklist.
pub const MAX_INPUT_BYTES: u64 = 16 * 1024 * 1024;

/// A file's text and the name to use for it in messages.
pub struct Source {
    pub text: String,
    pub origin: String,
}

/// Reads a file, or standard input for `-`. Refuses a terminal on standard input, so a
/// pipeline never hangs waiting for someone to type.
pub fn read_source(path: &str, what: &str) -> Result<Source> {
    let (bytes, origin) = if path == "-" {
        let stdin = std::io::stdin();
        if stdin.is_terminal() {
            return Err(UsageError::new(
                format!("the {what} is to be read from standard input (-), but standard input is a terminal"),
                format!("pipe the {what} in (`cat answers.yaml | upgrade-advisor assess --answers -`) or pass its path"),
            )
            .into());
        }
        (
            read_limited(stdin.lock(), what, "standard input")?,
            "<stdin>".to_string(),
        )
    } else {
        let file = std::fs::File::open(path).map_err(|e| {
            let fix = match what {
                "answers file" => "check the path; `upgrade-advisor template > answers.yaml` creates an answers file to fill in",
                "checklist" => "check the path, or name a built-in checklist (`upgrade-advisor checklists` lists them)",
                "evidence file" => "check the path; `upgrade-advisor scan PATH --format json > scan.json` writes one",
                _ => "check the path",
            };
            UsageError::new(format!("cannot open the {what} `{path}`: {e}"), fix)
        })?;
        (read_limited(file, what, path)?, path.to_string())
    };
    let text = String::from_utf8(bytes).map_err(|e| {
        UsageError::new(
            format!(
                "the {what} {origin} is not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
            format!("save the {what} as UTF-8 YAML"),
        )
    })?;
    Ok(Source { text, origin })
}

fn read_limited(reader: impl Read, what: &str, origin: &str) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("could not read the {what} {origin}"))?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(UsageError::new(
            format!(
                "the {what} {origin} is larger than {} MiB",
                MAX_INPUT_BYTES / 1024 / 1024
            ),
            format!("pass the {what} itself; no {what} is that large"),
        )
        .into());
    }
    Ok(bytes)
}

/// Loads the checklist a user named: a built-in name, a path, or the default.
pub fn load_checklist(name_or_path: Option<&str>) -> Result<Checklist> {
    let name = name_or_path.unwrap_or(DEFAULT_CHECKLIST);
    // A file of the same name in the current folder wins over a built-in.
    if let Some((builtin, text)) = BUILTIN.iter().find(|(n, _)| *n == name)
        && !Path::new(name).exists()
    {
        return Ok(Checklist::from_yaml(text, builtin)?);
    }
    if !Path::new(name).exists() {
        let names: Vec<&str> = BUILTIN.iter().map(|(n, _)| *n).collect();
        return Err(UsageError::new(
            format!("`{name}` is neither a built-in checklist nor a file"),
            format!(
                "pass a built-in name ({}) or the path of a checklist YAML file",
                names.join(", ")
            ),
        )
        .into());
    }
    let source = read_source(name, "checklist")?;
    Ok(Checklist::from_yaml(&source.text, &source.origin)?)
}
