//! `threatdex search`: resolves filters, builds the query, prints hits.

use super::{stdout_style, QueryContext};
use crate::cli::SearchArgs;
use anyhow::Result;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use threatdex::render::{human, json};

pub fn run(dir: &Path, args: SearchArgs) -> Result<ExitCode> {
    let q = QueryContext::open(dir, args.query.as_deref(), &args.filters)?;
    let results = threatdex::search::search(
        &q.searcher,
        &q.handle.fields,
        &q.plan,
        args.query.as_deref(),
        args.limit,
    )?;
    super::show::record_last_search(dir, args.query.as_deref(), &results);
    let mut out = std::io::stdout().lock();
    if args.json {
        json::search(&mut out, &results)?;
    } else {
        human::search(&mut out, &results, stdout_style())?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
