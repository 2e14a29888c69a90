//! End-to-end tests of `report` on the bundled corpus: the HTML page is
//! well-formed and self-contained, its numbers agree with `facets`, the
//! Markdown report has the tables, and bad input fails cleanly.

mod util;

use std::collections::BTreeSet;
use util::Env;

/// HTML elements that have no end tag.
const VOID: [&str; 8] = ["meta", "link", "br", "hr", "img", "input", "source", "wbr"];

/// Checks that `html` is well-formed enough to be parsed as XML once the
/// doctype is removed: every element closed in order (void elements aside),
/// attributes quoted, no raw `<` in text, entities known. Returns the element
/// names in document order.
fn check_html(html: &str) -> Vec<String> {
    let mut stack: Vec<String> = Vec::new();
    let mut names = Vec::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        check_text(&rest[..lt]);
        let after = &rest[lt..];
        if let Some(c) = after.strip_prefix("<!--") {
            let end = c.find("-->").expect("unterminated comment");
            rest = &c[end + 3..];
            continue;
        }
        if after.starts_with("<!") {
            let gt = after.find('>').expect("unterminated doctype");
            rest = &after[gt + 1..];
            continue;
        }
        let gt = after.find('>').expect("unterminated tag");
        let tag = &after[1..gt];
        rest = &after[gt + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            let open = stack.pop().unwrap_or_else(|| panic!("stray </{name}>"));
            assert_eq!(open, name, "</{name}> closes <{open}>");
            continue;
        }
        let self_closing = tag.ends_with('/');
        let tag = tag.trim_end_matches('/');
        let name: String = tag.chars().take_while(|c| !c.is_whitespace()).collect();
        assert!(
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'),
            "bad tag <{tag}>"
        );
        check_attributes(&tag[name.len()..]);
        names.push(name.clone());
        if name == "style" || name == "script" {
            // Raw text up to the end tag.
            let end = format!("</{name}>");
            let i = rest.find(&end).expect("unterminated raw text element");
            rest = &rest[i + end.len()..];
            continue;
        }
        if !self_closing && !VOID.contains(&name.as_str()) {
            stack.push(name);
        }
    }
    check_text(rest);
    assert!(stack.is_empty(), "unclosed elements: {stack:?}");
    names
}

fn check_text(t: &str) {
    let mut rest = t;
    while let Some(i) = rest.find('&') {
        let ent = &rest[i..];
        let end = ent
            .find(';')
            .unwrap_or_else(|| panic!("raw & in text {t:?}"));
        let name = &ent[1..end];
        assert!(
            matches!(name, "amp" | "lt" | "gt" | "quot" | "#39"),
            "unknown entity &{name};"
        );
        rest = &ent[end + 1..];
    }
}

fn check_attributes(mut a: &str) {
    loop {
        a = a.trim_start();
        if a.is_empty() {
            return;
        }
        let eq = a
            .find('=')
            .unwrap_or_else(|| panic!("attribute without value: {a:?}"));
        let v = &a[eq + 1..];
        assert!(v.starts_with('"'), "unquoted attribute in {a:?}");
        let close = v[1..].find('"').expect("unterminated attribute") + 1;
        let value = &v[1..close];
        assert!(!value.contains('<'), "raw < in attribute {a:?}");
        assert!(!value.contains("NaN"), "NaN in attribute {a:?}");
        check_text(value);
        a = &v[close + 1..];
    }
}

/// The number shown in the headline card `key`.
fn stat(html: &str, key: &str) -> u64 {
    let marker = format!("data-stat=\"{key}\"");
    let at = html.find(&marker).unwrap_or_else(|| panic!("no {marker}"));
    let rest = &html[at..];
    let num = rest.find("class=\"num\">").expect("number") + "class=\"num\">".len();
    let end = rest[num..].find('<').unwrap() + num;
    rest[num..end]
        .replace(',', "")
        .parse()
        .unwrap_or_else(|e| panic!("{key}: {e}: {:?}", &rest[num..end]))
}

fn read(env: &Env, name: &str) -> String {
    std::fs::read_to_string(env.dir.path().join(name)).expect("report written")
}

#[test]
fn html_report_is_well_formed_and_self_contained() {
    let env = Env::with_corpus();
    env.ok(&["report", "--out", "report.html"]);
    let html = read(&env, "report.html");
    assert!(
        html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"),
        "{}",
        &html[..80]
    );
    let names = check_html(&html);
    assert_eq!(
        names.iter().filter(|n| *n == "svg").count(),
        7,
        "one svg per chart"
    );
    assert_eq!(html.matches("<svg").count(), 7);
    assert_eq!(names.iter().filter(|n| *n == "style").count(), 1);
    for forbidden in ["<script", "<link", "<img", "<iframe", "@import", "url("] {
        assert!(
            !html.contains(forbidden),
            "page must not load anything: {forbidden}"
        );
    }
    for id in [
        "timeline",
        "actors",
        "sectors",
        "countries",
        "targets",
        "origins",
        "heatmap",
        "reports",
    ] {
        assert!(html.contains(&format!("id=\"{id}\"")), "section {id}");
    }
    // Every svg is responsive.
    for svg in html.split("<svg").skip(1) {
        let open = &svg[..svg.find('>').unwrap()];
        assert!(open.contains("viewBox=\"0 0 "), "{open}");
        assert!(open.contains("width=\"100%\""), "{open}");
    }
    // Top reports link to their files.
    assert_eq!(html.matches("<li>").count(), 10);
    assert!(html.contains("href=\"file:///"));
}

#[test]
fn html_headline_numbers_equal_facets_totals() {
    let env = Env::with_corpus();
    env.ok(&["report", "--out", "report.html"]);
    let html = read(&env, "report.html");
    let f = env.json(&[
        "facets", "--by", "actor", "--by", "country", "--by", "sector", "--by", "month", "--top",
        "100000",
    ]);
    let len = |k: &str| f["facets"][k].as_array().unwrap().len() as u64;
    assert_eq!(stat(&html, "reports"), f["total"].as_u64().unwrap());
    assert_eq!(stat(&html, "actors"), len("actor"));
    assert_eq!(stat(&html, "countries"), len("country"));
    let targets = env.json(&["facets", "--by", "target", "--top", "100000"]);
    let n_targets = targets["facets"]["target"].as_array().unwrap().len();
    assert!(n_targets > 0);
    assert!(
        html.contains(&format!("named; {n_targets} as targets")),
        "countries stat names the number of target countries"
    );
    assert_eq!(stat(&html, "sectors"), len("sector"));
    // The date span runs from the first to the last month of the timeline.
    let months = f["facets"]["month"].as_array().unwrap();
    if let (Some(first), Some(last)) = (months.first(), months.last()) {
        let span = &html[html.find("data-stat=\"span\"").unwrap()..];
        let sub = &span[span.find("class=\"sub\">").unwrap() + 12..];
        let sub = &sub[..sub.find('<').unwrap()];
        let (a, b) = sub.split_once(" to ").expect(sub);
        assert!(
            a.starts_with(first["value"].as_str().unwrap()),
            "{sub} vs {first}"
        );
        assert!(
            b.starts_with(last["value"].as_str().unwrap()),
            "{sub} vs {last}"
        );
    }
    // The top actor of the chart is the top actor of facets.
    let top = f["facets"]["actor"][0]["value"].as_str().unwrap();
    let actors = &html[html.find("id=\"actors\"").unwrap()..];
    let actors = &actors[..actors.find("</section>").unwrap()];
    assert!(actors.contains(&format!("<title>{top}: ")), "{top}");
}

#[test]
fn query_and_filters_restrict_the_report() {
    let env = Env::with_corpus();
    env.ok(&[
        "report",
        "typhoon",
        "--out",
        "q.html",
        "--reports",
        "3",
        "--top",
        "4",
    ]);
    let html = read(&env, "q.html");
    check_html(&html);
    let total = env.json(&["search", "typhoon", "--limit", "1"])["total"]
        .as_u64()
        .unwrap();
    assert!(total > 0);
    assert_eq!(stat(&html, "reports"), total);
    assert_eq!(html.matches("<li>").count() as u64, total.min(3));
    assert!(html.contains("<mark>"), "query words are highlighted");
    assert!(html.contains("typhoon"), "the scope names the query");
    // --top 4: at most four bars in the actors chart.
    let actors = &html[html.find("id=\"actors\"").unwrap()..];
    let actors = &actors[..actors.find("</section>").unwrap()];
    assert!(actors.matches("class=\"bar\"").count() <= 4);

    env.ok(&["report", "--actor", "Volt Typhoon", "--out", "a.html"]);
    let html = read(&env, "a.html");
    let total = env.json(&["search", "--actor", "Volt Typhoon", "--limit", "1"])["total"]
        .as_u64()
        .unwrap();
    assert_eq!(stat(&html, "reports"), total);
    assert!(html.contains("Actor <strong>Volt Typhoon</strong>"));
}

#[test]
fn report_escapes_document_text() {
    let env = Env::new();
    env.write(
        "docs/evil.md",
        "# <script>alert(1)</script> & \"Volt Typhoon\" <b>report</b>\n\n\
         Published 2024-03-12. Volt Typhoon <img src=x onerror=alert(1)> targeted \
         water utilities in the United States & Canada.\n",
    );
    env.ok(&["index", "--quiet", "docs"]);
    env.ok(&[
        "report",
        "volt",
        "--out",
        "e.html",
        "--title",
        "<i>Mine</i> & yours",
    ]);
    let html = read(&env, "e.html");
    check_html(&html);
    assert!(!html.contains("<script>alert"));
    assert!(!html.contains("<img"));
    assert!(!html.contains("<i>Mine"));
    assert!(html.contains("&lt;i&gt;Mine&lt;/i&gt; &amp; yours"));
    assert!(
        html.contains("&lt;script&gt;"),
        "the title is shown, escaped"
    );
}

#[test]
fn markdown_report_has_the_tables() {
    let env = Env::with_corpus();
    env.ok(&[
        "report",
        "--out",
        "report.md",
        "--title",
        "Quarterly | review",
    ]);
    let md = read(&env, "report.md");
    assert!(md.starts_with("# Quarterly \\| review\n"), "{}", &md[..60]);
    let total = env.json(&["facets", "--by", "actor"])["total"]
        .as_u64()
        .unwrap();
    assert!(md.contains(&format!("| Reports | {total} |")), "{md}");
    assert!(md.contains(&format!("**{total} reports**")));
    for header in [
        "| actor | reports | share |",
        "| sector | reports | share |",
        "| country | reports | share |",
        "| origin | reports | share |",
        "| month | reports | share |",
        "| actor \\ sector |",
        "## Top reports",
    ] {
        assert!(md.contains(header), "missing {header}");
    }
    // Every table row has as many cells as its header.
    let mut cells = 0;
    for line in md.lines() {
        if !line.starts_with('|') {
            cells = 0;
            continue;
        }
        let n = line.replace("\\|", "").matches('|').count();
        if cells == 0 {
            cells = n;
        }
        assert_eq!(n, cells, "ragged table row {line:?}");
    }
    let listed: BTreeSet<&str> = md.lines().filter(|l| l.contains("](<file:///")).collect();
    assert_eq!(listed.len(), 10);
}

#[test]
fn empty_result_set_gives_an_honest_page() {
    let env = Env::with_corpus();
    let out = env.run(&["report", "nonexistentzzzword", "--out", "x.html"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = read(&env, "x.html");
    check_html(&html);
    assert!(html.contains("No reports match"));
    assert!(html.contains("nonexistentzzzword"));
    assert!(!html.contains("<svg"));

    env.ok(&["report", "nonexistentzzzword", "--out", "x.md"]);
    let md = read(&env, "x.md");
    assert!(md.contains("No reports match"), "{md}");
}

#[test]
fn bad_extension_is_a_usage_error() {
    let env = Env::with_corpus();
    for name in ["report.pdf", "report", "report.html.txt"] {
        let out = env.run(&["report", "--out", name]);
        assert_eq!(out.status.code(), Some(2), "{name}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(".html or .md"), "{err}");
        assert!(!env.dir.path().join(name).exists());
    }
    // An unknown filter value is a usage error too.
    let out = env.run(&["report", "--sector", "nosuchsector", "--out", "r.html"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn unwritable_output_fails_with_status_1() {
    let env = Env::with_corpus();
    let out = env.run(&["report", "--out", "no/such/dir/r.html"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("writing the report"));
}
