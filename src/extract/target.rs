//! Which country mentions name a target: the place of the victims, as opposed
//! to the attacker's home, a vendor's seat or a passing mention.
//!
//! A mention is a target when its own words say so, in one of two ways:
//! 1. The country describes the victims: its name or demonym is followed,
//!    across at most [`MAX_QUALIFIERS`] sector or kind words, by a word for
//!    victims — "Ukrainian government entities", "Israeli organizations",
//!    "South Korea's defense contractors", "US-based companies". "Chinese
//!    government hackers" is not: the word after the qualifiers is no victim.
//! 2. A word of targeting governs it: looking back from the country over
//!    at most [`LOOK_BACK`] words of glue (articles, "and", "in", "across",
//!    qualifiers, other countries of a list), the first other word is a
//!    word of targeting — "targeting Ukraine", "attacks against the US",
//!    "targets in Japan, South Korea, United Arab Emirates" — or a word for
//!    victims with a "in"/"across" between — "organizations in Taiwan",
//!    "entities in Canada, Germany and the U.K.". Anything else on the way
//!    stops the look: "a group based in Iran", "attacks from China",
//!    "against the hostile policies of the US", "C2 servers hosted in
//!    France", "lures in several languages, including German". The phrase
//!    the country opens must end there or name victims ("against Iran.",
//!    not "against Chinese privacy laws").
//!
//! And neither counts when:
//! - the words for victims have no word of attack in their sentence
//!   ("Polish diplomats were expelled");
//! - an attribution word comes just before ("linked the hacking to three
//!   China-based companies", "signed by Chinese companies");
//! - a denial or exclusion comes just before the cue ("avoid encrypting
//!   machines in Russia", "never targeted Ukraine");
//! - the country is a stance ("pro-Ukraine organizations").
//!
//! 3. A passive verb of attack follows it: "Ukraine was hit", "hospitals
//!    have been targeted", "were also breached".
//!
//! A sector trigger (a phrase of `src/kb/sectors.tsv`) is read by the same
//! rules ([`is_victim_sector`]), except that words for consumers ("bank
//! customers") name no victim of the sector and a look-back crosses the
//! items of a list of sectors.
//!
//! Whatever rule found the cue, the clause around it must report an attack:
//! a denial, advice or supposition anywhere in it ("There is no evidence of
//! exploitation affecting Western Australian Government networks",
//! "organisations using X should patch", "could be used against
//! hospitals") voids it (the `clause` module).
//!
//! A sentence is read at most [`MAX_SENTENCE`] bytes either way.
//!
//! Everything else is no evidence either way: the country stays among the
//! report's countries and is not a target. The rules are deliberately
//! narrow; a target facet that lists the attacker's home would be worse than
//! one that misses a victim.

use super::clause;

/// Words for victims, after a country ("Ukrainian organizations") or before
/// "in" and a country ("organizations in Ukraine").
const VICTIM_NOUNS: &[&str] = &[
    "organizations",
    "organisations",
    "organization",
    "organisation",
    "entities",
    "entity",
    "companies",
    "company",
    "firms",
    "businesses",
    "enterprises",
    "agencies",
    "ministries",
    "embassies",
    "embassy",
    "banks",
    "bank",
    "institutions",
    "providers",
    "contractors",
    "manufacturers",
    "utilities",
    "hospitals",
    "substations",
    "facilities",
    "plants",
    "retailers",
    "retailer",
    "airlines",
    "hotels",
    "restaurants",
    "computers",
    "devices",
    "machines",
    "recipients",
    "universities",
    "schools",
    "municipalities",
    "networks",
    "sector",
    "sectors",
    "users",
    "customers",
    "victims",
    "diplomats",
    "journalists",
    "employees",
    "staff",
    "dissidents",
    "activists",
    "resources",
    "personnel",
    "industries",
];

/// Words for victims that are people or things of the public rather than an
/// organisation of a sector: "bank customers" are victims, but no bank was
/// hit.
const CONSUMERS: &[&str] = &[
    "users",
    "customers",
    "clients",
    "consumers",
    "recipients",
    "computers",
    "devices",
    "machines",
    "accounts",
    "victims",
];

/// Words that may stand between a country and its victim noun: sectors and
/// kinds of organisation ("Ukrainian government entities", "Taiwanese
/// semiconductor manufacturers").
const QUALIFIERS: &[&str] = &[
    "government",
    "governmental",
    "military",
    "defense",
    "defence",
    "energy",
    "financial",
    "banking",
    "public",
    "private",
    "state",
    "critical",
    "healthcare",
    "health",
    "telecommunications",
    "telecom",
    "telco",
    "media",
    "news",
    "aerospace",
    "industrial",
    "academic",
    "research",
    "diplomatic",
    "educational",
    "education",
    "local",
    "federal",
    "regional",
    "municipal",
    "manufacturing",
    "technology",
    "tech",
    "semiconductor",
    "internet",
    "service",
    "cloud",
    "software",
    "broadband",
    "retail",
    "insurance",
    "airline",
    "hotel",
    "restaurant",
    "logistics",
    "shipping",
    "maritime",
    "transportation",
    "water",
    "oil",
    "gas",
    "nuclear",
    "other",
    "several",
    "many",
    "major",
    "large",
    "small",
];

/// Words of targeting that make a victim of a country after them in the
/// same sentence ("targeting Ukraine", "attacks against Poland").
const TARGET_CUES: &[&str] = &[
    "targeting",
    "targetting",
    "targeted",
    "targets",
    "target",
    "against",
    "attacking",
    "attacked",
    "attacks",
    "hit",
    "hits",
    "hitting",
    "compromised",
    "compromises",
    "compromising",
    "breached",
    "breaching",
    "infected",
    "infecting",
    "victimized",
    "impacting",
    "impacted",
    "drained",
    "draining",
    "robbed",
    "robbing",
    "looted",
    "attack",
    "compromise",
    "spy",
    "spying",
    "spied",
    "infiltrated",
    "infiltrating",
    "penetrated",
    "extorted",
    "extorting",
    "disrupted",
    "disrupting",
    "sabotaged",
];

/// How many sector or kind words may stand between a country and its victim
/// noun.
const MAX_QUALIFIERS: usize = 3;

/// How many words before a country are looked at for a cue.
const LOOK_BACK: usize = 8;

/// Which facet a victim cue is read for: the rules differ in a few words.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Facet {
    /// A country: "Brazilian users" are victims in Brazil.
    Country,
    /// A sector: "bank customers" are no bank that was hit, and sector
    /// names come in long lists ("entities in manufacturing, automotive,
    /// food and beverage, banking and agriculture").
    Sector,
}

impl Facet {
    /// How many words before the mention are looked at for a cue.
    fn look_back(self) -> usize {
        match self {
            Facet::Country => LOOK_BACK,
            Facet::Sector => SECTOR_LOOK_BACK,
        }
    }

    /// How many unlisted lower-case words a look-back may cross as items of
    /// a list (each followed by a comma or "and"/"or").
    fn list_words(self) -> usize {
        match self {
            Facet::Country => 0,
            Facet::Sector => MAX_LIST_WORDS,
        }
    }
}

/// How many words before a sector trigger are looked at for a cue.
const SECTOR_LOOK_BACK: usize = 14;

/// How many describing words may stand right before a sector trigger
/// ("high-voltage electrical substations").
const MAX_MODIFIERS: usize = 2;

/// How many unlisted words of a list of sectors a look-back may cross.
const MAX_LIST_WORDS: usize = 6;

/// How many earlier countries of a list a look-back may cross.
const MAX_LISTED_COUNTRIES: usize = 40;

/// Returns true if and only if the country mention `text[start..end]` names
/// the place of the victims (rules in the module documentation).
///
/// A word of targeting before the country governs the phrase the country
/// opens, so rule 2 holds only when that phrase ends there ("against Iran.",
/// "targeting Ukraine in May", "against the Iranian government.") or names
/// victims — not in "against the U.S. Flag Code" or "against Chinese
/// privacy laws". Words for victims (rule 1, and rule 2's "organizations in
/// …") also need a word of attack in the sentence: "Polish diplomats were
/// expelled" and "Russian technology companies were sanctioned" are no
/// targets.
///
/// `countries` holds the byte ranges of the country mentions before this
/// one, in text order: rule 2 looks back across them as across a list
/// ("targets in Japan, South Korea, United Arab Emirates").
pub fn is_target(text: &str, start: usize, end: usize, countries: &[(usize, usize)]) -> bool {
    // "pro-Ukraine organizations", "anti-American hackers": a stance, not
    // a place.
    let lead = &text.as_bytes()[..start];
    let ends_with =
        |p: &[u8]| lead.len() >= p.len() && lead[lead.len() - p.len()..].eq_ignore_ascii_case(p);
    if ends_with(b"pro-") || ends_with(b"anti-") {
        return false;
    }
    let cue = match phrase_after(&text[end..], Facet::Country) {
        After::Victims => {
            let before = &text[sentence_start(&text[..start])..start];
            if in_last_words(before, ATTRIBUTION_BACK, ATTRIBUTING) {
                Cue::None
            } else {
                Cue::Victims
            }
        }
        After::End => match cue_before(text, start, countries, Facet::Country) {
            Cue::None if passive_attack(&text[end..]) => Cue::Targeting,
            cue => cue,
        },
        After::Other | After::Attacked | After::Consumers => Cue::None,
    };
    let found = match cue {
        Cue::None => false,
        Cue::Targeting => true,
        Cue::Victims => attack_context(text, start, end, ATTACK_STEMS),
    };
    found && clause::reports(text, start, end)
}

/// Returns true if and only if the sector trigger `text[start..end]` names
/// the sector of victims: a word of targeting governs it ("targeting
/// banks", "attacks against the energy sector", "compromised hospitals,
/// schools and government agencies"), a word for victims is placed in it
/// ("organizations in the healthcare sector", "entities in manufacturing,
/// automotive and banking") with a word of attack (`attack_stems`) in the
/// sentence, or a passive verb of attack follows it ("government agencies
/// were breached"). As for countries, the clause must report
/// ([`clause::reports`]). `spans` holds the earlier country and sector
/// mentions, in text order, crossed as items of a list.
pub(super) fn is_victim_sector(
    text: &str,
    start: usize,
    end: usize,
    spans: &[(usize, usize)],
    attack_stems: &[&str],
) -> bool {
    let rest = &text[end..];
    let cue = match phrase_after(rest, Facet::Sector) {
        After::Victims => Cue::Victims,
        After::Attacked => Cue::Targeting,
        After::Consumers => Cue::None,
        // "Several hospitals hit during…", "banks breached by…": a bare
        // participle (an organisation is rarely the attacker).
        _ if bare_participle(rest) => Cue::Targeting,
        // A trigger that describes ("banking", "healthcare") names no
        // victim before any other word ("banking trojan"); one that is a
        // noun phrase ("the energy sector", "banks") has ended whatever
        // follows it ("…the energy sector continued").
        After::Other if !is_noun_phrase(&text[start..end]) => Cue::None,
        After::End | After::Other => match cue_before(text, start, spans, Facet::Sector) {
            Cue::None if passive_attack(rest) => Cue::Targeting,
            cue => cue,
        },
    };
    let found = match cue {
        Cue::None => false,
        Cue::Targeting => true,
        Cue::Victims => attack_context(text, start, end, attack_stems),
    };
    found && clause::reports(text, start, end)
}

/// Auxiliaries of a passive: "Ukraine was hit", "have been targeted".
const AUXILIARIES: &[&str] = &[
    "was", "were", "is", "are", "has", "have", "had", "been", "being", "be", "got", "get", "gets",
];

/// Adverbs that may stand in a passive: "were also targeted".
const PASSIVE_ADVERBS: &[&str] = &[
    "also",
    "reportedly",
    "allegedly",
    "likely",
    "successfully",
    "recently",
    "repeatedly",
    "previously",
    "already",
    "directly",
    "primarily",
    "mainly",
    "mostly",
    "increasingly",
    "specifically",
    "frequently",
    "heavily",
    "actively",
    "all",
];

/// Participles of attack after an auxiliary: "was hit", "were breached".
const ATTACK_PARTICIPLES: &[&str] = &[
    "targeted",
    "targetted",
    "attacked",
    "hit",
    "compromised",
    "breached",
    "infected",
    "victimized",
    "victimised",
    "hacked",
    "struck",
    "phished",
    "penetrated",
    "infiltrated",
    "spied",
    "extorted",
];

/// Returns true if and only if the trigger `phrase` ends in a noun: a word
/// for victims ("government agencies", "energy sector") or a plural
/// ("banks", "hospitals", "ministries").
fn is_noun_phrase(phrase: &str) -> bool {
    let last = super::words(phrase).next_back().unwrap_or("");
    is_in(VICTIM, last) || (last.len() > 3 && last.ends_with('s') && !last.ends_with("ss"))
}

/// Returns true if and only if the first word of `rest` is a participle of
/// attack ("hospitals hit by ransomware").
fn bare_participle(rest: &str) -> bool {
    super::words(&rest[..sentence_end(rest)])
        .next()
        .is_some_and(|w| ATTACK_PARTICIPLES.contains(&w.to_ascii_lowercase().as_str()))
}

/// Nouns of an attack that make a victim of the sector before them: "the
/// UK retail attacks", "hospital ransomware cases", "healthcare breaches".
const ATTACK_NOUNS: &[&str] = &[
    "attack",
    "attacks",
    "cyberattack",
    "cyberattacks",
    "cyber-attack",
    "cyber-attacks",
    "breach",
    "breaches",
    "intrusion",
    "intrusions",
    "compromise",
    "compromises",
    "hack",
    "hacks",
    "heist",
    "heists",
    "ransomware",
    "incident",
    "incidents",
];

/// Rule 3: the words after a mention are a passive verb of attack — an
/// auxiliary or two, at most one adverb, then a participle of attack:
/// "Ukraine was hit", "hospitals have been targeted", "were also breached".
fn passive_attack(rest: &str) -> bool {
    let rest = &rest[..sentence_end(rest)];
    let mut auxiliaries = 0;
    let mut adverbs = 0;
    for w in super::words(rest).take(5) {
        let lower = w.to_ascii_lowercase();
        let lower = lower.as_str();
        if AUXILIARIES.contains(&lower) {
            auxiliaries += 1;
        } else if auxiliaries > 0 && adverbs == 0 && PASSIVE_ADVERBS.contains(&lower) {
            adverbs += 1;
        } else {
            return auxiliaries > 0 && ATTACK_PARTICIPLES.contains(&lower);
        }
    }
    false
}

/// What the words before a country say of it.
#[derive(Debug, PartialEq)]
enum Cue {
    /// Nothing.
    None,
    /// A word of targeting governs it: "targeting Ukraine".
    Targeting,
    /// A word for victims: "organizations in Taiwan" (or, from rule 1,
    /// after it: "Taiwanese organizations").
    Victims,
}

/// What follows a country mention, across qualifiers.
#[derive(Debug, PartialEq)]
enum After {
    /// A word for victims: "Ukrainian government entities".
    Victims,
    /// Nothing more of the phrase: punctuation, the end of the text or a
    /// word that starts something else ("against Iran.", "Ukraine in May").
    End,
    /// Any other word: "Chinese government hackers", "Russia-linked".
    Other,
    /// For a sector, a noun of attack: "the UK retail attacks".
    Attacked,
    /// For a sector, a word for consumers: "bank customers".
    Consumers,
}

/// Rule 1: reads the words after a country mention, across at most
/// [`MAX_QUALIFIERS`] qualifiers (and a name right after "and"/"or":
/// "Canadian and U.S. businesses"). For a sector, the words for consumers
/// ("bank customers", "banking users") name no victim of the sector.
fn phrase_after(rest: &str, facet: Facet) -> After {
    let mut rest = rest
        .strip_prefix("'s")
        .or_else(|| rest.strip_prefix("-based"))
        .unwrap_or(rest);
    // A hyphenated origin ("Russia-linked") or a suffix is not a noun phrase.
    if rest.starts_with('-') {
        return After::Other;
    }
    // Once the phrase goes on as a list ("Poland and Germany", "the UK and
    // the United States and several other countries"), what follows is no
    // longer this country's noun: it ends the phrase instead of voiding it.
    let mut listed = false;
    let mut qualified = false;
    let other = |listed: bool| if listed { After::End } else { After::Other };
    for _ in 0..=MAX_QUALIFIERS {
        let t = rest.trim_start_matches([' ', '\t']);
        if !t.starts_with(char::is_alphanumeric) {
            return After::End;
        }
        let n = t
            .find(|c: char| !(c.is_alphanumeric() || c == '.' || c == '-'))
            .unwrap_or(t.len());
        let word = t[..n].trim_end_matches('.');
        // "critical infrastructure", "telecom infrastructure"; not "C2
        // infrastructure".
        if facet == Facet::Sector {
            if is_in(CONSUMER, word) {
                return After::Consumers;
            }
            if ATTACK_NOUNS.contains(&word.to_ascii_lowercase().as_str()) {
                return After::Attacked;
            }
        }
        if is_in(VICTIM, word) || (qualified && word.eq_ignore_ascii_case("infrastructure")) {
            return After::Victims;
        }
        if is_in(FOLLOWER, word) {
            return After::End;
        }
        if word.eq_ignore_ascii_case("and") || word.eq_ignore_ascii_case("or") {
            listed = true;
        } else if is_in(QUALIFIER, word) {
            qualified = true;
        } else if !(listed && is_name(word)) {
            return other(listed);
        }
        // An abbreviation ("U.S.") keeps its last dot; a word ending a
        // sentence ("government.") leaves it for the next turn.
        rest = &t[if word.contains('.') { n } else { word.len() }..];
    }
    other(listed)
}

/// Words that may stand between a word of targeting or of victims and the
/// country it governs.
const GLUE: &[&str] = &[
    "the",
    "a",
    "an",
    "and",
    "or",
    "of",
    "both",
    "including",
    "include",
    "includes",
    "included",
    "such",
    "as",
    "like",
    "namely",
    "especially",
    "particularly",
    "mainly",
    "mostly",
    "primarily",
    "countries",
    "nations",
    "regions",
    "multiple",
    "various",
];

/// Prepositions of place that join a word for victims to its country.
const PLACE: &[&str] = &["in", "across", "throughout", "within", "located"];

/// Words that start something after a country's phrase (a preposition, a
/// verb, a conjunction): "targeting Ukraine in May", "against Poland since
/// 2022", "attacks against Ukraine were". The phrase has ended there.
const FOLLOWERS: &[&str] = &[
    "in",
    "on",
    "at",
    "since",
    "during",
    "abroad",
    "elsewhere",
    "with",
    "from",
    "between",
    "through",
    "via",
    "using",
    "over",
    "throughout",
    "across",
    "before",
    "after",
    "until",
    "last",
    "this",
    "earlier",
    "as",
    "for",
    "is",
    "are",
    "was",
    "were",
    "has",
    "have",
    "had",
    "which",
    "that",
    "who",
    "where",
    "when",
    "while",
    "but",
];

/// Rule 2: looking back from the country over glue, a word of targeting, or
/// a word for victims across a preposition of place. For a sector, up to
/// [`MAX_LIST_WORDS`] unlisted lower-case words are crossed as items of a
/// list when a comma or "and"/"or" follows each ("the health,
/// pharmaceutical, technological, manufacturing and logistics sectors").
fn cue_before(text: &str, start: usize, countries: &[(usize, usize)], facet: Facet) -> Cue {
    let from = sentence_start(&text[..start]);
    // The earlier countries of the sentence, each read as one word of glue.
    let earlier = &countries[countries.partition_point(|&(s, _)| s < from)..];
    let look_back = facet.look_back();
    let mut list_words = facet.list_words();
    let mut in_country: Option<(usize, usize)> = None;
    let mut listed_countries = 0;
    let mut placed = false;
    let mut looked = 0;
    // The word after this one, in text order.
    let mut next: Option<&str> = None;
    // For a sector, the words right before the trigger may describe it:
    // "attacking high-voltage electrical substations".
    let mut modifiers = if facet == Facet::Sector {
        MAX_MODIFIERS
    } else {
        0
    };
    for w in super::words(&text[from..start]).rev() {
        let at = w.as_ptr() as usize - text.as_ptr() as usize;
        let after = next.replace(w);
        if let Some(&span) = earlier.iter().find(|&&(s, e)| s <= at && at < e) {
            // A list of countries ("recipients in Austria, Chile, …, Spain,
            // Sweden") is crossed whole: its items cost no look-back, up to
            // MAX_LISTED_COUNTRIES of them.
            if in_country != Some(span) {
                in_country = Some(span);
                listed_countries += 1;
            }
            if listed_countries > MAX_LISTED_COUNTRIES {
                break;
            }
            continue;
        }
        looked += 1;
        if looked > look_back {
            break;
        }
        if is_in(TARGETING, w) {
            return if in_last_words(&text[from..at], NEGATION_BACK, NEGATION) {
                Cue::None
            } else {
                Cue::Targeting
            };
        }
        if is_in(VICTIM, w) {
            return if placed && !in_last_words(&text[from..at], NEGATION_BACK, NEGATION) {
                Cue::Victims
            } else {
                Cue::None
            };
        }
        if is_in(PLACE_WORD, w) {
            placed = true;
            continue;
        }
        if is_in(GLUE_WORD | QUALIFIER, w) {
            modifiers = 0;
            continue;
        }
        if modifiers > 0
            && looked <= MAX_MODIFIERS
            && w.starts_with(|c: char| c.is_ascii_lowercase())
            && !text[at + w.len()..].starts_with(',')
        {
            modifiers -= 1;
            continue;
        }
        modifiers = 0;
        // An item of a list: "food and beverage, banking".
        let listed = text[at + w.len()..].starts_with(',')
            || after.is_some_and(|a| a.eq_ignore_ascii_case("and") || a.eq_ignore_ascii_case("or"));
        if list_words > 0 && listed && w.starts_with(|c: char| c.is_ascii_lowercase()) {
            list_words -= 1;
            continue;
        }
        return Cue::None;
    }
    Cue::None
}

/// Words that deny or exclude what follows them: "avoid encrypting machines
/// in Russia", "never targeted Ukraine", "no evidence of attacks against
/// Poland".
const NEGATIONS: &[&str] = &[
    "avoid",
    "avoids",
    "avoiding",
    "avoided",
    "except",
    "excluding",
    "exclude",
    "excludes",
    "spare",
    "spares",
    "sparing",
    "spared",
    "skip",
    "skips",
    "not",
    "never",
    "no",
    "nor",
    "without",
];

/// How many words before a cue are looked at for a denial.
const NEGATION_BACK: usize = 4;

/// Returns true if and only if one of the last `n` words of `before`
/// belongs to one of the `classes`: a denial before a cue
/// ([`NEGATION_BACK`], [`NEGATIONS`]), an attribution before a country
/// ([`ATTRIBUTION_BACK`], [`ATTRIBUTION`]).
fn in_last_words(before: &str, n: usize, classes: u16) -> bool {
    super::words(before)
        .rev()
        .take(n)
        .any(|w| is_in(classes, w))
}

/// Word classes of [`class_of`]: which lists a word is on.
const VICTIM: u16 = 1;
const QUALIFIER: u16 = 1 << 1;
const TARGETING: u16 = 1 << 2;
const PLACE_WORD: u16 = 1 << 3;
const GLUE_WORD: u16 = 1 << 4;
const FOLLOWER: u16 = 1 << 5;
const NEGATION: u16 = 1 << 6;
const ATTRIBUTING: u16 = 1 << 7;
const CONSUMER: u16 = 1 << 8;

/// Each word list with its class.
const LISTS: [(&[&str], u16); 9] = [
    (VICTIM_NOUNS, VICTIM),
    (QUALIFIERS, QUALIFIER),
    (TARGET_CUES, TARGETING),
    (PLACE, PLACE_WORD),
    (GLUE, GLUE_WORD),
    (FOLLOWERS, FOLLOWER),
    (NEGATIONS, NEGATION),
    (ATTRIBUTION, ATTRIBUTING),
    (CONSUMERS, CONSUMER),
];

/// Every listed word with the classes it belongs to.
static CLASSES: std::sync::LazyLock<rustc_hash::FxHashMap<&'static [u8], u16>> =
    std::sync::LazyLock::new(|| {
        let mut m = rustc_hash::FxHashMap::default();
        for (list, class) in LISTS {
            for w in list {
                *m.entry(w.as_bytes()).or_insert(0) |= class;
            }
        }
        m
    });

/// The longest listed word, in bytes; longer words are on no list.
const LONGEST_WORD: usize = 24;

/// The classes of `word` (any ASCII case): one hash look-up of its lower
/// case, made on the stack, instead of a scan of every list.
fn class_of(word: &str) -> u16 {
    let b = word.as_bytes();
    if b.len() > LONGEST_WORD || !b.is_ascii() {
        return 0;
    }
    let mut buf = [0u8; LONGEST_WORD];
    let lower = &mut buf[..b.len()];
    lower.copy_from_slice(b);
    lower.make_ascii_lowercase();
    CLASSES.get(&*lower).copied().unwrap_or(0)
}

/// Returns true if and only if `word` (any ASCII case) belongs to one of
/// the `classes`.
fn is_in(classes: u16, word: &str) -> bool {
    class_of(word) & classes != 0
}

/// Words that make the attackers' side of the organisations after them:
/// "linked the operations to three China-based companies", "drivers signed
/// by Chinese companies". A bare "by" is not among them: "substations run
/// by a Ukrainian energy company" are the victims.
const ATTRIBUTION: &[&str] = &[
    "link",
    "links",
    "linked",
    "tie",
    "ties",
    "tied",
    "attribute",
    "attributes",
    "attributed",
    "connect",
    "connects",
    "connected",
    "blame",
    "blamed",
    "blames",
    "behind",
    "signed",
    "sponsored",
    "backed",
    "hired",
    "employed",
];

/// How many words before a country are looked at for an attribution word.
const ATTRIBUTION_BACK: usize = 5;

/// Stems of the words of attack that make victims of the organisations of a
/// sentence ("claimed access to a Malaysian logistics company", "the Saudi
/// energy company Aramco was the victim", "cyber-attacks against companies
/// in Thailand").
const ATTACK_STEMS: &[&str] = &[
    "attack",
    "target",
    "compromis",
    "breach",
    "hack",
    "phish",
    "ransom",
    "malware",
    "victim",
    "access",
    "exploit",
    "infect",
    "stole",
    "steal",
    "leak",
    "ddos",
    "extort",
    "lure",
    "espionage",
    "intrusion",
    "deployed",
    "threat",
    "campaign",
    "impersonat",
    "fraud",
    "scam",
    "credential",
    "login",
    "spy",
    "spied",
    "surveil",
    "backdoor",
    "trojan",
    "wiper",
    "hit",
    "cyberattack",
    "against",
];

/// Returns true if and only if the sentence around `text[start..end]` holds a
/// word that starts with one of the `stems` (any case): [`ATTACK_STEMS`]
/// for a country.
fn attack_context(text: &str, start: usize, end: usize, stems: &[&str]) -> bool {
    let from = sentence_start(&text[..start]);
    let to = end + sentence_end(&text[end..]);
    text[from..to]
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| {
            stems.iter().any(|stem| {
                w.as_bytes()
                    .get(..stem.len())
                    .is_some_and(|head| head.eq_ignore_ascii_case(stem.as_bytes()))
            })
        })
}

/// Returns true if and only if `w` is a capitalised word of letters and
/// dots ("U.S"): the second of two countries ("Canadian and U.S.
/// businesses"). A name with digits ("APT28") is not one.
fn is_name(w: &str) -> bool {
    w.starts_with(char::is_uppercase) && w.chars().all(|c| c.is_alphabetic() || c == '.')
}

/// How far (in bytes) a sentence is read on either side of a country: the
/// rules look at a few words only, and a text without sentence ends must not
/// make every mention read all of it.
const MAX_SENTENCE: usize = 500;

/// Returns the byte position just after the last sentence end in `s`: a
/// question or exclamation mark, a colon or semicolon, a line break, a
/// table-cell bar, or a full stop after a lower-case letter or a digit (the
/// dots of "U.S." and "U.K." end nothing); or, with none in the last
/// [`MAX_SENTENCE`] bytes, the first character boundary there.
pub(super) fn sentence_start(s: &str) -> usize {
    let mut lo = s.len().saturating_sub(MAX_SENTENCE);
    while !s.is_char_boundary(lo) {
        lo += 1;
    }
    let b = s.as_bytes();
    (lo..b.len())
        .rev()
        .find(|&i| is_end(b, i))
        .map_or(lo, |i| i + 1)
}

/// The byte length of the rest of the sentence that `s` continues, up to and
/// without its end (read as [`sentence_start`] reads them), at most about
/// [`MAX_SENTENCE`] bytes.
pub(super) fn sentence_end(s: &str) -> usize {
    let mut hi = s.len().min(MAX_SENTENCE);
    while !s.is_char_boundary(hi) {
        hi -= 1;
    }
    let b = s.as_bytes();
    (0..hi).find(|&i| is_end(b, i)).unwrap_or(hi)
}

/// Returns true if and only if `b[i]` ends a sentence (see
/// [`sentence_start`]).
fn is_end(b: &[u8], i: usize) -> bool {
    match b[i] {
        b'.' => i > 0 && (b[i - 1].is_ascii_lowercase() || b[i - 1].is_ascii_digit()),
        c => matches!(c, b'!' | b'?' | b':' | b';' | b'\n' | b'|'),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The country mention is the first occurrence of `country` in `text`;
    /// the earlier mentions are those of a few country names.
    fn target(text: &str, country: &str) -> bool {
        let start = text.find(country).expect("country in text");
        let mut earlier: Vec<(usize, usize)> = [
            "Japan",
            "South Korea",
            "U.K.",
            "Germany",
            "Canada",
            "China",
            "US",
            "Russia",
        ]
        .iter()
        .flat_map(|c| text.match_indices(c).map(|(i, m)| (i, i + m.len())))
        .filter(|&(_, e)| e <= start)
        .filter(|&(s, e)| {
            let alnum = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
            !alnum(text[..s].chars().next_back()) && !alnum(text[e..].chars().next())
        })
        .collect();
        earlier.sort_unstable();
        is_target(text, start, start + country.len(), &earlier)
    }

    /// Every listed word fits the look-up buffer and is found in any case.
    #[test]
    fn every_listed_word_has_its_class() {
        for (list, class) in LISTS {
            for w in list {
                assert!(w.len() <= LONGEST_WORD, "{w}");
                assert_eq!(*w, w.to_lowercase(), "lists are lower case");
                assert!(is_in(class, w), "{w}");
                assert!(is_in(class, &w.to_uppercase()), "{w}");
            }
        }
        assert_eq!(class_of("Organizationsx"), 0);
        assert_eq!(class_of("organizaçõe"), 0);
    }

    /// A long list of countries after one cue is read whole.
    #[test]
    fn long_country_lists_after_a_cue() {
        let kb = crate::kb::Kb::builtin().unwrap();
        let t = "The actor sent low volume campaigns to recipients in Austria, Chile, \
                 Greece, Hungary, Italy, North Macedonia, Netherlands, Spain, Sweden, \
                 Taiwan, United States, and Uruguay.";
        let targets = crate::extract::entities_in_text(t, &kb).targets;
        assert_eq!(
            targets,
            ["AT", "CL", "ES", "GR", "HU", "IT", "MK", "NL", "SE", "TW", "US", "UY"]
        );
        // Without a cue, a list is no target at all.
        let t = "Offices in Austria, Chile, Greece, Hungary, Italy and Spain.";
        assert!(crate::extract::entities_in_text(t, &kb).targets.is_empty());
    }

    #[test]
    fn victims_described_by_the_country() {
        assert!(target(
            "Ukrainian government entities were hit.",
            "Ukrainian"
        ));
        assert!(target("It phished Israeli organizations.", "Israeli"));
        assert!(target(
            "South Korea's defense contractors were breached",
            "South Korea"
        ));
        assert!(target("several US-based companies were hit", "US"));
        // Victims need a word of attack in their sentence.
        assert!(!target("Polish diplomats were expelled.", "Polish"));
        assert!(!target("It hired US-based companies. They were hit.", "US"));
        assert!(!target("Chinese users find the site slow", "Chinese"));
        assert!(!target("phishing pro-Ukraine organizations", "Ukraine"));
        // The organisations are on the attackers' side.
        assert!(!target(
            "They link the hacking to three China-based companies.",
            "China"
        ));
        assert!(!target("a backdoor signed by Chinese companies", "Chinese"));
        assert!(target(
            "attacking substations run by a Ukrainian energy company",
            "Ukrainian"
        ));
        assert!(!target("Chinese government hackers", "Chinese"));
        assert!(!target("Russian military intelligence", "Russian"));
        assert!(!target("a Russia-linked crew", "Russia"));
        assert!(!target("North Korean operators", "North Korean"));
    }

    #[test]
    fn targeting_words_before_the_country() {
        assert!(target("The campaign targeted Ukraine in May.", "Ukraine"));
        assert!(target("attacks against Poland", "Poland"));
        assert!(target(
            "targeting telecommunications providers in the US and Canada",
            "Canada"
        ));
        assert!(target("victims in Germany and France", "Germany"));
        assert!(target("phishing organizations in Taiwan", "Taiwan"));
        assert!(!target("organizations in Taiwan", "Taiwan"));
        assert!(target(
            "targeting telecom firms in the U.K. and the U.S. since May",
            "U.S."
        ));
    }

    #[test]
    fn origin_words_win_when_they_come_first() {
        assert!(!target("a group based in Iran targeting banks", "Iran"));
        assert!(!target("attacks from China against the US", "China"));
        assert!(target("attacks from China against the US", "US"));
        assert!(!target("intrusions attributed to Russia", "Russia"));
        assert!(!target("operating on behalf of North Korea", "North Korea"));
        // A cue in an earlier sentence does not reach.
        assert!(!target("They targeted banks. Iran denies it.", "Iran"));
        // A denied or excluded cue is none.
        assert!(!target(
            "The malware checks settings to avoid encrypting machines in Russia.",
            "Russia"
        ));
        assert!(!target("The group has never targeted Ukraine.", "Ukraine"));
        assert!(!target("no evidence of attacks against Poland", "Poland"));
        // Nor does a word of attack past the sentence window of a text
        // without full stops.
        let far = format!("hacked {}organizations in Iran", "word ".repeat(150));
        assert!(!target(&far, "Iran"));
        let near = format!("{} hacked organizations in Iran", "word ".repeat(150));
        assert!(target(&near, "Iran"));
        // No evidence either way.
        assert!(!target("Russia's invasion of Ukraine", "Ukraine"));
        // The phrase the country opens decides.
        assert!(!target(
            "a campaign against Chinese privacy laws",
            "Chinese"
        ));
        assert!(target(
            "the operation against the Iranian government.",
            "Iranian"
        ));
        assert!(target("targeting the Chilean bank", "Chilean"));
        assert!(target("hit Canadian and U.S. businesses", "Canadian"));
        assert!(target(
            "It breached 100 organizations in the United States and abroad.",
            "United States"
        ));
        assert!(target(
            "victims in Japan, Canada, the United States and several other countries",
            "United States"
        ));
        assert!(target(
            "the compromise of U.S. telecom infrastructure",
            "U.S."
        ));
        assert!(!target(
            "phishing from C2 infrastructure in France",
            "France"
        ));
        assert!(!target(
            "North Korea's BeagleBoyz Robbing Banks",
            "North Korea"
        ));
        assert!(!target("a post against the U.S. Flag Code", "U.S."));
        // Only countries are crossed as a list.
        assert!(target(
            "targets in Japan, South Korea, United Arab Emirates",
            "United Arab Emirates"
        ));
        assert!(!target(
            "an operation against the DNC, China became",
            "China"
        ));
    }
}
