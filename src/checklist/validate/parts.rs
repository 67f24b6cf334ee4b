//! The engine-facing parts: evidence and bindings, layers and signals.

use std::collections::BTreeMap;

use super::super::raw::{self};
use super::Validator;
use crate::checklist::model::*;
use crate::checklist::raw::{LayerRole, Steps};
use crate::checklist::strategy::Strategy;

impl Validator<'_> {
    pub(in crate::checklist) fn evidence(
        &mut self,
        raw: raw::RawEvidenceBindings,
    ) -> EvidenceBindings {
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
    pub(in crate::checklist) fn bindings(&mut self, raw: raw::RawBindings) -> Bindings {
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
        let capacity = [
            ("spare_capacity", &raw.spare_capacity),
            ("capacity_expansion", &raw.capacity_expansion),
        ];
        for (concept, id) in capacity {
            let Some(id) = id else { continue };
            let at = format!("bindings.{concept}");
            if !self.reference(id, &at) {
                continue;
            }
            let question = &self.questions[self.ids[id.as_str()]];
            let fits = match concept {
                "spare_capacity" => question.choice("limited").is_some(),
                _ => matches!(question.kind, QuestionKind::Choice { yes_no: true, .. }),
            };
            if !fits {
                let needs = match concept {
                    "spare_capacity" => "a choice question with a `limited` choice",
                    _ => "a yes-no question",
                };
                self.problem(
                    at,
                    concept,
                    format!("`{id}` is not {needs}"),
                    &format!("bind `{concept}` to {needs}"),
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
            spare_capacity: raw.spare_capacity,
            capacity_expansion: raw.capacity_expansion,
        }
    }

    pub(in crate::checklist) fn layer(&mut self, index: usize, raw: raw::RawLayer) -> Layer {
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

    pub(in crate::checklist) fn signal(&mut self, index: usize, raw: raw::RawSignal) -> Signal {
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
