fn main() {
    let c = guihua::corpus::Corpus::bundled();
    let ing = guihua::corpus::ingest::ingest(&c.docs[0]);
    for h in &ing.outline { println!("H{} {:?} {}", h.level, h.line, h.text); }
    for u in &ing.units { println!("{:?} L{} [{}] {}", u.kind, u.line, u.section.join(" › "), u.text.chars().take(40).collect::<String>()); }
    for t in &ing.tables { println!("TABLE {} L{} rows={}", t.caption, t.line, t.rows.len()); }
    for ch in &ing.charts { println!("CHART {} L{} {:?}", ch.title, ch.line, ch.series); }
    for g in &ing.glossary { println!("GLOSS {} -> {:?}", g.term, g.words); }
}
