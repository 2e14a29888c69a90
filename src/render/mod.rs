//! Rendering: the only code that writes result bytes, for people (`human`)
//! or scripts (`json`). Renderers take `&mut impl Write` and computed results.

pub mod human;
pub mod json;
pub mod report;
pub mod svg;
pub mod table;

use crate::model::{path_from_key, path_key};

/// A count with its noun in the right number: "1 report", "3 reports".
pub fn count_of<N: std::fmt::Display + PartialEq + From<u8>>(n: N, noun: &str) -> String {
    if n == N::from(1) {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Shows a stored (absolute) path relative to the current directory when it
/// lies below it, so output stays short and copy-pasteable. `path` is a
/// stored key ([`path_key`]); a name that is not UTF-8 keeps its escaped,
/// round-tripping form.
pub fn display_path(path: &str) -> String {
    let p = path_from_key(path);
    if let Ok(cwd) = std::env::current_dir() {
        let cwd = cwd.canonicalize().unwrap_or(cwd);
        if let Ok(rel) = p.strip_prefix(&cwd) {
            return path_key(rel);
        }
    }
    path.to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_agree_with_their_noun() {
        assert_eq!(super::count_of(1, "report"), "1 report");
        assert_eq!(super::count_of(0, "report"), "0 reports");
        assert_eq!(super::count_of(2, "matching report"), "2 matching reports");
    }
}
