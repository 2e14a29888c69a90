//! Reliability: locking, schema versions, adversarial queries, hostile files.

mod util;

use util::{skipped_reasons, Env};

fn small_corpus(env: &Env) {
    env.write(
        "r/a.txt",
        "Turla report\n2020-01-01\n\nTurla used Kazuar against embassies in Europe.",
    );
    env.write(
        "r/b.txt",
        "Kimsuky report\n2021-02-02\n\nKimsuky phished think tanks in South Korea.",
    );
}

#[test]
fn second_writer_gets_a_clear_error_and_readers_keep_working() {
    let env = Env::new();
    small_corpus(&env);
    env.ok(&["index", "-q", "r"]);
    // Hold the writer lock the way a running `index` does.
    let index = tantivy::Index::open_in_dir(env.index_dir()).unwrap();
    let writer: tantivy::IndexWriter = index.writer(15_000_000).unwrap();
    let out = env.run(&["index", "-q", "r"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("being written by another process"), "{err}");
    // Readers see the last commit meanwhile.
    let res = env.json(&["search", "kazuar"]);
    assert_eq!(res["total"], 1);
    env.ok(&["facets", "--by", "actor"]);
    drop(writer);
    env.ok(&["index", "-q", "r"]);
}

#[test]
fn index_from_another_schema_version_says_to_reindex() {
    let env = Env::new();
    small_corpus(&env);
    env.ok(&["index", "-q", "r"]);
    let stamp = env.index_dir().join("threatdex-version.json");
    std::fs::write(&stamp, r#"{"schema_version": 999}"#).unwrap();
    let out = env.run(&["search", "turla"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("schema version 999") && err.contains("re-index"),
        "{err}"
    );
    // --rebuild recovers.
    env.ok(&["index", "-q", "--rebuild", "r"]);
    assert_eq!(env.json(&["search", "turla"])["total"], 1);
}

#[test]
fn adversarial_queries_give_results_or_usage_errors() {
    let env = Env::new();
    small_corpus(&env);
    env.ok(&["index", "-q", "r"]);
    let many_or = vec!["word"; 10_000].join(" OR ");
    let deep = format!("{}turla{}", "(".repeat(500), ")".repeat(500));
    // One argv string is capped at 128 KiB by the kernel.
    let huge = "turla ".repeat(20_000);
    let queries = [
        "\"unbalanced",
        "((turla",
        "turla))",
        "nosuchfield:turla",
        "title:",
        "AND OR NOT",
        "-",
        "*",
        "\u{1}\u{7f}turla\u{1b}[31m",
        "turla^",
        "[a TO",
        "\u{202e}kimsuky",
        many_or.as_str(),
        deep.as_str(),
        huge.as_str(),
        "",
        "   ",
    ];
    for q in queries {
        let out = env.run(&["search", q]);
        let code = out.status.code();
        assert!(
            code == Some(0) || code == Some(2),
            "query {:?}: exit {code:?}\n{}",
            q.chars().take(60).collect::<String>(),
            String::from_utf8_lossy(&out.stderr)
        );
        if code == Some(2) {
            assert!(!out.stderr.is_empty());
        }
    }
}

#[test]
fn hostile_files_are_skipped_or_indexed_and_the_run_goes_on() {
    let env = Env::new();
    env.write("h/empty.html", "");
    env.write("h/whitespace.txt", "   \n\n ");
    env.write(
        "h/binary.html",
        [0u8, 1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 0, 0, 0],
    );
    env.write(
        "h/nul.txt",
        b"Turla report\n2020-01-01\n\nTurla\0 used Kazuar.\0",
    );
    env.write(
        "h/invalid-utf8.txt",
        b"Title \xff\xfe\xfd\n2020-01-01\n\nLazarus \xc3\x28 stole funds.",
    );
    let mut utf16 = vec![0xFF, 0xFE];
    for u in "<html><body><article><p>APT28 phished ministries in Georgia and Poland last spring.</p></article></body></html>".encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    env.write("h/utf16.html", &utf16);
    env.write("h/shift_jis.html", b"<html><head><meta charset=\"shift_jis\"></head><body><p>\x93\xfa\x96\x7b APT10 \x82\xcd\x93\xfa\x96\x7b\x82\xf0\x8d\x55\x8c\x82\x82\xb5\x82\xbd\x81\x42</p></body></html>");
    env.write(
        "h/unterminated.html",
        "<html><body><article><p>Sandworm hit the grid <!-- never closed <div <p",
    );
    let deep = format!(
        "<html><body>{}<p>Volt Typhoon deep inside</p>{}</body></html>",
        "<div>".repeat(100_000),
        "</div>".repeat(10)
    );
    env.write("h/deep.html", deep);
    let long_line = format!(
        "Long line report\n2020-01-01\n\n{}",
        "MuddyWater phished telecom operators. ".repeat(300_000)
    );
    env.write("h/long-line.txt", long_line);
    std::fs::create_dir_all(env.dir.path().join("h/dir.html")).unwrap();
    let res = env.json(&["index", "h"]);
    let skipped: Vec<String> = skipped_reasons(&res)
        .into_iter()
        .map(|(p, r)| format!("{p} {r}"))
        .collect();
    assert_eq!(skipped.len(), 3, "{skipped:?}");
    assert!(skipped
        .iter()
        .any(|s| s.contains("empty.html") && s.contains("empty")));
    assert!(skipped.iter().any(|s| s.contains("whitespace.txt")));
    assert!(skipped
        .iter()
        .any(|s| s.contains("binary.html") && s.contains("binary")));
    assert_eq!(res["indexed"], 7);
    assert_eq!(env.json(&["search", "kazuar"])["total"], 1);
    assert_eq!(
        env.json(&["search", "--actor", "APT28"])["total"],
        1,
        "UTF-16 page decoded"
    );
    assert_eq!(
        env.json(&["search", "--actor", "APT10"])["total"],
        1,
        "Shift_JIS page decoded"
    );
    assert_eq!(env.json(&["search", "--actor", "MuddyWater"])["total"], 1);
}

#[cfg(unix)]
#[test]
fn symlink_loop_in_the_corpus_is_reported_not_fatal() {
    let env = Env::new();
    env.write("s/a.txt", "Turla report\n2020-01-01\n\nTurla again.");
    std::os::unix::fs::symlink(env.dir.path().join("s"), env.dir.path().join("s/loop")).unwrap();
    let res = env.json(&["index", "-q", "s"]);
    assert_eq!(res["indexed"], 1);
    let reasons: Vec<String> = skipped_reasons(&res).into_iter().map(|(_, r)| r).collect();
    assert!(reasons.iter().any(|r| r.contains("loop")), "{reasons:?}");
}
