//! The JSON API: the same computations and the same JSON writers as the
//! command line (`search --json`, `facets --json`, `iocs --json`,
//! `actor --json`, `extract --json`), so a response is byte for byte what
//! the command prints for the same query.

use super::guard::{from_error, unavailable};
use super::{blocking, AppState, Params};
use crate::error::{Error, Result};
use crate::facets::FacetRequest;
use crate::index::schema::from_document;
use crate::model::{Article, IndicatorKind};
use crate::render::json;
use axum::extract::{Path, RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use tantivy::TantivyDocument;

/// Hits returned when `n` is not given (as `search`).
const DEFAULT_HITS: usize = 10;

/// Runs `work` on a blocking thread and answers with its JSON bytes.
async fn json_response(
    state: Arc<AppState>,
    query: Option<String>,
    work: impl FnOnce(&AppState, Params) -> Result<(Vec<u8>, &'static str)> + Send + 'static,
) -> Response {
    let answer = blocking(&state, move |st| {
        let params = Params::parse(query.as_deref(), &st.limits)?;
        work(st, params)
    })
    .await;
    match answer {
        Some(Ok((body, content_type))) => {
            ([(header::CONTENT_TYPE, content_type)], body).into_response()
        }
        Some(Err(e)) => from_error(&e, true),
        None => unavailable(true),
    }
}

/// Writing into a `Vec` cannot fail, but the writers return `io::Result`.
fn written(r: std::io::Result<()>) -> Result<()> {
    r.map_err(|e| Error::io("response", e))
}

const JSON: &str = "application/json";

/// `GET /api/search?q=&actor=&…&n=`: as `threatdex search --json`.
pub async fn search(State(state): State<Arc<AppState>>, RawQuery(q): RawQuery) -> Response {
    json_response(state, q, |st, p| {
        let (_, plan) = st.plan(&p)?;
        let searcher = st.searcher();
        let results = crate::search::search(
            &searcher,
            &st.fields,
            &plan,
            p.query(),
            p.n.unwrap_or(DEFAULT_HITS),
        )?;
        let mut out = Vec::new();
        written(json::search(&mut out, &results))?;
        Ok((out, JSON))
    })
    .await
}

/// `GET /api/facets?q=&…&by=&cross=&top=`: as `threatdex facets --json`.
pub async fn facets(State(state): State<Arc<AppState>>, RawQuery(q): RawQuery) -> Response {
    json_response(state, q, |st, p| {
        let (filters, plan) = st.plan(&p)?;
        let request = FacetRequest::parse(
            &p.by,
            &p.cross,
            p.top,
            filters.since.is_some() || filters.until.is_some(),
        )?;
        let results = request.run(&st.searcher(), &st.fields, &*plan.query)?;
        let mut out = Vec::new();
        written(json::facets(&mut out, &results))?;
        Ok((out, JSON))
    })
    .await
}

/// `GET /api/iocs?q=&…&type=&n=`: as `threatdex iocs --json`.
pub async fn iocs(State(state): State<Arc<AppState>>, RawQuery(q): RawQuery) -> Response {
    json_response(state, q, |st, p| {
        let kinds: Vec<IndicatorKind> = p
            .kinds
            .iter()
            .map(|k| {
                IndicatorKind::from_name(k)
                    .ok_or_else(|| Error::Filter(format!("unknown indicator type {k:?}")))
            })
            .collect::<Result<_>>()?;
        let (_, plan) = st.plan(&p)?;
        let searcher = st.searcher();
        let mut counts = crate::indicator_counts::indicator_counts(
            &searcher,
            &*plan.query,
            &crate::indicator_counts::IndicatorFilter {
                kinds,
                roles: vec![crate::model::Role::Indicator],
            },
        )?;
        if let Some(n) = p.n {
            counts.truncate(n);
        }
        let mut out = Vec::new();
        written(json::indicators(&mut out, &counts))?;
        Ok((out, JSON))
    })
    .await
}

/// `GET /api/actor/{name}`: as `threatdex actor NAME --json`: one JSON
/// line per actor the name stands for (JSON Lines when several claim it).
pub async fn actor(
    State(state): State<Arc<AppState>>,
    Path(name): Path<String>,
    RawQuery(q): RawQuery,
) -> Response {
    json_response(state, q, move |st, _| {
        if name.len() > st.limits.max_query_bytes {
            return Err(Error::Filter("the actor name is too long".into()));
        }
        let searcher = st.searcher();
        let cards = crate::actor::actor_cards(&st.kb, Some((&searcher, &st.fields)), &name)?;
        let mut out = Vec::new();
        for card in &cards {
            written(json::actor(&mut out, card))?;
        }
        let content_type = if cards.len() == 1 {
            JSON
        } else {
            "application/x-ndjson"
        };
        Ok((out, content_type))
    })
    .await
}

/// `GET /api/doc/{id}`: the indexed document whose id (the BLAKE3 digest
/// of its bytes, as `search` hits give it) is `id`, as one line of
/// `threatdex extract --json` (`seats` is not stored, so it is empty).
pub async fn doc(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Response {
    json_response(state, q, move |st, _| {
        let searcher = st.searcher();
        let Some(addr) = super::find_doc(&searcher, &id)? else {
            return Err(Error::NoDocument(id));
        };
        let stored = from_document(&st.fields, &searcher.doc::<TantivyDocument>(addr)?);
        let article = Article {
            title: Some(stored.title.clone()).filter(|t| !t.is_empty()),
            date: stored.date,
            url: stored.url.clone(),
            tags: stored.tags.clone(),
            text: stored.body.clone(),
        };
        let mut out = Vec::new();
        written(json::extracted(
            &mut out,
            &crate::render::display_path(&stored.path),
            &article,
            &stored.entities,
            &stored.indicators,
        ))?;
        Ok((out, JSON))
    })
    .await
}
