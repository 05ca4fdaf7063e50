//! The plan as a graph: supports per focus area, deps, impact, at-risk,
//! show and export on the bundled rules; quotes of every node and edge.

use crate::util::{guihua, json};

fn run_json(args: &[&str]) -> serde_json::Value {
    let mut a = args.to_vec();
    a.extend_from_slice(&["--format", "json"]);
    let r = guihua(&a);
    assert_eq!(r.code, 0, "{}", r.stderr);
    json(&r.stdout)
}

fn supporters(goal: &str) -> (serde_json::Value, Vec<String>) {
    let v = run_json(&["graph", "supports", goal]);
    let names = v["supporters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_string())
        .collect();
    (v, names)
}

#[track_caller]
fn has_all(names: &[String], want: &[&str]) {
    for w in want {
        assert!(
            names.iter().any(|n| n == w),
            "`{w}` missing among {names:?}"
        );
    }
}

#[test]
fn innovation_goal_lists_the_platforms_and_labs_of_annex_3_and_chapter_3() {
    let (v, names) = supporters("创新创业示范基地");
    assert_eq!(v["goal"]["id"], "创新中心");
    assert_eq!(
        v["goal"]["name"],
        "（六）聚焦创新中心，建设创新创业示范基地"
    );
    // 附件3 §4.
    has_all(
        &names,
        &[
            "河南省功能薄膜微纳超构表面技术创新中心",
            "南阳市绿色喷墨材料重点实验室",
            "南阳市甲状腺肿瘤防治重点实验室",
            "中科卧龙产业技术研究院",
            "南阳市兽用疫苗研发重点实验室",
            "河南省量子级联激光器院士工作站",
            "高效节能智能电气装备技术研发中心",
            "工业4.0控制技术研发中心",
            "智能化装备研发中心",
        ],
    );
    // Chapter 三（六）.
    has_all(
        &names,
        &[
            "大学科技园",
            "科创智慧岛",
            "卧龙科技CBD",
            "独山科创产业园",
            "白河科创带",
            "卧龙知识产权服务中心",
            "数字经济产业园",
            "卧龙大学城",
            "生命科学实验室",
            "人才小镇",
        ],
    );
    for s in v["supporters"].as_array().unwrap() {
        let path: Vec<&str> = s["path"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap())
            .collect();
        assert_eq!(path.first().copied(), s["id"].as_str());
        assert_eq!(path.last().copied(), Some("创新中心"));
        assert!(!s["source"].as_str().unwrap().is_empty());
        for key in ["id", "name", "kind", "path", "source"] {
            assert!(s.get(key).is_some());
        }
    }
    let lab = v["supporters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "中科卧龙产业技术研究院")
        .unwrap();
    assert_eq!(
        lab["path"],
        serde_json::json!(["中科卧龙产业技术研究院", "创新中心_2", "创新中心"])
    );
    assert_eq!(lab["kind"], "project");
}

#[test]
fn every_focus_area_has_its_projects() {
    for (goal, want) in [
        (
            "和美乡村",
            &[
                "南阳月季博览园",
                "中原艾谷",
                "艾草现代农业产业园",
                "乡村振兴基础设施建设PPP项目（一区）",
                "高标准农田",
            ][..],
        ),
        (
            "魅力城市",
            &[
                "三里河与白河水系连通工程",
                "石桥110千伏输变电工程",
                "南阳至邓州高速公路",
                "卧龙区中心城区环境综合提升项目（一期）",
            ][..],
        ),
        (
            "开放门户",
            &["南阳卧龙综合保税区", "京宛合作产业园", "河南自贸区卧龙片区"][..],
        ),
        (
            "生态经济",
            &[
                "王村污水处理厂尾水湿地项目",
                "静脉生态产业园",
                "生活垃圾焚烧发电厂",
            ][..],
        ),
        (
            "民生优先",
            &[
                "十三完全学校",
                "南阳市传染病医院（一期）",
                "爱乐祺托育服务中心项目",
                "第五完全学校",
            ][..],
        ),
        (
            "国际品牌",
            &["卧龙岗文化园", "黄山遗址博物馆", "黄山遗址公园项目"][..],
        ),
        (
            "产业强区",
            &[
                "豫资海元南阳城市产业综合体",
                "南阳国际陆港物流园",
                "伏榕产业园",
            ][..],
        ),
    ] {
        let (_, names) = supporters(goal);
        has_all(&names, want);
    }
    // Every focus area is supported by something.
    for g in [
        "战略目标",
        "产业强区",
        "国际品牌",
        "和美乡村",
        "魅力城市",
        "创新中心",
        "开放门户",
        "生态经济",
        "民生优先",
        "平安卧龙",
    ] {
        assert!(!supporters(g).1.is_empty(), "{g}");
    }
}

#[test]
fn kind_filter_and_measures_through_programmes() {
    let v = run_json(&["graph", "supports", "产业强区", "--kind", "measure"]);
    let s = v["supporters"].as_array().unwrap();
    assert!(s.iter().all(|x| x["kind"] == "measure"));
    // 壮骨工程 supports it directly; 6+1+N through a task.
    assert!(s.iter().any(|x| x["name"] == "壮骨工程"));
    assert!(s.iter().any(|x| x["name"] == "“6+1+N”模式"));
    // Projects that implement 6+1+N reach the goal through it.
    let v = run_json(&["graph", "supports", "产业强区", "--kind", "project"]);
    let xh = v["supporters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["name"] == "兴华生物")
        .unwrap();
    assert!(xh["path"].as_array().unwrap().len() >= 3);
}

#[test]
fn ambiguous_and_unknown_names_are_errors_with_candidates() {
    let r = guihua(&["graph", "supports", "研发中心"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("several nodes match") && r.stderr.contains("智能化装备研发中心"),
        "{}",
        r.stderr
    );
    let r = guihua(&["show", "中科卧龙研究院"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("没有这个节点"), "{}", r.stderr);
    // A name shortened the Chinese way is offered its full form.
    assert!(
        r.stderr.contains("是不是 `中科卧龙产业技术研究院`"),
        "{}",
        r.stderr
    );
    // An empty name is said to be empty, not matched against every node.
    let r = guihua(&["graph", "supports", " "]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("名称为空"), "{}", r.stderr);
    // A long list of candidates is cut, with how many more there are.
    let r = guihua(&["graph", "supports", "园"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("个节点符合"), "{}", r.stderr);
    assert!(r.stderr.contains("及另外"), "{}", r.stderr);
    assert!(r.stderr.lines().count() <= 2, "{}", r.stderr);
}

#[test]
fn deps_come_in_an_order_that_can_be_followed() {
    let v = run_json(&["graph", "deps", "产业强区_4"]);
    let ids: Vec<&str> = v["dependencies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["豫资海元南阳城市产业综合体", "南阳国际陆港物流园"]);
    assert_eq!(
        v["dependencies"][0]["source"],
        "该项目作为陆航物流园的核心项目"
    );
    let v = run_json(&["graph", "deps", "乡村振兴产业园"]);
    let ids: Vec<&str> = v["dependencies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["乡镇国土空间规划", "村庄规划编制"]);
    let t = guihua(&["graph", "deps", "大学科技园"]).stdout;
    assert!(t.contains("没有前置依赖"));
}

#[test]
fn impact_of_an_indicator() {
    let v = run_json(&["graph", "impact", "研发"]);
    assert_eq!(v["indicator"]["id"], "研发增长");
    let m = &v["measures"][0];
    assert_eq!(m["id"], "创新中心_2");
    assert!(m["supporters"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["name"] == "中科卧龙产业技术研究院"));
    let r = guihua(&["graph", "impact", "大学科技园"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("not an indicator"));
}

#[test]
fn at_risk_joins_evaluation_and_graph() {
    let v = run_json(&["graph", "at-risk"]);
    assert_eq!(v["as_of"], "2023H1");
    assert!(v["ranking"].as_str().unwrap().contains("2 points"));
    let risks = v["risks"].as_array().unwrap();
    let scores: Vec<u64> = risks.iter().map(|r| r["score"].as_u64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    let ids: Vec<&str> = risks.iter().map(|r| r["id"].as_str().unwrap()).collect();
    // GDP (低于预期) puts 战略目标 at risk; 发明专利 (暂无数据) puts 创新中心_5.
    assert!(
        ids.contains(&"战略目标") && ids.contains(&"创新中心_5"),
        "{ids:?}"
    );
    for r in risks {
        for ind in r["indicators"].as_array().unwrap() {
            assert!(["低于预期", "暂无数据"].contains(&ind[2].as_str().unwrap()));
        }
    }
    // Projects under way come before finished ones.
    let mh = risks.iter().find(|r| r["id"] == "民生优先").unwrap();
    let states: Vec<&str> = mh["supporters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["state"].as_str().unwrap_or(""))
        .collect();
    let first_done = states
        .iter()
        .position(|s| ["建成投产", "竣工", "投运"].contains(s))
        .unwrap_or(states.len());
    assert!(states[..first_done]
        .iter()
        .all(|s| !["建成投产", "竣工", "投运"].contains(s)));
    assert!(states.iter().position(|s| *s == "开工").unwrap() < first_done);
    // With the data of 2022, other statuses: the SDG method works too.
    assert_eq!(guihua(&["graph", "at-risk", "--method", "sdg"]).code, 0);
}

#[test]
fn show_gives_neighbours_and_the_place_of_the_source() {
    let v = run_json(&["show", "中科卧龙产业技术研究院"]);
    assert_eq!(v["node"]["kind"], "project");
    assert_eq!(v["source_location"]["line"], 518);
    assert!(v["source_location"]["section"][0]
        .as_str()
        .unwrap()
        .starts_with("附件3"));
    assert!(v["neighbours"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["edge"] == "supports" && n["id"] == "创新中心_2"));
    let v = run_json(&["show", "名词_14"]);
    assert_eq!(
        v["node"]["words"],
        serde_json::json!(["宜业", "宜居", "宜学", "宜游", "宜创", "宜养"])
    );
    assert!(v["neighbours"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["edge"] == "defines" && n["id"] == "魅力城市"));
}

#[test]
fn exports_dot_mermaid_and_json() {
    let dot = guihua(&[
        "graph",
        "export",
        "--format",
        "dot",
        "--root",
        "创新中心",
        "--depth",
        "1",
    ])
    .stdout;
    assert!(
        dot.starts_with("digraph plan {") && dot.contains("-> ") && dot.trim_end().ends_with('}')
    );
    let mer = guihua(&["graph", "export", "--format", "mermaid"]).stdout;
    assert!(mer.starts_with("flowchart RL") && mer.contains("-->|supports|"));
    let v = json(&guihua(&["graph", "export", "--format", "json"]).stdout);
    let nodes = v["nodes"].as_array().unwrap();
    let count = |k: &str| nodes.iter().filter(|n| n["kind"] == k).count();
    assert!(
        count("goal") >= 10
            && count("task") >= 40
            && count("project") >= 60
            && count("measure") >= 10
    );
    assert_eq!(count("term"), 21);
    assert_eq!(count("indicator"), 23);
    // DOT renders with Graphviz where it is installed (.ci/run installs it).
    let has_dot = std::process::Command::new("dot").arg("-V").output().is_ok();
    if !has_dot {
        assert!(std::env::var_os("CI").is_none(), "CI must install graphviz");
        return;
    }
    let full = guihua(&["graph", "export", "--format", "dot"]).stdout;
    let mut child = std::process::Command::new("dot")
        .arg("-Tsvg")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(full.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("<svg"));
}

#[test]
fn every_node_and_edge_quote_of_the_bundled_rules_is_in_the_corpus() {
    let corpus = guihua::corpus::Corpus::bundled();
    let loaded = guihua::load::load_texts(guihua::load::bundled_rules(), Some(&corpus));
    let m = loaded.model.expect("bundled rules load");
    let mut n = 0;
    for node in m.graph.nodes.iter().filter(|x| x.indicator.is_none()) {
        let q = node
            .source
            .as_ref()
            .unwrap_or_else(|| panic!("{} has no source", node.id));
        assert!(corpus.locate(&q.text).is_some(), "{}: {}", node.id, q.text);
        n += 1;
    }
    for e in &m.graph.edges {
        let q = e.source.as_ref().expect("every edge has a source");
        assert!(corpus.locate(&q.text).is_some(), "{}", q.text);
        n += 1;
    }
    assert!(n > 400, "{n} quotes");
}

/// On a drafted workspace (the public qinglan report), every indicator
/// behind schedule shows up once: under the goals it puts at risk, or in
/// `unlinked` when the rules tie it to no goal, so a planner never reads a
/// lag as harmless only because its link is missing.
#[test]
fn every_lagging_indicator_is_at_risk_or_listed_unlinked() {
    let report = crate::util::root().join("tests/fixtures/qinglan/qinglan-midterm-2024.docx");
    let (_tmp, ws) = crate::util::drafted(&report);
    let dir = crate::util::s(&ws);
    let ev = run_json(&["-C", &dir, "eval"]);
    let risk = run_json(&["-C", &dir, "graph", "at-risk"]);
    let mut linked = std::collections::BTreeSet::new();
    for r in risk["risks"].as_array().unwrap() {
        for ind in r["indicators"].as_array().unwrap() {
            linked.insert(ind[1].as_str().unwrap().to_string());
        }
    }
    let unlinked: Vec<&str> = risk["unlinked"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].as_str().unwrap())
        .collect();
    assert!(!unlinked.is_empty(), "{risk}");
    let behind: Vec<&str> = ev["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == "低于预期" && r["parent"].is_null())
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    for name in &behind {
        assert!(
            linked.contains(*name) != unlinked.contains(name),
            "{name}: linked {linked:?}, unlinked {unlinked:?}"
        );
    }
    assert!(unlinked.iter().all(|u| behind.contains(u)), "{unlinked:?}");
    let text = guihua(&["-C", &dir, "graph", "at-risk"]).stdout;
    assert!(text.contains("未关联任何目标或任务"), "{text}");
    assert!(text.contains(unlinked[0]), "{text}");
}
