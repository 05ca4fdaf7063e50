//! Every input limit, stated once.
//!
//! What guihua reads from a user is bounded before any work starts, and a
//! message that refuses input names the limit it met. README lists them.

/// Largest document read as text (a `.txt` or `.md` file of a corpus, or
/// one line of a `.jsonl` file): 256 MiB. The whole 《纲要》 is under 1 MiB.
pub const MAX_DOCUMENT_BYTES: u64 = 256 * 1024 * 1024;

/// Largest rule file: 128 MiB, three times the national-scale benchmark's
/// rule set (75,000 indicators, 39.8 MB).
pub const MAX_RULE_FILE_BYTES: u64 = 128 * 1024 * 1024;

/// Deepest folder a walk of `--rules` or `--corpus` descends into: 64
/// levels below the folder named.
pub const MAX_FOLDER_DEPTH: usize = 64;

/// A size in bytes as people read it: `256 MiB`, `64 KiB`, `12 bytes`.
pub fn human_bytes(n: u64) -> String {
    const KIB: u64 = 1024;
    if n >= KIB * KIB && n.is_multiple_of(KIB * KIB) {
        format!("{} MiB", n / (KIB * KIB))
    } else if n >= KIB && n.is_multiple_of(KIB) {
        format!("{} KiB", n / KIB)
    } else {
        format!("{n} bytes")
    }
}
