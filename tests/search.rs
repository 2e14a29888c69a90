//! End-to-end tests of `search` on the bundled corpus.

mod util;

use std::collections::BTreeSet;
use util::{strings, Env};

fn paths(v: &serde_json::Value) -> BTreeSet<String> {
    v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["path"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn phrase_search_ranks_and_highlights() {
    let env = Env::with_corpus();
    let res = env.json(&["search", "volt typhoon"]);
    let hits = res["hits"].as_array().unwrap();
    assert!(!hits.is_empty());
    assert_eq!(res["query"], "volt typhoon");
    for h in hits {
        assert!(
            strings(&h["actors"]).contains(&"Volt Typhoon".to_string()),
            "{h}"
        );
        assert!(h["score"].as_f64().unwrap() > 0.0);
    }
    // Scores are in descending order.
    let scores: Vec<f64> = hits.iter().map(|h| h["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    // The top hit's snippet highlights a query term.
    let top = &hits[0];
    let snippet = top["snippet"].as_str().unwrap();
    let marks = top["highlights"].as_array().unwrap();
    assert!(!marks.is_empty(), "no highlight in {snippet:?}");
    let r = marks[0].as_array().unwrap();
    let word = &snippet[r[0].as_u64().unwrap() as usize..r[1].as_u64().unwrap() as usize];
    assert!(!word.is_empty());
}

#[test]
fn alias_query_finds_reports_that_use_another_name() {
    let env = Env::with_corpus();
    let by_alias = paths(&env.json(&["search", "vanguard panda", "--limit", "100"]));
    let by_facet = paths(&env.json(&["search", "--actor", "Volt Typhoon", "--limit", "100"]));
    assert!(by_facet.len() >= 3, "{by_facet:?}");
    assert_eq!(by_alias, by_facet);
}

#[test]
fn actor_filter_takes_any_alias_and_dates_bound_it() {
    let env = Env::with_corpus();
    let res = env.json(&[
        "search",
        "--actor",
        "Vanguard Panda",
        "--since",
        "2024-01-01",
        "--limit",
        "100",
    ]);
    let hits = res["hits"].as_array().unwrap();
    assert!(!hits.is_empty());
    assert_eq!(res["total"].as_u64().unwrap() as usize, hits.len());
    for h in hits {
        assert!(strings(&h["actors"]).contains(&"Volt Typhoon".to_string()));
        assert!(h["date"].as_str().unwrap() >= "2024-01-01", "{h}");
        assert!(h["score"].is_null(), "no query: ordered by date");
    }
    let dates: Vec<&str> = hits.iter().map(|h| h["date"].as_str().unwrap()).collect();
    assert!(
        dates.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {dates:?}"
    );
    let until = env.json(&[
        "search",
        "--actor",
        "volt typhoon",
        "--until",
        "2023-12-31",
        "--limit",
        "100",
    ]);
    for h in until["hits"].as_array().unwrap() {
        assert!(h["date"].as_str().unwrap() <= "2023-12-31");
    }
}

#[test]
fn country_and_sector_filters_resolve_names() {
    let env = Env::with_corpus();
    let by_code = paths(&env.json(&["search", "--country", "KP", "--limit", "100"]));
    let by_name = paths(&env.json(&["search", "--country", "North Korea", "--limit", "100"]));
    assert!(!by_code.is_empty());
    assert_eq!(by_code, by_name);
    let water = env.json(&["search", "--sector", "Water", "--limit", "100"]);
    for h in water["hits"].as_array().unwrap() {
        assert!(strings(&h["sectors"]).contains(&"water".to_string()));
    }
}

#[test]
fn words_only_in_site_chrome_never_match() {
    let env = Env::with_corpus();
    // Every report naming an actor in its article carries the actor's facet,
    // so an alias query matching more documents than the facet would mean a
    // match in a menu, sidebar, footer or comment.
    for actor in [
        "Lazarus Group",
        "Kimsuky",
        "Sandworm Team",
        "APT28",
        "Turla",
    ] {
        let text = paths(&env.json(&["search", &format!("\"{actor}\""), "--limit", "100"]));
        let facet = paths(&env.json(&["search", "--actor", actor, "--limit", "100"]));
        assert_eq!(text, facet, "{actor}");
    }
    // Site chrome words that appear on every page of a template.
    for chrome in ["newsletter", "copyright", "subscribe"] {
        let res = env.json(&["search", chrome, "--limit", "100"]);
        assert!(
            res["total"].as_u64().unwrap() <= 2,
            "{chrome:?} matches {} reports: chrome leaked into the body",
            res["total"]
        );
    }
}

#[test]
fn boolean_syntax_and_exclusion() {
    let env = Env::with_corpus();
    let both = paths(&env.json(&["search", "telecommunications", "--limit", "100"]));
    let without = paths(&env.json(&["search", "telecommunications -china", "--limit", "100"]));
    assert!(without.is_subset(&both));
    assert!(without.len() < both.len());
    let either = paths(&env.json(&["search", "kimsuky OR lockbit", "--limit", "100"]));
    let k = paths(&env.json(&["search", "kimsuky", "--limit", "100"]));
    let l = paths(&env.json(&["search", "lockbit", "--limit", "100"]));
    assert_eq!(either, k.union(&l).cloned().collect());
}

#[test]
fn human_output_shows_title_path_and_snippet_without_colour_when_piped() {
    let env = Env::with_corpus();
    let out = env.ok(&["search", "earth estries", "--limit", "3"]);
    assert!(out.contains("corpus/") || out.contains("news/"), "{out}");
    assert!(out.contains("Salt Typhoon"), "{out}");
    assert!(!out.contains('\x1b'), "no colour when piped");
    assert!(out.contains("matching reports"));
}

#[test]
fn syntax_errors_and_bad_filters_are_usage_errors() {
    let env = Env::with_corpus();
    for args in [
        vec!["search", "\"unbalanced"],
        vec!["search", "--since", "2024-13-45"],
        vec!["search", "--actor", "No Such Group Anywhere"],
        vec!["search", "--country", "Atlantis"],
        vec!["search", "--sector", "astrology"],
        vec!["search", "--bogus-flag"],
        vec!["facets", "--by", "planet"],
    ] {
        let out = env.run(&args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!out.stderr.is_empty());
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn search_without_index_says_what_to_do() {
    let env = Env::new();
    let out = env.run(&["search", "lazarus"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("threatdex index"), "{err}");
}
