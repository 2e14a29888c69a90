//! A threatdex document as Quickwit stores it, and back: the JSON of a
//! [`TantivyDocument`] built by `index::schema::to_document` (so the remote
//! index holds exactly what a local one would), with the analysed tokens of
//! the stemmed fields and a deterministic id added.

use super::mapping::{kind_of, parts_field, terms_field, Kind, DOC_ID, FACETS};
use crate::error::{Error, Result};
use crate::index::schema::{from_datetime, names, to_datetime, Dimension};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use tantivy::schema::{Facet, OwnedValue, Schema, Value as _};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::TantivyDocument;

/// Namespace of the document ids (a fixed random UUID: ids depend only on
/// the document's key and content).
const ID_NAMESPACE: uuid::Uuid = uuid::Uuid::from_u128(0x6f1c_2b7e_94a3_4d0e_8c55_1e0b_7a2f_d913);

/// The remote id of the document with `key` extracted from bytes hashing to
/// `hash`: the same on every machine that reads the same file at the same
/// path (or the same feed entry), so collectors never add a document twice.
pub fn doc_id(key: &str, hash: &str) -> String {
    let name = format!("{key}\u{0}{hash}");
    uuid::Uuid::new_v5(&ID_NAMESPACE, name.as_bytes()).to_string()
}

/// Turns documents into Quickwit JSON; holds the analyzer (with its memo).
pub struct Encoder {
    schema: Schema,
    analyzer: TextAnalyzer,
}

impl Default for Encoder {
    fn default() -> Self {
        Encoder::new()
    }
}

impl Encoder {
    /// An encoder for the current schema.
    pub fn new() -> Encoder {
        Encoder {
            schema: crate::index::schema::build_schema().0,
            analyzer: crate::index::stem::analyzer(),
        }
    }

    /// The JSON object of `doc`, whose key is `key`.
    pub fn encode(&mut self, doc: &TantivyDocument, key: &str) -> Result<Map<String, Value>> {
        let mut out = Map::new();
        let mut facets: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
        let mut hash = String::new();
        for (field, entry) in self.schema.fields() {
            let name = entry.name();
            let values: Vec<OwnedValue> = doc.get_all(field).map(OwnedValue::from).collect();
            if values.is_empty() {
                continue;
            }
            match kind_of(entry)? {
                Kind::Stemmed => {
                    let texts: Vec<&str> = values.iter().filter_map(|v| v.as_str()).collect();
                    let mut terms = Vec::with_capacity(texts.len());
                    let mut parts: Vec<String> = Vec::new();
                    for t in &texts {
                        let (main, extra) = analyse(&mut self.analyzer, t);
                        terms.push(Value::String(main));
                        for p in extra {
                            if !parts.contains(&p) {
                                parts.push(p);
                            }
                        }
                    }
                    out.insert(name.to_string(), strings(texts.iter().copied()));
                    out.insert(terms_field(name), Value::Array(terms));
                    if !parts.is_empty() {
                        out.insert(parts_field(name), strings(parts.iter().map(String::as_str)));
                    }
                }
                Kind::Exact => {
                    let texts: Vec<&str> = values.iter().filter_map(|v| v.as_str()).collect();
                    if name == names::HASH {
                        hash = texts.first().map_or_else(String::new, |h| h.to_string());
                    }
                    out.insert(name.to_string(), strings(texts.into_iter()));
                }
                Kind::Date => {
                    if let Some(d) = values
                        .first()
                        .and_then(|v| v.as_datetime())
                        .and_then(from_datetime)
                    {
                        out.insert(name.to_string(), Value::String(format!("{d}T00:00:00Z")));
                    }
                }
                Kind::U64 => {
                    if let Some(n) = values.first().and_then(|v| v.as_u64()) {
                        out.insert(name.to_string(), Value::from(n));
                    }
                }
                Kind::I64 => {
                    if let Some(n) = values.first().and_then(|v| v.as_i64()) {
                        out.insert(name.to_string(), Value::from(n));
                    }
                }
                Kind::Facets => {
                    for v in &values {
                        let OwnedValue::Facet(f) = v else { continue };
                        let mut path = f.to_path().into_iter();
                        let (Some(root), Some(value)) = (path.next(), path.next()) else {
                            continue;
                        };
                        let Some(dim) = Dimension::from_name(root) else {
                            continue;
                        };
                        let list = facets.entry(dim.name()).or_default();
                        // One count per document and value, as locally.
                        if !list.iter().any(|x| x == value) {
                            list.push(value.to_string());
                        }
                    }
                }
            }
        }
        if !facets.is_empty() {
            let obj: Map<String, Value> = facets
                .into_iter()
                .map(|(k, v)| (k.to_string(), strings(v.iter().map(String::as_str))))
                .collect();
            out.insert(FACETS.to_string(), Value::Object(obj));
        }
        out.insert(DOC_ID.to_string(), Value::String(doc_id(key, &hash)));
        Ok(out)
    }
}

fn strings<'a>(it: impl Iterator<Item = &'a str>) -> Value {
    Value::Array(it.map(|s| Value::String(s.to_string())).collect())
}

/// The index analyzer's tokens of `text`: the main stream (one token per
/// position, joined by spaces) and the compound parts (tokens sharing the
/// position of the one before them).
pub fn analyse(analyzer: &mut TextAnalyzer, text: &str) -> (String, Vec<String>) {
    let mut main = String::with_capacity(text.len());
    let mut parts = Vec::new();
    let mut last: Option<usize> = None;
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        let t = stream.token();
        if last == Some(t.position) {
            parts.push(t.text.clone());
            continue;
        }
        last = Some(t.position);
        if !main.is_empty() {
            main.push(' ');
        }
        main.push_str(&t.text);
    }
    (main, parts)
}

/// Rebuilds the tantivy document of a stored Quickwit document (the
/// inverse of [`Encoder::encode`], without the remote-only fields), so the
/// local readers (`schema::from_document`) and renderers take it as is.
pub fn decode(schema: &Schema, json: &Map<String, Value>) -> Result<TantivyDocument> {
    let mut doc = TantivyDocument::default();
    let bad = |name: &str, what: &str| Error::Remote {
        method: "GET".into(),
        url: String::new(),
        status: 200,
        message: format!("stored document: field {name}: {what}"),
    };
    for (field, entry) in schema.fields() {
        let name = entry.name();
        let Some(v) = json.get(name) else { continue };
        let texts = || -> Vec<&str> {
            match v {
                Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
                Value::String(s) => vec![s.as_str()],
                _ => Vec::new(),
            }
        };
        match kind_of(entry)? {
            Kind::Stemmed | Kind::Exact => {
                for t in texts() {
                    doc.add_text(field, t);
                }
            }
            Kind::Date => {
                let s = v.as_str().ok_or_else(|| bad(name, "not a date"))?;
                let d = chrono::DateTime::parse_from_rfc3339(s)
                    .map_err(|e| bad(name, &e.to_string()))?;
                doc.add_date(field, to_datetime(d.date_naive()));
            }
            Kind::U64 => doc.add_u64(field, v.as_u64().ok_or_else(|| bad(name, "not a u64"))?),
            Kind::I64 => doc.add_i64(field, v.as_i64().ok_or_else(|| bad(name, "not an i64"))?),
            Kind::Facets => {
                let Value::Object(dims) = v else { continue };
                for dim in Dimension::ALL {
                    let Some(Value::Array(values)) = dims.get(dim.name()) else {
                        continue;
                    };
                    for value in values.iter().filter_map(Value::as_str) {
                        doc.add_facet(field, Facet::from_path([dim.name(), value]));
                    }
                }
            }
        }
    }
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::schema::{add_indicators, add_source, build_schema, from_document};
    use crate::model::{Article, Entities, Indicators, SourceKind};

    fn sample() -> (Schema, TantivyDocument) {
        let (schema, f) = build_schema();
        let article = Article {
            title: Some("CitrixBleed exploited by Volt Typhoon".into()),
            text: "Attackers exploited CitrixBleed. Log4j2 was patched.".into(),
            date: chrono::NaiveDate::from_ymd_opt(2024, 2, 29),
            url: Some("https://example.org/a".into()),
            tags: vec!["apt".into(), "edge devices".into()],
        };
        let ents = Entities {
            actors: vec!["Volt Typhoon".into()],
            countries: vec!["US".into(), "CN".into()],
            ..Entities::default()
        };
        let stamp = crate::index::schema::FileStamp {
            path: "/r/a.html",
            hash: "abc123",
            size: 42,
            mtime: -5,
            kb: "kb1",
        };
        let mut doc = crate::index::schema::to_document(&f, &stamp, &article, &ents);
        add_indicators(
            &f,
            &mut doc,
            &Indicators {
                cves: vec!["CVE-2023-4966".into()],
                techniques: vec!["T1059.001".into()],
                iocs: Vec::new(),
            },
        );
        add_source(&f, &mut doc, "/r/a.html", SourceKind::Html, None);
        (schema, doc)
    }

    #[test]
    fn a_document_round_trips_through_its_json() {
        let (schema, doc) = sample();
        let f = crate::index::schema::fields(&schema).unwrap();
        let json = Encoder::new().encode(&doc, "/r/a.html").unwrap();
        assert_eq!(json[names::DATE], "2024-02-29T00:00:00Z");
        assert_eq!(json[FACETS]["actor"], serde_json::json!(["Volt Typhoon"]));
        assert_eq!(json[FACETS]["year"], serde_json::json!(["2024"]));
        assert_eq!(
            json[FACETS]["technique"],
            serde_json::json!(["T1059", "T1059.001"])
        );
        let back = decode(&schema, &json).unwrap();
        let (a, b) = (from_document(&f, &doc), from_document(&f, &back));
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
    }

    #[test]
    fn stemmed_fields_carry_threatdex_tokens() {
        let (_, doc) = sample();
        let json = Encoder::new().encode(&doc, "/r/a.html").unwrap();
        assert_eq!(
            json[&terms_field(names::TITLE)],
            serde_json::json!(["citrixble exploit by volt typhoon"])
        );
        assert_eq!(
            json[&parts_field(names::TITLE)],
            serde_json::json!(["citrix", "bleed"])
        );
        let body_parts = json[&parts_field(names::BODY)].as_array().unwrap();
        assert!(body_parts.contains(&Value::from("log4j")), "{body_parts:?}");
        // Tags are analysed value by value.
        assert_eq!(
            json[&terms_field(names::TAGS)],
            serde_json::json!(["apt", "edg devic"])
        );
    }

    #[test]
    fn ids_depend_on_key_and_content_only() {
        assert_eq!(doc_id("/r/a.html", "h1"), doc_id("/r/a.html", "h1"));
        assert_ne!(doc_id("/r/a.html", "h1"), doc_id("/r/a.html", "h2"));
        assert_ne!(doc_id("/r/a.html", "h1"), doc_id("/r/b.html", "h1"));
        assert_eq!(doc_id("k", "h").len(), 36);
    }
}
