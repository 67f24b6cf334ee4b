//! A JSON Schema (draft-07) for the answers files of one checklist, so editors running
//! yaml-language-server complete question ids and values and flag typos as they are typed.

use serde_json::{Map, Value, json};

use crate::answers::calendar_spec::{
    MAX_FREEZES, MAX_REASON_CHARS, MAX_WINDOW_DATES, WEEKDAYS, WeekOfMonth,
};
use crate::checklist::condition::Condition;
use crate::checklist::model::Checklist;
use crate::checklist::model::MAX_ROLLBACK_HOLD_DAYS;
use crate::checklist::model::Question;
use crate::checklist::model::QuestionKind;

/// The file name `template` points its `$schema` comment at.
pub const SCHEMA_FILE: &str = "upgrade-answers.schema.json";

/// The schema for answers files of `checklist`, single- or multi-environment.
pub fn answers_schema(checklist: &Checklist) -> Value {
    let mut properties = Map::new();
    for question in &checklist.questions {
        let section = &checklist.sections[question.section].title;
        let mut description = format!("{} [{section}]", question.prompt);
        if !question.help.is_empty() {
            description.push_str("\n\n");
            description.push_str(&question.help);
        }
        // An empty value counts as unanswered, so null is always allowed.
        let mut property = match &question.kind {
            QuestionKind::Choice { choices, yes_no } => {
                let mut values: Vec<Value> = choices
                    .iter()
                    .map(|c| Value::from(c.value.as_str()))
                    .collect();
                // A YAML 1.1 reader turns an unquoted yes or no into a boolean; the tool
                // takes the booleans for them wherever they are choices.
                if *yes_no || choices.iter().any(|c| c.value == "yes") {
                    values.push(Value::Bool(true));
                }
                if *yes_no || choices.iter().any(|c| c.value == "no") {
                    values.push(Value::Bool(false));
                }
                values.push(Value::Null);
                json!({ "enum": values })
            }
            QuestionKind::Integer { min, max } => {
                let mut p = json!({ "type": ["integer", "null"], "minimum": min });
                if let Some(max) = max {
                    p["maximum"] = json!(max);
                }
                p
            }
            QuestionKind::Version => json!({
                "type": ["string", "null"],
                "pattern": version_pattern(),
                "examples": ["1.30"],
            }),
        };
        if is_required(question) && question.when.is_none() {
            description.push_str("\n\nRequired.");
        }
        property["description"] = Value::from(description);
        properties.insert(question.id.clone(), property);
    }
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": format!("upgrade-advisor answers for the checklist `{}` {}", checklist.id, checklist.version),
        "description": checklist.title,
        "type": "object",
        "additionalProperties": false,
        "properties": {
            "checklist": {
                "description": "The checklist these answers are for; must match when given.",
                "const": checklist.id,
            },
            "context": {
                "description": "Free text shown at the top of reports (organization, environment, ...).",
                "type": ["object", "null"],
                "additionalProperties": {
                    "type": ["string", "number", "boolean", "null", "array"],
                    "items": { "type": ["string", "number", "boolean"] },
                },
            },
            "calendar": { "$ref": "#/definitions/calendar" },
            "gates": {
                "description": "The runbook's go/no-go limits, over the checklist's `runbook.gates`; each key is optional.",
                "type": ["object", "null"],
                "additionalProperties": false,
                "properties": {
                    "error_rate_increase_pct": { "description": "The most the error rate may rise, in percentage points.", "type": "number", "exclusiveMinimum": 0, "maximum": 100 },
                    "latency_p99_increase_pct": { "description": "The most the p99 latency may rise, in per cent.", "type": "number", "exclusiveMinimum": 0, "maximum": 1000 },
                    "soak_minutes": { "description": "How long the limits must hold.", "type": "integer", "minimum": 1, "maximum": 10080 },
                    "abort_after_minutes": { "description": "How long a gate may go unmet before the rollback.", "type": "integer", "minimum": 1, "maximum": 10080 },
                    "traffic_steps": { "description": "The share of traffic at each step of a cut-over, rising to 100.", "type": "array", "minItems": 1, "maxItems": 10, "items": { "type": "integer", "minimum": 1, "maximum": 100 } },
                },
            },
            "capacity": super::schema_capacity::capacity(),
            "answers": { "$ref": "#/definitions/answers" },
            "environments": {
                "description": "Several environments: each one's answers override the top-level answers.",
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["name"],
                    "properties": {
                        "name": { "type": "string", "minLength": 1 },
                        "supervisor": {
                            "description": "The management plane this environment shares with others.",
                            "type": "string",
                        },
                        "calendar": {
                            "description": "This environment's calendar: each key it gives replaces the top-level calendar's.",
                            "$ref": "#/definitions/calendar",
                        },
                        "capacity": super::schema_capacity::capacity(),
                        "manifests": {
                            "description": "Dumps of this environment's clusters (`kubectl get nodes,pods,... -A -o json`), one path per cluster, relative to the answers file's folder: their evidence and capacity speak for this environment alone.",
                            "type": ["array", "string"],
                            "maxItems": crate::answers::values::MAX_MANIFEST_PATHS,
                            "items": { "type": "string", "minLength": 1, "not": { "const": "-" } },
                        },
                        "answers": { "$ref": "#/definitions/answers" },
                    },
                },
            },
        },
        // What `assess` needs: a single file answers every required question itself; a fleet
        // answers each at the top level (the defaults) or in every environment.
        "if": { "required": ["environments"] },
        "then": fleet_complete(checklist),
        "else": {
            "required": ["answers"],
            "properties": { "answers": { "$ref": "#/definitions/complete" } },
        },
        "definitions": {
            "answers": {
                "description": "One key per question id.",
                "type": ["object", "null"],
                "additionalProperties": false,
                "properties": properties,
            },
            "complete": complete(checklist),
            "calendar": calendar(),
        },
    })
}

/// A date as the answers file writes it; the parser also checks that the day exists and is
/// from 1970-01-01 on.
fn date() -> Value {
    json!({
        "description": "A date, YYYY-MM-DD.",
        "type": "string",
        "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
        "examples": ["2027-01-09"],
    })
}

/// The `calendar:` block: when change windows happen, the time zone, the rollback hold and
/// the freezes.
fn calendar() -> Value {
    let weekdays: Vec<&str> = WEEKDAYS.iter().map(|(id, _)| *id).collect();
    let weeks: Vec<&str> = WeekOfMonth::ALL.iter().map(|w| w.id()).collect();
    json!({
        "description": "When production may be changed: the change windows, their time zone, the rollback hold and the freezes. Without it, the cadence answer picks the windows.",
        "type": ["object", "null"],
        "additionalProperties": false,
        "properties": {
            "windows": {
                "description": "A weekday in a week of every month (week: every for a weekly window), or an explicit list of dates.",
                "anyOf": [
                    { "type": "null" },
                    {
                        "type": "object",
                        "additionalProperties": false,
                        "required": ["weekday", "week"],
                        "properties": {
                            "weekday": { "enum": weekdays },
                            "week": { "enum": weeks },
                        },
                    },
                    {
                        "type": "object",
                        "additionalProperties": false,
                        "required": ["dates"],
                        "properties": {
                            "dates": {
                                "type": "array",
                                "minItems": 1,
                                "maxItems": MAX_WINDOW_DATES,
                                "uniqueItems": true,
                                "items": date(),
                            },
                        },
                    },
                ],
            },
            "time_zone": {
                "description": "The IANA time zone whose dates the windows and freezes are (default UTC).",
                "type": ["string", "null"],
                "pattern": "^[A-Za-z0-9_+/-]{1,64}$",
                "examples": ["Europe/Berlin", "America/New_York", "UTC"],
            },
            "rollback_hold_days": {
                "description": "How many days the old side is kept for a rollback; overrides the checklist's default.",
                "type": ["integer", "null"],
                "minimum": 0,
                "maximum": MAX_ROLLBACK_HOLD_DAYS,
            },
            "freezes": {
                "description": "Days no change window may fall in, both ends included.",
                "type": ["array", "null"],
                "maxItems": MAX_FREEZES,
                "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["from", "to", "reason"],
                    "properties": {
                        "from": date(),
                        "to": date(),
                        "reason": {
                            "description": "Why: reports name the freeze that skipped a window by it.",
                            "type": ["string", "number", "boolean"],
                            "pattern": "\\S",
                            "maxLength": MAX_REASON_CHARS,
                        },
                    },
                },
            },
        },
    })
}

/// Rust's whitespace, what `str::trim` takes off an answer, as a regex class.
const SPACE: &str =
    r"[\t\n\u000B\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]";

/// A decimal number within the parser's bounds (major and minor up to 99), leading zeros
/// allowed.
const NUMBER: &str = "0*[0-9]{1,2}";

/// A patch level, which the parser drops: any number that fits its `u32`.
const PATCH: &str = "0*(?:[0-9]{1,9}|[1-3][0-9]{9}|4[01][0-9]{8}|42[0-8][0-9]{7}|429[0-3][0-9]{6}|4294[0-8][0-9]{5}|42949[0-5][0-9]{4}|429496[0-6][0-9]{3}|4294967[01][0-9]{2}|42949672[0-8][0-9]|429496729[0-5])";

/// Exactly what a version answer may be: what `Version::from_str` accepts after trimming, or
/// nothing but spaces (an unanswered question).
fn version_pattern() -> String {
    format!("^{SPACE}*(?:[vV]?{NUMBER}\\.{NUMBER}(?:\\.{PATCH})?)?{SPACE}*$")
}

/// An empty answer: the question is not answered.
fn empty() -> Value {
    json!({ "anyOf": [
        { "type": "null" },
        { "type": "string", "pattern": format!("^{SPACE}*$") },
    ] })
}

/// Required and without a default: `assess` refuses a file without it (when it applies).
fn is_required(question: &Question) -> bool {
    question.required && question.default.is_none()
}

/// `ids` answered in an answers mapping.
fn answering(ids: &[&str]) -> Value {
    let properties: Map<String, Value> = ids
        .iter()
        .map(|id| (id.to_string(), json!({ "not": empty() })))
        .collect();
    json!({ "type": "object", "required": ids, "properties": properties })
}

/// A single file's answers with every required question that applies.
fn complete(checklist: &Checklist) -> Value {
    let always: Vec<&str> = checklist
        .questions
        .iter()
        .filter(|q| is_required(q) && q.when.is_none())
        .map(|q| q.id.as_str())
        .collect();
    let mut schema = answering(&always);
    // A required question asked only under a condition is required when the condition can be
    // judged from the file itself; the others are left to `assess`.
    let conditional: Vec<Value> = checklist
        .questions
        .iter()
        .filter(|q| is_required(q))
        .filter_map(|q| {
            let when = condition(checklist, q.when.as_ref()?)?;
            Some(json!({ "if": when, "then": answering(&[q.id.as_str()]) }))
        })
        .collect();
    if !conditional.is_empty() {
        schema["allOf"] = Value::from(conditional);
    }
    schema
}

/// A fleet answers each unconditionally required question in its top-level answers (every
/// environment's default) or in every environment.
fn fleet_complete(checklist: &Checklist) -> Value {
    let each: Vec<Value> = checklist
        .questions
        .iter()
        .filter(|q| is_required(q) && q.when.is_none())
        .map(|q| {
            let answered = json!({
                "required": ["answers"],
                "properties": { "answers": answering(&[q.id.as_str()]) },
            });
            json!({ "anyOf": [
                answered,
                { "properties": { "environments": { "items": answered } } },
            ] })
        })
        .collect();
    json!({ "allOf": each })
}

/// `when` as a schema over the file's answers, when the file alone decides it: each question
/// it reads is asked unconditionally and has no default, so its answer is what the file says.
fn condition(checklist: &Checklist, when: &Condition) -> Option<Value> {
    let plain = |id: &str| {
        checklist
            .question(id)
            .filter(|q| q.when.is_none() && q.default.is_none())
    };
    Some(match when {
        Condition::All(inner) => json!({ "allOf": inner
            .iter()
            .map(|c| condition(checklist, c))
            .collect::<Option<Vec<_>>>()? }),
        Condition::Any(inner) => json!({ "anyOf": inner
            .iter()
            .map(|c| condition(checklist, c))
            .collect::<Option<Vec<_>>>()? }),
        Condition::Answered { question, answered } => {
            plain(question)?;
            let is_answered = json!({
                "required": [question],
                "properties": { question.as_str(): { "not": empty() } },
            });
            if *answered {
                is_answered
            } else {
                json!({ "not": is_answered })
            }
        }
        // Facts are computed from several answers; a file alone cannot be checked for them
        // (and question conditions never use them).
        Condition::Fact { .. } => return None,
        Condition::OneOf {
            question,
            values,
            negate,
            ..
        } => {
            // Only a choice is compared as written; numbers and versions are normalised first.
            let QuestionKind::Choice { .. } = &plain(question)?.kind else {
                return None;
            };
            // `yes` and `no` also as the booleans a YAML 1.1 reader makes of them.
            let mut listed: Vec<Value> = values.iter().map(|v| Value::from(v.as_str())).collect();
            listed.extend(values.iter().filter_map(|v| match v.as_str() {
                "yes" => Some(Value::Bool(true)),
                "no" => Some(Value::Bool(false)),
                _ => None,
            }));
            let value = if *negate {
                json!({ "not": { "anyOf": [{ "enum": listed }, empty()] } })
            } else {
                json!({ "enum": listed })
            };
            json!({
                "required": [question],
                "properties": { question.as_str(): value },
            })
        }
    })
}

/// A version is written as a string (`"1.30"`) in every JSON output; its schema is the pattern
/// the answers schema uses for version answers.
impl schemars::JsonSchema for crate::kube::version::Version {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Version".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A version, MAJOR.MINOR (e.g. \"1.30\").",
            "type": "string",
            "pattern": version_pattern(),
            "examples": ["1.30"],
        })
    }
}

/// A date is written as an ISO 8601 calendar date (`"2027-01-09"`) in every JSON output.
impl schemars::JsonSchema for crate::base::date::Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A calendar date, YYYY-MM-DD (e.g. \"2027-01-09\").",
            "type": "string",
            "format": "date",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            "examples": ["2027-01-09"],
        })
    }
}

/// Draft-07 schemas of what the program writes: a field it leaves out when empty is optional.
fn output_settings() -> schemars::generate::SchemaSettings {
    let mut settings = schemars::generate::SchemaSettings::draft07();
    settings.contract = schemars::generate::Contract::Serialize;
    settings
}

/// The schema of `assess --format json`: a single-environment report or a fleet report.
pub fn report_schema() -> Value {
    let mut generator = output_settings().into_generator();
    let single = generator.subschema_for::<crate::plan::Report<'static>>();
    let fleet = generator.subschema_for::<crate::plan::fleet::FleetReport<'static>>();
    let definitions = generator.take_definitions(true);
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "upgrade-advisor assess JSON report",
        "description": format!(
            "The output of `upgrade-advisor assess --format json` at schema_version {}: one environment's report, or a fleet's (with `environments` and `fleet`).",
            crate::plan::SCHEMA_VERSION
        ),
        "oneOf": [single, fleet],
        "definitions": definitions,
    })
}

/// The schema of `scan --format json`.
pub fn scan_schema() -> Value {
    let generator = output_settings().into_generator();
    let mut schema = generator
        .into_root_schema_for::<crate::scan::model::ScanReport>()
        .to_value();
    schema["title"] = json!("upgrade-advisor scan JSON report");
    schema
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_question_is_a_property_with_its_prompt() {
        let checklist = Checklist::builtin("vks").unwrap();
        let schema = answers_schema(&checklist);
        let properties = schema["definitions"]["answers"]["properties"]
            .as_object()
            .unwrap();
        assert_eq!(properties.len(), checklist.questions.len());
        let window = &properties["change_window"];
        assert_eq!(
            window["enum"],
            json!(["weekly", "biweekly", "monthly", "quarterly", null])
        );
        assert!(
            window["description"]
                .as_str()
                .unwrap()
                .starts_with("How often may production be changed?")
        );
        assert_eq!(
            properties["legacy_apps"]["enum"],
            json!(["yes", "no", true, false, null])
        );
        assert_eq!(properties["cluster_count"]["minimum"], 1);
        assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    }

    fn example(name: &str) -> Value {
        let text = std::fs::read_to_string(format!("checklists/examples/{name}")).unwrap();
        serde_yaml::from_str(&text).unwrap()
    }

    fn validator(checklist: &str) -> jsonschema::Validator {
        let checklist = Checklist::builtin(checklist).unwrap();
        jsonschema::draft7::new(&answers_schema(&checklist)).unwrap()
    }

    fn errors(validator: &jsonschema::Validator, document: &Value) -> Vec<String> {
        validator
            .iter_errors(document)
            .map(|e| e.to_string())
            .collect()
    }

    #[test]
    fn every_example_validates() {
        for entry in std::fs::read_dir("checklists/examples").unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            // Answers files only: dumps/ holds the capacity example's cluster dumps.
            if !name.ends_with(".yaml") {
                continue;
            }
            let document = example(&name);
            let checklist = document["checklist"].as_str().unwrap_or("vks").to_string();
            let found = errors(&validator(&checklist), &document);
            assert!(found.is_empty(), "{name}: {found:?}");
        }
    }

    #[test]
    fn the_capacity_block_is_checked_as_assess_checks_it() {
        let v = validator("vks");
        let mut document = example("capacity.yaml");
        assert!(errors(&v, &document).is_empty());
        document["capacity"]["spare"]["cpu"] = json!("64 cores");
        assert!(!errors(&v, &document).is_empty());
        document["capacity"]["spare"]["cpu"] = json!("1500m");
        document["capacity"]["spare_nodes"] = json!({"count": 2, "cpu": 8, "memory": "32Gi"});
        assert!(
            !errors(&v, &document).is_empty(),
            "spare and spare_nodes together"
        );
    }

    #[test]
    fn a_missing_or_empty_required_answer_fails_as_assess_does() {
        let v = validator("vks");
        let mut document = example("case-study.yaml");
        document["answers"]
            .as_object_mut()
            .unwrap()
            .remove("current_version");
        let found = errors(&v, &document);
        assert!(
            found.iter().any(|e| e.contains("current_version")),
            "{found:?}"
        );
        for empty in [Value::Null, json!(""), json!("  ")] {
            document["answers"]["current_version"] = empty.clone();
            assert!(!v.is_valid(&document), "{empty}");
        }
        document["answers"]["current_version"] = json!("1.30");
        assert!(v.is_valid(&document));
        // Questions with a default are not required.
        document["answers"]
            .as_object_mut()
            .unwrap()
            .remove("changes_per_window");
        assert!(v.is_valid(&document), "{:?}", errors(&v, &document));
        assert!(!v.is_valid(&json!({ "checklist": "vks" })), "no answers");
    }

    #[test]
    fn a_conditional_question_is_required_when_its_condition_holds() {
        let v = validator("vks");
        let mut document = example("case-study.yaml");
        let answers = document["answers"].as_object_mut().unwrap();
        answers.insert("stateful_workloads".into(), json!("none"));
        answers.remove("stateful_strategy");
        assert!(v.is_valid(&document), "{:?}", errors(&v, &document));
        document["answers"]["stateful_workloads"] = json!("some");
        assert!(!v.is_valid(&document), "stateful_strategy is needed");
        document["answers"]["stateful_strategy"] = json!("replication");
        assert!(v.is_valid(&document), "{:?}", errors(&v, &document));
        // A Supervisor version asks for its target.
        document["answers"]["supervisor_version"] = json!("1.29");
        document["answers"]
            .as_object_mut()
            .unwrap()
            .remove("supervisor_target_version");
        assert!(!v.is_valid(&document));
        document["answers"]["supervisor_version"] = Value::Null;
        assert!(v.is_valid(&document), "{:?}", errors(&v, &document));
    }

    #[test]
    fn a_fleet_answers_each_required_question_at_the_top_or_in_every_environment() {
        let v = validator("vks");
        let mut document = example("fleet.yaml");
        assert!(v.is_valid(&document));
        // current_version is answered per environment; one environment without it fails.
        document["environments"][0]["answers"]
            .as_object_mut()
            .unwrap()
            .remove("current_version");
        assert!(!v.is_valid(&document));
        // A top-level answer is the default for every environment.
        document["answers"]["current_version"] = json!("1.30");
        assert!(v.is_valid(&document), "{:?}", errors(&v, &document));
        document["answers"]
            .as_object_mut()
            .unwrap()
            .remove("change_window");
        assert!(!v.is_valid(&document), "change_window is only at the top");
    }

    /// The version pattern accepts exactly what the answers parser accepts.
    fn pattern_agrees_with_the_parser(text: &str) {
        static VERSION: std::sync::LazyLock<jsonschema::Validator> =
            std::sync::LazyLock::new(|| {
                let schema = answers_schema(&Checklist::builtin("vks").unwrap());
                let property = &schema["definitions"]["answers"]["properties"]["current_version"];
                jsonschema::draft7::new(property).unwrap()
            });
        let valid = VERSION.is_valid(&json!(text));
        let parsed =
            text.trim().is_empty() || text.parse::<crate::kube::version::Version>().is_ok();
        assert_eq!(valid, parsed, "{text:?}");
    }

    #[test]
    fn the_version_pattern_is_the_parser() {
        for text in [
            "1.30",
            "v1.30",
            "V1.30.2",
            " 1.30\t",
            "\u{a0}1.30\u{3000}",
            "\u{feff}1.30",
            "1.30.",
            "1..30",
            "1.30.2.1",
            "vv1.30",
            "+1.30",
            "1.+30",
            "١.٣٠",
            "4294967295.0",
            "4294967296.0",
            "0004294967295.1",
            "1.99999999999",
            "",
            " ",
            "1",
        ] {
            pattern_agrees_with_the_parser(text);
        }
    }

    /// The calendar block: the schema accepts what the parser accepts, and refuses what it
    /// refuses, except the few checks only the parser makes (real days, known zones, order).
    #[test]
    fn the_calendar_schema_agrees_with_the_parser() {
        let checklist = Checklist::builtin("vks").unwrap();
        let v = validator("vks");
        let base = std::fs::read_to_string("checklists/examples/small-jump.yaml").unwrap();
        let judge = |calendar: &str| {
            let text = base.replacen("answers:\n", &format!("{calendar}answers:\n"), 1);
            let document: Value = serde_yaml::from_str(&text).unwrap();
            let parsed = crate::answers::values::AnswersFile::parse(&text, "a.yaml", &checklist);
            (v.is_valid(&document), parsed.is_ok())
        };
        let valid = [
            "calendar:\n  windows: {weekday: saturday, week: first}\n  time_zone: Europe/Berlin\n  rollback_hold_days: 14\n  freezes:\n    - {from: \"2027-11-15\", to: \"2028-01-05\", reason: holiday sales}\n",
            "calendar:\n  windows: {dates: [2027-01-09, 2027-02-06]}\n",
            "calendar:\n  windows: {weekday: monday, week: every}\n  freezes: []\n",
            "calendar:\n",
            "calendar: {}\n",
            "calendar:\n  rollback_hold_days: 0\n  freezes:\n    - {from: 2027-12-01, to: 2027-12-01, reason: 42}\n",
        ];
        for calendar in valid {
            assert_eq!(judge(calendar), (true, true), "{calendar}");
        }
        let invalid = [
            "calendar: monthly\n",
            "calendar:\n  freeze: []\n",
            "calendar:\n  windows: {weekday: Saturday, week: first}\n",
            "calendar:\n  windows: {weekday: friday, week: fifth}\n",
            "calendar:\n  windows: {weekday: friday}\n",
            "calendar:\n  windows: {weekday: friday, week: last, dates: [2027-01-01]}\n",
            "calendar:\n  windows: {}\n",
            "calendar:\n  windows: {dates: []}\n",
            "calendar:\n  windows: {dates: [2027-01-09, 2027-01-09]}\n",
            "calendar:\n  windows: {dates: [20270109]}\n",
            "calendar:\n  windows: {dates: [2027-1-9]}\n",
            "calendar:\n  time_zone: Europe Berlin\n",
            "calendar:\n  rollback_hold_days: 366\n",
            "calendar:\n  rollback_hold_days: -1\n",
            "calendar:\n  freezes: {from: 2027-11-15}\n",
            "calendar:\n  freezes:\n    - {from: 2027-12-20, to: 2027-12-31}\n",
            "calendar:\n  freezes:\n    - {from: 2027-12-20, to: 2027-12-31, reason: \" \"}\n",
            "calendar:\n  freezes:\n    - {from: 2027-12-20, to: 2027-12-31, reason: x, why: y}\n",
        ];
        for calendar in invalid {
            assert_eq!(judge(calendar), (false, false), "{calendar}");
        }
        // Checks only the parser makes.
        let parser_only = [
            "calendar:\n  windows: {dates: [2027-02-30]}\n",
            "calendar:\n  time_zone: Europe/Berln\n",
            "calendar:\n  freezes:\n    - {from: 2027-12-20, to: 2027-12-01, reason: x}\n",
        ];
        for calendar in parser_only {
            assert_eq!(judge(calendar), (true, false), "{calendar}");
        }
        // A fleet environment takes a calendar too.
        let mut fleet = example("fleet.yaml");
        fleet["environments"][0]["calendar"] =
            json!({ "windows": { "weekday": "tuesday", "week": "every" } });
        assert!(v.is_valid(&fleet), "{:?}", errors(&v, &fleet));
        fleet["environments"][0]["calendar"] = json!({ "window": {} });
        assert!(!v.is_valid(&fleet));
    }

    proptest::proptest! {
        #[test]
        fn any_version_like_text_is_judged_the_same(text in "[ \t\u{a0}vV0-9.+]{0,14}") {
            pattern_agrees_with_the_parser(&text);
        }
    }
}
