//! Checklists a team can write and check: the built-ins, lint, and the answers-file schema.

use crate::common::{advisor, json_of};
use predicates::str::contains;

fn schema(checklist: &str) -> serde_json::Value {
    let out = advisor()
        .args(["schema", "--checklist", checklist])
        .output()
        .unwrap();
    assert!(out.status.success());
    serde_json::from_slice(&out.stdout).unwrap()
}

fn yaml_as_json(path: &std::path::Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap();
    serde_yaml::from_str(&text).unwrap()
}

/// Every example validates against its checklist's schema, as an editor would check it.
#[test]
fn every_example_is_valid_against_the_schema() {
    let mut checked = 0;
    for entry in std::fs::read_dir("checklists/examples").unwrap() {
        let path = entry.unwrap().path();
        // Answers files only: dumps/ holds the capacity example's cluster dumps.
        if path.extension().is_none_or(|x| x != "yaml") {
            continue;
        }
        let document = yaml_as_json(&path);
        let checklist = document["checklist"].as_str().unwrap_or("vks").to_string();
        let validator = jsonschema::draft7::new(&schema(&checklist)).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&document)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", path.display());
        checked += 1;
    }
    assert!(checked >= 4);
}

/// A typo'd key or value is caught by the schema before the tool ever runs.
#[test]
fn the_schema_catches_typos() {
    let validator = jsonschema::draft7::new(&schema("vks")).unwrap();
    let mut document = yaml_as_json(std::path::Path::new("checklists/examples/case-study.yaml"));
    document["answers"]["spare_capcity"] = "yes".into();
    assert!(!validator.is_valid(&document), "unknown key");
    let mut document = yaml_as_json(std::path::Path::new("checklists/examples/case-study.yaml"));
    document["answers"]["change_window"] = "montly".into();
    assert!(!validator.is_valid(&document), "value outside the choices");
    document["answers"]["change_window"] = "monthly".into();
    document["answers"]["target_version"] = 1.3.into();
    assert!(
        !validator.is_valid(&document),
        "an unquoted version is a number"
    );
}

/// The template points editors at the schema.
#[test]
fn template_names_the_schema() {
    advisor()
        .args(["template", "--checklist", "kubernetes"])
        .assert()
        .success()
        .stdout(predicates::str::starts_with(
            "# yaml-language-server: $schema=upgrade-answers.schema.json\n",
        ))
        .stdout(contains("upgrade-advisor schema --checklist kubernetes"));
}

#[test]
fn checklists_lists_the_builtins() {
    advisor()
        .arg("checklists")
        .assert()
        .success()
        .stdout(contains("vks "))
        .stdout(contains("kubernetes "));
}

/// The kubernetes checklist has no Supervisor or VKS layers, and its own example.
#[test]
fn the_kubernetes_checklist_plans_control_planes_and_node_pools() {
    let json = json_of([
        "assess",
        "--checklist",
        "kubernetes",
        "-a",
        "checklists/examples/eks-fleet-upgrade.yaml",
        "-f",
        "json",
    ]);
    assert_eq!(json["recommendation"]["strategy"], "hybrid");
    let layers: Vec<&str> = json["layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap())
        .collect();
    assert_eq!(layers, ["control-plane", "node-pools", "applications"]);
    assert_eq!(json["layers"][0]["method"], "in-place");
    assert_eq!(json["layers"][1]["method"], "blue-green");
    // Four hops with a kubelet skew of three: the node pools are replaced at 1.32, before
    // they fall more than three minors behind, and again at the target.
    assert_eq!(
        json["layers"][1]["steps"],
        serde_json::json!(["1.32", "1.33"])
    );
    let hybrid = json["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["strategy"] == "hybrid")
        .unwrap();
    let names: Vec<&str> = hybrid["phases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    let at = |needle: &str| names.iter().position(|n| n.contains(needle)).unwrap();
    assert!(at("Control planes to 1.32") < at("Replace node pools at 1.32"));
    assert!(at("Replace node pools at 1.32") < at("Control planes to 1.33"));
    assert!(at("Control planes to 1.33") < at("Replace node pools at 1.33"));
    // Without --checklist, the file's `checklist: kubernetes` picks the built-in.
    advisor()
        .args([
            "assess",
            "-a",
            "checklists/examples/eks-fleet-upgrade.yaml",
            "--expect",
            "hybrid",
        ])
        .assert()
        .success();
    // A vks answers file is refused by the kubernetes checklist, by name.
    advisor()
        .args([
            "assess",
            "--checklist",
            "kubernetes",
            "-a",
            "checklists/examples/case-study.yaml",
        ])
        .assert()
        .code(2)
        .stderr(contains(
            "the file is for checklist `vks`, but the checklist in use is `kubernetes`",
        ));
}

/// A hand-broken checklist gets every fault listed, each with its place in the file.
#[test]
fn lint_lists_every_fault_of_a_broken_checklist() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.yaml");
    let text = std::fs::read_to_string("checklists/vks.yaml")
        .unwrap()
        // A blocker naming a missing question.
        .replacen("    question: traffic_shifting\n", "    question: traffic_shift\n", 1)
        // A condition naming a missing choice.
        .replacen("not_one_of: [none]", "not_one_of: [nothing]", 1)
        // A choice with no lean.
        .replacen("            leans: sequential\n            weight: 3\n", "            weight: 3\n", 1)
        // A duplicate id.
        .replacen("      - id: legacy_apps\n", "      - id: deprecated_apis\n", 1)
        // Missing help text.
        .replacen(
            "        help: >-\n          Every cluster needs every hop.",
            "        help: \"\"\n        x_help: >-\n          Every cluster needs every hop.",
            1,
        )
        .replace("        x_help: >-\n          Every cluster needs every hop. With a large fleet, hop-by-hop work multiplies into a\n          calendar measured in years.\n", "");
    std::fs::write(&path, text).unwrap();
    let assert = advisor()
        .args(["checklist", "lint"])
        .arg(&path)
        .assert()
        .code(2)
        .stdout("");
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    for fault in [
        "names the question `traffic_shift`, which does not exist",
        "`nothing` is not a choice of `stateful_workloads`",
        "has no lean",
        "question id `deprecated_apis` is used twice",
        "the question has no help text",
    ] {
        assert!(stderr.contains(fault), "missing `{fault}` in:\n{stderr}");
    }
    assert!(
        stderr.contains("broken.yaml:"),
        "faults carry a line: {stderr}"
    );

    advisor()
        .args(["checklist", "lint", "checklists/kubernetes.yaml"])
        .assert()
        .success()
        .stdout(contains("no faults found"));
}

/// `checklist show` prints a built-in that lints clean once saved.
#[test]
fn show_prints_a_builtin_to_start_from() {
    let out = advisor()
        .args(["checklist", "show", "kubernetes"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mine.yaml");
    std::fs::write(&path, &out.stdout).unwrap();
    advisor()
        .args(["checklist", "lint"])
        .arg(&path)
        .assert()
        .success();
    advisor()
        .args(["checklist", "show", "eks"])
        .assert()
        .code(2)
        .stderr(contains("use one of: vks, kubernetes"));
}

/// A checklist whose help or reason texts hold an escape sequence or a right-to-left
/// override fails `checklist lint`, naming the text and its line: text a workshop shows
/// must not drive the terminal.
#[test]
fn lint_refuses_escape_sequences_and_overrides_in_prose() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hostile.yaml");
    let text = std::fs::read_to_string("checklists/vks.yaml")
        .unwrap()
        .replacen(
            "        help: >-\n          In place, the control plane moves one minor version at a time,",
            "        help: \"Pick one\\e]52;c;cm0gLXJmIH4=\\a\"\n        x_help: >-\n          In place, the control plane moves one minor version at a time,",
            1,
        )
        .replacen(
            "The version the programme has to end on.",
            "The version the \u{202e}programme has to end on.",
            1,
        )
        .replace("        x_help: >-\n          In place, the control plane moves one minor version at a time, so the distance from\n          here to the target sets how many separate upgrades are needed. Write it as \"1.30\".\n", "");
    let text = text.replacen(
        "      command: kubectl version\n",
        "      command: \"kubectl version\\e]0;owned\\a\"\n",
        1,
    );
    assert!(text.contains("\\e]52") && text.contains("\\e]0;owned"));
    std::fs::write(&path, text).unwrap();
    let assert = advisor()
        .args(["checklist", "lint"])
        .arg(&path)
        .assert()
        .code(2);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains("hostile.yaml:385: sections[0].questions[0].help: the text holds the control character U+001B"),
        "{stderr}"
    );
    assert!(
        stderr.contains("the text holds the bidirectional formatting character U+202E"),
        "{stderr}"
    );
    assert!(
        stderr.contains("runbook.before[0].command: the text holds the control character U+001B"),
        "{stderr}"
    );
    assert!(
        !stderr.contains('\u{1b}'),
        "the error itself shows no escape"
    );
}

/// The README's table of questions is `questions --format markdown` word for word, so every
/// question of the built-in checklist appears in it, with the answers it takes today.
#[test]
fn the_readmes_questions_table_is_generated_from_the_checklist() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme
        .find("<!-- generated by `upgrade-advisor questions --format markdown`")
        .expect("the README marks its generated questions table");
    let body = &readme[start..];
    let body =
        &body[body.find('\n').unwrap() + 1..body.find("<!-- end of generated table -->").unwrap()];
    let out = crate::common::advisor()
        .args(["questions", "--format", "markdown"])
        .output()
        .unwrap();
    let generated = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        body.trim_end(),
        generated.trim_end(),
        "regenerate the README's table with `upgrade-advisor questions --format markdown`"
    );
    let json = crate::common::json_of(["questions", "--format", "json"]);
    let ids: Vec<&str> = json["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 32, "{ids:?}");
    for id in ids {
        assert!(
            body.contains(&format!("| `{id}` |")),
            "{id} is missing from the README"
        );
    }
}

/// `questions --format json` for the other built-in, as scripts read it.
#[test]
fn questions_as_json() {
    let out = advisor()
        .args(["questions", "--checklist", "kubernetes", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    insta::assert_snapshot!(String::from_utf8(out.stdout).unwrap());
}

/// What a YAML 1.1 reader (PyYAML, behind many validators and yamllint) makes of the example
/// answers files and the template, checked against the published schema with Python's
/// jsonschema: `yes` and `no` become booleans there, and the schema still accepts them, as
/// the tool does.
// A skipped oracle says so on standard error, naming what is missing.
#[allow(clippy::print_stderr)]
#[test]
fn yaml_1_1_readers_accept_what_the_tool_accepts() {
    let probe = std::process::Command::new("python3")
        .args(["-c", "import yaml, jsonschema"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!(
            "SKIPPED yaml_1_1_readers_accept_what_the_tool_accepts: needs python3 with PyYAML and jsonschema (pip install pyyaml jsonschema)"
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for checklist in ["vks", "kubernetes"] {
        let out = advisor()
            .args(["schema", "--checklist", checklist])
            .output()
            .unwrap();
        let schema = dir.path().join(format!("{checklist}.schema.json"));
        std::fs::write(&schema, out.stdout).unwrap();
        let template = advisor()
            .args(["template", "--checklist", checklist])
            .output()
            .unwrap();
        let path = dir.path().join(format!("{checklist}-template.yaml"));
        std::fs::write(&path, template.stdout).unwrap();
        files.push((schema.clone(), path));
        for example in std::fs::read_dir("checklists/examples").unwrap() {
            let example = example.unwrap().path();
            if example.extension().is_none_or(|x| x != "yaml") {
                continue;
            }
            let text = std::fs::read_to_string(&example).unwrap();
            if text.contains(&format!("checklist: {checklist}\n")) {
                files.push((schema.clone(), example));
            }
        }
    }
    assert!(files.len() >= 6, "{files:?}");
    // An example must pass the schema; the template, which is to be filled in, must only be
    // read alike: no value it writes turns into a boolean.
    let script = "import sys, yaml, json, jsonschema\n\
        schema = json.load(open(sys.argv[1]))\n\
        doc = yaml.safe_load(open(sys.argv[2]))\n\
        if sys.argv[2].endswith('-template.yaml'):\n\
        \x20   errors = [k for k, v in (doc.get('answers') or {}).items() if isinstance(v, bool)]\n\
        else:\n\
        \x20   errors = [e.message for e in jsonschema.Draft7Validator(schema).iter_errors(doc)]\n\
        print('\\n'.join(errors))\n\
        sys.exit(1 if errors else 0)\n";
    for (schema, file) in files {
        let out = std::process::Command::new("python3")
            .args(["-c", script])
            .arg(&schema)
            .arg(&file)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{} fails {} under PyYAML:\n{}{}",
            file.display(),
            schema.display(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// A version question's hint uses its checklist's example: VKS releases look like 3.1, not
/// like Kubernetes' 1.30; lint refuses an example that is not a version.
#[test]
fn version_hints_follow_the_checklists_example() {
    let json = json_of(["questions", "--format", "json"]);
    let allowed = |id: &str| {
        json["questions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["id"] == id)
            .unwrap()["allowed"]
            .clone()
    };
    assert_eq!(allowed("vks_version"), "a quoted version such as \"3.1\"");
    assert_eq!(
        allowed("current_version"),
        "a quoted version such as \"1.30\""
    );
    let text = std::fs::read_to_string("checklists/vks.yaml")
        .unwrap()
        .replacen("id: vks\n", "id: vks-acme\n", 1)
        .replacen("example: \"3.1\"", "example: three", 1);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mine.yaml");
    std::fs::write(&path, text).unwrap();
    advisor()
        .args(["checklist", "lint"])
        .arg(&path)
        .assert()
        .code(2)
        .stderr(contains("`three` is not a version"));
}
