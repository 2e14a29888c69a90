//! `threatdex export`: writes the matching reports as a STIX 2.1 bundle.

use super::{write_output, QueryContext};
use crate::cli::ExportArgs;
use anyhow::{Context, Result};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use threatdex::ioc::stix;
use threatdex::render::json;

/// Returns true if and only if `old` is a STIX bundle threatdex wrote: its
/// id is a version-5 (name-based) UUID, as threatdex makes them; other tools
/// use random (version 4) ids.
fn is_our_bundle(old: &[u8]) -> bool {
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(old) else {
        return false;
    };
    v["type"] == "bundle"
        && v["id"]
            .as_str()
            .and_then(|id| id.strip_prefix("bundle--"))
            .and_then(|u| uuid::Uuid::parse_str(u).ok())
            .is_some_and(|u| u.get_version_num() == 5)
}

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
        write_output(&args.stix, &bytes, is_our_bundle, args.force)
            .with_context(|| format!("writing the bundle to {}", args.stix.display()))?;
        eprintln!(
            "wrote {} ({}, {})",
            args.stix.display(),
            threatdex::render::count_of(docs.len() - omitted.empty_reports, "report"),
            threatdex::render::count_of(bundle.objects.len(), "object")
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
