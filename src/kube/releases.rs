//! Kubernetes releases and their end of life, as data (`checklists/data/kubernetes-releases.yaml`):
//! support windows, and which versions are real releases, are judged against it.

use serde::Deserialize;

use crate::base::date::Date;
use crate::kube::version::Version;

const RELEASES: &str = include_str!("../../checklists/data/kubernetes-releases.yaml");

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    pub minor: Version,
    pub released: Date,
    pub end_of_life: Date,
}

/// The release table and where it comes from.
#[derive(Debug, Clone)]
pub struct SupportTable {
    pub source: String,
    pub note: String,
    pub releases: Vec<Release>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTable {
    source: String,
    note: String,
    releases: Vec<RawRelease>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRelease {
    minor: String,
    released: String,
    end_of_life: String,
}

impl SupportTable {
    /// The built-in table, parsed once. It is checked by the tests, so a failure here is a bug.
    pub fn builtin() -> &'static SupportTable {
        static TABLE: std::sync::OnceLock<SupportTable> = std::sync::OnceLock::new();
        TABLE.get_or_init(|| {
            let raw: RawTable =
                serde_yaml::from_str(RELEASES).expect("the built-in release table is valid YAML");
            let releases = raw
                .releases
                .into_iter()
                .map(|r| Release {
                    minor: r.minor.parse().expect("release minor"),
                    released: r.released.parse().expect("release date"),
                    end_of_life: r.end_of_life.parse().expect("end-of-life date"),
                })
                .collect();
            SupportTable {
                source: raw.source,
                note: raw.note,
                releases,
            }
        })
    }

    pub fn release(&self, minor: Version) -> Option<&Release> {
        self.releases.iter().find(|r| r.minor == minor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_loads_and_is_ordered() {
        let table = SupportTable::builtin();
        assert_eq!(table.releases.len(), 18, "1.19 to 1.36");
        assert!(
            table
                .releases
                .windows(2)
                .all(|w| w[0].minor < w[1].minor && w[0].end_of_life < w[1].end_of_life)
        );
        assert!(table.note.contains("VKr"));
    }
}
