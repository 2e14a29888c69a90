//! Shared helpers of the integration tests: a fresh temporary index per test
//! and a runner for the real binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The bundled corpus.
pub fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// A temporary working directory with its own index.
pub struct Env {
    pub dir: tempfile::TempDir,
}

impl Env {
    pub fn new() -> Env {
        Env {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn index_dir(&self) -> PathBuf {
        self.dir.path().join("index")
    }

    /// A command for the binary, pointed at this environment's index, with
    /// colour off and the working directory in the temp dir.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_threatdex"));
        c.args(args)
            .env("THREATDEX_INDEX", self.index_dir())
            .env("NO_COLOR", "1")
            .current_dir(self.dir.path());
        c
    }

    /// Runs the binary and returns its output, whatever the exit status.
    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().expect("run threatdex")
    }

    /// Runs the binary, asserts success, returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "threatdex {args:?} failed with {:?}\nstdout:\n{}\nstderr:\n{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("stdout is UTF-8")
    }

    /// Runs the binary with --json, asserts success, parses stdout.
    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut a = args.to_vec();
        a.push("--json");
        let out = self.ok(&a);
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("bad JSON ({e}):\n{out}"))
    }

    /// An environment with the bundled corpus indexed.
    pub fn with_corpus() -> Env {
        let env = Env::new();
        let c = corpus();
        env.ok(&["index", "--quiet", c.to_str().unwrap()]);
        env
    }

    /// Writes a file below the temp dir, creating parent directories.
    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, bytes).unwrap();
        p
    }
}

/// The strings of a JSON array.
pub fn strings(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The (path, reason) of every file an `index --json` run skipped.
pub fn skipped_reasons(res: &serde_json::Value) -> Vec<(String, String)> {
    res["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["path"].as_str().unwrap().to_string(),
                s["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Asserts two values are equal, showing both in full on mismatch.
#[macro_export]
macro_rules! eqnice {
    ($expected:expr, $got:expr $(, $ctx:expr)?) => {{
        let expected = &$expected;
        let got = &$got;
        if expected != got {
            panic!(
                "\n{}\n==== expected ====\n{:#?}\n==== got ====\n{:#?}\n",
                concat!("mismatch" $(, " in ", stringify!($ctx))?),
                expected,
                got
            );
        }
    }};
}
