//! `threatdex pdf-text FILE` (hidden): the child process in which `index`
//! extracts one PDF, under a memory limit, answering in JSON on stdout.

use crate::cli::PdfTextArgs;
use anyhow::Result;
use std::process::ExitCode;
use threatdex::ingest::pdf::isolate::child_main;

pub fn run(args: PdfTextArgs) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    child_main(&args.file, args.max_memory, &mut out)?;
    Ok(ExitCode::SUCCESS)
}
