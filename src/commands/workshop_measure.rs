//! The workshop's offer to measure spare capacity from cluster dumps instead of answering it
//! from memory: the terminal prompter, with `measure` reading the dumps a person names and
//! working out the answer against the room they state, as `assess --manifests` does.

use std::path::PathBuf;

use super::evidence::cluster_inventories;
use super::scan::run_scan_each;
use crate::answers::values::PartialAnswers;
use crate::base::text::terminal_safe;
use crate::capacity::CapacityReport;
use crate::capacity::spec::{CapacitySpec, Spare};
use crate::checklist::model::Checklist;
use crate::checklist::value::AnswerValue;
use crate::kube::quantity;
use crate::workshop::prompt::{Ask, Measured, Prompter, Reply};
use crate::workshop::terminal::TerminalPrompter;

/// The terminal prompter that can also read cluster dumps for `spare_capacity`.
pub struct Measuring<'p> {
    pub inner: &'p mut TerminalPrompter,
    pub checklist: &'p Checklist,
    /// The last capacity measured, for the report at the end.
    pub report: Option<CapacityReport>,
}

impl Prompter for Measuring<'_> {
    fn title(&mut self, checklist: &Checklist) {
        self.inner.title(checklist);
    }

    fn ask(&mut self, ask: &Ask) -> Reply<AnswerValue> {
        self.inner.ask(ask)
    }

    fn text(&mut self, message: &str, help: &str, default: Option<&str>) -> Reply<String> {
        self.inner.text(message, help, default)
    }

    fn confirm(&mut self, message: &str, default: bool) -> Reply<bool> {
        self.inner.confirm(message, default)
    }

    fn show(&mut self, text: &str) {
        self.inner.show(text);
    }

    fn measure(&mut self, _ask: &Ask, answers: &PartialAnswers) -> Reply<Measured> {
        match self.inner.confirm(
            "Measure spare capacity from cluster dumps instead of answering from memory?",
            false,
        ) {
            Reply::Value(true) => {}
            Reply::Interrupt => return Reply::Interrupt,
            _ => return Reply::Skip,
        }
        loop {
            let paths = match self.inner.text(
                "Cluster dumps, one file or folder per cluster, separated by spaces",
                "Each from `kubectl get nodes,pods,deployments,statefulsets,daemonsets,persistentvolumeclaims -A -o json`. Press Enter on an empty line to answer by hand instead.",
                None,
            ) {
                Reply::Value(text) => text,
                Reply::Interrupt => return Reply::Interrupt,
                _ => return Reply::Skip,
            };
            let room = match self.inner.text(
                "The room you can free for the new clusters: CPU, memory and (optional) storage",
                "For example `64 256Gi 4Ti`: vCPUs, then memory and storage as Kubernetes quantities. A dump cannot see the hypervisor's or cloud's free room, so it is asked here. Enter on an empty line to answer by hand.",
                None,
            ) {
                Reply::Value(text) => text,
                Reply::Interrupt => return Reply::Interrupt,
                _ => return Reply::Skip,
            };
            match self.measured(&paths, &room, answers) {
                Ok((measured, report)) => {
                    self.report = Some(report);
                    return Reply::Value(measured);
                }
                Err(problem) => self.inner.show(&format!(
                    "{}\nTry again, or press Enter on an empty line to answer by hand.",
                    terminal_safe(&problem)
                )),
            }
        }
    }
}

impl Measuring<'_> {
    /// The answer the dumps at `paths` give against `room`, or what is wrong, in words.
    fn measured(
        &self,
        paths: &str,
        room: &str,
        answers: &PartialAnswers,
    ) -> Result<(Measured, CapacityReport), String> {
        let spare = room_of(room)?;
        let paths: Vec<PathBuf> = paths.split_whitespace().map(PathBuf::from).collect();
        if paths.iter().any(|p| p.as_os_str() == "-") {
            return Err("standard input (-) is the terminal here: name the dump files".into());
        }
        let b = &self.checklist.bindings;
        let answer = |id: &str| answers.given.get(id);
        let target = answer(&b.target_version).and_then(AnswerValue::as_version);
        let (mut report, read_from) =
            run_scan_each(&paths, target, None, &[], None).map_err(|e| format!("{e:#}"))?;
        let inventories =
            cluster_inventories(&paths, &read_from, std::mem::take(&mut report.inventory));
        let clusters = answer(&b.cluster_count).and_then(AnswerValue::as_integer);
        let spec = CapacitySpec {
            spare: Some(spare),
            ..answers.capacity.clone().unwrap_or_default()
        };
        let per_window = answer(&b.clusters_per_window)
            .and_then(AnswerValue::as_integer)
            .or(clusters);
        let capacity = crate::capacity::assess(&spec, &inventories, clusters, per_window)
            .ok_or("none of those files holds Nodes: give each cluster's `kubectl get nodes,pods,... -A -o json` dump")?;
        let evidence = capacity
            .evidence
            .clone()
            .ok_or("the room could not be judged: state CPU and memory")?;
        let mut says = format!(
            "Measured from {}: spare_capacity {} ({}).",
            crate::base::text::plural(evidence.clusters_seen, "cluster dump", "cluster dumps"),
            evidence.value,
            evidence.arithmetic
        );
        for note in capacity.notes.iter().take(3) {
            says.push_str(&format!("\nNote: {note}."));
        }
        says.push_str(
            "\nThe room is saved in the answers; run `assess --manifests PATH` with the same dumps to measure again.",
        );
        let measured = Measured {
            value: AnswerValue::Choice(evidence.value),
            says,
            capacity: Some(spec),
        };
        Ok((measured, capacity))
    }
}

/// The room typed as `CPU MEMORY [STORAGE]` (`64 256Gi 4Ti`).
fn room_of(text: &str) -> Result<Spare, String> {
    let parts: Vec<&str> = text.split_whitespace().collect();
    let read = |i: usize, cpu: bool| -> Result<Option<u64>, String> {
        let Some(part) = parts.get(i) else {
            return Ok(None);
        };
        let q = quantity::parse(part).map_err(|_| {
            format!(
                "`{part}` is not a quantity: write e.g. `64 256Gi 4Ti` (vCPUs, memory, storage)"
            )
        })?;
        let n = if cpu { q.milli } else { q.units_ceil() };
        u64::try_from(n)
            .map(Some)
            .map_err(|_| format!("`{part}` is negative or too large"))
    };
    if parts.len() < 2 || parts.len() > 3 {
        return Err("give CPU and memory, and storage if you like: e.g. `64 256Gi 4Ti`".into());
    }
    Ok(Spare::Room {
        cpu: read(0, true)?,
        memory: read(1, false)?,
        storage: read(2, false)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_room_is_read_as_cpu_memory_and_storage() {
        assert_eq!(
            room_of("64 256Gi 4Ti"),
            Ok(Spare::Room {
                cpu: Some(64_000),
                memory: Some(256 << 30),
                storage: Some(4 << 40),
            })
        );
        assert_eq!(
            room_of("1500m 1Gi"),
            Ok(Spare::Room {
                cpu: Some(1_500),
                memory: Some(1 << 30),
                storage: None,
            })
        );
        assert!(room_of("64").unwrap_err().contains("give CPU and memory"));
        assert!(
            room_of("64 lots")
                .unwrap_err()
                .contains("`lots` is not a quantity")
        );
        assert!(room_of("-1 1Gi").unwrap_err().contains("negative"));
    }
}
