//! What is deployed: the Helm release records of a dump, reduced to the newest deployed
//! revision of each release (beside `helm.rs`, which decodes one record), and the objects of
//! its manifest, placed at the record and named after the template that rendered them.

use std::collections::{BTreeMap, HashSet};

use serde_yaml::Value;

use super::helm;
use super::model::{HelmSource, Object, Skipped, Skips};
use super::objects::object_of;
use super::prune;
use super::read::for_each_value;

/// A deployed release, where its record is, and what its manifest held: the manifest is read
/// when the record is, and dropped, so a dump never holds more than one release's manifest.
#[derive(Debug)]
pub(super) struct StoredRelease {
    pub(super) release: helm::Release,
    pub(super) file: usize,
    pub(super) document: usize,
    pub(super) line: usize,
    /// The manifest's objects, and what of it could not be read.
    pub(super) objects: Vec<Object>,
    pub(super) skips: Skips,
}

impl StoredRelease {
    pub(super) fn source(&self, template: Option<String>) -> HelmSource {
        HelmSource {
            release: self.release.name.clone(),
            namespace: self.release.namespace.clone(),
            revision: self.release.revision,
            chart: self.release.chart.clone(),
            template,
        }
    }
}

/// What was seen of one release: the newest deployed revision (the only one whose manifest
/// is kept) and the newest revision of any status.
#[derive(Debug)]
struct ReleaseSeen {
    deployed: Option<StoredRelease>,
    newest: (u64, String, usize),
}

/// How much the Helm records of one scan may unpack to in all: every record is unpacked to
/// learn its revision and status, and a dump of 16 MiB can hold hundreds that unpack to 16 MiB
/// each. A dump of a large cluster (thousands of revisions) unpacks to a few hundred MiB.
pub(super) const MAX_UNPACKED_TOTAL: u64 = 1024 * 1024 * 1024;

/// Helm releases by namespace and name, gathered while files are read.
#[derive(Debug, Default)]
pub(super) struct Releases {
    by_name: BTreeMap<(String, String), ReleaseSeen>,
    /// Bytes the records unpacked to so far.
    unpacked: u64,
}

impl Releases {
    /// Decodes a record, and when it is the newest deployed revision so far, reads its
    /// manifest's objects (in the file at `path`, index `file`) and keeps them.
    pub(super) fn add(
        &mut self,
        (file, path): (usize, &str),
        document: usize,
        line: usize,
        value: &Value,
        storage: helm::Storage,
    ) -> Result<(), String> {
        let record = value
            .get("metadata")
            .and_then(|m| m.get("name"))
            .and_then(Value::as_str)
            .unwrap_or("(unnamed)");
        let place = format!("Helm release record {record} (line {line})");
        if self.unpacked > MAX_UNPACKED_TOTAL {
            return Err(format!(
                "{place}: not unpacked: the Helm records of this scan already unpack to more than {} MiB, the most a scan reads; scan fewer at a time, e.g. one namespace's (`kubectl get secrets -n NAMESPACE -l owner=helm -o yaml`)",
                MAX_UNPACKED_TOTAL / 1024 / 1024
            ));
        }
        let release =
            helm::decode(value, storage).map_err(|reason| format!("{place}: {reason}"))?;
        self.unpacked += release.unpacked;
        let key = (release.namespace.clone(), release.name.clone());
        let seen = self.by_name.entry(key).or_insert_with(|| ReleaseSeen {
            deployed: None,
            newest: (0, String::new(), file),
        });
        if release.revision >= seen.newest.0 {
            seen.newest = (release.revision, release.status.clone(), file);
        }
        let newer = seen
            .deployed
            .as_ref()
            .is_none_or(|d| release.revision > d.release.revision);
        if release.status == "deployed" && newer {
            let mut stored = StoredRelease {
                release,
                file,
                document,
                line,
                objects: Vec::new(),
                skips: Skips::default(),
            };
            read_release(&mut stored, path);
            seen.deployed = Some(stored);
        }
        Ok(())
    }

    /// The deployed revision of each release; a release without one is reported as skipped.
    pub(super) fn deployed(self, paths: &[String], skipped: &mut Skips) -> Vec<StoredRelease> {
        let mut out = Vec::new();
        for ((namespace, name), seen) in self.by_name {
            match seen.deployed {
                Some(stored) => out.push(stored),
                None => {
                    let (revision, status, file) = seen.newest;
                    skipped.push(Skipped {
                        path: paths[file].clone(),
                        document: None,
                        reason: format!(
                            "Helm release {namespace}/{name} has no deployed revision (the newest, rev {revision}, is {status}); nothing of it runs to scan"
                        ),
                    });
                }
            }
        }
        out
    }
}

/// Reads a deployed release's manifest into its objects and skips, then drops it; its
/// objects take the record's place in the dump (the file at `path`) and the release's
/// namespace, and remember the template that rendered them.
fn read_release(stored: &mut StoredRelease, path: &str) {
    // The manifest is read once, here; only the release's names stay for the findings.
    let manifest = std::mem::take(&mut stored.release.manifest);
    let (mut objects, mut skipped) = (Vec::new(), Skips::default());
    read_manifest(stored, &manifest, path, &mut objects, &mut skipped);
    stored.objects = objects;
    stored.skips = skipped;
}

fn read_manifest(
    stored: &StoredRelease,
    text: &str,
    path: &str,
    objects: &mut Vec<Object>,
    skipped: &mut Skips,
) {
    let label = stored.source(None).to_string();
    if let Err(problem) = crate::base::diagnostic::guards::check_nesting(text) {
        skipped.push(Skipped {
            path: path.to_string(),
            document: Some(stored.document),
            reason: format!(
                "{label}: the manifest is not YAML to scan: {}",
                problem.message
            ),
        });
        return;
    }
    let sources = document_sources(text);
    for_each_value(
        &prune::OBJECT,
        text,
        |value| object_of(&value, &stored.release.namespace),
        |document, _, object| {
            let mut object = object?;
            object.file = stored.file;
            object.document = stored.document;
            object.line = stored.line;
            object.helm = Some(Box::new(
                stored.source(sources.get(document).cloned().flatten()),
            ));
            objects.push(object);
            Ok(())
        },
        |_, reason| {
            skipped.push(Skipped {
                path: path.to_string(),
                document: Some(stored.document),
                reason: format!("{label}: {reason}"),
            })
        },
    );
}

/// Helm's `# Source: chart/templates/x.yaml` comment of each document, in one pass, aligned
/// with `lines::document_starts`.
fn document_sources(text: &str) -> Vec<Option<String>> {
    let mut sources: Vec<Option<String>> = Vec::new();
    let mut content_seen = false;
    let mut before_first = None;
    for line in text.lines() {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed.starts_with("--- ") {
            sources.push(None);
            content_seen = true;
        } else if let Some(source) = trimmed.strip_prefix("# Source: ") {
            let source = Some(source.trim().to_string());
            match sources.last_mut() {
                Some(slot) if content_seen => {
                    if slot.is_none() {
                        *slot = source;
                    }
                }
                _ => before_first = before_first.or(source),
            }
        } else if !content_seen && !trimmed.is_empty() && !trimmed.starts_with('#') {
            sources.push(before_first.take());
            content_seen = true;
        }
    }
    sources
}

/// A live object that Helm manages is also in its release's manifest. Its removed APIs are
/// checked in both; everything else is judged once, on the live object, which is what runs:
/// this drops the release's copy of each live object Helm's annotations tie to it.
pub(super) fn drop_release_copies(objects: &mut Vec<Object>) {
    let live_managed: HashSet<(String, String, String, String)> = objects
        .iter()
        .filter(|o| o.helm.is_none())
        .filter_map(|o| {
            Some((
                o.managed_by.clone()?,
                o.kind.clone(),
                o.namespace.clone(),
                o.name.clone(),
            ))
        })
        .collect();
    if !live_managed.is_empty() {
        objects.retain(|o| {
            o.helm.as_ref().is_none_or(|h| {
                !live_managed.contains(&(
                    format!("{}/{}", h.namespace, h.release),
                    o.kind.clone(),
                    o.namespace.clone(),
                    o.name.clone(),
                ))
            })
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::lines::document_starts;

    /// Past the total a scan unpacks, records are skipped unread, saying what to do instead.
    #[test]
    fn records_past_the_unpacked_total_are_not_unpacked() {
        let mut releases = Releases {
            unpacked: MAX_UNPACKED_TOTAL + 1,
            ..Releases::default()
        };
        let record: Value = serde_yaml::from_str(
            "kind: Secret\ntype: helm.sh/release.v1\nmetadata: {name: r.v1}\ndata: {release: x}\n",
        )
        .unwrap();
        let error = releases
            .add((0, "dump.yaml"), 0, 3, &record, helm::Storage::Secret)
            .unwrap_err();
        assert!(
            error.starts_with("Helm release record r.v1 (line 3): not unpacked")
                && error.contains("more than 1024 MiB")
                && error.contains("-l owner=helm"),
            "{error}"
        );
    }

    #[test]
    fn source_comments_belong_to_their_document() {
        let text = "---\n# Source: a/templates/x.yaml\nkind: X\n---\nkind: Y\n---\n# Source: a/templates/z.yaml\nkind: Z\n";
        let sources = document_sources(text);
        assert_eq!(sources.len(), document_starts(text).len());
        assert_eq!(
            sources,
            [
                Some("a/templates/x.yaml".to_string()),
                None,
                Some("a/templates/z.yaml".to_string())
            ]
        );
        // Without a leading separator, the comment before the content is the first document's.
        assert_eq!(
            document_sources("# Source: a/b.yaml\nkind: X\n---\nkind: Y\n"),
            [Some("a/b.yaml".to_string()), None]
        );
    }
}
