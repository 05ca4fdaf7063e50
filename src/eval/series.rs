//! What planners compute from one indicator's series: latest value, the
//! straight path to the target, average growth, cumulative totals, the rate
//! still needed. Each function sees only the data known at the evaluation
//! period and returns `None` when the data cannot give an answer.

use crate::model::{Indicator, IndicatorId, Kind, MethodOptions, Model, TargetForm};
use crate::period::Period;

/// One indicator's data as known at a period.
pub struct Series<'m> {
    /// The model.
    pub model: &'m Model,
    /// The indicator.
    pub ind: &'m Indicator,
    /// End of the evaluation period, in years after the baseline year.
    pub now: f64,
    /// Observed values known by then: (period, time, value), in time order.
    pub obs: Vec<(Period, f64, f64)>,
    /// The method's readings of averages and reductions.
    pub options: MethodOptions,
}

impl<'m> Series<'m> {
    /// The data of `ind` known at `as_of`.
    pub fn new(model: &'m Model, ind: IndicatorId, as_of: Period) -> Series<'m> {
        let base = model.plan.base_year;
        let now = as_of.end_time(base);
        let i = &model.indicators[ind];
        let obs = i
            .observations
            .iter()
            .filter_map(|o| {
                let t = o.period.end_time(base);
                (t <= now + 1e-9).then_some(())?;
                o.value.map(|v| (o.period, t, v))
            })
            .collect();
        Series {
            model,
            ind: i,
            now,
            obs,
            options: MethodOptions::default(),
        }
    }

    /// The same data read with a method's options.
    pub fn with_options(mut self, options: MethodOptions) -> Series<'m> {
        self.options = options;
        self
    }

    /// The rates an average counts under the method's options: whole
    /// years, and a half-year whose whole year is not known when the
    /// method counts half-years.
    fn counted_rates(&self) -> Vec<f64> {
        if self.options.half_year {
            self.rates_with_half()
        } else {
            self.annual_rates()
        }
    }

    /// The average yearly growth rate as the method reads it (geometric or
    /// arithmetic, with or without a half-year), in %.
    pub fn average(&self) -> Option<f64> {
        let r = self.counted_rates();
        if self.options.geometric {
            Self::geometric(&r)
        } else {
            Self::arithmetic(&r)
        }
    }

    /// The total fall of yearly falls (in %) so far, compounded
    /// (1 − Π(1 − r)) or summed (Σ r) as the method says; whole years only,
    /// and a half-year when the method counts half-years.
    pub fn reduction(&self) -> Option<f64> {
        let r = self.counted_rates();
        if r.is_empty() {
            return None;
        }
        Some(if self.options.compounded {
            (1.0 - r.iter().map(|x| 1.0 - x / 100.0).product::<f64>()) * 100.0
        } else {
            r.iter().sum()
        })
    }

    /// [`Series::average`] of the indicator an `exceeds`, `matches` or
    /// `tied` target names, at the same period, with the same options.
    pub fn peer_average(&self, as_of: Period) -> Option<f64> {
        let other = self.ind.target.as_ref()?.tied?;
        Series::new(self.model, other, as_of)
            .with_options(self.options)
            .average()
    }

    fn years(&self) -> f64 {
        self.model.plan.years()
    }

    /// Latest known value.
    pub fn latest(&self) -> Option<(Period, f64, f64)> {
        self.obs.last().copied()
    }

    /// Latest whole-year value.
    pub fn latest_annual(&self) -> Option<(Period, f64, f64)> {
        self.obs.iter().rev().find(|o| o.0.is_full_year()).copied()
    }

    /// The value observed for a period.
    pub fn value(&self, p: Period) -> Option<f64> {
        self.obs.iter().find(|o| o.0 == p).map(|o| o.2)
    }

    /// Baseline value (time 0).
    pub fn baseline(&self) -> Option<f64> {
        self.ind.baseline.as_ref().and_then(|b| b.value)
    }

    /// The baseline, else the first whole-year observation, with its time.
    pub fn anchor(&self) -> Option<(f64, f64)> {
        self.baseline().map(|b| (0.0, b)).or_else(|| {
            self.obs
                .iter()
                .find(|o| o.0.is_full_year())
                .map(|o| (o.1, o.2))
        })
    }

    /// The target's number, following a tied target to the indicator it follows.
    pub fn target(&self) -> Option<f64> {
        let mut t = self.ind.target.as_ref()?;
        // INVARIANT: lowering refused cycles among tied targets, and the hop
        // bound keeps this finite regardless.
        for _ in 0..self.model.indicators.len() {
            match (t.form, t.tied) {
                (TargetForm::Tied, Some(o)) => t = self.model.indicators[o].target.as_ref()?,
                _ => return t.value,
            }
        }
        None
    }

    /// Tolerance of a 左右 target.
    pub fn tolerance(&self) -> f64 {
        self.ind.target.as_ref().map_or(0.0, |t| t.tolerance)
    }

    /// Share of the plan elapsed at the evaluation period.
    pub fn elapsed(&self) -> f64 {
        (self.now / self.years()).clamp(0.0, 1.0)
    }

    /// Share of the plan elapsed at the latest observation.
    pub fn elapsed_data(&self) -> Option<f64> {
        self.latest().map(|o| (o.1 / self.years()).clamp(0.0, 1.0))
    }

    /// Share of the plan elapsed at the latest observation the method
    /// counts (as [`Series::average`] and [`Series::reduction`] count them):
    /// the latest whole year when half-years are excluded, the latest
    /// observation when they are included.
    pub fn elapsed_counted(&self) -> Option<f64> {
        let last = if self.options.half_year {
            self.latest()
        } else {
            self.latest_annual()
        };
        last.map(|o| (o.1 / self.years()).clamp(0.0, 1.0))
    }

    /// Value on the straight line from the anchor to the target, at the
    /// latest observation.
    pub fn path(&self) -> Option<f64> {
        let (ta, a) = self.anchor()?;
        let (_, t, _) = self.latest()?;
        let target = self.target()?;
        let span = self.years() - ta;
        (span > 0.0).then(|| a + (target - a) * (t - ta) / span)
    }

    /// Target minus latest value.
    pub fn gap(&self) -> Option<f64> {
        Some(self.target()? - self.latest()?.2)
    }

    fn annual_rates(&self) -> Vec<f64> {
        self.obs
            .iter()
            .filter(|o| o.0.is_full_year())
            .map(|o| o.2)
            .collect()
    }

    /// The growth rates so far with a half-year whose whole year is not
    /// known (the 2023上半年 rate when 2023 is not out yet).
    fn rates_with_half(&self) -> Vec<f64> {
        let full = |y: i32| self.obs.iter().any(|o| o.0.year == y && o.0.is_full_year());
        self.obs
            .iter()
            .filter(|o| o.0.is_full_year() || !full(o.0.year))
            .map(|o| o.2)
            .collect()
    }

    fn geometric(r: &[f64]) -> Option<f64> {
        if r.is_empty() {
            return None;
        }
        let prod: f64 = r.iter().map(|x| 1.0 + x / 100.0).product();
        (prod > 0.0).then(|| (prod.powf(1.0 / r.len() as f64) - 1.0) * 100.0)
    }

    fn arithmetic(r: &[f64]) -> Option<f64> {
        (!r.is_empty()).then(|| r.iter().sum::<f64>() / r.len() as f64)
    }

    /// Geometric average of the whole-year growth rates, in %.
    pub fn avg_rate(&self) -> Option<f64> {
        Self::geometric(&self.annual_rates())
    }

    /// Geometric average of the rates so far, a half-year counting when its
    /// whole year is not known, in %.
    pub fn avg_rate_with_half(&self) -> Option<f64> {
        Self::geometric(&self.rates_with_half())
    }

    /// Arithmetic mean of the whole-year growth rates, in %.
    pub fn mean_rate(&self) -> Option<f64> {
        Self::arithmetic(&self.annual_rates())
    }

    /// Arithmetic mean of the rates so far, a half-year counting when its
    /// whole year is not known, in %.
    pub fn mean_rate_with_half(&self) -> Option<f64> {
        Self::arithmetic(&self.rates_with_half())
    }

    /// How far the latest value has fallen below the anchor, in % of the
    /// anchor (negative when it rose).
    pub fn decline(&self) -> Option<f64> {
        let (_, a) = self.anchor()?;
        let (_, _, v) = self.latest()?;
        (a != 0.0).then(|| (1.0 - v / a) * 100.0)
    }

    /// Compound growth over the whole years, in %.
    pub fn cum_growth(&self) -> Option<f64> {
        let r = self.annual_rates();
        if r.is_empty() {
            return None;
        }
        Some((r.iter().map(|x| 1.0 + x / 100.0).product::<f64>() - 1.0) * 100.0)
    }

    /// Total of the flows so far; a half-year counts unless its whole year is known.
    pub fn cum_sum(&self) -> Option<f64> {
        if self.obs.is_empty() {
            return None;
        }
        let full = |y: i32| self.obs.iter().any(|o| o.0.year == y && o.0.is_full_year());
        Some(
            self.obs
                .iter()
                .filter(|o| o.0.is_full_year() || !full(o.0.year))
                .map(|o| o.2)
                .sum(),
        )
    }

    /// Share of the target done so far, in %.
    pub fn share_done(&self) -> Option<f64> {
        let target = self.target()?;
        match self.ind.target.as_ref()?.form {
            TargetForm::Cumulative => Some(self.cum_sum()? / target * 100.0),
            TargetForm::Decline => Some(self.decline()? / target * 100.0),
            TargetForm::Reduce => Some(self.reduction()? / target * 100.0),
            TargetForm::Rate | TargetForm::Tied => {
                let whole = ((1.0 + target / 100.0).powf(self.years()) - 1.0) * 100.0;
                Some(self.cum_growth()? / whole * 100.0)
            }
            TargetForm::Reach => {
                let (_, a) = self.anchor()?;
                Some((self.latest()?.2 - a) / (target - a) * 100.0)
            }
            _ => None,
        }
    }

    /// Average yearly rate needed in the remaining years, in %.
    pub fn required_rate(&self) -> Option<f64> {
        let target = self.target()?;
        let n = self.years();
        match self.ind.target.as_ref()?.form {
            TargetForm::Rate | TargetForm::Tied => {
                // The years left are those after the latest whole year (as
                // `years_left()`), not the plan minus the years known: with
                // 2021 missing and 2022 known, three years are left, not four.
                // A whole year with no value before it counts at the
                // average of the years known.
                let r = self.annual_rates();
                let (_, elapsed, _) = self.latest_annual()?;
                let left = n - elapsed;
                let known: f64 = r.iter().map(|x| 1.0 + x / 100.0).product();
                let gaps = (elapsed - r.len() as f64).max(0.0);
                let done = known * known.powf(gaps / r.len() as f64);
                (left > 0.0 && done > 0.0).then(|| {
                    (((1.0 + target / 100.0).powf(n) / done).powf(1.0 / left) - 1.0) * 100.0
                })
            }
            // The yearly fall still needed: compounded, the remaining
            // factor spread over the years left; summed, the rest shared.
            TargetForm::Reduce => {
                let r = self.counted_rates();
                let left = n - r.len() as f64;
                if left <= 0.0 {
                    return None;
                }
                if self.options.compounded {
                    let kept: f64 = r.iter().map(|x| 1.0 - x / 100.0).product();
                    (kept > 0.0)
                        .then(|| (1.0 - ((1.0 - target / 100.0) / kept).powf(1.0 / left)) * 100.0)
                } else {
                    Some((target - r.iter().sum::<f64>()) / left)
                }
            }
            TargetForm::Reach => {
                let (_, t, v) = self.latest()?;
                let left = n - t;
                (left > 0.0 && v > 0.0 && target > 0.0)
                    .then(|| ((target / v).powf(1.0 / left) - 1.0) * 100.0)
            }
            _ => None,
        }
    }

    /// Average yearly increase of whole-year values since the anchor.
    pub fn avg_increase(&self) -> Option<f64> {
        let (ta, a) = self.anchor()?;
        let (_, t, v) = self.latest_annual()?;
        (t > ta).then(|| (v - a) / (t - ta))
    }

    /// Compound annual growth of the level since the anchor, in %.
    pub fn cagr(&self) -> Option<f64> {
        let (ta, a) = self.anchor()?;
        let (_, t, v) = self.latest()?;
        (t > ta && a > 0.0 && v > 0.0).then(|| ((v / a).powf(1.0 / (t - ta)) - 1.0) * 100.0)
    }

    /// The latest value carried to the end year at [`Series::cagr`].
    pub fn projected(&self) -> Option<f64> {
        let (_, t, v) = self.latest()?;
        let g = self.cagr()?;
        Some(v * (1.0 + g / 100.0).powf(self.years() - t))
    }

    /// Plan years after the latest whole-year observation.
    pub fn years_left(&self) -> f64 {
        self.years() - self.latest_annual().map_or(0.0, |o| o.1)
    }

    /// Whether the indicator is a flow.
    pub fn is_flow(&self) -> bool {
        self.ind.kind == Kind::Flow
    }
}
