//! `lbc compile FILE|- --target TARGET [-o OUT]`

use std::path::Path;

use crate::args::Report;
use crate::files::{write_atomic, FsLoader};
use crate::pipeline;
use crate::report::{self, Stream};

use super::{root, EXIT_INPUT, EXIT_OK, EXIT_USAGE};

pub fn run(file: &str, target: &str, output: Option<&Path>, rep: Report) -> u8 {
    let loaded = match root::load(file, rep, Stream::Stderr) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let name = loaded.id.name.clone();
    let compiled = pipeline::compile(loaded, &mut FsLoader, target);
    report::print(
        rep,
        Stream::Stderr,
        &compiled.sources,
        &compiled.diagnostics,
        &name,
    );
    let Some(text) = compiled.output else {
        return EXIT_INPUT;
    };
    match output {
        Some(path) => match write_atomic(path, text.as_bytes()) {
            Ok(()) => EXIT_OK,
            Err(e) => {
                eprintln!("error: cannot write `{}`: {e}", path.display());
                EXIT_USAGE
            }
        },
        None => {
            report::write(Stream::Stdout, &text);
            EXIT_OK
        }
    }
}
