//! The reader view: a report's main content as an HTML fragment (the page's
//! own markup of the selected article, a Markdown report rendered, a text
//! report in paragraphs), cleaned for a browser (`sanitize`), with the query
//! terms marked (`mark`), or laid out for a terminal (`terminal`).

pub mod locate;
pub mod mark;
pub mod sanitize;
pub mod terminal;

use crate::ingest::{decode, html, text, SkipReason};
use crate::model::SourceKind;

/// A report's main content as an HTML fragment, not yet sanitised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReaderHtml {
    /// The fragment.
    pub html: String,
    /// The report's title, if one was found.
    pub title: Option<String>,
    /// The report's publication date, if one was found.
    pub date: Option<chrono::NaiveDate>,
    /// The canonical URL the page gives, to resolve its relative links.
    pub url: Option<String>,
    /// How the fragment was made.
    pub origin: Origin,
}

/// How a reader fragment was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The page's own markup of the selected article.
    PageMarkup,
    /// The extracted text in paragraphs (the page's markup could not be
    /// matched to it).
    ExtractedText,
    /// A Markdown report, rendered.
    Markdown,
    /// A plain-text report in paragraphs.
    PlainText,
}

/// Makes the reader fragment of a report file's bytes.
pub fn reader_html(bytes: &[u8], kind: SourceKind) -> Result<ReaderHtml, SkipReason> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(SkipReason::Empty);
    }
    let decoded = decode::decode(bytes, kind == SourceKind::Html)?;
    Ok(match kind {
        SourceKind::Html => {
            let doc = html::extract_html(&decoded);
            let (html, origin) = match locate::main_content_html(&decoded, &doc) {
                Some(fragment) => (fragment, Origin::PageMarkup),
                None => (text_html(&doc.text, false), Origin::ExtractedText),
            };
            ReaderHtml {
                html,
                title: doc.title,
                date: doc.date,
                url: doc.url,
                origin,
            }
        }
        SourceKind::Markdown => {
            let parser = pulldown_cmark::Parser::new_ext(
                &decoded,
                pulldown_cmark::Options::ENABLE_TABLES
                    | pulldown_cmark::Options::ENABLE_STRIKETHROUGH,
            );
            let mut out = String::with_capacity(decoded.len() * 2);
            pulldown_cmark::html::push_html(&mut out, parser);
            let meta = text::extract(&decoded, kind);
            ReaderHtml {
                html: out,
                title: meta.title,
                date: meta.date,
                url: meta.url,
                origin: Origin::Markdown,
            }
        }
        // A PDF page, a feed entry or a JSON line has no page of its own to
        // show; its indexed text is what `/api/doc` and `show` give.
        SourceKind::Pdf | SourceKind::Feed | SourceKind::JsonLines => {
            return Err(SkipReason::Unreadable(
                "the reader view shows HTML, text and Markdown reports".into(),
            ))
        }
        SourceKind::Text => {
            let meta = text::extract(&decoded, kind);
            ReaderHtml {
                html: text_html(&decoded, true),
                title: meta.title,
                date: meta.date,
                url: meta.url,
                origin: Origin::PlainText,
            }
        }
    })
}

/// Lays text out as HTML paragraphs: blocks are separated by blank lines;
/// with `wrapped`, the lines of a block are one paragraph (a text file wraps
/// its lines by hand), else each line is a paragraph (the extractor writes
/// one paragraph per line). Lines that start with a list marker become list
/// items.
pub fn text_html(text: &str, wrapped: bool) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut para: Vec<&str> = Vec::new();
    let mut items: Vec<&str> = Vec::new();
    let flush = |para: &mut Vec<&str>, items: &mut Vec<&str>, out: &mut String| {
        if !para.is_empty() {
            out.push_str("<p>");
            out.push_str(&escape(&para.join(" ")));
            out.push_str("</p>\n");
            para.clear();
        }
        if !items.is_empty() {
            out.push_str("<ul>");
            for i in items.iter() {
                out.push_str("<li>");
                out.push_str(&escape(i));
                out.push_str("</li>");
            }
            out.push_str("</ul>\n");
            items.clear();
        }
    };
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            flush(&mut para, &mut items, &mut out);
            continue;
        }
        if let Some(item) = list_item(line) {
            if !para.is_empty() {
                let mut none = Vec::new();
                flush(&mut para, &mut none, &mut out);
            }
            items.push(item);
            continue;
        }
        if !items.is_empty() {
            let mut none = Vec::new();
            flush(&mut none, &mut items, &mut out);
        }
        para.push(line);
        if !wrapped {
            flush(&mut para, &mut items, &mut out);
        }
    }
    flush(&mut para, &mut items, &mut out);
    out
}

/// The text of a list item line (`- x`, `* x`, `• x`), if it is one.
fn list_item(line: &str) -> Option<&str> {
    ["- ", "* ", "• ", "– "]
        .iter()
        .find_map(|m| line.strip_prefix(m))
        .map(str::trim_start)
}

/// Escapes text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_becomes_paragraphs_and_lists() {
        let t = "First line\nof a paragraph.\n\n- one\n- two <b>\n\nLast.";
        assert_eq!(
            text_html(t, true),
            "<p>First line of a paragraph.</p>\n<ul><li>one</li><li>two &lt;b&gt;</li></ul>\n<p>Last.</p>\n"
        );
        assert_eq!(text_html("a\nb", false), "<p>a</p>\n<p>b</p>\n");
    }

    #[test]
    fn markdown_reports_render_as_markdown() {
        let r = reader_html(
            b"# Heading\n\nSome *text* with a [link](https://example.com).\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
            SourceKind::Markdown,
        )
        .unwrap();
        assert_eq!(r.origin, Origin::Markdown);
        assert!(r.html.contains("<h1>Heading</h1>"), "{}", r.html);
        assert!(r.html.contains("<em>text</em>"), "{}", r.html);
        assert!(r.html.contains("<table>"), "{}", r.html);
    }

    #[test]
    fn empty_bytes_are_skipped() {
        assert_eq!(
            reader_html(b"  \n", SourceKind::Text),
            Err(SkipReason::Empty)
        );
    }
}
