//! Indicators: CVE ids, ATT&CK technique ids and IOCs (addresses, domains,
//! URLs, emails, hashes) found in an article, refanged, normalised and
//! flagged by scope; and their export as a STIX 2.1 bundle. Pure: no I/O,
//! no schema.

pub mod refang;
pub mod scan;
pub mod scope;
pub mod stix;
pub mod techniques;

pub use scan::{classify, parse_one, registrable, scan, url_host};

use crate::model::{Article, Indicators};

/// Returns the indicators named in the article's title and text. The
/// article's own URL, and anything on its site, is left out.
pub fn indicators(article: &Article) -> Indicators {
    let mut text = String::with_capacity(
        article.text.len() + article.title.as_ref().map_or(0, String::len) + 2,
    );
    if let Some(t) = &article.title {
        text.push_str(t);
        text.push_str("\n\n");
    }
    text.push_str(&article.text);
    scan(&text, article.url.as_deref())
}
