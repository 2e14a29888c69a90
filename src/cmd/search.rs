//! `threatdex search`: resolves filters, builds the query, prints hits (or
//! only their paths, or only their number).

use super::{stdout_style, QueryContext};
use crate::cli::{SearchArgs, SearchFormat, SearchSort};
use anyhow::Result;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use threatdex::render::{human, json};
use threatdex::search::{SearchOptions, Sort};

/// Hits shown when `--limit` is not given (with `-l`, every match).
const DEFAULT_LIMIT: usize = 10;

pub fn run(dir: &Path, args: SearchArgs) -> Result<ExitCode> {
    if args.sort == Some(SearchSort::Score) && args.query.is_none() {
        return Err(threatdex::Error::Filter(
            "--sort score needs a query (without one, every report scores the same)".into(),
        )
        .into());
    }
    let q = QueryContext::open(dir, args.query.as_deref(), &args.filters)?;
    let mut out = std::io::stdout().lock();
    if args.count {
        let n = threatdex::search::count(&q.searcher, &q.plan)?;
        human::count(&mut out, n)?;
        out.flush()?;
        if n == 0 {
            did_you_mean(&q, args.query.as_deref())?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    // Any u64 is accepted; the library clamps it to the index size.
    let limit = match args.limit {
        Some(n) => usize::try_from(n).unwrap_or(usize::MAX),
        None if args.files_with_matches => usize::MAX,
        None => DEFAULT_LIMIT,
    };
    let options = SearchOptions {
        limit,
        sort: match args.sort {
            Some(SearchSort::Date) => Sort::Date,
            Some(SearchSort::Score) | None => Sort::Score,
        },
        snippets: !args.files_with_matches,
    };
    let results = threatdex::search::search_with(
        &q.searcher,
        &q.handle.fields,
        &q.plan,
        args.query.as_deref(),
        &options,
    )?;
    super::show::record_last_search(dir, args.query.as_deref(), &results);
    let format = print_hits(&mut out, &args, &results)?;
    if results.total == 0 {
        if format == SearchFormat::Human && !args.files_with_matches {
            eprintln!("threatdex: no reports match");
        }
        did_you_mean(&q, args.query.as_deref())?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints on stderr the indexed terms and actor names nearest to a query
/// that matched nothing.
fn did_you_mean(q: &QueryContext, text: Option<&str>) -> Result<()> {
    let Some(text) = text else {
        return Ok(());
    };
    let near = threatdex::search::suggest(&q.searcher, &q.handle.fields, &q.kb, text)?;
    human::suggestions(&mut std::io::stderr().lock(), &near)?;
    Ok(())
}

/// Writes search results in the format `args` asks for (paths only with
/// `-l`), local or remote alike, and flushes; returns the format used.
pub(super) fn print_hits(
    out: &mut impl Write,
    args: &SearchArgs,
    results: &threatdex::model::SearchResults,
) -> Result<SearchFormat> {
    let format = if args.json {
        SearchFormat::Json
    } else {
        args.format.unwrap_or(SearchFormat::Human)
    };
    if args.files_with_matches {
        human::paths(out, results)?;
    } else {
        match format {
            SearchFormat::Json => json::search(out, results)?,
            SearchFormat::Ndjson => json::search_ndjson(out, results)?,
            SearchFormat::Human => human::search(out, results, stdout_style())?,
        }
    }
    out.flush()?;
    Ok(format)
}
