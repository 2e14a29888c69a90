//! The `threatdex` binary: parse arguments, run the command, report errors.

mod cli;
mod cmd;

use clap::Parser;
use std::process::ExitCode;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc v3's index of `mi_option_purge_delay` (`mi_option_e` in its
/// `mimalloc.h`; the crate does not name it for v3, the test below checks it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Memory settings for a short-lived process that frees and reuses the same
/// few hundred MiB all run long (an environment variable of mimalloc's name
/// still wins):
/// - purge delay -1: keep freed memory mapped instead of handing it back to the
///   kernel a second later, only for the kernel to zero it again when reused;
/// - no transparent huge pages (Linux): mimalloc's arena touches memory
///   sparsely, and each first touch of a huge page zeroes 2 MiB. Indexing
///   5,000 pages spent ~8% of its CPU in the kernel's `clear_page`, and peak
///   RSS was twice the memory in use. mimalloc reads its own THP option before
///   `main`, so the process opts out with `prctl` instead.
///
/// Together: 5k generated pages ~2.6 -> ~2.4 s wall, kernel time 0.8 -> 0.3 s,
/// peak RSS ~220 -> ~120 MiB (BENCH.md).
fn tune_allocator() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets one integer option; mimalloc reads options atomically.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    }
    #[cfg(target_os = "linux")]
    if std::env::var_os("MIMALLOC_ALLOW_THP").is_none() {
        // SAFETY: PR_SET_THP_DISABLE takes integer arguments and touches no
        // memory of ours; on failure (an old kernel) nothing changes.
        unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0) };
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
    /// The index names purge_delay: its documented default (1000 ms) reads
    /// back before `tune_allocator` runs, and -1 after.
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
        #[cfg(target_os = "linux")]
        if std::env::var_os("MIMALLOC_ALLOW_THP").is_none() {
            // SAFETY: PR_GET_THP_DISABLE reads one flag.
            assert_eq!(
                unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, 0, 0, 0, 0) },
                1
            );
        }
    }
}
