//! The tantivy schema: the only home of field names and facet paths.

use crate::error::{Error, Result};
use crate::model::{Article, Entities, IndicatorKind, Indicators, Ioc, Role, Scope, SourceKind};
use chrono::{Datelike, NaiveDate};
use tantivy::schema::{
    DateOptions, DateTimePrecision, FacetOptions, Field, NumericOptions, OwnedValue, Schema,
    TextFieldIndexing, TextOptions, Value, FAST, STORED, STRING,
};
use tantivy::{DateTime, TantivyDocument};

/// Version of the schema and of the way documents are built. Bumped whenever
/// an index written by an older build would answer differently.
/// 2: the text analyzer indexes the parts of compound names (`stem.rs`).
/// 3: indicators carry their role (`ioc_entry`, counted like facets).
/// 4: documents carry their format, key and page count (PDF, feeds, JSON Lines).
pub const SCHEMA_VERSION: u32 = 4;

/// Name of the analyser used for title, body and tags.
const TEXT_TOKENIZER: &str = "en_stem";

/// Registers the text fields' analyzer on an opened or created index: the
/// `en_stem` tokens, with a memo in front of the stemmer (`stem.rs`).
pub fn register_analyzers(index: &tantivy::Index) {
    index
        .tokenizers()
        .register(TEXT_TOKENIZER, super::stem::analyzer());
}

/// The analyzers that query text is read with: tantivy's defaults, with the
/// text fields' analyzer without compound parts (`stem.rs` says why). A new
/// manager, so the index's own analyzers are left as they are.
pub fn query_tokenizers() -> tantivy::tokenizer::TokenizerManager {
    let manager = tantivy::tokenizer::TokenizerManager::default();
    manager.register(TEXT_TOKENIZER, super::stem::query_analyzer());
    manager
}

/// Handles to every field of the schema.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Canonical absolute path of the source file (the document's identity).
    pub path: Field,
    /// Headline, analysed and stored.
    pub title: Field,
    /// Main-content text, analysed (with positions) and stored for snippets.
    pub body: Field,
    /// Canonical URL, stored (shown, never searched).
    pub url: Field,
    /// The article's own tags, analysed and stored.
    pub tags: Field,
    /// Publication date (indexed, fast, stored).
    pub date: Field,
    /// One facet field with roots `/actor`, `/country`, `/sector`,
    /// `/origin`, `/year`, `/quarter`, `/month`, `/cve` and `/technique`.
    pub facets: Field,
    /// CVE ids, upper case (exact, stored, fast).
    pub cve: Field,
    /// ATT&CK technique ids named in the text, upper case (exact, stored,
    /// fast). Parents of sub-techniques are found through the facets and the
    /// query builder, not stored here.
    pub technique: Field,
    /// IOC values, refanged and normalised, indicators and references alike
    /// (exact, searched by `--ioc` and indicator query words).
    pub ioc: Field,
    /// One entry per IOC, `<role> <type> <scope> <value>` (stored and fast,
    /// never searched): what `iocs` counts, one pass over its column, and
    /// what results and exports read back. See [`ioc_entry`].
    pub ioc_entry: Field,
    /// BLAKE3 hash of the file's bytes (stored and fast, read back to tell
    /// changed files; never searched, so not indexed).
    pub hash: Field,
    /// File size in bytes when indexed.
    pub size: Field,
    /// File modification time (ns since the epoch) when indexed.
    pub mtime: Field,
    /// Fingerprint of the knowledge base the document was extracted with.
    pub kb: Field,
    /// The document's identity: the path for a file that is one document;
    /// `path#entry` for a line of a JSON Lines file; `feed:feed-id#entry-id`
    /// for a feed entry, the same whichever snapshot file holds it (exact,
    /// stored).
    pub key: Field,
    /// The source format: `html`, `text`, `markdown`, `pdf`, `feed`,
    /// `jsonl` (exact, stored, fast).
    pub format: Field,
    /// Number of pages of a PDF (stored).
    pub pages: Field,
}

/// Field names, used by fast-field readers and sort keys.
pub mod names {
    /// See [`super::Fields::path`].
    pub const PATH: &str = "path";
    /// See [`super::Fields::title`].
    pub const TITLE: &str = "title";
    /// See [`super::Fields::body`].
    pub const BODY: &str = "body";
    /// See [`super::Fields::url`].
    pub const URL: &str = "url";
    /// See [`super::Fields::tags`].
    pub const TAGS: &str = "tags";
    /// See [`super::Fields::date`].
    pub const DATE: &str = "date";
    /// See [`super::Fields::facets`].
    pub const FACETS: &str = "facets";
    /// See [`super::Fields::cve`].
    pub const CVE: &str = "cve";
    /// See [`super::Fields::technique`].
    pub const TECHNIQUE: &str = "technique";
    /// See [`super::Fields::ioc`].
    pub const IOC: &str = "ioc";
    /// See [`super::Fields::ioc_entry`].
    pub const IOC_ENTRY: &str = "ioc_entry";
    /// See [`super::Fields::hash`].
    pub const HASH: &str = "hash";
    /// See [`super::Fields::size`].
    pub const SIZE: &str = "size";
    /// See [`super::Fields::mtime`].
    pub const MTIME: &str = "mtime";
    /// See [`super::Fields::kb`].
    pub const KB: &str = "kb";
    /// See [`super::Fields::key`].
    pub const KEY: &str = "key";
    /// See [`super::Fields::format`].
    pub const FORMAT: &str = "format";
    /// See [`super::Fields::pages`].
    pub const PAGES: &str = "pages";
}

/// A facet dimension a user can count or filter by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Dimension {
    /// Canonical actor names.
    Actor,
    /// ISO codes of the countries named.
    Country,
    /// ISO codes of the countries named as the place of the victims.
    Target,
    /// Sector ids.
    Sector,
    /// ISO codes of the actors' attributed origins.
    Origin,
    /// Publication year.
    Year,
    /// Publication quarter (`YYYY-Qn`).
    Quarter,
    /// Publication month (`YYYY-MM`).
    Month,
    /// CVE ids.
    Cve,
    /// ATT&CK technique ids; a sub-technique also counts for its parent.
    Technique,
}

impl Dimension {
    /// Every dimension, in display order.
    pub const ALL: [Dimension; 10] = [
        Dimension::Actor,
        Dimension::Country,
        Dimension::Target,
        Dimension::Sector,
        Dimension::Origin,
        Dimension::Year,
        Dimension::Quarter,
        Dimension::Month,
        Dimension::Cve,
        Dimension::Technique,
    ];

    /// The dimension's name, as used on the command line and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Dimension::Actor => "actor",
            Dimension::Country => "country",
            Dimension::Target => "target",
            Dimension::Sector => "sector",
            Dimension::Origin => "origin",
            Dimension::Year => "year",
            Dimension::Quarter => "quarter",
            Dimension::Month => "month",
            Dimension::Cve => "cve",
            Dimension::Technique => "technique",
        }
    }

    /// Parses a dimension name.
    pub fn from_name(name: &str) -> Option<Dimension> {
        Dimension::ALL
            .into_iter()
            .find(|d| d.name().eq_ignore_ascii_case(name.trim()))
    }

    /// The facet root of the dimension (`/actor`).
    pub fn root(self) -> String {
        format!("/{}", self.name())
    }

    /// The facet for one value of the dimension (`/actor/Volt Typhoon`).
    pub fn facet(self, value: &str) -> tantivy::schema::Facet {
        tantivy::schema::Facet::from_path([self.name(), value])
    }

    /// Returns true if and only if the dimension is a time bucket.
    pub fn is_time(self) -> bool {
        matches!(
            self,
            Dimension::Year | Dimension::Quarter | Dimension::Month
        )
    }
}

/// Builds the schema and returns it with its field handles.
pub fn build_schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = TextOptions::default().set_stored().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TEXT_TOKENIZER)
            .set_index_option(tantivy::schema::IndexRecordOption::WithFreqsAndPositions),
    );
    let fields = Fields {
        path: b.add_text_field(names::PATH, STRING | STORED | FAST),
        title: b.add_text_field(names::TITLE, text.clone()),
        body: b.add_text_field(names::BODY, text.clone()),
        url: b.add_text_field(names::URL, STORED),
        tags: b.add_text_field(names::TAGS, text),
        date: b.add_date_field(
            names::DATE,
            DateOptions::default()
                .set_indexed()
                .set_stored()
                .set_fast()
                .set_precision(DateTimePrecision::Seconds),
        ),
        facets: b.add_facet_field(names::FACETS, FacetOptions::default().set_stored()),
        cve: b.add_text_field(names::CVE, STRING | STORED | FAST),
        technique: b.add_text_field(names::TECHNIQUE, STRING | STORED | FAST),
        ioc: b.add_text_field(names::IOC, STRING),
        ioc_entry: b.add_text_field(names::IOC_ENTRY, STORED | FAST),
        hash: b.add_text_field(names::HASH, STORED | FAST),
        size: b.add_u64_field(
            names::SIZE,
            NumericOptions::default().set_stored().set_fast(),
        ),
        mtime: b.add_i64_field(
            names::MTIME,
            NumericOptions::default().set_stored().set_fast(),
        ),
        kb: b.add_text_field(names::KB, STRING | FAST),
        key: b.add_text_field(names::KEY, STRING | STORED),
        format: b.add_text_field(names::FORMAT, STRING | STORED | FAST),
        pages: b.add_u64_field(names::PAGES, NumericOptions::default().set_stored()),
    };
    (b.build(), fields)
}

/// Looks up the field handles in an opened index's schema.
pub fn fields(schema: &Schema) -> Result<Fields> {
    let f = |name: &str| {
        schema.get_field(name).map_err(|_| {
            Error::Tantivy(tantivy::TantivyError::SchemaError(format!(
                "missing field {name}: the index was written by an older build; \
                 re-index with `threatdex index --rebuild <PATH>`"
            )))
        })
    };
    Ok(Fields {
        path: f(names::PATH)?,
        title: f(names::TITLE)?,
        body: f(names::BODY)?,
        url: f(names::URL)?,
        tags: f(names::TAGS)?,
        date: f(names::DATE)?,
        facets: f(names::FACETS)?,
        cve: f(names::CVE)?,
        technique: f(names::TECHNIQUE)?,
        ioc: f(names::IOC)?,
        ioc_entry: f(names::IOC_ENTRY)?,
        hash: f(names::HASH)?,
        size: f(names::SIZE)?,
        mtime: f(names::MTIME)?,
        kb: f(names::KB)?,
        key: f(names::KEY)?,
        format: f(names::FORMAT)?,
        pages: f(names::PAGES)?,
    })
}

/// Converts a calendar date into the index's date type (midnight UTC).
pub fn to_datetime(d: NaiveDate) -> DateTime {
    let secs = d
        .and_hms_opt(0, 0, 0)
        .map_or(0, |t| t.and_utc().timestamp());
    DateTime::from_timestamp_secs(secs)
}

/// Converts the index's date type back to a calendar date.
pub fn from_datetime(d: DateTime) -> Option<NaiveDate> {
    chrono::DateTime::from_timestamp(d.into_timestamp_secs(), 0).map(|t| t.date_naive())
}

/// The quarter bucket of a date (`2024-Q3`).
pub fn quarter_label(d: NaiveDate) -> String {
    format!("{:04}-Q{}", d.year(), (d.month() - 1) / 3 + 1)
}

/// The identity of a file as stored in the index.
#[derive(Debug, Clone)]
pub struct FileStamp<'a> {
    /// Canonical path.
    pub path: &'a str,
    /// BLAKE3 hex digest of the bytes.
    pub hash: &'a str,
    /// Size in bytes.
    pub size: u64,
    /// Modification time in ns.
    pub mtime: i64,
    /// Fingerprint of the knowledge base used.
    pub kb: &'a str,
}

/// Builds the tantivy document of an article.
pub fn to_document(
    f: &Fields,
    stamp: &FileStamp<'_>,
    article: &Article,
    entities: &Entities,
) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(f.path, stamp.path);
    doc.add_text(f.hash, stamp.hash);
    doc.add_u64(f.size, stamp.size);
    doc.add_i64(f.mtime, stamp.mtime);
    doc.add_text(f.kb, stamp.kb);
    if let Some(t) = &article.title {
        doc.add_text(f.title, t);
    }
    doc.add_text(f.body, &article.text);
    if let Some(u) = &article.url {
        doc.add_text(f.url, u);
    }
    for t in &article.tags {
        doc.add_text(f.tags, t);
    }
    if let Some(d) = article.date {
        doc.add_date(f.date, to_datetime(d));
        doc.add_facet(f.facets, Dimension::Year.facet(&d.year().to_string()));
        doc.add_facet(f.facets, Dimension::Quarter.facet(&quarter_label(d)));
        doc.add_facet(
            f.facets,
            Dimension::Month.facet(&format!("{:04}-{:02}", d.year(), d.month())),
        );
    }
    let dims = [
        (Dimension::Actor, &entities.actors),
        (Dimension::Country, &entities.countries),
        (Dimension::Target, &entities.targets),
        (Dimension::Sector, &entities.sectors),
        (Dimension::Origin, &entities.origins),
    ];
    for (dim, values) in dims {
        for v in values {
            doc.add_facet(f.facets, dim.facet(v));
        }
    }
    doc
}

/// The key of a document read from the file at `path` (see
/// [`Fields::key`]).
pub fn document_key(path: &str, format: SourceKind, entry: Option<&str>) -> String {
    match (format, entry) {
        (SourceKind::Feed, Some(e)) => format!("feed:{e}"),
        (_, Some(e)) => format!("{path}#{e}"),
        (_, None) => path.to_string(),
    }
}

/// Adds where a document came from: its key, format and page count.
pub fn add_source(
    f: &Fields,
    doc: &mut TantivyDocument,
    key: &str,
    format: SourceKind,
    pages: Option<u32>,
) {
    doc.add_text(f.key, key);
    doc.add_text(f.format, format.name());
    if let Some(p) = pages {
        doc.add_u64(f.pages, u64::from(p));
    }
}

/// Adds a document's indicators: the exact fields, and the `/cve` and
/// `/technique` facets (a sub-technique adds its parent's facet too, so a
/// count for T1059 includes reports that only name T1059.001).
pub fn add_indicators(f: &Fields, doc: &mut TantivyDocument, ind: &Indicators) {
    for c in &ind.cves {
        doc.add_text(f.cve, c);
        doc.add_facet(f.facets, Dimension::Cve.facet(c));
    }
    let mut facets = std::collections::BTreeSet::new();
    for t in &ind.techniques {
        doc.add_text(f.technique, t);
        facets.insert(t.as_str());
        facets.insert(crate::ioc::techniques::parent(t));
    }
    for t in facets {
        doc.add_facet(f.facets, Dimension::Technique.facet(t));
    }
    for i in &ind.iocs {
        doc.add_text(f.ioc, &i.value);
        doc.add_text(f.ioc_entry, ioc_entry(i));
    }
}

/// The stored and counted form of an IOC: `<role> <type> <scope> <value>`
/// (`indicator domain public evil.com`). Values hold no spaces, and
/// entries sort by role, then type, then scope.
pub fn ioc_entry(i: &Ioc) -> String {
    format!(
        "{} {} {} {}",
        i.role.name(),
        i.kind.name(),
        i.scope.name(),
        i.value
    )
}

/// Reads back an [`ioc_entry`].
pub fn parse_ioc_entry(entry: &str) -> Option<Ioc> {
    let mut parts = entry.splitn(4, ' ');
    let role = Role::from_name(parts.next()?)?;
    let kind = IndicatorKind::from_name(parts.next()?)?;
    let scope = Scope::from_name(parts.next()?)?;
    let value = parts.next()?.to_string();
    Some(Ioc {
        kind,
        value,
        scope,
        role,
    })
}

/// The stored part of a document, as search results show it.
#[derive(Debug, Clone, Default)]
pub struct StoredDoc {
    /// Canonical path.
    pub path: String,
    /// BLAKE3 hex digest of the indexed bytes: the document's id.
    pub hash: String,
    /// Title (empty when the report had none).
    pub title: String,
    /// Body text.
    pub body: String,
    /// Canonical URL.
    pub url: Option<String>,
    /// The article's own tags.
    pub tags: Vec<String>,
    /// Publication date.
    pub date: Option<NaiveDate>,
    /// Facet values.
    pub entities: Entities,
    /// CVE ids, technique ids and IOCs.
    pub indicators: Indicators,
    /// The source format (empty if not recorded).
    pub format: String,
    /// Number of pages of a PDF.
    pub pages: Option<u64>,
}

/// Reads the stored fields of a document.
pub fn from_document(f: &Fields, doc: &TantivyDocument) -> StoredDoc {
    let text = |field| {
        doc.get_first(field)
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    let all_text = |field| -> Vec<String> {
        doc.get_all(field)
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect()
    };
    let mut out = StoredDoc {
        path: text(f.path).unwrap_or_default(),
        hash: text(f.hash).unwrap_or_default(),
        title: text(f.title).unwrap_or_default(),
        body: text(f.body).unwrap_or_default(),
        url: text(f.url),
        tags: doc
            .get_all(f.tags)
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        date: doc
            .get_first(f.date)
            .and_then(|v| v.as_datetime())
            .and_then(from_datetime),
        format: text(f.format).unwrap_or_default(),
        pages: doc.get_first(f.pages).and_then(|v| v.as_u64()),
        entities: Entities::default(),
        indicators: Indicators {
            cves: all_text(f.cve),
            techniques: all_text(f.technique),
            iocs: doc
                .get_all(f.ioc_entry)
                .filter_map(|v| parse_ioc_entry(v.as_str()?))
                .collect(),
        },
    };
    for v in doc.get_all(f.facets) {
        let OwnedValue::Facet(facet) = OwnedValue::from(v) else {
            continue;
        };
        let mut parts = facet.to_path().into_iter();
        let (Some(root), Some(value)) = (parts.next(), parts.next()) else {
            continue;
        };
        let target = match Dimension::from_name(root) {
            Some(Dimension::Actor) => &mut out.entities.actors,
            Some(Dimension::Country) => &mut out.entities.countries,
            Some(Dimension::Target) => &mut out.entities.targets,
            Some(Dimension::Sector) => &mut out.entities.sectors,
            Some(Dimension::Origin) => &mut out.entities.origins,
            _ => continue,
        };
        target.push(value.to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ioc_entries_round_trip() {
        let i = Ioc {
            kind: IndicatorKind::Url,
            value: "https://Evil.example/Path?Q=1".into(),
            scope: Scope::LinkLocal,
            role: Role::Reference,
        };
        assert_eq!(
            ioc_entry(&i),
            "reference url link-local https://Evil.example/Path?Q=1"
        );
        assert_eq!(parse_ioc_entry(&ioc_entry(&i)), Some(i));
        assert_eq!(parse_ioc_entry("indicator nope public x"), None);
        assert_eq!(parse_ioc_entry("indicator ip"), None);
    }
}
