//! `lbc check FILE... [--message-format human|short|json] [--deny-warnings]`

use lbc_compiler::analyze;

use crate::args::Report;
use crate::files::FsLoader;
use crate::report::{self, Stream};

use super::{root, EXIT_INPUT, EXIT_OK, EXIT_USAGE};

pub fn run(files: &[String], deny_warnings: bool, rep: Report) -> u8 {
    let mut failed = false;
    let mut io_error = false;
    for file in files {
        let loaded = match root::load(file, rep, Stream::Stdout) {
            Ok(l) => l,
            Err(code) => {
                io_error |= code == EXIT_USAGE;
                failed |= code == EXIT_INPUT;
                continue;
            }
        };
        let name = loaded.id.name.clone();
        let analysis = analyze(loaded, &mut FsLoader);
        report::print(
            rep,
            Stream::Stdout,
            &analysis.sources,
            &analysis.diagnostics,
            &name,
        );
        failed |= analysis.has_errors() || (deny_warnings && !analysis.diagnostics.is_empty());
    }
    if io_error {
        EXIT_USAGE
    } else if failed {
        EXIT_INPUT
    } else {
        EXIT_OK
    }
}
