//! Markdown reports as plain text: what a reader sees, without the markup
//! (`**`, `#`, `[text](url)`, table pipes of the syntax), so snippets and
//! titles read as prose. Parsing is CommonMark with GitHub's tables,
//! strikethrough, task lists and footnotes (pulldown-cmark).
//!
//! A link keeps its address after its text, "text (url)", unless the text
//! is the address: a reference list still names its sources, and an
//! indicator written as a link is still found.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// Renders Markdown `source` as plain text: one line per paragraph line,
/// blank lines between blocks, list items as `- item` (`1. item` when
/// numbered), table rows as cells joined by ` | `, code as written.
pub fn to_text(source: &str) -> String {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES;
    let mut out = String::with_capacity(source.len());
    // Per open list: the next item number, or None for bullets.
    let mut lists: Vec<Option<u64>> = Vec::new();
    // Per open link: where its text starts in `out`, and its address.
    let mut links: Vec<(usize, String)> = Vec::new();
    let mut first_cell = true;
    // After a link's "(address)": text glued to it ("](…)],[5]") would read
    // as part of the address, so it is set off by a space.
    let mut after_address = false;
    for event in Parser::new_ext(source, options) {
        if after_address {
            after_address = false;
            if let Event::Text(t) | Event::Code(t) = &event {
                if t.starts_with(|c: char| !c.is_whitespace() && !".,;:!?".contains(c)) {
                    out.push(' ');
                }
            }
        }
        match event {
            Event::Start(tag) => match tag {
                Tag::Paragraph | Tag::Heading { .. } | Tag::BlockQuote(_) | Tag::Table(_) => {
                    end_block(&mut out)
                }
                Tag::CodeBlock(_) | Tag::HtmlBlock => end_block(&mut out),
                Tag::List(start) => {
                    new_line(&mut out);
                    lists.push(start);
                }
                Tag::Item => {
                    new_line(&mut out);
                    match lists.last_mut() {
                        Some(Some(n)) => {
                            out.push_str(&format!("{n}. "));
                            *n += 1;
                        }
                        _ => out.push_str("- "),
                    }
                }
                Tag::TableHead | Tag::TableRow => {
                    new_line(&mut out);
                    first_cell = true;
                }
                Tag::TableCell => {
                    if !first_cell {
                        out.push_str(" | ");
                    }
                    first_cell = false;
                }
                Tag::Link { dest_url, .. } => links.push((out.len(), dest_url.into_string())),
                Tag::FootnoteDefinition(label) => {
                    end_block(&mut out);
                    out.push_str(&format!("[{label}] "));
                }
                _ => {}
            },
            Event::End(tag) => match tag {
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::BlockQuote(_)
                | TagEnd::CodeBlock
                | TagEnd::HtmlBlock
                | TagEnd::Table => end_block(&mut out),
                TagEnd::List(_) => {
                    lists.pop();
                    end_block(&mut out);
                }
                TagEnd::Item | TagEnd::TableHead | TagEnd::TableRow => new_line(&mut out),
                TagEnd::Link => {
                    if let Some((start, url)) = links.pop() {
                        let text = out.get(start..).unwrap_or("").trim();
                        let url = url.trim();
                        let shown = url.strip_prefix("mailto:").unwrap_or(url);
                        if !shown.is_empty() && !shown.starts_with('#') && text != shown {
                            out.push_str(&format!(" ({shown})"));
                            after_address = true;
                        }
                    }
                }
                _ => {}
            },
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                out.push_str(&t)
            }
            Event::InlineMath(t) | Event::DisplayMath(t) => out.push_str(&t),
            Event::FootnoteReference(label) => out.push_str(&format!("[{label}]")),
            Event::SoftBreak | Event::HardBreak => out.push('\n'),
            Event::Rule => end_block(&mut out),
            Event::TaskListMarker(done) => out.push_str(if done { "[x] " } else { "[ ] " }),
        }
    }
    out
}

/// Ends the current line, unless at the start of one.
fn new_line(out: &mut String) {
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

/// Ends the current block with a blank line.
fn end_block(out: &mut String) {
    new_line(out);
    if !out.is_empty() && !out.ends_with("\n\n") {
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::to_text;

    #[test]
    fn markup_goes_text_stays() {
        let md = "# APT28 **abuses** Outlook\n\nThe *group* sent `mail.exe` from \
                  [a lure site](hxxps://mail-gov-ua[.]zip/login) and \
                  <https://example.org/x>.\n\n## IOCs\n\n- 45.77.12[.]9\n- **C2:** \
                  update-check[.]evil-cdn[.]com\n\n1. first\n2. second\n";
        let t = to_text(md);
        assert!(t.starts_with("APT28 abuses Outlook\n\n"), "{t}");
        assert!(t.contains("The group sent mail.exe from a lure site (hxxps://mail-gov-ua[.]zip/login) and https://example.org/x."), "{t}");
        assert!(
            t.contains("IOCs\n\n- 45.77.12[.]9\n- C2: update-check[.]evil-cdn[.]com"),
            "{t}"
        );
        assert!(t.contains("1. first\n2. second"), "{t}");
        assert!(
            !t.contains("**") && !t.contains("](") && !t.contains('#'),
            "{t}"
        );
    }

    #[test]
    fn text_glued_to_a_link_is_set_apart_from_its_address() {
        let t =
            to_text("\\[[4](https://ex.org/a.pdf \"Guide\")\\],\\[[5](https://ex.org/b)\\]. Done.");
        assert!(t.contains("(https://ex.org/a.pdf) ],["), "{t}");
        assert!(t.contains("(https://ex.org/b) ]. Done."), "{t}");
        let t =
            to_text("See [the advisory](https://ex.org/a). Then [more](https://ex.org/m), too.");
        assert!(
            t.contains("(https://ex.org/a). Then more (https://ex.org/m), too."),
            "{t}"
        );
    }

    #[test]
    fn tables_become_rows() {
        let md = "| type | value |\n|---|---|\n| ip | 45.77.12[.]9 |\n| sha256 | 275a021b |\n";
        let t = to_text(md);
        assert!(
            t.contains("type | value\nip | 45.77.12[.]9\nsha256 | 275a021b"),
            "{t}"
        );
    }

    #[test]
    fn defanged_brackets_and_escapes_read_as_written() {
        let t = to_text("Block evil\\[.\\]com and hxxp://bad[.]example[/]x and 10.0.0[.]1.");
        assert!(t.contains("evil[.]com"), "{t}");
        assert!(t.contains("hxxp://bad[.]example[/]x"), "{t}");
        assert!(t.contains("10.0.0[.]1"), "{t}");
    }
}
