//! XML plumbing of a Word package: namespaces (transitional and strict),
//! attributes, and the paragraph styles (`styles.xml`).

use super::*;

/// The next event of a part. Namespace scopes are tracked; an element's
/// namespace is resolved only when asked ([`ns`]).
pub(super) fn next<'i>(r: &mut NsReader<&'i [u8]>, part: &str) -> Result<Event<'i>, DocxError> {
    r.read_event()
        .map_err(|e| DocxError::Xml(part.to_string(), r.error_position(), e.to_string()))
}

/// The namespace of an element just read.
pub(super) fn ns<R>(r: &NsReader<R>, e: &BytesStart<'_>) -> Ns {
    ns_of(&r.resolver().resolve_element(e.name()).0)
}

/// The namespace of an end tag just read.
pub(super) fn ns_end<R>(r: &NsReader<R>, e: &quick_xml::events::BytesEnd<'_>) -> Ns {
    ns_of(&r.resolver().resolve_element(e.name()).0)
}

/// An attribute's value by local name (the prefix is not compared).
pub(super) fn attr(e: &BytesStart<'_>, local: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        let key = a.key.as_ref();
        let l = key.rsplit_once(':').map_or(key, |(_, l)| l);
        (l == local).then(|| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| a.value.to_string())
        })
    })
}

/// The namespaces the reader looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Ns {
    W,
    A,
    Wp,
    C,
    Mc,
    PkgRel,
    Other,
}

pub(super) fn ns_of(r: &ResolveResult<'_>) -> Ns {
    let ResolveResult::Bound(ns) = r else {
        return Ns::Other;
    };
    let s = ns.as_ref();
    // The length first: most elements are in one namespace.
    let is = |k: &str| s.len() == k.len() && s == k;
    if is(NS_W) || is(NS_W_STRICT) {
        Ns::W
    } else if is(NS_A) || is(NS_A_STRICT) {
        Ns::A
    } else if is(NS_WP) || is(NS_WP_STRICT) {
        Ns::Wp
    } else if is(NS_C) || is(NS_C_STRICT) {
        Ns::C
    } else if is(NS_MC) {
        Ns::Mc
    } else if is(NS_PKG_REL) {
        Ns::PkgRel
    } else {
        Ns::Other
    }
}

/// Paragraph styles: outline level and 目录 styles, by style id.
#[derive(Debug, Default)]
pub(super) struct Styles {
    /// Style id → outline level (0-based; 9 is body text).
    pub(super) outline: HashMap<String, u8>,
    /// Style ids of the table of contents (`toc 1` …).
    pub(super) toc: Vec<String>,
}

impl Styles {
    pub(super) fn parse(part: &str, xml: &str) -> Result<Styles, DocxError> {
        struct Raw {
            id: String,
            name: String,
            based_on: Option<String>,
            outline: Option<u8>,
        }
        let mut raws: Vec<Raw> = Vec::new();
        let mut cur: Option<Raw> = None;
        let mut r = NsReader::from_str(xml);
        loop {
            match next(&mut r, part)? {
                Event::Start(e) | Event::Empty(e)
                    if matches!(
                        e.local_name().as_ref(),
                        "style" | "name" | "basedOn" | "outlineLvl"
                    ) && ns(&r, &e) == Ns::W =>
                {
                    match e.local_name().as_ref() {
                        "style" => {
                            let paragraph = attr(&e, "type").is_none_or(|t| t == "paragraph");
                            cur = paragraph.then(|| Raw {
                                id: attr(&e, "styleId").unwrap_or_default(),
                                name: String::new(),
                                based_on: None,
                                outline: None,
                            });
                        }
                        "name" => {
                            if let Some(c) = cur.as_mut() {
                                c.name = attr(&e, "val").unwrap_or_default().to_lowercase();
                            }
                        }
                        "basedOn" => {
                            if let Some(c) = cur.as_mut() {
                                c.based_on = attr(&e, "val");
                            }
                        }
                        "outlineLvl" => {
                            if let Some(c) = cur.as_mut() {
                                c.outline = attr(&e, "val").and_then(|v| v.parse().ok());
                            }
                        }
                        _ => {}
                    }
                }
                Event::End(e) if e.local_name().as_ref() == "style" && ns_end(&r, &e) == Ns::W => {
                    raws.extend(cur.take());
                }
                Event::Eof => break,
                _ => {}
            }
        }
        let by_id: HashMap<&str, &Raw> = raws.iter().map(|r| (r.id.as_str(), r)).collect();
        let own = |r: &Raw| -> Option<u8> {
            r.outline.or_else(|| {
                let n = r.name.strip_prefix("heading ")?.trim().parse::<u8>().ok()?;
                (1..=9).contains(&n).then(|| n - 1)
            })
        };
        let mut s = Styles::default();
        for raw in &raws {
            // The style's own level, else its base's (a bounded walk).
            let mut level = None;
            let mut at = Some(raw);
            for _ in 0..16 {
                let Some(x) = at else { break };
                if let Some(l) = own(x) {
                    level = Some(l);
                    break;
                }
                at = x.based_on.as_deref().and_then(|b| by_id.get(b).copied());
            }
            if let Some(l) = level {
                s.outline.insert(raw.id.clone(), l);
            }
            if raw
                .name
                .strip_prefix("toc ")
                .is_some_and(|n| n.trim().parse::<u8>().is_ok())
            {
                s.toc.push(raw.id.clone());
            }
        }
        Ok(s)
    }
}
