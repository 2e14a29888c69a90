//! `threatdex facets`: counts reports per facet value, with cross-tabs.

use super::{stdout_style, QueryContext};
use crate::cli::FacetsArgs;
use anyhow::Result;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use threatdex::facets::FacetRequest;
use threatdex::render::{human, json, table};

pub fn run(dir: &Path, args: FacetsArgs) -> Result<ExitCode> {
    let request = FacetRequest::parse(
        &args.by,
        &args.cross,
        args.top,
        args.filters.since.is_some() || args.filters.until.is_some(),
    )?;
    let q = QueryContext::open(dir, args.query.as_deref(), &args.filters)?;
    let results = request.run(&q.searcher, &q.handle.fields, &*q.plan.query)?;
    print_counts(&args, &results)?;
    Ok(ExitCode::SUCCESS)
}

/// Writes facet counts to stdout in the format `args` asks for, local or
/// remote alike.
pub(super) fn print_counts(
    args: &FacetsArgs,
    results: &threatdex::model::FacetResults,
) -> Result<()> {
    let mut out = std::io::stdout().lock();
    if args.json {
        json::facets(&mut out, results)?;
    } else if args.csv {
        table::facets_csv(&mut out, results)?;
    } else if args.markdown {
        table::facets_markdown(&mut out, results)?;
    } else {
        human::facets(&mut out, results, stdout_style())?;
    }
    out.flush()?;
    Ok(())
}
