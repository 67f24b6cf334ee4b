//! Any bytes as a manifest file: the scanner skips what it cannot read and never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use upgrade_advisor::scan::model::{ScanOptions, SourceFile};
use upgrade_advisor::scan::scan;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let file = SourceFile {
        path: "fuzz.yaml".to_string(),
        raw_path: None,
        text: text.to_string(),
    };
    let report = scan(
        &[file],
        Vec::new(),
        ScanOptions {
            target: "1.33".parse().unwrap(),
            current: None,
        },
    );
    assert!(report.documents.read + report.documents.skipped <= 1 + text.len());
});
