//! Reading a file's documents into objects, each with its document and line: multi-document
//! YAML, JSON and `kind: List` dumps, built only as far as the rules read them.

use std::ops::Range;

use serde_yaml::Value;

use super::helm;
use super::inventory::Inventory;
use super::lines::{LineCursor, document_starts, item_starts};
use super::model::{Object, Skipped, Skips, SourceFile};
use super::objects::{metadata_name, object_of};
use super::prune;
use super::prune_keys;
use crate::base::diagnostic::code::Code;

/// Reads every object of a file: multi-document YAML, JSON, and `kind: List` dumps. Helm
/// release records go to `on_record` (with their document and line) instead of `objects`;
/// what it refuses is skipped with its reason.
pub(super) fn read_objects(
    index: usize,
    file: &SourceFile,
    objects: &mut Vec<Object>,
    inventory: &mut Inventory,
    skipped: &mut Skips,
    mut on_record: impl FnMut(usize, usize, &Value, helm::Storage) -> Result<(), String>,
) {
    if let Err(problem) = crate::base::diagnostic::guards::check_nesting(&file.text) {
        skipped.push(Skipped {
            path: file.path.clone(),
            document: None,
            reason: format!(
                "not a manifest: {} (line {})",
                problem.message,
                problem.line.unwrap_or(1)
            ),
        });
        return;
    }
    let mut lines = LineCursor::new(&file.text);
    for_each_value(
        &prune::OBJECT,
        &file.text,
        |value| -> Result<Reading, String> {
            Ok(match helm::record_storage(&value) {
                Some(storage) => Reading::Record(value, storage),
                None => {
                    let object = object_of(&value, "default")?;
                    let mut capacity = Inventory::default();
                    capacity.add(&object.kind, &object.namespace, &object.name, &value);
                    Reading::Object {
                        named: metadata_name(&value).is_some(),
                        object,
                        capacity: (!capacity.is_empty()).then(|| Box::new(capacity)),
                    }
                }
            })
        },
        |document, range, reading| match reading? {
            Reading::Record(value, storage) => {
                let line = lines.object_line(document, range, metadata_name(&value));
                on_record(document, line, &value, storage)
            }
            Reading::Object {
                mut object,
                named,
                capacity,
            } => {
                if let Some(capacity) = capacity {
                    inventory.append(*capacity);
                }
                object.file = index;
                object.document = document;
                object.line = lines.object_line(document, range, named.then_some(&object.name));
                objects.push(object);
                Ok(())
            }
        },
        |document, reason| {
            skipped.push(Skipped {
                path: file.path.clone(),
                document,
                reason,
            })
        },
    );
}

/// A document or list item of a file, reduced as it is read.
// Objects are kept by value: nearly every reading is one, and each becomes an `Object` in the
// scan's list anyway.
#[allow(clippy::large_enum_variant)]
enum Reading {
    /// A Helm release record, kept until its release is decoded.
    Record(Value, helm::Storage),
    /// An object; `named` when its line can be found by its name; `capacity` what it says of
    /// a cluster's capacity, if anything.
    Object {
        object: Object,
        named: bool,
        capacity: Option<Box<Inventory>>,
    },
}

/// Calls `on_value` for each mapping of a YAML stream, each item of a List counting as one,
/// with its document, its lines as far as they are known (a document's, or a List item's when
/// the text shows where items start; open-ended at the end) and what `reduce` makes of it; what cannot be read goes to `on_skip` with its document
/// index and reason. The values `reduce` gets hold what `shape` keeps ([`prune::OBJECT`]: what
/// the scan reads; the rest of each document is never built), and the items of a List are
/// reduced one by one as they are read, so a dump is never held whole.
pub(super) fn for_each_value<T>(
    shape: &'static prune::Shape,
    text: &str,
    mut reduce: impl FnMut(Value) -> T,
    mut on_value: impl FnMut(usize, Range<usize>, T) -> Result<(), String>,
    mut on_skip: impl FnMut(Option<usize>, String),
) {
    let starts = document_starts(text);
    let mut keys = prune_keys::Keys::new();
    for (document, deserializer) in serde_yaml::Deserializer::from_str(text).enumerate() {
        // The items of what may turn out to be a List (`kind` can come after `items`).
        let mut items = Vec::new();
        let read = {
            let mut sink = |item: Value| items.push(reduce(item));
            let prune = prune::Prune {
                shape,
                keys: &mut keys,
                items: Some(&mut sink),
            };
            serde::de::DeserializeSeed::deserialize(prune, deserializer)
        };
        let value = match read {
            Ok(value) => value,
            Err(error) => {
                let problem = crate::base::diagnostic::from_yaml_error(&error);
                let reason = if matches!(
                    problem.code,
                    Some(Code::YamlAliasExpansion | Code::YamlTooDeep)
                ) {
                    problem.message
                } else if text.contains("{{") {
                    // A chart's template, not a manifest: it is YAML only once rendered.
                    format!(
                        "not valid YAML: {error}; it holds {{{{ }}}}, so it looks like a Helm template: render the chart and pipe it in (`helm template RELEASE CHART | upgrade-advisor scan -`)"
                    )
                } else {
                    format!("not valid YAML: {error}")
                };
                on_skip(Some(document), reason);
                // The parser cannot resynchronise after an error; the rest of the file is lost.
                break;
            }
        };
        let start = starts.get(document).copied().unwrap_or(1);
        let end = starts.get(document + 1).copied().unwrap_or(usize::MAX);
        match &value {
            Value::Null => continue,
            Value::Mapping(_) => {}
            _ => {
                on_skip(
                    Some(document),
                    "not a Kubernetes object (the document is not a mapping)".to_string(),
                );
                continue;
            }
        }
        let kind = value
            .get("kind")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if kind == "List"
            || (kind.ends_with("List") && value.get("items").is_some_and(Value::is_sequence))
        {
            let Value::Mapping(mut map) = value else {
                continue;
            };
            // Items come reduced already, or (when `shape` keeps them) are moved out, not
            // copied. A tagged sequence of items is not read.
            let whole = match map.remove("items") {
                Some(Value::Sequence(whole)) => whole,
                _ => {
                    items.clear();
                    Vec::new()
                }
            };
            // Each item's own first line, when the text shows them all.
            let mut item_lines = item_starts(text, start);
            if item_lines.len() != items.len() + whole.len() {
                item_lines.clear();
            }
            let items = items.into_iter().chain(whole.into_iter().map(&mut reduce));
            for (index, item) in items.enumerate() {
                let lines = match item_lines.get(index) {
                    Some(&first) => first..item_lines.get(index + 1).copied().unwrap_or(end),
                    None => start..end,
                };
                if let Err(reason) = on_value(document, lines, item) {
                    on_skip(Some(document), reason);
                }
            }
            continue;
        }
        if let Err(reason) = on_value(document, start..end, reduce(value)) {
            on_skip(Some(document), reason);
        }
    }
}
