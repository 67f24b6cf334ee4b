//! Hostile scans: memory, quadratic reads, output amplification and links out of the tree.
//! Each test states the bound it proves; "fast" means under a second in a debug build.

use std::time::{Duration, Instant};

use crate::common::advisor;

/// Runs `scan` with `args` (and `stdin`), expecting success within a second; its stdout.
fn scans_fast(args: &[&std::ffi::OsStr], stdin: Vec<u8>) -> String {
    let started = Instant::now();
    let output = advisor()
        .arg("scan")
        .args(args)
        .write_stdin(stdin)
        .timeout(Duration::from_secs(30))
        .output()
        .unwrap();
    let took = started.elapsed();
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(took < Duration::from_secs(1), "{args:?} took {took:?}");
    String::from_utf8(output.stdout).unwrap()
}

fn deployment_json(i: usize) -> serde_json::Value {
    serde_json::json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": { "name": format!("web-{i}"), "namespace": "shop" },
        "spec": {
            "replicas": 1,
            "template": {
                "metadata": { "labels": { "app": format!("web-{i}") } },
                "spec": { "containers": [{ "name": "c", "readinessProbe": {}, "livenessProbe": {} }] }
            }
        }
    })
}

/// `kubectl get ... -o json | jq -c`: a List on one line. Each object's line was searched for
/// from the same place over the whole line, once per object (5,000 objects took 32 s in a
/// debug build, 2,000 objects 2.4 s); 2,000 objects now take 0.2 s, each at line 1.
#[test]
fn a_list_on_one_line_is_read_in_one_pass() {
    let items: Vec<serde_json::Value> = (0..2000).map(deployment_json).collect();
    let list = serde_json::json!({ "apiVersion": "v1", "kind": "List", "items": items });
    let text = serde_json::to_string(&list).unwrap();
    let out = scans_fast(
        &["-".as_ref(), "-f".as_ref(), "json".as_ref()],
        text.into_bytes(),
    );
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["documents"]["read"], 2000);
    let findings = json["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    assert!(findings.iter().all(|f| f["line"] == 1), "{findings:?}");
}

const CONFIGMAP: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n";

const CRONJOB: &str = "apiVersion: batch/v1beta1\nkind: CronJob\nmetadata: {name: old}\n";

/// The skipped entries' reasons, by path, of a scan's JSON.
fn skipped_reasons(json: &serde_json::Value) -> Vec<(String, String)> {
    json["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let text = |key: &str| s[key].as_str().unwrap().to_string();
            (text("path"), text("reason"))
        })
        .collect()
}

/// A link to `/` inside a scanned folder walked the whole filesystem, `/proc` and `/sys`
/// included. Now a link is followed only to a target inside the folder scanned; links out
/// of it are skipped with a note, and the scan is over at once.
#[cfg(unix)]
#[test]
fn links_out_of_the_scanned_folder_are_not_followed() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("elsewhere.yaml"), CRONJOB).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path();
    std::fs::create_dir(tree.join("apps")).unwrap();
    std::fs::write(tree.join("apps/old.yaml"), CRONJOB).unwrap();
    symlink("/", tree.join("root")).unwrap();
    symlink(outside.path(), tree.join("out")).unwrap();
    symlink(
        outside.path().join("elsewhere.yaml"),
        tree.join("elsewhere.yaml"),
    )
    .unwrap();
    // Inside the tree: followed.
    symlink(tree.join("apps/old.yaml"), tree.join("same.yaml")).unwrap();
    let out = scans_fast(
        &[tree.as_os_str(), "-f".as_ref(), "json".as_ref()],
        Vec::new(),
    );
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["documents"]["read"], 2, "{json}");
    let reasons = skipped_reasons(&json);
    for link in ["root", "out", "elsewhere.yaml"] {
        assert!(
            reasons.iter().any(|(path, reason)| path.ends_with(link)
                && reason.contains("outside the scanned folder")
                && reason.contains("not followed")),
            "{link}: {reasons:?}"
        );
    }
}

/// Special filesystems are never read, given on the command line or walked into.
#[cfg(target_os = "linux")]
#[test]
fn special_filesystems_are_never_read() {
    let started = Instant::now();
    for path in ["/proc", "/proc/self", "/sys/kernel"] {
        advisor()
            .args(["scan", path])
            .timeout(Duration::from_secs(30))
            .assert()
            .code(2)
            .stderr(predicates::str::contains("on a special filesystem"));
    }
    assert!(started.elapsed() < Duration::from_secs(1));
}

/// A million broken documents were each listed (1.5 million in 9 MB gave a 136 MB table, 2.1
/// GB of memory, or 212 MB of JSON). Now the first 100 are listed and the rest counted, in
/// every format: the table, markdown and JSON of 20,000 stay a few kilobytes.
#[test]
fn skipped_documents_are_listed_up_to_a_bound() {
    let mut text = "---\n1\n".repeat(20_000);
    text.push_str("---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n");
    let json: serde_json::Value = serde_json::from_str(&scans_fast(
        &["-".as_ref(), "-f".as_ref(), "json".as_ref()],
        text.clone().into_bytes(),
    ))
    .unwrap();
    assert_eq!(json["documents"]["skipped"], 20_000);
    assert_eq!(json["skipped"].as_array().unwrap().len(), 100);
    assert_eq!(json["skipped_not_listed"], 19_900);
    for format in ["table", "markdown", "json"] {
        let out = scans_fast(
            &["-".as_ref(), "-f".as_ref(), format.as_ref()],
            text.clone().into_bytes(),
        );
        assert!(out.len() < 40_000, "{format}: {} bytes", out.len());
        if format != "json" {
            assert!(
                out.contains("and 19900 more not listed (20000 skipped in all)"),
                "{format}: {out}"
            );
        }
    }
}

/// A Helm 3 release record, a Secret as `kubectl get secret -o yaml` shows it.
fn helm_secret(name: &str, kube_version: &str, manifest: &str) -> String {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;
    use std::io::Write;
    let release = serde_json::json!({
        "name": name,
        "namespace": "apps",
        "version": 1,
        "info": { "status": "deployed" },
        "chart": { "metadata": { "name": name, "version": "1.0.0", "kubeVersion": kube_version } },
        "manifest": manifest,
    });
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(release.to_string().as_bytes()).unwrap();
    let helm = STANDARD.encode(gz.finish().unwrap());
    format!(
        "apiVersion: v1\nkind: Secret\ntype: helm.sh/release.v1\nmetadata:\n  name: sh.helm.release.v1.{name}.v1\n  namespace: apps\n  labels: {{owner: helm}}\ndata:\n  release: {}\n",
        STANDARD.encode(helm)
    )
}

/// A chart's kubeVersion of 200,000 alternatives was echoed whole in its finding (a 36 KB
/// dump gave a 30 MB table); a broken one in its warning. A constraint is echoed now as its
/// first 100 characters and its length, and one longer than 4,096 characters is not parsed
/// at all (a warning says it was not checked).
#[test]
fn a_huge_kube_version_is_shortened_where_it_is_echoed() {
    let alternatives = "<1.1 || ".repeat(500);
    let dump = [
        helm_secret("old", &format!("{alternatives}<1.2"), CONFIGMAP),
        helm_secret("broken", &format!("|| {alternatives}<1.2"), CONFIGMAP),
        helm_secret("huge", &"<1.1 || ".repeat(20_000), CONFIGMAP),
    ]
    .join("---\n");
    for format in ["table", "markdown", "json", "sarif"] {
        let out = scans_fast(
            &["-".as_ref(), "-f".as_ref(), format.as_ref()],
            dump.clone().into_bytes(),
        );
        assert!(out.len() < 20_000, "{format}: {} bytes", out.len());
        // The table wraps it: the count and the words may be on two lines.
        assert!(out.contains("(4004"), "{format}: {out}");
        assert!(out.contains("characters in all"), "{format}: {out}");
        if format == "json" {
            assert!(out.contains("4007 characters in all"), "{out}");
            assert!(out.contains("longer than 4096 characters"), "{out}");
        }
    }
}

/// SARIF was built as a tree of JSON values, about 20 KB a finding (6,000 findings did not
/// fit in 120 MB of address space and aborted). Now its results are written one at a time
/// from the findings: the bound this proves is memory, 6,000 findings within 100 MB.
#[cfg(unix)]
#[test]
fn sarif_of_many_findings_fits_in_little_memory() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many.yaml");
    let text: String = (0..2000)
        .map(|i| {
            format!(
                "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: w{i}, namespace: shop}}\nspec:\n  replicas: 2\n  template:\n    metadata: {{labels: {{app: w{i}}}}}\n    spec:\n      containers: [{{name: c, image: x}}]\n"
            )
        })
        .collect();
    std::fs::write(&path, text).unwrap();
    let out = scan_within(100_000, &path, "sarif");
    let sarif: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 6000);
}

/// A file name that is not UTF-8 was written into SARIF with U+FFFD, naming no file; its URI
/// now percent-encodes the name's real bytes.
#[cfg(target_os = "linux")]
#[test]
fn sarif_names_a_file_whose_name_is_not_utf8() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.yaml");
    std::fs::write(dir.path().join(name), CRONJOB).unwrap();
    let out = scans_fast(
        &[dir.path().as_os_str(), "-f".as_ref(), "sarif".as_ref()],
        Vec::new(),
    );
    let sarif: serde_json::Value = serde_json::from_str(&out).unwrap();
    let uri = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
        ["artifactLocation"]["uri"]
        .as_str()
        .unwrap();
    assert!(uri.ends_with("/caf%E9.yaml"), "{uri}");
}

/// Scans `path` in `format` with at most `kilobytes` of address space (`ulimit -v`), expecting
/// success within 10 seconds; its stdout.
#[cfg(unix)]
fn scan_within(kilobytes: u32, path: &std::path::Path, format: &str) -> Vec<u8> {
    let started = Instant::now();
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v {kilobytes} && exec \"$0\" scan \"$1\" --format {format}"
        ))
        .arg(env!("CARGO_BIN_EXE_upgrade-advisor"))
        .arg(path)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(started.elapsed() < Duration::from_secs(10));
    output.stdout
}

/// Each deployed release's manifest was kept until every file was read (8 releases of 8 MiB
/// in a 120 KB dump did not fit in 90 MB of address space). Now each is read into its
/// objects when its record is, and dropped: the bound this proves is memory, the same dump
/// within 70 MB.
#[cfg(unix)]
#[test]
fn helm_manifests_are_read_one_at_a_time() {
    let manifest = format!("@{}", "x".repeat(8 * 1024 * 1024));
    let mut dump: Vec<String> = (0..8)
        .map(|i| helm_secret(&format!("big-{i}"), ">=1.20.0-0", &manifest))
        .collect();
    dump.push(CONFIGMAP.to_string());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dump.yaml");
    std::fs::write(&path, dump.join("---\n")).unwrap();
    let out = scan_within(70_000, &path, "json");
    let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let reasons = skipped_reasons(&json);
    assert_eq!(reasons.len(), 8, "{reasons:?}");
    assert!(
        reasons.iter().all(|(_, r)| r.contains("not valid YAML")),
        "{reasons:?}"
    );
}
