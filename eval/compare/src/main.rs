//! Runs threatdex and other Rust main-content extractors from crates.io on
//! the WCEB subsets (`main-content-wceb/`) and on Mozilla Readability's test
//! pages (`readability-pages/`), and writes what each one keeps as plain text
//! for `examples/eval.rs --wceb --texts OUT` to score (EVAL.md, issue #17).
//!
//! Output: `OUT/<extractor>/<subset>/<page_id>.txt`, plus per subset
//! `seconds.tsv` (page id, seconds of the extraction call alone) and
//! `status.tsv` (page id, `ok`, `empty`, `error` or `panic`).
//!
//! Every page is run on one thread, one extractor after another. The
//! third-party extractors all get the same `&str`: the page's bytes decoded by
//! [`decode`] (byte-order mark, else the charset a `<meta>` tag declares,
//! else UTF-8 with invalid bytes replaced). threatdex gets the bytes, as
//! `article_from_bytes` does in the evaluation, so its time includes its own
//! decoding. A panic is caught and counts as empty output.
//!
//! ```text
//! cargo run --release -- [--data DIR] [--out DIR] [--only NAME[,NAME..]]
//! ```

use encoding_rs::{Encoding, UTF_8};
use regex::bytes::Regex;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[path = "../../../examples/support/wceb.rs"]
mod wceb;

/// The WCEB subsets, in the evaluation's order.
const WCEB_SUBSETS: [&str; 4] = ["cleaneval", "cleanportaleval", "dragnet", "readability"];

/// The subset name under which Mozilla Readability's current test pages go.
const READABILITY_PAGES: &str = "readability-pages";

/// The URL handed to extractors that require one (none of them fetches it).
const PLACEHOLDER_URL: &str = "https://example.com/page.html";

/// One page as every extractor receives it.
struct Page<'a> {
    /// The page's bytes (CleanEval wrapper stripped), for threatdex.
    bytes: &'a [u8],
    /// The same bytes decoded by [`decode`], for the other extractors.
    html: &'a str,
}

/// What one extraction call gave.
enum Outcome {
    Text(String),
    Error,
}

/// An extractor's name (its output folder) and its call.
struct Extractor {
    name: &'static str,
    run: fn(&Page) -> Outcome,
}

fn ok_or_error<T, E>(r: Result<T, E>, text: impl FnOnce(T) -> String) -> Outcome {
    match r {
        Ok(v) => Outcome::Text(text(v)),
        Err(_) => Outcome::Error,
    }
}

/// The extractors, each called the way its documentation shows, with default
/// options unless said otherwise; the text is the crate's own plain-text
/// output.
const EXTRACTORS: &[Extractor] = &[
    Extractor {
        name: "threatdex",
        run: |p| {
            ok_or_error(
                threatdex::ingest::article_from_bytes(p.bytes, threatdex::model::SourceKind::Html),
                |a| a.text,
            )
        },
    },
    // Readability.js port. Its README says the default (raw) text_content
    // may squash words together and offers TextMode::Formatted for text.
    Extractor {
        name: "dom_smoothie",
        run: |p| {
            let cfg = dom_smoothie::Config {
                text_mode: dom_smoothie::TextMode::Formatted,
                ..Default::default()
            };
            match dom_smoothie::Readability::new(p.html, None, Some(cfg)) {
                Ok(mut r) => ok_or_error(r.parse(), |a| a.text_content.to_string()),
                Err(_) => Outcome::Error,
            }
        },
    },
    // Readability.js port.
    Extractor {
        name: "readabilityrs",
        run: |p| match readabilityrs::Readability::new(p.html, None, None) {
            Ok(r) => match r.parse() {
                Some(a) => Outcome::Text(a.text_content.unwrap_or_default()),
                None => Outcome::Error,
            },
            Err(_) => Outcome::Error,
        },
    },
    // Readability.js port.
    Extractor {
        name: "legible",
        run: |p| ok_or_error(legible::parse(p.html, None, None), |a| a.text_content),
    },
    // Port of go-readability (readeck), itself a Readability.js port.
    Extractor {
        name: "libreadability",
        run: |p| ok_or_error(libreadability::extract(p.html, None), |a| a.text_content),
    },
    // Port of arc90's readability (the 2010 bookmarklet), the newest fork
    // of kumabook/readability.
    Extractor {
        name: "readability-rs",
        run: |p| {
            let url = url::Url::parse(PLACEHOLDER_URL).expect("valid URL");
            ok_or_error(
                readability::extract(&mut p.html.as_bytes(), &url, Default::default()),
                |r| r.text,
            )
        },
    },
    // spider-rs's rewrite of readability-rs.
    Extractor {
        name: "llm_readability",
        run: |p| {
            let url = url::Url::parse(PLACEHOLDER_URL).expect("valid URL");
            ok_or_error(
                llm_readability::extractor::extract(&mut p.html.as_bytes(), &url),
                |r| r.text,
            )
        },
    },
    // Port of go-trafilatura; default options (no fallback; comments are
    // returned apart, in comments_text, and not counted here).
    Extractor {
        name: "trafilatura",
        run: |p| {
            ok_or_error(
                trafilatura::extract(p.html, &trafilatura::Options::default()),
                |r| r.content_text,
            )
        },
    },
    // The same with the readability/baseline fallback that its README
    // shows (Python trafilatura's default).
    Extractor {
        name: "trafilatura+fallback",
        run: |p| {
            ok_or_error(
                trafilatura::extract(p.html, &trafilatura::Options::default().with_fallback(true)),
                |r| r.content_text,
            )
        },
    },
    // Port of Python trafilatura with a page-type classifier; defaults.
    Extractor {
        name: "rs-trafilatura",
        run: |p| ok_or_error(rs_trafilatura::extract(p.html), |r| r.content_text),
    },
];

/// How many leading bytes are searched for a `<meta>` charset (as threatdex).
const SNIFF_BYTES: usize = 8 * 1024;

/// How a page was decoded, for `decoding.tsv`: `bom <encoding>`,
/// `meta <encoding>` (with `, valid UTF-8` when the bytes are valid UTF-8
/// but declared otherwise) or `utf-8 (undeclared)`.
type DecodedBy = String;

/// The page as text: by byte-order mark, else by the charset of the first
/// `<meta charset=…>` or `<meta http-equiv content="…charset=…">` in the
/// first [`SNIFF_BYTES`], else as UTF-8; invalid bytes become U+FFFD. A
/// declared UTF-16 means UTF-8, as in the HTML standard's prescan.
fn decode(bytes: &[u8]) -> (Cow<'_, str>, DecodedBy) {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let text = enc.decode_without_bom_handling(&bytes[bom_len..]).0;
        return (text, format!("bom {}", enc.name()));
    }
    static META: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| {
        Regex::new(r#"(?i)<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)"#).unwrap()
    });
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    if let Some(enc) = META
        .captures(head)
        .and_then(|c| Encoding::for_label(&c[1]))
        .map(|e| e.output_encoding())
    {
        let mut how = format!("meta {}", enc.name());
        if enc != UTF_8 && std::str::from_utf8(bytes).is_ok() {
            how.push_str(", valid UTF-8");
        }
        return (enc.decode_without_bom_handling(bytes).0, how);
    }
    (
        String::from_utf8_lossy(bytes),
        "utf-8 (undeclared)".to_string(),
    )
}

/// A subset's pages: (page id, HTML file), sorted by id.
fn pages(data: &Path, subset: &str) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    if subset == READABILITY_PAGES {
        let dir = data.join("readability-pages/pages");
        for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let source = e.path().join("source.html");
            if source.is_file() {
                out.push((e.file_name().to_string_lossy().into_owned(), source));
            }
        }
    } else {
        let dir = data.join("main-content-wceb").join(subset).join("html");
        for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = e.path();
            if path.extension().is_some_and(|x| x == "html") {
                if let Some(id) = path.file_stem().and_then(|s| s.to_str()) {
                    out.push((id.to_string(), path.clone()));
                }
            }
        }
    }
    out.sort();
    out
}

/// Counts per extractor and subset, for the closing summary.
#[derive(Default)]
struct Tally {
    pages: usize,
    empty: usize,
    errors: usize,
    panics: usize,
    seconds: f64,
}

struct Options {
    data: PathBuf,
    out: PathBuf,
    only: Option<Vec<String>>,
}

fn parse_args() -> Result<Options, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut opts = Options {
        data: root.join("../shared/data"),
        out: root.join("../compare-out"),
        only: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--data" => opts.data = PathBuf::from(value()?),
            "--out" => opts.out = PathBuf::from(value()?),
            "--only" => opts.only = Some(value()?.split(',').map(str::to_string).collect()),
            "-h" | "--help" => {
                let names: Vec<&str> = EXTRACTORS.iter().map(|e| e.name).collect();
                println!(
                    "usage: threatdex-compare [--data DIR] [--out DIR] [--only NAME[,NAME..]]\n\
                     extractors: {}",
                    names.join(", ")
                );
                std::process::exit(0);
            }
            _ => return Err(format!("unknown argument {a:?}")),
        }
    }
    if !opts.data.join("main-content-wceb").is_dir() {
        return Err(format!(
            "{} has no main-content-wceb/ (give --data DIR)",
            opts.data.display()
        ));
    }
    if let Some(only) = &opts.only {
        for name in only {
            if !EXTRACTORS.iter().any(|e| e.name == name) {
                return Err(format!("unknown extractor {name:?}"));
            }
        }
    }
    Ok(opts)
}

fn run(opts: &Options) -> std::io::Result<()> {
    // Panics are counted, not printed (some crates panic on many pages).
    std::panic::set_hook(Box::new(|_| {}));
    let subsets: Vec<&str> = WCEB_SUBSETS
        .iter()
        .copied()
        .chain([READABILITY_PAGES])
        .collect();
    let mut decoded_by: BTreeMap<(&str, DecodedBy), usize> = BTreeMap::new();
    let mut first = true;
    let mut summary = String::new();
    for ex in EXTRACTORS {
        if opts
            .only
            .as_ref()
            .is_some_and(|o| !o.iter().any(|n| n == ex.name))
        {
            continue;
        }
        for &subset in &subsets {
            let list = pages(&opts.data, subset);
            if list.is_empty() {
                continue;
            }
            let dir = opts.out.join(ex.name).join(subset);
            std::fs::create_dir_all(&dir)?;
            let mut tally = Tally::default();
            let (mut seconds, mut status) = (String::new(), String::new());
            for (id, path) in &list {
                let raw = std::fs::read(path)?;
                let bytes = if subset.starts_with("clean") {
                    wceb::strip_cleaneval_wrapper(&raw)
                } else {
                    &raw
                };
                let (html, how) = decode(bytes);
                if first {
                    *decoded_by.entry((subset, how)).or_default() += 1;
                }
                let page = Page { bytes, html: &html };
                let t0 = Instant::now();
                let outcome = catch_unwind(AssertUnwindSafe(|| (ex.run)(&page)));
                let took = t0.elapsed().as_secs_f64();
                let (text, state) = match outcome {
                    Ok(Outcome::Text(t)) if t.trim().is_empty() => (t, "empty"),
                    Ok(Outcome::Text(t)) => (t, "ok"),
                    Ok(Outcome::Error) => (String::new(), "error"),
                    Err(_) => (String::new(), "panic"),
                };
                match state {
                    "empty" => tally.empty += 1,
                    "error" => tally.errors += 1,
                    "panic" => tally.panics += 1,
                    _ => {}
                }
                tally.pages += 1;
                tally.seconds += took;
                std::fs::write(dir.join(format!("{id}.txt")), text)?;
                let _ = writeln!(seconds, "{id}\t{took:.9}");
                let _ = writeln!(status, "{id}\t{state}");
            }
            std::fs::write(dir.join("seconds.tsv"), seconds)?;
            std::fs::write(dir.join("status.tsv"), status)?;
            let line = format!(
                "{:<22} {:<18} {:>5} pages  {:>4} empty  {:>4} errors  {:>4} panics  {:>8.2} s  {:>7.1} pages/s",
                ex.name,
                subset,
                tally.pages,
                tally.empty,
                tally.errors,
                tally.panics,
                tally.seconds,
                tally.pages as f64 / tally.seconds.max(1e-9)
            );
            eprintln!("{line}");
            summary.push_str(&line);
            summary.push('\n');
        }
        first = false;
    }
    let mut decoding = String::new();
    for ((subset, how), n) in &decoded_by {
        let _ = writeln!(decoding, "{subset}\t{how}\t{n}");
    }
    std::fs::create_dir_all(&opts.out)?;
    let names: Vec<&str> = match &opts.only {
        Some(o) => o.iter().map(String::as_str).collect(),
        None => vec!["all"],
    };
    let tag = names.join(",");
    std::fs::write(opts.out.join(format!("summary.{tag}.txt")), summary)?;
    std::fs::write(opts.out.join("decoding.tsv"), decoding)?;
    Ok(())
}

fn main() -> ExitCode {
    let opts = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    match run(&opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
