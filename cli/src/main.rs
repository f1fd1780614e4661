//! The `lbc` binary: parses the command line and runs it. Exit codes: 0
//! success (warnings allowed), 1 the input has errors, 2 usage or I/O error,
//! 101 an internal error (a bug in lbc).

/// mimalloc: lbc allocates many small objects for large programs, where it is
/// markedly faster than the system allocator (see docs/performance.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    lbc_cli::install_panic_hook();
    // Lets the tests check what an internal error looks like; no input can
    // reach a panic.
    if std::env::var_os("LBC_TEST_INTERNAL_ERROR").is_some() {
        panic!("deliberate internal error (LBC_TEST_INTERNAL_ERROR is set)");
    }
    std::process::ExitCode::from(lbc_cli::run(std::env::args_os()))
}
