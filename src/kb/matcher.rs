//! One Aho-Corasick automaton over every actor alias, country name, demonym,
//! sector trigger and blocking phrase, so an article is scanned once.

use super::{fold, Actor, AliasKind, Country, Sector};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Anchored, Input, MatchKind, StartKind};
use std::collections::HashMap;

/// What a matched phrase stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// An actor, by index into [`super::Kb::actors`].
    Actor(usize),
    /// A country, by index into [`super::Kb::countries`].
    Country(usize),
    /// A sector, by index into [`super::Kb::sectors`].
    Sector(usize),
    /// A phrase that contains a name but must never produce an entity.
    Block,
}

/// One meaning of a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// What the phrase names.
    pub target: Target,
    /// The phrase as written in the knowledge base (for case-sensitive rules).
    pub form: String,
    /// Its matching rule.
    pub kind: AliasKind,
}

/// A match of the automaton: the byte range and every meaning of the phrase.
#[derive(Debug, Clone, Copy)]
pub struct Mention<'m> {
    /// Start byte in the scanned text.
    pub start: usize,
    /// End byte (exclusive).
    pub end: usize,
    /// Every knowledge-base meaning of the phrase.
    pub entries: &'m [Entry],
}

/// The compiled automaton and the meanings of its patterns.
#[derive(Debug)]
pub struct Matcher {
    automaton: AhoCorasick,
    entries: Vec<Vec<Entry>>,
}

impl Matcher {
    /// Compiles every name of the knowledge base into one automaton.
    ///
    /// Patterns are folded case-insensitively (ASCII) and matched
    /// leftmost-longest, so "North Korean" wins over "North Korea" and
    /// "Cobalt Strike" (a blocker) wins over "Cobalt".
    pub fn build(
        actors: &[Actor],
        blockers: &[String],
        countries: &[Country],
        country_blockers: &[String],
        sectors: &[Sector],
    ) -> Matcher {
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut entries: Vec<Vec<Entry>> = Vec::new();
        let mut add = |form: &str, target: Target, kind: AliasKind| {
            let key = fold(form);
            // Two-character names ("US" aside, which countries mark as
            // case-sensitive) are too generic to scan for.
            if key.chars().count() < 2 {
                return;
            }
            let slot = *index.entry(key).or_insert_with(|| {
                patterns.push(form.to_string());
                entries.push(Vec::new());
                patterns.len() - 1
            });
            let e = Entry {
                target,
                form: form.to_string(),
                kind,
            };
            if !entries[slot].contains(&e) {
                entries[slot].push(e);
            }
        };
        for (i, a) in actors.iter().enumerate() {
            add(&a.canonical, Target::Actor(i), a.canonical_kind);
            for al in &a.aliases {
                add(&al.name, Target::Actor(i), al.kind);
            }
        }
        for b in blockers.iter().chain(country_blockers) {
            add(b, Target::Block, AliasKind::Plain);
        }
        for (i, c) in countries.iter().enumerate() {
            add(&c.name, Target::Country(i), AliasKind::Plain);
            for al in c.names.iter().chain(&c.demonyms) {
                if al.kind == AliasKind::Plain {
                    add(&al.name, Target::Country(i), AliasKind::Plain);
                }
            }
        }
        for (i, s) in sectors.iter().enumerate() {
            for t in &s.triggers {
                add(t, Target::Sector(i), AliasKind::Plain);
            }
        }
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .start_kind(StartKind::Anchored)
            .build(&patterns)
            .expect("knowledge-base patterns are plain strings and always compile");
        Matcher { automaton, entries }
    }

    /// Every non-overlapping match in `text` that starts a word, left to
    /// right: at each position after a non-alphanumeric character the
    /// longest pattern starting there, if any.
    ///
    /// Names only count at word starts anyway, so the automaton is run
    /// anchored from word starts rather than across every byte: about twice
    /// as fast on prose, and a name is never hidden by a longer pattern
    /// that matched from inside the previous word.
    pub fn find_iter<'m>(&'m self, text: &'m str) -> impl Iterator<Item = Mention<'m>> + 'm {
        let b = text.as_bytes();
        let mut pos = 0usize;
        let mut prev_alnum = false;
        std::iter::from_fn(move || {
            while pos < b.len() {
                let (alnum, space, len) = match b[pos] {
                    c if c.is_ascii() => (c.is_ascii_alphanumeric(), c.is_ascii_whitespace(), 1),
                    _ => text[pos..].chars().next().map_or((false, false, 1), |c| {
                        (c.is_alphanumeric(), c.is_whitespace(), c.len_utf8())
                    }),
                };
                if !prev_alnum && !space {
                    let input = Input::new(text).range(pos..).anchored(Anchored::Yes);
                    if let Some(m) = self.automaton.find(input) {
                        pos = m.end();
                        prev_alnum = text[..pos]
                            .chars()
                            .next_back()
                            .is_some_and(char::is_alphanumeric);
                        return Some(Mention {
                            start: m.start(),
                            end: m.end(),
                            entries: &self.entries[m.pattern().as_usize()],
                        });
                    }
                }
                prev_alnum = alnum;
                pos += len;
            }
            None
        })
    }

    /// Number of distinct patterns compiled.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Returns true if and only if no pattern was compiled.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}
