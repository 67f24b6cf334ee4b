//! Writing results: standard output, or a file replaced atomically. Inputs are never
//! overwritten, special files are written in place or refused, and an interrupted write
//! leaves no temporary file behind.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::exit::UsageError;

/// The file an `--output` option names, or `None` for standard output (no option, or `-`).
pub fn file_target(output: Option<&Path>) -> Option<&Path> {
    output.filter(|p| p.as_os_str() != "-")
}

/// Writes `text` to the file `output` names, or to standard output. Returns whether a file was
/// written (callers then say where it went).
pub fn emit(output: Option<&Path>, text: &str) -> Result<bool> {
    match file_target(output) {
        Some(path) => write_atomically(path, text).map(|()| true),
        None => print(text).map(|()| false),
    }
}

/// Refuses (exit 2) an output path that is the same file as one of `inputs`, a list of
/// `(what, path)`: the same device and inode, so a symbolic or hard link to an input is caught
/// too. For standard input (`-`) the file redirected into it counts (`-a - -o a.yaml < a.yaml`);
/// paths that do not exist are never the same file. Call it before any work is done, so the
/// input is untouched.
pub fn refuse_overwriting_inputs(output: &Path, inputs: &[(&str, &Path)]) -> Result<()> {
    let Some(written) = identity(output) else {
        return Ok(());
    };
    for (what, input) in inputs {
        let (input, shown) = if input.as_os_str() == "-" {
            (Path::new(STDIN), Path::new("standard input"))
        } else {
            (*input, *input)
        };
        if identity(input) == Some(written) {
            let same = if Path::new(output) == shown {
                String::new()
            } else {
                format!(" (the same file as {})", shown.display())
            };
            return Err(UsageError::new(
                format!(
                    "the output {}{same} is the {what} being read: writing there would destroy it",
                    output.display()
                ),
                "choose another output path; inputs are never overwritten",
            )
            .into());
        }
    }
    Ok(())
}

/// Where standard input can be looked at as a file (`-` in the inputs).
const STDIN: &str = "/dev/stdin";

/// What makes two paths the same file: device and inode (Unix), else the resolved path.
#[cfg(unix)]
fn identity(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn identity(path: &Path) -> Option<PathBuf> {
    std::fs::canonicalize(path).ok()
}

/// Whether `a` and `b` are one file: the same [`identity`] when both exist (links followed),
/// or, for a file not written yet, the same canonical folder and name.
pub fn same_file(a: &Path, b: &Path) -> bool {
    if let (Some(x), Some(y)) = (identity(a), identity(b)) {
        return x == y;
    }
    let resolved = |path: &Path| -> Option<PathBuf> {
        if let Ok(full) = path.canonicalize() {
            return Some(full);
        }
        let folder = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        Some(folder.canonicalize().ok()?.join(path.file_name()?))
    };
    match (resolved(a), resolved(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

/// Writes `text` to `path`. A regular file (or a new one) is replaced through a temporary file
/// in the same folder and a rename, so a reader never sees a partial file and a failure leaves
/// the old file (or none) in place. A symbolic link keeps being a link: the file it points to
/// is replaced. A character device or named pipe (`/dev/null`, `/dev/stdout`) is written
/// directly, never replaced. A folder, socket or block device is refused (exit 2).
pub fn write_atomically(path: &Path, text: &str) -> Result<()> {
    write_atomically_with(path, &mut |out| out.write_all(text.as_bytes()))
}

/// Like [`write_atomically`], with the content written by `fill` as it is produced (into the
/// temporary file, for a regular file), so a large report need not be held in memory.
pub fn write_atomically_with(path: &Path, fill: Fill) -> Result<()> {
    let written = path.as_os_str().to_string_lossy();
    if written.ends_with('/') || written.ends_with(std::path::MAIN_SEPARATOR) {
        return Err(UsageError::new(
            format!("cannot write {written}: a path ending in / names a folder"),
            "give --output the path of a file (it is created or replaced)",
        )
        .into());
    }
    let link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() => {
            let real = if link {
                std::fs::canonicalize(path)
                    .with_context(|| format!("could not resolve the link {}", path.display()))?
            } else {
                path.to_path_buf()
            };
            replace_file(&real, path, fill)
        }
        Ok(meta) => match special_kind(&meta) {
            SpecialKind::Writable => write_in_place(path, fill),
            SpecialKind::Refused(kind) => Err(UsageError::new(
                format!("cannot write {}: it is {kind}, not a file", path.display()),
                "give --output the path of a file (it is created or replaced)",
            )
            .into()),
        },
        Err(_) if link => Err(UsageError::new(
            format!(
                "cannot write {}: it is a symbolic link to a file that does not exist",
                path.display()
            ),
            "remove the link or point it at a file, or choose another --output path",
        )
        .into()),
        Err(_) => replace_file(path, path, fill),
    }
}

enum SpecialKind {
    /// Written in place, like a shell redirection would.
    Writable,
    Refused(&'static str),
}

fn special_kind(meta: &std::fs::Metadata) -> SpecialKind {
    if meta.is_dir() {
        return SpecialKind::Refused("a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = meta.file_type();
        if kind.is_char_device() || kind.is_fifo() {
            return SpecialKind::Writable;
        }
        if kind.is_block_device() {
            return SpecialKind::Refused("a block device (a disk)");
        }
        if kind.is_socket() {
            return SpecialKind::Refused("a socket");
        }
    }
    SpecialKind::Refused("not a regular file")
}

/// Writes a report's content to an output as it is produced.
pub type Fill<'a> = &'a mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>;

fn write_in_place(path: &Path, fill: Fill) -> Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .with_context(|| format!("could not open {} for writing", path.display()))?;
    let mut out = std::io::BufWriter::new(&mut file);
    match fill(&mut out).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.with_context(|| format!("could not write {}", path.display())),
    }
}

/// Replaces the regular file `path` (named `shown` in messages) through a temporary file.
fn replace_file(path: &Path, shown: &Path, fill: Fill) -> Result<()> {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if !folder.is_dir() {
        let why = if folder.exists() {
            "is not a folder"
        } else {
            "does not exist"
        };
        return Err(UsageError::new(
            format!(
                "cannot write {}: the folder {} {why}",
                shown.display(),
                folder.display()
            ),
            "create the folder first, or choose another --output path",
        )
        .into());
    }
    // From the temporary file's creation to the rename, a signal removes it before the
    // process ends.
    let (mut temp, _guard) = CleanupOnSignal::create(|| {
        tempfile::Builder::new()
            .prefix(".upgrade-advisor-")
            .tempfile_in(folder)
    })
    .with_context(|| format!("could not create a temporary file in {}", folder.display()))?;
    // Temporary files are private (0600); a report is an ordinary file. Keep the mode of the
    // file being replaced, else use the usual 0644.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).map_or(0o644, |m| m.permissions().mode() & 0o777);
        temp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))
            .with_context(|| format!("could not set the permissions of {}", shown.display()))?;
    }
    {
        let mut out = std::io::BufWriter::new(temp.as_file_mut());
        fill(&mut out).and_then(|()| out.flush())
    }
    .and_then(|()| temp.as_file().sync_all())
    .with_context(|| format!("could not write {}", shown.display()))?;
    pause_for_tests();
    temp.persist(path)
        .with_context(|| format!("could not write {}", shown.display()))?;
    Ok(())
}

/// Test hook (debug builds only): `UPGRADE_ADVISOR_TEST_PAUSE_WRITE_MS` holds a write open
/// that long, so a test can interrupt it.
fn pause_for_tests() {
    #[cfg(debug_assertions)]
    if let Some(ms) = std::env::var("UPGRADE_ADVISOR_TEST_PAUSE_WRITE_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        std::thread::sleep(std::time::Duration::from_millis(ms.min(10_000)));
    }
}

/// While alive, SIGINT, SIGTERM and SIGHUP remove the temporary file and then end the process
/// as the signal would have. Scoped to one write: dropping it stops listening. (signal-hook
/// leaves its dispatcher installed afterwards: handlers registered elsewhere, such as the
/// workshop's, keep working, but a signal nobody else handles is ignored from then on; the
/// commands other than the workshop exit right after writing.)
struct CleanupOnSignal {
    #[cfg(unix)]
    handle: Option<(signal_hook::iterator::Handle, std::thread::JoinHandle<()>)>,
}

impl CleanupOnSignal {
    /// Listens for the signals, then has `create` make the temporary file. A signal that
    /// comes while the file is being made waits for its path, so no moment leaves it behind.
    #[cfg(unix)]
    fn create(
        create: impl FnOnce() -> std::io::Result<tempfile::NamedTempFile>,
    ) -> std::io::Result<(tempfile::NamedTempFile, Self)> {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        use std::sync::{Arc, Mutex, PoisonError};
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
            return Ok((create()?, Self { handle: None }));
        };
        let handle = signals.handle();
        let path: Arc<Mutex<Option<PathBuf>>> = Arc::default();
        let mut made = path.lock().unwrap_or_else(PoisonError::into_inner);
        let seen = Arc::clone(&path);
        let thread = std::thread::spawn(move || {
            if let Some(signal) = signals.forever().next() {
                if let Some(temp) = &*seen.lock().unwrap_or_else(PoisonError::into_inner) {
                    let _ = std::fs::remove_file(temp);
                }
                let _ = signal_hook::low_level::emulate_default_handler(signal);
                std::process::exit(128 + signal);
            }
        });
        let guard = Self {
            handle: Some((handle, thread)),
        };
        let temp = create();
        if let Ok(temp) = &temp {
            *made = Some(temp.path().to_path_buf());
        }
        drop(made);
        Ok((temp?, guard))
    }

    #[cfg(not(unix))]
    fn create(
        create: impl FnOnce() -> std::io::Result<tempfile::NamedTempFile>,
    ) -> std::io::Result<(tempfile::NamedTempFile, Self)> {
        Ok((create()?, Self {}))
    }
}

#[cfg(unix)]
impl Drop for CleanupOnSignal {
    fn drop(&mut self) {
        if let Some((handle, thread)) = self.handle.take() {
            handle.close();
            let _ = thread.join();
        }
    }
}

/// A closed standard output (`>&-`) is a failed write (exit 1), not an empty success.
fn refuse_closed_stdout() -> Result<()> {
    if crate::io::streams::stdout_closed() {
        anyhow::bail!(
            "could not write to standard output: it is closed (run without `>&-`, redirect it, or write a file with --output)"
        );
    }
    Ok(())
}

/// Writes to standard output as `fill` produces it; a closed pipe (`| head`) is not an error.
pub fn print_with(fill: Fill) -> Result<()> {
    refuse_closed_stdout()?;
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    match fill(&mut stdout).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("could not write to standard output"),
    }
}

/// Writes to standard output; a closed pipe (`| head`) is not an error.
pub fn print(text: &str) -> Result<()> {
    refuse_closed_stdout()?;
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("could not write to standard output"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_file_and_leaves_no_temporary_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.md");
        write_atomically(&path, "one").unwrap();
        write_atomically(&path, "two").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "two");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o644, "readable like any report");
        }
    }

    #[test]
    fn a_missing_folder_is_an_error_not_a_panic() {
        let err = write_atomically(Path::new("/nonexistent-folder/x/report.md"), "x").unwrap_err();
        assert!(format!("{err:#}").contains("the folder /nonexistent-folder/x does not exist"));
        assert_eq!(crate::exit::code_for(&err), crate::exit::Exit::BadInput);
    }

    #[test]
    fn a_folder_is_refused_as_bad_input() {
        let dir = tempfile::tempdir().unwrap();
        let err = write_atomically(dir.path(), "x").unwrap_err();
        assert!(format!("{err:#}").contains("it is a folder, not a file"));
        assert_eq!(crate::exit::code_for(&err), crate::exit::Exit::BadInput);
        let new = dir.path().join("new/");
        let err = write_atomically(&new, "x").unwrap_err();
        assert!(format!("{err:#}").contains("a path ending in / names a folder"));
        assert_eq!(crate::exit::code_for(&err), crate::exit::Exit::BadInput);
        let file = dir.path().join("file");
        std::fs::write(&file, "x").unwrap();
        let err = write_atomically(&file.join("report.md"), "x").unwrap_err();
        assert!(format!("{err:#}").contains("is not a folder"), "{err:#}");
    }

    #[cfg(unix)]
    #[test]
    fn a_link_stays_a_link_and_its_target_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("real.md");
        let link = dir.path().join("link.md");
        std::fs::write(&target, "old").unwrap();
        std::os::unix::fs::symlink(&target, &link).unwrap();
        write_atomically(&link, "new").unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
        let dangling = dir.path().join("dangling.md");
        std::os::unix::fs::symlink(dir.path().join("missing"), &dangling).unwrap();
        let err = write_atomically(&dangling, "x").unwrap_err();
        assert!(format!("{err:#}").contains("a symbolic link to a file that does not exist"));
    }

    #[cfg(unix)]
    #[test]
    fn a_character_device_is_written_not_replaced() {
        write_atomically(Path::new("/dev/null"), "discarded").unwrap();
        use std::os::unix::fs::FileTypeExt;
        assert!(
            std::fs::metadata("/dev/null")
                .unwrap()
                .file_type()
                .is_char_device()
        );
    }

    #[test]
    fn an_input_is_never_the_output() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("a.yaml");
        std::fs::write(&input, "answers: {}").unwrap();
        let other = dir.path().join("b.md");
        refuse_overwriting_inputs(&other, &[("answers file", &input)]).unwrap();
        std::fs::write(&other, "x").unwrap();
        refuse_overwriting_inputs(&other, &[("answers file", &input)]).unwrap();
        let err = refuse_overwriting_inputs(&input, &[("answers file", &input)]).unwrap_err();
        assert!(err.to_string().contains("is the answers file being read"));
        assert_eq!(crate::exit::code_for(&err), crate::exit::Exit::BadInput);
        // A hard link is the same file under another name.
        let hard = dir.path().join("hard.yaml");
        std::fs::hard_link(&input, &hard).unwrap();
        let err = refuse_overwriting_inputs(&hard, &[("answers file", &input)]).unwrap_err();
        assert!(err.to_string().contains("the same file as"), "{err}");
    }

    #[test]
    fn same_file_follows_links_and_resolves_files_not_written_yet() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("answers.yaml");
        std::fs::write(&file, "x").unwrap();
        #[cfg(unix)]
        {
            let link = dir.path().join("link.md");
            std::os::unix::fs::symlink(&file, &link).unwrap();
            assert!(same_file(&file, &link));
        }
        let new = dir.path().join("new.md");
        assert!(same_file(&new, &dir.path().join(".").join("new.md")));
        assert!(!same_file(&new, &file));
        assert!(!same_file(&new, &dir.path().join("other.md")));
    }

    #[test]
    fn dash_means_standard_output() {
        assert_eq!(file_target(Some(Path::new("-"))), None);
        assert_eq!(
            file_target(Some(Path::new("r.md"))),
            Some(Path::new("r.md"))
        );
        assert_eq!(file_target(None), None);
    }
}
