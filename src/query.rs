//! Turns query text and filters into a tantivy query: BM25 over title and
//! body (title boosted), actor aliases expanded, indicators (CVE, technique,
//! IOC; defanged or not) also looked up in their exact fields, facet, date
//! and indicator filters applied. It never opens a searcher.

use crate::error::{Error, Result};
use crate::index::schema::{to_datetime, Dimension, Fields};
use crate::ioc::techniques;
use crate::kb::{AliasKind, Kb, Resolved};
use crate::model::IndicatorKind;
use chrono::NaiveDate;
use std::ops::Bound;
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query, QueryParser, RangeQuery, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Index, Term};

/// Boost of the title field relative to the body.
const TITLE_BOOST: f32 = 2.0;

/// Longest alias, in words, looked for in a query.
const MAX_ALIAS_WORDS: usize = 6;

/// Longest query accepted, in bytes: far above anything typed, low enough
/// that parsing stays fast.
pub const MAX_QUERY_BYTES: usize = 256 * 1024;

/// Deepest parenthesis nesting accepted (the parser recurses on groups).
pub const MAX_QUERY_DEPTH: usize = 64;

/// Most terms accepted in one query.
pub const MAX_QUERY_TERMS: usize = 20_000;

/// Checks a query's size and shape before parsing, and replaces control
/// characters (which no query needs) by spaces.
pub fn sanitize(text: &str) -> Result<String> {
    if text.len() > MAX_QUERY_BYTES {
        return Err(Error::Query(format!(
            "query of {} bytes is too long (limit {MAX_QUERY_BYTES})",
            text.len()
        )));
    }
    let mut depth = 0usize;
    let mut deepest = 0usize;
    let mut in_quotes = false;
    for c in text.chars() {
        match c {
            '"' => in_quotes = !in_quotes,
            '(' if !in_quotes => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            ')' if !in_quotes => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    if deepest > MAX_QUERY_DEPTH {
        return Err(Error::Query(format!(
            "parentheses nested {deepest} deep (limit {MAX_QUERY_DEPTH})"
        )));
    }
    let terms = text.split_whitespace().count();
    if terms > MAX_QUERY_TERMS {
        return Err(Error::Query(format!(
            "{terms} terms in the query (limit {MAX_QUERY_TERMS})"
        )));
    }
    Ok(text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect())
}

/// Filters as the user typed them (any alias, country name, sector label).
#[derive(Debug, Clone, Default)]
pub struct RawFilters {
    /// Actor names or aliases.
    pub actors: Vec<String>,
    /// Country codes, names or demonyms.
    pub countries: Vec<String>,
    /// Target country codes, names or demonyms.
    pub targets: Vec<String>,
    /// Sector ids or labels.
    pub sectors: Vec<String>,
    /// Origin country codes or names.
    pub origins: Vec<String>,
    /// Earliest publication date, inclusive.
    pub since: Option<NaiveDate>,
    /// Latest publication date, inclusive.
    pub until: Option<NaiveDate>,
    /// CVE ids (any case).
    pub cves: Vec<String>,
    /// ATT&CK technique ids; a technique includes its sub-techniques.
    pub techniques: Vec<String>,
    /// Indicators of any kind, defanged or not.
    pub iocs: Vec<String>,
}

/// Filters resolved to facet values. Values of one kind are OR-ed, kinds are
/// AND-ed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// Canonical actor names.
    pub actors: Vec<String>,
    /// ISO country codes.
    pub countries: Vec<String>,
    /// ISO codes of target countries.
    pub targets: Vec<String>,
    /// Sector ids.
    pub sectors: Vec<String>,
    /// ISO origin codes.
    pub origins: Vec<String>,
    /// Earliest date, inclusive.
    pub since: Option<NaiveDate>,
    /// Latest date, inclusive.
    pub until: Option<NaiveDate>,
    /// CVE ids, upper case.
    pub cves: Vec<String>,
    /// Technique ids, checked against the built-in list.
    pub techniques: Vec<String>,
    /// Indicators, refanged and normalised, with their kind.
    pub iocs: Vec<(IndicatorKind, String)>,
}

impl Filters {
    /// The facet filters, one group per dimension that has values: a
    /// document must carry one value of each group. An actor's group also
    /// holds the umbrella values of its ambiguous aliases ("Winnti (APT41
    /// or Winnti Group)"). The local and the Quickwit query are built from
    /// these.
    pub fn facet_groups(&self, kb: &Kb) -> Vec<(Dimension, Vec<String>)> {
        [
            (Dimension::Actor, &self.actors),
            (Dimension::Country, &self.countries),
            (Dimension::Target, &self.targets),
            (Dimension::Sector, &self.sectors),
            (Dimension::Origin, &self.origins),
        ]
        .into_iter()
        .filter(|(_, values)| !values.is_empty())
        .map(|(dim, values)| {
            let any = values
                .iter()
                .flat_map(|v| {
                    let umbrellas = match dim {
                        Dimension::Actor => kb.umbrellas_of(v),
                        _ => Vec::new(),
                    };
                    std::iter::once(v.clone()).chain(umbrellas)
                })
                .collect();
            (dim, any)
        })
        .collect()
    }

    /// The indicator filters (CVEs, techniques, IOCs), one group per kind
    /// of filter that has values: a document must match one of each group.
    pub fn indicator_groups(&self) -> Vec<Vec<(IndicatorKind, &str)>> {
        let groups: [Vec<(IndicatorKind, &str)>; 3] = [
            self.cves
                .iter()
                .map(|c| (IndicatorKind::Cve, c.as_str()))
                .collect(),
            self.techniques
                .iter()
                .map(|t| (IndicatorKind::Technique, t.as_str()))
                .collect(),
            self.iocs.iter().map(|(k, v)| (*k, v.as_str())).collect(),
        ];
        groups.into_iter().filter(|g| !g.is_empty()).collect()
    }

    /// Resolves the user's filter values through the knowledge base.
    pub fn resolve(raw: &RawFilters, kb: &Kb) -> Result<Filters> {
        let actor = |name: &String| match kb.resolve_actor(name) {
            Resolved::One(a) => Ok(a.canonical.clone()),
            Resolved::Many(list) => Err(Error::Filter(format!(
                "actor {name:?} is ambiguous: it names {}",
                list.iter()
                    .map(|a| a.canonical.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
            Resolved::Unknown => Err(Error::Filter(format!(
                "unknown actor {name:?}{}",
                crate::kb::suggest::did_you_mean(&kb.nearest_actor_names(name, 3))
            ))),
        };
        let country = |name: &String| {
            kb.resolve_country(name)
                .map(|c| c.code.clone())
                .ok_or_else(|| {
                    Error::Filter(format!(
                        "unknown country {name:?} (use an ISO code or a name)"
                    ))
                })
        };
        let sector = |name: &String| {
            kb.resolve_sector(name)
                .map(|s| s.id.clone())
                .ok_or_else(|| {
                    let ids: Vec<&str> = kb.sectors().iter().map(|s| s.id.as_str()).collect();
                    Error::Filter(format!(
                        "unknown sector {name:?} (one of: {})",
                        ids.join(", ")
                    ))
                })
        };
        let cve = |v: &String| match crate::ioc::parse_one(v) {
            Some((IndicatorKind::Cve, id)) => Ok(id),
            _ => Err(Error::Filter(format!(
                "{v:?} is not a CVE id (CVE-YYYY-NNNN)"
            ))),
        };
        let technique = |v: &String| {
            techniques::normalise(v).ok_or_else(|| {
                Error::Filter(format!(
                    "{v:?} is not a known ATT&CK technique id (T1059, T1059.001)"
                ))
            })
        };
        let ioc = |v: &String| {
            crate::ioc::parse_one(v).ok_or_else(|| {
                Error::Filter(format!(
                    "{v:?} is not an indicator (IP, domain, URL, email, MD5/SHA-1/SHA-256, CVE or technique id)"
                ))
            })
        };
        if let (Some(s), Some(u)) = (raw.since, raw.until) {
            if s > u {
                return Err(Error::Filter(format!("--since {s} is after --until {u}")));
            }
        }
        Ok(Filters {
            actors: raw.actors.iter().map(actor).collect::<Result<_>>()?,
            countries: raw.countries.iter().map(country).collect::<Result<_>>()?,
            targets: raw.targets.iter().map(country).collect::<Result<_>>()?,
            sectors: raw.sectors.iter().map(sector).collect::<Result<_>>()?,
            origins: raw.origins.iter().map(country).collect::<Result<_>>()?,
            since: raw.since,
            until: raw.until,
            cves: raw.cves.iter().map(cve).collect::<Result<_>>()?,
            techniques: raw
                .techniques
                .iter()
                .map(technique)
                .collect::<Result<_>>()?,
            iocs: raw.iocs.iter().map(ioc).collect::<Result<_>>()?,
        })
    }

    /// Returns true if and only if no filter is set.
    pub fn is_empty(&self) -> bool {
        *self == Filters::default()
    }
}

/// A built query: the whole query, and the text part used for snippets.
pub struct Plan {
    /// Text and filters combined.
    pub query: Box<dyn Query>,
    /// The text query alone, when the user gave one.
    pub text: Option<Box<dyn Query>>,
}

/// A query ready to run: the user's filters resolved through the knowledge
/// base, and the query built from them and the text.
pub struct Prepared {
    /// The resolved filters (the report names them).
    pub filters: Filters,
    /// The built query.
    pub plan: Plan,
}

impl Prepared {
    /// Resolves `raw` through `kb` ([`Filters::resolve`]) and builds the query
    /// for `text` with them ([`build`]): the one call a front end makes.
    pub fn new(
        index: &Index,
        fields: &Fields,
        kb: &Kb,
        text: Option<&str>,
        raw: &RawFilters,
    ) -> Result<Prepared> {
        let filters = Filters::resolve(raw, kb)?;
        let plan = build(index, fields, kb, text, &filters)?;
        Ok(Prepared { filters, plan })
    }
}

/// Builds the query for `text` (tantivy query syntax) and `filters`.
pub fn build(
    index: &Index,
    fields: &Fields,
    kb: &Kb,
    text: Option<&str>,
    filters: &Filters,
) -> Result<Plan> {
    let cleaned = text.map(sanitize).transpose()?;
    let text = cleaned.as_deref().map(str::trim).filter(|t| !t.is_empty());
    let text_query = match text {
        Some(t) => {
            let mut parser = QueryParser::new(
                index.schema(),
                vec![fields.title, fields.body],
                crate::index::schema::query_tokenizers(),
            );
            parser.set_field_boost(fields.title, TITLE_BOOST);
            parser.set_conjunction_by_default();
            // Only the patterns `expand_prefixes` writes: it refuses typed ones.
            parser.allow_regexes();
            let expanded = expand_prefixes(&expand_aliases(&expand_indicators(t), kb))?;
            let expanded = split_alternatives(&expanded, index, fields.body)?;
            Some(
                parser
                    .parse_query(&expanded)
                    .map_err(|e| Error::Query(describe(&e, t)))?,
            )
        }
        None => None,
    };
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    if let Some(q) = &text_query {
        clauses.push((Occur::Must, q.box_clone()));
    }
    for (dim, values) in filters.facet_groups(kb) {
        let any: Vec<(Occur, Box<dyn Query>)> = values
            .iter()
            .map(|v| (Occur::Should, facet_query(fields, dim, v)))
            .collect();
        clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
    }
    for group in filters.indicator_groups() {
        let any: Vec<(Occur, Box<dyn Query>)> = group
            .into_iter()
            .map(|(kind, value)| (Occur::Should, indicator_query(fields, kind, value)))
            .collect();
        clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
    }
    if filters.since.is_some() || filters.until.is_some() {
        let lower = filters.since.map_or(Bound::Unbounded, |d| {
            Bound::Included(Term::from_field_date(fields.date, to_datetime(d)))
        });
        let upper = filters.until.map_or(Bound::Unbounded, |d| {
            let next = d.succ_opt().unwrap_or(d);
            Bound::Excluded(Term::from_field_date(fields.date, to_datetime(next)))
        });
        clauses.push((Occur::Must, Box::new(RangeQuery::new(lower, upper))));
    }
    let query: Box<dyn Query> = match clauses.len() {
        0 => Box::new(AllQuery),
        1 if text_query.is_some() => clauses
            .pop()
            .map(|c| c.1)
            .unwrap_or_else(|| Box::new(AllQuery)),
        _ => Box::new(BooleanQuery::new(clauses)),
    };
    Ok(Plan {
        query,
        text: text_query,
    })
}

/// A query matching documents that carry one facet value.
pub fn facet_query(fields: &Fields, dim: Dimension, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_facet(fields.facets, &dim.facet(value)),
        IndexRecordOption::Basic,
    ))
}

/// The exact field of an indicator kind: its handle and its schema name.
fn indicator_field(fields: &Fields, kind: IndicatorKind) -> Field {
    match kind {
        IndicatorKind::Cve => fields.cve,
        IndicatorKind::Technique => fields.technique,
        _ => fields.ioc,
    }
}

/// The schema name of the exact field of an indicator kind.
fn indicator_field_name(kind: IndicatorKind) -> &'static str {
    use crate::index::schema::names;
    match kind {
        IndicatorKind::Cve => names::CVE,
        IndicatorKind::Technique => names::TECHNIQUE,
        _ => names::IOC,
    }
}

/// The values a document's exact field may hold for an indicator: the value
/// itself, and for a technique every listed sub-technique too.
fn indicator_terms(kind: IndicatorKind, value: &str) -> Vec<String> {
    let mut out = vec![value.to_string()];
    if kind == IndicatorKind::Technique {
        out.extend(techniques::subtechniques(value).map(str::to_string));
    }
    out
}

/// A query matching documents that name one normalised indicator (a
/// technique matches its sub-techniques too).
pub fn indicator_query(fields: &Fields, kind: IndicatorKind, value: &str) -> Box<dyn Query> {
    let field = indicator_field(fields, kind);
    let any: Vec<(Occur, Box<dyn Query>)> = indicator_terms(kind, value)
        .into_iter()
        .map(|v| {
            let q: Box<dyn Query> = Box::new(TermQuery::new(
                Term::from_field_text(field, &v),
                IndexRecordOption::WithFreqs,
            ));
            (Occur::Should, q)
        })
        .collect();
    Box::new(BooleanQuery::new(any))
}

/// Rewrites every query word (or quoted phrase) that is one indicator, such
/// as `CVE-2024-3400`, `t1059` or `198.51.100[.]23`, into a group that
/// matches it as text or in its exact field: `(CVE-2024-3400 OR
/// cve:"CVE-2024-3400")`. Operators, fielded terms and other words are
/// kept as typed.
pub fn expand_indicators(q: &str) -> String {
    let mut out = String::with_capacity(q.len() * 2);
    for (piece, sep) in pieces(q) {
        out.push_str(sep);
        let (token, quoted) = match piece {
            Piece::Word(w) | Piece::Other(w) => (w, false),
            Piece::Quoted(s) => (s, true),
        };
        let (prefix, core, suffix) = if quoted { ("", token, "") } else { peel(token) };
        let found = if matches!(core, "AND" | "OR" | "NOT" | "TO" | "IN") || core.is_empty() {
            None
        } else {
            crate::ioc::parse_one(core)
        };
        let Some((kind, value)) = found else {
            if quoted {
                out.push('"');
                out.push_str(token);
                out.push('"');
            } else {
                out.push_str(token);
            }
            continue;
        };
        let text_alt = if !quoted && is_plain_word(core) {
            core.to_string()
        } else {
            quote(core)
        };
        let mut alts = vec![text_alt];
        let field = indicator_field_name(kind);
        for v in indicator_terms(kind, &value) {
            alts.push(format!("{field}:{}", quote(&v)));
        }
        out.push_str(prefix);
        out.push('(');
        out.push_str(&alts.join(" OR "));
        out.push(')');
        out.push_str(suffix);
    }
    out
}

/// Shortest prefix accepted before a trailing `*`, in characters: a
/// one-letter prefix would expand to a large part of the dictionary.
pub const MIN_PREFIX_CHARS: usize = 2;

/// Rewrites prefix queries into what the query parser runs, and refuses
/// the wildcard forms it does not support instead of ignoring them:
/// - `volt*` (a word with a trailing `*`) finds words starting with "volt"
///   in the title or the body, as `(title:/volt.*/ OR body:/volt.*/)`; a
///   full word also matches the forms its stem takes (`exploitation*`
///   finds "exploit" too), as the body is stemmed;
/// - `title:volt*` and `body:volt*` do the same in one field;
/// - `"volt typh"*` (a quoted phrase with a trailing `*`) is tantivy's
///   phrase prefix and is kept; a one-word quoted phrase is a word prefix;
/// - a `*` anywhere else (`*volt`, `vo*lt`) is a usage error, and so is a
///   `/regex/`, which the engine would otherwise read as a pattern.
///
/// A lone `*` (every document) is kept.
pub fn expand_prefixes(q: &str) -> Result<String> {
    let mut out = String::with_capacity(q.len() * 2);
    let ps = pieces(q);
    let mut joined: String;
    let mut i = 0;
    while i < ps.len() {
        let (piece, sep) = &ps[i];
        i += 1;
        out.push_str(sep);
        let token: &str = match piece {
            Piece::Word(w) if !w.starts_with('/') => {
                out.push_str(w);
                continue;
            }
            Piece::Word(w) => w,
            Piece::Quoted(s) => {
                // `"volt"*` comes as the phrase, then `*` with no space.
                match ps.get(i) {
                    Some((Piece::Other(next), "")) if next.starts_with('*') => {
                        joined = format!("\"{s}\"{next}");
                        i += 1;
                        &joined
                    }
                    _ => {
                        out.push('"');
                        out.push_str(s);
                        out.push('"');
                        continue;
                    }
                }
            }
            Piece::Other(t) => t,
        };
        let (prefix, core, suffix) = peel(token);
        let (field, bare) = match core.split_once(':') {
            Some((f, rest)) if !f.starts_with('"') && !f.is_empty() => (Some(f), rest),
            _ => (None, core),
        };
        if bare.starts_with('/') {
            return Err(Error::Query(format!(
                "{token:?}: regular expressions are not supported (quote a path to search it as text: \"/etc/passwd\")"
            )));
        }
        if !bare.contains('*') || bare == "*" {
            out.push_str(token);
            continue;
        }
        let word = if let Some(inner) = bare.strip_prefix('"').and_then(|b| b.strip_suffix("\"*")) {
            if inner.contains('*') {
                return Err(wildcard_error(token));
            }
            let words = inner
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .count();
            if words >= 2 {
                // tantivy's own phrase prefix.
                out.push_str(token);
                continue;
            }
            inner.trim_matches(|c: char| !c.is_alphanumeric())
        } else {
            match bare.strip_suffix('*') {
                Some(w) if !w.contains('*') && !w.is_empty() => w,
                _ => return Err(wildcard_error(token)),
            }
        };
        if word.chars().any(|c| !c.is_alphanumeric()) {
            // Several words ("cve-2024*"): a phrase whose last word is a prefix.
            if word
                .split(|c: char| !c.is_alphanumeric())
                .any(str::is_empty)
            {
                return Err(wildcard_error(token));
            }
            out.push_str(prefix);
            out.push_str(&format!("\"{word}\"*"));
            out.push_str(suffix);
            continue;
        }
        if word.chars().count() < MIN_PREFIX_CHARS {
            return Err(Error::Query(format!(
                "{token:?}: a prefix needs at least {MIN_PREFIX_CHARS} letters before the *"
            )));
        }
        let fields: Vec<&str> = match field {
            None => vec![
                crate::index::schema::names::TITLE,
                crate::index::schema::names::BODY,
            ],
            Some(f) => vec![f],
        };
        let pattern = prefix_pattern(word);
        let alts: Vec<String> = fields.iter().map(|f| format!("{f}:/{pattern}/")).collect();
        out.push_str(prefix);
        out.push('(');
        out.push_str(&alts.join(" OR "));
        out.push(')');
        out.push_str(suffix);
    }
    Ok(out)
}

/// The regular expression of the indexed terms a word prefix matches: the
/// prefix lower-cased, or the stem of the whole word (so `attacks*` finds
/// the indexed stem "attack").
fn prefix_pattern(word: &str) -> String {
    let lower = word.to_lowercase();
    let mut analyzer = crate::index::stem::analyzer();
    let mut stream = analyzer.token_stream(&lower);
    let stem = if stream.advance() {
        stream.token().text.clone()
    } else {
        lower.clone()
    };
    // Only letters and digits remain (checked by the caller), none of which
    // is special in a regular expression.
    if stem != lower && !lower.starts_with(&stem) {
        format!("({lower}|{stem}).*")
    } else if stem != lower {
        format!("{stem}.*")
    } else {
        format!("{lower}.*")
    }
}

fn wildcard_error(token: &str) -> Error {
    Error::Query(format!(
        "{token:?}: only a trailing * is supported (volt* finds words starting with \"volt\"; \"volt typh\"* a phrase whose last word starts so)"
    ))
}

/// Splits a query token into its operator prefix (`-`, `+`, `(`), the core,
/// and the closing parentheses that do not belong to the core.
fn peel(token: &str) -> (&str, &str, &str) {
    let start = token
        .find(|c: char| !matches!(c, '(' | '+' | '-'))
        .unwrap_or(token.len());
    let (prefix, rest) = token.split_at(start);
    let mut end = rest.len();
    while rest[..end].ends_with(')')
        && rest[..end].matches(')').count() > rest[..end].matches('(').count()
    {
        end -= 1;
    }
    (prefix, &rest[..end], &rest[end..])
}

fn describe(e: &tantivy::query::QueryParserError, text: &str) -> String {
    format!("{e} in {text:?} (syntax: words, \"phrases\", AND, OR, -word, title:word, (groups))")
}

/// One lexical piece of a query string.
#[derive(Debug, PartialEq)]
enum Piece<'a> {
    /// A bare word that can be part of an alias.
    Word(&'a str),
    /// A quoted phrase, without its quotes.
    Quoted(&'a str),
    /// Anything else (operators, prefixed or fielded terms, parentheses).
    Other(&'a str),
}

/// Splits a query into pieces, keeping every byte so it can be rebuilt.
fn pieces(q: &str) -> Vec<(Piece<'_>, &str)> {
    let mut out = Vec::new();
    let mut rest = q;
    while !rest.is_empty() {
        let ws = rest.len() - rest.trim_start().len();
        let (sep, body) = rest.split_at(ws);
        if body.is_empty() {
            out.push((Piece::Other(""), sep));
            break;
        }
        let end = if let Some(inner) = body.strip_prefix('"') {
            inner.find('"').map_or(body.len(), |i| i + 2)
        } else {
            body.find(char::is_whitespace).unwrap_or(body.len())
        };
        let tok = &body[..end];
        let piece = if tok.len() >= 2 && tok.starts_with('"') && tok.ends_with('"') {
            Piece::Quoted(&tok[1..tok.len() - 1])
        } else if is_plain_word(tok) {
            Piece::Word(tok)
        } else {
            Piece::Other(tok)
        };
        out.push((piece, sep));
        rest = &body[end..];
    }
    out
}

fn is_plain_word(tok: &str) -> bool {
    !matches!(tok, "AND" | "OR" | "NOT" | "TO" | "IN")
        && !tok.starts_with(['-', '+'])
        && !tok.contains([
            ':', '(', ')', '"', '^', '*', '[', ']', '{', '}', '~', '\\', '\'',
        ])
}

/// Rewrites every actor alias found in the query (a run of bare words, or a
/// quoted phrase) into a group that matches any unambiguous name of that
/// actor in the text, or its actor facet: "vanguard panda" also finds
/// reports that only say "Volt Typhoon".
pub fn expand_aliases(q: &str, kb: &Kb) -> String {
    let ps = pieces(q);
    let mut out = String::with_capacity(q.len() * 2);
    let mut i = 0;
    while i < ps.len() {
        let (piece, sep) = &ps[i];
        out.push_str(sep);
        if let Piece::Quoted(inner) = piece {
            if phrase_has_modifier(&ps, i) {
                // `"a b"*`, `"a b"~2`, `"a b"^2`: the phrase stays a phrase.
                out.push('"');
                out.push_str(inner);
                out.push('"');
                i += 1;
                continue;
            }
            match alias_group(inner, kb) {
                Some(g) => out.push_str(&g),
                None => out.push_str(&compound_alternatives(&format!("\"{inner}\""), None)),
            }
            i += 1;
            continue;
        }
        let Piece::Word(_) = piece else {
            if let Piece::Other(t) = piece {
                out.push_str(t);
            }
            i += 1;
            continue;
        };
        // Longest run of bare words, starting here, that names an actor.
        let mut best = None;
        let mut words = Vec::new();
        for (j, (p, _)) in ps.iter().enumerate().skip(i).take(MAX_ALIAS_WORDS) {
            let Piece::Word(w) = p else { break };
            words.push(*w);
            if let Some(g) = alias_group(&words.join(" "), kb) {
                best = Some((j, g));
            }
        }
        match best {
            Some((j, g)) => {
                out.push_str(&g);
                i = j + 1;
            }
            None => {
                if let Piece::Word(w) = piece {
                    let before = match i.checked_sub(1).map(|p| &ps[p]) {
                        Some((Piece::Word(b), _)) => Some(*b),
                        _ => None,
                    };
                    out.push_str(&compound_alternatives(w, before));
                }
                i += 1;
            }
        }
    }
    out
}

/// Other spellings of one query word or quoted phrase, as a group, so
/// that either way of writing a name finds both (the index holds the
/// parts of compound names, `index::stem`):
/// - a quoted phrase of two or three words also matches the words written
///   as one: `"citrix bleed"` → `("citrix bleed" OR citrixbleed)` (the
///   phrase cannot match the parts of "CitrixBleed", which share one
///   position);
/// - a name with a one-digit version also matches the name without it:
///   `log4j2` → `(log4j2 OR log4j)` (not `apt28` or `fin7`: see
///   [`crate::index::stem::compound_parts`]);
/// - a version number after a word (`lockbit 3.0`, `v2`) is optional: it
///   ranks the reports naming it first, and the base name alone matches.
///
/// `word` is a quoted phrase (with its quotes) or a bare word; `before` is
/// the bare word just before it, if any. Anything else is returned as is.
pub fn compound_alternatives(word: &str, before: Option<&str>) -> String {
    if let Some(inner) = word.strip_prefix('"').and_then(|w| w.strip_suffix('"')) {
        let words: Vec<&str> = inner
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        if (2..=3).contains(&words.len())
            && words.iter().all(|w| w.chars().all(char::is_alphabetic))
        {
            return format!("({word} OR {})", words.concat());
        }
        return word.to_string();
    }
    let is_version = {
        let digits = word.strip_prefix(['v', 'V']).unwrap_or(word);
        !digits.is_empty()
            && digits.starts_with(|c: char| c.is_ascii_digit())
            && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
            && (digits.contains('.') || digits.len() < word.len())
            && !digits.ends_with('.')
    };
    if let (true, Some(name)) = (is_version, before) {
        if name.chars().any(char::is_alphabetic) {
            return format!("(\"{word}\" OR {name})");
        }
    }
    let lower = word.to_lowercase();
    let mut chars = lower.chars().rev();
    if let (Some(last), Some(prev)) = (chars.next(), chars.next()) {
        let base = &lower[..lower.len() - last.len_utf8()];
        // As typed in lower case, the base rule of the index: one digit
        // after a lower-case letter, a name of 4 or more characters.
        if last.is_ascii_digit() && prev.is_alphabetic() && base.chars().count() >= 4 {
            return format!("({word} OR {base})");
        }
    }
    word.to_string()
}

/// Whether the quoted phrase at `i` is followed, with no space, by a
/// modifier (`*` prefix, `~` slop, `^` boost) that applies to it.
fn phrase_has_modifier(ps: &[(Piece<'_>, &str)], i: usize) -> bool {
    matches!(ps.get(i + 1), Some((Piece::Other(t), "")) if t.starts_with(['*', '~', '^']))
}

/// Shortest bare word that [`split_alternatives`] tries to split.
const MIN_SPLIT_CHARS: usize = 7;

/// Most spellings as two words that [`split_alternatives`] adds per word.
const MAX_SPLITS: usize = 2;

/// Rewrites every bare word of letters that reads as two indexed words
/// into a group that also finds them written apart: `printnightmare` →
/// `(printnightmare OR "print nightmare")`, `citrixbleed` → `(citrixbleed
/// OR "citrix bleed")`. Both halves must be at least 3 letters and in the
/// index; the alternative is a phrase, so it only matches the two words
/// side by side. (The other way round, a typed "citrix bleed" finds
/// "CitrixBleed" through the parts the index holds for it.) Opens the
/// index only when the query has a word long enough.
pub fn split_alternatives(q: &str, index: &Index, body: Field) -> Result<String> {
    let ps = pieces(q);
    let long = |w: &str| w.chars().count() >= MIN_SPLIT_CHARS && w.chars().all(char::is_alphabetic);
    if !ps
        .iter()
        .any(|(p, _)| matches!(p, Piece::Word(w) if long(w)))
    {
        return Ok(q.to_string());
    }
    let searcher = index
        .reader_builder()
        .reload_policy(tantivy::ReloadPolicy::Manual)
        .try_into()
        .map(|r: tantivy::IndexReader| r.searcher())?;
    let mut analyzer = crate::index::stem::query_analyzer();
    let mut indexed = |word: &str| -> Result<bool> {
        let mut stream = analyzer.token_stream(word);
        let mut all = true;
        let mut any = false;
        while let Some(t) = tantivy::tokenizer::TokenStream::next(&mut stream) {
            any = true;
            all &= searcher.doc_freq(&Term::from_field_text(body, &t.text))? > 0;
        }
        Ok(any && all)
    };
    let mut out = String::with_capacity(q.len() * 2);
    let mut quotes = 0usize;
    for (piece, sep) in &ps {
        out.push_str(sep);
        // Inside a quoted name that an earlier expansion wrote, words stay.
        let in_quotes = quotes % 2 == 1;
        if let Piece::Other(t) = piece {
            quotes += t.matches('"').count();
        }
        match piece {
            Piece::Word(w) if long(w) && !in_quotes => {
                let lower = w.to_lowercase();
                let mut alts = Vec::new();
                let cuts: Vec<usize> = lower.char_indices().map(|(i, _)| i).collect();
                for &cut in cuts.iter().skip(3).take(cuts.len().saturating_sub(5)) {
                    let (a, b) = lower.split_at(cut);
                    if alts.len() < MAX_SPLITS && indexed(a)? && indexed(b)? {
                        alts.push(format!("\"{a} {b}\""));
                    }
                }
                if alts.is_empty() {
                    out.push_str(w);
                } else {
                    out.push_str(&format!("({w} OR {})", alts.join(" OR ")));
                }
            }
            Piece::Word(w) | Piece::Other(w) => out.push_str(w),
            Piece::Quoted(s) => {
                out.push('"');
                out.push_str(s);
                out.push('"');
            }
        }
    }
    Ok(out)
}

/// The query group for an alias, if `name` names exactly one actor.
fn alias_group(name: &str, kb: &Kb) -> Option<String> {
    let Resolved::One(actor) = kb.resolve_actor(name) else {
        return None;
    };
    // A single ordinary word ("play", "cobalt") typed in a query is more
    // likely meant as a word; the user can say --actor instead.
    let kind = actor
        .aliases
        .iter()
        .find(|a| crate::kb::fold(&a.name) == crate::kb::fold(name))
        .map_or(AliasKind::Plain, |a| a.kind);
    if kind != AliasKind::Plain {
        return None;
    }
    let mut alts = vec![quote(&actor.canonical)];
    for a in &actor.aliases {
        if a.kind == AliasKind::Plain && !a.name.contains(['"', '\\']) {
            alts.push(quote(&a.name));
        }
    }
    let facet = Dimension::Actor.facet(&actor.canonical).to_string();
    alts.push(format!(
        "{}:{}",
        crate::index::schema::names::FACETS,
        quote(&facet)
    ));
    Some(format!("({})", alts.join(" OR ")))
}

fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace(['"', '\\'], " "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_keep_every_byte() {
        let q = r#"  volt typhoon AND "salt typhoon" -lazarus title:x (a OR b) "#;
        let rebuilt: String = pieces(q)
            .iter()
            .map(|(p, sep)| {
                let body = match p {
                    Piece::Word(w) | Piece::Other(w) => w.to_string(),
                    Piece::Quoted(s) => format!("\"{s}\""),
                };
                format!("{sep}{body}")
            })
            .collect();
        assert_eq!(rebuilt, q);
        assert_eq!(pieces("a \"b c\"")[1].0, Piece::Quoted("b c"));
    }

    #[test]
    fn sanitize_bounds_size_depth_and_terms() {
        assert_eq!(sanitize("a\u{0}b\tc").unwrap(), "a b c");
        assert!(sanitize(&"(".repeat(100)).is_err());
        assert!(
            sanitize(&format!("\"{}\"", "(".repeat(100))).is_ok(),
            "quoted parens are text"
        );
        assert!(sanitize(&"x ".repeat(MAX_QUERY_TERMS + 1)).is_err());
        assert!(sanitize(&"y".repeat(MAX_QUERY_BYTES + 1)).is_err());
        assert!(sanitize(&vec!["w"; 10_000].join(" OR ")).is_ok());
    }

    #[test]
    fn indicators_in_queries_are_expanded() {
        assert_eq!(
            expand_indicators("CVE-2024-21887 ivanti"),
            r#"(CVE-2024-21887 OR cve:"CVE-2024-21887") ivanti"#
        );
        assert_eq!(
            expand_indicators("-198.51.100[.]23"),
            r#"-("198.51.100[.]23" OR ioc:"198.51.100.23")"#
        );
        assert_eq!(
            expand_indicators("(evil[.]com OR x)"),
            r#"(("evil[.]com" OR ioc:"evil.com") OR x)"#
        );
        let t = expand_indicators("t1059");
        assert!(
            t.starts_with(r#"(t1059 OR technique:"T1059" OR technique:"T1059.001""#),
            "{t}"
        );
        assert_eq!(
            expand_indicators("\"cve-2024-1234\""),
            r#"("cve-2024-1234" OR cve:"CVE-2024-1234")"#
        );
        for kept in [
            "volt typhoon",
            "title:CVE-2024-1",
            "ioc:1.2.3.4",
            "file.exe AND x",
        ] {
            assert_eq!(expand_indicators(kept), kept);
        }
    }

    #[test]
    fn trailing_star_becomes_a_prefix_and_other_wildcards_are_refused() {
        assert_eq!(
            expand_prefixes("volt*").unwrap(),
            "(title:/volt.*/ OR body:/volt.*/)"
        );
        assert_eq!(
            expand_prefixes("-(Volt* OR x)").unwrap(),
            "-((title:/volt.*/ OR body:/volt.*/) OR x)"
        );
        assert_eq!(expand_prefixes("title:typh*").unwrap(), "(title:/typh.*/)");
        // A whole word's stem is matched too: the body is stemmed.
        assert_eq!(
            expand_prefixes("attacks*").unwrap(),
            "(title:/attack.*/ OR body:/attack.*/)"
        );
        assert_eq!(
            expand_prefixes("\"volt\"*").unwrap(),
            "(title:/volt.*/ OR body:/volt.*/)"
        );
        for kept in ["\"volt typh\"*", "a * b", "volt typhoon", "\"a*b\""] {
            assert_eq!(expand_prefixes(kept).unwrap(), kept);
        }
        assert_eq!(expand_prefixes("cve-2024*").unwrap(), "\"cve-2024\"*");
        for refused in [
            "*volt",
            "vo*lt",
            "v*",
            "volt**",
            "/etc/passwd",
            "title:/x.*/",
        ] {
            assert!(
                matches!(expand_prefixes(refused), Err(Error::Query(_))),
                "{refused}"
            );
        }
    }

    #[test]
    fn compound_spellings_get_their_alternatives() {
        assert_eq!(
            compound_alternatives("\"citrix bleed\"", None),
            "(\"citrix bleed\" OR citrixbleed)"
        );
        assert_eq!(compound_alternatives("log4j2", None), "(log4j2 OR log4j)");
        assert_eq!(
            compound_alternatives("LockBit3", None),
            "(LockBit3 OR lockbit)"
        );
        assert_eq!(
            compound_alternatives("3.0", Some("lockbit")),
            "(\"3.0\" OR lockbit)"
        );
        assert_eq!(
            compound_alternatives("v2", Some("emotet")),
            "(\"v2\" OR emotet)"
        );
        for kept in [
            "apt28",
            "fin7",
            "ta505",
            "ransomware",
            "2024",
            "\"a b c d\"",
            "sha1",
        ] {
            assert_eq!(compound_alternatives(kept, Some("x")), kept);
        }
        assert_eq!(compound_alternatives("3.0", None), "3.0");
    }

    #[test]
    fn unbalanced_quote_is_kept_as_other() {
        let p = pieces("\"volt typhoon");
        assert_eq!(p.len(), 1);
    }
}
