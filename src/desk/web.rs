//! The pages of `guihua serve` beyond the table: 检索 (search), 检查
//! (check findings), 文档 (a document at a line), 图谱 (a goal's graph) and
//! 规则 (the rule editor). Each takes typed results from the library and
//! returns HTML; every string from the documents, rules or request is
//! escaped with [`esc`]. The only script is the rule editor's
//! ([`RULES_JS`]), served from the binary.

use super::esc;
use super::graph_svg::{self, LNode, Layered};
use super::html::{finding_kind, url_segment, CSS};
use crate::check::Finding;
use crate::graph::{PlanGraph, Risk, Supporter};
use crate::model::graph::{EdgeKind, NodeKind};
use crate::model::StatusClass;
use crate::search::SearchResults;
use std::fmt::Write as _;

/// The rule editor's script: line numbers, live lint, saving.
pub const RULES_JS: &str = include_str!("rules.js");

/// Which page a head is for (the navigation marks it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    /// 指标.
    Table,
    /// 图谱.
    Graph,
    /// 检索.
    Search,
    /// 检查.
    Check,
    /// 规则.
    Rules,
    /// A page of none of them (a document, an error).
    Other,
}

const WEB_CSS: &str = r#"
nav.top{margin-bottom:16px;font-size:15px}nav.top a{margin-right:14px;text-decoration:none}nav.top a.on{font-weight:700;border-bottom:2px solid #0969da}
form.filter select,form.filter input{margin-right:12px}
pre{white-space:pre-wrap;background:#f6f8fa;padding:12px;border-radius:6px;font-size:13px}
input[type=search]{font-size:15px;padding:4px 8px;width:28em;max-width:70vw}
.hit{border-bottom:1px solid #eaeef2;padding:10px 0}.hit .crumbs{font-size:13px;color:#57606a}.hit .crumbs a{color:#57606a}
.hit p{margin:4px 0}mark{background:#fff3b0;padding:0 1px}
.doc{font-size:14px;border:1px solid #d0d7de;border-radius:6px;padding:6px 0;background:#fff}
.doc .ln{display:flex;padding:0 8px}.doc .ln a{flex:0 0 4.5em;text-align:right;padding-right:12px;color:#8c959f;text-decoration:none;user-select:none}
.doc .ln span{white-space:pre-wrap;flex:1}.doc .ln:target,.doc .ln.at{background:#fff3b0}
.error{border:1px solid #ff8182;background:#ffebe9;border-radius:6px;padding:8px 12px}
svg.graph{max-width:none}.graphbox{overflow:auto;border:1px solid #d0d7de;border-radius:6px;background:#fff}
svg.graph .node rect{fill:#fff;stroke:#8c959f}svg.graph .goal rect{fill:#dde5f2;stroke:#1f4e79}
svg.graph .task rect{fill:#eef6ee}svg.graph .measure rect{fill:#fbf3e4}svg.graph .project rect{fill:#f6f8fa}
svg.graph .risk rect{stroke:#cf222e;stroke-width:2}svg.graph .ahead rect{fill:#c6efce}svg.graph .on_track rect{fill:#ddebf7}
svg.graph .behind rect{fill:#ffc7ce}svg.graph .no_data rect{fill:#ededed}svg.graph a text{fill:#0550ae}
.cols{display:flex;gap:16px;align-items:flex-start}.cols>.side{flex:0 0 220px}.cols>.main{flex:1;min-width:0}
.side ul{list-style:none;padding:0}.side li{margin:2px 0}.side li a.on{font-weight:700}
.editor{display:flex;border:1px solid #d0d7de;border-radius:6px;height:62vh;overflow:hidden;background:#fff}
.editor pre.gutter{margin:0;padding:8px 6px;background:#f6f8fa;color:#8c959f;text-align:right;overflow:hidden;border-radius:0;min-width:3.5em;white-space:pre}
.editor pre.gutter span{display:block}.editor pre.gutter span.err{background:#ffc7ce;color:#9c0006;font-weight:700}.editor pre.gutter span.warn{background:#fff3b0}
.editor textarea{flex:1;border:0;outline:0;resize:none;padding:8px;white-space:pre;overflow:auto}
.editor pre.gutter,.editor textarea{font:13px/20px 'Noto Sans Mono CJK SC','Noto Sans Mono',monospace}
#diags li.err{color:#9c0006}#diags li{cursor:pointer;white-space:pre-wrap;font-family:monospace;font-size:12px;margin:4px 0}
#status{margin:8px 0;font-weight:600}
"#;

/// The start of a page of the web app: its title, styles and navigation;
/// `script` adds the one script the app has (the rule editor's).
pub fn head(s: &mut String, title: &str, heading: &str, tab: Tab, script: bool) {
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>{} · {}</title><style>{CSS}{WEB_CSS}</style>{}</head><body>\n<nav class=\"top\">",
        esc(heading),
        esc(title),
        if script {
            "<script src=\"/assets/rules.js\" defer></script>"
        } else {
            ""
        }
    );
    for (t, href, word) in [
        (Tab::Table, "/", "指标"),
        (Tab::Graph, "/graph", "图谱"),
        (Tab::Search, "/search", "检索"),
        (Tab::Check, "/check", "检查"),
        (Tab::Rules, "/rules", "规则"),
    ] {
        let on = if t == tab { " class=\"on\"" } else { "" };
        let _ = write!(s, "<a href=\"{href}\"{on}>{word}</a>");
    }
    let _ = write!(
        s,
        "<a href=\"/report\">评估报告</a></nav>\n<h1>{}</h1>\n",
        esc(title)
    );
}

/// A snippet with `<b>…</b>` around matches as HTML: the text escaped,
/// each balanced pair a `<mark>`.
pub fn highlight(snippet: &str) -> String {
    let mut out = String::new();
    let mut open = false;
    let mut rest = snippet;
    loop {
        let tag = if open { "</b>" } else { "<b>" };
        match rest.find(tag) {
            Some(k) => {
                out.push_str(&esc(&rest[..k]));
                out.push_str(if open { "</mark>" } else { "<mark>" });
                open = !open;
                rest = &rest[k + tag.len()..];
            }
            None => {
                out.push_str(&esc(rest));
                if open {
                    out.push_str("</mark>");
                }
                return out;
            }
        }
    }
}

/// The link to a document at a line.
pub fn doc_href(doc: &str, line: usize) -> String {
    format!("/doc/{}?line={line}#L{line}", url_segment(doc))
}

/// Percent-encodes a query-string value.
pub fn url_query(s: &str) -> String {
    url_segment(s)
}

/// A word of a heading usable after `section:` (the query language ends a
/// word at whitespace): the longest whitespace-free part.
pub fn section_word(heading: &str) -> &str {
    heading
        .split_whitespace()
        .max_by_key(|w| w.chars().count())
        .unwrap_or("")
}

/// What the 检索 page shows.
pub struct SearchView<'a> {
    /// The query typed (without the section filter).
    pub q: &'a str,
    /// The section chosen, if any.
    pub section: Option<&'a str>,
    /// Headings offered as filters: (level, text).
    pub sections: &'a [(u8, String)],
    /// The answer, or the error message of a malformed query.
    pub result: Option<Result<&'a SearchResults, String>>,
    /// Documents that have a page (hits in others are not linked).
    pub has_doc: &'a dyn Fn(&str) -> bool,
}

/// The 检索 page: a search box, a section filter, hits with highlights and
/// breadcrumbs, each opening its place in the document.
pub fn search_page(title: &str, v: &SearchView) -> String {
    let mut s = String::new();
    head(&mut s, title, "检索", Tab::Search, false);
    let _ = write!(
        s,
        "<form class=\"filter\" method=\"get\" action=\"/search\" role=\"search\"><input type=\"search\" name=\"q\" value=\"{}\" placeholder=\"检索词，如 城镇化率；\u{201c}短语\u{201d}、OR、-排除\" autofocus> <label>章节 <select name=\"section\"><option value=\"\">全部</option>",
        esc(v.q)
    );
    for (level, h) in v.sections {
        let sel = if v.section == Some(h.as_str()) {
            " selected"
        } else {
            ""
        };
        let indent = "\u{3000}".repeat(usize::from(level.saturating_sub(1)));
        let _ = write!(s, "<option value=\"{0}\"{sel}>{indent}{0}</option>", esc(h));
    }
    s.push_str("</select></label><button type=\"submit\">检索</button></form>\n");
    match &v.result {
        None => s.push_str("<p class=\"meta\">输入检索词：所有词都要出现；\u{201c}引号\u{201d}内为短语；OR 表示或；-词 排除；section:标题 只查某一章节。</p>\n"),
        Some(Err(e)) => {
            let _ = writeln!(s, "<p class=\"error\">{}</p>", esc(e));
        }
        Some(Ok(r)) => {
            let _ = write!(
                s,
                "<p class=\"meta\" id=\"count\">「{}」共 {} 条结果",
                esc(&r.query),
                r.total
            );
            if r.hits.len() < r.total {
                let _ = write!(s, "，显示前 {} 条", r.hits.len());
            }
            if r.step != crate::search::relax::MatchStep::All {
                let _ = write!(
                    s,
                    "（完全匹配 {} 条，其余按{}匹配）",
                    r.strict_total,
                    r.step.chinese()
                );
            }
            s.push_str("</p>\n");
            for h in &r.hits {
                s.push_str("<div class=\"hit\"><div class=\"crumbs\">");
                if h.section.is_empty() {
                    s.push_str("（正文）");
                }
                for (k, c) in h.section.iter().enumerate() {
                    if k > 0 {
                        s.push_str(" › ");
                    }
                    let _ = write!(
                        s,
                        "<a href=\"/search?q={}&amp;section={}\">{}</a>",
                        url_query(v.q),
                        url_query(c),
                        esc(c)
                    );
                }
                let place = format!("{}:{}", h.doc, h.line);
                let place = if (v.has_doc)(&h.doc) {
                    format!(
                        "<a class=\"open\" href=\"{}\">{}</a>",
                        esc(&doc_href(&h.doc, h.line)),
                        esc(&place)
                    )
                } else {
                    esc(&place)
                };
                let _ = writeln!(
                    s,
                    "</div><p>{}</p><div class=\"loc\">{place} · {}</div></div>",
                    highlight(&h.snippet),
                    kind_zh(&h.kind)
                );
            }
        }
    }
    s.push_str("</body></html>\n");
    s
}

fn kind_zh(kind: &str) -> &'static str {
    match kind {
        "table_row" => "表格行",
        "table_caption" => "表题",
        "figure_caption" => "图题",
        "glossary" => "名词解释",
        "document" => "文档",
        _ => "段落",
    }
}

/// Where a quote of a finding opens: a document line, a rule file line,
/// or nowhere.
pub enum Place {
    /// A document of the corpus.
    Doc,
    /// A rule file (its name in the editor).
    Rule(String),
    /// Neither.
    None,
}

/// The 检查 page: every finding with its quotes, each quote opening its
/// place in the document (or the rule file).
pub fn check_page(title: &str, findings: &[Finding], place: &dyn Fn(&str) -> Place) -> String {
    let mut s = String::new();
    head(&mut s, title, "检查", Tab::Check, false);
    let _ = writeln!(
        s,
        "<p class=\"meta\">文档与数据、文档各处之间不一致之处：{}处 · <a href=\"/api/check\">数据（JSON）</a></p>",
        findings.len()
    );
    if findings.is_empty() {
        s.push_str("<p>未发现不一致。</p>\n");
    }
    for f in findings {
        let mut headline = String::new();
        if let Some(i) = &f.indicator {
            headline.push_str(&esc(i));
        }
        if let Some(per) = &f.period {
            let p = crate::period::Period::parse(per).map_or(per.clone(), |p| p.chinese());
            let _ = write!(headline, "（{}）", esc(&p));
        }
        let _ = write!(
            s,
            "<div class=\"finding\"><h3><span class=\"tag\">{}</span>{headline}</h3><p>{}</p>",
            finding_kind(f.kind),
            esc(&f.message)
        );
        for q in &f.quotes {
            // A rule file's quote is already named `file:line:col`.
            let line = q.line.to_string();
            let loc = if q.file.rsplit(':').nth(1) == Some(line.as_str()) {
                q.file.clone()
            } else {
                format!("{}:{line}", q.file)
            };
            let link = match place(&q.file) {
                Place::Doc => format!(
                    "<a class=\"open\" href=\"{}\">在文中查看 {}</a>",
                    esc(&doc_href(&q.file, q.line)),
                    esc(&loc)
                ),
                Place::Rule(name) => format!(
                    "<a class=\"open\" href=\"/rules?file={}&amp;line={}\">在规则中查看 {}</a>",
                    url_query(&name),
                    q.line,
                    esc(&loc)
                ),
                Place::None => esc(&loc),
            };
            let _ = write!(
                s,
                "<blockquote>\u{201c}{}\u{201d}<br><span class=\"loc\">{link}</span></blockquote>",
                esc(&q.text)
            );
        }
        s.push_str("</div>\n");
    }
    s.push_str("</body></html>\n");
    s
}

/// Lines of a document shown on one page.
pub const DOC_WINDOW: usize = 400;

/// Where a document's page starts: a quarter of a page before the line
/// asked for, or at the line a page link names.
pub fn doc_first_line(line: Option<usize>, start: Option<usize>) -> usize {
    match (line, start) {
        (Some(l), _) => l.saturating_sub(DOC_WINDOW / 4).max(1),
        (None, Some(s)) => s.max(1),
        (None, None) => 1,
    }
}

/// A document's page: [`DOC_WINDOW`] lines from `first`, `line` marked,
/// with the breadcrumb of the place and links to the pages before and after.
pub fn doc_page(
    title: &str,
    doc: &str,
    text: &str,
    first: usize,
    line: Option<usize>,
    crumbs: &[String],
) -> String {
    let mut s = String::new();
    head(&mut s, title, doc, Tab::Other, false);
    let total = text.lines().count();
    let first = first.clamp(1, total.max(1));
    let last = (first + DOC_WINDOW - 1).min(total);
    let _ = write!(s, "<h2>{}</h2><p class=\"meta\">", esc(doc));
    if !crumbs.is_empty() {
        let path: Vec<String> = crumbs.iter().map(|c| esc(c)).collect();
        let _ = write!(s, "<span class=\"crumbs\">{}</span> · ", path.join(" › "));
    }
    let _ = write!(s, "第{first}–{last}行（共{total}行）");
    let nav = |s: &mut String| {
        if first > 1 {
            let p = first.saturating_sub(DOC_WINDOW).max(1);
            let _ = write!(
                s,
                " · <a href=\"/doc/{}?start={p}\">上一页</a>",
                url_segment(doc)
            );
        }
        if last < total {
            let _ = write!(
                s,
                " · <a href=\"/doc/{}?start={}\">下一页</a>",
                url_segment(doc),
                last + 1
            );
        }
    };
    nav(&mut s);
    s.push_str("</p>\n<div class=\"doc\">\n");
    for (k, l) in text
        .lines()
        .enumerate()
        .skip(first - 1)
        .take(last + 1 - first)
    {
        let n = k + 1;
        let at = if Some(n) == line { " at" } else { "" };
        let _ = writeln!(
            s,
            "<div class=\"ln{at}\" id=\"L{n}\"><a href=\"#L{n}\">{n}</a><span>{}</span></div>",
            esc(l)
        );
    }
    s.push_str("</div><p class=\"meta\">");
    nav(&mut s);
    s.push_str("</p></body></html>\n");
    s
}

/// The figures of one goal that the 图谱 page draws.
pub struct GoalView<'a, 'm> {
    /// The graph.
    pub pg: &'a PlanGraph<'m>,
    /// The goal (node index).
    pub goal: usize,
    /// Its supporters (`graph supports`).
    pub supporters: &'a [Supporter<'m>],
    /// Indicators measuring it: (node index, status, class).
    pub indicators: &'a [(usize, String, StatusClass)],
    /// Its entry in `graph at-risk`, if it is at risk.
    pub risk: Option<&'a Risk<'m>>,
}

fn class_of(c: StatusClass) -> &'static str {
    match c {
        StatusClass::Ahead => "ahead",
        StatusClass::OnTrack => "on_track",
        StatusClass::Behind => "behind",
        StatusClass::NoData => "no_data",
    }
}

/// The drawing of a goal: indicators measuring it on the left, the goal,
/// then its supporters by their distance from it (tasks, measures,
/// projects), edges along the paths `graph supports` found.
pub fn goal_graph(v: &GoalView) -> Layered {
    let pg = v.pg;
    let mut g = Layered::default();
    let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let has_ind = !v.indicators.is_empty();
    let base = usize::from(has_ind);
    for (i, status, class) in v.indicators {
        let n = pg.node(*i);
        index.insert(n.id.as_str(), g.nodes.len());
        g.nodes.push(LNode {
            label: n.name.clone(),
            title: format!("指标 {}：{}", n.name, status),
            class: class_of(*class).to_string(),
            layer: 0,
            href: n
                .indicator
                .map(|_| format!("/indicator/{}", url_segment(&n.id))),
        });
    }
    let gn = pg.node(v.goal);
    let goal_at = g.nodes.len();
    index.insert(gn.id.as_str(), goal_at);
    g.nodes.push(LNode {
        label: gn.name.clone(),
        title: match v.risk {
            Some(r) => format!("目标 {}：风险分 {}", gn.name, r.score),
            None => format!("目标 {}", gn.name),
        },
        class: if v.risk.is_some() {
            "goal risk"
        } else {
            "goal"
        }
        .to_string(),
        layer: base,
        href: None,
    });
    for k in 0..v.indicators.len() {
        g.edges.push((k, goal_at));
    }
    let mut depth = 0;
    for sp in v.supporters {
        let d = sp.path.len().saturating_sub(1).max(1);
        depth = depth.max(d);
        index.insert(sp.id, g.nodes.len());
        let mut tip = format!("{} {}", sp.kind.chinese(), sp.name);
        if let Some(st) = sp.state {
            let _ = write!(tip, "，{st}");
        }
        if let Some(m) = sp.investment {
            let _ = write!(tip, "，投资{}亿元", crate::model::fmt_num(m));
        }
        g.nodes.push(LNode {
            label: sp.name.to_string(),
            title: tip,
            class: sp.kind.word().to_string(),
            layer: base + d,
            href: Some(format!(
                "/search?q={}",
                url_query(&format!("\"{}\"", sp.name))
            )),
        });
    }
    for sp in v.supporters {
        for w in sp.path.windows(2) {
            if let (Some(&a), Some(&b)) = (index.get(w[0]), index.get(w[1])) {
                if !g.edges.contains(&(a, b)) {
                    g.edges.push((a, b));
                }
            }
        }
    }
    if has_ind {
        g.headers.push("衡量指标".into());
    }
    g.headers.push("目标".into());
    for d in 1..=depth {
        let kinds: Vec<&str> = [
            NodeKind::Goal,
            NodeKind::Task,
            NodeKind::Measure,
            NodeKind::Project,
        ]
        .into_iter()
        .filter(|k| {
            v.supporters
                .iter()
                .any(|s| s.kind == *k && s.path.len().saturating_sub(1).max(1) == d)
        })
        .map(NodeKind::chinese)
        .collect();
        g.headers
            .push(format!("支撑（第{d}层）：{}", kinds.join("、")));
    }
    g
}

/// The indicators measuring a goal: (node index, its status, class), from
/// the graph's `measured_by` edges and the evaluation's rows.
pub fn measuring(
    pg: &PlanGraph,
    goal: usize,
    status: &dyn Fn(&str) -> Option<(String, StatusClass)>,
) -> Vec<(usize, String, StatusClass)> {
    let mut out: Vec<(usize, String, StatusClass)> = Vec::new();
    for e in &pg.data.edges {
        if e.kind == EdgeKind::MeasuredBy && e.from == goal && !out.iter().any(|x| x.0 == e.to) {
            let n = pg.node(e.to);
            let (st, c) = status(&n.id).unwrap_or(("暂无数据".to_string(), StatusClass::NoData));
            out.push((e.to, st, c));
        }
    }
    out
}

/// The 图谱 page: a goal picker (goals at risk first, with their score),
/// and for the goal chosen its drawing, the indicators measuring it, why
/// it is at risk and its supporters with their sources.
pub fn graph_page(
    title: &str,
    goals: &[(String, String, Option<u32>)],
    chosen: Option<&GoalView>,
    error: Option<&str>,
) -> String {
    let mut s = String::new();
    head(&mut s, title, "图谱", Tab::Graph, false);
    s.push_str("<form class=\"filter\" method=\"get\" action=\"/graph\"><label>目标 <select name=\"goal\">");
    let current = chosen.map(|c| c.pg.node(c.goal).id.as_str());
    for (id, name, risk) in goals {
        let sel = if current == Some(id.as_str()) {
            " selected"
        } else {
            ""
        };
        let mark = risk.map(|r| format!("（风险分 {r}）")).unwrap_or_default();
        let _ = write!(
            s,
            "<option value=\"{}\"{sel}>{}{}</option>",
            esc(id),
            esc(name),
            mark
        );
    }
    s.push_str("</select></label><button type=\"submit\">查看</button> <a href=\"/api/graph\">受影响的目标（JSON）</a></form>\n");
    if let Some(e) = error {
        let _ = writeln!(s, "<p class=\"error\">{}</p>", esc(e));
    }
    match chosen {
        None => {
            let at_risk: Vec<_> = goals.iter().filter(|g| g.2.is_some()).collect();
            let _ = writeln!(
                s,
                "<h2>受指标滞后影响的目标和任务（{}）</h2>",
                at_risk.len()
            );
            if at_risk.is_empty() {
                s.push_str("<p>没有受滞后指标影响的目标或任务。</p>\n");
            }
            s.push_str("<ul>");
            for (id, name, r) in at_risk {
                let _ = write!(
                    s,
                    "<li><a href=\"/graph?goal={}\">{}</a> <span class=\"loc\">风险分 {}</span></li>",
                    url_query(id),
                    esc(name),
                    r.unwrap_or(0)
                );
            }
            s.push_str("</ul>\n");
        }
        Some(v) => {
            let gn = v.pg.node(v.goal);
            let _ = writeln!(
                s,
                "<h2>{} <span class=\"loc\">{} · 支撑{}项 · 衡量指标{}项 · <a href=\"/api/graph?goal={}\">JSON</a></span></h2>",
                esc(&gn.name),
                esc(&gn.id),
                v.supporters.len(),
                v.indicators.len(),
                url_query(&gn.id)
            );
            if let Some(r) = v.risk {
                let _ = write!(
                    s,
                    "<div class=\"risk\"><h3>受滞后指标影响 · 风险分 {}</h3><ul>",
                    r.score
                );
                for (_, name, status) in &r.indicators {
                    let _ = write!(s, "<li>{}（{}）</li>", esc(name), esc(status));
                }
                s.push_str("</ul></div>\n");
            }
            let _ = writeln!(
                s,
                "<div class=\"graphbox\">{}</div>",
                graph_svg::svg(&goal_graph(v))
            );
            s.push_str("<h2>支撑的项目、举措和任务</h2><table><thead><tr><th>类别</th><th>名称</th><th>状态</th><th>路径</th><th>来源</th></tr></thead><tbody>\n");
            for sp in v.supporters {
                let path: Vec<String> = sp
                    .path
                    .iter()
                    .map(|id| {
                        v.pg.resolve(id)
                            .map(|i| v.pg.node(i).name.clone())
                            .unwrap_or_else(|_| id.to_string())
                    })
                    .collect();
                let _ = writeln!(
                    s,
                    "<tr><td class=\"c\">{}</td><td>{}</td><td class=\"c\">{}</td><td class=\"why\">{}</td><td class=\"why\">{}</td></tr>",
                    sp.kind.chinese(),
                    esc(sp.name),
                    esc(sp.state.unwrap_or("")),
                    esc(&path.join(" → ")),
                    esc(sp.source.unwrap_or(""))
                );
            }
            s.push_str("</tbody></table>\n");
        }
    }
    s.push_str("</body></html>\n");
    s
}

/// What the 规则 page shows.
pub struct RulesView<'a> {
    /// Rule files by name (relative to the rules folder).
    pub files: &'a [String],
    /// The file open.
    pub file: &'a str,
    /// Its text.
    pub text: &'a str,
    /// Whether it may be saved (not the bundled example).
    pub editable: bool,
    /// A line to show first.
    pub line: Option<usize>,
}

/// The 规则 page: the files, the chosen one in an editor with line
/// numbers; the script lints as one types and saves.
pub fn rules_page(title: &str, v: &RulesView) -> String {
    let mut s = String::new();
    head(&mut s, title, "规则", Tab::Rules, true);
    s.push_str("<div class=\"cols\"><div class=\"side\"><h3>规则文件</h3><ul>");
    for f in v.files {
        let on = if f == v.file { " class=\"on\"" } else { "" };
        let _ = write!(
            s,
            "<li><a href=\"/rules?file={}\"{on}>{}</a></li>",
            url_query(f),
            esc(f)
        );
    }
    s.push_str("</ul></div><div class=\"main\">");
    let _ = write!(
        s,
        "<h2>{}</h2>{}<div class=\"editor\"><pre class=\"gutter\" id=\"gutter\" aria-hidden=\"true\"></pre><textarea id=\"text\" spellcheck=\"false\" wrap=\"off\" data-file=\"{}\" data-editable=\"{}\" data-line=\"{}\">{}</textarea></div>",
        esc(v.file),
        if v.editable {
            "<p class=\"meta\">修改后自动检查；保存时原文件先备份到规则文件夹的 .history/ 中。</p>"
        } else {
            "<p class=\"meta\">这是内置示例的规则，只能查看和检查，不能保存：用 guihua new 建立工作区后再编辑。</p>"
        },
        esc(v.file),
        v.editable,
        v.line.unwrap_or(0),
        esc(v.text)
    );
    let _ = write!(
        s,
        "<p><button id=\"lint\" type=\"button\">检查</button> <button id=\"save\" type=\"button\"{}>保存</button></p><div id=\"status\" role=\"status\"></div><ul id=\"diags\"></ul>",
        if v.editable { "" } else { " disabled" }
    );
    s.push_str("</div></div></body></html>\n");
    s
}

/// A page saying the rules have errors, so the pages that need the
/// evaluation cannot be shown; the diagnostics and a link to the editor.
pub fn broken_page(title: &str, heading: &str, tab: Tab, diagnostics: &str) -> String {
    let mut s = String::new();
    head(&mut s, title, heading, tab, false);
    let _ = writeln!(
        s,
        "<p class=\"error\">规则有错误，无法评估：请在<a href=\"/rules\">规则</a>页修改并保存。检索和文档仍可使用。</p><pre>{}</pre></body></html>",
        esc(diagnostics)
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_balanced_pairs_and_escapes_the_rest() {
        assert_eq!(
            highlight("a<b>城镇</b>&<script>"),
            "a<mark>城镇</mark>&amp;&lt;script&gt;"
        );
        assert_eq!(highlight("<b>x"), "<mark>x</mark>");
    }

    #[test]
    fn section_words_fit_the_query_language() {
        assert_eq!(section_word("第三章 创新驱动发展"), "创新驱动发展");
        assert_eq!(section_word("附件3"), "附件3");
    }
}
