//! Any text as a rule file: parsed, lowered and, when it loads, evaluated
//! with every method — a located diagnostic or a model, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let loaded = guihua::load::load_texts(vec![("fuzz.guihua".to_string(), text.to_string())], None);
    let _ = loaded.render_diagnostics();
    if let Some(model) = loaded.model {
        for m in 0..model.methods.len() {
            let ev = guihua::eval::evaluate(&model, m, model.latest_period());
            let _ = guihua::report::build(&model, &ev);
        }
    }
});
