//! One module per subcommand; this file only dispatches and holds the small
//! helpers they share (index location, knowledge base, output style).

mod actor;
mod export;
mod extract;
mod facets;
mod index;
mod iocs;
mod kb;
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
use threatdex::query::{self, Filters, Plan, RawFilters};
use threatdex::render::human::Style;

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<ExitCode> {
    let dir = index_dir(cli.index)?;
    match cli.command {
        Command::Index(a) => index::run(&dir, a),
        Command::Search(a) => search::run(&dir, a),
        Command::Facets(a) => facets::run(&dir, a),
        Command::Iocs(a) => iocs::run(&dir, a),
        Command::Export(a) => export::run(&dir, a),
        Command::Extract(a) => extract::run(a),
        Command::Actor(a) => actor::run(&dir, a),
        Command::Report(a) => report::run(&dir, a),
        Command::Kb(a) => kb::run(&dir, a),
        Command::Serve(a) => serve::run(&dir, a),
        Command::Show(a) => show::run(&dir, a),
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
        let filters = Filters::resolve(&raw_filters(filters), &kb)?;
        let plan = query::build(&handle.index, &handle.fields, &kb, text, &filters)?;
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
