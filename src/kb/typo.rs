//! Misspelt actor names: "Lazarous" for "Lazarus", "Sandwrom" for "Sandworm".
//!
//! Reports misspell group names now and then, and a facet that misses the
//! report for it loses the one place the group was named. Only one-word names
//! of at least [`MIN_LEN`] letters that match as plain aliases are looked up:
//! a short name ("Turla") has too many real words one edit away, a name with
//! digits ("APT28", "UNC2452") is a number where one digit off is a different
//! group, and an ordinary-word alias ("Cobalt") already needs its exact case.
//! The caller ([`crate::extract`]) decides when a word is worth looking up.

use super::{Actor, AliasKind};

/// The shortest name (in letters) that is looked up, and the shortest word
/// that may be its misspelling.
pub const MIN_LEN: usize = 6;

/// The one-word names of the catalogue, by length, lower-cased.
#[derive(Debug, Default)]
pub struct NearNames {
    /// `by_len[n]`: the names of `n` letters with their actor's position.
    by_len: Vec<Vec<(Vec<char>, usize)>>,
}

impl NearNames {
    /// Collects the one-word plain names of `actors` (canonical names and
    /// aliases) of at least [`MIN_LEN`] letters and nothing else.
    pub fn build(actors: &[Actor]) -> NearNames {
        let mut by_len: Vec<Vec<(Vec<char>, usize)>> = Vec::new();
        for (i, a) in actors.iter().enumerate() {
            let names = std::iter::once((a.canonical.as_str(), a.canonical_kind))
                .chain(a.aliases.iter().map(|x| (x.name.as_str(), x.kind)));
            for (name, kind) in names {
                if kind != AliasKind::Plain || !name.chars().all(char::is_alphabetic) {
                    continue;
                }
                let lower: Vec<char> = name.chars().flat_map(char::to_lowercase).collect();
                if lower.len() < MIN_LEN {
                    continue;
                }
                if by_len.len() <= lower.len() {
                    by_len.resize_with(lower.len() + 1, Vec::new);
                }
                let slot = &mut by_len[lower.len()];
                if !slot.iter().any(|(n, j)| *n == lower && *j == i) {
                    slot.push((lower, i));
                }
            }
        }
        NearNames { by_len }
    }

    /// The actor one of whose names is one edit from `word` (a letter
    /// inserted, dropped, replaced, or two neighbours swapped; case ignored),
    /// when exactly one actor's names are. `word` must be letters only and at
    /// least [`MIN_LEN`] long. A word that is itself a name is not a
    /// misspelling: the caller looks it up first.
    pub fn near(&self, word: &str) -> Option<usize> {
        if !word.chars().all(char::is_alphabetic) {
            return None;
        }
        let w: Vec<char> = word.chars().flat_map(char::to_lowercase).collect();
        if w.len() < MIN_LEN {
            return None;
        }
        let mut found = None;
        for len in w.len() - 1..=w.len() + 1 {
            for (name, actor) in self.by_len.get(len).into_iter().flatten() {
                if one_edit(&w, name) {
                    match found {
                        None => found = Some(*actor),
                        Some(a) if a == *actor => {}
                        Some(_) => return None,
                    }
                }
            }
        }
        found
    }
}

/// Returns true if and only if `a` and `b` differ by exactly one edit: one
/// character inserted or dropped, one replaced, or two neighbours swapped.
fn one_edit(a: &[char], b: &[char]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let first = short
        .iter()
        .zip(long)
        .position(|(x, y)| x != y)
        .unwrap_or(short.len());
    match long.len() - short.len() {
        // Dropped: the rest of the long one, past the extra character.
        1 => short[first..] == long[first + 1..],
        0 if first == short.len() => false,
        // Replaced, or swapped with the next.
        0 => {
            short[first + 1..] == long[first + 1..]
                || (first + 1 < short.len()
                    && short[first] == long[first + 1]
                    && short[first + 1] == long[first]
                    && short[first + 2..] == long[first + 2..])
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    /// Every kind of single edit is one edit; two edits and no edit are not.
    #[test]
    fn one_edit_counts_single_edits_only() {
        for (a, b) in [
            ("lazarus", "lazarous"),
            ("lazarus", "lazaru"),
            ("lazarus", "azarus"),
            ("lazarus", "lazarsu"),
            ("lazarus", "alzarus"),
            ("lazarus", "lazarys"),
            ("lazarus", "xazarus"),
            ("sandworm", "sandwrom"),
        ] {
            assert!(one_edit(&chars(a), &chars(b)), "{a} / {b}");
            assert!(one_edit(&chars(b), &chars(a)), "{b} / {a}");
        }
        for (a, b) in [
            ("lazarus", "lazarus"),
            ("lazarus", "lazarouss"),
            ("lazarus", "lzaraus"),
            ("lazarus", "lazaruss2"),
            ("sandworm", "sandstorm"),
            ("abc", "cba"),
        ] {
            assert!(!one_edit(&chars(a), &chars(b)), "{a} / {b}");
        }
    }

    fn actor(canonical: &str, aliases: &[(&str, AliasKind)]) -> Actor {
        Actor {
            canonical: canonical.into(),
            canonical_kind: AliasKind::Plain,
            origin: None,
            motivation: "unknown".into(),
            mitre: None,
            aliases: aliases
                .iter()
                .map(|(n, k)| super::super::Alias {
                    name: (*n).into(),
                    kind: *k,
                })
                .collect(),
        }
    }

    /// Only plain one-word names of six letters or more are looked up, and
    /// a word near two actors' names belongs to neither.
    #[test]
    fn near_looks_up_long_plain_names_only() {
        let near = NearNames::build(&[
            actor("Lazarus Group", &[("Lazarus", AliasKind::Plain)]),
            actor("Turla", &[("Venomous Bear", AliasKind::Plain)]),
            actor("Cobalt Group", &[("Cobalts", AliasKind::Common)]),
            actor("APT28", &[("Sofacy", AliasKind::Plain)]),
            actor("Marbles", &[("Marblez", AliasKind::Plain)]),
            actor("Pebbled", &[]),
            actor("Pebbles", &[]),
        ]);
        assert_eq!(near.near("Lazarous"), Some(0));
        assert_eq!(near.near("LAZARSU"), Some(0));
        // Too short, multi-word, an ordinary-word alias, digits.
        assert_eq!(near.near("Turlaa"), None);
        assert_eq!(near.near("Venomous"), None);
        assert_eq!(near.near("Cobaltz"), None);
        assert_eq!(near.near("APT28x"), None);
        assert_eq!(near.near("Sofacyy"), Some(3));
        // One edit from both names of the same actor is that actor.
        assert_eq!(near.near("Marblew"), Some(4));
        // One edit from "Pebbled" and from "Pebbles": neither.
        assert_eq!(near.near("Pebblex"), None);
        assert_eq!(near.near("Pebbledd"), Some(5));
        assert_eq!(near.near("Pebb1ed"), None);
    }
}
