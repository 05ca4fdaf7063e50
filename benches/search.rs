//! Search benchmark on a JSONL corpus (`{"id","title","section","text"}` a
//! line, as `../shared/bench/search/make_corpus.py` writes it).
//!
//! Reports, in one run:
//! - segmentation floors, with the same thread count as indexing and
//!   nothing built: jieba (our word analyzer) over every document's whole
//!   text, the floor; and the analyzers the index runs (characters
//!   over everything, jieba words over the title and section); and jieba's
//!   `cut_for_search` with the HMM, the prototype's floor;
//! - index build throughput into a temporary folder (through the library,
//!   as `guihua index` does), and the index size;
//! - query latency (p50/p99, top 10 with snippets and the total count) over
//!   `queries.txt`, warm, like the peer scripts.
//!
//! `bench/search.sh` runs it with the CLI's peak memory and the peers.
//!
//! usage: cargo bench --bench search -- --corpus FILE.jsonl [--threads 2]
//!        [--queries FILE] [--reps 20] [--index DIR]

use guihua::search::store::Input;
use guihua::search::tokenizer::{CharTokenizer, Segmenter, WordTokenizer};
use guihua::search::{Lexicon, SearchIndex};
mod util;

use std::io::BufRead;
use std::path::PathBuf;
use std::time::Instant;
use tantivy::tokenizer::{TokenStream, Tokenizer};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let opt = util::opt;
    let Some(corpus) = opt("--corpus").map(PathBuf::from) else {
        eprintln!("usage: cargo bench --bench search -- --corpus FILE.jsonl [--threads 2] [--queries FILE] [--reps 20]");
        return;
    };
    let threads: usize = opt("--threads").and_then(|v| v.parse().ok()).unwrap_or(2);
    let reps: usize = opt("--reps").and_then(|v| v.parse().ok()).unwrap_or(20);
    let queries_path = opt("--queries").map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/search/queries.txt")
    });
    let queries: Vec<String> = std::fs::read_to_string(&queries_path)
        .map(|t| {
            t.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_else(|_| vec!["月季产业".into(), "城镇化率".into(), "园".into()]);

    // The documents, and the bytes every peer script divides by.
    let file = std::fs::File::open(&corpus).expect("open corpus");
    // (heading, body) of each record.
    let mut texts: Vec<(String, String)> = Vec::new();
    let mut bytes = 0usize;
    for line in std::io::BufReader::new(file).lines() {
        let line = line.expect("read corpus");
        let v: serde_json::Value = serde_json::from_str(&line).expect("JSONL record");
        let s = |k: &str| v[k].as_str().unwrap_or("").to_string();
        let (title, section, text) = (s("title"), s("section"), s("text"));
        bytes += title.len() + section.len() + text.len();
        texts.push((format!("{title}\n{section}"), text));
    }
    let mb = bytes as f64 / 1e6;
    println!(
        "corpus: {} documents, {mb:.1} MB (title+section+text), {threads} thread(s)",
        texts.len()
    );

    // Lexicon as `guihua index` builds it: bundled rules and glossary.
    let loaded = guihua::load::load_texts(guihua::load::bundled_rules(), None);
    let model = loaded.model.expect("bundled rules load");
    let bundled = guihua::corpus::Corpus::bundled();
    let lexicon = Lexicon::new(Some(&model), &Input::corpus(&bundled).glossary);
    let seg = Segmenter::new(lexicon.terms.iter().map(String::as_str));

    // Segmentation floors: analyzers streamed and counted over every
    // record, on `threads` threads, nothing built.
    fn count(stream: &mut impl TokenStream) -> usize {
        let mut n = 0;
        while stream.advance() {
            n += 1;
        }
        n
    }
    type Record = (String, String);
    /// Seconds and the sum of `per_chunk` over `threads` chunks of `texts`.
    fn timed(
        texts: &[Record],
        threads: usize,
        per_chunk: impl Fn(&[Record]) -> usize + Sync,
    ) -> (f64, usize) {
        let t = Instant::now();
        let per = texts.len().div_ceil(threads).max(1);
        let f = &per_chunk;
        let n = std::thread::scope(|sc| {
            let hs: Vec<_> = texts.chunks(per).map(|c| sc.spawn(move || f(c))).collect();
            hs.into_iter().map(|h| h.join().expect("thread")).sum()
        });
        (t.elapsed().as_secs_f64(), n)
    }
    // `index`: what the index runs; otherwise jieba over all the text.
    let floor = |index: bool| {
        timed(&texts, threads, |c| {
            let mut words = WordTokenizer::new(seg.clone());
            let mut chars = CharTokenizer::default();
            c.iter()
                .map(|(head, body)| {
                    if index {
                        count(&mut words.token_stream(head))
                            + count(&mut chars.token_stream(head))
                            + count(&mut chars.token_stream(body))
                    } else {
                        count(&mut words.token_stream(head)) + count(&mut words.token_stream(body))
                    }
                })
                .sum()
        })
    };
    // The prototype's floor: jieba-rs `cut_for_search` with the HMM, on the
    // segmenter's own dictionary (user terms included), the same threads.
    let search_floor = || {
        let j = seg.jieba().expect("Segmenter::new loads the dictionary");
        timed(&texts, threads, |c| {
            c.iter()
                .map(|(h, b)| j.cut_for_search(h, true).len() + j.cut_for_search(b, true).len())
                .sum()
        })
    };
    let skip = args.iter().any(|a| a == "--skip-floor");
    let (t_search, n_search) = if skip { (f64::NAN, 0) } else { search_floor() };
    println!(
        "jieba cut_for_search (HMM) over all text:  {:6.1} MB/s ({n_search} words)",
        mb / t_search
    );
    let (t_jieba, n_words) = if skip { (f64::NAN, 0) } else { floor(false) };
    let (t_index, n_tokens) = if skip { (f64::NAN, 0) } else { floor(true) };
    println!(
        "segmentation floor, jieba over all text:   {:6.1} MB/s ({n_words} words)",
        mb / t_jieba
    );
    println!(
        "the index's analyzers alone:               {:6.1} MB/s ({n_tokens} tokens)",
        mb / t_index
    );

    // Reading the records alone (the single thread that feeds the indexer).
    {
        let input = Input::jsonl(vec![corpus.clone()]);
        let t = Instant::now();
        let n = input.units().filter(|u| u.is_ok()).count();
        println!(
            "reading records alone:                     {:6.1} MB/s ({n} records)",
            mb / t.elapsed().as_secs_f64()
        );
    }

    // Index build (unless an index is given).
    let dir;
    let index = match opt("--index") {
        Some(d) => {
            guihua::search::store::open(std::path::Path::new(&d))
                .expect("open index")
                .0
        }
        None => {
            dir = tempfile_dir();
            let input = Input::jsonl(vec![corpus.clone()]);
            let t = Instant::now();
            // The segmenter is loaded once, before, as for the floors.
            let idx = SearchIndex::build_with(
                input.units(),
                lexicon.clone(),
                seg.clone(),
                Some(&dir),
                threads,
                &mut |_| {},
            )
            .expect("build");
            let secs = t.elapsed().as_secs_f64();
            let size: u64 = std::fs::read_dir(&dir)
                .expect("index dir")
                .flatten()
                .filter_map(|e| e.metadata().ok())
                .map(|m| m.len())
                .sum();
            println!("index build:                               {:6.1} MB/s ({secs:.1} s; {:.0}% of the jieba floor, {:.0}% of cut_for_search, {:.0}% of the index's analyzers), index {:.0} MB", mb / secs, 100.0 * t_jieba / secs, 100.0 * t_search / secs, 100.0 * t_index / secs, size as f64 / 1e6);
            idx
        }
    };

    // Query latency with snippets.
    for q in &queries {
        index.search(q, 10).expect("query");
    }
    let mut all = Vec::new();
    let mut per_query: Vec<(String, usize, f64)> = Vec::new();
    for q in &queries {
        let mut v = Vec::new();
        let mut total = 0;
        for _ in 0..reps {
            let t = Instant::now();
            let r = index.search(q, 10).expect("query");
            v.push(t.elapsed().as_secs_f64() * 1e3);
            total = r.total;
        }
        all.extend(v.iter().copied());
        v.sort_by(f64::total_cmp);
        per_query.push((q.clone(), total, v[v.len() / 2]));
    }
    all.sort_by(f64::total_cmp);
    let pct = |p: f64| all[((all.len() - 1) as f64 * p).round() as usize];
    println!("query top10 + count + snippets: p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms ({} queries x {reps})", pct(0.5), pct(0.99), all[all.len() - 1], queries.len());
    for (q, n, m) in per_query {
        println!("   {q:<20} hits={n:<8} median={m:.3}ms");
    }
    drop(index);
    if opt("--index").is_none() {
        let _ = std::fs::remove_dir_all(
            std::env::temp_dir().join(format!("guihua-bench-index-{}", std::process::id())),
        );
    }
}

fn tempfile_dir() -> PathBuf {
    let d = std::env::temp_dir().join(format!("guihua-bench-index-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}
