//! `threatdex actor`: who is this actor, and how often is it reported?

use super::load_kb;
use crate::cli::ActorArgs;
use anyhow::Result;
use serde::Serialize;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use threatdex::index::IndexHandle;
use threatdex::kb::{Actor, AliasKind, Resolved};
use threatdex::model::FacetCount;
use threatdex::search::{actor_stats, ActorStats};

#[derive(Serialize)]
struct AliasJson<'a> {
    name: &'a str,
    rule: AliasKind,
}

#[derive(Serialize)]
struct ActorJson<'a> {
    canonical: &'a str,
    aliases: Vec<AliasJson<'a>>,
    origin: Option<&'a str>,
    origin_name: Option<&'a str>,
    motivation: &'a str,
    mitre: Option<&'a str>,
    reports: Option<usize>,
    first_report: Option<String>,
    last_report: Option<String>,
    /// Most frequent target countries of its reports (absent without an
    /// index).
    targets: Option<&'a [FacetCount]>,
    /// Most frequent sectors of its reports.
    sectors: Option<&'a [FacetCount]>,
}

pub fn run(dir: &Path, args: ActorArgs) -> Result<ExitCode> {
    let name = args.name.join(" ");
    let handle = match IndexHandle::open(dir) {
        Ok(h) => Some(h),
        Err(threatdex::Error::NoIndex(_)) => None,
        Err(e) => return Err(e.into()),
    };
    let kb = load_kb(handle.as_ref())?;
    let actors: Vec<&Actor> = match kb.resolve_actor(&name) {
        Resolved::One(a) => vec![a],
        Resolved::Many(list) => {
            eprintln!("threatdex: {name:?} is claimed by {} actors", list.len());
            list
        }
        Resolved::Unknown => {
            return Err(threatdex::Error::Filter(format!(
                "no actor is called {name:?}{}",
                threatdex::kb::suggest::did_you_mean(&kb.nearest_actor_names(&name, 3))
            ))
            .into());
        }
    };
    let stats: Vec<Option<ActorStats>> = match &handle {
        Some(h) => {
            let reader = h.reader()?;
            let searcher = reader.searcher();
            actors
                .iter()
                .map(|a| actor_stats(&searcher, &h.fields, &a.canonical).map(Some))
                .collect::<threatdex::Result<_>>()?
        }
        None => vec![None; actors.len()],
    };
    let mut out = std::io::stdout().lock();
    for (a, st) in actors.iter().zip(&stats) {
        let origin_name = a
            .origin
            .as_deref()
            .and_then(|c| kb.resolve_country(c))
            .map(|c| c.name.as_str());
        if args.json {
            let j = ActorJson {
                canonical: &a.canonical,
                aliases: a
                    .aliases
                    .iter()
                    .map(|x| AliasJson {
                        name: &x.name,
                        rule: x.kind,
                    })
                    .collect(),
                origin: a.origin.as_deref(),
                origin_name,
                motivation: &a.motivation,
                mitre: a.mitre.as_deref(),
                reports: st.as_ref().map(|s| s.reports),
                first_report: st.as_ref().and_then(|s| s.first).map(|d| d.to_string()),
                last_report: st.as_ref().and_then(|s| s.last).map(|d| d.to_string()),
                targets: st.as_ref().map(|s| s.targets.as_slice()),
                sectors: st.as_ref().map(|s| s.sectors.as_slice()),
            };
            serde_json::to_writer(&mut out, &j)?;
            writeln!(out)?;
            continue;
        }
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
