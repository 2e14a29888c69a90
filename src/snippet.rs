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

/// Makes snippets for one query over the body field.
pub struct Snippets {
    generator: Option<SnippetGenerator>,
    /// Finds where a query term may occur in a body (its stem minus the
    /// last letter, any ASCII case), so that only a window of a long body
    /// is tokenised and stemmed: that was most of a search's snippet time.
    finder: Option<AhoCorasick>,
}

impl Snippets {
    /// Prepares snippets for `query`; without a query, snippets are the
    /// opening of each body.
    pub fn new(searcher: &Searcher, query: Option<&dyn Query>, body: Field) -> Snippets {
        let Some(q) = query else {
            return Snippets {
                generator: None,
                finder: None,
            };
        };
        // The generator's term weights, as SnippetGenerator::create makes
        // them: rarer terms weigh more.
        let mut terms: BTreeSet<Term> = BTreeSet::new();
        q.query_terms(&mut |t, _| {
            if t.field() == body {
                terms.insert(t.clone());
            }
        });
        let mut weights: BTreeMap<String, Score> = BTreeMap::new();
        for t in &terms {
            let value = t.value();
            let Some(text) = value.as_str() else {
                continue;
            };
            let df = searcher.doc_freq(t).unwrap_or(0);
            if df > 0 {
                weights.insert(text.to_string(), 1.0 / (1.0 + df as Score));
            }
        }
        let Ok(tokenizer) = searcher.index().tokenizer_for_field(body) else {
            return Snippets {
                generator: None,
                finder: None,
            };
        };
        // Stems shorter than 3 letters would match everywhere: no window.
        let finder = if weights.keys().all(|t| t.len() >= 3) && !weights.is_empty() {
            let needles: Vec<&str> = weights
                .keys()
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
        } else {
            None
        };
        let generator = SnippetGenerator::new(weights, tokenizer, body, SNIPPET_CHARS);
        Snippets {
            generator: Some(generator),
            finder,
        }
    }

    /// The snippet of one body text.
    pub fn of(&self, body: &str) -> Snippet {
        if let Some(g) = &self.generator {
            // The window first; the whole body when the window has no term.
            for text in self.window(body).into_iter().chain([body]) {
                let s = g.snippet(text);
                if !s.is_empty() {
                    return tidy(s.fragment(), s.highlighted());
                }
            }
        }
        opening(body)
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
