//! HTML main-content and metadata extraction: turns one web page (news page,
//! vendor blog post) into its title, publication date, canonical URL, tags and
//! the plain text of the article alone, without menus, sidebars, comments,
//! share bars or scripts.
//!
//! The page is parsed once by html5ever into a flat DOM (`dom.rs`). One iterative
//! pre-order walk copies the DOM into a flat arena (`Vec<Nd>`, parents before
//! children, each subtree a contiguous index range) while reading metadata and
//! per-element signals. Every later step (boilerplate removal, scoring,
//! cleaning) is a linear pass over that arena: children have larger indices
//! than their parent, so a reverse loop is a bottom-up aggregation and a
//! forward loop a top-down one. Nothing recurses, so pages 100,000 elements
//! deep are fine (a linear pre-scan also caps block nesting before parsing,
//! because html5ever itself is quadratic in it). The chosen subtree is
//! finally written out as plain text by a small block-aware writer that lays
//! text out as html2text's raw mode does, at a fraction of its cost.
//!
//! Selection, in short: furniture (hidden elements, nav/aside/footer/form,
//! landmark roles, class/id words such as comment, share, related, sidebar)
//! is set aside; explicit article markers (itemprop=articleBody,
//! entry-content-like classes, `<article>`, `<main>`) are weighed against a
//! Readability-style text-density scoring; the winner is cleaned of
//! link-heavy and form-like blocks.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;
use serde_json::Value;

use super::date::{date_from_url, find_date_in_text, parse_date};
use super::dom::{self, Dom, NodeData, NodeId};
use crate::model::Article;

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
const NONE: u32 = u32::MAX;

// ---------------------------------------------------------------------------
// Tags
// ---------------------------------------------------------------------------

/// The element kinds the extractor reasons about; everything else is `Other`
/// (inline) or `OtherBlock`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Tag {
    Text,
    A,
    P,
    Div,
    Section,
    Article,
    Main,
    H(u8),
    Pre,
    Code,
    Td,
    Th,
    Table,
    Ul,
    Ol,
    Li,
    Dl,
    Dt,
    Dd,
    Blockquote,
    Img,
    Figure,
    Header,
    Footer,
    Nav,
    Aside,
    Form,
    Fieldset,
    Time,
    Address,
    /// `<br>`: a line break inside a block (a block for scoring).
    Br,
    Body,
    Html,
    Head,
    OtherBlock,
    Other,
}

impl Tag {
    /// Block-level elements end a run of inline text: text is credited to
    /// its nearest block ancestor, which is the "paragraph" that gets scored.
    fn is_block(self) -> bool {
        !matches!(
            self,
            Tag::Text | Tag::A | Tag::Code | Tag::Img | Tag::Time | Tag::Other
        )
    }
}

/// What to do with an element on sight, from its tag name alone.
enum Kind {
    Keep(Tag),
    /// Never content: not copied into the arena and cut from the rendering.
    Drop,
    /// Never content, but counted: form controls and embeds weigh in the
    /// "is this block boilerplate?" decision.
    DropInput,
    DropEmbed,
    /// Read for metadata, then dropped.
    Meta,
    Link,
    Title,
    Script,
}

fn classify_tag(name: &str) -> Kind {
    use Kind::*;
    match name {
        "a" => Keep(Tag::A),
        "p" => Keep(Tag::P),
        "div" => Keep(Tag::Div),
        "section" => Keep(Tag::Section),
        "article" => Keep(Tag::Article),
        "main" => Keep(Tag::Main),
        "h1" => Keep(Tag::H(1)),
        "h2" => Keep(Tag::H(2)),
        "h3" => Keep(Tag::H(3)),
        "h4" => Keep(Tag::H(4)),
        "h5" => Keep(Tag::H(5)),
        "h6" => Keep(Tag::H(6)),
        "pre" => Keep(Tag::Pre),
        "code" => Keep(Tag::Code),
        "td" => Keep(Tag::Td),
        "th" => Keep(Tag::Th),
        "table" => Keep(Tag::Table),
        "ul" => Keep(Tag::Ul),
        "ol" => Keep(Tag::Ol),
        "li" => Keep(Tag::Li),
        "dl" => Keep(Tag::Dl),
        "dt" => Keep(Tag::Dt),
        "dd" => Keep(Tag::Dd),
        "blockquote" => Keep(Tag::Blockquote),
        "img" => Keep(Tag::Img),
        "figure" => Keep(Tag::Figure),
        "header" => Keep(Tag::Header),
        "footer" => Keep(Tag::Footer),
        "nav" => Keep(Tag::Nav),
        "aside" => Keep(Tag::Aside),
        "form" => Keep(Tag::Form),
        "fieldset" => Keep(Tag::Fieldset),
        "time" => Keep(Tag::Time),
        "address" => Keep(Tag::Address),
        "br" => Keep(Tag::Br),
        "body" => Keep(Tag::Body),
        "html" => Keep(Tag::Html),
        "head" => Keep(Tag::Head),
        "tr" | "tbody" | "thead" | "tfoot" | "caption" | "figcaption" | "center" | "details"
        | "summary" | "hr" | "ruby" | "menu" | "dialog" | "hgroup" | "colgroup" => {
            Keep(Tag::OtherBlock)
        }
        "script" => Script,
        "meta" => Meta,
        "link" => Link,
        "title" => Title,
        "style" | "noscript" | "template" | "svg" | "canvas" | "map" | "base" | "noembed"
        | "noframes" | "datalist" | "option" | "optgroup" | "source" | "track" | "param"
        | "area" | "frameset" | "frame" => Drop,
        "input" | "button" | "select" | "textarea" | "label" | "output" | "progress" | "meter" => {
            DropInput
        }
        "iframe" | "object" | "embed" | "video" | "audio" | "applet" => DropEmbed,
        _ => Keep(Tag::Other),
    }
}

// ---------------------------------------------------------------------------
// Class / id signals
// ---------------------------------------------------------------------------

/// Removal reasons (bits of `Nd::rm`).
const RM_HIDDEN: u8 = 1; // hidden attr, aria-hidden, display:none: never shown
const RM_LAYOUT: u8 = 2; // nav/aside/footer/header/form, layout roles & classes
const RM_BOILER: u8 = 4; // comments, share bars, related lists, ads …
const RM_COMMENT: u8 = 8; // subset of BOILER: user comments (never restored)
/// Reasons that only apply in the strict pass (Readability's "strip
/// unlikely candidates" flag).
const RM_CLASS: u8 = RM_LAYOUT | RM_BOILER;

/// Per-element signal bits (`Nd::sig`).
const S_POSITIVE: u16 = 1; // class/id word that marks content
const S_MARK_BODY: u16 = 2; // explicit article-body marker (itemprop, entry-content …)
const S_MARK_ARTICLE: u16 = 4; // <article>
const S_MARK_MAIN: u16 = 8; // <main>, role=main, id=content …
const S_BYLINE: u16 = 16; // byline/date/meta-ish element (metadata only)
const S_IN_LINK: u16 = 32; // text node inside <a>
const S_HASH_LINK: u16 = 64; // text node inside <a href="#…"> (weighs less)
const S_AUTHOR: u16 = 128; // rel=author / itemprop=author / class byline (Readability drops it)
const S_REL_TAG: u16 = 256; // <a rel=tag>
const S_SIDEBARISH: u16 = 512; // nav/aside/sidebar/comment: never a metadata source
const S_IN_PRE: u16 = 1024; // inside <pre>/<code>: never cleaned away
const S_IN_FIGURE: u16 = 2048; // inside <figure>: image wrappers are fine there
/// Signals inherited by descendants.
const S_IN_ARTICLE: u16 = 4096; // inside <article> or an article-body marker
const S_INHERITED: u16 =
    S_IN_LINK | S_HASH_LINK | S_SIDEBARISH | S_IN_PRE | S_IN_FIGURE | S_IN_ARTICLE;

#[derive(Default)]
struct ClassInfo {
    positive: bool,
    math: bool,
    layout: bool,
    weak_neg: bool,
    boiler: bool,
    comment: bool,
    mark_body: bool,
    mark_main: bool,
    byline: bool,
    author: bool,
    /// Readability's class weight: +25 per positive attribute, -25 per
    /// negative one.
    weight: i32,
}

/// Classification of one lowercased word taken from a class or id.
#[derive(PartialEq)]
enum Word {
    None,
    Positive,
    /// Page furniture (sidebars, menus, footers). May be overruled when the
    /// element turns out to hold most of the page's text (a layout wrapper
    /// such as Genesis' "content-sidebar-wrap").
    Layout,
    /// Only negative when no positive word is present ("entry-header" is
    /// the article's own header, "site-header" is not).
    WeakNeg,
    Boiler,
    Comment,
    /// CSS state words: lower the class weight only.
    Hidden,
    /// Metadata-ish (dates, bylines): not removed, but read for the date.
    Byline,
    Author,
}

fn classify_word(w: &str) -> Word {
    use Word::*;
    match w {
        "article" | "articles" | "body" | "content" | "contents" | "entry" | "hentry" | "main"
        | "post" | "story" | "text" | "blog" | "prose" | "articlebody" | "postbody"
        | "storybody" | "entrycontent" | "postcontent" => Positive,
        "sidebar" | "sidebars" | "nav" | "navbar" | "navigation" | "menu" | "menus" | "submenu"
        | "megamenu" | "footer" | "masthead" | "toolbar" | "topbar" | "breadcrumb"
        | "breadcrumbs" | "skyscraper" | "leftcol" | "rightcol" | "rail" | "drawer"
        | "offcanvas" | "sitemap" => Layout,
        "header" | "banner" | "print" | "utility" | "extra" => WeakNeg,
        // CSS state classes ("hidden-xs", "hideOnInit" on a collapsed
        // "read more" part) do not reliably mean invisible: they only
        // lower the class weight.
        "meta" | "hidden" | "hide" | "dnone" | "invisible" | "collapsed" | "collapse" => Hidden,
        "comment" | "comments" | "commentlist" | "disqus" | "reply" | "replies" | "respond"
        | "discussion" | "discuss" | "shoutbox" => Comment,
        "related" | "relatedposts" | "recommend" | "recommended" | "recommendation"
        | "recommendations" | "recirculation" | "recirc" | "share" | "shares" | "sharing"
        | "sharethis" | "sharebar" | "addthis" | "social" | "socials" | "newsletter"
        | "subscribe" | "subscription" | "signup" | "cookie" | "cookies" | "consent" | "gdpr"
        | "pagination" | "pager" | "outbrain" | "taboola" | "promo" | "promos" | "promotion"
        | "promoted" | "sponsor" | "sponsored" | "sponsors" | "advert" | "adverts"
        | "advertisement" | "advertising" | "ad" | "ads" | "adv" | "adsense" | "adslot"
        | "adunit" | "adwrap" | "adwrapper" | "adcontainer" | "dfp" | "popup" | "modal"
        | "widget" | "widgets" | "trending" | "popular" | "mostread" | "mostpopular" | "rss"
        | "login" | "signin" | "bio" | "authorbio" | "tags" | "tagcloud" | "taglist"
        | "jumplinks" | "paywall" | "agegate" | "supplemental" | "outstream" | "donate"
        | "lightbox" | "skip" | "copyright" | "cta" | "adsbygoogle" | "authorbox"
        | "aboutauthor" | "abouttheauthor" | "authorinfo" => Boiler,
        "byline" | "dateline" | "date" | "dates" | "posted" | "published" | "pubdate"
        | "timestamp" | "time" | "entrydate" | "postdate" | "postmeta" | "entrymeta" => Byline,
        "author" | "authors" | "writtenby" => Author,
        _ => None,
    }
}

/// Compound class tokens (lowercased, separators removed) that name the
/// article body explicitly in common CMS themes and news sites.
const BODY_MARKERS: [&str; 22] = [
    "articlebody",
    "articlecontent",
    "articletext",
    "articleentry",
    "entrycontent",
    "entrybody",
    "entrytext",
    "postcontent",
    "postbody",
    "posttext",
    "postentry",
    "storybody",
    "storycontent",
    "storytext",
    "contentbody",
    "bodytext",
    "blogpostbody",
    "blogpostcontent",
    "fieldnamebody",
    "richtextarticle",
    "newsarticlebody",
    "articlecopy",
];
/// Broad "main column" markers: weaker than a body marker.
const MAIN_MARKERS: [&str; 4] = [
    "maincontent",
    "pagecontent",
    "primarycontent",
    "sitecontent",
];

/// Naive substring test: class tokens are a few dozen bytes, too short for
/// a real searcher to pay off.
fn has_any(h: &[u8], needles: &[&[u8]]) -> bool {
    needles
        .iter()
        .any(|n| h.len() >= n.len() && h.windows(n.len()).any(|w| w == *n))
}

/// Analyses one class or id attribute value and accumulates into `ci`.
/// Allocation-free: runs for every element of every page.
fn analyze_class(value: &str, ci: &mut ClassInfo) {
    let mut pos = false;
    let mut neg = false;
    let mut low = [0u8; 64];
    let mut comp = [0u8; 64];
    for token in value.split_ascii_whitespace() {
        let tb = token.as_bytes();
        if tb.len() > 64 {
            continue; // generated hashes carry no meaning
        }
        let mut cl = 0;
        for (i, &b) in tb.iter().enumerate() {
            let l = b.to_ascii_lowercase();
            low[i] = l;
            if b.is_ascii_alphanumeric() {
                comp[cl] = l;
                cl += 1;
            }
        }
        let lower = &low[..tb.len()];
        let compound = std::str::from_utf8(&comp[..cl]).unwrap_or("");
        // Taxonomy and state classes say what the article is *about* or how
        // it is laid out (WordPress: "tag-social-media", "category-ads",
        // "has-sidebar"), not what the element is.
        let first_len = lower
            .iter()
            .position(|&b| b == b'-' || b == b'_')
            .unwrap_or(lower.len());
        if first_len < lower.len() {
            let first = &lower[..first_len];
            if matches!(
                first,
                b"tag"
                    | b"category"
                    | b"categories"
                    | b"cat"
                    | b"topic"
                    | b"format"
                    | b"type"
                    | b"status"
                    | b"has"
                    | b"with"
                    | b"no"
                    | b"without"
                    | b"postid"
                    | b"author"
                    | b"is"
            ) {
                if first == b"author" {
                    ci.author = true;
                }
                continue;
            }
        }
        // Rendered formulas (MathJax, KaTeX) carry UI classes such as
        // "CtxtMenu_Attached" but are content.
        if compound.starts_with("mathjax")
            || compound.starts_with("mjx")
            || compound.starts_with("katex")
        {
            ci.math = true;
        }
        if compound.len() >= 8
            && has_any(
                compound.as_bytes(),
                &[b"body", b"content", b"text", b"entry", b"copy"],
            )
        {
            // `has_any`, not `str::contains`: the haystack is a few dozen
            // bytes, and `contains` sets up a two-way searcher per needle.
            let cb = compound.as_bytes();
            if BODY_MARKERS.iter().any(|m| has_any(cb, &[m.as_bytes()])) {
                ci.mark_body = true;
            }
            if MAIN_MARKERS.iter().any(|m| has_any(cb, &[m.as_bytes()])) {
                ci.mark_main = true;
            }
        } else if compound == "content" {
            ci.mark_main = true;
        }
        let mut kinds = |w: &str| match classify_word(w) {
            Word::Positive => pos = true,
            Word::Layout => {
                ci.layout = true;
                neg = true
            }
            Word::WeakNeg => {
                ci.weak_neg = true;
                neg = true
            }
            Word::Boiler => {
                ci.boiler = true;
                neg = true
            }
            Word::Comment => {
                ci.comment = true;
                neg = true
            }
            Word::Hidden => neg = true,
            Word::Byline => ci.byline = true,
            Word::Author => ci.author = true,
            Word::None => {}
        };
        kinds(compound);
        // Words: split on separators and on camelCase humps of the
        // original token ("shareButtons" -> share, buttons). What follows a
        // state word is a modifier describing the element
        // ("fig--has-shares", "is-sticky-nav"), not what it is.
        let mut nwords = 0;
        let mut start = 0;
        let mut words: [(u8, u8); 12] = [(0, 0); 12];
        for i in 0..=tb.len() {
            let boundary = i == tb.len()
                || !tb[i].is_ascii_alphanumeric()
                || (i > start && tb[i].is_ascii_uppercase() && tb[i - 1].is_ascii_lowercase());
            if boundary {
                if i > start && nwords < words.len() {
                    words[nwords] = (start as u8, i as u8);
                    nwords += 1;
                }
                start = if i < tb.len() && !tb[i].is_ascii_alphanumeric() {
                    i + 1
                } else {
                    i
                };
            }
        }
        if nwords > 1 {
            for &(s0, e0) in &words[..nwords] {
                let w = std::str::from_utf8(&lower[s0 as usize..e0 as usize]).unwrap_or("");
                if matches!(
                    w,
                    "has" | "with" | "without" | "no" | "is" | "show" | "enable" | "enabled"
                ) {
                    break;
                }
                kinds(w);
            }
        }
    }
    if pos {
        ci.positive = true;
        ci.weight += 25;
    }
    if neg {
        ci.weight -= 25;
    }
}

// ---------------------------------------------------------------------------
// Arena
// ---------------------------------------------------------------------------

/// One DOM node in the flat arena.
struct Nd {
    /// The node in the DOM.
    node: NodeId,
    parent: u32,
    /// One past the last descendant: the subtree is `self_index..end`.
    end: u32,
    tag: Tag,
    /// Removal reasons (RM_*) of this element itself.
    rm: u8,
    sig: u16,
    /// Readability class weight.
    cw: i16,
    /// Text nodes: collapsed length in chars and commas.
    tlen: u32,
    commas: u32,
    /// Text nodes: byte range in `Arena::text`.
    tstart: u32,
    tend: u32,
    /// Text nodes: the page had white space right before this text (a
    /// whitespace-only node, which the arena does not keep).
    space_before: bool,
    /// Elements: dropped form controls / embeds directly inside.
    inputs: u16,
    embeds: u16,
}

/// Metadata gathered during the walk.
#[derive(Default)]
struct Meta {
    /// (lowercased key, content) for every `<meta>` key (name, property,
    /// itemprop, http-equiv; space-separated keys are split).
    metas: Vec<(String, String)>,
    canonical: Option<String>,
    title: Option<String>,
    jsonld: Vec<String>,
    /// Elements carrying `itemprop=datePublished`: (index, value attr).
    itemprop_dates: Vec<(u32, String)>,
    /// `<time>` elements: (index, datetime attr, has pubdate).
    times: Vec<(u32, String, bool)>,
}

struct Arena {
    dom: Dom,
    n: Vec<Nd>,
    text: String,
    meta: Meta,
    body: u32,
}

struct Frame {
    node: NodeId,
    parent: u32,
    sig: u16,
    in_head: bool,
}

/// Appends the text of a text node (entities decoded), with HTML white
/// space collapsed when `collapse` (a no-break space counts as white space
/// then), to `out`; returns (chars, commas).
fn append_text(s: &str, out: &mut String, collapse: bool) -> (u32, u32) {
    let b = s.as_bytes();
    let mut chars = 0u32;
    let mut commas = 0u32;
    let mut last_space = out.is_empty() || out.ends_with(' ');
    let mut pending = false;
    // Byte walk: plain runs are copied in one go; only white space needs
    // attention.
    let mut run = 0usize;
    let mut i = 0usize;
    while i < b.len() {
        if !pending {
            // Fast path: printable ASCII other than ',' is one char that
            // needs nothing else.
            let plain = b[i..]
                .iter()
                .take_while(|&&c| c > b' ' && c < 0x7f && c != b',')
                .count();
            if plain > 0 {
                chars += plain as u32;
                last_space = false;
                i += plain;
                continue;
            }
        }
        let c = b[i];
        if collapse {
            let ws = match c {
                b' ' | b'\t' | b'\n' | b'\r' | 0x0c => 1,
                0xC2 if b.get(i + 1) == Some(&0xA0) => 2,
                _ => 0,
            };
            if ws > 0 {
                out.push_str(&s[run..i]);
                pending |= !last_space;
                i += ws;
                run = i;
                continue;
            }
        }
        if pending {
            // `run` starts here: the white space before was skipped.
            out.push(' ');
            chars += 1;
            pending = false;
        }
        if c & 0xC0 != 0x80 {
            chars += 1;
        }
        // ',' and the CJK/Arabic commas (，、،) count as clause breaks.
        if c == b','
            || (c == 0xEF && b.get(i + 1) == Some(&0xBC) && b.get(i + 2) == Some(&0x8C))
            || (c == 0xE3 && b.get(i + 1) == Some(&0x80) && b.get(i + 2) == Some(&0x81))
            || (c == 0xD8 && b.get(i + 1) == Some(&0x8C))
        {
            commas += 1;
        }
        last_space = false;
        i += 1;
    }
    out.push_str(&s[run..]);
    if pending {
        out.push(' ');
    }
    (chars, commas)
}

/// `role` values that matter.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
enum Role {
    #[default]
    None,
    Layout,
    Boiler,
    Main,
}

/// The attributes of one element that the extractor cares about, reduced
/// to flags while the attribute list is borrowed (no per-element string
/// copies in the hot loop).
#[derive(Default)]
struct Attrs {
    ci: ClassInfo,
    role: Role,
    ip_body: bool,
    ip_date: bool,
    ip_author: bool,
    rel_tag: bool,
    rel_author: bool,
    rel_canonical: bool,
    href_hash: bool,
    pubdate: bool,
    hidden: bool,
    aria_hidden: bool,
    style_hidden: bool,
    fallback_img: bool,
    ld_json: bool,
    content: Option<String>,
    datetime: Option<String>,
    href: Option<String>,
    meta_keys: Vec<String>,
}

impl Attrs {
    /// Never shown: the `hidden` attribute, `aria-hidden` or `display:none`.
    /// Wikipedia's formula images are aria-hidden but are the visible
    /// rendering (Readability makes the same exception).
    fn is_hidden(&self) -> bool {
        self.hidden || (self.aria_hidden && !self.fallback_img) || self.style_hidden
    }
}

fn has_word_ci(list: &str, word: &str) -> bool {
    list.split_ascii_whitespace()
        .any(|w| w.eq_ignore_ascii_case(word))
}

fn read_attrs(dom: &Dom, id: NodeId, want_meta: bool) -> Attrs {
    let mut a = Attrs::default();
    let NodeData::Element { attrs, .. } = &dom.node(id).data else {
        return a;
    };
    for at in attrs {
        let v: &str = &at.value;
        match &*at.name.local {
            "class" => {
                analyze_class(v, &mut a.ci);
                a.fallback_img = has_any(v.as_bytes(), &[b"fallback-image"]);
            }
            "id"
                // Ids of four words or more are slugs of a heading
                // ("sharing-with-a-single-developer"), not names.
                if v.split(['-', '_']).filter(|w| !w.is_empty()).count() < 4 => {
                    analyze_class(v, &mut a.ci);
                }
            "role" => {
                let r = v.trim();
                let is = |x: &str| r.eq_ignore_ascii_case(x);
                a.role = if is("navigation") || is("banner") || is("contentinfo") || is("complementary")
                    || is("search") || is("menu") || is("menubar") || is("toolbar") || is("tablist")
                {
                    Role::Layout
                } else if is("dialog") || is("alertdialog") || is("alert") || is("tooltip") {
                    Role::Boiler
                } else if is("main") {
                    Role::Main
                } else {
                    Role::None
                };
            }
            "itemprop" => {
                a.ip_body = has_word_ci(v, "articleBody") || has_word_ci(v, "reviewBody");
                a.ip_date = has_word_ci(v, "datePublished");
                a.ip_author = v.contains("author");
                if want_meta {
                    for k in v.split_ascii_whitespace() {
                        a.meta_keys.push(k.to_ascii_lowercase());
                    }
                }
            }
            "rel" => {
                a.rel_tag = has_word_ci(v, "tag");
                a.rel_author = has_word_ci(v, "author");
                a.rel_canonical = has_word_ci(v, "canonical");
            }
            "href" => {
                a.href_hash = v.starts_with('#');
                if want_meta {
                    a.href = Some(v.trim().to_string());
                }
            }
            "content" => a.content = Some(v.to_string()),
            "datetime" => a.datetime = Some(v.to_string()),
            "pubdate" => a.pubdate = true,
            "hidden" => a.hidden = true,
            "aria-hidden" => a.aria_hidden = v.trim().eq_ignore_ascii_case("true"),
            "style"
                if (v.contains("none") || v.contains("hidden")) => {
                    let s: String = v
                        .chars()
                        .filter(|c| !c.is_whitespace())
                        .map(|c| c.to_ascii_lowercase())
                        .collect();
                    a.style_hidden = s.contains("display:none") || s.contains("visibility:hidden");
                }
            "name" | "property" | "http-equiv" if want_meta => {
                for k in v.split_ascii_whitespace() {
                    a.meta_keys.push(k.to_ascii_lowercase());
                }
            }
            "type" => a.ld_json = v.to_ascii_lowercase().contains("ld+json"),
            _ => {}
        }
    }
    a
}

/// Raw text content of an element whose children are text (title, script).
fn child_text(dom: &Dom, id: NodeId, collapse: bool) -> String {
    let mut out = String::new();
    for c in dom.children(id) {
        if let NodeData::Text(t) = &dom.node(c).data {
            append_text(t, &mut out, collapse);
        }
    }
    out
}

fn build_arena(dom: Dom) -> Arena {
    let mut ar = Arena {
        dom,
        n: Vec::with_capacity(4096),
        text: String::with_capacity(64 * 1024),
        meta: Meta::default(),
        body: NONE,
    };
    let mut stack: Vec<Frame> = Vec::with_capacity(256);
    let mut space_pending = false;
    // The document node's children (doctype, <html>) are the roots.
    for c in ar.dom.children(dom::DOCUMENT).rev() {
        stack.push(Frame {
            node: c,
            parent: NONE,
            sig: 0,
            in_head: false,
        });
    }
    while let Some(f) = stack.pop() {
        let idx = ar.n.len() as u32;
        let dom = &ar.dom;
        match &dom.node(f.node).data {
            NodeData::Element { name, .. } => {
                let kind = classify_tag(&name.local);
                let tag = match kind {
                    Kind::Keep(t) => t,
                    Kind::Drop => {
                        continue;
                    }
                    Kind::DropInput => {
                        if f.parent != NONE {
                            let p = &mut ar.n[f.parent as usize];
                            p.inputs = p.inputs.saturating_add(1);
                        }
                        continue;
                    }
                    Kind::DropEmbed => {
                        if f.parent != NONE {
                            let p = &mut ar.n[f.parent as usize];
                            p.embeds = p.embeds.saturating_add(1);
                        }
                        continue;
                    }
                    Kind::Meta => {
                        let a = read_attrs(dom, f.node, true);
                        if let Some(c) = a.content {
                            let c = c.trim().to_string();
                            if !c.is_empty() {
                                for k in a.meta_keys {
                                    ar.meta.metas.push((k, c.clone()));
                                }
                            }
                        }
                        continue;
                    }
                    Kind::Link => {
                        let a = read_attrs(dom, f.node, true);
                        if ar.meta.canonical.is_none() && a.rel_canonical {
                            ar.meta.canonical = a.href.filter(|h| !h.is_empty());
                        }
                        continue;
                    }
                    Kind::Title => {
                        if ar.meta.title.is_none() {
                            let t = child_text(dom, f.node, true);
                            if !t.trim().is_empty() {
                                ar.meta.title = Some(t);
                            }
                        }
                        continue;
                    }
                    Kind::Script => {
                        let a = read_attrs(dom, f.node, false);
                        if a.ld_json && ar.meta.jsonld.len() < 32 {
                            ar.meta.jsonld.push(child_text(dom, f.node, false));
                        }
                        continue;
                    }
                };
                let a = read_attrs(dom, f.node, false);
                let ci = &a.ci;
                let mut rm = 0u8;
                let mut sig = f.sig & S_INHERITED;
                if a.is_hidden() {
                    rm |= RM_HIDDEN;
                }
                if f.in_head || tag == Tag::Head {
                    rm |= RM_HIDDEN;
                }
                let is_root = matches!(tag, Tag::Body | Tag::Html);
                // Tag-based furniture.
                match tag {
                    Tag::Nav | Tag::Aside | Tag::Footer | Tag::Form => rm |= RM_LAYOUT,
                    // A <header> inside an article is the article's own
                    // header (headline, standfirst, byline), not the site's.
                    Tag::Header if f.sig & S_IN_ARTICLE == 0 => rm |= RM_LAYOUT,
                    _ => {}
                }
                match a.role {
                    Role::Layout => rm |= RM_LAYOUT,
                    Role::Boiler => rm |= RM_BOILER,
                    Role::Main => sig |= S_MARK_MAIN,
                    Role::None => {}
                }
                // Syntax highlighters mark code comments as "comment"
                // ("hljs-comment", "token comment"): inside code, classes
                // style tokens and say nothing about page structure.
                let in_code = f.sig & S_IN_PRE != 0;
                // Links are words of their sentence ("popup" glossary links
                // in prose); Readability exempts them too. Share buttons
                // go with their container.
                if !is_root && !ci.math && !in_code && tag != Tag::A {
                    if ci.comment {
                        rm |= RM_BOILER | RM_COMMENT;
                    }
                    if ci.boiler {
                        rm |= RM_BOILER;
                    }
                    if ci.layout || (ci.weak_neg && !ci.positive) {
                        rm |= RM_LAYOUT;
                    }
                }
                if ci.positive {
                    sig |= S_POSITIVE;
                }
                if a.ip_body || (ci.mark_body && !ci.comment && !ci.boiler) {
                    sig |= S_MARK_BODY;
                }
                if tag == Tag::Article && rm & RM_CLASS == 0 {
                    sig |= S_MARK_ARTICLE;
                }
                if sig & (S_MARK_ARTICLE | S_MARK_BODY) != 0 {
                    sig |= S_IN_ARTICLE;
                }
                if (tag == Tag::Main || ci.mark_main) && rm & RM_BOILER == 0 {
                    sig |= S_MARK_MAIN;
                }
                if ci.byline || tag == Tag::Time || tag == Tag::Address {
                    sig |= S_BYLINE;
                }
                if ci.author || a.rel_author || a.ip_author {
                    sig |= S_AUTHOR;
                }
                if tag == Tag::A {
                    if a.rel_tag {
                        sig |= S_REL_TAG;
                    }
                    sig |= S_IN_LINK;
                    if a.href_hash {
                        sig |= S_HASH_LINK;
                    }
                }
                if matches!(tag, Tag::Pre | Tag::Code) {
                    sig |= S_IN_PRE;
                }
                if tag == Tag::Figure {
                    sig |= S_IN_FIGURE;
                }
                if matches!(tag, Tag::Nav | Tag::Aside) || (ci.comment && !is_root) {
                    sig |= S_SIDEBARISH;
                }
                if tag == Tag::Body && ar.body == NONE {
                    ar.body = idx;
                }
                // Metadata-bearing elements are remembered by index; whether
                // they count depends on where the article ends up.
                if a.ip_date {
                    let v = a
                        .content
                        .clone()
                        .or_else(|| a.datetime.clone())
                        .unwrap_or_default();
                    ar.meta.itemprop_dates.push((idx, v));
                }
                if tag == Tag::Time {
                    ar.meta
                        .times
                        .push((idx, a.datetime.clone().unwrap_or_default(), a.pubdate));
                }
                ar.n.push(Nd {
                    node: f.node,
                    parent: f.parent,
                    end: idx + 1,
                    tag,
                    rm,
                    sig,
                    cw: a.ci.weight.clamp(-100, 100) as i16,
                    tlen: 0,
                    commas: 0,
                    tstart: 0,
                    tend: 0,
                    space_before: false,
                    inputs: 0,
                    embeds: 0,
                });
                let in_head = f.in_head || tag == Tag::Head;
                for c in dom.children(f.node).rev() {
                    stack.push(Frame {
                        node: c,
                        parent: idx,
                        sig,
                        in_head,
                    });
                }
            }
            NodeData::Document | NodeData::Other => {}
            NodeData::Text(t) => {
                // Text (doctype and processing instructions only occur at
                // the top level, outside any element).
                if f.parent == NONE || f.in_head {
                    continue;
                }
                let tstart = ar.text.len();
                let (tlen, commas) = append_text(t, &mut ar.text, true);
                if tlen == 0 {
                    // White space only: not a node, but the next text on
                    // the same line is spaced from the previous one.
                    ar.text.truncate(tstart);
                    space_pending = true;
                    continue;
                }
                ar.n.push(Nd {
                    node: f.node,
                    parent: f.parent,
                    end: idx + 1,
                    tag: Tag::Text,
                    rm: 0,
                    sig: f.sig & S_INHERITED,
                    cw: 0,
                    tlen,
                    commas,
                    tstart: tstart as u32,
                    tend: ar.text.len() as u32,
                    space_before: std::mem::take(&mut space_pending),
                    inputs: 0,
                    embeds: 0,
                });
            }
        }
    }
    // Subtree ends: a child's range closes inside its parent's.
    for i in (0..ar.n.len()).rev() {
        let p = ar.n[i].parent;
        if p != NONE {
            let e = ar.n[i].end;
            if e > ar.n[p as usize].end {
                ar.n[p as usize].end = e;
            }
        }
    }
    ar
}

// ---------------------------------------------------------------------------
// Aggregates
// ---------------------------------------------------------------------------

/// Subtree statistics of one element, over the nodes that survive removal.
#[derive(Clone, Copy, Default)]
struct Agg {
    text: u32,
    /// Link text, in tenths of a char (links to "#…" weigh 0.3).
    link10: u32,
    commas: u32,
    /// Inline text of this element not inside a child block (the
    /// "paragraph" text this element owns).
    inl: u32,
    inl_commas: u32,
    inl_link10: u32,
    /// Text in paragraphs of at least 25 chars with few links: the "article
    /// prose" measure used to compare candidate containers.
    good: u32,
    p: u32,
    img: u32,
    li: u32,
    inputs: u32,
    embeds: u32,
    heading: u32,
    list_text: u32,
}

impl Agg {
    fn link_density(&self) -> f32 {
        if self.text == 0 {
            0.0
        } else {
            (self.link10 as f32 / 10.0) / self.text as f32
        }
    }
}

/// Bottom-up aggregation in one reverse pass. `removed(i)` says whether
/// node i (with its subtree) is left out; it sees the node's finished
/// aggregate, so a decision can depend on the node's own (cleaned) content,
/// as Readability's conditional cleaning does when it walks backwards.
fn aggregate(ar: &Arena, removed: &mut dyn FnMut(usize, &Agg) -> bool) -> (Vec<Agg>, Vec<bool>) {
    let n = ar.n.len();
    let mut agg = vec![Agg::default(); n];
    let mut rmv = vec![false; n];
    for i in (0..n).rev() {
        let nd = &ar.n[i];
        let mut a = agg[i];
        if nd.tag == Tag::Text {
            a.text = nd.tlen;
            a.commas = nd.commas;
            if nd.sig & S_IN_LINK != 0 {
                a.link10 = if nd.sig & S_HASH_LINK != 0 {
                    nd.tlen * 3
                } else {
                    nd.tlen * 10
                };
            }
            a.inl = a.text;
            a.inl_commas = a.commas;
            a.inl_link10 = a.link10;
        } else {
            a.inputs += nd.inputs as u32;
            a.embeds += nd.embeds as u32;
            match nd.tag {
                Tag::P => a.p += 1,
                Tag::Img => a.img += 1,
                Tag::Li => a.li += 1,
                Tag::Ul | Tag::Ol => a.list_text = a.text,
                Tag::H(_) => a.heading = a.text,
                _ => {}
            }
            if nd.tag.is_block() && a.inl >= 25 && a.inl_link10 < a.inl * 5 {
                a.good += a.inl - a.inl_link10 / 10;
            }
        }
        agg[i] = a;
        if removed(i, &a) {
            rmv[i] = true;
            continue;
        }
        let p = nd.parent;
        if p == NONE {
            continue;
        }
        let pa = &mut agg[p as usize];
        pa.text += a.text;
        pa.link10 += a.link10;
        pa.commas += a.commas;
        pa.good += a.good;
        pa.p += a.p;
        pa.img += a.img;
        pa.li += a.li;
        pa.inputs += a.inputs;
        pa.embeds += a.embeds;
        pa.heading += a.heading;
        pa.list_text += a.list_text;
        if !nd.tag.is_block() {
            pa.inl += a.inl;
            pa.inl_commas += a.inl_commas;
            pa.inl_link10 += a.inl_link10;
        }
    }
    (agg, rmv)
}

/// Top-down: is node i or any ancestor removed?
fn effective(ar: &Arena, rmv: &[bool]) -> Vec<bool> {
    let mut eff = vec![false; ar.n.len()];
    for i in 0..ar.n.len() {
        let p = ar.n[i].parent;
        eff[i] = rmv[i] || (p != NONE && eff[p as usize]);
    }
    eff
}

// ---------------------------------------------------------------------------
// Content selection
// ---------------------------------------------------------------------------

/// Which removals apply in one attempt.
#[derive(Clone, Copy)]
struct Pass {
    strip_class: bool,
}

struct Selection {
    roots: Vec<u32>,
    /// Furniture removal (before conditional cleaning): metadata is never
    /// read from inside removed furniture.
    furn: Vec<bool>,
    /// Final removal decision per node (own flag; apply top-down).
    rmv: Vec<bool>,
    text_len: u32,
}

/// Decides which elements are page furniture for one pass.
fn furniture(ar: &Arena, pass: Pass, total_visible: u32) -> (Vec<Agg>, Vec<bool>) {
    let mask = if pass.strip_class {
        RM_HIDDEN | RM_CLASS
    } else {
        RM_HIDDEN
    };
    // Layout furniture that holds most of the page's remaining text is in
    // fact a layout wrapper around the article ("content-sidebar-wrap",
    // an ASP.NET <form> around the whole page): keep it. Boilerplate such
    // as comments or related lists is never kept back this way.
    aggregate(ar, &mut |i, a| {
        let rm = ar.n[i].rm & mask;
        if rm == 0 {
            return false;
        }
        if rm & (RM_HIDDEN | RM_BOILER) != 0 {
            return true;
        }
        // Only layout reasons left.
        !(a.good as u64 * 10 >= total_visible as u64 * 4 && a.good >= 200)
    })
}

/// Prose ("good" text) of the page outside hidden elements: the yardstick
/// for "holds most of the page".
fn visible_good(ar: &Arena) -> u32 {
    if ar.body == NONE {
        return 1;
    }
    let (a, _) = aggregate(ar, &mut |i, _| ar.n[i].rm & RM_HIDDEN != 0);
    a[ar.body as usize].good.max(1)
}

fn select(ar: &Arena, pass: Pass, total_visible: u32) -> Selection {
    // `agg` holds every node's subtree statistics without its removed
    // descendants, whatever happens to the node itself.
    let (agg, rmv) = furniture(ar, pass, total_visible);
    let eff = effective(ar, &rmv);

    let body = if ar.body != NONE { ar.body } else { 0 };
    let page_good = agg.get(body as usize).map(|a| a.good).unwrap_or(0);

    // --- Explicit markers -------------------------------------------------
    let marked = pick_marker(ar, &agg, &eff, page_good);

    // --- Readability-style scoring ---------------------------------------
    let scored = score_candidates(ar, &agg, &eff, body);

    let roots: Vec<u32> = match (marked, scored) {
        (Some((ms, tier)), Some((top, s))) => {
            let m_good: u32 = ms.iter().map(|&r| agg[r as usize].good).sum();
            let s_good: u32 = s.iter().map(|&r| agg[r as usize].good).sum();
            if let Some(&m) = ms.iter().find(|&&m| contains(ar, m, top)) {
                // A broad marker (<main>, #content) is the main column,
                // which also holds teaser streams and related boxes: the
                // densest block inside it is the article. A specific
                // marker (articleBody, <article>) is the article itself.
                // Unless that block is a small part of the column (a notice
                // on a page whose prose is spread over many sections).
                if tier == 3 && s_good as u64 * 4 >= m_good as u64 {
                    s.into_iter().filter(|&r| contains(ar, m, r)).collect()
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

    // --- Conditional cleaning inside the selection -----------------------
    let furn = rmv.clone();
    let (rmv, agg2) = clean_selection(ar, &roots, rmv, &agg);
    let text_len = roots.iter().map(|&r| agg2[r as usize].text).sum();
    Selection {
        roots,
        furn,
        rmv,
        text_len,
    }
}

fn contains(ar: &Arena, outer: u32, inner: u32) -> bool {
    outer <= inner && inner < ar.n[outer as usize].end
}

/// Chooses among explicitly marked containers (itemprop=articleBody,
/// entry-content …, `<article>`, `<main>`), preferring the most specific
/// marker that still holds nearly all the prose of a broader one.
fn pick_marker(ar: &Arena, agg: &[Agg], eff: &[bool], page_good: u32) -> Option<(Vec<u32>, u8)> {
    let mut best: Option<(u32, u32, u8)> = None; // (idx, good, tier)
    let mut marks: Vec<(u32, u32, u8)> = Vec::new();
    for (i, nd) in ar.n.iter().enumerate() {
        if nd.tag == Tag::Text {
            continue;
        }
        let tier = if nd.sig & S_MARK_BODY != 0 {
            1
        } else if nd.sig & S_MARK_ARTICLE != 0 {
            2
        } else if nd.sig & S_MARK_MAIN != 0 {
            3
        } else {
            continue;
        };
        // A marker inside removed furniture (a teaser <article> in a
        // sidebar) does not count; an explicit articleBody does.
        if eff[i] && tier != 1 {
            continue;
        }
        let g = agg[i].good;
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
                && contains(ar, bi, i)
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
    if ar.n[bi as usize].sig & S_MARK_BODY != 0 {
        let key = marker_key(&ar.dom, ar.n[bi as usize].node);
        for &(i, g, t) in &marks {
            if t == 1
                && g >= 50
                && !roots
                    .iter()
                    .any(|&r| contains(ar, r, i) || contains(ar, i, r))
                && marker_key(&ar.dom, ar.n[i as usize].node) == key
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
fn score_candidates(ar: &Arena, agg: &[Agg], eff: &[bool], body: u32) -> Option<(u32, Vec<u32>)> {
    let n = ar.n.len();
    let mut score = vec![f32::NAN; n];
    let init = |i: usize| -> f32 {
        let nd = &ar.n[i];
        let base = match nd.tag {
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
        base + nd.cw as f32
    };
    let mut touched: Vec<u32> = Vec::new();
    for i in 0..n {
        let nd = &ar.n[i];
        if nd.tag == Tag::Text || !nd.tag.is_block() || eff[i] {
            continue;
        }
        let a = &agg[i];
        if a.inl < 25 || matches!(nd.tag, Tag::Body | Tag::Html) {
            continue;
        }
        let cs = 1.0 + a.inl_commas as f32 + ((a.inl / 100).min(3)) as f32;
        let mut p = nd.parent;
        let mut level = 0u32;
        while p != NONE && level < 5 {
            let pi = p as usize;
            if ar.n[pi].tag == Tag::Html {
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
            p = ar.n[pi].parent;
            level += 1;
        }
    }
    if touched.is_empty() {
        return None;
    }
    for &t in &touched {
        let t = t as usize;
        score[t] *= 1.0 - agg[t].link_density().min(1.0);
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
        let mut p = ar.n[top as usize].parent;
        while p != NONE && p != body {
            let hits = alts.iter().filter(|&&a| contains(ar, p, a)).count();
            if hits >= 3 {
                top = p;
                break;
            }
            p = ar.n[p as usize].parent;
        }
    }
    // Walk up while the parent's score does not drop much: content may be
    // spread over the parent's other children.
    let mut last = score[top as usize];
    let threshold = last / 3.0;
    let mut p = ar.n[top as usize].parent;
    while p != NONE && p != body && ar.n[p as usize].tag != Tag::Html {
        let ps = score[p as usize];
        if ps.is_nan() {
            p = ar.n[p as usize].parent;
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
        p = ar.n[p as usize].parent;
    }
    // An only child: use the parent so that sibling joining sees the
    // neighbourhood.
    loop {
        let p = ar.n[top as usize].parent;
        if p == NONE || p == body || ar.n[p as usize].tag == Tag::Html {
            break;
        }
        if element_children(ar, p, eff).len() == 1 {
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
    let parent = ar.n[top as usize].parent;
    if parent == NONE {
        return Some((top, vec![top]));
    }
    let top_class = class_of(&ar.dom, ar.n[top as usize].node);
    let mut out = Vec::new();
    for s in element_children(ar, parent, eff) {
        if s == top {
            out.push(s);
            continue;
        }
        let si = s as usize;
        let mut bonus = 0.0;
        if !top_class.is_empty() && class_of(&ar.dom, ar.n[si].node) == top_class {
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
        if ar.n[si].tag == Tag::P || (ar.n[si].tag == Tag::Div && agg[si].inl == agg[si].text) {
            let a = &agg[si];
            let ld = a.link_density();
            let len = a.text;
            if (len > 80 && ld < 0.25) || (len < 80 && len > 0 && ld == 0.0 && ends_sentence(ar, s))
            {
                out.push(s);
            }
        }
    }
    Some((top, out))
}

fn element_children(ar: &Arena, p: u32, eff: &[bool]) -> Vec<u32> {
    let mut out = Vec::new();
    let mut i = p + 1;
    let end = ar.n[p as usize].end;
    while i < end {
        let nd = &ar.n[i as usize];
        if nd.tag != Tag::Text && !eff[i as usize] {
            out.push(i);
        }
        i = nd.end;
    }
    out
}

fn class_of(dom: &Dom, id: NodeId) -> &str {
    dom.attr(id, "class").unwrap_or_default()
}

static SENTENCE_END: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\.( |$)").expect("re"));

fn ends_sentence(ar: &Arena, i: u32) -> bool {
    SENTENCE_END.is_match(&subtree_text(ar, i, None))
}

/// Largest subtree (in nodes) read as a candidate byline line.
const BYLINE_MAX_NODES: u32 = 24;

/// Returns true if and only if a short line of text announces a publication
/// date: it starts with "By " (a byline) or names publishing or release.
fn announces_date(text: &str) -> bool {
    let t = text.trim_start().to_ascii_lowercase();
    t.starts_with("by ")
        || [
            "published",
            "posted",
            "release date",
            "released",
            "date:",
            "dated",
            "issued",
        ]
        .iter()
        .any(|cue| t.contains(cue))
}

/// Text of a small subtree with a space between text nodes, so table cells
/// and spans of a byline ("Release Date" | "June 1, 2023") stay apart.
fn spaced_text(ar: &Arena, i: u32) -> String {
    let mut words = Vec::new();
    for j in i..ar.n[i as usize].end {
        let nd = &ar.n[j as usize];
        if nd.tag == Tag::Text {
            words.extend(ar.text[nd.tstart as usize..nd.tend as usize].split_whitespace());
        }
    }
    words.join(" ")
}

/// Collapsed text of a subtree (for short elements: headings, bylines).
fn subtree_text(ar: &Arena, i: u32, eff: Option<&[bool]>) -> String {
    let mut s = String::new();
    let end = ar.n[i as usize].end;
    for j in i..end {
        let nd = &ar.n[j as usize];
        if nd.tag == Tag::Text && eff.is_none_or(|e| !e[j as usize]) {
            s.push_str(&ar.text[nd.tstart as usize..nd.tend as usize]);
        }
        if s.len() > 4000 {
            break;
        }
    }
    let t = s.split_whitespace().collect::<Vec<_>>().join(" ");
    t
}

/// Readability's conditional cleaning, applied to the descendants of the
/// chosen roots: lists, tables, divs … that look like link lists, image
/// galleries, form remnants or embeds rather than prose are dropped. Runs
/// bottom-up so a container is judged after its inner junk is gone.
fn clean_selection(
    ar: &Arena,
    roots: &[u32],
    mut rmv: Vec<bool>,
    agg: &[Agg],
) -> (Vec<bool>, Vec<Agg>) {
    let n = ar.n.len();
    let mut in_sel = vec![false; n];
    let mut is_root = vec![false; n];
    for &r in roots {
        is_root[r as usize] = true;
        for j in r..ar.n[r as usize].end {
            in_sel[j as usize] = true;
        }
    }
    // Containers holding a large share of the selection's prose are layout
    // wrappers whatever their class says ("panel-two-col-sidebar"): never
    // clean those away.
    let sel_good: u32 = roots.iter().map(|&r| agg[r as usize].good).sum();
    let (agg2, rmv2) = aggregate(ar, &mut |i, a| {
        if rmv[i] {
            return true;
        }
        if !in_sel[i] || is_root[i] {
            return false;
        }
        let nd = &ar.n[i];
        if nd.sig & S_IN_PRE != 0 {
            return false;
        }
        match nd.tag {
            Tag::H(l) if l <= 2 => return nd.cw < 0,
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
        conditionally_remove(nd, a)
    });
    for (r, r2) in rmv.iter_mut().zip(rmv2) {
        *r |= r2;
    }
    (rmv, agg2)
}

fn conditionally_remove(nd: &Nd, a: &Agg) -> bool {
    let weight = nd.cw as i32;
    if weight < 0 {
        return true;
    }
    if a.commas >= 10 {
        return false;
    }
    let is_list = matches!(nd.tag, Tag::Ul | Tag::Ol)
        || (a.text > 0 && a.list_text as f32 / a.text as f32 > 0.9);
    let p = a.p as f32;
    let img = a.img as f32;
    let li = a.li as f32 - 100.0;
    let ld = a.link_density();
    let heading_density = if a.text > 0 {
        a.heading as f32 / a.text as f32
    } else {
        0.0
    };
    let len = a.text;
    let is_figure = nd.sig & S_IN_FIGURE != 0;
    // A plain list of images (one per item) is a gallery, not junk.
    if is_list && a.li > 0 && a.img == a.li && len < 25 * a.li {
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
        && (a.img == 0 || a.img > 2)
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

// ---------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------

/// Writes the text of the selected subtrees, leaving out removed subtrees,
/// in one forward pass over the arena (no recursion, whatever the depth).
fn render(ar: &Arena, sel: &Selection) -> String {
    let mut w = TextWriter::default();
    let mut raw = String::new();
    // Open elements that end a line: (subtree end, gap).
    let mut open: Vec<(u32, u8)> = Vec::new();
    for &r in &sel.roots {
        let end = ar.n[r as usize].end;
        let mut j = r;
        while j < end {
            while let Some(&(e, gap)) = open.last() {
                if e > j {
                    break;
                }
                open.pop();
                w.brk(gap);
            }
            let nd = &ar.n[j as usize];
            // Removed subtrees are skipped; images too: their `alt` text is
            // an attribute, not text content (a browser's textContent, and
            // so the article's text, never holds it), and on real pages it
            // is mostly file names ("IMG_3886.jpg"), LaTeX sources of
            // formulas or repeated captions.
            if (j > r && sel.rmv[j as usize]) || nd.tag == Tag::Img {
                j = nd.end;
                continue;
            }
            match nd.tag {
                Tag::Text => {
                    if nd.space_before {
                        w.space();
                    }
                    w.inline(&ar.text[nd.tstart as usize..nd.tend as usize]);
                }
                Tag::Br => w.brk(1),
                Tag::Pre => {
                    // Preformatted text keeps its line breaks and spaces:
                    // it is read from the DOM, because the arena holds text
                    // collapsed (for scoring) and without whitespace-only
                    // nodes (the spaces between highlighted code tokens).
                    w.brk(2);
                    raw.clear();
                    pre_text(&ar.dom, nd.node, &mut raw);
                    w.pre(&raw);
                    w.brk(2);
                    j = nd.end;
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
                    open.push((nd.end, gap));
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

// ---------------------------------------------------------------------------
// Metadata
// ---------------------------------------------------------------------------

fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn meta_get<'a>(m: &'a Meta, keys: &[&str]) -> Option<&'a str> {
    for k in keys {
        if let Some((_, v)) = m
            .metas
            .iter()
            .find(|(key, v)| key == k && !v.trim().is_empty())
        {
            return Some(v.as_str());
        }
    }
    None
}

/// What the JSON-LD blocks say about the article.
#[derive(Default)]
struct JsonLd {
    headline: Option<String>,
    /// `name` of an article-typed object (some sites put the headline
    /// there, others their own name).
    name: Option<String>,
    date: Option<NaiveDate>,
    keywords: Vec<String>,
}

fn is_article_type(v: &Value) -> bool {
    let check = |s: &str| {
        let s = s.to_ascii_lowercase();
        s.contains("article")
            || s.contains("posting")
            || s.contains("report")
            || s == "webpage"
            || s.contains("news")
            || s == "creativework"
            || s == "review"
    };
    match v.get("@type") {
        Some(Value::String(s)) => check(s),
        Some(Value::Array(a)) => a.iter().any(|x| x.as_str().is_some_and(check)),
        _ => false,
    }
}

fn parse_jsonld(blocks: &[String]) -> JsonLd {
    let mut out = JsonLd::default();
    let mut any_headline: Option<String> = None;
    for raw in blocks {
        // Strip whatever wraps the JSON (HTML comments, CDATA sections,
        // "//<![CDATA[" …): parse from the first bracket to the last.
        let mut raw = raw.trim();
        for w in ["<!--", "//<![CDATA[", "<![CDATA["] {
            raw = raw.strip_prefix(w).unwrap_or(raw).trim_start();
        }
        for w in ["-->", "//]]>", "]]>"] {
            raw = raw.strip_suffix(w).unwrap_or(raw).trim_end();
        }
        let (Some(a), Some(b)) = (raw.find(['{', '[']), raw.rfind(['}', ']'])) else {
            continue;
        };
        if b < a {
            continue;
        }
        let t = &raw[a..=b];
        let Ok(v) = serde_json::from_str::<Value>(t) else {
            continue;
        };
        // Iterative walk over objects and arrays (@graph, nested objects).
        let mut stack: Vec<(&Value, u32)> = vec![(&v, 0)];
        while let Some((v, depth)) = stack.pop() {
            match v {
                Value::Array(a) => {
                    for x in a.iter().rev() {
                        if depth < 16 {
                            stack.push((x, depth + 1));
                        }
                    }
                }
                Value::Object(o) => {
                    let article = is_article_type(v);
                    let is_other = o.contains_key("@type") && !article;
                    if !is_other {
                        if let Some(d) = o.get("datePublished").and_then(|d| d.as_str()) {
                            if out.date.is_none() {
                                out.date = parse_date(d);
                            }
                        }
                    }
                    if article && out.name.is_none() {
                        if let Some(h) = o.get("name").and_then(|h| h.as_str()) {
                            let h = collapse_ws(h);
                            if !h.is_empty() {
                                out.name = Some(h);
                            }
                        }
                    }
                    if let Some(h) = o.get("headline").and_then(|h| h.as_str()) {
                        let h = collapse_ws(h);
                        if !h.is_empty() {
                            if article && out.headline.is_none() {
                                out.headline = Some(h);
                            } else if any_headline.is_none() {
                                any_headline = Some(h);
                            }
                        }
                    }
                    if article && out.keywords.is_empty() {
                        match o.get("keywords") {
                            Some(Value::String(s)) => {
                                out.keywords = s.split(',').map(|x| x.trim().to_string()).collect()
                            }
                            Some(Value::Array(a)) => {
                                out.keywords = a
                                    .iter()
                                    .filter_map(|x| x.as_str())
                                    .map(|x| x.trim().to_string())
                                    .collect()
                            }
                            _ => {}
                        }
                    }
                    // Comments, authors and publishers are other entities:
                    // their dates and names are not the article's.
                    for (k, x) in o.iter().rev() {
                        if matches!(
                            k.as_str(),
                            "comment" | "author" | "publisher" | "review" | "creator"
                        ) {
                            continue;
                        }
                        if depth < 16 && (x.is_object() || x.is_array()) {
                            stack.push((x, depth + 1));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    if out.headline.is_none() {
        out.headline = any_headline;
    }
    out
}

/// Separators Readability treats as "title | site name".
static TITLE_SEP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r" (?:[|\-\\/>»–—]|::) ").expect("title sep regex"));

/// Readability's text similarity: share of B's words (by length) that
/// also occur in A (so `text_similarity(candidate, title)` asks how much
/// of the title the candidate covers).
fn text_similarity(a: &str, b: &str) -> f32 {
    let toks = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|t| !t.is_empty())
            .map(|t| t.to_lowercase())
            .collect()
    };
    let ta = toks(a);
    let tb = toks(b);
    if ta.is_empty() || tb.is_empty() {
        return 0.0;
    }
    let uniq: Vec<&String> = tb.iter().filter(|t| !ta.contains(t)).collect();
    let len_b: usize = tb.iter().map(|t| t.len()).sum::<usize>() + tb.len() - 1;
    let len_u: usize = uniq.iter().map(|t| t.len()).sum::<usize>() + uniq.len().saturating_sub(1);
    1.0 - len_u as f32 / len_b as f32
}

fn word_count(s: &str) -> usize {
    s.split_whitespace().count()
}

/// `<title>` without the site-name part, following Readability: cut at the
/// last separator, or after the first one when that leaves too few words.
fn clean_title(orig: &str, h1s: &[String]) -> String {
    let orig = collapse_ws(orig);
    let seps: Vec<regex::Match> = TITLE_SEP.find_iter(&orig).collect();
    let mut cur = orig.clone();
    let mut hierarchical = false;
    if let (Some(first), Some(last)) = (seps.first(), seps.last()) {
        hierarchical = seps.iter().any(|m| {
            let s = m.as_str().trim();
            s == "\\" || s == "/" || s == ">" || s == "»"
        });
        cur = orig[..last.start()].to_string();
        if word_count(&cur) < 3 {
            cur = orig[first.end()..].to_string();
        }
    } else if orig.contains(": ") {
        if !h1s.iter().any(|h| h == &orig) {
            let after_last = &orig[orig.rfind(':').map(|i| i + 1).unwrap_or(0)..];
            let first_colon = orig.find(':').unwrap_or(0);
            if word_count(after_last) < 3 {
                cur = orig[first_colon + 1..].to_string();
            } else if word_count(&orig[..first_colon]) > 5 {
                cur = orig.clone();
            } else {
                cur = after_last.to_string();
            }
        }
    } else if (orig.chars().count() > 150 || orig.chars().count() < 15) && h1s.len() == 1 {
        cur = h1s[0].clone();
    }
    let cur = collapse_ws(&cur);
    let wc = word_count(&cur);
    let stripped = TITLE_SEP.replace_all(&orig, " ");
    // Readability reverts cuts of four words or fewer; a three-word
    // headline is common in reports, so only one or two words revert.
    if wc <= 2 && (!hierarchical || wc + 1 != word_count(&stripped)) {
        return orig;
    }
    cur
}

// ---------------------------------------------------------------------------
// Entry point
// ---------------------------------------------------------------------------

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
fn precut(html: &str) -> std::borrow::Cow<'_, str> {
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
/// `srcset`, `data-*`, `alt`, `title`, event handlers … and `href`s that
/// are not in-page (`#…`) links, which only tell whether a link points
/// inside the page. On real pages these are over a quarter of the bytes
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
        let drop = if is_href {
            let d = href_seen || !value.starts_with(b"#");
            href_seen = true;
            d
        } else {
            !read
        };
        if drop {
            cut.push((name_start, j));
        }
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
    const MARKERS: [&[u8]; 10] = [
        b"<time",
        b"datetime",
        b"pubdate",
        b"itemprop",
        b"rel=",
        b"byline",
        b"dateline",
        b"posted",
        b"published",
        b"author",
    ];
    MARKERS.iter().any(|m| contains_ci(inner, m))
}

/// Case-insensitive ASCII substring test.
fn contains_ci(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

/// Extracts title, publication date, canonical URL, tags and the main
/// content text from one HTML page (already decoded to UTF-8).
///
/// Never panics and never recurses on the page structure, whatever the
/// input; an empty or unparsable page gives an empty `HtmlDoc`.
pub fn extract_html(html: &str) -> HtmlDoc {
    let html = precut(html);
    let ar = build_arena(dom::parse(&html));
    if ar.n.is_empty() {
        return HtmlDoc::default();
    }
    // Strict pass first; if it yields too little, retry without the
    // class-based removals (Readability's flag relaxing) and keep the
    // longer result.
    let total_visible = visible_good(&ar);
    let mut sel = select(&ar, Pass { strip_class: true }, total_visible);
    if sel.text_len < MIN_ARTICLE_CHARS {
        // Only take the relaxed result when it finds substantially more:
        // a short post is not a reason to let its share bar back in.
        let relaxed = select(&ar, Pass { strip_class: false }, total_visible);
        if relaxed.text_len >= (sel.text_len * 3 / 2).max(sel.text_len + 200) {
            sel = relaxed;
        }
    }
    let mut doc = HtmlDoc::default();
    metadata(&ar, &sel, &mut doc);
    // The article's own headline repeats the title: leave it out of the
    // text (Readability does the same).
    if let Some(t) = &doc.title {
        drop_title_heading(&ar, &mut sel, t);
    }
    doc.text = render(&ar, &sel);
    doc
}

fn norm_cmp(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(|c| c.to_lowercase())
        .collect()
}

fn drop_title_heading(ar: &Arena, sel: &mut Selection, title: &str) {
    let t = norm_cmp(title);
    if t.is_empty() {
        return;
    }
    for &r in &sel.roots.clone() {
        let end = ar.n[r as usize].end;
        for j in r..end {
            let nd = &ar.n[j as usize];
            if matches!(nd.tag, Tag::H(1) | Tag::H(2)) && !sel.rmv[j as usize] {
                let h = norm_cmp(&subtree_text(ar, j, None));
                if !h.is_empty() && (h == t || (t.contains(&h) && h.len() * 4 >= t.len() * 3)) {
                    sel.rmv[j as usize] = true;
                    return;
                }
            }
        }
    }
}

fn metadata(ar: &Arena, sel: &Selection, doc: &mut HtmlDoc) {
    let m = &ar.meta;
    let ld = parse_jsonld(&m.jsonld);
    let eff = effective(ar, &sel.furn);
    let first_root = sel.roots.first().copied().unwrap_or(0);
    let last_end = sel
        .roots
        .iter()
        .map(|&r| ar.n[r as usize].end)
        .max()
        .unwrap_or(0);
    let in_sel = |i: u32| sel.roots.iter().any(|&r| contains(ar, r, i));
    // The region "around" the article: up to three levels above it, where
    // the byline, date and tag links of the article live.
    let region = {
        let mut r = first_root;
        for _ in 0..3 {
            let p = ar.n[r as usize].parent;
            if p == NONE || matches!(ar.n[p as usize].tag, Tag::Body | Tag::Html) {
                break;
            }
            r = p;
        }
        r
    };
    let in_region = |i: u32| contains(ar, region, i) && i < last_end;
    let sidebarish = |i: u32| -> bool {
        let mut p = i;
        let mut hops = 0;
        while p != NONE && hops < 64 {
            let nd = &ar.n[p as usize];
            if nd.sig & S_SIDEBARISH != 0
                || nd.rm & (RM_COMMENT | RM_HIDDEN) != 0
                || eff[p as usize]
            {
                return true;
            }
            if matches!(nd.tag, Tag::Footer | Tag::Nav | Tag::Aside) {
                return true;
            }
            p = nd.parent;
            hops += 1;
        }
        false
    };

    // --- title ---
    let h1s: Vec<(u32, String)> =
        ar.n.iter()
            .enumerate()
            .filter(|(_, nd)| nd.tag == Tag::H(1))
            .take(16)
            .map(|(i, _)| (i as u32, subtree_text(ar, i as u32, None)))
            .filter(|(_, t)| !t.is_empty())
            .collect();
    let html_title = m.title.as_deref().map(collapse_ws).unwrap_or_default();
    // JSON-LD may carry both a `name` and a `headline`; the one that
    // agrees with <title> is the article's (as Readability decides).
    let ld_title = match (&ld.headline, &ld.name) {
        (Some(h), Some(n)) if h != n => {
            // The one covering more of <title> wins; `headline` is the
            // property schema.org meant for articles, so it wins ties.
            let hs = text_similarity(h, &html_title);
            let ns = text_similarity(n, &html_title);
            Some(if ns > hs + 0.05 { n.clone() } else { h.clone() })
        }
        (Some(h), _) => Some(h.clone()),
        (None, Some(n)) => Some(n.clone()),
        _ => None,
    };
    let h1_in_article = h1s
        .iter()
        .find(|(i, _)| in_region(*i) && !eff[*i as usize])
        .map(|(_, t)| t.trim_end_matches(['¶', '#', '§', '🔗', ' ']).to_string());
    let title = ld_title
        .or_else(|| {
            meta_get(
                m,
                &[
                    "og:title",
                    "twitter:title",
                    "dc:title",
                    "dc.title",
                    "dcterm:title",
                    "dcterms.title",
                    "parsely-title",
                ],
            )
            .map(collapse_ws)
        })
        .or_else(|| {
            // The article's <h1> is the headline when <title> agrees with
            // it (<title> then only adds the site name).
            h1_in_article.clone().filter(|h| {
                let nh = norm_cmp(h);
                !nh.is_empty() && (html_title.is_empty() || norm_cmp(&html_title).contains(&nh))
            })
        })
        .or_else(|| {
            // Readability: a <title> with a colon is kept whole when an
            // h1/h2 repeats it exactly.
            let hs: Vec<String> =
                ar.n.iter()
                    .enumerate()
                    .filter(|(_, nd)| matches!(nd.tag, Tag::H(1) | Tag::H(2)))
                    .take(32)
                    .map(|(i, _)| subtree_text(ar, i as u32, None))
                    .collect();
            Some(clean_title(&html_title, &hs)).filter(|t| !t.is_empty())
        })
        .or(h1_in_article)
        .filter(|t| !t.is_empty());
    doc.title = title;

    // --- url ---
    doc.url = m
        .canonical
        .clone()
        .or_else(|| meta_get(m, &["og:url"]).map(|s| s.trim().to_string()))
        .filter(|s| !s.is_empty());

    // --- date ---
    let meta_date = || {
        for k in [
            "article:published_time",
            "og:published_time",
            "og:article:published_time",
            "datepublished",
            "dc.date",
            "dc.date.issued",
            "dcterms.date",
            "dcterms.issued",
            "dcterms.created",
            "pubdate",
            "publish-date",
            "publish_date",
            "publishdate",
            "published_time",
            "sailthru.date",
            "parsely-pub-date",
            "article.published",
            "date",
        ] {
            for (key, v) in &m.metas {
                if key == k {
                    if let Some(d) = parse_date(v) {
                        return Some(d);
                    }
                }
            }
        }
        None
    };
    // Sites drift their "published" metas towards the last update (never
    // earlier), so when the meta tags and JSON-LD disagree the earlier
    // date is the publication.
    let mut date = match (meta_date(), ld.date) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    if date.is_none() {
        // itemprop=datePublished / <time pubdate>: explicit markup, valid
        // anywhere outside comments and sidebars, best inside the article.
        let mut best: Option<(u8, NaiveDate)> = None;
        let mut consider = |rank: u8, d: Option<NaiveDate>| {
            if let Some(d) = d {
                if best.is_none_or(|b| rank < b.0) {
                    best = Some((rank, d));
                }
            }
        };
        for (i, v) in &m.itemprop_dates {
            if sidebarish(*i) {
                continue;
            }
            let d = parse_date(v).or_else(|| find_date_in_text(&subtree_text(ar, *i, None)));
            consider(if in_sel(*i) || in_region(*i) { 0 } else { 2 }, d);
        }
        for (i, dt, pubdate) in &m.times {
            if sidebarish(*i) {
                continue;
            }
            let d = parse_date(dt).or_else(|| find_date_in_text(&subtree_text(ar, *i, None)));
            if *pubdate {
                consider(if in_sel(*i) || in_region(*i) { 0 } else { 2 }, d);
            } else if in_sel(*i) || in_region(*i) {
                consider(1, d);
            }
        }
        date = best.map(|b| b.1);
    }
    if date.is_none() {
        // Byline-ish elements inside or just above the article.
        let start = region;
        for j in start..last_end {
            let nd = &ar.n[j as usize];
            if nd.tag == Tag::Text || nd.sig & S_BYLINE == 0 {
                continue;
            }
            if sidebarish(j) {
                continue;
            }
            let t = subtree_text(ar, j, None);
            if t.len() > 300 {
                continue;
            }
            if let Some(d) = find_date_in_text(&t) {
                date = Some(d);
                break;
            }
        }
    }
    if date.is_none() {
        // Short lines in or just above the article that announce the date in
        // words, whatever their markup: "Published 28 October 2020",
        // "By Jane Doe · March 14, 2022", a "Release Date | June 1, 2023" row.
        for j in region..last_end {
            let nd = &ar.n[j as usize];
            if nd.tag == Tag::Text || nd.end - j > BYLINE_MAX_NODES || sidebarish(j) {
                continue;
            }
            let t = spaced_text(ar, j);
            if t.len() > 200 || !announces_date(&t) {
                continue;
            }
            if let Some(d) = find_date_in_text(&t) {
                date = Some(d);
                break;
            }
        }
    }
    if date.is_none() {
        if let Some(u) = doc.url.as_deref() {
            date = date_from_url(u);
        }
    }
    doc.date = date;

    // --- tags ---
    let mut tags: Vec<String> = Vec::new();
    let push = |t: &str, tags: &mut Vec<String>| {
        let t = collapse_ws(t);
        if !t.is_empty() && t.len() < 100 && !tags.iter().any(|x| x.eq_ignore_ascii_case(&t)) {
            tags.push(t);
        }
    };
    for (k, v) in &m.metas {
        if k == "article:tag" {
            push(v, &mut tags);
        }
    }
    for k in &ld.keywords {
        push(k, &mut tags);
    }
    for (i, nd) in ar.n.iter().enumerate() {
        if nd.sig & S_REL_TAG != 0 && in_region(i as u32) && !sidebarish(i as u32) {
            push(&subtree_text(ar, i as u32, None), &mut tags);
        }
    }
    if tags.is_empty() {
        if let Some(k) = meta_get(m, &["keywords", "news_keywords"]) {
            for t in k.split(',') {
                push(t, &mut tags);
            }
        }
    }
    doc.tags = tags;
}

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

#[cfg(test)]
mod tests {
    use super::*;

    /// A paragraph long enough to score as prose.
    const P1: &str = "<p>Attackers used a spear-phishing email, with a malicious attachment, to gain initial access to the victim network in early March.</p>";
    const P2: &str = "<p>The loader then contacted its command server, fetched a second stage, and established persistence through a scheduled task.</p>";
    const P3: &str = "<p>Defenders should block the listed domains, hunt for the scheduled task, and reset credentials that may have been exposed.</p>";

    fn page(head: &str, body: &str) -> String {
        format!("<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>")
    }

    fn article(extra: &str) -> String {
        format!("<article>{P1}{extra}{P2}{P3}</article>")
    }

    #[test]
    fn drops_scripts_styles_forms_and_controls() {
        let body = article(
            "<script>var secret = 'SCRIPTTEXT';</script><style>.x{}</style><noscript>NOSCRIPTTEXT</noscript>\
             <template>TEMPLATETEXT</template><button>BUTTONTEXT</button><select><option>OPTIONTEXT</option></select>\
             <svg><text>SVGTEXT</text></svg><iframe>IFRAMETEXT</iframe><!-- COMMENTTEXT -->",
        );
        let d = extract_html(&page("", &body));
        assert!(d.text.contains("spear-phishing") && d.text.contains("scheduled task, and reset"));
        for junk in [
            "SCRIPTTEXT",
            "NOSCRIPTTEXT",
            "TEMPLATETEXT",
            "BUTTONTEXT",
            "OPTIONTEXT",
            "SVGTEXT",
            "IFRAMETEXT",
            "COMMENTTEXT",
        ] {
            assert!(!d.text.contains(junk), "{junk} leaked: {}", d.text);
        }
    }

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
    fn class_analysis() {
        let ci = |c: &str| {
            let mut ci = ClassInfo::default();
            analyze_class(c, &mut ci);
            ci
        };
        assert!(ci("commentList").comment);
        assert!(ci("social-share").boiler);
        assert!(ci("shareButtons").boiler);
        assert!(!ci("shadow").boiler && !ci("header-read").boiler);
        assert!(ci("site-header").weak_neg && !ci("site-header").positive);
        assert!(
            ci("entry-header").positive,
            "positive word overrides a weak negative"
        );
        // Taxonomy and state classes carry no structure.
        assert!(!ci("tag-social-media category-ads").boiler);
        assert!(!ci("has-sidebar").layout);
        assert!(!ci("fig--has-shares").boiler);
        assert!(ci("entry-content").mark_body && ci("td-post-content").mark_body);
        assert!(ci("article__body").mark_body && ci("articleBody").mark_body);
        assert!(ci("MathJax CtxtMenu_Attached_0").math);
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
    fn code_comments_survive() {
        let body = article("<pre><code><span class=\"hljs-comment\"># CODECOMMENT decode the payload</span>\nx = 1</code></pre>");
        let d = extract_html(&page("", &body));
        assert!(d.text.contains("CODECOMMENT"), "{}", d.text);
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

    #[test]
    fn title_sources_in_priority() {
        let body = article("");
        let og = "<title>Page - Site</title><meta property=\"og:title\" content=\"OG  Title\">";
        assert_eq!(
            extract_html(&page(og, &body)).title.as_deref(),
            Some("OG Title")
        );
        let ld = "<title>Real Headline Here | Site</title><script type=\"application/ld+json\">\
                  {\"@context\":\"https://schema.org\",\"@graph\":[{\"@type\":\"NewsArticle\",\"headline\":\"Real Headline Here\",\"name\":\"Site\"}]}</script>\
                  <meta property=\"og:title\" content=\"Social variant\">";
        assert_eq!(
            extract_html(&page(ld, &body)).title.as_deref(),
            Some("Real Headline Here")
        );
        let h1 = format!("<article><h1>Threat Report &amp; Analysis</h1>{P1}{P2}{P3}</article>");
        let t = "<title>Threat Report &amp; Analysis | Vendor Blog</title>";
        let d = extract_html(&page(t, &h1));
        assert_eq!(d.title.as_deref(), Some("Threat Report & Analysis"));
        assert!(
            !d.text.contains("Threat Report"),
            "headline is not repeated in the text"
        );
        // An h1 that is not the headline (section name) loses to <title>.
        let h1b = format!("<article><h1>Security Blog</h1>{P1}{P2}{P3}</article>");
        let t2 = "<title>New Loader Targets Banks - Vendor</title>";
        assert_eq!(
            extract_html(&page(t2, &h1b)).title.as_deref(),
            Some("New Loader Targets Banks")
        );
    }

    #[test]
    fn title_suffix_trimming() {
        let none: Vec<String> = Vec::new();
        assert_eq!(
            clean_title(
                "APT29 Targets Diplomats in Europe | Example Security",
                &none
            ),
            "APT29 Targets Diplomats in Europe"
        );
        assert_eq!(
            clean_title("APT29 Targets Diplomats in Europe - Example", &none),
            "APT29 Targets Diplomats in Europe"
        );
        assert_eq!(
            clean_title("APT29 Targets Diplomats in Europe — Example", &none),
            "APT29 Targets Diplomats in Europe"
        );
        assert_eq!(
            clean_title("APT29 Targets Diplomats in Europe :: Example", &none),
            "APT29 Targets Diplomats in Europe"
        );
        // The site name first: keep the longer part.
        assert_eq!(
            clean_title("Example | APT29 Targets Diplomats in Europe", &none),
            "APT29 Targets Diplomats in Europe"
        );
        // Too short once cut: keep the whole title.
        assert_eq!(
            clean_title("Mozilla - Wikipedia", &none),
            "Mozilla - Wikipedia"
        );
    }

    #[test]
    fn publication_date_sources() {
        let body = article("");
        let meta = "<meta property=\"article:modified_time\" content=\"2023-05-01\"><meta property=\"article:published_time\" content=\"2023-03-14T10:00:00+01:00\">";
        assert_eq!(
            extract_html(&page(meta, &body)).date,
            NaiveDate::from_ymd_opt(2023, 3, 14)
        );
        let ld = "<script type=\"application/ld+json\">{\"@graph\":[{\"@type\":\"WebSite\"},{\"@type\":\"BlogPosting\",\"dateModified\":\"2022-02-02\",\"datePublished\":\"2021-12-01T08:00:00Z\"}]}</script>";
        assert_eq!(
            extract_html(&page(ld, &body)).date,
            NaiveDate::from_ymd_opt(2021, 12, 1)
        );
        // Meta and JSON-LD disagree: the earlier one is the publication.
        let both = "<meta property=\"article:published_time\" content=\"2024-12-07\"><script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"datePublished\":\"2024-12-06T22:00:00Z\"}</script>";
        assert_eq!(
            extract_html(&page(both, &body)).date,
            NaiveDate::from_ymd_opt(2024, 12, 6)
        );
    }

    #[test]
    fn date_from_time_elements_inside_the_article_only() {
        let body = format!(
            "<aside><time datetime=\"2020-01-01\">Jan 1</time></aside>\
             <article><time datetime=\"2022-06-30T12:00\">June 30</time>{P1}{P2}{P3}</article>"
        );
        assert_eq!(
            extract_html(&page("", &body)).date,
            NaiveDate::from_ymd_opt(2022, 6, 30)
        );
        let comments = format!(
            "<article>{P1}{P2}{P3}</article><div id=\"comments\"><time pubdate datetime=\"2019-05-05\">x</time></div>"
        );
        assert_eq!(extract_html(&page("", &comments)).date, None);
        let itemprop = format!("<article><span itemprop=\"datePublished\" content=\"2018-08-08\">Aug 8</span>{P1}{P2}{P3}</article>");
        assert_eq!(
            extract_html(&page("", &itemprop)).date,
            NaiveDate::from_ymd_opt(2018, 8, 8)
        );
    }

    #[test]
    fn date_from_a_plain_byline_line() {
        let page = r#"<html><body><div class="w"><div class="x9"><h1>Kimsuky again</h1>
<div class="s3"><span>By <a href="/a/">Ben</a></span> <span class="dl">Published 28 October 2020</span></div>
<p>U.S. authorities on Tuesday published a detailed advisory on a North Korean group that has spent a decade reading the email of policy people.</p>
<p>Security vendors have published research on the group since 2013, when it got its name from an email account used in early campaigns.</p>
<p>The advisory leans on that body of work and adds indicators of compromise gathered by investigators over the past year.</p>
</div><div class="side">Trending: Published 1 January 2026</div></div></body></html>"#;
        assert_eq!(
            extract_html(page).date,
            NaiveDate::from_ymd_opt(2020, 10, 28)
        );
        let table = r#"<html><body><div id="content"><h1>Advisory</h1><table><tr><th>Release Date</th><td>June 01, 2023</td></tr></table>
<p>The agencies describe social engineering by a North Korean group against think tanks, academics and journalists in several countries.</p>
<p>The group impersonates journalists and researchers to win the trust of its targets before sending malicious links or documents.</p></div></body></html>"#;
        assert_eq!(
            extract_html(table).date,
            NaiveDate::from_ymd_opt(2023, 6, 1)
        );
    }

    #[test]
    fn date_from_byline_then_url() {
        let body = format!(
            "<article><div class=\"post-meta\">By Jane Doe · Updated May 2, 2022 · Published March 14, 2022</div>{P1}{P2}{P3}</article>"
        );
        assert_eq!(
            extract_html(&page("", &body)).date,
            NaiveDate::from_ymd_opt(2022, 3, 14)
        );
        let url = "<link rel=\"canonical\" href=\"https://blog.example.com/2020/12/17/sunburst-analysis/\">";
        let d = extract_html(&page(url, &article("")));
        assert_eq!(
            d.url.as_deref(),
            Some("https://blog.example.com/2020/12/17/sunburst-analysis/")
        );
        assert_eq!(d.date, NaiveDate::from_ymd_opt(2020, 12, 17));
    }

    #[test]
    fn url_prefers_canonical_then_og() {
        let og = "<meta property=\"og:url\" content=\"https://ex.com/og\">";
        assert_eq!(
            extract_html(&page(og, &article(""))).url.as_deref(),
            Some("https://ex.com/og")
        );
        let both = "<meta property=\"og:url\" content=\"https://ex.com/og\"><link rel=\"canonical\" href=\"https://ex.com/canon\">";
        assert_eq!(
            extract_html(&page(both, &article(""))).url.as_deref(),
            Some("https://ex.com/canon")
        );
    }

    #[test]
    fn tags_from_metadata_and_rel_tag() {
        let head = "<meta property=\"article:tag\" content=\"Ransomware\"><meta property=\"article:tag\" content=\" LockBit \">\
                    <script type=\"application/ld+json\">{\"@type\":\"Article\",\"keywords\":[\"ransomware\",\"Initial Access\"]}</script>\
                    <meta name=\"keywords\" content=\"ignored, because, others exist\">";
        let body = format!("<article>{P1}{P2}{P3}<a rel=\"tag\" href=\"/t/edr\">EDR</a></article><aside><a rel=\"tag\" href=\"/t/x\">CloudTag</a></aside>");
        let d = extract_html(&page(head, &body));
        assert_eq!(
            d.tags,
            vec!["Ransomware", "LockBit", "Initial Access", "EDR"]
        );
        let kw = "<meta name=\"keywords\" content=\"phishing, malware , phishing\">";
        assert_eq!(
            extract_html(&page(kw, &article(""))).tags,
            vec!["phishing", "malware"]
        );
        let ld_str = "<script type=\"application/ld+json\">{\"@type\":\"BlogPosting\",\"keywords\":\"apt, espionage\"}</script>";
        assert_eq!(
            extract_html(&page(ld_str, &article(""))).tags,
            vec!["apt", "espionage"]
        );
    }

    #[test]
    fn id_slugs_are_not_class_signals() {
        let body = format!(
            "<article>{P1}<div id=\"sharing-with-a-single-developer\"><p>SLUGSECTION text that is long enough, with commas, to be prose.</p></div>{P2}{P3}</article>"
        );
        assert!(extract_html(&page("", &body)).text.contains("SLUGSECTION"));
    }

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
        let ar = build_arena(dom::parse(&html));
        let sel = select(&ar, Pass { strip_class: true }, visible_good(&ar));
        assert_eq!(with.text, render(&ar, &sel));
        assert_eq!(with.title.as_deref(), Some("Headline"));
        assert!(with.date.is_some());
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

    #[test]
    fn text_unescaping_and_whitespace() {
        let body = format!("<article><p>a &lt;b&gt; &amp; c&nbsp;d   e\n\tf, and more words to make it long enough here.</p>{P2}{P3}</article>");
        let d = extract_html(&page("", &body));
        assert!(d.text.contains("a <b> & c"), "{}", d.text);
    }
}
