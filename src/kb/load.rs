//! Parsers for the knowledge-base TSV files.
//!
//! Every file is UTF-8, tab-separated, with `#` comment lines; lists inside a
//! column are separated by `|`. A name may carry a one-character prefix that
//! sets its matching rule: `~` (an ordinary word: see [`AliasKind::Common`]),
//! `$` (a ransomware brand: see [`AliasKind::Ransomware`]) or `?` (claimed by
//! several actors: see [`AliasKind::Ambiguous`]).

use super::{Actor, Alias, AliasKind, Country, Sector};
use crate::error::{Error, Result};

/// Splits `text` into numbered, non-comment rows of exactly `columns` fields
/// (missing trailing fields are empty).
fn rows<'a>(
    text: &'a str,
    file: &'a str,
    columns: usize,
) -> impl Iterator<Item = Result<(usize, Vec<&'a str>)>> + 'a {
    text.lines().enumerate().filter_map(move |(i, line)| {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            return None;
        }
        let mut fields: Vec<&str> = line.split('\t').map(str::trim).collect();
        if fields.len() > columns {
            return Some(Err(Error::Kb {
                file: file.to_string(),
                line: i + 1,
                message: format!(
                    "expected {columns} tab-separated columns, found {}",
                    fields.len()
                ),
            }));
        }
        fields.resize(columns, "");
        Some(Ok((i + 1, fields)))
    })
}

/// Parses a `|`-separated list of names with their optional rule prefix.
fn aliases(list: &str) -> Vec<Alias> {
    list.split('|')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            let (kind, name) = match s.as_bytes()[0] {
                b'~' => (AliasKind::Common, &s[1..]),
                b'?' => (AliasKind::Ambiguous, &s[1..]),
                b'$' => (AliasKind::Ransomware, &s[1..]),
                _ => (AliasKind::Plain, s),
            };
            Alias {
                name: name.trim().to_string(),
                kind,
            }
        })
        .filter(|a| !a.name.is_empty())
        .collect()
}

fn opt(s: &str) -> Option<String> {
    (!s.is_empty() && s != "-").then(|| s.to_string())
}

/// Parses `actors.tsv`: `canonical, origin, motivation, mitre, aliases`.
///
/// Returns the actors and the blocking phrases (the aliases of the row whose
/// canonical name is `-`).
pub fn parse_actors(text: &str, file: &str) -> Result<(Vec<Actor>, Vec<String>)> {
    let mut actors = Vec::new();
    let mut blockers = Vec::new();
    for row in rows(text, file, 5) {
        let (line, f) = row?;
        if f[0] == "-" {
            blockers.extend(aliases(f[4]).into_iter().map(|a| a.name));
            continue;
        }
        // The canonical name may carry a rule prefix too ("~Play").
        let Some(head) = aliases(f[0]).pop() else {
            return Err(Error::Kb {
                file: file.to_string(),
                line,
                message: "empty canonical name".to_string(),
            });
        };
        if head.name.contains('/') {
            return Err(Error::Kb {
                file: file.to_string(),
                line,
                message: format!("canonical name {:?} contains '/'", head.name),
            });
        }
        let mut list = aliases(f[4]);
        let mut canonical_kind = head.kind;
        if let Some(same) = list.iter().find(|a| a.name == head.name) {
            if same.kind != AliasKind::Plain {
                canonical_kind = same.kind;
            }
        }
        list.retain(|a| a.name != head.name);
        actors.push(Actor {
            canonical: head.name,
            canonical_kind,
            origin: opt(f[1]).map(|s| s.to_ascii_uppercase()),
            motivation: opt(f[2]).unwrap_or_else(|| "unknown".to_string()),
            mitre: opt(f[3]),
            aliases: list,
        });
    }
    Ok((actors, blockers))
}

/// Parses `countries.tsv`: `code, name, other names, demonyms`.
///
/// Returns the countries and the blocking phrases (row with code `-`). For
/// countries a `~` name is used to resolve a user's `--country` value only and
/// is never matched in text.
pub fn parse_countries(text: &str, file: &str) -> Result<(Vec<Country>, Vec<String>)> {
    let mut countries = Vec::new();
    let mut blockers = Vec::new();
    for row in rows(text, file, 4) {
        let (line, f) = row?;
        if f[0] == "-" {
            blockers.extend(aliases(f[2]).into_iter().map(|a| a.name));
            continue;
        }
        if f[0].len() != 2 || !f[0].bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(Error::Kb {
                file: file.to_string(),
                line,
                message: format!("bad ISO 3166-1 alpha-2 code {:?}", f[0]),
            });
        }
        countries.push(Country {
            code: f[0].to_string(),
            name: f[1].to_string(),
            names: aliases(f[2]),
            demonyms: aliases(f[3]),
        });
    }
    Ok((countries, blockers))
}

/// Parses `sectors.tsv`: `id, label, cisa, naics, triggers`.
pub fn parse_sectors(text: &str, file: &str) -> Result<Vec<Sector>> {
    let mut sectors = Vec::new();
    for row in rows(text, file, 5) {
        let (line, f) = row?;
        if f[0].is_empty() || f[0].contains('/') {
            return Err(Error::Kb {
                file: file.to_string(),
                line,
                message: format!("bad sector id {:?}", f[0]),
            });
        }
        sectors.push(Sector {
            id: f[0].to_string(),
            label: f[1].to_string(),
            cisa: f[2].to_string(),
            naics: f[3].to_string(),
            triggers: f[4]
                .split('|')
                .map(|t| t.trim().to_lowercase())
                .filter(|t| !t.is_empty())
                .collect(),
        });
    }
    Ok(sectors)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ACTORS: &str = "# canonical\torigin\tmotivation\tmitre\taliases\n\
        Volt Typhoon\tCN\tespionage\tG1017\tVanguard Panda|BRONZE SILHOUETTE\n\
        Lazarus Group\tkp\tfinancial\t\tLazarus|~ZINC|?Guardians\n\
        ~Play\t\tfinancial\t\tPlay ransomware|$PlayCrypt\n\
        -\t\t\t\tCobalt Strike|Play Store\n";

    #[test]
    fn actors_rows_markers_and_blockers() {
        let (actors, blockers) = parse_actors(ACTORS, "t").unwrap();
        assert_eq!(actors.len(), 3);
        assert_eq!(
            (actors[2].canonical.as_str(), actors[2].canonical_kind),
            ("Play", AliasKind::Common)
        );
        assert_eq!(actors[1].origin.as_deref(), Some("KP"));
        assert_eq!(actors[1].mitre, None);
        assert_eq!(
            actors[1].aliases[1],
            Alias {
                name: "ZINC".into(),
                kind: AliasKind::Common
            }
        );
        assert_eq!(actors[1].aliases[2].kind, AliasKind::Ambiguous);
        assert_eq!(
            actors[2].aliases[1],
            Alias {
                name: "PlayCrypt".into(),
                kind: AliasKind::Ransomware
            }
        );
        assert_eq!(blockers, vec!["Cobalt Strike", "Play Store"]);
    }

    #[test]
    fn bad_rows_are_errors_with_line_numbers() {
        let err = parse_actors("a\tb\tc\td\te\tf\n", "x")
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 1"), "{err}");
        let err = parse_countries("# c\nUSA\tUnited States\t\t\n", "c")
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 2") && err.contains("USA"), "{err}");
    }
}
