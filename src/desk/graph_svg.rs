//! A layered drawing of a small directed graph as SVG, laid out here (no
//! Graphviz at run time): nodes in columns by layer, ordered within a
//! column by the mean position of their neighbours in the column before
//! (the barycentre heuristic, a few sweeps), edges as curves between
//! columns. Meant for the neighbourhood of one goal: a column holds at
//! most [`MAX_PER_LAYER`] nodes, the rest are counted in a last box.

use super::esc;
use std::fmt::Write as _;

/// Most nodes drawn in one column; the others are summed up in one box.
pub const MAX_PER_LAYER: usize = 40;
/// Most characters of a label drawn (the whole name is the node's tooltip).
const MAX_LABEL_CHARS: usize = 16;

const NODE_H: f64 = 26.0;
const GAP_Y: f64 = 10.0;
const GAP_X: f64 = 70.0;
const PAD: f64 = 16.0;
const HEADER_H: f64 = 26.0;
const FONT: f64 = 13.0;

/// A node to draw.
#[derive(Debug, Clone)]
pub struct LNode {
    /// The label shown (cut when long).
    pub label: String,
    /// The tooltip: the whole name and what it is.
    pub title: String,
    /// A CSS class for its colour (`goal`, `project`, `behind`, …).
    pub class: String,
    /// Its column, 0 first (left).
    pub layer: usize,
    /// Where it links to, if anywhere.
    pub href: Option<String>,
}

/// A graph to draw: nodes and edges `(from, to)` between node indexes.
#[derive(Debug, Clone, Default)]
pub struct Layered {
    /// Nodes.
    pub nodes: Vec<LNode>,
    /// Edges, drawn from `from` to `to` (any layers).
    pub edges: Vec<(usize, usize)>,
    /// A heading over each column, by layer.
    pub headers: Vec<String>,
}

/// Display width of a label in pixels (CJK characters are twice as wide).
fn text_width(s: &str) -> f64 {
    s.chars()
        .map(|c| if (c as u32) < 0x2E80 { 0.55 } else { 1.0 })
        .sum::<f64>()
        * FONT
}

fn cut_label(s: &str) -> String {
    let n = s.chars().count();
    if n <= MAX_LABEL_CHARS {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(MAX_LABEL_CHARS - 1).collect();
        out.push('…');
        out
    }
}

/// Lays out and draws the graph.
pub fn svg(g: &Layered) -> String {
    let layers = g.nodes.iter().map(|n| n.layer + 1).max().unwrap_or(0);
    // Column members, in input order first.
    let mut cols: Vec<Vec<usize>> = vec![Vec::new(); layers];
    for (i, n) in g.nodes.iter().enumerate() {
        cols[n.layer].push(i);
    }
    // Neighbours of each node, both ways.
    let mut nb: Vec<Vec<usize>> = vec![Vec::new(); g.nodes.len()];
    for &(a, b) in &g.edges {
        if a < g.nodes.len() && b < g.nodes.len() && a != b {
            nb[a].push(b);
            nb[b].push(a);
        }
    }
    // Barycentre sweeps, left to right then right to left.
    let mut pos: Vec<f64> = vec![0.0; g.nodes.len()];
    let place = |cols: &Vec<Vec<usize>>, pos: &mut Vec<f64>| {
        for c in cols {
            for (k, &i) in c.iter().enumerate() {
                pos[i] = k as f64;
            }
        }
    };
    place(&cols, &mut pos);
    for sweep in 0..4 {
        let order: Vec<usize> = if sweep % 2 == 0 {
            (1..layers).collect()
        } else {
            (0..layers.saturating_sub(1)).rev().collect()
        };
        for l in order {
            let from = if sweep % 2 == 0 { l - 1 } else { l + 1 };
            let key = |i: usize| {
                let ps: Vec<f64> = nb[i]
                    .iter()
                    .filter(|&&j| g.nodes[j].layer == from)
                    .map(|&j| pos[j])
                    .collect();
                if ps.is_empty() {
                    pos[i]
                } else {
                    ps.iter().sum::<f64>() / ps.len() as f64
                }
            };
            let mut keyed: Vec<(f64, usize)> = cols[l].iter().map(|&i| (key(i), i)).collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            cols[l] = keyed.into_iter().map(|(_, i)| i).collect();
            for (k, &i) in cols[l].iter().enumerate() {
                pos[i] = k as f64;
            }
        }
    }
    // Columns cut to their first nodes; the rest summed up.
    let hidden: Vec<usize> = cols
        .iter()
        .map(|c| c.len().saturating_sub(MAX_PER_LAYER))
        .collect();
    for c in &mut cols {
        c.truncate(MAX_PER_LAYER);
    }
    let widths: Vec<f64> = cols
        .iter()
        .enumerate()
        .map(|(l, c)| {
            let w = c
                .iter()
                .map(|&i| text_width(&cut_label(&g.nodes[i].label)))
                .fold(0.0, f64::max);
            let head = g.headers.get(l).map_or(0.0, |h| text_width(h));
            w.max(head).max(60.0) + 20.0
        })
        .collect();
    let rows = cols
        .iter()
        .zip(&hidden)
        .map(|(c, h)| c.len() + usize::from(*h > 0))
        .max()
        .unwrap_or(0);
    let height = PAD * 2.0 + HEADER_H + rows as f64 * (NODE_H + GAP_Y);
    let mut x = PAD;
    let mut xs = Vec::new();
    for w in &widths {
        xs.push(x);
        x += w + GAP_X;
    }
    let width = (x - GAP_X + PAD).max(200.0);
    // Each column centred vertically.
    let mut at: Vec<Option<(f64, f64)>> = vec![None; g.nodes.len()];
    for (l, c) in cols.iter().enumerate() {
        let n = c.len() + usize::from(hidden[l] > 0);
        let top = PAD + HEADER_H + ((rows - n) as f64 * (NODE_H + GAP_Y)) / 2.0;
        for (k, &i) in c.iter().enumerate() {
            at[i] = Some((xs[l], top + k as f64 * (NODE_H + GAP_Y)));
        }
    }
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"graph\" width=\"{width:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {width:.0} {height:.0}\" font-family=\"'Noto Sans CJK SC','Noto Sans SC','Source Han Sans SC','Microsoft YaHei','PingFang SC',sans-serif\" font-size=\"{FONT}\">"
    );
    for (l, h) in g.headers.iter().enumerate().take(layers) {
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-weight=\"600\" fill=\"#57606a\">{}</text>",
            xs[l],
            PAD + 14.0,
            esc(h)
        );
    }
    // Edges under the nodes.
    for &(a, b) in &g.edges {
        let (Some(Some((ax, ay))), Some(Some((bx, by)))) = (at.get(a), at.get(b)) else {
            continue;
        };
        let (la, lb) = (g.nodes[a].layer, g.nodes[b].layer);
        if la == lb {
            continue;
        }
        // From the right side of the left node to the left side of the right one.
        let ((x1, y1, w1), (x2, y2)) = if la < lb {
            ((*ax, *ay, widths[la]), (*bx, *by))
        } else {
            ((*bx, *by, widths[lb]), (*ax, *ay))
        };
        let (sx, sy) = (x1 + w1, y1 + NODE_H / 2.0);
        let (ex, ey) = (x2, y2 + NODE_H / 2.0);
        let mx = (sx + ex) / 2.0;
        let _ = write!(
            s,
            "<path class=\"edge\" d=\"M{sx:.1},{sy:.1} C{mx:.1},{sy:.1} {mx:.1},{ey:.1} {ex:.1},{ey:.1}\" fill=\"none\" stroke=\"#8c959f\" stroke-width=\"1\"/>"
        );
    }
    for (i, n) in g.nodes.iter().enumerate() {
        let Some((nx, ny)) = at[i] else { continue };
        let w = widths[n.layer];
        let body = format!(
            "<g class=\"node {}\"><title>{}</title><rect x=\"{nx:.1}\" y=\"{ny:.1}\" width=\"{w:.1}\" height=\"{NODE_H}\" rx=\"5\"/><text x=\"{:.1}\" y=\"{:.1}\">{}</text></g>",
            esc(&n.class),
            esc(&n.title),
            nx + 10.0,
            ny + NODE_H / 2.0 + FONT * 0.36,
            esc(&cut_label(&n.label))
        );
        match &n.href {
            Some(h) => {
                let _ = write!(s, "<a href=\"{}\">{body}</a>", esc(h));
            }
            None => s.push_str(&body),
        }
    }
    for (l, h) in hidden.iter().enumerate() {
        if *h == 0 {
            continue;
        }
        let n = cols[l].len();
        let top = PAD + HEADER_H + ((rows - n - 1) as f64 * (NODE_H + GAP_Y)) / 2.0;
        let y = top + n as f64 * (NODE_H + GAP_Y);
        let _ = write!(
            s,
            "<g class=\"node more\"><rect x=\"{:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{NODE_H}\" rx=\"5\" fill=\"#f6f8fa\" stroke=\"#d0d7de\" stroke-dasharray=\"4 3\"/><text x=\"{:.1}\" y=\"{:.1}\" fill=\"#57606a\">…另有 {h} 项</text></g>",
            xs[l],
            widths[l],
            xs[l] + 10.0,
            y + NODE_H / 2.0 + FONT * 0.36
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(label: &str, layer: usize) -> LNode {
        LNode {
            label: label.into(),
            title: label.into(),
            class: "goal".into(),
            layer,
            href: None,
        }
    }

    #[test]
    fn columns_by_layer_and_crossings_undone() {
        // a → d and b → c: the barycentre puts d before c in column 1.
        let g = Layered {
            nodes: vec![node("a", 0), node("b", 0), node("c", 1), node("d", 1)],
            edges: vec![(0, 3), (1, 2)],
            headers: vec!["左".into(), "右".into()],
        };
        let s = svg(&g);
        let y = |label: &str| {
            let at = s.find(&format!(">{label}</text>")).unwrap();
            let rect = s[..at].rfind("<rect").unwrap();
            let y = &s[rect..].split("y=\"").nth(1).unwrap();
            y.split('"').next().unwrap().parse::<f64>().unwrap()
        };
        assert!(y("d") < y("c"), "{s}");
        assert_eq!(s.matches("class=\"edge\"").count(), 2);
    }

    #[test]
    fn long_columns_are_cut_and_counted_and_labels_escaped() {
        let mut nodes = vec![node("<目标>", 0)];
        for k in 0..(MAX_PER_LAYER + 5) {
            nodes.push(node(&format!("项目{k}"), 1));
        }
        let edges = (1..nodes.len()).map(|k| (k, 0)).collect();
        let s = svg(&Layered {
            nodes,
            edges,
            headers: vec![],
        });
        assert!(s.contains("…另有 5 项"));
        assert!(s.contains("&lt;目标&gt;") && !s.contains("<目标>"));
        assert_eq!(s.matches("class=\"edge\"").count(), MAX_PER_LAYER);
    }
}
