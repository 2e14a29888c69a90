//! Marks the query's words in a text or a sanitised HTML fragment.
//!
//! A word matches when the index's own analyzer for the body field turns it
//! into one of the query's body terms, so "exploited" is marked for the
//! query `exploit` exactly when search would have matched it.

use std::collections::HashSet;
use std::ops::Range;
use tantivy::query::Query;
use tantivy::schema::Field;
use tantivy::tokenizer::{TextAnalyzer, TokenStream};
use tantivy::Index;

/// The query's body terms and the analyzer that makes them.
pub struct Marker {
    analyzer: TextAnalyzer,
    terms: HashSet<String>,
}

impl Marker {
    /// A marker for the terms `query` looks for in `body`; `None` when it
    /// looks for none there.
    pub fn new(index: &Index, body: Field, query: &dyn Query) -> Option<Marker> {
        let mut terms = HashSet::new();
        query.query_terms(&mut |t, _| {
            if t.field() == body {
                if let Some(s) = t.value().as_str() {
                    terms.insert(s.to_string());
                }
            }
        });
        if terms.is_empty() {
            return None;
        }
        let analyzer = index.tokenizer_for_field(body).ok()?;
        Some(Marker { analyzer, terms })
    }

    /// Byte ranges of `text` whose words are query terms, in order.
    pub fn ranges(&mut self, text: &str) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let terms = &self.terms;
        let mut stream = self.analyzer.token_stream(text);
        stream.process(&mut |t| {
            if terms.contains(&t.text) && t.offset_from < t.offset_to && t.offset_to <= text.len() {
                out.push(t.offset_from..t.offset_to);
            }
        });
        out.sort_by_key(|r| r.start);
        out.dedup_by(|b, a| b.start < a.end);
        out
    }

    /// `text` with each matching word put between `open` and `close`.
    pub fn wrap(&mut self, text: &str, open: &str, close: &str) -> String {
        let mut out = String::with_capacity(text.len() + 16);
        let mut pos = 0;
        for r in self.ranges(text) {
            let (Some(before), Some(word)) = (text.get(pos..r.start), text.get(r.clone())) else {
                continue;
            };
            out.push_str(before);
            out.push_str(open);
            out.push_str(word);
            out.push_str(close);
            pos = r.end;
        }
        out.push_str(text.get(pos..).unwrap_or(""));
        out
    }

    /// A well-formed HTML fragment (as the sanitiser writes it) with the
    /// matching words of its text wrapped in `<mark>`; tags, attribute
    /// values and character references are left alone.
    pub fn mark_html(&mut self, html: &str) -> String {
        let mut out = String::with_capacity(html.len() + html.len() / 16);
        let mut rest = html;
        while !rest.is_empty() {
            if rest.starts_with('<') {
                // The sanitiser escapes '>' inside attribute values, so the
                // tag ends at the first '>'.
                let end = rest.find('>').map_or(rest.len(), |i| i + 1);
                out.push_str(&rest[..end]);
                rest = &rest[end..];
                continue;
            }
            let end = rest.find('<').unwrap_or(rest.len());
            let text = &rest[..end];
            // Character references stay whole: mark only the runs between.
            let mut t = text;
            while !t.is_empty() {
                match t.find('&') {
                    Some(amp) => {
                        out.push_str(&self.wrap(&t[..amp], "<mark>", "</mark>"));
                        let semi = t[amp..].find(';').map_or(t.len(), |i| amp + i + 1);
                        out.push_str(&t[amp..semi]);
                        t = &t[semi..];
                    }
                    None => {
                        out.push_str(&self.wrap(t, "<mark>", "</mark>"));
                        t = "";
                    }
                }
            }
            rest = &rest[end..];
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::schema::{build_schema, register_analyzers};
    use tantivy::query::QueryParser;

    fn marker(q: &str) -> Marker {
        let (schema, fields) = build_schema();
        let index = Index::create_in_ram(schema);
        register_analyzers(&index);
        let query = QueryParser::for_index(&index, vec![fields.title, fields.body])
            .parse_query(q)
            .unwrap();
        Marker::new(&index, fields.body, &*query).expect("body terms")
    }

    #[test]
    fn marks_words_the_search_would_match() {
        let mut m = marker("exploit loader");
        assert_eq!(
            m.wrap("They exploited it; the Loader ran.", "[", "]"),
            "They [exploited] it; the [Loader] ran."
        );
    }

    #[test]
    fn html_tags_and_references_are_left_alone() {
        let mut m = marker("loader amp");
        assert_eq!(
            m.mark_html(r#"<a href="https://x.example/loader">the loader &amp; co</a>"#),
            r#"<a href="https://x.example/loader">the <mark>loader</mark> &amp; co</a>"#
        );
    }
}
