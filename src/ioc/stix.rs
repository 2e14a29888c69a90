//! STIX 2.1 export: turns matching reports into a bundle of `report`,
//! `intrusion-set`, `identity` (sector), `location` (country), `indicator`,
//! `vulnerability`, `attack-pattern` and `relationship` objects.
//!
//! Ids are UUIDv5 of a fixed namespace and the object's natural key (type
//! plus canonical actor, sector id, country code, pattern, CVE id, technique
//! id, report URL or path), and `created`/`modified` come from the dates of
//! the reports behind each object, so exporting the same reports twice gives
//! the same bytes.
//!
//! Relationships follow the reports: an actor `targets` the sectors its
//! reports name and the countries they name as the place of the victims
//! (the `target` facet; never the actor's own origin); when a
//! report names exactly one actor, its public indicators `indicate` that
//! actor, and the actor `uses` its techniques and `targets` its CVEs (with
//! several actors in one report, who did what is not known). Only indicators
//! of public scope are exported: private, loopback and documentation
//! addresses describe a victim's network or an example, not the adversary.

use super::techniques;
use crate::kb::{AliasKind, Kb};
use crate::model::{IndicatorKind, Ioc, ReportDoc, Role, Scope};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

/// Namespace of every id this exporter makes.
pub const NAMESPACE: Uuid = Uuid::from_u128(0x1d3c_153c_684f_40c5_811a_ce95_5454_4278);

/// A STIX bundle.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Bundle {
    /// Always `bundle`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// `bundle--<uuid>`.
    pub id: String,
    /// The objects, grouped by type in a fixed order, sorted by id.
    pub objects: Vec<Object>,
}

/// Properties every exported object has.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Common {
    /// Always `2.1`.
    pub spec_version: &'static str,
    /// `<type>--<uuid>`.
    pub id: String,
    /// RFC 3339 with milliseconds.
    pub created: String,
    /// RFC 3339 with milliseconds.
    pub modified: String,
}

/// An external reference.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ExternalReference {
    /// Where the reference comes from (`cve`, `mitre-attack`, a host name).
    pub source_name: String,
    /// The id in that source.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// A URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// One STIX object.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Object {
    /// A `report` SDO.
    Report {
        /// Shared properties.
        #[serde(flatten)]
        common: Common,
        /// Title.
        name: String,
        /// Snippet or opening of the text.
        description: String,
        /// Always `["threat-report"]`.
        report_types: Vec<&'static str>,
        /// Publication time.
        published: String,
        /// The objects the report is about.
        object_refs: Vec<String>,
        /// The report's URL.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        external_references: Vec<ExternalReference>,
    },
    /// An `intrusion-set` SDO (a canonical actor).
    IntrusionSet {
        /// Shared properties.
        #[serde(flatten)]
        common: Common,
        /// Canonical name.
        name: String,
        /// Other names from the knowledge base.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        aliases: Vec<String>,
        /// The ATT&CK group, when known.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        external_references: Vec<ExternalReference>,
    },
    /// An `identity` SDO standing for a sector.
    Identity {
        /// Shared properties.
        #[serde(flatten)]
        common: Common,
        /// Sector label.
        name: String,
        /// Always `class`.
        identity_class: &'static str,
        /// The sector, in STIX's industry-sector vocabulary when it has one.
        sectors: Vec<String>,
    },
    /// A `location` SDO for a country.
    Location {
        /// Shared properties.
        #[serde(flatten)]
        common: Common,
        /// Country name.
        name: String,
        /// ISO 3166-1 alpha-2 code.
        country: String,
    },
    /// An `indicator` SDO with a STIX pattern.
    Indicator {
        /// Shared properties.
        #[serde(flatten)]
        common: Common,
        /// The indicator's value.
        name: String,
        /// What it is and how many exported reports name it.
        description: String,
        /// `[ipv4-addr:value = '…']` and the like.
        pattern: String,
        /// Always `stix`.
        pattern_type: &'static str,
        /// Date of the earliest report naming it.
        valid_from: String,
    },
    /// A `vulnerability` SDO for a CVE id.
    Vulnerability {
        /// Shared properties.
        #[serde(flatten)]
        common: Common,
        /// The CVE id.
        name: String,
        /// The CVE reference.
        external_references: Vec<ExternalReference>,
    },
    /// An `attack-pattern` SDO for an ATT&CK technique.
    AttackPattern {
        /// Shared properties.
        #[serde(flatten)]
        common: Common,
        /// Technique name.
        name: String,
        /// The ATT&CK reference.
        external_references: Vec<ExternalReference>,
    },
    /// A `relationship` SRO.
    Relationship {
        /// Shared properties.
        #[serde(flatten)]
        common: Common,
        /// `targets`, `indicates` or `uses`.
        relationship_type: &'static str,
        /// Source object id.
        source_ref: String,
        /// Target object id.
        target_ref: String,
    },
}

impl Object {
    /// The object's id.
    pub fn id(&self) -> &str {
        match self {
            Object::Report { common, .. }
            | Object::IntrusionSet { common, .. }
            | Object::Identity { common, .. }
            | Object::Location { common, .. }
            | Object::Indicator { common, .. }
            | Object::Vulnerability { common, .. }
            | Object::AttackPattern { common, .. }
            | Object::Relationship { common, .. } => &common.id,
        }
    }
}

/// Counts of what an export left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Omitted {
    /// Reports with nothing to reference (STIX needs a non-empty
    /// `object_refs`).
    pub empty_reports: usize,
    /// Indicators of non-public scope.
    pub non_public: usize,
    /// References (links the reports cite): never exported as indicators.
    pub references: usize,
}

/// The id of an object of `kind` with natural key `key`.
pub fn object_id(kind: &str, key: &str) -> String {
    let uuid = Uuid::new_v5(&NAMESPACE, format!("{kind}|{key}").as_bytes());
    format!("{kind}--{uuid}")
}

/// Formats a time as STIX wants it: RFC 3339, UTC, milliseconds.
pub fn timestamp(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// The time of a report: its date at midnight UTC, else the file's
/// modification time when indexed.
fn report_time(d: &ReportDoc) -> DateTime<Utc> {
    d.date
        .and_then(|day: NaiveDate| day.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
        .or_else(|| DateTime::from_timestamp(d.indexed_mtime, 0))
        .unwrap_or_default()
}

/// The STIX industry-sector vocabulary value of a sector id, when there is one.
fn stix_sector(id: &str) -> String {
    match id {
        "financial" => "financial-services",
        "hospitality" => "hospitality-leisure",
        "media" => "entertainment",
        "civil-society" => "non-profit",
        // The others (energy, water, nuclear, emergency-services…) are
        // vocabulary values already; `legal` has none and stays as is.
        other => other,
    }
    .to_string()
}

/// The STIX pattern of an indicator, if its kind has one.
pub fn pattern(ioc: &Ioc) -> Option<String> {
    let lit = ioc.value.replace('\\', "\\\\").replace('\'', "\\'");
    let p = match ioc.kind {
        IndicatorKind::Ip if ioc.value.contains(':') => format!("[ipv6-addr:value = '{lit}']"),
        IndicatorKind::Ip => format!("[ipv4-addr:value = '{lit}']"),
        IndicatorKind::Domain => format!("[domain-name:value = '{lit}']"),
        IndicatorKind::Url => format!("[url:value = '{lit}']"),
        IndicatorKind::Email => format!("[email-addr:value = '{lit}']"),
        IndicatorKind::Md5 => format!("[file:hashes.MD5 = '{lit}']"),
        IndicatorKind::Sha1 => format!("[file:hashes.'SHA-1' = '{lit}']"),
        IndicatorKind::Sha256 => format!("[file:hashes.'SHA-256' = '{lit}']"),
        IndicatorKind::Cve | IndicatorKind::Technique => return None,
    };
    Some(p)
}

/// The earliest and latest time of the reports behind an object.
#[derive(Debug, Clone, Copy)]
struct Span {
    first: DateTime<Utc>,
    last: DateTime<Utc>,
    /// Number of reports seen.
    reports: usize,
}

impl Span {
    fn at(t: DateTime<Utc>) -> Span {
        Span {
            first: t,
            last: t,
            reports: 1,
        }
    }
    fn add(&mut self, t: DateTime<Utc>) {
        self.first = self.first.min(t);
        self.last = self.last.max(t);
        self.reports += 1;
    }
    fn common(&self, id: String) -> Common {
        Common {
            spec_version: "2.1",
            id,
            created: timestamp(self.first),
            modified: timestamp(self.last),
        }
    }
}

/// Collects objects by id with the span of the reports behind them.
#[derive(Default)]
struct Collector {
    /// id → (type rank, span, builder input).
    objects: BTreeMap<String, (usize, Span, Pending)>,
}

/// What an object will be built from once its span is known.
enum Pending {
    IntrusionSet(String),
    Identity(String),
    Location(String),
    Indicator(Ioc, String),
    Vulnerability(String),
    AttackPattern(String),
    Relationship(&'static str, String, String),
}

impl Pending {
    /// Position of the object's type in the bundle.
    fn rank(&self) -> usize {
        match self {
            Pending::IntrusionSet(_) => 0,
            Pending::Identity(_) => 1,
            Pending::Location(_) => 2,
            Pending::Vulnerability(_) => 3,
            Pending::AttackPattern(_) => 4,
            Pending::Indicator(..) => 5,
            Pending::Relationship(..) => 7,
        }
    }
}

impl Collector {
    /// Records an object seen in a report at time `t`, returning its id.
    fn see(&mut self, id: String, t: DateTime<Utc>, pending: impl FnOnce() -> Pending) -> String {
        self.objects
            .entry(id.clone())
            .and_modify(|(_, span, _)| span.add(t))
            .or_insert_with(|| {
                let p = pending();
                (p.rank(), Span::at(t), p)
            });
        id
    }

    fn relate(
        &mut self,
        kind: &'static str,
        source: &str,
        target: &str,
        t: DateTime<Utc>,
    ) -> String {
        let id = object_id("relationship", &format!("{source}|{kind}|{target}"));
        self.see(id, t, || {
            Pending::Relationship(kind, source.to_string(), target.to_string())
        })
    }
}

/// Builds the bundle for `docs`, using the knowledge base for actor aliases
/// and ATT&CK group ids, country names and sector labels.
pub fn bundle(docs: &[ReportDoc], kb: &Kb) -> (Bundle, Omitted) {
    let mut c = Collector::default();
    let mut reports: Vec<(usize, Object)> = Vec::new();
    let mut omitted = Omitted::default();
    for d in docs {
        let t = report_time(d);
        let mut refs: BTreeSet<String> = BTreeSet::new();
        let actors: Vec<String> = d
            .entities
            .actors
            .iter()
            .map(|a| {
                c.see(object_id("intrusion-set", a), t, || {
                    Pending::IntrusionSet(a.clone())
                })
            })
            .collect();
        refs.extend(actors.iter().cloned());
        let origins: Vec<Option<&str>> = d
            .entities
            .actors
            .iter()
            .map(|a| kb.actor(a).and_then(|x| x.origin.as_deref()))
            .collect();
        for s in &d.entities.sectors {
            let id = c.see(object_id("identity", &format!("sector|{s}")), t, || {
                Pending::Identity(s.clone())
            });
            for a in &actors {
                refs.insert(c.relate("targets", a, &id, t));
            }
            refs.insert(id);
        }
        for code in &d.entities.countries {
            let id = c.see(object_id("location", code), t, || {
                Pending::Location(code.clone())
            });
            let target = d.entities.targets.contains(code);
            for (a, origin) in actors.iter().zip(&origins) {
                if target && *origin != Some(code.as_str()) {
                    refs.insert(c.relate("targets", a, &id, t));
                }
            }
            refs.insert(id);
        }
        let sole_actor = match actors.as_slice() {
            [one] => Some(one.clone()),
            _ => None,
        };
        for cve in &d.indicators.cves {
            let id = c.see(object_id("vulnerability", cve), t, || {
                Pending::Vulnerability(cve.clone())
            });
            if let Some(a) = &sole_actor {
                refs.insert(c.relate("targets", a, &id, t));
            }
            refs.insert(id);
        }
        for tech in &d.indicators.techniques {
            let id = c.see(object_id("attack-pattern", tech), t, || {
                Pending::AttackPattern(tech.clone())
            });
            if let Some(a) = &sole_actor {
                refs.insert(c.relate("uses", a, &id, t));
            }
            refs.insert(id);
        }
        for ioc in &d.indicators.iocs {
            if ioc.role == Role::Reference {
                omitted.references += 1;
                continue;
            }
            let Some(p) = pattern(ioc) else { continue };
            if ioc.scope != Scope::Public {
                omitted.non_public += 1;
                continue;
            }
            let id = c.see(object_id("indicator", &p), t, || {
                Pending::Indicator(ioc.clone(), p.clone())
            });
            if let Some(a) = &sole_actor {
                refs.insert(c.relate("indicates", &id, a, t));
            }
            refs.insert(id);
        }
        if refs.is_empty() {
            omitted.empty_reports += 1;
            continue;
        }
        let name = if d.title.trim().is_empty() {
            std::path::Path::new(&d.path)
                .file_name()
                .map_or_else(|| d.path.clone(), |f| f.to_string_lossy().into_owned())
        } else {
            d.title.clone()
        };
        let external_references = d
            .url
            .iter()
            .map(|u| ExternalReference {
                source_name: super::url_host(&u.to_lowercase()).unwrap_or_else(|| "web".into()),
                external_id: None,
                url: Some(u.clone()),
            })
            .collect();
        reports.push((
            6,
            Object::Report {
                common: Span::at(t).common(object_id("report", &d.identity)),
                name,
                description: d.description.clone(),
                report_types: vec!["threat-report"],
                published: timestamp(t),
                object_refs: refs.into_iter().collect(),
                external_references,
            },
        ));
    }

    let mut objects: Vec<(usize, Object)> = c
        .objects
        .into_iter()
        .map(|(id, (rank, span, pending))| (rank, build(id, span, pending, kb)))
        .collect();
    objects.extend(reports);
    objects.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.id().cmp(b.1.id())));
    // Two files with the same URL (or the same text) are one report.
    objects.dedup_by(|a, b| a.1.id() == b.1.id());
    let objects: Vec<Object> = objects.into_iter().map(|(_, o)| o).collect();
    let ids: Vec<&str> = objects.iter().map(Object::id).collect();
    let bundle = Bundle {
        kind: "bundle",
        id: object_id("bundle", &ids.join(",")),
        objects,
    };
    (bundle, omitted)
}

/// Builds one collected object.
fn build(id: String, span: Span, pending: Pending, kb: &Kb) -> Object {
    let common = span.common(id);
    match pending {
        Pending::IntrusionSet(name) => {
            let actor = kb.actor(&name);
            let mut aliases: Vec<String> = actor
                .map(|a| {
                    a.aliases
                        .iter()
                        .filter(|x| x.kind != AliasKind::Ambiguous && x.name != name)
                        .map(|x| x.name.clone())
                        .collect()
                })
                .unwrap_or_default();
            aliases.sort();
            aliases.dedup();
            let external_references = actor
                .and_then(|a| a.mitre.clone())
                .map(|g| ExternalReference {
                    source_name: "mitre-attack".into(),
                    url: Some(format!("https://attack.mitre.org/groups/{g}/")),
                    external_id: Some(g),
                })
                .into_iter()
                .collect();
            Object::IntrusionSet {
                common,
                name,
                aliases,
                external_references,
            }
        }
        Pending::Identity(sector) => Object::Identity {
            common,
            name: kb
                .resolve_sector(&sector)
                .map_or_else(|| sector.clone(), |s| s.label.clone()),
            identity_class: "class",
            sectors: vec![stix_sector(&sector)],
        },
        Pending::Location(code) => Object::Location {
            common,
            name: kb
                .resolve_country(&code)
                .map_or_else(|| code.clone(), |c| c.name.clone()),
            country: code,
        },
        Pending::Indicator(ioc, pattern) => Object::Indicator {
            valid_from: common.created.clone(),
            common,
            description: format!(
                "{} named in {} exported report{}",
                match ioc.kind {
                    IndicatorKind::Ip => "IP address",
                    IndicatorKind::Domain => "Domain",
                    IndicatorKind::Url => "URL",
                    IndicatorKind::Email => "Email address",
                    IndicatorKind::Md5 => "MD5 hash",
                    IndicatorKind::Sha1 => "SHA-1 hash",
                    IndicatorKind::Sha256 => "SHA-256 hash",
                    IndicatorKind::Cve | IndicatorKind::Technique => "Indicator",
                },
                span.reports,
                if span.reports == 1 { "" } else { "s" }
            ),
            name: ioc.value,
            pattern,
            pattern_type: "stix",
        },
        Pending::Vulnerability(cve) => Object::Vulnerability {
            common,
            external_references: vec![ExternalReference {
                source_name: "cve".into(),
                external_id: Some(cve.clone()),
                url: None,
            }],
            name: cve,
        },
        Pending::AttackPattern(tech) => Object::AttackPattern {
            common,
            name: techniques::name(&tech).unwrap_or(&tech).to_string(),
            external_references: vec![ExternalReference {
                source_name: "mitre-attack".into(),
                url: Some(format!(
                    "https://attack.mitre.org/techniques/{}/",
                    tech.replace('.', "/")
                )),
                external_id: Some(tech),
            }],
        },
        Pending::Relationship(kind, source, target) => Object::Relationship {
            common,
            relationship_type: kind,
            source_ref: source,
            target_ref: target,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Entities, Indicators};

    fn doc(date: Option<&str>, actors: &[&str]) -> ReportDoc {
        ReportDoc {
            path: "/r/a.txt".into(),
            identity: "https://vendor.example/a".into(),
            title: "A report".into(),
            url: Some("https://vendor.example/a".into()),
            date: date.map(|d| d.parse().unwrap()),
            indexed_mtime: 1_700_000_000,
            description: "text".into(),
            entities: Entities {
                actors: actors.iter().map(|s| s.to_string()).collect(),
                countries: vec!["UA".into(), "PL".into()],
                seats: vec![],
                targets: vec!["UA".into()],
                origins: vec![],
                sectors: vec!["energy".into()],
            },
            indicators: Indicators {
                cves: vec!["CVE-2024-3400".into()],
                techniques: vec!["T1059.001".into()],
                iocs: vec![
                    Ioc {
                        kind: IndicatorKind::Ip,
                        value: "45.77.12.9".into(),
                        scope: Scope::Public,
                        role: Role::Indicator,
                    },
                    Ioc {
                        kind: IndicatorKind::Ip,
                        value: "10.0.0.1".into(),
                        scope: Scope::Private,
                        role: Role::Indicator,
                    },
                    Ioc {
                        kind: IndicatorKind::Domain,
                        value: "www.nytimes.com".into(),
                        scope: Scope::Public,
                        role: Role::Reference,
                    },
                ],
            },
        }
    }

    #[test]
    fn patterns_escape_and_name_hashes() {
        let ioc = |kind, value: &str| Ioc {
            kind,
            value: value.into(),
            scope: Scope::Public,
            role: Role::Indicator,
        };
        assert_eq!(
            pattern(&ioc(IndicatorKind::Url, "http://a.com/it's")).unwrap(),
            r"[url:value = 'http://a.com/it\'s']"
        );
        assert_eq!(
            pattern(&ioc(IndicatorKind::Ip, "2001:db8::1")).unwrap(),
            "[ipv6-addr:value = '2001:db8::1']"
        );
        assert_eq!(
            pattern(&ioc(IndicatorKind::Sha256, "ab")).unwrap(),
            "[file:hashes.'SHA-256' = 'ab']"
        );
    }

    #[test]
    fn ids_are_deterministic_and_typed() {
        assert_eq!(object_id("location", "UA"), object_id("location", "UA"));
        assert_ne!(object_id("location", "UA"), object_id("location", "RU"));
        assert!(object_id("location", "UA").starts_with("location--"));
    }

    #[test]
    fn one_actor_gets_indicators_techniques_and_cves() {
        let kb = Kb::builtin().unwrap();
        let actor = kb.actors()[0].canonical.clone();
        let (b, omitted) = bundle(&[doc(Some("2024-04-12"), &[&actor])], &kb);
        assert_eq!(omitted.non_public, 1);
        // The reference is no indicator: no pattern names it.
        assert_eq!(omitted.references, 1);
        assert!(!serde_json::to_string(&b).unwrap().contains("nytimes"));
        let rels: Vec<&str> = b
            .objects
            .iter()
            .filter_map(|o| match o {
                Object::Relationship {
                    relationship_type, ..
                } => Some(*relationship_type),
                _ => None,
            })
            .collect();
        assert!(rels.contains(&"indicates"));
        assert!(rels.contains(&"uses"));
        // The sector, the target country (UA, not the merely named PL) and
        // the CVE.
        assert_eq!(rels.iter().filter(|r| **r == "targets").count(), 3);
        let report = b
            .objects
            .iter()
            .find(|o| matches!(o, Object::Report { .. }))
            .unwrap();
        let Object::Report {
            common,
            object_refs,
            published,
            ..
        } = report
        else {
            unreachable!()
        };
        assert_eq!(common.created, "2024-04-12T00:00:00.000Z");
        assert_eq!(published, "2024-04-12T00:00:00.000Z");
        for r in object_refs {
            assert!(b.objects.iter().any(|o| o.id() == r), "dangling {r}");
        }
        let (again, _) = bundle(&[doc(Some("2024-04-12"), &[&actor])], &kb);
        assert_eq!(b, again);
    }

    #[test]
    fn several_actors_only_target() {
        let kb = Kb::builtin().unwrap();
        let a = kb.actors()[0].canonical.clone();
        let b2 = kb.actors()[1].canonical.clone();
        let (b, _) = bundle(&[doc(None, &[&a, &b2])], &kb);
        assert!(b.objects.iter().all(|o| !matches!(
            o,
            Object::Relationship {
                relationship_type: "uses" | "indicates",
                ..
            }
        )));
        let report = b
            .objects
            .iter()
            .find(|o| matches!(o, Object::Report { .. }))
            .unwrap();
        let Object::Report { published, .. } = report else {
            unreachable!()
        };
        assert_eq!(
            published, "2023-11-14T22:13:20.000Z",
            "undated: the indexed mtime"
        );
    }
}
