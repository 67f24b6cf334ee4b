//! From the raw file to a [`Checklist`]: every fault is collected with its place in the file,
//! so a broken custom checklist is reported all at once.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::raw::{self, RawChecklist, RawCondition, RawKind, RawQuestion};
use super::*;
use crate::diagnostic::{Diagnostic, find_key_line, find_line_containing};
use crate::strategy::{Strategy, Toward};
use crate::version::Version;

/// The largest weight a lean may carry, so no sum of weights can overflow.
pub const MAX_WEIGHT: u32 = 1000;
/// The largest margin or confidence threshold a checklist may set.
pub const MAX_THRESHOLD: i64 = 1_000_000;

pub(super) struct Validator<'s> {
    source: &'s str,
    /// Choice contexts, checked once every question is known: (question, choice value, raw, at).
    contexts: Vec<(usize, String, raw::RawContext, String)>,
    /// Choices already reported as broken (`question/value`), so references to them do not
    /// cascade into more problems.
    broken_choices: HashSet<String>,
    pub(super) problems: Vec<Diagnostic>,
    /// Question id -> index into `questions`.
    ids: HashMap<String, usize>,
    questions: Vec<Question>,
}

impl<'s> Validator<'s> {
    pub(super) fn new(source: &'s str) -> Self {
        Validator {
            source,
            problems: Vec::new(),
            contexts: Vec::new(),
            broken_choices: HashSet::new(),
            ids: HashMap::new(),
            questions: Vec::new(),
        }
    }

    fn problem(&mut self, at: String, needle: &str, message: String, fix: &str) {
        let line = find_line_containing(self.source, needle, 0);
        self.problems
            .push(Diagnostic::new(message).at(at).line(line).fix(fix));
    }

    pub(super) fn checklist(&mut self, mut raw: RawChecklist) -> Checklist {
        let mut sections = Vec::new();
        let mut raw_sections_ids = HashSet::new();
        let mut conditions = Vec::new();
        for (si, section) in raw.sections.into_iter().enumerate() {
            if !raw_sections_ids.insert(section.id.clone()) {
                self.problem(
                    format!("sections[{si}]"),
                    &format!("id: {}", section.id),
                    format!("section id `{}` is used twice", section.id),
                    "give every section its own id",
                );
            }
            let start = self.questions.len();
            for (qi, question) in section.questions.into_iter().enumerate() {
                let at = format!("sections[{si}].questions[{qi}] ({})", question.id);
                conditions.extend(self.question(question, si, at));
            }
            sections.push(Section {
                id: section.id,
                title: section.title,
                description: section.description,
                questions: start..self.questions.len(),
            });
        }
        // Conditions may only read earlier questions, so the order of asking is well defined.
        let had_problems = self.problems.len();
        for (index, raw, at) in conditions {
            let asker = self.questions[index].id.clone();
            let when = self.condition(raw, &at, Some(&asker));
            self.questions[index].when = Some(when);
        }
        for (index, value, raw, at) in std::mem::take(&mut self.contexts) {
            let when = self.condition(raw.when, &format!("{at}.context.when"), None);
            let needle = format!("id: {}", self.questions[index].id);
            self.weight(
                raw.otherwise.weight,
                &format!("{at}.context.otherwise"),
                &needle,
            );
            let context = Context {
                when,
                otherwise: Lean {
                    toward: raw.otherwise.leans,
                    weight: raw.otherwise.weight,
                },
                otherwise_reason: raw.otherwise.reason.trim().to_string(),
            };
            if let QuestionKind::Choice { choices, .. } = &mut self.questions[index].kind
                && let Some(choice) = choices.iter_mut().find(|c| c.value == value)
            {
                choice.context = Some(context);
            }
        }
        if self.problems.len() == had_problems {
            for index in unreachable(&self.questions, &self.ids) {
                let q = &self.questions[index];
                let condition = q.when.as_ref().map(Condition::describe).unwrap_or_default();
                let at = format!("sections[{}] question `{}`.when", q.section, q.id);
                let needle = format!("id: {}", q.id);
                self.problem(
                    at,
                    &needle,
                    format!("no answers can ever make `{condition}` hold, so the question is never asked"),
                    "correct the condition, or remove the question",
                );
            }
        }
        if self.questions.is_empty() {
            self.problems.push(
                Diagnostic::new("the checklist has no questions")
                    .at("sections")
                    .fix("add at least one section with questions"),
            );
        }
        let named = [
            (
                "layer",
                raw.layers.iter().map(|l| l.id.as_str()).collect::<Vec<_>>(),
            ),
            (
                "signal",
                raw.signals.iter().map(|x| x.id.as_str()).collect(),
            ),
            ("gate", raw.gates.iter().map(|x| x.id.as_str()).collect()),
            (
                "blocker",
                raw.blockers.iter().map(|x| x.id.as_str()).collect(),
            ),
        ];
        for (kind, ids) in named {
            let mut seen = HashSet::new();
            for id in ids {
                if !seen.insert(id) {
                    self.problem(
                        format!("{kind}s"),
                        &format!("id: {id}"),
                        format!("{kind} id `{id}` is used twice"),
                        &format!("give every {kind} its own id"),
                    );
                }
            }
        }
        let bindings = self.bindings(raw.bindings);
        let evidence = self.evidence(raw.evidence);
        let layers = raw
            .layers
            .into_iter()
            .enumerate()
            .map(|(i, l)| self.layer(i, l))
            .collect::<Vec<_>>();
        if layers
            .iter()
            .filter(|l| l.role == LayerRole::Workload)
            .count()
            != 1
        {
            self.problems.push(
                Diagnostic::new("there must be exactly one layer with `role: workload`")
                    .at("layers")
                    .line(find_key_line(self.source, "layers", 0))
                    .fix("add one layer for the workload clusters with `role: workload`"),
            );
        }
        let signals = raw
            .signals
            .into_iter()
            .enumerate()
            .map(|(i, s)| self.signal(i, s))
            .collect();
        let gates = raw
            .gates
            .into_iter()
            .enumerate()
            .map(|(i, g)| {
                let at = format!("gates[{i}] ({})", g.id);
                if g.rules_out.contains(&Strategy::Sequential) {
                    self.problem(
                        at.clone(),
                        &format!("id: {}", g.id),
                        "a gate cannot rule out sequential: it is the fallback when the others are ruled out".into(),
                        "remove sequential from `rules_out`",
                    );
                }
                let when = self.condition(g.when, &format!("{at}.when"), None);
                Gate {
                    need: g.need.unwrap_or_else(|| g.id.replace('-', " ")),
                    id: g.id,
                    rules_out: g.rules_out,
                    when,
                    reason: g.reason.trim().to_string(),
                    action: g.action.map(|a| a.trim().to_string()),
                }
            })
            .collect();
        let blockers = raw
            .blockers
            .into_iter()
            .enumerate()
            .map(|(i, b)| {
                let at = format!("blockers[{i}] ({})", b.id);
                self.reference(&b.question, &format!("{at}.question"));
                let when = self.condition(b.when, &format!("{at}.when"), None);
                BlockerRule {
                    need: b.need.unwrap_or_else(|| b.title.clone()),
                    id: b.id,
                    question: b.question,
                    strategies: b.strategies,
                    when,
                    title: b.title,
                    action: b.action.trim().to_string(),
                }
            })
            .collect();
        let text = |t: raw::RawStrategyText| StrategyText {
            name: t.name,
            summary: t.summary.trim().to_string(),
            next_steps: t.next_steps,
        };
        let strategies = BTreeMap::from([
            (Strategy::Sequential, text(raw.strategies.sequential)),
            (Strategy::BlueGreen, text(raw.strategies.blue_green)),
            (Strategy::Hybrid, text(raw.strategies.hybrid)),
        ]);
        self.bounds(&raw.decision, &raw.calendar);
        let restarts_tolerated = raw
            .decision
            .restarts_tolerated
            .take()
            .map(|c| self.condition(c, "decision.restarts_tolerated", None));
        if raw.decision.confidence.high < raw.decision.confidence.medium {
            self.problem(
                "decision.confidence".into(),
                "confidence:",
                "`high` must be at least `medium`".into(),
                "raise `high` or lower `medium`",
            );
        }
        let index = self
            .questions
            .iter()
            .enumerate()
            .map(|(i, q)| (q.id.clone(), i))
            .collect();
        Checklist {
            id: raw.id,
            version: raw.version,
            title: raw.title,
            description: raw.description.trim().to_string(),
            sections,
            questions: std::mem::take(&mut self.questions),
            index,
            bindings,
            decision: Decision {
                blue_green_margin: raw.decision.blue_green_margin,
                confidence_high: raw.decision.confidence.high,
                confidence_medium: raw.decision.confidence.medium,
                low_with_unknowns: raw.decision.confidence.low_with_unknowns.max(1),
                restarts_tolerated,
            },
            strategies,
            calendar: CalendarParams {
                blue_green_build_changes: raw.calendar.blue_green_build_changes,
                blue_green_decommission_changes: raw.calendar.blue_green_decommission_changes,
                hybrid_decommission_changes: raw.calendar.hybrid_decommission_changes,
                rollback_windows: raw.calendar.rollback_windows,
            },
            layers,
            signals,
            gates,
            blockers,
            evidence,
        }
    }

    fn evidence(&mut self, raw: raw::RawEvidenceBindings) -> EvidenceBindings {
        let bound = [
            ("deprecated_apis", &raw.deprecated_apis),
            ("pdbs_and_probes", &raw.pdbs_and_probes),
            ("stateful_workloads", &raw.stateful_workloads),
            ("pod_autoscaling", &raw.pod_autoscaling),
        ];
        for (concept, question) in bound {
            let Some(id) = question else { continue };
            let at = format!("evidence.{concept}");
            if !self.reference(id, &at) {
                continue;
            }
            let needed = EVIDENCE_VALUES
                .iter()
                .find(|(c, _)| *c == concept)
                .map_or(&[][..], |(_, v)| *v);
            let choices: Vec<String> = self.questions[self.ids[id.as_str()]]
                .choices()
                .iter()
                .map(|c| c.value.clone())
                .collect();
            let missing: Vec<&str> = needed
                .iter()
                .copied()
                .filter(|v| !choices.iter().any(|c| c == v))
                .collect();
            if !missing.is_empty() {
                self.problem(
                    at,
                    concept,
                    format!(
                        "`{id}` lacks the choices evidence can answer: {}",
                        missing.join(", ")
                    ),
                    &format!(
                        "bind `{concept}` to a choice question with the choices {}",
                        needed.join(", ")
                    ),
                );
            }
        }
        EvidenceBindings {
            deprecated_apis: raw.deprecated_apis,
            pdbs_and_probes: raw.pdbs_and_probes,
            stateful_workloads: raw.stateful_workloads,
            pod_autoscaling: raw.pod_autoscaling,
        }
    }

    /// Validates a question, except its condition, which is returned to be checked once every
    /// question is known.
    fn question(
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
        });
        when.map(|c| (index, c, format!("{at}.when")))
    }

    fn choices(&mut self, raw: &RawQuestion, at: &str, yes_no: bool) -> Vec<Choice> {
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
            out.push(Choice {
                label: c.label.clone().unwrap_or_else(|| c.value.clone()),
                value: c.value.clone(),
                lean: Lean { toward, weight },
                reason: reason.trim().to_string(),
                risk,
                windows_per_year: c.windows_per_year,
                unknown,
                context: None,
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
    fn order(&mut self, raw: &RawQuestion, kind: &QuestionKind, at: &str, needle: &str) {
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

    fn default_value(
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

    /// Checks that a question id exists. Returns whether it does.
    fn reference(&mut self, id: &str, at: &str) -> bool {
        if self.ids.contains_key(id) {
            return true;
        }
        let suggestion = crate::suggest::did_you_mean(id, self.ids.keys().map(String::as_str));
        self.problem(
            at.to_string(),
            id,
            format!("names the question `{id}`, which does not exist"),
            &suggestion.map_or(
                "name one of the checklist's question ids".to_string(),
                |s| format!("did you mean `{s}`?"),
            ),
        );
        false
    }

    /// Validates a condition. With `asker`, only questions before it may be read.
    fn condition(&mut self, raw: RawCondition, at: &str, asker: Option<&str>) -> Condition {
        let RawCondition {
            question,
            equals,
            one_of,
            not_one_of,
            answered,
            all,
            any,
            fact,
            above,
            says,
        } = raw;
        let forms = [
            question.is_some(),
            all.is_some(),
            any.is_some(),
            fact.is_some(),
        ]
        .iter()
        .filter(|x| **x)
        .count();
        if forms != 1 {
            self.problem(
                at.to_string(),
                "when:",
                "a condition needs exactly one of `question`, `fact`, `all` or `any`".into(),
                "write `{ question: ID, equals: VALUE }`, `{ fact: removed_apis, above: 0 }`, `all: [...]` or `any: [...]`",
            );
            return Condition::All(Vec::new());
        }
        if let Some(fact) = fact {
            if asker.is_some() {
                self.problem(
                    at.to_string(),
                    fact.name(),
                    "a question's condition cannot read a computed fact".into(),
                    "use facts in gates, blockers, choice contexts and the decision only",
                );
            }
            let Some(above) = above else {
                self.problem(
                    at.to_string(),
                    fact.name(),
                    format!("the test on the fact `{}` needs `above: N`", fact.name()),
                    "add `above: 0` (holds when the fact is at least 1)",
                );
                return Condition::All(Vec::new());
            };
            return Condition::Fact { fact, above, says };
        }
        if above.is_some() {
            self.problem(
                at.to_string(),
                "above:",
                "`above` goes with `fact`".into(),
                "write `{ fact: removed_apis, above: 0 }`, or compare a question with `equals`",
            );
        }
        if let Some(any) = any {
            let inner = any
                .into_iter()
                .enumerate()
                .map(|(i, c)| self.condition(c, &format!("{at}.any[{i}]"), asker))
                .collect();
            return Condition::Any(inner);
        }
        if let Some(all) = all {
            let inner = all
                .into_iter()
                .enumerate()
                .map(|(i, c)| self.condition(c, &format!("{at}.all[{i}]"), asker))
                .collect();
            return Condition::All(inner);
        }
        let question = question.unwrap_or_default();
        let tests = [
            equals.is_some(),
            one_of.is_some(),
            not_one_of.is_some(),
            answered.is_some(),
        ]
        .iter()
        .filter(|x| **x)
        .count();
        if tests != 1 {
            self.problem(
                at.to_string(),
                &question,
                format!("the test on `{question}` needs exactly one of `equals`, `one_of`, `not_one_of` or `answered`"),
                "keep one test per condition; combine several with `all` or `any`",
            );
        }
        if !self.reference(&question, &format!("{at}.question")) {
            return Condition::All(Vec::new());
        }
        if let Some(asker) = asker
            && self.ids[&question] >= self.ids[asker]
        {
            self.problem(
                at.to_string(),
                &question,
                format!(
                    "the condition of `{asker}` reads `{question}`, which is not asked before it"
                ),
                "a question's condition may only read questions that come earlier in the checklist",
            );
        }
        if let Some(answered) = answered {
            return Condition::Answered { question, answered };
        }
        let (values, negate) = match (equals, one_of, not_one_of) {
            (Some(v), _, _) => (vec![v], false),
            (_, Some(v), _) => (v, false),
            (_, _, Some(v)) => (v, true),
            _ => (Vec::new(), false),
        };
        let target = &self.questions[self.ids[&question]];
        let known: Vec<String> = target.choices().iter().map(|c| c.value.clone()).collect();
        if !matches!(target.kind, QuestionKind::Choice { .. }) {
            self.problem(
                at.to_string(),
                &question,
                format!("`{question}` is a {} question; only choice questions can be compared to values", target.kind.name()),
                "compare a choice question, or test `answered: true`",
            );
        } else {
            for value in &values {
                if !known.contains(value)
                    && !self.broken_choices.contains(&format!("{question}/{value}"))
                {
                    self.problem(
                        at.to_string(),
                        &question,
                        format!(
                            "`{value}` is not a choice of `{question}` (choices: {})",
                            known.join(", ")
                        ),
                        "use one of the question's choice values",
                    );
                }
            }
        }
        Condition::OneOf {
            question,
            values,
            negate,
            says,
        }
    }

    /// Checks one weight against [`MAX_WEIGHT`].
    fn weight(&mut self, weight: u32, at: &str, needle: &str) {
        if weight > MAX_WEIGHT {
            self.problem(
                at.to_string(),
                needle,
                format!("the weight {weight} is larger than {MAX_WEIGHT}"),
                &format!("use weights from 0 to {MAX_WEIGHT}; only their ratios matter"),
            );
        }
    }

    /// Checks that the decision's thresholds and the calendar's counts are in range.
    fn bounds(&mut self, decision: &raw::RawDecision, calendar: &raw::RawCalendar) {
        let thresholds = [
            ("blue_green_margin", decision.blue_green_margin),
            ("confidence.high", decision.confidence.high),
            ("confidence.medium", decision.confidence.medium),
        ];
        for (name, value) in thresholds {
            if value.abs() > MAX_THRESHOLD {
                self.problem(
                    format!("decision.{name}"),
                    name.rsplit('.').next().unwrap_or(name),
                    format!("{value} is out of range"),
                    &format!("use a number from -{MAX_THRESHOLD} to {MAX_THRESHOLD}"),
                );
            }
        }
        let counts = [
            (
                "blue_green_build_changes",
                calendar.blue_green_build_changes,
            ),
            (
                "blue_green_decommission_changes",
                calendar.blue_green_decommission_changes,
            ),
            (
                "hybrid_decommission_changes",
                calendar.hybrid_decommission_changes,
            ),
            ("rollback_windows", calendar.rollback_windows),
        ];
        for (name, value) in counts {
            if value > 100 {
                self.problem(
                    format!("calendar.{name}"),
                    name,
                    format!("{value} is more than 100 changes or windows"),
                    "use a number from 0 to 100",
                );
            }
        }
    }

    fn bindings(&mut self, raw: raw::RawBindings) -> Bindings {
        let expect = [
            ("current_version", &raw.current_version, "version"),
            ("target_version", &raw.target_version, "version"),
            ("cluster_count", &raw.cluster_count, "integer"),
            ("change_window", &raw.change_window, "choice"),
            ("changes_per_window", &raw.changes_per_window, "integer"),
            ("clusters_per_window", &raw.clusters_per_window, "integer"),
        ];
        for (concept, id, kind) in expect {
            let at = format!("bindings.{concept}");
            if !self.reference(id, &at) {
                continue;
            }
            let question = &self.questions[self.ids[id.as_str()]];
            let actual = question.kind.name();
            let needs_windows = concept == "change_window"
                && question
                    .choices()
                    .iter()
                    .any(|c| c.windows_per_year.is_none());
            if actual != kind {
                self.problem(
                    at,
                    concept,
                    format!(
                        "`{id}` is a {actual} question, but `{concept}` needs a {kind} question"
                    ),
                    &format!("bind `{concept}` to a {kind} question"),
                );
            } else if needs_windows {
                self.problem(
                    at,
                    concept,
                    format!("every choice of `{id}` needs `windows_per_year` for the calendar"),
                    "add `windows_per_year: N` to each choice",
                );
            } else if matches!(
                concept,
                "current_version" | "target_version" | "cluster_count"
            ) && (!question.required || question.when.is_some())
            {
                self.problem(
                    at,
                    concept,
                    format!("`{id}` must always be asked and answered: the engine cannot work without it"),
                    "remove `required: false` and `when` from that question",
                );
            }
        }
        Bindings {
            current_version: raw.current_version,
            target_version: raw.target_version,
            cluster_count: raw.cluster_count,
            change_window: raw.change_window,
            changes_per_window: raw.changes_per_window,
            clusters_per_window: raw.clusters_per_window,
        }
    }

    fn layer(&mut self, index: usize, raw: raw::RawLayer) -> Layer {
        let at = format!("layers[{index}] ({})", raw.id);
        if raw.role == LayerRole::Shared {
            for (key, id) in [("from", &raw.from), ("to", &raw.to)] {
                match id {
                    Some(id) => {
                        if self.reference(id, &format!("{at}.{key}")) {
                            let q = &self.questions[self.ids[id.as_str()]];
                            if !matches!(q.kind, QuestionKind::Version) {
                                self.problem(
                                    format!("{at}.{key}"),
                                    id,
                                    format!("`{id}` is not a version question"),
                                    "name a question with `type: version`",
                                );
                            }
                        }
                    }
                    None => self.problem(
                        at.clone(),
                        &format!("id: {}", raw.id),
                        format!("a shared layer needs `{key}`: the question holding its version"),
                        &format!("add `{key}: QUESTION_ID`"),
                    ),
                }
            }
        } else if raw.from.is_some() || raw.to.is_some() {
            self.problem(
                at.clone(),
                &format!("id: {}", raw.id),
                "only shared layers take `from` and `to`; the others' versions come from `bindings`".into(),
                "remove `from` and `to` from this layer",
            );
        }
        if raw.max_skew.is_some() && raw.role != LayerRole::ControlPlane {
            self.problem(
                at.clone(),
                &format!("id: {}", raw.id),
                "only a control-plane layer takes `max_skew`".into(),
                "remove `max_skew`, or make the layer `role: control-plane`",
            );
        }
        if raw.max_skew == Some(0) {
            self.problem(
                at.clone(),
                &format!("id: {}", raw.id),
                "`max_skew` must be at least 1".into(),
                "use the number of minors nodes may lag behind the control plane (3 for current Kubernetes)",
            );
        }
        Layer {
            id: raw.id,
            name: raw.name,
            role: raw.role,
            from: raw.from,
            to: raw.to,
            steps: raw.steps.unwrap_or(Steps::Minor),
            max_skew: raw.max_skew,
            notes: BTreeMap::from([
                (Strategy::Sequential, raw.notes.sequential),
                (Strategy::BlueGreen, raw.notes.blue_green),
                (Strategy::Hybrid, raw.notes.hybrid),
            ]),
        }
    }

    fn signal(&mut self, index: usize, raw: raw::RawSignal) -> Signal {
        let at = format!("signals[{index}] ({})", raw.id);
        self.reference(&raw.question, &format!("{at}.question"));
        let mut previous = f64::NEG_INFINITY;
        let count = raw.bands.len();
        let mut bands = Vec::new();
        for (bi, band) in raw.bands.into_iter().enumerate() {
            let last = bi + 1 == count;
            match band.up_to {
                Some(limit) if last => self.problem(
                    format!("{at}.bands[{bi}]"),
                    &format!("up_to: {limit}"),
                    "the last band must have no `up_to`, so every value falls in a band".into(),
                    "remove `up_to` from the last band",
                ),
                None if !last => self.problem(
                    format!("{at}.bands[{bi}]"),
                    &format!("id: {}", raw.id),
                    "only the last band may leave out `up_to`".into(),
                    "give this band an `up_to` limit",
                ),
                Some(limit) if limit <= previous => self.problem(
                    format!("{at}.bands[{bi}]"),
                    &format!("up_to: {limit}"),
                    "band limits must increase".into(),
                    "order the bands by `up_to`",
                ),
                _ => {}
            }
            previous = band.up_to.unwrap_or(previous);
            self.weight(
                band.weight,
                &format!("{at}.bands[{bi}]"),
                &format!("id: {}", raw.id),
            );
            bands.push(Band {
                up_to: band.up_to,
                lean: Lean {
                    toward: band.leans,
                    weight: band.weight,
                },
                reason: band.reason,
            });
        }
        if bands.is_empty() {
            self.problem(
                at.clone(),
                &format!("id: {}", raw.id),
                "a signal needs at least one band".into(),
                "add `bands:`",
            );
        }
        Signal {
            id: raw.id,
            measure: raw.measure,
            question: raw.question,
            bands,
        }
    }
}

/// Questions whose condition no answers can satisfy. Conditions read only earlier questions,
/// so one pass in order settles each question, trying every value of the questions it reads
/// (and leaving them unanswered where that can happen).
fn unreachable(questions: &[Question], ids: &HashMap<String, usize>) -> Vec<usize> {
    const MAX_COMBINATIONS: usize = 4096;
    let mut reachable = vec![true; questions.len()];
    let mut out = Vec::new();
    for (index, question) in questions.iter().enumerate() {
        let Some(condition) = &question.when else {
            continue;
        };
        let mut read: Vec<&str> = condition.questions();
        read.sort_unstable();
        read.dedup();
        let options: Vec<(&str, Vec<Option<AnswerValue>>)> = read
            .iter()
            .map(|id| {
                let r = ids[*id];
                let q = &questions[r];
                let mut values: Vec<Option<AnswerValue>> = Vec::new();
                if reachable[r] {
                    match &q.kind {
                        QuestionKind::Choice { choices, .. } => {
                            values.extend(
                                choices
                                    .iter()
                                    .map(|c| Some(AnswerValue::Choice(c.value.clone()))),
                            );
                        }
                        QuestionKind::Integer { min, .. } => {
                            values.push(Some(AnswerValue::Integer(*min)))
                        }
                        QuestionKind::Version => {
                            values.push(Some(AnswerValue::Version(Version::new(1, 0))))
                        }
                    }
                }
                if !reachable[r] || !q.required || q.when.is_some() {
                    values.push(None);
                }
                (*id, values)
            })
            .collect();
        let combinations: usize = options.iter().map(|(_, v)| v.len()).product();
        if combinations > MAX_COMBINATIONS {
            continue;
        }
        let satisfiable = (0..combinations).any(|mut n| {
            let assignment: HashMap<&str, &AnswerValue> = options
                .iter()
                .filter_map(|(id, values)| {
                    let value = values[n % values.len()].as_ref();
                    n /= values.len();
                    value.map(|v| (*id, v))
                })
                .collect();
            condition.holds(&|id: &str| assignment.get(id).copied())
        });
        if !satisfiable {
            reachable[index] = false;
            out.push(index);
        }
    }
    out
}
