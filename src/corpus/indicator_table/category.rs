//! Category rows: a row of the indicator table that is one merged cell
//! naming the category of the rows below it.

use super::{compact, word};

/// The category a row names when its cells are one merged cell (written
/// once, or repeated over the span) heading a group of rows:
/// `一、经济发展（5项）`, `（二）创新驱动类`, `经济发展类指标`. `None` for any
/// other row (an indicator, a note).
pub fn category_row(cells: &[String]) -> Option<String> {
    let mut distinct: Vec<String> = Vec::new();
    for c in cells.iter().map(|c| compact(c)).filter(|c| !c.is_empty()) {
        if !distinct.contains(&c) {
            distinct.push(c);
        }
    }
    let [text] = distinct.as_slice() else {
        return None;
    };
    let mut t = text.as_str();
    let mut numbered = false;
    // Its number: 一、 （一） (一) 1、 1. Ⅰ、
    if let Some(rest) = t.strip_prefix(['（', '(']) {
        if let Some(k) = rest.find(['）', ')']) {
            if rest[..k]
                .chars()
                .all(|c| "一二三四五六七八九十0123456789".contains(c))
                && k > 0
            {
                t = &rest[k + rest[k..].chars().next().map_or(0, char::len_utf8)..];
                numbered = true;
            }
        }
    } else {
        let digits: usize = t
            .chars()
            .take_while(|c| "一二三四五六七八九十0123456789ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ".contains(*c))
            .map(char::len_utf8)
            .sum();
        if digits > 0 {
            if let Some(rest) = t[digits..].strip_prefix(['、', '.', '．']) {
                t = rest;
                numbered = true;
            }
        }
    }
    // Its count: （5项） (5个) 5项
    let mut counted = false;
    if t.ends_with(['）', ')']) {
        if let Some(k) = t.rfind(['（', '(']) {
            let inner = t[k..]
                .trim_start_matches(['（', '('])
                .trim_end_matches(['）', ')']);
            if inner.ends_with(['项', '个'])
                && inner
                    .chars()
                    .any(|c| c.is_ascii_digit() || "一二三四五六七八九十".contains(c))
            {
                t = &t[..k];
                counted = true;
            }
        }
    }
    let classed = t.ends_with("类指标") || t.ends_with('类');
    let t = t.trim_end_matches("指标");
    let t = if t.chars().count() > 2 {
        t.trim_end_matches('类')
    } else {
        t
    };
    let n = t.chars().count();
    if !(numbered || counted || classed) || !(2..=12).contains(&n) {
        return None;
    }
    if t.chars()
        .any(|c| c.is_ascii_digit() || "，。：:；%".contains(c))
        || t.starts_with("注")
    {
        return None;
    }
    let w = word(t);
    (!w.is_empty()).then_some(w)
}

#[cfg(test)]
mod tests {
    use super::category_row;

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn merged_rows_naming_a_category_are_read_and_others_are_not() {
        for (cells, want) in [
            (row(&["一、经济发展（5项）"]), Some("经济发展")),
            (row(&["", "二、创新驱动（4项）"]), Some("创新驱动")),
            (
                row(&["（三）民生福祉", "（三）民生福祉", "（三）民生福祉"]),
                Some("民生福祉"),
            ),
            (row(&["绿色生态类指标", "", ""]), Some("绿色生态")),
            (row(&["五、安全保障(1项)"]), Some("安全保障")),
            (row(&["1", "地区生产总值增长", "%"]), None),
            (row(&["城镇就业"]), None),
            (row(&["注：2023年上半年粮食产量为夏粮产量。"]), None),
        ] {
            assert_eq!(category_row(&cells).as_deref(), want, "{cells:?}");
        }
    }
}
