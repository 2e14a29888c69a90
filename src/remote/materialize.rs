//! A temporary local index holding the documents a remote query matches,
//! for the commands that read whole documents (report, iocs, actor,
//! export): they then run unchanged over it, with the same query, and print
//! through the same renderers. Bounded by [`MAX_DOCS`]; the folder is
//! threatdex's own (created new, marked) and removed when dropped.

use super::document::decode;
use super::search::Remote;
use crate::error::{Error, Result};
use crate::index::schema::build_schema;
use crate::index::IndexHandle;
use std::path::{Path, PathBuf};

/// Most documents copied from the cluster.
pub const MAX_DOCS: usize = super::search::MAX_HITS;

/// A temporary index directory, removed on drop.
pub struct TempIndex {
    dir: PathBuf,
}

impl TempIndex {
    /// Copies the documents matching `query` on `remote` into a new
    /// temporary index.
    /// `imported` is the user's imported actor catalogue, kept with it.
    pub fn fetch(remote: &Remote, query: &str, imported: Option<&str>) -> Result<TempIndex> {
        let docs = remote.fetch_all(query, MAX_DOCS)?;
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let dir =
            std::env::temp_dir().join(format!("threatdex-remote-{}-{stamp}", std::process::id()));
        // create_dir (not _all) fails if anything is there: never reuse.
        std::fs::create_dir(&dir).map_err(|e| Error::io(&dir, e))?;
        let temp = TempIndex { dir };
        let handle = IndexHandle::open_or_create(&temp.dir)?;
        if let Some(tsv) = imported {
            handle.write_imported_actors(tsv)?;
        }
        let (schema, _) = build_schema();
        let mut writer: tantivy::IndexWriter =
            handle.index.writer_with_num_threads(1, 50_000_000)?;
        for d in &docs {
            writer.add_document(decode(&schema, d)?)?;
        }
        writer.commit()?;
        writer.wait_merging_threads()?;
        Ok(temp)
    }

    /// The index directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

impl Drop for TempIndex {
    fn drop(&mut self) {
        // Only a folder this process created and named.
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
