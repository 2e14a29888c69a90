//! Turns a file's bytes into UTF-8 text: by byte-order mark, then the page's
//! declared charset, then detection (chardetng).

use super::SkipReason;
use encoding_rs::{Encoding, UTF_8};
use std::borrow::Cow;

/// How many leading bytes are examined for NULs and the `<meta charset>`.
const SNIFF_BYTES: usize = 8 * 1024;

/// Decodes `bytes`; `html` enables the `<meta charset>` look-up.
///
/// Valid UTF-8 wins over a page's declaration, because pages saved by a
/// browser are re-encoded to UTF-8 but keep their original `<meta charset>`.
/// Bytes that are invalid in the chosen encoding become U+FFFD.
pub fn decode(bytes: &[u8], html: bool) -> Result<Cow<'_, str>, SkipReason> {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return Ok(strip_nuls(text));
    }
    if looks_binary(bytes) {
        return Err(SkipReason::Binary);
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(strip_nuls(Cow::Borrowed(s)));
    }
    let enc = html
        .then(|| declared_charset(&bytes[..bytes.len().min(SNIFF_BYTES)]))
        .flatten()
        .filter(|e| *e != UTF_8)
        .unwrap_or_else(|| detect(bytes));
    let (text, _, _) = enc.decode(bytes);
    Ok(strip_nuls(text))
}

/// Removes NUL characters, which no text format needs and which confuse
/// downstream parsers.
fn strip_nuls(text: Cow<'_, str>) -> Cow<'_, str> {
    // memchr's vector search: every byte of every page passes here.
    if memchr::memchr(0, text.as_bytes()).is_some() {
        Cow::Owned(text.replace('\0', ""))
    } else {
        text
    }
}

/// Returns true if and only if the first bytes look like a binary file: more
/// than a few NUL bytes, or many control characters that text never holds.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    let nuls = head.iter().filter(|&&b| b == 0).count();
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b))
        .count();
    nuls > 8 || controls * 10 > head.len()
}

/// Finds the encoding a page declares in `<meta charset=…>` or
/// `<meta http-equiv="Content-Type" content="…; charset=…">`.
fn declared_charset(head: &[u8]) -> Option<&'static Encoding> {
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(pos) = find(&lower[from..], b"charset") {
        let mut i = from + pos + b"charset".len();
        from = i;
        while i < lower.len() && lower[i].is_ascii_whitespace() {
            i += 1;
        }
        if lower.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        while i < lower.len() && matches!(lower[i], b' ' | b'"' | b'\'') {
            i += 1;
        }
        let start = i;
        while i < lower.len() && (lower[i].is_ascii_alphanumeric() || b"-_:.".contains(&lower[i])) {
            i += 1;
        }
        if let Some(enc) = Encoding::for_label(&lower[start..i]) {
            return Some(enc);
        }
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Guesses the encoding of bytes that are not valid UTF-8.
fn detect(bytes: &[u8]) -> &'static Encoding {
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Allow);
    det.feed(
        &bytes[..bytes.len().min(64 * 1024)],
        bytes.len() <= 64 * 1024,
    );
    det.guess(None, chardetng::Utf8Detection::Allow)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_declared() {
        let mut page = b"<html><head><meta charset=\"windows-1252\"></head><body>".to_vec();
        page.extend_from_slice(b"caf\xe9 \x93quoted\x94 \x80</body></html>");
        let s = decode(&page, true).unwrap();
        assert!(s.contains("café “quoted” €"), "{s}");
    }

    #[test]
    fn windows_1252_detected_without_declaration() {
        let text =
            b"Le caf\xe9 de la soci\xe9t\xe9 a \xe9t\xe9 pirat\xe9 par un groupe \x93APT\x94.";
        let s = decode(text, false).unwrap();
        assert!(s.contains("société"), "{s}");
    }

    #[test]
    fn utf16_with_bom() {
        let mut b = vec![0xFF, 0xFE];
        for u in "Hello Turla".encode_utf16() {
            b.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode(&b, false).unwrap(), "Hello Turla");
    }

    #[test]
    fn utf8_wins_over_a_stale_declaration() {
        let page = "<meta charset=iso-8859-1><p>Škoda – “ok”</p>".as_bytes();
        assert!(decode(page, true).unwrap().contains("Škoda – “ok”"));
    }

    #[test]
    fn binary_is_refused() {
        let mut b = b"<html>".to_vec();
        b.extend(std::iter::repeat_n(0u8, 100));
        assert_eq!(decode(&b, true), Err(SkipReason::Binary));
    }
}
