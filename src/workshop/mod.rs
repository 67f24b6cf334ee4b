//! Workshop mode: the questionnaire flow, independent of any terminal.
//!
//! The flow decides what to ask, in which order, with which default; it follows conditions,
//! goes back on request and stops on interrupt with every answer kept. The asking itself is
//! behind [`Prompter`], so the flow is tested with a scripted fake and run with inquire.

mod layout;
pub mod prompt;
pub mod terminal;

use std::collections::BTreeMap;

use crate::answers::values::PartialAnswers;
use crate::checklist::model::Checklist;
use crate::checklist::model::DefaultValue;
use crate::checklist::model::Question;
use crate::checklist::value::AnswerValue;
use crate::kube::version::Version;
use prompt::{Ask, Prompter, Reply, parse_text};

/// How a walk through the checklist ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Every question that applies has an answer.
    Finished(PartialAnswers),
    /// Ctrl-C: the answers given so far.
    Interrupted(PartialAnswers),
}

/// The free-text context asked before the questions: key and prompt.
pub const CONTEXT_FIELDS: [(&str, &str); 2] = [
    (
        crate::answers::values::CONTEXT_SUBJECT,
        "Organization or customer, shown at the top of the report",
    ),
    ("environment", "Environment or platform being assessed"),
];

/// Walks the checklist from `start` (empty, or a resumed file). With a resumed file, only
/// questions without an answer are asked, unless the person chooses to review them all.
///
/// The steps are the context fields, then the questions. Esc goes back one step, as far as the
/// organization; walking forward again after going back asks every step up to the furthest one
/// reached, so nothing is skipped on the way back to where the person was.
pub fn walk(checklist: &Checklist, prompter: &mut dyn Prompter, start: PartialAnswers) -> Outcome {
    let mut progress = start;
    prompter.title(checklist);

    let resumed = !progress.given.is_empty();
    let mut review = !resumed;
    if resumed {
        let message = format!(
            "{} answers were loaded. Review them one by one? (No asks only what is missing)",
            progress.given.len()
        );
        match prompter.confirm(&message, false) {
            Reply::Value(yes) => review = yes,
            Reply::Interrupt => return Outcome::Interrupted(progress),
            Reply::Skip | Reply::Back => {}
        }
    }

    // Answers to questions that stopped applying are set aside, so they come back as the
    // default if the question applies again.
    let mut set_aside: BTreeMap<String, AnswerValue> = BTreeMap::new();
    let questions = &checklist.questions;
    let furthest_answered = questions
        .iter()
        .rposition(|q| progress.given.contains_key(&q.id))
        .unwrap_or(0);
    let first_question = CONTEXT_FIELDS.len();
    let steps = first_question + questions.len();
    let mut step = 0;
    // The furthest step asked in this walk: every step up to it is asked again on the way
    // forward after going back.
    let mut frontier: Option<usize> = None;
    // The number of questions that apply, as last shown: when an answer changes it, the
    // person is told, so that `[7/28]` after `[6/27]` is not a surprise.
    let mut last_total: Option<usize> = None;
    while step < steps {
        let retracing = frontier.is_some_and(|f| step <= f);
        if step < first_question {
            // A resumed walk asked for the context already; it comes back on review or Esc.
            if !review && !retracing {
                step += 1;
                continue;
            }
            frontier = frontier.max(Some(step));
            let (key, message) = CONTEXT_FIELDS[step];
            let current = progress.context.iter().position(|(k, _)| k == key);
            let default = current.map(|i| progress.context[i].1.clone());
            match prompter.text(
                message,
                "Free text; press Enter to leave it out.",
                default.as_deref(),
            ) {
                Reply::Value(value) => {
                    match current {
                        Some(i) => progress.context[i].1 = value,
                        None => progress.context.push((key.to_string(), value)),
                    }
                    step += 1;
                }
                Reply::Skip => {
                    if let Some(i) = current {
                        progress.context.remove(i);
                    }
                    step += 1;
                }
                Reply::Back if step == 0 => prompter.show("This is the first question."),
                Reply::Back => step -= 1,
                Reply::Interrupt => return Outcome::Interrupted(progress),
            }
            continue;
        }
        let index = step - first_question;
        let question = &questions[index];
        if !question.applies(&progress.given) {
            if let Some(value) = progress.given.remove(&question.id) {
                set_aside.insert(question.id.clone(), value);
            }
            step += 1;
            continue;
        }
        let min_version = min_version(checklist, question, &progress.given);
        let has_valid_answer = progress
            .given
            .get(&question.id)
            .is_some_and(|v| parse_text(question, min_version.as_ref(), &v.to_string()).is_ok());
        // Resuming without review: skip what is answered, and optional questions the person
        // already went past (they were left out on purpose).
        let went_past = !question.required && index < furthest_answered;
        if !review && !retracing && (has_valid_answer || went_past) {
            step += 1;
            continue;
        }
        frontier = frontier.max(Some(step));
        let default = progress
            .given
            .get(&question.id)
            .or_else(|| set_aside.get(&question.id))
            .cloned()
            .or_else(|| match &question.default {
                Some(DefaultValue::Value(v)) => Some(v.clone()),
                Some(DefaultValue::FromQuestion(from)) => progress.given.get(from).cloned(),
                None => None,
            });
        let applicable: Vec<usize> = (0..questions.len())
            .filter(|&i| questions[i].applies(&progress.given))
            .collect();
        if let Some(last) = last_total
            && last != applicable.len()
        {
            prompter.show(&total_changed(last, applicable.len()));
        }
        last_total = Some(applicable.len());
        let mut ask = Ask {
            question,
            section: &checklist.sections[question.section].title,
            position: applicable.iter().filter(|&&i| i <= index).count(),
            total: applicable.len(),
            default,
            min_version,
        };
        // Spare capacity can be measured instead of guessed: the measured answer becomes
        // the default, which the person still confirms or changes.
        if checklist.bindings.spare_capacity.as_deref() == Some(question.id.as_str()) {
            match prompter.measure(&ask, &progress) {
                Reply::Value(measured) => {
                    prompter.show(&measured.says);
                    ask.default = Some(measured.value);
                    if measured.capacity.is_some() {
                        progress.capacity = measured.capacity;
                    }
                }
                Reply::Interrupt => return Outcome::Interrupted(progress),
                Reply::Skip | Reply::Back => {}
            }
        }
        match prompter.ask(&ask) {
            Reply::Value(value) => {
                progress.given.insert(question.id.clone(), value);
                step += 1;
            }
            Reply::Skip => {
                progress.given.remove(&question.id);
                step += 1;
            }
            Reply::Back => {
                // The previous question that applies, answered or not, is asked again; from
                // the first question, the last context field.
                step = match applicable.iter().rev().find(|&&i| i < index) {
                    Some(&previous) => first_question + previous,
                    None => first_question - 1,
                };
            }
            Reply::Interrupt => return Outcome::Interrupted(progress),
        }
    }
    Outcome::Finished(progress)
}

/// The lowest version a version question may take: a target is not below its current version.
fn min_version(
    checklist: &Checklist,
    question: &Question,
    given: &BTreeMap<String, AnswerValue>,
) -> Option<(Version, String)> {
    let bindings = &checklist.bindings;
    let from = if question.id == bindings.target_version {
        Some(&bindings.current_version)
    } else {
        checklist
            .layers
            .iter()
            .find(|l| l.to.as_deref() == Some(question.id.as_str()))
            .and_then(|l| l.from.as_ref())
    }?;
    let version = given.get(from)?.as_version()?;
    Some((version, from.clone()))
}

/// What the walk says when an answer changes how many questions apply.
fn total_changed(was: usize, now: usize) -> String {
    let (more, fewer) = (now.saturating_sub(was), was.saturating_sub(now));
    let change = if more > 0 {
        format!(
            "{more} more {} now",
            if more == 1 {
                "question applies"
            } else {
                "questions apply"
            }
        )
    } else {
        format!(
            "{fewer} {} no longer",
            if fewer == 1 {
                "question applies"
            } else {
                "questions apply"
            }
        )
    };
    format!("That answer changes what is asked: {change} ({now} in all, was {was}).")
}

#[cfg(test)]
mod tests {
    use std::collections::VecDeque;

    use super::*;

    /// A prompter that replays a script and records what it was asked.
    #[derive(Default)]
    struct Scripted {
        replies: VecDeque<Reply<String>>,
        asked: Vec<String>,
        defaults: Vec<Option<String>>,
        progress: Vec<String>,
        shown: Vec<String>,
        /// Replies to the free-text prompts (organization, environment); Skip when empty.
        texts: VecDeque<Reply<String>>,
        /// The free-text prompts asked, with their defaults.
        texted: Vec<(String, Option<String>)>,
        /// What `measure` offers, when it offers anything.
        measured: Option<prompt::Measured>,
    }

    impl Scripted {
        fn new(replies: &[&str]) -> Self {
            let replies = replies
                .iter()
                .map(|r| match *r {
                    "<esc>" => Reply::Back,
                    "<ctrl-c>" => Reply::Interrupt,
                    "<skip>" => Reply::Skip,
                    other => Reply::Value(other.to_string()),
                })
                .collect();
            Scripted {
                replies,
                ..Default::default()
            }
        }

        fn next(&mut self) -> Reply<String> {
            self.replies
                .pop_front()
                .expect("the script ran out of replies")
        }
    }

    impl Prompter for Scripted {
        fn title(&mut self, _: &Checklist) {}

        fn ask(&mut self, ask: &Ask) -> Reply<AnswerValue> {
            self.asked.push(ask.question.id.clone());
            self.defaults
                .push(ask.default.as_ref().map(ToString::to_string));
            self.progress.push(ask.progress());
            match self.next() {
                Reply::Value(text) => match ask.parse_text(&text) {
                    Ok(Some(v)) => Reply::Value(v),
                    Ok(None) => Reply::Skip,
                    Err(e) => panic!("{}: {e}", ask.question.id),
                },
                Reply::Back => Reply::Back,
                Reply::Skip => Reply::Skip,
                Reply::Interrupt => Reply::Interrupt,
            }
        }

        fn text(&mut self, message: &str, _: &str, default: Option<&str>) -> Reply<String> {
            self.texted
                .push((message.to_string(), default.map(str::to_string)));
            self.texts.pop_front().unwrap_or(Reply::Skip)
        }

        fn confirm(&mut self, _: &str, default: bool) -> Reply<bool> {
            match self.next() {
                Reply::Value(v) => Reply::Value(v == "yes"),
                Reply::Interrupt => Reply::Interrupt,
                _ => Reply::Value(default),
            }
        }

        fn show(&mut self, text: &str) {
            self.shown.push(text.to_string());
        }

        fn measure(&mut self, _: &Ask, _: &PartialAnswers) -> Reply<prompt::Measured> {
            self.measured.clone().map_or(Reply::Skip, Reply::Value)
        }
    }

    fn vks() -> Checklist {
        Checklist::builtin("vks").unwrap()
    }

    /// A resumed file holding these version answers.
    fn saved(versions: &[(&str, &str)]) -> PartialAnswers {
        PartialAnswers {
            given: versions
                .iter()
                .map(|(id, v)| (id.to_string(), AnswerValue::Version(v.parse().unwrap())))
                .collect(),
            ..PartialAnswers::default()
        }
    }

    /// Replies for every question of the case study, stateless so stateful_strategy is skipped.
    const STATELESS: &[&str] = &[
        "1.30", "1.33", "6", "<skip>", "<skip>", "most", "partly", "partly", "none", "yes",
        "monthly", "1", "heavy", "2", "<skip>", "<skip>", "<skip>", "limited", "no", "yes",
        "<skip>", "<skip>", "<skip>", "weighted", "yes", "no", "gitops",
    ];

    fn given(outcome: &Outcome) -> &BTreeMap<String, AnswerValue> {
        match outcome {
            Outcome::Finished(p) | Outcome::Interrupted(p) => &p.given,
        }
    }

    /// The total in `[n/total]` moves only when an answer changes what applies, and the walk
    /// says so when it does; a walk whose answers change nothing says nothing.
    /// A measured spare capacity is shown with what it rests on and offered as the default of
    /// the question, which is still asked; the room it was measured against is kept.
    #[test]
    fn a_measured_answer_is_shown_and_becomes_the_default() {
        let mut fake = Scripted::new(STATELESS);
        fake.measured = Some(prompt::Measured {
            value: AnswerValue::Choice("no".to_string()),
            says: "Measured from 3 cluster dumps: spare_capacity no".to_string(),
            capacity: Some(crate::capacity::spec::CapacitySpec::default()),
        });
        let outcome = walk(&vks(), &mut fake, PartialAnswers::default());
        let at = fake
            .asked
            .iter()
            .position(|q| q == "spare_capacity")
            .unwrap();
        assert_eq!(fake.defaults[at].as_deref(), Some("no"));
        assert!(fake.shown.iter().any(|s| s.starts_with("Measured from 3")));
        let Outcome::Finished(progress) = outcome else {
            panic!("the walk finished")
        };
        assert!(progress.capacity.is_some());
    }

    #[test]
    fn a_changed_total_is_explained() {
        let mut quiet = Scripted::new(STATELESS);
        walk(&vks(), &mut quiet, PartialAnswers::default());
        assert!(quiet.shown.is_empty(), "{:?}", quiet.shown);
        assert!(
            quiet.progress.iter().all(|p| p.contains("/27]")),
            "{:?}",
            quiet.progress
        );

        // A Supervisor version brings its target question in.
        let mut replies = STATELESS.to_vec();
        replies[3] = "1.29";
        replies.insert(4, "1.30");
        let mut fake = Scripted::new(&replies);
        walk(&vks(), &mut fake, PartialAnswers::default());
        assert_eq!(fake.progress[3], "[4/27] Platform and scale");
        assert_eq!(fake.progress[4], "[5/28] Platform and scale");
        assert_eq!(
            fake.shown,
            ["That answer changes what is asked: 1 more question applies now (28 in all, was 27)."]
        );
        let totals: Vec<&str> = fake
            .progress
            .iter()
            .map(|p| &p[p.find('/').unwrap()..])
            .collect();
        assert!(
            totals[4..].iter().all(|t| t.starts_with("/28]")),
            "{totals:?}"
        );
    }

    #[test]
    fn a_full_walk_skips_questions_whose_condition_does_not_hold() {
        let mut fake = Scripted::new(STATELESS);
        let outcome = walk(&vks(), &mut fake, PartialAnswers::default());
        assert!(matches!(outcome, Outcome::Finished(_)));
        assert!(!fake.asked.contains(&"stateful_strategy".to_string()));
        assert!(
            !fake
                .asked
                .contains(&"supervisor_target_version".to_string()),
            "no Supervisor version, no target"
        );
        assert_eq!(given(&outcome).len(), 19);
        assert_eq!(fake.progress[5], "[6/27] Application readiness");
        // The defaults offered: changes_per_window 1, clusters_per_window = cluster_count.
        let at = |id: &str| fake.asked.iter().position(|a| a == id).unwrap();
        assert_eq!(
            fake.defaults[at("changes_per_window")].as_deref(),
            Some("1")
        );
        assert_eq!(
            fake.defaults[at("clusters_per_window")].as_deref(),
            Some("6")
        );
    }

    #[test]
    fn a_condition_that_starts_to_hold_asks_its_question() {
        let mut replies = STATELESS.to_vec();
        replies[8] = "some";
        replies.extend(["replication", "<skip>"]);
        let mut fake = Scripted::new(&replies);
        let outcome = walk(&vks(), &mut fake, PartialAnswers::default());
        assert_eq!(
            fake.asked.iter().rev().nth(1).map(String::as_str),
            Some("stateful_strategy")
        );
        assert_eq!(
            given(&outcome)["stateful_strategy"],
            AnswerValue::Choice("replication".into())
        );
    }

    #[test]
    fn esc_goes_back_one_question_and_keeps_the_answers() {
        let mut replies = STATELESS[..3].to_vec();
        // At supervisor_version, go back to cluster_count and change 6 to 8.
        replies.extend(["<esc>", "8"]);
        replies.extend(&STATELESS[3..]);
        let mut fake = Scripted::new(&replies);
        let outcome = walk(&vks(), &mut fake, PartialAnswers::default());
        assert_eq!(
            &fake.asked[2..5],
            ["cluster_count", "supervisor_version", "cluster_count"]
        );
        assert_eq!(
            fake.defaults[4].as_deref(),
            Some("6"),
            "the earlier answer is the default"
        );
        assert_eq!(given(&outcome)["cluster_count"], AnswerValue::Integer(8));
    }

    #[test]
    fn esc_from_the_first_question_goes_back_to_the_context() {
        let mut replies = vec!["<esc>"];
        replies.extend(STATELESS);
        let mut fake = Scripted::new(&replies);
        fake.texts = VecDeque::from([
            Reply::Value("Acme".into()),
            Reply::Value("prod".into()),
            // Esc at the first question: the environment again, then the organization.
            Reply::Back,
            Reply::Back,
            Reply::Value("Acme Corp".into()),
            Reply::Value("production".into()),
        ]);
        let Outcome::Finished(done) = walk(&vks(), &mut fake, PartialAnswers::default()) else {
            panic!("interrupted")
        };
        let asked: Vec<&str> = fake.texted.iter().map(|(m, _)| &m[..12]).collect();
        assert_eq!(
            asked,
            [
                "Organization",
                "Environment ",
                "Environment ",
                "Organization",
                "Organization",
                "Environment "
            ]
        );
        // Each context field offers what was typed before.
        assert_eq!(fake.texted[2].1.as_deref(), Some("prod"));
        assert_eq!(fake.texted[4].1.as_deref(), Some("Acme"));
        assert_eq!(fake.shown, ["This is the first question."]);
        assert_eq!(&fake.asked[..2], ["current_version", "current_version"]);
        assert_eq!(
            done.context,
            [
                ("organization".to_string(), "Acme Corp".to_string()),
                ("environment".to_string(), "production".to_string())
            ]
        );
    }

    #[test]
    fn after_a_resume_going_back_and_forward_again_skips_nothing() {
        // Saved: the versions, the count and the restart tolerance; the Supervisor and VKS
        // versions were left out on purpose.
        let mut saved = saved(&[("current_version", "1.30"), ("target_version", "1.33")]);
        saved
            .given
            .insert("cluster_count".into(), AnswerValue::Integer(6));
        saved.given.insert(
            "rolling_restart_tolerance".into(),
            AnswerValue::Choice("most".into()),
        );
        // No review; at pdbs_and_probes go back three times, then forward again.
        let mut replies = vec!["no", "<esc>", "<esc>", "<esc>", "<skip>", "<skip>", "all"];
        replies.extend(&STATELESS[6..]);
        let mut fake = Scripted::new(&replies);
        let outcome = walk(&vks(), &mut fake, saved);
        assert!(matches!(outcome, Outcome::Finished(_)));
        assert_eq!(
            &fake.asked[..8],
            [
                "pdbs_and_probes",
                "rolling_restart_tolerance",
                "vks_version",
                "supervisor_version",
                // Forward again: every question on the way back to pdbs_and_probes.
                "vks_version",
                "rolling_restart_tolerance",
                "pdbs_and_probes",
                "deprecated_apis",
            ]
        );
        assert_eq!(
            given(&outcome)["rolling_restart_tolerance"],
            AnswerValue::Choice("all".into())
        );
    }

    #[test]
    fn an_answer_that_stops_applying_is_not_kept() {
        let mut replies = STATELESS.to_vec();
        replies[8] = "some";
        replies.extend(["backup-restore", "<skip>", "<skip>"]);
        let mut fake = Scripted::new(&replies);
        let Outcome::Finished(mut done) = walk(&vks(), &mut fake, PartialAnswers::default()) else {
            panic!("interrupted")
        };
        // The workloads turn out to be stateless after all: the stateful plan no longer applies.
        done.given.insert(
            "stateful_workloads".into(),
            AnswerValue::Choice("none".into()),
        );
        let mut resumed = Scripted::new(&["no"]);
        let Outcome::Finished(after) = walk(&vks(), &mut resumed, done) else {
            panic!()
        };
        assert!(resumed.asked.is_empty());
        assert!(!after.given.contains_key("stateful_strategy"));
    }

    #[test]
    fn ctrl_c_returns_everything_answered_so_far() {
        let mut fake = Scripted::new(&["1.30", "1.33", "4", "<ctrl-c>"]);
        let outcome = walk(&vks(), &mut fake, PartialAnswers::default());
        let Outcome::Interrupted(progress) = outcome else {
            panic!("not interrupted")
        };
        assert_eq!(progress.given.len(), 3);
        assert_eq!(progress.given["cluster_count"], AnswerValue::Integer(4));
    }

    #[test]
    fn resume_asks_only_what_is_missing() {
        let mut first =
            Scripted::new(&["1.30", "1.33", "4", "<skip>", "<skip>", "all", "<ctrl-c>"]);
        let Outcome::Interrupted(saved) = walk(&vks(), &mut first, PartialAnswers::default())
        else {
            panic!()
        };
        let mut replies = vec!["no"];
        replies.extend(&STATELESS[6..]);
        let mut second = Scripted::new(&replies);
        let outcome = walk(&vks(), &mut second, saved);
        assert!(matches!(outcome, Outcome::Finished(_)));
        assert_eq!(second.asked[0], "pdbs_and_probes");
        assert_eq!(
            given(&outcome)["rolling_restart_tolerance"],
            AnswerValue::Choice("all".into())
        );
    }

    #[test]
    fn resume_with_review_asks_everything_with_the_saved_defaults() {
        let saved = saved(&[("current_version", "1.29")]);
        let mut replies = vec!["yes"];
        replies.extend(STATELESS);
        let mut fake = Scripted::new(&replies);
        walk(&vks(), &mut fake, saved);
        assert_eq!(fake.asked[0], "current_version");
        assert_eq!(fake.defaults[0].as_deref(), Some("1.29"));
    }

    #[test]
    fn esc_from_the_first_missing_question_reaches_resumed_answers() {
        let saved = saved(&[("current_version", "1.30"), ("target_version", "1.33")]);
        let mut replies = vec!["no", "<esc>", "1.34"];
        replies.extend(&STATELESS[2..]);
        let mut fake = Scripted::new(&replies);
        let outcome = walk(&vks(), &mut fake, saved);
        assert_eq!(
            &fake.asked[..3],
            ["cluster_count", "target_version", "cluster_count"]
        );
        assert_eq!(
            given(&outcome)["target_version"],
            AnswerValue::Version(Version::new(1, 34))
        );
    }

    #[test]
    fn typed_versions_and_numbers_are_validated_with_a_message() {
        let c = vks();
        let target = c.question("target_version").unwrap();
        let min = (Version::new(1, 30), "current_version".to_string());
        assert_eq!(
            parse_text(target, Some(&min), "v1.33"),
            Ok(Some(AnswerValue::Version(Version::new(1, 33))))
        );
        let low = parse_text(target, Some(&min), "1.29").unwrap_err();
        assert!(
            low.contains("1.29 is below 1.30 (current_version)"),
            "{low}"
        );
        assert!(
            parse_text(target, None, "1.x")
                .unwrap_err()
                .starts_with("\"1.x\" is not a version")
        );
        assert!(
            parse_text(target, None, "")
                .unwrap_err()
                .contains("An answer is needed")
        );
        let count = c.question("cluster_count").unwrap();
        assert!(
            parse_text(count, None, "0")
                .unwrap_err()
                .contains("out of range")
        );
        assert!(
            parse_text(count, None, "two")
                .unwrap_err()
                .contains("not a whole number")
        );
        let optional = c.question("supervisor_version").unwrap();
        assert_eq!(parse_text(optional, None, " "), Ok(None));
    }

    #[test]
    fn an_invalid_resumed_answer_is_asked_again() {
        let saved = saved(&[("current_version", "1.30"), ("target_version", "1.28")]);
        let mut replies = vec!["no"];
        replies.extend(&STATELESS[1..]);
        let mut fake = Scripted::new(&replies);
        walk(&vks(), &mut fake, saved);
        assert_eq!(fake.asked[0], "target_version");
    }
}
