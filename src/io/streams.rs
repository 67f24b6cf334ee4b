//! The standard streams as the process found them. A stream the caller closed (`>&-`, `<&-`)
//! is reported, not taken for an empty input or a successful write: before `main`, Rust's
//! runtime opens `/dev/null` read-write in place of a closed descriptor 0, 1 or 2, so
//! `assess >&-` would exit 0 having written nothing, and `assess -a - <&-` would call the
//! answers file empty.

use std::sync::atomic::{AtomicBool, Ordering};

static STDIN_CLOSED: AtomicBool = AtomicBool::new(false);
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// Notes whether standard input and output were closed by the caller. Call once, first thing
/// in `main`.
pub fn guard() {
    #[cfg(unix)]
    {
        STDIN_CLOSED.store(opened_by_the_runtime(std::io::stdin()), Ordering::Relaxed);
        STDOUT_CLOSED.store(opened_by_the_runtime(std::io::stdout()), Ordering::Relaxed);
    }
}

/// Whether `stream` is the `/dev/null` the runtime opened for a closed descriptor: that device,
/// open for reading and writing. A shell redirection (`</dev/null`, `>/dev/null`) opens it for
/// one direction only, and is the user's choice.
#[cfg(unix)]
// `st_rdev` and `st_ino` are u64 on Linux but narrower on some other Unixes.
#[allow(clippy::useless_conversion)]
fn opened_by_the_runtime(stream: impl std::os::fd::AsFd) -> bool {
    use rustix::fs::{OFlags, fcntl_getfl, fstat};
    use std::os::unix::fs::MetadataExt;
    let Ok(null) = std::fs::metadata("/dev/null") else {
        return false;
    };
    let (Ok(flags), Ok(stat)) = (fcntl_getfl(&stream), fstat(&stream)) else {
        return false;
    };
    let read_write = flags & OFlags::ACCMODE == OFlags::RDWR;
    read_write && u64::from(stat.st_rdev) == null.rdev() && u64::from(stat.st_ino) == null.ino()
}

/// Standard input was closed when the process started (`<&-`).
pub fn stdin_closed() -> bool {
    STDIN_CLOSED.load(Ordering::Relaxed)
}

/// Standard output was closed when the process started (`>&-`).
pub fn stdout_closed() -> bool {
    STDOUT_CLOSED.load(Ordering::Relaxed)
}
