//! Throughput and peak memory of the rule pipeline on a national-scale rule
//! set: about 3,000 regions × 25 indicators with baselines, targets of every
//! form and three observations each, evaluated with the bundled methods.
//!
//! `cargo bench --bench pipeline` prints, in one run, the median time,
//! MB/s and peak heap of: parse only, parse + validate, and the full
//! pipeline (parse + validate + evaluate), and the ratio of full to parse.
//! `cargo bench --bench pipeline -- --regions N --runs K --write FILE`
//! changes the size, the repetitions, or writes the generated set to a file.

use std::fmt::Write as _;
use std::sync::atomic::Ordering;
use std::time::Instant;

mod util;
use util::{Counting, LIVE, PEAK};

#[global_allocator]
static ALLOC: Counting = Counting;

const CATEGORIES: [&str; 5] = ["经济发展", "创新驱动", "民生福祉", "绿色生态", "安全保障"];

/// Writes the national set: the plan, then every region's indicators.
/// Deterministic (a small LCG), so every run measures the same input.
fn generate(regions: usize) -> String {
    let mut s = String::with_capacity(regions * 25 * 420);
    s.push_str(
        "plan 全国十四五 \"全国各地区“十四五”规划主要指标\" {\n  period 2021..2025\n  baseline 2020\n  \
         categories 经济发展, 创新驱动, 民生福祉, 绿色生态, 安全保障\n  attributes 预期性, 约束性\n  default method 中期评估\n  \
         statuses {\n    超出预期 ahead\n    达到预期 on_track\n    完成市定目标 on_track\n    低于预期 behind\n    暂无数据 no_data\n  }\n}\n\n",
    );
    let mut seed: u64 = 0x2021_2025;
    let mut rnd = move |lo: f64, hi: f64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        lo + (hi - lo) * ((seed >> 11) as f64 / (1u64 << 53) as f64)
    };
    for r in 0..regions {
        let region = format!("地区{r:04}");
        for k in 0..25 {
            let id = format!("{region}_指标{k:02}");
            let cat = CATEGORIES[k % 5];
            let attr = if k % 4 == 0 { "约束性" } else { "预期性" };
            // One plan, one table: 序号 runs on across the regions.
            let _ = write!(s, "indicator {id} {{\n  seq {}\n  name \"{region}第{k}项指标\"\n  category {cat}\n  attribute {attr}\n", r * 25 + k + 1);
            match k % 8 {
                // Growth rate with an average-rate target.
                0 | 1 => {
                    let t = rnd(5.0, 8.0);
                    let _ = write!(
                        s,
                        "  unit \"%\"\n  kind rate\n  target rate {t:.1}\n  baseline 2020: {:.1}\n  observed 2021: {:.1}%, 2022: {:.1}%, 2023H1: {:.1}%\n",
                        rnd(2.0, 9.0),
                        rnd(2.0, 10.0),
                        rnd(2.0, 10.0),
                        rnd(2.0, 10.0)
                    );
                }
                // Income tied to the region's GDP.
                2 => {
                    let _ = write!(
                        s,
                        "  unit \"%\"\n  kind rate\n  target tied {region}_指标00\n  observed 2021: {:.1}%, 2022: {:.1}%, 2023H1: {:.1}%\n",
                        rnd(3.0, 9.0),
                        rnd(3.0, 9.0),
                        rnd(3.0, 9.0)
                    );
                }
                // Cumulative flow in 万人, observed in 人.
                3 => {
                    let _ = write!(
                        s,
                        "  unit \"万人\"\n  kind flow\n  target cumulative {:.1}\n  observed 2021: {:.0}人, 2022: {:.0}人, 2023H1: {:.0}人\n",
                        rnd(2.0, 5.0),
                        rnd(5000.0, 10000.0),
                        rnd(5000.0, 10000.0),
                        rnd(2000.0, 5000.0)
                    );
                }
                // A bound to hold.
                4 => {
                    let _ = write!(
                        s,
                        "  unit \"%\"\n  kind stock\n  target below 5.5\n  baseline 2020: {:.1}\n  observed 2021: {:.1}%, 2022: {:.1}%, 2023H1: {:.1}%\n",
                        rnd(3.0, 6.0),
                        rnd(3.0, 6.0),
                        rnd(3.0, 6.0),
                        rnd(3.0, 6.0)
                    );
                }
                // A city-set target with stated yearly verdicts.
                5 => {
                    let _ = write!(
                        s,
                        "  unit \"%\"\n  kind stock\n  target city\n  observed 2021: {:.1}%, 2022: {:.1}%\n  assessed 2021: 完成市定目标, 2022: 完成市定目标\n",
                        rnd(60.0, 95.0),
                        rnd(60.0, 95.0)
                    );
                }
                // A floor on a flow, with a half-year figure.
                6 => {
                    let _ = write!(
                        s,
                        "  unit \"万吨\"\n  kind flow\n  target floor 35\n  baseline 2020: {:.1}\n  observed 2021: {:.1}, 2022: {:.1}, 2023H1: {:.1}\n",
                        rnd(30.0, 40.0),
                        rnd(30.0, 40.0),
                        rnd(30.0, 40.0),
                        rnd(15.0, 22.0)
                    );
                }
                // A level to reach, with a 左右 tolerance and a stated figure.
                _ => {
                    let b = rnd(40.0, 60.0);
                    let _ = write!(
                        s,
                        "  unit \"%\"\n  kind stock\n  target reach {:.2} about 0.5\n  baseline 2020: {b:.2}\n  observed 2021: {:.2}%, 2022: {:.2}%, 2023H1: {:.2}%\n  stated 距目标 = {:.2} as of 2022\n",
                        b + rnd(5.0, 10.0),
                        b + rnd(0.0, 2.0),
                        b + rnd(1.0, 4.0),
                        b + rnd(2.0, 5.0),
                        rnd(2.0, 6.0)
                    );
                }
            }
            s.push_str("}\n");
        }
    }
    s
}

/// Gives every fact line its own `source` quote, as the bundled rules
/// have, and writes the corpus document the quotes come from (a statistics
/// bulletin with one sentence per fact, in another order than the rules).
fn cite(s: &str) -> (String, String) {
    let mut out = String::with_capacity(s.len() * 2);
    let mut sentences = Vec::new();
    let mut id = "";
    for line in s.lines() {
        out.push_str(line);
        let t = line.trim_start();
        if let Some(rest) = t.strip_prefix("indicator ") {
            id = rest.trim_end_matches(" {");
        }
        if let Some(kw) = [
            "target ",
            "baseline 2020:",
            "observed ",
            "assessed ",
            "stated ",
        ]
        .iter()
        .find(|k| t.starts_with(**k))
        {
            let sentence = format!(
                "据统计公报，{id}的{}一项，2021年、2022年、2023年上半年分别为上述数值。",
                kw.trim_end_matches([' ', ':'])
            );
            let _ = write!(out, " source \"{sentence}\"");
            sentences.push(sentence);
        }
        out.push('\n');
    }
    // Shuffled deterministically, so quotes are not found in file order.
    let n = sentences.len();
    let mut corpus = String::with_capacity(n * 100);
    for k in 0..n {
        corpus.push_str(&sentences[(k * 7919) % n]);
        corpus.push('\n');
    }
    (out, corpus)
}

/// The bundled methods (everything under rules/ but the plan, indicators and tests).
fn methods() -> Vec<(String, String)> {
    guihua::load::bundled_rules()
        .into_iter()
        .filter(|(n, _)| n.contains("mid_term") || n.contains("methods/"))
        .collect()
}

struct Stage {
    name: &'static str,
    median_s: f64,
    peak_bytes: usize,
}

fn measure(name: &'static str, runs: usize, mut f: impl FnMut()) -> Stage {
    let mut times = Vec::with_capacity(runs);
    let mut peak = 0;
    for _ in 0..runs {
        PEAK.store(LIVE.load(Ordering::Relaxed), Ordering::Relaxed);
        let base = LIVE.load(Ordering::Relaxed);
        let t = Instant::now();
        f();
        times.push(t.elapsed().as_secs_f64());
        peak = peak.max(PEAK.load(Ordering::Relaxed) - base);
    }
    times.sort_by(f64::total_cmp);
    Stage {
        name,
        median_s: times[times.len() / 2],
        peak_bytes: peak,
    }
}

fn main() {
    let opt = util::opt;
    let regions: usize = opt("--regions")
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000);
    let runs: usize = opt("--runs").and_then(|v| v.parse().ok()).unwrap_or(5);

    let (text, bulletin) = cite(&generate(regions));
    let corpus = guihua::corpus::Corpus::new(vec![guihua::corpus::Document::new(
        "统计公报.txt",
        bulletin,
    )]);
    if let Some(path) = opt("--write") {
        std::fs::write(&path, &text).expect("write generated rules");
        eprintln!("wrote {path}");
    }
    let methods = methods();
    let mb = (text.len() + methods.iter().map(|(_, t)| t.len()).sum::<usize>()) as f64 / 1e6;
    let files = || {
        let mut f = vec![("national.guihua".to_string(), text.clone())];
        f.extend(methods.iter().cloned());
        f
    };

    // Check once that the set is valid, every quote is found in the
    // corpus, and every indicator gets a verdict.
    let loaded = guihua::load::load_texts(files(), Some(&corpus));
    if loaded.has_errors() {
        panic!(
            "generated set does not load:\n{}",
            loaded.render_diagnostics()
        );
    }
    let model = loaded.model.expect("no errors, so a model");
    let n = model.indicators.len();
    let ev = guihua::eval::evaluate(&model, model.plan.default_method, model.latest_period());
    assert_eq!(ev.verdicts.len(), n);
    drop((ev, model));

    let parse = measure("parse only", runs, || {
        let mut sources = guihua::span::Sources::new();
        for (name, t) in files() {
            let id = sources.add(name, t);
            let f = guihua::dsl::parse_file(id, &sources.file(id).text).expect("parses");
            std::hint::black_box(f);
        }
    });
    let validate = measure("parse + validate", runs, || {
        let l = guihua::load::load_texts(files(), None);
        assert!(l.model.is_some());
        std::hint::black_box(l);
    });
    let quotes = measure("parse + validate + quotes", runs, || {
        let l = guihua::load::load_texts(files(), Some(&corpus));
        assert!(l.model.is_some());
        std::hint::black_box(l);
    });
    let full = measure("parse + validate + quotes + evaluate", runs, || {
        let l = guihua::load::load_texts(files(), Some(&corpus));
        let m = l.model.expect("loads");
        let ev = guihua::eval::evaluate(&m, m.plan.default_method, m.latest_period());
        std::hint::black_box(ev);
    });

    println!(
        "national rule set: {regions} regions, {n} indicators, {mb:.1} MB, corpus {:.1} MB, median of {runs} runs",
        corpus.docs[0].text.len() as f64 / 1e6
    );
    println!(
        "{:<30} {:>10} {:>10} {:>12}",
        "stage", "median s", "MB/s", "peak heap MB"
    );
    for s in [&parse, &validate, &quotes, &full] {
        println!(
            "{:<30} {:>10.3} {:>10.1} {:>12.1}",
            s.name,
            s.median_s,
            mb / s.median_s,
            s.peak_bytes as f64 / 1e6
        );
    }
    println!(
        "full / parse-only time ratio: {:.2}",
        full.median_s / parse.median_s
    );
}
