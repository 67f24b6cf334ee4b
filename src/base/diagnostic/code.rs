//! Codes for the problems a [`super::Diagnostic`] reports, as cargo-deny gives its
//! diagnostics: each with a stable kebab-case id and a one-line description. Code (the edge,
//! tests) tells problems apart by their codes, never by the text of their messages, which
//! may be reworded. The codes are not shown in messages.

use std::fmt;

/// Declares [`Code`] from one table: variant, id, description.
macro_rules! codes {
    ($($(#[$doc:meta])* $variant:ident = $id:literal, $description:literal;)*) => {
        /// What kind of problem a diagnostic reports.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code {
            $($(#[$doc])* $variant,)*
        }

        impl Code {
            /// Every code, in the order of the table.
            pub const ALL: &[Code] = &[$(Code::$variant,)*];

            /// The stable kebab-case id, e.g. `unknown-question`.
            pub fn id(self) -> &'static str {
                match self {
                    $(Code::$variant => $id,)*
                }
            }

            /// What the code means, in one line.
            pub fn description(self) -> &'static str {
                match self {
                    $(Code::$variant => $description,)*
                }
            }
        }
    };
}

codes! {
    // Any YAML input: answers files, checklists, evidence, API data, manifests.
    ControlCharacter = "control-character", "a control character YAML does not allow (NUL, ESC, ...)";
    NestingTooDeep = "nesting-too-deep", "brackets or braces nest deeper than any real input does";
    YamlSyntax = "yaml-syntax", "the text is not valid YAML";
    YamlAliasExpansion = "yaml-alias-expansion", "YAML aliases expand too far (an alias bomb)";
    YamlTooDeep = "yaml-too-deep", "the YAML nests deeper than the parser allows";
    YamlUnknownKey = "yaml-unknown-key", "a key the format does not have";
    YamlMissingKey = "yaml-missing-key", "a key the format requires is missing";
    YamlWrongType = "yaml-wrong-type", "a value of the wrong type for its key";
    YamlSeveralDocuments = "yaml-several-documents", "the file holds more than one YAML document";
    YamlDuplicateKey = "yaml-duplicate-key", "a key appears twice in one mapping";
    YamlTabIndentation = "yaml-tab-indentation", "tabs indent a line";
    YamlMergeKey = "yaml-merge-key", "a YAML merge key (`<<`) that cannot be merged";
    YamlComplexKey = "yaml-complex-key", "a mapping key that is a list or a mapping, not a name";
    EmptyFile = "empty-file", "the answers file or checklist is empty";
    UnsafeText = "unsafe-text", "text holds a line break or control character where reports show one line";
    // Answers files and `--set`.
    AnswersShape = "answers-shape", "the answers file, its `answers` or its `context` is not a mapping, or there are no answers";
    AnswersUnknownKey = "answers-unknown-key", "a key the answers file does not take where it stands";
    WrongChecklist = "wrong-checklist", "the answers file names another checklist than the one in use";
    UnknownQuestion = "unknown-question", "an answer to a question the checklist does not have";
    BadValue = "bad-value", "an answer its question does not allow";
    MissingAnswer = "missing-answer", "a required question is not answered";
    ImpossibleUpgrade = "impossible-upgrade", "the target is below the current version, or across a major version";
    UnknownRelease = "unknown-release", "a version that is not a Kubernetes release";
    FleetNotAccepted = "fleet-not-accepted", "a fleet file given to a command that takes one environment";
    BadOverride = "bad-override", "a `--set` that is not ID=VALUE";
    // The `calendar:` block of an answers file, and the window dates made from it.
    CalendarShape = "calendar-shape", "`calendar` is not a mapping";
    CalendarWindow = "calendar-window", "`calendar.windows` is neither a weekday rule nor a list of dates, or gives too few windows for the plan";
    CalendarTimeZone = "calendar-time-zone", "`calendar.time_zone` is not a time zone of the IANA database";
    CalendarHold = "calendar-hold", "`calendar.rollback_hold_days` is not a number of days from 0 to 365";
    CalendarFreeze = "calendar-freeze", "a freeze without its dates or reason, or ending before it starts; too many freezes; freezes that leave no window for a year";
    // The `gates:` block of an answers file.
    AnswersGates = "answers-gates", "a `gates` limit that is not a number, out of bounds, or a key `gates` does not take";
    // The `capacity:` block of an answers file.
    AnswersCapacity = "answers-capacity", "a `capacity` room, headroom or price that is not a quantity or number, out of bounds, or a key `capacity` does not take";
    // `assess --freezes FILE.ics`.
    FreezeIcs = "freeze-ics", "an iCalendar file given to `--freezes` that cannot be read as blackout events";
    FreezeIcsTooMany = "freeze-ics-too-many", "an iCalendar file beyond the bounds: too large, too many events, or more freezes than a calendar may hold";
    // The `environments:` list of a fleet file.
    EnvironmentsShape = "environments-shape", "`environments` is not a list of mappings, is empty, or an environment's `answers` is not a mapping";
    TooManyEnvironments = "too-many-environments", "more environments than one file may list";
    EnvironmentName = "environment-name", "an environment without a name, or with another's name";
    SupervisorName = "supervisor-name", "a `supervisor` that is not a name, or differs from another only in case";
    SupervisorVersions = "supervisor-versions", "environments on one Supervisor disagree on its versions";
    // Evidence files (`--evidence`) and removed-API data (`--api-data`).
    EvidenceFormat = "evidence-format", "an evidence file is neither a scan report this version reads nor Pluto's JSON";
    EvidenceValue = "evidence-value", "evidence answers a question with a value the question does not allow";
    ApiDataRule = "api-data-rule", "an `--api-data` file breaks a rule of the removed-API format";
    // Checklists.
    ChecklistRule = "checklist-rule", "a checklist breaks a rule of the checklist format (ids, references, conditions, layers, runbook)";
    ChecklistSize = "checklist-size", "a checklist has more questions, choices, gates, blockers or signals than the limits allow";
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_kebab_case_and_described_in_one_line() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            let id = code.id();
            assert!(seen.insert(id), "{id} is used twice");
            assert!(
                !id.is_empty()
                    && !id.starts_with('-')
                    && !id.ends_with('-')
                    && !id.contains("--")
                    && id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{id} is not kebab-case"
            );
            let description = code.description();
            assert!(
                !description.is_empty() && !description.contains('\n'),
                "{id}: {description:?}"
            );
        }
    }

    /// The ids are stable: tests and scripts match on them. Change one only on purpose.
    #[test]
    fn ids_stay_what_they_are() {
        let table: Vec<String> = Code::ALL
            .iter()
            .map(|c| format!("{c}: {}", c.description()))
            .collect();
        insta::assert_snapshot!(table.join("\n"), @r#"
        control-character: a control character YAML does not allow (NUL, ESC, ...)
        nesting-too-deep: brackets or braces nest deeper than any real input does
        yaml-syntax: the text is not valid YAML
        yaml-alias-expansion: YAML aliases expand too far (an alias bomb)
        yaml-too-deep: the YAML nests deeper than the parser allows
        yaml-unknown-key: a key the format does not have
        yaml-missing-key: a key the format requires is missing
        yaml-wrong-type: a value of the wrong type for its key
        yaml-several-documents: the file holds more than one YAML document
        yaml-duplicate-key: a key appears twice in one mapping
        yaml-tab-indentation: tabs indent a line
        yaml-merge-key: a YAML merge key (`<<`) that cannot be merged
        yaml-complex-key: a mapping key that is a list or a mapping, not a name
        empty-file: the answers file or checklist is empty
        unsafe-text: text holds a line break or control character where reports show one line
        answers-shape: the answers file, its `answers` or its `context` is not a mapping, or there are no answers
        answers-unknown-key: a key the answers file does not take where it stands
        wrong-checklist: the answers file names another checklist than the one in use
        unknown-question: an answer to a question the checklist does not have
        bad-value: an answer its question does not allow
        missing-answer: a required question is not answered
        impossible-upgrade: the target is below the current version, or across a major version
        unknown-release: a version that is not a Kubernetes release
        fleet-not-accepted: a fleet file given to a command that takes one environment
        bad-override: a `--set` that is not ID=VALUE
        calendar-shape: `calendar` is not a mapping
        calendar-window: `calendar.windows` is neither a weekday rule nor a list of dates, or gives too few windows for the plan
        calendar-time-zone: `calendar.time_zone` is not a time zone of the IANA database
        calendar-hold: `calendar.rollback_hold_days` is not a number of days from 0 to 365
        calendar-freeze: a freeze without its dates or reason, or ending before it starts; too many freezes; freezes that leave no window for a year
        answers-gates: a `gates` limit that is not a number, out of bounds, or a key `gates` does not take
        answers-capacity: a `capacity` room, headroom or price that is not a quantity or number, out of bounds, or a key `capacity` does not take
        freeze-ics: an iCalendar file given to `--freezes` that cannot be read as blackout events
        freeze-ics-too-many: an iCalendar file beyond the bounds: too large, too many events, or more freezes than a calendar may hold
        environments-shape: `environments` is not a list of mappings, is empty, or an environment's `answers` is not a mapping
        too-many-environments: more environments than one file may list
        environment-name: an environment without a name, or with another's name
        supervisor-name: a `supervisor` that is not a name, or differs from another only in case
        supervisor-versions: environments on one Supervisor disagree on its versions
        evidence-format: an evidence file is neither a scan report this version reads nor Pluto's JSON
        evidence-value: evidence answers a question with a value the question does not allow
        api-data-rule: an `--api-data` file breaks a rule of the removed-API format
        checklist-rule: a checklist breaks a rule of the checklist format (ids, references, conditions, layers, runbook)
        checklist-size: a checklist has more questions, choices, gates, blockers or signals than the limits allow
        "#);
    }
}
