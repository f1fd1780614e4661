//! `lbc fmt FILE...|- [--check]`

use crate::args::Report;

use super::EXIT_USAGE;

pub fn run(_files: &[String], _check: bool, _rep: Report) -> u8 {
    eprintln!("error: lbc fmt is not available in this build");
    EXIT_USAGE
}
