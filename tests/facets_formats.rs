//! The shape of every `facets` output format on the bundled corpus, the
//! invariants of cross-tabs, gap-free time buckets, and that every filter of
//! `search` restricts the counts. Written against invariants, not against
//! today's exact numbers.

mod util;

use serde_json::Value;
use std::collections::BTreeMap;
use util::{corpus, Env};

/// Value → count of one facet of a `facets --json` answer.
fn counts(res: &Value, field: &str) -> BTreeMap<String, u64> {
    res["facets"][field]
        .as_array()
        .unwrap_or_else(|| panic!("no facet {field} in {res}"))
        .iter()
        .map(|v| {
            (
                v["value"].as_str().unwrap().to_string(),
                v["count"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn total(res: &Value) -> u64 {
    res["total"].as_u64().expect("total")
}

/// Splits one CSV record (RFC 4180 quoting).
fn csv_record(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(std::mem::take(&mut cur)),
            (c, _) => cur.push(c),
        }
    }
    out.push(cur);
    out
}

#[test]
fn json_has_the_core_contract() {
    let env = Env::with_corpus();
    let res = env.json(&["facets", "--by", "actor", "--by", "sector"]);
    let obj = res.as_object().unwrap();
    assert!(obj["total"].is_u64());
    assert!(!obj.contains_key("cross"), "no cross without --cross");
    let facets = obj["facets"].as_object().unwrap();
    assert_eq!(facets.keys().collect::<Vec<_>>(), ["actor", "sector"]);
    for list in facets.values() {
        let list = list.as_array().unwrap();
        assert!(!list.is_empty() && list.len() <= 10, "--top 10 by default");
        for v in list {
            let o = v.as_object().unwrap();
            assert_eq!(o.keys().collect::<Vec<_>>(), ["count", "value"], "{v}");
            assert!(o["value"].is_string());
            let n = o["count"].as_u64().unwrap();
            assert!(n >= 1 && n <= total(&res));
        }
        let ns: Vec<u64> = list.iter().map(|v| v["count"].as_u64().unwrap()).collect();
        assert!(ns.windows(2).all(|w| w[0] >= w[1]), "most frequent first");
    }
}

#[test]
fn json_cross_has_rows_columns_and_counts() {
    let env = Env::with_corpus();
    let res = env.json(&["facets", "--cross", "actor,sector", "--top", "5"]);
    let cross = &res["cross"];
    let rows = cross["rows"].as_array().unwrap();
    let cols = cross["columns"].as_array().unwrap();
    let cells = cross["counts"].as_array().unwrap();
    assert!(!rows.is_empty() && rows.len() <= 5);
    assert!(!cols.is_empty() && cols.len() <= 5);
    assert!(rows.iter().chain(cols).all(Value::is_string));
    assert_eq!(cells.len(), rows.len());
    for row in cells {
        let row = row.as_array().unwrap();
        assert_eq!(row.len(), cols.len());
        assert!(row.iter().all(Value::is_u64));
    }
    assert_eq!(cross["rows_field"], "actor");
    assert_eq!(cross["columns_field"], "sector");
    // With --cross only, no single-facet tables are added.
    assert!(res["facets"].as_object().unwrap().is_empty());
}

#[test]
fn csv_rows_match_json() {
    let env = Env::with_corpus();
    let args = [
        "facets",
        "--by",
        "actor",
        "--by",
        "country",
        "--cross",
        "actor,sector",
    ];
    let json = env.json(&args);
    let csv = env.ok(&[&args[..], &["--csv"]].concat());
    let mut blocks = csv.split("\n\n");
    let facets = blocks.next().unwrap();
    let mut lines = facets.lines();
    assert_eq!(lines.next(), Some("field,value,count"));
    let mut seen: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    for line in lines {
        let rec = csv_record(line);
        assert_eq!(rec.len(), 3, "{line:?}");
        let n: u64 = rec[2].parse().unwrap();
        seen.entry(rec[0].clone())
            .or_default()
            .insert(rec[1].clone(), n);
    }
    assert_eq!(seen["actor"], counts(&json, "actor"));
    assert_eq!(seen["country"], counts(&json, "country"));
    let cross = blocks.next().expect("cross block after a blank line");
    let mut lines = cross.lines();
    let header = csv_record(lines.next().unwrap());
    assert_eq!(header[0], "actor\\sector");
    let cols: Vec<String> = json["cross"]["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect();
    assert_eq!(header[1..], cols[..]);
    let rows: Vec<Vec<String>> = lines.map(csv_record).collect();
    assert_eq!(rows.len(), json["cross"]["rows"].as_array().unwrap().len());
    for (r, row) in rows.iter().enumerate() {
        assert_eq!(row[0], json["cross"]["rows"][r]);
        for (c, cell) in row[1..].iter().enumerate() {
            assert_eq!(cell.parse::<u64>().unwrap(), json["cross"]["counts"][r][c]);
        }
    }
    assert!(blocks.next().is_none());
}

#[test]
fn markdown_tables_match_json() {
    let env = Env::with_corpus();
    let args = [
        "facets",
        "--by",
        "sector",
        "--cross",
        "actor,sector",
        "--top",
        "4",
    ];
    let json = env.json(&args);
    let md = env.ok(&[&args[..], &["--markdown"]].concat());
    let mut lines = md.lines();
    assert_eq!(
        lines.next(),
        Some(format!("**{} reports**", total(&json)).as_str())
    );
    assert_eq!(lines.next(), Some(""));
    assert_eq!(lines.next(), Some("| sector | reports | share |"));
    assert_eq!(lines.next(), Some("|---|---:|---:|"));
    let sectors = counts(&json, "sector");
    for _ in 0..sectors.len() {
        let line = lines.next().unwrap();
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        assert_eq!(cells.len(), 3, "{line}");
        assert_eq!(sectors[cells[0]], cells[1].parse::<u64>().unwrap());
        assert!(cells[2].ends_with('%'));
    }
    assert_eq!(lines.next(), Some(""));
    let header = lines.next().unwrap();
    assert!(header.starts_with("| actor \\ sector |"), "{header}");
    let rule = lines.next().unwrap();
    assert_eq!(
        rule.matches("---:").count(),
        json["cross"]["columns"].as_array().unwrap().len()
    );
    assert_eq!(
        lines.count(),
        json["cross"]["rows"].as_array().unwrap().len()
    );
}

#[test]
fn default_table_lists_values_and_counts() {
    let env = Env::with_corpus();
    let json = env.json(&["facets", "--by", "actor", "--by", "origin"]);
    let out = env.ok(&["facets", "--by", "actor", "--by", "origin"]);
    let mut lines = out.lines();
    assert_eq!(
        lines.next(),
        Some(format!("{} matching reports", total(&json)).as_str())
    );
    assert!(!out.contains('\x1b'), "no colour when not on a terminal");
    for field in ["actor", "origin"] {
        let section = out
            .split(&format!("\n\n{field}\n"))
            .nth(1)
            .unwrap_or_else(|| panic!("no {field} section in\n{out}"));
        let rows: Vec<&str> = section.lines().take_while(|l| !l.is_empty()).collect();
        let expected = counts(&json, field);
        assert_eq!(rows.len(), expected.len());
        for row in rows {
            assert!(row.starts_with("  "), "{row:?}");
            let (value, n) = expected
                .iter()
                .find(|(v, _)| row.trim_start().starts_with(v.as_str()))
                .unwrap_or_else(|| panic!("unexpected row {row:?}"));
            let rest = row.trim_start()[value.len()..].trim_start();
            assert!(rest.starts_with(&n.to_string()), "{row:?}");
            assert!(rest.contains('█'), "bar in {row:?}");
        }
    }
}

#[test]
fn cross_cells_are_bounded_by_single_facet_counts() {
    let env = Env::with_corpus();
    let single = env.json(&["facets", "--by", "actor", "--by", "sector", "--top", "100"]);
    let actors = counts(&single, "actor");
    let sectors = counts(&single, "sector");
    let res = env.json(&["facets", "--cross", "actor,sector", "--top", "100"]);
    let cross = &res["cross"];
    let rows = cross["rows"].as_array().unwrap();
    let cols = cross["columns"].as_array().unwrap();
    assert_eq!(rows.len(), actors.len(), "--top 100 keeps every actor");
    assert_eq!(cols.len(), sectors.len());
    for (r, row) in rows.iter().enumerate() {
        let a = actors[row.as_str().unwrap()];
        let mut sum = 0;
        for (c, col) in cols.iter().enumerate() {
            let s = sectors[col.as_str().unwrap()];
            let n = cross["counts"][r][c].as_u64().unwrap();
            assert!(n <= a.min(s), "{row} × {col}: {n} > min({a}, {s})");
            sum += n;
        }
        // A report with several sectors counts in several cells, so the
        // row sum may exceed the actor's count, but never its count times
        // the number of sectors.
        assert!(sum <= a * cols.len() as u64, "{row}");
    }
    // Cells equal the number of reports both filters find.
    for (r, c) in [(0usize, 0usize), (1, 2), (2, 1)] {
        let (Some(row), Some(col)) = (rows.get(r), cols.get(c)) else {
            continue;
        };
        let found = env.json(&[
            "search",
            "--actor",
            row.as_str().unwrap(),
            "--sector",
            col.as_str().unwrap(),
            "--limit",
            "1",
        ]);
        assert_eq!(
            total(&found),
            cross["counts"][r][c].as_u64().unwrap(),
            "{row} × {col}"
        );
    }
}

#[test]
fn actor_by_year_rows_sum_to_the_actors_dated_reports() {
    let env = Env::with_corpus();
    let actors = counts(
        &env.json(&["facets", "--by", "actor", "--top", "100"]),
        "actor",
    );
    let res = env.json(&["facets", "--cross", "actor,year", "--top", "100"]);
    let cross = &res["cross"];
    let rows = cross["rows"].as_array().unwrap();
    assert_eq!(rows.len(), actors.len());
    for (r, row) in rows.iter().enumerate() {
        let name = row.as_str().unwrap();
        let sum: u64 = cross["counts"][r]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_u64().unwrap())
            .sum();
        // Each dated report has exactly one year: the row sum is the actor's
        // count minus its undated reports.
        let dated = total(&env.json(&[
            "search",
            "--actor",
            name,
            "--since",
            "1900-01-01",
            "--limit",
            "1",
        ]));
        assert!(sum <= actors[name], "{name}");
        assert_eq!(sum, dated, "{name}");
    }
}

/// Parses `YYYY-MM` or `YYYY-Qn` into (year, period).
fn period(v: &str) -> (i32, u32) {
    if let Some((y, q)) = v.split_once("-Q") {
        (y.parse().unwrap(), q.parse().unwrap())
    } else {
        let (y, m) = v.split_once('-').unwrap();
        (y.parse().unwrap(), m.parse().unwrap())
    }
}

/// Checks that the `field` buckets run without a gap from a non-empty first
/// period to a non-empty last one, keep the empty periods between, and count
/// each dated report once.
fn check_time_buckets(field: &str, per_year: u32) {
    let env = Env::with_corpus();
    let res = env.json(&["facets", "--by", field, "--by", "year"]);
    let list = res["facets"][field].as_array().unwrap();
    assert!(!list.is_empty(), "the corpus has dated reports: {res}");
    let values: Vec<(i32, u32)> = list
        .iter()
        .map(|v| period(v["value"].as_str().unwrap()))
        .collect();
    for w in values.windows(2) {
        let next = if w[0].1 == per_year {
            (w[0].0 + 1, 1)
        } else {
            (w[0].0, w[0].1 + 1)
        };
        assert_eq!(w[1], next, "{field}: gap after {:?}", w[0]);
    }
    let ns: Vec<u64> = list.iter().map(|v| v["count"].as_u64().unwrap()).collect();
    assert!(
        ns[0] > 0 && ns[ns.len() - 1] > 0,
        "{field} ends are non-empty"
    );
    // The corpus's reports are spread over more periods than they fill.
    assert!(ns.contains(&0), "{field} keeps empty periods: {ns:?}");
    let sum: u64 = ns.iter().sum();
    let years: u64 = counts(&res, "year").values().sum();
    assert_eq!(sum, years, "{field}: each dated report counted once");
    assert!(sum <= total(&res));
}

#[test]
fn month_buckets_keep_empty_periods() {
    check_time_buckets("month", 12);
}

#[test]
fn quarter_buckets_keep_empty_periods() {
    check_time_buckets("quarter", 4);
}

/// Filter arguments, and the facet value every match must carry.
type Case<'a> = (&'a [&'a str], Option<(&'a str, &'a str)>);

#[test]
fn every_search_filter_restricts_the_counts() {
    let env = Env::with_corpus();
    let all = env.json(&["facets", "--by", "actor", "--top", "100"]);
    let n_all = total(&all);
    let cases: [Case; 7] = [
        (&["typhoon"], None),
        (
            &["--actor", "Vanguard Panda"],
            Some(("actor", "Volt Typhoon")),
        ),
        (&["--country", "China"], Some(("country", "CN"))),
        (&["--sector", "energy"], Some(("sector", "energy"))),
        (&["--origin", "KP"], Some(("origin", "KP"))),
        (&["--since", "2024-01-01"], None),
        (&["--until", "2021-12-31"], None),
    ];
    for (filter, own) in cases {
        let mut args = vec!["facets"];
        args.extend_from_slice(filter);
        args.extend_from_slice(&[
            "--by", "actor", "--by", "country", "--by", "sector", "--by", "origin", "--by", "year",
            "--top", "100",
        ]);
        let res = env.json(&args);
        let n = total(&res);
        assert!(n < n_all, "{filter:?} restricts: {n} of {n_all}");
        // Same count as search with the same filter.
        let mut search = vec!["search"];
        search.extend_from_slice(filter);
        search.extend_from_slice(&["--limit", "1"]);
        assert_eq!(total(&env.json(&search)), n, "{filter:?}");
        // No value is counted more often than there are reports.
        for field in ["actor", "country", "sector", "origin", "year"] {
            assert!(
                counts(&res, field).values().all(|&c| c <= n),
                "{filter:?} {field}"
            );
        }
        // A facet filter: every matching report carries the value.
        if let Some((field, value)) = own {
            assert!(n > 0, "{filter:?} matches reports of the corpus");
            assert_eq!(counts(&res, field).get(value), Some(&n), "{filter:?}");
        }
        // A date filter: only years in range.
        let years: Vec<i32> = counts(&res, "year")
            .into_iter()
            .filter(|(_, c)| *c > 0)
            .map(|(y, _)| y.parse().unwrap())
            .collect();
        match filter[0] {
            "--since" => assert!(years.iter().all(|&y| y >= 2024), "{years:?}"),
            "--until" => assert!(years.iter().all(|&y| y <= 2021), "{years:?}"),
            _ => {}
        }
    }
}

/// A stray old page does not stretch the timeline over decades: it is
/// counted in one "before …" bucket, and --top and --since choose the range.
#[test]
fn time_buckets_fold_early_outliers_and_honour_top() {
    let env = Env::new();
    let stray = env.write(
        "extra/2001-old-page.txt",
        "An old page about worms\nDate: 2001-03-05\n\nCode Red spread across the internet.",
    );
    env.ok(&["index", "--quiet", corpus().to_str().unwrap()]);
    env.ok(&[
        "index",
        "--quiet",
        stray.parent().unwrap().to_str().unwrap(),
    ]);
    let res = env.json(&["facets", "--by", "month", "--by", "year"]);
    let months = res["facets"]["month"].as_array().unwrap();
    let first = months[0]["value"].as_str().unwrap();
    assert!(first.starts_with("before 20"), "{first}");
    assert_eq!(months[0]["count"], 1, "{res}");
    assert!(months.len() < 120, "{} buckets", months.len());
    let sum: u64 = months.iter().map(|m| m["count"].as_u64().unwrap()).sum();
    let years: u64 = counts(&res, "year").values().sum();
    assert_eq!(sum, years, "nothing is lost by folding");
    // --top N: the last N months, the rest folded.
    let res = env.json(&["facets", "--by", "month", "--top", "3"]);
    let months = res["facets"]["month"].as_array().unwrap();
    assert_eq!(months.len(), 4, "{res}");
    assert!(months[0]["value"].as_str().unwrap().starts_with("before "));
    // --since chooses the range: every month from there, nothing folded.
    let res = env.json(&["facets", "--by", "month", "--since", "2001-01-01"]);
    let months = res["facets"]["month"].as_array().unwrap();
    assert_eq!(months[0]["value"], "2001-03", "{}", months[0]);
    // The human table shows the folded bucket as its first row.
    let out = env.ok(&["facets", "--by", "month"]);
    assert!(out.contains("\n  before 20"), "{out}");
}
