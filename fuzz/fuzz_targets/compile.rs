//! Fuzz target: whatever checks clean compiles for every built-in target
//! without a panic, and the IR round-trips through JSON.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lbc_compiler::{analyze, lower, LoadedFile, MemoryLoader};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let a = analyze(LoadedFile::new("main.lbdsl", "main.lbdsl", text), &mut MemoryLoader::default());
    let Some(checked) = a.checked else { return };
    let ir = lower(&checked, &a.sources);
    for backend in lbc_backends::builtin() {
        let _ = lbc_backends::emit(*backend, &ir);
    }
    let back: lbc_ir::Program = serde_json_roundtrip(&ir);
    assert_eq!(back, ir);
});

fn serde_json_roundtrip(ir: &lbc_ir::Program) -> lbc_ir::Program {
    lbc_ir::Program::from_json(&ir.to_json()).expect("the IR's JSON reads back")
}
