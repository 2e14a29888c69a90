//! Subtree statistics: takes the arena and a removal decision per node,
//! gives every element's [`SubtreeStats`] (text, link text, commas,
//! paragraphs, prose …) over the nodes that survive, in one bottom-up pass,
//! and which nodes are excluded once removal applies to whole subtrees.

use super::arena::{Arena, NO_NODE};
use super::signals::{S_HASH_LINK, S_IN_LINK};
use super::tags::Tag;

/// Subtree statistics of one element, over the nodes that survive removal.
#[derive(Clone, Copy, Default)]
pub(super) struct SubtreeStats {
    pub(super) text: u32,
    /// Link text, in tenths of a char (links to "#…" weigh 0.3).
    pub(super) link_tenths: u32,
    pub(super) commas: u32,
    /// Inline text of this element not inside a child block (the
    /// "paragraph" text this element owns).
    pub(super) inline_text: u32,
    pub(super) inline_commas: u32,
    pub(super) inline_link_tenths: u32,
    /// Text in paragraphs of at least 25 chars with few links: the "article
    /// prose" measure used to compare candidate containers.
    pub(super) good: u32,
    pub(super) paragraphs: u32,
    pub(super) images: u32,
    pub(super) list_items: u32,
    pub(super) inputs: u32,
    pub(super) embeds: u32,
    pub(super) heading_text: u32,
    pub(super) list_text: u32,
}

impl SubtreeStats {
    pub(super) fn link_density(&self) -> f32 {
        if self.text == 0 {
            0.0
        } else {
            (self.link_tenths as f32 / 10.0) / self.text as f32
        }
    }
}

/// Bottom-up aggregation in one reverse pass. `is_removed(i)` says whether
/// node i (with its subtree) is left out; it sees the node's finished
/// aggregate, so a decision can depend on the node's own (cleaned) content,
/// as Readability's conditional cleaning does when it walks backwards.
pub(super) fn aggregate(
    arena: &Arena,
    is_removed: &mut dyn FnMut(usize, &SubtreeStats) -> bool,
) -> (Vec<SubtreeStats>, Vec<bool>) {
    let n = arena.nodes.len();
    let mut stats = vec![SubtreeStats::default(); n];
    let mut removed = vec![false; n];
    for i in (0..n).rev() {
        let node = &arena.nodes[i];
        let mut a = stats[i];
        if node.tag == Tag::Text {
            a.text = node.text_chars;
            a.commas = node.commas;
            if node.signals & S_IN_LINK != 0 {
                a.link_tenths = if node.signals & S_HASH_LINK != 0 {
                    node.text_chars * 3
                } else {
                    node.text_chars * 10
                };
            }
            a.inline_text = a.text;
            a.inline_commas = a.commas;
            a.inline_link_tenths = a.link_tenths;
        } else {
            a.inputs += node.inputs as u32;
            a.embeds += node.embeds as u32;
            match node.tag {
                Tag::P => a.paragraphs += 1,
                Tag::Img => a.images += 1,
                Tag::Li => a.list_items += 1,
                Tag::Ul | Tag::Ol => a.list_text = a.text,
                Tag::H(_) => a.heading_text = a.text,
                _ => {}
            }
            if node.tag.is_block()
                && a.inline_text >= 25
                && a.inline_link_tenths < a.inline_text * 5
            {
                a.good += a.inline_text - a.inline_link_tenths / 10;
            }
        }
        stats[i] = a;
        if is_removed(i, &a) {
            removed[i] = true;
            continue;
        }
        let p = node.parent;
        if p == NO_NODE {
            continue;
        }
        let pa = &mut stats[p as usize];
        pa.text += a.text;
        pa.link_tenths += a.link_tenths;
        pa.commas += a.commas;
        pa.good += a.good;
        pa.paragraphs += a.paragraphs;
        pa.images += a.images;
        pa.list_items += a.list_items;
        pa.inputs += a.inputs;
        pa.embeds += a.embeds;
        pa.heading_text += a.heading_text;
        pa.list_text += a.list_text;
        if !node.tag.is_block() {
            pa.inline_text += a.inline_text;
            pa.inline_commas += a.inline_commas;
            pa.inline_link_tenths += a.inline_link_tenths;
        }
    }
    (stats, removed)
}

/// Top-down: is node i or any ancestor removed?
pub(super) fn excluded_nodes(arena: &Arena, removed: &[bool]) -> Vec<bool> {
    let mut excluded = vec![false; arena.nodes.len()];
    for i in 0..arena.nodes.len() {
        let p = arena.nodes[i].parent;
        excluded[i] = removed[i] || (p != NO_NODE && excluded[p as usize]);
    }
    excluded
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::dom;
    use crate::ingest::html::arena::build_arena;

    const PAGE: &str = "<html><body><div><p>Plain words, with commas, here.</p>\
        <p><a href=/x>link text</a></p><ul><li>one</li></ul></div></body></html>";

    #[test]
    fn sums_subtrees_bottom_up_without_removed_ones() {
        let arena = build_arena(dom::parse(PAGE));
        let index_of = |tag: Tag| {
            arena
                .nodes
                .iter()
                .position(|n| n.tag == tag)
                .expect("element")
        };
        let (div, list, item) = (index_of(Tag::Div), index_of(Tag::Ul), index_of(Tag::Li));
        let (stats, removed) = aggregate(&arena, &mut |_, _| false);
        assert!(!removed.iter().any(|&r| r));
        let whole = stats[div];
        assert_eq!(whole.text, 31 + 9 + 3);
        assert_eq!(whole.link_tenths, 9 * 10);
        assert_eq!(whole.commas, 2);
        assert_eq!((whole.paragraphs, whole.list_items), (2, 1));
        assert_eq!(whole.list_text, 3);
        assert!((whole.link_density() - 9.0 / 43.0).abs() < 1e-6);

        // Removing the list takes its text and items out of the sums, and
        // everything inside it is excluded with it.
        let (stats, removed) = aggregate(&arena, &mut |i, _| i == list);
        assert_eq!(stats[div].text, 31 + 9);
        assert_eq!(stats[div].list_items, 0);
        let excluded = excluded_nodes(&arena, &removed);
        assert!(excluded[list] && excluded[item] && !excluded[div]);
    }
}
