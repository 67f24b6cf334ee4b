//! Any bytes as a checklist: validation must report problems, never panic or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use upgrade_advisor::checklist::model::Checklist;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = Checklist::from_yaml(text, "fuzz.yaml");
    }
});
