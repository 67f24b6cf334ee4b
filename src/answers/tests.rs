//! Answers files: parsing, validation and resolution, with the messages users see.
use super::*;
use crate::kube::version::Version;

fn vks() -> Checklist {
    Checklist::builtin("vks").unwrap()
}

const FULL: &str = r#"
checklist: vks
context:
  organization: Example Corp
answers:
  current_version: "1.30"
  target_version: "v1.33.2"
  cluster_count: 6
  rolling_restart_tolerance: most
  pdbs_and_probes: partly
  deprecated_apis: partly
  stateful_workloads: none
  stateful_strategy: replication
  legacy_apps: true
  change_window: monthly
  change_approval: heavy
  spare_capacity: limited
  capacity_expansion: no
  shared_supervisor: yes
  traffic_shifting: weighted
  pod_autoscaling: yes
  cluster_autoscaling: false
  continuous_delivery: gitops
"#;

fn parse(text: &str) -> Result<AnswersFile, InputError> {
    AnswersFile::parse(text, "answers.yaml", &vks())
}

#[test]
fn a_full_file_resolves_with_defaults_and_booleans() {
    let file = parse(FULL).unwrap();
    let a = &file.answers;
    assert_eq!(
        a.get("target_version"),
        Some(&AnswerValue::Version(Version::new(1, 33)))
    );
    assert_eq!(
        a.get("legacy_apps"),
        Some(&AnswerValue::Choice("yes".into()))
    );
    assert_eq!(a.get("changes_per_window"), Some(&AnswerValue::Integer(1)));
    // "default: all clusters"
    assert_eq!(a.get("clusters_per_window"), Some(&AnswerValue::Integer(6)));
    assert!(!a.is_given("clusters_per_window"));
    // stateful_strategy does not apply when there are no stateful workloads.
    assert_eq!(a.get("stateful_strategy"), None);
    assert_eq!(a.ignored(), ["stateful_strategy"]);
    assert_eq!(
        file.context,
        [("organization".to_string(), "Example Corp".to_string())]
    );
    assert_eq!(file.sha256.len(), 64);
}

#[test]
fn an_unquoted_version_is_explained_with_the_quoted_form() {
    let err =
        parse(&FULL.replace("current_version: \"1.30\"", "current_version: 1.30")).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains(
            "answers.yaml:6: `current_version`: YAML reads the unquoted 1.30 as the number 1.3"
        ),
        "{text}"
    );
    assert!(
        text.contains("fix: quote it: current_version: \"1.30\""),
        "{text}"
    );
}

#[test]
fn every_missing_required_answer_is_listed_at_once() {
    let text = FULL
        .replace("  change_window: monthly\n", "")
        .replace("  spare_capacity: limited\n", "");
    let err = parse(&text).unwrap_err();
    assert_eq!(err.problems.len(), 1);
    assert!(
        err.problems[0]
            .message
            .contains("2 required answers missing: change_window, spare_capacity"),
        "{err}"
    );
}

#[test]
fn unknown_ids_and_values_get_suggestions() {
    let err =
        parse(&FULL.replace("spare_capacity: limited", "spare_capcity: limited")).unwrap_err();
    assert!(
        err.to_string().contains("did you mean `spare_capacity`?"),
        "{err}"
    );
    let err = parse(&FULL.replace("change_window: monthly", "change_window: montly")).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("`montly` is not an allowed answer"), "{text}");
    assert!(
        text.contains("did you mean `monthly`? Allowed: weekly, biweekly, monthly or quarterly"),
        "{text}"
    );
}

#[test]
fn long_values_are_shortened_in_messages() {
    let long = "m".repeat(100_000);
    let err = parse(&FULL.replace("change_window: monthly", &format!("change_window: {long}")))
        .unwrap_err();
    let text = err.to_string();
    assert!(text.len() < 400, "{}", text.len());
    assert!(text.contains(&format!("`{}...` is not an allowed answer", "m".repeat(60))));
}

#[test]
fn a_target_below_current_is_refused() {
    let err = parse(&FULL.replace("v1.33.2", "1.29")).unwrap_err();
    assert!(
        err.to_string()
            .contains("the target 1.29 is below the current version 1.30"),
        "{err}"
    );
}

#[test]
fn wrong_types_and_misplaced_keys_are_explained() {
    let err = parse(&FULL.replace("cluster_count: 6", "cluster_count: six")).unwrap_err();
    assert!(
        err.to_string()
            .contains("expected a whole number, found the text \"six\""),
        "{err}"
    );
    let err = parse(&FULL.replace("cluster_count: 6", "cluster_count: 0")).unwrap_err();
    assert!(err.to_string().contains("0 is out of range"), "{err}");
    let err = parse(&format!("cluster_count: 3\n{FULL}")).unwrap_err();
    assert!(
        err.to_string()
            .contains("`cluster_count` is a question: indent it under `answers:`"),
        "{err}"
    );
    let err = parse(&FULL.replace("checklist: vks", "checklist: eks")).unwrap_err();
    assert!(
        err.to_string().contains("the file is for checklist `eks`"),
        "{err}"
    );
}

#[test]
fn saved_answers_read_back_the_same() {
    let checklist = vks();
    let partial = PartialAnswers::parse(FULL, "a.yaml", &checklist).unwrap();
    let mut with_context = partial.clone();
    with_context.context.push((
        "needs quoting: yes".into(),
        "a \"quoted\" value\nover two lines".into(),
    ));
    let yaml = with_context.to_yaml(&checklist, "header");
    assert!(
        yaml.starts_with("# header\nchecklist: vks\ncontext:\n  organization: \"Example Corp\"\n"),
        "{yaml}"
    );
    let back = PartialAnswers::parse(&yaml, "saved.yaml", &checklist).unwrap();
    assert_eq!(back, with_context);
    let empty = PartialAnswers::default().to_yaml(&checklist, "h");
    assert_eq!(
        PartialAnswers::parse(&empty, "e.yaml", &checklist).unwrap(),
        PartialAnswers::default()
    );
}

#[test]
fn empty_and_malformed_files_are_refused() {
    assert!(parse("  \n").unwrap_err().to_string().contains("is empty"));
    let err = parse("answers:\n  a: [1\n").unwrap_err();
    assert!(err.problems[0].line.is_some(), "{err}");
    assert!(
        parse("- just\n- a list\n")
            .unwrap_err()
            .to_string()
            .contains("must be a mapping")
    );
}
