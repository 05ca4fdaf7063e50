//! Search: relevance on the public queries, the tokenizer pitfalls,
//! ingestion of the report, bad input, and persistent indexes.

use crate::util::{guihua, json, root};
use guihua::corpus::ingest::{self, UnitKind};
use guihua::corpus::Corpus;
use guihua::search::tokenizer::{char_tokens, Segmenter};

/// Runs `guihua index --corpus CORPUS --out OUT`.
fn index(corpus: &std::path::Path, out: &std::path::Path) -> crate::util::Run {
    guihua(&[
        "index",
        "--corpus",
        corpus.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ])
}

fn search_json(args: &[&str]) -> serde_json::Value {
    let mut a = vec!["search"];
    a.extend_from_slice(args);
    a.extend_from_slice(&["--format", "json"]);
    let r = guihua(&a);
    assert_eq!(r.code, 0, "{}", r.stderr);
    json(&r.stdout)
}

#[test]
fn public_queries_reach_recall_at_5_of_at_least_0_9() {
    let text =
        std::fs::read_to_string(root().join("tests/fixtures/search/search_public.jsonl")).unwrap();
    let (mut recall, mut mrr, mut n) = (0.0, 0.0, 0.0);
    let mut report = String::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let q = json(line);
        let relevant: Vec<&str> = q["relevant"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap())
            .collect();
        let r = search_json(&[q["query"].as_str().unwrap(), "--limit", "10"]);
        let hits = r["hits"].as_array().unwrap();
        let top5: Vec<&str> = hits
            .iter()
            .take(5)
            .map(|h| h["text"].as_str().unwrap())
            .collect();
        let found = relevant
            .iter()
            .filter(|s| top5.iter().any(|t| t.contains(*s)))
            .count();
        recall += found as f64 / relevant.len() as f64;
        if let Some(rank) = hits.iter().take(10).position(|h| {
            relevant
                .iter()
                .any(|s| h["text"].as_str().unwrap().contains(s))
        }) {
            mrr += 1.0 / (rank + 1) as f64;
        }
        n += 1.0;
        report += &format!("{} {}: {found}/{}\n", q["id"], q["query"], relevant.len());
    }
    let (recall, mrr) = (recall / n, mrr / n);
    assert!(
        recall >= 0.9,
        "recall@5 {recall:.3} (MRR {mrr:.3})\n{report}"
    );
    assert!(mrr >= 0.8, "MRR {mrr:.3}\n{report}");
}

#[test]
fn yueji_lands_on_the_paragraph_with_its_heading_and_item() {
    let r = search_json(&["月季", "--limit", "5"]);
    let hits = r["hits"].as_array().unwrap();
    let h = hits
        .iter()
        .find(|h| {
            h["text"]
                .as_str()
                .unwrap()
                .contains("深入实施月季、艾草特色产业倍增提质计划")
        })
        .expect("the 月季 task paragraph");
    let section: Vec<&str> = h["section"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert_eq!(section[0], "三、进一步推进《纲要》实施的重点任务举措");
    assert_eq!(section[1], "（四）聚焦和美乡村，建设优势特色农业高新区");
    assert!(section[2].starts_with("二是"), "{section:?}");
    assert!(h["snippet"].as_str().unwrap().contains("<b>月季</b>"));
    assert_eq!(h["line"], 242);
    assert!(h["doc"].as_str().unwrap().ends_with(".txt"));
    for key in ["paragraph_id", "score"] {
        assert!(h.get(key).is_some());
    }
    assert_eq!(r["query"], "月季");
    assert!(r["total"].as_u64().unwrap() >= 4);
}

#[test]
fn numbers_with_units_percentages_and_years_are_searchable() {
    for (q, needle) in [
        ("6.57万亩", "6.57万亩"),
        ("63.99", "63.99%"),
        ("63.99%", "63.99%"),
        ("6.57", "6.57万亩"),
        ("410亿元", "410亿元"),
        ("６．５７", "6.57"),
    ] {
        let r = search_json(&[q, "--limit", "3"]);
        let hits = r["hits"].as_array().unwrap();
        assert!(
            hits.iter()
                .any(|h| h["text"].as_str().unwrap().contains(needle)),
            "{q}: {r}"
        );
    }
    let r = search_json(&["2022年", "--limit", "3"]);
    assert!(r["total"].as_u64().unwrap() > 10);
}

#[test]
fn a_single_character_finds_its_character() {
    let r = search_json(&["园", "--limit", "5"]);
    let hits = r["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 5);
    assert!(hits
        .iter()
        .all(|h| h["text"].as_str().unwrap().contains('园')
            || h["row"]
                .as_array()
                .is_some_and(|c| c.iter().any(|c| c.as_str().unwrap().contains('园')))));
}

#[test]
fn names_stay_whole_with_the_user_dictionary() {
    let seg = Segmenter::new(["乐凯华光", "卧龙岗文化园", "中光学"]);
    for (text, name) in [
        ("以乐凯华光为核心", "乐凯华光"),
        ("卧龙岗文化园盛大开园", "卧龙岗文化园"),
        ("指导中光学集团引进", "中光学"),
    ] {
        let words: Vec<String> = seg.words(text).into_iter().map(|w| w.2).collect();
        assert!(words.contains(&name.to_string()), "{text}: {words:?}");
    }
}

#[test]
fn character_token_offsets_never_go_backwards() {
    let c = Corpus::bundled();
    let toks = char_tokens(&c.docs[0].text);
    assert!(
        toks.windows(2)
            .all(|w| w[0].1 <= w[1].1 && w[0].0 <= w[1].0),
        "offsets or positions go backwards"
    );
    let text = &c.docs[0].text;
    assert!(toks
        .iter()
        .all(|t| text.is_char_boundary(t.1) && text.is_char_boundary(t.2)));
}

#[test]
fn glossary_expansion_and_synonyms() {
    // 六宜 also finds paragraphs that name its parts.
    let r = search_json(&["六宜", "--limit", "20"]);
    let texts: Vec<&str> = r["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["text"].as_str().unwrap())
        .collect();
    assert!(texts.iter().any(|t| t.contains("六宜")));
    assert!(
        texts
            .iter()
            .any(|t| !t.contains("六宜") && (t.contains("宜居") || t.contains("宜业"))),
        "{texts:?}"
    );
    // The literal term ranks above its expansion.
    assert!(texts[0].contains("六宜"));
    // GDP ↔ 地区生产总值, from rules/search.guihua.
    let r = search_json(&["GDP增长率", "--limit", "3"]);
    assert!(r["hits"][0]["text"]
        .as_str()
        .unwrap()
        .contains("地区生产总值增长率"));
    // 养老 ↔ 敬老院.
    let r = search_json(&["养老", "--limit", "20"]);
    assert!(r["hits"]
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h["text"].as_str().unwrap().contains("敬老院")));
    // Planners' shorthand: the report only writes the long forms.
    for (short, long) in [
        ("固投", "固定资产投资"),
        ("R&D", "研发经费投入"),
        ("居民收入", "人均可支配收入"),
        ("规上", "规模以上"),
    ] {
        let r = search_json(&[short, "--limit", "5"]);
        let snippet = r["hits"][0]["snippet"].as_str().unwrap_or("");
        assert!(
            r["hits"][0]["text"].as_str().unwrap_or("").contains(long),
            "{short}: {r}"
        );
        assert!(snippet.contains("<b>"), "{short}: {snippet}");
    }
}

#[test]
fn a_hit_shows_the_item_where_the_query_words_meet() {
    // 增长 stands three times in 二是 before 外贸 appears in 三是: the
    // snippet and the breadcrumb go to 三是, where both words are.
    let r = search_json(&["外贸 增长", "--limit", "3"]);
    let h = &r["hits"][0];
    assert_eq!(h["line"], 70);
    let section = h["section"].as_array().unwrap();
    assert_eq!(
        section.last().unwrap().as_str().unwrap(),
        "三是外贸进出口逆势增长",
        "{section:?}"
    );
    let snippet = h["snippet"].as_str().unwrap();
    assert!(snippet.contains("<b>外贸进出口</b>"), "{snippet}");
    assert!(snippet.contains("<b>增长</b>"), "{snippet}");
    // The words must meet inside what is shown, not past its end.
    let r = search_json(&["黄山遗址公园 建设", "--limit", "1"]);
    let snippet = r["hits"][0]["snippet"].as_str().unwrap();
    assert!(snippet.contains("<b>黄山遗址公园</b>"), "{snippet}");
    assert!(snippet.contains("<b>建设</b>"), "{snippet}");
}

#[test]
fn or_not_phrase_and_section_filters() {
    let total = |q: &str| {
        search_json(&[q, "--limit", "50"])["total"]
            .as_u64()
            .unwrap()
    };
    let (a, b) = (total("月季"), total("艾草"));
    let either = total("月季 OR 艾草");
    assert!(either >= a.max(b) && either <= a + b);
    let without = search_json(&["月季 -艾草", "--limit", "50"]);
    assert!(without["hits"]
        .as_array()
        .unwrap()
        .iter()
        .all(|h| !h["text"].as_str().unwrap().contains("艾草")));
    let in_annex = search_json(&["section:附件3 月季", "--limit", "50"]);
    let hits = in_annex["hits"].as_array().unwrap();
    assert!(!hits.is_empty());
    assert!(hits
        .iter()
        .all(|h| h["section"][0].as_str().unwrap().starts_with("附件3")));
    // A phrase is exact (spaces inside ignored): 全区地区生产总值, or it with a
    // synonym of 地区生产总值 (rules/search.guihua).
    let phrase = search_json(&["\"全区 地区生产总值\"", "--limit", "5"]);
    let hits = phrase["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 2, "{phrase}");
    assert!(
        hits.iter()
            .all(|h| ["全区地区生产总值", "全区生产总值", "全区GDP"]
                .iter()
                .any(|p| h["text"].as_str().unwrap().contains(p))),
        "{phrase}"
    );
    // No document has 2022年 right before 地区生产总值.
    assert_eq!(search_json(&["\"2022年 地区生产总值\""])["total"], 0);
}

#[test]
fn letters_whose_lowercase_is_longer_do_not_break_synonyms() {
    // Ⱥ lowercases to a longer ⱥ: offsets found in a lowercased query
    // once sliced the original inside a character (found by a property test).
    let r = guihua(&["search", "ȺGDP城镇化率", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(json(&r.stdout)["query"], "ȺGDP城镇化率");
}

#[test]
fn malformed_queries_are_clear_errors() {
    for (q, msg) in [
        ("\"月季", "unclosed quote"),
        ("(月季 OR 艾草", "unclosed `(`"),
        ("月季)", "unmatched `)`"),
        ("-月季", "not only words to exclude"),
        ("   ", "empty query"),
        ("section:", "needs a heading word"),
    ] {
        let r = guihua(&["search", q]);
        assert_eq!(r.code, 2, "{q}: {}", r.stderr);
        assert!(r.stderr.contains(msg), "{q}: {}", r.stderr);
        assert!(!r.stderr.contains("panicked"));
    }
}

#[test]
fn the_outline_is_recovered_from_the_table_of_contents() {
    let c = Corpus::bundled();
    let ing = ingest::ingest(&c.docs[0]);
    // Every paragraph of chapter 三 has its focus-area heading.
    let ch3: Vec<_> = ing
        .units
        .iter()
        .filter(|u| u.section.first().is_some_and(|s| s.starts_with("三、")))
        .collect();
    let focus: Vec<_> = ch3.iter().filter(|u| u.section.len() >= 2).collect();
    assert_eq!(focus.len(), 10, "one paragraph per focus area");
    for (u, n) in focus.iter().zip([
        "（一）",
        "（二）",
        "（三）",
        "（四）",
        "（五）",
        "（六）",
        "（七）",
        "（八）",
        "（九）",
        "（十）",
    ]) {
        assert!(
            u.section[1].starts_with(n) && u.section[1].contains("聚焦"),
            "{:?}",
            u.section
        );
    }
    // Headings the body lacks are in the outline, found at their paragraph.
    for h in [
        "（三）聚焦国际品牌",
        "（六）聚焦创新中心",
        "附件1：",
        "附件3：",
    ] {
        let e = ing.outline.iter().find(|x| x.text.starts_with(h)).expect(h);
        assert!(e.line.is_some(), "{h} not placed");
    }
    // 附件1's rows: 19 indicators + 4 sub-indicators (two of them in a parent's row).
    let rows: Vec<_> = ing
        .units
        .iter()
        .filter(|u| u.kind == UnitKind::TableRow && u.section[0].starts_with("附件1"))
        .collect();
    assert_eq!(rows.len(), 21);
    assert!(rows
        .iter()
        .any(|r| r.text == "常住人口城镇化率（%）（年度指标）" && r.line == 280));
    // 表1–表4 captions.
    assert_eq!(
        ing.units
            .iter()
            .filter(|u| u.kind == UnitKind::TableCaption)
            .count(),
        4
    );
    // The glossary: 21 terms, 六宜 with its six words.
    assert_eq!(ing.glossary.len(), 21);
    let liuyi = ing.glossary.iter().find(|g| g.term == "六宜").unwrap();
    assert_eq!(
        liuyi.words,
        ["宜业", "宜居", "宜学", "宜游", "宜创", "宜养"]
    );
    // Chart data: four charts with the same series as 表1–表4.
    assert_eq!(ing.charts.len(), 4);
    assert_eq!(ing.charts[0].series[0].1[0], ("2016".to_string(), 11.11));
}

#[test]
fn table_of_contents_attachment_list_and_chart_data_are_not_hits() {
    // The 目录 (lines 31–48), the 附件 list (251–255) and the chart data (567–) are not units.
    let c = Corpus::bundled();
    let ing = ingest::ingest(&c.docs[0]);
    assert!(
        ing.units.iter().all(|u| !(29..=50).contains(&u.line)
            && !(251..=255).contains(&u.line)
            && u.line < 567),
        "{:?}",
        ing.units.iter().map(|u| u.line).collect::<Vec<_>>()
    );
    let r = search_json(&["部分规划指标未达时序进度的原因分析", "--limit", "10"]);
    for h in r["hits"].as_array().unwrap() {
        let l = h["line"].as_u64().unwrap();
        assert!(
            !(29..=50).contains(&l) && !(251..=255).contains(&l),
            "hit in TOC or attachment list: {h}"
        );
    }
    let r = search_json(&["11.23", "--limit", "10"]);
    assert!(r["hits"]
        .as_array()
        .unwrap()
        .iter()
        .all(|h| h["line"].as_u64().unwrap() < 567));
}

#[test]
fn bad_corpus_input_gets_clear_messages() {
    let d = tempfile::tempdir().unwrap();
    let r = guihua(&[
        "search",
        "月季",
        "--corpus",
        d.path().join("nope").to_str().unwrap(),
    ]);
    // Unreadable input: exit 2 (README: exit codes).
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("cannot read corpus folder"),
        "{}",
        r.stderr
    );
    let empty = d.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    std::fs::write(empty.join("a.txt"), "").unwrap();
    let r = guihua(&["search", "月季", "--corpus", empty.to_str().unwrap()]);
    assert!(r.stderr.contains("is empty"), "{}", r.stderr);
    let bad = d.path().join("bad");
    std::fs::create_dir(&bad).unwrap();
    std::fs::write(bad.join("a.txt"), b"\xe6\x9c\x88\xff\xfe").unwrap();
    let r = guihua(&["search", "月季", "--corpus", bad.to_str().unwrap()]);
    assert!(r.stderr.contains("is not UTF-8"), "{}", r.stderr);
    let none = d.path().join("none");
    std::fs::create_dir(&none).unwrap();
    let r = index(&none, &d.path().join("idx"));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("中没有 .txt、.md、.docx 或 .jsonl 文档"),
        "{}",
        r.stderr
    );
}

#[test]
fn persistent_index_is_used_replaced_atomically_and_checked() {
    let d = tempfile::tempdir().unwrap();
    let corpus = d.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    std::fs::copy(
        root()
            .join("corpus")
            .read_dir()
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path(),
        corpus.join("report.txt"),
    )
    .unwrap();
    std::fs::write(corpus.join("extra.jsonl"), "{\"id\": \"d1\", \"title\": \"某县规划\", \"section\": \"一、总体\", \"text\": \"月季产业继续壮大，种植面积达到8万亩。\"}\n").unwrap();
    let out = d.path().join("idx");
    let r = index(&corpus, &out);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("已索引 "), "{}", r.stdout);
    let v = search_json(&["月季", "--index", out.to_str().unwrap(), "--limit", "20"]);
    let hits = v["hits"].as_array().unwrap();
    assert!(hits
        .iter()
        .any(|h| h["doc"] == "extra.jsonl" && h["paragraph_id"] == "d1"));
    assert!(hits
        .iter()
        .any(|h| h["doc"] == "report.txt" && h["line"] == 242));

    // A build that fails half-way (a bad record) leaves the old index usable.
    std::fs::write(
        corpus.join("extra.jsonl"),
        "{\"id\": \"d1\", \"text\": \"ok\"}\nnot json\n",
    )
    .unwrap();
    let r = index(&corpus, &out);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("第 2 行不是文档记录"), "{}", r.stderr);
    let v = search_json(&["月季", "--index", out.to_str().unwrap()]);
    assert!(
        v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["paragraph_id"] == "d1"),
        "old index lost"
    );

    // A rebuild replaces it.
    std::fs::write(
        corpus.join("extra.jsonl"),
        "{\"id\": \"d2\", \"text\": \"艾草产业\"}\n",
    )
    .unwrap();
    assert_eq!(index(&corpus, &out).code, 0);
    let v = search_json(&[
        "艾草产业",
        "--index",
        out.to_str().unwrap(),
        "--limit",
        "30",
    ]);
    assert!(v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h["paragraph_id"] == "d2"));
    // Only the current generation is kept, inside the index folder.
    assert_eq!(
        std::fs::read_dir(out.join(".generations")).unwrap().count(),
        1
    );

    // A broken index is named, not half-read.
    let current = std::fs::read_to_string(out.join("CURRENT")).unwrap();
    let real = out.join(".generations").join(current.trim());
    std::fs::remove_file(real.join("guihua-index.json")).unwrap();
    let r = guihua(&["search", "月季", "--index", out.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("broken index directory") && r.stderr.contains("guihua-index.json"),
        "{}",
        r.stderr
    );
    let r = guihua(&[
        "search",
        "月季",
        "--index",
        d.path().join("missing").to_str().unwrap(),
    ]);
    assert!(r.stderr.contains("no index at"), "{}", r.stderr);
    // An existing folder that is not an index is not overwritten.
    let plain = d.path().join("plain");
    std::fs::create_dir(&plain).unwrap();
    std::fs::write(plain.join("notes.txt"), "规划处的笔记").unwrap();
    let r = index(&corpus, &plain);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("is not a guihua index"), "{}", r.stderr);
    assert_eq!(std::fs::read_dir(&plain).unwrap().count(), 1);
    assert_eq!(
        std::fs::read_to_string(plain.join("notes.txt")).unwrap(),
        "规划处的笔记"
    );
}

#[test]
fn an_unspaced_query_relaxes_to_its_sub_words_and_says_so() {
    // `GDP增速` is written nowhere; its sub-words (with 增速 = 增长) are.
    let v = search_json(&["GDP增速", "--limit", "3"]);
    assert_eq!(v["strict_total"], 0, "{v}");
    assert_ne!(v["match"], "all", "{v}");
    assert!(
        v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["text"].as_str().unwrap().contains("地区生产总值增长率")),
        "{v}"
    );
    // A quoted phrase and a +word stay strict.
    for q in ["\"GDP增速\"", "+GDP增速"] {
        let v = search_json(&[q]);
        assert_eq!(v["total"], 0, "{q}: {v}");
        assert_eq!(v["match"], "all", "{q}: {v}");
    }
    // Enough strict hits: nothing is relaxed.
    let v = search_json(&["月季", "--limit", "3"]);
    assert_eq!(v["match"], "all");
    assert_eq!(v["total"], v["strict_total"]);
}

/// Recall@5 and MRR (first relevant hit in the top 10) of a relevance set
/// (`tests/fixtures/relevance/*.jsonl`) on the documents of `corpus`, with
/// a line per query that missed something.
fn relevance(set: &str, corpus: &std::path::Path) -> (f64, f64, String) {
    let text = std::fs::read_to_string(root().join("tests/fixtures/relevance").join(set)).unwrap();
    let (mut recall, mut mrr, mut n) = (0.0, 0.0, 0.0);
    let mut report = String::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let q = json(line);
        let relevant: Vec<&str> = q["relevant"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap())
            .collect();
        let r = search_json(&[
            "--corpus",
            corpus.to_str().unwrap(),
            q["query"].as_str().unwrap(),
            "--limit",
            "10",
        ]);
        let texts: Vec<&str> = r["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["text"].as_str().unwrap())
            .collect();
        let found = relevant
            .iter()
            .filter(|s| texts.iter().take(5).any(|t| t.contains(*s)))
            .count();
        let rank = texts
            .iter()
            .position(|t| relevant.iter().any(|s| t.contains(s)));
        recall += found as f64 / relevant.len() as f64;
        mrr += rank.map_or(0.0, |k| 1.0 / (k + 1) as f64);
        n += 1.0;
        if found < relevant.len() || rank != Some(0) {
            report += &format!(
                "{} {} ({}): {found}/{} in the top 5, first at {rank:?}\n",
                q["id"],
                q["query"],
                q["kind"],
                relevant.len()
            );
        }
    }
    (recall / n, mrr / n, report)
}

/// Our own relevance sets, written as planners type (not the public
/// queries): unspaced phrases, paraphrases, headings, numbers with units,
/// slogans and indicator names, over the bundled report and another
/// district's. The floors are what the engine reaches, less a margin
/// (BENCHMARKS.md has the numbers and the peers on the same sets).
#[test]
fn own_relevance_sets_stay_above_their_floors() {
    let d = tempfile::tempdir().unwrap();
    let qinglan = d.path().join("qinglan");
    std::fs::create_dir(&qinglan).unwrap();
    std::fs::copy(
        root().join("tests/fixtures/qinglan/qinglan-midterm-2024.txt"),
        qinglan.join("qinglan-midterm-2024.txt"),
    )
    .unwrap();
    for (set, corpus, min_recall, min_mrr) in [
        ("wolong.jsonl", root().join("corpus"), 0.94, 0.92),
        ("qinglan.jsonl", qinglan, 0.99, 0.84),
    ] {
        let (recall, mrr, report) = relevance(set, &corpus);
        assert!(
            recall >= min_recall && mrr >= min_mrr,
            "{set}: recall@5 {recall:.3} (floor {min_recall}), MRR {mrr:.3} (floor {min_mrr})\n{report}"
        );
    }
}

#[test]
fn a_heading_found_only_in_the_table_of_contents_finds_its_section() {
    // The .txt of the qinglan report has 三（七） only in its 目录; the
    // body starts the section without it.
    let d = tempfile::tempdir().unwrap();
    std::fs::copy(
        root().join("tests/fixtures/qinglan/qinglan-midterm-2024.txt"),
        d.path().join("report.txt"),
    )
    .unwrap();
    let r = search_json(&[
        "--corpus",
        d.path().to_str().unwrap(),
        "围绕民生改善，打造幸福宜居品质城区",
        "--limit",
        "3",
    ]);
    assert_eq!(r["match"], "all", "{r}");
    let first = &r["hits"][0];
    assert!(
        first["text"]
            .as_str()
            .unwrap()
            .starts_with("把更多财力投向教育、医疗和住房"),
        "{r}"
    );
    assert_eq!(
        first["section"][1],
        "（七）围绕民生改善，打造幸福宜居品质城区"
    );
}

#[test]
fn an_indicator_name_finds_its_paragraph_before_its_table_row() {
    let top = |q: &str| {
        let r = search_json(&[q, "--limit", "3"]);
        r["hits"][0]["kind"].as_str().unwrap().to_string()
    };
    // Named alone, the indicator's paragraph comes first …
    assert_eq!(top("劳动年龄人口平均受教育年限"), "paragraph");
    assert_eq!(top("城镇调查失业率"), "paragraph");
    // … and a row still answers a query naming its figures.
    let r = search_json(&["城镇调查失业率 3.4", "--limit", "10"]);
    assert!(
        r["hits"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["kind"] == "table_row"),
        "{r}"
    );
}

#[test]
fn a_short_form_written_beside_its_long_form_finds_both() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join("report.txt"),
        "一、农业发展\n建设高标准农田示范区（高标示范区）3个。\n二、下一步\n新建高标准农田示范区2个，面积1.2万亩。\n三、其他\n高标示范区管护机制逐步健全。\n",
    )
    .unwrap();
    let corpus = d.path().to_str().unwrap();
    for q in ["高标示范区", "高标准农田示范区"] {
        let r = search_json(&["--corpus", corpus, q, "--limit", "5"]);
        let lines: Vec<u64> = r["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["line"].as_u64().unwrap())
            .collect();
        let mut sorted = lines.clone();
        sorted.sort();
        assert_eq!(sorted, [2, 4, 6], "{q}: {r}");
    }
    // Brackets that are not short forms teach nothing: 社区 is not 法治村.
    std::fs::write(
        d.path().join("report.txt"),
        "一、基层治理\n创建省级法治村（社区）27个。\n二、其他\n社区服务中心提质。\n",
    )
    .unwrap();
    let r = search_json(&["--corpus", corpus, "法治村", "--limit", "5"]);
    assert_eq!(r["strict_total"], 1, "{r}");
}

/// `guihua search` without `--index` keeps the index it builds in the cache
/// folder and opens it on the next call with the same rules, documents and
/// binary; a damaged entry is rebuilt, changed documents get their own.
#[test]
fn a_one_shot_search_keeps_its_index_for_the_next_call() {
    let cache = tempfile::tempdir().unwrap();
    let corpus = tempfile::tempdir().unwrap();
    let doc = corpus.path().join("report.txt");
    std::fs::write(&doc, "一、总体情况\n全区月季种植面积达到6.57万亩。\n").unwrap();
    let run = |cache_dir: &std::path::Path, q: &str| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_guihua"))
            .args(["search", "--corpus", corpus.path().to_str().unwrap(), q])
            .args(["--format", "json"])
            .env("GUIHUA_CACHE_DIR", cache_dir)
            .current_dir(std::env::temp_dir())
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        let mut v = json(&String::from_utf8(out.stdout).unwrap());
        // Scores are the same; compare what a reader sees.
        for h in v["hits"].as_array_mut().unwrap() {
            h["score"] = serde_json::Value::Null;
        }
        v
    };
    let entries = || -> Vec<std::path::PathBuf> {
        match std::fs::read_dir(cache.path().join("search")) {
            Ok(rd) => rd.flatten().map(|e| e.path()).collect(),
            Err(_) => vec![],
        }
    };
    let first = run(cache.path(), "月季");
    assert_eq!(first["total"], 1, "{first}");
    let made = entries();
    assert_eq!(made.len(), 1, "{made:?}");
    assert!(made[0].join("CURRENT").is_file());
    // The next call opens it and answers the same.
    assert_eq!(run(cache.path(), "月季"), first);
    // A damaged entry is an index to rebuild, not a wrong answer.
    let gens = made[0].join(".generations");
    for g in std::fs::read_dir(&gens).unwrap().flatten() {
        for f in std::fs::read_dir(g.path()).unwrap().flatten() {
            std::fs::write(f.path(), b"garbage").unwrap();
        }
    }
    assert_eq!(run(cache.path(), "月季"), first);
    // Changed documents: their own entry, their own answers.
    std::fs::write(&doc, "一、总体情况\n全区牡丹种植面积达到3万亩。\n").unwrap();
    assert_eq!(run(cache.path(), "月季")["total"], 0);
    assert_eq!(run(cache.path(), "牡丹")["total"], 1);
    assert_eq!(entries().len(), 2);
    // No cache: nothing written.
    let none = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_guihua"))
        .args([
            "search",
            "--corpus",
            corpus.path().to_str().unwrap(),
            "牡丹",
        ])
        .env("GUIHUA_CACHE_DIR", "off")
        .env("XDG_CACHE_HOME", none.path())
        .env("HOME", none.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(std::fs::read_dir(none.path()).unwrap().count(), 0);
}

/// A percentage is found with its sign, written half- or full-width, and
/// only where the sign is written: the same number without it (an amount,
/// a growth rate in another unit) is not a hit, and `NOT` excludes it.
#[test]
fn a_percentage_is_found_exactly_with_its_sign() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join("report.txt"),
        "一、经济\n服务业增加值占比达到12.5%，高于预期。\n二、投资\n新增投资12.5亿元。\n三、就业\n城镇登记失业率控制在12.5％以内。\n四、其他\n完成率12.5。\n",
    )
    .unwrap();
    let corpus = d.path().to_str().unwrap();
    let lines = |r: &serde_json::Value| -> Vec<u64> {
        let mut v: Vec<u64> = r["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["line"].as_u64().unwrap())
            .collect();
        v.sort();
        v
    };
    for q in ["12.5%", "12.5％"] {
        let r = search_json(&["--corpus", corpus, q, "--limit", "5"]);
        assert_eq!(lines(&r), [2, 6], "{q}: {r}");
        assert_eq!(r["strict_total"], 2, "{q}: {r}");
        assert_eq!(r["match"], "all", "{q}: {r}");
    }
    let r = search_json(&["--corpus", corpus, "12.5", "--limit", "5"]);
    assert_eq!(lines(&r), [2, 4, 6, 8], "{r}");
    let r = search_json(&["--corpus", corpus, "12.5 NOT 12.5%", "--limit", "5"]);
    assert_eq!(lines(&r), [4, 8], "{r}");
}

/// A report never seen: its indicator table names `每千人口拥有执业（助理）
/// 医师数` and `常住人口城镇化率`, its prose writes `执业医师数` and `城镇化率`.
/// Each form finds the other at the strict step; a name whose forms no
/// prose writes finds only its row.
#[test]
fn an_indicator_name_and_the_forms_the_prose_writes_find_each_other() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join("report.txt"),
        "一、民生事业\n\
         全区每千人拥有执业医师数达到2.9人，基层医疗服务能力持续提升。\n\
         二、城镇建设\n\
         城镇化率稳步提高，新型城镇化扎实推进。\n\
         附件1\n\
         表1  主要指标\n\
         \t序号\n\t指标\n\t2025年目标\n\n\
         \t1\n\t每千人口拥有执业（助理）医师数（人）\n\t3.2\n\n\
         \t2\n\t常住人口城镇化率（%）\n\t65\n\n\
         \t3\n\t每千人口注册护士数（人）\n\t3.5\n",
    )
    .unwrap();
    let corpus = d.path().to_str().unwrap();
    let strict = |q: &str| {
        let r = search_json(&["--corpus", corpus, q, "--limit", "5"]);
        let kinds: Vec<String> = r["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["kind"].as_str().unwrap().to_string())
            .collect();
        (r["strict_total"].as_u64().unwrap(), kinds, r)
    };
    for q in ["执业医师数", "每千人口拥有执业医师数"] {
        let (n, kinds, r) = strict(q);
        assert_eq!(n, 2, "{q}: {r}");
        assert!(kinds.contains(&"table_row".to_string()), "{q}: {r}");
    }
    let (n, _, r) = strict("常住人口城镇化率");
    assert_eq!(n, 2, "{r}");
    // 注册护士数 is no form the prose writes: only the row has it.
    let (n, _, r) = strict("每千人口注册护士数");
    assert_eq!(n, 1, "{r}");
}

/// The general synonym source finds `电商` for `电子商务` in a collection
/// with no rules; a pair the rules take out (`电子商务 != 电商`) is not added.
#[test]
fn the_general_synonym_source_adds_pairs_the_rules_can_take_out() {
    let unit = |line: usize, text: &str| guihua::search::IndexUnit {
        doc: "report.txt".into(),
        id: format!("report.txt#L{line}"),
        line,
        kind: guihua::search::Kind::Paragraph,
        section: vec!["一、商贸".into()],
        text: text.into(),
        cells: vec![],
        heads: vec![],
    };
    let units = || {
        vec![
            Ok(unit(1, "农村电商服务站点实现全覆盖。")),
            Ok(unit(2, "电子商务进农村综合示范县创建成功。")),
        ]
    };
    let build = |lexicon: guihua::search::Lexicon| {
        guihua::search::SearchIndex::build(units(), lexicon, None, 1, &mut |_| {}).unwrap()
    };
    let plain = build(Default::default());
    let r = plain.search("电子商务", 5).unwrap();
    assert_eq!(r.strict_total, 2, "{r:?}");
    // The word as typed first.
    assert_eq!(r.hits[0].line, 2, "{r:?}");
    let lexicon = guihua::search::Lexicon {
        removed: vec![("电商".into(), "电子商务".into())],
        ..Default::default()
    };
    let r = build(lexicon).search("电子商务", 5).unwrap();
    assert_eq!(r.strict_total, 1, "{r:?}");
}

/// `synonyms { a != b }` in the rules takes a pair out of the search.
#[test]
fn the_rules_take_a_pair_out_with_not_equal() {
    let mut files = guihua::load::bundled_rules();
    files.push((
        "s.guihua".into(),
        "synonyms {\n  电子商务 != 电商\n  增速 ≠ \"加速\"\n  城镇化 = 城市化\n}\n".into(),
    ));
    let loaded = guihua::load::load_texts(files, None);
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    let model = loaded.model.unwrap();
    let lexicon = guihua::search::Lexicon::new(Some(&model), &[]);
    assert!(lexicon
        .removed
        .contains(&("电子商务".to_string(), "电商".to_string())));
    assert!(lexicon
        .removed
        .contains(&("增速".to_string(), "加速".to_string())));
    assert!(lexicon.synonyms.iter().any(|g| g == &["城镇化", "城市化"]));
}
