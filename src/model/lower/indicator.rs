//! Indicators and their targets: fields, observations (units converted),
//! target forms (whole-table checks are in across.rs).

use super::*;

impl Lowerer<'_> {
    pub(super) fn fill_indicator(
        &mut self,
        ctx: &ModelCtx,
        a: &ast::Indicator,
        ind: &mut Indicator,
    ) {
        let is_parent = !a.children.is_empty();
        let top = ind.parent.is_none();
        // Category and attribute.
        for (given, set, what) in [
            (&a.category, &ctx.plan.categories, Named::Category),
            (&a.attribute, &ctx.plan.attributes, Named::Attribute),
        ] {
            if let Some(c) = given {
                self.check_member(c, set, what);
            } else if top {
                let words: Vec<&str> = set.iter().map(String::as_str).collect();
                self.err(
                    Diagnostic::error(
                        a.id.span,
                        format!("indicator `{}` has no `{}`", a.id.node, what.en()),
                    )
                    .expected(format!("one of {}", list(&words))),
                );
            }
        }
        if top && a.seq.is_none() {
            self.err(
                Diagnostic::error(a.id.span, format!("indicator `{}` has no `seq`", a.id.node))
                    .help("give its 序号 in the table: `seq 1`"),
            );
        }
        if is_parent {
            if let Some(t) = a.targets.first() {
                self.err(
                    Diagnostic::error(t.span, "a parent indicator has no target of its own").help(
                        "its status follows from its sub-indicators through a `for parent` rule",
                    ),
                );
            }
            return;
        }
        let mut kind_known = false;
        if let Some(kind) = &a.kind {
            match Kind::parse(&kind.node) {
                Some(x) => {
                    ind.kind = x;
                    kind_known = true;
                }
                None => self.err(
                    Diagnostic::error(kind.span, format!("unknown kind `{}`", kind.node))
                        .expected(format!("one of {}", list(&Kind::WORDS)))
                        .suggest(&kind.node, Kind::WORDS),
                ),
            }
        } else {
            self.err(
                Diagnostic::error(
                    a.id.span,
                    format!("indicator `{}` has no `kind`", a.id.node),
                )
                .expected(format!("one of {}", list(&Kind::WORDS))),
            );
        }
        if a.unit.is_none() {
            self.err(
                Diagnostic::error(
                    a.id.span,
                    format!("indicator `{}` has no `unit`", a.id.node),
                )
                .help("write `unit \"%\"` (or `\"万人\"`, `\"年\"` …)"),
            );
        }
        let unit = ind.unit.clone();
        let kind = ind.kind;

        // Target.
        for extra in a.targets.iter().skip(1) {
            self.err(Diagnostic::error(
                extra.span,
                format!("indicator `{}` has more than one target", a.id.node),
            ));
        }
        match a.targets.first() {
            None => self.err(
                Diagnostic::error(
                    a.id.span,
                    format!("indicator `{}` has no `target`", a.id.node),
                )
                .expected(format!(
                    "a target such as `target reach 70`; forms: {}",
                    list(&TargetForm::ALL.map(|(w, _)| w))
                )),
            ),
            Some(t) => {
                ind.target = self.lower_target(ctx, t, &unit, kind);
                if let Some(target) = &ind.target {
                    if kind_known {
                        self.check_form_fits(t, target.form, kind);
                    }
                }
            }
        }

        // Baseline and observations.
        for extra in a.baselines.iter().skip(1) {
            self.err(Diagnostic::error(extra.span, "more than one `baseline`"));
        }
        if let Some(b) = a.baselines.first() {
            let obs = self.lower_obs_line(b, &unit, "the baseline");
            for o in &obs {
                if o.period != Period::year(ctx.plan.base_year) {
                    self.err(Diagnostic::error(
                        o.span,
                        format!(
                            "the baseline is for the plan's baseline year {}, not {}",
                            ctx.plan.base_year, o.period
                        ),
                    ));
                }
            }
            ind.baseline = obs.into_iter().next();
        }
        // `reach baseline + 1`: the target is the baseline moved by its number.
        if let Some(t) = ind.target.as_mut() {
            if let Some(r) = t.relative {
                match ind.baseline.as_ref().and_then(|b| b.value) {
                    Some(b) => t.value = Some(b + r),
                    None => self.err(
                        Diagnostic::error(
                            t.span,
                            format!(
                                "a target relative to the baseline needs the baseline of `{}`",
                                a.id.node
                            ),
                        )
                        .expected(format!("`baseline {}: <value>`", ctx.plan.base_year)),
                    ),
                }
            }
        }
        let mut observations: Vec<Observation> = Vec::new();
        for line in &a.observed {
            for o in self.lower_obs_line(line, &unit, "the observation") {
                let inside = o.period.year >= ctx.plan.start && o.period.year <= ctx.plan.end;
                if !inside {
                    self.err(
                        Diagnostic::error(
                            o.span,
                            format!(
                                "observation {} is outside the plan period {}–{}",
                                o.period, ctx.plan.start, ctx.plan.end
                            ),
                        )
                        .help(if o.period.year == ctx.plan.base_year {
                            "a baseline-year value goes in `baseline`".to_string()
                        } else {
                            "observations run from the first to the last year of the plan"
                                .to_string()
                        }),
                    );
                } else if observations.iter().any(|p| p.period == o.period) {
                    self.err(Diagnostic::error(
                        o.span,
                        format!("{} is observed twice", o.period),
                    ));
                } else {
                    observations.push(o);
                }
            }
        }
        observations.sort_by(|a, b| {
            a.period
                .end_time(0)
                .total_cmp(&b.period.end_time(0))
                .then(a.period.half.cmp(&b.period.half))
        });
        ind.observations = observations;

        for s in &a.stated {
            let value = self.convert(&s.value, &unit);
            let factor = if s.value.node.value != 0.0 {
                value / s.value.node.value
            } else {
                1.0
            };
            let rounding = 0.5 * 10f64.powi(-(s.value.node.decimals as i32)) * factor.abs();
            let source = self.quote(&s.source, "the stated figure", s.span);
            ind.stated.push(Stated {
                figure: s.figure.node.clone(),
                value,
                written: written(&s.value.node),
                rounding,
                as_of: s.as_of.as_ref().map(|p| p.node),
                source,
                span: s.span,
            });
        }
        for line in &a.assessed {
            let source = self.quote(&line.source, "the assessment", line.span);
            for (p, st) in &line.items {
                if p.node.year < ctx.plan.start || p.node.year > ctx.plan.end {
                    self.err(Diagnostic::error(
                        p.span,
                        format!(
                            "assessment {} is outside the plan period {}–{}",
                            p.node, ctx.plan.start, ctx.plan.end
                        ),
                    ));
                }
                if let Some(status) = self.resolve_status(ctx.statuses, None, st) {
                    ind.assessments.push(Assessment {
                        period: p.node,
                        status,
                        source: source.clone(),
                    });
                }
            }
        }
    }

    /// A target form on an indicator it does not apply to
    /// ([`TargetForm::scope`]) is an error naming the form to write.
    fn check_form_fits(&mut self, t: &ast::Target, form: TargetForm, kind: Kind) {
        if form.fits(kind) {
            return;
        }
        let scope = form.scope();
        let forms = TargetForm::for_kind(kind);
        let d = Diagnostic::error(
            t.form.span,
            format!(
                "a `{}` target does not fit a `{}` indicator: {}",
                form.word(),
                kind.word(),
                scope.why_not
            ),
        );
        let d = match scope.instead.iter().find(|(k, _)| *k == kind) {
            Some((_, instead)) => d.help(format!(
                "write {instead} (forms for a `{}` indicator: {})",
                kind.word(),
                list(&forms)
            )),
            None => d.help(format!(
                "forms for a `{}` indicator: {}",
                kind.word(),
                list(&forms)
            )),
        };
        self.err(d);
    }

    pub(super) fn convert(&mut self, q: &ast::Spanned<ast::Quantity>, unit: &Unit) -> f64 {
        let Some(u) = &q.node.unit else {
            return q.node.value;
        };
        match unit.factor_from_text(&u.node) {
            Some(f) => q.node.value * f,
            None => {
                self.err(
                    Diagnostic::error(
                        u.span,
                        format!(
                            "unit `{}` does not match the indicator's unit `{}`",
                            u.node, unit.text
                        ),
                    )
                    .help(format!(
                        "write the value in `{}` (or a scaled form of `{}` such as `万{}`)",
                        unit.text, unit.base, unit.base
                    )),
                );
                q.node.value
            }
        }
    }

    pub(super) fn lower_obs_line(
        &mut self,
        line: &ast::ObsLine,
        unit: &Unit,
        what: &str,
    ) -> Vec<Observation> {
        let source = self.quote(&line.source, what, line.span);
        line.items
            .iter()
            .map(|o| Observation {
                period: o.period.node,
                value: o.value.as_ref().map(|q| self.convert(q, unit)),
                written: o.value.as_ref().map(|q| written(&q.node)),
                source: source.clone(),
                span: o
                    .period
                    .span
                    .to(o.value.as_ref().map_or(o.period.span, |v| v.span)),
            })
            .collect()
    }

    pub(super) fn lower_target(
        &mut self,
        ctx: &ModelCtx,
        t: &ast::Target,
        unit: &Unit,
        kind: Kind,
    ) -> Option<Target> {
        let words = TargetForm::ALL.map(|(w, _)| w);
        let Some(form) = TargetForm::parse(&t.form.node) else {
            self.err(
                Diagnostic::error(
                    t.form.span,
                    format!("unknown target form `{}`", t.form.node),
                )
                .expected(format!("one of {}", list(&words)))
                .suggest(&t.form.node, words),
            );
            return None;
        };
        let source = self.quote(&t.source, "the target", t.span);
        let value = t.value.as_ref().map(|q| self.convert(q, unit));
        let tolerance = match (&t.tolerance, t.bare_about, ctx.default_tolerance) {
            (Some(q), _, _) => self.convert(q, unit),
            (None, Some(_), Some(q)) => self.convert(q, unit),
            (None, Some(at), None) => {
                self.err(
                    Diagnostic::error(at, "`左右` without a tolerance, and the plan sets none")
                        .expected("a tolerance such as `左右 0.5`")
                        .help("or set one for the whole plan: `default 左右 0.5` in `plan`"),
                );
                0.0
            }
            (None, None, _) => 0.0,
        };
        let mut tied = None;
        if t.relative.is_some() && form != TargetForm::Reach {
            self.err(
                Diagnostic::error(
                    t.form.span,
                    format!(
                        "only a `reach` target is relative to the baseline, not `{}`",
                        t.form.node
                    ),
                )
                .expected("`target reach baseline + 1`"),
            );
        }
        match form {
            _ if form.names_other() => match &t.other {
                Some(o) => tied = self.resolve_indicator(ctx, o),
                None => self.err(
                    Diagnostic::error(
                        t.span,
                        format!("a `{}` target names another indicator", t.form.node),
                    )
                    .expected(format!("`target {} GDP增长`", t.form.node)),
                ),
            },
            TargetForm::Reach if t.relative.is_some() => {}
            TargetForm::City => {
                if let Some(v) = &t.value {
                    self.err(Diagnostic::error(
                        v.span,
                        "a `city` target has no number: the city sets it each year",
                    ));
                }
            }
            TargetForm::Unread => {
                // The forms that fit the indicator's kind: what can be written.
                let words = TargetForm::for_kind(kind);
                let cell = t.printed.as_ref().map_or("", |p| p.node.as_str());
                self.err(
                    Diagnostic::warning(t.span, format!("target not understood: `{cell}`")).help(
                        format!(
                            "read the target and write its form by hand: one of {}",
                            list(&words)
                        ),
                    ),
                );
            }
            TargetForm::Qualitative => {
                if let Some(v) = &t.value {
                    self.err(
                        Diagnostic::error(
                            v.span,
                            "a `qualitative` target has no number: its status is stated in words",
                        )
                        .help("write the words with `printed \"…\"` and the stated verdict with `assessed`"),
                    );
                }
                if t.printed.is_none() {
                    self.err(
                        Diagnostic::error(t.span, "a `qualitative` target needs its words")
                            .expected("`target qualitative printed \"持续改善\"`"),
                    );
                }
            }
            _ => {
                if value.is_none() && t.relative.is_none() {
                    self.err(
                        Diagnostic::error(
                            t.span,
                            format!("a `{}` target needs a number", t.form.node),
                        )
                        .expected(format!("`target {} <number>`", t.form.node)),
                    );
                }
                if let Some(o) = &t.other {
                    self.err(Diagnostic::error(
                        o.span,
                        format!(
                            "unexpected `{}`: only a `tied`, `exceeds` or `matches` target names another indicator",
                            o.node
                        ),
                    ));
                }
            }
        }
        if tolerance < 0.0 {
            self.err(Diagnostic::error(
                t.tolerance.as_ref().map_or(t.span, |q| q.span),
                "a tolerance cannot be negative",
            ));
        }
        // Targets that no data could ever meet.
        if let Some(v) = value {
            let span = t.value.as_ref().map_or(t.span, |q| q.span);
            let impossible = match form {
                TargetForm::Rate | TargetForm::Tied if v <= -100.0 => {
                    Some("a growth rate cannot fall 100% or more a year".to_string())
                }
                TargetForm::Cumulative if v <= 0.0 => {
                    Some("a cumulative total must be positive".to_string())
                }
                TargetForm::Decline | TargetForm::Reduce if v <= 0.0 || v >= 100.0 => {
                    Some(format!("a level cannot fall by {v}%"))
                }
                TargetForm::AvgAbove | TargetForm::AvgBelow if v <= -100.0 => {
                    Some("a growth rate cannot fall 100% or more a year".to_string())
                }
                TargetForm::Below if unit.text == "%" && kind == Kind::Stock && v <= 0.0 => {
                    Some(format!("no share can stay below {v}%"))
                }
                TargetForm::Above if unit.text == "%" && kind == Kind::Stock && v >= 100.0 => {
                    Some(format!("no share can stay above {v}%"))
                }
                TargetForm::Reach | TargetForm::Floor
                    if unit.text == "%" && kind == Kind::Stock && v > 100.0 =>
                {
                    Some(format!("a share cannot reach {v}%"))
                }
                _ => None,
            };
            if let Some(why) = impossible {
                self.err(Diagnostic::error(span, format!("impossible target: {why}")));
            }
        }
        let printed = match &t.printed {
            Some(p) => p.node.clone(),
            None => match (form, value) {
                (TargetForm::City, _) => "按市下达目标".to_string(),
                (TargetForm::Tied, _) => match &t.other {
                    Some(o) => format!("与{}同步", o.node),
                    None => String::new(),
                },
                (TargetForm::Below, Some(v)) => format!("＜{}", fmt_num(v)),
                (TargetForm::Above, Some(v)) => format!("＞{}", fmt_num(v)),
                (TargetForm::Cumulative, Some(v)) => format!("[{}]", fmt_num(v)),
                (TargetForm::Decline | TargetForm::Reduce, Some(v)) => {
                    format!("〔{}〕", fmt_num(v))
                }
                (TargetForm::AvgAbove, Some(v)) => format!("＞{}", fmt_num(v)),
                (TargetForm::AvgBelow, Some(v)) => format!("＜{}", fmt_num(v)),
                (TargetForm::Exceeds, _) => match &t.other {
                    Some(o) => format!("高于{}", o.node),
                    None => String::new(),
                },
                (TargetForm::Matches, _) => match &t.other {
                    Some(o) => format!("与{}基本同步", o.node),
                    None => String::new(),
                },
                (TargetForm::Reach, _) if t.relative.is_some() => {
                    let r = t.relative.as_ref().map_or(0.0, |q| self.convert(q, unit));
                    format!("〔{}〕", fmt_num(r))
                }
                (_, Some(v)) if tolerance > 0.0 => format!("{}左右", fmt_num(v)),
                (_, Some(v)) => fmt_num(v),
                _ => String::new(),
            },
        };
        Some(Target {
            form,
            value,
            written: t.value.as_ref().map(|q| written(&q.node)),
            tolerance,
            tied,
            relative: t.relative.as_ref().map(|q| self.convert(q, unit)),
            printed,
            source,
            span: t.span,
        })
    }

    pub(super) fn resolve_indicator(
        &mut self,
        ctx: &ModelCtx,
        id: &ast::Ident,
    ) -> Option<IndicatorId> {
        let found = ctx.lookup(&id.node);
        if found.is_none() {
            let cands = ctx.ind_ids.iter().chain(&ctx.ind_names).copied();
            self.err(
                Diagnostic::error(id.span, format!("undefined indicator `{}`", id.node))
                    .suggest(&id.node, cands),
            );
        }
        found
    }

    pub(super) fn resolve_status(
        &mut self,
        statuses: &[Status],
        method: Option<MethodId>,
        id: &ast::Ident,
    ) -> Option<StatusId> {
        let visible = |s: &Status| s.method.is_none() || s.method == method;
        let found = statuses
            .iter()
            .position(|s| visible(s) && s.name == id.node);
        if found.is_none() {
            let names: Vec<&str> = statuses
                .iter()
                .filter(|s| visible(s))
                .map(|s| s.name.as_str())
                .collect();
            self.err(
                Diagnostic::error(id.span, format!("unknown status `{}`", id.node))
                    .expected(format!("one of {}", list(&names)))
                    .suggest(&id.node, names.iter().copied()),
            );
        }
        found
    }
}
