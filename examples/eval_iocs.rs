//! Scores the indicators threatdex exports against a hand-judged sample.
//!
//! `eval/judged-indicators.tsv` holds (document, type, value) pairs drawn
//! from what an older build exported (every public IOC of the real
//! collections), each judged by reading its context: `indicator` (the
//! attackers', worth blocking) or `reference`. This re-extracts each
//! document with the current rules and reports:
//! - precision before: the share of judged indicators in the sample (the
//!   older build exported all of them);
//! - precision after: among the sampled pairs still exported (public scope,
//!   role indicator), the share judged indicators;
//! - recall: the share of judged indicators still exported (what roles
//!   lost), and each loss or false positive with `--misses`.
//!
//! It also counts, over every real-collection document, the public IOCs
//! found and how many are exported as indicators.
//!
//! ```text
//! cargo run --release --example eval_iocs -- [--data DIR] [--misses]
//! ```
//!
//! `--data` is the folder holding `corpus-real` (default `../shared/data`
//! beside the crate); without it the example prints a note and exits 0.

use anyhow::{bail, Context, Result};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use threatdex::ingest::{article_from_file, source_kind};
use threatdex::model::{Indicators, Role, Scope};

/// One judged row of the fixture.
struct Judged {
    document: String,
    kind: String,
    value: String,
    indicator: bool,
    evidence: String,
}

fn main() -> Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut data = root.join("../shared/data");
    let mut misses = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--data" => data = PathBuf::from(args.next().context("--data needs a folder")?),
            "--misses" => misses = true,
            other => bail!("unknown argument {other:?}"),
        }
    }
    let real = data.join("corpus-real");
    if !real.is_dir() {
        println!(
            "no {} here: nothing to score (pass --data DIR)",
            real.display()
        );
        return Ok(());
    }
    let fixture = root.join("eval/judged-indicators.tsv");
    let judged = read_fixture(&fixture)?;

    let mut extracted: BTreeMap<&str, Indicators> = BTreeMap::new();
    for j in &judged {
        if !extracted.contains_key(j.document.as_str()) {
            let path = real.join(&j.document);
            extracted.insert(&j.document, indicators_of(&path)?);
        }
    }

    let (mut tp, mut fp, mut lost) = (0usize, 0usize, 0usize);
    let mut notes = Vec::new();
    for j in &judged {
        let exported = extracted[j.document.as_str()].iocs.iter().any(|i| {
            i.kind.name() == j.kind
                && i.value.eq_ignore_ascii_case(&j.value)
                && i.scope == Scope::Public
                && i.role == Role::Indicator
        });
        match (exported, j.indicator) {
            (true, true) => tp += 1,
            (true, false) => {
                fp += 1;
                notes.push(format!(
                    "false positive: {} {} ({})",
                    j.kind, j.value, j.evidence
                ));
            }
            (false, true) => {
                lost += 1;
                notes.push(format!("lost: {} {} ({})", j.kind, j.value, j.evidence));
            }
            (false, false) => {}
        }
    }
    let total = judged.len();
    let judged_indicators = judged.iter().filter(|j| j.indicator).count();
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    println!("Indicators: hand-judged sample of {total} exported (document, indicator) pairs");
    println!(
        "  before roles: {judged_indicators} of {total} exported pairs are the attackers' \
         (precision {:.3})",
        ratio(judged_indicators, total)
    );
    println!(
        "  after roles:  {} exported, {tp} the attackers' (precision {:.3}); \
         {tp} of {judged_indicators} judged indicators kept (recall {:.3}, {lost} lost)",
        tp + fp,
        ratio(tp, tp + fp),
        ratio(tp, judged_indicators)
    );
    if misses {
        for n in &notes {
            println!("    {n}");
        }
    }

    let (found, exported) = collection_counts(&real)?;
    println!(
        "  all real collections: {found} public (document, IOC) pairs found, \
         {exported} exported as indicators"
    );
    Ok(())
}

/// Reads the fixture: a TSV with `#` comment lines and a header row.
fn read_fixture(path: &Path) -> Result<Vec<Judged>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.starts_with("document\t") || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let [document, kind, value, judgement, evidence] = cols[..] else {
            bail!("{}:{}: expected 5 columns", path.display(), n + 1);
        };
        let indicator = match judgement {
            "indicator" => true,
            "reference" => false,
            other => bail!("{}:{}: unknown judgement {other:?}", path.display(), n + 1),
        };
        out.push(Judged {
            document: document.into(),
            kind: kind.into(),
            value: value.into(),
            indicator,
            evidence: evidence.into(),
        });
    }
    Ok(out)
}

/// The indicators of one file, as `index` would store them.
fn indicators_of(path: &Path) -> Result<Indicators> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let kind = source_kind(path).with_context(|| format!("{}: not a report", path.display()))?;
    let article = article_from_file(path, &bytes, kind)
        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    Ok(threatdex::ioc::indicators(&article))
}

/// Over every report of the real collections (collection README, SOURCE and
/// LICENSE files aside): the public IOCs found and those exported.
fn collection_counts(real: &Path) -> Result<(usize, usize)> {
    let (mut found, mut exported) = (0, 0);
    let mut dirs = vec![real.to_path_buf()];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d)? {
            let p = e?.path();
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
            let meta = name.as_deref().is_some_and(|n| {
                ["LICENSE", "SOURCE", "README"]
                    .iter()
                    .any(|m| n.starts_with(m))
            });
            if p.is_dir() {
                dirs.push(p);
            } else if !meta && source_kind(&p).is_some() {
                let Ok(ind) = indicators_of(&p) else { continue };
                for i in ind.iocs.iter().filter(|i| i.scope == Scope::Public) {
                    found += 1;
                    exported += usize::from(i.role == Role::Indicator);
                }
            }
        }
    }
    Ok((found, exported))
}
