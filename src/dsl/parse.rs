//! Text → pest pairs → [`ast`](super::ast). The only file that sees pest types.

use super::ast::*;
use super::grammar::{PlanParser, Rule};
use crate::span::{Diagnostic, SourceId, Span};
use pest::error::{ErrorVariant, InputLocation};
use pest::iterators::Pair;
use pest::pratt_parser::{Assoc, Op, PrattParser};
use pest::Parser as _;
use std::sync::OnceLock;

// Deeper nesting, longer expressions and prefix runs are refused before
// pest or the Pratt parser recurse, so no input can overflow the stack.
pub use crate::limits::{MAX_NESTING, MAX_OPERATORS, MAX_PREFIX_RUN};

type PResult<T> = Result<T, Diagnostic>;

struct Ctx {
    file: SourceId,
    base: usize,
}

impl Ctx {
    fn span(&self, p: &Pair<Rule>) -> Span {
        let s = p.as_span();
        Span::new(self.file, self.base + s.start(), self.base + s.end())
    }
    fn ident(&self, p: Pair<Rule>) -> Ident {
        Spanned::new(p.as_str().to_string(), self.span(&p))
    }
}

/// Bytes of text handed to pest at a time. Parsing a large file in chunks
/// of whole top-level items keeps pest's token queue (several times the
/// input) small, and lets the chunks be parsed on several cores.
const CHUNK: usize = 64 * 1024;

/// Parses one file. On syntax errors, returns the located diagnostics: one
/// for each top-level item that does not parse.
pub fn parse_file(file: SourceId, text: &str) -> Result<File, Vec<Diagnostic>> {
    let (f, errors) = parse_file_recovering(file, text);
    if errors.is_empty() {
        Ok(f)
    } else {
        Err(errors)
    }
}

/// Parses one file as far as it can: the items that parse, and a located
/// diagnostic for each top-level item that does not (parsing starts again
/// after the `}` that closes it), so one typo hides no other error and the
/// items around it can still be validated.
pub fn parse_file_recovering(file: SourceId, text: &str) -> (File, Vec<Diagnostic>) {
    let bounds = match chunk_bounds(file, text, CHUNK) {
        Ok(b) => b,
        Err(d) => return (File::default(), vec![d]),
    };
    let chunks: Vec<(usize, usize)> = bounds.windows(2).map(|w| (w[0], w[1])).collect();
    let threads = if text.len() > 4 * CHUNK {
        std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(chunks.len())
    } else {
        1
    };
    let results: Vec<(File, Vec<Diagnostic>)> = if threads <= 1 {
        chunks
            .iter()
            .map(|&(a, b)| parse_chunk_recovering(file, a, &text[a..b]))
            .collect()
    } else {
        // Contiguous runs of chunks per thread, joined back in order.
        let per = chunks.len().div_ceil(threads);
        std::thread::scope(|sc| {
            let handles: Vec<_> = chunks
                .chunks(per)
                .map(|run| {
                    sc.spawn(move || {
                        run.iter()
                            .map(|&(a, b)| parse_chunk_recovering(file, a, &text[a..b]))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().expect("parser thread"))
                .collect()
        })
    };
    let mut out = File::default();
    let mut errors = Vec::new();
    for (f, e) in results {
        append(&mut out, f);
        errors.extend(e);
    }
    (out, errors)
}

fn append(out: &mut File, f: File) {
    out.plans.extend(f.plans);
    out.indicators.extend(f.indicators);
    out.methods.extend(f.methods);
    out.tests.extend(f.tests);
    out.synonyms.extend(f.synonyms);
    out.terms.extend(f.terms);
    out.nodes.extend(f.nodes);
    out.project_states.extend(f.project_states);
}

/// A chunk of items; when it does not parse whole, each of its top-level
/// items on its own.
fn parse_chunk_recovering(file: SourceId, base: usize, text: &str) -> (File, Vec<Diagnostic>) {
    match parse_chunk(file, base, text) {
        Ok(f) => (f, vec![]),
        Err(first) => {
            let Ok(bounds) = chunk_bounds(file, text, 1) else {
                return (File::default(), first);
            };
            if bounds.len() <= 2 {
                return (File::default(), first);
            }
            let mut out = File::default();
            let mut errors = Vec::new();
            for w in bounds.windows(2) {
                match parse_chunk(file, base + w[0], &text[w[0]..w[1]]) {
                    Ok(f) => append(&mut out, f),
                    Err(e) => errors.extend(e),
                }
            }
            if errors.is_empty() {
                // Items that parse alone but not together: say what the
                // whole chunk said.
                errors = first;
            }
            (out, errors)
        }
    }
}

fn parse_chunk(file: SourceId, base: usize, text: &str) -> Result<File, Vec<Diagnostic>> {
    let mut pairs = PlanParser::parse(Rule::file, text)
        .map_err(|_| vec![syntax_error(file, base, text, Rule::file)])?;
    let ctx = Ctx { file, base };
    let mut out = File::default();
    let mut errors = Vec::new();
    let root = pairs.next().expect("grammar: file always yields one pair");
    for item in root.into_inner() {
        let r = match item.as_rule() {
            Rule::plan => parse_plan(&ctx, item).map(|p| out.plans.push(p)),
            Rule::indicator => parse_indicator(&ctx, item).map(|i| out.indicators.push(i)),
            Rule::method => parse_method(&ctx, item).map(|m| out.methods.push(m)),
            Rule::test_block => {
                out.tests.push(parse_test(&ctx, item));
                Ok(())
            }
            Rule::synonyms => {
                for g in item.into_inner() {
                    out.synonyms
                        .push(g.into_inner().map(|w| word(&ctx, w)).collect());
                }
                Ok(())
            }
            Rule::terms => {
                out.terms.extend(item.into_inner().map(|w| word(&ctx, w)));
                Ok(())
            }
            Rule::project_states => {
                for d in item.into_inner() {
                    let mut it = d.into_inner();
                    let word = ctx.ident(it.next().expect("grammar: state word"));
                    let class = ctx.ident(it.next().expect("grammar: state class"));
                    out.project_states.push((word, class));
                }
                Ok(())
            }
            Rule::node => parse_node(&ctx, item).map(|n| out.nodes.push(n)),
            Rule::EOI => Ok(()),
            r => unreachable!("{r:?} not supposed to get there (parse_chunk)"),
        };
        if let Err(d) = r {
            errors.push(d);
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Splits the text into chunks of whole top-level items (at a `}` that
/// closes depth 0, once a chunk has `min` bytes), and refuses input
/// nested deeper than [`MAX_NESTING`] (outside strings and comments),
/// pointing at the bracket that goes too deep.
fn chunk_bounds(file: SourceId, text: &str, min: usize) -> PResult<Vec<usize>> {
    let bytes = text.as_bytes();
    let mut bounds = vec![0];
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'(' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(too_deep(file, i));
                }
            }
            b')' | b'}' => {
                depth = depth.saturating_sub(1);
                let last = *bounds.last().expect("starts with 0");
                if depth == 0 && bytes[i] == b'}' && i + 1 - last >= min {
                    bounds.push(i + 1);
                }
            }
            _ => {}
        }
        i += 1;
    }
    if *bounds.last().expect("starts with 0") < text.len() || bounds.len() == 1 {
        bounds.push(text.len());
    }
    Ok(bounds)
}

/// Refuses an interpolation nested deeper than [`MAX_NESTING`] before pest
/// parses it (the file-level count skips strings, where interpolations are).
fn check_nesting(file: SourceId, base: usize, text: &str) -> PResult<()> {
    let mut depth = 0usize;
    for (i, b) in text.bytes().enumerate() {
        match b {
            b'(' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(too_deep(file, base + i));
                }
            }
            b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

fn too_deep(file: SourceId, at: usize) -> Diagnostic {
    Diagnostic::error(
        Span::new(file, at, at + 1),
        format!("brackets nested more than {MAX_NESTING} deep"),
    )
    .help("split the expression into named figures")
}

/// Words for grammar rules in "expected …" messages.
fn describe(r: &Rule) -> &'static str {
    match r {
        Rule::EOI => "end of file",
        Rule::item | Rule::file => "`plan`, `indicator`, `method`, `test`, `synonyms`, `terms` or a graph node (`goal`, `task`, `project`, `measure`, `term`)",
        Rule::ident | Rule::ident_list => "a name",
        Rule::fname => "a function name",
        Rule::number => "a number",
        Rule::quantity => "a number (with an optional unit such as `%` or `万人`)",
        Rule::unit_word => "a unit",
        Rule::missing => "`/` (no value)",
        Rule::period | Rule::period_lit => "a period such as `2022` or `2023H1`",
        Rule::string | Rule::string_body => "a quoted string",
        Rule::source => "`source \"…\"`",
        Rule::printed => "`printed \"…\"`",
        Rule::plan => "`plan`",
        Rule::period_decl => "`period 2021..2025`",
        Rule::plan_baseline => "`baseline 2020`",
        Rule::categories => "`categories …`",
        Rule::attributes => "`attributes …`",
        Rule::default_method => "`default method …`",
        Rule::statuses => "`statuses { … }`",
        Rule::status_decl => "a status declaration such as `达到预期 on_track`",
        Rule::indicator => "`indicator`",
        Rule::seq_decl => "`seq`",
        Rule::name_decl => "`name`",
        Rule::category_decl => "`category`",
        Rule::attribute_decl => "`attribute`",
        Rule::unit_decl => "`unit`",
        Rule::kind_decl => "`kind`",
        Rule::note_decl => "`note`",
        Rule::target_decl => "`target`",
        Rule::tolerance => "`about <tolerance>`",
        Rule::baseline_decl => "`baseline`",
        Rule::observed_decl => "`observed`",
        Rule::observation => "`<period>: <value>`",
        Rule::stated_decl => "`stated`",
        Rule::assessed_decl => "`assessed`",
        Rule::assessment => "`<period>: <status>`",
        Rule::method => "`method`",
        Rule::rule => "`rule`",
        Rule::figures => "`figures { … }`",
        Rule::figure_def => "`<name> = <expression>`",
        Rule::branch => "`when <condition> => <status>`",
        Rule::otherwise => "`otherwise => <status>`",
        Rule::test_block => "`test`",
        Rule::expect => "`expect <indicator> is <status>`",
        Rule::expr | Rule::paren | Rule::call => "an expression",
        Rule::neg | Rule::not => "a prefix operator",
        Rule::add | Rule::sub | Rule::mul | Rule::div => "an arithmetic operator",
        Rule::ge | Rule::le | Rule::gt | Rule::lt | Rule::eq | Rule::ne => "a comparison",
        Rule::and | Rule::or => "`and` or `or`",
        Rule::interpolation => "an interpolation `{expression}`",
        Rule::format_spec => "a format such as `.2`",
        Rule::keyword => "a keyword",
        Rule::WHITESPACE | Rule::COMMENT => "whitespace",
        Rule::synonyms => "`synonyms { … }`",
        Rule::synonym_group => "`<word> = <word>`",
        Rule::terms => "`terms { … }`",
        Rule::project_states => "`project_states { … }`",
        Rule::state_class_decl => "a state word and its class (`planned`, `under_way`, `done`)",
        Rule::word => "a word or a quoted string",
        Rule::node => "`goal`, `task`, `project`, `measure` or `term`",
        Rule::node_kind => "`goal`, `task`, `project`, `measure` or `term`",
        Rule::node_entry => "a node entry (`part_of`, `supports`, `implements`, `depends_on`, `measured_by`, `defines`, `investment`, `year`, `state`, `expansion`, `alias`, `note`, `source`)",
        Rule::edge_decl => "an edge such as `supports <node>`",
        Rule::edge_kind => "`part_of`, `supports`, `implements`, `depends_on`, `measured_by` or `defines`",
        Rule::investment_decl => "`investment <amount>`",
        Rule::year_decl => "`year <year>`",
        Rule::state_decl => "`state <state>`",
        Rule::expansion_decl => "`expansion \"…\"`",
        Rule::alias_decl => "`alias \"…\"`",
        Rule::plan_entry => "a plan entry (`period`, `baseline`, `categories`, `attributes`, `default method`, `statuses`)",
        Rule::ind_entry => "an indicator entry (`seq`, `name`, `category`, `attribute`, `unit`, `kind`, `target`, `baseline`, `observed`, `stated`, `assessed`, `note`, `indicator`)",
        Rule::method_entry => "`statuses { … }` or `rule`",
        Rule::prefix => "`-` or `not`",
        Rule::infix => "an operator",
        Rule::primary => "a number, a name, a function call or `(`",
    }
}

/// Parses `text` again with pest's error detail on, which records the
/// tokens (`..`, `=>`, `{`) expected at the furthest position reached, not
/// only the rules. The first parse runs without it: detail is slower.
fn syntax_error(file: SourceId, base: usize, text: &str, entry: Rule) -> Diagnostic {
    // The switch is global: one detailed parse at a time keeps it on for
    // the whole of each (other threads' parses are only slowed, not changed).
    static DETAIL: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let guard = DETAIL.lock().unwrap_or_else(|p| p.into_inner());
    pest::set_error_detail(true);
    let r = PlanParser::parse(entry, text);
    pest::set_error_detail(false);
    drop(guard);
    match r {
        Err(e) => pest_error(file, base, text, e),
        Ok(_) => Diagnostic::error(Span::new(file, base, base), "syntax error"),
    }
}

fn pest_error(file: SourceId, base: usize, text: &str, e: pest::error::Error<Rule>) -> Diagnostic {
    let mut pos = match e.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let mut detail: Vec<String> = Vec::new();
    if let Some(att) = e.parse_attempts() {
        if att.max_position >= pos {
            pos = att.max_position;
            detail.extend(
                att.expected_tokens()
                    .iter()
                    .map(|t| t.to_string())
                    // Whitespace, comments and the parts of names are noise here.
                    .filter(|t| {
                        !t.trim_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}')
                            .is_empty()
                    })
                    .filter(|t| {
                        !matches!(t.as_str(), "//" | "_")
                            && (!t.contains("..") || t == ".." || t == "0..9")
                    })
                    .map(|t| match t.as_str() {
                        // XID_START, the first letter of a name.
                        "BUILTIN_RULE" => "a name".to_string(),
                        "0..9" => "a number".to_string(),
                        _ => format!("`{t}`"),
                    }),
            );
            // Rules that were expected there (`ParseAttempt` is not exported,
            // so its rule is read through the stack's parent).
            for cs in att.call_stacks() {
                if format!("{:?}", cs.deepest) == "Token" {
                    continue;
                }
                if let Some(r) = cs.parent {
                    if !matches!(
                        r,
                        Rule::WHITESPACE | Rule::COMMENT | Rule::keyword | Rule::file
                    ) {
                        detail.push(describe(&r).to_string());
                    }
                }
            }
        }
    }
    // Running off the end inside a string: point at where it opens.
    if pos >= text.len() && detail == ["`\"`"] {
        if let Some(q) = text.rfind('"') {
            let line_end = text[q..].find('\n').map_or(text.len(), |i| q + i);
            return Diagnostic::error(
                Span::new(file, base + q, base + line_end),
                "unterminated string",
            )
            .help("close it with `\"` (write `\\\"` for a quote inside it)");
        }
    }
    // Inside a year that has too many digits (`20211`): point at the number.
    if detail.iter().any(|t| t == "`H1`")
        && text[..pos.min(text.len())].ends_with(|c: char| c.is_ascii_digit())
    {
        pos = text[..pos]
            .rfind(|c: char| !c.is_ascii_digit())
            .map_or(0, |i| i + 1);
        detail = vec![describe(&Rule::period).to_string()];
    }
    // A position just after a word means the word itself was refused
    // (a keyword where a name was expected): point at the word.
    let at_word_end = text[..pos.min(text.len())]
        .chars()
        .next_back()
        .is_some_and(|c| c.is_alphanumeric() || c == '_')
        && text[pos.min(text.len())..]
            .chars()
            .next()
            .is_none_or(|c| c.is_whitespace());
    if at_word_end {
        let start = text[..pos]
            .rfind(|c: char| !(c.is_alphanumeric() || c == '_'))
            .map_or(0, |i| {
                i + text[i..].chars().next().map_or(1, char::len_utf8)
            });
        pos = start;
    }
    // Underline the offending word, not just one byte.
    let rest = &text[pos.min(text.len())..];
    let len = rest
        .char_indices()
        .find(|(_, c)| c.is_whitespace())
        .map(|(i, _)| i)
        .unwrap_or(rest.len())
        .min(40);
    let len = (0..=len)
        .rev()
        .find(|&l| rest.is_char_boundary(l))
        .unwrap_or(0);
    let found = &rest[..len];
    let span = Span::new(file, base + pos, base + pos + len);
    let mut expected: Vec<String> = if !detail.is_empty() {
        detail
    } else {
        match &e.variant {
            ErrorVariant::ParsingError { positives, .. } => {
                positives.iter().map(|r| describe(r).to_string()).collect()
            }
            ErrorVariant::CustomError { .. } => vec![],
        }
    };
    expected.sort();
    expected.dedup();
    let message = if found.is_empty() {
        "unexpected end of input".to_string()
    } else {
        format!("unexpected `{found}`")
    };
    let d = Diagnostic::error(span, message);
    if expected.is_empty() {
        d
    } else {
        d.expected(expected.join(", "))
    }
}

fn string_value(p: Pair<Rule>) -> String {
    let body = p.into_inner().next().map(|b| b.as_str()).unwrap_or("");
    unescape(body)
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(o) => out.push(o),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn spanned_string(ctx: &Ctx, p: Pair<Rule>) -> Spanned<String> {
    let span = ctx.span(&p);
    Spanned::new(string_value(p), span)
}

fn parse_period_str(s: &str) -> Period {
    let year: i32 = s[..4]
        .parse()
        .expect("grammar: period starts with four digits");
    let half = match &s[4..] {
        "H1" | "上半年" => 1,
        "H2" | "下半年" => 2,
        _ => 0,
    };
    Period { year, half }
}

fn period(ctx: &Ctx, p: Pair<Rule>) -> Spanned<Period> {
    Spanned::new(parse_period_str(p.as_str()), ctx.span(&p))
}

fn quantity(ctx: &Ctx, p: Pair<Rule>) -> PResult<Spanned<Quantity>> {
    let span = ctx.span(&p);
    let mut inner = p.into_inner();
    let num = inner.next().expect("grammar: quantity has a number");
    let value = parse_number(ctx, &num)?;
    let decimals = num
        .as_str()
        .split('.')
        .nth(1)
        .map_or(0, |d| d.len().min(12) as u8);
    let unit = inner.next().map(|u| ctx.ident(u));
    Ok(Spanned::new(
        Quantity {
            value,
            decimals,
            unit,
        },
        span,
    ))
}

fn parse_number(ctx: &Ctx, p: &Pair<Rule>) -> PResult<f64> {
    p.as_str()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| {
            Diagnostic::error(
                ctx.span(p),
                format!("`{}` is not a usable number", p.as_str()),
            )
        })
}

fn parse_plan(ctx: &Ctx, p: Pair<Rule>) -> PResult<Plan> {
    let span = ctx.span(&p);
    let mut inner = p.into_inner();
    let id = ctx.ident(inner.next().expect("grammar: plan id"));
    let mut plan = Plan {
        id,
        title: None,
        period: None,
        baseline: None,
        categories: vec![],
        attributes: vec![],
        default_method: None,
        statuses: vec![],
        span,
    };
    for e in inner {
        match e.as_rule() {
            Rule::string => plan.title = Some(spanned_string(ctx, e)),
            Rule::period_decl => {
                let mut i = e.into_inner();
                let a = period(ctx, i.next().expect("grammar: period start"));
                let b = period(ctx, i.next().expect("grammar: period end"));
                plan.period = Some((a, b));
            }
            Rule::plan_baseline => {
                plan.baseline = Some(period(ctx, e.into_inner().next().expect("grammar")))
            }
            Rule::categories => plan.categories = ident_list(ctx, e),
            Rule::attributes => plan.attributes = ident_list(ctx, e),
            Rule::default_method => {
                plan.default_method = Some(ctx.ident(e.into_inner().next().expect("grammar")))
            }
            Rule::statuses => plan.statuses.extend(status_decls(ctx, e)),
            r => unreachable!("{r:?} not supposed to get there (parse_plan)"),
        }
    }
    Ok(plan)
}

fn ident_list(ctx: &Ctx, p: Pair<Rule>) -> Vec<Ident> {
    p.into_inner()
        .next()
        .map(|l| l.into_inner().map(|i| ctx.ident(i)).collect())
        .unwrap_or_default()
}

fn status_decls(ctx: &Ctx, p: Pair<Rule>) -> Vec<StatusDecl> {
    p.into_inner()
        .map(|d| {
            let mut i = d.into_inner();
            StatusDecl {
                name: ctx.ident(i.next().expect("grammar: status name")),
                class: ctx.ident(i.next().expect("grammar: status class")),
                gloss: i.next().map(|s| spanned_string(ctx, s)),
            }
        })
        .collect()
}

fn parse_indicator(ctx: &Ctx, p: Pair<Rule>) -> PResult<Indicator> {
    let span = ctx.span(&p);
    let mut inner = p.into_inner();
    let id = ctx.ident(inner.next().expect("grammar: indicator id"));
    let mut ind = Indicator {
        id,
        seq: None,
        name: None,
        category: None,
        attribute: None,
        unit: None,
        kind: None,
        targets: vec![],
        baselines: vec![],
        observed: vec![],
        stated: vec![],
        assessed: vec![],
        notes: vec![],
        children: vec![],
        span,
    };
    for e in inner {
        let espan = ctx.span(&e);
        match e.as_rule() {
            Rule::seq_decl => {
                let v = e.into_inner().next().expect("grammar: seq value");
                let s = if v.as_rule() == Rule::string {
                    string_value(v)
                } else {
                    v.as_str().to_string()
                };
                ind.seq = Some(Spanned::new(s, espan));
            }
            Rule::name_decl => {
                ind.name = Some(spanned_string(ctx, e.into_inner().next().expect("grammar")))
            }
            Rule::category_decl => {
                ind.category = Some(ctx.ident(e.into_inner().next().expect("grammar")))
            }
            Rule::attribute_decl => {
                ind.attribute = Some(ctx.ident(e.into_inner().next().expect("grammar")))
            }
            Rule::unit_decl => {
                ind.unit = Some(spanned_string(ctx, e.into_inner().next().expect("grammar")))
            }
            Rule::kind_decl => ind.kind = Some(ctx.ident(e.into_inner().next().expect("grammar"))),
            Rule::note_decl => ind
                .notes
                .push(spanned_string(ctx, e.into_inner().next().expect("grammar"))),
            Rule::target_decl => ind.targets.push(parse_target(ctx, e)?),
            Rule::baseline_decl => ind.baselines.push(parse_obs_line(ctx, e)?),
            Rule::observed_decl => ind.observed.push(parse_obs_line(ctx, e)?),
            Rule::stated_decl => {
                let mut i = e.into_inner();
                let figure = ctx.ident(i.next().expect("grammar: stated figure"));
                let value = quantity(ctx, i.next().expect("grammar: stated value"))?;
                let mut st = Stated {
                    figure,
                    value,
                    as_of: None,
                    source: None,
                    span: espan,
                };
                for x in i {
                    match x.as_rule() {
                        Rule::period => st.as_of = Some(period(ctx, x)),
                        Rule::source => st.source = Some(source(ctx, x)),
                        r => unreachable!("{r:?} not supposed to get there (stated)"),
                    }
                }
                ind.stated.push(st);
            }
            Rule::assessed_decl => {
                let mut line = AssessLine {
                    items: vec![],
                    source: None,
                    span: espan,
                };
                for x in e.into_inner() {
                    match x.as_rule() {
                        Rule::assessment => {
                            let mut i = x.into_inner();
                            let per = period(ctx, i.next().expect("grammar: assessment period"));
                            let st = ctx.ident(i.next().expect("grammar: assessment status"));
                            line.items.push((per, st));
                        }
                        Rule::source => line.source = Some(source(ctx, x)),
                        r => unreachable!("{r:?} not supposed to get there (assessed)"),
                    }
                }
                ind.assessed.push(line);
            }
            Rule::indicator => ind.children.push(parse_indicator(ctx, e)?),
            r => unreachable!("{r:?} not supposed to get there (parse_indicator)"),
        }
    }
    Ok(ind)
}

fn parse_node(ctx: &Ctx, p: Pair<Rule>) -> PResult<Node> {
    let span = ctx.span(&p);
    let mut inner = p.into_inner();
    let kind = ctx.ident(inner.next().expect("grammar: node kind"));
    let id = ctx.ident(inner.next().expect("grammar: node id"));
    let mut n = Node {
        kind,
        id,
        name: None,
        edges: vec![],
        investment: None,
        year: None,
        state: None,
        expansion: None,
        aliases: vec![],
        notes: vec![],
        source: None,
        span,
    };
    for x in inner {
        let xspan = ctx.span(&x);
        match x.as_rule() {
            Rule::string => n.name = Some(spanned_string(ctx, x)),
            Rule::edge_decl => {
                let mut e = EdgeDecl {
                    kind: Spanned::new(String::new(), xspan),
                    targets: vec![],
                    source: None,
                    span: xspan,
                };
                for y in x.into_inner() {
                    match y.as_rule() {
                        Rule::edge_kind => e.kind = ctx.ident(y),
                        Rule::source => e.source = Some(source(ctx, y)),
                        _ => e.targets.push(word(ctx, y)),
                    }
                }
                n.edges.push(e);
            }
            Rule::investment_decl => {
                n.investment = Some(quantity(ctx, x.into_inner().next().expect("grammar"))?)
            }
            Rule::year_decl => n.year = Some(ctx.ident(x.into_inner().next().expect("grammar"))),
            Rule::state_decl => n.state = Some(ctx.ident(x.into_inner().next().expect("grammar"))),
            Rule::expansion_decl => {
                n.expansion = Some(spanned_string(ctx, x.into_inner().next().expect("grammar")))
            }
            Rule::alias_decl => n
                .aliases
                .push(spanned_string(ctx, x.into_inner().next().expect("grammar"))),
            Rule::note_decl => n
                .notes
                .push(spanned_string(ctx, x.into_inner().next().expect("grammar"))),
            Rule::source => n.source = Some(source(ctx, x)),
            r => unreachable!("{r:?} not supposed to get there (parse_node)"),
        }
    }
    Ok(n)
}

/// A word of the search vocabulary: a name or a quoted string.
fn word(ctx: &Ctx, p: Pair<Rule>) -> Spanned<String> {
    if p.as_rule() == Rule::string {
        spanned_string(ctx, p)
    } else {
        ctx.ident(p)
    }
}

fn source(ctx: &Ctx, p: Pair<Rule>) -> Spanned<String> {
    spanned_string(ctx, p.into_inner().next().expect("grammar: source string"))
}

fn parse_target(ctx: &Ctx, p: Pair<Rule>) -> PResult<Target> {
    let span = ctx.span(&p);
    let mut inner = p.into_inner();
    let form = ctx.ident(inner.next().expect("grammar: target form"));
    let mut t = Target {
        form,
        value: None,
        other: None,
        tolerance: None,
        printed: None,
        source: None,
        span,
    };
    for x in inner {
        match x.as_rule() {
            Rule::quantity => t.value = Some(quantity(ctx, x)?),
            Rule::ident => t.other = Some(ctx.ident(x)),
            Rule::tolerance => {
                t.tolerance = Some(quantity(ctx, x.into_inner().next().expect("grammar"))?)
            }
            Rule::printed => {
                t.printed = Some(spanned_string(ctx, x.into_inner().next().expect("grammar")))
            }
            Rule::source => t.source = Some(source(ctx, x)),
            r => unreachable!("{r:?} not supposed to get there (parse_target)"),
        }
    }
    Ok(t)
}

fn parse_obs_line(ctx: &Ctx, p: Pair<Rule>) -> PResult<ObsLine> {
    let span = ctx.span(&p);
    let mut line = ObsLine {
        items: vec![],
        source: None,
        span,
    };
    for x in p.into_inner() {
        match x.as_rule() {
            Rule::observation => {
                let mut i = x.into_inner();
                let per = period(ctx, i.next().expect("grammar: observation period"));
                let v = i.next().expect("grammar: observation value");
                let value = match v.as_rule() {
                    Rule::missing => None,
                    _ => Some(quantity(ctx, v)?),
                };
                line.items.push(Observation { period: per, value });
            }
            Rule::source => line.source = Some(source(ctx, x)),
            r => unreachable!("{r:?} not supposed to get there (parse_obs_line)"),
        }
    }
    Ok(line)
}

fn parse_method(ctx: &Ctx, p: Pair<Rule>) -> PResult<Method> {
    let mut inner = p.into_inner();
    let id = ctx.ident(inner.next().expect("grammar: method id"));
    let mut m = Method {
        id,
        title: None,
        statuses: vec![],
        rules: vec![],
    };
    for x in inner {
        match x.as_rule() {
            Rule::string => m.title = Some(spanned_string(ctx, x)),
            Rule::statuses => m.statuses.extend(status_decls(ctx, x)),
            Rule::rule => m.rules.push(parse_rule(ctx, x)?),
            r => unreachable!("{r:?} not supposed to get there (parse_method)"),
        }
    }
    Ok(m)
}

fn parse_rule(ctx: &Ctx, p: Pair<Rule>) -> PResult<Rule_> {
    let span = ctx.span(&p);
    let mut inner = p.into_inner();
    let id = ctx.ident(inner.next().expect("grammar: rule id"));
    let applies = inner
        .next()
        .expect("grammar: rule applies")
        .into_inner()
        .map(|i| ctx.ident(i))
        .collect();
    let mut rule = Rule_ {
        id,
        applies,
        figures: vec![],
        branches: vec![],
        span,
    };
    for x in inner {
        match x.as_rule() {
            Rule::figures => {
                for f in x.into_inner() {
                    let mut i = f.into_inner();
                    let name = ctx.ident(i.next().expect("grammar: figure name"));
                    let e = parse_expr(ctx, i.next().expect("grammar: figure expr"))?;
                    rule.figures.push((name, e));
                }
            }
            Rule::branch | Rule::otherwise => {
                let bspan = ctx.span(&x);
                let is_when = x.as_rule() == Rule::branch;
                let mut i = x.into_inner();
                let cond = if is_when {
                    Some(parse_expr(ctx, i.next().expect("grammar: condition"))?)
                } else {
                    None
                };
                let status = ctx.ident(i.next().expect("grammar: branch status"));
                let explanation = match i.next() {
                    Some(s) => Some(parse_template(ctx, s)?),
                    None => None,
                };
                rule.branches.push(Branch {
                    cond,
                    status,
                    explanation,
                    span: bspan,
                });
            }
            r => unreachable!("{r:?} not supposed to get there (parse_rule)"),
        }
    }
    Ok(rule)
}

use super::ast::Rule as Rule_;

fn parse_test(ctx: &Ctx, p: Pair<Rule>) -> TestBlock {
    let mut inner = p.into_inner();
    let n = inner.next().expect("grammar: test name");
    let name = if n.as_rule() == Rule::string {
        spanned_string(ctx, n)
    } else {
        ctx.ident(n)
    };
    let expects = inner
        .map(|e| {
            let span = ctx.span(&e);
            let mut i = e.into_inner();
            let indicator = ctx.ident(i.next().expect("grammar: expect indicator"));
            let status = ctx.ident(i.next().expect("grammar: expect status"));
            let mut ex = Expect {
                indicator,
                status,
                as_of: None,
                method: None,
                source: None,
                span,
            };
            for x in i {
                match x.as_rule() {
                    Rule::period => ex.as_of = Some(period(ctx, x)),
                    Rule::ident => ex.method = Some(ctx.ident(x)),
                    Rule::source => ex.source = Some(source(ctx, x)),
                    r => unreachable!("{r:?} not supposed to get there (parse_test)"),
                }
            }
            ex
        })
        .collect();
    TestBlock { name, expects }
}

/// Splits an explanation string into text and `{expr:.n}` parts.
fn parse_template(ctx: &Ctx, p: Pair<Rule>) -> PResult<Spanned<Template>> {
    let span = ctx.span(&p);
    let body = p.into_inner().next().expect("grammar: string body");
    let body_start = ctx.base + body.as_span().start();
    let raw = body.as_str();
    let mut parts = Vec::new();
    let mut lit = String::new();
    let mut i = 0;
    let b = raw.as_bytes();
    while i < raw.len() {
        match b[i] {
            b'\\' => {
                let next = raw[i + 1..].chars().next();
                match next {
                    Some('n') => lit.push('\n'),
                    Some(c) => lit.push(c),
                    None => {}
                }
                i += 1 + next.map_or(0, char::len_utf8);
            }
            b'{' if b.get(i + 1) == Some(&b'{') => {
                lit.push('{');
                i += 2;
            }
            b'}' if b.get(i + 1) == Some(&b'}') => {
                lit.push('}');
                i += 2;
            }
            b'{' => {
                let Some(close) = raw[i..].find('}') else {
                    return Err(Diagnostic::error(
                        Span::new(ctx.file, body_start + i, body_start + i + 1),
                        "unclosed `{` in explanation",
                    )
                    .help("write `{{` for a literal brace"));
                };
                if !lit.is_empty() {
                    parts.push(TemplatePart::Text(std::mem::take(&mut lit)));
                }
                let inner = &raw[i + 1..i + close];
                let inner_ctx = Ctx {
                    file: ctx.file,
                    base: body_start + i + 1,
                };
                check_nesting(ctx.file, inner_ctx.base, inner)?;
                let mut pairs = PlanParser::parse(Rule::interpolation, inner).map_err(|_| {
                    syntax_error(ctx.file, inner_ctx.base, inner, Rule::interpolation)
                })?;
                let mut it = pairs.next().expect("grammar: interpolation").into_inner();
                let e = parse_expr(&inner_ctx, it.next().expect("grammar: interpolation expr"))?;
                let prec = it
                    .next()
                    .filter(|f| f.as_rule() == Rule::format_spec)
                    .map(|f| f.as_str()[1..].parse::<u8>().unwrap_or(u8::MAX).min(12));
                parts.push(TemplatePart::Expr(e, prec));
                i += close + 1;
            }
            _ => {
                let c = raw[i..].chars().next().expect("in bounds");
                lit.push(c);
                i += c.len_utf8();
            }
        }
    }
    if !lit.is_empty() {
        parts.push(TemplatePart::Text(lit));
    }
    Ok(Spanned::new(Template { parts }, span))
}

fn pratt() -> &'static PrattParser<Rule> {
    static P: OnceLock<PrattParser<Rule>> = OnceLock::new();
    P.get_or_init(|| {
        PrattParser::new()
            .op(Op::infix(Rule::or, Assoc::Left))
            .op(Op::infix(Rule::and, Assoc::Left))
            .op(Op::prefix(Rule::not))
            .op(Op::infix(Rule::ge, Assoc::Left)
                | Op::infix(Rule::le, Assoc::Left)
                | Op::infix(Rule::gt, Assoc::Left)
                | Op::infix(Rule::lt, Assoc::Left)
                | Op::infix(Rule::eq, Assoc::Left)
                | Op::infix(Rule::ne, Assoc::Left))
            .op(Op::infix(Rule::add, Assoc::Left) | Op::infix(Rule::sub, Assoc::Left))
            .op(Op::infix(Rule::mul, Assoc::Left) | Op::infix(Rule::div, Assoc::Left))
            .op(Op::prefix(Rule::neg))
    })
}

/// Folds a flat `expr` pair into a tree, refusing expressions too long or
/// too deep to build and drop safely: [`MAX_OPERATORS`] counts every
/// operator of the expression, inside its parentheses and calls too, so the
/// tree is never deeper than that plus [`MAX_NESTING`].
fn parse_expr(ctx: &Ctx, p: Pair<Rule>) -> PResult<Expr> {
    check_prefix_runs(ctx, &p)?;
    let ops = p
        .clone()
        .into_inner()
        .flatten()
        .filter(|x| is_operator(x.as_rule()))
        .count();
    if ops > MAX_OPERATORS {
        return Err(Diagnostic::error(
            ctx.span(&p),
            format!("expression has more than {MAX_OPERATORS} operators"),
        )
        .help("split it into named figures"));
    }
    parse_subexpr(ctx, p)
}

/// Refuses more than [`MAX_PREFIX_RUN`] prefix operators in a row at this
/// level of an expression.
fn check_prefix_runs(ctx: &Ctx, p: &Pair<Rule>) -> PResult<()> {
    let mut run = 0usize;
    for x in p.clone().into_inner() {
        if matches!(x.as_rule(), Rule::neg | Rule::not) {
            run += 1;
            if run > MAX_PREFIX_RUN {
                return Err(Diagnostic::error(
                    ctx.span(&x),
                    format!("more than {MAX_PREFIX_RUN} prefix operators in a row"),
                ));
            }
        } else {
            run = 0;
        }
    }
    Ok(())
}

fn is_operator(r: Rule) -> bool {
    matches!(
        r,
        Rule::neg
            | Rule::not
            | Rule::add
            | Rule::sub
            | Rule::mul
            | Rule::div
            | Rule::ge
            | Rule::le
            | Rule::gt
            | Rule::lt
            | Rule::eq
            | Rule::ne
            | Rule::and
            | Rule::or
    )
}

/// A part of an expression whose operators [`parse_expr`] has counted.
fn parse_subexpr(ctx: &Ctx, p: Pair<Rule>) -> PResult<Expr> {
    check_prefix_runs(ctx, &p)?;
    pratt()
        .map_primary(|x| parse_primary(ctx, x))
        .map_prefix(|op, rhs| {
            let rhs = rhs?;
            let s = ctx.span(&op).to(rhs.span);
            let o = match op.as_rule() {
                Rule::neg => UnOp::Neg,
                Rule::not => UnOp::Not,
                r => unreachable!("{r:?} not supposed to get there (prefix)"),
            };
            Ok(Expr {
                kind: ExprKind::Unary(o, Box::new(rhs)),
                span: s,
            })
        })
        .map_infix(|lhs, op, rhs| {
            let (lhs, rhs) = (lhs?, rhs?);
            let o = match op.as_rule() {
                Rule::add => BinOp::Add,
                Rule::sub => BinOp::Sub,
                Rule::mul => BinOp::Mul,
                Rule::div => BinOp::Div,
                Rule::ge => BinOp::Ge,
                Rule::le => BinOp::Le,
                Rule::gt => BinOp::Gt,
                Rule::lt => BinOp::Lt,
                Rule::eq => BinOp::Eq,
                Rule::ne => BinOp::Ne,
                Rule::and => BinOp::And,
                Rule::or => BinOp::Or,
                r => unreachable!("{r:?} not supposed to get there (infix)"),
            };
            let s = lhs.span.to(rhs.span);
            Ok(Expr {
                kind: ExprKind::Binary(o, Box::new(lhs), Box::new(rhs)),
                span: s,
            })
        })
        .parse(p.into_inner())
}

fn parse_primary(ctx: &Ctx, x: Pair<Rule>) -> PResult<Expr> {
    let span = ctx.span(&x);
    let kind = match x.as_rule() {
        Rule::number => ExprKind::Number(parse_number(ctx, &x)?),
        Rule::period_lit => ExprKind::Period(parse_period_str(x.as_str())),
        Rule::ident => ExprKind::Name(x.as_str().to_string()),
        Rule::paren => {
            // The span keeps its parentheses, so any sub-expression shown
            // (explain) is balanced: `(预测值 - anchor()) / (target() - anchor())`.
            let mut e = parse_subexpr(ctx, x.into_inner().next().expect("grammar: paren expr"))?;
            e.span = span;
            return Ok(e);
        }
        Rule::call => {
            let mut i = x.into_inner();
            let name = ctx.ident(i.next().expect("grammar: call name"));
            let args = i
                .map(|a| parse_subexpr(ctx, a))
                .collect::<PResult<Vec<_>>>()?;
            ExprKind::Call(name, args)
        }
        r => unreachable!("{r:?} not supposed to get there (parse_primary)"),
    };
    Ok(Expr { kind, span })
}
