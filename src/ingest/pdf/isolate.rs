//! Runs PDF extraction in a child process with a time and a memory limit:
//! a PDF parser is a large body of code meeting hostile input, and a loop
//! or a decompression bomb inside it must cost one file, not the run.
//!
//! The child is the same binary's hidden `pdf-text` command
//! ([`child_main`]): it lowers its own address-space limit, extracts one
//! file and writes a [`ChildAnswer`] as JSON on stdout. The parent
//! ([`extract_in_child`]) kills it when the time is up.

use super::{extract_contained, PdfText};
use crate::ingest::SkipReason;
use serde::{Deserialize, Serialize};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The name of the hidden subcommand the child runs.
pub const CHILD_COMMAND: &str = "pdf-text";

/// How to run the child.
#[derive(Debug, Clone)]
pub struct Isolation {
    /// The binary that has the `pdf-text` command (the running one).
    pub exe: PathBuf,
    /// Longest time one file may take.
    pub timeout: Duration,
    /// Address-space limit of the child, in bytes.
    pub memory: u64,
}

impl Isolation {
    /// Defaults: 60 s and 2 GiB per file.
    pub fn new(exe: PathBuf) -> Isolation {
        Isolation {
            exe,
            timeout: Duration::from_secs(60),
            memory: 2 << 30,
        }
    }
}

/// What the child writes on stdout.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum ChildAnswer {
    /// The extracted text.
    Text(PdfText),
    /// Why the file gives no text.
    Skip(SkipReason),
}

/// Extracts `path` in a child process, within the limits.
pub fn extract_in_child(iso: &Isolation, path: &Path) -> Result<PdfText, SkipReason> {
    let mut child = Command::new(&iso.exe)
        .arg(CHILD_COMMAND)
        .arg("--max-memory")
        .arg(iso.memory.to_string())
        .arg(path)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        // A panic message of the parser is not the user's business: the
        // skip reason says what happened.
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| SkipReason::Unreadable(format!("cannot start the PDF reader: {e}")))?;
    // Read stdout on a thread so that a large answer cannot fill the pipe
    // while this thread waits for the exit.
    let mut stdout = child
        .stdout
        .take()
        .ok_or_else(|| SkipReason::Unreadable("cannot read the PDF reader's output".to_string()))?;
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stdout.read_to_end(&mut buf);
        buf
    });
    let started = Instant::now();
    let mut timed_out = false;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() >= iso.timeout => {
                timed_out = true;
                let _ = child.kill();
                break child.wait().ok();
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(2)),
            Err(_) => break None,
        }
    };
    let out = reader.join().unwrap_or_default();
    if timed_out {
        return Err(SkipReason::Stopped(format!(
            "took longer than {} s",
            iso.timeout.as_secs()
        )));
    }
    // The answer is the last line: anything a library printed before it is
    // not part of it.
    let last = out
        .split(|&b| b == b'\n')
        .rev()
        .find(|l| !l.iter().all(u8::is_ascii_whitespace))
        .unwrap_or(&[]);
    match serde_json::from_slice::<ChildAnswer>(last) {
        Ok(ChildAnswer::Text(t)) => Ok(t),
        Ok(ChildAnswer::Skip(s)) => Err(s),
        Err(_) => Err(SkipReason::Stopped(match status {
            Some(s) if s.success() => "the PDF reader gave no answer".to_string(),
            Some(s) => format!(
                "the PDF reader crashed or ran out of its {} MiB memory limit ({s})",
                iso.memory >> 20
            ),
            None => "the PDF reader was lost".to_string(),
        })),
    }
}

/// The child's side: limit memory, extract `path`, write the answer as
/// JSON to `out`.
pub fn child_main(path: &Path, max_memory: u64, out: &mut impl Write) -> std::io::Result<()> {
    limit_memory(max_memory);
    let answer = match std::fs::read(path) {
        Ok(bytes) => match extract_contained(&bytes) {
            Ok(t) => ChildAnswer::Text(t),
            Err(s) => ChildAnswer::Skip(s),
        },
        Err(e) => ChildAnswer::Skip(SkipReason::Unreadable(e.to_string())),
    };
    out.write_all(b"\n")?;
    serde_json::to_writer(&mut *out, &answer)?;
    out.write_all(b"\n")?;
    out.flush()
}

/// Lowers this process's address-space limit: an allocation beyond it
/// fails, and the process aborts instead of taking the machine's memory.
#[cfg(target_os = "linux")]
// `rlim_t` is u64 on 64-bit Linux, narrower elsewhere.
#[allow(clippy::unnecessary_cast)]
fn limit_memory(bytes: u64) {
    let limit = libc::rlimit {
        rlim_cur: bytes as libc::rlim_t,
        rlim_max: bytes as libc::rlim_t,
    };
    // SAFETY: setrlimit reads the struct we pass and changes only this
    // process's limit; on failure the limit stays as it was.
    unsafe {
        libc::setrlimit(libc::RLIMIT_AS, &limit);
    }
}

/// Elsewhere the time limit alone bounds the child.
#[cfg(not(target_os = "linux"))]
fn limit_memory(_bytes: u64) {}
