//! Every input limit, stated once.
//!
//! Each limit is enforced before the work it guards starts, and the error
//! that enforces it names the limit. README's "Limits" table lists them.

/// Deepest nesting of `(`…`)` or `{`…`}` in a rule file, counted inside
/// `{…}` interpolations of explanation strings too.
pub const MAX_NESTING: usize = 48;
/// Most operators (prefix and infix) in one expression, counted over the
/// whole expression including its parentheses and call arguments.
pub const MAX_OPERATORS: usize = 256;
/// Most prefix operators in a row (`not not not x`).
pub const MAX_PREFIX_RUN: usize = 16;

/// Most characters in a search query.
pub const MAX_QUERY_CHARS: usize = 1_000;
/// Most words, phrases and operators in a search query.
pub const MAX_QUERY_TERMS: usize = 64;
/// Deepest nesting of parentheses in a search query.
pub const MAX_QUERY_DEPTH: usize = 32;
/// Most `NOT` / `-` in a row in a search query.
pub const MAX_QUERY_NOT_RUN: usize = 4;
/// Most hits one search may return (`--limit`).
pub const MAX_HITS: usize = 1_000;
/// Candidates a query with symbols (`月季😀`) verifies against the stored
/// text before it says it found no more.
pub const MAX_VERIFIED_CANDIDATES: usize = 100_000;
/// Most short/long form pairs learned from the documents while indexing
/// (each is checked against every query word).
pub const MAX_LEARNED_VARIANTS: usize = 2_000;
/// Most table names whose variants are learned from the prose while
/// indexing (`search::names`; each costs a few index look-ups).
pub const MAX_TABLE_NAMES: usize = 1_000;
/// Most characters of a hit's text printed (text and JSON); the rest is
/// cut with "…(n more characters)". Eight times the longest paragraph of
/// either bundled or public report (2,446), so a real paragraph is whole.
pub const MAX_HIT_TEXT_CHARS: usize = 20_000;
/// Most matches of one unit that a snippet looks at.
pub const MAX_SNIPPET_MATCHES: usize = 4_096;

/// Most indexing threads (`--threads`); each holds a writer buffer.
pub const MAX_THREADS: usize = 64;

/// Largest document read as text (a `.txt` or `.md` file of a corpus, or
/// one line of a `.jsonl` file): 256 MiB. The whole 《纲要》 is under 1 MiB.
pub const MAX_DOCUMENT_BYTES: u64 = 256 * 1024 * 1024;

/// Largest rule file: 128 MiB, three times the national-scale benchmark's
/// rule set (75,000 indicators, 39.8 MB).
pub const MAX_RULE_FILE_BYTES: u64 = 128 * 1024 * 1024;

/// Largest rule file opened, linted or saved in the browser's rule editor
/// (`guihua serve`, 规则 page): 4 MiB. The editor is a text area that
/// sends the whole file at each lint; 4 MiB is seventy times the largest
/// bundled rule file (`graph.guihua`, 57 KB) and keeps every keystroke's
/// lint request bounded. Larger rule sets (the national-scale benchmark's)
/// are edited in a text editor; the page says so.
pub const MAX_EDITED_RULE_BYTES: usize = 4 * 1024 * 1024;

/// Deepest folder a walk of `--rules` or `--corpus` descends into: 64
/// levels below the folder named.
pub const MAX_FOLDER_DEPTH: usize = 64;

/// A size in bytes as people read it: `256 MiB`, `64 KiB`, `12 bytes`.
pub fn human_bytes(n: u64) -> String {
    const KIB: u64 = 1024;
    if n >= KIB * KIB && n.is_multiple_of(KIB * KIB) {
        format!("{} MiB", n / (KIB * KIB))
    } else if n >= KIB && n.is_multiple_of(KIB) {
        format!("{} KiB", n / KIB)
    } else {
        format!("{n} bytes")
    }
}

/// Most characters of user input echoed back in one message.
pub const MAX_ECHO_CHARS: usize = 80;

/// Cuts `s` to [`MAX_ECHO_CHARS`] characters with "…(n more characters)"
/// and escapes control characters, so any user input can be echoed in a
/// message on one line.
pub fn echo(s: &str) -> String {
    echo_n(s, MAX_ECHO_CHARS)
}

/// [`echo`] with a chosen length.
pub fn echo_n(s: &str, max: usize) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    for (n, c) in chars.by_ref().enumerate() {
        if n == max {
            let rest = 1 + chars.count();
            out.push_str(&format!("…（另有 {rest} 个字符 / {rest} more characters）"));
            return out;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// Cuts `s` to `max` characters with "…(n more characters)", keeping
/// control characters such as line breaks (for text that is shown as text).
pub fn cut(s: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match s.char_indices().nth(max) {
        None => std::borrow::Cow::Borrowed(s),
        Some((at, _)) => {
            let rest = s[at..].chars().count();
            std::borrow::Cow::Owned(format!(
                "{}…（另有 {rest} 个字符 / {rest} more characters）",
                &s[..at]
            ))
        }
    }
}

/// Reads a whole number between `min` and `max` given on the command line
/// (`--limit`, `--threads`), saying the range when it is outside.
pub fn parse_count(s: &str, min: usize, max: usize) -> Result<usize, String> {
    match s.trim().parse::<u64>() {
        Ok(n) if (min as u64..=max as u64).contains(&n) => Ok(n as usize),
        Ok(_) | Err(_) if s.trim().chars().all(|c| c.is_ascii_digit()) && !s.trim().is_empty() => {
            Err(format!(
                "应为 {min} 到 {max} 之间的整数 (expected a whole number from {min} to {max})"
            ))
        }
        _ => Err(format!(
            "`{}` 不是整数，应为 {min} 到 {max} 之间的整数 (not a whole number; expected {min} to {max})",
            echo(s)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echo_cuts_and_escapes() {
        assert_eq!(echo("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        let long = "长".repeat(200);
        let e = echo(&long);
        assert!(e.starts_with(&"长".repeat(MAX_ECHO_CHARS)));
        assert!(e.ends_with("120 more characters）"), "{e}");
    }

    #[test]
    fn counts_in_range_only() {
        assert_eq!(parse_count("10", 1, MAX_HITS), Ok(10));
        assert!(parse_count("0", 1, MAX_HITS)
            .unwrap_err()
            .contains("1 到 1000"));
        assert!(parse_count("18446744073709551615", 1, MAX_HITS).is_err());
        assert!(parse_count("99999999999999999999999", 1, MAX_HITS).is_err());
        assert!(parse_count("-1", 1, MAX_HITS)
            .unwrap_err()
            .contains("不是整数"));
    }

    #[test]
    fn cut_keeps_short_text() {
        assert_eq!(cut("月季", 2), "月季");
        assert_eq!(
            cut("月季园", 2),
            "月季…（另有 1 个字符 / 1 more characters）"
        );
    }
}
