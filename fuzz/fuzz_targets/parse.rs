//! Fuzz target: the parser (and `lbc fmt`, on what parses) never panics, and
//! formatting is idempotent.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let parsed = lbc_grammar::parse(text);
    if parsed.errors.is_empty() {
        let once = lbc_grammar::fmt::format(&parsed.file, text);
        let again = lbc_grammar::parse(&once);
        assert!(again.errors.is_empty(), "formatted text does not parse:\n{once}");
        assert_eq!(once, lbc_grammar::fmt::format(&again.file, &once), "fmt is not idempotent");
    }
});
