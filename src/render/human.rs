//! Output for people: aligned, optionally coloured text.

use super::display_path;
use crate::model::{
    Article, CrossTab, Entities, FacetResults, IndexReport, IndicatorCount, Indicators, Role,
    SearchResults, Snippet,
};
use std::io::{self, Write};

const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const HIGHLIGHT: &str = "\x1b[1;31m";
const RESET: &str = "\x1b[0m";

/// Styling choices for human output.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    /// Whether to emit ANSI colours.
    pub color: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("{code}{text}{RESET}")
        } else {
            text.to_string()
        }
    }
}

/// Writes the summary line(s) of an index run.
pub fn index_report(w: &mut impl Write, r: &IndexReport, index_dir: &str) -> io::Result<()> {
    writeln!(
        w,
        "indexed {}, unchanged {}, removed {}, skipped {} in {:.2}s; {} documents in {}",
        r.indexed,
        r.unchanged,
        r.removed,
        r.skipped.len(),
        r.seconds,
        r.total,
        index_dir
    )?;
    if r.interrupted {
        writeln!(
            w,
            "interrupted: the documents processed so far were committed"
        )?;
    }
    Ok(())
}

/// Writes a snippet with its highlights.
fn snippet(w: &mut impl Write, s: &Snippet, style: Style) -> io::Result<()> {
    let mut pos = 0;
    for r in &s.highlights {
        if r.start < pos || r.end > s.text.len() {
            continue;
        }
        write!(w, "{}", &s.text[pos..r.start])?;
        if style.color {
            write!(w, "{HIGHLIGHT}{}{RESET}", &s.text[r.clone()])?;
        } else {
            write!(w, "{}", &s.text[r.clone()])?;
        }
        pos = r.end;
    }
    write!(w, "{}", &s.text[pos..])
}

/// Writes search results, one block per hit; nothing when there is none
/// (the command says so on stderr: stdout carries results only).
pub fn search(w: &mut impl Write, r: &SearchResults, style: Style) -> io::Result<()> {
    if r.hits.is_empty() {
        return Ok(());
    }
    for (i, h) in r.hits.iter().enumerate() {
        let date = h
            .date
            .map_or_else(|| "undated".to_string(), |d| d.to_string());
        let title = if h.title.is_empty() {
            "(untitled)"
        } else {
            &h.title
        };
        write!(
            w,
            "{:>2}. {}  {}",
            i + 1,
            style.paint(BOLD, title),
            style.paint(DIM, &date)
        )?;
        if let Some(s) = h.score {
            write!(w, "  {}", style.paint(DIM, &format!("score {s:.2}")))?;
        }
        writeln!(w)?;
        writeln!(w, "    {}", display_path(&h.path))?;
        let facts = entity_line(&h.entities);
        if !facts.is_empty() {
            writeln!(w, "    {}", style.paint(DIM, &facts))?;
        }
        let ids = indicator_line(&h.indicators);
        if !ids.is_empty() {
            writeln!(w, "    {}", style.paint(DIM, &ids))?;
        }
        write!(w, "    ")?;
        snippet(w, &h.snippet, style)?;
        writeln!(w)?;
        writeln!(w)?;
    }
    let shown = r.hits.len();
    writeln!(
        w,
        "{shown} of {}",
        super::count_of(r.total, "matching report")
    )
}

/// Writes the paths of the hits, one per line (like `rg -l`).
pub fn paths(w: &mut impl Write, r: &SearchResults) -> io::Result<()> {
    for h in &r.hits {
        writeln!(w, "{}", display_path(&h.path))?;
    }
    Ok(())
}

/// Writes a number of matching reports alone on its line.
pub fn count(w: &mut impl Write, n: usize) -> io::Result<()> {
    writeln!(w, "{n}")
}

/// Writes "did you mean" suggestions for a query without hits (nothing
/// when there are none).
pub fn suggestions(w: &mut impl Write, near: &[String]) -> io::Result<()> {
    if near.is_empty() {
        return Ok(());
    }
    writeln!(w, "did you mean: {}?", near.join(", "))
}

fn entity_line(e: &Entities) -> String {
    let mut parts = Vec::new();
    for (label, v) in [
        ("actors", &e.actors),
        ("countries", &e.countries),
        ("targets", &e.targets),
        ("origins", &e.origins),
        ("sectors", &e.sectors),
    ] {
        if !v.is_empty() {
            parts.push(format!("{label}: {}", v.join(", ")));
        }
    }
    parts.join(" | ")
}

/// The CVE and technique ids of a hit, on one line.
fn indicator_line(ind: &Indicators) -> String {
    let mut parts = Vec::new();
    for (label, v) in [("cves", &ind.cves), ("techniques", &ind.techniques)] {
        if !v.is_empty() {
            parts.push(format!("{label}: {}", v.join(", ")));
        }
    }
    let indicators = ind
        .iocs
        .iter()
        .filter(|i| i.role == Role::Indicator)
        .count();
    if indicators > 0 {
        parts.push(format!("iocs: {indicators}"));
    }
    parts.join(" | ")
}

/// Writes facet counts as aligned tables with proportional bars.
pub fn facets(w: &mut impl Write, r: &FacetResults, style: Style) -> io::Result<()> {
    writeln!(w, "{}", super::count_of(r.total, "matching report"))?;
    for (name, values) in &r.facets {
        writeln!(w)?;
        writeln!(w, "{}", style.paint(BOLD, name))?;
        if values.is_empty() {
            writeln!(w, "  (none)")?;
            continue;
        }
        let width = values
            .iter()
            .map(|v| v.value.chars().count())
            .max()
            .unwrap_or(0);
        let max = values.iter().map(|v| v.count).max().unwrap_or(1).max(1);
        let digits = max.to_string().len();
        for v in values {
            let bar = "█".repeat(((v.count * 30).div_ceil(max)) as usize);
            writeln!(
                w,
                "  {:<width$}  {:>digits$}  {}",
                v.value,
                v.count,
                style.paint(DIM, &bar),
            )?;
        }
    }
    for c in &r.cross {
        writeln!(w)?;
        cross(w, c, style)?;
    }
    Ok(())
}

/// Writes a cross-tab as an aligned table.
pub fn cross(w: &mut impl Write, c: &CrossTab, style: Style) -> io::Result<()> {
    writeln!(
        w,
        "{}",
        style.paint(BOLD, &format!("{} × {}", c.row_field, c.column_field))
    )?;
    let first = c
        .rows
        .iter()
        .map(|r| r.chars().count())
        .max()
        .unwrap_or(0)
        .max(c.row_field.len());
    let widths: Vec<usize> = c
        .columns
        .iter()
        .map(|col| col.chars().count().max(3))
        .collect();
    write!(w, "  {:<first$}", "")?;
    for (col, wd) in c.columns.iter().zip(&widths) {
        write!(w, "  {col:>wd$}")?;
    }
    writeln!(w)?;
    for (row, counts) in c.rows.iter().zip(&c.counts) {
        write!(w, "  {row:<first$}")?;
        for (n, wd) in counts.iter().zip(&widths) {
            let cell = if *n == 0 {
                ".".to_string()
            } else {
                n.to_string()
            };
            write!(w, "  {cell:>wd$}")?;
        }
        writeln!(w)?;
    }
    Ok(())
}

/// Writes what would be indexed for one file.
pub fn extracted(
    w: &mut impl Write,
    path: &str,
    a: &Article,
    e: &Entities,
    ind: &Indicators,
) -> io::Result<()> {
    writeln!(w, "== {path}")?;
    writeln!(w, "title:     {}", a.title.as_deref().unwrap_or("(none)"))?;
    writeln!(
        w,
        "date:      {}",
        a.date.map_or_else(|| "(none)".into(), |d| d.to_string())
    )?;
    writeln!(w, "url:       {}", a.url.as_deref().unwrap_or("(none)"))?;
    writeln!(w, "tags:      {}", a.tags.join(", "))?;
    writeln!(w, "actors:    {}", e.actors.join(", "))?;
    writeln!(w, "countries: {}", e.countries.join(", "))?;
    if !e.seats.is_empty() {
        writeln!(
            w,
            "seats:     {} (where a cited vendor or agency sits)",
            e.seats.join(", ")
        )?;
    }
    writeln!(w, "targets:   {}", e.targets.join(", "))?;
    writeln!(w, "origins:   {}", e.origins.join(", "))?;
    writeln!(w, "sectors:   {}", e.sectors.join(", "))?;
    writeln!(w, "cves:      {}", ind.cves.join(", "))?;
    writeln!(w, "techniques: {}", ind.techniques.join(", "))?;
    let iocs: Vec<String> = ind
        .iocs
        .iter()
        .map(|i| match i.role {
            Role::Indicator => format!("{} {} ({})", i.kind.name(), i.value, i.scope.name()),
            Role::Reference => format!(
                "{} {} ({}, reference)",
                i.kind.name(),
                i.value,
                i.scope.name()
            ),
        })
        .collect();
    writeln!(w, "iocs:      {}", iocs.join(", "))?;
    writeln!(w, "text ({} chars):", a.text.chars().count())?;
    writeln!(w, "{}", a.text)?;
    writeln!(w)
}

/// The scope column of an indicator count (`-` for CVE and technique ids).
fn scope_cell(c: &IndicatorCount) -> &'static str {
    c.scope.map_or("-", |s| s.name())
}

/// Widest value column of the indicator table (a SHA-256 fits): a longer
/// value (a long URL) overflows its own row instead of widening every row.
pub const INDICATOR_VALUE_WIDTH: usize = 64;

/// Writes indicator counts as an aligned table: type, value, scope, role
/// (when references are listed), reports. Columns fit their content; values
/// longer than [`INDICATOR_VALUE_WIDTH`] overflow.
pub fn indicators(w: &mut impl Write, counts: &[IndicatorCount], style: Style) -> io::Result<()> {
    if counts.is_empty() {
        return writeln!(w, "no indicators in the matching reports");
    }
    let width = |f: &dyn Fn(&IndicatorCount) -> usize, min: usize| {
        counts.iter().map(f).max().unwrap_or(0).max(min)
    };
    let tw = width(&|c| c.kind.name().len(), 4);
    let vw = width(&|c| c.value.chars().count(), 5).min(INDICATOR_VALUE_WIDTH);
    let sw = width(&|c| scope_cell(c).len(), 5);
    let with_roles = counts.iter().any(|c| c.role == Some(Role::Reference));
    let rw = if with_roles { "reference".len() } else { 0 };
    let nw = width(&|c| c.reports.to_string().len(), "reports".len());
    let mut header = format!("{:<tw$}  {:<vw$}  {:<sw$}  ", "type", "value", "scope");
    if with_roles {
        header.push_str(&format!("{:<rw$}  ", "role"));
    }
    header.push_str(&format!("{:>nw$}", "reports"));
    writeln!(w, "{}", style.paint(BOLD, &header))?;
    for c in counts {
        write!(
            w,
            "{:<tw$}  {:<vw$}  {:<sw$}  ",
            c.kind.name(),
            c.value,
            scope_cell(c)
        )?;
        if with_roles {
            write!(w, "{:<rw$}  ", c.role.map_or("-", Role::name))?;
        }
        write!(w, "{:>nw$}", c.reports)?;
        if let Some(name) = crate::ioc::techniques::name(&c.value) {
            write!(w, "  {}", style.paint(DIM, name))?;
        }
        writeln!(w)?;
    }
    Ok(())
}

/// Writes indicator counts as CSV: `type,value,scope,role,reports` (scope
/// and role empty for CVE and technique ids). Values never hold commas or
/// quotes except in URLs, which are quoted when they do.
pub fn indicators_csv(w: &mut impl Write, counts: &[IndicatorCount]) -> io::Result<()> {
    writeln!(w, "type,value,scope,role,reports")?;
    for c in counts {
        let value = if c.value.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", c.value.replace('"', "\"\""))
        } else {
            c.value.clone()
        };
        writeln!(
            w,
            "{},{},{},{},{}",
            c.kind.name(),
            value,
            c.scope.map_or("", |s| s.name()),
            c.role.map_or("", Role::name),
            c.reports
        )?;
    }
    Ok(())
}
