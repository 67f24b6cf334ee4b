//! Inputs that once needed care (found while fuzzing or hardening), kept so they stay handled:
//! each is refused or read with a clear result, never a panic or a hang.

use upgrade_advisor::answers::values::AnswersDocument;
use upgrade_advisor::checklist::model::Checklist;
use upgrade_advisor::scan::model::{ScanOptions, SourceFile};
use upgrade_advisor::scan::scan;

/// Odd YAML that must not panic any parser path.
const ODD: &[&str] = &[
    "",
    "---",
    "~",
    "answers: ~",
    "answers: []",
    "answers: {current_version: !!binary aGVsbG8=}",
    "answers: {? [a, b]: c}",
    "answers: {1: 2, true: false, null: x}",
    "answers:\n  current_version: \"1.30\"\n  current_version: \"1.31\"\n",
    "answers:\n  current_version: \"99999999999999999999.1\"\n",
    "answers:\n  cluster_count: 18446744073709551616\n",
    "answers:\n  cluster_count: -1\n",
    "answers:\n  target_version: .inf\n",
    "answers:\n  change_window: !custom monthly\n",
    "environments: []",
    "environments: [~, 1, [x]]",
    "environments:\n  - name: a\n  - name: a\n",
    "environments:\n  - answers: {current_version: \"1.30\"}\n",
    "checklist: [vks]\n",
    "context: [1, 2]\nanswers: {}\n",
    "a: &a [*a]",
    "a: &x 1\nb: *y\n",
    "\u{feff}answers: {}",
    "answers:\n\t- tab\n",
    "apiVersion: v1\nkind: List\nitems: [1, ~, {kind: Pod}]\n",
    "apiVersion: v1\nkind: PodList\nitems: {a: b}\n",
    "kind: PodDisruptionBudget\napiVersion: policy/v1\nmetadata: {name: p}\nspec: {selector: {matchExpressions: [~, {operator: In}]}}\n",
    "kind: Deployment\napiVersion: apps/v1\nmetadata: {name: d}\nspec: {replicas: -5, template: {spec: {containers: [~, 1, {}]}}}\n",
    "kind: CronJob\napiVersion: batch/v1\nmetadata: {name: c}\nspec: {jobTemplate: 1}\n",
];

#[test]
fn odd_inputs_never_panic() {
    let checklist = Checklist::builtin("vks").unwrap();
    for text in ODD {
        let _ = AnswersDocument::parse(text, "odd.yaml", &checklist, &[], &[]);
        let _ = Checklist::from_yaml(text, "odd.yaml");
        let file = SourceFile {
            path: "odd.yaml".into(),
            raw_path: None,
            text: text.to_string(),
        };
        let report = scan(
            &[file],
            Vec::new(),
            ScanOptions {
                target: "1.33".parse().unwrap(),
                current: None,
            },
        );
        assert!(report.documents.read <= 4, "{text:?}");
    }
}

/// Huge numbers and versions are refused with a message, not wrapped or truncated.
#[test]
fn out_of_range_numbers_are_refused() {
    let checklist = Checklist::builtin("vks").unwrap();
    for text in [
        "answers:\n  current_version: \"99999999999999999999.1\"\n",
        "answers:\n  cluster_count: 18446744073709551616\n",
        "answers:\n  cluster_count: -1\n",
    ] {
        let err = AnswersDocument::parse(text, "n.yaml", &checklist, &[], &[]).unwrap_err();
        assert!(!err.problems.is_empty(), "{text:?}");
    }
}
