//! Building the report value: the assessment, the what-if search, the support windows, a newer
//! target where the target ends its life too soon, and the runbook, in one pure step.

use std::collections::BTreeMap;
use std::rc::Rc;

use crate::answers::values::AnswersFile;
use crate::capacity::cost::{StrategyCost, amount, largest_copies};
use crate::capacity::{CapacityReport, CapacityWhatIf};
use crate::checklist::model::Checklist;
use crate::checklist::raw::PhaseKind;
use crate::checklist::strategy::Strategy;
use crate::checklist::value::AnswerValue;
use crate::kube::releases::SupportTable;
use crate::plan::newer;
use crate::plan::runbook::model::RunbookPlan;
use crate::plan::runbook::runbook;
use crate::plan::support::warnings;
use crate::plan::{ChecklistInfo, Dates, Report, SCHEMA_VERSION, effective_answers_sha256};
use crate::scoring::assess;
use crate::scoring::assessment::Assessment;
use crate::scoring::probe::Probe;
use crate::scoring::whatif::{Analysis, analyse};
use crate::scoring::windows::window_error::WindowError;

impl<'a> Report<'a> {
    /// The whole report for one set of answers: assessment, what-if (when asked for) and
    /// support windows as of `dates.today`, dated on the file's `calendar:` from
    /// `dates.start`. Fails when that calendar cannot date the plans.
    pub fn build(
        checklist: &'a Checklist,
        file: &AnswersFile,
        dates: Dates,
        what_if: bool,
    ) -> Result<Self, WindowError> {
        let when = dates.when(file);
        let assessment = assess(checklist, &file.answers, &when)?;
        let analysis = what_if.then(|| Rc::new(analyse(checklist, &file.answers, &when)));
        let newer = newer::newer_target(checklist, &file.answers, &when, &assessment, dates.today);
        let mut report = Self::build_from(checklist, file, dates, Rc::new(assessment), analysis);
        report.newer_target = newer;
        Ok(report)
    }

    /// Like [`Report::build`], with the assessment and what-if analysis of `file.answers`
    /// already made (a fleet reuses them across environments that share answers).
    pub fn build_from(
        checklist: &'a Checklist,
        file: &AnswersFile,
        dates: Dates,
        assessment: Rc<Assessment>,
        analysis: Option<Rc<Analysis>>,
    ) -> Self {
        let sequential_target = assessment
            .timeline_of(Strategy::Sequential)
            .map_or(dates.start, |t| t.target_date);
        let support_warnings = warnings(
            SupportTable::builtin(),
            assessment.path.from,
            assessment.path.to,
            sequential_target,
            dates.today,
        );
        let answers: BTreeMap<String, AnswerValue> = file.answers.values().clone();
        let effective_answers_sha256 = effective_answers_sha256(&answers);
        let defaulted = answers
            .keys()
            .filter(|id| !file.answers.is_given(id))
            .cloned()
            .collect();
        let mut report = Report {
            schema_version: SCHEMA_VERSION,
            checklist: ChecklistInfo::of(checklist),
            context: file.context.clone(),
            assessment,
            analysis,
            support_warnings,
            newer_target: None,
            gates: file.gates.as_ref().map_or_else(
                || checklist.runbook.gates.clone(),
                |g| g.over(&checklist.runbook.gates),
            ),
            evidence: file.evidence.clone(),
            capacity: None,
            answers,
            defaulted,
            ignored: file.answers.ignored().to_vec(),
            answers_sha256: file.sha256.clone(),
            overrides: file.overrides.clone(),
            effective_answers_sha256,
            source: checklist,
            dates,
            runbook: RunbookPlan::default(),
        };
        report.capacity = file.capacity.as_deref().map(|c| {
            let mut c = with_costs(c.clone(), &report.assessment);
            c.what_if = one_more_copy(checklist, file, dates, &c, &report.assessment);
            c
        });
        report.runbook = runbook(&report, &report.schedule());
        report
    }
}

/// `capacity` with each parallel strategy's peak of extra room, from the first day its new
/// side is built to the day its old side is retired, and what that costs at the prices.
fn with_costs(mut capacity: CapacityReport, assessment: &Assessment) -> CapacityReport {
    let dumped_all = capacity.clusters.len() as u64 >= assessment.calendar.clusters;
    if dumped_all && capacity.waves.len() as u64 > assessment.calendar.batches {
        capacity.notes.push(format!(
            "the room holds the copies in {} waves, but the plan books {}: lower clusters_per_window, or free more room",
            capacity.waves.len(),
            assessment.calendar.batches
        ));
    }
    capacity.cost = [Strategy::BlueGreen, Strategy::Hybrid]
        .into_iter()
        .filter_map(|strategy| {
            let timeline = assessment.timeline_of(strategy)?;
            if timeline.peak_extra_clusters == 0 || timeline.ruled_out_by.is_some() {
                return None;
            }
            let from = timeline
                .phases
                .iter()
                .find(|p| matches!(p.kind, PhaseKind::Build | PhaseKind::Wave))
                .map(|p| p.first_day)?;
            let to = timeline.close_date;
            let days = (to.unix_days() - from.unix_days() + 1).max(1);
            let hours = u64::try_from(days).unwrap_or(0).saturating_mul(24);
            // A rotation holds one wave at a time: the largest packed wave is the peak.
            let rotates = timeline.phases.iter().any(|p| !p.rotation.is_empty());
            let largest = capacity.waves.iter().max_by_key(|w| w.needs);
            let (extra_clusters, (extra, extrapolated)) = match largest {
                Some(wave) if rotates => (wave.clusters.len() as u64, (wave.needs, false)),
                _ => (
                    timeline.peak_extra_clusters,
                    largest_copies(&capacity.clusters, timeline.peak_extra_clusters),
                ),
            };
            Some(StrategyCost {
                strategy: strategy.to_string(),
                extra_clusters,
                extra,
                extrapolated,
                from: from.to_string(),
                to: to.to_string(),
                hours,
                amount: capacity
                    .prices
                    .as_ref()
                    .and_then(|p| amount(p, capacity.room.as_ref(), &extra, hours)),
            })
        })
        .collect();
    capacity
}

/// What room for one more copy (the next one left out) would change: `spare_capacity` then
/// `yes` when every dumped cluster would fit, else still `limited` with one more at once,
/// and the strategy recommended then. `None` when every copy fits already, or the checklist
/// binds no `spare_capacity`.
fn one_more_copy(
    checklist: &Checklist,
    file: &AnswersFile,
    dates: Dates,
    capacity: &CapacityReport,
    assessment: &Assessment,
) -> Option<CapacityWhatIf> {
    capacity.next_copy.as_ref()?;
    let question = checklist.bindings.spare_capacity.as_deref()?;
    let fits = capacity.fits_clusters?.saturating_add(1);
    let seen = capacity.clusters.len() as u64;
    let value = if fits >= seen { "yes" } else { "limited" };
    let mut when = dates.when(file);
    when.capacity_clusters = Some(fits);
    let answer = AnswerValue::Choice(value.to_string());
    let decision = Probe::new(checklist, &file.answers, &when).decide(&[(question, &answer)])?;
    let now = assessment.recommendation.strategy;
    Some(CapacityWhatIf {
        fits_clusters: fits,
        spare_capacity: value.to_string(),
        strategy: decision.strategy.to_string(),
        changes_recommendation: decision.strategy != now,
    })
}
