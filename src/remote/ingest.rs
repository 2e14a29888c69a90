//! Feeds a Quickwit index from the local extraction pipeline
//! (`index::indexer::extract_file`, the same parallel workers as local
//! indexing): NDJSON batches to the ingest API, bounded in bytes and
//! documents; deterministic document ids checked against the cluster
//! before sending, so several collectors do not add a document twice; a
//! local state of what each file sent, appended after every acknowledged
//! batch, so an interrupted run loses nothing and a rerun sends only new
//! and changed files; delete tasks for the documents of changed and
//! vanished files.

use super::document::{doc_id, Encoder};
use super::mapping::DOC_ID;
use super::search::{bucket_counts, Remote};
use super::translate::quote;
use crate::error::{Error, Result};
use crate::index::indexer::{extract_file, worker_threads, Extracted, IndexOptions, Progress};
use crate::index::schema::names;
use crate::ingest::discover::{discover_skipping, FileEntry};
use crate::kb::Kb;
use crate::model::{path_from_key, path_key, IndexReport};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashSet};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// Sizes of the batches sent to the ingest API.
#[derive(Debug, Clone, Copy)]
pub struct BatchLimits {
    /// A batch is sent once its NDJSON reaches this many bytes.
    pub bytes: usize,
    /// … or this many documents.
    pub docs: usize,
}

impl Default for BatchLimits {
    /// 8 MiB or 1,000 documents (Quickwit accepts 10 MiB per request).
    fn default() -> Self {
        BatchLimits {
            bytes: 8 * 1024 * 1024,
            docs: 1_000,
        }
    }
}

/// Ids per delete task or existence query.
const IDS_PER_QUERY: usize = 500;

/// What one file sent, as the state records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sent {
    /// The file's path key.
    pub path: String,
    /// Size in bytes when read.
    pub size: u64,
    /// Modification time (ns) when read.
    pub mtime: i64,
    /// BLAKE3 digest of its bytes.
    pub hash: String,
    /// Fingerprint of the knowledge base it was extracted with.
    pub kb: String,
    /// The ids of its documents on the cluster.
    pub ids: Vec<String>,
}

/// One line of the state log.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "lowercase")]
enum Line {
    /// A file's documents were acknowledged by the cluster.
    Sent(Sent),
    /// A file's documents were deleted from the cluster.
    Deleted {
        /// The path key.
        path: String,
    },
}

/// The local record of what was sent to one remote index: an append-only
/// log of JSON lines in a folder threatdex created, rewritten whole at the
/// end of a run.
pub struct State {
    file: PathBuf,
    /// Path key → what it sent.
    pub files: BTreeMap<String, Sent>,
}

impl State {
    /// Opens (or starts) the state of `index_key` in `dir`, which is
    /// created and marked as threatdex's when missing, and refused when it
    /// holds files threatdex did not write ([`crate::index::claim_dir`]).
    pub fn open(dir: &Path, index_key: &str) -> Result<State> {
        crate::index::claim_dir(dir)?;
        let file = dir.join(format!("{index_key}.state.jsonl"));
        let mut files = BTreeMap::new();
        match std::fs::File::open(&file) {
            Ok(f) => {
                for line in std::io::BufReader::new(f).lines() {
                    let line = line.map_err(|e| Error::io(&file, e))?;
                    // A line cut short by a crash is the last one: skip it.
                    match serde_json::from_str::<Line>(&line) {
                        Ok(Line::Sent(s)) => {
                            files.insert(s.path.clone(), s);
                        }
                        Ok(Line::Deleted { path }) => {
                            files.remove(&path);
                        }
                        Err(_) => {}
                    }
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io(&file, e)),
        }
        Ok(State { file, files })
    }

    /// The state file's path.
    pub fn path(&self) -> &Path {
        &self.file
    }

    fn append(&mut self, lines: &[Line]) -> Result<()> {
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.file)
            .map_err(|e| Error::io(&self.file, e))?;
        let mut buf = Vec::new();
        for l in lines {
            serde_json::to_writer(&mut buf, l)?;
            buf.push(b'\n');
        }
        f.write_all(&buf).map_err(|e| Error::io(&self.file, e))?;
        f.sync_data().map_err(|e| Error::io(&self.file, e))?;
        for l in lines {
            match l {
                Line::Sent(s) => {
                    self.files.insert(s.path.clone(), s.clone());
                }
                Line::Deleted { path } => {
                    self.files.remove(path);
                }
            }
        }
        Ok(())
    }

    /// Rewrites the log as one line per file (write, then rename).
    pub fn compact(&self) -> Result<()> {
        let tmp = self.file.with_extension("jsonl.tmp");
        let mut buf = Vec::new();
        for s in self.files.values() {
            serde_json::to_writer(&mut buf, &Line::Sent(s.clone()))?;
            buf.push(b'\n');
        }
        std::fs::write(&tmp, &buf).map_err(|e| Error::io(&tmp, e))?;
        std::fs::rename(&tmp, &self.file).map_err(|e| Error::io(&self.file, e))
    }
}

/// The state file name of a remote index (host, port and id).
pub fn state_key(target: &super::Target) -> String {
    let host: String = target
        .host
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{host}_{}_{}", target.port, target.index)
}

/// A batch being filled.
#[derive(Default)]
struct Batch {
    ndjson: Vec<u8>,
    /// (doc id, byte range of its line).
    lines: Vec<(String, std::ops::Range<usize>)>,
    files: Vec<Sent>,
    deletes: Vec<String>,
}

/// Feeds `paths` to `remote`, recording what was sent in `state`.
#[allow(clippy::too_many_arguments)]
pub fn feed(
    remote: &Remote,
    state: &mut State,
    skip_dirs: &[PathBuf],
    paths: &[PathBuf],
    kb: &Kb,
    opts: &IndexOptions,
    limits: BatchLimits,
    progress: &dyn Progress,
    stop: &AtomicBool,
) -> Result<IndexReport> {
    let started = Instant::now();
    for p in paths {
        if !p.exists() {
            return Err(Error::NotFound(p.clone()));
        }
    }
    // Fails early, and clearly, when the cluster or the index is missing.
    remote
        .client
        .get(&format!("/api/v1/indexes/{}", remote.index))?;
    let held_before = remote.count(super::translate::MATCH_ALL)?;
    let fingerprint = kb.fingerprint(crate::extract::RULES_REVISION);
    let found = discover_skipping(paths, skip_dirs);
    let mut report = IndexReport {
        skipped: found.errors.clone(),
        ..IndexReport::default()
    };
    for s in &found.errors {
        progress.skipped(s);
    }

    // Files that vanished from the walked roots.
    let seen: HashSet<String> = found.files.iter().map(|f| path_key(&f.path)).collect();
    let gone: Vec<Sent> = state
        .files
        .values()
        .filter(|s| {
            !seen.contains(&s.path)
                && found
                    .roots
                    .iter()
                    .any(|r| path_from_key(&s.path).starts_with(r))
        })
        .cloned()
        .collect();
    if !gone.is_empty() {
        let ids: Vec<String> = gone.iter().flat_map(|s| s.ids.clone()).collect();
        delete_ids(remote, &ids)?;
        report.removed += ids.len();
        let lines: Vec<Line> = gone
            .into_iter()
            .map(|s| Line::Deleted { path: s.path })
            .collect();
        state.append(&lines)?;
    }

    let unchanged = |f: &FileEntry| {
        state
            .files
            .get(&path_key(&f.path))
            .is_some_and(|s| s.size == f.size && s.mtime == f.mtime && s.kb == fingerprint)
    };
    let todo: Vec<&FileEntry> = found
        .files
        .iter()
        .filter(|f| {
            let skip = unchanged(f);
            if skip {
                report.unchanged += 1;
            }
            !skip
        })
        .collect();
    progress.start(todo.len() as u64);

    let threads = worker_threads(opts);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("threatdex-extract-{i}"))
        .stack_size(64 * 1024 * 1024)
        .build()
        .map_err(|e| Error::io("thread pool", std::io::Error::other(e)))?;
    let (tx, rx) = crossbeam_channel::bounded::<(FileEntry, Extracted)>(threads * 2);
    let cancel = AtomicBool::new(false);
    let mut encoder = Encoder::new();
    let mut batch = Batch::default();
    let mut claimed: HashSet<String> = HashSet::new();

    let result: Result<()> = std::thread::scope(|scope| {
        let cancel = &cancel;
        let todo = &todo;
        let pool = &pool;
        let fingerprint = fingerprint.as_str();
        scope.spawn(move || {
            pool.install(|| {
                todo.par_iter().for_each_with(tx, |tx, file| {
                    if cancel.load(Ordering::Relaxed) {
                        return;
                    }
                    let out = extract_file(file, kb, fingerprint, opts);
                    let _ = tx.send(((*file).clone(), out));
                })
            })
        });
        let mut run = || -> Result<()> {
            for (file, out) in rx.iter() {
                match out {
                    Extracted::Skip(skip) => {
                        progress.skipped(&skip);
                        report.skipped.push(skip);
                    }
                    Extracted::Docs {
                        path,
                        docs,
                        partial,
                    } => {
                        for skip in partial {
                            progress.skipped(&skip);
                            report.skipped.push(skip);
                        }
                        let mut encoded = Vec::with_capacity(docs.len());
                        for (key, shared, doc) in &docs {
                            let mut json = encoder.encode(doc, key)?;
                            if *shared {
                                // A feed entry is one document whichever
                                // snapshot holds it.
                                let id = doc_id(key, "");
                                if !claimed.insert(id.clone()) {
                                    continue;
                                }
                                json.insert(DOC_ID.into(), Value::String(id));
                            }
                            encoded.push(json);
                        }
                        let hash = encoded
                            .first()
                            .and_then(|j| j.get(names::HASH))
                            .and_then(|h| h.get(0))
                            .and_then(Value::as_str)
                            .unwrap_or_default()
                            .to_string();
                        let before = state.files.get(&path).cloned();
                        if let Some(old) = &before {
                            if old.hash == hash && old.kb == fingerprint && !hash.is_empty() {
                                // Touched, not changed: only the stamp moves.
                                state.append(&[Line::Sent(Sent {
                                    size: file.size,
                                    mtime: file.mtime,
                                    ..old.clone()
                                })])?;
                                report.unchanged += 1;
                                progress.advance();
                                continue;
                            }
                            batch.deletes.extend(old.ids.iter().cloned());
                        }
                        let mut ids = Vec::with_capacity(encoded.len());
                        for json in encoded {
                            let id = json
                                .get(DOC_ID)
                                .and_then(Value::as_str)
                                .unwrap_or_default()
                                .to_string();
                            let start = batch.ndjson.len();
                            serde_json::to_writer(&mut batch.ndjson, &json)?;
                            batch.ndjson.push(b'\n');
                            batch.lines.push((id.clone(), start..batch.ndjson.len()));
                            ids.push(id);
                        }
                        batch.files.push(Sent {
                            path,
                            size: file.size,
                            mtime: file.mtime,
                            hash,
                            kb: fingerprint.to_string(),
                            ids,
                        });
                        if batch.ndjson.len() >= limits.bytes || batch.lines.len() >= limits.docs {
                            let b = std::mem::take(&mut batch);
                            report.indexed += send(remote, state, b, false)?;
                            progress.committed(report.indexed as u64);
                        }
                    }
                }
                progress.advance();
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
        drop(rx);
        r
    });
    result?;
    // The last batch is committed at once; earlier ones within Quickwit's
    // commit timeout. Wait (a bounded time) until everything sent is
    // searchable, so the command returns with the cluster up to date.
    let last = std::mem::take(&mut batch);
    if !last.lines.is_empty() || !last.deletes.is_empty() || !last.files.is_empty() {
        report.indexed += send(remote, state, last, true)?;
    }
    state.compact()?;
    let expected = held_before + report.indexed as u64;
    let deadline =
        Instant::now() + std::time::Duration::from_secs(4 * super::mapping::COMMIT_TIMEOUT_SECS);
    loop {
        report.total = remote.count(super::translate::MATCH_ALL)?;
        if report.total >= expected || Instant::now() >= deadline {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(500));
    }
    report.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// Sends one batch: deletes the replaced documents, leaves out those the
/// cluster already holds, ingests the rest, then records the batch's files.
/// Returns the number of documents sent.
fn send(remote: &Remote, state: &mut State, batch: Batch, commit: bool) -> Result<usize> {
    if !batch.deletes.is_empty() {
        delete_ids(remote, &batch.deletes)?;
    }
    let ids: Vec<String> = batch.lines.iter().map(|(id, _)| id.clone()).collect();
    let present = existing_ids(remote, &ids)?;
    let mut body = Vec::with_capacity(batch.ndjson.len());
    let mut count = 0;
    for (id, range) in &batch.lines {
        if !present.contains(id) {
            body.extend_from_slice(&batch.ndjson[range.clone()]);
            count += 1;
        }
    }
    if count > 0 {
        let path = format!(
            "/api/v1/{}/ingest{}",
            remote.index,
            if commit { "?commit=force" } else { "" }
        );
        let answer = remote.client.post_ndjson(&path, &body)?;
        check_ingest(&answer)?;
    }
    let lines: Vec<Line> = batch.files.into_iter().map(Line::Sent).collect();
    state.append(&lines)?;
    Ok(count)
}

/// Fails when the cluster rejected documents of a batch.
pub fn check_ingest(answer: &Value) -> Result<()> {
    let rejected = answer["num_rejected_docs"].as_u64().unwrap_or(0);
    if rejected > 0 {
        let why = answer["parse_failures"]
            .get(0)
            .map(|f| f["message"].as_str().unwrap_or_default().to_string())
            .unwrap_or_default();
        return Err(Error::Remote {
            method: "POST".into(),
            url: "ingest".into(),
            status: 200,
            message: format!("{rejected} documents rejected: {why}"),
        });
    }
    Ok(())
}

/// The ids of `ids` that the cluster already holds.
pub fn existing_ids(remote: &Remote, ids: &[String]) -> Result<HashSet<String>> {
    let mut out = HashSet::new();
    for chunk in ids.chunks(IDS_PER_QUERY) {
        let answer = remote.search_raw(&json!({
            "query": ids_query(chunk),
            "max_hits": 0,
            "aggs": {"ids": {"terms": {"field": DOC_ID, "size": chunk.len()}}},
        }))?;
        out.extend(bucket_counts(&answer["aggregations"]["ids"])?.into_keys());
    }
    Ok(out)
}

/// Deletes the documents with these ids (Quickwit delete tasks, applied to
/// the published splits in the background).
pub fn delete_ids(remote: &Remote, ids: &[String]) -> Result<()> {
    for chunk in ids.chunks(IDS_PER_QUERY) {
        remote.client.post_json(
            &format!("/api/v1/{}/delete-tasks", remote.index),
            &json!({"query": ids_query(chunk)}),
        )?;
    }
    Ok(())
}

/// A query matching any of `ids`.
pub fn ids_query(ids: &[String]) -> String {
    let items: Vec<String> = ids.iter().map(|i| quote(i)).collect();
    format!("{DOC_ID}: IN [{}]", items.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_survives_a_torn_last_line_and_compacts() {
        let dir = std::env::temp_dir().join(format!("threatdex-state-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let mut s = State::open(&dir, "h_1_x").unwrap();
        let sent = |p: &str| Sent {
            path: p.into(),
            size: 1,
            mtime: 2,
            hash: "h".into(),
            kb: "k".into(),
            ids: vec![format!("id-{p}")],
        };
        s.append(&[Line::Sent(sent("/a")), Line::Sent(sent("/b"))])
            .unwrap();
        s.append(&[Line::Deleted { path: "/a".into() }]).unwrap();
        // A crash in the middle of a line.
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(s.path())
            .unwrap();
        f.write_all(b"{\"op\":\"sent\",\"path\":\"/c").unwrap();
        let again = State::open(&dir, "h_1_x").unwrap();
        assert_eq!(again.files.keys().collect::<Vec<_>>(), vec!["/b"]);
        again.compact().unwrap();
        let text = std::fs::read_to_string(again.path()).unwrap();
        assert_eq!(text.lines().count(), 1);
        assert!(
            dir.join(crate::index::VERSION_FILE).is_file(),
            "the folder is marked"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_foreign_folder_is_refused() {
        let dir =
            std::env::temp_dir().join(format!("threatdex-state-foreign-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("notes.txt"), "mine").unwrap();
        assert!(matches!(
            State::open(&dir, "x"),
            Err(Error::ForeignDir { .. })
        ));
        assert_eq!(
            std::fs::read_to_string(dir.join("notes.txt")).unwrap(),
            "mine"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn id_queries_quote_every_id() {
        assert_eq!(
            ids_query(&["a".into(), "b-1".into()]),
            "doc_id: IN [\"a\" \"b-1\"]"
        );
    }
}
