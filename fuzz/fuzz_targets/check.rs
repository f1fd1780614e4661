//! Fuzz target: loading (with includes among a few in-memory files) and
//! checking never panics, and diagnostics always point inside their file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lbc_compiler::{analyze, LoadedFile, MemoryLoader};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // The input may include "a.lbdsl" (itself a copy of the input) and "b.lbdsl".
    let mut loader = MemoryLoader::new([("a.lbdsl", text), ("b.lbdsl", "host b = 198.18.1.12\n")]);
    let a = analyze(LoadedFile::new("main.lbdsl", "main.lbdsl", text), &mut loader);
    for d in &a.diagnostics {
        for l in &d.labels {
            let f = a.sources.get(l.site.file);
            assert!(l.site.span.start <= l.site.span.end && (l.site.span.end as usize) <= f.text.len());
            assert!(f.text.is_char_boundary(l.site.span.start as usize));
        }
    }
});
