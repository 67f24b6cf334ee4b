//! The optional `gates:` block of an answers file: the go/no-go limits a team sets for its own
//! runbook, over the checklist's `runbook.gates`. Every key is optional; each is bounded as
//! the checklist's are, and a wrong one names its line and how to fix it.

use serde_yaml::Value;

use super::read::{describe, key_text};
use super::values::GateOverrides;
use crate::base::diagnostic::code::Code;
use crate::base::diagnostic::{Diagnostic, KeyLines};
use crate::checklist::steps::GateLimits;

/// The keys a `gates:` block takes.
pub const GATE_KEYS: [&str; 5] = [
    "error_rate_increase_pct",
    "latency_p99_increase_pct",
    "soak_minutes",
    "abort_after_minutes",
    "traffic_steps",
];

/// Reads the `gates:` block at `line` (1-based), pushing what is wrong to `problems`.
pub fn gates_block(
    value: &Value,
    keys: &KeyLines,
    line: Option<usize>,
    problems: &mut Vec<Diagnostic>,
) -> Option<GateOverrides> {
    let fail = |message: String, at: &str, at_line: Option<usize>| {
        Diagnostic::new(message)
            .at(format!("`gates{at}`"))
            .line(at_line)
            .code(Code::AnswersGates)
    };
    let map = match value {
        Value::Null => return None,
        Value::Mapping(map) => map,
        other => {
            problems.push(
                fail(
                    format!("`gates` must be a mapping, not {}", describe(other)),
                    "",
                    line,
                )
                .fix("write e.g. `gates:` then `  soak_minutes: 30` on the next line"),
            );
            return None;
        }
    };
    let before = problems.len();
    let mut out = GateOverrides::default();
    for (key, value) in map {
        let key = key_text(key);
        let at = format!(".{key}");
        let key_line = keys.find(&key, line.unwrap_or(0)).or(line);
        let number = || value.as_f64().filter(|v| v.is_finite());
        let minutes = || value.as_u64().and_then(|m| u32::try_from(m).ok());
        match key.as_str() {
            "error_rate_increase_pct" => out.error_rate_increase_pct = number(),
            "latency_p99_increase_pct" => out.latency_p99_increase_pct = number(),
            "soak_minutes" => out.soak_minutes = minutes(),
            "abort_after_minutes" => out.abort_after_minutes = minutes(),
            "traffic_steps" => {
                out.traffic_steps = value.as_sequence().and_then(|items| {
                    items
                        .iter()
                        .map(|i| i.as_u64().and_then(|n| u32::try_from(n).ok()))
                        .collect()
                })
            }
            other => {
                let hint = crate::base::suggest::did_you_mean(other, GATE_KEYS);
                problems.push(
                    fail(format!("`gates` has no key `{other}`"), &at, key_line).fix(
                        hint.map_or(format!("the keys are {}", GATE_KEYS.join(", ")), |s| {
                            format!("did you mean `{s}`?")
                        }),
                    ),
                );
                continue;
            }
        }
        let read = match key.as_str() {
            "error_rate_increase_pct" => out.error_rate_increase_pct.is_some(),
            "latency_p99_increase_pct" => out.latency_p99_increase_pct.is_some(),
            "soak_minutes" => out.soak_minutes.is_some(),
            "abort_after_minutes" => out.abort_after_minutes.is_some(),
            _ => out.traffic_steps.is_some(),
        };
        if !read {
            let want = match key.as_str() {
                "traffic_steps" => "a list of whole per cents, e.g. `[5, 25, 50, 100]`",
                "soak_minutes" | "abort_after_minutes" => "a whole number of minutes",
                _ => "a number of per cent, e.g. `0.5`",
            };
            problems.push(
                fail(
                    format!("`{key}` is {}, not {want}", describe(value)),
                    &at,
                    key_line,
                )
                .fix(format!(
                    "give `{key}` {want}, or leave it out for the checklist's"
                )),
            );
        }
    }
    if problems.len() > before {
        return None;
    }
    // The bounds are the checklist's: a limit a gate can measure, minutes up to a week.
    for problem in out.over(&GateLimits::default()).problems() {
        // Each problem names its key first, in backticks: point at that key's line.
        let key = problem.split('`').nth(1).unwrap_or_default();
        let key_line = keys.find(key, line.unwrap_or(0)).or(line);
        problems.push(fail(problem.to_string(), &format!(".{key}"), key_line).fix(
            "write e.g. `error_rate_increase_pct: 0.5`, `soak_minutes: 60`, `traffic_steps: [5, 25, 50, 100]`",
        ));
    }
    (problems.len() == before).then_some(out)
}

/// The block as answers-file YAML that [`gates_block`] reads back to the same value.
pub fn gates_yaml(g: &GateOverrides) -> String {
    let mut out = String::from("gates:\n");
    let mut line = |key: &str, value: String| out.push_str(&format!("  {key}: {value}\n"));
    if let Some(v) = g.error_rate_increase_pct {
        line("error_rate_increase_pct", v.to_string());
    }
    if let Some(v) = g.latency_p99_increase_pct {
        line("latency_p99_increase_pct", v.to_string());
    }
    if let Some(v) = g.soak_minutes {
        line("soak_minutes", v.to_string());
    }
    if let Some(v) = g.abort_after_minutes {
        line("abort_after_minutes", v.to_string());
    }
    if let Some(steps) = &g.traffic_steps {
        let steps: Vec<String> = steps.iter().map(ToString::to_string).collect();
        line("traffic_steps", format!("[{}]", steps.join(", ")));
    }
    if *g == GateOverrides::default() {
        return "gates: {}\n".to_string();
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::answers::values::PartialAnswers;
    use crate::checklist::model::Checklist;

    const BASE: &str = "checklist: vks\nanswers:\n  current_version: \"1.30\"\n  target_version: \"1.33\"\n  cluster_count: 6\n";

    /// The workshop saves a resumed file with its gates, and they read back the same.
    #[test]
    fn gates_read_back_from_the_yaml_they_write() {
        let checklist = Checklist::builtin("vks").unwrap();
        let text = BASE.replacen(
            "answers:",
            "gates:\n  error_rate_increase_pct: 1.5\n  soak_minutes: 45\n  traffic_steps: [10, 100]\nanswers:",
            1,
        );
        let partial = PartialAnswers::parse(&text, "a.yaml", &checklist).unwrap();
        let gates = partial.gates.clone().unwrap();
        assert_eq!(gates.soak_minutes, Some(45));
        assert_eq!(gates.latency_p99_increase_pct, None);
        let saved = partial.to_yaml(&checklist, "saved");
        let again = PartialAnswers::parse(&saved, "saved.yaml", &checklist).unwrap();
        assert_eq!(again.gates, partial.gates, "{saved}");
        let limits = gates.over(&checklist.runbook.gates);
        assert_eq!(limits.traffic_steps, [10, 100]);
        assert_eq!(limits.latency_p99_increase_pct, 20.0);
    }
}
