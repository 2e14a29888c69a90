//! `threatdex serve`: opens the index read-only and serves it over HTTP.

use super::load_kb;
use crate::cli::ServeArgs;
use anyhow::{Context, Result};
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;
use threatdex::index::IndexHandle;
use threatdex::serve::{self, Limits, ServeOptions};

pub fn run(dir: &Path, args: ServeArgs) -> Result<ExitCode> {
    let token = args.token.filter(|t| !t.is_empty());
    serve::check_exposure(&args.addr, token.as_deref())?;
    let handle = IndexHandle::open(dir)?;
    let kb = load_kb(Some(&handle))?;
    let options = ServeOptions {
        addr: args.addr,
        token,
        limits: Limits {
            request_timeout: Duration::from_secs(args.timeout.max(1)),
            ..Limits::default()
        },
    };
    let index = dir.display().to_string();
    serve::serve(handle, kb, options, |bound| {
        eprintln!("threatdex: serving {index} on http://{bound}/ (Ctrl-C stops)");
    })
    .with_context(|| format!("serving on {}", args.addr))?;
    Ok(ExitCode::SUCCESS)
}
