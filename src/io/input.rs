//! Reading what the user points at: answers files, checklists, standard input.

use std::io::{IsTerminal, Read};
use std::path::Path;

use anyhow::{Context, Result};

use crate::base::diagnostic::guards::check_characters;
use crate::base::diagnostic::{InputError, InputKind};
use crate::base::digest::sha256_hex;
use crate::checklist::model::{Checklist, ChecklistOrigin};
use crate::checklist::{BUILTIN, DEFAULT_CHECKLIST};
use crate::exit::UsageError;

/// Largest input file accepted; anything bigger is not an answers file or a checklist.
pub const MAX_INPUT_BYTES: u64 = 16 * 1024 * 1024;

/// A file's text and the name to use for it in messages.
pub struct Source {
    pub text: String,
    pub origin: String,
}

/// Reads a file, or standard input for `-`. Refuses a terminal on standard input, so a
/// pipeline never hangs waiting for someone to type, and anything but a regular file (a
/// folder, a named pipe, a device), which could block or is not an input at all. A leading
/// byte order mark is dropped; control characters YAML forbids are refused with their line.
/// `kind` says what the file is, in messages and in the fix for a path that cannot be opened.
pub fn read_source(path: impl AsRef<Path>, kind: InputKind) -> Result<Source> {
    let path = path.as_ref();
    let what = kind.to_string();
    let what = what.as_str();
    let (bytes, origin) = if path.as_os_str() == "-" {
        let stdin = std::io::stdin();
        if crate::io::streams::stdin_closed() {
            return Err(UsageError::new(
                format!("the {what} is to be read from standard input (-), but standard input is closed"),
                format!("pipe the {what} in (`cat answers.yaml | upgrade-advisor assess --answers -`) or pass its path"),
            )
            .into());
        }
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
        // Messages name the path as it displays (a name that is not UTF-8 shows U+FFFD); the
        // file is opened by its real bytes.
        let shown = path.display().to_string();
        let file = open_regular(path).map_err(|e| match e {
            OpenError::Io(e) => {
                let fix = match kind {
                    InputKind::Answers => "check the path; `upgrade-advisor template > answers.yaml` creates an answers file to fill in",
                    InputKind::Checklist => "check the path, or name a built-in checklist (`upgrade-advisor checklists` lists them)",
                    InputKind::Evidence => "check the path; `upgrade-advisor scan PATH --format json > scan.json` writes one",
                    InputKind::Freezes => "check the path; export the blackout calendar as an iCalendar (.ics) file",
                    InputKind::ApiData | InputKind::Overrides => "check the path",
                };
                UsageError::new(format!("cannot open the {what} `{shown}`: {e}"), fix)
            }
            OpenError::NotRegular(not) => not_a_file(kind, &shown, not),
        })?;
        (read_limited(file, what, &shown)?, shown)
    };
    let mut text = String::from_utf8(bytes).map_err(|e| {
        UsageError::new(
            format!(
                "the {what} {origin} is not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
            format!("save the {what} as UTF-8 YAML"),
        )
    })?;
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    if let Err(problem) = check_characters(&text) {
        return Err(InputError::single(kind, &origin, problem).into());
    }
    Ok(Source { text, origin })
}

/// The error for a path that is not a regular file: exit 2, with what to pass instead. Only
/// inputs that can be read from standard input are offered `-`.
pub fn not_a_file(input: InputKind, path: &str, kind: &str) -> UsageError {
    let what = input.to_string();
    let fix = if kind == "a folder" {
        format!("pass the path of the {what} itself, not of a folder")
    } else if input == InputKind::Checklist {
        format!("save the {what} to a regular file first and pass its path")
    } else {
        format!(
            "save the {what} to a regular file first, or pipe it in and pass - for standard input"
        )
    };
    UsageError::new(format!("the {what} `{path}` is {kind}, not a file"), fix)
}

/// Why [`open_regular`] did not open a file.
#[derive(Debug)]
pub enum OpenError {
    Io(std::io::Error),
    /// What it is instead: "a folder", "a named pipe (FIFO)", ...
    NotRegular(&'static str),
}

/// Opens a regular file for reading. Folders, named pipes, devices and sockets are refused
/// without being opened for reading (a pipe with no writer would block forever). The file is
/// opened non-blocking and checked again, so one swapped in meanwhile is refused too.
pub fn open_regular(path: &Path) -> Result<std::fs::File, OpenError> {
    let meta = std::fs::metadata(path).map_err(OpenError::Io)?;
    if let Some(kind) = not_regular(&meta) {
        return Err(OpenError::NotRegular(kind));
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(OpenError::Io)?;
    let meta = file.metadata().map_err(OpenError::Io)?;
    match not_regular(&meta) {
        Some(kind) => Err(OpenError::NotRegular(kind)),
        None => Ok(file),
    }
}

/// What a file is when it is not a regular file, in words.
pub fn not_regular(meta: &std::fs::Metadata) -> Option<&'static str> {
    if meta.is_file() {
        return None;
    }
    if meta.is_dir() {
        return Some("a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = meta.file_type();
        if kind.is_fifo() {
            return Some("a named pipe (FIFO)");
        }
        if kind.is_socket() {
            return Some("a socket");
        }
        if kind.is_char_device() || kind.is_block_device() {
            return Some("a device");
        }
    }
    Some("not a regular file")
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

/// Loads the checklist a user named: a built-in name, a path, or the default. A built-in
/// name always means the built-in, whatever files lie in the current folder; a checklist file
/// is named by a path with a `/` or an extension (`./vks`, `my.yaml`).
pub fn load_checklist(name_or_path: Option<&str>) -> Result<Checklist> {
    let name = name_or_path.unwrap_or(DEFAULT_CHECKLIST);
    if let Some(builtin) = Checklist::builtin(name) {
        return Ok(builtin);
    }
    if !is_checklist_path(name) {
        let names: Vec<&str> = BUILTIN.iter().map(|(n, _)| *n).collect();
        let fix = match crate::base::suggest::did_you_mean(name, names.iter().copied()) {
            Some(builtin) => format!(
                "did you mean `--checklist {builtin}`? A checklist file needs a path with a `/` or an extension, e.g. ./{name} or {name}.yaml"
            ),
            None => format!(
                "pass a built-in name ({}) or a checklist file's path with a `/` or an extension, e.g. ./{name} or {name}.yaml",
                names.join(", ")
            ),
        };
        return Err(UsageError::new(format!("`{name}` is not a built-in checklist"), fix).into());
    }
    let source = read_source(name, InputKind::Checklist)?;
    let mut checklist = Checklist::from_yaml(&source.text, &source.origin)?;
    checklist.origin = ChecklistOrigin {
        path: Some(source.origin.clone()),
        sha256: sha256_hex(source.text.as_bytes()),
    };
    Ok(checklist)
}

/// Whether `--checklist` names a file rather than a built-in: it has a `/` or an extension.
pub fn is_checklist_path(name: &str) -> bool {
    name.contains('/')
        || name.contains(std::path::MAIN_SEPARATOR)
        || Path::new(name).extension().is_some()
}
