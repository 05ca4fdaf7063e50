//! Embeds the bundled `rules/` and `corpus/` into the binary so that
//! `guihua eval` works from any directory.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, exts: &[&str], out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            // A folder with its own guihua.toml is another workspace (the
            // bundled examples): not part of the bundled rule set.
            if !p.join("guihua.toml").is_file() {
                collect(&p, exts, out);
            }
        } else if p
            .extension()
            .and_then(|x| x.to_str())
            .is_some_and(|x| exts.contains(&x))
        {
            out.push(p);
        }
    }
}

fn table(name: &str, root: &Path, dir: &str, exts: &[&str]) -> String {
    let mut files = Vec::new();
    collect(&root.join(dir), exts, &mut files);
    files.sort();
    let mut s = format!("/// Bundled `{dir}/` files: (path relative to the crate, text).\npub static {name}: &[(&str, &str)] = &[\n");
    for f in files {
        let rel = f
            .strip_prefix(root)
            .expect("under root")
            .to_string_lossy()
            .replace('\\', "/");
        let _ = writeln!(s, "    ({rel:?}, include_str!({:?})),", f.to_string_lossy());
    }
    s.push_str("];\n");
    s
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    println!("cargo:rerun-if-changed=rules");
    println!("cargo:rerun-if-changed=corpus");
    let mut code = table("RULES", &root, "rules", &["guihua"]);
    code.push_str(&table("CORPUS", &root, "corpus", &["txt", "md"]));
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it")).join("embedded.rs");
    std::fs::write(out, code).expect("write embedded.rs");
}
