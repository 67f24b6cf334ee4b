//! Kubernetes versions in answers must be real releases: "1.3" written for 1.30, or "1.330",
//! is a typo, not a 300-hop plan. Checked against `checklists/data/kubernetes-releases.yaml`.

use std::collections::BTreeMap;

use crate::base::diagnostic::Diagnostic;
use crate::base::diagnostic::code::Code;
use crate::checklist::model::Checklist;
use crate::checklist::raw::Steps;
use crate::checklist::value::AnswerValue;
use crate::kube::releases::SupportTable;
use crate::kube::version::Version;

/// How many minors past the newest known release are still believable (a release the data
/// does not list yet): a warning, not an error.
pub const NEWER_THAN_KNOWN: u32 = 3;

/// The questions that hold Kubernetes versions: the bound current and target versions, and
/// the layers upgraded minor by minor (the Supervisor).
fn kubernetes_version_questions(checklist: &Checklist) -> Vec<&str> {
    let mut ids = vec![
        checklist.bindings.current_version.as_str(),
        checklist.bindings.target_version.as_str(),
    ];
    for layer in checklist.layers.iter().filter(|l| l.steps == Steps::Minor) {
        ids.extend(layer.from.as_deref());
        ids.extend(layer.to.as_deref());
    }
    ids
}

/// Versions no Kubernetes release has, with a did-you-mean.
pub fn unknown_releases(
    checklist: &Checklist,
    values: &BTreeMap<String, AnswerValue>,
    line_of: &dyn Fn(&str) -> Option<usize>,
) -> Vec<Diagnostic> {
    let table = SupportTable::builtin();
    let (Some(oldest), Some(newest)) = (
        table.releases.iter().map(|r| r.minor).min(),
        table.releases.iter().map(|r| r.minor).max(),
    ) else {
        return Vec::new();
    };
    let mut problems = Vec::new();
    for id in kubernetes_version_questions(checklist) {
        let Some(version) = values.get(id).and_then(AnswerValue::as_version) else {
            continue;
        };
        let known = table.release(version).is_some();
        let believable_newer = version.major == newest.major
            && version.minor > newest.minor
            && version.minor <= newest.minor + NEWER_THAN_KNOWN;
        if known || believable_newer {
            continue;
        }
        let hint = match suggestion(version, table) {
            Some(s) => format!("did you mean {s}? Write versions quoted, as \"{s}\""),
            None => "write the Kubernetes minor version, quoted, e.g. \"1.30\"".to_string(),
        };
        problems.push(
            Diagnostic::new(format!(
                "{version} is not a Kubernetes release (known: {oldest} to {newest})"
            ))
            .at(format!("`{id}`"))
            .line(line_of(id))
            .fix(hint)
            .code(Code::UnknownRelease),
        );
    }
    problems
}

/// Versions newer than the data knows: believable, but unchecked.
pub fn newer_than_known(
    checklist: &Checklist,
    values: &BTreeMap<String, AnswerValue>,
) -> Vec<(String, Version, Version)> {
    let table = SupportTable::builtin();
    let Some(newest) = table.releases.iter().map(|r| r.minor).max() else {
        return Vec::new();
    };
    kubernetes_version_questions(checklist)
        .into_iter()
        .filter_map(|id| {
            let v = values.get(id).and_then(AnswerValue::as_version)?;
            (v > newest && table.release(v).is_none()).then(|| (id.to_string(), v, newest))
        })
        .collect()
}

/// "1.3" was most likely "1.30" (YAML reads an unquoted 1.30 as 1.3), "1.330" most likely
/// "1.33".
fn suggestion(version: Version, table: &SupportTable) -> Option<Version> {
    let known = |minor: u32| {
        let v = Version::new(version.major, minor);
        table.release(v).map(|_| v)
    };
    version
        .minor
        .checked_mul(10)
        .and_then(known)
        .or_else(|| known(version.minor / 10))
        .or_else(|| known(version.minor / 100))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(pairs: &[(&str, &str)]) -> Vec<Diagnostic> {
        let checklist = Checklist::builtin("vks").unwrap();
        let values = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), AnswerValue::Version(v.parse().unwrap())))
            .collect();
        unknown_releases(&checklist, &values, &|_| None)
    }

    #[test]
    fn typos_get_a_did_you_mean() {
        // The parser already refuses minors above 99, so "1.330" never gets this far.
        let p = problems(&[("current_version", "1.3"), ("target_version", "1.2")]);
        assert_eq!(p.len(), 2);
        assert!(
            format!("{:?}", p[0]).contains("did you mean 1.30?"),
            "{:?}",
            p[0]
        );
        assert!(
            format!("{:?}", p[1]).contains("did you mean 1.20?"),
            "{:?}",
            p[1]
        );
        assert!(
            format!("{:?}", problems(&[("target_version", "1.13")])[0]).contains("1.19 to 1.36")
        );
    }

    #[test]
    fn real_releases_and_the_next_few_pass() {
        assert!(problems(&[("current_version", "1.19"), ("target_version", "1.36")]).is_empty());
        assert!(problems(&[("target_version", "1.38")]).is_empty());
        assert_eq!(problems(&[("target_version", "1.45")]).len(), 1);
        // VKS versions are not Kubernetes versions.
        assert!(problems(&[("vks_version", "3.1")]).is_empty());
    }
}
