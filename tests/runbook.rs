//! The runbook and the decision record as a change-advisory board and a docs folder get them:
//! snapshots of every example, and the markdown parsed as GitHub parses it.

use crate::common::{CASE_STUDY, advisor, json_of, stdout_of};
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use upgrade_advisor::base::date::Date;

const START: &str = "2027-01-04";
const SMALL_JUMP: &str = "checklists/examples/small-jump.yaml";
const LONG_JUMP: &str = "checklists/examples/long-jump.yaml";
const EKS: &str = "checklists/examples/eks-fleet-upgrade.yaml";
const FLEET: &str = "checklists/examples/fleet.yaml";
const SINGLE: [&str; 4] = [CASE_STUDY, SMALL_JUMP, LONG_JUMP, EKS];

fn render(example: &str, format: &str) -> String {
    stdout_of(
        [
            "assess",
            "--answers",
            example,
            "--format",
            format,
            "--start",
            START,
        ],
        "",
    )
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
}

#[test]
fn runbook_snapshots() {
    for (name, example) in [
        ("case_study", CASE_STUDY),
        ("small_jump", SMALL_JUMP),
        ("long_jump", LONG_JUMP),
        ("eks", EKS),
        ("fleet", FLEET),
    ] {
        insta::assert_snapshot!(format!("runbook_{name}"), render(example, "runbook"));
    }
}

/// A runbook per platform (the EKS example on each other platform) and per way the data moves
/// (the case study with each `stateful_strategy`): what an on-call engineer of each would run.
#[test]
fn runbook_snapshots_per_platform_and_data_strategy() {
    let runbook = |example: &str, set: &str| {
        stdout_of(
            [
                "assess",
                "--answers",
                example,
                "--set",
                set,
                "--format",
                "runbook",
                "--start",
                START,
            ],
            "",
        )
    };
    for platform in ["aks", "gke", "kubeadm", "other"] {
        insta::assert_snapshot!(
            format!("runbook_platform_{platform}"),
            runbook(EKS, &format!("platform={platform}"))
        );
    }
    for data in ["replication", "backup-restore", "downtime-window"] {
        let text = runbook(CASE_STUDY, &format!("stateful_strategy={data}"));
        assert!(text.contains("| Point of no return |"), "{data}");
        insta::assert_snapshot!(format!("runbook_stateful_{data}"), text);
    }
}

#[test]
fn adr_snapshots() {
    for (name, example) in [
        ("case_study", CASE_STUDY),
        ("small_jump", SMALL_JUMP),
        ("long_jump", LONG_JUMP),
        ("eks", EKS),
        ("fleet", FLEET),
    ] {
        insta::assert_snapshot!(format!("adr_{name}"), render(example, "adr"));
    }
}

/// What the parser sees: headings (level, text), tables (rows of cell texts, header first),
/// task-list markers, and the paragraphs' plain text.
#[derive(Default)]
struct Parsed {
    headings: Vec<(HeadingLevel, String)>,
    /// Each table with the heading it follows.
    tables: Vec<(String, Vec<Vec<String>>)>,
    tasks: usize,
    checked: usize,
    paragraphs: Vec<String>,
    metadata: Option<String>,
}

fn parse(text: &str) -> Parsed {
    let mut p = Parsed::default();
    let mut buffer: Option<String> = None;
    let mut in_table = false;
    for event in Parser::new_ext(text, options()) {
        match event {
            Event::Start(Tag::Heading { .. } | Tag::Paragraph | Tag::TableCell) => {
                buffer = Some(String::new())
            }
            Event::Start(Tag::MetadataBlock(_)) => p.metadata = Some(String::new()),
            Event::End(TagEnd::Heading(level)) => {
                p.headings.push((level, buffer.take().unwrap_or_default()))
            }
            Event::End(TagEnd::Paragraph) => {
                if let Some(b) = buffer.take() {
                    p.paragraphs.push(b)
                }
            }
            Event::Start(Tag::Table(_)) => {
                in_table = true;
                let heading = p.headings.last().map(|h| h.1.clone()).unwrap_or_default();
                p.tables.push((heading, Vec::new()));
            }
            Event::End(TagEnd::Table) => in_table = false,
            Event::Start(Tag::TableHead | Tag::TableRow) if in_table => {
                p.tables.last_mut().unwrap().1.push(Vec::new())
            }
            Event::End(TagEnd::TableCell) => {
                let cell = buffer.take().unwrap_or_default();
                p.tables
                    .last_mut()
                    .unwrap()
                    .1
                    .last_mut()
                    .unwrap()
                    .push(cell);
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(m) = p.metadata.as_mut().filter(|_| buffer.is_none()) {
                    m.push_str(&t);
                } else if let Some(b) = buffer.as_mut() {
                    b.push_str(&t);
                }
            }
            Event::TaskListMarker(done) => {
                p.tasks += 1;
                if done {
                    p.checked += 1;
                }
            }
            _ => {}
        }
    }
    p
}

fn date(text: &str) -> Date {
    text.parse().unwrap()
}

/// The recommended strategy's phases from the JSON: (name, kind, first window, last window).
fn phases_of(json: &serde_json::Value) -> Vec<(String, String, u64, u64)> {
    let strategy = &json["recommendation"]["strategy"];
    let timeline = json["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| &t["strategy"] == strategy)
        .unwrap();
    timeline["phases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().to_string(),
                p["kind"].as_str().unwrap().to_string(),
                p["first_window"].as_u64().unwrap(),
                p["last_window"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// The recommended section of the markdown report's gantt chart: (name, first day, days).
fn gantt_bars(markdown: &str) -> Vec<(String, Date, i64)> {
    let mut out = Vec::new();
    let mut in_recommended = false;
    for line in markdown.lines() {
        let line = line.trim();
        if let Some(section) = line.strip_prefix("section ") {
            in_recommended = section.ends_with("(recommended)");
            continue;
        }
        if in_recommended && let Some((name, rest)) = line.split_once(" :crit, ") {
            let parts: Vec<&str> = rest.split(", ").collect();
            let days: i64 = parts[2].trim_end_matches('d').parse().unwrap();
            out.push((name.to_string(), date(parts[1]), days));
        }
    }
    out
}

/// "windows 3–5: 2027-03-06, 2027-04-03, 2027-05-01" -> the first and the last date (the
/// same when there is one).
fn dates_in(text: &str) -> (Date, Date) {
    let found: Vec<Date> = text
        .split(|c: char| !c.is_ascii_digit() && c != '-')
        .filter(|w| w.len() == 10 && w.matches('-').count() == 2)
        .map(date)
        .collect();
    (found[0], *found.last().unwrap())
}

#[test]
fn phases_follow_the_calendar_with_the_timelines_dates() {
    for example in SINGLE {
        let json = json_of([
            "assess",
            "--answers",
            example,
            "--format",
            "json",
            "--start",
            START,
        ]);
        let phases = phases_of(&json);
        let bars = gantt_bars(&render(example, "markdown"));
        let parsed = parse(&render(example, "runbook"));
        let headings: Vec<&String> = parsed
            .headings
            .iter()
            .filter(|(level, text)| *level == HeadingLevel::H2 && text.starts_with("Phase "))
            .map(|(_, t)| t)
            .collect();
        assert_eq!(
            headings.len(),
            phases.len(),
            "{example}: a section per phase"
        );
        let whens: Vec<&String> = parsed
            .paragraphs
            .iter()
            .filter(|p| p.starts_with("When:"))
            .collect();
        assert_eq!(whens.len(), phases.len(), "{example}");
        let mut previous_end = None;
        for (i, ((name, _, first, last), heading)) in phases.iter().zip(&headings).enumerate() {
            assert_eq!(*heading, &format!("Phase {}: {name}", i + 1), "{example}");
            // The same days as the gantt chart of the markdown report.
            let (from, to) = dates_in(whens[i]);
            let (bar_name, bar_start, bar_days) = &bars[i];
            assert_eq!(bar_name, name, "{example}");
            assert_eq!(from, *bar_start, "{example}: {name}");
            assert_eq!(to, bar_start.plus_days(bar_days - 1), "{example}: {name}");
            let windows = if *first == 0 {
                "no change window needed".to_string()
            } else if first == last {
                format!("window {first}:")
            } else {
                format!("windows {first}–{last}:")
            };
            assert!(whens[i].contains(&windows), "{example}: {}", whens[i]);
            // Calendar order: a phase never starts before the one before it.
            if let Some(end) = previous_end {
                assert!(
                    from >= end,
                    "{example}: {name} starts before the phase before it"
                );
            }
            previous_end = Some(from);
        }
    }
}

#[test]
fn every_phase_has_a_rollback_row_that_follows_its_kind() {
    for example in SINGLE {
        let json = json_of([
            "assess",
            "--answers",
            example,
            "--format",
            "json",
            "--start",
            START,
        ]);
        let phases = phases_of(&json);
        let parsed = parse(&render(example, "runbook"));
        let (_, matrix) = parsed
            .tables
            .iter()
            .find(|(heading, _)| heading == "Rollback matrix")
            .expect("a rollback matrix");
        assert_eq!(
            matrix[0],
            [
                "Phase",
                "When",
                "Can roll back",
                "How",
                "Until",
                "Point of no return",
                "Cost"
            ]
        );
        assert_eq!(matrix.len() - 1, phases.len(), "{example}: a row per phase");
        let start_of = |i: usize| dates_in(&matrix[i + 1][1]).0;
        // A phase's old side is retired by the first retirement after it, and its data moved
        // with the last cut-over up to it (a capacity rotation has one of each per wave).
        let retired = |i: usize| {
            (i + 1..phases.len())
                .find(|&j| phases[j].1 == "decommission")
                .map(start_of)
        };
        let cut_over = |i: usize| (0..=i).rev().find(|&j| phases[j].1 == "wave").map(start_of);
        for (i, (name, kind, _, _)) in phases.iter().enumerate() {
            let row = &matrix[i + 1];
            assert_eq!(row[0], format!("{}. {name}", i + 1));
            // Rollback follows the data: a cut-over whose data moved with it can be undone
            // only until it happens, and the hold after it only with the data.
            let expected: &[&str] = match kind.as_str() {
                "in-place" | "decommission" => &["no"],
                "wave" => &["yes", "until the cut-over"],
                "rollback" => &["yes", "only with the data"],
                _ => &["yes"],
            };
            assert!(
                expected.contains(&row[2].trim_matches('*')),
                "{example}: {name}: {}",
                row[2]
            );
            let no_return = match row[5].as_str() {
                "none while the old side runs" => None,
                day => Some(date(day)),
            };
            match (kind.as_str(), row[2].trim_matches('*')) {
                ("in-place" | "decommission", _) => {
                    assert_eq!(no_return, Some(start_of(i)), "{example}: {name}");
                }
                ("wave" | "rollback", "yes") => {
                    // Until the day before the old side is retired.
                    // Or, with node pools, until the control planes move on past the old nodes.
                    let moved_on = (i + 1..phases.len())
                        .find(|&j| phases[j].1 == "in-place")
                        .map(start_of);
                    let ends = [moved_on, retired(i)].into_iter().flatten().min();
                    let until = dates_in(&format!("{} {}", row[4], row[4])).0;
                    assert_eq!(Some(until.plus_days(1)), ends, "{example}: {name}");
                    assert_eq!(no_return, None, "{example}: {name}");
                }
                ("wave" | "rollback", _) => {
                    assert_eq!(no_return, cut_over(i), "{example}: {name}");
                }
                _ => assert_eq!(no_return, None, "{example}: {name}"),
            }
        }
    }
}

/// Blue (or the old clusters) is retired only after the rollback period has ended.
#[test]
fn the_old_side_outlives_the_rollback_period() {
    let mut checked = 0;
    for example in SINGLE {
        let json = json_of([
            "assess",
            "--answers",
            example,
            "--format",
            "json",
            "--start",
            START,
        ]);
        for timeline in json["timeline"].as_array().unwrap() {
            let phases = timeline["phases"].as_array().unwrap();
            // In order: each wave's old side is held after its cut-over, and retired only
            // after that hold (a capacity rotation does this once per wave).
            let day = |p: &serde_json::Value, key: &str| p[key].as_str().unwrap().to_string();
            let (mut wave_end, mut hold_end) = (None, None);
            let mut retirements = 0;
            for p in phases {
                match p["kind"].as_str().unwrap() {
                    "wave" => wave_end = Some(day(p, "last_day")),
                    "rollback" => {
                        let after = wave_end.as_ref().expect("a cut-over before its hold");
                        assert!(day(p, "first_day") > *after, "{example}: {p}");
                        hold_end = Some(day(p, "last_day"));
                    }
                    "decommission" => {
                        let after = hold_end.as_ref().expect("a hold before the retirement");
                        assert!(day(p, "first_day") > *after, "{example}: {p}");
                        retirements += 1;
                    }
                    _ => {}
                }
            }
            if retirements == 0 {
                continue;
            }
            checked += 1;
        }
        // And in the runbook's dates.
        let parsed = parse(&render(example, "runbook"));
        let (_, overview) = parsed
            .tables
            .iter()
            .find(|(heading, _)| heading == "Phases")
            .unwrap();
        let day = |kind: &str, column: usize| {
            overview
                .iter()
                .find(|row| row[2] == kind)
                .map(|row| date(&row[column]))
        };
        if let (Some(rollback_end), Some(retire)) =
            (day("rollback period", 5), day("decommission", 4))
        {
            assert!(retire > rollback_end, "{example}");
        }
    }
    assert!(
        checked >= 8,
        "every parallel timeline was checked ({checked})"
    );
}

#[test]
fn runbooks_and_records_are_well_formed_markdown() {
    for example in SINGLE.iter().chain([&FLEET]) {
        for format in ["runbook", "adr"] {
            let text = render(example, format);
            let parsed = parse(&text);
            for (heading, rows) in &parsed.tables {
                let width = rows[0].len();
                assert!(
                    rows.iter().all(|r| r.len() == width),
                    "{example} {format}: ragged table under {heading}"
                );
            }
            let boxes = text
                .lines()
                .filter(|l| l.trim_start().starts_with("- [ ] "))
                .count();
            assert_eq!(
                parsed.tasks, boxes,
                "{example} {format}: every box is a task"
            );
            assert_eq!(parsed.checked, 0, "boxes start unchecked");
            if format == "runbook" {
                assert!(boxes > 10, "{example}: {boxes} task boxes");
                let sections: Vec<&str> = parsed.headings.iter().map(|h| h.1.as_str()).collect();
                for needed in ["Before you start", "Rollback matrix", "Sign-off"] {
                    assert!(sections.contains(&needed), "{example}: {needed}");
                }
                // The sign-off table is left for people to fill in.
                let (_, sign) = parsed.tables.iter().find(|(h, _)| h == "Sign-off").unwrap();
                assert!(
                    sign[1..]
                        .iter()
                        .all(|r| r[2..].iter().all(String::is_empty))
                );
            }
        }
    }
}

#[test]
fn every_phase_lists_the_five_kinds_of_step() {
    let text = render(CASE_STUDY, "runbook");
    let sections: Vec<&str> = text.split("\n## Phase ").skip(1).collect();
    assert_eq!(sections.len(), 5);
    for section in sections {
        for part in [
            "**Pre-checks**",
            "**Change**",
            "**Validation**",
            "**Go/no-go**",
            "**Roll back**",
        ] {
            assert!(section.contains(part), "{part} missing in {section}");
        }
        // The built-in checklist gives texts for every phase of the case study.
        assert!(!section.contains("The checklist gives no steps here"));
        assert!(!section.contains("has no step texts for this phase"));
    }
    // Vendor steps point to Broadcom's documentation and carry no made-up command; the
    // upstream ones show theirs.
    assert!(text.contains("https://techdocs.broadcom.com/"));
    assert!(text.contains("`kubectl get pdb -A`"));
    for line in text.lines().filter(|l| l.contains("Broadcom")) {
        assert!(
            !line.contains("`kubectl"),
            "vendor step with a command: {line}"
        );
    }
}

#[test]
fn the_adr_has_every_madr_section_and_names_the_choice() {
    for example in SINGLE {
        let json = json_of(["assess", "--answers", example, "--format", "json"]);
        let name = json["recommendation"]["name"].as_str().unwrap();
        let text = render(example, "adr");
        let parsed = parse(&text);
        let metadata = parsed.metadata.expect("front matter");
        assert!(metadata.contains("status: proposed"), "{metadata}");
        assert!(metadata.contains("date: 2026-11-26"), "{metadata}");
        assert!(metadata.contains("deciders: ["), "{metadata}");
        let headings: Vec<(HeadingLevel, &str)> = parsed
            .headings
            .iter()
            .map(|(l, t)| (*l, t.as_str()))
            .collect();
        assert_eq!(headings[0].0, HeadingLevel::H1);
        for (level, section) in [
            (HeadingLevel::H2, "Context and Problem Statement"),
            (HeadingLevel::H2, "Decision Drivers"),
            (HeadingLevel::H2, "Considered Options"),
            (HeadingLevel::H2, "Decision Outcome"),
            (HeadingLevel::H3, "Consequences"),
            (HeadingLevel::H3, "Confirmation"),
            (HeadingLevel::H2, "Pros and Cons of the Options"),
            (HeadingLevel::H2, "More Information"),
        ] {
            assert!(
                headings.contains(&(level, section)),
                "{example}: {section} missing"
            );
        }
        // Every strategy is an option with a subsection of pros and cons.
        for strategy in ["Sequential in-place", "Blue-Green", "Hybrid"] {
            assert!(
                headings
                    .iter()
                    .any(|(l, t)| *l == HeadingLevel::H3 && t.starts_with(strategy)),
                "{example}: {strategy}"
            );
        }
        assert!(
            parsed
                .paragraphs
                .iter()
                .any(|p| p.starts_with(&format!("Chosen option: \"{name}\", because "))),
            "{example}: the chosen option is {name}"
        );
        let strategy = json["recommendation"]["strategy"].as_str().unwrap();
        assert!(
            text.contains(&format!("--expect {strategy}\n")),
            "{example}"
        );
        assert!(text.contains(json["answers_sha256"].as_str().unwrap()));
        assert!(text.contains("Overrides (`--set`): none."));
    }
    // An override is part of the record, with what the file said.
    let adr = crate::common::stdout_of(
        [
            "assess",
            "-a",
            "checklists/examples/case-study.yaml",
            "-f",
            "adr",
            "--set",
            "spare_capacity=yes",
        ],
        "",
    );
    let line = adr
        .lines()
        .find(|l| l.starts_with("* Overrides (`--set`):"))
        .unwrap();
    assert!(
        line.contains("spare_capacity") && line.contains("limited"),
        "{line}"
    );
}

#[test]
fn the_fleet_runbook_puts_the_supervisors_first() {
    let parsed = parse(&render(FLEET, "runbook"));
    let top: Vec<&str> = parsed
        .headings
        .iter()
        .filter(|(l, _)| *l == HeadingLevel::H2)
        .map(|(_, t)| t.as_str())
        .collect();
    assert_eq!(top[0], "Order of work");
    assert_eq!(top[1], "Supervisor sup-east");
    assert_eq!(top[2], "Supervisor sup-west");
    assert_eq!(top[3], "payments-prod: Hybrid");
    assert_eq!(*top.last().unwrap(), "Sign-off");
    // An environment on a Supervisor starts after it, and does not redo its shared layers.
    let starts = parsed
        .paragraphs
        .iter()
        .find(|p| p.starts_with("Starts on") && p.contains("sup-east"))
        .unwrap();
    let east = parsed
        .paragraphs
        .iter()
        .find(|p| p.starts_with("The shared steps run in this order within"))
        .unwrap();
    let (_, east_end) = dates_in(east);
    let (env_start, _) = dates_in(&format!("{starts} {starts}"));
    assert_eq!(env_start, east_end.plus_days(1));
    let payments: Vec<&str> = parsed
        .headings
        .iter()
        .skip_while(|(_, t)| t != "payments-prod: Hybrid")
        .skip(1)
        .take_while(|(l, _)| *l != HeadingLevel::H2)
        .map(|(_, t)| t.as_str())
        .collect();
    assert!(
        payments
            .iter()
            .all(|h| !h.contains("Supervisor (management plane)"))
    );
    assert!(payments.contains(
        &"Phase 1: Replace workload clusters at 1.33 (2 waves rotating through the limited capacity, 1 at a time)"
    ));
}

#[test]
fn the_fleet_adr_records_each_environments_outcome() {
    let text = render(FLEET, "adr");
    let parsed = parse(&text);
    let (_, outcomes) = parsed
        .tables
        .iter()
        .find(|(h, _)| h == "Decision Outcome")
        .unwrap();
    assert_eq!(outcomes.len(), 8, "a row per environment");
    let json = json_of(["assess", "--answers", FLEET, "--format", "json"]);
    for (row, env) in outcomes[1..]
        .iter()
        .zip(json["environments"].as_array().unwrap())
    {
        assert_eq!(row[0], env["name"].as_str().unwrap());
        assert_eq!(row[2], env["recommendation"]["name"].as_str().unwrap());
    }
    // A mixed fleet cannot use one --expect; the record says how to check it instead.
    assert!(text.contains("environments[].recommendation.strategy"));
}

/// Node pools never trail their control plane by more than the kubelet skew allows.
#[test]
fn node_pools_stay_within_the_kubelet_skew() {
    for jump in ["1.29", "1.25", "1.30"] {
        let text = stdout_of(
            [
                "assess",
                "--answers",
                EKS,
                "--format",
                "runbook",
                "--set",
                &format!("current_version={jump}"),
                "--start",
                START,
            ],
            "",
        );
        let lags: Vec<u32> = text
            .lines()
            .filter(|l| l.starts_with("Kubelet skew:"))
            .filter_map(|l| {
                let words: Vec<&str> = l.split_whitespace().collect();
                words
                    .windows(2)
                    .find(|w| w[1].starts_with("minor"))
                    .and_then(|w| w[0].parse().ok())
            })
            .collect();
        assert!(!lags.is_empty(), "{jump}: the skew is stated");
        assert!(lags.iter().all(|&lag| lag <= 3), "{jump}: {lags:?}");
        assert!(text.contains("the limit is 3"));
    }
}

#[test]
fn scan_evidence_becomes_pre_checks() {
    let text = stdout_of(
        [
            "assess",
            "--answers",
            CASE_STUDY,
            "--manifests",
            "tests/fixtures/manifests/shop",
            "--format",
            "runbook",
            "--start",
            START,
        ],
        "",
    );
    let before = text
        .split("## Before you start")
        .nth(1)
        .unwrap()
        .split("\n## ")
        .next()
        .unwrap();
    let scanned: Vec<&str> = before
        .lines()
        .filter(|l| l.starts_with("- [ ] **From the scan:**"))
        .collect();
    assert!(
        scanned.iter().any(|l| l.contains("PodDisruptionBudget")),
        "{scanned:?}"
    );
    assert!(
        scanned.iter().any(|l| l.contains("removed API")),
        "{scanned:?}"
    );
}

#[test]
fn a_checklist_without_runbook_texts_still_gets_a_runbook() {
    let dir = tempfile::tempdir().unwrap();
    let vks = std::fs::read_to_string("checklists/vks.yaml").unwrap();
    let bare = vks[..vks.find("\nrunbook:").expect("the runbook section")].replacen(
        "id: vks\n",
        "id: bare\n",
        1,
    );
    let path = dir.path().join("bare.yaml");
    std::fs::write(&path, bare).unwrap();
    let answers = crate::common::case_study_with("checklist: vks", "checklist: bare");
    let text = stdout_of(
        [
            "assess",
            "--answers",
            "-",
            "--checklist",
            path.to_str().unwrap(),
            "--format",
            "runbook",
            "--start",
            START,
        ],
        &answers,
    );
    assert!(text.contains("## Phase 5: Retire the old workload clusters"));
    assert!(text.contains("add them under runbook.phases"));
    assert!(text.contains("## Rollback matrix"));
}

#[test]
fn broken_runbook_texts_are_reported_where_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let vks = std::fs::read_to_string("checklists/vks.yaml").unwrap();
    let broken = vks
        .replacen("      layer: vks\n", "      layer: vsk\n", 1)
        .replacen(
            "url: https://interopmatrix.broadcom.com/",
            "url: javascript:alert(1)",
            1,
        )
        .replacen("see: k8s-pdb", "see: k8s-pdbs", 1);
    let path = dir.path().join("broken.yaml");
    std::fs::write(&path, broken).unwrap();
    let out = advisor()
        .args(["checklist", "lint", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("names the layer `vsk`, which does not exist"),
        "{err}"
    );
    assert!(
        err.contains("fix: name one of the layers: supervisor, vks"),
        "{err}"
    );
    assert!(
        err.contains("`javascript:alert(1)` is not a plain web address"),
        "{err}"
    );
    assert!(err.contains("names the reference `k8s-pdbs`"), "{err}");
    assert!(err.contains("runbook.references[2]"), "{err}");
}

#[test]
fn text_from_the_answers_cannot_forge_markup() {
    let answers = crate::common::case_study_with(
        "organization: Example Corp",
        "organization: \"Acme\\n## Phase 9: forged <img src=x> | [x](javascript:1)\"",
    );
    for format in ["runbook", "adr"] {
        let text = stdout_of(
            [
                "assess",
                "--answers",
                "-",
                "--format",
                format,
                "--start",
                START,
            ],
            &answers,
        );
        let parsed = parse(&text);
        assert!(
            parsed
                .headings
                .iter()
                .all(|(_, h)| !h.starts_with("Phase 9")),
            "{format}"
        );
        assert!(!text.contains("<img"), "{format}");
        assert!(!text.contains("[x](javascript"), "{format}");
    }
}

#[test]
fn nothing_to_upgrade_gives_a_runbook_without_phases() {
    let text = stdout_of(
        [
            "assess",
            "--answers",
            SMALL_JUMP,
            "--set",
            "current_version=1.33",
            "--format",
            "runbook",
        ],
        "",
    );
    assert!(text.contains("Nothing to schedule"));
    assert!(!text.contains("## Phase "));
    assert!(!text.contains("## Rollback matrix"));
}

/// A long phase lists its first batches one by one and says how the rest follow, so a fleet
/// of hundreds of clusters still gives a document people can read.
#[test]
fn a_phase_of_many_batches_lists_the_first_and_summarizes_the_rest() {
    let text = stdout_of(
        [
            "assess",
            "--answers",
            CASE_STUDY,
            "--set",
            "cluster_count=500",
            "--set",
            "clusters_per_window=1",
            "--set",
            "spare_capacity=yes",
            "--format",
            "runbook",
            "--start",
            START,
        ],
        "",
    );
    let parsed = parse(&text);
    let (_, batches) = parsed
        .tables
        .iter()
        .find(|(_, rows)| rows[0][0] == "Batch")
        .unwrap();
    assert_eq!(batches.len(), 1 + 52);
    assert!(text.contains("The other 448 batches follow one per window, up to window 502"));
}

/// The runbook's change blocks of each phase: (phase heading, the `Change...` titles).
fn change_blocks(runbook: &str) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for line in runbook.lines() {
        if let Some(phase) = line.strip_prefix("## Phase ") {
            out.push((phase.to_string(), Vec::new()));
        } else if let (Some(last), Some(title)) = (
            out.last_mut(),
            line.strip_prefix("**Change")
                .and_then(|t| t.strip_suffix("**")),
        ) {
            last.1.push(format!("Change{title}"));
        }
    }
    out
}

/// Every in-place phase has one change step per hop: a Supervisor two minors behind moves
/// 1.28 → 1.29 → 1.30 in two changes with a soak between, and a batch that takes two hops in
/// one window (two changes allowed) does them one after the other.
#[test]
fn every_in_place_phase_has_a_change_step_per_hop() {
    let supervisor = stdout_of(
        [
            "assess",
            "-a",
            CASE_STUDY,
            "--set",
            "supervisor_version=1.28",
            "--set",
            "supervisor_target_version=1.30",
            "-f",
            "runbook",
            "--start",
            START,
        ],
        "",
    );
    let blocks = change_blocks(&supervisor);
    let (name, changes) = &blocks[0];
    assert!(
        name.contains("Supervisor (management plane) 1.28 to 1.30"),
        "{name}"
    );
    assert_eq!(
        changes,
        &[
            "Change, hop 1 of 2 (window 1, 2027-01-09): 1.28 → 1.29",
            "Change, hop 2 of 2 (window 2, 2027-02-13): 1.29 → 1.30"
        ]
    );
    assert!(supervisor.contains("**Validation and soak after hop 1**"));
    assert!(supervisor.contains("start hop 2 only when every box here is ticked"));
    let packed = stdout_of(
        [
            "assess",
            "-a",
            CASE_STUDY,
            "--set",
            "changes_per_window=2",
            "--set",
            "spare_capacity=no",
            "-f",
            "runbook",
            "--start",
            START,
        ],
        "",
    );
    let blocks = change_blocks(&packed);
    let two = blocks
        .iter()
        .find(|(name, _)| name.contains("Workload clusters to 1.31-1.32"))
        .expect("a phase of two hops per batch");
    assert_eq!(
        two.1,
        [
            "Change, hop 1 of 2: 1.30 → 1.31",
            "Change, hop 2 of 2: 1.31 → 1.32"
        ]
    );
    // Elsewhere: a phase of one hop has one change block, and a phase's hop blocks count
    // up to their total.
    for example in SINGLE {
        for (name, changes) in change_blocks(&render(example, "runbook")) {
            assert!(!changes.is_empty(), "{example}: {name} has no change");
            let n = changes.len();
            if n > 1 {
                for (i, c) in changes.iter().enumerate() {
                    assert!(
                        c.starts_with(&format!("Change, hop {} of {n}", i + 1)),
                        "{example}: {c}"
                    );
                }
            } else {
                assert_eq!(changes, ["Change"], "{example}: {name}");
            }
        }
    }
}

/// Rollback follows the data: with replication the cut-over can be failed back (set up
/// before it); with backup and restore or a downtime window, the cut-over is the point of no
/// return; with no stateful workloads, the traffic simply moves back.
#[test]
fn rollback_follows_the_data_of_each_stateful_strategy() {
    let runbook = |strategy: &str| {
        let mut args = vec![
            "assess", "-a", CASE_STUDY, "-f", "runbook", "--start", START,
        ];
        let set = format!("stateful_strategy={strategy}");
        if strategy == "stateless" {
            args.extend(["--set", "stateful_workloads=none"]);
        } else {
            args.extend(["--set", set.as_str()]);
        }
        stdout_of(args, "")
    };
    let wave_row = |text: &str| -> Vec<String> {
        let parsed = parse(text);
        let (_, matrix) = parsed
            .tables
            .iter()
            .find(|(heading, _)| heading == "Rollback matrix")
            .unwrap()
            .clone();
        matrix
            .into_iter()
            .find(|row| row[0].contains("Replace workload clusters"))
            .unwrap()
    };
    let replication = runbook("replication");
    let row = wave_row(&replication);
    assert_eq!(row[2], "yes", "{row:?}");
    assert!(row[3].starts_with("Fail back: freeze writes"), "{row:?}");
    assert_eq!(row[5], "none while the old side runs");
    assert!(replication.contains(
        "- [ ] So that the cut-over can be undone: Set up replication back from the new cluster"
    ));
    for strategy in ["backup-restore", "downtime-window"] {
        let text = runbook(strategy);
        let row = wave_row(&text);
        assert_eq!(row[2], "until the cut-over", "{strategy}: {row:?}");
        assert_eq!(row[5], "2027-03-13", "{strategy}: the first cut-over");
        assert!(
            text.contains("after that, shifting it back is not a rollback"),
            "{strategy}"
        );
    }
    let stateless = runbook("stateless");
    let row = wave_row(&stateless);
    assert_eq!(row[2], "yes");
    assert!(!stateless.contains("So that the cut-over can be undone"));
    assert!(!stateless.contains("not a rollback"));
}

/// The people the answers' context names sign where they belong: the change owner and the
/// approvers in every row of the runbook's sign-off, the deciders in the decision record.
#[test]
fn named_roles_reach_the_sign_off_and_the_deciders() {
    let answers = crate::common::case_study_with(
        "  prepared_by: Platform architecture team\n",
        "  prepared_by: Platform architecture team\n  change_owner: Jane Roe\n  approvers: [CAB chair, Head of Operations]\n  deciders: [Platform architect, Application owner]\n",
    );
    let run = |format: &str| {
        stdout_of(
            ["assess", "-a", "-", "-f", format, "--start", START],
            &answers,
        )
    };
    let runbook = run("runbook");
    let parsed = parse(&runbook);
    let (_, sign) = parsed
        .tables
        .iter()
        .find(|(heading, _)| heading == "Sign-off")
        .expect("a sign-off table");
    assert_eq!(sign[0][2..4], ["Owner", "Approved by"]);
    for row in &sign[1..] {
        assert_eq!(row[2], "Jane Roe", "{row:?}");
        assert_eq!(row[3], "CAB chair, Head of Operations", "{row:?}");
    }
    let adr = run("adr");
    let front = adr.lines().find(|l| l.starts_with("deciders:")).unwrap();
    assert_eq!(
        front,
        r#"deciders: ["Platform architecture team", "Platform architect", "Application owner"]"#
    );
}

/// Every gate of a phase that changes production has numbers: the measurement, its limit,
/// the soak and the time after which it triggers the rollback.
#[test]
fn every_gate_has_a_number() {
    for example in SINGLE {
        let text = render(example, "runbook");
        let mut sections = text.split("\n## Phase ").skip(1);
        let mut gated = 0;
        for section in sections.by_ref() {
            let kind = section
                .lines()
                .find(|l| l.starts_with("**When:**"))
                .unwrap_or_default();
            let changes = kind.contains("**Kind:** in place") || kind.contains("**Kind:** wave");
            let gate = section.lines().find(|l| l.starts_with("- [ ] Gate"));
            if !changes {
                assert!(
                    gate.is_none(),
                    "{example}: a gate where nothing changes: {kind}"
                );
                continue;
            }
            let gate = gate.unwrap_or_else(|| panic!("{example}: no gate: {kind}"));
            for needle in [
                "0.5 percentage points",
                "20% above",
                "60 minutes",
                "within 30 minutes",
                "Rollback trigger",
            ] {
                assert!(
                    gate.contains(needle),
                    "{example}: {needle} missing from {gate}"
                );
            }
            if kind.contains("**Kind:** wave") {
                assert!(gate.contains("(5%, 25%, 50%, 100%)"), "{gate}");
            }
            gated += 1;
        }
        assert!(gated > 0, "{example}");
    }
}

/// An answers file's `gates:` sets the runbook's limits over the checklist's; a wrong one
/// exits 2 with its line and a fix.
#[test]
fn the_answers_file_sets_its_own_gates() {
    let run = |gates: &str, format: &str| {
        let answers = crate::common::case_study_with("answers:", &format!("{gates}answers:"));
        let out = crate::common::advisor()
            .args(["assess", "-a", "-", "-f", format, "--start", START])
            .write_stdin(answers)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let own = "gates:\n  soak_minutes: 30\n  traffic_steps: [10, 50, 100]\n";
    let (code, runbook, stderr) = run(own, "runbook");
    assert_eq!(code, Some(0), "{stderr}");
    assert!(runbook.contains("Gate at each traffic step (10%, 50%, 100%), each held 30 minutes"));
    // What the file leaves out is the checklist's.
    assert!(runbook.contains("no more than 0.5 percentage points"));
    let (_, json, _) = run(own, "json");
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["gates"]["soak_minutes"], 30);
    assert_eq!(json["gates"]["abort_after_minutes"], 30);
    assert_eq!(
        json["gates"]["traffic_steps"],
        serde_json::json!([10, 50, 100])
    );
    for (bad, says) in [
        (
            "gates:\n  traffic_steps: [50, 20]\n",
            "`traffic_steps` must rise",
        ),
        (
            "gates:\n  soak_minutes: many\n",
            "`soak_minutes` is the text \"many\"",
        ),
        (
            "gates:\n  soak_minuts: 30\n",
            "did you mean `soak_minutes`?",
        ),
    ] {
        let (code, stdout, stderr) = run(bad, "markdown");
        assert_eq!((code, stdout.as_str()), (Some(2), ""), "{bad}");
        assert!(stderr.contains(says), "{bad}: {stderr}");
        assert!(
            stderr.contains(":9:") || stderr.contains(":10:"),
            "a line: {stderr}"
        );
    }
}

/// The words that name each platform's own tools and documents; a runbook for one platform
/// contains none of the others' ("other" has none of its own, so it may name none of them).
const OWN_WORDS: [(&str, &[&str]); 5] = [
    ("eks", &["EKS", "eksctl", "aws eks", "aws.amazon.com"]),
    ("aks", &["AKS", "az aks", "learn.microsoft.com"]),
    ("gke", &["GKE", "gcloud", "cloud.google.com"]),
    ("kubeadm", &["kubeadm upgrade"]),
    ("other", &[]),
];

/// The words a runbook for `platform` must not contain: every other platform's own.
fn forbidden(platform: &str) -> Vec<&'static str> {
    OWN_WORDS
        .iter()
        .filter(|(p, _)| *p != platform)
        .flat_map(|(_, words)| words.iter().copied())
        .collect()
}

/// Each platform its own pre-flight checks: the "Before you start" list of a plan on one
/// platform names no other platform's tools or links.
#[test]
fn the_pre_flight_names_only_the_platform_in_use() {
    for (platform, _) in OWN_WORDS {
        let words = forbidden(platform);
        let set = format!("platform={platform}");
        let text = stdout_of(
            [
                "assess", "-a", EKS, "--set", &set, "-f", "runbook", "--start", START,
            ],
            "",
        );
        let before = text
            .split("## Before you start")
            .nth(1)
            .and_then(|rest| rest.split("\n## ").next())
            .expect("a Before you start section");
        assert!(
            before.contains("Read the release notes of every minor"),
            "{platform}"
        );
        for word in words {
            assert!(!before.contains(word), "{platform}: `{word}` in\n{before}");
        }
    }
}

/// The whole runbook, for every platform and every strategy the answers can force, names only
/// the platform in use: its commands and links, never another provider's.
#[test]
fn every_phase_names_only_the_platform_in_use() {
    let strategies: [(&str, &[&str]); 3] = [
        ("hybrid", &[]),
        (
            "sequential",
            &["current_version=1.32", "rolling_restart_tolerance=all"],
        ),
        (
            "blue-green",
            &[
                "spare_capacity=yes",
                "capacity_expansion=yes",
                "cluster_bound_integrations=no",
                "traffic_shifting=weighted",
            ],
        ),
    ];
    for (platform, _) in OWN_WORDS {
        let words = forbidden(platform);
        for (strategy, sets) in strategies {
            let mut args = vec!["assess", "-a", EKS, "--start", START];
            let platform_set = format!("platform={platform}");
            for set in sets.iter().copied().chain([platform_set.as_str()]) {
                args.extend(["--set", set]);
            }
            let json = json_of(args.iter().copied().chain(["-f", "json"]));
            assert_eq!(
                json["recommendation"]["strategy"], strategy,
                "{platform}: {sets:?}"
            );
            let text = stdout_of(args.iter().copied().chain(["-f", "runbook"]), "");
            assert!(text.contains("## Phase 1"), "{platform} {strategy}");
            // The answers file's own description of the environment is not the runbook's.
            let text: String = text
                .lines()
                .filter(|l| !l.starts_with("- **Environment:**"))
                .collect::<Vec<_>>()
                .join("\n");
            for word in &words {
                assert!(
                    !text.contains(word),
                    "{platform}, {strategy}: `{word}` in\n{}",
                    text.lines()
                        .filter(|l| l.contains(word))
                        .collect::<Vec<_>>()
                        .join("\n")
                );
            }
        }
    }
}

/// The JSON report carries the runbook as data: every phase has its kind, hops, dates and
/// steps of the named kinds; an in-place phase has one change step per hop; every gate has a
/// number; and the markdown runbook shows each step's text.
#[test]
fn the_json_runbook_is_the_markdown_runbooks_data() {
    for file in SINGLE {
        let args = ["assess", "-a", file, "--start", START];
        let json = json_of([&args[..], &["-f", "json"]].concat());
        let markdown = stdout_of([&args[..], &["-f", "runbook"]].concat(), "");
        let runbook = &json["runbook"];
        assert!(runbook["peak_extra_clusters"].is_u64(), "{file}");
        assert!(runbook["conflicts"].is_array(), "{file}");
        let phases = runbook["phases"].as_array().expect("phases");
        assert!(!phases.is_empty(), "{file}");
        for phase in phases {
            let title = phase["title"].as_str().unwrap();
            assert!(
                markdown.contains(&format!(": {title}\n")),
                "{file}: {title}"
            );
            let steps = phase["steps"].as_array().unwrap();
            for step in steps {
                let kind = step["kind"].as_str().unwrap();
                assert!(
                    [
                        "precheck",
                        "change",
                        "validation",
                        "gate",
                        "rollback",
                        "communication"
                    ]
                    .contains(&kind),
                    "{kind}"
                );
                let text = step["text"].as_str().unwrap();
                let start: String = text.chars().take(20).collect();
                assert!(
                    markdown.contains(start.split(['_', '*', '`', '(']).next().unwrap()),
                    "{file}: {text}"
                );
            }
            let hops = phase["hops"].as_array().unwrap().len();
            let hop_changes = steps
                .iter()
                .filter(|s| s["kind"] == "change" && s["text"].as_str().unwrap().contains("(hop "))
                .count();
            if phase["kind"] == "in-place" && hops > 1 {
                assert_eq!(hop_changes, hops, "{file}: {title}");
            }
            for gate in phase["gates"].as_array().unwrap() {
                assert!(gate["limit"].as_f64().is_some_and(|l| l > 0.0), "{gate}");
                assert!(gate["soak_minutes"].as_u64().is_some_and(|m| m > 0));
                assert!(!gate["rollback_trigger"].as_str().unwrap().is_empty());
            }
            if matches!(phase["kind"].as_str(), Some("in-place" | "wave")) {
                assert_eq!(phase["gates"].as_array().unwrap().len(), 2, "{title}");
            }
        }
    }
}

/// `rollback_within_window: yes` against an in-place plan is a named conflict: in the JSON
/// runbook's `conflicts`, in "Before you start", and a risk-acceptance row in the sign-off.
#[test]
fn a_requirement_conflict_is_named_and_signed_for() {
    let args = [
        "assess",
        "-a",
        SMALL_JUMP,
        "--set",
        "rollback_within_window=yes",
        "--start",
        START,
    ];
    let json = json_of([&args[..], &["-f", "json"]].concat());
    assert_eq!(json["recommendation"]["strategy"], "sequential");
    let conflicts = json["runbook"]["conflicts"].as_array().unwrap();
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    assert_eq!(conflicts[0]["id"], "rollback-requirement");
    let markdown = stdout_of([&args[..], &["-f", "runbook"]].concat(), "");
    assert!(markdown.contains("**Requirement conflicts.**"));
    assert!(markdown.contains("| Risk acceptance: Conflict"));
}

/// Every runbook the answers can produce, read by a GFM parser: each platform with each
/// strategy, each example with each way the data moves, and rotations through limited
/// capacity. Tables are rectangular with a header of names (never an empty one), every box
/// is a task list item, the phase overview has a row per phase section, and every phase
/// has boxes to tick.
#[test]
fn every_runbook_parses_as_gfm_with_its_task_lists_and_tables() {
    let strategies: [&[&str]; 3] = [
        &[],
        &["current_version=1.32", "rolling_restart_tolerance=all"],
        &[
            "spare_capacity=yes",
            "capacity_expansion=yes",
            "cluster_bound_integrations=no",
            "traffic_shifting=weighted",
        ],
    ];
    let mut cases: Vec<(&str, Vec<String>)> = Vec::new();
    for (platform, _) in OWN_WORDS {
        for sets in strategies {
            let mut sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
            sets.push(format!("platform={platform}"));
            cases.push((EKS, sets));
        }
    }
    for example in SINGLE {
        for data in ["replication", "backup-restore", "downtime-window"] {
            cases.push((example, vec![format!("stateful_strategy={data}")]));
        }
    }
    for sets in [
        &["change_window=weekly"][..],
        &["cluster_count=5", "clusters_per_window=1"],
        &[
            "cluster_count=120",
            "clusters_per_window=1",
            "change_window=weekly",
        ],
        &["clusters_per_window=3"],
    ] {
        cases.push((CASE_STUDY, sets.iter().map(|s| s.to_string()).collect()));
    }
    let mut strategies_seen = std::collections::BTreeSet::new();
    for (example, sets) in &cases {
        let mut args = vec!["assess", "-a", example, "--start", START];
        for set in sets {
            args.extend(["--set", set.as_str()]);
        }
        let json = json_of(args.iter().copied().chain(["-f", "json"]));
        strategies_seen.insert(json["recommendation"]["strategy"].to_string());
        let text = stdout_of(args.iter().copied().chain(["-f", "runbook"]), "");
        let case = format!("{example} {sets:?}");
        let parsed = parse(&text);
        for (heading, rows) in &parsed.tables {
            let width = rows[0].len();
            assert!(width > 1, "{case}: a one-column table under {heading}");
            assert!(
                rows[0].iter().all(|cell| !cell.trim().is_empty()),
                "{case}: an empty header cell under {heading}: {:?}",
                rows[0]
            );
            assert!(
                rows.iter().all(|r| r.len() == width),
                "{case}: ragged table under {heading}"
            );
        }
        let boxes = text
            .lines()
            .filter(|l| l.trim_start().starts_with("- [ ] "))
            .count();
        assert_eq!(parsed.tasks, boxes, "{case}: every box is a task");
        assert_eq!(parsed.checked, 0, "{case}: boxes start unchecked");
        // A row in the overview per phase section, in order.
        let sections: Vec<&str> = parsed
            .headings
            .iter()
            .filter_map(|(_, h)| h.strip_prefix("Phase "))
            .collect();
        let (_, overview) = parsed
            .tables
            .iter()
            .find(|(h, _)| h == "Phases")
            .unwrap_or_else(|| panic!("{case}: no Phases table"));
        assert_eq!(overview.len() - 1, sections.len(), "{case}");
        for (row, section) in overview[1..].iter().zip(&sections) {
            assert_eq!(format!("{}: {}", row[0], row[1]), *section, "{case}");
        }
        // Every phase section has boxes to tick.
        for part in text.split("\n## Phase ").skip(1) {
            assert!(part.contains("\n- [ ] "), "{case}: a phase with no boxes");
        }
    }
    assert_eq!(
        strategies_seen.len(),
        3,
        "every strategy rendered: {strategies_seen:?}"
    );
}
