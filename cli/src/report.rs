//! Prints diagnostics in the chosen format and colour.

use std::io::{IsTerminal, Write};

use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
use lbc_compiler::{Diagnostic, Sources};

use crate::args::{Color, Report};
use crate::render::{self, MessageFormat};

/// Where diagnostics go.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

pub fn print(
    report: Report,
    stream: Stream,
    sources: &Sources,
    diags: &[Diagnostic],
    fallback: &str,
) {
    if diags.is_empty() {
        return;
    }
    match report.message_format {
        MessageFormat::Human => {
            let is_tty = match stream {
                Stream::Stdout => std::io::stdout().is_terminal(),
                Stream::Stderr => std::io::stderr().is_terminal(),
            };
            let choice = match report.color {
                Color::Always => ColorChoice::Always,
                Color::Never => ColorChoice::Never,
                Color::Auto if is_tty && std::env::var_os("NO_COLOR").is_none() => {
                    ColorChoice::Auto
                }
                Color::Auto => ColorChoice::Never,
            };
            let out = match stream {
                Stream::Stdout => StandardStream::stdout(choice),
                Stream::Stderr => StandardStream::stderr(choice),
            };
            render::human(&mut out.lock(), sources, diags);
        }
        MessageFormat::Short => write(stream, &render::short(sources, diags, fallback)),
        MessageFormat::Json => write(stream, &render::json(sources, diags, fallback)),
    }
}

pub fn write(stream: Stream, text: &str) {
    let _ = match stream {
        Stream::Stdout => std::io::stdout().lock().write_all(text.as_bytes()),
        Stream::Stderr => std::io::stderr().lock().write_all(text.as_bytes()),
    };
}
