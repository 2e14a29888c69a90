//! Plain data passed between the stages: no tantivy, no I/O.

use chrono::NaiveDate;
use serde::Serialize;
use std::path::PathBuf;

/// The kind of source a report was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// An HTML page (`.html`, `.htm`).
    Html,
    /// A plain-text report (`.txt`).
    Text,
    /// A Markdown report (`.md`).
    Markdown,
}

/// One report after ingestion: clean text plus its metadata.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Article {
    /// The headline, if one was found.
    pub title: Option<String>,
    /// The publication date.
    pub date: Option<NaiveDate>,
    /// The canonical URL of the page.
    pub url: Option<String>,
    /// The article's own tags (keywords chosen by its publisher).
    pub tags: Vec<String>,
    /// The main content as plain text: exactly what goes into the body field.
    pub text: String,
}

/// Entities found in an article, already resolved to canonical values.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Entities {
    /// Canonical actor names, sorted.
    pub actors: Vec<String>,
    /// ISO 3166-1 alpha-2 codes of the countries named, sorted.
    pub countries: Vec<String>,
    /// ISO codes of the attributed origin countries of the actors, sorted.
    pub origins: Vec<String>,
    /// Sector ids of the taxonomy, sorted.
    pub sectors: Vec<String>,
}

/// A file that was not indexed, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// The file's path.
    pub path: PathBuf,
    /// Why it was skipped, in words.
    pub reason: String,
}

/// What one `index` run did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct IndexReport {
    /// Documents added or replaced.
    pub indexed: usize,
    /// Files seen whose documents were already up to date.
    pub unchanged: usize,
    /// Documents deleted because their file is gone.
    pub removed: usize,
    /// Files that could not be indexed.
    pub skipped: Vec<Skipped>,
    /// Wall-clock seconds of the run.
    pub seconds: f64,
    /// Number of documents in the index after the run.
    pub total: u64,
    /// Whether the run stopped early because it was interrupted.
    pub interrupted: bool,
}

/// A highlighted excerpt of a document's body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snippet {
    /// The excerpt text.
    pub text: String,
    /// Byte ranges of `text` to highlight.
    pub highlights: Vec<std::ops::Range<usize>>,
}

/// One search hit.
#[derive(Debug, Clone)]
pub struct Hit {
    /// Path of the source file.
    pub path: String,
    /// Title of the report.
    pub title: String,
    /// Canonical URL, if known.
    pub url: Option<String>,
    /// Publication date, if known.
    pub date: Option<NaiveDate>,
    /// BM25 score; `None` when results are ordered by date.
    pub score: Option<f32>,
    /// Facet values of the document.
    pub entities: Entities,
    /// The article's own tags.
    pub tags: Vec<String>,
    /// The best excerpt for the query.
    pub snippet: Snippet,
}

/// The answer to a search.
#[derive(Debug, Clone)]
pub struct SearchResults {
    /// The query text, if one was given.
    pub query: Option<String>,
    /// Number of matching documents.
    pub total: usize,
    /// The top hits, best first.
    pub hits: Vec<Hit>,
}

/// A facet value and the number of documents that carry it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FacetCount {
    /// The value (canonical actor, ISO code, sector id, year or month).
    pub value: String,
    /// Number of matching documents.
    pub count: u64,
}

/// A two-way table of document counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CrossTab {
    /// Dimension of the rows.
    pub row_field: String,
    /// Dimension of the columns.
    pub column_field: String,
    /// Row values, most frequent first.
    pub rows: Vec<String>,
    /// Column values, most frequent first.
    pub columns: Vec<String>,
    /// `counts[r][c]`: documents carrying both `rows[r]` and `columns[c]`.
    pub counts: Vec<Vec<u64>>,
}

/// The answer to a facet summary.
#[derive(Debug, Clone)]
pub struct FacetResults {
    /// Number of matching documents.
    pub total: u64,
    /// Per field, the values and their counts, in the order requested.
    pub facets: Vec<(String, Vec<FacetCount>)>,
    /// Cross-tabulations, if any were requested.
    pub cross: Vec<CrossTab>,
}
