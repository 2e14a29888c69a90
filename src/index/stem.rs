//! The text analyzer of the `title`, `body` and `tags` fields: tantivy's
//! `en_stem` chain (simple tokenizer, long-token removal, lower-casing,
//! Snowball English stemmer) with a memo in front of the stemmer, and, at
//! indexing time, the parts of compound names.
//!
//! Stemming was about 8% of indexing CPU, and prose repeats its words: each
//! analyzer instance (one per indexing thread or query) remembers the stems
//! it computed.
//!
//! Compound names: vendors write one name several ways ("CitrixBleed" and
//! "Citrix Bleed", "LummaC2" and "Lumma", "Log4j2" and "Log4j"). The index
//! analyzer ([`analyzer`]) adds, at the position of a token with inner case
//! changes or letter/digit boundaries, its word parts and its name without
//! a one-digit version ([`compound_parts`]), so a query for either spelling
//! finds it. Queries are analysed without those parts ([`query_analyzer`],
//! exactly tantivy's `en_stem`): a typed "LockBit" must also find
//! "Lockbit", which has no parts.

use rustc_hash::FxHashMap;
use std::mem;
use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer, Token,
    TokenFilter, TokenStream, Tokenizer,
};

/// Distinct words remembered before the memo starts over (a few MB).
const MEMO_LIMIT: usize = 200_000;

/// The analyzer registered as `en_stem` on the index: what documents are
/// indexed with (and what snippets highlight with).
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(CompoundParts)
        .filter(LowerCaser)
        .filter(MemoStemmer)
        .build()
}

/// The analyzer of query text: the same tokens without compound parts.
pub fn query_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(MemoStemmer)
        .build()
}

/// Most parts a token may have for its parts to be indexed: names have a
/// few ("Log4j2" has four), hashes and encoded blobs have many.
const MAX_PARTS: usize = 4;

/// Shortest part (in characters) indexed on its own.
const MIN_PART_CHARS: usize = 3;

/// Shortest name kept when a one-digit version is cut off ("Log4j2" gives
/// "Log4j"; "FIN7" and "Win7" stay whole).
const MIN_BASE_CHARS: usize = 4;

/// The byte ranges of a token's extra forms, appended to `out`:
/// - its parts split at a lower-to-upper case change and at letter/digit
///   boundaries, when it has 2 to [`MAX_PARTS`] parts; each part made only
///   of letters and at least [`MIN_PART_CHARS`] long is kept
///   ("CitrixBleed": Citrix, Bleed; "LummaC2": Lumma; "Log4Shell": Log,
///   Shell);
/// - its name without a final one-digit version after a lower-case letter
///   ("Log4j2": Log4j; "LockBit3": LockBit; not "LummaC2", where "C2" is
///   a part), when that name is at least [`MIN_BASE_CHARS`] long.
///
/// A token without a lower-case letter gives nothing: "APT28", "UNC2452"
/// and upper-case hex are identifiers, where the digits are the name.
pub fn compound_parts(word: &str, out: &mut Vec<std::ops::Range<usize>>) {
    let bytes = word.as_bytes();
    // Fast path: most words are lower case after their first letter.
    if bytes.len() < 2 || bytes[1..].iter().all(u8::is_ascii_lowercase) {
        return;
    }
    if !word.chars().any(char::is_lowercase) {
        return;
    }
    let start = out.len();
    let mut cuts: Vec<usize> = Vec::new();
    let mut prev: Option<char> = None;
    for (i, c) in word.char_indices() {
        if let Some(p) = prev {
            let case_change = p.is_lowercase() && c.is_uppercase();
            let digit_edge =
                (p.is_alphabetic() && c.is_numeric()) || (p.is_numeric() && c.is_alphabetic());
            if case_change || digit_edge {
                cuts.push(i);
                if cuts.len() >= MAX_PARTS {
                    return;
                }
            }
        }
        prev = Some(c);
    }
    if cuts.is_empty() {
        return;
    }
    let mut from = 0;
    for end in cuts.iter().copied().chain([word.len()]) {
        let part = &word[from..end];
        if part.chars().all(char::is_alphabetic) && part.chars().count() >= MIN_PART_CHARS {
            out.push(from..end);
        }
        from = end;
    }
    let mut tail = word.chars().rev();
    if let (Some(last), Some(before)) = (tail.next(), tail.next()) {
        let base = word.len() - last.len_utf8();
        if last.is_ascii_digit()
            && before.is_lowercase()
            && word[..base].chars().count() >= MIN_BASE_CHARS
            && !out[start..].contains(&(0..base))
        {
            out.push(0..base);
        }
    }
}

/// The token filter adding [`compound_parts`] at the token's position.
#[derive(Clone, Copy)]
pub struct CompoundParts;

impl TokenFilter for CompoundParts {
    type Tokenizer<T: Tokenizer> = CompoundPartsFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> CompoundPartsFilter<T> {
        CompoundPartsFilter { inner }
    }
}

/// A tokenizer followed by the compound-parts filter.
#[derive(Clone)]
pub struct CompoundPartsFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for CompoundPartsFilter<T> {
    type TokenStream<'a> = CompoundPartsStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CompoundPartsStream {
            tail: self.inner.token_stream(text),
            pending: Vec::new(),
            extra: None,
            ranges: Vec::new(),
        }
    }
}

/// The token stream of [`CompoundPartsFilter`].
pub struct CompoundPartsStream<S> {
    tail: S,
    /// Extra tokens still to emit, last first.
    pending: Vec<Token>,
    /// The extra token being emitted, if any (else the tail's token).
    extra: Option<Token>,
    /// Scratch space for [`compound_parts`].
    ranges: Vec<std::ops::Range<usize>>,
}

impl<S: TokenStream> TokenStream for CompoundPartsStream<S> {
    fn advance(&mut self) -> bool {
        if let Some(t) = self.pending.pop() {
            self.extra = Some(t);
            return true;
        }
        self.extra = None;
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token();
        self.ranges.clear();
        compound_parts(&token.text, &mut self.ranges);
        for r in self.ranges.iter().rev() {
            let mut part = token.clone();
            part.text = token.text[r.clone()].to_string();
            // Offsets of the part inside the source text, when the token
            // is the source slice (it is: nothing before rewrites it).
            if token.offset_to - token.offset_from == token.text.len() {
                part.offset_from = token.offset_from + r.start;
                part.offset_to = token.offset_from + r.end;
            }
            self.pending.push(part);
        }
        true
    }

    fn token(&self) -> &Token {
        self.extra.as_ref().unwrap_or_else(|| self.tail.token())
    }

    fn token_mut(&mut self) -> &mut Token {
        match &mut self.extra {
            Some(t) => t,
            None => self.tail.token_mut(),
        }
    }
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
    fn query_tokens_are_tantivys_en_stem_and_index_tokens_add_only_parts() {
        let mut theirs = tantivy::tokenizer::TokenizerManager::default()
            .get("en_stem")
            .expect("en_stem");
        let texts = [
            "Attackers were exploiting running services; the exploited servers ran Exchange.",
            "Volt Typhoon's operators living off the land: RUNNING running runs ran",
            "naïve café résumé Überwachung — ünïcödé and a verylongtokenthatisdefinitelylongerthanfortycharacters",
            "",
            "CitrixBleed and Log4j2 hit APT28 targets; LummaC2 too",
            "Attackers were exploiting running services; the exploited servers ran Exchange.",
        ];
        let mut query = query_analyzer();
        let mut index = analyzer();
        // The second pass reads from the memo.
        for _ in 0..2 {
            for t in texts {
                let expected = tokens(&mut theirs, t);
                assert_eq!(tokens(&mut query, t), expected, "{t}");
                // The index tokens are the same plus the parts.
                let indexed = tokens(&mut index, t);
                let without_parts: Vec<_> = indexed
                    .iter()
                    .filter(|tok| {
                        expected
                            .iter()
                            .any(|e| e.1 == tok.1 && e.2 == tok.2 && e.3 == tok.3)
                    })
                    .cloned()
                    .collect();
                assert_eq!(without_parts, expected, "{t}");
            }
        }
    }

    fn parts(word: &str) -> Vec<&str> {
        let mut out = Vec::new();
        compound_parts(word, &mut out);
        out.into_iter().map(|r| &word[r]).collect()
    }

    #[test]
    fn compound_names_give_their_parts_and_base_name() {
        assert_eq!(parts("CitrixBleed"), ["Citrix", "Bleed"]);
        assert_eq!(parts("PrintNightmare"), ["Print", "Nightmare"]);
        assert_eq!(parts("LummaC2"), ["Lumma"]);
        assert_eq!(parts("Log4j2"), ["Log", "Log4j"]);
        assert_eq!(parts("LockBit3"), ["Lock", "Bit", "LockBit"]);
        assert_eq!(parts("Log4Shell"), ["Log", "Shell"]);
        assert_eq!(parts("Win7"), ["Win"]);
        // Ordinary words, identifiers, acronyms and hashes give nothing.
        for whole in [
            "ransomware",
            "Exchange",
            "APT28",
            "UNC2452",
            "FIN7",
            "T1059",
            "MOVEit",
            "iOS",
            "d41d8cd98f00b204e9800998ecf8427e",
            "x86",
            "SHA256",
            "",
        ] {
            assert!(parts(whole).is_empty(), "{whole}: {:?}", parts(whole));
        }
    }

    #[test]
    fn parts_share_the_tokens_position_and_point_into_the_text() {
        let mut a = analyzer();
        let toks = tokens(&mut a, "the CitrixBleed flaw");
        assert_eq!(
            toks,
            vec![
                ("the".to_string(), 0, 0, 3),
                ("citrixble".to_string(), 1, 4, 15),
                ("citrix".to_string(), 1, 4, 10),
                ("bleed".to_string(), 1, 10, 15),
                ("flaw".to_string(), 2, 16, 20),
            ]
        );
    }
}
