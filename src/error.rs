//! Typed errors of the library; the binary adds context at the edge.

use std::path::PathBuf;

/// Everything that can go wrong inside the library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or directory could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The path involved.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// No index exists at the given location yet.
    #[error("no index at {0} (run `threatdex index <PATH>` first)")]
    NoIndex(PathBuf),
    /// The index was written by a different schema version.
    #[error(
        "the index at {path} has schema version {found}, this threatdex uses {expected}: \
         re-index with `threatdex index --rebuild <PATH>`"
    )]
    SchemaVersion {
        /// Where the index lives.
        path: PathBuf,
        /// Version recorded in the index.
        found: u32,
        /// Version this build writes.
        expected: u32,
    },
    /// The index location holds files threatdex did not write.
    #[error(
        "{path} is not empty and is not a threatdex index (it holds {example:?}): \
         threatdex writes an index only into a new or empty directory, or one it \
         created; choose another --index DIR"
    )]
    ForeignDir {
        /// The directory given.
        path: PathBuf,
        /// One of the entries found there.
        example: String,
    },
    /// The index location is a file, not a directory.
    #[error("{0} is a file, not an index directory: choose another --index DIR")]
    NotADirectory(PathBuf),
    /// The index would be written into (or above) a folder being indexed.
    #[error(
        "the index at {index} would sit inside {root}, which is being indexed: \
         keep the index elsewhere, or in a subfolder of its own (the walk skips it)"
    )]
    IndexInsideInput {
        /// The index directory.
        index: PathBuf,
        /// The walked path that contains it.
        root: PathBuf,
    },
    /// A path given on the command line does not exist.
    #[error("{0}: no such file or directory")]
    NotFound(PathBuf),
    /// Another process holds the index writer lock.
    #[error("the index at {0} is being written by another process")]
    Locked(PathBuf),
    /// No live document of the index has this id.
    #[error("no indexed document has the id {0:?}")]
    NoDocument(String),
    /// The user's query could not be parsed.
    #[error("invalid query: {0}")]
    Query(String),
    /// A filter value (actor, country, sector, date) is not known.
    #[error("{0}")]
    Filter(String),
    /// A knowledge-base file is malformed.
    #[error("knowledge base {file}, line {line}: {message}")]
    Kb {
        /// The file being read.
        file: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong with it.
        message: String,
    },
    /// An error from the tantivy search library.
    #[error("index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// A JSON document could not be read or written.
    #[error("JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// A remote engine address (`quickwit://HOST:PORT/INDEX`) is malformed.
    #[error("{0}")]
    RemoteAddress(String),
    /// The remote engine could not be reached at all.
    #[error("cannot reach Quickwit at {url}: {reason} (is the cluster running? check HOST:PORT)")]
    Unreachable {
        /// The URL requested.
        url: String,
        /// What the connection attempts ended with.
        reason: String,
    },
    /// The remote engine answered with an error.
    #[error("Quickwit answered {status} to {method} {url}: {message}")]
    Remote {
        /// HTTP method.
        method: String,
        /// The URL requested.
        url: String,
        /// HTTP status code.
        status: u16,
        /// The message of the answer (its body, cut short).
        message: String,
    },
    /// The schema holds a field the remote mapping cannot express.
    #[error("field {field:?}: {reason}")]
    Mapping {
        /// The schema field.
        field: String,
        /// Why it cannot be mapped.
        reason: String,
    },
}

impl Error {
    /// Builds an [`Error::Io`] for `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// Returns true if and only if the error comes from what the user typed
    /// (a query, a filter, an index location that cannot be used), so the
    /// binary exits with status 2.
    pub fn is_usage(&self) -> bool {
        matches!(
            self,
            Error::Query(_)
                | Error::Filter(_)
                | Error::ForeignDir { .. }
                | Error::NotADirectory(_)
                | Error::IndexInsideInput { .. }
                | Error::RemoteAddress(_)
        )
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
