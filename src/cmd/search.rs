//! `threatdex search`: resolves filters, builds the query, prints hits.

use super::{load_kb, raw_filters, stdout_style};
use crate::cli::SearchArgs;
use anyhow::{Context, Result};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use threatdex::index::IndexHandle;
use threatdex::query::{self, Filters};
use threatdex::render::{human, json};

pub fn run(dir: &Path, args: SearchArgs) -> Result<ExitCode> {
    let handle = IndexHandle::open(dir)?;
    let kb = load_kb(Some(&handle))?;
    let filters = Filters::resolve(&raw_filters(&args.filters), &kb)?;
    let plan = query::build(
        &handle.index,
        &handle.fields,
        &kb,
        args.query.as_deref(),
        &filters,
    )?;
    let reader = handle.reader().context("opening the index for reading")?;
    let results = threatdex::search::search(
        &reader.searcher(),
        &handle.fields,
        &plan,
        args.query.as_deref(),
        args.limit,
    )?;
    let mut out = std::io::stdout().lock();
    if args.json {
        json::search(&mut out, &results)?;
    } else {
        human::search(&mut out, &results, stdout_style())?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
