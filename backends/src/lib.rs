//! `lbc-backends`: the output targets. Each backend sees only the IR
//! (`lbc_ir::Program`), declares what it can express as data
//! ([`Capabilities`]), and turns a program into text.
//!
//! Every backend refuses (with [`Refused`]) a program that uses something it
//! cannot express: nothing is dropped or approximated silently, even when a
//! caller forgot to check capabilities first.

mod common;
pub mod iptables;
mod ir;
pub mod nft;

use lbc_ir::capability::{self, Capabilities, Violation};
use lbc_ir::Program;

/// An output target.
pub trait Backend: Sync {
    /// The name given to `--target`.
    fn name(&self) -> &'static str;
    /// One line for `lbc backends`.
    fn description(&self) -> &'static str;
    /// What this backend can express.
    fn capabilities(&self) -> Capabilities;
    /// The output for a program that uses only what this backend can express.
    fn render(&self, program: &Program) -> String;
}

/// A program that uses something the backend cannot express.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused {
    pub violations: Vec<Violation>,
}

/// Compiles `program` with `backend`, refusing any unsupported feature.
pub fn emit(backend: &dyn Backend, program: &Program) -> Result<String, Refused> {
    let violations = capability::check(program, backend.name(), &backend.capabilities());
    if violations.is_empty() {
        Ok(backend.render(program))
    } else {
        Err(Refused { violations })
    }
}

/// The built-in backends, in the order `lbc backends` lists them.
pub fn builtin() -> &'static [&'static dyn Backend] {
    &[
        &nft::text::NftText,
        &nft::json::NftJson,
        &iptables::script::IptablesScript,
        &iptables::restore::IptablesRestore,
        &ir::IrJson,
    ]
}

/// The built-in backend called `name`.
pub fn find(name: &str) -> Option<&'static dyn Backend> {
    builtin().iter().copied().find(|b| b.name() == name)
}
