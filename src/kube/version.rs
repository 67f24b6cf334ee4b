//! Kubernetes-style `MAJOR.MINOR` versions, as written in answers files and checklists.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A `MAJOR.MINOR` version. Patch levels are accepted when parsing and dropped: upgrade
/// strategy is decided per minor version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    pub major: u32,
    pub minor: u32,
}

/// The largest major version accepted (Kubernetes is at 1, VKS at 3, vSphere at 9).
pub const MAX_MAJOR: u32 = 99;
/// The largest minor version accepted: Kubernetes releases three a year and is at 1.3x, so
/// 99 lasts decades, and no chain of hops grows past 99 steps.
pub const MAX_MINOR: u32 = 99;

/// Why a string is not a version.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.describe())]
pub struct VersionError {
    pub input: String,
    /// It is a version, but above [`MAX_MAJOR`] or [`MAX_MINOR`].
    pub out_of_range: bool,
}

impl VersionError {
    fn describe(&self) -> String {
        let input = &self.input;
        if self.out_of_range {
            format!(
                "\"{input}\" is out of range: the major version goes up to {MAX_MAJOR} and the minor up to {MAX_MINOR}"
            )
        } else {
            format!(
                "\"{input}\" is not a version: write MAJOR.MINOR, for example \"1.30\" (\"v1.30\" and \"1.30.4\" are accepted too)"
            )
        }
    }
}

impl Version {
    pub const fn new(major: u32, minor: u32) -> Self {
        Self { major, minor }
    }

    /// Minor versions from `self` up to `target`, excluding `self`: the in-place hops.
    /// Empty when `target` is not above `self` or lies in another major version.
    pub fn hops_to(self, target: Version) -> Vec<Version> {
        if target.major != self.major || target.minor <= self.minor {
            return Vec::new();
        }
        (self.minor + 1..=target.minor)
            .map(|minor| Version::new(self.major, minor))
            .collect()
    }
}

impl FromStr for Version {
    type Err = VersionError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let err = || VersionError {
            input: input.to_string(),
            out_of_range: false,
        };
        let text = input.trim();
        let text = text
            .strip_prefix('v')
            .or_else(|| text.strip_prefix('V'))
            .unwrap_or(text);
        let mut parts = text.split('.');
        let number = |part: Option<&str>| -> Result<u32, VersionError> {
            match part {
                Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => {
                    // All digits: only overflow fails, and that is out of range.
                    p.parse().map_err(|_| VersionError {
                        out_of_range: true,
                        ..err()
                    })
                }
                _ => Err(err()),
            }
        };
        let major = number(parts.next())?;
        let minor = number(parts.next())?;
        if let Some(patch) = parts.next() {
            number(Some(patch))?;
        }
        if parts.next().is_some() {
            return Err(err());
        }
        if major > MAX_MAJOR || minor > MAX_MINOR {
            return Err(VersionError {
                out_of_range: true,
                ..err()
            });
        }
        Ok(Version { major, minor })
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

impl Serialize for Version {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Version {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_three_documented_spellings() {
        for text in ["1.30", "v1.30", "1.30.4", " V1.30 "] {
            assert_eq!(text.parse::<Version>(), Ok(Version::new(1, 30)), "{text}");
        }
    }

    #[test]
    fn rejects_what_is_not_a_version() {
        for text in [
            "", "1", "1.", "1.x", "one.two", "1.30.4.5", "1.-3", "1.30-rc1", "v",
        ] {
            assert!(
                text.parse::<Version>().is_err(),
                "{text} should be rejected"
            );
        }
    }

    #[test]
    fn huge_versions_are_out_of_range_not_allocations() {
        for text in ["1.4294967295", "1.100000", "1.100", "100.1", "4294967296.1"] {
            let err = text.parse::<Version>().unwrap_err();
            assert!(err.to_string().contains("out of range"), "{text}: {err}");
        }
        assert_eq!("99.99".parse::<Version>(), Ok(Version::new(99, 99)));
    }

    #[test]
    fn orders_numerically_not_textually() {
        assert!(Version::new(1, 9) < Version::new(1, 10));
        assert!(Version::new(1, 33) < Version::new(2, 0));
    }

    #[test]
    fn hops_list_every_minor_in_between() {
        let hops = Version::new(1, 30).hops_to(Version::new(1, 33));
        let names: Vec<String> = hops.iter().map(ToString::to_string).collect();
        assert_eq!(names, ["1.31", "1.32", "1.33"]);
        assert!(Version::new(1, 33).hops_to(Version::new(1, 33)).is_empty());
        assert!(Version::new(1, 33).hops_to(Version::new(1, 30)).is_empty());
    }
}
