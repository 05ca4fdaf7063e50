//! The plan and its method skeleton: the one `plan` item, its period,
//! status lists, and the indicator tree flattened in table order.

use super::*;

impl Lowerer<'_> {
    pub(super) fn one_plan<'f>(
        &mut self,
        files: &'f [(SourceId, ast::File)],
    ) -> Option<&'f ast::Plan> {
        let plans: Vec<&ast::Plan> = files.iter().flat_map(|(_, f)| &f.plans).collect();
        for extra in plans.iter().skip(1) {
            self.err(Diagnostic::error(extra.span, LowerMessage::MorePlans).help(
                LowerMessage::PlanDeclaredAt(self.sources.location(plans[0].span)),
            ));
        }
        if plans.is_empty() {
            let file = files.first().map(|(id, _)| *id).unwrap_or_default();
            self.err(
                Diagnostic::error(Span::new(file, 0, 0), LowerMessage::NoPlan)
                    .help(LowerMessage::DeclarePlan),
            );
        }
        plans.first().copied()
    }

    pub(super) fn plan_period(&mut self, p: &ast::Plan) -> (i32, i32, i32) {
        let (start, end) = match &p.period {
            Some((a, b)) => {
                if a.node.half != 0 || b.node.half != 0 {
                    self.err(
                        Diagnostic::error(a.span.to(b.span), LowerMessage::PeriodNotWholeYears)
                            .expected(LowerMessage::PeriodExample),
                    );
                }
                if a.node.year >= b.node.year {
                    self.err(Diagnostic::error(
                        a.span.to(b.span),
                        LowerMessage::PeriodBackwards {
                            start: a.node.year,
                            end: b.node.year,
                        },
                    ));
                }
                (a.node.year, b.node.year)
            }
            None => {
                self.err(
                    Diagnostic::error(p.span, LowerMessage::NoPeriod)
                        .expected(LowerMessage::PeriodExample),
                );
                (2021, 2025)
            }
        };
        let base = match &p.baseline {
            Some(b) => {
                if b.node.year >= start || b.node.half != 0 {
                    self.err(Diagnostic::error(
                        b.span,
                        LowerMessage::BaselineNotBefore { start },
                    ));
                }
                b.node.year
            }
            None => start - 1,
        };
        (start, end, base)
    }

    pub(super) fn unique_names(&mut self, ids: &[ast::Ident], what: Named) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for i in ids {
            if out.contains(&i.node) {
                self.err(Diagnostic::error(
                    i.span,
                    LowerMessage::Duplicate(what, i.node.clone()),
                ));
            } else {
                out.push(i.node.clone());
            }
        }
        out
    }

    /// `classes { behind "需加快" }` over `base`: each class named at most once.
    pub(super) fn class_words(
        &mut self,
        base: &ClassWords,
        decls: &[(ast::Ident, ast::Spanned<String>)],
    ) -> ClassWords {
        let mut out = base.clone();
        let mut seen: Vec<(StatusClass, Span)> = Vec::new();
        for (class, words) in decls {
            let Some(c) = StatusClass::parse(&class.node) else {
                self.err(
                    Diagnostic::error(
                        class.span,
                        LowerMessage::UnknownStatusClass(class.node.clone()),
                    )
                    .expected(one_of(&StatusClass::WORDS))
                    .suggest(&class.node, StatusClass::WORDS),
                );
                continue;
            };
            if let Some((_, prev)) = seen.iter().find(|(p, _)| *p == c) {
                self.err(
                    Diagnostic::error(
                        class.span,
                        LowerMessage::ClassNamedTwice(class.node.clone()),
                    )
                    .help(LowerMessage::FirstNamedAt(self.sources.location(*prev))),
                );
                continue;
            }
            seen.push((c, class.span));
            out.0[c.index()] = words.node.clone();
        }
        out
    }

    pub(super) fn add_statuses(
        &mut self,
        out: &mut Vec<Status>,
        decls: &[ast::StatusDecl],
        method: Option<MethodId>,
    ) {
        for d in decls {
            let class = match StatusClass::parse(&d.class.node) {
                Some(c) => c,
                None => {
                    self.err(
                        Diagnostic::error(
                            d.class.span,
                            LowerMessage::UnknownStatusClass(d.class.node.clone()),
                        )
                        .expected(one_of(&StatusClass::WORDS))
                        .suggest(&d.class.node, StatusClass::WORDS),
                    );
                    StatusClass::NoData
                }
            };
            // A status is visible to the plan and its own method; two with the
            // same name where both are visible would be ambiguous.
            if out
                .iter()
                .any(|s| s.name == d.name.node && (s.method.is_none() || s.method == method))
            {
                self.err(Diagnostic::error(
                    d.name.span,
                    LowerMessage::DuplicateStatus(d.name.node.clone()),
                ));
                continue;
            }
            out.push(Status {
                name: d.name.node.clone(),
                class,
                gloss: d.gloss.as_ref().map(|g| g.node.clone()),
                method,
            });
        }
    }

    /// Pushes a skeleton for `i` and its children, in table order.
    pub(super) fn flatten<'f>(
        &mut self,
        i: &'f ast::Indicator,
        parent: Option<IndicatorId>,
        asts: &mut Vec<&'f ast::Indicator>,
        out: &mut Vec<Indicator>,
    ) {
        let k = out.len();
        let (seq, category, attribute) = match parent {
            Some(p) => (
                out[p].seq.clone(),
                out[p].category.clone(),
                out[p].attribute.clone(),
            ),
            None => (String::new(), String::new(), String::new()),
        };
        out.push(Indicator {
            id: i.id.node.clone(),
            name: i
                .name
                .as_ref()
                .map(|n| n.node.clone())
                .unwrap_or_else(|| i.id.node.clone()),
            seq: i.seq.as_ref().map(|s| s.node.clone()).unwrap_or(seq),
            category: i
                .category
                .as_ref()
                .map(|c| c.node.clone())
                .unwrap_or(category),
            attribute: i
                .attribute
                .as_ref()
                .map(|c| c.node.clone())
                .unwrap_or(attribute),
            unit: Unit::parse(i.unit.as_ref().map(|u| u.node.as_str()).unwrap_or("")),
            kind: Kind::Stock,
            target: None,
            baseline: None,
            observations: vec![],
            stated: vec![],
            assessments: vec![],
            notes: i.notes.iter().map(|n| n.node.clone()).collect(),
            parent,
            children: vec![],
            span: i.id.span,
        });
        asts.push(i);
        if let Some(p) = parent {
            out[p].children.push(k);
        }
        for c in &i.children {
            self.flatten(c, Some(k), asts, out);
        }
    }

    pub(super) fn check_member(&mut self, id: &ast::Ident, set: &[String], what: Named) {
        if !set.contains(&id.node) {
            let words: Vec<&str> = set.iter().map(String::as_str).collect();
            self.err(
                Diagnostic::error(id.span, LowerMessage::Unknown(what, id.node.clone()))
                    .expected(one_of(&words))
                    .suggest(&id.node, words),
            );
        }
    }
}
