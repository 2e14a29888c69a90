//! `threatdex completions SHELL` and `threatdex man`: generated from the clap
//! definitions, so they always match the flags.

use crate::cli::Cli;
use anyhow::Result;
use clap::CommandFactory;
use std::io::Write;
use std::process::ExitCode;

/// Writes the completion script for `shell` to stdout.
pub fn completions(shell: clap_complete::Shell) -> Result<ExitCode> {
    let mut cmd = Cli::command();
    let mut out = std::io::stdout().lock();
    clap_complete::generate(shell, &mut cmd, "threatdex", &mut out);
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Writes the manual page (roff) of threatdex, or of one subcommand
/// (`threatdex-search(1)`), to stdout.
pub fn man(subcommand: Option<&str>) -> Result<ExitCode> {
    let cmd = Cli::command();
    let page = match subcommand {
        None => cmd,
        Some(name) => {
            let Some(sub) = cmd.find_subcommand(name) else {
                let names: Vec<&str> = cmd.get_subcommands().map(|s| s.get_name()).collect();
                return Err(threatdex::Error::Filter(format!(
                    "no subcommand {name:?} (one of: {})",
                    names.join(", ")
                ))
                .into());
            };
            sub.clone().name(format!("threatdex-{}", sub.get_name()))
        }
    };
    let mut out = std::io::stdout().lock();
    clap_mangen::Man::new(page).render(&mut out)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
