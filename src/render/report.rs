//! The report page: a self-contained HTML5 document (inline CSS and SVG, no
//! script, nothing fetched) or the same content as Markdown.

use super::display_path;
use super::svg::{self, escape, thousands, BarOptions, HeatmapOptions, TimelineOptions};
use super::table;
use crate::model::{FacetCount, FacetResults, Hit, Snippet};
use crate::report::ReportData;
use std::io::{self, Write};

/// Colours of the charts: one hue per facet, all from the same palette.
const ACTOR: &str = "#2563eb";
const SECTOR: &str = "#0d9488";
const COUNTRY: &str = "#4f46e5";
const TARGET: &str = "#dc2626";
const ORIGIN: &str = "#d97706";
const TIMELINE: &str = "#2563eb";

const CSS: &str = r#"
:root{--ink:#0f172a;--muted:#64748b;--line:#e2e8f0;--bg:#f1f5f9;--card:#fff;--accent:#2563eb}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans","Liberation Sans",sans-serif;-webkit-font-smoothing:antialiased}
.wrap{max-width:1120px;margin:0 auto;padding:0 24px}
header.band{background:linear-gradient(120deg,#0b1220 0%,#13224a 55%,#1e3a8a 100%);color:#fff;padding:30px 0 56px}
.eyebrow{margin:0 0 8px;font-size:12px;font-weight:700;letter-spacing:.14em;text-transform:uppercase;color:#93c5fd}
h1{margin:0 0 8px;font-size:30px;line-height:1.2;font-weight:700;letter-spacing:-.01em}
.scope{margin:0;color:#cbd5e1;font-size:15px}
.scope strong{color:#fff;font-weight:600}
.generated{margin:6px 0 0;color:#94a3b8;font-size:13px}
#heatmap svg{margin:0 auto}
.chart{overflow-x:auto}
.chart.wide svg{min-width:620px}
main{margin-top:-34px;padding-bottom:24px}
.stats{display:grid;grid-template-columns:repeat(6,minmax(0,1fr));gap:16px;margin-bottom:24px}
.stat,.card{background:var(--card);border-radius:12px;box-shadow:0 1px 2px rgba(15,23,42,.06),0 4px 12px rgba(15,23,42,.06);border:1px solid #e5e9f0}
.stat{padding:16px 18px}
.stat.wide{grid-column:span 2}
.stat .label{font-size:12px;font-weight:600;letter-spacing:.06em;text-transform:uppercase;color:var(--muted)}
.stat .num{font-size:30px;font-weight:700;line-height:1.25;font-variant-numeric:tabular-nums;letter-spacing:-.01em}
.stat .span{font-size:22px;font-weight:700;line-height:1.25;padding-top:5px;white-space:nowrap}
.stat .sub{font-size:12.5px;color:var(--muted);margin-top:2px}
.card{padding:20px 22px 18px;margin-bottom:24px;break-inside:avoid;page-break-inside:avoid}
.card h2{margin:0;font-size:17px;font-weight:700}
.card .sub{margin:2px 0 14px;color:var(--muted);font-size:13.5px}
.grid{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:24px;margin-bottom:24px}
.grid .card{margin-bottom:0}
svg{display:block;width:100%;height:auto;overflow:visible}
.empty{padding:40px 28px;text-align:center}
.empty h2{font-size:22px;margin-bottom:8px}
.empty p{color:var(--muted);margin:4px 0}
ol.reports{list-style:none;margin:0;padding:0;counter-reset:r}
ol.reports li{counter-increment:r;position:relative;padding:14px 0 14px 44px;border-top:1px solid var(--line)}
ol.reports li:first-child{border-top:0;padding-top:4px}
ol.reports li::before{content:counter(r);position:absolute;left:0;top:14px;width:28px;height:28px;border-radius:50%;background:#eff6ff;color:#1d4ed8;font-weight:700;font-size:13px;text-align:center;line-height:28px}
ol.reports li:first-child::before{top:4px}
.rtitle{font-size:16px;font-weight:650;color:var(--ink);text-decoration:none}
.rtitle:hover{color:var(--accent);text-decoration:underline}
.date{color:var(--muted);font-size:13px;margin-left:8px;white-space:nowrap;font-variant-numeric:tabular-nums}
.chips{margin:5px 0 2px}
.chip{display:inline-block;font-size:12px;line-height:20px;padding:0 8px;border-radius:10px;margin:0 4px 4px 0;background:#eff6ff;color:#1e40af;border:1px solid #dbeafe}
.chip.sector{background:#f0fdfa;color:#115e59;border-color:#ccfbf1}
.snippet{margin:4px 0 6px;color:#334155;font-size:14px}
mark{background:#fef08a;color:inherit;padding:0 2px;border-radius:3px}
.links{font-size:12.5px;color:var(--muted);word-break:break-all}
.links a{color:#1d4ed8;text-decoration:none}
.links a:hover{text-decoration:underline}
footer{color:var(--muted);font-size:12.5px;padding:8px 0 32px}
@media (max-width:860px){.stats{grid-template-columns:repeat(2,minmax(0,1fr))}.grid{grid-template-columns:minmax(0,1fr)}h1{font-size:24px}}
@media print{
@page{margin:14mm}
body{background:#fff;font-size:12px}
header.band{background:#fff;color:var(--ink);padding:0 0 12px;border-bottom:2px solid var(--ink)}
.eyebrow{color:var(--muted)}
.scope,.scope strong{color:var(--ink)}
.generated{color:var(--muted)}
main{margin-top:16px}
.wrap{max-width:none;padding:0}
.stat,.card{box-shadow:none;border:1px solid #cbd5e1}
.stats{grid-template-columns:repeat(6,minmax(0,1fr))}
.grid{grid-template-columns:repeat(2,minmax(0,1fr))}
svg,mark,.chip,ol.reports li::before{-webkit-print-color-adjust:exact;print-color-adjust:exact}
a{color:inherit}
.chart{overflow:visible}
.chart svg{min-width:0}
}
"#;

/// Writes the report as a self-contained HTML5 page.
pub fn html(w: &mut impl Write, r: &ReportData) -> io::Result<()> {
    let title = escape(&r.title);
    write!(
        w,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"threatdex {}\">\n<title>{title}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        env!("CARGO_PKG_VERSION")
    )?;
    write!(
        w,
        "<header class=\"band\"><div class=\"wrap\"><p class=\"eyebrow\">threatdex · threat-intelligence report</p><h1>{title}</h1><p class=\"scope\">{}</p>{}</div></header>\n<main class=\"wrap\">\n",
        scope_html(r),
        r.generated.as_deref().map_or_else(String::new, |g| format!(
            "<p class=\"generated\">Generated {}</p>",
            escape(g)
        ))
    )?;
    if r.total == 0 {
        writeln!(
            w,
            "<section class=\"card empty\"><h2>No reports match</h2><p>{}</p><p>Nothing in the index matches this query and these filters, so there is nothing to chart. Try fewer words, an alias of the actor, or a wider date range.</p></section>",
            escape(&r.scope())
        )?;
    } else {
        stats_html(w, r)?;
        charts_html(w, r)?;
        reports_html(w, r)?;
    }
    let generated = r
        .generated
        .as_deref()
        .map_or_else(String::new, |g| format!(" on {}", escape(g)));
    write!(
        w,
        "</main>\n<footer class=\"wrap\">Generated by threatdex {}{generated}. Counts are reports (documents), not mentions; a report naming several actors counts once for each.</footer>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION")
    )
}

/// The scope line of the header, with the query and filter values in bold.
fn scope_html(r: &ReportData) -> String {
    let s = escape(&r.scope());
    // The scope is built from " · "-separated "kind value" parts; emphasise
    // the values for readability without parsing user text twice.
    s.split(" · ")
        .map(|part| match part.split_once(' ') {
            Some((kind, value)) if part != "All indexed reports" => {
                format!("{kind} <strong>{value}</strong>")
            }
            _ => part.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

fn stats_html(w: &mut impl Write, r: &ReportData) -> io::Result<()> {
    w.write_all(b"<section class=\"stats\">")?;
    let stat = |key: &str, label: &str, n: String, sub: String| {
        format!(
            "<div class=\"stat\" data-stat=\"{key}\"><div class=\"label\">{label}</div><div class=\"num\">{n}</div><div class=\"sub\">{sub}</div></div>"
        )
    };
    write!(
        w,
        "{}",
        stat(
            "reports",
            "Reports",
            thousands(r.total),
            if r.undated > 0 {
                format!("{} undated", thousands(r.undated))
            } else {
                "all dated".to_string()
            }
        )
    )?;
    write!(
        w,
        "{}",
        stat(
            "actors",
            "Actors",
            thousands(r.distinct.actors as u64),
            format!("{} origin countries", r.distinct.origins)
        )
    )?;
    write!(
        w,
        "{}",
        stat(
            "countries",
            "Countries",
            thousands(r.distinct.countries as u64),
            format!("named; {} as targets", r.distinct.targets)
        )
    )?;
    write!(
        w,
        "{}",
        stat(
            "sectors",
            "Sectors",
            thousands(r.distinct.sectors as u64),
            "targeted".into()
        )
    )?;
    let (span, sub) = match (r.first, r.last) {
        (Some(a), Some(b)) => (
            format!("{} – {}", a.format("%b %Y"), b.format("%b %Y")),
            format!("{a} to {b}"),
        ),
        _ => ("–".to_string(), "no dated reports".to_string()),
    };
    write!(
        w,
        "<div class=\"stat wide\" data-stat=\"span\"><div class=\"label\">Date span</div><div class=\"span\">{}</div><div class=\"sub\">{}</div></div>",
        escape(&span),
        escape(&sub)
    )?;
    w.write_all(b"</section>\n")
}

fn pairs(list: &[FacetCount], label: impl Fn(&str) -> String) -> Vec<(String, u64)> {
    list.iter().map(|f| (label(&f.value), f.count)).collect()
}

fn card(w: &mut impl Write, id: &str, h2: &str, sub: &str, body: &str) -> io::Result<()> {
    writeln!(
        w,
        "<section class=\"card\" id=\"{id}\"><h2>{}</h2><p class=\"sub\">{}</p>{body}</section>",
        escape(h2),
        escape(sub)
    )
}

fn charts_html(w: &mut impl Write, r: &ReportData) -> io::Result<()> {
    let dated = r.total - r.undated;
    let months: Vec<(&str, u64)> = r
        .months
        .iter()
        .map(|m| (m.value.as_str(), m.count))
        .collect();
    let timeline_sub = match (r.months.first(), r.months.last()) {
        (Some(a), Some(b)) => format!(
            "{} dated reports, {} to {}; months without reports are kept{}.",
            thousands(dated),
            a.value,
            b.value,
            if r.undated > 0 {
                format!("; {} undated reports are not shown", thousands(r.undated))
            } else {
                String::new()
            }
        ),
        _ => "No dated reports.".to_string(),
    };
    card(
        w,
        "timeline",
        "Reports per month",
        &timeline_sub,
        &format!(
            "<div class=\"chart wide\">{}</div>",
            svg::timeline(
                &months,
                &TimelineOptions {
                    title: "Reports per month",
                    color: TIMELINE,
                    ..TimelineOptions::default()
                },
            )
        ),
    )?;
    w.write_all(b"<div class=\"grid\">\n")?;
    let bars = |title: &str, color: &str, items: &[(String, u64)]| {
        svg::bar_chart(
            items,
            &BarOptions {
                title,
                color,
                width: 470.0,
                ..BarOptions::default()
            },
        )
    };
    // "<lead>: top 10 of 14." when the chart shows fewer than all values.
    let top_of = |shown: usize, all: usize, lead: &str| {
        if shown < all {
            format!("{lead}: top {shown} of {all}.")
        } else {
            format!("{lead}.")
        }
    };
    let ident = |v: &str| v.to_string();
    card(
        w,
        "actors",
        "Top actors",
        &top_of(
            r.actors.len(),
            r.distinct.actors,
            "Reports naming each actor",
        ),
        &bars("Top actors", ACTOR, &pairs(&r.actors, ident)),
    )?;
    card(
        w,
        "sectors",
        "Top sectors",
        &top_of(
            r.sectors.len(),
            r.distinct.sectors,
            "Reports naming each targeted sector",
        ),
        &bars(
            "Top sectors",
            SECTOR,
            &pairs(&r.sectors, |v| r.labels.sector(v).to_string()),
        ),
    )?;
    card(
        w,
        "countries",
        "Countries named",
        &top_of(
            r.countries.len(),
            r.distinct.countries,
            "Reports naming each country",
        ),
        &bars(
            "Countries named",
            COUNTRY,
            &pairs(&r.countries, |v| r.labels.country(v).to_string()),
        ),
    )?;
    card(
        w,
        "targets",
        "Target countries",
        &top_of(
            r.targets.len(),
            r.distinct.targets,
            "Reports naming each country as the place of the victims",
        ),
        &bars(
            "Target countries",
            TARGET,
            &pairs(&r.targets, |v| r.labels.country(v).to_string()),
        ),
    )?;
    card(
        w,
        "origins",
        "Attributed origins",
        &top_of(
            r.origins.len(),
            r.distinct.origins,
            "Reports naming an actor attributed to each country",
        ),
        &bars(
            "Attributed origins",
            ORIGIN,
            &pairs(&r.origins, |v| r.labels.country(v).to_string()),
        ),
    )?;
    w.write_all(b"</div>\n")?;
    let c = &r.actor_sector;
    let columns: Vec<&str> = c.columns.iter().map(|s| r.labels.sector(s)).collect();
    card(
        w,
        "heatmap",
        "Actors × sectors",
        &format!(
            "Reports naming both the actor and the sector, for the top {} actors and top {} sectors.",
            c.rows.len(),
            c.columns.len()
        ),
        &format!(
            "<div class=\"chart heat\">{}</div>",
            svg::heatmap(
                &c.rows,
                &columns,
                &c.counts,
                &HeatmapOptions {
                    title: "Actors by sector",
                    row_title: "Actor",
                    column_title: "Sector",
                    legend: "Reports",
                    unit: "reports",
                },
            )
        ),
    )
}

fn reports_html(w: &mut impl Write, r: &ReportData) -> io::Result<()> {
    let sub = if r.query.as_deref().is_some_and(|q| !q.trim().is_empty()) {
        format!(
            "The {} best matches for the query, best first.",
            r.reports.len()
        )
    } else {
        format!("The {} newest matching reports.", r.reports.len())
    };
    write!(
        w,
        "<section class=\"card\" id=\"reports\"><h2>Top reports</h2><p class=\"sub\">{}</p><ol class=\"reports\">",
        escape(&sub)
    )?;
    for h in &r.reports {
        report_item(w, r, h)?;
    }
    w.write_all(b"</ol></section>\n")
}

fn report_item(w: &mut impl Write, r: &ReportData, h: &Hit) -> io::Result<()> {
    let file = file_url(&h.path);
    let title = if h.title.trim().is_empty() {
        "(untitled)"
    } else {
        h.title.as_str()
    };
    write!(
        w,
        "<li><a class=\"rtitle\" href=\"{}\">{}</a><span class=\"date\">{}</span>",
        escape(&file),
        escape(title),
        h.date
            .map_or_else(|| "undated".to_string(), |d| d.to_string())
    )?;
    if !h.entities.actors.is_empty() || !h.entities.sectors.is_empty() {
        w.write_all(b"<div class=\"chips\">")?;
        for a in &h.entities.actors {
            write!(w, "<span class=\"chip\">{}</span>", escape(a))?;
        }
        for s in &h.entities.sectors {
            write!(
                w,
                "<span class=\"chip sector\">{}</span>",
                escape(r.labels.sector(s))
            )?;
        }
        w.write_all(b"</div>")?;
    }
    write!(w, "<p class=\"snippet\">{}</p>", snippet_html(&h.snippet))?;
    write!(
        w,
        "<div class=\"links\"><a href=\"{}\">{}</a>",
        escape(&file),
        escape(&display_path(&h.path))
    )?;
    if let Some(url) = h.url.as_deref().filter(|u| is_web_url(u)) {
        write!(
            w,
            " · <a href=\"{}\" rel=\"noopener noreferrer\">{}</a>",
            escape(url),
            escape(url)
        )?;
    }
    w.write_all(b"</div></li>")
}

/// Only http(s) links are made clickable: a document's URL is untrusted.
fn is_web_url(u: &str) -> bool {
    let l = u.trim_start().to_ascii_lowercase();
    (l.starts_with("https://") || l.starts_with("http://"))
        && !u.contains(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"'))
}

/// A snippet as HTML: escaped text with highlights in `<mark>`.
pub fn snippet_html(s: &Snippet) -> String {
    let mut out = String::new();
    let mut pos = 0;
    for r in &s.highlights {
        let (Some(before), Some(hit)) = (s.text.get(pos..r.start), s.text.get(r.clone())) else {
            continue;
        };
        if r.start < pos {
            continue;
        }
        out.push_str(&escape(before));
        out.push_str("<mark>");
        out.push_str(&escape(hit));
        out.push_str("</mark>");
        pos = r.end;
    }
    out.push_str(&escape(s.text.get(pos..).unwrap_or("")));
    out
}

/// A `file://` URL for an absolute path, percent-encoded.
pub fn file_url(path: &str) -> String {
    let p = path.replace('\\', "/");
    let mut out = String::from("file://");
    if !p.starts_with('/') {
        out.push('/');
    }
    for b in p.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' | b':' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Escapes text for Markdown (outside code).
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '!'
        ) {
            out.push('\\');
        }
        out.push(if c == '\n' { ' ' } else { c });
    }
    out
}

/// The last line of a Markdown report: says who wrote the file, so a later
/// `report --out` may replace it (an HTML comment: invisible when rendered).
pub const MARKDOWN_MARK: &str = "<!-- written by threatdex report -->";

/// Writes the report as Markdown: headline numbers, the facet tables and
/// the actor × sector table (the same tables as `facets --markdown`), and the
/// top reports, then [`MARKDOWN_MARK`].
pub fn markdown(w: &mut impl Write, r: &ReportData) -> io::Result<()> {
    markdown_body(w, r)?;
    writeln!(w, "\n{MARKDOWN_MARK}")
}

fn markdown_body(w: &mut impl Write, r: &ReportData) -> io::Result<()> {
    writeln!(w, "# {}\n", md(&r.title))?;
    writeln!(w, "{}\n", md(&r.scope()))?;
    if r.total == 0 {
        writeln!(
            w,
            "**No reports match.** Nothing in the index matches this query and these filters."
        )?;
        return Ok(());
    }
    let span = match (r.first, r.last) {
        (Some(a), Some(b)) => format!("{a} – {b}"),
        _ => "–".to_string(),
    };
    writeln!(w, "| | |\n|---|---:|")?;
    writeln!(w, "| Reports | {} |", r.total)?;
    writeln!(w, "| Undated reports | {} |", r.undated)?;
    writeln!(w, "| Actors | {} |", r.distinct.actors)?;
    writeln!(w, "| Countries | {} |", r.distinct.countries)?;
    writeln!(w, "| Target countries | {} |", r.distinct.targets)?;
    writeln!(w, "| Sectors | {} |", r.distinct.sectors)?;
    writeln!(w, "| Origin countries | {} |", r.distinct.origins)?;
    writeln!(w, "| Date span | {span} |")?;
    writeln!(w, "\n## Counts\n")?;
    let results = FacetResults {
        total: r.total,
        facets: vec![
            ("actor".to_string(), r.actors.clone()),
            ("sector".to_string(), r.sectors.clone()),
            ("country".to_string(), r.countries.clone()),
            ("target".to_string(), r.targets.clone()),
            ("origin".to_string(), r.origins.clone()),
            ("month".to_string(), r.months.clone()),
        ],
        cross: Vec::new(),
    };
    table::facets_markdown(w, &results)?;
    if !r.actor_sector.rows.is_empty() {
        writeln!(w, "\n## Actors × sectors\n")?;
        table::cross_markdown(w, &r.actor_sector)?;
    }
    writeln!(w, "\n## Top reports\n")?;
    for (i, h) in r.reports.iter().enumerate() {
        let title = if h.title.trim().is_empty() {
            "(untitled)"
        } else {
            h.title.as_str()
        };
        let date = h
            .date
            .map_or_else(|| "undated".to_string(), |d| d.to_string());
        write!(
            w,
            "{}. [{}](<{}>) — {date}",
            i + 1,
            md(title),
            file_url(&h.path)
        )?;
        if !h.entities.actors.is_empty() {
            write!(w, " — {}", md(&h.entities.actors.join(", ")))?;
        }
        writeln!(w)?;
        let mut snippet = String::new();
        let s = &h.snippet;
        let mut pos = 0;
        for rg in &s.highlights {
            let (Some(before), Some(hit)) = (s.text.get(pos..rg.start), s.text.get(rg.clone()))
            else {
                continue;
            };
            snippet.push_str(&md(before));
            snippet.push_str("**");
            snippet.push_str(&md(hit));
            snippet.push_str("**");
            pos = rg.end;
        }
        snippet.push_str(&md(s.text.get(pos..).unwrap_or("")));
        writeln!(w, "   > {}", snippet.trim())?;
        if let Some(url) = h.url.as_deref().filter(|u| is_web_url(u)) {
            writeln!(w, "   >\n   > <{url}>")?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_mark_highlights_and_escape() {
        let s = Snippet {
            text: "<b>Volt Typhoon</b> & co".into(),
            highlights: vec![3..7, 8..15, 100..200],
        };
        assert_eq!(
            snippet_html(&s),
            "&lt;b&gt;<mark>Volt</mark> <mark>Typhoon</mark>&lt;/b&gt; &amp; co"
        );
    }

    #[test]
    fn file_urls_are_percent_encoded() {
        assert_eq!(
            file_url("/tmp/a b/r#1.html"),
            "file:///tmp/a%20b/r%231.html"
        );
        assert_eq!(file_url("C:\\reports\\x.html"), "file:///C:/reports/x.html");
        assert_eq!(file_url("/é"), "file:///%C3%A9");
    }

    #[test]
    fn only_web_urls_are_links() {
        assert!(is_web_url("https://example.com/a"));
        assert!(!is_web_url("javascript:alert(1)"));
        assert!(!is_web_url("https://x y"));
        assert!(!is_web_url("https://x/>y"));
    }

    #[test]
    fn markdown_escapes() {
        assert_eq!(md("a*b_[c]|<d>"), "a\\*b\\_\\[c\\]\\|\\<d\\>");
    }
}
