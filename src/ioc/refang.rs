//! Refanging: undoes the ways reports "defang" indicators so nobody clicks
//! them (`hxxp://evil[.]com`, `1.2.3[.]4`, `user[at]evil(.)com`), and
//! remembers where it did, because a defanged string is meant as an
//! indicator.

use regex::Regex;
use std::ops::Range;
use std::sync::OnceLock;

/// Text with defanged forms undone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refanged {
    /// The refanged text.
    pub text: String,
    /// Byte ranges of `text` that replaced a defanged form.
    pub defanged: Vec<Range<usize>>,
}

impl Refanged {
    /// Returns true if and only if a defanged form was undone inside (or at
    /// the edge of) `range`.
    pub fn was_defanged(&self, range: &Range<usize>) -> bool {
        // Ranges are in text order: find the first that ends at or after
        // the start, then check it begins at or before the end.
        let i = self.defanged.partition_point(|r| r.end < range.start);
        self.defanged.get(i).is_some_and(|r| r.start <= range.end)
    }
}

/// Words that never stand before a spelled-out " dot " of a domain, so
/// "the dot com bubble" stays prose.
const DOT_STOPWORDS: &[&str] = &[
    "a", "an", "the", "this", "that", "one", "each", "every", "no", "new", "old", "first", "last",
    "red", "green", "blue", "black", "white", "small", "big", "single", "polka",
];

fn pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?xi)
            (?P<scheme>(?-u:\b)(?:hxxps?|hxtps?|h\[tt\]ps?|hxxp|fxp|ftx|https?|ftp)
                (?:\[:\]//|\[://\]|\(:\)//|\[:\]\[//\]|\[:/\]/|://))
            | (?P<dot>\x20?(?:\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)|\{dot\})\x20?)
            | (?P<spelled>[\x20\t]+dot[\x20\t]+)
            | (?P<at>\x20?(?:\[at\]|\(at\)|\{at\}|\[@\]|\(@\)|\{@\})\x20?)
            | (?P<colon>\[:\])
            | (?P<slash>\[/\])
            ",
        )
        .expect("refang pattern")
    })
}

/// Undoes every defanged form in `text`.
pub fn refang(text: &str) -> Refanged {
    let mut out = String::with_capacity(text.len());
    let mut defanged = Vec::new();
    let mut last = 0;
    for caps in pattern().captures_iter(text) {
        let Some(m) = caps.get(0) else { continue };
        let replacement: Option<String> = if let Some(s) = caps.name("scheme") {
            let raw = s.as_str().to_ascii_lowercase();
            let norm = raw.replace("[tt]", "tt");
            let scheme = norm.split(['[', '(', ':']).next().unwrap_or_default();
            let fanged = match scheme {
                "hxxps" | "hxtps" | "https" => "https",
                "fxp" | "ftx" | "ftp" => "ftp",
                _ => "http",
            };
            let rep = format!("{fanged}://");
            (raw != rep).then_some(rep)
        } else if caps.name("dot").is_some() {
            Some(".".to_string())
        } else if caps.name("spelled").is_some() {
            spelled_dot_ok(text, m.start(), m.end()).then(|| ".".to_string())
        } else if caps.name("at").is_some() {
            Some("@".to_string())
        } else if caps.name("colon").is_some() {
            Some(":".to_string())
        } else if caps.name("slash").is_some() {
            Some("/".to_string())
        } else {
            None
        };
        let Some(rep) = replacement else { continue };
        out.push_str(&text[last..m.start()]);
        let start = out.len();
        out.push_str(&rep);
        defanged.push(start..out.len());
        last = m.end();
    }
    out.push_str(&text[last..]);
    Refanged {
        text: out,
        defanged,
    }
}

/// Returns true if and only if a spelled-out " dot " at `start..end` joins
/// two labels of a name ("evil dot com"), not two words of prose.
fn spelled_dot_ok(text: &str, start: usize, end: usize) -> bool {
    let label = |c: char| c.is_ascii_alphanumeric() || c == '-';
    let before = &text[..start];
    let word_start = before
        .char_indices()
        .rev()
        .find(|&(_, c)| !label(c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word = &before[word_start..];
    let after = text[end..].chars().next();
    !word.is_empty()
        && after.is_some_and(|c| c.is_ascii_alphanumeric())
        && !DOT_STOPWORDS.contains(&word.to_ascii_lowercase().as_str())
        // Prose capitalises; defanged names rarely do.
        && word.chars().all(|c| !c.is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(s: &str) -> String {
        refang(s).text
    }

    #[test]
    fn every_form_is_undone() {
        assert_eq!(r("hxxp://evil[.]com/a"), "http://evil.com/a");
        assert_eq!(r("hXXps[:]//evil(.)com"), "https://evil.com");
        assert_eq!(r("fxp://files{.}evil[dot]net"), "ftp://files.evil.net");
        assert_eq!(r("https[://]x(dot)org"), "https://x.org");
        assert_eq!(r("198.51.100[.]23"), "198.51.100.23");
        assert_eq!(r("evil [.] com"), "evil.com");
        assert_eq!(r("user[at]evil[.]com"), "user@evil.com");
        assert_eq!(
            r("user(at)evil.com and x[@]y.org"),
            "user@evil.com and x@y.org"
        );
        assert_eq!(r("evil dot com"), "evil.com");
        assert_eq!(r("2001[:]db8::1"), "2001:db8::1");
    }

    #[test]
    fn prose_is_left_alone() {
        assert_eq!(r("the dot com bubble"), "the dot com bubble");
        assert_eq!(r("Connect the Dot dot Com"), "Connect the Dot dot Com");
        assert_eq!(r("see http://a.example/ now"), "see http://a.example/ now");
        assert!(refang("see http://a.example/").defanged.is_empty());
    }

    #[test]
    fn defanged_ranges_are_recorded() {
        let f = refang("x hxxp://evil[.]com y");
        assert_eq!(f.text, "x http://evil.com y");
        assert_eq!(f.defanged, vec![2..9, 13..14]);
        assert!(f.was_defanged(&(2..17)));
        assert!(!f.was_defanged(&(18..19)));
    }
}
