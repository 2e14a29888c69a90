//! Cleaning: takes the chosen content ([`Choice`]) and gives the final
//! [`Selection`]: Readability's conditional cleaning drops the blocks inside
//! it that look like link lists, galleries, form remnants or embeds rather
//! than prose.

use std::sync::LazyLock;

use regex::Regex;

use super::arena::{Arena, Node};
use super::select::Choice;
use super::signals::{S_AUTHOR, S_BYLINE, S_CAPTION, S_IN_FIGURE, S_IN_LINK, S_IN_PRE};
use super::stats::{aggregate, SubtreeStats};
use super::tags::Tag;

/// The final content: what the text writer writes and where the metadata
/// reader looks.
pub(super) struct Selection {
    /// The chosen subtrees, in page order.
    pub(super) roots: Vec<u32>,
    /// Furniture removal (before conditional cleaning): metadata is never
    /// read from inside removed furniture.
    pub(super) furniture: Vec<bool>,
    /// Final removal decision per node (own flag; apply top-down).
    pub(super) removed: Vec<bool>,
    /// Characters of text left in the roots after conditional cleaning
    /// (before the furniture-line and teaser passes).
    pub(super) text_len: u32,
}

/// Cleans the chosen content: furniture stays removed, and the blocks
/// inside the roots that read as junk are removed too.
pub(super) fn clean(arena: &Arena, choice: Choice) -> Selection {
    let furniture = choice.removed.clone();
    let (mut removed, cleaned_stats) =
        clean_selection(arena, &choice.roots, choice.removed, &choice.stats);
    drop_furniture_lines(arena, &choice.roots, &mut removed, &cleaned_stats);
    drop_teaser_runs(arena, &choice.roots, &mut removed, &cleaned_stats);
    let text_len = choice
        .roots
        .iter()
        .map(|&r| cleaned_stats[r as usize].text)
        .sum();
    Selection {
        roots: choice.roots,
        furniture,
        removed,
        text_len,
    }
}

/// Readability's conditional cleaning, applied to the descendants of the
/// chosen roots: lists, tables, divs … that look like link lists, image
/// galleries, form remnants or embeds rather than prose are dropped. Runs
/// bottom-up so a container is judged after its inner junk is gone.
fn clean_selection(
    arena: &Arena,
    roots: &[u32],
    mut removed: Vec<bool>,
    stats: &[SubtreeStats],
) -> (Vec<bool>, Vec<SubtreeStats>) {
    let n = arena.nodes.len();
    let mut in_sel = vec![false; n];
    let mut is_root = vec![false; n];
    for &r in roots {
        is_root[r as usize] = true;
        for j in r..arena.nodes[r as usize].end {
            in_sel[j as usize] = true;
        }
    }
    // Containers holding a large share of the selection's prose are layout
    // wrappers whatever their class says ("panel-two-col-sidebar"): never
    // clean those away.
    let sel_good: u32 = roots.iter().map(|&r| stats[r as usize].good).sum();
    let (cleaned_stats, newly_removed) = aggregate(arena, &mut |i, a| {
        if removed[i] {
            return true;
        }
        if !in_sel[i] || is_root[i] {
            return false;
        }
        let node = &arena.nodes[i];
        if node.signals & S_IN_PRE != 0 {
            return false;
        }
        match node.tag {
            Tag::H(l) if l <= 2 => return node.class_weight < 0,
            Tag::Form
            | Tag::Fieldset
            | Tag::Table
            | Tag::Ul
            | Tag::Ol
            | Tag::Div
            | Tag::Section
            | Tag::Dl
            | Tag::Aside
            | Tag::Figure => {}
            _ => return false,
        }
        if a.good as u64 * 10 >= sel_good as u64 * 3 && a.good >= 200 {
            return false;
        }
        conditionally_remove(node, a)
    });
    for (r, r2) in removed.iter_mut().zip(newly_removed) {
        *r |= r2;
    }
    (removed, cleaned_stats)
}

/// Longest caption (in chars) read as a picture credit.
const CREDIT_MAX_CHARS: u32 = 150;
/// Longest byline- or date-classed block taken for a byline.
const BYLINE_MAX_CHARS: u32 = 200;
/// Longest block whose words alone can make it furniture, in chars and in
/// words (a sentence that happens to open with "Posted in" is longer).
const LINE_MAX_CHARS: u32 = 120;
const LINE_MAX_WORDS: usize = 14;
/// Longest block that a cookie notice can be.
const COOKIE_MAX_CHARS: u32 = 400;

/// A picture credit: "Photo: Jane Doe/Reuters", "Image courtesy of …",
/// "(AP Photo/John Roe)", "© Getty Images". Captions themselves are kept:
/// the four WCEB subsets count them as content (removing every caption cost
/// 0.002-0.006 ROUGE-LSum F1 on each), and in reports "Figure 3: the
/// infection chain" is content.
static PICTURE_CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\W*(?:(?:photo(?:graph)?s?|images?|pictures?|illustrations?|graphics?|video)(?:\s+(?:by|credit|courtesy(?:\s+of)?))?\s*[:/]|(?:photo|image)\s+(?:by|courtesy)\b|credits?\s*:|©|\(?\s*ap\s+photo\b|getty\s+images\s*$)",
    )
    .expect("re")
});

/// The words of a short block that is page furniture wherever it sits:
/// datelines and "posted by/in" lines, comment counts and prompts, related
/// and "read more" headings, share and follow prompts, newsletter and
/// sign-up calls, advertisement labels, previous/next links. Sites mark
/// these with every markup there is (or none), but they word them alike.
static FURNITURE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    const MONTH: &str = "(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\\.?";
    let date = format!(
        "(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\\.?,?\\s+)?\
         (?:\\d{{1,2}}(?:st|nd|rd|th)?\\s+{MONTH},?\\s+\\d{{4}}\
         |{MONTH}\\s+\\d{{1,2}}(?:st|nd|rd|th)?,?\\s+\\d{{4}}\
         |\\d{{1,4}}[./-]\\d{{1,2}}[./-]\\d{{1,4}})\
         (?:,?\\s+(?:at\\s+)?\\d{{1,2}}[:.]\\d{{2}}(?::\\d{{2}})?\\s*(?:[ap]\\.?m\\.?)?(?:\\s+[a-z]{{2,5}})?)?"
    );
    let lines = [
        // Datelines alone on their line.
        date.as_str(),
        "(?:posted|published|written|filed|updated|last\\s+updated|last\\s+modified|submitted)\
         (?:\\s+(?:on|in|by|at|under)\\b|\\s*:).*",
        "(?:filed\\s+under|tagged(?:\\s+with)?|tags|categories|category)\\s*:.*",
        // Comment counts and prompts.
        "\\d+\\s+(?:comments?|responses?|replies|reactions)\\b.*",
        "(?:no|view|show|read|hide)\\s+(?:all\\s+)?comments\\b.*",
        "(?:leave|post|add|write|submit)\\s+(?:a|your)\\s+(?:comment|reply|response)\\b.*",
        "(?:comments?|replies|responses|discussion)\\s*(?:\\(\\d+\\))?\\s*:?",
        // Related and "read more" headings.
        "(?:related|more|recommended|popular|trending|latest|top)\\s+\
         (?:posts?|articles?|stories|links|coverage|reading|news|videos?|content|topics)\\b.*",
        "(?:related|recommended|read\\s+next|up\\s+next|more\\s+from\\b.*)\\s*:?",
        "(?:read|see)\\s+(?:more|also|next)\\b.*",
        "you\\s+(?:may|might|will)\\s+also\\s+(?:like|enjoy|be\\s+interested)\\b.*",
        "most\\s+(?:read|popular|viewed|shared|emailed)\\b.*",
        // Share and follow prompts.
        "(?:share|tweet|pin\\s+it|email|print|save)(?:\\s+(?:this|on|via|to)\\b.*)?\\s*[:!]?",
        "(?:follow|like)\\s+(?:us|me)\\b.*",
        // Newsletter, sign-up and donation calls.
        "(?:subscribe|sign[\\s-]?up|register\\s+now|join\\s+our\\s+(?:mailing\\s+list|newsletter))\\b.*",
        "(?:get|receive)\\s+(?:our|the)\\s+(?:\\w+\\s+){0,3}newsletter\\b.*",
        "like\\s+what\\s+you\\s+read\\b.*",
        // Labels of advertisements and of cut articles.
        "(?:advertisement|advertising|sponsored(?:\\s+content)?|ad)",
        "(?:continue\\s+reading|story\\s+continues\\s+below|article\\s+continues\\s+below)\\b.*",
        // Previous/next and back links.
        "(?:[«‹<]\\s*)?(?:previous|next|older|newer)(?:\\s+(?:post|article|story|entry|page|posts|entries))?\\s*[:»›>]?\
         (?:\\s*(?:[«‹<]\\s*)?(?:previous|next|older|newer)(?:\\s+(?:post|article|story|entry|page|posts|entries))?\\s*[»›>]?)?",
        "(?:[«‹<]\\s*)?(?:previous|next)\\s+(?:post|article|story|entry)\\s*:.*",
        "back\\s+to\\s+(?:top|home|the\\s+top)\\b.*",
    ];
    Regex::new(&format!("(?i)^(?:{})$", lines.join("|"))).expect("re")
});

/// "By Jane Doe", "BY JANE DOE AND JOHN ROE | Reuters": a byline alone on
/// its line (a name of at most five words, then at most a source or a date).
static BYLINE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:By|BY|Written by|Words by|Story by|Author:|Authors:)\s+\p{Lu}[\p{L}.'’-]*(?:\s+(?:\p{Lu}[\p{L}.'’-]*|and|AND|&|de|van|von|der|da|,))*(?:\s*[,|·•–—-]\s*.{0,60})?$")
        .expect("re")
});

/// A cookie or consent notice.
static COOKIE_NOTICE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:(?:we|this\s+(?:web)?site|our\s+(?:web)?site|this\s+page)\s+uses?\s+cookies|(?:accept|agree\s+to|consent\s+to)\s+(?:the\s+use\s+of\s+|our\s+use\s+of\s+|all\s+)?cookies|cookie\s+(?:policy|settings|preferences))\b")
        .expect("re")
});

/// Drops the short blocks inside the chosen content that are furniture by
/// what they are or say: picture credits ([`PICTURE_CREDIT`]; captions
/// themselves stay), byline- and date-classed blocks, and lines worded as
/// furniture ([`FURNITURE_LINE`], [`BYLINE_LINE`], [`COOKIE_NOTICE`]). The metadata
/// reader still sees them (it reads dates and authors from the page, not
/// from the cleaned selection). Runs top-down and skips removed subtrees.
fn drop_furniture_lines(
    arena: &Arena,
    roots: &[u32],
    removed: &mut [bool],
    stats: &[SubtreeStats],
) {
    for &root in roots {
        let end = arena.nodes[root as usize].end;
        let mut i = root + 1;
        while i < end {
            let node = &arena.nodes[i as usize];
            let ix = i as usize;
            if node.tag == Tag::Text || removed[ix] || node.signals & S_IN_PRE != 0 {
                i = if removed[ix] { node.end } else { i + 1 };
                continue;
            }
            let a = &stats[ix];
            let block = matches!(
                node.tag,
                Tag::P
                    | Tag::Div
                    | Tag::Section
                    | Tag::Header
                    | Tag::Address
                    | Tag::OtherBlock
                    | Tag::Figcaption
                    | Tag::Figure
                    | Tag::H(_)
                    | Tag::Dd
            );
            // All the block's text is its own run of inline text.
            let leaf = block && a.inline_text == a.text && a.text > 0;
            let caption = node.signals & S_CAPTION != 0 && a.text <= CREDIT_MAX_CHARS;
            let byline =
                leaf && node.signals & (S_BYLINE | S_AUTHOR) != 0 && a.text <= BYLINE_MAX_CHARS;
            let short = leaf && a.text <= LINE_MAX_CHARS;
            // Only blocks that say "cookie" pay for the notice regex.
            let cookie = leaf
                && a.text <= COOKIE_MAX_CHARS
                && kept_text_nodes(arena, i, removed)
                    .any(|t| memchr::memmem::find(arena.text_of(t).as_bytes(), b"ookie").is_some());
            if a.text == 0 || !(caption || byline || short || cookie) {
                i += 1;
                continue;
            }
            let furniture = byline || {
                let text: String = kept_text_nodes(arena, i, removed)
                    .map(|t| arena.text_of(t))
                    .collect();
                let text = text.trim();
                (caption && PICTURE_CREDIT.is_match(text))
                    || (short
                        && text.split_whitespace().count() <= LINE_MAX_WORDS
                        && (FURNITURE_LINE.is_match(text) || BYLINE_LINE.is_match(text)))
                    || (cookie && COOKIE_NOTICE.is_match(text))
            };
            if furniture {
                removed[ix] = true;
                i = node.end;
            } else {
                i += 1;
            }
        }
    }
}

/// The text nodes of element `i`'s subtree outside removed elements, in
/// page order.
fn kept_text_nodes<'a>(
    arena: &'a Arena,
    i: u32,
    removed: &'a [bool],
) -> impl Iterator<Item = &'a Node> {
    let end = arena.nodes[i as usize].end;
    let mut j = i + 1;
    std::iter::from_fn(move || {
        while j < end {
            let node = &arena.nodes[j as usize];
            if node.tag == Tag::Text {
                j += 1;
                return Some(node);
            }
            j = if removed[j as usize] { node.end } else { j + 1 };
        }
        None
    })
}

/// Fewest alike siblings that make a run of teasers.
const TEASER_RUN: usize = 3;
/// Longest teaser: a linked headline and a summary of a few sentences.
const TEASER_MAX_CHARS: u32 = 700;

/// Drops runs of teasers inside the chosen content: three or more sibling
/// elements built alike (same tag and class) that each open with a link
/// (the headline of another story) and hold little more than a summary.
/// These are the "more stories", "related posts" and archive excerpts that
/// sit in the same column as the article and share its markup, so neither
/// a class word nor link density gives them away; their repetition does.
/// A run holding most of the content's prose is the content (an index
/// page) and stays.
fn drop_teaser_runs(arena: &Arena, roots: &[u32], removed: &mut [bool], stats: &[SubtreeStats]) {
    let sel_good: u32 = roots.iter().map(|&r| stats[r as usize].good).sum();
    let mut drop: Vec<u32> = Vec::new();
    // (kind: div 0, article 1, section 2; class; index)
    let mut cards: Vec<(u8, &str, u32)> = Vec::new();
    for &root in roots {
        let end = arena.nodes[root as usize].end;
        let mut p = root;
        // Top-down over the elements left, skipping removed subtrees.
        while p < end {
            let node = &arena.nodes[p as usize];
            if removed[p as usize] || node.signals & S_IN_PRE != 0 {
                p = node.end;
                continue;
            }
            p += 1;
            if node.tag == Tag::Text {
                continue;
            }
            // Card-like element children. Lists and tables of links are
            // content (reference lists, tables of contents): never cards.
            cards.clear();
            let mut c = p;
            while c < node.end {
                let child = &arena.nodes[c as usize];
                let kind = match child.tag {
                    Tag::Div => Some(0),
                    Tag::Article => Some(1),
                    Tag::Section => Some(2),
                    _ => None,
                };
                if let Some(kind) = kind.filter(|_| !removed[c as usize]) {
                    cards.push((kind, "", c));
                }
                c = child.end;
            }
            if cards.len() < TEASER_RUN {
                continue;
            }
            for card in cards.iter_mut() {
                card.1 = arena
                    .dom
                    .attr(arena.nodes[card.2 as usize].dom_node, "class")
                    .unwrap_or_default();
            }
            cards.sort_unstable();
            for group in cards.chunk_by(|a, b| a.0 == b.0 && a.1 == b.1) {
                if group.len() < TEASER_RUN {
                    continue;
                }
                let teasers: Vec<u32> = group
                    .iter()
                    .map(|card| card.2)
                    .filter(|&m| is_teaser(arena, m, &stats[m as usize], removed))
                    .collect();
                let good: u32 = teasers.iter().map(|&m| stats[m as usize].good).sum();
                if teasers.len() >= TEASER_RUN
                    && teasers.len() * 3 >= group.len() * 2
                    && (good as u64) * 10 < (sel_good as u64) * 6
                {
                    drop.extend(teasers);
                }
            }
        }
    }
    for m in drop {
        removed[m as usize] = true;
    }
}

/// Returns true if and only if element `m` reads as a teaser: short, and
/// its first words are a link of some length (a headline).
fn is_teaser(arena: &Arena, m: u32, a: &SubtreeStats, removed: &[bool]) -> bool {
    if a.text < 20 || a.text > TEASER_MAX_CHARS || a.link_tenths == 0 {
        return false;
    }
    // The leading run of link text.
    let link_chars: u32 = kept_text_nodes(arena, m, removed)
        .filter(|n| n.text_chars > 0)
        .take_while(|n| n.signals & S_IN_LINK != 0)
        .map(|n| n.text_chars)
        .sum();
    link_chars >= 15
}

/// Readability's verdict on one candidate block: returns true if and only
/// if it reads as junk (link list, gallery, form remnant, embed) by its
/// class weight and the statistics of what is left inside it.
fn conditionally_remove(node: &Node, a: &SubtreeStats) -> bool {
    let weight = node.class_weight as i32;
    if weight < 0 {
        return true;
    }
    if a.commas >= 10 {
        return false;
    }
    let is_list = matches!(node.tag, Tag::Ul | Tag::Ol)
        || (a.text > 0 && a.list_text as f32 / a.text as f32 > 0.9);
    let p = a.paragraphs as f32;
    let img = a.images as f32;
    let li = a.list_items as f32 - 100.0;
    let ld = a.link_density();
    let heading_density = if a.text > 0 {
        a.heading_text as f32 / a.text as f32
    } else {
        0.0
    };
    let len = a.text;
    let is_figure = node.signals & S_IN_FIGURE != 0;
    // A plain list of images (one per item) is a gallery, not junk.
    if is_list && a.list_items > 0 && a.images == a.list_items && len < 25 * a.list_items {
        return false;
    }
    if !is_figure && img > 1.0 && p / img < 0.5 {
        return true;
    }
    if !is_list && li > p {
        return true;
    }
    if a.inputs as f32 > (p / 3.0).floor() {
        return true;
    }
    if !is_list
        && !is_figure
        && heading_density < 0.9
        && len < 25
        && (a.images == 0 || a.images > 2)
        && ld > 0.0
    {
        return true;
    }
    if !is_list && weight < 25 && ld > 0.2 {
        return true;
    }
    if weight >= 25 && ld > 0.5 {
        return true;
    }
    if (a.embeds == 1 && len < 75) || a.embeds > 1 {
        return true;
    }
    false
}
#[cfg(test)]
mod tests {
    use crate::ingest::html::extract_html;
    use crate::ingest::html::test_pages::{article, page};

    #[test]
    fn cleans_link_blocks_inside_the_article_but_keeps_figures() {
        let links: String = (0..6)
            .map(|i| format!("<a href=\"/r{i}\">Read also story number {i}</a> "))
            .collect();
        let body = article(&format!(
            "<div class=\"inline-links\">{links}</div>\
             <figure><a href=\"#img\"><div class=\"ratio\"><picture><img src=\"a.jpg\" alt=\"x\"><img src=\"b.jpg\" alt=\"y\"></picture></div></a>\
             <figcaption>FIGCAPTION of the diagram</figcaption></figure>\
             <ul><li><a href=\"https://ioc.example/a\">https://ioc.example/a</a></li><li><a href=\"https://ioc.example/b\">https://ioc.example/b</a></li></ul>"
        ));
        let d = extract_html(&page("", &body));
        assert!(!d.text.contains("Read also"), "{}", d.text);
        assert!(d.text.contains("FIGCAPTION"), "{}", d.text);
        // Lists are kept even when they are all links (reference and IOC
        // lists are content in reports).
        assert!(d.text.contains("https://ioc.example/b"), "{}", d.text);
    }

    #[test]
    fn drops_furniture_lines_credits_and_cookie_notices_but_keeps_captions() {
        let body = article(
            "<div class=\"byline\">By Jane Doe | March 3, 2024</div>\
             <p>By Jane Doe and John Roe</p>\
             <p>Posted on March 3, 2024 by admin</p>\
             <h3>Related posts:</h3>\
             <p>Sign up for our weekly threat newsletter</p>\
             <p>Advertisement</p>\
             <p>« Previous post</p>\
             <div>This website uses cookies to improve your experience. Accept all cookies.</div>\
             <figure><img src=\"a.png\"><figcaption>Figure 2: the lure document opens a macro prompt</figcaption></figure>\
             <figure><img src=\"b.png\"><figcaption>Analysts at the operations centre on Monday.</figcaption></figure>\
             <p class=\"photo-credit\">Photo: Jane Doe/Reuters</p>\
             <p>Next, the actor moved laterally with stolen credentials, as the posted logs show.</p>\
             <p>Posted in the forum was a sample that the group later reused against three banks, which is longer than a line.</p>",
        );
        let d = extract_html(&page("", &body));
        for junk in [
            "By Jane Doe",
            "Posted on",
            "Related posts",
            "newsletter",
            "Advertisement",
            "Previous post",
            "cookies",
            "Reuters",
        ] {
            assert!(!d.text.contains(junk), "{junk} kept: {}", d.text);
        }
        for kept in [
            "Figure 2: the lure",
            "operations centre on Monday",
            "Next, the actor moved laterally",
            "Posted in the forum was a sample",
            "spear-phishing",
        ] {
            assert!(d.text.contains(kept), "{kept} lost: {}", d.text);
        }
    }

    #[test]
    fn drops_a_run_of_teaser_cards_but_keeps_link_lists() {
        let cards: String = (0..4)
            .map(|i| {
                format!(
                    "<div class=\"card\"><a href=\"/s{i}\">Other story number {i} headline</a>\
                     <p>A summary of another story, with a comma, number {i}.</p></div>"
                )
            })
            .collect();
        let refs: String = (0..4)
            .map(|i| format!("<li><a href=\"https://ref.example/{i}\">Vendor report {i} on the campaign</a> with notes</li>"))
            .collect();
        let body = article(&format!("<ul>{refs}</ul>{cards}"));
        let d = extract_html(&page("", &body));
        assert!(!d.text.contains("Other story number"), "{}", d.text);
        assert!(
            d.text.contains("Vendor report 3 on the campaign"),
            "{}",
            d.text
        );
        assert!(d.text.contains("reset credentials"), "{}", d.text);
    }
}
