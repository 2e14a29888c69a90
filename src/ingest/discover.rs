//! Walks the given paths and lists the report files in them, sorted. It reads
//! metadata (size, modification time), never contents.
//!
//! A `.threatdexignore` file in any walked directory lists paths to leave
//! out, in `.gitignore` syntax (a corpus's own README, drafts…). Hidden files
//! and directories are skipped; `.gitignore` files are not consulted, since a
//! corpus is data, not a source tree.

use super::source_kind;
use crate::model::Skipped;
use std::path::PathBuf;
use std::time::UNIX_EPOCH;

/// A report file found on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileEntry {
    /// Absolute, canonical path: the document's identity in the index.
    pub path: PathBuf,
    /// Size in bytes.
    pub size: u64,
    /// Modification time in nanoseconds since the Unix epoch.
    pub mtime: i64,
}

/// What a walk found.
#[derive(Debug, Default)]
pub struct Discovery {
    /// Report files, sorted by path.
    pub files: Vec<FileEntry>,
    /// Entries that could not be walked (unreadable directories, symlink
    /// loops, broken links).
    pub errors: Vec<Skipped>,
    /// The canonical roots that were walked: documents under them whose file
    /// is gone are removed.
    pub roots: Vec<PathBuf>,
}

/// Name of the per-directory ignore file.
pub const IGNORE_FILE: &str = ".threatdexignore";

/// Walks `paths` recursively, following symbolic links (loops are detected
/// and reported), and returns every report file: HTML, text, Markdown, PDF,
/// feed and JSON Lines ([`super::source_kind`]).
/// A file named directly that is no report is listed in `errors` with the
/// reason, so a user who names it hears why nothing came of it.
pub fn discover(paths: &[PathBuf]) -> Discovery {
    discover_skipping(paths, &[])
}

/// Like [`discover`], leaving out the directories in `skip` (canonical
/// paths) and everything below them: the index directory, when it sits in
/// a walked folder.
pub fn discover_skipping(paths: &[PathBuf], skip: &[PathBuf]) -> Discovery {
    let mut out = Discovery::default();
    for root in paths {
        let canon = match root.canonicalize() {
            Ok(p) => p,
            Err(e) => {
                out.errors.push(Skipped {
                    path: root.clone(),
                    reason: e.to_string(),
                });
                continue;
            }
        };
        out.roots.push(canon.clone());
        if canon.is_file() && source_kind(&canon).is_none() {
            out.errors.push(Skipped {
                path: root.clone(),
                reason: unsupported_reason(&canon),
            });
            continue;
        }
        let skip = skip.to_vec();
        let walker = ignore::WalkBuilder::new(&canon)
            .follow_links(true)
            .standard_filters(false)
            .hidden(true)
            .add_custom_ignore_filename(IGNORE_FILE)
            .filter_entry(move |e| {
                skip.is_empty()
                    || !e.file_type().is_some_and(|t| t.is_dir())
                    || !skip
                        .iter()
                        .any(|s| e.path() == s || e.path().canonicalize().is_ok_and(|c| c == *s))
            })
            .build();
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    out.errors.push(Skipped {
                        path: error_path(&e).unwrap_or_else(|| canon.clone()),
                        reason: error_reason(&e),
                    });
                    continue;
                }
            };
            if !entry.file_type().is_some_and(|t| t.is_file())
                || source_kind(entry.path()).is_none()
            {
                continue;
            }
            match entry.metadata() {
                Ok(md) => out.files.push(FileEntry {
                    path: entry.into_path(),
                    size: md.len(),
                    mtime: md
                        .modified()
                        .ok()
                        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                        .map_or(0, |d| d.as_nanos() as i64),
                }),
                Err(e) => out.errors.push(Skipped {
                    path: entry.into_path(),
                    reason: e.to_string(),
                }),
            }
        }
    }
    out.files.sort_by(|a, b| a.path.cmp(&b.path));
    out.errors.sort_by(|a, b| a.path.cmp(&b.path));
    out.files.dedup_by(|a, b| a.path == b.path);
    out
}

/// Why a file named on the command line is not read.
fn unsupported_reason(path: &std::path::Path) -> String {
    let ext = path
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_else(|| "no extension".to_string());
    format!("not a report file ({ext}; threatdex reads {REPORT_EXTENSIONS})")
}

/// The extensions [`source_kind`] accepts, for messages.
const REPORT_EXTENSIONS: &str = ".html .htm .xhtml .txt .text .md .markdown";

/// The path an `ignore` error is about, if it names one.
fn error_path(e: &ignore::Error) -> Option<PathBuf> {
    match e {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        ignore::Error::Partial(errs) => errs.first().and_then(error_path),
        _ => None,
    }
}

/// A short reason for an `ignore` error.
fn error_reason(e: &ignore::Error) -> String {
    match e {
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => error_reason(err),
        ignore::Error::Loop { .. } => "symbolic link loop".to_string(),
        ignore::Error::Io(io) => io.to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_reports_only_sorted() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("b/c")).unwrap();
        for f in [
            "b/c/z.HTML",
            "a.txt",
            "b/notes.md",
            "b/x.json",
            "b/img.png",
            "b/page.htm",
            "b/README.md",
            ".hidden.txt",
        ] {
            std::fs::write(d.join(f), "x").unwrap();
        }
        std::fs::write(d.join("b").join(IGNORE_FILE), "README.md\n").unwrap();
        let found = discover(&[d.to_path_buf()]);
        let names: Vec<String> = found
            .files
            .iter()
            .map(|f| {
                f.path
                    .strip_prefix(d.canonicalize().unwrap())
                    .unwrap()
                    .display()
                    .to_string()
            })
            .collect();
        assert_eq!(
            names,
            vec!["a.txt", "b/c/z.HTML", "b/notes.md", "b/page.htm"]
        );
        assert!(found.errors.is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loops_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("a")).unwrap();
        std::fs::write(d.join("a/r.txt"), "x").unwrap();
        std::os::unix::fs::symlink(d, d.join("a/loop")).unwrap();
        let found = discover(&[d.to_path_buf()]);
        assert_eq!(found.files.len(), 1);
        assert!(
            found.errors.iter().any(|e| e.reason.contains("loop")),
            "{:?}",
            found.errors
        );
    }

    #[test]
    fn a_named_file_that_is_no_report_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let png = dir.path().join("image.png");
        std::fs::write(&png, b"\x89PNG\r\n").unwrap();
        let found = discover(&[png]);
        assert!(found.files.is_empty());
        assert_eq!(found.errors.len(), 1);
        assert!(
            found.errors[0].reason.contains("not a report file (.png"),
            "{:?}",
            found.errors
        );
    }

    #[test]
    fn skipped_directories_are_not_walked() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(d.join("index")).unwrap();
        std::fs::write(d.join("index/notes.txt"), "x").unwrap();
        std::fs::write(d.join("report.txt"), "x").unwrap();
        let found = discover_skipping(std::slice::from_ref(&d), &[d.join("index")]);
        assert_eq!(found.files.len(), 1);
        assert_eq!(found.files[0].path, d.join("report.txt"));
    }

    #[test]
    fn missing_root_is_reported_not_fatal() {
        let found = discover(&[PathBuf::from("/nonexistent/threatdex")]);
        assert!(found.files.is_empty());
        assert_eq!(found.errors.len(), 1);
    }
}
