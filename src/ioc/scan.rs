//! Finds indicators in refanged text: CVE and technique ids, URLs, emails,
//! IPv4 and IPv6 addresses, domains and hashes, with the precision rules
//! that keep version numbers, file names and code out.
//!
//! The rules:
//! 1. URLs come first; their host is an indicator too (a domain or an
//!    address), and nothing else is looked for inside a URL except CVE ids,
//!    technique ids and hashes (a VirusTotal link names its hash).
//! 2. An IPv4 address has four decimal octets of at most 255 without leading
//!    zeros, is not part of a longer dotted run (`10.0.17763.1`), and does not
//!    follow a word such as "version", "build" or "firmware" (nor a connector
//!    such as "through" after such a version: "versions 1.2.3.4 through 1.2.3.9").
//! 3. An IPv6 address must parse, have two or more groups and a digit, and
//!    stand alone (`std::vec` and `12:30:45` are not addresses).
//! 4. A domain needs a suffix of the public-suffix list and a registrable
//!    label before it. Names whose top-level domain is also a file extension
//!    (`.zip`, `.mov`, `.py`, `.sh`…) count only when defanged, in a URL, or
//!    right after a word such as "domain" or "C2"; so do names written with
//!    capitals (`System.IO`, `ASP.NET`) and reserved names (`.local`). Names
//!    after a path separator (`C:\x\setup.sh`, `/tmp/a.py`) or before a
//!    parenthesis (`document.write(`) are code or paths.
//! 5. A hash is a run of exactly 32, 40 or 64 hex digits, bounded by
//!    non-word characters (so never part of a longer run), with both a digit
//!    and a letter.
//! 6. The article's own URL and anything on the site's own registrable domain
//!    are dropped, and so are plain (not defanged) links to the reference
//!    sites reports cite as sources ([`REFERENCE_DOMAINS`]: social networks,
//!    Wikipedia, MITRE, NVD, CISA, VirusTotal). Hashes in such links count.

use super::refang::{refang, Refanged};
use super::role::{self, Layout};
use super::{scope, techniques};
use crate::model::{IndicatorKind, Indicators, Ioc, Role, Scope};
use std::collections::{BTreeMap, BTreeSet};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::ops::Range;

/// Top-level domains that are also common file extensions or code words: a
/// name ending in one needs more than its shape to count as a domain.
pub const AMBIGUOUS_TLDS: &[&str] = &[
    "zip", "mov", "py", "sh", "pl", "rs", "md", "so", "app", "cab", "run", "one", "ps", "ai", "ml",
    "cat", "pm", "cc", "in", "pub", "key", "bz", "name", "ms", "sc", "mo", "tf", "gs", "am", "ac",
    "ts", "java",
];

/// Returns true if and only if two colons stand at most four hex digits
/// apart somewhere in `b`: what any IPv6 address of two or more groups has.
fn has_colon_pair(b: &[u8]) -> bool {
    let mut from = 0;
    while let Some(off) = memchr::memchr(b':', &b[from..]) {
        let i = from + off;
        let mut j = i + 1;
        while j < b.len() && j <= i + 5 {
            match b[j] {
                b':' => return true,
                c if c.is_ascii_hexdigit() => j += 1,
                _ => break,
            }
        }
        from = i + 1;
    }
    false
}

/// ASCII word characters, as `(?-u:\b)` counts them.
fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// The hash-shaped words of `t`, in order: runs of ASCII word characters
/// that are all hex digits and 32, 40 or 64 long. That is exactly what
/// `\b[0-9a-fA-F]{32}\b|\b[0-9a-fA-F]{40}\b|\b[0-9a-fA-F]{64}\b` (ASCII `\b`)
/// matches (a test holds the two equal), found without reading most bytes:
/// a hash holds 32 hex digits in a row, so the scan looks 31 bytes ahead and
/// jumps past any non-hex byte it finds in between.
fn hex_words(t: &str) -> Vec<Range<usize>> {
    const RUN: usize = 32;
    let b = t.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i + RUN <= b.len() {
        let last = i + RUN - 1;
        if let Some(k) = b[i..=last].iter().rposition(|c| !c.is_ascii_hexdigit()) {
            i += k + 1;
            continue;
        }
        // 32 hex digits at i: the word around them must be all hex.
        let Range { start, end } = super::widen(b, i, i, is_word);
        if matches!(end - start, 32 | 40 | 64) && b[start..end].iter().all(u8::is_ascii_hexdigit) {
            out.push(start..end);
        }
        i = end;
    }
    out
}

/// Every match of `domain_re` in `t`, in order, found by running the regex
/// only where a domain can be: around each `x.y` (an ASCII alphanumeric, a
/// dot, a letter), widened to the run of ASCII word characters, dots and
/// hyphens it sits in. A match is made of such characters and contains such
/// an `x.y`, so it lies inside one of these windows; the regex sees the text
/// before a window (for `\b`) and a window ends where a non-word character
/// does, as the text does. Prose has few windows, so most of the text is
/// skipped (a test holds the result equal to `find_iter` over the text).
fn domain_matches(t: &str) -> Vec<regex::Match<'_>> {
    let b = t.as_bytes();
    let in_run = |c: u8| is_word(c) || c == b'.' || c == b'-';
    let mut out = Vec::new();
    let mut done = 0;
    for dot in memchr::memchr_iter(b'.', b) {
        if dot < done
            || dot == 0
            || !b[dot - 1].is_ascii_alphanumeric()
            || !b.get(dot + 1).is_some_and(u8::is_ascii_alphabetic)
        {
            continue;
        }
        let Range { start, end } = super::widen(b, dot, dot, in_run);
        // The window's edges are ASCII bytes (or the text's ends), so both
        // are char boundaries.
        let hay = &t[..end];
        let mut pos = start.max(done);
        while let Some(m) = domain_re().find_at(hay, pos) {
            pos = m.end();
            out.push(m);
        }
        done = end;
    }
    out
}

/// Sites that reports cite as sources (social networks, encyclopedias,
/// vulnerability and technique databases, sample scanners): a plain link to
/// one is a reference, not an indicator. Written defanged, it still counts.
pub const REFERENCE_DOMAINS: &[&str] = &[
    "linkedin.com",
    "twitter.com",
    "x.com",
    "facebook.com",
    "youtube.com",
    "instagram.com",
    "reddit.com",
    "wikipedia.org",
    "mitre.org",
    "nist.gov",
    "first.org",
    "cisa.gov",
    "virustotal.com",
];

/// Returns true if and only if a lower-case host is on a reference site.
fn is_reference(host: &str) -> bool {
    registrable(host).is_some_and(|d| REFERENCE_DOMAINS.contains(&d.as_str()))
}

/// Words right before an IPv4-shaped string that make it a version number.
const VERSION_WORDS: &[&str] = &[
    "version", "versions", "ver", "v", "build", "builds", "release", "releases", "firmware", "fw",
    "rev", "revision", "patch", "update", "updates", "section", "sections", "chapter", "oid", "kb",
];

/// How far back (bytes) a "version" heading makes a small dotted quad
/// (`1.0.10.1`) a version number, as in a table under a "Versions" column.
const VERSION_CONTEXT: usize = 200;

/// Words that link two version numbers ("1.2.3.4 through 1.2.3.9").
const VERSION_LINKS: &[&str] = &["through", "thru", "to", "and", "or", "until", "-", "–", ","];

/// Words right before a name that say it is a host ("the domain evil.zip",
/// "C2 update.sh").
const HOST_WORDS: &[&str] = &[
    "domain",
    "domains",
    "hostname",
    "hostnames",
    "host",
    "hosts",
    "c2",
    "c&c",
    "cnc",
    "server",
    "servers",
    "resolves",
    "resolved",
    "resolving",
    "beacons",
    "beaconing",
    "contacted",
    "contacts",
    "connects",
    "connected",
    "site",
    "website",
    "fqdn",
];

regex!(
    cve_re,
    r"(?i)(?-u:\b)CVE[-\x{2010}-\x{2013}_ ]?((?:19|20)\d\d)[-\x{2010}-\x{2013}_](\d{4,7})(?-u:\b)"
);
regex!(technique_re, r"(?i)(?-u:\b)T1\d{3}(?:[./]\d{3})?(?-u:\b)");
regex!(
    url_re,
    r#"(?i)(?-u:\b)(?:https?|ftp)://[^\s<>"'`{}|\\^\x{201C}\x{201D}\x{2018}\x{2019}]+"#
);
regex!(
    email_re,
    r"(?i)(?-u:\b)[a-z0-9][a-z0-9._%+-]*@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{1,62}(?-u:\b)"
);
regex!(
    ipv4_re,
    r"(?-u:\b)\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?-u:\b)"
);
regex!(
    ipv6_re,
    r"(?i)(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}(?:\.\d{1,3}){0,3}"
);
regex!(
    domain_re,
    r"(?i)(?-u:\b)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})(?-u:\b)"
);

/// The site a report was published on, so its own links can be dropped.
#[derive(Debug, Clone, Default)]
struct Site {
    /// The article's own URL, normalised.
    url: Option<String>,
    /// The registrable domain of its host.
    domain: Option<String>,
}

impl Site {
    fn new(own_url: Option<&str>) -> Site {
        let Some(u) = own_url else {
            return Site::default();
        };
        let url = normalise_url(u);
        let domain = url_host(&url).map(|h| registrable(&h).unwrap_or(h));
        Site {
            url: Some(url),
            domain,
        }
    }

    /// Returns true if and only if `host` belongs to the site.
    fn owns(&self, host: &str) -> bool {
        let Some(d) = &self.domain else { return false };
        host == d || registrable(host).as_deref() == Some(d.as_str())
    }

    /// Returns true if and only if `url` is the article's own address.
    fn is_own_url(&self, url: &str) -> bool {
        self.url
            .as_deref()
            .is_some_and(|own| own.trim_end_matches('/') == url.trim_end_matches('/'))
    }
}

/// The registrable domain of a lower-case host (`a.b.evil.co.uk` →
/// `evil.co.uk`), when its suffix is on the public-suffix list.
pub fn registrable(host: &str) -> Option<String> {
    let d = psl::domain(host.as_bytes())?;
    if !d.suffix().is_known() {
        return None;
    }
    std::str::from_utf8(d.as_bytes()).ok().map(str::to_string)
}

/// Normalises a URL for comparison and indexing: its scheme and host are
/// lower-cased (they are case-insensitive); user info, path, query and
/// fragment keep their case, as servers read them case-sensitively.
pub fn normalise_url(u: &str) -> String {
    let u = u.trim();
    let Some((scheme, rest)) = u.split_once("://") else {
        return u.to_string();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let (user, host) = match authority.rsplit_once('@') {
        Some((user, host)) => (Some(user), host),
        None => (None, authority),
    };
    let mut out = String::with_capacity(u.len());
    out.push_str(&scheme.to_ascii_lowercase());
    out.push_str("://");
    if let Some(user) = user {
        out.push_str(user);
        out.push('@');
    }
    out.push_str(&host.to_lowercase());
    out.push_str(tail);
    out
}

/// The host of a URL (lower case, without user info, port or brackets).
pub fn url_host(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split(']').next()?
    } else {
        host_port.split(':').next()?
    };
    let host = host.trim_end_matches('.').to_lowercase();
    (!host.is_empty()).then_some(host)
}

/// How sure we are that a candidate is meant as an indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Evidence {
    /// Only its shape.
    Shape,
    /// Defanged, inside a URL, or introduced by a word such as "domain".
    Strong,
}

/// Classifies a host name or address, returning its kind, normalised value
/// and scope, when it is one.
fn host_indicator(host: &str, evidence: Evidence) -> Option<Ioc> {
    let h = host.trim_end_matches('.');
    if let Ok(ip) = h.parse::<Ipv4Addr>() {
        return Some(ioc(IndicatorKind::Ip, ip.to_string(), scope::ipv4(ip)));
    }
    if let Ok(ip) = h.parse::<Ipv6Addr>() {
        return Some(ioc(IndicatorKind::Ip, ip.to_string(), scope::ipv6(ip)));
    }
    domain_indicator(h, evidence)
}

/// Checks a candidate domain (any case) and returns it as an indicator.
fn domain_indicator(name: &str, evidence: Evidence) -> Option<Ioc> {
    if name.len() > 253 || !name.contains('.') {
        return None;
    }
    let lower = name.to_ascii_lowercase();
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    if !lower.split('.').all(label_ok) {
        return None;
    }
    let tld = lower.rsplit('.').next().unwrap_or_default();
    if tld.bytes().any(|b| b.is_ascii_digit()) && !tld.starts_with("xn--") {
        return None;
    }
    let sc = scope::domain(&lower);
    let known = registrable(&lower).is_some();
    if evidence == Evidence::Shape {
        let mixed_case = name.bytes().any(|b| b.is_ascii_uppercase());
        if mixed_case || AMBIGUOUS_TLDS.contains(&tld) || !known {
            return None;
        }
    } else if !known && sc == Scope::Public {
        return None;
    }
    Some(ioc(IndicatorKind::Domain, lower, sc))
}

fn ioc(kind: IndicatorKind, value: String, scope: Scope) -> Ioc {
    Ioc {
        kind,
        value,
        scope,
        role: Role::Reference,
    }
}

/// The observables of one text, each once: a value named both as an
/// indicator and as a reference is an indicator.
#[derive(Debug, Default)]
struct Found(BTreeMap<(IndicatorKind, String), (Scope, Role)>);

impl Found {
    /// Adds an observable with a role.
    fn add(&mut self, found: Ioc, role: Role) {
        let entry = self
            .0
            .entry((found.kind, found.value))
            .or_insert((found.scope, role));
        entry.1 = entry.1.min(role);
    }

    /// The observables, sorted by kind and value.
    fn into_iocs(self) -> Vec<Ioc> {
        self.0
            .into_iter()
            .map(|((kind, value), (scope, role))| Ioc {
                kind,
                value,
                scope,
                role,
            })
            .collect()
    }
}

/// Spans of text already claimed by an indicator (URLs, emails, addresses):
/// disjoint, and kept sorted between passes so lookups are logarithmic.
#[derive(Debug, Default)]
struct Taken {
    /// Sorted by start; no two overlap.
    sorted: Vec<Range<usize>>,
    /// Claimed during the current pass.
    new: Vec<Range<usize>>,
}

impl Taken {
    /// Returns true if and only if `range` overlaps a span claimed in an
    /// earlier pass.
    fn overlaps(&self, range: &Range<usize>) -> bool {
        let i = self.sorted.partition_point(|s| s.start < range.end);
        i > 0 && self.sorted[i - 1].end > range.start
    }

    /// Claims a span (seen by the next pass).
    fn claim(&mut self, range: Range<usize>) {
        self.new.push(range);
    }

    /// Ends a pass.
    fn commit(&mut self) {
        self.sorted.append(&mut self.new);
        self.sorted.sort_by_key(|r| r.start);
    }
}

/// The word just before `pos`, skipping spaces and light punctuation, lower
/// case.
fn word_before(text: &str, pos: usize) -> String {
    let before = &text[..pos];
    let trimmed = before.trim_end_matches([' ', '\t', '(', ':', '=', '"', '\'', '`']);
    if trimmed.len() + 3 < before.len() {
        // Too far away to be read together.
        return String::new();
    }
    let start = trimmed
        .char_indices()
        .rev()
        .find(|&(_, c)| !(c.is_alphanumeric() || c == '&' || c == '-'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    trimmed[start..].to_lowercase()
}

/// Returns true if and only if a dotted quad reads like a version number:
/// its first two parts are single digits (`1.0.10.1`, `2.3.0.0`).
fn looks_like_version(quad: &str) -> bool {
    let mut parts = quad.split('.');
    parts.next().is_some_and(|p| p.len() == 1) && parts.next().is_some_and(|p| p.len() == 1)
}

/// Returns true if and only if the word "version" occurs shortly before `pos`.
fn version_nearby(text: &str, pos: usize) -> bool {
    let mut from = pos.saturating_sub(VERSION_CONTEXT);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    text[from..pos].to_ascii_lowercase().contains("version")
}

/// The previous character before `pos`, if any.
fn prev_char(text: &str, pos: usize) -> Option<char> {
    text[..pos].chars().next_back()
}

/// The next character at `pos`, if any.
fn next_char(text: &str, pos: usize) -> Option<char> {
    text[pos..].chars().next()
}

/// Trims punctuation that ends a sentence or closes a bracket around a URL,
/// and cuts where Markdown glues a link to the next one (`…/a)[2](https://…`).
fn trim_url(url: &str) -> &str {
    let cut = [")[", "](", "[[", ")("]
        .iter()
        .filter_map(|p| url.find(p))
        .min()
        .unwrap_or(url.len());
    let mut u = &url[..cut];
    loop {
        let Some(last) = u.chars().next_back() else {
            return u;
        };
        let unbalanced = |open: char, close: char| {
            u.chars().filter(|&c| c == close).count() > u.chars().filter(|&c| c == open).count()
        };
        let strip = match last {
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '"' | '*' | '>' | '…' => true,
            ')' => unbalanced('(', ')'),
            ']' => unbalanced('[', ']'),
            '}' => unbalanced('{', '}'),
            _ => false,
        };
        if !strip {
            return u;
        }
        u = &u[..u.len() - last.len_utf8()];
    }
}

/// Finds every indicator in `text`. `own_url` is the article's canonical URL:
/// it, and anything on its site, is not an indicator.
pub fn scan(text: &str, own_url: Option<&str>) -> Indicators {
    let rf = refang(text);
    let t = rf.text.as_str();
    let site = Site::new(own_url);
    let layout = Layout::new(t);
    let mut cves = BTreeSet::new();
    let mut techs = BTreeSet::new();
    let mut iocs = Found::default();
    // Each link's span and role, in text order, for the hashes inside.
    let mut links: Vec<(Range<usize>, Role)> = Vec::new();

    for c in cve_re().captures_iter(t) {
        cves.insert(format!("CVE-{}-{}", &c[1], &c[2]));
    }
    for m in technique_re().find_iter(t) {
        if let Some(id) = techniques::normalise(m.as_str()) {
            techs.insert(id);
        }
    }

    // URLs, and their hosts.
    let mut taken = Taken::default();
    let mut pos = 0;
    while let Some(m) = url_re().find_at(t, pos) {
        let raw = trim_url(m.as_str());
        let span = m.start()..m.start() + raw.len();
        // A cut link may be followed by another inside the same match.
        pos = span.end.max(m.start() + 1);
        taken.claim(span.clone());
        let url = normalise_url(raw);
        let Some(host) = url_host(&url) else { continue };
        let Some(h) = host_indicator(&host, Evidence::Strong) else {
            continue;
        };
        if site.is_own_url(&url) || (h.kind == IndicatorKind::Domain && site.owns(&h.value)) {
            continue;
        }
        let defanged = rf.was_defanged(&span);
        let domain = (h.kind == IndicatorKind::Domain).then_some(h.value.as_str());
        let benign_domain = domain.is_some_and(|d| {
            is_reference(d)
                || role::is_popular(d)
                || role::is_institutional(d)
                || role::is_sample_scanner(d)
        });
        let cited = domain.is_some_and(|d| is_reference(d) || role::is_sample_scanner(d));
        let url_role = if !defanged && (cited || role::is_hyperlink_target(t, span.start)) {
            // A link hidden behind words (`[the report](https://…)`) is a
            // citation: attackers' URLs are written out to be seen.
            Role::Reference
        } else {
            role::role_of(
                &layout,
                &span,
                role::Evidence {
                    defanged,
                    benign_host: benign_domain || role::is_article_link(&url),
                    host_word: false,
                    list_kind: false,
                },
            )
        };
        let scanner = domain.is_some_and(role::is_sample_scanner);
        links.push((span, if scanner { Role::Indicator } else { url_role }));
        // A popular site, a government's or a reference site is never
        // blocked as a whole, whatever its link is.
        let host_role = if benign_domain {
            Role::Reference
        } else {
            url_role
        };
        iocs.add(ioc(IndicatorKind::Url, url, h.scope), url_role);
        iocs.add(h, host_role);
    }

    taken.commit();

    // Emails.
    for m in email_re().find_iter(t) {
        let span = m.range();
        if taken.overlaps(&span) {
            continue;
        }
        let value = m.as_str().to_ascii_lowercase();
        let (local, domain) = value.rsplit_once('@').unwrap_or_default();
        if local.ends_with('.') || local.contains("..") {
            continue;
        }
        let Some(d) = domain_indicator(domain, Evidence::Strong) else {
            continue;
        };
        taken.claim(span.clone());
        if site.owns(&d.value) {
            continue;
        }
        let email_role = role::role_of(
            &layout,
            &span,
            role::Evidence {
                defanged: rf.was_defanged(&span),
                benign_host: role::is_institutional(&d.value),
                host_word: false,
                list_kind: true,
            },
        );
        iocs.add(ioc(IndicatorKind::Email, value, d.scope), email_role);
    }

    taken.commit();

    // IPv6 (before IPv4, so `::ffff:8.8.8.8` stays whole). The regex has no
    // literal to start from, so prose without two close colons skips it.
    let v6 = has_colon_pair(t.as_bytes()).then(|| ipv6_re().find_iter(t));
    for m in v6.into_iter().flatten() {
        let mut s = m.as_str();
        let start = m.start();
        while s.ends_with(':') && !s.ends_with("::") {
            s = &s[..s.len() - 1];
        }
        let span = start..start + s.len();
        if taken.overlaps(&span) {
            continue;
        }
        let alone = !prev_char(t, span.start)
            .is_some_and(|c| c.is_alphanumeric() || c == ':' || c == '.' || c == '_')
            && !next_char(t, span.end).is_some_and(|c| c.is_alphanumeric() || c == '_');
        let groups = s.split(':').filter(|g| !g.is_empty()).count();
        // Colon-separated byte pairs are MAC addresses or fingerprints.
        let byte_pairs = !s.contains("::") && s.split(':').all(|g| g.len() <= 2);
        if !alone || groups < 2 || byte_pairs || !s.bytes().any(|b| b.is_ascii_digit()) {
            continue;
        }
        if let Ok(ip) = s.parse::<Ipv6Addr>() {
            taken.claim(span);
            let found = ioc(IndicatorKind::Ip, ip.to_string(), scope::ipv6(ip));
            iocs.add(found, Role::Indicator);
        }
    }

    taken.commit();

    // IPv4.
    let mut last_version_end: Option<usize> = None;
    for m in ipv4_re().find_iter(t) {
        let span = m.range();
        if taken.overlaps(&span) {
            continue;
        }
        let longer_run = (prev_char(t, span.start) == Some('.')
            && t[..span.start - 1].ends_with(|c: char| c.is_ascii_digit()))
            || (next_char(t, span.end) == Some('.')
                && t[span.end + 1..].starts_with(|c: char| c.is_ascii_digit()));
        let octets_ok = m
            .as_str()
            .split('.')
            .all(|o| o.parse::<u16>().is_ok_and(|n| n <= 255) && (o == "0" || !o.starts_with('0')));
        if longer_run || !octets_ok {
            continue;
        }
        let linked = last_version_end.is_some_and(|end| {
            let between = t[end..span.start].trim();
            between.is_empty() || VERSION_LINKS.contains(&between.to_lowercase().as_str())
        });
        if linked
            || VERSION_WORDS.contains(&word_before(t, span.start).as_str())
            || (looks_like_version(m.as_str()) && version_nearby(t, span.start))
        {
            last_version_end = Some(span.end);
            continue;
        }
        if let Ok(ip) = m.as_str().parse::<Ipv4Addr>() {
            taken.claim(span);
            let found = ioc(IndicatorKind::Ip, ip.to_string(), scope::ipv4(ip));
            iocs.add(found, Role::Indicator);
        }
    }

    taken.commit();

    // Domains.
    for m in domain_matches(t) {
        let span = m.range();
        if taken.overlaps(&span) {
            continue;
        }
        let prev = prev_char(t, span.start);
        let code_or_path = matches!(prev, Some('/' | '\\' | '@' | '_' | '-' | '$' | '%'))
            || (prev == Some('.') && t[..span.start - 1].ends_with(|c: char| c.is_alphanumeric()))
            || matches!(next_char(t, span.end), Some('(' | '_' | '-' | '@' | '\\'))
            || (next_char(t, span.end) == Some('.')
                && t[span.end + 1..].starts_with(|c: char| c.is_alphanumeric()));
        if code_or_path {
            continue;
        }
        let defanged = rf.was_defanged(&span);
        let host_word = HOST_WORDS.contains(&word_before(t, span.start).as_str());
        let evidence = if defanged || host_word {
            Evidence::Strong
        } else {
            Evidence::Shape
        };
        let Some(d) = domain_indicator(m.as_str(), evidence) else {
            continue;
        };
        if site.owns(&d.value) {
            continue;
        }
        let capitalised = m.as_str().bytes().any(|b| b.is_ascii_uppercase());
        let domain_role = if role::is_popular(&d.value) || (capitalised && !defanged) {
            Role::Reference
        } else {
            role::role_of(
                &layout,
                &span,
                role::Evidence {
                    defanged,
                    benign_host: is_reference(&d.value) || role::is_institutional(&d.value),
                    host_word,
                    list_kind: true,
                },
            )
        };
        iocs.add(d, domain_role);
    }

    // Hashes (also inside URLs).
    for span in hex_words(t) {
        let s = &t[span.clone()];
        let has_digit = s.bytes().any(|b| b.is_ascii_digit());
        let has_letter = s.bytes().any(|b| b.is_ascii_alphabetic());
        if !(has_digit && has_letter) {
            continue;
        }
        let kind = match s.len() {
            32 => IndicatorKind::Md5,
            40 => IndicatorKind::Sha1,
            _ => IndicatorKind::Sha256,
        };
        // A hash inside a link takes the link's role (a commit id in a
        // code-host link is no sample); elsewhere it names a sample.
        let i = links.partition_point(|(l, _)| l.start <= span.start);
        let in_link = i
            .checked_sub(1)
            .map(|i| &links[i])
            .filter(|(l, _)| span.end <= l.end);
        let hash_role = in_link.map_or(Role::Indicator, |(_, link_role)| *link_role);
        iocs.add(ioc(kind, s.to_ascii_lowercase(), Scope::Public), hash_role);
    }

    Indicators {
        cves: cves.into_iter().collect(),
        techniques: techs.into_iter().collect(),
        iocs: iocs.into_iocs(),
    }
}

/// Characters a pasted indicator may be wrapped in.
const WRAPPERS: [char; 6] = ['"', '\'', '<', '>', ',', ';'];

/// Reads one indicator typed by a user (a query word, a `--ioc` value):
/// refanged, trimmed of surrounding punctuation, classified and normalised.
/// Returns `None` unless the whole string is one indicator.
pub fn parse_one(input: &str) -> Option<(IndicatorKind, String)> {
    // A plain word (no digit, dot, @, colon or defanging bracket) can only
    // be a hash written in the letters a-f: answer without the regexes,
    // whose compilation is a noticeable part of a short search process.
    let plain = !input
        .bytes()
        .any(|b| b.is_ascii_digit() || matches!(b, b'.' | b'@' | b':' | b'[' | b'(' | b'{' | b'/'))
        && !input.to_ascii_lowercase().contains(" dot ");
    if plain {
        let lower = input.trim().trim_matches(WRAPPERS).to_ascii_lowercase();
        return hash_kind(&lower).map(|kind| (kind, lower));
    }
    let Refanged { text, .. } = refang(input.trim());
    let s = text.trim().trim_matches(WRAPPERS);
    let s = trim_url(s);
    if s.is_empty() {
        return None;
    }
    if let Some(c) = cve_re().captures(s) {
        if c.get(0).is_some_and(|m| m.range() == (0..s.len())) {
            return Some((IndicatorKind::Cve, format!("CVE-{}-{}", &c[1], &c[2])));
        }
    }
    if let Some(id) = technique_re()
        .find(s)
        .filter(|m| m.range() == (0..s.len()))
        .and_then(|m| techniques::normalise(m.as_str()))
    {
        return Some((IndicatorKind::Technique, id));
    }
    let lower = s.to_ascii_lowercase();
    if url_re().find(s).is_some_and(|m| m.range() == (0..s.len())) {
        let url = normalise_url(s);
        return url_host(&url)
            .and_then(|h| host_indicator(&h, Evidence::Strong))
            .map(|_| (IndicatorKind::Url, url));
    }
    if let Some(kind) = hash_kind(&lower) {
        return Some((kind, lower));
    }
    if let Ok(ip) = s.parse::<IpAddr>() {
        return Some((IndicatorKind::Ip, ip.to_string()));
    }
    if email_re()
        .find(s)
        .is_some_and(|m| m.range() == (0..s.len()))
    {
        return Some((IndicatorKind::Email, lower));
    }
    if domain_re()
        .find(s)
        .is_some_and(|m| m.range() == (0..s.len()))
    {
        // Typed on purpose: any known suffix will do, even `.zip`.
        return domain_indicator(s, Evidence::Strong).map(|d| (IndicatorKind::Domain, d.value));
    }
    None
}

/// The hash kind of a lower-case string of exactly 32, 40 or 64 hex digits.
fn hash_kind(s: &str) -> Option<IndicatorKind> {
    if !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    match s.len() {
        32 => Some(IndicatorKind::Md5),
        40 => Some(IndicatorKind::Sha1),
        64 => Some(IndicatorKind::Sha256),
        _ => None,
    }
}

/// The kind and scope of a stored, normalised indicator value, as the index
/// keeps it (`ioc` field values carry no type).
pub fn classify(value: &str) -> Option<(IndicatorKind, Scope)> {
    if value.contains("://") {
        let sc = url_host(value)
            .and_then(|h| host_indicator(&h, Evidence::Strong))
            .map_or(Scope::Public, |h| h.scope);
        return Some((IndicatorKind::Url, sc));
    }
    if let Some((_, domain)) = value.rsplit_once('@') {
        return Some((IndicatorKind::Email, scope::domain(domain)));
    }
    if let Ok(ip) = value.parse::<IpAddr>() {
        return Some((IndicatorKind::Ip, scope::ip(ip)));
    }
    if let Some(kind) = hash_kind(value) {
        return Some((kind, Scope::Public));
    }
    value
        .contains('.')
        .then(|| (IndicatorKind::Domain, scope::domain(value)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A report paragraph with every kind of indicator and every trap.
    const TEST_TEXT: &str = "\
Exploiting cve-2024-3400 and CVE‑2023‑46805 (T1190, T1059.001, T1059.999, T9999).
C2: hxxps://update-check[.]evil-cdn[.]com/gate.php?id=7). Fallback 45.77.12[.]9:443 and
203.0.113.5, internal 10.10.1.5 and 127.0.0.1. Versions 10.0.17763.1 and version 1.2.3.4
through 1.2.3.9 are affected; build 5.4.3.2 too. Dropped update.zip, invoice.exe,
example.js, config.php and run.sh to C:\\Users\\Public\\svc.dll. The domain login-portal[.]zip
and bad.mov hosted the payload; System.IO and ASP.NET were used, document.write(x).
Mail: billing[at]evil-cdn(.)com. IPv6 2001:db8::dead:1 and 2606:4700:4700::1111, std::vec.
Hashes: MD5 44d88612fea8a8f36de82e1278abb02f, SHA1 3395856ce81f2b7382dee72602f798b642f14140,
SHA256 275A021BBFB6489E54D471899F7DB9D1663FC695EC2FE2A2C4538AABF651FD0F; not a hash:
44d88612fea8a8f36de82e1278abb02f44d88612fea8a8f36de82e1278abb02faa and the vendor page
https://research.vendor.example.net/blog/report-1 (see https://www.cisa.gov/advisories).
";

    fn values(ind: &Indicators, kind: IndicatorKind) -> Vec<String> {
        ind.iocs
            .iter()
            .filter(|i| i.kind == kind)
            .map(|i| i.value.clone())
            .collect()
    }

    fn scope_of(ind: &Indicators, value: &str) -> Option<Scope> {
        ind.iocs.iter().find(|i| i.value == value).map(|i| i.scope)
    }

    #[test]
    fn the_test_text() {
        let ind = scan(
            TEST_TEXT,
            Some("https://research.vendor.example.net/blog/report-1"),
        );
        assert_eq!(ind.cves, vec!["CVE-2023-46805", "CVE-2024-3400"]);
        assert_eq!(ind.techniques, vec!["T1059", "T1059.001", "T1190"]);
        assert_eq!(
            values(&ind, IndicatorKind::Url),
            vec![
                "https://update-check.evil-cdn.com/gate.php?id=7",
                "https://www.cisa.gov/advisories"
            ]
        );
        let role_of = |v: &str| ind.iocs.iter().find(|i| i.value == v).map(|i| i.role);
        assert_eq!(
            role_of("https://www.cisa.gov/advisories"),
            Some(Role::Reference)
        );
        assert_eq!(role_of("www.cisa.gov"), Some(Role::Reference));
        assert_eq!(
            role_of("https://update-check.evil-cdn.com/gate.php?id=7"),
            Some(Role::Indicator)
        );
        assert_eq!(
            values(&ind, IndicatorKind::Ip),
            vec![
                "10.10.1.5",
                "127.0.0.1",
                "2001:db8::dead:1",
                "203.0.113.5",
                "2606:4700:4700::1111",
                "45.77.12.9"
            ]
        );
        assert_eq!(
            values(&ind, IndicatorKind::Domain),
            vec![
                "login-portal.zip",
                "update-check.evil-cdn.com",
                "www.cisa.gov"
            ]
        );
        assert_eq!(
            values(&ind, IndicatorKind::Email),
            vec!["billing@evil-cdn.com"]
        );
        assert_eq!(
            values(&ind, IndicatorKind::Md5),
            vec!["44d88612fea8a8f36de82e1278abb02f"]
        );
        assert_eq!(values(&ind, IndicatorKind::Sha1).len(), 1);
        assert_eq!(
            values(&ind, IndicatorKind::Sha256),
            vec!["275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f"]
        );
        assert_eq!(scope_of(&ind, "10.10.1.5"), Some(Scope::Private));
        assert_eq!(scope_of(&ind, "127.0.0.1"), Some(Scope::Loopback));
        assert_eq!(scope_of(&ind, "203.0.113.5"), Some(Scope::Documentation));
        assert_eq!(
            scope_of(&ind, "2001:db8::dead:1"),
            Some(Scope::Documentation)
        );
        assert_eq!(scope_of(&ind, "45.77.12.9"), Some(Scope::Public));
    }

    #[test]
    fn plain_links_to_reference_sites_are_references() {
        let ind = scan(
            "Follow us https://www.linkedin.com/company/x and twitter.com; see \
             https://www.virustotal.com/gui/file/275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f \
             but the payload sat on hxxps://github[.]com/evil/repo and x[.]com/evil.",
            None,
        );
        let with_role = |role: Role| -> Vec<&str> {
            ind.iocs
                .iter()
                .filter(|i| i.role == role)
                .map(|i| i.value.as_str())
                .collect()
        };
        // The defanged link is the attackers', and the sample's hash in the
        // scanner's link; the sites themselves are never blocked whole.
        assert_eq!(
            with_role(Role::Indicator),
            vec![
                "https://github.com/evil/repo",
                "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f"
            ]
        );
        assert_eq!(
            with_role(Role::Reference),
            vec![
                "github.com",
                "twitter.com",
                "www.linkedin.com",
                "www.virustotal.com",
                "x.com",
                "https://www.linkedin.com/company/x",
                "https://www.virustotal.com/gui/file/275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f"
            ]
        );
    }

    #[test]
    fn urls_keep_the_case_of_their_path() {
        assert_eq!(
            normalise_url("HXXP://User@Evil.COM:8080/m4UBdpE7?Q=A#F"),
            "hxxp://User@evil.com:8080/m4UBdpE7?Q=A#F"
        );
        let ind = scan("C2 at hxxp://Evil[.]COM/m4UBdpE7", None);
        assert_eq!(
            values(&ind, IndicatorKind::Url),
            vec!["http://evil.com/m4UBdpE7"]
        );
        assert_eq!(
            parse_one("HTTP://EVIL.com/m4UBdpE7"),
            Some((IndicatorKind::Url, "http://evil.com/m4UBdpE7".into()))
        );
    }

    #[test]
    fn own_site_is_dropped() {
        let text = "Read https://blog.vendor.com/a and https://blog.vendor.com/post/1 \
                    or mail intel@vendor.com; vendor.com and cdn.vendor.com are ours, evil.com is not.";
        let ind = scan(text, Some("https://blog.vendor.com/post/1/"));
        let all: Vec<&str> = ind.iocs.iter().map(|i| i.value.as_str()).collect();
        assert_eq!(all, vec!["evil.com"]);
    }

    #[test]
    fn urls_lose_trailing_punctuation_but_keep_balanced_brackets() {
        let ind = scan(
            "See (https://evil.com/a), \"https://evil.com/b\". [https://evil.com/c] \
             https://evil.org/wiki/Foo_(bar) and https://evil.com/d?x=1;",
            None,
        );
        assert_eq!(
            values(&ind, IndicatorKind::Url),
            vec![
                "https://evil.com/a",
                "https://evil.com/b",
                "https://evil.com/c",
                "https://evil.com/d?x=1",
                "https://evil.org/wiki/Foo_(bar)"
            ]
        );
    }

    /// `hex_words` and `domain_matches` find exactly what the hash regex and
    /// `domain_re` find over the whole text: on edge cases and on every file
    /// of the bundled corpus (HTML included, for odd shapes).
    #[test]
    fn hand_scans_equal_their_regexes() {
        let hash = regex::Regex::new(
            r"(?-u:\b)[0-9a-fA-F]{32}(?-u:\b)|(?-u:\b)[0-9a-fA-F]{40}(?-u:\b)|(?-u:\b)[0-9a-fA-F]{64}(?-u:\b)",
        )
        .unwrap();
        let md5 = "d41d8cd98f00b204e9800998ecf8427e";
        let sha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        let mut texts: Vec<String> = vec![
            format!(
                "{md5} x_{md5} {md5}_ é{md5}é {md5}0 ({sha256}) {}",
                &sha256[..40]
            ),
            format!("{md5}{md5} g{md5} {md5}.{md5}-{md5}"),
            "foo_bar.com a..b.com evil-.com -evil.com .com sub.evil.co.uk. über.com".into(),
            "e.g. i.e. U.S. 1.2.3.4 v1.2a x.y a.b-c.d_e.f xn--80ak6aa92e.com ends.in".into(),
            "a.bc.d.ef. ...a.bc x.yz-é.com 3com.net a-b.c-d.ef_g".into(),
            String::new(),
            ".".into(),
            "a.".into(),
        ];
        texts.extend(super::super::bundled_corpus_texts());
        assert!(texts.len() > 40);
        for t in &texts {
            let ours = hex_words(t);
            let theirs: Vec<_> = hash.find_iter(t).map(|m| m.range()).collect();
            assert_eq!(ours, theirs, "{t}");
            let ours: Vec<_> = domain_matches(t).iter().map(|m| m.range()).collect();
            let theirs: Vec<_> = domain_re().find_iter(t).map(|m| m.range()).collect();
            assert_eq!(ours, theirs, "{t}");
        }
    }

    #[test]
    fn prefilters_pass_every_shape_their_regex_can_match() {
        for t in [
            "::1",
            "fe80::1",
            "2001:db8:0:0:1:0:0:1",
            "x ::ffff:8.8.8.8 y",
            "a:b:c",
        ] {
            assert!(has_colon_pair(t.as_bytes()), "{t}");
        }
        for t in [
            "Note: at 12:30, see below:",
            "a:xyz:b",
            "no colon at all",
            ":",
        ] {
            assert!(!has_colon_pair(t.as_bytes()), "{t}");
        }
        let md5 = "d41d8cd98f00b204e9800998ecf8427e";
        // Skipping the scans changes nothing where they could match.
        let t = "C2 at 2001:db8::5 and the sample d41d8cd98f00b204e9800998ecf8427e.";
        let ind = scan(t, None);
        assert!(values(&ind, IndicatorKind::Ip).contains(&"2001:db8::5".to_string()));
        assert!(values(&ind, IndicatorKind::Md5).contains(&md5.to_string()));
    }

    #[test]
    fn version_tables_macs_and_markdown_links() {
        let text = "| Month | Versions |\n| Jan | 1.0.10.0, 1.0.10.1, 1.0.12.0 |\n\
                    MAC 6c:0c:e2:dd:05:84:c4:7c. Sample [1](https://evil.com/a)[2](https://evil.com/b) \
                    and “https://evil.com/c” from https://*.evil.com/x.";
        let ind = scan(text, None);
        assert!(values(&ind, IndicatorKind::Ip).is_empty(), "{:?}", ind.iocs);
        assert_eq!(
            values(&ind, IndicatorKind::Url),
            vec![
                "https://evil.com/a",
                "https://evil.com/b",
                "https://evil.com/c"
            ]
        );
        // A real address near the word "version" still counts.
        let ind = scan("The new version beacons to 45.9.20.1 daily.", None);
        assert_eq!(values(&ind, IndicatorKind::Ip), vec!["45.9.20.1"]);
    }

    #[test]
    fn parse_one_reads_typed_indicators() {
        assert_eq!(
            parse_one("cve-2024-21887"),
            Some((IndicatorKind::Cve, "CVE-2024-21887".into()))
        );
        assert_eq!(
            parse_one("t1059"),
            Some((IndicatorKind::Technique, "T1059".into()))
        );
        assert_eq!(
            parse_one("198.51.100[.]23"),
            Some((IndicatorKind::Ip, "198.51.100.23".into()))
        );
        assert_eq!(
            parse_one("Evil[.]COM"),
            Some((IndicatorKind::Domain, "evil.com".into()))
        );
        assert_eq!(
            parse_one("bad.zip"),
            Some((IndicatorKind::Domain, "bad.zip".into()))
        );
        assert_eq!(
            parse_one("hxxp://evil[.]com/x"),
            Some((IndicatorKind::Url, "http://evil.com/x".into()))
        );
        assert_eq!(
            parse_one("a[at]b[.]org"),
            Some((IndicatorKind::Email, "a@b.org".into()))
        );
        assert_eq!(
            parse_one("2001:DB8::1"),
            Some((IndicatorKind::Ip, "2001:db8::1".into()))
        );
        assert_eq!(parse_one("volt"), None);
        assert_eq!(parse_one("file.exe"), None);
        assert_eq!(parse_one("T9999"), None);
    }

    #[test]
    fn classify_stored_values() {
        assert_eq!(
            classify("http://10.0.0.1/x"),
            Some((IndicatorKind::Url, Scope::Private))
        );
        assert_eq!(
            classify("a@example.com"),
            Some((IndicatorKind::Email, Scope::Documentation))
        );
        assert_eq!(classify("::1"), Some((IndicatorKind::Ip, Scope::Loopback)));
        assert_eq!(
            classify("evil.com"),
            Some((IndicatorKind::Domain, Scope::Public))
        );
        assert_eq!(
            classify("44d88612fea8a8f36de82e1278abb02f"),
            Some((IndicatorKind::Md5, Scope::Public))
        );
    }
}
