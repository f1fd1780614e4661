//! `lbc-grammar`: the text of lbdsl. The pest grammar (`lbdsl.pest`), the typed
//! and spanned AST, and syntax errors as data. Knows nothing of meaning, the IR
//! or any output target.

pub mod ast;
mod build;
pub mod dump;
mod error;
mod expected;
pub mod fmt;
mod parser;

pub use error::{is_keyword, Found, SyntaxError};
pub use parser::{parse, Parsed, MAX_SOURCE_LEN};
