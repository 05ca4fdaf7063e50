//! One chart per indicator as SVG: the path from the baseline to the
//! target, the observations as points, the target, the status in the title.
//!
//! Hand-written SVG rather than plotters: the chart is a few lines, points
//! and labels; plotters' SVG backend measures text with a font backend
//! (ttf/ab_glyph) to lay out CJK labels, which adds crates and build time
//! for nothing a browser does not do itself, and its markup could not carry
//! the per-point `data-` attributes that make the points checkable.

use super::esc;
use crate::eval::series::Series;
use crate::eval::Evaluation;
use crate::model::{fmt_num, round_dp, Kind, Model, StatusClass, TargetForm};
use std::fmt::Write as _;

/// The fonts asked for, CJK first, so Chinese renders on Linux, Windows, macOS.
pub const FONTS: &str = "'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'Microsoft YaHei', 'PingFang SC', 'WenQuanYi Micro Hei', sans-serif";

/// What the target line is.
#[derive(Debug, Clone, PartialEq)]
pub enum Guide {
    /// The path the target asks for, from the baseline (or the first year) to
    /// the plan's end: (years after the baseline year, value) points.
    Path(Vec<(f64, f64)>),
    /// A level to hold each year (a rate, a bound, a yearly share of a total).
    Level(f64),
    /// No number to draw (a target set by the city each year).
    None,
}

/// One observed point.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// The period (`2023H1`).
    pub period: String,
    /// The period in Chinese (`2023年上半年`).
    pub label: String,
    /// Years after the baseline year.
    pub t: f64,
    /// The value.
    pub value: f64,
}

/// The data of one indicator's chart.
#[derive(Debug, Clone)]
pub struct Chart {
    /// Indicator id.
    pub id: String,
    /// Name, with the parent's for a sub-indicator (`城镇就业·城镇新增就业人数`).
    pub name: String,
    /// Unit.
    pub unit: String,
    /// Decided status.
    pub status: String,
    /// Its class (the colour).
    pub class: StatusClass,
    /// The target as printed.
    pub target_printed: String,
    /// The target's number (a tied target's followed), when it has one.
    pub target: Option<f64>,
    /// What the guide line means, in Chinese.
    pub guide_label: String,
    /// The guide line.
    pub guide: Guide,
    /// Baseline year and value.
    pub baseline: Option<(i32, f64)>,
    /// Observations known at the evaluated period, in time order.
    pub points: Vec<Point>,
    /// What the rest of the plan needs: a line from the last full year to
    /// the plan's end, when the target is not yet reached.
    pub needed: Option<Needed>,
    /// Baseline year.
    pub base_year: i32,
    /// Years of the plan.
    pub years: f64,
}

/// The rest of the plan: from (t, value) to (t, value), in Chinese.
#[derive(Debug, Clone, PartialEq)]
pub struct Needed {
    /// Where it starts: the last observation (of a full year, for a rate).
    pub from: (f64, f64),
    /// The plan's end.
    pub to: (f64, f64),
    /// The pace it asks for per year: a growth rate in % (a rate target)
    /// or a change per year in the indicator's unit.
    pub pace: f64,
    /// `后3年需年均增长8.16%`.
    pub label: String,
}

/// The form of an indicator's target, a tied target's followed.
fn followed_form(model: &Model, ind: &crate::model::Indicator) -> Option<TargetForm> {
    let mut t = ind.target.as_ref()?;
    // Lowering refused cycles among tied targets; the bound keeps this finite.
    for _ in 0..model.indicators.len() {
        match (t.form, t.tied) {
            (TargetForm::Tied, Some(o)) => t = model.indicators[o].target.as_ref()?,
            (form, _) => return Some(form),
        }
    }
    None
}

/// The pace the remaining years need to reach the target, from the last
/// observation (the last full year's, for a yearly rate). A rate target on a yearly rate: the average growth
/// the remaining years need for the plan's compound growth; on a level:
/// the growth to the level at the plan's end. Any other target with a
/// level to reach: the change per year. `None` when reached or past.
fn needed(
    form: Option<TargetForm>,
    rate_kind: bool,
    target: Option<f64>,
    guide: &Guide,
    obs: &[(crate::period::Period, f64, f64)],
    years: f64,
) -> Option<Needed> {
    // A yearly rate compounds over full years; a level is read at any period.
    let (t_last, v_last) = obs
        .iter()
        .rev()
        .find(|o| o.0.is_full_year() || !rate_kind)
        .map(|o| (o.1, o.2))?;
    let left = years - t_last;
    if left < 0.5 {
        return None;
    }
    let n = fmt_num(round_dp(left, 1));
    match (form, rate_kind) {
        (Some(TargetForm::Rate), true) => {
            let r = target?;
            let mut grown = 1.0;
            for o in obs.iter().filter(|o| o.0.is_full_year()) {
                grown *= 1.0 + o.2 / 100.0;
            }
            let need = ((1.0 + r / 100.0).powf(years) / grown).powf(1.0 / left) - 1.0;
            let pace = round_dp(need * 100.0, 2);
            (need.is_finite() && pace > 0.0).then(|| Needed {
                from: (t_last, pace),
                to: (years, pace),
                pace,
                label: format!("后{n}年需年均增长{}%", fmt_num(pace)),
            })
        }
        (_, true) => None,
        (form, false) => {
            let end = match guide {
                Guide::Path(p) => p.last()?.1,
                Guide::Level(_) | Guide::None => match form {
                    Some(TargetForm::Reach) => target?,
                    _ => return None,
                },
            };
            let start = match guide {
                Guide::Path(p) => p.first()?.1,
                _ => v_last,
            };
            let rising = end >= start;
            if (rising && v_last >= end) || (!rising && v_last <= end) {
                return None;
            }
            let (pace, label) = if form == Some(TargetForm::Rate) && v_last > 0.0 && end > 0.0 {
                let g = round_dp(((end / v_last).powf(1.0 / left) - 1.0) * 100.0, 2);
                (g, format!("后{n}年需年均增长{}%", fmt_num(g)))
            } else {
                let d = (end - v_last) / left;
                let d = round_dp(d, if d.abs() < 0.1 { 3 } else { 2 });
                let verb = if d >= 0.0 { "提高" } else { "下降" };
                (d, format!("后{n}年需年均{verb}{}", fmt_num(d.abs())))
            };
            Some(Needed {
                from: (t_last, v_last),
                to: (years, end),
                pace,
                label,
            })
        }
    }
}

/// The colour of a status class (text and points).
pub fn colour(c: StatusClass) -> &'static str {
    match c {
        StatusClass::Ahead => "#1a7f37",
        StatusClass::OnTrack => "#0969da",
        StatusClass::Behind => "#cf222e",
        StatusClass::NoData => "#6e7781",
    }
}

/// The charts of an evaluation, in the order of its verdicts; parents (whose figures are
/// their sub-indicators') have none.
pub fn charts(model: &Model, ev: &Evaluation) -> Vec<Chart> {
    let years = model.plan.years();
    ev.verdicts
        .iter()
        .filter(|v| model.indicators[v.indicator].children.is_empty())
        .map(|v| {
            let ind = &model.indicators[v.indicator];
            let s = Series::new(model, v.indicator, ev.as_of);
            let target = s.target();
            let form = ind.target.as_ref().map(|t| t.form);
            let anchor = s.anchor();
            let levels = ind.kind != Kind::Rate;
            let (guide, guide_label) = match (form, target, anchor) {
                (Some(TargetForm::Reach), Some(t), Some((ta, a))) if years > ta => (
                    Guide::Path(vec![(ta, a), (years, t)]),
                    "基期至目标的时序进度".to_string(),
                ),
                (Some(TargetForm::Rate), Some(r), Some((ta, a))) if levels && years > ta => {
                    let mut pts = Vec::new();
                    let mut t = ta;
                    while t <= years + 1e-9 {
                        pts.push((t, a * (1.0 + r / 100.0).powf(t - ta)));
                        t += 1.0;
                    }
                    (Guide::Path(pts), format!("按年均增长{}%的进度", fmt_num(r)))
                }
                (Some(TargetForm::Increase), Some(r), Some((ta, a))) if levels && years > ta => (
                    Guide::Path(vec![(ta, a), (years, a + r * (years - ta))]),
                    format!("按年均提高{}的进度", fmt_num(r)),
                ),
                (Some(TargetForm::Cumulative), Some(t), _) if years > 0.0 => (
                    Guide::Level(t / years),
                    format!("五年累计{}的年均应完成量", fmt_num(t)),
                ),
                (Some(_), Some(t), _) => (Guide::Level(t), "目标".to_string()),
                _ => (Guide::None, String::new()),
            };
            let needed = needed(
                followed_form(model, ind),
                !levels,
                target,
                &guide,
                &s.obs,
                years,
            );
            let name = match ind.parent {
                Some(p) => format!("{}·{}", model.indicators[p].name, ind.name),
                None => ind.name.clone(),
            };
            Chart {
                id: ind.id.clone(),
                name,
                unit: ind.unit.text.clone(),
                status: model.statuses[v.status].name.clone(),
                class: model.statuses[v.status].class,
                target_printed: ind
                    .target
                    .as_ref()
                    .map(|t| t.printed.clone())
                    .unwrap_or_default(),
                target,
                guide_label,
                guide,
                baseline: ind
                    .baseline
                    .as_ref()
                    .and_then(|b| Some((b.period.year, b.value?))),
                points: s
                    .obs
                    .iter()
                    .map(|(p, t, v)| Point {
                        period: p.to_string(),
                        label: p.chinese(),
                        t: *t,
                        value: *v,
                    })
                    .collect(),
                needed,
                base_year: model.plan.base_year,
                years,
            }
        })
        .collect()
}

/// A file name for an indicator id: letters (any script), digits, `-` and
/// `_` kept, anything else `_`; never empty, never hidden, at most 100
/// characters. Equal names get `-2`, `-3`, … in `names`.
pub fn file_names(charts: &[Chart]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(charts.len());
    for c in charts {
        let mut s: String =
            c.id.chars()
                .map(|ch| {
                    if ch.is_alphanumeric() || ch == '-' || ch == '_' {
                        ch
                    } else {
                        '_'
                    }
                })
                .take(100)
                .collect();
        if s.is_empty() || s.starts_with(['_', '-']) {
            s.insert_str(0, "indicator");
        }
        let mut name = format!("{s}.svg");
        let mut k = 2;
        while out.iter().any(|o| o.eq_ignore_ascii_case(&name)) {
            name = format!("{s}-{k}.svg");
            k += 1;
        }
        out.push(name);
    }
    out
}

/// Rounds a tick or label value for printing.
fn label(v: f64) -> String {
    fmt_num(round_dp(v, 4))
}

/// Ticks over [lo, hi]: steps of 1, 2 or 5 × 10^k, about five of them.
fn ticks(lo: f64, hi: f64) -> (f64, f64, f64) {
    let raw = (hi - lo) / 5.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    ((lo / step).floor() * step, (hi / step).ceil() * step, step)
}

const W: f64 = 640.0;
const H: f64 = 380.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 24.0;
const TOP: f64 = 64.0;
const BOTTOM: f64 = 56.0;

/// The chart as a standalone SVG document (also inlined in HTML as is).
pub fn svg(c: &Chart) -> String {
    let mut ys: Vec<f64> = c.points.iter().map(|p| p.value).collect();
    ys.extend(c.baseline.map(|b| b.1));
    ys.extend(c.target);
    match &c.guide {
        Guide::Path(p) => ys.extend(p.iter().map(|x| x.1)),
        Guide::Level(v) => ys.push(*v),
        Guide::None => {}
    }
    ys.extend(c.needed.iter().flat_map(|n| [n.from.1, n.to.1]));
    ys.retain(|v| v.is_finite());
    let (mut lo, mut hi) = ys
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(*v), b.max(*v))
        });
    if !lo.is_finite() {
        (lo, hi) = (0.0, 1.0);
    }
    if hi - lo < 1e-9 {
        let d = if lo.abs() > 1e-9 { lo.abs() * 0.1 } else { 1.0 };
        lo -= d;
        hi += d;
    }
    let pad = (hi - lo) * 0.08;
    let (lo, hi, step) = ticks(lo - pad, hi + pad);
    let pw = W - LEFT - RIGHT;
    let ph = H - TOP - BOTTOM;
    let years = if c.years > 0.0 { c.years } else { 1.0 };
    let x = |t: f64| LEFT + pw * (t / years).clamp(0.0, 1.0);
    let y = |v: f64| TOP + ph * (1.0 - (v - lo) / (hi - lo));
    let col = colour(c.class);
    let unit = if c.unit.is_empty() {
        String::new()
    } else {
        format!("（{}）", esc(&c.unit))
    };

    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" font-family="{FONTS}" font-size="12" role="img" aria-label="{}" data-indicator="{}">"#,
        esc(&format!("{}：{}", c.name, c.status)),
        esc(&c.id)
    );
    let _ = write!(
        s,
        r##"<rect width="{W}" height="{H}" fill="#ffffff"/><text x="{LEFT}" y="24" font-size="16" font-weight="bold" fill="#1f2328">{}{unit}</text><text x="{}" y="24" font-size="14" font-weight="bold" fill="{col}" text-anchor="end" class="status">{}</text>"##,
        esc(&c.name),
        W - RIGHT,
        esc(&c.status)
    );
    let target_text = if c.target_printed.is_empty() {
        "无目标值".to_string()
    } else {
        format!("目标：{}", c.target_printed)
    };
    let _ = write!(
        s,
        r##"<text x="{LEFT}" y="44" fill="#57606a">{}</text>"##,
        esc(&target_text)
    );
    // Grid and y axis labels.
    let mut v = lo;
    let mut n = 0;
    while v <= hi + step * 1e-6 && n < 40 {
        let yy = y(v);
        let _ = write!(
            s,
            r##"<line x1="{LEFT}" y1="{yy:.1}" x2="{:.1}" y2="{yy:.1}" stroke="#eaeef2"/><text x="{:.1}" y="{:.1}" text-anchor="end" fill="#57606a">{}</text>"##,
            W - RIGHT,
            LEFT - 6.0,
            yy + 4.0,
            esc(&label(v))
        );
        v += step;
        n += 1;
    }
    // X axis: one label per year of the plan.
    let _ = write!(
        s,
        r##"<line x1="{LEFT}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#8c959f"/>"##,
        TOP + ph,
        W - RIGHT,
        TOP + ph
    );
    for k in 0..=(years.round() as i32) {
        let xx = x(k as f64);
        let _ = write!(
            s,
            r##"<line x1="{xx:.1}" y1="{:.1}" x2="{xx:.1}" y2="{:.1}" stroke="#8c959f"/><text x="{xx:.1}" y="{:.1}" text-anchor="middle" fill="#57606a">{}年</text>"##,
            TOP + ph,
            TOP + ph + 4.0,
            TOP + ph + 18.0,
            c.base_year + k
        );
    }
    // The guide.
    match &c.guide {
        Guide::Path(p) => {
            let pts: Vec<String> = p
                .iter()
                .map(|(t, v)| format!("{:.1},{:.1}", x(*t), y(*v)))
                .collect();
            let _ = write!(
                s,
                r##"<polyline class="path" points="{}" fill="none" stroke="#8250df" stroke-width="2" stroke-dasharray="6 4"/>"##,
                pts.join(" ")
            );
        }
        Guide::Level(v) => {
            let _ = write!(
                s,
                r##"<line class="path" x1="{LEFT}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#8250df" stroke-width="2" stroke-dasharray="6 4"/>"##,
                y(*v),
                W - RIGHT,
                y(*v)
            );
        }
        Guide::None => {}
    }
    // The target at the plan's end.
    if let Some(t) = c.target.filter(|t| t.is_finite()) {
        let (tx, ty) = (x(years), y(t));
        let _ = write!(
            s,
            r##"<path class="target" d="M{:.1},{:.1} l6,6 l-6,6 l-6,-6 z" fill="#8250df"><title>{}</title></path><text x="{:.1}" y="{:.1}" text-anchor="end" fill="#8250df">{}</text>"##,
            tx,
            ty - 6.0,
            esc(&format!(
                "{}年目标 {}",
                c.base_year + years as i32,
                label(t)
            )),
            tx - 8.0,
            ty - 8.0,
            esc(&label(t))
        );
    }
    // The baseline.
    if let Some((year, b)) = c.baseline {
        let _ = write!(
            s,
            r##"<circle class="baseline" cx="{:.1}" cy="{:.1}" r="4" fill="#ffffff" stroke="#57606a" stroke-width="2"><title>{}</title></circle>"##,
            x(0.0),
            y(b),
            esc(&format!("{year}年基期 {}", label(b)))
        );
    }
    // What the rest of the plan needs.
    if let Some(n) = &c.needed {
        let (x1, y1, x2, y2) = (x(n.from.0), y(n.from.1), x(n.to.0), y(n.to.1));
        let _ = write!(
            s,
            r##"<g class="needed" data-pace="{}"><line x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}" stroke="#bf8700" stroke-width="2" stroke-dasharray="2 3"/><text x="{:.1}" y="{:.1}" text-anchor="middle" fill="#9a6700">{}</text></g>"##,
            n.pace,
            (x1 + x2) / 2.0,
            (y1 + y2) / 2.0 + 16.0,
            esc(&n.label)
        );
    }
    // The observations, joined by a line.
    if c.points.len() > 1 {
        let pts: Vec<String> = c
            .points
            .iter()
            .map(|p| format!("{:.1},{:.1}", x(p.t), y(p.value)))
            .collect();
        let _ = write!(
            s,
            r#"<polyline points="{}" fill="none" stroke="{col}" stroke-width="1.5"/>"#,
            pts.join(" ")
        );
    }
    for p in &c.points {
        let (px, py) = (x(p.t), y(p.value));
        let _ = write!(
            s,
            r##"<circle class="obs" cx="{px:.1}" cy="{py:.1}" r="4.5" fill="{col}" data-period="{}" data-value="{}"><title>{}</title></circle><text x="{px:.1}" y="{:.1}" text-anchor="middle" fill="#1f2328">{}</text>"##,
            esc(&p.period),
            p.value,
            esc(&format!("{}：{}", p.label, label(p.value))),
            py - 9.0,
            esc(&label(p.value))
        );
    }
    if c.points.is_empty() {
        let _ = write!(
            s,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="#6e7781" font-size="14">暂无监测数据</text>"##,
            LEFT + pw / 2.0,
            TOP + ph / 2.0
        );
    }
    // Legend.
    let ly = H - 14.0;
    let _ = write!(
        s,
        r#"<circle cx="{LEFT}" cy="{:.1}" r="4" fill="{col}"/><text x="{:.1}" y="{ly:.1}">观测值</text>"#,
        ly - 4.0,
        LEFT + 8.0
    );
    if c.baseline.is_some() {
        let _ = write!(
            s,
            r##"<circle cx="{:.1}" cy="{:.1}" r="4" fill="#ffffff" stroke="#57606a" stroke-width="2"/><text x="{:.1}" y="{ly:.1}">基期值</text>"##,
            LEFT + 70.0,
            ly - 4.0,
            LEFT + 78.0
        );
    }
    if !c.guide_label.is_empty() {
        let _ = write!(
            s,
            r##"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#8250df" stroke-width="2" stroke-dasharray="6 4"/><text x="{:.1}" y="{ly:.1}">{}</text>"##,
            LEFT + 140.0,
            ly - 4.0,
            LEFT + 164.0,
            ly - 4.0,
            LEFT + 170.0,
            esc(&c.guide_label)
        );
    }
    s.push_str("</svg>\n");
    s
}
