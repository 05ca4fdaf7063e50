//! Any text as a search query on the bundled report: hits or a located
//! query error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn index() -> &'static guihua::search::SearchIndex {
    static INDEX: OnceLock<guihua::search::SearchIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        guihua::search::SearchIndex::in_memory(&guihua::corpus::Corpus::bundled(), None)
            .expect("the bundled report indexes")
    })
}

fuzz_target!(|q: &str| {
    let _ = index().search(q, 10);
});
