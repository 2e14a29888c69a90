//! The built-in list of ATT&CK Enterprise technique ids and names
//! (`src/kb/techniques.tsv`), and lookups over it.

use std::collections::BTreeMap;
use std::sync::OnceLock;

/// Built-in ATT&CK technique list: `id<TAB>name` per line.
pub const TECHNIQUES_TSV: &str = include_str!("../kb/techniques.tsv");

/// The parsed list, sorted by id, built on first use.
fn table() -> &'static BTreeMap<String, String> {
    static TABLE: OnceLock<BTreeMap<String, String>> = OnceLock::new();
    TABLE.get_or_init(|| {
        TECHNIQUES_TSV
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| {
                let (id, name) = l.split_once('\t')?;
                Some((id.trim().to_string(), name.trim().to_string()))
            })
            .collect()
    })
}

/// The name of a technique id (`T1059.001` → `PowerShell`), if it is listed.
pub fn name(id: &str) -> Option<&'static str> {
    table().get(id).map(String::as_str)
}

/// Returns true if and only if `id` is a listed technique or sub-technique.
pub fn is_known(id: &str) -> bool {
    table().contains_key(id)
}

/// Number of listed ids.
pub fn count() -> usize {
    table().len()
}

/// The parent of a sub-technique id (`T1059.001` → `T1059`), or the id itself.
pub fn parent(id: &str) -> &str {
    id.split_once('.').map_or(id, |(p, _)| p)
}

/// The listed sub-techniques of a technique (`T1059` → `T1059.001`, …).
pub fn subtechniques(id: &str) -> impl Iterator<Item = &'static str> + '_ {
    let prefix = format!("{id}.");
    table()
        .range(prefix.clone()..)
        .map(|(k, _)| k.as_str())
        .take_while(move |k| k.starts_with(&prefix))
}

/// Normalises a technique id as written (`t1059/001`, `T1059.001`) and checks
/// it against the list: an unlisted sub-technique of a listed technique falls
/// back to the parent; anything else unlisted is `None`.
pub fn normalise(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let rest = raw.strip_prefix(['T', 't'])?;
    let (num, sub) = match rest.split_once(['.', '/']) {
        Some((n, s)) => (n, Some(s)),
        None => (rest, None),
    };
    if num.len() != 4 || !num.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let id = format!("T{num}");
    if let Some(s) = sub {
        if s.len() != 3 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let full = format!("{id}.{s}");
        if is_known(&full) {
            return Some(full);
        }
    }
    is_known(&id).then_some(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_parses_and_has_names() {
        assert!(count() > 600, "{}", count());
        assert_eq!(name("T1059.001"), Some("PowerShell"));
        assert_eq!(name("T1566"), Some("Phishing"));
        assert_eq!(name("T9999"), None);
    }

    #[test]
    fn normalise_checks_the_list() {
        assert_eq!(normalise("t1059.001").as_deref(), Some("T1059.001"));
        assert_eq!(normalise("T1059/001").as_deref(), Some("T1059.001"));
        assert_eq!(normalise("T1059.999").as_deref(), Some("T1059"));
        assert_eq!(normalise("T9999"), None);
        assert_eq!(normalise("T105"), None);
        assert_eq!(normalise("T1059.01"), None);
    }

    #[test]
    fn subtechniques_of_a_parent() {
        let subs: Vec<&str> = subtechniques("T1059").collect();
        assert!(subs.contains(&"T1059.001"));
        assert!(subs.iter().all(|s| s.starts_with("T1059.")));
        assert_eq!(parent("T1059.001"), "T1059");
        assert_eq!(subtechniques("T1105").count(), 0);
    }
}
