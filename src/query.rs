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
            let mut parser = QueryParser::for_index(index, vec![fields.title, fields.body]);
            parser.set_field_boost(fields.title, TITLE_BOOST);
            parser.set_conjunction_by_default();
            let expanded = expand_aliases(&expand_indicators(t), kb);
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
    let facet_groups = [
        (Dimension::Actor, &filters.actors),
        (Dimension::Country, &filters.countries),
        (Dimension::Target, &filters.targets),
        (Dimension::Sector, &filters.sectors),
        (Dimension::Origin, &filters.origins),
    ];
    for (dim, values) in facet_groups {
        if values.is_empty() {
            continue;
        }
        // An actor also matches the umbrella values of its ambiguous
        // aliases ("Winnti (APT41 or Winnti Group)").
        let any: Vec<(Occur, Box<dyn Query>)> = values
            .iter()
            .flat_map(|v| {
                let umbrellas = match dim {
                    Dimension::Actor => kb.umbrellas_of(v),
                    _ => Vec::new(),
                };
                std::iter::once(v.clone()).chain(umbrellas)
            })
            .map(|v| (Occur::Should, facet_query(fields, dim, &v)))
            .collect();
        clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
    }
    let indicator_groups: [Vec<(IndicatorKind, &str)>; 3] = [
        filters
            .cves
            .iter()
            .map(|c| (IndicatorKind::Cve, c.as_str()))
            .collect(),
        filters
            .techniques
            .iter()
            .map(|t| (IndicatorKind::Technique, t.as_str()))
            .collect(),
        filters.iocs.iter().map(|(k, v)| (*k, v.as_str())).collect(),
    ];
    for group in indicator_groups {
        if group.is_empty() {
            continue;
        }
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
            match alias_group(inner, kb) {
                Some(g) => out.push_str(&g),
                None => {
                    out.push('"');
                    out.push_str(inner);
                    out.push('"');
                }
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
                    out.push_str(w);
                }
                i += 1;
            }
        }
    }
    out
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
    fn unbalanced_quote_is_kept_as_other() {
        let p = pieces("\"volt typhoon");
        assert_eq!(p.len(), 1);
    }
}
