//! Turns the positioned text lines of a PDF's pages into reading-order text:
//! columns read one after the other, running headers, footers and page
//! numbers dropped, words hyphenated at line ends joined, ligatures unfolded,
//! letter-spaced words closed up, paragraphs kept.
//!
//! Pure: it sees only lines with their boxes, so it is tested without PDFs.
//! Written here because the PDF crates give lines in content-stream or
//! left-to-right order, which interleaves the columns of a two-column page.

use std::collections::HashMap;

/// One line of text on a page, in page coordinates measured from the top
/// left (points).
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// Left edge.
    pub x0: f32,
    /// Right edge.
    pub x1: f32,
    /// Top edge (distance from the top of the page).
    pub top: f32,
    /// Bottom edge.
    pub bottom: f32,
    /// Font size (the line's height when the crate gives none).
    pub size: f32,
    /// The line's words, as the crate split them.
    pub words: Vec<String>,
}

impl Line {
    /// The line's text: its words joined by spaces, letter-spaced runs
    /// closed up, ligatures unfolded.
    pub fn text(&self) -> String {
        unfold_ligatures(&close_letter_spacing(&self.words))
    }

    fn height(&self) -> f32 {
        (self.bottom - self.top).max(1.0)
    }
}

/// One page: its size and lines.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Page {
    /// Page width in points.
    pub width: f32,
    /// Page height in points.
    pub height: f32,
    /// The lines, in any order.
    pub lines: Vec<Line>,
}

/// The text of a document, and the first page's title candidate.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Assembled {
    /// The text, paragraphs separated by blank lines.
    pub text: String,
    /// The largest text near the top of the first page.
    pub title: Option<String>,
    /// The first lines of the first page (for a date line).
    pub first_lines: Vec<String>,
}

/// Share of the page height at the top and bottom where running headers and
/// footers live.
const MARGIN_SHARE: f32 = 0.12;

/// Assembles the pages of a document.
pub fn assemble(pages: &[Page]) -> Assembled {
    let repeated = repeated_margin_lines(pages);
    let mut out = Assembled::default();
    let mut paragraphs: Vec<String> = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        let kept: Vec<&Line> = page
            .lines
            .iter()
            .filter(|l| !l.words.is_empty())
            .filter(|l| {
                let margin = in_margin(l, page);
                !(margin && (is_page_number(&l.text()) || repeated.contains(&shape(&l.text()))))
            })
            .collect();
        let ordered = reading_order(&kept, page.width);
        if i == 0 {
            out.title = title_of(&ordered, page);
            out.first_lines = ordered.iter().take(15).map(|l| l.text()).collect();
        }
        flow(&ordered, &mut paragraphs);
    }
    out.text = paragraphs.join("\n\n");
    out
}

/// Returns true if and only if a line lies in the top or bottom margin.
fn in_margin(l: &Line, page: &Page) -> bool {
    let h = if page.height > 0.0 {
        page.height
    } else {
        792.0
    };
    l.bottom <= h * MARGIN_SHARE || l.top >= h * (1.0 - MARGIN_SHARE)
}

/// A line's shape: lower case, digits folded, so "Page 3 of 9" and "Page 4
/// of 9" are the same running footer.
fn shape(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| {
            if c.is_ascii_digit() {
                '#'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}

/// The shapes of margin lines that recur on at least half of the pages (and
/// on at least two): running headers and footers.
fn repeated_margin_lines(pages: &[Page]) -> std::collections::HashSet<String> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for page in pages {
        let mut seen = std::collections::HashSet::new();
        for l in page.lines.iter().filter(|l| in_margin(l, page)) {
            let s = shape(&l.text());
            if !s.is_empty() && seen.insert(s.clone()) {
                *counts.entry(s).or_default() += 1;
            }
        }
    }
    let need = pages.len().div_ceil(2).max(2);
    counts
        .into_iter()
        .filter(|(_, n)| *n >= need)
        .map(|(s, _)| s)
        .collect()
}

/// Returns true if and only if a line is only a page number ("7", "- 7 -",
/// "Page 7", "7 of 20", "7/20", "vii").
fn is_page_number(text: &str) -> bool {
    let t = text
        .trim()
        .trim_matches(|c: char| c == '-' || c == '–' || c.is_whitespace());
    let t = t
        .strip_prefix("Page ")
        .or_else(|| t.strip_prefix("page "))
        .or_else(|| t.strip_prefix("PAGE "))
        .unwrap_or(t)
        .trim();
    let number = |s: &str| !s.is_empty() && s.len() <= 5 && s.chars().all(|c| c.is_ascii_digit());
    let roman = |s: &str| !s.is_empty() && s.len() <= 6 && s.chars().all(|c| "ivxlc".contains(c));
    if number(t) || roman(t) {
        return true;
    }
    let parts: Vec<&str> = t
        .split(['/', ' '])
        .filter(|p| !p.is_empty() && *p != "of")
        .collect();
    parts.len() == 2 && parts.iter().all(|p| number(p))
}

/// Orders a page's lines for reading: when the page has columns (a vertical
/// gutter that body lines stay clear of), each band of the page between
/// full-width lines is read column by column; else top to bottom.
fn reading_order<'a>(lines: &[&'a Line], width: f32) -> Vec<&'a Line> {
    let mut by_top: Vec<&Line> = lines.to_vec();
    by_top.sort_by(|a, b| a.top.total_cmp(&b.top).then(a.x0.total_cmp(&b.x0)));
    let Some(gutter) = find_gutter(&by_top, width) else {
        return merge_same_row(by_top);
    };
    let mut out = Vec::with_capacity(by_top.len());
    let (mut left, mut right): (Vec<&Line>, Vec<&Line>) = (Vec::new(), Vec::new());
    for l in by_top {
        if l.x1 <= gutter {
            left.push(l);
        } else if l.x0 >= gutter {
            right.push(l);
        } else {
            // A line across the gutter (a heading, a figure caption, a
            // table) ends the band above it.
            out.append(&mut left);
            out.append(&mut right);
            out.push(l);
        }
    }
    out.append(&mut left);
    out.append(&mut right);
    out
}

/// The x of a column gutter, if the page has two columns: a position near
/// the middle that column-body lines (a quarter to 60% of the page wide)
/// end before and start after, in numbers, while few lines narrower than
/// the page cross it. Full-width lines (a title, an abstract above the
/// columns) do not vote; short lines (table cells) do not count as columns.
fn find_gutter(lines: &[&Line], width: f32) -> Option<f32> {
    if lines.len() < 8 || width <= 0.0 {
        return None;
    }
    let w = |l: &Line| l.x1 - l.x0;
    let body: Vec<&Line> = lines
        .iter()
        .copied()
        .filter(|l| w(l) >= width * 0.25 && w(l) <= width * 0.6)
        .collect();
    let mut best: Option<(usize, f32)> = None;
    // Candidate gutters between 35% and 65% of the width.
    let steps = 30;
    for s in 0..=steps {
        let x = width * (0.35 + 0.30 * s as f32 / steps as f32);
        let crossing = lines
            .iter()
            .filter(|l| w(l) <= width * 0.6 && l.x0 < x && l.x1 > x)
            .count();
        let left = body.iter().filter(|l| l.x1 <= x).count();
        let right = body.iter().filter(|l| l.x0 >= x).count();
        // Lines across the gutter are headings and captions: a few at most.
        if left >= 3 && right >= 3 && crossing * 5 <= left.min(right) {
            let score = left.min(right) * 10 - crossing;
            if best.is_none_or(|(b, _)| score > b) {
                best = Some((score, x));
            }
        }
    }
    best.map(|(_, x)| x)
}

/// Joins lines that sit on the same row (table cells the crate returned as
/// separate lines) left to right, rows top to bottom.
fn merge_same_row(lines: Vec<&Line>) -> Vec<&Line> {
    // Sorted by top already: a stable sort of each run of lines whose tops
    // are within a third of a line height puts cells left to right.
    let mut out: Vec<&Line> = Vec::with_capacity(lines.len());
    let mut row: Vec<&Line> = Vec::new();
    for l in lines {
        if let Some(first) = row.first() {
            if (l.top - first.top).abs() > first.height() / 3.0 {
                row.sort_by(|a, b| a.x0.total_cmp(&b.x0));
                out.append(&mut row);
            }
        }
        row.push(l);
    }
    row.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    out.append(&mut row);
    out
}

/// The title of the first page: the line(s) in the largest font in the top
/// half of the page, when that font is larger than the body's.
fn title_of(lines: &[&Line], page: &Page) -> Option<String> {
    let h = if page.height > 0.0 {
        page.height
    } else {
        792.0
    };
    let top: Vec<&&Line> = lines.iter().filter(|l| l.top < h * 0.5).collect();
    let mut sizes: Vec<f32> = lines.iter().map(|l| l.size).collect();
    sizes.sort_by(f32::total_cmp);
    let body = *sizes.get(sizes.len() / 2)?;
    let largest = top.iter().map(|l| l.size).fold(0.0f32, f32::max);
    if largest < body * 1.15 {
        return None;
    }
    let parts: Vec<String> = top
        .iter()
        .filter(|l| (l.size - largest).abs() < 0.5)
        .take(3)
        .map(|l| l.text())
        .collect();
    let title = parts
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    (title.chars().filter(|c| c.is_alphabetic()).count() >= 3).then_some(title)
}

/// Appends ordered lines to paragraphs: a line continues the paragraph
/// unless a vertical gap, a short previous line or a change of font size
/// ends it; a word hyphenated at the end of a line is joined.
fn flow(lines: &[&Line], paragraphs: &mut Vec<String>) {
    let mut current = String::new();
    let mut prev: Option<&Line> = None;
    // The usual line width of the page's text: lines well short of it end
    // a paragraph (or are rows of a table, kept one per line).
    let mut widths: Vec<f32> = lines.iter().map(|l| l.x1 - l.x0).collect();
    widths.sort_by(f32::total_cmp);
    let full = widths.get(widths.len() * 3 / 4).copied().unwrap_or(0.0);
    for &l in lines {
        let text = l.text();
        if text.trim().is_empty() {
            continue;
        }
        let mut line_break = false;
        let mut same_row = false;
        if let Some(p) = prev {
            let gap = l.top - p.bottom;
            same_row = (l.top - p.top).abs() < p.height() / 3.0 && l.x0 >= p.x1;
            let new_par =
                gap > p.height() * 0.8 || gap < -p.height() * 2.0 || (l.size - p.size).abs() > 1.0;
            if same_row {
                // The next cell of a table row.
            } else if new_par {
                if !current.is_empty() {
                    paragraphs.push(std::mem::take(&mut current));
                }
            } else if (p.x1 - p.x0) < full * 0.8 {
                line_break = true;
            }
        }
        if current.is_empty() {
            current.push_str(&text);
        } else if same_row {
            current.push(' ');
            current.push_str(&text);
        } else if line_break {
            current.push('\n');
            current.push_str(&text);
        } else {
            join_line(&mut current, &text);
        }
        prev = Some(l);
    }
    if !current.is_empty() {
        paragraphs.push(current);
    }
}

/// Appends `next` to a paragraph: a word broken by a hyphen at the line end
/// ("exfil-" + "tration") is joined; otherwise a space separates them.
fn join_line(current: &mut String, next: &str) {
    let ends_hyphen = current.ends_with('-') && !current.ends_with("--");
    let before_hyphen = current.chars().rev().nth(1);
    let next_lower = next.chars().next().is_some_and(|c| c.is_lowercase());
    if ends_hyphen && before_hyphen.is_some_and(|c| c.is_alphabetic()) && next_lower {
        current.pop();
        current.push_str(next);
    } else if ends_hyphen && before_hyphen.is_some_and(|c| c.is_alphanumeric()) {
        // "Cobalt-" + "Strike", "CVE-2024-" + "3400": the hyphen belongs to
        // the word; no space.
        current.push_str(next);
    } else {
        current.push(' ');
        current.push_str(next);
    }
}

/// Unfolds the Latin ligature characters (U+FB00–FB06) that PDF fonts map
/// text to, as NFKC does: "ﬁnancial" → "financial".
pub fn unfold_ligatures(s: &str) -> String {
    if !s.chars().any(|c| ('\u{fb00}'..='\u{fb06}').contains(&c)) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\u{fb00}' => out.push_str("ff"),
            '\u{fb01}' => out.push_str("fi"),
            '\u{fb02}' => out.push_str("fl"),
            '\u{fb03}' => out.push_str("ffi"),
            '\u{fb04}' => out.push_str("ffl"),
            '\u{fb05}' | '\u{fb06}' => out.push_str("st"),
            c => out.push(c),
        }
    }
    out
}

/// Joins a line's words, closing up letter-spaced runs ("R E P O R T" →
/// "REPORT"): three or more one-letter words in a row are one word.
fn close_letter_spacing(words: &[String]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < words.len() {
        let run = words[i..]
            .iter()
            .take_while(|w| w.chars().count() == 1 && w.chars().all(char::is_alphanumeric))
            .count();
        if !out.is_empty() {
            out.push(' ');
        }
        if run >= 3 {
            for w in &words[i..i + run] {
                out.push_str(w);
            }
            i += run;
        } else {
            out.push_str(&words[i]);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(x0: f32, x1: f32, top: f32, size: f32, text: &str) -> Line {
        Line {
            x0,
            x1,
            top,
            bottom: top + size,
            size,
            words: text.split_whitespace().map(str::to_string).collect(),
        }
    }

    /// A US-letter page whose lines are 12 pt apart, starting at `top`.
    fn column(x0: f32, x1: f32, top: f32, texts: &[&str]) -> Vec<Line> {
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| line(x0, x1, top + 12.0 * i as f32, 10.0, t))
            .collect()
    }

    fn page(lines: Vec<Line>) -> Page {
        Page {
            width: 612.0,
            height: 792.0,
            lines,
        }
    }

    #[test]
    fn two_columns_are_read_one_after_the_other() {
        let mut lines = vec![line(72.0, 540.0, 100.0, 20.0, "Operation Example")];
        lines.extend(column(
            72.0,
            290.0,
            150.0,
            &[
                "left one",
                "left two",
                "left three",
                "left four",
                "left five",
            ],
        ));
        lines.extend(column(
            320.0,
            540.0,
            150.0,
            &[
                "right one",
                "right two",
                "right three",
                "right four",
                "right five",
            ],
        ));
        let got = assemble(&[page(lines)]);
        assert_eq!(got.title.as_deref(), Some("Operation Example"));
        let left = got.text.find("left five").unwrap();
        let right = got.text.find("right one").unwrap();
        assert!(left < right, "{}", got.text);
        assert!(got.text.contains("left one left two"), "{}", got.text);
    }

    #[test]
    fn running_headers_footers_and_page_numbers_are_dropped() {
        let pages: Vec<Page> = (1..=3)
            .map(|n| {
                let mut lines = vec![
                    line(72.0, 300.0, 30.0, 8.0, "ACME Threat Research | TLP:CLEAR"),
                    line(290.0, 310.0, 760.0, 8.0, &n.to_string()),
                ];
                lines.extend(column(72.0, 540.0, 200.0, &[&format!("Body of page {n}.")]));
                page(lines)
            })
            .collect();
        let got = assemble(&pages);
        assert!(!got.text.contains("ACME"), "{}", got.text);
        assert_eq!(
            got.text,
            "Body of page 1.\n\nBody of page 2.\n\nBody of page 3."
        );
    }

    #[test]
    fn hyphenation_ligatures_and_letter_spacing() {
        let lines = column(
            72.0,
            540.0,
            200.0,
            &[
                "The implant handles exfil-",
                "tration of ﬁles over HTTPS via Cobalt-",
                "Strike beacons. R E P O R T ends",
            ],
        );
        let got = assemble(&[page(lines)]);
        assert_eq!(
            got.text,
            "The implant handles exfiltration of files over HTTPS via Cobalt-Strike beacons. REPORT ends"
        );
    }

    #[test]
    fn table_rows_stay_rows() {
        let mut lines = column(
            72.0,
            540.0,
            100.0,
            &["A paragraph of prose that runs the full width of the page here."],
        );
        lines.push(line(72.0, 200.0, 112.0, 10.0, "evil.example.net"));
        lines.push(line(300.0, 400.0, 112.0, 10.0, "203.0.113.7"));
        lines.push(line(72.0, 200.0, 124.0, 10.0, "bad.example.org"));
        lines.push(line(300.0, 400.0, 124.0, 10.0, "198.51.100.9"));
        let got = assemble(&[page(lines)]);
        assert!(
            got.text
                .contains("evil.example.net 203.0.113.7\nbad.example.org 198.51.100.9"),
            "{}",
            got.text
        );
    }

    #[test]
    fn page_numbers() {
        for t in ["7", "- 7 -", "Page 7", "7 of 20", "7/20", "xii"] {
            assert!(is_page_number(t), "{t}");
        }
        for t in ["APT28", "Figure 7", "Page one", "7 of the 20 hosts"] {
            assert!(!is_page_number(t), "{t}");
        }
    }
}
