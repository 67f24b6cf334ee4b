//! From the raw file to a [`Checklist`]: every fault is collected with its place in the file,
//! so a broken custom checklist is reported all at once.

mod conditions;
pub mod limits;
mod parts;
mod questions;
mod steps;

use std::collections::{BTreeMap, HashMap, HashSet};

use super::raw::{self, RawChecklist};
use crate::base::diagnostic::code::Code;
use crate::base::diagnostic::{Diagnostic, LineStarts, MAX_SHOWN, find_key_line};
use crate::checklist::condition::Condition;
use crate::checklist::model::*;
use crate::checklist::raw::LayerRole;
use crate::checklist::strategy::Strategy;
use crate::checklist::value::AnswerValue;
use crate::kube::version::Version;

/// The largest weight a lean may carry, so no sum of weights can overflow.
pub const MAX_WEIGHT: u32 = 1000;
/// The largest margin or confidence threshold a checklist may set.
pub const MAX_THRESHOLD: i64 = 1_000_000;

pub(super) struct Validator<'s> {
    pub(in crate::checklist) source: &'s str,
    /// The source's line starts, made at the first problem.
    lines: std::cell::OnceCell<LineStarts>,
    /// Choice contexts, checked once every question is known: (question, choice value, raw, at).
    pub(in crate::checklist) contexts: Vec<(usize, String, raw::RawContext, String)>,
    /// Choices already reported as broken (`question/value`), so references to them do not
    /// cascade into more problems.
    pub(in crate::checklist) broken_choices: HashSet<String>,
    pub(in crate::checklist) problems: Vec<Diagnostic>,
    /// Question id -> index into `questions`.
    pub(in crate::checklist) ids: HashMap<String, usize>,
    pub(in crate::checklist) questions: Vec<Question>,
}

impl<'s> Validator<'s> {
    pub(in crate::checklist) fn new(source: &'s str) -> Self {
        Validator {
            source,
            lines: std::cell::OnceCell::new(),
            problems: Vec::new(),
            contexts: Vec::new(),
            broken_choices: HashSet::new(),
            ids: HashMap::new(),
            questions: Vec::new(),
        }
    }

    pub(in crate::checklist) fn problem(
        &mut self,
        at: String,
        needle: &str,
        message: String,
        fix: &str,
    ) {
        // Messages show the first MAX_SHOWN problems and count the rest: only those need a
        // line, and each costs a search of the file.
        let line = (self.problems.len() < MAX_SHOWN)
            .then(|| {
                self.lines
                    .get_or_init(|| LineStarts::new(self.source))
                    .find_containing(self.source, needle, 0)
            })
            .flatten();
        self.problems.push(
            Diagnostic::new(message)
                .at(at)
                .line(line)
                .fix(fix)
                .code(Code::ChecklistRule),
        );
    }

    /// Reports put strategies side by side by name, so no two may share one (compared as
    /// people read them: case, spacing and look-alike characters aside).
    fn distinct_names(&mut self, strategies: &BTreeMap<Strategy, StrategyText>) {
        let mut seen: Vec<(String, Strategy)> = Vec::new();
        for (&strategy, text) in strategies {
            if let Some(c) = text
                .name
                .chars()
                .find(|&c| crate::base::text::is_invisible_char(c))
            {
                self.problem(
                    format!("strategies.{}.name", strategy.id()),
                    &format!("name: {}", text.name),
                    format!(
                        "the name of `{}` holds {}, so it looks like a name it is not",
                        strategy.id(),
                        crate::base::text::invisible_char_name(c)
                    ),
                    "delete the character (retype the name)",
                );
            }
            let key = crate::base::text::name_key(&text.name);
            if let Some((_, first)) = seen.iter().find(|(k, _)| *k == key) {
                self.problem(
                    format!("strategies.{}.name", strategy.id()),
                    &format!("name: {}", text.name),
                    format!(
                        "the strategies `{}` and `{}` are both named `{}`",
                        first.id(),
                        strategy.id(),
                        text.name
                    ),
                    "give every strategy its own name: reports show them side by side",
                );
            } else {
                seen.push((key, strategy));
            }
        }
    }

    pub(in crate::checklist) fn checklist(&mut self, mut raw: RawChecklist) -> Checklist {
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
                    .fix("add at least one section with questions")
                    .code(Code::ChecklistRule),
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
                    .fix("add one layer for the workload clusters with `role: workload`")
                    .code(Code::ChecklistRule),
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
                    conflict: b.conflict,
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
        self.distinct_names(&strategies);
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
                rollback_hold_days: raw.calendar.rollback_hold_days,
                retire_in_window: raw.calendar.retire_in_window,
                limited_capacity_clusters: raw.calendar.limited_capacity_clusters,
            },
            layers,
            signals,
            gates,
            blockers,
            evidence,
            runbook,
            origin: ChecklistOrigin::default(),
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
