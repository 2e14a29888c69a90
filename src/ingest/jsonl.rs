//! JSON Lines files of scraped articles (`.jsonl`, `.ndjson`): one document
//! per line, its fields found through a [`FieldMap`].
//!
//! A line that is not a JSON object, or has no text, is skipped with its line
//! number; the other lines still give their documents.

use super::{html, text, FileDocuments, SkipReason};
use crate::model::{Document, SourceKind};
use chrono::NaiveDate;
use serde_json::Value;

/// The article fields a JSON record can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The record's identity in the file (kept across re-scrapes).
    Id,
    /// The headline.
    Title,
    /// The article's URL.
    Url,
    /// The publication date.
    Date,
    /// The text, plain (or HTML, when it looks like markup).
    Text,
    /// The text as HTML: goes through the main-content pipeline.
    Html,
    /// Tags: an array of strings, or one comma-separated string.
    Tags,
}

impl Target {
    /// Every target, in the order `--jsonl-map` documents them.
    pub const ALL: [Target; 7] = [
        Target::Id,
        Target::Title,
        Target::Url,
        Target::Date,
        Target::Text,
        Target::Html,
        Target::Tags,
    ];

    /// The target's name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Target::Id => "id",
            Target::Title => "title",
            Target::Url => "url",
            Target::Date => "date",
            Target::Text => "text",
            Target::Html => "html",
            Target::Tags => "tags",
        }
    }

    /// The record keys tried by default, first match wins.
    fn defaults(self) -> &'static [&'static str] {
        match self {
            Target::Id => &["id", "guid", "uuid"],
            Target::Title => &["title", "headline", "name"],
            Target::Url => &["url", "link", "href", "permalink"],
            Target::Date => &[
                "date",
                "published",
                "published_at",
                "date_published",
                "datePublished",
                "pubDate",
                "created_at",
                "updated",
            ],
            Target::Text => &["text", "content_text", "body", "content", "description"],
            Target::Html => &["html", "content_html", "raw_html"],
            Target::Tags => &["tags", "keywords", "categories"],
        }
    }
}

/// Where each article field is read from in a JSON record: a list of keys
/// (or dotted paths into nested objects, `meta.published`) per field, the
/// first present one wins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldMap {
    sources: Vec<(Target, Vec<String>)>,
}

impl Default for FieldMap {
    fn default() -> Self {
        FieldMap {
            sources: Target::ALL
                .into_iter()
                .map(|t| (t, t.defaults().iter().map(|s| s.to_string()).collect()))
                .collect(),
        }
    }
}

/// An invalid `--jsonl-map` specification.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid JSON Lines field map {spec:?}: {reason}")]
pub struct FieldMapError {
    spec: String,
    reason: String,
}

impl FieldMap {
    /// Parses `field=source,...` (`title=headline,text=article.body`)
    /// over the defaults: each named field reads only the given source;
    /// the others keep their default keys. A source may be a dotted path.
    pub fn parse(spec: &str) -> Result<FieldMap, FieldMapError> {
        let err = |reason: String| FieldMapError {
            spec: spec.to_string(),
            reason,
        };
        let mut map = FieldMap::default();
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (field, source) = part
                .split_once('=')
                .ok_or_else(|| err(format!("{part:?} is not field=source")))?;
            let (field, source) = (field.trim(), source.trim());
            let target = Target::ALL
                .into_iter()
                .find(|t| t.name().eq_ignore_ascii_case(field))
                .ok_or_else(|| {
                    let names: Vec<&str> = Target::ALL.iter().map(|t| t.name()).collect();
                    err(format!(
                        "unknown field {field:?} (one of {})",
                        names.join(", ")
                    ))
                })?;
            if source.is_empty() {
                return Err(err(format!("no source for {field:?}")));
            }
            if let Some((_, keys)) = map.sources.iter_mut().find(|(t, _)| *t == target) {
                *keys = vec![source.to_string()];
            }
        }
        Ok(map)
    }

    /// The first present, non-null value of `target` in `record`.
    fn get<'a>(&self, record: &'a Value, target: Target) -> Option<&'a Value> {
        let keys = self.sources.iter().find(|(t, _)| *t == target)?;
        keys.1
            .iter()
            .find_map(|key| lookup(record, key).filter(|v| !v.is_null() && v.as_str() != Some("")))
    }
}

/// A key of `record`, or a dotted path into nested objects.
fn lookup<'a>(record: &'a Value, key: &str) -> Option<&'a Value> {
    if let Some(v) = record.get(key) {
        return Some(v);
    }
    key.split('.').try_fold(record, |v, part| v.get(part))
}

/// Reads every line of a JSON Lines file.
pub fn documents(bytes: &[u8], map: &FieldMap) -> Result<FileDocuments, SkipReason> {
    let mut out = FileDocuments::default();
    let mut lines_seen = 0usize;
    for (i, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        let line_no = i + 1;
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        // A byte-order mark may open the first line.
        let raw = raw.strip_prefix(b"\xef\xbb\xbf").unwrap_or(raw);
        if raw.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        lines_seen += 1;
        let record: Value = match serde_json::from_slice(raw) {
            Ok(v) => v,
            Err(e) => {
                out.partial_skips
                    .push(format!("line {line_no}: invalid JSON ({e})"));
                continue;
            }
        };
        if !record.is_object() {
            out.partial_skips
                .push(format!("line {line_no}: not a JSON object"));
            continue;
        }
        match record_document(&record, map, line_no) {
            Some(doc) => out.documents.push(doc),
            None => out
                .partial_skips
                .push(format!("line {line_no}: no text or html field")),
        }
    }
    if lines_seen == 0 {
        return Err(SkipReason::Empty);
    }
    if out.documents.is_empty() {
        // One reason for the file, not one per line: a JSON Lines file of
        // something else (a manifest, a log) is not a set of articles.
        let first = out.partial_skips.first().cloned().unwrap_or_default();
        return Err(SkipReason::NoDocuments(format!(
            "none of {lines_seen} lines is an article (first: {first})"
        )));
    }
    Ok(out)
}

/// The document of one record, or `None` when it has no text.
fn record_document(record: &Value, map: &FieldMap, line_no: usize) -> Option<Document> {
    let string = |t: Target| map.get(record, t).and_then(value_text);
    let html_source = string(Target::Html);
    let text_source = string(Target::Text);
    let mut article = match (html_source, text_source) {
        (Some(h), _) => html::extract(&fragment_page(&h)),
        // Scrapers often put the page's HTML under "content" or "body".
        (None, Some(t)) if looks_like_html(&t) => html::extract(&fragment_page(&t)),
        (None, Some(t)) => text::extract(&t, SourceKind::Text),
        (None, None) => return None,
    };
    if article.text.trim().is_empty() {
        return None;
    }
    if let Some(t) = string(Target::Title) {
        article.title = Some(t.trim().to_string());
    }
    if let Some(u) = string(Target::Url) {
        article.url = Some(u.trim().to_string());
    }
    if let Some(d) = map.get(record, Target::Date).and_then(value_date) {
        article.date = Some(d);
    }
    if let Some(tags) = map.get(record, Target::Tags) {
        article.tags = value_tags(tags);
    }
    // The record's identity: its id, else its URL (a re-scrape keeps both),
    // else its line.
    let entry = string(Target::Id)
        .or_else(|| article.url.clone())
        .unwrap_or_else(|| format!("line-{line_no}"));
    Some(Document {
        format: SourceKind::JsonLines,
        entry: Some(entry),
        pages: None,
        article,
    })
}

/// An HTML fragment (a feed entry's or a record's content) as a page whose
/// `<article>` is the fragment, so main-content selection keeps all of it.
pub(crate) fn fragment_page(html: &str) -> String {
    if html.contains("<body") || html.contains("<html") {
        return html.to_string();
    }
    format!("<!DOCTYPE html><html><head></head><body><article>{html}</article></body></html>")
}

/// Returns true if and only if a text field holds markup rather than prose.
pub(crate) fn looks_like_html(s: &str) -> bool {
    let t = s.trim_start();
    t.starts_with('<')
        || ["<p>", "<p ", "<div", "<br", "</p>", "<li>"]
            .iter()
            .any(|tag| s.contains(tag))
}

/// A JSON value as text: strings as they are, numbers written out.
fn value_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A date from a string in any format [`super::date::parse_date`] reads, or
/// from a Unix timestamp in seconds or milliseconds.
fn value_date(v: &Value) -> Option<NaiveDate> {
    match v {
        Value::String(s) => super::date::parse_date(s),
        Value::Number(n) => {
            let n = n.as_i64()?;
            // Milliseconds since the epoch are 1000 times larger than any
            // plausible count of seconds.
            let secs = if n > 100_000_000_000 { n / 1000 } else { n };
            let d = chrono::DateTime::from_timestamp(secs, 0)?.date_naive();
            super::date::parse_date(&d.to_string())
        }
        _ => None,
    }
}

/// Tags from an array of strings or a comma-separated string.
fn value_tags(v: &Value) -> Vec<String> {
    let from_str = |s: &str| -> Vec<String> {
        s.split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect()
    };
    match v {
        Value::String(s) => from_str(s),
        Value::Array(items) => items
            .iter()
            .filter_map(|i| match i {
                Value::String(s) => Some(s.trim().to_string()),
                // {"name": "ransomware"} or {"term": "…"} objects.
                Value::Object(o) => ["name", "term", "label"]
                    .iter()
                    .find_map(|k| o.get(*k).and_then(Value::as_str))
                    .map(|s| s.trim().to_string()),
                _ => None,
            })
            .filter(|t| !t.is_empty())
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = concat!(
        r#"{"id":"a1","title":"Lazarus hits exchange","url":"https://news.example/a1","published":"2024-03-05T10:00:00Z","text":"The group stole funds.\n\nIt used fake job offers.","tags":["crypto","dprk"]}"#,
        "\n",
        "{not json\n",
        "\n",
        r#"{"title":"No text here"}"#,
        "\n",
        r#"{"headline":"Markup","content":"<p>APT29 sent <b>phishing</b> mail.</p>","date":1709251200}"#,
        "\n",
        "[1,2]\n",
    );

    #[test]
    fn default_mapping_reads_good_lines_and_names_bad_ones() {
        let got = documents(FILE.as_bytes(), &FieldMap::default()).unwrap();
        assert_eq!(got.documents.len(), 2);
        let a = &got.documents[0];
        assert_eq!(a.entry.as_deref(), Some("a1"));
        assert_eq!(a.format, SourceKind::JsonLines);
        assert_eq!(a.article.title.as_deref(), Some("Lazarus hits exchange"));
        assert_eq!(a.article.url.as_deref(), Some("https://news.example/a1"));
        assert_eq!(a.article.date, NaiveDate::from_ymd_opt(2024, 3, 5));
        assert_eq!(a.article.tags, vec!["crypto", "dprk"]);
        assert!(a.article.text.contains("fake job offers"));
        let b = &got.documents[1];
        assert_eq!(b.article.title.as_deref(), Some("Markup"));
        assert!(
            b.article.text.contains("APT29 sent phishing mail."),
            "{b:?}"
        );
        assert!(!b.article.text.contains("<b>"));
        assert_eq!(b.article.date, NaiveDate::from_ymd_opt(2024, 3, 1));
        assert_eq!(b.entry.as_deref(), Some("line-5"));
        assert_eq!(got.partial_skips.len(), 3, "{:?}", got.partial_skips);
        assert!(got.partial_skips[0].starts_with("line 2: invalid JSON"));
        assert_eq!(got.partial_skips[1], "line 4: no text or html field");
        assert_eq!(got.partial_skips[2], "line 6: not a JSON object");
    }

    #[test]
    fn map_overrides_one_field_and_reads_dotted_paths() {
        let line = r#"{"title":"Wrong","meta":{"headline":"Right","when":"5 March 2024"},"article":{"body":"Sandworm text."}}"#;
        let map = FieldMap::parse("title=meta.headline, text=article.body,date=meta.when").unwrap();
        let got = documents(line.as_bytes(), &map).unwrap();
        let a = &got.documents[0].article;
        assert_eq!(a.title.as_deref(), Some("Right"));
        assert_eq!(a.text, "Sandworm text.");
        assert_eq!(a.date, NaiveDate::from_ymd_opt(2024, 3, 5));
    }

    #[test]
    fn bad_maps_are_refused() {
        assert!(FieldMap::parse("title").is_err());
        assert!(FieldMap::parse("author=x").is_err());
        assert!(FieldMap::parse("title=").is_err());
        assert_eq!(FieldMap::parse("").unwrap(), FieldMap::default());
    }

    #[test]
    fn a_file_of_other_records_is_one_skip() {
        let manifest = "{\"file\":\"a.txt\",\"chars\":10}\n{\"file\":\"b.txt\"}\n";
        let err = documents(manifest.as_bytes(), &FieldMap::default()).unwrap_err();
        assert!(matches!(err, SkipReason::NoDocuments(_)), "{err}");
        assert_eq!(
            documents(b"\n \n", &FieldMap::default()),
            Err(SkipReason::Empty)
        );
    }
}
