//! `threatdex iocs`: the indicators of the matching reports, most named first.

use super::{stdout_style, QueryContext};
use crate::cli::IocsArgs;
use anyhow::Result;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use threatdex::indicator_counts::{indicator_counts, IndicatorFilter};
use threatdex::model::{IndicatorKind, Role};
use threatdex::render::{human, json};

pub fn run(dir: &Path, args: IocsArgs) -> Result<ExitCode> {
    let filter = IndicatorFilter {
        // clap has checked the names already.
        kinds: args
            .kinds
            .iter()
            .filter_map(|k| IndicatorKind::from_name(k))
            .collect(),
        roles: if args.all {
            vec![Role::Indicator, Role::Reference]
        } else if args.references {
            vec![Role::Reference]
        } else {
            vec![Role::Indicator]
        },
    };
    let q = QueryContext::open(dir, args.query.as_deref(), &args.filters)?;
    let mut counts = indicator_counts(&q.searcher, &*q.plan.query, &filter)?;
    if let Some(n) = args.limit {
        // Larger than any list: keeps everything.
        counts.truncate(usize::try_from(n).unwrap_or(usize::MAX));
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
