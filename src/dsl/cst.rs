//! Text → pest pairs (the concrete syntax tree), and pest's errors worded
//! for a planner: what was expected, named by grammar rule and token.

use super::grammar::{PlanParser, Rule};
use crate::span::{Diagnostic, SourceId, Span};
use pest::error::{ErrorVariant, InputLocation};
use pest::iterators::Pairs;
use pest::Parser as _;

/// Parses `text` (at byte `base` of `file`) from the grammar rule `entry`;
/// on failure, the worded diagnostic of [`syntax_error`].
pub(super) fn cst(
    file: SourceId,
    base: usize,
    text: &str,
    entry: Rule,
) -> Result<Pairs<'_, Rule>, Diagnostic> {
    PlanParser::parse(entry, text).map_err(|_| syntax_error(file, base, text, entry))
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
        Rule::default_tolerance => "`default about <tolerance>`",
        Rule::statuses => "`statuses { … }`",
        Rule::status_decl => "a status declaration such as `达到预期 on_track`",
        Rule::classes => "`classes { … }`",
        Rule::class_label => "a class and its words, such as `behind \"低于预期\"`",
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
        Rule::not_synonym => "`<word> != <word>`",
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
        Rule::plan_entry => "a plan entry (`period`, `baseline`, `categories`, `attributes`, `default method`, `statuses`, `classes`)",
        Rule::ind_entry => "an indicator entry (`seq`, `name`, `category`, `attribute`, `unit`, `kind`, `target`, `baseline`, `observed`, `stated`, `assessed`, `note`, `indicator`)",
        Rule::method_entry => "`statuses { … }`, `classes { … }`, `options { … }` or `rule`",
        Rule::method_options => "`options { <option> <value> … }`",
        Rule::option_decl => "an option and its value (`half_year excluded`)",
        Rule::relative => "`baseline + <number>`",
        Rule::doc_ref => "`in <document>`",
        Rule::kw_in => "`in`",
        Rule::document => "`document`",
        Rule::doc_entry => "a document entry (`publisher`, `year`, `url`, `note`)",
        Rule::doc_publisher => "`publisher \"…\"`",
        Rule::doc_url => "`url \"…\"`",
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
    // A misspelt keyword: the expected keyword it is closest to.
    let keywords: Vec<&str> = expected
        .iter()
        .filter_map(|e| e.strip_prefix('`')?.strip_suffix('`'))
        .filter(|w| w.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        .collect();
    let d = Diagnostic::error(span, message).suggest(found, keywords);
    if expected.is_empty() {
        d
    } else {
        d.expected(expected.join(", "))
    }
}
