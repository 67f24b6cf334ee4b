//! A JSON Schema (draft-07) for the answers files of one checklist, so editors running
//! yaml-language-server complete question ids and values and flag typos as they are typed.

use serde_json::{Map, Value, json};

use crate::checklist::{Checklist, QuestionKind};

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
                if *yes_no {
                    values.extend([Value::Bool(true), Value::Bool(false)]);
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
                "pattern": "^([vV]?[0-9]+\\.[0-9]+(\\.[0-9]+)?)?$",
                "examples": ["1.30"],
            }),
        };
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
                "additionalProperties": { "type": ["string", "number", "boolean", "null"] },
            },
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
                        "answers": { "$ref": "#/definitions/answers" },
                    },
                },
            },
        },
        "definitions": {
            "answers": {
                "description": "One key per question id.",
                "type": ["object", "null"],
                "additionalProperties": false,
                "properties": properties,
            },
        },
    })
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
}
