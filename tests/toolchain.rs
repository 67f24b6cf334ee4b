//! The tool around the tool: shell completion and manual pages, tried in the real programs.
#![allow(clippy::print_stderr)]

use std::process::Command;

use crate::common::{advisor, stdout_of};

fn have(program: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// What bash offers for `words` (the last one being completed), with the generated script.
fn bash_completes(words: &[&str]) -> Vec<String> {
    let script = stdout_of(["completions", "bash"], "");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("upgrade-advisor.bash");
    std::fs::write(&path, script).unwrap();
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let cword = words.len() - 1;
    let prev = words[cword.saturating_sub(1)];
    let cur = words[cword];
    let program = format!(
        "source '{}'\n\
         fn=$(complete -p upgrade-advisor | sed -E 's/.*-F ([^ ]+) .*/\\1/')\n\
         COMP_WORDS=({})\nCOMP_CWORD={cword}\n\
         \"$fn\" upgrade-advisor '{cur}' '{prev}'\n\
         printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        path.display(),
        quoted.join(" ")
    );
    let out = Command::new("bash")
        .args(["-c", &program])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn bash_completes_subcommand_options_and_their_values() {
    assert!(
        have("bash"),
        "bash is needed for this test (apt-get install bash)"
    );
    let formats = bash_completes(&["upgrade-advisor", "assess", "--format", ""]);
    assert_eq!(
        formats,
        ["table", "markdown", "json", "runbook", "adr", "yaml"]
    );
    let options = bash_completes(&["upgrade-advisor", "assess", "--f"]);
    assert!(
        options.contains(&"--format".to_string())
            && options.contains(&"--fail-on-blockers".to_string()),
        "{options:?}"
    );
    let strategies = bash_completes(&["upgrade-advisor", "assess", "--expect", ""]);
    assert_eq!(strategies, ["sequential", "blue-green", "hybrid"]);
    let nested = bash_completes(&["upgrade-advisor", "checklist", ""]);
    assert!(nested.contains(&"lint".to_string()), "{nested:?}");
    let scan = bash_completes(&["upgrade-advisor", "scan", "--format", ""]);
    assert!(scan.contains(&"sarif".to_string()), "{scan:?}");
}

#[test]
fn every_listed_manual_page_is_written_and_documents_its_options() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("man1");
    advisor()
        .args(["man", "--dir"])
        .arg(&target)
        .assert()
        .success();
    let main = std::fs::read_to_string(target.join("upgrade-advisor.1")).unwrap();
    let listed: Vec<String> = main
        .lines()
        .filter_map(|l| l.strip_suffix("(1)"))
        .map(|l| l.replace("\\-", "-"))
        .collect();
    assert!(listed.len() >= 10, "{listed:?}");
    for name in &listed {
        let page = target.join(format!("{name}.1"));
        assert!(page.exists(), "{name}(1) is listed but {page:?} is missing");
    }
    assert!(
        !listed.iter().any(|n| n.ends_with("-help")),
        "no page for the help subcommand: {listed:?}"
    );
    let nested = std::fs::read_to_string(target.join("upgrade-advisor-checklist.1")).unwrap();
    assert!(nested.contains("upgrade\\-advisor\\-checklist\\-lint(1)"));
    assert!(target.join("upgrade-advisor-checklist-lint.1").exists());

    let assess = std::fs::read_to_string(target.join("upgrade-advisor-assess.1")).unwrap();
    for option in [
        "\\-\\-answers",
        "\\-\\-format",
        "\\-\\-fail\\-on\\-blockers",
        "\\-\\-expect",
    ] {
        assert!(assess.contains(option), "assess(1) documents {option}");
    }
    // Examples and exit codes stay line for line: no-fill blocks, no EXTRA heading.
    assert!(!main.contains(".SH EXTRA"));
    let examples = &main[main.find(".SH \"EXAMPLES\"\n.nf\n").unwrap()..];
    assert!(examples.contains("\nupgrade\\-advisor assess \\- \\-\\-format json < answers.yaml\n"));
    assert!(main.contains(".SH \"EXIT STATUS\"\n.nf\n"));
    let version = &main[main.find(".SH \"VERSION\"").unwrap()..];
    assert!(
        version.contains(&format!(
            ".ad l\n{}\n.br\nchecklist vks ",
            env!("CARGO_PKG_VERSION")
        )),
        "{version}"
    );
}

#[test]
fn manual_pages_render_cleanly_with_examples_on_their_own_lines() {
    let dir = tempfile::tempdir().unwrap();
    advisor()
        .args(["man", "--dir"])
        .arg(dir.path())
        .assert()
        .success();
    let pages: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(pages.len(), 13, "{pages:?}");
    if !have("groff") {
        eprintln!("groff is not installed; the structure was checked above");
        return;
    }
    for page in &pages {
        // -ww: every warning; -z: no output, only the diagnostics.
        let out = Command::new("groff")
            .args(["-man", "-Tutf8", "-ww", "-z"])
            .arg(page)
            .output()
            .unwrap();
        assert!(
            out.status.success() && out.stderr.is_empty(),
            "{page:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let out = Command::new("groff")
        .args(["-man", "-Tutf8", "-rLL=100n"])
        .arg(dir.path().join("upgrade-advisor.1"))
        .env("GROFF_NO_SGR", "1")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    assert!(
        lines.contains(&"upgrade-advisor template > answers.yaml"),
        "{text}"
    );
    assert!(
        lines.contains(&"130 workshop paused (answers saved)."),
        "{text}"
    );
    assert!(
        lines.iter().any(|l| l.starts_with("checklist vks ")),
        "{text}"
    );

    if have("man") {
        // What a person installing the pages reads: `man -l` on the page of a subcommand.
        let out = Command::new("man")
            .arg("-l")
            .arg(dir.path().join("upgrade-advisor-assess.1"))
            .env("MANWIDTH", "100")
            .env("MANPAGER", "cat")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let lines: Vec<&str> = text.lines().map(str::trim).collect();
        assert!(lines.contains(&"--fail-on-blockers"), "{text}");
        assert!(
            lines
                .contains(&"upgrade-advisor assess answers.yaml --expect hybrid   # exit 4 if not"),
            "{text}"
        );
    }
}

#[test]
fn the_manual_page_on_standard_output_is_the_tools_own() {
    let page = stdout_of(["man"], "");
    assert!(page.contains(".TH upgrade-advisor 1"));
    assert!(page.contains(".SH SUBCOMMANDS"));
}

/// The README's install block (completions and manual pages), run as written in bash with a
/// fresh `HOME` and the built binary on `PATH`: `man upgrade-advisor-assess` then finds the
/// page the block wrote, as it will for a new user.
#[test]
fn the_readmes_install_block_works_as_written() {
    if !have("man") || !have("bash") {
        panic!("man and bash are needed for this test (apt-get install man-db bash)");
    }
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let block = readme
        .split("```sh\n")
        .find(|b| b.contains("upgrade-advisor man --dir"))
        .and_then(|b| b.split("```").next())
        .expect("the README has a sh block that writes the manual pages");
    assert!(block.contains("man upgrade-advisor-assess"), "{block}");
    let home = tempfile::tempdir().unwrap();
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_upgrade-advisor"))
        .parent()
        .unwrap()
        .to_path_buf();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("bash")
        .args(["-e", "-c", block])
        .env("HOME", home.path())
        .env("PATH", path)
        .env_remove("MANPATH")
        .env("MANPAGER", "cat")
        .env("PAGER", "cat")
        .env("MANWIDTH", "80")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the block failed:\n{block}\nstdout:\n{stdout}\nstderr:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("--fail-on-blockers"), "{stdout}");
    assert!(stdout.contains("upgrade-advisor-assess"), "{stdout}");
    assert!(
        home.path()
            .join(".local/share/bash-completion/completions/upgrade-advisor")
            .is_file()
    );
}

/// Every manual page, read with `man --warnings` at 80 columns: no warning, no line wider
/// than 80, and the sections a reader looks for (EXIT STATUS on assess, ENVIRONMENT and
/// SEE ALSO on every page).
#[test]
fn manual_pages_fit_80_columns_and_have_their_sections() {
    if !have("man") {
        panic!("man is needed for this test (apt-get install man-db)");
    }
    let dir = tempfile::tempdir().unwrap();
    advisor()
        .args(["man", "--dir"])
        .arg(dir.path())
        .assert()
        .success();
    let mut pages = 0;
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let page = entry.unwrap().path();
        let out = Command::new("man")
            .args(["--warnings", "-l"])
            .arg(&page)
            .env("MANWIDTH", "80")
            .env("MANPAGER", "cat")
            .env("LC_ALL", "C.UTF-8")
            .output()
            .unwrap();
        let name = page.file_name().unwrap().to_string_lossy().into_owned();
        let text = String::from_utf8_lossy(&out.stdout);
        let warnings = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success() && warnings.trim().is_empty(),
            "{name}: {warnings}"
        );
        for line in text.lines() {
            assert!(
                line.chars().count() <= 80,
                "{name}: {} columns: {line}",
                line.chars().count()
            );
        }
        for section in ["ENVIRONMENT", "SEE ALSO"] {
            assert!(
                text.lines().any(|l| l == section),
                "{name} has no {section}:\n{text}"
            );
        }
        assert!(text.contains("SOURCE_DATE_EPOCH"), "{name}");
        if name == "upgrade-advisor-assess.1" {
            assert!(text.lines().any(|l| l == "EXIT STATUS"), "{text}");
            assert!(
                text.contains("3 blockers present with --fail-on-blockers"),
                "{text}"
            );
        }
        pages += 1;
    }
    assert!(pages >= 12, "{pages} pages");
}

/// Runs `script` in a real zsh with the completion on `fpath`, types `line` and a Tab in a
/// pseudo-terminal (zsh's own zpty), and returns what the screen shows, escapes removed.
fn zsh_completes(line: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("_upgrade-advisor"),
        stdout_of(["completions", "zsh"], ""),
    )
    .unwrap();
    std::fs::write(dir.path().join("mine.yaml"), "").unwrap();
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_upgrade-advisor"))
        .parent()
        .unwrap()
        .to_path_buf();
    let program = format!(
        "zmodload zsh/zpty\n\
         zpty z 'zsh -f -i'\n\
         zpty -w z \"PS1='> '; fpath=({dir} \\$fpath); autoload -U compinit; compinit -u -D; PATH={bin}:\\$PATH; cd {dir}\"\n\
         sleep 1\n\
         zpty -w -n z $'{line}\\t'\n\
         out=''\n\
         for i in {{1..30}}; do if zpty -r -t z chunk; then out+=$chunk; else sleep 0.1; fi; done\n\
         print -r -- \"$out\"\n\
         zpty -d z\n",
        dir = dir.path().display(),
        bin = bin.display(),
    );
    let out = Command::new("zsh")
        .args(["-f", "-c", &program])
        .output()
        .unwrap();
    let screen = String::from_utf8_lossy(&out.stdout);
    // Drop terminal escapes (CSI sequences) and carriage returns.
    let mut plain = String::new();
    let mut chars = screen.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            if chars.peek() == Some(&'[') {
                chars.next();
                for n in chars.by_ref() {
                    if n.is_ascii_alphabetic() {
                        break;
                    }
                }
            }
        } else if c != '\r' {
            plain.push(c);
        }
    }
    plain
}

/// `--checklist` completes the built-in names and files, in bash, zsh and fish; `checklist
/// show` completes the built-in names.
#[test]
fn checklist_names_complete_in_every_shell() {
    for shell in ["bash", "zsh", "fish"] {
        assert!(
            have(shell),
            "{shell} is needed for this test (apt-get install {shell})"
        );
    }
    let offered = bash_completes(&["upgrade-advisor", "assess", "--checklist", ""]);
    for name in ["vks", "kubernetes"] {
        assert!(offered.iter().any(|o| o == name), "bash: {offered:?}");
    }
    let offered = bash_completes(&["upgrade-advisor", "assess", "--checklist", "checklists/v"]);
    assert!(
        offered.iter().any(|o| o == "checklists/vks.yaml"),
        "bash: {offered:?}"
    );

    let screen = zsh_completes("upgrade-advisor assess --checklist ");
    for word in ["vks", "kubernetes"] {
        assert!(
            screen.split_whitespace().any(|w| w == word),
            "zsh: {screen}"
        );
    }
    // The prompt is redrawn right after the list, so the last file name runs into it.
    assert!(
        screen.contains("mine.yaml"),
        "zsh offers files too: {screen}"
    );
    assert!(
        !screen.contains("bad option") && !screen.contains("command not found"),
        "zsh: {screen}"
    );

    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("upgrade-advisor.fish");
    std::fs::write(&script, stdout_of(["completions", "fish"], "")).unwrap();
    let fish = |line: &str| {
        let out = Command::new("fish")
            .args(["--no-config", "-c"])
            .arg(format!("source {}; complete -C '{line}'", script.display()))
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| l.split('\t').next().unwrap_or("").to_string())
            .collect::<Vec<_>>()
    };
    let offered = fish("upgrade-advisor assess --checklist ");
    for name in ["vks", "kubernetes"] {
        assert!(offered.iter().any(|o| o == name), "fish: {offered:?}");
    }
    assert!(
        offered.iter().any(|o| o == "README.md"),
        "fish offers files too: {offered:?}"
    );
    let offered = fish("upgrade-advisor checklist show ");
    assert_eq!(offered, ["kubernetes", "vks"], "fish");
}
