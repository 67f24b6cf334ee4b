//! The optional `capacity:` block of an answers file: the room a parallel environment may
//! use (`spare` or `spare_nodes`, within a cloud `quota`), the headroom a copy is given, and prices. Quantities are
//! Kubernetes quantities (`96`, `500m`, `384Gi`, `10Ti`), exact and bounded; a wrong key or
//! value names its line and how to fix it.

use serde_yaml::{Mapping, Value};

use super::read::{describe, key_text};
use crate::base::diagnostic::code::Code;
use crate::base::diagnostic::{Diagnostic, KeyLines};
use crate::capacity::spec::{CapacitySpec, MAX_HEADROOM_PCT, Prices, Quota, Spare};
use crate::kube::quantity;

/// The keys a `capacity:` block takes.
pub const CAPACITY_KEYS: [&str; 5] = ["spare", "spare_nodes", "quota", "headroom_pct", "prices"];
/// The most spare nodes a block may state.
pub const MAX_SPARE_NODES: u64 = 100_000;
/// The highest price accepted per hour (of a vCPU, a GiB or a node).
pub const MAX_PRICE: f64 = 1_000_000.0;

struct Reader<'a> {
    keys: &'a KeyLines<'a>,
    line: Option<usize>,
    problems: &'a mut Vec<Diagnostic>,
}

impl Reader<'_> {
    fn fail(&mut self, at: &str, key: &str, message: String, fix: String) {
        let line = self.keys.find(key, self.line.unwrap_or(0)).or(self.line);
        self.problems.push(
            Diagnostic::new(message)
                .at(format!("`capacity{at}`"))
                .line(line)
                .fix(fix)
                .code(Code::AnswersCapacity),
        );
    }

    fn mapping<'v>(
        &mut self,
        at: &str,
        key: &str,
        value: &'v Value,
        example: &str,
    ) -> Option<&'v Mapping> {
        match value {
            Value::Mapping(map) => Some(map),
            other => {
                self.fail(
                    at,
                    key,
                    format!("`{key}` must be a mapping, not {}", describe(other)),
                    format!("write e.g. `{key}: {example}`"),
                );
                None
            }
        }
    }

    /// The keys of `map`, each checked against `allowed`.
    fn entries<'v>(
        &mut self,
        at: &str,
        map: &'v Mapping,
        allowed: &[&str],
    ) -> Vec<(String, &'v Value)> {
        let mut out = Vec::new();
        for (key, value) in map {
            let key = key_text(key);
            if allowed.contains(&key.as_str()) {
                out.push((key, value));
            } else {
                let hint = crate::base::suggest::did_you_mean(&key, allowed.iter().copied());
                self.fail(
                    &format!("{at}.{key}"),
                    &key,
                    format!("`capacity{at}` has no key `{key}`"),
                    hint.map_or(format!("the keys are {}", allowed.join(", ")), |s| {
                        format!("did you mean `{s}`?")
                    }),
                );
            }
        }
        out
    }

    /// A quantity: CPU in milli-cores (`cpu: true`), else bytes.
    fn quantity(&mut self, at: &str, key: &str, value: &Value, cpu: bool) -> Option<u64> {
        let example = if cpu {
            "`96` or `1500m`"
        } else {
            "`384Gi` or `10Ti`"
        };
        let text = match value {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            other => {
                self.fail(
                    at,
                    key,
                    format!("`{key}` is {}, not a quantity", describe(other)),
                    format!("write a Kubernetes quantity such as {example}"),
                );
                return None;
            }
        };
        match quantity::parse(text.trim()) {
            Ok(q) if q.milli < 0 => {
                self.fail(
                    at,
                    key,
                    format!("`{key}` is negative"),
                    format!("write a room of zero or more, such as {example}"),
                );
                None
            }
            Ok(q) => {
                let n = if cpu { q.milli } else { q.units_ceil() };
                match u64::try_from(n) {
                    Ok(n) => Some(n),
                    Err(_) => {
                        self.fail(
                            at,
                            key,
                            format!("`{key}` is too large to count"),
                            format!("write a real room, such as {example}"),
                        );
                        None
                    }
                }
            }
            Err(e) => {
                self.fail(
                    at,
                    key,
                    format!("`{key}`: {e}"),
                    format!("write a Kubernetes quantity such as {example}"),
                );
                None
            }
        }
    }

    /// A price per hour, in millionths.
    fn price(&mut self, at: &str, key: &str, value: &Value) -> Option<u64> {
        match value.as_f64().filter(|v| v.is_finite()) {
            Some(v) if (0.0..=MAX_PRICE).contains(&v) => Some((v * 1_000_000.0).round() as u64),
            _ => {
                self.fail(
                    at,
                    key,
                    format!(
                        "`{key}` is {}, not a price from 0 to {MAX_PRICE}",
                        describe(value)
                    ),
                    format!(
                        "write the price of one hour without a currency sign, e.g. `{key}: 0.031`"
                    ),
                );
                None
            }
        }
    }
}

/// Reads the `capacity:` block at `line` (1-based), pushing what is wrong to `problems`.
pub fn capacity_block(
    value: &Value,
    keys: &KeyLines,
    line: Option<usize>,
    problems: &mut Vec<Diagnostic>,
) -> Option<CapacitySpec> {
    let before = problems.len();
    let mut r = Reader {
        keys,
        line,
        problems,
    };
    let map = match value {
        Value::Null => return None,
        other => r.mapping("", "capacity", other, "{spare: {cpu: 96, memory: 384Gi}}")?,
    };
    let mut spec = CapacitySpec::default();
    let mut stated_room = Vec::new();
    let top = line;
    for (key, value) in r.entries("", map, &CAPACITY_KEYS) {
        let at = format!(".{key}");
        // The keys inside are looked for from this key's line on (or found on it).
        r.line = keys.find(&key, top.unwrap_or(0)).or(top);
        match key.as_str() {
            "spare" => {
                stated_room.push("spare");
                let Some(map) = r.mapping(&at, "spare", value, "{cpu: 96, memory: 384Gi, storage: 10Ti}") else {
                    continue;
                };
                let (mut cpu, mut memory, mut storage) = (None, None, None);
                for (k, v) in r.entries(&at, map, &["cpu", "memory", "storage"]) {
                    let at = format!("{at}.{k}");
                    match k.as_str() {
                        "cpu" => cpu = r.quantity(&at, &k, v, true),
                        "memory" => memory = r.quantity(&at, &k, v, false),
                        _ => storage = r.quantity(&at, &k, v, false),
                    }
                }
                spec.spare = Some(Spare::Room { cpu, memory, storage });
            }
            "spare_nodes" => {
                stated_room.push("spare_nodes");
                let Some(map) = r.mapping(&at, "spare_nodes", value, "{count: 6, cpu: 8, memory: 32Gi}") else {
                    continue;
                };
                let (mut count, mut cpu, mut memory) = (None, None, None);
                for (k, v) in r.entries(&at, map, &["count", "cpu", "memory"]) {
                    let at = format!("{at}.{k}");
                    match k.as_str() {
                        "count" => match v.as_u64() {
                            Some(n) if n <= MAX_SPARE_NODES => count = Some(n),
                            _ => r.fail(&at, &k, format!("`count` is {}, not a number of nodes from 0 to {MAX_SPARE_NODES}", describe(v)), "write e.g. `count: 6`".to_string()),
                        },
                        "cpu" => cpu = r.quantity(&at, &k, v, true),
                        _ => memory = r.quantity(&at, &k, v, false),
                    }
                }
                match (count, cpu, memory) {
                    (Some(count), Some(cpu), Some(memory)) => {
                        spec.spare = Some(Spare::Nodes { count, cpu, memory });
                    }
                    _ => {
                        let missing: Vec<&str> = [("count", count.is_none()), ("cpu", cpu.is_none()), ("memory", memory.is_none())]
                            .into_iter()
                            .filter(|(k, none)| *none && !map.contains_key(*k))
                            .map(|(k, _)| k)
                            .collect();
                        if !missing.is_empty() {
                            r.fail(&at, "spare_nodes", format!("`spare_nodes` does not say its {}", crate::base::text::join_and(&missing.iter().map(|s| s.to_string()).collect::<Vec<_>>())), "write all three, e.g. `spare_nodes: {count: 6, cpu: 8, memory: 32Gi}` (the size of one node)".to_string());
                        }
                    }
                }
            }
            "quota" => {
                let Some(map) = r.mapping(&at, "quota", value, "{cpu: 200, memory: 800Gi}") else {
                    continue;
                };
                let mut quota = Quota::default();
                for (k, v) in r.entries(&at, map, &["cpu", "memory"]) {
                    let at = format!("{at}.{k}");
                    match k.as_str() {
                        "cpu" => quota.cpu = r.quantity(&at, &k, v, true),
                        _ => quota.memory = r.quantity(&at, &k, v, false),
                    }
                }
                spec.quota = Some(quota);
            }
            "headroom_pct" => match value.as_u64() {
                Some(pct) if pct <= u64::from(MAX_HEADROOM_PCT) => spec.headroom_pct = Some(pct as u32),
                _ => r.fail(&at, &key, format!("`headroom_pct` is {}, not a whole per cent from 0 to {MAX_HEADROOM_PCT}", describe(value)), "write e.g. `headroom_pct: 20`, or leave it out to size a copy as the same node pools".to_string()),
            },
            _ => {
                let Some(map) = r.mapping(&at, "prices", value, "{cpu_hour: 0.031, memory_gib_hour: 0.004}") else {
                    continue;
                };
                let entries = r.entries(&at, map, &["cpu_hour", "memory_gib_hour", "node_hour"]);
                let find = |k: &str| entries.iter().find(|(key, _)| key == k).map(|(_, v)| *v);
                let (cpu, memory, node) = (find("cpu_hour"), find("memory_gib_hour"), find("node_hour"));
                match (cpu, memory, node) {
                    (Some(c), Some(m), None) => {
                        let cpu = r.price(&format!("{at}.cpu_hour"), "cpu_hour", c);
                        let memory = r.price(&format!("{at}.memory_gib_hour"), "memory_gib_hour", m);
                        if let (Some(cpu_hour_micro), Some(memory_gib_hour_micro)) = (cpu, memory) {
                            spec.prices = Some(Prices::Resources { cpu_hour_micro, memory_gib_hour_micro });
                        }
                    }
                    (None, None, Some(n)) => {
                        if let Some(node_hour_micro) = r.price(&format!("{at}.node_hour"), "node_hour", n) {
                            spec.prices = Some(Prices::Node { node_hour_micro });
                        }
                    }
                    _ if entries.len() < map.len() => {}
                    _ => r.fail(&at, "prices", "`prices` must give either `cpu_hour` and `memory_gib_hour`, or `node_hour`".to_string(), "write e.g. `prices: {cpu_hour: 0.031, memory_gib_hour: 0.004}` or `prices: {node_hour: 0.38}`".to_string()),
                }
            }
        }
    }
    r.line = top;
    if stated_room.len() > 1 {
        r.fail("", "spare_nodes", "`capacity` states both `spare` and `spare_nodes`".to_string(), "keep one: `spare` for totals of CPU, memory and storage, or `spare_nodes` for nodes of one size".to_string());
    }
    if matches!(spec.prices, Some(Prices::Node { .. }))
        && !matches!(spec.spare, Some(Spare::Nodes { .. }))
        && problems_clean(r.problems, before)
    {
        r.fail(".prices", "node_hour", "`prices.node_hour` prices nodes, but `capacity` does not state `spare_nodes`".to_string(), "state the node size with `spare_nodes: {count: N, cpu: 8, memory: 32Gi}`, or price resources with `cpu_hour` and `memory_gib_hour`".to_string());
    }
    problems_clean(problems, before).then_some(spec)
}

fn problems_clean(problems: &[Diagnostic], before: usize) -> bool {
    problems.len() == before
}

/// A quantity as it is written back: milli-cores as `1500m` or whole cores, bytes as bytes.
fn cpu_text(milli: u64) -> String {
    if milli.is_multiple_of(1000) {
        (milli / 1000).to_string()
    } else {
        format!("{milli}m")
    }
}

fn price_text(micro: u64) -> String {
    let text = format!("{}.{:06}", micro / 1_000_000, micro % 1_000_000);
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The block as answers-file YAML that [`capacity_block`] reads back to the same value.
/// Bytes as the largest binary suffix that writes them exactly (`256Gi`), else as a number.
fn bytes_text(n: u64) -> String {
    for (suffix, shift) in [
        ("Ei", 60),
        ("Pi", 50),
        ("Ti", 40),
        ("Gi", 30),
        ("Mi", 20),
        ("Ki", 10),
    ] {
        if n != 0 && n.is_multiple_of(1u64 << shift) {
            return format!("{}{suffix}", n >> shift);
        }
    }
    n.to_string()
}

pub fn capacity_yaml(spec: &CapacitySpec) -> String {
    let mut out = String::from("capacity:\n");
    match &spec.spare {
        Some(Spare::Room {
            cpu,
            memory,
            storage,
        }) => {
            let mut parts = Vec::new();
            if let Some(c) = cpu {
                parts.push(format!("cpu: {}", cpu_text(*c)));
            }
            if let Some(m) = memory {
                parts.push(format!("memory: {}", bytes_text(*m)));
            }
            if let Some(s) = storage {
                parts.push(format!("storage: {}", bytes_text(*s)));
            }
            out.push_str(&format!("  spare: {{{}}}\n", parts.join(", ")));
        }
        Some(Spare::Nodes { count, cpu, memory }) => out.push_str(&format!(
            "  spare_nodes: {{count: {count}, cpu: {}, memory: {}}}\n",
            cpu_text(*cpu),
            bytes_text(*memory)
        )),
        None => {}
    }
    if let Some(quota) = spec.quota {
        let mut parts = Vec::new();
        if let Some(c) = quota.cpu {
            parts.push(format!("cpu: {}", cpu_text(c)));
        }
        if let Some(m) = quota.memory {
            parts.push(format!("memory: {}", bytes_text(m)));
        }
        out.push_str(&format!("  quota: {{{}}}\n", parts.join(", ")));
    }
    if let Some(pct) = spec.headroom_pct {
        out.push_str(&format!("  headroom_pct: {pct}\n"));
    }
    match spec.prices {
        Some(Prices::Resources {
            cpu_hour_micro,
            memory_gib_hour_micro,
        }) => out.push_str(&format!(
            "  prices: {{cpu_hour: {}, memory_gib_hour: {}}}\n",
            price_text(cpu_hour_micro),
            price_text(memory_gib_hour_micro)
        )),
        Some(Prices::Node { node_hour_micro }) => out.push_str(&format!(
            "  prices: {{node_hour: {}}}\n",
            price_text(node_hour_micro)
        )),
        None => {}
    }
    if *spec == CapacitySpec::default() {
        return "capacity: {}\n".to_string();
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::answers::values::PartialAnswers;
    use crate::capacity::spec::{Prices, Spare};
    use crate::checklist::model::Checklist;

    const BASE: &str = "checklist: vks\nanswers:\n  current_version: \"1.30\"\n  target_version: \"1.33\"\n  cluster_count: 6\n";

    fn with(block: &str) -> Result<PartialAnswers, String> {
        let checklist = Checklist::builtin("vks").unwrap();
        let text = BASE.replacen("answers:", &format!("{block}answers:"), 1);
        PartialAnswers::parse(&text, "a.yaml", &checklist).map_err(|e| e.to_string())
    }

    #[test]
    fn a_capacity_block_reads_exactly_and_back_from_the_yaml_it_writes() {
        let checklist = Checklist::builtin("vks").unwrap();
        let partial = with("capacity:\n  spare: {cpu: 96, memory: 384Gi, storage: 10Ti}\n  headroom_pct: 20\n  prices: {cpu_hour: 0.031, memory_gib_hour: 0.004}\n").unwrap();
        let spec = partial.capacity.clone().unwrap();
        assert_eq!(
            spec.spare,
            Some(Spare::Room {
                cpu: Some(96_000),
                memory: Some(384 << 30),
                storage: Some(10 << 40)
            })
        );
        assert_eq!(spec.headroom_pct, Some(20));
        assert_eq!(
            spec.prices,
            Some(Prices::Resources {
                cpu_hour_micro: 31_000,
                memory_gib_hour_micro: 4_000
            })
        );
        let saved = partial.to_yaml(&checklist, "saved");
        let again = PartialAnswers::parse(&saved, "saved.yaml", &checklist).unwrap();
        assert_eq!(again.capacity, partial.capacity, "{saved}");

        let nodes = with("capacity:\n  spare_nodes: {count: 6, cpu: 7500m, memory: 32Gi}\n  quota: {cpu: 40, memory: 1Ti}\n  prices: {node_hour: 0.38}\n").unwrap();
        assert_eq!(
            nodes.capacity.as_ref().unwrap().quota,
            Some(crate::capacity::spec::Quota {
                cpu: Some(40_000),
                memory: Some(1 << 40)
            })
        );
        let saved = nodes.to_yaml(&checklist, "saved");
        let again = PartialAnswers::parse(&saved, "saved.yaml", &checklist).unwrap();
        assert_eq!(again.capacity, nodes.capacity, "{saved}");
    }

    #[test]
    fn each_wrong_capacity_value_names_its_line_and_fix() {
        let err = with("capacity:\n  spare: {cpu: lots, memroy: 1Gi}\n  headroom_pct: -5\n  spare_nodes: {count: 2}\n").unwrap_err();
        assert!(
            err.contains("a.yaml:3: `capacity.spare.cpu`: `cpu`: `lots` is not a quantity"),
            "{err}"
        );
        assert!(err.contains("did you mean `memory`?"), "{err}");
        assert!(
            err.contains("a.yaml:4: `capacity.headroom_pct`")
                && err.contains("not a whole per cent from 0 to 1000"),
            "{err}"
        );
        assert!(
            err.contains(
                "a.yaml:5: `capacity.spare_nodes`: `spare_nodes` does not say its cpu and memory"
            ),
            "{err}"
        );
        assert!(
            err.contains("states both `spare` and `spare_nodes`"),
            "{err}"
        );
        let err = with("capacity:\n  prices: {node_hour: 0.38}\n").unwrap_err();
        assert!(err.contains("does not state `spare_nodes`"), "{err}");
        let err = with("capacity:\n  prices: {cpu_hour: 1e300}\n").unwrap_err();
        assert!(
            err.contains("either `cpu_hour` and `memory_gib_hour`, or `node_hour`"),
            "{err}"
        );
        let err = with("capacity:\n  spare: {memory: 99999999999999999999999Ei}\n").unwrap_err();
        assert!(err.contains("too large"), "{err}");
    }
}
