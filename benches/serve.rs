//! Load on `guihua serve` over loopback: rounds of 100 concurrent searches
//! (`GET /api/search?q=…`, one connection each, all released at once by a
//! barrier), each timed from its release to the last byte of its answer.
//! Reports p50/p90/p99/max over every request and checks each answer is a
//! 200 with the JSON of the query asked; exits 1 when p99 ≥ 50 ms.
//!
//! The queries are 20 different words and phrases (each asked 5 times a
//! round), so no answer is the same request as every other.
//!
//! usage: cargo bench --bench serve -- [--rounds 10] [--workspace DIR]

mod util;

use std::io::{Read, Write};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

const QUERIES: [&str; 20] = [
    "月季",
    "城镇化率",
    "研发经费",
    "森林覆盖率",
    "城镇新增就业",
    "产业园",
    "乡村振兴",
    "创新平台",
    "生态环境",
    "\"高新技术企业\"",
    "项目 section:附件3",
    "教育 OR 医疗",
    "地区生产总值",
    "居民人均可支配收入",
    "新型显示",
    "文化旅游",
    "交通",
    "污水处理",
    "数字经济",
    "营商环境 -优化",
];
const CONCURRENT: usize = 100;

fn enc(s: &str) -> String {
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

/// One GET: (status, body).
fn get(addr: &str, path: &str) -> (u16, String) {
    let mut s = std::net::TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).expect("read");
    let text = String::from_utf8_lossy(&out).to_string();
    let code = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map_or(String::new(), |(_, b)| b.to_string());
    (code, body)
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    let k = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[k]
}

fn main() {
    let rounds: usize = util::opt("--rounds")
        .and_then(|v| v.parse().ok())
        .unwrap_or(10);
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_guihua"));
    if let Some(ws) = util::opt("--workspace") {
        cmd.args(["-C", &ws]);
    }
    let mut child = cmd
        .args(["serve", "--port", "0"])
        .current_dir(std::env::temp_dir())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start guihua serve");
    let started = Instant::now();
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    let ready = started.elapsed();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .expect("the address")
        .to_string();
    // Warm, one at a time: the answers every concurrent one must equal.
    let paths: Vec<String> = QUERIES
        .iter()
        .map(|q| format!("/api/search?q={}", enc(q)))
        .collect();
    let mut single = Vec::new();
    let mut want = Vec::new();
    for p in &paths {
        let t = Instant::now();
        let (code, body) = get(&addr, p);
        single.push(t.elapsed().as_secs_f64() * 1e3);
        assert_eq!(code, 200, "{p}: {body}");
        want.push(serde_json::from_str::<serde_json::Value>(&body).unwrap());
    }
    single.sort_by(f64::total_cmp);
    let mut all = Vec::new();
    let wall = Instant::now();
    for _ in 0..rounds {
        let barrier = Arc::new(Barrier::new(CONCURRENT));
        let threads: Vec<_> = (0..CONCURRENT)
            .map(|k| {
                let (addr, barrier) = (addr.clone(), barrier.clone());
                let path = paths[k % paths.len()].clone();
                std::thread::spawn(move || {
                    barrier.wait();
                    let t = Instant::now();
                    let r = get(&addr, &path);
                    (k, t.elapsed().as_secs_f64() * 1e3, r)
                })
            })
            .collect();
        for t in threads {
            let (k, ms, (code, body)) = t.join().unwrap();
            assert_eq!(code, 200, "{}: {body}", paths[k % paths.len()]);
            let v: serde_json::Value = serde_json::from_str(&body).unwrap();
            assert_eq!(v, want[k % paths.len()], "{}", paths[k % paths.len()]);
            all.push(ms);
        }
    }
    let wall = wall.elapsed();
    let _ = child.kill();
    let _ = child.wait();
    all.sort_by(f64::total_cmp);
    println!(
        "serve ready in {:.2} s (index, evaluation, check at start)",
        ready.as_secs_f64()
    );
    println!(
        "one at a time: p50 {:.2} ms, max {:.2} ms over {} queries",
        pct(&single, 0.5),
        single.last().unwrap(),
        single.len()
    );
    let p99 = pct(&all, 0.99);
    println!(
        "{CONCURRENT} concurrent × {rounds} rounds = {} searches, all answered right: p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms ({:.0} searches/s)",
        all.len(),
        pct(&all, 0.5),
        pct(&all, 0.9),
        p99,
        all.last().unwrap(),
        all.len() as f64 / wall.as_secs_f64()
    );
    if p99 >= 50.0 {
        println!("FAIL: p99 {p99:.2} ms ≥ 50 ms");
        std::process::exit(1);
    }
    println!("ok: p99 {p99:.2} ms < 50 ms");
}
