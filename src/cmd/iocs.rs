//! `threatdex iocs`: the indicators of the matching reports, most named first.

use super::{stdout_style, QueryContext};
use crate::cli::IocsArgs;
use anyhow::Result;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use threatdex::model::IndicatorKind;
use threatdex::render::{human, json};

pub fn run(dir: &Path, args: IocsArgs) -> Result<ExitCode> {
    // clap has checked the names already.
    let kinds: Vec<IndicatorKind> = args
        .kinds
        .iter()
        .filter_map(|k| IndicatorKind::from_name(k))
        .collect();
    let q = QueryContext::open(dir, args.query.as_deref(), &args.filters)?;
    let mut counts = threatdex::search::indicator_counts(&q.searcher, &*q.plan.query, &kinds)?;
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
