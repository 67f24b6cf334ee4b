//! The keys and tags of the nodes [`super::prune`] reads: mapping keys compared the way
//! `Value` compares them (a repeat is refused with `Value`'s words), and tags refused when
//! empty, as `Value` refuses them.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;

use serde::Deserialize;
use serde::de::value::{EnumAccessDeserializer, MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, Visitor};
use serde_yaml::{Number, Value};

/// A mapping key, as cheaply as it can be compared the way `Value` compares keys.
#[derive(Debug, Clone, PartialEq, Hash)]
pub(super) enum Key<'de> {
    Null,
    Bool(bool),
    Number(Number),
    Str(Cow<'de, str>),
    /// Sequences, mappings and tagged values (rare as keys) are built whole.
    Other(Value),
}

// Number's equality is reflexive (one NaN), so keys are `Eq` as `Value`'s are.
impl Eq for Key<'_> {}

impl fmt::Display for Key<'_> {
    /// The words `Value`'s mapping uses for a repeated key.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Key::Null => f.write_str("with null key"),
            Key::Bool(b) => write!(f, "with key `{b}`"),
            Key::Number(n) => write!(f, "with key {n}"),
            Key::Str(s) => write!(f, "with key {:?}", s.as_ref()),
            Key::Other(_) => f.write_str("in YAML map"),
        }
    }
}

/// Keys of the mappings being read, innermost last: a mapping's keys are those from its
/// `base` on. Shared by all levels of a document so that reading one costs no allocation.
pub(super) type Keys<'de> = Vec<Key<'de>>;

/// Above this many keys a mapping's duplicates are looked up in a set instead.
const LINEAR_KEYS: usize = 32;

/// The keys of one mapping, refusing a repeat.
pub(super) struct Unique<'de> {
    base: usize,
    set: Option<HashSet<Key<'de>>>,
}

impl<'de> Unique<'de> {
    pub(super) fn new(keys: &Keys<'de>) -> Unique<'de> {
        Unique {
            base: keys.len(),
            set: None,
        }
    }

    pub(super) fn insert<E: de::Error>(
        &mut self,
        keys: &mut Keys<'de>,
        key: Key<'de>,
    ) -> Result<(), E> {
        let repeated = match &mut self.set {
            Some(set) => set.contains(&key),
            None => keys[self.base..].contains(&key),
        };
        if repeated {
            return Err(E::custom(format_args!("duplicate entry {key}")));
        }
        match &mut self.set {
            Some(set) => {
                set.insert(key);
            }
            None if keys.len() - self.base >= LINEAR_KEYS => {
                let mut set: HashSet<Key<'de>> = keys.drain(self.base..).collect();
                set.insert(key);
                self.set = Some(set);
            }
            None => keys.push(key),
        }
        Ok(())
    }

    pub(super) fn finish(self, keys: &mut Keys<'de>) {
        keys.truncate(self.base);
    }
}

/// A mapping key.
pub(super) struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key<'de>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Key<'de>, E> {
        Ok(Key::Bool(b))
    }

    fn visit_i64<E: de::Error>(self, i: i64) -> Result<Key<'de>, E> {
        Ok(Key::Number(i.into()))
    }

    fn visit_u64<E: de::Error>(self, u: u64) -> Result<Key<'de>, E> {
        Ok(Key::Number(u.into()))
    }

    fn visit_f64<E: de::Error>(self, f: f64) -> Result<Key<'de>, E> {
        Ok(Key::Number(f.into()))
    }

    fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Key<'de>, E> {
        Ok(Key::Str(Cow::Borrowed(s)))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Key<'de>, E> {
        Ok(Key::Str(Cow::Owned(s.to_owned())))
    }

    fn visit_string<E: de::Error>(self, s: String) -> Result<Key<'de>, E> {
        Ok(Key::Str(Cow::Owned(s)))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Key<'de>, E> {
        Ok(Key::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Key<'de>, E> {
        Ok(Key::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key<'de>, D::Error> {
        self.deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Key<'de>, A::Error> {
        Value::deserialize(SeqAccessDeserializer::new(seq)).map(Key::Other)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Key<'de>, A::Error> {
        Value::deserialize(MapAccessDeserializer::new(map)).map(Key::Other)
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Key<'de>, A::Error> {
        Value::deserialize(EnumAccessDeserializer::new(data)).map(Key::Other)
    }
}

/// A tag, refused when empty as `Value` refuses it.
pub(super) struct TagSeed;

impl<'de> DeserializeSeed<'de> for TagSeed {
    type Value = String;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        deserializer.deserialize_string(self)
    }
}

impl Visitor<'_> for TagSeed {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a YAML tag string")
    }

    fn visit_str<E: de::Error>(self, tag: &str) -> Result<String, E> {
        self.visit_string(tag.to_owned())
    }

    fn visit_string<E: de::Error>(self, tag: String) -> Result<String, E> {
        if tag.is_empty() {
            return Err(E::custom("empty YAML tag is not allowed"));
        }
        Ok(tag)
    }
}
