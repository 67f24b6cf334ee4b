//! Any bytes as an answers file: parse, and when it parses, assess.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use upgrade_advisor::answers::values::AnswersDocument;
use upgrade_advisor::checklist::model::Checklist;
use upgrade_advisor::scoring::assess;

fuzz_target!(|data: &[u8]| {
    static CHECKLIST: OnceLock<Checklist> = OnceLock::new();
    let checklist = CHECKLIST.get_or_init(|| Checklist::builtin("vks").unwrap());
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(AnswersDocument::Single(file)) =
        AnswersDocument::parse(text, "fuzz.yaml", checklist, &[], &[])
    {
        let when = upgrade_advisor::scoring::windows::When::example();
        let when = upgrade_advisor::scoring::windows::When {
            spec: file.calendar.clone(),
            ..when
        };
        // A calendar that cannot date the plans is an error, never a panic.
        if let Ok(assessment) = assess(checklist, &file.answers, &when) {
            assert_eq!(assessment.timeline.len(), 3);
        }
    }
});
