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

#[test]
fn script_outputs_paths_count_ndjson_and_date_order() {
    let env = Env::with_corpus();
    let full = env.json(&["search", "ransomware", "--limit", "1000"]);
    let total = full["total"].as_u64().unwrap() as usize;
    assert!(total > 3, "{total}");
    let ranked: Vec<String> = full["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["path"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ranked.len(), total);

    // --count: the number alone.
    let count = env.ok(&["search", "ransomware", "--count"]);
    assert_eq!(count, format!("{total}\n"));

    // -l: every matching path, in rank order, one per line, nothing else.
    let listed = env.ok(&["search", "ransomware", "-l"]);
    let listed: Vec<&str> = listed.lines().collect();
    assert_eq!(listed, ranked, "-l lists every match in rank order");
    let two = env.ok(&["search", "ransomware", "--files-with-matches", "-n", "2"]);
    assert_eq!(two.lines().collect::<Vec<_>>(), ranked[..2].to_vec());

    // ndjson: one hit object per line, the same hits as --json.
    let nd = env.ok(&["search", "ransomware", "--format", "ndjson", "-n", "5"]);
    let lines: Vec<serde_json::Value> = nd
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert_eq!(lines.len(), 5);
    for (line, hit) in lines.iter().zip(full["hits"].as_array().unwrap()) {
        assert_eq!(line, hit);
    }
    let as_json = env.ok(&["search", "ransomware", "--format", "json", "-n", "5"]);
    let via_flag = env.ok(&["search", "ransomware", "--json", "-n", "5"]);
    assert_eq!(as_json, via_flag);

    // --sort date: the same set, newest first, no scores.
    let by_date = env.json(&["search", "ransomware", "--sort", "date", "-n", "1000"]);
    let hits = by_date["hits"].as_array().unwrap();
    assert_eq!(paths(&by_date), paths(&full));
    let dates: Vec<&str> = hits.iter().filter_map(|h| h["date"].as_str()).collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
    let first_undated = hits.iter().position(|h| h["date"].is_null());
    if let Some(i) = first_undated {
        assert!(
            hits[i..].iter().all(|h| h["date"].is_null()),
            "undated last"
        );
    }
    assert!(hits.iter().all(|h| h["score"].is_null()));
    let scores: Vec<f64> = full["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["score"].as_f64().unwrap())
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]));

    // Output modes exclude each other; --sort score needs a query.
    for args in [
        vec!["search", "x", "--count", "-l"],
        vec!["search", "x", "--json", "--format", "ndjson"],
        vec!["search", "--sort", "score"],
        vec!["search", "x", "--sort", "size"],
    ] {
        let out = env.run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn any_limit_a_user_types_is_clamped_or_refused() {
    let env = Env::with_corpus();
    let all = env.json(&["search", "--limit", "100000"]);
    let total = all["total"].as_u64().unwrap() as usize;
    assert_eq!(all["hits"].as_array().unwrap().len(), total);
    for huge in ["18446744073709551615", "100000000000000", "4294967296"] {
        for query in [vec!["search", "ransomware"], vec!["search"]] {
            let mut args = query.clone();
            args.extend(["--limit", huge]);
            let res = env.json(&args);
            assert_eq!(
                res["hits"].as_array().unwrap().len(),
                res["total"].as_u64().unwrap() as usize,
                "{args:?}"
            );
        }
    }
    for bad in ["0", "-1", "18446744073709551616", "ten", ""] {
        let out = env.run(&["search", "ransomware", "--limit", bad]);
        assert_eq!(out.status.code(), Some(2), "--limit {bad:?}");
        assert!(out.stdout.is_empty());
        assert!(!out.stderr.is_empty());
    }
    let one = env.json(&["search", "ransomware", "-n", "1"]);
    assert_eq!(one["hits"].as_array().unwrap().len(), 1);
}

#[test]
fn trailing_star_is_a_prefix_and_other_wildcards_are_refused() {
    let env = Env::with_corpus();
    let volt = paths(&env.json(&["search", "volt", "--limit", "100"]));
    let prefixed = env.json(&["search", "volt*", "--limit", "100"]);
    let prefixed_paths = paths(&prefixed);
    assert!(!volt.is_empty());
    // "volt*" also finds Voltzite, so it finds at least what "volt" finds.
    assert!(
        volt.is_subset(&prefixed_paths),
        "{volt:?} ⊄ {prefixed_paths:?}"
    );
    assert!(prefixed_paths.len() > volt.len(), "Voltzite reports too");
    // A prefix in a phrase, and one field.
    let phrase = paths(&env.json(&["search", "\"volt typh\"*", "--limit", "100"]));
    let exact = paths(&env.json(&["search", "\"volt typhoon\"", "--limit", "100"]));
    assert!(!phrase.is_empty());
    assert!(exact.is_subset(&phrase) || phrase.is_subset(&exact));
    let title = paths(&env.json(&["search", "title:voltz*", "--limit", "100"]));
    assert!(!title.is_empty() && title.is_subset(&prefixed_paths));
    for refused in ["*volt", "vo*lt", "v*", "/etc/passwd"] {
        let out = env.run(&["search", refused]);
        assert_eq!(out.status.code(), Some(2), "{refused}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("supported") || err.contains("prefix"), "{err}");
    }
}

#[test]
fn a_query_without_hits_suggests_near_terms_and_actors() {
    let env = Env::with_corpus();
    let out = env.run(&["search", "volt typhon"]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("did you mean"), "{err}");
    assert!(err.contains("Volt Typhoon"), "{err}");
    let out = env.run(&["search", "ransomwre", "--count"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "0\n");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("ransomwar"), "{err}");
    // A query with hits prints no suggestion.
    let out = env.run(&["search", "volt typhoon"]);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("did you mean"));
}

/// The highlighted words of every hit.
fn highlighted(res: &serde_json::Value) -> Vec<(String, Vec<String>)> {
    res["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            let s = h["snippet"].as_str().unwrap();
            let words = h["highlights"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| {
                    let r = r.as_array().unwrap();
                    s[r[0].as_u64().unwrap() as usize..r[1].as_u64().unwrap() as usize].to_string()
                })
                .collect();
            (s.to_string(), words)
        })
        .collect()
}

#[test]
fn snippets_show_the_typed_words_and_never_mark_a_lone_common_alias_word() {
    let env = Env::with_corpus();
    // Every hit whose text holds the typed name shows it in its snippet,
    // even when the text also lists the actor's other names.
    let res = env.json(&["search", "volt typhoon", "--limit", "100"]);
    let hits = res["hits"].as_array().unwrap();
    let mut checked = 0;
    for (h, (snippet, words)) in hits.iter().zip(highlighted(&res)) {
        let path = h["path"].as_str().unwrap();
        let source = util::corpus().join(path.trim_start_matches("corpus/"));
        let extracted = env.ok(&["extract", "--json", source.to_str().unwrap()]);
        let text: serde_json::Value =
            serde_json::from_str(extracted.lines().next().unwrap()).unwrap();
        if !text["text"].as_str().unwrap_or("").contains("Volt Typhoon") {
            continue;
        }
        checked += 1;
        assert!(snippet.contains("Volt Typhoon"), "{path}: {snippet}");
        assert!(words.iter().any(|w| w == "Volt"), "{path}: {words:?}");
    }
    assert!(
        checked >= 1,
        "{checked} hits name Volt Typhoon in their text"
    );

    // Words of multi-word aliases that are ordinary words are highlighted
    // only next to another highlighted word.
    for q in [
        "volt typhoon",
        "fancy bear",
        "vanguard panda",
        "salt typhoon",
        "lazarus",
    ] {
        let res = env.json(&["search", q, "--limit", "100"]);
        for h in res["hits"].as_array().unwrap() {
            let s = h["snippet"].as_str().unwrap();
            let ranges: Vec<(usize, usize)> = h["highlights"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| {
                    let r = r.as_array().unwrap();
                    (
                        r[0].as_u64().unwrap() as usize,
                        r[1].as_u64().unwrap() as usize,
                    )
                })
                .collect();
            for (i, &(a, b)) in ranges.iter().enumerate() {
                let word = s[a..b].to_lowercase();
                let common = ["threat", "group", "groups", "bear", "team", "spider"];
                if !common.contains(&word.as_str()) || q.contains(word.as_str()) {
                    continue;
                }
                let joined = |x: (usize, usize), y: (usize, usize)| {
                    x.1 <= y.0 && s[x.1..y.0].chars().all(|c| !c.is_alphanumeric())
                };
                let next_to = (i > 0 && joined(ranges[i - 1], (a, b)))
                    || ranges.get(i + 1).is_some_and(|&n| joined((a, b), n));
                assert!(next_to, "{q}: lone {word:?} highlighted in {s:?}");
            }
        }
    }
}

#[test]
fn compound_and_split_names_find_each_other() {
    let env = Env::new();
    let files = [
        ("r/joined.txt", "Advisory\n\nAttackers exploit CitrixBleed on NetScaler appliances; PrintNightmare too."),
        ("r/split.txt", "Advisory\n\nThe Citrix Bleed flaw leaks session tokens. Print Nightmare again."),
        ("r/log4j2.txt", "Advisory\n\nA Log4j2 deserialization flaw in Apache products."),
        ("r/log4j.txt", "Advisory\n\nApache Log4j remote code execution."),
        ("r/lockbit30.txt", "Advisory\n\nLockBit 3.0 affiliates deploy ransomware."),
        ("r/lockbit.txt", "Advisory\n\nThe Lockbit gang leaked files."),
        ("r/lumma.txt", "Advisory\n\nLummaC2 steals browser data."),
        ("r/plain.txt", "Advisory\n\nA citrix appliance and a nosebleed; the printer queue was a nightmare."),
    ];
    for (p, text) in files {
        env.write(p, text);
    }
    env.ok(&["index", "-q", "r"]);
    let find = |q: &str| -> BTreeSet<String> {
        env.ok(&["search", q, "-l"])
            .lines()
            .map(|l| l.rsplit('/').next().unwrap().to_string())
            .collect()
    };
    let set =
        |names: &[&str]| -> BTreeSet<String> { names.iter().map(|s| s.to_string()).collect() };
    let both = set(&["joined.txt", "split.txt"]);
    assert_eq!(find("citrix bleed"), both);
    assert_eq!(find("\"citrix bleed\""), both);
    assert_eq!(find("citrixbleed"), both);
    assert_eq!(find("CitrixBleed"), both);
    assert_eq!(find("printnightmare"), both);
    assert_eq!(find("print nightmare"), both);
    assert_eq!(find("log4j"), set(&["log4j.txt", "log4j2.txt"]));
    assert_eq!(find("log4j2"), set(&["log4j.txt", "log4j2.txt"]));
    assert_eq!(find("lockbit"), set(&["lockbit.txt", "lockbit30.txt"]));
    assert_eq!(find("lockbit 3.0"), set(&["lockbit.txt", "lockbit30.txt"]));
    let ranked = env.ok(&["search", "lockbit 3.0", "-l"]);
    assert!(ranked.starts_with("r/lockbit30.txt"), "{ranked}");
    assert_eq!(find("lumma"), set(&["lumma.txt"]));
    // Ordinary words are not split or joined: "citrix" alone is in both
    // compound reports and the plain one, "nightmare" only where written.
    assert_eq!(
        find("citrix"),
        set(&["joined.txt", "split.txt", "plain.txt"])
    );
    assert_eq!(find("bleed"), both);
    assert!(find("nosebleed").contains("plain.txt"));
    assert!(!find("bleed").contains("plain.txt"));
}
