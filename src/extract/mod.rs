//! Finds the actors, countries and sectors an article names, applying the
//! knowledge base's matching rules. Pure: no I/O, no schema.
//!
//! The rules, in the order they apply to each phrase the automaton finds:
//! 1. Whole words only: the characters around the phrase must not be letters
//!    or digits ("Iran" never fires inside "Tirana"); a hyphen is a boundary,
//!    so "Russia-linked" and "North Korea-backed" count.
//! 2. A blocking phrase ("Cobalt Strike", "Latin American") matched as the
//!    longest phrase at that place produces nothing.
//! 3. Countries are proper nouns: the case must be as written in the
//!    knowledge base, or all capitals (headlines). "us" is never the US.
//! 4. Ordinary-word and malware-family aliases (`~`: Cobalt, Play, ZINC,
//!    Emotet, REvil) need the exact case (or title case of an all-capitals
//!    name), must not run on into another capitalised word ("Cobalt Strike",
//!    "Play Store"), and need a word for the people behind the name ("group",
//!    "actor", "APT", "gang", "operators"…) attached to it in the same clause:
//!    right after it ("the Conti ransomware gang", "ZINC threat actor") or
//!    right before it ("the group behind REvil", "threat actor ZINC"). Words
//!    about the activity ("ransomware", "campaign", "threat") are not enough:
//!    "REvil ransomware" and "Emotet campaigns" name the malware, not the crew.
//!    A definition counts as well: a name that opens its line as the term of
//!    a "Name: definition" item whose first phrase is a word for people
//!    ("* **DarkSide:** One of the newest ransomware gangs in …").
//! 5. Text inside a URL or link path ("https://…/sandworm-android-malware/",
//!    "(/us/threat-actor-profile-ta505)") is an address, not prose: nothing
//!    there counts.
//! 6. Aliases claimed by several actors (`?`: "Grizzly Steppe") never
//!    resolve to an actor on their own.
//! 7. Sector triggers match in any case, and a sector is the article's only
//!    when a trigger names the sector of victims ("targeting banks",
//!    "organizations in the healthcare sector were hit"), by the rules of
//!    the `sector` module; "banking trojan" or a spoofed bank names none.
//! 8. A country named only as the seat of a security vendor or cyber agency
//!    ("the Slovak security company ESET") goes to `seats`, not `countries`.
//! 9. A misspelt name counts when a word for the people follows it: a
//!    capitalised word of six letters or more that is no name the knowledge
//!    base knows, one edit from a one-word plain name of exactly one actor
//!    ("the Lazarous group" → Lazarus Group; see [`crate::kb::typo`]), with
//!    at most four modifier words between ("Sandwrom threat actors").
//! 10. A country is also a target when its mention names the place of the
//!     victims ("Ukrainian government entities", "attacks against Poland"),
//!     by the rules of the `target` module.
//!
//! Before matching, typographic apostrophes and Unicode spaces (no-break,
//! narrow, thin…) are read as their ASCII forms: web pages often write "the
//! Winnti\u{a0}group" with a no-break space.

mod clause;
mod sector;
mod target;

use crate::kb::{AliasKind, Kb, Resolved, Target};
use crate::model::{Article, Entities};
use std::borrow::Cow;
use std::collections::BTreeSet;

/// The revision of the extraction rules. Bump it whenever a change to the
/// rules here (or to how text is extracted) changes what is indexed for some
/// file: it is part of [`Kb::fingerprint`], so the next `index` run extracts
/// every document again instead of keeping what the old rules found.
/// 2: misspelt names (rule 9), target countries (rule 10).
/// 3: victim sectors (rule 7), and targets voided by a denial, advice or
/// supposition anywhere in their clause.
pub const RULES_REVISION: u32 = 3;

/// Words for the people behind a name: near an ordinary-word or
/// malware-family alias they show that it names a group ("the Cobalt group",
/// "Emotet operators", "the gang behind REvil", "threat actor ZINC"). Words
/// about the activity ("ransomware", "campaign", "threat", "espionage") are
/// deliberately absent: "REvil ransomware" and "Emotet campaigns" name malware.
const CONTEXT_WORDS: &[&str] = &[
    "group",
    "groups",
    "actor",
    "actors",
    "apt",
    "apts",
    "operator",
    "operators",
    "gang",
    "gangs",
    "crew",
    "crews",
    "hackers",
    "hacker",
    "adversary",
    "adversaries",
    "cluster",
    "affiliate",
    "affiliates",
    "cybercriminals",
    "team",
];

/// Words that may stand between an ordinary-word alias and the word for
/// its people after it: "Conti ransomware gang", "Emotet botnet operators",
/// "ZINC threat actor", "REvil's affiliates".
const MODIFIER_WORDS: &[&str] = &[
    "ransomware",
    "ransomware-as-a-service",
    "raas",
    "malware",
    "botnet",
    "threat",
    "hacking",
    "cybercrime",
    "cybercriminal",
    "criminal",
    "extortion",
    "espionage",
    "state-sponsored",
    "nation-state",
    "s",
];

/// Words that may stand between the word for the people and an
/// ordinary-word alias after it: "the group behind REvil", "operators of the
/// DarkSide RaaS", "an actor known as STRONTIUM", "groups such as APT33 and
/// Gorgon". Other names (capitalised or with digits) may stand there too, as
/// in that list.
const LINK_WORDS: &[&str] = &[
    "the",
    "a",
    "an",
    "of",
    "behind",
    "known",
    "as",
    "called",
    "dubbed",
    "named",
    "tracked",
    "by",
    "aka",
    "such",
    "like",
    "including",
    "and",
    "or",
];

/// How many modifier or link words may separate an ordinary-word alias from
/// the word for its people.
const MAX_GAP: usize = 4;

/// Returns the entities named in the article's title and text.
pub fn entities(article: &Article, kb: &Kb) -> Entities {
    entities_in_text(&article.title_and_text(), kb)
}

/// Returns the entities named in `text`.
pub fn entities_in_text(text: &str, kb: &Kb) -> Entities {
    // Typographic apostrophes are folded so "People’s Republic" matches, and
    // Unicode spaces (no-break, narrow, thin…) so "the Winnti\u{a0}group"
    // matches as "Winnti Group" does.
    let text = fold_text(text);
    let text = text.as_ref();
    let mut actors = BTreeSet::new();
    let mut countries = BTreeSet::new();
    // Countries named as where a vendor or agency sits.
    let mut seats = BTreeSet::new();
    // Countries named as where the victims are (see `target`).
    let mut targets = BTreeSet::new();
    // Where countries were named so far (any role), for `target`.
    let mut country_spans: Vec<(usize, usize)> = Vec::new();
    // Victim sectors (see `sector`), and where countries and sector
    // triggers were named so far, for `sector`.
    let mut sectors = BTreeSet::new();
    let mut victim_spans: Vec<(usize, usize)> = Vec::new();
    for m in kb.matcher().find_iter(text) {
        if !is_word_boundary(text, m.start, m.end) || in_url(text, m.start) {
            continue;
        }
        if m.entries.iter().any(|e| e.target == Target::Block) {
            continue;
        }
        let found = &text[m.start..m.end];
        for e in m.entries {
            match e.target {
                Target::Actor(i) => {
                    let ok = match e.kind {
                        AliasKind::Plain => true,
                        AliasKind::Ambiguous => false,
                        AliasKind::Common => {
                            common_alias_case_ok(found, &e.form)
                                && !runs_on(text, m.end)
                                && has_context(text, m.start, m.end)
                        }
                    };
                    if ok {
                        actors.insert(i);
                    }
                }
                Target::Country(i) => {
                    if found == e.form || found == e.form.to_uppercase() {
                        if names_a_seat(text, m.end) {
                            seats.insert(i);
                        } else {
                            countries.insert(i);
                            let tg = target::is_target(text, m.start, m.end, &country_spans);
                            if tg {
                                targets.insert(i);
                            }
                        }
                        if country_spans.last() != Some(&(m.start, m.end)) {
                            country_spans.push((m.start, m.end));
                            victim_spans.push((m.start, m.end));
                        }
                    }
                }
                Target::Sector(i) => {
                    if !sectors.contains(&i)
                        && sector::is_victim(text, m.start, m.end, &victim_spans)
                    {
                        sectors.insert(i);
                    }
                    if victim_spans.last() != Some(&(m.start, m.end)) {
                        victim_spans.push((m.start, m.end));
                    }
                }
                Target::Block => {}
            }
        }
    }
    misspelt_actors(text, kb, &mut actors);
    let mut origins = BTreeSet::new();
    let actors: BTreeSet<String> = actors
        .into_iter()
        .map(|i| {
            let a = &kb.actors()[i];
            if let Some(o) = &a.origin {
                origins.insert(o.clone());
            }
            a.canonical.clone()
        })
        .collect();
    // ISO codes sorted by code (the sets hold catalogue positions).
    let codes = |ix: &mut dyn Iterator<Item = &usize>| -> Vec<String> {
        ix.map(|&i| kb.countries()[i].code.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect()
    };
    Entities {
        actors: actors.into_iter().collect(),
        countries: codes(&mut countries.iter()),
        seats: codes(&mut seats.difference(&countries)),
        targets: codes(&mut targets.iter()),
        origins: origins.into_iter().collect(),
        sectors: sectors
            .into_iter()
            .map(|i| kb.sectors()[i].id.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect(),
    }
}

/// Adds the actors of misspelt names (rule 9) to `actors`: each word for
/// the people ("group", "actors"…) is looked at with the word before it,
/// past modifier words, in its clause.
fn misspelt_actors(text: &str, kb: &Kb, actors: &mut BTreeSet<usize>) {
    static PEOPLE: std::sync::OnceLock<aho_corasick::AhoCorasick> = std::sync::OnceLock::new();
    // Each word as written in prose, in a title and in capitals: exact
    // patterns let the automaton use its SIMD prefilter, which an
    // ASCII-case-insensitive one cannot (the people words occur in every
    // report, so this scan reads every text).
    let people = PEOPLE.get_or_init(|| {
        let forms = CONTEXT_WORDS
            .iter()
            .flat_map(|w| [w.to_string(), title_case(w), w.to_uppercase()]);
        aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .build(forms)
            .expect("the context words form a valid automaton")
    });
    for m in people.find_iter(text) {
        if !is_word_boundary(text, m.start(), m.end()) {
            continue;
        }
        let before = &text[..m.start()];
        let before = &before[before.rfind(is_clause_end).map_or(0, |i| i + 1)..];
        let Some(word) = words(before)
            .rev()
            .take(MAX_GAP + 1)
            .find(|w| !MODIFIER_WORDS.contains(&w.to_lowercase().as_str()))
        else {
            continue;
        };
        if word.len() < crate::kb::typo::MIN_LEN
            || !word.starts_with(char::is_uppercase)
            || !word.chars().all(char::is_alphabetic)
            || !matches!(kb.resolve_actor(word), Resolved::Unknown)
            || kb.resolve_country(word).is_some()
        {
            continue;
        }
        if let Some(i) = kb.near_actor(word) {
            actors.insert(i);
        }
    }
}

/// Words that make a security vendor or agency of what follows them, with
/// the nouns that must come after them: "security firm", "cybersecurity
/// agency", "antivirus vendor". "Security service" and "security agency"
/// alone are not among them: the FSB and the MSS are such services, and a
/// report naming them is about their country.
const SEAT_WORDS: &[&str] = &[
    "security",
    "cybersecurity",
    "cyber-security",
    "infosec",
    "antivirus",
    "anti-virus",
    "intelligence",
];
const VENDOR_NOUNS: &[&str] = &[
    "firm",
    "firms",
    "company",
    "companies",
    "vendor",
    "vendors",
    "researcher",
    "researchers",
    "provider",
    "providers",
    "outfit",
    "giant",
    "lab",
    "labs",
    "software",
    "startup",
    "maker",
];
/// Nouns that make an agency of a cybersecurity word ("the US Cybersecurity
/// and Infrastructure Security Agency", "the UK's National Cyber Security
/// Centre") but not of a plain "security" ("Russian security agency").
const AGENCY_NOUNS: &[&str] = &["agency", "centre", "center", "authority", "office", "cert"];

/// Returns true if and only if the country name ending at `end` says where
/// a security vendor or cyber agency sits: "Slovak security company ESET",
/// "US-based cybersecurity firm Mandiant", "the UK's National Cyber Security
/// Centre". The vendor word must start within three words and its noun
/// follow within four, in the same clause.
fn names_a_seat(text: &str, end: usize) -> bool {
    let rest = &text[end..];
    let rest = rest
        .strip_prefix("'s")
        .or_else(|| rest.strip_prefix("-based"))
        .or_else(|| rest.strip_prefix("-headquartered"))
        .unwrap_or(rest);
    let clause = &rest[..rest
        .find(|c: char| matches!(c, ',' | '(' | ')') || is_clause_end(c))
        .unwrap_or(rest.len())];
    let words: Vec<&str> = words(clause).take(8).collect();
    let is_in = |w: &str, list: &[&str]| list.iter().any(|x| x.eq_ignore_ascii_case(w));
    for (k, &w) in words.iter().enumerate().take(3) {
        // "Cyber Security", "cyber security": one word for this purpose.
        let (seat, next) = if w.eq_ignore_ascii_case("cyber")
            && words
                .get(k + 1)
                .is_some_and(|n| n.eq_ignore_ascii_case("security"))
        {
            ("cybersecurity", k + 2)
        } else {
            (w, k + 1)
        };
        if !is_in(seat, SEAT_WORDS) {
            continue;
        }
        let cyber = !is_in(seat, &["security", "intelligence"]);
        // "Cybersecurity and Infrastructure Security Agency": four words on.
        if words
            .iter()
            .skip(next)
            .take(4)
            .any(|n| is_in(n, VENDOR_NOUNS) || (cyber && is_in(n, AGENCY_NOUNS)))
        {
            return true;
        }
    }
    false
}

/// `text` with [`fold_char`] applied, borrowed if nothing folds. Every
/// folded character is non-ASCII, so only those are decoded; the ASCII runs
/// between them are skipped and copied whole.
fn fold_text(text: &str) -> Cow<'_, str> {
    let b = text.as_bytes();
    let mut out: Option<String> = None;
    let (mut last, mut i) = (0, 0);
    while let Some(at) = next_non_ascii(b, i) {
        let Some(c) = text[at..].chars().next() else {
            break;
        };
        i = at + c.len_utf8();
        if let Some(f) = fold_char(c) {
            let o = out.get_or_insert_with(|| String::with_capacity(text.len()));
            o.push_str(&text[last..at]);
            o.push(f);
            last = i;
        }
    }
    match out {
        Some(mut o) => {
            o.push_str(&text[last..]);
            Cow::Owned(o)
        }
        None => Cow::Borrowed(text),
    }
}

/// The position of the first non-ASCII byte of `b` at or after `from`,
/// eight bytes at a time.
fn next_non_ascii(b: &[u8], from: usize) -> Option<usize> {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut i = from;
    while let Some(chunk) = b.get(i..i + 8) {
        let word = u64::from_le_bytes(chunk.try_into().ok()?);
        if word & HIGH != 0 {
            return Some(i + (word & HIGH).trailing_zeros() as usize / 8);
        }
        i += 8;
    }
    b.get(i..)?
        .iter()
        .position(|c| !c.is_ascii())
        .map(|p| i + p)
}

/// The ASCII character a typographic apostrophe or a Unicode space separator
/// is read as, or `None` for every other character.
fn fold_char(c: char) -> Option<char> {
    match c {
        '\u{2018}' | '\u{2019}' => Some('\''),
        '\u{a0}' | '\u{1680}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}' => {
            Some(' ')
        }
        _ => None,
    }
}

/// Returns true if and only if `text[start..end]` is not glued to a letter or
/// digit on either side.
fn is_word_boundary(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

/// Returns true if and only if `found` has the case an ordinary-word alias
/// requires: exactly as written, or title case of an all-capitals name
/// ("Zinc" for "ZINC").
fn common_alias_case_ok(found: &str, form: &str) -> bool {
    if found == form {
        return true;
    }
    let all_caps = form.chars().any(char::is_alphabetic)
        && form.chars().all(|c| !c.is_alphabetic() || c.is_uppercase());
    all_caps && found == title_case(form)
}

fn title_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for c in s.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        start = !c.is_alphanumeric();
    }
    out
}

/// Returns true if and only if the word right after `end` is capitalised and
/// neither a context word nor a modifier word: the alias is then part of a
/// longer proper name ("Cobalt Strike", "Play Store"), whereas "DarkSide
/// Ransomware-as-a-Service" and "Cobalt Group" are not.
fn runs_on(text: &str, end: usize) -> bool {
    let rest = &text[end..];
    let Some(rest) = rest.strip_prefix(' ') else {
        return false;
    };
    let word: &str = rest
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    match word.chars().next() {
        Some(c) if c.is_uppercase() => {
            !is_context_word(word) && !MODIFIER_WORDS.contains(&word.to_lowercase().as_str())
        }
        _ => false,
    }
}

/// Returns true if and only if `word`, without surrounding punctuation or a
/// possessive "'s", is one of the [`CONTEXT_WORDS`].
fn is_context_word(word: &str) -> bool {
    let w = word.trim_matches(|c: char| !c.is_alphanumeric());
    let w = w.strip_suffix("'s").unwrap_or(w);
    CONTEXT_WORDS.iter().any(|c| c.eq_ignore_ascii_case(w))
}

/// Returns true if and only if the phrase starting at `start` lies inside a
/// URL or a link path: the whitespace-delimited token before it (after a
/// Markdown "](") holds "://", or starts with "www." or "/".
fn in_url(text: &str, start: usize) -> bool {
    let token_start = text[..start]
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map_or(0, |(i, c)| i + c.len_utf8());
    let prefix = &text[token_start..start];
    let prefix = prefix.rsplit("](").next().unwrap_or(prefix);
    let prefix = prefix.trim_start_matches(['(', '<', '[', '"', '\'']);
    prefix.contains("://") || prefix.starts_with("www.") || prefix.starts_with('/')
}

/// Returns true if and only if a word for the people behind the name is
/// attached to `text[start..end]` within its clause: right after it, across
/// at most [`MAX_GAP`] [`MODIFIER_WORDS`] ("the Conti ransomware gang"), or
/// right before it, across at most [`MAX_GAP`] [`LINK_WORDS`] ("the group
/// behind REvil", "threat actor ZINC"). A clause ends at a sentence end, a
/// colon or semicolon, a line break or a table-cell bar, so a list of
/// malware names followed by "This actor …" does not count.
///
/// A Markdown link to an ATT&CK group page also marks its text as a group:
/// "[Patchwork](https://attack.mitre.org/groups/G0040/)".
fn has_context(text: &str, start: usize, end: usize) -> bool {
    let after = &text[end..];
    if after.starts_with("](https://attack.mitre.org/groups/")
        || after.starts_with("](http://attack.mitre.org/groups/")
    {
        return true;
    }
    if defined_as_people(text, start, end) {
        return true;
    }
    let after = &after[..after.find(is_clause_end).unwrap_or(after.len())];
    let before = &text[..start];
    let before = &before[before.rfind(is_clause_end).map_or(0, |i| i + 1)..];
    attached(words(after), |w| {
        MODIFIER_WORDS.contains(&w.to_lowercase().as_str())
    }) || attached(words(before).rev(), |w| {
        LINK_WORDS.contains(&w.to_lowercase().as_str())
            || w.starts_with(char::is_uppercase)
            || w.contains(|c: char| c.is_ascii_digit())
    })
}

/// How many words of a definition may come before the word for the people:
/// "**DarkSide:** One of the newest ransomware gangs in …".
const MAX_DEFINITION_WORDS: usize = 6;

/// Returns true if and only if `text[start..end]` is the term of a
/// definition whose head names people: the name opens its line (after list
/// bullets, numbering, heading marks or bold), a colon follows it (outside
/// the bold, as in "**DarkSide:**", or after it), and the definition's first
/// phrase, up to its first comma, holds a word for the people within its
/// first [`MAX_DEFINITION_WORDS`] + 1 words ("* **DarkSide:** One of the
/// newest ransomware gangs in the underground, the author…"). A definition
/// that describes a thing ("**Baldr:** An information stealer…", "**Maze:**
/// Much like NEMTY, …") does not count.
fn defined_as_people(text: &str, start: usize, end: usize) -> bool {
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let lead = text[line_start..start].trim_start_matches(|c: char| {
        c.is_whitespace()
            || c.is_ascii_digit()
            || matches!(c, '*' | '-' | '_' | '#' | '>' | '.' | '\u{2022}')
    });
    if !lead.is_empty() {
        return false;
    }
    let after = text[end..].trim_start_matches(['*', '_']);
    let Some(def) = after.strip_prefix(':') else {
        return false;
    };
    let def = def.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '*' | '_'));
    let head = &def[..def
        .find(|c: char| c == ',' || c == '(' || is_clause_end(c))
        .unwrap_or(def.len())];
    words(head)
        .take(MAX_DEFINITION_WORDS + 1)
        .any(is_context_word)
}

/// Splits a clause into words without surrounding punctuation.
fn words(s: &str) -> impl DoubleEndedIterator<Item = &str> + '_ {
    s.split(|c: char| c.is_whitespace() || c == '\'' || c == ',' || c == '(' || c == ')')
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
}

/// Returns true if and only if the first word that is not a gap word is a
/// context word, with at most [`MAX_GAP`] gap words before it.
fn attached<'a>(mut words: impl Iterator<Item = &'a str>, gap: impl Fn(&str) -> bool) -> bool {
    for _ in 0..=MAX_GAP {
        match words.next() {
            Some(w) if is_context_word(w) => return true,
            Some(w) if gap(w) => continue,
            _ => return false,
        }
    }
    false
}

/// Returns true if and only if `c` ends a clause for [`has_context`]: a
/// sentence end, a colon or semicolon, a line break or a table-cell bar. (The
/// dots of "a.k.a." count too, which only shortens the few words looked at.)
fn is_clause_end(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | ':' | ';' | '\n' | '|')
}

#[cfg(test)]
mod tests {
    /// The eight-byte scan finds the first non-ASCII byte from any start.
    #[test]
    fn next_non_ascii_finds_the_first() {
        for t in [
            "",
            "a",
            "abcdefgh",
            "abcdefgh\u{e9}",
            "\u{e9}",
            "abcdefg\u{e9}xyz",
            "0123456789abcdef\u{2019}",
        ] {
            let b = t.as_bytes();
            for from in 0..=b.len() {
                let want = b[from..]
                    .iter()
                    .position(|c| !c.is_ascii())
                    .map(|p| from + p);
                assert_eq!(next_non_ascii(b, from), want, "{t:?} from {from}");
            }
        }
    }

    /// Folding copies ASCII runs whole and rewrites exactly the folded
    /// characters, as a char-by-char map does.
    #[test]
    fn fold_text_equals_char_map() {
        for t in [
            "",
            "plain ascii",
            "People\u{2019}s Republic",
            "\u{2018}quoted\u{2019} Winnti\u{a0}group \u{3000}end\u{202f}",
            "caf\u{e9} \u{201c}curly\u{201d} \u{2013} dash",
            "\u{a0}",
            "\u{e9}\u{2019}\u{e9}",
        ] {
            let want: String = t.chars().map(|c| fold_char(c).unwrap_or(c)).collect();
            let got = fold_text(t);
            assert_eq!(got, want, "{t:?}");
            assert_eq!(matches!(got, Cow::Borrowed(_)), want == t, "{t:?}");
        }
    }

    use super::*;
    use crate::kb::{parse_actors, parse_countries, parse_sectors};

    const ACTORS: &str =
        "Volt Typhoon\tCN\tespionage\tG1017\tVanguard Panda|BRONZE SILHOUETTE|DEV-0391\n\
        Lazarus Group\tKP\tfinancial\tG0032\tLazarus|~ZINC|HIDDEN COBRA\n\
        Cobalt Group\t\tfinancial\tG0080\t~Cobalt|~Cobalt Gang\n\
        ~Play\t\tfinancial\t\tPlayCrypt\n\
        APT28\tRU\tespionage\tG0007\tFancy Bear|?Grizzly Steppe\n\
        APT29\tRU\tespionage\tG0016\tCozy Bear|?Grizzly Steppe\n\
        GOLD SOUTHFIELD\tRU\tfinancial\tG0115\t~REvil|Pinchy Spider\n\
        Mummy Spider\t\tfinancial\t\t~Emotet\n\
        Mallard Spider\t\tfinancial\t\t~Qbot\n\
        ~DarkSide\tRU\tfinancial\t\t\n\
        Gorgon Group\tPK\tfinancial\tG0078\t~Gorgon\n\
        ~Patchwork\tIN\tespionage\tG0040\t\n\
        Sandworm Team\tRU\tdestructive\tG0034\tSandworm\n\
        -\t\t\t\tCobalt Strike|Google Play\n";
    const COUNTRIES: &str = "KP\tNorth Korea\tDPRK\tNorth Korean|North Koreans\n\
        KR\tSouth Korea\tROK|~Korea\tSouth Korean|~Korean\n\
        US\tUnited States\tU.S.|US|USA\tAmerican|Americans\n\
        RU\tRussia\tRussian Federation\tRussian|Russians\n\
        IR\tIran\t\tIranian\n\
        -\t-\tLatin America|Latin American\t\n";
    const SECTORS: &str = "water\tWater\tWater and Wastewater Systems\t22\twater utilities|wastewater\n\
        telecommunications\tTelecommunications\tCommunications\t51\ttelecom|telecommunications providers\n";

    fn kb() -> Kb {
        let (a, b) = parse_actors(ACTORS, "a").unwrap();
        let (c, cb) = parse_countries(COUNTRIES, "c").unwrap();
        Kb::from_parts(a, b, c, cb, parse_sectors(SECTORS, "s").unwrap())
    }

    fn ents(text: &str) -> Entities {
        entities_in_text(text, &kb())
    }

    #[test]
    fn alias_resolves_to_canonical_with_origin() {
        let e = ents("Researchers linked the intrusions to Vanguard Panda and bronze silhouette.");
        assert_eq!(e.actors, vec!["Volt Typhoon"]);
        assert_eq!(e.origins, vec!["CN"]);
    }

    /// Rule 9: a misspelt one-word name counts only with a word for the
    /// people after it, and only when it is near one actor's name.
    #[test]
    fn misspelt_name_counts_with_a_people_word_after_it() {
        let actors = |t: &str| ents(t).actors;
        assert_eq!(
            actors("The TTPs were those of the Lazarous group."),
            vec!["Lazarus Group"]
        );
        assert_eq!(
            actors("Later the Sandwrom threat actors returned."),
            vec!["Sandworm Team"]
        );
        // No word for the people, or one in the next clause.
        assert!(actors("The Lazarous malware was found.").is_empty());
        assert!(actors("It resembles Lazarous. The group denied it.").is_empty());
        // Lower case, a known country, too short (five letters), digits.
        assert!(actors("the lazarous group").is_empty());
        assert!(actors("the Russian group").is_empty());
        assert!(actors("the Lazar group").is_empty());
        assert!(actors("the Lazarus2 group").is_empty());
        // Words two edits away.
        assert!(actors("the Lazarrous group and the Lazzarous group").is_empty());
        // Six letters is long enough.
        assert_eq!(actors("the Lazaru group"), vec!["Lazarus Group"]);
    }

    #[test]
    fn north_korean_is_kp_never_kr() {
        let e = ents("North Korean operators and the DPRK regime; a Korean-language lure.");
        assert_eq!(e.countries, vec!["KP"]);
    }

    #[test]
    fn hyphenated_and_possessive_forms_count() {
        let e = ents("A Russia-linked crew and North Korea-backed hackers hit Iran's ports.");
        assert_eq!(e.countries, vec!["IR", "KP", "RU"]);
    }

    #[test]
    fn vendor_and_agency_seats_are_kept_apart() {
        let pair = |e: Entities| (e.countries, e.seats);
        let v = |xs: &[&str]| xs.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            pair(ents(
                "The Russian security company Kaspersky and the US-based cybersecurity firm \
                 Mandiant say the group hit ministries in Iran."
            )),
            (v(&["IR"]), v(&["RU", "US"]))
        );
        assert_eq!(
            pair(ents(
                "Iran's National Cyber Security Centre warned operators in South Korea."
            )),
            (v(&["KR"]), v(&["IR"]))
        );
        assert_eq!(
            pair(ents(
                "The U.S. Cybersecurity and Infrastructure Security Agency issued it."
            )),
            (v(&[]), v(&["US"]))
        );
        // A country named both ways is a country.
        assert_eq!(
            pair(ents(
                "American security firm Dragos saw attacks on American water utilities."
            )),
            (v(&["US"]), v(&[]))
        );
        // Security services are states' own: not a vendor's seat.
        assert_eq!(
            pair(ents(
                "Russian security services ran it; a Russian security agency too."
            )),
            (v(&["RU"]), v(&[]))
        );
        // The vendor word must be in the same clause and close by.
        assert_eq!(
            pair(ents(
                "North Korean operators, security firms said, hit South Korea."
            )),
            (v(&["KP", "KR"]), v(&[]))
        );
        assert_eq!(
            pair(ents(
                "Iran's ports and Russian hackers who posed as a security company."
            )),
            (v(&["IR", "RU"]), v(&[]))
        );
    }

    #[test]
    fn whole_words_only() {
        assert!(ents("Tirana and Iranistan and UNITED").countries.is_empty());
        assert!(ents("Lazaruses of DEV-03910").actors.is_empty());
    }

    #[test]
    fn country_names_are_case_sensitive() {
        assert!(ents("let us know; join us").countries.is_empty());
        assert_eq!(ents("the US and the U.S. and USA").countries, vec!["US"]);
        assert_eq!(ents("IRAN HIT BY WIPER").countries, vec!["IR"]);
    }

    #[test]
    fn blockers_win_over_contained_names() {
        let e = ents("The group dropped Cobalt Strike beacons across Latin American banks.");
        assert!(e.actors.is_empty(), "{e:?}");
        assert!(e.countries.is_empty(), "{e:?}");
        assert!(ents("Get it on Google Play, says the ransomware gang")
            .actors
            .is_empty());
    }

    #[test]
    fn ordinary_word_aliases_need_case_and_context() {
        // Ordinary senses.
        assert!(ents("zinc mining and the price of zinc").actors.is_empty());
        assert!(ents("Zinc prices rose in the quarter.").actors.is_empty());
        assert!(ents("Play a role in the group's success").actors.is_empty());
        assert!(ents("Cobalt blue paint, says the threat report")
            .actors
            .is_empty());
        // Actor senses.
        assert_eq!(
            ents("the ZINC group used fake job offers").actors,
            vec!["Lazarus Group"]
        );
        assert_eq!(
            ents("the Play ransomware gang leaked data").actors,
            vec!["Play"]
        );
        assert_eq!(
            ents("Cobalt Gang operators hit banks").actors,
            vec!["Cobalt Group"]
        );
    }

    #[test]
    fn malware_names_need_a_word_for_the_people() {
        // The malware.
        assert!(ents("REvil ransomware encrypted the files.")
            .actors
            .is_empty());
        assert!(ents("The Emotet campaigns resumed in November.")
            .actors
            .is_empty());
        assert!(ents("REvil Ransomware returns").actors.is_empty());
        // The crew: a word for the people right after or right before.
        assert_eq!(
            ents("the REvil gang leaked data").actors,
            vec!["GOLD SOUTHFIELD"]
        );
        assert_eq!(
            ents("REvil's affiliates hit MSPs").actors,
            vec!["GOLD SOUTHFIELD"]
        );
        assert_eq!(
            ents("Emotet botnet operators came back").actors,
            vec!["Mummy Spider"]
        );
        assert_eq!(
            ents("the group behind REvil went quiet").actors,
            vec!["GOLD SOUTHFIELD"]
        );
        assert_eq!(
            ents("the operators of the DarkSide Ransomware-as-a-Service").actors,
            vec!["DarkSide"]
        );
        assert_eq!(
            ents("state sponsored groups such as APT28 and Gorgon.").actors,
            vec!["APT28", "Gorgon Group"]
        );
    }

    #[test]
    fn definition_items_naming_people_mark_a_group() {
        assert_eq!(
            ents("* **DarkSide:** One of the newest ransomware gangs in the underground, the author sells it.")
                .actors,
            vec!["DarkSide"]
        );
        assert_eq!(
            ents("Intro.\n1. REvil: a ransomware-as-a-service crew.").actors,
            vec!["GOLD SOUTHFIELD"]
        );
        // A definition describing a thing, or one whose people word comes late.
        assert!(
            ents("* **DarkSide:** An information stealer sold on forums.")
                .actors
                .is_empty()
        );
        assert!(
            ents("* **Emotet:** Much like NEMTY, operators of it ran a blog.")
                .actors
                .is_empty()
        );
        assert!(ents(
            "**REvil:** The encryptor was rebuilt in May and later sold to other actors."
        )
        .actors
        .is_empty());
        // Not a term opening its line, or no colon after the name.
        assert!(ents("We saw DarkSide: one of the newest gangs.")
            .actors
            .is_empty());
        assert!(ents("**Emotet**\nThe threat actor tracked as TA1 sent it")
            .actors
            .is_empty());
    }

    #[test]
    fn context_stays_within_the_clause() {
        let e = ents("It distributed payloads such as Qbot and Emotet. This actor is new.");
        assert!(e.actors.is_empty(), "{e:?}");
        assert!(ents("| DarkSide | group |").actors.is_empty());
        assert!(ents("**Emotet**\nThe threat actor tracked as TA1 sent it")
            .actors
            .is_empty());
    }

    #[test]
    fn attack_group_links_mark_a_group() {
        let e = ents("groups including “[Patchwork](https://attack.mitre.org/groups/G0040/)”.");
        assert_eq!(e.actors, vec!["Patchwork"]);
        assert!(ents("[Patchwork](https://example.com/) quilts")
            .actors
            .is_empty());
    }

    #[test]
    fn nothing_counts_inside_urls() {
        assert!(
            ents("see https://www.wired.com/story/sandworm-android-malware/ now")
                .actors
                .is_empty()
        );
        assert!(
            ents("[the profile](/us/threat-insight/lazarus-profile) says")
                .actors
                .is_empty()
        );
        assert!(ents("the (www.example.com/iran-news) page")
            .countries
            .is_empty());
        // Link text is prose.
        assert_eq!(
            ents("the [Sandworm](https://example.com/x) team").actors,
            vec!["Sandworm Team"]
        );
    }

    #[test]
    fn context_words_ignore_punctuation_and_possessives() {
        assert_eq!(
            ents("attributed to the Cobalt group.").actors,
            vec!["Cobalt Group"]
        );
        assert_eq!(
            ents("the ZINC group's tooling").actors,
            vec!["Lazarus Group"]
        );
    }

    #[test]
    fn ambiguous_aliases_never_resolve_alone() {
        assert!(ents("The Grizzly Steppe report described the intrusions.")
            .actors
            .is_empty());
        assert_eq!(
            ents("Grizzly Steppe, that is Cozy Bear").actors,
            vec!["APT29"]
        );
    }

    #[test]
    fn sectors_any_case_and_typographic_apostrophes() {
        // (Sectors are those of victims: the test catalogue knows "telecom",
        // not "telecom carriers", so the word for victims is "providers".)
        let e = ents("Telecom providers and Water Utilities were hit.");
        assert_eq!(e.sectors, vec!["telecommunications", "water"]);
        let k = kb();
        let c = entities_in_text("the DPRK’s hackers", &k);
        assert_eq!(c.countries, vec!["KP"]);
    }

    #[test]
    fn unicode_spaces_read_as_spaces() {
        assert_eq!(
            ents("groups such as the\u{a0}Cobalt\u{a0}Gang, and Vanguard\u{202f}Panda").actors,
            vec!["Cobalt Group", "Volt Typhoon"]
        );
        assert_eq!(ents("the United\u{a0}States").countries, vec!["US"]);
        assert_eq!(ents("North\u{2009}Korea’s hackers").countries, vec!["KP"]);
    }

    #[test]
    fn title_is_scanned_too() {
        let a = Article {
            title: Some("Lazarus strikes again".into()),
            text: "Nothing else here.".into(),
            ..Article::default()
        };
        assert_eq!(entities(&a, &kb()).actors, vec!["Lazarus Group"]);
    }
}
