//! Plain data passed between the stages: no tantivy, no I/O.

use chrono::NaiveDate;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// The kind of source a report was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// An HTML page (`.html`, `.htm`).
    Html,
    /// A plain-text report (`.txt`).
    Text,
    /// A Markdown report (`.md`).
    Markdown,
    /// A PDF report (`.pdf`).
    Pdf,
    /// An RSS, Atom or JSON Feed file: one document per entry.
    Feed,
    /// A JSON Lines file of articles (`.jsonl`, `.ndjson`): one document per
    /// line.
    #[serde(rename = "jsonl")]
    JsonLines,
}

impl SourceKind {
    /// The format's name, as stored in the index and shown in JSON (`html`,
    /// `text`, `markdown`, `pdf`, `feed`, `jsonl`).
    pub fn name(self) -> &'static str {
        match self {
            SourceKind::Html => "html",
            SourceKind::Text => "text",
            SourceKind::Markdown => "markdown",
            SourceKind::Pdf => "pdf",
            SourceKind::Feed => "feed",
            SourceKind::JsonLines => "jsonl",
        }
    }

    /// Returns true if and only if one file of this kind may hold many
    /// documents (feed entries, JSON lines).
    pub fn is_multi_document(self) -> bool {
        matches!(self, SourceKind::Feed | SourceKind::JsonLines)
    }
}

/// One document read from a file: an article plus where in the file it came
/// from. HTML, text, Markdown and PDF files give one; a feed gives one per
/// entry and a JSON Lines file one per line.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The format of the file it came from.
    pub format: SourceKind,
    /// The document's identity inside a multi-document file (a feed's and
    /// entry's ids or links, a line's id or URL); `None` for a file that is
    /// one document, whose identity is its path.
    pub entry: Option<String>,
    /// Number of pages (PDF only).
    pub pages: Option<u32>,
    /// The article.
    pub article: Article,
}

/// One report after ingestion: clean text plus its metadata.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Article {
    /// The headline, if one was found.
    pub title: Option<String>,
    /// The publication date.
    pub date: Option<NaiveDate>,
    /// The canonical URL of the page.
    pub url: Option<String>,
    /// The article's own tags (keywords chosen by its publisher).
    pub tags: Vec<String>,
    /// The main content as plain text: exactly what goes into the body field.
    pub text: String,
}

impl Article {
    /// The title, a blank line and the text: what entity and indicator
    /// extraction read (a name in the headline counts).
    pub fn title_and_text(&self) -> String {
        let mut text =
            String::with_capacity(self.text.len() + self.title.as_ref().map_or(0, String::len) + 2);
        if let Some(t) = &self.title {
            text.push_str(t);
            text.push_str("\n\n");
        }
        text.push_str(&self.text);
        text
    }
}

/// Entities found in an article, already resolved to canonical values.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Entities {
    /// Canonical actor names, sorted.
    pub actors: Vec<String>,
    /// ISO 3166-1 alpha-2 codes of the countries named, sorted.
    pub countries: Vec<String>,
    /// Countries named only as the seat of a security vendor or cyber
    /// agency ("the Slovak security company ESET", "the US Cybersecurity and
    /// Infrastructure Security Agency"), sorted: kept apart from
    /// `countries`, since the report is not about them.
    pub seats: Vec<String>,
    /// The countries of `countries` named as the place of the victims
    /// ("Ukrainian government entities", "attacks against Poland"), sorted.
    pub targets: Vec<String>,
    /// ISO codes of the attributed origin countries of the actors, sorted.
    pub origins: Vec<String>,
    /// Sector ids of the taxonomy, sorted.
    pub sectors: Vec<String>,
}

/// The kind of an indicator: a network or file observable, a CVE id or an
/// ATT&CK technique id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum IndicatorKind {
    /// A CVE id (`CVE-2024-3400`).
    Cve,
    /// An ATT&CK technique or sub-technique id (`T1059.001`).
    Technique,
    /// An IPv4 or IPv6 address.
    Ip,
    /// A domain name.
    Domain,
    /// A URL.
    Url,
    /// An email address.
    Email,
    /// An MD5 digest (32 hex digits).
    Md5,
    /// A SHA-1 digest (40 hex digits).
    Sha1,
    /// A SHA-256 digest (64 hex digits).
    Sha256,
}

impl IndicatorKind {
    /// Every kind, in display order.
    pub const ALL: [IndicatorKind; 9] = [
        IndicatorKind::Cve,
        IndicatorKind::Technique,
        IndicatorKind::Ip,
        IndicatorKind::Domain,
        IndicatorKind::Url,
        IndicatorKind::Email,
        IndicatorKind::Md5,
        IndicatorKind::Sha1,
        IndicatorKind::Sha256,
    ];

    /// The kind's name, as used on the command line and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            IndicatorKind::Cve => "cve",
            IndicatorKind::Technique => "technique",
            IndicatorKind::Ip => "ip",
            IndicatorKind::Domain => "domain",
            IndicatorKind::Url => "url",
            IndicatorKind::Email => "email",
            IndicatorKind::Md5 => "md5",
            IndicatorKind::Sha1 => "sha1",
            IndicatorKind::Sha256 => "sha256",
        }
    }

    /// Parses a kind name.
    pub fn from_name(name: &str) -> Option<IndicatorKind> {
        IndicatorKind::ALL
            .into_iter()
            .find(|k| k.name().eq_ignore_ascii_case(name.trim()))
    }
}

/// Where an address (or the host of a URL, domain or email) can be reached:
/// documentation and private ranges are not indicators of anything outside
/// the victim's network or the author's example.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// Globally routable, or a registered public domain; hashes too.
    Public,
    /// RFC 1918, RFC 6598 shared space and IPv6 unique-local addresses.
    Private,
    /// 127.0.0.0/8 and ::1.
    Loopback,
    /// 169.254.0.0/16 and fe80::/10.
    LinkLocal,
    /// 224.0.0.0/4 and ff00::/8.
    Multicast,
    /// Documentation ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24,
    /// 2001:db8::/32) and example domains (example.com, .example).
    Documentation,
    /// Other special-purpose space: 0.0.0.0/8, 240.0.0.0/4, benchmarking,
    /// and reserved names (.test, .invalid, .localhost, .local).
    Reserved,
}

impl Scope {
    /// The scope's name, as shown in output.
    pub fn name(self) -> &'static str {
        match self {
            Scope::Public => "public",
            Scope::Private => "private",
            Scope::Loopback => "loopback",
            Scope::LinkLocal => "link-local",
            Scope::Multicast => "multicast",
            Scope::Documentation => "documentation",
            Scope::Reserved => "reserved",
        }
    }

    /// Parses a scope name.
    pub fn from_name(name: &str) -> Option<Scope> {
        [
            Scope::Public,
            Scope::Private,
            Scope::Loopback,
            Scope::LinkLocal,
            Scope::Multicast,
            Scope::Documentation,
            Scope::Reserved,
        ]
        .into_iter()
        .find(|s| s.name() == name)
    }
}

/// Whose an observable is: the attackers' (an indicator an analyst would
/// block) or a link the report cites (a reference).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The report gives evidence that it is the attackers': defanged, in an
    /// indicator list or table, in a sentence about C2, downloads,
    /// exfiltration or phishing, or a hash of a sample. Exported and counted
    /// by default.
    Indicator,
    /// A source, publisher, vendor, government or code-host link, or a plain
    /// link in prose: kept and searchable, never exported as an indicator.
    Reference,
}

impl Role {
    /// The role's name, as shown in output.
    pub fn name(self) -> &'static str {
        match self {
            Role::Indicator => "indicator",
            Role::Reference => "reference",
        }
    }

    /// Parses a role name.
    pub fn from_name(name: &str) -> Option<Role> {
        [Role::Indicator, Role::Reference]
            .into_iter()
            .find(|r| r.name() == name)
    }
}

/// One network or file indicator found in a report, refanged and
/// case-normalised.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Ioc {
    /// What it is.
    #[serde(rename = "type")]
    pub kind: IndicatorKind,
    /// The normalised value (`198.51.100.23`, `evil.example.net`).
    pub value: String,
    /// Where it can be reached.
    pub scope: Scope,
    /// Whether it is the attackers' or a reference.
    pub role: Role,
}

/// The indicators of one report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Indicators {
    /// CVE ids, upper case, sorted.
    pub cves: Vec<String>,
    /// ATT&CK technique ids named in the report (checked against the
    /// built-in list), sorted.
    pub techniques: Vec<String>,
    /// Addresses, domains, URLs, emails and hashes, sorted by kind and value.
    pub iocs: Vec<Ioc>,
}

impl Indicators {
    /// Returns true if and only if nothing was found.
    pub fn is_empty(&self) -> bool {
        self.cves.is_empty() && self.techniques.is_empty() && self.iocs.is_empty()
    }
}

/// An indicator and the number of matching reports that name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndicatorCount {
    /// What it is.
    #[serde(rename = "type")]
    pub kind: IndicatorKind,
    /// The normalised value.
    pub value: String,
    /// Where it can be reached; `None` for CVE and technique ids.
    pub scope: Option<Scope>,
    /// Indicator or reference; `None` for CVE and technique ids. A value
    /// that is an indicator in some reports and a reference in others is
    /// counted once under each role.
    pub role: Option<Role>,
    /// Number of matching reports naming it.
    pub reports: u64,
}

/// One matching report with what an export needs.
#[derive(Debug, Clone, Default)]
pub struct ReportDoc {
    /// Path of the source file.
    pub path: String,
    /// What names the report wherever its file lives: its canonical URL,
    /// else a digest of its title and text. (Not the path: a collection that
    /// moves, or is exported on a colleague's machine, must give the same
    /// STIX ids, and a JSON Lines file holds several reports.)
    pub identity: String,
    /// Title (empty when the report had none).
    pub title: String,
    /// Canonical URL, if known.
    pub url: Option<String>,
    /// Publication date, if known.
    pub date: Option<NaiveDate>,
    /// Modification time of the file when indexed, in seconds since the
    /// epoch: the stand-in date of an undated report.
    pub indexed_mtime: i64,
    /// The snippet for the query, or the opening of the text.
    pub description: String,
    /// Facet values.
    pub entities: Entities,
    /// CVE ids, technique ids and IOCs.
    pub indicators: Indicators,
}

/// A file that was not indexed, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// The file's path.
    pub path: PathBuf,
    /// Why it was skipped, in words.
    pub reason: String,
}

/// What one `index` run did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct IndexReport {
    /// Documents added or replaced.
    pub indexed: usize,
    /// Files seen whose documents were already up to date.
    pub unchanged: usize,
    /// Documents deleted because their file is gone.
    pub removed: usize,
    /// Files that could not be indexed.
    pub skipped: Vec<Skipped>,
    /// Wall-clock seconds of the run.
    pub seconds: f64,
    /// Number of documents in the index after the run.
    pub total: u64,
    /// Whether the run stopped early because it was interrupted.
    pub interrupted: bool,
}

/// A highlighted excerpt of a document's body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snippet {
    /// The excerpt text.
    pub text: String,
    /// Byte ranges of `text` to highlight.
    pub highlights: Vec<std::ops::Range<usize>>,
}

/// One search hit.
#[derive(Debug, Clone)]
pub struct Hit {
    /// Path of the source file.
    pub path: String,
    /// The document's id: the BLAKE3 hex digest of the indexed bytes.
    pub id: String,
    /// Title of the report.
    pub title: String,
    /// Canonical URL, if known.
    pub url: Option<String>,
    /// Publication date, if known.
    pub date: Option<NaiveDate>,
    /// BM25 score; `None` when results are ordered by date.
    pub score: Option<f32>,
    /// Facet values of the document.
    pub entities: Entities,
    /// The article's own tags.
    pub tags: Vec<String>,
    /// CVE ids, technique ids and IOCs of the document.
    pub indicators: Indicators,
    /// The best excerpt for the query.
    pub snippet: Snippet,
    /// The format of the source (`html`, `pdf`, `feed`…); empty for
    /// documents indexed before formats were recorded.
    pub format: String,
}

/// The answer to a search.
#[derive(Debug, Clone)]
pub struct SearchResults {
    /// The query text, if one was given.
    pub query: Option<String>,
    /// Number of matching documents.
    pub total: usize,
    /// The top hits, best first.
    pub hits: Vec<Hit>,
}

/// A facet value and the number of documents that carry it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FacetCount {
    /// The value (canonical actor, ISO code, sector id, year or month).
    pub value: String,
    /// Number of matching documents.
    pub count: u64,
}

/// A two-way table of document counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CrossTab {
    /// Dimension of the rows.
    pub row_field: String,
    /// Dimension of the columns.
    pub column_field: String,
    /// Row values, most frequent first.
    pub rows: Vec<String>,
    /// Column values, most frequent first.
    pub columns: Vec<String>,
    /// `counts[r][c]`: documents carrying both `rows[r]` and `columns[c]`.
    pub counts: Vec<Vec<u64>>,
}

/// The answer to a facet summary.
#[derive(Debug, Clone)]
pub struct FacetResults {
    /// Number of matching documents.
    pub total: u64,
    /// Per field, the values and their counts, in the order requested.
    pub facets: Vec<(String, Vec<FacetCount>)>,
    /// Cross-tabulations, if any were requested.
    pub cross: Vec<CrossTab>,
}

/// Prefix of a stored path whose bytes are not UTF-8 (see [`path_key`]).
/// No canonical path starts with it: they start with `/` (Unix) or a drive
/// or `\\` (Windows).
const BYTES_KEY_PREFIX: &str = "bytes:";

/// The string a file's path is stored under in the index: the path itself
/// when it is UTF-8, else `bytes:` and the path's bytes with every byte
/// outside printable ASCII (and the backslash) written `\xHH`.
///
/// The form round-trips through [`path_from_key`], so a file whose name is
/// not UTF-8 is opened again from what is stored, and two such names never
/// collide (a lossy conversion would map both to the same U+FFFD string and
/// lose one of the documents).
pub fn path_key(path: &Path) -> String {
    if let Some(s) = path.to_str() {
        return s.to_string();
    }
    #[cfg(unix)]
    {
        use std::fmt::Write as _;
        use std::os::unix::ffi::OsStrExt;
        let mut out = String::from(BYTES_KEY_PREFIX);
        for &b in path.as_os_str().as_bytes() {
            if b.is_ascii_graphic() && b != b'\\' || b == b' ' {
                out.push(b as char);
            } else {
                let _ = write!(out, "\\x{b:02x}");
            }
        }
        out
    }
    #[cfg(not(unix))]
    {
        // Windows names that are not UTF-16 text (unpaired surrogates) are
        // the only ones without a UTF-8 form; they are stored lossily.
        path.to_string_lossy().into_owned()
    }
}

/// The path a stored key names: the inverse of [`path_key`].
pub fn path_from_key(key: &str) -> PathBuf {
    #[cfg(unix)]
    if let Some(escaped) = key.strip_prefix(BYTES_KEY_PREFIX) {
        use std::os::unix::ffi::OsStringExt;
        let b = escaped.as_bytes();
        let mut bytes = Vec::with_capacity(b.len());
        let mut i = 0;
        while i < b.len() {
            let hex = b
                .get(i + 2..i + 4)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            match (b[i], b.get(i + 1), hex) {
                (b'\\', Some(b'x'), Some(v)) => {
                    bytes.push(v);
                    i += 4;
                }
                (c, _, _) => {
                    bytes.push(c);
                    i += 1;
                }
            }
        }
        return PathBuf::from(std::ffi::OsString::from_vec(bytes));
    }
    PathBuf::from(key)
}

#[cfg(test)]
mod path_key_tests {
    use super::*;

    #[test]
    fn utf8_paths_are_stored_as_they_are() {
        let p = Path::new("/data/reports/Volt Typhoon \\ 2024 %41.html");
        assert_eq!(path_key(p), p.to_str().unwrap());
        assert_eq!(path_from_key(&path_key(p)), p);
    }

    #[cfg(unix)]
    #[test]
    fn non_utf8_paths_round_trip_without_collisions() {
        use std::ffi::OsStr;
        use std::os::unix::ffi::OsStrExt;
        let a = Path::new(OsStr::from_bytes(b"/r/caf\xe9 \\x41.txt"));
        let b = Path::new(OsStr::from_bytes(b"/r/caf\xe8 \\x41.txt"));
        let (ka, kb) = (path_key(a), path_key(b));
        assert_ne!(ka, kb);
        assert_eq!(ka, "bytes:/r/caf\\xe9 \\x5cx41.txt");
        assert_eq!(path_from_key(&ka), a);
        assert_eq!(path_from_key(&kb), b);
    }
}
