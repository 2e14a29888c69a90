//! The knowledge base: actors, countries and sectors, compiled into the binary,
//! and the alias → canonical lookup over them.
//!
//! The data lives in three TSV files beside this module (`actors.tsv`,
//! `countries.tsv`, `sectors.tsv`); their headers document the columns. A user
//! can merge more actors with `threatdex kb import`, which writes a TSV of the
//! same shape into the index directory.

pub mod import;
mod load;
pub mod matcher;
pub mod suggest;
pub mod typo;

pub use load::{parse_actors, parse_countries, parse_sectors};
pub use matcher::{Entry, Matcher, Target};

use crate::error::Result;
use rustc_hash::FxHashMap as HashMap;

/// Built-in actor catalogue.
pub const ACTORS_TSV: &str = include_str!("actors.tsv");
/// Built-in ISO 3166-1 country list with names and demonyms.
pub const COUNTRIES_TSV: &str = include_str!("countries.tsv");
/// Built-in sector taxonomy with trigger phrases.
pub const SECTORS_TSV: &str = include_str!("sectors.tsv");

/// How an alias may be matched in text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AliasKind {
    /// Matched case-insensitively as a whole word.
    Plain,
    /// An ordinary word or a tool name (`~` in the TSV): it needs the exact
    /// case and a context word such as "group" or "ransomware" nearby.
    Common,
    /// Claimed by several actors (`?` in the TSV): it never resolves alone.
    Ambiguous,
    /// A ransomware brand run by the crew (`$` in the TSV): the
    /// [`AliasKind::Common`] rule, and the brand named as ransomware or with
    /// a version ("LockBit ransomware", "LockBit 3.0") names the crew too.
    Ransomware,
}

/// One name of an actor.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Alias {
    /// The name as written by vendors.
    pub name: String,
    /// How it may be matched.
    pub kind: AliasKind,
}

/// A threat actor (group) with all its names.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Actor {
    /// The one name used in facets.
    pub canonical: String,
    /// How the canonical name itself may be matched (`Play` and `Hive` are
    /// ordinary words too).
    pub canonical_kind: AliasKind,
    /// ISO code of the attributed origin country.
    pub origin: Option<String>,
    /// espionage, financial, destructive, hacktivism, influence or unknown.
    pub motivation: String,
    /// MITRE ATT&CK group id (`G0007`).
    pub mitre: Option<String>,
    /// Every other name, with its matching rule.
    pub aliases: Vec<Alias>,
}

/// A country of ISO 3166-1.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Country {
    /// ISO 3166-1 alpha-2 code.
    pub code: String,
    /// Short English name.
    pub name: String,
    /// Other names and short forms (`U.S.`, `DPRK`) with their matching rule.
    pub names: Vec<Alias>,
    /// Demonyms (`North Korean`) with their matching rule.
    pub demonyms: Vec<Alias>,
}

/// A sector of the taxonomy.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Sector {
    /// Stable id used in facets (`telecommunications`).
    pub id: String,
    /// Human label.
    pub label: String,
    /// The CISA critical-infrastructure sector it maps to.
    pub cisa: String,
    /// NAICS two-digit code(s).
    pub naics: String,
    /// Lower-case phrases that assign the sector.
    pub triggers: Vec<String>,
}

/// The answer to "which actor is this name?".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved<'a> {
    /// Exactly one actor carries the name.
    One(&'a Actor),
    /// Several actors claim the name.
    Many(Vec<&'a Actor>),
    /// No actor carries the name.
    Unknown,
}

/// The loaded knowledge base with its lookup tables and text matcher.
#[derive(Debug)]
pub struct Kb {
    actors: Vec<Actor>,
    countries: Vec<Country>,
    sectors: Vec<Sector>,
    blockers: Vec<String>,
    country_blockers: Vec<String>,
    actor_by_name: HashMap<String, Vec<usize>>,
    country_by_name: HashMap<String, usize>,
    /// The hash state after everything extraction reads from the catalogues:
    /// [`Kb::fingerprint`] adds the rules' revision to it.
    catalogue_digest: blake3::Hasher,
    /// Built on first use: searches never need it, and it costs a few ms.
    matcher: std::sync::OnceLock<Matcher>,
    /// Built on first use, like the matcher.
    near_names: std::sync::OnceLock<typo::NearNames>,
}

impl Kb {
    /// Loads the built-in knowledge base.
    pub fn builtin() -> Result<Kb> {
        Kb::with_extra_actors(None)
    }

    /// Loads the built-in knowledge base, with the actor catalogue `extra` (a
    /// TSV in the shape of `actors.tsv`, written by `kb import` as the
    /// built-in catalogue merged with the imports) in its place when given.
    pub fn with_extra_actors(extra: Option<&str>) -> Result<Kb> {
        let (actors, blockers) = match extra {
            Some(text) => parse_actors(text, "imported actors")?,
            None => parse_actors(ACTORS_TSV, "actors.tsv")?,
        };
        let (countries, country_blockers) = parse_countries(COUNTRIES_TSV, "countries.tsv")?;
        let sectors = parse_sectors(SECTORS_TSV, "sectors.tsv")?;
        let mut kb = Kb::from_parts(actors, blockers, countries, country_blockers, sectors);
        let h = &mut kb.catalogue_digest;
        // Everything extraction reads from the catalogues, technique names
        // included.
        for part in [
            extra.unwrap_or(ACTORS_TSV),
            COUNTRIES_TSV,
            SECTORS_TSV,
            crate::ioc::techniques::TECHNIQUES_TSV,
        ] {
            h.update(part.as_bytes());
            h.update(b"\0");
        }
        Ok(kb)
    }

    /// Builds a knowledge base from parsed parts (used by tests and import).
    pub fn from_parts(
        actors: Vec<Actor>,
        blockers: Vec<String>,
        countries: Vec<Country>,
        country_blockers: Vec<String>,
        sectors: Vec<Sector>,
    ) -> Kb {
        let mut actor_by_name: HashMap<String, Vec<usize>> = HashMap::default();
        for (i, a) in actors.iter().enumerate() {
            let names = std::iter::once(a.canonical.as_str())
                .chain(a.aliases.iter().map(|x| x.name.as_str()));
            for n in names {
                let slot = actor_by_name.entry(fold(n)).or_default();
                if !slot.contains(&i) {
                    slot.push(i);
                }
            }
        }
        let mut country_by_name = HashMap::default();
        for (i, c) in countries.iter().enumerate() {
            country_by_name.insert(fold(&c.code), i);
            let names = std::iter::once(c.name.as_str())
                .chain(c.names.iter().map(|x| x.name.as_str()))
                .chain(c.demonyms.iter().map(|x| x.name.as_str()));
            for n in names {
                country_by_name.entry(fold(n)).or_insert(i);
            }
        }
        Kb {
            actors,
            countries,
            sectors,
            blockers,
            country_blockers,
            actor_by_name,
            country_by_name,
            catalogue_digest: blake3::Hasher::new(),
            matcher: std::sync::OnceLock::new(),
            near_names: std::sync::OnceLock::new(),
        }
    }

    /// A short digest of the knowledge-base data and of `rules_revision`, the
    /// revision of the rules that read it (the caller passes
    /// `extract::RULES_REVISION`): when it changes, indexed documents must be
    /// extracted again.
    pub fn fingerprint(&self, rules_revision: u32) -> String {
        let mut h = self.catalogue_digest.clone();
        h.update(&rules_revision.to_le_bytes());
        h.finalize().to_hex()[..16].to_string()
    }

    /// All actors, in catalogue order.
    pub fn actors(&self) -> &[Actor] {
        &self.actors
    }

    /// All countries, in ISO order.
    pub fn countries(&self) -> &[Country] {
        &self.countries
    }

    /// All sectors of the taxonomy.
    pub fn sectors(&self) -> &[Sector] {
        &self.sectors
    }

    /// Phrases that contain an actor alias but never name an actor.
    pub fn actor_blockers(&self) -> &[String] {
        &self.blockers
    }

    /// Phrases that contain a country name but never name a country.
    pub fn country_blockers(&self) -> &[String] {
        &self.country_blockers
    }

    /// The text matcher over every alias, country name and sector trigger.
    pub fn matcher(&self) -> &Matcher {
        self.matcher.get_or_init(|| {
            Matcher::build(
                &self.actors,
                &self.blockers,
                &self.countries,
                &self.country_blockers,
                &self.sectors,
            )
        })
    }

    /// The position (in [`Kb::actors`]) of the one actor that has a one-word
    /// name one edit from `word` ("Lazarous" → Lazarus Group); see
    /// [`typo`] for which names take part.
    pub fn near_actor(&self, word: &str) -> Option<usize> {
        self.near_names
            .get_or_init(|| typo::NearNames::build(&self.actors))
            .near(word)
    }

    /// Resolves any name of an actor (canonical or alias, any case).
    pub fn resolve_actor(&self, name: &str) -> Resolved<'_> {
        match self.actor_by_name.get(&fold(name)).map(Vec::as_slice) {
            None | Some([]) => Resolved::Unknown,
            Some([i]) => Resolved::One(&self.actors[*i]),
            Some(many) => Resolved::Many(many.iter().map(|i| &self.actors[*i]).collect()),
        }
    }

    /// The umbrella value of an alias several actors claim (`?`): the alias
    /// as catalogued with every claimant, "Winnti (APT41 or Winnti
    /// Group)". A report that names no claimant otherwise carries it, and
    /// `--actor` for any claimant finds it ([`Kb::umbrellas_of`]).
    pub fn umbrella(&self, alias: &str) -> Option<String> {
        let key = fold(alias);
        let claimants = self.actor_by_name.get(&key)?;
        if claimants.len() < 2 {
            return None;
        }
        let form = claimants.iter().find_map(|&i| {
            self.actors[i]
                .aliases
                .iter()
                .find(|a| fold(&a.name) == key)
                .map(|a| a.name.as_str())
        })?;
        let mut names: Vec<&str> = claimants
            .iter()
            .map(|&i| self.actors[i].canonical.as_str())
            .collect();
        names.sort_unstable();
        Some(format!("{form} ({})", names.join(" or ")).replace('/', "-"))
    }

    /// The umbrella values ([`Kb::umbrella`]) of every ambiguous alias of
    /// the actor named `canonical`.
    pub fn umbrellas_of(&self, canonical: &str) -> Vec<String> {
        self.actor(canonical)
            .map(|a| {
                a.aliases
                    .iter()
                    .filter(|al| al.kind == AliasKind::Ambiguous)
                    .filter_map(|al| self.umbrella(&al.name))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The actor whose canonical name is exactly `canonical`.
    pub fn actor(&self, canonical: &str) -> Option<&Actor> {
        self.actors.iter().find(|a| a.canonical == canonical)
    }

    /// Resolves an ISO code, a name, a short form or a demonym to a country.
    pub fn resolve_country(&self, name: &str) -> Option<&Country> {
        self.country_by_name
            .get(&fold(name.trim()))
            .map(|&i| &self.countries[i])
    }

    /// Resolves a sector id or label (any case) to a sector.
    pub fn resolve_sector(&self, name: &str) -> Option<&Sector> {
        let f = fold(name.trim());
        self.sectors
            .iter()
            .find(|s| fold(&s.id) == f || fold(&s.label) == f)
            .or_else(|| {
                self.sectors
                    .iter()
                    .find(|s| s.triggers.iter().any(|t| fold(t) == f))
            })
    }
}

/// Folds a name for lookup: lower case, inner whitespace collapsed, typographic
/// apostrophes made straight.
pub fn fold(s: &str) -> String {
    // Fast path, most names: ASCII, single inner spaces, nothing to trim.
    let b = s.as_bytes();
    if b.iter().all(|&c| c.is_ascii_graphic() || c == b' ')
        && !s.starts_with(' ')
        && !s.ends_with(' ')
        && !s.contains("  ")
    {
        return s.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in w.chars() {
            match c {
                '\u{2019}' | '\u{2018}' => out.push('\''),
                c => out.extend(c.to_lowercase()),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_covers_the_catalogues_and_the_rules_revision() {
        let kb = Kb::builtin().expect("knowledge base");
        let f = kb.fingerprint(2);
        assert_eq!(f.len(), 16);
        assert!(f.bytes().all(|b| b.is_ascii_hexdigit()), "{f}");
        assert_eq!(f, kb.fingerprint(2), "the same inputs give the same value");
        assert_ne!(f, kb.fingerprint(3), "a new rules revision changes it");
        // A different actor catalogue (the built-in one without its last
        // actor) changes it too.
        let lines: Vec<&str> = ACTORS_TSV.lines().collect();
        let fewer = lines[..lines.len() - 1].join("\n") + "\n";
        let other = Kb::with_extra_actors(Some(&fewer)).expect("knowledge base");
        assert_ne!(other.fingerprint(2), f);
    }
}
