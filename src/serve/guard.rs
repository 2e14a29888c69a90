//! Checks every request before it reaches a handler (URI size, method,
//! access token) and adds the security headers to every response; turns
//! errors into responses.

use super::AppState;
use crate::error::Error;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use subtle::ConstantTimeEq;

/// The cookie that carries the token in a browser, once given as `?token=`.
const TOKEN_COOKIE: &str = "threatdex_token";

/// The query-string key a browser may give the token with once.
const TOKEN_PARAM: &str = "token";

/// Content-Security-Policy of the app's pages: their own script and style
/// only, no inline script, nothing from elsewhere, no framing.
pub const PAGE_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// The checks of every request, and the headers of every response.
pub async fn guard(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    if req.uri().to_string().len() > state.limits.max_uri_bytes {
        return error_response(
            StatusCode::URI_TOO_LONG,
            &format!(
                "the URI is longer than {} bytes",
                state.limits.max_uri_bytes
            ),
            is_api(&req),
        );
    }
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        return error_response(
            StatusCode::METHOD_NOT_ALLOWED,
            "read-only: only GET and HEAD are served",
            is_api(&req),
        );
    }
    let mut set_cookie = None;
    if let Some(expected) = &state.token_digest {
        let given = token_of(&req);
        let ok = given.as_deref().is_some_and(|t| token_matches(expected, t));
        if !ok {
            let mut r = error_response(
                StatusCode::UNAUTHORIZED,
                "this server needs its access token: send `Authorization: Bearer TOKEN`, \
                 or open the page once with ?token=TOKEN",
                is_api(&req),
            );
            r.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"threatdex\""),
            );
            return secure(r);
        }
        if query_token(req.uri().query()).is_some() {
            // A browser given the token in the URL keeps it in a cookie the
            // page's script cannot read, and sends it back to this server only.
            set_cookie = given.and_then(|t| {
                HeaderValue::from_str(&format!(
                    "{TOKEN_COOKIE}={t}; HttpOnly; SameSite=Strict; Path=/"
                ))
                .ok()
            });
        }
    }
    let mut response = next.run(req).await;
    if let Some(c) = set_cookie {
        response.headers_mut().insert(header::SET_COOKIE, c);
    }
    secure(response)
}

/// Returns true if and only if `given` is the token whose digest is
/// `expected`. Both sides are hashed first, so the comparison neither
/// stops at the first differing byte nor reveals the token's length; the
/// digests are compared with `subtle`'s constant-time equality.
pub fn token_matches(expected: &[u8; 32], given: &str) -> bool {
    let given = blake3::hash(given.as_bytes());
    bool::from(expected.ct_eq(given.as_bytes()))
}

/// The token a request carries: the Authorization header (Bearer), else
/// the cookie, else the `token` query parameter.
fn token_of(req: &Request) -> Option<String> {
    let headers = req.headers();
    if let Some(v) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    {
        return Some(v.trim().to_string());
    }
    cookie_token(headers).or_else(|| query_token(req.uri().query()))
}

fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|kv| {
            let (k, v) = kv.trim().split_once('=')?;
            (k == TOKEN_COOKIE).then(|| v.to_string())
        })
}

fn query_token(query: Option<&str>) -> Option<String> {
    form_urlencoded::parse(query?.as_bytes())
        .find(|(k, _)| k == TOKEN_PARAM)
        .map(|(_, v)| v.into_owned())
}

/// Returns true if and only if the request is for the JSON API.
fn is_api(req: &Request) -> bool {
    req.uri().path().starts_with("/api/")
}

/// Adds the headers every response carries.
fn secure(mut r: Response) -> Response {
    let h = r.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(PAGE_CSP),
        );
    }
    r
}

/// The answer to an unknown path.
pub async fn not_found(req: Request) -> Response {
    error_response(StatusCode::NOT_FOUND, "no such page", is_api(&req))
}

#[derive(serde::Serialize)]
struct ErrorJson<'a> {
    error: &'a str,
}

/// An error as JSON (`{"error": "..."}`) for the API, else as a small page.
pub fn error_response(status: StatusCode, message: &str, api: bool) -> Response {
    if api {
        let body = serde_json::to_vec(&ErrorJson { error: message }).unwrap_or_default();
        return (
            status,
            [(header::CONTENT_TYPE, "application/json")],
            Body::from(body),
        )
            .into_response();
    }
    let page = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>{code} · threatdex</title><link rel=\"stylesheet\" href=\"/assets/app.css\"></head>\
         <body><main class=\"error-page\"><h1>{code}</h1><p>{msg}</p><p><a href=\"/\">Search</a></p>\
         </main></body></html>",
        code = status.as_u16(),
        msg = crate::reader::escape(message),
    );
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        page,
    )
        .into_response()
}

/// The status of a library error: the user's input is a 400, an unknown
/// document a 404, a missing index a 503, anything else a 500.
pub fn status_of(e: &Error) -> StatusCode {
    match e {
        Error::Query(_) | Error::Filter(_) => StatusCode::BAD_REQUEST,
        Error::NoDocument(_) => StatusCode::NOT_FOUND,
        Error::NoIndex(_) | Error::SchemaVersion { .. } => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// A library error as a response.
pub fn from_error(e: &Error, api: bool) -> Response {
    error_response(status_of(e), &e.to_string(), api)
}

/// The response when the work could not run (the server is shutting down
/// or the work panicked).
pub fn unavailable(api: bool) -> Response {
    error_response(
        StatusCode::SERVICE_UNAVAILABLE,
        "the server could not run this request",
        api,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_comparison() {
        let expected = *blake3::hash(b"correct horse battery").as_bytes();
        assert!(token_matches(&expected, "correct horse battery"));
        assert!(!token_matches(&expected, "correct horse batterx"));
        assert!(!token_matches(&expected, ""));
    }

    #[test]
    fn tokens_from_cookie_and_query() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; threatdex_token=s3cret; b=2"),
        );
        assert_eq!(cookie_token(&h).as_deref(), Some("s3cret"));
        assert_eq!(
            query_token(Some("q=x&token=abc%20d")).as_deref(),
            Some("abc d")
        );
        assert_eq!(query_token(Some("q=x")), None);
    }
}
