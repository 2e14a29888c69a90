//! Facet summaries: document counts per actor, country, sector, origin and
//! time bucket, and two-way cross-tabulations, over any query.

use crate::error::Result;
use crate::index::schema::{Dimension, Fields};
use crate::model::{CrossTab, FacetCount, FacetResults};
use crate::query::facet_query;
use std::collections::HashMap;
use tantivy::collector::{Collector, Count, SegmentCollector};
use tantivy::fastfield::FacetReader;
use tantivy::query::{BooleanQuery, Occur, Query};
use tantivy::{DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

/// Counts documents matching `query` per value of each dimension in `dims`.
///
/// Categorical dimensions give their `top` values, most frequent first (ties
/// by value); time dimensions give every bucket from the first to the last,
/// empty ones included, so a timeline has no holes.
pub fn facets(
    searcher: &Searcher,
    query: &dyn Query,
    dims: &[Dimension],
    top: usize,
) -> Result<FacetResults> {
    let collector = DimensionCounts {
        roots: dims.iter().map(|d| d.name().to_string()).collect(),
    };
    let (total, counts) = searcher.search(query, &(Count, collector))?;
    let facets = dims
        .iter()
        .zip(counts)
        .map(|(&d, values)| (d.name().to_string(), finish(values, d, top)))
        .collect();
    Ok(FacetResults {
        total: total as u64,
        facets,
        cross: Vec::new(),
    })
}

/// Sorts one dimension's counts: time buckets in order without holes,
/// other values by count.
fn finish(counts: HashMap<String, u64>, dim: Dimension, top: usize) -> Vec<FacetCount> {
    let mut list: Vec<FacetCount> = counts
        .into_iter()
        .map(|(value, count)| FacetCount { value, count })
        .collect();
    if dim.is_time() {
        list.sort_by(|a, b| a.value.cmp(&b.value));
        return fill_time_gaps(dim, list);
    }
    list.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    list.truncate(top);
    list
}

/// Counts documents per child of some facet roots (`/actor/<value>`).
///
/// It does what tantivy's `FacetCollector` does for one level, but names
/// the counted values with one pass over each root's slice of the sorted
/// facet dictionary, instead of one dictionary lookup (and one block
/// decompression) per value: facets is then cheap however many distinct
/// values a dimension has.
struct DimensionCounts {
    /// First path segment of each counted root, in the caller's order.
    roots: Vec<String>,
}

/// Per segment: which slot each facet ordinal counts for.
struct DimensionSegment {
    reader: FacetReader,
    /// Number of counted roots.
    roots: usize,
    /// Facet ordinal → slot, or `NO_SLOT`.
    slot_of: Vec<u32>,
    /// Slot → (root index, value).
    slots: Vec<(usize, String)>,
    counts: Vec<u64>,
}

const NO_SLOT: u32 = u32::MAX;

impl Collector for DimensionCounts {
    type Fruit = Vec<HashMap<String, u64>>;
    type Child = DimensionSegment;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<DimensionSegment> {
        let reader = segment.facet_reader(crate::index::schema::names::FACETS)?;
        let dict = reader.facet_dict();
        let mut slot_of = vec![NO_SLOT; dict.num_terms()];
        let mut slots: Vec<(usize, String)> = Vec::new();
        for (r, root) in self.roots.iter().enumerate() {
            // Encoded facets separate path segments with a NUL byte, so the
            // children of `root` are the keys in [root\0, root\x01).
            let mut lo = root.as_bytes().to_vec();
            lo.push(0);
            let mut hi = root.as_bytes().to_vec();
            hi.push(1);
            let mut stream = dict.range().ge(&lo).lt(&hi).into_stream()?;
            let mut last: Option<(Vec<u8>, u32)> = None;
            while stream.advance() {
                let child = &stream.key()[lo.len()..];
                let child = &child[..child.iter().position(|&b| b == 0).unwrap_or(child.len())];
                let slot = match &last {
                    Some((prev, slot)) if prev.as_slice() == child => *slot,
                    _ => {
                        let slot = slots.len() as u32;
                        slots.push((r, String::from_utf8_lossy(child).into_owned()));
                        last = Some((child.to_vec(), slot));
                        slot
                    }
                };
                if let Some(s) = slot_of.get_mut(stream.term_ord() as usize) {
                    *s = slot;
                }
            }
        }
        let counts = vec![0; slots.len()];
        Ok(DimensionSegment {
            reader,
            roots: self.roots.len(),
            slot_of,
            slots,
            counts,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        segments: Vec<Vec<HashMap<String, u64>>>,
    ) -> tantivy::Result<Vec<HashMap<String, u64>>> {
        let mut merged = vec![HashMap::new(); self.roots.len()];
        for seg in segments {
            for (r, values) in seg.into_iter().enumerate() {
                for (value, count) in values {
                    *merged[r].entry(value).or_insert(0) += count;
                }
            }
        }
        Ok(merged)
    }
}

impl SegmentCollector for DimensionSegment {
    type Fruit = Vec<HashMap<String, u64>>;

    fn collect(&mut self, doc: DocId, _: Score) {
        // Ordinals come sorted, so a value's deeper facets are adjacent:
        // count each slot once per document.
        let mut previous = NO_SLOT;
        for ord in self.reader.facet_ords(doc) {
            let slot = self.slot_of.get(ord as usize).copied().unwrap_or(NO_SLOT);
            if slot != NO_SLOT && slot != previous {
                self.counts[slot as usize] += 1;
            }
            previous = slot;
        }
    }

    fn harvest(self) -> Vec<HashMap<String, u64>> {
        let mut out = vec![HashMap::new(); self.roots];
        for ((r, value), count) in self.slots.into_iter().zip(self.counts) {
            if count > 0 {
                *out[r].entry(value).or_insert(0) += count;
            }
        }
        out
    }
}

/// Inserts zero-count buckets between the first and last year or month.
pub fn fill_time_gaps(dim: Dimension, list: Vec<FacetCount>) -> Vec<FacetCount> {
    let (Some(first), Some(last)) = (list.first(), list.last()) else {
        return list;
    };
    // (year, period): period is the month, the quarter, or 1 for years.
    let parse = |v: &str| -> Option<(i32, u32)> {
        match dim {
            Dimension::Year => Some((v.parse().ok()?, 1)),
            Dimension::Quarter => {
                let (y, q) = v.split_once("-Q")?;
                Some((y.parse().ok()?, q.parse().ok()?))
            }
            _ => {
                let (y, m) = v.split_once('-')?;
                Some((y.parse().ok()?, m.parse().ok()?))
            }
        }
    };
    let periods = match dim {
        Dimension::Year => 1,
        Dimension::Quarter => 4,
        _ => 12,
    };
    let (Some(mut cur), Some(end)) = (parse(&first.value), parse(&last.value)) else {
        return list;
    };
    let mut out = Vec::new();
    let mut it = list.into_iter().peekable();
    while cur <= end {
        let label = match dim {
            Dimension::Year => cur.0.to_string(),
            Dimension::Quarter => format!("{:04}-Q{}", cur.0, cur.1),
            _ => format!("{:04}-{:02}", cur.0, cur.1),
        };
        let count = match it.peek() {
            Some(fc) if fc.value == label => it.next().map_or(0, |fc| fc.count),
            _ => 0,
        };
        out.push(FacetCount {
            value: label,
            count,
        });
        cur = if cur.1 >= periods {
            (cur.0 + 1, 1)
        } else {
            (cur.0, cur.1 + 1)
        };
    }
    out
}

/// Cross-tabulates two dimensions: the top `top` values of each (over the
/// documents matching `query`) and, for every pair, the number of documents
/// carrying both.
pub fn cross(
    searcher: &Searcher,
    fields: &Fields,
    query: &dyn Query,
    rows: Dimension,
    columns: Dimension,
    top: usize,
) -> Result<CrossTab> {
    let base = facets(searcher, query, &[rows, columns], top)?;
    let row_values: Vec<String> = base.facets[0].1.iter().map(|f| f.value.clone()).collect();
    let col_values: Vec<String> = base.facets[1].1.iter().map(|f| f.value.clone()).collect();
    let mut counts = Vec::with_capacity(row_values.len());
    for r in &row_values {
        let q = BooleanQuery::new(vec![
            (Occur::Must, query.box_clone()),
            (Occur::Must, facet_query(fields, rows, r)),
        ]);
        let per_row = facets(searcher, &q, &[columns], usize::MAX)?;
        let found = &per_row.facets[0].1;
        counts.push(
            col_values
                .iter()
                .map(|c| found.iter().find(|f| &f.value == c).map_or(0, |f| f.count))
                .collect(),
        );
    }
    Ok(CrossTab {
        row_field: rows.name().to_string(),
        column_field: columns.name().to_string(),
        rows: row_values,
        columns: col_values,
        counts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fc(v: &str, c: u64) -> FacetCount {
        FacetCount {
            value: v.into(),
            count: c,
        }
    }

    #[test]
    fn months_without_reports_are_kept() {
        let filled = fill_time_gaps(Dimension::Month, vec![fc("2023-11", 2), fc("2024-02", 1)]);
        let labels: Vec<&str> = filled.iter().map(|f| f.value.as_str()).collect();
        assert_eq!(labels, vec!["2023-11", "2023-12", "2024-01", "2024-02"]);
        assert_eq!(
            filled.iter().map(|f| f.count).collect::<Vec<_>>(),
            vec![2, 0, 0, 1]
        );
    }

    #[test]
    fn quarters_without_reports_are_kept() {
        let filled = fill_time_gaps(Dimension::Quarter, vec![fc("2023-Q4", 1), fc("2024-Q2", 5)]);
        let labels: Vec<&str> = filled.iter().map(|f| f.value.as_str()).collect();
        assert_eq!(labels, vec!["2023-Q4", "2024-Q1", "2024-Q2"]);
    }

    #[test]
    fn years_without_reports_are_kept() {
        let filled = fill_time_gaps(Dimension::Year, vec![fc("2019", 1), fc("2022", 3)]);
        assert_eq!(filled.len(), 4);
        assert_eq!(filled[2], fc("2021", 0));
    }
}
