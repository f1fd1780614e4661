//! The `lbc` binary: parses the command line and runs it. Exit codes: 0
//! success (warnings allowed), 1 the input has errors, 2 usage or I/O error,
//! 101 an internal error (a bug in lbc).

fn main() -> std::process::ExitCode {
    lbc_cli::install_panic_hook();
    std::process::ExitCode::from(lbc_cli::run(std::env::args_os()))
}
