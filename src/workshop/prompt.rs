//! What the flow asks and what a person can answer: the [`Prompter`] trait the flow talks
//! through, one question to ask ([`Ask`]) and the replies ([`Reply`]).

use crate::answers::values::PartialAnswers;
use crate::checklist::model::Checklist;
use crate::checklist::model::Question;
use crate::checklist::model::QuestionKind;
use crate::checklist::value::AnswerValue;
use crate::kube::version::Version;

/// What the person did at a prompt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply<T> {
    Value(T),
    /// Left an optional question unanswered.
    Skip,
    /// Esc: go back one question.
    Back,
    /// Ctrl-C: pause, save and leave.
    Interrupt,
}

/// One question to ask, with everything a prompt shows.
#[derive(Debug, Clone)]
pub struct Ask<'a> {
    pub question: &'a Question,
    pub section: &'a str,
    /// 1-based position among the questions that apply, and their count.
    pub position: usize,
    pub total: usize,
    /// Pre-selected answer: the earlier or resumed one, else the checklist's default.
    pub default: Option<AnswerValue>,
    /// A version answer may not be below this (the current version, for a target).
    pub min_version: Option<(Version, String)>,
}

impl Ask<'_> {
    /// The progress mark shown on the prompt, e.g. `[7/22] Application readiness`.
    pub fn progress(&self) -> String {
        format!("[{}/{}] {}", self.position, self.total, self.section)
    }

    /// Parses typed text for an integer or version question. `Ok(None)` is an empty answer to
    /// an optional question. Errors are shown under the prompt.
    pub fn parse_text(&self, text: &str) -> Result<Option<AnswerValue>, String> {
        parse_text(self.question, self.min_version.as_ref(), text)
    }
}

pub(crate) fn parse_text(
    question: &Question,
    min_version: Option<&(Version, String)>,
    text: &str,
) -> Result<Option<AnswerValue>, String> {
    let text = text.trim();
    if text.is_empty() {
        return if question.required {
            Err(format!("An answer is needed: {}.", question.allowed()))
        } else {
            Ok(None)
        };
    }
    match &question.kind {
        QuestionKind::Integer { min, max } => {
            let n: u64 = text
                .parse()
                .map_err(|_| format!("\"{text}\" is not a whole number."))?;
            if n < *min || max.is_some_and(|m| n > m) {
                return Err(format!("{n} is out of range: {}.", question.allowed()));
            }
            Ok(Some(AnswerValue::Integer(n)))
        }
        QuestionKind::Version => {
            let v: Version = text
                .parse()
                .map_err(|e: crate::kube::version::VersionError| {
                    let mut message = e.to_string();
                    if let Some(first) = message.get(..1) {
                        message.replace_range(..1, &first.to_uppercase());
                    }
                    message
                })?;
            if let Some((min, from)) = min_version
                && v < *min
            {
                return Err(format!(
                    "{v} is below {min} ({from}); the target cannot be lower than the current version."
                ));
            }
            Ok(Some(AnswerValue::Version(v)))
        }
        QuestionKind::Choice { .. } => question
            .choice(text)
            .map(|c| Some(AnswerValue::Choice(c.value.clone())))
            .ok_or_else(|| format!("Answer {}.", question.allowed())),
    }
}

/// Asks questions and shows text. The flow only talks to the person through this.
pub trait Prompter {
    /// The title screen: what is about to happen and which keys do what.
    fn title(&mut self, checklist: &Checklist);
    /// Asks one checklist question.
    fn ask(&mut self, ask: &Ask) -> Reply<AnswerValue>;
    /// A free-text answer (report context, file names); `Skip` for empty input.
    fn text(&mut self, message: &str, help: &str, default: Option<&str>) -> Reply<String>;
    /// A yes/no decision.
    fn confirm(&mut self, message: &str, default: bool) -> Reply<bool>;
    /// Shows text (the recommendation, notes).
    fn show(&mut self, text: &str);
    /// Offers to work out the answer to `ask` from what is deployed instead of asking it by
    /// hand (`spare_capacity`, from cluster dumps and the stated room), with `answers` so
    /// far. `Skip` when the person declines or nothing can be measured here.
    fn measure(&mut self, _ask: &Ask, _answers: &PartialAnswers) -> Reply<Measured> {
        Reply::Skip
    }
}

/// An answer worked out from evidence: the value, offered as the default; what it rests
/// on, shown before the question; the room it was measured against, kept in the answers.
#[derive(Debug, Clone)]
pub struct Measured {
    pub value: AnswerValue,
    pub says: String,
    pub capacity: Option<crate::capacity::spec::CapacitySpec>,
}
