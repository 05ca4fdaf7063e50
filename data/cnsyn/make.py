#!/usr/bin/env python3
"""Writes data/cnsyn/synonyms.txt from cnsyn 1.2.0's sim_words.txt.

    pip download --no-deps -d /tmp/cnsyn cnsyn==1.2.0
    unzip -q /tmp/cnsyn/cnsyn-1.2.0-py3-none-any.whl -d /tmp/cnsyn/whl
    python3 data/cnsyn/make.py /tmp/cnsyn/whl/cnsyn/chinese_dictionary/sim_words.txt

cnsyn's groups are broad (养老 beside 社会保障, 增长 beside 丰富; groups of
dozens of words mix 外资 with 内资), so only pairs that look like two ways
of writing one thing are kept: from groups of at most MAX_GROUP words, both
words of 2-6 Chinese characters, sharing at least one character, neither
holding the other (a longer word containing a shorter one adds no hit one
way and only broadens the other).

Output: one line a word, `word synonym synonym…`, lines sorted by their
UTF-8 bytes (as `LC_ALL=C sort`), so that src/search/general.rs finds a
word by binary search without loading the file.
"""
import sys

MAX_GROUP = 8


def cjk(w):
    return all('\u4e00' <= c <= '\u9fff' for c in w)


def main(src, dst):
    pairs = set()
    for line in open(src, encoding='utf-8'):
        if len(line.split()) > MAX_GROUP:
            continue
        words = [w for w in line.split() if 2 <= len(w) <= 6 and cjk(w)]
        words = list(dict.fromkeys(words))
        for i, a in enumerate(words):
            for b in words[i + 1:]:
                if a in b or b in a or not set(a) & set(b):
                    continue
                pairs.add(tuple(sorted((a, b))))
    by_word = {}
    for a, b in pairs:
        by_word.setdefault(a, set()).add(b)
        by_word.setdefault(b, set()).add(a)
    with open(dst, 'w', encoding='utf-8') as out:
        for w in sorted(by_word, key=lambda w: w.encode('utf-8')):
            out.write(w + ' ' + ' '.join(sorted(by_word[w])) + '\n')
    print(len(pairs), 'pairs', len(by_word), 'words')


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else 'data/cnsyn/synonyms.txt')
