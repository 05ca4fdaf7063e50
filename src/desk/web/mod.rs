//! The pages of `guihua serve` beyond the table: 检索 (search), 检查
//! (check findings), 文档 (a document at a line), 图谱 (a goal's graph) and
//! 规则 (the rule editor). Each takes typed results from the library and
//! returns HTML; every string from the documents, rules or request is
//! escaped with [`esc`]. The only script is the rule editor's
//! ([`RULES_JS`]), served from the binary.

use super::esc;
use super::html::{finding_kind, url_segment, CSS};
use crate::check::Finding;
use crate::search::SearchResults;
use std::fmt::Write as _;

/// The rule editor's script: line numbers, live lint, saving.
pub const RULES_JS: &str = include_str!("rules.js");

mod graph;
pub use graph::{goal_graph, graph_page, measuring, GoalView};

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
                    h.kind.chinese()
                );
            }
        }
    }
    s.push_str("</body></html>\n");
    s
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
