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
//!    "Affiliate(s)" counts only for ransomware brands (rule 11): "TA575 is a
//!    Dridex affiliate" names another actor. A word for the people before
//!    the name reaches across "and"/"or" only in the plural ("groups such as
//!    APT33 and Gorgon", but not "the TA505 APT and Emotet campaigns").
//!    Words for the group's activity after the name count too ("the
//!    PROMETHIUM activity group", "an intrusion set", "Cloud Atlas
//!    operations"), and so does a definition in the sentence: "is/was a(n)"
//!    or an appositive comma and article, then at most four describing
//!    words and a word for the people ("PROMETHIUM is an activity group",
//!    "Cloud Atlas, a cyberespionage group"). A chemical element name
//!    catalogued in capitals (Microsoft's code names) counts alone when
//!    written in capitals in a line that is not all capitals ("PLATINUM has
//!    consistently targeted…").
//! 5. Text inside a URL or link path ("https://…/sandworm-android-malware/",
//!    "(/us/threat-actor-profile-ta505)") is an address, not prose: nothing
//!    there counts.
//! 6. Aliases claimed by several actors (`?`: "Grizzly Steppe") never
//!    resolve to an actor on their own. A report that names one of the
//!    claimants otherwise is about it; one that names none, with the alias
//!    written with a capital, gets the umbrella value "Grizzly Steppe (APT28
//!    or APT29)", which `--actor` for either claimant finds
//!    ([`Kb::umbrella`]).
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
//! 11. A ransomware brand (`$`: LockBit, ALPHV, Cl0p, RansomHub) follows rule
//!     4 in any case form with a capital ("CL0P", "Lockbit"), and also names
//!     its crew when named as ransomware: "ransomware"/"RaaS" right after it,
//!     past a version or a short parenthesis ("LockBit 3.0 ransomware",
//!     "ALPHV (aka BlackCat) Ransomware"), right before it ("the ransomware
//!     RansomHub"), or a version alone ("LockBit 3.0 IOCs"). Loaders and
//!     banking trojans stay `~`.
//! 12. Footnote marks and plurals glued to a name: one or two digits (ASCII
//!     or superscript) after a name ending in a letter ("Oilrig1"), or an "s"
//!     after a plain name written as catalogued ("Fancy Bears"); names of
//!     four characters or more.
//! 13. A name glued after a detection prefix ("Trojan.Sofacy",
//!     "Backdoor:Win32/Sednit", "Win32/Sednit") is a malware detection name.
//! 14. Names of several tokens match with a space, a hyphen or nothing
//!     between the tokens ("Threat Group 3390", "Threat Group-3390",
//!     "ThreatGroup3390"; "APT-28"), where no other name has that form (see
//!     [`crate::kb::matcher`]).
//! 15. A name the report gives its actor counts: after a word for the
//!     people and a naming verb ("a threat actor known as Wild Neutron",
//!     "the group dubbed X"), or after "we" and a naming verb, a few
//!     describing words and a word for the people ("we dubbed the eCrime
//!     gang E.K.P.", "we are calling this actor HydroJiin"). The name is one
//!     to three words that start with a capital or a digit. A name the
//!     knowledge base knows is that actor; any other becomes an actor value
//!     as written.
//!
//! Before matching, typographic apostrophes and Unicode spaces (no-break,
//! narrow, thin…) are read as their ASCII forms: web pages often write "the
//! Winnti\u{a0}group" with a no-break space.

mod actor;
mod clause;
mod coined;
mod sector;
mod target;

use crate::kb::{Kb, Target};
use crate::model::{Article, Entities};
use std::borrow::Cow;
use std::collections::BTreeSet;

/// The revision of the extraction rules. Bump it whenever a change to the
/// rules here (or to how text is extracted) changes what is indexed for some
/// file: the indexer passes it to [`Kb::fingerprint`], so the next `index`
/// run extracts every document again instead of keeping what the old rules
/// found.
/// 2: misspelt names (rule 9), target countries (rule 10).
/// 3: ransomware brands, glued footnotes and plurals, detection names,
/// spelling variants, bare-name definitions (rules 4, 11–14).
/// 4: indicator roles (indicator or reference); URL paths keep their case;
/// Markdown reports read as text.
/// 5: victim sectors (rule 7), and targets voided by a denial, advice or
/// supposition anywhere in their clause.
/// 6: the public actor catalogues, camel-case and short-form spellings;
/// more words of attack ("spy on", "a compromise of") and of victims
/// ("military resources"), gaming, utility and entertainment sectors;
/// country lists read whole after one cue.
pub const RULES_REVISION: u32 = 6;

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
    // Aliases several actors claim, as catalogued (rule 6).
    let mut ambiguous = BTreeSet::new();
    let mut victim_spans: Vec<(usize, usize)> = Vec::new();
    for m in kb.matcher().find_iter(text) {
        if in_url(text, m.start) || m.entries.iter().any(|e| e.target == Target::Block) {
            continue;
        }
        if !is_word_boundary(text, m.start, m.end) {
            // Footnote digits and plurals glued to a name (rule 12).
            actor::glued_actors(text, m.start, m.end, m.entries, &mut actors);
            continue;
        }
        let found = &text[m.start..m.end];
        for e in m.entries {
            match e.target {
                Target::Actor(i) => {
                    if actor::names_actor(text, m.start, m.end, e) {
                        actors.insert(i);
                    } else if actor::ambiguous_mention(text, m.start, m.end, e) {
                        ambiguous.insert(e.form.as_str());
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
    actor::misspelt_actors(text, kb, &mut actors);
    let mut coined = BTreeSet::new();
    coined::coined_actors(text, kb, &mut actors, &mut coined);
    coined.extend(actor::umbrellas(kb, &ambiguous, &actors));
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
        .chain(coined)
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

/// Splits a clause into words without surrounding punctuation.
fn words(s: &str) -> impl DoubleEndedIterator<Item = &str> + '_ {
    s.split(|c: char| c.is_whitespace() || c == '\'' || c == ',' || c == '(' || c == ')')
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
}

/// Returns true if and only if `c` ends a clause for the actor rules: a
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
        APT28\tRU\tespionage\tG0007\tFancy Bear|?Grizzly Steppe|Sofacy|Sednit\n\
        APT29\tRU\tespionage\tG0016\tCozy Bear|?Grizzly Steppe\n\
        GOLD SOUTHFIELD\tRU\tfinancial\tG0115\t$REvil|Pinchy Spider\n\
        Mummy Spider\t\tfinancial\t\t~Emotet\n\
        Mallard Spider\t\tfinancial\t\t~Qbot\n\
        Indrik Spider\tRU\tfinancial\tG0119\tEvil Corp|~Dridex\n\
        $DarkSide\tRU\tfinancial\t\t\n\
        $BlackCat\t\tfinancial\t\t$ALPHV|Alpha Spider\n\
        $LockBit\t\tfinancial\t\t$LockBit 3.0\n\
        $Cl0p\t\tfinancial\t\t$Clop\n\
        $RansomHub\t\tfinancial\t\t\n\
        TA505\tRU\tfinancial\tG0092\t\n\
        ~PLATINUM\tSG\tespionage\tG0068\t\n\
        ~Inception\t\tespionage\tG0100\t~Cloud Atlas\n\
        OilRig\tIR\tespionage\tG0049\tHelix Kitten\n\
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
        assert!(actors("the Lazaru5 group").is_empty());
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
        assert!(ents("Emotet malware encrypted the files.")
            .actors
            .is_empty());
        assert!(ents("The Emotet campaigns resumed in November.")
            .actors
            .is_empty());
        assert!(ents("Emotet Malware returns").actors.is_empty());
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

    /// Rule 6: a ransomware brand named as ransomware, or with a version,
    /// is its crew, in any case form with a capital; loaders still need a
    /// word for the people.
    #[test]
    fn ransomware_brands_named_as_ransomware_are_the_crew() {
        let actors = |t: &str| ents(t).actors;
        assert_eq!(
            actors("ALPHV (aka BlackCat) Ransomware Activity"),
            vec!["BlackCat"]
        );
        assert_eq!(actors("LockBit 3.0 IOC's and TTP's"), vec!["LockBit"]);
        assert_eq!(actors("CL0P Ransomware Gang"), vec!["Cl0p"]);
        assert_eq!(actors("CL0P Ransomware Campaign"), vec!["Cl0p"]);
        assert_eq!(
            actors("NEW RANSOMHUB RANSOMWARE VERSION/VARIANT"),
            vec!["RansomHub"]
        );
        assert_eq!(
            actors("a sample of the ransomware RansomHub was"),
            vec!["RansomHub"]
        );
        assert_eq!(
            actors("REvil ransomware encrypted the files."),
            vec!["GOLD SOUTHFIELD"]
        );
        assert_eq!(actors("Lockbit v2 notes"), vec!["LockBit"]);
        // Not named as ransomware, lower case, a year, a loader.
        assert!(actors("LockBit was seen; RansomHub too.").is_empty());
        assert!(actors("lockbit ransomware and cl0p ransomware").is_empty());
        assert!(actors("LockBit 2023 review").is_empty());
        assert!(actors("Emotet ransomware payloads").is_empty());
        assert!(
            actors("BlackCat (a very long parenthesis of many words here) ransomware").is_empty()
        );
    }

    /// Rule 7: affiliates of a loader, a people word that belongs to the
    /// name before an "and", and detection names are not the group.
    #[test]
    fn affiliates_lists_and_detection_names() {
        let actors = |t: &str| ents(t).actors;
        assert!(actors("TA575 is a Dridex affiliate.").is_empty());
        assert!(actors("Dridex affiliate id 22201").is_empty());
        assert!(actors("Qbot affiliate partner01").is_empty());
        assert_eq!(actors("LockBit affiliates hit a bank"), vec!["LockBit"]);
        assert_eq!(actors("the Dridex gang"), vec!["Indrik Spider"]);
        assert_eq!(actors("the TA505 APT and Emotet campaigns"), vec!["TA505"]);
        assert_eq!(
            actors("threat actors such as TA505 and Emotet"),
            vec!["Mummy Spider", "TA505"]
        );
        assert!(actors("detected as Trojan.Sofacy and Win32/Sednit.A").is_empty());
        assert_eq!(actors("Sofacy used Trojan.Sofacy"), vec!["APT28"]);
    }

    /// Rule 1 refined: code names in capitals, "is a … group", "intrusion
    /// set", "activity group", "operations".
    #[test]
    fn bare_names_with_definitions_and_capitals() {
        let actors = |t: &str| ents(t).actors;
        assert_eq!(
            actors("PLATINUM has consistently targeted governments."),
            vec!["PLATINUM"]
        );
        assert!(actors("PLATINUM HAS TARGETED GOVERNMENTS").is_empty());
        assert!(actors("Platinum prices rose.").is_empty());
        assert_eq!(
            actors("Cloud Atlas is a cyberespionage group."),
            vec!["Inception"]
        );
        assert_eq!(
            actors("Cloud Atlas, a long-running threat actor, returned."),
            vec!["Inception"]
        );
        assert_eq!(actors("the Cobalt intrusion set"), vec!["Cobalt Group"]);
        assert_eq!(actors("PLATINUM activity group"), vec!["PLATINUM"]);
        assert_eq!(actors("Cloud Atlas operations"), vec!["Inception"]);
        assert!(actors("Cobalt is a metal used by the group.").is_empty());
        assert!(actors("Cobalt, a metal in batteries").is_empty());
        assert!(actors("Cobalt is blue.").is_empty());
    }

    /// Rule 12: footnote digits and plurals glued to a name.
    #[test]
    fn footnotes_and_plurals_glued_to_names() {
        let actors = |t: &str| ents(t).actors;
        assert_eq!(actors("attributed to OilRig1 in"), vec!["OilRig"]);
        assert_eq!(actors("Helix Kitten\u{b2}, a group"), vec!["OilRig"]);
        assert_eq!(actors("the Fancy Bears of the GRU"), vec!["APT28"]);
        assert!(actors("OilRig123 and Lazaruses and FANCY BEARS").is_empty());
        assert!(actors("xOilRig1").is_empty());
        assert!(actors("the Cobalt1 group's").is_empty());
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
        assert_eq!(
            ents("**Emotet**\nThe threat actor tracked as TA1 sent it").actors,
            vec!["TA1"]
        );
    }

    #[test]
    fn context_stays_within_the_clause() {
        let e = ents("It distributed payloads such as Qbot and Emotet. This actor is new.");
        assert!(e.actors.is_empty(), "{e:?}");
        assert!(ents("| DarkSide | group |").actors.is_empty());
        assert_eq!(
            ents("**Emotet**\nThe threat actor tracked as TA1 sent it").actors,
            vec!["TA1"]
        );
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
        assert_eq!(
            ents("The Grizzly Steppe report described the intrusions.").actors,
            vec!["Grizzly Steppe (APT28 or APT29)"]
        );
        assert!(ents("grizzly steppe").actors.is_empty());
        assert_eq!(
            ents("Grizzly Steppe, that is Fancy Bear and Cozy Bear").actors,
            vec!["APT28", "APT29"]
        );
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
