//! Facet summaries for reporting: everything a report page shows, computed
//! from one built query and returned as plain data ([`ReportData`]), so the
//! renderers in `render::report` never touch tantivy.

use crate::error::Result;
use crate::index::schema::{from_datetime, names, Dimension, Fields};
use crate::kb::Kb;
use crate::model::{CrossTab, FacetCount, Hit};
use crate::query::{Filters, Plan};
use chrono::NaiveDate;
use std::collections::BTreeMap;
use tantivy::collector::TopDocs;
use tantivy::{DateTime, DocAddress, Order, Searcher};

/// What to compute.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// Values per bar chart, and rows and columns of the heat map.
    pub top: usize,
    /// Number of top reports listed.
    pub reports: usize,
    /// Title of the report; a default one is made when `None`.
    pub title: Option<String>,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            top: 10,
            reports: 10,
            title: None,
        }
    }
}

/// Numbers of distinct facet values over all matching reports.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Distinct {
    /// Distinct canonical actors.
    pub actors: usize,
    /// Distinct countries named.
    pub countries: usize,
    /// Distinct countries named as the place of the victims.
    pub targets: usize,
    /// Distinct sectors.
    pub sectors: usize,
    /// Distinct origin countries.
    pub origins: usize,
}

/// Everything a report shows.
#[derive(Debug, Clone)]
pub struct ReportData {
    /// Title of the report.
    pub title: String,
    /// The query text, if any.
    pub query: Option<String>,
    /// The filters applied.
    pub filters: Filters,
    /// When the report was made (free text), if the caller says.
    pub generated: Option<String>,
    /// Number of matching reports.
    pub total: u64,
    /// Distinct facet values over all matching reports.
    pub distinct: Distinct,
    /// Date of the earliest dated matching report.
    pub first: Option<NaiveDate>,
    /// Date of the latest dated matching report.
    pub last: Option<NaiveDate>,
    /// Matching reports without a date.
    pub undated: u64,
    /// Reports per month, from the first to the last, empty months included.
    pub months: Vec<FacetCount>,
    /// Top actors, most frequent first.
    pub actors: Vec<FacetCount>,
    /// Top sectors (ids).
    pub sectors: Vec<FacetCount>,
    /// Top countries named (ISO codes).
    pub countries: Vec<FacetCount>,
    /// Top target countries (ISO codes).
    pub targets: Vec<FacetCount>,
    /// Top origin countries (ISO codes).
    pub origins: Vec<FacetCount>,
    /// Top actors × top sectors.
    pub actor_sector: CrossTab,
    /// The top reports: best first with a query, newest first without.
    pub reports: Vec<Hit>,
    /// Display names of the country codes and sector ids shown.
    pub labels: Labels,
}

/// Display names for facet values that are codes.
#[derive(Debug, Clone, Default)]
pub struct Labels {
    /// ISO code → country name.
    pub countries: BTreeMap<String, String>,
    /// Sector id → sector label.
    pub sectors: BTreeMap<String, String>,
}

impl Labels {
    /// The name of a country code (the code itself when unknown).
    pub fn country<'a>(&'a self, code: &'a str) -> &'a str {
        self.countries.get(code).map_or(code, String::as_str)
    }

    /// The label of a sector id (the id itself when unknown).
    pub fn sector<'a>(&'a self, id: &'a str) -> &'a str {
        self.sectors.get(id).map_or(id, String::as_str)
    }
}

impl ReportData {
    /// One line describing what the report covers: the query and filters,
    /// or "all indexed reports".
    pub fn scope(&self) -> String {
        let mut parts = Vec::new();
        if let Some(q) = self
            .query
            .as_deref()
            .map(str::trim)
            .filter(|q| !q.is_empty())
        {
            parts.push(format!("query \u{201c}{q}\u{201d}"));
        }
        let f = &self.filters;
        let list = |label: &str, values: Vec<String>| {
            (!values.is_empty()).then(|| format!("{label} {}", values.join(" or ")))
        };
        parts.extend(list("actor", f.actors.clone()));
        parts.extend(list(
            "country",
            f.countries
                .iter()
                .map(|c| self.labels.country(c).to_string())
                .collect(),
        ));
        parts.extend(list(
            "target",
            f.targets
                .iter()
                .map(|c| self.labels.country(c).to_string())
                .collect(),
        ));
        parts.extend(list(
            "sector",
            f.sectors
                .iter()
                .map(|s| self.labels.sector(s).to_string())
                .collect(),
        ));
        parts.extend(list(
            "origin",
            f.origins
                .iter()
                .map(|c| self.labels.country(c).to_string())
                .collect(),
        ));
        if let Some(d) = f.since {
            parts.push(format!("since {d}"));
        }
        if let Some(d) = f.until {
            parts.push(format!("until {d}"));
        }
        if parts.is_empty() {
            "All indexed reports".to_string()
        } else {
            let s = parts.join(" · ");
            let mut c = s.chars();
            c.next()
                .map(|first| first.to_uppercase().chain(c).collect())
                .unwrap_or(s)
        }
    }
}

/// Computes a report over the documents matching `plan`.
///
/// Headline numbers count every distinct value; the charts keep the `top`
/// values; the timeline has every month from the first to the last.
pub fn compute(
    searcher: &Searcher,
    fields: &Fields,
    kb: &Kb,
    plan: &Plan,
    query_text: Option<&str>,
    filters: &Filters,
    opts: &ReportOptions,
) -> Result<ReportData> {
    let query = &*plan.query;
    let dims = [
        Dimension::Actor,
        Dimension::Country,
        Dimension::Target,
        Dimension::Sector,
        Dimension::Origin,
        Dimension::Month,
    ];
    let all = crate::facets::facets(searcher, query, &dims, usize::MAX)?;
    let total = all.total;
    let mut lists = all.facets.into_iter().map(|(_, v)| v);
    let mut next = || lists.next().unwrap_or_default();
    let (mut actors, mut countries, mut targets, mut sectors, mut origins, months) =
        (next(), next(), next(), next(), next(), next());
    let distinct = Distinct {
        actors: actors.len(),
        countries: countries.len(),
        targets: targets.len(),
        sectors: sectors.len(),
        origins: origins.len(),
    };
    let dated: u64 = months.iter().map(|m| m.count).sum();
    let top = opts.top.max(1);
    for list in [
        &mut actors,
        &mut countries,
        &mut targets,
        &mut sectors,
        &mut origins,
    ] {
        list.truncate(top);
    }
    let (first, last) = if dated > 0 {
        date_span(searcher, query)?
    } else {
        (None, None)
    };
    let actor_sector = if total > 0 {
        crate::facets::cross(
            searcher,
            fields,
            query,
            Dimension::Actor,
            Dimension::Sector,
            top,
        )?
    } else {
        CrossTab {
            row_field: Dimension::Actor.name().to_string(),
            column_field: Dimension::Sector.name().to_string(),
            rows: Vec::new(),
            columns: Vec::new(),
            counts: Vec::new(),
        }
    };
    let reports = if total > 0 && opts.reports > 0 {
        // No more than there are reports: a huge --reports must not size a
        // collector's buffer.
        let wanted = opts.reports.min(total as usize);
        let mut r = crate::search::search(searcher, fields, plan, query_text, wanted)?;
        r.hits.truncate(opts.reports);
        r.hits
    } else {
        Vec::new()
    };
    let mut labels = Labels::default();
    let codes = countries
        .iter()
        .chain(&targets)
        .chain(&origins)
        .map(|c| c.value.as_str())
        .chain(
            filters
                .countries
                .iter()
                .chain(&filters.targets)
                .chain(&filters.origins)
                .map(String::as_str),
        );
    for code in codes {
        if let Some(c) = kb.countries().iter().find(|c| c.code == code) {
            labels.countries.insert(code.to_string(), c.name.clone());
        }
    }
    // Sectors are few: label them all, so chips of any hit read well.
    for s in kb.sectors() {
        labels.sectors.insert(s.id.clone(), s.label.clone());
    }
    Ok(ReportData {
        title: opts
            .title
            .clone()
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| "Threat-intelligence report".to_string()),
        query: query_text.map(str::to_string),
        filters: filters.clone(),
        generated: None,
        total,
        distinct,
        first,
        last,
        undated: total.saturating_sub(dated),
        months,
        actors,
        sectors,
        countries,
        targets,
        origins,
        actor_sector,
        reports,
        labels,
    })
}

/// Dates of the earliest and latest dated documents matching `query`
/// (undated documents sort last either way).
fn date_span(
    searcher: &Searcher,
    query: &dyn tantivy::query::Query,
) -> Result<(Option<NaiveDate>, Option<NaiveDate>)> {
    let oldest = TopDocs::with_limit(1).order_by_fast_field::<DateTime>(names::DATE, Order::Asc);
    let newest = TopDocs::with_limit(1).order_by_fast_field::<DateTime>(names::DATE, Order::Desc);
    let (oldest, newest) = searcher.search(query, &(oldest, newest))?;
    let date = |v: Vec<(Option<DateTime>, DocAddress)>| {
        v.into_iter()
            .next()
            .and_then(|(d, _)| d)
            .and_then(from_datetime)
    };
    Ok((date(oldest), date(newest)))
}
