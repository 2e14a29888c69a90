//! Finds, in an HTML page, the subtree holding the main content the
//! extractor selected, and writes that subtree back out as HTML.
//!
//! The extractor (`ingest::html`) writes the selected content as text. Its
//! first and last paragraphs are looked up in the page's own text (letters
//! and digits only, lower case, so markup and white space do not matter),
//! and the nearest element enclosing both is the article as the page marks
//! it up: headings, lists, tables and links included. Nothing is sanitised
//! here; callers clean the HTML for where it goes (`reader::sanitize`).

use crate::ingest::dom::{self, Dom, NodeData, NodeId};
use crate::ingest::html::HtmlDoc;

/// Pages larger than this are not re-parsed for their markup: the reader
/// shows the extracted text instead.
pub const MAX_PAGE_BYTES: usize = 8 * 1024 * 1024;

/// Letters of an anchor paragraph looked up in the page.
const ANCHOR_CHARS: usize = 60;

/// Shortest paragraph (in letters and digits) used as an anchor: shorter
/// lines (a date, a byline) may occur anywhere on the page.
const MIN_ANCHOR_CHARS: usize = 24;

/// Paragraphs tried from each end before giving up.
const ANCHOR_TRIES: usize = 4;

/// Elements whose content is never part of an article's text.
fn is_skipped(name: &str) -> bool {
    matches!(
        name,
        "script" | "style" | "noscript" | "template" | "head" | "title" | "svg" | "iframe"
    )
}

/// Elements without an end tag.
fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "source"
            | "track"
            | "wbr"
    )
}

/// The HTML of the element that encloses the extracted text `doc.text` in
/// `page`, or `None` when the page is too large or the text cannot be found
/// in it (the caller then shows the text itself).
pub fn main_content_html(page: &str, doc: &HtmlDoc) -> Option<String> {
    if page.len() > MAX_PAGE_BYTES || doc.text.trim().is_empty() {
        return None;
    }
    let dom = dom::parse(page);
    let stream = TextStream::of(&dom);
    let anchors: Vec<String> = doc
        .text
        .lines()
        .map(normalise)
        .filter(|l| l.len() >= MIN_ANCHOR_CHARS)
        .collect();
    let start = anchors.iter().take(ANCHOR_TRIES).find_map(|a| {
        let head = prefix(a, ANCHOR_CHARS);
        stream.text.find(head)
    })?;
    let end = anchors.iter().rev().take(ANCHOR_TRIES).find_map(|a| {
        let tail = suffix(a, ANCHOR_CHARS);
        stream
            .text
            .rfind(tail)
            .map(|i| i + tail.len() - 1)
            .filter(|&e| e >= start)
    })?;
    let first = stream.node_at(start)?;
    let last = stream.node_at(end)?;
    let mut root = common_ancestor(&dom, first, last);
    // A text node alone is no container: take its element.
    if matches!(dom.node(root).data, NodeData::Text(_)) {
        root = dom.node(root).parent;
    }
    if root == dom::NONE {
        return None;
    }
    let mut out = String::with_capacity(doc.text.len() * 2);
    write_subtree(&dom, root, &mut out);
    Some(out)
}

/// A page's visible text as letters and digits, with the text node each
/// stretch came from.
struct TextStream {
    /// Lower-case letters and digits of every text node, in document order.
    text: String,
    /// (byte offset in `text` where a node's letters start, the node).
    starts: Vec<(usize, NodeId)>,
}

impl TextStream {
    fn of(dom: &Dom) -> TextStream {
        let mut text = String::new();
        let mut starts = Vec::new();
        // Iterative pre-order walk: pages may nest deeper than any stack.
        let mut stack = vec![dom::DOCUMENT];
        while let Some(id) = stack.pop() {
            match &dom.node(id).data {
                NodeData::Text(t) => {
                    let before = text.len();
                    push_normalised(t, &mut text);
                    if text.len() > before {
                        starts.push((before, id));
                    }
                    continue;
                }
                NodeData::Element { name, .. } if is_skipped(&name.local) => continue,
                NodeData::Other => continue,
                _ => {}
            }
            stack.extend(dom.children(id).rev());
        }
        TextStream { text, starts }
    }

    /// The text node whose letters include byte `pos`.
    fn node_at(&self, pos: usize) -> Option<NodeId> {
        let i = self.starts.partition_point(|&(s, _)| s <= pos);
        self.starts.get(i.checked_sub(1)?).map(|&(_, n)| n)
    }
}

/// Letters and digits of `s`, lower case.
fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_normalised(s, &mut out);
    out
}

fn push_normalised(s: &str, out: &mut String) {
    for c in s.chars().filter(|c| c.is_alphanumeric()) {
        out.extend(c.to_lowercase());
    }
}

/// The first `n` characters of `s`.
fn prefix(s: &str, n: usize) -> &str {
    s.char_indices().nth(n).map_or(s, |(i, _)| &s[..i])
}

/// The last `n` characters of `s`.
fn suffix(s: &str, n: usize) -> &str {
    let count = s.chars().count();
    if count <= n {
        return s;
    }
    s.char_indices().nth(count - n).map_or(s, |(i, _)| &s[i..])
}

/// The deepest node that is `a` or an ancestor of `a`, and `b` or an
/// ancestor of `b`.
fn common_ancestor(dom: &Dom, a: NodeId, b: NodeId) -> NodeId {
    let mut seen = std::collections::HashSet::new();
    let mut n = a;
    while n != dom::NONE {
        seen.insert(n);
        n = dom.node(n).parent;
    }
    let mut n = b;
    while n != dom::NONE {
        if seen.contains(&n) {
            return n;
        }
        n = dom.node(n).parent;
    }
    dom::DOCUMENT
}

/// Writes `root` and its descendants as HTML (scripts, styles and other
/// never-content elements left out).
fn write_subtree(dom: &Dom, root: NodeId, out: &mut String) {
    enum Step {
        Open(NodeId),
        Close(NodeId),
    }
    let mut stack = vec![Step::Open(root)];
    while let Some(step) = stack.pop() {
        match step {
            Step::Open(id) => match &dom.node(id).data {
                NodeData::Text(t) => escape_into(t, false, out),
                NodeData::Element { name, attrs, .. } => {
                    let tag = &*name.local;
                    if is_skipped(tag) {
                        continue;
                    }
                    out.push('<');
                    out.push_str(tag);
                    for a in attrs {
                        out.push(' ');
                        out.push_str(&a.name.local);
                        out.push_str("=\"");
                        escape_into(&a.value, true, out);
                        out.push('"');
                    }
                    out.push('>');
                    if is_void(tag) {
                        continue;
                    }
                    stack.push(Step::Close(id));
                    stack.extend(dom.children(id).rev().map(Step::Open));
                }
                NodeData::Document => stack.extend(dom.children(id).rev().map(Step::Open)),
                NodeData::Other => {}
            },
            Step::Close(id) => {
                if let NodeData::Element { name, .. } = &dom.node(id).data {
                    out.push_str("</");
                    out.push_str(&name.local);
                    out.push('>');
                }
            }
        }
    }
}

fn escape_into(s: &str, attribute: bool, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::html::extract_html;

    const PAGE: &str = r#"<!DOCTYPE html><html><head><title>Loader report</title>
<script>var tracking = 1;</script></head><body>
<nav><a href="/">Home</a> <a href="/blog">Blog</a></nav>
<div class="content"><article>
<h2>Initial access</h2>
<p>Attackers used a spear-phishing email, with a malicious attachment, to gain initial access to the victim network in early March.</p>
<ul><li>The loader then contacted its command server and fetched a second stage.</li>
<li>It established persistence through a <a href="https://example.com/task">scheduled task</a>.</li></ul>
<table><tr><th>Indicator</th><th>Type</th></tr><tr><td>evil.example</td><td>domain</td></tr></table>
<p>Defenders should block the listed domains, hunt for the scheduled task, and reset credentials that may have been exposed.</p>
</article></div>
<footer>Copyright and privacy policy links for the whole site go here.</footer>
</body></html>"#;

    #[test]
    fn finds_the_article_element_with_its_markup() {
        let doc = extract_html(PAGE);
        let html = main_content_html(PAGE, &doc).expect("article found");
        assert!(html.starts_with("<article>"), "{html}");
        assert!(html.contains("<h2>Initial access</h2>"), "{html}");
        assert!(html.contains("<li>"), "{html}");
        assert!(html.contains("<td>evil.example</td>"), "{html}");
        assert!(
            html.contains(r#"<a href="https://example.com/task">"#),
            "{html}"
        );
        assert!(!html.contains("Copyright"), "{html}");
        assert!(!html.contains("tracking"), "{html}");
        assert!(!html.contains("Blog"), "{html}");
    }

    #[test]
    fn text_not_on_the_page_gives_none() {
        let doc = HtmlDoc {
            text: "A paragraph that the page does not contain anywhere at all.".into(),
            ..HtmlDoc::default()
        };
        assert_eq!(main_content_html(PAGE, &doc), None);
        assert_eq!(main_content_html("", &HtmlDoc::default()), None);
    }

    #[test]
    fn text_and_attributes_are_escaped() {
        let page = r#"<div><p title="a&quot;b">1 &lt; 2 &amp; a quite long sentence of prose to anchor on here</p></div>"#;
        let doc = HtmlDoc {
            text: "1 < 2 & a quite long sentence of prose to anchor on here".into(),
            ..HtmlDoc::default()
        };
        let html = main_content_html(page, &doc).unwrap();
        assert_eq!(
            html,
            r#"<p title="a&quot;b">1 &lt; 2 &amp; a quite long sentence of prose to anchor on here</p>"#
        );
    }
}
