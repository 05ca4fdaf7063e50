//! Name resolution: what a planner types (`城镇化率`, `G1`, `养老`) → one
//! indicator or graph node, or an error that says why not and what would be
//! valid. One rule for every command: an exact id, then an exact name or
//! alias, then a part of a name or id that only one entry has.

use crate::limits::echo;
use std::fmt;

/// What is being looked up, for the messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    /// An indicator of the plan.
    Indicator,
    /// A node of the plan graph (goal, task, project, measure…).
    Node,
}

impl What {
    fn zh(self) -> &'static str {
        match self {
            What::Indicator => "指标",
            What::Node => "节点",
        }
    }

    fn en(self) -> &'static str {
        match self {
            What::Indicator => "indicator",
            What::Node => "node",
        }
    }
}

/// Why a name did not resolve to exactly one entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResolveError {
    /// An empty (or blank) name. `guihua graph supports ""`.
    Empty(What),
    /// Nothing has that id or name; the closest, if any.
    /// `guihua explain 城镇画率` (did you mean 城镇化率?).
    NotFound {
        /// Indicator or node.
        what: What,
        /// What was typed.
        key: String,
        /// The closest id or name.
        closest: Option<String>,
    },
    /// Several entries have it in their name or id: (id, name) of each.
    /// `guihua explain 人均`.
    Ambiguous {
        /// Indicator or node.
        what: What,
        /// What was typed.
        key: String,
        /// (id, name) of every entry that matches.
        candidates: Vec<(String, String)>,
    },
}

/// How many candidates a message lists before "and n more".
const SHOWN: usize = 12;

impl fmt::Display for ResolveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Chinese first, English alongside, like docs/language.md.
        match self {
            ResolveError::Empty(w) => write!(
                f,
                "名称为空：请给出{0}的编号、名称或名称中的一段 (empty name: give an id, a name or part of one)",
                w.zh()
            ),
            ResolveError::NotFound {
                what,
                key,
                closest: Some(s),
            } => write!(
                f,
                "没有这个{0} `{1}`，是不是 `{2}`？(no such {3} `{1}`; did you mean `{2}`?)",
                what.zh(),
                echo(key),
                s,
                what.en()
            ),
            ResolveError::NotFound {
                what,
                key,
                closest: None,
            } => write!(
                f,
                "没有这个{0} `{1}` (no such {2} `{1}`)",
                what.zh(),
                echo(key),
                what.en()
            ),
            ResolveError::Ambiguous {
                what,
                key,
                candidates,
            } => {
                let list: Vec<String> = candidates
                    .iter()
                    .take(SHOWN)
                    .map(|(id, name)| format!("`{id}`（{name}）"))
                    .collect();
                write!(
                    f,
                    "有 {1} 个{2}符合 `{0}`，请写得更具体 (several {3}s match `{0}`): {4}",
                    echo(key),
                    candidates.len(),
                    what.zh(),
                    what.en(),
                    list.join(", ")
                )?;
                if candidates.len() > SHOWN {
                    let more = candidates.len() - SHOWN;
                    write!(f, " …及另外 {more} 个 (and {more} more)")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for ResolveError {}

/// One entry that can be named: its id, its name and any aliases.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    /// The id (`城镇化率`, `G1`).
    pub id: &'a str,
    /// The full name (`常住人口城镇化率`).
    pub name: &'a str,
    /// Other exact names.
    pub aliases: &'a [String],
}

/// Finds the one entry `key` names: an exact id, then an exact name or
/// alias, then a part of a name, id or alias that only one entry has.
pub fn resolve<'a>(
    key: &str,
    what: What,
    entries: impl Iterator<Item = Entry<'a>> + Clone,
) -> Result<usize, ResolveError> {
    let key = key.trim();
    if key.is_empty() {
        return Err(ResolveError::Empty(what));
    }
    if let Some(i) = entries.clone().position(|e| e.id == key) {
        return Ok(i);
    }
    if let Some(i) = entries
        .clone()
        .position(|e| e.name == key || e.aliases.iter().any(|a| a == key))
    {
        return Ok(i);
    }
    let hits: Vec<Entry<'a>> = entries
        .clone()
        .filter(|e| {
            e.name.contains(key) || e.id.contains(key) || e.aliases.iter().any(|a| a.contains(key))
        })
        .collect();
    match hits.as_slice() {
        [one] => Ok(entries
            .clone()
            .position(|e| e.id == one.id)
            .expect("a hit is an entry")),
        [] => Err(ResolveError::NotFound {
            what,
            key: key.to_string(),
            closest: crate::span::did_you_mean(key, entries.flat_map(|e| [e.id, e.name]))
                .map(str::to_string),
        }),
        _ => Err(ResolveError::Ambiguous {
            what,
            key: key.to_string(),
            candidates: hits
                .iter()
                .map(|e| (e.id.to_string(), e.name.to_string()))
                .collect(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries() -> Vec<(String, String, Vec<String>)> {
        vec![
            ("城镇化率".into(), "常住人口城镇化率".into(), vec![]),
            (
                "收入".into(),
                "居民人均可支配收入".into(),
                vec!["人均收入".into()],
            ),
            ("GDP".into(), "地区生产总值增长".into(), vec![]),
            ("人均GDP".into(), "人均地区生产总值".into(), vec![]),
        ]
    }

    fn run(key: &str) -> Result<usize, ResolveError> {
        let e = entries();
        resolve(
            key,
            What::Indicator,
            e.iter().map(|(id, name, al)| Entry {
                id,
                name,
                aliases: al,
            }),
        )
    }

    #[test]
    fn exact_id_then_name_then_alias_then_unique_part() {
        assert_eq!(run("GDP"), Ok(2));
        assert_eq!(run("常住人口城镇化率"), Ok(0));
        assert_eq!(run("人均收入"), Ok(1));
        assert_eq!(run("可支配"), Ok(1));
    }

    #[test]
    fn ambiguous_lists_every_candidate_and_says_indicator() {
        let e = run("人均").unwrap_err();
        let ResolveError::Ambiguous { candidates, .. } = &e else {
            panic!("{e:?}")
        };
        assert_eq!(candidates.len(), 2);
        assert!(e.to_string().contains("有 2 个指标符合"), "{e}");
    }

    #[test]
    fn not_found_suggests_and_blank_is_empty() {
        let e = run("城镇画率").unwrap_err();
        assert!(e.to_string().contains("是不是 `城镇化率`"), "{e}");
        assert_eq!(run("  "), Err(ResolveError::Empty(What::Indicator)));
    }
}
