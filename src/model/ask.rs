//! What a caller asks of a model by name: a method, a period to judge at.
//! The answers are typed messages a front end shows as they are.

use super::{MethodId, Model};
use crate::messages::UsageMessage;
use crate::period::Period;

impl Model {
    /// The method named `name`, or the plan's default for `None`.
    pub fn method_named(&self, name: Option<&str>) -> Result<MethodId, UsageMessage> {
        match name {
            None => Ok(self.plan.default_method),
            Some(m) => self
                .find_method(m)
                .ok_or_else(|| UsageMessage::UnknownMethod {
                    asked: m.to_string(),
                    known: self.methods.iter().map(|m| m.id.clone()).collect(),
                }),
        }
    }

    /// The period written `text` (`2022`, `2023H1`) inside the plan period,
    /// or the latest observed period for `None`.
    pub fn period_in_plan(&self, text: Option<&str>) -> Result<Period, UsageMessage> {
        let Some(s) = text else {
            return Ok(self.latest_period());
        };
        match Period::parse(s) {
            Some(p) if p.year >= self.plan.start && p.year <= self.plan.end => Ok(p),
            Some(p) => Err(UsageMessage::OutsidePlan {
                period: p.to_string(),
                start: self.plan.start,
                end: self.plan.end,
            }),
            None => Err(UsageMessage::NotAPeriod(s.to_string())),
        }
    }
}
