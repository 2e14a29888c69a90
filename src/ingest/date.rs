//! Date recognition for report metadata: parses the date strings found in HTML
//! metadata (ISO 8601, RFC 2822/1123, English prose dates), finds the
//! publication date inside short bylines, and reads dates out of URL paths.
//!
//! Everything returns a calendar date (`NaiveDate`) only: the time of day and
//! zone are dropped *without* converting to UTC, so "2015-02-24T23:30-05:00"
//! stays the 24th, the day the publisher printed.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

/// Earliest and latest years accepted; anything outside is far more likely a
/// product number, a CVE fragment or a typo than a publication date.
const MIN_YEAR: i32 = 1990;
const MAX_YEAR: i32 = 2100;

/// English month names and their common abbreviations ("Sept" included).
/// Kept as a regex fragment so that every prose pattern shares it.
const MONTH: &str = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";

/// One regex with a named alternative per date shape, so a text is scanned
/// once and the leftmost date wins whatever its shape.
static DATE_RE: LazyLock<Regex> = LazyLock::new(|| {
    let ymd = r"(?P<y1>\d{4})(?P<s1>[-/.])(?P<m1>\d{1,2})(?P<s1b>[-/.])(?P<d1>\d{1,2})";
    // "March 3, 2023", "Mar. 3 2023", "Sept 5th, 2019"
    let mdy =
        format!(r"(?P<mn2>{MONTH})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s*,?\s+(?P<y2>\d{{4}})");
    // "3 March 2023", "3rd of March, 2023", "03-Mar-2023", "3. März" is not English
    let dmy = format!(
        r"(?P<d3>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?[\s\-]+(?P<mn3>{MONTH})\.?,?[\s\-]+(?P<y3>\d{{4}})"
    );
    // "12/17/2020" or "17.12.2020": only used when unambiguous.
    let num = r"(?P<a4>\d{1,2})(?P<s4>[/.\-])(?P<b4>\d{1,2})(?P<s4b>[/.\-])(?P<y4>\d{4})";
    // No trailing \b: "2015-03-17T16:27" must match, and the regex crate
    // has no lookahead; callers reject a date followed by a digit instead.
    let re = format!(r"(?i)(?-u:\b)(?:{ymd}|{mdy}|{dmy}|{num})");
    Regex::new(&re).expect("date regex")
});

/// Words that announce the publication date in a byline.
static PUBLISHED_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?-u:\b)(?:published|posted|date|released|issued|written|created)(?-u:\b)(?:\s+on)?\s*[:\-]?\s*$",
    )
    .expect("published regex")
});

/// Words that announce a *later* date (revision), which must not be taken as
/// the publication date.
static UPDATED_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?:updated?|modified|revised|edited|last\s+change[d]?|refreshed)(?-u:\b)(?:\s+on)?\s*[:\-]?\s*(?:at\s*)?$")
        .expect("updated regex")
});

/// Date in a URL path: `/2020/12/17/`, `/2020-12-17-slug`, `/20201217/`.
static URL_DATE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:^|[/_\-])(?P<y>(?:19|20)\d{2})(?:(?P<s>[/\-_])(?P<m>\d{1,2})[/\-_](?P<d>\d{1,2})|(?P<m2>\d{2})(?P<d2>\d{2}))(?:[/\-_.?#]|$)",
    )
    .expect("url date regex")
});

fn month_from_name(name: &str) -> Option<u32> {
    let b = name.as_bytes();
    if b.len() < 3 {
        return None;
    }
    let key = [
        b[0].to_ascii_lowercase(),
        b[1].to_ascii_lowercase(),
        b[2].to_ascii_lowercase(),
    ];
    Some(match &key {
        b"jan" => 1,
        b"feb" => 2,
        b"mar" => 3,
        b"apr" => 4,
        b"may" => 5,
        b"jun" => 6,
        b"jul" => 7,
        b"aug" => 8,
        b"sep" => 9,
        b"oct" => 10,
        b"nov" => 11,
        b"dec" => 12,
        _ => return None,
    })
}

/// Builds a date if it exists on the calendar and lies in the accepted years.
fn make_date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    if !(MIN_YEAR..=MAX_YEAR).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, d)
}

/// Interprets one match of `DATE_RE`.
fn date_from_caps(c: &regex::Captures<'_>) -> Option<NaiveDate> {
    let num = |name: &str| -> Option<u32> { c.name(name)?.as_str().parse().ok() };
    if c.name("y1").is_some() {
        // Mixed separators ("2023-03/04") are not a date.
        if c.name("s1")?.as_str() != c.name("s1b")?.as_str() {
            return None;
        }
        return make_date(num("y1")? as i32, num("m1")?, num("d1")?);
    }
    if let Some(mn) = c.name("mn2") {
        return make_date(num("y2")? as i32, month_from_name(mn.as_str())?, num("d2")?);
    }
    if let Some(mn) = c.name("mn3") {
        return make_date(num("y3")? as i32, month_from_name(mn.as_str())?, num("d3")?);
    }
    if c.name("y4").is_some() {
        if c.name("s4")?.as_str() != c.name("s4b")?.as_str() {
            return None;
        }
        let (a, b, y) = (num("a4")?, num("b4")?, num("y4")? as i32);
        // Day-first or month-first cannot be told apart when both are <= 12
        // (e.g. 03/04/2023); a wrong date is worse than none, so only the
        // unambiguous cases are accepted.
        return match (a > 12, b > 12) {
            (true, false) => make_date(y, b, a),
            (false, true) => make_date(y, a, b),
            _ if a == b => make_date(y, a, b),
            _ => None,
        };
    }
    None
}

/// Parses a date string as found in metadata (`<meta content>`, JSON-LD,
/// `<time datetime>`): ISO 8601 dates and datetimes with or without a zone,
/// RFC 2822/1123 ("Tue, 01 Jul 2003 10:52:37 +0200"), English prose dates
/// ("March 3, 2023", "3rd March 2023", "Sept 5 2019"), "2023/03/03" and
/// "2023.03.03". A leading weekday and any trailing time are ignored.
/// Returns `None` for impossible dates and years outside 1990..=2100.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if s.is_empty() || s.len() > 200 {
        return None;
    }
    // ISO 8601 basic format "20201217" or "20201217T101500Z".
    let b = s.as_bytes();
    if b.len() >= 8 && b[..8].iter().all(u8::is_ascii_digit) && (b.len() == 8 || b[8] == b'T') {
        let y: i32 = s[0..4].parse().ok()?;
        let m: u32 = s[4..6].parse().ok()?;
        let d: u32 = s[6..8].parse().ok()?;
        return make_date(y, m, d);
    }
    // The date must open the string (after an optional weekday such as
    // "Tue," and stray punctuation): a metadata value that merely *contains*
    // a date somewhere is not a date value.
    let caps = DATE_RE.captures(s)?;
    let m0 = caps.get(0)?;
    let prefix = &s[..m0.start()];
    if !is_weekday_prefix(prefix) {
        return None;
    }
    // "2023-03-03" followed by a digit ("2023-03-031") was not a date.
    if s[m0.end()..].starts_with(|ch: char| ch.is_ascii_digit()) {
        return None;
    }
    date_from_caps(&caps)
}

/// True for "", "Tue, ", "Tuesday " and similar weekday-only prefixes.
fn is_weekday_prefix(p: &str) -> bool {
    let p = p.trim_matches(|c: char| c.is_whitespace() || c == ',' || c == '.');
    if p.is_empty() {
        return true;
    }
    let l = p.to_ascii_lowercase();
    const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    l.len() <= 9
        && l.chars().all(|c| c.is_ascii_alphabetic())
        && DAYS.iter().any(|d| l.starts_with(d))
}

/// Finds the publication date in a short text such as a byline
/// ("Published 14 March 2022", "By Jane Doe · March 14, 2022").
///
/// A date introduced by "Published", "Posted", "Date:" … wins; dates
/// introduced by "Updated", "Modified" … are skipped; otherwise the first
/// date in the text is returned.
pub fn find_date_in_text(text: &str) -> Option<NaiveDate> {
    let mut first: Option<NaiveDate> = None;
    for caps in DATE_RE.captures_iter(text) {
        let Some(m0) = caps.get(0) else { continue };
        if text[m0.end()..].starts_with(|ch: char| ch.is_ascii_digit()) {
            continue;
        }
        let Some(date) = date_from_caps(&caps) else {
            continue;
        };
        // Look at the few words before the date to learn its role.
        let start = floor_char_boundary(text, m0.start().saturating_sub(40));
        let before = &text[start..m0.start()];
        if UPDATED_RE.is_match(before) {
            continue;
        }
        if PUBLISHED_RE.is_match(before) {
            return Some(date);
        }
        if first.is_none() {
            first = Some(date);
        }
    }
    first
}

/// Largest char boundary <= i (str::floor_char_boundary is not stable yet).
fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Reads a publication date from a URL path: `/2020/12/17/`, `/2020-12-17-`,
/// `/20201217/`. A year and month alone (`/2020/12/`) give `None`, since the
/// first of the month would be an invented day.
pub fn date_from_url(url: &str) -> Option<NaiveDate> {
    // Only the path matters: the host may contain digits too.
    let path = match url.find("://") {
        Some(i) => {
            let rest = &url[i + 3..];
            rest.find('/').map(|j| &rest[j..]).unwrap_or("")
        }
        None => url,
    };
    for c in URL_DATE_RE.captures_iter(path) {
        let y: i32 = match c.name("y").and_then(|m| m.as_str().parse().ok()) {
            Some(y) => y,
            None => continue,
        };
        let (m, d) = match (c.name("m"), c.name("d"), c.name("m2"), c.name("d2")) {
            (Some(m), Some(d), _, _) => (m.as_str().parse().ok(), d.as_str().parse().ok()),
            (_, _, Some(m), Some(d)) => (m.as_str().parse().ok(), d.as_str().parse().ok()),
            _ => (None, None),
        };
        if let (Some(m), Some(d)) = (m, d) {
            if let Some(date) = make_date(y, m, d) {
                return Some(date);
            }
        }
    }
    None
}

/// Separated dates in a file name: `2024-03-05`, `2024_03_05`, `2024.03.05`.
static NAME_SEPARATED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^0-9])((?:19|20)[0-9]{2})[-_.]([01][0-9])[-_.]([0-3][0-9])(?:[^0-9]|$)")
        .unwrap()
});

/// Compact dates in a file name: `20240305`, also followed by a short serial
/// number as advisory ids are (`20221028001`).
static NAME_COMPACT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^0-9])((?:19|20)[0-9]{2})([01][0-9])([0-3][0-9])[0-9]{0,4}(?:[^0-9]|$)")
        .unwrap()
});

/// Finds a date in a file name (`zscaler_2021-05-03_slug.txt`,
/// `20221028001-advisory.md`): the last resort when a report's content gives
/// none, since analysts and tools often name saved reports by date.
pub fn date_from_file_name(name: &str) -> Option<NaiveDate> {
    let ymd = |c: regex::Captures<'_>| {
        NaiveDate::from_ymd_opt(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?)
    };
    NAME_SEPARATED
        .captures(name)
        .and_then(ymd)
        .or_else(|| NAME_COMPACT.captures(name).and_then(ymd))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, dd)
    }

    #[test]
    fn iso_forms() {
        assert_eq!(parse_date("2020-09-21"), d(2020, 9, 21));
        assert_eq!(parse_date("2015-02-24T19:56:33.374Z"), d(2015, 2, 24));
        assert_eq!(parse_date("2021-11-01T10:52:50+0100"), d(2021, 11, 1));
        assert_eq!(parse_date("2013-09-11T10:00:00-04:00"), d(2013, 9, 11));
        assert_eq!(parse_date("2017-11-03 03:01:00.000000"), d(2017, 11, 3));
        assert_eq!(parse_date("2018-04-05T06:00"), d(2018, 4, 5));
        assert_eq!(parse_date("20201217"), d(2020, 12, 17));
        assert_eq!(parse_date("20201217T101500Z"), d(2020, 12, 17));
        assert_eq!(parse_date("2023/03/03"), d(2023, 3, 3));
        assert_eq!(parse_date("2023.03.03"), d(2023, 3, 3));
    }

    #[test]
    fn rfc2822_and_prose() {
        assert_eq!(parse_date("Tue, 01 Jul 2003 10:52:37 +0200"), d(2003, 7, 1));
        assert_eq!(parse_date("Sun, 06 Nov 1994 08:49:37 GMT"), d(1994, 11, 6));
        assert_eq!(parse_date("March 3, 2023"), d(2023, 3, 3));
        assert_eq!(parse_date("Mar. 3, 2023"), d(2023, 3, 3));
        assert_eq!(parse_date("3 March 2023"), d(2023, 3, 3));
        assert_eq!(parse_date("3rd March 2023"), d(2023, 3, 3));
        assert_eq!(parse_date("Sept 5 2019"), d(2019, 9, 5));
        assert_eq!(parse_date("september 5th, 2019 at 10:00 am"), d(2019, 9, 5));
        assert_eq!(parse_date("12/17/2020"), d(2020, 12, 17));
        assert_eq!(parse_date("17.12.2020"), d(2020, 12, 17));
    }

    #[test]
    fn rejects_bad_dates() {
        assert_eq!(parse_date("2023-02-30"), None);
        assert_eq!(parse_date("2023-13-01"), None);
        assert_eq!(parse_date("1989-01-01"), None);
        assert_eq!(parse_date("2101-01-01"), None);
        assert_eq!(parse_date("February 30, 2023"), None);
        assert_eq!(parse_date("03/04/2023"), None); // ambiguous
        assert_eq!(parse_date("2023-03/04"), None);
        assert_eq!(parse_date("version 2023-03-03"), None);
        assert_eq!(parse_date(""), None);
        assert_eq!(parse_date("not a date"), None);
    }

    #[test]
    fn byline_dates() {
        assert_eq!(find_date_in_text("Published 14 March 2022"), d(2022, 3, 14));
        assert_eq!(
            find_date_in_text("By Jane Doe · March 14, 2022"),
            d(2022, 3, 14)
        );
        assert_eq!(
            find_date_in_text("Updated: March 20, 2022 | Published: March 14, 2022"),
            d(2022, 3, 14)
        );
        assert_eq!(
            find_date_in_text("Last modified 2022-03-20. Written by Bob on 2022-03-14"),
            d(2022, 3, 14)
        );
        assert_eq!(
            find_date_in_text("Posted on Sept 5th, 2019 by admin"),
            d(2019, 9, 5)
        );
        assert_eq!(find_date_in_text("Updated March 20, 2022"), None);
        assert_eq!(find_date_in_text("no date here, 2022 only"), None);
    }

    #[test]
    fn url_dates() {
        assert_eq!(
            date_from_url("https://ex.com/2020/12/17/slug/"),
            d(2020, 12, 17)
        );
        assert_eq!(
            date_from_url("https://ex.com/blog/2020-12-17-slug.html"),
            d(2020, 12, 17)
        );
        assert_eq!(
            date_from_url("https://ex.com/news/20201217/slug"),
            d(2020, 12, 17)
        );
        assert_eq!(date_from_url("https://ex.com/2020/12/slug"), None);
        assert_eq!(date_from_url("https://ex.com/2020/13/45/slug"), None);
        assert_eq!(date_from_url("https://ex2020.com/item/12345678"), None);
    }

    #[test]
    fn dates_in_file_names() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
        assert_eq!(
            date_from_file_name("zscaler_2021-05-03_slug.txt"),
            d(2021, 5, 3)
        );
        assert_eq!(
            date_from_file_name("20221028001-seo-advisory.md"),
            d(2022, 10, 28)
        );
        assert_eq!(
            date_from_file_name("report-2024_12_01.html"),
            d(2024, 12, 1)
        );
        assert_eq!(date_from_file_name("cve-2024-3400.html"), None);
        assert_eq!(date_from_file_name("20241399.txt"), None);
        assert_eq!(date_from_file_name("notes.md"), None);
    }
}
