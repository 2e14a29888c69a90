//! HTML pages (placeholder until the full module lands).

use crate::model::Article;

/// Extracts the article of an HTML page.
pub fn extract(html: &str) -> Article {
    let text = html2text::config::plain_no_decorate()
        .string_from_read(html.as_bytes(), 10_000)
        .unwrap_or_default();
    Article {
        text,
        ..Article::default()
    }
}
