//! Generates a deterministic benchmark corpus of realistic news-site pages.
//!
//! ```text
//! cargo run --release --example gen_corpus -- --out DIR --pages N [--seed S] [--per-dir K]
//! ```
//!
//! Every page is 60–150 KB of HTML in the shape of a real news site: `<head>`
//! metadata (title, `og:*`, and one of several date conventions: an
//! `article:published_time` meta, JSON-LD `datePublished` (flat or inside
//! `@graph`), `<time datetime>`, or a byline date only), a large navigation
//! menu, inline `<style>`s and `<script>`s (most of the bytes, as on real
//! sites), "Trending" and "Most read" sidebars and a comments section that name
//! other actors and countries, a footer, and a 400–1,500-word article inside an
//! `<article>`, a `<main>`, a `div.entry-content`, a `div[itemprop=articleBody]`
//! or unmarked nested `<div>`s. Its sentences are assembled from templates with
//! actors (canonical names and aliases), countries (names and demonyms) and
//! sector triggers taken from the built-in knowledge base; two sites in three
//! use typographic quotes and dashes (’ “ ” –) in the article, as real sites
//! do. About 3 % of the files are plain-text or Markdown reports.
//!
//! Output is a pure function of `--seed` and the page number (each page has its
//! own RNG stream), so the corpus is identical whatever the number of threads.
//! Files are spread over sub-directories of `--per-dir` (default 1,000) files.
//! A summary (pages, bytes, time) goes to stderr.

use rayon::prelude::*;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;
use threatdex::kb::{AliasKind, Kb};

// ---------------------------------------------------------------- RNG ----

/// wyrand: tiny, fast, good enough for text generation, and fully ours, so
/// the corpus never changes with a dependency upgrade.
#[derive(Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64, stream: u64) -> Rng {
        // splitmix64 of (seed, stream) so neighbouring pages get unrelated states.
        let mut z = seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Rng(z ^ (z >> 31))
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0xa076_1d64_78bd_642f);
        let t = u128::from(self.0) * u128::from(self.0 ^ 0xe703_7ed1_a0b4_28db);
        ((t >> 64) as u64) ^ (t as u64)
    }
    /// Uniform in `lo..hi` (hi exclusive).
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        debug_assert!(hi > lo);
        lo + ((u128::from(self.next()) * (hi - lo) as u128) >> 64) as usize
    }
    fn f64(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn chance(&mut self, p: f64) -> bool {
        self.f64() < p
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.range(0, xs.len())]
    }
}

/// A Zipf-like weighted choice over a fixed order (popular items first).
struct Zipf {
    cumulative: Vec<f64>,
}

impl Zipf {
    fn new(n: usize, s: f64) -> Zipf {
        let mut acc = 0.0;
        let cumulative = (0..n)
            .map(|i| {
                acc += 1.0 / ((i + 1) as f64).powf(s);
                acc
            })
            .collect();
        Zipf { cumulative }
    }
    fn sample(&self, rng: &mut Rng) -> usize {
        let total = *self.cumulative.last().unwrap_or(&1.0);
        let x = rng.f64() * total;
        self.cumulative
            .partition_point(|&c| c < x)
            .min(self.cumulative.len() - 1)
    }
}

// ------------------------------------------------------------- vocabulary ----

/// One actor as the generator uses it: names that match as plain words.
struct ActorNames {
    canonical: String,
    aliases: Vec<String>,
}

struct CountryNames {
    name: String,
    demonyms: Vec<String>,
}

/// Everything drawn from the knowledge base, popular entries first.
struct Vocab {
    actors: Vec<ActorNames>,
    actor_zipf: Zipf,
    countries: Vec<CountryNames>,
    country_zipf: Zipf,
    sectors: Vec<Vec<String>>,
}

/// Actors that news mentions most; they go first in the Zipf order.
const FAMOUS_ACTORS: &[&str] = &[
    "Volt Typhoon",
    "APT28",
    "Lazarus Group",
    "APT29",
    "Sandworm Team",
    "Salt Typhoon",
    "Scattered Spider",
    "LockBit",
    "Kimsuky",
    "APT41",
    "Turla",
    "OilRig",
    "Mustang Panda",
    "FIN7",
    "Magic Hound",
    "MuddyWater",
    "Gamaredon Group",
    "Star Blizzard",
    "BlackCat",
    "Andariel",
    "Cl0p",
    "Black Basta",
    "Storm-0558",
];

/// Countries news mentions most (ISO codes), first in the Zipf order.
const FAMOUS_COUNTRIES: &[&str] = &[
    "US", "CN", "RU", "UA", "IR", "KP", "GB", "IL", "TW", "DE", "KR", "JP", "IN", "FR", "AU", "CA",
    "PL", "SA", "AE", "NL", "PK", "VN", "PH", "SG", "BR", "TR", "EG", "IT", "ES", "SE",
];

impl Vocab {
    fn load() -> Vocab {
        let kb = Kb::builtin().expect("built-in knowledge base");
        let mut famous: Vec<ActorNames> = Vec::new();
        let mut rest: Vec<ActorNames> = Vec::new();
        for a in kb.actors() {
            let aliases: Vec<String> = a
                .aliases
                .iter()
                .filter(|x| x.kind == AliasKind::Plain)
                .map(|x| x.name.clone())
                .collect();
            let canonical = if a.canonical_kind == AliasKind::Plain {
                a.canonical.clone()
            } else if let Some(first) = aliases.first() {
                first.clone()
            } else {
                continue; // only ordinary-word names: skip
            };
            let names = ActorNames { canonical, aliases };
            match FAMOUS_ACTORS.iter().position(|f| *f == a.canonical) {
                Some(_) => famous.push(names),
                None => rest.push(names),
            }
        }
        famous.sort_by_key(|n| {
            FAMOUS_ACTORS
                .iter()
                .position(|f| *f == n.canonical)
                .unwrap_or(usize::MAX)
        });
        let mut actors = famous;
        actors.extend(rest);

        let mut countries: Vec<(usize, CountryNames)> = kb
            .countries()
            .iter()
            .map(|c| {
                let rank = FAMOUS_COUNTRIES
                    .iter()
                    .position(|f| *f == c.code)
                    .unwrap_or(usize::MAX);
                let demonyms = c
                    .demonyms
                    .iter()
                    .filter(|d| d.kind == AliasKind::Plain && !d.name.ends_with('s'))
                    .map(|d| d.name.clone())
                    .collect();
                (
                    rank,
                    CountryNames {
                        name: c.name.clone(),
                        demonyms,
                    },
                )
            })
            .collect();
        countries.sort_by_key(|(rank, _)| *rank);
        let countries: Vec<CountryNames> = countries.into_iter().map(|(_, c)| c).collect();

        let sectors = kb
            .sectors()
            .iter()
            .map(|s| {
                s.triggers
                    .iter()
                    .filter(|t| t.len() > 5)
                    .cloned()
                    .collect::<Vec<_>>()
            })
            .filter(|t: &Vec<String>| !t.is_empty())
            .collect();
        Vocab {
            actor_zipf: Zipf::new(actors.len(), 0.9),
            country_zipf: Zipf::new(countries.len(), 1.1),
            actors,
            countries,
            sectors,
        }
    }
}

const VENDORS: &[&str] = &[
    "Microsoft",
    "Mandiant",
    "CrowdStrike",
    "Secureworks",
    "Recorded Future",
    "ESET",
    "Kaspersky",
    "Symantec",
    "Unit 42",
    "Cisco Talos",
    "Proofpoint",
    "Google's Threat Analysis Group",
    "SentinelOne",
    "Check Point",
    "Trend Micro",
    "Sophos",
    "Volexity",
    "Dragos",
    "Lumen's Black Lotus Labs",
    "the NCSC",
    "CISA",
    "the FBI",
    "Bitdefender",
    "WithSecure",
    "Elastic Security Labs",
];
const MALWARE: &[&str] = &[
    "PlugX",
    "ShadowPad",
    "Mimikatz",
    "KV-botnet",
    "Industroyer2",
    "CaddyWiper",
    "BlackEnergy",
    "Sunburst",
    "Raindrop",
    "TrickBot",
    "QakBot",
    "IcedID",
    "Emotet",
    "Sliver",
    "Brute Ratel",
    "Havoc",
    "Gh0st RAT",
    "PoisonIvy",
    "Winnti loader",
    "SnappyTCP",
    "Kazuar",
    "Snake implant",
    "GooseEgg",
    "CredoMap",
    "DarkGate",
    "Pikabot",
    "SystemBC",
    "AsyncRAT",
    "Remcos",
    "njRAT",
    "BlackCat encryptor",
    "LockBit 3.0",
    "Royal encryptor",
    "Akira encryptor",
    "Rhadamanthys",
    "LummaC2",
    "RedLine",
    "Vidar",
    "SocGholish",
    "Gootloader",
    "ToneShell",
    "PowerShower",
];
const PRODUCTS: &[&str] = &[
    "Ivanti Connect Secure",
    "Fortinet FortiOS",
    "Citrix NetScaler",
    "Microsoft Exchange",
    "Atlassian Confluence",
    "MOVEit Transfer",
    "Cisco IOS XE",
    "Palo Alto PAN-OS",
    "VMware vCenter",
    "Barracuda ESG",
    "SonicWall SMA",
    "Zimbra Collaboration",
    "Windows Print Spooler",
    "Progress WS_FTP",
    "Jenkins",
    "Apache ActiveMQ",
    "Roundcube",
    "SolarWinds Orion",
    "Versa Director",
    "Check Point Quantum Gateway",
];
const TECHNIQUES: &[&str] = &[
    "pass-the-hash",
    "Kerberoasting",
    "DLL side-loading",
    "scheduled tasks",
    "WMI event subscriptions",
    "PowerShell downloaders",
    "living-off-the-land binaries",
    "remote desktop",
    "credential dumping from LSASS",
    "token impersonation",
    "web shells",
    "reverse SSH tunnels",
    "SIM swapping",
    "MFA fatigue attacks",
    "OAuth application abuse",
    "password spraying",
    "malicious browser extensions",
    "compromised SOHO routers",
    "residential proxies",
    "spear-phishing attachments",
];
const ORGS: &[&str] = &[
    "ministry",
    "company",
    "embassy",
    "agency",
    "regulator",
    "operator",
    "vendor",
    "utility",
    "hospital trust",
    "university",
    "city council",
    "port authority",
];
const FIRST: &[&str] = &[
    "Alex", "Maria", "John", "Priya", "Wei", "Olga", "Ahmed", "Sara", "Tom", "Lena", "Diego",
    "Yuki", "Fatima", "Jonas", "Chloe", "Ivan", "Grace", "Omar", "Hannah", "Luca", "Nina", "Kofi",
    "Emma", "Rafael", "Aisha", "Mark", "Julia", "Tariq", "Elena", "Sam",
];
const LAST: &[&str] = &[
    "Smith",
    "Garcia",
    "Chen",
    "Kowalski",
    "Nguyen",
    "Okafor",
    "Schmidt",
    "Rossi",
    "Tanaka",
    "Haddad",
    "Novak",
    "Petrov",
    "Larsen",
    "Dubois",
    "Murphy",
    "Silva",
    "Cohen",
    "Kim",
    "Patel",
    "Jensen",
    "Moreau",
    "Yilmaz",
    "Andersson",
    "Fischer",
    "Costa",
];
const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const MENU_SECTIONS: &[&str] = &[
    "News",
    "Threat Intelligence",
    "Ransomware",
    "Nation-State",
    "Vulnerabilities",
    "Cloud",
    "Identity",
    "OT & ICS",
    "Policy",
    "Research",
    "Events",
    "Podcasts",
    "Webinars",
    "Jobs",
    "Whitepapers",
    "About",
];
const MENU_ITEMS: &[&str] = &[
    "Latest",
    "Analysis",
    "Features",
    "Interviews",
    "Opinion",
    "Data Breaches",
    "Malware",
    "Phishing",
    "Supply Chain",
    "Zero-Day",
    "Patch Tuesday",
    "Incident Response",
    "Threat Hunting",
    "Application Security",
    "Endpoint",
    "Network Security",
    "Email Security",
    "Mobile",
    "Privacy",
    "Compliance",
    "Regulation",
    "Critical Infrastructure",
    "Elections",
    "Cybercrime",
    "Russia-Ukraine War",
    "China",
    "Iran",
    "North Korea",
    "Middle East",
    "Europe",
    "Asia Pacific",
    "Ransomware Tracker",
    "Leak Sites",
    "CISO Corner",
    "Careers",
    "Funding",
    "M&A",
    "Products",
    "Reviews",
    "Newsletters",
    "Tools",
    "Guides",
    "Glossary",
    "Contributors",
    "Advertise",
];
const GENERIC: &[&str] = &[
    "The intruders - who had been inside the network for months - left few traces behind.",
    "It's the third such campaign this year, and it won't be the last, analysts said.",
    "The findings underline how quickly attackers weaponise newly disclosed vulnerabilities.",
    "Defenders were urged to hunt for signs of compromise rather than rely on patching alone.",
    "Several of the victims only learned of the breach when contacted by investigators.",
    "The researchers shared their indicators with national computer emergency response teams.",
    "It is not yet clear how much data was taken before the intrusion was contained.",
    "The operators took care to blend in with legitimate administrative traffic.",
    "Logs from the affected systems had been partially wiped, complicating the investigation.",
    "Most of the infrastructure was rented from commercial hosting providers and paid for in cryptocurrency.",
    "The company said it had reset credentials and rebuilt the affected servers.",
    "Investigators found no evidence that customer payment data had been accessed.",
    "The campaign shows a clear interest in long-term access rather than immediate disruption.",
    "Analysts cautioned that attribution based on tooling alone remains uncertain.",
    "The advisory lists detection rules, network signatures and recommended mitigations.",
    "Organisations that run internet-facing appliances were told to check their firmware integrity.",
    "The intruders kept a low profile for months, exfiltrating data in small batches at night.",
    "Multi-factor authentication would have blocked most of the initial access attempts, the report notes.",
    "Several critical infrastructure operators were among the organisations notified.",
    "The phishing lures were tailored to each recipient and referred to real meetings.",
    "Backups stored offline allowed some victims to recover without paying.",
    "The ransom demands ranged from a few hundred thousand dollars to several million.",
];

// ------------------------------------------------------------- helpers ----

fn esc_text(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
}

/// Straight quotes and spaced hyphens to their typographic forms.
fn typographic(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    let mut open = true;
    for c in s.chars() {
        match c {
            '\'' => out.push('\u{2019}'),
            '"' => {
                out.push(if open { '\u{201C}' } else { '\u{201D}' });
                open = !open;
            }
            c => out.push(c),
        }
    }
    out.replace(" - ", " \u{2013} ")
}

fn esc_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

fn esc_json(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('<', "\\u003c")
}

fn slug(s: &str, max: usize) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
            dash = false;
        } else if !dash && !out.is_empty() {
            out.push('-');
            dash = true;
        }
        if out.len() >= max {
            break;
        }
    }
    out.trim_end_matches('-').to_string()
}

fn hex(rng: &mut Rng, n: usize) -> String {
    let mut s = String::with_capacity(n);
    while s.len() < n {
        let _ = write!(s, "{:016x}", rng.next());
    }
    s.truncate(n);
    s
}

#[derive(Clone, Copy)]
struct Day {
    y: u32,
    m: u32,
    d: u32,
}

impl Day {
    fn random(rng: &mut Rng) -> Day {
        Day {
            y: rng.range(2015, 2026) as u32,
            m: rng.range(1, 13) as u32,
            d: rng.range(1, 29) as u32,
        }
    }
    fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.y, self.m, self.d)
    }
    fn long(self) -> String {
        format!("{} {}, {}", MONTHS[self.m as usize - 1], self.d, self.y)
    }
    fn european(self) -> String {
        format!("{} {} {}", self.d, MONTHS[self.m as usize - 1], self.y)
    }
    fn month_year(self) -> String {
        format!("{} {}", MONTHS[self.m as usize - 1], self.y)
    }
    fn later(self, rng: &mut Rng) -> Day {
        let mut d = self;
        d.d = (d.d + rng.range(1, 20) as u32).min(28);
        d
    }
}

// -------------------------------------------------------------- sites ----

/// How a site marks its publication date.
#[derive(Clone, Copy)]
enum DateStyle {
    MetaPublishedTime,
    JsonLd,
    JsonLdGraph,
    TimeElement,
    BylineOnly,
}

/// What wraps a site's article body.
#[derive(Clone, Copy)]
enum Container {
    Article,
    Main,
    EntryContent,
    ItemProp,
    Unmarked,
}

/// A fictional site: its chrome is shared by all its pages, as on the web.
struct Site {
    name: String,
    domain: String,
    date_style: DateStyle,
    container: Container,
    css: Vec<String>,
    nav: String,
    footer: String,
    /// A minified "vendor bundle"; pages inline a prefix of it as padding.
    bundle: String,
    analytics: String,
    /// Whether the site's editors use typographic quotes and dashes (’ “ ” –),
    /// as most real news sites do: the article text is then not pure ASCII.
    typographic: bool,
}

const SITE_WORDS: &[&str] = &[
    "Cyber", "Threat", "Secure", "Packet", "Signal", "Vector", "Breach", "Defense", "Sentinel",
    "Kernel", "Zero", "Daily", "Wire", "Post", "Ledger", "Watch", "Insider", "Record", "Beacon",
    "Harbor",
];

fn make_site(seed: u64, id: usize) -> Site {
    let mut rng = Rng::new(seed, 0xFFFF_0000 + id as u64);
    let name = format!("{} {}", rng.pick(SITE_WORDS), rng.pick(SITE_WORDS));
    let domain = format!("{}.example", slug(&name, 40).replace('-', ""));
    let date_style = match id % 5 {
        0 => DateStyle::MetaPublishedTime,
        1 => DateStyle::JsonLd,
        2 => DateStyle::TimeElement,
        3 => DateStyle::BylineOnly,
        _ => DateStyle::JsonLdGraph,
    };
    let typographic = !id.is_multiple_of(3);
    let container = match (id / 5 + id) % 5 {
        0 => Container::Article,
        1 => Container::Main,
        2 => Container::EntryContent,
        3 => Container::ItemProp,
        _ => Container::Unmarked,
    };

    // Stylesheets: 2–4 blocks, 8–30 KB in all.
    let mut css = Vec::new();
    let blocks = rng.range(2, 5);
    let total = rng.range(8_000, 30_000);
    for _ in 0..blocks {
        let mut s = String::new();
        while s.len() < total / blocks {
            let sel = format!(
                ".{}-{}{}",
                rng.pick(&[
                    "c",
                    "wp",
                    "td",
                    "tdb",
                    "elementor",
                    "jeg",
                    "mvp",
                    "site",
                    "post",
                    "widget"
                ]),
                hex(&mut rng, 5),
                rng.pick(&[
                    "",
                    " a",
                    ">li",
                    ":hover",
                    " .inner",
                    "::before",
                    " span",
                    ".is-active"
                ])
            );
            let _ = write!(
                s,
                "{sel}{{display:{};margin:{}px {}px;padding:{}px;color:#{};font-size:{}px;line-height:{:.2};border:1px solid #{}}}",
                rng.pick(&["block", "flex", "grid", "inline-block", "none"]),
                rng.range(0, 40),
                rng.range(0, 40),
                rng.range(0, 30),
                hex(&mut rng, 6),
                rng.range(11, 28),
                1.0 + rng.f64(),
                hex(&mut rng, 6)
            );
            if rng.chance(0.05) {
                let _ = write!(
                    s,
                    "@media (max-width:{}px){{.{}{{display:none}}}}",
                    rng.range(480, 1280),
                    hex(&mut rng, 6)
                );
            }
            s.push('\n');
        }
        css.push(s);
    }

    // Navigation: a WordPress-style mega menu, 80–220 links.
    let mut nav = String::new();
    let _ = write!(nav, "<header class=\"site-header\"><div class=\"logo\"><a href=\"https://{domain}/\">{}</a></div>", esc_attr(&name));
    nav.push_str("<nav id=\"site-navigation\" class=\"main-navigation\" aria-label=\"Main\"><ul id=\"menu-main\" class=\"menu\">");
    let links = rng.range(60, 180);
    let mut made = 0;
    let mut menu_id = rng.range(1000, 9000);
    while made < links {
        let section = rng.pick(MENU_SECTIONS);
        menu_id += 1;
        let _ = write!(
            nav,
            "<li id=\"menu-item-{menu_id}\" class=\"menu-item menu-item-type-taxonomy menu-item-object-category menu-item-has-children menu-item-{menu_id}\"><a href=\"https://{domain}/category/{}/\">{}</a><ul class=\"sub-menu\">",
            slug(section, 40),
            esc_attr(section)
        );
        for _ in 0..rng.range(6, 18) {
            let item = rng.pick(MENU_ITEMS);
            menu_id += 1;
            let _ = write!(
                nav,
                "<li id=\"menu-item-{menu_id}\" class=\"menu-item menu-item-type-taxonomy menu-item-object-category menu-item-{menu_id}\"><a href=\"https://{domain}/category/{}/{}/\">{}</a></li>",
                slug(section, 40),
                slug(item, 40),
                esc_attr(item)
            );
            made += 1;
        }
        nav.push_str("</ul></li>");
        made += 1;
    }
    nav.push_str("</ul></nav><form class=\"search-form\" role=\"search\" action=\"/\"><input type=\"search\" name=\"s\" placeholder=\"Search …\"><button>Search</button></form></header>\n");

    // Footer: link columns, newsletter, copyright.
    let mut footer = String::from(
        "<footer id=\"colophon\" class=\"site-footer\"><div class=\"footer-widgets\">",
    );
    for col in 0..4 {
        let _ = write!(
            footer,
            "<div class=\"footer-col col-{col}\"><h4>{}</h4><ul>",
            rng.pick(MENU_SECTIONS)
        );
        for _ in 0..rng.range(6, 12) {
            let item = rng.pick(MENU_ITEMS);
            let _ = write!(
                footer,
                "<li><a href=\"https://{domain}/{}/\">{}</a></li>",
                slug(item, 40),
                esc_attr(item)
            );
        }
        footer.push_str("</ul></div>");
    }
    let _ = writeln!(
        footer,
        "</div><div class=\"newsletter\"><p>Get the {} briefing in your inbox every weekday morning.</p><form><input type=\"email\" placeholder=\"you@company.com\"><button>Subscribe</button></form></div><p class=\"copyright\">&copy; 2012–2025 {} Media Ltd. All rights reserved. <a href=\"/privacy/\">Privacy</a> · <a href=\"/terms/\">Terms</a> · <a href=\"/cookies/\">Cookie settings</a></p></footer>",
        esc_attr(&name),
        esc_attr(&name)
    );

    // A minified-looking vendor bundle, 160 KB (a prefix is inlined per page).
    let mut bundle = String::with_capacity(170_000);
    let idents = [
        "e", "t", "n", "r", "i", "o", "a", "s", "u", "c", "l", "f", "d", "p", "h",
    ];
    while bundle.len() < 160_000 {
        let f = rng.pick(&idents);
        let g = rng.pick(&idents);
        let _ = write!(
            bundle,
            "function {f}{}({f},{g}){{var {g}{}={f}.{}||{{}};return {g}.{}?{f}[\"{}\"]({g},{}):void 0}}",
            hex(&mut rng, 3),
            rng.range(0, 99),
            rng.pick(&["exports", "prototype", "length", "dataset", "options", "state", "props"]),
            rng.pick(&["call", "apply", "bind", "then", "push", "forEach", "map"]),
            rng.pick(&["addEventListener", "setAttribute", "querySelector", "dispatch", "render"]),
            rng.range(0, 9999)
        );
        if rng.chance(0.1) {
            let _ = write!(
                bundle,
                ";window.__{}=\"{}\";",
                hex(&mut rng, 6),
                hex(&mut rng, 32)
            );
        }
    }

    let analytics = format!(
        "(function(w,d,s,l,i){{w[l]=w[l]||[];w[l].push({{'gtm.start':new Date().getTime(),event:'gtm.js'}});var f=d.getElementsByTagName(s)[0],j=d.createElement(s),dl=l!='dataLayer'?'&l='+l:'';j.async=true;j.src='https://www.googletagmanager.com/gtm.js?id='+i+dl;f.parentNode.insertBefore(j,f);}})(window,document,'script','dataLayer','GTM-{}');\nwindow.dataLayer=window.dataLayer||[];function gtag(){{dataLayer.push(arguments);}}gtag('js',new Date());gtag('config','G-{}',{{'anonymize_ip':true,'cookie_flags':'SameSite=None;Secure'}});\n",
        hex(&mut rng, 7).to_uppercase(),
        hex(&mut rng, 10).to_uppercase()
    );

    Site {
        name,
        domain,
        date_style,
        container,
        css,
        nav,
        footer,
        bundle,
        analytics,
        typographic,
    }
}

// ----------------------------------------------------------- articles ----

/// The subject of one page: who did what to whom, when.
struct Story {
    actors: Vec<usize>,
    countries: Vec<usize>,
    sectors: Vec<usize>,
    vendor: &'static str,
    malware: &'static str,
    product: &'static str,
    cve: String,
    day: Day,
}

impl Story {
    fn new(v: &Vocab, rng: &mut Rng) -> Story {
        let mut actors = vec![v.actor_zipf.sample(rng)];
        for _ in 0..rng.range(0, 3) {
            let a = v.actor_zipf.sample(rng);
            if !actors.contains(&a) {
                actors.push(a);
            }
        }
        let mut countries = vec![v.country_zipf.sample(rng)];
        for _ in 0..rng.range(0, 3) {
            let c = v.country_zipf.sample(rng);
            if !countries.contains(&c) {
                countries.push(c);
            }
        }
        let mut sectors = vec![rng.range(0, v.sectors.len())];
        if rng.chance(0.5) {
            let s = rng.range(0, v.sectors.len());
            if !sectors.contains(&s) {
                sectors.push(s);
            }
        }
        let day = Day::random(rng);
        Story {
            actors,
            countries,
            sectors,
            vendor: rng.pick::<&str>(VENDORS),
            malware: rng.pick::<&str>(MALWARE),
            product: rng.pick::<&str>(PRODUCTS),
            cve: format!("CVE-{}-{}", day.y.min(2025), rng.range(1000, 49999)),
            day,
        }
    }
}

/// Fills sentence templates for one story.
struct Writer<'a> {
    v: &'a Vocab,
    s: &'a Story,
}

impl Writer<'_> {
    fn actor(&self, rng: &mut Rng, which: usize) -> &str {
        let a = &self.v.actors[self.s.actors[which % self.s.actors.len()]];
        if !a.aliases.is_empty() && rng.chance(0.35) {
            rng.pick(&a.aliases).as_str()
        } else {
            a.canonical.as_str()
        }
    }
    fn alias(&self, rng: &mut Rng) -> &str {
        rng.pick(&self.v.actors[self.s.actors[0]].aliases).as_str()
    }
    fn country(&self, rng: &mut Rng) -> &str {
        &self.v.countries[*rng.pick(&self.s.countries)].name
    }
    fn demonym(&self, rng: &mut Rng) -> String {
        let c = &self.v.countries[*rng.pick(&self.s.countries)];
        match c.demonyms.first() {
            Some(d) => d.clone(),
            None => format!("{}-based", c.name),
        }
    }
    fn sector(&self, rng: &mut Rng) -> &str {
        let i = *rng.pick(&self.s.sectors);
        rng.pick(&self.v.sectors[i]).as_str()
    }

    fn title(&self, rng: &mut Rng) -> String {
        let a = self.actor(rng, 0).to_string();
        match rng.range(0, 7) {
            0 => format!(
                "{a} targets {} in {} with new {} variant",
                self.sector(rng),
                self.country(rng),
                self.s.malware
            ),
            1 => format!(
                "{} hackers linked to {a} breach {}",
                self.demonym(rng),
                self.sector(rng)
            ),
            2 => format!(
                "{} warns of {a} campaign against {}",
                self.s.vendor,
                self.sector(rng)
            ),
            3 => format!(
                "Inside {a}'s latest operation: {} and {}",
                self.s.malware, self.s.cve
            ),
            4 => format!(
                "{} accuses {a} of attacks on {}",
                self.country(rng),
                self.sector(rng)
            ),
            5 => format!(
                "Joint advisory: {a} exploits {} in {}",
                self.s.cve, self.s.product
            ),
            _ => format!(
                "{a} returns with {} aimed at {} in {}",
                self.s.malware,
                self.sector(rng),
                self.country(rng)
            ),
        }
    }

    fn sentence(&self, rng: &mut Rng) -> String {
        let s = self.s;
        match rng.range(0, 30) {
            0 => format!("{} has been targeting {} in {} since at least {}.", self.actor(rng, 0), self.sector(rng), self.country(rng), s.day.month_year()),
            1 => format!("Researchers at {} attributed the campaign to {}, a group they assess is linked to {} intelligence services.", s.vendor, self.actor(rng, 0), self.demonym(rng)),
            2 => format!("The intrusions exploited {}, a flaw in {} that was patched in {}.", s.cve, s.product, s.day.month_year()),
            3 => format!("Once inside, the operators deployed {} and used {} to move laterally.", s.malware, rng.pick(TECHNIQUES)),
            4 => format!("{} said it had observed the {} implant beaconing to {}.{}.{}.{} and {}.{}.", s.vendor, s.malware, rng.range(5, 223), rng.range(0, 255), rng.range(0, 255), rng.range(1, 254), hex(rng, 8), rng.pick(&["com", "net", "org", "info", "top", "xyz"])),
            5 => format!("According to the advisory, at least {} organisations in {} were affected, most of them {}.", rng.range(3, 400), self.country(rng), self.sector(rng)),
            6 if !self.v.actors[s.actors[0]].aliases.is_empty() => format!("{} (also known as {}) is one of the most active groups tracked by {}.", self.actor(rng, 0), self.alias(rng), s.vendor),
            7 => format!("The group relied heavily on living-off-the-land techniques, including {} and {}.", rng.pick(TECHNIQUES), rng.pick(TECHNIQUES)),
            8 => format!("A spokesperson for the {} declined to comment on the attribution to {}.", rng.pick(ORGS), self.actor(rng, 0)),
            9 => format!("Officials in {} said the attacks on {} did not disrupt operations.", self.country(rng), self.sector(rng)),
            10 => format!("Indicators of compromise include the SHA-256 hash {} and the file name {}.dll.", hex(rng, 64), hex(rng, 8)),
            11 => format!("The activity overlaps with earlier operations attributed to {}.", self.actor(rng, 1)),
            12 => format!("{} officials have denied any involvement in the hacking.", self.demonym(rng)),
            13 => format!("Security teams should review logs for connections to {}[.]{} and rotate credentials for {} accounts.", hex(rng, 10), rng.pick(&["com", "net", "cloud", "online"]), self.sector(rng)),
            14 => format!("In a joint advisory, agencies from {} and {} urged {} to patch {} immediately.", self.country(rng), self.country(rng), self.sector(rng), s.product),
            15 => format!("{} operators were seen using {} against critical infrastructure in {}.", self.actor(rng, 0), rng.pick(TECHNIQUES), self.country(rng)),
            16 => format!("\"We have seen {} go after {} repeatedly over the last {} months,\" said {} {}, a researcher at {}.", self.actor(rng, 0), self.sector(rng), rng.range(3, 36), rng.pick(FIRST), rng.pick(LAST), s.vendor),
            17 => format!("The ransomware attack on a {} provider in {} was claimed by {} on its leak site.", self.sector(rng), self.country(rng), self.actor(rng, 1)),
            18 => format!("{} first disclosed the vulnerability on {}, and exploitation began within {} days.", s.vendor, s.day.long(), rng.range(1, 30)),
            19 => format!("Victims in {} included {} and several {}.", self.country(rng), self.sector(rng), self.sector(rng)),
            20 => format!("The {} backdoor communicates over HTTPS and hides its configuration in the registry key HKCU\\Software\\{}.", s.malware, hex(rng, 6)),
            21 => format!("{} is believed to operate on behalf of the {} government, according to {}.", self.actor(rng, 0), self.demonym(rng), s.vendor),
            _ => rng.pick(GENERIC).to_string(),
        }
    }

    /// Article body as HTML paragraphs and subheads, and as plain paragraphs.
    fn body(&self, rng: &mut Rng, words: usize) -> Vec<(bool, String)> {
        let mut blocks = Vec::new();
        let mut count = 0;
        let mut since_head = 0;
        while count < words {
            if since_head >= rng.range(4, 7) && count + 60 < words {
                let head = match rng.range(0, 6) {
                    0 => format!("How {} gets in", self.actor(rng, 0)),
                    1 => "Indicators of compromise".to_string(),
                    2 => format!("Who is {}?", self.actor(rng, 0)),
                    3 => "Mitigations".to_string(),
                    4 => format!("Impact on {}", self.sector(rng)),
                    _ => "What defenders should do".to_string(),
                };
                blocks.push((true, head));
                since_head = 0;
            }
            let mut p = String::new();
            for _ in 0..rng.range(2, 6) {
                if !p.is_empty() {
                    p.push(' ');
                }
                p.push_str(&self.sentence(rng));
            }
            count += p.split_whitespace().count();
            blocks.push((false, p));
            since_head += 1;
        }
        blocks
    }
}

/// A headline about some other story, for sidebars and related links.
fn other_headline(v: &Vocab, rng: &mut Rng) -> String {
    let a = &v.actors[v.actor_zipf.sample(rng)].canonical;
    let c = &v.countries[v.country_zipf.sample(rng)].name;
    let si = rng.range(0, v.sectors.len());
    let s = rng.pick(&v.sectors[si]);
    match rng.range(0, 5) {
        0 => format!("{a} hits {s} in {c}"),
        1 => format!("{c} sanctions members of {a}"),
        2 => format!("What we know about {a} so far"),
        3 => format!("{c} blames {a} for outage at {s}"),
        _ => format!("Ransomware gang {a} leaks data stolen from {s}"),
    }
}

fn author(rng: &mut Rng) -> String {
    format!("{} {}", rng.pick(FIRST), rng.pick(LAST))
}

// --------------------------------------------------------------- pages ----

enum Kind {
    Html,
    Text,
    Markdown,
}

/// One generated file.
pub struct Page {
    /// Path relative to the output directory (`007/007123-slug.html`).
    pub rel: PathBuf,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// Number of fictional sites the pages are spread over.
const SITES: usize = 24;

/// The corpus generator: the vocabulary and the sites of one seed.
///
/// `benches/stages.rs` includes this file as a module to build pages in-process.
pub struct Generator {
    vocab: Vocab,
    sites: Vec<Site>,
    seed: u64,
    per_dir: usize,
}

impl Generator {
    /// Loads the knowledge base and builds the sites of `seed`.
    pub fn new(seed: u64, per_dir: usize) -> Generator {
        let vocab = Vocab::load();
        let sites = (0..SITES)
            .into_par_iter()
            .map(|i| make_site(seed, i))
            .collect();
        Generator {
            vocab,
            sites,
            seed,
            per_dir: per_dir.max(1),
        }
    }

    /// Page number `n`: a pure function of the seed and `n`.
    pub fn page(&self, n: usize) -> Page {
        make_page(&self.vocab, &self.sites, self.seed, n, self.per_dir)
    }
}

fn make_page(v: &Vocab, sites: &[Site], seed: u64, n: usize, per_dir: usize) -> Page {
    let mut rng = Rng::new(seed, n as u64);
    let story = Story::new(v, &mut rng);
    let w = Writer { v, s: &story };
    let title = w.title(&mut rng);
    let words = rng.range(400, 1501);
    let blocks = w.body(&mut rng, words);
    let kind = match rng.range(0, 100) {
        0 | 1 => Kind::Text,
        2 => Kind::Markdown,
        _ => Kind::Html,
    };
    let dir = format!("{:03}", n / per_dir.max(1));
    let stem = format!("{n:06}-{}", slug(&title, 60));
    match kind {
        Kind::Text => {
            let mut s = format!(
                "{title}\n\nDate: {}\nAuthor: {}\n\n",
                story.day.iso(),
                author(&mut rng)
            );
            for (head, text) in &blocks {
                s.push_str(text);
                s.push_str(if *head { "\n" } else { "\n\n" });
            }
            Page {
                rel: Path::new(&dir).join(format!("{stem}.txt")),
                bytes: s.into_bytes(),
            }
        }
        Kind::Markdown => {
            let mut s = format!(
                "# {title}\n\n*Published {}* by {}\n\n",
                story.day.long(),
                author(&mut rng)
            );
            for (head, text) in &blocks {
                if *head {
                    let _ = write!(s, "## {text}\n\n");
                } else {
                    s.push_str(text);
                    s.push_str("\n\n");
                }
            }
            Page {
                rel: Path::new(&dir).join(format!("{stem}.md")),
                bytes: s.into_bytes(),
            }
        }
        Kind::Html => {
            let site = &sites[rng.range(0, sites.len())];
            let html = html_page(v, site, &story, &title, &blocks, &mut rng, n);
            Page {
                rel: Path::new(&dir).join(format!("{stem}.html")),
                bytes: html.into_bytes(),
            }
        }
    }
}

fn html_page(
    v: &Vocab,
    site: &Site,
    story: &Story,
    title: &str,
    blocks: &[(bool, String)],
    rng: &mut Rng,
    n: usize,
) -> String {
    let target = rng.range(60_000, 150_001);
    let mut h = String::with_capacity(target + 16_000);
    let url = format!("https://{}/news/{}/{}", site.domain, n, slug(title, 80));
    let byline_author = author(rng);
    let day = story.day;
    let iso_time = format!(
        "{}T{:02}:{:02}:00+00:00",
        day.iso(),
        rng.range(6, 22),
        rng.range(0, 60)
    );
    let modified = day.later(rng);
    let desc = format!(
        "{} researchers detail a campaign by {} against {}.",
        story.vendor,
        v.actors[story.actors[0]].canonical,
        rng.pick(&v.sectors[story.sectors[0]])
    );

    // ---- head
    h.push_str("<!DOCTYPE html>\n<html lang=\"en-US\">\n<head>\n<meta charset=\"UTF-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(
        h,
        "<title>{} | {}</title>",
        esc_attr(title),
        esc_attr(&site.name)
    );
    let _ = writeln!(
        h,
        "<meta name=\"description\" content=\"{}\">",
        esc_attr(&desc)
    );
    let _ = writeln!(h, "<link rel=\"canonical\" href=\"{url}\">");
    let _ = writeln!(h, "<meta property=\"og:locale\" content=\"en_US\">\n<meta property=\"og:type\" content=\"article\">");
    let _ = writeln!(
        h,
        "<meta property=\"og:title\" content=\"{}\">",
        esc_attr(title)
    );
    let _ = writeln!(
        h,
        "<meta property=\"og:description\" content=\"{}\">",
        esc_attr(&desc)
    );
    let _ = writeln!(h, "<meta property=\"og:url\" content=\"{url}\">");
    let _ = writeln!(
        h,
        "<meta property=\"og:site_name\" content=\"{}\">",
        esc_attr(&site.name)
    );
    let _ = writeln!(
        h,
        "<meta property=\"og:image\" content=\"https://{}/wp-content/uploads/{}/{:02}/{}.jpg\">",
        site.domain,
        day.y,
        day.m,
        hex(rng, 12)
    );
    let tags: Vec<String> = vec![
        v.actors[story.actors[0]].canonical.clone(),
        rng.pick(&[
            "Espionage",
            "Ransomware",
            "Vulnerabilities",
            "Malware",
            "APT",
        ])
        .to_string(),
    ];
    for t in &tags {
        let _ = writeln!(
            h,
            "<meta property=\"article:tag\" content=\"{}\">",
            esc_attr(t)
        );
    }
    match site.date_style {
        DateStyle::MetaPublishedTime => {
            let _ = writeln!(
                h,
                "<meta property=\"article:published_time\" content=\"{iso_time}\">"
            );
            let _ = writeln!(
                h,
                "<meta property=\"article:modified_time\" content=\"{}T09:00:00+00:00\">",
                modified.iso()
            );
        }
        DateStyle::JsonLd => {
            let _ = writeln!(
                h,
                "<script type=\"application/ld+json\">{{\"@context\":\"https://schema.org\",\"@type\":\"NewsArticle\",\"headline\":\"{}\",\"datePublished\":\"{iso_time}\",\"dateModified\":\"{}T10:00:00Z\",\"author\":{{\"@type\":\"Person\",\"name\":\"{}\"}},\"publisher\":{{\"@type\":\"Organization\",\"name\":\"{}\"}},\"mainEntityOfPage\":\"{url}\"}}</script>",
                esc_json(title),
                modified.iso(),
                byline_author,
                esc_json(&site.name)
            );
        }
        DateStyle::JsonLdGraph => {
            let _ = writeln!(
                h,
                "<script type=\"application/ld+json\" class=\"yoast-schema-graph\">{{\"@context\":\"https://schema.org\",\"@graph\":[{{\"@type\":\"WebSite\",\"@id\":\"https://{}/#website\",\"url\":\"https://{}/\",\"name\":\"{}\"}},{{\"@type\":\"WebPage\",\"@id\":\"{url}\",\"url\":\"{url}\",\"name\":\"{}\",\"isPartOf\":{{\"@id\":\"https://{}/#website\"}}}},{{\"@type\":\"Article\",\"headline\":\"{}\",\"datePublished\":\"{iso_time}\",\"dateModified\":\"{}T11:30:00+00:00\",\"author\":{{\"name\":\"{}\"}}}}]}}</script>",
                site.domain,
                site.domain,
                esc_json(&site.name),
                esc_json(title),
                site.domain,
                esc_json(title),
                modified.iso(),
                byline_author
            );
        }
        DateStyle::TimeElement | DateStyle::BylineOnly => {}
    }
    for css in &site.css {
        h.push_str("<style>\n");
        h.push_str(css);
        h.push_str("</style>\n");
    }
    h.push_str("<script>\n");
    h.push_str(&site.analytics);
    h.push_str("</script>\n");
    // Ad configuration, per page.
    h.push_str("<script>window.adSlots=[");
    for i in 0..rng.range(6, 20) {
        let _ = write!(
            h,
            "{}{{\"id\":\"div-gpt-ad-{}-{i}\",\"path\":\"/{}/{}/{}\",\"sizes\":[[300,250],[728,90],[970,250]],\"targeting\":{{\"pos\":\"{}\",\"kw\":\"{}\"}}}}",
            if i == 0 { "" } else { "," },
            rng.range(1_000_000, 9_999_999),
            rng.range(1000, 99999),
            slug(&site.name, 20),
            rng.pick(&["article", "home", "section"]),
            rng.pick(&["top", "mid", "bottom", "rail"]),
            hex(rng, 8)
        );
    }
    h.push_str("];</script>\n</head>\n");

    // ---- body: header + nav
    let _ = writeln!(h, "<body class=\"post-template-default single single-post postid-{n} single-format-standard\">");
    h.push_str("<div id=\"page\" class=\"site\"><a class=\"skip-link screen-reader-text\" href=\"#content\">Skip to content</a>\n");
    h.push_str(&site.nav);
    h.push_str("<div class=\"breaking-ticker\"><span>Breaking:</span> ");
    esc_text(&mut h, &other_headline(v, rng));
    h.push_str("</div>\n<div id=\"content\" class=\"site-content\"><div class=\"wrap\">\n");

    // ---- article
    let (open, close) = match site.container {
        Container::Article => (
            "<article id=\"post-body\" class=\"post type-post status-publish\">",
            "</article>",
        ),
        Container::Main => ("<main id=\"main\" class=\"site-main\">", "</main>"),
        Container::EntryContent => ("<div class=\"td-post-content entry-content\">", "</div>"),
        Container::ItemProp => (
            "<div class=\"article-body\" itemprop=\"articleBody\">",
            "</div>",
        ),
        Container::Unmarked => (
            "<div class=\"c-1a\"><div class=\"c-2b\"><div class=\"c-3c\">",
            "</div></div></div>",
        ),
    };
    h.push_str("<div class=\"primary\">");
    h.push_str(open);
    h.push_str("\n<header class=\"entry-header\"><h1 class=\"entry-title\">");
    esc_text(&mut h, title);
    h.push_str("</h1>\n<div class=\"byline\">By <a href=\"/author/");
    h.push_str(&slug(&byline_author, 40));
    h.push_str("/\">");
    h.push_str(&byline_author);
    h.push_str("</a>");
    match site.date_style {
        DateStyle::TimeElement => {
            let _ = write!(h, " · <time class=\"entry-date published\" datetime=\"{iso_time}\">{}</time><time class=\"updated\" datetime=\"{}T12:00:00Z\" hidden>{}</time>", day.long(), modified.iso(), modified.long());
        }
        DateStyle::BylineOnly => {
            let _ = write!(
                h,
                " | Published {}",
                if rng.chance(0.5) {
                    day.long()
                } else {
                    day.european()
                }
            );
        }
        _ => {
            let _ = write!(h, " · <span class=\"posted-on\">{}</span>", day.long());
        }
    }
    h.push_str("</div></header>\n<div class=\"share-tools\"><a href=\"#\">Share on X</a><a href=\"#\">LinkedIn</a><a href=\"#\">Email</a></div>\n");
    let mut inline_ad_at = rng.range(2, 5);
    for (i, (head, text)) in blocks.iter().enumerate() {
        let typo;
        let text = if site.typographic {
            typo = typographic(text);
            &typo
        } else {
            text
        };
        if *head {
            h.push_str("<h2>");
            esc_text(&mut h, text);
            h.push_str("</h2>\n");
        } else if i % 9 == 7 {
            h.push_str("<blockquote><p>");
            esc_text(&mut h, text);
            h.push_str("</p></blockquote>\n");
        } else {
            h.push_str("<p>");
            esc_text(&mut h, text);
            h.push_str("</p>\n");
        }
        if i == inline_ad_at {
            let _ = writeln!(h, "<div class=\"ad-inline\" id=\"div-gpt-ad-{}\"><span class=\"ad-label\">Advertisement</span></div>", rng.range(1000, 9999));
            h.push_str("<aside class=\"related-inline\"><strong>Related:</strong> <a href=\"#\">");
            esc_text(&mut h, &other_headline(v, rng));
            h.push_str("</a></aside>\n");
            inline_ad_at += rng.range(5, 9);
        }
    }
    h.push_str("<div class=\"tags\">Tags: ");
    for t in &tags {
        h.push_str("<a rel=\"tag\" href=\"#\">");
        esc_text(&mut h, t);
        h.push_str("</a> ");
    }
    h.push_str("</div>\n");
    h.push_str(close);
    h.push_str("\n<div class=\"author-bio\"><p>");
    let _ = write!(
        h,
        "{byline_author} covers cybercrime and national-security hacking for {}. Previously at {}.",
        esc_attr(&site.name),
        rng.pick(&[
            "Reuters",
            "a regional daily",
            "a security vendor",
            "the BBC"
        ])
    );
    h.push_str("</p></div>\n");

    // ---- comments
    let comments = rng.range(0, 12);
    let _ = write!(h, "<section id=\"comments\" class=\"comments-area\"><h3>{comments} Comments</h3><ol class=\"comment-list\">");
    for _ in 0..comments {
        let cday = day.later(rng);
        let other = &v.actors[v.actor_zipf.sample(rng)].canonical;
        let cc = &v.countries[v.country_zipf.sample(rng)].name;
        let text = match rng.range(0, 5) {
            0 => {
                format!("Honestly this reads exactly like {other} a few years back. Same playbook.")
            }
            1 => format!("Why is nobody talking about {cc}? They were hit too."),
            2 => "Great write-up, thanks. Any YARA rules available?".to_string(),
            3 => format!("Patch your edge devices, people. {other} isn't going away."),
            _ => format!("I work in {cc} and we saw the same phishing wave last month."),
        };
        let _ = write!(
            h,
            "<li class=\"comment\"><article class=\"comment-body\"><footer class=\"comment-meta\"><b class=\"fn\">{}</b> <time datetime=\"{}T08:00:00Z\">{}</time></footer><div class=\"comment-content\"><p>",
            author(rng),
            cday.iso(),
            cday.long()
        );
        esc_text(&mut h, &text);
        h.push_str("</p></div><div class=\"reply\"><a href=\"#\">Reply</a></div></article></li>");
    }
    h.push_str("</ol><div id=\"respond\"><form class=\"comment-form\"><textarea name=\"comment\"></textarea><button>Post Comment</button></form></div></section>\n</div>\n");

    // ---- sidebar
    h.push_str("<aside id=\"secondary\" class=\"widget-area sidebar\">");
    for widget in ["Trending", "Most read"] {
        let _ = write!(
            h,
            "<section class=\"widget widget-popular\"><h3 class=\"widget-title\">{widget}</h3><ol>"
        );
        for _ in 0..5 {
            let d = Day::random(rng);
            h.push_str("<li><a href=\"#\">");
            esc_text(&mut h, &other_headline(v, rng));
            let _ = write!(h, "</a><span class=\"date\">{}</span></li>", d.long());
        }
        h.push_str("</ol></section>");
    }
    h.push_str("<section class=\"widget\"><h3 class=\"widget-title\">Newsletter</h3><p>Threat briefings every weekday.</p></section></aside>\n</div></div>\n");
    h.push_str(&site.footer);

    // ---- page state (names related stories: raw grep sees them, the article does not)
    h.push_str("<script id=\"__INITIAL_STATE__\">window.__INITIAL_STATE__={\"article\":{\"id\":");
    let _ = write!(
        h,
        "{n},\"title\":\"{}\",\"section\":\"news\"}},\"related\":[",
        esc_json(title)
    );
    for i in 0..rng.range(4, 10) {
        let _ = write!(
            h,
            "{}{{\"id\":{},\"title\":\"{}\",\"url\":\"https://{}/news/{}/\"}}",
            if i == 0 { "" } else { "," },
            rng.range(1, 99999),
            esc_json(&other_headline(v, rng)),
            site.domain,
            hex(rng, 10)
        );
    }
    h.push_str("]};</script>\n");

    // ---- padding: the site's inline "vendor bundle" up to the target size
    let tail = "</div></body>\n</html>\n";
    let room = target.saturating_sub(h.len() + tail.len() + 40);
    if room > 0 {
        let take = room.min(site.bundle.len());
        h.push_str("<script>/*! bundle */");
        h.push_str(&site.bundle[..take]);
        h.push_str("</script>\n");
    }
    h.push_str(tail);
    h
}

// ---------------------------------------------------------------- main ----

struct Args {
    out: PathBuf,
    pages: usize,
    seed: u64,
    per_dir: usize,
}

fn parse_args() -> Result<Args, String> {
    let mut out = None;
    let mut pages = None;
    let mut seed = 42u64;
    let mut per_dir = 1000usize;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut val = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
        match a.as_str() {
            "--out" => out = Some(PathBuf::from(val("--out")?)),
            "--pages" => {
                pages = Some(
                    val("--pages")?
                        .parse()
                        .map_err(|e| format!("--pages: {e}"))?,
                )
            }
            "--seed" => seed = val("--seed")?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--per-dir" => {
                per_dir = val("--per-dir")?
                    .parse()
                    .map_err(|e| format!("--per-dir: {e}"))?
            }
            "-h" | "--help" => {
                return Err("usage: gen_corpus --out DIR --pages N [--seed S] [--per-dir K]".into())
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(Args {
        out: out.ok_or("--out DIR is required")?,
        pages: pages.ok_or("--pages N is required")?,
        seed,
        per_dir: per_dir.max(1),
    })
}

fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("gen_corpus: {e}");
            std::process::exit(2);
        }
    };
    let started = Instant::now();
    let generator = Generator::new(args.seed, args.per_dir);
    for d in 0..args.pages.div_ceil(args.per_dir) {
        let dir = args.out.join(format!("{d:03}"));
        if let Err(e) = std::fs::create_dir_all(&dir) {
            eprintln!("gen_corpus: cannot create {}: {e}", dir.display());
            std::process::exit(1);
        }
    }
    let bytes = AtomicU64::new(0);
    let html = AtomicU64::new(0);
    let html_bytes = AtomicU64::new(0);
    let failed = (0..args.pages).into_par_iter().try_for_each(|n| {
        let page = generator.page(n);
        bytes.fetch_add(page.bytes.len() as u64, Ordering::Relaxed);
        if page.rel.extension().is_some_and(|e| e == "html") {
            html.fetch_add(1, Ordering::Relaxed);
            html_bytes.fetch_add(page.bytes.len() as u64, Ordering::Relaxed);
        }
        let path = args.out.join(&page.rel);
        std::fs::write(&path, &page.bytes).map_err(|e| format!("{}: {e}", path.display()))
    });
    if let Err(e) = failed {
        eprintln!("gen_corpus: cannot write {e}");
        std::process::exit(1);
    }
    let secs = started.elapsed().as_secs_f64();
    let total = bytes.load(Ordering::Relaxed);
    let html = html.load(Ordering::Relaxed);
    let html_bytes = html_bytes.load(Ordering::Relaxed);
    eprintln!(
        "gen_corpus: {} pages ({} html, {} txt/md) in {} dirs, {} bytes ({:.1} MB; html {:.1} MB, mean {:.1} KB/page) in {:.2} s ({:.0} MB/s), seed {}, out {}",
        args.pages,
        html,
        args.pages as u64 - html,
        args.pages.div_ceil(args.per_dir),
        total,
        total as f64 / 1e6,
        html_bytes as f64 / 1e6,
        if html > 0 { html_bytes as f64 / html as f64 / 1e3 } else { 0.0 },
        secs,
        total as f64 / 1e6 / secs.max(1e-9),
        args.seed,
        args.out.display()
    );
}
