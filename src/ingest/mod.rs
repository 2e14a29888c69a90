//! Ingestion: finds report files, decodes their bytes and turns each into an
//! [`Article`] (clean main-content text plus metadata).

pub mod date;
pub mod decode;
pub mod discover;
pub mod dom;
pub mod html;
pub mod markdown;
pub mod text;

use crate::model::{Article, SourceKind};
use std::path::Path;

/// Files larger than this are skipped by default: bigger than any report, and
/// a bound on the memory one worker may use.
pub const DEFAULT_MAX_BYTES: u64 = 64 * 1024 * 1024;

/// Why a file produced no article.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
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
}

/// Returns the kind of source for a path from its extension, or `None` for
/// files that are not reports (images, JSON, …).
pub fn source_kind(path: &Path) -> Option<SourceKind> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" | "xhtml" => Some(SourceKind::Html),
        "txt" | "text" => Some(SourceKind::Text),
        "md" | "markdown" => Some(SourceKind::Markdown),
        _ => None,
    }
}

/// Turns a file's bytes into an article, as `index` stores it: like
/// [`article_from_bytes`], and when the content gives no date, the date in
/// the file name (`2024-03-05-report.md`, `20221028001-advisory.md`).
pub fn article_from_file(
    path: &Path,
    bytes: &[u8],
    kind: SourceKind,
) -> Result<Article, SkipReason> {
    let mut article = article_from_bytes(bytes, kind)?;
    if article.date.is_none() {
        article.date = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(date::date_from_file_name);
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
    };
    if article.text.trim().is_empty() {
        return Err(SkipReason::NoText);
    }
    Ok(article)
}
