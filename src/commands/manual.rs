//! Manual pages (roff): one for the tool and one per subcommand, as `man` expects them.

use std::fmt::Write as _;

/// One manual page: its file name (`upgrade-advisor-assess.1`) and its roff text.
#[derive(Debug, Clone)]
pub struct Page {
    pub file_name: String,
    pub roff: String,
}

/// The page of the tool itself, then one page per subcommand (nested ones too), in the
/// order `--help` lists them. The tool's page lists the others under SUBCOMMANDS.
pub fn pages(command: clap::Command) -> Vec<Page> {
    let mut command = command.disable_help_subcommand(true);
    command.build();
    let mut pages = Vec::new();
    collect(&command, &mut pages);
    // Every page says what it reads from the environment and where to read on: the tool's
    // page names every other page, each other page the tool's.
    let names: Vec<String> = pages
        .iter()
        .map(|p| p.file_name.trim_end_matches(".1").to_string())
        .collect();
    for (i, page) in pages.iter_mut().enumerate() {
        page.roff.push_str(ENVIRONMENT);
        let see: Vec<String> = if i == 0 {
            names[1..].iter().map(|n| format!("{n}(1)")).collect()
        } else {
            vec![format!("{}(1)", names[0])]
        };
        let see: Vec<String> = see.iter().map(|s| escape(s)).collect();
        // Page names are not hyphenated at their line ends.
        let _ = writeln!(
            page.roff,
            ".SH \"SEE ALSO\"\n.nh\n.ad l\n{}",
            see.join(",\n")
        );
    }
    pages
}

/// The variables the tool reads, as an ENVIRONMENT section.
const ENVIRONMENT: &str = r#".SH "ENVIRONMENT"
.TP
\fBNO_COLOR\fR
Set to anything: no colour in tables (https://no\-color.org).
.TP
\fBCLICOLOR_FORCE\fR
Set and not 0: colour in tables even when the output is not a terminal.
.TP
\fBCOLUMNS\fR
The width of tables on a terminal that does not report its own.
.TP
\fBSOURCE_DATE_EPOCH\fR
Seconds since 1970\-01\-01: the date reports are made on, for reproducible output.
"#;

fn collect(command: &clap::Command, pages: &mut Vec<Page>) {
    pages.push(page(command));
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        collect(sub, pages);
    }
}

fn page(command: &clap::Command) -> Page {
    let man = clap_mangen::Man::new(command.clone())
        .source(format!("upgrade-advisor {}", env!("CARGO_PKG_VERSION")));
    let mut out = Vec::new();
    let rendered = (|| {
        man.render_title(&mut out)?;
        man.render_name_section(&mut out)?;
        man.render_synopsis_section(&mut out)?;
        man.render_description_section(&mut out)?;
        if command.get_arguments().any(|a| !a.is_hide_set()) {
            man.render_options_section(&mut out)?;
        }
        if command.get_subcommands().any(|s| !s.is_hide_set()) {
            man.render_subcommands_section(&mut out)?;
        }
        std::io::Result::Ok(())
    })();
    rendered.expect("rendering into memory cannot fail");
    let mut roff = String::from_utf8(out).expect("clap_mangen writes UTF-8");
    if let Some(after) = command.get_after_help() {
        after_help_sections(&mut roff, &after.to_string());
    }
    if command.get_version().is_some() {
        let version = command
            .get_long_version()
            .or(command.get_version())
            .unwrap_or_default();
        // Filled, one line each: a long data source wraps instead of running off the page.
        let _ = writeln!(roff, ".SH \"VERSION\"\n.nh\n.ad l");
        for line in version.lines() {
            let _ = writeln!(roff, "{}\n.br", escape(line));
        }
        let _ = writeln!(roff, ".ad b\n.hy");
    }
    Page {
        file_name: man.get_filename(),
        roff,
    }
}

/// The `--help` epilogue as sections: examples, exit status and other notes, each kept
/// line for line (a command line refilled into running text is no longer a command line).
fn after_help_sections(roff: &mut String, text: &str) {
    let mut examples: Vec<&str> = Vec::new();
    let mut exit: Vec<&str> = Vec::new();
    let mut notes: Vec<&str> = Vec::new();
    for block in text.split("\n\n") {
        let lines: Vec<&str> = block.lines().collect();
        let Some(first) = lines.first() else { continue };
        if first.starts_with("Example") {
            examples.extend(&lines[1..]);
        } else if let Some(rest) = first.strip_prefix("Exit codes:") {
            // "Exit codes: 0 ..., 2 ...": the codes, without the label.
            let indent = lines[1..]
                .iter()
                .map(|l| l.len() - l.trim_start().len())
                .min()
                .unwrap_or(0);
            exit.push(rest.trim_start());
            exit.extend(lines[1..].iter().map(|l| &l[indent.min(l.len())..]));
        } else {
            if !notes.is_empty() {
                notes.push("");
            }
            notes.extend(&lines);
        }
    }
    if !examples.is_empty() {
        let indent = examples
            .iter()
            .filter(|l| !l.trim().is_empty())
            .map(|l| l.len() - l.trim_start().len())
            .min()
            .unwrap_or(0);
        let trimmed: Vec<&str> = examples
            .iter()
            .map(|l| l.get(indent..).unwrap_or(""))
            .collect();
        verbatim_section(roff, "EXAMPLES", trimmed.into_iter());
    }
    if !exit.is_empty() {
        verbatim_section(roff, "EXIT STATUS", exit.into_iter());
    }
    if !notes.is_empty() {
        verbatim_section(roff, "NOTES", notes.into_iter());
    }
}

/// A section whose lines are shown as they are: no filling, no adjusting.
fn verbatim_section<'a>(roff: &mut String, title: &str, lines: impl Iterator<Item = &'a str>) {
    let _ = writeln!(roff, ".SH \"{title}\"\n.nf");
    for line in lines {
        let _ = writeln!(roff, "{}", escape(line));
    }
    let _ = writeln!(roff, ".fi");
}

/// Text as a roff line: backslashes and hyphens escaped, and a leading `.` or `'` kept from
/// being read as a request.
fn escape(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 4);
    if line.starts_with(['.', '\'']) {
        out.push_str("\\&");
    }
    for ch in line.chars() {
        match ch {
            '\\' => out.push_str("\\e"),
            '-' => out.push_str("\\-"),
            '\'' => out.push_str("\\(aq"),
            _ => out.push(ch),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_requests_hyphens_and_backslashes() {
        assert_eq!(escape(".x"), "\\&.x");
        assert_eq!(escape("a-b\\c"), "a\\-b\\ec");
        assert_eq!(escape("it's"), "it\\(aqs");
    }

    #[test]
    fn exit_codes_and_examples_get_their_own_sections() {
        let mut roff = String::new();
        after_help_sections(
            &mut roff,
            "Examples:\n  tool a\n  tool b   # comment\n\nExit codes: 0 fine,\n            2 bad.",
        );
        assert_eq!(
            roff,
            ".SH \"EXAMPLES\"\n.nf\ntool a\ntool b   # comment\n.fi\n.SH \"EXIT STATUS\"\n.nf\n0 fine,\n2 bad.\n.fi\n"
        );
    }
}
