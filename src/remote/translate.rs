//! Builds the Quickwit query of a threatdex query, client-side: the same
//! rewrites as `query::build` (indicators, actor aliases, compound
//! spellings, prefixes), the same syntax tree (tantivy's query grammar),
//! the same analysis of words (threatdex's stemming analyzer), then every
//! leaf written out fielded and every clause with an explicit occurrence,
//! so Quickwit's defaults play no part. Filters become the same clauses as
//! locally: facet values (OR within a kind, with an actor's umbrella
//! values), indicators, and the date range.

use super::mapping::{facet_field, parts_field, terms_field};
use crate::error::{Error, Result};
use crate::index::schema::{names, Dimension};
use crate::kb::Kb;
use crate::model::IndicatorKind;
use crate::query::{expand_aliases, expand_indicators, expand_prefixes, sanitize, Filters};
use tantivy::query_grammar::{Delimiter, Occur, UserInputAst, UserInputLeaf, UserInputLiteral};
use tantivy::tokenizer::TextAnalyzer;

/// A query that matches every document.
pub const MATCH_ALL: &str = "*";

/// The Quickwit query for `text` and `filters`.
pub fn translate(kb: &Kb, text: Option<&str>, filters: &Filters) -> Result<String> {
    let mut clauses: Vec<String> = Vec::new();
    if let Some(t) = text_query(kb, text)? {
        clauses.push(t);
    }
    clauses.extend(filter_clauses(kb, filters));
    Ok(match clauses.len() {
        0 => MATCH_ALL.to_string(),
        1 => clauses.remove(0),
        _ => clauses
            .iter()
            .map(|c| format!("+{c}"))
            .collect::<Vec<_>>()
            .join(" "),
    })
}

/// The text part alone, `None` without text.
pub fn text_query(kb: &Kb, text: Option<&str>) -> Result<Option<String>> {
    let cleaned = text.map(sanitize).transpose()?;
    let Some(t) = cleaned.as_deref().map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    let expanded = expand_prefixes(&expand_aliases(&expand_indicators(t), kb))?;
    let ast = tantivy::query_grammar::parse_query(&expanded)
        .map_err(|_| Error::Query(format!("syntax error in {t:?} (syntax: words, \"phrases\", AND, OR, -word, title:word, (groups))")))?;
    let mut w = Writer {
        analyzer: crate::index::stem::query_analyzer(),
    };
    let top = w.ast(&ast)?;
    let q = match top {
        None => return Err(Error::Query(format!("{t:?} has no word to search for"))),
        // As tantivy's query parser, which refuses them.
        Some(_) if all_negative(&ast) => {
            return Err(Error::Query(format!(
                "only excluding terms given in {t:?} (syntax: words, \"phrases\", AND, OR, -word, title:word, (groups))"
            )))
        }
        Some(q) => q,
    };
    Ok(Some(q))
}

fn all_negative(ast: &UserInputAst) -> bool {
    match ast {
        UserInputAst::Leaf(_) => false,
        UserInputAst::Boost(a, _) => all_negative(a),
        UserInputAst::Clause(cs) => cs
            .iter()
            .all(|(o, c)| *o == Some(Occur::MustNot) || all_negative(c)),
    }
}

/// A quoted term or phrase of the query language.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        if matches!(c, '"' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

struct Writer {
    analyzer: TextAnalyzer,
}

/// The schema's stemmed text fields a bare word is looked for in (as the
/// local query parser's default fields).
const DEFAULT_FIELDS: [&str; 2] = [names::TITLE, names::BODY];

/// Fields matched whole (raw tokenizer) that a query may name.
const EXACT_FIELDS: [&str; 7] = [
    names::CVE,
    names::TECHNIQUE,
    names::IOC,
    names::PATH,
    names::KEY,
    names::FORMAT,
    names::KB,
];

impl Writer {
    fn ast(&mut self, ast: &UserInputAst) -> Result<Option<String>> {
        match ast {
            UserInputAst::Leaf(leaf) => self.leaf(leaf),
            UserInputAst::Boost(inner, boost) => Ok(self
                .ast(inner)?
                .map(|q| format!("({q})^{}", boost.into_inner()))),
            UserInputAst::Clause(children) => {
                let (mut must, mut should, mut not) = (Vec::new(), Vec::new(), Vec::new());
                for (occur, child) in children {
                    let Some(q) = self.ast(child)? else { continue };
                    // No occurrence means "required": threatdex's queries
                    // are conjunctive by default.
                    match occur {
                        Some(Occur::Should) => should.push(q),
                        Some(Occur::MustNot) => not.push(format!("-{q}")),
                        Some(Occur::Must) | None => must.push(format!("+{q}")),
                    }
                }
                // Quickwit reads unmarked clauses as required, so optional
                // ones are written as one OR group. Next to a required
                // clause they would only add to the score: they are left
                // out, and the matching documents stay the same.
                let mut parts = must;
                if parts.is_empty() && !should.is_empty() {
                    parts.push(if should.len() == 1 {
                        should.remove(0)
                    } else {
                        format!("({})", should.join(" OR "))
                    });
                }
                parts.extend(not);
                Ok((!parts.is_empty()).then(|| format!("({})", parts.join(" "))))
            }
        }
    }

    fn leaf(&mut self, leaf: &UserInputLeaf) -> Result<Option<String>> {
        match leaf {
            UserInputLeaf::All => Ok(Some(MATCH_ALL.to_string())),
            UserInputLeaf::Literal(lit) => self.literal(lit),
            UserInputLeaf::Regex { field, pattern } => {
                let fields: Vec<&str> = match field.as_deref() {
                    None => DEFAULT_FIELDS.to_vec(),
                    Some(f) if DEFAULT_FIELDS.contains(&f) || f == names::TAGS => vec![f],
                    Some(f) => return Err(unsupported_field(f)),
                };
                let alts: Vec<String> = fields
                    .iter()
                    .flat_map(|f| {
                        [
                            format!("{}:/{pattern}/", terms_field(f)),
                            format!("{}:/{pattern}/", parts_field(f)),
                        ]
                    })
                    .collect();
                Ok(Some(format!("({})", alts.join(" OR "))))
            }
            UserInputLeaf::Range {
                field,
                lower,
                upper,
            } => match field.as_deref() {
                Some(names::DATE) => {
                    use tantivy::query_grammar::UserInputBound as B;
                    let bound = |v: &str| -> Result<String> {
                        if !v.is_empty()
                            && v.chars().all(|c| {
                                c.is_ascii_alphanumeric() || matches!(c, ':' | '.' | '-' | '+')
                            })
                        {
                            Ok(v.to_string())
                        } else {
                            Err(Error::Query(format!(
                                "{v:?} is not a date (2024-01-31 or 2024-01-31T00:00:00Z)"
                            )))
                        }
                    };
                    let lo = match lower {
                        B::Inclusive(v) => format!("[{}", bound(v)?),
                        B::Exclusive(v) => format!("{{{}", bound(v)?),
                        B::Unbounded => "[*".to_string(),
                    };
                    let hi = match upper {
                        B::Inclusive(v) => format!("{}]", bound(v)?),
                        B::Exclusive(v) => format!("{}}}", bound(v)?),
                        B::Unbounded => "*]".to_string(),
                    };
                    Ok(Some(format!("{}:{lo} TO {hi}", names::DATE)))
                }
                Some(f) => Err(unsupported_field(f)),
                None => Err(Error::Query("a range needs a field (date:[a TO b])".into())),
            },
            UserInputLeaf::Set { field, elements } => match field.as_deref() {
                Some(f) if EXACT_FIELDS.contains(&f) => {
                    let items: Vec<String> = elements.iter().map(|e| quote(e)).collect();
                    Ok(Some(format!("{f}: IN [{}]", items.join(" "))))
                }
                Some(f) => Err(unsupported_field(f)),
                None => Err(Error::Query("a set needs a field (cve: IN [a b])".into())),
            },
            UserInputLeaf::Exists { field } => Err(unsupported_field(field)),
        }
    }

    fn literal(&mut self, lit: &UserInputLiteral) -> Result<Option<String>> {
        match lit.field_name.as_deref() {
            None => {
                let alts: Vec<String> = DEFAULT_FIELDS
                    .iter()
                    .filter_map(|f| self.text_literal(f, lit))
                    .collect();
                Ok(match alts.len() {
                    0 => None,
                    1 => alts.into_iter().next(),
                    _ => Some(format!("({})", alts.join(" OR "))),
                })
            }
            Some(f) if DEFAULT_FIELDS.contains(&f) || f == names::TAGS => {
                Ok(self.text_literal(f, lit))
            }
            Some(f) if EXACT_FIELDS.contains(&f) => {
                if lit.prefix {
                    return Err(Error::Query(format!(
                        "{f}: takes whole values, not prefixes"
                    )));
                }
                Ok(Some(format!("{f}:{}", quote(&lit.phrase))))
            }
            Some(names::FACETS) => {
                let facet = tantivy::schema::Facet::from_text(&lit.phrase)
                    .map_err(|_| Error::Query(format!("{:?} is not a facet path", lit.phrase)))?;
                let path = facet.to_path();
                let dim = path
                    .first()
                    .and_then(|r| Dimension::from_name(r))
                    .ok_or_else(|| Error::Query(format!("unknown facet {:?}", lit.phrase)))?;
                Ok(Some(match path.get(1) {
                    Some(v) => format!("{}:{}", facet_field(dim), quote(v)),
                    None => format!("{}:*", facet_field(dim)),
                }))
            }
            Some(f) => Err(unsupported_field(f)),
        }
    }

    /// A word or phrase in one stemmed field: its tokens as threatdex
    /// analyses queries; one token is a term (also found among compound
    /// parts), several a phrase.
    fn text_literal(&mut self, field: &str, lit: &UserInputLiteral) -> Option<String> {
        let mut tokens = Vec::new();
        let mut stream = self.analyzer.token_stream(&lit.phrase);
        while stream.advance() {
            tokens.push(stream.token().text.clone());
        }
        let terms = terms_field(field);
        match tokens.len() {
            0 => None,
            1 if !lit.prefix => Some(format!(
                "({terms}:{q} OR {}:{q})",
                parts_field(field),
                q = quote(&tokens[0])
            )),
            _ => {
                let mut q = format!("{terms}:{}", quote(&tokens.join(" ")));
                if lit.slop > 0 && lit.delimiter != Delimiter::None {
                    q.push_str(&format!("~{}", lit.slop));
                } else if lit.prefix {
                    q.push('*');
                }
                Some(q)
            }
        }
    }
}

fn unsupported_field(f: &str) -> Error {
    Error::Query(format!(
        "field {f:?} cannot be searched (searchable: title, body, tags, cve, technique, ioc, path, key, format, facets)"
    ))
}

/// The clauses of the filters, each one required.
fn filter_clauses(kb: &Kb, filters: &Filters) -> Vec<String> {
    let mut out = Vec::new();
    for (dim, any) in filters.facet_groups(kb) {
        let alts: Vec<String> = any
            .iter()
            .map(|v| format!("{}:{}", facet_field(dim), quote(v)))
            .collect();
        out.push(format!("({})", alts.join(" OR ")));
    }
    for group in filters.indicator_groups() {
        let mut alts = Vec::new();
        for (kind, value) in group {
            let field = match kind {
                IndicatorKind::Cve => names::CVE,
                IndicatorKind::Technique => names::TECHNIQUE,
                _ => names::IOC,
            };
            alts.push(format!("{field}:{}", quote(value)));
            if kind == IndicatorKind::Technique {
                for s in crate::ioc::techniques::subtechniques(value) {
                    alts.push(format!("{field}:{}", quote(s)));
                }
            }
        }
        out.push(format!("({})", alts.join(" OR ")));
    }
    if filters.since.is_some() || filters.until.is_some() {
        // Quickwit reads unquoted RFC 3339 bounds (quoted ones are refused).
        let lo = filters
            .since
            .map_or_else(|| "[*".to_string(), |d| format!("[{d}T00:00:00Z"));
        let hi = filters.until.map_or_else(
            || "*]".to_string(),
            |d| {
                let next = d.succ_opt().unwrap_or(d);
                format!("{next}T00:00:00Z}}")
            },
        );
        out.push(format!("{}:{lo} TO {hi}", names::DATE));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::RawFilters;

    fn kb() -> Kb {
        Kb::with_extra_actors(None).unwrap()
    }

    fn q(text: &str) -> String {
        translate(&kb(), Some(text), &Filters::default()).unwrap()
    }

    #[test]
    fn words_are_stemmed_required_and_looked_up_in_title_and_body() {
        assert_eq!(
            q("exploited routers"),
            "(+((title_terms:\"exploit\" OR title_parts:\"exploit\") OR (body_terms:\"exploit\" OR body_parts:\"exploit\")) \
             +((title_terms:\"router\" OR title_parts:\"router\") OR (body_terms:\"router\" OR body_parts:\"router\")))"
        );
    }

    #[test]
    fn operators_keep_their_meaning() {
        // Optional clauses become one OR group (Quickwit reads unmarked
        // clauses as required), exclusions stay exclusions.
        let word = |w: &str| {
            format!("((title_terms:\"{w}\" OR title_parts:\"{w}\") OR (body_terms:\"{w}\" OR body_parts:\"{w}\"))")
        };
        assert_eq!(
            q("ransomware OR wiper -test"),
            format!(
                "(({} OR {}) -{})",
                word("ransomwar"),
                word("wiper"),
                word("test")
            )
        );
        // Next to a required clause, an optional one only scores: left out.
        assert_eq!(q("apt OR +wiper"), format!("(+{})", word("wiper")));
        assert!(matches!(
            translate(&kb(), Some("-lazarus"), &Filters::default()),
            Err(Error::Query(_))
        ));
    }

    #[test]
    fn phrases_indicators_and_prefixes() {
        assert!(q("\"supply chains\"").contains("title_terms:\"suppli chain\""));
        let cve = q("CVE-2024-3400");
        assert!(cve.contains("cve:\"CVE-2024-3400\""), "{cve}");
        assert!(cve.contains("body_terms:\"cve 2024 3400\""), "{cve}");
        assert!(q("volt*").contains("body_terms:/volt.*/"));
        assert!(q("title:volt*").contains("title_parts:/volt.*/"));
        assert!(!q("title:volt*").contains("body_terms"));
    }

    #[test]
    fn aliases_expand_to_names_and_the_actor_facet() {
        let t = q("vanguard panda");
        assert!(t.contains("facets.actor:\"Volt Typhoon\""), "{t}");
        assert!(t.contains("body_terms:\"volt typhoon\""), "{t}");
    }

    #[test]
    fn filters_become_required_clauses() {
        let raw = RawFilters {
            actors: vec!["apt28".into()],
            countries: vec!["Ukraine".into()],
            cves: vec!["cve-2023-4966".into()],
            techniques: vec!["T1059".into()],
            since: chrono::NaiveDate::from_ymd_opt(2024, 1, 1),
            until: chrono::NaiveDate::from_ymd_opt(2024, 12, 31),
            ..RawFilters::default()
        };
        let k = kb();
        let f = Filters::resolve(&raw, &k).unwrap();
        let t = translate(&k, None, &f).unwrap();
        assert!(t.contains("+(facets.actor:\"APT28\""), "{t}");
        assert!(t.contains("+(facets.country:\"UA\")"), "{t}");
        assert!(t.contains("+(cve:\"CVE-2023-4966\")"), "{t}");
        assert!(t.contains("technique:\"T1059.001\""), "{t}");
        assert!(
            t.contains("+date:[2024-01-01T00:00:00Z TO 2025-01-01T00:00:00Z}"),
            "{t}"
        );
        assert_eq!(translate(&k, None, &Filters::default()).unwrap(), "*");
    }

    #[test]
    fn bad_input_is_a_query_error_not_a_panic() {
        let k = kb();
        for bad in [
            "date:>x AND (",
            "hash:abc",
            "url:x",
            "(((",
            "*volt",
            "\"\"",
            "!!!",
        ] {
            match translate(&k, Some(bad), &Filters::default()) {
                Err(Error::Query(_)) => {}
                other => panic!("{bad}: {other:?}"),
            }
        }
        assert_eq!(quote("a\"b\\c"), "\"a\\\"b\\\\c\"");
    }
}
