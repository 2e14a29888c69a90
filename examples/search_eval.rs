//! Measures search quality on a judged query set over the real report
//! collections (`corpus-real` in the shared data directory).
//!
//! The judgements live in the repository: `eval/queries.tsv` (id, kind,
//! query) and `eval/qrels.tsv` (id, document path relative to
//! `corpus-real`, grade 1 or 2, a short evidence note). Documents not listed
//! for a query are not relevant to it.
//!
//! Two systems are measured over the same index:
//! - **threatdex**: the real binary (`--bin`, default
//!   `target/release/threatdex`), `search QUERY --json`, so any build
//!   (an older one too) can be measured the same way;
//! - **plain BM25**: the same fields and title boost through tantivy's own
//!   query parser, with every word required (as threatdex does) and no
//!   expansion (no aliases, indicators, compound spellings or prefixes).
//!
//! Metrics, averaged over the queries: recall@10, precision@5 and nDCG@10
//! (gain 2^grade - 1, ideal ranking from the judgements).
//!
//! `--pool N` prints instead, per query, the union of the top N of
//! threatdex, of plain BM25 and of a grep (every query word, any case,
//! ranked by occurrences), with which the judgements were made.
//!
//! Without the data the example prints a note and exits 0.
//!
//! ```text
//! cargo run --release --example search_eval -- [--bin PATH] [--index DIR]
//!     [--data DIR] [--pool N] [--per-query]
//! ```
//!
//! Without `--index`, the binary indexes `corpus-real` into a temporary
//! directory first.

use anyhow::{bail, Context, Result};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use tantivy::collector::TopDocs;
use tantivy::query::QueryParser;
use tantivy::TantivyDocument;
use threatdex::index::schema::{from_document, query_tokenizers};
use threatdex::index::IndexHandle;

/// Ranks read from each system.
const DEPTH: usize = 20;

/// One judged query.
struct Query {
    id: String,
    kind: String,
    text: String,
}

struct Args {
    bin: PathBuf,
    index: Option<PathBuf>,
    data: Option<PathBuf>,
    pool: Option<usize>,
    per_query: bool,
}

fn parse_args() -> Result<Args> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut args = Args {
        bin: root.join("target/release/threatdex"),
        index: None,
        data: None,
        pool: None,
        per_query: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().with_context(|| format!("{a} needs a value"));
        match a.as_str() {
            "--bin" => args.bin = PathBuf::from(value()?),
            "--index" => args.index = Some(PathBuf::from(value()?)),
            "--data" => args.data = Some(PathBuf::from(value()?)),
            "--pool" => args.pool = Some(value()?.parse().context("--pool N")?),
            "--per-query" => args.per_query = true,
            other => bail!("unknown argument {other:?}"),
        }
    }
    Ok(args)
}

/// The `corpus-real` directory: `--data DIR` (the shared data directory or
/// `corpus-real` itself), else `../shared/data` or `../../shared/data`
/// from the crate root.
fn find_corpus(given: Option<&Path>) -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let candidates: Vec<PathBuf> = match given {
        Some(d) => vec![d.join("corpus-real"), d.to_path_buf()],
        None => vec![
            root.join("../shared/data/corpus-real"),
            root.join("../../shared/data/corpus-real"),
        ],
    };
    candidates
        .into_iter()
        .find(|c| c.join("annoctr").is_dir() || c.join("wa-soc-advisories").is_dir())
        .and_then(|c| c.canonicalize().ok())
}

fn read_tsv(path: &Path) -> Result<Vec<Vec<String>>> {
    let text = std::fs::read_to_string(path).with_context(|| path.display().to_string())?;
    Ok(text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect())
}

fn read_queries(path: &Path) -> Result<Vec<Query>> {
    read_tsv(path)?
        .into_iter()
        .map(|row| match row.as_slice() {
            [id, kind, text, ..] => Ok(Query {
                id: id.clone(),
                kind: kind.clone(),
                text: text.clone(),
            }),
            _ => bail!("{}: a query line needs id, kind, query", path.display()),
        })
        .collect()
}

/// Relevance grades: query id → document → grade.
fn read_qrels(path: &Path) -> Result<BTreeMap<String, BTreeMap<String, u32>>> {
    let mut out: BTreeMap<String, BTreeMap<String, u32>> = BTreeMap::new();
    for row in read_tsv(path)? {
        let [id, doc, grade, ..] = row.as_slice() else {
            bail!(
                "{}: a judgement needs id, path, grade, evidence",
                path.display()
            );
        };
        let grade: u32 = grade.parse().with_context(|| format!("grade {grade:?}"))?;
        if grade > 0 {
            out.entry(id.clone())
                .or_default()
                .insert(doc.clone(), grade);
        }
    }
    Ok(out)
}

/// A stored absolute path made relative to `corpus-real`.
fn relative(path: &str, corpus: &Path) -> String {
    Path::new(path)
        .strip_prefix(corpus)
        .map_or_else(|_| path.to_string(), |p| p.display().to_string())
}

/// threatdex's top documents, through the binary.
fn threatdex_ranking(bin: &Path, index: &Path, q: &str, corpus: &Path) -> Result<Vec<String>> {
    let out = Command::new(bin)
        .args(["--index"])
        .arg(index)
        .args(["search", q, "--json", "--limit", &DEPTH.to_string()])
        .env("NO_COLOR", "1")
        .output()
        .with_context(|| format!("running {}", bin.display()))?;
    if !out.status.success() {
        eprintln!(
            "note: threatdex refused {q:?}: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
        return Ok(Vec::new());
    }
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    Ok(v["hits"]
        .as_array()
        .map(|hits| {
            hits.iter()
                .filter_map(|h| h["path"].as_str())
                .map(|p| relative(p, corpus))
                .collect()
        })
        .unwrap_or_default())
}

/// Plain BM25: tantivy's parser over title (boost 2) and body, every word
/// required, no expansion.
fn bm25_ranking(handle: &IndexHandle, q: &str, corpus: &Path) -> Result<Vec<String>> {
    let f = &handle.fields;
    let mut parser = QueryParser::new(
        handle.index.schema(),
        vec![f.title, f.body],
        query_tokenizers(),
    );
    parser.set_field_boost(f.title, 2.0);
    parser.set_conjunction_by_default();
    let Ok(query) = parser.parse_query(q) else {
        return Ok(Vec::new());
    };
    let searcher = handle.reader()?.searcher();
    let top = searcher.search(&query, &TopDocs::with_limit(DEPTH).order_by_score())?;
    let mut out = Vec::new();
    for (_, addr) in top {
        let doc: TantivyDocument = searcher.doc(addr)?;
        out.push(relative(&from_document(f, &doc).path, corpus));
    }
    Ok(out)
}

/// Every file of the corpus with its lower-cased text.
fn corpus_texts(corpus: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![corpus.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(bytes) = std::fs::read(&p) {
                out.push((
                    relative(&p.to_string_lossy(), corpus),
                    String::from_utf8_lossy(&bytes).to_lowercase(),
                ));
            }
        }
    }
    out.sort();
    out
}

/// grep: files holding every word of the query (any case), most
/// occurrences first.
fn grep_ranking(texts: &[(String, String)], q: &str) -> Vec<String> {
    let words: Vec<String> = q
        .split(|c: char| !c.is_alphanumeric() && c != '-' && c != '.')
        .filter(|w| !w.is_empty() && !matches!(*w, "AND" | "OR" | "NOT"))
        .map(|w| w.trim_matches('.').to_lowercase())
        .filter(|w| !w.is_empty())
        .collect();
    let mut hits: Vec<(usize, &str)> = texts
        .iter()
        .filter(|(_, t)| words.iter().all(|w| t.contains(w.as_str())))
        .map(|(p, t)| {
            (
                words.iter().map(|w| t.matches(w.as_str()).count()).sum(),
                p.as_str(),
            )
        })
        .collect();
    hits.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    hits.into_iter()
        .take(DEPTH)
        .map(|(_, p)| p.to_string())
        .collect()
}

/// recall@10, precision@5 and nDCG@10 of one ranking.
fn metrics(ranking: &[String], rel: &BTreeMap<String, u32>) -> [f64; 3] {
    let found10 = ranking
        .iter()
        .take(10)
        .filter(|d| rel.contains_key(*d))
        .count();
    let found5 = ranking
        .iter()
        .take(5)
        .filter(|d| rel.contains_key(*d))
        .count();
    let gain = |g: u32| f64::from((1u32 << g) - 1);
    let dcg: f64 = ranking
        .iter()
        .take(10)
        .enumerate()
        .map(|(i, d)| {
            rel.get(d)
                .map_or(0.0, |&g| gain(g) / (i as f64 + 2.0).log2())
        })
        .sum();
    let mut ideal: Vec<u32> = rel.values().copied().collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let idcg: f64 = ideal
        .iter()
        .take(10)
        .enumerate()
        .map(|(i, &g)| gain(g) / (i as f64 + 2.0).log2())
        .sum();
    [
        found10 as f64 / rel.len() as f64,
        found5 as f64 / 5.0,
        if idcg > 0.0 { dcg / idcg } else { 0.0 },
    ]
}

fn main() -> Result<()> {
    let args = parse_args()?;
    let Some(corpus) = find_corpus(args.data.as_deref()) else {
        println!("note: no corpus-real data found (pass --data DIR); nothing measured");
        return Ok(());
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let queries = read_queries(&root.join("eval/queries.tsv"))?;
    let qrels = read_qrels(&root.join("eval/qrels.tsv"))?;
    let temp;
    let index = match &args.index {
        Some(d) => d.clone(),
        None => {
            temp = tempfile::tempdir()?;
            let dir = temp.path().join("index");
            let status = Command::new(&args.bin)
                .arg("--index")
                .arg(&dir)
                .arg("index")
                .arg(&corpus)
                .arg("-q")
                .status()
                .with_context(|| format!("running {}", args.bin.display()))?;
            if !status.success() {
                bail!("indexing {} failed", corpus.display());
            }
            dir
        }
    };
    let handle = IndexHandle::open(&index).ok();
    if handle.is_none() {
        eprintln!(
            "note: this build cannot open {} (older schema): no BM25 baseline",
            index.display()
        );
    }
    if let Some(n) = args.pool {
        let texts = corpus_texts(&corpus);
        for q in &queries {
            let mut pool: BTreeSet<String> = BTreeSet::new();
            let ours = threatdex_ranking(&args.bin, &index, &q.text, &corpus)?;
            pool.extend(ours.into_iter().take(n));
            if let Some(h) = &handle {
                pool.extend(bm25_ranking(h, &q.text, &corpus)?.into_iter().take(n));
            }
            pool.extend(grep_ranking(&texts, &q.text).into_iter().take(n));
            println!("## {}\t{}\t{}", q.id, q.kind, q.text);
            for d in pool {
                let judged = qrels.get(&q.id).and_then(|r| r.get(&d));
                println!("{}\t{d}", judged.map_or("?".to_string(), |g| g.to_string()));
            }
        }
        return Ok(());
    }
    let mut sums: BTreeMap<(String, &str), ([f64; 3], usize)> = BTreeMap::new();
    let empty = BTreeMap::new();
    for q in &queries {
        let rel = qrels.get(&q.id).unwrap_or(&empty);
        if rel.is_empty() {
            eprintln!("note: query {} has no relevant document; left out", q.id);
            continue;
        }
        let mut systems = vec![(
            "threatdex",
            threatdex_ranking(&args.bin, &index, &q.text, &corpus)?,
        )];
        if let Some(h) = &handle {
            systems.push(("plain BM25", bm25_ranking(h, &q.text, &corpus)?));
        }
        for (name, ranking) in systems {
            let m = metrics(&ranking, rel);
            if args.per_query {
                println!(
                    "{}\t{:<10}\t{:<12}\tR@10 {:.2}\tP@5 {:.2}\tnDCG@10 {:.2}\t{}",
                    q.id, q.kind, name, m[0], m[1], m[2], q.text
                );
            }
            for key in [(q.kind.clone(), name), ("all".to_string(), name)] {
                let e = sums.entry(key).or_insert(([0.0; 3], 0));
                for (s, v) in e.0.iter_mut().zip(m) {
                    *s += v;
                }
                e.1 += 1;
            }
        }
    }
    println!("| kind | system | queries | recall@10 | P@5 | nDCG@10 |");
    println!("|---|---|---:|---:|---:|---:|");
    for ((kind, name), (s, n)) in &sums {
        let n_f = *n as f64;
        println!(
            "| {kind} | {name} | {n} | {:.3} | {:.3} | {:.3} |",
            s[0] / n_f,
            s[1] / n_f,
            s[2] / n_f
        );
    }
    Ok(())
}
