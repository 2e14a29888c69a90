//! One module per subcommand; this file only dispatches and holds the small
//! helpers they share (index location, knowledge base, output style).

mod actor;
mod docs;
mod export;
mod extract;
mod facets;
mod index;
mod iocs;
mod kb;
mod pdf_text;
mod quickwit;
mod remote;
mod report;
mod search;
mod serve;
mod show;

use crate::cli::{Cli, Command, FilterArgs};
use anyhow::{Context, Result};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use threatdex::index::IndexHandle;
use threatdex::kb::Kb;
use threatdex::query::{Filters, Plan, Prepared, RawFilters};
use threatdex::render::human::Style;

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<ExitCode> {
    let index = cli.index.clone();
    let dir = || index_dir(cli.index);
    match cli.command {
        Command::Completions(a) => docs::completions(a.shell),
        Command::Man(a) => docs::man(a.command.as_deref()),
        Command::Index(a) => index::run(&dir()?, a),
        Command::Search(a) => match a.remote.remote.clone() {
            Some(r) => remote::search(&dir()?, &r, a),
            None => search::run(&dir()?, a),
        },
        Command::Facets(a) => match a.remote.remote.clone() {
            Some(r) => remote::facets(&dir()?, &r, a),
            None => facets::run(&dir()?, a),
        },
        Command::Iocs(a) => match a.remote.remote.clone() {
            Some(r) => remote::iocs(&dir()?, &r, a),
            None => iocs::run(&dir()?, a),
        },
        Command::Export(a) => match a.remote.remote.clone() {
            Some(r) => remote::export(&dir()?, &r, a),
            None => export::run(&dir()?, a),
        },
        Command::Extract(a) => extract::run(a),
        Command::Actor(a) => match a.remote.remote.clone() {
            Some(r) => remote::actor(&dir()?, &r, a),
            None => actor::run(&dir()?, a),
        },
        Command::Report(a) => match a.remote.remote.clone() {
            Some(r) => remote::report(&dir()?, &r, a),
            None => report::run(&dir()?, a),
        },
        Command::Quickwit(a) => quickwit::run(index.as_deref(), a),
        Command::Kb(a) => kb::run(&dir()?, a),
        // The PDF child process needs no index directory.
        Command::PdfText(a) => pdf_text::run(a),
        Command::Serve(a) => serve::run(&dir()?, a),
        Command::Show(a) => show::run(&dir()?, a),
    }
}

/// The index directory: `--index`, `$THREATDEX_INDEX` (both via clap), else
/// the platform's user data directory.
fn index_dir(given: Option<PathBuf>) -> Result<PathBuf> {
    match given {
        Some(d) => Ok(d),
        None => threatdex::index::default_dir()
            .context("no home directory to keep the index in: pass --index DIR"),
    }
}

/// Loads the knowledge base: the index's imported actors if any, else the
/// built-in catalogue.
fn load_kb(handle: Option<&IndexHandle>) -> Result<Kb> {
    let extra = match handle {
        Some(h) => h.imported_actors()?,
        None => None,
    };
    Kb::with_extra_actors(extra.as_deref()).context("loading the knowledge base")
}

/// What every query command (search, facets, iocs, export, report) works
/// on: the open index, its knowledge base, the resolved filters, the query
/// plan and a searcher over the last commit.
struct QueryContext {
    handle: IndexHandle,
    kb: Kb,
    filters: Filters,
    plan: Plan,
    searcher: tantivy::Searcher,
}

impl QueryContext {
    /// Opens the index at `dir` and plans the query `text` with `filters`.
    fn open(dir: &std::path::Path, text: Option<&str>, filters: &FilterArgs) -> Result<Self> {
        let handle = IndexHandle::open(dir)?;
        let kb = load_kb(Some(&handle))?;
        let Prepared { filters, plan } = Prepared::new(
            &handle.index,
            &handle.fields,
            &kb,
            text,
            &raw_filters(filters),
        )?;
        let searcher = handle
            .reader()
            .context("opening the index for reading")?
            .searcher();
        Ok(QueryContext {
            handle,
            kb,
            filters,
            plan,
            searcher,
        })
    }
}

/// Writes `bytes` to the file `path` that the user named as an output.
///
/// A file that is already there is replaced only when `is_ours` recognises
/// it as something threatdex wrote before (a report page, a bundle), or with
/// `force`: threatdex never overwrites a file it did not create. The new
/// content goes to a temporary file beside it first and is renamed into
/// place, so an interrupted write leaves the old file whole.
fn write_output(
    path: &std::path::Path,
    bytes: &[u8],
    is_ours: fn(&[u8]) -> bool,
    force: bool,
) -> Result<()> {
    match std::fs::read(path) {
        Ok(old) if !force && !is_ours(&old) => {
            return Err(threatdex::Error::Filter(format!(
                "refusing to overwrite {}: threatdex did not write it (pass --force to replace it)",
                path.display()
            ))
            .into());
        }
        Err(e) if path.is_dir() => {
            return Err(e).with_context(|| format!("{} is a directory", path.display()));
        }
        _ => {}
    }
    let name = path.file_name().map_or_else(
        || "threatdex-output".into(),
        |n| n.to_string_lossy().into_owned(),
    );
    let tmp = path.with_file_name(format!(".{name}.threatdex-tmp-{}", std::process::id()));
    std::fs::write(&tmp, bytes).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| {
        let _ = std::fs::remove_file(&tmp);
        format!("writing {}", path.display())
    })
}

/// Output style for stdout: colour only on a terminal and without NO_COLOR.
fn stdout_style() -> Style {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    Style {
        color: !no_color && std::io::stdout().is_terminal(),
    }
}

fn raw_filters(f: &FilterArgs) -> RawFilters {
    RawFilters {
        actors: f.actor.clone(),
        countries: f.country.clone(),
        targets: f.target.clone(),
        sectors: f.sector.clone(),
        origins: f.origin.clone(),
        since: f.since,
        until: f.until,
        cves: f.cve.clone(),
        techniques: f.technique.clone(),
        iocs: f.ioc.clone(),
    }
}
