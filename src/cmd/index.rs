//! `threatdex index`: runs the indexer with a progress bar and prints the summary.

use crate::cli::IndexArgs;
use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use threatdex::index::imported_actors_in;
use threatdex::index::indexer::{index_paths, IndexOptions, Progress};
use threatdex::ingest::jsonl::FieldMap;
use threatdex::ingest::pdf::isolate::Isolation;
use threatdex::ingest::IngestOptions;
use threatdex::kb::Kb;
use threatdex::model::Skipped;
use threatdex::remote::ingest::{feed, state_key, BatchLimits, State};
use threatdex::remote::search::Remote;
use threatdex::remote::Target;
use threatdex::render::{display_path, human, json};

/// The folder of the records of what was sent to clusters, beside the
/// index directory (without `--state`).
const STATE_DIR: &str = "quickwit-state";

struct Bar {
    bar: Option<ProgressBar>,
    quiet: bool,
}

impl Progress for Bar {
    fn start(&self, total: u64) {
        if let Some(b) = &self.bar {
            b.set_length(total);
        }
    }
    fn advance(&self) {
        if let Some(b) = &self.bar {
            b.inc(1);
        }
    }
    fn skipped(&self, s: &Skipped) {
        if self.quiet {
            return;
        }
        let line = format!(
            "skipped {}: {}",
            display_path(&threatdex::model::path_key(&s.path)),
            s.reason
        );
        match &self.bar {
            Some(b) => b.println(line),
            None => eprintln!("threatdex: {line}"),
        }
    }
}

/// Returns true if and only if the terminal on stdin echoes control
/// characters (`^C`) as it does by default (termios ECHO and ECHOCTL).
fn terminal_echoes_ctrl_c() -> bool {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: tcgetattr writes into the zeroed struct we own; fd 0 is
        // only read from.
        let mut t: libc::termios = unsafe { std::mem::zeroed() };
        if unsafe { libc::tcgetattr(0, &mut t) } != 0 {
            return false;
        }
        t.c_lflag & libc::ECHO != 0 && t.c_lflag & libc::ECHOCTL != 0
    }
    #[cfg(not(target_os = "linux"))]
    {
        false
    }
}

pub fn run(dir: &Path, args: IndexArgs) -> Result<ExitCode> {
    // The imported catalogue (if any) lives in the index directory, and
    // outlives --rebuild.
    let imported = imported_actors_in(dir).context("reading the imported knowledge base")?;
    let kb = Kb::with_extra_actors(imported.as_deref()).context("loading the knowledge base")?;
    let bar = (!args.quiet && std::io::stderr().is_terminal()).then(|| {
        let b = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
        b.set_style(
            ProgressStyle::with_template("{spinner} {pos}/{len} files {wide_bar} {rate} eta {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .with_key(
                    "rate",
                    |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                        let _ = write!(w, "{:.0} files/s", state.per_sec());
                    },
                ),
        );
        b.enable_steady_tick(Duration::from_millis(120));
        b
    });
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = Arc::clone(&stop);
        let bar = bar.clone();
        let _ = ctrlc::set_handler(move || {
            // A second Ctrl-C while committing falls back to the default exit.
            if stop.swap(true, Ordering::SeqCst) {
                std::process::exit(130);
            }
            // The bar's line fills the terminal's width, so the terminal's
            // echo of ^C wraps onto a new line, and clearing "the bar's line"
            // would clear that one: clear it, step up to the bar, clear that
            // too, and draw no more.
            if let Some(b) = &bar {
                if terminal_echoes_ctrl_c() {
                    eprint!("\r\x1b[2K\x1b[1A");
                }
                b.finish_and_clear();
                b.set_draw_target(ProgressDrawTarget::hidden());
            }
        });
    }
    let progress = Bar {
        bar,
        quiet: args.quiet,
    };
    let mut ingest = IngestOptions::default();
    if let Some(spec) = &args.jsonl_map {
        ingest.jsonl_map = FieldMap::parse(spec)?;
    }
    let mut opts = IndexOptions::new()
        .ingest(ingest)
        .threads(args.threads.map_or(0, usize::from))
        .max_bytes(args.max_size.saturating_mul(1024 * 1024))
        .commit_interval(Duration::from_secs(args.commit_every.max(1)))
        .rebuild(args.rebuild);
    // Each PDF is read by this binary's `pdf-text` command in a child
    // process, which a loop or a memory blow-up cannot take down with it.
    match std::env::current_exe() {
        Ok(exe) => {
            let mut iso = Isolation::new(exe);
            iso.timeout = Duration::from_secs(args.pdf_timeout.max(1));
            opts = opts.pdf_isolation(iso);
        }
        Err(e) => eprintln!("threatdex: PDFs are read in-process ({e})"),
    }
    let (report, shown) = match &args.to {
        Some(to) => {
            let target = Target::parse(to)?;
            let state_dir = match &args.state {
                Some(d) => d.clone(),
                None => dir
                    .parent()
                    .unwrap_or_else(|| Path::new("."))
                    .join(STATE_DIR),
            };
            let mut state = State::open(&state_dir, &state_key(&target))
                .with_context(|| format!("opening the record of what was sent to {target}"))?;
            let report = feed(
                &Remote::new(&target),
                &mut state,
                &[state_dir.clone(), dir.to_path_buf()],
                &args.paths,
                &kb,
                &opts,
                BatchLimits::default(),
                &progress,
                &stop,
            )
            .with_context(|| format!("indexing into {target}"))?;
            (report, target.to_string())
        }
        None => {
            let report = index_paths(dir, &args.paths, &kb, &opts, &progress, &stop)
                .with_context(|| format!("indexing into {}", dir.display()))?;
            (report, dir.display().to_string())
        }
    };
    if let Some(b) = &progress.bar {
        b.finish_and_clear();
    }
    let mut out = std::io::stdout().lock();
    if args.json {
        json::index_report(&mut out, &report, &shown)?;
    } else {
        human::index_report(&mut out, &report, &shown)?;
    }
    out.flush()?;
    if report.interrupted {
        eprintln!("threatdex: interrupted; committed what was done, run `index` again to finish");
        return Ok(ExitCode::from(130));
    }
    Ok(ExitCode::SUCCESS)
}
