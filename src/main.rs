//! upgrade-advisor: parse the command line, run the command, report errors, exit.

use std::process::ExitCode;

use upgrade_advisor::cli::{ChecklistCommand, Cli, Command};
use upgrade_advisor::commands;
use upgrade_advisor::exit::code_for;

fn main() -> ExitCode {
    let cli = Cli::parse_with_versions();
    let result = match &cli.command {
        Command::Assess(args) => commands::assess_command(args),
        Command::Template(args) => commands::template_command(args),
        Command::Questions(args) => commands::questions_command(args),
        Command::Workshop(args) => commands::workshop_command(args),
        Command::Scan(args) => commands::scan_command(args),
        Command::Completions { shell } => commands::completions_command(*shell),
        Command::Man { dir, output } => commands::man_command(dir.as_deref(), output.as_deref()),
        Command::Schema(args) => commands::schema_command(args),
        Command::Checklists => commands::checklists_command(),
        Command::Checklist(ChecklistCommand::Lint { path }) => commands::lint_command(path),
        Command::Checklist(ChecklistCommand::Show { name }) => commands::show_command(name),
    };
    match result {
        Ok(exit) => exit.into(),
        Err(error) => {
            #[allow(clippy::print_stderr)]
            {
                eprintln!("error: {error}");
                for cause in error.chain().skip(1) {
                    eprintln!("  caused by: {cause}");
                }
            }
            code_for(&error).into()
        }
    }
}
