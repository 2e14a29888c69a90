//! The `threatdex` binary: parse arguments, run the command, report errors.

mod cli;
mod cmd;

use clap::Parser;
use std::process::ExitCode;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (the index of the option in
/// `mi_option_e`, mimalloc v3's `mimalloc.h`; the `main` test checks it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Keep freed memory mapped instead of handing it back to the kernel a second
/// later. Indexing frees and reuses the same few hundred MiB all run long; with
/// purging on, the kernel zeroes the returned (huge) pages again each time they
/// are touched, ~7% of indexing CPU. Peak RSS is what it was (memory is reused,
/// not grown); the process is short-lived. `MIMALLOC_PURGE_DELAY` still wins.
fn tune_allocator() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets one integer option; mimalloc reads options atomically.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    }
}

fn main() -> ExitCode {
    tune_allocator();
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

#[cfg(test)]
mod tests {
    /// The option index names purge_delay: its documented default (1000 ms in
    /// mimalloc v3) reads back before `tune_allocator` runs, and the next
    /// option, `use_numa_nodes`, is not it.
    #[test]
    fn purge_delay_option_index() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            eprintln!("MIMALLOC_PURGE_DELAY is set; option default not checked");
            return;
        }
        let get = |o| unsafe { libmimalloc_sys::mi_option_get(o) };
        assert_eq!(get(super::MI_OPTION_PURGE_DELAY), 1000);
        super::tune_allocator();
        assert_eq!(get(super::MI_OPTION_PURGE_DELAY), -1);
    }
}
