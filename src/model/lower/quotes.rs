//! `source` quotes: collected while lowering, checked against the corpus
//! in one pass at the end.

use super::*;

impl Lowerer<'_> {
    pub(super) fn quote(&mut self, s: &Option<ast::Source>, what: &str, at: Span) -> Option<Quote> {
        let Some(s) = s else {
            self.err(
                Diagnostic::warning(at, format!("{what} has no `source`"))
                    .help("add `source \"…\"` with a sentence quoted verbatim from the corpus"),
            );
            return None;
        };
        let document = s.document.as_ref().and_then(|d| self.resolve_document(d));
        let text: std::sync::Arc<str> = s.quote.as_ref().map_or("", |q| q.node.as_str()).into();
        let span = s.quote.as_ref().map_or(s.span, |q| q.span);
        if s.quote.is_some() {
            // A quote is checked against the corpus, or against the one
            // document it names when the corpus holds that document; a
            // document the corpus does not hold stands on its citation.
            let held = document.is_none_or(|k| self.documents[k].file.is_some());
            if self.corpus.is_some() && held {
                self.quotes.push(Pending {
                    text: text.clone(),
                    span,
                    document,
                });
            }
        }
        Some(Quote {
            text,
            document,
            span,
        })
    }

    /// Finds every quote in one pass over the corpus
    /// ([`Corpus::locate_all`]), then says where each missing one goes wrong.
    pub(super) fn check_quotes(&mut self) {
        let Some(corpus) = self.corpus else { return };
        let (named, quotes): (Vec<_>, Vec<_>) = std::mem::take(&mut self.quotes)
            .into_iter()
            .partition(|q| q.document.is_some());
        let texts: Vec<&str> = quotes.iter().map(|q| &*q.text).collect();
        let found = corpus.locate_all(&texts);
        for q in named {
            let file = q.document.and_then(|k| self.documents[k].file.clone());
            let doc = corpus.docs.iter().find(|d| Some(&d.name) == file.as_ref());
            if doc.is_some_and(|d| d.contains_quote(&q.text)) {
                continue;
            }
            let name = file.unwrap_or_default();
            let d = Diagnostic::error(q.span, format!("source quote not found in `{name}`"));
            self.err(match corpus.locate(&q.text) {
                Some(at) => d.help(format!(
                    "the quote is in `{}` (line {}), not in the document named",
                    at.doc, at.line
                )),
                None => d.help("the quote must be copied verbatim from the document it names"),
            });
        }
        for (s, at) in quotes.iter().zip(found) {
            if at.is_some() {
                continue;
            }
            let n = corpus.matched_prefix(&s.text);
            let matched: String = s.text.chars().take(n).collect();
            let rest: String = s.text.chars().skip(n).take(12).collect();
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

/// A quote waiting for [`Lowerer::check_quotes`].
pub(super) struct Pending {
    text: std::sync::Arc<str>,
    span: Span,
    document: Option<DocumentId>,
}
