//! `threatdex report`: writes a self-contained report page (placeholder until
//! the report renderer lands).

use crate::cli::ReportArgs;
use anyhow::{bail, Result};
use std::path::Path;
use std::process::ExitCode;

pub fn run(_dir: &Path, args: ReportArgs) -> Result<ExitCode> {
    bail!("report is not implemented yet (asked for {})", args.out.display())
}
