//! The index stage: the schema, opening and creating the on-disk index with
//! its version stamp, reading back what is indexed, and the parallel indexer.

pub mod indexer;
pub mod schema;
pub mod stem;

use crate::error::{Error, Result};
use schema::{build_schema, fields, names, Fields, SCHEMA_VERSION};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use tantivy::{Index, IndexReader, ReloadPolicy};

/// File in the index directory recording which schema wrote it. It is also
/// the mark of a directory threatdex created an index in: threatdex writes
/// an index only into a new or empty directory, or one holding this file.
pub const VERSION_FILE: &str = "threatdex-version.json";

/// tantivy's list of the files it created (segment files).
const MANAGED_FILE: &str = ".managed.json";

/// tantivy's commit point.
const META_FILE: &str = "meta.json";

/// tantivy's lock files: present in any index directory tantivy opened.
const LOCK_FILES: [&str; 2] = [".tantivy-writer.lock", ".tantivy-meta.lock"];

/// File in the index directory holding the user's imported actor catalogue.
pub const KB_FILE: &str = "actors.tsv";

/// Environment variable naming the index directory.
pub const INDEX_ENV: &str = "THREATDEX_INDEX";

/// The default index location: the platform's user data directory
/// (`~/.local/share/threatdex/index` on Linux,
/// `~/Library/Application Support/threatdex/index` on macOS,
/// `%APPDATA%\threatdex\index` on Windows).
pub fn default_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "threatdex").map(|d| d.data_dir().join("index"))
}

/// What the index directory records about the build that wrote it.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct VersionStamp {
    /// [`SCHEMA_VERSION`] of the writer.
    pub schema_version: u32,
}

/// An opened index with its field handles.
pub struct IndexHandle {
    /// The tantivy index.
    pub index: Index,
    /// The schema's fields.
    pub fields: Fields,
    /// Where it lives.
    pub dir: PathBuf,
}

impl IndexHandle {
    /// Opens an existing index for reading, checking its schema version.
    pub fn open(dir: &Path) -> Result<IndexHandle> {
        if dir.is_file() {
            return Err(Error::NotADirectory(dir.to_path_buf()));
        }
        if !dir.join(META_FILE).exists() {
            return Err(Error::NoIndex(dir.to_path_buf()));
        }
        check_version(dir)?;
        let index = Index::open_in_dir(dir)?;
        schema::register_analyzers(&index);
        let fields = fields(&index.schema())?;
        Ok(IndexHandle {
            index,
            fields,
            dir: dir.to_path_buf(),
        })
    }

    /// Opens the index, creating it (and its directory) when absent.
    ///
    /// A new index is created only in a directory that does not exist yet,
    /// is empty, or carries threatdex's mark ([`VERSION_FILE`]): a folder of
    /// someone's files is refused with [`Error::ForeignDir`], never written
    /// into.
    pub fn open_or_create(dir: &Path) -> Result<IndexHandle> {
        if dir.join(META_FILE).exists() {
            return IndexHandle::open(dir);
        }
        claim_dir(dir)?;
        let (schema, fields) = build_schema();
        // The document store is compressed by the segment writer itself: a
        // compressor thread per writer thread only added thread hand-overs on
        // a machine whose cores the extraction already keeps busy.
        let settings = tantivy::IndexSettings {
            docstore_compress_dedicated_thread: false,
            ..tantivy::IndexSettings::default()
        };
        let index = Index::builder()
            .schema(schema)
            .settings(settings)
            .create_in_dir(dir)?;
        schema::register_analyzers(&index);
        let handle = IndexHandle {
            index,
            fields,
            dir: dir.to_path_buf(),
        };
        handle.write_stamp(&VersionStamp {
            schema_version: SCHEMA_VERSION,
        })?;
        Ok(handle)
    }

    /// The version stamp of the index.
    pub fn stamp(&self) -> VersionStamp {
        read_stamp(&self.dir)
    }

    /// Replaces the version stamp atomically (write, then rename).
    pub fn write_stamp(&self, stamp: &VersionStamp) -> Result<()> {
        write_stamp_file(&self.dir, stamp)
    }

    /// Replaces the index's actor catalogue atomically. The catalogue is
    /// threatdex's own file in the index directory and survives
    /// [`remove_index_files`] (`index --rebuild`).
    pub fn write_imported_actors(&self, tsv: &str) -> Result<()> {
        let file = self.dir.join(KB_FILE);
        let tmp = self.dir.join(format!("{KB_FILE}.tmp"));
        std::fs::write(&tmp, tsv).map_err(|e| Error::io(&tmp, e))?;
        std::fs::rename(&tmp, &file).map_err(|e| Error::io(file, e))
    }

    /// A reader that sees the last commit.
    pub fn reader(&self) -> Result<IndexReader> {
        Ok(self
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?)
    }

    /// The imported actor catalogue of this index, if `kb import` wrote one.
    pub fn imported_actors(&self) -> Result<Option<String>> {
        imported_actors_in(&self.dir)
    }
}

/// The imported actor catalogue kept in the index directory `dir`, if `kb
/// import` wrote one; readable before the index exists (`index --rebuild`
/// keeps it).
pub fn imported_actors_in(dir: &Path) -> Result<Option<String>> {
    if !dir.join(VERSION_FILE).is_file() {
        // Only a directory threatdex made holds its catalogue.
        return Ok(None);
    }
    let file = dir.join(KB_FILE);
    match std::fs::read_to_string(&file) {
        Ok(s) => Ok(Some(s)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(file, e)),
    }
}

/// What a directory given as the index location holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DirState {
    /// Nothing is there yet.
    Missing,
    /// An empty directory (tantivy's lock files aside).
    Empty,
    /// A directory threatdex made an index in (it carries [`VERSION_FILE`]).
    Ours,
    /// A directory with other files, one of which is named: never written.
    Foreign(String),
    /// Not a directory (a file, say).
    NotADirectory,
}

/// Looks at the index location `dir` without changing anything.
pub fn dir_state(dir: &Path) -> Result<DirState> {
    let md = match std::fs::metadata(dir) {
        Ok(md) => md,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(DirState::Missing),
        Err(e) => return Err(Error::io(dir, e)),
    };
    if !md.is_dir() {
        return Ok(DirState::NotADirectory);
    }
    if dir.join(VERSION_FILE).is_file() {
        return Ok(DirState::Ours);
    }
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    let mut first_foreign: Option<String> = None;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if LOCK_FILES.contains(&name.as_str()) {
            continue;
        }
        // The smallest name, so the message does not depend on the order
        // the file system lists entries in.
        if first_foreign.as_ref().is_none_or(|f| name < *f) {
            first_foreign = Some(name);
        }
    }
    Ok(match first_foreign {
        Some(name) => DirState::Foreign(name),
        None => DirState::Empty,
    })
}

/// Makes `dir` an index location of threatdex's: creates it when missing,
/// accepts it when empty or already ours, and writes the mark. Refuses
/// anything else without touching it.
pub fn claim_dir(dir: &Path) -> Result<()> {
    match dir_state(dir)? {
        DirState::Ours => return Ok(()),
        DirState::Missing => std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?,
        DirState::Empty => {}
        DirState::Foreign(example) => {
            return Err(Error::ForeignDir {
                path: dir.to_path_buf(),
                example,
            })
        }
        DirState::NotADirectory => return Err(Error::NotADirectory(dir.to_path_buf())),
    }
    write_stamp_file(
        dir,
        &VersionStamp {
            schema_version: SCHEMA_VERSION,
        },
    )
}

/// Removes the index in `dir` for `index --rebuild`: tantivy's commit point,
/// its list of files and the segment files that list names, and nothing
/// else. The mark, the imported catalogue ([`KB_FILE`]) and any file
/// threatdex did not create stay where they are. Returns how many files were
/// removed.
///
/// Refuses a directory that is not threatdex's ([`Error::ForeignDir`]) and
/// one whose writer lock another process holds ([`Error::Locked`]).
pub fn remove_index_files(dir: &Path) -> Result<usize> {
    match dir_state(dir)? {
        DirState::Missing | DirState::Empty => return Ok(0),
        DirState::Ours => {}
        DirState::Foreign(example) => {
            return Err(Error::ForeignDir {
                path: dir.to_path_buf(),
                example,
            })
        }
        DirState::NotADirectory => return Err(Error::NotADirectory(dir.to_path_buf())),
    }
    // Holding the writer lock while removing keeps a running `index` safe.
    let _writer = match Index::open_in_dir(dir) {
        Ok(index) => match index.writer::<tantivy::TantivyDocument>(15_000_000) {
            Ok(w) => Some(w),
            Err(tantivy::TantivyError::LockFailure(..)) => {
                return Err(Error::Locked(dir.to_path_buf()))
            }
            Err(_) => None,
        },
        // An index this tantivy cannot open (another format): still ours.
        Err(_) => None,
    };
    let mut names: Vec<String> = std::fs::read(dir.join(MANAGED_FILE))
        .ok()
        .and_then(|b| serde_json::from_slice::<Vec<String>>(&b).ok())
        .unwrap_or_default()
        .into_iter()
        .filter(|n| is_segment_file_name(n))
        .collect();
    names.push(META_FILE.to_string());
    names.push(MANAGED_FILE.to_string());
    let mut removed = 0;
    for name in names {
        let file = dir.join(&name);
        // Only plain files directly in the directory: never a link's target.
        match std::fs::symlink_metadata(&file) {
            Ok(md) if md.is_file() => {}
            _ => continue,
        }
        std::fs::remove_file(&file).map_err(|e| Error::io(&file, e))?;
        removed += 1;
    }
    Ok(removed)
}

/// Returns true if and only if `name` has the form of a tantivy segment
/// file: 32 hexadecimal digits (the segment id), a dot and an extension or
/// `opstamp.del`, with no path separator.
fn is_segment_file_name(name: &str) -> bool {
    let Some((id, rest)) = name.split_once('.') else {
        return false;
    };
    id.len() == 32
        && id.bytes().all(|b| b.is_ascii_hexdigit())
        && !rest.is_empty()
        && rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.')
}

fn write_stamp_file(dir: &Path, stamp: &VersionStamp) -> Result<()> {
    let file = dir.join(VERSION_FILE);
    let tmp = dir.join(format!("{VERSION_FILE}.tmp"));
    std::fs::write(&tmp, serde_json::to_vec(stamp)?).map_err(|e| Error::io(&tmp, e))?;
    std::fs::rename(&tmp, &file).map_err(|e| Error::io(file, e))
}

fn read_stamp(dir: &Path) -> VersionStamp {
    std::fs::read(dir.join(VERSION_FILE))
        .ok()
        .and_then(|b| serde_json::from_slice::<VersionStamp>(&b).ok())
        .unwrap_or_default()
}

fn check_version(dir: &Path) -> Result<()> {
    let found = read_stamp(dir).schema_version;
    if found != SCHEMA_VERSION {
        return Err(Error::SchemaVersion {
            path: dir.to_path_buf(),
            found,
            expected: SCHEMA_VERSION,
        });
    }
    Ok(())
}

/// What the index holds for one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedFile {
    /// Size when indexed.
    pub size: u64,
    /// Modification time when indexed.
    pub mtime: i64,
    /// BLAKE3 digest of the bytes indexed.
    pub hash: String,
    /// Fingerprint of the knowledge base the document was extracted with.
    pub kb: String,
}

/// Every term of a fast-field dictionary, indexed by ordinal.
fn all_terms(column: &tantivy::columnar::StrColumn) -> Result<Vec<String>> {
    let dict = column.dictionary();
    let mut terms = Vec::with_capacity(dict.num_terms());
    let mut stream = dict.stream().map_err(|e| Error::io("index", e))?;
    while stream.advance() {
        terms.push(String::from_utf8_lossy(stream.key()).into_owned());
    }
    Ok(terms)
}

/// Reads path, size, mtime and hash of every live document from the fast
/// fields, without loading stored documents.
pub fn indexed_files(reader: &IndexReader) -> Result<HashMap<String, IndexedFile>> {
    let searcher = reader.searcher();
    let mut out = HashMap::with_capacity(searcher.num_docs() as usize);
    for seg in searcher.segment_readers() {
        let ff = seg.fast_fields();
        let (Some(paths), Some(hashes)) = (ff.str(names::PATH)?, ff.str(names::HASH)?) else {
            continue;
        };
        let kbs = ff.str(names::KB)?;
        let sizes = ff.u64(names::SIZE)?;
        let mtimes = ff.i64(names::MTIME)?;
        // One sequential pass over each dictionary, instead of one block
        // lookup (and decompression) per document.
        let path_terms = all_terms(&paths)?;
        let hash_terms = all_terms(&hashes)?;
        let kb_terms = match &kbs {
            Some(c) => all_terms(c)?,
            None => Vec::new(),
        };
        let term = |terms: &[String], ord: Option<u64>| -> String {
            ord.and_then(|o| terms.get(o as usize))
                .cloned()
                .unwrap_or_default()
        };
        for doc in seg.doc_ids_alive() {
            let Some(ord) = paths.term_ords(doc).next() else {
                continue;
            };
            let path = term(&path_terms, Some(ord));
            out.insert(
                path,
                IndexedFile {
                    size: sizes.first(doc).unwrap_or(0),
                    mtime: mtimes.first(doc).unwrap_or(0),
                    hash: term(&hash_terms, hashes.term_ords(doc).next()),
                    kb: term(
                        &kb_terms,
                        kbs.as_ref().and_then(|c| c.term_ords(doc).next()),
                    ),
                },
            );
        }
    }
    Ok(out)
}
