//! Names a report gives its actor (rule 15): "we dubbed the eCrime gang
//! E.K.P.", "we are calling this actor HydroJiin", "a threat actor known as
//! Wild Neutron". A coined name that the knowledge base knows is that actor;
//! one it does not know becomes an actor facet value as written.

use super::actor::{is_modifier_word, is_people_word};
use super::{is_clause_end, is_word_boundary, words};
use crate::kb::{Kb, Resolved};
use std::collections::BTreeSet;

/// Verbs of naming. After a word for the people they introduce its name
/// ("a threat actor known as Wild Neutron", "the group dubbed X"); after
/// "we" they introduce the report's own name for a group ("we dubbed the
/// eCrime gang E.K.P.", "we are calling this actor HydroJiin").
const NAMING: &[&str] = &[
    "known as",
    "dubbed",
    "named",
    "call",
    "calling",
    "called",
    "nicknamed",
    "tracked as",
    "track as",
    "tracking",
    "refer to as",
    "referred to as",
    "designated",
];

/// Capitalised words that do not start or continue a name.
const NOT_NAMES: &[&str] = &[
    "The", "This", "That", "These", "Those", "It", "Its", "A", "An", "Our", "We", "They", "He",
    "She", "His", "Her", "Their", "Some", "One", "Another", "Both", "In", "On", "At", "For", "And",
    "Or", "Of", "To", "By", "With", "From", "As", "Is", "Was", "Are", "Were", "I", "If", "But",
];

/// Words that may stand between "we" and the naming verb ("we have
/// named", "we are calling", "We've dubbed").
const WE_GAP: &[&str] = &[
    "have",
    "are",
    "ve",
    "now",
    "also",
    "will",
    "would",
    "internally",
];

/// How many words may describe the people between a naming verb after
/// "we" and the word for the people ("we dubbed the eCrime gang").
const MAX_DESCRIPTION: usize = 4;

/// The most words a coined name has ("Wild Neutron", "Guccifer 2.0").
const MAX_NAME_WORDS: usize = 3;

/// Adds what the report names its actors: known actors to `actors`, names
/// the knowledge base lacks to `coined`.
pub(super) fn coined_actors(
    text: &str,
    kb: &Kb,
    actors: &mut BTreeSet<usize>,
    coined: &mut BTreeSet<String>,
) {
    static VERBS: std::sync::OnceLock<aho_corasick::AhoCorasick> = std::sync::OnceLock::new();
    let verbs = VERBS.get_or_init(|| {
        aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .build(NAMING)
            .expect("the naming verbs form a valid automaton")
    });
    for m in verbs.find_iter(text) {
        if !is_word_boundary(text, m.start(), m.end()) {
            continue;
        }
        let before = &text[..m.start()];
        let before = &before[before.rfind(is_clause_end).map_or(0, |i| i + 1)..];
        let after = &text[m.end()..];
        let after = &after[..after.find(['\n', ';', '|']).unwrap_or(after.len())];
        let rest = if said_by_us(before) {
            match past_people(after) {
                Some(rest) => rest,
                None => continue,
            }
        } else if names_people(before) {
            after
        } else {
            continue;
        };
        let Some(name) = name_at(rest) else {
            continue;
        };
        // "the group tracked as Advanced Persistent Threat (APT) 40".
        if words(&name).any(|w| is_people_word(w) || is_modifier_word(w)) {
            continue;
        }
        match kb.resolve_actor(&name) {
            Resolved::One(a) => {
                if let Some(i) = kb.actors().iter().position(|x| std::ptr::eq(x, a)) {
                    actors.insert(i);
                }
            }
            Resolved::Many(_) => {}
            Resolved::Unknown => {
                if kb.resolve_country(&name).is_none() {
                    coined.insert(name.replace('/', "-"));
                }
            }
        }
    }
}

/// Words for the people that name a threat actor on their own before a
/// naming verb ("a threat actor known as X", "the gang dubbed X").
/// "Group", "team" and "cluster" need a threat word before them ("a hacking
/// group called X"): "a dance group called X" is not an actor.
const PLAIN_GROUP_WORDS: &[&str] = &["group", "groups", "team", "cluster"];

/// Returns true if and only if the clause before a naming verb ends with a
/// word for the people behind a threat (see [`PLAIN_GROUP_WORDS`]).
fn names_people(before: &str) -> bool {
    let mut ws = words(before).rev();
    let Some(last) = ws.next() else {
        return false;
    };
    if !is_people_word(last) {
        return false;
    }
    if !PLAIN_GROUP_WORDS.contains(&last.to_lowercase().as_str()) {
        return true;
    }
    ws.next()
        .is_some_and(|w| is_modifier_word(w) || is_people_word(w))
}

/// Returns true if and only if the clause before a naming verb ends with
/// "we" and at most two auxiliary words ("we have", "We've", "we are").
fn said_by_us(before: &str) -> bool {
    for w in words(before).rev().take(3) {
        let lw = w.to_lowercase();
        if lw == "we" || lw == "we've" {
            return true;
        }
        if !WE_GAP.contains(&lw.as_str()) {
            return false;
        }
    }
    false
}

/// The text after the word for the people that follows a naming verb after
/// "we", within [`MAX_DESCRIPTION`] + 1 words ("the eCrime gang E.K.P." →
/// " E.K.P."), past an "as".
fn past_people(after: &str) -> Option<&str> {
    let mut rest = after;
    for _ in 0..=MAX_DESCRIPTION + 1 {
        let trimmed = rest.trim_start();
        let len = trimmed.find(char::is_whitespace).unwrap_or(trimmed.len());
        let (w, tail) = trimmed.split_at(len);
        if w.is_empty() || w.ends_with([',', '.', ':']) {
            return None;
        }
        rest = tail;
        if is_people_word(w) {
            return Some(strip_as(rest));
        }
    }
    None
}

fn strip_as(s: &str) -> &str {
    let t = s.trim_start();
    t.strip_prefix("as ").unwrap_or(s)
}

/// The name at the start of `rest`: one to [`MAX_NAME_WORDS`] words that
/// each start with a capital or a digit, past an "as", quotes and emphasis
/// marks, ending at other punctuation or a lower-case word; a final full
/// stop is dropped ("E.K.P." → "E.K.P"). Words in [`NOT_NAMES`] and names
/// of fewer than three letters or digits are not names.
fn name_at(rest: &str) -> Option<String> {
    let rest = strip_as(rest).trim_start_matches(|c: char| {
        c.is_whitespace() || matches!(c, '"' | '\'' | '*' | '_' | '`' | '“' | '”' | '‘' | '’')
    });
    let mut parts: Vec<&str> = Vec::new();
    let mut s = rest;
    while parts.len() < MAX_NAME_WORDS {
        let len = s
            .find(|c: char| !(c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | '@' | '&')))
            .unwrap_or(s.len());
        let word = s[..len].trim_end_matches(['.', '-']);
        if word.is_empty()
            || !word.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit())
            || NOT_NAMES.contains(&word)
        {
            break;
        }
        parts.push(word);
        // Another word only after one space and no full stop.
        let ended = s[..len].ends_with('.') && !word.contains('.');
        match s[len..].strip_prefix(' ') {
            Some(next) if !ended => s = next,
            _ => break,
        }
    }
    let name = parts.join(" ");
    let strong = name.chars().filter(|c| c.is_alphanumeric()).count();
    (strong >= 3 && name.chars().any(char::is_alphabetic)).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_after_the_verb() {
        assert_eq!(
            name_at(" as Wild Neutron (also").as_deref(),
            Some("Wild Neutron")
        );
        assert_eq!(name_at(" E.K.P. The gang").as_deref(), Some("E.K.P"));
        assert_eq!(name_at(" *HydroJiin.* We").as_deref(), Some("HydroJiin"));
        assert_eq!(name_at(" “CloudFall”, and").as_deref(), Some("CloudFall"));
        assert_eq!(
            name_at(" Guccifer 2.0 claimed").as_deref(),
            Some("Guccifer 2.0")
        );
        assert_eq!(name_at(" APT28 and Fancy Bear").as_deref(), Some("APT28"));
        assert_eq!(name_at(" after a bird"), None);
        assert_eq!(name_at(" The group"), None);
        assert_eq!(name_at(" X1 is"), None);
        assert_eq!(name_at(" 2019"), None);
    }

    #[test]
    fn people_before_the_verb() {
        assert!(names_people("a threat actor"));
        assert!(names_people("the ransomware gang"));
        assert!(names_people("a hacking group"));
        assert!(names_people("the APT group,"));
        assert!(!names_people("a dance group"));
        assert!(!names_people("The group,"));
        assert!(!names_people("a website"));
    }

    #[test]
    fn we_and_people() {
        assert!(said_by_us("Based on this, we"));
        assert!(said_by_us("We have"));
        assert!(said_by_us("so we are"));
        assert!(!said_by_us("they have"));
        assert!(!said_by_us("we saw that it was"));
        assert_eq!(past_people(" the eCrime gang E.K.P."), Some(" E.K.P."));
        assert_eq!(
            past_people(" this campaign and actor HydroJiin"),
            Some(" HydroJiin")
        );
        assert_eq!(
            past_people(" this threat actor as CloudFall"),
            Some("CloudFall")
        );
        assert_eq!(past_people(" the campaign “HydroJiin”"), None);
    }
}
