//! RSS 2.0, RSS 1.0, Atom and JSON Feed files (parsed by `feed-rs`): one
//! document per entry, its HTML through the main-content and text pipeline.
//!
//! An entry's identity is the feed's identity (its id, else its link, else
//! the file's path) plus the entry's (its id, else its link, else a digest of
//! its title and content): the same entry in a later snapshot of the feed —
//! the same file grown, or another file of a folder of snapshots — is the
//! same document.

use super::jsonl::{fragment_page, looks_like_html};
use super::{html, FileDocuments, SkipReason};
use crate::model::{Article, Document, SourceKind};
use std::path::Path;

/// Reads every entry of a feed file.
pub fn documents(bytes: &[u8], path: &Path) -> Result<FileDocuments, SkipReason> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(SkipReason::Empty);
    }
    // Missing ids stay empty, so that the identity rules below (not a
    // random UUID, the parser's last resort) decide them.
    let parser = feed_rs::parser::Builder::new()
        .id_generator(|_, _, _| String::new())
        .build();
    let feed = parser.parse(bytes).map_err(|e| not_a_feed(&e))?;
    let scope = feed_identity(&feed).unwrap_or_else(|| path.to_string_lossy().into_owned());
    let mut out = FileDocuments::default();
    for (i, entry) in feed.entries.iter().enumerate() {
        let article = entry_article(entry);
        if article.text.trim().is_empty() {
            let name = article.title.as_deref().unwrap_or("untitled");
            out.partial_skips
                .push(format!("entry {} ({name}): no text", i + 1));
            continue;
        }
        out.documents.push(Document {
            format: SourceKind::Feed,
            entry: Some(format!("{scope}#{}", entry_identity(entry, &article))),
            pages: None,
            article,
        });
    }
    if out.documents.is_empty() {
        return Err(SkipReason::NoDocuments(if feed.entries.is_empty() {
            "the feed has no entries".to_string()
        } else {
            format!("none of {} entries has text", feed.entries.len())
        }));
    }
    Ok(out)
}

/// The skip reason for a file the parser refused.
fn not_a_feed(e: &feed_rs::parser::ParseFeedError) -> SkipReason {
    use feed_rs::parser::{ParseErrorKind, ParseFeedError};
    match e {
        ParseFeedError::ParseError(ParseErrorKind::NoFeedRoot) => {
            SkipReason::NotAFeed("no RSS, Atom or JSON Feed root".to_string())
        }
        ParseFeedError::JsonUnsupportedVersion(v) => {
            SkipReason::NotAFeed(format!("JSON without a JSON Feed version ({v})"))
        }
        ParseFeedError::JsonSerde(e) => SkipReason::NotAFeed(format!("JSON: {e}")),
        other => SkipReason::Malformed(other.to_string()),
    }
}

/// The feed's own identity: its id, else its site link.
fn feed_identity(feed: &feed_rs::model::Feed) -> Option<String> {
    non_empty(&feed.id).or_else(|| main_link(&feed.links))
}

/// The entry's identity within its feed.
fn entry_identity(entry: &feed_rs::model::Entry, article: &Article) -> String {
    if let Some(id) = non_empty(&entry.id) {
        return id;
    }
    if let Some(url) = &article.url {
        return url.clone();
    }
    let mut h = blake3::Hasher::new();
    h.update(article.title.as_deref().unwrap_or("").as_bytes());
    h.update(b"\0");
    h.update(article.text.as_bytes());
    format!("digest:{}", &h.finalize().to_hex()[..32])
}

/// A trimmed string, or `None` when blank.
fn non_empty(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

/// The page a set of links points to: the `alternate` (or unlabelled) link,
/// else the first.
fn main_link(links: &[feed_rs::model::Link]) -> Option<String> {
    links
        .iter()
        .find(|l| matches!(l.rel.as_deref(), None | Some("alternate")))
        .or(links.first())
        .and_then(|l| non_empty(&l.href))
}

/// The article of one entry: its content (else summary) through the text
/// pipeline, its title, link, published (else updated) date and categories.
fn entry_article(entry: &feed_rs::model::Entry) -> Article {
    let body = entry
        .content
        .as_ref()
        .and_then(|c| c.body.clone())
        .filter(|b| !b.trim().is_empty())
        .or_else(|| entry.summary.as_ref().map(|s| s.content.clone()))
        .unwrap_or_default();
    let text = if looks_like_html(&body) {
        html::extract(&fragment_page(&body)).text
    } else {
        body.trim().to_string()
    };
    let mut tags: Vec<String> = entry
        .categories
        .iter()
        .filter_map(|c| non_empty(c.label.as_deref().unwrap_or(&c.term)))
        .collect();
    tags.dedup();
    Article {
        title: entry
            .title
            .as_ref()
            .and_then(|t| non_empty(&t.content))
            .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" ")),
        date: entry
            .published
            .or(entry.updated)
            .map(|d| d.date_naive())
            .and_then(|d| super::date::parse_date(&d.to_string())),
        url: main_link(&entry.links),
        tags,
        text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    const RSS: &str = r#"<?xml version="1.0"?>
<rss version="2.0"><channel><title>Intel blog</title><link>https://blog.example/</link>
<item><title>Volt Typhoon in routers</title><link>https://blog.example/volt</link>
<guid isPermaLink="false">post-17</guid><pubDate>Tue, 05 Mar 2024 10:00:00 GMT</pubDate>
<category>China</category>
<description><![CDATA[<p>The actor used <b>SOHO routers</b> as relays.</p><p>Block 203.0.113.7.</p>]]></description></item>
<item><title>Empty</title><link>https://blog.example/empty</link><description></description></item>
</channel></rss>"#;

    const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Advisories</title><id>urn:adv</id>
<updated>2024-04-02T00:00:00Z</updated>
<entry><title>APT29 phishing</title><id>urn:adv:1</id><link href="https://adv.example/1"/>
<updated>2024-04-02T00:00:00Z</updated>
<content type="html">&lt;p&gt;Midnight Blizzard sent lures.&lt;/p&gt;</content></entry>
</feed>"#;

    const JSON_FEED: &str = r#"{"version":"https://jsonfeed.org/version/1.1","title":"J","home_page_url":"https://j.example/",
"items":[{"id":"7","url":"https://j.example/7","title":"Sandworm","content_text":"Sandworm hit the grid.","date_published":"2023-11-20T08:00:00Z","tags":["ics"]}]}"#;

    #[test]
    fn rss_entries_become_documents() {
        let got = documents(RSS.as_bytes(), Path::new("/f/blog.rss")).unwrap();
        assert_eq!(got.documents.len(), 1);
        let d = &got.documents[0];
        assert_eq!(d.format, SourceKind::Feed);
        assert_eq!(d.entry.as_deref(), Some("https://blog.example/#post-17"));
        assert_eq!(d.article.title.as_deref(), Some("Volt Typhoon in routers"));
        assert_eq!(d.article.url.as_deref(), Some("https://blog.example/volt"));
        assert_eq!(d.article.date, NaiveDate::from_ymd_opt(2024, 3, 5));
        assert_eq!(d.article.tags, vec!["China"]);
        assert!(d.article.text.contains("SOHO routers as relays."), "{d:?}");
        assert!(d.article.text.contains("203.0.113.7"));
        assert_eq!(got.partial_skips, vec!["entry 2 (Empty): no text"]);
    }

    #[test]
    fn atom_uses_updated_when_not_published() {
        let got = documents(ATOM.as_bytes(), Path::new("/f/a.atom")).unwrap();
        let d = &got.documents[0];
        assert_eq!(d.entry.as_deref(), Some("urn:adv#urn:adv:1"));
        assert_eq!(d.article.date, NaiveDate::from_ymd_opt(2024, 4, 2));
        assert_eq!(d.article.text, "Midnight Blizzard sent lures.");
    }

    #[test]
    fn json_feed_is_read() {
        let got = documents(JSON_FEED.as_bytes(), Path::new("/f/feed.json")).unwrap();
        let d = &got.documents[0];
        assert_eq!(d.entry.as_deref(), Some("https://j.example/#7"));
        assert_eq!(d.article.text, "Sandworm hit the grid.");
        assert_eq!(d.article.tags, vec!["ics"]);
    }

    #[test]
    fn identity_survives_a_grown_snapshot() {
        let grown = RSS.replace(
            "<item><title>Volt",
            "<item><title>New</title><guid>post-18</guid><description>New text.</description></item><item><title>Volt",
        );
        let a = documents(RSS.as_bytes(), Path::new("/f/one.xml")).unwrap();
        let b = documents(grown.as_bytes(), Path::new("/f/two.xml")).unwrap();
        assert_eq!(b.documents.len(), 2);
        assert_eq!(a.documents[0].entry, b.documents[1].entry);
    }

    #[test]
    fn other_xml_and_json_are_not_feeds() {
        let sitemap = "<?xml version=\"1.0\"?><urlset><url><loc>x</loc></url></urlset>";
        assert!(matches!(
            documents(sitemap.as_bytes(), Path::new("/f/sitemap.xml")),
            Err(SkipReason::NotAFeed(_))
        ));
        assert!(matches!(
            documents(br#"{"a":1}"#, Path::new("/f/feed.json")),
            Err(SkipReason::NotAFeed(_)) | Err(SkipReason::Malformed(_))
        ));
        assert!(documents(b"<rss><channel><item>", Path::new("/f/x.rss")).is_err());
    }
}
