//! The remote engine: a Quickwit cluster as a second backend behind the
//! same query and facet types. `mapping` generates the index config from
//! the schema, `document` encodes documents, `client` speaks HTTP,
//! `translate` builds queries client-side, `ingest` feeds the cluster from
//! the local extraction pipeline, `search` answers hits, facets and
//! timelines, `snippets` cuts snippets from stored bodies, and
//! `materialize` copies a matching set into a temporary local index for the
//! commands that read whole documents (report, iocs, actor, export).

pub mod client;
pub mod document;
pub mod ingest;
pub mod mapping;
pub mod materialize;
pub mod search;
pub mod snippets;
pub mod translate;

use crate::error::{Error, Result};

/// The scheme of a remote address.
pub const SCHEME: &str = "quickwit://";

/// Environment variable holding the default `--remote` address.
pub const REMOTE_ENV: &str = "THREATDEX_REMOTE";

/// A Quickwit index address: `quickwit://HOST:PORT/INDEX`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// Host name or IP address.
    pub host: String,
    /// REST port.
    pub port: u16,
    /// Index id.
    pub index: String,
}

impl Target {
    /// Parses `quickwit://HOST:PORT/INDEX`.
    pub fn parse(s: &str) -> Result<Target> {
        let bad = |why: &str| {
            Error::RemoteAddress(format!(
                "{s:?}: {why} (expected quickwit://HOST:PORT/INDEX, e.g. quickwit://127.0.0.1:7280/reports)"
            ))
        };
        let rest = s
            .strip_prefix(SCHEME)
            .ok_or_else(|| bad("not a quickwit:// address"))?;
        let (authority, index) = rest.split_once('/').ok_or_else(|| bad("no index id"))?;
        let (host, port) = authority.rsplit_once(':').ok_or_else(|| bad("no port"))?;
        let port: u16 = port.parse().map_err(|_| bad("the port is not a number"))?;
        if host.is_empty() || host.contains(['/', '?', '#', '@', ' ']) {
            return Err(bad("bad host"));
        }
        check_index_id(index).map_err(|why| bad(&why))?;
        Ok(Target {
            host: host.to_string(),
            port,
            index: index.to_string(),
        })
    }

    /// Builds an address from a node URL (`http://HOST:PORT`) and an index.
    pub fn from_url(url: &str, index: &str) -> Result<Target> {
        let rest = url
            .strip_prefix("http://")
            .ok_or_else(|| {
                Error::RemoteAddress(format!(
                    "{url:?}: expected http://HOST:PORT (TLS is not supported)"
                ))
            })?
            .trim_end_matches('/');
        Target::parse(&format!("{SCHEME}{rest}/{index}"))
    }

    /// The node's REST base URL.
    pub fn base_url(&self) -> String {
        if self.host.contains(':') && !self.host.starts_with('[') {
            format!("http://[{}]:{}", self.host, self.port)
        } else {
            format!("http://{}:{}", self.host, self.port)
        }
    }
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{SCHEME}{}:{}/{}", self.host, self.port, self.index)
    }
}

/// Checks an index id as Quickwit does: a letter, then 2 to 254 letters,
/// digits, `-`, `_` or `.`.
pub fn check_index_id(id: &str) -> std::result::Result<(), String> {
    let mut chars = id.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if first_ok && rest_ok && (3..=255).contains(&id.len()) {
        Ok(())
    } else {
        Err(format!(
            "bad index id {id:?}: a letter, then 2 to 254 letters, digits, '-', '_' or '.'"
        ))
    }
}

/// Creates the index `target.index` from the generated config.
pub fn create_index(client: &client::Client, index: &str) -> Result<serde_json::Value> {
    client.post_json("/api/v1/indexes", &mapping::index_config(index)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_parse_or_say_why_not() {
        let t = Target::parse("quickwit://127.0.0.1:7280/reports").unwrap();
        assert_eq!(t.base_url(), "http://127.0.0.1:7280");
        assert_eq!(t.index, "reports");
        assert_eq!(t.to_string(), "quickwit://127.0.0.1:7280/reports");
        assert_eq!(
            Target::parse("quickwit://::1:7280/abc").unwrap().base_url(),
            "http://[::1]:7280"
        );
        assert_eq!(
            Target::from_url("http://localhost:7280/", "abc")
                .unwrap()
                .port,
            7280
        );
        for bad in [
            "http://127.0.0.1:7280/reports",
            "quickwit://127.0.0.1/reports",
            "quickwit://127.0.0.1:99999/reports",
            "quickwit://127.0.0.1:7280",
            "quickwit://127.0.0.1:7280/1x",
            "quickwit://127.0.0.1:7280/a/b",
            "quickwit://:7280/abc",
            "",
        ] {
            assert!(
                matches!(Target::parse(bad), Err(Error::RemoteAddress(_))),
                "{bad}"
            );
        }
    }
}
