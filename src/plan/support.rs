//! Support windows: whether the versions a report names, and the calendar that goes between
//! them, are still inside upstream's support, as of the day the report is made.

use serde::Serialize;

use crate::base::date::Date;
use crate::kube::releases::SupportTable;
use crate::kube::version::Version;

/// What a [`SupportWarning`] is about; serialized as the kebab-case names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum WarningKind {
    /// The current version is past its upstream end of life.
    CurrentPastEol,
    /// The target version is past its upstream end of life.
    TargetPastEol,
    /// The target is newer than every release in the support table.
    TargetNewerThanKnown,
    /// The hop-by-hop calendar ends after the target's end of life.
    CalendarPastEol,
    /// A manifest scan's target is newer than the removed-API data.
    ApiDataCoverage,
    /// An `--api-data` entry would move a built-in removal later; the built-in one stands.
    ApiDataRelaxed,
    /// Any other warning about a manifest scan.
    ManifestScan,
}

/// One support-window warning.
#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SupportWarning {
    /// `current-past-eol`, `target-past-eol` or `calendar-past-eol`; a manifest scan adds
    /// `api-data-coverage`, `api-data-relaxed` and `manifest-scan`.
    #[schemars(with = "String")]
    pub kind: WarningKind,
    pub version: Version,
    /// The upstream end of life, when the table has the release.
    pub end_of_life: Option<String>,
    pub message: String,
}

/// Warnings for a `from` to `to` upgrade whose hop-by-hop plan runs production on the target
/// on `sequential_target`, as seen on `today`.
pub fn warnings(
    table: &SupportTable,
    from: Version,
    to: Version,
    sequential_target: Date,
    today: Date,
) -> Vec<SupportWarning> {
    let mut out = Vec::new();
    let oldest = table.releases.iter().map(|r| r.minor).min();
    for (kind, version, role) in [
        (WarningKind::CurrentPastEol, from, "current"),
        (WarningKind::TargetPastEol, to, "target"),
    ] {
        if let Some(release) = table.release(version) {
            if release.end_of_life < today {
                out.push(SupportWarning {
                    kind,
                    version,
                    end_of_life: Some(release.end_of_life.to_string()),
                    message: format!(
                        "The {role} version {version} reached its upstream end of life on {}.",
                        release.end_of_life
                    ),
                });
            }
        } else if oldest.is_some_and(|o| version < o) {
            out.push(SupportWarning {
                kind,
                version,
                end_of_life: None,
                message: format!(
                    "The {role} version {version} is older than every release in the support table, so it is past its upstream end of life."
                ),
            });
        }
    }
    if let Some(newest) = table.releases.iter().map(|r| r.minor).max()
        && to > newest
    {
        out.push(SupportWarning {
            kind: WarningKind::TargetNewerThanKnown,
            version: to,
            end_of_life: None,
            message: format!(
                "The target version {to} is newer than every release this version of upgrade-advisor knows (up to {newest}); check that it exists for your platform, and its support dates."
            ),
        });
    }
    if let Some(release) = table.release(to) {
        let finish = sequential_target;
        if finish > release.end_of_life && release.end_of_life >= today {
            out.push(SupportWarning {
                kind: WarningKind::CalendarPastEol,
                version: to,
                end_of_life: Some(release.end_of_life.to_string()),
                message: format!(
                    "Hop by hop, production would run {to} from {finish}, after it reaches its upstream end of life on {}.",
                    release.end_of_life
                ),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn warns_for_versions_past_end_of_life() {
        let table = SupportTable::builtin();
        let w = warnings(
            table,
            Version::new(1, 30),
            Version::new(1, 33),
            date("2027-03-01"),
            date("2026-11-26"),
        );
        let kinds: Vec<WarningKind> = w.iter().map(|w| w.kind).collect();
        assert_eq!(
            kinds,
            [WarningKind::CurrentPastEol, WarningKind::TargetPastEol]
        );
        assert!(w[0].message.contains("2025-07-15"));
        let old = warnings(
            table,
            Version::new(1, 18),
            Version::new(1, 36),
            date("2027-01-01"),
            date("2026-11-26"),
        );
        assert_eq!(old[0].kind, WarningKind::CurrentPastEol);
        assert!(old[0].message.contains("older than every release"));
        let newer = warnings(
            table,
            Version::new(1, 36),
            Version::new(1, 38),
            date("2027-01-01"),
            date("2026-11-26"),
        );
        assert!(
            newer
                .iter()
                .any(|w| w.kind == WarningKind::TargetNewerThanKnown)
        );
    }

    #[test]
    fn warns_when_the_calendar_outlives_the_target() {
        let table = SupportTable::builtin();
        // 1.36 ends 2027-06-28; a plan that reaches it in November 2027 is too late.
        let w = warnings(
            table,
            Version::new(1, 33),
            Version::new(1, 36),
            date("2027-11-06"),
            date("2026-11-26"),
        );
        assert!(
            w.iter()
                .any(|w| w.kind == WarningKind::CalendarPastEol && w.message.contains("2027-06-28")),
            "{w:?}"
        );
        let quick = warnings(
            table,
            Version::new(1, 35),
            Version::new(1, 36),
            date("2027-01-01"),
            date("2026-11-26"),
        );
        assert!(quick.iter().all(|w| w.kind != WarningKind::CalendarPastEol));
    }
}
