//! Converts the built-in checklists to JSON at build time. Start-up then parses JSON, which
//! costs a fraction of parsing the same YAML; the YAML stays the source of truth (it is what
//! `checklist show` prints, and what line numbers in messages refer to).

use std::path::PathBuf;

const BUILTIN: [&str; 2] = ["vks", "kubernetes"];

fn main() {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    for name in BUILTIN {
        let path = format!("checklists/{name}.yaml");
        println!("cargo::rerun-if-changed={path}");
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read the built-in checklist {path}: {e}"));
        let value: serde_json::Value = serde_yaml::from_str(&text)
            .unwrap_or_else(|e| panic!("the built-in checklist {path} is not plain YAML: {e}"));
        let json = serde_json::to_string(&value).expect("a JSON value serializes");
        std::fs::write(out.join(format!("{name}.json")), json)
            .unwrap_or_else(|e| panic!("cannot write {name}.json to OUT_DIR: {e}"));
    }
}
