//! The web stage: `threatdex serve` answers over HTTP with a search page, a
//! reader view, actor pages, report downloads and a JSON API that writes the
//! same JSON as the command line. Read-only, loopback by default, every
//! asset compiled in (nothing is fetched from elsewhere).
//!
//! Safety: an address other than loopback needs an access token, checked on
//! every request in constant time (`guard`); a document is found by its id
//! in the index, never by a path from the request; query sizes, parameter
//! counts, result sizes, request bodies and URIs are bounded; each request
//! has a deadline, connections and in-flight requests are capped, and
//! searches run on a bounded set of blocking threads.

mod api;
mod guard;
mod page;
mod state;
mod view;

use crate::error::{Error, Result};
use crate::index::IndexHandle;
use crate::kb::Kb;
use axum::routing::get;
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

pub use state::{find_doc, is_doc_id, AppState, Params};

/// Bounds on what one request may ask and on the server's load.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Longest query text (or any parameter value), in bytes.
    pub max_query_bytes: usize,
    /// Most parameters in one query string.
    pub max_params: usize,
    /// Most hits, indicators or facet values one request may ask for.
    pub max_hits: usize,
    /// Longest request URI, in bytes.
    pub max_uri_bytes: usize,
    /// Largest request body accepted (no endpoint reads one).
    pub max_body_bytes: usize,
    /// Deadline of one request.
    pub request_timeout: Duration,
    /// Time a client has to send a request's headers.
    pub header_timeout: Duration,
    /// Open connections at once (more wait to be accepted).
    pub max_connections: usize,
    /// Requests in flight at once (more wait).
    pub max_in_flight: usize,
    /// Searches running at once on blocking threads.
    pub workers: usize,
}

impl Default for Limits {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Limits {
            max_query_bytes: 2_000,
            max_params: 64,
            max_hits: 100,
            max_uri_bytes: 8 * 1024,
            max_body_bytes: 1024,
            request_timeout: Duration::from_secs(10),
            header_timeout: Duration::from_secs(10),
            max_connections: 512,
            max_in_flight: 256,
            workers: cores * 2,
        }
    }
}

/// What `serve` is told.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Where to listen.
    pub addr: SocketAddr,
    /// The access token, if any.
    pub token: Option<String>,
    /// The limits.
    pub limits: Limits,
}

/// Shortest token accepted: a guessable token is no protection.
pub const MIN_TOKEN_CHARS: usize = 16;

/// Checks that the address and token go together: loopback needs no token,
/// any other address needs one of at least [`MIN_TOKEN_CHARS`] characters.
pub fn check_exposure(addr: &SocketAddr, token: Option<&str>) -> Result<()> {
    match token {
        Some(t) if t.chars().count() < MIN_TOKEN_CHARS => Err(Error::Filter(format!(
            "the token is {} characters long; use at least {MIN_TOKEN_CHARS} \
             (e.g. `openssl rand -hex 16`)",
            t.chars().count()
        ))),
        None if !addr.ip().is_loopback() => Err(Error::Filter(format!(
            "{addr} is reachable from other machines: pass --token (or set \
             THREATDEX_TOKEN) so every request must carry it, or listen on 127.0.0.1"
        ))),
        _ => Ok(()),
    }
}

/// Serves the index until interrupted (Ctrl-C). `on_bound` is called with
/// the address actually bound (port 0 picks a free port) before the first
/// request is accepted.
pub fn serve(
    handle: IndexHandle,
    kb: Kb,
    options: ServeOptions,
    on_bound: impl FnOnce(SocketAddr),
) -> Result<()> {
    check_exposure(&options.addr, options.token.as_deref())?;
    let limits = options.limits.clone();
    let state = Arc::new(AppState::open(
        handle,
        kb,
        options.token.as_deref(),
        limits.clone(),
    )?);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(limits.workers.max(1) + 4)
        .build()
        .map_err(|e| Error::io("tokio runtime", e))?;
    runtime.block_on(async move {
        let listener = TcpListener::bind(options.addr)
            .await
            .map_err(|e| Error::io(options.addr.to_string(), e))?;
        let bound = listener
            .local_addr()
            .map_err(|e| Error::io(options.addr.to_string(), e))?;
        on_bound(bound);
        accept_loop(listener, router(state), &limits).await;
        Ok(())
    })
}

/// Accepts connections until Ctrl-C, at most `max_connections` at once.
/// One service stack serves them all, so its limits are global: requests
/// in flight, each request's deadline, the size of a request body.
async fn accept_loop(listener: TcpListener, app: Router, limits: &Limits) {
    let service = tower::limit::ConcurrencyLimit::new(
        tower_http::limit::RequestBodyLimit::new(
            tower_http::timeout::Timeout::with_status_code(
                app,
                axum::http::StatusCode::REQUEST_TIMEOUT,
                limits.request_timeout,
            ),
            limits.max_body_bytes,
        ),
        limits.max_in_flight.max(1),
    );
    let connections = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let shutdown = tokio::signal::ctrl_c();
    tokio::pin!(shutdown);
    loop {
        let Ok(permit) = connections.clone().acquire_owned().await else {
            return;
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of file descriptors, or a connection reset before it
                // was accepted: wait a little and go on serving.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut shutdown => return,
        };
        // Clones share the concurrency limit's semaphore.
        let service = TowerToHyperService::new(service.clone());
        let header_timeout = limits.header_timeout;
        tokio::spawn(async move {
            let _permit = permit;
            let mut http = hyper::server::conn::http1::Builder::new();
            http.timer(TokioTimer::new())
                .header_read_timeout(header_timeout)
                .max_buf_size(64 * 1024);
            // A client that goes away mid-request is no error of ours.
            let _ = http.serve_connection(TokioIo::new(stream), service).await;
        });
    }
}

/// Every route, behind the guard.
fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/", get(page::search))
        .route("/doc/{id}", get(page::reader))
        .route("/actor/{name}", get(page::actor))
        .route("/report", get(page::report_html))
        .route("/report.md", get(page::report_markdown))
        .route("/export/stix.json", get(page::export_stix))
        .route("/export/facets.csv", get(page::export_facets_csv))
        .route("/export/iocs.csv", get(page::export_iocs_csv))
        .route("/assets/app.css", get(page::css))
        .route("/assets/app.js", get(page::js))
        .route("/api/search", get(api::search))
        .route("/api/facets", get(api::facets))
        .route("/api/iocs", get(api::iocs))
        .route("/api/actor/{name}", get(api::actor))
        .route("/api/doc/{id}", get(api::doc))
        .fallback(guard::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            guard::guard,
        ))
        .with_state(state)
}

/// Runs CPU work (a search, a page) on a blocking thread once a work permit
/// is free, so no client can occupy more than its share of the cores.
async fn blocking<T: Send + 'static>(
    state: &Arc<AppState>,
    work: impl FnOnce(&AppState) -> T + Send + 'static,
) -> Option<T> {
    let permit = state.work.clone().acquire_owned().await.ok()?;
    let state = state.clone();
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        work(&state)
    })
    .await
    .ok()
}
