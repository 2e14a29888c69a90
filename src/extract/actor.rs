//! When a matched alias names its actor: the case and context rules for
//! ordinary-word (`~`) and ransomware-brand (`$`) aliases, detection names,
//! footnote digits and plurals glued to a name, and misspelt names. The
//! numbered rules are listed in the parent module's documentation.

use super::{is_clause_end, is_word_boundary, words};
use crate::kb::{AliasKind, Entry, Kb, Resolved, Target};
use std::collections::BTreeSet;

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

/// The [`CONTEXT_WORDS`] that stand for several people. A word for the
/// people reaches across "and"/"or" to a name only in the plural ("groups
/// such as APT33 and Gorgon"): in "the TA505 APT and Emotet campaigns" the
/// singular "APT" is TA505's alone.
const PLURAL_CONTEXT_WORDS: &[&str] = &[
    "groups",
    "actors",
    "apts",
    "operators",
    "gangs",
    "crews",
    "hackers",
    "adversaries",
    "affiliates",
    "cybercriminals",
];

/// Affiliates of a ransomware brand are its crew's partners, but an
/// affiliate of a loader or banking trojan ("TA575 is a Dridex affiliate",
/// "Qbot affiliate partner01") is another actor: these words count only for
/// ransomware brands (`$`).
const AFFILIATE_WORDS: &[&str] = &["affiliate", "affiliates"];

/// Words that may stand between an ordinary-word alias and the word for
/// its people after it: "Conti ransomware gang", "Emotet botnet operators",
/// "ZINC threat actor", "REvil's affiliates", "PROMETHIUM activity group",
/// "an intrusion set".
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
    "activity",
    "intrusion",
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

/// Returns true if and only if the actor alias `entry`, matched at
/// `text[start..end]` (a whole word), names its actor here.
pub(super) fn names_actor(text: &str, start: usize, end: usize, entry: &Entry) -> bool {
    if in_detection_name(text, start) {
        return false;
    }
    let found = &text[start..end];
    match entry.kind {
        AliasKind::Plain => true,
        AliasKind::Ambiguous => false,
        AliasKind::Common => {
            common_alias_case_ok(found, &entry.form)
                && !runs_on(text, end)
                && (has_context(text, start, end, false)
                    || defined_by_is_a(text, end, false)
                    || code_name_in_capitals(text, start, found, &entry.form))
        }
        AliasKind::Ransomware => {
            brand_case_ok(found, &entry.form)
                && (named_as_ransomware(text, start, end)
                    || !runs_on(text, end)
                        && (has_context(text, start, end, true)
                            || defined_by_is_a(text, end, true)))
        }
    }
}

/// Returns true if and only if the ambiguous alias `entry` at
/// `text[start..end]` is a mention worth an umbrella value: written with a
/// capital, not in a detection name.
pub(super) fn ambiguous_mention(text: &str, start: usize, end: usize, entry: &Entry) -> bool {
    entry.kind == AliasKind::Ambiguous
        && text[start..end].starts_with(char::is_uppercase)
        && !in_detection_name(text, start)
}

/// The umbrella values of the ambiguous aliases found (as catalogued) of
/// which no claimant is among `actors`.
pub(super) fn umbrellas(
    kb: &Kb,
    ambiguous: &BTreeSet<&str>,
    actors: &BTreeSet<usize>,
) -> Vec<String> {
    ambiguous
        .iter()
        .filter_map(|form| {
            let Resolved::Many(claimants) = kb.resolve_actor(form) else {
                return None;
            };
            let named = claimants
                .iter()
                .any(|c| actors.iter().any(|&i| std::ptr::eq(&kb.actors()[i], *c)));
            if named {
                None
            } else {
                kb.umbrella(form)
            }
        })
        .collect()
}

/// The actors of a name that the automaton found glued to footnote digits
/// or a plural "s" (so the match is not a whole word): "Oilrig1", "Turla²",
/// "Fancy Bears". Footnote marks are one or two digits (ASCII or
/// superscript) after a name that ends in a letter; the plural is an "s"
/// after a plain name written exactly as catalogued ("Fancy Bear"), not one
/// in capitals. Only names of four characters or more, and only where the
/// name starts a word.
pub(super) fn glued_actors(
    text: &str,
    start: usize,
    end: usize,
    entries: &[Entry],
    actors: &mut BTreeSet<usize>,
) {
    let rest = &text[end..];
    if !rest.starts_with(|c: char| c.is_ascii_digit() || c == 's' || !c.is_ascii()) {
        return;
    }
    let found = &text[start..end];
    if found.chars().count() < 4 || text[..start].ends_with(char::is_alphanumeric) {
        return;
    }
    let ends_in_letter = found.chars().next_back().is_some_and(char::is_alphabetic);
    let footnote = ends_in_letter && footnote_len(rest).is_some();
    let plural = found.ends_with(|c: char| c.is_ascii_lowercase())
        && rest.starts_with('s')
        && !rest[1..].starts_with(char::is_alphanumeric);
    if !footnote && !plural {
        return;
    }
    for e in entries {
        let Target::Actor(i) = e.target else {
            continue;
        };
        if (footnote && names_actor(text, start, end, e))
            || (plural && e.kind == AliasKind::Plain && found == e.form)
        {
            actors.insert(i);
        }
    }
}

/// The byte length of footnote digits at the start of `rest` (one or two
/// ASCII or superscript digits, not followed by a letter or digit).
fn footnote_len(rest: &str) -> Option<usize> {
    let is_mark = |c: char| c.is_ascii_digit() || matches!(c, '¹' | '²' | '³' | '⁰'..='⁹');
    let mut len = 0;
    let mut n = 0;
    for c in rest.chars() {
        if is_mark(c) && n < 2 {
            len += c.len_utf8();
            n += 1;
        } else if c.is_alphanumeric() {
            return None;
        } else {
            break;
        }
    }
    (n > 0).then_some(len)
}

/// Detection-name prefixes of antivirus vendors: a name right after
/// "Trojan.", "Backdoor:Win32/", "HEUR:Trojan.Win32." or "Win32/" names a
/// malware detection ("Trojan.Sofacy"), not the group.
const DETECTION_PREFIXES: &[&str] = &[
    "trojan",
    "backdoor",
    "worm",
    "virus",
    "ransom",
    "win32",
    "win64",
    "w32",
    "w64",
    "msil",
    "heur",
    "exploit",
    "trojandownloader",
    "trojandropper",
    "trojanspy",
    "trojanproxy",
    "pws",
    "spyware",
    "infostealer",
    "downloader",
    "dropper",
    "hacktool",
    "riskware",
    "adware",
    "linux",
    "osx",
    "macos",
    "android",
    "js",
    "vbs",
    "html",
    "script",
    "generic",
    "bkdr",
    "troj",
    "tspy",
];

/// Returns true if and only if the name starting at `start` is glued to a
/// detection-name prefix: the text before it, back to the last space, ends
/// with '.', ':', '/' or '!' and starts with one of [`DETECTION_PREFIXES`].
fn in_detection_name(text: &str, start: usize) -> bool {
    let before = &text[..start];
    if !before.ends_with(['.', ':', '/', '!']) {
        return false;
    }
    let token = &before[before.rfind(char::is_whitespace).map_or(0, |i| i + 1)..];
    let token = token.trim_start_matches(|c: char| !c.is_alphanumeric());
    let head = token
        .split(['.', ':', '/', '!'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    DETECTION_PREFIXES.contains(&head.as_str())
}

/// Adds the actors of misspelt names (rule 9) to `actors`: each word for
/// the people ("group", "actors"…) is looked at with the word before it,
/// past modifier words, in its clause.
pub(super) fn misspelt_actors(text: &str, kb: &Kb, actors: &mut BTreeSet<usize>) {
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

/// Returns true if and only if `found` has the case an ordinary-word alias
/// requires: exactly as written, or title case of an all-capitals name
/// ("Zinc" for "ZINC").
fn common_alias_case_ok(found: &str, form: &str) -> bool {
    if found == form {
        return true;
    }
    all_caps(form) && found == title_case(form)
}

/// Returns true if and only if `found` is a case form a ransomware brand's
/// operators use: it starts with a capital or a digit ("LockBit",
/// "Lockbit", "LOCKBIT", "CL0P", "8Base"), never all lower case.
fn brand_case_ok(found: &str, form: &str) -> bool {
    found == form
        || found
            .chars()
            .find(|c| c.is_alphabetic())
            .is_some_and(char::is_uppercase)
            && found.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit())
}

fn all_caps(s: &str) -> bool {
    s.chars().any(char::is_alphabetic) && s.chars().all(|c| !c.is_alphabetic() || c.is_uppercase())
}

pub(super) fn title_case(s: &str) -> String {
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
            !is_context_word(word, true) && !MODIFIER_WORDS.contains(&word.to_lowercase().as_str())
        }
        _ => false,
    }
}

/// `word` without surrounding punctuation or a possessive "'s", lower case.
fn bare_word(word: &str) -> String {
    let w = word.trim_matches(|c: char| !c.is_alphanumeric());
    w.strip_suffix("'s").unwrap_or(w).to_lowercase()
}

/// Returns true if and only if `word`, without surrounding punctuation or a
/// possessive "'s", is one of the [`CONTEXT_WORDS`]; the
/// [`AFFILIATE_WORDS`] only when `affiliates` is true.
fn is_context_word(word: &str, affiliates: bool) -> bool {
    let w = bare_word(word);
    CONTEXT_WORDS.contains(&w.as_str()) && (affiliates || !AFFILIATE_WORDS.contains(&w.as_str()))
}

/// Returns true if and only if `word` is one of the [`MODIFIER_WORDS`]
/// ("threat", "ransomware", "hacking"…), or "apt".
pub(super) fn is_modifier_word(word: &str) -> bool {
    let w = bare_word(word);
    w != "s" && (MODIFIER_WORDS.contains(&w.as_str()) || w == "apt")
}

/// Returns true if and only if `word` is a word for the people behind a
/// name ("group", "actor", "gang"…), "affiliates" aside.
pub(super) fn is_people_word(word: &str) -> bool {
    is_context_word(word, false)
}

/// Returns true if and only if a word for the people behind the name is
/// attached to `text[start..end]` within its clause: right after it, across
/// at most [`MAX_GAP`] [`MODIFIER_WORDS`] ("the Conti ransomware gang",
/// "the PROMETHIUM activity group", "an intrusion set", "Cloud Atlas
/// operations"), or right before it, across at most [`MAX_GAP`]
/// [`LINK_WORDS`] ("the group behind REvil", "threat actor ZINC"; across
/// "and"/"or" only in the plural: "groups such as APT33 and Gorgon"). A
/// clause ends at a sentence end, a colon or semicolon, a line break or a
/// table-cell bar, so a list of malware names followed by "This actor …"
/// does not count. `affiliates` says whether "affiliates" count.
///
/// A Markdown link to an ATT&CK group page also marks its text as a group:
/// "[Patchwork](https://attack.mitre.org/groups/G0040/)".
fn has_context(text: &str, start: usize, end: usize, affiliates: bool) -> bool {
    let after = &text[end..];
    if after.starts_with("](https://attack.mitre.org/groups/")
        || after.starts_with("](http://attack.mitre.org/groups/")
    {
        return true;
    }
    if defined_as_people(text, start, end, affiliates) {
        return true;
    }
    let after = &after[..after.find(is_clause_end).unwrap_or(after.len())];
    let before = &text[..start];
    let before = &before[before.rfind(is_clause_end).map_or(0, |i| i + 1)..];
    people_after(after, affiliates) || people_before(before, affiliates)
}

/// The after half of [`has_context`].
fn people_after(after: &str, affiliates: bool) -> bool {
    let mut prev = String::new();
    for w in words(after).take(MAX_GAP + 1) {
        if is_context_word(w, affiliates) {
            return true;
        }
        let lw = bare_word(w);
        if lw == "operations" || (prev == "intrusion" && (lw == "set" || lw == "sets")) {
            return true;
        }
        if !MODIFIER_WORDS.contains(&lw.as_str()) {
            return false;
        }
        prev = lw;
    }
    false
}

/// The before half of [`has_context`].
fn people_before(before: &str, affiliates: bool) -> bool {
    let mut listed = false;
    for w in words(before).rev().take(MAX_GAP + 1) {
        if is_context_word(w, affiliates) {
            return !listed || PLURAL_CONTEXT_WORDS.contains(&bare_word(w).as_str());
        }
        let lw = w.to_lowercase();
        if lw == "and" || lw == "or" {
            listed = true;
        } else if !(LINK_WORDS.contains(&lw.as_str())
            || w.starts_with(char::is_uppercase)
            || w.contains(|c: char| c.is_ascii_digit()))
        {
            return false;
        }
    }
    false
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
fn defined_as_people(text: &str, start: usize, end: usize, affiliates: bool) -> bool {
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
        .any(|w| is_context_word(w, affiliates))
}

/// Words that end the description in a "Name is a …" definition before its
/// word for the people: "Equation is a method used by the group" describes
/// a thing.
const DEFINITION_STOPS: &[&str] = &[
    "by", "of", "for", "with", "from", "in", "on", "to", "that", "which", "who", "used", "and",
    "or", "its", "their", "is", "was",
];

/// Returns true if and only if the clause after the name ending at `end`
/// defines it as people: "PROMETHIUM is an activity group", "Suckfly is a
/// Chinese threat actor", "Cloud Atlas, a cyberespionage group, …": "is",
/// "was", or a comma, then an article, then at most [`MAX_GAP`] describing
/// words and a word for the people.
fn defined_by_is_a(text: &str, end: usize, affiliates: bool) -> bool {
    let after = &text[end..];
    let after = &after[..after.find(is_clause_end).unwrap_or(after.len())];
    let appositive = after.starts_with(',');
    let mut ws = words(after).peekable();
    if ws
        .peek()
        .is_some_and(|w| matches!(w.to_lowercase().as_str(), "is" | "was" | "remains"))
    {
        ws.next();
    } else if !appositive {
        return false;
    }
    if !ws.next().is_some_and(|w| {
        matches!(
            w.to_lowercase().as_str(),
            "a" | "an" | "the" | "another" | "one"
        )
    }) {
        return false;
    }
    for w in ws.take(MAX_GAP + 1) {
        if is_context_word(w, affiliates) {
            return true;
        }
        if DEFINITION_STOPS.contains(&w.to_lowercase().as_str()) {
            return false;
        }
    }
    false
}

/// Chemical element names: Microsoft named activity groups after elements,
/// written in capitals ("PLATINUM", "STRONTIUM"). Spelling variants
/// ("ALUMINUM", "SULPHUR", "CESIUM") are included.
const ELEMENTS: &[&str] = &[
    "HYDROGEN",
    "HELIUM",
    "LITHIUM",
    "BERYLLIUM",
    "BORON",
    "CARBON",
    "NITROGEN",
    "OXYGEN",
    "FLUORINE",
    "NEON",
    "SODIUM",
    "MAGNESIUM",
    "ALUMINIUM",
    "ALUMINUM",
    "SILICON",
    "PHOSPHORUS",
    "SULFUR",
    "SULPHUR",
    "CHLORINE",
    "ARGON",
    "POTASSIUM",
    "CALCIUM",
    "SCANDIUM",
    "TITANIUM",
    "VANADIUM",
    "CHROMIUM",
    "MANGANESE",
    "IRON",
    "COBALT",
    "NICKEL",
    "COPPER",
    "ZINC",
    "GALLIUM",
    "GERMANIUM",
    "ARSENIC",
    "SELENIUM",
    "BROMINE",
    "KRYPTON",
    "RUBIDIUM",
    "STRONTIUM",
    "YTTRIUM",
    "ZIRCONIUM",
    "NIOBIUM",
    "MOLYBDENUM",
    "TECHNETIUM",
    "RUTHENIUM",
    "RHODIUM",
    "PALLADIUM",
    "SILVER",
    "CADMIUM",
    "INDIUM",
    "TIN",
    "ANTIMONY",
    "TELLURIUM",
    "IODINE",
    "XENON",
    "CAESIUM",
    "CESIUM",
    "BARIUM",
    "LANTHANUM",
    "CERIUM",
    "PRASEODYMIUM",
    "NEODYMIUM",
    "PROMETHIUM",
    "SAMARIUM",
    "EUROPIUM",
    "GADOLINIUM",
    "TERBIUM",
    "DYSPROSIUM",
    "HOLMIUM",
    "ERBIUM",
    "THULIUM",
    "YTTERBIUM",
    "LUTETIUM",
    "HAFNIUM",
    "TANTALUM",
    "TUNGSTEN",
    "RHENIUM",
    "OSMIUM",
    "IRIDIUM",
    "PLATINUM",
    "GOLD",
    "MERCURY",
    "THALLIUM",
    "LEAD",
    "BISMUTH",
    "POLONIUM",
    "ASTATINE",
    "RADON",
    "FRANCIUM",
    "RADIUM",
    "ACTINIUM",
    "THORIUM",
    "PROTACTINIUM",
    "URANIUM",
    "NEPTUNIUM",
    "PLUTONIUM",
    "AMERICIUM",
    "CURIUM",
    "BERKELIUM",
    "CALIFORNIUM",
    "EINSTEINIUM",
    "FERMIUM",
    "MENDELEVIUM",
    "NOBELIUM",
    "LAWRENCIUM",
    "RUTHERFORDIUM",
    "DUBNIUM",
    "SEABORGIUM",
    "BOHRIUM",
    "HASSIUM",
    "MEITNERIUM",
    "DARMSTADTIUM",
    "ROENTGENIUM",
    "COPERNICIUM",
    "NIHONIUM",
    "FLEROVIUM",
    "MOSCOVIUM",
    "LIVERMORIUM",
    "TENNESSINE",
    "OGANESSON",
];

/// Returns true if and only if an element code name ([`ELEMENTS`]) is
/// written in capitals, as catalogued, in a line that is not itself all
/// capitals: "PLATINUM has consistently targeted…" names the group, as no
/// prose writes the metal so; a headline in capitals does not count.
fn code_name_in_capitals(text: &str, start: usize, found: &str, form: &str) -> bool {
    if found != form || !ELEMENTS.contains(&form) {
        return false;
    }
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    text[line_start..line_end].chars().any(|c| c.is_lowercase())
}

/// Returns true if and only if the ransomware brand at `text[start..end]`
/// is named as ransomware: with a version ("LockBit 3.0", "RansomHub v2"),
/// or "ransomware"/"RaaS" right after it, past a version and a
/// parenthesis ("LockBit 3.0 ransomware", "ALPHV (aka BlackCat)
/// Ransomware", "BlackCat) Ransomware"), or right before it ("the
/// ransomware RansomHub").
fn named_as_ransomware(text: &str, start: usize, end: usize) -> bool {
    if text[start..end].split(' ').any(is_version) {
        return true;
    }
    let mut rest = &text[end..];
    // A version after the name.
    if let Some(v) = rest.strip_prefix(' ') {
        let word = v
            .split(|c: char| c.is_whitespace() || c == ',')
            .next()
            .unwrap_or("");
        let word = word.trim_end_matches(['.', ')', ':', ';']);
        if is_version(word) {
            return true;
        }
    }
    // Past a short parenthesis or its closing bracket.
    rest = rest.trim_start();
    if let Some(inner) = rest.strip_prefix('(') {
        match inner.find(')') {
            Some(close) if close <= 40 => rest = &inner[close + 1..],
            _ => return false,
        }
    }
    let rest = rest.trim_start_matches([')', ']', '"', '\'']).trim_start();
    let next = rest
        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .next()
        .unwrap_or("");
    if is_ransomware_word(next) {
        return true;
    }
    let before = text[..start].trim_end_matches([' ', '"', '\'']);
    let prev = before
        .rsplit(|c: char| !(c.is_alphanumeric() || c == '-'))
        .next()
        .unwrap_or("");
    is_ransomware_word(prev) && before.ends_with(prev)
}

fn is_ransomware_word(w: &str) -> bool {
    ["ransomware", "ransomware-as-a-service", "raas"]
        .iter()
        .any(|r| r.eq_ignore_ascii_case(w))
}

/// A product version: "3.0", "2.1.4", "v2", "V3.1" (a bare number is not:
/// "Conti 2021" is a year).
fn is_version(w: &str) -> bool {
    let (v, digits) = match w.strip_prefix(['v', 'V']) {
        Some(d) => (true, d),
        None => (false, w),
    };
    let parts: Vec<&str> = digits.split('.').collect();
    let numeric = parts
        .iter()
        .all(|p| !p.is_empty() && p.len() <= 2 && p.bytes().all(|b| b.is_ascii_digit()));
    numeric && (v || parts.len() >= 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        for v in ["3.0", "2.1.4", "v2", "V3.1"] {
            assert!(is_version(v), "{v}");
        }
        for v in ["2021", "3", "3.", "v", "a.b", "1.2024", ""] {
            assert!(!is_version(v), "{v}");
        }
    }

    #[test]
    fn footnote_marks() {
        assert_eq!(footnote_len("1 is"), Some(1));
        assert_eq!(footnote_len("12,"), Some(2));
        assert_eq!(footnote_len("²."), Some(2));
        assert_eq!(footnote_len(""), None);
        assert_eq!(footnote_len("123"), None);
        assert_eq!(footnote_len("1a"), None);
        assert_eq!(footnote_len(" 1"), None);
    }

    #[test]
    fn detection_names() {
        let at = |t: &str, name: &str| in_detection_name(t, t.find(name).unwrap());
        assert!(at("detected as Trojan.Sofacy by", "Sofacy"));
        assert!(at("Backdoor:Win32/Sednit.A", "Sednit"));
        assert!(at("HEUR:Trojan.Win32.Lazarus", "Lazarus"));
        assert!(at("(Win32/Sednit)", "Sednit"));
        assert!(!at("the Sofacy group", "Sofacy"));
        assert!(!at("report.Sofacy", "Sofacy"));
        assert!(!at("vendors: Sofacy", "Sofacy"));
    }

    #[test]
    fn brand_case() {
        assert!(brand_case_ok("CL0P", "Cl0p"));
        assert!(brand_case_ok("Lockbit", "LockBit"));
        assert!(brand_case_ok("LOCKBIT", "LockBit"));
        assert!(brand_case_ok("8Base", "8Base"));
        assert!(!brand_case_ok("lockbit", "LockBit"));
        assert!(!brand_case_ok("cl0p", "Cl0p"));
    }
}
