//! Lays a reader fragment out for a terminal with html2text: wrapped to the
//! width, headings and lists kept, links as numbered footnotes.

/// Narrowest and widest layouts: very wide lines are hard to read.
const MIN_WIDTH: usize = 20;
const MAX_WIDTH: usize = 100;

/// The fragment as text `width` columns wide (clamped to a readable width).
pub fn render(fragment: &str, width: usize) -> String {
    let width = width.clamp(MIN_WIDTH, MAX_WIDTH);
    html2text::config::plain()
        .link_footnotes(true)
        .string_from_read(fragment.as_bytes(), width)
        // html2text fails only on a width too small for its layout; the
        // plain text is still worth showing then.
        .unwrap_or_else(|_| {
            html2text::config::plain()
                .raw_mode(true)
                .string_from_read(fragment.as_bytes(), MAX_WIDTH)
                .unwrap_or_default()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_lists_and_link_footnotes() {
        let text = render(
            r#"<h2>Initial access</h2><ul><li>one</li><li>two</li></ul><p>See <a href="https://example.com/x">the advisory</a> for more.</p>"#,
            60,
        );
        assert!(text.contains("## Initial access"), "{text}");
        assert!(text.contains("* one"), "{text}");
        assert!(text.contains("[the advisory][1]"), "{text}");
        assert!(text.contains("[1]: https://example.com/x"), "{text}");
    }

    #[test]
    fn wraps_to_the_width() {
        let p = format!("<p>{}</p>", "word ".repeat(60));
        let text = render(&p, 40);
        assert!(text.lines().all(|l| l.chars().count() <= 40), "{text}");
        assert!(text.lines().count() > 5);
    }
}
