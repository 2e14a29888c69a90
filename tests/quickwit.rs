//! The Quickwit client without Quickwit: a small loopback server replays
//! request/answer pairs recorded from a real two-node cluster
//! (`tests/fixtures/quickwit/`, recorded with `THREATDEX_QUICKWIT_RECORD`
//! while `scripts/quickwit-e2e.sh` ran), or answers from a script, and the
//! tests check what the binary and the library send and print: query
//! translation, facet and hit rendering against the local engine, batching
//! and the sent-state, retries on 429/503, timeouts and error messages.

mod util;

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use threatdex::remote::client::Client;
use threatdex::remote::ingest::{feed, BatchLimits, State};
use threatdex::remote::search::Remote;
use util::Env;

/// One request the server received.
#[derive(Debug, Clone)]
struct Request {
    method: String,
    /// Path and query string.
    path: String,
    body: String,
}

impl Request {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }
}

type Responder = dyn Fn(&Request, usize) -> (u16, String) + Send + Sync;

/// A loopback HTTP/1.1 server: one request per connection, answered by a
/// responder given the request and its number (0-based).
struct Replay {
    port: u16,
    log: Arc<Mutex<Vec<Request>>>,
}

impl Replay {
    fn start(responder: Box<Responder>) -> Replay {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let port = listener.local_addr().unwrap().port();
        let log = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&log);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let Some(req) = read_request(&stream) else {
                    continue;
                };
                let n = {
                    let mut l = seen.lock().unwrap();
                    l.push(req.clone());
                    l.len() - 1
                };
                let (status, body) = responder(&req, n);
                let mut s = stream;
                let _ = write!(
                    s,
                    "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
            }
        });
        Replay { port, log }
    }

    fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn remote(&self, index: &str) -> String {
        format!("quickwit://127.0.0.1:{}/{index}", self.port)
    }

    fn requests(&self) -> Vec<Request> {
        self.log.lock().unwrap().clone()
    }
}

fn read_request(stream: &TcpStream) -> Option<Request> {
    let mut r = BufReader::new(stream);
    let mut line = String::new();
    r.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let path = parts.next()?.to_string();
    let mut len = 0usize;
    loop {
        let mut h = String::new();
        r.read_line(&mut h).ok()?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                len = v.trim().parse().ok()?;
            }
        }
    }
    let mut body = vec![0; len];
    r.read_exact(&mut body).ok()?;
    Some(Request {
        method,
        path,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

/// A recorded exchange.
struct Fixture {
    request: Value,
    status: u16,
    answer: String,
}

fn fixture(name: &str) -> Fixture {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/quickwit")
        .join(format!("{name}.json"));
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
    Fixture {
        request: v["request"].clone(),
        status: v["status"].as_u64().unwrap() as u16,
        answer: v["answer"].to_string(),
    }
}

/// A server answering every request with the recorded answer of `name`.
fn replay(name: &str) -> (Replay, Fixture) {
    let f = fixture(name);
    let (status, answer) = (f.status, f.answer.clone());
    (
        Replay::start(Box::new(move |_, _| (status, answer.clone()))),
        f,
    )
}

/// Paths relative to the corpus folder of whichever machine indexed them.
fn corpus_relative(paths: &str) -> Vec<String> {
    let mut out: Vec<String> = paths
        .lines()
        .filter_map(|p| p.split_once("/corpus/").map(|(_, rel)| rel.to_string()))
        .collect();
    out.sort();
    out
}

#[test]
fn facets_from_the_cluster_equal_the_local_counts() {
    let env = Env::with_corpus();
    for (name, args) in [
        ("facets-default", vec![]),
        ("facets-cross", vec!["--cross", "actor,sector"]),
        (
            "facets-month",
            vec!["--actor", "APT28", "--by", "month", "--top", "12"],
        ),
    ] {
        let (server, recorded) = replay(name);
        let mut remote_args = vec!["facets", "--json", "--remote"];
        let address = server.remote("td-corpus");
        remote_args.push(&address);
        remote_args.extend(&args);
        let remote = env.ok(&remote_args);
        let mut local_args = vec!["facets", "--json"];
        local_args.extend(&args);
        let local = env.ok(&local_args);
        assert_eq!(remote, local, "{name}: remote and local counts differ");
        // The binary still sends what the real cluster was asked.
        let sent = server.requests();
        assert_eq!(sent.len(), 1, "{name}");
        assert_eq!(sent[0].path, "/api/v1/td-corpus/search");
        assert_eq!(
            sent[0].json(),
            recorded.request,
            "{name}: the request changed"
        );
    }
}

#[test]
fn hits_from_the_cluster_are_rendered_like_local_hits() {
    let env = Env::with_corpus();
    let (server, recorded) = replay("search-volt-typhoon");
    let address = server.remote("td-corpus");
    let remote = env.json(&[
        "search",
        "--remote",
        &address,
        "\"volt typhoon\"",
        "-n",
        "5",
    ]);
    let local = env.json(&["search", "\"volt typhoon\"", "-n", "5"]);
    assert_eq!(remote["total"], local["total"]);
    let hits = remote["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 4, "all four matching reports");
    let local_hits = local["hits"].as_array().unwrap();
    for h in hits {
        let rel = h["path"]
            .as_str()
            .unwrap()
            .split_once("/corpus/")
            .unwrap()
            .1;
        let twin = local_hits
            .iter()
            .find(|l| l["path"].as_str().unwrap().ends_with(rel))
            .unwrap_or_else(|| panic!("{rel} is no local hit"));
        // Stored fields come back whole, and snippets are cut client-side
        // by the local snippet code: the same as locally.
        for key in ["title", "date", "actors", "countries", "cves", "format"] {
            assert_eq!(h[key], twin[key], "{rel}: {key}");
        }
        assert!(!h["snippet"].as_str().unwrap().is_empty(), "{h}");
        assert_eq!(h["snippet"], twin["snippet"], "{rel}");
        assert_eq!(h["highlights"], twin["highlights"], "{rel}");
        assert_eq!(h["score"], Value::Null, "Quickwit returns no scores");
    }
    assert_eq!(server.requests()[0].json(), recorded.request);
}

#[test]
fn paths_from_the_cluster_are_the_local_hit_set() {
    let env = Env::with_corpus();
    let (server, recorded) = replay("search-paths-ransomware");
    let address = server.remote("td-corpus");
    let remote = env.ok(&[
        "search",
        "--remote",
        &address,
        "-l",
        "ransomware",
        "--sector",
        "healthcare",
    ]);
    let local = env.ok(&["search", "-l", "ransomware", "--sector", "healthcare"]);
    assert!(!local.is_empty());
    assert_eq!(corpus_relative(&remote), corpus_relative(&local));
    assert_eq!(server.requests()[0].json(), recorded.request);
}

#[test]
fn iocs_export_and_report_from_the_cluster_equal_the_local_ones() {
    // These commands copy the matching reports (as the cluster stores
    // them) into a temporary local index and run there.
    let env = Env::with_corpus();
    let (server, recorded) = replay("fetch-ransomware");
    let address = server.remote("td-corpus");
    assert_eq!(
        env.ok(&["iocs", "--remote", &address, "ransomware"]),
        env.ok(&["iocs", "ransomware"])
    );
    assert_eq!(
        env.ok(&["iocs", "--remote", &address, "--json", "ransomware"]),
        env.ok(&["iocs", "--json", "ransomware"])
    );
    // The STIX bundle is deterministic: byte for byte the local one.
    assert_eq!(
        env.ok(&["export", "--remote", &address, "--stix", "-", "ransomware"]),
        env.ok(&["export", "--stix", "-", "ransomware"])
    );
    env.ok(&[
        "report",
        "--remote",
        &address,
        "--out",
        "r.md",
        "ransomware",
    ]);
    env.ok(&["report", "--out", "l.md", "ransomware"]);
    let read = |f: &str| std::fs::read_to_string(env.dir.path().join(f)).unwrap();
    // Every count is the same; the top reports are ranked by BM25 over the
    // matching reports only (the temporary index), so their order may
    // differ from the local one: the ranking differs legitimately.
    let (remote, local) = (read("r.md"), read("l.md"));
    let counts = |r: &str| r.split("## Top reports").next().unwrap().to_string();
    assert_eq!(counts(&remote), counts(&local));
    let tops = |r: &str| r.matches("\n   > ").count();
    assert_eq!(tops(&remote), tops(&local));
    let sent = server.requests();
    assert_eq!(sent.len(), 4);
    assert!(sent.iter().all(|r| r.json() == recorded.request));
    // No temporary index is left behind.
    let leftovers = std::fs::read_dir(std::env::temp_dir())
        .unwrap()
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(&format!("threatdex-remote-{}-", std::process::id()))
        })
        .count();
    assert_eq!(leftovers, 0);
}

#[test]
fn actor_from_the_cluster_equals_the_local_card() {
    let env = Env::with_corpus();
    let (server, recorded) = replay("fetch-actor-apt28");
    let address = server.remote("td-corpus");
    assert_eq!(
        env.ok(&["actor", "--remote", &address, "apt28"]),
        env.ok(&["actor", "apt28"])
    );
    assert_eq!(server.requests()[0].json(), recorded.request);
}

#[test]
fn init_sends_the_generated_config() {
    let env = Env::new();
    let (server, recorded) = replay("init");
    let out = env.ok(&["quickwit", "init", &server.base(), "--index", "td-corpus"]);
    assert_eq!(out.trim(), server.remote("td-corpus"));
    let sent = server.requests();
    assert_eq!(sent[0].method, "POST");
    assert_eq!(sent[0].path, "/api/v1/indexes");
    assert_eq!(
        sent[0].json(),
        threatdex::remote::mapping::index_config("td-corpus").unwrap()
    );
    assert_eq!(
        sent[0].json(),
        recorded.request,
        "the config changed since it was recorded"
    );
}

#[test]
fn config_prints_the_yaml_of_the_generated_config() {
    let env = Env::new();
    let yaml = env.ok(&["quickwit", "config", "--index", "reports"]);
    assert!(yaml.contains("index_id: \"reports\"\n"), "{yaml}");
    assert!(yaml.contains("  - name: \"body_terms\"\n"), "{yaml}");
    for d in threatdex::index::schema::Dimension::ALL {
        assert!(
            yaml.contains(&format!("- name: \"{}\"\n", d.name())),
            "{}",
            d.name()
        );
    }
    let bad = env.run(&["quickwit", "config", "--index", "1 bad"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn an_error_answer_is_quoted() {
    let env = Env::new();
    let (server, _) = replay("search-unknown-index");
    let out = env.run(&["search", "--remote", &server.remote("nope"), "x"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Quickwit answered 404 to POST"), "{err}");
    assert!(err.contains("nope"), "{err}");
    assert_eq!(server.requests().len(), 1, "a 404 is not retried");
}

#[test]
fn status_429_and_503_are_retried_then_the_answer_is_used() {
    let env = Env::with_corpus();
    let recorded = fixture("facets-default");
    let answer = recorded.answer.clone();
    let server = Replay::start(Box::new(move |_, n| match n {
        0 => (503, "{\"message\":\"busy\"}".into()),
        1 => (429, "{\"message\":\"too many requests\"}".into()),
        _ => (200, answer.clone()),
    }));
    let remote = env.ok(&["facets", "--json", "--remote", &server.remote("td-corpus")]);
    assert_eq!(remote, env.ok(&["facets", "--json"]));
    assert_eq!(server.requests().len(), 3);
}

#[test]
fn persistent_503_gives_up_with_the_status() {
    let server = Replay::start(Box::new(|_, _| (503, "{\"message\":\"no shard\"}".into())));
    let client = Client::new(&server.base())
        .attempts(3)
        .backoff(Duration::from_millis(1));
    let err = client.get("/api/v1/indexes/x").unwrap_err().to_string();
    assert!(err.contains("Quickwit answered 503 to GET"), "{err}");
    assert!(err.contains("no shard"), "{err}");
    assert_eq!(server.requests().len(), 3);
}

#[test]
fn an_unreachable_cluster_is_named() {
    // A port that was just free: nothing listens there.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let env = Env::new();
    let out = env.run(&[
        "search",
        "--remote",
        &format!("quickwit://127.0.0.1:{port}/td-test"),
        "x",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!(
            "cannot reach Quickwit at http://127.0.0.1:{port}/"
        )),
        "{err}"
    );
    let bad = env.run(&["search", "--remote", "quickwit://127.0.0.1/td", "x"]);
    assert_eq!(
        bad.status.code(),
        Some(2),
        "a malformed address is a usage error"
    );
}

#[test]
fn a_silent_node_times_out() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    // Accepts, reads, never answers.
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for s in listener.incoming().flatten() {
            held.push(s);
        }
    });
    let client = Client::new(&format!("http://127.0.0.1:{port}"))
        .timeout(Duration::from_millis(300))
        .attempts(2)
        .backoff(Duration::from_millis(1));
    let err = client.get("/health/readyz").unwrap_err();
    assert!(matches!(err, threatdex::Error::Unreachable { .. }), "{err}");
    assert!(err.to_string().contains("2 attempts"), "{err}");
}

/// A scripted cluster for ingestion: it knows the index, holds the
/// documents it was sent (by id) and answers existence queries from them.
fn ingest_server() -> (Replay, Arc<Mutex<Vec<String>>>) {
    let index = fixture("index-metadata").answer;
    let ingest = fixture("ingest").answer;
    let deleted = fixture("delete-task").answer;
    let held: Arc<Mutex<Vec<String>>> = Arc::new(Mutex::new(Vec::new()));
    let docs = Arc::clone(&held);
    let server = Replay::start(Box::new(move |req, _| {
        let path = req.path.split('?').next().unwrap_or_default();
        match (req.method.as_str(), path) {
            ("GET", p) if p.starts_with("/api/v1/indexes/") => (200, index.clone()),
            ("POST", p) if p.ends_with("/ingest") => {
                for line in req.body.lines() {
                    let v: Value = serde_json::from_str(line).unwrap();
                    docs.lock()
                        .unwrap()
                        .push(v["doc_id"].as_str().unwrap().to_string());
                }
                (200, ingest.clone())
            }
            ("POST", p) if p.ends_with("/delete-tasks") => (200, deleted.clone()),
            ("POST", p) if p.ends_with("/search") => {
                let q = req.json();
                let held = docs.lock().unwrap();
                let asked = q["query"].as_str().unwrap_or_default().to_string();
                let buckets: Vec<Value> = held
                    .iter()
                    .filter(|id| asked.contains(id.as_str()))
                    .map(|id| json!({"key": id, "doc_count": 1}))
                    .collect();
                let answer = json!({
                    "num_hits": if asked == "*" { held.len() } else { buckets.len() },
                    "hits": [],
                    "elapsed_time_micros": 1,
                    "errors": [],
                    "aggregations": {"ids": {"buckets": buckets}},
                });
                (200, answer.to_string())
            }
            _ => (404, "{\"message\":\"unexpected\"}".into()),
        }
    }));
    (server, held)
}

fn copy_files(from: &Path, to: &Path, n: usize) -> Vec<std::path::PathBuf> {
    std::fs::create_dir_all(to).unwrap();
    let mut names: Vec<_> = std::fs::read_dir(from)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    names.sort();
    names
        .into_iter()
        .take(n)
        .map(|p| {
            let dest = to.join(p.file_name().unwrap());
            std::fs::copy(&p, &dest).unwrap();
            dest
        })
        .collect()
}

#[test]
fn ingestion_batches_records_and_resends_only_changes() {
    let (server, held) = ingest_server();
    let work = tempfile::tempdir().unwrap();
    let reports = work.path().join("reports");
    let files = copy_files(&util::corpus().join("news"), &reports, 12);
    assert_eq!(files.len(), 12);
    let state_dir = work.path().join("state");
    let kb = threatdex::kb::Kb::with_extra_actors(None).unwrap();
    let opts = threatdex::index::indexer::IndexOptions::new().threads(2);
    let target = threatdex::remote::Target::parse(&server.remote("td-test")).unwrap();
    let remote = Remote::new(&target);
    let limits = BatchLimits {
        bytes: usize::MAX,
        docs: 5,
    };
    let stop = AtomicBool::new(false);
    let run = |state: &mut State| {
        feed(
            &remote,
            state,
            std::slice::from_ref(&state_dir),
            std::slice::from_ref(&reports),
            &kb,
            &opts,
            limits,
            &threatdex::index::indexer::NoProgress,
            &stop,
        )
        .unwrap()
    };
    let mut state = State::open(&state_dir, "td-test").unwrap();
    let first = run(&mut state);
    assert_eq!(first.indexed, 12);
    assert_eq!(first.total, 12);
    let ingests: Vec<Request> = server
        .requests()
        .into_iter()
        .filter(|r| r.path.contains("/ingest"))
        .collect();
    let sizes: Vec<usize> = ingests.iter().map(|r| r.body.lines().count()).collect();
    assert_eq!(sizes, vec![5, 5, 2], "batches of at most 5 documents");
    assert!(
        ingests[2].path.ends_with("?commit=force"),
        "the last batch is committed"
    );
    assert!(!ingests[0].path.contains("commit"));
    let ids = held.lock().unwrap().clone();
    let unique: std::collections::HashSet<_> = ids.iter().collect();
    assert_eq!(unique.len(), 12, "one id per document");

    // A rerun sends nothing; a new state from the same file knows the same.
    let before = server.requests().len();
    let mut again = State::open(&state_dir, "td-test").unwrap();
    let second = run(&mut again);
    assert_eq!((second.indexed, second.unchanged), (0, 12));
    assert!(server.requests()[before..]
        .iter()
        .all(|r| !r.path.contains("/ingest") && !r.path.contains("/delete-tasks")));

    // A changed file: its old document is deleted, the new one sent; a
    // removed file: its document is deleted.
    let old_id = again.files[&threatdex::model::path_key(&files[0].canonicalize().unwrap())]
        .ids
        .clone();
    std::fs::write(
        &files[0],
        "<html><title>Changed</title><body><p>Entirely new text about a wiper.</p></body></html>",
    )
    .unwrap();
    let gone_id = again.files[&threatdex::model::path_key(&files[1].canonicalize().unwrap())]
        .ids
        .clone();
    std::fs::remove_file(&files[1]).unwrap();
    let before = server.requests().len();
    let third = run(&mut again);
    assert_eq!((third.indexed, third.removed), (1, 1));
    let later = &server.requests()[before..];
    let deletes: Vec<&Request> = later
        .iter()
        .filter(|r| r.path.contains("/delete-tasks"))
        .collect();
    assert_eq!(deletes.len(), 2, "{later:?}");
    assert!(deletes[0].body.contains(&gone_id[0]));
    assert!(deletes[1].body.contains(&old_id[0]));
    assert_eq!(
        later.iter().filter(|r| r.path.contains("/ingest")).count(),
        1
    );
}

#[test]
fn documents_the_cluster_already_holds_are_not_sent_again() {
    // Another collector's state: a fresh state folder, the same files.
    let (server, held) = ingest_server();
    let work = tempfile::tempdir().unwrap();
    let reports = work.path().join("reports");
    copy_files(&util::corpus().join("news"), &reports, 4);
    let kb = threatdex::kb::Kb::with_extra_actors(None).unwrap();
    let opts = threatdex::index::indexer::IndexOptions::new().threads(1);
    let remote = Remote::new(&threatdex::remote::Target::parse(&server.remote("td-test")).unwrap());
    let stop = AtomicBool::new(false);
    for collector in ["a", "b"] {
        let dir = work.path().join(format!("state-{collector}"));
        let mut state = State::open(&dir, "td-test").unwrap();
        feed(
            &remote,
            &mut state,
            std::slice::from_ref(&dir),
            std::slice::from_ref(&reports),
            &kb,
            &opts,
            BatchLimits::default(),
            &threatdex::index::indexer::NoProgress,
            &stop,
        )
        .unwrap();
    }
    assert_eq!(
        held.lock().unwrap().len(),
        4,
        "the second collector sent nothing new"
    );
}

#[test]
fn an_interrupted_feed_loses_nothing_and_the_rerun_sends_the_rest() {
    let (server, held) = ingest_server();
    let work = tempfile::tempdir().unwrap();
    let reports = work.path().join("reports");
    copy_files(&util::corpus().join("news"), &reports, 12);
    let state_dir = work.path().join("state");
    let kb = threatdex::kb::Kb::with_extra_actors(None).unwrap();
    let opts = threatdex::index::indexer::IndexOptions::new().threads(1);
    let remote = Remote::new(&threatdex::remote::Target::parse(&server.remote("td-test")).unwrap());
    let limits = BatchLimits {
        bytes: usize::MAX,
        docs: 5,
    };
    let run = |stop: &AtomicBool| {
        let mut state = State::open(&state_dir, "td-test").unwrap();
        feed(
            &remote,
            &mut state,
            std::slice::from_ref(&state_dir),
            std::slice::from_ref(&reports),
            &kb,
            &opts,
            limits,
            &threatdex::index::indexer::NoProgress,
            stop,
        )
        .unwrap()
    };
    // Ctrl-C as the first file is done: that file is sent and recorded.
    let first = run(&AtomicBool::new(true));
    assert!(first.interrupted);
    assert!((1..12).contains(&first.indexed), "{}", first.indexed);
    let second = run(&AtomicBool::new(false));
    assert!(!second.interrupted);
    assert_eq!(first.indexed + second.indexed, 12);
    assert_eq!(second.unchanged, first.indexed);
    let ids = held.lock().unwrap().clone();
    let unique: std::collections::HashSet<_> = ids.iter().collect();
    assert_eq!(
        (ids.len(), unique.len()),
        (12, 12),
        "nothing lost, nothing twice"
    );
}
