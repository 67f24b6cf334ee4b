//! One scenario per principle of the decision model, on the built-in vks checklist.

use std::collections::BTreeMap;

use super::*;
use crate::checklist::model::QuestionKind;
use crate::checklist::raw::PhaseKind;
use crate::checklist::strategy::Toward;
use crate::scoring::calendar::timeline::Timeline;
use crate::scoring::confidence::Confidence;

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
                QuestionKind::Version => AnswerValue::Version(text.parse().unwrap()),
                QuestionKind::Integer { .. } => AnswerValue::Integer(text.parse().unwrap()),
                _ => AnswerValue::Choice(text.to_string()),
            };
            (id.to_string(), value)
        })
        .collect();
    Answers::resolve(checklist, given, &|_| None).unwrap()
}

fn pairs_with(changes: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
    let mut pairs = case_study();
    for (id, value) in changes {
        match pairs.iter_mut().find(|(k, _)| k == id) {
            Some(pair) => pair.1 = value,
            None => pairs.push((id, value)),
        }
    }
    pairs.retain(|(_, v)| !v.is_empty());
    pairs
}

fn with(changes: &[(&'static str, &'static str)]) -> Assessment {
    let c = vks();
    assess(&c, &answers(&c, &pairs_with(changes)), &When::example()).unwrap()
}

fn feasible(a: &Assessment, s: Strategy) -> bool {
    a.feasibility
        .iter()
        .find(|f| f.strategy == s)
        .unwrap()
        .feasible
}

/// A calm platform: one hop, resilient applications, frequent windows, capacity to spare.
const CALM: &[(&str, &str)] = &[
    ("current_version", "1.32"),
    ("rolling_restart_tolerance", "all"),
    ("pdbs_and_probes", "yes"),
    ("deprecated_apis", "remediated"),
    ("legacy_apps", "no"),
    ("stateful_workloads", "none"),
    ("stateful_strategy", ""),
    ("change_window", "weekly"),
    ("change_approval", "light"),
    ("spare_capacity", "yes"),
    ("shared_supervisor", "no"),
    ("cluster_autoscaling", "yes"),
];

// 1. Two stages: feasibility, then preference.

#[test]
fn the_case_study_is_hybrid_because_blue_green_is_not_possible() {
    let a = with(&[]);
    assert_eq!(a.recommendation.strategy, Strategy::Hybrid);
    assert_eq!(a.recommendation.leaning, Toward::BlueGreen);
    assert!(!feasible(&a, Strategy::BlueGreen));
    assert!(feasible(&a, Strategy::Hybrid));
    let ruled: Vec<_> = a
        .recommendation
        .ruled_out
        .iter()
        .map(|r| r.strategy)
        .collect();
    assert_eq!(ruled, [Strategy::BlueGreen]);
    // The rationale describes the chosen plan, not the gate's sentence.
    assert!(
        a.recommendation
            .rationale
            .iter()
            .all(|r| !r.contains("shared_supervisor: yes"))
    );
}

#[test]
fn enablers_are_prerequisites_never_drivers() {
    let a = with(&[]);
    for enabler in [
        "spare_capacity",
        "capacity_expansion",
        "traffic_shifting",
        "pod_autoscaling",
        "cluster_autoscaling",
        "continuous_delivery",
        "shared_supervisor",
        "stateful_strategy",
    ] {
        assert!(
            a.drivers.iter().all(|d| d.question != enabler),
            "{enabler} is a driver"
        );
    }
    // Capacity appearing does not add preference: the scores stay the same.
    let more = with(&[("spare_capacity", "yes"), ("capacity_expansion", "yes")]);
    assert_eq!(more.scores, a.scores);
}

// 2. Hard and soft prerequisites.

#[test]
fn a_missing_must_have_rules_strategies_out_with_its_reason() {
    let no_path = with(&[("traffic_shifting", "none")]);
    assert_eq!(no_path.recommendation.strategy, Strategy::Sequential);
    assert!(
        !feasible(&no_path, Strategy::Hybrid),
        "Hybrid needs what it moves"
    );
    let gate = no_path
        .recommendation
        .gates
        .iter()
        .find(|g| g.id == "no-traffic-path")
        .unwrap();
    assert!(
        gate.reason.contains("(traffic_shifting: none)"),
        "{}",
        gate.reason
    );

    let stranded = with(&[
        ("stateful_workloads", "many"),
        ("stateful_strategy", "none"),
    ]);
    assert!(!feasible(&stranded, Strategy::Hybrid));
    assert!(!feasible(&stranded, Strategy::BlueGreen));

    let no_capacity = with(&[("spare_capacity", "no"), ("capacity_expansion", "no")]);
    assert_eq!(no_capacity.recommendation.strategy, Strategy::Sequential);
    assert_ne!(no_capacity.recommendation.confidence, Confidence::High);
}

#[test]
fn a_missing_should_have_is_a_blocker_that_lowers_confidence() {
    let a = with(&[]);
    assert_eq!(a.blockers.len(), 1);
    assert_eq!(a.blockers[0].question, "cluster_autoscaling");
    assert_ne!(a.recommendation.confidence, Confidence::High);
    assert!(
        a.recommendation
            .confidence_reasons
            .iter()
            .any(|r| r.contains("1 blocker"))
    );
    assert_eq!(a.next_steps[0], a.blockers[0].action, "blockers come first");
}

// 3. The calendar is part of the decision.

#[test]
fn no_calendar_gain_and_tolerant_applications_keep_it_in_place() {
    // One hop, every cluster in one window: in place reaches the target in 1 window with 1
    // risky change; Blue-Green needs a build first, Hybrid as long with as many cut-overs.
    // The preferences still lean Blue-Green.
    let a = with(&[
        ("current_version", "1.32"),
        ("pdbs_and_probes", "no"),
        ("shared_supervisor", "no"),
        ("spare_capacity", "yes"),
        ("cluster_count", "2"),
        ("clusters_per_window", "2"),
        ("legacy_apps", "no"),
        ("change_approval", "heavy"),
        ("change_window", "quarterly"),
        ("supervisor_version", ""),
        ("supervisor_target_version", ""),
        ("vks_version", ""),
        ("vks_target_version", ""),
    ]);
    assert_eq!(a.recommendation.leaning, Toward::BlueGreen);
    assert_eq!(a.recommendation.strategy, Strategy::Sequential);
    let seq = a.timeline_of(Strategy::Sequential).unwrap();
    let hybrid = a.timeline_of(Strategy::Hybrid).unwrap();
    assert_eq!(hybrid.target_date, seq.target_date);
    assert!(
        a.recommendation
            .rationale
            .iter()
            .any(|r| r.contains("no sooner, with no fewer risky changes")),
        "{:?}",
        a.recommendation.rationale
    );
}

#[test]
fn a_parallel_plan_no_sooner_says_why_it_is_still_chosen() {
    // One hop: Hybrid reaches the target no sooner than in place, and fragile applications
    // still favour it.
    let a = with(&[
        ("current_version", "1.32"),
        ("cluster_count", "2"),
        ("clusters_per_window", "2"),
        ("rolling_restart_tolerance", "few"),
        ("supervisor_version", ""),
        ("supervisor_target_version", ""),
        ("vks_version", ""),
        ("vks_target_version", ""),
    ]);
    assert_eq!(a.recommendation.strategy, Strategy::Hybrid);
    let line = a
        .recommendation
        .rationale
        .iter()
        .find(|r| r.contains("still preferred"))
        .expect("the report explains the plan that is no quicker");
    assert!(line.contains("no sooner than"), "{line}");
    assert!(line.contains("restart"), "{line}");
}

#[test]
fn three_hops_with_a_shared_supervisor_go_hybrid_on_time_to_target() {
    // Heavy approval, three hops, a shared Supervisor, applications that ride through
    // restarts: Hybrid upgrades the Supervisor in place and moves the clusters in one
    // cut-over, reaching the target two windows before three in-place hops do.
    let a = with(&[
        ("shared_supervisor", "yes"),
        ("spare_capacity", "yes"),
        ("cluster_count", "2"),
        ("clusters_per_window", "2"),
        ("rolling_restart_tolerance", "all"),
        ("legacy_apps", "no"),
        ("change_approval", "heavy"),
    ]);
    let seq = a.timeline_of(Strategy::Sequential).unwrap();
    let hybrid = a.timeline_of(Strategy::Hybrid).unwrap();
    assert_eq!(
        seq.windows_to_target,
        hybrid.windows_to_target + 2,
        "{seq:?}\n{hybrid:?}"
    );
    assert!(hybrid.risky_changes < seq.risky_changes);
    assert_eq!(
        a.recommendation.strategy,
        Strategy::Hybrid,
        "{:?}",
        a.recommendation.rationale
    );
    assert!(
        a.recommendation
            .rationale
            .iter()
            .any(|r| r.contains("Production runs the target everywhere on")),
        "{:?}",
        a.recommendation.rationale
    );
}

#[test]
fn a_small_jump_with_resilient_apps_stays_sequential_even_with_capacity() {
    let a = with(CALM);
    assert_eq!(a.recommendation.leaning, Toward::Sequential);
    assert_eq!(a.recommendation.strategy, Strategy::Sequential);
    assert!(a.blockers.is_empty());
}

// 4. Answers are judged in context.

#[test]
fn deprecated_apis_weigh_only_when_something_is_removed_in_range() {
    let driver = |changes: &[(&'static str, &'static str)]| {
        with(changes)
            .drivers
            .into_iter()
            .find(|d| d.question == "deprecated_apis")
    };
    // 1.30 -> 1.33 crosses the 1.32 removal of flowcontrol v1beta3.
    assert!(driver(&[("deprecated_apis", "not-remediated")]).is_some());
    // 1.33 -> 1.35: nothing removed, so it is upkeep, not a driver; the risk stays.
    let later = [
        ("current_version", "1.33"),
        ("target_version", "1.35"),
        ("deprecated_apis", "not-remediated"),
    ];
    assert!(driver(&later).is_none());
    assert!(
        with(&later)
            .risks
            .iter()
            .any(|r| r.question == "deprecated_apis")
    );
}

#[test]
fn state_pushes_toward_a_parallel_move_only_when_it_can_be_moved() {
    let lean = |strategy: &'static str| {
        with(&[
            ("stateful_workloads", "some"),
            ("stateful_strategy", strategy),
        ])
        .drivers
        .into_iter()
        .find(|d| d.question == "stateful_workloads")
        .map(|d| d.leans)
    };
    assert_eq!(lean("replication"), Some(Toward::BlueGreen));
    assert_eq!(lean("none"), Some(Toward::Sequential));
}

// 5. Unknown is not evidence.

#[test]
fn an_unknown_answer_adds_no_points_and_shows_what_each_answer_would_give() {
    let known = with(&[("rolling_restart_tolerance", "most")]);
    let unknown = with(&[("rolling_restart_tolerance", "unknown")]);
    assert!(
        unknown
            .drivers
            .iter()
            .all(|d| d.question != "rolling_restart_tolerance")
    );
    assert_eq!(
        unknown.scores.sequential + 1,
        known.scores.sequential,
        "only the known answer's point is gone"
    );
    assert_eq!(unknown.scores.blue_green, known.scores.blue_green);
    let u = &unknown.unknowns[0];
    assert_eq!(u.question, "rolling_restart_tolerance");
    let answers: Vec<&str> = u.outcomes.iter().map(|o| o.answer.as_str()).collect();
    assert_eq!(answers, ["all", "most", "few"]);
    assert!(
        unknown
            .risks
            .iter()
            .any(|r| r.question == "rolling_restart_tolerance")
    );
    assert_ne!(unknown.recommendation.confidence, Confidence::High);
}

// 6. Honest confidence.

#[test]
fn confidence_is_high_only_with_nothing_open() {
    let calm = with(CALM);
    assert_eq!(calm.recommendation.confidence, Confidence::High);
    assert!(calm.recommendation.confidence_reasons.is_empty());
    let unknowns = with(&[
        ("rolling_restart_tolerance", "unknown"),
        ("pdbs_and_probes", "unknown"),
        ("deprecated_apis", "unknown"),
    ]);
    assert_ne!(unknowns.recommendation.confidence, Confidence::High);
}

// 7. Gates name what fired them.

#[test]
fn gates_list_only_the_answers_that_hold() {
    let shared_only = with(&[("spare_capacity", "yes")]);
    let gate = &shared_only.recommendation.gates[0];
    assert_eq!(gate.id, "hybrid-rule");
    let fired: Vec<(&str, &str)> = gate
        .triggered_by
        .iter()
        .map(|t| (t.question.as_str(), t.answer.as_str()))
        .collect();
    assert_eq!(fired, [("shared_supervisor", "yes")]);
    assert!(
        gate.reason.contains(
            "the Supervisor is shared by other workload clusters (shared_supervisor: yes)."
        )
    );
    assert!(!gate.reason.contains("spare_capacity"));
}

// 9. Calendar semantics.

#[test]
fn clusters_per_window_bounds_every_window_and_blue_is_kept_for_rollback() {
    // Two changes a window do not let two batches of clusters share one. (Capacity to spare:
    // the waves do not rotate.)
    let a = with(&[("changes_per_window", "2"), ("spare_capacity", "yes")]);
    let seq = a.timeline_of(Strategy::Sequential).unwrap();
    // Supervisor and VKS share a window; 3 batches, each taking 2 then 1 of the 3 hops.
    assert_eq!(seq.windows, 1 + 3 * 2);
    let bg = a.timeline_of(Strategy::BlueGreen).unwrap();
    let kinds: Vec<PhaseKind> = bg.phases.iter().map(|p| p.kind).collect();
    assert_eq!(
        kinds,
        [
            PhaseKind::Build,
            PhaseKind::Wave,
            PhaseKind::Rollback,
            PhaseKind::Decommission
        ]
    );
    // Build and waves book windows, one after the other; the hold is days after the last
    // cut-over, and the retirement needs no window of its own.
    assert!(bg.phases[1].first_window > bg.phases[0].last_window);
    let (hold, retire) = (&bg.phases[2], &bg.phases[3]);
    assert_eq!((hold.first_window, retire.first_window), (0, 0));
    assert_eq!(hold.first_day, bg.target_date.plus_days(1));
    assert_eq!(hold.last_day, bg.target_date.plus_days(14));
    assert_eq!(retire.first_day, hold.last_day.plus_days(1));
    assert_eq!(bg.close_date, retire.last_day);
    assert_eq!(bg.target_date, *bg.phases[1].windows.last().unwrap());
}

#[test]
fn calendar_four_monthly_hops_land_in_four_monthly_windows() {
    let a = with(&[
        ("current_version", "1.29"),
        ("cluster_count", "1"),
        ("clusters_per_window", "1"),
        ("supervisor_version", ""),
        ("supervisor_target_version", ""),
        ("vks_version", ""),
        ("vks_target_version", ""),
    ]);
    let seq = a.timeline_of(Strategy::Sequential).unwrap();
    assert_eq!((seq.changes, seq.windows, seq.risky_changes), (4, 4, 4));
    let dates: Vec<_> = seq.phases.iter().flat_map(|p| p.windows.clone()).collect();
    assert_eq!(dates.len(), 4);
    // One window a month from 2027-01-04: January to April, the target in April.
    let months: Vec<i8> = dates.iter().map(|d| d.civil().month()).collect();
    // The cadence's second Saturday: 2027-01-09, then one a month.
    assert_eq!(months, [1, 2, 3, 4], "{dates:?}");
    assert_eq!(seq.target_date, dates[3]);
    assert_eq!(seq.close_date, seq.target_date);
    assert!((2.9..=3.5).contains(&seq.months), "{}", seq.months);
}

#[test]
fn huge_fleets_saturate_instead_of_wrapping() {
    let c = vks();
    let mut a = answers(&c, &pairs_with(&[("cluster_count", "1")]));
    let _ = &mut a;
    let mut facts = Facts::new(&c, &a, &When::example());
    facts.batches = u64::MAX;
    facts.clusters = u64::MAX;
    let t = calendar::blue_green(&c, &facts);
    assert_eq!(t.windows, u64::MAX);
    let booked: Vec<_> = t.phases.iter().filter(|p| p.first_window > 0).collect();
    assert!(
        booked
            .windows(2)
            .all(|p| p[1].first_window >= p[0].first_window)
    );
}

#[test]
fn the_result_is_deterministic() {
    assert_eq!(with(&[]), with(&[]));
}

// 12. Version sanity: nothing to upgrade means nothing to build beside it.

#[test]
fn current_equal_to_target_says_there_is_nothing_to_upgrade() {
    let a = with(&[("target_version", "1.30")]);
    assert_eq!(a.recommendation.strategy, Strategy::Sequential);
    assert!(a.recommendation.rationale[0].contains("no minor version to upgrade"));
}

#[test]
fn a_parallel_plan_must_reach_the_target_sooner_when_applications_ride_through_restarts() {
    // One cluster, four hops, monthly: in place reaches the target after window 4;
    // Blue-Green after window 2 (build, then the cut-over; the rollback hold and the
    // retirement come after and book no window), Hybrid after window 1. The lean is
    // Blue-Green, it is possible and reaches the target sooner, so it wins.
    let a = with(&[
        ("current_version", "1.29"),
        ("shared_supervisor", "no"),
        ("spare_capacity", "yes"),
        ("cluster_count", "1"),
        ("clusters_per_window", "1"),
        ("rolling_restart_tolerance", "all"),
        ("legacy_apps", "no"),
        ("supervisor_version", ""),
        ("supervisor_target_version", ""),
        ("vks_version", ""),
        ("vks_target_version", ""),
    ]);
    let windows = |s| a.timeline_of(s).unwrap().windows_to_target;
    assert_eq!(
        (
            windows(Strategy::Sequential),
            windows(Strategy::BlueGreen),
            windows(Strategy::Hybrid)
        ),
        (4, 2, 1)
    );
    let bg = a.timeline_of(Strategy::BlueGreen).unwrap();
    let seq = a.timeline_of(Strategy::Sequential).unwrap();
    assert!(bg.target_date < seq.target_date);
    assert!(bg.target_date <= bg.close_date);
    assert_eq!(a.recommendation.leaning, Toward::BlueGreen);
    assert_eq!(a.recommendation.strategy, Strategy::BlueGreen);
    assert!(
        a.recommendation
            .rationale
            .iter()
            .any(|r| r.contains("Production runs the target everywhere on")),
        "{:?}",
        a.recommendation.rationale
    );
}

#[test]
fn a_retirement_books_a_window_only_when_the_checklist_says_so_and_the_hold_is_answerable() {
    let mut c = vks();
    let a = answers(&c, &pairs_with(&[("spare_capacity", "yes")]));
    let plain = assess(&c, &a, &When::example()).unwrap();
    let hybrid = plain.timeline_of(Strategy::Hybrid).unwrap();
    let retire = hybrid.phases.last().unwrap();
    assert_eq!(retire.kind, PhaseKind::Decommission);
    assert_eq!((retire.first_window, retire.windows.len()), (0, 0));
    assert_eq!(hybrid.windows, hybrid.windows_to_target);

    c.calendar.retire_in_window = true;
    let booked = assess(&c, &a, &When::example()).unwrap();
    let hybrid = booked.timeline_of(Strategy::Hybrid).unwrap();
    let retire = hybrid.phases.last().unwrap();
    assert_eq!(retire.first_window, hybrid.windows_to_target + 1);
    let hold = &hybrid.phases[hybrid.phases.len() - 2];
    assert_eq!(hold.kind, PhaseKind::Rollback);
    // The first window after the hold, and the programme closes on it; the target is the
    // same either way.
    assert!(retire.windows[0] > hold.last_day);
    assert_eq!(hybrid.close_date, retire.windows[0]);
    assert_eq!(
        hybrid.target_date,
        plain.timeline_of(Strategy::Hybrid).unwrap().target_date
    );

    // A calendar's hold overrides the checklist's 14 days.
    let when = When {
        spec: Some(crate::answers::calendar_spec::CalendarSpec {
            rollback_hold_days: Some(30),
            ..Default::default()
        }),
        ..When::example()
    };
    let held = assess(&vks(), &a, &when).unwrap();
    let hybrid = held.timeline_of(Strategy::Hybrid).unwrap();
    assert_eq!(hybrid.rollback_hold_days, 30);
    assert_eq!(
        hybrid.close_date,
        hybrid.target_date.plus_days(31),
        "30 days of hold, then the retirement"
    );
    assert_eq!(held.calendar.rollback_hold_days, 30);
}

#[test]
fn a_required_rollback_within_the_window_is_a_named_conflict_for_an_in_place_plan() {
    let a = with(&[("spare_capacity", "no"), ("rollback_within_window", "yes")]);
    assert_eq!(a.recommendation.strategy, Strategy::Sequential);
    let conflict = a
        .blockers
        .iter()
        .find(|b| b.id == "rollback-requirement")
        .expect("the requirement is named as a conflict");
    assert!(
        conflict.title.starts_with("Conflict:"),
        "{}",
        conflict.title
    );
    assert!(conflict.action.contains("accept in writing"));
    assert_ne!(a.recommendation.confidence, Confidence::High);
    // A parallel plan meets the requirement: no conflict there.
    let parallel = with(&[("rollback_within_window", "yes")]);
    assert_ne!(parallel.recommendation.strategy, Strategy::Sequential);
    assert!(
        !parallel
            .blockers
            .iter()
            .any(|b| b.id == "rollback-requirement")
    );
}

#[test]
fn a_risk_tied_to_other_strategies_is_left_out() {
    // Node drains are an in-place risk: a move to new clusters does not carry it.
    let parallel = with(&[("rolling_restart_tolerance", "few")]);
    assert_ne!(parallel.recommendation.strategy, Strategy::Sequential);
    assert!(
        !parallel
            .risks
            .iter()
            .any(|r| r.question == "rolling_restart_tolerance"),
        "{:?}",
        parallel.risks
    );
    let in_place = with(&[
        ("rolling_restart_tolerance", "few"),
        ("spare_capacity", "no"),
    ]);
    assert_eq!(in_place.recommendation.strategy, Strategy::Sequential);
    assert!(
        in_place
            .risks
            .iter()
            .any(|r| r.question == "rolling_restart_tolerance")
    );
}

// 10. Capacity rotation.

/// The phases of `strategy` in the case study (limited capacity of 2 clusters, no expansion)
/// with `changes` made.
fn rotated(changes: &[(&'static str, &'static str)], strategy: Strategy) -> Timeline {
    with(changes).timeline_of(strategy).unwrap().clone()
}

#[test]
fn limited_capacity_rotates_the_waves_retiring_each_old_side_before_the_next_wave() {
    // 6 clusters, 2 a window, room for 2: one wave's old clusters at a time.
    for strategy in [Strategy::BlueGreen, Strategy::Hybrid] {
        let t = rotated(&[], strategy);
        assert_eq!(t.peak_extra_clusters, 2, "{strategy:?}");
        let waves = t.phases.iter().find(|p| !p.rotation.is_empty()).unwrap();
        assert_eq!(waves.kind, PhaseKind::Wave);
        let r = &waves.rotation;
        assert_eq!(r.len(), 3);
        assert_eq!(r.iter().map(|w| w.clusters).sum::<u64>(), 6);
        for pair in r.windows(2) {
            let (before, next) = (&pair[0], &pair[1]);
            // Held for the rollback days after its cut-over, retired the day after, and the
            // next wave only in a later window.
            assert_eq!(before.held_until, Some(before.day.plus_days(14)));
            assert_eq!(before.retired_on, Some(before.day.plus_days(15)));
            assert!(next.day > before.retired_on.unwrap(), "{strategy:?}: {r:?}");
            assert!(next.window > before.window);
        }
        // The last wave's old clusters are held and retired by the phases after it.
        let last = r.last().unwrap();
        assert_eq!((last.held_until, last.retired_on), (None, None));
        assert_eq!(t.target_date, last.day);
        assert_eq!(waves.windows, r.iter().map(|w| w.day).collect::<Vec<_>>());
        let after: Vec<PhaseKind> = t.phases.iter().rev().take(2).map(|p| p.kind).collect();
        assert_eq!(after, [PhaseKind::Decommission, PhaseKind::Rollback]);
        // Capacity to spare keeps every old cluster until after the last wave, and reaches
        // the target sooner.
        let spare = rotated(&[("spare_capacity", "yes")], strategy);
        assert_eq!(spare.peak_extra_clusters, 6, "{strategy:?}");
        assert!(spare.phases.iter().all(|p| p.rotation.is_empty()));
        assert!(spare.target_date <= t.target_date);
        // Weekly windows come round before a 14-day hold is over: the rotation waits through
        // windows it cannot use, and reaches the target later than capacity to spare would.
        let weekly = rotated(&[("change_window", "weekly")], strategy);
        let weekly_spare = rotated(
            &[("change_window", "weekly"), ("spare_capacity", "yes")],
            strategy,
        );
        assert!(
            weekly_spare.target_date < weekly.target_date,
            "{strategy:?}"
        );
        assert!(
            weekly.windows < weekly.windows_to_target,
            "unused windows are not booked"
        );
        // So does an approved expansion.
        let expanded = rotated(&[("capacity_expansion", "yes")], strategy);
        assert_eq!(expanded.peak_extra_clusters, 6, "{strategy:?}");
    }
    // In place needs no extra clusters.
    assert_eq!(rotated(&[], Strategy::Sequential).peak_extra_clusters, 0);
}

#[test]
fn a_rotation_that_books_its_retirements_waits_for_each_and_counts_them() {
    let mut c = vks();
    c.calendar.retire_in_window = true;
    let a = answers(&c, &pairs_with(&[]));
    let booked = assess(&c, &a, &When::example()).unwrap();
    let t = booked.timeline_of(Strategy::BlueGreen).unwrap();
    let r = &t
        .phases
        .iter()
        .find(|p| !p.rotation.is_empty())
        .unwrap()
        .rotation;
    for pair in r.windows(2) {
        let (before, next) = (&pair[0], &pair[1]);
        // The retirement takes the first window after the hold; the next wave the one after.
        assert!(before.retire_window > before.window);
        assert_eq!(next.window, before.retire_window + 1);
        assert!(before.retired_on.unwrap() > before.held_until.unwrap());
    }
    let plain = with(&[]);
    let unbooked = plain.timeline_of(Strategy::BlueGreen).unwrap();
    // Two more windows booked (the two retirements that make room), and a later target.
    assert!(t.windows >= unbooked.windows + 2);
    assert!(t.target_date > unbooked.target_date);
}

#[test]
fn three_waves_of_room_keep_three_old_sides_and_the_peak_follows_the_last_small_wave() {
    // 5 clusters, 1 a window, room for 2: two waves' old clusters at a time.
    let t = rotated(
        &[("cluster_count", "5"), ("clusters_per_window", "1")],
        Strategy::BlueGreen,
    );
    assert_eq!(t.peak_extra_clusters, 2);
    let r = &t
        .phases
        .iter()
        .find(|p| !p.rotation.is_empty())
        .unwrap()
        .rotation;
    assert_eq!(r.len(), 5);
    // Waves 1 and 2 go in consecutive windows; wave 3 waits for wave 1's retirement.
    assert_eq!(r[1].window, r[0].window + 1);
    assert!(r[2].day > r[0].retired_on.unwrap());
    assert!(r[3].day > r[1].retired_on.unwrap());
    assert_eq!(r.iter().filter(|w| w.retired_on.is_none()).count(), 2);
}

#[test]
fn a_batch_bigger_than_the_limited_capacity_is_a_blocker_of_the_parallel_strategies() {
    let a = with(&[("clusters_per_window", "3")]);
    let over: Vec<&str> = a
        .blockers
        .iter()
        .filter(|b| b.id == "batch-over-capacity")
        .map(|b| b.question.as_str())
        .collect();
    assert_eq!(over, ["clusters_per_window"]);
    // It fits: no blocker.
    for fits in [
        with(&[]),
        with(&[("clusters_per_window", "3"), ("spare_capacity", "yes")]),
        with(&[("clusters_per_window", "3"), ("capacity_expansion", "yes")]),
    ] {
        assert!(fits.blockers.iter().all(|b| b.id != "batch-over-capacity"));
    }
}
