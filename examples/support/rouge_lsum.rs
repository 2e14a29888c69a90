//! ROUGE-LSum as the Web Content Extraction Benchmark (WCEB, SIGIR 2023)
//! scores main content: both texts split into sentences by NLTK's English
//! Punkt model, sentences into tokens at white space (case and punctuation
//! kept), then rouge-score 0.1.2's summary-level LCS: for every truth
//! sentence the union of its longest common subsequences with each extracted
//! sentence, a token counted at most as often as it occurs in either text.
//!
//! Written from the published algorithms (NLTK's `PunktSentenceTokenizer`
//! with its pretrained parameters, read from the JSON in
//! `main-content-wceb/punkt/`; rouge-score's `_summary_level_lcs`): no Rust
//! crate implements either with NLTK's parameters.

use anyhow::{Context, Result};
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::path::Path;

const ORTHO_BEG_UC: u32 = 1 << 1;
const ORTHO_MID_UC: u32 = 1 << 2;
const ORTHO_UNK_UC: u32 = 1 << 3;
const ORTHO_BEG_LC: u32 = 1 << 4;
const ORTHO_MID_LC: u32 = 1 << 5;
const ORTHO_UNK_LC: u32 = 1 << 6;
const ORTHO_UC: u32 = ORTHO_BEG_UC | ORTHO_MID_UC | ORTHO_UNK_UC;
const ORTHO_LC: u32 = ORTHO_BEG_LC | ORTHO_MID_LC | ORTHO_UNK_LC;

/// Punkt's trained parameters.
pub struct Punkt {
    abbrev_types: HashSet<String>,
    collocations: HashSet<(String, String)>,
    sent_starters: HashSet<String>,
    ortho_context: HashMap<String, u32>,
}

/// One word token with the flags Punkt's two annotation passes set.
struct Token {
    tok: String,
    /// Lower case, numbers folded to `##number##`.
    typ: String,
    period_final: bool,
    sentbreak: bool,
    abbr: bool,
    ellipsis: bool,
}

impl Token {
    fn new(tok: &str) -> Token {
        Token {
            tok: tok.to_string(),
            typ: token_type(tok),
            period_final: tok.ends_with('.'),
            sentbreak: false,
            abbr: false,
            ellipsis: false,
        }
    }
    fn type_no_period(&self) -> &str {
        if self.typ.chars().count() > 1 && self.typ.ends_with('.') {
            &self.typ[..self.typ.len() - 1]
        } else {
            &self.typ
        }
    }
    fn type_no_sentperiod(&self) -> &str {
        if self.sentbreak {
            self.type_no_period()
        } else {
            &self.typ
        }
    }
    fn first_upper(&self) -> bool {
        self.tok.chars().next().is_some_and(char::is_uppercase)
    }
    fn first_lower(&self) -> bool {
        self.tok.chars().next().is_some_and(char::is_lowercase)
    }
    /// `[^\W\d]\.$`: one letter and a period.
    fn is_initial(&self) -> bool {
        let mut c = self.tok.chars();
        matches!((c.next(), c.next(), c.next()), (Some(l), Some('.'), None) if is_letter(l))
    }
    /// `\.\.+$` from the start: dots only, at least two.
    fn is_ellipsis(&self) -> bool {
        self.tok.len() >= 2 && self.tok.bytes().all(|b| b == b'.')
    }
}

/// Python's `[^\W\d]`: a word character that is not a digit.
fn is_letter(c: char) -> bool {
    (c.is_alphanumeric() || c == '_') && !c.is_numeric()
}

/// Punkt's `_get_type`: lower case, and `^-?[\.,]?\d[\d,\.-]*\.?$` as
/// `##number##`.
fn token_type(tok: &str) -> String {
    let lower = tok.to_lowercase();
    let b = lower.as_bytes();
    let mut i = 0;
    if b.get(i) == Some(&b'-') {
        i += 1;
    }
    if matches!(b.get(i), Some(b'.' | b',')) {
        i += 1;
    }
    // Python's \d is any Unicode decimal digit; ASCII covers the texts here
    // except rare scripts, where a token then keeps its own type.
    if b.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
        while b
            .get(i)
            .is_some_and(|c| c.is_ascii_digit() || matches!(c, b',' | b'.' | b'-'))
        {
            i += 1;
        }
        if i == b.len() {
            return "##number##".to_string();
        }
    }
    lower
}

/// `(?:[)\";}\]\*:@\'\({\[!?])`
fn is_non_word(c: char) -> bool {
    matches!(
        c,
        ')' | '"' | ';' | '}' | ']' | '*' | ':' | '@' | '\'' | '(' | '{' | '[' | '!' | '?'
    )
}

/// `[^\(\"\`{\[:;&\#\*@\)}\]\-,]`
fn is_word_start(c: char) -> bool {
    !matches!(
        c,
        '(' | '"'
            | '`'
            | '{'
            | '['
            | ':'
            | ';'
            | '&'
            | '#'
            | '*'
            | '@'
            | ')'
            | '}'
            | ']'
            | '-'
            | ','
    )
}

/// Length in bytes of `(?:\-{2,}|\.{2,}|(?:\.\s){2,}\.)` at `s`'s start.
fn multi_char_len(s: &str) -> Option<usize> {
    let run = |ch: char| s.chars().take_while(|&c| c == ch).count();
    let dashes = run('-');
    if dashes >= 2 {
        return Some(dashes);
    }
    let dots = run('.');
    if dots >= 2 {
        return Some(dots);
    }
    // (\.\s){2,}\. — greedy, then back off to end on a dot.
    let cs: Vec<(usize, char)> = s.char_indices().collect();
    let mut pairs = 0;
    let mut k = 0;
    while k + 1 < cs.len() && cs[k].1 == '.' && cs[k + 1].1.is_whitespace() {
        pairs += 1;
        k += 2;
    }
    while pairs >= 2 {
        let at = pairs * 2;
        if at < cs.len() && cs[at].1 == '.' {
            return Some(cs[at].0 + 1);
        }
        pairs -= 1;
    }
    None
}

/// Punkt's word tokenizer (`_word_tokenize_fmt`) on one line.
fn word_tokenize(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < line.len() {
        let rest = &line[i..];
        let c = rest.chars().next().expect("non-empty");
        if let Some(n) = multi_char_len(rest) {
            out.push(&rest[..n]);
            i += n;
            continue;
        }
        if c.is_whitespace() {
            i += c.len_utf8();
            continue;
        }
        if is_word_start(c) {
            // \S+? up to the first position where a word end follows.
            let mut end = c.len_utf8();
            loop {
                let after = &rest[end..];
                let Some(n) = after.chars().next() else {
                    break;
                };
                if n.is_whitespace() || is_non_word(n) || multi_char_len(after).is_some() {
                    break;
                }
                if n == ',' {
                    let next = &after[1..];
                    let m = next.chars().next();
                    if m.is_none_or(|m| m.is_whitespace() || is_non_word(m))
                        || multi_char_len(next).is_some()
                    {
                        break;
                    }
                }
                end += n.len_utf8();
            }
            out.push(&rest[..end]);
            i += end;
            continue;
        }
        out.push(&rest[..c.len_utf8()]);
        i += c.len_utf8();
    }
    out
}

impl Punkt {
    /// Reads the parameters from the JSON of `main-content-wceb/punkt/`.
    pub fn load(path: &Path) -> Result<Punkt> {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let v: Value = serde_json::from_str(&text).context("punkt parameters")?;
        let strings = |key: &str| -> HashSet<String> {
            v[key]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        let collocations = v["collocations"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|p| Some((p[0].as_str()?.to_string(), p[1].as_str()?.to_string())))
                    .collect()
            })
            .unwrap_or_default();
        let mut ortho_context = HashMap::new();
        if let Some(o) = v["ortho_context"].as_object() {
            for (flag, types) in o {
                let flag: u32 = flag.parse().context("ortho_context flag")?;
                for t in types.as_array().into_iter().flatten() {
                    if let Some(t) = t.as_str() {
                        ortho_context.insert(t.to_string(), flag);
                    }
                }
            }
        }
        Ok(Punkt {
            abbrev_types: strings("abbrev_types"),
            collocations,
            sent_starters: strings("sent_starters"),
            ortho_context,
        })
    }

    fn ortho(&self, typ: &str) -> u32 {
        self.ortho_context.get(typ).copied().unwrap_or(0)
    }

    /// `_ortho_heuristic`: Some(true) sentence starter, Some(false) not,
    /// None unknown.
    fn ortho_heuristic(&self, t: &Token) -> Option<bool> {
        // Python's `tok in ";:,.!?"` is a substring test.
        if ";:,.!?".contains(t.tok.as_str()) {
            return Some(false);
        }
        let ctx = self.ortho(t.type_no_sentperiod());
        if t.first_upper() && ctx & ORTHO_LC != 0 && ctx & ORTHO_MID_UC == 0 {
            return Some(true);
        }
        if t.first_lower() && (ctx & ORTHO_UC != 0 || ctx & ORTHO_BEG_LC == 0) {
            return Some(false);
        }
        None
    }

    fn first_pass(&self, t: &mut Token) {
        if matches!(t.tok.as_str(), "." | "?" | "!") {
            t.sentbreak = true;
        } else if t.is_ellipsis() {
            t.ellipsis = true;
        } else if t.period_final && !t.tok.ends_with("..") {
            let stem = t.tok[..t.tok.len() - 1].to_lowercase();
            let last = stem.rsplit('-').next().unwrap_or("");
            if self.abbrev_types.contains(&stem) || self.abbrev_types.contains(last) {
                t.abbr = true;
            } else {
                t.sentbreak = true;
            }
        }
    }

    fn second_pass(&self, t1: &mut Token, t2: &Token) {
        if !t1.period_final {
            return;
        }
        let typ = t1.type_no_period().to_string();
        let next_typ = t2.type_no_sentperiod();
        let initial = t1.is_initial();
        if self
            .collocations
            .contains(&(typ.clone(), next_typ.to_string()))
        {
            t1.sentbreak = false;
            t1.abbr = true;
            return;
        }
        if (t1.abbr || t1.ellipsis) && !initial {
            if self.ortho_heuristic(t2) == Some(true) {
                t1.sentbreak = true;
                return;
            }
            if t2.first_upper() && self.sent_starters.contains(next_typ) {
                t1.sentbreak = true;
                return;
            }
        }
        if initial || typ == "##number##" {
            let starter = self.ortho_heuristic(t2);
            if starter == Some(false) {
                t1.sentbreak = false;
                t1.abbr = true;
                return;
            }
            if starter.is_none()
                && initial
                && t2.first_upper()
                && self.ortho(next_typ) & ORTHO_LC == 0
            {
                t1.sentbreak = false;
                t1.abbr = true;
            }
        }
    }

    /// `text_contains_sentbreak`: a sentence break on any token but the last.
    fn contains_sentbreak(&self, context: &str) -> bool {
        let mut tokens: Vec<Token> = context
            .split('\n')
            .filter(|l| !l.trim().is_empty())
            .flat_map(word_tokenize)
            .map(Token::new)
            .collect();
        for t in &mut tokens {
            self.first_pass(t);
        }
        for i in 0..tokens.len() {
            if i + 1 < tokens.len() {
                let (a, b) = tokens.split_at_mut(i + 1);
                self.second_pass(&mut a[i], &b[0]);
            }
        }
        let n = tokens.len();
        tokens.iter().take(n.saturating_sub(1)).any(|t| t.sentbreak)
    }

    /// NLTK's `sent_tokenize`: the sentences of `text`, boundaries realigned
    /// past closing quotes and brackets.
    pub fn sentences<'a>(&self, text: &'a str) -> Vec<&'a str> {
        let mut slices = Vec::new();
        let mut last_break = 0;
        for (end, next_tok, context) in potential_ends(text) {
            if self.contains_sentbreak(&context) {
                slices.push((last_break, end));
                last_break = next_tok.unwrap_or(end);
            }
        }
        slices.push((last_break, text.trim_end().len()));
        // Realign: closing punctuation at a sentence's start goes with the
        // sentence before.
        let mut out = Vec::new();
        let mut realign = 0;
        for k in 0..slices.len() {
            let (s1, e1) = (slices[k].0 + realign, slices[k].1);
            let Some(&(s2, e2)) = slices.get(k + 1) else {
                if s1 < e1 {
                    out.push(&text[s1..e1]);
                }
                continue;
            };
            let next = if s2 <= e2 { &text[s2..e2] } else { "" };
            match realignment(next) {
                Some((kept, end)) => {
                    out.push(&text[s1.min(s2 + kept)..s2 + kept]);
                    realign = end;
                }
                None => {
                    realign = 0;
                    if s1 < e1 {
                        out.push(&text[s1..e1]);
                    }
                }
            }
        }
        out
    }
}

/// `re_boundary_realignment` (`["\')\]}]+?(?:\s+|(?=--)|$)`, multi-line)
/// matched at the start of `s`: (length of the match without trailing
/// white space, length of the match).
fn realignment(s: &str) -> Option<(usize, usize)> {
    let closing = |c: char| matches!(c, '"' | '\'' | ')' | ']' | '}');
    let mut n = 0;
    for c in s.chars() {
        if !closing(c) {
            break;
        }
        n += c.len_utf8();
        let rest = &s[n..];
        let ws: usize = rest
            .chars()
            .take_while(|c| c.is_whitespace())
            .map(char::len_utf8)
            .sum();
        if ws > 0 {
            return Some((n, n + ws));
        }
        if rest.starts_with("--") || rest.is_empty() || rest.starts_with('\n') {
            return Some((n, n));
        }
    }
    None
}

/// The byte range of the word before a potential sentence end.
type WordSpan = (usize, usize);
/// A potential sentence end: (start, end, end of the token after, start of
/// the next token when white space came first).
type EndMatch = (usize, usize, usize, Option<usize>);

/// `_match_potential_end_contexts`: every `.`, `?` or `!` followed by a
/// non-word character or by white space and a token, as (end of the
/// punctuation, start of the next token when white space came first, the
/// text from the word before to the token after).
fn potential_ends(text: &str) -> Vec<(usize, Option<usize>, String)> {
    // (match start, match end, after_tok end, next_tok start)
    let mut matches = Vec::new();
    for (i, c) in text.char_indices() {
        if !matches!(c, '.' | '?' | '!') {
            continue;
        }
        let end = i + 1;
        let rest = &text[end..];
        let Some(n) = rest.chars().next() else {
            continue;
        };
        if is_non_word(n) {
            matches.push((i, end, end + n.len_utf8(), None));
            continue;
        }
        let ws: usize = rest
            .chars()
            .take_while(|c| c.is_whitespace())
            .map(char::len_utf8)
            .sum();
        if ws == 0 {
            continue;
        }
        let tok: usize = rest[ws..]
            .chars()
            .take_while(|c| !c.is_whitespace())
            .map(char::len_utf8)
            .sum();
        if tok == 0 {
            continue;
        }
        matches.push((i, end, end + ws + tok, Some(end + ws)));
    }
    let mut out = Vec::new();
    let mut prev: Option<(WordSpan, EndMatch)> = None;
    for m in matches {
        let (start, ..) = m;
        let (prev_start, prev_stop) = prev.map_or((0, 0), |p| p.0);
        let before = &text[prev_stop..start];
        // Python's index of the last white space (0 also when there is none
        // or it is the first char).
        let last_ws = before
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
            .map_or((0, 0), |(k, c)| (k, c.len_utf8()));
        let word_start = if last_ws.0 > 0 {
            prev_stop + last_ws.0 + last_ws.1
        } else {
            prev_start
        };
        let word = (word_start, start);
        if let Some((ps, pm)) = prev {
            if ps.1 <= word.0 {
                out.push((
                    pm.1,
                    pm.3,
                    format!("{}{}", &text[ps.0..ps.1], &text[pm.0..pm.2]),
                ));
            }
        }
        prev = Some((word, m));
    }
    if let Some((ps, pm)) = prev {
        out.push((
            pm.1,
            pm.3,
            format!("{}{}", &text[ps.0..ps.1], &text[pm.0..pm.2]),
        ));
    }
    out
}

/// ROUGE-LSum precision, recall and F1 of `extracted` against `truth`, with
/// WCEB's rule for an empty truth (recall 1; P = F1 = 1 only when the
/// extraction is empty too).
pub fn rouge_lsum(punkt: &Punkt, truth: &str, extracted: &str) -> (f64, f64, f64) {
    let tokens = |text: &str| -> Vec<Vec<String>> {
        punkt
            .sentences(text)
            .into_iter()
            .filter(|s| !s.is_empty())
            .map(|s| s.split_whitespace().map(str::to_string).collect())
            .collect()
    };
    let reference = tokens(truth);
    let candidate = tokens(extracted);
    let m: usize = reference.iter().map(Vec::len).sum();
    let n: usize = candidate.iter().map(Vec::len).sum();
    if m == 0 {
        return if n == 0 {
            (1.0, 1.0, 1.0)
        } else {
            (0.0, 1.0, 0.0)
        };
    }
    if n == 0 {
        return (0.0, 0.0, 0.0);
    }
    let mut count_r: HashMap<&str, usize> = HashMap::new();
    let mut count_c: HashMap<&str, usize> = HashMap::new();
    for t in reference.iter().flatten() {
        *count_r.entry(t).or_default() += 1;
    }
    for t in candidate.iter().flatten() {
        *count_c.entry(t).or_default() += 1;
    }
    let mut hits = 0usize;
    for r in &reference {
        let mut union: Vec<usize> = Vec::new();
        for c in &candidate {
            union.extend(lcs_indices(r, c));
        }
        union.sort_unstable();
        union.dedup();
        for i in union {
            let t = r[i].as_str();
            let (Some(cr), Some(cc)) = (count_r.get(t).copied(), count_c.get(t).copied()) else {
                continue;
            };
            if cr > 0 && cc > 0 {
                hits += 1;
                count_r.insert(t, cr - 1);
                count_c.insert(t, cc - 1);
            }
        }
    }
    let p = hits as f64 / n as f64;
    let r = hits as f64 / m as f64;
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    (p, r, f)
}

/// Indices into `r` of one longest common subsequence of `r` and `c`
/// (rouge-score's `_lcs_table` and `_backtrack_norec`).
fn lcs_indices(r: &[String], c: &[String]) -> Vec<usize> {
    let (rows, cols) = (r.len(), c.len());
    let w = cols + 1;
    let mut t = vec![0u32; (rows + 1) * w];
    for i in 1..=rows {
        for j in 1..=cols {
            t[i * w + j] = if r[i - 1] == c[j - 1] {
                t[(i - 1) * w + j - 1] + 1
            } else {
                t[(i - 1) * w + j].max(t[i * w + j - 1])
            };
        }
    }
    let (mut i, mut j) = (rows, cols);
    let mut out = Vec::new();
    while i > 0 && j > 0 {
        if r[i - 1] == c[j - 1] {
            out.push(i - 1);
            i -= 1;
            j -= 1;
        } else if t[i * w + j - 1] > t[(i - 1) * w + j] {
            j -= 1;
        } else {
            i -= 1;
        }
    }
    out.reverse();
    out
}
