//! Finding and reading the files a scan covers: paths, folders (recursively), standard input.
//! Everything that cannot be read is reported with its path and skipped.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::model::{Skipped, Skips, SourceFile};
use crate::io::input::{MAX_INPUT_BYTES, OpenError, open_regular};

/// A file to read: a path, or standard input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Candidate {
    File(PathBuf),
    Stdin,
}

/// Expands the paths given on the command line: folders are walked recursively for `.yaml`,
/// `.yml` and `.json` files (in name order). The walk stays inside the folder it was given:
/// a link is followed only when what it points at is inside that folder too, and never to a
/// folder already walked; a link out of it is skipped with a note. Special filesystems
/// (`/proc`, `/sys` and their kind) are never read, whether given, linked or walked into.
pub fn discover(paths: &[PathBuf]) -> (Vec<Candidate>, Skips) {
    let (found, skipped, _) = discover_each(paths);
    (found, skipped)
}

/// [`discover`], with where each path's files start in the list: path `i`'s files are
/// `found[starts[i]..starts[i + 1]]` (the last ones run to the end).
pub fn discover_each(paths: &[PathBuf]) -> (Vec<Candidate>, Skips, Vec<usize>) {
    let mut found = Vec::new();
    let mut skipped = Skips::default();
    let mut seen_dirs = HashMap::new();
    let mut starts = Vec::with_capacity(paths.len());
    for path in paths {
        starts.push(found.len());
        if path.as_os_str() == "-" {
            found.push(Candidate::Stdin);
            continue;
        }
        let path = path.clone();
        if let Some(kind) = special_filesystem(&path) {
            skipped.push(special(&path, kind));
            continue;
        }
        match std::fs::metadata(&path) {
            Ok(meta) if meta.is_dir() => match std::fs::canonicalize(&path) {
                Ok(root) => {
                    let tree = Tree { root: &root };
                    tree.walk(&path, &mut seen_dirs, &mut found, &mut skipped);
                }
                Err(e) => skipped.push(skip(&path, format!("cannot read the folder: {e}"))),
            },
            Ok(meta) if meta.is_file() => found.push(Candidate::File(path)),
            Ok(meta) => skipped.push(not_a_file(&path, &meta)),
            Err(e) => skipped.push(skip(&path, format!("cannot read: {e}"))),
        }
    }
    (found, skipped, starts)
}

/// A folder given on the command line, walked without leaving it.
struct Tree<'r> {
    /// The folder, canonical: links are followed only to paths under it.
    root: &'r Path,
}

impl Tree<'_> {
    fn walk(
        &self,
        dir: &Path,
        seen: &mut HashMap<PathBuf, PathBuf>,
        found: &mut Vec<Candidate>,
        skipped: &mut Skips,
    ) {
        let canonical = match std::fs::canonicalize(dir) {
            Ok(c) => c,
            Err(e) => return skipped.push(skip(dir, format!("cannot read the folder: {e}"))),
        };
        if let Some(first) = seen.get(&canonical) {
            let reason = if dir.starts_with(first) {
                "a link back to a folder already scanned (symlink loop)".to_string()
            } else {
                format!("the same folder as {}, already scanned", first.display())
            };
            return skipped.push(skip(dir, reason));
        }
        seen.insert(canonical, dir.to_path_buf());
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) => return skipped.push(skip(dir, format!("cannot read the folder: {e}"))),
        };
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for path in paths {
            let manifest = path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                matches!(e.to_ascii_lowercase().as_str(), "yaml" | "yml" | "json")
            });
            let meta = match std::fs::metadata(&path) {
                Ok(meta) => meta,
                // A dangling link, or a file that vanished.
                Err(e) => {
                    skipped.push(skip(&path, format!("cannot read: {e}")));
                    continue;
                }
            };
            if !meta.is_dir() && !manifest {
                continue;
            }
            if let Some(outside) = self.link_out(&path) {
                skipped.push(skip(&path, outside));
                continue;
            }
            if meta.is_dir() {
                match special_filesystem(&path) {
                    Some(kind) => skipped.push(special(&path, kind)),
                    None => self.walk(&path, seen, found, skipped),
                }
            } else if meta.is_file() {
                found.push(Candidate::File(path));
            } else {
                // A named pipe would block the scan forever; a device is no manifest.
                skipped.push(not_a_file(&path, &meta));
            }
        }
    }

    /// Why `path` is not followed, when it is a link to somewhere outside the tree.
    fn link_out(&self, path: &Path) -> Option<String> {
        let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
        if !is_link {
            return None;
        }
        match std::fs::canonicalize(path) {
            Ok(target) if target.starts_with(self.root) => None,
            Ok(target) => Some(format!(
                "a link to {}, outside the scanned folder {}: not followed (scan that path itself to read it)",
                target.display(),
                self.root.display()
            )),
            Err(e) => Some(format!("cannot read: {e}")),
        }
    }
}

fn special(path: &Path, kind: &str) -> Skipped {
    skip(
        path,
        format!("on a special filesystem ({kind}), which a scan never reads"),
    )
}

/// The kind of special filesystem `path` is on (`proc`, `sysfs`, ...), if it is on one:
/// files there are the kernel's, not manifests, and some never end or block when read.
#[cfg(target_os = "linux")]
fn special_filesystem(path: &Path) -> Option<&'static str> {
    let magic = i128::from(rustix::fs::statfs(path).ok()?.f_type);
    SPECIAL_FILESYSTEMS
        .iter()
        .find(|(m, _)| i128::from(*m) == magic)
        .map(|(_, name)| *name)
}

#[cfg(not(target_os = "linux"))]
fn special_filesystem(_: &Path) -> Option<&'static str> {
    None
}

/// The kernel's pseudo-filesystems, by their `statfs` magic number (`linux/magic.h`).
#[cfg(target_os = "linux")]
const SPECIAL_FILESYSTEMS: [(u32, &str); 18] = [
    (0x9fa0, "proc"),
    (0x6265_6572, "sysfs"),
    (0x1cd1, "devpts"),
    (0x6462_6720, "debugfs"),
    (0x7472_6163, "tracefs"),
    (0x7363_6673, "securityfs"),
    (0x0027_e0eb, "cgroup"),
    (0x6367_7270, "cgroup2"),
    (0xcafe_4a11, "bpf"),
    (0x6265_6570, "configfs"),
    (0x6165_676c, "pstore"),
    (0xde5e_81e4, "efivarfs"),
    (0x6573_5543, "fusectl"),
    (0x1980_0202, "mqueue"),
    (0x4249_4e4d, "binfmt_misc"),
    (0x9584_58f6, "hugetlbfs"),
    (0xf97c_ff8c, "selinuxfs"),
    (0x6e73_6673, "nsfs"),
];

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
            Ok(SourceFile {
                path,
                raw_path: candidate_bytes(candidate),
                text,
            })
        }
        Err(_) => Err(Skipped {
            path,
            document: None,
            reason: "not UTF-8 text (a binary file?)".to_string(),
        }),
    }
}

/// A candidate's name as bytes, when it is not UTF-8 text.
fn candidate_bytes(candidate: &Candidate) -> Option<Vec<u8>> {
    let Candidate::File(path) = candidate else {
        return None;
    };
    if path.to_str().is_some() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        Some(path.as_os_str().as_bytes().to_vec())
    }
    #[cfg(not(unix))]
    {
        None
    }
}
