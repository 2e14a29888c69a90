//! Roles: whether an observable found in a report is the attackers' (an
//! indicator an analyst would block) or a link the report cites (a
//! reference), judged from where and how the report writes it.
//!
//! The evidence, in the order it is weighed:
//! 1. A domain of one of the web's most linked-to sites
//!    ([`POPULAR_DOMAINS`]: a public top-sites list) is never an indicator
//!    on its own: nobody blocks github.com or nytimes.com. Nor is a name
//!    written with capitals and not defanged (`configuration.Microsoft` is
//!    two sentences run together).
//! 2. Defanged text (`evil[.]com`, `hxxp://`) is an indicator: writers
//!    defang what must not be clicked.
//! 3. A line under a "References", "Sources", "Further reading"… heading is
//!    a reference.
//! 4. A line under an indicator heading ("Indicators of compromise", "IOCs",
//!    "C2 traffic", "Domains", "SHA256 hashes"…) is an indicator.
//! 5. A domain or email alone on a list or table line (a bullet, a table
//!    row: few words beside it) is an indicator.
//! 6. A sentence about command and control, downloads, hosting, payloads,
//!    exfiltration, phishing domains, connections… makes it an indicator;
//!    for the sites of rule 2, governments and plain article links (a
//!    `/blog/` path, a long hyphenated slug) only the strongest of these
//!    (C2, download, hosting, payload, exfiltration) do.
//! 7. Anything else — a plain link in prose — is a reference.
//!
//! Before rules 3 to 7, a line that calls what it lists benign ("not
//! inherently malicious", "legitimate", "connectivity check") makes it a
//! reference, and so does a link hidden behind words (`[the report](…)`) or
//! an image (`![](…)`), and a link to a reference site or sample scanner.
//!
//! IP addresses and hashes are always indicators: reports do not cite
//! addresses as sources, and a hash names a sample (a hash inside a link
//! takes the link's role, unless the link is a sample scanner's).

use super::scan::registrable;
use crate::model::Role;
use std::collections::HashSet;
use std::ops::Range;
use std::sync::OnceLock;

/// The public top-sites list the popular-domain rule uses (see the file's
/// header for its source and licence).
pub const POPULAR_DOMAINS: &str = include_str!("popular-domains.txt");

/// Sites that publish scans of malware samples: a hash in a link to one is
/// a sample's hash. No public list of them exists, so it is written here.
pub const SAMPLE_SCANNERS: &[&str] = &[
    "virustotal.com",
    "hybrid-analysis.com",
    "any.run",
    "abuse.ch",
    "malshare.com",
    "tria.ge",
    "joesandbox.com",
    "malwarebazaar.com",
    "urlscan.io",
];

/// Returns true if and only if the registrable domain of a lower-case host
/// is one of the most linked-to sites of the web.
pub fn is_popular(host: &str) -> bool {
    static SET: OnceLock<HashSet<String>> = OnceLock::new();
    let set = SET.get_or_init(|| {
        POPULAR_DOMAINS
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| registrable(l).unwrap_or_else(|| l.to_string()))
            .collect()
    });
    let domain = registrable(host);
    set.contains(domain.as_deref().unwrap_or(host))
}

/// Returns true if and only if a lower-case host is a government's, a
/// military's, an international body's or a university's, by its public
/// suffix (`gov`, `gov.uk`, `gouv.fr`, `gob.mx`, `mil`, `int`, `edu`, `ac.uk`…).
pub fn is_institutional(host: &str) -> bool {
    let Some(suffix) = psl::suffix(host.as_bytes()) else {
        return false;
    };
    if !suffix.is_known() {
        return false;
    }
    let suffix = std::str::from_utf8(suffix.as_bytes()).unwrap_or_default();
    let first = suffix.split('.').next().unwrap_or_default();
    matches!(
        first,
        "gov" | "gob" | "gouv" | "govt" | "go" | "mil" | "int" | "edu" | "ac" | "gc"
    ) || suffix.ends_with(".gov")
}

/// Returns true if and only if a lower-case host is a sample scanner's.
pub fn is_sample_scanner(host: &str) -> bool {
    registrable(host).is_some_and(|d| SAMPLE_SCANNERS.contains(&d.as_str()))
}

/// Path segments of links to articles, advisories and documentation.
const ARTICLE_SEGMENTS: &[&str] = &[
    "blog",
    "blogs",
    "news",
    "research",
    "threat-research",
    "threat-intelligence",
    "threat-insight",
    "security",
    "advisory",
    "advisories",
    "article",
    "articles",
    "post",
    "posts",
    "publications",
    "report",
    "reports",
    "docs",
    "documentation",
    "wiki",
    "support",
    "kb",
    "library",
    "insights",
    "resources",
    "labs",
    "stories",
    "story",
    "whitepapers",
    "papers",
    "press",
    "alerts",
    "ics-advisories",
    "cybersecurity-advisories",
    "vulnerabilities",
];

/// Returns true if and only if a (normalised) URL reads like a link to an
/// article: a path segment such as `blog` or `news`, or a slug of four or
/// more hyphenated words (`/ta505-distributes-new-sdbbot-rat`).
pub fn is_article_link(url: &str) -> bool {
    let Some(rest) = url.split_once("://").map(|(_, r)| r) else {
        return false;
    };
    let path = rest.split_once('/').map_or("", |(_, p)| p);
    let path = path.split(['?', '#']).next().unwrap_or_default();
    path.split('/').any(|seg| {
        let seg = seg.to_ascii_lowercase();
        let stem = seg.rsplit_once('.').map_or(seg.as_str(), |(s, _)| s);
        ARTICLE_SEGMENTS.contains(&stem)
            || stem
                .split(['-', '_'])
                .filter(|w| w.len() >= 2 && w.bytes().all(|b| b.is_ascii_alphabetic()))
                .count()
                >= 4
    })
}

/// Returns true if and only if the link starting at `start` is the target of
/// a Markdown image (`![](https://…)`) or of a Markdown link whose text is
/// words (`[the report](https://…)`), not an observable itself
/// (`[evil[.]com](…)`, `[44d8…](…)`, `[http://…](…)`).
pub fn is_hyperlink_target(text: &str, start: usize) -> bool {
    let before = &text[..start];
    let Some(rest) = before.strip_suffix("](") else {
        return false;
    };
    // The anchor text: back to its `[` on the same line (nested brackets of
    // a defanged dot are skipped by counting).
    let mut depth = 0usize;
    let mut open = None;
    for (i, c) in rest.char_indices().rev() {
        match c {
            '\n' => break,
            ']' => depth += 1,
            '[' if depth == 0 => {
                open = Some(i);
                break;
            }
            '[' => depth -= 1,
            _ => {}
        }
    }
    let Some(open) = open else { return false };
    if rest[..open].ends_with('!') {
        // An image the article shows (`![alt](https://…)`).
        return true;
    }
    let anchor = rest[open + 1..].trim_matches(['*', '_', '`', ' ']);
    let observable = anchor.contains("://")
        || anchor.contains("[.]")
        || (!anchor.contains(' ')
            && (anchor.contains('.')
                || anchor.bytes().filter(u8::is_ascii_hexdigit).count() >= 32));
    !anchor.is_empty() && !observable
}

/// The kind of section a line sits in, by the heading above it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// No heading, or one that says nothing about indicators or sources.
    Plain,
    /// Under a heading about indicators ("IOCs", "C2 traffic", "Hashes").
    Indicators,
    /// Under a heading about sources ("References", "Further reading").
    References,
}

/// How strongly the words around an observable say it is the attackers'.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Cue {
    /// No word about attack infrastructure.
    None,
    /// Phishing, connections, servers, malicious domains…
    Weak,
    /// Command and control, downloads, hosting, payloads, exfiltration.
    Strong,
}

regex!(
    indicator_heading_re,
    r"(?i)\b(?:indicators?|iocs?|observables?|hash(?:es)?|sha-?(?:1|256)|md5|c2|c&c|cnc|command[- ]and[- ]control|infrastructure|traffic|domains?|urls|ip addresses|network (?:indicators|artifacts)|samples|associated malware|email headers|attachments?)\b"
);
regex!(
    reference_heading_re,
    r"(?i)\b(?:references?|sources|further reading|additional reading|resources|bibliography|footnotes|endnotes|see also|read more|related (?:articles|posts|reading|links|content|research|stories)|acknowledge?ments?|credits|citations?|links)\b"
);
regex!(
    benign_line_re,
    r"(?i)\b(?:not (?:inherently |necessarily )?malicious|non-?malicious|legitimate|benign|connectivity checks?|ip (?:address )?(?:check|lookup)s?)\b"
);
regex!(
    strong_cue_re,
    r"(?i)\b(?:c2s?|c&c|cnc|command[- ]and[- ]control|beacon\w*|call-?backs?|download\w*|hosted|hosting|hosts?|payloads?|droppers?|dropped|staging|exfil\w*|malicious|attacker-controlled|actor-controlled|implants?)\b"
);
regex!(
    weak_cue_re,
    r"(?i)\b(?:phish\w*|spoof\w*|look-?alike|typo-?squat\w*|compromised|resolv\w*|connect(?:s|ed|ion|ions|ing)?|communicat\w*|contacted|sinkhol\w*|redirect\w*|ip address(?:es)?|register\w*|impersonat\w*|credential\w*|landing page|infrastructure|retriev\w*|fetch\w*|upload\w*|sends?|sent|servers?|domains?|hostnames?|backdoor\w*|attackers?|gate|panel|sender|lure\w*|fake)\b"
);

/// What the scanner knows of a text's layout: its lines and the sections
/// their headings open, worked out on first use.
#[derive(Debug)]
pub struct Layout<'t> {
    text: &'t str,
    /// Start of each section (byte offset of its heading line's end) and
    /// its kind, in order; computed lazily.
    sections: OnceLock<Vec<(usize, Section)>>,
}

impl<'t> Layout<'t> {
    /// Wraps a (refanged) text.
    pub fn new(text: &'t str) -> Layout<'t> {
        Layout {
            text,
            sections: OnceLock::new(),
        }
    }

    /// The line holding `pos`, without its line break.
    pub fn line(&self, pos: usize) -> Range<usize> {
        let b = self.text.as_bytes();
        let start = memchr::memrchr(b'\n', &b[..pos]).map_or(0, |i| i + 1);
        let end = memchr::memchr(b'\n', &b[pos..]).map_or(b.len(), |i| pos + i);
        start..end
    }

    /// The section `pos` sits in.
    pub fn section(&self, pos: usize) -> Section {
        let sections = self.sections.get_or_init(|| sections(self.text));
        let i = sections.partition_point(|&(start, _)| start <= pos);
        if i == 0 {
            Section::Plain
        } else {
            sections[i - 1].1
        }
    }

    /// Returns true if and only if the line of `span` is a list or table
    /// item made of little more than observables: at most four words of
    /// prose beside them.
    pub fn is_list_item(&self, span: &Range<usize>) -> bool {
        let line = &self.text[self.line(span.start)];
        prose_words(line).count() <= 4
    }

    /// Returns true if and only if the line of `span` calls what it lists
    /// benign: "not inherently malicious", "legitimate", "connectivity
    /// check", "IP address check" (lists of infection traffic mark the
    /// lookups malware makes to ordinary services this way).
    pub fn says_benign(&self, span: &Range<usize>) -> bool {
        benign_line_re().is_match(&self.text[self.line(span.start)])
    }

    /// The strongest cue in the sentence around `span` (the same line, at
    /// most 160 bytes before and 100 after, not past a sentence end). Words
    /// inside links, domains and paths do not count.
    pub fn cue(&self, span: &Range<usize>) -> Cue {
        let line = self.line(span.start);
        let mut from = span.start.saturating_sub(160).max(line.start);
        while !self.text.is_char_boundary(from) {
            from += 1;
        }
        let mut to = (span.end + 100).min(line.end).max(span.end);
        while !self.text.is_char_boundary(to) {
            to -= 1;
        }
        let before = &self.text[from..span.start];
        let before = sentence_ends(before)
            .next_back()
            .map_or(before, |i| &before[i..]);
        let after = &self.text[span.end..to];
        let after = sentence_ends(after).next().map_or(after, |i| &after[..i]);
        let words: String = prose_words(before)
            .chain(prose_words(after))
            .collect::<Vec<_>>()
            .join(" ");
        if strong_cue_re().is_match(&words) {
            Cue::Strong
        } else if weak_cue_re().is_match(&words) {
            Cue::Weak
        } else {
            Cue::None
        }
    }
}

/// The words of a text that are prose: not links, domains, paths or
/// file names (no `/`, `\`, `@` and no dot between two characters).
fn prose_words(s: &str) -> impl Iterator<Item = &str> {
    s.split_whitespace().filter(|w| {
        let inner = w.trim_end_matches(['.', ',', ';', ':', ')', ']', '"', '\'']);
        !inner.contains(['/', '\\', '@', '|', '['])
            && !inner.contains('.')
            && inner.bytes().any(|b| b.is_ascii_alphabetic())
    })
}

/// The byte offsets just after each sentence end (`. `, `! `, `? ` before a
/// capital) in `s`, in order.
fn sentence_ends(s: &str) -> impl DoubleEndedIterator<Item = usize> + '_ {
    let b = s.as_bytes();
    (1..b.len().saturating_sub(1))
        .filter(move |&i| {
            matches!(b[i - 1], b'.' | b'!' | b'?') && b[i] == b' ' && b[i + 1].is_ascii_uppercase()
        })
        .map(|i| i + 1)
}

/// The sections of a text: where each heading's section starts and what
/// kind it is.
fn sections(text: &str) -> Vec<(usize, Section)> {
    let mut out = Vec::new();
    let mut current = Section::Plain;
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let end = start + line.len();
        if let Some(h) = heading(line) {
            let kind = if indicator_heading_re().is_match(h) {
                Section::Indicators
            } else if reference_heading_re().is_match(h) {
                Section::References
            } else {
                Section::Plain
            };
            if kind != current {
                out.push((end, kind));
                current = kind;
            }
        }
        start = end;
    }
    out
}

/// The text of a heading line, when the line is one: a Markdown heading, a
/// short line ending in a colon, or a short line of a few capitalised words
/// without sentence punctuation or observables.
fn heading(line: &str) -> Option<&str> {
    let l = line.trim();
    let marked = l.starts_with('#');
    let h = l.trim_start_matches('#').trim();
    let h = h.trim_matches(['*', '_', '=']).trim();
    let colon = h.ends_with(':');
    let h = h.trim_end_matches(':').trim_matches(['*', '_']).trim();
    if h.is_empty() || h.len() > 90 || h.contains("://") {
        return None;
    }
    let words = h.split_whitespace().count();
    let first_ok = h.chars().next().is_some_and(char::is_alphanumeric);
    if !first_ok {
        return None;
    }
    if marked && words <= 12 {
        return Some(h);
    }
    if colon && words <= 8 {
        return Some(h);
    }
    let plain = words <= 6
        && !h.contains(['.', ',', ';', '!', '?', '|', '@', '/', '\\'])
        && h.chars().next().is_some_and(char::is_uppercase);
    plain.then_some(h)
}

/// Which role the evidence gives an observable other than an address or a
/// hash.
#[derive(Debug, Clone, Copy)]
pub struct Evidence {
    /// Written defanged.
    pub defanged: bool,
    /// The host it is on is popular, institutional, or it is a plain link
    /// to an article.
    pub benign_host: bool,
    /// A word such as "domain" or "C2" stands right before it.
    pub host_word: bool,
    /// Its kind may count as a list item (domains, emails: not URLs, whose
    /// lists are as often footnotes).
    pub list_kind: bool,
}

/// The role of a URL, domain or email at `span`.
pub fn role_of(layout: &Layout<'_>, span: &Range<usize>, ev: Evidence) -> Role {
    if ev.defanged {
        return Role::Indicator;
    }
    if layout.says_benign(span) {
        return Role::Reference;
    }
    let section = layout.section(span.start);
    if section == Section::References {
        return Role::Reference;
    }
    if section == Section::Indicators {
        return Role::Indicator;
    }
    let needed = if ev.benign_host {
        Cue::Strong
    } else {
        if ev.host_word || (ev.list_kind && layout.is_list_item(span)) {
            return Role::Indicator;
        }
        Cue::Weak
    };
    if layout.cue(span) >= needed {
        Role::Indicator
    } else {
        Role::Reference
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn popular_institutional_and_article_hosts() {
        assert!(is_popular("github.com"));
        assert!(is_popular("www.nytimes.com"));
        assert!(is_popular("msrc.microsoft.com"));
        assert!(!is_popular("evil-cdn.com"));
        // A site on a hosting platform's own suffix is its owner's.
        assert!(!is_popular("evil.blogspot.com"));
        assert!(is_institutional("www.gov.uk"));
        assert!(is_institutional("www.cisa.gov"));
        assert!(is_institutional("www.ssi.gouv.fr"));
        assert!(!is_institutional("gov-update.com"));
        assert!(is_article_link(
            "https://www.proofpoint.com/us/blog/threat-insight/ta505-distributes-new-sdbbot"
        ));
        assert!(is_article_link(
            "https://www.bleepingcomputer.com/news/security/x"
        ));
        assert!(!is_article_link("http://menoiras.space/222g100/main.php"));
        assert!(!is_article_link("https://evil.com/wp-content/a.php"));
        assert!(is_sample_scanner("www.virustotal.com"));
    }

    const REPORT: &str = "\
# Campaign overview
The actor sent lures from mail.evil-one.com, as Acme wrote at https://acme-labs.com/x.
The loader downloads its payload from https://github.com/bad/tool/raw/a.bin daily.
Read our paper at https://acme-labs.com/papers/y for more.
## Indicators of compromise
- update-check.net
https://cdn.bad-two.com/a/b
## Infrastructure
stage.bad-three.org
## References
- https://www.bleepingcomputer.com/news/security/z
- https://bad-four.com/a (C2 server)
";

    fn role_at(needle: &str, benign: bool, list_kind: bool) -> Role {
        let layout = Layout::new(REPORT);
        let start = REPORT.find(needle).unwrap();
        let ev = Evidence {
            defanged: false,
            benign_host: benign,
            host_word: false,
            list_kind,
        };
        role_of(&layout, &(start..start + needle.len()), ev)
    }

    #[test]
    fn sections_cues_and_lists() {
        // A sentence about lures: a weak cue, enough for an unknown host.
        assert_eq!(role_at("mail.evil-one.com", false, true), Role::Indicator);
        // A plain link in prose.
        assert_eq!(
            role_at("https://acme-labs.com/papers/y", false, false),
            Role::Reference
        );
        // A code host needs a strong cue: "downloads its payload".
        assert_eq!(
            role_at("https://github.com/bad/tool/raw/a.bin", true, false),
            Role::Indicator
        );
        // Under "Indicators of compromise" and "Infrastructure".
        assert_eq!(role_at("update-check.net", false, true), Role::Indicator);
        assert_eq!(
            role_at("https://cdn.bad-two.com/a/b", false, false),
            Role::Indicator
        );
        assert_eq!(role_at("stage.bad-three.org", false, true), Role::Indicator);
        // Under "References", whatever the words say.
        assert_eq!(
            role_at("https://bad-four.com/a", false, false),
            Role::Reference
        );
        // Defanged text is the attackers', even under "References".
        let layout = Layout::new(REPORT);
        let at = REPORT.find("https://bad-four.com/a").unwrap();
        let ev = Evidence {
            defanged: true,
            benign_host: false,
            host_word: false,
            list_kind: false,
        };
        assert_eq!(role_of(&layout, &(at..at + 10), ev), Role::Indicator);
    }

    #[test]
    fn hyperlink_targets() {
        let t = "See [the report](https://a.com/x), [evil[.]com](https://b.com/y), \
                 [https://c.com](https://c.com), [VirusTotal](https://vt.com/z) and https://d.com.";
        let at = |s: &str| t.find(s).unwrap();
        assert!(is_hyperlink_target(t, at("https://a.com")));
        assert!(!is_hyperlink_target(t, at("https://b.com")));
        assert!(!is_hyperlink_target(t, at("https://c.com)")));
        assert!(is_hyperlink_target(t, at("https://vt.com")));
        assert!(!is_hyperlink_target(t, at("https://d.com")));
        let img = "![](https://e.com/fig.png)";
        assert!(is_hyperlink_target(img, 4));
    }

    #[test]
    fn headings() {
        assert_eq!(
            heading("## Indicators of Compromise (IoCs)\n"),
            Some("Indicators of Compromise (IoCs)")
        );
        assert_eq!(heading("REFERENCE:\n"), Some("REFERENCE"));
        assert_eq!(heading("BAZAR C2 TRAFFIC:\n"), Some("BAZAR C2 TRAFFIC"));
        assert_eq!(heading("Further Reading\n"), Some("Further Reading"));
        assert_eq!(heading("- evil.com\n"), None);
        assert_eq!(heading("The actor used evil.com for C2.\n"), None);
        assert_eq!(heading("| Indicator | Type |\n"), None);
    }
}
