//! `threatdex show`: a report's main content laid out for the terminal,
//! by path or by its number in the last search (recorded by `search` in
//! the index directory).

use crate::cli::ShowArgs;
use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use threatdex::index::IndexHandle;
use threatdex::model::SearchResults;
use threatdex::query::{self, Filters};
use threatdex::reader::{mark::Marker, reader_html, sanitize, terminal};

/// The file in the index directory that holds the last search's hits.
const LAST_SEARCH_FILE: &str = "last-search.json";

/// The last search: its query and its hits' files, best first.
#[derive(Serialize, Deserialize)]
struct LastSearch {
    query: Option<String>,
    paths: Vec<String>,
}

/// Records a search's hits for `show N`. A failure to write is a warning:
/// the search itself succeeded.
pub(super) fn record_last_search(dir: &Path, query: Option<&str>, results: &SearchResults) {
    let last = LastSearch {
        query: query.map(str::to_string),
        paths: results.hits.iter().map(|h| h.path.clone()).collect(),
    };
    let file = dir.join(LAST_SEARCH_FILE);
    let tmp = dir.join(format!("{LAST_SEARCH_FILE}.tmp"));
    let written = serde_json::to_vec(&last)
        .map_err(std::io::Error::other)
        .and_then(|bytes| std::fs::write(&tmp, bytes))
        .and_then(|()| std::fs::rename(&tmp, &file));
    if let Err(e) = written {
        eprintln!(
            "threatdex: could not record the hits for `show` in {}: {e}",
            file.display()
        );
    }
}

/// The file to show and the query whose words to mark.
fn resolve(dir: &Path, hit: &str) -> Result<(PathBuf, Option<String>)> {
    let as_path = PathBuf::from(hit);
    let number = hit.trim().parse::<usize>().ok();
    if number.is_none() || as_path.is_file() {
        return Ok((as_path, None));
    }
    let n = number.unwrap_or(0);
    let file = dir.join(LAST_SEARCH_FILE);
    let bytes = std::fs::read(&file).with_context(|| {
        format!(
            "no last search to take hit {n} from ({}): run `threatdex search` first, or give a path",
            file.display()
        )
    })?;
    let last: LastSearch =
        serde_json::from_slice(&bytes).with_context(|| format!("reading {}", file.display()))?;
    match n.checked_sub(1).and_then(|i| last.paths.get(i)) {
        Some(p) => Ok((PathBuf::from(p), last.query)),
        None => bail!(threatdex::Error::Filter(format!(
            "the last search had {} hit(s); there is no hit {n}",
            last.paths.len()
        ))),
    }
}

/// The terminal's width, else `$COLUMNS`, else 80.
fn width() -> usize {
    if let Some((terminal_size::Width(w), _)) = terminal_size::terminal_size() {
        return w as usize;
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(80)
}

pub fn run(dir: &Path, args: ShowArgs) -> Result<ExitCode> {
    let (path, query_text) = resolve(dir, &args.hit)?;
    let Some(kind) = threatdex::ingest::source_kind(&path) else {
        bail!(threatdex::Error::Filter(format!(
            "{}: not a report file (.html, .htm, .txt, .md)",
            path.display()
        )));
    };
    let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
    let article =
        reader_html(&bytes, kind).map_err(|why| anyhow::anyhow!("{}: {why}", path.display()))?;
    let width = args.width.unwrap_or_else(width);
    // Cleaned as for a browser: no script text or `javascript:` footnote
    // reaches the terminal either.
    let clean = sanitize::clean(&article.html, article.url.as_deref());
    let body = terminal::render(&clean, width);
    let stdout = std::io::stdout();
    let color = stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let mut marker = match (&query_text, color) {
        (Some(q), true) => marker_for(dir, q),
        _ => None,
    };
    let mut out = stdout.lock();
    if let Some(t) = &article.title {
        if color {
            writeln!(out, "\x1b[1m{t}\x1b[0m")?;
        } else {
            writeln!(out, "{t}")?;
        }
    }
    let meta: Vec<String> = [
        article.date.map(|d| d.to_string()),
        article.url.clone(),
        Some(path.display().to_string()),
    ]
    .into_iter()
    .flatten()
    .collect();
    writeln!(out, "{}\n", meta.join(" · "))?;
    match marker.as_mut() {
        Some(m) => out.write_all(m.wrap(&body, "\x1b[1;33m", "\x1b[0m").as_bytes())?,
        None => out.write_all(body.as_bytes())?,
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// A marker for the query's words, when the index is there to analyse them
/// as search does.
fn marker_for(dir: &Path, text: &str) -> Option<Marker> {
    let handle = IndexHandle::open(dir).ok()?;
    let kb = super::load_kb(Some(&handle)).ok()?;
    let plan = query::build(
        &handle.index,
        &handle.fields,
        &kb,
        Some(text),
        &Filters::default(),
    )
    .ok()?;
    Marker::new(&handle.index, handle.fields.body, plan.text.as_deref()?)
}
