//! Cleaning: takes the chosen content ([`Choice`]) and gives the final
//! [`Selection`]: Readability's conditional cleaning drops the blocks inside
//! it that look like link lists, galleries, form remnants or embeds rather
//! than prose.

use super::arena::{Arena, Node};
use super::select::Choice;
use super::signals::{S_IN_FIGURE, S_IN_PRE};
use super::stats::{aggregate, SubtreeStats};
use super::tags::Tag;

/// The final content: what the text writer writes and where the metadata
/// reader looks.
pub(super) struct Selection {
    /// The chosen subtrees, in page order.
    pub(super) roots: Vec<u32>,
    /// Furniture removal (before conditional cleaning): metadata is never
    /// read from inside removed furniture.
    pub(super) furniture: Vec<bool>,
    /// Final removal decision per node (own flag; apply top-down).
    pub(super) removed: Vec<bool>,
    /// Characters of text left in the roots after cleaning.
    pub(super) text_len: u32,
}

/// Cleans the chosen content: furniture stays removed, and the blocks
/// inside the roots that read as junk are removed too.
pub(super) fn clean(arena: &Arena, choice: Choice) -> Selection {
    let furniture = choice.removed.clone();
    let (removed, cleaned_stats) =
        clean_selection(arena, &choice.roots, choice.removed, &choice.stats);
    let text_len = choice
        .roots
        .iter()
        .map(|&r| cleaned_stats[r as usize].text)
        .sum();
    Selection {
        roots: choice.roots,
        furniture,
        removed,
        text_len,
    }
}

/// Readability's conditional cleaning, applied to the descendants of the
/// chosen roots: lists, tables, divs … that look like link lists, image
/// galleries, form remnants or embeds rather than prose are dropped. Runs
/// bottom-up so a container is judged after its inner junk is gone.
fn clean_selection(
    arena: &Arena,
    roots: &[u32],
    mut removed: Vec<bool>,
    stats: &[SubtreeStats],
) -> (Vec<bool>, Vec<SubtreeStats>) {
    let n = arena.nodes.len();
    let mut in_sel = vec![false; n];
    let mut is_root = vec![false; n];
    for &r in roots {
        is_root[r as usize] = true;
        for j in r..arena.nodes[r as usize].end {
            in_sel[j as usize] = true;
        }
    }
    // Containers holding a large share of the selection's prose are layout
    // wrappers whatever their class says ("panel-two-col-sidebar"): never
    // clean those away.
    let sel_good: u32 = roots.iter().map(|&r| stats[r as usize].good).sum();
    let (cleaned_stats, newly_removed) = aggregate(arena, &mut |i, a| {
        if removed[i] {
            return true;
        }
        if !in_sel[i] || is_root[i] {
            return false;
        }
        let node = &arena.nodes[i];
        if node.signals & S_IN_PRE != 0 {
            return false;
        }
        match node.tag {
            Tag::H(l) if l <= 2 => return node.class_weight < 0,
            Tag::Form
            | Tag::Fieldset
            | Tag::Table
            | Tag::Ul
            | Tag::Ol
            | Tag::Div
            | Tag::Section
            | Tag::Dl
            | Tag::Aside
            | Tag::Figure => {}
            _ => return false,
        }
        if a.good as u64 * 10 >= sel_good as u64 * 3 && a.good >= 200 {
            return false;
        }
        conditionally_remove(node, a)
    });
    for (r, r2) in removed.iter_mut().zip(newly_removed) {
        *r |= r2;
    }
    (removed, cleaned_stats)
}

/// Readability's verdict on one candidate block: returns true if and only
/// if it reads as junk (link list, gallery, form remnant, embed) by its
/// class weight and the statistics of what is left inside it.
fn conditionally_remove(node: &Node, a: &SubtreeStats) -> bool {
    let weight = node.class_weight as i32;
    if weight < 0 {
        return true;
    }
    if a.commas >= 10 {
        return false;
    }
    let is_list = matches!(node.tag, Tag::Ul | Tag::Ol)
        || (a.text > 0 && a.list_text as f32 / a.text as f32 > 0.9);
    let p = a.paragraphs as f32;
    let img = a.images as f32;
    let li = a.list_items as f32 - 100.0;
    let ld = a.link_density();
    let heading_density = if a.text > 0 {
        a.heading_text as f32 / a.text as f32
    } else {
        0.0
    };
    let len = a.text;
    let is_figure = node.signals & S_IN_FIGURE != 0;
    // A plain list of images (one per item) is a gallery, not junk.
    if is_list && a.list_items > 0 && a.images == a.list_items && len < 25 * a.list_items {
        return false;
    }
    if !is_figure && img > 1.0 && p / img < 0.5 {
        return true;
    }
    if !is_list && li > p {
        return true;
    }
    if a.inputs as f32 > (p / 3.0).floor() {
        return true;
    }
    if !is_list
        && !is_figure
        && heading_density < 0.9
        && len < 25
        && (a.images == 0 || a.images > 2)
        && ld > 0.0
    {
        return true;
    }
    if !is_list && weight < 25 && ld > 0.2 {
        return true;
    }
    if weight >= 25 && ld > 0.5 {
        return true;
    }
    if (a.embeds == 1 && len < 75) || a.embeds > 1 {
        return true;
    }
    false
}
#[cfg(test)]
mod tests {
    use crate::ingest::html::extract_html;
    use crate::ingest::html::test_pages::{article, page};

    #[test]
    fn cleans_link_blocks_inside_the_article_but_keeps_figures() {
        let links: String = (0..6)
            .map(|i| format!("<a href=\"/r{i}\">Read also story number {i}</a> "))
            .collect();
        let body = article(&format!(
            "<div class=\"inline-links\">{links}</div>\
             <figure><a href=\"#img\"><div class=\"ratio\"><picture><img src=\"a.jpg\" alt=\"x\"><img src=\"b.jpg\" alt=\"y\"></picture></div></a>\
             <figcaption>FIGCAPTION of the diagram</figcaption></figure>\
             <ul><li><a href=\"https://ioc.example/a\">https://ioc.example/a</a></li><li><a href=\"https://ioc.example/b\">https://ioc.example/b</a></li></ul>"
        ));
        let d = extract_html(&page("", &body));
        assert!(!d.text.contains("Read also"), "{}", d.text);
        assert!(d.text.contains("FIGCAPTION"), "{}", d.text);
        // Lists are kept even when they are all links (reference and IOC
        // lists are content in reports).
        assert!(d.text.contains("https://ioc.example/b"), "{}", d.text);
    }
}
