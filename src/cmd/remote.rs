//! The query commands against a Quickwit index (`--remote`): the same
//! resolution of filters and the same renderers as locally; hits and
//! counts come from the cluster. `report`, `iocs`, `actor` and `export`
//! copy the matching reports into a temporary local index and run there.

use crate::cli::{
    ActorArgs, ExportArgs, FacetsArgs, FilterArgs, IocsArgs, ReportArgs, SearchArgs, SearchFormat,
    SearchSort,
};
use anyhow::{Context, Result};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use threatdex::facets::FacetRequest;
use threatdex::kb::{Kb, Resolved};
use threatdex::query::Filters;
use threatdex::remote::materialize::TempIndex;
use threatdex::remote::search::Remote;
use threatdex::remote::translate::translate;
use threatdex::remote::Target;
use threatdex::render::human;
use threatdex::search::{SearchOptions, Sort};

/// Hits shown when `--limit` is not given (as locally).
const DEFAULT_LIMIT: usize = 10;

/// The remote index, the knowledge base (the local index's imported
/// catalogue, if any) and the query.
struct RemoteQuery {
    remote: Remote,
    target: Target,
    kb: Kb,
    imported: Option<String>,
    query: String,
}

impl RemoteQuery {
    fn open(dir: &Path, address: &str, text: Option<&str>, filters: &FilterArgs) -> Result<Self> {
        let target = Target::parse(address)?;
        let imported = threatdex::index::imported_actors_in(dir).unwrap_or(None);
        let kb =
            Kb::with_extra_actors(imported.as_deref()).context("loading the knowledge base")?;
        let filters = Filters::resolve(&super::raw_filters(filters), &kb)?;
        let query = translate(&kb, text, &filters)?;
        Ok(RemoteQuery {
            remote: Remote::new(&target),
            target,
            kb,
            imported,
            query,
        })
    }

    /// The matching reports in a temporary local index.
    fn materialize(&self) -> Result<TempIndex> {
        TempIndex::fetch(&self.remote, &self.query, self.imported.as_deref())
            .with_context(|| format!("reading the matching reports from {}", self.target))
    }
}

pub fn search(dir: &Path, address: &str, args: SearchArgs) -> Result<ExitCode> {
    if args.sort == Some(SearchSort::Score) && args.query.is_none() {
        return Err(threatdex::Error::Filter(
            "--sort score needs a query (without one, every report scores the same)".into(),
        )
        .into());
    }
    let q = RemoteQuery::open(dir, address, args.query.as_deref(), &args.filters)?;
    let mut out = std::io::stdout().lock();
    if args.count {
        let n = q
            .remote
            .count(&q.query)
            .with_context(|| format!("searching {}", q.target))?;
        human::count(&mut out, usize::try_from(n).unwrap_or(usize::MAX))?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    let limit = match args.limit {
        Some(n) => usize::try_from(n).unwrap_or(usize::MAX),
        None if args.files_with_matches => usize::MAX,
        None => DEFAULT_LIMIT,
    };
    let options = SearchOptions {
        limit,
        sort: match args.sort {
            Some(SearchSort::Date) => Sort::Date,
            Some(SearchSort::Score) | None => Sort::Score,
        },
        snippets: !args.files_with_matches,
    };
    let text = args
        .query
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty());
    let results = if args.files_with_matches && args.limit.is_none() {
        // Every matching path, from the path column (sorted by path, not
        // ranked: no stored document is read).
        q.remote.paths(&q.query)
    } else {
        q.remote.search(&q.kb, &q.query, text, &options)
    }
    .with_context(|| format!("searching {}", q.target))?;
    let format = super::search::print_hits(&mut out, &args, &results)?;
    if results.total == 0 && format == SearchFormat::Human && !args.files_with_matches {
        eprintln!("threatdex: no reports match");
    }
    Ok(ExitCode::SUCCESS)
}

pub fn facets(dir: &Path, address: &str, args: FacetsArgs) -> Result<ExitCode> {
    let request = FacetRequest::parse(
        &args.by,
        &args.cross,
        args.top,
        args.filters.since.is_some() || args.filters.until.is_some(),
    )?;
    let q = RemoteQuery::open(dir, address, args.query.as_deref(), &args.filters)?;
    let results = q
        .remote
        .facets(&q.query, &request)
        .with_context(|| format!("counting on {}", q.target))?;
    super::facets::print_counts(&args, &results)?;
    Ok(ExitCode::SUCCESS)
}

pub fn iocs(dir: &Path, address: &str, mut args: IocsArgs) -> Result<ExitCode> {
    let q = RemoteQuery::open(dir, address, args.query.as_deref(), &args.filters)?;
    let temp = q.materialize()?;
    args.remote.remote = None;
    super::iocs::run(temp.dir(), args)
}

pub fn export(dir: &Path, address: &str, mut args: ExportArgs) -> Result<ExitCode> {
    let q = RemoteQuery::open(dir, address, args.query.as_deref(), &args.filters)?;
    let temp = q.materialize()?;
    args.remote.remote = None;
    super::export::run(temp.dir(), args)
}

pub fn report(dir: &Path, address: &str, mut args: ReportArgs) -> Result<ExitCode> {
    let q = RemoteQuery::open(dir, address, args.query.as_deref(), &args.filters)?;
    let temp = q.materialize()?;
    args.remote.remote = None;
    super::report::run(temp.dir(), args)
}

pub fn actor(dir: &Path, address: &str, mut args: ActorArgs) -> Result<ExitCode> {
    let mut q = RemoteQuery::open(dir, address, None, &FilterArgs::default())?;
    let name = args.name.join(" ");
    let actors: Vec<String> = match q.kb.resolve_actor(&name) {
        Resolved::One(a) => vec![a.canonical.clone()],
        Resolved::Many(list) => list.iter().map(|a| a.canonical.clone()).collect(),
        Resolved::Unknown => Vec::new(),
    };
    args.remote.remote = None;
    if actors.is_empty() {
        // Nothing to read from the cluster: the local command says the
        // name is unknown.
        return super::actor::run(dir, args);
    }
    let filters = Filters {
        actors,
        ..Filters::default()
    };
    q.query = translate(&q.kb, None, &filters)?;
    let temp = q.materialize()?;
    super::actor::run(temp.dir(), args)
}
