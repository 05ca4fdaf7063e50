//! The query language: words (all must match, ranked), `"phrases"`, `OR`,
//! `NOT` / `-word`, parentheses, and `section:词` to keep hits under a
//! heading.
//!
//! ```text
//! 月季                      a word
//! 高新技术企业 数量 对比     all three (then, if too few, any of them)
//! "2022年 地区生产总值"      a phrase (spaces inside are ignored)
//! 养老 OR 托育              either
//! +增速                     this word exactly (never split into sub-words)
//! 乡村振兴 -艾草             without
//! section:附件3 项目         under a heading containing 附件3
//! ```

use std::fmt;

/// A parsed query.
#[derive(Debug, Clone, PartialEq)]
pub enum Query {
    /// A word, matched as a substring; a search that finds too few may
    /// relax it into its sub-words.
    Text(String),
    /// A `"phrase"` or `+word`: matched as a substring, never relaxed.
    Exact(String),
    /// `section:…`: hits under a heading containing this.
    Section(String),
    /// `NOT x`, `-x`
    Not(Box<Query>),
    /// All of these.
    And(Vec<Query>),
    /// Any of these.
    Or(Vec<Query>),
}

/// A malformed query, with the character column where it goes wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryError {
    /// What is wrong.
    pub message: String,
    /// 1-based column (in characters).
    pub column: usize,
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "第 {} 列 (column {})：{}",
            self.column, self.column, self.message
        )
    }
}

pub use crate::limits::MAX_QUERY_DEPTH as MAX_DEPTH;
use crate::limits::{MAX_QUERY_CHARS, MAX_QUERY_NOT_RUN, MAX_QUERY_TERMS};

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    LParen,
    RParen,
    Or,
    And,
    Not,
    Phrase(String),
    Section(String),
    Word(String),
    Exact(String),
}

fn lex(q: &str) -> Result<Vec<(usize, Tok)>, QueryError> {
    let cs: Vec<char> = q.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < cs.len() {
        let c = cs[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let col = i + 1;
        match c {
            '(' | '（' => {
                out.push((col, Tok::LParen));
                i += 1;
            }
            ')' | '）' => {
                out.push((col, Tok::RParen));
                i += 1;
            }
            '"' | '“' | '”' => {
                let close: &[char] = if c == '"' { &['"'] } else { &['”', '“'] };
                let Some(end) = cs[i + 1..].iter().position(|x| close.contains(x)) else {
                    return Err(QueryError {
                        message: "引号没有闭合，请补上 `\"` (unclosed quote: add a closing `\"`)"
                            .into(),
                        column: col,
                    });
                };
                let phrase: String = cs[i + 1..i + 1 + end].iter().collect();
                // `“六宜”` quotes a slogan: search the slogan.
                out.push((col, Tok::Phrase(phrase)));
                i += end + 2;
            }
            // `-word` at the start of a token excludes; `1-7月` stays a word.
            '-' if cs.get(i + 1).is_some_and(|n| !n.is_whitespace()) => {
                out.push((col, Tok::Not));
                i += 1;
            }
            _ => {
                let start = i;
                while i < cs.len()
                    && !cs[i].is_whitespace()
                    && !matches!(cs[i], '(' | ')' | '（' | '）' | '"' | '“' | '”')
                {
                    i += 1;
                }
                let w: String = cs[start..i].iter().collect();
                let tok = match w.as_str() {
                    "OR" | "或" | "|" => Tok::Or,
                    "AND" | "且" | "&" => Tok::And,
                    "NOT" | "非" => Tok::Not,
                    _ => match w
                        .strip_prefix("section:")
                        .or_else(|| w.strip_prefix("章节:"))
                        .or_else(|| w.strip_prefix("章节："))
                    {
                        Some("") => {
                            return Err(QueryError {
                                message: "`section:` 后面要跟标题中的词 (`section:` needs a heading word after it)".into(),
                                column: col,
                            })
                        }
                        Some(s) => Tok::Section(s.to_string()),
                        None => match w.strip_prefix('+').or_else(|| w.strip_prefix('＋')) {
                            Some(x) if !x.is_empty() => Tok::Exact(x.to_string()),
                            _ => Tok::Word(w),
                        },
                    },
                };
                out.push((col, tok));
            }
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<(usize, Tok)>,
    i: usize,
    end_col: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.i).map(|(_, t)| t)
    }
    fn col(&self) -> usize {
        self.toks.get(self.i).map_or(self.end_col, |(c, _)| *c)
    }
    fn or(&mut self, depth: usize) -> Result<Query, QueryError> {
        let mut parts = vec![self.and(depth)?];
        while self.peek() == Some(&Tok::Or) {
            self.i += 1;
            parts.push(self.and(depth)?);
        }
        Ok(if parts.len() == 1 {
            parts.pop().expect("one")
        } else {
            Query::Or(parts)
        })
    }
    fn and(&mut self, depth: usize) -> Result<Query, QueryError> {
        let mut parts = Vec::new();
        loop {
            match self.peek() {
                None | Some(Tok::RParen) | Some(Tok::Or) => break,
                Some(Tok::And) => {
                    self.i += 1;
                }
                _ => parts.push(self.unary(depth)?),
            }
        }
        if parts.is_empty() {
            return Err(QueryError {
                message: "这里应当是一个检索词 (expected a word here)".into(),
                column: self.col(),
            });
        }
        Ok(if parts.len() == 1 {
            parts.pop().expect("one")
        } else {
            Query::And(parts)
        })
    }
    fn unary(&mut self, depth: usize) -> Result<Query, QueryError> {
        // `NOT NOT x` is `x`: a run of negations is counted, not recursed.
        let mut nots = 0usize;
        while self.peek() == Some(&Tok::Not) {
            nots += 1;
            if nots > MAX_QUERY_NOT_RUN {
                return Err(QueryError {
                    message: format!(
                        "连续的 `NOT` / `-` 超过 {MAX_QUERY_NOT_RUN} 个 (more than {MAX_QUERY_NOT_RUN} `NOT` / `-` in a row)"
                    ),
                    column: self.col(),
                });
            }
            self.i += 1;
        }
        if nots > 0 {
            if matches!(self.peek(), None | Some(Tok::RParen) | Some(Tok::Or)) {
                return Err(QueryError {
                    message: "`NOT` 后面要跟一个词 (`NOT` needs a word after it)".into(),
                    column: self.col(),
                });
            }
            let q = self.primary(depth)?;
            return Ok(if nots % 2 == 1 {
                Query::Not(Box::new(q))
            } else {
                q
            });
        }
        self.primary(depth)
    }
    fn primary(&mut self, depth: usize) -> Result<Query, QueryError> {
        let col = self.col();
        match self.toks.get(self.i).cloned() {
            Some((_, Tok::LParen)) => {
                if depth >= MAX_DEPTH {
                    return Err(QueryError {
                        message: format!("括号嵌套超过 {MAX_DEPTH} 层 (parentheses nested more than {MAX_DEPTH} deep)"),
                        column: col,
                    });
                }
                self.i += 1;
                let q = self.or(depth + 1)?;
                if self.peek() != Some(&Tok::RParen) {
                    return Err(QueryError {
                        message: "括号没有闭合，请补上 `)` (unclosed `(`: add a `)`)".into(),
                        column: col,
                    });
                }
                self.i += 1;
                Ok(q)
            }
            Some((_, Tok::Phrase(p))) | Some((_, Tok::Exact(p))) => {
                self.i += 1;
                Ok(Query::Exact(p))
            }
            Some((_, Tok::Section(s))) => {
                self.i += 1;
                Ok(Query::Section(s))
            }
            Some((_, Tok::Word(w))) => {
                self.i += 1;
                Ok(Query::Text(w))
            }
            _ => Err(QueryError {
                message: "这里应当是一个检索词 (expected a word here)".into(),
                column: col,
            }),
        }
    }
}

/// Parses a query.
pub fn parse(q: &str) -> Result<Query, QueryError> {
    let chars = q.chars().count();
    if chars > MAX_QUERY_CHARS {
        return Err(QueryError {
            message: format!(
                "检索式有 {chars} 个字符，超过上限 {MAX_QUERY_CHARS} (the query has {chars} characters; at most {MAX_QUERY_CHARS})"
            ),
            column: MAX_QUERY_CHARS + 1,
        });
    }
    let toks = lex(q)?;
    if toks.len() > MAX_QUERY_TERMS {
        return Err(QueryError {
            message: format!(
                "检索式有 {} 个词和运算符，超过上限 {MAX_QUERY_TERMS} (the query has {} words and operators; at most {MAX_QUERY_TERMS})",
                toks.len(),
                toks.len()
            ),
            column: toks[MAX_QUERY_TERMS].0,
        });
    }
    if toks.is_empty() {
        return Err(QueryError {
            message: "检索式为空 (empty query)".into(),
            column: 1,
        });
    }
    let mut p = Parser {
        toks,
        i: 0,
        end_col: q.chars().count() + 1,
    };
    let query = p.or(0)?;
    if let Some((col, t)) = p.toks.get(p.i) {
        let message = if *t == Tok::RParen {
            "多了一个 `)` (unmatched `)`)".to_string()
        } else {
            "这里的输入无法理解 (unexpected input)".to_string()
        };
        return Err(QueryError {
            message,
            column: *col,
        });
    }
    if !has_positive(&query) {
        return Err(QueryError {
            message: "检索式至少要有一个要找的词，不能只有要排除的词 (a query needs a word to find, not only words to exclude)".into(),
            column: 1,
        });
    }
    Ok(query)
}

/// Whether a query finds anything by itself (not only exclusions).
fn has_positive(q: &Query) -> bool {
    match q {
        Query::Text(_) | Query::Exact(_) | Query::Section(_) => true,
        Query::Not(_) => false,
        Query::And(v) => v.iter().any(has_positive),
        Query::Or(v) => v.iter().all(has_positive),
    }
}

/// The words and phrases a query looks for (to highlight), outermost first.
pub fn positive_texts(q: &Query) -> Vec<String> {
    let mut out = Vec::new();
    fn walk(q: &Query, out: &mut Vec<String>) {
        match q {
            Query::Text(t) | Query::Exact(t) => out.push(t.clone()),
            Query::And(v) | Query::Or(v) => v.iter().for_each(|x| walk(x, out)),
            Query::Not(_) | Query::Section(_) => {}
        }
    }
    walk(q, &mut out);
    out
}
