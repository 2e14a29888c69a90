//! End-to-end tests of the PDF, feed and JSON Lines formats: search, facets,
//! indicators, the `format` field, incremental re-indexing of a changed PDF
//! and of a grown feed, and hostile PDFs skipped with their reasons.

mod util;

use std::io::Write;
use std::path::Path;
use util::{corpus, skipped_reasons, strings, Env};

/// The bundled corpus's file `rel`, read.
fn corpus_file(rel: &str) -> Vec<u8> {
    std::fs::read(corpus().join(rel)).unwrap()
}

/// The hits of a search, as (file name, format, title) triples.
fn hits(env: &Env, args: &[&str]) -> Vec<(String, String, String)> {
    let res = env.json(args);
    res["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            let path = h["path"].as_str().unwrap();
            (
                Path::new(path)
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                h["format"].as_str().unwrap().to_string(),
                h["title"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn pdf_report_is_searchable_with_metadata_facets_and_indicators() {
    let env = Env::new();
    env.write(
        "r/sandworm.pdf",
        corpus_file("pdf/2024-05-14-sandworm-grid-wiper.pdf"),
    );
    let res = env.json(&["index", "r"]);
    assert_eq!(res["indexed"], 1, "{res}");
    let found = env.json(&["search", "GRIDFALL"]);
    assert_eq!(found["total"], 1, "{found}");
    let hit = &found["hits"][0];
    assert_eq!(hit["format"], "pdf");
    // The Info dictionary's title, the metadata's date.
    assert_eq!(
        hit["title"],
        "Sandworm Returns to the Grid: A Wiper Campaign Against Ukrainian Energy Providers"
    );
    assert_eq!(hit["date"], "2024-05-14");
    assert_eq!(strings(&hit["actors"]), vec!["Sandworm Team"]);
    assert!(strings(&hit["countries"]).contains(&"UA".to_string()));
    assert!(strings(&hit["cves"]).contains(&"CVE-2024-21887".to_string()));
    // The IOC table of the appendix comes through, one row per line.
    for ioc in [
        "203.0.113.45",
        "grid-status-update.net",
        "9e107d9d372bb6826bd81d3542a419d6",
    ] {
        assert_eq!(env.json(&["search", "--ioc", ioc])["total"], 1, "{ioc}");
    }
    let extract = env.json(&["extract", "r/sandworm.pdf"]);
    let text = extract.to_string();
    // Hyphenated line ends joined, ligatures unfolded, columns in order.
    assert!(text.contains("confidence to Sandworm"), "{text}");
    assert!(text.contains("maintenance windows"), "{text}");
    assert!(!text.contains('\u{fb01}'), "ligature left: {text}");
    let col1 = text.find("contained most of the damage").unwrap();
    let col2 = text.find("Its configuration is appended").unwrap();
    assert!(col1 < col2, "left column first: {text}");
    assert!(!text.contains("Page 1"), "page footer kept: {text}");
}

#[test]
fn pdf_without_title_metadata_takes_title_and_date_from_its_first_page() {
    let env = Env::new();
    env.write(
        "r/advisory.pdf",
        corpus_file("pdf/2025-02-03-volt-typhoon-routers.pdf"),
    );
    env.ok(&["index", "r"]);
    let found = env.json(&["search", "ntdsutil"]);
    let hit = &found["hits"][0];
    assert_eq!(hit["title"], "Volt Typhoon Keeps Using End-of-Life Routers");
    // The date printed on the cover, not the later CreationDate of the file.
    assert_eq!(hit["date"], "2025-02-03");
    assert_eq!(strings(&hit["actors"]), vec!["Volt Typhoon"]);
}

#[test]
fn changed_pdf_is_reindexed_once() {
    let env = Env::new();
    let p = env.write(
        "r/report.pdf",
        corpus_file("pdf/2024-05-14-sandworm-grid-wiper.pdf"),
    );
    env.ok(&["index", "r"]);
    let again = env.json(&["index", "r"]);
    assert_eq!(again["indexed"], 0);
    assert_eq!(again["unchanged"], 1);
    std::fs::write(&p, corpus_file("pdf/2025-02-03-volt-typhoon-routers.pdf")).unwrap();
    let changed = env.json(&["index", "r"]);
    assert_eq!(changed["indexed"], 1, "{changed}");
    assert_eq!(changed["total"], 1, "{changed}");
    assert_eq!(env.json(&["search", "GRIDFALL"])["total"], 0);
    assert_eq!(env.json(&["search", "ntdsutil"])["total"], 1);
}

/// An RSS feed of `items` (guid, title, text, date).
fn rss(items: &[(&str, &str, &str, &str)]) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title>\
         <link>https://feed.example/</link>",
    );
    for (guid, title, text, date) in items {
        s.push_str(&format!(
            "<item><guid>{guid}</guid><title>{title}</title>\
             <link>https://feed.example/{guid}</link><pubDate>{date}</pubDate>\
             <description>&lt;p&gt;{text}&lt;/p&gt;</description></item>"
        ));
    }
    s.push_str("</channel></rss>");
    s
}

#[test]
fn feed_entries_are_documents_and_snapshots_do_not_duplicate() {
    let env = Env::new();
    let a = (
        "a",
        "Kimsuky mails think tanks",
        "Kimsuky sent lures to policy experts in South Korea.",
        "Tue, 05 Mar 2024 10:00:00 GMT",
    );
    let b = (
        "b",
        "Turla reuses Kazuar",
        "Turla deployed Kazuar against embassies in Europe.",
        "Wed, 06 Mar 2024 10:00:00 GMT",
    );
    let c = (
        "c",
        "APT28 exploits routers",
        "APT28 abused a router flaw against government networks.",
        "Thu, 07 Mar 2024 10:00:00 GMT",
    );
    let feed = env.write("feeds/news.xml", rss(&[a, b]));
    let first = env.json(&["index", "feeds"]);
    assert_eq!(first["indexed"], 2, "{first}");
    let kimsuky = env.json(&["search", "Kimsuky"]);
    assert_eq!(kimsuky["total"], 1);
    let hit = &kimsuky["hits"][0];
    assert_eq!(hit["format"], "feed");
    assert_eq!(hit["url"], "https://feed.example/a");
    assert_eq!(hit["date"], "2024-03-05");
    assert_eq!(hit["title"], "Kimsuky mails think tanks");

    // The feed grows: a new entry on top, the old ones again.
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(&feed, rss(&[c, a, b])).unwrap();
    let grown = env.json(&["index", "feeds"]);
    assert_eq!(grown["total"], 3, "{grown}");
    assert_eq!(env.json(&["search", "Kimsuky"])["total"], 1);

    // A second snapshot file of the same feed: its entries are the same
    // documents, not duplicates.
    env.write("feeds/news-2024-03-08.xml", rss(&[c, a]));
    let snap = env.json(&["index", "feeds"]);
    assert_eq!(snap["total"], 3, "{snap}");
    assert_eq!(env.json(&["search", "APT28"])["total"], 1);

    // The first file goes: entries still in the other snapshot stay, the
    // one only it held goes with it.
    std::fs::remove_file(&feed).unwrap();
    let gone = env.json(&["index", "feeds"]);
    assert_eq!(gone["total"], 2, "{gone}");
    assert_eq!(env.json(&["search", "Kimsuky"])["total"], 1);
    assert_eq!(env.json(&["search", "Kazuar"])["total"], 0);
    let facets = env.json(&["facets", "--by", "actor"]);
    let actors: Vec<String> = facets["facets"]["actor"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["value"].as_str().unwrap().to_string())
        .collect();
    assert!(actors.contains(&"Kimsuky".to_string()), "{actors:?}");
    assert!(!actors.contains(&"Turla".to_string()), "{actors:?}");
}

#[test]
fn xml_that_is_not_a_feed_is_skipped_with_a_reason() {
    let env = Env::new();
    env.write(
        "r/sitemap.xml",
        "<?xml version=\"1.0\"?><urlset><url><loc>https://x.example/</loc></url></urlset>",
    );
    env.write("r/data.json", "{\"a\": 1}");
    let res = env.json(&["index", "r"]);
    let skipped = skipped_reasons(&res);
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    assert!(skipped[0].0.ends_with("sitemap.xml"));
    assert!(skipped[0].1.contains("not a feed"), "{skipped:?}");
}

#[test]
fn json_lines_default_and_custom_mapping() {
    let env = Env::new();
    env.write(
        "s/a.jsonl",
        concat!(
            r#"{"url":"https://w.example/1","title":"One","date":"2024-02-01","text":"Lazarus Group stole funds from an exchange."}"#,
            "\n{broken\n",
            r#"{"url":"https://w.example/2","title":"Two","date":"2024-02-02","text":"APT29 phished diplomats."}"#,
            "\n"
        ),
    );
    let res = env.json(&["index", "s"]);
    assert_eq!(res["indexed"], 2, "{res}");
    let skipped = skipped_reasons(&res);
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    assert!(
        skipped[0].1.starts_with("line 2: invalid JSON"),
        "{skipped:?}"
    );
    let got = hits(&env, &["search", "diplomats"]);
    assert_eq!(got, vec![("a.jsonl".into(), "jsonl".into(), "Two".into())]);

    let env = Env::new();
    env.write(
        "s/b.ndjson",
        r#"{"headline":"Mapped","meta":{"day":"2023-07-04"},"body":{"plain":"Volt Typhoon hid in routers."}}"#,
    );
    env.ok(&[
        "index",
        "s",
        "--jsonl-map",
        "title=headline,date=meta.day,text=body.plain",
    ]);
    let res = env.json(&["search", "routers"]);
    assert_eq!(res["hits"][0]["title"], "Mapped");
    assert_eq!(res["hits"][0]["date"], "2023-07-04");
    let bad = env.run(&["index", "s", "--jsonl-map", "colour=x"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown field"));
}

#[test]
fn grown_json_lines_file_keeps_one_document_per_record() {
    let env = Env::new();
    let line1 = r#"{"id":"r1","title":"First","text":"Sandworm hit substations."}"#;
    let line2 = r#"{"id":"r2","title":"Second","text":"Gamaredon mailed lures."}"#;
    let p = env.write("s/feed.jsonl", format!("{line1}\n"));
    env.ok(&["index", "s"]);
    std::fs::write(&p, format!("{line1}\n{line2}\n")).unwrap();
    let res = env.json(&["index", "s"]);
    assert_eq!(res["total"], 2, "{res}");
    assert_eq!(env.json(&["search", "substations"])["total"], 1);
}

/// A PDF file of the given objects (numbered from 1, the first the
/// catalog), with a correct cross-reference table.
fn pdf(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        writeln!(out, "{} 0 obj", i + 1).unwrap();
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    writeln!(out, "xref\n0 {}\n0000000000 65535 f ", objects.len() + 1).unwrap();
    for o in offsets {
        writeln!(out, "{o:010} 00000 n ").unwrap();
    }
    writeln!(
        out,
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF",
        objects.len() + 1
    )
    .unwrap();
    out
}

/// A one-page PDF whose page content stream is `content` (with `filter`).
fn one_page(content: &[u8], filter: &str, resources: &str) -> Vec<u8> {
    let mut stream = format!("<< /Length {} {filter} >>\nstream\n", content.len()).into_bytes();
    stream.extend_from_slice(content);
    stream.extend_from_slice(b"\nendstream");
    pdf(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources {resources} >>"
        )
        .into_bytes(),
        stream,
    ])
}

#[test]
fn hostile_pdfs_are_skipped_with_reasons_and_the_run_goes_on() {
    let env = Env::new();
    let good = corpus_file("pdf/2024-05-14-sandworm-grid-wiper.pdf");
    env.write("h/good.pdf", &good);
    env.write("h/truncated.pdf", &good[..good.len() * 2 / 5]);
    // Every cross-reference offset points at the wrong place.
    let mut bad_xref = good.clone();
    if let Some(at) = bad_xref.windows(5).rposition(|w| w == b"xref\n") {
        for b in bad_xref[at + 5..].iter_mut().take(400) {
            if b.is_ascii_digit() {
                *b = b'7';
            }
        }
    }
    env.write("h/bad-xref.pdf", &bad_xref);
    env.write(
        "h/not-a-pdf.pdf",
        b"<html>this is a web page saved as .pdf</html>",
    );
    env.write("h/empty.pdf", b"");
    // A page whose resources nest arrays a million deep.
    let deep = format!("{}{}", "[".repeat(1_000_000), "]".repeat(1_000_000));
    env.write("h/deep.pdf", one_page(b"BT ET", "", &deep));
    // A content stream that inflates to 1 GiB of zeros.
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    let chunk = vec![0u8; 1 << 20];
    for _ in 0..1024 {
        z.write_all(&chunk).unwrap();
    }
    env.write(
        "h/bomb.pdf",
        one_page(&z.finish().unwrap(), "/Filter /FlateDecode", "<< >>"),
    );
    // A scanned page: one image, no text.
    env.write(
        "h/scanned.pdf",
        pdf(&[
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /XObject << /Im1 5 0 R >> >> >>".to_vec(),
            b"<< /Length 31 >>\nstream\nq 612 0 0 792 0 0 cm /Im1 Do Q\nendstream".to_vec(),
            b"<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 4 >>\nstream\n\x00\xff\xff\x00\nendstream".to_vec(),
        ]),
    );
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for f in [
        "encrypted-user-password.pdf",
        "encrypted-empty-password.pdf",
    ] {
        env.write(&format!("h/{f}"), std::fs::read(fixtures.join(f)).unwrap());
    }

    // `extract` reads every one of them without stopping (PDFs in a child
    // process, as `index` reads them): one line each, read or skipped.
    let out = env.ok(&["extract", "--json", "h", "--pdf-timeout", "20"]);
    assert_eq!(out.lines().count(), 10, "{out}");
    for line in out.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(
            v.get("text").is_some() || v.get("skipped").is_some(),
            "{line}"
        );
    }

    let res = env.json(&["index", "h", "--pdf-timeout", "20"]);
    let skipped = skipped_reasons(&res);
    let reason = |name: &str| -> Option<String> {
        skipped
            .iter()
            .find(|(p, _)| p.ends_with(&format!("/{name}")))
            .map(|(_, r)| r.clone())
    };
    // Every file is either indexed or skipped with a reason.
    let indexed = hits(&env, &["search", "--limit", "100"]);
    let names: Vec<&str> = indexed.iter().map(|h| h.0.as_str()).collect();
    for f in [
        "good.pdf",
        "truncated.pdf",
        "bad-xref.pdf",
        "not-a-pdf.pdf",
        "empty.pdf",
        "deep.pdf",
        "bomb.pdf",
        "scanned.pdf",
        "encrypted-user-password.pdf",
        "encrypted-empty-password.pdf",
    ] {
        let r = reason(f);
        assert!(
            names.contains(&f) != r.is_some(),
            "{f}: indexed {} / skipped {r:?}",
            names.contains(&f)
        );
        if let Some(r) = r {
            assert!(!r.trim().is_empty(), "{f}");
        }
    }
    assert!(names.contains(&"good.pdf"));
    assert!(
        names.contains(&"encrypted-empty-password.pdf"),
        "empty user password opens: {skipped:?}"
    );
    assert!(reason("encrypted-user-password.pdf")
        .unwrap()
        .contains("encrypted"));
    assert!(reason("scanned.pdf").unwrap().contains("no text layer"));
    assert!(reason("not-a-pdf.pdf").unwrap().contains("malformed"));
    assert!(reason("empty.pdf").unwrap().contains("empty"));
    for f in ["deep.pdf", "bomb.pdf"] {
        assert!(!names.contains(&f), "{f} gave a document");
    }
}
