//! The recommendation: a pure, deterministic function of a checklist and its answers.
//!
//! Every answer leans one way with a weight from the checklist; derived signals (hops,
//! calendar) lean through bands; gates rule strategies out; blockers and risks come from the
//! checklist's rules. Nothing here reads files, prints or looks at a terminal.

use serde::Serialize;

use crate::answers::{AnswerValue, Answers};
use crate::checklist::{Checklist, Layer, LayerRole, Lean, Measure, Steps};
use crate::strategy::{Strategy, Toward};
use crate::version::Version;

/// The outcome of an assessment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    pub recommendation: Recommendation,
    pub scores: Scores,
    /// Contributions, largest first.
    pub drivers: Vec<Driver>,
    /// Missing prerequisites of the recommended strategy.
    pub blockers: Vec<Blocker>,
    pub risks: Vec<RiskItem>,
    pub next_steps: Vec<String>,
    pub layers: Vec<LayerPlan>,
    pub path: UpgradePath,
    /// The answers the calendar arithmetic used.
    pub calendar: CalendarBasis,
    pub timeline: Vec<Timeline>,
}

impl Assessment {
    /// Calendar months the recommended strategy needs.
    pub fn recommended_months(&self) -> f64 {
        self.timeline
            .iter()
            .find(|t| t.strategy == self.recommendation.strategy)
            .map_or(0.0, |t| t.months)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CalendarBasis {
    pub clusters: u64,
    /// Batches of clusters that fit one window (waves, for the parallel strategies).
    pub batches: u64,
    pub changes_per_window: u64,
    pub windows_per_year: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recommendation {
    pub strategy: Strategy,
    pub name: String,
    pub confidence: Confidence,
    /// Where the weighed answers point before gates: `blue-green` or `sequential`.
    pub leaning: Toward,
    /// Gates that closed, in checklist order.
    pub gates: Vec<ClosedGate>,
    /// A few sentences explaining the result.
    pub rationale: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    High,
    Medium,
    Low,
}

impl std::fmt::Display for Confidence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Confidence::High => "high",
            Confidence::Medium => "medium",
            Confidence::Low => "low",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClosedGate {
    pub id: String,
    pub rules_out: Vec<Strategy>,
    pub reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Scores {
    /// Total weight leaning Sequential.
    pub sequential: u32,
    /// Total weight leaning Blue-Green.
    pub blue_green: u32,
    /// `blue_green - sequential`.
    pub margin: i64,
    /// The margin Blue-Green needs to be the lean.
    pub blue_green_needs: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Driver {
    pub question: String,
    /// The answer as shown to people (for signals, the computed value with its inputs).
    pub answer: String,
    pub leans: Toward,
    pub weight: u32,
    pub reason: String,
    /// The derived signal, when the contribution is computed rather than answered directly.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signal: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Blocker {
    pub id: String,
    pub question: String,
    pub answer: String,
    pub title: String,
    pub action: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RiskItem {
    pub question: String,
    pub answer: String,
    pub risk: String,
    pub mitigation: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// Upgraded where it runs.
    InPlace,
    /// Rebuilt at the target beside the old one.
    BlueGreen,
    /// Redeployed onto the new clusters.
    Migrate,
    /// Stays on its clusters and rides through each in-place hop.
    RideThrough,
    /// No versions given or nothing to change.
    Unchanged,
}

impl Method {
    pub fn label(self) -> &'static str {
        match self {
            Method::InPlace => "in place",
            Method::BlueGreen => "blue-green",
            Method::Migrate => "migrated",
            Method::RideThrough => "in place (rolling restarts)",
            Method::Unchanged => "unchanged",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LayerPlan {
    pub id: String,
    pub name: String,
    pub method: Method,
    pub from: Option<Version>,
    pub to: Option<Version>,
    /// The versions passed through, in order (the last is the target).
    pub steps: Vec<Version>,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UpgradePath {
    pub from: Version,
    pub to: Version,
    /// Every in-place minor hop of the workload clusters.
    pub hops: Vec<Version>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Timeline {
    pub strategy: Strategy,
    /// Production changes needed.
    pub changes: u64,
    /// Change windows needed at the answered cadence and changes per window.
    pub windows: u64,
    /// Calendar months those windows span, at least; validation and remediation come on top.
    pub months: f64,
    pub phases: Vec<Phase>,
    /// The gate that rules this strategy out, if one does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ruled_out_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Phase {
    pub name: String,
    pub changes: u64,
    /// An in-place change of a shared layer (done once per management plane in a fleet).
    pub shared: bool,
    /// First and last window (1-based) the phase occupies.
    pub first_window: u64,
    pub last_window: u64,
}

/// Numbers computed from the answers before any leaning.
#[derive(Debug, Clone, PartialEq)]
struct Facts {
    from: Version,
    to: Version,
    hops: Vec<Version>,
    clusters: u64,
    batches: u64,
    changes_per_window: u64,
    windows_per_year: u32,
    /// In-place changes of the shared layers (each hop or update is one change).
    shared_changes: u64,
    /// The control-plane layer's skew limit, when the checklist has such a layer.
    max_skew: Option<u32>,
}

impl Facts {
    /// Changes the Sequential strategy needs: shared layers, then every hop for every batch.
    fn sequential_changes(&self) -> u64 {
        self.shared_changes + self.hops.len() as u64 * self.batches
    }

    fn sequential_windows(&self) -> u64 {
        self.sequential_changes().div_ceil(self.changes_per_window)
    }

    /// Blue-green waves under Hybrid: one per batch, and with a control plane that moves hop by
    /// hop, again every time the nodes would fall more than `max_skew` minors behind.
    fn hybrid_waves(&self) -> u64 {
        match self.max_skew {
            Some(skew) => self.batches * (self.hops.len() as u64).div_ceil(u64::from(skew)).max(1),
            None => self.batches,
        }
    }
}

/// The decision alone, without its explanation: cheap enough for the what-if search to
/// evaluate thousands of times.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub strategy: Strategy,
    pub confidence: Confidence,
    pub leaning: Toward,
    pub scores: Scores,
    /// Indexes of the gates that closed, into [`Checklist::gates`].
    pub closed_gates: Vec<usize>,
}

/// Decides the strategy: weighs the answers and signals, then applies the gates.
pub fn decide(checklist: &Checklist, answers: &Answers) -> Decision {
    let facts = facts(checklist, answers);
    let (mut sequential, mut blue_green) = (0u32, 0u32);
    let mut add = |lean: Lean| match lean.toward {
        Toward::Sequential => sequential += lean.weight,
        Toward::BlueGreen => blue_green += lean.weight,
        Toward::Neutral => {}
    };
    for question in &checklist.questions {
        if let Some(choice) = answers
            .get(&question.id)
            .and_then(|v| question.choice_of(v))
        {
            add(choice.lean);
        }
    }
    for signal in &checklist.signals {
        if let Some(band) = band(signal, measure(signal.measure, &facts)) {
            add(band.lean);
        }
    }
    let scores = Scores {
        sequential,
        blue_green,
        margin: i64::from(blue_green) - i64::from(sequential),
        blue_green_needs: checklist.decision.blue_green_margin,
    };
    let leaning = if scores.margin >= scores.blue_green_needs {
        Toward::BlueGreen
    } else {
        Toward::Sequential
    };

    let lookup = |id: &str| answers.get(id);
    let closed_gates: Vec<usize> = (0..checklist.gates.len())
        .filter(|&i| checklist.gates[i].when.holds(&lookup))
        .collect();
    let ruled_out = |s: Strategy| {
        closed_gates
            .iter()
            .any(|&i| checklist.gates[i].rules_out.contains(&s))
    };
    // Blue-Green falls back to Hybrid, and Hybrid to Sequential, as gates close.
    let strategy = match leaning {
        Toward::BlueGreen if !ruled_out(Strategy::BlueGreen) => Strategy::BlueGreen,
        Toward::BlueGreen if !ruled_out(Strategy::Hybrid) => Strategy::Hybrid,
        _ => Strategy::Sequential,
    };

    // Confidence: how far the lean is from flipping.
    let distance = if leaning == Toward::BlueGreen {
        scores.margin - scores.blue_green_needs + 1
    } else {
        scores.blue_green_needs - scores.margin
    };
    let mut confidence = if distance >= checklist.decision.confidence_high {
        Confidence::High
    } else if distance >= checklist.decision.confidence_medium {
        Confidence::Medium
    } else {
        Confidence::Low
    };
    // A gate that overrules the whole lean leaves the answers pointing elsewhere.
    let overruled = leaning == Toward::BlueGreen && strategy == Strategy::Sequential;
    if overruled && confidence == Confidence::High {
        confidence = Confidence::Medium;
    }
    Decision {
        strategy,
        confidence,
        leaning,
        scores,
        closed_gates,
    }
}

/// Assesses the answers with the checklist: the decision and everything that explains it.
/// Pure and deterministic.
pub fn assess(checklist: &Checklist, answers: &Answers) -> Assessment {
    let Decision {
        strategy,
        confidence,
        leaning,
        scores,
        closed_gates,
    } = decide(checklist, answers);
    let facts = facts(checklist, answers);
    let timeline = timeline(checklist, answers, &facts);

    let mut drivers = answer_drivers(checklist, answers);
    drivers.extend(signal_drivers(checklist, &facts));
    // Largest first; ties keep checklist order (the sort is stable).
    drivers.sort_by_key(|d| std::cmp::Reverse(d.weight));

    let gates: Vec<ClosedGate> = closed_gates
        .iter()
        .map(|&i| {
            let g = &checklist.gates[i];
            ClosedGate {
                id: g.id.clone(),
                rules_out: g.rules_out.clone(),
                reason: g.reason.clone(),
            }
        })
        .collect();

    let blockers = blockers(checklist, answers, strategy);
    let risks = risks(checklist, answers);
    let mut next_steps: Vec<String> = blockers.iter().map(|b| b.action.clone()).collect();
    next_steps.extend(risks.iter().map(|r| r.mitigation.clone()));
    next_steps.extend(checklist.strategy_text(strategy).next_steps.iter().cloned());
    next_steps.dedup();

    let rationale = rationale(
        checklist, &scores, leaning, strategy, &gates, &drivers, &timeline,
    );
    Assessment {
        recommendation: Recommendation {
            strategy,
            name: checklist.strategy_text(strategy).name.clone(),
            confidence,
            leaning,
            gates,
            rationale,
        },
        scores,
        drivers,
        blockers,
        risks,
        next_steps,
        layers: layers(checklist, answers, &facts, strategy),
        path: UpgradePath {
            from: facts.from,
            to: facts.to,
            hops: facts.hops.clone(),
        },
        calendar: CalendarBasis {
            clusters: facts.clusters,
            batches: facts.batches,
            changes_per_window: facts.changes_per_window,
            windows_per_year: facts.windows_per_year,
        },
        timeline,
    }
}

fn facts(checklist: &Checklist, answers: &Answers) -> Facts {
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
        .and_then(|v| checklist.question(&b.change_window)?.choice(&v.to_string()))
        .and_then(|c| c.windows_per_year)
        .unwrap_or(12)
        .max(1);
    let shared_changes = checklist
        .layers
        .iter()
        .filter(|l| l.role == LayerRole::Shared)
        .filter_map(|l| shared_layer_steps(answers, l))
        .map(|(_, _, steps)| steps.len() as u64)
        .sum();
    Facts {
        from,
        to,
        hops: from.hops_to(to),
        clusters,
        batches: clusters.div_ceil(per_window),
        changes_per_window: integer(&b.changes_per_window).unwrap_or(1).max(1),
        windows_per_year,
        shared_changes,
        max_skew: checklist
            .layers
            .iter()
            .find(|l| l.role == LayerRole::ControlPlane)
            .map(|l| l.max_skew.unwrap_or(u32::MAX)),
    }
}

/// The value a signal measures.
fn measure(measure: Measure, facts: &Facts) -> f64 {
    match measure {
        Measure::Hops => facts.hops.len() as f64,
        Measure::SequentialWindows => facts.sequential_windows() as f64,
        Measure::SequentialMonths => months(facts.sequential_windows(), facts.windows_per_year),
        Measure::ClusterCount => facts.clusters as f64,
    }
}

/// The band a value falls in.
fn band(signal: &crate::checklist::Signal, value: f64) -> Option<&crate::checklist::Band> {
    signal
        .bands
        .iter()
        .find(|b| b.up_to.is_none_or(|limit| value <= limit))
}

/// The versions a shared layer moves through in place, when both ends are answered.
/// A shared layer's versions and in-place path, when both its versions are answered.
fn shared_layer_steps(
    answers: &Answers,
    layer: &Layer,
) -> Option<(Version, Version, Vec<Version>)> {
    let from = answers.get(layer.from.as_deref()?)?.as_version()?;
    let to = answers.get(layer.to.as_deref()?)?.as_version()?;
    Some((from, to, layer.steps.path(from, to)))
}

fn timeline(checklist: &Checklist, answers: &Answers, facts: &Facts) -> Vec<Timeline> {
    // (name, changes, shared layer?)
    let mut shared_phases: Vec<(String, u64, bool)> = Vec::new();
    for layer in checklist
        .layers
        .iter()
        .filter(|l| l.role == LayerRole::Shared)
    {
        if let Some((from_v, to_v, steps)) = shared_layer_steps(answers, layer)
            && !steps.is_empty()
        {
            let name = format!("{} {from_v} to {to_v} in place", layer.name);
            shared_phases.push((name, steps.len() as u64, true));
        }
    }
    let batches = facts.batches;
    let workload_name = checklist
        .layers
        .iter()
        .find(|l| l.role == LayerRole::Workload)
        .map_or("Workload clusters", |l| l.name.as_str());
    let workload = workload_name.to_lowercase();
    let control_plane = checklist
        .layers
        .iter()
        .find(|l| l.role == LayerRole::ControlPlane);
    let in_batches = plural(batches, "batch", "batches");

    let mut sequential = shared_phases.clone();
    for hop in &facts.hops {
        sequential.push((
            format!("{workload_name} to {hop} ({in_batches})"),
            batches,
            false,
        ));
    }
    let cal = &checklist.calendar;
    let blue_green = vec![
        (
            format!("Build Green at {}", facts.to),
            u64::from(cal.blue_green_build_changes),
            false,
        ),
        (
            format!("Move to Green ({})", plural(batches, "wave", "waves")),
            batches,
            false,
        ),
        (
            "Decommission Blue".to_string(),
            u64::from(cal.blue_green_decommission_changes),
            false,
        ),
    ];
    let mut hybrid = shared_phases;
    if let Some(layer) = control_plane {
        for hop in &facts.hops {
            hybrid.push((
                format!("{} to {hop} in place ({in_batches})", layer.name),
                batches,
                false,
            ));
        }
    }
    let waves = facts.hybrid_waves();
    let replace = format!(
        "Replace {workload} at {} ({})",
        facts.to,
        plural(waves, "wave", "waves")
    );
    hybrid.push((replace, waves, false));
    let retire = u64::from(cal.hybrid_decommission_changes);
    hybrid.push((format!("Retire the old {workload}"), retire, false));

    let lookup = |id: &str| answers.get(id);
    let ruled_out_by = |s: Strategy| {
        checklist
            .gates
            .iter()
            .find(|g| g.rules_out.contains(&s) && g.when.holds(&lookup))
            .map(|g| g.id.clone())
    };
    [
        (Strategy::Sequential, sequential),
        (Strategy::BlueGreen, blue_green),
        (Strategy::Hybrid, hybrid),
    ]
    .into_iter()
    .map(|(strategy, phases)| {
        let mut plan = plan(phases, facts.changes_per_window, facts.windows_per_year);
        plan.strategy = strategy;
        plan.ruled_out_by = ruled_out_by(strategy);
        plan
    })
    .collect()
}

/// Lays phases out over change windows: each change takes one slot, `per_window` slots a window.
fn plan(phases: Vec<(String, u64, bool)>, per_window: u64, windows_per_year: u32) -> Timeline {
    let mut done = 0;
    let phases: Vec<Phase> = phases
        .into_iter()
        .filter(|(_, changes, _)| *changes > 0)
        .map(|(name, changes, shared)| {
            let first_window = done / per_window + 1;
            done += changes;
            Phase {
                name,
                changes,
                shared,
                first_window,
                last_window: done.div_ceil(per_window),
            }
        })
        .collect();
    let windows = done.div_ceil(per_window);
    Timeline {
        strategy: Strategy::Sequential,
        changes: done,
        windows,
        months: months(windows, windows_per_year),
        phases,
        ruled_out_by: None,
    }
}

/// Calendar months for a number of windows, to one decimal.
pub fn months(windows: u64, windows_per_year: u32) -> f64 {
    let months = windows as f64 * 12.0 / f64::from(windows_per_year.max(1));
    (months * 10.0).round() / 10.0
}

pub fn plural(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

fn answer_drivers(checklist: &Checklist, answers: &Answers) -> Vec<Driver> {
    checklist
        .questions
        .iter()
        .filter_map(|q| {
            let value = answers.get(&q.id)?;
            let choice = q.choice(&value.to_string())?;
            Some(Driver {
                question: q.id.clone(),
                answer: value.to_string(),
                leans: choice.lean.toward,
                weight: effective_weight(choice.lean),
                reason: choice.reason.clone(),
                signal: None,
            })
        })
        .filter(|d| d.weight > 0)
        .collect()
}

fn effective_weight(lean: Lean) -> u32 {
    if lean.toward == Toward::Neutral {
        0
    } else {
        lean.weight
    }
}

fn signal_drivers(checklist: &Checklist, facts: &Facts) -> Vec<Driver> {
    checklist
        .signals
        .iter()
        .filter_map(|signal| {
            let value = measure(signal.measure, facts);
            let shown = match signal.measure {
                Measure::Hops => format!(
                    "{} to {}: {}",
                    facts.from,
                    facts.to,
                    plural(facts.hops.len() as u64, "hop", "hops")
                ),
                Measure::SequentialWindows => {
                    format!(
                        "{} in place",
                        plural(
                            facts.sequential_windows(),
                            "change window",
                            "change windows"
                        )
                    )
                }
                Measure::SequentialMonths => format!(
                    "{} in place: {}, {}, {} months",
                    plural(facts.clusters, "cluster", "clusters"),
                    plural(facts.sequential_changes(), "change", "changes"),
                    plural(facts.sequential_windows(), "window", "windows"),
                    format_number(value)
                ),
                Measure::ClusterCount => plural(facts.clusters, "cluster", "clusters"),
            };
            let band = band(signal, value)?;
            let weight = effective_weight(band.lean);
            (weight > 0).then(|| Driver {
                question: signal.question.clone(),
                answer: shown,
                leans: band.lean.toward,
                weight,
                reason: band.reason.replace("{value}", &format_number(value)),
                signal: Some(signal.id.clone()),
            })
        })
        .collect()
}

/// `4` for whole numbers, `4.5` otherwise.
pub fn format_number(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

fn blockers(checklist: &Checklist, answers: &Answers, strategy: Strategy) -> Vec<Blocker> {
    let lookup = |id: &str| answers.get(id);
    checklist
        .blockers
        .iter()
        .filter(|b| b.strategies.contains(&strategy) && b.when.holds(&lookup))
        .map(|b| Blocker {
            id: b.id.clone(),
            question: b.question.clone(),
            answer: answers
                .get(&b.question)
                .map(ToString::to_string)
                .unwrap_or_default(),
            title: b.title.clone(),
            action: b.action.clone(),
        })
        .collect()
}

fn risks(checklist: &Checklist, answers: &Answers) -> Vec<RiskItem> {
    checklist
        .questions
        .iter()
        .filter_map(|q| {
            let value = answers.get(&q.id)?;
            let risk = q.choice(&value.to_string())?.risk.as_ref()?;
            Some(RiskItem {
                question: q.id.clone(),
                answer: value.to_string(),
                risk: risk.description.clone(),
                mitigation: risk.mitigation.clone(),
            })
        })
        .collect()
}

fn layers(
    checklist: &Checklist,
    answers: &Answers,
    facts: &Facts,
    strategy: Strategy,
) -> Vec<LayerPlan> {
    let hops = facts.hops.len() as u64;
    let waves = if strategy == Strategy::Hybrid {
        facts.hybrid_waves()
    } else {
        facts.batches
    };
    checklist
        .layers
        .iter()
        .map(|layer| {
            // (from, to, the versions passed in place) for the layers that have versions.
            let versions = match layer.role {
                LayerRole::Shared => {
                    let from_id = layer.from.as_deref().unwrap_or_default();
                    match shared_layer_steps(answers, layer) {
                        Some(found) => Some(found),
                        None => {
                            return unchanged(
                                layer,
                                None,
                                format!("not assessed: {from_id} was not answered"),
                            );
                        }
                    }
                }
                LayerRole::Workload | LayerRole::ControlPlane => {
                    Some((facts.from, facts.to, facts.hops.clone()))
                }
                LayerRole::Applications => None,
            };
            if let Some((from, to, steps)) = &versions
                && steps.is_empty()
            {
                return unchanged(
                    layer,
                    Some((*from, *to)),
                    "already at the target".to_string(),
                );
            }
            let method = match (layer.role, strategy) {
                (LayerRole::Applications, Strategy::Sequential) => Method::RideThrough,
                (LayerRole::Applications, _) => Method::Migrate,
                (_, Strategy::BlueGreen) | (LayerRole::Workload, Strategy::Hybrid) => {
                    Method::BlueGreen
                }
                _ => Method::InPlace,
            };
            let (from, to, steps) = match versions {
                Some((from, to, _)) if method == Method::BlueGreen => {
                    (Some(from), Some(to), vec![to])
                }
                Some((from, to, steps)) => (Some(from), Some(to), steps),
                None => (None, None, Vec::new()),
            };
            let in_place = match layer.steps {
                Steps::Minor if layer.role == LayerRole::Shared => {
                    plural(steps.len() as u64, "hop", "hops")
                }
                Steps::Direct if layer.role == LayerRole::Shared => {
                    "one in-place update".to_string()
                }
                _ => plural(hops, "hop", "hops"),
            };
            let version = |v: Option<Version>| v.map_or(String::new(), |v| v.to_string());
            let note = layer.notes[&strategy]
                .replace("{from}", &version(from))
                .replace("{to}", &version(to))
                .replace("{steps}", &in_place)
                .replace("{hops}", &plural(hops, "hop", "hops"))
                .replace("{clusters}", &plural(facts.clusters, "cluster", "clusters"))
                .replace("{batches}", &plural(facts.batches, "batch", "batches"))
                .replace("{waves}", &plural(waves, "wave", "waves"));
            LayerPlan {
                id: layer.id.clone(),
                name: layer.name.clone(),
                method,
                from,
                to,
                steps,
                note,
            }
        })
        .collect()
}

fn unchanged(layer: &Layer, versions: Option<(Version, Version)>, note: String) -> LayerPlan {
    LayerPlan {
        id: layer.id.clone(),
        name: layer.name.clone(),
        method: Method::Unchanged,
        from: versions.map(|v| v.0),
        to: versions.map(|v| v.1),
        steps: Vec::new(),
        note,
    }
}

fn rationale(
    checklist: &Checklist,
    scores: &Scores,
    leaning: Toward,
    strategy: Strategy,
    gates: &[ClosedGate],
    drivers: &[Driver],
    timeline: &[Timeline],
) -> Vec<String> {
    let mut out = Vec::new();
    let side = if leaning == Toward::BlueGreen {
        "Blue-Green"
    } else {
        "Sequential"
    };
    let top: Vec<&str> = drivers
        .iter()
        .filter(|d| d.leans == leaning)
        .take(3)
        .map(|d| d.question.as_str())
        .collect();
    let led_by = if top.is_empty() {
        String::new()
    } else {
        format!(", led by {}", top.join(", "))
    };
    out.push(format!(
        "The answers lean {side}: {} points for Blue-Green against {} for Sequential (Blue-Green needs a lead of {}){led_by}.",
        scores.blue_green, scores.sequential, scores.blue_green_needs
    ));
    for gate in gates {
        let applies = match strategy {
            // Gates that close on the lean's path are the ones that shaped the result.
            Strategy::Sequential => leaning == Toward::BlueGreen,
            Strategy::Hybrid => gate.rules_out.contains(&Strategy::BlueGreen),
            Strategy::BlueGreen => false,
        };
        if applies {
            out.push(gate.reason.clone());
        }
    }
    out.push(checklist.strategy_text(strategy).summary.clone());
    let of = |s: Strategy| timeline.iter().find(|t| t.strategy == s);
    if let (Some(chosen), Some(seq)) = (of(strategy), of(Strategy::Sequential))
        && strategy != Strategy::Sequential
        && seq.months > chosen.months
    {
        out.push(format!(
            "On the calendar it needs about {} months against {} months hop by hop.",
            format_number(chosen.months),
            format_number(seq.months)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn vks() -> Checklist {
        Checklist::builtin("vks").unwrap()
    }

    /// The article's case study: three hops, limited capacity, a shared Supervisor.
    fn case_study() -> Vec<(&'static str, &'static str)> {
        vec![
            ("current_version", "1.30"),
            ("target_version", "1.33"),
            ("cluster_count", "6"),
            ("supervisor_version", "1.29"),
            ("supervisor_target_version", "1.30"),
            ("vks_version", "3.1"),
            ("vks_target_version", "3.5"),
            ("rolling_restart_tolerance", "most"),
            ("pdbs_and_probes", "partly"),
            ("deprecated_apis", "partly"),
            ("stateful_workloads", "some"),
            ("legacy_apps", "yes"),
            ("change_window", "monthly"),
            ("changes_per_window", "1"),
            ("change_approval", "heavy"),
            ("clusters_per_window", "2"),
            ("spare_capacity", "limited"),
            ("capacity_expansion", "no"),
            ("shared_supervisor", "yes"),
            ("traffic_shifting", "weighted"),
            ("pod_autoscaling", "yes"),
            ("cluster_autoscaling", "no"),
            ("continuous_delivery", "gitops"),
            ("stateful_strategy", "backup-restore"),
        ]
    }

    fn answers(checklist: &Checklist, pairs: &[(&str, &str)]) -> Answers {
        let given: BTreeMap<String, AnswerValue> = pairs
            .iter()
            .map(|(id, text)| {
                let question = checklist.question(id).unwrap_or_else(|| panic!("{id}"));
                let value = match question.kind {
                    crate::checklist::QuestionKind::Version => {
                        AnswerValue::Version(text.parse().unwrap())
                    }
                    crate::checklist::QuestionKind::Integer { .. } => {
                        AnswerValue::Integer(text.parse().unwrap())
                    }
                    _ => AnswerValue::Choice(text.to_string()),
                };
                (id.to_string(), value)
            })
            .collect();
        Answers::resolve(checklist, given, &|_| None).unwrap()
    }

    fn with(changes: &[(&'static str, &'static str)]) -> Assessment {
        let c = vks();
        let mut pairs = case_study();
        for (id, value) in changes {
            match pairs.iter_mut().find(|(k, _)| k == id) {
                Some(pair) => pair.1 = value,
                None => pairs.push((id, value)),
            }
        }
        pairs.retain(|(_, v)| !v.is_empty());
        assess(&c, &answers(&c, &pairs))
    }

    #[test]
    fn the_case_study_is_hybrid_because_of_the_shared_supervisor() {
        let a = with(&[]);
        assert_eq!(a.recommendation.strategy, Strategy::Hybrid);
        assert_eq!(a.recommendation.leaning, Toward::BlueGreen);
        assert_eq!(
            a.recommendation
                .gates
                .iter()
                .map(|g| g.id.as_str())
                .collect::<Vec<_>>(),
            ["hybrid-rule"]
        );
        assert!(
            a.drivers.windows(2).all(|w| w[0].weight >= w[1].weight),
            "drivers sorted"
        );
        assert_eq!(a.drivers[0].signal.as_deref(), Some("version-jump"));
    }

    #[test]
    fn the_hybrid_rule_needs_a_shared_supervisor_or_limited_capacity() {
        let full = with(&[("shared_supervisor", "no"), ("spare_capacity", "yes")]);
        assert_eq!(full.recommendation.strategy, Strategy::BlueGreen);
        let limited = with(&[
            ("shared_supervisor", "no"),
            ("spare_capacity", "limited"),
            ("capacity_expansion", "no"),
        ]);
        assert_eq!(limited.recommendation.strategy, Strategy::Hybrid);
        // Limited today but expansion can be approved: a full parallel environment is possible.
        let expandable = with(&[
            ("shared_supervisor", "no"),
            ("spare_capacity", "limited"),
            ("capacity_expansion", "yes"),
        ]);
        assert_eq!(expandable.recommendation.strategy, Strategy::BlueGreen);
    }

    #[test]
    fn no_capacity_and_no_expansion_rules_out_any_parallel_build() {
        let a = with(&[("spare_capacity", "no"), ("capacity_expansion", "no")]);
        assert_eq!(
            a.recommendation.leaning,
            Toward::BlueGreen,
            "the answers still lean Blue-Green"
        );
        assert_eq!(a.recommendation.strategy, Strategy::Sequential);
        assert_ne!(
            a.recommendation.confidence,
            Confidence::High,
            "overruled leans are never high"
        );
        assert!(
            a.recommendation
                .rationale
                .iter()
                .any(|r| r.contains("no spare capacity"))
        );
        let bg = a
            .timeline
            .iter()
            .find(|t| t.strategy == Strategy::BlueGreen)
            .unwrap();
        assert_eq!(bg.ruled_out_by.as_deref(), Some("no-capacity"));
    }

    #[test]
    fn a_small_jump_with_resilient_apps_stays_sequential_even_with_capacity() {
        let a = with(&[
            ("current_version", "1.32"),
            ("rolling_restart_tolerance", "all"),
            ("pdbs_and_probes", "yes"),
            ("deprecated_apis", "remediated"),
            ("legacy_apps", "no"),
            ("stateful_workloads", "none"),
            ("change_window", "weekly"),
            ("change_approval", "light"),
            ("spare_capacity", "yes"),
            ("shared_supervisor", "no"),
        ]);
        assert_eq!(a.recommendation.leaning, Toward::Sequential);
        assert_eq!(a.recommendation.strategy, Strategy::Sequential);
        assert!(
            a.blockers.is_empty(),
            "blockers only concern Blue-Green and Hybrid"
        );
    }

    #[test]
    fn each_signal_band_leans_as_the_checklist_says() {
        let hop = |from: &'static str| {
            let a = with(&[("current_version", from)]);
            a.drivers
                .into_iter()
                .find(|d| d.signal.as_deref() == Some("version-jump"))
        };
        let one = hop("1.32").unwrap();
        assert_eq!((one.leans, one.weight), (Toward::Sequential, 3));
        assert_eq!(hop("1.31").unwrap().weight, 1);
        let three = hop("1.30").unwrap();
        assert_eq!((three.leans, three.weight), (Toward::BlueGreen, 3));
        assert!(three.reason.starts_with("3 minor hops"), "{}", three.reason);
        assert_eq!(hop("1.27").unwrap().weight, 5);
        assert!(hop("1.33").is_none(), "no hop, no lean");
    }

    #[test]
    fn the_fleet_signal_grows_with_the_calendar() {
        let fleet = |clusters: &'static str, window: &'static str| {
            with(&[
                ("cluster_count", clusters),
                ("clusters_per_window", "1"),
                ("change_window", window),
            ])
            .drivers
            .into_iter()
            .find(|d| d.signal.as_deref() == Some("fleet-calendar"))
            .map(|d| (d.leans, d.weight))
        };
        // 2 shared-layer changes + 3 hops x 30 batches = 92 monthly windows: years.
        assert_eq!(fleet("30", "monthly"), Some((Toward::BlueGreen, 4)));
        // 2 + 3 x 1 = 5 weekly windows: about a month.
        assert_eq!(fleet("1", "weekly"), Some((Toward::Sequential, 1)));
    }

    #[test]
    fn calendar_four_monthly_hops_take_at_least_four_months() {
        let a = with(&[
            ("current_version", "1.29"),
            ("cluster_count", "1"),
            ("clusters_per_window", "1"),
            ("supervisor_version", ""),
            ("supervisor_target_version", ""),
            ("vks_version", ""),
            ("vks_target_version", ""),
        ]);
        let seq = &a.timeline[0];
        assert_eq!(seq.strategy, Strategy::Sequential);
        assert_eq!((seq.changes, seq.windows, seq.months), (4, 4, 4.0));
        assert_eq!(
            a.path
                .hops
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
            ["1.30", "1.31", "1.32", "1.33"]
        );
    }

    #[test]
    fn calendar_counts_shared_layers_batches_and_changes_per_window() {
        let a = with(&[]);
        let by = |s| a.timeline.iter().find(|t| t.strategy == s).unwrap();
        // Supervisor 1 hop + VKS 1 update + 3 hops x 3 batches of 2 clusters.
        assert_eq!(
            (
                by(Strategy::Sequential).changes,
                by(Strategy::Sequential).windows
            ),
            (11, 11)
        );
        // Build + 3 waves + decommission.
        assert_eq!(by(Strategy::BlueGreen).changes, 5);
        // Supervisor + VKS in place + 3 waves + retire.
        assert_eq!(by(Strategy::Hybrid).changes, 6);
        let two = with(&[("changes_per_window", "2"), ("change_window", "quarterly")]);
        let seq = &two.timeline[0];
        assert_eq!((seq.windows, seq.months), (6, 18.0));
        let last = seq.phases.last().unwrap();
        assert_eq!((last.first_window, last.last_window), (5, 6));
    }

    #[test]
    fn confidence_follows_the_distance_from_flipping() {
        assert_eq!(with(&[]).recommendation.confidence, Confidence::High);
        // Pull the lean down until it is close to the threshold.
        let close = with(&[
            ("current_version", "1.31"),
            ("legacy_apps", "no"),
            ("change_approval", "standard"),
            ("continuous_delivery", "pipeline"),
            ("rolling_restart_tolerance", "all"),
        ]);
        let s = close.scores;
        let distance = (s.margin - s.blue_green_needs).abs();
        assert!(
            distance < 4,
            "margin {} needs {}",
            s.margin,
            s.blue_green_needs
        );
        assert_eq!(close.recommendation.confidence, Confidence::Low);
    }

    #[test]
    fn blockers_name_their_question_and_what_to_do() {
        let a = with(&[
            ("traffic_shifting", "dns-only"),
            ("continuous_delivery", "manual"),
        ]);
        let ids: Vec<&str> = a.blockers.iter().map(|b| b.question.as_str()).collect();
        assert!(
            ids.contains(&"traffic_shifting")
                && ids.contains(&"continuous_delivery")
                && ids.contains(&"cluster_autoscaling"),
            "{ids:?}"
        );
        assert!(a.blockers.iter().all(|b| !b.action.is_empty()));
        assert_eq!(
            a.next_steps[0], a.blockers[0].action,
            "blockers come first in next steps"
        );
    }

    #[test]
    fn unknown_answers_are_risks() {
        let a = with(&[
            ("rolling_restart_tolerance", "unknown"),
            ("deprecated_apis", "unknown"),
        ]);
        let risky: Vec<&str> = a.risks.iter().map(|r| r.question.as_str()).collect();
        assert!(risky.contains(&"rolling_restart_tolerance") && risky.contains(&"deprecated_apis"));
        assert!(
            a.risks
                .iter()
                .any(|r| r.risk.contains("unknown counts as a risk"))
        );
    }

    #[test]
    fn layers_follow_the_strategy() {
        let a = with(&[]);
        let method = |id: &str| a.layers.iter().find(|l| l.id == id).unwrap().method;
        assert_eq!(method("supervisor"), Method::InPlace);
        assert_eq!(method("vks"), Method::InPlace);
        assert_eq!(method("workload-clusters"), Method::BlueGreen);
        assert_eq!(method("applications"), Method::Migrate);
        let bg = with(&[("shared_supervisor", "no"), ("spare_capacity", "yes")]);
        assert!(
            bg.layers
                .iter()
                .filter(|l| l.id != "applications")
                .all(|l| l.method == Method::BlueGreen)
        );
    }

    #[test]
    fn the_drivers_add_up_to_the_scores() {
        for changes in [
            &[][..],
            &[("current_version", "1.32"), ("change_window", "weekly")][..],
        ] {
            let a = with(changes);
            let sum = |t| {
                a.drivers
                    .iter()
                    .filter(|d| d.leans == t)
                    .map(|d| d.weight)
                    .sum::<u32>()
            };
            assert_eq!(sum(Toward::BlueGreen), a.scores.blue_green);
            assert_eq!(sum(Toward::Sequential), a.scores.sequential);
        }
    }

    #[test]
    fn the_result_is_deterministic() {
        assert_eq!(with(&[]), with(&[]));
    }
}
