//! The fleet's memo: each distinct set of answers (calendar and measured room) is assessed, searched and
//! offered a newer target once, however often the report passes over the fleet.

use std::cell::RefCell;
use std::collections::HashMap;
use std::convert::Infallible;
use std::rc::Rc;

use crate::answers::calendar_spec::CalendarSpec;
use crate::answers::values::{Answers, FleetAnswers};
use crate::checklist::model::Checklist;
use crate::plan::newer::NewerTarget;
use crate::scoring::assess;
use crate::scoring::assessment::Assessment;
use crate::scoring::whatif::{Analysis, analyse};
use crate::scoring::windows::When;
use crate::scoring::windows::window_error::WindowError;

/// Assessments and what-if analyses already made, by the answers they were made from. Both
/// are pure functions of the answers, and a fleet's environments mostly share them (the
/// defaults with a few answers of their own), so each distinct set of answers is assessed
/// and searched once, however often the report passes over the fleet.
pub struct Memo {
    /// Per environment (file order), where its answers' results are kept; `None` past
    /// [`MEMO_LIMIT`] distinct sets of answers.
    pub slots: Vec<Option<usize>>,
    pub known: RefCell<Vec<Known>>,
}

#[derive(Default)]
pub struct Known {
    pub assessment: Option<Rc<Assessment>>,
    pub analysis: Option<Rc<Analysis>>,
    pub newer: Option<Rc<Option<NewerTarget>>>,
}

/// The most distinct sets of answers the memo keeps; beyond it, answers are assessed each
/// time they are met, so a fleet whose environments all differ still runs in bounded memory.
pub const MEMO_LIMIT: usize = 4096;

impl Memo {
    /// Groups the environments by their answers and calendar (each hashed once here).
    pub fn new(fleet: &FleetAnswers) -> Memo {
        // Measured room changes the waves, so it is part of what an assessment is made from.
        type Key<'f> = (&'f Answers, Option<&'f CalendarSpec>, Option<u64>);
        let mut seen: HashMap<Key, usize> = HashMap::new();
        let slots = fleet
            .environments
            .iter()
            .map(|env| {
                let next = seen.len();
                let key = (
                    &env.file.answers,
                    env.file.calendar.as_ref(),
                    env.file.capacity_clusters(),
                );
                match seen.get(&key) {
                    Some(&slot) => Some(slot),
                    None if next < MEMO_LIMIT => {
                        seen.insert(key, next);
                        Some(next)
                    }
                    None => None,
                }
            })
            .collect();
        let known = std::iter::repeat_with(Known::default)
            .take(seen.len())
            .collect();
        Memo {
            slots,
            known: RefCell::new(known),
        }
    }

    /// The assessment of environment `env`, whose answers are `answers`, dated on `when`.
    pub fn assessment(
        &self,
        env: usize,
        checklist: &Checklist,
        answers: &Answers,
        when: &When,
    ) -> Result<Rc<Assessment>, WindowError> {
        self.get_or_make(
            env,
            |k| &mut k.assessment,
            || assess(checklist, answers, when).map(Rc::new),
        )
    }

    /// The what-if analysis of environment `env`, whose answers are `answers`.
    pub fn analysis(
        &self,
        env: usize,
        checklist: &Checklist,
        answers: &Answers,
        when: &When,
    ) -> Rc<Analysis> {
        let Ok(analysis) = self.get_or_make(
            env,
            |k| &mut k.analysis,
            || Ok::<_, Infallible>(Rc::new(analyse(checklist, answers, when))),
        );
        analysis
    }

    pub fn get_or_make<T, E>(
        &self,
        env: usize,
        slot: impl Fn(&mut Known) -> &mut Option<Rc<T>>,
        make: impl FnOnce() -> Result<Rc<T>, E>,
    ) -> Result<Rc<T>, E> {
        let Some(index) = self.slots[env] else {
            return make();
        };
        let mut known = self.known.borrow_mut();
        let kept = slot(&mut known[index]);
        if let Some(made) = kept {
            return Ok(made.clone());
        }
        let made = make()?;
        *kept = Some(made.clone());
        Ok(made)
    }
}
