//! Runs a search: one `searcher.search` call for the count and the top
//! documents, then stored fields and snippets for the hits.

use crate::error::Result;
use crate::index::schema::{from_document, names, Fields};
use crate::model::{Hit, SearchResults};
use crate::query::Plan;
use crate::snippet::Snippets;
use tantivy::collector::{Count, TopDocs};
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
            title: stored.title,
            url: stored.url,
            date: stored.date,
            score,
            entities: stored.entities,
            tags: stored.tags,
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
}

/// Counts the reports of one actor (by canonical name) and their date span.
pub fn actor_stats(searcher: &Searcher, fields: &Fields, canonical: &str) -> Result<ActorStats> {
    use crate::index::schema::{from_datetime, Dimension};
    let q = crate::query::facet_query(fields, Dimension::Actor, canonical);
    let newest = TopDocs::with_limit(1).order_by_fast_field::<DateTime>(names::DATE, Order::Desc);
    let oldest = TopDocs::with_limit(1).order_by_fast_field::<DateTime>(names::DATE, Order::Asc);
    let (reports, newest, oldest) = searcher.search(&q, &(Count, newest, oldest))?;
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
    })
}
