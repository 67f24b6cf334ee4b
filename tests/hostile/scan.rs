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
