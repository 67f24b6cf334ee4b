//! The runbook's step texts: what to check, do, validate and roll back in each phase, per
//! layer and phase kind, as checklist data so a team can edit them without Rust.
//!
//! The section is optional: a checklist without `runbook:` still renders a runbook, with the
//! phases, dates, gates and rollback matrix the assessment gives, and no step texts of its own.

use std::collections::HashSet;

use serde::Deserialize;

use super::Condition;
use super::PhaseKind;
use super::raw::RawCondition;
use crate::checklist::strategy::Strategy;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRunbook {
    /// Documents the steps point to (vendor documentation, upstream guides).
    #[serde(default)]
    pub references: Vec<RawReference>,
    /// Checks before the first window, each shown when its condition holds (always without one).
    #[serde(default)]
    pub before: Vec<RawCheck>,
    /// Step texts per phase kind, optionally per layer and strategy.
    #[serde(default)]
    pub phases: Vec<RawPhaseSteps>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawReference {
    pub id: String,
    pub title: String,
    pub url: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCheck {
    pub step: String,
    pub command: Option<String>,
    pub see: Option<String>,
    pub when: Option<RawCondition>,
}

/// A step: what to do, and a command only where one is documented.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStepFields {
    pub step: String,
    pub command: Option<String>,
    /// A reference id for further reading.
    pub see: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum RawStep {
    Text(String),
    Full(RawStepFields),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPhaseSteps {
    pub kind: PhaseKind,
    /// The layer id the texts are for; without it they apply to any layer of the kind.
    pub layer: Option<String>,
    /// The strategies the texts are for; all when empty.
    #[serde(default)]
    pub strategies: Vec<Strategy>,
    /// Reference ids the phase points to.
    #[serde(default)]
    pub see: Vec<String>,
    #[serde(default)]
    pub pre_checks: Vec<RawStep>,
    pub change: Vec<RawStep>,
    #[serde(default)]
    pub validation: Vec<RawStep>,
    #[serde(default)]
    pub go_no_go: Vec<RawStep>,
    #[serde(default)]
    pub rollback: Vec<RawStep>,
}

/// The validated runbook texts of a checklist.
#[derive(Debug, Clone, Default)]
pub struct Runbook {
    pub references: Vec<Reference>,
    pub before: Vec<Check>,
    pub phases: Vec<PhaseSteps>,
}

#[derive(Debug, Clone)]
pub struct Reference {
    pub id: String,
    pub title: String,
    pub url: String,
}

#[derive(Debug, Clone)]
pub struct Check {
    pub step: Step,
    pub when: Option<Condition>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub text: String,
    /// A command to run, shown as code; only where the checklist gives one.
    pub command: Option<String>,
    /// A reference id (validated).
    pub see: Option<String>,
}

#[derive(Debug, Clone)]
pub struct PhaseSteps {
    pub kind: PhaseKind,
    pub layer: Option<String>,
    pub strategies: Vec<Strategy>,
    pub see: Vec<String>,
    pub pre_checks: Vec<Step>,
    pub change: Vec<Step>,
    pub validation: Vec<Step>,
    pub go_no_go: Vec<Step>,
    pub rollback: Vec<Step>,
}

impl Runbook {
    /// The texts for a phase: an entry for its layer wins over one for any layer; the first
    /// matching entry of each is used.
    pub fn steps_for(
        &self,
        kind: PhaseKind,
        layer: Option<&str>,
        strategy: Strategy,
    ) -> Option<&PhaseSteps> {
        let fits = |p: &&PhaseSteps| {
            p.kind == kind && (p.strategies.is_empty() || p.strategies.contains(&strategy))
        };
        let for_layer = self
            .phases
            .iter()
            .filter(fits)
            .find(|p| p.layer.is_some() && p.layer.as_deref() == layer);
        for_layer.or_else(|| self.phases.iter().filter(fits).find(|p| p.layer.is_none()))
    }

    pub fn reference(&self, id: &str) -> Option<&Reference> {
        self.references.iter().find(|r| r.id == id)
    }
}

/// A link target a report can print as is: an absolute http(s) address without spaces,
/// quotes, angle brackets or parentheses, which would end a markdown link early.
fn plain_url(url: &str) -> bool {
    (url.starts_with("https://") || url.starts_with("http://"))
        && url.len() > "https://".len()
        && !url
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>()\"'`\\|".contains(c))
}

impl super::Validator<'_> {
    /// Checks the runbook section against the layers and question ids.
    pub(super) fn runbook(&mut self, raw: RawRunbook, layers: &[super::Layer]) -> Runbook {
        let mut ids = HashSet::new();
        let references: Vec<Reference> = raw
            .references
            .into_iter()
            .enumerate()
            .map(|(i, r)| {
                let at = format!("runbook.references[{i}] ({})", r.id);
                if !ids.insert(r.id.clone()) {
                    self.problem(
                        at.clone(),
                        &format!("id: {}", r.id),
                        format!("reference id `{}` is used twice", r.id),
                        "give every reference its own id",
                    );
                }
                if !plain_url(&r.url) {
                    self.problem(
                        at.clone(),
                        &r.url,
                        format!("`{}` is not a plain web address", r.url),
                        "write an absolute https:// address without spaces, quotes, brackets or parentheses",
                    );
                }
                for (key, text) in [("title", &r.title), ("url", &r.url)] {
                    if text.chars().any(char::is_control) {
                        self.problem(
                            format!("{at}.{key}"),
                            &r.id,
                            "the value holds a line break or control character".into(),
                            "write it on one line",
                        );
                    }
                }
                Reference {
                    id: r.id,
                    title: r.title.trim().to_string(),
                    url: r.url.trim().to_string(),
                }
            })
            .collect();
        let known_refs: Vec<String> = references.iter().map(|r| r.id.clone()).collect();
        let before = raw
            .before
            .into_iter()
            .enumerate()
            .map(|(i, c)| {
                let at = format!("runbook.before[{i}]");
                let fields = RawStepFields {
                    step: c.step,
                    command: c.command,
                    see: c.see,
                };
                let step = self.runbook_step(fields, &at, &known_refs);
                let when = c
                    .when
                    .map(|w| self.condition(w, &format!("{at}.when"), None));
                Check { step, when }
            })
            .collect();
        let mut seen = HashSet::new();
        let phases = raw
            .phases
            .into_iter()
            .enumerate()
            .map(|(i, p)| {
                let at = format!("runbook.phases[{i}]");
                if let Some(layer) = &p.layer
                    && !layers.iter().any(|l| &l.id == layer)
                {
                    let names: Vec<&str> = layers.iter().map(|l| l.id.as_str()).collect();
                    self.problem(
                        format!("{at}.layer"),
                        &format!("layer: {layer}"),
                        format!("names the layer `{layer}`, which does not exist"),
                        &format!("name one of the layers: {}", names.join(", ")),
                    );
                }
                let mut strategies = p.strategies.clone();
                strategies.sort();
                strategies.dedup();
                if !seen.insert((p.kind, p.layer.clone(), strategies.clone())) {
                    self.problem(
                        at.clone(),
                        "phases:",
                        "another entry before it has the same kind, layer and strategies, so this one is never used".into(),
                        "merge the two entries, or give them different layers or strategies",
                    );
                }
                for id in &p.see {
                    self.runbook_reference(id, &format!("{at}.see"), &known_refs);
                }
                if p.change.is_empty() {
                    self.problem(
                        format!("{at}.change"),
                        "change:",
                        "a phase entry needs at least one `change` step".into(),
                        "say what is changed in the phase",
                    );
                }
                let mut steps = |list: Vec<RawStep>, key: &str| -> Vec<Step> {
                    list.into_iter()
                        .enumerate()
                        .map(|(j, s)| {
                            let fields = match s {
                                RawStep::Text(step) => RawStepFields {
                                    step,
                                    command: None,
                                    see: None,
                                },
                                RawStep::Full(fields) => fields,
                            };
                            self.runbook_step(fields, &format!("{at}.{key}[{j}]"), &known_refs)
                        })
                        .collect()
                };
                PhaseSteps {
                    kind: p.kind,
                    layer: p.layer,
                    strategies,
                    see: p.see,
                    pre_checks: steps(p.pre_checks, "pre_checks"),
                    change: steps(p.change, "change"),
                    validation: steps(p.validation, "validation"),
                    go_no_go: steps(p.go_no_go, "go_no_go"),
                    rollback: steps(p.rollback, "rollback"),
                }
            })
            .collect();
        Runbook {
            references,
            before,
            phases,
        }
    }

    fn runbook_step(&mut self, raw: RawStepFields, at: &str, refs: &[String]) -> Step {
        if raw.step.trim().is_empty() {
            self.problem(
                at.to_string(),
                "runbook:",
                "the step is empty".into(),
                "say what to do, or remove the step",
            );
        }
        if let Some(command) = &raw.command
            && (command.trim().is_empty() || command.chars().any(char::is_control))
        {
            self.problem(
                format!("{at}.command"),
                command.lines().next().unwrap_or("command:"),
                "a command must be one non-empty line".into(),
                "write the command on one line, or leave `command` out",
            );
        }
        if let Some(id) = &raw.see {
            self.runbook_reference(id, &format!("{at}.see"), refs);
        }
        Step {
            text: raw.step.trim().to_string(),
            command: raw.command.map(|c| c.trim().to_string()),
            see: raw.see,
        }
    }

    fn runbook_reference(&mut self, id: &str, at: &str, refs: &[String]) {
        if !refs.iter().any(|r| r == id) {
            self.problem(
                at.to_string(),
                id,
                format!("names the reference `{id}`, which does not exist"),
                "add it under `runbook.references`, or name one that is there",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(
        kind: PhaseKind,
        layer: Option<&str>,
        strategies: &[Strategy],
        text: &str,
    ) -> PhaseSteps {
        let step = Step {
            text: text.to_string(),
            command: None,
            see: None,
        };
        PhaseSteps {
            kind,
            layer: layer.map(str::to_string),
            strategies: strategies.to_vec(),
            see: Vec::new(),
            pre_checks: Vec::new(),
            change: vec![step],
            validation: Vec::new(),
            go_no_go: Vec::new(),
            rollback: Vec::new(),
        }
    }

    #[test]
    fn a_layers_own_texts_win_and_strategies_filter() {
        let runbook = Runbook {
            phases: vec![
                entry(PhaseKind::Wave, None, &[Strategy::BlueGreen], "green"),
                entry(PhaseKind::Wave, None, &[], "any"),
                entry(PhaseKind::Wave, Some("pools"), &[Strategy::Hybrid], "pools"),
            ],
            ..Runbook::default()
        };
        let text = |layer, strategy| {
            runbook
                .steps_for(PhaseKind::Wave, layer, strategy)
                .map(|p| p.change[0].text.as_str())
        };
        assert_eq!(text(Some("pools"), Strategy::Hybrid), Some("pools"));
        assert_eq!(text(Some("pools"), Strategy::BlueGreen), Some("green"));
        assert_eq!(text(Some("other"), Strategy::Hybrid), Some("any"));
        assert_eq!(
            runbook
                .steps_for(PhaseKind::Build, None, Strategy::Hybrid)
                .map(|p| p.kind),
            None
        );
    }

    #[test]
    fn only_plain_addresses_are_links() {
        assert!(plain_url("https://kubernetes.io/docs/"));
        assert!(!plain_url("javascript:alert(1)"));
        assert!(!plain_url("https://x.example/a b"));
        assert!(!plain_url("https://x.example/a)[b"));
        assert!(!plain_url("https://"));
    }
}
