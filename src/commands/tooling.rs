//! Commands for the tools around the advisor: shell completions and manual pages.

use std::path::Path;

use anyhow::{Context, Result};

use super::shared::emit_to;
use crate::cli::Cli;
use crate::exit::Exit;
use crate::io::output::{print, write_atomically};

pub fn completions_command(shell: clap_complete::Shell) -> Result<Exit> {
    let mut command = Cli::command_with_versions();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, BIN_NAME, &mut script);
    let mut script = String::from_utf8_lossy(&script).into_owned();
    if shell == clap_complete::Shell::Bash {
        script = fix_bash_case_arms(&script, BIN_NAME);
    }
    print(&script)?;
    Ok(Exit::Success)
}

const BIN_NAME: &str = "upgrade-advisor";

/// clap_complete's bash script tracks the subcommand as `upgrade__advisor__subcmd__assess`
/// but names the matching `case` arms `upgrade__subcmd__advisor__subcmd__assess` when the
/// binary name has a hyphen (clap issue 6421), so no subcommand option ever completes.
/// Renames the arms to what the tracking code produces.
fn fix_bash_case_arms(script: &str, bin: &str) -> String {
    let wrong = bin.replace('-', "__subcmd__");
    let right = bin.replace('-', "__");
    if wrong == right {
        return script.to_string();
    }
    script
        .lines()
        .map(|line| {
            let arm = line.trim_start();
            if arm.starts_with(&wrong) && arm.ends_with(')') {
                line.replacen(&wrong, &right, 1)
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// The tool's manual page on standard output (or `output`), or every page (one per
/// subcommand) in `dir`.
pub fn man_command(dir: Option<&Path>, output: Option<&Path>) -> Result<Exit> {
    let pages = crate::commands::manual::pages(Cli::command_with_versions());
    let Some(dir) = dir else {
        return emit_to(output, &pages[0].roff, "manual page");
    };
    std::fs::create_dir_all(dir)
        .with_context(|| format!("could not create the folder {}", dir.display()))?;
    for page in &pages {
        write_atomically(&dir.join(&page.file_name), &page.roff)?;
    }
    eprintln!(
        "Wrote {} manual pages to {} (read them with `man upgrade-advisor` once the folder is on MANPATH).",
        pages.len(),
        dir.display()
    );
    Ok(Exit::Success)
}
