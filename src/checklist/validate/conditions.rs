//! References between parts of the checklist, conditions, and the bounds on numbers.

use super::super::raw::{self, RawCondition};
use super::Validator;
use super::{MAX_THRESHOLD, MAX_WEIGHT};
use crate::checklist::condition::Condition;
use crate::checklist::model::MAX_LIMITED_CAPACITY_CLUSTERS;
use crate::checklist::model::MAX_ROLLBACK_HOLD_DAYS;
use crate::checklist::model::*;

impl Validator<'_> {
    /// Checks that a question id exists. Returns whether it does.
    pub(in crate::checklist) fn reference(&mut self, id: &str, at: &str) -> bool {
        if self.ids.contains_key(id) {
            return true;
        }
        let suggestion =
            crate::base::suggest::did_you_mean(id, self.ids.keys().map(String::as_str));
        self.problem(
            at.to_string(),
            id,
            format!("names the question `{id}`, which does not exist"),
            &suggestion.map_or(
                "name one of the checklist's question ids".to_string(),
                |s| format!("did you mean `{s}`?"),
            ),
        );
        false
    }

    /// Validates a condition. With `asker`, only questions before it may be read.
    pub(in crate::checklist) fn condition(
        &mut self,
        raw: RawCondition,
        at: &str,
        asker: Option<&str>,
    ) -> Condition {
        let RawCondition {
            question,
            equals,
            one_of,
            not_one_of,
            answered,
            all,
            any,
            fact,
            above,
            says,
        } = raw;
        let forms = [
            question.is_some(),
            all.is_some(),
            any.is_some(),
            fact.is_some(),
        ]
        .iter()
        .filter(|x| **x)
        .count();
        if forms != 1 {
            self.problem(
                at.to_string(),
                "when:",
                "a condition needs exactly one of `question`, `fact`, `all` or `any`".into(),
                "write `{ question: ID, equals: VALUE }`, `{ fact: removed_apis, above: 0 }`, `all: [...]` or `any: [...]`",
            );
            return Condition::All(Vec::new());
        }
        if let Some(fact) = fact {
            if asker.is_some() {
                self.problem(
                    at.to_string(),
                    fact.name(),
                    "a question's condition cannot read a computed fact".into(),
                    "use facts in gates, blockers, choice contexts and the decision only",
                );
            }
            let Some(above) = above else {
                self.problem(
                    at.to_string(),
                    fact.name(),
                    format!("the test on the fact `{}` needs `above: N`", fact.name()),
                    "add `above: 0` (holds when the fact is at least 1)",
                );
                return Condition::All(Vec::new());
            };
            return Condition::Fact { fact, above, says };
        }
        if above.is_some() {
            self.problem(
                at.to_string(),
                "above:",
                "`above` goes with `fact`".into(),
                "write `{ fact: removed_apis, above: 0 }`, or compare a question with `equals`",
            );
        }
        if let Some(any) = any {
            let inner = any
                .into_iter()
                .enumerate()
                .map(|(i, c)| self.condition(c, &format!("{at}.any[{i}]"), asker))
                .collect();
            return Condition::Any(inner);
        }
        if let Some(all) = all {
            let inner = all
                .into_iter()
                .enumerate()
                .map(|(i, c)| self.condition(c, &format!("{at}.all[{i}]"), asker))
                .collect();
            return Condition::All(inner);
        }
        let question = question.unwrap_or_default();
        let tests = [
            equals.is_some(),
            one_of.is_some(),
            not_one_of.is_some(),
            answered.is_some(),
        ]
        .iter()
        .filter(|x| **x)
        .count();
        if tests != 1 {
            self.problem(
                at.to_string(),
                &question,
                format!("the test on `{question}` needs exactly one of `equals`, `one_of`, `not_one_of` or `answered`"),
                "keep one test per condition; combine several with `all` or `any`",
            );
        }
        if !self.reference(&question, &format!("{at}.question")) {
            return Condition::All(Vec::new());
        }
        if let Some(asker) = asker
            && self.ids[&question] >= self.ids[asker]
        {
            self.problem(
                at.to_string(),
                &question,
                format!(
                    "the condition of `{asker}` reads `{question}`, which is not asked before it"
                ),
                "a question's condition may only read questions that come earlier in the checklist",
            );
        }
        if let Some(answered) = answered {
            return Condition::Answered { question, answered };
        }
        let (values, negate) = match (equals, one_of, not_one_of) {
            (Some(v), _, _) => (vec![v], false),
            (_, Some(v), _) => (v, false),
            (_, _, Some(v)) => (v, true),
            _ => (Vec::new(), false),
        };
        let target = &self.questions[self.ids[&question]];
        let known: Vec<String> = target.choices().iter().map(|c| c.value.clone()).collect();
        if !matches!(target.kind, QuestionKind::Choice { .. }) {
            self.problem(
                at.to_string(),
                &question,
                format!("`{question}` is a {} question; only choice questions can be compared to values", target.kind.name()),
                "compare a choice question, or test `answered: true`",
            );
        } else {
            for value in &values {
                if !known.contains(value)
                    && !self.broken_choices.contains(&format!("{question}/{value}"))
                {
                    self.problem(
                        at.to_string(),
                        &question,
                        format!(
                            "`{value}` is not a choice of `{question}` (choices: {})",
                            known.join(", ")
                        ),
                        "use one of the question's choice values",
                    );
                }
            }
        }
        Condition::OneOf {
            question,
            values,
            negate,
            says,
        }
    }

    /// Checks one weight against [`MAX_WEIGHT`].
    pub(in crate::checklist) fn weight(&mut self, weight: u32, at: &str, needle: &str) {
        if weight > MAX_WEIGHT {
            self.problem(
                at.to_string(),
                needle,
                format!("the weight {weight} is larger than {MAX_WEIGHT}"),
                &format!("use weights from 0 to {MAX_WEIGHT}; only their ratios matter"),
            );
        }
    }

    /// Checks that the decision's thresholds and the calendar's counts are in range.
    pub(in crate::checklist) fn bounds(
        &mut self,
        decision: &raw::RawDecision,
        calendar: &raw::RawCalendar,
    ) {
        let thresholds = [
            ("blue_green_margin", decision.blue_green_margin),
            ("confidence.high", decision.confidence.high),
            ("confidence.medium", decision.confidence.medium),
        ];
        for (name, value) in thresholds {
            if value.abs() > MAX_THRESHOLD {
                self.problem(
                    format!("decision.{name}"),
                    name.rsplit('.').next().unwrap_or(name),
                    format!("{value} is out of range"),
                    &format!("use a number from -{MAX_THRESHOLD} to {MAX_THRESHOLD}"),
                );
            }
        }
        let counts = [
            (
                "blue_green_build_changes",
                calendar.blue_green_build_changes,
            ),
            (
                "blue_green_decommission_changes",
                calendar.blue_green_decommission_changes,
            ),
            (
                "hybrid_decommission_changes",
                calendar.hybrid_decommission_changes,
            ),
        ];
        for (name, value) in counts {
            if value > 100 {
                self.problem(
                    format!("calendar.{name}"),
                    name,
                    format!("{value} is more than 100 changes"),
                    "use a number from 0 to 100",
                );
            }
        }
        let hold = calendar.rollback_hold_days;
        if hold > MAX_ROLLBACK_HOLD_DAYS {
            self.problem(
                "calendar.rollback_hold_days".to_string(),
                "rollback_hold_days",
                format!("{hold} days is more than a year"),
                &format!("use a number of days from 0 to {MAX_ROLLBACK_HOLD_DAYS}"),
            );
        }
        if let Some(n) = calendar.limited_capacity_clusters
            && !(1..=MAX_LIMITED_CAPACITY_CLUSTERS).contains(&n)
        {
            self.problem(
                "calendar.limited_capacity_clusters".to_string(),
                "limited_capacity_clusters",
                format!(
                    "{n} is not a number of clusters from 1 to {MAX_LIMITED_CAPACITY_CLUSTERS}"
                ),
                &format!("use a number from 1 to {MAX_LIMITED_CAPACITY_CLUSTERS}"),
            );
        }
    }
}
