//! Rendering: the only code that writes result bytes, for people (`human`)
//! or scripts (`json`). Renderers take `&mut impl Write` and computed results.

pub mod human;
pub mod json;
pub mod report;
pub mod svg;
pub mod table;

use std::path::Path;

/// Shows a stored (absolute) path relative to the current directory when it
/// lies below it, so output stays short and copy-pasteable.
pub fn display_path(path: &str) -> String {
    let p = Path::new(path);
    if let Ok(cwd) = std::env::current_dir() {
        let cwd = cwd.canonicalize().unwrap_or(cwd);
        if let Ok(rel) = p.strip_prefix(&cwd) {
            return rel.display().to_string();
        }
    }
    path.to_string()
}
