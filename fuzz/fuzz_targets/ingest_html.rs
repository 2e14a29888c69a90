//! Fuzzes HTML ingestion: any bytes → decode → main content → metadata →
//! entities. Must never panic, overflow the stack or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use threatdex::kb::Kb;
use threatdex::model::SourceKind;

fn kb() -> &'static Kb {
    static KB: OnceLock<Kb> = OnceLock::new();
    KB.get_or_init(|| Kb::builtin().expect("built-in knowledge base loads"))
}

fuzz_target!(|data: &[u8]| {
    for kind in [SourceKind::Html, SourceKind::Text] {
        if let Ok(article) = threatdex::ingest::article_from_bytes(data, kind) {
            let _ = threatdex::extract::entities(&article, kb());
        }
    }
});
