//! Interrupted runs: SIGKILL at several points leaves an index that opens and
//! answers with its last commit, and the next run completes the job with each
//! document exactly once; SIGINT stops cleanly after a commit.

mod util;

use std::collections::BTreeSet;
use std::process::Stdio;
use std::time::{Duration, Instant};
use util::{corpus, skipped_reasons, Env};

/// Writes `n` distinct report pages (copies of bundled pages, each with its
/// own marker word) and returns how many were written.
fn many_pages(env: &Env, n: usize) -> usize {
    let pages: Vec<String> = std::fs::read_dir(corpus().join("news"))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    assert!(!pages.is_empty());
    for i in 0..n {
        let page = &pages[i % pages.len()];
        let marked = page.replacen("</p>", &format!(" marker{i}x</p>"), 1);
        env.write(&format!("big/d{}/p{i}.html", i / 500), marked);
    }
    n
}

/// Every path in the index (via an unfiltered search).
fn indexed_paths(env: &Env, limit: usize) -> (u64, BTreeSet<String>) {
    let res = env.json(&["search", "--limit", &limit.to_string()]);
    let paths = res["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["path"].as_str().unwrap().to_string())
        .collect();
    (res["total"].as_u64().unwrap(), paths)
}

#[test]
fn sigkill_at_random_points_loses_nothing_committed() {
    let env = Env::new();
    let n = many_pages(&env, 1500);
    for delay_ms in [150u64, 600, 1200] {
        let mut child = env
            .cmd(&["index", "-q", "-j", "1", "--commit-every", "1", "big"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        if env.index_dir().join("meta.json").exists() {
            // The index opens and answers with the last commit.
            let (total, paths) = indexed_paths(&env, n);
            assert!(total as usize <= n);
            assert_eq!(paths.len(), total as usize, "no document twice");
        }
    }
    let res = env.json(&["index", "-q", "big"]);
    assert_eq!(res["total"].as_u64(), Some(n as u64), "{res}");
    let (total, paths) = indexed_paths(&env, n + 10);
    assert_eq!(total as usize, n);
    assert_eq!(paths.len(), n, "every document exactly once");
    assert_eq!(env.json(&["search", "marker777x"])["total"], 1);
}

#[cfg(unix)]
#[test]
fn sigint_commits_what_is_done_and_says_so() {
    let env = Env::new();
    let n = many_pages(&env, 1500);
    let child = env
        .cmd(&["index", "-j", "1", "--commit-every", "600", "big"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    std::thread::sleep(Duration::from_millis(700));
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    if out.status.code() == Some(0) {
        // The run finished before the signal arrived: nothing to check.
        assert!(start.elapsed() >= Duration::from_millis(600));
        return;
    }
    assert_eq!(out.status.code(), Some(130), "{err}");
    assert!(err.contains("interrupted"), "{err}");
    let (committed, _) = indexed_paths(&env, n);
    assert!(
        committed > 0 && (committed as usize) < n,
        "committed {committed} of {n}"
    );
    let res = env.json(&["index", "-q", "big"]);
    assert_eq!(res["unchanged"].as_u64(), Some(committed));
    assert_eq!(res["total"].as_u64(), Some(n as u64));
}

#[test]
fn search_works_while_an_index_run_is_in_progress() {
    let env = Env::new();
    env.write(
        "first/a.txt",
        "Turla report\n2020-01-01\n\nTurla used Kazuar against embassies.",
    );
    env.ok(&["index", "-q", "first"]);
    let n = many_pages(&env, 1500);
    let mut child = env
        .cmd(&["index", "-q", "-j", "1", "first", "big"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let res = env.json(&["search", "kazuar"]);
    assert_eq!(res["total"], 1);
    env.ok(&["facets", "--by", "actor"]);
    assert!(child.wait().unwrap().success());
    assert_eq!(indexed_paths(&env, n + 10).0 as usize, n + 1);
}

#[test]
fn files_deleted_during_a_run_are_skipped_and_the_run_goes_on() {
    let env = Env::new();
    let n = many_pages(&env, 1500);
    let child = env
        .cmd(&["index", "--json", "-j", "1", "big"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Delete the second half while the run goes (the walk has listed them).
    std::thread::sleep(Duration::from_millis(150));
    let mut deleted = 0;
    for i in (n / 2)..n {
        if std::fs::remove_file(env.dir.path().join(format!("big/d{}/p{i}.html", i / 500))).is_ok()
        {
            deleted += 1;
        }
    }
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "the run must go on");
    let res: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let indexed = res["indexed"].as_u64().unwrap() as usize;
    let skipped = res["skipped"].as_array().unwrap().len();
    assert!(
        indexed + skipped <= n && indexed >= n / 2,
        "{indexed} indexed, {skipped} skipped"
    );
    // The next run removes what vanished and leaves exactly the files left.
    let again = env.json(&["index", "-q", "big"]);
    assert_eq!(
        again["total"].as_u64(),
        Some((n - deleted) as u64),
        "{again}"
    );
}

#[cfg(unix)]
#[test]
fn unreadable_files_are_skipped_with_their_reason() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    let p = env.write("u/secret.txt", "Turla report\n2020-01-01\n\nTurla again.");
    env.write("u/open.txt", "Kimsuky report\n2020-01-01\n\nKimsuky again.");
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&p).is_ok() {
        // Running as root: permissions do not stop reads, nothing to test.
        eprintln!("note: running as root, chmod 000 does not make a file unreadable; skipped");
        return;
    }
    let res = env.json(&["index", "u"]);
    assert_eq!(res["indexed"], 1);
    let reasons: Vec<String> = skipped_reasons(&res).into_iter().map(|(_, r)| r).collect();
    assert!(
        reasons.iter().any(|r| r.contains("ermission")),
        "{reasons:?}"
    );
}
