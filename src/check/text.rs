//! Reading figures out of Chinese prose: numbers with units, lists of
//! periods (`2021年、2022年、2023年上半年`), lists of values
//! (`9.3%、1.7%和7.2%`), and the statement template that joins them
//! (`…分别为…`, `…为…`, `…分别达到…`, `…分别增长…`).

/// A number as written in the text, with its unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Num {
    /// The value.
    pub value: f64,
    /// Decimals written.
    pub decimals: u8,
    /// The unit after it (`%`, `万人`, `个百分点`, …), maybe empty.
    pub unit: String,
    /// Byte range in the text.
    pub start: usize,
    /// Byte end (after the unit).
    pub end: usize,
}

impl Num {
    /// Half a unit of the last decimal: how far another value may be and agree.
    pub fn tolerance(&self) -> f64 {
        0.5 * 10f64.powi(-(self.decimals as i32)) + 1e-9
    }
}

const UNITS: [&str; 24] = [
    "个百分点",
    "万亩",
    "万人次",
    "万人",
    "万吨",
    "万元",
    "亿元",
    "亿斤",
    "亿",
    "平方公里",
    "公里",
    "%",
    "％",
    "人次",
    "人",
    "个",
    "家",
    "年",
    "岁",
    "件",
    "天",
    "户",
    "项",
    "倍",
];

/// Parses a number at byte `i` of `t` (with an optional minus sign), and
/// the unit after it.
pub fn number_at(t: &str, i: usize) -> Option<Num> {
    let b = t.as_bytes();
    let mut j = i;
    if b.get(j) == Some(&b'-') {
        j += 1;
    }
    let ds = j;
    while j < b.len() && b[j].is_ascii_digit() {
        j += 1;
    }
    if j == ds {
        return None;
    }
    let mut decimals = 0;
    if b.get(j) == Some(&b'.') && b.get(j + 1).is_some_and(u8::is_ascii_digit) {
        j += 1;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
            decimals += 1;
        }
    }
    let value: f64 = t[i..j].parse().ok()?;
    let rest = &t[j..];
    let unit = UNITS
        .iter()
        .find(|u| rest.starts_with(*u))
        .map_or("", |u| *u);
    Some(Num {
        value,
        decimals,
        unit: unit.replace('％', "%"),
        start: i,
        end: j + unit.len(),
    })
}

/// All numbers of a text, left to right (a digit inside a word such as
/// `S234` or a date `7月10日` is still a number; callers decide).
pub fn numbers(t: &str) -> Vec<Num> {
    let mut out = Vec::new();
    let b = t.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let starts = (b[i].is_ascii_digit()
            || (b[i] == b'-' && b.get(i + 1).is_some_and(u8::is_ascii_digit)))
            && (i == 0 || !(b[i - 1].is_ascii_digit() || b[i - 1] == b'.'));
        if starts {
            if let Some(n) = number_at(t, i) {
                i = n.end.max(i + 1);
                out.push(n);
                continue;
            }
        }
        i += 1;
    }
    out
}

/// A year or half-year named in the text: (year, first half?).
pub type Year = (i32, bool);

/// A list of periods at byte `i`: `2021年、2022年、2023年上半年`,
/// `2021年，2022年`, and ranges read as the years they span: `2021年至2023年`,
/// `2021—2023年`, `2021年-2023年和2024年上半年`.
/// Returns the periods and the byte after the list.
pub fn periods_at(t: &str, i: usize) -> Option<(Vec<Year>, usize)> {
    /// A year of four digits at `j`, and the byte after it.
    fn year_at(t: &str, j: usize) -> Option<(i32, usize)> {
        let y = t.get(j..j + 4)?;
        if !y.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let year: i32 = y.parse().ok()?;
        (1990..=2100).contains(&year).then_some((year, j + 4))
    }
    const DASHES: [&str; 7] = ["至", "到", "—", "–", "-", "～", "~"];
    let dash_at = |j: usize| {
        DASHES
            .iter()
            .find(|d| t[j..].starts_with(*d))
            .map(|d| j + d.len())
    };
    let mut out = Vec::new();
    let mut j = i;
    while let Some((first, k)) = year_at(t, j) {
        // `2021—2023年`: the range before its 年.
        let (last, k) = match dash_at(k).and_then(|d| year_at(t, d)) {
            Some((y, e)) if y > first && t[e..].starts_with('年') => (y, e),
            _ => (first, k),
        };
        if !t[k..].starts_with('年') {
            break;
        }
        let mut k = k + '年'.len_utf8();
        // `2021年至2023年`.
        let last = match dash_at(k).and_then(|d| year_at(t, d)) {
            Some((y, e)) if last == first && y > first && t[e..].starts_with('年') => {
                k = e + '年'.len_utf8();
                y
            }
            _ => last,
        };
        if last - first > 10 {
            break;
        }
        let half = t[k..].starts_with("上半年");
        if half {
            k += "上半年".len();
        }
        for y in first..last {
            out.push((y, false));
        }
        out.push((last, half));
        j = k;
        let rest = &t[j..];
        let sep = ["、", "，", "和", "及", ","].iter().find(|s| {
            rest.starts_with(*s)
                && rest[s.len()..]
                    .get(..4)
                    .is_some_and(|y| y.chars().all(|c| c.is_ascii_digit()))
        });
        match sep {
            Some(s) => j += s.len(),
            None => break,
        }
    }
    (!out.is_empty()).then_some((out, j))
}

/// A list of values at byte `i`: `9.3%、1.7%、7.2%`, `1.96人、2.91人和3.7人`,
/// `10.3个、3.1个百分点`. A unit written only after the last applies to all.
pub fn values_at(t: &str, i: usize) -> Option<(Vec<Num>, usize)> {
    let mut out: Vec<Num> = Vec::new();
    let mut j = i;
    loop {
        let n = number_at(t, j)?;
        j = n.end;
        out.push(n);
        let rest = &t[j..];
        let sep = ["、", "和", "，"].iter().find(|s| {
            rest.starts_with(*s)
                && rest[s.len()..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_digit() || c == '-')
        });
        // A year after the separator starts the next statement
        // (`2021年为40.6%、2022年为41.2%`): the list ends here.
        if let Some(s) = sep {
            let next = number_at(t, j + s.len());
            if next.is_some_and(|m| m.unit == "年" || t[m.end..].starts_with('年')) {
                break;
            }
        }
        match sep {
            // A comma ends a list unless another number of the same unit
            // follows (`8300人，2024年上半年…` ends it).
            Some(&"，") => {
                let same = number_at(t, j + "，".len()).is_some_and(|m| {
                    m.unit == out[out.len() - 1].unit && !t[m.end..].starts_with('年')
                });
                if !same {
                    break;
                }
                j += "，".len();
            }
            Some(s) => j += s.len(),
            None => break,
        }
    }
    // `10.3个、3.1个百分点`: the fullest unit is everyone's.
    let last = out.last().map(|n| n.unit.clone()).unwrap_or_default();
    for n in out.iter_mut() {
        if n.unit.is_empty() || (last.starts_with(n.unit.as_str()) && last.len() > n.unit.len()) {
            n.unit = last.clone();
        }
    }
    Some((out, j))
}

/// The verbs that join a name to its values, longest first.
pub const VERBS: [&str; 9] = [
    "分别为",
    "分别达到",
    "分别增长",
    "分别提高",
    "分别是",
    "均为",
    "达到",
    "增长",
    "为",
];

/// The first of [`VERBS`] in `s` (the longest of those starting there):
/// its byte offset and the verb.
pub fn first_verb(s: &str) -> Option<(usize, &'static str)> {
    s.char_indices()
        .filter(|&(_, c)| matches!(c, '分' | '均' | '达' | '增' | '为'))
        .find_map(|(k, _)| {
            VERBS
                .iter()
                .filter(|v| s[k..].starts_with(*v))
                .max_by_key(|v| v.len())
                .map(|v| (k, *v))
        })
}

/// Similarity of two names: Dice coefficient of their character bigrams,
/// bracketed parts and units left out.
pub fn similarity(a: &str, b: &str) -> f64 {
    NameKey::new(a).similarity(&NameKey::new(b))
}

/// A name as [`similarity`] compares it: its characters outside brackets,
/// without spaces and punctuation, and their bigrams. A name compared
/// with many is read once.
#[derive(Debug, Clone)]
pub struct NameKey {
    chars: Vec<char>,
    bigrams: Vec<(char, char)>,
}

impl NameKey {
    /// Reads a name.
    pub fn new(s: &str) -> NameKey {
        let mut chars = Vec::new();
        let mut depth = 0;
        for c in s.chars() {
            match c {
                '（' | '(' => depth += 1,
                '）' | ')' => depth -= 1,
                '“' | '”' | '，' | '、' | '。' => {}
                _ if depth == 0 && !c.is_whitespace() => chars.push(c),
                _ => {}
            }
        }
        let bigrams = chars.windows(2).map(|w| (w[0], w[1])).collect();
        NameKey { chars, bigrams }
    }

    /// [`similarity`] of the two names.
    pub fn similarity(&self, other: &NameKey) -> f64 {
        let (a, b) = (&self.chars, &other.chars);
        if a.len() < 2 || b.len() < 2 {
            return if a == b && !a.is_empty() { 1.0 } else { 0.0 };
        }
        let (x, y) = (&self.bigrams, &other.bigrams);
        let mut used = vec![false; y.len()];
        let mut common = 0;
        for p in x {
            if let Some(k) = (0..y.len()).find(|&k| !used[k] && y[k] == *p) {
                used[k] = true;
                common += 1;
            }
        }
        2.0 * common as f64 / (x.len() + y.len()) as f64
    }
}

/// The sentence of byte `i`: from after the previous `。` to the next.
pub fn sentence_around(t: &str, i: usize) -> (usize, usize) {
    let mut i = i.min(t.len());
    while !t.is_char_boundary(i) {
        i -= 1;
    }
    let s = t[..i].rfind('。').map_or(0, |k| k + '。'.len_utf8());
    let e = t[i..].find('。').map_or(t.len(), |k| i + k);
    (s, e)
}

/// Words right after a figure that make it a target: `7%的规划目标`,
/// `5.5%的控制目标`, `60%的时间进度`.
const TARGET_AFTER: [&str; 6] = ["目标", "要求", "任务", "预期", "时间进度", "时序进度"];
/// Words in a figure's clause before it that make it a requirement:
/// `力争达到`, `若要在2025年达到`.
const TARGET_CLAUSE: [&str; 9] = [
    "力争",
    "争取",
    "确保",
    "要求",
    "计划",
    "若要",
    "才能",
    "目标为",
    "目标是",
];
/// Words right before a figure's verb that make it a requirement:
/// `两年需年均增长`, `仍需再下降`, `应达到`.
const TARGET_VERB: [&str; 6] = ["需", "需要", "须", "要", "应", "应当"];

/// Whether the figure in bytes `at..end` of `t` (its key word and number)
/// is a target or a requirement rather than a claim.
pub fn is_target(t: &str, at: usize, end: usize) -> bool {
    let mut rest = &t[end.min(t.len())..];
    for w in ["左右", "以上", "以下", "以内", "上下"] {
        rest = rest.strip_prefix(w).unwrap_or(rest);
    }
    let rest = rest.strip_prefix('的').unwrap_or(rest);
    let head: String = rest
        .chars()
        .take_while(|c| !"，。；、".contains(*c))
        .take(6)
        .collect();
    if TARGET_AFTER.iter().any(|w| head.contains(w)) {
        return true;
    }
    let mut before = &t[..at];
    for w in ["年均", "平均", "再", "每年", "继续"] {
        before = before.strip_suffix(w).unwrap_or(before);
    }
    if TARGET_VERB.iter().any(|w| before.ends_with(w)) {
        return true;
    }
    let clause_start = t[..at]
        .rfind(['，', '。', '；', '：'])
        .map_or(0, |k| k + '，'.len_utf8());
    let clause = &t[clause_start.min(at)..at];
    TARGET_CLAUSE.iter().any(|w| clause.contains(w))
}

/// Whether a statement's own name says nothing of its subject (`全区`,
/// `其中`, empty), so the subject is carried from before.
pub fn is_blank_subject(name: &str) -> bool {
    let mut n = name.trim_matches(|c: char| c.is_whitespace() || "，、。；：".contains(c));
    for w in [
        "全区", "全市", "全县", "全省", "全镇", "本区", "本市", "其中", "同期", "分别", "依次",
        "均",
    ] {
        n = n.strip_prefix(w).unwrap_or(n);
    }
    n.chars().filter(|c| !"，、。；： ".contains(*c)).count() < 2
}

/// A heading or subject without its leading number: `1.经济运行总体回升` →
/// `经济运行总体回升`, `（三）森林覆盖率` → `森林覆盖率`.
pub fn strip_lead_number(s: &str) -> &str {
    let s = s.trim();
    let d = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    if d > 0 {
        if let Some(r) = s[d..].strip_prefix(['.', '．', '、']) {
            return r;
        }
    }
    if let Some(r) = s.strip_prefix('（') {
        if let Some(k) = r.find('）') {
            if r[..k].chars().all(|c| "一二三四五六七八九十".contains(c)) {
                return &r[k + '）'.len_utf8()..];
            }
        }
    }
    s
}
