//! Support code for lbc's cross-crate tests: finding fixtures, compiling them
//! exactly as `lbc compile` does, and running commands inside network
//! namespaces that the tests create and always delete.

pub mod generate;
pub mod iptables;
pub mod kernel;
pub mod lab;
pub mod netns;
pub mod temp;

use std::path::{Path, PathBuf};

use lbc_cli::files::{read_source, FsLoader};
use lbc_cli::pipeline::{self, Compiled};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is inside the workspace")
        .to_path_buf()
}

/// The `.lbdsl` files directly in `dir` (relative to the workspace root), sorted.
pub fn lbdsl_files(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .unwrap_or_else(|e| panic!("cannot list {dir}: {e}"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "lbdsl"))
        .collect();
    files.sort();
    files
}

/// Every language fixture and every example: the programs each target must
/// compile and load.
pub fn programs() -> Vec<PathBuf> {
    let mut all = lbdsl_files("tests/fixtures/lang");
    all.extend(lbdsl_files("examples"));
    all
}

/// The path of `p` relative to the workspace root, with `/` separators: how
/// fixtures are named in outputs and snapshots.
pub fn relative(p: &Path) -> String {
    p.strip_prefix(root())
        .unwrap_or(p)
        .to_string_lossy()
        .replace('\\', "/")
}

/// Compiles a program file for `target` as `lbc compile` does, naming the file
/// by its path relative to the workspace root (so outputs are stable).
pub fn compile(path: &Path, target: &str) -> Compiled {
    let name = relative(path);
    let loaded = read_source(path, &name).unwrap_or_else(|e| panic!("cannot read {name}: {e}"));
    pipeline::compile(loaded, &mut FsLoader, target)
}

/// The output of a program that must compile.
pub fn compile_ok(path: &Path, target: &str) -> String {
    let c = compile(path, target);
    match c.output {
        Some(text) => text,
        None => panic!(
            "{} does not compile for {target}:\n{}",
            relative(path),
            lbc_cli::render::human_string(&c.sources, &c.diagnostics)
        ),
    }
}

/// Runs `check` for every program (fixture and example), catching failures so
/// that one broken program does not hide the others; panics at the end with
/// every failure.
pub fn check_every_program(check: impl Fn(&Path) + std::panic::RefUnwindSafe) {
    let mut failures = Vec::new();
    for path in programs() {
        if let Err(e) = std::panic::catch_unwind(|| check(&path)) {
            let why = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            failures.push(format!("{}: {why}", relative(&path)));
        }
    }
    assert!(
        failures.is_empty(),
        "{} programs failed:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
