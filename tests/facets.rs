//! End-to-end tests of `facets` on the bundled corpus.

mod util;

use util::Env;

#[test]
fn counts_by_actor_and_sector_in_json() {
    let env = Env::with_corpus();
    let res = env.json(&["facets", "--by", "actor", "--by", "sector", "--top", "50"]);
    let total = res["total"].as_u64().unwrap();
    assert!(total >= 40);
    let actors = res["facets"]["actor"].as_array().unwrap();
    assert!(actors.len() >= 15, "{actors:?}");
    let counts: Vec<u64> = actors
        .iter()
        .map(|a| a["count"].as_u64().unwrap())
        .collect();
    assert!(
        counts.windows(2).all(|w| w[0] >= w[1]),
        "most frequent first"
    );
    // Each count equals the number of reports an --actor filter returns.
    for a in actors.iter().take(5) {
        let name = a["value"].as_str().unwrap();
        let n = env.json(&["search", "--actor", name, "--limit", "1"])["total"]
            .as_u64()
            .unwrap();
        assert_eq!(n, a["count"].as_u64().unwrap(), "{name}");
    }
    assert!(res["facets"]["sector"].as_array().unwrap().len() >= 12);
}

#[test]
fn aliases_are_counted_under_one_canonical_name() {
    let env = Env::with_corpus();
    let res = env.json(&["facets", "--by", "actor", "--top", "100"]);
    let names: Vec<&str> = res["facets"]["actor"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["value"].as_str().unwrap())
        .collect();
    for alias in [
        "Vanguard Panda",
        "Earth Estries",
        "Midnight Blizzard",
        "Fancy Bear",
        "Cobalt",
        "Play",
    ] {
        assert!(
            !names.contains(&alias),
            "{alias} must not be a facet value: {names:?}"
        );
    }
}

#[test]
fn north_korean_is_kp_and_origin_follows_actors() {
    let env = Env::with_corpus();
    let res = env.json(&[
        "facets",
        "--actor",
        "Lazarus Group",
        "--by",
        "country",
        "--by",
        "origin",
    ]);
    let countries: Vec<&str> = res["facets"]["country"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["value"].as_str().unwrap())
        .collect();
    assert!(countries.contains(&"KP"), "{countries:?}");
    let origins = res["facets"]["origin"].as_array().unwrap();
    assert_eq!(origins[0]["value"], "KP");
    assert_eq!(origins[0]["count"], res["total"]);
}

#[test]
fn query_restricts_the_counted_subset_and_years_have_no_holes() {
    let env = Env::with_corpus();
    let all = env.json(&["facets", "--by", "year"]);
    let years: Vec<&str> = all["facets"]["year"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["value"].as_str().unwrap())
        .collect();
    assert_eq!(years.first(), Some(&"2019"));
    assert_eq!(years.last(), Some(&"2026"));
    assert_eq!(years.len(), 8);
    let sum: u64 = all["facets"]["year"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["count"].as_u64().unwrap())
        .sum();
    assert_eq!(sum, all["total"].as_u64().unwrap(), "every report is dated");
    let sub = env.json(&["facets", "ransomware", "--by", "actor"]);
    assert!(sub["total"].as_u64().unwrap() < all["total"].as_u64().unwrap());
}

#[test]
fn human_table_is_aligned() {
    let env = Env::with_corpus();
    let out = env.ok(&["facets", "--by", "actor", "--by", "sector"]);
    assert!(
        out.lines().next().unwrap().ends_with("matching reports"),
        "{out}"
    );
    assert!(
        out.contains("\nactor\n") && out.contains("\nsector\n"),
        "{out}"
    );
}

/// The target facet holds the countries where the victims are, not the
/// attackers' home, and `--target` filters by it.
#[test]
fn target_countries_are_the_victims_places() {
    let env = Env::new();
    env.write(
        "docs/a.md",
        "# Sandworm hits Ukraine\n\nPublished 2024-03-01.\n\nRussian military hackers of the \
         Sandworm group attacked Ukrainian energy companies. The group is based in Russia.\n",
    );
    env.write(
        "docs/b.md",
        "# Phishing wave\n\nPublished 2024-04-01.\n\nA phishing campaign targeted \
         organizations in Poland and Germany. Russia denied any role.\n",
    );
    let dir = env.dir.path().join("docs");
    env.ok(&["index", "--quiet", dir.to_str().unwrap()]);
    let res = env.json(&["facets", "--by", "target", "--by", "country"]);
    let values = |dim: &str| -> Vec<String> {
        let mut v: Vec<String> = res["facets"][dim]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["value"].as_str().unwrap().to_string())
            .collect();
        v.sort();
        v
    };
    assert_eq!(values("target"), ["DE", "PL", "UA"]);
    assert_eq!(values("country"), ["DE", "PL", "RU", "UA"]);
    let hits = |args: &[&str]| -> Vec<String> {
        let r = env.json(&[&["search"], args].concat());
        r["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["title"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(hits(&["--target", "Poland"]), ["Phishing wave"]);
    assert_eq!(hits(&["--target", "Ukrainian"]), ["Sandworm hits Ukraine"]);
    assert!(hits(&["--target", "RU"]).is_empty());
    assert_eq!(hits(&["--country", "RU"]).len(), 2);
    // The actor card lists its reports' target countries.
    let card = env.json(&["actor", "Sandworm"]);
    assert_eq!(card["targets"][0]["value"], "UA");
    assert_eq!(card["targets"][0]["count"], 1);
    assert_eq!(card["targets"].as_array().unwrap().len(), 1);
    let human = env.ok(&["actor", "Sandworm"]);
    assert!(human.contains("  targets:    UA (1)\n"), "{human}");
}

/// A ransomware brand named as ransomware is its crew's actor value
/// (README rule 12): advisories titled by the brand are found with
/// `--actor` by any of its names, and a loader named as malware is not. An
/// alias two groups claim gives an umbrella value both find (rule 6).
#[test]
fn ransomware_named_reports_carry_their_crew() {
    let env = Env::new();
    env.write(
        "docs/alphv.md",
        "# ALPHV (aka BlackCat) Ransomware Activity\n\n\
         Agencies are aware of recent intrusions in which the encryptor was \
         deployed after remote access was bought from brokers.\n",
    );
    env.write(
        "docs/lockbit.md",
        "# LockBit 3.0 IOC's and TTP's\n\n\
         The listed hashes belong to encryptor builds seen this quarter.\n",
    );
    env.write(
        "docs/clop.md",
        "# CL0P Ransomware Campaign\n\nA file-transfer flaw was exploited.\n",
    );
    env.write(
        "docs/loader.md",
        "# Emotet campaigns resume\n\nTA575 is a Dridex affiliate; Qbot affiliate \
         partner01 was seen too.\n",
    );
    env.write(
        "docs/winnti.md",
        "# Winnti tooling seen again\n\nThe Winnti toolkit was found on game servers.\n",
    );
    let docs = env.dir.path().join("docs");
    env.ok(&["index", "--quiet", docs.to_str().unwrap()]);
    let titles = |actor: &str| -> Vec<String> {
        let res = env.json(&["search", "--actor", actor]);
        let mut t: Vec<String> = res["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["title"].as_str().unwrap_or("").to_string())
            .collect();
        t.sort();
        t
    };
    assert_eq!(
        titles("BlackCat"),
        vec!["ALPHV (aka BlackCat) Ransomware Activity"]
    );
    assert_eq!(titles("ALPHV"), titles("BlackCat"));
    assert_eq!(titles("LockBit"), vec!["LockBit 3.0 IOC's and TTP's"]);
    assert_eq!(titles("Clop"), vec!["CL0P Ransomware Campaign"]);
    // An alias two groups claim: an umbrella value either one finds.
    assert_eq!(titles("APT41"), vec!["Winnti tooling seen again"]);
    assert_eq!(titles("Winnti Group"), titles("APT41"));
    let facets = env.json(&["facets", "--by", "actor"]);
    let values: Vec<&str> = facets["facets"]["actor"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["value"].as_str().unwrap())
        .collect();
    assert!(
        values.contains(&"Winnti (APT41 or Winnti Group)"),
        "{values:?}"
    );
    for loader in ["Emotet", "Dridex", "Qbot"] {
        assert!(titles(loader).is_empty(), "{loader}");
    }
}
