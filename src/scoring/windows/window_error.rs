//! Why window dates cannot be given: what, how to fix it, and its diagnostic code.

use crate::answers::calendar_spec::{Freeze, MAX_FREEZES, MAX_WINDOW_DATES};
use crate::base::date::Date;
use crate::base::diagnostic::Diagnostic;
use crate::base::diagnostic::code::Code;

/// The most windows one call dates: a weekly plan of about a century.
pub const MAX_WINDOWS: usize = 5_000;

/// Why window dates cannot be given. Each says what, and [`WindowError::fix`] how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WindowError {
    #[error("the plan needs {wanted} change windows; at most {MAX_WINDOWS} are dated")]
    TooManyWindows { wanted: usize },
    #[error("the list of window dates is empty")]
    NoDates,
    #[error("the calendar lists {listed} window dates; at most {MAX_WINDOW_DATES} are accepted")]
    TooManyDates { listed: usize },
    #[error("the calendar lists {listed} freezes; at most {MAX_FREEZES} are accepted")]
    TooManyFreezes { listed: usize },
    #[error("the freeze \"{}\" ends ({}) before it starts ({})", .freeze.reason, .freeze.to, .freeze.from)]
    FreezeBackwards { freeze: Freeze },
    #[error("{}", not_enough_dates(*.found, *.wanted, *.start, *.skipped, *.last))]
    NotEnoughDates {
        found: usize,
        wanted: usize,
        start: Date,
        skipped: usize,
        last: Date,
    },
    #[error("the freezes leave no change window from {from} to {to}, a year or more")]
    AllFrozen { from: Date, to: Date },
    #[error("the {plan} plan cannot be dated (every strategy is dated to compare them): {error}")]
    InPlan {
        /// The strategy's id.
        plan: &'static str,
        error: Box<WindowError>,
    },
    #[error(
        "the plan needs {wanted} change windows, and only {found} fall before {until}, as far as windows are dated"
    )]
    BeyondHorizon {
        found: usize,
        wanted: usize,
        until: Date,
    },
}

fn not_enough_dates(
    found: usize,
    wanted: usize,
    start: Date,
    skipped: usize,
    last: Date,
) -> String {
    let frozen = match skipped {
        0 => String::new(),
        1 => " (a freeze skipped 1)".to_string(),
        n => format!(" (freezes skipped {n})"),
    };
    if found == 0 && skipped == 0 {
        return format!(
            "none of the listed window dates is on or after {start}: the last is {last}"
        );
    }
    let dates = if found == 1 { "date" } else { "dates" };
    format!(
        "the listed window dates give {found} open {dates} from {start} on{frozen}, and the plan needs {wanted}"
    )
}

impl WindowError {
    /// How to fix it, in the words of the `calendar:` block.
    pub fn fix(&self) -> String {
        match self {
            WindowError::InPlan { error, .. } => error.fix(),
            WindowError::TooManyWindows { .. } => {
                "allow more clusters or changes in each window, or plan the estate in parts".into()
            }
            WindowError::NoDates | WindowError::NotEnoughDates { .. } => {
                "add later dates to `calendar.windows.dates`, or use a weekday rule such as `windows: {weekday: saturday, week: first}`".into()
            }
            WindowError::TooManyDates { .. } => {
                "list the windows of the next years only, or use a weekday rule".into()
            }
            WindowError::TooManyFreezes { .. } => {
                "join neighbouring freezes into one, or list only the next years'".into()
            }
            WindowError::FreezeBackwards { .. } => {
                "swap `from` and `to`: both days are in the freeze, `from` the first".into()
            }
            WindowError::AllFrozen { .. } => {
                "shorten or split the freezes under `calendar.freezes` so that windows remain, or book windows outside them".into()
            }
            WindowError::BeyondHorizon { .. } => {
                "book windows more often (`calendar.windows`), or plan the estate in parts".into()
            }
        }
    }

    pub fn code(&self) -> Code {
        match self {
            WindowError::InPlan { error, .. } => error.code(),
            WindowError::TooManyFreezes { .. }
            | WindowError::FreezeBackwards { .. }
            | WindowError::AllFrozen { .. } => Code::CalendarFreeze,
            _ => Code::CalendarWindow,
        }
    }

    /// The error as a diagnostic of the answers file (at `calendar`).
    pub fn diagnostic(&self) -> Diagnostic {
        Diagnostic::new(self.to_string())
            .at("`calendar`")
            .fix(self.fix())
            .code(self.code())
    }
}
