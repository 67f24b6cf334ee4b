//! The three upgrade strategies and the two directions an answer can lean.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// How to upgrade.
#[derive(
    schemars::JsonSchema,
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Strategy {
    Sequential,
    BlueGreen,
    Hybrid,
}

impl Strategy {
    pub const ALL: [Strategy; 3] = [Strategy::Sequential, Strategy::BlueGreen, Strategy::Hybrid];

    /// The stable id used in answers, JSON and the checklist.
    pub fn id(self) -> &'static str {
        match self {
            Strategy::Sequential => "sequential",
            Strategy::BlueGreen => "blue-green",
            Strategy::Hybrid => "hybrid",
        }
    }

    /// A short id, for identifiers inside documents (mermaid task ids): `seq`, `bg`, `hy`.
    pub fn short_id(self) -> &'static str {
        match self {
            Strategy::Sequential => "seq",
            Strategy::BlueGreen => "bg",
            Strategy::Hybrid => "hy",
        }
    }
}

impl fmt::Display for Strategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for Strategy {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Strategy::ALL
            .into_iter()
            .find(|strategy| strategy.id() == s)
            .ok_or_else(|| format!("unknown strategy `{s}`: use sequential, blue-green or hybrid"))
    }
}

impl Strategy {
    /// The side of the decision this strategy stands on: in place, or a parallel move (Hybrid
    /// moves its workload clusters in parallel, so it stands with Blue-Green).
    pub fn leaning(self) -> Toward {
        match self {
            Strategy::Sequential => Toward::Sequential,
            Strategy::BlueGreen | Strategy::Hybrid => Toward::BlueGreen,
        }
    }
}

/// Which side an answer or signal pushes the decision towards.
#[derive(schemars::JsonSchema, Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Toward {
    BlueGreen,
    Sequential,
    Neutral,
}

impl fmt::Display for Toward {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Toward::BlueGreen => "blue-green",
            Toward::Sequential => "sequential",
            Toward::Neutral => "neutral",
        })
    }
}
