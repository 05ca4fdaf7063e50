//! `document` citations and the names `source … in X` may use: a declared
//! document, or a document of the corpus by its file name.

use super::*;

impl Lowerer<'_> {
    /// The declared documents, each joined to the corpus document of its
    /// name when the corpus holds one, then the corpus's other documents.
    pub(super) fn lower_documents(&mut self, files: &[(SourceId, ast::File)]) -> Vec<Document> {
        let corpus = self.corpus;
        let held = |id: &str| {
            corpus
                .and_then(|c| c.docs.iter().find(|d| d.stem() == id))
                .map(|d| d.name.clone())
        };
        let mut out: Vec<Document> = Vec::new();
        let mut spans: Vec<Span> = Vec::new();
        for d in files.iter().flat_map(|(_, f)| &f.documents) {
            if let Some(k) = out.iter().position(|x| x.id == d.id.node) {
                self.err(
                    Diagnostic::error(d.id.span, format!("duplicate document `{}`", d.id.node))
                        .help(format!(
                            "first declared at {}",
                            self.sources.location(spans[k])
                        )),
                );
                continue;
            }
            if let Some(y) = &d.year {
                if y.node.len() != 4 || !y.node.bytes().all(|b| b.is_ascii_digit()) {
                    self.err(
                        Diagnostic::error(y.span, format!("`{}` is not a year", y.node))
                            .expected("a year such as `2023`"),
                    );
                }
            }
            let s = |x: &Option<ast::Spanned<String>>| x.as_ref().map(|x| x.node.clone());
            out.push(Document {
                id: d.id.node.clone(),
                title: s(&d.title),
                publisher: s(&d.publisher),
                year: s(&d.year),
                url: s(&d.url),
                file: held(&d.id.node),
            });
            spans.push(d.id.span);
        }
        if let Some(c) = self.corpus {
            for doc in &c.docs {
                if !out.iter().any(|x| x.id == doc.stem()) {
                    out.push(Document {
                        id: doc.stem().to_string(),
                        title: None,
                        publisher: None,
                        year: None,
                        url: None,
                        file: Some(doc.name.clone()),
                    });
                }
            }
        }
        out
    }

    /// The document `source … in X` names; an unknown one is an error.
    pub(super) fn resolve_document(&mut self, id: &ast::Ident) -> Option<DocumentId> {
        if let Some(k) = self.documents.iter().position(|d| d.id == id.node) {
            return Some(k);
        }
        let names: Vec<String> = self.documents.iter().map(|d| d.id.clone()).collect();
        self.err(
            Diagnostic::error(id.span, format!("unknown document `{}`", id.node))
                .expected("a `document` declared in the rules, or a document of the corpus by its file name")
                .suggest(&id.node, names.iter().map(String::as_str)),
        );
        None
    }
}

impl Lowerer<'_> {
    /// A method's `options { … }`: each name and value checked, with
    /// did-you-mean.
    pub(super) fn lower_method_options(&mut self, m: &ast::Method) -> MethodOptions {
        let mut options = MethodOptions::default();
        let mut seen: Vec<&str> = Vec::new();
        for (name, value) in &m.options {
            if seen.contains(&name.node.as_str()) {
                self.err(Diagnostic::error(
                    name.span,
                    format!("option `{}` is set twice", name.node),
                ));
            }
            seen.push(&name.node);
            match options.set(&name.node, &value.node) {
                Ok(()) => {}
                Err(OptionError::Name) => {
                    let names: Vec<&str> = MethodOptions::ALL.iter().map(|(n, _)| *n).collect();
                    self.err(
                        Diagnostic::error(name.span, format!("unknown option `{}`", name.node))
                            .expected(format!("one of {}", list(&names)))
                            .suggest(&name.node, names.iter().copied()),
                    );
                }
                Err(OptionError::Value(values)) => self.err(
                    Diagnostic::error(
                        value.span,
                        format!("`{}` is not a value of `{}`", value.node, name.node),
                    )
                    .expected(format!("one of {}", list(values)))
                    .suggest(&value.node, values.iter().copied()),
                ),
            }
        }
        options
    }
}
