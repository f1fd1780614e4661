//! `lbc explain CODE`: the long explanation of a diagnostic code.

use lbc_compiler::Code;

use super::{EXIT_OK, EXIT_USAGE};

pub fn run(code: &str) -> u8 {
    match Code::parse(code) {
        Some(c) => {
            print!("{}", c.explanation());
            EXIT_OK
        }
        None => {
            eprintln!("error: `{code}` is not an lbc diagnostic code");
            let known: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
            eprintln!("known codes: {}", known.join(", "));
            EXIT_USAGE
        }
    }
}
