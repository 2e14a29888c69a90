//! Element kinds: takes a tag name, gives the [`Tag`] the later stages
//! reason about, or what to do instead of keeping the element ([`Kind`]:
//! drop it, count it as a form control or embed, or read it for metadata).

/// The element kinds the extractor reasons about; everything else is `Other`
/// (inline) or `OtherBlock`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Tag {
    Text,
    A,
    P,
    Div,
    Section,
    Article,
    Main,
    H(u8),
    Pre,
    Code,
    Td,
    Th,
    Table,
    Ul,
    Ol,
    Li,
    Dl,
    Dt,
    Dd,
    Blockquote,
    Img,
    Figure,
    Header,
    Footer,
    Nav,
    Aside,
    Form,
    Fieldset,
    Time,
    Address,
    /// `<figcaption>`.
    Figcaption,
    /// `<br>`: a line break inside a block (a block for scoring).
    Br,
    Body,
    Html,
    Head,
    OtherBlock,
    Other,
}

impl Tag {
    /// Block-level elements end a run of inline text: text is credited to
    /// its nearest block ancestor, which is the "paragraph" that gets scored.
    pub(super) fn is_block(self) -> bool {
        !matches!(
            self,
            Tag::Text | Tag::A | Tag::Code | Tag::Img | Tag::Time | Tag::Other
        )
    }
}

/// What to do with an element on sight, from its tag name alone.
pub(super) enum Kind {
    Keep(Tag),
    /// Never content: not copied into the arena and cut from the rendering.
    Drop,
    /// Never content, but counted: form controls and embeds weigh in the
    /// "is this block boilerplate?" decision.
    DropInput,
    DropEmbed,
    /// Read for metadata, then dropped.
    Meta,
    Link,
    Title,
    Script,
}

/// Classifies an element by its (lowercase) tag name.
pub(super) fn classify_tag(name: &str) -> Kind {
    use Kind::*;
    match name {
        "a" => Keep(Tag::A),
        "p" => Keep(Tag::P),
        "div" => Keep(Tag::Div),
        "section" => Keep(Tag::Section),
        "article" => Keep(Tag::Article),
        "main" => Keep(Tag::Main),
        "h1" => Keep(Tag::H(1)),
        "h2" => Keep(Tag::H(2)),
        "h3" => Keep(Tag::H(3)),
        "h4" => Keep(Tag::H(4)),
        "h5" => Keep(Tag::H(5)),
        "h6" => Keep(Tag::H(6)),
        "pre" => Keep(Tag::Pre),
        "code" => Keep(Tag::Code),
        "td" => Keep(Tag::Td),
        "th" => Keep(Tag::Th),
        "table" => Keep(Tag::Table),
        "ul" => Keep(Tag::Ul),
        "ol" => Keep(Tag::Ol),
        "li" => Keep(Tag::Li),
        "dl" => Keep(Tag::Dl),
        "dt" => Keep(Tag::Dt),
        "dd" => Keep(Tag::Dd),
        "blockquote" => Keep(Tag::Blockquote),
        "img" => Keep(Tag::Img),
        "figure" => Keep(Tag::Figure),
        "header" => Keep(Tag::Header),
        "footer" => Keep(Tag::Footer),
        "nav" => Keep(Tag::Nav),
        "aside" => Keep(Tag::Aside),
        "form" => Keep(Tag::Form),
        "fieldset" => Keep(Tag::Fieldset),
        "time" => Keep(Tag::Time),
        "address" => Keep(Tag::Address),
        "br" => Keep(Tag::Br),
        "body" => Keep(Tag::Body),
        "html" => Keep(Tag::Html),
        "head" => Keep(Tag::Head),
        "figcaption" => Keep(Tag::Figcaption),
        "tr" | "tbody" | "thead" | "tfoot" | "caption" | "center" | "details" | "summary"
        | "hr" | "ruby" | "menu" | "dialog" | "hgroup" | "colgroup" => Keep(Tag::OtherBlock),
        "script" => Script,
        "meta" => Meta,
        "link" => Link,
        "title" => Title,
        "style" | "noscript" | "template" | "svg" | "canvas" | "map" | "base" | "noembed"
        | "noframes" | "datalist" | "option" | "optgroup" | "source" | "track" | "param"
        | "area" | "frameset" | "frame" => Drop,
        "input" | "button" | "select" | "textarea" | "label" | "output" | "progress" | "meter" => {
            DropInput
        }
        "iframe" | "object" | "embed" | "video" | "audio" | "applet" => DropEmbed,
        _ => Keep(Tag::Other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_names_map_to_kinds_and_blocks_end_inline_runs() {
        assert!(matches!(classify_tag("p"), Kind::Keep(Tag::P)));
        assert!(matches!(classify_tag("h3"), Kind::Keep(Tag::H(3))));
        assert!(matches!(
            classify_tag("figcaption"),
            Kind::Keep(Tag::Figcaption)
        ));
        assert!(matches!(classify_tag("span"), Kind::Keep(Tag::Other)));
        assert!(matches!(classify_tag("style"), Kind::Drop));
        assert!(matches!(classify_tag("button"), Kind::DropInput));
        assert!(matches!(classify_tag("iframe"), Kind::DropEmbed));
        assert!(matches!(classify_tag("meta"), Kind::Meta));
        assert!(matches!(classify_tag("script"), Kind::Script));
        assert!(Tag::P.is_block() && Tag::Br.is_block() && Tag::OtherBlock.is_block());
        assert!(!Tag::A.is_block() && !Tag::Code.is_block() && !Tag::Other.is_block());
    }
}
