//! Metadata: takes the arena (with the page metadata read during the walk)
//! and the final [`Selection`], gives the title, publication date, URL and
//! tags of an [`HtmlDoc`]: from `<meta>` tags, JSON-LD, `<title>` and the
//! article's `<h1>`, dated elements and byline lines in or just above the
//! chosen content. Also takes the headline back out of the selection once
//! the title is known.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;
use serde_json::Value;

use super::super::date::{date_from_url, find_date_in_text, parse_date};
use super::arena::{contains, subtree_text, Arena, PageMeta, NO_NODE};
use super::clean::Selection;
use super::signals::{RM_COMMENT, RM_HIDDEN, S_BYLINE, S_REL_TAG, S_SIDEBARISH};
use super::stats::excluded_nodes;
use super::tags::Tag;
use super::HtmlDoc;

/// The words of `s` joined by single spaces.
fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The first non-blank `<meta>` content under any of `keys`, in key order.
fn meta_get<'a>(m: &'a PageMeta, keys: &[&str]) -> Option<&'a str> {
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

/// Returns true if and only if a JSON-LD object's `@type` names an
/// article-like thing (article, posting, report, news, web page …).
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

/// Reads the JSON-LD blocks: the article's headline, name, publication date
/// and keywords.
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

/// White-space separated words in `s`.
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
fn spaced_text(arena: &Arena, i: u32) -> String {
    let mut words = Vec::new();
    for j in i..arena.nodes[i as usize].end {
        let node = &arena.nodes[j as usize];
        if node.tag == Tag::Text {
            words.extend(arena.text_of(node).split_whitespace());
        }
    }
    words.join(" ")
}

/// Letters and digits only, lower case: the form in which headings and
/// titles are compared.
fn norm_cmp(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(|c| c.to_lowercase())
        .collect()
}

/// Removes from the selection the first `<h1>`/`<h2>` that repeats `title`
/// (the article's own headline).
pub(super) fn drop_title_heading(arena: &Arena, selection: &mut Selection, title: &str) {
    let t = norm_cmp(title);
    if t.is_empty() {
        return;
    }
    for &r in &selection.roots.clone() {
        let end = arena.nodes[r as usize].end;
        for j in r..end {
            let node = &arena.nodes[j as usize];
            if matches!(node.tag, Tag::H(1) | Tag::H(2)) && !selection.removed[j as usize] {
                let h = norm_cmp(&subtree_text(arena, j, None));
                if !h.is_empty() && (h == t || (t.contains(&h) && h.len() * 4 >= t.len() * 3)) {
                    selection.removed[j as usize] = true;
                    return;
                }
            }
        }
    }
}

/// Fills the title, date, URL and tags of `doc` from the page metadata and
/// the region around the selection.
pub(super) fn metadata(arena: &Arena, selection: &Selection, doc: &mut HtmlDoc) {
    let m = &arena.meta;
    let ld = parse_jsonld(&m.jsonld);
    let excluded = excluded_nodes(arena, &selection.furniture);
    let first_root = selection.roots.first().copied().unwrap_or(0);
    let last_end = selection
        .roots
        .iter()
        .map(|&r| arena.nodes[r as usize].end)
        .max()
        .unwrap_or(0);
    let in_sel = |i: u32| selection.roots.iter().any(|&r| contains(arena, r, i));
    // The region "around" the article: up to three levels above it, where
    // the byline, date and tag links of the article live.
    let region = {
        let mut r = first_root;
        for _ in 0..3 {
            let p = arena.nodes[r as usize].parent;
            if p == NO_NODE || matches!(arena.nodes[p as usize].tag, Tag::Body | Tag::Html) {
                break;
            }
            r = p;
        }
        r
    };
    let in_region = |i: u32| contains(arena, region, i) && i < last_end;
    let sidebarish = |i: u32| -> bool {
        let mut p = i;
        let mut hops = 0;
        while p != NO_NODE && hops < 64 {
            let node = &arena.nodes[p as usize];
            if node.signals & S_SIDEBARISH != 0
                || node.removal & (RM_COMMENT | RM_HIDDEN) != 0
                || excluded[p as usize]
            {
                return true;
            }
            if matches!(node.tag, Tag::Footer | Tag::Nav | Tag::Aside) {
                return true;
            }
            p = node.parent;
            hops += 1;
        }
        false
    };

    // --- title ---
    let h1s: Vec<(u32, String)> = arena
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, node)| node.tag == Tag::H(1))
        .take(16)
        .map(|(i, _)| (i as u32, subtree_text(arena, i as u32, None)))
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
        .find(|(i, _)| in_region(*i) && !excluded[*i as usize])
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
            let hs: Vec<String> = arena
                .nodes
                .iter()
                .enumerate()
                .filter(|(_, node)| matches!(node.tag, Tag::H(1) | Tag::H(2)))
                .take(32)
                .map(|(i, _)| subtree_text(arena, i as u32, None))
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
            let d = parse_date(v).or_else(|| find_date_in_text(&subtree_text(arena, *i, None)));
            consider(if in_sel(*i) || in_region(*i) { 0 } else { 2 }, d);
        }
        for (i, dt, pubdate) in &m.times {
            if sidebarish(*i) {
                continue;
            }
            let d = parse_date(dt).or_else(|| find_date_in_text(&subtree_text(arena, *i, None)));
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
            let node = &arena.nodes[j as usize];
            if node.tag == Tag::Text || node.signals & S_BYLINE == 0 {
                continue;
            }
            if sidebarish(j) {
                continue;
            }
            let t = subtree_text(arena, j, None);
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
            let node = &arena.nodes[j as usize];
            if node.tag == Tag::Text || node.end - j > BYLINE_MAX_NODES || sidebarish(j) {
                continue;
            }
            let t = spaced_text(arena, j);
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
    for (i, node) in arena.nodes.iter().enumerate() {
        if node.signals & S_REL_TAG != 0 && in_region(i as u32) && !sidebarish(i as u32) {
            push(&subtree_text(arena, i as u32, None), &mut tags);
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
#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::html::extract_html;
    use crate::ingest::html::test_pages::{article, page, P1, P2, P3};

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
}
