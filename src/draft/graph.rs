//! The plan as a graph, drafted from the document: the focus areas of the
//! chapter of next steps as goals (headings recovered from the 目录), their
//! 一是/二是 items as tasks, every project of the project list with its
//! field, investment, year and state, linked to the tasks or goals whose
//! text names it (else to the goal of its field), and the glossary terms.

use super::lit;
use super::tasks::task_items;
use crate::corpus::ingest::{Ingested, UnitKind};
use std::fmt::Write as _;

/// The drafted graph file and notes about it.
pub struct Drafted {
    /// The file, when the document has goals or projects.
    pub text: Option<String>,
    /// Notes for the user.
    pub notes: Vec<String>,
}

struct Goal {
    id: String,
    heading: String,
    /// Paragraph texts under it.
    paras: Vec<String>,
    tasks: Vec<Task>,
}

struct Task {
    id: String,
    label: String,
    text: String,
}

struct Project {
    id: String,
    name: String,
    quote: String,
    field: String,
    investment: Option<String>,
    year: Option<String>,
    state: Option<String>,
}

fn ident(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

fn unique(id: String, taken: &mut Vec<String>) -> String {
    super::unique_id(id, "节点", taken)
}

/// `（三）` → true.
fn numbered_section(s: &str) -> bool {
    s.starts_with('（') && s.find('）').is_some_and(|k| k <= 3 * 4 + 3)
}

/// The chapter of focus areas: the chapter (not an attachment) whose
/// sections are phrased `X，Y` (聚焦X，建设Y; 围绕X，打造Y), the last such.
fn focus_chapter(doc: &Ingested) -> Option<(String, Vec<String>)> {
    let mut best: Option<(String, Vec<String>)> = None;
    let mut cur: Option<(String, Vec<String>)> = None;
    let mut done = Vec::new();
    for h in &doc.outline {
        if h.level == 1 {
            if let Some(c) = cur.take() {
                done.push(c);
            }
            if !h.text.starts_with("附件") {
                cur = Some((h.text.clone(), Vec::new()));
            }
        } else if let Some(c) = cur.as_mut() {
            if numbered_section(&h.text) {
                c.1.push(h.text.clone());
            }
        }
    }
    if let Some(c) = cur.take() {
        done.push(c);
    }
    // A document without a 目录: the outline its paragraphs carry.
    if doc.outline.is_empty() {
        for u in &doc.units {
            let (Some(ch), Some(sec)) = (u.section.first(), u.section.get(1)) else {
                continue;
            };
            if ch.starts_with("附件") || !numbered_section(sec) {
                continue;
            }
            match done.iter_mut().find(|(c, _)| c == ch) {
                Some((_, secs)) => {
                    if !secs.contains(sec) {
                        secs.push(sec.clone());
                    }
                }
                None => done.push((ch.clone(), vec![sec.clone()])),
            }
        }
    }
    for (ch, secs) in done {
        let phrased = secs.iter().filter(|s| s.contains('，')).count();
        if secs.len() >= 2 && phrased * 2 > secs.len() {
            best = Some((ch, secs));
        }
    }
    best
}

/// `（一）围绕智能制造，打造…` → `智能制造`.
fn goal_id(heading: &str) -> String {
    let body = heading.split_once('）').map_or(heading, |(_, b)| b);
    let head = body.split('，').next().unwrap_or(body);
    let chars: Vec<char> = head.chars().collect();
    // 聚焦/围绕/坚持/推进 … : a two-character verb leads the focus.
    if chars.len() > 4 {
        chars[2..].iter().collect()
    } else {
        head.to_string()
    }
}

/// A project line: `1.名称：内容，总投资18.6亿元。进展情况：已建成投产。`
fn project_line(text: &str) -> Option<(String, String, Option<String>, Option<String>)> {
    let d = text.find(|c: char| !c.is_ascii_digit())?;
    if d == 0 || !text[d..].starts_with(['.', '．', '、']) {
        return None;
    }
    let body = &text[d..];
    let body = &body[body.chars().next()?.len_utf8()..];
    let colon = body.find('：')?;
    let name = body[..colon].trim().to_string();
    if name.is_empty() || name.chars().count() > 40 {
        return None;
    }
    let quote = text[..d + text[d..].chars().next()?.len_utf8() + colon].to_string();
    let investment = body.find("总投资").and_then(|i| {
        let rest = &body[i + "总投资".len()..];
        let rest = rest.trim_start_matches(['约', '为']);
        let n: String = rest
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        let unit_rest = &rest[n.len()..];
        let unit = if unit_rest.starts_with("亿元") {
            "亿元"
        } else if unit_rest.starts_with("万元") {
            "万元"
        } else {
            return None;
        };
        (!n.is_empty()).then(|| format!("{n}{unit}"))
    });
    let state = ["进展情况：", "进展：", "进度：", "建设进展：", "状态："]
        .iter()
        .find_map(|k| body.find(k).map(|i| &body[i + k.len()..]))
        .map(|s| {
            s.split(['。', '，', '；'])
                .next()
                .unwrap_or("")
                .trim()
                .to_string()
        })
        .filter(|s| !s.is_empty() && s.chars().count() <= 8);
    let _ = investment.as_ref()?;
    Some((name, quote, investment, state))
}

type TableProject = (
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// The projects of a project table: name, quote of the row, field,
/// investment, year and state.
fn table_projects(t: &crate::corpus::ingest::Table) -> Vec<TableProject> {
    let Some((_, header)) = t.rows.first() else {
        return Vec::new();
    };
    let h: Vec<String> = header
        .iter()
        .map(|c| c.chars().filter(|c| !c.is_whitespace()).collect())
        .collect();
    let find = |keys: &[&str]| h.iter().position(|c| keys.iter().any(|k| c.contains(k)));
    let Some(name) = h
        .iter()
        .position(|c| c.contains("项目") && (c.contains("名称") || c.as_str() == "项目"))
    else {
        return Vec::new();
    };
    let invest = find(&["投资"]);
    let state = find(&["进展", "进度", "状态", "建设情况"]);
    if invest.is_none() && state.is_none() {
        return Vec::new();
    }
    let field = find(&["领域", "类别", "行业", "分类"]);
    let year = find(&["年份", "年度", "开工年", "建设年"]);
    // 总投资（亿元）: the unit in the header.
    let unit = invest.and_then(|k| {
        ["亿元", "万元"]
            .iter()
            .find(|u| h[k].contains(**u))
            .map(|u| u.to_string())
    });
    let mut out = Vec::new();
    let mut cur_field = String::new();
    for (_, row) in t.rows.iter().skip(1) {
        let extra = row.len().saturating_sub(h.len());
        let at = |k: usize| -> &str {
            let i = if k > name { k + extra } else { k };
            row.get(i).map_or("", |c| c.trim())
        };
        let nm: String = at(name).chars().filter(|c| !c.is_whitespace()).collect();
        if nm.is_empty() {
            continue;
        }
        if let Some(f) = field {
            let v = at(f);
            if !v.is_empty() {
                cur_field = v.to_string();
            }
        }
        let investment = invest.and_then(|k| {
            let v = at(k);
            let n: String = v
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '.')
                .collect();
            if n.is_empty() {
                return None;
            }
            let u = if v.contains("万元") {
                "万元".to_string()
            } else if v.contains("亿元") {
                "亿元".to_string()
            } else {
                unit.clone()?
            };
            Some(format!("{n}{u}"))
        });
        let st = state
            .map(|k| at(k).to_string())
            .filter(|v| !v.is_empty() && v.chars().count() <= 8);
        let yr = year
            .map(|k| at(k).chars().take(4).collect::<String>())
            .filter(|y| y.len() == 4 && y.chars().all(|c| c.is_ascii_digit()));
        let start = row.iter().position(|c| c.trim() == at(name)).unwrap_or(0);
        let quote = row[start..]
            .iter()
            .filter(|c| !c.trim().is_empty())
            .map(|c| c.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect::<Vec<_>>()
            .join(" ");
        out.push((nm, quote, cur_field.clone(), investment, yr, st));
    }
    out
}

/// The class a project's state word belongs to.
fn state_class(s: &str) -> &'static str {
    if [
        "建成", "竣工", "投产", "投运", "运营", "开园", "完成", "投用",
    ]
    .iter()
    .any(|w| s.contains(w))
    {
        "done"
    } else if ["在建", "开工", "建设", "施工"]
        .iter()
        .any(|w| s.contains(w))
    {
        "under_way"
    } else {
        "planned"
    }
}

fn bigrams(s: &str) -> Vec<(char, char)> {
    let c: Vec<char> = s.chars().filter(|c| !c.is_ascii_punctuation()).collect();
    c.windows(2).map(|w| (w[0], w[1])).collect()
}

/// The clause of `text` around byte `i`, verbatim.
fn clause(text: &str, i: usize) -> String {
    let start = text[..i]
        .rfind(['。', '；'])
        .map_or(0, |k| k + '。'.len_utf8());
    let end = text[i..].find(['。', '；']).map_or(text.len(), |k| i + k);
    text[start..end].trim().to_string()
}

/// Drafts the graph file.
pub fn draft(doc: &Ingested, indicators: &[(String, String)]) -> Drafted {
    let mut notes = Vec::new();
    let mut taken: Vec<String> = indicators.iter().map(|i| i.0.clone()).collect();
    let mut goals: Vec<Goal> = Vec::new();
    if let Some((chapter, secs)) = focus_chapter(doc) {
        for h in secs {
            let id = unique(ident(&goal_id(&h)), &mut taken);
            let paras: Vec<String> = doc
                .units
                .iter()
                .filter(|u| u.kind == UnitKind::Paragraph && u.section.contains(&h))
                .map(|u| u.text.clone())
                .collect();
            let mut tasks = Vec::new();
            for p in &paras {
                let its = task_items(p);
                for (k, (at, label)) in its.iter().enumerate() {
                    let end = its.get(k + 1).map_or(p.len(), |n| n.0);
                    let tid = unique(format!("{id}_{}", tasks.len() + 1), &mut taken);
                    tasks.push(Task {
                        id: tid,
                        label: label.clone(),
                        text: p[*at..end].to_string(),
                    });
                }
            }
            goals.push(Goal {
                id,
                heading: h,
                paras,
                tasks,
            });
        }
        notes.push(format!(
            "图谱：{chapter} 的 {} 个重点方向作为目标，{} 个“一是/二是”任务 (goals and tasks)",
            goals.len(),
            goals.iter().map(|g| g.tasks.len()).sum::<usize>()
        ));
    }

    // Projects: numbered lines with an investment, under a heading that
    // names projects; the field is the （一）… line above them.
    let mut projects: Vec<Project> = Vec::new();
    let mut field = String::new();
    let mut last_sec: Option<String> = None;
    let field_of = |h: &str| {
        let body = h.split_once('）').map_or("", |x| x.1);
        body.split(['（', '(']).next().unwrap_or(body).to_string()
    };
    for u in &doc.units {
        if u.kind != UnitKind::Paragraph || !u.section.iter().any(|s| s.contains("项目")) {
            continue;
        }
        // A field line: a sub-heading of the section, or a paragraph of its own.
        if numbered_section(&u.text) && u.text.chars().count() <= 40 {
            field = field_of(&u.text);
            continue;
        }
        // A field heading the ingester kept as a sub-heading: it holds
        // until a later one (or a field paragraph) replaces it.
        let sec = u.section.iter().skip(1).rev().find(|h| numbered_section(h));
        if sec != last_sec.as_ref() {
            if let Some(h) = sec {
                field = field_of(h);
            }
            last_sec = sec.cloned();
        }
        if let Some((name, quote, investment, state)) = project_line(&u.text) {
            let state = state.map(|w| ident(&w)).filter(|w| !w.is_empty());
            let year = u
                .text
                .find("年")
                .and_then(|i| u.text.get(i.saturating_sub(4)..i))
                .filter(|y| y.chars().all(|c| c.is_ascii_digit()) && y.len() == 4)
                .map(str::to_string);
            projects.push(Project {
                id: unique(ident(&name), &mut taken),
                name,
                quote,
                field: field.clone(),
                investment,
                year,
                state,
            });
        }
    }
    // Projects in a real table: found by its header (a 项目 name column
    // and an investment or progress column).
    for t in &doc.tables {
        for p in table_projects(t) {
            if projects.iter().any(|q| q.name == p.0) {
                continue;
            }
            let (name, quote, field, investment, year, state) = p;
            let state = state.map(|w| ident(&w)).filter(|w| !w.is_empty());
            projects.push(Project {
                id: unique(ident(&name), &mut taken),
                name,
                quote,
                field,
                investment,
                year,
                state,
            });
        }
    }
    if !projects.is_empty() {
        notes.push(format!(
            "图谱：项目清单 {} 个项目 (projects)",
            projects.len()
        ));
    }

    if goals.is_empty() && projects.is_empty() && doc.glossary.is_empty() {
        return Drafted { text: None, notes };
    }
    let mut s = String::new();
    s.push_str("// 规划图谱：重点方向（目标）、“一是/二是”（任务）、重大项目与名词解释。\n// 由 `guihua new` 起草；每个节点引用其所在的原文。\n\n");
    let mut states: Vec<String> = Vec::new();
    for p in &projects {
        if let Some(st) = &p.state {
            if !states.contains(st) {
                states.push(st.clone());
            }
        }
    }
    if !states.is_empty() {
        s.push_str("// 项目进展用语（报告原词）：planned 尚未开工，under_way 在建，done 已建成。\n// 推断：类别由用语判断，请核对。\nproject_states {\n");
        for st in &states {
            let _ = writeln!(s, "  {st} {}", state_class(st));
        }
        s.push_str("}\n\n");
    }
    // An indicator named in a task's (or else the goal's) text measures it,
    // by any of its names (规上 for 规模以上).
    let learned = super::prose::learned_forms(doc);
    let measures = |text: &str| -> Vec<(String, String)> {
        indicators
            .iter()
            .filter_map(|(id, name)| {
                // The prose may shorten a name: 增速 for 增长, without a
                // two-character qualifier (城市空气… → 空气…).
                let mut variants = super::prose::name_forms(name, &learned);
                // 规上工业增加值年均增长: the name's stem before 增长.
                for v in variants.clone() {
                    if let Some(stem) = v.strip_suffix("增长") {
                        if stem.chars().count() >= 5 {
                            variants.push(stem.to_string());
                        }
                    }
                }
                let rest: String = name.chars().skip(2).collect();
                if rest.chars().count() >= 6 {
                    variants.push(rest);
                }
                let i = variants.iter().find_map(|v| text.find(v.as_str()))?;
                Some((id.clone(), clause(text, i)))
            })
            .collect()
    };
    for g in &goals {
        let _ = writeln!(s, "goal {} {} {{", g.id, lit(&g.heading));
        let _ = writeln!(s, "  source {}", lit(&g.heading));
        let in_tasks: Vec<String> = g
            .tasks
            .iter()
            .flat_map(|t| measures(&t.text))
            .map(|m| m.0)
            .collect();
        let mut seen = Vec::new();
        for p in &g.paras {
            for (id, q) in measures(p) {
                if !in_tasks.contains(&id) && !seen.contains(&id) {
                    let _ = writeln!(s, "  measured_by {id} source {}", lit(&q));
                    seen.push(id);
                }
            }
        }
        s.push_str("}\n");
        for t in &g.tasks {
            let _ = writeln!(s, "task {} {} {{", t.id, lit(&t.label));
            let _ = writeln!(s, "  source {}", lit(&t.label));
            let _ = writeln!(s, "  part_of {}", g.id);
            for (id, q) in measures(&t.text) {
                let _ = writeln!(s, "  measured_by {id} source {}", lit(&q));
            }
            s.push_str("}\n");
        }
        s.push('\n');
    }
    let mut linked = 0;
    for p in &projects {
        let mut names = vec![p.name.clone()];
        if let Some(short) = p.name.strip_suffix("项目") {
            if short.chars().count() >= 4 {
                names.push(short.to_string());
            }
        }
        if let (Some(a), Some(b)) = (p.name.find('（'), p.name.find('）')) {
            let inner = &p.name[a + '（'.len_utf8()..b];
            if inner.chars().count() >= 4 && !inner.ends_with('期') {
                names.push(inner.to_string());
            }
        }
        let mut edges: Vec<(String, String)> = Vec::new();
        for g in &goals {
            let mut in_task = false;
            for t in &g.tasks {
                if let Some((i, _)) = names
                    .iter()
                    .find_map(|n| t.text.find(n.as_str()).map(|i| (i, n)))
                {
                    edges.push((t.id.clone(), clause(&t.text, i)));
                    in_task = true;
                }
            }
            if !in_task {
                for para in &g.paras {
                    if let Some(i) = names.iter().find_map(|n| para.find(n.as_str())) {
                        edges.push((g.id.clone(), clause(para, i)));
                        break;
                    }
                }
            }
        }
        let _ = writeln!(s, "project {} {} {{", p.id, lit(&p.name));
        let _ = writeln!(s, "  source {}", lit(&p.quote));
        if let Some(st) = &p.state {
            let _ = writeln!(s, "  state {st}");
        }
        if let Some(y) = &p.year {
            let _ = writeln!(s, "  year {y}");
        }
        if let Some(inv) = &p.investment {
            let _ = writeln!(s, "  investment {inv}");
        }
        if !p.field.is_empty() {
            let _ = writeln!(s, "  note {}", lit(&format!("领域：{}", p.field)));
        }
        for n in names.iter().skip(1) {
            let _ = writeln!(s, "  alias {}", lit(n));
        }
        if edges.is_empty() && !p.field.is_empty() {
            let fb = bigrams(&p.field);
            let best = goals
                .iter()
                .map(|g| {
                    let gb = bigrams(&g.heading);
                    (fb.iter().filter(|b| gb.contains(b)).count(), g)
                })
                .filter(|(n, _)| *n > 0)
                .max_by_key(|(n, _)| *n);
            if let Some((_, g)) = best {
                let _ = writeln!(
                    s,
                    "  // 推断：重点任务中未点名，按所属领域“{}”连到该目标 (guess: by its field)",
                    p.field
                );
                let _ = writeln!(s, "  supports {}", g.id);
                linked += 1;
            }
        } else {
            linked += usize::from(!edges.is_empty());
            for (to, q) in &edges {
                let _ = writeln!(s, "  supports {to} source {}", lit(q));
            }
        }
        s.push_str("}\n");
    }
    if !projects.is_empty() {
        s.push('\n');
        notes.push(format!(
            "图谱：{linked}/{} 个项目连到目标或任务 (projects linked)",
            projects.len()
        ));
    }
    let mut tids: Vec<String> = taken.clone();
    for (k, g) in doc.glossary.iter().enumerate() {
        let Some(u) = doc.units.iter().find(|u| u.line == g.line) else {
            continue;
        };
        let Some(close) = u.text.find('”') else {
            continue;
        };
        let quote = &u.text[..close + '”'.len_utf8()];
        let id = unique(format!("名词_{}", k + 1), &mut tids);
        let _ = writeln!(
            s,
            "term {id} {} {{\n  source {}\n  expansion {}\n}}",
            lit(&format!("“{}”", g.term)),
            lit(quote),
            lit(&g.expansion)
        );
    }
    Drafted {
        text: Some(s),
        notes,
    }
}
