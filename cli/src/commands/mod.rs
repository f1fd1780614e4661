//! One module per subcommand.

mod backends;
mod check;
mod compile;
mod explain;
mod fmt;
mod root;

use crate::args::Command;

pub const EXIT_OK: u8 = 0;
/// The input has errors (or warnings, with `--deny-warnings`).
pub const EXIT_INPUT: u8 = 1;
/// Usage or I/O error.
pub const EXIT_USAGE: u8 = 2;
/// An internal error: a bug in lbc.
pub const EXIT_BUG: u8 = 101;

pub fn run(command: Command) -> u8 {
    match command {
        Command::Compile {
            file,
            target,
            output,
            report,
        } => compile::run(&file, &target, output.as_deref(), report),
        Command::Check {
            files,
            deny_warnings,
            report,
        } => check::run(&files, deny_warnings, report),
        Command::Fmt {
            files,
            check,
            report,
        } => fmt::run(&files, check, report),
        Command::Explain { code } => explain::run(&code),
        Command::Backends => backends::run(),
    }
}
