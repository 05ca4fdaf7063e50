#!/usr/bin/env bash
# Search benchmark: guihua and its peers on the same generated corpus, in one run.
#
#   bash bench/search.sh [MB]        (default 200; needs ../shared/bench/search)
#
# Generates the corpus with the shared deterministic generator (seed 42),
# builds the index with the real CLI under /usr/bin/time (peak memory), runs
# the Rust bench (segmentation floor, build throughput, query latency with
# snippets), then the peer scripts: SQLite FTS5 trigram always, tantivy-py
# and whoosh+jieba when installed (pip install tantivy whoosh jieba; whoosh
# takes about 7 minutes at 200 MB, so it runs only with PEERS=all).
set -euo pipefail
cd "$(dirname "$0")/.."
MB=${1:-200}
PEER_DIR=${PEER_DIR:-../shared/bench/search}
WORK=${WORK:-/tmp/guihua-search-bench}
mkdir -p "$WORK/corpus"
CORPUS="$WORK/corpus/corpus_${MB}mb.jsonl"
[ -f "$CORPUS" ] || python3 "$PEER_DIR/make_corpus.py" --mb "$MB" --out "$CORPUS"
echo "corpus: $CORPUS ($(md5sum "$CORPUS" | cut -d' ' -f1))"

cargo build --release --quiet
echo "== guihua index (CLI, 2 threads)"
# A fresh build each run (and an index in the layout before format 3, a link
# with an index.gens/ beside it, would be refused).
rm -rf "$WORK/index" "$WORK/index.gens"
/usr/bin/time -f "wall %e s, peak RSS %M KB" target/release/guihua index --corpus "$WORK/corpus" --out "$WORK/index" --threads 2
echo "index size: $(du -sb "$WORK/index" | cut -f1) bytes"

echo "== guihua bench (floor, build, queries)"
cargo bench --quiet --bench search -- --corpus "$CORPUS" --threads 2 --reps 20 --queries "$PEER_DIR/queries.txt"

echo "== peers"
python3 "$PEER_DIR/bench_sqlite_fts5.py" "$CORPUS" --db "$WORK/fts5.db" --reps 20 --no-like
if python3 -c "import tantivy" 2>/dev/null; then
  python3 "$PEER_DIR/bench_tantivy_py.py" "$CORPUS" --dir "$WORK/tantivy_py" || true
fi
if [ "${PEERS:-}" = all ] && python3 -c "import whoosh, jieba" 2>/dev/null; then
  python3 "$PEER_DIR/bench_whoosh.py" "$CORPUS" || true
fi
