//! `threatdex export`: writes the matching reports as a STIX 2.1 bundle.

use super::QueryContext;
use crate::cli::ExportArgs;
use anyhow::{Context, Result};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use threatdex::ioc::stix;
use threatdex::render::json;

pub fn run(dir: &Path, args: ExportArgs) -> Result<ExitCode> {
    let q = QueryContext::open(dir, args.query.as_deref(), &args.filters)?;
    let docs = threatdex::search::report_docs(&q.searcher, &q.handle.fields, &q.plan)?;
    let (bundle, omitted) = stix::bundle(&docs, &q.kb);
    let mut bytes = Vec::new();
    json::stix(&mut bytes, &bundle)?;
    if args.stix.as_os_str() == "-" {
        let mut out = std::io::stdout().lock();
        out.write_all(&bytes)?;
        out.flush()?;
    } else {
        std::fs::write(&args.stix, &bytes)
            .with_context(|| format!("writing the bundle to {}", args.stix.display()))?;
        eprintln!(
            "wrote {} ({} reports, {} objects)",
            args.stix.display(),
            docs.len() - omitted.empty_reports,
            bundle.objects.len()
        );
    }
    if omitted.references > 0 {
        eprintln!(
            "threatdex: left out {} reference(s): links the reports cite, which are not \
             indicators (`threatdex iocs --references` lists them)",
            omitted.references
        );
    }
    if omitted.empty_reports > 0 {
        eprintln!(
            "threatdex: left out {} report(s) naming no actor, sector, country or indicator \
             (a STIX report needs at least one object)",
            omitted.empty_reports
        );
    }
    Ok(ExitCode::SUCCESS)
}
