//! The text analyzer of the `title`, `body` and `tags` fields: tantivy's
//! `en_stem` chain (simple tokenizer, long-token removal, lower-casing,
//! Snowball English stemmer) with a memo in front of the stemmer.
//!
//! Stemming was about 8% of indexing CPU, and prose repeats its words: each
//! analyzer instance (one per indexing thread or query) remembers the stems
//! it computed. The tokens are exactly those of tantivy's `en_stem`, so
//! indexes built with either read the same.

use rustc_hash::FxHashMap;
use std::mem;
use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer, Token,
    TokenFilter, TokenStream, Tokenizer,
};

/// Distinct words remembered before the memo starts over (a few MB).
const MEMO_LIMIT: usize = 200_000;

/// The analyzer registered as `en_stem`.
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(MemoStemmer)
        .build()
}

/// English stemming with a memo of the words already stemmed.
#[derive(Clone, Copy)]
pub struct MemoStemmer;

impl TokenFilter for MemoStemmer {
    type Tokenizer<T: Tokenizer> = MemoStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> MemoStemmerFilter<T> {
        MemoStemmerFilter {
            inner,
            memo: FxHashMap::default(),
        }
    }
}

/// A tokenizer followed by the memoised stemmer.
#[derive(Clone)]
pub struct MemoStemmerFilter<T> {
    inner: T,
    memo: FxHashMap<String, String>,
}

impl<T: Tokenizer> Tokenizer for MemoStemmerFilter<T> {
    type TokenStream<'a> = MemoStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        if self.memo.len() > MEMO_LIMIT {
            self.memo.clear();
        }
        MemoStemmerStream {
            tail: self.inner.token_stream(text),
            memo: &mut self.memo,
            stemmer: None,
        }
    }
}

/// The token stream of `MemoStemmerFilter`.
pub struct MemoStemmerStream<'a, S> {
    tail: S,
    memo: &'a mut FxHashMap<String, String>,
    /// Built on the first word not in the memo.
    stemmer: Option<StemOne>,
}

/// tantivy's stemmer applied to one word at a time.
struct StemOne(<Stemmer as TokenFilter>::Tokenizer<OneToken>);

/// A tokenizer that yields its whole input as one token.
#[derive(Clone)]
struct OneToken;

struct OneTokenStream {
    token: Token,
    done: bool,
}

impl Tokenizer for OneToken {
    type TokenStream<'a> = OneTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> OneTokenStream {
        OneTokenStream {
            token: Token {
                text: text.to_string(),
                ..Token::default()
            },
            done: false,
        }
    }
}

impl TokenStream for OneTokenStream {
    fn advance(&mut self) -> bool {
        !mem::replace(&mut self.done, true)
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

impl StemOne {
    fn new() -> StemOne {
        StemOne(Stemmer::new(Language::English).transform(OneToken))
    }

    fn stem(&mut self, word: &str) -> String {
        let mut stream = self.0.token_stream(word);
        if stream.advance() {
            mem::take(&mut stream.token_mut().text)
        } else {
            word.to_string()
        }
    }
}

impl<S: TokenStream> TokenStream for MemoStemmerStream<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if let Some(stem) = self.memo.get(token.text.as_str()) {
            token.text.clear();
            token.text.push_str(stem);
            return true;
        }
        let stem = self
            .stemmer
            .get_or_insert_with(StemOne::new)
            .stem(&token.text);
        let word = mem::replace(&mut token.text, stem.clone());
        self.memo.insert(word, stem);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(a: &mut TextAnalyzer, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut out = Vec::new();
        let mut s = a.token_stream(text);
        while s.advance() {
            let t = s.token();
            out.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
        }
        out
    }

    #[test]
    fn same_tokens_as_tantivys_en_stem() {
        let mut ours = analyzer();
        let mut theirs = tantivy::tokenizer::TokenizerManager::default()
            .get("en_stem")
            .expect("en_stem");
        let texts = [
            "Attackers were exploiting running services; the exploited servers ran Exchange.",
            "Volt Typhoon's operators living off the land: RUNNING running runs ran",
            "naïve café résumé Überwachung — ünïcödé and a verylongtokenthatisdefinitelylongerthanfortycharacters",
            "",
            "Attackers were exploiting running services; the exploited servers ran Exchange.",
        ];
        // The second pass reads from the memo.
        for _ in 0..2 {
            for t in texts {
                assert_eq!(tokens(&mut ours, t), tokens(&mut theirs, t), "{t}");
            }
        }
    }
}
