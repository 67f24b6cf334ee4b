//! The runbook's step texts: what to check, do, validate and roll back in each phase, per
//! layer and phase kind, as checklist data so a team can edit them without Rust.
//!
//! The section is optional: a checklist without `runbook:` still renders a runbook, with the
//! phases, dates, gates and rollback matrix the assessment gives, and no step texts of its own.

use crate::checklist::condition::{AnswerLookup, Condition};
use crate::checklist::raw::PhaseKind;
use crate::checklist::strategy::Strategy;

/// The validated runbook texts of a checklist.
#[derive(Debug, Clone, Default)]
pub struct Runbook {
    pub references: Vec<Reference>,
    pub before: Vec<Check>,
    pub phases: Vec<PhaseSteps>,
    /// The limits every go/no-go gate measures against (`runbook.gates`).
    pub gates: GateLimits,
}

/// What a go/no-go gate measures and when it triggers the rollback: the new side's error rate
/// and p99 latency against the old side's (or against the baseline before an in-place
/// change), held for a soak time, with the time after which a gate not met is a rollback.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct GateLimits {
    /// The most the error rate may rise, in percentage points.
    pub error_rate_increase_pct: f64,
    /// The most the p99 latency may rise, in per cent.
    pub latency_p99_increase_pct: f64,
    /// How long the limits must hold before the next step.
    pub soak_minutes: u32,
    /// How long a gate may go unmet before the rollback starts.
    pub abort_after_minutes: u32,
    /// The share of traffic, in per cent, at each step of a cut-over (the last is 100).
    pub traffic_steps: Vec<u32>,
}

impl GateLimits {
    /// What is out of bounds, in words, for a message: a rise a gate can measure (above 0,
    /// at most 100 points of error rate or 1000% of latency), minutes from 1 to a week, and
    /// traffic steps that rise from above 0 to 100 in at most 10 steps.
    pub fn problems(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        let pct = |v: f64, max: f64| v.is_finite() && v > 0.0 && v <= max;
        if !pct(self.error_rate_increase_pct, 100.0) {
            out.push("`error_rate_increase_pct` must be above 0 and at most 100");
        }
        if !pct(self.latency_p99_increase_pct, 1000.0) {
            out.push("`latency_p99_increase_pct` must be above 0 and at most 1000");
        }
        let week = 1..=10_080;
        if !week.contains(&self.soak_minutes) || !week.contains(&self.abort_after_minutes) {
            out.push("`soak_minutes` and `abort_after_minutes` must be from 1 to 10080 (a week)");
        }
        let steps = &self.traffic_steps;
        if steps.is_empty()
            || steps.len() > 10
            || steps.windows(2).any(|w| w[0] >= w[1])
            || steps.first().is_some_and(|&s| s == 0)
            || steps.last() != Some(&100)
        {
            out.push("`traffic_steps` must rise from above 0 to 100 in at most 10 steps");
        }
        out
    }
}

impl Default for GateLimits {
    fn default() -> Self {
        GateLimits {
            error_rate_increase_pct: 0.5,
            latency_p99_increase_pct: 20.0,
            soak_minutes: 60,
            abort_after_minutes: 30,
            traffic_steps: vec![5, 25, 50, 100],
        }
    }
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
    /// When the texts apply (a platform's own commands and links); always without one.
    pub when: Option<Condition>,
    pub see: Vec<String>,
    pub pre_checks: Vec<Step>,
    pub change: Vec<Step>,
    pub validation: Vec<Step>,
    pub go_no_go: Vec<Step>,
    pub rollback: Vec<Step>,
}

impl Runbook {
    /// The texts for a phase given the answers: only entries whose `when` holds for them
    /// count; an entry for its layer wins over one for any layer; the first matching entry of
    /// each is used.
    pub fn steps_when<'a>(
        &self,
        kind: PhaseKind,
        layer: Option<&str>,
        strategy: Strategy,
        answer: AnswerLookup<'a, '_>,
    ) -> Option<&PhaseSteps> {
        let fits = |p: &&PhaseSteps| {
            p.kind == kind
                && (p.strategies.is_empty() || p.strategies.contains(&strategy))
                && p.when.as_ref().is_none_or(|w| w.holds(answer))
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
            when: None,
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
                .steps_when(PhaseKind::Wave, layer, strategy, &|_| None)
                .map(|p| p.change[0].text.as_str())
        };
        assert_eq!(text(Some("pools"), Strategy::Hybrid), Some("pools"));
        assert_eq!(text(Some("pools"), Strategy::BlueGreen), Some("green"));
        assert_eq!(text(Some("other"), Strategy::Hybrid), Some("any"));
        assert_eq!(
            runbook
                .steps_when(PhaseKind::Build, None, Strategy::Hybrid, &|_| None)
                .map(|p| p.kind),
            None
        );
    }

    #[test]
    fn only_entries_whose_condition_holds_count() {
        use crate::checklist::value::AnswerValue;
        let on = |platform: &str| Condition::OneOf {
            question: "platform".into(),
            values: vec![platform.into()],
            negate: false,
            says: None,
        };
        let with = |mut e: PhaseSteps, platform: &str| {
            e.when = Some(on(platform));
            e
        };
        let in_place = |layer, text| entry(PhaseKind::InPlace, layer, &[], text);
        let runbook = Runbook {
            phases: vec![
                with(in_place(Some("cp"), "eks cp"), "eks"),
                with(in_place(None, "aks any"), "aks"),
                in_place(None, "generic"),
                with(in_place(None, "gke never"), "gke"),
                with(in_place(Some("cp"), "gke cp"), "gke"),
            ],
            ..Runbook::default()
        };
        let text = |layer, platform: Option<&str>| {
            let answer = platform.map(|p| AnswerValue::Choice(p.to_string()));
            let lookup = |q: &str| (q == "platform").then_some(answer.as_ref()).flatten();
            runbook
                .steps_when(PhaseKind::InPlace, layer, Strategy::Sequential, &lookup)
                .map(|p| p.change[0].text.clone())
        };
        // The layer's own entry for the platform wins; another platform's never shows.
        assert_eq!(text(Some("cp"), Some("eks")).as_deref(), Some("eks cp"));
        assert_eq!(text(Some("cp"), Some("gke")).as_deref(), Some("gke cp"));
        // No layer entry holds: the first holding entry for any layer, in order.
        assert_eq!(text(Some("cp"), Some("aks")).as_deref(), Some("aks any"));
        assert_eq!(text(Some("pools"), Some("gke")).as_deref(), Some("generic"));
        assert_eq!(text(None, Some("kubeadm")).as_deref(), Some("generic"));
        // Unanswered: only the entries without a condition.
        assert_eq!(text(Some("cp"), None).as_deref(), Some("generic"));
        assert_eq!(
            runbook
                .steps_when(
                    PhaseKind::InPlace,
                    Some("cp"),
                    Strategy::Sequential,
                    &|_| None,
                )
                .map(|p| p.change[0].text.as_str()),
            Some("generic")
        );
    }
}
