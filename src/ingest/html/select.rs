//! Content selection: takes the arena and gives the chosen content roots
//! ([`Choice`]). Furniture is set aside (hidden elements, layout and
//! boilerplate by tag, role and class, unless a "layout" block holds most of
//! the page's prose), then explicit article markers (`itemprop=articleBody`,
//! entry-content-like classes, `<article>`, `<main>`) are weighed against a
//! Readability-style text-density scoring of candidate containers.

use std::sync::LazyLock;

use regex::Regex;

use super::super::dom::{Dom, NodeId};
use super::arena::{contains, subtree_text, Arena, NO_NODE};
use super::signals::{RM_BOILER, RM_CLASS, RM_HIDDEN, S_MARK_ARTICLE, S_MARK_BODY, S_MARK_MAIN};
use super::stats::{aggregate, excluded_nodes, SubtreeStats};
use super::tags::Tag;

/// Which removals apply in one attempt.
#[derive(Clone, Copy)]
pub(super) struct Pass {
    /// Class-, layout- and role-based removals apply (Readability's "strip
    /// unlikely candidates"); hidden elements are removed in every pass.
    pub(super) strip_class: bool,
}

/// The content chosen in one pass, before cleaning.
pub(super) struct Choice {
    /// The chosen subtrees, in page order.
    pub(super) roots: Vec<u32>,
    /// Furniture removal per node (its own flag; apply top-down).
    pub(super) removed: Vec<bool>,
    /// Every node's subtree statistics without its removed descendants,
    /// whatever happens to the node itself.
    pub(super) stats: Vec<SubtreeStats>,
}

/// Decides which elements are page furniture for one pass.
fn remove_furniture(
    arena: &Arena,
    pass: Pass,
    total_visible: u32,
) -> (Vec<SubtreeStats>, Vec<bool>) {
    let mask = if pass.strip_class {
        RM_HIDDEN | RM_CLASS
    } else {
        RM_HIDDEN
    };
    // Layout furniture that holds most of the page's remaining text is in
    // fact a layout wrapper around the article ("content-sidebar-wrap",
    // an ASP.NET <form> around the whole page): keep it. Boilerplate such
    // as comments or related lists is never kept back this way.
    aggregate(arena, &mut |i, a| {
        let removal = arena.nodes[i].removal & mask;
        if removal == 0 {
            return false;
        }
        if removal & (RM_HIDDEN | RM_BOILER) != 0 {
            return true;
        }
        // Only layout reasons left.
        !(a.good as u64 * 10 >= total_visible as u64 * 4 && a.good >= 200)
    })
}

/// Prose ("good" text) of the page outside hidden elements: the yardstick
/// for "holds most of the page".
pub(super) fn visible_good(arena: &Arena) -> u32 {
    if arena.body == NO_NODE {
        return 1;
    }
    let (a, _) = aggregate(arena, &mut |i, _| arena.nodes[i].removal & RM_HIDDEN != 0);
    a[arena.body as usize].good.max(1)
}

/// Chooses the content for one pass: sets the furniture aside, then weighs
/// the explicit markers against the scored candidates.
pub(super) fn select(arena: &Arena, pass: Pass, total_visible: u32) -> Choice {
    // `stats` holds every node's subtree statistics without its removed
    // descendants, whatever happens to the node itself.
    let (stats, removed) = remove_furniture(arena, pass, total_visible);
    let excluded = excluded_nodes(arena, &removed);

    let body = if arena.body != NO_NODE { arena.body } else { 0 };
    let page_good = stats.get(body as usize).map(|a| a.good).unwrap_or(0);

    // --- Explicit markers -------------------------------------------------
    let marked = pick_marker(arena, &stats, &excluded, page_good);

    // --- Readability-style scoring ---------------------------------------
    let scored = score_candidates(arena, &stats, &excluded, body);

    let roots: Vec<u32> = match (marked, scored) {
        (Some((ms, tier)), Some((top, s))) => {
            let m_good: u32 = ms.iter().map(|&r| stats[r as usize].good).sum();
            let s_good: u32 = s.iter().map(|&r| stats[r as usize].good).sum();
            if let Some(&m) = ms.iter().find(|&&m| contains(arena, m, top)) {
                // A broad marker (<main>, #content) is the main column,
                // which also holds teaser streams and related boxes: the
                // densest block inside it is the article. A specific
                // marker (articleBody, <article>) is the article itself.
                // Unless that block is a small part of the column (a notice
                // on a page whose prose is spread over many sections).
                if tier == 3 && s_good as u64 * 4 >= m_good as u64 {
                    s.into_iter().filter(|&r| contains(arena, m, r)).collect()
                } else {
                    ms
                }
            } else if m_good as u64 * 10 >= s_good as u64 * 6 {
                ms
            } else {
                s
            }
        }
        (Some((ms, _)), None) => ms,
        (None, Some((_, s))) => s,
        (None, None) => vec![body],
    };
    Choice {
        roots,
        removed,
        stats,
    }
}

/// The last resort when both passes found next to nothing (a directory
/// listing, a classified-ads page, a page laid out in one big table): the
/// whole body with only hidden elements removed, for the cleaning stage to
/// strip of link lists and form remnants (Readability's last attempt, with
/// every flag off).
pub(super) fn whole_page(arena: &Arena, total_visible: u32) -> Choice {
    let (stats, removed) = remove_furniture(arena, Pass { strip_class: false }, total_visible);
    let body = if arena.body != NO_NODE { arena.body } else { 0 };
    Choice {
        roots: vec![body],
        removed,
        stats,
    }
}

/// Chooses among explicitly marked containers (itemprop=articleBody,
/// entry-content …, `<article>`, `<main>`), preferring the most specific
/// marker that still holds nearly all the prose of a broader one.
fn pick_marker(
    arena: &Arena,
    stats: &[SubtreeStats],
    excluded: &[bool],
    page_good: u32,
) -> Option<(Vec<u32>, u8)> {
    let mut best: Option<(u32, u32, u8)> = None; // (idx, good, tier)
    let mut marks: Vec<(u32, u32, u8)> = Vec::new();
    for (i, node) in arena.nodes.iter().enumerate() {
        if node.tag == Tag::Text {
            continue;
        }
        let tier = if node.signals & S_MARK_BODY != 0 {
            1
        } else if node.signals & S_MARK_ARTICLE != 0 {
            2
        } else if node.signals & S_MARK_MAIN != 0 {
            3
        } else {
            continue;
        };
        // A marker inside removed furniture (a teaser <article> in a
        // sidebar) does not count; an explicit articleBody does.
        if excluded[i] && tier != 1 {
            continue;
        }
        let g = stats[i].good;
        if g < 200 {
            continue;
        }
        marks.push((i as u32, g, tier));
        if best.is_none_or(|b| g > b.1) {
            best = Some((i as u32, g, tier));
        }
    }
    let (mut bi, mut bg, mut bt) = best?;
    // Descend into nested markers that keep >= 80% of the prose.
    loop {
        let mut next: Option<(u32, u32, u8)> = None;
        for &(i, g, t) in &marks {
            if i != bi
                && contains(arena, bi, i)
                && g as u64 * 10 >= bg as u64 * 8
                && next.is_none_or(|n| g > n.1 || (g == n.1 && i > n.0))
            {
                next = Some((i, g, t));
            }
        }
        match next {
            Some((i, g, t)) => {
                bi = i;
                bg = g;
                bt = bt.min(t);
            }
            None => break,
        }
    }
    // News sites split the body around ads and inline promos into several
    // blocks with the same marker ("story-body story-body-1", "-2" …):
    // take all of them, in page order.
    let mut roots = vec![bi];
    if arena.nodes[bi as usize].signals & S_MARK_BODY != 0 {
        let key = marker_key(&arena.dom, arena.nodes[bi as usize].dom_node);
        for &(i, g, t) in &marks {
            if t == 1
                && g >= 50
                && !roots
                    .iter()
                    .any(|&r| contains(arena, r, i) || contains(arena, i, r))
                && marker_key(&arena.dom, arena.nodes[i as usize].dom_node) == key
            {
                roots.push(i);
                bg += g;
            }
        }
        roots.sort_unstable();
    }
    // The marker must hold a fair share of the page's prose; otherwise it
    // marks something else (a teaser, a sidebar box).
    if (bg as u64) * 10 < (page_good as u64) * 4 {
        return None;
    }
    Some((roots, bt))
}

/// What identifies a family of body markers: `itemprop`, else the first
/// class token, else the id without its trailing number.
fn marker_key(dom: &Dom, id: NodeId) -> String {
    let get = |n: &str| dom.attr(id, n);
    if let Some(ip) = get("itemprop") {
        return format!("itemprop:{}", ip.to_ascii_lowercase());
    }
    if let Some(c) = get("class") {
        if let Some(t) = c.split_ascii_whitespace().next() {
            return format!("class:{t}");
        }
    }
    get("id")
        .map(|id| {
            format!(
                "id:{}",
                id.trim_end_matches(|c: char| c.is_ascii_digit() || c == '-' || c == '_')
            )
        })
        .unwrap_or_default()
}

/// Readability's candidate scoring: every paragraph of 25+ chars scores
/// 1 + commas + length/100 (max 3) for its parent, half for its
/// grandparent and a third per level above up to five levels; candidates
/// start from a tag and class weight and are scaled by 1 - link density.
/// Returns the top candidate plus the siblings that belong with it.
fn score_candidates(
    arena: &Arena,
    stats: &[SubtreeStats],
    excluded: &[bool],
    body: u32,
) -> Option<(u32, Vec<u32>)> {
    let n = arena.nodes.len();
    let mut score = vec![f32::NAN; n];
    let init = |i: usize| -> f32 {
        let node = &arena.nodes[i];
        let base = match node.tag {
            Tag::Div | Tag::Article | Tag::Section | Tag::Main => 5.0,
            Tag::Pre | Tag::Td | Tag::Blockquote => 3.0,
            Tag::Address
            | Tag::Ol
            | Tag::Ul
            | Tag::Dl
            | Tag::Dd
            | Tag::Dt
            | Tag::Li
            | Tag::Form => -3.0,
            Tag::H(_) | Tag::Th => -5.0,
            _ => 0.0,
        };
        base + node.class_weight as f32
    };
    let mut touched: Vec<u32> = Vec::new();
    for i in 0..n {
        let node = &arena.nodes[i];
        if node.tag == Tag::Text || !node.tag.is_block() || excluded[i] {
            continue;
        }
        let a = &stats[i];
        // A table cell counts with the whole text it holds, nested
        // paragraphs included (as Readability scores cells): on pages laid out in
        // tables the prose sits in cells, often split over <font>, <p> and
        // <br> runs too short to score one by one.
        // Its link text does not count: a cell of menu links is not prose.
        let (text, commas) = if node.tag == Tag::Td {
            (a.text.saturating_sub(a.link_tenths / 10), a.commas)
        } else {
            (a.inline_text, a.inline_commas)
        };
        if text < 25 || matches!(node.tag, Tag::Body | Tag::Html) {
            continue;
        }
        let cs = 1.0 + commas as f32 + ((text / 100).min(3)) as f32;
        let mut p = node.parent;
        let mut level = 0u32;
        while p != NO_NODE && level < 5 {
            let pi = p as usize;
            if arena.nodes[pi].tag == Tag::Html {
                break;
            }
            if score[pi].is_nan() {
                score[pi] = init(pi);
                touched.push(p);
            }
            let div = match level {
                0 => 1.0,
                1 => 2.0,
                l => l as f32 * 3.0,
            };
            score[pi] += cs / div;
            p = arena.nodes[pi].parent;
            level += 1;
        }
    }
    if touched.is_empty() {
        return None;
    }
    for &t in &touched {
        let t = t as usize;
        score[t] *= 1.0 - stats[t].link_density().min(1.0);
    }
    let mut top = touched[0];
    for &t in &touched {
        if score[t as usize] > score[top as usize] {
            top = t;
        }
    }
    let top_score = score[top as usize];
    // Several near-top candidates sharing an ancestor: the content is
    // spread over siblings (Readability's "alternative candidates").
    let mut alts: Vec<u32> = touched
        .iter()
        .copied()
        .filter(|&t| t != top && score[t as usize] >= top_score * 0.75)
        .collect();
    alts.sort_by(|a, b| score[*b as usize].total_cmp(&score[*a as usize]));
    alts.truncate(4);
    if alts.len() >= 3 {
        let mut p = arena.nodes[top as usize].parent;
        while p != NO_NODE && p != body {
            let hits = alts.iter().filter(|&&a| contains(arena, p, a)).count();
            if hits >= 3 {
                top = p;
                break;
            }
            p = arena.nodes[p as usize].parent;
        }
    }
    // Walk up while the parent's score does not drop much: content may be
    // spread over the parent's other children.
    let mut last = score[top as usize];
    let threshold = last / 3.0;
    let mut p = arena.nodes[top as usize].parent;
    while p != NO_NODE && p != body && arena.nodes[p as usize].tag != Tag::Html {
        let ps = score[p as usize];
        if ps.is_nan() {
            p = arena.nodes[p as usize].parent;
            continue;
        }
        if ps < threshold {
            break;
        }
        if ps > last {
            top = p;
            break;
        }
        last = ps;
        p = arena.nodes[p as usize].parent;
    }
    // An only child: use the parent so that sibling joining sees the
    // neighbourhood.
    loop {
        let p = arena.nodes[top as usize].parent;
        if p == NO_NODE || p == body || arena.nodes[p as usize].tag == Tag::Html {
            break;
        }
        if element_children(arena, p, excluded).len() == 1 {
            top = p;
        } else {
            break;
        }
    }
    if top == body {
        return Some((body, vec![body]));
    }
    // Sibling joining.
    let top_score = if score[top as usize].is_nan() {
        0.0
    } else {
        score[top as usize]
    };
    let thresh = (top_score * 0.2).max(10.0);
    let parent = arena.nodes[top as usize].parent;
    if parent == NO_NODE {
        return Some((top, vec![top]));
    }
    let top_class = class_of(&arena.dom, arena.nodes[top as usize].dom_node);
    let mut out = Vec::new();
    for s in element_children(arena, parent, excluded) {
        if s == top {
            out.push(s);
            continue;
        }
        let si = s as usize;
        let mut bonus = 0.0;
        if !top_class.is_empty() && class_of(&arena.dom, arena.nodes[si].dom_node) == top_class {
            bonus = top_score * 0.2;
        }
        let ss = if score[si].is_nan() {
            f32::MIN
        } else {
            score[si]
        };
        if ss + bonus >= thresh {
            out.push(s);
            continue;
        }
        if arena.nodes[si].tag == Tag::P
            || (arena.nodes[si].tag == Tag::Div && stats[si].inline_text == stats[si].text)
        {
            let a = &stats[si];
            let ld = a.link_density();
            let len = a.text;
            if (len > 80 && ld < 0.25)
                || (len < 80 && len > 0 && ld == 0.0 && ends_sentence(arena, s))
            {
                out.push(s);
            }
        }
    }
    Some((top, out))
}

/// The element children of `p` that are not excluded, in page order.
fn element_children(arena: &Arena, p: u32, excluded: &[bool]) -> Vec<u32> {
    let mut out = Vec::new();
    let mut i = p + 1;
    let end = arena.nodes[p as usize].end;
    while i < end {
        let node = &arena.nodes[i as usize];
        if node.tag != Tag::Text && !excluded[i as usize] {
            out.push(i);
        }
        i = node.end;
    }
    out
}

/// The `class` attribute of a DOM element, or "".
fn class_of(dom: &Dom, id: NodeId) -> &str {
    dom.attr(id, "class").unwrap_or_default()
}

/// A full stop ending a sentence.
static SENTENCE_END: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\.( |$)").expect("re"));

/// Returns true if and only if the subtree's text holds a sentence end.
fn ends_sentence(arena: &Arena, i: u32) -> bool {
    SENTENCE_END.is_match(&subtree_text(arena, i, None))
}
#[cfg(test)]
mod tests {
    use crate::ingest::html::extract_html;
    use crate::ingest::html::test_pages::{article, page, P1, P2, P3};

    #[test]
    fn drops_hidden_elements() {
        let body = article(
            "<div hidden>HIDDENATTR</div><div aria-hidden=\"true\">ARIAHIDDEN</div>\
             <p style=\"display: none\">DISPLAYNONE</p><p style=\"visibility:hidden\">VISHIDDEN</p>",
        );
        let d = extract_html(&page("", &body));
        assert!(d.text.contains("spear-phishing"));
        for junk in ["HIDDENATTR", "ARIAHIDDEN", "DISPLAYNONE", "VISHIDDEN"] {
            assert!(!d.text.contains(junk), "{junk} leaked");
        }
    }

    #[test]
    fn drops_furniture_by_tag_and_role() {
        let body = format!(
            "<header><a href=/>SITEHEADER</a></header><nav><a href=/a>NAVLINK</a></nav>\
             <div role=\"navigation\">ROLENAV</div><div role=\"complementary\">ROLEASIDE</div>\
             <div class=\"wrap\">{}<aside>ASIDETEXT is a long sidebar text that should never be taken as content here.</aside></div>\
             <footer>FOOTERTEXT copyright</footer><div role=\"dialog\">DIALOGTEXT</div>",
            article("")
        );
        let d = extract_html(&page("", &body));
        assert!(d.text.contains("command server"));
        for junk in [
            "SITEHEADER",
            "NAVLINK",
            "ROLENAV",
            "ROLEASIDE",
            "ASIDETEXT",
            "FOOTERTEXT",
            "DIALOGTEXT",
        ] {
            assert!(!d.text.contains(junk), "{junk} leaked");
        }
    }

    #[test]
    fn drops_boilerplate_classes_on_word_boundaries() {
        let body = article(
            "<div class=\"share-buttons\">SHARETEXT</div><div id=\"comments\"><p>COMMENTTEXT is a reader comment that is long, with commas, and opinions.</p></div>\
             <div class=\"related-posts\"><p>RELATEDTEXT is a teaser for another post that is long enough to score.</p></div>\
             <div class=\"newsletter-signup\">NEWSLETTERTEXT</div><div class=\"adBox\">ADBOXJUNK</div>\
             <div class=\"cookie-consent\">COOKIETEXT</div>\
             <div class=\"shadow\"><p>SHADOWTEXT stays because shadow is not ad, and this text is long.</p></div>\
             <div class=\"read-more head\"><p>READTEXT stays because read and head are not boilerplate words at all.</p></div>",
        );
        let d = extract_html(&page("", &body));
        for junk in [
            "SHARETEXT",
            "COMMENTTEXT",
            "RELATEDTEXT",
            "NEWSLETTERTEXT",
            "ADBOXJUNK",
            "COOKIETEXT",
        ] {
            assert!(!d.text.contains(junk), "{junk} leaked: {}", d.text);
        }
        assert!(d.text.contains("SHADOWTEXT"), "{}", d.text);
        assert!(d.text.contains("READTEXT"), "{}", d.text);
    }

    #[test]
    fn wordpress_article_classes_do_not_remove_the_article() {
        let body = format!(
            "<article class=\"post-12 post type-post hentry category-ads tag-social-media tag-comments\">{P1}{P2}{P3}</article>\
             <aside class=\"widget-area\"><p>Sidebar prose that is long, with commas, and a lot of words in it.</p></aside>"
        );
        let d = extract_html(&page("", &body));
        assert!(
            d.text.contains("spear-phishing") && d.text.contains("reset credentials"),
            "{}",
            d.text
        );
        assert!(!d.text.contains("Sidebar prose"));
    }

    #[test]
    fn layout_wrapper_holding_the_article_is_kept() {
        // Genesis-style wrapper whose class names a sidebar.
        let body = format!(
            "<div class=\"content-sidebar-wrap\"><div class=\"inner\"><div class=\"text-area\">{P1}{P2}{P3}</div></div>\
             <div class=\"sidebar\"><p>SIDEBARTEXT with enough words, and commas, to look like prose.</p></div></div>"
        );
        let d = extract_html(&page("", &body));
        assert!(
            d.text.contains("spear-phishing") && d.text.contains("reset credentials"),
            "{}",
            d.text
        );
        assert!(!d.text.contains("SIDEBARTEXT"));
    }

    #[test]
    fn prefers_article_body_marker() {
        let body = format!(
            "<div class=\"page\"><div itemprop=\"articleBody\">{P1}{P2}{P3}</div>\
             <div class=\"more\"><p>Other prose below the article that is long enough, with commas, to score well.</p></div></div>"
        );
        let sel_text = extract_html(&page("", &body)).text;
        assert!(sel_text.contains("spear-phishing"));
        assert!(!sel_text.contains("Other prose"), "{sel_text}");
    }

    #[test]
    fn picks_the_article_with_most_prose_not_teasers() {
        let teaser =
            "<article><h2><a href=/x>Teaser headline</a></h2><p>Short teaser.</p></article>";
        let body = format!(
            "<main><div class=\"stream\">{teaser}{teaser}</div>{}{teaser}</main>",
            article("")
        );
        let d = extract_html(&page("", &body));
        assert!(d.text.contains("spear-phishing"));
        assert!(!d.text.contains("Teaser headline"), "{}", d.text);
    }

    #[test]
    fn main_column_is_narrowed_to_the_dense_block() {
        let stream: String = (0..6)
            .map(|i| format!("<div class=\"card\"><a href=\"/s{i}\">Story {i} headline for a teaser card</a><p>Summary of story {i}, short.</p></div>"))
            .collect();
        let body = format!("<main><div class=\"story\">{P1}{P2}{P3}</div><div class=\"feed\">{stream}</div></main>");
        let d = extract_html(&page("", &body));
        assert!(d.text.contains("reset credentials"));
        assert!(!d.text.contains("Story 3 headline"), "{}", d.text);
    }

    #[test]
    fn scores_unmarked_div_soup() {
        let links: String = (0..12)
            .map(|i| format!("<li><a href=\"/p{i}\">Menu entry number {i}</a></li>"))
            .collect();
        let body = format!(
            "<div id=\"a\"><ul>{links}</ul></div><div id=\"b\"><div>{P1}{P2}</div><div>{P3}{P1}</div></div>\
             <div id=\"c\"><p>Copyright notice.</p></div>"
        );
        let d = extract_html(&page("", &body));
        assert!(
            d.text.contains("spear-phishing") && d.text.contains("reset credentials"),
            "{}",
            d.text
        );
        assert!(!d.text.contains("Menu entry"), "{}", d.text);
    }

    #[test]
    fn an_anchor_left_open_does_not_make_the_article_a_link_list() {
        // "<a name=top/>": HTML ignores the slash, so the anchor wraps the
        // rest of the page. Without an href it is not a link.
        let links: String = (0..12)
            .map(|i| format!("<li><a href=\"/p{i}\">Menu entry number {i}</a></li>"))
            .collect();
        let body = format!(
            "<a name=\"top\"/><table><tr><td><ul>{links}</ul></td>\
             <td><font>{P1}{P2}{P3}</font></td></tr></table>"
        );
        let d = extract_html(&page("", &body));
        assert!(
            d.text.contains("spear-phishing") && d.text.contains("reset credentials"),
            "{}",
            d.text
        );
        assert!(!d.text.contains("Menu entry"), "{}", d.text);
    }
}
