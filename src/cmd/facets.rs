//! `threatdex facets`: counts reports per facet value, with cross-tabs.

use super::{stdout_style, QueryContext};
use crate::cli::FacetsArgs;
use anyhow::{bail, Result};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use threatdex::facets::TimeRange;
use threatdex::index::schema::Dimension;
use threatdex::render::{human, json, table};

/// Values per dimension without --top.
const DEFAULT_TOP: usize = 10;

fn dimension(name: &str) -> Result<Dimension> {
    Dimension::from_name(name)
        .ok_or_else(|| threatdex::Error::Filter(format!("unknown facet field {name:?}")))
        .map_err(Into::into)
}

pub fn run(dir: &Path, args: FacetsArgs) -> Result<ExitCode> {
    let mut dims: Vec<Dimension> = args
        .by
        .iter()
        .map(|s| dimension(s))
        .collect::<Result<_>>()?;
    let mut crosses = Vec::new();
    for spec in &args.cross {
        let Some((r, c)) = spec.split_once(',') else {
            bail!(threatdex::Error::Filter(format!(
                "--cross wants ROWS,COLUMNS, got {spec:?}"
            )));
        };
        crosses.push((dimension(r)?, dimension(c)?));
    }
    if dims.is_empty() && crosses.is_empty() {
        dims = vec![
            Dimension::Actor,
            Dimension::Country,
            Dimension::Sector,
            Dimension::Year,
        ];
    }
    let q = QueryContext::open(dir, args.query.as_deref(), &args.filters)?;
    let searcher = &q.searcher;
    let top = args.top.unwrap_or(DEFAULT_TOP);
    let range = match args.top {
        Some(n) => TimeRange::Last(n),
        None if args.filters.since.is_some() || args.filters.until.is_some() => TimeRange::All,
        None => TimeRange::Auto,
    };
    let mut results =
        threatdex::facets::facets_in_range(searcher, &*q.plan.query, &dims, top, range)?;
    for (r, c) in crosses {
        results.cross.push(threatdex::facets::cross(
            searcher,
            &q.handle.fields,
            &*q.plan.query,
            r,
            c,
            top,
        )?);
    }
    let mut out = std::io::stdout().lock();
    if args.json {
        json::facets(&mut out, &results)?;
    } else if args.csv {
        table::facets_csv(&mut out, &results)?;
    } else if args.markdown {
        table::facets_markdown(&mut out, &results)?;
    } else {
        human::facets(&mut out, &results, stdout_style())?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
