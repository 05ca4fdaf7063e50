//! Findings as text, grouped by indicator.

use super::Finding;

/// Findings as text, grouped by indicator.
pub fn render(findings: &[Finding]) -> String {
    use std::fmt::Write as _;
    if findings.is_empty() {
        return "未发现矛盾 (no findings)\n".to_string();
    }
    let mut out = format!(
        "发现{}处不一致 ({} findings)\n",
        findings.len(),
        findings.len()
    );
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
                .unwrap_or_else(|| "其他 (not an indicator)".to_string())
        );
        for f in findings.iter().filter(|f| f.indicator == g) {
            let kind = serde_json::to_value(f.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            let _ = writeln!(out, "  [{kind}] {}", f.message);
            let _ = writeln!(
                out,
                "    应为 expected {}  文中 found {}",
                f.expected, f.found
            );
            for q in &f.quotes {
                let _ = writeln!(out, "    {}:{}  “{}”", q.file, q.line, q.text);
            }
        }
    }
    out
}
