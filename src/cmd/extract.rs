//! `threatdex extract`: shows what `index` would store for each file.

use super::load_kb;
use crate::cli::ExtractArgs;
use anyhow::Result;
use std::io::Write;
use std::process::ExitCode;
use threatdex::extract::entities;
use threatdex::ingest::discover::discover;
use threatdex::ingest::pdf::isolate::{extract_in_child, Isolation};
use threatdex::ingest::{
    article_from_file, pdf_document, source_kind, SkipReason, DEFAULT_MAX_BYTES,
};
use threatdex::model::SourceKind;
use threatdex::render::{display_path, human, json};

pub fn run(args: ExtractArgs) -> Result<ExitCode> {
    // A path that does not exist is an error, not an empty result.
    for p in &args.paths {
        match std::fs::metadata(p) {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(threatdex::Error::NotFound(p.clone()).into())
            }
            Err(e) => return Err(threatdex::Error::io(p, e).into()),
        }
    }
    let kb = load_kb(None)?;
    // PDFs are read by this binary's `pdf-text` command in a child process,
    // as `index` reads them: a parser that overflows its stack or loops
    // costs the file, not the command.
    let isolation = std::env::current_exe().ok().map(|exe| {
        let mut iso = Isolation::new(exe);
        iso.timeout = std::time::Duration::from_secs(args.pdf_timeout.max(1));
        iso
    });
    let found = discover(&args.paths);
    let mut out = std::io::stdout().lock();
    for e in &found.errors {
        let shown = display_path(&threatdex::model::path_key(&e.path));
        if args.json {
            json::extract_skipped(&mut out, &shown, &e.reason)?;
        } else {
            eprintln!("threatdex: skipped {shown}: {}", e.reason);
        }
    }
    for f in &found.files {
        let shown = display_path(&threatdex::model::path_key(&f.path));
        let article = if f.size > DEFAULT_MAX_BYTES {
            Err(SkipReason::TooLarge {
                size: f.size,
                limit: DEFAULT_MAX_BYTES,
            })
        } else {
            match std::fs::read(&f.path) {
                Ok(bytes) => match (source_kind(&f.path), &isolation) {
                    (Some(SourceKind::Pdf), Some(iso)) => extract_in_child(iso, &f.path)
                        .and_then(|t| pdf_document(&f.path, t))
                        .map(|d| d.article),
                    (Some(kind), _) => article_from_file(&f.path, &bytes, kind),
                    (None, _) => continue,
                },
                Err(e) => Err(SkipReason::Unreadable(e.to_string())),
            }
        };
        match article {
            Ok(a) => {
                let e = entities(&a, &kb);
                let ind = threatdex::ioc::indicators(&a);
                if args.json {
                    json::extracted(&mut out, &shown, &a, &e, &ind)?;
                } else {
                    human::extracted(&mut out, &shown, &a, &e, &ind)?;
                }
            }
            Err(reason) => {
                if args.json {
                    json::extract_skipped(&mut out, &shown, &reason.to_string())?;
                } else {
                    writeln!(out, "== {shown}\nskipped: {reason}\n")?;
                }
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
