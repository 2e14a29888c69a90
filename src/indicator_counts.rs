//! Indicator counts: how many matching reports name each CVE id, technique
//! id and IOC, over any query — counted the way facets are, from the fast
//! columns' term ordinals, each column's dictionary read once in order.

use crate::error::Result;
use crate::index::schema::{names, parse_ioc_entry};
use crate::model::{IndicatorCount, IndicatorKind, Role};
use std::collections::HashMap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::query::Query;
use tantivy::{DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

/// What to count: the kinds (all when empty) and the roles of IOCs (CVE and
/// technique ids have none and are counted whenever `Role::Indicator` is
/// asked for).
#[derive(Debug, Clone, Default)]
pub struct IndicatorFilter {
    /// Only these kinds; every kind when empty.
    pub kinds: Vec<IndicatorKind>,
    /// Only IOCs of these roles.
    pub roles: Vec<Role>,
}

impl IndicatorFilter {
    /// Returns true if and only if the filter keeps `kind`.
    fn keeps_kind(&self, kind: IndicatorKind) -> bool {
        self.kinds.is_empty() || self.kinds.contains(&kind)
    }
}

/// The fast columns counted, and the kind of their values: fixed, or read
/// from each IOC entry.
const COLUMNS: [(&str, Option<IndicatorKind>); 3] = [
    (names::CVE, Some(IndicatorKind::Cve)),
    (names::TECHNIQUE, Some(IndicatorKind::Technique)),
    (names::IOC_ENTRY, None),
];

/// Counts, over the documents matching `query`, how many name each
/// indicator the filter keeps. Sorted by count, most first, then by value.
pub fn indicator_counts(
    searcher: &Searcher,
    query: &dyn Query,
    filter: &IndicatorFilter,
) -> Result<Vec<IndicatorCount>> {
    let columns: Vec<(&'static str, Option<IndicatorKind>)> = COLUMNS
        .into_iter()
        .filter(|(_, kind)| match kind {
            Some(k) => filter.keeps_kind(*k) && filter.roles.contains(&Role::Indicator),
            None => true,
        })
        .collect();
    let counted = searcher.search(
        query,
        &ColumnCounts {
            columns: columns.iter().map(|(name, _)| *name).collect(),
        },
    )?;
    let mut out = Vec::new();
    for ((_, fixed), values) in columns.iter().zip(counted) {
        for (value, reports) in values {
            let count = match fixed {
                Some(kind) => IndicatorCount {
                    kind: *kind,
                    value,
                    scope: None,
                    role: None,
                    reports,
                },
                None => {
                    let Some(ioc) = parse_ioc_entry(&value) else {
                        continue;
                    };
                    if !filter.keeps_kind(ioc.kind) || !filter.roles.contains(&ioc.role) {
                        continue;
                    }
                    IndicatorCount {
                        kind: ioc.kind,
                        value: ioc.value,
                        scope: Some(ioc.scope),
                        role: Some(ioc.role),
                        reports,
                    }
                }
            };
            out.push(count);
        }
    }
    out.sort_by(|a, b| {
        b.reports
            .cmp(&a.reports)
            .then_with(|| a.value.cmp(&b.value))
            .then_with(|| a.kind.cmp(&b.kind))
            .then_with(|| a.role.cmp(&b.role))
    });
    Ok(out)
}

/// Counts documents per value of some string fast columns.
struct ColumnCounts {
    /// Names of the columns, in the caller's order.
    columns: Vec<&'static str>,
}

/// Per segment: each column with one counter per term ordinal.
struct ColumnSegment {
    columns: Vec<Option<(StrColumn, Vec<u32>)>>,
}

impl Collector for ColumnCounts {
    type Fruit = Vec<HashMap<String, u64>>;
    type Child = ColumnSegment;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<ColumnSegment> {
        let mut columns = Vec::with_capacity(self.columns.len());
        for name in &self.columns {
            let column = segment.fast_fields().str(name)?;
            columns.push(column.map(|c| {
                let counts = vec![0u32; c.num_terms()];
                (c, counts)
            }));
        }
        Ok(ColumnSegment { columns })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        segments: Vec<Vec<HashMap<String, u64>>>,
    ) -> tantivy::Result<Vec<HashMap<String, u64>>> {
        Ok(crate::facets::merge_counts(segments, self.columns.len()))
    }
}

impl SegmentCollector for ColumnSegment {
    type Fruit = Vec<HashMap<String, u64>>;

    fn collect(&mut self, doc: DocId, _: Score) {
        for (column, counts) in self.columns.iter_mut().flatten() {
            // Ordinals come sorted: count a value once per document.
            let mut previous = None;
            for ord in column.term_ords(doc) {
                if previous != Some(ord) {
                    if let Some(n) = counts.get_mut(ord as usize) {
                        *n += 1;
                    }
                }
                previous = Some(ord);
            }
        }
    }

    fn harvest(self) -> Vec<HashMap<String, u64>> {
        self.columns
            .into_iter()
            .map(|column| {
                let mut out = HashMap::new();
                let Some((column, counts)) = column else {
                    return out;
                };
                // One pass over the sorted dictionary names every counted
                // ordinal, instead of one block lookup per ordinal.
                let Ok(mut stream) = column.dictionary().stream() else {
                    return out;
                };
                while stream.advance() {
                    let n = counts.get(stream.term_ord() as usize).copied().unwrap_or(0);
                    if n > 0 {
                        out.insert(
                            String::from_utf8_lossy(stream.key()).into_owned(),
                            u64::from(n),
                        );
                    }
                }
                out
            })
            .collect()
    }
}
