//! `scan`: find, read and scan manifests, then write the scan in the format asked for.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::Result;

use super::shared::{output_width, refuse_stdin_twice, use_color};
use crate::base::diagnostic::{InputKind, MAX_SHOWN};
use crate::base::text::plural;
use crate::base::text::terminal_safe;
use crate::cli::{FailOn, ScanArgs};
use crate::exit::{Exit, UsageError};
use crate::io::input::read_source;
use crate::io::output::{file_target, print, refuse_overwriting_inputs, write_atomically};
use crate::kube::apis::{ApiTable, load_extra as load_api_data};
use crate::kube::releases::SupportTable;
use crate::kube::version::Version;
use crate::report::render::ScanRenderOptions;
use crate::report::render_scan;
use crate::scan::files::{Candidate, discover_each, read as read_manifest};
use crate::scan::model::{ClassCounts, ScanOptions, ScanReport, Skips};
use crate::scan::scan_with;

pub fn scan_command(args: &ScanArgs) -> Result<Exit> {
    let output = file_target(args.output.as_deref());
    refuse_stdin_twice(
        args.paths
            .iter()
            .map(|p| ("", p.as_os_str()))
            .chain(args.api_data.iter().map(|p| ("--api-data", p.as_os_str()))),
    )?;
    if let (Some(current), Some(target)) = (args.current, args.target)
        && current > target
    {
        return Err(UsageError::new(
            format!("--current {current} is newer than --target {target}"),
            "give the version running today as --current and the one being upgraded to as --target (swap them?)",
        )
        .into());
    }
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
        &ScanRenderOptions {
            width: Some(output_width(to_terminal, 100)),
            // A file never gets colour codes.
            color: output.is_none() && use_color(to_terminal),
            root: std::env::current_dir().ok(),
        },
    );
    match output {
        Some(path) => write_atomically(path, &text)?,
        None => print(&text)?,
    }
    let counts = report.class_counts();
    let exit = fail_on_exit(args.fail_on, counts);
    if !args.quiet {
        let line = summary_line(&report, counts, output, args.fail_on, exit);
        // On a terminal, wrapped to its width like the tables.
        let width = if std::io::stderr().is_terminal() {
            output_width(true, 100)
        } else {
            u16::MAX
        };
        eprint!(
            "{}",
            crate::report::width::wrap_prose(&format!("{line}\n"), width)
        );
    }
    Ok(exit)
}

/// The exit code `--fail-on` asks for: the most serious class of finding at or above the level.
fn fail_on_exit(fail_on: Option<FailOn>, counts: ClassCounts) -> Exit {
    let Some(level) = fail_on else {
        return Exit::Success;
    };
    let upcoming = matches!(level, FailOn::Upcoming | FailOn::Risk);
    if counts.removed > 0 {
        Exit::ScanRemoved
    } else if upcoming && counts.upcoming > 0 {
        Exit::ScanUpcoming
    } else if level == FailOn::Risk && counts.risk > 0 {
        Exit::ScanRisk
    } else {
        Exit::Success
    }
}

/// One line on standard error: what was checked, what was found, and why the exit code.
fn summary_line(
    report: &ScanReport,
    counts: ClassCounts,
    output: Option<&Path>,
    fail_on: Option<FailOn>,
    exit: Exit,
) -> String {
    let plural = |n: usize, one: &str, many: &str| plural(n as u64, one, many);
    let mut line = format!(
        "Scanned {} against Kubernetes {}: {} removed (break at {}), {} upcoming, {}, {}",
        plural(report.documents.read, "object", "objects"),
        report.target,
        counts.removed,
        report.target,
        counts.upcoming,
        plural(counts.risk, "readiness risk", "readiness risks"),
        plural(counts.info, "note", "notes"),
    );
    if report.documents.skipped > 0 {
        line.push_str(&format!("; {} skipped", report.documents.skipped));
    }
    if let Some(path) = output {
        line.push_str(&format!("; written to {}", path.display()));
    }
    if let Some(level) = fail_on {
        let level = clap::ValueEnum::to_possible_value(&level)
            .map(|v| v.get_name().to_string())
            .unwrap_or_default();
        line.push_str(&format!("; --fail-on {level}: exit {}", exit as u8));
    }
    line.push('.');
    line
}

/// Finds, reads and scans manifests; a progress bar on standard error when it is a terminal
/// and there are many files. Fails (exit 2) only when nothing at all could be read, or when
/// `output` is one of the files to scan.
pub fn run_scan(
    paths: &[PathBuf],
    target: Option<Version>,
    current: Option<Version>,
    api_data: &[PathBuf],
    output: Option<&Path>,
) -> Result<ScanReport> {
    Ok(run_scan_each(paths, target, current, api_data, output)?.0)
}

/// [`run_scan`], with the path each file read came from: entry `i` is the index in `paths`
/// of the scan's file `i` (as `ScanReport::inventory` counts them).
pub fn run_scan_each(
    paths: &[PathBuf],
    target: Option<Version>,
    current: Option<Version>,
    api_data: &[PathBuf],
    output: Option<&Path>,
) -> Result<(ScanReport, Vec<usize>)> {
    // A wrong data file is bad input: nothing is scanned with half the data.
    let mut table = ApiTable::builtin();
    for path in api_data {
        let source = read_source(path, InputKind::ApiData)?;
        let removals = load_api_data(&source.text, &source.origin)?;
        table = table.with_extra(&source.origin, removals);
    }
    // The report says it too; this is for whoever only watches the terminal.
    for relaxed in &table.relaxed {
        eprintln!("warning: {}", terminal_safe(relaxed));
    }
    if paths.iter().any(|p| p == "-") && crate::io::streams::stdin_closed() {
        return Err(UsageError::new(
            "the manifests are to be read from standard input (-), but standard input is closed",
            "pipe them in, e.g. `kubectl get deploy,sts,pdb,hpa -A -o yaml | upgrade-advisor scan -`, or pass their paths",
        )
        .into());
    }
    if paths.iter().any(|p| p == "-") && std::io::stdin().is_terminal() {
        return Err(UsageError::new(
            "the manifests are to be read from standard input (-), but standard input is a terminal",
            "pipe them in, e.g. `kubectl get deploy,sts,pdb,hpa -A -o yaml | upgrade-advisor scan -`",
        )
        .into());
    }
    let (candidates, skipped, starts) = discover_each(paths);
    // The path a candidate came from: the last path whose files start at or before it.
    let path_of = |candidate: usize| {
        starts
            .partition_point(|&s| s <= candidate)
            .saturating_sub(1)
    };
    let mut read_from = Vec::new();
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
    let mut read_skips = Skips::default();
    let files = candidates.iter().enumerate().filter_map(|(i, candidate)| {
        let file = read_manifest(candidate);
        progress.inc(1);
        if file.is_ok() {
            read_from.push(path_of(i));
        }
        file.map_err(|skip| read_skips.push(skip)).ok()
    });
    let mut report = scan_with(files, Vec::new(), ScanOptions { target, current }, &table);
    progress.finish_and_clear();
    let mut first = skipped;
    first.append(read_skips);
    report.skipped_first(first);
    if report.documents.read == 0 {
        let mut reasons: Vec<String> = report
            .skipped
            .iter()
            .take(MAX_SHOWN)
            .map(|s| format!("{}: {}", s.path, s.reason))
            .collect();
        if report.documents.skipped > MAX_SHOWN {
            reasons.push(format!("and {} more", report.documents.skipped - MAX_SHOWN));
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
    Ok((report, read_from))
}
