//! A newer target, when the answered one is past its upstream end of life or reaches it
//! before production runs it: the newest release the data knows, and what each strategy
//! would take to reach it (assessed again with only the target changed).

use serde::Serialize;

use crate::answers::values::Answers;
use crate::base::date::Date;
use crate::checklist::model::Checklist;
use crate::checklist::strategy::Strategy;
use crate::checklist::value::AnswerValue;
use crate::kube::releases::SupportTable;
use crate::kube::version::Version;
use crate::scoring::assess;
use crate::scoring::assessment::Assessment;
use crate::scoring::windows::When;

/// The newest release the data knows, offered instead of a target past its end of life.
#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Serialize)]
pub struct NewerTarget {
    /// The answered target and its end of life.
    pub target: Version,
    pub target_end_of_life: Date,
    /// The newer target and its end of life.
    pub version: Version,
    pub end_of_life: Date,
    /// What the assessment recommends with the newer target.
    pub recommended: Strategy,
    /// Each possible strategy's figures with the newer target.
    pub strategies: Vec<NewerFigures>,
}

#[derive(schemars::JsonSchema, Debug, Clone, PartialEq, Serialize)]
pub struct NewerFigures {
    pub strategy: Strategy,
    /// The day production would run the newer target everywhere.
    pub target_date: Date,
    pub risky_changes: u64,
}

/// The newer target for `assessment` (of `answers`, dated on `when`), when its target is past
/// its end of life on `today`, or reaches it before the recommended plan puts production on
/// it; `None` otherwise, or when no newer release is known or the answers do not allow one.
pub fn newer_target(
    checklist: &Checklist,
    answers: &Answers,
    when: &When,
    assessment: &Assessment,
    today: Date,
) -> Option<NewerTarget> {
    let table = SupportTable::builtin();
    let target = assessment.path.to;
    let release = table.release(target)?;
    let reached = assessment
        .timeline_of(assessment.recommendation.strategy)?
        .target_date;
    if release.end_of_life >= today && release.end_of_life >= reached {
        return None;
    }
    let newest = table.releases.iter().max_by_key(|r| r.minor)?;
    if newest.minor <= target {
        return None;
    }
    let mut given = answers.given();
    given.insert(
        checklist.bindings.target_version.clone(),
        AnswerValue::Version(newest.minor),
    );
    let newer = Answers::resolve(checklist, given, &|_| None).ok()?;
    let again = assess(checklist, &newer, when).ok()?;
    Some(NewerTarget {
        target,
        target_end_of_life: release.end_of_life,
        version: newest.minor,
        end_of_life: newest.end_of_life,
        recommended: again.recommendation.strategy,
        strategies: again
            .timeline
            .iter()
            .filter(|t| t.ruled_out_by.is_none())
            .map(|t| NewerFigures {
                strategy: t.strategy,
                target_date: t.target_date,
                risky_changes: t.risky_changes,
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::values::AnswersFile;

    #[test]
    fn a_target_past_its_end_of_life_gets_the_newest_release_with_its_costs() {
        let checklist = Checklist::builtin("vks").unwrap();
        let text = include_str!("../../checklists/examples/case-study.yaml");
        let file = AnswersFile::parse(text, "case-study.yaml", &checklist).unwrap();
        let when = When::example();
        let a = assess(&checklist, &file.answers, &when).unwrap();
        // 1.33 reached its end of life on 2026-06-28.
        let today: Date = "2026-12-02".parse().unwrap();
        let newer = newer_target(&checklist, &file.answers, &when, &a, today).unwrap();
        assert_eq!(newer.target, Version::new(1, 33));
        assert!(newer.version > newer.target);
        assert!(newer.end_of_life > today);
        assert!(!newer.strategies.is_empty());
        let sequential = newer
            .strategies
            .iter()
            .find(|s| s.strategy == Strategy::Sequential)
            .unwrap();
        let now = a.timeline_of(Strategy::Sequential).unwrap();
        assert!(
            sequential.risky_changes > now.risky_changes,
            "more hops in place"
        );
        // Even before 1.33's end of life, a plan that puts production on it only after that
        // day gets the offer.
        let early: Date = "2026-01-01".parse().unwrap();
        let reached = a
            .timeline_of(a.recommendation.strategy)
            .unwrap()
            .target_date;
        assert!(reached > "2026-06-28".parse().unwrap());
        assert!(newer_target(&checklist, &file.answers, &when, &a, early).is_some());
    }
}
