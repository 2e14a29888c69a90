//! `export --stix`: the bundle's shape, its references, the relationships it
//! derives, and byte-identical re-export.

mod util;

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use util::Env;

/// Two reports with one actor each, and a third with two actors.
fn env_with_reports() -> Env {
    let env = Env::new();
    env.write(
        "reports/volt.md",
        "---\ntitle: Volt Typhoon in energy companies\ndate: 2024-01-15\n---\n\
         Volt Typhoon, a Chinese state-sponsored actor, hit energy companies in the \
         United States through CVE-2024-21887, then used PowerShell (T1059.001). \
         C2 45.77.12[.]9 and hxxps://update-check[.]evil-cdn[.]com/gate.php?id=1; \
         internal host 10.20.1.5; sample 275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f.\n",
    );
    env.write(
        "reports/apt28.txt",
        "APT28 phishes government agencies in Ukraine\nPublished: 2024-03-02\n\n\
         APT28 sent spearphishing attachments (T1566.001) to government agencies in \
         Ukraine from x[at]mail-gov-ua[.]com.\n",
    );
    env.write(
        "reports/both.txt",
        "Volt Typhoon and APT28 compared\nPublished: 2024-05-20\n\n\
         Both Volt Typhoon and APT28 used T1078 and the address 185.220.101.4.\n",
    );
    env.write(
        "reports/empty.txt",
        "Weekly notes\n\nNothing of interest this week.\n",
    );
    env.ok(&["index", "--quiet", "reports"]);
    env
}

fn export(env: &Env, extra: &[&str]) -> (Vec<u8>, Value) {
    let mut args = vec!["export", "--stix", "bundle.json"];
    args.extend_from_slice(extra);
    env.ok(&args);
    let bytes = std::fs::read(env.dir.path().join("bundle.json")).unwrap();
    let v: Value = serde_json::from_slice(&bytes).unwrap();
    (bytes, v)
}

/// Returns true if and only if `id` is `<kind>--<uuid>`.
fn well_formed_id(id: &str, kind: &str) -> bool {
    let Some(uuid) = id.strip_prefix(&format!("{kind}--")) else {
        return false;
    };
    let groups: Vec<&str> = uuid.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups.iter().all(|g| {
            g.bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        })
}

fn rfc3339(v: &Value) -> chrono::DateTime<chrono::FixedOffset> {
    let s = v.as_str().unwrap_or_else(|| panic!("not a timestamp: {v}"));
    assert!(
        s.ends_with('Z') && s.contains('.'),
        "{s}: UTC with milliseconds"
    );
    chrono::DateTime::parse_from_rfc3339(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

#[test]
fn bundle_shape_and_references() {
    let env = env_with_reports();
    let (_, b) = export(&env, &[]);
    assert_eq!(b["type"], "bundle");
    assert!(well_formed_id(b["id"].as_str().unwrap(), "bundle"));
    assert!(
        b.get("spec_version").is_none(),
        "a 2.1 bundle has no spec_version"
    );
    let objects = b["objects"].as_array().unwrap();
    let ids: BTreeSet<&str> = objects.iter().map(|o| o["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), objects.len(), "ids are unique");
    for o in objects {
        let kind = o["type"].as_str().unwrap();
        assert_eq!(o["spec_version"], "2.1", "{o}");
        assert!(well_formed_id(o["id"].as_str().unwrap(), kind), "{o}");
        let created = rfc3339(&o["created"]);
        let modified = rfc3339(&o["modified"]);
        assert!(modified >= created, "{o}");
        match kind {
            "relationship" => {
                for end in ["source_ref", "target_ref"] {
                    let r = o[end].as_str().unwrap();
                    assert!(ids.contains(r), "dangling {end} {r}");
                }
            }
            "report" => {
                rfc3339(&o["published"]);
                let refs = o["object_refs"].as_array().unwrap();
                assert!(!refs.is_empty(), "{o}");
                for r in refs {
                    assert!(ids.contains(r.as_str().unwrap()), "dangling object_ref {r}");
                }
            }
            "indicator" => {
                assert_eq!(o["pattern_type"], "stix");
                rfc3339(&o["valid_from"]);
                let p = o["pattern"].as_str().unwrap();
                assert!(p.starts_with('[') && p.ends_with(']'), "{p}");
            }
            "intrusion-set" | "identity" | "location" | "vulnerability" | "attack-pattern" => {
                assert!(o["name"].is_string(), "{o}");
            }
            other => panic!("unexpected type {other}"),
        }
    }
    // Three of the four reports are exported; the empty one names nothing.
    let reports = objects.iter().filter(|o| o["type"] == "report").count();
    assert_eq!(reports, 3);
}

#[test]
fn objects_and_relationships_follow_the_reports() {
    let env = env_with_reports();
    let (_, b) = export(&env, &[]);
    let objects = b["objects"].as_array().unwrap();
    let by_id: BTreeMap<&str, &Value> = objects
        .iter()
        .map(|o| (o["id"].as_str().unwrap(), o))
        .collect();
    let named = |kind: &str, name: &str| -> &Value {
        objects
            .iter()
            .find(|o| o["type"] == kind && o["name"] == name)
            .unwrap_or_else(|| panic!("no {kind} named {name}"))
    };
    let volt = named("intrusion-set", "Volt Typhoon");
    assert!(volt["aliases"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a == "Vanguard Panda"));
    assert_eq!(
        volt["external_references"][0]["source_name"],
        "mitre-attack"
    );
    let ip = named("indicator", "45.77.12.9");
    assert_eq!(ip["pattern"], "[ipv4-addr:value = '45.77.12.9']");
    assert_eq!(ip["valid_from"], "2024-01-15T00:00:00.000Z");
    let url = named(
        "indicator",
        "https://update-check.evil-cdn.com/gate.php?id=1",
    );
    assert_eq!(
        url["pattern"],
        "[url:value = 'https://update-check.evil-cdn.com/gate.php?id=1']"
    );
    let sha = named(
        "indicator",
        "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f",
    );
    assert!(sha["pattern"]
        .as_str()
        .unwrap()
        .starts_with("[file:hashes.'SHA-256' = '"));
    named("indicator", "x@mail-gov-ua.com");
    assert!(
        objects.iter().all(|o| o["name"] != "10.20.1.5"),
        "private addresses are not exported"
    );
    let cve = named("vulnerability", "CVE-2024-21887");
    assert_eq!(cve["external_references"][0]["source_name"], "cve");
    assert_eq!(
        cve["external_references"][0]["external_id"],
        "CVE-2024-21887"
    );
    let ps = named("attack-pattern", "PowerShell");
    assert_eq!(ps["external_references"][0]["external_id"], "T1059.001");
    let us = named("location", "United States");
    assert_eq!(us["country"], "US");
    let energy = objects.iter().find(|o| o["type"] == "identity").unwrap();
    assert_eq!(energy["identity_class"], "class");

    let rels: BTreeSet<(String, &str, String)> = objects
        .iter()
        .filter(|o| o["type"] == "relationship")
        .map(|o| {
            let end = |k: &str| {
                let t = by_id[o[k].as_str().unwrap()];
                format!(
                    "{}:{}",
                    t["type"].as_str().unwrap(),
                    t["name"].as_str().unwrap()
                )
            };
            (
                end("source_ref"),
                o["relationship_type"].as_str().unwrap(),
                end("target_ref"),
            )
        })
        .collect();
    let has = |s: &str, r: &str, t: &str| rels.contains(&(s.to_string(), r, t.to_string()));
    let vt = "intrusion-set:Volt Typhoon";
    assert!(has(vt, "targets", "location:United States"), "{rels:#?}");
    assert!(has(vt, "uses", "attack-pattern:PowerShell"), "{rels:#?}");
    assert!(
        has(vt, "targets", "vulnerability:CVE-2024-21887"),
        "{rels:#?}"
    );
    assert!(has("indicator:45.77.12.9", "indicates", vt), "{rels:#?}");
    assert!(
        has("intrusion-set:APT28", "targets", "location:Ukraine"),
        "{rels:#?}"
    );
    // An actor's own origin is not a target.
    assert!(!has(vt, "targets", "location:China"), "{rels:#?}");
    // With two actors in one report, nobody is credited with its indicators
    // or techniques.
    assert!(rels
        .iter()
        .all(|(s, _, t)| s != "indicator:185.220.101.4" && t != "attack-pattern:Valid Accounts"));
    assert!(objects.iter().any(|o| o["name"] == "185.220.101.4"));
}

#[test]
fn reexport_is_byte_identical_and_filters_apply() {
    let env = env_with_reports();
    let (first, _) = export(&env, &[]);
    let (second, _) = export(&env, &[]);
    assert!(first == second, "re-export differs");
    // Re-indexing from scratch changes nothing either.
    env.ok(&["index", "--quiet", "--rebuild", "reports"]);
    let (third, _) = export(&env, &[]);
    assert!(first == third, "export after a rebuild differs");
    // To stdout, the same bytes.
    let out = env.cmd(&["export", "--stix", "-"]).output().unwrap();
    assert!(out.status.success());
    assert!(out.stdout == first);
    // Filters restrict the reports.
    let (_, only) = export(&env, &["--actor", "APT28", "--technique", "T1566"]);
    let reports: Vec<&Value> = only["objects"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["type"] == "report")
        .collect();
    assert_eq!(reports.len(), 1);
    assert_eq!(
        reports[0]["name"],
        "APT28 phishes government agencies in Ukraine"
    );
    assert_eq!(reports[0]["published"], "2024-03-02T00:00:00.000Z");
}

#[test]
fn references_are_never_exported_and_url_paths_keep_their_case() {
    let env = Env::new();
    env.write(
        "reports/apt29.md",
        "---\ntitle: APT29 phishing wave\ndate: 2024-02-10\n---\n\
         APT29 sent lures whose link downloads a loader from hxxps://files[.]bad-host[.]net/m4UBdpE7.\n\
         The wave was reported by https://www.nytimes.com/2024/02/09/us/politics/hack.html and \
         https://www.wired.com/story/apt29-phishing-wave/.\n\n\
         ## Sources\n\n\
         - https://www.gov.uk/government/news/uk-exposes-apt29\n",
    );
    env.ok(&["index", "--quiet", "reports"]);
    let (bytes, v) = export(&env, &[]);
    let text = String::from_utf8(bytes).unwrap();
    for cited in ["nytimes.com", "wired.com", "gov.uk"] {
        assert!(!text.contains(&format!("value = '{cited}")), "{cited}");
        assert!(
            !text.contains(&format!("{cited}'")) && !text.contains(&format!("www.{cited}'")),
            "{cited} exported as an indicator"
        );
    }
    let patterns: BTreeSet<String> = v["objects"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["type"] == "indicator")
        .map(|o| o["pattern"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        patterns,
        BTreeSet::from([
            "[domain-name:value = 'files.bad-host.net']".to_string(),
            "[url:value = 'https://files.bad-host.net/m4UBdpE7']".to_string(),
        ])
    );
}

#[test]
fn report_ids_do_not_depend_on_where_the_collection_lives() {
    // The same collection indexed in two places (a colleague's copy, a
    // moved folder) gives the same bundle, byte for byte; and reports
    // without a URL that share one file (JSON Lines) stay apart.
    let write = |env: &Env| {
        env.write(
            "reports/note.txt",
            "APT28 phishing notes\nPublished: 2024-03-02\n\n\
             APT28 sent spearphishing attachments (T1566.001) to ministries in Ukraine.\n",
        );
        env.write(
            "reports/feed.jsonl",
            concat!(
                r#"{"title":"One","date":"2024-02-01","text":"Lazarus Group used 45.77.12.9 against an exchange."}"#,
                "\n",
                r#"{"title":"Two","date":"2024-02-02","text":"APT29 phished diplomats from 185.220.101.4."}"#,
                "\n"
            ),
        );
        env.ok(&["index", "--quiet", "reports"]);
    };
    let (here, there) = (Env::new(), Env::new());
    write(&here);
    write(&there);
    assert_ne!(here.dir.path(), there.dir.path());
    let (a, v) = export(&here, &[]);
    let (b, _) = export(&there, &[]);
    assert!(a == b, "the bundle depends on the collection's path");
    let reports: BTreeSet<&str> = v["objects"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["type"] == "report")
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        reports,
        BTreeSet::from(["APT28 phishing notes", "One", "Two"])
    );
}
