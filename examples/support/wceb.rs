//! What the WCEB subsets need before extraction, shared by `examples/eval.rs`
//! and `eval/compare` so both feed the extractors the same bytes.

/// A CleanEval page without its wrapper (`<text id=… title=…>` on the first
/// line, `</text>` at the end), which WCEB strips before extraction.
pub fn strip_cleaneval_wrapper(bytes: &[u8]) -> &[u8] {
    let mut b = bytes;
    let start = b.iter().position(|c| !c.is_ascii_whitespace()).unwrap_or(0);
    if b[start..].starts_with(b"<text") {
        if let Some(gt) = b[start..].iter().position(|&c| c == b'>') {
            b = &b[start + gt + 1..];
        }
    }
    let end = b
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(0, |e| e + 1);
    let trimmed = &b[..end];
    trimmed.strip_suffix(b"</text>".as_slice()).unwrap_or(b)
}
