//! The plan's structure as typed data: goals, tasks, projects, measures,
//! glossary terms and indicators, and the edges between them. `graph`
//! builds the petgraph model from this.

use super::{IndicatorId, Quote};
use crate::span::Span;

/// What a node is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NodeKind {
    /// A focus area or a part of the strategic framework.
    Goal,
    /// A 一是/二是 item of a focus area.
    Task,
    /// A named project, park, platform or lab.
    Project,
    /// A programme or policy.
    Measure,
    /// A glossary entry (名词解释).
    Term,
    /// A plan indicator.
    Indicator,
}

impl NodeKind {
    /// Every kind, in the order they are declared.
    pub const ALL: [NodeKind; 6] = [
        NodeKind::Goal,
        NodeKind::Task,
        NodeKind::Project,
        NodeKind::Measure,
        NodeKind::Term,
        NodeKind::Indicator,
    ];
    /// Parses a kind word.
    pub fn parse(s: &str) -> Option<NodeKind> {
        NodeKind::ALL.into_iter().find(|k| k.word() == s)
    }
    /// The kind's word.
    pub fn word(self) -> &'static str {
        match self {
            NodeKind::Goal => "goal",
            NodeKind::Task => "task",
            NodeKind::Project => "project",
            NodeKind::Measure => "measure",
            NodeKind::Term => "term",
            NodeKind::Indicator => "indicator",
        }
    }
    /// The kind in Chinese.
    pub fn chinese(self) -> &'static str {
        match self {
            NodeKind::Goal => "目标",
            NodeKind::Task => "任务",
            NodeKind::Project => "项目",
            NodeKind::Measure => "举措",
            NodeKind::Term => "名词",
            NodeKind::Indicator => "指标",
        }
    }
}

/// What an edge means; it points from the first node to the second.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EdgeKind {
    /// A task is part of a goal; a programme of a programme.
    PartOf,
    /// A project, measure or task helps a goal or task.
    Supports,
    /// A project or task carries out a measure.
    Implements,
    /// Must come after: the target first.
    DependsOn,
    /// A goal or task is measured by an indicator.
    MeasuredBy,
    /// A glossary term stands for a node.
    Defines,
}

impl EdgeKind {
    /// Every kind with its word.
    pub const ALL: [(&'static str, EdgeKind); 6] = [
        ("part_of", EdgeKind::PartOf),
        ("supports", EdgeKind::Supports),
        ("implements", EdgeKind::Implements),
        ("depends_on", EdgeKind::DependsOn),
        ("measured_by", EdgeKind::MeasuredBy),
        ("defines", EdgeKind::Defines),
    ];
    /// Parses an edge word.
    pub fn parse(s: &str) -> Option<EdgeKind> {
        Self::ALL.iter().find(|(w, _)| *w == s).map(|(_, k)| *k)
    }
    /// What the nodes at the other end are, in Chinese: `outgoing` for
    /// the edge's target (a goal `→ 衡量指标`), else its source.
    pub fn chinese(self, outgoing: bool) -> &'static str {
        match (self, outgoing) {
            (EdgeKind::PartOf, true) => "所属",
            (EdgeKind::PartOf, false) => "下属",
            (EdgeKind::Supports, true) => "支撑",
            (EdgeKind::Supports, false) => "支撑者",
            (EdgeKind::Implements, true) => "落实",
            (EdgeKind::Implements, false) => "落实者",
            (EdgeKind::DependsOn, true) => "依赖",
            (EdgeKind::DependsOn, false) => "依赖它的",
            (EdgeKind::MeasuredBy, true) => "衡量指标",
            (EdgeKind::MeasuredBy, false) => "所衡量的目标和任务",
            (EdgeKind::Defines, true) => "所指",
            (EdgeKind::Defines, false) => "释义名词",
        }
    }
    /// The edge's word.
    pub fn word(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, k)| *k == self)
            .map_or("?", |(w, _)| w)
    }
    /// Which node kinds the edge may join (from, to), and the rule in words.
    pub fn allows(self, from: NodeKind, to: NodeKind) -> Result<(), &'static str> {
        use NodeKind::*;
        let ok = match self {
            EdgeKind::PartOf => matches!(
                (from, to),
                (Goal, Goal)
                    | (Task, Goal)
                    | (Task, Task)
                    | (Project, Project)
                    | (Measure, Measure)
            ),
            EdgeKind::Supports => {
                matches!(from, Project | Measure | Task) && matches!(to, Goal | Task)
            }
            EdgeKind::Implements => matches!(from, Project | Task) && to == Measure,
            EdgeKind::DependsOn => {
                matches!(from, Task | Project | Measure) && matches!(to, Task | Project | Measure)
            }
            EdgeKind::MeasuredBy => matches!(from, Goal | Task) && to == Indicator,
            EdgeKind::Defines => from == Term && to != Indicator,
        };
        if ok {
            Ok(())
        } else {
            Err(match self {
                EdgeKind::PartOf => "`part_of` joins a task to a goal or task, a goal to a goal, a project to a project, a measure to a measure",
                EdgeKind::Supports => "`supports` goes from a project, measure or task to a goal or task",
                EdgeKind::Implements => "`implements` goes from a project or task to a measure",
                EdgeKind::DependsOn => "`depends_on` joins tasks, projects and measures",
                EdgeKind::MeasuredBy => "`measured_by` goes from a goal or task to an indicator",
                EdgeKind::Defines => "`defines` goes from a glossary term to the words and nodes it stands for",
            })
        }
    }
}

/// How far a project has got: the class of a state word the rules declare
/// in `project_states { … }` (the words are the report's own).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StateClass {
    /// Planned or signed, not started (谋划, 签约).
    Planned,
    /// Under way (开工, 在建).
    UnderWay,
    /// Finished (建成投产, 竣工, 运营).
    Done,
}

impl StateClass {
    /// Parses a class word.
    pub fn parse(s: &str) -> Option<StateClass> {
        Some(match s {
            "planned" => StateClass::Planned,
            "under_way" => StateClass::UnderWay,
            "done" => StateClass::Done,
            _ => return None,
        })
    }
    /// All class words.
    pub const WORDS: [&'static str; 3] = ["planned", "under_way", "done"];
}

/// A node.
#[derive(Debug, Clone)]
pub struct GNode {
    /// Id.
    pub id: String,
    /// Kind.
    pub kind: NodeKind,
    /// Name.
    pub name: String,
    /// Other names.
    pub aliases: Vec<String>,
    /// The sentence it rests on.
    pub source: Option<Quote>,
    /// Investment in 亿元.
    pub investment: Option<f64>,
    /// Year.
    pub year: Option<i32>,
    /// State (签约, 开工, …).
    pub state: Option<String>,
    /// The class the rules declare for the state.
    pub state_class: Option<StateClass>,
    /// A glossary term's explanation.
    pub expansion: Option<String>,
    /// Words a glossary term stands for.
    pub words: Vec<String>,
    /// Notes.
    pub notes: Vec<String>,
    /// The indicator, for an indicator node.
    pub indicator: Option<IndicatorId>,
    /// Where declared.
    pub span: Span,
}

/// An edge.
#[derive(Debug, Clone)]
pub struct GEdge {
    /// From node (index into `nodes`).
    pub from: usize,
    /// To node.
    pub to: usize,
    /// Meaning.
    pub kind: EdgeKind,
    /// The sentence it rests on.
    pub source: Option<Quote>,
    /// Where declared.
    pub span: Span,
}

/// All nodes and edges.
#[derive(Debug, Clone, Default)]
pub struct GraphData {
    /// Nodes; indicators come first, in table order.
    pub nodes: Vec<GNode>,
    /// Edges in declaration order.
    pub edges: Vec<GEdge>,
    /// Project state words declared by the rules, with their classes.
    pub states: Vec<(String, StateClass)>,
}
