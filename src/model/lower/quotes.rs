//! `source` quotes: collected while lowering, checked against the corpus
//! in one pass at the end.

use super::*;

impl Lowerer<'_> {
    pub(super) fn quote(
        &mut self,
        s: &Option<ast::Spanned<String>>,
        what: &str,
        at: Span,
    ) -> Option<Quote> {
        let Some(s) = s else {
            self.err(
                Diagnostic::warning(at, format!("{what} has no `source`"))
                    .help("add `source \"…\"` with a sentence quoted verbatim from the corpus"),
            );
            return None;
        };
        if self.corpus.is_some() {
            self.quotes.push(s.clone());
        }
        Some(Quote {
            text: s.node.as_str().into(),
            span: s.span,
        })
    }

    /// Finds every quote in one pass over the corpus (Aho–Corasick), then
    /// says where each missing one goes wrong.
    pub(super) fn check_quotes(&mut self) {
        let Some(corpus) = self.corpus else { return };
        let quotes = std::mem::take(&mut self.quotes);
        let texts: Vec<&str> = quotes.iter().map(|q| q.node.as_str()).collect();
        let found = corpus.locate_all(&texts);
        for (s, at) in quotes.iter().zip(found) {
            if at.is_some() {
                continue;
            }
            let n = corpus.matched_prefix(&s.node);
            let matched: String = s.node.chars().take(n).collect();
            let rest: String = s.node.chars().skip(n).take(12).collect();
            // Point the caret at the first character that does not match.
            let raw = self.sources.text(s.span);
            let off = raw
                .find(&matched[..])
                .map(|o| o + matched.len())
                .filter(|_| n > 0);
            let span = match off {
                Some(o) => {
                    let c = raw[o..].chars().next().map_or(0, char::len_utf8);
                    Span::new(
                        s.span.file,
                        s.span.start as usize + o,
                        s.span.start as usize + o + c,
                    )
                }
                None => s.span,
            };
            let d = Diagnostic::error(span, "source quote not found in the corpus");
            self.err(if n == 0 {
                d.help("the quote must be copied verbatim from a document in the corpus")
            } else {
                d.help(format!(
                    "the corpus has the first {n} characters verbatim; it differs from `{rest}`"
                ))
            });
        }
    }
}
