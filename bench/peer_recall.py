#!/usr/bin/env python3
"""Recall@5 and MRR of guihua and its peers on a relevance set, on one report.

Peers index the report's lines (markers removed, TOC page numbers dropped,
runs of tab-led table cells joined into one "a | b" row, as make_corpus.py
cleans them), one document a line, and answer each query with their own
semantics; guihua answers through `guihua search --format json`.

usage: python3 bench/peer_recall.py [--queries FILE.jsonl] [--corpus DIR]
  e.g. --queries tests/fixtures/relevance/qinglan.jsonl --corpus tests/fixtures/qinglan

whoosh + jieba (ChineseAnalyzer, OR of the query's words) runs when the
`whoosh` and `jieba` packages are installed (pip install whoosh jieba).
"""
import argparse
import json
import os
import re
import sqlite3
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEED = None
MARKER = re.compile(r"\[[A-Za-z]+: [^\]]*\]")


def paragraphs():
    out, row = [], []
    for line in open(SEED, encoding="utf-8"):
        raw = line.rstrip("\n")
        if raw.startswith("\t"):
            row.append(MARKER.sub("", raw).strip())
            continue
        if row:
            out.append(" | ".join(c for c in row if c))
            row = []
        t = re.sub(r"\t+\d+\s*$", "", MARKER.sub("", raw)).strip()
        if t:
            out.append(t)
    if row:
        out.append(" | ".join(c for c in row if c))
    return out


def score(ranked, relevant):
    top5 = ranked[:5]
    rec = sum(any(s in t for t in top5) for s in relevant) / len(relevant)
    rr = next((1 / (i + 1) for i, t in enumerate(ranked[:10]) if any(s in t for s in relevant)), 0)
    return rec, rr


def whoosh_jieba(paras):
    import logging
    import tempfile

    import jieba
    from jieba.analyse import ChineseAnalyzer
    from whoosh import index
    from whoosh.fields import ID, TEXT, Schema
    from whoosh.qparser import OrGroup, QueryParser

    jieba.setLogLevel(logging.WARNING)
    d = tempfile.mkdtemp()
    ix = index.create_in(d, Schema(n=ID(stored=True), text=TEXT(stored=True, analyzer=ChineseAnalyzer())))
    w = ix.writer()
    for i, t in enumerate(paras):
        w.add_document(n=str(i), text=t)
    w.commit()
    parser = QueryParser("text", ix.schema, group=OrGroup)
    searcher = ix.searcher()

    def run(q):
        return [h["text"] for h in searcher.search(parser.parse(q), limit=10)]

    return run


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--queries", default=os.path.join(ROOT, "tests", "fixtures", "search", "search_public.jsonl"))
    ap.add_argument("--corpus", default=os.path.join(ROOT, "corpus"), help="folder holding the report as .txt")
    a = ap.parse_args()
    global SEED
    SEED = os.path.join(a.corpus, sorted(f for f in os.listdir(a.corpus) if f.endswith(".txt"))[0])
    qs = [json.loads(l) for l in open(a.queries, encoding="utf-8") if l.strip()]
    paras = paragraphs()

    con = sqlite3.connect(":memory:")
    con.execute("CREATE VIRTUAL TABLE p USING fts5(text, tokenize='trigram')")
    con.executemany("INSERT INTO p VALUES (?)", [(t,) for t in paras])

    def fts(q):
        e = " AND ".join('"' + w.replace('"', '""') + '"' for w in q.split())
        try:
            return [r[0] for r in con.execute("SELECT text FROM p WHERE p MATCH ? ORDER BY rank LIMIT 10", (e,))]
        except sqlite3.OperationalError:
            return []

    def substring(q):
        words = q.split()
        hits = [(sum(t.count(w) for w in words), t) for t in paras if all(w in t for w in words)]
        return [t for _, t in sorted(hits, key=lambda x: -x[0])][:10]

    exe = os.path.join(ROOT, "target", "release", "guihua")

    def guihua(q):
        out = subprocess.run([exe, "--corpus", a.corpus, "search", q, "--format", "json", "--limit", "10"], capture_output=True, text=True, check=True)
        return [h["text"] for h in json.loads(out.stdout)["hits"]]

    peers = [("guihua", guihua), ("sqlite-fts5-trigram (AND)", fts), ("substring count (AND)", substring)]
    try:
        peers.append(("whoosh + jieba (OR)", whoosh_jieba(paras)))
    except ImportError:
        print("(whoosh or jieba not installed: pip install whoosh jieba)")
    for name, run in peers:
        rs = [score(run(q["query"]), q["relevant"]) for q in qs]
        print(f"{name:<28} recall@5 {sum(r for r, _ in rs) / len(rs):.2f}  MRR {sum(m for _, m in rs) / len(rs):.2f}")


if __name__ == "__main__":
    main()
