//! Building citations: `source "…" in 统计公报2022` and `document` blocks.

use super::ast::*;
use super::build::{spanned_string, Ctx};
use super::grammar::Rule;
use pest::iterators::Pair;

pub(super) fn source(ctx: &Ctx, p: Pair<Rule>) -> Source {
    let mut s = Source {
        quote: None,
        document: None,
        span: ctx.span(&p),
    };
    for x in p.into_inner() {
        match x.as_rule() {
            Rule::string => s.quote = Some(spanned_string(ctx, x)),
            Rule::doc_ref => {
                let id = x
                    .into_inner()
                    .find(|y| y.as_rule() == Rule::ident)
                    .expect("grammar: document name");
                s.document = Some(ctx.ident(id));
            }
            r => unreachable!("{r:?} not supposed to get there (source)"),
        }
    }
    s
}

pub(super) fn parse_document(ctx: &Ctx, p: Pair<Rule>) -> DocumentDecl {
    let span = ctx.span(&p);
    let mut inner = p.into_inner();
    let id = ctx.ident(inner.next().expect("grammar: document id"));
    let mut d = DocumentDecl {
        id,
        title: None,
        publisher: None,
        year: None,
        url: None,
        notes: vec![],
        span,
    };
    let first_string = |x: Pair<Rule>| spanned_string(ctx, x.into_inner().next().expect("grammar"));
    for x in inner {
        match x.as_rule() {
            Rule::string => d.title = Some(spanned_string(ctx, x)),
            Rule::doc_publisher => d.publisher = Some(first_string(x)),
            Rule::doc_url => d.url = Some(first_string(x)),
            Rule::note_decl => d.notes.push(first_string(x)),
            Rule::year_decl => {
                let y = x.into_inner().next().expect("grammar: year");
                d.year = Some(Spanned::new(y.as_str().to_string(), ctx.span(&y)));
            }
            r => unreachable!("{r:?} not supposed to get there (parse_document)"),
        }
    }
    d
}
