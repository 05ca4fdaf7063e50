//! The planner's desk: what planners open outside a terminal. An Excel
//! workbook of the mid-term table ([`xlsx`]), one SVG chart per indicator
//! ([`chart`]), a self-contained HTML report ([`html`]), and the server of
//! `guihua serve` ([`serve`]; its pages in [`web`], goal graphs laid out by
//! [`graph_svg`]). Each reads the typed report, evaluation and findings;
//! nothing here re-parses text.

pub mod chart;
pub mod graph_svg;
pub mod html;
pub mod serve;
pub mod web;
pub mod xlsx;

/// Escapes text for HTML and XML (element content and quoted attributes).
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters are not allowed in XML 1.0.
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::esc;

    #[test]
    fn markup_and_quotes_are_escaped() {
        assert_eq!(
            esc("<script>alert(\"x\" & 'y')</script>"),
            "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;"
        );
        assert_eq!(esc("a\u{1}b"), "a\u{FFFD}b");
    }
}
