//! Any text as a document (text export and Markdown): ingested into an
//! outline, units, tables and charts without a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    for name in ["fuzz.txt", "fuzz.md"] {
        let doc = guihua::corpus::Document::new(name, text);
        let ing = guihua::corpus::ingest::ingest(&doc);
        for u in &ing.units {
            assert!(u.line >= 1, "unit {} has no line", u.id);
        }
    }
});
