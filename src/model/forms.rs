//! Which indicators each target form applies to: one table, so a new form
//! declares its row (the `match` is exhaustive) and lint checks every
//! indicator's target against it. A target of the wrong form for its
//! indicator's kind gives a confident, wrong verdict (`cumulative` on a
//! level adds the levels up; a bound on a growth rate reads its latest
//! half-year), so a mismatch is an error.

use super::{Kind, TargetForm};

/// Where a target form applies.
#[derive(Debug, Clone, Copy)]
pub struct FormScope {
    /// The indicator kinds the form applies to.
    pub kinds: &'static [Kind],
    /// Why another kind does not fit (an English message of the catalogue).
    pub why_not: &'static str,
    /// For a kind it does not fit: what to write instead.
    pub instead: &'static [(Kind, &'static str)],
}

const ALL_KINDS: &[Kind] = &[Kind::Stock, Kind::Flow, Kind::Rate];
const LEVELS: &[Kind] = &[Kind::Stock, Kind::Flow];

/// On a growth rate, the average over the plan is what a target means.
const RATE_INSTEAD: &[(Kind, &str)] = &[(Kind::Rate, "`target rate <average % a year>`")];

impl TargetForm {
    /// The indicators this form applies to.
    pub fn scope(self) -> FormScope {
        use TargetForm::*;
        match self {
            Reach => FormScope {
                kinds: LEVELS,
                why_not: "a growth rate is not a level to reach",
                instead: RATE_INSTEAD,
            },
            Rate => FormScope {
                kinds: &[Kind::Rate],
                why_not: "`rate` averages the yearly growth rates an indicator observes in %",
                instead: &[
                    (Kind::Stock, "`target reach <level>`"),
                    (Kind::Flow, "`target reach <level>`"),
                ],
            },
            Cumulative => FormScope {
                kinds: &[Kind::Flow],
                why_not: "only yearly flows add up to a total",
                instead: &[
                    (Kind::Stock, "`target reach <baseline + change>`"),
                    (Kind::Rate, "`target rate <average % a year>`"),
                ],
            },
            Below | Above | Floor | Ceiling => FormScope {
                kinds: LEVELS,
                why_not: "a bound on a growth rate would be read on its latest half-year, not on its average",
                instead: RATE_INSTEAD,
            },
            Increase => FormScope {
                kinds: LEVELS,
                why_not: "a growth rate does not rise by a fixed amount a year",
                instead: RATE_INSTEAD,
            },
            Tied => FormScope {
                kinds: &[Kind::Rate],
                why_not: "a tie compares average growth rates",
                instead: &[
                    (Kind::Stock, "`target reach <level>`"),
                    (Kind::Flow, "`target reach <level>`"),
                ],
            },
            Decline => FormScope {
                kinds: LEVELS,
                why_not: "`decline` measures how far a level falls from its baseline",
                instead: &[(Kind::Rate, "`target cumulative <total>` with `kind flow`")],
            },
            City | Qualitative | Unread => FormScope {
                kinds: ALL_KINDS,
                why_not: "",
                instead: &[],
            },
        }
    }

    /// Whether the form applies to an indicator of this kind.
    pub fn fits(self, kind: Kind) -> bool {
        self.scope().kinds.contains(&kind)
    }

    /// The forms that apply to an indicator of this kind, in declared order.
    pub fn for_kind(kind: Kind) -> Vec<&'static str> {
        TargetForm::ALL
            .iter()
            .filter(|(_, f)| *f != TargetForm::Unread && f.fits(kind))
            .map(|(w, _)| *w)
            .collect()
    }
}

impl Kind {
    /// The kind's word.
    pub fn word(self) -> &'static str {
        match self {
            Kind::Stock => "stock",
            Kind::Flow => "flow",
            Kind::Rate => "rate",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_declares_where_it_applies_and_says_why_in_chinese() {
        for (w, f) in TargetForm::ALL {
            let s = f.scope();
            assert!(!s.kinds.is_empty(), "{w}");
            if s.kinds.len() < 3 {
                assert!(
                    crate::messages::chinese(s.why_not).is_some(),
                    "{w}: no Chinese for `{}`",
                    s.why_not
                );
            }
            // What to write instead is itself a form that fits.
            for (k, _) in s.instead {
                assert!(!f.fits(*k), "{w}: `instead` for a kind it fits");
            }
        }
        // Every kind has forms to choose from.
        for k in [Kind::Stock, Kind::Flow, Kind::Rate] {
            assert!(TargetForm::for_kind(k).len() >= 3);
        }
    }
}
