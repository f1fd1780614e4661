//! `--target ir`: the IR itself as pretty JSON, versioned; what external
//! backend plugins read on stdin.

use lbc_ir::capability::{full_except, Capabilities, Feature, Support};
use lbc_ir::Program;

use crate::Backend;

pub struct IrJson;

const ALL_FULL: [(Feature, Support); Feature::ALL.len()] = full_except([]);

impl Backend for IrJson {
    fn name(&self) -> &'static str {
        "ir"
    }

    fn description(&self) -> &'static str {
        "the intermediate representation as JSON (what external plugins read)"
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities { table: &ALL_FULL }
    }

    fn render(&self, program: &Program) -> String {
        program.to_json()
    }
}
