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
    })
}

fn is_mitre_id(s: &str) -> bool {
    s.len() == 5 && s.starts_with('G') && s[1..].bytes().all(|b| b.is_ascii_digit())
}

/// The matching rule given to an imported alias: single words made only of
/// letters ("Cobalt", "Hive", "Snake") may be ordinary words, so they get the
/// cautious `~` rule; names with digits, inner capitals or several words are
/// distinctive enough to match plainly.
pub fn imported_kind(alias: &str) -> AliasKind {
    let one_word = !alias.contains(char::is_whitespace);
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
    let mut owner: HashMap<String, usize> = HashMap::new();
    let mut by_mitre: HashMap<String, usize> = HashMap::new();
    for (i, a) in actors.iter().enumerate() {
        owner.insert(fold(&a.canonical), i);
        for al in a
            .aliases
            .iter()
            .filter(|al| al.kind != AliasKind::Ambiguous)
        {
            owner.entry(fold(&al.name)).or_insert(i);
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
            .or_else(|| owner.get(&fold(&imp.name)).copied());
        let idx = match target {
            Some(i) => i,
            None => {
                if let Some(&other) = owner.get(&fold(&imp.name)) {
                    report.conflicts.push(Conflict {
                        alias: imp.name.clone(),
                        imported_for: imp.name.clone(),
                        existing: actors[other].canonical.clone(),
                    });
                    continue;
                }
                actors.push(Actor {
                    canonical: imp.name.replace('/', "-"),
                    canonical_kind: imported_kind(&imp.name),
                    origin: imp.origin.clone(),
                    motivation: "unknown".to_string(),
                    mitre: imp.mitre.clone(),
                    aliases: Vec::new(),
                });
                let i = actors.len() - 1;
                owner.insert(fold(&imp.name), i);
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
            let key = fold(alias);
            if key.chars().count() <= 2 {
                continue;
            }
            match owner.get(&key) {
                Some(&o) if o == idx => {}
                Some(&o) => report.conflicts.push(Conflict {
                    alias: alias.clone(),
                    imported_for: actors[idx].canonical.clone(),
                    existing: actors[o].canonical.clone(),
                }),
                None => {
                    actors[idx].aliases.push(Alias {
                        name: alias.clone(),
                        kind: imported_kind(alias),
                    });
                    owner.insert(key, idx);
                    report.added_aliases += 1;
                }
            }
        }
    }
    report
}

/// Writes a catalogue in the `actors.tsv` format.
pub fn to_tsv(actors: &[Actor]) -> String {
    let mark = |kind: AliasKind| match kind {
        AliasKind::Plain => "",
        AliasKind::Common => "~",
        AliasKind::Ambiguous => "?",
        AliasKind::Ransomware => "$",
    };
    let mut out = String::from(
        "# threatdex actor catalogue (built-in merged with imports by `threatdex kb import`).\n\
         # canonical\torigin\tmotivation\tmitre\taliases ('~' ordinary word, '$' ransomware brand, '?' ambiguous)\n",
    );
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

    #[test]
    fn imported_word_like_aliases_are_cautious() {
        assert_eq!(imported_kind("Cobalt"), AliasKind::Common);
        assert_eq!(imported_kind("ZINC"), AliasKind::Common);
        assert_eq!(imported_kind("Fancy Bear"), AliasKind::Plain);
        assert_eq!(imported_kind("APT28"), AliasKind::Plain);
        assert_eq!(imported_kind("FamousSparrow"), AliasKind::Plain);
    }
}
