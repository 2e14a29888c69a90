//! Plain-text and Markdown reports: title from the first line or heading (or
//! YAML front matter), date from a date line near the top.

use super::date::{find_date_in_text, parse_date};
use crate::model::{Article, SourceKind};
use chrono::NaiveDate;
use regex::Regex;
use std::sync::LazyLock;

/// How many non-empty lines at the top are searched for the date.
const DATE_LINES: usize = 12;

/// Extracts the article of a text or Markdown report.
pub fn extract(text: &str, kind: SourceKind) -> Article {
    let text = text.trim_start_matches('\u{feff}');
    let (front, body) = split_front_matter(text);
    let mut article = Article::default();
    for line in front.lines() {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim().trim_matches(['"', '\'']);
        match key.trim().to_ascii_lowercase().as_str() {
            "title" if !value.is_empty() => article.title = Some(value.to_string()),
            "date" | "published" | "pubdate" => article.date = parse_date(value),
            "tags" | "keywords" => {
                article.tags = value
                    .trim_matches(['[', ']'])
                    .split(',')
                    .map(|t| t.trim().trim_matches(['"', '\'']).to_string())
                    .filter(|t| !t.is_empty())
                    .collect()
            }
            _ => {}
        }
    }
    let mut lines = body.lines().map(str::trim).filter(|l| !l.is_empty());
    if article.title.is_none() {
        article.title = lines
            .next()
            .map(|l| clean_heading(l, kind))
            .filter(|t| !t.is_empty());
    }
    if article.date.is_none() {
        // A line that is a date ("September 16, 2020", "**Published:** 3 March
        // 2023") wins over a date mentioned inside another line.
        let top: Vec<&str> = body
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .take(DATE_LINES)
            .filter(|l| !is_update_line(l))
            .collect();
        article.date = top.iter().find_map(|l| date_line(l)).or_else(|| {
            top.iter()
                .filter(|l| is_dateline(l))
                .find_map(|l| find_date_in_text(l))
        });
    }
    article.text = match kind {
        SourceKind::Markdown => normalise(&super::markdown::to_text(body)),
        _ => normalise(body),
    };
    article
}

/// Splits off a leading YAML front-matter block (`---` … `---`).
fn split_front_matter(text: &str) -> (&str, &str) {
    let Some(rest) = text.strip_prefix("---") else {
        return ("", text);
    };
    let rest = rest.trim_start_matches(['\r', ' ', '\t']);
    let Some(rest) = rest.strip_prefix('\n') else {
        return ("", text);
    };
    for (i, _) in rest.match_indices("\n---") {
        let after = &rest[i + 4..];
        if after.is_empty() || after.starts_with('\n') || after.starts_with("\r\n") {
            return (&rest[..i], after.trim_start_matches(['\r', '\n']));
        }
    }
    ("", text)
}

/// Strips Markdown heading marks and emphasis (and in Markdown, links and
/// code marks) from a title line.
fn clean_heading(line: &str, kind: SourceKind) -> String {
    let mut l = line.trim();
    if kind == SourceKind::Markdown || l.starts_with('#') {
        l = l.trim_start_matches('#').trim();
    }
    let l = l
        .trim_start_matches("Title:")
        .trim_start_matches("TITLE:")
        .trim();
    if kind == SourceKind::Markdown {
        // The link's address is no part of a title.
        let rendered = super::markdown::to_text(l);
        let without_links = MARKDOWN_LINK.replace_all(l, "$1");
        let plain = super::markdown::to_text(&without_links);
        let plain = if plain.trim().is_empty() {
            rendered
        } else {
            plain
        };
        return plain.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    l.replace("**", "").replace("__", "").trim().to_string()
}

/// A Markdown inline link, `[text](address)`: its text is group 1.
static MARKDOWN_LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[([^\]]*)\]\([^)]*\)").expect("link pattern"));

/// Returns true if and only if the line announces a revision date, not the
/// publication date (Markdown emphasis aside: "*Updated:* 5 April 2023").
fn is_update_line(line: &str) -> bool {
    let l = line
        .trim_start_matches(['*', '_', '#', '>', ' '])
        .to_ascii_lowercase();
    l.starts_with("updated")
        || l.starts_with("last updated")
        || l.starts_with("modified")
        || l.starts_with("revised")
}

/// A publication label before a date line's date ("Published:", "Posted on",
/// "**Date:**").
static DATE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:first\s+)?(?:published|posted|released|written|dated?)(?:\s+on)?\s*[:\-–]?[\s*_]*")
        .unwrap()
});

/// Parses a line that opens with a date, after Markdown emphasis and an
/// optional publication label: "September 16, 2020", "16 Sep 2020",
/// "2020-09-16", "Sep. 16, 2020", "**Published:** 3 March 2023",
/// "Wednesday, May 5, 2021 | By …". A line that merely mentions a date
/// further on is not a date line.
fn date_line(line: &str) -> Option<NaiveDate> {
    let l = line.trim_start_matches(['*', '_', '#', '>', ' ', '\t']);
    let l = &l[DATE_LABEL.find(l).map_or(0, |m| m.end())..];
    parse_date(l.trim_start_matches(['*', '_', ' ']))
}

/// Longest line taken as a dateline without a publication word in it.
const DATELINE_CHARS: usize = 80;

/// Returns true if and only if a line near the top may carry the
/// publication date: it is short ("TLP:CLEAR — 14 Jan 2025") or says
/// published, posted, released, issued or date. A date inside running prose
/// ("Since our advice of 19 August 2022, …") is an event, not the date.
fn is_dateline(line: &str) -> bool {
    if line.chars().count() <= DATELINE_CHARS {
        return true;
    }
    let l = line.to_ascii_lowercase();
    ["published", "posted", "released", "issued", "date:"]
        .iter()
        .any(|cue| l.contains(cue))
}

/// Trims trailing spaces and collapses runs of blank lines.
fn normalise(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut blank = 0;
    for line in body.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    #[test]
    fn title_first_line_date_second() {
        let a = extract(
            "Partners in crime\nSeptember 16, 2020\n\nBody text.",
            SourceKind::Text,
        );
        assert_eq!(a.title.as_deref(), Some("Partners in crime"));
        assert_eq!(a.date, d(2020, 9, 16));
        assert!(a.text.contains("Body text."));
    }

    #[test]
    fn markdown_heading_and_published_line() {
        let md = "# **Kimsuky** phishing wave\n\n**Published:** 3 March 2023\n*Updated:* 5 April 2023\n\nText";
        let a = extract(md, SourceKind::Markdown);
        assert_eq!(a.title.as_deref(), Some("Kimsuky phishing wave"));
        assert_eq!(a.date, d(2023, 3, 3));
    }

    #[test]
    fn updated_line_is_not_the_date() {
        let a = extract(
            "Title\nUpdated: 2024-05-01\nDate: 2024-04-02\n",
            SourceKind::Text,
        );
        assert_eq!(a.date, d(2024, 4, 2));
    }

    #[test]
    fn date_line_formats() {
        for line in [
            "September 16, 2020",
            "Sep 16, 2020",
            "Sep. 16, 2020",
            "Sept. 16 2020",
            "16 Sep 2020",
            "16th of September, 2020",
            "2020-09-16",
            "2020/09/16",
            "Wednesday, September 16, 2020",
            "Posted on Sep 16, 2020 by the research team",
            "**Published:** 16 September 2020",
            "_Date:_ 2020-09-16",
        ] {
            assert_eq!(date_line(line), d(2020, 9, 16), "{line}");
        }
        assert_eq!(date_line("May 04, 2020"), d(2020, 5, 4));
        for line in [
            "Nothing here",
            "May the force be with you",
            "16 of them in 2020",
            "Sep 31, 2020",
        ] {
            assert_eq!(date_line(line), None, "{line}");
        }
    }

    #[test]
    fn a_date_line_wins_over_a_date_inside_another_line() {
        let a = extract(
            "Patch notes for the 2019-01-01 release\nJun 17, 2016\n\nBody",
            SourceKind::Text,
        );
        assert_eq!(a.date, d(2016, 6, 17));
    }

    #[test]
    fn a_date_in_running_prose_is_not_the_publication_date() {
        let a = extract(
            "# Gootloader advisory\n\n## Overview\n\nSince initial advice on the 19th of August 2022 (ref 20220819002), the SOC has observed continued attempts of SEO poisoning across agencies.\n",
            SourceKind::Markdown,
        );
        assert_eq!(a.date, None);
        let b = extract(
            "Weekly note\nTLP:CLEAR — 14 Jan 2025\n\nBody",
            SourceKind::Text,
        );
        assert_eq!(b.date, d(2025, 1, 14));
    }

    #[test]
    fn emphasised_update_line_is_skipped() {
        let a = extract(
            "Title\n*Updated:* 5 April 2023\n**Published:** 3 March 2023\n",
            SourceKind::Markdown,
        );
        assert_eq!(a.date, d(2023, 3, 3));
    }

    #[test]
    fn markdown_reports_read_without_markup() {
        let md = "# [Scattered Spider](https://ex.org/ss) hits **UK retail**\n\nThe *crew* used `AnyDesk`; see [the advisory](https://ex.org/a).\n";
        let a = extract(md, SourceKind::Markdown);
        assert_eq!(a.title.as_deref(), Some("Scattered Spider hits UK retail"));
        assert!(
            a.text
                .contains("The crew used AnyDesk; see the advisory (https://ex.org/a)."),
            "{}",
            a.text
        );
        // A text report keeps what it says, markup-like or not.
        let t = extract("Notes\n\n**bold** stays in text files", SourceKind::Text);
        assert!(t.text.contains("**bold**"));
    }

    #[test]
    fn front_matter() {
        let md = "---\ntitle: \"Volt Typhoon update\"\ndate: 2023-08-01\ntags: [china, routers]\n---\n# Heading\nBody";
        let a = extract(md, SourceKind::Markdown);
        assert_eq!(a.title.as_deref(), Some("Volt Typhoon update"));
        assert_eq!(a.date, d(2023, 8, 1));
        assert_eq!(a.tags, vec!["china", "routers"]);
        assert!(
            a.text.starts_with("Heading\nBody") || a.text.starts_with("Heading\n\nBody"),
            "{}",
            a.text
        );
    }
}
