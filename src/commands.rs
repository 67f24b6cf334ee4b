//! What each command does, at the edge: read inputs, call the core, write outputs.

use std::io::IsTerminal;

use anyhow::Result;

use crate::answers::AnswersFile;
use crate::cli::{AssessArgs, ChecklistArg};
use crate::date::Date;
use crate::exit::Exit;
use crate::input::{load_checklist, read_source};
use crate::output::{print, write_atomically};
use crate::report::{Format, RenderOptions, Report};
use crate::scoring::assess;
use crate::template::{answers_template, questions_table};

pub fn assess_command(args: &AssessArgs) -> Result<Exit> {
    let checklist = load_checklist(args.checklist.checklist.as_deref())?;
    let source = read_source(&args.answers, "answers file")?;
    let file = AnswersFile::parse(&source.text, &source.origin, &checklist)?;
    let assessment = assess(&checklist, &file.answers);
    let has_blockers = !assessment.blockers.is_empty();
    let strategy = assessment.recommendation.strategy;
    let report = Report::new(&checklist, &file, assessment);

    let today = today();
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let options = RenderOptions {
        today,
        start: args.start.unwrap_or_else(|| today.first_of_next_month()),
        color: to_terminal && color_allowed(),
        width: if to_terminal { None } else { Some(80) },
    };
    let text = report.render(args.format, &options);
    match &args.output {
        Some(path) => {
            write_atomically(path, &text)?;
            let format = match args.format {
                Format::Table => "table",
                Format::Markdown => "markdown",
                Format::Json => "JSON",
            };
            eprintln!(
                "Wrote the {format} report to {} (recommendation: {strategy}).",
                path.display()
            );
        }
        None => print(&text)?,
    }
    Ok(if args.fail_on_blockers && has_blockers {
        eprintln!(
            "The recommended strategy ({strategy}) has blockers; exiting with code 3 (--fail-on-blockers)."
        );
        Exit::Blockers
    } else {
        Exit::Success
    })
}

pub fn template_command(args: &ChecklistArg) -> Result<Exit> {
    let checklist = load_checklist(args.checklist.as_deref())?;
    print(&answers_template(&checklist))?;
    Ok(Exit::Success)
}

pub fn questions_command(args: &ChecklistArg) -> Result<Exit> {
    let checklist = load_checklist(args.checklist.as_deref())?;
    let width = if std::io::stdout().is_terminal() {
        None
    } else {
        Some(100)
    };
    print(&questions_table(&checklist, width))?;
    Ok(Exit::Success)
}

/// Today's date, or the one `SOURCE_DATE_EPOCH` gives (reproducible reports and tests).
pub fn today() -> Date {
    let seconds = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        });
    Date::from_unix_days(seconds.div_euclid(86_400))
}

/// Colour unless `NO_COLOR` is set to anything non-empty (https://no-color.org).
fn color_allowed() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}
