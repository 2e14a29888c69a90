//! The HTTP client of the Quickwit REST API: JSON in and out, retries with
//! exponential backoff on 429, 5xx and failed connections, timeouts, and
//! errors that say which request failed and how.

use crate::error::{Error, Result};
use serde_json::Value;
use std::io::Read;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// Largest answer read, in bytes (a page of stored documents is far less).
const MAX_ANSWER_BYTES: u64 = 512 * 1024 * 1024;

/// Longest part of an error answer quoted in a message.
const MAX_MESSAGE_CHARS: usize = 300;

/// Environment variable naming a folder where every exchange is written as
/// one JSON file (method, path, request, status, answer): how the test
/// fixtures of `tests/quickwit.rs` were recorded from a real cluster.
pub const RECORD_ENV: &str = "THREATDEX_QUICKWIT_RECORD";

/// A Quickwit node's REST API.
pub struct Client {
    base: String,
    agent: ureq::Agent,
    attempts: u32,
    backoff: Duration,
    record: Option<PathBuf>,
    seq: AtomicUsize,
}

impl Client {
    /// A client of the node at `base` (`http://127.0.0.1:7280`): 30 s per
    /// request, 5 attempts, backoff from 250 ms.
    pub fn new(base: &str) -> Client {
        Client {
            base: base.trim_end_matches('/').to_string(),
            agent: agent(Duration::from_secs(30)),
            attempts: 5,
            backoff: Duration::from_millis(250),
            record: std::env::var_os(RECORD_ENV).map(PathBuf::from),
            seq: AtomicUsize::new(0),
        }
    }

    /// Longest time one request may take (connecting included).
    pub fn timeout(mut self, t: Duration) -> Client {
        self.agent = agent(t);
        self
    }

    /// Attempts per request before giving up (at least 1).
    pub fn attempts(mut self, n: u32) -> Client {
        self.attempts = n.max(1);
        self
    }

    /// Wait before the first retry; doubled at each further one.
    pub fn backoff(mut self, d: Duration) -> Client {
        self.backoff = d;
        self
    }

    /// The node's base URL.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// `GET path`.
    pub fn get(&self, path: &str) -> Result<Value> {
        self.send("GET", path, None)
    }

    /// `POST path` with a JSON body.
    pub fn post_json(&self, path: &str, body: &Value) -> Result<Value> {
        let bytes = serde_json::to_vec(body)?;
        self.send("POST", path, Some(("application/json", &bytes)))
    }

    /// `POST path` with an NDJSON body.
    pub fn post_ndjson(&self, path: &str, body: &[u8]) -> Result<Value> {
        self.send("POST", path, Some(("application/x-ndjson", body)))
    }

    /// `DELETE path`.
    pub fn delete(&self, path: &str) -> Result<Value> {
        self.send("DELETE", path, None)
    }

    fn send(&self, method: &str, path: &str, body: Option<(&str, &[u8])>) -> Result<Value> {
        let url = format!("{}{path}", self.base);
        let mut wait = self.backoff;
        let mut last_transport = String::new();
        for attempt in 1..=self.attempts {
            let req = self.agent.request(method, &url);
            let res = match body {
                Some((ct, bytes)) => req.set("Content-Type", ct).send_bytes(bytes),
                None => req.call(),
            };
            let retry = match res {
                Ok(resp) => {
                    let status = resp.status();
                    let text = read_body(resp)?;
                    self.record_exchange(method, path, body, status, &text);
                    return parse_answer(&text);
                }
                Err(ureq::Error::Status(status, resp)) => {
                    let text = read_body(resp).unwrap_or_default();
                    self.record_exchange(method, path, body, status, &text);
                    if (status == 429 || status >= 500) && attempt < self.attempts {
                        true
                    } else {
                        return Err(Error::Remote {
                            method: method.to_string(),
                            url,
                            status,
                            message: error_message(&text),
                        });
                    }
                }
                Err(ureq::Error::Transport(t)) => {
                    last_transport = t.to_string();
                    true
                }
            };
            if retry && attempt < self.attempts {
                std::thread::sleep(wait);
                wait = wait.saturating_mul(2);
            }
        }
        Err(Error::Unreachable {
            url,
            reason: format!("{last_transport} ({} attempts)", self.attempts),
        })
    }

    fn record_exchange(
        &self,
        method: &str,
        path: &str,
        body: Option<(&str, &[u8])>,
        status: u16,
        answer: &str,
    ) {
        let Some(dir) = &self.record else { return };
        let request = body.map_or(Value::Null, |(_, b)| {
            let text = String::from_utf8_lossy(b);
            serde_json::from_str(&text).unwrap_or_else(|_| Value::String(text.into_owned()))
        });
        let entry = serde_json::json!({
            "method": method,
            "path": path,
            "request": request,
            "status": status,
            "answer": serde_json::from_str::<Value>(answer)
                .unwrap_or_else(|_| Value::String(answer.to_string())),
        });
        let n = self.seq.fetch_add(1, Ordering::Relaxed);
        let file = dir.join(format!("{}-{n:04}.json", std::process::id()));
        if let Ok(text) = serde_json::to_string_pretty(&entry) {
            let _ = std::fs::write(file, text);
        }
    }
}

fn agent(timeout: Duration) -> ureq::Agent {
    ureq::AgentBuilder::new()
        .timeout_connect(timeout.min(Duration::from_secs(5)))
        .timeout(timeout)
        .build()
}

fn read_body(resp: ureq::Response) -> Result<String> {
    let mut text = String::new();
    resp.into_reader()
        .take(MAX_ANSWER_BYTES)
        .read_to_string(&mut text)
        .map_err(|e| Error::io("Quickwit answer", e))?;
    Ok(text)
}

fn parse_answer(text: &str) -> Result<Value> {
    if text.trim().is_empty() {
        return Ok(Value::Null);
    }
    Ok(serde_json::from_str(text)?)
}

/// The message of an error answer: Quickwit's `message` field, else the
/// start of the body.
fn error_message(text: &str) -> String {
    let msg = serde_json::from_str::<Value>(text)
        .ok()
        .and_then(|v| v.get("message").and_then(Value::as_str).map(str::to_string))
        .unwrap_or_else(|| text.trim().to_string());
    if msg.chars().count() > MAX_MESSAGE_CHARS {
        let cut: String = msg.chars().take(MAX_MESSAGE_CHARS).collect();
        format!("{cut}…")
    } else {
        msg
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_messages_are_short_and_readable() {
        assert_eq!(
            error_message(r#"{"message":"index `x` not found"}"#),
            "index `x` not found"
        );
        assert_eq!(error_message("  plain text\n"), "plain text");
        let long = "x".repeat(1000);
        assert_eq!(error_message(&long).chars().count(), MAX_MESSAGE_CHARS + 1);
    }
}
