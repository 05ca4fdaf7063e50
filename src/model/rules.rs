//! The evaluation rules as the model holds them: methods, their rules,
//! figures and branches, and the typed expressions they compute.

use super::*;

/// An evaluation method: options and ordered rules.
#[derive(Debug, Clone)]
pub struct Method {
    /// Method id.
    pub id: String,
    /// Title.
    pub title: Option<String>,
    /// How averages and reductions are computed.
    pub options: MethodOptions,
    /// Rules, in order.
    pub rules: Vec<Rule>,
    /// The summary's words for each status class.
    pub classes: ClassWords,
}

/// What a rule decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applies {
    /// Indicators whose target has this form.
    Form(TargetForm),
    /// Indicators with sub-indicators.
    Parent,
}

/// An ordered decision list: first matching branch wins.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Rule id.
    pub id: String,
    /// What it decides.
    pub applies: Vec<Applies>,
    /// Named figures, computed in order before the branches.
    pub figures: Vec<Figure>,
    /// Branches; the last one has no condition.
    pub branches: Vec<Branch>,
    /// The declaration.
    pub span: Span,
}

/// `应达水平 = path()`
#[derive(Debug, Clone)]
pub struct Figure {
    /// Name.
    pub name: String,
    /// Definition.
    pub expr: Expr,
}

/// `when cond => status "explanation"`
#[derive(Debug, Clone)]
pub struct Branch {
    /// Condition; `None` for `otherwise`.
    pub cond: Option<Expr>,
    /// The status decided.
    pub status: StatusId,
    /// Explanation with interpolations.
    pub explanation: Vec<Part>,
    /// The branch.
    pub span: Span,
}

/// A piece of an explanation.
#[derive(Debug, Clone)]
pub enum Part {
    /// Literal text.
    Text(String),
    /// An interpolated expression and its decimals.
    Expr(Expr, Option<u8>),
}

/// A resolved expression.
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
    /// A number.
    Number(f64),
    /// A period.
    Period(Period),
    /// A status word.
    Status(StatusId),
    /// A status class (`behind`): stands for every status of the class,
    /// in `children_any`, `children_all`, `assessed` and `==`.
    Class(StatusClass),
    /// An earlier figure of the same rule.
    Figure(usize),
    /// An indicator, as a function argument.
    Indicator(IndicatorId),
    /// A built-in function.
    Call(builtins::Builtin, Vec<Expr>),
    /// `-x`, `not x`
    Unary(crate::ops::UnOp, Box<Expr>),
    /// `a op b`
    Binary(crate::ops::BinOp, Box<Expr>, Box<Expr>),
}
