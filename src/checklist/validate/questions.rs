//! Questions, their choices, order and defaults.

use std::collections::HashSet;

use super::super::raw::{RawCondition, RawKind, RawQuestion};
use super::Validator;
use crate::checklist::model::*;
use crate::checklist::strategy::Toward;
use crate::checklist::value::AnswerValue;
use crate::kube::version::Version;

impl Validator<'_> {
    pub(in crate::checklist) fn question(
        &mut self,
        mut raw: RawQuestion,
        section: usize,
        at: String,
    ) -> Option<(usize, RawCondition, String)> {
        let when = raw.when.take();
        let needle = format!("id: {}", raw.id);
        if self.ids.contains_key(&raw.id) {
            self.problem(
                at.clone(),
                &needle,
                format!("question id `{}` is used twice", raw.id),
                "give every question its own id",
            );
        }
        if raw.help.trim().is_empty() {
            self.problem(
                at.clone(),
                &needle,
                "the question has no help text".into(),
                "add `help:` explaining why the question matters",
            );
        }
        let index = self.questions.len();
        for (ci, choice) in raw.choices.iter_mut().enumerate() {
            if let Some(context) = choice.context.take() {
                let at = format!("{at}.choices[{ci}] ({})", choice.value);
                self.contexts
                    .push((index, choice.value.clone(), context, at));
            }
        }
        let kind = match raw.kind {
            RawKind::Choice | RawKind::YesNo => {
                let yes_no = raw.kind == RawKind::YesNo;
                let choices = self.choices(&raw, &at, yes_no);
                QuestionKind::Choice { choices, yes_no }
            }
            RawKind::Integer => QuestionKind::Integer {
                min: raw.min.unwrap_or(0),
                max: raw.max,
            },
            RawKind::Version => QuestionKind::Version,
        };
        if !matches!(kind, QuestionKind::Choice { .. }) && !raw.choices.is_empty() {
            self.problem(
                at.clone(),
                &needle,
                format!("a {} question cannot have choices", kind.name()),
                "remove `choices` or make it `type: choice`",
            );
        }
        let default = match (&raw.default, &raw.default_from) {
            (Some(_), Some(_)) => {
                self.problem(
                    at.clone(),
                    &needle,
                    "`default` and `default_from` cannot both be set".into(),
                    "keep one of them",
                );
                None
            }
            (Some(value), None) => self.default_value(value, &kind, &at, &needle),
            (None, Some(from)) => {
                if self.reference(from, &format!("{at}.default_from")) {
                    Some(DefaultValue::FromQuestion(from.clone()))
                } else {
                    None
                }
            }
            (None, None) => None,
        };
        self.order(&raw, &kind, &at, &needle);
        let example = match (&raw.example, &kind) {
            (Some(text), QuestionKind::Version)
                if text.parse::<crate::kube::version::Version>().is_ok() =>
            {
                Some(text.clone())
            }
            (Some(text), QuestionKind::Version) => {
                self.problem(
                    format!("{at}.example"),
                    &needle,
                    format!("`{text}` is not a version"),
                    "write the example as a version such as \"3.1\"",
                );
                None
            }
            (Some(_), _) => {
                self.problem(
                    format!("{at}.example"),
                    &needle,
                    "only a version question takes an `example`".into(),
                    "remove `example`",
                );
                None
            }
            (None, _) => None,
        };
        let required = raw.required.unwrap_or(true);
        self.ids.insert(raw.id.clone(), index);
        self.questions.push(Question {
            id: raw.id,
            section,
            prompt: raw.prompt,
            help: raw.help.trim().to_string(),
            kind,
            required,
            default,
            when: None,
            order: raw.order,
            example,
        });
        when.map(|c| (index, c, format!("{at}.when")))
    }

    pub(in crate::checklist) fn choices(
        &mut self,
        raw: &RawQuestion,
        at: &str,
        yes_no: bool,
    ) -> Vec<Choice> {
        let needle = format!("id: {}", raw.id);
        if raw.choices.is_empty() {
            self.problem(
                at.to_string(),
                &needle,
                "a choice question needs `choices`".into(),
                "list the allowed values under `choices:`",
            );
        }
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for (ci, c) in raw.choices.iter().enumerate() {
            let cat = format!("{at}.choices[{ci}] ({})", c.value);
            if !seen.insert(c.value.clone()) {
                self.problem(
                    cat.clone(),
                    &needle,
                    format!("choice `{}` is listed twice", c.value),
                    "remove the duplicate",
                );
            }
            let (Some(toward), Some(weight)) = (c.leans, c.weight) else {
                self.broken_choices
                    .insert(format!("{}/{}", raw.id, c.value));
                self.problem(
                    cat,
                    &needle,
                    "the choice has no lean: scoring needs `leans` and `weight`".into(),
                    "add `leans: blue-green|sequential|neutral` and `weight: N`",
                );
                continue;
            };
            self.weight(weight, &cat, &needle);
            let unknown = c.unknown.unwrap_or(c.value == "unknown");
            if unknown && (toward != Toward::Neutral || weight != 0) {
                self.problem(
                    cat.clone(),
                    &needle,
                    "an unknown answer is not evidence, so it cannot lean".into(),
                    "give it `leans: neutral` and `weight: 0`; its risk and mitigation say what to find out",
                );
            }
            let reason = c.reason.clone().unwrap_or_default();
            if reason.trim().is_empty() {
                self.problem(
                    cat.clone(),
                    &needle,
                    "the choice has no `reason`, which reports show as its driver".into(),
                    "add a one-line `reason`",
                );
            }
            let risk = match (&c.risk, &c.mitigation) {
                (Some(risk), Some(mitigation)) => Some(Risk {
                    description: risk.trim().to_string(),
                    mitigation: mitigation.trim().to_string(),
                    strategies: c.risk_for.clone().unwrap_or_default(),
                }),
                (None, None) => None,
                _ => {
                    self.problem(
                        cat.clone(),
                        &needle,
                        "`risk` and `mitigation` go together".into(),
                        "give both, or neither",
                    );
                    None
                }
            };
            let rollback = c.rollback.as_ref().map(|r| {
                for (key, text) in [("before", &r.before), ("how", &r.how)] {
                    if text.trim().is_empty() {
                        self.problem(
                            cat.clone(),
                            &needle,
                            format!("`rollback.{key}` is empty"),
                            "say in one line what to do, or leave `rollback` out",
                        );
                    }
                }
                DataRollback {
                    before: r.before.trim().to_string(),
                    how: r.how.trim().to_string(),
                    point_of_no_return: r.point_of_no_return,
                }
            });
            out.push(Choice {
                label: c.label.clone().unwrap_or_else(|| c.value.clone()),
                value: c.value.clone(),
                lean: Lean { toward, weight },
                reason: reason.trim().to_string(),
                risk,
                windows_per_year: c.windows_per_year,
                unknown,
                context: None,
                rollback,
            });
        }
        if yes_no {
            let mut values: Vec<&str> = raw.choices.iter().map(|c| c.value.as_str()).collect();
            values.sort_unstable();
            if values != ["no", "yes"] {
                self.problem(
                    at.to_string(),
                    &needle,
                    "a yes-no question has exactly the choices `yes` and `no`".into(),
                    "list `yes` and `no` (quoted) under `choices`, or use `type: choice`",
                );
            }
        }
        out
    }

    /// Checks `order`: every entry a choice, once, and the leans never fall back toward
    /// Sequential along it (the property tests walk it).
    pub(in crate::checklist) fn order(
        &mut self,
        raw: &RawQuestion,
        kind: &QuestionKind,
        at: &str,
        needle: &str,
    ) {
        if raw.order.is_empty() {
            return;
        }
        let QuestionKind::Choice { choices, .. } = kind else {
            self.problem(
                format!("{at}.order"),
                needle,
                "only choice questions take an `order`".into(),
                "remove `order`",
            );
            return;
        };
        let mut previous: Option<(&str, i64)> = None;
        let mut seen = HashSet::new();
        for value in &raw.order {
            if !raw.choices.iter().any(|c| &c.value == value) {
                self.problem(
                    format!("{at}.order"),
                    needle,
                    format!("`{value}` in `order` is not a choice of `{}`", raw.id),
                    "list only the question's choice values",
                );
                return;
            }
            // A choice that failed validation (no lean) is reported already.
            let Some(choice) = choices.iter().find(|c| &c.value == value) else {
                continue;
            };
            if !seen.insert(value.as_str()) {
                self.problem(
                    format!("{at}.order"),
                    needle,
                    format!("`{value}` is in `order` twice"),
                    "list each choice once",
                );
                return;
            }
            let signed = match choice.lean.toward {
                Toward::BlueGreen => i64::from(choice.lean.weight),
                Toward::Sequential => -i64::from(choice.lean.weight),
                Toward::Neutral => 0,
            };
            if let Some((before, lean)) = previous
                && signed < lean
            {
                self.problem(
                    format!("{at}.order"),
                    needle,
                    format!("`{value}` leans less toward Blue-Green than `{before}` before it in `order`"),
                    "fix the weights or the order: along `order`, answers may only lean more toward Blue-Green",
                );
            }
            previous = Some((value, signed));
        }
    }

    pub(in crate::checklist) fn default_value(
        &mut self,
        value: &serde_yaml::Value,
        kind: &QuestionKind,
        at: &str,
        needle: &str,
    ) -> Option<DefaultValue> {
        let parsed = match (kind, value) {
            (QuestionKind::Integer { .. }, serde_yaml::Value::Number(n)) => {
                n.as_u64().map(AnswerValue::Integer)
            }
            (QuestionKind::Version, serde_yaml::Value::String(s)) => {
                s.parse::<Version>().ok().map(AnswerValue::Version)
            }
            (QuestionKind::Choice { choices, .. }, value) => {
                let text = match value {
                    serde_yaml::Value::String(s) => Some(s.clone()),
                    serde_yaml::Value::Bool(b) => Some(if *b { "yes" } else { "no" }.to_string()),
                    _ => None,
                };
                text.filter(|t| choices.iter().any(|c| &c.value == t))
                    .map(AnswerValue::Choice)
            }
            _ => None,
        };
        if parsed.is_none() {
            self.problem(
                at.to_string(),
                needle,
                format!(
                    "the default {value:?} is not a valid {} answer",
                    kind.name()
                ),
                "make the default one of the question's allowed values",
            );
        }
        parsed.map(DefaultValue::Value)
    }
}
