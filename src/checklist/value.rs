//! An answer's value: a choice, a whole number or a Kubernetes version.

use std::fmt;

use serde::Serialize;

use crate::kube::version::Version;

/// An answer's value, as the checklist's question types define it.
#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(untagged)]
pub enum AnswerValue {
    Choice(String),
    Integer(u64),
    Version(Version),
}

impl AnswerValue {
    pub fn as_version(&self) -> Option<Version> {
        match self {
            AnswerValue::Version(v) => Some(*v),
            _ => None,
        }
    }

    pub fn as_integer(&self) -> Option<u64> {
        match self {
            AnswerValue::Integer(n) => Some(*n),
            _ => None,
        }
    }
}

impl fmt::Display for AnswerValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AnswerValue::Choice(c) => f.write_str(c),
            AnswerValue::Integer(n) => write!(f, "{n}"),
            AnswerValue::Version(v) => write!(f, "{v}"),
        }
    }
}
