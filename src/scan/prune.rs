//! Reading only what the rules look at. Each YAML document is deserialized into a
//! `serde_yaml::Value` that holds the paths the scan reads (apiVersion, kind, type, names,
//! labels and three annotations, the Helm record's data, the spec fields of workloads,
//! disruption budgets and autoscalers, the items of a list) and nothing else: the rest of the
//! document is walked but never built, so a document costs its parse and a few small values.
//!
//! Two promises keep the scan's behaviour what it was with whole values:
//! - on every path a [`Shape`] keeps, the value is exactly what `Value::deserialize` builds
//!   (scalars, tags, numbers, sequences and mappings alike);
//! - a document fails where and how `Value::deserialize` fails: every node, kept or not, is
//!   visited through `deserialize_any` (so aliases expand and count, and nesting is limited,
//!   the same way), empty tags are refused, and a key repeated in any mapping is refused with
//!   the same message.

use std::fmt;

use serde::Deserialize;
use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor,
};
use serde_yaml::value::{Tag, TaggedValue};
use serde_yaml::{Mapping, Sequence, Value};

use super::prune_keys::{Key, KeySeed, Keys, TagSeed, Unique};

/// Which part of a node to keep.
#[derive(Debug)]
pub(super) enum Shape {
    /// All of it.
    Whole,
    /// Only that it is there: kept as null.
    Present,
    /// Of a mapping, these keys (each shaped); scalars are kept, sequence items as null.
    Fields(&'static [(&'static str, &'static Shape)]),
    /// Of a sequence, each item (shaped); scalars are kept, mapping entries dropped.
    Each(&'static Shape),
    /// The items of a list: each is read as an [`OBJECT`] and handed to the [`Prune`]'s sink
    /// as soon as it is read (or dropped when there is none); the sequence is kept empty.
    Items,
}

use Shape::{Each, Fields, Items, Present, Whole};

/// A Kubernetes object as the scan reads it, items of a `kind: List` included.
pub(super) static OBJECT: Shape = Fields(&[
    ("apiVersion", &Whole),
    ("kind", &Whole),
    // Helm release records: a Secret's type, the release in data.release.
    ("type", &Whole),
    ("data", &Fields(&[("release", &Whole)])),
    (
        "metadata",
        &Fields(&[
            ("name", &Whole),
            ("generateName", &Whole),
            ("namespace", &Whole),
            ("labels", &Whole),
            ("ownerReferences", &Whole),
            (
                "annotations",
                &Fields(&[
                    (super::objects::LAST_APPLIED, &Whole),
                    ("meta.helm.sh/release-name", &Whole),
                    ("meta.helm.sh/release-namespace", &Whole),
                ]),
            ),
        ]),
    ),
    ("spec", &SPEC),
    // Capacity: what a node offers, whether a pod still holds its room.
    (
        "status",
        &Fields(&[
            ("allocatable", &Whole),
            ("capacity", &Whole),
            ("phase", &Whole),
        ]),
    ),
    ("items", &Items),
]);

/// A spec: a workload's, a Pod's, a PodDisruptionBudget's or a HorizontalPodAutoscaler's.
static SPEC: Shape = Fields(&[
    ("replicas", &Whole),
    ("minReplicas", &Whole),
    ("scaleTargetRef", &Whole),
    ("selector", &Whole),
    ("maxUnavailable", &Whole),
    ("minAvailable", &Whole),
    ("volumeClaimTemplates", &Each(&CLAIM)),
    ("template", &POD_TEMPLATE),
    (
        "jobTemplate",
        &Fields(&[("spec", &Fields(&[("template", &POD_TEMPLATE)]))]),
    ),
    ("containers", &Each(&CONTAINER)),
    ("initContainers", &Each(&CONTAINER)),
    ("volumes", &Each(&VOLUME)),
    // Capacity: where a pod runs and what keeps it off a node, what a node refuses, what a
    // claim asks for.
    ("nodeName", &Whole),
    ("nodeSelector", &Whole),
    ("tolerations", &Whole),
    ("overhead", &Whole),
    ("taints", &Whole),
    ("unschedulable", &Whole),
    ("storageClassName", &Whole),
    ("resources", &Whole),
]);

/// A PersistentVolumeClaim, or a StatefulSet's claim template: its size and class.
static CLAIM: Shape = Fields(&[(
    "spec",
    &Fields(&[("storageClassName", &Whole), ("resources", &Whole)]),
)]);

static POD_TEMPLATE: Shape = Fields(&[
    ("metadata", &Fields(&[("labels", &Whole)])),
    (
        "spec",
        &Fields(&[
            ("containers", &Each(&CONTAINER)),
            ("initContainers", &Each(&CONTAINER)),
            ("volumes", &Each(&VOLUME)),
            ("nodeSelector", &Whole),
            ("tolerations", &Whole),
            ("overhead", &Whole),
        ]),
    ),
]);

static CONTAINER: Shape = Fields(&[
    ("name", &Whole),
    ("readinessProbe", &Present),
    ("livenessProbe", &Present),
    ("resources", &Whole),
    ("restartPolicy", &Whole),
]);

static VOLUME: Shape = Fields(&[("persistentVolumeClaim", &Fields(&[("claimName", &Whole)]))]);

/// Deserializes a node as `shape` keeps it.
pub(super) struct Prune<'k, 's, 'de> {
    pub shape: &'static Shape,
    pub keys: &'k mut Keys<'de>,
    /// Where the items of a list go, one by one: only a document's own items, so a list
    /// nested in a list is not read.
    pub items: Option<&'s mut dyn FnMut(Value)>,
}

impl<'de> Prune<'_, '_, 'de> {
    fn nested<'n>(&'n mut self, shape: &'static Shape) -> Prune<'n, 'n, 'de> {
        Prune {
            shape,
            keys: &mut *self.keys,
            items: None,
        }
    }
}

impl<'de> DeserializeSeed<'de> for Prune<'_, '_, 'de> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        match self.shape {
            Whole => Value::deserialize(deserializer),
            Present => {
                Skip { keys: self.keys }.deserialize(deserializer)?;
                Ok(Value::Null)
            }
            Fields(_) | Each(_) | Items => deserializer.deserialize_any(self),
        }
    }
}

impl<'de> Visitor<'de> for Prune<'_, '_, 'de> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E: de::Error>(self, i: i64) -> Result<Value, E> {
        Ok(Value::Number(i.into()))
    }

    fn visit_u64<E: de::Error>(self, u: u64) -> Result<Value, E> {
        Ok(Value::Number(u.into()))
    }

    fn visit_f64<E: de::Error>(self, f: f64) -> Result<Value, E> {
        Ok(Value::Number(f.into()))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_owned()))
    }

    fn visit_string<E: de::Error>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        self.deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<Value, A::Error> {
        let item = match self.shape {
            Each(item) => item,
            Items => {
                while let Some(item) = seq.next_element_seed(self.nested(&OBJECT))? {
                    if let Some(sink) = self.items.as_mut() {
                        sink(item);
                    }
                }
                return Ok(Value::Sequence(Sequence::new()));
            }
            _ => &Present,
        };
        let mut items = Sequence::new();
        while let Some(value) = seq.next_element_seed(self.nested(item))? {
            items.push(value);
        }
        Ok(Value::Sequence(items))
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<Value, A::Error> {
        let fields = match self.shape {
            Fields(fields) => *fields,
            _ => &[],
        };
        let mut unique = Unique::new(self.keys);
        let mut kept = Mapping::new();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let field = match &key {
                Key::Str(name) => fields.iter().find(|(field, _)| *field == name.as_ref()),
                _ => None,
            };
            unique.insert(self.keys, key)?;
            match field {
                Some((name, shape)) => {
                    let items = match shape {
                        Items => self.items.take(),
                        _ => None,
                    };
                    let value = map.next_value_seed(Prune {
                        shape,
                        keys: &mut *self.keys,
                        items,
                    })?;
                    kept.insert(Value::String((*name).to_string()), value);
                }
                None => map.next_value_seed(Skip {
                    keys: &mut *self.keys,
                })?,
            }
        }
        unique.finish(self.keys);
        Ok(Value::Mapping(kept))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        let (tag, contents) = data.variant_seed(TagSeed)?;
        let value = contents.newtype_variant_seed(self)?;
        Ok(Value::Tagged(Box::new(TaggedValue {
            tag: Tag::new(tag),
            value,
        })))
    }
}

/// Walks a node without keeping any of it.
struct Skip<'k, 'de> {
    keys: &'k mut Keys<'de>,
}

impl<'de> DeserializeSeed<'de> for Skip<'_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Skip<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        self.deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq
            .next_element_seed(Skip {
                keys: &mut *self.keys,
            })?
            .is_some()
        {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let keys = self.keys;
        let mut unique = Unique::new(keys);
        while let Some(key) = map.next_key_seed(KeySeed)? {
            unique.insert(keys, key)?;
            map.next_value_seed(Skip { keys: &mut *keys })?;
        }
        unique.finish(keys);
        Ok(())
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        let (_, contents) = data.variant_seed(TagSeed)?;
        contents.newtype_variant_seed(self)
    }
}
