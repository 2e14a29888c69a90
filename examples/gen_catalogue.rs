//! Generates `src/kb/actors-imported.tsv`: what the public actor catalogues
//! add to the curated `src/kb/actors.tsv`.
//!
//! Inputs (read, never copied into the repository):
//! - MITRE ATT&CK enterprise intrusion sets (one STIX bundle per group),
//! - MISP galaxy `threat-actor.json`.
//!
//! ATT&CK is merged first (its group names and ids are the catalogue's
//! canonical names), then MISP, with the conflict rules of
//! `threatdex kb import` (`kb::import::merge`): an alias two actors claim is
//! left out and reported, never merged; an import joins an actor by ATT&CK
//! id, by name, or by aliases that all belong to that one actor.
//!
//! Before merging, imported names that cannot be told from prose are left
//! out (see [`unusable`]); the header of the output lists how many.
//!
//! ```text
//! cargo run --example gen_catalogue -- --attack DIR --misp FILE \
//!     --attack-version TEXT --misp-version TEXT > src/kb/actors-imported.tsv
//! ```
//! `scripts/gen-actor-catalogue.sh` runs it on `../shared/data`.

use anyhow::{bail, Context, Result};
use std::collections::BTreeMap;
use std::path::PathBuf;
use threatdex::kb::import::{additions, merge, parse_catalogue, tsv_rows, ImportedActor};
use threatdex::kb::{parse_actors, parse_countries, parse_sectors, ACTORS_TSV, COUNTRIES_TSV};

fn main() -> Result<()> {
    let mut attack: Option<PathBuf> = None;
    let mut misp: Option<PathBuf> = None;
    let mut attack_version = String::from("unknown");
    let mut misp_version = String::from("unknown");
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().with_context(|| format!("{a} needs a value"));
        match a.as_str() {
            "--attack" => attack = Some(value()?.into()),
            "--misp" => misp = Some(value()?.into()),
            "--attack-version" => attack_version = value()?,
            "--misp-version" => misp_version = value()?,
            _ => bail!("unknown argument {a}"),
        }
    }
    let (Some(attack), Some(misp)) = (attack, misp) else {
        bail!(
            "usage: gen_catalogue --attack DIR --misp FILE [--attack-version V] [--misp-version V]"
        );
    };

    let (curated, _) = parse_actors(ACTORS_TSV, "actors.tsv")?;
    let (countries, _) = parse_countries(COUNTRIES_TSV, "countries.tsv")?;
    let sectors = parse_sectors(threatdex::kb::SECTORS_TSV, "sectors.tsv")?;
    // Names of countries and sector triggers are never actor names.
    let mut reserved: std::collections::HashSet<String> = countries
        .iter()
        .flat_map(|c| {
            std::iter::once(c.name.clone())
                .chain(c.names.iter().map(|a| a.name.clone()))
                .chain(c.demonyms.iter().map(|a| a.name.clone()))
        })
        .map(|n| threatdex::kb::fold(&n))
        .collect();
    reserved.extend(
        sectors
            .iter()
            .flat_map(|s| s.triggers.iter())
            .map(|t| threatdex::kb::fold(t)),
    );

    let mut files: Vec<PathBuf> = std::fs::read_dir(&attack)
        .with_context(|| format!("reading {}", attack.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let mut attack_actors = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f)?;
        attack_actors.extend(parse_catalogue(&text, &f.display().to_string())?);
    }
    let misp_text =
        std::fs::read_to_string(&misp).with_context(|| format!("reading {}", misp.display()))?;
    let misp_actors = parse_catalogue(&misp_text, &misp.display().to_string())?;

    let mut dropped = 0usize;
    let mut clean = |list: Vec<ImportedActor>| -> Vec<ImportedActor> {
        list.into_iter()
            .filter_map(|mut a| {
                let before = a.aliases.len();
                a.aliases.retain(|n| !unusable(n, &reserved));
                dropped += before - a.aliases.len();
                if unusable(&a.name, &reserved) {
                    dropped += 1;
                    // The entry still joins its actor through its aliases.
                    let first = a.aliases.first()?.clone();
                    a.name = first;
                }
                // An operation is a campaign: it may be another name of an
                // actor, but an entry known only by operation names is no
                // actor of its own.
                if is_operation(&a.name) {
                    let other = a.aliases.iter().find(|n| !is_operation(n))?.clone();
                    a.aliases.push(std::mem::replace(&mut a.name, other));
                }
                Some(a)
            })
            .collect()
    };
    let attack_actors = clean(attack_actors);
    let misp_actors = clean(misp_actors);

    let mut merged = curated.clone();
    let from_attack = merge(&mut merged, &attack_actors);
    let from_misp = merge(&mut merged, &misp_actors);
    let rows = additions(&curated, &merged);

    let mut conflicts: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for c in from_attack.conflicts.iter().chain(&from_misp.conflicts) {
        conflicts
            .entry(c.alias.clone())
            .or_default()
            .push(format!("{} (kept by {})", c.imported_for, c.existing));
    }

    println!("# threatdex knowledge base: actors added by the public catalogues.");
    println!(
        "# GENERATED by scripts/gen-actor-catalogue.sh (examples/gen_catalogue.rs); do not edit."
    );
    println!("# Curated rows and matching rules live in actors.tsv; this file only adds to them:");
    println!(
        "# a row whose canonical name is an actor of actors.tsv adds aliases (and the origin or"
    );
    println!(
        "# ATT&CK id it lacked), any other row is a new actor. Same columns and alias markers."
    );
    println!("#");
    println!("# Sources:");
    println!("# - MITRE ATT&CK enterprise intrusion sets, {attack_version}.");
    println!("#   (c) The MITRE Corporation. Reproduced under the ATT&CK Terms of Use");
    println!("#   (https://attack.mitre.org/resources/legal-and-branding/terms-of-use/),");
    println!("#   which ask that this copyright notice and licence be kept in copies.");
    println!("# - MISP galaxy threat-actor.json, {misp_version}.");
    println!("#   (https://github.com/MISP/misp-galaxy), dual-licensed CC0 1.0 or BSD 2-Clause.");
    println!("#");
    println!(
        "# ATT&CK: {} groups read, {} new actors, {} new aliases. MISP: {} actors read, {} new actors, {} new aliases.",
        from_attack.read,
        from_attack.added_actors,
        from_attack.added_aliases,
        from_misp.read,
        from_misp.added_actors,
        from_misp.added_aliases
    );
    println!(
        "# Left out: {dropped} names that are not usable in prose (see examples/gen_catalogue.rs),"
    );
    println!(
        "# and {} names two actors claim (the curated or first claimant keeps them):",
        conflicts.len()
    );
    for (alias, who) in &conflicts {
        println!("#   {alias}: {}", who.join("; "));
    }
    println!("#");
    println!("# canonical\torigin\tmotivation\tmitre\taliases");
    print!("{}", tsv_rows(&rows));
    eprintln!(
        "{} rows ({} new actors); {} conflicts; {} unusable names",
        rows.len(),
        merged.len() - curated.len(),
        conflicts.len(),
        dropped
    );
    Ok(())
}

/// A campaign's name: "Operation Aurora", "Op Cleaver".
fn is_operation(name: &str) -> bool {
    let first = name.split_whitespace().next().unwrap_or("");
    name.contains(' ')
        && (first.eq_ignore_ascii_case("operation") || first.eq_ignore_ascii_case("op"))
}

/// Names a catalogue lists that cannot be told apart from prose or from
/// other entities, so matching them would make false actors:
/// - two characters or fewer, or longer than 40;
/// - descriptions rather than names (brackets, commas, "?", "/");
/// - a country's name or demonym, or a sector trigger word;
/// - a generic word followed by a number ("Group 3", "Team 5", "Actor 2"):
///   numbered placeholders that prose uses for other things;
/// - a malware name ("Golden RAT", "Sakula Backdoor"): names ending in a
///   kind of malware belong to the tool, not to its users;
/// - a name that starts with "The": prose writes "the" before ordinary
///   phrases ("The Big Bang"); the name without it is listed if usable.
fn unusable(name: &str, reserved: &std::collections::HashSet<String>) -> bool {
    let n = name.trim();
    let chars = n.chars().count();
    if chars <= 2 || chars > 40 {
        return true;
    }
    if n.contains(['(', ')', ',', '?', '/', '"', '[', ']', ';', ':']) {
        return true;
    }
    if reserved.contains(&threatdex::kb::fold(n)) {
        return true;
    }
    let tokens: Vec<&str> = n.split_whitespace().collect();
    if tokens.len() > 1 && tokens[0].eq_ignore_ascii_case("the") {
        return true;
    }
    const MALWARE_KINDS: [&str; 12] = [
        "rat",
        "backdoor",
        "loader",
        "stealer",
        "trojan",
        "worm",
        "ransomware",
        "botnet",
        "malware",
        "exploit",
        "dropper",
        "implant",
    ];
    if tokens.len() > 1
        && tokens
            .last()
            .is_some_and(|t| MALWARE_KINDS.contains(&t.to_lowercase().as_str()))
    {
        return true;
    }
    if tokens.len() == 2
        && tokens[1].chars().all(|c| c.is_ascii_digit())
        && tokens[0].chars().all(char::is_alphabetic)
        && tokens[0].chars().skip(1).all(char::is_lowercase)
    {
        return true;
    }
    false
}
