//! Facet counts as CSV and as Markdown tables, for spreadsheets and reports.

use crate::model::{CrossTab, FacetResults};
use std::io::{self, Write};

/// Quotes a CSV field when it needs it (RFC 4180).
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Escapes a Markdown table cell.
fn md_cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// Writes facet counts as CSV: `field,value,count` rows, then each cross-tab
/// as a block whose header row is `rows\columns,<columns…>`.
pub fn facets_csv(w: &mut impl Write, r: &FacetResults) -> io::Result<()> {
    if !r.facets.is_empty() {
        writeln!(w, "field,value,count")?;
        for (field, values) in &r.facets {
            for v in values {
                writeln!(
                    w,
                    "{},{},{}",
                    csv_field(field),
                    csv_field(&v.value),
                    v.count
                )?;
            }
        }
    }
    for (i, c) in r.cross.iter().enumerate() {
        if i > 0 || !r.facets.is_empty() {
            writeln!(w)?;
        }
        cross_csv(w, c)?;
    }
    Ok(())
}

/// Writes one cross-tab as CSV.
pub fn cross_csv(w: &mut impl Write, c: &CrossTab) -> io::Result<()> {
    let mut header = vec![csv_field(&format!("{}\\{}", c.row_field, c.column_field))];
    header.extend(c.columns.iter().map(|s| csv_field(s)));
    writeln!(w, "{}", header.join(","))?;
    for (row, counts) in c.rows.iter().zip(&c.counts) {
        let mut cells = vec![csv_field(row)];
        cells.extend(counts.iter().map(u64::to_string));
        writeln!(w, "{}", cells.join(","))?;
    }
    Ok(())
}

/// Writes facet counts as Markdown: one two-column table per field, with a
/// share-of-reports column, then each cross-tab as a table.
pub fn facets_markdown(w: &mut impl Write, r: &FacetResults) -> io::Result<()> {
    writeln!(w, "**{}**", super::count_of(r.total, "report"))?;
    for (field, values) in &r.facets {
        writeln!(w)?;
        writeln!(w, "| {} | reports | share |", md_cell(field))?;
        writeln!(w, "|---|---:|---:|")?;
        for v in values {
            let share = if r.total == 0 {
                0.0
            } else {
                v.count as f64 * 100.0 / r.total as f64
            };
            writeln!(w, "| {} | {} | {:.0}% |", md_cell(&v.value), v.count, share)?;
        }
    }
    for c in &r.cross {
        writeln!(w)?;
        cross_markdown(w, c)?;
    }
    Ok(())
}

/// Writes one cross-tab as a Markdown table.
pub fn cross_markdown(w: &mut impl Write, c: &CrossTab) -> io::Result<()> {
    write!(
        w,
        "| {} \\ {} |",
        md_cell(&c.row_field),
        md_cell(&c.column_field)
    )?;
    for col in &c.columns {
        write!(w, " {} |", md_cell(col))?;
    }
    writeln!(w)?;
    write!(w, "|---|")?;
    for _ in &c.columns {
        write!(w, "---:|")?;
    }
    writeln!(w)?;
    for (row, counts) in c.rows.iter().zip(&c.counts) {
        write!(w, "| {} |", md_cell(row))?;
        for n in counts {
            write!(w, " {n} |")?;
        }
        writeln!(w)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::FacetCount;

    fn results() -> FacetResults {
        FacetResults {
            total: 4,
            facets: vec![(
                "actor".into(),
                vec![
                    FacetCount {
                        value: "Volt Typhoon".into(),
                        count: 3,
                    },
                    FacetCount {
                        value: "A, \"B\"".into(),
                        count: 1,
                    },
                ],
            )],
            cross: vec![CrossTab {
                row_field: "actor".into(),
                column_field: "sector".into(),
                rows: vec!["Volt Typhoon".into()],
                columns: vec!["water".into(), "energy".into()],
                counts: vec![vec![2, 1]],
            }],
        }
    }

    #[test]
    fn csv_quotes_and_blocks() {
        let mut out = Vec::new();
        facets_csv(&mut out, &results()).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert_eq!(
            s,
            "field,value,count\nactor,Volt Typhoon,3\nactor,\"A, \"\"B\"\"\",1\n\nactor\\sector,water,energy\nVolt Typhoon,2,1\n"
        );
    }

    #[test]
    fn markdown_tables() {
        let mut out = Vec::new();
        facets_markdown(&mut out, &results()).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(
            s.contains("| actor | reports | share |\n|---|---:|---:|\n| Volt Typhoon | 3 | 75% |"),
            "{s}"
        );
        assert!(
            s.contains(
                "| actor \\ sector | water | energy |\n|---|---:|---:|\n| Volt Typhoon | 2 | 1 |"
            ),
            "{s}"
        );
    }
}
