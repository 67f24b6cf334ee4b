//! What each command does, at the edge: read inputs, call the core, write outputs.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::answers::{
    AnswerValue, Answers, AnswersDocument, AnswersFile, AnswersYaml, PartialAnswers, sha256_hex,
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
use crate::scan::{ApiTable, Evidence, ScanOptions, ScanReport, load_api_data, scan_with};
use crate::schema::answers_schema;
use crate::support::{SupportTable, SupportWarning};
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
    // Read once: the YAML names its checklist, which then judges its keys and values.
    let yaml = AnswersYaml::read(&source.text, &source.origin)?;
    let checklist = load_checklist(
        checklist_for(
            args.checklist.checklist.as_deref(),
            yaml.declared_checklist(),
        )
        .as_deref(),
    )?;
    let partial = PartialAnswers::from_yaml(&yaml, &checklist).map_err(|e| {
        // The problems the message shows decide (the first MAX_SHOWN), as they always have.
        let unknown_questions = e
            .problems
            .iter()
            .take(crate::diagnostic::MAX_SHOWN)
            .any(|p| p.code == Some(crate::diagnostic::code::Code::UnknownQuestion));
        let hint = unknown_questions
            .then(|| {
                answers_of_another_checklist(args.checklist.checklist.as_deref(), &yaml, &checklist)
            })
            .flatten();
        match hint {
            Some(hint) => anyhow::Error::from(hint),
            None => e.into(),
        }
    })?;
    let (evidence, scan_warnings) = gather_evidence(args, &checklist, &partial, output)?;
    let document = AnswersDocument::resolve(
        partial,
        &source.text,
        &source.origin,
        &checklist,
        &evidence.as_answers(&checklist),
        &args.overrides,
    )?;
    let names: Vec<&str> = match &document {
        AnswersDocument::Single(_) => Vec::new(),
        AnswersDocument::Fleet(fleet) => {
            fleet.environments.iter().map(|e| e.name.as_str()).collect()
        }
    };
    check_expectations(&args.expect, &names)?;
    let today = today()?;
    let to_terminal = output.is_none() && std::io::stdout().is_terminal();
    let options = RenderOptions {
        today,
        start: args.start.unwrap_or_else(|| today.first_of_next_month()),
        // A file never gets colour codes.
        color: output.is_none() && use_color(to_terminal),
        width: if to_terminal { None } else { Some(80) },
    };
    // A single report is rendered whole; a fleet's is written as it is made, one environment
    // at a time, so a large fleet is never held in memory all at once.
    let format_name = match args.format {
        Format::Table => "table",
        Format::Markdown => "markdown",
        Format::Json => "JSON",
        Format::Runbook => "runbook",
        Format::Adr => "decision record",
    };
    let strategies: Vec<(Option<String>, crate::strategy::Strategy)>;
    let has_blockers;
    match &document {
        AnswersDocument::Single(file) => {
            let mut report = Report::build(&checklist, file, &options, true);
            report.support_warnings.extend(scan_warnings);
            strategies = vec![(None, report.assessment.recommendation.strategy)];
            has_blockers = !report.assessment.blockers.is_empty();
            let text = report.render(args.format, &options);
            match output {
                Some(path) => write_atomically(path, &text)?,
                None => print(&text)?,
            }
        }
        AnswersDocument::Fleet(fleet) => {
            let mut report =
                FleetReport::build(&checklist, fleet, &options).map_err(|problems| {
                    InputError::new(InputKind::Answers, &source.origin, problems)
                })?;
            report.environments.extra_warnings = scan_warnings;
            strategies = report
                .members
                .iter()
                .map(|m| (Some(m.name.clone()), m.strategy))
                .collect();
            has_blockers = report.members.iter().any(|m| m.blockers > 0);
            let mut fill = |out: &mut dyn std::io::Write| report.write(args.format, &options, out);
            match output {
                Some(path) => crate::output::write_atomically_with(path, &mut fill)?,
                None => crate::output::print_with(&mut fill)?,
            }
        }
    }
    let shown: Vec<String> = strategies
        .iter()
        .map(|(name, s)| name.as_ref().map_or(s.to_string(), |n| format!("{n}: {s}")))
        .collect();
    if let Some(path) = output {
        eprintln!(
            "Wrote the {format_name} report to {} (recommendation: {}).",
            path.display(),
            first_of(&shown, ", ")
        );
    }
    let differing = unexpected(&args.expect, &strategies);
    if !differing.is_empty() {
        let list: Vec<String> = differing
            .iter()
            .map(|(name, got, want)| match name {
                Some(name) => format!("{name}: {got}, not {want}"),
                None => format!("{got}, not {want}"),
            })
            .collect();
        match document {
            AnswersDocument::Single(_) => eprintln!(
                "The recommendation is {}; exiting with code 4 (--expect).",
                list.join("")
            ),
            AnswersDocument::Fleet(_) => eprintln!(
                "Not every environment gets the expected strategy ({}); exiting with code 4 (--expect).",
                first_of(&list, "; ")
            ),
        }
        return Ok(Exit::Unexpected);
    }
    Ok(if args.fail_on_blockers && has_blockers {
        eprintln!(
            "The recommended strategy has blockers ({}); exiting with code 3 (--fail-on-blockers).",
            first_of(&shown, ", ")
        );
        Exit::Blockers
    } else {
        Exit::Success
    })
}

/// The environments (`None` for a single file) whose recommendation differs from what
/// `--expect` asks of them, with what they got and what was expected. A strategy named for an
/// environment wins over one for all. Naming an environment the file does not have is a
/// usage error.
fn unexpected(
    expectations: &[crate::cli::Expectation],
    strategies: &[(Option<String>, crate::strategy::Strategy)],
) -> Vec<(
    Option<String>,
    crate::strategy::Strategy,
    crate::strategy::Strategy,
)> {
    let all = expectations
        .iter()
        .rev()
        .find(|e| e.environment.is_none())
        .map(|e| e.strategy);
    strategies
        .iter()
        .filter_map(|(name, got)| {
            let own = expectations
                .iter()
                .rev()
                .find(|e| e.environment.is_some() && e.environment == *name)
                .map(|e| e.strategy);
            let want = own.or(all)?;
            (want != *got).then(|| (name.clone(), *got, want))
        })
        .collect()
}

/// Items for a one-line message: all of a few, the first ten of many (a fleet of thousands).
fn first_of(items: &[String], separator: &str) -> String {
    const SHOWN: usize = 10;
    if items.len() <= SHOWN {
        return items.join(separator);
    }
    format!(
        "{}{separator}and {} more",
        items[..SHOWN].join(separator),
        items.len() - SHOWN
    )
}

/// Environment names for a message: all of a small fleet, the first ten of a large one.
fn shown_names(names: &[&str]) -> String {
    const SHOWN: usize = 10;
    if names.len() <= SHOWN {
        return names.join(", ");
    }
    format!(
        "{} and {} more",
        names[..SHOWN].join(", "),
        names.len() - SHOWN
    )
}

/// `--expect ENV=STRATEGY` must name an environment of the file (`names`; empty for a
/// single-environment file).
fn check_expectations(expectations: &[crate::cli::Expectation], names: &[&str]) -> Result<()> {
    for e in expectations {
        let Some(env) = &e.environment else { continue };
        if names.is_empty() {
            return Err(UsageError::new(
                format!(
                    "--expect {env}={} names an environment, and this answers file has none",
                    e.strategy
                ),
                "write --expect STRATEGY for a single-environment file",
            )
            .into());
        }
        if !names.contains(&env.as_str()) {
            let hint = crate::suggest::did_you_mean(env, names.iter().copied())
                .map_or(String::new(), |n| format!("did you mean `{n}`? "));
            return Err(UsageError::new(
                format!(
                    "--expect {env}={}: the answers file has no environment `{env}`",
                    e.strategy
                ),
                format!("{hint}the environments are {}", shown_names(names)),
            )
            .into());
        }
    }
    Ok(())
}

/// Evidence from `--evidence FILE` and `--manifests PATH...`; the latter wins where both speak.
/// The scan's own warnings (removed-API data coverage) join the report's support warnings.
fn gather_evidence(
    args: &AssessArgs,
    checklist: &Checklist,
    answers: &PartialAnswers,
    output: Option<&Path>,
) -> Result<(Evidence, Vec<SupportWarning>)> {
    let mut evidence = Evidence::default();
    let mut warnings = Vec::new();
    if let Some(path) = &args.evidence {
        let source = read_source(&path.to_string_lossy(), "evidence file")?;
        evidence = crate::scan::evidence::load(&source.text, &source.origin)?;
        evidence.validate(checklist, &source.origin)?;
    }
    if !args.manifests.is_empty() {
        // Removals are judged against the target the answers name, when they name one.
        let target = answers
            .first_answer(&checklist.bindings.target_version)
            .and_then(AnswerValue::as_version);
        let report = run_scan(&args.manifests, target, None, &args.api_data, output)?;
        warnings = report
            .warnings
            .iter()
            .map(|w| SupportWarning {
                kind: match w.kind.as_str() {
                    "api-data-coverage" => crate::support::WarningKind::ApiDataCoverage,
                    _ => crate::support::WarningKind::ManifestScan,
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
    let output = file_target(args.output.as_deref());
    let report = run_scan(
        &args.paths,
        args.target,
        args.current,
        &args.api_data,
        output,
    )?;
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
    api_data: &[PathBuf],
    output: Option<&Path>,
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
    let mut report = scan_with(files, skipped, ScanOptions { target, current }, &table);
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

/// When an answers file names no checklist (neither `--checklist` nor a `checklist:` key) and
/// most of the answer keys the default checklist does not know are questions of another
/// built-in checklist, the file was written for that one: say so, instead of suggesting
/// look-alike question ids of the wrong checklist.
fn answers_of_another_checklist(
    flag: Option<&str>,
    yaml: &AnswersYaml<'_>,
    used: &Checklist,
) -> Option<UsageError> {
    if flag.is_some() || yaml.declared_checklist().is_some() {
        return None;
    }
    let unknown: Vec<&str> = yaml
        .answer_keys()
        .into_iter()
        .filter(|k| used.question(k).is_none())
        .collect();
    let (name, known) = BUILTIN
        .iter()
        .filter(|(name, _)| *name != used.id)
        .filter_map(|(name, _)| {
            let other = Checklist::builtin(name)?;
            let known: Vec<&str> = unknown
                .iter()
                .copied()
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
            yaml.origin(),
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
/// The checklist to use: the flag's, else the built-in the answers file names, if any.
fn checklist_for(flag: Option<&str>, declared: Option<&str>) -> Option<String> {
    flag.or_else(|| declared.filter(|name| BUILTIN.iter().any(|(n, _)| n == name)))
        .map(str::to_string)
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

/// The tool's manual page on standard output (or `output`), or every page (one per
/// subcommand) in `dir`.
pub fn man_command(dir: Option<&Path>, output: Option<&Path>) -> Result<Exit> {
    let pages = crate::manual::pages(crate::cli::Cli::command_with_versions());
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

pub fn template_command(args: &ChecklistOutputArgs) -> Result<Exit> {
    let output = file_target(args.output.as_deref());
    refuse_overwriting_checklist(output, &args.checklist)?;
    let checklist = load_checklist(args.checklist.checklist.as_deref())?;
    emit_to(output, &answers_template(&checklist), "answers template")
}

pub fn schema_command(args: &crate::cli::SchemaArgs) -> Result<Exit> {
    let target = &args.target;
    let output = file_target(target.output.as_deref());
    refuse_overwriting_checklist(output, &target.checklist)?;
    let schema = if args.report {
        crate::schema::report_schema()
    } else if args.scan {
        crate::schema::scan_schema()
    } else {
        answers_schema(&load_checklist(target.checklist.checklist.as_deref())?)
    };
    let mut text = serde_json::to_string_pretty(&schema)?;
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
    // Everything that could make the end fail is checked before the first question.
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
    let resumed = match &args.resume {
        Some(path) => Some(read_source(&path.to_string_lossy(), "answers file")?),
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

    let progress = match walk(&checklist, &mut prompter, start) {
        Outcome::Interrupted(progress) => {
            let path = free_path(&args.save, args.force || saves_over_resumed);
            save_answers(&checklist, &progress, &path)?;
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
        overrides: Vec::new(),
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

    let Some(answers_path) = choose_path(
        &mut prompter,
        &args.save,
        args.force || saves_over_resumed,
        None,
    ) else {
        let path = free_path(&args.save, saves_over_resumed);
        save_answers(&checklist, &progress, &path)?;
        say(&format!("Answers saved to {}.", path.display()));
        return Ok(Exit::Interrupted);
    };
    write_atomically(&answers_path, &yaml)?;
    prompter.show(&format!(
        "Answers saved to {}. The same recommendation in a pipeline:\n  upgrade-advisor assess --answers {}{checklist_flag}",
        answers_path.display(),
        shell_word(&answers_path.to_string_lossy())
    ));

    let report_path = match &args.report {
        Some(path) => choose_path(&mut prompter, path, args.force, Some(&answers_path)),
        None => match prompter.confirm("Write the markdown report for the customer?", true) {
            Reply::Value(true) => match prompter.text(
                "Report file",
                "The markdown report is written here.",
                Some("upgrade-report.md"),
            ) {
                Reply::Value(path) => choose_path(
                    &mut prompter,
                    Path::new(&path),
                    args.force,
                    Some(&answers_path),
                ),
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

/// Whether `a` and `b` are one file: the same device and inode once links are followed, or,
/// for a file not written yet, the same canonical folder and name.
fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    if let (Ok(x), Ok(y)) = (std::fs::metadata(a), std::fs::metadata(b)) {
        use std::os::unix::fs::MetadataExt;
        return x.dev() == y.dev() && x.ino() == y.ino();
    }
    let resolved = |path: &Path| -> Option<PathBuf> {
        if let Ok(full) = path.canonicalize() {
            return Some(full);
        }
        let folder = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        Some(folder.canonicalize().ok()?.join(path.file_name()?))
    };
    match (resolved(a), resolved(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

const SAVED_HEADER: &str = "Saved by `upgrade-advisor workshop`.\nCarry on with: upgrade-advisor workshop --resume THIS_FILE\nAssess with:   upgrade-advisor assess --answers THIS_FILE";

fn save_answers(checklist: &Checklist, progress: &PartialAnswers, path: &Path) -> Result<()> {
    write_atomically(path, &progress.to_yaml(checklist, SAVED_HEADER))
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
    fn same_file_follows_links_and_resolves_files_not_written_yet() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("answers.yaml");
        std::fs::write(&file, "x").unwrap();
        #[cfg(unix)]
        {
            let link = dir.path().join("link.md");
            std::os::unix::fs::symlink(&file, &link).unwrap();
            assert!(same_file(&file, &link));
        }
        let new = dir.path().join("new.md");
        assert!(same_file(&new, &dir.path().join(".").join("new.md")));
        assert!(!same_file(&new, &file));
        assert!(!same_file(&new, &dir.path().join("other.md")));
    }

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
