//! JSON output, built with serde from dedicated wire structs.

use super::display_path;
use crate::ioc::stix::Bundle;
use crate::model::{
    Article, CrossTab, Entities, FacetCount, FacetResults, IndexReport, IndicatorCount, Indicators,
    Ioc, SearchResults,
};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};

#[derive(Serialize)]
struct SkippedJson {
    path: String,
    reason: String,
}

#[derive(Serialize)]
struct IndexJson<'a> {
    indexed: usize,
    unchanged: usize,
    removed: usize,
    skipped: Vec<SkippedJson>,
    seconds: f64,
    total: u64,
    interrupted: bool,
    index: &'a str,
}

/// Writes the summary of an index run.
pub fn index_report(w: &mut impl Write, r: &IndexReport, index_dir: &str) -> io::Result<()> {
    let out = IndexJson {
        indexed: r.indexed,
        unchanged: r.unchanged,
        removed: r.removed,
        skipped: r
            .skipped
            .iter()
            .map(|s| SkippedJson {
                path: display_path(&crate::model::path_key(&s.path)),
                reason: s.reason.clone(),
            })
            .collect(),
        seconds: (r.seconds * 1000.0).round() / 1000.0,
        total: r.total,
        interrupted: r.interrupted,
        index: index_dir,
    };
    serde_json::to_writer(&mut *w, &out)?;
    writeln!(w)
}

#[derive(Serialize)]
struct HitJson<'a> {
    path: String,
    /// The document's id (`GET /api/doc/{id}` of `threatdex serve`).
    id: &'a str,
    title: &'a str,
    url: Option<&'a str>,
    date: Option<String>,
    score: Option<f32>,
    actors: &'a [String],
    countries: &'a [String],
    targets: &'a [String],
    origins: &'a [String],
    sectors: &'a [String],
    tags: &'a [String],
    cves: &'a [String],
    techniques: &'a [String],
    snippet: &'a str,
    /// The source format: html, text, markdown, pdf, feed or jsonl.
    format: &'a str,
    /// Byte ranges of `snippet` that matched the query.
    highlights: Vec<[usize; 2]>,
}

#[derive(Serialize)]
struct SearchJson<'a> {
    query: Option<&'a str>,
    total: usize,
    hits: Vec<HitJson<'a>>,
}

/// The wire form of one hit.
fn hit_json(h: &crate::model::Hit) -> HitJson<'_> {
    HitJson {
        path: display_path(&h.path),
        id: &h.id,
        title: &h.title,
        url: h.url.as_deref(),
        date: h.date.map(|d| d.to_string()),
        score: h.score,
        actors: &h.entities.actors,
        countries: &h.entities.countries,
        targets: &h.entities.targets,
        origins: &h.entities.origins,
        sectors: &h.entities.sectors,
        tags: &h.tags,
        cves: &h.indicators.cves,
        techniques: &h.indicators.techniques,
        snippet: &h.snippet.text,
        format: &h.format,
        highlights: h
            .snippet
            .highlights
            .iter()
            .map(|r| [r.start, r.end])
            .collect(),
    }
}

/// Writes search results as one JSON object.
pub fn search(w: &mut impl Write, r: &SearchResults) -> io::Result<()> {
    let out = SearchJson {
        query: r.query.as_deref(),
        total: r.total,
        hits: r.hits.iter().map(hit_json).collect(),
    };
    serde_json::to_writer(&mut *w, &out)?;
    writeln!(w)
}

/// Writes search hits as newline-delimited JSON: one object per hit, in the
/// shape of the `hits` items of [`search`].
pub fn search_ndjson(w: &mut impl Write, r: &SearchResults) -> io::Result<()> {
    for h in &r.hits {
        serde_json::to_writer(&mut *w, &hit_json(h))?;
        writeln!(w)?;
    }
    Ok(())
}

#[derive(Serialize)]
struct CrossJson<'a> {
    rows_field: &'a str,
    columns_field: &'a str,
    rows: &'a [String],
    columns: &'a [String],
    counts: &'a [Vec<u64>],
}

#[derive(Serialize)]
struct FacetsJson<'a> {
    total: u64,
    facets: BTreeMap<&'a str, &'a [FacetCount]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cross: Option<CrossJson<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    crosses: Vec<CrossJson<'a>>,
}

fn cross_json(c: &CrossTab) -> CrossJson<'_> {
    CrossJson {
        rows_field: &c.row_field,
        columns_field: &c.column_field,
        rows: &c.rows,
        columns: &c.columns,
        counts: &c.counts,
    }
}

/// Writes facet counts (and cross-tabs) as one JSON object.
pub fn facets(w: &mut impl Write, r: &FacetResults) -> io::Result<()> {
    let out = FacetsJson {
        total: r.total,
        facets: r
            .facets
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_slice()))
            .collect(),
        cross: r.cross.first().map(cross_json),
        crosses: if r.cross.len() > 1 {
            r.cross.iter().map(cross_json).collect()
        } else {
            Vec::new()
        },
    };
    serde_json::to_writer(&mut *w, &out)?;
    writeln!(w)
}

#[derive(Serialize)]
struct ExtractJson<'a> {
    path: &'a str,
    title: Option<&'a str>,
    date: Option<String>,
    url: Option<&'a str>,
    tags: &'a [String],
    actors: &'a [String],
    countries: &'a [String],
    seats: &'a [String],
    targets: &'a [String],
    origins: &'a [String],
    sectors: &'a [String],
    cves: &'a [String],
    techniques: &'a [String],
    iocs: &'a [Ioc],
    text: &'a str,
}

#[derive(Serialize)]
struct SkippedLine<'a> {
    path: &'a str,
    skipped: &'a str,
}

/// Writes one JSON line for an extracted file.
pub fn extracted(
    w: &mut impl Write,
    path: &str,
    a: &Article,
    e: &Entities,
    ind: &Indicators,
) -> io::Result<()> {
    let out = ExtractJson {
        path,
        title: a.title.as_deref(),
        date: a.date.map(|d| d.to_string()),
        url: a.url.as_deref(),
        tags: &a.tags,
        actors: &e.actors,
        countries: &e.countries,
        seats: &e.seats,
        targets: &e.targets,
        origins: &e.origins,
        sectors: &e.sectors,
        cves: &ind.cves,
        techniques: &ind.techniques,
        iocs: &ind.iocs,
        text: &a.text,
    };
    serde_json::to_writer(&mut *w, &out)?;
    writeln!(w)
}

/// Writes one JSON line for a file that could not be extracted.
pub fn extract_skipped(w: &mut impl Write, path: &str, reason: &str) -> io::Result<()> {
    serde_json::to_writer(
        &mut *w,
        &SkippedLine {
            path,
            skipped: reason,
        },
    )?;
    writeln!(w)
}

#[derive(Serialize)]
struct IndicatorJson<'a> {
    #[serde(flatten)]
    count: &'a IndicatorCount,
    /// The technique's name, for technique ids.
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'static str>,
}

#[derive(Serialize)]
struct IndicatorsJson<'a> {
    total: usize,
    indicators: Vec<IndicatorJson<'a>>,
}

/// Writes indicator counts as one JSON object.
pub fn indicators(w: &mut impl Write, counts: &[IndicatorCount]) -> io::Result<()> {
    let out = IndicatorsJson {
        total: counts.len(),
        indicators: counts
            .iter()
            .map(|c| IndicatorJson {
                count: c,
                name: crate::ioc::techniques::name(&c.value),
            })
            .collect(),
    };
    serde_json::to_writer(&mut *w, &out)?;
    writeln!(w)
}

/// Writes a STIX bundle, indented, with a final newline.
pub fn stix(w: &mut impl Write, bundle: &Bundle) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, bundle)?;
    writeln!(w)
}

#[derive(Serialize)]
struct AliasJson<'a> {
    name: &'a str,
    rule: crate::kb::AliasKind,
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

/// Writes one actor card as one JSON line.
pub fn actor(w: &mut impl Write, card: &crate::actor::ActorCard<'_>) -> io::Result<()> {
    let a = card.actor;
    let st = card.stats.as_ref();
    let out = ActorJson {
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
        origin_name: card.origin_name,
        motivation: &a.motivation,
        mitre: a.mitre.as_deref(),
        reports: st.map(|s| s.reports),
        first_report: st.and_then(|s| s.first).map(|d| d.to_string()),
        last_report: st.and_then(|s| s.last).map(|d| d.to_string()),
        targets: st.map(|s| s.targets.as_slice()),
        sectors: st.map(|s| s.sectors.as_slice()),
    };
    serde_json::to_writer(&mut *w, &out)?;
    writeln!(w)
}
