//! The command line: every command, argument and its help.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

pub mod values;

use values::{ChecklistName, Expectation, ExpectationParser, parse_date, parse_version};

use crate::base::date::Date;
use crate::kube::version::Version;
use crate::report::Format;
use crate::report::QuestionsFormat;
use crate::report::ScanFormat;

const EXAMPLES: &str = "\
Examples:
  upgrade-advisor assess checklists/examples/case-study.yaml
  upgrade-advisor assess - --format json < answers.yaml
  upgrade-advisor assess answers.yaml --format markdown --output report.md
  upgrade-advisor workshop --report report.md
  upgrade-advisor template > answers.yaml
  upgrade-advisor questions

Exit codes: 0 recommendation produced, 1 internal failure, 2 bad input,
            3 blockers present with --fail-on-blockers,
            4 not the --expect'ed strategy,
            5, 6, 7 scan findings with --fail-on (see scan --help),
            130 workshop paused (answers saved).";

/// Decide how to upgrade Kubernetes: Sequential in-place, Blue-Green or Hybrid.
///
/// Answers to a decision checklist (platform scale, application readiness, governance,
/// infrastructure, Blue-Green prerequisites) go in as YAML; an explained recommendation comes
/// out as a table, markdown or JSON (what drove it, what blocks it, the plan per layer and
/// the calendar of each strategy), or as a runbook or a decision record (MADR).
#[derive(Debug, Parser)]
#[command(name = "upgrade-advisor", version, after_help = EXAMPLES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Assess an answers file and print the recommendation (never prompts).
    #[command(after_help = "\
Examples:
  upgrade-advisor assess checklists/examples/case-study.yaml
  cat answers.yaml | upgrade-advisor assess - --format json
  upgrade-advisor assess answers.yaml -f markdown -o report.md
  upgrade-advisor assess answers.yaml --fail-on-blockers   # exit 3 if any
  upgrade-advisor assess answers.yaml --set spare_capacity=yes
  upgrade-advisor assess answers.yaml --expect hybrid   # exit 4 if not
  upgrade-advisor assess answers.yaml --manifests eu.json us.json
  upgrade-advisor assess answers.yaml -f runbook --start 2027-01-04
  upgrade-advisor assess answers.yaml -f adr -o docs/0001-upgrade.md

Exit codes: 0 recommendation produced,
            1 internal failure (the output was not written), 2 bad input,
            3 blockers present with --fail-on-blockers,
            4 not the --expect'ed strategy (4 wins over 3).")]
    Assess(AssessArgs),
    /// Print an answers file to fill in: every question with its help, allowed values and default.
    #[command(after_help = "\
Example:
  upgrade-advisor template > answers.yaml   # fill it in, then assess it")]
    Template(ChecklistOutputArgs),
    /// Scan manifests (files, folders, - for stdin) for removed APIs, disruption readiness, probes, state and autoscaling.
    #[command(after_help = "\
Examples:
  upgrade-advisor scan k8s/ --target 1.33
  helm template my-release ./chart | upgrade-advisor scan - --target 1.33
  kubectl get deploy,sts,ds,pdb,hpa,ingress,cronjob -A -o yaml \\
    | upgrade-advisor scan - --format json > scan.json
  upgrade-advisor scan k8s/ --format sarif --output scan.sarif
  upgrade-advisor assess answers.yaml --evidence scan.json

What is deployed (Helm release records, live objects as last applied):
  kubectl get secrets,configmaps -A -l owner=helm -o json > helm.json
  kubectl get deploy,sts,ingress,cronjob,pdb,hpa -A -o json > live.json
  upgrade-advisor scan helm.json live.json --api-data crds.yaml

In a pipeline:
  upgrade-advisor scan k8s/ --fail-on upcoming -f sarif -o scan.sarif

Exit codes: 0 scanned (without --fail-on, findings do not fail it),
            2 nothing could be read or an --api-data file is wrong,
            5 something breaks at the target (--fail-on any level),
            6 an API removed later (--fail-on upcoming or risk),
            7 a readiness risk (--fail-on risk).")]
    Scan(ScanArgs),
    /// Walk the checklist interactively with a customer, then show the recommendation and write the report.
    #[command(after_help = "\
Keys: Enter accepts, arrows choose, Esc goes back one question,
      Ctrl-C pauses and saves.

Examples:
  upgrade-advisor workshop --report acme-report.md
  upgrade-advisor workshop --resume upgrade-answers.yaml   # after Ctrl-C

Needs a terminal; in pipelines use `upgrade-advisor assess FILE` (or -).")]
    Workshop(WorkshopArgs),
    /// Print a JSON Schema (draft-07) for answers files (for editors running
    /// yaml-language-server), or for the JSON that assess and scan write.
    #[command(after_help = "\
Examples:
  upgrade-advisor schema > upgrade-answers.schema.json
  # then start the answers file with:
  # yaml-language-server: $schema=upgrade-answers.schema.json
  upgrade-advisor schema --report > report.schema.json   # assess -f json
  upgrade-advisor schema --scan > scan.schema.json       # scan -f json")]
    Schema(SchemaArgs),
    /// List the built-in checklists.
    Checklists,
    /// Check a custom checklist, or print a built-in one to start from.
    #[command(subcommand)]
    Checklist(ChecklistCommand),
    /// Print a shell completion script: bash, zsh, fish, powershell or elvish.
    #[command(after_help = "\
Examples:
  upgrade-advisor completions bash \\
    > ~/.local/share/bash-completion/completions/upgrade-advisor
  upgrade-advisor completions zsh > \"${fpath[1]}/_upgrade-advisor\"
  upgrade-advisor completions fish \\
    > ~/.config/fish/completions/upgrade-advisor.fish")]
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff); with --dir, write one page per subcommand too.
    #[command(after_help = "\
Examples:
  upgrade-advisor man | man -l -
  upgrade-advisor man -o upgrade-advisor.1
  upgrade-advisor man --dir ~/.local/share/man/man1   # all pages")]
    Man {
        /// Write the tool's page and one page per subcommand into this folder (created when missing).
        #[arg(long, value_name = "DIR", conflicts_with = "output")]
        dir: Option<PathBuf>,
        /// Write the page to this file (atomically) instead of standard output; - is standard output.
        #[arg(short, long, value_name = "PATH|-")]
        output: Option<PathBuf>,
    },
    /// List the checklist's questions with their ids, allowed answers and conditions.
    #[command(after_help = "\
Examples:
  upgrade-advisor questions --checklist my-checklist.yaml
  upgrade-advisor questions --format markdown > questions.md
  upgrade-advisor questions --format json | jq -r '.questions[].id'")]
    Questions(QuestionsArgs),
}

#[derive(Debug, Subcommand)]
pub enum ChecklistCommand {
    /// Report every fault in a checklist file, with its place in the file (exit 2 when any).
    #[command(after_help = "\
Example:
  upgrade-advisor checklist show vks > my-checklist.yaml   # edit, then:
  upgrade-advisor checklist lint my-checklist.yaml")]
    Lint {
        /// The checklist file.
        #[arg(value_name = "PATH")]
        path: PathBuf,
    },
    /// Print a built-in checklist's YAML, to copy and adapt.
    #[command(after_help = "\
Example:
  upgrade-advisor checklist show kubernetes > my-checklist.yaml")]
    Show {
        /// A built-in checklist name (see `upgrade-advisor checklists`).
        #[arg(value_name = "NAME", value_parser = ChecklistName, hide_possible_values = true)]
        name: String,
    },
}

#[derive(Debug, Args)]
pub struct AssessArgs {
    /// The answers file (YAML), or - to read it from standard input; the same as --answers.
    #[arg(
        value_name = "ANSWERS",
        conflicts_with = "answers_flag",
        required_unless_present = "answers_flag"
    )]
    answers_file: Option<PathBuf>,

    /// The answers file (YAML), or - to read it from standard input.
    #[arg(short, long = "answers", id = "answers_flag", value_name = "PATH|-")]
    answers_flag: Option<PathBuf>,

    #[command(flatten)]
    pub checklist: AssessChecklistArg,

    /// Output format.
    #[arg(short, long, value_enum, default_value_t = Format::Table)]
    pub format: Format,

    /// Write the report to this file (atomically) instead of standard output; - is standard
    /// output. An input (answers, checklist, evidence) is never overwritten.
    #[arg(short, long, value_name = "PATH|-")]
    pub output: Option<PathBuf>,

    /// Exit with code 3 when the recommended strategy has blockers (the report is still written).
    #[arg(long)]
    pub fail_on_blockers: bool,

    /// Override an answer, checked like the file (repeatable), e.g. --set spare_capacity=yes.
    #[arg(long = "set", value_name = "ID=VALUE")]
    pub overrides: Vec<String>,

    /// Answer readiness questions from a scan report (`scan --format json`) or Pluto's JSON.
    #[arg(long, value_name = "PATH")]
    pub evidence: Option<PathBuf>,

    /// Scan these manifests (files, folders, -) and answer readiness questions from them;
    /// each PATH that holds Nodes is one cluster's dump, for the capacity arithmetic (see the
    /// answers file's `capacity:` block).
    #[arg(long, value_name = "PATH", num_args = 1..)]
    pub manifests: Vec<PathBuf>,

    /// With --manifests: more removed APIs, in the format of the built-in data (repeatable).
    #[arg(long, value_name = "FILE", requires = "manifests")]
    pub api_data: Vec<PathBuf>,

    /// Exit with code 4 when the recommendation is not this strategy: one for every
    /// environment, or ENV=STRATEGY for one environment of a fleet (repeatable).
    #[arg(long, value_name = "[ENV=]STRATEGY", value_parser = ExpectationParser)]
    pub expect: Vec<Expectation>,

    /// First day of the markdown timeline chart and of the runbook's dates [default: the first of next month].
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub start: Option<Date>,

    /// Add the events of an iCalendar file as freezes (repeatable): all-day and timed events,
    /// TZID zones, yearly, monthly, weekly or daily recurrence, EXDATE.
    #[arg(long, value_name = "FILE.ics")]
    pub freezes: Vec<PathBuf>,

    /// Print no note on standard error when the report is written to a file (why an exit
    /// code is 3 or 4 is still said).
    #[arg(short, long)]
    pub quiet: bool,
}

impl AssessArgs {
    /// The answers file, given as the argument or with --answers (clap requires one).
    pub fn answers(&self) -> &std::path::Path {
        self.answers_file
            .as_deref()
            .or(self.answers_flag.as_deref())
            .unwrap_or(std::path::Path::new("-"))
    }
}

#[derive(Debug, Args)]
pub struct AssessChecklistArg {
    /// The checklist, when not the built-in the answers file names in `checklist:`: a
    /// built-in name (vks, kubernetes) or the path of a checklist YAML file. A built-in name
    /// always means the built-in; a path needs a `/` or an extension (./vks, my-checklist.yaml).
    #[arg(short, long, value_name = "NAME|PATH", value_parser = ChecklistName, hide_possible_values = true)]
    pub checklist: Option<String>,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Manifest files or folders (searched recursively for .yaml, .yml and .json); - reads standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// The Kubernetes version being upgraded to; APIs removed at or before it are findings
    /// [default: the newest release the tool knows].
    #[arg(long, value_name = "VERSION", value_parser = parse_version)]
    pub target: Option<Version>,

    /// The version running today; removals already in effect are marked as such.
    #[arg(long, value_name = "VERSION", value_parser = parse_version)]
    pub current: Option<Version>,

    /// Output format.
    #[arg(short, long, value_enum, default_value_t = ScanFormat::Table)]
    pub format: ScanFormat,

    /// Write the result to this file (atomically) instead of standard output; - is standard
    /// output. A scanned file is never overwritten.
    #[arg(short, long, value_name = "PATH|-")]
    pub output: Option<PathBuf>,

    /// More removed APIs (CRDs such as cert-manager or Istio), in the format of
    /// checklists/data/removed-apis.yaml with an optional `component` (repeatable).
    #[arg(long, value_name = "FILE")]
    pub api_data: Vec<PathBuf>,

    /// Fail the pipeline on findings: `removed` (exit 5: something breaks at the target),
    /// `upcoming` (also exit 6: an API removed in a later release), `risk` (also exit 7: a
    /// readiness risk such as a missing disruption budget). The result is still written.
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub fail_on: Option<FailOn>,

    /// Print no summary on standard error.
    #[arg(short, long)]
    pub quiet: bool,
}

/// The findings that fail `scan --fail-on`, each level including the ones above it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    /// Removed APIs and charts that do not admit the target.
    Removed,
    /// Those, and APIs removed in a later release.
    Upcoming,
    /// Those, and readiness risks.
    Risk,
}

#[derive(Debug, Args)]
pub struct WorkshopArgs {
    #[command(flatten)]
    pub checklist: ChecklistArg,

    /// Carry on from a (partial) answers file: asks only what is missing, offers to review the rest.
    #[arg(short, long, value_name = "PATH")]
    pub resume: Option<PathBuf>,

    /// Where answers are saved, at the end and on Ctrl-C.
    #[arg(
        short,
        long,
        value_name = "PATH",
        default_value = "upgrade-answers.yaml"
    )]
    pub save: PathBuf,

    /// Write the markdown report here at the end (without it, the workshop offers to).
    #[arg(long, value_name = "PATH")]
    pub report: Option<PathBuf>,

    /// Overwrite existing files without asking.
    #[arg(long)]
    pub force: bool,

    /// First day of the timeline chart in the report [default: the first of next month].
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub start: Option<Date>,
}

#[derive(Debug, Args)]
pub struct ChecklistArg {
    /// The checklist: a built-in name (vks, kubernetes) or the path of a checklist YAML file
    /// [default: vks]. A built-in name always means the built-in; a path needs a `/` or an
    /// extension (./vks, my-checklist.yaml).
    #[arg(short, long, value_name = "NAME|PATH", value_parser = ChecklistName, hide_possible_values = true)]
    pub checklist: Option<String>,
}

#[derive(Debug, Args)]
pub struct QuestionsArgs {
    #[command(flatten)]
    pub checklist: ChecklistArg,

    /// Output format.
    #[arg(short, long, value_enum, default_value_t = QuestionsFormat::Table)]
    pub format: QuestionsFormat,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    #[command(flatten)]
    pub target: ChecklistOutputArgs,

    /// The schema of `assess --format json` (single and fleet reports) instead.
    #[arg(long, conflicts_with = "scan")]
    pub report: bool,

    /// The schema of `scan --format json` instead.
    #[arg(long)]
    pub scan: bool,
}

#[derive(Debug, Args)]
pub struct ChecklistOutputArgs {
    #[command(flatten)]
    pub checklist: ChecklistArg,

    /// Write to this file (atomically) instead of standard output; - is standard output.
    #[arg(short, long, value_name = "PATH|-")]
    pub output: Option<PathBuf>,
}

impl Cli {
    /// The command line, with `--version` naming the built-in checklists' versions too.
    pub fn command_with_versions() -> clap::Command {
        // `-V` says as much as `--version`: people type either.
        let long = Self::long_version();
        <Cli as clap::CommandFactory>::command()
            .version(long.clone())
            .long_version(long)
    }

    /// The tool's version, the built-in checklists' versions and the removed-API data's
    /// coverage. Parses the built-in data, so it is built only when something shows it.
    pub fn long_version() -> String {
        let mut long = env!("CARGO_PKG_VERSION").to_string();
        for (name, _) in crate::checklist::BUILTIN {
            if let Some(checklist) = crate::checklist::model::Checklist::builtin(name) {
                long.push_str(&format!("\nchecklist {name} {}", checklist.version));
            }
        }
        let apis = crate::kube::apis::ApiTable::builtin();
        long.push_str(&format!(
            "\nremoved-API data up to Kubernetes {} ({})",
            apis.covers_up_to, apis.source
        ));
        long
    }

    /// Parses the process arguments, exiting with clap's message (code 2) when they are wrong.
    /// The built-in data behind `--version` is read only when the version is asked for, so
    /// every other command (and `--help`) starts without parsing it.
    pub fn parse_with_versions() -> Cli {
        let plain = <Cli as clap::CommandFactory>::command();
        let matches = match plain.try_get_matches() {
            Ok(matches) => matches,
            Err(e) if e.kind() == clap::error::ErrorKind::DisplayVersion => {
                Self::command_with_versions().get_matches()
            }
            Err(e) => e.exit(),
        };
        <Cli as clap::FromArgMatches>::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }
}
