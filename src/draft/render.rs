//! Writing the drafted rule files: plan, method, indicators, tests.

use super::*;

pub(super) struct Meta<'a> {
    pub(super) file: &'a str,
    pub(super) name: &'a str,
    pub(super) title: Option<&'a str>,
    pub(super) header: &'a table::Header,
    pub(super) caption: &'a str,
    pub(super) as_of: Period,
    pub(super) convention: Convention,
    pub(super) convention_why: &'a str,
    pub(super) vocab: &'a Vocabulary,
}

pub(super) fn render_plan(m: &Meta, inds: &[Ind]) -> String {
    let mut s = String::new();
    let short = m.title.and_then(plan_short).unwrap_or_default();
    let mut taken = Vec::new();
    let id = make_id(&format!("{}{}", m.name, short), &mut taken);
    let _ =
        writeln!(
        s,
        "// {}：规划期、类别、属性与状态用语。\n// 由 `guihua new` 自 {} 的指标表（{}）起草。\n",
        m.title.unwrap_or(m.name),
        m.file,
        if m.caption.is_empty() { "无标题" } else { m.caption }
    );
    let _ = writeln!(
        s,
        "plan {id}{} {{",
        m.title.map(|t| format!(" {}", lit(t))).unwrap_or_default()
    );
    let end_label = m
        .header
        .label(&Col::Target(m.header.end))
        .unwrap_or_default();
    let base_label = m.header.label(&Col::Baseline(m.header.base));
    let _ = writeln!(
        s,
        "  period {}..{}      // 表头“{end_label}”",
        m.header.start, m.header.end
    );
    let _ = writeln!(
        s,
        "  baseline {}{}",
        m.header.base,
        match base_label {
            Some(l) => format!("          // 表头“{l}”"),
            None =>
                "          // 推断：表头没有基期列，取规划首年的前一年 (guess: no baseline column)"
                    .to_string(),
        }
    );
    let mut cats: Vec<String> = Vec::new();
    let mut attrs: Vec<String> = Vec::new();
    for i in inds.iter().filter(|i| i.parent.is_none()) {
        if !cats.contains(&i.category) {
            cats.push(i.category.clone());
        }
    }
    for i in inds {
        if !i.attribute.is_empty() && !attrs.contains(&i.attribute) {
            attrs.push(i.attribute.clone());
        }
    }
    let _ = writeln!(
        s,
        "  categories {}{}",
        cats.join(", "),
        if cats.iter().any(|c| c == UNSORTED) {
            "   // 推断：表中没有“类别”列 (guess: no category column)"
        } else {
            ""
        }
    );
    let _ = writeln!(
        s,
        "  attributes {}{}",
        attrs.join(", "),
        if attrs.iter().any(|a| a == UNSTATED) {
            "   // 推断：表中没有“属性”列 (guess: no attribute column)"
        } else {
            ""
        }
    );
    let _ = writeln!(s, "  default method 中期评估\n");
    let status_label = m.header.label(&Col::Status).unwrap_or_default();
    let _ = writeln!(
        s,
        "  // “{status_label}”栏的用语。类别（ahead/on_track/behind/no_data）决定汇总时如何计数。"
    );
    s.push_str("  statuses {\n");
    for (w, class, seen) in &m.vocab.words {
        let (cw, gloss) = match class {
            StatusClass::Ahead => ("ahead", "ahead of schedule"),
            StatusClass::OnTrack if w.contains('市') => ("on_track", "met the city-set target"),
            StatusClass::OnTrack => ("on_track", "on schedule"),
            StatusClass::Behind => ("behind", "behind schedule"),
            StatusClass::NoData => ("no_data", "no data"),
        };
        let _ = writeln!(
            s,
            "    {w} {cw} {}{}",
            lit(gloss),
            if *seen {
                ""
            } else {
                "   // 推断：表中未出现，按同类报告的用语补充 (guess: not in the table)"
            }
        );
    }
    s.push_str("  }\n}\n");
    s
}

pub(super) fn render_method(m: &Meta) -> String {
    let v = m.vocab;
    let (a, o, b, n) = (
        v.main(StatusClass::Ahead),
        v.main(StatusClass::OnTrack),
        v.main(StatusClass::Behind),
        v.main(StatusClass::NoData),
    );
    let end = m.header.end;
    let f = m.convention.function();
    let mut s = String::new();
    let h = m.as_of;
    let periods = m.header.periods();
    let last_full = periods
        .iter()
        .filter(|p| p.is_full_year())
        .max()
        .copied()
        .unwrap_or(Period::year(end));
    let tp = |p: Period| (p.end_time(m.header.base) / (end - m.header.base) as f64 * 100.0).round();
    let _ = writeln!(
        s,
        "// 中期评估方法：各指标对照时序进度判断完成情况。由 `guihua new` 起草。\n//\n// 方法选项 (options of the method):\n// - 评估时点：{}（表头最后一个数据列“{}”），时序进度 {:.0}%；\n//   每个指标按其最新数据所在时点的时序进度评价（只有{}年数据的为 {:.0}%）。\n// - 年均增速：{}。\n//   函数 `{f}()`；另可选 avg_rate / mean_rate / avg_rate_with_half / mean_rate_with_half。\n// - 流量指标（半年值只是半年的量）不以半年值对照年度目标。\n// - 父指标取子指标中最弱的结论（{b} < {o} < {a}）。\n",
        h,
        h.chinese(),
        tp(h),
        last_full.year,
        tp(last_full),
        m.convention_why,
    );
    let _ = writeln!(s, "method 中期评估 \"规划中期评估：对照时序进度\" {{\n");
    // The same convention for what the method averages without naming a
    // function (`peer_average()` of a `matches` target).
    let _ = writeln!(
        s,
        "  options {{\n    average {}\n    half_year {}\n  }}\n",
        if m.convention.geometric {
            "geometric"
        } else {
            "arithmetic"
        },
        if m.convention.half {
            "included"
        } else {
            "excluded"
        }
    );
    let _ = writeln!(
        s,
        r#"  // 水平目标：已达目标为{a}；不低于基期到目标直线路径上的应达水平为{o}。
  rule 水平目标 for reach {{
    figures {{
      时序进度 = elapsed_data() * 100
      应达水平 = path()
      距目标 = gap()
      完成比例 = share_done()
    }}
    when not has_data() => {n} "暂无监测数据"
    when latest() >= target() => {a} "{{latest_period()}}已达{{latest()}}，提前实现{end}年目标{{target()}}"
    when latest() >= 应达水平 - tolerance() => {o} "{{latest_period()}}为{{latest()}}，不低于时序进度（{{时序进度:.0}}%）应达水平{{应达水平:.2}}"
    otherwise => {b} "{{latest_period()}}为{{latest()}}，低于时序进度（{{时序进度:.0}}%）应达水平{{应达水平:.2}}，距目标还差{{距目标:.2}}"
  }}

  // 年均增速目标（增速、年均增长X、X左右、与经济增长同步）：已过时期的平均增速须达到目标。
  rule 年均增速目标 for rate, tied {{
    figures {{
      年均增长 = {f}()
      需年均增长 = required_rate()
      剩余年数 = years_left()
    }}
    when not has_data() => {n} "暂无监测数据"
    when not known(年均增长) => {n} "尚无可计算年均增长的数据"
    when 年均增长 >= target() - tolerance() => {o} "年均增长{{年均增长:.2}}%，达到年均{{target()}}%的目标"
    otherwise => {b} "年均增长{{年均增长:.2}}%，低于年均{{target()}}%的目标；后{{剩余年数}}年需年均增长{{需年均增长:.2}}%"
  }}

  // 五年累计目标（[X]）：累计值须跟上时序进度；计入尚无整年值的半年流量。
  rule 累计目标 for cumulative {{
    figures {{
      累计完成 = cum_sum()
      完成比例 = share_done()
      时序进度 = elapsed_data() * 100
    }}
    when not has_data() => {n} "暂无监测数据"
    when 累计完成 >= target() => {a} "累计{{累计完成:.4}}，已完成五年目标{{target()}}"
    when 完成比例 >= 时序进度 => {o} "累计{{累计完成:.4}}，完成五年目标的{{完成比例:.1}}%，不低于时序进度{{时序进度:.0}}%"
    otherwise => {b} "累计{{累计完成:.4}}，完成五年目标的{{完成比例:.1}}%，低于时序进度{{时序进度:.0}}%"
  }}

  // 累计下降目标（累计下降[X]，越低越好）：自基期的降幅须跟上时序进度。
  rule 累计下降目标 for decline {{
    figures {{
      时序进度 = elapsed_data() * 100
      累计下降 = decline()
      应降幅度 = target() * elapsed_data()
      完成比例 = share_done()
    }}
    when not has_data() => {n} "暂无监测数据"
    when 累计下降 >= target() => {a} "累计下降{{累计下降:.2}}%，已完成五年累计下降{{target()}}%的目标"
    when 累计下降 >= 应降幅度 => {o} "累计下降{{累计下降:.2}}%，完成目标的{{完成比例:.1}}%，不低于时序进度{{时序进度:.0}}%"
    otherwise => {b} "累计下降{{累计下降:.2}}%，低于时序进度应降的{{应降幅度:.2}}%"
  }}

  // 上下限（＜X、＞X、≥X、≤X）：最近可比的数值须守住；流量看最近整年。
  rule 上限 for below {{
    figures {{ 可比值 = if(is_flow(), latest_annual(), latest()) }}
    when not has_data() => {n} "暂无监测数据"
    when 可比值 < target() => {o} "最近为{{可比值}}，低于{{target()}}的控制目标"
    otherwise => {b} "最近为{{可比值}}，未低于{{target()}}的控制目标"
  }}

  rule 封顶 for ceiling {{
    figures {{ 可比值 = if(is_flow(), latest_annual(), latest()) }}
    when not has_data() => {n} "暂无监测数据"
    when 可比值 <= target() => {o} "最近为{{可比值}}，未超过{{target()}}"
    otherwise => {b} "最近为{{可比值}}，超过{{target()}}的上限"
  }}

  rule 下限 for above {{
    figures {{ 可比值 = if(is_flow(), latest_annual(), latest()) }}
    when not has_data() => {n} "暂无监测数据"
    when 可比值 > target() => {o} "最近为{{可比值}}，高于{{target()}}的目标"
    otherwise => {b} "最近为{{可比值}}，未高于{{target()}}的目标"
  }}

  rule 保底 for floor {{
    figures {{ 可比值 = if(is_flow(), latest_annual(), latest()) }}
    when not has_data() => {n} "暂无监测数据"
    when 可比值 >= target() => {o} "最近为{{可比值}}，保持在{{target()}}以上"
    otherwise => {b} "最近为{{可比值}}，低于{{target()}}的保底目标"
  }}

  // 年均增速的上下限（年均8以上、＞7、年均3以下）：按年均增速判断，而非最近一期；“以上”含本数。
  rule 年均增速下限 for avg_above {{
    figures {{ 年均增长 = {f}() }}
    when not has_data() => {n} "暂无监测数据"
    when not known(年均增长) => {n} "尚无可计算年均增长的数据"
    when 年均增长 >= target() => {o} "年均增长{{年均增长:.2}}%，不低于{{target()}}%"
    otherwise => {b} "年均增长{{年均增长:.2}}%，低于{{target()}}%"
  }}

  rule 年均增速上限 for avg_below {{
    figures {{ 年均增长 = {f}() }}
    when not has_data() => {n} "暂无监测数据"
    when not known(年均增长) => {n} "尚无可计算年均增长的数据"
    when 年均增长 <= target() => {o} "年均增长{{年均增长:.2}}%，不高于{{target()}}%"
    otherwise => {b} "年均增长{{年均增长:.2}}%，高于{{target()}}%"
  }}

  // 与另一指标同步（所跟随的指标没有年均增速目标时）：比较二者实际年均增速。
  rule 与对标同步 for matches {{
    figures {{
      年均增长 = {f}()
      对标年均增长 = peer_average()
    }}
    when not has_data() => {n} "暂无监测数据"
    when not known(年均增长) or not known(对标年均增长) => {n} "尚无可比的整年增速"
    when 年均增长 >= 对标年均增长 - tolerance() => {o} "年均增长{{年均增长:.2}}%，与对标指标（{{对标年均增长:.2}}%）同步"
    otherwise => {b} "年均增长{{年均增长:.2}}%，慢于对标指标（{{对标年均增长:.2}}%）"
  }}

  // 年均增量（五年年均增长X，非增速指标）。
  rule 年均增量 for increase {{
    figures {{ 年均增加 = avg_increase() }}
    when not has_data() => {n} "暂无监测数据"
    when not known(年均增加) => {n} "数据不足，无法计算年均增量"
    when 年均增加 >= target() - tolerance() => {o} "年均增加{{年均增加:.2}}，达到年均增加{{target()}}的目标"
    otherwise => {b} "年均增加{{年均增加:.2}}，低于年均增加{{target()}}的目标"
  }}
"#
    );
    // City-set and qualitative targets: the verdict the prose states.
    s.push_str("  // 按市下达目标、定性目标（持续改善、保持稳定）：取报告正文的评定（assessed），\n  // 这是唯一写出而非算出的结论。\n");
    s.push_str("  rule 报告评定 for city, qualitative {\n");
    // The stated verdict first: an assessed indicator may have no figures.
    for (w, class, _) in &v.words {
        if *class != StatusClass::NoData {
            let _ = writeln!(
                s,
                "    when latest_assessment() == {w} => {w} \"报告评定为{w}\""
            );
        }
    }
    let _ = writeln!(s, "    when not has_data() => {n} \"暂无监测数据\"");
    let _ = writeln!(
        s,
        "    otherwise => {n} \"有监测数据，但报告没有给出评定\"\n  }}\n"
    );
    s.push_str("  // 未能识别的目标：需人工改写为上面的某种形式。\n");
    let _ = writeln!(
        s,
        "  rule 未识别目标 for unread {{\n    otherwise => {n} \"目标未能识别，需人工补写\"\n  }}\n"
    );
    // Parents: the weakest of their sub-indicators.
    s.push_str("  // 父指标：取子指标中最弱的结论；子指标结论相同时取该结论。\n");
    s.push_str("  rule 综合子指标 for parent {\n");
    for (w, class, _) in &v.words {
        if *class == StatusClass::Behind {
            let _ = writeln!(s, "    when children_any({w}) => {w} \"有子指标{w}\"");
        }
    }
    for (w, class, _) in &v.words {
        if *class != StatusClass::Behind {
            let _ = writeln!(s, "    when children_all({w}) => {w} \"各子指标均为{w}\"");
        }
    }
    let _ = writeln!(s, "    otherwise => {o} \"各子指标均达到或超出预期\"\n  }}");
    s.push_str("}\n");
    s
}

pub(super) fn render_indicators(m: &Meta, inds: &[Ind]) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "// {}：{} 个指标。由 `guihua new` 自 {} 起草。\n// 每个数值引用其所在的表格行（逐格引用，格间空白与文档中的换行、制表符相匹配）。\n// 以“推断”开头的注释是起草时的判断，请核对。\n",
        if m.caption.is_empty() { "指标表" } else { m.caption },
        inds.iter().filter(|i| i.parent.is_none()).count(),
        m.file
    );
    for k in 0..inds.len() {
        if inds[k].parent.is_none() {
            render_ind(&mut s, m, inds, k, "");
            s.push('\n');
        }
    }
    s
}

pub(super) fn render_ind(s: &mut String, m: &Meta, inds: &[Ind], k: usize, pad: &str) {
    let i = &inds[k];
    let _ = writeln!(s, "{pad}indicator {} {{", i.id);
    let top = i.parent.is_none();
    if top {
        let seq = if !i.seq.is_empty() && i.seq.chars().all(|c| c.is_ascii_digit()) {
            i.seq.clone()
        } else {
            lit(&i.seq)
        };
        if i.seq_guess {
            let _ = writeln!(s, "{pad}  // 推断：表中序号缺失或重复，按表中顺序编号 (guess: numbered in table order)");
        }
        let _ = writeln!(s, "{pad}  seq {seq}");
    }
    let _ = writeln!(s, "{pad}  name {}", lit(&i.name));
    if top {
        let _ = writeln!(s, "{pad}  category {}", i.category);
        let _ = writeln!(s, "{pad}  attribute {}", i.attribute);
    } else if let Some(p) = i.parent {
        if inds[p].attribute != i.attribute && !i.attribute.is_empty() {
            let _ = writeln!(s, "{pad}  attribute {}", i.attribute);
        }
    }
    let Some(r) = &i.row else {
        for &c in &i.children {
            s.push('\n');
            render_ind(s, m, inds, c, &format!("{pad}  "));
        }
        let _ = writeln!(s, "{pad}}}");
        return;
    };
    let _ = writeln!(s, "{pad}  unit {}", lit(&i.unit));
    if let Some(g) = &i.kind_guess {
        let _ = writeln!(s, "{pad}  // 推断：{g}");
    }
    let _ = writeln!(s, "{pad}  kind {}", i.kind);
    let h = m.header;
    let tq = r.quote(Some(&Col::Target(h.end)));
    let printed = r.target.split_whitespace().collect::<Vec<_>>().join("");
    if let Some(rd) = &i.reading {
        if let Some(g) = &rd.guess {
            let _ = writeln!(s, "{pad}  // 推断：{g}");
        }
        let form = rd.form.word();
        let line = match rd.form {
            TargetForm::City => format!("target city printed {}", lit(&printed)),
            TargetForm::Qualitative => {
                if i.assessed.is_none() {
                    let _ = writeln!(
                        s,
                        "{pad}  // 推断：正文没有找到对“{printed}”的评定，需人工补写 assessed"
                    );
                }
                format!("target qualitative printed {}", lit(&printed))
            }
            TargetForm::Unread => {
                let _ = writeln!(
                    s,
                    "{pad}  // 需人工补写：未能识别的目标“{printed}”；请改写为适用于 {} 类指标的形式之一：{} (target not understood)",
                    i.kind,
                    super::around::forms_for(i.kind)
                );
                format!("target unread printed {}", lit(&printed))
            }
            TargetForm::Tied => format!(
                "target tied {} printed {}",
                i.tied.map_or("", |t| inds[t].id.as_str()),
                lit(&printed)
            ),
            TargetForm::Matches | TargetForm::Exceeds => format!(
                "target {form} {}{} printed {}",
                i.tied.map_or("", |t| inds[t].id.as_str()),
                rd.tolerance
                    .map(|t| format!(" about {t}"))
                    .unwrap_or_default(),
                lit(&printed)
            ),
            _ => {
                let mut l = format!("target {form} {}", rd.number.clone().unwrap_or_default());
                if let Some(t) = rd.tolerance {
                    let _ = write!(l, " about {t}");
                }
                let trailing_zero = printed.contains('.') && printed.ends_with('0');
                if Some(&printed) != rd.number.as_ref() || trailing_zero {
                    let _ = write!(l, " printed {}", lit(&printed));
                }
                l
            }
        };
        let _ = writeln!(s, "{pad}  {line} source {}", lit(&tq));
    }
    for note in &i.unit_notes {
        let _ = writeln!(s, "{pad}  note {}", lit(note));
    }
    if let Some((_, w)) = r.baseline.as_deref().and_then(value_of) {
        let _ = writeln!(
            s,
            "{pad}  baseline {}: {w} source {}",
            h.base,
            lit(&r.quote(Some(&Col::Baseline(h.base))))
        );
    }
    // A row of words (完成, 完成) states verdicts, drafted as `assessed`.
    let words_only = i.assessed.is_some() && r.obs.iter().all(|(_, c)| value_of(c).is_none());
    if !r.obs.is_empty() && !words_only {
        let parts: Vec<String> = r
            .obs
            .iter()
            .map(|(p, c)| match value_of(c) {
                Some((_, w)) => format!("{p}: {w}"),
                None => format!("{p}: /"),
            })
            .collect();
        let last = r.obs.last().map(|o| Col::Obs(o.0));
        let _ = writeln!(
            s,
            "{pad}  observed {}\n{pad}    source {}",
            parts.join(", "),
            lit(&r.quote(last.as_ref()))
        );
    }
    if let Some(a) = &i.stated_avg {
        let latest = r
            .obs
            .iter()
            .rev()
            .filter(|(p, _)| m.convention.half || p.is_full_year())
            .find(|(_, c)| value_of(c).is_some())
            .map(|(p, _)| *p);
        if let Some(p) = latest {
            let _ = writeln!(
                s,
                "{pad}  stated 年均增长 = {}% as of {p} source {}",
                a.written,
                lit(&a.quote)
            );
        }
    }
    if let Some((list, q)) = &i.assessed {
        let parts: Vec<String> = list.iter().map(|(p, w)| format!("{p}: {w}")).collect();
        let _ = writeln!(s, "{pad}  assessed {} source {}", parts.join(", "), lit(q));
    }
    let _ = writeln!(s, "{pad}}}");
}

pub(super) fn render_tests(m: &Meta, inds: &[Ind]) -> String {
    let mut s = String::new();
    let label = m.header.label(&Col::Status).unwrap_or_default();
    let _ = writeln!(
        s,
        "// {}的“{label}”栏：报告自己的结论。`guihua test` 逐条对照规则算出的结论，\n// 不一致处即报告的判断与规则的判断不同之处。由 `guihua new` 起草。\n",
        if m.caption.is_empty() { "指标表" } else { m.caption }
    );
    s.push_str("test 报告结论 {\n");
    for i in inds {
        if let Some((w, src, why)) = &i.expect {
            if let Some(why) = why {
                let _ = writeln!(s, "  // 推断：{why}");
            }
            let _ = write!(s, "  expect {} is {w} as of {}", i.id, m.as_of);
            if let Some(q) = src {
                let _ = write!(s, " source {}", lit(q));
            }
            s.push('\n');
        }
    }
    s.push_str("}\n");
    s
}
