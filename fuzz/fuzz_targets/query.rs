//! Fuzzes query building and execution on a small in-memory index: any text
//! gives a result or an error, never a panic or a hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use tantivy::{Index, IndexReader};
use threatdex::index::schema::{build_schema, to_document, FileStamp, Fields};
use threatdex::kb::Kb;
use threatdex::model::Article;
use threatdex::query::{build, Filters};

struct Fixture {
    kb: Kb,
    index: Index,
    fields: Fields,
    reader: IndexReader,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let kb = Kb::builtin().expect("knowledge base");
        let (schema, fields) = build_schema();
        let index = Index::create_in_ram(schema);
        let mut w: tantivy::IndexWriter = index.writer(15_000_000).expect("writer");
        for (i, text) in ["Volt Typhoon hit water utilities in Guam.", "Lazarus stole crypto from banks."]
            .iter()
            .enumerate()
        {
            let a = Article { title: Some(format!("r{i}")), text: text.to_string(), ..Article::default() };
            let e = threatdex::extract::entities(&a, &kb);
            let p = format!("/r{i}");
            let stamp = FileStamp { path: &p, hash: "h", size: 1, mtime: 1, kb: &kb.fingerprint(threatdex::extract::RULES_REVISION) };
            w.add_document(to_document(&fields, &stamp, &a, &e)).expect("add");
        }
        w.commit().expect("commit");
        let reader = index.reader().expect("reader");
        Fixture { kb, index, fields, reader }
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let f = fixture();
    if let Ok(plan) = build(&f.index, &f.fields, &f.kb, Some(text), &Filters::default()) {
        let _ = threatdex::search::search(&f.reader.searcher(), &f.fields, &plan, Some(text), 5);
    }
});
