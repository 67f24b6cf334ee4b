//! `workshop`: walk the checklist with a person at the terminal, show the recommendation, and
//! save the answers and the report; an interruption saves the answers so far.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::shared::{checklist_for, today, use_color};
use super::workshop_measure::Measuring;
use crate::answers::parse::AnswersYaml;
use crate::answers::values::Answers;
use crate::answers::values::AnswersFile;
use crate::answers::values::PartialAnswers;
use crate::base::diagnostic::{InputError, InputKind};
use crate::base::digest::sha256_hex;
use crate::checklist::model::Checklist;
use crate::cli::WorkshopArgs;
use crate::exit::{Exit, UsageError};
use crate::io::input::{load_checklist, read_source};
use crate::io::output::{same_file, write_atomically};
use crate::plan::Report;
use crate::report::render::RenderOptions;
use crate::report::table::brief::brief;
use crate::report::{Format, render};
use crate::workshop::prompt::{Prompter, Reply};
use crate::workshop::terminal::TerminalPrompter;
use crate::workshop::{Outcome, walk};

pub fn workshop_command(args: &WorkshopArgs) -> Result<Exit> {
    check_before_asking(args)?;
    let (checklist, start) = resumed_answers(args)?;
    let mut prompter = TerminalPrompter::new()
        .context("could not listen for the terminal closing (SIGHUP, SIGTERM)")?;
    let checklist_flag = match &args.checklist.checklist {
        Some(name) => format!(" --checklist {}", shell_word(name)),
        None => String::new(),
    };
    // Saving over the file being resumed is the point of resuming: never ask about it.
    let saves_over_resumed = args
        .resume
        .as_deref()
        .is_some_and(|resume| same_file(resume, &args.save));

    let mut measuring = Measuring {
        inner: &mut prompter,
        checklist: &checklist,
        report: None,
    };
    let outcome = walk(&checklist, &mut measuring, start);
    let measured = measuring.report.take();
    let progress = match outcome {
        Outcome::Interrupted(progress) => {
            let path = free_path(&args.save, args.force || saves_over_resumed);
            save_answers(args, &checklist, &progress, &path, &checklist_flag)?;
            let why = prompter.stopped_because().unwrap_or("Paused");
            say(&format!(
                "\n{why}: {} saved to {}.\nResume with:\n  {}",
                match progress.given.len() {
                    1 => "1 answer".to_string(),
                    n => format!("{n} answers"),
                },
                path.display(),
                resume_command(args, &path, &checklist_flag)
            ));
            return Ok(Exit::Interrupted);
        }
        Outcome::Finished(progress) => progress,
    };

    let today = today()?;
    let options = RenderOptions {
        today,
        start: args.start.unwrap_or_else(|| today.first_of_next_month()),
        color: use_color(true),
        width: Some(super::shared::output_width(true, 80)),
    };
    // The report carries the hash of the answers file as saved, header included; the header
    // names the file, so a report is made again if the answers go to another name.
    let saved_as = |path: &Path| -> Result<(String, Report)> {
        let yaml = progress.to_yaml(&checklist, &saved_header(args, path, &checklist_flag));
        let answers = Answers::resolve(&checklist, progress.given.clone(), &|_| None).map_err(
            |problems| InputError::new(InputKind::Answers, "the workshop answers", problems),
        )?;
        let file = AnswersFile {
            context: progress.context.clone(),
            answers,
            evidence: Vec::new(),
            sha256: sha256_hex(yaml.as_bytes()),
            overrides: Vec::new(),
            calendar: progress.calendar.clone(),
            gates: progress.gates.clone(),
            capacity: measured.clone().map(Box::new),
        };
        let report = Report::build(&checklist, &file, options.dates(), true).map_err(|e| {
            InputError::new(
                InputKind::Answers,
                "the workshop answers",
                vec![e.diagnostic()],
            )
        })?;
        Ok((yaml, report))
    };
    let (yaml, report) = saved_as(&args.save)?;
    // One screen first (a projector shows 24 rows); every table on request, and in the report.
    prompter.show(&format!("\n{}", brief(&report, &options)));
    if prompter.confirm(
        "Show every table (drivers, layers, calendar, risks)?",
        false,
    ) == Reply::Value(true)
    {
        prompter.show(&format!("\n{}", render(&report, Format::Table, &options)));
    }

    let Some(answers_path) = choose_path(
        &mut prompter,
        &args.save,
        args.force || saves_over_resumed,
        None,
    ) else {
        let path = free_path(&args.save, saves_over_resumed);
        save_answers(args, &checklist, &progress, &path, &checklist_flag)?;
        say(&format!("Answers saved to {}.", path.display()));
        return Ok(Exit::Interrupted);
    };
    let (yaml, report) = if answers_path == args.save {
        (yaml, report)
    } else {
        saved_as(&answers_path)?
    };
    write_atomically(&answers_path, &yaml)?;
    prompter.show(&format!(
        "Answers saved to {}. The same recommendation in a pipeline:\n  upgrade-advisor assess --answers {}{checklist_flag}",
        answers_path.display(),
        shell_word(&answers_path.to_string_lossy())
    ));

    if let Some(path) = report_path(&mut prompter, args, &answers_path) {
        write_atomically(
            &path,
            &render(
                &report,
                Format::Markdown,
                &RenderOptions {
                    color: false,
                    width: None,
                    ..options
                },
            ),
        )?;
        prompter.show(&format!("Report written to {}.", path.display()));
    }
    Ok(Exit::Success)
}

/// Refuses, before the first question, everything that would make the end fail: no terminal
/// (inquire would fall back to /dev/tty and wait there; a pipeline must never hang), a
/// `--save` or `--report` that cannot be written, a report over the answers.
fn check_before_asking(args: &WorkshopArgs) -> Result<()> {
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        return Err(UsageError::new(
            "the workshop needs a terminal, but standard input or output is not one",
            "in scripts and pipelines use `upgrade-advisor assess --answers FILE` (or `--answers -` to pipe the file in)",
        )
        .into());
    }
    check_writable("--save", &args.save)?;
    if let Some(report) = &args.report {
        check_writable("--report", report)?;
        if same_file(report, &args.save) {
            return Err(UsageError::new(
                format!(
                    "--save and --report name the same file ({}): the report would replace the answers",
                    report.display()
                ),
                "give the report its own file, e.g. --report upgrade-report.md",
            )
            .into());
        }
        if let Some(resume) = &args.resume
            && same_file(report, resume)
        {
            return Err(UsageError::new(
                format!(
                    "--resume and --report name the same file ({}): the report would replace the answers being resumed",
                    report.display()
                ),
                "give the report its own file, e.g. --report upgrade-report.md",
            )
            .into());
        }
    }
    Ok(())
}

/// The checklist to walk and the answers to start from: those of `--resume`, if given.
fn resumed_answers(args: &WorkshopArgs) -> Result<(Checklist, PartialAnswers)> {
    let resumed = match &args.resume {
        Some(path) => Some(read_source(path, InputKind::Answers)?),
        None => None,
    };
    let yaml = match &resumed {
        Some(source) => Some(AnswersYaml::read(&source.text, &source.origin)?),
        None => None,
    };
    let named = checklist_for(
        args.checklist.checklist.as_deref(),
        yaml.as_ref().and_then(AnswersYaml::declared_checklist),
    );
    let checklist = load_checklist(named.as_deref())?;
    let start = match yaml {
        Some(yaml) => PartialAnswers::from_yaml(&yaml, &checklist)?,
        None => PartialAnswers::default(),
    };
    if !start.environments.is_empty() {
        return Err(UsageError::new(
            "the workshop walks one environment, and this answers file has `environments:`",
            "resume from a single-environment file, or assess the fleet with `upgrade-advisor assess --answers FILE`",
        )
        .into());
    }
    Ok((checklist, start))
}

/// Where the markdown report goes: `--report`, else a file the person names when they want
/// one. `None`: no report.
fn report_path(
    prompter: &mut dyn Prompter,
    args: &WorkshopArgs,
    answers_path: &Path,
) -> Option<PathBuf> {
    match &args.report {
        Some(path) => choose_path(prompter, path, args.force, Some(answers_path)),
        None => match prompter.confirm("Write the markdown report for the customer?", true) {
            Reply::Value(true) => match prompter.text(
                "Report file",
                "The markdown report is written here.",
                Some("upgrade-report.md"),
            ) {
                Reply::Value(path) => {
                    choose_path(prompter, Path::new(&path), args.force, Some(answers_path))
                }
                _ => None,
            },
            _ => None,
        },
    }
}

/// The default of `workshop --save`.
const DEFAULT_SAVE: &str = "upgrade-answers.yaml";

/// The command that carries on from `saved`, with the flags that shape the rest of the run.
fn resume_command(args: &WorkshopArgs, saved: &Path, checklist_flag: &str) -> String {
    let saved = shell_word(&saved.to_string_lossy());
    let mut command = format!("upgrade-advisor workshop --resume {saved}");
    // Saving back where it resumed from, also when the answers went to another name.
    if saved != DEFAULT_SAVE {
        command.push_str(&format!(" --save {saved}"));
    }
    command.push_str(checklist_flag);
    if let Some(report) = &args.report {
        command.push_str(&format!(
            " --report {}",
            shell_word(&report.to_string_lossy())
        ));
    }
    if let Some(start) = &args.start {
        command.push_str(&format!(" --start {start}"));
    }
    command
}

/// `text` as one shell word: quoted when it holds anything but plain path characters.
fn shell_word(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=+@%,".contains(c));
    if plain {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

/// Prints a line for the person; after the terminal closed there is no one to tell, and that
/// must not stop the answers from being saved.
fn say(text: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{text}");
}

/// Refuses a `flag` path the workshop could not write at the end: a missing folder, a folder
/// that is not writable, or a folder where the file should be.
fn check_writable(flag: &str, path: &Path) -> Result<()> {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if !folder.is_dir() {
        return Err(UsageError::new(
            format!(
                "cannot write {} ({flag}): the folder {} does not exist",
                path.display(),
                folder.display()
            ),
            format!("create the folder first, or choose another path with {flag} PATH"),
        )
        .into());
    }
    if path.is_dir() {
        return Err(UsageError::new(
            format!("cannot write {} ({flag}): it is a folder", path.display()),
            format!(
                "give a file name, e.g. {flag} {}",
                path.join(DEFAULT_SAVE).display()
            ),
        )
        .into());
    }
    // Writing is the only sure test (permissions, read-only mounts, ACLs).
    if let Err(error) = tempfile::Builder::new()
        .prefix(".upgrade-advisor-")
        .tempfile_in(folder)
    {
        return Err(UsageError::new(
            format!(
                "cannot write {} ({flag}): the folder {} is not writable ({error})",
                path.display(),
                folder.display()
            ),
            format!("choose a folder you can write to with {flag} PATH"),
        )
        .into());
    }
    Ok(())
}

/// The comment at the top of a saved answers file: the commands that carry on from it and
/// assess it, with its own name and the flags of this run.
fn saved_header(args: &WorkshopArgs, path: &Path, checklist_flag: &str) -> String {
    format!(
        "Saved by `upgrade-advisor workshop`.\nCarry on with: {}\nAssess with:   upgrade-advisor assess {}{checklist_flag}",
        resume_command(args, path, checklist_flag),
        shell_word(&path.to_string_lossy())
    )
}

fn save_answers(
    args: &WorkshopArgs,
    checklist: &Checklist,
    progress: &PartialAnswers,
    path: &Path,
    checklist_flag: &str,
) -> Result<()> {
    let header = saved_header(args, path, checklist_flag);
    write_atomically(path, &progress.to_yaml(checklist, &header))
}

/// Where to write: `path` when it is free or may be replaced, else the person decides.
/// `taken` is a file this run already wrote, which is never offered. `None` when they
/// interrupt.
fn choose_path(
    prompter: &mut dyn Prompter,
    path: &Path,
    force: bool,
    taken: Option<&Path>,
) -> Option<PathBuf> {
    let mut path = path.to_path_buf();
    loop {
        let clashes = taken.is_some_and(|taken| same_file(&path, taken));
        let question = if clashes {
            prompter.show(&format!(
                "{} holds the answers just saved; the report needs a file of its own.",
                path.display()
            ));
            Reply::Value(false)
        } else if force || !path.exists() {
            return Some(path);
        } else {
            prompter.confirm(
                &format!("{} already exists. Overwrite it?", path.display()),
                false,
            )
        };
        match question {
            Reply::Value(true) => return Some(path),
            Reply::Value(false) | Reply::Back | Reply::Skip => {
                let suggestion = free_path(&path, false);
                match prompter.text(
                    "Save to which file instead?",
                    "A new file name.",
                    Some(&suggestion.to_string_lossy()),
                ) {
                    Reply::Value(other) => path = PathBuf::from(other),
                    Reply::Interrupt => return None,
                    _ => {}
                }
            }
            Reply::Interrupt => return None,
        }
    }
}

/// `path` if it does not exist (or may be replaced), else the first free `NAME-N.EXT` beside it.
fn free_path(path: &Path, replace: bool) -> PathBuf {
    if replace || !path.exists() {
        return path.to_path_buf();
    }
    let stem = path.file_stem().map_or("upgrade-answers".into(), |s| {
        s.to_string_lossy().into_owned()
    });
    let extension = path
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    (1..)
        .map(|n| path.with_file_name(format!("{stem}-{n}{extension}")))
        .find(|candidate| !candidate.exists())
        .expect("some name is free")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_resume_hint_keeps_the_flags_that_shape_the_run() {
        use clap::Parser;
        let parse = |line: &[&str]| {
            let cli = crate::cli::Cli::parse_from(line);
            match cli.command {
                crate::cli::Command::Workshop(args) => args,
                _ => unreachable!(),
            }
        };
        let args = parse(&["upgrade-advisor", "workshop", "--report", "acme report.md"]);
        assert_eq!(
            resume_command(&args, Path::new("upgrade-answers.yaml"), ""),
            "upgrade-advisor workshop --resume upgrade-answers.yaml --report 'acme report.md'"
        );
        // Saved under another name: the resumed run saves back there.
        let args = parse(&["upgrade-advisor", "workshop", "--start", "2027-01-04"]);
        assert_eq!(
            resume_command(
                &args,
                Path::new("upgrade-answers-1.yaml"),
                " --checklist kubernetes"
            ),
            "upgrade-advisor workshop --resume upgrade-answers-1.yaml --save upgrade-answers-1.yaml --checklist kubernetes --start 2027-01-04"
        );
    }

    #[test]
    fn check_writable_names_the_flag() {
        let error = check_writable("--save", Path::new("/nonexistent/x.yaml")).unwrap_err();
        let text = error.to_string();
        assert!(
            text.contains("(--save)") && text.contains("with --save PATH"),
            "{text}"
        );
        assert_eq!(crate::exit::code_for(&error), Exit::BadInput);
        let dir = tempfile::tempdir().unwrap();
        assert!(check_writable("--report", &dir.path().join("r.md")).is_ok());
        let folder = check_writable("--report", dir.path()).unwrap_err();
        assert!(folder.to_string().contains("it is a folder"));
    }

    #[test]
    fn free_path_never_picks_an_existing_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("answers.yaml");
        assert_eq!(free_path(&path, false), path);
        std::fs::write(&path, "x").unwrap();
        assert_eq!(free_path(&path, false), dir.path().join("answers-1.yaml"));
        assert_eq!(free_path(&path, true), path);
        std::fs::write(dir.path().join("answers-1.yaml"), "x").unwrap();
        assert_eq!(free_path(&path, false), dir.path().join("answers-2.yaml"));
    }
}
