//! `threatdex iocs`: the indicators of the matching reports, most named first.

use super::{load_kb, raw_filters, stdout_style};
use crate::cli::IocsArgs;
use anyhow::{Context, Result};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use threatdex::index::IndexHandle;
use threatdex::model::IndicatorKind;
use threatdex::query::{self, Filters};
use threatdex::render::{human, json};

pub fn run(dir: &Path, args: IocsArgs) -> Result<ExitCode> {
    // clap has checked the names already.
    let kinds: Vec<IndicatorKind> = args
        .kinds
        .iter()
        .filter_map(|k| IndicatorKind::from_name(k))
        .collect();
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
    let mut counts = threatdex::search::indicator_counts(&reader.searcher(), &*plan.query, &kinds)?;
    if let Some(n) = args.limit {
        counts.truncate(n);
    }
    let mut out = std::io::stdout().lock();
    if args.json {
        json::indicators(&mut out, &counts)?;
    } else if args.csv {
        human::indicators_csv(&mut out, &counts)?;
    } else {
        human::indicators(&mut out, &counts, stdout_style())?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
