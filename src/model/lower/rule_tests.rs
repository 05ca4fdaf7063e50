//! Rule tests (`test` items): the expected verdict of an indicator under a
//! method, resolved against the model.

use super::*;

impl Lowerer<'_> {
    pub(super) fn lower_tests(
        &mut self,
        model: &Model,
        files: &[(SourceId, ast::File)],
    ) -> Vec<TestCase> {
        let mut out = Vec::new();
        let ctx = ModelCtx::new(
            &model.plan,
            &model.statuses,
            model.indicators.iter().map(|i| i.id.as_str()).collect(),
            model.indicators.iter().map(|i| i.name.as_str()).collect(),
        );
        for (_, f) in files {
            for block in &f.tests {
                for x in &block.expects {
                    let indicator = self.resolve_indicator(&ctx, &x.indicator);
                    let method = match &x.method {
                        Some(m) => match model.find_method(&m.node) {
                            Some(i) => Some(i),
                            None => {
                                let names: Vec<&str> =
                                    model.methods.iter().map(|m| m.id.as_str()).collect();
                                self.err(
                                    Diagnostic::error(
                                        m.span,
                                        LowerMessage::UnknownMethod(m.node.clone()),
                                    )
                                    .expected(one_of(&names))
                                    .suggest(&m.node, names.iter().copied()),
                                );
                                continue;
                            }
                        },
                        None => None,
                    };
                    let status = self.resolve_status(
                        &model.statuses,
                        Some(method.unwrap_or(model.plan.default_method)),
                        &x.status,
                    );
                    if let Some(p) = &x.as_of {
                        if p.node.year < model.plan.start || p.node.year > model.plan.end {
                            self.err(Diagnostic::error(
                                p.span,
                                LowerMessage::OutsidePlan {
                                    period: p.node.to_string(),
                                    start: model.plan.start,
                                    end: model.plan.end,
                                },
                            ));
                        }
                    }
                    if x.source.is_some() {
                        self.quote(&x.source, "the expectation", x.span);
                    }
                    if let (Some(indicator), Some(status)) = (indicator, status) {
                        out.push(TestCase {
                            block: block.name.node.clone(),
                            indicator,
                            status,
                            as_of: x.as_of.as_ref().map(|p| p.node),
                            method,
                            span: x.span,
                        });
                    }
                }
            }
        }
        out
    }
}
