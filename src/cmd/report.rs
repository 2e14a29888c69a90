//! `threatdex report`: writes a self-contained HTML page (or Markdown) with
//! headline numbers, charts, the actor × sector heat map and the top reports.

use super::{write_output, QueryContext};
use crate::cli::ReportArgs;
use anyhow::{bail, Context, Result};
use std::path::Path;
use std::process::ExitCode;
use threatdex::render::report;
use threatdex::report::{compute, ReportOptions};

/// Output formats, chosen by the file extension.
enum Format {
    Html,
    Markdown,
}

fn format_of(out: &Path) -> Result<Format> {
    let ext = out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("html" | "htm") => Ok(Format::Html),
        Some("md" | "markdown") => Ok(Format::Markdown),
        _ => bail!(threatdex::Error::Filter(format!(
            "--out {}: the report is written as .html or .md, chosen by the extension",
            out.display()
        ))),
    }
}

/// Returns true if and only if `old` is a report page threatdex wrote: its
/// HTML names threatdex as the generator, its Markdown ends with the mark
/// [`report::MARKDOWN_MARK`].
fn is_our_report(old: &[u8]) -> bool {
    let head = &old[..old.len().min(4096)];
    let tail = &old[old.len().saturating_sub(256)..];
    memchr::memmem::find(head, b"<meta name=\"generator\" content=\"threatdex").is_some()
        || memchr::memmem::find(tail, report::MARKDOWN_MARK.as_bytes()).is_some()
}

pub fn run(dir: &Path, args: ReportArgs) -> Result<ExitCode> {
    let format = format_of(&args.out)?;
    let q = QueryContext::open(dir, args.query.as_deref(), &args.filters)?;
    let mut data = compute(
        &q.searcher,
        &q.handle.fields,
        &q.kb,
        &q.plan,
        args.query.as_deref(),
        &q.filters,
        &ReportOptions {
            top: args.top,
            reports: args.reports,
            title: args.title.clone(),
        },
    )?;
    data.generated = Some(chrono::Local::now().format("%Y-%m-%d %H:%M").to_string());
    let mut page = Vec::new();
    match format {
        Format::Html => report::html(&mut page, &data)?,
        Format::Markdown => report::markdown(&mut page, &data)?,
    }
    write_output(&args.out, &page, is_our_report, args.force)
        .with_context(|| format!("writing the report to {}", args.out.display()))?;
    eprintln!(
        "wrote {} ({} matching reports)",
        args.out.display(),
        data.total
    );
    Ok(ExitCode::SUCCESS)
}
