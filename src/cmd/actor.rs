//! `threatdex actor`: who is this actor, and how often is it reported?

use super::load_kb;
use crate::cli::ActorArgs;
use anyhow::Result;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use threatdex::actor::actor_cards;
use threatdex::index::IndexHandle;
use threatdex::kb::AliasKind;
use threatdex::model::FacetCount;
use threatdex::render::json;

pub fn run(dir: &Path, args: ActorArgs) -> Result<ExitCode> {
    let name = args.name.join(" ");
    let handle = match IndexHandle::open(dir) {
        Ok(h) => Some(h),
        Err(threatdex::Error::NoIndex(_)) => None,
        Err(e) => return Err(e.into()),
    };
    let kb = load_kb(handle.as_ref())?;
    let reader = handle.as_ref().map(|h| h.reader()).transpose()?;
    let searcher = reader.as_ref().map(|r| r.searcher());
    let index = searcher.as_ref().zip(handle.as_ref().map(|h| &h.fields));
    let cards = actor_cards(&kb, index, &name)?;
    if cards.len() > 1 {
        eprintln!("threatdex: {name:?} is claimed by {} actors", cards.len());
    }
    let mut out = std::io::stdout().lock();
    for card in &cards {
        if args.json {
            json::actor(&mut out, card)?;
            continue;
        }
        let (a, origin_name, st) = (card.actor, card.origin_name, &card.stats);
        writeln!(out, "{}", a.canonical)?;
        let aliases: Vec<String> = a
            .aliases
            .iter()
            .map(|x| match x.kind {
                AliasKind::Plain => x.name.clone(),
                AliasKind::Common => format!("{} (ordinary word: needs context)", x.name),
                AliasKind::Ambiguous => format!("{} (ambiguous)", x.name),
                AliasKind::Ransomware => format!("{} (ransomware brand: needs context)", x.name),
            })
            .collect();
        writeln!(
            out,
            "  aliases:    {}",
            if aliases.is_empty() {
                "(none)".into()
            } else {
                aliases.join(", ")
            }
        )?;
        match (a.origin.as_deref(), origin_name) {
            (Some(c), Some(n)) => writeln!(out, "  origin:     {n} ({c})")?,
            (Some(c), None) => writeln!(out, "  origin:     {c}")?,
            _ => writeln!(out, "  origin:     unknown")?,
        }
        writeln!(out, "  motivation: {}", a.motivation)?;
        if let Some(m) = &a.mitre {
            writeln!(
                out,
                "  mitre:      {m} (https://attack.mitre.org/groups/{m}/)"
            )?;
        }
        match st {
            Some(s) => {
                writeln!(out, "  reports:    {}", s.reports)?;
                if let (Some(f), Some(l)) = (s.first, s.last) {
                    writeln!(out, "  first/last: {f} .. {l}")?;
                }
                if !s.targets.is_empty() {
                    writeln!(out, "  targets:    {}", counted(&s.targets))?;
                }
                if !s.sectors.is_empty() {
                    writeln!(out, "  sectors:    {}", counted(&s.sectors))?;
                }
            }
            None => writeln!(
                out,
                "  reports:    (no index yet: run `threatdex index PATH`)"
            )?,
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// "UA (5), US (4)": values with their report counts.
fn counted(counts: &[FacetCount]) -> String {
    counts
        .iter()
        .map(|c| format!("{} ({})", c.value, c.count))
        .collect::<Vec<_>>()
        .join(", ")
}
