//! `lbc fmt FILE...|- [--check]`: rewrites files in the canonical layout
//! (`lbc_grammar::fmt`); `-` reads standard input and writes standard output.
//! With `--check` nothing changes: the files that would change are listed and
//! the exit code is 1 if there are any. A file with a syntax error is reported
//! and left alone.

use std::io::Write;

use lbc_compiler::load::syntax_diagnostic;
use lbc_compiler::{LoadedFile, SourceFile, Sources};

use crate::args::Report;
use crate::files::write_atomic;
use crate::report::{self, Stream};

use super::{root, EXIT_INPUT, EXIT_OK, EXIT_USAGE};

pub fn run(files: &[String], check: bool, rep: Report) -> u8 {
    let mut code = EXIT_OK;
    let mut worst = |c: u8| {
        if c == EXIT_USAGE || (c == EXIT_INPUT && code == EXIT_OK) {
            code = c;
        }
    };
    for file in files {
        let loaded = match root::load(file, rep, Stream::Stderr) {
            Ok(l) => l,
            Err(c) => {
                worst(c);
                continue;
            }
        };
        match format_file(&loaded, rep) {
            None => worst(EXIT_INPUT),
            Some(formatted) if file == "-" => {
                if check {
                    if formatted != loaded.text {
                        println!("<stdin>");
                        worst(EXIT_INPUT);
                    }
                } else {
                    let _ = std::io::stdout().lock().write_all(formatted.as_bytes());
                }
            }
            Some(formatted) if formatted == loaded.text => {}
            Some(formatted) => {
                if check {
                    println!("{file}");
                    worst(EXIT_INPUT);
                } else if let Err(e) =
                    write_atomic(std::path::Path::new(file), formatted.as_bytes())
                {
                    eprintln!("error: cannot write `{file}`: {e}");
                    worst(EXIT_USAGE);
                }
            }
        }
    }
    code
}

/// The canonical text, or `None` (reported) when the file has syntax errors.
fn format_file(loaded: &LoadedFile, rep: Report) -> Option<String> {
    let parsed = lbc_grammar::parse(&loaded.text);
    if parsed.errors.is_empty() {
        return Some(lbc_grammar::fmt::format(&parsed.file, &loaded.text));
    }
    let mut sources = Sources::default();
    let id = sources.add(SourceFile::new(loaded.id.name.clone(), loaded.text.clone()));
    let diags: Vec<_> = parsed
        .errors
        .iter()
        .map(|e| syntax_diagnostic(id, e))
        .collect();
    report::print(rep, Stream::Stderr, &sources, &diags, &loaded.id.name);
    None
}
