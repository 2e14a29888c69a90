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

/// Bytes each side of a trigger that a match around it can reach (the
/// longest forms, `h[tt]ps[:][//]`, are 14 bytes), spelled-out dots aside.
const REACH: usize = 16;

/// The stretches of `text` a defanged form can lie in, in order and apart.
///
/// Every match of `pattern` holds a trigger: a bracket (`[`, `(`, `{`), the
/// colon of a scheme, or a spelled-out `dot` between blanks. A window spans
/// `REACH` bytes each side of a trigger (a spelled dot: its blanks), so it
/// holds every match through that trigger whole, and the regex reads the same
/// bytes as over the whole text. Prose has few triggers, so most of the text
/// is never searched (a test holds the result equal to the whole-text run).
fn windows(text: &str) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    let blank = |c: &u8| *c == b' ' || *c == b'\t';
    let mut spans: Vec<Range<usize>> = memchr::memchr3_iter(b'[', b'(', b'{', b)
        .chain(memchr::memchr_iter(b':', b))
        .map(|i| i.saturating_sub(REACH)..(i + REACH).min(b.len()))
        .collect();
    for i in memchr::memchr2_iter(b'd', b'D', b) {
        if i > 0
            && blank(&b[i - 1])
            && b.get(i + 1..i + 3)
                .is_some_and(|r| r.eq_ignore_ascii_case(b"ot"))
            && b.get(i + 3).is_some_and(blank)
        {
            spans.push(super::widen(b, i, i + 3, |c| blank(&c)));
        }
    }
    spans.sort_unstable_by_key(|w| w.start);
    let mut out: Vec<Range<usize>> = Vec::with_capacity(spans.len());
    for mut w in spans {
        while !text.is_char_boundary(w.start) {
            w.start -= 1;
        }
        while !text.is_char_boundary(w.end) {
            w.end += 1;
        }
        match out.last_mut() {
            Some(prev) if w.start <= prev.end => prev.end = prev.end.max(w.end),
            _ => out.push(w),
        }
    }
    out
}

/// Undoes every defanged form in `text`.
pub fn refang(text: &str) -> Refanged {
    let windows = windows(text);
    let matches = windows.iter().flat_map(|w| {
        // The text before a window stays in view, for `\b`.
        let hay = &text[..w.end];
        let mut at = w.start;
        std::iter::from_fn(move || {
            let caps = pattern().captures_at(hay, at)?;
            // No alternative matches the empty string: this moves on.
            at = caps.get(0)?.end();
            Some(caps)
        })
    });
    undo(text, matches)
}

/// Rewrites the defanged forms `matches` (the pattern's, in order) in `text`.
fn undo<'t>(text: &'t str, matches: impl Iterator<Item = regex::Captures<'t>>) -> Refanged {
    let mut out = String::with_capacity(text.len());
    let mut defanged = Vec::new();
    let mut last = 0;
    for caps in matches {
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

    /// Searching the windows finds what searching the whole text finds: on
    /// edge cases and on every file of the bundled corpus.
    #[test]
    fn windows_find_every_match() {
        let mut texts: Vec<String> = [
            "hxxp://evil[.]com/a hXXps[:]//evil(.)com fxp://files{.}evil[dot]net",
            "https[://]x(dot)org 198.51.100[.]23 evil [.] com user[at]evil[.]com",
            "evil dot com, evil \t dot\t\t com, the dot com bubble, x  dot  y dot z",
            "h[tt]ps[:][//]a[.]b (at) {@} [/] [:] ftx[:/]/q é[.]é ü dot ü",
            "dot com. a dot. .dot [ ( { : ",
            "",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        texts.push(format!("{}hxxp[:]//far[.]away", " ".repeat(40)));
        texts.extend(super::super::bundled_corpus_texts());
        for t in &texts {
            assert_eq!(refang(t), undo(t, pattern().captures_iter(t)), "{t}");
        }
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
