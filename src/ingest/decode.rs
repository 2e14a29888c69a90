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

/// Returns true if and only if the bytes are a binary file rather than text.
///
/// A file that starts with the signature of a binary format (images,
/// archives, executables, PDF, Office files…) is binary. Otherwise the first
/// [`SNIFF_BYTES`] decide in the common case: no NUL and few control bytes
/// is text. When the head has NULs or many control bytes, the whole file's
/// byte mix decides: NULs inside runs of UTF-16 text (an analyst pasting a
/// block copied from a Windows tool into a notes file) are text, and only
/// the NUL and control bytes outside such runs count against it.
fn looks_binary(bytes: &[u8]) -> bool {
    if has_binary_signature(bytes) {
        return true;
    }
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    let nuls = memchr::memchr_iter(0, head).count();
    let controls = head.iter().filter(|&&b| is_odd_control(b)).count();
    if nuls == 0 && controls * 10 <= head.len() {
        return false;
    }
    let mix = ByteMix::of(bytes);
    let other = bytes.len() - mix.utf16_bytes;
    // Outside UTF-16 runs, text has next to no NULs and few control bytes.
    mix.stray_nuls > 8 + other / 1000 || (mix.stray_nuls + mix.stray_controls) * 10 > other
}

/// Returns true if and only if `b` is a control byte that text does not
/// hold (tab, newlines, form feed and escape are text).
fn is_odd_control(b: u8) -> bool {
    b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b)
}

/// Leading bytes of binary formats that a report folder may hold under a
/// text name: images, archives, executables, documents, media.
const BINARY_SIGNATURES: [&[u8]; 17] = [
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff", // JPEG
    b"GIF87a",
    b"GIF89a",
    b"%PDF-",
    b"PK\x03\x04", // ZIP, docx, xlsx, jar
    b"\x1f\x8b",   // gzip
    b"7z\xbc\xaf\x27\x1c",
    b"Rar!\x1a\x07",
    b"\x7fELF",
    b"MZ\x90\x00",                       // Windows executable
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", // OLE: doc, xls, msg
    b"BZh",
    b"\xfd7zXZ\x00", // xz
    b"OggS",
    b"ID3",              // mp3
    b"\x00\x00\x01\x00", // ico
];

/// Returns true if and only if `bytes` starts with a [`BINARY_SIGNATURES`]
/// entry (`BZh` and `ID3` only with the version byte that follows them).
fn has_binary_signature(bytes: &[u8]) -> bool {
    BINARY_SIGNATURES.iter().any(|sig| {
        bytes.starts_with(sig)
            && match *sig {
                b"BZh" => bytes.get(3).is_some_and(|b| (b'1'..=b'9').contains(b)),
                b"ID3" => bytes.get(3).is_some_and(|&b| b <= 4),
                _ => true,
            }
    })
}

/// What a whole file holds, for files whose head has NULs or controls.
#[derive(Debug, Default, PartialEq, Eq)]
struct ByteMix {
    /// Bytes inside runs of UTF-16 text.
    utf16_bytes: usize,
    /// NUL bytes outside those runs.
    stray_nuls: usize,
    /// Odd control bytes outside those runs.
    stray_controls: usize,
}

/// UTF-16 code units in a row that make a run of text, not chance.
const MIN_UTF16_RUN: usize = 8;

impl ByteMix {
    fn of(bytes: &[u8]) -> ByteMix {
        let mut mix = ByteMix::default();
        let mut i = 0;
        while i < bytes.len() {
            let run = utf16_run(bytes, i);
            if run > 0 {
                mix.utf16_bytes += run;
                i += run;
                continue;
            }
            match bytes[i] {
                0 => mix.stray_nuls += 1,
                b if is_odd_control(b) => mix.stray_controls += 1,
                _ => {}
            }
            i += 1;
        }
        mix
    }
}

/// The length in bytes of a run of ASCII-range UTF-16 text (either byte
/// order) starting at `at`, or 0 when none of [`MIN_UTF16_RUN`] units
/// starts there.
fn utf16_run(bytes: &[u8], at: usize) -> usize {
    let text = |b: u8| b.is_ascii_graphic() || matches!(b, b' ' | b'\t' | b'\n' | b'\r');
    let run_len = |little: bool| {
        let mut n = 0;
        while let Some(unit) = bytes.get(at + 2 * n..at + 2 * n + 2) {
            let (lo, hi) = if little {
                (unit[0], unit[1])
            } else {
                (unit[1], unit[0])
            };
            if hi != 0 || !text(lo) {
                break;
            }
            n += 1;
        }
        n
    };
    let units = run_len(true).max(run_len(false));
    if units >= MIN_UTF16_RUN {
        2 * units
    } else {
        0
    }
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
    fn a_text_report_with_a_pasted_utf16_block_is_text() {
        let mut b = b"IOC notes for the weekly roundup\nC2: 45.77.12[.]9\n".repeat(20);
        // 742 NULs: 742 ASCII characters pasted as UTF-16LE.
        let pasted = "powershell -enc SQBFAFgA from hxxp://update-check[.]example/a.ps1 ";
        let block: String = pasted.chars().cycle().take(742).collect();
        for u in block.encode_utf16() {
            b.extend_from_slice(&u.to_le_bytes());
        }
        b.extend_from_slice(
            b"\nSHA256 275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f\n",
        );
        assert_eq!(b.iter().filter(|&&x| x == 0).count(), 742);
        let text = decode(&b, false).expect("text, not binary");
        assert!(text.contains("powershell -enc SQBFAFgA from hxxp://update-check[.]example"));
        assert!(text.contains("275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f"));
    }

    #[test]
    fn binary_formats_are_refused_by_signature() {
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend_from_slice(b"IHDR mostly text after the signature");
        assert_eq!(decode(&png, false), Err(SkipReason::Binary));
        assert_eq!(
            decode(b"%PDF-1.7\n%\xe2\xe3\n1 0 obj", false),
            Err(SkipReason::Binary)
        );
        assert_eq!(
            decode(b"\x7fELF\x02\x01\x01", false),
            Err(SkipReason::Binary)
        );
        // A word that merely starts like a signature is text.
        assert!(decode(b"BZhigh is not bzip2", false).is_ok());
    }

    #[test]
    fn random_bytes_with_nuls_are_binary_whatever_their_name() {
        // A deterministic pseudo-random byte soup.
        let mut x = 0x2545_f491_u32;
        let soup: Vec<u8> = (0..20_000)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                (x >> 8) as u8
            })
            .collect();
        assert_eq!(decode(&soup, false), Err(SkipReason::Binary));
    }

    #[test]
    fn binary_is_refused() {
        let mut b = b"<html>".to_vec();
        b.extend(std::iter::repeat_n(0u8, 100));
        assert_eq!(decode(&b, true), Err(SkipReason::Binary));
    }
}
