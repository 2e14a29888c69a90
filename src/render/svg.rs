//! Hand-written SVG charts for the HTML report: horizontal bar charts, a
//! monthly timeline and a heat map.
//!
//! Each function returns one `<svg>` element sized by its `viewBox` and drawn
//! at `width="100%"`, so it scales with the page. Labels are escaped, every
//! coordinate is finite (an all-zero series gives empty bars on a 0–1 axis),
//! and the markup is well-formed XML.

use std::fmt::Write as _;

/// Text colour.
pub const INK: &str = "#0f172a";
/// Secondary text colour (axes, captions).
pub const MUTED: &str = "#64748b";
/// Grid line colour.
pub const GRID: &str = "#e2e8f0";
/// Axis line colour.
pub const AXIS: &str = "#94a3b8";
/// Default bar colour.
pub const ACCENT: &str = "#2563eb";
/// Fill of an empty heat-map cell.
pub const EMPTY_CELL: &str = "#f1f5f9";

/// Size of label text, in viewBox units.
const LABEL_PX: f64 = 12.5;
/// Size of axis and value text.
const SMALL_PX: f64 = 11.0;

/// Escapes text for XML (and HTML) content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters are not allowed in XML 1.0.
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r') => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A coordinate: at most one decimal, never NaN or infinite.
fn num(x: f64) -> String {
    let x = if x.is_finite() { x } else { 0.0 };
    let r = (x * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

/// A count with thousands separators: `17,373`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Approximate rendered width of `s` at `size` px in a sans-serif font.
pub fn text_width(s: &str, size: f64) -> f64 {
    let em: f64 = s
        .chars()
        .map(|c| match c {
            'i' | 'l' | 'j' | '.' | ',' | '\'' | ':' | ';' | '|' | '!' | 'I' => 0.28,
            ' ' | 'f' | 't' | 'r' | '(' | ')' | '-' => 0.36,
            'm' | 'w' | 'M' | 'W' | '@' => 0.86,
            'A'..='Z' => 0.68,
            '0'..='9' => 0.57,
            c if c.is_ascii() => 0.54,
            // CJK and other wide scripts.
            c if (c as u32) >= 0x2E80 => 1.0,
            _ => 0.6,
        })
        .sum();
    em * size
}

/// `s`, cut with an ellipsis so that it fits `max` px at `size` px.
pub fn fit(s: &str, max: f64, size: f64) -> String {
    if text_width(s, size) <= max {
        return s.to_string();
    }
    let budget = max - text_width("…", size);
    let mut out = String::new();
    let mut used = 0.0;
    for c in s.chars() {
        let w = text_width(c.encode_utf8(&mut [0; 4]), size);
        if used + w > budget {
            break;
        }
        used += w;
        out.push(c);
    }
    format!("{}…", out.trim_end())
}

/// Round tick values from 0 covering `max`, at most `target` intervals, with
/// a step of 1, 2 or 5 times a power of ten. Never empty; the last tick is
/// at least 1, so scales never divide by zero.
pub fn ticks(max: u64, target: u64) -> Vec<u64> {
    let max = max.max(1);
    let target = target.max(1);
    let mut power = 1u64;
    loop {
        for m in [1, 2, 5] {
            let step = power.saturating_mul(m);
            let n = max.div_ceil(step);
            if n <= target {
                return (0..=n).map(|i| i.saturating_mul(step)).collect();
            }
        }
        power = power.saturating_mul(10);
    }
}

/// Opens an `<svg>` of the given viewBox size with an accessible name.
fn open(out: &mut String, w: f64, h: f64, title: &str, style: Option<String>) {
    let style = style.map_or_else(String::new, |s| format!(r#" style="{}""#, escape(&s)));
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%"{style} role="img" aria-label="{t}" font-size="{fs}"><title>{t}</title>"#,
        w = num(w),
        h = num(h),
        t = escape(title),
        fs = num(LABEL_PX),
    );
}

/// A chart with nothing to draw: a short box saying so.
fn empty(w: f64, title: &str) -> String {
    let mut out = String::new();
    open(&mut out, w, 56.0, title, None);
    let _ = write!(
        out,
        r#"<text x="{}" y="32" text-anchor="middle" fill="{MUTED}">No values</text></svg>"#,
        num(w / 2.0)
    );
    out
}

/// Options of [`bar_chart`].
#[derive(Debug, Clone)]
pub struct BarOptions<'a> {
    /// Accessible name of the chart.
    pub title: &'a str,
    /// Bar colour.
    pub color: &'a str,
    /// Width of the viewBox.
    pub width: f64,
    /// Title of the value axis.
    pub axis: &'a str,
    /// Noun for the tooltips ("reports").
    pub unit: &'a str,
}

impl Default for BarOptions<'_> {
    fn default() -> Self {
        BarOptions {
            title: "Bar chart",
            color: ACCENT,
            width: 520.0,
            axis: "Reports",
            unit: "reports",
        }
    }
}

/// Height of one bar row.
const ROW: f64 = 26.0;
/// Thickness of a bar.
const BAR: f64 = 17.0;

/// A horizontal bar chart: one labelled bar per item, in the given order,
/// with its value at the end of the bar and a value axis with grid lines.
pub fn bar_chart<L: AsRef<str>>(items: &[(L, u64)], o: &BarOptions) -> String {
    let w = o.width;
    if items.is_empty() {
        return empty(w, o.title);
    }
    let top = 4.0;
    let axis_h = 40.0;
    let max = items.iter().map(|i| i.1).max().unwrap_or(0);
    let label_w = items
        .iter()
        .map(|(l, _)| text_width(l.as_ref(), LABEL_PX))
        .fold(0.0, f64::max)
        .min(w * 0.38);
    let x0 = label_w + 12.0;
    let x1 = w - (text_width(&max.to_string(), SMALL_PX) + 14.0).max(22.0);
    let ts = ticks(max, 5);
    let axis_max = *ts.last().unwrap_or(&1) as f64;
    let scale = |v: u64| (x1 - x0) * v as f64 / axis_max;
    let plot_bottom = top + ROW * items.len() as f64;
    let h = plot_bottom + axis_h;

    let mut out = String::new();
    open(
        &mut out,
        w,
        h,
        o.title,
        Some(format!("max-width:{}px", num(w * 1.25))),
    );
    // Grid and tick labels.
    for &t in &ts {
        let x = num(x0 + scale(t));
        let t = thousands(t);
        let _ = write!(
            out,
            r#"<line x1="{x}" y1="{}" x2="{x}" y2="{}" stroke="{GRID}"/><text x="{x}" y="{}" text-anchor="middle" font-size="{}" fill="{MUTED}">{t}</text>"#,
            num(top),
            num(plot_bottom),
            num(plot_bottom + 15.0),
            num(SMALL_PX),
        );
    }
    let _ = write!(
        out,
        r#"<text x="{}" y="{}" text-anchor="middle" font-size="{}" fill="{MUTED}">{}</text>"#,
        num((x0 + x1) / 2.0),
        num(h - 5.0),
        num(SMALL_PX),
        escape(o.axis)
    );
    for (i, (label, v)) in items.iter().enumerate() {
        let label = label.as_ref();
        let y = top + ROW * i as f64 + (ROW - BAR) / 2.0;
        let mid = num(y + BAR / 2.0);
        let bw = scale(*v);
        let v = thousands(*v);
        let _ = write!(
            out,
            r#"<g><title>{}: {} {}</title><text x="{}" y="{mid}" dy="0.35em" text-anchor="end" fill="{INK}">{}</text><rect class="bar" x="{}" y="{}" width="{}" height="{}" rx="2" fill="{}"/><text x="{}" y="{mid}" dy="0.35em" font-size="{}" font-weight="600" fill="{INK}">{v}</text></g>"#,
            escape(label),
            v,
            escape(o.unit),
            num(x0 - 8.0),
            escape(&fit(label, label_w, LABEL_PX)),
            num(x0),
            num(y),
            num(bw),
            num(BAR),
            escape(o.color),
            num(x0 + bw + 5.0),
            num(SMALL_PX),
        );
    }
    let _ = write!(
        out,
        r#"<line x1="{x}" y1="{}" x2="{x}" y2="{}" stroke="{AXIS}"/></svg>"#,
        num(top),
        num(plot_bottom),
        x = num(x0)
    );
    out
}

/// Options of [`timeline`].
#[derive(Debug, Clone)]
pub struct TimelineOptions<'a> {
    /// Accessible name of the chart.
    pub title: &'a str,
    /// Column colour.
    pub color: &'a str,
    /// Width of the viewBox.
    pub width: f64,
    /// Height of the viewBox.
    pub height: f64,
    /// Title of the value axis.
    pub axis: &'a str,
    /// Noun for the tooltips ("reports").
    pub unit: &'a str,
}

impl Default for TimelineOptions<'_> {
    fn default() -> Self {
        TimelineOptions {
            title: "Timeline",
            color: ACCENT,
            width: 1040.0,
            height: 250.0,
            axis: "Reports",
            unit: "reports",
        }
    }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Parses a `YYYY-MM` label.
fn year_month(s: &str) -> Option<(i32, u32)> {
    let (y, m) = s.split_once('-')?;
    if y.len() != 4 || m.len() != 2 {
        return None;
    }
    let m: u32 = m.parse().ok()?;
    (1..=12).contains(&m).then_some(())?;
    Some((y.parse().ok()?, m))
}

/// One shown tick label of the time axis: index, first line, optional
/// second line (the year).
#[derive(Debug, Clone, PartialEq)]
struct TimeLabel {
    index: usize,
    text: String,
    year: Option<String>,
}

/// Smallest gap between two shown time labels, in px.
const MIN_LABEL_GAP: f64 = 10.0;

/// Chooses which time labels to show so that none overlap when each column
/// is `slot` px wide. Months are labelled on calendar boundaries (every
/// month, 2, 3, 6 months, or every 1, 2, 5, 10 years on January), with the
/// year under the first label and under each January.
fn time_labels<L: AsRef<str>>(items: &[(L, u64)], slot: f64) -> Vec<TimeLabel> {
    let months: Option<Vec<(i32, u32)>> =
        items.iter().map(|(l, _)| year_month(l.as_ref())).collect();
    let slot = slot.max(0.01);
    if let Some(months) = months {
        let need = text_width("2020", SMALL_PX).max(text_width("May", SMALL_PX)) + MIN_LABEL_GAP;
        // Steps in months.
        let steps = [1u32, 2, 3, 6, 12, 24, 60, 120, 240, 600, 1200];
        let step = steps
            .into_iter()
            .find(|&k| slot * f64::from(k) >= need)
            .unwrap_or(1200);
        let mut out = Vec::new();
        for (i, &(y, m)) in months.iter().enumerate() {
            if step < 12 {
                if (m - 1) % step != 0 {
                    continue;
                }
                let first = out.is_empty();
                out.push(TimeLabel {
                    index: i,
                    text: MONTHS[(m - 1) as usize].to_string(),
                    year: (first || m == 1).then(|| y.to_string()),
                });
            } else if m == 1 && y.rem_euclid((step / 12) as i32) == 0 {
                out.push(TimeLabel {
                    index: i,
                    text: y.to_string(),
                    year: None,
                });
            }
        }
        if out.is_empty() {
            if let Some(&(y, m)) = months.first() {
                out.push(TimeLabel {
                    index: 0,
                    text: MONTHS[(m - 1) as usize].to_string(),
                    year: Some(y.to_string()),
                });
            }
        }
        return out;
    }
    let widest = items
        .iter()
        .map(|(l, _)| text_width(l.as_ref(), SMALL_PX))
        .fold(0.0, f64::max);
    let step = (((widest + MIN_LABEL_GAP) / slot).ceil() as usize).max(1);
    items
        .iter()
        .enumerate()
        .step_by(step)
        .map(|(i, (l, _))| TimeLabel {
            index: i,
            text: l.as_ref().to_string(),
            year: None,
        })
        .collect()
}

/// A column chart of values over time (typically reports per month, empty
/// months included), with a value axis, thinned time labels and values above
/// the columns when they fit.
pub fn timeline<L: AsRef<str>>(items: &[(L, u64)], o: &TimelineOptions) -> String {
    let (w, h) = (o.width, o.height);
    if items.is_empty() {
        return empty(w, o.title);
    }
    let (left, right, top, bottom) = (52.0, 8.0, 18.0, 40.0);
    let plot_w = w - left - right;
    let plot_h = h - top - bottom;
    let base = top + plot_h;
    let slot = plot_w / items.len() as f64;
    let bw = (slot * 0.72).max(0.5);
    let max = items.iter().map(|i| i.1).max().unwrap_or(0);
    let ts = ticks(max, 4);
    let axis_max = *ts.last().unwrap_or(&1) as f64;
    let y_of = |v: u64| base - plot_h * v as f64 / axis_max;

    let mut out = String::new();
    open(&mut out, w, h, o.title, None);
    for &t in &ts {
        let y = num(y_of(t));
        let t = thousands(t);
        let _ = write!(
            out,
            r#"<line x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="{GRID}"/><text x="{}" y="{y}" dy="0.35em" text-anchor="end" font-size="{}" fill="{MUTED}">{t}</text>"#,
            num(left),
            num(w - right),
            num(left - 8.0),
            num(SMALL_PX),
        );
    }
    let cy = num(top + plot_h / 2.0);
    let _ = write!(
        out,
        r#"<text x="13" y="{cy}" transform="rotate(-90 13 {cy})" text-anchor="middle" font-size="{}" fill="{MUTED}">{}</text>"#,
        num(SMALL_PX),
        escape(o.axis)
    );
    let value_px = 10.0;
    for (i, (label, v)) in items.iter().enumerate() {
        if *v == 0 {
            continue;
        }
        let cx = left + slot * (i as f64 + 0.5);
        let y = y_of(*v);
        let v = thousands(*v);
        let _ = write!(
            out,
            r#"<rect class="bar" x="{}" y="{}" width="{}" height="{}" rx="1" fill="{}"><title>{}: {} {}</title></rect>"#,
            num(cx - bw / 2.0),
            num(y),
            num(bw),
            num(base - y),
            escape(o.color),
            escape(label.as_ref()),
            v,
            escape(o.unit),
        );
        // Values only where they stay apart from their neighbours.
        if text_width(&v, value_px) + 5.0 <= slot {
            let _ = write!(
                out,
                r#"<text x="{}" y="{}" text-anchor="middle" font-size="{}" fill="{MUTED}">{v}</text>"#,
                num(cx),
                num(y - 3.0),
                num(value_px),
            );
        }
    }
    let _ = write!(
        out,
        r#"<line x1="{}" y1="{b}" x2="{}" y2="{b}" stroke="{AXIS}"/>"#,
        num(left),
        num(w - right),
        b = num(base)
    );
    for l in time_labels(items, slot) {
        let cx = num(left + slot * (l.index as f64 + 0.5));
        let _ = write!(
            out,
            r#"<line x1="{cx}" y1="{}" x2="{cx}" y2="{}" stroke="{AXIS}"/><text x="{cx}" y="{}" text-anchor="middle" font-size="{}" fill="{MUTED}">{}</text>"#,
            num(base),
            num(base + 4.0),
            num(base + 16.0),
            num(SMALL_PX),
            escape(&l.text),
        );
        if let Some(y) = &l.year {
            let _ = write!(
                out,
                r#"<text x="{cx}" y="{}" text-anchor="middle" font-size="{}" font-weight="600" fill="{INK}">{}</text>"#,
                num(base + 30.0),
                num(SMALL_PX),
                escape(y),
            );
        }
    }
    out.push_str("</svg>");
    out
}

/// Options of [`heatmap`].
#[derive(Debug, Clone)]
pub struct HeatmapOptions<'a> {
    /// Accessible name of the chart.
    pub title: &'a str,
    /// What the rows are ("Actor").
    pub row_title: &'a str,
    /// What the columns are ("Sector").
    pub column_title: &'a str,
    /// Caption of the colour scale.
    pub legend: &'a str,
    /// Noun for the tooltips ("reports").
    pub unit: &'a str,
}

impl Default for HeatmapOptions<'_> {
    fn default() -> Self {
        HeatmapOptions {
            title: "Heat map",
            row_title: "Rows",
            column_title: "Columns",
            legend: "Reports",
            unit: "reports",
        }
    }
}

/// The sequential colour ramp of the heat map, light to dark.
const RAMP: [(u8, u8, u8); 5] = [
    (191, 219, 254),
    (125, 176, 250),
    (59, 130, 246),
    (29, 78, 216),
    (23, 37, 84),
];

/// Position of `v` on the ramp: 0 for 1 (or less), 1 for `max`.
fn ramp_t(v: u64, max: u64) -> f64 {
    if max <= 1 {
        1.0
    } else {
        (v.saturating_sub(1) as f64 / (max - 1) as f64).clamp(0.0, 1.0)
    }
}

/// Fill colour of a heat-map cell holding `v` when the largest cell holds
/// `max`. Zero has its own neutral colour.
pub fn heat_color(v: u64, max: u64) -> String {
    if v == 0 {
        return EMPTY_CELL.to_string();
    }
    let t = ramp_t(v, max) * (RAMP.len() - 1) as f64;
    let i = (t.floor() as usize).min(RAMP.len() - 2);
    let f = t - i as f64;
    let (a, b) = (RAMP[i], RAMP[i + 1]);
    let mix = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * f).round() as u8;
    format!(
        "#{:02x}{:02x}{:02x}",
        mix(a.0, b.0),
        mix(a.1, b.1),
        mix(a.2, b.2)
    )
}

/// A heat map of `counts[r][c]` with row labels on the left, column labels
/// slanted above, the count in each non-empty cell, and a colour scale.
/// Missing cells (short rows) count as zero.
pub fn heatmap<R: AsRef<str>, C: AsRef<str>>(
    rows: &[R],
    cols: &[C],
    counts: &[Vec<u64>],
    o: &HeatmapOptions,
) -> String {
    if rows.is_empty() || cols.is_empty() {
        return empty(720.0, o.title);
    }
    let cell = |r: usize, c: usize| {
        counts
            .get(r)
            .and_then(|row| row.get(c))
            .copied()
            .unwrap_or(0)
    };
    let max = (0..rows.len())
        .flat_map(|r| (0..cols.len()).map(move |c| (r, c)))
        .map(|(r, c)| cell(r, c))
        .max()
        .unwrap_or(0);
    let (cw, ch) = (58.0, 30.0);
    let slant = std::f64::consts::FRAC_1_SQRT_2;
    let corner = format!("{} ↓ · {} →", o.row_title, o.column_title);
    let row_w = rows
        .iter()
        .map(|r| text_width(r.as_ref(), LABEL_PX))
        .fold(0.0, f64::max)
        .clamp(60.0, 190.0)
        .max(text_width(&corner, SMALL_PX) * 1.1);
    let col_labels: Vec<String> = cols
        .iter()
        .map(|c| fit(c.as_ref(), 150.0, LABEL_PX))
        .collect();
    let col_w: Vec<f64> = col_labels.iter().map(|c| text_width(c, LABEL_PX)).collect();
    let left = row_w + 14.0;
    let top = col_w.iter().copied().fold(0.0, f64::max) * slant + 22.0;
    let grid_right = left + cw * cols.len() as f64;
    let overhang = col_w
        .iter()
        .enumerate()
        .map(|(j, wd)| left + cw * (j as f64 + 0.5) + wd * slant + 8.0)
        .fold(grid_right, f64::max);
    let legend_y = top + ch * rows.len() as f64 + 22.0;
    let legend_values = legend_values(max);
    let legend_step = legend_values
        .iter()
        .map(|&v| text_width(&thousands(v), SMALL_PX) + 8.0)
        .fold(36.0, f64::max);
    let legend_w = left + 24.0 + legend_step * (legend_values.len() + 1) as f64;
    let w = overhang.max(legend_w).max(grid_right + 8.0);
    let h = legend_y + 40.0;

    let mut out = String::new();
    // Never drawn much larger than its natural size, nor squeezed below 540 px
    // (the page scrolls it sideways on a phone instead).
    let style = format!(
        "max-width:{}px;min-width:{}px",
        num(w * 1.1),
        num(w.min(540.0))
    );
    open(&mut out, w, h, o.title, Some(style));
    let _ = write!(
        out,
        r#"<text x="{}" y="{}" text-anchor="end" font-size="{}" fill="{MUTED}" font-weight="600">{}</text>"#,
        num(left - 10.0),
        num(top - 8.0),
        num(SMALL_PX),
        escape(&corner),
    );
    for (j, label) in col_labels.iter().enumerate() {
        let x = num(left + cw * (j as f64 + 0.5));
        let y = num(top - 8.0);
        let _ = write!(
            out,
            r#"<text x="{x}" y="{y}" transform="rotate(-45 {x} {y})" fill="{INK}"><title>{}</title>{}</text>"#,
            escape(cols[j].as_ref()),
            escape(label)
        );
    }
    for (r, row) in rows.iter().enumerate() {
        let y = top + ch * r as f64;
        let _ = write!(
            out,
            r#"<text x="{}" y="{}" dy="0.35em" text-anchor="end" fill="{INK}"><title>{}</title>{}</text>"#,
            num(left - 10.0),
            num(y + ch / 2.0),
            escape(row.as_ref()),
            escape(&fit(row.as_ref(), row_w, LABEL_PX)),
        );
        for (c, col) in cols.iter().enumerate() {
            let v = cell(r, c);
            let x = left + cw * c as f64;
            let _ = write!(
                out,
                r#"<rect class="cell" x="{}" y="{}" width="{}" height="{}" rx="3" fill="{}"><title>{} × {}: {v} {}</title></rect>"#,
                num(x + 1.0),
                num(y + 1.0),
                num(cw - 2.0),
                num(ch - 2.0),
                heat_color(v, max),
                escape(row.as_ref()),
                escape(col.as_ref()),
                escape(o.unit),
            );
            if v > 0 {
                let fill = if ramp_t(v, max) >= 0.4 {
                    "#ffffff"
                } else {
                    INK
                };
                let v = thousands(v);
                let _ = write!(
                    out,
                    r#"<text x="{}" y="{}" dy="0.35em" text-anchor="middle" font-size="{}" font-weight="600" fill="{fill}">{v}</text>"#,
                    num(x + cw / 2.0),
                    num(y + ch / 2.0),
                    num(SMALL_PX + 0.5),
                );
            }
        }
    }
    // Colour scale: a swatch for zero, then swatches from 1 to the maximum.
    let _ = write!(
        out,
        r#"<text x="{}" y="{}" text-anchor="end" font-size="{}" fill="{MUTED}">{}</text>"#,
        num(left - 10.0),
        num(legend_y + 7.0),
        num(SMALL_PX),
        escape(o.legend),
    );
    let swatches = std::iter::once(0).chain(legend_values.iter().copied());
    for (i, v) in swatches.enumerate() {
        let x = left + legend_step * i as f64;
        let color = heat_color(v, max);
        let v = thousands(v);
        let _ = write!(
            out,
            r#"<rect class="legend" x="{}" y="{}" width="{}" height="14" rx="2" fill="{}"/><text x="{}" y="{}" text-anchor="middle" font-size="{}" fill="{MUTED}">{v}</text>"#,
            num(x),
            num(legend_y),
            num(legend_step - 4.0),
            color,
            num(x + (legend_step - 4.0) / 2.0),
            num(legend_y + 28.0),
            num(SMALL_PX),
        );
    }
    out.push_str("</svg>");
    out
}

/// Up to five distinct values from 1 to `max` for the colour scale.
fn legend_values(max: u64) -> Vec<u64> {
    let max = max.max(1);
    let mut v: Vec<u64> = (0..5)
        .map(|i| 1 + ((max - 1) as f64 * f64::from(i) / 4.0).round() as u64)
        .collect();
    v.dedup();
    v
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Checks that `s` is well-formed XML-ish markup: every element opened is
    /// closed in order, attributes are quoted, no raw `<` or `&` in text.
    /// Returns the element names in document order.
    pub(crate) fn check_xml(s: &str) -> Vec<String> {
        let mut stack: Vec<String> = Vec::new();
        let mut names = Vec::new();
        let mut rest = s;
        while let Some(lt) = rest.find('<') {
            check_text(&rest[..lt]);
            let after = &rest[lt..];
            let gt = after.find('>').expect("unterminated tag");
            let tag = &after[1..gt];
            rest = &after[gt + 1..];
            if let Some(name) = tag.strip_prefix('/') {
                let open = stack.pop().unwrap_or_else(|| panic!("stray </{name}>"));
                assert_eq!(open, name, "</{name}> closes <{open}>");
                continue;
            }
            let self_closing = tag.ends_with('/');
            let tag = tag.trim_end_matches('/');
            let name: String = tag.chars().take_while(|c| !c.is_whitespace()).collect();
            assert!(
                !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'),
                "bad tag <{tag}>"
            );
            check_attributes(&tag[name.len()..]);
            names.push(name.clone());
            if !self_closing {
                stack.push(name);
            }
        }
        check_text(rest);
        assert!(stack.is_empty(), "unclosed: {stack:?}");
        names
    }

    fn check_text(t: &str) {
        assert!(!t.contains('>'), "raw > in text {t:?}");
        let mut rest = t;
        while let Some(i) = rest.find('&') {
            let ent = &rest[i..];
            let end = ent.find(';').unwrap_or_else(|| panic!("raw & in {t:?}"));
            let name = &ent[1..end];
            assert!(
                matches!(name, "amp" | "lt" | "gt" | "quot" | "#39"),
                "unknown entity &{name};"
            );
            rest = &ent[end + 1..];
        }
    }

    fn check_attributes(mut a: &str) {
        loop {
            a = a.trim_start();
            if a.is_empty() {
                return;
            }
            let eq = a
                .find('=')
                .unwrap_or_else(|| panic!("attribute without value: {a:?}"));
            let name = &a[..eq];
            assert!(
                name.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ':'),
                "bad attribute name {name:?}"
            );
            let v = &a[eq + 1..];
            assert!(v.starts_with('"'), "unquoted attribute {name}");
            let close = v[1..].find('"').expect("unterminated attribute") + 1;
            let value = &v[1..close];
            assert!(!value.contains('<'), "raw < in attribute {name}");
            check_text(value);
            assert!(
                !value.contains("NaN") && !value.contains("inf"),
                "{name}={value}"
            );
            a = &v[close + 1..];
        }
    }

    /// Values of attribute `attr` of the elements whose start tag contains
    /// `marker`.
    fn attr_values(s: &str, marker: &str, attr: &str) -> Vec<f64> {
        s.split('<')
            .filter(|t| t.contains(marker))
            .filter_map(|t| {
                let key = format!(" {attr}=\"");
                let i = t.find(&key)? + key.len();
                let end = t[i..].find('"')? + i;
                t[i..end].parse().ok()
            })
            .collect()
    }

    #[test]
    fn escape_covers_markup() {
        assert_eq!(
            escape(r#"<script>alert("x")</script> & 'y'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
        assert_eq!(escape("a\u{1}b"), "a b");
    }

    #[test]
    fn ticks_are_round_and_cover_max() {
        assert_eq!(ticks(0, 5), vec![0, 1]);
        assert_eq!(ticks(1, 5), vec![0, 1]);
        assert_eq!(ticks(7, 5), vec![0, 2, 4, 6, 8]);
        assert_eq!(ticks(40, 5), vec![0, 10, 20, 30, 40]);
        assert_eq!(ticks(41, 5), vec![0, 10, 20, 30, 40, 50]);
        assert_eq!(ticks(12_345, 4), vec![0, 5000, 10000, 15000]);
        assert!(*ticks(u64::MAX / 2, 5).last().unwrap() >= u64::MAX / 2);
        assert!(*ticks(u64::MAX, 5).last().unwrap() == u64::MAX);
    }

    #[test]
    fn bar_chart_is_well_formed_and_escapes_labels() {
        let items = [
            ("<script>alert(1)</script>", 3),
            ("R&D", 1),
            ("\"quoted\"", 2),
        ];
        let svg = bar_chart(&items, &BarOptions::default());
        let names = check_xml(&svg);
        assert_eq!(names[0], "svg");
        assert_eq!(names.iter().filter(|n| *n == "svg").count(), 1);
        assert!(!svg.contains("<script"));
        assert!(svg.contains("&lt;script&gt;"));
        assert!(svg.contains("R&amp;D"));
        assert!(svg.contains(r#"viewBox="0 0 520 "#));
        assert!(svg.contains(r#"width="100%""#));
    }

    #[test]
    fn bar_widths_are_proportional_to_values() {
        let items = [("a", 40u64), ("b", 20), ("c", 10), ("d", 0)];
        let svg = bar_chart(&items, &BarOptions::default());
        let widths = attr_values(&svg, "class=\"bar\"", "width");
        assert_eq!(widths.len(), 4);
        assert!(widths[0] > 0.0);
        for (w, (_, v)) in widths.iter().zip(items) {
            let expected = widths[0] * v as f64 / 40.0;
            assert!((w - expected).abs() <= 0.2, "{w} vs {expected}");
        }
        // Value labels are printed.
        for v in ["40", "20", "10"] {
            assert!(svg.contains(&format!(">{v}</text>")), "{v}");
        }
    }

    #[test]
    fn all_zero_and_empty_series_draw_without_nan() {
        let zeros = [("a", 0u64), ("b", 0)];
        for svg in [
            bar_chart(&zeros, &BarOptions::default()),
            timeline(
                &[("2024-01", 0u64), ("2024-02", 0)],
                &TimelineOptions::default(),
            ),
            heatmap(
                &["a"],
                &["x", "y"],
                &[vec![0, 0]],
                &HeatmapOptions::default(),
            ),
            bar_chart::<&str>(&[], &BarOptions::default()),
            timeline::<&str>(&[], &TimelineOptions::default()),
            heatmap::<&str, &str>(&[], &[], &[], &HeatmapOptions::default()),
        ] {
            check_xml(&svg);
            assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
        }
        let svg = bar_chart(&zeros, &BarOptions::default());
        assert!(attr_values(&svg, "class=\"bar\"", "width")
            .iter()
            .all(|w| *w == 0.0));
    }

    #[test]
    fn timeline_labels_never_overlap() {
        for n in [1usize, 5, 13, 30, 84, 200, 1000] {
            let items: Vec<(String, u64)> = (0..n)
                .map(|i| {
                    let (y, m) = (2000 + i / 12, i % 12 + 1);
                    (format!("{y:04}-{m:02}"), (i % 7) as u64)
                })
                .collect();
            let o = TimelineOptions::default();
            let svg = timeline(&items, &o);
            check_xml(&svg);
            let slot = (o.width - 60.0) / n as f64;
            let labels = time_labels(&items, slot);
            assert!(!labels.is_empty(), "{n}");
            for pair in labels.windows(2) {
                let gap = slot * (pair[1].index - pair[0].index) as f64;
                let wide = text_width(&pair[0].text, SMALL_PX)
                    .max(text_width(&pair[1].text, SMALL_PX))
                    .max(
                        pair[0]
                            .year
                            .as_deref()
                            .map_or(0.0, |y| text_width(y, SMALL_PX)),
                    );
                assert!(gap >= wide + 4.0, "n={n}: {pair:?} gap {gap}");
            }
        }
    }

    #[test]
    fn timeline_labels_fall_on_calendar_boundaries() {
        let items: Vec<(String, u64)> = (0..84)
            .map(|i| {
                (
                    format!("{:04}-{:02}", 2019 + (i + 3) / 12, (i + 3) % 12 + 1),
                    1,
                )
            })
            .collect();
        let labels = time_labels(&items, 1000.0 / 84.0);
        assert!(labels.len() >= 6, "{labels:?}");
        // Either month names on quarter starts or years.
        for l in &labels {
            assert!(
                ["Jan", "Apr", "Jul", "Oct"].contains(&l.text.as_str())
                    || l.text.parse::<i32>().is_ok(),
                "{l:?}"
            );
        }
        // Wide slots label every month, with the year under the first and January.
        let short = &items[..6];
        let labels = time_labels(short, 100.0);
        assert_eq!(labels.len(), 6);
        assert_eq!(labels[0].year.as_deref(), Some("2019"));
        assert_eq!(labels[0].text, "Apr");
        assert!(labels[1].year.is_none());
    }

    #[test]
    fn timeline_heights_are_proportional() {
        let items = [("2024-01", 4u64), ("2024-02", 0), ("2024-03", 2)];
        let svg = timeline(&items, &TimelineOptions::default());
        let heights = attr_values(&svg, "class=\"bar\"", "height");
        assert_eq!(heights.len(), 2, "zero months draw no column");
        assert!((heights[0] - 2.0 * heights[1]).abs() <= 0.2, "{heights:?}");
    }

    #[test]
    fn timeline_with_other_labels_thins_them() {
        let items: Vec<(String, u64)> = (0..100).map(|i| (format!("week {i}"), i)).collect();
        let labels = time_labels(&items, 5.0);
        assert!(labels.len() < 100 && labels.len() > 1);
        check_xml(&timeline(&items, &TimelineOptions::default()));
    }

    #[test]
    fn heatmap_cells_legend_and_escaping() {
        let rows = ["Volt Typhoon", "<b>bad</b>"];
        let cols = ["water & wastewater", "energy"];
        let counts = vec![vec![4, 0], vec![1, 2]];
        let svg = heatmap(&rows, &cols, &counts, &HeatmapOptions::default());
        check_xml(&svg);
        assert_eq!(svg.matches("class=\"cell\"").count(), 4);
        assert!(svg.matches("class=\"legend\"").count() >= 2);
        assert!(svg.contains("&lt;b&gt;bad&lt;/b&gt;"));
        assert!(svg.contains("water &amp; wastewater"));
        assert_eq!(heat_color(0, 4), EMPTY_CELL);
        assert_eq!(heat_color(4, 4), "#172554");
        assert_eq!(heat_color(1, 4), "#bfdbfe");
        assert_eq!(heat_color(1, 1), "#172554");
        // Short rows count as zero.
        check_xml(&heatmap(
            &rows,
            &cols,
            &[vec![1]],
            &HeatmapOptions::default(),
        ));
    }

    #[test]
    fn legend_values_are_distinct_and_span_the_range() {
        assert_eq!(legend_values(0), vec![1]);
        assert_eq!(legend_values(1), vec![1]);
        assert_eq!(legend_values(3), vec![1, 2, 3]);
        assert_eq!(legend_values(9), vec![1, 3, 5, 7, 9]);
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(17373), "17,373");
        assert_eq!(thousands(1234567), "1,234,567");
    }

    #[test]
    fn fit_cuts_long_labels() {
        assert_eq!(fit("short", 100.0, 12.0), "short");
        let cut = fit("a very long label that will not fit", 60.0, 12.0);
        assert!(cut.ends_with('…'));
        assert!(text_width(&cut, 12.0) <= 60.0 + 0.01);
    }
}
