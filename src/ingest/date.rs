//! Date parsing (placeholder until the full module lands).

use chrono::NaiveDate;
use regex::Regex;
use std::sync::LazyLock;

static ISO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b((?:19|20)\d\d)-(\d\d)-(\d\d)").unwrap());

/// Parses a date string.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    find_date_in_text(s)
}

/// Finds a date in a short text.
pub fn find_date_in_text(text: &str) -> Option<NaiveDate> {
    let c = ISO.captures(text)?;
    NaiveDate::from_ymd_opt(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?)
}

/// Finds a date in a URL path.
pub fn date_from_url(_url: &str) -> Option<NaiveDate> {
    None
}
