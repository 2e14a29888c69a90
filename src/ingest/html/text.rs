//! The text writer: takes the arena and the final [`Selection`], gives the
//! plain text of the selected subtrees (one paragraph per line, blank lines
//! between blocks, `<pre>` kept as written).

use super::super::dom::{Dom, NodeData, NodeId};
use super::arena::{append_text, Arena};
use super::clean::Selection;
use super::signals::read_attrs;
use super::tags::{classify_tag, Kind, Tag};

/// Writes the text of the selected subtrees, leaving out removed subtrees,
/// in one forward pass over the arena (no recursion, whatever the depth).
pub(super) fn render(arena: &Arena, selection: &Selection) -> String {
    let mut w = TextWriter::default();
    let mut raw = String::new();
    // Open elements that end a line: (subtree end, gap).
    let mut open: Vec<(u32, u8)> = Vec::new();
    for &r in &selection.roots {
        let end = arena.nodes[r as usize].end;
        let mut j = r;
        while j < end {
            while let Some(&(e, gap)) = open.last() {
                if e > j {
                    break;
                }
                open.pop();
                w.brk(gap);
            }
            let node = &arena.nodes[j as usize];
            // Removed subtrees are skipped; images too: their `alt` text is
            // an attribute, not text content (a browser's textContent, and
            // so the article's text, never holds it), and on real pages it
            // is mostly file names ("IMG_3886.jpg"), LaTeX sources of
            // formulas or repeated captions.
            if (j > r && selection.removed[j as usize]) || node.tag == Tag::Img {
                j = node.end;
                continue;
            }
            match node.tag {
                Tag::Text => {
                    if node.space_before {
                        w.space();
                    }
                    w.inline(arena.text_of(node));
                }
                Tag::Br => w.brk(1),
                Tag::Pre => {
                    // Preformatted text keeps its line breaks and spaces:
                    // it is read from the DOM, because the arena holds text
                    // collapsed (for scoring) and without whitespace-only
                    // nodes (the spaces between highlighted code tokens).
                    w.brk(2);
                    raw.clear();
                    pre_text(&arena.dom, node.dom_node, &mut raw);
                    w.pre(&raw);
                    w.brk(2);
                    j = node.end;
                    continue;
                }
                t if t.is_block() => {
                    let gap = match t {
                        Tag::P
                        | Tag::H(_)
                        | Tag::Blockquote
                        | Tag::Ul
                        | Tag::Ol
                        | Tag::Dl
                        | Tag::Table
                        | Tag::Figure => 2,
                        _ => 1,
                    };
                    w.brk(gap);
                    open.push((node.end, gap));
                }
                _ => {}
            }
            j += 1;
        }
        while let Some((_, gap)) = open.pop() {
            w.brk(gap);
        }
        w.brk(2);
    }
    normalize_text(&w.out)
}

/// The text of a `<pre>` element as written: its text nodes in document
/// order, uncollapsed, `<br>` as a line break; images, hidden elements,
/// scripts and other never-text elements contribute nothing.
fn pre_text(dom: &Dom, id: NodeId, out: &mut String) {
    let mut stack: Vec<NodeId> = dom.children(id).rev().collect();
    while let Some(c) = stack.pop() {
        match &dom.node(c).data {
            NodeData::Element { name, .. } => match classify_tag(&name.local) {
                Kind::Keep(Tag::Br) => out.push('\n'),
                Kind::Keep(Tag::Img) => {}
                // Hidden elements stay out, as everywhere else.
                Kind::Keep(_) if !read_attrs(dom, c, false).is_hidden() => {
                    stack.extend(dom.children(c).rev());
                }
                _ => {}
            },
            NodeData::Text(t) => {
                append_text(t, out, false);
            }
            NodeData::Document | NodeData::Other => {}
        }
    }
}

/// Lays text out the way html2text's raw mode does, without its per-char
/// wrapping machinery: each block element starts and ends a line
/// (paragraph-like blocks a blank line), table cells and list items stand on
/// lines of their own, inline text runs on with single spaces, `<br>` breaks
/// the line and `<pre>` keeps its own breaks. On the 130 Readability pages,
/// the corpus and generated pages it gives html2text's words, except that
/// table captions and list items nested without `<li>` are kept and
/// superscripts read `x2`, not `x^{2}` (as a browser's textContent).
#[derive(Default)]
struct TextWriter {
    out: String,
    /// Line breaks owed before the next text: 0, 1 (new line) or 2 (blank line).
    brk: u8,
    /// A space owed before the next text on the same line.
    space: bool,
}

impl TextWriter {
    fn at_line_start(&self) -> bool {
        self.out.is_empty() || self.out.ends_with('\n')
    }

    fn brk(&mut self, n: u8) {
        self.brk = self.brk.max(n);
        self.space = false;
    }

    fn space(&mut self) {
        self.space = true;
    }

    /// Pays the breaks and the space owed before `text` is written.
    fn settle(&mut self) {
        if self.brk > 0 {
            if !self.out.is_empty() {
                if !self.out.ends_with('\n') {
                    self.out.push('\n');
                }
                if self.brk > 1 {
                    self.out.push('\n');
                }
            }
            self.brk = 0;
            self.space = false;
        }
        if self.space && !self.at_line_start() {
            self.out.push(' ');
        }
        self.space = false;
    }

    /// Collapsed inline text: a leading or trailing space becomes a space
    /// owed to the neighbouring text on the same line.
    fn inline(&mut self, text: &str) {
        let body = text.trim_matches(' ');
        if body.is_empty() {
            if !text.is_empty() {
                self.space();
            }
            return;
        }
        if text.starts_with(' ') {
            self.space();
        }
        self.settle();
        self.out.push_str(body);
        self.space = text.ends_with(' ');
    }

    fn pre(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        self.settle();
        self.out.push_str(text);
    }
}

/// Trims every line and keeps at most one blank line between blocks.
fn normalize_text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut blank = 0;
    for line in raw.lines() {
        let l = line.trim();
        if l.is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
            if blank > 0 {
                out.push('\n');
            }
        }
        blank = 0;
        out.push_str(l);
    }
    out
}
#[cfg(test)]
mod tests {
    use crate::ingest::html::extract_html;
    use crate::ingest::html::test_pages::{article, page, P2, P3};

    #[test]
    fn image_alt_text_is_not_article_text() {
        let body = article(
            "<p>Before the picture <img src=\"IMG_3886.jpg\" alt=\"IMG_3886.JPG\"> after it.</p>\
             <figure><img src=\"f.png\" alt=\"{\\displaystyle x^2}\"><figcaption>Figure 1: the lure</figcaption></figure>",
        );
        let d = extract_html(&page("", &body));
        assert!(!d.text.contains("IMG_3886"), "{}", d.text);
        assert!(!d.text.contains("displaystyle"), "{}", d.text);
        assert!(d.text.contains("Before the picture"), "{}", d.text);
        assert!(d.text.contains("after it."), "{}", d.text);
        assert!(d.text.contains("Figure 1: the lure"), "{}", d.text);
    }

    #[test]
    fn renders_plain_paragraph_lines() {
        let body = format!(
            "<article><p>First <a href=\"/x\">linked</a> <em>emphasised</em> <strong>strong</strong> words, in a paragraph long enough to count.</p>\
             <table><tr><td>cell one</td><td>cell two</td></tr></table>{P2}{P3}</article>"
        );
        let d = extract_html(&page("", &body));
        assert!(
            d.text.contains("First linked emphasised strong words"),
            "{}",
            d.text
        );
        assert!(
            !d.text.contains('[') && !d.text.contains('*') && !d.text.contains('|'),
            "{}",
            d.text
        );
        assert!(!d.text.contains("\n\n\n"));
        assert!(d.text.lines().all(|l| l == l.trim()));
    }

    #[test]
    fn text_layout_of_blocks_inline_runs_and_pre() {
        let body = format!(
            "<article>{P2}\
             <p>Loader <b>stage</b> <i>two</i>, then<br>a new line and x<sup>2</sup> H<sub>2</sub>O.</p>\
             <ul><li>first item</li><li>second <a href=\"/x\">linked</a> item</li></ul>\
             <table><caption>Indicators seen</caption><tr><td>cell one</td><td>cell two</td></tr></table>\
             <pre><span class=\"k\">SELECT</span> <span>avg</span>(n)\n  <span>FROM</span> t;<br>-- done<span hidden>secret</span></pre>\
             {P3}</article>"
        );
        let d = extract_html(&page("", &body));
        let lines: Vec<&str> = d.text.lines().collect();
        // Whitespace-only nodes between inline elements still space words.
        assert!(lines.contains(&"Loader stage two, then"), "{lines:?}");
        // <br> breaks the line; sub/superscripts run on, like textContent.
        assert!(lines.contains(&"a new line and x2 H2O."), "{lines:?}");
        // List items, cells and captions stand on lines of their own.
        for l in [
            "first item",
            "second linked item",
            "Indicators seen",
            "cell one",
            "cell two",
        ] {
            assert!(lines.contains(&l), "{l}: {lines:?}");
        }
        // <pre> keeps the spaces between highlighted tokens and its breaks.
        assert!(lines.contains(&"SELECT avg(n)"), "{lines:?}");
        assert!(lines.contains(&"FROM t;"), "{lines:?}");
        assert!(lines.contains(&"-- done"), "{lines:?}");
        assert!(!d.text.contains("secret"), "{}", d.text);
        // Paragraph-like blocks are set apart by one blank line.
        assert!(d.text.contains("\n\nLoader stage"), "{}", d.text);
        assert!(!d.text.contains("\n\n\n"));
    }
}
