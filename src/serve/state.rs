//! What every request works on: the index (its reader picks up each new
//! commit), the knowledge base and the limits; request parameters parsed and
//! bounded; a document found by its id.

use super::Limits;
use crate::error::{Error, Result};
use crate::index::schema::{names, Fields};
use crate::index::IndexHandle;
use crate::kb::Kb;
use crate::query::{self, Filters, Plan, RawFilters};
use chrono::NaiveDate;
use std::sync::Arc;
use tantivy::{DocAddress, Index, IndexReader, ReloadPolicy, Searcher};
use tokio::sync::Semaphore;

/// The server's shared state.
pub struct AppState {
    /// The open index.
    pub index: Index,
    /// Its fields.
    pub fields: Fields,
    /// A reader that reloads itself shortly after each commit, so a
    /// concurrent `threatdex index` run shows without a restart.
    reader: IndexReader,
    /// The knowledge base (the index's imported actors, if any).
    pub kb: Kb,
    /// BLAKE3 digest of the access token, when one is required.
    pub token_digest: Option<[u8; 32]>,
    /// The limits in force.
    pub limits: Limits,
    /// Permits for CPU work: searches run on blocking threads, at most this
    /// many at once, whatever the number of clients.
    pub work: Arc<Semaphore>,
}

impl AppState {
    /// Opens the index read-only.
    pub fn open(handle: IndexHandle, kb: Kb, token: Option<&str>, limits: Limits) -> Result<Self> {
        let reader = handle
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()?;
        Ok(AppState {
            index: handle.index,
            fields: handle.fields,
            reader,
            kb,
            token_digest: token.map(|t| *blake3::hash(t.as_bytes()).as_bytes()),
            work: Arc::new(Semaphore::new(limits.workers.max(1))),
            limits,
        })
    }

    /// A searcher over the last commit seen.
    pub fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    /// Resolves the request's filters and builds its query.
    pub fn plan(&self, p: &Params) -> Result<(Filters, Plan)> {
        let filters = Filters::resolve(&p.raw_filters()?, &self.kb)?;
        let plan = self.plan_for(p.query(), &filters)?;
        Ok((filters, plan))
    }

    /// Builds the query for `text` and resolved `filters`.
    pub fn plan_for(&self, text: Option<&str>, filters: &Filters) -> Result<Plan> {
        query::build(&self.index, &self.fields, &self.kb, text, filters)
    }
}

/// Query-string keys that are filters, in the order links write them.
pub const FILTER_KEYS: [&str; 10] = [
    "actor",
    "target",
    "country",
    "origin",
    "sector",
    "cve",
    "technique",
    "ioc",
    "since",
    "until",
];

/// A request's parameters, as given: query text, filters and counts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params {
    /// The query text (`q`).
    pub q: String,
    /// Filter keys and values, in the order given.
    pub filters: Vec<(&'static str, String)>,
    /// `n`: number of hits (or indicators).
    pub n: Option<usize>,
    /// `top`: values per facet.
    pub top: Option<usize>,
    /// `by`: facet dimensions.
    pub by: Vec<String>,
    /// `cross`: ROWS,COLUMNS cross-tabulations.
    pub cross: Vec<String>,
    /// `type`: indicator kinds.
    pub kinds: Vec<String>,
}

impl Params {
    /// Parses a query string, enforcing the limits; unknown keys (such as
    /// `token`) are ignored, empty values (a form's unset fields) too.
    pub fn parse(raw: Option<&str>, limits: &Limits) -> Result<Params> {
        let mut p = Params::default();
        let Some(raw) = raw else { return Ok(p) };
        let number = |key: &str, v: &str, max: usize| -> Result<usize> {
            let n: usize = v
                .trim()
                .parse()
                .map_err(|_| Error::Filter(format!("{key}={v:?} is not a number")))?;
            if n > max {
                return Err(Error::Filter(format!(
                    "{key}={n} is above the limit of {max}"
                )));
            }
            Ok(n)
        };
        let mut values = 0usize;
        for (key, value) in form_urlencoded::parse(raw.as_bytes()) {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            values += 1;
            if values > limits.max_params {
                return Err(Error::Filter(format!(
                    "more than {} parameters",
                    limits.max_params
                )));
            }
            if value.len() > limits.max_query_bytes {
                return Err(Error::Query(format!(
                    "{key} of {} bytes is too long (limit {})",
                    value.len(),
                    limits.max_query_bytes
                )));
            }
            match &*key {
                "q" => p.q = value.to_string(),
                "n" => p.n = Some(number("n", value, limits.max_hits)?),
                "top" => p.top = Some(number("top", value, limits.max_hits)?),
                "by" => p.by.push(value.to_string()),
                "cross" => p.cross.push(value.to_string()),
                "type" => p.kinds.push(value.to_string()),
                k => {
                    if let Some(key) = FILTER_KEYS.iter().find(|f| **f == k) {
                        p.filters.push((key, value.to_string()));
                    }
                }
            }
        }
        Ok(p)
    }

    /// The query text, if any.
    pub fn query(&self) -> Option<&str> {
        Some(self.q.as_str()).filter(|q| !q.trim().is_empty())
    }

    /// The values given for one filter key.
    pub fn values(&self, key: &str) -> Vec<String> {
        self.filters
            .iter()
            .filter(|(k, _)| *k == key)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// The filters as the query layer takes them.
    pub fn raw_filters(&self) -> Result<RawFilters> {
        let day = |key: &str| -> Result<Option<NaiveDate>> {
            match self.values(key).last() {
                None => Ok(None),
                Some(v) => parse_day(v).map(Some).ok_or_else(|| {
                    Error::Filter(format!("{key}={v:?} is not a date (YYYY-MM-DD)"))
                }),
            }
        };
        Ok(RawFilters {
            actors: self.values("actor"),
            countries: self.values("country"),
            targets: self.values("target"),
            sectors: self.values("sector"),
            origins: self.values("origin"),
            since: day("since")?,
            until: day("until")?,
            cves: self.values("cve"),
            techniques: self.values("technique"),
            iocs: self.values("ioc"),
        })
    }
}

/// Parses `YYYY-MM-DD`.
pub fn parse_day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

/// Returns true if and only if `id` has the form of a document id: the
/// 64 lower-case hex digits of the BLAKE3 digest of the indexed bytes.
pub fn is_doc_id(id: &str) -> bool {
    id.len() == 64 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The live document whose id (content digest) is `id`, if any. Reads the
/// hash fast field: one dictionary look-up per segment, then its documents.
pub fn find_doc(searcher: &Searcher, id: &str) -> Result<Option<DocAddress>> {
    if !is_doc_id(id) {
        return Ok(None);
    }
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let Some(column) = segment.fast_fields().str(names::HASH)? else {
            continue;
        };
        let Some(term) = column
            .dictionary()
            .term_ord(id.as_bytes())
            .map_err(|e| Error::io("index", e))?
        else {
            continue;
        };
        for doc in segment.doc_ids_alive() {
            if column.term_ords(doc).next() == Some(term) {
                return Ok(Some(DocAddress::new(ord as u32, doc)));
            }
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_parse_and_bound() {
        let limits = Limits::default();
        let p = Params::parse(
            Some("q=volt+typhoon&actor=LockBit&actor=APT28&since=2024-01-01&n=5&token=x&since="),
            &limits,
        )
        .unwrap();
        assert_eq!(p.query(), Some("volt typhoon"));
        assert_eq!(p.values("actor"), ["LockBit", "APT28"]);
        assert_eq!(p.n, Some(5));
        let raw = p.raw_filters().unwrap();
        assert_eq!(raw.since, parse_day("2024-01-01"));
        assert!(Params::parse(Some("n=100000"), &limits).is_err());
        let long = format!("q={}", "a".repeat(limits.max_query_bytes + 1));
        assert!(Params::parse(Some(&long), &limits).is_err());
        let bad_date = Params::parse(Some("since=yesterday"), &limits).unwrap();
        assert!(bad_date.raw_filters().is_err());
    }

    #[test]
    fn doc_ids_are_digests_only() {
        assert!(is_doc_id(&"ab".repeat(32)));
        assert!(!is_doc_id("../../etc/passwd"));
        assert!(!is_doc_id(&"AB".repeat(32)));
        assert!(!is_doc_id(&"a".repeat(63)));
    }
}
