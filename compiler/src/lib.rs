//! `lbc-compiler`: the meaning of lbdsl. Loads a program and its includes
//! (through a [`Loader`], never touching files itself), runs every check,
//! collects diagnostics as data and lowers a checked program to the IR.
//!
//! Pipeline: [`analyze`] (load → parse → check) → [`lower`] → `lbc_ir::Program`.

pub mod check;
pub mod codes;
pub mod diagnostic;
pub mod limits;
pub mod load;
mod lower;
pub mod model;
pub mod source;

pub use codes::{Code, Severity};
pub use diagnostic::{Diagnostic, Label};
pub use lower::{lower, unsupported};
pub use model::Checked;
pub use source::{
    FileId, FileKey, LoadError, LoadedFile, Loader, MemoryLoader, Site, SourceFile, Sources,
};

/// Everything known about one program after checking.
#[derive(Debug)]
pub struct Analysis {
    pub sources: Sources,
    /// Every file's syntax tree, in program order.
    pub spliced: load::Spliced,
    /// Errors and warnings, sorted by position.
    pub diagnostics: Vec<Diagnostic>,
    /// The checked program, when there is no error.
    pub checked: Option<Checked>,
}

impl Analysis {
    pub fn has_errors(&self) -> bool {
        diagnostic::has_errors(&self.diagnostics)
    }
}

/// Loads, parses and checks `root` and the files it includes.
pub fn analyze(root: LoadedFile, loader: &mut dyn Loader) -> Analysis {
    analyze_with(root, loader, &limits::Limits::default())
}

/// [`analyze`] within other resource limits.
pub fn analyze_with(
    root: LoadedFile,
    loader: &mut dyn Loader,
    limits: &limits::Limits,
) -> Analysis {
    let mut sources = Sources::default();
    let mut diagnostics = Vec::new();
    let spliced = load::load(root, loader, limits, &mut sources, &mut diagnostics);
    let (checked, mut more) = check::check(&spliced, limits);
    diagnostics.append(&mut more);
    diagnostic::sort(&mut diagnostics);
    let checked = if diagnostic::has_errors(&diagnostics) {
        None
    } else {
        checked
    };
    Analysis {
        sources,
        spliced,
        diagnostics,
        checked,
    }
}
