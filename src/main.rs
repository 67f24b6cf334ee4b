//! upgrade-advisor: parse the command line, run the command, report errors, exit.

use std::process::ExitCode;

use upgrade_advisor::cli::Cli;
use upgrade_advisor::commands;
use upgrade_advisor::exit::code_for;

fn main() -> ExitCode {
    upgrade_advisor::io::streams::guard();
    let cli = Cli::parse_with_versions();
    match commands::run(&cli) {
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
