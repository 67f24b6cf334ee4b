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
/// debug build); 3,000 objects now take a fraction of a second, each at line 1.
#[test]
fn a_list_on_one_line_is_read_in_one_pass() {
    let items: Vec<serde_json::Value> = (0..3000).map(deployment_json).collect();
    let list = serde_json::json!({ "apiVersion": "v1", "kind": "List", "items": items });
    let text = serde_json::to_string(&list).unwrap();
    let out = scans_fast(
        &["-".as_ref(), "-f".as_ref(), "json".as_ref()],
        text.into_bytes(),
    );
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["documents"]["read"], 3000);
    let findings = json["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    assert!(findings.iter().all(|f| f["line"] == 1), "{findings:?}");
}

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
