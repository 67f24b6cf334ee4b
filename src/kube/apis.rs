//! The removed-API table, kept as data in `checklists/data/removed-apis.yaml`, plus the
//! removals a team adds with `--api-data FILE` in the same format.

use serde::Deserialize;

use crate::base::diagnostic::code::Code;
use crate::base::diagnostic::{
    Diagnostic, InputError, InputKind, find_line_containing, from_yaml_error,
};
use crate::kube::version::Version;

const TABLE: &str = include_str!("../../checklists/data/removed-apis.yaml");

/// One removal: these apiVersions of these kinds stopped being served in `removed_in`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removal {
    pub removed_in: Version,
    pub api_versions: Vec<String>,
    pub kinds: Vec<String>,
    pub replacement: String,
    /// What serves the API when it is not Kubernetes itself (cert-manager, Istio, ...).
    pub component: Option<String>,
    /// The `--api-data` file the removal came from; `None` for the built-in data.
    pub data_file: Option<String>,
    /// Where in that file: `removals[0]` and its line.
    pub entry: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ApiTable {
    pub source: String,
    /// The newest Kubernetes release the built-in data was checked against.
    pub covers_up_to: Version,
    /// The `--api-data` files whose removals were added, in the order given.
    pub extra_files: Vec<String>,
    pub removals: Vec<Removal>,
    /// The entries of those files that would move a removal the built-in data knows to a
    /// later release, in words; the built-in removal stands.
    pub relaxed: Vec<String>,
}

impl Removal {
    fn matches(&self, api_version: &str, kind: &str) -> bool {
        self.kinds.iter().any(|k| k == kind) && self.api_versions.iter().any(|v| v == api_version)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTable {
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    covers_up_to: Option<String>,
    removals: Vec<RawRemoval>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRemoval {
    removed_in: String,
    api_versions: Vec<String>,
    kinds: Vec<String>,
    replacement: String,
    #[serde(default)]
    component: Option<String>,
}

impl ApiTable {
    /// The built-in table, parsed once; the tests check it, so a failure here is a bug.
    pub fn builtin() -> ApiTable {
        static TABLE_ONCE: std::sync::OnceLock<ApiTable> = std::sync::OnceLock::new();
        TABLE_ONCE
            .get_or_init(|| {
                let raw: RawTable =
                    serde_yaml::from_str(TABLE).expect("the removed-API table is valid YAML");
                ApiTable {
                    source: raw.source.expect("the removed-API table names its source"),
                    covers_up_to: raw
                        .covers_up_to
                        .expect("the removed-API table says what it covers")
                        .parse()
                        .expect("covers_up_to is a version"),
                    extra_files: Vec::new(),
                    relaxed: Vec::new(),
                    removals: raw
                        .removals
                        .into_iter()
                        .map(|r| Removal {
                            removed_in: r.removed_in.parse().expect("removal version"),
                            api_versions: r.api_versions,
                            kinds: r.kinds,
                            replacement: r.replacement,
                            component: r.component,
                            data_file: None,
                            entry: None,
                        })
                        .collect(),
                }
            })
            .clone()
    }

    /// The table with a team's removals added. They may add removals or bring one earlier
    /// (they are looked up first, so a file can also correct an entry's replacement), never
    /// move one later: for an apiVersion and kind the earliest removal wins, and each entry
    /// that would move a built-in removal later is named in [`ApiTable::relaxed`].
    pub fn with_extra(mut self, file: &str, extra: Vec<Removal>) -> ApiTable {
        for removal in &extra {
            for api_version in &removal.api_versions {
                for kind in &removal.kinds {
                    let Some(known) = self
                        .removals
                        .iter()
                        .filter(|r| r.data_file.is_none())
                        .find(|r| r.matches(api_version, kind))
                    else {
                        continue;
                    };
                    if known.removed_in < removal.removed_in {
                        self.relaxed.push(format!(
                            "{file} {} moves the removal of {api_version} {kind} from Kubernetes {} to {}; the built-in data stands, so it is still reported as removed in {} (--api-data may add removals or bring them earlier, never move one later)",
                            removal.entry.as_deref().unwrap_or("an entry"),
                            known.removed_in,
                            removal.removed_in,
                            known.removed_in,
                        ));
                    }
                }
            }
        }
        self.extra_files.push(file.to_string());
        let mut removals = extra;
        removals.append(&mut self.removals);
        self.removals = removals;
        self
    }

    /// The removal that applies to an object, if any: the earliest one listed for its
    /// apiVersion and kind (of equal ones, the first).
    pub fn find(&self, api_version: &str, kind: &str) -> Option<&Removal> {
        self.removals
            .iter()
            .filter(|r| r.matches(api_version, kind))
            .reduce(|best, r| {
                if r.removed_in < best.removed_in {
                    r
                } else {
                    best
                }
            })
    }

    /// Why findings may be missing for `target`: it lies beyond the releases the built-in data
    /// was checked against.
    pub fn coverage_warning(&self, target: Version) -> Option<String> {
        let covered = self.covers_up_to;
        if target <= covered {
            return None;
        }
        let first = if target.major == covered.major {
            Version::new(covered.major, covered.minor + 1)
        } else {
            target
        };
        let releases = if first == target {
            format!("{target}")
        } else {
            format!("{first} to {target}")
        };
        Some(format!(
            "the removed-API data covers Kubernetes releases up to {covered}; removals in {releases} are not known to this version (check the upstream deprecation guide, and add what is missing with --api-data)"
        ))
    }
}

/// Reads a team's removals (`--api-data FILE`): the format of `checklists/data/removed-apis.yaml`,
/// each removal optionally naming its `component`. Every fault is reported with its line.
pub fn load_extra(text: &str, origin: &str) -> Result<Vec<Removal>, InputError> {
    let fail = |problems: Vec<Diagnostic>| InputError::new(InputKind::ApiData, origin, problems);
    crate::base::diagnostic::guards::check_nesting(text).map_err(|d| fail(vec![d]))?;
    let raw: RawTable = serde_yaml::from_str(text).map_err(|e| {
        let mut problem = from_yaml_error(&e);
        if matches!(
            problem.code,
            Some(Code::YamlMissingKey | Code::YamlUnknownKey)
        ) {
            problem = problem.fix(
                "write `removals:` with entries of removed_in, api_versions, kinds, replacement and optionally component, as in checklists/data/removed-apis.yaml",
            );
        }
        fail(vec![problem])
    })?;
    let mut problems = Vec::new();
    if raw.removals.is_empty() {
        problems.push(
            Diagnostic::new("`removals` is empty")
                .line(find_line_containing(text, "removals", 0))
                .fix("add at least one removal, or drop the --api-data option")
                .code(Code::ApiDataRule),
        );
    }
    if let Some(covers) = &raw.covers_up_to
        && covers.parse::<Version>().is_err()
    {
        problems.push(
            Diagnostic::new(format!("covers_up_to \"{covers}\" is not a version"))
                .line(find_line_containing(text, "covers_up_to", 0))
                .fix("write the Kubernetes minor, e.g. \"1.36\" (quoted)")
                .code(Code::ApiDataRule),
        );
    }
    let mut removals = Vec::new();
    let mut after = 0;
    for (index, r) in raw.removals.into_iter().enumerate() {
        // Each removal starts at its `removed_in` key, in block or flow style.
        let line = find_line_containing(text, "removed_in", after);
        after = line.unwrap_or(after);
        let at = format!("removals[{index}]");
        let removed_in = match r.removed_in.parse::<Version>() {
            Ok(v) => Some(v),
            Err(e) => {
                problems.push(
                    Diagnostic::new(format!("removed_in: {e}"))
                        .at(&at)
                        .line(line)
                        .fix("give the Kubernetes release that no longer serves the API, quoted, e.g. removed_in: \"1.33\"").code(Code::ApiDataRule),
                );
                None
            }
        };
        for (field, list, example) in [
            (
                "api_versions",
                &r.api_versions,
                "[cert-manager.io/v1alpha2]",
            ),
            ("kinds", &r.kinds, "[Certificate, Issuer]"),
        ] {
            if list.is_empty() || list.iter().any(|v| v.trim().is_empty()) {
                problems.push(
                    Diagnostic::new(format!("{field} is empty or has an empty entry"))
                        .at(&at)
                        .line(line)
                        .fix(format!("list them, e.g. {field}: {example}"))
                        .code(Code::ApiDataRule),
                );
            }
        }
        // Each text lands in tables and documents on one line: no line breaks, control
        // characters or bidirectional formatting characters.
        let texts = r
            .api_versions
            .iter()
            .map(|t| ("api_versions", t))
            .chain(r.kinds.iter().map(|t| ("kinds", t)))
            .chain([("replacement", &r.replacement)])
            .chain(r.component.iter().map(|t| ("component", t)));
        for (field, text) in texts {
            let Some(c) = text.chars().find(|&c| crate::base::text::is_unsafe_char(c)) else {
                continue;
            };
            let what = match c {
                '\n' | '\r' => "a line break".to_string(),
                c => crate::base::text::unsafe_char_name(c),
            };
            problems.push(
                Diagnostic::new(format!(
                    "{field} holds {what}, which reports cannot show safely"
                ))
                .at(&at)
                .line(line)
                .fix("write it as plain text on one line, without escapes such as \\n, \\e or \\u202E")
                .code(Code::ApiDataRule),
            );
        }
        if r.replacement.trim().is_empty() {
            problems.push(
                Diagnostic::new("replacement is empty")
                    .at(&at)
                    .line(line)
                    .fix("say what to use instead, e.g. replacement: cert-manager.io/v1")
                    .code(Code::ApiDataRule),
            );
        }
        if let Some(removed_in) = removed_in {
            removals.push(Removal {
                removed_in,
                api_versions: r.api_versions,
                kinds: r.kinds,
                replacement: r.replacement,
                component: r.component.filter(|c| !c.trim().is_empty()),
                data_file: Some(origin.to_string()),
                entry: Some(match line {
                    Some(line) => format!("{at} (line {line})"),
                    None => at,
                }),
            });
        }
    }
    if problems.is_empty() {
        Ok(removals)
    } else {
        Err(fail(problems))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_data_text_with_escapes_breaks_or_overrides_is_refused_with_its_place() {
        let text = "removals:\n  - removed_in: \"1.40\"\n    api_versions: [\"x.io/v1\\e]52;c;eA==\\a\"]\n    kinds: [Thing]\n    replacement: \"x.io/v2\\nrm -rf\"\n    component: \"mesh \\u202Eevil\"\n";
        let err = load_extra(text, "extra.yaml").unwrap_err().to_string();
        for needed in [
            "removals[0]: api_versions holds the control character U+001B",
            "removals[0]: replacement holds a line break",
            "removals[0]: component holds the bidirectional formatting character U+202E",
            "extra.yaml:2",
        ] {
            assert!(err.contains(needed), "`{needed}` in {err}");
        }
    }

    #[test]
    fn the_table_has_the_documented_removals() {
        let table = ApiTable::builtin();
        let removed = |v: &str, k: &str| table.find(v, k).map(|r| r.removed_in.to_string());
        assert_eq!(
            removed("extensions/v1beta1", "Ingress").as_deref(),
            Some("1.22")
        );
        assert_eq!(
            removed("networking.k8s.io/v1beta1", "Ingress").as_deref(),
            Some("1.22")
        );
        assert_eq!(removed("batch/v1beta1", "CronJob").as_deref(), Some("1.25"));
        assert_eq!(
            removed("policy/v1beta1", "PodDisruptionBudget").as_deref(),
            Some("1.25")
        );
        assert_eq!(
            removed("autoscaling/v2beta2", "HorizontalPodAutoscaler").as_deref(),
            Some("1.26")
        );
        assert_eq!(
            removed("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema").as_deref(),
            Some("1.32")
        );
        assert_eq!(removed("apps/v1", "Deployment"), None);
        assert_eq!(removed("extensions/v1beta1", "Secret"), None);
        assert!(table.source.contains("deprecation-guide"));
    }

    /// The data is checked up to the newest release the tool knows, so the default target
    /// never outruns it; adding a release to the support table means checking the guide again.
    #[test]
    fn the_data_covers_every_release_the_tool_knows() {
        let table = ApiTable::builtin();
        let newest_release = crate::kube::releases::SupportTable::builtin()
            .releases
            .iter()
            .map(|r| r.minor)
            .max()
            .unwrap();
        assert!(
            table.covers_up_to >= newest_release,
            "covers_up_to {} is behind the support table's {newest_release}: check the deprecation guide and raise it",
            table.covers_up_to
        );
        let newest_removal = table.removals.iter().map(|r| r.removed_in).max().unwrap();
        assert!(table.covers_up_to >= newest_removal);
        assert_eq!(table.coverage_warning(table.covers_up_to), None);
        assert_eq!(table.coverage_warning("1.25".parse().unwrap()), None);
    }

    #[test]
    fn a_target_beyond_the_data_is_named() {
        let mut table = ApiTable::builtin();
        table.covers_up_to = "1.35".parse().unwrap();
        let one = table.coverage_warning("1.36".parse().unwrap()).unwrap();
        assert!(
            one.starts_with("the removed-API data covers Kubernetes releases up to 1.35; removals in 1.36 are not known to this version"),
            "{one}"
        );
        let more = table.coverage_warning("1.38".parse().unwrap()).unwrap();
        assert!(
            more.contains("removals in 1.36 to 1.38 are not known"),
            "{more}"
        );
    }

    #[test]
    fn a_teams_removals_come_first_and_name_their_component() {
        let text = "source: our CRD upgrade notes\nremovals:\n  - removed_in: \"1.33\"\n    api_versions: [cert-manager.io/v1alpha2]\n    kinds: [Certificate, Issuer]\n    replacement: cert-manager.io/v1\n    component: cert-manager\n";
        let extra = load_extra(text, "crds.yaml").unwrap();
        assert_eq!(extra[0].component.as_deref(), Some("cert-manager"));
        let table = ApiTable::builtin().with_extra("crds.yaml", extra);
        let found = table.find("cert-manager.io/v1alpha2", "Issuer").unwrap();
        assert_eq!(found.data_file.as_deref(), Some("crds.yaml"));
        assert_eq!(table.extra_files, ["crds.yaml"]);
        assert!(table.find("batch/v1beta1", "CronJob").is_some());
    }

    #[test]
    fn a_teams_removals_may_bring_a_removal_earlier_never_later() {
        let text = "removals:\n  - { removed_in: \"1.99\", api_versions: [extensions/v1beta1], kinds: [Ingress, Thing], replacement: x }\n  - { removed_in: \"1.20\", api_versions: [batch/v1beta1], kinds: [CronJob], replacement: batch/v1 }\n";
        let extra = load_extra(text, "late.yaml").unwrap();
        let table = ApiTable::builtin().with_extra("late.yaml", extra);
        let removed = |v: &str, k: &str| table.find(v, k).unwrap().removed_in.to_string();
        assert_eq!(removed("extensions/v1beta1", "Ingress"), "1.22");
        assert_eq!(removed("extensions/v1beta1", "Thing"), "1.99");
        assert_eq!(removed("batch/v1beta1", "CronJob"), "1.20");
        assert_eq!(table.relaxed.len(), 1, "{:?}", table.relaxed);
        assert!(table.relaxed[0].starts_with(
            "late.yaml removals[0] (line 2) moves the removal of extensions/v1beta1 Ingress from Kubernetes 1.22 to 1.99"
        ));
    }

    #[test]
    fn a_bad_data_file_says_where_and_how_to_fix_it() {
        let error = |text: &str| load_extra(text, "crds.yaml").unwrap_err().to_string();
        let bad_version = error(
            "removals:\n  - { removed_in: \"1.16\", api_versions: [a/v1], kinds: [A], replacement: a/v2 }\n  - { removed_in: soon, api_versions: [b/v1], kinds: [B], replacement: b/v2 }\n",
        );
        assert!(
            bad_version.starts_with("crds.yaml:3: removals[1]: removed_in:"),
            "{bad_version}"
        );
        assert!(
            bad_version.contains("fix: give the Kubernetes release"),
            "{bad_version}"
        );
        let unknown = error("removals:\n  - removed_in: \"1.30\"\n    api_version: [a/v1]\n");
        assert!(unknown.starts_with("crds.yaml:3: "), "{unknown}");
        assert!(unknown.contains("unknown field `api_version`"), "{unknown}");
        assert!(unknown.contains("fix: write `removals:`"), "{unknown}");
        let empty = error("removals: []\n");
        assert!(
            empty.contains("crds.yaml:1: `removals` is empty"),
            "{empty}"
        );
        let blank = error(
            "removals:\n  - { removed_in: \"1.30\", api_versions: [], kinds: [A], replacement: \" \" }\n",
        );
        assert!(blank.contains("2 problems"), "{blank}");
        assert!(
            blank.contains("crds.yaml:2: removals[0]: api_versions is empty"),
            "{blank}"
        );
        assert!(error("{[").contains("crds.yaml:1"));
    }
}
