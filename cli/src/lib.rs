//! `lbc-cli`: the only crate that touches files, processes, terminals and exit
//! codes. `run` is the whole command line; the library form exists so that
//! tests can render diagnostics and compile fixtures exactly as `lbc` does.

pub mod args;
mod commands;
pub mod files;
pub mod pipeline;
mod plugin;
pub mod render;
mod report;

use std::ffi::OsString;

use clap::Parser;

pub use commands::{EXIT_BUG, EXIT_INPUT, EXIT_OK, EXIT_USAGE};

/// Runs `lbc` with these arguments (the first is the program name) and returns
/// the exit code.
pub fn run(args: impl IntoIterator<Item = OsString>) -> u8 {
    let cli = match args::Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
        }
    };
    commands::run(cli.command)
}

/// Makes an internal error (a panic) say that it is a bug in lbc, give the
/// version and ask for a report, then exit with code 101.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let payload = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string());
        eprintln!(
            "error: internal error in lbc {}: {payload}{location}\n\
             This is a bug in lbc, not a problem with your input. Please report it with the \
             input that caused it and this message.",
            env!("CARGO_PKG_VERSION")
        );
        std::process::exit(i32::from(EXIT_BUG));
    }));
}
