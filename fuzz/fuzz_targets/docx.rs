//! Any bytes as a Word document: read into the text-export form and
//! ingested, or a clear `DocxError` — never a panic, never unbounded memory.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    if let Ok(w) = guihua::corpus::docx::from_bytes(bytes) {
        let doc = guihua::corpus::Document::new("fuzz.docx", w.text);
        let _ = guihua::corpus::ingest::ingest(&doc);
    }
});
