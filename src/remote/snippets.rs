//! Snippets of remote hits, cut client-side from the stored bodies with
//! the local snippet code: the hits go into a small in-memory index, the
//! query is built over it as locally, and `snippet::Snippets` weighs the
//! query's terms by how rare they are among the hits.

use crate::error::Result;
use crate::index::schema::{build_schema, register_analyzers};
use crate::kb::Kb;
use crate::model::Snippet;
use crate::query::{build, Filters};
use crate::snippet::Snippets;
use tantivy::{Index, TantivyDocument};

/// Memory of the in-memory index's writer (tantivy's minimum is 15 MB).
const WRITER_MEMORY: usize = 20_000_000;

/// The snippet maker of one page of hits.
pub struct HitSnippets {
    snippets: Snippets,
}

impl HitSnippets {
    /// Prepares snippets of `docs` for the user's query `typed`.
    pub fn new(kb: &Kb, docs: &[TantivyDocument], typed: Option<&str>) -> Result<HitSnippets> {
        let (schema, fields) = build_schema();
        let index = Index::create_in_ram(schema);
        register_analyzers(&index);
        let mut writer: tantivy::IndexWriter = index.writer_with_num_threads(1, WRITER_MEMORY)?;
        for d in docs {
            writer.add_document(d.clone())?;
        }
        writer.commit()?;
        let searcher = index.reader()?.searcher();
        let plan = build(&index, &fields, kb, typed, &Filters::default())?;
        Ok(HitSnippets {
            snippets: Snippets::new(&searcher, plan.text.as_deref(), fields.body, typed),
        })
    }

    /// The snippet of one hit's body.
    pub fn of(&self, body: &str) -> Snippet {
        self.snippets.of(body)
    }
}
