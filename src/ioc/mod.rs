//! Indicators: CVE ids, ATT&CK technique ids and IOCs (addresses, domains,
//! URLs, emails, hashes) found in an article, refanged, normalised and
//! flagged by scope; and their export as a STIX 2.1 bundle. Pure: no I/O,
//! no schema.

/// Defines `fn $name() -> &'static Regex`, compiled once on first use: the
/// patterns of the indicator scanner and of the role rules.
macro_rules! regex {
    ($name:ident, $re:expr) => {
        fn $name() -> &'static regex::Regex {
            static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
            RE.get_or_init(|| regex::Regex::new($re).expect(stringify!($name)))
        }
    };
}

pub mod refang;
pub mod role;
pub mod scan;
pub mod scope;
pub mod stix;
pub mod techniques;

pub use scan::{classify, parse_one, registrable, scan, url_host};

use crate::model::{Article, Indicators};

/// Returns the indicators named in the article's title and text. The
/// article's own URL, and anything on its site, is left out.
pub fn indicators(article: &Article) -> Indicators {
    scan(&article.title_and_text(), article.url.as_deref())
}

/// The run of bytes `keep` accepts around `b[from..to]`: its start is found
/// walking back from `from`, its end walking on from `to`. The scanners use
/// it to widen a trigger to the word, label run or blank run it sits in.
fn widen(b: &[u8], from: usize, to: usize, keep: impl Fn(u8) -> bool) -> std::ops::Range<usize> {
    let start = b[..from]
        .iter()
        .rposition(|&c| !keep(c))
        .map_or(0, |p| p + 1);
    let end = b[to..]
        .iter()
        .position(|&c| !keep(c))
        .map_or(b.len(), |p| to + p);
    start..end
}

/// Every file of the bundled `corpus/`, read as (lossy) text: odd shapes for
/// the tests that hold a scanner equal to its whole-text regex.
#[cfg(test)]
fn bundled_corpus_texts() -> Vec<String> {
    let mut texts = Vec::new();
    let mut dirs = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else {
                texts.push(String::from_utf8_lossy(&std::fs::read(p).unwrap()).into());
            }
        }
    }
    texts
}
