//! Whether the clause around a victim cue reports an attack, or denies,
//! advises or supposes one.
//!
//! A word for victims or of targeting names victims only in a clause that
//! reports what happened. The same words appear in clauses that say the
//! opposite or nothing of the kind, and there they name no victim, whatever
//! rule found the cue:
//! - a denial: "There is no evidence of exploitation affecting Western
//!   Australian Government networks", "has not received any reports of
//!   exploitation … on Western Australian Government networks", "Attackers
//!   did not target Ukrainian government entities", "Ukraine was never
//!   attacked";
//! - advice, the boilerplate of advisories: "organisations using X should
//!   patch", "CISA urges federal agencies to apply the update", "we recommend
//!   that healthcare providers…";
//! - a supposition: "could be used against hospitals", "if exploited,
//!   banks…", "might target Ukraine" (but "may have targeted Ukraine" reports
//!   a likely attack).
//!
//! Some of these words affirm instead and are read as such: "not only",
//! "not just", "not limited to", "not least", "not new", "no stranger",
//! "not the first", "never-before-seen".
//!
//! The clause is the sentence (as the `target` module reads it) cut at "but",
//! "however", "although", "though", "whereas", "while", "yet" and at a comma
//! whose next word starts with a lower-case letter ("The group, which has no
//! known links, targeted Ukraine": the denial is in another clause); a comma
//! before a capitalised word continues a list ("did not target Japan, South
//! Korea or Taiwan").

use super::target::{sentence_end, sentence_start};

/// What a word says of the clause it is in.
#[derive(Clone, Copy, PartialEq)]
enum Mood {
    /// It reports, or says nothing of the kind.
    Reports,
    /// It denies: "no", "not", "never", "hasn't".
    Denies,
    /// It advises: "should", "urges", "recommend".
    Advises,
    /// It supposes: "could", "might", "if".
    Supposes,
    /// It starts another clause: "but", "however".
    Boundary,
}

/// Words that deny what their clause says.
const DENIALS: &[&str] = &[
    "no",
    "not",
    "never",
    "nor",
    "none",
    "neither",
    "nobody",
    "nothing",
    "cannot",
    "can't",
    "don't",
    "doesn't",
    "didn't",
    "isn't",
    "aren't",
    "wasn't",
    "weren't",
    "hasn't",
    "haven't",
    "hadn't",
    "won't",
    "wouldn't",
    "couldn't",
    "shouldn't",
];

/// Words that advise rather than report.
const ADVICE: &[&str] = &[
    "should",
    "must",
    "recommend",
    "recommends",
    "recommended",
    "recommending",
    "advise",
    "advises",
    "advised",
    "urge",
    "urges",
    "urged",
    "encourage",
    "encourages",
    "encouraged",
];

/// Words that suppose rather than report.
const SUPPOSITIONS: &[&str] = &["could", "might", "may", "would", "if", "unless"];

/// Words that start another clause of the sentence.
const BOUNDARIES: &[&str] = &[
    "but", "however", "although", "though", "whereas", "while", "yet",
];

/// Words after a denial that make it an affirmation: "not only", "not
/// limited to", "no stranger", "never-before-seen".
const AFFIRMING_NEXT: &[&str] = &[
    "only",
    "just",
    "limited",
    "least",
    "new",
    "uncommon",
    "unusual",
    "surprising",
    "surprise",
    "stranger",
    "exception",
    "doubt",
    "first",
    "before",
    "exclusively",
    "merely",
    "simply",
];

/// The mood of `word` (any ASCII case; a typographic apostrophe is read as
/// an ASCII one by the caller's text folding).
fn mood(word: &str) -> Mood {
    let w = word.to_ascii_lowercase();
    let w = w.as_str();
    if DENIALS.contains(&w) || w.ends_with("n't") {
        Mood::Denies
    } else if ADVICE.contains(&w) {
        Mood::Advises
    } else if SUPPOSITIONS.contains(&w) && !(w == "may" && word.starts_with('M')) {
        // "May" with a capital is the month ("targeted Ukraine in May").
        Mood::Supposes
    } else if BOUNDARIES.contains(&w) {
        Mood::Boundary
    } else {
        Mood::Reports
    }
}

/// One word of a clause with what follows it.
struct Word<'a> {
    /// The word, without punctuation around it.
    text: &'a str,
    /// A comma follows it directly.
    comma_after: bool,
}

/// The words of `s` in order, each marked when a comma follows it. Words
/// are split at spaces, commas and brackets; an apostrophe stays inside
/// ("didn't").
fn clause_words(s: &str) -> Vec<Word<'_>> {
    let mut out: Vec<Word<'_>> = Vec::new();
    for piece in s.split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | '[' | ']')) {
        let mut rest = piece;
        while !rest.is_empty() {
            let (head, comma) = match rest.find(',') {
                Some(i) => (&rest[..i], Some(i)),
                None => (rest, None),
            };
            let w = head.trim_matches(|c: char| !(c.is_alphanumeric() || c == '\''));
            let w = w.trim_matches('\'');
            if !w.is_empty() {
                out.push(Word {
                    text: w,
                    comma_after: false,
                });
            }
            match comma {
                Some(i) => {
                    if let Some(last) = out.last_mut() {
                        last.comma_after = true;
                    }
                    rest = &rest[i + 1..];
                }
                None => break,
            }
        }
    }
    out
}

/// Returns true if and only if the clause around `text[start..end]` (a cue
/// or the phrase it governs) reports: no word in it denies, advises or
/// supposes (rules in the module documentation).
pub(super) fn reports(text: &str, start: usize, end: usize) -> bool {
    let mut from = sentence_start(&text[..start]);
    let mut to = end + sentence_end(&text[end..]);
    // The sentence reader keeps a dot after a capital ("U.S.") inside the
    // sentence; for a denial, a dot and a space before a capitalised word
    // end it too ("…including the U.S. The company did not say…").
    if let Some(i) = last_stop(&text[from..start]) {
        from += i;
    }
    if let Some(i) = first_stop(&text[end..to]) {
        to = end + i;
    }
    let before = clause_words(&text[from..start]);
    let after = clause_words(&text[end..to]);
    // "If exploited, banks …": a condition opening the sentence governs
    // the clause after its comma.
    if before.first().is_some_and(|w| is_conditional(w.text)) {
        return false;
    }
    // Looking back: a boundary word, or a comma before a lower-case word,
    // ends the clause.
    let mut next: Option<&Word<'_>> = None;
    for (i, w) in before.iter().enumerate().rev() {
        if w.comma_after && next.is_none_or(|n| !starts_upper(n.text)) {
            break;
        }
        match mood(w.text) {
            Mood::Boundary => break,
            Mood::Reports => {}
            m => {
                let following = before.get(i + 1).or(after.first());
                if !affirms(m, following) {
                    return false;
                }
            }
        }
        next = Some(w);
    }
    // Looking ahead, the same.
    for (i, w) in after.iter().enumerate() {
        match mood(w.text) {
            Mood::Boundary => break,
            Mood::Reports => {}
            m => {
                if !affirms(m, after.get(i + 1)) {
                    return false;
                }
            }
        }
        if w.comma_after && after.get(i + 1).is_none_or(|n| !starts_upper(n.text)) {
            break;
        }
    }
    true
}

/// Returns true if and only if a word of mood `m` followed by `next` still
/// reports: "not only", "may have targeted".
fn affirms(m: Mood, next: Option<&Word<'_>>) -> bool {
    let Some(next) = next else {
        return false;
    };
    let n = next.text.to_ascii_lowercase();
    match m {
        Mood::Denies => AFFIRMING_NEXT.contains(&n.as_str()),
        Mood::Supposes => n == "have",
        _ => false,
    }
}

/// The byte position of the first ". " before a capital letter in `s`.
fn first_stop(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    (0..b.len().saturating_sub(2))
        .find(|&i| b[i] == b'.' && b[i + 1] == b' ' && b[i + 2].is_ascii_uppercase())
}

/// The byte position just after the last ". " before a capital letter in
/// `s`.
fn last_stop(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    (0..b.len().saturating_sub(2))
        .rev()
        .find(|&i| b[i] == b'.' && b[i + 1] == b' ' && b[i + 2].is_ascii_uppercase())
        .map(|i| i + 2)
}

/// Returns true if and only if `w` is "if" or "unless" (any case).
fn is_conditional(w: &str) -> bool {
    w.eq_ignore_ascii_case("if") || w.eq_ignore_ascii_case("unless")
}

/// Returns true if and only if `w` starts with an upper-case letter.
fn starts_upper(w: &str) -> bool {
    w.starts_with(char::is_uppercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The clause around the first occurrence of `cue` in `text` reports.
    fn ok(text: &str, cue: &str) -> bool {
        let s = text.find(cue).expect("cue in text");
        reports(text, s, s + cue.len())
    }

    #[test]
    fn denials_anywhere_in_the_clause() {
        let wa = "There is no evidence of exploitation affecting Western Australian Government networks at the time of publishing.";
        assert!(!ok(wa, "Western Australian"));
        let wa2 = "The WASOC has not received any reports of exploitation of this vulnerability on Western Australian Government networks at the time of writing.";
        assert!(!ok(wa2, "Western Australian"));
        assert!(!ok(
            "Attackers did not target Ukrainian government entities.",
            "Ukrainian"
        ));
        assert!(!ok("Ukraine was never attacked by the group.", "Ukraine"));
        assert!(!ok("Hospitals weren't hit.", "Hospitals"));
        assert!(!ok(
            "The group did not target Japan, South Korea or Taiwan.",
            "Taiwan"
        ));
        assert!(ok("The group targeted hospitals in Ukraine.", "Ukraine"));
    }

    #[test]
    fn clauses_end_at_conjunctions_and_commas() {
        assert!(ok(
            "No exploitation was seen in Poland, but the group attacked Ukraine.",
            "Ukraine"
        ));
        assert!(ok(
            "The group, which has no known links, targeted Ukraine.",
            "Ukraine"
        ));
        assert!(!ok(
            "No active exploitation has been observed in Australia, however endpoints were found.",
            "Australia"
        ));
        // Another sentence does not reach.
        assert!(ok("It is not new. They hacked banks in Chile.", "Chile"));
        assert!(ok(
            "It hit agencies in Ukraine and the U.S. The company did not say how many.",
            "Ukraine"
        ));
    }

    #[test]
    fn affirming_phrases_report() {
        assert!(ok(
            "It targeted not only Ukraine but also Poland.",
            "Ukraine"
        ));
        assert!(ok(
            "Targets include, but are not limited to, banks in Chile.",
            "Chile"
        ));
        assert!(ok("A never-before-seen wiper hit Ukraine.", "Ukraine"));
        assert!(ok("The group may have breached banks in Chile.", "Chile"));
        assert!(ok("The campaign targeted Ukraine in May.", "Ukraine"));
    }

    #[test]
    fn advice_and_suppositions_do_not_report() {
        assert!(!ok(
            "Australian organisations using Citrix should patch, as the flaw is exploited.",
            "Australian"
        ));
        assert!(!ok(
            "CISA urges federal agencies to apply the update.",
            "federal agencies"
        ));
        assert!(!ok(
            "The TTPs could be employed against critical infrastructure in Canada.",
            "Canada"
        ));
        assert!(!ok("If exploited, banks in Chile lose data.", "Chile"));
        assert!(!ok(
            "We recommend that healthcare providers block the domains.",
            "healthcare providers"
        ));
    }
}
