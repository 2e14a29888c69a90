//! Runs a search: one `searcher.search` call for the count and the top
//! documents, then stored fields and snippets for the hits. Also gathers
//! every matching document for indicator counts and exports.

use crate::error::Result;
use crate::index::schema::{from_document, names, Fields};
use crate::model::{Hit, IndicatorCount, IndicatorKind, ReportDoc, SearchResults};
use crate::query::Plan;
use crate::snippet::Snippets;
use std::collections::{BTreeMap, HashMap};
use tantivy::collector::{Count, DocSetCollector, TopDocs};
use tantivy::query::Query;
use tantivy::{DateTime, DocAddress, Order, Searcher, TantivyDocument};

/// Searches with a built plan: ranked by BM25 when there is query text,
/// newest first otherwise.
pub fn search(
    searcher: &Searcher,
    fields: &Fields,
    plan: &Plan,
    query_text: Option<&str>,
    limit: usize,
) -> Result<SearchResults> {
    let limit = limit.max(1);
    let (total, ranked): (usize, Vec<(Option<f32>, DocAddress)>) = if plan.text.is_some() {
        let (count, top) = searcher.search(
            &plan.query,
            &(Count, TopDocs::with_limit(limit).order_by_score()),
        )?;
        (count, top.into_iter().map(|(s, a)| (Some(s), a)).collect())
    } else {
        let by_date =
            TopDocs::with_limit(limit).order_by_fast_field::<DateTime>(names::DATE, Order::Desc);
        let (count, top) = searcher.search(&plan.query, &(Count, by_date))?;
        (count, top.into_iter().map(|(_, a)| (None, a)).collect())
    };
    let snippets = Snippets::new(searcher, plan.text.as_deref(), fields.body);
    let mut hits = Vec::with_capacity(ranked.len());
    for (score, addr) in ranked {
        let doc: TantivyDocument = searcher.doc(addr)?;
        let stored = from_document(fields, &doc);
        hits.push(Hit {
            snippet: snippets.of(&stored.body),
            path: stored.path,
            id: stored.hash,
            title: stored.title,
            url: stored.url,
            date: stored.date,
            score,
            entities: stored.entities,
            tags: stored.tags,
            indicators: stored.indicators,
        });
    }
    Ok(SearchResults {
        query: query_text.map(str::to_string),
        total,
        hits,
    })
}

/// How often the index mentions one actor, and over which dates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActorStats {
    /// Reports whose actor facet is the actor.
    pub reports: usize,
    /// Date of the earliest dated report.
    pub first: Option<chrono::NaiveDate>,
    /// Date of the latest dated report.
    pub last: Option<chrono::NaiveDate>,
    /// The countries its reports name as targets, most reports first (at
    /// most [`ACTOR_TOP`]).
    pub targets: Vec<crate::model::FacetCount>,
    /// The sectors its reports name, most reports first (at most
    /// [`ACTOR_TOP`]).
    pub sectors: Vec<crate::model::FacetCount>,
}

/// How many target countries and sectors [`actor_stats`] keeps.
pub const ACTOR_TOP: usize = 5;

/// Counts the reports of one actor (by canonical name), their date span and
/// their most frequent target countries and sectors.
pub fn actor_stats(searcher: &Searcher, fields: &Fields, canonical: &str) -> Result<ActorStats> {
    use crate::index::schema::{from_datetime, Dimension};
    let q = crate::query::facet_query(fields, Dimension::Actor, canonical);
    let newest = TopDocs::with_limit(1).order_by_fast_field::<DateTime>(names::DATE, Order::Desc);
    let oldest = TopDocs::with_limit(1).order_by_fast_field::<DateTime>(names::DATE, Order::Asc);
    let (reports, newest, oldest) = searcher.search(&q, &(Count, newest, oldest))?;
    let mut facets = crate::facets::facets(
        searcher,
        &q,
        &[Dimension::Target, Dimension::Sector],
        ACTOR_TOP,
    )?
    .facets
    .into_iter()
    .map(|(_, counts)| counts);
    let date = |v: Vec<(Option<DateTime>, DocAddress)>| {
        v.into_iter()
            .next()
            .and_then(|(d, _)| d)
            .and_then(from_datetime)
    };
    Ok(ActorStats {
        reports,
        first: date(oldest),
        last: date(newest),
        targets: facets.next().unwrap_or_default(),
        sectors: facets.next().unwrap_or_default(),
    })
}

/// Counts, over the documents matching `query`, how many name each
/// indicator, keeping the kinds in `kinds` (all when empty). Sorted by count,
/// most first, then by value. Reads the fast fields only.
pub fn indicator_counts(
    searcher: &Searcher,
    query: &dyn Query,
    kinds: &[IndicatorKind],
) -> Result<Vec<IndicatorCount>> {
    let docs = searcher.search(query, &DocSetCollector)?;
    let mut by_segment: HashMap<u32, Vec<u32>> = HashMap::new();
    for a in docs {
        by_segment.entry(a.segment_ord).or_default().push(a.doc_id);
    }
    let mut counts: BTreeMap<(IndicatorKind, String), u64> = BTreeMap::new();
    let sources = [
        (names::CVE, Some(IndicatorKind::Cve)),
        (names::TECHNIQUE, Some(IndicatorKind::Technique)),
        (names::IOC, None),
    ];
    for (seg, doc_ids) in by_segment {
        let reader = searcher.segment_reader(seg);
        for (field, fixed) in sources {
            if fixed.is_some_and(|k| !kinds.is_empty() && !kinds.contains(&k)) {
                continue;
            }
            let Some(column) = reader.fast_fields().str(field)? else {
                continue;
            };
            let mut per_ord: HashMap<u64, u64> = HashMap::new();
            for &d in &doc_ids {
                for ord in column.term_ords(d) {
                    *per_ord.entry(ord).or_default() += 1;
                }
            }
            let mut value = String::new();
            for (ord, n) in per_ord {
                value.clear();
                column
                    .ord_to_str(ord, &mut value)
                    .map_err(|e| crate::error::Error::io("index", e))?;
                let kind = match fixed {
                    Some(k) => k,
                    None => match crate::ioc::classify(&value) {
                        Some((k, _)) => k,
                        None => continue,
                    },
                };
                if kinds.is_empty() || kinds.contains(&kind) {
                    *counts.entry((kind, value.clone())).or_default() += n;
                }
            }
        }
    }
    let mut out: Vec<IndicatorCount> = counts
        .into_iter()
        .map(|((kind, value), reports)| IndicatorCount {
            scope: match kind {
                IndicatorKind::Cve | IndicatorKind::Technique => None,
                _ => crate::ioc::classify(&value).map(|(_, s)| s),
            },
            kind,
            value,
            reports,
        })
        .collect();
    out.sort_by(|a, b| {
        b.reports
            .cmp(&a.reports)
            .then_with(|| a.value.cmp(&b.value))
            .then_with(|| a.kind.cmp(&b.kind))
    });
    Ok(out)
}

/// Longest description of an exported report without a query, in characters.
pub const DESCRIPTION_CHARS: usize = 300;

/// Every document matching the plan, with what an export needs, oldest
/// first (then by path) so exports are stable.
pub fn report_docs(searcher: &Searcher, fields: &Fields, plan: &Plan) -> Result<Vec<ReportDoc>> {
    let docs = searcher.search(&plan.query, &DocSetCollector)?;
    let snippets = plan
        .text
        .as_ref()
        .map(|q| Snippets::new(searcher, Some(q.as_ref()), fields.body));
    let mut out = Vec::with_capacity(docs.len());
    for addr in docs {
        let doc: TantivyDocument = searcher.doc(addr)?;
        let stored = from_document(fields, &doc);
        let mtime = {
            use tantivy::schema::Value;
            doc.get_first(fields.mtime)
                .and_then(|v| v.as_i64())
                .unwrap_or(0)
        };
        let description = match &snippets {
            Some(s) => s.of(&stored.body).text,
            None => opening(&stored.body, DESCRIPTION_CHARS),
        };
        out.push(ReportDoc {
            path: stored.path,
            title: stored.title,
            url: stored.url,
            date: stored.date,
            indexed_mtime: mtime.div_euclid(1_000_000_000),
            description,
            entities: stored.entities,
            indicators: stored.indicators,
        });
    }
    out.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.path.cmp(&b.path)));
    Ok(out)
}

/// The first `max` characters of a text, cut at a word, whitespace folded.
fn opening(text: &str, max: usize) -> String {
    let folded = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if folded.chars().count() <= max {
        return folded;
    }
    let end = folded
        .char_indices()
        .nth(max)
        .map_or(folded.len(), |(i, _)| i);
    let cut = folded[..end].rfind(' ').unwrap_or(end);
    format!("{}…", &folded[..cut])
}
