//! The `threatdex` binary: parse arguments, run the command, report errors.

mod cli;
mod cmd;

use clap::Parser;
use std::process::ExitCode;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cmd::run(args) {
        Ok(code) => code,
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("threatdex: {err:#}");
            let usage = err.chain().any(|e| {
                e.downcast_ref::<threatdex::Error>()
                    .is_some_and(threatdex::Error::is_usage)
            });
            ExitCode::from(if usage { 2 } else { 1 })
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
