//! `threatdex kb`: import external actor catalogues into the index's
//! knowledge base, and show what is in use.

use super::load_kb;
use crate::cli::{KbArgs, KbCommand};
use anyhow::{Context, Result};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use threatdex::index::IndexHandle;
use threatdex::kb::import::{merge, parse_catalogue, to_tsv, MergeReport};

pub fn run(dir: &Path, args: KbArgs) -> Result<ExitCode> {
    match args.command {
        KbCommand::Import { paths, json } => import(dir, &paths, json),
        KbCommand::Stats { json } => stats(dir, json),
    }
}

/// Every `.json` file named or found below the given paths.
fn json_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(p)
                .with_context(|| format!("reading {}", p.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| {
                    f.extension()
                        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
                })
                .collect();
            found.sort();
            out.extend(found);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

fn import(dir: &Path, paths: &[PathBuf], json: bool) -> Result<ExitCode> {
    let handle = IndexHandle::open_or_create(dir).context("opening the index")?;
    let kb = load_kb(Some(&handle))?;
    let mut actors = kb.actors().to_vec();
    let mut total = MergeReport::default();
    for file in json_files(paths)? {
        let text = std::fs::read_to_string(&file)
            .with_context(|| format!("reading {}", file.display()))?;
        let imported = parse_catalogue(&text, &file.display().to_string())
            .with_context(|| format!("parsing {}", file.display()))?;
        let r = merge(&mut actors, &imported);
        total.read += r.read;
        total.added_actors += r.added_actors;
        total.added_aliases += r.added_aliases;
        total.conflicts.extend(r.conflicts);
    }
    let mut tsv = to_tsv(&actors);
    if !kb.actor_blockers().is_empty() {
        tsv.push_str(&format!("-\t\t\t\t{}\n", kb.actor_blockers().join("|")));
    }
    // Check the merged catalogue loads before replacing the old one.
    threatdex::kb::Kb::with_extra_actors(Some(&tsv))
        .context("the merged catalogue does not load")?;
    handle.write_imported_actors(&tsv)?;
    let mut out = std::io::stdout().lock();
    if json {
        serde_json::to_writer(&mut out, &total)?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "read {} actors: {} new actors, {} new aliases, {} conflicts; catalogue now {} actors",
            total.read,
            total.added_actors,
            total.added_aliases,
            total.conflicts.len(),
            actors.len()
        )?;
        for c in &total.conflicts {
            writeln!(
                out,
                "  conflict: {:?} given to {} but already names {}",
                c.alias, c.imported_for, c.existing
            )?;
        }
        writeln!(
            out,
            "run `threatdex index PATH` to re-extract the documents with it"
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

fn stats(dir: &Path, json: bool) -> Result<ExitCode> {
    let handle = IndexHandle::open(dir).ok();
    let imported = match &handle {
        Some(h) => h.imported_actors()?.is_some(),
        None => false,
    };
    let kb = load_kb(handle.as_ref())?;
    let aliases: usize = kb.actors().iter().map(|a| a.aliases.len()).sum();
    let mut out = std::io::stdout().lock();
    if json {
        let v = serde_json::json!({
            "actors": kb.actors().len(),
            "aliases": aliases,
            "countries": kb.countries().len(),
            "sectors": kb.sectors().len(),
            "imported": imported,
            "fingerprint": kb.fingerprint(threatdex::extract::RULES_REVISION),
        });
        serde_json::to_writer(&mut out, &v)?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "{} actors ({} aliases), {} countries, {} sectors; catalogue: {}",
            kb.actors().len(),
            aliases,
            kb.countries().len(),
            kb.sectors().len(),
            if imported {
                "built-in merged with imports"
            } else {
                "built-in"
            }
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
