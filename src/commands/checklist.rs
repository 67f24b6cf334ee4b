//! Commands about checklists and the files made from them: `template`, `schema`,
//! `questions`, `checklists`, `checklist lint` and `checklist show`.

use std::io::IsTerminal;
use std::path::Path;

use anyhow::Result;

use super::shared::emit_to;
use crate::base::diagnostic::InputKind;
use crate::checklist::BUILTIN;
use crate::checklist::model::Checklist;
use crate::cli::{ChecklistArg, ChecklistOutputArgs, QuestionsArgs, SchemaArgs};
use crate::exit::{Exit, UsageError};
use crate::io::input::{is_checklist_path, load_checklist, read_source};
use crate::io::output::{file_target, print, refuse_overwriting_inputs};
use crate::report::render_questions;
use crate::report::schema::answers_schema;
use crate::report::template::answers_template;

pub fn template_command(args: &ChecklistOutputArgs) -> Result<Exit> {
    let output = file_target(args.output.as_deref());
    refuse_overwriting_checklist(output, &args.checklist)?;
    let checklist = load_checklist(args.checklist.checklist.as_deref())?;
    emit_to(output, &answers_template(&checklist), "answers template")
}

pub fn schema_command(args: &SchemaArgs) -> Result<Exit> {
    let target = &args.target;
    let output = file_target(target.output.as_deref());
    refuse_overwriting_checklist(output, &target.checklist)?;
    let schema = if args.report {
        crate::report::schema::report_schema()
    } else if args.scan {
        crate::report::schema::scan_schema()
    } else {
        answers_schema(&load_checklist(target.checklist.checklist.as_deref())?)
    };
    let mut text = serde_json::to_string_pretty(&schema)?;
    text.push('\n');
    emit_to(output, &text, "JSON Schema")
}

/// Refuses an output that is the checklist file being read.
fn refuse_overwriting_checklist(output: Option<&Path>, checklist: &ChecklistArg) -> Result<()> {
    if let (Some(output), Some(name)) = (output, checklist.checklist.as_deref())
        && is_checklist_path(name)
    {
        refuse_overwriting_inputs(output, &[("checklist", Path::new(name))])?;
    }
    Ok(())
}

pub fn checklists_command() -> Result<Exit> {
    let mut out = String::from("Built-in checklists (use with --checklist NAME):\n");
    for (name, _) in BUILTIN {
        let checklist = Checklist::builtin(name).expect("built-in");
        out.push_str(&format!(
            "  {name:<12} {} ({} questions, version {})\n",
            checklist.title,
            checklist.questions.len(),
            checklist.version
        ));
    }
    out.push_str("Copy one with `upgrade-advisor checklist show NAME > my.yaml`, check it with `upgrade-advisor checklist lint my.yaml`.\n");
    print(&out)?;
    Ok(Exit::Success)
}

pub fn lint_command(path: &Path) -> Result<Exit> {
    let named = path.to_string_lossy();
    if named != "-" && !path.exists() && BUILTIN.iter().any(|(n, _)| *n == named) {
        let path = named;
        return Err(UsageError::new(
            format!("`{path}` is the name of a built-in checklist, and `checklist lint` takes the path of a checklist file (built-in checklists are checked when the tool is built)"),
            format!("to check your own copy: `upgrade-advisor checklist show {path} > my-checklist.yaml`, edit it, then `upgrade-advisor checklist lint my-checklist.yaml`"),
        )
        .into());
    }
    let source = read_source(path, InputKind::Checklist)?;
    let checklist = Checklist::from_yaml(&source.text, &source.origin)?;
    print(&format!(
        "{}: no faults found (checklist `{}` {}, {} sections, {} questions).\n",
        source.origin,
        checklist.id,
        checklist.version,
        checklist.sections.len(),
        checklist.questions.len()
    ))?;
    Ok(Exit::Success)
}

pub fn show_command(name: &str) -> Result<Exit> {
    match BUILTIN.iter().find(|(n, _)| *n == name) {
        Some((_, text)) => {
            print(text)?;
            Ok(Exit::Success)
        }
        None if Path::new(name).is_file()
            || name.ends_with(".yaml")
            || name.ends_with(".yml") =>
        {
            Err(UsageError::new(
                format!("`{name}` is a file, and `checklist show` takes the name of a built-in checklist"),
                format!("to check a checklist file: `upgrade-advisor checklist lint {name}`; to see the built-in names: `upgrade-advisor checklists`"),
            )
            .into())
        }
        None => {
            let names: Vec<&str> = BUILTIN.iter().map(|(n, _)| *n).collect();
            Err(UsageError::new(
                format!("there is no built-in checklist `{name}`"),
                format!("use one of: {}", names.join(", ")),
            )
            .into())
        }
    }
}

pub fn questions_command(args: &QuestionsArgs) -> Result<Exit> {
    let checklist = load_checklist(args.checklist.checklist.as_deref())?;
    let to_terminal = std::io::stdout().is_terminal();
    let width = super::shared::output_width(to_terminal, 100);
    let color = super::shared::use_color(to_terminal);
    print(&render_questions(
        &checklist,
        args.format,
        Some(width),
        color,
    ))?;
    Ok(Exit::Success)
}
