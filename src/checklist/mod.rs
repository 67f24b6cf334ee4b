//! The decision checklist: questions, leans, signals, gates and blockers, loaded from YAML
//! and validated once, so that scoring never meets a dangling reference.

mod condition;
mod raw;
mod runbook;
mod text;

use std::collections::{BTreeMap, HashMap, HashSet};

pub use condition::{Condition, Fact, Trigger};
pub use raw::{LayerRole, Measure, Steps};
use raw::{RawChecklist, RawCondition, RawKind, RawQuestion};
pub use runbook::{Check, PhaseSteps, Reference, Runbook, Step};

use crate::answers::AnswerValue;
use crate::diagnostic::{
    Diagnostic, InputError, InputKind, check_nesting, find_key_line, find_line_containing,
    from_yaml_error,
};
use crate::strategy::{Strategy, Toward};
use crate::version::Version;

/// The checklists built into the binary: `(name, YAML)`.
pub const BUILTIN: &[(&str, &str)] = &[
    ("vks", include_str!("../../checklists/vks.yaml")),
    (
        "kubernetes",
        include_str!("../../checklists/kubernetes.yaml"),
    ),
];

/// The checklist used when none is named.
pub const DEFAULT_CHECKLIST: &str = "vks";

/// A validated checklist.
#[derive(Debug, Clone)]
pub struct Checklist {
    pub id: String,
    pub version: String,
    pub title: String,
    pub description: String,
    pub sections: Vec<Section>,
    /// Every question, in the order asked.
    pub questions: Vec<Question>,
    index: HashMap<String, usize>,
    pub bindings: Bindings,
    pub decision: Decision,
    pub strategies: BTreeMap<Strategy, StrategyText>,
    pub calendar: CalendarParams,
    pub layers: Vec<Layer>,
    pub signals: Vec<Signal>,
    pub gates: Vec<Gate>,
    pub blockers: Vec<BlockerRule>,
    /// The questions manifest evidence answers, by concept.
    pub evidence: EvidenceBindings,
    /// Step texts for the runbook (empty when the checklist has none).
    pub runbook: Runbook,
}

/// Which question each kind of manifest evidence answers (`None`: the checklist has none).
#[derive(Debug, Clone, Default)]
pub struct EvidenceBindings {
    pub deprecated_apis: Option<String>,
    pub pdbs_and_probes: Option<String>,
    pub stateful_workloads: Option<String>,
    pub pod_autoscaling: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Section {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    /// Indexes into [`Checklist::questions`].
    pub questions: std::ops::Range<usize>,
}

#[derive(Debug, Clone)]
pub struct Question {
    pub id: String,
    /// Index of the section it belongs to.
    pub section: usize,
    pub prompt: String,
    pub help: String,
    pub kind: QuestionKind,
    pub required: bool,
    pub default: Option<DefaultValue>,
    /// When the question applies; `None` means always.
    pub when: Option<Condition>,
    /// Choices from the most Sequential-leaning to the most Blue-Green-leaning; their weights
    /// never lean less toward Blue-Green along it. Empty when the choices have no order.
    pub order: Vec<String>,
}

#[derive(Debug, Clone)]
pub enum QuestionKind {
    /// One of a list of values; `yes_no` questions have exactly `yes` and `no` and also accept
    /// YAML booleans.
    Choice {
        choices: Vec<Choice>,
        yes_no: bool,
    },
    Integer {
        min: u64,
        max: Option<u64>,
    },
    Version,
}

impl QuestionKind {
    /// The type's name as written in a checklist.
    pub fn name(&self) -> &'static str {
        match self {
            QuestionKind::Choice { yes_no: true, .. } => "yes-no",
            QuestionKind::Choice { .. } => "choice",
            QuestionKind::Integer { .. } => "integer",
            QuestionKind::Version => "version",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub lean: Lean,
    pub reason: String,
    pub risk: Option<Risk>,
    /// For the change-window question: how many windows a year this cadence gives.
    pub windows_per_year: Option<u32>,
    /// The answer says nothing is known: it adds no points and lowers confidence.
    pub unknown: bool,
    /// The lean holds only in a context; otherwise another lean applies.
    pub context: Option<Context>,
}

/// A choice's lean that depends on other answers or on computed facts.
#[derive(Debug, Clone)]
pub struct Context {
    pub when: Condition,
    pub otherwise: Lean,
    pub otherwise_reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lean {
    pub toward: Toward,
    pub weight: u32,
}

#[derive(Debug, Clone)]
pub struct Risk {
    pub description: String,
    pub mitigation: String,
}

#[derive(Debug, Clone)]
pub enum DefaultValue {
    Value(AnswerValue),
    /// The answer to another (integer) question.
    FromQuestion(String),
}

/// The questions the engine reads computed concepts from.
#[derive(Debug, Clone)]
pub struct Bindings {
    pub current_version: String,
    pub target_version: String,
    pub cluster_count: String,
    pub change_window: String,
    pub changes_per_window: String,
    pub clusters_per_window: String,
}

#[derive(Debug, Clone)]
pub struct Decision {
    /// Blue-Green must lead Sequential by at least this many points.
    pub blue_green_margin: i64,
    pub confidence_high: i64,
    pub confidence_medium: i64,
    /// Deciding questions answered `unknown` that make the confidence low.
    pub low_with_unknowns: u32,
    /// When this holds, a parallel move that gains no calendar time loses to in place.
    pub restarts_tolerated: Option<Condition>,
}

#[derive(Debug, Clone)]
pub struct StrategyText {
    pub name: String,
    pub summary: String,
    pub next_steps: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct CalendarParams {
    pub blue_green_build_changes: u32,
    pub blue_green_decommission_changes: u32,
    pub hybrid_decommission_changes: u32,
    /// Windows the old side is kept for rollback before it is retired.
    pub rollback_windows: u32,
}

#[derive(Debug, Clone)]
pub struct Layer {
    pub id: String,
    pub name: String,
    pub role: LayerRole,
    /// Version questions for shared layers; the others use the bindings.
    pub from: Option<String>,
    pub to: Option<String>,
    pub steps: Steps,
    /// For a control plane: how far behind its nodes may be, in minors.
    pub max_skew: Option<u32>,
    /// Per strategy, what happens to the layer (a template, see the checklist docs).
    pub notes: BTreeMap<Strategy, String>,
}

#[derive(Debug, Clone)]
pub struct Signal {
    pub id: String,
    pub measure: Measure,
    /// The question the signal is reported against.
    pub question: String,
    pub bands: Vec<Band>,
}

#[derive(Debug, Clone)]
pub struct Band {
    /// Inclusive upper bound; `None` for the last band.
    pub up_to: Option<f64>,
    pub lean: Lean,
    /// May contain `{value}`.
    pub reason: String,
}

#[derive(Debug, Clone)]
pub struct Gate {
    pub id: String,
    /// The must-have prerequisite, phrased as met.
    pub need: String,
    pub rules_out: Vec<Strategy>,
    pub when: Condition,
    pub reason: String,
    /// What would make the ruled-out strategies possible again.
    pub action: Option<String>,
}

#[derive(Debug, Clone)]
pub struct BlockerRule {
    pub id: String,
    /// The should-have prerequisite, phrased as met.
    pub need: String,
    pub question: String,
    pub strategies: Vec<Strategy>,
    pub when: Condition,
    pub title: String,
    pub action: String,
}

impl Checklist {
    /// A built-in checklist by name.
    pub fn builtin(name: &str) -> Option<Checklist> {
        let (_, text) = BUILTIN.iter().find(|(n, _)| *n == name)?;
        // Built-ins are validated by the tests; a failure here is a bug, not user input.
        Some(Checklist::from_yaml(text, name).expect("built-in checklist is valid"))
    }

    /// Parses and validates a checklist. `origin` names the file in messages.
    pub fn from_yaml(source: &str, origin: &str) -> Result<Checklist, InputError> {
        let fail = |d: Vec<Diagnostic>| InputError::new(InputKind::Checklist, origin, d);
        if source.trim().is_empty() {
            return Err(fail(vec![Diagnostic::new("the file is empty").fix(
                "start from a built-in checklist: `upgrade-advisor checklist show vks > my.yaml`",
            )]));
        }
        check_nesting(source).map_err(|d| fail(vec![d]))?;
        let raw: RawChecklist =
            serde_yaml::from_str(source).map_err(|e| fail(vec![from_yaml_error(&e)]))?;
        let mut v = Validator {
            source,
            problems: Vec::new(),
            contexts: Vec::new(),
            broken_choices: HashSet::new(),
            ids: HashMap::new(),
            questions: Vec::new(),
        };
        v.problems.extend(text::control_characters(&raw, source));
        let checklist = v.checklist(raw);
        if v.problems.is_empty() {
            Ok(checklist)
        } else {
            Err(fail(v.problems))
        }
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.index.get(id).map(|&i| &self.questions[i])
    }

    pub fn question_ids(&self) -> impl Iterator<Item = &str> {
        self.questions.iter().map(|q| q.id.as_str())
    }

    pub fn strategy_text(&self, strategy: Strategy) -> &StrategyText {
        &self.strategies[&strategy]
    }
}

impl Question {
    pub fn choices(&self) -> &[Choice] {
        match &self.kind {
            QuestionKind::Choice { choices, .. } => choices,
            _ => &[],
        }
    }

    pub fn choice(&self, value: &str) -> Option<&Choice> {
        self.choices().iter().find(|c| c.value == value)
    }

    /// The choice an answer picks, if the answer is a choice of this question.
    pub fn choice_of(&self, answer: &AnswerValue) -> Option<&Choice> {
        match answer {
            AnswerValue::Choice(value) => self.choice(value),
            _ => None,
        }
    }

    /// The allowed values in words, e.g. `all, most, few or unknown`.
    pub fn allowed(&self) -> String {
        match &self.kind {
            QuestionKind::Choice { choices, .. } => {
                let values: Vec<&str> = choices.iter().map(|c| c.value.as_str()).collect();
                match values.split_last() {
                    Some((last, rest)) if !rest.is_empty() => {
                        format!("{} or {last}", rest.join(", "))
                    }
                    _ => values.join(""),
                }
            }
            QuestionKind::Integer {
                min,
                max: Some(max),
            } => {
                format!("a whole number from {min} to {max}")
            }
            QuestionKind::Integer { min, max: None } => format!("a whole number, {min} or more"),
            QuestionKind::Version => "a quoted version such as \"1.30\"".to_string(),
        }
    }
}

/// The largest weight a lean may carry, so no sum of weights can overflow.
pub const MAX_WEIGHT: u32 = 1000;
/// The largest margin or confidence threshold a checklist may set.
pub const MAX_THRESHOLD: i64 = 1_000_000;

struct Validator<'s> {
    source: &'s str,
    /// Choice contexts, checked once every question is known: (question, choice value, raw, at).
    contexts: Vec<(usize, String, raw::RawContext, String)>,
    /// Choices already reported as broken (`question/value`), so references to them do not
    /// cascade into more problems.
    broken_choices: HashSet<String>,
    problems: Vec<Diagnostic>,
    /// Question id -> index into `questions`.
    ids: HashMap<String, usize>,
    questions: Vec<Question>,
}

impl Validator<'_> {
    fn problem(&mut self, at: String, needle: &str, message: String, fix: &str) {
        let line = find_line_containing(self.source, needle, 0);
        self.problems
            .push(Diagnostic::new(message).at(at).line(line).fix(fix));
    }

    fn checklist(&mut self, mut raw: RawChecklist) -> Checklist {
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
        let runbook = self.runbook(raw.runbook, &layers);
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
            runbook,
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
            let needed = crate::scan::Evidence::VALUES
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

#[cfg(test)]
mod tests {
    use super::*;

    fn builtin_text() -> &'static str {
        BUILTIN[0].1
    }

    #[test]
    fn every_builtin_checklist_is_valid() {
        for (name, text) in BUILTIN {
            let checklist = Checklist::from_yaml(text, name).unwrap();
            assert_eq!(&checklist.id, name);
        }
    }

    #[test]
    fn the_default_checklist_has_the_documented_questions() {
        let c = Checklist::builtin("vks").unwrap();
        let ids: Vec<&str> = c.question_ids().collect();
        assert_eq!(
            ids,
            [
                "current_version",
                "target_version",
                "cluster_count",
                "supervisor_version",
                "supervisor_target_version",
                "vks_version",
                "vks_target_version",
                "rolling_restart_tolerance",
                "pdbs_and_probes",
                "deprecated_apis",
                "stateful_workloads",
                "legacy_apps",
                "change_window",
                "changes_per_window",
                "change_approval",
                "clusters_per_window",
                "rollback_within_window",
                "rollback_rehearsed",
                "staging_environment",
                "spare_capacity",
                "capacity_expansion",
                "shared_supervisor",
                "network_room",
                "cluster_integrations",
                "target_release_available",
                "traffic_shifting",
                "pod_autoscaling",
                "cluster_autoscaling",
                "continuous_delivery",
                "stateful_strategy",
                "storage_reachable",
                "restore_tested",
            ]
        );
        let values = |id: &str| -> Vec<String> {
            c.question(id)
                .unwrap()
                .choices()
                .iter()
                .map(|ch| ch.value.clone())
                .collect()
        };
        assert_eq!(
            values("rolling_restart_tolerance"),
            ["all", "most", "few", "unknown"]
        );
        assert_eq!(
            values("deprecated_apis"),
            ["remediated", "partly", "not-remediated", "unknown"]
        );
        assert_eq!(
            values("stateful_strategy"),
            ["replication", "backup-restore", "downtime-window", "none"]
        );
        assert!(!c.question("supervisor_version").unwrap().required);
    }

    fn broken(from: &str, to: &str) -> InputError {
        let text = builtin_text().replacen(from, to, 1);
        assert_ne!(text, builtin_text(), "the edit `{from}` did not apply");
        Checklist::from_yaml(&text, "custom.yaml").unwrap_err()
    }

    #[test]
    fn a_condition_naming_a_missing_question_is_reported_with_its_path_and_a_suggestion() {
        let err = broken(
            "when: { question: stateful_workloads, not_one_of: [none] }",
            "when: { question: stateful_workload, not_one_of: [none] }",
        );
        let text = err.to_string();
        assert!(
            text.contains("sections[4].questions[4] (stateful_strategy).when.question"),
            "{text}"
        );
        assert!(
            text.contains("did you mean `stateful_workloads`?"),
            "{text}"
        );
        assert!(text.contains("custom.yaml:"), "{text}");
    }

    #[test]
    fn a_blocker_naming_a_missing_choice_is_reported() {
        let err = broken(
            "when: { question: continuous_delivery, equals: manual }",
            "when: { question: continuous_delivery, equals: by-hand }",
        );
        assert!(
            err.to_string()
                .contains("`by-hand` is not a choice of `continuous_delivery`"),
            "{err}"
        );
    }

    #[test]
    fn a_choice_without_a_weight_is_reported() {
        let err = broken(
            "            label: Every week\n            windows_per_year: 52\n            leans: sequential\n            weight: 3\n",
            "            label: Every week\n            windows_per_year: 52\n            leans: sequential\n",
        );
        let text = err.to_string();
        assert!(text.contains("choices[0] (weekly)"), "{text}");
        assert!(text.contains("has no lean"), "{text}");
    }

    #[test]
    fn unknown_keys_and_yaml_errors_carry_a_line() {
        let err = broken("blue_green_margin: 2", "blue_green_margn: 2");
        assert!(
            err.problems[0]
                .message
                .contains("unknown field `blue_green_margn`"),
            "{err}"
        );
        assert!(err.problems[0].line.is_some());
    }

    #[test]
    fn a_question_no_answers_can_reach_is_reported() {
        // Stateful workloads are never both absent and present.
        let err = broken(
            "when: { question: stateful_workloads, not_one_of: [none] }",
            "when: { all: [{ question: stateful_workloads, equals: none }, { question: stateful_workloads, equals: many }] }",
        );
        let text = err.to_string();
        assert!(text.contains("question `stateful_strategy`.when"), "{text}");
        assert!(text.contains("so the question is never asked"), "{text}");
    }

    #[test]
    fn duplicate_ids_of_any_kind_are_reported() {
        let err = broken("  - id: pod-autoscaling\n", "  - id: traffic-shifting\n");
        assert!(
            err.to_string()
                .contains("blocker id `traffic-shifting` is used twice"),
            "{err}"
        );
        let err = broken(
            "      - id: legacy_apps\n",
            "      - id: stateful_workloads\n",
        );
        assert!(
            err.to_string()
                .contains("question id `stateful_workloads` is used twice"),
            "{err}"
        );
    }

    #[test]
    fn every_problem_is_listed_not_only_the_first() {
        let text = builtin_text()
            .replacen(
                "question: traffic_shifting\n",
                "question: traffic_shift\n",
                1,
            )
            .replacen("question: pod_autoscaling\n", "question: pod_scaling\n", 1);
        let err = Checklist::from_yaml(&text, "x.yaml").unwrap_err();
        assert_eq!(err.problems.len(), 2, "{err}");
    }
}
