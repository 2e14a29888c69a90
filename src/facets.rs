//! Facet summaries: document counts per actor, country, sector, origin and
//! time bucket, and two-way cross-tabulations, over any query.

use crate::error::{Error, Result};
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
    facets_in_range(searcher, query, dims, top, TimeRange::All)
}

/// Values per dimension when no `top` is given.
pub const DEFAULT_TOP: usize = 10;

/// What a `facets` request counts: the dimensions, the cross-tabs, how many
/// values each shows and which time buckets. One reading of the request for
/// the command line and the HTTP API, so both answer the same.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetRequest {
    /// Dimensions counted on their own.
    pub dims: Vec<Dimension>,
    /// Cross-tabs, rows then columns.
    pub crosses: Vec<(Dimension, Dimension)>,
    /// Values per dimension.
    pub top: usize,
    /// Which time buckets a timeline shows.
    pub range: TimeRange,
}

impl FacetRequest {
    /// Reads field names (`by`), `ROWS,COLUMNS` cross specs and `top`;
    /// `dated` says whether the query bounds the dates (then timelines show
    /// every period from there). Without fields or cross-tabs: actor,
    /// country, sector and year.
    pub fn parse(
        by: &[String],
        cross: &[String],
        top: Option<usize>,
        dated: bool,
    ) -> Result<FacetRequest> {
        let dimension = |name: &str| {
            Dimension::from_name(name)
                .ok_or_else(|| Error::Filter(format!("unknown facet field {name:?}")))
        };
        let mut dims: Vec<Dimension> = by.iter().map(|s| dimension(s)).collect::<Result<_>>()?;
        let mut crosses = Vec::new();
        for spec in cross {
            let Some((r, c)) = spec.split_once(',') else {
                return Err(Error::Filter(format!(
                    "--cross wants ROWS,COLUMNS, got {spec:?}"
                )));
            };
            crosses.push((dimension(r)?, dimension(c)?));
        }
        if dims.is_empty() && crosses.is_empty() {
            dims = vec![
                Dimension::Actor,
                Dimension::Country,
                Dimension::Sector,
                Dimension::Year,
            ];
        }
        let range = match top {
            Some(n) => TimeRange::Last(n),
            None if dated => TimeRange::All,
            None => TimeRange::Auto,
        };
        Ok(FacetRequest {
            dims,
            crosses,
            top: top.unwrap_or(DEFAULT_TOP),
            range,
        })
    }

    /// Counts the documents matching `query` as requested.
    pub fn run(
        &self,
        searcher: &Searcher,
        fields: &Fields,
        query: &dyn Query,
    ) -> Result<FacetResults> {
        let mut results = facets_in_range(searcher, query, &self.dims, self.top, self.range)?;
        for &(r, c) in &self.crosses {
            results
                .cross
                .push(cross(searcher, fields, query, r, c, self.top)?);
        }
        Ok(results)
    }
}

/// Which time buckets a timeline shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeRange {
    /// Every bucket from the first dated report to the last.
    All,
    /// The last `n` buckets; earlier reports are counted in one
    /// `before …` bucket.
    Last(usize),
    /// The span holding most reports: when a timeline would run past
    /// [`AUTO_MAX_BUCKETS`] buckets, the early reports that a long empty
    /// stretch (at least a quarter of the timeline after it) sets apart from
    /// the rest, if they are at most [`AUTO_FOLD_SHARE`] of the dated
    /// reports (a stray page from 2001 in a collection of recent reports),
    /// are counted in one `before …` bucket.
    Auto,
}

/// A timeline longer than this is trimmed by [`TimeRange::Auto`].
pub const AUTO_MAX_BUCKETS: usize = 24;

/// The largest share of dated reports [`TimeRange::Auto`] folds away.
pub const AUTO_FOLD_SHARE: f64 = 0.05;

/// The label prefix of the bucket that counts the reports before a
/// timeline's first shown period: `before 2019-01`.
pub const BEFORE_PREFIX: &str = "before ";

/// Like [`facets`], with the time buckets bounded by `range`.
pub fn facets_in_range(
    searcher: &Searcher,
    query: &dyn Query,
    dims: &[Dimension],
    top: usize,
    range: TimeRange,
) -> Result<FacetResults> {
    let collector = DimensionCounts {
        roots: dims.iter().map(|d| d.name().to_string()).collect(),
    };
    let (total, counts) = searcher.search(query, &(Count, collector))?;
    let facets = dims
        .iter()
        .zip(counts)
        .map(|(&d, values)| (d.name().to_string(), finish(values, d, top, range)))
        .collect();
    Ok(FacetResults {
        total: total as u64,
        facets,
        cross: Vec::new(),
    })
}

/// Sorts one dimension's counts (shared with the remote backend): time
/// buckets in order without holes,
/// other values by count.
pub fn finish(
    counts: HashMap<String, u64>,
    dim: Dimension,
    top: usize,
    range: TimeRange,
) -> Vec<FacetCount> {
    let mut list: Vec<FacetCount> = counts
        .into_iter()
        .map(|(value, count)| FacetCount { value, count })
        .collect();
    if dim.is_time() {
        list.sort_by(|a, b| a.value.cmp(&b.value));
        return fold_early(fill_time_gaps(dim, list), range);
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
        Ok(merge_counts(segments, self.roots.len()))
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

/// Bounds a gap-free timeline as `range` says: the buckets before the first
/// one kept become a single `before <first kept>` bucket at the front (left
/// out when it would count nothing).
pub fn fold_early(list: Vec<FacetCount>, range: TimeRange) -> Vec<FacetCount> {
    let cut = match range {
        TimeRange::All => 0,
        TimeRange::Last(n) => list.len().saturating_sub(n.max(1)),
        TimeRange::Auto => {
            if list.len() <= AUTO_MAX_BUCKETS {
                0
            } else {
                let dated: u64 = list.iter().map(|b| b.count).sum();
                let allowed = (dated as f64 * AUTO_FOLD_SHARE).floor() as u64;
                // Outliers are reports cut off from the body of the
                // timeline by empty periods: the cut goes where the last
                // empty run before the body ends, within the share.
                let mut folded = 0u64;
                let mut cut = 0;
                let mut gap_start = 0;
                for (i, b) in list.iter().enumerate() {
                    if b.count == 0 {
                        if i == 0 || list[i - 1].count > 0 {
                            gap_start = i;
                        }
                        continue;
                    }
                    // A gap that sets the early reports apart is long: a
                    // quarter of what follows it, and at least three periods.
                    let gap = i - gap_start;
                    if i > 0 && list[i - 1].count == 0 && gap >= 3.max((list.len() - i) / 4) {
                        cut = i;
                    }
                    folded += b.count;
                    if folded > allowed {
                        break;
                    }
                }
                cut.min(list.len().saturating_sub(1))
            }
        }
    };
    if cut == 0 {
        return list;
    }
    let earlier: u64 = list[..cut].iter().map(|b| b.count).sum();
    let mut out = Vec::with_capacity(list.len() - cut + 1);
    if earlier > 0 {
        out.push(FacetCount {
            value: format!("{BEFORE_PREFIX}{}", list[cut].value),
            count: earlier,
        });
    }
    out.extend(list.into_iter().skip(cut));
    out
}

/// Adds up per-segment counts: `segments` holds, per segment, one map of
/// value → count for each of `width` columns (dimensions, indicator
/// columns).
pub fn merge_counts(
    segments: Vec<Vec<HashMap<String, u64>>>,
    width: usize,
) -> Vec<HashMap<String, u64>> {
    let mut merged = vec![HashMap::new(); width];
    for seg in segments {
        for (column, values) in seg.into_iter().enumerate() {
            let Some(total) = merged.get_mut(column) else {
                continue;
            };
            // The first segment's map is taken as it is.
            if total.is_empty() {
                *total = values;
                continue;
            }
            for (value, count) in values {
                *total.entry(value).or_insert(0) += count;
            }
        }
    }
    merged
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

#[cfg(test)]
mod time_range_tests {
    use super::*;

    fn months(counts: &[(&str, u64)]) -> Vec<FacetCount> {
        counts
            .iter()
            .map(|(v, c)| FacetCount {
                value: v.to_string(),
                count: *c,
            })
            .collect()
    }

    fn timeline() -> Vec<FacetCount> {
        // One stray report in 2001-03, then 30 busy months from 2022-01.
        let mut list = vec![("2001-03".to_string(), 1)];
        for i in 0..30u32 {
            list.push((
                format!("{:04}-{:02}", 2022 + i / 12, i % 12 + 1),
                5 + u64::from(i % 3),
            ));
        }
        let list = list
            .into_iter()
            .map(|(value, count)| FacetCount { value, count })
            .collect();
        fill_time_gaps(Dimension::Month, list)
    }

    #[test]
    fn auto_folds_a_stray_early_report_into_one_bucket() {
        let full = timeline();
        assert!(full.len() > 200, "{}", full.len());
        let shown = fold_early(full.clone(), TimeRange::Auto);
        assert_eq!(shown[0].value, "before 2022-01");
        assert_eq!(shown[0].count, 1);
        assert_eq!(shown[1].value, "2022-01");
        assert_eq!(shown.len(), 31);
        let sum = |l: &[FacetCount]| l.iter().map(|b| b.count).sum::<u64>();
        assert_eq!(sum(&shown), sum(&full), "nothing is lost");
    }

    #[test]
    fn auto_keeps_short_or_evenly_spread_timelines() {
        let short = months(&[("2024-01", 2), ("2024-02", 0), ("2024-03", 1)]);
        assert_eq!(fold_early(short.clone(), TimeRange::Auto), short);
        // Even spread over 40 months: no report stands apart.
        let even: Vec<FacetCount> = (0..40u32)
            .map(|i| FacetCount {
                value: format!("{:04}-{:02}", 2020 + i / 12, i % 12 + 1),
                count: 1,
            })
            .collect();
        assert_eq!(fold_early(even.clone(), TimeRange::Auto), even);
        // Sparse reports with short gaps between them are no outliers either.
        let sparse: Vec<FacetCount> = (0..40u32)
            .map(|i| FacetCount {
                value: format!("{:04}-{:02}", 2020 + i / 12, i % 12 + 1),
                count: u64::from(i % 3 == 0),
            })
            .collect();
        assert_eq!(fold_early(sparse.clone(), TimeRange::Auto), sparse);
        // An early run that is more than 5% of the reports is no outlier.
        let mut early = months(&[("2001-01", 6), ("2001-02", 6)]);
        early.extend(timeline().into_iter().skip(1));
        let full = fill_time_gaps(Dimension::Month, early);
        assert_eq!(fold_early(full.clone(), TimeRange::Auto), full);
    }

    #[test]
    fn last_n_keeps_the_newest_buckets() {
        let list = months(&[
            ("2024-01", 2),
            ("2024-02", 0),
            ("2024-03", 1),
            ("2024-04", 4),
        ]);
        let shown = fold_early(list.clone(), TimeRange::Last(2));
        assert_eq!(
            shown,
            months(&[("before 2024-03", 2), ("2024-03", 1), ("2024-04", 4)])
        );
        assert_eq!(fold_early(list.clone(), TimeRange::Last(usize::MAX)), list);
        // Folding nothing but empty buckets adds no bucket.
        let shown = fold_early(
            months(&[("2024-01", 0), ("2024-02", 3)]),
            TimeRange::Last(1),
        );
        assert_eq!(shown, months(&[("2024-02", 3)]));
        assert_eq!(fold_early(list, TimeRange::Last(0)).len(), 2);
    }

    #[test]
    fn all_changes_nothing() {
        let full = timeline();
        assert_eq!(fold_early(full.clone(), TimeRange::All), full);
    }
}
