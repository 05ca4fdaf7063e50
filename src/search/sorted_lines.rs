//! Data files of one entry a line, `key rest…`, sorted by bytes, read in
//! place: a key's line is found by binary search, with nothing built at
//! start-up (jieba's dictionary, the general synonym source).

/// The text after the key (and its space) on the line of `text` whose key
/// is `key`.
pub(crate) fn rest_of(text: &'static str, key: &str) -> Option<&'static str> {
    let b = text.as_bytes();
    let w = key.as_bytes();
    // `lo` is always a line start; lines before it are smaller than `w`,
    // lines from `hi` on larger.
    let (mut lo, mut hi) = (0usize, b.len());
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let start = b[lo..mid]
            .iter()
            .rposition(|&c| c == b'\n')
            .map_or(lo, |p| lo + p + 1);
        let end = b[start..]
            .iter()
            .position(|&c| c == b'\n')
            .map_or(b.len(), |p| start + p);
        let line = &b[start..end];
        let space = line.iter().position(|&c| c == b' ').unwrap_or(line.len());
        match line[..space].cmp(w) {
            // Whole lines of a `str`: the cut falls on character bounds.
            std::cmp::Ordering::Equal => {
                return text.get((start + space + 1).min(end)..end);
            }
            std::cmp::Ordering::Less => lo = end + 1,
            std::cmp::Ordering::Greater => hi = start,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::rest_of;

    #[test]
    fn a_key_finds_its_line_and_nothing_else() {
        static T: &str = "乙 2\n甲 1 x\n";
        // Sorted by bytes: 乙 (E4 B9 99) before 甲 (E7 94 B2).
        assert_eq!(rest_of(T, "甲"), Some("1 x"));
        assert_eq!(rest_of(T, "乙"), Some("2"));
        assert_eq!(rest_of(T, "丙"), None);
        assert_eq!(rest_of(T, ""), None);
        assert_eq!(rest_of("a\n", "a"), Some(""));
    }
}
