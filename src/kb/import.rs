//! Imports actor catalogues (MISP galaxy `threat-actor.json`, MITRE ATT&CK
//! STIX bundles or intrusion-set files) and merges them with the built-in
//! catalogue. Conflicts (one alias, two actors) are reported, never merged.

use super::{fold, Actor, Alias, AliasKind};
use crate::error::{Error, Result};
use serde_json::Value;
use std::collections::HashMap;

/// An actor as read from an external catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedActor {
    /// Its primary name in that catalogue.
    pub name: String,
    /// Other names.
    pub aliases: Vec<String>,
    /// Origin country (ISO code), if given.
    pub origin: Option<String>,
    /// ATT&CK group id, if given.
    pub mitre: Option<String>,
    /// True when the catalogue mixes group names with malware and
    /// operation names (MISP's galaxy lists "SeaDuke", "ShadyRAT" or
    /// "GIF89a" among synonyms): its one-word names are matched with the
    /// cautious `~` rule unless they are identifiers (see [`imported_kind`]).
    pub loose: bool,
}

/// An alias that two actors claim.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Conflict {
    /// The contested name.
    pub alias: String,
    /// The actor the imported catalogue gives it to.
    pub imported_for: String,
    /// The actor that already has it.
    pub existing: String,
}

/// What a merge did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct MergeReport {
    /// Actors read from the file.
    pub read: usize,
    /// Actors new to the catalogue.
    pub added_actors: usize,
    /// Aliases added to actors the catalogue already had.
    pub added_aliases: usize,
    /// Aliases left out because another actor claims them.
    pub conflicts: Vec<Conflict>,
}

/// Reads a catalogue file: a MISP galaxy cluster file, a STIX 2 bundle, or a
/// single STIX intrusion-set object.
pub fn parse_catalogue(json: &str, source: &str) -> Result<Vec<ImportedActor>> {
    let v: Value = serde_json::from_str(json)?;
    if let Some(values) = v.get("values").and_then(Value::as_array) {
        return Ok(values.iter().filter_map(misp_actor).collect());
    }
    if let Some(objects) = v.get("objects").and_then(Value::as_array) {
        return Ok(objects.iter().filter_map(stix_actor).collect());
    }
    if v.get("type").and_then(Value::as_str) == Some("intrusion-set") {
        return Ok(stix_actor(&v).into_iter().collect());
    }
    Err(Error::Kb {
        file: source.to_string(),
        line: 1,
        message: "not a MISP galaxy (\"values\"), a STIX bundle (\"objects\") or an intrusion-set"
            .to_string(),
    })
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(|s| s.trim().to_string()))
                .collect()
        })
        .unwrap_or_default()
}

fn misp_actor(v: &Value) -> Option<ImportedActor> {
    let name = v.get("value")?.as_str()?.trim().to_string();
    let meta = v.get("meta");
    let origin = meta
        .and_then(|m| m.get("country"))
        .and_then(Value::as_str)
        .filter(|c| c.len() == 2)
        .map(str::to_ascii_uppercase);
    let mut aliases = strings(meta.and_then(|m| m.get("synonyms")));
    let mitre = aliases.iter().find(|a| is_mitre_id(a)).cloned();
    aliases.retain(|a| !is_mitre_id(a));
    Some(ImportedActor {
        name,
        aliases,
        origin,
        mitre,
        loose: true,
    })
}

fn stix_actor(v: &Value) -> Option<ImportedActor> {
    if v.get("type")?.as_str()? != "intrusion-set" {
        return None;
    }
    if v.get("revoked").and_then(Value::as_bool) == Some(true)
        || v.get("x_mitre_deprecated").and_then(Value::as_bool) == Some(true)
    {
        return None;
    }
    let name = v.get("name")?.as_str()?.trim().to_string();
    let aliases = strings(v.get("aliases"));
    let mitre = v
        .get("external_references")
        .and_then(Value::as_array)
        .and_then(|refs| {
            refs.iter().find_map(|r| {
                r.get("external_id")
                    .and_then(Value::as_str)
                    .filter(|id| is_mitre_id(id))
            })
        })
        .map(str::to_string);
    Some(ImportedActor {
        name,
        aliases,
        origin: None,
        mitre,
        loose: false,
    })
}

fn is_mitre_id(s: &str) -> bool {
    s.len() == 5 && s.starts_with('G') && s[1..].bytes().all(|b| b.is_ascii_digit())
}

/// The matching rule given to an imported alias: single words made only of
/// letters ("Cobalt", "Hive", "Snake") may be ordinary words, so they get the
/// cautious `~` rule; names with digits, inner capitals or several words are
/// distinctive enough to match plainly. From a `loose` catalogue (one that
/// lists malware and file names among an actor's synonyms), every one-word
/// name but an identifier ("TA471", "UNC1549", "Storm-0587") is `~`.
pub fn imported_kind(alias: &str, loose: bool) -> AliasKind {
    let one_word = !alias.contains(char::is_whitespace);
    if loose && one_word && !is_identifier(alias) {
        return AliasKind::Common;
    }
    let letters_only = alias.chars().all(char::is_alphabetic);
    let inner_caps = alias.chars().skip(1).any(char::is_uppercase)
        && !alias
            .chars()
            .all(|c| !c.is_alphabetic() || c.is_uppercase());
    if one_word && letters_only && !inner_caps {
        AliasKind::Common
    } else {
        AliasKind::Plain
    }
}

/// A tracking identifier: a capitalised prefix of letters, an optional
/// hyphen, then only digits ("APT6", "TA505", "UNC2452", "Storm-0587",
/// "TG-2754"); not "GIF89a" or "Log4j".
fn is_identifier(name: &str) -> bool {
    let digits_at = name
        .find(|c: char| c.is_ascii_digit())
        .unwrap_or(name.len());
    let (prefix, digits) = name.split_at(digits_at);
    let prefix = prefix.strip_suffix('-').unwrap_or(prefix);
    prefix.len() >= 2
        && prefix.starts_with(|c: char| c.is_ascii_uppercase())
        && prefix.chars().all(|c| c.is_ascii_alphabetic())
        && !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit())
}

/// The key two spellings of one name share: folded, without spaces,
/// hyphens, dots and underscores ("Saint Bear", "SaintBear"; "TG-3390",
/// "TG 3390").
fn compact(name: &str) -> String {
    fold(name)
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '_'))
        .collect()
}

/// Merges imported actors into `actors` (the current catalogue), in place.
///
/// An imported actor joins an existing one with the same ATT&CK id, or whose
/// canonical name or unambiguous alias equals the imported name; otherwise it
/// is added. Aliases already claimed by a different actor are reported as
/// conflicts and left out. Aliases of two characters or fewer are dropped.
pub fn merge(actors: &mut Vec<Actor>, imported: &[ImportedActor]) -> MergeReport {
    let mut report = MergeReport {
        read: imported.len(),
        ..MergeReport::default()
    };
    // Names are compared in their compact form, so "SaintBear" is "Saint
    // Bear" and "TG 3390" is "TG-3390".
    let mut owner: HashMap<String, usize> = HashMap::new();
    // Names the catalogue already marks as claimed by several actors: an
    // import never gives one of them to a single actor.
    let mut contested: HashMap<String, usize> = HashMap::new();
    let mut by_mitre: HashMap<String, usize> = HashMap::new();
    for (i, a) in actors.iter().enumerate() {
        owner.insert(compact(&a.canonical), i);
        for al in &a.aliases {
            if al.kind == AliasKind::Ambiguous {
                contested.insert(compact(&al.name), i);
            } else {
                owner.entry(compact(&al.name)).or_insert(i);
            }
        }
        if let Some(m) = &a.mitre {
            by_mitre.insert(m.clone(), i);
        }
    }
    for imp in imported {
        let target = imp
            .mitre
            .as_ref()
            .and_then(|m| by_mitre.get(m).copied())
            .or_else(|| owner.get(&compact(&imp.name)).copied())
            .or_else(|| sole_owner(&owner, &imp.aliases));
        let idx = match target {
            Some(i) => i,
            None => {
                if let Some(&other) = contested.get(&compact(&imp.name)) {
                    report.conflicts.push(Conflict {
                        alias: imp.name.clone(),
                        imported_for: imp.name.clone(),
                        existing: actors[other].canonical.clone(),
                    });
                    continue;
                }
                actors.push(Actor {
                    canonical: imp.name.replace('/', "-"),
                    canonical_kind: imported_kind(&imp.name, imp.loose),
                    origin: imp.origin.clone(),
                    motivation: "unknown".to_string(),
                    mitre: imp.mitre.clone(),
                    aliases: Vec::new(),
                });
                let i = actors.len() - 1;
                owner.insert(compact(&imp.name), i);
                if let Some(m) = &imp.mitre {
                    by_mitre.insert(m.clone(), i);
                }
                report.added_actors += 1;
                i
            }
        };
        if actors[idx].origin.is_none() {
            actors[idx].origin = imp.origin.clone();
        }
        for alias in std::iter::once(&imp.name).chain(&imp.aliases) {
            if fold(alias).chars().count() <= 2 {
                continue;
            }
            let key = compact(alias);
            match owner.get(&key).or_else(|| contested.get(&key)) {
                Some(&o) if o == idx => {}
                Some(&o) => report.conflicts.push(Conflict {
                    alias: alias.clone(),
                    imported_for: actors[idx].canonical.clone(),
                    existing: actors[o].canonical.clone(),
                }),
                None => {
                    actors[idx].aliases.push(Alias {
                        name: alias.clone(),
                        kind: imported_kind(alias, imp.loose),
                    });
                    owner.insert(key, idx);
                    report.added_aliases += 1;
                }
            }
        }
    }
    report
}

/// The one existing actor that owns the imported aliases that are already
/// catalogued, when they all belong to it: a catalogue that files APT28
/// under "Sofacy" joins APT28 through its other names ("Fancy Bear",
/// "Pawn Storm"). None when fewer than two aliases are known or known
/// aliases point to different actors (the import is then a new actor, and the contested
/// names are conflicts).
fn sole_owner(owner: &HashMap<String, usize>, aliases: &[String]) -> Option<usize> {
    let mut found = None;
    let mut agreeing = 0;
    for a in aliases {
        if let Some(&o) = owner.get(&compact(a)) {
            match found {
                None => found = Some(o),
                Some(f) if f == o => {}
                Some(_) => return None,
            }
            agreeing += 1;
        }
    }
    // One shared name is as likely a conflict as an identity.
    found.filter(|_| agreeing >= 2)
}

/// What merging added to the catalogue `before`, given the merged `after`
/// (which starts with `before`'s actors, in order, as [`merge`] leaves it):
/// for an actor `before` had, a row with its canonical name and only what
/// is new (aliases, a filled-in origin or ATT&CK id); every new actor whole.
/// Rows without anything new are left out. [`apply_additions`] undoes it.
pub fn additions(before: &[Actor], after: &[Actor]) -> Vec<Actor> {
    let mut out = Vec::new();
    for (i, a) in after.iter().enumerate() {
        let Some(old) = before.get(i) else {
            out.push(a.clone());
            continue;
        };
        let row = Actor {
            canonical: a.canonical.clone(),
            canonical_kind: a.canonical_kind,
            origin: a.origin.clone().filter(|_| old.origin.is_none()),
            motivation: String::new(),
            mitre: a.mitre.clone().filter(|_| old.mitre.is_none()),
            aliases: a.aliases[old.aliases.len().min(a.aliases.len())..].to_vec(),
        };
        if !row.aliases.is_empty() || row.origin.is_some() || row.mitre.is_some() {
            out.push(row);
        }
    }
    out
}

/// Adds rows written by [`additions`] to a catalogue: a row whose canonical
/// name is an actor's canonical name gives that actor its aliases (and its
/// origin and ATT&CK id when the actor has none); any other row is a new
/// actor.
pub fn apply_additions(actors: &mut Vec<Actor>, rows: Vec<Actor>) {
    let mut by_canonical: HashMap<String, usize> = actors
        .iter()
        .enumerate()
        .map(|(i, a)| (a.canonical.clone(), i))
        .collect();
    for row in rows {
        match by_canonical.get(&row.canonical) {
            Some(&i) => {
                let a = &mut actors[i];
                if a.origin.is_none() {
                    a.origin = row.origin;
                }
                if a.mitre.is_none() {
                    a.mitre = row.mitre;
                }
                a.aliases.extend(row.aliases);
            }
            None => {
                by_canonical.insert(row.canonical.clone(), actors.len());
                actors.push(row);
            }
        }
    }
}

/// The rows of a catalogue in the `actors.tsv` format, without a header.
pub fn tsv_rows(actors: &[Actor]) -> String {
    let mark = |kind: AliasKind| match kind {
        AliasKind::Plain => "",
        AliasKind::Common => "~",
        AliasKind::Ambiguous => "?",
        AliasKind::Ransomware => "$",
    };
    let mut out = String::new();
    for a in actors {
        let clean = |s: &str| s.replace(['\t', '\n', '\r', '|'], " ");
        let aliases: Vec<String> = a
            .aliases
            .iter()
            .map(|al| format!("{}{}", mark(al.kind), clean(&al.name)))
            .collect();
        out.push_str(&format!(
            "{}{}\t{}\t{}\t{}\t{}\n",
            mark(a.canonical_kind),
            clean(&a.canonical),
            a.origin.as_deref().unwrap_or(""),
            a.motivation,
            a.mitre.as_deref().unwrap_or(""),
            aliases.join("|")
        ));
    }
    out
}

/// Writes a catalogue in the `actors.tsv` format.
pub fn to_tsv(actors: &[Actor]) -> String {
    let mut out = String::from(
        "# threatdex actor catalogue (built-in merged with imports by `threatdex kb import`).\n\
         # canonical\torigin\tmotivation\tmitre\taliases ('~' ordinary word, '$' ransomware brand, '?' ambiguous)\n",
    );
    out.push_str(&tsv_rows(actors));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const MISP: &str = r#"{"values": [
        {"value": "APT28", "meta": {"country": "RU", "synonyms": ["Fancy Bear", "Pawn Storm", "Snakemackerel", "G0007"]}},
        {"value": "Brand New Crew", "meta": {"synonyms": ["BNC-1", "Pegasus"]}},
        {"value": "Thief Group", "meta": {"synonyms": ["Fancy Bear"]}}
    ]}"#;

    fn builtin() -> Vec<Actor> {
        super::super::parse_actors("APT28\tRU\tespionage\tG0007\tFancy Bear|Sofacy\n", "t")
            .unwrap()
            .0
    }

    #[test]
    fn misp_merges_new_aliases_new_actors_and_reports_conflicts() {
        let imported = parse_catalogue(MISP, "misp").unwrap();
        assert_eq!(imported[0].mitre.as_deref(), Some("G0007"));
        let mut actors = builtin();
        let r = merge(&mut actors, &imported);
        assert_eq!(r.read, 3);
        assert_eq!(r.added_actors, 2);
        let apt28 = &actors[0];
        assert!(apt28
            .aliases
            .iter()
            .any(|a| a.name == "Pawn Storm" && a.kind == AliasKind::Plain));
        assert!(apt28
            .aliases
            .iter()
            .any(|a| a.name == "Snakemackerel" && a.kind == AliasKind::Common));
        assert_eq!(r.conflicts.len(), 1);
        assert_eq!(r.conflicts[0].alias, "Fancy Bear");
        assert_eq!(r.conflicts[0].existing, "APT28");
        // Round trip through the TSV format.
        let again = super::super::parse_actors(&to_tsv(&actors), "x").unwrap().0;
        assert_eq!(again, actors);
    }

    #[test]
    fn stix_bundle_skips_revoked_and_reads_external_id() {
        let bundle = r#"{"type":"bundle","objects":[
          {"type":"intrusion-set","name":"Volt Typhoon","aliases":["Volt Typhoon","Voltzite"],
           "external_references":[{"source_name":"mitre-attack","external_id":"G1017"}]},
          {"type":"intrusion-set","name":"Old","revoked":true},
          {"type":"malware","name":"X"}]}"#;
        let a = parse_catalogue(bundle, "b").unwrap();
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].mitre.as_deref(), Some("G1017"));
        assert!(parse_catalogue("{\"foo\": 1}", "x").is_err());
    }

    fn misp(name: &str, synonyms: &[&str]) -> ImportedActor {
        ImportedActor {
            name: name.to_string(),
            aliases: synonyms.iter().map(|s| s.to_string()).collect(),
            origin: None,
            mitre: None,
            loose: true,
        }
    }

    fn catalogue(tsv: &str) -> Vec<Actor> {
        super::super::parse_actors(tsv, "t").unwrap().0
    }

    /// "SaintBear" is "Saint Bear"; an entry filed under a name the
    /// catalogue lacks joins the one actor its other names belong to.
    #[test]
    fn imports_join_by_spelling_variant_and_by_their_aliases() {
        let mut actors = catalogue(
            "Saint Bear				Lorec53
APT28	RU	espionage	G0007	Fancy Bear|Pawn Storm
",
        );
        let r = merge(
            &mut actors,
            &[
                misp("SaintBear", &["UAC-0056"]),
                misp("Sofacy Crew", &["Fancy Bear", "Pawn-Storm", "Tsar Team"]),
            ],
        );
        assert_eq!(r.added_actors, 0, "{actors:?}");
        assert!(r.conflicts.is_empty(), "{:?}", r.conflicts);
        assert!(actors[0].aliases.iter().any(|a| a.name == "UAC-0056"));
        let apt28: Vec<&str> = actors[1].aliases.iter().map(|a| a.name.as_str()).collect();
        assert!(apt28.contains(&"Sofacy Crew") && apt28.contains(&"Tsar Team"));
        // "Pawn-Storm" is "Pawn Storm": not added twice.
        assert!(!apt28.contains(&"Pawn-Storm"));
    }

    /// A name the catalogue marks as claimed by several actors is never
    /// given to one of them by an import, and aliases pointing at two
    /// actors join neither.
    #[test]
    fn contested_names_stay_contested() {
        let mut actors = catalogue(
            "APT41\t\t\t\t?Winnti\nWinnti Group\t\t\t\t?Winnti\n\
             Turla\t\t\t\tSnake\nAPT28\t\t\t\tPawn Storm\n",
        );
        let r = merge(
            &mut actors,
            &[misp("Blackfly", &["Winnti", "Snake", "Pawn Storm"])],
        );
        assert!(actors
            .iter()
            .flat_map(|a| &a.aliases)
            .all(|a| a.name != "Winnti" || a.kind == AliasKind::Ambiguous));
        assert_eq!(r.added_actors, 1);
        assert_eq!(r.conflicts.len(), 3, "{:?}", r.conflicts);
        let r = merge(&mut actors, &[misp("Winnti", &[])]);
        assert_eq!(r.added_actors, 0);
        assert_eq!(r.conflicts.len(), 1);
    }

    /// Loose catalogues' one-word names need the `~` evidence unless they
    /// are tracking identifiers.
    #[test]
    fn loose_one_word_names_are_cautious_but_identifiers_are_not() {
        assert_eq!(imported_kind("SeaDuke", true), AliasKind::Common);
        assert_eq!(imported_kind("GIF89a", true), AliasKind::Common);
        assert_eq!(imported_kind("TA471", true), AliasKind::Plain);
        assert_eq!(imported_kind("Storm-0587", true), AliasKind::Plain);
        assert_eq!(imported_kind("Crimson Iron", true), AliasKind::Plain);
        assert_eq!(imported_kind("SeaDuke", false), AliasKind::Plain);
    }

    /// What a merge added, written as rows and applied again, gives the
    /// merged catalogue back.
    #[test]
    fn additions_round_trip() {
        let before = catalogue(
            "APT28		espionage	G0007	Fancy Bear
~Play		financial		
",
        );
        let mut after = before.clone();
        merge(
            &mut after,
            &[
                ImportedActor {
                    origin: Some("RU".into()),
                    ..misp("Fancy Bear", &["Tsar Team"])
                },
                misp("Wild Neutron", &["Morpho"]),
            ],
        );
        let rows = additions(&before, &after);
        assert_eq!(rows.len(), 2, "{rows:?}");
        let rows = super::super::parse_actors(&tsv_rows(&rows), "x").unwrap().0;
        let mut again = before.clone();
        apply_additions(&mut again, rows);
        assert_eq!(again.len(), after.len());
        for (a, b) in again.iter().zip(&after) {
            assert_eq!(
                (&a.canonical, &a.origin, &a.aliases),
                (&b.canonical, &b.origin, &b.aliases)
            );
        }
    }

    /// The built-in catalogue carries the generated additions of ATT&CK
    /// and MISP (`actors-imported.tsv`): names the curated file lacks
    /// resolve.
    #[test]
    fn builtin_knows_the_public_catalogues() {
        let kb = crate::kb::Kb::builtin().unwrap();
        for name in [
            "Clever Kitten",
            "PassCV",
            "RevengeHotels",
            "Cadelle",
            "APT6",
            "TERBIUM",
        ] {
            assert!(
                matches!(kb.resolve_actor(name), crate::kb::Resolved::One(_)),
                "{name}"
            );
        }
        let curated = super::super::parse_actors(super::super::ACTORS_TSV, "a")
            .unwrap()
            .0;
        assert!(kb.actors().len() > curated.len() + 500);
    }

    #[test]
    fn imported_word_like_aliases_are_cautious() {
        assert_eq!(imported_kind("Cobalt", false), AliasKind::Common);
        assert_eq!(imported_kind("ZINC", false), AliasKind::Common);
        assert_eq!(imported_kind("Fancy Bear", false), AliasKind::Plain);
        assert_eq!(imported_kind("APT28", false), AliasKind::Plain);
        assert_eq!(imported_kind("FamousSparrow", false), AliasKind::Plain);
    }
}
