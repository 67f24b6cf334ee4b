//! Capacity as evidence (issue 23): resource quantities as dumps write them, parsed exactly and
//! checked against a second implementation.

use std::io::Write;
use std::process::{Command, Stdio};

use upgrade_advisor::kube::quantity::parse;

/// Quantities from every part of the grammar: signs, whole and fractional numbers, each SI and
/// binary suffix, and decimal exponents.
fn generated() -> Vec<String> {
    let numbers = [
        "0",
        "1",
        "7",
        "12",
        "250",
        "0.5",
        "1.25",
        ".5",
        "5.",
        "123456789",
        "0.0001",
        "3.14159",
        "1024",
        "0.001",
        "99.999",
    ];
    let suffixes = [
        "", "m", "k", "M", "G", "T", "P", "E", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "e0", "e3",
        "e-2", "E6", "e-9",
    ];
    let mut out = Vec::new();
    for sign in ["", "-", "+"] {
        for n in numbers {
            for s in suffixes {
                out.push(format!("{sign}{n}{s}"));
            }
        }
    }
    out
}

/// Python's `kubernetes.utils.parse_quantity` (the official client) gives each generated
/// quantity's exact value; ours, in milli-units rounded away from zero, is the same wherever
/// Python takes the text.
// A skipped oracle says so on standard error, naming what is missing.
#[allow(clippy::print_stderr)]
#[test]
fn quantities_agree_with_the_kubernetes_python_client() {
    let probe = Command::new("python3")
        .args(["-c", "from kubernetes.utils import parse_quantity"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!(
            "SKIPPED quantities_agree_with_the_kubernetes_python_client: needs python3 with the kubernetes client (pip install kubernetes)"
        );
        return;
    }
    let script = "import sys\n\
        from decimal import Decimal, ROUND_UP\n\
        from kubernetes.utils import parse_quantity\n\
        for line in sys.stdin:\n\
        \x20   text = line.rstrip('\\n')\n\
        \x20   try:\n\
        \x20       value = Decimal(parse_quantity(text))\n\
        \x20       print(int((value * 1000).to_integral_value(rounding=ROUND_UP)))\n\
        \x20   except Exception:\n\
        \x20       print('ERR')\n";
    let quantities = generated();
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{}\n", quantities.join("\n")).as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let answers = String::from_utf8(out.stdout).unwrap();
    let answers: Vec<&str> = answers.lines().collect();
    assert_eq!(answers.len(), quantities.len());
    let mut compared = 0;
    for (text, python) in quantities.iter().zip(answers) {
        if python == "ERR" {
            continue;
        }
        let ours =
            parse(text).unwrap_or_else(|e| panic!("{text:?}: Python takes it, we do not: {e}"));
        assert_eq!(ours.milli.to_string(), python, "{text}");
        compared += 1;
    }
    assert!(compared > quantities.len() / 2, "only {compared} compared");
}
