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
    starts: Starts,
}

/// Which first bytes can begin a pattern, so the automaton is only called
/// where one might: a bitset of every pattern's first two bytes, one of the
/// two-byte patterns, and a hashed bitset of the first three bytes. Bytes
/// are ASCII-folded as the automaton folds them. A word start whose bytes
/// are in none of them cannot begin a match; most words of prose are
/// turned away here, before an automaton search is set up.
#[derive(Debug)]
struct Starts {
    pair: Box<[u64; 1024]>,
    two: Box<[u64; 1024]>,
    tri: Box<[u64; 1024]>,
}

impl Starts {
    fn new<'p>(patterns: impl Iterator<Item = &'p [u8]>) -> Starts {
        let mut s = Starts {
            pair: Box::new([0; 1024]),
            two: Box::new([0; 1024]),
            tri: Box::new([0; 1024]),
        };
        for p in patterns {
            let Some((&a, &b)) = p.first().zip(p.get(1)) else {
                continue;
            };
            let ab = Self::pair_key(a, b);
            set(&mut s.pair, ab);
            match p.get(2) {
                Some(&c) => set(&mut s.tri, Self::tri_key(ab, c)),
                None => set(&mut s.two, ab),
            }
        }
        s
    }

    fn pair_key(a: u8, b: u8) -> usize {
        usize::from(a.to_ascii_lowercase()) << 8 | usize::from(b.to_ascii_lowercase())
    }

    fn tri_key(ab: usize, c: u8) -> usize {
        let k = (ab as u32) << 8 | u32::from(c.to_ascii_lowercase());
        (k.wrapping_mul(0x9E37_79B1) >> 16) as usize
    }

    /// False only if no pattern can match at `pos`.
    fn may_start(&self, b: &[u8], pos: usize) -> bool {
        let Some((&x, &y)) = b.get(pos).zip(b.get(pos + 1)) else {
            return false;
        };
        let ab = Self::pair_key(x, y);
        if !get(&self.pair, ab) {
            return false;
        }
        get(&self.two, ab)
            || b.get(pos + 2)
                .is_some_and(|&c| get(&self.tri, Self::tri_key(ab, c)))
    }
}

fn set(bits: &mut [u64; 1024], i: usize) {
    bits[i >> 6] |= 1 << (i & 63);
}

fn get(bits: &[u64; 1024], i: usize) -> bool {
    bits[i >> 6] & (1 << (i & 63)) != 0
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
        // Spelling variants of multi-word actor names ("Threat Group-3390",
        // "Threat Group 3390", "ThreatGroup3390"), added only where no name
        // of the knowledge base already has that form.
        let variants: Vec<(String, Target, AliasKind)> = actors
            .iter()
            .enumerate()
            .flat_map(|(i, a)| {
                std::iter::once((a.canonical.as_str(), a.canonical_kind))
                    .chain(a.aliases.iter().map(|al| (al.name.as_str(), al.kind)))
                    .flat_map(move |(name, kind)| {
                        separator_variants(name)
                            .into_iter()
                            .map(move |v| (v, kind))
                            .chain(
                                camel_variants(name)
                                    .into_iter()
                                    .chain(short_form(name))
                                    .map(move |v| (v, cautious(kind))),
                            )
                            .map(move |(v, k)| (v, Target::Actor(i), k))
                    })
            })
            .collect();
        let mut taken: std::collections::HashSet<String> = actors
            .iter()
            .flat_map(|a| {
                std::iter::once(fold(&a.canonical)).chain(a.aliases.iter().map(|al| fold(&al.name)))
            })
            .collect();
        taken.extend(blockers.iter().chain(country_blockers).map(|b| fold(b)));
        for c in countries {
            taken.insert(fold(&c.name));
            taken.extend(c.names.iter().chain(&c.demonyms).map(|al| fold(&al.name)));
        }
        // A variant two actors' names share is nobody's.
        let mut owners: HashMap<String, Option<Target>> = HashMap::new();
        for (v, t, _) in &variants {
            let key = fold(v);
            if taken.contains(&key) {
                continue;
            }
            owners
                .entry(key)
                .and_modify(|o| {
                    if *o != Some(*t) {
                        *o = None;
                    }
                })
                .or_insert(Some(*t));
        }
        for (v, t, kind) in &variants {
            if owners.get(&fold(v)) == Some(&Some(*t)) {
                add(v, *t, *kind);
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
        let starts = Starts::new(patterns.iter().map(|p| p.as_bytes()));
        Matcher {
            automaton,
            entries,
            starts,
        }
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
                if prev_alnum {
                    // The rest of an ASCII word starts nothing.
                    while b.get(pos).is_some_and(u8::is_ascii_alphanumeric) {
                        pos += 1;
                    }
                    if pos == b.len() {
                        break;
                    }
                }
                let (alnum, space, len) = match b[pos] {
                    c if c.is_ascii() => (c.is_ascii_alphanumeric(), c.is_ascii_whitespace(), 1),
                    _ => text[pos..].chars().next().map_or((false, false, 1), |c| {
                        (c.is_alphanumeric(), c.is_whitespace(), c.len_utf8())
                    }),
                };
                if !prev_alnum && !space && self.starts.may_start(b, pos) {
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

/// The other spellings of a name of several tokens: the tokens joined by a
/// space, by a hyphen and by nothing ("Threat Group-3390" gives "Threat
/// Group 3390" and "ThreatGroup3390"; "APT 28" gives "APT-28" and "APT28").
/// Tokens are split at spaces and hyphens; a name with other punctuation
/// ("TEMP.Veles", "admin@338"), with a token of one character ("i-Soon":
/// "I soon" is prose) or of one token has none.
fn separator_variants(name: &str) -> Vec<String> {
    let tokens: Vec<&str> = name.split([' ', '-']).collect();
    if tokens.len() < 2
        || tokens.iter().any(|t| t.chars().count() < 2)
        || !tokens.iter().all(|t| t.chars().all(char::is_alphanumeric))
    {
        return Vec::new();
    }
    [" ", "-", ""]
        .iter()
        .map(|sep| tokens.join(sep))
        .filter(|v| v != name)
        .collect()
}

/// The rule of a derived spelling that is less certain than the name it
/// comes from (a camel-case name split into words, a short form): a plain
/// name's derived form needs the `~` evidence; the other rules stay.
fn cautious(kind: AliasKind) -> AliasKind {
    match kind {
        AliasKind::Plain => AliasKind::Common,
        k => k,
    }
}

/// A one-token camel-case name split into its words, spaced and hyphenated
/// ("WildNeutron" gives "Wild Neutron" and "Wild-Neutron"; "LuminousMoth"
/// gives "Luminous Moth"), when it is made of letters only and each word
/// has at least three: "PassCV" and "APT28" have none.
fn camel_variants(name: &str) -> Vec<String> {
    if !name.chars().all(char::is_alphabetic) {
        return Vec::new();
    }
    let mut words: Vec<&str> = Vec::new();
    let mut from = 0;
    let mut prev: Option<char> = None;
    for (i, c) in name.char_indices() {
        if prev.is_some_and(char::is_lowercase) && c.is_uppercase() {
            words.push(&name[from..i]);
            from = i;
        }
        prev = Some(c);
    }
    words.push(&name[from..]);
    if words.len() < 2 || words.iter().any(|w| w.chars().count() < 3) {
        return Vec::new();
    }
    vec![words.join(" "), words.join("-")]
}

/// Words that describe any group: a name made of them and a group word
/// ("Hacking Team", "Cyber Army") has no short form.
const GENERIC_WORDS: [&str; 14] = [
    "hacking",
    "hacker",
    "hackers",
    "security",
    "cyber",
    "threat",
    "the",
    "elite",
    "apt",
    "ransomware",
    "actor",
    "actors",
    "operation",
    "united",
];

/// The short form of an "X Group", "X Team", "X Gang" or "X Crew" name: X
/// ("Sandworm Team" gives "Sandworm", "Gorgon Group" gives "Gorgon"), when
/// X is one word of at least four characters and not a word that
/// describes any group. Reports write the short form with a word for the
/// people ("Sandworm operators"), which is what the `~` rule asks for.
fn short_form(name: &str) -> Option<String> {
    let (head, last) = name.rsplit_once(' ')?;
    if !["group", "team", "gang", "crew"].contains(&last.to_lowercase().as_str()) {
        return None;
    }
    let head = head.trim();
    (!head.contains([' ', '-'])
        && head.chars().count() >= 4
        && head.chars().next().is_some_and(char::is_uppercase)
        && !GENERIC_WORDS.contains(&head.to_lowercase().as_str()))
    .then(|| head.to_string())
}

#[cfg(test)]
mod tests {
    use super::{camel_variants, separator_variants, short_form};

    #[test]
    fn camel_case_names_split_into_words() {
        assert_eq!(
            camel_variants("WildNeutron"),
            vec!["Wild Neutron", "Wild-Neutron"]
        );
        assert!(camel_variants("PassCV").is_empty());
        assert!(camel_variants("APT28").is_empty());
        assert!(camel_variants("Turla").is_empty());
        assert!(camel_variants("Sea Turtle").is_empty());
    }

    #[test]
    fn group_and_team_names_have_a_short_form() {
        assert_eq!(short_form("Sandworm Team").as_deref(), Some("Sandworm"));
        assert_eq!(short_form("Gorgon Group").as_deref(), Some("Gorgon"));
        assert_eq!(short_form("Hacking Team"), None);
        assert_eq!(short_form("Ajax Security Team"), None);
        assert_eq!(short_form("Mustang Panda"), None);
        assert_eq!(short_form("TA Group"), None);
    }

    /// Derived forms are found with the `~` evidence, and never without it.
    #[test]
    fn derived_forms_need_a_word_for_the_people() {
        let kb = crate::kb::Kb::builtin().unwrap();
        let actors = |t: &str| crate::extract::entities_in_text(t, &kb).actors;
        assert!(actors("The Donot operators sent new lures.").contains(&"Donot Team".to_string()));
        assert!(actors("The Wild Neutron group targeted law firms.")
            .iter()
            .any(|a| a.contains("Neutron")));
        assert!(actors("Physicists measured a wild neutron flux. Donot reply.").is_empty());
    }

    #[test]
    fn separator_variants_of_multi_token_names() {
        assert_eq!(
            separator_variants("Threat Group-3390"),
            vec!["Threat Group 3390", "Threat-Group-3390", "ThreatGroup3390"]
        );
        assert_eq!(separator_variants("APT 28"), vec!["APT-28", "APT28"]);
        assert!(separator_variants("Turla").is_empty());
        assert!(separator_variants("TEMP.Veles").is_empty());
        assert!(separator_variants("a--b").is_empty());
        assert!(separator_variants("i-Soon").is_empty());
    }

    /// Variants are found in text, and never take a form another name has.
    #[test]
    fn variants_are_matched_but_never_steal_a_name() {
        let kb = crate::kb::Kb::builtin().unwrap();
        let m = kb.matcher();
        let found = |t: &str| -> Vec<String> {
            m.find_iter(t)
                .flat_map(|x| x.entries.iter())
                .filter_map(|e| match e.target {
                    super::Target::Actor(i) => Some(kb.actors()[i].canonical.clone()),
                    _ => None,
                })
                .collect()
        };
        assert_eq!(found("(Threat Group 3390)"), vec!["Threat Group-3390"]);
        assert_eq!(found("(ThreatGroup3390)"), vec!["Threat Group-3390"]);
        assert_eq!(found("(FancyBear)"), vec!["APT28"]);
        assert_eq!(found("(APT-28)"), vec!["APT28"]);
        // Every form is still the catalogue's own meaning.
        for a in kb.actors() {
            for al in &a.aliases {
                if al.kind == crate::kb::AliasKind::Plain {
                    if let crate::kb::Resolved::One(x) = kb.resolve_actor(&al.name) {
                        assert_eq!(x.canonical, a.canonical);
                    }
                }
            }
        }
    }

    /// The start filter never turns away a position where a pattern
    /// matches: every pattern of the built-in knowledge base (the first form
    /// of each slot; later forms fold to the same key), as written, in lower
    /// case and in upper case, is found where it stands.
    #[test]
    fn start_filter_keeps_every_pattern() {
        let kb = crate::kb::Kb::builtin().unwrap();
        let m = kb.matcher();
        let forms: Vec<&str> = m.entries.iter().map(|e| e[0].form.as_str()).collect();
        assert!(forms.len() > 1000, "{}", forms.len());
        for form in forms {
            for variant in [
                form.to_string(),
                form.to_ascii_lowercase(),
                form.to_ascii_uppercase(),
            ] {
                let text = format!("({variant}) and more");
                assert!(
                    m.find_iter(&text).any(|x| x.start == 1),
                    "{variant:?} not found in {text:?}"
                );
            }
        }
    }

    /// Words that begin no name are turned away by the filter alone.
    #[test]
    fn start_filter_rejects_unrelated_words() {
        let kb = crate::kb::Kb::builtin().unwrap();
        let s = &kb.matcher().starts;
        for w in ["qqqq", "zxcv", "xq", "x"] {
            assert!(!s.may_start(w.as_bytes(), 0), "{w}");
        }
        assert!(s.may_start(b"volt typhoon", 0));
        assert!(s.may_start(b"VOLT TYPHOON", 0));
    }
}
