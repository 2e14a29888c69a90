//! The Quickwit index config, generated from the tantivy schema
//! ([`crate::index::schema::build_schema`]) and the facet dimensions
//! ([`Dimension::ALL`]): one source of truth, no second list of fields.
//!
//! How each kind of schema field is mapped:
//! - a text field analysed with threatdex's stemming analyzer (`title`,
//!   `body`, `tags`) is stored as it is, unindexed, and indexed through two
//!   companion fields that threatdex fills with its own analyzer's output
//!   ([`terms_field`], [`parts_field`]): Quickwit has no English stemmer
//!   and no compound-name filter, so the analysis runs client-side, at
//!   ingest and at query time, and the cluster only splits on whitespace;
//! - an exact text field (path, CVE, technique, IOC, key, format…) is a
//!   `raw` text array, fast where the schema's is;
//! - the facet field becomes one object `facets` with one raw, fast text
//!   array per dimension (`facets.actor`, `facets.month`…), what terms
//!   aggregations count;
//! - the date is a fast `datetime` (seconds); numbers keep their type.

use crate::error::{Error, Result};
use crate::index::schema::{build_schema, names, Dimension};
use serde_json::{json, Map, Value};
use tantivy::schema::{FieldEntry, FieldType, IndexRecordOption};

/// The remote-only field holding a document's deterministic id
/// ([`super::document::doc_id`]).
pub const DOC_ID: &str = "doc_id";

/// The object holding one field per facet dimension.
pub const FACETS: &str = names::FACETS;

/// The analyzer name of the schema's stemmed text fields.
const STEMMED: &str = "en_stem";

/// Seconds Quickwit waits before it commits what was ingested (documents
/// are searchable after a commit; `index` forces one at the end of a run).
pub const COMMIT_TIMEOUT_SECS: u64 = 5;

/// The field holding the analysed tokens of the stemmed text field `name`,
/// one array value per source value, joined by spaces.
pub fn terms_field(name: &str) -> String {
    format!("{name}_terms")
}

/// The field holding the compound-name parts of the stemmed text field
/// `name` (`index::stem::compound_parts`), one array value per part.
pub fn parts_field(name: &str) -> String {
    format!("{name}_parts")
}

/// The remote field counting one facet dimension (`facets.actor`).
pub fn facet_field(dim: Dimension) -> String {
    format!("{FACETS}.{}", dim.name())
}

/// How one schema field is represented remotely.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Stemmed text: stored as is, searched through its companions.
    Stemmed,
    /// Exact text, matched whole (raw tokenizer) when indexed.
    Exact,
    /// The publication date.
    Date,
    /// An unsigned number.
    U64,
    /// A signed number.
    I64,
    /// The facet field: one array per dimension under `facets`.
    Facets,
}

/// The remote kind of a schema field, or why it has none.
pub fn kind_of(entry: &FieldEntry) -> Result<Kind> {
    let unsupported = |what: &str| Error::Mapping {
        field: entry.name().to_string(),
        reason: format!("{what} fields have no Quickwit mapping in threatdex yet"),
    };
    Ok(match entry.field_type() {
        FieldType::Str(opts) => match opts.get_indexing_options() {
            Some(ix) if ix.tokenizer() == STEMMED => Kind::Stemmed,
            Some(ix) if ix.tokenizer() == "raw" => Kind::Exact,
            Some(ix) => {
                return Err(Error::Mapping {
                    field: entry.name().to_string(),
                    reason: format!("tokenizer {:?} has no Quickwit equivalent", ix.tokenizer()),
                })
            }
            None => Kind::Exact,
        },
        FieldType::Date(_) => Kind::Date,
        FieldType::U64(_) => Kind::U64,
        FieldType::I64(_) => Kind::I64,
        FieldType::Facet(_) => Kind::Facets,
        FieldType::F64(_) => return Err(unsupported("f64")),
        FieldType::Bool(_) => return Err(unsupported("bool")),
        FieldType::Bytes(_) => return Err(unsupported("bytes")),
        FieldType::JsonObject(_) => return Err(unsupported("JSON")),
        FieldType::IpAddr(_) => return Err(unsupported("IP address")),
        _ => return Err(unsupported("these")),
    })
}

/// The Quickwit field mappings of every schema field, in schema order,
/// then the remote document id.
pub fn field_mappings() -> Result<Vec<Value>> {
    let (schema, _) = build_schema();
    let mut out = Vec::new();
    for (_, entry) in schema.fields() {
        let name = entry.name();
        match kind_of(entry)? {
            Kind::Stemmed => {
                let positions = matches!(
                    entry.field_type(),
                    FieldType::Str(o) if o.get_indexing_options().is_some_and(
                        |ix| ix.index_option() == IndexRecordOption::WithFreqsAndPositions)
                );
                out.push(json!({
                    "name": name, "type": "array<text>",
                    "indexed": false, "stored": true,
                }));
                out.push(json!({
                    "name": terms_field(name), "type": "array<text>",
                    "tokenizer": "whitespace",
                    "record": if positions { "position" } else { "freq" },
                    "fieldnorms": true, "stored": false,
                }));
                out.push(json!({
                    "name": parts_field(name), "type": "array<text>",
                    "tokenizer": "whitespace", "record": "basic", "stored": false,
                }));
            }
            Kind::Exact => {
                let mut m = json!({
                    "name": name, "type": "array<text>",
                    "stored": true, "fast": entry.is_fast(),
                });
                if entry.is_indexed() {
                    m["tokenizer"] = json!("raw");
                    m["record"] = json!("basic");
                } else {
                    m["indexed"] = json!(false);
                }
                out.push(m);
            }
            Kind::Date => out.push(json!({
                "name": name, "type": "datetime",
                "input_formats": ["rfc3339"], "output_format": "rfc3339",
                "fast_precision": "seconds",
                "indexed": entry.is_indexed(), "stored": true, "fast": true,
            })),
            Kind::U64 | Kind::I64 => out.push(json!({
                "name": name,
                "type": if kind_of(entry)? == Kind::U64 { "u64" } else { "i64" },
                "indexed": entry.is_indexed(), "stored": true, "fast": entry.is_fast(),
            })),
            Kind::Facets => {
                let dims: Vec<Value> = Dimension::ALL
                    .iter()
                    .map(|d| {
                        json!({
                            "name": d.name(), "type": "array<text>",
                            "tokenizer": "raw", "record": "basic",
                            "stored": true, "fast": true,
                        })
                    })
                    .collect();
                out.push(json!({"name": name, "type": "object", "field_mappings": dims}));
            }
        }
    }
    out.push(json!({
        "name": DOC_ID, "type": "text", "tokenizer": "raw",
        "record": "basic", "stored": true, "fast": true,
    }));
    Ok(out)
}

/// The whole index config for index `id`.
///
/// No `timestamp_field`: Quickwit rejects a document without its timestamp,
/// and many reports carry no date; timelines use `date` as a fast field
/// instead (date_histogram aggregations do not need the timestamp field).
pub fn index_config(id: &str) -> Result<Value> {
    let (schema, _) = build_schema();
    let default_fields: Vec<String> = schema
        .fields()
        .filter(|(_, e)| matches!(kind_of(e), Ok(Kind::Stemmed)))
        .map(|(_, e)| terms_field(e.name()))
        .collect();
    Ok(json!({
        "version": "0.8",
        "index_id": id,
        "doc_mapping": {
            "mode": "strict",
            "field_mappings": field_mappings()?,
            "store_source": false,
        },
        "indexing_settings": { "commit_timeout_secs": COMMIT_TIMEOUT_SECS },
        "search_settings": { "default_search_fields": default_fields },
    }))
}

/// Writes `value` as YAML (the subset a config needs: maps, lists and
/// scalars; strings double-quoted with JSON escapes, which YAML reads the
/// same way).
pub fn to_yaml(value: &Value) -> String {
    let mut out = String::new();
    yaml_value(value, 0, &mut out);
    out
}

fn scalar(v: &Value) -> String {
    // serde_json writes numbers, booleans and quoted strings that YAML
    // reads back unchanged.
    v.to_string()
}

fn yaml_value(v: &Value, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match v {
        Value::Object(map) => yaml_map(map, indent, out),
        Value::Array(items) if items.is_empty() => out.push_str(&format!("{pad}[]\n")),
        Value::Array(items) => {
            for item in items {
                match item {
                    Value::Object(m) if !m.is_empty() => {
                        let mut inner = String::new();
                        yaml_map(m, indent + 2, &mut inner);
                        // The first key goes on the dash's line.
                        out.push_str(&format!("{pad}- {}", &inner[indent + 2..]));
                    }
                    Value::Array(a) if !a.is_empty() => {
                        out.push_str(&format!("{pad}-\n"));
                        yaml_value(item, indent + 2, out);
                    }
                    _ => out.push_str(&format!("{pad}- {}\n", scalar(item))),
                }
            }
        }
        _ => out.push_str(&format!("{pad}{}\n", scalar(v))),
    }
}

fn yaml_map(map: &Map<String, Value>, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    // A field's name first, where a reader looks for it.
    let named = map.get_key_value("name");
    for (k, v) in named
        .into_iter()
        .chain(map.iter().filter(|(k, _)| *k != "name"))
    {
        match v {
            Value::Object(m) if !m.is_empty() => {
                out.push_str(&format!("{pad}{k}:\n"));
                yaml_map(m, indent + 2, out);
            }
            Value::Array(a) if !a.is_empty() => {
                out.push_str(&format!("{pad}{k}:\n"));
                yaml_value(v, indent + 2, out);
            }
            Value::Object(_) => out.push_str(&format!("{pad}{k}: {{}}\n")),
            Value::Array(_) => out.push_str(&format!("{pad}{k}: []\n")),
            _ => out.push_str(&format!("{pad}{k}: {}\n", scalar(v))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mapped_names(mappings: &[Value]) -> Vec<String> {
        mappings
            .iter()
            .filter_map(|m| m["name"].as_str().map(str::to_string))
            .collect()
    }

    #[test]
    fn every_schema_field_is_mapped() {
        let (schema, _) = build_schema();
        let mappings = field_mappings().expect("every field has a mapping");
        let names = mapped_names(&mappings);
        for (_, entry) in schema.fields() {
            assert!(
                names.iter().any(|n| n == entry.name()),
                "schema field {} has no Quickwit mapping",
                entry.name()
            );
            if kind_of(entry).unwrap() == Kind::Stemmed {
                assert!(names.contains(&terms_field(entry.name())));
                assert!(names.contains(&parts_field(entry.name())));
            }
        }
        // Schema fields, the companions of the stemmed ones, and the id.
        let stemmed = schema
            .fields()
            .filter(|(_, e)| kind_of(e).unwrap() == Kind::Stemmed)
            .count();
        assert_eq!(names.len(), schema.fields().count() + 2 * stemmed + 1);
        assert_eq!(stemmed, 3, "title, body and tags are stemmed");
    }

    #[test]
    fn every_dimension_is_a_raw_fast_array() {
        let mappings = field_mappings().unwrap();
        let facets = mappings
            .iter()
            .find(|m| m["name"] == FACETS)
            .expect("a facets object");
        assert_eq!(facets["type"], "object");
        let dims = facets["field_mappings"].as_array().unwrap();
        assert_eq!(dims.len(), Dimension::ALL.len());
        for d in Dimension::ALL {
            let m = dims
                .iter()
                .find(|m| m["name"] == d.name())
                .unwrap_or_else(|| panic!("dimension {} is not mapped", d.name()));
            assert_eq!(m["type"], "array<text>");
            assert_eq!(m["tokenizer"], "raw");
            assert_eq!(m["fast"], true);
        }
    }

    #[test]
    fn fields_keep_their_kind() {
        let mappings = field_mappings().unwrap();
        let get = |n: &str| mappings.iter().find(|m| m["name"] == n).unwrap().clone();
        assert_eq!(get(names::DATE)["type"], "datetime");
        assert_eq!(get(names::DATE)["fast"], true);
        assert_eq!(get(names::SIZE)["type"], "u64");
        assert_eq!(get(names::MTIME)["type"], "i64");
        assert_eq!(get(names::CVE)["tokenizer"], "raw");
        assert_eq!(get(names::URL)["indexed"], false);
        assert_eq!(get(names::BODY)["indexed"], false);
        assert_eq!(get(&terms_field(names::BODY))["record"], "position");
        assert_eq!(get(DOC_ID)["fast"], true);
    }

    #[test]
    fn yaml_reads_as_the_config() {
        let yaml = to_yaml(&json!({
            "a": 1,
            "b": {"c": "x\"y", "d": [1, 2]},
            "e": [{"f": true, "g": {"h": []}}, "z"],
        }));
        assert_eq!(
            yaml,
            "a: 1\nb:\n  c: \"x\\\"y\"\n  d:\n    - 1\n    - 2\ne:\n  - f: true\n    g:\n      h: []\n  - \"z\"\n"
        );
        let config = to_yaml(&index_config("reports").unwrap());
        assert!(config.contains("\nindex_id: \"reports\"\n"), "{config}");
        assert!(config.contains("\nversion: \"0.8\"\n"), "{config}");
        assert!(config.contains("  - name: \"facets\"\n"), "{config}");
    }
}
