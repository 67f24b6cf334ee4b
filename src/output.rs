//! Writing results: standard output, or a file replaced atomically.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

/// Writes `text` to `path` through a temporary file in the same folder and a rename, so a
/// reader never sees a partial file and a failure leaves the old file (or none) in place.
pub fn write_atomically(path: &Path, text: &str) -> Result<()> {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if !folder.is_dir() {
        return Err(crate::exit::UsageError::new(
            format!(
                "cannot write {}: the folder {} does not exist",
                path.display(),
                folder.display()
            ),
            "create the folder first, or choose another --output path",
        )
        .into());
    }
    let mut temp = tempfile::Builder::new()
        .prefix(".upgrade-advisor-")
        .tempfile_in(folder)
        .with_context(|| format!("could not create a temporary file in {}", folder.display()))?;
    // Temporary files are private (0600); a report is an ordinary file. Keep the mode of the
    // file being replaced, else use the usual 0644.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).map_or(0o644, |m| m.permissions().mode() & 0o777);
        temp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))
            .with_context(|| format!("could not set the permissions of {}", path.display()))?;
    }
    temp.write_all(text.as_bytes())
        .and_then(|()| temp.as_file().sync_all())
        .with_context(|| format!("could not write {}", path.display()))?;
    temp.persist(path)
        .with_context(|| format!("could not write {}", path.display()))?;
    Ok(())
}

/// Writes to standard output; a closed pipe (`| head`) is not an error.
pub fn print(text: &str) -> Result<()> {
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
}
