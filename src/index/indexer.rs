//! The parallel indexing pipeline: rayon workers read, decode and extract;
//! one thread owns the `IndexWriter` and commits at bounded intervals.
//! It never prints: progress goes through [`Progress`].

use super::schema::{add_indicators, add_source, document_key, to_document, FileStamp};
use super::{indexed_files, IndexHandle, IndexedFile};
use crate::error::{Error, Result};
use crate::extract::{entities_in_text, RULES_REVISION};
use crate::ingest::discover::{discover_skipping, FileEntry};
use crate::ingest::pdf::isolate::{extract_in_child, Isolation};
use crate::ingest::{
    documents_from_file, pdf_document, source_kind, FileDocuments, IngestOptions, SkipReason,
    DEFAULT_MAX_BYTES,
};
use crate::kb::Kb;
use crate::model::{path_from_key, path_key, IndexReport, Skipped, SourceKind};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use tantivy::indexer::UserOperation;
use tantivy::{IndexWriter, TantivyDocument, Term};

/// The most extraction workers a run starts.
pub const MAX_THREADS: usize = 1024;

/// Files a worker extracts before handing them over together.
const BATCH: usize = 8;

/// Receives progress events; the binary draws a bar or prints nothing.
pub trait Progress: Sync {
    /// The run will process `total` files (new or changed).
    fn start(&self, _total: u64) {}
    /// One file was processed.
    fn advance(&self) {}
    /// A file was skipped.
    fn skipped(&self, _skip: &Skipped) {}
    /// A commit finished.
    fn committed(&self, _docs: u64) {}
}

/// A [`Progress`] that reports nothing.
pub struct NoProgress;
impl Progress for NoProgress {}

/// Settings of an indexing run.
#[derive(Debug, Clone)]
pub struct IndexOptions {
    threads: usize,
    max_bytes: u64,
    commit_interval: Duration,
    writer_memory: usize,
    rebuild: bool,
    ingest: IngestOptions,
    pdf_isolation: Option<Isolation>,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions::new()
    }
}

impl IndexOptions {
    /// Defaults: one worker per core, 64 MiB file limit, a commit every 30 s,
    /// 128 MiB of memory per writer thread.
    pub fn new() -> IndexOptions {
        IndexOptions {
            threads: std::thread::available_parallelism().map_or(2, |n| n.get()),
            max_bytes: DEFAULT_MAX_BYTES,
            commit_interval: Duration::from_secs(30),
            writer_memory: 128 * 1024 * 1024,
            rebuild: false,
            ingest: IngestOptions::default(),
            pdf_isolation: None,
        }
    }

    /// Ingestion settings (the JSON Lines field map).
    pub fn ingest(mut self, ingest: IngestOptions) -> Self {
        self.ingest = ingest;
        self
    }

    /// Extracts each PDF in a child process with these limits, instead of
    /// in-process (where a panic is contained but a loop or a memory blow-up
    /// is not).
    pub fn pdf_isolation(mut self, isolation: Isolation) -> Self {
        self.pdf_isolation = Some(isolation);
        self
    }

    /// Index writer threads: two when extraction runs on two or more
    /// workers. Each fills its own segment, so the final commit writes two
    /// half-size segments in parallel: with one writer thread, writing the
    /// one big last segment left a single-core tail of ~15% of a
    /// 20,000-page run. (Smaller budgets per thread shorten the tail further
    /// but make more segments, which cost searches and, at 100,000 pages,
    /// more merging than they save.)
    fn writer_threads(&self) -> usize {
        if self.threads >= 2 {
            2
        } else {
            1
        }
    }

    /// Number of extraction workers (0 keeps the default; at most
    /// [`MAX_THREADS`]).
    pub fn threads(mut self, n: usize) -> Self {
        if n > 0 {
            self.threads = n.min(MAX_THREADS);
        }
        self
    }

    /// Files larger than this many bytes are skipped.
    pub fn max_bytes(mut self, n: u64) -> Self {
        self.max_bytes = n;
        self
    }

    /// Longest time between two commits during a run.
    pub fn commit_interval(mut self, d: Duration) -> Self {
        self.commit_interval = d;
        self
    }

    /// Start from an empty index: the old index's own files are removed
    /// first ([`super::remove_index_files`]; the imported catalogue stays).
    pub fn rebuild(mut self, yes: bool) -> Self {
        self.rebuild = yes;
        self
    }

    /// Memory budget of each tantivy writer thread, in bytes (at least the
    /// 15 MB tantivy needs).
    pub fn writer_memory(mut self, bytes: usize) -> Self {
        self.writer_memory = bytes.max(15_000_000);
        self
    }
}

/// One document of a file, ready to add.
struct KeyedDoc {
    /// Its key ([`super::schema::Fields::key`]).
    key: String,
    /// Returns true if and only if other files may hold the same document
    /// (feed entries): it then replaces any copy under its key.
    shared: bool,
    doc: TantivyDocument,
}

/// Which of two files holding the same feed entry wins: the later
/// snapshot (modification time), then the greater path.
type Rank = (i64, String);

/// The outcome of one worker for one file.
enum Outcome {
    /// Documents to add (replacing all previous ones of the path).
    Docs {
        path: String,
        docs: Vec<KeyedDoc>,
        refreshed: bool,
        rank: Rank,
        /// Parts of the file that gave no document, with the reason.
        partial: Vec<Skipped>,
    },
    /// The file produced no document.
    Skip { path: String, skip: Skipped },
}

/// Indexes `paths` into the index at `dir`: new and changed files are
/// (re)indexed, unchanged ones left alone, documents of vanished files under
/// the walked roots removed.
///
/// `stop` is polled between documents: when it turns true the run commits
/// what is done and returns with `interrupted` set.
pub fn index_paths(
    dir: &Path,
    paths: &[PathBuf],
    kb: &Kb,
    opts: &IndexOptions,
    progress: &dyn Progress,
    stop: &AtomicBool,
) -> Result<IndexReport> {
    let started = Instant::now();
    let index_dir = check_inputs(dir, paths)?;
    if opts.rebuild {
        super::remove_index_files(dir)?;
    }
    let handle = IndexHandle::open_or_create(dir)?;
    let writer_threads = opts.writer_threads();
    let mut writer: IndexWriter = handle
        .index
        .writer_with_num_threads(writer_threads, writer_threads * opts.writer_memory)
        .map_err(|e| match e {
            tantivy::TantivyError::LockFailure(..) => Error::Locked(dir.to_path_buf()),
            e => Error::Tantivy(e),
        })?;
    let reader = handle.reader()?;
    let known = indexed_files(&reader)?;
    let fields = handle.fields;
    // What each document is stamped with: the knowledge base and the rules
    // it was extracted with.
    let fingerprint = kb.fingerprint(RULES_REVISION);

    let found = discover_skipping(paths, &[index_dir]);
    let mut report = IndexReport {
        skipped: found.errors.clone(),
        ..IndexReport::default()
    };
    for s in &found.errors {
        progress.skipped(s);
    }

    // Documents of files that vanished from the walked roots.
    let seen: HashSet<String> = found.files.iter().map(|f| path_key(&f.path)).collect();
    for path in known.keys() {
        let under_root = found
            .roots
            .iter()
            .any(|r| path_from_key(path).starts_with(r));
        if under_root && !seen.contains(path) {
            writer.delete_term(Term::from_field_text(fields.path, path));
            report.removed += 1;
        }
    }

    // New or changed files: decided from size and mtime alone.
    let is_unchanged = |f: &FileEntry| {
        // A document extracted with another knowledge base has stale
        // facets, so it counts as changed.
        known
            .get(&path_key(&f.path))
            .is_some_and(|k| k.size == f.size && k.mtime == f.mtime && k.kb == fingerprint)
    };
    let is_feed = |p: &Path| source_kind(p) == Some(SourceKind::Feed);
    // Snapshots of a feed share entries: when one feed file changes or goes,
    // every feed file is read again, so that each entry ends up once, from
    // the latest snapshot that holds it (feeds are small).
    let feeds_moved = found
        .files
        .iter()
        .any(|f| is_feed(&f.path) && !is_unchanged(f))
        || known.keys().any(|p| {
            is_feed(&path_from_key(p))
                && found.roots.iter().any(|r| path_from_key(p).starts_with(r))
                && !seen.contains(p.as_str())
        });
    let todo: Vec<&FileEntry> = found
        .files
        .iter()
        .filter(|f| {
            let redo = !is_unchanged(f) || (feeds_moved && is_feed(&f.path));
            if !redo {
                report.unchanged += 1;
            }
            redo
        })
        .collect();
    progress.start(todo.len() as u64);

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads)
        .thread_name(|i| format!("threatdex-extract-{i}"))
        // Deeply nested pages make parsers recurse; give workers room.
        .stack_size(64 * 1024 * 1024)
        .build()
        .map_err(|e| Error::io("thread pool", std::io::Error::other(e)))?;
    // Workers send their outcomes in small batches and the writer gets them
    // as one operation batch: one hand-over per batch instead of two thread
    // wake-ups per file.
    let (tx, rx) = crossbeam_channel::bounded::<Vec<Outcome>>(opts.threads * 2);
    let cancel = AtomicBool::new(false);

    let mut since_commit = Instant::now();
    let mut pending = 0u64;
    let result: Result<()> = std::thread::scope(|scope| {
        let cancel = &cancel;
        let known = &known;
        let todo = &todo;
        let fingerprint = fingerprint.as_str();
        let pool = &pool;
        scope.spawn(move || {
            pool.install(|| {
                todo.par_chunks(BATCH).for_each_with(tx, |tx, files| {
                    let outs: Vec<Outcome> = files
                        .iter()
                        .take_while(|_| !cancel.load(Ordering::Relaxed))
                        .map(|file| process(file, known, kb, fingerprint, &fields, opts))
                        .collect();
                    // The receiver is gone only when the run is stopping.
                    let _ = tx.send(outs);
                })
            })
        });
        let mut run = || -> Result<()> {
            let mut ops = Vec::with_capacity(2 * BATCH);
            // Feed entries added in this run, with the rank of their file.
            let mut claimed: HashMap<String, Rank> = HashMap::new();
            for batch in rx.iter() {
                for out in batch {
                    let (Outcome::Docs { path, .. } | Outcome::Skip { path, .. }) = &out;
                    // A path the index did not hold at the start has nothing
                    // to replace.
                    if known.contains_key(path) {
                        ops.push(UserOperation::Delete(Term::from_field_text(
                            fields.path,
                            path,
                        )));
                    }
                    match out {
                        Outcome::Docs {
                            docs,
                            refreshed,
                            rank,
                            partial,
                            ..
                        } => {
                            let mut added = 0;
                            for d in docs {
                                if d.shared {
                                    match claimed.get(&d.key) {
                                        // A later snapshot already gave it.
                                        Some(r) if *r > rank => continue,
                                        Some(_) => {}
                                        None => added += 1,
                                    }
                                    ops.push(UserOperation::Delete(Term::from_field_text(
                                        fields.key, &d.key,
                                    )));
                                    claimed.insert(d.key, rank.clone());
                                } else {
                                    added += 1;
                                }
                                ops.push(UserOperation::Add(d.doc));
                                pending += 1;
                            }
                            if refreshed {
                                report.unchanged += 1;
                            } else {
                                report.indexed += added;
                            }
                            for skip in partial {
                                progress.skipped(&skip);
                                report.skipped.push(skip);
                            }
                        }
                        Outcome::Skip { skip, .. } => {
                            progress.skipped(&skip);
                            report.skipped.push(skip);
                        }
                    }
                    progress.advance();
                }
                writer.run(ops.drain(..))?;
                if pending > 0 && since_commit.elapsed() >= opts.commit_interval {
                    writer.commit()?;
                    progress.committed(pending);
                    pending = 0;
                    since_commit = Instant::now();
                }
                if stop.load(Ordering::Relaxed) {
                    report.interrupted = true;
                    break;
                }
            }
            Ok(())
        };
        let r = run();
        if r.is_err() || report.interrupted {
            cancel.store(true, Ordering::Relaxed);
        }
        // Drain so blocked workers can finish; their results are dropped.
        drop(rx);
        r
    });
    result?;
    writer.commit()?;
    writer.wait_merging_threads()?;
    reader.reload()?;
    report.total = reader.searcher().num_docs();
    report.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// Checks the paths to index before anything is written: each must exist
/// ([`Error::NotFound`]), and none may be the index directory or lie inside
/// it ([`Error::IndexInsideInput`]): the index would then sit among the
/// reports. An index in a subfolder of a walked path is fine; the walk skips
/// it. Returns the index directory's canonical path.
fn check_inputs(dir: &Path, paths: &[PathBuf]) -> Result<PathBuf> {
    let index = canonical_or_absolute(dir).map_err(|e| Error::io(dir, e))?;
    for p in paths {
        let root = match p.canonicalize() {
            Ok(r) => r,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::NotFound(p.clone()))
            }
            Err(e) => return Err(Error::io(p, e)),
        };
        if root.starts_with(&index) {
            return Err(Error::IndexInsideInput {
                index: dir.to_path_buf(),
                root: p.clone(),
            });
        }
    }
    Ok(index)
}

/// The canonical form of `path` when it exists, else the canonical form of
/// its nearest existing ancestor with the rest appended.
fn canonical_or_absolute(path: &Path) -> std::io::Result<PathBuf> {
    let abs = std::path::absolute(path)?;
    let mut existing = abs.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(c) = existing.canonicalize() {
            let mut out = c;
            out.extend(rest.iter().rev());
            return Ok(out);
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return Ok(abs),
        }
    }
}

/// Reads, decodes and extracts one file into its documents.
fn process(
    file: &FileEntry,
    known: &HashMap<String, IndexedFile>,
    kb: &Kb,
    fingerprint: &str,
    fields: &super::schema::Fields,
    opts: &IndexOptions,
) -> Outcome {
    let path = path_key(&file.path);
    let skip = |reason: SkipReason| Outcome::Skip {
        path: path.clone(),
        skip: Skipped {
            path: file.path.clone(),
            reason: reason.to_string(),
        },
    };
    let max_bytes = opts.max_bytes;
    if file.size > max_bytes {
        return skip(SkipReason::TooLarge {
            size: file.size,
            limit: max_bytes,
        });
    }
    let bytes = match read_bounded(&file.path, file.size, max_bytes) {
        Ok(b) => b,
        Err(e) => return skip(e),
    };
    let hash = blake3::hash(&bytes).to_hex().to_string();
    let refreshed = known
        .get(&path)
        .is_some_and(|k| k.hash == hash && k.kb == fingerprint);
    let Some(kind) = source_kind(&file.path) else {
        return skip(SkipReason::Unreadable("not a report file".into()));
    };
    let found = match (&opts.pdf_isolation, kind) {
        (Some(iso), SourceKind::Pdf) => extract_in_child(iso, &file.path)
            .and_then(|t| pdf_document(&file.path, t))
            .map(|d| FileDocuments {
                documents: vec![d],
                partial_skips: Vec::new(),
            }),
        _ => documents_from_file(&file.path, &bytes, kind, &opts.ingest),
    };
    let found = match found {
        Ok(f) => f,
        Err(e) => return skip(e),
    };
    let stamp = FileStamp {
        path: &path,
        hash: &hash,
        size: file.size,
        mtime: file.mtime,
        kb: fingerprint,
    };
    let docs = found
        .documents
        .iter()
        .map(|d| {
            let article = &d.article;
            // Entities and indicators read the same title-and-text: built once.
            let text = article.title_and_text();
            let ents = entities_in_text(&text, kb);
            let mut doc = to_document(fields, &stamp, article, &ents);
            add_indicators(
                fields,
                &mut doc,
                &crate::ioc::scan(&text, article.url.as_deref()),
            );
            let key = document_key(&path, d.format, d.entry.as_deref());
            add_source(fields, &mut doc, &key, d.format, d.pages);
            KeyedDoc {
                key,
                shared: d.format == SourceKind::Feed && d.entry.is_some(),
                doc,
            }
        })
        .collect();
    Outcome::Docs {
        docs,
        refreshed,
        rank: (file.mtime, path.clone()),
        partial: found
            .partial_skips
            .into_iter()
            .map(|reason| Skipped {
                path: file.path.clone(),
                reason,
            })
            .collect(),
        path,
    }
}

/// Reads a file, refusing to read more than `max` bytes even if it grew.
/// `size` (from the directory walk) sizes the buffer up front: one read into
/// it instead of read_to_end's probe reads and doubling copies.
fn read_bounded(path: &Path, size: u64, max: u64) -> Result<Vec<u8>, SkipReason> {
    use std::io::Read;
    let f = std::fs::File::open(path).map_err(|e| SkipReason::Unreadable(e.to_string()))?;
    // One byte over, so a file that did not grow ends with a zero-length read
    // instead of a reallocation.
    let mut buf = Vec::with_capacity(usize::try_from(size.min(max).saturating_add(1)).unwrap_or(0));
    f.take(max.saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(|e| SkipReason::Unreadable(e.to_string()))?;
    if buf.len() as u64 > max {
        return Err(SkipReason::TooLarge {
            size: buf.len() as u64,
            limit: max,
        });
    }
    if buf.is_empty() {
        return Err(SkipReason::Empty);
    }
    Ok(buf)
}

/// One file's documents, extracted exactly as [`index_paths`] extracts
/// them, for a backend that stores them elsewhere (`remote::ingest`).
pub enum Extracted {
    /// The file's documents: (key, shared, document), where a shared
    /// document (a feed entry) may come from several files.
    Docs {
        /// The file's path key.
        path: String,
        /// Its documents.
        docs: Vec<(String, bool, TantivyDocument)>,
        /// Parts of the file that gave no document.
        partial: Vec<Skipped>,
    },
    /// The file gave no document.
    Skip(Skipped),
}

/// Reads, decodes and extracts one file with the local pipeline's code
/// (`fingerprint` is the knowledge base's, stamped on each document).
pub fn extract_file(
    file: &FileEntry,
    kb: &Kb,
    fingerprint: &str,
    opts: &IndexOptions,
) -> Extracted {
    let fields = super::schema::build_schema().1;
    match process(file, &HashMap::new(), kb, fingerprint, &fields, opts) {
        Outcome::Docs {
            path,
            docs,
            partial,
            ..
        } => Extracted::Docs {
            path,
            docs: docs.into_iter().map(|d| (d.key, d.shared, d.doc)).collect(),
            partial,
        },
        Outcome::Skip { skip, .. } => Extracted::Skip(skip),
    }
}

/// Extraction workers of `opts` (for a backend running its own pool).
pub fn worker_threads(opts: &IndexOptions) -> usize {
    opts.threads
}
