//! HTML main-content and metadata extraction: turns one web page (news page,
//! vendor blog post) into its title, publication date, canonical URL, tags and
//! the plain text of the article alone, without menus, sidebars, comments,
//! share bars or scripts.
//!
//! The stages, one file each, in the order the data flows through them
//! ([`extract_html`] reads top to bottom as this list):
//!
//! 1. [`precut`]: the page's bytes, minus what never reaches the text
//!    (script and style bodies, link menus, unread attributes, pathological
//!    nesting), so html5ever parses less.
//! 2. `dom.rs` (one level up) parses that into a flat DOM.
//! 3. [`arena`]: one iterative pre-order walk copies the DOM into a flat
//!    arena of [`arena::Node`]s (parents before children, each subtree a
//!    contiguous index range), reading the page metadata on the way and each
//!    element's [`signals`] (class/id words, roles, hidden flags; its
//!    [`tags`] kind). Every later stage is a linear pass over that arena: a
//!    reverse loop is a bottom-up aggregation ([`stats`]), a forward loop a
//!    top-down one. Nothing recurses, so pages 100,000 elements deep are fine.
//! 4. [`select`]: furniture (hidden elements, nav/aside/footer/form,
//!    landmark roles, class/id words such as comment, share, related,
//!    sidebar) is set aside; explicit article markers (itemprop=articleBody,
//!    entry-content-like classes, `<article>`, `<main>`) are weighed against
//!    a Readability-style text-density scoring.
//! 5. [`clean`]: the winner is cleaned of link-heavy and form-like blocks.
//! 6. [`meta`]: title, date, URL and tags from the metadata, JSON-LD and
//!    the region around the chosen content.
//! 7. [`text`]: the chosen subtrees are written out as plain text by a
//!    small block-aware writer that lays text out as html2text's raw mode
//!    does, at a fraction of its cost.

mod arena;
mod clean;
mod meta;
mod precut;
mod select;
mod signals;
mod stats;
mod tags;
#[cfg(test)]
mod test_pages;
mod text;

use chrono::NaiveDate;

use super::dom;
use crate::model::Article;
use clean::Selection;
use select::Pass;

/// What `extract_html` found in one page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HtmlDoc {
    /// Article headline: JSON-LD `headline`/`name`, then `og:title`,
    /// `twitter:title`, `dc:title`, then the article's `<h1>` when `<title>`
    /// contains it, then `<title>` without the site-name part.
    pub title: Option<String>,
    /// Publication date (never the modification date).
    pub date: Option<NaiveDate>,
    /// Canonical URL (`<link rel=canonical>`, else `og:url`).
    pub url: Option<String>,
    /// Article tags/keywords, trimmed, deduplicated, in page order.
    pub tags: Vec<String>,
    /// Plain text of the main content: one paragraph per line, blank lines
    /// between blocks, no markup.
    pub text: String,
}

/// Readability's threshold below which an extraction is deemed to have
/// failed and is retried with fewer removals.
const MIN_ARTICLE_CHARS: u32 = 500;

/// Below this many characters of content after both passes, the whole
/// cleaned body is tried instead.
const MIN_CONTENT_CHARS: u32 = 100;

/// Extracts the article of an HTML page: main-content text and metadata.
pub fn extract(html: &str) -> Article {
    let doc = extract_html(html);
    Article {
        title: doc.title,
        date: doc.date,
        url: doc.url,
        tags: doc.tags,
        text: doc.text,
    }
}

/// Extracts title, publication date, canonical URL, tags and the main
/// content text from one HTML page (already decoded to UTF-8).
///
/// Never panics and never recurses on the page structure, whatever the
/// input; an empty or unparsable page gives an empty `HtmlDoc`.
pub fn extract_html(html: &str) -> HtmlDoc {
    let html = precut::precut(html);
    let arena = arena::build_arena(dom::parse(&html));
    if arena.nodes.is_empty() {
        return HtmlDoc::default();
    }
    // Strict pass first; if it yields too little, retry without the
    // class-based removals (Readability's flag relaxing) and keep the
    // longer result.
    let total_visible = select::visible_good(&arena);
    let mut selection = choose_content(&arena, Pass { strip_class: true }, total_visible);
    if selection.text_len < MIN_ARTICLE_CHARS {
        // Only take the relaxed result when it finds substantially more:
        // a short post is not a reason to let its share bar back in.
        let relaxed = choose_content(&arena, Pass { strip_class: false }, total_visible);
        if relaxed.text_len >= (selection.text_len * 3 / 2).max(selection.text_len + 200) {
            selection = relaxed;
        }
    }
    if selection.text_len < MIN_CONTENT_CHARS {
        // Next to nothing chosen: a page that is all lists or one big
        // table. Its whole body, cleaned, says more than an empty text.
        let page = clean::clean(&arena, select::whole_page(&arena, total_visible));
        if page.text_len >= selection.text_len + 200 {
            selection = page;
        }
    }
    let mut doc = HtmlDoc::default();
    meta::metadata(&arena, &selection, &mut doc);
    // The article's own headline repeats the title: leave it out of the
    // text (Readability does the same).
    if let Some(t) = &doc.title {
        meta::drop_title_heading(&arena, &mut selection, t);
    }
    doc.text = text::render(&arena, &selection);
    doc
}

/// One selection attempt: the content chosen under `pass`'s removals, then
/// cleaned.
fn choose_content(arena: &arena::Arena, pass: Pass, total_visible: u32) -> Selection {
    clean::clean(arena, select::select(arena, pass, total_visible))
}

#[cfg(test)]
mod tests {
    use super::test_pages::{article, page, P1, P2, P3};
    use super::*;

    #[test]
    fn survives_pathological_nesting_on_a_small_stack() {
        let deep_divs = format!(
            "<html><body>{}{P1}{}</body></html>",
            "<div>".repeat(100_000),
            "</div>".repeat(100_000)
        );
        let deep_spans = format!("<p>{}{P2}</p>", "<span>".repeat(50_000));
        let deep_tables = format!(
            "<body>{}{P3}{}</body>",
            "<table><tr><td>".repeat(3_000),
            "</td></tr></table>".repeat(3_000)
        );
        let h = std::thread::Builder::new()
            .stack_size(512 * 1024)
            .spawn(move || {
                let t = std::time::Instant::now();
                let a = extract_html(&deep_divs);
                let b = extract_html(&deep_spans);
                let c = extract_html(&deep_tables);
                (a.text, b.text, c.text, t.elapsed())
            })
            .expect("thread");
        let (a, b, c, took) = h.join().expect("no stack overflow or panic");
        assert!(a.contains("spear-phishing"), "{a}");
        assert!(b.contains("command server"), "{b}");
        assert!(c.contains("reset credentials"), "{c}");
        assert!(
            took.as_secs() < 20,
            "nesting must not be quadratic: {took:?}"
        );
    }

    #[test]
    fn precut_does_not_change_the_extraction() {
        let html = page(
            "<title>Headline | Site</title><meta property=\"article:published_time\" content=\"2024-03-05\">\
             <script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"headline\":\"Headline\"}</script>\
             <style>.a{}</style>",
            &article("<!-- note --><script>document.write('<p>injected</p>')</script>"),
        );
        let with = extract_html(&html);
        // The page parsed as written, without the pre-cut.
        let arena = arena::build_arena(dom::parse(&html));
        let total_visible = select::visible_good(&arena);
        let selection = choose_content(&arena, Pass { strip_class: true }, total_visible);
        assert_eq!(with.text, text::render(&arena, &selection));
        assert_eq!(with.title.as_deref(), Some("Headline"));
        assert!(with.date.is_some());
    }

    #[test]
    fn a_page_of_short_rows_falls_back_to_its_cleaned_body() {
        // A directory listing in an ASP.NET-style <form>: one short
        // paragraph scores, the rows do not, so both passes find next to
        // nothing; the cleaned body is the content.
        let rows: String = (0..30)
            .map(|i| {
                format!("<tr><td>Shop {i}</td><td>{i} Harbour Road</td><td>Open daily</td></tr>")
            })
            .collect();
        let menu: String = (0..10)
            .map(|i| format!("<a href=\"/m{i}\">Menu {i}</a> "))
            .collect();
        let d = extract_html(&page(
            "",
            &format!(
                "<div>{menu}</div><form><table>{rows}</table></form>\
                 <div><p>Welcome to the directory of local shops, updated weekly.</p></div>"
            ),
        ));
        assert!(
            d.text.contains("Shop 29") && d.text.contains("12 Harbour Road"),
            "{}",
            d.text
        );
        assert!(!d.text.contains("Menu 3"), "{}", d.text);
    }

    #[test]
    fn no_panic_on_odd_input() {
        for html in [
            "",
            "plain text only",
            "<td>cell</td><tr><th>x",
            "<table><tr><td><p>cell paragraph that is long enough, with commas, to be chosen as content.</p></td></tr></table>",
            "<html><body><article></article></body></html>",
            "<script type=\"application/ld+json\">[[[[{\"a\":</script>",
            "<meta property=\"article:published_time\" content=\"9999-99-99\">",
            "\u{0}\u{1}<<<>>>&&&;;",
            "<a href",
            "<a =x data-y>t</a>",
            "<div/ /x=>t",
            "<p a='unterminated>text",
            "<img src=\"é\" alt=ü>après",
        ] {
            let _ = extract_html(html);
        }
        let cell = extract_html("<table><tr><td><p>cell paragraph that is long enough, with commas, to be chosen as content.</p></td></tr></table>");
        assert!(cell.text.contains("cell paragraph"), "{:?}", cell.text);
    }
}
