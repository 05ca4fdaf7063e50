//! `guihua serve`: the 检索, 检查, 图谱, 规则 and document pages, their JSON
//! (the CLI's shapes), the rule editor's saving, escaping, refused paths,
//! concurrent searches, a drafted workspace, and a real browser.

use crate::util::{copy_dir, guihua, guihua_in, json, root};
use std::path::PathBuf;

/// A running `guihua serve --port 0`, killed when dropped.
pub struct Server {
    child: std::process::Child,
    pub addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn serve(args: &[&str]) -> Server {
    use std::io::BufRead;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_guihua"))
        .args(["serve", "--port", "0"])
        .args(args)
        .current_dir(std::env::temp_dir())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start guihua serve");
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    assert!(
        addr.starts_with("127.0.0.1:"),
        "loopback by default: {addr}"
    );
    Server { child, addr }
}

/// One HTTP/1.1 request: (status, headers and body as text).
pub fn http(addr: &str, method: &str, path: &str, body: &[u8]) -> (u16, String) {
    request(addr, method, path, &[], body)
}

/// [`http`] with extra header lines.
pub fn request(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (u16, String) {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(20)))
        .unwrap();
    let host = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("host"))
        .map_or(addr, |(_, v)| v);
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers
        .iter()
        .filter(|(k, _)| !k.eq_ignore_ascii_case("host"))
    {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).unwrap();
    let _ = s.write_all(body);
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out).to_string();
    let code = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("no status line: {text:?}"));
    (code, text)
}

/// The body of a response.
fn body(text: &str) -> &str {
    text.split_once("\r\n\r\n").map_or("", |(_, b)| b)
}

/// GET: (status, body).
fn get(addr: &str, path: &str) -> (u16, String) {
    let (code, text) = http(addr, "GET", path, b"");
    (code, body(&text).to_string())
}

/// Percent-encodes a URL component.
pub fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The rule editor's own headers.
const EDITOR: &[(&str, &str)] = &[("X-Guihua", "editor"), ("Content-Type", "text/plain")];

/// A workspace holding a copy of the bundled rules and corpus.
fn workspace() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ws");
    copy_dir(&root().join("rules"), &dir.join("rules"));
    copy_dir(&root().join("corpus"), &dir.join("corpus"));
    std::fs::write(
        dir.join("guihua.toml"),
        "name = \"试验区\"\ntitle = \"试验区规划纲要\"\nrules = \"rules\"\ncorpus = \"corpus\"\n",
    )
    .unwrap();
    (tmp, dir)
}

fn cli_json(args: &[&str]) -> serde_json::Value {
    let r = guihua(args);
    assert!(r.code == 0 || r.code == 1, "{args:?}: {}", r.stderr);
    json(&r.stdout)
}

#[test]
fn search_page_and_json_answer_as_the_cli_with_highlights_breadcrumbs_and_sections() {
    let s = serve(&[]);
    // The JSON is `guihua search --format json`'s.
    let (code, b) = get(&s.addr, &format!("/api/search?q={}&limit=5", enc("月季")));
    assert_eq!(code, 200);
    assert_eq!(
        json(&b),
        cli_json(&["search", "月季", "--limit", "5", "--format", "json"])
    );
    // The page: the box keeps the query, matches marked, each hit under its
    // breadcrumb and linked to its line in the document.
    let (code, page) = get(&s.addr, &format!("/search?q={}", enc("月季")));
    assert_eq!(code, 200);
    assert!(page.contains("value=\"月季\""), "the box keeps the query");
    assert!(page.contains("<mark>月季</mark>"), "matches highlighted");
    let hits = json(&b);
    let first = &hits["hits"][0];
    let crumb = first["section"][0].as_str().unwrap();
    assert!(
        page.contains(&format!(">{crumb}</a>")),
        "breadcrumb {crumb}"
    );
    let link = format!(
        "/doc/{}?line={}#L{}",
        enc(first["doc"].as_str().unwrap()),
        first["line"],
        first["line"]
    );
    assert!(page.contains(&link), "{link} not in the page");
    // The link opens the document at that line, marked, with its breadcrumb.
    let (code, doc) = get(&s.addr, &link);
    assert_eq!(code, 200);
    let line = format!("class=\"ln at\" id=\"L{}\"", first["line"]);
    let at = doc.find(&line).expect("the line is marked");
    assert!(doc[at..].split("</div>").next().unwrap().contains("月季"));
    assert!(doc.contains(crumb));
    // A page link of the document opens its lines from where it says.
    let next = doc
        .split("?start=")
        .last()
        .and_then(|x| x.split('"').next())
        .expect("a page link");
    assert!(next.parse::<usize>().is_ok(), "{next}");
    let (code, page) = get(
        &s.addr,
        &format!("/doc/{}?start={next}", enc(first["doc"].as_str().unwrap())),
    );
    assert_eq!(code, 200);
    assert!(page.contains(&format!("<div class=\"ln\" id=\"L{next}\">")));
    assert!(!page.contains("class=\"ln at\""), "nothing marked");
    // The section filter keeps hits under that heading only.
    let sec = "附件3";
    let (code, b) = get(
        &s.addr,
        &format!(
            "/api/search?q={}&section={}&limit=50",
            enc("项目"),
            enc(sec)
        ),
    );
    assert_eq!(code, 200);
    let r = json(&b);
    let hits = r["hits"].as_array().unwrap();
    assert!(!hits.is_empty());
    for h in hits {
        assert!(
            h["section"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c.as_str().unwrap().contains(sec)),
            "{h}"
        );
    }
    let (_, page) = get(&s.addr, "/search");
    assert!(page.contains("<option value=\"附件3：规划期重大项目进展情况\">"));
    // A malformed query is a 400 with the library's message; no query, too.
    let (code, b) = get(&s.addr, &format!("/api/search?q={}", enc("section:")));
    assert_eq!(code, 400);
    assert!(json(&b)["error"].as_str().unwrap().contains("section:"));
    assert_eq!(get(&s.addr, "/api/search").0, 400);
    assert_eq!(get(&s.addr, "/api/search?q=x&limit=0").0, 400);
}

#[test]
fn check_page_lists_the_findings_and_each_quote_opens_its_line() {
    let s = serve(&[]);
    let (code, b) = get(&s.addr, "/api/check");
    assert_eq!(code, 200);
    let want = cli_json(&["check", "--format", "json"]);
    assert_eq!(json(&b), want, "the JSON is `check --format json`'s");
    let findings = want["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    let (code, page) = get(&s.addr, "/check");
    assert_eq!(code, 200);
    assert!(page.contains(&format!("不一致之处：{}处", findings.len())));
    let mut opened = 0;
    for f in findings {
        let msg = f["message"].as_str().unwrap();
        assert!(
            page.contains(&guihua::desk::esc(msg)),
            "finding not shown: {msg}"
        );
        for q in f["quotes"].as_array().unwrap() {
            let (file, line) = (q["file"].as_str().unwrap(), q["line"].as_u64().unwrap());
            let link = format!("/doc/{}?line={line}#L{line}", enc(file));
            if !page.contains(&link.replace('&', "&amp;")) {
                continue;
            }
            let (code, doc) = get(&s.addr, &link);
            assert_eq!(code, 200, "{link}");
            let at = doc
                .find(&format!("class=\"ln at\" id=\"L{line}\""))
                .unwrap_or_else(|| panic!("line {line} not marked in {file}"));
            // The line opened holds the quote's start (or, for a table row
            // over several lines, is part of it).
            let text = doc[at..].split("</div>").next().unwrap();
            let line_text: String = text
                .rsplit("<span>")
                .next()
                .unwrap()
                .replace("</span>", "")
                .split_whitespace()
                .collect();
            let quote: String = guihua::desk::esc(q["text"].as_str().unwrap())
                .split_whitespace()
                .collect();
            let head: String = quote.chars().take(6).collect();
            assert!(
                !line_text.is_empty() && (line_text.contains(&head) || quote.contains(&line_text)),
                "{quote} not at {file}:{line} ({line_text})"
            );
            opened += 1;
        }
    }
    assert!(opened > 0, "some quote opens its place");
}

#[test]
fn graph_page_draws_a_goal_and_its_json_is_the_clis() {
    let s = serve(&[]);
    // Without a goal: the at-risk list, as `graph at-risk --format json`.
    let (code, b) = get(&s.addr, "/api/graph");
    assert_eq!(code, 200);
    let risks = cli_json(&["graph", "at-risk", "--format", "json"]);
    assert_eq!(json(&b), risks);
    let goal = risks["risks"][0]["id"].as_str().unwrap().to_string();
    let (code, page) = get(&s.addr, "/graph");
    assert_eq!(code, 200);
    assert!(
        page.contains(&format!("<option value=\"{goal}\"")),
        "goal picker"
    );
    // A goal: supports as the CLI's, the indicators measuring it, its risk.
    let (code, b) = get(&s.addr, &format!("/api/graph?goal={}", enc(&goal)));
    assert_eq!(code, 200);
    let g = json(&b);
    assert_eq!(
        g["supports"],
        cli_json(&["graph", "supports", &goal, "--format", "json"])
    );
    assert_eq!(g["at_risk"], risks["risks"][0]);
    let measured = g["measured_by"].as_array().unwrap();
    assert!(!measured.is_empty());
    let ind = measured[0]["id"].as_str().unwrap();
    assert_eq!(
        g["impact"][0],
        cli_json(&["graph", "impact", ind, "--format", "json"])
    );
    // The page draws it: one node per supporter, the goal, its indicators.
    let (code, page) = get(&s.addr, &format!("/graph?goal={}", enc(&goal)));
    assert_eq!(code, 200);
    let svg = &page[page.find("<svg").unwrap()..page.find("</svg>").unwrap()];
    let supporters = g["supports"]["supporters"].as_array().unwrap();
    let drawn = svg.matches("<g class=\"node ").count();
    assert_eq!(
        drawn,
        1 + measured.len() + supporters.len().min(40) + usize::from(supporters.len() > 40),
        "goal, indicators and supporters drawn"
    );
    assert!(
        svg.contains("class=\"node goal risk\""),
        "the goal is marked at risk"
    );
    assert!(svg.matches("class=\"edge\"").count() >= supporters.len().min(40));
    // A name part resolves as in the CLI; an unknown one is a 404.
    let (code, _) = get(&s.addr, &format!("/graph?goal={}", enc("不存在的目标")));
    assert_eq!(code, 404);
    assert_eq!(
        get(&s.addr, &format!("/api/graph?goal={}", enc("城镇化率"))).0,
        404
    );
}

/// The lint answer's diagnostics: (line, severity).
fn lines_of(answer: &serde_json::Value) -> Vec<(u64, String)> {
    answer["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["line"].as_u64().unwrap(),
                d["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn rule_editor_lints_saves_atomically_keeps_the_previous_version_and_reloads() {
    let (_tmp, ws) = workspace();
    let s = serve(&["-C", ws.to_str().unwrap()]);
    let (code, page) = get(&s.addr, "/rules?file=indicators.guihua");
    assert_eq!(code, 200);
    assert!(page.contains("<textarea id=\"text\"") && page.contains("data-editable=\"true\""));
    for f in ["plan.guihua", "indicators.guihua", "tests/附件1.guihua"] {
        assert!(page.contains(&format!(">{f}</a>")), "{f} listed");
    }
    let path = ws.join("rules/indicators.guihua");
    let before = std::fs::read_to_string(&path).unwrap();
    // An error on line 24: lint finds it there, without saving.
    let lines: Vec<&str> = before.lines().collect();
    let k = lines
        .iter()
        .position(|l| l.contains("name \"常住人口城镇化率\""))
        .unwrap();
    let broken = before.replacen("name \"常住人口城镇化率\"", "name 常住人口城镇化率\"", 1);
    let (code, text) = request(
        &s.addr,
        "POST",
        "/api/lint?file=indicators.guihua",
        EDITOR,
        broken.as_bytes(),
    );
    assert_eq!(code, 200, "{text}");
    let lint = json(body(&text));
    assert!(lint["errors"].as_u64().unwrap() >= 1);
    assert!(
        lines_of(&lint).contains(&(k as u64 + 1, "error".into())),
        "the error at line {}: {lint}",
        k + 1
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        before,
        "lint writes nothing"
    );
    // Saved with the error: the file is the new text, the old one is kept.
    let (code, text) = request(
        &s.addr,
        "POST",
        "/api/rules/indicators.guihua",
        EDITOR,
        broken.as_bytes(),
    );
    assert_eq!(code, 200, "{text}");
    let saved = json(body(&text));
    assert_eq!(saved["saved"], true);
    assert_eq!(saved["reloaded"], false, "pages keep the last good rules");
    assert!(lines_of(&saved["lint"]).contains(&(k as u64 + 1, "error".into())));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), broken);
    let backup = ws.join("rules").join(saved["backup"].as_str().unwrap());
    assert!(backup.starts_with(ws.join("rules/.history")));
    assert_eq!(std::fs::read_to_string(&backup).unwrap(), before);
    let leftovers: Vec<_> = std::fs::read_dir(ws.join("rules"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "no temporary file left: {leftovers:?}"
    );
    // The pages still show the last rules that worked.
    assert!(get(&s.addr, "/").1.contains("常住人口城镇化率"));
    // A good edit: saved and the pages follow it at once.
    let renamed = before.replacen(
        "name \"常住人口城镇化率\"",
        "name \"常住人口城镇化水平\"",
        1,
    );
    let (code, text) = request(
        &s.addr,
        "POST",
        "/api/rules/indicators.guihua",
        EDITOR,
        renamed.as_bytes(),
    );
    assert_eq!(code, 200, "{text}");
    let saved = json(body(&text));
    assert_eq!(saved["lint"]["errors"], 0);
    assert_eq!(saved["reloaded"], true);
    assert!(get(&s.addr, "/").1.contains("常住人口城镇化水平"));
    let history: Vec<_> = std::fs::read_dir(ws.join("rules/.history"))
        .unwrap()
        .collect();
    assert_eq!(history.len(), 2, "one backup per save");
    // The rule set still loads from the CLI: the backups are not rule files.
    assert_eq!(guihua_in(&ws, &["lint"]).code, 0);
}

#[test]
fn rule_editor_refuses_other_files_other_sites_and_the_bundled_rules() {
    let (_tmp, ws) = workspace();
    let s = serve(&["-C", ws.to_str().unwrap()]);
    let secret = ws.join("secret.guihua");
    std::fs::write(&secret, "secret").unwrap();
    for (name, want) in [
        ("..%2Fsecret.guihua", 400),
        ("../secret.guihua", 400),
        ("%2Fetc%2Fpasswd", 400),
        ("tests/..%2F..%2Fsecret.guihua", 400),
        ("nope.guihua", 404),
        ("..%5Csecret.guihua", 400),
    ] {
        let (code, text) = request(&s.addr, "POST", &format!("/api/rules/{name}"), EDITOR, b"x");
        assert!(
            code == want || (code == 404 && name.starts_with("..%2F")),
            "{name}: {code} {text}"
        );
        let (code, _) = request(
            &s.addr,
            "POST",
            &format!("/api/lint?file={name}"),
            EDITOR,
            b"x",
        );
        assert!(code == 400 || code == 404, "{name}: {code}");
        let (code, _) = get(&s.addr, &format!("/rules?file={name}"));
        assert!(code == 400 || code == 404, "{name}: {code}");
    }
    assert_eq!(std::fs::read_to_string(&secret).unwrap(), "secret");
    // Without the editor's header, or from another origin: refused.
    let path = ws.join("rules/plan.guihua");
    let before = std::fs::read_to_string(&path).unwrap();
    let (code, _) = request(
        &s.addr,
        "POST",
        "/api/rules/plan.guihua",
        &[("Content-Type", "text/plain")],
        b"x",
    );
    assert_eq!(code, 403);
    let (code, _) = request(
        &s.addr,
        "POST",
        "/api/rules/plan.guihua",
        &[("X-Guihua", "editor"), ("Origin", "http://evil.example")],
        b"x",
    );
    assert_eq!(code, 403);
    // Addressed to another host name (DNS rebinding): refused.
    let (code, _) = request(&s.addr, "GET", "/", &[("Host", "evil.example")], b"");
    assert_eq!(code, 421);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), before);
    // Bodies: the editor's bound, 16 KiB elsewhere.
    let big = vec![b'#'; guihua::limits::MAX_EDITED_RULE_BYTES + 1];
    let (code, _) = request(&s.addr, "POST", "/api/lint?file=plan.guihua", EDITOR, &big);
    assert_eq!(code, 413);
    // The bundled example's rules are read-only.
    let b = serve(&[]);
    let (code, page) = get(&b.addr, "/rules?file=indicators.guihua");
    assert_eq!(code, 200);
    assert!(page.contains("data-editable=\"false\""));
    let (code, _) = request(
        &b.addr,
        "POST",
        "/api/rules/indicators.guihua",
        EDITOR,
        b"x",
    );
    assert_eq!(code, 403);
}

/// A copy of the bundled example whose rules and report carry markup.
fn hostile() -> (tempfile::TempDir, PathBuf) {
    let (tmp, ws) = workspace();
    let p = ws.join("rules/indicators.guihua");
    let t = std::fs::read_to_string(&p).unwrap().replacen(
        "name \"常住人口城镇化率\"",
        "name \"城镇化率<script>alert(1)</script>\"",
        1,
    );
    std::fs::write(&p, t).unwrap();
    std::fs::write(
        ws.join("corpus/附录<script>.txt"),
        "第一章 总则<script>alert(2)</script>\n\n月季花<img src=x onerror=alert(3)>是市花。\n",
    )
    .unwrap();
    (tmp, ws)
}

#[test]
fn every_page_escapes_document_and_rule_strings() {
    let (_tmp, ws) = hostile();
    let s = serve(&["-C", ws.to_str().unwrap()]);
    let doc = enc("附录<script>.txt");
    let (_, hits) = get(&s.addr, &format!("/api/search?q={}", enc("市花")));
    assert!(hits.contains("附录<script>.txt"), "{hits}");
    let pages = [
        "/".to_string(),
        format!("/indicator/{}", enc("城镇化率")),
        "/report".to_string(),
        format!("/search?q={}", enc("月季花")),
        format!("/search?q={}", enc("<script>alert(1)</script>")),
        "/check".to_string(),
        format!("/doc/{doc}?line=3"),
        "/graph".to_string(),
        format!("/graph?goal={}", enc("<script>")),
        "/rules?file=indicators.guihua".to_string(),
        format!("/nothing/{}", enc("<script>")),
    ];
    for p in &pages {
        let (code, page) = get(&s.addr, p);
        assert!(code == 200 || code == 404, "{p}: {code}");
        assert!(!page.contains("<script>"), "{p}: a script element");
        assert!(!page.contains("<img"), "{p}: an image element");
        let rest = page.replace("<script src=\"/assets/rules.js\" defer></script>", "");
        assert!(!rest.contains("<script"), "{p}");
    }
    let (_, page) = get(&s.addr, "/");
    assert!(page.contains("城镇化率&lt;script&gt;alert(1)&lt;/script&gt;"));
    let (_, page) = get(&s.addr, &format!("/doc/{doc}?line=3"));
    assert!(page.contains("月季花&lt;img src=x onerror=alert(3)&gt;是市花"));
    let (_, page) = get(&s.addr, "/rules?file=indicators.guihua");
    assert!(page.contains("城镇化率&lt;script&gt;alert(1)&lt;/script&gt;"));
}

#[test]
fn no_parameter_reaches_a_file() {
    let s = serve(&[]);
    for p in [
        "/doc/..%2F..%2F..%2Fetc%2Fpasswd",
        "/doc/%2Fetc%2Fpasswd",
        "/doc/..?line=1",
        "/doc/corpus%2F..%2F..%2Fetc%2Fpasswd?line=1",
        "/rules?file=..%2F..%2F..%2Fetc%2Fpasswd",
        "/rules?file=%2Fetc%2Fpasswd",
        "/graph?goal=..%2F..%2Fetc%2Fpasswd",
        "/api/graph?goal=%2Fetc%2Fpasswd",
        "/indicator/..%2F..%2Fetc%2Fpasswd",
        "/api/indicator/%2Fetc%2Fpasswd",
        "/search?q=..%2F..%2Fetc%2Fpasswd&section=..%2F..",
        "/api/search?q=root&section=%2Fetc%2Fpasswd",
        "/assets/..%2F..%2Fetc%2Fpasswd",
        "/assets/rules.js/..%2F..%2Fetc%2Fpasswd",
    ] {
        let (code, text) = http(&s.addr, "GET", p, b"");
        assert!(code == 404 || code == 400 || code == 200, "{p}: {code}");
        assert!(!text.contains("root:x:"), "{p} read /etc/passwd");
        if p.starts_with("/doc") || p.starts_with("/rules") || p.contains("indicator") {
            assert!(code == 404 || code == 400, "{p}: {code}");
        }
    }
    let (code, text) = request(
        &s.addr,
        "POST",
        "/api/lint?file=..%2F..%2F..%2Fetc%2Fpasswd",
        EDITOR,
        b"x",
    );
    assert_eq!(code, 400, "{text}");
}

#[test]
fn a_hundred_concurrent_searches_are_all_answered_correctly() {
    let s = serve(&[]);
    let words = [
        "月季",
        "城镇化率",
        "项目",
        "研发经费",
        "森林覆盖率",
        "就业",
        "产业园",
        "乡村振兴",
        "创新",
        "生态",
    ];
    let want: Vec<serde_json::Value> = words
        .iter()
        .map(|w| json(&get(&s.addr, &format!("/api/search?q={}", enc(w))).1))
        .collect();
    let addr = s.addr.clone();
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(100));
    let threads: Vec<_> = (0..100)
        .map(|k| {
            let (addr, barrier) = (addr.clone(), barrier.clone());
            let path = format!("/api/search?q={}", enc(words[k % words.len()]));
            std::thread::spawn(move || {
                barrier.wait();
                get(&addr, &path)
            })
        })
        .collect();
    for (k, t) in threads.into_iter().enumerate() {
        let (code, b) = t.join().unwrap();
        assert_eq!(code, 200, "search {k}");
        assert_eq!(json(&b), want[k % words.len()], "search {k}");
    }
}

#[test]
fn pages_work_on_a_workspace_drafted_from_the_qinglan_report() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("青岚");
    let docx = root().join("tests/fixtures/qinglan/qinglan-midterm-2024.docx");
    let r = guihua(&[
        "new",
        ws.to_str().unwrap(),
        "--from",
        docx.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let s = serve(&["-C", ws.to_str().unwrap()]);
    let run = |args: &[&str]| {
        let mut a = vec!["-C", ws.to_str().unwrap()];
        a.extend_from_slice(args);
        let r = guihua(&a);
        assert!(r.code == 0 || r.code == 1, "{args:?}: {}", r.stderr);
        json(&r.stdout)
    };
    let (code, page) = get(&s.addr, "/");
    assert_eq!(code, 200);
    let eval = run(&["eval", "--format", "json"]);
    let rows = eval["rows"].as_array().unwrap();
    for row in rows {
        assert!(page.contains(&guihua::desk::esc(row["name"].as_str().unwrap())));
    }
    let link = page
        .split("href=\"/indicator/")
        .nth(1)
        .and_then(|x| x.split('"').next())
        .expect("indicators are linked");
    let (code, ind) = get(&s.addr, &format!("/indicator/{link}"));
    assert_eq!(code, 200);
    assert!(ind.contains("判定过程"));
    // Search: the same answer as the CLI, hits opening the .docx's text.
    let (code, b) = get(&s.addr, &format!("/api/search?q={}", enc("项目")));
    assert_eq!(code, 200);
    assert_eq!(json(&b), run(&["search", "项目", "--format", "json"]));
    let hit = &json(&b)["hits"][0];
    let (code, doc) = get(
        &s.addr,
        &format!(
            "/doc/{}?line={}",
            enc(hit["doc"].as_str().unwrap()),
            hit["line"]
        ),
    );
    assert_eq!(code, 200);
    assert!(doc.contains(&format!("class=\"ln at\" id=\"L{}\"", hit["line"])));
    assert_eq!(
        json(&get(&s.addr, "/api/check").1),
        run(&["check", "--format", "json"])
    );
    assert_eq!(get(&s.addr, "/check").0, 200);
    // The graph of every goal the draft found.
    let risks = run(&["graph", "at-risk", "--format", "json"]);
    assert_eq!(json(&get(&s.addr, "/api/graph").1), risks);
    let (code, page) = get(&s.addr, "/graph");
    assert_eq!(code, 200);
    let goals: Vec<String> = page
        .split("<option value=\"")
        .skip(1)
        .map(|x| x.split('"').next().unwrap().to_string())
        .collect();
    assert!(goals.len() >= 3, "{goals:?}");
    for g in &goals {
        let (code, page) = get(
            &s.addr,
            &format!("/graph?goal={}", enc(&guihua_unescape(g))),
        );
        assert_eq!(code, 200, "{g}");
        assert!(page.contains("<svg"), "{g}");
    }
    let (code, page) = get(&s.addr, "/rules");
    assert_eq!(code, 200);
    assert!(page.contains("data-editable=\"true\""));
}

/// Undoes [`guihua::desk::esc`] for an attribute value read from a page.
fn guihua_unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[test]
fn rules_failing_on_a_quote_still_start_the_desk_and_are_fixed_in_the_editor() {
    let (_tmp, ws) = workspace();
    let path = ws.join("rules/indicators.guihua");
    let good = std::fs::read_to_string(&path).unwrap();
    let bad = good.replacen("城镇常住人口城镇化率分别为", "城镇化水平分别为", 1);
    assert_ne!(bad, good);
    std::fs::write(&path, &bad).unwrap();
    let s = serve(&["-C", ws.to_str().unwrap()]);
    // The evaluation cannot be shown: the page says why and where to fix it.
    let (code, page) = get(&s.addr, "/");
    assert_eq!(code, 503);
    assert!(page.contains("规则有错误") && page.contains("href=\"/rules\""));
    assert!(page.contains("城镇化水平分别为"), "the diagnostic is shown");
    // Search and the check still work; the check is `guihua check`'s, and
    // its provenance finding opens the rule file at the quote's line.
    assert_eq!(
        get(&s.addr, &format!("/api/search?q={}", enc("月季"))).0,
        200
    );
    let r = guihua_in(&ws, &["check", "--format", "json"]);
    let want = json(&r.stdout);
    let (code, b) = get(&s.addr, "/api/check");
    assert_eq!(code, 200);
    assert_eq!(json(&b), want);
    let line = bad
        .lines()
        .position(|l| l.contains("城镇化水平分别为"))
        .unwrap()
        + 1;
    let (_, page) = get(&s.addr, "/check");
    assert!(
        page.contains(&format!(
            "href=\"/rules?file=indicators.guihua&amp;line={line}\""
        )),
        "the quote opens its rule line {line}"
    );
    // Fixed in the editor: the pages come back at once.
    let (code, text) = request(
        &s.addr,
        "POST",
        "/api/rules/indicators.guihua",
        EDITOR,
        good.as_bytes(),
    );
    assert_eq!(code, 200, "{text}");
    assert_eq!(json(body(&text))["reloaded"], true);
    let (code, page) = get(&s.addr, "/");
    assert_eq!(code, 200);
    assert!(page.contains("常住人口城镇化率"));
}
