//! What an element says about itself: takes one element's attributes and
//! gives them reduced to flags ([`Attrs`]): the class/id analysis
//! ([`ClassInfo`]: content, layout, boilerplate, comment, byline words and
//! Readability's class weight), its landmark `role`, `itemprop`, `rel` and
//! the hidden markers. Also defines the removal-reason (`RM_*`) and signal
//! (`S_*`) bits the arena stores per node.

use super::super::dom::{Dom, NodeData, NodeId};

/// Removal reasons (bits of `Node::removal`).
pub(super) const RM_HIDDEN: u8 = 1; // hidden attr, aria-hidden, display:none: never shown
pub(super) const RM_LAYOUT: u8 = 2; // nav/aside/footer/header/form, layout roles & classes
pub(super) const RM_BOILER: u8 = 4; // comments, share bars, related lists, ads …
pub(super) const RM_COMMENT: u8 = 8; // subset of BOILER: user comments (never restored)
/// Reasons that only apply in the strict pass (Readability's "strip
/// unlikely candidates" flag).
pub(super) const RM_CLASS: u8 = RM_LAYOUT | RM_BOILER;

/// Per-element signal bits (`Node::signals`).
pub(super) const S_POSITIVE: u16 = 1; // class/id word that marks content
pub(super) const S_MARK_BODY: u16 = 2; // explicit article-body marker (itemprop, entry-content …)
pub(super) const S_MARK_ARTICLE: u16 = 4; // <article>
pub(super) const S_MARK_MAIN: u16 = 8; // <main>, role=main, id=content …
pub(super) const S_BYLINE: u16 = 16; // byline/date/meta-ish element (metadata only)
pub(super) const S_IN_LINK: u16 = 32; // text node inside <a>
pub(super) const S_HASH_LINK: u16 = 64; // text node inside <a href="#…"> (weighs less)
pub(super) const S_AUTHOR: u16 = 128; // rel=author / itemprop=author / class byline (Readability drops it)
pub(super) const S_REL_TAG: u16 = 256; // <a rel=tag>
pub(super) const S_SIDEBARISH: u16 = 512; // nav/aside/sidebar/comment: never a metadata source
pub(super) const S_IN_PRE: u16 = 1024; // inside <pre>/<code>: never cleaned away
pub(super) const S_IN_FIGURE: u16 = 2048; // inside <figure>: image wrappers are fine there
pub(super) const S_IN_ARTICLE: u16 = 4096; // inside <article> or an article-body marker
pub(super) const S_CAPTION: u16 = 8192; // <figcaption>, class caption/credit: a picture's caption
/// Signals inherited by descendants.
pub(super) const S_INHERITED: u16 =
    S_IN_LINK | S_HASH_LINK | S_SIDEBARISH | S_IN_PRE | S_IN_FIGURE | S_IN_ARTICLE;

/// What the words of an element's class and id say (see [`Word`] for the
/// kinds of words).
#[derive(Default)]
pub(super) struct ClassInfo {
    /// A content word ("article", "entry", "post" …).
    pub(super) positive: bool,
    /// A rendered formula (MathJax, KaTeX): content whatever else it says.
    pub(super) math: bool,
    /// A layout word (sidebar, menu, footer …).
    pub(super) layout: bool,
    /// A word that is negative only without a content word ("header").
    pub(super) weak_neg: bool,
    /// A boilerplate word (share, related, newsletter, ad …).
    pub(super) boiler: bool,
    /// A user-comments word.
    pub(super) comment: bool,
    /// An explicit article-body marker ("entry-content", "articleBody" …).
    pub(super) mark_body: bool,
    /// A broad main-column marker ("main-content", `id=content` …).
    pub(super) mark_main: bool,
    /// A byline or date word.
    pub(super) byline: bool,
    /// An author word.
    pub(super) author: bool,
    /// A caption or picture-credit word.
    pub(super) caption: bool,
    /// Readability's class weight: +25 per positive attribute, -25 per
    /// negative one.
    pub(super) weight: i32,
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
    /// A picture's caption or credit line.
    Caption,
}

/// Classifies one lowercased word of a class or id.
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
        "caption" | "captions" | "figcaption" | "credit" | "credits" | "photocredit"
        | "imagecredit" | "imagecaption" | "photocaption" => Caption,
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

/// Analyses one class or id attribute value and accumulates into `class_info`.
/// Allocation-free: runs for every element of every page.
fn analyze_class(value: &str, class_info: &mut ClassInfo) {
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
                    class_info.author = true;
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
            class_info.math = true;
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
                class_info.mark_body = true;
            }
            if MAIN_MARKERS.iter().any(|m| has_any(cb, &[m.as_bytes()])) {
                class_info.mark_main = true;
            }
        } else if compound == "content" {
            class_info.mark_main = true;
        }
        let mut kinds = |w: &str| match classify_word(w) {
            Word::Positive => pos = true,
            Word::Layout => {
                class_info.layout = true;
                neg = true
            }
            Word::WeakNeg => {
                class_info.weak_neg = true;
                neg = true
            }
            Word::Boiler => {
                class_info.boiler = true;
                neg = true
            }
            Word::Comment => {
                class_info.comment = true;
                neg = true
            }
            Word::Hidden => neg = true,
            Word::Byline => class_info.byline = true,
            Word::Author => class_info.author = true,
            Word::Caption => class_info.caption = true,
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
        class_info.positive = true;
        class_info.weight += 25;
    }
    if neg {
        class_info.weight -= 25;
    }
}

/// `role` values that matter.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum Role {
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
pub(super) struct Attrs {
    pub(super) class_info: ClassInfo,
    pub(super) role: Role,
    pub(super) itemprop_body: bool,
    pub(super) itemprop_date: bool,
    pub(super) itemprop_author: bool,
    pub(super) rel_tag: bool,
    pub(super) rel_author: bool,
    pub(super) rel_canonical: bool,
    pub(super) href_hash: bool,
    /// The element has an `href`: an `<a>` without one is an anchor
    /// (`<a name="top">`), not a link.
    pub(super) has_href: bool,
    pub(super) pubdate: bool,
    pub(super) hidden: bool,
    pub(super) aria_hidden: bool,
    pub(super) style_hidden: bool,
    pub(super) fallback_img: bool,
    pub(super) ld_json: bool,
    pub(super) content: Option<String>,
    pub(super) datetime: Option<String>,
    pub(super) href: Option<String>,
    pub(super) meta_keys: Vec<String>,
}

impl Attrs {
    /// Never shown: the `hidden` attribute, `aria-hidden` or `display:none`.
    /// Wikipedia's formula images are aria-hidden but are the visible
    /// rendering (Readability makes the same exception).
    pub(super) fn is_hidden(&self) -> bool {
        self.hidden || (self.aria_hidden && !self.fallback_img) || self.style_hidden
    }
}

/// Returns true if and only if the space-separated `list` holds `word`, in
/// any ASCII case.
fn has_word_ci(list: &str, word: &str) -> bool {
    list.split_ascii_whitespace()
        .any(|w| w.eq_ignore_ascii_case(word))
}

/// Reads the attributes of element `id` into [`Attrs`]; with `want_meta`,
/// also the values the metadata reader keeps (`<meta>` keys, `href`).
pub(super) fn read_attrs(dom: &Dom, id: NodeId, want_meta: bool) -> Attrs {
    let mut a = Attrs::default();
    let NodeData::Element { attrs, .. } = &dom.node(id).data else {
        return a;
    };
    for at in attrs {
        let v: &str = &at.value;
        match &*at.name.local {
            "class" => {
                analyze_class(v, &mut a.class_info);
                a.fallback_img = has_any(v.as_bytes(), &[b"fallback-image"]);
            }
            "id"
                // Ids of four words or more are slugs of a heading
                // ("sharing-with-a-single-developer"), not names.
                if v.split(['-', '_']).filter(|w| !w.is_empty()).count() < 4 => {
                    analyze_class(v, &mut a.class_info);
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
                a.itemprop_body = has_word_ci(v, "articleBody") || has_word_ci(v, "reviewBody");
                a.itemprop_date = has_word_ci(v, "datePublished");
                a.itemprop_author = v.contains("author");
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
                a.has_href = true;
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
#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::html::extract_html;
    use crate::ingest::html::test_pages::{article, page, P1, P2, P3};

    #[test]
    fn class_analysis() {
        let class_info = |c: &str| {
            let mut class_info = ClassInfo::default();
            analyze_class(c, &mut class_info);
            class_info
        };
        assert!(class_info("commentList").comment);
        assert!(class_info("social-share").boiler);
        assert!(class_info("shareButtons").boiler);
        assert!(!class_info("shadow").boiler && !class_info("header-read").boiler);
        assert!(class_info("site-header").weak_neg && !class_info("site-header").positive);
        assert!(
            class_info("entry-header").positive,
            "positive word overrides a weak negative"
        );
        // Taxonomy and state classes carry no structure.
        assert!(!class_info("tag-social-media category-ads").boiler);
        assert!(!class_info("has-sidebar").layout);
        assert!(!class_info("fig--has-shares").boiler);
        assert!(class_info("entry-content").mark_body && class_info("td-post-content").mark_body);
        assert!(class_info("article__body").mark_body && class_info("articleBody").mark_body);
        assert!(class_info("MathJax CtxtMenu_Attached_0").math);
    }

    #[test]
    fn id_slugs_are_not_class_signals() {
        let body = format!(
            "<article>{P1}<div id=\"sharing-with-a-single-developer\"><p>SLUGSECTION text that is long enough, with commas, to be prose.</p></div>{P2}{P3}</article>"
        );
        assert!(extract_html(&page("", &body)).text.contains("SLUGSECTION"));
    }

    #[test]
    fn code_comments_survive() {
        let body = article("<pre><code><span class=\"hljs-comment\"># CODECOMMENT decode the payload</span>\nx = 1</code></pre>");
        let d = extract_html(&page("", &body));
        assert!(d.text.contains("CODECOMMENT"), "{}", d.text);
    }
}
