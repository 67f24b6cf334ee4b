//! Numbers computed from the answers before anything is weighed: versions, hops, batches,
//! windows, the shared layers' paths and the APIs removed on the way.

use std::sync::OnceLock;

use crate::answers::values::Answers;
use crate::base::date::Date;
use crate::checklist::condition::Condition;
use crate::checklist::condition::Trigger;
use crate::checklist::model::Checklist;
use crate::checklist::model::Layer;
use crate::checklist::raw::Fact;
use crate::checklist::raw::LayerRole;
use crate::checklist::value::AnswerValue;
use crate::kube::version::Version;
use crate::scoring::windows::ChangeCalendar;
use crate::scoring::windows::When;
use crate::scoring::windows::window_error::WindowError;

/// A shared layer's in-place path.
#[derive(Debug, Clone, PartialEq)]
pub struct SharedPath {
    pub layer: usize,
    pub from: Version,
    pub to: Version,
    pub steps: Vec<Version>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Facts {
    pub from: Version,
    pub to: Version,
    pub hops: Vec<Version>,
    pub clusters: u64,
    /// The most clusters changed in one window.
    pub per_window: u64,
    /// Batches of clusters (waves, for the parallel strategies): one per window.
    pub batches: u64,
    pub changes_per_window: u64,
    pub windows_per_year: u32,
    /// Shared layers with both versions answered.
    pub shared: Vec<SharedPath>,
    /// The control-plane layer's skew limit, when the checklist has such a layer.
    pub max_skew: Option<u32>,
    /// API group/versions removed after `from`, up to and including `to`.
    pub removed_apis: u64,
    /// Whether applications are known to ride through rolling restarts (the checklist's
    /// `decision.restarts_tolerated`).
    pub restarts_tolerated: bool,
    /// The change calendar the plans are dated on (an error when the `calendar:` block cannot
    /// date any window; the cadence estimate stands in where only a number is needed).
    pub calendar: Result<ChangeCalendar, WindowError>,
    /// The first day of the calendar.
    pub start: Date,
    /// Days the old side is kept for rollback after the last cut-over.
    pub rollback_hold_days: u32,
    /// Extra clusters the spare capacity holds at once when it is `limited` and no expansion
    /// can be approved (the checklist's `calendar.limited_capacity_clusters`); `None` when
    /// the capacity does not limit the parallel strategies.
    pub limited_capacity: Option<u64>,
}

impl Facts {
    pub fn new(checklist: &Checklist, answers: &Answers, when: &When) -> Facts {
        let b = &checklist.bindings;
        let version = |id: &str| answers.get(id).and_then(AnswerValue::as_version);
        let integer = |id: &str| answers.get(id).and_then(AnswerValue::as_integer);
        // Resolved answers always hold the bound questions (the checklist requires them).
        let from = version(&b.current_version).unwrap_or(Version::new(1, 0));
        let to = version(&b.target_version).unwrap_or(from);
        let clusters = integer(&b.cluster_count).unwrap_or(1).max(1);
        let per_window = integer(&b.clusters_per_window)
            .unwrap_or(clusters)
            .clamp(1, clusters);
        let windows_per_year = answers
            .get(&b.change_window)
            .and_then(|v| checklist.question(&b.change_window)?.choice_of(v))
            .and_then(|c| c.windows_per_year)
            .unwrap_or(12)
            .max(1);
        let shared = checklist
            .layers
            .iter()
            .enumerate()
            .filter(|(_, l)| l.role == LayerRole::Shared)
            .filter_map(|(i, l)| shared_path(answers, i, l))
            .collect();
        let spec = when.spec.as_ref();
        let choice = |id: &Option<String>, value: &str| {
            id.as_deref()
                .and_then(|id| answers.get(id))
                .is_some_and(|v| matches!(v, AnswerValue::Choice(c) if c == value))
        };
        let limited = choice(&b.spare_capacity, "limited") && choice(&b.capacity_expansion, "no");
        // Measured room (capacity evidence) stands for the checklist's "a cluster or two".
        let limited_capacity = when
            .capacity_clusters
            .or(checklist.calendar.limited_capacity_clusters.map(u64::from))
            .filter(|_| limited);
        let mut facts = Facts {
            from,
            to,
            hops: from.hops_to(to),
            clusters,
            per_window,
            batches: clusters.div_ceil(per_window),
            changes_per_window: integer(&b.changes_per_window).unwrap_or(1).max(1),
            windows_per_year,
            shared,
            max_skew: checklist
                .layers
                .iter()
                .find(|l| l.role == LayerRole::ControlPlane)
                .map(|l| l.max_skew.unwrap_or(u32::MAX).max(1)),
            removed_apis: removed_between(from, to),
            restarts_tolerated: false,
            calendar: ChangeCalendar::new(spec, windows_per_year),
            start: when.start,
            rollback_hold_days: spec
                .and_then(|s| s.rollback_hold_days)
                .unwrap_or(checklist.calendar.rollback_hold_days),
            limited_capacity,
        };
        facts.restarts_tolerated = checklist
            .decision
            .restarts_tolerated
            .as_ref()
            .is_some_and(|c| facts.holds(c, answers));
        facts
    }

    /// The questions the facts are computed from (the checklist's bindings and the layers'
    /// version questions): a change to any other answer leaves the facts as they are.
    pub fn inputs(checklist: &Checklist) -> Vec<&str> {
        let b = &checklist.bindings;
        let mut ids = vec![
            b.current_version.as_str(),
            b.target_version.as_str(),
            b.cluster_count.as_str(),
            b.change_window.as_str(),
            b.changes_per_window.as_str(),
            b.clusters_per_window.as_str(),
        ];
        ids.extend(b.spare_capacity.as_deref());
        ids.extend(b.capacity_expansion.as_deref());
        for layer in &checklist.layers {
            ids.extend(layer.from.as_deref());
            ids.extend(layer.to.as_deref());
        }
        if let Some(condition) = &checklist.decision.restarts_tolerated {
            ids.extend(condition.questions());
        }
        ids
    }

    /// Whether `condition` holds for `answers` with these facts.
    pub fn holds(&self, condition: &Condition, answers: &Answers) -> bool {
        condition.holds_with(&|id: &str| answers.get(id), &|f| self.fact(f))
    }

    /// The answers and facts that make `condition` hold (see [`Condition::triggers`]).
    pub fn triggers(&self, condition: &Condition, answers: &Answers) -> Vec<Trigger> {
        condition.triggers(&|id: &str| answers.get(id), &|f| self.fact(f))
    }

    /// A fact for conditions.
    pub fn fact(&self, fact: Fact) -> Option<u64> {
        match fact {
            Fact::RemovedApis => Some(self.removed_apis),
            Fact::Hops => Some(self.hops.len() as u64),
            Fact::BatchOverCapacity => Some(self.batch_over_capacity()),
        }
    }

    /// Clusters by which one batch exceeds the limited capacity (0: it fits, or capacity is
    /// not limited).
    pub fn batch_over_capacity(&self) -> u64 {
        self.limited_capacity
            .map_or(0, |c| self.per_window.saturating_sub(c))
    }

    /// Waves whose old clusters may be kept at once: the limited capacity over the batch
    /// size, at least 1 (a batch too big for the capacity has the `batch_over_capacity`
    /// fact, and a blocker); `None` when the capacity does not limit the waves, or holds
    /// every wave at once.
    pub fn waves_at_once(&self) -> Option<u64> {
        let capacity = self.limited_capacity?;
        let waves = (capacity / self.per_window.max(1)).max(1);
        (waves < self.batches).then_some(waves)
    }

    /// In-place changes of the shared layers (each hop or update is one change).
    pub fn shared_changes(&self) -> u64 {
        self.shared.iter().map(|s| s.steps.len() as u64).sum()
    }
}

/// A shared layer's versions and in-place path, when both its versions are answered.
pub fn shared_path(answers: &Answers, index: usize, layer: &Layer) -> Option<SharedPath> {
    let from = answers.get(layer.from.as_deref()?)?.as_version()?;
    let to = answers.get(layer.to.as_deref()?)?.as_version()?;
    Some(SharedPath {
        layer: index,
        from,
        to,
        steps: layer.steps.path(from, to),
    })
}

/// API group/versions the built-in removed-API data lists as removed after `from`, up to
/// and including `to`.
pub fn removed_between(from: Version, to: Version) -> u64 {
    static REMOVALS: OnceLock<Vec<(Version, u64)>> = OnceLock::new();
    let removals = REMOVALS.get_or_init(|| {
        crate::kube::apis::ApiTable::builtin()
            .removals
            .iter()
            .map(|r| (r.removed_in, r.api_versions.len() as u64))
            .collect()
    });
    removals
        .iter()
        .filter(|(at, _)| *at > from && *at <= to)
        .map(|(_, n)| n)
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::values::AnswersFile;

    /// Facts read only their inputs: changing any other answer, to any of its choices or
    /// counts, leaves them equal (the probes reuse them on that promise).
    #[test]
    fn facts_change_only_with_their_inputs() {
        for name in ["vks", "kubernetes"] {
            let checklist = Checklist::builtin(name).unwrap();
            let text = match name {
                "vks" => include_str!("../../checklists/examples/case-study.yaml"),
                _ => include_str!("../../checklists/examples/eks-fleet-upgrade.yaml"),
            };
            let mut answers = AnswersFile::parse(text, name, &checklist).unwrap().answers;
            let when = When::example();
            let facts = Facts::new(&checklist, &answers, &when);
            let inputs = Facts::inputs(&checklist);
            let mut tried = 0;
            for question in checklist
                .questions
                .iter()
                .filter(|q| !inputs.contains(&q.id.as_str()))
            {
                if answers.get(&question.id).is_none() {
                    continue;
                }
                let values: Vec<AnswerValue> = match &question.kind {
                    crate::checklist::model::QuestionKind::Choice { choices, .. } => choices
                        .iter()
                        .map(|c| AnswerValue::Choice(c.value.clone()))
                        .collect(),
                    crate::checklist::model::QuestionKind::Integer { .. } => {
                        vec![AnswerValue::Integer(1), AnswerValue::Integer(500)]
                    }
                    crate::checklist::model::QuestionKind::Version => {
                        vec![AnswerValue::Version(Version::new(1, 20))]
                    }
                };
                for value in values {
                    let old = answers.replace(&question.id, value);
                    assert_eq!(
                        Facts::new(&checklist, &answers, &when),
                        facts,
                        "{name}: {}",
                        question.id
                    );
                    answers.replace(&question.id, old);
                    tried += 1;
                }
            }
            assert!(tried > 20, "{name}: {tried}");
        }
    }

    #[test]
    fn removed_apis_are_counted_over_the_hop_range_only() {
        let v = |m| Version::new(1, m);
        // flowcontrol v1beta3 went in 1.32; nothing after.
        assert_eq!(removed_between(v(30), v(33)), 1);
        assert_eq!(removed_between(v(32), v(35)), 0);
        assert!(removed_between(v(21), v(25)) > 10);
        assert_eq!(removed_between(v(33), v(33)), 0);
    }
}
