//! Queries answered by the cluster: hits, facet counts (terms
//! aggregations), timelines (a daily date_histogram folded into years,
//! quarters and months) and cross-tabs (nested terms aggregations). Each
//! returns the same result types as the local engine, so the same
//! renderers print them.

use super::client::Client;
use super::document::decode;
use super::mapping::facet_field;
use super::Target;
use crate::error::{Error, Result};
use crate::facets::{finish, FacetRequest, TimeRange};
use crate::index::schema::{build_schema, from_document, names, quarter_label, Dimension};
use crate::model::{CrossTab, FacetResults, Hit, SearchResults, Snippet};
use crate::search::{SearchOptions, Sort};
use chrono::Datelike;
use serde_json::{json, Map, Value};
use std::collections::HashMap;

/// Most hits one search asks the cluster for (Quickwit's own limit).
pub const MAX_HITS: usize = 10_000;

/// Most paths [`Remote::paths`] lists (Quickwit's default bucket limit).
pub const MAX_PATHS: usize = 65_000;

/// Most distinct values a terms aggregation returns per dimension.
const TERMS_SIZE: usize = 10_000;

/// A Quickwit index: its node's client and its id.
pub struct Remote {
    /// The REST client.
    pub client: Client,
    /// The index id.
    pub index: String,
}

impl Remote {
    /// The remote index `target` names.
    pub fn new(target: &Target) -> Remote {
        Remote {
            client: Client::new(&target.base_url()),
            index: target.index.clone(),
        }
    }

    /// Runs one search request body and returns the answer.
    pub fn search_raw(&self, body: &Value) -> Result<Value> {
        self.client
            .post_json(&format!("/api/v1/{}/search", self.index), body)
    }

    /// The number of documents `query` matches.
    pub fn count(&self, query: &str) -> Result<u64> {
        let answer = self.search_raw(&json!({"query": query, "max_hits": 0}))?;
        num_hits(&answer)
    }

    /// The top hits of `query`, as the local search returns them; `typed`
    /// is the user's text (the snippets prefer its words).
    pub fn search(
        &self,
        kb: &crate::kb::Kb,
        query: &str,
        typed: Option<&str>,
        options: &SearchOptions,
    ) -> Result<SearchResults> {
        let by_score = typed.is_some() && options.sort == Sort::Score;
        let limit = options.limit.clamp(1, MAX_HITS);
        let mut body = json!({"query": query, "max_hits": limit});
        // Quickwit sorts by a field descending when it is named bare.
        body["sort_by"] = json!(if by_score { "_score" } else { names::DATE });
        let answer = self.search_raw(&body)?;
        let total = usize::try_from(num_hits(&answer)?).unwrap_or(usize::MAX);
        let (schema, fields) = build_schema();
        let mut docs = Vec::new();
        for h in hits(&answer)? {
            docs.push(decode(&schema, h)?);
        }
        let snippets = if options.snippets && !docs.is_empty() {
            Some(super::snippets::HitSnippets::new(kb, &docs, typed)?)
        } else {
            None
        };
        let hits = docs
            .iter()
            .map(|doc| {
                let stored = from_document(&fields, doc);
                let snippet = snippets
                    .as_ref()
                    .map_or_else(Snippet::default, |s| s.of(&stored.body));
                Hit {
                    snippet,
                    path: stored.path,
                    id: stored.hash,
                    title: stored.title,
                    url: stored.url,
                    date: stored.date,
                    // Quickwit does not return scores with its hits; the
                    // order is its BM25 order.
                    score: None,
                    entities: stored.entities,
                    tags: stored.tags,
                    indicators: stored.indicators,
                    format: stored.format,
                }
            })
            .collect();
        Ok(SearchResults {
            query: typed.map(str::to_string),
            total,
            hits,
        })
    }

    /// The facet counts of `query` as `request` asks, computed by
    /// aggregations.
    pub fn facets(&self, query: &str, request: &FacetRequest) -> Result<FacetResults> {
        let mut aggs = Map::new();
        for &d in &request.dims {
            if d.is_time() {
                aggs.insert("timeline".into(), daily_histogram());
            } else {
                aggs.insert(d.name().into(), terms(d));
            }
        }
        for (i, &(r, c)) in request.crosses.iter().enumerate() {
            let mut rows = terms(r);
            rows["aggs"] = json!({ "columns": terms(c) });
            aggs.insert(format!("cross{i}"), rows);
            aggs.insert(format!("cross{i}_columns"), terms(c));
        }
        let answer = self.search_raw(&json!({
            "query": query, "max_hits": 0, "aggs": Value::Object(aggs),
        }))?;
        let total = num_hits(&answer)?;
        let result = &answer["aggregations"];
        let days = if request.dims.iter().any(|d| d.is_time()) {
            day_counts(&result["timeline"])?
        } else {
            Vec::new()
        };
        let mut facets = Vec::new();
        for &d in &request.dims {
            let counts = if d.is_time() {
                fold_days(&days, d)
            } else {
                bucket_counts(&result[d.name()])?
            };
            facets.push((
                d.name().to_string(),
                finish(counts, d, request.top, request.range),
            ));
        }
        let mut cross = Vec::new();
        for (i, &(r, c)) in request.crosses.iter().enumerate() {
            let rows_agg = &result[format!("cross{i}")];
            let rows = finish(bucket_counts(rows_agg)?, r, request.top, TimeRange::All);
            let columns = finish(
                bucket_counts(&result[format!("cross{i}_columns")])?,
                c,
                request.top,
                TimeRange::All,
            );
            let mut per_row: HashMap<String, HashMap<String, u64>> = HashMap::new();
            for b in buckets(rows_agg)? {
                let key = bucket_key(b)?;
                per_row.insert(key, bucket_counts(&b["columns"])?);
            }
            let counts = rows
                .iter()
                .map(|rv| {
                    columns
                        .iter()
                        .map(|cv| {
                            per_row
                                .get(&rv.value)
                                .and_then(|m| m.get(&cv.value))
                                .copied()
                                .unwrap_or(0)
                        })
                        .collect()
                })
                .collect();
            cross.push(CrossTab {
                row_field: r.name().to_string(),
                column_field: c.name().to_string(),
                rows: rows.into_iter().map(|f| f.value).collect(),
                columns: columns.into_iter().map(|f| f.value).collect(),
                counts,
            });
        }
        Ok(FacetResults {
            total,
            facets,
            cross,
        })
    }

    /// The path of every document matching `query` (a path once per
    /// document), sorted by path: one terms aggregation over the `path`
    /// column, so no stored document is read. At most [`MAX_PATHS`].
    pub fn paths(&self, query: &str) -> Result<SearchResults> {
        let answer = self.search_raw(&json!({
            "query": query, "max_hits": 0,
            "aggs": {"paths": {"terms": {
                "field": names::PATH, "size": MAX_PATHS, "shard_size": MAX_PATHS,
                "order": {"_key": "asc"},
            }}},
        }))?;
        let total = num_hits(&answer)?;
        if total > MAX_PATHS as u64 {
            return Err(Error::Filter(format!(
                "{total} reports match; a cluster lists at most {MAX_PATHS} paths: narrow the query or the filters"
            )));
        }
        let mut hits = Vec::new();
        for b in buckets(&answer["aggregations"]["paths"])? {
            let path = bucket_key(b)?;
            for _ in 0..b["doc_count"].as_u64().unwrap_or(0) {
                hits.push(Hit {
                    path: path.clone(),
                    id: String::new(),
                    title: String::new(),
                    url: None,
                    date: None,
                    score: None,
                    entities: Default::default(),
                    tags: Vec::new(),
                    indicators: Default::default(),
                    snippet: Snippet::default(),
                    format: String::new(),
                });
            }
        }
        Ok(SearchResults {
            query: None,
            total: usize::try_from(total).unwrap_or(usize::MAX),
            hits,
        })
    }

    /// Every document matching `query` as stored, at most `max` of them:
    /// an error names the number when more match.
    pub fn fetch_all(&self, query: &str, max: usize) -> Result<Vec<Map<String, Value>>> {
        let answer = self.search_raw(&json!({
            "query": query, "max_hits": max.clamp(1, MAX_HITS), "sort_by": names::DATE,
        }))?;
        let total = num_hits(&answer)?;
        if total > max as u64 {
            return Err(Error::Filter(format!(
                "{total} reports match; this command reads at most {max} reports from a cluster: narrow the query or the filters"
            )));
        }
        Ok(hits(&answer)?.into_iter().cloned().collect())
    }
}

fn terms(d: Dimension) -> Value {
    json!({"terms": {"field": facet_field(d), "size": TERMS_SIZE, "shard_size": TERMS_SIZE}})
}

/// Documents per day that has any: folded into years, quarters and
/// months client-side (Quickwit's fixed intervals cannot follow months).
fn daily_histogram() -> Value {
    json!({"date_histogram": {"field": names::DATE, "fixed_interval": "1d", "min_doc_count": 1}})
}

fn malformed(what: &str) -> Error {
    Error::Remote {
        method: "POST".into(),
        url: "search".into(),
        status: 200,
        message: format!("unexpected answer: {what}"),
    }
}

/// The total of a search answer.
pub fn num_hits(answer: &Value) -> Result<u64> {
    answer["num_hits"]
        .as_u64()
        .ok_or_else(|| malformed("no num_hits"))
}

/// The stored documents of a search answer.
pub fn hits(answer: &Value) -> Result<Vec<&Map<String, Value>>> {
    let list = answer["hits"]
        .as_array()
        .ok_or_else(|| malformed("no hits"))?;
    list.iter()
        .map(|h| {
            h.as_object()
                .ok_or_else(|| malformed("a hit is not an object"))
        })
        .collect()
}

fn buckets(agg: &Value) -> Result<&Vec<Value>> {
    agg["buckets"]
        .as_array()
        .ok_or_else(|| malformed("an aggregation without buckets"))
}

fn bucket_key(b: &Value) -> Result<String> {
    match &b["key"] {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        _ => Err(malformed("a bucket without key")),
    }
}

/// Value → documents of a terms aggregation.
pub fn bucket_counts(agg: &Value) -> Result<HashMap<String, u64>> {
    let mut out = HashMap::new();
    for b in buckets(agg)? {
        let count = b["doc_count"]
            .as_u64()
            .ok_or_else(|| malformed("a bucket without doc_count"))?;
        if count > 0 {
            out.insert(bucket_key(b)?, count);
        }
    }
    Ok(out)
}

/// (day, documents) of a date_histogram aggregation.
fn day_counts(agg: &Value) -> Result<Vec<(chrono::NaiveDate, u64)>> {
    let mut out = Vec::new();
    for b in buckets(agg)? {
        let ms = b["key"]
            .as_f64()
            .ok_or_else(|| malformed("a date bucket without key"))?;
        let count = b["doc_count"].as_u64().unwrap_or(0);
        let Some(day) = chrono::DateTime::from_timestamp_millis(ms as i64) else {
            continue;
        };
        if count > 0 {
            out.push((day.date_naive(), count));
        }
    }
    Ok(out)
}

/// The counts per year, quarter or month of daily counts.
pub fn fold_days(days: &[(chrono::NaiveDate, u64)], dim: Dimension) -> HashMap<String, u64> {
    let mut out = HashMap::new();
    for &(d, n) in days {
        let label = match dim {
            Dimension::Year => d.year().to_string(),
            Dimension::Quarter => quarter_label(d),
            _ => format!("{:04}-{:02}", d.year(), d.month()),
        };
        *out.entry(label).or_insert(0) += n;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_fold_into_calendar_buckets() {
        let d = |y, m, day| chrono::NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let days = [
            (d(2023, 12, 31), 2),
            (d(2024, 1, 1), 1),
            (d(2024, 3, 31), 4),
        ];
        let months = fold_days(&days, Dimension::Month);
        assert_eq!(months["2023-12"], 2);
        assert_eq!(months["2024-01"], 1);
        assert_eq!(months["2024-03"], 4);
        let quarters = fold_days(&days, Dimension::Quarter);
        assert_eq!(quarters["2024-Q1"], 5);
        assert_eq!(fold_days(&days, Dimension::Year)["2024"], 5);
    }

    #[test]
    fn malformed_answers_are_errors() {
        assert!(num_hits(&json!({})).is_err());
        assert!(hits(&json!({"hits": [1]})).is_err());
        assert!(bucket_counts(&json!({"buckets": [{"key": "x"}]})).is_err());
        assert_eq!(
            bucket_counts(&json!({"buckets": [{"key": "x", "doc_count": 3}]})).unwrap()["x"],
            3
        );
    }
}
