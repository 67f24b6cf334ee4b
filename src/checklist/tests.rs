//! Checklist loading and validation on the built-ins and on broken copies of them.
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

/// The built-ins load from the JSON `build.rs` makes of them; it must say what the YAML says,
/// down to every help text, weight and default.
#[test]
fn builtin_json_loads_exactly_like_the_yaml() {
    for (name, text) in BUILTIN {
        let mut from_yaml = Checklist::from_yaml(text, name).unwrap();
        let mut from_json = Checklist::builtin(name).unwrap();
        // The id index is a hash map: equal, but listed in no fixed order.
        assert_eq!(from_yaml.index, from_json.index, "{name}");
        from_yaml.index.clear();
        from_json.index.clear();
        // Only the built-in knows its hash; a file's is the edge's to give.
        assert_eq!(
            from_json.origin.sha256,
            crate::base::digest::sha256_hex(text.as_bytes())
        );
        from_yaml.origin = from_json.origin.clone();
        let (yaml, json) = (format!("{from_yaml:#?}"), format!("{from_json:#?}"));
        for (line, (y, j)) in yaml.lines().zip(json.lines()).enumerate() {
            assert_eq!(y, j, "{name}, line {} of the debug dump", line + 1);
        }
        assert_eq!(yaml.lines().count(), json.lines().count(), "{name}");
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
        .replacen("id: vks\n", "id: custom\n", 1)
        .replacen(
            "question: traffic_shifting\n",
            "question: traffic_shift\n",
            1,
        )
        .replacen("question: pod_autoscaling\n", "question: pod_scaling\n", 1);
    let err = Checklist::from_yaml(&text, "x.yaml").unwrap_err();
    assert_eq!(err.problems.len(), 2, "{err}");
}

#[test]
fn gate_limits_are_bounded_and_traffic_steps_rise_to_100() {
    let text = include_str!("../../checklists/vks.yaml");
    let good = Checklist::builtin("vks").unwrap();
    assert_eq!(good.runbook.gates.traffic_steps, [5, 25, 50, 100]);
    assert_eq!(good.runbook.gates.soak_minutes, 60);
    for (from, to, says) in [
        (
            "traffic_steps: [5, 25, 50, 100]",
            "traffic_steps: [50, 25, 100]",
            "`traffic_steps` must rise",
        ),
        (
            "traffic_steps: [5, 25, 50, 100]",
            "traffic_steps: [5, 25, 50]",
            "`traffic_steps` must rise",
        ),
        (
            "soak_minutes: 60",
            "soak_minutes: 0",
            "`soak_minutes` and `abort_after_minutes`",
        ),
        (
            "error_rate_increase_pct: 0.5",
            "error_rate_increase_pct: -1",
            "`error_rate_increase_pct` must be above 0",
        ),
    ] {
        let broken = text.replacen(from, to, 1);
        assert_ne!(broken, text);
        let err = format!(
            "{:#}",
            anyhow::Error::from(Checklist::from_yaml(&broken, "custom.yaml").unwrap_err())
        );
        assert!(err.contains(says), "{to}: {err}");
    }
}

/// A runbook phase's `when` is checked like a pre-flight check's: the question and the choice
/// must exist, and the error says where.
#[test]
fn a_runbook_phase_condition_is_checked_and_located() {
    let kubernetes = BUILTIN[1].1;
    let broken = |from: &str, to: &str| {
        let text = kubernetes.replacen(from, to, 1);
        assert_ne!(text, kubernetes, "the edit `{from}` did not apply");
        Checklist::from_yaml(&text, "custom.yaml")
            .unwrap_err()
            .to_string()
    };
    let phase = "      strategies: [sequential]\n      when: { question: platform, equals: eks }";
    let text = broken(
        phase,
        "      strategies: [sequential]\n      when: { question: platfrom, equals: eks }",
    );
    assert!(text.contains("runbook.phases[0].when.question"), "{text}");
    assert!(text.contains("did you mean `platform`?"), "{text}");
    let text = broken(
        phase,
        "      strategies: [sequential]\n      when: { question: platform, equals: openshift }",
    );
    assert!(text.contains("runbook.phases[0].when"), "{text}");
    assert!(
        text.contains("`openshift` is not a choice of `platform`"),
        "{text}"
    );
    // Two entries for the same phase and platform: the second is never used.
    let text = broken(
        "      strategies: [sequential]\n      when: { question: platform, equals: aks }",
        "      strategies: [sequential]\n      when: { question: platform, equals: eks }",
    );
    assert!(text.contains("runbook.phases[1]"), "{text}");
    assert!(text.contains("never used"), "{text}");
}
