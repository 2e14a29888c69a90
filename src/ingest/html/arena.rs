//! The flat arena: takes the parsed DOM and gives an [`Arena`], every kept
//! node in pre-order (parents before children, each subtree the contiguous
//! index range `i..end`) with its tag, removal reasons, signals, class
//! weight and collapsed text, plus the page metadata read on the way
//! ([`PageMeta`]: `<meta>`, canonical link, `<title>`, JSON-LD, dated
//! elements). One iterative walk: no recursion, whatever the depth.

use super::super::dom::{self, Dom, NodeData, NodeId};
use super::signals::{
    read_attrs, Role, RM_BOILER, RM_CLASS, RM_COMMENT, RM_HIDDEN, RM_LAYOUT, S_AUTHOR, S_BYLINE,
    S_CAPTION, S_HASH_LINK, S_INHERITED, S_IN_ARTICLE, S_IN_FIGURE, S_IN_LINK, S_IN_PRE,
    S_MARK_ARTICLE, S_MARK_BODY, S_MARK_MAIN, S_POSITIVE, S_REL_TAG, S_SIDEBARISH,
};
use super::tags::{classify_tag, Kind, Tag};

/// The parent of a root, and "no `<body>`": no node has this index.
pub(super) const NO_NODE: u32 = u32::MAX;

/// One DOM node in the flat arena.
pub(super) struct Node {
    /// The node in the DOM.
    pub(super) dom_node: NodeId,
    /// The parent's index, or [`NO_NODE`] for a root.
    pub(super) parent: u32,
    /// One past the last descendant: the subtree is `self_index..end`.
    pub(super) end: u32,
    /// The element kind ([`Tag::Text`] for text nodes).
    pub(super) tag: Tag,
    /// Removal reasons (RM_*) of this element itself.
    pub(super) removal: u8,
    /// Signal bits (S_*): its own and those inherited from its ancestors.
    pub(super) signals: u16,
    /// Readability class weight.
    pub(super) class_weight: i16,
    /// Text nodes: collapsed length in chars and commas.
    pub(super) text_chars: u32,
    pub(super) commas: u32,
    /// Text nodes: byte range in `Arena::text`.
    pub(super) text_start: u32,
    pub(super) text_end: u32,
    /// Text nodes: the page had white space right before this text (a
    /// whitespace-only node, which the arena does not keep).
    pub(super) space_before: bool,
    /// Elements: dropped form controls / embeds directly inside.
    pub(super) inputs: u16,
    pub(super) embeds: u16,
}

/// Metadata gathered during the walk.
#[derive(Default)]
pub(super) struct PageMeta {
    /// (lowercased key, content) for every `<meta>` key (name, property,
    /// itemprop, http-equiv; space-separated keys are split).
    pub(super) metas: Vec<(String, String)>,
    /// `<link rel=canonical>`'s href, the first one.
    pub(super) canonical: Option<String>,
    /// The first non-empty `<title>`, white space collapsed.
    pub(super) title: Option<String>,
    /// The texts of the JSON-LD scripts (at most 32).
    pub(super) jsonld: Vec<String>,
    /// Elements carrying `itemprop=datePublished`: (index, value attr).
    pub(super) itemprop_dates: Vec<(u32, String)>,
    /// `<time>` elements: (index, datetime attr, has pubdate).
    pub(super) times: Vec<(u32, String, bool)>,
}

/// The page as the later stages see it.
pub(super) struct Arena {
    /// The parsed page (for attributes and `<pre>` text, read on demand).
    pub(super) dom: Dom,
    /// The kept nodes in pre-order.
    pub(super) nodes: Vec<Node>,
    /// The collapsed text of all text nodes, back to back.
    pub(super) text: String,
    /// What the head and the dated elements say.
    pub(super) meta: PageMeta,
    /// The index of `<body>`, or [`NO_NODE`].
    pub(super) body: u32,
}

impl Arena {
    /// The text of a text node (empty for an element).
    pub(super) fn text_of(&self, node: &Node) -> &str {
        &self.text[node.text_start as usize..node.text_end as usize]
    }
}

/// A DOM node waiting on the walk's stack, with what it inherits.
struct Frame {
    dom_node: NodeId,
    parent: u32,
    signals: u16,
    in_head: bool,
}

/// Appends the text of a text node (entities decoded), with HTML white
/// space collapsed when `collapse` (a no-break space counts as white space
/// then), to `out`; returns (chars, commas).
pub(super) fn append_text(s: &str, out: &mut String, collapse: bool) -> (u32, u32) {
    let b = s.as_bytes();
    let mut chars = 0u32;
    let mut commas = 0u32;
    let mut last_space = out.is_empty() || out.ends_with(' ');
    let mut pending = false;
    // Byte walk: plain runs are copied in one go; only white space needs
    // attention.
    let mut run = 0usize;
    let mut i = 0usize;
    while i < b.len() {
        if !pending {
            // Fast path: printable ASCII other than ',' is one char that
            // needs nothing else.
            let plain = b[i..]
                .iter()
                .take_while(|&&c| c > b' ' && c < 0x7f && c != b',')
                .count();
            if plain > 0 {
                chars += plain as u32;
                last_space = false;
                i += plain;
                continue;
            }
        }
        let c = b[i];
        if collapse {
            let ws = match c {
                b' ' | b'\t' | b'\n' | b'\r' | 0x0c => 1,
                0xC2 if b.get(i + 1) == Some(&0xA0) => 2,
                _ => 0,
            };
            if ws > 0 {
                out.push_str(&s[run..i]);
                pending |= !last_space;
                i += ws;
                run = i;
                continue;
            }
        }
        if pending {
            // `run` starts here: the white space before was skipped.
            out.push(' ');
            chars += 1;
            pending = false;
        }
        if c & 0xC0 != 0x80 {
            chars += 1;
        }
        // ',' and the CJK/Arabic commas (，、،) count as clause breaks.
        if c == b','
            || (c == 0xEF && b.get(i + 1) == Some(&0xBC) && b.get(i + 2) == Some(&0x8C))
            || (c == 0xE3 && b.get(i + 1) == Some(&0x80) && b.get(i + 2) == Some(&0x81))
            || (c == 0xD8 && b.get(i + 1) == Some(&0x8C))
        {
            commas += 1;
        }
        last_space = false;
        i += 1;
    }
    out.push_str(&s[run..]);
    if pending {
        out.push(' ');
    }
    (chars, commas)
}

/// Raw text content of an element whose children are text (title, script).
fn child_text(dom: &Dom, id: NodeId, collapse: bool) -> String {
    let mut out = String::new();
    for c in dom.children(id) {
        if let NodeData::Text(t) = &dom.node(c).data {
            append_text(t, &mut out, collapse);
        }
    }
    out
}

/// Copies the DOM into the arena in one iterative pre-order walk, reading
/// the page metadata and every element's signals on the way.
pub(super) fn build_arena(dom: Dom) -> Arena {
    let mut arena = Arena {
        dom,
        nodes: Vec::with_capacity(4096),
        text: String::with_capacity(64 * 1024),
        meta: PageMeta::default(),
        body: NO_NODE,
    };
    let mut stack: Vec<Frame> = Vec::with_capacity(256);
    let mut space_pending = false;
    // The document node's children (doctype, <html>) are the roots.
    for c in arena.dom.children(dom::DOCUMENT).rev() {
        stack.push(Frame {
            dom_node: c,
            parent: NO_NODE,
            signals: 0,
            in_head: false,
        });
    }
    while let Some(f) = stack.pop() {
        let idx = arena.nodes.len() as u32;
        let dom = &arena.dom;
        match &dom.node(f.dom_node).data {
            NodeData::Element { name, .. } => {
                let kind = classify_tag(&name.local);
                let tag = match kind {
                    Kind::Keep(t) => t,
                    Kind::Drop => {
                        continue;
                    }
                    Kind::DropInput => {
                        if f.parent != NO_NODE {
                            let p = &mut arena.nodes[f.parent as usize];
                            p.inputs = p.inputs.saturating_add(1);
                        }
                        continue;
                    }
                    Kind::DropEmbed => {
                        if f.parent != NO_NODE {
                            let p = &mut arena.nodes[f.parent as usize];
                            p.embeds = p.embeds.saturating_add(1);
                        }
                        continue;
                    }
                    Kind::Meta => {
                        let a = read_attrs(dom, f.dom_node, true);
                        if let Some(c) = a.content {
                            let c = c.trim().to_string();
                            if !c.is_empty() {
                                for k in a.meta_keys {
                                    arena.meta.metas.push((k, c.clone()));
                                }
                            }
                        }
                        continue;
                    }
                    Kind::Link => {
                        let a = read_attrs(dom, f.dom_node, true);
                        if arena.meta.canonical.is_none() && a.rel_canonical {
                            arena.meta.canonical = a.href.filter(|h| !h.is_empty());
                        }
                        continue;
                    }
                    Kind::Title => {
                        if arena.meta.title.is_none() {
                            let t = child_text(dom, f.dom_node, true);
                            if !t.trim().is_empty() {
                                arena.meta.title = Some(t);
                            }
                        }
                        continue;
                    }
                    Kind::Script => {
                        let a = read_attrs(dom, f.dom_node, false);
                        if a.ld_json && arena.meta.jsonld.len() < 32 {
                            arena.meta.jsonld.push(child_text(dom, f.dom_node, false));
                        }
                        continue;
                    }
                };
                let a = read_attrs(dom, f.dom_node, false);
                let class_info = &a.class_info;
                let mut removal = 0u8;
                let mut signals = f.signals & S_INHERITED;
                if a.is_hidden() {
                    removal |= RM_HIDDEN;
                }
                if f.in_head || tag == Tag::Head {
                    removal |= RM_HIDDEN;
                }
                let is_root = matches!(tag, Tag::Body | Tag::Html);
                // Tag-based furniture.
                match tag {
                    Tag::Nav | Tag::Aside | Tag::Footer | Tag::Form => removal |= RM_LAYOUT,
                    // A <header> inside an article is the article's own
                    // header (headline, standfirst, byline), not the site's.
                    Tag::Header if f.signals & S_IN_ARTICLE == 0 => removal |= RM_LAYOUT,
                    _ => {}
                }
                match a.role {
                    Role::Layout => removal |= RM_LAYOUT,
                    Role::Boiler => removal |= RM_BOILER,
                    Role::Main => signals |= S_MARK_MAIN,
                    Role::None => {}
                }
                // Syntax highlighters mark code comments as "comment"
                // ("hljs-comment", "token comment"): inside code, classes
                // style tokens and say nothing about page structure.
                let in_code = f.signals & S_IN_PRE != 0;
                // Links are words of their sentence ("popup" glossary links
                // in prose); Readability exempts them too. Share buttons
                // go with their container.
                if !is_root && !class_info.math && !in_code && tag != Tag::A {
                    if class_info.comment {
                        removal |= RM_BOILER | RM_COMMENT;
                    }
                    if class_info.boiler {
                        removal |= RM_BOILER;
                    }
                    if class_info.layout || (class_info.weak_neg && !class_info.positive) {
                        removal |= RM_LAYOUT;
                    }
                }
                if class_info.positive {
                    signals |= S_POSITIVE;
                }
                if a.itemprop_body
                    || (class_info.mark_body && !class_info.comment && !class_info.boiler)
                {
                    signals |= S_MARK_BODY;
                }
                if tag == Tag::Article && removal & RM_CLASS == 0 {
                    signals |= S_MARK_ARTICLE;
                }
                if signals & (S_MARK_ARTICLE | S_MARK_BODY) != 0 {
                    signals |= S_IN_ARTICLE;
                }
                if (tag == Tag::Main || class_info.mark_main) && removal & RM_BOILER == 0 {
                    signals |= S_MARK_MAIN;
                }
                if class_info.byline || tag == Tag::Time || tag == Tag::Address {
                    signals |= S_BYLINE;
                }
                if class_info.author || a.rel_author || a.itemprop_author {
                    signals |= S_AUTHOR;
                }
                if class_info.caption || tag == Tag::Figcaption {
                    signals |= S_CAPTION;
                }
                // Only an <a> with an href is a link. A named anchor is
                // often left open ("<a name=top>", or "<a name=x/>", whose
                // slash HTML ignores), and the parser then wraps the rest
                // of the page in it: counting that as link text would make
                // the whole article read as a link list.
                if tag == Tag::A && a.has_href {
                    if a.rel_tag {
                        signals |= S_REL_TAG;
                    }
                    signals |= S_IN_LINK;
                    if a.href_hash {
                        signals |= S_HASH_LINK;
                    }
                }
                if matches!(tag, Tag::Pre | Tag::Code) {
                    signals |= S_IN_PRE;
                }
                if tag == Tag::Figure {
                    signals |= S_IN_FIGURE;
                }
                if matches!(tag, Tag::Nav | Tag::Aside) || (class_info.comment && !is_root) {
                    signals |= S_SIDEBARISH;
                }
                if tag == Tag::Body && arena.body == NO_NODE {
                    arena.body = idx;
                }
                // Metadata-bearing elements are remembered by index; whether
                // they count depends on where the article ends up.
                if a.itemprop_date {
                    let v = a
                        .content
                        .clone()
                        .or_else(|| a.datetime.clone())
                        .unwrap_or_default();
                    arena.meta.itemprop_dates.push((idx, v));
                }
                if tag == Tag::Time {
                    arena
                        .meta
                        .times
                        .push((idx, a.datetime.clone().unwrap_or_default(), a.pubdate));
                }
                arena.nodes.push(Node {
                    dom_node: f.dom_node,
                    parent: f.parent,
                    end: idx + 1,
                    tag,
                    removal,
                    signals,
                    class_weight: a.class_info.weight.clamp(-100, 100) as i16,
                    text_chars: 0,
                    commas: 0,
                    text_start: 0,
                    text_end: 0,
                    space_before: false,
                    inputs: 0,
                    embeds: 0,
                });
                let in_head = f.in_head || tag == Tag::Head;
                for c in dom.children(f.dom_node).rev() {
                    stack.push(Frame {
                        dom_node: c,
                        parent: idx,
                        signals,
                        in_head,
                    });
                }
            }
            NodeData::Document | NodeData::Other => {}
            NodeData::Text(t) => {
                // Text (doctype and processing instructions only occur at
                // the top level, outside any element).
                if f.parent == NO_NODE || f.in_head {
                    continue;
                }
                let text_start = arena.text.len();
                let (text_chars, commas) = append_text(t, &mut arena.text, true);
                if text_chars == 0 {
                    // White space only: not a node, but the next text on
                    // the same line is spaced from the previous one.
                    arena.text.truncate(text_start);
                    space_pending = true;
                    continue;
                }
                arena.nodes.push(Node {
                    dom_node: f.dom_node,
                    parent: f.parent,
                    end: idx + 1,
                    tag: Tag::Text,
                    removal: 0,
                    signals: f.signals & S_INHERITED,
                    class_weight: 0,
                    text_chars,
                    commas,
                    text_start: text_start as u32,
                    text_end: arena.text.len() as u32,
                    space_before: std::mem::take(&mut space_pending),
                    inputs: 0,
                    embeds: 0,
                });
            }
        }
    }
    // Subtree ends: a child's range closes inside its parent's.
    for i in (0..arena.nodes.len()).rev() {
        let p = arena.nodes[i].parent;
        if p != NO_NODE {
            let e = arena.nodes[i].end;
            if e > arena.nodes[p as usize].end {
                arena.nodes[p as usize].end = e;
            }
        }
    }
    arena
}

/// Returns true if and only if node `inner` is `outer` or inside it.
pub(super) fn contains(arena: &Arena, outer: u32, inner: u32) -> bool {
    outer <= inner && inner < arena.nodes[outer as usize].end
}

/// Collapsed text of a subtree (for short elements: headings, bylines).
pub(super) fn subtree_text(arena: &Arena, i: u32, excluded: Option<&[bool]>) -> String {
    let mut s = String::new();
    let end = arena.nodes[i as usize].end;
    for j in i..end {
        let node = &arena.nodes[j as usize];
        if node.tag == Tag::Text && excluded.is_none_or(|e| !e[j as usize]) {
            s.push_str(arena.text_of(node));
        }
        if s.len() > 4000 {
            break;
        }
    }
    let t = s.split_whitespace().collect::<Vec<_>>().join(" ");
    t
}
#[cfg(test)]
mod tests {
    use crate::ingest::html::extract_html;
    use crate::ingest::html::test_pages::{article, page, P2, P3};

    #[test]
    fn drops_scripts_styles_forms_and_controls() {
        let body = article(
            "<script>var secret = 'SCRIPTTEXT';</script><style>.x{}</style><noscript>NOSCRIPTTEXT</noscript>\
             <template>TEMPLATETEXT</template><button>BUTTONTEXT</button><select><option>OPTIONTEXT</option></select>\
             <svg><text>SVGTEXT</text></svg><iframe>IFRAMETEXT</iframe><!-- COMMENTTEXT -->",
        );
        let d = extract_html(&page("", &body));
        assert!(d.text.contains("spear-phishing") && d.text.contains("scheduled task, and reset"));
        for junk in [
            "SCRIPTTEXT",
            "NOSCRIPTTEXT",
            "TEMPLATETEXT",
            "BUTTONTEXT",
            "OPTIONTEXT",
            "SVGTEXT",
            "IFRAMETEXT",
            "COMMENTTEXT",
        ] {
            assert!(!d.text.contains(junk), "{junk} leaked: {}", d.text);
        }
    }

    #[test]
    fn text_unescaping_and_whitespace() {
        let body = format!("<article><p>a &lt;b&gt; &amp; c&nbsp;d   e\n\tf, and more words to make it long enough here.</p>{P2}{P3}</article>");
        let d = extract_html(&page("", &body));
        assert!(d.text.contains("a <b> & c"), "{}", d.text);
    }
}
