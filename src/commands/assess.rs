//! `assess`: read an answers file (and any evidence), build the report, write it, and exit
//! with the code that `--fail-on-blockers` and `--expect` ask for.

use std::ffi::OsStr;
use std::io::IsTerminal;
use std::path::Path;

use anyhow::Result;

use super::evidence::{gather_environments, gather_evidence};
use super::freezes::import_freezes;
use super::shared::{checklist_for, output_width, refuse_stdin_twice, today, use_color};
use crate::answers::parse::AnswersYaml;
use crate::answers::values::AnswersDocument;
use crate::answers::values::PartialAnswers;
use crate::base::diagnostic::code::Code;
use crate::base::diagnostic::{InputError, InputKind, MAX_SHOWN};
use crate::base::suggest::did_you_mean;
use crate::checklist::BUILTIN;
use crate::checklist::model::Checklist;
use crate::checklist::strategy::Strategy;
use crate::cli::AssessArgs;
use crate::cli::values::Expectation;
use crate::exit::{Exit, UsageError};
use crate::io::input::{Source, is_checklist_path, load_checklist, read_source};
use crate::io::output::{
    file_target, print, print_with, refuse_overwriting_inputs, write_atomically,
    write_atomically_with,
};
use crate::plan::Report;
use crate::plan::fleet::FleetReport;
use crate::plan::support::SupportWarning;
use crate::report::render::RenderOptions;
use crate::report::{Format, render, write_fleet};

pub fn assess_command(args: &AssessArgs) -> Result<Exit> {
    let output = file_target(args.output.as_deref());
    refuse_stdin_twice(
        std::iter::once(("--answers", OsStr::new(args.answers())))
            .chain(
                args.checklist
                    .checklist
                    .iter()
                    .map(|c| ("--checklist", OsStr::new(c))),
            )
            .chain(args.evidence.iter().map(|p| ("--evidence", p.as_os_str())))
            .chain(
                args.manifests
                    .iter()
                    .map(|p| ("--manifests", OsStr::new(p))),
            )
            .chain(args.api_data.iter().map(|p| ("--api-data", p.as_os_str())))
            .chain(args.freezes.iter().map(|p| ("--freezes", p.as_os_str()))),
    )?;
    if let Some(output) = output {
        refuse_overwriting_assess_inputs(args, output)?;
    }
    let source = read_source(args.answers(), InputKind::Answers)?;
    let (checklist, mut partial) = read_answers(args, &source)?;
    let start = args
        .start
        .map_or_else(|| today().map(|t| t.first_of_next_month()), Ok)?;
    import_freezes(&args.freezes, &mut partial.calendar, start)?;
    let gathered = gather_evidence(args, &checklist, &partial, output)?;
    let mut scan_warnings = gathered.warnings;
    let base = match Path::new(args.answers()).parent() {
        Some(folder) if args.answers() != "-" => folder.to_path_buf(),
        _ => std::path::PathBuf::new(),
    };
    scan_warnings.extend(gather_environments(
        args,
        &checklist,
        &mut partial,
        &base,
        output,
    )?);
    let mut document = AnswersDocument::resolve(
        partial,
        &source.text,
        &source.origin,
        &checklist,
        &gathered.items,
        &args.overrides,
    )?;
    if let AnswersDocument::Single(file) = &mut document {
        file.capacity = gathered.capacity.map(Box::new);
    }
    let names: Vec<&str> = match &document {
        AnswersDocument::Single(_) => Vec::new(),
        AnswersDocument::Fleet(fleet) => {
            fleet.environments.iter().map(|e| e.name.as_str()).collect()
        }
    };
    check_expectations(&args.expect, &names)?;
    let options = render_options(args, output)?;
    let outcome = write_report(
        args,
        &checklist,
        &document,
        &options,
        scan_warnings,
        output,
        &source.origin,
    )?;
    Ok(finish(args, &document, &outcome, output))
}

/// Refuses (exit 2) an `--output` that is one of the files `assess` reads.
fn refuse_overwriting_assess_inputs(args: &AssessArgs, output: &Path) -> Result<()> {
    let mut inputs = vec![("answers file", Path::new(args.answers()))];
    if let Some(name) = args.checklist.checklist.as_deref()
        && is_checklist_path(name)
    {
        inputs.push(("checklist", Path::new(name)));
    }
    if let Some(evidence) = &args.evidence {
        inputs.push(("evidence file", evidence.as_path()));
    }
    inputs.extend(args.freezes.iter().map(|f| ("freezes file", f.as_path())));
    refuse_overwriting_inputs(output, &inputs)
}

/// The checklist an answers file is for, and the file's answers checked against it.
fn read_answers(args: &AssessArgs, source: &Source) -> Result<(Checklist, PartialAnswers)> {
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
            .take(MAX_SHOWN)
            .any(|p| p.code == Some(Code::UnknownQuestion));
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
    Ok((checklist, partial))
}

/// Today, the first window and how the output looks where it goes (`output`: a file, else
/// standard output).
fn render_options(args: &AssessArgs, output: Option<&Path>) -> Result<RenderOptions> {
    let today = today()?;
    let to_terminal = output.is_none() && std::io::stdout().is_terminal();
    Ok(RenderOptions {
        today,
        start: args.start.unwrap_or_else(|| today.first_of_next_month()),
        // A file never gets colour codes.
        color: output.is_none() && use_color(to_terminal),
        width: Some(output_width(to_terminal, 80)),
    })
}

/// What a written report recommends: each environment's strategy (`None` for a single file)
/// and whether any recommended strategy has blockers.
struct Outcome {
    strategies: Vec<(Option<String>, Strategy)>,
    has_blockers: bool,
}

/// Builds the report and writes it to `output` (a file, else standard output); `origin`
/// names the answers file in messages.
fn write_report(
    args: &AssessArgs,
    checklist: &Checklist,
    document: &AnswersDocument,
    options: &RenderOptions,
    scan_warnings: Vec<SupportWarning>,
    output: Option<&Path>,
    origin: &str,
) -> Result<Outcome> {
    // A single report is rendered whole; a fleet's is written as it is made, one environment
    // at a time, so a large fleet is never held in memory all at once.
    match document {
        AnswersDocument::Single(file) => {
            let mut report = Report::build(checklist, file, options.dates(), true)
                .map_err(|e| InputError::new(InputKind::Answers, origin, vec![e.diagnostic()]))?;
            report.support_warnings.extend(scan_warnings);
            let outcome = Outcome {
                strategies: vec![(None, report.assessment.recommendation.strategy)],
                has_blockers: !report.assessment.blockers.is_empty(),
            };
            let text = render(&report, args.format, options);
            match output {
                Some(path) => write_atomically(path, &text)?,
                None => print(&text)?,
            }
            Ok(outcome)
        }
        AnswersDocument::Fleet(fleet) => {
            let mut report = FleetReport::build(checklist, fleet, options.dates())
                .map_err(|problems| InputError::new(InputKind::Answers, origin, problems))?;
            report.environments.extra_warnings = scan_warnings;
            let outcome = Outcome {
                strategies: report
                    .members
                    .iter()
                    .map(|m| (Some(m.name.clone()), m.strategy))
                    .collect(),
                has_blockers: report.members.iter().any(|m| m.blockers > 0),
            };
            let mut fill =
                |out: &mut dyn std::io::Write| write_fleet(&report, args.format, options, out);
            match output {
                Some(path) => write_atomically_with(path, &mut fill)?,
                None => print_with(&mut fill)?,
            }
            Ok(outcome)
        }
    }
}

/// Says where a report file went and what `--expect` or `--fail-on-blockers` found, and
/// gives the exit code.
fn finish(
    args: &AssessArgs,
    document: &AnswersDocument,
    outcome: &Outcome,
    output: Option<&Path>,
) -> Exit {
    let shown: Vec<String> = outcome
        .strategies
        .iter()
        .map(|(name, s)| name.as_ref().map_or(s.to_string(), |n| format!("{n}: {s}")))
        .collect();
    if let Some(path) = output.filter(|_| !args.quiet) {
        let format_name = match args.format {
            Format::Table => "table",
            Format::Markdown => "markdown",
            Format::Json => "JSON",
            Format::Yaml => "YAML",
            Format::Runbook => "runbook",
            Format::Adr => "decision record",
        };
        eprintln!(
            "Wrote the {format_name} report to {} (recommendation: {}).",
            path.display(),
            first_of(&shown, ", ")
        );
    }
    let differing = unexpected(&args.expect, &outcome.strategies);
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
        return Exit::Unexpected;
    }
    if args.fail_on_blockers && outcome.has_blockers {
        eprintln!(
            "The recommended strategy has blockers ({}); exiting with code 3 (--fail-on-blockers).",
            first_of(&shown, ", ")
        );
        Exit::Blockers
    } else {
        Exit::Success
    }
}

/// The environments (`None` for a single file) whose recommendation differs from what
/// `--expect` asks of them, with what they got and what was expected. A strategy named for an
/// environment wins over one for all. Naming an environment the file does not have is a
/// usage error.
fn unexpected(
    expectations: &[Expectation],
    strategies: &[(Option<String>, Strategy)],
) -> Vec<(Option<String>, Strategy, Strategy)> {
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
fn check_expectations(expectations: &[Expectation], names: &[&str]) -> Result<()> {
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
            let hint = did_you_mean(env, names.iter().copied())
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

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &[&str]) -> AssessArgs {
        use clap::Parser;
        match crate::cli::Cli::parse_from(line).command {
            crate::cli::Command::Assess(args) => args,
            _ => unreachable!(),
        }
    }

    #[test]
    fn answers_of_another_checklist_get_a_hint_chosen_by_code() {
        let text = "answers:\n  platform: eks\n  cluster_bound_integrations: yes\n";
        let source = Source {
            text: text.to_string(),
            origin: "eks.yaml".to_string(),
        };
        let Err(error) = read_answers(&args(&["upgrade-advisor", "assess", "-a", "x"]), &source)
        else {
            panic!("the default checklist does not know these questions");
        };
        assert!(error.is::<UsageError>(), "{error}");
        // Named on the command line, the checklist is the one meant: its own problems stand.
        let flag = ["upgrade-advisor", "assess", "-a", "x", "--checklist", "vks"];
        let Err(error) = read_answers(&args(&flag), &source) else {
            panic!("vks does not know these questions");
        };
        let input = error
            .downcast_ref::<InputError>()
            .expect("the file's problems");
        assert!(input.has(Code::UnknownQuestion), "{input}");
    }

    #[test]
    fn long_lists_are_cut_after_ten() {
        let items: Vec<String> = (1..=12).map(|n| n.to_string()).collect();
        assert_eq!(first_of(&items[..3], ", "), "1, 2, 3");
        assert_eq!(
            first_of(&items, ", "),
            "1, 2, 3, 4, 5, 6, 7, 8, 9, 10, and 2 more"
        );
    }
}
