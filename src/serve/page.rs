//! The HTML pages (search with facet sidebar and timeline, reader view,
//! actor page) and the downloads of the current view (report page,
//! Markdown, facet and indicator CSV, STIX). Pages are rendered on the
//! server, so the URL is the whole state and nothing shifts while a page
//! loads; the embedded script only adds keys and the timeline's drag.

use super::guard::{from_error, unavailable};
use super::view::{self, chips, foot, head, label, timeline, View, SIDEBAR};
use super::{blocking, find_doc, AppState, Params};
use crate::error::{Error, Result};
use crate::index::schema::{from_document, Dimension};
use crate::model::{FacetCount, SearchResults};
use crate::query::Filters;
use crate::reader::mark::Marker;
use crate::reader::{escape, reader_html, sanitize, text_html};
use crate::render::report::{file_url, snippet_html};
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use std::fmt::Write;
use std::sync::Arc;
use tantivy::TantivyDocument;

const CSS: &str = include_str!("assets/app.css");
const JS: &str = include_str!("assets/app.js");

/// Hits on a search page when `n` is not given.
const PAGE_HITS: usize = 20;

/// Values listed per facet in the sidebar (selected ones are always shown).
const SIDEBAR_TOP: usize = 12;

/// Reports listed on an actor page.
const ACTOR_REPORTS: usize = 50;

/// `GET /assets/app.css`.
pub async fn css() -> Response {
    asset(CSS, "text/css; charset=utf-8")
}

/// `GET /assets/app.js`.
pub async fn js() -> Response {
    asset(JS, "text/javascript; charset=utf-8")
}

fn asset(body: &'static str, content_type: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "max-age=300"),
        ],
        body,
    )
        .into_response()
}

/// A finished download or page: its bytes, type and file name.
struct Body {
    bytes: Vec<u8>,
    content_type: &'static str,
    /// Offered as a download under this name.
    file_name: Option<&'static str>,
    /// A Content-Security-Policy other than the app's.
    csp: Option<&'static str>,
}

impl Body {
    fn page(html: String) -> Body {
        Body {
            bytes: html.into_bytes(),
            content_type: "text/html; charset=utf-8",
            file_name: None,
            csp: None,
        }
    }
}

/// Runs `work` on a blocking thread and answers with what it made.
async fn respond(
    state: Arc<AppState>,
    query: Option<String>,
    work: impl FnOnce(&AppState, Params) -> Result<Body> + Send + 'static,
) -> Response {
    let answer = blocking(&state, move |st| {
        let params = Params::parse(query.as_deref(), &st.limits)?;
        work(st, params)
    })
    .await;
    match answer {
        Some(Ok(body)) => {
            let mut r = ([(header::CONTENT_TYPE, body.content_type)], body.bytes).into_response();
            if let Some(name) = body.file_name {
                if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
                    r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
                }
            }
            if let Some(csp) = body.csp {
                r.headers_mut().insert(
                    header::CONTENT_SECURITY_POLICY,
                    HeaderValue::from_static(csp),
                );
            }
            r
        }
        Some(Err(e)) => from_error(&e, false),
        None => unavailable(false),
    }
}

/// The request's view: its query, its filters resolved, its page size.
fn view_of(st: &AppState, p: &Params) -> Result<View> {
    Ok(View {
        q: p.q.clone(),
        filters: Filters::resolve(&p.raw_filters()?, &st.kb)?,
        n: p.n,
    })
}

/// `GET /`: the search page.
pub async fn search(State(state): State<Arc<AppState>>, RawQuery(q): RawQuery) -> Response {
    respond(state, q, |st, p| search_page(st, &p).map(Body::page)).await
}

fn search_page(st: &AppState, p: &Params) -> Result<String> {
    let view = view_of(st, p)?;
    let searcher = st.searcher();
    let text = p.query();
    let plan = st.plan_for(text, &view.filters)?;
    let n = p.n.unwrap_or(PAGE_HITS).max(1);
    let results = crate::search::search(&searcher, &st.fields, &plan, text, n)?;
    // Disjunctive counts: each facet is counted with every filter but its
    // own, so picking one actor still shows how many reports the others have.
    let mut sidebar: Vec<(&str, &str, Vec<FacetCount>)> = Vec::new();
    for (dim, key, heading) in SIDEBAR {
        let mut others = view.filters.clone();
        if let Some(v) = view::values_mut(&mut others, key) {
            v.clear();
        }
        let counts = if others == view.filters {
            crate::facets::facets(&searcher, &*plan.query, &[dim], usize::MAX)?
        } else {
            let q = st.plan_for(text, &others)?;
            crate::facets::facets(&searcher, &*q.query, &[dim], usize::MAX)?
        };
        let mut all = counts
            .facets
            .into_iter()
            .next()
            .map(|f| f.1)
            .unwrap_or_default();
        let mut shown: Vec<FacetCount> = Vec::new();
        for (i, c) in all.drain(..).enumerate() {
            if i < SIDEBAR_TOP || view.has(key, &c.value) {
                shown.push(c);
            }
        }
        sidebar.push((key, heading, shown));
    }
    // The timeline counts every date, so another range can be picked.
    let mut undated = view.filters.clone();
    undated.since = None;
    undated.until = None;
    let months = if undated == view.filters {
        crate::facets::facets(&searcher, &*plan.query, &[Dimension::Month], 0)?
    } else {
        let q = st.plan_for(text, &undated)?;
        crate::facets::facets(&searcher, &*q.query, &[Dimension::Month], 0)?
    };
    let months = months
        .facets
        .into_iter()
        .next()
        .map(|f| f.1)
        .unwrap_or_default();

    let mut out = String::with_capacity(64 * 1024);
    let title = match text {
        Some(t) => format!("{t} · threatdex"),
        None => "threatdex".to_string(),
    };
    head(&mut out, &title, &view);
    out.push_str(r#"<div class="layout"><aside class="facets" aria-label="Filters">"#);
    for (key, heading, counts) in &sidebar {
        if counts.is_empty() {
            continue;
        }
        let _ = write!(
            out,
            r#"<section class="facet" data-key="{key}"><h2>{heading}</h2><ul>"#
        );
        for c in counts {
            let on = view.has(key, &c.value);
            let _ = write!(
                out,
                r#"<li><a class="fv{}" href="{}" aria-pressed="{on}"><span class="name">{}</span><span class="count">{}</span></a></li>"#,
                if on { " on" } else { "" },
                escape(&view.toggle(key, &c.value)),
                escape(&label(&st.kb, key, &c.value)),
                c.count,
            );
        }
        out.push_str("</ul></section>");
    }
    out.push_str(r#"</aside><main id="results">"#);
    active_filters(&mut out, st, &view);
    timeline(&mut out, &months, &view);
    summary(&mut out, &view, &results);
    hit_list(&mut out, st, &view, &results);
    if results.total > results.hits.len() && n < st.limits.max_hits {
        let more = (n + PAGE_HITS).min(st.limits.max_hits);
        let _ = write!(
            out,
            r#"<p class="more"><a href="{}">Show {more}</a></p>"#,
            escape(&view.with(|v| v.n = Some(more)))
        );
    }
    out.push_str("</main></div>");
    foot(&mut out);
    Ok(out)
}

/// The chips of the filters in force, each with a link that drops it.
fn active_filters(out: &mut String, st: &AppState, view: &View) {
    let mut any = false;
    let mut chips = String::new();
    for (_, key, heading) in SIDEBAR {
        for v in view::values(&view.filters, key) {
            any = true;
            let _ = write!(
                chips,
                r#"<a class="chip {key} on" href="{}" title="Remove this filter">{heading}: {} ×</a>"#,
                escape(&view.toggle(key, v)),
                escape(&label(&st.kb, key, v)),
            );
        }
    }
    for (kind, v) in &view.filters.iocs {
        any = true;
        let href = view.with(|w| w.filters.iocs.retain(|(_, x)| x != v));
        let _ = write!(
            chips,
            r#"<a class="chip ioc on" href="{}">{}: {} ×</a>"#,
            escape(&href),
            kind.name(),
            escape(v)
        );
    }
    if !any {
        return;
    }
    out.push_str(r#"<div class="active">"#);
    out.push_str(&chips);
    for a in &view.filters.actors {
        let _ = write!(
            out,
            r#"<a class="about" href="/actor/{}">About {} →</a>"#,
            escape(&path_segment(a)),
            escape(a)
        );
    }
    let _ = write!(
        out,
        r#"<a class="clear" href="{}">Clear filters</a></div>"#,
        escape(
            &View {
                q: view.q.clone(),
                filters: Filters::default(),
                n: None
            }
            .href("/")
        )
    );
}

/// The result count and the downloads of the view.
fn summary(out: &mut String, view: &View, results: &SearchResults) {
    let plural = if results.total == 1 { "" } else { "s" };
    let _ = write!(
        out,
        r#"<div class="summary"><p><strong id="total">{}</strong> report{plural}</p><p class="downloads">"#,
        results.total
    );
    for (path, name) in [
        ("/report", "Report"),
        ("/report.md", "Markdown"),
        ("/export/facets.csv", "Facets CSV"),
        ("/export/iocs.csv", "IOCs CSV"),
        ("/export/stix.json", "STIX"),
        ("/api/search", "JSON"),
    ] {
        let _ = write!(out, r#"<a href="{}">{name}</a>"#, escape(&view.href(path)));
    }
    out.push_str("</p></div>");
}

/// The ranked hits.
fn hit_list(out: &mut String, st: &AppState, view: &View, results: &SearchResults) {
    if results.hits.is_empty() {
        out.push_str(r#"<p class="none">No report matches. Drop a filter or a word.</p>"#);
        return;
    }
    out.push_str(r#"<ol class="hits">"#);
    for hit in &results.hits {
        let title = if hit.title.is_empty() {
            file_name(&hit.path)
        } else {
            hit.title.clone()
        };
        let _ = write!(
            out,
            r#"<li class="hit"><h3><a class="title" href="{}">{}</a></h3><p class="meta">{}<span class="path">{}</span></p><p class="snippet">{}</p>"#,
            escape(&view.href(&format!("/doc/{}", hit.id))),
            escape(&title),
            hit.date
                .map(|d| format!(r#"<time datetime="{d}">{d}</time> · "#))
                .unwrap_or_default(),
            escape(&file_name(&hit.path)),
            snippet_html(&hit.snippet),
        );
        chips(out, &st.kb, view, hit);
        out.push_str("</li>");
    }
    out.push_str("</ol>");
}

fn file_name(path: &str) -> String {
    std::path::Path::new(path)
        .file_name()
        .map_or_else(|| path.to_string(), |n| n.to_string_lossy().into_owned())
}

/// A value as one URL path segment.
fn path_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(b as char)
            }
            _ => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

/// `GET /doc/{id}`: the reader view of one report.
pub async fn reader(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Response {
    respond(state, q, move |st, p| {
        reader_page(st, &id, &p).map(Body::page)
    })
    .await
}

fn reader_page(st: &AppState, id: &str, p: &Params) -> Result<String> {
    let view = view_of(st, p)?;
    let searcher = st.searcher();
    let addr = find_doc(&searcher, id)?.ok_or_else(|| Error::NoDocument(id.to_string()))?;
    let stored = from_document(&st.fields, &searcher.doc::<TantivyDocument>(addr)?);
    // The file is read at the path the index stored for this id; nothing
    // in the request names a file.
    let (fragment, note) = match read_indexed(&stored.path, &stored.hash) {
        Ok(bytes) => {
            let kind = crate::ingest::source_kind(std::path::Path::new(&stored.path));
            match kind.map(|k| reader_html(&bytes, k)) {
                Some(Ok(r)) => {
                    let base = r.url.clone().or_else(|| stored.url.clone());
                    (sanitize::clean(&r.html, base.as_deref()), None)
                }
                _ => (
                    sanitize::clean(&text_html(&stored.body, false), None),
                    Some("The file could not be read as a report; this is the indexed text."),
                ),
            }
        }
        Err(why) => (
            sanitize::clean(&text_html(&stored.body, false), None),
            Some(why),
        ),
    };
    let fragment = match p.query() {
        Some(text) => {
            let plan = st.plan_for(Some(text), &Filters::default())?;
            match plan
                .text
                .as_deref()
                .and_then(|q| Marker::new(&st.index, st.fields.body, q))
            {
                Some(mut m) => m.mark_html(&fragment),
                None => fragment,
            }
        }
        None => fragment,
    };
    let title = if stored.title.is_empty() {
        file_name(&stored.path)
    } else {
        stored.title.clone()
    };
    let mut out = String::with_capacity(fragment.len() + 8 * 1024);
    head(&mut out, &format!("{title} · threatdex"), &view);
    let _ = write!(
        out,
        r#"<main class="reader-wrap"><article class="reader"><p class="back"><a href="{}">← Results</a></p><h1>{}</h1><p class="meta">"#,
        escape(&view.href("/")),
        escape(&title)
    );
    if let Some(d) = stored.date {
        let _ = write!(out, r#"<time datetime="{d}">{d}</time> · "#);
    }
    if let Some(u) = stored.url.as_deref().filter(|u| is_web_url(u)) {
        let _ = write!(
            out,
            r#"<a class="original" href="{}" rel="noopener noreferrer nofollow">Original</a> · "#,
            escape(u)
        );
    }
    let _ = write!(
        out,
        r#"<a class="file" href="{}" title="{}">File</a> · <a href="/api/doc/{id}">JSON</a></p>"#,
        escape(&file_url(&stored.path)),
        escape(&stored.path),
    );
    let hit = crate::model::Hit {
        path: stored.path.clone(),
        id: stored.hash.clone(),
        title: title.clone(),
        url: None,
        date: None,
        score: None,
        entities: stored.entities.clone(),
        tags: Vec::new(),
        indicators: Default::default(),
        snippet: Default::default(),
        format: stored.format.clone(),
    };
    chips(&mut out, &st.kb, &view, &hit);
    if let Some(n) = note {
        let _ = write!(out, r#"<p class="note">{}</p>"#, escape(n));
    }
    out.push_str(r#"<div class="content">"#);
    out.push_str(&fragment);
    out.push_str("</div></article></main>");
    foot(&mut out);
    Ok(out)
}

/// Returns true if and only if `u` is an http(s) URL (the only links to
/// elsewhere a page offers).
fn is_web_url(u: &str) -> bool {
    let l = u.trim_start().to_ascii_lowercase();
    l.starts_with("https://") || l.starts_with("http://")
}

/// The bytes of the indexed file, if it is still there and unchanged.
fn read_indexed(path: &str, hash: &str) -> std::result::Result<Vec<u8>, &'static str> {
    let p = std::path::Path::new(path);
    let size = std::fs::metadata(p)
        .map_err(|_| "The file is no longer there; this is the indexed text.")?
        .len();
    if size > crate::ingest::DEFAULT_MAX_BYTES {
        return Err("The file is too large to show; this is the indexed text.");
    }
    let bytes =
        std::fs::read(p).map_err(|_| "The file cannot be read; this is the indexed text.")?;
    if blake3::hash(&bytes).to_hex().as_str() != hash {
        return Err("The file changed since it was indexed; this is the indexed text.");
    }
    Ok(bytes)
}

/// `GET /actor/{name}`: the actor card and its reports.
pub async fn actor(
    State(state): State<Arc<AppState>>,
    Path(name): Path<String>,
    RawQuery(q): RawQuery,
) -> Response {
    respond(state, q, move |st, p| {
        actor_page(st, &name, &p).map(Body::page)
    })
    .await
}

fn actor_page(st: &AppState, name: &str, p: &Params) -> Result<String> {
    if name.len() > st.limits.max_query_bytes {
        return Err(Error::Filter("the actor name is too long".into()));
    }
    let view = view_of(st, p)?;
    let searcher = st.searcher();
    let cards = crate::actor::actor_cards(&st.kb, Some((&searcher, &st.fields)), name)?;
    let mut out = String::with_capacity(32 * 1024);
    head(&mut out, &format!("{name} · threatdex"), &view);
    out.push_str(r#"<main class="actor-wrap">"#);
    for card in &cards {
        let a = card.actor;
        let actor_view = View {
            q: String::new(),
            filters: Filters {
                actors: vec![a.canonical.clone()],
                ..Filters::default()
            },
            n: None,
        };
        let _ = write!(
            out,
            r#"<section class="card actor-card"><h1>{}</h1><dl>"#,
            escape(&a.canonical)
        );
        let aliases: Vec<String> = a.aliases.iter().map(|x| escape(&x.name)).collect();
        let _ = write!(
            out,
            "<dt>Aliases</dt><dd>{}</dd>",
            if aliases.is_empty() {
                "none".to_string()
            } else {
                aliases.join(", ")
            }
        );
        let origin = match (a.origin.as_deref(), card.origin_name) {
            (Some(c), Some(n)) => format!("{} ({})", escape(n), escape(c)),
            (Some(c), None) => escape(c),
            _ => "unknown".into(),
        };
        let _ = write!(
            out,
            "<dt>Origin</dt><dd>{origin}</dd><dt>Motivation</dt><dd>{}</dd>",
            escape(&a.motivation)
        );
        if let Some(m) = &a.mitre {
            let _ = write!(
                out,
                r#"<dt>ATT&amp;CK</dt><dd><a href="https://attack.mitre.org/groups/{m}/" rel="noopener noreferrer">{m}</a></dd>"#,
                m = escape(m)
            );
        }
        if let Some(s) = &card.stats {
            let _ = write!(out, "<dt>Reports</dt><dd>{}</dd>", s.reports);
            if let (Some(f), Some(l)) = (s.first, s.last) {
                let _ = write!(out, "<dt>First / last</dt><dd>{f} … {l}</dd>");
            }
            for (key, heading, list) in [
                ("target", "Top targets", &s.targets),
                ("sector", "Top sectors", &s.sectors),
            ] {
                if list.is_empty() {
                    continue;
                }
                let _ = write!(out, r#"<dt>{heading}</dt><dd class="chips">"#);
                for c in list.iter() {
                    let _ = write!(
                        out,
                        r#"<a class="chip {key}" href="{}">{} ({})</a>"#,
                        escape(&actor_view.toggle(key, &c.value)),
                        escape(&label(&st.kb, key, &c.value)),
                        c.count
                    );
                }
                out.push_str("</dd>");
            }
        }
        out.push_str("</dl>");
        let plan = st.plan_for(None, &actor_view.filters)?;
        let months = crate::facets::facets(&searcher, &*plan.query, &[Dimension::Month], 0)?
            .facets
            .into_iter()
            .next()
            .map(|f| f.1)
            .unwrap_or_default();
        out.push_str("<h2>Reports over time</h2>");
        timeline(&mut out, &months, &actor_view);
        let results = crate::search::search(&searcher, &st.fields, &plan, None, ACTOR_REPORTS)?;
        let _ = write!(
            out,
            r#"<h2>Reports</h2><p class="summary-line"><a href="{}">Search its {} reports →</a></p>"#,
            escape(&actor_view.href("/")),
            results.total
        );
        hit_list(&mut out, st, &actor_view, &results);
        out.push_str("</section>");
    }
    out.push_str("</main>");
    foot(&mut out);
    Ok(out)
}

/// The report page's own policy: its styles are inline, it has no script.
const REPORT_CSP: &str =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; frame-ancestors 'none'";

fn report_data(st: &AppState, p: &Params) -> Result<crate::report::ReportData> {
    let (filters, plan) = st.plan(p)?;
    let searcher = st.searcher();
    let mut data = crate::report::compute(
        &searcher,
        &st.fields,
        &st.kb,
        &plan,
        p.query(),
        &filters,
        &crate::report::ReportOptions::default(),
    )?;
    data.generated = Some(chrono::Local::now().format("%Y-%m-%d %H:%M").to_string());
    Ok(data)
}

fn io(r: std::io::Result<()>) -> Result<()> {
    r.map_err(|e| Error::io("response", e))
}

/// `GET /report`: the `report` page of the view.
pub async fn report_html(State(state): State<Arc<AppState>>, RawQuery(q): RawQuery) -> Response {
    respond(state, q, |st, p| {
        let mut bytes = Vec::new();
        io(crate::render::report::html(
            &mut bytes,
            &report_data(st, &p)?,
        ))?;
        Ok(Body {
            bytes,
            content_type: "text/html; charset=utf-8",
            file_name: None,
            csp: Some(REPORT_CSP),
        })
    })
    .await
}

/// `GET /report.md`: the report as Markdown.
pub async fn report_markdown(
    State(state): State<Arc<AppState>>,
    RawQuery(q): RawQuery,
) -> Response {
    respond(state, q, |st, p| {
        let mut bytes = Vec::new();
        io(crate::render::report::markdown(
            &mut bytes,
            &report_data(st, &p)?,
        ))?;
        Ok(Body {
            bytes,
            content_type: "text/markdown; charset=utf-8",
            file_name: Some("threatdex-report.md"),
            csp: None,
        })
    })
    .await
}

/// `GET /export/stix.json`: the matching reports as a STIX 2.1 bundle.
pub async fn export_stix(State(state): State<Arc<AppState>>, RawQuery(q): RawQuery) -> Response {
    respond(state, q, |st, p| {
        let (_, plan) = st.plan(&p)?;
        let searcher = st.searcher();
        let docs = crate::search::report_docs(&searcher, &st.fields, &plan)?;
        let (bundle, _) = crate::ioc::stix::bundle(&docs, &st.kb);
        let mut bytes = Vec::new();
        io(crate::render::json::stix(&mut bytes, &bundle))?;
        Ok(Body {
            bytes,
            content_type: "application/json",
            file_name: Some("threatdex-stix.json"),
            csp: None,
        })
    })
    .await
}

/// `GET /export/facets.csv`: the sidebar's facets (and months) as CSV.
pub async fn export_facets_csv(
    State(state): State<Arc<AppState>>,
    RawQuery(q): RawQuery,
) -> Response {
    respond(state, q, |st, p| {
        let (_, plan) = st.plan(&p)?;
        let searcher = st.searcher();
        let mut dims: Vec<Dimension> = SIDEBAR.iter().map(|s| s.0).collect();
        dims.push(Dimension::Month);
        let top = p.top.unwrap_or(st.limits.max_hits);
        let results = crate::facets::facets(&searcher, &*plan.query, &dims, top)?;
        let mut bytes = Vec::new();
        io(crate::render::table::facets_csv(&mut bytes, &results))?;
        Ok(Body {
            bytes,
            content_type: "text/csv; charset=utf-8",
            file_name: Some("threatdex-facets.csv"),
            csp: None,
        })
    })
    .await
}

/// `GET /export/iocs.csv`: the view's indicators as CSV.
pub async fn export_iocs_csv(
    State(state): State<Arc<AppState>>,
    RawQuery(q): RawQuery,
) -> Response {
    respond(state, q, |st, p| {
        let (_, plan) = st.plan(&p)?;
        let searcher = st.searcher();
        let counts = crate::indicator_counts::indicator_counts(
            &searcher,
            &*plan.query,
            &crate::indicator_counts::IndicatorFilter {
                kinds: Vec::new(),
                roles: vec![crate::model::Role::Indicator],
            },
        )?;
        let mut bytes = Vec::new();
        io(crate::render::human::indicators_csv(&mut bytes, &counts))?;
        Ok(Body {
            bytes,
            content_type: "text/csv; charset=utf-8",
            file_name: Some("threatdex-iocs.csv"),
            csp: None,
        })
    })
    .await
}
