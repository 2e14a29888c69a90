//! `threatdex index`: runs the indexer with a progress bar and prints the summary.

use super::load_kb;
use crate::cli::IndexArgs;
use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use threatdex::index::indexer::{index_paths, IndexOptions, Progress};
use threatdex::index::IndexHandle;
use threatdex::ingest::jsonl::FieldMap;
use threatdex::ingest::pdf::isolate::Isolation;
use threatdex::ingest::IngestOptions;
use threatdex::model::Skipped;
use threatdex::render::{display_path, human, json};

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
            display_path(&s.path.to_string_lossy()),
            s.reason
        );
        match &self.bar {
            Some(b) => b.println(line),
            None => eprintln!("threatdex: {line}"),
        }
    }
}

pub fn run(dir: &Path, args: IndexArgs) -> Result<ExitCode> {
    if args.rebuild && dir.join("meta.json").exists() {
        std::fs::remove_dir_all(dir)
            .with_context(|| format!("removing the old index at {}", dir.display()))?;
    }
    // The imported catalogue (if any) lives in the index directory.
    let kb = match IndexHandle::open(dir) {
        Ok(h) => load_kb(Some(&h))?,
        Err(threatdex::Error::NoIndex(_)) => load_kb(None)?,
        Err(e) => return Err(e).context("opening the index"),
    };
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = Arc::clone(&stop);
        // A second Ctrl-C while committing falls back to the default exit.
        let _ = ctrlc::set_handler(move || {
            if stop.swap(true, Ordering::SeqCst) {
                std::process::exit(130);
            }
        });
    }
    let bar = (!args.quiet && std::io::stderr().is_terminal()).then(|| {
        let b = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
        b.set_style(
            ProgressStyle::with_template(
                "{spinner} {pos}/{len} files {wide_bar} {per_sec} eta {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        b.enable_steady_tick(Duration::from_millis(120));
        b
    });
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
        .threads(args.threads)
        .max_bytes(args.max_size.saturating_mul(1024 * 1024))
        .commit_interval(Duration::from_secs(args.commit_every.max(1)));
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
    let report = index_paths(dir, &args.paths, &kb, &opts, &progress, &stop)
        .with_context(|| format!("indexing into {}", dir.display()))?;
    if let Some(b) = &progress.bar {
        b.finish_and_clear();
    }
    let shown = dir.display().to_string();
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
