//! Query-side timings: query building, search with snippets, facets, and the
//! fixed costs every `search`/`facets` process pays (knowledge base, opening
//! the index).
//!
//! ```text
//! cargo bench --bench search                      # about 1–2 minutes
//! THREATDEX_BENCH_PAGES=5000 cargo bench --bench search
//! ```
//!
//! The index is built once, outside the measured code, in a temporary
//! directory: the bundled `corpus/` plus `THREATDEX_BENCH_PAGES` (default
//! 2,000) pages from the corpus generator (`examples/gen_corpus.rs`, seed 42),
//! through `index::indexer::index_paths` like the binary does.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};
use threatdex::index::indexer::{index_paths, IndexOptions, NoProgress};
use threatdex::index::schema::Dimension;
use threatdex::index::IndexHandle;
use threatdex::kb::Kb;
use threatdex::query::{self, Filters, RawFilters};

#[path = "../examples/gen_corpus.rs"]
#[allow(dead_code)]
mod gen_corpus;

/// The benchmark index, alive as long as its temporary directory.
struct Fixture {
    _tmp: tempfile::TempDir,
    index_dir: PathBuf,
}

fn build_index() -> Fixture {
    let pages: usize = std::env::var("THREATDEX_BENCH_PAGES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2000);
    let tmp = tempfile::tempdir().expect("temp dir");
    let pages_dir = tmp.path().join("pages");
    let g = gen_corpus::Generator::new(42, 1000);
    for n in 0..pages {
        let p = g.page(n);
        let path = pages_dir.join(&p.rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, &p.bytes).expect("write page");
    }
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let index_dir = tmp.path().join("index");
    let kb = Kb::builtin().expect("knowledge base");
    let started = Instant::now();
    let report = index_paths(
        &index_dir,
        &[corpus, pages_dir],
        &kb,
        &IndexOptions::new(),
        &NoProgress,
        &AtomicBool::new(false),
    )
    .expect("indexing");
    eprintln!(
        "search bench: indexed {} documents ({} generated pages + corpus/) in {:.1} s",
        report.total,
        pages,
        started.elapsed().as_secs_f64()
    );
    Fixture {
        _tmp: tmp,
        index_dir,
    }
}

/// One query of the benches: text and filters as a user gives them.
struct Case {
    name: &'static str,
    text: Option<&'static str>,
    raw: RawFilters,
}

fn cases() -> Vec<Case> {
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    vec![
        Case {
            name: "term",
            text: Some("ransomware"),
            raw: RawFilters::default(),
        },
        Case {
            name: "phrase",
            text: Some("\"critical infrastructure\""),
            raw: RawFilters::default(),
        },
        Case {
            name: "alias",
            text: Some("Vanguard Panda"),
            raw: RawFilters::default(),
        },
        Case {
            name: "filtered",
            text: Some("phishing"),
            raw: RawFilters {
                actors: vec!["Volt Typhoon".into()],
                since: day("2023-01-01"),
                ..RawFilters::default()
            },
        },
        Case {
            name: "filters_only_by_date",
            text: None,
            raw: RawFilters {
                countries: vec!["China".into()],
                ..RawFilters::default()
            },
        },
    ]
}

/// One-off costs of a fresh process, which criterion cannot repeat: the
/// first knowledge-base load, and the first query build (it compiles the
/// indicator regexes behind `query::expand_indicators`). Measured before
/// anything else runs in this process, and printed.
fn cold_costs() {
    let t = Instant::now();
    let kb = Kb::builtin().expect("knowledge base");
    let kb_ms = t.elapsed().as_secs_f64() * 1e3;
    let (schema, _) = threatdex::index::schema::build_schema();
    let index = tantivy::Index::create_in_ram(schema);
    let fields = threatdex::index::schema::fields(&index.schema()).expect("fields");
    let t = Instant::now();
    let plan = query::build(
        &index,
        &fields,
        &kb,
        Some("ransomware"),
        &Filters::default(),
    );
    let first_ms = t.elapsed().as_secs_f64() * 1e3;
    drop(plan);
    let t = Instant::now();
    let plan = query::build(&index, &fields, &kb, Some("phishing"), &Filters::default());
    let second_us = t.elapsed().as_secs_f64() * 1e6;
    drop(plan);
    let t = Instant::now();
    let first_parse = threatdex::ioc::parse_one("198.51.100.23");
    let parse_us = t.elapsed().as_secs_f64() * 1e6;
    eprintln!(
        "search bench, cold costs of a fresh process: Kb::builtin {kb_ms:.2} ms; first query::build {first_ms:.2} ms \
         (second {second_us:.0} µs); ioc::parse_one after that {parse_us:.0} µs ({first_parse:?})"
    );
}

fn benches(c: &mut Criterion) {
    cold_costs();
    let fx = build_index();
    let kb = Kb::builtin().expect("knowledge base");
    let handle = IndexHandle::open(&fx.index_dir).expect("open index");
    let reader = handle.reader().expect("reader");
    let searcher = reader.searcher();

    let mut g = c.benchmark_group("query_build");
    for case in cases() {
        g.bench_function(case.name, |b| {
            b.iter(|| {
                let f = Filters::resolve(&case.raw, &kb).expect("filters");
                query::build(&handle.index, &handle.fields, &kb, case.text, &f).expect("query")
            })
        });
    }
    g.finish();

    let mut g = c.benchmark_group("search_top10_with_snippets");
    for case in cases() {
        g.bench_function(case.name, |b| {
            b.iter(|| {
                let f = Filters::resolve(&case.raw, &kb).expect("filters");
                let plan =
                    query::build(&handle.index, &handle.fields, &kb, case.text, &f).expect("query");
                let r = threatdex::search::search(&searcher, &handle.fields, &plan, case.text, 10)
                    .expect("search");
                black_box(r.total)
            })
        });
    }
    g.finish();

    let mut g = c.benchmark_group("facets");
    let all = query::build(
        &handle.index,
        &handle.fields,
        &kb,
        None,
        &Filters::default(),
    )
    .expect("query");
    let some = query::build(
        &handle.index,
        &handle.fields,
        &kb,
        Some("ransomware"),
        &Filters::default(),
    )
    .expect("query");
    let dims = [Dimension::Actor, Dimension::Country];
    g.bench_function("actor+country/all", |b| {
        b.iter(|| threatdex::facets::facets(&searcher, &*all.query, &dims, 10).expect("facets"))
    });
    g.bench_function("actor+country/query_ransomware", |b| {
        b.iter(|| threatdex::facets::facets(&searcher, &*some.query, &dims, 10).expect("facets"))
    });
    let every = Dimension::ALL;
    g.bench_function("all_dimensions/all", |b| {
        b.iter(|| threatdex::facets::facets(&searcher, &*all.query, &every, 10).expect("facets"))
    });
    g.finish();

    // What every search or facets process pays before its query.
    let mut g = c.benchmark_group("process_fixed_costs");
    g.bench_function("kb_builtin_load", |b| b.iter(|| Kb::builtin().expect("kb")));
    g.bench_function("open_index+reader+searcher", |b| {
        b.iter(|| {
            let h = IndexHandle::open(&fx.index_dir).expect("open");
            let r = h.reader().expect("reader");
            black_box(r.searcher().num_docs())
        })
    });
    g.finish();
}

criterion_group! {
    name = search;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .configure_from_args();
    targets = benches
}
criterion_main!(search);
