//! Throughput of reading .docx reports, against the floor of unzipping the
//! same parts and reading every XML event of them with quick-xml.
//!
//! The corpus is generated in memory from the public report
//! (tests/fixtures/qinglan/qinglan-midterm-2024.docx): each copy gets its
//! own place names and figures in document.xml, and is zipped again
//! (deflate), so no two documents are the same bytes. Three timings per
//! run over the whole corpus:
//! - floor: open the zip, inflate the parts the reader reads (package and
//!   document relationships, styles, document, charts), and run a quick-xml
//!   event loop over each that reads every event;
//! - reader: `corpus::docx::from_bytes` (the text form and the layout);
//! - ingest: the reader, then `Document::new` and `ingest` (the units).
//!
//! usage: cargo bench --bench docx -- [--docs 200] [--reps 7]

use guihua::corpus::{docx, ingest, Document};
use std::io::{Read, Write};
use std::time::Instant;
mod util;

/// The parts the reader reads: their names in one package.
fn parts_read(z: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>) -> Vec<String> {
    let mut v: Vec<String> = z
        .file_names()
        .filter(|n| {
            *n == "_rels/.rels"
                || *n == "word/_rels/document.xml.rels"
                || *n == "word/styles.xml"
                || *n == "word/document.xml"
                || (n.starts_with("word/charts/") && n.ends_with(".xml") && !n.contains("/_rels/"))
        })
        .map(str::to_string)
        .collect();
    v.sort();
    v
}

/// Unzip + read every XML event of the parts; returns the events seen.
fn floor(bytes: &[u8]) -> usize {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let mut events = 0;
    for name in parts_read(&mut z) {
        let mut s = String::new();
        z.by_name(&name)
            .expect("part")
            .read_to_string(&mut s)
            .expect("utf-8");
        let mut r = quick_xml::Reader::from_str(&s);
        loop {
            match r.read_event().expect("xml") {
                quick_xml::events::Event::Eof => break,
                e => {
                    std::hint::black_box(&e);
                    events += 1;
                }
            }
        }
    }
    events
}

/// The public report, varied: `k` changes names and digits of document.xml.
fn variant(src: &[u8], k: usize) -> Vec<u8> {
    const NAMES: [&str; 10] = [
        "青岚", "白河", "松岭", "云溪", "石门", "柳岸", "金沙", "碧湖", "翠屏", "梅林",
    ];
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(src)).expect("zip");
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..z.len() {
        let mut f = z.by_index(i).expect("part");
        let name = f.name().to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).expect("read");
        if name == "word/document.xml" {
            let s = String::from_utf8(data).expect("utf-8");
            let s = s.replace("青岚", NAMES[k % NAMES.len()]);
            // Rotate the digits of the text by k (tags hold none that matter
            // to the reader but ids, which stay unique under a rotation).
            let d = (k % 9 + 1) as u8;
            let mut in_tag = false;
            let s: String = s
                .chars()
                .map(|c| match c {
                    '<' => {
                        in_tag = true;
                        c
                    }
                    '>' => {
                        in_tag = false;
                        c
                    }
                    '0'..='9' if !in_tag => (b'0' + (c as u8 - b'0' + d) % 10) as char,
                    _ => c,
                })
                .collect();
            data = s.into_bytes();
        }
        out.start_file(name, opts).expect("start");
        out.write_all(&data).expect("write");
    }
    out.finish().expect("finish").into_inner()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let n: usize = util::opt("--docs")
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let reps: usize = util::opt("--reps")
        .and_then(|v| v.parse().ok())
        .unwrap_or(7);
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let src = std::fs::read(root.join("tests/fixtures/qinglan/qinglan-midterm-2024.docx"))
        .expect("the public report");
    let docs: Vec<Vec<u8>> = (0..n).map(|k| variant(&src, k)).collect();
    let zipped: usize = docs.iter().map(Vec::len).sum();
    // The XML the reader inflates, for MB/s.
    let xml: usize = docs
        .iter()
        .map(|b| {
            let mut z = zip::ZipArchive::new(std::io::Cursor::new(b.as_slice())).expect("zip");
            parts_read(&mut z)
                .iter()
                .map(|p| z.by_name(p).expect("part").size() as usize)
                .sum::<usize>()
        })
        .sum();
    let text: usize = docs
        .iter()
        .map(|b| docx::from_bytes(b).expect("reads").text.len())
        .sum();
    println!(
        "{n} generated reports: {:.1} MB zipped, {:.1} MB of XML read, {:.1} MB of text",
        zipped as f64 / 1e6,
        xml as f64 / 1e6,
        text as f64 / 1e6
    );

    let (mut tf, mut tr, mut ti) = (Vec::new(), Vec::new(), Vec::new());
    let mut units = 0;
    for _ in 0..reps {
        let t = Instant::now();
        let e: usize = docs.iter().map(|b| floor(b)).sum();
        std::hint::black_box(e);
        tf.push(t.elapsed().as_secs_f64());

        let t = Instant::now();
        for b in &docs {
            std::hint::black_box(docx::from_bytes(b).expect("reads"));
        }
        tr.push(t.elapsed().as_secs_f64());

        let t = Instant::now();
        units = 0;
        for (k, b) in docs.iter().enumerate() {
            let w = docx::from_bytes(b).expect("reads");
            let mut d = Document::new(format!("r{k}.docx"), w.text);
            d.layout = w.layout;
            units += ingest::ingest(&d).units.len();
        }
        ti.push(t.elapsed().as_secs_f64());
    }
    let (f, r, i) = (median(tf), median(tr), median(ti));
    let mbs = |s: f64| xml as f64 / 1e6 / s;
    println!("median of {reps} runs over all {n} reports:");
    println!(
        "  floor (unzip + quick-xml events): {:.3} s, {:.1} MB/s of XML, {:.0} reports/s",
        f,
        mbs(f),
        n as f64 / f
    );
    println!(
        "  docx reader (text + layout):      {:.3} s, {:.1} MB/s, {:.0} reports/s, {:.2}x the floor",
        r,
        mbs(r),
        n as f64 / r,
        r / f
    );
    println!(
        "  reader + ingest ({units} units):  {:.3} s, {:.1} MB/s, {:.0} reports/s, {:.2}x the floor",
        i,
        mbs(i),
        n as f64 / i,
        i / f
    );
}
