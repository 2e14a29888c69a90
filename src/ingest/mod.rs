//! Ingestion: finds report files, decodes their bytes and turns each into an
//! [`Article`] (clean main-content text plus metadata).

pub mod date;
pub mod decode;
pub mod discover;
pub mod dom;
pub mod feed;
pub mod html;
pub mod jsonl;
pub mod markdown;
pub mod pdf;
pub mod text;

use crate::model::{Article, Document, SourceKind};
use std::path::Path;

/// Files larger than this are skipped by default: bigger than any report, and
/// a bound on the memory one worker may use.
pub const DEFAULT_MAX_BYTES: u64 = 64 * 1024 * 1024;

/// Why a file produced no article.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
pub enum SkipReason {
    /// The file has no bytes, or no text after extraction.
    #[error("empty file")]
    Empty,
    /// The file looks binary (NUL bytes or control characters).
    #[error("binary file (not text)")]
    Binary,
    /// The file exceeds the size limit.
    #[error("file too large ({size} bytes, limit {limit})")]
    TooLarge {
        /// The file's size.
        size: u64,
        /// The limit in force.
        limit: u64,
    },
    /// The page has markup but no readable text.
    #[error("no readable text")]
    NoText,
    /// The file could not be read.
    #[error("cannot read: {0}")]
    Unreadable(String),
    /// A PDF that is encrypted with a password other than the empty one.
    #[error("encrypted (no empty user password)")]
    Encrypted,
    /// A PDF whose pages are images only (scanned).
    #[error("no text layer (scanned pages; OCR is not done)")]
    NoTextLayer,
    /// The file is damaged or not what its extension says.
    #[error("malformed: {0}")]
    Malformed(String),
    /// An `.xml` or `.json` file that is not a feed.
    #[error("not a feed ({0})")]
    NotAFeed(String),
    /// The extraction did not finish in time, or ran out of its memory
    /// limit, and was stopped.
    #[error("extraction stopped: {0}")]
    Stopped(String),
    /// A feed or JSON Lines file in which no entry or line gave a document.
    #[error("no documents: {0}")]
    NoDocuments(String),
}

/// What ingestion made of one file: its documents, and the parts of it that
/// were skipped (a bad JSON line, an empty feed entry) with their reasons.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FileDocuments {
    /// The documents, in file order.
    pub documents: Vec<Document>,
    /// Why parts of the file gave no document (`line 7: invalid JSON…`).
    pub partial_skips: Vec<String>,
}

/// Settings of ingestion that a user can change.
#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    /// How the fields of a JSON Lines record map to an article's.
    pub jsonl_map: jsonl::FieldMap,
}

/// Returns the kind of source for a path from its extension, or `None` for
/// files that are not reports (images, other JSON, …).
///
/// `.rss` and `.atom` are feeds; `.xml` is a feed candidate, confirmed by its
/// root element when read (else skipped "not a feed"); `.json` is a JSON Feed
/// candidate only when its name says feed (`feed.json`, `news-feed.json`, the
/// JSON Feed convention), so that other JSON data beside the reports is not
/// read at all.
pub fn source_kind(path: &Path) -> Option<SourceKind> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" | "xhtml" => Some(SourceKind::Html),
        "txt" | "text" => Some(SourceKind::Text),
        "md" | "markdown" => Some(SourceKind::Markdown),
        "pdf" => Some(SourceKind::Pdf),
        "rss" | "atom" | "xml" => Some(SourceKind::Feed),
        "jsonl" | "ndjson" => Some(SourceKind::JsonLines),
        "json" => path
            .file_stem()
            .and_then(|s| s.to_str())
            .filter(|s| s.to_ascii_lowercase().contains("feed"))
            .map(|_| SourceKind::Feed),
        _ => None,
    }
}

/// Turns a file's bytes into its documents, as `index` stores them: one for
/// an HTML, text, Markdown or PDF file (dated from its file name when the
/// content gives no date), one per entry of a feed, one per line of a JSON
/// Lines file.
///
/// PDFs are extracted in this process, with panics contained; the indexer
/// can run them in a child process instead ([`pdf::isolate`]).
pub fn documents_from_file(
    path: &Path,
    bytes: &[u8],
    kind: SourceKind,
    opts: &IngestOptions,
) -> Result<FileDocuments, SkipReason> {
    match kind {
        SourceKind::Feed => feed::documents(bytes, path),
        SourceKind::JsonLines => jsonl::documents(bytes, &opts.jsonl_map),
        SourceKind::Pdf => {
            let extracted = pdf::extract_contained(bytes)?;
            Ok(FileDocuments {
                documents: vec![pdf_document(path, extracted)?],
                partial_skips: Vec::new(),
            })
        }
        SourceKind::Html | SourceKind::Text | SourceKind::Markdown => Ok(FileDocuments {
            documents: vec![Document {
                format: kind,
                entry: None,
                pages: None,
                article: article_from_file(path, bytes, kind)?,
            }],
            partial_skips: Vec::new(),
        }),
    }
}

/// The document of an extracted PDF, dated from the file name when neither
/// the metadata nor the first page gives a date.
pub fn pdf_document(path: &Path, extracted: pdf::PdfText) -> Result<Document, SkipReason> {
    let pages = extracted.pages;
    let mut article = extracted.into_article()?;
    if article.date.is_none() {
        article.date = date_from_path(path);
    }
    Ok(Document {
        format: SourceKind::Pdf,
        entry: None,
        pages: Some(pages),
        article,
    })
}

/// The date in a file name, if any.
fn date_from_path(path: &Path) -> Option<chrono::NaiveDate> {
    path.file_name()
        .and_then(|n| n.to_str())
        .and_then(date::date_from_file_name)
}

/// Turns a file's bytes into an article, as `index` stores it: like
/// [`article_from_bytes`], and when the content gives no date, the date in
/// the file name (`2024-03-05-report.md`, `20221028001-advisory.md`).
pub fn article_from_file(
    path: &Path,
    bytes: &[u8],
    kind: SourceKind,
) -> Result<Article, SkipReason> {
    let mut article = match kind {
        // One article per file: a PDF's text, a feed's first entry, a JSON
        // Lines file's first line (`extract` shows it; `index` reads all).
        SourceKind::Pdf | SourceKind::Feed | SourceKind::JsonLines => {
            let mut found = documents_from_file(path, bytes, kind, &IngestOptions::default())?;
            if found.documents.is_empty() {
                return Err(SkipReason::NoText);
            }
            found.documents.swap_remove(0).article
        }
        _ => article_from_bytes(bytes, kind)?,
    };
    if article.date.is_none() {
        article.date = date_from_path(path);
    }
    Ok(article)
}

/// Turns the raw bytes of a file into an article.
///
/// Pure apart from its inputs: decoding, main-content selection and metadata
/// extraction, no file system.
pub fn article_from_bytes(bytes: &[u8], kind: SourceKind) -> Result<Article, SkipReason> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(SkipReason::Empty);
    }
    let decoded = decode::decode(bytes, kind == SourceKind::Html)?;
    let article = match kind {
        SourceKind::Html => html::extract(&decoded),
        SourceKind::Text | SourceKind::Markdown => text::extract(&decoded, kind),
        // Multi-document and binary formats have their own readers
        // (`documents_from_file`); as one text they are read as plain text.
        SourceKind::Pdf | SourceKind::Feed | SourceKind::JsonLines => {
            text::extract(&decoded, SourceKind::Text)
        }
    };
    if article.text.trim().is_empty() {
        return Err(SkipReason::NoText);
    }
    Ok(article)
}
