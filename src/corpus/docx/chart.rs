//! A chart part's cached data, as the text export writes it.

use super::*;

/// A chart part's cached data: its title line, then per series its name and
/// its categories and values, tab-separated.
pub(super) fn chart_block(part: &str, xml: &str) -> Result<String, DocxError> {
    #[derive(Default)]
    struct Series {
        name: String,
        cats: Vec<(u32, String)>,
        vals: Vec<(u32, String)>,
    }
    #[derive(Clone, Copy, PartialEq)]
    enum Where {
        None,
        Tx,
        Cat,
        Val,
    }
    let mut r = NsReader::from_str(xml);
    // Element path: (namespace, local name).
    let mut path: Vec<(Ns, String)> = Vec::new();
    let mut title: Option<String> = None;
    let mut title_depth: Option<usize> = None;
    let mut series: Vec<Series> = Vec::new();
    let mut ser_depth: Option<usize> = None;
    let mut seen = (false, false, false); // tx, cat, val taken in this series
    let mut in_part: (Where, usize) = (Where::None, 0);
    let mut pt: Option<(u32, usize)> = None;
    let mut text = String::new();
    loop {
        match next(&mut r, part)? {
            Event::Start(e) => {
                let ns = ns(&r, &e);
                let local = e.local_name().as_ref().to_string();
                let depth = path.len();
                let parent = path.last().map(|(n, l)| (*n, l.as_str()));
                if ns == Ns::C
                    && local == "title"
                    && parent == Some((Ns::C, "chart"))
                    && title.is_none()
                    && title_depth.is_none()
                {
                    title_depth = Some(depth);
                }
                if ns == Ns::C && local == "ser" && ser_depth.is_none() {
                    ser_depth = Some(depth);
                    seen = (false, false, false);
                    series.push(Series::default());
                }
                if let (Some(sd), Ns::C) = (ser_depth, ns) {
                    if depth == sd + 1 && in_part.0 == Where::None {
                        let w = match local.as_str() {
                            "tx" if !seen.0 => {
                                seen.0 = true;
                                Where::Tx
                            }
                            "cat" if !seen.1 => {
                                seen.1 = true;
                                Where::Cat
                            }
                            "val" if !seen.2 => {
                                seen.2 = true;
                                Where::Val
                            }
                            _ => Where::None,
                        };
                        if w != Where::None {
                            in_part = (w, depth);
                        }
                    }
                    if local == "pt" && matches!(in_part.0, Where::Cat | Where::Val) {
                        let idx = attr(&e, "idx").and_then(|v| v.parse().ok()).unwrap_or(0);
                        pt = Some((idx, depth));
                    }
                }
                text.clear();
                path.push((ns, local));
            }
            Event::Text(t) => text.push_str(&t.xml10_content()),
            Event::GeneralRef(g) => {
                if let Ok(Some(c)) = g.resolve_char_ref() {
                    text.push(c);
                } else {
                    text.push_str(match g.as_ref() {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        "apos" => "'",
                        _ => "",
                    });
                }
            }
            Event::End(_) => {
                let Some((ens, local)) = path.pop() else {
                    continue;
                };
                let depth = path.len();
                if title_depth.is_some() && ens == Ns::A && local == "t" {
                    title.get_or_insert_with(String::new).push_str(&text);
                }
                if title_depth == Some(depth) {
                    title_depth = None;
                    title.get_or_insert_with(String::new);
                }
                if ens == Ns::C && local == "v" {
                    if let Some(s) = series.last_mut() {
                        match in_part.0 {
                            Where::Tx => s.name.push_str(&text),
                            Where::Cat | Where::Val => {
                                if let Some((idx, d)) = pt {
                                    if depth == d + 1 {
                                        let v = (idx, text.clone());
                                        if in_part.0 == Where::Cat {
                                            s.cats.push(v);
                                        } else {
                                            s.vals.push(v);
                                        }
                                    }
                                }
                            }
                            Where::None => {}
                        }
                    }
                }
                if pt.is_some_and(|(_, d)| d == depth) {
                    pt = None;
                }
                if in_part.0 != Where::None && in_part.1 == depth {
                    in_part = (Where::None, 0);
                }
                if ser_depth == Some(depth) {
                    ser_depth = None;
                }
                text.clear();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let mut out = String::new();
    if let Some(t) = title.filter(|t| !t.is_empty()) {
        out.push_str(&t);
        out.push('\n');
    }
    for mut s in series {
        s.cats.sort();
        s.vals.sort();
        out.push_str(&s.name);
        out.push_str("\t\n");
        for (_, c) in s.cats.iter().chain(&s.vals) {
            out.push_str(c);
            out.push('\t');
        }
    }
    Ok(out)
}
