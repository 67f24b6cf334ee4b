//! JSON: the stable, documented machine format (`schema --report` describes it).

use std::collections::HashMap;
use std::io::Write as _;
use std::rc::Rc;

use serde::Serialize;

use crate::answers::values::AnswersFile;
use crate::answers::values::EvidenceUse;
use crate::answers::values::Override;
use crate::plan::fleet::FleetReport;
use crate::plan::memo::MEMO_LIMIT;
use crate::plan::{ChecklistInfo, Report, ordered_pairs};
use crate::report::render::{Emit, RenderOptions, Renderer, ScanRenderOptions, ScanRenderer};
use crate::scan::model::ScanReport;
use crate::scoring::rollup::FleetSummary;

/// The JSON format.
pub struct Json;

impl Renderer for Json {
    fn report(&self, report: &Report, _: &RenderOptions) -> String {
        let mut text = serde_json::to_string_pretty(report).expect("a report always serializes");
        text.push('\n');
        text
    }

    fn fleet(&self, fleet: &FleetReport, _: &RenderOptions, emit: Emit) -> std::io::Result<()> {
        let mut bytes = Vec::new();
        fleet_json(fleet, &mut bytes)?;
        emit(std::str::from_utf8(&bytes).expect("JSON is UTF-8"))
    }

    fn write_fleet(
        &self,
        fleet: &FleetReport,
        _: &RenderOptions,
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        // The serializer writes a token at a time: buffer here, where the writer's type is
        // known, rather than through `out`'s dynamic dispatch.
        let mut buffered = std::io::BufWriter::with_capacity(1 << 16, &mut *out);
        fleet_json(fleet, &mut buffered)?;
        buffered.flush()
    }
}

impl ScanRenderer for Json {
    fn scan(&self, report: &ScanReport, _: &ScanRenderOptions) -> String {
        let mut text = serde_json::to_string_pretty(report).expect("a scan report serializes");
        text.push('\n');
        text
    }
}

/// The JSON report, byte for byte what serializing the whole report gives, written an
/// environment at a time. Environments with the same answers (and the same evidence,
/// context and capacity) have the same report apart from their name and Supervisor: its text is made
/// once and copied, which spares a large fleet most of its serializing.
fn fleet_json(fleet: &FleetReport, out: &mut impl std::io::Write) -> std::io::Result<()> {
    /// The report with no environments: the frame the environments are written into.
    #[derive(Serialize)]
    struct Frame<'r> {
        schema_version: u32,
        checklist: &'r ChecklistInfo,
        #[serde(serialize_with = "ordered_pairs")]
        context: &'r [(String, String)],
        environments: [(); 0],
        fleet: &'r FleetSummary,
        answers_sha256: &'r str,
    }
    const EMPTY: &str = "\n  \"environments\": [],\n";
    let frame = serde_json::to_string_pretty(&Frame {
        schema_version: fleet.schema_version,
        checklist: &fleet.checklist,
        context: &fleet.context,
        environments: [],
        fleet: &fleet.fleet,
        answers_sha256: &fleet.answers_sha256,
    })?;
    let split = frame.find(EMPTY).expect("the frame lists the environments");
    out.write_all(&frame.as_bytes()[..split])?;
    out.write_all(b"\n  \"environments\": [")?;
    let mut shared: HashMap<usize, SharedJson> = HashMap::new();
    let envs = &fleet.environments;
    for (i, env) in envs.files().iter().enumerate() {
        out.write_all(if i == 0 { b"\n    " } else { b",\n    " })?;
        let slot = envs.slot(i);
        let reusable = slot
            .and_then(|slot| shared.get(&slot))
            .filter(|known| known.matches(&env.file));
        let body = match reusable {
            Some(known) => known.body.clone(),
            None => {
                let report = envs.report(i, env, true);
                let body = Rc::new(indented(&serde_json::to_vec_pretty(&report.report)?));
                if let Some(slot) = slot
                    && shared.len() < MEMO_LIMIT
                {
                    shared.insert(slot, SharedJson::new(&env.file, body.clone()));
                }
                body
            }
        };
        out.write_all(b"{\n      \"name\": ")?;
        serde_json::to_writer(&mut *out, &env.name)?;
        out.write_all(b",\n      \"supervisor\": ")?;
        serde_json::to_writer(&mut *out, &env.supervisor)?;
        out.write_all(b",\n")?;
        out.write_all(&body)?;
        out.write_all(b"\n    }")?;
    }
    if !envs.is_empty() {
        out.write_all(b"\n  ")?;
    }
    out.write_all(b"],\n")?;
    out.write_all(&frame.as_bytes()[split + EMPTY.len()..])?;
    out.write_all(b"\n")
}

/// An environment's JSON report without its name and Supervisor (its fields, indented as the
/// fleet report nests them), and what besides the answers it was made from.
struct SharedJson {
    body: Rc<Vec<u8>>,
    context: Vec<(String, String)>,
    evidence: Vec<EvidenceUse>,
    overrides: Vec<Override>,
    sha256: String,
    capacity: Option<Box<crate::capacity::CapacityReport>>,
}

impl SharedJson {
    fn new(file: &AnswersFile, body: Rc<Vec<u8>>) -> SharedJson {
        SharedJson {
            body,
            context: file.context.clone(),
            evidence: file.evidence.clone(),
            overrides: file.overrides.clone(),
            sha256: file.sha256.clone(),
            capacity: file.capacity.clone(),
        }
    }

    /// Whether `file` (with the same answers) gives the same report.
    fn matches(&self, file: &AnswersFile) -> bool {
        self.context == file.context
            && self.evidence == file.evidence
            && self.overrides == file.overrides
            && self.sha256 == file.sha256
            && self.capacity == file.capacity
    }
}

/// A report serialized alone (`{`, its fields at two spaces, `}`) as the fields of an
/// environment inside the fleet report: the braces dropped, every line four spaces deeper.
/// JSON text has line breaks only between tokens (never inside a string), so this is exact.
fn indented(alone: &[u8]) -> Vec<u8> {
    let inner = alone
        .strip_prefix(b"{\n")
        .and_then(|rest| rest.strip_suffix(b"\n}"))
        .unwrap_or(alone);
    let mut out = Vec::with_capacity(inner.len() + inner.len() / 8);
    out.extend_from_slice(b"    ");
    for &byte in inner {
        out.push(byte);
        if byte == b'\n' {
            out.extend_from_slice(b"    ");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checklist::model::Checklist;
    use crate::plan::fleet::{example_dates, example_fleet_twice};

    /// The JSON written an environment at a time, copying the reports of environments that
    /// share answers, is byte for byte the whole report serialized in one go.
    #[test]
    fn a_fleet_written_in_parts_is_the_whole_report() {
        let checklist = Checklist::builtin("vks").unwrap();
        let fleet = example_fleet_twice(&checklist);
        let dates = example_dates();
        let options = RenderOptions {
            today: dates.today,
            start: dates.start,
            color: false,
            width: Some(80),
        };
        let report = FleetReport::build(&checklist, &fleet, dates).unwrap();
        let written = crate::report::render_fleet(&report, crate::report::Format::Json, &options);
        let whole = serde_json::to_string_pretty(&report).unwrap() + "\n";
        assert_eq!(written, whole);
        let parsed: serde_json::Value = serde_json::from_str(&written).unwrap();
        let half = fleet.environments.len() / 2;
        assert_eq!(
            parsed["environments"][half]["name"],
            "copy-of-payments-prod"
        );
    }

    #[test]
    fn indenting_a_report_nests_its_fields() {
        let alone = b"{\n  \"a\": 1,\n  \"b\": [\n    \"x\\ny\"\n  ]\n}";
        let nested = indented(alone);
        assert_eq!(
            String::from_utf8(nested).unwrap(),
            "      \"a\": 1,\n      \"b\": [\n        \"x\\ny\"\n      ]"
        );
    }
}
