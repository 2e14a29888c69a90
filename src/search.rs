//! Runs a search: one `searcher.search` call for the count and the top
//! documents, then stored fields and snippets for the hits. Also gathers
//! every matching document for exports.

use crate::error::Result;
use crate::index::schema::{from_document, names, Fields};
use crate::model::{Hit, ReportDoc, SearchResults};
use crate::query::Plan;
use crate::snippet::Snippets;
use std::collections::HashMap;
use tantivy::collector::{Count, DocSetCollector, TopDocs};
use tantivy::{DateTime, DocAddress, Order, Searcher, TantivyDocument};

/// The order of search hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Best BM25 score first (only meaningful with query text).
    #[default]
    Score,
    /// Newest publication date first; undated reports last.
    Date,
}

/// How a search collects its hits.
#[derive(Debug, Clone, Copy)]
pub struct SearchOptions {
    /// Most hits returned; any value is accepted (it is clamped to the
    /// number of documents in the index).
    pub limit: usize,
    /// Order of the hits. Without query text every score is equal, so the
    /// order is by date whatever this says.
    pub sort: Sort,
    /// Whether to compute snippets (a list of paths does not need them).
    pub snippets: bool,
}

/// Searches with a built plan: ranked by BM25 when there is query text,
/// newest first otherwise.
pub fn search(
    searcher: &Searcher,
    fields: &Fields,
    plan: &Plan,
    query_text: Option<&str>,
    limit: usize,
) -> Result<SearchResults> {
    let options = SearchOptions {
        limit,
        sort: Sort::Score,
        snippets: true,
    };
    search_with(searcher, fields, plan, query_text, &options)
}

/// Clamps a requested number of hits to what the index can return, so no
/// value a user types makes the collector reserve more than the index
/// holds (`usize::MAX` would overflow, 10^14 would abort on allocation).
/// Never 0: tantivy's top-k collector needs at least one slot.
pub fn clamp_limit(requested: usize, num_docs: u64) -> usize {
    let docs = usize::try_from(num_docs).unwrap_or(usize::MAX);
    requested.min(docs).max(1)
}

/// Searches with a built plan and explicit options.
pub fn search_with(
    searcher: &Searcher,
    fields: &Fields,
    plan: &Plan,
    query_text: Option<&str>,
    options: &SearchOptions,
) -> Result<SearchResults> {
    let limit = clamp_limit(options.limit, searcher.num_docs());
    let by_score = plan.text.is_some() && options.sort == Sort::Score;
    let (total, ranked): (usize, Vec<(Option<f32>, DocAddress)>) = if by_score {
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
    let snippets = if options.snippets {
        Snippets::new(searcher, plan.text.as_deref(), fields.body, query_text)
    } else {
        Snippets::new(searcher, None, fields.body, None)
    };
    let mut hits = Vec::with_capacity(ranked.len());
    for (score, addr) in ranked {
        let doc: TantivyDocument = searcher.doc(addr)?;
        let stored = from_document(fields, &doc);
        let snippet = if options.snippets {
            snippets.of(&stored.body)
        } else {
            crate::model::Snippet::default()
        };
        hits.push(Hit {
            snippet,
            path: stored.path,
            id: stored.hash,
            title: stored.title,
            url: stored.url,
            date: stored.date,
            score,
            entities: stored.entities,
            tags: stored.tags,
            indicators: stored.indicators,
            format: stored.format,
        });
    }
    Ok(SearchResults {
        query: query_text.map(str::to_string),
        total,
        hits,
    })
}

/// The number of documents matching a plan.
pub fn count(searcher: &Searcher, plan: &Plan) -> Result<usize> {
    Ok(searcher.search(&plan.query, &Count)?)
}

/// Most suggestions [`suggest`] returns.
pub const MAX_SUGGESTIONS: usize = 5;

/// "Did you mean": for a query without hits, the indexed terms nearest to
/// each typed word that the index does not hold (edit distance 1 for words
/// of up to 5 letters, 2 above; the most frequent first), and the actor
/// names nearest to the typed words (a whole alias or a run of words).
/// Terms are as indexed: lower-cased and stemmed ("typhoon", "exploit").
pub fn suggest(
    searcher: &Searcher,
    fields: &Fields,
    kb: &crate::kb::Kb,
    text: &str,
) -> Result<Vec<String>> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !matches!(*w, "AND" | "OR" | "NOT"))
        .map(str::to_lowercase)
        .collect();
    let mut out: Vec<String> = Vec::new();
    // Actor names: the typed words as a whole, then each word alone.
    let phrase = words.join(" ");
    let mut candidates = vec![phrase.clone()];
    if words.len() > 1 {
        candidates.extend(words.iter().cloned());
    }
    for typed in candidates.iter().filter(|c| c.chars().count() >= 4) {
        if let Some(name) = nearest_actor(kb, typed) {
            if !out.contains(&name) {
                out.push(name);
            }
        }
    }
    let mut analyzer = crate::index::stem::analyzer();
    for w in words.iter().filter(|w| w.chars().count() >= 3) {
        let stem = {
            use tantivy::tokenizer::TokenStream;
            let mut s = analyzer.token_stream(w);
            if s.advance() {
                s.token().text.clone()
            } else {
                continue;
            }
        };
        if searcher.doc_freq(&tantivy::Term::from_field_text(fields.body, &stem))? > 0 {
            continue;
        }
        if let Some(term) = nearest_term(searcher, fields.body, w, &stem)? {
            if !out.contains(&term) {
                out.push(term);
            }
        }
    }
    out.truncate(MAX_SUGGESTIONS);
    Ok(out)
}

/// Largest edit distance accepted between a typed word and a suggestion.
fn max_edits(word: &str) -> usize {
    if word.chars().count() <= 5 {
        1
    } else {
        2
    }
}

/// The actor name (canonical or plain alias) nearest to `typed`, within
/// [`max_edits`] (compared lower-cased), shown as its canonical name.
fn nearest_actor(kb: &crate::kb::Kb, typed: &str) -> Option<String> {
    let limit = max_edits(typed);
    let mut best: Option<(usize, &str)> = None;
    for actor in kb.actors() {
        let names = std::iter::once(actor.canonical.as_str()).chain(
            actor
                .aliases
                .iter()
                .filter(|a| a.kind == crate::kb::AliasKind::Plain)
                .map(|a| a.name.as_str()),
        );
        for name in names {
            let folded = crate::kb::fold(name);
            if folded.len().abs_diff(typed.len()) > limit {
                continue;
            }
            let d = strsim::damerau_levenshtein(&folded, typed);
            if d == 0 {
                // Typed exactly: the words are known, nothing to suggest.
                return None;
            }
            if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
                best = Some((d, actor.canonical.as_str()));
            }
        }
    }
    best.map(|(_, n)| n.to_string())
}

/// The body term nearest to a typed word (or its stem) that starts with
/// the same letter, within [`max_edits`]; among equals, the one in most
/// documents. Reads the term dictionaries of every segment.
fn nearest_term(
    searcher: &Searcher,
    body: tantivy::schema::Field,
    word: &str,
    stem: &str,
) -> Result<Option<String>> {
    let limit = max_edits(word);
    let Some(first) = word.chars().next() else {
        return Ok(None);
    };
    let mut lo = [0u8; 4];
    let lo = first.encode_utf8(&mut lo).as_bytes().to_vec();
    let hi = char::from_u32(first as u32 + 1).map(|c| c.to_string().into_bytes());
    let mut found: HashMap<String, (usize, u64)> = HashMap::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(body)?;
        let dict = inverted.terms();
        let mut range = dict.range().ge(&lo);
        if let Some(hi) = &hi {
            range = range.lt(hi);
        }
        let mut stream = range
            .into_stream()
            .map_err(|e| crate::error::Error::io("index", e))?;
        while stream.advance() {
            let Ok(term) = std::str::from_utf8(stream.key()) else {
                continue;
            };
            if term.len().abs_diff(stem.len()) > limit && term.len().abs_diff(word.len()) > limit {
                continue;
            }
            let d = strsim::damerau_levenshtein(term, stem)
                .min(strsim::damerau_levenshtein(term, word));
            if d == 0 || d > limit {
                continue;
            }
            let df = u64::from(stream.value().doc_freq);
            let e = found.entry(term.to_string()).or_insert((d, 0));
            e.1 += df;
        }
    }
    Ok(found
        .into_iter()
        .min_by(|a, b| {
            a.1 .0
                .cmp(&b.1 .0)
                .then(b.1 .1.cmp(&a.1 .1))
                .then(a.0.cmp(&b.0))
        })
        .map(|(t, _)| t))
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

/// Longest description of an exported report without a query, in characters.
pub const DESCRIPTION_CHARS: usize = 300;

/// Every document matching the plan, with what an export needs, oldest
/// first (then by path) so exports are stable.
pub fn report_docs(searcher: &Searcher, fields: &Fields, plan: &Plan) -> Result<Vec<ReportDoc>> {
    let docs = searcher.search(&plan.query, &DocSetCollector)?;
    let snippets = plan
        .text
        .as_ref()
        .map(|q| Snippets::new(searcher, Some(q.as_ref()), fields.body, None));
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
        let identity = stored.url.clone().unwrap_or_else(|| {
            let mut h = blake3::Hasher::new();
            h.update(stored.title.as_bytes());
            h.update(b"\n");
            h.update(stored.body.as_bytes());
            format!("text:{}", h.finalize().to_hex())
        });
        out.push(ReportDoc {
            path: stored.path,
            identity,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_clamp_to_the_index_and_never_reach_zero() {
        assert_eq!(clamp_limit(usize::MAX, 2_210), 2_210);
        assert_eq!(clamp_limit(100_000_000_000_000, 5), 5);
        assert_eq!(clamp_limit(3, 2_210), 3);
        assert_eq!(clamp_limit(10, 0), 1);
        assert_eq!(clamp_limit(0, 10), 1);
    }
}
