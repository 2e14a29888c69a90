//! Indicators: a corpus of tricky strings through the extractor, then
//! end-to-end `extract`, `search`, `iocs` and `facets` on a few reports
//! written into a fresh directory.

mod util;

use serde_json::Value;
use threatdex::ioc::scan;
use threatdex::model::{IndicatorKind, Scope};
use util::{strings, Env};

/// What one tricky string must (or must not) yield.
enum Want {
    /// This indicator, with this scope.
    Ioc(IndicatorKind, &'static str, Scope),
    /// No IOC at all (CVE and technique ids aside).
    Nothing,
}

use IndicatorKind::*;
use Want::*;

/// Tricky strings, each scanned on its own.
const CASES: &[(&str, Want)] = &[
    // Defanged forms.
    (
        "C2: hxxp://evil[.]com/a",
        Ioc(Url, "http://evil.com/a", Scope::Public),
    ),
    (
        "C2: hxxps[:]//evil(.)com/a",
        Ioc(Url, "https://evil.com/a", Scope::Public),
    ),
    (
        "fxp://files{.}evil[dot]net/x",
        Ioc(Url, "ftp://files.evil.net/x", Scope::Public),
    ),
    (
        "see https[://]evil(dot)org",
        Ioc(Url, "https://evil.org", Scope::Public),
    ),
    (
        "beacon to 45.77.12[.]9",
        Ioc(Ip, "45.77.12.9", Scope::Public),
    ),
    (
        "beacon to 45[.]77[.]12[.]9",
        Ioc(Ip, "45.77.12.9", Scope::Public),
    ),
    (
        "the host evil dot com",
        Ioc(Domain, "evil.com", Scope::Public),
    ),
    (
        "mail x[at]evil[.]com",
        Ioc(Email, "x@evil.com", Scope::Public),
    ),
    (
        "mail x(at)evil(.)com",
        Ioc(Email, "x@evil.com", Scope::Public),
    ),
    ("mail x[@]evil.com", Ioc(Email, "x@evil.com", Scope::Public)),
    ("Evil[.]COM", Ioc(Domain, "evil.com", Scope::Public)),
    // File-extension TLDs need defanging or context.
    (
        "the domain login[.]zip",
        Ioc(Domain, "login.zip", Scope::Public),
    ),
    (
        "C2 domain update.zip",
        Ioc(Domain, "update.zip", Scope::Public),
    ),
    ("Dropped update.zip and movie.mov", Nothing),
    ("ran install.sh then main.py", Nothing),
    // File names and code.
    ("file.exe", Nothing),
    ("example.js and config.php", Nothing),
    ("C:\\Windows\\Temp\\svc.com.dll", Nothing),
    ("/tmp/payload.sh", Nothing),
    ("System.IO and ASP.NET", Nothing),
    ("document.write(x)", Nothing),
    ("std::vec::Vec", Nothing),
    ("the dot com bubble", Nothing),
    // Version numbers, dates, times.
    ("version 1.2.3.4", Nothing),
    ("Windows v10.0.17763.1", Nothing),
    ("build 10.0.19041.1", Nothing),
    ("versions 1.2.3.4 through 1.2.3.9", Nothing),
    ("firmware 7.0.12.1", Nothing),
    ("1.3.6.1.4.1.311", Nothing),
    ("on 2024.01.15 at 10:15:30", Nothing),
    ("999.1.1.1", Nothing),
    ("01.02.03.04", Nothing),
    // Scopes.
    ("10.1.2.3", Ioc(Ip, "10.1.2.3", Scope::Private)),
    ("192.168.0.10", Ioc(Ip, "192.168.0.10", Scope::Private)),
    ("172.20.0.10", Ioc(Ip, "172.20.0.10", Scope::Private)),
    ("127.0.0.1", Ioc(Ip, "127.0.0.1", Scope::Loopback)),
    (
        "169.254.169.254",
        Ioc(Ip, "169.254.169.254", Scope::LinkLocal),
    ),
    ("192.0.2.1", Ioc(Ip, "192.0.2.1", Scope::Documentation)),
    (
        "198.51.100.23",
        Ioc(Ip, "198.51.100.23", Scope::Documentation),
    ),
    ("203.0.113.9", Ioc(Ip, "203.0.113.9", Scope::Documentation)),
    ("2001:db8::1", Ioc(Ip, "2001:db8::1", Scope::Documentation)),
    ("fd00::1234", Ioc(Ip, "fd00::1234", Scope::Private)),
    (
        "http://example.com/x",
        Ioc(Url, "http://example.com/x", Scope::Documentation),
    ),
    // IPv6 forms.
    (
        "2606:4700:4700::1111",
        Ioc(Ip, "2606:4700:4700::1111", Scope::Public),
    ),
    (
        "2606:4700:4700:0:0:0:0:1111",
        Ioc(Ip, "2606:4700:4700::1111", Scope::Public),
    ),
    (
        "[2a01:4f8:c17:2e1::1]:443",
        Ioc(Ip, "2a01:4f8:c17:2e1::1", Scope::Public),
    ),
    ("::ffff:8.8.8.8", Ioc(Ip, "::ffff:8.8.8.8", Scope::Public)),
    ("MAC 00:1a:2b:3c:4d:5e", Nothing),
    // Hashes.
    (
        "44D88612FEA8A8F36DE82E1278ABB02F",
        Ioc(Md5, "44d88612fea8a8f36de82e1278abb02f", Scope::Public),
    ),
    (
        "sha1:3395856ce81f2b7382dee72602f798b642f14140",
        Ioc(
            Sha1,
            "3395856ce81f2b7382dee72602f798b642f14140",
            Scope::Public,
        ),
    ),
    (
        "(275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f)",
        Ioc(
            Sha256,
            "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f",
            Scope::Public,
        ),
    ),
    ("44d88612fea8a8f36de82e1278abb02f0", Nothing),
    ("x44d88612fea8a8f36de82e1278abb02f", Nothing),
    (
        "44d88612fea8a8f36de82e1278abb02f44d88612fea8a8f36de82e1278abb02f44d8",
        Nothing,
    ),
    ("12345678901234567890123456789012", Nothing),
    // URLs with trailing punctuation.
    (
        "(see https://evil.com/a).",
        Ioc(Url, "https://evil.com/a", Scope::Public),
    ),
    (
        "\"https://evil.com/b\",",
        Ioc(Url, "https://evil.com/b", Scope::Public),
    ),
    (
        "[1](https://evil.com/c)",
        Ioc(Url, "https://evil.com/c", Scope::Public),
    ),
    (
        "https://evil.com/d?q=1;",
        Ioc(Url, "https://evil.com/d?q=1", Scope::Public),
    ),
    // Emails.
    (
        "Contact: Ops.Team+x@Evil-Mail.co.uk.",
        Ioc(Email, "ops.team+x@evil-mail.co.uk", Scope::Public),
    ),
    ("logo@2x.png", Nothing),
    ("npm i left-pad@1.3.0", Nothing),
];

#[test]
fn tricky_strings() {
    let mut failures = Vec::new();
    for (text, want) in CASES {
        let got = scan(text, None);
        match want {
            Ioc(kind, value, scope) => {
                let hit = got
                    .iocs
                    .iter()
                    .find(|i| i.kind == *kind && i.value == *value);
                match hit {
                    Some(i) if i.scope == *scope => {}
                    _ => failures.push(format!(
                        "{text:?}: want {kind:?} {value} {scope:?}, got {:?}",
                        got.iocs
                    )),
                }
            }
            Nothing => {
                if !got.iocs.is_empty() {
                    failures.push(format!("{text:?}: want nothing, got {:?}", got.iocs));
                }
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn cve_and_technique_ids() {
    let got = scan(
        "cve-2024-3400, CVE-2023-46805, CVE‑2021‑44228 (non-breaking hyphens), CVE-24-1, \
         T1059.001, t1566/002, T1078, T9999, T1059.999, AT1234",
        None,
    );
    assert_eq!(
        got.cves,
        vec!["CVE-2021-44228", "CVE-2023-46805", "CVE-2024-3400"]
    );
    assert_eq!(
        got.techniques,
        vec!["T1059", "T1059.001", "T1078", "T1566.002"]
    );
}

/// Three small reports: two name the same (defanged and plain) address.
fn env_with_reports() -> Env {
    let env = Env::new();
    env.write(
        "reports/ivanti.md",
        "---\ntitle: Volt Typhoon exploits Ivanti gateways\ndate: 2024-01-15\n---\n\
         Volt Typhoon chained CVE-2023-46805 and cve-2024-21887. The actor ran \
         PowerShell (T1059.001). C2 at 45.77.12[.]9 and hxxps://update-check[.]evil-cdn[.]com/gate.php; \
         staging host 10.20.1.5. Affected versions 22.1.2.3 through 22.6.1.1.\n",
    );
    env.write(
        "reports/outlook.txt",
        "APT28 abuses Outlook flaw CVE-2023-23397\nPublished: 2024-03-02\n\n\
         APT28 sent spearphishing attachments (T1566.001) and ran scripts with \
         T1059.003. The loader contacted 45.77.12.9 and mail-gov-ua[.]zip. \
         MD5 44d88612fea8a8f36de82e1278abb02f; an example config named 198.51.100.23.\n",
    );
    env.write(
        "reports/plain.txt",
        "Patch Tuesday notes\nPublished: 2024-04-09\n\n\
         Microsoft fixed CVE-2024-26234 this month. Update to version 10.0.22631.3447.\n",
    );
    env.ok(&["index", "--quiet", "reports"]);
    env
}

fn hit_paths(v: &Value) -> Vec<String> {
    let mut p: Vec<String> = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["path"].as_str().unwrap().to_string())
        .collect();
    p.sort();
    p
}

#[test]
fn extract_json_lists_indicators() {
    let env = Env::new();
    env.write(
        "r.txt",
        "Report\n\nExploit of CVE-2024-3400 (T1190) from 45.77.12[.]9, not version 1.2.3.4.\n",
    );
    let out = env.ok(&["extract", "--json", "r.txt"]);
    let v: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(strings(&v["cves"]), vec!["CVE-2024-3400"]);
    assert_eq!(strings(&v["techniques"]), vec!["T1190"]);
    assert_eq!(
        v["iocs"],
        serde_json::json!([{"type": "ip", "value": "45.77.12.9", "scope": "public", "role": "indicator"}])
    );
}

#[test]
fn search_finds_reports_by_cve_in_any_case_and_returns_ids() {
    let env = env_with_reports();
    let res = env.json(&["search", "cve-2024-21887"]);
    assert_eq!(hit_paths(&res), vec!["reports/ivanti.md"]);
    let hit = &res["hits"][0];
    assert_eq!(
        strings(&hit["cves"]),
        vec!["CVE-2023-46805", "CVE-2024-21887"]
    );
    assert_eq!(strings(&hit["techniques"]), vec!["T1059.001"]);
    let by_flag = env.json(&["search", "--cve", "CVE-2024-21887"]);
    assert_eq!(hit_paths(&by_flag), vec!["reports/ivanti.md"]);
}

#[test]
fn defanged_and_plain_addresses_find_the_same_reports() {
    let env = env_with_reports();
    let both = vec!["reports/ivanti.md", "reports/outlook.txt"];
    assert_eq!(hit_paths(&env.json(&["search", "45.77.12[.]9"])), both);
    assert_eq!(hit_paths(&env.json(&["search", "45.77.12.9"])), both);
    assert_eq!(
        hit_paths(&env.json(&["search", "--ioc", "45.77.12[.]9"])),
        both
    );
    assert_eq!(
        hit_paths(&env.json(&["search", "--ioc", "198.51.100.23"])),
        vec!["reports/outlook.txt"]
    );
    assert_eq!(
        hit_paths(&env.json(&[
            "search",
            "--ioc",
            "HXXPS://update-check[.]evil-cdn[.]com/gate.php"
        ])),
        vec!["reports/ivanti.md"]
    );
    // The host of a URL is a domain indicator too.
    assert_eq!(
        hit_paths(&env.json(&["search", "--ioc", "update-check.evil-cdn.com"])),
        vec!["reports/ivanti.md"]
    );
    // A version number is not an address.
    assert_eq!(env.json(&["search", "--ioc", "22.1.2.3"])["total"], 0);
}

#[test]
fn technique_parent_includes_sub_techniques() {
    let env = env_with_reports();
    let both = vec!["reports/ivanti.md", "reports/outlook.txt"];
    assert_eq!(
        hit_paths(&env.json(&["search", "--technique", "T1059"])),
        both
    );
    assert_eq!(hit_paths(&env.json(&["search", "t1059"])), both);
    assert_eq!(
        hit_paths(&env.json(&["search", "--technique", "T1059.003"])),
        vec!["reports/outlook.txt"]
    );
    let bad = env.run(&["search", "--technique", "T9999"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn iocs_lists_counts_most_named_first() {
    let env = env_with_reports();
    let v = env.json(&["iocs"]);
    let rows: Vec<(String, String, Value, u64)> = v["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["type"].as_str().unwrap().to_string(),
                r["value"].as_str().unwrap().to_string(),
                r["scope"].clone(),
                r["reports"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows[0],
        ("ip".into(), "45.77.12.9".into(), Value::from("public"), 2)
    );
    let counts: Vec<u64> = rows.iter().map(|r| r.3).collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
    let find = |value: &str| rows.iter().find(|r| r.1 == value).cloned();
    assert_eq!(find("10.20.1.5").map(|r| r.2), Some(Value::from("private")));
    assert_eq!(
        find("198.51.100.23").map(|r| r.2),
        Some(Value::from("documentation"))
    );
    assert_eq!(find("CVE-2024-26234").map(|r| r.2), Some(Value::Null));
    assert!(find("22.1.2.3").is_none() && find("10.0.22631.3447").is_none());
    assert!(find("mail-gov-ua.zip").is_some());

    let csv = env.ok(&["iocs", "--csv", "--type", "cve"]);
    let mut lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.remove(0), "type,value,scope,role,reports");
    assert_eq!(
        lines,
        vec![
            "cve,CVE-2023-23397,,,1",
            "cve,CVE-2023-46805,,,1",
            "cve,CVE-2024-21887,,,1",
            "cve,CVE-2024-26234,,,1"
        ]
    );
    // A query restricts the reports counted.
    let only = env.json(&["iocs", "APT28", "--type", "ip"]);
    let values: Vec<&str> = only["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["value"].as_str().unwrap())
        .collect();
    assert_eq!(values, vec!["198.51.100.23", "45.77.12.9"]);
}

#[test]
fn facets_count_cves_and_techniques() {
    let env = env_with_reports();
    let v = env.json(&["facets", "--by", "cve", "--by", "technique"]);
    let facet = |name: &str| -> Vec<(String, u64)> {
        v["facets"][name]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["value"].as_str().unwrap().to_string(),
                    f["count"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    let cves = facet("cve");
    assert_eq!(cves.len(), 4, "{cves:?}");
    assert!(cves.iter().all(|(_, n)| *n == 1));
    let techs = facet("technique");
    assert_eq!(techs[0], ("T1059".to_string(), 2), "{techs:?}");
    assert!(techs.contains(&("T1059.001".to_string(), 1)));
    assert!(techs.contains(&("T1566".to_string(), 1)));
}

/// A report with attackers' indicators and the links it cites.
const REPORT_WITH_REFERENCES: &str = "\
# Loader campaign hits logistics firms

The loader downloads its second stage from http://cdn.bad-loader.net/m4UBdpE7 and beacons
to the C2 server stage.bad-loader.net every minute. Researchers at Acme described the
family earlier (https://research.acme-sec.com/blog/loader-family-returns-with-new-tricks).
The New York Times covered the breach at https://www.nytimes.com/2024/01/02/tech/breach.html.

## Indicators of compromise

- drop.evil-files.org
- 275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f

## References

- https://github.com/acme-sec/loader-rules
- https://www.gov.uk/guidance/phishing
";

fn env_with_references() -> Env {
    let env = Env::new();
    env.write("reports/loader.md", REPORT_WITH_REFERENCES);
    env.ok(&["index", "--quiet", "reports"]);
    env
}

/// (value, role) of each row of `iocs --json` with these extra arguments.
fn roles(env: &Env, extra: &[&str]) -> Vec<(String, String)> {
    let mut args = vec!["iocs"];
    args.extend_from_slice(extra);
    env.json(&args)["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| !r["role"].is_null())
        .map(|r| {
            (
                r["value"].as_str().unwrap().to_string(),
                r["role"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn references_are_kept_and_searchable_but_not_listed_as_indicators() {
    let env = env_with_references();
    let mut indicators: Vec<String> = roles(&env, &[]).into_iter().map(|r| r.0).collect();
    indicators.sort();
    assert_eq!(
        indicators,
        vec![
            "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f",
            "cdn.bad-loader.net",
            "drop.evil-files.org",
            "http://cdn.bad-loader.net/m4UBdpE7",
            "stage.bad-loader.net",
        ]
    );
    let references: Vec<(String, String)> = roles(&env, &["--references"]);
    let reference_values: Vec<&str> = references.iter().map(|r| r.0.as_str()).collect();
    for cited in [
        "https://research.acme-sec.com/blog/loader-family-returns-with-new-tricks",
        "https://www.nytimes.com/2024/01/02/tech/breach.html",
        "www.nytimes.com",
        "https://github.com/acme-sec/loader-rules",
        "github.com",
        "https://www.gov.uk/guidance/phishing",
    ] {
        assert!(reference_values.contains(&cited), "{cited}: {references:?}");
    }
    assert!(references.iter().all(|r| r.1 == "reference"));
    let all = roles(&env, &["--all"]);
    assert_eq!(all.len(), references.len() + indicators.len());
    // A reference is still found by search.
    let hits = env.json(&["search", "--ioc", "www.nytimes.com"]);
    assert_eq!(hit_paths(&hits), vec!["reports/loader.md"]);
    // The CSV and the extract JSON carry the role.
    let csv = env.ok(&["iocs", "--csv", "--all", "--type", "domain"]);
    assert!(csv.starts_with("type,value,scope,role,reports\n"), "{csv}");
    assert!(
        csv.contains("domain,github.com,public,reference,1\n"),
        "{csv}"
    );
    assert!(
        csv.contains("domain,drop.evil-files.org,public,indicator,1\n"),
        "{csv}"
    );
    let extracted = env.ok(&["extract", "--json", "reports/loader.md"]);
    let v: Value = serde_json::from_str(extracted.trim()).unwrap();
    let nyt = v["iocs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["value"] == "www.nytimes.com")
        .cloned();
    assert_eq!(
        nyt.map(|i| i["role"].clone()),
        Some(Value::from("reference"))
    );
}

#[test]
fn url_paths_keep_their_case() {
    let env = env_with_references();
    let urls = env.json(&["iocs", "--type", "url"]);
    let values: Vec<&str> = urls["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["value"].as_str().unwrap())
        .collect();
    assert_eq!(values, vec!["http://cdn.bad-loader.net/m4UBdpE7"]);
    // Scheme and host are case-insensitive; the path is not.
    for typed in [
        "HTTP://CDN.Bad-Loader.net/m4UBdpE7",
        "hxxp://cdn[.]bad-loader[.]net/m4UBdpE7",
    ] {
        let hits = env.json(&["search", "--ioc", typed]);
        assert_eq!(hit_paths(&hits), vec!["reports/loader.md"], "{typed}");
    }
    let other_case = env.json(&["search", "--ioc", "http://cdn.bad-loader.net/m4ubdpe7"]);
    assert_eq!(other_case["total"], 0);
}

#[test]
fn iocs_limits_are_checked_and_clamped() {
    let env = env_with_references();
    let all = env.json(&["iocs"])["indicators"].as_array().unwrap().len();
    assert!(all > 2);
    let two = env.json(&["iocs", "-n", "2"]);
    assert_eq!(two["indicators"].as_array().unwrap().len(), 2);
    for huge in ["18446744073709551615", "100000000000000"] {
        let v = env.json(&["iocs", "-n", huge]);
        assert_eq!(v["indicators"].as_array().unwrap().len(), all, "{huge}");
    }
    for bad in ["0", "-1", "99999999999999999999999", "x"] {
        let out = env.run(&["iocs", "-n", bad]);
        assert_eq!(out.status.code(), Some(2), "-n {bad}");
        assert!(out.stdout.is_empty(), "-n {bad}");
    }
}

#[test]
fn iocs_table_fits_its_content() {
    let env = Env::new();
    let long = format!("hxxp://evil[.]com/{}", "a".repeat(150));
    env.write(
        "reports/long.txt",
        format!("Long link\n\nThe payload came from {long} and 45.77.12[.]9.\n"),
    );
    env.ok(&["index", "--quiet", "reports"]);
    let table = env.ok(&["iocs"]);
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines[0].starts_with("type"), "{table}");
    let header_width = lines[0].chars().count();
    assert!(
        header_width <= 100,
        "header is {header_width} wide:\n{table}"
    );
    // Short rows are no wider than the header; the long URL overflows its
    // own row only.
    for l in &lines[1..] {
        if l.contains("aaaa") {
            assert!(l.chars().count() > 150, "{l}");
        } else {
            assert!(l.chars().count() <= header_width, "{l}\n{table}");
        }
    }
}
