//! What each command does, at the edge: read inputs, call the core, write outputs. One file
//! per command (or family of commands); this one only dispatches.

mod assess;
mod checklist;
mod evidence;
mod freezes;
mod manual;
mod scan;
pub mod shared;
mod tooling;
mod workshop;
mod workshop_measure;

use anyhow::Result;

use crate::cli::{ChecklistCommand, Cli, Command};
use crate::exit::Exit;

/// Runs the command the command line names.
pub fn run(cli: &Cli) -> Result<Exit> {
    match &cli.command {
        Command::Assess(args) => assess::assess_command(args),
        Command::Template(args) => checklist::template_command(args),
        Command::Questions(args) => checklist::questions_command(args),
        Command::Workshop(args) => workshop::workshop_command(args),
        Command::Scan(args) => scan::scan_command(args),
        Command::Completions { shell } => tooling::completions_command(*shell),
        Command::Man { dir, output } => tooling::man_command(dir.as_deref(), output.as_deref()),
        Command::Schema(args) => checklist::schema_command(args),
        Command::Checklists => checklist::checklists_command(),
        Command::Checklist(ChecklistCommand::Lint { path }) => checklist::lint_command(path),
        Command::Checklist(ChecklistCommand::Show { name }) => checklist::show_command(name),
    }
}
