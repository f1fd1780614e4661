//! Reading the file a command names (or standard input), reporting what stops
//! it: an I/O problem (exit 2) or input that is not a source file (exit 1).

use lbc_compiler::{Code, Diagnostic, LoadError, LoadedFile, Site, SourceFile, Sources};
use lbc_grammar::ast::Span;

use crate::args::Report;
use crate::files::{read_source, read_stdin};
use crate::report::{self, Stream};

use super::{EXIT_INPUT, EXIT_USAGE};

/// Loads `file` (`-` is standard input); on failure, reports it and returns
/// the exit code.
pub fn load(file: &str, rep: Report, stream: Stream) -> Result<LoadedFile, u8> {
    let result = if file == "-" {
        read_stdin()
    } else {
        read_source(std::path::Path::new(file), file)
    };
    result.map_err(|e| fail(file, &e, rep, stream))
}

fn fail(file: &str, e: &LoadError, rep: Report, stream: Stream) -> u8 {
    match e {
        LoadError::NotUtf8 { offset } => {
            // Show the valid prefix so that the label points at the bad byte.
            let mut sources = Sources::default();
            let text = std::fs::read(file)
                .map(|b| String::from_utf8_lossy(&b[..(*offset).min(b.len())]).into_owned())
                .unwrap_or_default();
            let len = text.len();
            let id = sources.add(SourceFile::new(file.to_string(), text));
            let d = Diagnostic::new(
                Code::NotUtf8,
                format!("`{file}` is not UTF-8: the byte at offset {offset} is not valid"),
            )
            .primary(
                Site::new(id, Span::new(len, len)),
                format!("invalid byte at offset {offset}"),
            )
            .help("lbdsl files are UTF-8 text; convert the file (e.g. with iconv)");
            report::print(rep, stream, &sources, &[d], file);
            EXIT_INPUT
        }
        LoadError::TooLarge { size, limit } => {
            let d = Diagnostic::new(
                Code::LimitExceeded,
                format!("`{file}` is {size} bytes long; lbc reads files of at most {limit} bytes"),
            );
            report::print(rep, stream, &Sources::default(), &[d], file);
            EXIT_INPUT
        }
        LoadError::NotFound | LoadError::IsDirectory | LoadError::Other(_) => {
            eprintln!("error: cannot read `{file}`: {e}");
            EXIT_USAGE
        }
    }
}
