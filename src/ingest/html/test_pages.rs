//! Small pages shared by the stage tests: three paragraphs long enough to
//! score as prose, and helpers that wrap them in a page and an `<article>`.

/// A paragraph long enough to score as prose.
pub(super) const P1: &str = "<p>Attackers used a spear-phishing email, with a malicious attachment, to gain initial access to the victim network in early March.</p>";
/// A second prose paragraph.
pub(super) const P2: &str = "<p>The loader then contacted its command server, fetched a second stage, and established persistence through a scheduled task.</p>";
/// A third prose paragraph.
pub(super) const P3: &str = "<p>Defenders should block the listed domains, hunt for the scheduled task, and reset credentials that may have been exposed.</p>";

/// A whole page with `head` and `body`.
pub(super) fn page(head: &str, body: &str) -> String {
    format!("<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>")
}

/// An `<article>` of the three paragraphs with `extra` after the first.
pub(super) fn article(extra: &str) -> String {
    format!("<article>{P1}{extra}{P2}{P3}</article>")
}
