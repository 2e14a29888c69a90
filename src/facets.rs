//! Facet summaries: document counts per actor, country, sector, origin and
//! time bucket, and two-way cross-tabulations, over any query.

use crate::error::Result;
use crate::index::schema::{Dimension, Fields};
use crate::model::{CrossTab, FacetCount, FacetResults};
use crate::query::facet_query;
use tantivy::collector::{Count, FacetCollector, FacetCounts};
use tantivy::query::{BooleanQuery, Occur, Query};
use tantivy::Searcher;

/// Counts documents matching `query` per value of each dimension in `dims`.
///
/// Categorical dimensions give their `top` values, most frequent first (ties
/// by value); time dimensions give every bucket from the first to the last,
/// empty ones included, so a timeline has no holes.
pub fn facets(
    searcher: &Searcher,
    _fields: &Fields,
    query: &dyn Query,
    dims: &[Dimension],
    top: usize,
) -> Result<FacetResults> {
    let mut collector = FacetCollector::for_field(crate::index::schema::names::FACETS);
    for d in dims {
        collector.add_facet(d.root().as_str());
    }
    let (total, counts) = searcher.search(query, &(Count, collector))?;
    let facets = dims
        .iter()
        .map(|&d| (d.name().to_string(), values(&counts, d, top)))
        .collect();
    Ok(FacetResults {
        total: total as u64,
        facets,
        cross: Vec::new(),
    })
}

/// The counted values of one dimension.
fn values(counts: &FacetCounts, dim: Dimension, top: usize) -> Vec<FacetCount> {
    let root = dim.root();
    let mut list: Vec<FacetCount> = counts
        .get(root.as_str())
        .filter_map(|(facet, count)| {
            let value = facet.to_path().last()?.to_string();
            Some(FacetCount { value, count })
        })
        .collect();
    if dim.is_time() {
        list.sort_by(|a, b| a.value.cmp(&b.value));
        return fill_time_gaps(dim, list);
    }
    list.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    list.truncate(top);
    list
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
    let base = facets(searcher, fields, query, &[rows, columns], top)?;
    let row_values: Vec<String> = base.facets[0].1.iter().map(|f| f.value.clone()).collect();
    let col_values: Vec<String> = base.facets[1].1.iter().map(|f| f.value.clone()).collect();
    let mut counts = Vec::with_capacity(row_values.len());
    for r in &row_values {
        let q = BooleanQuery::new(vec![
            (Occur::Must, query.box_clone()),
            (Occur::Must, facet_query(fields, rows, r)),
        ]);
        let per_row = facets(searcher, fields, &q, &[columns], usize::MAX)?;
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
