//! A general Chinese synonym source: pairs filtered from cnsyn 1.2.0
//! (Apache-2.0; `data/cnsyn/`, with its licence, provenance and the script
//! that filters it). A query word's part found here is also searched as
//! its synonym, weighing less than the word as typed, a planner's synonym
//! and a form the documents teach. `rules/` can take a pair out
//! (`synonyms { 增速 != 加速 }`).
//!
//! `GUIHUA_GENERAL_SYNONYMS=off` leaves the source out (to measure what
//! it changes; BENCHMARKS.md).

/// One line a word: `word synonym synonym…`, sorted by bytes.
static SYNONYMS: &str = include_str!("../../data/cnsyn/synonyms.txt");

/// Shortest and longest word of the source, in characters.
pub(super) const WORD_CHARS: std::ops::RangeInclusive<usize> = 2..=6;

/// Whether the source is in use (not turned off by the environment).
pub(super) fn enabled() -> bool {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ON.get_or_init(|| {
        std::env::var("GUIHUA_GENERAL_SYNONYMS")
            .map_or(true, |v| !matches!(v.trim(), "off" | "0" | "false" | "no"))
    })
}

/// The synonyms of `word`, by binary search over the lines.
pub(super) fn synonyms(word: &str) -> impl Iterator<Item = &'static str> {
    super::sorted_lines::rest_of(SYNONYMS, word)
        .into_iter()
        .flat_map(|rest| rest.split(' ').filter(|w| !w.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_found_both_ways_and_unknown_words_find_nothing() {
        let of = |w: &str| synonyms(w).collect::<Vec<_>>();
        assert!(of("电商").contains(&"电子商务"));
        assert!(of("电子商务").contains(&"电商"));
        assert!(of("医生").contains(&"医师"));
        assert!(of("卧龙区").is_empty());
        assert!(of("").is_empty());
    }

    #[test]
    fn the_file_is_sorted_by_bytes_and_each_pair_goes_both_ways() {
        let lines: Vec<&str> = SYNONYMS.lines().collect();
        assert!(lines
            .windows(2)
            .all(|w| w[0].split(' ').next() < w[1].split(' ').next()));
        for l in lines.iter().step_by(97) {
            let mut it = l.split(' ');
            let w = it.next().unwrap();
            assert!(WORD_CHARS.contains(&w.chars().count()), "{l}");
            for s in it {
                assert!(synonyms(s).any(|x| x == w), "{w} → {s} but not back");
            }
        }
    }
}
