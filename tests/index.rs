//! End-to-end tests of `index` and `extract`: skipped files, incremental
//! re-runs, and the ingestion traps.

mod util;

use util::{corpus, skipped_reasons, strings, Env};

const PAGE: &str = r#"<!doctype html><html><head><meta charset="utf-8">
<title>North Korean hackers hit exchanges | Example News</title>
<meta property="article:published_time" content="2024-03-05T10:00:00Z">
<link rel="canonical" href="https://news.example.com/2024/03/05/nk-exchanges">
</head><body>
<nav><a href="/c/china">China</a> <a href="/a/kimsuky">Kimsuky</a> <a href="/s/energy">Energy</a></nav>
<article><h1>North Korean hackers hit exchanges</h1>
<p>North Korean operators tracked as Lazarus drained two cryptocurrency exchanges this week, investigators said, in a heist that again shows how the regime funds itself.</p>
<p>The attackers used fake job offers and trojanized trading apps, a pattern seen in earlier thefts attributed to the same group.</p>
</article>
<aside class="trending"><h3>Trending</h3><ul><li>Sandworm hits Ukrainian grid</li><li>Iran's MuddyWater returns</li></ul></aside>
<div id="comments"><p>Reader: what about APT29 in Germany?</p></div>
<footer>Copyright 2026 Example News</footer></body></html>"#;

#[test]
fn corpus_run_skips_empty_and_binary_and_ignores_other_files() {
    let env = Env::new();
    let c = corpus();
    let res = env.json(&["index", "--quiet", c.to_str().unwrap()]);
    let skipped = skipped_reasons(&res);
    assert!(
        skipped
            .iter()
            .any(|(p, r)| p.ends_with("empty.txt") && r.contains("empty")),
        "{skipped:?}"
    );
    assert!(
        skipped
            .iter()
            .any(|(p, r)| p.ends_with("broken-binary.html") && r.contains("binary")),
        "{skipped:?}"
    );
    assert!(!skipped
        .iter()
        .any(|(p, _)| p.ends_with(".json") || p.ends_with(".png")));
    // Every report of the corpus table (corpus/README.md), nothing else.
    let readme = std::fs::read_to_string(util::corpus().join("README.md")).unwrap();
    let reports = readme
        .lines()
        .filter(|l| {
            l.strip_prefix("| ")
                .and_then(|r| r.split(" |").next())
                .is_some_and(|cell| cell.contains('/') && !cell.contains(' '))
        })
        .count() as u64;
    assert!(reports >= 46, "{reports}");
    assert_eq!(res["indexed"].as_u64(), Some(reports));
    assert_eq!(res["removed"].as_u64(), Some(0));
    assert!(res["seconds"].as_f64().unwrap() >= 0.0);
}

#[test]
fn second_run_indexes_nothing_and_changes_are_picked_up() {
    let env = Env::new();
    let a = env.write("reports/a.html", PAGE);
    env.write(
        "reports/b.txt",
        "Kimsuky phishing\nDate: 2023-05-02\n\nKimsuky targeted think tanks in South Korea.",
    );
    env.write(
        "reports/c.md",
        "# Turla note\n\nPublished: 2021-09-01\n\nTurla used Kazuar against embassies.",
    );
    let first = env.json(&["index", "reports"]);
    assert_eq!(first["indexed"], 3);
    let again = env.json(&["index", "reports"]);
    assert_eq!(
        (
            again["indexed"].as_u64(),
            again["unchanged"].as_u64(),
            again["removed"].as_u64()
        ),
        (Some(0), Some(3), Some(0))
    );

    // Change one file, delete another, add a new one.
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(
        &a,
        PAGE.replace("two cryptocurrency", "three cryptocurrency"),
    )
    .unwrap();
    std::fs::remove_file(env.dir.path().join("reports/c.md")).unwrap();
    env.write(
        "reports/d.txt",
        "APT28 note\n2022-02-02\n\nFancy Bear phished ministries in Ukraine.",
    );
    let third = env.json(&["index", "reports"]);
    assert_eq!(
        (
            third["indexed"].as_u64(),
            third["unchanged"].as_u64(),
            third["removed"].as_u64()
        ),
        (Some(2), Some(1), Some(1))
    );
    assert_eq!(third["total"], 3);
    let turla = env.json(&["search", "kazuar"]);
    assert_eq!(turla["total"], 0, "documents of deleted files are gone");
    let three = env.json(&["search", "\"three cryptocurrency\""]);
    assert_eq!(three["total"], 1, "changed file re-indexed, once");
}

#[test]
fn page_chrome_gives_no_facets_and_metadata_is_found() {
    let env = Env::new();
    let p = env.write("nk.html", PAGE);
    let out = env.ok(&["extract", "--json", p.to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["title"], "North Korean hackers hit exchanges");
    assert_eq!(v["date"], "2024-03-05");
    assert_eq!(v["url"], "https://news.example.com/2024/03/05/nk-exchanges");
    assert_eq!(strings(&v["actors"]), vec!["Lazarus Group"]);
    assert_eq!(
        strings(&v["countries"]),
        vec!["KP"],
        "North Korean is KP; menu China and sidebar Ukraine, Iran, Germany ignored"
    );
    assert_eq!(strings(&v["origins"]), vec!["KP"]);
    assert_eq!(strings(&v["sectors"]), vec!["financial"]);
    let text = v["text"].as_str().unwrap();
    for chrome in ["Trending", "Sandworm", "Copyright", "APT29", "Energy"] {
        assert!(
            !text.contains(chrome),
            "{chrome:?} leaked into the text: {text}"
        );
    }
}

#[test]
fn windows_1252_page_is_decoded() {
    let env = Env::new();
    let mut page = b"<html><head><meta charset=\"windows-1252\"><title>Caf\xe9 hack</title></head><body><article>".to_vec();
    page.extend_from_slice(b"<p>The \x93Sofacy\x94 group \x96 also called APT28 \x96 hit a caf\xe9 chain\x92s payment network in France; losses reached \x80 2 million across several hundred stores.</p>");
    page.extend_from_slice(b"<p>Investigators said the intrusion began with a phishing e-mail and lasted several weeks before anybody noticed.</p></article></body></html>");
    let p = env.write("cp1252.html", &page);
    let out = env.ok(&["extract", "--json", p.to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    let text = v["text"].as_str().unwrap();
    assert!(text.contains("“Sofacy”"), "{text}");
    assert!(text.contains("café chain’s"), "{text}");
    assert!(text.contains("€ 2 million"), "{text}");
    assert_eq!(strings(&v["actors"]), vec!["APT28"]);
    assert_eq!(strings(&v["countries"]), vec!["FR"]);
}

#[test]
fn extract_reports_skips_as_json_lines() {
    let env = Env::new();
    let e = env.write("x/empty.txt", "");
    let b = env.write(
        "x/bin.html",
        [
            0u8, 159, 146, 150, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 0, 0,
        ],
    );
    let out = env.ok(&["extract", "--json", e.parent().unwrap().to_str().unwrap()]);
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert!(lines.iter().all(|l| l["skipped"].is_string()));
    assert!(b.exists());
}

#[test]
fn extract_text_is_what_index_stores() {
    let env = Env::new();
    let p = env.write("r/nk.html", PAGE);
    let out = env.ok(&["extract", "--json", p.to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    env.ok(&["index", "--quiet", "r"]);
    // A phrase spanning the whole text is found in the body field.
    let text = v["text"].as_str().unwrap();
    let last_words: Vec<&str> = text.split_whitespace().rev().take(4).collect();
    let phrase: Vec<&str> = last_words
        .into_iter()
        .rev()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .collect();
    let res = env.json(&["search", &format!("\"{}\"", phrase.join(" "))]);
    assert_eq!(res["total"], 1, "{phrase:?}");
}

#[test]
fn index_location_comes_from_flag_or_environment() {
    let env = Env::new();
    env.write("r/a.txt", "Turla report\n2020-01-01\n\nTurla again.");
    let custom = env.dir.path().join("elsewhere");
    let out = env
        .cmd(&["--index", custom.to_str().unwrap(), "index", "--quiet", "r"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(custom.join("meta.json").exists());
    assert!(
        !env.index_dir().exists(),
        "--index wins over THREATDEX_INDEX"
    );
}
