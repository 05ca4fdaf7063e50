//! The plan graph (goals, tasks, projects, measures, edges) and the search
//! vocabulary.

use super::*;

impl Lowerer<'_> {
    pub(super) fn lower_graph(&mut self, model: &mut Model, files: &[(SourceId, ast::File)]) {
        use crate::model::graph::{EdgeKind, GEdge, GNode, NodeKind, StateClass};
        let mut g = crate::model::graph::GraphData::default();
        for (_, f) in files {
            for (word, class) in &f.project_states {
                match StateClass::parse(&class.node) {
                    Some(c) => {
                        if g.states.iter().any(|(w, _)| *w == word.node) {
                            self.err(Diagnostic::error(
                                word.span,
                                LowerMessage::DuplicateProjectState(word.node.clone()),
                            ));
                        } else {
                            g.states.push((word.node.clone(), c));
                        }
                    }
                    None => self.err(
                        Diagnostic::error(
                            class.span,
                            LowerMessage::UnknownProjectStateClass(class.node.clone()),
                        )
                        .expected(one_of(&StateClass::WORDS))
                        .suggest(&class.node, StateClass::WORDS),
                    ),
                }
            }
        }
        let state_words: Vec<String> = g.states.iter().map(|(w, _)| w.clone()).collect();
        for (k, ind) in model.indicators.iter().enumerate() {
            g.nodes.push(GNode {
                id: ind.id.clone(),
                kind: NodeKind::Indicator,
                name: ind.name.clone(),
                aliases: vec![],
                source: ind.target.as_ref().and_then(|t| t.source.clone()),
                investment: None,
                year: None,
                state: None,
                state_class: None,
                expansion: None,
                words: vec![],
                notes: ind.notes.clone(),
                indicator: Some(k),
                span: ind.span,
            });
        }
        let asts: Vec<&ast::Node> = files.iter().flat_map(|(_, f)| &f.nodes).collect();
        let mut index: HashMap<String, usize> = g
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.clone(), i))
            .collect();
        for a in &asts {
            let kind = NodeKind::parse(&a.kind.node).expect("grammar: node kinds");
            if let Some(&prev) = index.get(&a.id.node) {
                let at = g.nodes[prev].span;
                self.err(
                    Diagnostic::error(a.id.span, LowerMessage::DuplicateNode(a.id.node.clone()))
                        .help(LowerMessage::FirstDeclaredAt(self.sources.location(at))),
                );
                continue;
            }
            let source = self.quote(
                &a.source,
                &format!("the {} `{}`", kind.word(), a.id.node),
                a.id.span,
            );
            let investment = a.investment.as_ref().and_then(|q| {
                let written = Unit::parse(q.node.unit.as_ref().map_or("亿元", |u| u.node.as_str()));
                match Unit::parse("亿元").factor_from(&written) {
                    Some(f) => Some(q.node.value * f),
                    None => {
                        self.err(
                            Diagnostic::error(q.span, LowerMessage::InvestmentNotMoney)
                                .expected(LowerMessage::InvestmentExample),
                        );
                        None
                    }
                }
            });
            let year = a.year.as_ref().and_then(|y| match y.node.parse::<i32>() {
                Ok(v) if (1949..=2100).contains(&v) => Some(v),
                _ => {
                    self.err(Diagnostic::error(
                        y.span,
                        LowerMessage::NotAYear(y.node.clone()),
                    ));
                    None
                }
            });
            let mut state_class = None;
            if let Some(st) = &a.state {
                match g.states.iter().find(|(w, _)| *w == st.node) {
                    Some((_, c)) => state_class = Some(*c),
                    None => {
                        let words: Vec<&str> = state_words.iter().map(String::as_str).collect();
                        self.err(
                            Diagnostic::error(
                                st.span,
                                LowerMessage::UnknownProjectState(st.node.clone()),
                            )
                            .expected(if words.is_empty() {
                                LowerMessage::DeclareProjectStates
                            } else {
                                LowerMessage::OneOf(state_words.clone())
                            })
                            .suggest(&st.node, words.iter().copied()),
                        );
                    }
                }
            }
            index.insert(a.id.node.clone(), g.nodes.len());
            g.nodes.push(GNode {
                id: a.id.node.clone(),
                kind,
                name: a
                    .name
                    .as_ref()
                    .map_or_else(|| a.id.node.clone(), |n| n.node.clone()),
                aliases: a.aliases.iter().map(|x| x.node.clone()).collect(),
                source,
                investment,
                year,
                state: a.state.as_ref().map(|s| s.node.clone()),
                state_class,
                expansion: a.expansion.as_ref().map(|e| e.node.clone()),
                words: vec![],
                notes: a.notes.iter().map(|n| n.node.clone()).collect(),
                indicator: None,
                span: a.id.span,
            });
        }
        // Names resolve too (ids first).
        let mut by_name: HashMap<String, usize> = HashMap::new();
        for (i, n) in g.nodes.iter().enumerate().rev() {
            by_name.insert(n.name.clone(), i);
            for al in &n.aliases {
                by_name.insert(al.clone(), i);
            }
        }
        for a in &asts {
            let Some(&from) = index.get(&a.id.node) else {
                continue;
            };
            if g.nodes[from].span != a.id.span {
                continue; // a duplicate, reported above
            }
            for e in &a.edges {
                let kind = EdgeKind::parse(&e.kind.node).expect("grammar: edge kinds");
                let source = match &e.source {
                    Some(_) => self.quote(&e.source, "the edge", e.span),
                    None => g.nodes[from].source.clone(),
                };
                for t in &e.targets {
                    let to = index.get(&t.node).or_else(|| by_name.get(&t.node)).copied();
                    if kind == EdgeKind::Defines && to.is_none() {
                        g.nodes[from].words.push(t.node.clone());
                        continue;
                    }
                    let Some(to) = to else {
                        let cands: Vec<&str> = g.nodes.iter().map(|n| n.id.as_str()).collect();
                        self.err(
                            Diagnostic::error(t.span, LowerMessage::UndefinedNode(t.node.clone()))
                                .suggest(&t.node, cands),
                        );
                        continue;
                    };
                    if to == from {
                        self.err(Diagnostic::error(
                            t.span,
                            LowerMessage::EdgeToItself {
                                node: t.node.clone(),
                                edge: kind.word(),
                            },
                        ));
                        continue;
                    }
                    if let Err(rule) = kind.allows(g.nodes[from].kind, g.nodes[to].kind) {
                        self.err(
                            Diagnostic::error(
                                e.kind.span.to(t.span),
                                LowerMessage::EdgeKinds {
                                    from: g.nodes[from].kind,
                                    edge: kind.word(),
                                    to: g.nodes[to].kind,
                                    node: t.node.clone(),
                                },
                            )
                            .expected(rule),
                        );
                        continue;
                    }
                    g.edges.push(GEdge {
                        from,
                        to,
                        kind,
                        source: source.clone(),
                        span: e.kind.span.to(t.span),
                    });
                }
            }
        }
        // A term's words that name nodes define those nodes too.
        let mut extra = Vec::new();
        for (i, n) in g
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.kind == NodeKind::Term)
        {
            for w in &n.words {
                if let Some(&to) = by_name.get(w).or_else(|| index.get(w)) {
                    if to != i && g.nodes[to].kind != NodeKind::Indicator {
                        extra.push(GEdge {
                            from: i,
                            to,
                            kind: EdgeKind::Defines,
                            source: n.source.clone(),
                            span: n.span,
                        });
                    }
                }
            }
        }
        g.edges.extend(extra);
        self.check_dependency_cycles(&g);
        model.graph = g;
    }

    /// Every cycle among `depends_on` edges is an error naming its nodes.
    pub(super) fn check_dependency_cycles(&mut self, g: &crate::model::graph::GraphData) {
        use crate::model::graph::EdgeKind;
        let n = g.nodes.len();
        let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (ei, e) in g.edges.iter().enumerate() {
            if e.kind == EdgeKind::DependsOn {
                out[e.from].push(ei);
            }
        }
        // Iterative DFS with colours; a grey target closes a cycle.
        let mut colour = vec![0u8; n];
        let mut reported = vec![false; n];
        for start in 0..n {
            if colour[start] != 0 || out[start].is_empty() {
                continue;
            }
            let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
            let mut path: Vec<usize> = vec![start];
            colour[start] = 1;
            while let Some(&mut (v, ref mut k)) = stack.last_mut() {
                if *k < out[v].len() {
                    let e = &g.edges[out[v][*k]];
                    *k += 1;
                    match colour[e.to] {
                        0 => {
                            colour[e.to] = 1;
                            stack.push((e.to, 0));
                            path.push(e.to);
                        }
                        1 => {
                            let pos = path.iter().position(|&x| x == e.to).unwrap_or(0);
                            let cycle = &path[pos..];
                            if cycle.iter().all(|&c| !reported[c]) {
                                let names: Vec<String> = cycle
                                    .iter()
                                    .chain([&e.to])
                                    .map(|&c| g.nodes[c].id.clone())
                                    .collect();
                                self.err(
                                    Diagnostic::error(e.span, LowerMessage::DependencyCycle(names))
                                        .help(LowerMessage::CycleHasNoOrder),
                                );
                            }
                            for &c in cycle {
                                reported[c] = true;
                            }
                        }
                        _ => {}
                    }
                } else {
                    colour[v] = 2;
                    stack.pop();
                    path.pop();
                }
            }
        }
    }

    pub(super) fn lower_vocabulary(&mut self, model: &mut Model, files: &[(SourceId, ast::File)]) {
        for (_, f) in files {
            for g in &f.synonyms {
                let words: Vec<String> = g.iter().map(|w| w.node.trim().to_string()).collect();
                if let Some(w) = g.iter().find(|w| w.node.trim().is_empty()) {
                    self.err(Diagnostic::error(w.span, LowerMessage::EmptySynonym));
                }
                if let Some((i, w)) = g
                    .iter()
                    .enumerate()
                    .find(|(i, w)| words[..*i].contains(&w.node))
                {
                    let _ = i;
                    self.err(Diagnostic::warning(
                        w.span,
                        LowerMessage::TwiceInSynonymGroup(w.node.clone()),
                    ));
                }
                model.synonyms.push(words);
            }
            for (a, b) in &f.not_synonyms {
                for w in [a, b] {
                    if w.node.trim().is_empty() {
                        self.err(Diagnostic::error(w.span, LowerMessage::EmptySynonym));
                    }
                }
                model
                    .not_synonyms
                    .push((a.node.trim().to_string(), b.node.trim().to_string()));
            }
            for t in &f.terms {
                if t.node.trim().is_empty() {
                    self.err(Diagnostic::error(t.span, LowerMessage::EmptyTerm));
                } else if !model.terms.contains(&t.node) {
                    model.terms.push(t.node.trim().to_string());
                }
            }
        }
    }
}
