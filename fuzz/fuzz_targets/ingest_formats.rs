//! Fuzzes the PDF, feed and JSON Lines readers: any bytes → documents. A PDF
//! parser panic is contained by `extract_contained` (and must stay so); a
//! stack overflow, hang or out-of-memory here is a finding.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;
use threatdex::ingest::{documents_from_file, IngestOptions};
use threatdex::model::SourceKind;

fuzz_target!(|data: &[u8]| {
    // libfuzzer-sys's panic hook aborts on every panic, even one that is
    // caught. The PDF parser's panics are caught on purpose (and, when
    // indexing, happen in a child process), so only a panic that escapes
    // `documents_from_file` may count as a finding: it still aborts, as it
    // unwinds into libFuzzer.
    static QUIET: std::sync::Once = std::sync::Once::new();
    QUIET.call_once(|| std::panic::set_hook(Box::new(|_| {})));
    let opts = IngestOptions::default();
    for (kind, name) in [
        (SourceKind::Pdf, "f.pdf"),
        (SourceKind::Feed, "f.xml"),
        (SourceKind::JsonLines, "f.jsonl"),
    ] {
        let _ = documents_from_file(Path::new(name), data, kind, &opts);
    }
});
