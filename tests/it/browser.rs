//! `guihua serve` in a real browser: headless Chromium, driven over the
//! DevTools protocol on a pipe (`--remote-debugging-pipe`: JSON messages
//! ended by NUL on file descriptors 3 and 4, no extra crate), loads every
//! page, runs a search, opens an explanation, saves a rule with an error
//! and sees it marked at its line. Screenshots go to
//! target/desk-screenshots/. Skipped, saying why, without `chromium`.

use crate::serve::serve;
use crate::util::{copy_dir, root};
use serde_json::{json, Value};
use std::io::{BufRead, Write};
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long one step may take.
const STEP: Duration = Duration::from_secs(30);

fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| {
            std::process::Command::new(b)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

/// A headless Chromium and one page of it.
struct Browser {
    child: std::process::Child,
    to: std::io::PipeWriter,
    from: mpsc::Receiver<Value>,
    id: u64,
    session: String,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Makes `fd` the child's descriptor `target`, open across exec.
fn place_fd(fd: i32, target: i32) -> std::io::Result<()> {
    // SAFETY: dup2 and fcntl are async-signal-safe; called between fork and exec.
    unsafe {
        if fd == target {
            let flags = libc::fcntl(fd, libc::F_GETFD);
            if flags < 0 || libc::fcntl(fd, libc::F_SETFD, flags & !libc::FD_CLOEXEC) < 0 {
                return Err(std::io::Error::last_os_error());
            }
        } else if libc::dup2(fd, target) < 0 {
            return Err(std::io::Error::last_os_error());
        }
    }
    Ok(())
}

impl Browser {
    fn start(exe: &str) -> Browser {
        let profile = tempfile::tempdir().unwrap();
        // Chromium reads commands on fd 3 and writes answers on fd 4.
        let (cmd_r, cmd_w) = std::io::pipe().unwrap();
        let (ans_r, ans_w) = std::io::pipe().unwrap();
        let (cmd_r, ans_w): (OwnedFd, OwnedFd) = (cmd_r.into(), ans_w.into());
        let (r, w) = (cmd_r.as_raw_fd(), ans_w.as_raw_fd());
        let mut c = std::process::Command::new(exe);
        c.args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-extensions",
            "--remote-debugging-pipe",
            "--window-size=1280,1000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("about:blank")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
        // SAFETY: the closure only calls dup2/fcntl (see place_fd). The
        // answer pipe's write end is moved out of the way of 3 first.
        unsafe {
            c.pre_exec(move || {
                let w2 = if w == 3 { libc::dup(w) } else { w };
                if w2 < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                place_fd(r, 3)?;
                place_fd(w2, 4)
            });
        }
        let child = c.spawn().expect("start chromium");
        drop(cmd_r);
        drop(ans_w);
        let (tx, from) = mpsc::channel();
        std::thread::spawn(move || {
            let mut rd = std::io::BufReader::new(ans_r);
            loop {
                let mut buf = Vec::new();
                match rd.read_until(0, &mut buf) {
                    Ok(0) | Err(_) => return,
                    Ok(_) => {
                        buf.pop();
                        if let Ok(v) = serde_json::from_slice::<Value>(&buf) {
                            if tx.send(v).is_err() {
                                return;
                            }
                        }
                    }
                }
            }
        });
        let mut b = Browser {
            child,
            to: cmd_w,
            from,
            id: 0,
            session: String::new(),
            _profile: profile,
        };
        let t = b.call("Target.createTarget", json!({"url": "about:blank"}));
        let target = t["targetId"].as_str().expect("a target").to_string();
        let s = b.call(
            "Target.attachToTarget",
            json!({"targetId": target, "flatten": true}),
        );
        b.session = s["sessionId"].as_str().expect("a session").to_string();
        b.call("Page.enable", json!({}));
        b.call(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": 1280, "height": 1000, "deviceScaleFactor": 1, "mobile": false}),
        );
        b
    }

    /// Sends a command (to the page once attached) and waits for its answer.
    fn call(&mut self, method: &str, params: Value) -> Value {
        self.try_call(method, params)
            .unwrap_or_else(|e| panic!("{method}: {e}"))
    }

    /// Sends a command and waits for its answer, or the error it met.
    fn try_call(&mut self, method: &str, params: Value) -> Result<Value, Value> {
        self.id += 1;
        let mut msg = json!({"id": self.id, "method": method, "params": params});
        if !self.session.is_empty() {
            msg["sessionId"] = json!(self.session);
        }
        let mut bytes = serde_json::to_vec(&msg).unwrap();
        bytes.push(0);
        self.to.write_all(&bytes).expect("write to chromium");
        let start = Instant::now();
        loop {
            let left = STEP.saturating_sub(start.elapsed());
            let v = self
                .from
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("chromium did not answer {method} within {STEP:?}"));
            if v["id"] == json!(self.id) {
                if let Some(e) = v.get("error") {
                    return Err(e.clone());
                }
                return Ok(v["result"].clone());
            }
        }
    }

    /// Evaluates JavaScript in the page (promises awaited), returning its value.
    fn eval(&mut self, js: &str) -> Value {
        let r = self.call(
            "Runtime.evaluate",
            json!({"expression": js, "returnByValue": true, "awaitPromise": true}),
        );
        if let Some(e) = r.get("exceptionDetails") {
            panic!("{js}: {e}");
        }
        r["result"]["value"].clone()
    }

    /// Waits until `js` is true in the page; a page being left or loaded
    /// meanwhile (its context gone, a script error) is "not yet".
    fn wait(&mut self, js: &str) {
        let start = Instant::now();
        loop {
            let r = self.try_call(
                "Runtime.evaluate",
                json!({"expression": format!("!!({js})"), "returnByValue": true}),
            );
            if r.is_ok_and(|r| {
                r.get("exceptionDetails").is_none() && r["result"]["value"] == json!(true)
            }) {
                return;
            }
            assert!(start.elapsed() < STEP, "waited {STEP:?} for {js}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn goto(&mut self, url: &str) {
        self.call("Page.navigate", json!({"url": url}));
        self.wait(&format!(
            "location.href === {} && document.readyState === 'complete'",
            json!(url)
        ));
    }

    /// Writes a screenshot of the page's viewport.
    fn shot(&mut self, path: &Path) {
        let r = self.call("Page.captureScreenshot", json!({"format": "png"}));
        let png = base64(r["data"].as_str().expect("image data"));
        assert!(png.starts_with(b"\x89PNG"), "a PNG");
        std::fs::write(path, png).unwrap();
    }
}

fn base64(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let bytes: Vec<u8> = s
        .bytes()
        .filter(|c| *c != b'=' && !c.is_ascii_whitespace())
        .collect();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (k, c)| n | u32::from(val(*c)) << (18 - 6 * k));
        let len = chunk.len() - 1;
        out.extend_from_slice(&n.to_be_bytes()[1..=len]);
    }
    out
}

fn screenshots() -> PathBuf {
    let d = root().join("target/desk-screenshots");
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn every_page_in_headless_chromium_search_explanation_and_a_rule_error_at_its_line() {
    let Some(exe) = chromium() else {
        eprintln!("skipped: no chromium on PATH (apt-get install chromium fonts-noto-cjk to run this test)");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    copy_dir(&root().join("rules"), &ws.join("rules"));
    copy_dir(&root().join("corpus"), &ws.join("corpus"));
    std::fs::write(
        ws.join("guihua.toml"),
        "name = \"卧龙区\"\ntitle = \"卧龙区十四五规划纲要中期评估\"\nrules = \"rules\"\ncorpus = \"corpus\"\n",
    )
    .unwrap();
    let s = serve(&["-C", ws.to_str().unwrap()]);
    let base = format!("http://{}", s.addr);
    let out = screenshots();
    let mut b = Browser::start(exe);

    // Every page loads, under its heading, with the navigation.
    for (path, shot) in [
        ("/", Some("index.png")),
        ("/graph", None),
        ("/search", None),
        ("/check", Some("check.png")),
        ("/rules", None),
        ("/report", None),
    ] {
        b.goto(&format!("{base}{path}"));
        b.wait("document.querySelector('h1') && document.querySelector('h1').textContent.includes('卧龙区')");
        if path != "/report" {
            assert_eq!(
                b.eval("document.querySelectorAll('nav.top a').length"),
                json!(6),
                "{path}: the navigation"
            );
        }
        if let Some(f) = shot {
            b.shot(&out.join(f));
        }
    }

    // A search typed in the box and submitted: hits with highlights.
    b.goto(&format!("{base}/search"));
    b.eval(
        "(() => { const f = document.querySelector('form[role=search]'); \
         f.querySelector('input[name=q]').value = '月季'; f.submit(); })()",
    );
    b.wait("location.pathname === '/search' && location.search.includes('q=') && document.readyState === 'complete' && document.querySelectorAll('.hit').length > 0");
    assert_eq!(
        b.eval("document.querySelector('mark').textContent"),
        json!("月季")
    );
    assert!(
        b.eval("document.querySelectorAll('.hit').length")
            .as_u64()
            .unwrap()
            >= 3
    );
    b.shot(&out.join("search.png"));
    // A hit opens its line in the document, marked.
    b.eval("document.querySelector('.hit a.open').click()");
    b.wait("location.pathname.startsWith('/doc/') && document.readyState === 'complete' && document.querySelector('.ln.at')");
    assert!(b
        .eval("document.querySelector('.ln.at').textContent")
        .as_str()
        .unwrap()
        .contains("月季"));
    b.shot(&out.join("doc.png"));

    // An indicator opened from the table: its chart and explanation.
    b.goto(&format!("{base}/"));
    b.eval("document.querySelector('a[href^=\"/indicator/\"]').click()");
    b.wait("location.pathname.startsWith('/indicator/') && document.readyState === 'complete' && document.body.textContent.includes('判定过程')");
    assert_eq!(
        b.eval("document.querySelectorAll('svg').length > 0"),
        json!(true)
    );
    b.shot(&out.join("indicator.png"));

    // A goal's graph.
    b.goto(&format!("{base}/graph"));
    b.eval("(() => { const f = document.querySelector('form.filter'); f.submit(); })()");
    b.wait("location.search.includes('goal=') && document.readyState === 'complete' && document.querySelector('svg.graph')");
    assert!(
        b.eval("document.querySelectorAll('svg.graph .node').length")
            .as_u64()
            .unwrap()
            >= 2
    );
    b.shot(&out.join("graph.png"));

    // A rule saved with an error: marked at its line.
    b.goto(&format!("{base}/rules?file=indicators.guihua"));
    b.wait("document.querySelectorAll('#gutter span').length > 10 && document.getElementById('status').textContent.includes('检查')");
    let file = ws.join("rules/indicators.guihua");
    let before = std::fs::read_to_string(&file).unwrap();
    let line = before
        .lines()
        .position(|l| l.contains("name \"常住人口城镇化率\""))
        .unwrap()
        + 1;
    b.eval(
        "(() => { const t = document.getElementById('text'); \
         t.value = t.value.replace('name \"常住人口城镇化率\"', 'name 常住人口城镇化率\"'); \
         t.dispatchEvent(new Event('input')); document.getElementById('save').click(); })()",
    );
    b.wait("document.getElementById('status').dataset.saved === 'yes'");
    let marked =
        b.eval("[...document.querySelectorAll('#gutter span.err')].map(s => +s.dataset.line)");
    assert!(
        marked.as_array().unwrap().contains(&json!(line)),
        "the error marked at line {line}: {marked}"
    );
    let listed = b.eval("document.querySelector('#diags li.err').textContent");
    assert!(
        listed
            .as_str()
            .unwrap()
            .starts_with(&format!("第 {line} 行")),
        "{listed}"
    );
    assert!(b
        .eval("document.getElementById('status').textContent")
        .as_str()
        .unwrap()
        .contains("已保存"));
    b.shot(&out.join("rules-error.png"));
    let after = std::fs::read_to_string(&file).unwrap();
    assert!(after.contains("name 常住人口城镇化率\""), "saved to disk");
    let history: Vec<_> = std::fs::read_dir(ws.join("rules/.history"))
        .unwrap()
        .collect();
    assert_eq!(history.len(), 1, "the previous version kept");
    for f in [
        "index.png",
        "search.png",
        "indicator.png",
        "graph.png",
        "rules-error.png",
    ] {
        let n = std::fs::metadata(out.join(f)).unwrap().len();
        assert!(
            n > 20_000,
            "{f}: a rendered page, not a blank one ({n} bytes)"
        );
    }
}

/// The pages on a workspace drafted from a report guihua has no rules for
/// (`guihua new --from` the qinglan .docx), and that workspace's HTML
/// report (`guihua report -o 报告.html`) opened from disk with its charts.
#[test]
fn a_drafted_workspace_and_its_html_report_in_headless_chromium() {
    let Some(exe) = chromium() else {
        eprintln!("skipped: no chromium on PATH (apt-get install chromium fonts-noto-cjk to run this test)");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("青岚");
    let docx = root().join("tests/fixtures/qinglan/qinglan-midterm-2024.docx");
    let r = crate::util::guihua(&[
        "new",
        ws.to_str().unwrap(),
        "--from",
        docx.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let eval = crate::util::guihua(&["-C", ws.to_str().unwrap(), "eval", "--format", "json"]);
    let eval = crate::util::json(&eval.stdout);
    let names: Vec<String> = eval["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_string())
        .collect();
    assert!(
        names.len() >= 5,
        "the draft found the indicators: {names:?}"
    );
    let s = serve(&["-C", ws.to_str().unwrap()]);
    let base = format!("http://{}", s.addr);
    let out = screenshots();
    let mut b = Browser::start(exe);

    // Every page loads, none of them saying the rules have errors.
    for path in ["/", "/graph", "/search", "/check", "/rules", "/report"] {
        b.goto(&format!("{base}{path}"));
        b.wait("document.querySelector('h1')");
        assert_eq!(
            b.eval("document.body.textContent.includes('规则有错误')"),
            json!(false),
            "{path}"
        );
    }
    // The table lists every indicator of the evaluation.
    b.goto(&format!("{base}/"));
    for n in &names {
        assert_eq!(
            b.eval(&format!("document.body.textContent.includes({})", json!(n))),
            json!(true),
            "{n} in the table"
        );
    }
    b.shot(&out.join("qinglan-index.png"));
    // A search typed and submitted.
    b.goto(&format!("{base}/search"));
    b.eval(
        "(() => { const f = document.querySelector('form[role=search]'); \
         f.querySelector('input[name=q]').value = '项目'; f.submit(); })()",
    );
    b.wait("location.search.includes('q=') && document.readyState === 'complete' && document.querySelectorAll('.hit mark').length > 0");
    b.shot(&out.join("qinglan-search.png"));
    // An indicator's explanation with its chart.
    b.goto(&format!("{base}/"));
    b.eval("document.querySelector('a[href^=\"/indicator/\"]').click()");
    b.wait("location.pathname.startsWith('/indicator/') && document.readyState === 'complete' && document.body.textContent.includes('判定过程') && document.querySelector('svg')");
    b.shot(&out.join("qinglan-indicator.png"));
    // A goal's graph.
    b.goto(&format!("{base}/graph"));
    b.eval("document.querySelector('form.filter').submit()");
    b.wait("location.search.includes('goal=') && document.readyState === 'complete' && document.querySelector('svg.graph .node')");
    b.shot(&out.join("qinglan-graph.png"));

    // The HTML report, written to a file and opened from disk.
    let r = crate::util::guihua(&[
        "-C",
        ws.to_str().unwrap(),
        "report",
        "-o",
        tmp.path().join("报告.html").to_str().unwrap(),
    ]);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    let url = format!(
        "file://{}/{}",
        tmp.path().display(),
        crate::serve::enc("报告.html")
    );
    b.goto(&url);
    b.wait("document.querySelectorAll('.charts svg').length > 0");
    for n in &names {
        assert_eq!(
            b.eval(&format!("document.body.textContent.includes({})", json!(n))),
            json!(true),
            "{n} in the report"
        );
    }
    let charts = b.eval("document.querySelectorAll('.charts svg[data-indicator]').length");
    assert!(charts.as_u64().unwrap() >= 1, "charts drawn: {charts}");
    // No script ran from the file: it has none.
    assert_eq!(b.eval("document.scripts.length"), json!(0));
    b.shot(&out.join("qinglan-report.png"));
    b.eval("document.getElementById('charts').scrollIntoView()");
    b.shot(&out.join("qinglan-report-charts.png"));
    for f in [
        "qinglan-index.png",
        "qinglan-search.png",
        "qinglan-indicator.png",
        "qinglan-graph.png",
        "qinglan-report.png",
        "qinglan-report-charts.png",
    ] {
        let n = std::fs::metadata(out.join(f)).unwrap().len();
        assert!(n > 20_000, "{f}: a rendered page ({n} bytes)");
    }
}
