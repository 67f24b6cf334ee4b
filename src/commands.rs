//! What each command does, at the edge: read inputs, call the core, write outputs.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::answers::{
    AnswerValue, Answers, AnswersDocument, AnswersFile, PartialAnswers, declared_checklist,
    sha256_hex,
};
use crate::checklist::{BUILTIN, Checklist};
use crate::cli::{AssessArgs, ChecklistArg, ScanArgs, WorkshopArgs};
use crate::date::Date;
use crate::diagnostic::{InputError, InputKind};
use crate::exit::Exit;
use crate::exit::UsageError;
use crate::input::{load_checklist, read_source};
use crate::output::{print, write_atomically};
use crate::report::{FleetReport, Format, RenderOptions, Report};
use crate::scan::files::{discover, read as read_manifest};
use crate::scan::render::render as render_scan;
use crate::scan::{ApiTable, Evidence, ScanOptions, ScanReport, load_api_data, scan_with};
use crate::schema::answers_schema;
use crate::support::{SupportTable, SupportWarning};
use crate::template::{answers_template, questions_table};
use crate::version::Version;
use crate::workshop::{Outcome, Prompter, Reply, TerminalPrompter, walk};

pub fn assess_command(args: &AssessArgs) -> Result<Exit> {
    let source = read_source(&args.answers, "answers file")?;
    let checklist = load_checklist(
        checklist_for(args.checklist.checklist.as_deref(), &source.text).as_deref(),
    )?;
    let partial = PartialAnswers::parse(&source.text, &source.origin, &checklist).map_err(|e| {
        let unknown_questions = e.to_string().contains("is not a question of checklist");
        let hint = unknown_questions
            .then(|| {
                answers_of_another_checklist(
                    args.checklist.checklist.as_deref(),
                    &source,
                    &checklist,
                )
            })
            .flatten();
        match hint {
            Some(hint) => anyhow::Error::from(hint),
            None => e.into(),
        }
    })?;
    let (evidence, scan_warnings) = gather_evidence(args, &checklist, &partial)?;
    let document = AnswersDocument::resolve(
        partial,
        &source.text,
        &source.origin,
        &checklist,
        &evidence.as_answers(&checklist),
        &args.overrides,
    )?;
    let today = today();
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let options = RenderOptions {
        today,
        start: args.start.unwrap_or_else(|| today.first_of_next_month()),
        // A file never gets colour codes.
        color: args.output.is_none() && use_color(to_terminal),
        width: if to_terminal { None } else { Some(80) },
    };
    let (text, strategies, has_blockers) = match &document {
        AnswersDocument::Single(file) => {
            let mut report = Report::build(&checklist, file, &options, true);
            report.support_warnings.extend(scan_warnings);
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
            let mut report = report;
            for env in &mut report.environments {
                env.report
                    .support_warnings
                    .extend(scan_warnings.iter().cloned());
            }
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
    match &args.output {
        Some(path) => {
            write_atomically(path, &text)?;
            let format = match args.format {
                Format::Table => "table",
                Format::Markdown => "markdown",
                Format::Json => "JSON",
                Format::Runbook => "runbook",
                Format::Adr => "decision record",
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
/// The scan's own warnings (removed-API data coverage) join the report's support warnings.
fn gather_evidence(
    args: &AssessArgs,
    checklist: &Checklist,
    answers: &PartialAnswers,
) -> Result<(Evidence, Vec<SupportWarning>)> {
    let mut evidence = Evidence::default();
    let mut warnings = Vec::new();
    if let Some(path) = &args.evidence {
        let source = read_source(&path.to_string_lossy(), "evidence file")?;
        evidence = crate::scan::evidence::load(&source.text, &source.origin)?;
    }
    if !args.manifests.is_empty() {
        // Removals are judged against the target the answers name, when they name one.
        let target = answers
            .first_answer(&checklist.bindings.target_version)
            .and_then(AnswerValue::as_version);
        let report = run_scan(&args.manifests, target, None, &args.api_data)?;
        warnings = report
            .warnings
            .iter()
            .map(|w| SupportWarning {
                kind: match w.kind.as_str() {
                    "api-data-coverage" => "api-data-coverage",
                    _ => "manifest-scan",
                },
                version: report.target,
                end_of_life: None,
                message: format!("Manifest scan: {}.", w.message),
            })
            .collect();
        let scanned = report.evidence;
        evidence = Evidence {
            deprecated_apis: scanned.deprecated_apis.or(evidence.deprecated_apis),
            pdbs_and_probes: scanned.pdbs_and_probes.or(evidence.pdbs_and_probes),
            stateful_workloads: scanned.stateful_workloads.or(evidence.stateful_workloads),
            pod_autoscaling: scanned.pod_autoscaling.or(evidence.pod_autoscaling),
        };
    }
    Ok((evidence, warnings))
}

pub fn scan_command(args: &ScanArgs) -> Result<Exit> {
    let report = run_scan(&args.paths, args.target, args.current, &args.api_data)?;
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let text = render_scan(
        &report,
        args.format,
        if to_terminal { None } else { Some(100) },
    );
    match &args.output {
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
/// and there are many files. Fails (exit 2) only when nothing at all could be read.
fn run_scan(
    paths: &[String],
    target: Option<Version>,
    current: Option<Version>,
    api_data: &[PathBuf],
) -> Result<ScanReport> {
    // A wrong data file is bad input: nothing is scanned with half the data.
    let mut table = ApiTable::builtin();
    for path in api_data {
        let path = path.to_string_lossy();
        let source = read_source(&path, "API data file")?;
        let removals = load_api_data(&source.text, &source.origin)?;
        table = table.with_extra(&source.origin, removals);
    }
    if paths.iter().any(|p| p == "-") && std::io::stdin().is_terminal() {
        return Err(UsageError::new(
            "the manifests are to be read from standard input (-), but standard input is a terminal",
            "pipe them in, e.g. `kubectl get deploy,sts,pdb,hpa -A -o yaml | upgrade-advisor scan -`",
        )
        .into());
    }
    let (candidates, mut skipped) = discover(paths);
    let progress = if std::io::stderr().is_terminal() && candidates.len() > 500 {
        indicatif::ProgressBar::new(candidates.len() as u64)
    } else {
        indicatif::ProgressBar::hidden()
    };
    let mut files = Vec::with_capacity(candidates.len());
    for candidate in &candidates {
        match read_manifest(candidate) {
            Ok(file) => files.push(file),
            Err(skip) => skipped.push(skip),
        }
        progress.inc(1);
    }
    progress.finish_and_clear();
    let target = target.unwrap_or_else(|| {
        SupportTable::builtin()
            .releases
            .iter()
            .map(|r| r.minor)
            .max()
            .expect("the support table has releases")
    });
    let report = scan_with(
        files.as_slice(),
        skipped,
        ScanOptions { target, current },
        &table,
    );
    if report.documents.read == 0 {
        let reasons: Vec<String> = report
            .skipped
            .iter()
            .map(|s| format!("{}: {}", s.path, s.reason))
            .collect();
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

/// When an answers file names no checklist (neither `--checklist` nor a `checklist:` key) and
/// most of the answer keys the default checklist does not know are questions of another
/// built-in checklist, the file was written for that one: say so, instead of suggesting
/// look-alike question ids of the wrong checklist.
fn answers_of_another_checklist(
    flag: Option<&str>,
    source: &crate::input::Source,
    used: &Checklist,
) -> Option<UsageError> {
    // The file parsed far enough to name unknown questions; still, never parse hostile
    // nesting twice.
    if flag.is_some()
        || declared_checklist(&source.text).is_some()
        || crate::diagnostic::check_nesting(&source.text).is_err()
    {
        return None;
    }
    let document: serde_yaml::Value = serde_yaml::from_str(&source.text).ok()?;
    let mut keys: Vec<String> = Vec::new();
    let mut collect = |answers: Option<&serde_yaml::Value>| {
        if let Some(map) = answers.and_then(serde_yaml::Value::as_mapping) {
            keys.extend(
                map.keys()
                    .filter_map(serde_yaml::Value::as_str)
                    .map(str::to_string),
            );
        }
    };
    collect(document.get("answers"));
    if let Some(environments) = document
        .get("environments")
        .and_then(serde_yaml::Value::as_sequence)
    {
        for environment in environments {
            collect(environment.get("answers"));
        }
    }
    let unknown: Vec<String> = keys
        .into_iter()
        .filter(|k| used.question(k).is_none())
        .collect();
    let (name, known) = BUILTIN
        .iter()
        .filter(|(name, _)| *name != used.id)
        .filter_map(|(name, _)| {
            let other = Checklist::builtin(name)?;
            let known: Vec<&String> = unknown
                .iter()
                .filter(|k| other.question(k).is_some())
                .collect();
            Some((*name, known))
        })
        .max_by_key(|(_, known)| known.len())?;
    if known.is_empty() || 2 * known.len() <= unknown.len() {
        return None;
    }
    Some(UsageError::new(
        format!(
            "{}: these are {name} checklist questions ({} of the {} answers that checklist `{}` does not know, e.g. `{}`); the file names no checklist, so `{}` was used",
            source.origin,
            known.len(),
            unknown.len(),
            used.id,
            known[0],
            used.id
        ),
        format!("add `checklist: {name}` at the top of the file, or pass `--checklist {name}`"),
    ))
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

/// The tool's manual page on standard output, or every page (one per subcommand) in `dir`.
pub fn man_command(dir: Option<&Path>) -> Result<Exit> {
    let pages = crate::manual::pages(crate::cli::Cli::command_with_versions());
    let Some(dir) = dir else {
        print(&pages[0].roff)?;
        return Ok(Exit::Success);
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

pub fn template_command(args: &ChecklistArg) -> Result<Exit> {
    let checklist = load_checklist(args.checklist.as_deref())?;
    print(&answers_template(&checklist))?;
    Ok(Exit::Success)
}

pub fn schema_command(args: &ChecklistArg) -> Result<Exit> {
    let checklist = load_checklist(args.checklist.as_deref())?;
    let mut text = serde_json::to_string_pretty(&answers_schema(&checklist))?;
    text.push('\n');
    print(&text)?;
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
    if path != "-" && !Path::new(path).exists() && BUILTIN.iter().any(|(n, _)| *n == path) {
        return Err(UsageError::new(
            format!("`{path}` is the name of a built-in checklist, and `checklist lint` takes the path of a checklist file (built-in checklists are checked when the tool is built)"),
            format!("to check your own copy: `upgrade-advisor checklist show {path} > my-checklist.yaml`, edit it, then `upgrade-advisor checklist lint my-checklist.yaml`"),
        )
        .into());
    }
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
        None if Path::new(name).is_file()
            || name.ends_with(".yaml")
            || name.ends_with(".yml") =>
        {
            Err(UsageError::new(
                format!("`{name}` is a file, and `checklist show` takes the name of a built-in checklist"),
                format!("to check a checklist file: `upgrade-advisor checklist lint {name}`; to see the built-in names: `upgrade-advisor checklists`"),
            )
            .into())
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
    let today = today();
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
