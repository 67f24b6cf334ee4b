//! How large a checklist may be. Every decision evaluates the whole checklist, and an
//! assessment decides once per other choice of each answered question, so its work grows
//! with the square of the checklist's size; these limits keep one assessment well under a
//! second. The built-in checklists have about 30 questions, 70 choices, 4 gates, 14 blockers
//! and 2 signals.

use crate::base::diagnostic::code::Code;
use crate::base::diagnostic::{Diagnostic, find_key_line};
use crate::checklist::raw::RawChecklist;

/// The most questions a checklist may ask.
pub const MAX_QUESTIONS: usize = 200;
/// The most choices a checklist may offer, all questions together.
pub const MAX_CHOICES: usize = 500;
/// The most gates, blockers and signals a checklist may have, each.
pub const MAX_GATES: usize = 50;
pub const MAX_BLOCKERS: usize = 100;
pub const MAX_SIGNALS: usize = 50;

/// The limits the checklist goes past, one problem each; checked before anything else is
/// validated, so a huge checklist is refused at once.
pub fn size_problems(raw: &RawChecklist, source: &str) -> Vec<Diagnostic> {
    let questions: usize = raw.sections.iter().map(|s| s.questions.len()).sum();
    let choices: usize = raw
        .sections
        .iter()
        .flat_map(|s| &s.questions)
        .map(|q| q.choices.len())
        .sum();
    [
        ("sections", "questions", questions, MAX_QUESTIONS),
        ("sections", "choices", choices, MAX_CHOICES),
        ("gates", "gates", raw.gates.len(), MAX_GATES),
        ("blockers", "blockers", raw.blockers.len(), MAX_BLOCKERS),
        ("signals", "signals", raw.signals.len(), MAX_SIGNALS),
    ]
    .into_iter()
    .filter(|&(_, _, count, limit)| count > limit)
    .map(|(key, what, count, limit)| {
        Diagnostic::new(format!(
            "the checklist has {count} {what}; at most {limit} are allowed"
        ))
        .at(key)
        .line(find_key_line(source, key, 0))
        .fix(format!(
            "split it into smaller checklists (a checklist may have at most {MAX_QUESTIONS} questions, {MAX_CHOICES} choices, {MAX_GATES} gates, {MAX_BLOCKERS} blockers and {MAX_SIGNALS} signals)"
        ))
        .code(Code::ChecklistSize)
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checklist::BUILTIN;

    #[test]
    fn the_built_ins_are_well_within_the_limits() {
        for (name, yaml) in BUILTIN {
            let raw: RawChecklist = serde_yaml::from_str(yaml).unwrap();
            assert!(size_problems(&raw, yaml).is_empty(), "{name}");
            let questions: usize = raw.sections.iter().map(|s| s.questions.len()).sum();
            assert!(questions * 4 < MAX_QUESTIONS, "{name}");
        }
    }
}
