//! Per-stage timings of the indexing pipeline, on fixed pages.
//!
//! ```text
//! cargo bench --bench stages                 # everything (about 2–3 minutes)
//! cargo bench --bench stages -- html_extract # one group
//! ```
//!
//! Inputs: four pages of `corpus/news/` (small, median, large, and a
//! windows-1252 page that takes the non-UTF-8 decode path), one text note, and
//! one large page built in-process by the corpus generator
//! (`examples/gen_corpus.rs`, seed 42): 130–150 KB, mostly scripts, styles and
//! navigation, like the pages `benches/e2e.sh` indexes.
//!
//! Groups, in pipeline order (the worker in `index::indexer` runs blake3,
//! `article_from_bytes`, `entities`, `ioc::indicators` and `to_document` per
//! file; the writer
//! thread runs tantivy):
//! - `blake3`: the content hash of each file;
//! - `decode`: `ingest::decode::decode`;
//! - `html_extract`: `ingest::html::extract` (main content + metadata);
//! - `html2text`: the sub-steps of html2text (html5ever parse into an RcDom,
//!   render tree, render to string), to see where an html2text-based extractor
//!   spends its time;
//! - `prestrip`: the generated page parsed (html5ever) and extracted as is,
//!   and with inline script/style bodies removed first, plus the cost of such
//!   a removal pass;
//! - `entities`: `extract::entities` with a warm matcher;
//! - `ioc_indicators`: `ioc::indicators` (IPs, domains, hashes, CVEs…);
//! - `to_document`: `index::schema::to_document`;
//! - `article_from_bytes`: decode + extract, the whole ingest step;
//! - `worker`: everything a worker does for one file (hash, ingest, entities,
//!   indicators, document);
//! - `tantivy_add`: adding 200 generated documents to a RAM index with one
//!   indexing thread, and committing;
//! - `kb`: loading the knowledge base, and building its matcher (paid once per
//!   `index` process; search and facets processes pay the load only).

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;
use threatdex::extract::{entities, RULES_REVISION};
use threatdex::index::schema::{add_indicators, build_schema, to_document, FileStamp};
use threatdex::ingest::{article_from_bytes, decode::decode, html, text};
use threatdex::kb::Kb;
use threatdex::model::SourceKind;

#[path = "../examples/gen_corpus.rs"]
#[allow(dead_code)]
mod gen_corpus;

/// One input of the benches.
struct Fixture {
    name: String,
    bytes: Vec<u8>,
    kind: SourceKind,
}

fn corpus_file(rel: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(rel);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The fixed inputs: corpus pages and one large generated page.
fn fixtures() -> Vec<Fixture> {
    let mut out = Vec::new();
    for (name, rel) in [
        (
            "news38_small",
            "news/38-star-blizzard-spear-phishing-advisory.html",
        ),
        (
            "news12_median",
            "news/12-roasted-0ktapus-sms-phishing-kit.html",
        ),
        (
            "news02_large",
            "news/02-strontium-iot-devices-corporate-networks.html",
        ),
        (
            "news03_cp1252",
            "news/03-turla-hijacks-oilrig-infrastructure.html",
        ),
    ] {
        let bytes = corpus_file(rel);
        out.push(Fixture {
            name: format!("{name}_{}k", bytes.len() / 1000),
            bytes,
            kind: SourceKind::Html,
        });
    }
    out.push(generated_page());
    let bytes = corpus_file("notes/43-fin7-2024-review.txt");
    out.push(Fixture {
        name: format!("note43_txt_{}k", bytes.len() / 1000),
        bytes,
        kind: SourceKind::Text,
    });
    out
}

/// The largest HTML page among the first 200 the generator makes (seed 42).
fn generated_page() -> Fixture {
    let g = gen_corpus::Generator::new(42, 1000);
    let page = (0..200)
        .map(|n| g.page(n))
        .filter(|p| p.rel.extension().is_some_and(|e| e == "html"))
        .max_by_key(|p| p.bytes.len())
        .expect("a generated HTML page");
    Fixture {
        name: format!("generated_{}k", page.bytes.len() / 1000),
        bytes: page.bytes,
        kind: SourceKind::Html,
    }
}

/// Drops the bodies of inline `<script>` and `<style>` elements, keeping
/// JSON-LD scripts (they carry metadata). A sketch of a byte-level pre-pass.
fn strip_scripts_and_styles(html: &str) -> String {
    let lower = html.to_ascii_lowercase();
    let mut out = String::with_capacity(html.len() / 2);
    let mut pos = 0;
    while pos < html.len() {
        let next = [("<script", "</script"), ("<style", "</style")]
            .iter()
            .filter_map(|(open, close)| lower[pos..].find(open).map(|i| (pos + i, *close)))
            .min_by_key(|(i, _)| *i);
        let Some((start, close)) = next else { break };
        let Some(gt) = lower[start..].find('>').map(|i| start + i + 1) else {
            break;
        };
        let Some(end) = lower[gt..].find(close).map(|i| gt + i) else {
            break;
        };
        if lower[start..gt].contains("ld+json") {
            out.push_str(&html[pos..end]);
        } else {
            out.push_str(&html[pos..gt]);
        }
        pos = end;
    }
    out.push_str(&html[pos..]);
    out
}

fn html_only(fx: &[Fixture]) -> impl Iterator<Item = &Fixture> {
    fx.iter().filter(|f| f.kind == SourceKind::Html)
}

fn configure() -> Criterion {
    Criterion::default()
        .sample_size(15)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_millis(1500))
        .configure_from_args()
}

fn stages(c: &mut Criterion) {
    let fx = fixtures();
    let kb = Kb::builtin().expect("knowledge base");
    let fingerprint = kb.fingerprint(RULES_REVISION);
    kb.matcher();
    let (_, fields) = build_schema();

    let mut g = c.benchmark_group("blake3");
    for f in &fx {
        g.throughput(Throughput::Bytes(f.bytes.len() as u64));
        g.bench_function(&f.name, |b| b.iter(|| blake3::hash(black_box(&f.bytes))));
    }
    g.finish();

    let mut g = c.benchmark_group("decode");
    for f in &fx {
        g.throughput(Throughput::Bytes(f.bytes.len() as u64));
        let is_html = f.kind == SourceKind::Html;
        g.bench_function(&f.name, |b| {
            b.iter(|| decode(black_box(&f.bytes), is_html).map(|s| s.len()))
        });
    }
    g.finish();

    let decoded: Vec<String> = fx
        .iter()
        .map(|f| {
            decode(&f.bytes, f.kind == SourceKind::Html)
                .expect("decodes")
                .into_owned()
        })
        .collect();

    let mut g = c.benchmark_group("html_extract");
    for (f, d) in fx
        .iter()
        .zip(&decoded)
        .filter(|(f, _)| f.kind == SourceKind::Html)
    {
        g.throughput(Throughput::Bytes(f.bytes.len() as u64));
        g.bench_function(&f.name, |b| b.iter(|| html::extract(black_box(d))));
    }
    g.finish();

    let mut g = c.benchmark_group("text_extract");
    for (f, d) in fx
        .iter()
        .zip(&decoded)
        .filter(|(f, _)| f.kind != SourceKind::Html)
    {
        g.throughput(Throughput::Bytes(f.bytes.len() as u64));
        g.bench_function(&f.name, |b| b.iter(|| text::extract(black_box(d), f.kind)));
    }
    g.finish();

    // html2text's own steps: html5ever parse, render tree, render to text.
    let mut g = c.benchmark_group("html2text");
    for f in
        html_only(&fx).filter(|f| f.name.starts_with("generated") || f.name.starts_with("news12"))
    {
        let cfg = html2text::config::plain_no_decorate();
        g.throughput(Throughput::Bytes(f.bytes.len() as u64));
        g.bench_function(format!("{}/parse_html5ever", f.name), |b| {
            b.iter(|| cfg.parse_html(black_box(&f.bytes[..])).expect("parses"))
        });
        let dom = cfg.parse_html(&f.bytes[..]).expect("parses");
        g.bench_function(format!("{}/render_tree", f.name), |b| {
            b.iter(|| cfg.dom_to_render_tree(black_box(&dom)).expect("tree"))
        });
        g.bench_function(format!("{}/render_to_string", f.name), |b| {
            b.iter_batched(
                || cfg.dom_to_render_tree(&dom).expect("tree"),
                |tree| cfg.render_to_string(tree, 10_000).expect("renders"),
                BatchSize::SmallInput,
            )
        });
        g.bench_function(format!("{}/whole", f.name), |b| {
            b.iter(|| {
                html2text::config::plain_no_decorate()
                    .string_from_read(black_box(&f.bytes[..]), 10_000)
                    .expect("renders")
            })
        });
    }
    g.finish();

    // What a pre-pass dropping inline <script>/<style> bodies (JSON-LD kept)
    // would save: the generated page parsed and extracted with and without them.
    let mut g = c.benchmark_group("prestrip");
    for f in html_only(&fx).filter(|f| f.name.starts_with("generated")) {
        let page = String::from_utf8_lossy(&f.bytes).into_owned();
        let stripped = strip_scripts_and_styles(&page);
        let cfg = html2text::config::plain_no_decorate();
        for (variant, html) in [("as_is", &page), ("stripped", &stripped)] {
            g.throughput(Throughput::Bytes(f.bytes.len() as u64));
            let label = format!("{}_{variant}_{}k", f.name, html.len() / 1000);
            g.bench_function(format!("{label}/parse_html5ever"), |b| {
                b.iter(|| cfg.parse_html(black_box(html.as_bytes())).expect("parses"))
            });
            g.bench_function(format!("{label}/html_extract"), |b| {
                b.iter(|| html::extract(black_box(html)))
            });
        }
        g.bench_function(format!("{}/strip_pass", f.name), |b| {
            b.iter(|| strip_scripts_and_styles(black_box(&page)))
        });
    }
    g.finish();

    let articles: Vec<_> = fx
        .iter()
        .map(|f| article_from_bytes(&f.bytes, f.kind).expect("an article"))
        .collect();

    let mut g = c.benchmark_group("entities");
    for (f, a) in fx.iter().zip(&articles) {
        g.throughput(Throughput::Bytes(a.text.len() as u64));
        g.bench_function(format!("{}/text_{}k", f.name, a.text.len() / 1000), |b| {
            b.iter(|| entities(black_box(a), &kb))
        });
    }
    g.finish();

    let mut g = c.benchmark_group("ioc_indicators");
    for (f, a) in fx.iter().zip(&articles) {
        g.throughput(Throughput::Bytes(a.text.len() as u64));
        g.bench_function(&f.name, |b| {
            b.iter(|| threatdex::ioc::indicators(black_box(a)))
        });
    }
    // The same article text, pure ASCII and with typographic apostrophes:
    // non-ASCII text can push the regex engine off its fast path.
    let generated = fx
        .iter()
        .zip(&articles)
        .find(|(f, _)| f.name.starts_with("generated"))
        .map(|(_, a)| a);
    if let Some(a) = generated {
        let ascii_text = a
            .text
            .replace('\u{2019}', "'")
            .replace(['\u{201C}', '\u{201D}'], "\"")
            .replace('\u{2013}', "-");
        let typo_text = ascii_text.replace('\'', "\u{2019}");
        let ascii = threatdex::model::Article {
            text: ascii_text,
            ..a.clone()
        };
        let typo = threatdex::model::Article {
            text: typo_text,
            ..a.clone()
        };
        for (name, art) in [
            ("generated_text_ascii", &ascii),
            ("generated_text_typographic", &typo),
        ] {
            g.throughput(Throughput::Bytes(art.text.len() as u64));
            g.bench_function(name, |b| {
                b.iter(|| threatdex::ioc::indicators(black_box(art)))
            });
        }
    }
    g.finish();

    let mut g = c.benchmark_group("to_document");
    for (f, a) in fx.iter().zip(&articles) {
        let ents = entities(a, &kb);
        let hash = blake3::hash(&f.bytes).to_hex().to_string();
        let stamp = FileStamp {
            path: "/bench/path/page.html",
            hash: &hash,
            size: f.bytes.len() as u64,
            mtime: 1,
            kb: &fingerprint,
        };
        g.throughput(Throughput::Bytes(a.text.len() as u64));
        g.bench_function(&f.name, |b| {
            b.iter(|| to_document(&fields, &stamp, black_box(a), &ents))
        });
    }
    g.finish();

    let mut g = c.benchmark_group("article_from_bytes");
    for f in &fx {
        g.throughput(Throughput::Bytes(f.bytes.len() as u64));
        g.bench_function(&f.name, |b| {
            b.iter(|| article_from_bytes(black_box(&f.bytes), f.kind))
        });
    }
    g.finish();

    let mut g = c.benchmark_group("worker");
    for f in &fx {
        g.throughput(Throughput::Bytes(f.bytes.len() as u64));
        g.bench_function(&f.name, |b| {
            b.iter(|| {
                let hash = blake3::hash(&f.bytes).to_hex().to_string();
                let a = article_from_bytes(black_box(&f.bytes), f.kind).expect("article");
                let ents = entities(&a, &kb);
                let stamp = FileStamp {
                    path: "/bench/p.html",
                    hash: &hash,
                    size: f.bytes.len() as u64,
                    mtime: 1,
                    kb: &fingerprint,
                };
                let mut doc = to_document(&fields, &stamp, &a, &ents);
                add_indicators(&fields, &mut doc, &threatdex::ioc::indicators(&a));
                doc
            })
        });
    }
    g.finish();
}

/// Tantivy's share: 200 documents of generated pages into a RAM index.
fn tantivy_add(c: &mut Criterion) {
    let kb = Kb::builtin().expect("knowledge base");
    let fingerprint = kb.fingerprint(RULES_REVISION);
    let g = gen_corpus::Generator::new(7, 1000);
    let (schema, fields) = build_schema();
    let docs: Vec<_> = (0..200)
        .map(|n| {
            let p = g.page(n);
            let kind = threatdex::ingest::source_kind(&p.rel).expect("report file");
            let a = article_from_bytes(&p.bytes, kind).expect("article");
            let ents = entities(&a, &kb);
            let path = format!("/bench/{}", p.rel.display());
            let hash = blake3::hash(&p.bytes).to_hex().to_string();
            let stamp = FileStamp {
                path: &path,
                hash: &hash,
                size: p.bytes.len() as u64,
                mtime: n as i64,
                kb: &fingerprint,
            };
            let mut doc = to_document(&fields, &stamp, &a, &ents);
            add_indicators(&fields, &mut doc, &threatdex::ioc::indicators(&a));
            (doc, a.text.len() as u64)
        })
        .collect();
    let text_bytes: u64 = docs.iter().map(|d| d.1).sum();
    let mut group = c.benchmark_group("tantivy_add");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(5));
    group.throughput(Throughput::Elements(docs.len() as u64));
    group.bench_function(
        format!("200_docs_{}k_text/add+commit", text_bytes / 1000),
        |b| {
            b.iter_batched(
                || docs.iter().map(|d| d.0.clone()).collect::<Vec<_>>(),
                |batch| {
                    let index = tantivy::Index::create_in_ram(schema.clone());
                    let mut w: tantivy::IndexWriter = index
                        .writer_with_num_threads(1, 64_000_000)
                        .expect("writer");
                    for d in batch {
                        w.add_document(d).expect("add");
                    }
                    w.commit().expect("commit");
                    index
                },
                BatchSize::PerIteration,
            )
        },
    );
    group.finish();
}

fn kb(c: &mut Criterion) {
    let mut g = c.benchmark_group("kb");
    g.bench_function("builtin_load", |b| b.iter(|| Kb::builtin().expect("kb")));
    g.bench_function("builtin_load+matcher", |b| {
        b.iter(|| {
            let kb = Kb::builtin().expect("kb");
            kb.matcher().len()
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = configure();
    targets = stages, tantivy_add, kb
}
criterion_main!(benches);
