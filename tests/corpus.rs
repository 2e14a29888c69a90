//! Checks the index built from `corpus/` against the expected-facets table in
//! `corpus/README.md`: every file's actors, countries, sectors and date.

mod util;

use std::collections::{BTreeMap, BTreeSet};
use util::{corpus, strings, Env};

#[derive(Debug, PartialEq, Eq)]
struct Row {
    date: String,
    actors: BTreeSet<String>,
    countries: BTreeSet<String>,
    sectors: BTreeSet<String>,
}

fn set(cell: &str) -> BTreeSet<String> {
    if cell.trim() == "-" {
        return BTreeSet::new();
    }
    cell.split(';')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Reads the table of `corpus/README.md`.
fn expected() -> BTreeMap<String, Row> {
    let readme = std::fs::read_to_string(corpus().join("README.md")).unwrap();
    let mut rows = BTreeMap::new();
    for line in readme.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let listed = ["news/", "notes/", "pdf/", "feeds/", "scraped/"]
            .iter()
            .any(|d| cells.get(1).is_some_and(|c| c.starts_with(d)));
        if cells.len() != 7 || !listed {
            continue;
        }
        rows.insert(
            cells[1].to_string(),
            Row {
                date: cells[2].to_string(),
                actors: set(cells[3]),
                countries: set(cells[4]),
                sectors: set(cells[5]),
            },
        );
    }
    rows
}

#[test]
fn index_matches_the_expected_table() {
    let expected = expected();
    assert!(
        expected.len() >= 40,
        "the table lists {} files",
        expected.len()
    );
    let env = Env::with_corpus();
    let res = env.json(&["search", "--limit", "1000"]);
    let corpus_dir = corpus().canonicalize().unwrap();
    let mut got = BTreeMap::new();
    for hit in res["hits"].as_array().unwrap() {
        let path = std::path::Path::new(hit["path"].as_str().unwrap());
        let mut rel = path
            .strip_prefix(&corpus_dir)
            .unwrap_or(path)
            .display()
            .to_string();
        // A feed entry or a JSON line: its file and its URL.
        if matches!(hit["format"].as_str(), Some("feed" | "jsonl")) {
            rel = format!("{rel}#{}", hit["url"].as_str().unwrap_or(""));
        }
        got.insert(
            rel,
            Row {
                date: hit["date"].as_str().unwrap_or("none").to_string(),
                actors: strings(&hit["actors"]).into_iter().collect(),
                countries: strings(&hit["countries"]).into_iter().collect(),
                sectors: strings(&hit["sectors"]).into_iter().collect(),
            },
        );
    }
    let expected_files: Vec<&String> = expected.keys().collect();
    let got_files: Vec<&String> = got.keys().collect();
    eqnice!(expected_files, got_files, "indexed files");
    let mut failures = Vec::new();
    for (file, want) in &expected {
        let have = &got[file];
        if want != have {
            failures.push(format!("{file}\n  expected {want:?}\n  got      {have:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} rows differ:\n{}",
        failures.len(),
        expected.len(),
        failures.join("\n")
    );
}
