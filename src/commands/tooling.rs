//! Commands for the tools around the advisor: shell completions and manual pages.

use std::path::Path;

use anyhow::Result;

use super::shared::emit_to;
use crate::cli::Cli;
use crate::exit::{Exit, UsageError};
use crate::io::output::{print, write_atomically};

pub fn completions_command(shell: clap_complete::Shell) -> Result<Exit> {
    let mut command = Cli::command_with_versions();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, BIN_NAME, &mut script);
    let mut script = String::from_utf8_lossy(&script).into_owned();
    if shell == clap_complete::Shell::Bash {
        script = fix_bash_case_arms(&script, BIN_NAME);
    }
    script = checklists_and_files(shell, &script);
    print(&script)?;
    Ok(Exit::Success)
}

const BIN_NAME: &str = "upgrade-advisor";

/// Where a checklist is asked for, clap_complete offers the built-in names only; `--checklist`
/// also takes a file's path, so files are offered beside the names. (Fish gets the names for
/// `checklist show NAME` too, which clap_complete leaves out.)
fn checklists_and_files(shell: clap_complete::Shell, script: &str) -> String {
    let names: Vec<&str> = crate::checklist::BUILTIN.iter().map(|(n, _)| *n).collect();
    let words = names.join(" ");
    match shell {
        clap_complete::Shell::Bash => script.replace(
            &format!("COMPREPLY=($(compgen -W \"{words}\" -- \"${{cur}}\"))"),
            &format!(
                "COMPREPLY=($(compgen -W \"{words}\" -- \"${{cur}}\") $(compgen -f -- \"${{cur}}\"))"
            ),
        ),
        clap_complete::Shell::Zsh => script.replace(
            &format!(":NAME|PATH:({words})'"),
            &format!(
                ":NAME|PATH:{{compadd -- {words}; _files}}'"
            ),
        ),
        clap_complete::Shell::Fish => {
            let first = format!("-r -f -a \"{}\\t", names[0]);
            let mut out = script.replace(&first, &format!("-r -F -a \"{}\\t", names[0]));
            out.push_str(&format!(
                "complete -c {BIN_NAME} -n \"__fish_upgrade_advisor_using_subcommand checklist; and __fish_seen_subcommand_from show\" -f -a \"{words}\"\n"
            ));
            out
        }
        _ => script.to_string(),
    }
}

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

/// Creates `dir` (and its parents) for the manual pages. A path that is a file, lies under a
/// file, or cannot be created (a read-only or special filesystem) is the user's input: exit 2
/// with the folder named and a fix.
fn create_folder(dir: &Path) -> Result<()> {
    let Err(error) = std::fs::create_dir_all(dir) else {
        return Ok(());
    };
    let why = if dir.exists() && !dir.is_dir() {
        "it is a file, not a folder".to_string()
    } else if let Some(file) = dir.ancestors().skip(1).find(|a| a.is_file()) {
        format!("{} is a file, not a folder", file.display())
    } else {
        format!("the system refused it ({error})")
    };
    Err(UsageError::new(
        format!("--dir {}: cannot create the folder: {why}", dir.display()),
        "give --dir a folder you can write, e.g. --dir man/man1",
    )
    .into())
}

/// The tool's manual page on standard output (or `output`), or every page (one per
/// subcommand) in `dir`.
pub fn man_command(dir: Option<&Path>, output: Option<&Path>) -> Result<Exit> {
    let pages = crate::commands::manual::pages(Cli::command_with_versions());
    let Some(dir) = dir else {
        return emit_to(output, &pages[0].roff, "manual page");
    };
    create_folder(dir)?;
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
