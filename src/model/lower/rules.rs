//! Method rules and their expressions: names resolved in scope, calls
//! checked against the built-in signatures, types, and rule coverage.

use super::*;

impl Lowerer<'_> {
    pub(super) fn lower_rule(&mut self, ctx: &ModelCtx, method: MethodId, r: &ast::Rule) -> Rule {
        let mut applies = Vec::new();
        for a in &r.applies {
            match (a.node.as_str(), TargetForm::parse(&a.node)) {
                ("parent", _) => applies.push(Applies::Parent),
                (_, Some(f)) => applies.push(Applies::Form(f)),
                _ => {
                    let mut words: Vec<&str> = TargetForm::ALL.iter().map(|(w, _)| *w).collect();
                    words.push("parent");
                    self.err(
                        Diagnostic::error(a.span, format!("unknown target form `{}`", a.node))
                            .expected(format!("one of {}", list(&words)))
                            .suggest(&a.node, words.iter().copied()),
                    );
                }
            }
        }
        let mut scope = Scope {
            ctx,
            method,
            figures: Vec::new(),
        };
        let mut figures = Vec::new();
        for (name, e) in &r.figures {
            if scope.figures.contains(&name.node) {
                self.err(Diagnostic::error(
                    name.span,
                    format!("figure `{}` is defined twice", name.node),
                ));
            }
            let (expr, ty) = self.lower_expr(&scope, e);
            if ty != Ty::Num && ty != Ty::Any {
                self.err(Diagnostic::error(
                    e.span,
                    format!("a figure is a number, but this is {}", ty.word()),
                ));
            }
            scope.figures.push(name.node.clone());
            figures.push(Figure {
                name: name.node.clone(),
                expr,
            });
        }
        let mut branches = Vec::new();
        let mut fallback_seen: Option<Span> = None;
        let mut conds_seen: Vec<String> = Vec::new();
        for b in &r.branches {
            if let Some(f) = fallback_seen {
                self.err(
                    Diagnostic::warning(
                        b.span,
                        "this branch can never fire: it comes after `otherwise`",
                    )
                    .help(format!(
                        "`otherwise` at {} always matches first",
                        self.sources.location(f)
                    )),
                );
            }
            let cond = b.cond.as_ref().map(|c| {
                let (e, ty) = self.lower_expr(&scope, c);
                if ty != Ty::Bool && ty != Ty::Any {
                    self.err(
                        Diagnostic::error(
                            c.span,
                            format!(
                                "a condition must be true or false, but this is {}",
                                ty.word()
                            ),
                        )
                        .help("compare it: `latest() >= target()`"),
                    );
                }
                let text: String = self.sources.text(c.span).split_whitespace().collect();
                if conds_seen.contains(&text) {
                    self.err(Diagnostic::warning(
                        c.span,
                        "this branch can never fire: an earlier branch has the same condition",
                    ));
                } else if constant_bool(&e) == Some(false) {
                    self.err(Diagnostic::warning(
                        c.span,
                        "this branch can never fire: its condition is always false",
                    ));
                }
                conds_seen.push(text);
                e
            });
            if cond.is_none() {
                fallback_seen = Some(b.span);
            }
            let status = self
                .resolve_status(ctx.statuses, Some(method), &b.status)
                .unwrap_or(0);
            let explanation = match &b.explanation {
                Some(t) => t
                    .node
                    .parts
                    .iter()
                    .map(|p| match p {
                        ast::TemplatePart::Text(s) => Part::Text(s.clone()),
                        ast::TemplatePart::Expr(e, prec) => {
                            Part::Expr(self.lower_expr(&scope, e).0, *prec)
                        }
                    })
                    .collect(),
                None => vec![],
            };
            branches.push(Branch {
                cond,
                status,
                explanation,
                span: b.span,
            });
        }
        if fallback_seen.is_none() {
            self.err(
                Diagnostic::error(r.id.span, format!("rule `{}` has no fallback", r.id.node)).help(
                    "end it with `otherwise => <status> \"…\"` so every indicator gets a status",
                ),
            );
        }
        Rule {
            id: r.id.node.clone(),
            applies,
            figures,
            branches,
            span: r.span,
        }
    }

    pub(super) fn lower_expr(&mut self, scope: &Scope, e: &ast::Expr) -> (Expr, Ty) {
        let mk = |kind| Expr { kind, span: e.span };
        match &e.kind {
            ast::ExprKind::Number(v) => (mk(ExprKind::Number(*v)), Ty::Num),
            ast::ExprKind::Period(p) => (mk(ExprKind::Period(*p)), Ty::Period),
            ast::ExprKind::Name(n) => {
                if let Some(i) = scope.figures.iter().position(|f| f == n) {
                    return (mk(ExprKind::Figure(i)), Ty::Num);
                }
                let visible = |s: &Status| s.method.is_none() || s.method == Some(scope.method);
                if let Some(s) = scope
                    .ctx
                    .statuses
                    .iter()
                    .position(|s| visible(s) && s.name == *n)
                {
                    return (mk(ExprKind::Status(s)), Ty::Status);
                }
                // A class word stands for every status of its class.
                if let Some(c) = StatusClass::parse(n) {
                    return (mk(ExprKind::Class(c)), Ty::Status);
                }
                if let Some(i) = scope.ctx.lookup(n) {
                    self.err(
                        Diagnostic::error(
                            e.span,
                            format!("indicator `{n}` cannot stand alone in an expression"),
                        )
                        .help(format!(
                            "pass it to a function: `latest({n})`, `target({n})`"
                        )),
                    );
                    return (mk(ExprKind::Indicator(i)), Ty::Any);
                }
                let mut cands: Vec<&str> = scope.figures.iter().map(String::as_str).collect();
                cands.extend(
                    scope
                        .ctx
                        .statuses
                        .iter()
                        .filter(|s| visible(s))
                        .map(|s| s.name.as_str()),
                );
                cands.extend(StatusClass::WORDS);
                cands.extend(scope.ctx.ind_ids.iter().copied());
                let d = Diagnostic::error(e.span, format!("undefined name `{n}`"))
                    .expected("a figure defined earlier in this rule, a status or a status class (`behind`), or a function call such as `latest()`");
                self.err(d.suggest(n, cands));
                (mk(ExprKind::Number(f64::NAN)), Ty::Any)
            }
            ast::ExprKind::Unary(op, x) => {
                let (x, t) = self.lower_expr(scope, x);
                let want = if *op == UnOp::Neg { Ty::Num } else { Ty::Bool };
                self.expect_ty(
                    t,
                    want,
                    x.span,
                    if *op == UnOp::Neg { "`-`" } else { "`not`" },
                );
                (mk(ExprKind::Unary(*op, Box::new(x))), want)
            }
            ast::ExprKind::Binary(op, a, b) => {
                let (a, ta) = self.lower_expr(scope, a);
                let (b, tb) = self.lower_expr(scope, b);
                let sym = format!("`{}`", op.symbol());
                let out = match op {
                    BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div => {
                        self.expect_ty(ta, Ty::Num, a.span, &sym);
                        self.expect_ty(tb, Ty::Num, b.span, &sym);
                        Ty::Num
                    }
                    BinOp::Ge | BinOp::Le | BinOp::Gt | BinOp::Lt => {
                        self.expect_ty(ta, Ty::Num, a.span, &sym);
                        self.expect_ty(tb, Ty::Num, b.span, &sym);
                        Ty::Bool
                    }
                    BinOp::Eq | BinOp::Ne => {
                        if ta != tb && ta != Ty::Any && tb != Ty::Any {
                            self.err(Diagnostic::error(
                                a.span.to(b.span),
                                format!("cannot compare {} with {}", ta.word(), tb.word()),
                            ));
                        }
                        Ty::Bool
                    }
                    BinOp::And | BinOp::Or => {
                        self.expect_ty(ta, Ty::Bool, a.span, &sym);
                        self.expect_ty(tb, Ty::Bool, b.span, &sym);
                        Ty::Bool
                    }
                };
                (mk(ExprKind::Binary(*op, Box::new(a), Box::new(b))), out)
            }
            ast::ExprKind::Call(name, args) => self.lower_call(scope, e, name, args),
        }
    }

    pub(super) fn lower_call(
        &mut self,
        scope: &Scope,
        e: &ast::Expr,
        name: &ast::Ident,
        args: &[ast::Expr],
    ) -> (Expr, Ty) {
        let Some(sig) = builtins::lookup(&name.node) else {
            let cands = builtins::SIGNATURES.iter().flat_map(|s| [s.name, s.alias]);
            self.err(
                Diagnostic::error(name.span, format!("unknown function `{}`", name.node))
                    .suggest(&name.node, cands),
            );
            return (
                Expr {
                    kind: ExprKind::Number(f64::NAN),
                    span: e.span,
                },
                Ty::Any,
            );
        };
        let n = sig.params.len();
        let max = n + usize::from(sig.takes_indicator);
        if args.len() < n || args.len() > max {
            let want = if max == n {
                format!("{n}")
            } else {
                format!("{n} or {max}")
            };
            let usage = sig_usage(sig);
            self.err(
                Diagnostic::error(
                    e.span,
                    format!(
                        "`{}` takes {want} argument(s), not {}",
                        name.node,
                        args.len()
                    ),
                )
                .expected(usage),
            );
        }
        let mut out = Vec::new();
        let mut ret = sig.returns;
        for (i, a) in args.iter().enumerate() {
            if i >= n {
                // The optional indicator argument.
                if let ast::ExprKind::Name(id) = &a.kind {
                    let ident = ast::Spanned::new(id.clone(), a.span);
                    let k = self.resolve_indicator(scope.ctx, &ident).unwrap_or(0);
                    out.push(Expr {
                        kind: ExprKind::Indicator(k),
                        span: a.span,
                    });
                } else {
                    self.err(
                        Diagnostic::error(
                            a.span,
                            format!("the last argument of `{}` names an indicator", name.node),
                        )
                        .expected(sig_usage(sig)),
                    );
                }
                continue;
            }
            let want = sig.params[i];
            // A plain year where a period is wanted: `value(2022)`.
            if want == Ty::Period {
                if let ast::ExprKind::Number(v) = a.kind {
                    if v.fract() == 0.0 && (1000.0..10000.0).contains(&v) {
                        out.push(Expr {
                            kind: ExprKind::Period(Period::year(v as i32)),
                            span: a.span,
                        });
                        continue;
                    }
                }
            }
            let (x, t) = self.lower_expr(scope, a);
            if want != Ty::Any {
                self.expect_ty(t, want, a.span, &format!("`{}`", name.node));
            }
            if sig.builtin == builtins::Builtin::If && i == 1 {
                ret = t;
            }
            out.push(x);
        }
        (
            Expr {
                kind: ExprKind::Call(sig.builtin, out),
                span: e.span,
            },
            ret,
        )
    }

    pub(super) fn expect_ty(&mut self, got: Ty, want: Ty, span: Span, what: &str) {
        if got != want && got != Ty::Any && want != Ty::Any {
            self.err(Diagnostic::error(
                span,
                format!(
                    "{what} expects {} here, but this is {}",
                    want.word(),
                    got.word()
                ),
            ));
        }
    }

    /// Statuses no rule can give, and parent rules that let a status their
    /// sub-indicators can get fall to a fallback of another class (a new
    /// 严重滞后 under a rule written for 低于预期 would read 达到预期).
    pub(super) fn check_status_coverage(
        &mut self,
        model: &Model,
        method_asts: &[&ast::Method],
        plan_statuses: &[ast::StatusDecl],
    ) {
        let reach: Vec<Vec<Vec<StatusId>>> = model
            .methods
            .iter()
            .map(|m| m.rules.iter().map(reachable_statuses).collect())
            .collect();
        // A declared status that no rule gives: the plan's in no method,
        // a method's own in that method.
        for (k, st) in model.statuses.iter().enumerate() {
            let given = match st.method {
                Some(mi) => reach[mi].iter().any(|r| r.contains(&k)),
                None => reach.iter().flatten().any(|r| r.contains(&k)),
            };
            if given || model.methods.is_empty() {
                continue;
            }
            let decls = match st.method {
                Some(mi) => &method_asts[mi].statuses[..],
                None => plan_statuses,
            };
            let Some(d) = decls.iter().find(|d| d.name.node == st.name) else {
                continue;
            };
            self.err(
                Diagnostic::warning(
                    d.name.span,
                    format!("status `{}` is declared but no rule gives it", st.name),
                )
                .help(format!(
                    "end a branch with `=> {}`, or remove the declaration",
                    st.name
                )),
            );
        }
        // Parent rules: every status a sub-indicator can get is named (or its
        // class is), or falls to a fallback of its own class.
        for (mi, m) in model.methods.iter().enumerate() {
            let mut warned: Vec<(usize, StatusId)> = Vec::new();
            for (p, ind) in model.indicators.iter().enumerate() {
                if ind.children.is_empty() {
                    continue;
                }
                let Some(ri) = model.rule_for(mi, p) else {
                    continue;
                };
                let rule = &m.rules[ri];
                let Some(fallback) = rule.branches.iter().find(|b| b.cond.is_none()) else {
                    continue;
                };
                for &c in &ind.children {
                    let Some(ci) = model.rule_for(mi, c) else {
                        continue;
                    };
                    for &s in &reach[mi][ci] {
                        let class = model.statuses[s].class;
                        let handled = class == model.statuses[fallback.status].class
                            || rule
                                .branches
                                .iter()
                                .filter_map(|b| b.cond.as_ref())
                                .any(|e| mentions(e, s, class));
                        if handled || warned.contains(&(ri, s)) {
                            continue;
                        }
                        warned.push((ri, s));
                        let name = &model.statuses[s].name;
                        self.err(
                            Diagnostic::warning(
                                fallback.span,
                                format!(
                                    "rule `{}` does not handle `{}`, which sub-indicator `{}` can get: it falls to `{}`",
                                    rule.id,
                                    name,
                                    model.indicators[c].id,
                                    model.statuses[fallback.status].name
                                ),
                            )
                            .help(format!(
                                "add a branch such as `when children_any({name}) => …`, or name its class: `children_any({})`",
                                class.word()
                            )),
                        );
                    }
                }
            }
        }
    }

    pub(super) fn check_coverage(&mut self, model: &Model, method_asts: &[&ast::Method]) {
        for (mi, m) in model.methods.iter().enumerate() {
            // A second rule for the same form is never used.
            let mut seen: Vec<Applies> = Vec::new();
            for (ri, r) in m.rules.iter().enumerate() {
                for a in &r.applies {
                    if seen.contains(a) {
                        let span = method_asts[mi].rules[ri]
                            .applies
                            .iter()
                            .find(|x| x.node == applies_word(*a))
                            .map_or(r.span, |x| x.span);
                        self.err(Diagnostic::warning(span, format!("an earlier rule of method `{}` already decides `{}`: this one is never used for it", m.id, applies_word(*a))));
                    } else {
                        seen.push(*a);
                    }
                }
            }
            let mut missing: Vec<(Applies, Vec<&str>)> = Vec::new();
            for (k, ind) in model.indicators.iter().enumerate() {
                let Some(a) = model.applies_of(k) else {
                    continue;
                };
                if !seen.contains(&a) {
                    match missing.iter_mut().find(|(x, _)| *x == a) {
                        Some((_, v)) => v.push(&ind.id),
                        None => missing.push((a, vec![&ind.id])),
                    }
                }
            }
            for (a, inds) in missing {
                let span = method_asts[mi].id.span;
                self.err(
                    Diagnostic::error(
                        span,
                        format!(
                            "method `{}` has no rule for `{}` (needed by {})",
                            m.id,
                            applies_word(a),
                            inds.iter()
                                .map(|i| format!("`{i}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    )
                    .help(format!("add `rule <name> for {} {{ … }}`", applies_word(a))),
                );
            }
        }
    }
}

/// The statuses a rule can give: those of its branches that can fire (none
/// after `otherwise`, none whose condition is always false).
fn reachable_statuses(r: &Rule) -> Vec<StatusId> {
    let mut out = Vec::new();
    for b in &r.branches {
        if b.cond.as_ref().and_then(constant_bool) == Some(false) {
            continue;
        }
        if !out.contains(&b.status) {
            out.push(b.status);
        }
        if b.cond.is_none() {
            break;
        }
    }
    out
}

/// Whether `e` names status `s` or its class.
fn mentions(e: &Expr, s: StatusId, class: StatusClass) -> bool {
    match &e.kind {
        ExprKind::Status(x) => *x == s,
        ExprKind::Class(c) => *c == class,
        ExprKind::Call(_, args) => args.iter().any(|a| mentions(a, s, class)),
        ExprKind::Unary(_, x) => mentions(x, s, class),
        ExprKind::Binary(_, a, b) => mentions(a, s, class) || mentions(b, s, class),
        _ => false,
    }
}

fn applies_word(a: Applies) -> &'static str {
    match a {
        Applies::Parent => "parent",
        Applies::Form(f) => f.word(),
    }
}

fn sig_usage(sig: &builtins::Signature) -> String {
    let mut ps: Vec<String> = sig
        .params
        .iter()
        .map(|t| match t {
            Ty::Num => "number",
            Ty::Bool => "condition",
            Ty::Status => "status",
            Ty::Period => "period",
            Ty::Any => "value",
        })
        .map(String::from)
        .collect();
    if sig.takes_indicator {
        ps.push("[indicator]".into());
    }
    format!("`{}({})`", sig.name, ps.join(", "))
}

/// The value of a condition made only of constants, if it is one.
fn constant_bool(e: &Expr) -> Option<bool> {
    fn num(e: &Expr) -> Option<f64> {
        match &e.kind {
            ExprKind::Number(v) => Some(*v),
            ExprKind::Unary(UnOp::Neg, x) => num(x).map(|v| -v),
            ExprKind::Binary(op, a, b) => {
                let (a, b) = (num(a)?, num(b)?);
                match op {
                    BinOp::Add => Some(a + b),
                    BinOp::Sub => Some(a - b),
                    BinOp::Mul => Some(a * b),
                    BinOp::Div if b != 0.0 => Some(a / b),
                    _ => None,
                }
            }
            _ => None,
        }
    }
    match &e.kind {
        ExprKind::Unary(UnOp::Not, x) => constant_bool(x).map(|b| !b),
        ExprKind::Binary(op, a, b) => match op {
            BinOp::And => match (constant_bool(a), constant_bool(b)) {
                (Some(false), _) | (_, Some(false)) => Some(false),
                (Some(true), Some(true)) => Some(true),
                _ => None,
            },
            BinOp::Or => match (constant_bool(a), constant_bool(b)) {
                (Some(true), _) | (_, Some(true)) => Some(true),
                (Some(false), Some(false)) => Some(false),
                _ => None,
            },
            BinOp::Ge | BinOp::Le | BinOp::Gt | BinOp::Lt | BinOp::Eq | BinOp::Ne => {
                let (x, y) = (num(a)?, num(b)?);
                Some(match op {
                    BinOp::Ge => x >= y,
                    BinOp::Le => x <= y,
                    BinOp::Gt => x > y,
                    BinOp::Lt => x < y,
                    BinOp::Eq => x == y,
                    _ => x != y,
                })
            }
            _ => None,
        },
        _ => None,
    }
}
