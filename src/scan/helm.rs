//! Helm 3 release records as `kubectl get secrets,configmaps -l owner=helm` dumps them, and
//! the `kubeVersion` constraints of their charts.
//!
//! A record is the Secret's (or ConfigMap's) `data.release`: for a Secret, Kubernetes' base64
//! of Helm's base64 of the gzipped JSON release; for a ConfigMap, Helm's base64 once.

use std::borrow::Cow;
use std::io::Read;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::Deserialize;
use serde_yaml::Value;

use crate::base::text::shortened;
use crate::io::input::MAX_INPUT_BYTES;
use crate::kube::version::Version;

/// The Secret type Helm 3 stores releases under.
pub const SECRET_TYPE: &str = "helm.sh/release.v1";

/// Where a release record is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Storage {
    Secret,
    ConfigMap,
}

/// Whether a Kubernetes object is a Helm release record, and in which storage.
pub fn record_storage(value: &Value) -> Option<Storage> {
    let kind = value.get("kind").and_then(Value::as_str)?;
    let owner = || {
        value
            .get("metadata")
            .and_then(|m| m.get("labels"))
            .and_then(|l| l.get("owner"))
            .and_then(Value::as_str)
            == Some("helm")
    };
    match kind {
        "Secret" if value.get("type").and_then(Value::as_str) == Some(SECRET_TYPE) => {
            Some(Storage::Secret)
        }
        "ConfigMap" if owner() => Some(Storage::ConfigMap),
        _ => None,
    }
}

/// The parts of a decoded release the scan uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    pub name: String,
    pub namespace: String,
    pub revision: u64,
    /// `deployed`, `superseded`, `failed`, `pending-upgrade`, ...
    pub status: String,
    /// `NAME-VERSION`, as `helm list` shows it.
    pub chart: String,
    /// At most [`MAX_CONSTRAINT_CHARS`] and one more, to show it is too long to check.
    pub kube_version: Option<String>,
    pub manifest: String,
    /// How many bytes the record unpacked to.
    pub unpacked: u64,
}

/// The longest `kubeVersion` a scan checks: charts write a few dozen characters, and one of
/// megabytes is only work to parse.
pub const MAX_CONSTRAINT_CHARS: usize = 4096;

#[derive(Deserialize)]
struct RawRelease {
    name: String,
    #[serde(default)]
    namespace: String,
    version: u64,
    #[serde(default)]
    info: RawInfo,
    #[serde(default)]
    chart: RawChart,
    #[serde(default)]
    manifest: String,
}

#[derive(Deserialize, Default)]
struct RawInfo {
    #[serde(default)]
    status: String,
}

#[derive(Deserialize, Default)]
struct RawChart {
    #[serde(default)]
    metadata: RawMetadata,
}

#[derive(Deserialize, Default)]
struct RawMetadata {
    #[serde(default)]
    name: String,
    #[serde(default)]
    version: String,
    #[serde(default, rename = "kubeVersion")]
    kube_version: Option<String>,
}

/// Decodes a release record; the error says which layer failed.
pub fn decode(value: &Value, storage: Storage) -> Result<Release, String> {
    let data = value
        .get("data")
        .and_then(|d| d.get("release"))
        .and_then(Value::as_str)
        .ok_or("no data.release in the record (was it dumped with `-o yaml` or `-o json`?)")?;
    let helm_text = match storage {
        Storage::Secret => {
            let bytes = base64(data).map_err(|e| format!("data.release is not base64: {e}"))?;
            Cow::Owned(
                String::from_utf8(bytes)
                    .map_err(|_| "data.release does not hold Helm's base64 text".to_string())?,
            )
        }
        Storage::ConfigMap => Cow::Borrowed(data),
    };
    let packed =
        base64(&helm_text).map_err(|e| format!("the release is not Helm's base64: {e}"))?;
    let json = if packed.starts_with(&[0x1f, 0x8b, 0x08]) {
        let mut json = Vec::new();
        flate2::read::GzDecoder::new(packed.as_slice())
            .take(MAX_INPUT_BYTES + 1)
            .read_to_end(&mut json)
            .map_err(|e| format!("the release does not gunzip: {e}"))?;
        if json.len() as u64 > MAX_INPUT_BYTES {
            return Err(format!(
                "the release unpacks to more than {} MiB",
                MAX_INPUT_BYTES / 1024 / 1024
            ));
        }
        json
    } else {
        // Helm reads unzipped records too.
        packed
    };
    let raw: RawRelease = serde_json::from_slice(&json)
        .map_err(|e| format!("the release is not Helm's JSON: {e}"))?;
    let unpacked = json.len() as u64;
    drop(json);
    let namespace = if raw.namespace.is_empty() {
        value
            .get("metadata")
            .and_then(|m| m.get("namespace"))
            .and_then(Value::as_str)
            .unwrap_or("default")
            .to_string()
    } else {
        raw.namespace
    };
    let metadata = raw.chart.metadata;
    let chart = match (metadata.name.is_empty(), metadata.version.is_empty()) {
        (true, _) => "(unknown chart)".to_string(),
        (false, true) => metadata.name,
        (false, false) => format!("{}-{}", metadata.name, metadata.version),
    };
    Ok(Release {
        name: raw.name,
        namespace,
        revision: raw.version,
        status: raw.info.status,
        chart,
        kube_version: metadata
            .kube_version
            .filter(|k| !k.trim().is_empty())
            .map(|mut k| {
                // Past the limit it is not checked: keep no more than shows it is past.
                if let Some((cut, _)) = k.char_indices().nth(MAX_CONSTRAINT_CHARS + 1) {
                    k.truncate(cut);
                }
                k
            }),
        manifest: raw.manifest,
        unpacked,
    })
}

/// Standard base64, tolerating the line breaks some tools wrap it in.
fn base64(text: &str) -> Result<Vec<u8>, base64::DecodeError> {
    if text.contains(['\n', '\r', ' ']) {
        let joined: String = text.split_whitespace().collect();
        STANDARD.decode(joined)
    } else {
        STANDARD.decode(text)
    }
}

/// A chart's `kubeVersion`: alternatives (`||`), each a list of comparators that must all hold.
#[derive(Debug, Clone)]
pub struct KubeVersion {
    alternatives: Vec<Vec<Comparator>>,
}

#[derive(Debug, Clone)]
struct Comparator {
    /// `!=`: the version must not match `requirement`.
    negated: bool,
    requirement: semver::VersionReq,
}

impl KubeVersion {
    /// Translates Helm's constraint syntax (Masterminds semver) into `semver` requirements:
    /// comparators separated by spaces or commas must all hold, `||` separates alternatives,
    /// `A - B` is a range, a bare version means `=`, `v` prefixes and `x`/`*` wildcards are
    /// accepted, and `-0` pre-release bounds keep their meaning.
    pub fn parse(text: &str) -> Result<KubeVersion, String> {
        let mut alternatives = Vec::new();
        for alternative in text.split("||") {
            let comparators = comparators(alternative)
                .map_err(|e| format!("`{}`: {e}", shortened(alternative.trim(), ECHOED)))?;
            if comparators.is_empty() {
                return Err(format!(
                    "`{}` has an empty alternative",
                    shortened(text, ECHOED)
                ));
            }
            alternatives.push(comparators);
        }
        Ok(KubeVersion { alternatives })
    }

    /// Whether some patch release of the target minor satisfies the constraint. Releases are
    /// compared without a pre-release tag, as `X.Y.0` and as a late patch `X.Y.999`.
    pub fn admits(&self, target: Version) -> bool {
        [0, 999].into_iter().any(|patch| {
            let version = semver::Version::new(target.major.into(), target.minor.into(), patch);
            self.alternatives.iter().any(|all| {
                all.iter()
                    .all(|c| c.requirement.matches(&version) != c.negated)
            })
        })
    }
}

/// How much of a constraint an error shows.
const ECHOED: usize = 60;

const OPERATORS: [&str; 11] = ["!=", ">=", "<=", "=>", "=<", "==", "~>", ">", "<", "=", "~"];

fn comparators(text: &str) -> Result<Vec<Comparator>, String> {
    // Tokens: spaces and commas separate; an operator written apart from its version joins it.
    let mut tokens: Vec<String> = Vec::new();
    let mut pending_operator: Option<String> = None;
    for word in text.split([' ', ',', '\t']).filter(|w| !w.is_empty()) {
        if OPERATORS.contains(&word) || word == "^" {
            pending_operator = Some(word.to_string());
            continue;
        }
        tokens.push(match pending_operator.take() {
            Some(op) => format!("{op}{word}"),
            None => word.to_string(),
        });
    }
    if let Some(op) = pending_operator {
        return Err(format!(
            "`{}` is not followed by a version",
            shortened(&op, ECHOED)
        ));
    }
    let mut out = Vec::new();
    let mut index = 0;
    while index < tokens.len() {
        // A hyphen range: `1.20 - 1.25` means `>=1.20 <=1.25`.
        if tokens.get(index + 1).is_some_and(|t| t == "-") {
            let upper = tokens
                .get(index + 2)
                .ok_or("a range `A - B` lacks its upper end")?;
            out.push(comparator(&format!(">={}", tokens[index]))?);
            out.push(comparator(&format!("<={upper}"))?);
            index += 3;
            continue;
        }
        out.push(comparator(&tokens[index])?);
        index += 1;
    }
    Ok(out)
}

fn comparator(token: &str) -> Result<Comparator, String> {
    let split = token
        .find(|c: char| c.is_ascii_alphanumeric() || c == '*')
        .unwrap_or(token.len());
    let (operator, version) = token.split_at(split);
    let version = version
        .strip_prefix('v')
        .or_else(|| version.strip_prefix('V'))
        .unwrap_or(version);
    let token = shortened(token, ECHOED);
    if version.is_empty() {
        return Err(format!("`{token}` has no version"));
    }
    let (negated, operator) = match operator {
        // Without an operator, Masterminds means equality; `semver` would mean `^`.
        "" | "=" | "==" => (false, "="),
        "!=" => (true, "="),
        "=>" | ">=" => (false, ">="),
        "=<" | "<=" => (false, "<="),
        ">" | "<" | "^" => (false, operator),
        "~" | "~>" => (false, "~"),
        other => {
            return Err(format!(
                "`{}` is not a comparison operator",
                shortened(other, ECHOED)
            ));
        }
    };
    let wildcard = matches!(version, "*" | "x" | "X");
    let partial_wildcard = version
        .split('.')
        .any(|part| matches!(part, "*" | "x" | "X"));
    let text = if wildcard {
        "*".to_string()
    } else if partial_wildcard && operator == "=" {
        // `1.33.x`: `semver` reads a bare wildcard version as exactly this.
        version.to_string()
    } else {
        format!("{operator}{version}")
    };
    let requirement = semver::VersionReq::parse(&text).map_err(|e| format!("`{token}`: {e}"))?;
    Ok(Comparator {
        negated: negated && !wildcard,
        requirement,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn admits(constraint: &str, target: &str) -> bool {
        KubeVersion::parse(constraint)
            .unwrap_or_else(|e| panic!("{constraint}: {e}"))
            .admits(target.parse().unwrap())
    }

    /// The forms charts on Artifact Hub use, against the targets an upgrade meets.
    #[test]
    fn constraints_charts_really_use() {
        // A range with pre-release bounds, as ingress-nginx and many others write it.
        assert!(!admits(">=1.16.0-0 <1.31.0-0", "1.33"));
        assert!(admits(">=1.16.0-0 <1.31.0-0", "1.30"));
        assert!(!admits(">=1.16.0-0 <1.31.0-0", "1.15"));
        // Comma for and; an operator written apart from its version.
        assert!(!admits(">=1.16.0-0, <1.31.0-0", "1.31"));
        assert!(admits(">= 1.19.0-0", "1.33"));
        assert!(admits(">=1.22.0-0", "1.22"));
        assert!(!admits(">=1.34.0-0", "1.33"));
        // Upper bounds without -0, and partial versions.
        assert!(!admits("<1.33.0", "1.33"));
        assert!(admits("<=1.33", "1.33"));
        assert!(admits(">=1.25", "1.33"));
        // Or.
        assert!(admits(">=1.27.0-0 <1.29.0-0 || >=1.32.0-0", "1.33"));
        assert!(!admits(">=1.27.0-0 <1.29.0-0 || >=1.34.0-0", "1.33"));
        // Tilde, caret, wildcards, a v prefix, a bare version, hyphen ranges, !=.
        assert!(admits("~1.33.0", "1.33"));
        assert!(!admits("~1.32.0", "1.33"));
        assert!(admits("^1.20.0-0", "1.36"));
        assert!(admits("1.x", "1.33"));
        assert!(admits("1.33.x", "1.33"));
        assert!(!admits("1.32.X", "1.33"));
        assert!(admits("*", "1.33"));
        assert!(admits(">=v1.22.0", "1.33"));
        assert!(admits("1.33", "1.33"));
        assert!(!admits("1.32", "1.33"), "a bare version is equality, not ^");
        assert!(admits("1.25 - 1.33", "1.33"));
        assert!(!admits("1.25 - 1.32", "1.33"));
        assert!(!admits("!=1.33", "1.33"));
        assert!(admits(">=1.20 !=1.32", "1.33"));
        // A patch-level floor inside the target minor still admits it.
        assert!(admits(">=1.33.2-0", "1.33"));
    }

    #[test]
    fn bad_constraints_say_why() {
        for bad in [">=", "banana", ">=1.2 ||", "1.20 -", ">>1.2"] {
            assert!(KubeVersion::parse(bad).is_err(), "{bad}");
        }
    }

    fn encode(json: &str) -> String {
        use std::io::Write;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(json.as_bytes()).unwrap();
        STANDARD.encode(gz.finish().unwrap())
    }

    #[test]
    fn secrets_and_configmaps_decode() {
        let json = r#"{"name":"shop","namespace":"shop","version":2,"info":{"status":"deployed"},"chart":{"metadata":{"name":"shop","version":"1.2.2","kubeVersion":">=1.16.0-0"}},"manifest":"---\n# Source: shop/templates/a.yaml\nkind: X\n"}"#;
        let helm = encode(json);
        let secret: Value = serde_yaml::from_str(&format!(
            "apiVersion: v1\nkind: Secret\ntype: helm.sh/release.v1\nmetadata: {{name: sh.helm.release.v1.shop.v2, namespace: shop, labels: {{owner: helm}}}}\ndata: {{release: {}}}\n",
            STANDARD.encode(&helm)
        ))
        .unwrap();
        assert_eq!(record_storage(&secret), Some(Storage::Secret));
        let release = decode(&secret, Storage::Secret).unwrap();
        assert_eq!(release.name, "shop");
        assert_eq!(release.revision, 2);
        assert_eq!(release.status, "deployed");
        assert_eq!(release.chart, "shop-1.2.2");
        assert_eq!(release.kube_version.as_deref(), Some(">=1.16.0-0"));
        assert!(release.manifest.contains("# Source: shop/templates/a.yaml"));

        let configmap: Value = serde_yaml::from_str(&format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: shop.v2, namespace: shop, labels: {{owner: helm}}}}\ndata: {{release: {helm}}}\n"
        ))
        .unwrap();
        assert_eq!(record_storage(&configmap), Some(Storage::ConfigMap));
        assert_eq!(decode(&configmap, Storage::ConfigMap).unwrap(), release);

        // Helm reads records that are not gzipped, too.
        let plain: Value = serde_yaml::from_str(&format!(
            "kind: ConfigMap\nmetadata: {{labels: {{owner: helm}}}}\ndata: {{release: {}}}\n",
            STANDARD.encode(json)
        ))
        .unwrap();
        assert_eq!(decode(&plain, Storage::ConfigMap).unwrap(), release);

        let other: Value = serde_yaml::from_str("kind: Secret\ntype: Opaque\n").unwrap();
        assert_eq!(record_storage(&other), None);
    }

    #[test]
    fn each_broken_layer_is_named() {
        use std::io::Write;
        let record = |release: &str| -> Value {
            serde_yaml::from_str(&format!(
                "kind: Secret\ntype: helm.sh/release.v1\ndata: {{release: \"{release}\"}}\n"
            ))
            .unwrap()
        };
        let err = |v: &Value| decode(v, Storage::Secret).unwrap_err();
        assert!(err(&record("%%%")).contains("is not base64"));
        assert!(err(&record(&STANDARD.encode("%%%"))).contains("not Helm's base64"));
        let not_gzip = STANDARD.encode(STANDARD.encode([0x1f, 0x8b, 0x08, 0, 1, 2]));
        assert!(err(&record(&not_gzip)).contains("does not gunzip"));
        let not_json = STANDARD.encode(encode("{\"name\": 1}"));
        assert!(err(&record(&not_json)).contains("not Helm's JSON"));
        // A record that unpacks beyond the input limit (a gzip bomb) stops at the limit.
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        let chunk = vec![b' '; 1024 * 1024];
        for _ in 0..=MAX_INPUT_BYTES / (1024 * 1024) {
            gz.write_all(&chunk).unwrap();
        }
        let bomb = STANDARD.encode(STANDARD.encode(gz.finish().unwrap()));
        assert!(err(&record(&bomb)).contains("unpacks to more than 16 MiB"));
        let missing: Value =
            serde_yaml::from_str("kind: Secret\ntype: helm.sh/release.v1\n").unwrap();
        assert!(err(&missing).contains("no data.release"));
    }
}
