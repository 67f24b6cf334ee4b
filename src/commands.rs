//! What each command does, at the edge: read inputs, call the core, write outputs.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::answers::{
    AnswerValue, Answers, AnswersDocument, AnswersFile, PartialAnswers, declared_checklist,
    sha256_hex,
};
use crate::checklist::{BUILTIN, Checklist};
use crate::cli::{AssessArgs, ChecklistArg, ChecklistOutputArgs, ScanArgs, WorkshopArgs};
use crate::date::Date;
use crate::diagnostic::{InputError, InputKind};
use crate::exit::Exit;
use crate::exit::UsageError;
use crate::input::{is_checklist_path, load_checklist, read_source};
use crate::output::{emit, file_target, print, refuse_overwriting_inputs, write_atomically};
use crate::report::{FleetReport, Format, RenderOptions, Report};
use crate::scan::files::{Candidate, discover, read as read_manifest};
use crate::scan::render::render as render_scan;
use crate::scan::{Evidence, ScanOptions, ScanReport, scan};
use crate::schema::answers_schema;
use crate::support::SupportTable;
use crate::template::{answers_template, questions_table};
use crate::version::Version;
use crate::workshop::{Outcome, Prompter, Reply, TerminalPrompter, walk};

pub fn assess_command(args: &AssessArgs) -> Result<Exit> {
    let output = file_target(args.output.as_deref());
    if let Some(output) = output {
        let mut inputs = vec![("answers file", Path::new(&args.answers))];
        if let Some(name) = args.checklist.checklist.as_deref()
            && is_checklist_path(name)
        {
            inputs.push(("checklist", Path::new(name)));
        }
        if let Some(evidence) = &args.evidence {
            inputs.push(("evidence file", evidence.as_path()));
        }
        refuse_overwriting_inputs(output, &inputs)?;
    }
    let source = read_source(&args.answers, "answers file")?;
    let checklist = load_checklist(
        checklist_for(args.checklist.checklist.as_deref(), &source.text).as_deref(),
    )?;
    let partial = PartialAnswers::parse(&source.text, &source.origin, &checklist)?;
    let evidence = gather_evidence(args, &checklist, &partial, output)?;
    let document = AnswersDocument::resolve(
        partial,
        &source.text,
        &source.origin,
        &checklist,
        &evidence.as_answers(&checklist),
        &args.overrides,
    )?;
    let today = today()?;
    let to_terminal = output.is_none() && std::io::stdout().is_terminal();
    let options = RenderOptions {
        today,
        start: args.start.unwrap_or_else(|| today.first_of_next_month()),
        // A file never gets colour codes.
        color: output.is_none() && use_color(to_terminal),
        width: if to_terminal { None } else { Some(80) },
    };
    let (text, strategies, has_blockers) = match &document {
        AnswersDocument::Single(file) => {
            let report = Report::build(&checklist, file, &options, true);
            let strategy = report.assessment.recommendation.strategy;
            let blockers = !report.assessment.blockers.is_empty();
            (
                report.render(args.format, &options),
                vec![(None, strategy)],
                blockers,
            )
        }
        AnswersDocument::Fleet(fleet) => {
            let report = FleetReport::build(&checklist, fleet, &options).map_err(|problems| {
                InputError::new(InputKind::Answers, &source.origin, problems)
            })?;
            let environments = &report.environments;
            let strategies = environments
                .iter()
                .map(|e| {
                    (
                        Some(e.name.clone()),
                        e.report.assessment.recommendation.strategy,
                    )
                })
                .collect();
            let blockers = environments
                .iter()
                .any(|e| !e.report.assessment.blockers.is_empty());
            (report.render(args.format, &options), strategies, blockers)
        }
    };
    let shown: Vec<String> = strategies
        .iter()
        .map(|(name, s)| name.as_ref().map_or(s.to_string(), |n| format!("{n}: {s}")))
        .collect();
    match output {
        Some(path) => {
            write_atomically(path, &text)?;
            let format = match args.format {
                Format::Table => "table",
                Format::Markdown => "markdown",
                Format::Json => "JSON",
            };
            eprintln!(
                "Wrote the {format} report to {} (recommendation: {}).",
                path.display(),
                shown.join(", ")
            );
        }
        None => print(&text)?,
    }
    if let Some(expected) = &args.expect {
        let differing: Vec<&String> = strategies
            .iter()
            .zip(&shown)
            .filter(|((_, s), _)| s != expected)
            .map(|(_, text)| text)
            .collect();
        if !differing.is_empty() {
            let list: Vec<&str> = differing.iter().map(|s| s.as_str()).collect();
            match document {
                AnswersDocument::Single(_) => eprintln!(
                    "The recommendation is {}, not {expected}; exiting with code 4 (--expect).",
                    list.join("")
                ),
                AnswersDocument::Fleet(_) => eprintln!(
                    "Not every environment gets {expected} ({}); exiting with code 4 (--expect).",
                    list.join(", ")
                ),
            }
            return Ok(Exit::Unexpected);
        }
    }
    Ok(if args.fail_on_blockers && has_blockers {
        eprintln!(
            "The recommended strategy has blockers ({}); exiting with code 3 (--fail-on-blockers).",
            shown.join(", ")
        );
        Exit::Blockers
    } else {
        Exit::Success
    })
}

/// Evidence from `--evidence FILE` and `--manifests PATH...`; the latter wins where both speak.
fn gather_evidence(
    args: &AssessArgs,
    checklist: &Checklist,
    answers: &PartialAnswers,
    output: Option<&Path>,
) -> Result<Evidence> {
    let mut evidence = Evidence::default();
    if let Some(path) = &args.evidence {
        let source = read_source(&path.to_string_lossy(), "evidence file")?;
        evidence = crate::scan::evidence::load(&source.text, &source.origin)?;
    }
    if !args.manifests.is_empty() {
        // Removals are judged against the target the answers name, when they name one.
        let target = answers
            .first_answer(&checklist.bindings.target_version)
            .and_then(AnswerValue::as_version);
        let report = run_scan(&args.manifests, target, None, output)?;
        let scanned = report.evidence;
        evidence = Evidence {
            deprecated_apis: scanned.deprecated_apis.or(evidence.deprecated_apis),
            pdbs_and_probes: scanned.pdbs_and_probes.or(evidence.pdbs_and_probes),
            stateful_workloads: scanned.stateful_workloads.or(evidence.stateful_workloads),
            pod_autoscaling: scanned.pod_autoscaling.or(evidence.pod_autoscaling),
        };
    }
    Ok(evidence)
}

pub fn scan_command(args: &ScanArgs) -> Result<Exit> {
    let output = file_target(args.output.as_deref());
    let report = run_scan(&args.paths, args.target, args.current, output)?;
    let to_terminal = output.is_none() && std::io::stdout().is_terminal();
    let text = render_scan(
        &report,
        args.format,
        if to_terminal { None } else { Some(100) },
    );
    match output {
        Some(path) => {
            write_atomically(path, &text)?;
            eprintln!(
                "Wrote the scan of {} objects ({} findings) to {}.",
                report.documents.read,
                report.findings.len(),
                path.display()
            );
        }
        None => print(&text)?,
    }
    Ok(Exit::Success)
}

/// Finds, reads and scans manifests; a progress bar on standard error when it is a terminal
/// and there are many files. Fails (exit 2) only when nothing at all could be read, or when
/// `output` is one of the files to scan.
fn run_scan(
    paths: &[String],
    target: Option<Version>,
    current: Option<Version>,
    output: Option<&Path>,
) -> Result<ScanReport> {
    if paths.iter().any(|p| p == "-") && std::io::stdin().is_terminal() {
        return Err(UsageError::new(
            "the manifests are to be read from standard input (-), but standard input is a terminal",
            "pipe them in, e.g. `kubectl get deploy,sts,pdb,hpa -A -o yaml | upgrade-advisor scan -`",
        )
        .into());
    }
    let (candidates, skipped) = discover(paths);
    if let Some(output) = output {
        let files: Vec<(&str, &Path)> = candidates
            .iter()
            .map(|c| match c {
                Candidate::File(path) => ("manifest", path.as_path()),
                Candidate::Stdin => ("manifest", Path::new("-")),
            })
            .collect();
        refuse_overwriting_inputs(output, &files)?;
    }
    let progress = if std::io::stderr().is_terminal() && candidates.len() > 500 {
        indicatif::ProgressBar::new(candidates.len() as u64)
    } else {
        indicatif::ProgressBar::hidden()
    };
    let target = target.unwrap_or_else(|| {
        SupportTable::builtin()
            .releases
            .iter()
            .map(|r| r.minor)
            .max()
            .expect("the support table has releases")
    });
    // One file at a time: read, scan, drop its text, so memory holds one file's text at most.
    let mut read_skips = Vec::new();
    let files = candidates.iter().filter_map(|candidate| {
        let file = read_manifest(candidate);
        progress.inc(1);
        file.map_err(|skip| read_skips.push(skip)).ok()
    });
    let discovered_skips = skipped.len();
    let mut report = scan(files, skipped, ScanOptions { target, current });
    progress.finish_and_clear();
    report.documents.skipped += read_skips.len();
    report
        .skipped
        .splice(discovered_skips..discovered_skips, read_skips);
    if report.documents.read == 0 {
        let mut reasons: Vec<String> = report
            .skipped
            .iter()
            .take(crate::diagnostic::MAX_SHOWN)
            .map(|s| format!("{}: {}", s.path, s.reason))
            .collect();
        if report.skipped.len() > crate::diagnostic::MAX_SHOWN {
            reasons.push(format!(
                "and {} more",
                report.skipped.len() - crate::diagnostic::MAX_SHOWN
            ));
        }
        let found = if reasons.is_empty() {
            "no .yaml, .yml or .json files were found".to_string()
        } else {
            reasons.join("; ")
        };
        return Err(UsageError::new(
            format!("no Kubernetes objects could be read ({found})"),
            "point the scan at manifest files or folders, or pipe `kubectl get ... -o yaml` into `upgrade-advisor scan -`",
        )
        .into());
    }
    Ok(report)
}

/// The checklist to use: the one named on the command line, else a built-in the answers file
/// names in its `checklist:` key, else the default.
fn checklist_for(flag: Option<&str>, answers: &str) -> Option<String> {
    flag.map(str::to_string).or_else(|| {
        declared_checklist(answers).filter(|name| BUILTIN.iter().any(|(n, _)| n == name))
    })
}

pub fn completions_command(shell: clap_complete::Shell) -> Result<Exit> {
    let mut command = crate::cli::Cli::command_with_versions();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "upgrade-advisor", &mut script);
    print(&String::from_utf8_lossy(&script))?;
    Ok(Exit::Success)
}

pub fn man_command(output: Option<&Path>) -> Result<Exit> {
    let mut page = Vec::new();
    clap_mangen::Man::new(crate::cli::Cli::command_with_versions())
        .render(&mut page)
        .context("could not render the manual page")?;
    emit_to(output, &String::from_utf8_lossy(&page), "manual page")
}

pub fn template_command(args: &ChecklistOutputArgs) -> Result<Exit> {
    let output = file_target(args.output.as_deref());
    refuse_overwriting_checklist(output, &args.checklist)?;
    let checklist = load_checklist(args.checklist.checklist.as_deref())?;
    emit_to(output, &answers_template(&checklist), "answers template")
}

pub fn schema_command(args: &ChecklistOutputArgs) -> Result<Exit> {
    let output = file_target(args.output.as_deref());
    refuse_overwriting_checklist(output, &args.checklist)?;
    let checklist = load_checklist(args.checklist.checklist.as_deref())?;
    let mut text = serde_json::to_string_pretty(&answers_schema(&checklist))?;
    text.push('\n');
    emit_to(output, &text, "JSON Schema")
}

/// Refuses an output that is the checklist file being read.
fn refuse_overwriting_checklist(output: Option<&Path>, checklist: &ChecklistArg) -> Result<()> {
    if let (Some(output), Some(name)) = (output, checklist.checklist.as_deref())
        && is_checklist_path(name)
    {
        refuse_overwriting_inputs(output, &[("checklist", Path::new(name))])?;
    }
    Ok(())
}

/// Writes `text` to `output` (or standard output) and says where a file went.
fn emit_to(output: Option<&Path>, text: &str, what: &str) -> Result<Exit> {
    if emit(output, text)?
        && let Some(path) = output
    {
        eprintln!("Wrote the {what} to {}.", path.display());
    }
    Ok(Exit::Success)
}

pub fn checklists_command() -> Result<Exit> {
    let mut out = String::from("Built-in checklists (use with --checklist NAME):\n");
    for (name, _) in BUILTIN {
        let checklist = Checklist::builtin(name).expect("built-in");
        out.push_str(&format!(
            "  {name:<12} {} ({} questions, version {})\n",
            checklist.title,
            checklist.questions.len(),
            checklist.version
        ));
    }
    out.push_str("Copy one with `upgrade-advisor checklist show NAME > my.yaml`, check it with `upgrade-advisor checklist lint my.yaml`.\n");
    print(&out)?;
    Ok(Exit::Success)
}

pub fn lint_command(path: &str) -> Result<Exit> {
    let source = read_source(path, "checklist")?;
    let checklist = Checklist::from_yaml(&source.text, &source.origin)?;
    print(&format!(
        "{}: no faults found (checklist `{}` {}, {} sections, {} questions).\n",
        source.origin,
        checklist.id,
        checklist.version,
        checklist.sections.len(),
        checklist.questions.len()
    ))?;
    Ok(Exit::Success)
}

pub fn show_command(name: &str) -> Result<Exit> {
    match BUILTIN.iter().find(|(n, _)| *n == name) {
        Some((_, text)) => {
            print(text)?;
            Ok(Exit::Success)
        }
        None => {
            let names: Vec<&str> = BUILTIN.iter().map(|(n, _)| *n).collect();
            Err(UsageError::new(
                format!("there is no built-in checklist `{name}`"),
                format!("use one of: {}", names.join(", ")),
            )
            .into())
        }
    }
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

/// Today's date, or the one `SOURCE_DATE_EPOCH` gives (reproducible reports and tests). A
/// value that is not a whole number of seconds, or lies outside 1970-01-01 to 9999-12-31, is
/// bad input (exit 2); an empty one counts as unset.
pub fn today() -> Result<Date> {
    let seconds = match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(text) if !text.trim().is_empty() => {
            let fix = "set SOURCE_DATE_EPOCH to whole seconds since 1970-01-01 (e.g. `date +%s`), or unset it";
            let seconds = text.trim().parse::<i64>().map_err(|_| {
                UsageError::new(
                    format!("SOURCE_DATE_EPOCH is `{text}`, not a whole number of seconds"),
                    fix,
                )
            })?;
            return Date::checked_from_unix_days(seconds.div_euclid(86_400)).ok_or_else(|| {
                UsageError::new(
                    format!(
                        "SOURCE_DATE_EPOCH {seconds} is not a date between {} and {}",
                        Date::EARLIEST,
                        Date::LATEST
                    ),
                    fix,
                )
                .into()
            });
        }
        Err(std::env::VarError::NotUnicode(_)) => {
            return Err(UsageError::new(
                "SOURCE_DATE_EPOCH is not text",
                "set it to whole seconds since 1970-01-01, or unset it",
            )
            .into());
        }
        _ => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX)),
    };
    Ok(Date::from_unix_days(seconds.div_euclid(86_400)))
}

/// Whether to colour output going to a terminal (`to_terminal`): never when `NO_COLOR` is set
/// to anything (https://no-color.org), always when `CLICOLOR_FORCE` is set and not `0`
/// (https://bixense.com/clicolors), else when the output is a terminal.
fn use_color(to_terminal: bool) -> bool {
    let set = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if set("NO_COLOR").is_some() {
        return false;
    }
    if set("CLICOLOR_FORCE").is_some_and(|v| v != "0") {
        return true;
    }
    to_terminal
}

pub fn workshop_command(args: &WorkshopArgs) -> Result<Exit> {
    // inquire would fall back to /dev/tty and wait there; a pipeline must never hang.
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        return Err(UsageError::new(
            "the workshop needs a terminal, but standard input or output is not one",
            "in scripts and pipelines use `upgrade-advisor assess --answers FILE` (or `--answers -` to pipe the file in)",
        )
        .into());
    }
    let resumed = match &args.resume {
        Some(path) => Some(read_source(&path.to_string_lossy(), "answers file")?),
        None => None,
    };
    let named = checklist_for(
        args.checklist.checklist.as_deref(),
        resumed.as_ref().map_or("", |s| &s.text),
    );
    let checklist = load_checklist(named.as_deref())?;
    let start = match &resumed {
        Some(source) => PartialAnswers::parse(&source.text, &source.origin, &checklist)?,
        None => PartialAnswers::default(),
    };
    if !start.environments.is_empty() {
        return Err(UsageError::new(
            "the workshop walks one environment, and this answers file has `environments:`",
            "resume from a single-environment file, or assess the fleet with `upgrade-advisor assess --answers FILE`",
        )
        .into());
    }
    let mut prompter = TerminalPrompter::default();
    let checklist_flag = match &args.checklist.checklist {
        Some(name) => format!(" --checklist {name}"),
        None => String::new(),
    };

    let progress = match walk(&checklist, &mut prompter, start) {
        Outcome::Interrupted(progress) => {
            let path = free_path(
                &args.save,
                args.force || args.resume.as_deref() == Some(&args.save),
            );
            save_answers(&checklist, &progress, &path)?;
            eprintln!(
                "\nPaused: {} answers saved to {}.\nResume with:\n  upgrade-advisor workshop --resume {}{checklist_flag}",
                progress.given.len(),
                path.display(),
                path.display()
            );
            return Ok(Exit::Interrupted);
        }
        Outcome::Finished(progress) => progress,
    };

    let yaml = progress.to_yaml(&checklist, SAVED_HEADER);
    let answers =
        Answers::resolve(&checklist, progress.given.clone(), &|_| None).map_err(|problems| {
            InputError::new(InputKind::Answers, "the workshop answers", problems)
        })?;
    let file = AnswersFile {
        context: progress.context.clone(),
        answers,
        evidence: Vec::new(),
        sha256: sha256_hex(yaml.as_bytes()),
    };
    let today = today()?;
    let options = RenderOptions {
        today,
        start: args.start.unwrap_or_else(|| today.first_of_next_month()),
        color: use_color(true),
        width: None,
    };
    let report = Report::build(&checklist, &file, &options, true);
    prompter.show(&format!("\n{}", report.render(Format::Table, &options)));

    let Some(answers_path) = choose_path(&mut prompter, &args.save, args.force) else {
        let path = free_path(&args.save, false);
        save_answers(&checklist, &progress, &path)?;
        eprintln!("Answers saved to {}.", path.display());
        return Ok(Exit::Interrupted);
    };
    write_atomically(&answers_path, &yaml)?;
    prompter.show(&format!(
        "Answers saved to {0}. The same recommendation in a pipeline:\n  upgrade-advisor assess --answers {0}{checklist_flag}",
        answers_path.display()
    ));

    let report_path = match &args.report {
        Some(path) => choose_path(&mut prompter, path, args.force),
        None => match prompter.confirm("Write the markdown report for the customer?", true) {
            Reply::Value(true) => match prompter.text(
                "Report file",
                "The markdown report is written here.",
                Some("upgrade-report.md"),
            ) {
                Reply::Value(path) => choose_path(&mut prompter, Path::new(&path), args.force),
                _ => None,
            },
            _ => None,
        },
    };
    if let Some(path) = report_path {
        write_atomically(
            &path,
            &report.render(
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

const SAVED_HEADER: &str = "Saved by `upgrade-advisor workshop`.\nCarry on with: upgrade-advisor workshop --resume THIS_FILE\nAssess with:   upgrade-advisor assess --answers THIS_FILE";

fn save_answers(checklist: &Checklist, progress: &PartialAnswers, path: &Path) -> Result<()> {
    write_atomically(path, &progress.to_yaml(checklist, SAVED_HEADER))
}

/// Where to write: `path` when it is free or may be replaced, else the person decides.
/// `None` when they interrupt.
fn choose_path(prompter: &mut dyn Prompter, path: &Path, force: bool) -> Option<PathBuf> {
    let mut path = path.to_path_buf();
    loop {
        if force || !path.exists() {
            return Some(path);
        }
        match prompter.confirm(
            &format!("{} already exists. Overwrite it?", path.display()),
            false,
        ) {
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
