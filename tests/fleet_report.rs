//! Fleet reports, `--set` traces and the published JSON Schemas, as a user meets them.

use crate::common::{CASE_STUDY, advisor, assert_valid, json_of, published_schema, stdout_of};
use sha2::{Digest, Sha256};

const FLEET: &str = "checklists/examples/fleet.yaml";

#[test]
fn set_overrides_are_recorded_in_the_json() {
    let plain = json_of(["assess", "-a", CASE_STUDY, "-f", "json"]);
    assert_eq!(plain["overrides"], serde_json::json!([]));
    let set = json_of([
        "assess",
        "-a",
        CASE_STUDY,
        "-f",
        "json",
        "--set",
        "spare_capacity=no",
    ]);
    assert_eq!(
        set["overrides"],
        serde_json::json!([{"question": "spare_capacity", "value": "no", "file_value": "limited"}])
    );
    // The file is the same; the effective answers are not, and their hash says so.
    assert_eq!(plain["answers_sha256"], set["answers_sha256"]);
    assert_ne!(
        plain["effective_answers_sha256"],
        set["effective_answers_sha256"]
    );
    // The documented canonical form: compact JSON of the effective answers, keys sorted.
    let canonical = serde_json::to_string(&set["answers"]).unwrap();
    let digest: String = Sha256::digest(canonical.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(set["effective_answers_sha256"], digest.as_str());
}

#[test]
fn set_overrides_show_in_the_decision_record_and_the_table() {
    let args = |format: &'static str| {
        [
            "assess",
            "-a",
            CASE_STUDY,
            "-f",
            format,
            "--set",
            "spare_capacity=no",
        ]
    };
    let markdown = stdout_of(args("markdown"), "");
    assert!(
        markdown.contains(
            "*Answers overridden with `--set`: `spare_capacity` = no (the file: limited).*"
        ),
        "{markdown}"
    );
    assert!(
        markdown.contains("effective answers SHA-256 `"),
        "{markdown}"
    );
    let table = stdout_of(args("table"), "");
    assert!(
        table.contains("spare_capacity = no (the file: limited)"),
        "{table}"
    );
    let unset = stdout_of(["assess", "-a", CASE_STUDY, "-f", "markdown"], "");
    assert!(!unset.contains("overridden with"), "{unset}");
}

/// `assess` with `args` exits 2; its standard error.
fn refused(args: &[&str]) -> String {
    let out = advisor().args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{args:?}");
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn a_bad_set_value_names_the_flag_not_the_file_line() {
    let err = refused(&["assess", "-a", CASE_STUDY, "--set", "target_version=1.20"]);
    assert!(
        err.contains(&format!(
            "{CASE_STUDY}: --set target_version=1.20: the target 1.20 is below"
        )),
        "{err}"
    );
    let err = refused(&["assess", "-a", FLEET, "--set", "target_version=1.20"]);
    assert!(
        err.contains(&format!(
            "{FLEET}: environments[0] (payments-prod): --set target_version=1.20:"
        )),
        "{err}"
    );
    let err = refused(&["assess", "-a", CASE_STUDY, "--set", "spare_capacity=maybe"]);
    assert!(err.contains("--set spare_capacity=maybe: "), "{err}");
}

/// The fleet document parsed as GitHub would: (heading level, text) in order, and the code
/// blocks with their language.
/// Headings as (level, text) and code blocks as (language, text).
type Outline = (Vec<(usize, String)>, Vec<(String, String)>);

fn outline(markdown: &str) -> Outline {
    use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
    let mut headings = Vec::new();
    let mut blocks = Vec::new();
    let mut heading: Option<(usize, String)> = None;
    let mut block: Option<(String, String)> = None;
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some((level as usize, String::new()))
            }
            Event::End(TagEnd::Heading(_)) => headings.extend(heading.take()),
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(lang))) => {
                block = Some((lang.to_string(), String::new()));
            }
            Event::End(TagEnd::CodeBlock) => blocks.extend(block.take()),
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, text)) = heading.as_mut() {
                    text.push_str(&t);
                }
                if let Some((_, text)) = block.as_mut() {
                    text.push_str(&t);
                }
            }
            _ => {}
        }
    }
    (headings, blocks)
}

fn fleet_markdown(extra: &[&str]) -> String {
    let mut args = vec![
        "assess",
        "-a",
        FLEET,
        "-f",
        "markdown",
        "--start",
        "2027-03-01",
    ];
    args.extend(extra);
    stdout_of(args, "")
}

#[test]
fn the_fleet_markdown_carries_each_environments_full_report() {
    let text = fleet_markdown(&[]);
    let (headings, _) = outline(&text);
    let json = json_of(["assess", "-a", FLEET, "-f", "json"]);
    let environments = json["environments"].as_array().unwrap();
    for env in environments {
        let name = env["name"].as_str().unwrap();
        let title = format!(
            "{name}: {}",
            env["recommendation"]["name"].as_str().unwrap()
        );
        let at = headings
            .iter()
            .position(|h| *h == (2, title.clone()))
            .unwrap_or_else(|| panic!("no section `{title}` in {headings:?}"));
        // Its sections, one level down, up to the next environment.
        let own: Vec<&str> = headings[at + 1..]
            .iter()
            .take_while(|(level, _)| *level > 2)
            .filter(|(level, _)| *level == 3)
            .map(|(_, t)| t.as_str())
            .collect();
        for section in [
            "What is possible",
            "What drove the result",
            "Blockers",
            "Plan by layer",
            "Upgrade path",
            "What would change the answer",
            "Risks",
            "Next steps",
        ] {
            assert!(own.contains(&section), "{name} lacks `{section}`: {own:?}");
        }
    }
    // The answers appendix, one sub-section per environment.
    let appendix = headings
        .iter()
        .position(|h| *h == (2, "Appendix: answers".to_string()))
        .expect("an answers appendix");
    let listed: Vec<&str> = headings[appendix + 1..]
        .iter()
        .take_while(|(level, _)| *level > 2)
        .map(|(_, t)| t.as_str())
        .collect();
    let names: Vec<&str> = environments
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(listed, names);
}

#[test]
fn the_fleet_gantt_starts_with_the_supervisors_in_their_first_windows() {
    let (_, blocks) = outline(&fleet_markdown(&[]));
    let gantt: Vec<&str> = blocks
        .iter()
        .filter(|(lang, _)| lang == "mermaid")
        .map(|(_, text)| text.as_str())
        .collect();
    assert_eq!(gantt.len(), 1, "one fleet gantt: {blocks:?}");
    let sections: Vec<&str> = gantt[0]
        .lines()
        .filter_map(|l| l.trim().strip_prefix("section "))
        .collect();
    assert_eq!(
        &sections[..2],
        ["Supervisor sup-east", "Supervisor sup-west"],
        "{sections:?}"
    );
    assert!(
        sections.contains(&"edge-retail (Blue-Green (parallel))"),
        "{sections:?}"
    );
    let json = json_of(["assess", "-a", FLEET, "-f", "json", "--start", "2027-03-01"]);
    let supervisor = &json["fleet"]["supervisors"][0];
    let first_window = supervisor["windows"][0].as_str().unwrap();
    assert!(first_window >= "2027-03-01", "{supervisor}");
    let supervisor_task = gantt[0]
        .lines()
        .find(|l| l.contains(":crit, sup0, "))
        .unwrap();
    assert!(
        supervisor_task.contains(&format!(", {first_window}, ")),
        "{supervisor_task}"
    );
    // An environment on a Supervisor starts when its Supervisor is done, not before.
    let last_day = supervisor["last_day"].as_str().unwrap();
    for env in json["fleet"]["schedule"].as_array().unwrap() {
        let name = env["environment"].as_str().unwrap();
        let on_it = supervisor["environments"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e == name);
        if on_it {
            assert!(env["starts"].as_str().unwrap() > last_day, "{env}");
        }
    }
}

#[test]
fn fleet_figures_are_those_of_its_environments_everywhere() {
    let start = "2027-03-01";
    let json = json_of(["assess", "-a", FLEET, "-f", "json", "--start", start]);
    let fleet = &json["fleet"];
    let schedule = fleet["schedule"].as_array().unwrap();
    let latest = |key: &str| {
        schedule
            .iter()
            .map(|e| e[key].as_str().unwrap().to_string())
            .chain(
                fleet["supervisors"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter_map(|s| s["last_day"].as_str().map(str::to_string)),
            )
            .max()
            .unwrap()
    };
    assert_eq!(fleet["calendar"]["target_date"], latest("target_date"));
    assert_eq!(fleet["calendar"]["close_date"], latest("close_date"));
    let risky: u64 = schedule
        .iter()
        .map(|e| e["risky_changes"].as_u64().unwrap())
        .sum::<u64>()
        + fleet["supervisors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["changes"].as_u64().unwrap())
            .sum::<u64>();
    assert_eq!(fleet["calendar"]["risky_changes"], risky);
    // No environment's own section reaches the target later than the fleet says.
    let target = fleet["calendar"]["target_date"].as_str().unwrap();
    for env in json["environments"].as_array().unwrap() {
        let strategy = &env["recommendation"]["strategy"];
        let own = env["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| &t["strategy"] == strategy)
            .unwrap();
        assert!(
            own["target_date"].as_str().unwrap() <= target,
            "{}",
            env["name"]
        );
    }
    // The order of work and the markdown summary give the same dates.
    let text = fleet_markdown(&[]);
    for env in schedule {
        let name = env["environment"].as_str().unwrap();
        let date = env["target_date"].as_str().unwrap();
        let step = text
            .lines()
            .find(|l| l.contains(&format!(". {name}: ")))
            .unwrap_or_else(|| panic!("an order-of-work step for {name}"));
        assert!(
            step.ends_with(&format!("production on the target {date}.")),
            "{step}"
        );
    }
    let fleet_part = &text[..text.find("## Fleet calendar").unwrap()];
    assert!(!fleet_part.contains("0.2 months"), "{fleet_part}");
}

#[test]
fn expect_takes_a_strategy_per_environment() {
    let json = json_of(["assess", "-a", FLEET, "-f", "json"]);
    let mut args = vec![
        "assess".to_string(),
        "-a".to_string(),
        FLEET.to_string(),
        "--expect".to_string(),
        "sequential".to_string(),
    ];
    for env in json["environments"].as_array().unwrap() {
        let strategy = env["recommendation"]["strategy"].as_str().unwrap();
        if strategy != "sequential" {
            args.push("--expect".to_string());
            args.push(format!("{}={strategy}", env["name"].as_str().unwrap()));
        }
    }
    advisor().args(&args).assert().code(0);
    advisor()
        .args(["assess", "-a", FLEET, "--expect", "web-prod=hybrid"])
        .assert()
        .code(4)
        .stderr(predicates::str::contains(
            "web-prod: sequential, not hybrid",
        ));
    advisor()
        .args(["assess", "-a", FLEET, "--expect", "web-prd=hybrid"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicates::str::contains("no environment `web-prd`"))
        .stderr(predicates::str::contains("did you mean `web-prod`?"));
    advisor()
        .args(["assess", "-a", CASE_STUDY, "--expect", "prod=hybrid"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("this answers file has none"));
}

#[test]
fn every_example_report_matches_the_published_report_schema() {
    let validator = published_schema("--report");
    let examples = std::fs::read_dir(format!(
        "{}/checklists/examples",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
    .map(|e| e.unwrap().path())
    .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
    .collect::<Vec<_>>();
    assert!(examples.len() >= 5);
    let mut fleets = 0;
    for example in &examples {
        let path = example.to_string_lossy();
        let report = json_of(["assess", "-a", &path, "-f", "json"]);
        fleets += usize::from(report.get("environments").is_some());
        assert_valid(&validator, &report, &path);
    }
    assert!(fleets >= 1, "a fleet example is checked too");
    // With --set (overrides) and a changed report that breaks the layout, for contrast.
    let report = json_of([
        "assess",
        "-a",
        CASE_STUDY,
        "-f",
        "json",
        "--set",
        "spare_capacity=no",
    ]);
    assert_valid(&validator, &report, "the case study with --set");
    let mut broken = report.clone();
    broken["recommendation"]["confidence"] = serde_json::json!(3);
    assert!(
        !validator.is_valid(&broken),
        "a confidence of 3 must not validate"
    );
    let mut broken = report;
    broken.as_object_mut().unwrap().remove("answers_sha256");
    assert!(
        !validator.is_valid(&broken),
        "a report without answers_sha256 must not validate"
    );
}

#[test]
fn scan_output_matches_the_published_scan_schema() {
    let validator = published_schema("--scan");
    let scan = json_of([
        "scan",
        "tests/fixtures/manifests",
        "--target",
        "1.33",
        "--format",
        "json",
    ]);
    assert!(!scan["findings"].as_array().unwrap().is_empty());
    assert_valid(&validator, &scan, "the scan of tests/fixtures/manifests");
    let mut broken = scan;
    broken["target"] = serde_json::json!(1.33);
    assert!(
        !validator.is_valid(&broken),
        "a numeric target must not validate"
    );
}

#[test]
fn json_keys_are_snake_case() {
    fn check(value: &serde_json::Value, path: &str, answers: bool) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, v) in map {
                    // Maps keyed by question ids or free context keys are data, not layout.
                    let data = matches!(key.as_str(), "answers" | "context");
                    if !answers {
                        assert!(
                            key.chars()
                                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                            "key `{key}` at {path} is not snake_case"
                        );
                    }
                    check(v, &format!("{path}.{key}"), data);
                }
            }
            serde_json::Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    check(v, &format!("{path}[{i}]"), false);
                }
            }
            _ => {}
        }
    }
    let fleet = json_of(["assess", "-a", FLEET, "-f", "json"]);
    assert_eq!(fleet["fleet"]["strategies"]["blue_green"], 1);
    check(&fleet, "", false);
    check(
        &json_of(["assess", "-a", CASE_STUDY, "-f", "json"]),
        "",
        false,
    );
}

/// A generated fleet of `count` environments over a few Supervisors.
fn large_fleet(count: usize) -> String {
    let text = std::fs::read_to_string(format!("{}/{FLEET}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let head = text.split("environments:").next().unwrap();
    let mut out = format!("{head}environments:\n");
    for i in 0..count {
        let (sup, from) = if i % 2 == 0 {
            ("1.29", "3.1")
        } else {
            ("1.30", "3.3")
        };
        out.push_str(&format!(
            "  - name: env-{i:04}\n    supervisor: sup-{}\n    answers:\n      supervisor_version: \"{sup}\"\n      supervisor_target_version: \"1.31\"\n      vks_version: \"{from}\"\n      vks_target_version: \"3.5\"\n      current_version: \"1.3{}\"\n      cluster_count: {}\n",
            i % 2,
            i % 3,
            1 + i % 20
        ));
    }
    out
}

/// A large fleet is written one environment at a time; the result is the same complete
/// document on standard output and in an -o file, and it matches the schema.
#[test]
fn a_large_fleet_streams_complete_reports_to_files_and_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("fleet.yaml");
    std::fs::write(&answers, large_fleet(120)).unwrap();
    let answers = answers.to_str().unwrap();
    for format in ["json", "markdown", "table"] {
        let file = dir.path().join(format!("report.{format}"));
        advisor()
            .args(["assess", "-a", answers, "-f", format, "-o"])
            .arg(&file)
            .assert()
            .code(0)
            // The note names the first few recommendations, not every one.
            .stderr(predicates::str::contains(
                "env-0009: sequential, and 110 more)",
            ));
        let written = std::fs::read_to_string(&file).unwrap();
        let printed = stdout_of(["assess", "-a", answers, "-f", format], "");
        assert_eq!(written, printed, "{format}: -o and standard output differ");
        if format == "json" {
            let json: serde_json::Value = serde_json::from_str(&written).unwrap();
            let environments = json["environments"].as_array().unwrap();
            assert_eq!(environments.len(), 120);
            assert_eq!(json["fleet"]["environments"], 120);
            // Every environment has its what-if search, however large the fleet (it used to
            // stop above 100 environments).
            for env in environments {
                let what_if = env["what_if"].as_array();
                assert_eq!(what_if.map(Vec::len), Some(2), "{}", env["name"]);
                assert!(env["sensitivity"]["robust"].is_boolean(), "{}", env["name"]);
            }
            assert_valid(
                &published_schema("--report"),
                &json,
                "a 120-environment fleet",
            );
        }
        if format == "markdown" {
            assert!(
                written.contains("## env-0119: "),
                "the last environment is there"
            );
            assert!(written.contains("The chart is left out above 60 environments"));
            assert!(
                written.trim_end().ends_with(".*"),
                "the decision record ends it"
            );
        }
    }
    // No temporary file is left behind.
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".upgrade-advisor-"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}
