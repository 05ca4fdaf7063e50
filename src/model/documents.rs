//! Documents that sources cite by name (`source "…" in 统计公报2022`).

/// A document sources cite by name: declared with `document`, or a
/// document of the corpus (named by its file name without extension).
#[derive(Debug, Clone)]
pub struct Document {
    /// The name sources use (`统计公报2022`).
    pub id: String,
    /// Its title.
    pub title: Option<String>,
    /// Who published it.
    pub publisher: Option<String>,
    /// When (a year, as written).
    pub year: Option<String>,
    /// Where it can be read.
    pub url: Option<String>,
    /// The corpus document holding its text, when the corpus has it: its
    /// quotes are then checked against that document.
    pub file: Option<String>,
}

impl Document {
    /// The citation as a planner writes it: 国家统计局《…》（2023）.
    pub fn citation(&self) -> String {
        let mut s = self.publisher.clone().unwrap_or_default();
        match &self.title {
            Some(t) => s.push_str(&format!("《{t}》")),
            None => s.push_str(&format!("《{}》", self.id)),
        }
        if let Some(y) = &self.year {
            s.push_str(&format!("（{y}）"));
        }
        if let Some(u) = &self.url {
            s.push_str(&format!(" {u}"));
        }
        s
    }
}
