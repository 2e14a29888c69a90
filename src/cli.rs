//! Command-line definition (clap derive). Doc comments are the help text; no
//! I/O and no tantivy here.

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// threatdex: a local, fast, faceted search engine for threat-intelligence reports.
///
/// Index a folder of HTML pages, text and Markdown reports, then search it
/// with BM25 and snippets, filter by actor, country, sector and date, and
/// count reports per facet. Actor aliases resolve to one canonical name
/// (Vanguard Panda = Volt Typhoon).
#[derive(Debug, Parser)]
#[command(name = "threatdex", version, max_term_width = 100)]
pub struct Cli {
    /// Index directory. Default: $THREATDEX_INDEX, else the user data
    /// directory (~/.local/share/threatdex/index on Linux,
    /// ~/Library/Application Support/threatdex/index on macOS,
    /// %APPDATA%\threatdex\index on Windows).
    #[arg(long, global = true, env = "THREATDEX_INDEX", value_name = "DIR")]
    pub index: Option<PathBuf>,

    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Index (or re-index) report files: only new or changed files are read.
    Index(IndexArgs),
    /// Search the index: ranked hits with highlighted snippets.
    Search(SearchArgs),
    /// Count reports per actor, country, sector, origin, year, month, CVE or
    /// ATT&CK technique.
    Facets(FacetsArgs),
    /// List the indicators (IOCs, CVE and technique ids) of matching reports,
    /// with the number of reports naming each.
    Iocs(IocsArgs),
    /// Export matching reports as a STIX 2.1 bundle.
    Export(ExportArgs),
    /// Show what would be indexed for files, without touching the index.
    Extract(ExtractArgs),
    /// Who is this actor? Canonical name, aliases, origin, reports and dates.
    Actor(ActorArgs),
    /// Write a self-contained HTML (or Markdown) report with charts.
    Report(ReportArgs),
    /// Manage the knowledge base (import MISP or ATT&CK actor catalogues).
    Kb(KbArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(CompletionsArgs),
    /// Scale out to a Quickwit cluster: print the index config generated
    /// from threatdex's schema, or create the index on a cluster.
    Quickwit(QuickwitArgs),
    /// Print the manual page (roff): `threatdex man > threatdex.1`, or a
    /// subcommand's page: `threatdex man search > threatdex-search.1`.
    Man(ManArgs),
    /// Internal: extract one PDF and write its text as JSON (the child
    /// process `index` runs each PDF in, with time and memory limits).
    #[command(name = "pdf-text", hide = true)]
    PdfText(PdfTextArgs),
    /// Serve a search page, a reader view and a JSON API over the index
    /// (read-only; loopback unless --token is given).
    Serve(ServeArgs),
    /// Print a report's main content for reading in the terminal: a file,
    /// or a hit number of the last `search`.
    Show(ShowArgs),
}

/// Arguments of `quickwit`.
#[derive(Debug, Args)]
pub struct QuickwitArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: QuickwitCommand,
}

/// The subcommands of `quickwit`. The global `--index ID` names the
/// Quickwit index here (default for `config`: threatdex).
#[derive(Debug, Subcommand)]
pub enum QuickwitCommand {
    /// Print the Quickwit index config (YAML) generated from threatdex's
    /// schema, for clusters managed by hand (`quickwit index create
    /// --index-config FILE`).
    Config,
    /// Create the index on a cluster: `init http://HOST:PORT --index ID`
    /// (or `init quickwit://HOST:PORT/ID`).
    Init(QuickwitInitArgs),
}

/// Arguments of `quickwit init`.
#[derive(Debug, Args)]
pub struct QuickwitInitArgs {
    /// The node's REST address (http://HOST:PORT), or quickwit://HOST:PORT/ID.
    #[arg(value_name = "URL")]
    pub url: String,
}

/// Where a query command asks: the local index, or a Quickwit cluster.
#[derive(Debug, Args, Clone, Default)]
pub struct RemoteArgs {
    /// Ask a Quickwit index fed by `threatdex index --to` instead of the
    /// local index: quickwit://HOST:PORT/ID.
    #[arg(long, env = "THREATDEX_REMOTE", value_name = "quickwit://HOST:PORT/ID")]
    pub remote: Option<String>,
}

/// Arguments of `man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// A subcommand whose page to print instead of the main one.
    #[arg(value_name = "SUBCOMMAND")]
    pub command: Option<String>,
}

/// Arguments of `completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

/// Arguments of the internal `pdf-text` command.
#[derive(Debug, Args)]
pub struct PdfTextArgs {
    /// The PDF file.
    pub file: PathBuf,
    /// Address-space limit of this process, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 2 << 30)]
    pub max_memory: u64,
}

/// Arguments of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on (port 0: any free port; the address
    /// bound is printed on stderr). Any address but loopback needs --token.
    #[arg(long, value_name = "IP:PORT", default_value = "127.0.0.1:8080")]
    pub addr: std::net::SocketAddr,
    /// Access token every request must carry (`Authorization: Bearer
    /// TOKEN`, or `?token=TOKEN` once in a browser, which keeps it in a
    /// cookie). At least 16 characters.
    #[arg(
        long,
        env = "THREATDEX_TOKEN",
        hide_env_values = true,
        value_name = "TOKEN"
    )]
    pub token: Option<String>,
    /// Seconds a request may take before it is answered 408.
    #[arg(long, value_name = "SECS", default_value_t = 10)]
    pub timeout: u64,
}

/// Arguments of `show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// A report file, or the number of a hit of the last `search` (1 is
    /// the first).
    #[arg(value_name = "HIT|PATH")]
    pub hit: String,
    /// Wrap to this many columns (default: the terminal's width, else 80).
    #[arg(long, value_name = "COLS")]
    pub width: Option<usize>,
}

/// Arguments of `report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Optional query restricting the reports summarised.
    #[arg(value_name = "QUERY")]
    pub query: Option<String>,
    /// Filters.
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Remote engine.
    #[command(flatten)]
    pub remote: RemoteArgs,
    /// Output file: .html (self-contained page with SVG charts) or .md.
    #[arg(long, short, value_name = "FILE")]
    pub out: PathBuf,
    /// Values per chart and rows/columns of the heat map.
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    /// Number of top reports listed with their snippets.
    #[arg(long, default_value_t = 10)]
    pub reports: usize,
    /// Title of the report page.
    #[arg(long)]
    pub title: Option<String>,
    /// Replace --out even if it is a file threatdex did not write.
    #[arg(long)]
    pub force: bool,
}

/// Arguments of `actor`.
#[derive(Debug, Args)]
pub struct ActorArgs {
    /// Any name of the actor (canonical or alias, any case).
    #[arg(value_name = "NAME", required = true, num_args = 1..)]
    pub name: Vec<String>,
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
    /// Remote engine.
    #[command(flatten)]
    pub remote: RemoteArgs,
}

/// Arguments of `kb`.
#[derive(Debug, Args)]
pub struct KbArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: KbCommand,
}

/// Knowledge-base subcommands.
#[derive(Debug, Subcommand)]
pub enum KbCommand {
    /// Merge a MISP galaxy threat-actor.json, a MITRE ATT&CK STIX bundle, or
    /// intrusion-set files (or a folder of them) into the index's catalogue.
    /// The next `index` run re-extracts every document with it.
    Import {
        /// Catalogue files or directories of them.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Print the merge report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Summarise the knowledge base in use (counts, imported or built-in).
    Stats {
        /// Print as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Arguments of `index`.
#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Files or directories to index (walked recursively; .html .htm .txt
    /// .md .pdf, feeds .rss .atom .xml feed*.json, JSON Lines .jsonl .ndjson).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
    /// No progress bar and no warnings on stderr.
    #[arg(long, short)]
    pub quiet: bool,
    /// Extraction threads, 1 to 1024 [default: one per core].
    #[arg(long, short = 'j', value_name = "N",
          value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub threads: Option<u16>,
    /// Skip files larger than this many MiB.
    #[arg(long, value_name = "MIB", default_value_t = 64)]
    pub max_size: u64,
    /// Seconds between commits during a long run (a kill loses at most this much).
    #[arg(long, value_name = "SECS", default_value_t = 30)]
    pub commit_every: u64,
    /// Build the index again from scratch: removes the index's own files
    /// first (never anything else in the directory) and keeps a catalogue
    /// imported with `kb import`.
    #[arg(long)]
    pub rebuild: bool,
    /// Where the fields of JSON Lines records come from, over the defaults:
    /// `field=source,...` with field one of id, title, url, date, text, html,
    /// tags and source a key or dotted path (`title=headline,text=body.plain`).
    #[arg(long, value_name = "FIELD=SOURCE,...")]
    pub jsonl_map: Option<String>,
    /// Seconds one PDF may take before it is skipped (each PDF is read in a
    /// child process, also limited to 2 GiB of memory).
    #[arg(long, value_name = "SECS", default_value_t = 60)]
    pub pdf_timeout: u64,
    /// Send the documents to a Quickwit index (created with `threatdex
    /// quickwit init`) instead of the local index: quickwit://HOST:PORT/ID.
    /// Reruns send only new and changed files, and remove the documents of
    /// changed and deleted files from the cluster.
    #[arg(
        long,
        value_name = "quickwit://HOST:PORT/ID",
        conflicts_with = "rebuild"
    )]
    pub to: Option<String>,
    /// With --to: the folder of the record of what was sent (created and
    /// marked by threatdex; default: `quickwit-state` beside the index
    /// directory).
    #[arg(long, value_name = "DIR", requires = "to")]
    pub state: Option<PathBuf>,
}

/// Filters shared by `search` and `facets`.
#[derive(Debug, Args, Clone, Default)]
pub struct FilterArgs {
    /// Only reports naming this actor (any alias; repeat for any of several).
    #[arg(long, value_name = "NAME")]
    pub actor: Vec<String>,
    /// Only reports naming this country (ISO code or name; repeatable).
    #[arg(long, value_name = "CODE|NAME")]
    pub country: Vec<String>,
    /// Only reports naming this country as the place of the victims
    /// ("attacks against Poland", "Ukrainian government entities";
    /// repeatable).
    #[arg(long, value_name = "CODE|NAME")]
    pub target: Vec<String>,
    /// Only reports about this sector (id or label; repeatable).
    #[arg(long, value_name = "SECTOR")]
    pub sector: Vec<String>,
    /// Only reports naming an actor attributed to this country (repeatable).
    #[arg(long, value_name = "CODE|NAME")]
    pub origin: Vec<String>,
    /// Only reports published on or after this date.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
    pub since: Option<NaiveDate>,
    /// Only reports published on or before this date.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
    pub until: Option<NaiveDate>,
    /// Only reports naming this CVE id (any case; repeatable).
    #[arg(long, value_name = "CVE-YYYY-NNNN")]
    pub cve: Vec<String>,
    /// Only reports naming this ATT&CK technique or one of its
    /// sub-techniques (T1059 includes T1059.001; repeatable).
    #[arg(long, value_name = "TNNNN[.NNN]")]
    pub technique: Vec<String>,
    /// Only reports naming this indicator: an IP, domain, URL, email or
    /// hash, defanged or not (198.51.100[.]23, hxxp://x[.]com); repeatable.
    #[arg(long, value_name = "VALUE")]
    pub ioc: Vec<String>,
}

/// Arguments of `search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Query in tantivy syntax: words (all required), "phrases", OR, -word,
    /// title:word. Without a query: every matching report, newest first.
    #[arg(value_name = "QUERY")]
    pub query: Option<String>,
    /// Filters.
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Remote engine.
    #[command(flatten)]
    pub remote: RemoteArgs,
    /// Number of hits to show [default: 10; with -l, every match]. Larger
    /// than the number of matches is fine.
    #[arg(long, short = 'n', value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub limit: Option<u64>,
    /// Order of hits: score (best first; the default with a query) or date
    /// (newest first; the default without a query).
    #[arg(long, value_enum, value_name = "ORDER")]
    pub sort: Option<SearchSort>,
    /// Print only the paths of matching reports, one per line (like rg -l).
    #[arg(long, short = 'l', group = "search_output")]
    pub files_with_matches: bool,
    /// Print only the number of matching reports.
    #[arg(long, group = "search_output")]
    pub count: bool,
    /// Output format: human (default), json (one object), ndjson (one hit
    /// per line, for jq pipelines).
    #[arg(long, value_enum, value_name = "FORMAT", group = "search_output")]
    pub format: Option<SearchFormat>,
    /// Print results as JSON (same as --format json).
    #[arg(long, group = "search_output")]
    pub json: bool,
}

/// Orders of `search --sort`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SearchSort {
    /// Best BM25 score first.
    Score,
    /// Newest first.
    Date,
}

/// Formats of `search --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SearchFormat {
    /// Blocks of title, path, facts and snippet.
    Human,
    /// One JSON object with the total and the hits.
    Json,
    /// One JSON object per hit, one per line.
    Ndjson,
}

/// Arguments of `facets`.
#[derive(Debug, Args)]
pub struct FacetsArgs {
    /// Optional query restricting the counted reports.
    #[arg(value_name = "QUERY")]
    pub query: Option<String>,
    /// Filters.
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Remote engine.
    #[command(flatten)]
    pub remote: RemoteArgs,
    /// Dimension(s) to count: actor, country, target, sector, origin, year, quarter,
    /// month, cve, technique. Time buckets keep empty periods so timelines
    /// have no holes; a sub-technique also counts for its parent technique.
    #[arg(long = "by", value_name = "FIELD", value_parser = ["actor", "country", "target", "sector", "origin", "year", "quarter", "month", "cve", "technique"])]
    pub by: Vec<String>,
    /// Two-way table of two dimensions, e.g. actor,sector.
    #[arg(long, value_name = "ROWS,COLUMNS")]
    pub cross: Vec<String>,
    /// Values shown per dimension [default: 10]. For year, quarter and
    /// month: the last N periods, the earlier reports counted in one
    /// "before …" bucket (without --top, --since or --until, a few early
    /// outliers cut off by empty periods are folded the same way).
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,
    /// Print counts as JSON.
    #[arg(long, group = "format")]
    pub json: bool,
    /// Print counts as CSV (for spreadsheets).
    #[arg(long, group = "format")]
    pub csv: bool,
    /// Print counts as Markdown tables (for reports).
    #[arg(long, group = "format")]
    pub markdown: bool,
}

/// Arguments of `iocs`.
#[derive(Debug, Args)]
pub struct IocsArgs {
    /// Optional query restricting the reports (tantivy syntax).
    #[arg(value_name = "QUERY")]
    pub query: Option<String>,
    /// Filters.
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Remote engine.
    #[command(flatten)]
    pub remote: RemoteArgs,
    /// Only indicators of this type (repeatable).
    #[arg(long = "type", value_name = "TYPE", value_parser = ["ip", "domain", "url", "email", "md5", "sha1", "sha256", "cve", "technique"])]
    pub kinds: Vec<String>,
    /// Also list references: links the reports cite (sources, vendors,
    /// publishers, code hosts), which are never exported as indicators.
    #[arg(long, conflicts_with = "references")]
    pub all: bool,
    /// List only references, not indicators.
    #[arg(long)]
    pub references: bool,
    /// Show at most this many indicators, 1 or more (default: all).
    #[arg(long, short = 'n', value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub limit: Option<u64>,
    /// Print as JSON.
    #[arg(long, group = "format")]
    pub json: bool,
    /// Print as CSV: type,value,scope,role,reports.
    #[arg(long, group = "format")]
    pub csv: bool,
}

/// Arguments of `export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Optional query restricting the exported reports (tantivy syntax).
    #[arg(value_name = "QUERY")]
    pub query: Option<String>,
    /// Filters.
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Remote engine.
    #[command(flatten)]
    pub remote: RemoteArgs,
    /// Write a STIX 2.1 bundle (JSON) to this file; `-` for stdout.
    #[arg(long, value_name = "FILE", required = true)]
    pub stix: PathBuf,
    /// Replace the file even if threatdex did not write it.
    #[arg(long)]
    pub force: bool,
}

/// Arguments of `extract`.
#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// Files (or directories) to extract.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Print JSON Lines, one object per file.
    #[arg(long)]
    pub json: bool,
    /// Seconds one PDF may take before it is skipped (each PDF is read in a
    /// child process, also limited to 2 GiB of memory, as `index` reads it).
    #[arg(long, value_name = "SECS", default_value_t = 60)]
    pub pdf_timeout: u64,
}

/// Parses a `YYYY-MM-DD` calendar date. A date of the right form that the
/// calendar does not have (`2024-02-30`) is called that, not a wrong format.
fn parse_day(s: &str) -> Result<NaiveDate, String> {
    let t = s.trim();
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Ok(d);
    }
    let parts: Vec<&str> = t.split('-').collect();
    let well_formed = parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        && parts[0].len() == 4
        && parts[1].len() <= 2
        && parts[2].len() <= 2;
    if well_formed {
        let month: u32 = parts[1].parse().unwrap_or(0);
        if !(1..=12).contains(&month) {
            return Err(format!("{s:?}: there is no month {month}"));
        }
        return Err(format!("{s:?}: no such day (that month has fewer days)"));
    }
    Err(format!("{s:?} is not a valid date (expected YYYY-MM-DD)"))
}

#[cfg(test)]
mod tests {
    use super::parse_day;

    #[test]
    fn dates_are_parsed_and_impossible_days_named() {
        assert_eq!(parse_day(" 2024-02-29 ").unwrap().to_string(), "2024-02-29");
        assert!(parse_day("2024-02-30").unwrap_err().contains("no such day"));
        assert!(parse_day("2023-02-29").unwrap_err().contains("no such day"));
        assert!(parse_day("2024-13-01").unwrap_err().contains("no month 13"));
        assert!(parse_day("2024/02/01")
            .unwrap_err()
            .contains("expected YYYY-MM-DD"));
        assert!(parse_day("yesterday")
            .unwrap_err()
            .contains("expected YYYY-MM-DD"));
    }
}
