//! threatdex: a local, fast, faceted search engine for threat-intelligence reports.
//!
//! The library is laid out as the data flows: `ingest` turns files into
//! [`model::Article`]s, `kb` and `extract` find actors, countries and sectors, `ioc` finds CVE
//! and technique ids and indicators of compromise,
//! `index` writes them into tantivy, and `query`, `search`, `facets` and
//! `render` answer questions about the index; `reader` shows one report's
//! main content and `serve` answers over HTTP. The `threatdex` binary is a thin
//! command-line shell over these modules.
#![deny(missing_docs)]

pub mod actor;
pub mod error;
pub mod extract;
pub mod facets;
pub mod index;
pub mod indicator_counts;
pub mod ingest;
pub mod ioc;
pub mod kb;
pub mod model;
pub mod query;
pub mod reader;
pub mod remote;
pub mod render;
pub mod report;
pub mod search;
pub mod serve;
pub mod snippet;

pub use error::{Error, Result};
