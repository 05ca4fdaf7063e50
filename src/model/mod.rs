//! The typed model: names resolved, units converted, everything checked.
//!
//! [`lower`](lower::lower) turns parsed files into a [`Model`] or a list of
//! located diagnostics. Evaluation, explanation and tests work on the model
//! only; nothing here knows about pest.

mod ask;
pub mod builtins;
pub mod dims;
mod documents;
pub mod forms;
pub mod graph;
mod lower;
mod options;
mod rules;
mod units;

pub use lower::{fmt_num, lower, round_dp, Lowered};
pub use units::Unit;

use crate::period::Period;
use crate::span::{Sources, Span};
pub use documents::Document;
pub use options::{MethodOptions, OptionError};
pub use rules::{Applies, Branch, Expr, ExprKind, Figure, Method, Part, Rule};

/// A loaded, validated rule set.
#[derive(Debug, Clone)]
pub struct Model {
    /// The rule files, for locations and source text.
    pub sources: std::sync::Arc<Sources>,
    /// The plan.
    pub plan: Plan,
    /// Every status: the plan's vocabulary first, then those methods add.
    pub statuses: Vec<Status>,
    /// Indicators in table order: each parent directly followed by its children.
    pub indicators: Vec<Indicator>,
    /// Evaluation methods.
    pub methods: Vec<Method>,
    /// Rule tests (`expect … is …`).
    pub tests: Vec<TestCase>,
    /// Search synonym groups: each word is searched for the others.
    pub synonyms: Vec<Vec<String>>,
    /// Pairs no source of search synonyms may add (`a != b`).
    pub not_synonyms: Vec<(String, String)>,
    /// Words the segmenter keeps whole (entity names).
    pub terms: Vec<String>,
    /// The plan as a graph.
    pub graph: graph::GraphData,
    /// Documents sources cite by name.
    pub documents: Vec<Document>,
}

/// Index of an indicator in [`Model::indicators`].
pub type IndicatorId = usize;
/// Index of a status in [`Model::statuses`].
pub type StatusId = usize;
/// Index of a method in [`Model::methods`].
pub type MethodId = usize;
/// Index of a document in [`Model::documents`].
pub type DocumentId = usize;

/// `plan …`: the period and vocabularies.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Plan id.
    pub id: String,
    /// Title.
    pub title: Option<String>,
    /// First year of the plan period (2021).
    pub start: i32,
    /// Last year of the plan period (2025).
    pub end: i32,
    /// Baseline year (2020).
    pub base_year: i32,
    /// Indicator categories, in declared order.
    pub categories: Vec<String>,
    /// Indicator attributes (预期性, 约束性).
    pub attributes: Vec<String>,
    /// The method `eval` uses unless told otherwise.
    pub default_method: MethodId,
}

impl Plan {
    /// Years from baseline to the end of the plan (5).
    pub fn years(&self) -> f64 {
        (self.end - self.base_year) as f64
    }
}

/// What a status says about progress, for summaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusClass {
    /// Ahead of schedule, or the target already reached.
    Ahead,
    /// On schedule.
    OnTrack,
    /// Behind schedule.
    Behind,
    /// Nothing to judge by.
    NoData,
}

impl StatusClass {
    /// Every class, in summary order.
    pub const ALL: [StatusClass; 4] = [
        StatusClass::Ahead,
        StatusClass::OnTrack,
        StatusClass::Behind,
        StatusClass::NoData,
    ];

    /// Parses a class word, English (`behind`) or Chinese (`滞后`).
    pub fn parse(s: &str) -> Option<StatusClass> {
        Some(match s {
            "ahead" | "超前" => StatusClass::Ahead,
            "on_track" | "按期" => StatusClass::OnTrack,
            "behind" | "滞后" => StatusClass::Behind,
            "no_data" | "无数据" => StatusClass::NoData,
            _ => return None,
        })
    }
    /// All class words.
    pub const WORDS: [&'static str; 4] = ["ahead", "on_track", "behind", "no_data"];
    /// The Chinese class words, in the order of [`StatusClass::WORDS`].
    pub const CHINESE: [&'static str; 4] = ["超前", "按期", "滞后", "无数据"];

    /// Its place in [`StatusClass::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The class word.
    pub fn word(self) -> &'static str {
        match self {
            StatusClass::Ahead => "ahead",
            StatusClass::OnTrack => "on_track",
            StatusClass::Behind => "behind",
            StatusClass::NoData => "no_data",
        }
    }
}

/// How a summary names each status class (`classes { … }` of a method,
/// else of the plan); classes named alike are counted together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassWords(pub [String; 4]);

impl ClassWords {
    /// The words when the rules name none: each class by its statuses'
    /// names (`超出预期`, `低于预期或严重滞后`), a class without a status by
    /// its Chinese class word (`滞后`).
    pub fn named_by<'s>(statuses: impl Iterator<Item = &'s Status> + Clone) -> ClassWords {
        ClassWords(StatusClass::ALL.map(|c| {
            let names: Vec<&str> = statuses
                .clone()
                .filter(|s| s.class == c)
                .map(|s| s.name.as_str())
                .collect();
            if names.is_empty() {
                StatusClass::CHINESE[c.index()].to_string()
            } else {
                names.join("或")
            }
        }))
    }

    /// The words for one class.
    pub fn of(&self, c: StatusClass) -> &str {
        &self.0[c.index()]
    }
}

/// A status word.
#[derive(Debug, Clone)]
pub struct Status {
    /// The word: 达到预期.
    pub name: String,
    /// Its class.
    pub class: StatusClass,
    /// English gloss.
    pub gloss: Option<String>,
    /// The method that declared it; `None` for the plan's vocabulary.
    pub method: Option<MethodId>,
}

/// How an indicator's observations behave over time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A level or share, comparable at any time (城镇化率).
    Stock,
    /// An amount per period (粮食产量, 新增就业): a half-year value is half a year's worth.
    Flow,
    /// A year-on-year growth rate in % (地区生产总值增长).
    Rate,
}

impl Kind {
    /// Parses the word after `kind`.
    pub fn parse(s: &str) -> Option<Kind> {
        Some(match s {
            "stock" => Kind::Stock,
            "flow" => Kind::Flow,
            "rate" => Kind::Rate,
            _ => return None,
        })
    }
    /// All kind words.
    pub const WORDS: [&'static str; 3] = ["stock", "flow", "rate"];
}

/// The forms a 2025 target takes in 附件1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TargetForm {
    /// `reach 70`: a level to reach by the end.
    Reach,
    /// `rate 7.5`: an average annual growth rate.
    Rate,
    /// `cumulative 3.5`: a five-year cumulative total of yearly flows.
    Cumulative,
    /// `below 5.5`: keep under (＜).
    Below,
    /// `above 95`: keep over (＞).
    Above,
    /// `floor 35`: keep at or over (保持在…以上).
    Floor,
    /// `ceiling 10`: keep at or under.
    Ceiling,
    /// `increase 2.5`: an average yearly increase.
    Increase,
    /// `tied GDP增长`: grows with another indicator (its target).
    Tied,
    /// `city`: set by the city each year (按市下达目标).
    City,
    /// `decline 13.5`: a level where lower is better must fall by this many
    /// percent from the baseline over the plan (累计下降[13.5]).
    Decline,
    /// `qualitative`: a target in words (保持稳定, 持续改善) whose status only
    /// the document's prose gives, through `assessed`.
    Qualitative,
    /// `unread`: a target nobody has read yet (a drafted rule whose cell the
    /// drafter did not understand). Lint warns about every one.
    Unread,
    /// `reduce 13.5`: the observations are yearly falls in % (单位GDP能源消耗
    /// 降低), lower is better, and together they must come to this fall over
    /// the plan (累计降低〔13.5〕), compounded or summed as the method says.
    Reduce,
    /// `avg_above 7`: the average yearly growth must stay above (研发经费
    /// 投入增长 ＞7), averaged as the method says.
    AvgAbove,
    /// `avg_below 3`: the average yearly growth must stay below.
    AvgBelow,
    /// `exceeds GDP增长`: the average of the actual values must be higher
    /// than the other indicator's (全员劳动生产率增长 高于GDP增长).
    Exceeds,
    /// `matches GDP增长`: the average of the actual values must keep pace
    /// with the other indicator's, within the tolerance (居民人均可支配收入
    /// 增长 与GDP增长基本同步).
    Matches,
}

impl TargetForm {
    /// Every form, with its word.
    pub const ALL: [(&'static str, TargetForm); 18] = [
        ("reach", TargetForm::Reach),
        ("rate", TargetForm::Rate),
        ("cumulative", TargetForm::Cumulative),
        ("below", TargetForm::Below),
        ("above", TargetForm::Above),
        ("floor", TargetForm::Floor),
        ("ceiling", TargetForm::Ceiling),
        ("increase", TargetForm::Increase),
        ("tied", TargetForm::Tied),
        ("city", TargetForm::City),
        ("decline", TargetForm::Decline),
        ("qualitative", TargetForm::Qualitative),
        ("unread", TargetForm::Unread),
        ("reduce", TargetForm::Reduce),
        ("avg_above", TargetForm::AvgAbove),
        ("avg_below", TargetForm::AvgBelow),
        ("exceeds", TargetForm::Exceeds),
        ("matches", TargetForm::Matches),
    ];

    /// Whether the form names another indicator (`tied GDP增长`).
    pub fn names_other(self) -> bool {
        matches!(
            self,
            TargetForm::Tied | TargetForm::Exceeds | TargetForm::Matches
        )
    }

    /// Parses a form word.
    pub fn parse(s: &str) -> Option<TargetForm> {
        Self::ALL.iter().find(|(w, _)| *w == s).map(|(_, f)| *f)
    }

    /// The form's word.
    pub fn word(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, f)| *f == self)
            .map(|(w, _)| *w)
            .unwrap_or("?")
    }
}

/// A quote from the corpus that a fact rests on, or a document cited.
#[derive(Debug, Clone)]
pub struct Quote {
    /// The quoted text (shared by every value of its line); empty when
    /// only a document is cited (`source in 统计公报2022`).
    pub text: std::sync::Arc<str>,
    /// The document named with `in`, in [`Model::documents`].
    pub document: Option<DocumentId>,
    /// Where the quote is written in the rules.
    pub span: Span,
}

/// A 2025 target.
#[derive(Debug, Clone)]
pub struct Target {
    /// Its form.
    pub form: TargetForm,
    /// The number, in the indicator's unit (`None` for `tied`, `city` and
    /// `qualitative`).
    pub value: Option<f64>,
    /// The number as written (`7.5`), for checking that its quote holds it.
    pub written: Option<String>,
    /// Tolerance of a 左右 target (0 when none).
    pub tolerance: f64,
    /// The indicator a `tied`, `exceeds` or `matches` target names.
    pub tied: Option<IndicatorId>,
    /// `reach baseline + 1`: the number added to the baseline (the target's
    /// value is the sum).
    pub relative: Option<f64>,
    /// The target as 附件1 prints it.
    pub printed: String,
    /// Its source.
    pub source: Option<Quote>,
    /// The declaration.
    pub span: Span,
}

/// One observed value.
#[derive(Debug, Clone)]
pub struct Observation {
    /// When.
    pub period: Period,
    /// The value in the indicator's unit; `None` where the table prints `/`.
    pub value: Option<f64>,
    /// The number as written (`9259` of `9259人`).
    pub written: Option<String>,
    /// Its source.
    pub source: Option<Quote>,
    /// Where it is declared.
    pub span: Span,
}

/// A figure the document states (年均增长6.6%), shown beside the engine's own.
#[derive(Debug, Clone)]
pub struct Stated {
    /// The figure's name, as rules name it.
    pub figure: String,
    /// The stated value.
    pub value: f64,
    /// The number as written.
    pub written: String,
    /// Half a unit of the last decimal written, in the indicator's unit:
    /// how far the engine's value may be and still agree.
    pub rounding: f64,
    /// The period it was stated for.
    pub as_of: Option<Period>,
    /// Its source.
    pub source: Option<Quote>,
    /// Where it is declared.
    pub span: Span,
}

/// A yearly verdict stated by the document (for city-set targets).
#[derive(Debug, Clone)]
pub struct Assessment {
    /// The period assessed.
    pub period: Period,
    /// The stated status.
    pub status: StatusId,
    /// Its source.
    pub source: Option<Quote>,
}

/// An indicator or sub-indicator.
#[derive(Debug, Clone)]
pub struct Indicator {
    /// Id used in rules.
    pub id: String,
    /// Name as 附件1 prints it, without the unit.
    pub name: String,
    /// 附件1's 序号 (a sub-indicator carries its parent's).
    pub seq: String,
    /// Category.
    pub category: String,
    /// Attribute (预期性 / 约束性).
    pub attribute: String,
    /// Unit.
    pub unit: Unit,
    /// Kind of series.
    pub kind: Kind,
    /// Target (absent for a parent).
    pub target: Option<Target>,
    /// Baseline value at the plan's baseline year.
    pub baseline: Option<Observation>,
    /// Observations, sorted by period.
    pub observations: Vec<Observation>,
    /// Figures the document states.
    pub stated: Vec<Stated>,
    /// Verdicts the document states.
    pub assessments: Vec<Assessment>,
    /// Notes.
    pub notes: Vec<String>,
    /// Parent indicator.
    pub parent: Option<IndicatorId>,
    /// Sub-indicators.
    pub children: Vec<IndicatorId>,
    /// The declaration.
    pub span: Span,
}

/// `expect X is S as of P under M`
#[derive(Debug, Clone)]
pub struct TestCase {
    /// The test block's name.
    pub block: String,
    /// Indicator.
    pub indicator: IndicatorId,
    /// Expected status.
    pub status: StatusId,
    /// Evaluation period (`None`: the latest data).
    pub as_of: Option<Period>,
    /// Method (`None`: the default).
    pub method: Option<MethodId>,
    /// The expectation.
    pub span: Span,
}

impl Model {
    /// Finds an indicator by id or exact name.
    pub fn find_indicator(&self, key: &str) -> Option<IndicatorId> {
        self.indicators
            .iter()
            .position(|i| i.id == key)
            .or_else(|| self.indicators.iter().position(|i| i.name == key))
    }

    /// Finds the indicator a planner names: its id, its exact name, or a
    /// part of its name or id that only one indicator has.
    pub fn resolve_indicator(
        &self,
        key: &str,
    ) -> Result<IndicatorId, crate::resolve::ResolveError> {
        crate::resolve::resolve(
            key,
            crate::resolve::What::Indicator,
            self.indicators.iter().map(|i| crate::resolve::Entry {
                id: &i.id,
                name: &i.name,
                aliases: &[],
            }),
        )
    }

    /// Finds a method by id.
    pub fn find_method(&self, key: &str) -> Option<MethodId> {
        self.methods.iter().position(|m| m.id == key)
    }

    /// The latest period with any observation: what `eval` judges by default.
    pub fn latest_period(&self) -> Period {
        self.indicators
            .iter()
            .flat_map(|i| i.observations.iter().map(|o| o.period))
            .max_by(|a, b| a.end_time(0).total_cmp(&b.end_time(0)))
            .unwrap_or(Period::year(self.plan.end))
    }

    /// The rule of `method` that decides indicator `ind`.
    pub fn rule_for(&self, method: MethodId, ind: IndicatorId) -> Option<usize> {
        let want = self.applies_of(ind)?;
        self.methods[method]
            .rules
            .iter()
            .position(|r| r.applies.contains(&want))
    }

    /// What kind of rule an indicator needs.
    pub fn applies_of(&self, ind: IndicatorId) -> Option<Applies> {
        let i = &self.indicators[ind];
        if !i.children.is_empty() {
            Some(Applies::Parent)
        } else {
            i.target.as_ref().map(|t| Applies::Form(t.form))
        }
    }

    /// Ids of every name a user may mean by an indicator reference.
    pub fn indicator_names(&self) -> impl Iterator<Item = &str> {
        self.indicators
            .iter()
            .flat_map(|i| [i.id.as_str(), i.name.as_str()])
    }
}
