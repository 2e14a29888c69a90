//! The page's DOM as html5ever builds it, held in one flat vector.
//!
//! html5ever's tree builder (the HTML standard's error recovery: implied end
//! tags, foster parenting, the adoption agency) talks to a [`TreeSink`]. This
//! one keeps every node in a `Vec` and links them by index (parent, first and
//! last child, siblings), so building the tree costs one push per node instead
//! of a reference-counted allocation with its own child vector, the text of a
//! text node is the decoded tendril the tokenizer produced (no serialising and
//! unescaping to read it back), and dropping the tree is freeing one vector.
//!
//! The tree is the one html5ever's reference DOM (`RcDom`) would hold:
//! adjacent text is merged the same way, and a `<template>`'s contents go to a
//! separate fragment that is not among its children.

use std::cell::RefCell;

use html5ever::interface::tree_builder::{
    ElemName, ElementFlags, NodeOrText, QuirksMode, TreeSink,
};
use html5ever::tendril::StrTendril;
use html5ever::{Attribute, LocalName, Namespace, QualName};

/// A node index; [`NONE`] for "no node".
pub type NodeId = u32;

/// No node.
pub const NONE: NodeId = u32::MAX;

/// The document node's index.
pub const DOCUMENT: NodeId = 0;

/// What a node is.
pub enum NodeData {
    /// The document, or a template's contents fragment.
    Document,
    /// `<!DOCTYPE>`, comments and processing instructions: never text.
    Other,
    /// Text, entities decoded.
    Text(StrTendril),
    /// An element.
    Element {
        /// Its name.
        name: QualName,
        /// Its attributes, as written (duplicates dropped by the tokenizer).
        attrs: Vec<Attribute>,
        /// A `<template>`'s contents fragment, else [`NONE`].
        template: NodeId,
    },
}

/// One node and its links.
pub struct Node {
    /// Parent, or [`NONE`].
    pub parent: NodeId,
    /// First child, or [`NONE`].
    pub first: NodeId,
    /// Last child, or [`NONE`].
    pub last: NodeId,
    /// Previous sibling, or [`NONE`].
    pub prev: NodeId,
    /// Next sibling, or [`NONE`].
    pub next: NodeId,
    /// What it is.
    pub data: NodeData,
}

/// A parsed page. Node 0 is the document.
pub struct Dom {
    /// All nodes, including detached ones (template fragments, nodes the
    /// tree builder removed).
    pub nodes: Vec<Node>,
}

impl Dom {
    /// The node at `id`.
    #[inline]
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id as usize]
    }

    /// The children of `id`, first to last (`.rev()` for last to first).
    pub fn children(&self, id: NodeId) -> Children<'_> {
        let n = self.node(id);
        Children {
            dom: self,
            front: n.first,
            back: n.last,
        }
    }

    /// The value of attribute `name` of element `id`, if it has one.
    pub fn attr(&self, id: NodeId, name: &str) -> Option<&str> {
        match &self.node(id).data {
            NodeData::Element { attrs, .. } => attrs
                .iter()
                .find(|a| &*a.name.local == name)
                .map(|a| &*a.value),
            _ => None,
        }
    }
}

/// Iterator over a node's children, from either end.
pub struct Children<'a> {
    dom: &'a Dom,
    /// The next child from the front and from the back; both [`NONE`] once
    /// they have met.
    front: NodeId,
    back: NodeId,
}

impl Children<'_> {
    /// Yields the child at the front or the back and moves that end past it.
    fn take(&mut self, from_front: bool) -> Option<NodeId> {
        let id = if from_front { self.front } else { self.back };
        if id == NONE {
            return None;
        }
        if self.front == self.back {
            self.front = NONE;
            self.back = NONE;
        } else if from_front {
            self.front = self.dom.node(id).next;
        } else {
            self.back = self.dom.node(id).prev;
        }
        Some(id)
    }
}

impl Iterator for Children<'_> {
    type Item = NodeId;

    fn next(&mut self) -> Option<NodeId> {
        self.take(true)
    }
}

impl DoubleEndedIterator for Children<'_> {
    fn next_back(&mut self) -> Option<NodeId> {
        self.take(false)
    }
}

/// Parses a whole page (scripting off, as a reader view sees it).
pub fn parse(html: &str) -> Dom {
    use html5ever::tendril::TendrilSink;
    let opts = html5ever::ParseOpts {
        tree_builder: html5ever::tree_builder::TreeBuilderOpts {
            scripting_enabled: false,
            ..Default::default()
        },
        ..Default::default()
    };
    html5ever::parse_document(Sink::new(html.len()), opts).one(html)
}

/// The tree builder's view of the DOM while it is built.
struct Sink {
    nodes: RefCell<Vec<Node>>,
}

/// An element's name, handed to the tree builder by value (atoms are cheap
/// to clone) so that no borrow of the node vector outlives a call.
#[derive(Debug)]
struct Name {
    ns: Namespace,
    local: LocalName,
}

impl ElemName for Name {
    fn ns(&self) -> &Namespace {
        &self.ns
    }

    fn local_name(&self) -> &LocalName {
        &self.local
    }
}

fn new_node(data: NodeData) -> Node {
    Node {
        parent: NONE,
        first: NONE,
        last: NONE,
        prev: NONE,
        next: NONE,
        data,
    }
}

impl Sink {
    fn new(page_len: usize) -> Sink {
        // About one node per 60 bytes of (pre-cut) markup.
        let mut nodes = Vec::with_capacity(page_len / 60 + 16);
        nodes.push(new_node(NodeData::Document));
        Sink {
            nodes: RefCell::new(nodes),
        }
    }

    fn push(&self, data: NodeData) -> NodeId {
        let mut n = self.nodes.borrow_mut();
        n.push(new_node(data));
        (n.len() - 1) as NodeId
    }
}

/// Detaches `id` from its parent and siblings.
fn unlink(n: &mut [Node], id: NodeId) {
    let (parent, prev, next) = {
        let x = &n[id as usize];
        (x.parent, x.prev, x.next)
    };
    if parent == NONE {
        return;
    }
    if prev == NONE {
        n[parent as usize].first = next;
    } else {
        n[prev as usize].next = next;
    }
    if next == NONE {
        n[parent as usize].last = prev;
    } else {
        n[next as usize].prev = prev;
    }
    let x = &mut n[id as usize];
    x.parent = NONE;
    x.prev = NONE;
    x.next = NONE;
}

/// Makes `id` (detached first if needed) the last child of `parent`.
fn link_last(n: &mut [Node], parent: NodeId, id: NodeId) {
    unlink(n, id);
    let last = n[parent as usize].last;
    {
        let x = &mut n[id as usize];
        x.parent = parent;
        x.prev = last;
    }
    if last == NONE {
        n[parent as usize].first = id;
    } else {
        n[last as usize].next = id;
    }
    n[parent as usize].last = id;
}

/// Puts `id` (detached first if needed) right before `sibling`.
fn link_before(n: &mut [Node], sibling: NodeId, id: NodeId) {
    unlink(n, id);
    let (parent, prev) = {
        let s = &n[sibling as usize];
        (s.parent, s.prev)
    };
    {
        let x = &mut n[id as usize];
        x.parent = parent;
        x.prev = prev;
        x.next = sibling;
    }
    n[sibling as usize].prev = id;
    if prev == NONE {
        n[parent as usize].first = id;
    } else {
        n[prev as usize].next = id;
    }
}

/// Appends `text` to node `id` if it is a text node.
fn extend_text(n: &mut [Node], id: NodeId, text: &StrTendril) -> bool {
    if id == NONE {
        return false;
    }
    match &mut n[id as usize].data {
        NodeData::Text(t) => {
            t.push_tendril(text);
            true
        }
        _ => false,
    }
}

impl TreeSink for Sink {
    type Handle = NodeId;
    type Output = Dom;
    type ElemName<'a> = Name;

    fn finish(self) -> Dom {
        Dom {
            nodes: self.nodes.into_inner(),
        }
    }

    fn parse_error(&self, _msg: std::borrow::Cow<'static, str>) {}

    fn get_document(&self) -> NodeId {
        DOCUMENT
    }

    fn elem_name<'a>(&'a self, target: &'a NodeId) -> Name {
        match &self.nodes.borrow()[*target as usize].data {
            NodeData::Element { name, .. } => Name {
                ns: name.ns.clone(),
                local: name.local.clone(),
            },
            // The tree builder only asks for names of elements; an empty
            // name matches nothing.
            _ => Name {
                ns: html5ever::ns!(),
                local: html5ever::local_name!(""),
            },
        }
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> NodeId {
        let template = if flags.template {
            self.push(NodeData::Document)
        } else {
            NONE
        };
        self.push(NodeData::Element {
            name,
            attrs,
            template,
        })
    }

    fn create_comment(&self, _text: StrTendril) -> NodeId {
        self.push(NodeData::Other)
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> NodeId {
        self.push(NodeData::Other)
    }

    fn append(&self, parent: &NodeId, child: NodeOrText<NodeId>) {
        match child {
            NodeOrText::AppendText(text) => {
                let mut n = self.nodes.borrow_mut();
                let last = n[*parent as usize].last;
                if !extend_text(&mut n, last, &text) {
                    n.push(new_node(NodeData::Text(text)));
                    let id = (n.len() - 1) as NodeId;
                    link_last(&mut n, *parent, id);
                }
            }
            NodeOrText::AppendNode(id) => link_last(&mut self.nodes.borrow_mut(), *parent, id),
        }
    }

    fn append_based_on_parent_node(
        &self,
        element: &NodeId,
        prev_element: &NodeId,
        child: NodeOrText<NodeId>,
    ) {
        let has_parent = self.nodes.borrow()[*element as usize].parent != NONE;
        if has_parent {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev_element, child);
        }
    }

    fn append_doctype_to_document(
        &self,
        _name: StrTendril,
        _public: StrTendril,
        _system: StrTendril,
    ) {
        let id = self.push(NodeData::Other);
        link_last(&mut self.nodes.borrow_mut(), DOCUMENT, id);
    }

    fn get_template_contents(&self, target: &NodeId) -> NodeId {
        let existing = match &self.nodes.borrow()[*target as usize].data {
            NodeData::Element { template, .. } => *template,
            _ => NONE,
        };
        if existing != NONE {
            return existing;
        }
        // Only asked of templates, which have a fragment; anything else gets
        // a fresh detached one rather than a panic.
        let frag = self.push(NodeData::Document);
        if let NodeData::Element { template, .. } =
            &mut self.nodes.borrow_mut()[*target as usize].data
        {
            *template = frag;
        }
        frag
    }

    fn same_node(&self, x: &NodeId, y: &NodeId) -> bool {
        x == y
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &NodeId, child: NodeOrText<NodeId>) {
        let mut n = self.nodes.borrow_mut();
        if n[*sibling as usize].parent == NONE {
            // Not in the tree: there is no place "before" it.
            return;
        }
        match child {
            NodeOrText::AppendText(text) => {
                let prev = n[*sibling as usize].prev;
                if !extend_text(&mut n, prev, &text) {
                    n.push(new_node(NodeData::Text(text)));
                    let id = (n.len() - 1) as NodeId;
                    link_before(&mut n, *sibling, id);
                }
            }
            NodeOrText::AppendNode(id) => link_before(&mut n, *sibling, id),
        }
    }

    fn add_attrs_if_missing(&self, target: &NodeId, add: Vec<Attribute>) {
        if let NodeData::Element { attrs, .. } = &mut self.nodes.borrow_mut()[*target as usize].data
        {
            for a in add {
                if !attrs.iter().any(|e| e.name == a.name) {
                    attrs.push(a);
                }
            }
        }
    }

    fn remove_from_parent(&self, target: &NodeId) {
        unlink(&mut self.nodes.borrow_mut(), *target);
    }

    fn reparent_children(&self, node: &NodeId, new_parent: &NodeId) {
        let mut n = self.nodes.borrow_mut();
        let mut c = n[*node as usize].first;
        while c != NONE {
            let next = n[c as usize].next;
            link_last(&mut n, *new_parent, c);
            c = next;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tree as nested tags and text, for comparisons.
    fn outline(dom: &Dom, id: NodeId, out: &mut String) {
        for c in dom.children(id) {
            match &dom.node(c).data {
                NodeData::Element { name, .. } => {
                    out.push('<');
                    out.push_str(&name.local);
                    out.push('>');
                    outline(dom, c, out);
                    out.push_str("</");
                    out.push_str(&name.local);
                    out.push('>');
                }
                NodeData::Text(t) => out.push_str(t),
                _ => {}
            }
        }
    }

    fn tree(html: &str) -> String {
        let dom = parse(html);
        let mut s = String::new();
        outline(&dom, DOCUMENT, &mut s);
        s
    }

    #[test]
    fn implied_structure_and_entities() {
        assert_eq!(
            tree("<p>a &amp; b<p>c&nbsp;d"),
            "<html><head></head><body><p>a & b</p><p>c\u{a0}d</p></body></html>"
        );
    }

    #[test]
    fn misnested_formatting_is_repaired_as_the_standard_says() {
        // The adoption agency moves nodes around: reparent and remove.
        assert_eq!(
            tree("<b>1<p>2</b>3</p>"),
            "<html><head></head><body><b>1</b><p><b>2</b>3</p></body></html>"
        );
    }

    #[test]
    fn foster_parented_text_goes_before_the_table_and_merges() {
        // Text inside <table> but outside cells is moved before the table,
        // next to the text already there.
        assert_eq!(
            tree("<div>x<table>y<tr><td>z</td></tr></table></div>"),
            "<html><head></head><body><div>xy<table><tbody><tr><td>z</td></tr></tbody></table></div></body></html>"
        );
    }

    #[test]
    fn template_contents_are_not_children() {
        let html = "<body><template><p>hidden</p></template><p>shown</p>";
        assert_eq!(
            tree(html),
            "<html><head></head><body><template></template><p>shown</p></body></html>"
        );
    }

    #[test]
    fn children_iterate_from_both_ends() {
        let dom = parse("<ul><li>a<li>b<li>c</ul>");
        let ul = dom
            .nodes
            .iter()
            .position(|n| matches!(&n.data, NodeData::Element { name, .. } if &*name.local == "ul"))
            .expect("ul") as NodeId;
        let fwd: Vec<NodeId> = dom.children(ul).collect();
        let mut back: Vec<NodeId> = dom.children(ul).rev().collect();
        back.reverse();
        assert_eq!(fwd.len(), 3);
        assert_eq!(fwd, back);
        // Front and back meet without yielding a child twice.
        let mut it = dom.children(ul);
        assert_eq!(it.next(), Some(fwd[0]));
        assert_eq!(it.next_back(), Some(fwd[2]));
        assert_eq!(it.next(), Some(fwd[1]));
        assert_eq!(it.next_back(), None);
        assert_eq!(it.next(), None);
        assert_eq!(dom.children(fwd[0]).count(), 1);
    }

    #[test]
    fn attributes_are_kept_and_readable() {
        let dom = parse(r#"<div class="a b" id=x>t</div>"#);
        let div = dom
            .nodes
            .iter()
            .position(
                |n| matches!(&n.data, NodeData::Element { name, .. } if &*name.local == "div"),
            )
            .expect("div") as NodeId;
        assert_eq!(dom.attr(div, "class"), Some("a b"));
        assert_eq!(dom.attr(div, "id"), Some("x"));
        assert_eq!(dom.attr(div, "role"), None);
    }
}
