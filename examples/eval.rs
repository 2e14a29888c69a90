//! Measures threatdex's extraction quality against public gold data.
//!
//! It reads `../shared/data` (relative to the crate root) when present, or the
//! directory given with `--data`; without it, it prints a note and exits 0.
//!
//! What it measures, using only the library API:
//! - **A. Actor facet** against the AnnoCTR expert annotations
//!   (`corpus-real/annoctr`): per document, the set of actor groups the
//!   annotators linked versus `extract::entities(..).actors`; micro
//!   precision, recall and F1 per split, overall and per vendor. The rule that
//!   turns gold GROUP links into actors is documented at [`gold_actors`] and in
//!   `EVAL.md`.
//! - **B. Dates** of the AnnoCTR reports against the date in their file name.
//! - **E. Country facet** of the AnnoCTR reports against their `LOC` links
//!   that name a country (any role: the annotation does not say victim or
//!   attacker), versus every country `extract` finds (`countries` and
//!   `seats`); micro precision and recall per split.
//! - **C. Dates** of two more corpora whose `index.jsonl` gives a date per file
//!   (`wa-soc-advisories`, `unit42-timely-threat-intel`).
//! - **F. Hand-judged sample** (`eval/judged-sample.jsonl`): 105 documents
//!   drawn at random with a fixed seed from the real collections (WA SOC
//!   advisories, Unit 42 notes, AnnoCTR train/dev/none; never AnnoCTR test),
//!   each field judged by reading the text. Precision and recall per field
//!   (title, date, actors, targets, sectors), overall and per collection;
//!   `--misses` lists every disagreement. `--judged-only` runs this part
//!   alone.
//! - **D. Main-content extraction** (`--readability`) on Mozilla Readability's
//!   test pages: word 4-gram shingle precision/recall (the article-extraction
//!   benchmark's metric, on lowercased `\w+` tokens, shingles as sets), title
//!   exact-match rate, date accuracy and pages per second.
//! - **G. Main content on WCEB subsets** (`--wceb`, only this part):
//!   `main-content-wceb/` (cleaneval, cleanportaleval, dragnet, readability;
//!   see its SOURCE.md). Per subset, ROUGE-LSum as WCEB defines it (Punkt
//!   sentences, white-space tokens, summary-level LCS; mean of per-page P, R
//!   and F1, `support/rouge_lsum.rs`) and the shingle score of part D, plus
//!   pages per second; dragnet also with the truth's comment section cut off,
//!   and a line for `readability-pages/` (truth: part D's expected text).
//!   With `--texts DIR`, the texts are not extracted here but read from the
//!   output of `eval/compare` (`DIR/<extractor>/<subset>/<page_id>.txt` and
//!   `seconds.tsv`): one table per extractor.
//!
//! ```text
//! cargo run --release --example eval -- [--split train|dev|test|none|all[,..]]
//!     [--misses] [--readability] [--wceb [--texts DIR]] [--dump DIR] [--data DIR]
//!     [--judged-only]
//! ```

use anyhow::{bail, Context, Result};
use chrono::NaiveDate;
use regex::Regex;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use std::time::Instant;
use threatdex::extract::{entities, entities_in_text};
use threatdex::ingest::{article_from_bytes, source_kind};
use threatdex::kb::{Kb, Resolved, Target};
use threatdex::model::{Article, SourceKind};

#[path = "support/rouge_lsum.rs"]
mod rouge_lsum;
#[path = "support/wceb.rs"]
mod wceb;

/// The AnnoCTR splits, in report order.
const SPLITS: [&str; 4] = ["train", "dev", "test", "none"];

/// State bodies (intelligence services, armies, governments) that annotators
/// sometimes link to one of the groups they run. See [`exclusion`].
const STATE_BODIES: &[&str] = &[
    "gru",
    "gu",
    "fsb",
    "svr",
    "kgb",
    "mss",
    "pla",
    "rgb",
    "nsa",
    "cia",
    "irgc",
    "mois",
    "sbu",
    "ministry of state security",
    "people's liberation army",
    "reconnaissance general bureau",
];

/// Words of generic group references ("the threat actors", "cybercriminals").
const GENERIC_WORDS: &[&str] = &[
    "the",
    "a",
    "an",
    "this",
    "these",
    "those",
    "that",
    "its",
    "their",
    "threat",
    "actor",
    "actors",
    "group",
    "groups",
    "gang",
    "gangs",
    "attacker",
    "attackers",
    "hacker",
    "hackers",
    "operator",
    "operators",
    "criminal",
    "criminals",
    "cybercriminal",
    "cybercriminals",
    "adversary",
    "adversaries",
    "crew",
    "apt",
    "state",
    "sponsored",
    "state-sponsored",
    "nation-state",
    "nation",
    "government",
    "affiliates",
    "affiliate",
    "ransomware",
    "malware",
    "cyber",
    "team",
    "unknown",
    "same",
    "other",
    "actor's",
    "group's",
];

// ---------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------

struct Args {
    splits: BTreeSet<String>,
    misses: bool,
    readability: bool,
    /// Part F only: main content on the WCEB subsets.
    wceb: bool,
    data: PathBuf,
    /// Where `--readability` writes each page's extracted and expected text
    /// (with `--wceb`: each page's extracted text and a per-page score table).
    dump: Option<PathBuf>,
    /// With `--wceb`: read each extractor's texts from this folder (written
    /// by `eval/compare`) instead of running threatdex.
    texts: Option<PathBuf>,
    /// Run only part F (the hand-judged sample).
    judged_only: bool,
}

fn parse_args() -> Result<Args> {
    let mut args = Args {
        splits: SPLITS.iter().map(|s| s.to_string()).collect(),
        misses: false,
        readability: false,
        wceb: false,
        data: Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data"),
        dump: None,
        texts: None,
        judged_only: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--split" => {
                let v = it.next().context("--split needs a value")?;
                args.splits = BTreeSet::new();
                for s in v.split(',') {
                    match s {
                        "all" => args.splits.extend(SPLITS.iter().map(|s| s.to_string())),
                        s if SPLITS.contains(&s) => {
                            args.splits.insert(s.to_string());
                        }
                        _ => bail!("unknown split {s:?} (train, dev, test, none or all)"),
                    }
                }
            }
            "--misses" => args.misses = true,
            "--readability" => args.readability = true,
            "--judged-only" => args.judged_only = true,
            "--wceb" => args.wceb = true,
            "--dump" => {
                args.dump = Some(PathBuf::from(
                    it.next().context("--dump needs a directory")?,
                ));
                args.readability = true;
            }
            "--data" => args.data = PathBuf::from(it.next().context("--data needs a directory")?),
            "--texts" => {
                args.texts = Some(PathBuf::from(
                    it.next().context("--texts needs a directory")?,
                ));
                args.wceb = true;
            }
            "-h" | "--help" => {
                println!(
                    "usage: eval [--split train|dev|test|none|all[,..]] [--misses] \
                     [--readability] [--wceb [--texts DIR]] [--dump DIR] [--data DIR] \
                     [--judged-only]\n\
                     --dump DIR writes each readability page's extracted and expected text\n\
                     --texts DIR scores eval/compare's stored texts per extractor (part G)"
                );
                std::process::exit(0);
            }
            _ => bail!("unknown argument {a:?}"),
        }
    }
    Ok(args)
}

fn main() -> Result<()> {
    let args = parse_args()?;
    if !args.data.is_dir() {
        println!(
            "note: evaluation data not found at {} (give --data DIR); nothing to measure.",
            args.data.display()
        );
        return Ok(());
    }
    if args.wceb {
        return wceb_report(&args);
    }
    let kb = Kb::builtin()?;
    if args.judged_only {
        return judged_report(&kb, &args);
    }
    let annoctr = args.data.join("corpus-real/annoctr");
    if annoctr.join("annotations-compact.jsonl").is_file() {
        let docs = load_annoctr(&annoctr, &args, &kb)?;
        actor_report(&docs, &kb, &args);
        annoctr_date_report(&docs, &args);
        country_report(&docs, &kb, &args);
    } else {
        println!(
            "note: {} not found; skipping parts A and B.\n",
            annoctr.display()
        );
    }
    other_corpora_dates(&args);
    judged_report(&kb, &args)?;
    if args.readability {
        readability_report(&args)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------

fn read_jsonl(path: &Path) -> Result<Vec<Value>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            serde_json::from_str(l).with_context(|| format!("bad JSON line in {}", path.display()))
        })
        .collect()
}

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        f64::NAN
    } else {
        a as f64 / b as f64
    }
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

fn fmt3(x: f64) -> String {
    if x.is_nan() {
        "    -".to_string()
    } else {
        format!("{x:5.3}")
    }
}

/// Reads a file into an article, choosing the kind from its extension (text
/// when it has none).
fn read_article(path: &Path) -> Option<Article> {
    let bytes = std::fs::read(path).ok()?;
    let kind = source_kind(path).unwrap_or(SourceKind::Text);
    article_from_bytes(&bytes, kind).ok()
}

fn first_lines(path: &Path, n: usize) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(n)
        .map(|l| l.chars().take(110).collect())
        .collect()
}

fn show_date(d: Option<NaiveDate>) -> String {
    d.map_or_else(|| "none".to_string(), |d| d.to_string())
}

// ---------------------------------------------------------------------------
// AnnoCTR documents and their gold actors
// ---------------------------------------------------------------------------

/// One AnnoCTR report with its gold data and our article.
struct Doc {
    id: String,
    vendor: String,
    split: &'static str,
    path: PathBuf,
    expected_date: Option<NaiveDate>,
    article: Option<Article>,
    /// Gold actors: key (canonical name, or the label when the KB lacks it)
    /// → the entity.
    gold: BTreeMap<String, GoldActor>,
    /// Gold GROUP entries left out by the rule, with the reason.
    excluded: Vec<(String, &'static str)>,
    /// Gold countries: ISO code → the mentions linked to it.
    gold_countries: BTreeMap<String, BTreeSet<String>>,
}

/// A gold actor of one document.
struct GoldActor {
    /// Whether the knowledge base knows the group.
    in_kb: bool,
    /// The mention texts the annotators linked to it.
    mentions: BTreeSet<String>,
}

fn load_annoctr(dir: &Path, args: &Args, kb: &Kb) -> Result<Vec<Doc>> {
    let mut docs = Vec::new();
    for v in read_jsonl(&dir.join("annotations-compact.jsonl"))? {
        let split = match s(&v, "split") {
            "train" => "train",
            "dev" => "dev",
            "test" => "test",
            _ => "none",
        };
        if !args.splits.contains(split) {
            continue;
        }
        let path = dir.join(s(&v, "file"));
        let links = v
            .get("links")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let (gold, excluded) = gold_actors(&links, kb);
        let gold_countries = gold_countries(&links, kb);
        docs.push(Doc {
            id: s(&v, "doc_id").to_string(),
            vendor: s(&v, "vendor").to_string(),
            split,
            expected_date: NaiveDate::parse_from_str(s(&v, "date_from_filename"), "%Y-%m-%d").ok(),
            article: read_article(&path),
            path,
            gold,
            excluded,
            gold_countries,
        });
    }
    Ok(docs)
}

/// The countries among a document's `LOC` links: the label (without a
/// "(region)" qualifier), else the mention, resolved by `Kb::resolve_country`.
/// Continents and regions ("Europe", "Middle East") resolve to nothing and
/// are left out.
fn gold_countries(links: &[Value], kb: &Kb) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for l in links.iter().filter(|l| s(l, "type") == "LOC") {
        let label = s(l, "label_title");
        let label = label.strip_suffix(" (region)").unwrap_or(label);
        let mention = s(l, "mention");
        if let Some(c) = kb
            .resolve_country(label)
            .or_else(|| kb.resolve_country(mention))
        {
            out.entry(c.code.clone())
                .or_default()
                .insert(mention.to_string());
        }
    }
    out
}

/// Turns a document's entity links into its gold actors.
///
/// The rule, the same for every split:
/// 1. Only explicit group mentions count: links of class `CE` and type
///    `GROUP`. (`CI` links are implicit: a described behaviour, not a name.)
/// 2. Entries that are not named actor groups are left out (see
///    [`exclusion`]): links to ATT&CK *software* pages (a malware, not a
///    group), state bodies (the GRU or FSB is a sponsor running several
///    groups, not a group's name) and generic references ("threat actors").
/// 3. Every other entry is resolved to one entity: an
///    `attack.mitre.org/groups/Gxxxx` link to the KB actor with that ATT&CK
///    id; otherwise the `label_title`, then the `mention`, through
///    `Kb::resolve_actor` (each also without a possessive and with a slug made
///    words: see [`name_variants`]). An entry that resolves to no single
///    actor stays a gold entity keyed by its label and counts against recall.
fn gold_actors(
    links: &[Value],
    kb: &Kb,
) -> (BTreeMap<String, GoldActor>, Vec<(String, &'static str)>) {
    let mut gold: BTreeMap<String, GoldActor> = BTreeMap::new();
    let mut excluded = Vec::new();
    for l in links {
        if s(l, "type") != "GROUP" || s(l, "class") != "CE" {
            continue;
        }
        let (mention, label, link) = (s(l, "mention"), s(l, "label_title"), s(l, "label_link"));
        if let Some(why) = exclusion(mention, link) {
            excluded.push((mention.to_string(), why));
            continue;
        }
        let by_mitre = link
            .split("attack.mitre.org/groups/")
            .nth(1)
            .map(|id| id.trim_end_matches('/'))
            .and_then(|id| kb.actors().iter().find(|a| a.mitre.as_deref() == Some(id)));
        let one = |name: &str| {
            name_variants(name)
                .into_iter()
                .find_map(|n| match kb.resolve_actor(&n) {
                    Resolved::One(a) => Some(a),
                    _ => None,
                })
        };
        let actor = by_mitre.or_else(|| one(label)).or_else(|| one(mention));
        let (key, in_kb) = match actor {
            Some(a) => (a.canonical.clone(), true),
            None => (
                if label.is_empty() { mention } else { label }.to_string(),
                false,
            ),
        };
        gold.entry(key)
            .or_insert_with(|| GoldActor {
                in_kb,
                mentions: BTreeSet::new(),
            })
            .mentions
            .insert(mention.to_string());
    }
    (gold, excluded)
}

/// The forms of a gold label or mention to look up: as written, without a
/// possessive, and with a knowledge-graph slug turned into words
/// ("mummy-spider" → "mummy spider", "TrickbotGang" → "Trickbot Gang").
fn name_variants(name: &str) -> Vec<String> {
    let name = name.trim();
    let bare = name.trim_end_matches("'s").trim_end_matches("’s");
    let mut words = String::new();
    let mut prev: Option<char> = None;
    for c in bare.chars() {
        if c == '-' || c == '_' {
            words.push(' ');
        } else {
            if c.is_uppercase() && prev.is_some_and(char::is_lowercase) {
                words.push(' ');
            }
            words.push(c);
        }
        prev = Some(c);
    }
    let mut out = vec![name.to_string(), bare.to_string(), words];
    out.dedup();
    out
}

/// Why a gold GROUP entry is not a named actor group, if it is not.
fn exclusion(mention: &str, link: &str) -> Option<&'static str> {
    if link.contains("attack.mitre.org/software/") {
        return Some("linked to ATT&CK software (a malware or tool, not a group)");
    }
    let m = mention.trim().to_lowercase();
    let m = m
        .trim_start_matches("the ")
        .trim_end_matches("'s")
        .trim_end_matches("’s");
    if STATE_BODIES.contains(&m)
        || m.ends_with(" government")
        || m.ends_with(" intelligence service")
        || m.ends_with(" intelligence services")
    {
        return Some("a state body (sponsor of several groups), not a group's name");
    }
    let generic = m.split_whitespace().all(|w| {
        GENERIC_WORDS.contains(&w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-'))
    });
    if generic {
        return Some("a generic reference, not a name");
    }
    None
}

// ---------------------------------------------------------------------------
// A. Actor facet
// ---------------------------------------------------------------------------

#[derive(Default, Clone, Copy)]
struct Counts {
    docs: usize,
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Counts {
    fn add(&mut self, o: Counts) {
        self.docs += o.docs;
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
    }
    fn line(&self, name: &str) -> String {
        let p = ratio(self.tp, self.tp + self.fp);
        let r = ratio(self.tp, self.tp + self.fn_);
        format!(
            "  {name:<22} {:>5} {:>5} {:>5} {:>5}   {}   {}   {}",
            self.docs,
            self.tp,
            self.fp,
            self.fn_,
            fmt3(p),
            fmt3(r),
            fmt3(if p.is_nan() || r.is_nan() {
                f64::NAN
            } else {
                f1(p, r)
            })
        )
    }
}

fn predicted(doc: &Doc, kb: &Kb) -> BTreeSet<String> {
    doc.article
        .as_ref()
        .map(|a| entities(a, kb).actors.into_iter().collect())
        .unwrap_or_default()
}

fn actor_report(docs: &[Doc], kb: &Kb, args: &Args) {
    println!("== A. Actor facet vs AnnoCTR expert annotations ==");
    println!("   (gold: explicit GROUP links; the 'none' documents carry no group annotations,");
    println!("    so they are not scored; see EVAL.md)\n");
    let mut by_split: BTreeMap<&str, Counts> = BTreeMap::new();
    let mut by_vendor: BTreeMap<String, Counts> = BTreeMap::new();
    let mut unscored_predictions = 0;
    let mut missing_from_kb: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut excluded: Vec<(String, String, &'static str)> = Vec::new();
    let mut miss_lines = String::new();
    for doc in docs {
        let pred = predicted(doc, kb);
        if doc.split == "none" {
            unscored_predictions += pred.len();
            by_split.entry("none").or_default().docs += 1;
            continue;
        }
        let gold: BTreeSet<&String> = doc.gold.keys().collect();
        let tp = pred.iter().filter(|p| gold.contains(p)).count();
        let c = Counts {
            docs: 1,
            tp,
            fp: pred.len() - tp,
            fn_: gold.len() - tp,
        };
        by_split.entry(doc.split).or_default().add(c);
        by_vendor.entry(doc.vendor.clone()).or_default().add(c);
        for (k, g) in &doc.gold {
            if !g.in_kb {
                missing_from_kb
                    .entry(k.clone())
                    .or_default()
                    .insert(doc.id.clone());
            }
        }
        for (m, why) in &doc.excluded {
            excluded.push((doc.id.clone(), m.clone(), why));
        }
        if args.misses {
            for p in pred.iter().filter(|p| !gold.contains(p)) {
                let ctx = firing_context(doc.article.as_ref().unwrap(), kb, p);
                let _ = writeln!(
                    miss_lines,
                    "  FP {:<8} {:<45} {p}\n       «{ctx}»",
                    doc.split, doc.id
                );
            }
            for (k, g) in doc.gold.iter().filter(|(k, _)| !pred.contains(*k)) {
                let mentions: Vec<&str> = g.mentions.iter().map(String::as_str).collect();
                let note = if g.in_kb { "" } else { "  [not in KB]" };
                let _ = writeln!(
                    miss_lines,
                    "  FN {:<8} {:<45} {k}{note}\n       gold mentions: {}",
                    doc.split,
                    doc.id,
                    mentions.join(" | ")
                );
            }
        }
    }
    println!(
        "  {:<22} {:>5} {:>5} {:>5} {:>5}   {:>5}   {:>5}   {:>5}",
        "split", "docs", "TP", "FP", "FN", "P", "R", "F1"
    );
    let mut all = Counts::default();
    for split in SPLITS {
        let Some(c) = by_split.get(split) else {
            continue;
        };
        if split == "none" {
            println!(
                "  {:<22} {:>5}   not annotated for groups ({unscored_predictions} actor predictions unscored)",
                "none", c.docs
            );
        } else {
            println!("{}", c.line(split));
            all.add(*c);
        }
    }
    println!("{}", all.line("all (annotated)"));
    println!("\n  per vendor (annotated documents):");
    for (v, c) in &by_vendor {
        println!("{}", c.line(v));
    }
    if !missing_from_kb.is_empty() {
        println!("\n  gold groups the KB cannot resolve (they count against recall):");
        for (k, ids) in &missing_from_kb {
            println!(
                "    {k:<28} in {} doc(s): {}",
                ids.len(),
                ids.iter().cloned().collect::<Vec<_>>().join(", ")
            );
        }
    }
    if !excluded.is_empty() {
        println!("\n  gold GROUP entries left out by the rule:");
        for (id, m, why) in &excluded {
            println!("    {id:<45} {m:<20} {why}");
        }
    }
    if args.misses && !miss_lines.is_empty() {
        println!("\n  misses:\n{miss_lines}");
    }
    println!();
}

/// The sentence-sized context where the matcher produced `actor`: the first
/// mention of one of its names whose surroundings alone yield the actor.
fn firing_context(article: &Article, kb: &Kb, actor: &str) -> String {
    let text = article
        .title_and_text()
        .replace(['\u{2019}', '\u{2018}'], "'");
    let Some(idx) = kb.actors().iter().position(|a| a.canonical == actor) else {
        return String::new();
    };
    let window = |start: usize, end: usize, width: usize| {
        let mut a = start.saturating_sub(width);
        while !text.is_char_boundary(a) {
            a -= 1;
        }
        let mut b = (end + width).min(text.len());
        while !text.is_char_boundary(b) {
            b += 1;
        }
        (a, b)
    };
    let mut first = None;
    for m in kb.matcher().find_iter(&text) {
        if !m.entries.iter().any(|e| e.target == Target::Actor(idx)) {
            continue;
        }
        let (a, b) = window(m.start, m.end, 90);
        first.get_or_insert((a, b));
        let (wa, wb) = window(m.start, m.end, 150);
        if entities_in_text(&text[wa..wb], kb)
            .actors
            .iter()
            .any(|x| x == actor)
        {
            return text[a..b].split_whitespace().collect::<Vec<_>>().join(" ");
        }
    }
    first.map_or_else(String::new, |(a, b)| {
        text[a..b].split_whitespace().collect::<Vec<_>>().join(" ")
    })
}

// ---------------------------------------------------------------------------
// B. AnnoCTR dates
// ---------------------------------------------------------------------------

fn annoctr_date_report(docs: &[Doc], args: &Args) {
    println!("== B. Dates of the AnnoCTR reports (vs the date in the file name) ==\n");
    let mut by_split: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut misses = Vec::new();
    for doc in docs {
        let got = doc.article.as_ref().and_then(|a| a.date);
        let ok = got.is_some() && got == doc.expected_date;
        let e = by_split.entry(doc.split).or_default();
        e.1 += 1;
        if ok {
            e.0 += 1;
        } else {
            misses.push(doc);
        }
    }
    println!(
        "  {:<22} {:>5} {:>7}   {:>8}",
        "split", "docs", "correct", "accuracy"
    );
    let mut all = (0, 0);
    for split in SPLITS {
        if let Some(&(ok, n)) = by_split.get(split) {
            println!("  {split:<22} {n:>5} {ok:>7}   {:>8}", fmt3(ratio(ok, n)));
            all.0 += ok;
            all.1 += n;
        }
    }
    println!(
        "  {:<22} {:>5} {:>7}   {:>8}",
        "all",
        all.1,
        all.0,
        fmt3(ratio(all.0, all.1))
    );
    if !misses.is_empty() {
        println!("\n  misses (doc, got, expected, first lines):");
        for doc in misses
            .iter()
            .take(if args.misses { usize::MAX } else { 20 })
        {
            println!(
                "    {:<55} got {:<10} expected {}",
                doc.id,
                show_date(doc.article.as_ref().and_then(|a| a.date)),
                show_date(doc.expected_date)
            );
            for l in first_lines(&doc.path, 3) {
                println!("        | {l}");
            }
        }
        if !args.misses && misses.len() > 20 {
            println!("    … {} more (use --misses)", misses.len() - 20);
        }
    }
    println!();
}

// ---------------------------------------------------------------------------
// C. Dates of other corpora
// ---------------------------------------------------------------------------

// ---------------------------------------------------------------------------
// E. Country facet
// ---------------------------------------------------------------------------

fn country_report(docs: &[Doc], kb: &Kb, args: &Args) {
    println!("== E. Country facet vs AnnoCTR LOC links that name a country ==");
    println!("   (gold: every linked country, whatever its role; ours: countries and seats)\n");
    println!(
        "  {:<22} {:>5} {:>5} {:>5} {:>5}   {:>5}   {:>5}   {:>5}",
        "split", "docs", "TP", "FP", "FN", "P", "R", "F1"
    );
    let mut by_split: BTreeMap<&str, Counts> = BTreeMap::new();
    let mut miss_lines = String::new();
    for doc in docs {
        let Some(article) = &doc.article else {
            continue;
        };
        let e = entities(article, kb);
        let pred: BTreeSet<String> = e.countries.into_iter().chain(e.seats).collect();
        let tp = pred
            .iter()
            .filter(|p| doc.gold_countries.contains_key(*p))
            .count();
        by_split.entry(doc.split).or_default().add(Counts {
            docs: 1,
            tp,
            fp: pred.len() - tp,
            fn_: doc.gold_countries.len() - tp,
        });
        if args.misses {
            for p in pred.iter().filter(|p| !doc.gold_countries.contains_key(*p)) {
                let _ = writeln!(miss_lines, "  FP {:<8} {:<45} {p}", doc.split, doc.id);
            }
            for (c, m) in doc
                .gold_countries
                .iter()
                .filter(|(c, _)| !pred.contains(*c))
            {
                let m: Vec<&str> = m.iter().map(String::as_str).collect();
                let _ = writeln!(
                    miss_lines,
                    "  FN {:<8} {:<45} {c}  gold mentions: {}",
                    doc.split,
                    doc.id,
                    m.join(" | ")
                );
            }
        }
    }
    let mut all = Counts::default();
    for split in SPLITS {
        if let Some(c) = by_split.get(split) {
            println!("{}", c.line(split));
            all.add(*c);
        }
    }
    println!("{}", all.line("all"));
    if args.misses && !miss_lines.is_empty() {
        println!("\n  misses:\n{miss_lines}");
    }
    println!();
}

fn other_corpora_dates(args: &Args) {
    println!("== C. Dates of other corpora (vs the date in index.jsonl) ==\n");
    println!(
        "  {:<28} {:>6} {:>7} {:>7}   {:>8}   {:>15}",
        "corpus", "files", "dated", "correct", "accuracy", "as indexed"
    );
    let mut all_misses = Vec::new();
    for name in ["wa-soc-advisories", "unit42-timely-threat-intel"] {
        let dir = args.data.join("corpus-real").join(name);
        let Ok(index) = read_jsonl(&dir.join("index.jsonl")) else {
            println!("  {name:<28} (no index.jsonl)");
            continue;
        };
        // "dated" counts the files whose index entry gives a date; the
        // others have nothing to compare against.
        // "as indexed" adds the indexer's fallback: a date in the file name
        // when the text gives none (ingest::article_from_file).
        let (mut dated, mut ok, mut ok_indexed) = (0, 0, 0);
        for v in &index {
            let path = dir.join(s(v, "file"));
            let Ok(expected) = NaiveDate::parse_from_str(s(v, "date"), "%Y-%m-%d") else {
                continue;
            };
            dated += 1;
            let got = read_article(&path).and_then(|a| a.date);
            let indexed = std::fs::read(&path).ok().and_then(|b| {
                let kind = source_kind(&path).unwrap_or(SourceKind::Text);
                threatdex::ingest::article_from_file(&path, &b, kind)
                    .ok()?
                    .date
            });
            if indexed == Some(expected) {
                ok_indexed += 1;
            }
            if got == Some(expected) {
                ok += 1;
            } else {
                all_misses.push((name, s(v, "file").to_string(), got, expected, path));
            }
        }
        println!(
            "  {name:<28} {:>6} {dated:>7} {ok:>7}   {:>8}   {:>15}",
            index.len(),
            fmt3(ratio(ok, dated)),
            format!("{ok_indexed} ({})", fmt3(ratio(ok_indexed, dated)))
        );
    }
    if !all_misses.is_empty() {
        let shown = if args.misses { usize::MAX } else { 10 };
        println!("\n  misses (first {}):", shown.min(all_misses.len()));
        for (corpus, file, got, expected, path) in all_misses.iter().take(shown) {
            println!(
                "    {corpus:<28} {file:<60} got {:<10} expected {expected}",
                show_date(*got)
            );
            if args.misses {
                for l in first_lines(path, 2) {
                    println!("        | {l}");
                }
            }
        }
    }
    println!();
}

// ---------------------------------------------------------------------------
// D. Main-content extraction on Readability's test pages
// ---------------------------------------------------------------------------

struct PageScore {
    name: String,
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl PageScore {
    /// The benchmark's per-page precision (None when nothing was predicted
    /// and nothing expected, which it leaves out of the mean).
    fn precision(&self) -> Option<f64> {
        if self.fp == 0 && self.fn_ == 0 {
            return Some(1.0);
        }
        (self.tp + self.fp > 0).then(|| self.tp as f64 / (self.tp + self.fp) as f64)
    }
    fn recall(&self) -> Option<f64> {
        if self.fp == 0 && self.fn_ == 0 {
            return Some(1.0);
        }
        (self.tp + self.fn_ > 0).then(|| self.tp as f64 / (self.tp + self.fn_) as f64)
    }
    fn f1(&self) -> f64 {
        f1(
            self.precision().unwrap_or(0.0),
            self.recall().unwrap_or(0.0),
        )
    }
}

fn shingles(text: &str, word: &Regex) -> HashSet<String> {
    let tokens: Vec<String> = word
        .find_iter(text)
        .map(|m| m.as_str().to_lowercase())
        .collect();
    if tokens.is_empty() {
        return HashSet::new();
    }
    if tokens.len() < 4 {
        return std::iter::once(tokens.join(" ")).collect();
    }
    tokens.windows(4).map(|w| w.join(" ")).collect()
}

/// The text content of an expected-content page: scripts, styles and
/// comments removed, block-level tags turned into word breaks and inline tags
/// into nothing (as a browser's textContent keeps "<b>foo</b>bar" one word),
/// entities decoded by html2text. Image alt texts are not text content.
fn html_text(html: &[u8]) -> String {
    static SKIP: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?is)<!--.*?-->|<script\b.*?</script\s*>|<style\b.*?</style\s*>").unwrap()
    });
    static BLOCK: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(concat!(
            r"(?i)</?(?:p|div|br|hr|h[1-6]|li|ul|ol|dl|dt|dd|table|thead|tbody|tfoot|tr|td|th|",
            r"caption|article|section|header|footer|aside|nav|main|blockquote|pre|figure|",
            r"figcaption|img|form|fieldset|legend|details|summary|address)\b[^>]*>"
        ))
        .unwrap()
    });
    static TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?s)<[^>]*>").unwrap());
    let html = String::from_utf8_lossy(html);
    let text = SKIP.replace_all(&html, " ");
    let text = BLOCK.replace_all(&text, " ");
    let text = TAG.replace_all(&text, "").into_owned();
    html2text::config::plain_no_decorate()
        .string_from_read(text.as_bytes(), 100_000)
        .unwrap_or(text)
}

fn readability_report(args: &Args) -> Result<()> {
    println!("== D. Main-content extraction on Readability's test pages ==\n");
    let dir = args.data.join("readability-pages/pages");
    if !dir.is_dir() {
        println!("  note: {} not found; skipped.\n", dir.display());
        return Ok(());
    }
    let word = Regex::new(r"\w+").unwrap();
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    names.sort();
    let mut scores = Vec::new();
    let (mut titles_ok, mut titles_n) = (0, 0);
    let (mut dates_ok, mut dates_n) = (0, 0);
    let mut date_misses = Vec::new();
    let mut seconds = 0.0;
    let mut bytes_total = 0usize;
    for page in &names {
        let Ok(source) = std::fs::read(page.join("source.html")) else {
            continue;
        };
        let expected = std::fs::read(page.join("expected.html")).unwrap_or_default();
        let meta: Value = std::fs::read_to_string(page.join("expected-metadata.json"))
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or(Value::Null);
        bytes_total += source.len();
        let t0 = Instant::now();
        let article = article_from_bytes(&source, SourceKind::Html).unwrap_or_default();
        seconds += t0.elapsed().as_secs_f64();
        let expected_text = html_text(&expected);
        let ours = shingles(&article.text, &word);
        let gold = shingles(&expected_text, &word);
        let tp = ours.intersection(&gold).count();
        let name = page.file_name().unwrap().to_string_lossy().to_string();
        if let Some(dir) = &args.dump {
            std::fs::create_dir_all(dir)?;
            std::fs::write(dir.join(format!("{name}.ours.txt")), &article.text)?;
            std::fs::write(dir.join(format!("{name}.expected.txt")), &expected_text)?;
        }
        scores.push(PageScore {
            name: name.clone(),
            tp,
            fp: ours.len() - tp,
            fn_: gold.len() - tp,
        });
        if let Some(t) = meta.get("title").and_then(Value::as_str) {
            titles_n += 1;
            if article.title.as_deref().map(str::trim) == Some(t.trim()) {
                titles_ok += 1;
            }
        }
        if let Some(pt) = meta.get("publishedTime").and_then(Value::as_str) {
            if let Some(expected) = pt
                .get(..10)
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            {
                dates_n += 1;
                if article.date == Some(expected) {
                    dates_ok += 1;
                } else {
                    date_misses.push((name, article.date, expected));
                }
            }
        }
    }
    let ps: Vec<f64> = scores.iter().filter_map(PageScore::precision).collect();
    let rs: Vec<f64> = scores.iter().filter_map(PageScore::recall).collect();
    let p = ps.iter().sum::<f64>() / ps.len().max(1) as f64;
    let r = rs.iter().sum::<f64>() / rs.len().max(1) as f64;
    println!("  pages                 {:>6}", scores.len());
    println!(
        "  shingle F1            {:>6}   (of mean precision and mean recall)",
        fmt3(f1(p, r))
    );
    println!("  mean precision        {:>6}", fmt3(p));
    println!("  mean recall           {:>6}", fmt3(r));
    println!(
        "  title exact match     {:>6}   ({titles_ok}/{titles_n})",
        fmt3(ratio(titles_ok, titles_n))
    );
    println!(
        "  date accuracy         {:>6}   ({dates_ok}/{dates_n} pages with publishedTime)",
        fmt3(ratio(dates_ok, dates_n))
    );
    println!(
        "  speed                 {:>6.0} pages/s  ({:.1} MB/s, extraction only, one thread)",
        scores.len() as f64 / seconds.max(1e-9),
        bytes_total as f64 / 1e6 / seconds.max(1e-9)
    );
    scores.sort_by(|a, b| a.f1().total_cmp(&b.f1()));
    println!("\n  10 worst pages:             F1       P       R");
    for sc in scores.iter().take(10) {
        println!(
            "    {:<24} {}   {}   {}",
            sc.name,
            fmt3(sc.f1()),
            fmt3(sc.precision().unwrap_or(f64::NAN)),
            fmt3(sc.recall().unwrap_or(f64::NAN))
        );
    }
    if args.misses && !date_misses.is_empty() {
        println!("\n  date misses:");
        for (name, got, expected) in &date_misses {
            println!(
                "    {name:<40} got {:<10} expected {expected}",
                show_date(*got)
            );
        }
    }
    println!();
    Ok(())
}

// ---------------------------------------------------------------------------
// F. The hand-judged sample of real documents
// ---------------------------------------------------------------------------

/// The fields judged in `eval/judged-sample.jsonl`, in report order.
const JUDGED_FIELDS: [&str; 5] = ["title", "date", "actors", "targets", "sectors"];

/// Precision and recall counts of one field.
#[derive(Default, Clone, Copy)]
struct FieldCounts {
    /// Values output and judged right.
    tp: usize,
    /// Values output and judged wrong.
    fp: usize,
    /// Judged values not output.
    fn_: usize,
    /// Documents where the output equals the judgement.
    docs_right: usize,
    /// Documents scored.
    docs: usize,
}

impl FieldCounts {
    /// Adds one document: the values output and the values judged right.
    fn add(&mut self, got: &BTreeSet<String>, judged: &BTreeSet<String>) {
        self.tp += got.intersection(judged).count();
        self.fp += got.difference(judged).count();
        self.fn_ += judged.difference(got).count();
        self.docs += 1;
        self.docs_right += usize::from(got == judged);
    }
}

/// A title compared by its words: case, spacing and Markdown emphasis
/// do not count.
fn title_key(t: &str) -> String {
    t.split_whitespace()
        .map(|w| w.trim_matches(|c: char| c == '*' || c == '_' || c == '#'))
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The judged values of `field` in one fixture line.
fn judged_values(v: &Value, field: &str) -> BTreeSet<String> {
    match v.get(field) {
        Some(Value::String(s)) if field == "title" => [title_key(s)].into(),
        Some(Value::String(s)) => [s.clone()].into(),
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => BTreeSet::new(),
    }
}

/// Part F: extraction on the hand-judged sample (`eval/judged-sample.jsonl`,
/// paths relative to `corpus-real`), as the indexer reads each file
/// (`article_from_file`, with its file-name date fallback). Skips with a
/// note when the fixture or a document is missing.
fn judged_report(kb: &Kb, args: &Args) -> Result<()> {
    println!("== F. Hand-judged sample of real documents (eval/judged-sample.jsonl) ==\n");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("eval/judged-sample.jsonl");
    let corpus = args.data.join("corpus-real");
    if !fixture.is_file() || !corpus.is_dir() {
        println!(
            "  note: {} or {} not found; skipping part F.\n",
            fixture.display(),
            corpus.display()
        );
        return Ok(());
    }
    let lines = read_jsonl(&fixture)?;
    // Per collection, then "all": the counts of each field.
    let mut table: BTreeMap<String, [FieldCounts; 5]> = BTreeMap::new();
    let mut missing = 0;
    let mut misses = Vec::new();
    for v in &lines {
        let rel = s(v, "path");
        let path = corpus.join(rel);
        let Some(article) = std::fs::read(&path).ok().and_then(|b| {
            let kind = source_kind(&path).unwrap_or(SourceKind::Text);
            threatdex::ingest::article_from_file(&path, &b, kind).ok()
        }) else {
            missing += 1;
            continue;
        };
        let e = entities(&article, kb);
        let got: [BTreeSet<String>; 5] = [
            article.title.iter().map(|t| title_key(t)).collect(),
            article.date.iter().map(|d| d.to_string()).collect(),
            e.actors.into_iter().collect(),
            e.targets.into_iter().collect(),
            e.sectors.into_iter().collect(),
        ];
        let mut group = s(v, "collection").to_string();
        if let Some(split) = v.get("split").and_then(Value::as_str) {
            // AnnoCTR test documents would be reported apart, never pooled
            // with the tuning splits (the sample holds none).
            if split == "test" {
                group.push_str(" (test)");
            }
        }
        for (i, field) in JUDGED_FIELDS.iter().enumerate() {
            let judged = judged_values(v, field);
            for key in [group.as_str(), "all"] {
                table.entry(key.to_string()).or_default()[i].add(&got[i], &judged);
            }
            if got[i] != judged {
                let show = |x: &BTreeSet<String>| x.iter().cloned().collect::<Vec<_>>().join(", ");
                misses.push(format!(
                    "    {rel}\n      {field}: got [{}] judged [{}]",
                    show(&got[i]),
                    show(&judged)
                ));
            }
        }
    }
    println!(
        "  {} documents judged{}; P = right/output, R = right/judged (micro, per value)\n",
        lines.len() - missing,
        if missing > 0 {
            format!(" ({missing} listed but not found, skipped)")
        } else {
            String::new()
        }
    );
    println!(
        "  {:<30} {:<8} {:>4} {:>4} {:>4}   {:>5}   {:>5}   {:>9}",
        "collection", "field", "tp", "fp", "fn", "P", "R", "docs ok"
    );
    let order = table
        .keys()
        .filter(|k| *k != "all")
        .cloned()
        .chain(["all".to_string()]);
    for key in order {
        for (i, field) in JUDGED_FIELDS.iter().enumerate() {
            let c = table[&key][i];
            println!(
                "  {:<30} {field:<8} {:>4} {:>4} {:>4}   {}   {}   {:>4}/{:<4}",
                if i == 0 { key.as_str() } else { "" },
                c.tp,
                c.fp,
                c.fn_,
                fmt3(ratio(c.tp, c.tp + c.fp)),
                fmt3(ratio(c.tp, c.tp + c.fn_)),
                c.docs_right,
                c.docs
            );
        }
    }
    if args.misses && !misses.is_empty() {
        println!("\n  disagreements:");
        for m in &misses {
            println!("{m}");
        }
    }
    println!();
    Ok(())
}

// ---------------------------------------------------------------------------
// G. Main content on the WCEB subsets
// ---------------------------------------------------------------------------

/// The line dragnet's truth puts between an article and its comments.
const DRAGNET_COMMENTS: &str = "!@#$%^&*()  COMMENTS";

/// One subset's sums.
#[derive(Default)]
struct WcebRow {
    pages: usize,
    rouge: (f64, f64, f64),
    shingles: Vec<PageScore>,
    seconds: f64,
}

impl WcebRow {
    /// Adds one page: its extracted `text` scored against `truth`, and the
    /// seconds its extraction took.
    fn add(&mut self, m: &WcebMetric, id: &str, truth: &str, text: &str, seconds: f64) {
        let (p, r, f) = rouge_lsum::rouge_lsum(&m.punkt, truth, text);
        self.pages += 1;
        self.rouge.0 += p;
        self.rouge.1 += r;
        self.rouge.2 += f;
        self.seconds += seconds;
        let ours = shingles(text, &m.word);
        let gold = shingles(truth, &m.word);
        let tp = ours.intersection(&gold).count();
        self.shingles.push(PageScore {
            name: id.to_string(),
            tp,
            fp: ours.len() - tp,
            fn_: gold.len() - tp,
        });
    }

    fn print(&self, name: &str) {
        let n = self.pages.max(1) as f64;
        let ps: Vec<f64> = self
            .shingles
            .iter()
            .filter_map(PageScore::precision)
            .collect();
        let rs: Vec<f64> = self.shingles.iter().filter_map(PageScore::recall).collect();
        let p = ps.iter().sum::<f64>() / ps.len().max(1) as f64;
        let r = rs.iter().sum::<f64>() / rs.len().max(1) as f64;
        println!(
            "  {name:<26} {:>5}   {}  {}  {}    {}  {}  {}   {:>6.0}",
            self.pages,
            fmt3(self.rouge.0 / n),
            fmt3(self.rouge.1 / n),
            fmt3(self.rouge.2 / n),
            fmt3(p),
            fmt3(r),
            fmt3(f1(p, r)),
            self.pages as f64 / self.seconds.max(1e-9)
        );
    }
}

/// What part G scores with: the Punkt model and the shingles' word pattern.
struct WcebMetric {
    punkt: rouge_lsum::Punkt,
    word: Regex,
}

/// Where part G's page texts come from: threatdex, run here and timed, or
/// one extractor's texts and times as `eval/compare` stored them
/// (`--texts DIR`: `DIR/<extractor>/<subset>/<page_id>.txt`, `seconds.tsv`).
enum PageTexts {
    Threatdex,
    Stored {
        dir: PathBuf,
        seconds: HashMap<String, f64>,
    },
}

impl PageTexts {
    /// The texts of one subset: `stored` is `DIR/<extractor>`, if any. None
    /// if that extractor has no folder for the subset.
    fn for_subset(stored: Option<&Path>, subset: &str) -> Result<Option<Self>> {
        let Some(dir) = stored else {
            return Ok(Some(Self::Threatdex));
        };
        let dir = dir.join(subset);
        let tsv = dir.join("seconds.tsv");
        if !tsv.is_file() {
            return Ok(None);
        }
        let seconds = std::fs::read_to_string(&tsv)
            .with_context(|| format!("reading {}", tsv.display()))?
            .lines()
            .filter_map(|l| {
                let (id, s) = l.split_once('\t')?;
                Some((id.to_string(), s.trim().parse().ok()?))
            })
            .collect();
        Ok(Some(Self::Stored { dir, seconds }))
    }

    /// A page's main-content text and the seconds its extraction took.
    fn text(&self, id: &str, html: &[u8]) -> Result<(String, f64)> {
        match self {
            Self::Threatdex => {
                let t0 = Instant::now();
                let article = article_from_bytes(html, SourceKind::Html).unwrap_or_default();
                Ok((article.text, t0.elapsed().as_secs_f64()))
            }
            Self::Stored { dir, seconds } => {
                let path = dir.join(format!("{id}.txt"));
                let text = std::fs::read_to_string(&path)
                    .with_context(|| format!("reading {}", path.display()))?;
                let took = *seconds
                    .get(id)
                    .with_context(|| format!("no time for {id} in {}", dir.display()))?;
                Ok((text, took))
            }
        }
    }
}

fn wceb_report(args: &Args) -> Result<()> {
    println!("== G. Main content on WCEB subsets ==\n");
    let root = args.data.join("main-content-wceb");
    if !root.is_dir() {
        println!("  note: {} not found; skipped.\n", root.display());
        return Ok(());
    }
    let metric = WcebMetric {
        punkt: rouge_lsum::Punkt::load(&root.join("punkt/punkt_english.json"))?,
        word: Regex::new(r"\w+").unwrap(),
    };
    // (name, stored texts): threatdex run here, or every extractor folder.
    let extractors: Vec<(String, Option<PathBuf>)> = match &args.texts {
        None => vec![("threatdex".to_string(), None)],
        Some(dir) => {
            let mut v: Vec<(String, Option<PathBuf>)> = std::fs::read_dir(dir)
                .with_context(|| format!("reading {}", dir.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_dir())
                .map(|p| {
                    (
                        p.file_name().unwrap().to_string_lossy().into_owned(),
                        Some(p),
                    )
                })
                .collect();
            v.sort();
            v
        }
    };
    for (name, stored) in &extractors {
        if args.texts.is_some() {
            println!("  [{name}]");
        }
        println!(
            "  {:<26} {:>5}   {:>5}  {:>5}  {:>5}    {:>5}  {:>5}  {:>5}   {:>6}",
            "subset", "pages", "R-P", "R-R", "R-F1", "sh-P", "sh-R", "sh-F1", "pages/s"
        );
        let dump = match (&args.dump, &args.texts) {
            (Some(out), Some(_)) => Some(out.join(name)),
            (out, None) => out.clone(),
            (None, _) => None,
        };
        wceb_table(args, &root, &metric, stored.as_deref(), dump.as_deref())?;
        println!();
    }
    println!(
        "  R-: ROUGE-LSum, mean of per-page P, R, F1 (WCEB). sh-: word 4-gram shingles\n  \
         (sets of lowercased \\w+ tokens, as part D): mean P, mean R, F1 of the two.\n  \
         pages/s: the extraction call alone, one thread (threatdex: article_from_bytes,\n  \
         decode + extraction; with --texts, the times eval/compare recorded).\n  \
         readability-pages (D): part D's pages and expected text, not in \"all pages\".\n"
    );
    Ok(())
}

/// Part G's table for one extractor: a line per WCEB subset, dragnet without
/// its comments, all pages, and the Readability pages of part D.
fn wceb_table(
    args: &Args,
    root: &Path,
    metric: &WcebMetric,
    stored: Option<&Path>,
    dump: Option<&Path>,
) -> Result<()> {
    let mut all = WcebRow::default();
    let mut dump_rows = String::new();
    for subset in ["cleaneval", "cleanportaleval", "dragnet", "readability"] {
        let dir = root.join(subset);
        let mut pages: Vec<PathBuf> = match std::fs::read_dir(dir.join("html")) {
            Ok(rd) => rd
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "html"))
                .collect(),
            Err(_) => continue,
        };
        pages.sort();
        let Some(texts) = PageTexts::for_subset(stored, subset)? else {
            println!("  {subset:<26} (no texts)");
            continue;
        };
        let mut row = WcebRow::default();
        let mut no_comments = WcebRow::default();
        for page in &pages {
            let Some(id) = page.file_stem().and_then(|s| s.to_str()) else {
                continue;
            };
            let Ok(truth) = std::fs::read_to_string(dir.join("truth").join(format!("{id}.txt")))
            else {
                continue;
            };
            let bytes = std::fs::read(page)?;
            let html = if subset.starts_with("clean") {
                wceb::strip_cleaneval_wrapper(&bytes)
            } else {
                &bytes
            };
            let (text, took) = texts.text(id, html)?;
            row.add(metric, id, &truth, &text, took);
            all.add(metric, id, &truth, &text, took);
            if let Some(out) = dump {
                let out = out.join(subset);
                std::fs::create_dir_all(&out)?;
                std::fs::write(out.join(format!("{id}.ours.txt")), &text)?;
                let (p, r, f) = rouge_lsum::rouge_lsum(&metric.punkt, &truth, &text);
                dump_rows.push_str(&format!("{subset}\t{id}\t{p:.6}\t{r:.6}\t{f:.6}\n"));
            }
            if subset == "dragnet" {
                let article_only = truth.split(DRAGNET_COMMENTS).next().unwrap_or("");
                no_comments.add(metric, id, article_only, &text, took);
            }
        }
        row.print(subset);
        if subset == "dragnet" {
            no_comments.print("dragnet, truth w/o comments");
        }
    }
    all.print("all pages");
    if let Some(out) = dump {
        std::fs::create_dir_all(out)?;
        std::fs::write(out.join("rouge-lsum.tsv"), &dump_rows)?;
    }
    let dir = args.data.join("readability-pages/pages");
    let Some(texts) = PageTexts::for_subset(stored, "readability-pages")? else {
        return Ok(());
    };
    let mut names: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.join("source.html").is_file())
            .collect(),
        Err(_) => return Ok(()),
    };
    names.sort();
    let mut row = WcebRow::default();
    for page in &names {
        let name = page.file_name().unwrap().to_string_lossy();
        let html = std::fs::read(page.join("source.html"))?;
        let truth = html_text(&std::fs::read(page.join("expected.html")).unwrap_or_default());
        let (text, took) = texts.text(&name, &html)?;
        row.add(metric, &name, &truth, &text, took);
    }
    row.print("readability-pages (D)");
    Ok(())
}
