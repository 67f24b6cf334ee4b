//! The invariants ARCHITECTURE.md names, checked on the source: which room may use which, no
//! re-exports, no import circles between files, no file far over 500 lines before its tests.
//! A failure names the file and the import that breaks the rule.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A source file: its module path (`["report", "table"]`) and its text before its tests.
struct Source {
    module: Vec<String>,
    path: PathBuf,
    text: String,
}

fn sources() -> Vec<Source> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut paths = Vec::new();
    walk(&root, &mut paths);
    paths.sort();
    paths
        .into_iter()
        // A `tests.rs` is a unit-test module (`#[cfg(test)] mod tests;`): test code.
        .filter(|path| path.file_name().is_none_or(|f| f != "tests.rs"))
        .map(|path| {
            let relative = path.strip_prefix(&root).unwrap().with_extension("");
            let mut module: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if module.last().is_some_and(|m| m == "mod" || m == "lib") {
                module.pop();
            }
            let full = std::fs::read_to_string(&path).unwrap();
            // Unit tests may use anything; the rules are about the code they test.
            let text = match full.find("#[cfg(test)]\nmod tests {") {
                Some(i) => full[..i].to_string(),
                None => full,
            };
            let text = text
                .lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .collect::<Vec<_>>()
                .join("\n");
            Source { module, path, text }
        })
        .collect()
}

/// The paths a file names: `crate::a::b`, `super::c`, `self::d`, and paths that start at one of
/// its own child modules, each with the items of a `{...}` group spelled out.
fn named_paths(source: &Source, modules: &BTreeSet<Vec<String>>) -> Vec<Vec<String>> {
    let text = &source.text;
    let bytes = text.as_bytes();
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut paths = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !is_word(bytes[i]) || (i > 0 && (is_word(bytes[i - 1]) || bytes[i - 1] == b':')) {
            i += 1;
            continue;
        }
        // A path: words joined by `::`, maybe ending in a `{...}` group.
        let start = i;
        let mut segments = Vec::new();
        let mut group = None;
        loop {
            let word_start = i;
            while i < bytes.len() && is_word(bytes[i]) {
                i += 1;
            }
            segments.push(text[word_start..i].to_string());
            if !text[i..].starts_with("::") {
                break;
            }
            i += 2;
            if text[i..].starts_with('{') {
                let end = text[i..].find('}').map_or(text.len(), |e| i + e);
                group = Some(text[i + 1..end].to_string());
                i = end;
                break;
            }
            if i >= bytes.len() || !is_word(bytes[i]) {
                break;
            }
        }
        let before = &text[..start];
        if before.ends_with("pub(") || before.ends_with("pub(in ") {
            continue;
        }
        let first = segments[0].clone();
        let first = first.as_str();
        let mut base: Vec<String> = match first {
            "crate" => Vec::new(),
            "self" => source.module.clone(),
            "super" => {
                let ups = segments.iter().take_while(|s| *s == "super").count();
                let keep = source.module.len().saturating_sub(ups);
                segments.drain(..ups - 1);
                source.module[..keep].to_vec()
            }
            _ => {
                let mut child = source.module.clone();
                child.push(first.to_string());
                if segments.len() < 2 && group.is_none() || !modules.contains(&child) {
                    continue;
                }
                source.module.clone()
            }
        };
        if first == "crate" || first == "self" || first == "super" {
            segments.remove(0);
        }
        base.extend(segments);
        match &group {
            Some(items) => {
                for item in items.split(',') {
                    let item = item.split(" as ").next().unwrap_or("").trim();
                    let mut path = base.clone();
                    path.extend(
                        item.split("::")
                            .map(str::trim)
                            .filter(|s| !s.is_empty() && *s != "self")
                            .map(str::to_string),
                    );
                    paths.push(path);
                }
            }
            None => paths.push(base),
        }
    }
    paths
}

/// The module a path points into: its longest prefix that is a module of the crate.
fn module_of<'m>(path: &[String], modules: &'m BTreeSet<Vec<String>>) -> Option<&'m Vec<String>> {
    (0..=path.len())
        .rev()
        .find_map(|n| modules.get(&path[..n].to_vec()))
}

/// Which files each file uses items of.
fn imports(sources: &[Source]) -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let modules: BTreeSet<Vec<String>> = sources.iter().map(|s| s.module.clone()).collect();
    sources
        .iter()
        .map(|s| {
            let used = named_paths(s, &modules)
                .iter()
                .filter_map(|p| module_of(p, &modules))
                .filter(|m| **m != s.module && !m.is_empty())
                .cloned()
                .collect();
            (s.module.clone(), used)
        })
        .collect()
}

fn name(module: &[String]) -> String {
    if module.is_empty() {
        "lib".to_string()
    } else {
        module.join("/")
    }
}

/// Rooms and the rooms they must not use (ARCHITECTURE.md, "Code map").
const FORBIDDEN: &[(&str, &[&str])] = &[
    (
        "base",
        &[
            "answers",
            "checklist",
            "kube",
            "scoring",
            "plan",
            "report",
            "scan",
            "io",
            "commands",
            "cli",
            "workshop",
        ],
    ),
    (
        "kube",
        &[
            "answers",
            "checklist",
            "scoring",
            "plan",
            "report",
            "scan",
            "io",
            "commands",
            "cli",
            "workshop",
        ],
    ),
    (
        "checklist",
        &[
            "answers", "scoring", "plan", "report", "scan", "io", "commands", "cli", "workshop",
        ],
    ),
    (
        "answers",
        &[
            "scoring", "plan", "report", "scan", "io", "commands", "cli", "workshop",
        ],
    ),
    (
        "scoring",
        &[
            "plan", "report", "scan", "io", "commands", "cli", "workshop",
        ],
    ),
    (
        "plan",
        &["report", "scan", "io", "commands", "cli", "workshop"],
    ),
    ("report", &["io", "commands", "cli", "workshop"]),
    (
        "scan",
        &["scoring", "plan", "report", "commands", "cli", "workshop"],
    ),
    (
        "io",
        &["scoring", "plan", "report", "scan", "commands", "workshop"],
    ),
    (
        "workshop",
        &["scoring", "plan", "report", "scan", "io", "commands"],
    ),
];

/// The formats under `report/`: none of them may use another.
const FORMATS: &[&str] = &[
    "table", "markdown", "json", "yaml", "sarif", "runbook", "adr",
];

#[test]
fn each_room_uses_only_the_rooms_below_it() {
    let sources = sources();
    let mut broken = Vec::new();
    for (module, used) in imports(&sources) {
        let Some(room) = module.first() else { continue };
        for other in &used {
            let other_room = other[0].as_str();
            let forbidden = FORBIDDEN
                .iter()
                .find(|(r, _)| r == room)
                .is_some_and(|(_, f)| f.contains(&other_room));
            let edge = other_room == "commands" && room != "commands";
            let format = |m: &[String]| {
                (m.len() > 1 && m[0] == "report" && FORMATS.contains(&m[1].as_str()))
                    .then(|| m[1].clone())
            };
            let cross_format =
                matches!((format(&module), format(other)), (Some(a), Some(b)) if a != b);
            if forbidden || edge || cross_format {
                broken.push(format!("{} uses {}", name(&module), name(other)));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "imports against ARCHITECTURE.md:\n{}",
        broken.join("\n")
    );
}

#[test]
fn no_import_circles_between_files() {
    let edges = imports(&sources());
    // Tarjan's strongly connected components.
    struct State<'e> {
        edges: &'e BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        index: BTreeMap<&'e Vec<String>, usize>,
        low: BTreeMap<&'e Vec<String>, usize>,
        stack: Vec<&'e Vec<String>>,
        circles: Vec<Vec<String>>,
    }
    fn visit<'e>(s: &mut State<'e>, v: &'e Vec<String>) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        for w in &s.edges[v] {
            let Some(w) = s.edges.get_key_value(w).map(|(k, _)| k) else {
                continue;
            };
            if !s.index.contains_key(w) {
                visit(s, w);
                let low = s.low[v].min(s.low[w]);
                s.low.insert(v, low);
            } else if s.stack.contains(&w) {
                let low = s.low[v].min(s.index[w]);
                s.low.insert(v, low);
            }
        }
        if s.low[v] == s.index[v] {
            let mut circle = Vec::new();
            while let Some(w) = s.stack.pop() {
                circle.push(name(w));
                if w == v {
                    break;
                }
            }
            if circle.len() > 1 {
                circle.sort();
                s.circles.push(circle);
            }
        }
    }
    let mut state = State {
        edges: &edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        circles: Vec::new(),
    };
    for v in edges.keys() {
        if !state.index.contains_key(v) {
            visit(&mut state, v);
        }
    }
    let circles: Vec<String> = state.circles.iter().map(|c| c.join(" <-> ")).collect();
    assert!(
        circles.is_empty(),
        "files that import each other:\n{}",
        circles.join("\n")
    );
}

#[test]
fn nothing_is_re_exported_and_no_file_grows_past_its_size() {
    let mut broken = Vec::new();
    for s in sources() {
        let shown = s.path.display();
        for (n, line) in s.text.lines().enumerate() {
            let line = line.trim_start();
            if line.starts_with("pub use ") || line.starts_with("pub(crate) use ") {
                broken.push(format!(
                    "{shown}:{}: a re-export; import from the defining file",
                    n + 1
                ));
            }
        }
        let lines = s.text.lines().count();
        if lines > 500 {
            broken.push(format!(
                "{shown}: {lines} lines before its tests; split it (about 500 at most)"
            ));
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

/// The code map in ARCHITECTURE.md names every folder of `src/`, and every folder it names
/// exists.
#[test]
fn the_code_map_matches_the_folders() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let map = std::fs::read_to_string(root.join("ARCHITECTURE.md")).unwrap();
    let mut folders: Vec<String> = std::fs::read_dir(root.join("src"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    for folder in &folders {
        assert!(
            map.contains(&format!("### `src/{folder}/`")),
            "ARCHITECTURE.md has no code-map entry for src/{folder}/"
        );
    }
    for heading in map.lines().filter(|l| l.starts_with("### `src/")) {
        let folder = heading
            .trim_start_matches("### `src/")
            .split(['/', '`'])
            .next()
            .unwrap();
        let is_file = folder.ends_with(".rs");
        assert!(
            is_file && root.join("src").join(folder).is_file()
                || !is_file && folders.iter().any(|f| f == folder),
            "ARCHITECTURE.md maps src/{folder}, which does not exist"
        );
    }
}

/// The core and the renderers never read the environment, the clock or the terminal: the edge
/// measures those and passes them in (ARCHITECTURE.md: "the core never prints, reads files or
/// touches a terminal; renderers never compute").
#[test]
fn the_core_and_the_renderers_read_no_environment_clock_or_terminal() {
    const PURE: &[&str] = &[
        "base",
        "kube",
        "checklist",
        "answers",
        "scoring",
        "plan",
        "report",
    ];
    const EDGE_CALLS: &[&str] = &[
        "std::env::",
        "env::var",
        "terminal_size",
        "is_terminal",
        "SystemTime::now",
        "std::io::stdout",
        "std::io::stdin",
        "std::fs::",
        "println!",
        "eprintln!",
    ];
    let mut broken = Vec::new();
    for source in sources() {
        let Some(room) = source.module.first() else {
            continue;
        };
        if !PURE.contains(&room.as_str()) {
            continue;
        }
        for call in EDGE_CALLS {
            if source.text.contains(call) {
                broken.push(format!("{} uses {call}", source.path.display()));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "edge calls in the core:\n{}",
        broken.join("\n")
    );
}
