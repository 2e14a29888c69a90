//! Snippets: the best excerpt of a body for a query, as text plus highlight
//! ranges. No markup: renderers decide how to show highlights.

use crate::model::Snippet;
use tantivy::query::Query;
use tantivy::schema::Field;
use tantivy::snippet::SnippetGenerator;
use tantivy::Searcher;

/// Longest snippet, in characters.
pub const SNIPPET_CHARS: usize = 220;

/// Makes snippets for one query over the body field.
pub struct Snippets {
    generator: Option<SnippetGenerator>,
}

impl Snippets {
    /// Prepares snippets for `query`; without a query, snippets are the
    /// opening of each body.
    pub fn new(searcher: &Searcher, query: Option<&dyn Query>, body: Field) -> Snippets {
        let generator = query.and_then(|q| {
            let mut g = SnippetGenerator::create(searcher, q, body).ok()?;
            g.set_max_num_chars(SNIPPET_CHARS);
            Some(g)
        });
        Snippets { generator }
    }

    /// The snippet of one body text.
    pub fn of(&self, body: &str) -> Snippet {
        if let Some(g) = &self.generator {
            let s = g.snippet(body);
            if !s.is_empty() {
                return tidy(s.fragment(), s.highlighted());
            }
        }
        opening(body)
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
