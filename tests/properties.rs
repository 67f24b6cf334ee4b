//! Properties that make the recommendation trustworthy, over random valid answer sets of every
//! built-in checklist. The order of each question's choices (from the answer that leans most
//! toward Sequential to the one that leans most toward Blue-Green) is read from the checklist.

use std::collections::BTreeMap;

use proptest::prelude::*;
use upgrade_advisor::answers::values::Answers;
use upgrade_advisor::answers::values::AnswersFile;
use upgrade_advisor::base::date::Date;
use upgrade_advisor::checklist::BUILTIN;
use upgrade_advisor::checklist::model::Checklist;
use upgrade_advisor::checklist::model::QuestionKind;
use upgrade_advisor::checklist::strategy::Strategy as Plan;
use upgrade_advisor::checklist::value::AnswerValue;
use upgrade_advisor::kube::version::Version;
use upgrade_advisor::plan::Report;
use upgrade_advisor::report::render::RenderOptions;
use upgrade_advisor::report::{Format, render};
use upgrade_advisor::scoring::calendar::timeline::Timeline;
use upgrade_advisor::scoring::confidence::Confidence;
use upgrade_advisor::scoring::decision::Decision;
use upgrade_advisor::scoring::decision::decide;
use upgrade_advisor::scoring::facts::Facts;
use upgrade_advisor::scoring::whatif::analyse;
use upgrade_advisor::scoring::windows::When;
use upgrade_advisor::scoring::{assess, layers};

/// The built-in checklists, parsed once for all cases.
fn checklists() -> &'static [Checklist] {
    static PARSED: std::sync::LazyLock<Vec<Checklist>> = std::sync::LazyLock::new(|| {
        BUILTIN
            .iter()
            .map(|(name, _)| Checklist::builtin(name).unwrap())
            .collect()
    });
    &PARSED
}

/// A valid answer set built from random numbers: every question that applies gets an answer,
/// optional version pairs come and go, targets never fall below their current versions.
fn answers_from(checklist: &Checklist, seeds: &[u32]) -> BTreeMap<String, AnswerValue> {
    let mut given: BTreeMap<String, AnswerValue> = BTreeMap::new();
    let b = &checklist.bindings;
    let layer_pairs: Vec<(&str, &str)> = checklist
        .layers
        .iter()
        .filter_map(|l| Some((l.from.as_deref()?, l.to.as_deref()?)))
        .collect();
    for (i, question) in checklist.questions.iter().enumerate() {
        let seed = seeds[i % seeds.len()].wrapping_add(i as u32 * 7919);
        if !question.applies(&given) {
            continue;
        }
        if !question.required && seed.is_multiple_of(3) {
            continue;
        }
        let value = match &question.kind {
            QuestionKind::Choice { choices, .. } => {
                AnswerValue::Choice(choices[seed as usize % choices.len()].value.clone())
            }
            QuestionKind::Integer { min, .. } => {
                let n = if question.id == b.clusters_per_window {
                    let clusters = given
                        .get(&b.cluster_count)
                        .and_then(AnswerValue::as_integer)
                        .unwrap_or(1);
                    1 + u64::from(seed) % clusters
                } else if question.id == b.changes_per_window {
                    1 + u64::from(seed % 4)
                } else {
                    1 + u64::from(seed % 60)
                };
                AnswerValue::Integer(n.max(*min))
            }
            QuestionKind::Version => {
                // A target is its current version plus a few minors.
                let from = if question.id == b.target_version {
                    Some(b.current_version.as_str())
                } else {
                    layer_pairs
                        .iter()
                        .find(|(_, to)| *to == question.id)
                        .map(|(from, _)| *from)
                };
                match from
                    .and_then(|f| given.get(f))
                    .and_then(AnswerValue::as_version)
                {
                    // Real releases only: the data knows 1.19 to 1.36.
                    Some(current) => AnswerValue::Version(Version::new(
                        current.major,
                        (current.minor + seed % 7).min(36).max(current.minor),
                    )),
                    None => AnswerValue::Version(Version::new(1, 24 + seed % 12)),
                }
            }
        };
        given.insert(question.id.clone(), value);
    }
    given
}

fn answers_len(checklist: &Checklist, given: &BTreeMap<String, AnswerValue>) -> usize {
    resolve(checklist, given.clone()).values().len()
}

fn resolve(checklist: &Checklist, given: BTreeMap<String, AnswerValue>) -> Answers {
    Answers::resolve(checklist, given, &|_| None).expect("generated answers are valid")
}

/// Moves one ordered answer a step along its order (`+1` toward Blue-Green, `-1` toward
/// Sequential). Questions that start to apply get their most Sequential-leaning answer (or
/// their first choice), so a step toward Blue-Green brings no Blue-Green lean of its own.
fn step(
    checklist: &Checklist,
    given: &BTreeMap<String, AnswerValue>,
    id: &str,
    toward: i64,
) -> Option<Answers> {
    let question = checklist.question(id)?;
    let now = given.get(id)?.to_string();
    let position = question.order.iter().position(|v| *v == now)? as i64 + toward;
    let next = question.order.get(usize::try_from(position).ok()?)?;
    let mut changed = given.clone();
    changed.insert(id.to_string(), AnswerValue::Choice(next.clone()));
    for q in &checklist.questions {
        if q.required && q.applies(&changed) && !changed.contains_key(&q.id) {
            let first = q
                .order
                .first()
                .cloned()
                .or_else(|| q.choices().first().map(|c| c.value.clone()))?;
            changed.insert(q.id.clone(), AnswerValue::Choice(first));
        }
    }
    Some(resolve(checklist, changed))
}

/// The answers as a YAML file, keys in the given order.
fn yaml(checklist: &Checklist, pairs: &[(&String, &AnswerValue)]) -> String {
    let mut text = format!("checklist: {}\nanswers:\n", checklist.id);
    for (id, value) in pairs {
        match value {
            AnswerValue::Integer(n) => text.push_str(&format!("  {id}: {n}\n")),
            other => text.push_str(&format!("  {id}: \"{other}\"\n")),
        }
    }
    text
}

fn seeds() -> impl proptest::strategy::Strategy<Value = Vec<u32>> {
    prop::collection::vec(any::<u32>(), 32)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// Moving any one answer a step toward Blue-Green never lowers the Blue-Green lean and
    /// never turns a Blue-Green recommendation into Sequential; the mirror holds for Sequential.
    #[test]
    fn monotone_in_every_ordered_answer(seeds in seeds()) {
        for checklist in checklists() {
            let given = answers_from(checklist, &seeds);
            let before: Decision = decide(checklist, &resolve(checklist, given.clone()), &When::example());
            // A choice whose lean depends on its context (other answers, removed APIs) is
            // monotone only within one context; the scoring tests cover those.
            let ordered = checklist.questions.iter().filter(|q| {
                !q.order.is_empty() && q.choices().iter().all(|c| c.context.is_none())
            });
            for question in ordered {
                if let Some(after) = step(checklist, &given, &question.id, 1).map(|a| decide(checklist, &a, &When::example())) {
                    prop_assert!(after.scores.margin >= before.scores.margin,
                        "{}: {} toward Blue-Green lowered the margin {} -> {}", checklist.id, question.id, before.scores.margin, after.scores.margin);
                    if before.strategy == Plan::BlueGreen {
                        prop_assert_ne!(after.strategy, Plan::Sequential, "{}: {} toward Blue-Green", checklist.id, question.id);
                    }
                }
                if let Some(after) = step(checklist, &given, &question.id, -1).map(|a| decide(checklist, &a, &When::example())) {
                    prop_assert!(after.scores.margin <= before.scores.margin,
                        "{}: {} toward Sequential raised the margin {} -> {}", checklist.id, question.id, before.scores.margin, after.scores.margin);
                    if before.strategy == Plan::Sequential {
                        prop_assert_eq!(after.strategy, Plan::Sequential, "{}: {} toward Sequential", checklist.id, question.id);
                    }
                }
            }
        }
    }

    /// Every answer set gives an explained recommendation whose confidence keeps the rule:
    /// never high with open blockers, unknown answers or a single change that flips it; the
    /// recommended strategy is possible; unknown answers are never drivers; every closed
    /// gate's `triggered_by` answers are the answers given.
    #[test]
    fn every_answer_set_is_explained_and_honest(seeds in seeds()) {
        for checklist in checklists() {
            let answers = resolve(checklist, answers_from(checklist, &seeds));
            let a = assess(checklist, &answers, &When::example()).unwrap();
            let rec = &a.recommendation;
            prop_assert!(!rec.rationale.is_empty());
            prop_assert_eq!(a.timeline.len(), 3);
            prop_assert!(a.drivers.windows(2).all(|w| w[0].weight >= w[1].weight));
            let possible = a.feasibility.iter().find(|f| f.strategy == rec.strategy).unwrap();
            prop_assert!(possible.feasible, "{}: recommended {} is ruled out", checklist.id, rec.strategy);
            if rec.confidence == Confidence::High {
                prop_assert!(a.blockers.is_empty(), "{}: high with blockers", checklist.id);
                prop_assert!(a.unknowns.is_empty(), "{}: high with unknowns", checklist.id);
                prop_assert!(rec.confidence_reasons.is_empty());
            }
            for u in &a.unknowns {
                prop_assert!(!a.drivers.iter().any(|d| d.question == u.question && d.signal.is_none()),
                    "{}: unknown {} is a driver", checklist.id, u.question);
            }
            for gate in &rec.gates {
                prop_assert!(!gate.triggered_by.is_empty());
                for t in &gate.triggered_by {
                    let given = answers.get(&t.question).map(ToString::to_string);
                    prop_assert_eq!(given.as_deref(), Some(t.answer.as_str()), "{}: gate {}", checklist.id, gate.id);
                }
            }
        }
    }

    /// Enablers (questions whose every answer is neutral and that no lean depends on) only
    /// decide what is possible: changing one never moves the preference scores.
    #[test]
    fn enablers_never_move_the_preference(seeds in seeds()) {
        for checklist in checklists() {
            let given = answers_from(checklist, &seeds);
            let before = decide(checklist, &resolve(checklist, given.clone()), &When::example());
            let context_reads: Vec<String> = checklist.questions.iter()
                .flat_map(|q| q.choices().iter())
                .filter_map(|c| c.context.as_ref())
                .flat_map(|c| c.when.questions().into_iter().map(str::to_string))
                .collect();
            for q in checklist.questions.iter().filter(|q| {
                !q.choices().is_empty()
                    && q.choices().iter().all(|c| c.lean.weight == 0 && c.context.is_none())
                    && !context_reads.contains(&q.id)
                    && given.contains_key(&q.id)
            }) {
                for c in q.choices() {
                    let mut changed = given.clone();
                    changed.insert(q.id.clone(), AnswerValue::Choice(c.value.clone()));
                    let Ok(resolved) = Answers::resolve(checklist, changed, &|_| None) else { continue };
                    let after = decide(checklist, &resolved, &When::example());
                    // Questions that start to apply may add leans of their own; compare only
                    // when the set of answered questions is the same.
                    if resolved.values().len() == answers_len(checklist, &given) {
                        prop_assert_eq!(after.scores, before.scores, "{}: {}={}", checklist.id, q.id, c.value);
                    }
                }
            }
        }
    }

    /// No generated plan leaves a node pool more than the kubelet skew behind its control
    /// plane: under Hybrid the nodes are replaced before they fall further behind.
    #[test]
    fn kubelet_skew_holds_in_every_node_pool_plan(seeds in seeds()) {
        let checklist = checklists().iter().find(|c| c.id == "kubernetes").unwrap();
        let answers = resolve(checklist, answers_from(checklist, &seeds));
        let facts = Facts::new(checklist, &answers, &When::example());
        let skew = checklist.layers.iter().find_map(|l| l.max_skew).unwrap();
        for strategy in Plan::ALL {
            for layer in layers::layers(checklist, &facts, strategy) {
                if layer.id != "node-pools" || layer.steps.is_empty() {
                    continue;
                }
                let mut at = facts.from;
                for step in &layer.steps {
                    prop_assert!(step.minor - at.minor <= skew || strategy == Plan::BlueGreen,
                        "{strategy}: nodes {at} -> {step}");
                    at = *step;
                }
                prop_assert_eq!(at, facts.to);
            }
        }
    }

    /// Capacity rotation never needs more extra clusters at once than a limited capacity
    /// holds, or the batch that does not fit is a blocker; each rotated wave waits for the
    /// retirement that makes its room.
    #[test]
    fn rotation_stays_within_the_capacity_or_says_it_cannot(seeds in seeds()) {
        for checklist in checklists() {
            let answers = resolve(checklist, answers_from(checklist, &seeds));
            let facts = Facts::new(checklist, &answers, &When::example());
            let Ok(a) = assess(checklist, &answers, &When::example()) else { continue };
            for t in &a.timeline {
                let peak = t.peak_extra_clusters;
                prop_assert!(peak <= facts.clusters, "{}: {peak}", t.strategy);
                if t.strategy == Plan::Sequential {
                    prop_assert_eq!(peak, 0);
                    continue;
                }
                if let Some(capacity) = facts.limited_capacity {
                    let over = facts.batch_over_capacity() > 0;
                    prop_assert!(peak <= capacity || over,
                        "{} {}: {peak} extra clusters in a capacity of {capacity}", checklist.id, t.strategy);
                    if over && a.recommendation.strategy == t.strategy {
                        prop_assert!(a.blockers.iter().any(|b| b.id == "batch-over-capacity"));
                    }
                }
                for phase in &t.phases {
                    let r = &phase.rotation;
                    let m = r.iter().filter(|w| w.retired_on.is_none()).count();
                    for (i, wave) in r.iter().enumerate().skip(m) {
                        let room = r[i - m].retired_on.expect("a retirement makes the room");
                        prop_assert!(wave.day > room, "{}: wave {} on {}", t.strategy, wave.wave, wave.day);
                    }
                }
            }
        }
    }

    /// The same answers give byte-identical JSON, whatever the order of keys in the file.
    #[test]
    fn deterministic_whatever_the_key_order(seeds in seeds()) {
        let today: Date = "2026-11-26".parse().unwrap();
        let options = RenderOptions { today, start: today, color: false, width: Some(80) };
        for checklist in checklists() {
            let given = answers_from(checklist, &seeds);
            let forward: Vec<(&String, &AnswerValue)> = given.iter().collect();
            let backward: Vec<(&String, &AnswerValue)> = given.iter().rev().collect();
            let json = |pairs: &[(&String, &AnswerValue)]| {
                let file = AnswersFile::parse(&yaml(checklist, pairs), "a.yaml", checklist).unwrap();
                let mut report = Report::build(checklist, &file, options.dates(), false).unwrap();
                // The hash is of the file's bytes, which differ by construction.
                report.answers_sha256.clear();
                render(&report, Format::Json, &options)
            };
            prop_assert_eq!(json(&forward), json(&backward));
        }
    }
}

proptest! {
    // The what-if search takes about a millisecond in a debug build, and each claim shown is
    // assessed again in full.
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Every what-if claim holds with the stated confidence: applying the suggested changes
    /// and assessing in full gives the claimed strategy and confidence; every version it
    /// proposes is a release the data knows, above the current version.
    #[test]
    fn what_if_claims_hold(seeds in seeds()) {
        let known = upgrade_advisor::kube::releases::SupportTable::builtin();
        for checklist in checklists() {
            let answers = resolve(checklist, answers_from(checklist, &seeds));
            let analysis = analyse(checklist, &answers, &When::example());
            // The work limit is for huge custom checklists: a built-in's search always ends.
            prop_assert!(analysis.search.complete, "{:?}", analysis.search);
            let changed = |changes: &[upgrade_advisor::scoring::whatif::Change]| {
                let mut given = answers.given();
                for c in changes {
                    given.insert(c.question.clone(), c.to.clone());
                }
                resolve(checklist, given)
            };
            let apply = |changes: &[upgrade_advisor::scoring::whatif::Change]| {
                decide(checklist, &changed(changes), &When::example()).strategy
            };
            for what_if in &analysis.what_if {
                for scenario in &what_if.scenarios {
                    let a = assess(checklist, &changed(&scenario.changes), &When::example()).unwrap();
                    prop_assert_eq!(a.recommendation.strategy, what_if.strategy);
                    prop_assert_eq!(a.recommendation.confidence, scenario.confidence,
                        "{}: {:?}", checklist.id, scenario.changes);
                    for c in &scenario.changes {
                        if let AnswerValue::Version(v) = &c.to {
                            prop_assert!(known.release(*v).is_some(), "{} proposes {v}", c.question);
                        }
                    }
                }
            }
            for flip in &analysis.sensitivity.flips {
                prop_assert_eq!(apply(std::slice::from_ref(&flip.change)), flip.strategy);
            }
            prop_assert_eq!(analysis.sensitivity.robust, analysis.sensitivity.flips.is_empty());
        }
    }

}

proptest! {
    // Brute force resolves every pair from scratch: tens of milliseconds per answer set.
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// The search misses nothing: resolving every single change and every pair from scratch
    /// finds as many scenarios for each strategy as the report counts.
    #[test]
    fn what_if_misses_no_scenario(seeds in seeds()) {
        for checklist in checklists() {
            let answers = resolve(checklist, answers_from(checklist, &seeds));
            let analysis = analyse(checklist, &answers, &When::example());
            let all = upgrade_advisor::scoring::whatif::candidates(checklist, &answers);
            let outcome = |changes: &[&upgrade_advisor::scoring::whatif::Change]| {
                let mut given = answers.given();
                for c in changes {
                    given.insert(c.question.clone(), c.to.clone());
                }
                let resolved = Answers::resolve(checklist, given, &|_| None).ok()?;
                changes
                    .iter()
                    .all(|c| resolved.get(&c.question) == Some(&c.to))
                    .then(|| decide(checklist, &resolved, &When::example()).strategy)
            };
            let singles: Vec<Option<Plan>> = all.iter().map(|c| outcome(&[c])).collect();
            for what_if in &analysis.what_if {
                let s = what_if.strategy;
                let found = what_if.scenarios.len() + what_if.more;
                let by_one = singles.iter().filter(|o| **o == Some(s)).count();
                if by_one > 0 {
                    prop_assert_eq!((what_if.changes_needed, found), (1, by_one));
                    continue;
                }
                let mut by_two = 0;
                for i in 0..all.len() {
                    for j in i + 1..all.len() {
                        if all[i].question != all[j].question && outcome(&[&all[i], &all[j]]) == Some(s) {
                            by_two += 1;
                        }
                    }
                }
                prop_assert_eq!(found, by_two, "{}: {}", checklist.id, s);
            }
        }
    }
}

/// The answers as the `answers:` lines of a YAML file (indented by `indent`).
fn answer_lines(given: &BTreeMap<String, AnswerValue>, indent: &str) -> String {
    given
        .iter()
        .map(|(id, value)| match value {
            AnswerValue::Integer(n) => format!("{indent}{id}: {n}\n"),
            other => format!("{indent}{id}: \"{other}\"\n"),
        })
        .collect()
}

const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];
const WEEKS: [&str; 6] = ["first", "second", "third", "fourth", "last", "every"];

/// A `calendar:` block from random numbers: a weekday rule (or none: the cadence), a zone,
/// and up to three freezes within two years of the start, each a day to four months long.
fn calendar_block(seeds: &[u32], freezes: usize) -> String {
    let mut text = String::from("calendar:\n");
    if !seeds[0].is_multiple_of(4) {
        text.push_str(&format!(
            "  windows: {{weekday: {}, week: {}}}\n",
            WEEKDAYS[seeds[1] as usize % 7],
            WEEKS[seeds[2] as usize % 6]
        ));
    }
    let zones = [
        "UTC",
        "Europe/Berlin",
        "America/New_York",
        "Pacific/Auckland",
    ];
    text.push_str(&format!("  time_zone: {}\n", zones[seeds[3] as usize % 4]));
    text.push_str(&format!("  rollback_hold_days: {}\n", seeds[4] % 40));
    text.push_str("  freezes:\n");
    for i in 0..freezes {
        text.push_str(&freeze_line(seeds[5 + 2 * i], seeds[6 + 2 * i], i));
    }
    text
}

fn freeze_line(offset: u32, length: u32, i: usize) -> String {
    let start: Date = "2027-01-04".parse().unwrap();
    let from = start.plus_days(i64::from(offset % 730));
    let to = from.plus_days(i64::from(length % 120));
    format!("    - {{from: \"{from}\", to: \"{to}\", reason: freeze {i}}}\n")
}

/// The timelines of an answers file dated from 2027-01-04, or `None` when its calendar
/// cannot date them (freezes that leave no window for a year: refused, not planned).
/// A plan's timelines and the freezes (first and last day) it was dated around.
type Dated = (Vec<Timeline>, Vec<(Date, Date)>);

fn dated(checklist: &Checklist, text: &str) -> Option<Dated> {
    let file = AnswersFile::parse(text, "a.yaml", checklist).ok()?;
    let when = When {
        spec: file.calendar.clone(),
        start: "2027-01-04".parse().unwrap(),
        capacity_clusters: None,
    };
    let freezes = file
        .calendar
        .as_ref()
        .and_then(|c| c.freezes.clone())
        .unwrap_or_default()
        .iter()
        .map(|f| (f.from, f.to))
        .collect();
    assess(checklist, &file.answers, &when)
        .ok()
        .map(|a| (a.timeline, freezes))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Every plan on any calendar: its windows are in order, on or after the start and in no
    /// freeze; production runs the target no later than the programme closes; and adding a
    /// freeze never brings any strategy's target or close forward.
    #[test]
    fn freezes_only_ever_push_plans_later(seeds in seeds(), extra in any::<(u32, u32)>()) {
        let start: Date = "2027-01-04".parse().unwrap();
        for checklist in checklists() {
            let given = answers_from(checklist, &seeds);
            let body = answer_lines(&given, "  ");
            let freezes = seeds[20] as usize % 4;
            let block = calendar_block(&seeds, freezes);
            let text = format!("checklist: {}\n{block}answers:\n{body}", checklist.id);
            let Some((before, frozen)) = dated(checklist, &text) else { continue };
            for t in &before {
                prop_assert!(t.target_date <= t.close_date, "{}: {:?}", checklist.id, t.strategy);
                let mut last = start.plus_days(-1);
                for p in &t.phases {
                    for w in &p.windows {
                        prop_assert!(*w >= start);
                        // Phases packed into one window share it.
                        prop_assert!(*w >= last, "{}: windows out of order", checklist.id);
                        last = *w;
                        prop_assert!(
                            !frozen.iter().any(|(from, to)| from <= w && w <= to),
                            "{}: window {w} in a freeze", checklist.id
                        );
                    }
                    prop_assert!(p.first_day <= p.last_day);
                }
                for s in &t.skipped_windows {
                    prop_assert!(s.freeze.from <= s.date && s.date <= s.freeze.to);
                }
            }
            let more = format!(
                "checklist: {}\n{block}{}answers:\n{body}",
                checklist.id,
                freeze_line(extra.0, extra.1, freezes)
            );
            let Some((after, _)) = dated(checklist, &more) else { continue };
            for (b, a) in before.iter().zip(&after) {
                prop_assert!(a.target_date >= b.target_date, "{}: {:?} reaches the target sooner with a freeze", checklist.id, b.strategy);
                prop_assert!(a.close_date >= b.close_date, "{}: {:?} closes sooner with a freeze", checklist.id, b.strategy);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// A generated fleet (environments on two Supervisors or their own, each with its own
    /// versions, size, cadence and sometimes its own calendar): the fleet's figures are those
    /// of its environments and Supervisors, every environment on a Supervisor starts after
    /// its last shared window, and no environment's own report reaches the target later
    /// than the fleet's schedule says it does.
    #[test]
    fn fleet_figures_agree_with_their_environments(seeds in seeds(), envs in 2usize..6) {
        use upgrade_advisor::answers::values::AnswersDocument;
        use upgrade_advisor::plan::Dates;
        use upgrade_advisor::plan::fleet::FleetReport;
        let checklist = Checklist::builtin("vks").unwrap();
        let mut base = answers_from(&checklist, &seeds);
        // The Supervisors' versions are given per environment group below.
        for id in ["supervisor_version", "supervisor_target_version", "vks_version", "vks_target_version",
                   "current_version", "cluster_count", "clusters_per_window", "change_window"] {
            base.remove(id);
        }
        base.insert("shared_supervisor".into(), AnswerValue::Choice("yes".into()));
        let target = base.get("target_version").and_then(AnswerValue::as_version).unwrap();
        let mut text = format!("checklist: vks\nanswers:\n{}environments:\n", answer_lines(&base, "  "));
        let cadences = ["weekly", "biweekly", "monthly", "quarterly"];
        for e in 0..envs {
            let s = seeds[e + 8];
            let supervisor = ["sup-a", "sup-b", ""][s as usize % 3];
            let clusters = 1 + s % 9;
            let current = Version::new(1, target.minor.saturating_sub(s % 4).max(24).min(target.minor));
            text.push_str(&format!("  - name: env-{e}\n"));
            if !supervisor.is_empty() {
                text.push_str(&format!("    supervisor: {supervisor}\n"));
            }
            if s.is_multiple_of(5) {
                text.push_str(&format!(
                    "    calendar:\n      windows: {{weekday: {}, week: {}}}\n      freezes:\n  {}",
                    WEEKDAYS[s as usize % 7], WEEKS[(s / 7) as usize % 6],
                    freeze_line(s / 3, s / 11, 0)
                ));
            }
            let (sup_from, sup_to) = match supervisor { "sup-a" => ("1.28", "1.30"), _ => ("1.29", "1.30") };
            text.push_str(&format!(
                "    answers:\n      current_version: \"{current}\"\n      cluster_count: {clusters}\n      clusters_per_window: {}\n      change_window: {}\n      supervisor_version: \"{sup_from}\"\n      supervisor_target_version: \"{sup_to}\"\n      vks_version: \"3.1\"\n      vks_target_version: \"3.5\"\n",
                1 + (s / 13) % clusters,
                cadences[(s / 17) as usize % 4],
            ));
        }
        let Ok(AnswersDocument::Fleet(fleet)) = AnswersDocument::parse(&text, "fleet.yaml", &checklist, &[], &[]) else {
            return Err(TestCaseError::fail(format!("the generated fleet is valid:\n{text}")));
        };
        let start: Date = "2027-01-04".parse().unwrap();
        let dates = Dates { today: "2026-12-01".parse().unwrap(), start };
        let report = match FleetReport::build(&checklist, &fleet, dates) {
            Ok(report) => report,
            Err(problems) => return Err(TestCaseError::fail(format!("{problems:?}\n{text}"))),
        };
        let summary = &report.fleet;
        let calendar = &summary.calendar;
        let mut target = start;
        let mut close = start;
        let mut risky = 0u64;
        for s in &summary.supervisors {
            if let Some(last) = s.last_day {
                target = target.max(last);
                close = close.max(last);
            }
            risky += s.changes;
            for e in summary.schedule.iter().filter(|e| s.environments.contains(&e.environment)) {
                if let Some(last) = s.last_day {
                    prop_assert!(e.starts > last, "{} starts before {} is done", e.environment, s.name);
                }
            }
        }
        for e in &summary.schedule {
            target = target.max(e.target_date);
            close = close.max(e.close_date);
            risky += e.risky_changes;
            prop_assert!(e.target_date <= e.close_date);
        }
        prop_assert_eq!(calendar.target_date, target);
        prop_assert_eq!(calendar.close_date, close);
        prop_assert_eq!(calendar.risky_changes, risky);
        prop_assert!(calendar.all_sequential_months >= 0.0);
        for (env, dated) in report.environments.each(false).zip(&summary.schedule) {
            prop_assert_eq!(&env.name, &dated.environment);
            let a = &env.report.assessment;
            let own = a.timeline_of(a.recommendation.strategy).unwrap();
            prop_assert!(own.target_date <= dated.target_date,
                "{}: its own report reaches the target on {}, the fleet says {}", env.name, own.target_date, dated.target_date);
        }
    }
}
