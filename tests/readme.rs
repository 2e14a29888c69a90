//! Every example in README.md is real output: each ```console block's
//! `$ threatdex …` lines are run on the bundled corpus (indexed into a fresh
//! temporary index), and what they print (stdout and stderr together, as a
//! terminal shows them) must be what the README shows, byte for byte.
//!
//! After a change that alters output on purpose, `UPDATE_README=1 cargo test
//! --test readme` writes the real output into README.md (then read the diff).

mod util;

use std::path::{Path, PathBuf};
use std::process::Command;

/// One `$ threatdex …` line of a console block and what the README shows
/// under it.
struct Example {
    /// Line index of the `$` line in README.md.
    line: usize,
    /// The command line after `$ `.
    command: String,
    /// The lines shown as its output.
    expected: Vec<String>,
}

fn readme_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")
}

/// The examples of every ```console block, in order.
fn examples(readme: &str) -> Vec<Example> {
    let mut out: Vec<Example> = Vec::new();
    let mut in_console = false;
    for (i, line) in readme.lines().enumerate() {
        if !in_console {
            in_console = line.trim_end() == "```console";
            continue;
        }
        if line.starts_with("```") {
            in_console = false;
            continue;
        }
        if let Some(cmd) = line.strip_prefix("$ ") {
            out.push(Example {
                line: i,
                command: cmd.to_string(),
                expected: Vec::new(),
            });
        } else if let Some(last) = out.last_mut() {
            last.expected.push(line.to_string());
        }
    }
    out
}

/// Runs one example's command: `threatdex` is the binary, the index is the
/// corpus index, the working directory the crate root (so paths show as
/// `corpus/…`); files it is told to write go to `scratch`.
fn run(command: &str, index: &Path, scratch: &Path) -> String {
    let words = shell_words::split(command).expect("README command parses");
    assert!(
        !words.iter().any(|w| w == "|" || w == ">"),
        "README console examples run threatdex alone (no pipes): {command}"
    );
    assert_eq!(
        words[0], "threatdex",
        "README console lines run threatdex: {command}"
    );
    let mut args: Vec<String> = Vec::new();
    let mut it = words.into_iter().skip(1);
    while let Some(w) = it.next() {
        let writes_file = matches!(w.as_str(), "--out" | "-o" | "--stix");
        args.push(w);
        if writes_file {
            if let Some(target) = it.next() {
                args.push(if target == "-" {
                    target
                } else {
                    scratch.join(target).to_string_lossy().into_owned()
                });
            }
        }
    }
    // One pipe for both streams, so messages land where a terminal shows them.
    let (mut reader, writer) = std::io::pipe().expect("pipe");
    let mut child = Command::new(env!("CARGO_BIN_EXE_threatdex"))
        .args(&args)
        .env("THREATDEX_INDEX", index)
        .env("NO_COLOR", "1")
        .env_remove("COLUMNS")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(writer.try_clone().expect("pipe"))
        .stderr(writer)
        .spawn()
        .expect("run threatdex");
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut reader, &mut bytes).expect("read output");
    child.wait().expect("wait for threatdex");
    // Files written to the scratch folder show under the README's names.
    let scratch_prefix = format!("{}/", scratch.display());
    String::from_utf8_lossy(&bytes).replace(&scratch_prefix, "")
}

/// The README's blank line after the output, if any, belongs to the prose.
fn shown(lines: &[String]) -> String {
    let mut l = lines.to_vec();
    while l.last().is_some_and(|s| s.trim().is_empty()) {
        l.pop();
    }
    l.join("\n")
}

#[test]
fn every_readme_example_is_real_output() {
    let env = util::Env::with_corpus();
    let scratch = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(readme_path()).unwrap();
    let list = examples(&text);
    assert!(
        list.len() >= 10,
        "only {} console examples found",
        list.len()
    );
    let update = std::env::var_os("UPDATE_README").is_some();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut failures = Vec::new();
    // Replace from the bottom up so earlier line numbers stay valid.
    for ex in list.iter().rev() {
        // Other programs' examples (curl against `serve`) are not run here:
        // tests/serve.rs checks the API.
        if !ex.command.starts_with("threatdex ") {
            continue;
        }
        let output = run(&ex.command, &env.index_dir(), scratch.path());
        let got = output.trim_end_matches('\n');
        let want = shown(&ex.expected);
        if got != want {
            if update {
                let end = ex.line + 1 + ex.expected.len();
                let keep_blank =
                    ex.expected.last().is_some_and(|l| l.trim().is_empty()) && !got.is_empty();
                let mut new: Vec<String> = got.lines().map(str::to_string).collect();
                if keep_blank {
                    new.push(String::new());
                }
                lines.splice(ex.line + 1..end, new);
            } else {
                failures.push(format!(
                    "README line {}: `{}`\n--- README shows:\n{want}\n--- threatdex prints:\n{got}\n",
                    ex.line + 1,
                    ex.command
                ));
            }
        }
    }
    if update {
        let mut new = lines.join("\n");
        new.push('\n');
        std::fs::write(readme_path(), new).unwrap();
    }
    assert!(
        failures.is_empty(),
        "{} README example(s) differ (UPDATE_README=1 rewrites them):\n{}",
        failures.len(),
        failures.join("\n")
    );
}
