//! Checks across indicators: a 序号 used twice, ties that end nowhere or
//! run in a cycle.

use super::*;

impl Lowerer<'_> {
    /// Two top-level indicators with one 序号 would make the table's order
    /// a guess: the second is an error naming the first.
    pub(super) fn check_duplicate_seq(&mut self, inds: &[Indicator], asts: &[&ast::Indicator]) {
        // The next free whole 序号, to offer in the help.
        let free = asts
            .iter()
            .zip(inds)
            .filter(|(_, i)| i.parent.is_none())
            .filter_map(|(a, _)| a.seq.as_ref()?.node.trim().parse::<u64>().ok())
            .max()
            .map_or(1, |m| m + 1);
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (k, (ind, a)) in inds.iter().zip(asts).enumerate() {
            let (None, Some(seq)) = (ind.parent, a.seq.as_ref()) else {
                continue;
            };
            if let Some(&first) = seen.get(seq.node.as_str()) {
                self.err(
                    Diagnostic::error(
                        seq.span,
                        format!(
                            "duplicate seq `{}`: `{}` has it too",
                            seq.node, inds[first].id
                        ),
                    )
                    .help(format!(
                        "each top-level indicator has its own 序号 (`{}` has `{}` at {}); the next free one is `{}`",
                        inds[first].id,
                        seq.node,
                        self.sources.location(asts[first].seq.as_ref().map_or(asts[first].id.span, |s| s.span)),
                        free
                    )),
                );
            } else {
                seen.insert(seq.node.as_str(), k);
            }
        }
    }

    /// A `tied` target takes the average growth rate of the indicator it
    /// follows, at the end of its chain of ties: that indicator must have a
    /// `rate` target with a number, or every verdict of the tie is a guess.
    pub(super) fn check_tied_ends(&mut self, inds: &[Indicator], asts: &[&ast::Indicator]) {
        let next = |k: usize| {
            inds[k]
                .target
                .as_ref()
                .filter(|t| t.form == TargetForm::Tied)
                .and_then(|t| t.tied)
        };
        // The end of each chain, found once per indicator (linear time):
        // UNKNOWN, IN_CYCLE (reported by `check_tied_cycles`), or an index.
        const UNKNOWN: usize = usize::MAX;
        const IN_CYCLE: usize = usize::MAX - 1;
        let mut end = vec![UNKNOWN; inds.len()];
        for start in 0..inds.len() {
            let mut path = Vec::new();
            let mut cur = start;
            let found = loop {
                if end[cur] != UNKNOWN {
                    break end[cur];
                }
                if path.len() > inds.len() {
                    break IN_CYCLE;
                }
                match next(cur) {
                    Some(n) => {
                        path.push(cur);
                        cur = n;
                    }
                    None => break cur,
                }
            };
            for k in path {
                end[k] = found;
            }
            if end[start] == UNKNOWN {
                end[start] = found;
            }
        }
        for k in 0..inds.len() {
            let (Some(_), e) = (next(k), end[k]) else {
                continue;
            };
            if e == IN_CYCLE {
                continue;
            }
            let span = asts[k]
                .targets
                .first()
                .and_then(|t| t.other.as_ref().map(|o| o.span))
                .unwrap_or(inds[k].span);
            let e = &inds[e];
            let problem = match &e.target {
                None if !e.children.is_empty() => Some(format!(
                    "`{}` follows `{}`, a parent indicator with no target of its own",
                    inds[k].id, e.id
                )),
                None => None, // its own error: no target
                Some(t) if t.form != TargetForm::Rate || t.value.is_none() => Some(format!(
                    "`{}` follows `{}`, whose target is not an average growth rate (`{}`)",
                    inds[k].id,
                    e.id,
                    t.form.word()
                )),
                Some(_) => None,
            };
            if let Some(msg) = problem {
                self.err(Diagnostic::error(span, msg).help(
                    "tie to an indicator with a `rate` target, or give the number: `target rate 7.5`",
                ));
            }
        }
    }

    /// Tied targets form a functional graph (each indicator ties to at most
    /// one other): one walk per indicator that stops at anything already
    /// walked finds every cycle in linear time.
    pub(super) fn check_tied_cycles(&mut self, inds: &[Indicator], asts: &[&ast::Indicator]) {
        const NEW: usize = usize::MAX;
        const DONE: usize = usize::MAX - 1;
        // Only `tied` follows the other's target; `exceeds` and `matches`
        // compare actual values, which no cycle can make undefined.
        let next = |k: usize| {
            inds[k]
                .target
                .as_ref()
                .filter(|t| t.form == TargetForm::Tied)
                .and_then(|t| t.tied)
        };
        // NEW, DONE, or the node's position on the current path.
        let mut state = vec![NEW; inds.len()];
        for start in 0..inds.len() {
            if state[start] != NEW {
                continue;
            }
            let mut path = vec![start];
            state[start] = 0;
            let mut cur = start;
            while let Some(n) = next(cur) {
                match state[n] {
                    DONE => break,
                    NEW => {
                        state[n] = path.len();
                        path.push(n);
                        cur = n;
                    }
                    pos => {
                        let cycle = &path[pos..];
                        let names: Vec<String> = cycle
                            .iter()
                            .chain([&n])
                            .map(|&c| format!("`{}`", inds[c].id))
                            .collect();
                        let span = asts[cycle[0]]
                            .targets
                            .first()
                            .map_or(inds[cycle[0]].span, |t| t.span);
                        self.err(
                            Diagnostic::error(
                                span,
                                format!("tied targets form a cycle: {}", names.join(" → ")),
                            )
                            .help(
                                "a tied target must end at an indicator with a target of its own",
                            ),
                        );
                        break;
                    }
                }
            }
            for &c in &path {
                state[c] = DONE;
            }
        }
    }
}
