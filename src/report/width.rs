//! How wide tables may be, and tables that keep identifiers whole within that width.

use comfy_table::{ColumnConstraint, Table, Width};

/// The width of a table when the edge gives none: the narrowest terminal a report is read on.
/// (The edge measures the terminal; a renderer never does.)
pub const DEFAULT_WIDTH: u16 = 80;

/// Lines of running text between tables, wrapped at `width` columns on spaces (a single word
/// longer than the width keeps its own line). Table lines are left as they are.
pub fn wrap_prose(text: &str, width: u16) -> String {
    let width = usize::from(width.max(20));
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        // Table lines are left as they are: their cells were made safe when they were made
        // (`table::cells::plain`), and their colour codes are the table's own.
        let is_table = body.starts_with(['┌', '│', '╞', '├', '└', '╘', '╒', '┆']);
        if is_table {
            out.push_str(line);
            continue;
        }
        // Prose on a terminal: no control sequence from the data gets through.
        let body = &*crate::base::text::terminal_safe(body);
        if body.chars().count() <= width {
            out.push_str(body);
            out.push_str(end);
            continue;
        }
        let mut current = String::new();
        for word in body.split(' ') {
            let fits = current.chars().count() + 1 + word.chars().count() <= width;
            if !current.is_empty() && !fits {
                out.push_str(current.trim_end());
                out.push('\n');
                current.clear();
            }
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(word);
        }
        out.push_str(&current);
        out.push_str(end);
    }
    out
}

/// Gives every column at least the width of its longest word, so that ids, choice values and
/// headings are never split mid-word, as far as the table's width allows. When it does not
/// allow all of them, the columns with the most text give way first (they wrap anyway).
/// Constraints already set are kept where they ask for more.
pub fn keep_words_whole(table: &mut Table) {
    let Some(width) = table.width() else { return };
    let columns = table.column_iter().count();
    if columns == 0 {
        return;
    }
    let longest_word = |text: String| {
        text.split_whitespace()
            .map(|w| w.chars().count())
            .max()
            .unwrap_or(0)
    };
    let mut header = vec![0usize; columns];
    if let Some(row) = table.header() {
        for (i, cell) in row.cell_iter().enumerate().take(columns) {
            header[i] = longest_word(cell.content());
        }
    }
    let mut body = vec![0usize; columns];
    let mut volume = vec![0usize; columns];
    let mut content_width = vec![0usize; columns];
    for row in table.row_iter() {
        for (i, cell) in row.cell_iter().enumerate().take(columns) {
            let content = cell.content();
            volume[i] += content.chars().count();
            let widest_line = content.lines().map(|l| l.chars().count()).max();
            content_width[i] = content_width[i].max(widest_line.unwrap_or(0));
            body[i] = body[i].max(longest_word(content));
        }
    }
    // Borders (one more than the columns) and one space of padding on each side of a cell.
    let overhead = 3 * columns + 1;
    let available = usize::from(width).saturating_sub(overhead);
    // Values first (ids, choice values): the longest value words go only when even those do
    // not fit. Then headings, cheapest first, while they fit.
    let mut longest = body.clone();
    let mut kept: Vec<bool> = vec![true; columns];
    // What constraints already set ask for at least, in content columns.
    let floors: Vec<usize> = table
        .column_iter()
        .map(|c| match c.constraint() {
            Some(
                ColumnConstraint::LowerBoundary(Width::Fixed(n))
                | ColumnConstraint::Boundaries {
                    lower: Width::Fixed(n),
                    ..
                }
                | ColumnConstraint::Absolute(Width::Fixed(n)),
            ) => usize::from(*n).saturating_sub(2),
            _ => 1,
        })
        .collect();
    // The column with the most text (the prose) keeps a third of the room, or what it needs if
    // less, whatever the ids around it ask for.
    let mut floors = floors;
    if let Some(prose) = (0..columns).max_by_key(|i| volume[*i]) {
        let reserve = (available / 3).min(content_width[prose]);
        floors[prose] = floors[prose].max(reserve);
    }
    let needed = |longest: &[usize], kept: &[bool]| -> usize {
        longest
            .iter()
            .zip(kept)
            .zip(&floors)
            .map(|((w, k), floor)| if *k { (*w).max(*floor) } else { *floor })
            .sum()
    };
    // Prose columns (the most text) wrap anyway; they give way before id columns.
    while needed(&longest, &kept) > available {
        let Some(wordiest) = (0..columns).filter(|i| kept[*i]).max_by_key(|i| volume[*i]) else {
            break;
        };
        kept[wordiest] = false;
    }
    let mut by_cost: Vec<usize> = (0..columns).filter(|i| kept[*i]).collect();
    by_cost.sort_by_key(|i| header[*i].saturating_sub(body[*i]));
    for i in by_cost {
        let before = longest[i];
        longest[i] = longest[i].max(header[i]);
        if needed(&longest, &kept) > available {
            longest[i] = before;
        }
    }
    // The columns that gave way share what is left, rather than what the layout would give
    // them next to columns that already have their room.
    let dropped = kept.iter().filter(|k| !**k).count();
    let share = available
        .saturating_sub(needed(&longest, &kept))
        .checked_div(dropped)
        .unwrap_or(0);
    let constraints: Vec<Option<ColumnConstraint>> = table
        .column_iter()
        .zip(&longest)
        .zip(&kept)
        .zip(&floors)
        .map(|(((column, word), keep), floor)| {
            // comfy-table's column widths include the padding.
            let word = u16::try_from(*word + 2).unwrap_or(u16::MAX);
            if !keep {
                let room = u16::try_from(floor + share + 2).unwrap_or(u16::MAX);
                return match column.constraint().copied() {
                    None => Some(ColumnConstraint::LowerBoundary(Width::Fixed(room))),
                    other => other,
                };
            }
            Some(match column.constraint().copied() {
                None => ColumnConstraint::LowerBoundary(Width::Fixed(word)),
                Some(ColumnConstraint::LowerBoundary(Width::Fixed(n))) => {
                    ColumnConstraint::LowerBoundary(Width::Fixed(n.max(word)))
                }
                Some(ColumnConstraint::UpperBoundary(Width::Fixed(n))) => {
                    ColumnConstraint::Boundaries {
                        lower: Width::Fixed(word),
                        upper: Width::Fixed(n.max(word)),
                    }
                }
                Some(other) => other,
            })
        })
        .collect();
    for (column, constraint) in table.column_iter_mut().zip(constraints) {
        if let Some(constraint) = constraint {
            column.set_constraint(constraint);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use comfy_table::ContentArrangement;
    use comfy_table::presets::UTF8_FULL_CONDENSED;

    fn table(width: u16) -> Table {
        let mut t = Table::new();
        t.load_style(UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(width);
        t.set_header(vec!["Environment", "Recommendation", "Why"]);
        t.add_row(vec![
            "payments-prod",
            "blue-green",
            "a long explanation that wraps over several lines of the table without trouble",
        ]);
        t
    }

    #[test]
    fn headings_and_ids_stay_whole_within_the_width() {
        let mut t = table(50);
        keep_words_whole(&mut t);
        let text = t.to_string();
        assert!(text.lines().all(|l| l.chars().count() <= 50), "{text}");
        assert!(text.contains("Recommendation"), "{text}");
        assert!(text.contains("payments-prod"), "{text}");
    }

    #[test]
    fn prose_wraps_and_tables_stay() {
        let text = "┌──┐\none two three four five six seven eight nine ten eleven twelve\n";
        assert_eq!(
            wrap_prose(text, 20),
            "┌──┐\none two three four\nfive six seven eight\nnine ten eleven\ntwelve\n"
        );
    }

    #[test]
    fn too_narrow_a_table_still_fits() {
        let mut t = table(30);
        keep_words_whole(&mut t);
        let text = t.to_string();
        assert!(text.lines().all(|l| l.chars().count() <= 30), "{text}");
    }
}
