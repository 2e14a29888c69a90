//! PDF reports: glyphs with their positions from `pdf-extract` (over
//! `lopdf`), grouped into lines here and put in reading order by [`layout`],
//! with title and date from the metadata when they are real, else from the
//! first page.
//!
//! Hostile files are skipped with a reason, never a panic: encrypted ones
//! are opened with the empty user password or skipped "encrypted", scanned
//! ones "no text layer"; a panic inside the parser is contained here, and
//! [`isolate`] runs the extraction in a child process with time and memory
//! limits, since a parser meeting hostile input can also loop or overflow
//! its stack, which no `catch_unwind` stops.

pub mod isolate;
pub mod layout;

use super::SkipReason;
use crate::model::Article;
use chrono::{Datelike, NaiveDate};
use lopdf::{Document as PdfFile, Object};
use serde::{Deserialize, Serialize};

/// Pages beyond this are not read: no report is longer, and a bound on the
/// work one file can cause.
pub const MAX_PAGES: usize = 3000;

/// What extraction gives for one PDF (serialisable: the child process of
/// [`isolate`] sends it back as JSON).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PdfText {
    /// The Info dictionary's or XMP title, when it looks like a real title.
    pub meta_title: Option<String>,
    /// The creation date of the Info dictionary or XMP (ISO `YYYY-MM-DD`),
    /// when plausible.
    pub meta_date: Option<String>,
    /// The largest text near the top of the first page.
    pub page_title: Option<String>,
    /// The first lines of the first page.
    pub first_lines: Vec<String>,
    /// Number of pages.
    pub pages: u32,
    /// Pages that could not be read (their text is missing).
    pub bad_pages: u32,
    /// The text in reading order.
    pub text: String,
}

impl PdfText {
    /// The article: title and date from the metadata when real, else from
    /// the first page (its largest text; a date line). A date printed on the
    /// first page that is earlier than the metadata's wins.
    pub fn into_article(self) -> Result<Article, SkipReason> {
        if self.text.trim().is_empty() {
            return Err(SkipReason::NoText);
        }
        let title = self
            .meta_title
            .or(self.page_title)
            .or_else(|| self.first_lines.first().cloned());
        // The metadata's creation date, unless the first page prints an
        // earlier one: a file made (or re-made) after the report was
        // published carries the later date.
        let meta = self.meta_date.as_deref().and_then(super::date::parse_date);
        let printed = date_of_first_lines(&self.first_lines);
        let date = match (meta, printed) {
            (Some(m), Some(p)) if p < m => Some(p),
            (Some(m), _) => Some(m),
            (None, p) => p,
        };
        Ok(Article {
            title,
            date,
            url: None,
            tags: Vec::new(),
            text: self.text,
        })
    }
}

/// The date of a date line among the first lines of a page ("March 5,
/// 2024", "Published: 2024-03-05", "TLP:CLEAR | 5 March 2024").
fn date_of_first_lines(lines: &[String]) -> Option<NaiveDate> {
    lines.iter().find_map(|l| {
        let l = l.trim();
        super::date::parse_date(l).or_else(|| {
            // A short line that holds a date: a dateline, not a sentence.
            (l.split_whitespace().count() <= 8)
                .then(|| super::date::find_date_in_text(l))
                .flatten()
        })
    })
}

/// Extracts a PDF, containing any panic of the parser as a skip.
pub fn extract_contained(bytes: &[u8]) -> Result<PdfText, SkipReason> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| extract(bytes))) {
        Ok(r) => r,
        Err(_) => Err(SkipReason::Malformed(
            "the PDF parser failed on this file (panic contained)".to_string(),
        )),
    }
}

/// Extracts the text and metadata of a PDF.
pub fn extract(bytes: &[u8]) -> Result<PdfText, SkipReason> {
    let head = &bytes[..bytes.len().min(1024)];
    if memchr::memmem::find(head, b"%PDF-").is_none() {
        return Err(SkipReason::Malformed("no %PDF- header".to_string()));
    }
    let mut doc = PdfFile::load_mem(bytes).map_err(|e| open_error(&e))?;
    if doc.is_encrypted() {
        // Most "protected" reports only restrict printing or copying: their
        // user password is empty and they open without asking.
        doc.decrypt("").map_err(|_| SkipReason::Encrypted)?;
    }
    let page_ids = doc.get_pages();
    if page_ids.is_empty() {
        return Err(SkipReason::Malformed("no pages".to_string()));
    }
    let count = page_ids.len();
    let mut pages = Vec::with_capacity(count.min(MAX_PAGES));
    let mut bad_pages = 0u32;
    for &number in page_ids.keys().take(MAX_PAGES) {
        let mut glyphs = GlyphCollector::default();
        // A panic of the parser costs its page, not the document: about one
        // real report in ten (APTnotes 2008–2015) has a page pdf-extract
        // panics on.
        let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            pdf_extract::output_doc_page(&doc, &mut glyphs, number)
        }));
        match read {
            Ok(Ok(())) => pages.push(glyphs.into_page()),
            Ok(Err(_)) => {
                bad_pages += 1;
                // What the page gave before failing still counts.
                pages.push(glyphs.into_page());
            }
            Err(_) => {
                bad_pages += 1;
                pages.push(plain_page(&doc, number, glyphs.width, glyphs.height));
            }
        }
    }
    let assembled = layout::assemble(&pages);
    if assembled.text.trim().is_empty() {
        if bad_pages as usize == count.min(MAX_PAGES) {
            return Err(SkipReason::Malformed("no page could be read".to_string()));
        }
        // Every tool reports "success, 0 words" for a scanned report: pages
        // that draw images and no text are one.
        let has_images = memchr::memmem::find(bytes, b"/Image").is_some();
        return Err(if has_images {
            SkipReason::NoTextLayer
        } else {
            SkipReason::NoText
        });
    }
    let (meta_title, meta_date) = metadata(&doc);
    Ok(PdfText {
        meta_title,
        meta_date: meta_date.map(|d| d.to_string()),
        page_title: assembled.title,
        first_lines: assembled.first_lines,
        pages: u32::try_from(count).unwrap_or(u32::MAX),
        bad_pages,
        text: assembled.text,
    })
}

/// A page read by lopdf's plain text extraction, for a page whose layout
/// pdf-extract could not read: the text in content-stream order, one line
/// per extracted line, stacked down the page (no columns, no sizes; the
/// words are what matters here). Contained like the layout pass: a panic
/// gives an empty page.
fn plain_page(doc: &PdfFile, number: u32, width: f32, height: f32) -> layout::Page {
    let text = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        doc.extract_text(&[number]).unwrap_or_default()
    }))
    .unwrap_or_default();
    let width = if width > 0.0 { width } else { 612.0 };
    let lines: Vec<layout::Line> = text
        .lines()
        .map(str::split_whitespace)
        .map(|w| w.map(str::to_string).collect::<Vec<_>>())
        .filter(|w| !w.is_empty())
        .enumerate()
        .map(|(i, words)| {
            let top = 12.0 * i as f32;
            layout::Line {
                x0: 0.0,
                x1: width,
                top,
                bottom: top + 10.0,
                size: 10.0,
                words,
            }
        })
        .collect();
    let height = height.max(12.0 * lines.len() as f32 + 12.0);
    layout::Page {
        width,
        height,
        lines,
    }
}

/// The skip reason for a PDF that does not open.
fn open_error(e: &lopdf::Error) -> SkipReason {
    let msg = e.to_string();
    let lower = msg.to_ascii_lowercase();
    if lower.contains("decrypt") || lower.contains("password") || lower.contains("encrypt") {
        SkipReason::Encrypted
    } else {
        SkipReason::Malformed(first_line(&msg))
    }
}

/// The first line of a message, at most 160 characters.
fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or("").chars().take(160).collect()
}

/// Receives the glyphs of one page from `pdf-extract` and groups them into
/// lines of words, measured from the top of the page.
#[derive(Default)]
struct GlyphCollector {
    width: f32,
    height: f32,
    /// The top of the page in user space (y grows upwards there).
    page_top: f32,
    lines: Vec<layout::Line>,
    /// The line being built, its current word, and where its last glyph
    /// ended.
    current: Option<layout::Line>,
    word: String,
    last_end: f32,
    last_y: f32,
}

impl GlyphCollector {
    /// Ends the current word.
    fn end_word(&mut self) {
        if self.word.is_empty() {
            return;
        }
        if let Some(line) = &mut self.current {
            line.words.push(std::mem::take(&mut self.word));
        }
    }

    /// Ends the current line.
    fn end_line(&mut self) {
        self.end_word();
        if let Some(line) = self.current.take() {
            if !line.words.is_empty() {
                self.lines.push(line);
            }
        }
    }

    fn into_page(mut self) -> layout::Page {
        self.end_line();
        layout::Page {
            width: self.width,
            height: self.height,
            lines: self.lines,
        }
    }
}

impl pdf_extract::OutputDev for GlyphCollector {
    fn begin_page(
        &mut self,
        _page_num: u32,
        media_box: &pdf_extract::MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), pdf_extract::OutputError> {
        self.width = (media_box.urx - media_box.llx).abs() as f32;
        self.height = (media_box.ury - media_box.lly).abs() as f32;
        self.page_top = media_box.ury.max(media_box.lly) as f32;
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), pdf_extract::OutputError> {
        self.end_line();
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &pdf_extract::Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        ch: &str,
    ) -> Result<(), pdf_extract::OutputError> {
        // The glyph's origin, with y flipped to grow downwards from the top
        // of the page, and its size: the side of the square with the area
        // of the (font size, font size) vector under the text matrix.
        let x = trm.m31 as f32;
        let y = self.page_top - trm.m32 as f32;
        let (vx, vy) = (
            font_size * (trm.m11 + trm.m21),
            font_size * (trm.m12 + trm.m22),
        );
        let size = ((vx * vy).abs().sqrt() as f32).max(0.1);
        let end = x + width as f32 * size;
        let starts_line = match &self.current {
            None => true,
            // Another baseline, or a jump back to the left, or a gap wider
            // than three ems (the next column, the next table cell).
            Some(_) => {
                (y - self.last_y).abs() > size * 0.5
                    || x < self.last_end - size
                    || x > self.last_end + size * 3.0
            }
        };
        if starts_line {
            self.end_line();
            self.current = Some(layout::Line {
                x0: x,
                x1: end,
                top: y - size,
                bottom: y,
                size,
                words: Vec::new(),
            });
        } else if x > self.last_end + size * 0.15 {
            // A gap between glyphs is a space even where the PDF draws none.
            self.end_word();
        }
        if ch.chars().all(char::is_whitespace) {
            self.end_word();
        } else {
            self.word.push_str(ch);
        }
        if let Some(line) = &mut self.current {
            line.x0 = line.x0.min(x);
            line.x1 = line.x1.max(end);
            line.top = line.top.min(y - size);
            line.bottom = line.bottom.max(y);
            line.size = line.size.max(size);
        }
        self.last_end = end;
        self.last_y = y;
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
}

/// The title and creation date of the Info dictionary (else XMP), when
/// they look real.
fn metadata(doc: &PdfFile) -> (Option<String>, Option<NaiveDate>) {
    let info = doc
        .trailer
        .get(b"Info")
        .ok()
        .and_then(|o| resolve(doc, o))
        .and_then(|o| o.as_dict().ok().cloned());
    let get = |key: &[u8]| -> Option<String> {
        let value = resolve(doc, info.as_ref()?.get(key).ok()?)?;
        value.as_str().ok().map(pdf_string)
    };
    let xmp = xmp_packet(doc);
    let title = get(b"Title").and_then(|t| real_title(&t)).or_else(|| {
        xmp.as_deref()
            .and_then(xmp_title)
            .and_then(|t| real_title(&t))
    });
    let date = get(b"CreationDate")
        .and_then(|d| pdf_date(&d))
        .or_else(|| xmp.as_deref().and_then(xmp_date));
    (title, date)
}

/// An object, with an indirect reference followed once.
fn resolve(doc: &PdfFile, o: &Object) -> Option<Object> {
    match o.as_reference() {
        Ok(id) => doc.get_object(id).ok().cloned(),
        Err(_) => Some(o.clone()),
    }
}

/// Decodes a PDF text string: UTF-16BE with a byte-order mark, UTF-8 with
/// one, else PDFDocEncoding (Latin-1 for the characters titles use).
fn pdf_string(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xfe, 0xff]) {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xef, 0xbb, 0xbf]) {
        return String::from_utf8_lossy(rest).into_owned();
    }
    bytes.iter().map(|&b| b as char).collect()
}

/// A title from metadata, unless it is a placeholder: empty, "untitled", a
/// file name, a template's name. "Microsoft Word - " prefixes are removed.
fn real_title(raw: &str) -> Option<String> {
    let mut t = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    for prefix in ["Microsoft Word - ", "Microsoft PowerPoint - "] {
        if let Some(rest) = t.strip_prefix(prefix) {
            t = rest.to_string();
        }
    }
    let lower = t.to_ascii_lowercase();
    let file_like = [
        ".doc", ".docx", ".pdf", ".indd", ".ppt", ".pptx", ".dot", ".tmp", ".qxd", ".rtf",
    ]
    .iter()
    .any(|ext| lower.ends_with(ext));
    let placeholder = [
        "untitled",
        "title",
        "no title",
        "document",
        "presentation",
        "powerpoint presentation",
        "slide 1",
    ]
    .contains(&lower.trim());
    let letters = t.chars().filter(|c| c.is_alphabetic()).count();
    (letters >= 4 && !file_like && !placeholder && t.len() <= 300).then_some(t)
}

/// Parses a PDF date (`D:20240305120000+01'00'`), keeping plausible years.
fn pdf_date(raw: &str) -> Option<NaiveDate> {
    let digits: String = raw
        .trim()
        .trim_start_matches("D:")
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    if digits.len() < 8 {
        return super::date::parse_date(raw).filter(|d| plausible(*d));
    }
    let (y, m, d) = (
        digits[0..4].parse().ok()?,
        digits[4..6].parse().ok()?,
        digits[6..8].parse().ok()?,
    );
    NaiveDate::from_ymd_opt(y, m, d).filter(|d| plausible(*d))
}

/// Returns true if and only if a metadata date can be a report's date: not
/// before PDF 1.0 (1993), not in the future.
fn plausible(d: NaiveDate) -> bool {
    let today = chrono::Utc::now().date_naive();
    d.year() >= 1993 && d <= today
}

/// The XMP packet of the document catalog's `/Metadata` stream, if small.
fn xmp_packet(doc: &PdfFile) -> Option<String> {
    let catalog = doc.catalog().ok()?;
    let meta = resolve(doc, catalog.get(b"Metadata").ok()?)?;
    let stream = meta.as_stream().ok()?;
    if stream.content.len() > 1 << 20 {
        return None;
    }
    let bytes = stream
        .decompressed_content()
        .unwrap_or_else(|_| stream.content.clone());
    (bytes.len() <= 4 << 20).then(|| String::from_utf8_lossy(&bytes).into_owned())
}

/// The `dc:title` of an XMP packet (its first `rdf:li`).
fn xmp_title(xmp: &str) -> Option<String> {
    let start = xmp.find("<dc:title")?;
    let rest = &xmp[start..];
    let end = rest.find("</dc:title>")?;
    let inner = &rest[..end];
    let li = inner.find("<rdf:li")?;
    let text_start = inner[li..].find('>')? + li + 1;
    let text_end = inner[text_start..].find("</rdf:li>")? + text_start;
    Some(xml_unescape(inner[text_start..text_end].trim()))
}

/// The `xmp:CreateDate` of an XMP packet (element or attribute form).
fn xmp_date(xmp: &str) -> Option<NaiveDate> {
    let i = xmp.find("xmp:CreateDate")?;
    let rest = &xmp[i + "xmp:CreateDate".len()..];
    let value = rest.trim_start_matches(['=', '>', '"', '\'']);
    let value: String = value.chars().take(10).collect();
    super::date::parse_date(&value).filter(|d| plausible(*d))
}

/// Undoes XML's five entities.
fn xml_unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_titles_and_dates() {
        assert_eq!(
            real_title("Microsoft Word - Operation Ghost Report").as_deref(),
            Some("Operation Ghost Report")
        );
        assert_eq!(real_title("report_final_v2.docx"), None);
        assert_eq!(real_title("Untitled"), None);
        assert_eq!(real_title("  "), None);
        assert_eq!(
            pdf_date("D:20240305120000+01'00'"),
            NaiveDate::from_ymd_opt(2024, 3, 5)
        );
        assert_eq!(pdf_date("D:19700101000000Z"), None);
        assert_eq!(pdf_string(b"\xfe\xff\x00A\x00P\x00T"), "APT");
        let xmp = r#"<x:xmpmeta><dc:title><rdf:Alt><rdf:li xml:lang="x-default">Blue &amp; Red</rdf:li></rdf:Alt></dc:title><xmp:CreateDate>2019-06-01T10:00:00Z</xmp:CreateDate></x:xmpmeta>"#;
        assert_eq!(xmp_title(xmp).as_deref(), Some("Blue & Red"));
        assert_eq!(xmp_date(xmp), NaiveDate::from_ymd_opt(2019, 6, 1));
    }

    #[test]
    fn first_page_date_and_title_fallbacks() {
        let t = PdfText {
            page_title: Some("Operation X".into()),
            first_lines: vec![
                "Operation X".into(),
                "ACME Labs".into(),
                "Published: March 5, 2024".into(),
            ],
            pages: 1,
            text: "Body.".into(),
            ..PdfText::default()
        };
        let a = t.into_article().unwrap();
        assert_eq!(a.title.as_deref(), Some("Operation X"));
        assert_eq!(a.date, NaiveDate::from_ymd_opt(2024, 3, 5));
    }

    /// The fallback reader of a page pdf-extract panics on gives its words,
    /// one line per text line.
    #[test]
    fn plain_page_reads_the_words_of_a_page() {
        let content = b"BT /F1 12 Tf 72 700 Td (Stolen credentials sent to) Tj ET\n\
                        BT /F1 12 Tf 72 680 Td (update-check.example) Tj ET";
        let objects: Vec<Vec<u8>> = vec![
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R \
               /Resources << /Font << /F1 5 0 R >> >> >>"
                .to_vec(),
            [
                format!("<< /Length {} >>\nstream\n", content.len()).as_bytes(),
                content,
                b"\nendstream",
            ]
            .concat(),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
        ];
        let mut bytes = b"%PDF-1.4\n".to_vec();
        let mut offsets = Vec::new();
        for (i, body) in objects.iter().enumerate() {
            offsets.push(bytes.len());
            bytes.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
            bytes.extend_from_slice(body);
            bytes.extend_from_slice(b"\nendobj\n");
        }
        let xref = bytes.len();
        bytes.extend_from_slice(b"xref\n0 6\n0000000000 65535 f \n");
        for o in offsets {
            bytes.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
        }
        bytes.extend_from_slice(
            format!("trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF").as_bytes(),
        );
        let doc = PdfFile::load_mem(&bytes).unwrap();
        let page = plain_page(&doc, 1, 0.0, 0.0);
        let text: Vec<String> = page.lines.iter().map(|l| l.words.join(" ")).collect();
        assert!(
            text.join(" ").contains("Stolen credentials sent to"),
            "{text:?}"
        );
        assert!(text.join(" ").contains("update-check.example"), "{text:?}");
        assert!(page.width > 0.0 && page.height >= 12.0);
        // The whole pipeline reads the same file.
        let t = extract(&bytes).unwrap();
        assert!(t.text.contains("update-check.example"), "{}", t.text);
    }

    #[test]
    fn not_a_pdf_is_malformed() {
        assert!(matches!(
            extract_contained(b"hello world"),
            Err(SkipReason::Malformed(_))
        ));
        assert!(matches!(
            extract_contained(b"%PDF-1.7\n1 0 obj <<"),
            Err(SkipReason::Malformed(_))
        ));
    }
}
