//! Findings as text, grouped by indicator, in Chinese (the JSON keeps its
//! keys: `--format json` is for scripts).

use super::Finding;

/// A figure as the text shows it: a string without its JSON quotes.
fn shown(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => format!("“{s}”"),
        v => v.to_string(),
    }
}

/// Findings as text, grouped by indicator.
pub fn render(findings: &[Finding]) -> String {
    use std::fmt::Write as _;
    if findings.is_empty() {
        return "未发现不一致\n".to_string();
    }
    let mut out = format!("发现{}处不一致\n", findings.len());
    let mut groups: Vec<Option<String>> = Vec::new();
    for f in findings {
        if !groups.contains(&f.indicator) {
            groups.push(f.indicator.clone());
        }
    }
    for g in groups {
        let _ = writeln!(
            out,
            "\n== {}",
            g.clone()
                .unwrap_or_else(|| "其他（不属于某一指标）".to_string())
        );
        for f in findings.iter().filter(|f| f.indicator == g) {
            let _ = writeln!(out, "  [{}] {}", f.kind.chinese(), f.message);
            let _ = writeln!(
                out,
                "    应为 {}  文中为 {}",
                shown(&f.expected),
                shown(&f.found)
            );
            for q in &f.quotes {
                let _ = writeln!(out, "    {}:{}  “{}”", q.file, q.line, q.text);
            }
        }
    }
    out
}
