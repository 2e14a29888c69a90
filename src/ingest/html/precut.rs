//! The pre-cut: takes the page's HTML text and gives it back with what no
//! later stage reads cut out (script and style bodies, comments, link menus
//! and link sidebars, unread attributes, block nesting beyond any real
//! page), so html5ever has less to parse. The tree it builds is the same.

/// Start tags that make html5ever walk its stack of open elements (the
/// "close a p element in button scope" steps), counted by `precut`.
const BLOCK_TAGS: [&str; 34] = [
    "div",
    "section",
    "article",
    "aside",
    "nav",
    "header",
    "footer",
    "main",
    "blockquote",
    "ul",
    "ol",
    "dl",
    "table",
    "form",
    "fieldset",
    "figure",
    "center",
    "details",
    "menu",
    "address",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "hgroup",
    "dialog",
    "dir",
    "figcaption",
    "summary",
    "listing",
    "search",
];

/// Open block elements beyond which further block start tags are dropped
/// before parsing (see `precut`).
const MAX_OPEN_BLOCKS: u32 = 256;

/// Prepares a page for html5ever in one linear pass over its bytes:
///
/// - **Raw-text bodies that never reach the text are cut**: the bodies of
///   `<script>` (all but JSON-LD, which carries metadata), `<style>` and
///   `<noscript>`, and `<!-- comments -->`. On news pages they are most of
///   the bytes (inline bundles, CSS, page state), and html5ever would
///   tokenise them only for the extractor to drop them. The tags stay, so
///   the tree is the same.
/// - **Link blocks are emptied**: `<nav>` menus, and `<aside>` / `<footer>`
///   blocks that are mostly links (related stories, "trending" and "most
///   read" lists, footer link columns) unless they carry what metadata is
///   read from (`<time>`, `datetime`, `itemprop`, `rel`). Readability-style
///   selection would drop them anyway (link density); cutting them first
///   spares html5ever about a fifth of what it still parsed on news pages,
///   and a sidebar can never leak a name or a date. Their tags stay.
/// - **Attributes nothing reads are cut** from start tags (`src`, `srcset`,
///   `data-*`, `alt`, event handlers, links that leave the page): see
///   `unread_attributes`.
/// - **Pathological nesting is capped**: html5ever checks "is a <p> open in
///   button scope?" by walking the whole stack of open elements at every
///   block start tag, so a page nesting blocks N deep costs O(N²) to parse
///   (100,000 nested divs take minutes). Block start tags are dropped once
///   MAX_OPEN_BLOCKS are open; no real page comes near that.
///
/// Tags are read the way a browser reads them: a `<` or `>` inside a
/// quoted attribute value is not markup. When nothing needs cutting the
/// input is returned unallocated.
pub(super) fn precut(html: &str) -> std::borrow::Cow<'_, str> {
    let b = html.as_bytes();
    let mut open = 0u32;
    let mut dropped = [0u32; BLOCK_TAGS.len()];
    let mut cut: Vec<(usize, usize)> = Vec::new();
    let mut i = 0usize;
    while let Some(off) = memchr::memchr(b'<', &b[i..]) {
        let lt = i + off;
        i = lt + 1;
        if b[i..].starts_with(b"!--") {
            let end = memchr::memmem::find(&b[i + 3..], b"-->").map_or(b.len(), |e| i + 3 + e + 3);
            cut.push((lt, end));
            i = end;
            continue;
        }
        let closing = b.get(i) == Some(&b'/');
        let ns = if closing { i + 1 } else { i };
        let mut ne = ns;
        while ne < b.len() && b[ne].is_ascii_alphanumeric() && ne - ns < 12 {
            ne += 1;
        }
        if ne == ns {
            // "<" followed by a non-letter is text, not a tag.
            continue;
        }
        let mut name = [0u8; 12];
        for (k, &c) in b[ns..ne].iter().enumerate() {
            name[k] = c.to_ascii_lowercase();
        }
        let name = &name[..ne - ns];
        let tag_end = if closing {
            memchr::memchr(b'>', &b[ne..]).map_or(b.len(), |e| ne + e + 1)
        } else {
            start_tag_end(b, ne)
        };
        i = tag_end;
        if !closing && !matches!(name, b"meta" | b"link" | b"base") {
            unread_attributes(b, ne, tag_end, &mut cut);
        }
        if closing {
            if let Some(kind) = BLOCK_TAGS.iter().position(|t| t.as_bytes() == name) {
                // The end tag of an element whose start tag was dropped
                // closes nothing.
                if dropped[kind] > 0 {
                    dropped[kind] -= 1;
                } else {
                    open = open.saturating_sub(1);
                }
            }
            continue;
        }
        // Raw-text elements: their content is not markup.
        if matches!(
            name,
            b"script" | b"style" | b"noscript" | b"textarea" | b"title" | b"xmp"
        ) {
            let close = end_tag(b, tag_end, name, false).unwrap_or(b.len());
            let keep = match name {
                b"script" => contains_ci(&b[lt..tag_end], b"ld+json"),
                b"style" | b"noscript" => false,
                _ => true,
            };
            if !keep && close > tag_end {
                cut.push((tag_end, close));
            }
            i = close;
            continue;
        }
        // Elements whose content the extractor never reads: inline SVG
        // (icons, charts; `svg` is dropped whole), navigation blocks made
        // of links (menus never hold the article and are never a metadata
        // source), and link sidebars and footers. Their start and end tags
        // stay.
        if matches!(name, b"svg" | b"nav" | b"aside" | b"footer") {
            if let Some(close) = end_tag(b, tag_end, name, true) {
                let inner = &b[tag_end..close];
                let cuttable = match name {
                    b"svg" => true,
                    b"nav" => is_link_list(inner),
                    // Sidebars and footers made of links (related stories,
                    // "trending" lists, link columns) go too, unless they
                    // carry what metadata is read from (a post-meta block:
                    // author link, time, tags).
                    _ => is_mostly_links(inner) && !carries_metadata(inner),
                };
                if close > tag_end && cuttable {
                    cut.push((tag_end, close));
                    i = close;
                    continue;
                }
            }
        }
        let Some(kind) = BLOCK_TAGS.iter().position(|t| t.as_bytes() == name) else {
            continue;
        };
        if open >= MAX_OPEN_BLOCKS {
            // The whole tag goes, attribute cuts included.
            while cut.last().is_some_and(|&(s, _)| s >= lt) {
                cut.pop();
            }
            cut.push((lt, tag_end));
            dropped[kind] += 1;
        } else {
            open += 1;
        }
    }
    if cut.is_empty() {
        return std::borrow::Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    let mut last = 0;
    for (s, e) in cut {
        // Cuts start and end on ASCII bytes ('<', '>' or the end), so they
        // are char boundaries.
        out.push_str(&html[last..s]);
        last = e;
    }
    out.push_str(&html[last..]);
    std::borrow::Cow::Owned(out)
}

/// Attributes the extractor reads (`read_attrs`, `marker_key`) or that
/// steer html5ever's tree builder (`type` of `<input>`, `color`/`face`/
/// `size` of `<font>` in SVG/MathML, `encoding`, `shadowrootmode`). Names
/// are compared ASCII-case-insensitively, as the tokenizer lowercases them.
const READ_ATTRIBUTES: [&[u8]; 21] = [
    b"class",
    b"id",
    b"role",
    b"itemprop",
    b"rel",
    b"href",
    b"content",
    b"datetime",
    b"pubdate",
    b"hidden",
    b"aria-hidden",
    b"style",
    b"name",
    b"property",
    b"http-equiv",
    b"type",
    b"color",
    b"face",
    b"size",
    b"encoding",
    b"shadowrootmode",
];

/// Marks for cutting the attributes of one start tag (name read up to
/// `from`, tag ending at `end`) that nothing downstream reads: `src`,
/// `srcset`, `data-*`, `alt`, `title`, event handlers … and the values of
/// `href`s that are not in-page (`#…`) links: downstream only asks whether
/// an element has an href and whether it points inside the page. On real pages these are over a quarter of the bytes
/// html5ever would tokenise character by character; the tree it builds is
/// the same. Attribute boundaries are read as the HTML tokenizer reads
/// them (names end at white space, `/`, `>` or `=`; values are quoted or
/// run to white space or `>`). Only the first of duplicate `href`s counts
/// for html5ever, so once one is cut, later ones go too.
fn unread_attributes(b: &[u8], from: usize, end: usize, cut: &mut Vec<(usize, usize)>) {
    let is_space = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0c);
    // The tag name runs on past what `precut` read of it (`my-widget`).
    let mut j = from;
    while j < end && !is_space(b[j]) && !matches!(b[j], b'/' | b'>') {
        j += 1;
    }
    let mut href_seen = false;
    while j < end {
        while j < end && (is_space(b[j]) || b[j] == b'/') {
            j += 1;
        }
        if j >= end || b[j] == b'>' {
            return;
        }
        let name_start = j;
        // The first character is part of the name even if it is '='.
        j += 1;
        while j < end && !is_space(b[j]) && !matches!(b[j], b'/' | b'>' | b'=') {
            j += 1;
        }
        let name = &b[name_start..j];
        let name_end = j;
        let mut k = j;
        while k < end && is_space(b[k]) {
            k += 1;
        }
        let mut value: &[u8] = &[];
        if k < end && b[k] == b'=' {
            k += 1;
            while k < end && is_space(b[k]) {
                k += 1;
            }
            if k < end && matches!(b[k], b'"' | b'\'') {
                let q = b[k];
                let v = k + 1;
                let close = memchr::memchr(q, &b[v..end]).map_or(end, |e| v + e);
                value = &b[v..close];
                k = (close + 1).min(end);
            } else {
                let v = k;
                while k < end && !is_space(b[k]) && b[k] != b'>' {
                    k += 1;
                }
                value = &b[v..k];
            }
            j = k;
        }
        let is_href = name.eq_ignore_ascii_case(b"href");
        let read = READ_ATTRIBUTES.iter().any(|r| name.eq_ignore_ascii_case(r));
        if is_href && !href_seen && !value.starts_with(b"#") {
            // The value goes, the name stays: an `<a>` with an href is a
            // link, one without is an anchor.
            if j > name_end {
                cut.push((name_end, j));
            }
        } else if (is_href && href_seen) || (!is_href && !read) {
            cut.push((name_start, j));
        }
        href_seen |= is_href;
    }
}

/// The byte after the `>` that ends a start tag whose name ends at `from`,
/// skipping quoted attribute values.
fn start_tag_end(b: &[u8], from: usize) -> usize {
    let mut j = from;
    while let Some(off) = memchr::memchr3(b'>', b'"', b'\'', &b[j..]) {
        let k = j + off;
        if b[k] == b'>' {
            return k + 1;
        }
        // A quote opens a value only right after "=" (spaces allowed).
        let after_eq = b[from..k]
            .iter()
            .rev()
            .find(|c| !c.is_ascii_whitespace())
            .is_some_and(|&c| c == b'=');
        if after_eq {
            match memchr::memchr(b[k], &b[k + 1..]) {
                Some(e) => j = k + 1 + e + 1,
                None => return b.len(),
            }
        } else {
            j = k + 1;
        }
    }
    b.len()
}

/// Where the `</name` that closes the element whose start tag ends at
/// `from` begins; None when it is never closed. With `nests`, inner
/// `<name` elements are counted (`<nav>` in `<nav>`); without, the first end
/// tag closes (raw text: a `<script` inside a script is text).
fn end_tag(b: &[u8], from: usize, name: &[u8], nests: bool) -> Option<usize> {
    let mut depth = 0u32;
    let mut j = from;
    while let Some(off) = memchr::memchr(b'<', &b[j..]) {
        let k = j + off + 1;
        let closing = b.get(k) == Some(&b'/');
        let ns = if closing { k + 1 } else { k };
        let after = ns + name.len();
        let is_name = b.len() > after
            && b[ns..after].eq_ignore_ascii_case(name)
            && !b[after].is_ascii_alphanumeric();
        if is_name && closing {
            if depth == 0 {
                return Some(k - 1);
            }
            depth -= 1;
        } else if is_name && nests {
            depth += 1;
        }
        j = k;
    }
    None
}

/// Returns true if and only if a block's raw markup reads as a list of
/// links: at least half of its text (outside tags) is link text, or it has
/// hardly any text. An article never does; a menu always does.
fn is_link_list(inner: &[u8]) -> bool {
    let (text, linked) = link_text(inner);
    text < 25 || linked * 2 >= text
}

/// Returns true if and only if a block's raw markup is mostly links: it has
/// link text, and at least half of its text is. Unlike [`is_link_list`] a
/// short block of plain text (a pull quote, a note) is not.
fn is_mostly_links(inner: &[u8]) -> bool {
    let (text, linked) = link_text(inner);
    linked > 0 && linked * 2 >= text
}

/// The non-space characters of a block's raw markup outside tags, and how
/// many of them are inside `<a>` elements.
fn link_text(inner: &[u8]) -> (usize, usize) {
    let (mut text, mut linked) = (0usize, 0usize);
    let mut in_link = 0u32;
    let mut j = 0;
    while j < inner.len() {
        if inner[j] == b'<' {
            let rest = &inner[j + 1..];
            if rest.len() > 1
                && rest[0].eq_ignore_ascii_case(&b'a')
                && !rest[1].is_ascii_alphanumeric()
            {
                in_link += 1;
            } else if rest.len() > 2
                && rest[0] == b'/'
                && rest[1].eq_ignore_ascii_case(&b'a')
                && !rest[2].is_ascii_alphanumeric()
            {
                in_link = in_link.saturating_sub(1);
            }
            j = match memchr::memchr(b'>', &inner[j..]) {
                Some(e) => j + e + 1,
                None => inner.len(),
            };
            continue;
        }
        if !inner[j].is_ascii_whitespace() {
            text += 1;
            if in_link > 0 {
                linked += 1;
            }
        }
        j += 1;
    }
    (text, linked)
}

/// Returns true if and only if the markup `inner` (tags and text) holds
/// something the metadata reader looks at: a `<time>`, a `datetime` or
/// `pubdate`, an `itemprop`, a `rel` (author, tag, bookmark), or the words
/// of a byline ("byline", "dateline", "posted", "published", "author", in
/// a class or in the text: "Posted on <a>March 5</a> by <a>Jane</a>").
fn carries_metadata(inner: &[u8]) -> bool {
    // One case-insensitive automaton over all markers: the block is
    // scanned once instead of once per marker (the per-marker scans were
    // about 7% of indexing CPU on generated news pages).
    static MARKERS: std::sync::LazyLock<aho_corasick::AhoCorasick> =
        std::sync::LazyLock::new(|| {
            aho_corasick::AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build([
                    "<time",
                    "datetime",
                    "pubdate",
                    "itemprop",
                    "rel=",
                    "byline",
                    "dateline",
                    "posted",
                    "published",
                    "author",
                ])
                .expect("fixed marker strings always compile")
        });
    MARKERS.is_match(inner)
}

/// Case-insensitive ASCII substring test.
fn contains_ci(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::html::test_pages::{article, page};

    #[test]
    fn precut_caps_pathological_nesting_only() {
        let normal = page("<title>x</title>", &article("<p>plain</p>"));
        assert!(matches!(precut(&normal), std::borrow::Cow::Borrowed(_)));
        let deep = "<div>".repeat(1000);
        match precut(&deep) {
            std::borrow::Cow::Owned(s) => {
                assert_eq!(s.matches("<div>").count(), MAX_OPEN_BLOCKS as usize)
            }
            _ => panic!("expected a rewrite"),
        }
    }

    #[test]
    fn precut_empties_scripts_styles_and_comments_but_keeps_json_ld() {
        let html = "<head><title>T <b>x</b></title>\
            <script>var s = '<div><div>'; if (a<b) {}</script>\
            <SCRIPT type=\"application/LD+JSON\">{\"@type\":\"Article\"}</SCRIPT>\
            <style>p > a { color: red }</style></head>\
            <body><!-- <p>hidden</p> --><noscript><img src=x></noscript>\
            <textarea><p>typed</p></textarea><p>kept</p></body>";
        let cut = precut(html);
        assert_eq!(
            cut,
            "<head><title>T <b>x</b></title><script></script>\
            <SCRIPT type=\"application/LD+JSON\">{\"@type\":\"Article\"}</SCRIPT>\
            <style></style></head><body><noscript></noscript>\
            <textarea><p>typed</p></textarea><p>kept</p></body>"
        );
    }

    #[test]
    fn precut_reads_quoted_attribute_values_as_values() {
        // A "<script" or ">" inside a quoted value is not markup: nothing
        // after it may be cut.
        let html = "<div data-x=\"<script>\" title='a > b'><p>kept one</p></div>\
            <a href=x\"y>link</a><p>kept two</p><script>gone</script>";
        let cut = precut(html);
        assert!(cut.contains("<p>kept one</p>"), "{cut}");
        assert!(cut.contains("<p>kept two</p>"), "{cut}");
        assert!(!cut.contains("gone"), "{cut}");
        // Unterminated constructs cut to the end, never past it.
        for odd in [
            "<script>never closed",
            "<!-- open",
            "<div title=\"open",
            "<",
            "</",
            "<a",
        ] {
            let _ = precut(odd);
        }
    }

    #[test]
    fn precut_empties_link_menus_and_svg_but_not_prose_navs() {
        let menu = "<nav class=\"menu\"><ul><li><a href=/a>World news</a></li>\
            <li><a href=/b>Volt Typhoon explained</a></li><li><a href=/c>Markets</a></li></ul></nav>";
        let prose_nav = "<nav><p>This navigation block holds a long sentence of prose that \
            is not a link at all, with <a href=/x>one link</a> inside it.</p></nav>";
        let svg = "<svg viewBox=\"0 0 10 10\"><svg><path d=\"M0\"/></svg><title>icon</title></svg>";
        let html = format!("<body>{menu}{prose_nav}{svg}<p>after</p></body>");
        let cut = precut(&html);
        assert!(cut.contains("<nav class=\"menu\"></nav>"), "{cut}");
        assert!(!cut.contains("Volt Typhoon"), "{cut}");
        assert!(cut.contains("long sentence of prose"), "{cut}");
        // (`viewBox` is an attribute nothing reads, so it goes too.)
        assert!(cut.contains("<svg ></svg><p>after</p>"), "{cut}");
        // An unclosed nav is left alone.
        let open = "<nav><a href=/a>A</a><p>the rest of the page</p>";
        assert!(precut(open).contains("the rest of the page"));
    }

    #[test]
    fn precut_empties_link_sidebars_and_footers_but_not_content_or_metadata() {
        let trending = "<aside class=\"widget\"><h3>Trending</h3><ol>\
            <li><a href=/a>China blames APT29 for outage</a><span class=date>August 1, 2023</span></li>\
            <li><a href=/b>Taiwan sanctions members of Salt Typhoon</a><span>May 2</span></li></ol></aside>";
        let links_footer = "<footer><h4>News</h4><ul><li><a href=/c>Compliance</a></li>\
            <li><a href=/d>Critical Infrastructure</a></li><li><a href=/e>Russia-Ukraine War</a></li></ul>\
            <p>&copy; 2025 <a href=/f>Packet Insider</a></p></footer>";
        let pull_quote = "<aside>Hit hard</aside>";
        let prose_aside = "<aside><p>A box of background prose the article relies on, long enough \
            to outweigh <a href=/g>its one link</a> by far.</p></aside>";
        let post_meta = "<footer class=\"entry-meta\">By <a href=/h rel=\"author\">Jane Doe</a> \
            <time datetime=\"2024-03-05\">March 5</time> <a href=/i>Comments</a></footer>";
        let posted_on = "<footer>Posted on <a href=/2024/03/05/>March 5, 2024</a> \
            <a href=/people/j>Jane Doe</a></footer>";
        let html = format!(
            "<body><article><p>Body text.</p>{pull_quote}{prose_aside}{post_meta}{posted_on}</article>\
             {trending}{links_footer}</body>"
        );
        let cut = precut(&html);
        assert!(cut.contains("<aside class=\"widget\"></aside>"), "{cut}");
        assert!(
            !cut.contains("Salt Typhoon") && !cut.contains("Russia-Ukraine"),
            "{cut}"
        );
        assert!(cut.contains("<footer></footer>"), "{cut}");
        assert!(cut.contains("Hit hard"), "{cut}");
        assert!(cut.contains("background prose"), "{cut}");
        assert!(
            cut.contains("Jane Doe") && cut.contains("2024-03-05"),
            "{cut}"
        );
        // A "Posted on <date link>" footer stays: its words mark a byline.
        assert!(cut.contains("March 5, 2024"), "{cut}");
    }

    #[test]
    fn precut_drops_only_attributes_nothing_reads() {
        let html = "<body><div class=\"post\" data-x=\"1\" id=main>\
            <img src=\"/a.png\" srcset='/a.png 1x, /b.png 2x' alt=\"A > B\">\
            <a href=\"https://example.com/x\" title=t rel=tag>x</a>\
            <a href=\"#fn1\" onclick=\"go()\">1</a>\
            <a href=/y href=\"#z\">dup</a>\
            <my-widget-with-a-long-name data-y=2 hidden>w</my-widget-with-a-long-name>\
            <p STYLE=\"display:none\" ItemProp=articleBody>p</p></div>\
            <link rel=canonical href=\"https://example.com/c\"></body>";
        let cut = precut(html);
        for gone in [
            "data-x",
            "src=",
            "srcset",
            "alt=",
            "example.com/x",
            "title=t",
            "onclick",
            "/y",
            "#z",
            "data-y",
        ] {
            assert!(!cut.contains(gone), "{gone} left in {cut}");
        }
        for kept in [
            "class=\"post\"",
            "id=main",
            "rel=tag",
            "href=\"#fn1\"",
            "<my-widget-with-a-long-name",
            " hidden>",
            "STYLE=\"display:none\"",
            "ItemProp=articleBody",
            "href=\"https://example.com/c\"",
        ] {
            assert!(cut.contains(kept), "{kept} missing from {cut}");
        }
        // The text and the tree are untouched: a quoted '>' ended nothing.
        assert!(cut.contains(">x</a>") && cut.contains(">dup</a>") && cut.contains(">p</p></div>"));
    }
}
