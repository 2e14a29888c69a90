//! The state of a view in its URL, and the HTML pieces the pages share:
//! links that add or drop a filter, chips, the search form, the timeline.

use crate::index::schema::Dimension;
use crate::kb::Kb;
use crate::model::{FacetCount, Hit};
use crate::query::Filters;
use crate::reader::escape;
use chrono::{Datelike, NaiveDate};
use std::fmt::Write;

/// The facets of the sidebar: dimension, query-string key, heading.
pub const SIDEBAR: [(Dimension, &str, &str); 7] = [
    (Dimension::Actor, "actor", "Actor"),
    (Dimension::Target, "target", "Target"),
    (Dimension::Country, "country", "Country"),
    (Dimension::Origin, "origin", "Origin"),
    (Dimension::Sector, "sector", "Sector"),
    (Dimension::Cve, "cve", "CVE"),
    (Dimension::Technique, "technique", "Technique"),
];

/// The values of one filter key, to read or change.
pub fn values_mut<'a>(f: &'a mut Filters, key: &str) -> Option<&'a mut Vec<String>> {
    Some(match key {
        "actor" => &mut f.actors,
        "target" => &mut f.targets,
        "country" => &mut f.countries,
        "origin" => &mut f.origins,
        "sector" => &mut f.sectors,
        "cve" => &mut f.cves,
        "technique" => &mut f.techniques,
        _ => return None,
    })
}

/// The values of one filter key.
pub fn values<'a>(f: &'a Filters, key: &str) -> &'a [String] {
    match key {
        "actor" => &f.actors,
        "target" => &f.targets,
        "country" => &f.countries,
        "origin" => &f.origins,
        "sector" => &f.sectors,
        "cve" => &f.cves,
        "technique" => &f.techniques,
        _ => &[],
    }
}

/// A view: the query text, the resolved filters and the page size. Links
/// write it back in one canonical order, so a shared URL reproduces it.
#[derive(Clone)]
pub struct View {
    /// The query text.
    pub q: String,
    /// The resolved filters.
    pub filters: Filters,
    /// Hits per page, if not the default.
    pub n: Option<usize>,
}

impl View {
    /// The query string of this view (without `?`).
    pub fn query_string(&self) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        if !self.q.trim().is_empty() {
            s.append_pair("q", &self.q);
        }
        for (_, key, _) in SIDEBAR {
            for v in values(&self.filters, key) {
                s.append_pair(key, v);
            }
        }
        for (_, v) in &self.filters.iocs {
            s.append_pair("ioc", v);
        }
        if let Some(d) = self.filters.since {
            s.append_pair("since", &d.to_string());
        }
        if let Some(d) = self.filters.until {
            s.append_pair("until", &d.to_string());
        }
        if let Some(n) = self.n {
            s.append_pair("n", &n.to_string());
        }
        s.finish()
    }

    /// `path` with this view's query string.
    pub fn href(&self, path: &str) -> String {
        let q = self.query_string();
        if q.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{q}")
        }
    }

    /// The search page for this view changed by `change`.
    pub fn with(&self, change: impl FnOnce(&mut View)) -> String {
        let mut v = self.clone();
        change(&mut v);
        v.href("/")
    }

    /// The search page with `value` of `key` toggled (added when absent,
    /// dropped when present).
    pub fn toggle(&self, key: &str, value: &str) -> String {
        self.with(|v| {
            if let Some(list) = values_mut(&mut v.filters, key) {
                if let Some(i) = list.iter().position(|x| x == value) {
                    list.remove(i);
                } else {
                    list.push(value.to_string());
                }
            }
            v.n = None;
        })
    }

    /// Returns true if and only if the filter `key` has `value`.
    pub fn has(&self, key: &str, value: &str) -> bool {
        values(&self.filters, key).iter().any(|x| x == value)
    }
}

/// How a facet value reads: a country's name, a sector's label, a
/// technique's name; else the value.
pub fn label(kb: &Kb, key: &str, value: &str) -> String {
    match key {
        "country" | "target" | "origin" => kb
            .resolve_country(value)
            .map_or_else(|| value.to_string(), |c| c.name.clone()),
        "sector" => kb
            .resolve_sector(value)
            .map_or_else(|| value.to_string(), |s| s.label.clone()),
        "technique" => match crate::ioc::techniques::name(value) {
            Some(n) => format!("{value} {n}"),
            None => value.to_string(),
        },
        _ => value.to_string(),
    }
}

/// The page's head and top bar with the search form of `view`.
pub fn head(out: &mut String, title: &str, view: &View) {
    let _ = write!(
        out,
        r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>{title}</title><link rel="stylesheet" href="/assets/app.css">
<script src="/assets/app.js" defer></script></head><body>
<header class="top"><a class="brand" href="/">threatdex</a>
<form class="search" action="/" method="get" role="search">
<input id="q" name="q" type="search" value="{q}" placeholder="Search reports (press /)" aria-label="Query" autocomplete="off" spellcheck="false">"#,
        title = escape(title),
        q = escape(&view.q),
    );
    for (_, key, _) in SIDEBAR {
        for v in values(&view.filters, key) {
            let _ = write!(
                out,
                r#"<input type="hidden" name="{key}" value="{}">"#,
                escape(v)
            );
        }
    }
    for (_, v) in &view.filters.iocs {
        let _ = write!(
            out,
            r#"<input type="hidden" name="ioc" value="{}">"#,
            escape(v)
        );
    }
    let day = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let _ = write!(
        out,
        r#"<span class="dates"><label>from <input type="date" name="since" value="{}"></label>
<label>to <input type="date" name="until" value="{}"></label></span>
<button type="submit">Search</button></form>
<details class="help"><summary>Syntax</summary><ul>
<li><code>volt typhoon</code> all words (an actor's aliases count too)</li>
<li><code>"living off the land"</code> a phrase</li>
<li><code>lockbit OR blackcat</code>, <code>-ransomware</code>, <code>(a OR b) c</code></li>
<li><code>title:loader</code> in the title only</li>
<li><code>CVE-2024-3400</code>, <code>T1059</code>, <code>198.51.100[.]23</code> indicators, defanged or not</li>
<li>Keys: <kbd>/</kbd> search, <kbd>j</kbd>/<kbd>k</kbd> or arrows move, <kbd>Enter</kbd> opens</li>
</ul></details></header>
"#,
        day(view.filters.since),
        day(view.filters.until),
    );
}

/// Closes the page.
pub fn foot(out: &mut String) {
    out.push_str("</body></html>\n");
}

/// The chips of a hit: actors, target countries, countries and sectors;
/// each adds its filter to `view`.
pub fn chips(out: &mut String, kb: &Kb, view: &View, hit: &Hit) {
    let groups: [(&str, &[String]); 4] = [
        ("actor", &hit.entities.actors),
        ("target", &hit.entities.targets),
        ("country", &hit.entities.countries),
        ("sector", &hit.entities.sectors),
    ];
    if groups.iter().all(|(_, v)| v.is_empty()) {
        return;
    }
    out.push_str(r#"<p class="chips">"#);
    for (key, vals) in groups {
        for v in vals {
            // A target is a country too: show it once, as a target.
            if key == "country" && hit.entities.targets.contains(v) {
                continue;
            }
            let on = if view.has(key, v) { " on" } else { "" };
            let _ = write!(
                out,
                r#"<a class="chip {key}{on}" href="{href}" title="{key}: {label}">{label}</a>"#,
                href = escape(&view.toggle(key, v)),
                label = escape(&label(kb, key, v)),
            );
        }
    }
    out.push_str("</p>");
}

/// The last day of a `YYYY-MM` month.
fn month_bounds(month: &str) -> Option<(NaiveDate, NaiveDate)> {
    let first = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").ok()?;
    let next = if first.month() == 12 {
        NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)?
    };
    Some((first, next.pred_opt()?))
}

/// The timeline: one bar per month of `months` (reports per month); a bar
/// links to its month, a drag over bars (the script) picks a range. Months
/// inside `since..=until` are marked selected.
pub fn timeline(out: &mut String, months: &[FacetCount], view: &View) {
    const W: f64 = 800.0;
    const H: f64 = 72.0;
    const LABEL: f64 = 16.0;
    if months.is_empty() {
        out.push_str(r#"<div class="timeline empty"><p>No dated reports.</p></div>"#);
        return;
    }
    let max = months.iter().map(|m| m.count).max().unwrap_or(1).max(1) as f64;
    let width = W / months.len() as f64;
    let gap = if width > 4.0 { 1.0 } else { 0.0 };
    let _ = write!(
        out,
        r#"<div class="timeline"><svg viewBox="0 0 {W} {}" preserveAspectRatio="none" role="img" aria-label="Reports per month"><g class="bars">"#,
        H + LABEL
    );
    let mut last_year = None;
    for (i, m) in months.iter().enumerate() {
        let Some((first, last)) = month_bounds(&m.value) else {
            continue;
        };
        let x = i as f64 * width;
        let h = if m.count == 0 {
            0.0
        } else {
            (m.count as f64 / max * (H - 4.0)).max(2.0)
        };
        let selected = (view.filters.since.is_some() || view.filters.until.is_some())
            && view.filters.since.is_none_or(|s| last >= s)
            && view.filters.until.is_none_or(|u| first <= u);
        let href = view.with(|v| {
            v.filters.since = Some(first);
            v.filters.until = Some(last);
            v.n = None;
        });
        let plural = if m.count == 1 { "" } else { "s" };
        // The whole column is the target, so short bars are easy to hit.
        let _ = write!(
            out,
            r#"<a href="{href}" class="month{sel}" data-since="{first}" data-until="{last}"><rect class="hit-area" x="{x:.2}" y="0" width="{width:.2}" height="{H}"/><rect class="bar" x="{x:.2}" y="{y:.2}" width="{bw:.2}" height="{h:.2}"/><title>{month}: {count} report{plural}</title></a>"#,
            href = escape(&href),
            sel = if selected { " sel" } else { "" },
            y = H - h,
            bw = (width - gap).max(0.5),
            month = escape(&m.value),
            count = m.count,
        );
        let year = first.year();
        if last_year != Some(year) && (first.month() == 1 || i == 0) {
            let _ = write!(
                out,
                r#"<text x="{x:.2}" y="{}" class="year">{year}</text>"#,
                H + LABEL - 3.0
            );
        }
        last_year = Some(year);
    }
    out.push_str("</g></svg>");
    if view.filters.since.is_some() || view.filters.until.is_some() {
        let _ = write!(
            out,
            r#"<a class="clear-dates" href="{}">All dates</a>"#,
            escape(&view.with(|v| {
                v.filters.since = None;
                v.filters.until = None;
            }))
        );
    }
    out.push_str("</div>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_toggle_filters_and_keep_the_rest() {
        let view = View {
            q: "loader".into(),
            filters: Filters {
                actors: vec!["LockBit".into()],
                since: NaiveDate::from_ymd_opt(2024, 1, 1),
                ..Filters::default()
            },
            n: None,
        };
        assert_eq!(
            view.query_string(),
            "q=loader&actor=LockBit&since=2024-01-01"
        );
        assert_eq!(
            view.toggle("actor", "APT28"),
            "/?q=loader&actor=LockBit&actor=APT28&since=2024-01-01"
        );
        assert_eq!(
            view.toggle("actor", "LockBit"),
            "/?q=loader&since=2024-01-01"
        );
        assert!(view.has("actor", "LockBit"));
    }

    #[test]
    fn month_bounds_span_the_month() {
        assert_eq!(
            month_bounds("2024-02"),
            Some((
                NaiveDate::from_ymd_opt(2024, 2, 1).unwrap(),
                NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()
            ))
        );
        assert!(month_bounds("2024-13").is_none());
    }
}
