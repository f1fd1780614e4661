//! The whole compilation of one program for one target, as `lbc compile` runs
//! it: load and check, lower, then a built-in backend (after its capability
//! check) or an external plugin.

use lbc_compiler::diagnostic::sort;
use lbc_compiler::{analyze, lower, unsupported, Diagnostic, LoadedFile, Loader, Sources};

use crate::plugin;

/// The outcome of compiling one program.
#[derive(Debug)]
pub struct Compiled {
    pub sources: Sources,
    /// Every diagnostic, sorted; errors mean `output` is `None`.
    pub diagnostics: Vec<Diagnostic>,
    pub output: Option<String>,
}

/// Compiles `root` (and its includes, through `loader`) for `target`.
pub fn compile(root: LoadedFile, loader: &mut dyn Loader, target: &str) -> Compiled {
    let analysis = analyze(root, loader);
    let mut diagnostics = analysis.diagnostics;
    let sources = analysis.sources;
    // The syntax trees are not needed any more; free them before the output
    // is built (peak memory at 100,000 vips).
    drop(analysis.spliced);
    let Some(checked) = analysis.checked else {
        return Compiled {
            sources,
            diagnostics,
            output: None,
        };
    };
    let program = lower(&checked, &sources);
    let output = match lbc_backends::find(target) {
        Some(backend) => {
            let refused = unsupported(&checked, &program, backend.name(), &backend.capabilities());
            drop(checked);
            if refused.is_empty() {
                match lbc_backends::emit(backend, &program) {
                    Ok(text) => Some(text),
                    // `unsupported` and `emit` check the same table.
                    Err(r) => unreachable!("capability check disagrees: {r:?}"),
                }
            } else {
                diagnostics.extend(refused);
                sort(&mut diagnostics);
                None
            }
        }
        None => match plugin::run(target, &program) {
            Ok(text) => Some(text),
            Err(d) => {
                diagnostics.push(*d);
                sort(&mut diagnostics);
                None
            }
        },
    };
    Compiled {
        sources,
        diagnostics,
        output,
    }
}
