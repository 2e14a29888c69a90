//! Snippets: the best excerpt of a body for a query, as text plus highlight
//! ranges. No markup: renderers decide how to show highlights.

use crate::model::Snippet;
use aho_corasick::AhoCorasick;
use std::collections::{BTreeMap, BTreeSet};
use tantivy::query::Query;
use tantivy::schema::Field;
use tantivy::snippet::SnippetGenerator;
use tantivy::{Score, Searcher, Term};

/// Longest snippet, in characters.
pub const SNIPPET_CHARS: usize = 220;

/// Bytes of body kept before and after the first place a query term
/// occurs, when the body is longer than `WINDOW_BEFORE + WINDOW_AFTER`.
const WINDOW_BEFORE: usize = 1_000;
const WINDOW_AFTER: usize = 2_000;

/// Weight added to a term the user typed, so that a passage holding one
/// always beats a passage holding only names that alias expansion added
/// (the inverse document frequency weights are all below 1).
const TYPED_BONUS: Score = 1.0;

/// Factor on the weight of a term that only occurs inside an expanded
/// multi-word name ("Bear" of "Fancy Bear"): it may break ties, not choose
/// the passage.
const PHRASE_ONLY_FACTOR: Score = 0.1;

/// Makes snippets for one query over the body field.
pub struct Snippets {
    generator: Option<SnippetGenerator>,
    /// Finds where a query term may occur in a body (its stem minus the
    /// last letter, any ASCII case), so that only a window of a long body
    /// is tokenised and stemmed: that was most of a search's snippet time.
    finder: Option<AhoCorasick>,
    /// Terms that the user did not type and that the query only looks for
    /// inside a phrase (a word of an actor's multi-word alias): highlighted
    /// only next to another highlighted word, so a lone "Bear", "Threat" or
    /// "groups" is never marked.
    phrase_only: BTreeSet<String>,
    /// The analyzer of the body, to tell which words the highlights are.
    tokenizer: Option<tantivy::tokenizer::TextAnalyzer>,
}

impl Snippets {
    /// Prepares snippets for `query`; without a query, snippets are the
    /// opening of each body. `typed` is the query as the user typed it
    /// (before alias expansion): passages holding its words are preferred.
    pub fn new(
        searcher: &Searcher,
        query: Option<&dyn Query>,
        body: Field,
        typed: Option<&str>,
    ) -> Snippets {
        let none = Snippets {
            generator: None,
            finder: None,
            phrase_only: BTreeSet::new(),
            tokenizer: None,
        };
        let Some(q) = query else {
            return none;
        };
        let Ok(mut tokenizer) = searcher.index().tokenizer_for_field(body) else {
            return none;
        };
        let typed_terms = typed.map_or_else(BTreeSet::new, |t| analyzed(&mut tokenizer, t));
        // Every body term of the query, and whether it is ever looked up
        // on its own (not only as a word of a phrase).
        let mut terms: BTreeMap<Term, bool> = BTreeMap::new();
        q.query_terms(&mut |t, in_phrase| {
            if t.field() == body {
                *terms.entry(t.clone()).or_insert(false) |= !in_phrase;
            }
        });
        let mut weights: BTreeMap<String, Score> = BTreeMap::new();
        let mut phrase_only = BTreeSet::new();
        for (t, alone) in &terms {
            let value = t.value();
            let Some(text) = value.as_str() else {
                continue;
            };
            let df = searcher.doc_freq(t).unwrap_or(0);
            if df == 0 {
                continue;
            }
            // The generator's own weighting: rarer terms weigh more.
            let idf = 1.0 / (1.0 + df as Score);
            let weight = if typed_terms.contains(text) {
                TYPED_BONUS + idf
            } else if *alone {
                idf
            } else {
                phrase_only.insert(text.to_string());
                idf * PHRASE_ONLY_FACTOR
            };
            weights.insert(text.to_string(), weight);
        }
        // The window is placed at the first word the user typed, else at
        // the first of any query term (an alias the expansion added).
        let typed_weights: Vec<&String> = weights
            .keys()
            .filter(|t| typed_terms.contains(t.as_str()))
            .collect();
        let finder = if typed_weights.is_empty() {
            window_finder(weights.keys())
        } else {
            window_finder(typed_weights.into_iter())
        };
        let generator = SnippetGenerator::new(weights, tokenizer.clone(), body, SNIPPET_CHARS);
        Snippets {
            generator: Some(generator),
            finder,
            phrase_only,
            tokenizer: Some(tokenizer),
        }
    }

    /// The snippet of one body text.
    pub fn of(&self, body: &str) -> Snippet {
        if let Some(g) = &self.generator {
            // The window first; the whole body when the window has no term.
            for text in self.window(body).into_iter().chain([body]) {
                let s = g.snippet(text);
                if !s.is_empty() {
                    let marks = self.keep_highlights(s.fragment(), s.highlighted());
                    return tidy(s.fragment(), &marks);
                }
            }
        }
        opening(body)
    }

    /// Drops the highlight of a phrase-only word that stands alone: one
    /// whose neighbours on both sides are not highlighted (only spaces or
    /// punctuation between two highlights make them neighbours).
    fn keep_highlights(
        &self,
        text: &str,
        marks: &[std::ops::Range<usize>],
    ) -> Vec<std::ops::Range<usize>> {
        let Some(tokenizer) = &self.tokenizer else {
            return marks.to_vec();
        };
        if self.phrase_only.is_empty() {
            return marks.to_vec();
        }
        let mut tokenizer = tokenizer.clone();
        let joined = |a: &std::ops::Range<usize>, b: &std::ops::Range<usize>| {
            a.end <= b.start
                && text
                    .get(a.end..b.start)
                    .is_some_and(|gap| gap.chars().all(|c| !c.is_alphanumeric()) && gap.len() <= 3)
        };
        marks
            .iter()
            .enumerate()
            .filter(|(i, m)| {
                let Some(word) = text.get((*m).clone()) else {
                    return false;
                };
                let stems = analyzed(&mut tokenizer, word);
                if !stems.iter().all(|s| self.phrase_only.contains(s)) {
                    return true;
                }
                let before = i.checked_sub(1).is_some_and(|p| joined(&marks[p], m));
                let after = marks.get(i + 1).is_some_and(|n| joined(m, n));
                before || after
            })
            .map(|(_, m)| m.clone())
            .collect()
    }

    /// The part of a long body around the first word that starts like a
    /// query term, or None to use the whole body.
    fn window<'b>(&self, body: &'b str) -> Option<&'b str> {
        if body.len() <= WINDOW_BEFORE + WINDOW_AFTER {
            return None;
        }
        let finder = self.finder.as_ref()?;
        let bytes = body.as_bytes();
        let at = finder
            .find_iter(body)
            .map(|m| m.start())
            .find(|&p| p == 0 || !bytes[p - 1].is_ascii_alphanumeric())?;
        let mut start = at.saturating_sub(WINDOW_BEFORE);
        while !body.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = (at + WINDOW_AFTER).min(body.len());
        while !body.is_char_boundary(end) {
            end += 1;
        }
        Some(&body[start..end])
    }
}

/// Finds where query terms may occur (each stem minus its last letter,
/// any ASCII case); None when a stem is shorter than 3 letters (it would
/// match everywhere) or there is none.
fn window_finder<'t>(terms: impl Iterator<Item = &'t String> + Clone) -> Option<AhoCorasick> {
    if terms.clone().next().is_none() || terms.clone().any(|t| t.len() < 3) {
        return None;
    }
    let needles: Vec<&str> = terms
        .map(|t| {
            let cut = t.char_indices().last().map_or(t.len(), |(i, _)| i);
            if t.len() >= 4 {
                &t[..cut]
            } else {
                t.as_str()
            }
        })
        .collect();
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(needles)
        .ok()
}

/// The analyzed terms of a text (lower-cased stems, as the body is indexed).
fn analyzed(tokenizer: &mut tantivy::tokenizer::TextAnalyzer, text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut stream = tokenizer.token_stream(text);
    while let Some(t) = tantivy::tokenizer::TokenStream::next(&mut stream) {
        out.insert(t.text.clone());
    }
    out
}

/// The first [`SNIPPET_CHARS`] characters of the body, cut at a word.
fn opening(body: &str) -> Snippet {
    let mut end = body.len();
    for (count, (i, _)) in body.char_indices().enumerate() {
        if count == SNIPPET_CHARS {
            end = body[..i].rfind(char::is_whitespace).unwrap_or(i);
            break;
        }
    }
    tidy(&body[..end], &[])
}

/// Folds line breaks and runs of spaces into single spaces, moving the
/// highlight ranges along.
fn tidy(text: &str, highlights: &[std::ops::Range<usize>]) -> Snippet {
    let mut out = String::with_capacity(text.len());
    let mut map = vec![0usize; text.len() + 1];
    let mut last_space = true;
    for (i, c) in text.char_indices() {
        map[i] = out.len();
        if c.is_whitespace() {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
        } else {
            out.push(c);
            last_space = false;
        }
    }
    map[text.len()] = out.len();
    // Bytes inside a multi-byte character map to the character's end.
    for i in 1..map.len() {
        if !text.is_char_boundary(i.min(text.len())) {
            map[i] = map[i - 1];
        }
    }
    let trimmed_end = out.trim_end().len();
    out.truncate(trimmed_end);
    let highlights = highlights
        .iter()
        .filter(|r| r.end <= text.len() && r.start < r.end)
        .map(|r| map[r.start].min(trimmed_end)..map[r.end].min(trimmed_end))
        .filter(|r| r.start < r.end)
        .collect();
    Snippet {
        text: out,
        highlights,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tidy_moves_ranges() {
        let s = tidy("Volt\n\n  Typhoon hit", &[0..4, 8..15]);
        assert_eq!(s.text, "Volt Typhoon hit");
        assert_eq!(&s.text[s.highlights[0].clone()], "Volt");
        assert_eq!(&s.text[s.highlights[1].clone()], "Typhoon");
    }

    #[test]
    fn opening_cuts_at_a_word() {
        let body = "word ".repeat(100);
        let s = opening(&body);
        assert!(s.text.len() <= SNIPPET_CHARS);
        assert!(s.text.ends_with("word"));
    }
}
