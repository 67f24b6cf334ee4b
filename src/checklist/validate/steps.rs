//! The `runbook:` section checked against the layers and question ids: references, checks
//! before the first window, and step texts per phase.

use std::collections::HashSet;

use super::super::raw::{PhaseKind, RawGates, RawRunbook, RawStep, RawStepFields};
use super::super::steps::{Check, GateLimits, PhaseSteps, Reference, Runbook, Step};
use super::Validator;
use crate::checklist::condition::Condition;
use crate::checklist::model::*;
use crate::checklist::strategy::Strategy;

/// What tells two runbook phase entries apart, besides their conditions.
type PhaseKey = (PhaseKind, Option<String>, Vec<Strategy>);

/// A link target a report can print as is: an absolute http(s) address without spaces,
/// quotes, angle brackets or parentheses, which would end a markdown link early.
fn plain_url(url: &str) -> bool {
    (url.starts_with("https://") || url.starts_with("http://"))
        && url.len() > "https://".len()
        && !url
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>()\"'`\\|".contains(c))
}

impl Validator<'_> {
    /// Checks the runbook section against the layers and question ids.
    pub(in crate::checklist) fn runbook(&mut self, raw: RawRunbook, layers: &[Layer]) -> Runbook {
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
        let mut seen: Vec<(PhaseKey, Option<Condition>)> = Vec::new();
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
                let when = p
                    .when
                    .map(|w| self.condition(w, &format!("{at}.when"), None));
                // An entry is never used when one before it has the same kind, layer and
                // strategies and either no condition or the same one.
                let key = (p.kind, p.layer.clone(), strategies.clone());
                let shadowed = seen
                    .iter()
                    .any(|(k, w)| k == &key && (w.is_none() || w == &when));
                seen.push((key, when.clone()));
                if shadowed {
                    self.problem(
                        at.clone(),
                        "phases:",
                        "another entry before it has the same kind, layer and strategies and applies whenever this one does, so this one is never used".into(),
                        "merge the two entries, or give them different layers, strategies or `when` conditions",
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
                    when,
                    see: p.see,
                    pre_checks: steps(p.pre_checks, "pre_checks"),
                    change: steps(p.change, "change"),
                    validation: steps(p.validation, "validation"),
                    go_no_go: steps(p.go_no_go, "go_no_go"),
                    rollback: steps(p.rollback, "rollback"),
                }
            })
            .collect();
        let gates = match raw.gates {
            Some(g) => self.gates(g),
            None => GateLimits::default(),
        };
        Runbook {
            references,
            before,
            phases,
            gates,
        }
    }

    /// Bounds every gate limit (see [`GateLimits::problems`]).
    fn gates(&mut self, g: RawGates) -> GateLimits {
        let limits = GateLimits {
            error_rate_increase_pct: g.error_rate_increase_pct,
            latency_p99_increase_pct: g.latency_p99_increase_pct,
            soak_minutes: g.soak_minutes,
            abort_after_minutes: g.abort_after_minutes,
            traffic_steps: g.traffic_steps,
        };
        for problem in limits.problems() {
            self.problem(
                "runbook.gates".to_string(),
                "gates:",
                problem.to_string(),
                "write e.g. `error_rate_increase_pct: 0.5`, `latency_p99_increase_pct: 20`, `soak_minutes: 60`, `abort_after_minutes: 30`, `traffic_steps: [5, 25, 50, 100]`",
            );
        }
        limits
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

    #[test]
    fn only_plain_addresses_are_links() {
        assert!(plain_url("https://kubernetes.io/docs/"));
        assert!(!plain_url("javascript:alert(1)"));
        assert!(!plain_url("https://x.example/a b"));
        assert!(!plain_url("https://x.example/a)[b"));
        assert!(!plain_url("https://"));
    }
}
