//! The syntax tree: what a rule file says, with spans, before any name is
//! resolved. Mirrors `grammar/plan.pest`; `model` turns it into checked types.

use crate::span::Span;

/// A value with the span it was written at.
#[derive(Debug, Clone)]
pub struct Spanned<T> {
    /// The value.
    pub node: T,
    /// Where it was written.
    pub span: Span,
}

impl<T> Spanned<T> {
    /// Wraps a value.
    pub fn new(node: T, span: Span) -> Self {
        Spanned { node, span }
    }
}

/// An identifier: `GDP增长`, `超出预期`, `reach`.
pub type Ident = Spanned<String>;

/// One parsed file.
#[derive(Debug, Clone, Default)]
pub struct File {
    /// `plan … { … }` blocks (a valid load has exactly one).
    pub plans: Vec<Plan>,
    /// Top-level `indicator` blocks, in file order.
    pub indicators: Vec<Indicator>,
    /// `method` blocks.
    pub methods: Vec<Method>,
    /// `test` blocks.
    pub tests: Vec<TestBlock>,
    /// `synonyms { a = b = c }` groups.
    pub synonyms: Vec<Vec<Spanned<String>>>,
    /// `synonyms { a != b }`: pairs no source of synonyms may add.
    pub not_synonyms: Vec<(Spanned<String>, Spanned<String>)>,
    /// `terms { … }` words for the segmenter.
    pub terms: Vec<Spanned<String>>,
    /// Graph nodes: `goal`, `task`, `project`, `measure`, `term`.
    pub nodes: Vec<Node>,
    /// `project_states { 在建 under_way … }`: state words and their classes.
    pub project_states: Vec<(Ident, Ident)>,
    /// `document 统计公报2022 "…" { publisher "…" year 2023 }` citations.
    pub documents: Vec<DocumentDecl>,
}

/// `source "…"`, `source "…" in 统计公报2022` or `source in 统计公报2022`.
#[derive(Debug, Clone)]
pub struct Source {
    /// The quote, when one is given.
    pub quote: Option<Spanned<String>>,
    /// The document it is from, when named.
    pub document: Option<Ident>,
    /// `source` to the end.
    pub span: Span,
}

/// `document 统计公报2022 "中华人民共和国2022年国民经济和社会发展统计公报" { … }`
#[derive(Debug, Clone)]
pub struct DocumentDecl {
    /// The name sources cite it by.
    pub id: Ident,
    /// Its title.
    pub title: Option<Spanned<String>>,
    /// `publisher "国家统计局"`
    pub publisher: Option<Spanned<String>>,
    /// `year 2023`
    pub year: Option<Spanned<String>>,
    /// `url "https://…"`
    pub url: Option<Spanned<String>>,
    /// `note "…"`
    pub notes: Vec<Spanned<String>>,
    /// The whole block.
    pub span: Span,
}

/// `project 中科卧龙产业技术研究院 "…" { supports 创新中心_二 source "…" }`
#[derive(Debug, Clone)]
pub struct Node {
    /// `goal`, `task`, `project`, `measure` or `term`.
    pub kind: Ident,
    /// Node id.
    pub id: Ident,
    /// Display name (defaults to the id).
    pub name: Option<Spanned<String>>,
    /// Edges declared in the block.
    pub edges: Vec<EdgeDecl>,
    /// `investment 8.9亿元`
    pub investment: Option<Spanned<Quantity>>,
    /// `year 2022`
    pub year: Option<Spanned<String>>,
    /// `state 建成投产`
    pub state: Option<Ident>,
    /// `expansion "…"` (a glossary term's explanation).
    pub expansion: Option<Spanned<String>>,
    /// `alias "…"`: other names the node goes by.
    pub aliases: Vec<Spanned<String>>,
    /// `note "…"`
    pub notes: Vec<Spanned<String>>,
    /// `source "…"`
    pub source: Option<Source>,
    /// The whole block.
    pub span: Span,
}

/// `supports 创新中心_二, 创新中心 source "…"`
#[derive(Debug, Clone)]
pub struct EdgeDecl {
    /// `part_of`, `supports`, `implements`, `depends_on`, `measured_by`, `defines`.
    pub kind: Ident,
    /// Targets: node ids, or words for `defines`.
    pub targets: Vec<Spanned<String>>,
    /// `source "…"`
    pub source: Option<Source>,
    /// The line.
    pub span: Span,
}

/// `plan 卧龙区十四五 "…" { period 2021..2025 baseline 2020 … }`
#[derive(Debug, Clone)]
pub struct Plan {
    /// Plan id.
    pub id: Ident,
    /// Optional title.
    pub title: Option<Spanned<String>>,
    /// `period 2021..2025`
    pub period: Option<(Spanned<Period>, Spanned<Period>)>,
    /// `baseline 2020`
    pub baseline: Option<Spanned<Period>>,
    /// `categories 经济发展, 创新驱动`
    pub categories: Vec<Ident>,
    /// `attributes 预期性, 约束性`
    pub attributes: Vec<Ident>,
    /// `default method 中期评估`
    pub default_method: Option<Ident>,
    /// `statuses { 达到预期 on_track "…" }`
    pub statuses: Vec<StatusDecl>,
    /// `classes { behind "低于预期" }`: the summary's words for each class.
    pub classes: Vec<(Ident, Spanned<String>)>,
    /// `default about 0.5`: the tolerance of a bare `左右`.
    pub default_tolerance: Option<Spanned<Quantity>>,
    /// The `plan` keyword.
    pub span: Span,
}

/// `达到预期 on_track "on schedule"`
#[derive(Debug, Clone)]
pub struct StatusDecl {
    /// The status word.
    pub name: Ident,
    /// Its class: `ahead`, `on_track`, `behind`, `no_data`.
    pub class: Ident,
    /// Optional English gloss.
    pub gloss: Option<Spanned<String>>,
}

pub use crate::ops::{BinOp, UnOp};
pub use crate::period::Period;

/// `9.1`, `63.99%`, `9259人`.
#[derive(Debug, Clone)]
pub struct Quantity {
    /// The number as written.
    pub value: f64,
    /// Decimals written (`8.0` has 1): the rounding a stated figure allows.
    pub decimals: u8,
    /// The unit written after it, if any.
    pub unit: Option<Spanned<String>>,
}

/// `indicator GDP增长 { … }`
#[derive(Debug, Clone)]
pub struct Indicator {
    /// Indicator id.
    pub id: Ident,
    /// `seq 1`
    pub seq: Option<Spanned<String>>,
    /// `name "地区生产总值增长"`
    pub name: Option<Spanned<String>>,
    /// `category 经济发展`
    pub category: Option<Ident>,
    /// `attribute 预期性`
    pub attribute: Option<Ident>,
    /// `unit "%"`
    pub unit: Option<Spanned<String>>,
    /// `kind rate`
    pub kind: Option<Ident>,
    /// `target rate 7.5 …` (more than one is an error reported later).
    pub targets: Vec<Target>,
    /// `baseline 2020: 3.4 source "…"`
    pub baselines: Vec<ObsLine>,
    /// `observed 2021: 9.1, 2022: 4.0 source "…"`
    pub observed: Vec<ObsLine>,
    /// `stated 年均增长 = 6.6 as of 2022 source "…"`
    pub stated: Vec<Stated>,
    /// `assessed 2022: 完成市定目标 source "…"`
    pub assessed: Vec<AssessLine>,
    /// `note "…"`
    pub notes: Vec<Spanned<String>>,
    /// Nested sub-indicators.
    pub children: Vec<Indicator>,
    /// The whole block.
    pub span: Span,
}

/// `target reach 70 about 0.5 printed "70" source "…"`
#[derive(Debug, Clone)]
pub struct Target {
    /// `reach`, `rate`, `cumulative`, `below`, `above`, `floor`, `ceiling`,
    /// `increase`, `tied`, `city`.
    pub form: Ident,
    /// The number of the target.
    pub value: Option<Spanned<Quantity>>,
    /// The other indicator of a `tied` target.
    pub other: Option<Ident>,
    /// `baseline + 1`: the number is added to (or, `-`, taken from) the
    /// baseline value.
    pub relative: Option<Spanned<Quantity>>,
    /// `about 0.5` / `左右 0.5`
    pub tolerance: Option<Spanned<Quantity>>,
    /// A `左右` written without a tolerance: the plan's `default about`.
    pub bare_about: Option<Span>,
    /// `printed "7.0左右"`
    pub printed: Option<Spanned<String>>,
    /// `source "…"`
    pub source: Option<Source>,
    /// The whole declaration.
    pub span: Span,
}

/// One `period: value` pair.
#[derive(Debug, Clone)]
pub struct Observation {
    /// When.
    pub period: Spanned<Period>,
    /// The value, `None` for `/`.
    pub value: Option<Spanned<Quantity>>,
}

/// A `baseline` or `observed` line.
#[derive(Debug, Clone)]
pub struct ObsLine {
    /// The pairs.
    pub items: Vec<Observation>,
    /// `source "…"`
    pub source: Option<Source>,
    /// The whole line.
    pub span: Span,
}

/// `stated 年均增长 = 6.6 as of 2022 source "…"`
#[derive(Debug, Clone)]
pub struct Stated {
    /// The figure's name (as a rule's `figures` names it).
    pub figure: Ident,
    /// The value the document states.
    pub value: Spanned<Quantity>,
    /// `as of 2022`
    pub as_of: Option<Spanned<Period>>,
    /// `source "…"`
    pub source: Option<Source>,
    /// The whole line.
    pub span: Span,
}

/// `assessed 2021: 完成市定目标, 2022: 完成市定目标 source "…"`
#[derive(Debug, Clone)]
pub struct AssessLine {
    /// The pairs.
    pub items: Vec<(Spanned<Period>, Ident)>,
    /// `source "…"`
    pub source: Option<Source>,
    /// The whole line.
    pub span: Span,
}

/// `method 中期评估 "…" { statuses {…} rule … }`
#[derive(Debug, Clone)]
pub struct Method {
    /// Method id.
    pub id: Ident,
    /// Optional title.
    pub title: Option<Spanned<String>>,
    /// Statuses the method adds to the plan's vocabulary.
    pub statuses: Vec<StatusDecl>,
    /// `classes { behind "需加快" }`: the summary's words for each class.
    pub classes: Vec<(Ident, Spanned<String>)>,
    /// `options { half_year excluded … }`: option and value.
    pub options: Vec<(Ident, Ident)>,
    /// Rules, in order.
    pub rules: Vec<Rule>,
}

/// `rule 水平目标 for reach { figures {…} when … => … otherwise => … }`
#[derive(Debug, Clone)]
pub struct Rule {
    /// Rule id.
    pub id: Ident,
    /// Target forms (or `parent`) the rule decides.
    pub applies: Vec<Ident>,
    /// `figures { 应达水平 = path() }`
    pub figures: Vec<(Ident, Expr)>,
    /// Branches in order; `otherwise` has no condition.
    pub branches: Vec<Branch>,
    /// The `rule` keyword to the closing brace.
    pub span: Span,
}

/// `when latest() >= target() => 超出预期 "…"` or `otherwise => 低于预期 "…"`.
#[derive(Debug, Clone)]
pub struct Branch {
    /// The condition; `None` for `otherwise`.
    pub cond: Option<Expr>,
    /// The status it decides.
    pub status: Ident,
    /// The explanation template.
    pub explanation: Option<Spanned<Template>>,
    /// The whole branch.
    pub span: Span,
}

/// `test 附件1 { expect … }`
#[derive(Debug, Clone)]
pub struct TestBlock {
    /// The block's name.
    pub name: Spanned<String>,
    /// Expectations.
    pub expects: Vec<Expect>,
}

/// `expect GDP增长 is 低于预期 as of 2023H1 under 中期评估 source "…"`
#[derive(Debug, Clone)]
pub struct Expect {
    /// Indicator id or name.
    pub indicator: Ident,
    /// Expected status.
    pub status: Ident,
    /// `as of 2023H1`
    pub as_of: Option<Spanned<Period>>,
    /// `under sdg`
    pub method: Option<Ident>,
    /// `source "…"`
    pub source: Option<Source>,
    /// The whole line.
    pub span: Span,
}

/// An expression.
#[derive(Debug, Clone)]
pub struct Expr {
    /// What it is.
    pub kind: ExprKind,
    /// Where it was written.
    pub span: Span,
}

/// The shapes of [`Expr`].
#[derive(Debug, Clone)]
pub enum ExprKind {
    /// `7.5`
    Number(f64),
    /// `2023H1`
    Period(Period),
    /// `应达水平`, `超出预期`, `GDP增长`: resolved by `model`.
    Name(String),
    /// `latest()`, `value(2022, GDP增长)`
    Call(Ident, Vec<Expr>),
    /// `-x`, `not x`
    Unary(UnOp, Box<Expr>),
    /// `a + b`, `a >= b`, `a and b`
    Binary(BinOp, Box<Expr>, Box<Expr>),
}

/// An explanation with `{expr}` / `{expr:.2}` interpolations.
#[derive(Debug, Clone, Default)]
pub struct Template {
    /// Literal text and interpolated expressions, in order.
    pub parts: Vec<TemplatePart>,
}

/// One piece of a [`Template`].
#[derive(Debug, Clone)]
pub enum TemplatePart {
    /// Text shown as is.
    Text(String),
    /// `{latest():.2}`: an expression and the number of decimals.
    Expr(Expr, Option<u8>),
}
