//! The values the command line parses itself: a checklist's name or path, `--expect`, dates
//! and versions, each with the message clap shows when it is wrong.

use crate::base::date::Date;
use crate::checklist::strategy::Strategy;
use crate::kube::version::Version;

/// A checklist's name or path, taken as given (the edge checks it); offers the built-in names
/// to shell completion, which also offers files where a path is allowed.
#[derive(Debug, Clone, Copy)]
pub struct ChecklistName;

impl clap::builder::TypedValueParser for ChecklistName {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        value.to_str().map(str::to_string).ok_or_else(|| {
            let flag = arg.map_or("--checklist".to_string(), ToString::to_string);
            clap::Error::raw(
                clap::error::ErrorKind::InvalidUtf8,
                format!(
                    "invalid value '{}' for '{flag}': the name is not UTF-8 text; rename the checklist file (e.g. my-checklist.yaml)\n",
                    value.to_string_lossy()
                ),
            )
            .with_cmd(cmd)
        })
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(
            crate::checklist::BUILTIN
                .iter()
                .map(|(name, _)| clap::builder::PossibleValue::new(*name)),
        ))
    }
}

pub fn parse_date(text: &str) -> Result<Date, String> {
    text.parse()
}

/// An `--expect` value: a strategy for every environment, or for the one named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expectation {
    pub environment: Option<String>,
    pub strategy: Strategy,
}

/// Parses `--expect` values and offers the strategy ids for shell completion.
#[derive(Debug, Clone, Copy)]
pub struct ExpectationParser;

impl clap::builder::TypedValueParser for ExpectationParser {
    type Value = Expectation;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<Expectation, clap::Error> {
        let text = value.to_string_lossy();
        parse_expectation(&text).map_err(|message| {
            let flag = arg.map_or("--expect".to_string(), ToString::to_string);
            clap::Error::raw(
                clap::error::ErrorKind::InvalidValue,
                format!("invalid value '{text}' for '{flag}': {message}\n"),
            )
            .with_cmd(cmd)
        })
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(
            Strategy::ALL
                .into_iter()
                .map(|s| clap::builder::PossibleValue::new(s.id())),
        ))
    }
}

fn parse_expectation(text: &str) -> Result<Expectation, String> {
    let (environment, id) = match text.split_once('=') {
        Some((env, id)) if env.trim().is_empty() => {
            return Err(format!(
                "`{text}` names no environment: write ENV=STRATEGY, e.g. payments-prod={id}"
            ));
        }
        Some((env, id)) => (Some(env.trim().to_string()), id.trim()),
        None => (None, text.trim()),
    };
    let strategy = id.parse::<Strategy>().map_err(|_| {
        let ids = Strategy::ALL.map(Strategy::id);
        // `blue_green` is how JSON spells it; a typo gets the nearest id too.
        let near = ids
            .iter()
            .find(|s| s.replace('-', "_") == id.to_ascii_lowercase())
            .copied()
            .or_else(|| crate::base::suggest::did_you_mean(id, ids.iter().copied()));
        match near {
            Some(near) => format!(
                "`{id}` is not a strategy: did you mean `{near}`? (possible values: {})",
                ids.join(", ")
            ),
            None => format!(
                "`{id}` is not a strategy (possible values: {})",
                ids.join(", ")
            ),
        }
    })?;
    Ok(Expectation {
        environment,
        strategy,
    })
}

pub fn parse_version(text: &str) -> Result<Version, String> {
    text.parse()
        .map_err(|e: crate::kube::version::VersionError| e.to_string())
}
