//! Finding and reading the files a scan covers: paths, folders (recursively), standard input.
//! Everything that cannot be read is reported with its path and skipped.

use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::model::{Skipped, SourceFile};
use crate::io::input::{MAX_INPUT_BYTES, OpenError, open_regular};

/// A file to read: a path, or standard input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Candidate {
    File(PathBuf),
    Stdin,
}

/// Expands the paths given on the command line: folders are walked recursively for `.yaml`,
/// `.yml` and `.json` files (in name order), following links but never the same folder twice.
pub fn discover(paths: &[String]) -> (Vec<Candidate>, Vec<Skipped>) {
    let mut found = Vec::new();
    let mut skipped = Vec::new();
    let mut seen_dirs = HashSet::new();
    for path in paths {
        if path == "-" {
            found.push(Candidate::Stdin);
            continue;
        }
        let path = PathBuf::from(path);
        match std::fs::metadata(&path) {
            Ok(meta) if meta.is_dir() => walk(&path, &mut seen_dirs, &mut found, &mut skipped),
            Ok(meta) if meta.is_file() => found.push(Candidate::File(path)),
            Ok(meta) => skipped.push(not_a_file(&path, &meta)),
            Err(e) => skipped.push(skip(&path, format!("cannot read: {e}"))),
        }
    }
    (found, skipped)
}

fn walk(
    dir: &Path,
    seen: &mut HashSet<PathBuf>,
    found: &mut Vec<Candidate>,
    skipped: &mut Vec<Skipped>,
) {
    let canonical = match std::fs::canonicalize(dir) {
        Ok(c) => c,
        Err(e) => return skipped.push(skip(dir, format!("cannot read the folder: {e}"))),
    };
    if !seen.insert(canonical) {
        return skipped.push(skip(
            dir,
            "a link back to a folder already scanned (symlink loop)".to_string(),
        ));
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => return skipped.push(skip(dir, format!("cannot read the folder: {e}"))),
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        match std::fs::metadata(&path) {
            Ok(meta) if meta.is_dir() => walk(&path, seen, found, skipped),
            Ok(meta) => {
                let manifest = path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                    matches!(e.to_ascii_lowercase().as_str(), "yaml" | "yml" | "json")
                });
                if manifest && meta.is_file() {
                    found.push(Candidate::File(path));
                } else if manifest {
                    // A named pipe would block the scan forever; a device is no manifest.
                    skipped.push(not_a_file(&path, &meta));
                }
            }
            // A dangling link, or a file that vanished.
            Err(e) => skipped.push(skip(&path, format!("cannot read: {e}"))),
        }
    }
}

fn not_a_file(path: &Path, meta: &std::fs::Metadata) -> Skipped {
    let kind = crate::io::input::not_regular(meta).unwrap_or("not a regular file");
    skip(path, format!("{kind}, not a file: skipped unread"))
}

fn skip(path: &Path, reason: String) -> Skipped {
    Skipped {
        path: path.display().to_string(),
        document: None,
        reason,
    }
}

/// Reads one candidate: at most [`MAX_INPUT_BYTES`], and UTF-8 text only.
pub fn read(candidate: &Candidate) -> Result<SourceFile, Skipped> {
    let (path, bytes) = match candidate {
        Candidate::Stdin => {
            let mut bytes = Vec::new();
            let result = std::io::stdin()
                .lock()
                .take(MAX_INPUT_BYTES + 1)
                .read_to_end(&mut bytes);
            (
                "<stdin>".to_string(),
                result
                    .map(|_| bytes)
                    .map_err(|e| format!("cannot read: {e}")),
            )
        }
        Candidate::File(path) => {
            let result = match open_regular(path) {
                Ok(f) => {
                    let mut bytes = Vec::new();
                    f.take(MAX_INPUT_BYTES + 1)
                        .read_to_end(&mut bytes)
                        .map(|_| bytes)
                        .map_err(|e| format!("cannot read: {e}"))
                }
                Err(OpenError::Io(e)) => Err(format!("cannot read: {e}")),
                Err(OpenError::NotRegular(kind)) => {
                    Err(format!("{kind}, not a file: skipped unread"))
                }
            };
            (path.display().to_string(), result)
        }
    };
    let bytes = bytes.map_err(|reason| Skipped {
        path: path.clone(),
        document: None,
        reason,
    })?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(Skipped {
            path,
            document: None,
            reason: format!("larger than {} MiB", MAX_INPUT_BYTES / 1024 / 1024),
        });
    }
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            // A byte order mark is not part of the YAML.
            if text.starts_with('\u{feff}') {
                text.drain(..'\u{feff}'.len_utf8());
            }
            Ok(SourceFile { path, text })
        }
        Err(_) => Err(Skipped {
            path,
            document: None,
            reason: "not UTF-8 text (a binary file?)".to_string(),
        }),
    }
}
