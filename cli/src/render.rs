//! Diagnostics to text: `human` (codespan-reporting, the only place it is
//! used), `short` (`file:line:col: severity[CODE]: message`) and `json` (one
//! object per line, the shape of spec section 4, documented in
//! `docs/diagnostics.md`).

use std::ops::Range;

use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::{self, termcolor::WriteColor};
use lbc_compiler::{Diagnostic, FileId, Severity, Site, Sources};
use serde::Serialize;

/// How diagnostics are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum MessageFormat {
    Human,
    Short,
    Json,
}

/// codespan-reporting's view of our sources.
struct SourceFiles<'a>(&'a Sources);

impl<'a> Files<'a> for SourceFiles<'a> {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(&self.0.get(id).name)
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(&self.0.get(id).text)
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, FilesError> {
        Ok(self.0.get(id).line_index(byte_index))
    }

    fn line_range(&'a self, id: FileId, line_index: usize) -> Result<Range<usize>, FilesError> {
        let f = self.0.get(id);
        let start = f.line_start(line_index).ok_or(FilesError::LineTooLarge {
            given: line_index,
            max: f.line_count().saturating_sub(1),
        })?;
        let end = f.line_start(line_index + 1).unwrap_or(f.text.len());
        Ok(start..end)
    }
}

fn to_codespan(d: &Diagnostic) -> cs::Diagnostic<FileId> {
    let severity = match d.severity() {
        Severity::Error => cs::Severity::Error,
        Severity::Warning => cs::Severity::Warning,
    };
    let labels = d
        .labels
        .iter()
        .map(|l| {
            let style = if l.primary {
                cs::LabelStyle::Primary
            } else {
                cs::LabelStyle::Secondary
            };
            cs::Label::new(style, l.site.file, l.site.span.range()).with_message(l.message.clone())
        })
        .collect();
    let mut notes = d.notes.clone();
    notes.extend(d.help.iter().map(|h| format!("help: {h}")));
    cs::Diagnostic::new(severity)
        .with_code(d.code.as_str())
        .with_message(d.message.clone())
        .with_labels(labels)
        .with_notes(notes)
}

/// Renders diagnostics in the human format to a colour-capable writer.
pub fn human(out: &mut dyn WriteColor, sources: &Sources, diags: &[Diagnostic]) {
    let config = term::Config::default();
    let files = SourceFiles(sources);
    for d in diags {
        // Writing to a terminal or buffer; a failure there has nowhere to go.
        let _ = term::emit(out, &config, &files, &to_codespan(d));
    }
}

/// The human format without colour, as a string (tests, snapshots).
pub fn human_string(sources: &Sources, diags: &[Diagnostic]) -> String {
    let mut buf = term::termcolor::NoColor::new(Vec::new());
    human(&mut buf, sources, diags);
    String::from_utf8_lossy(&buf.into_inner()).into_owned()
}

/// Where a site is, 1-based, end exclusive as a column after the last character.
#[derive(Serialize)]
struct Position<'a> {
    file: &'a str,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
}

fn position<'a>(sources: &'a Sources, site: Site) -> Position<'a> {
    let f = sources.get(site.file);
    let (line, column) = f.line_col(site.span.start as usize);
    let (end_line, end_column) = f.line_col(site.span.end as usize);
    Position {
        file: &f.name,
        line,
        column,
        end_line,
        end_column,
    }
}

/// `file:line:col: severity[CODE]: message`, one per line. `fallback` names the
/// file for a diagnostic without a place.
pub fn short(sources: &Sources, diags: &[Diagnostic], fallback: &str) -> String {
    let mut out = String::new();
    for d in diags {
        let at = match d.site() {
            Some(site) => {
                let p = position(sources, site);
                format!("{}:{}:{}", p.file, p.line, p.column)
            }
            None => fallback.to_string(),
        };
        out.push_str(&format!(
            "{at}: {}[{}]: {}\n",
            d.severity().name(),
            d.code.as_str(),
            d.message
        ));
    }
    out
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    #[serde(flatten)]
    position: Position<'a>,
    message: &'a str,
    primary: bool,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    severity: &'static str,
    code: &'static str,
    message: &'a str,
    file: Option<&'a str>,
    line: Option<u32>,
    column: Option<u32>,
    end_line: Option<u32>,
    end_column: Option<u32>,
    labels: Vec<JsonLabel<'a>>,
    notes: &'a [String],
    help: &'a [String],
}

/// One JSON object per line.
pub fn json(sources: &Sources, diags: &[Diagnostic], fallback: &str) -> String {
    let mut out = String::new();
    for d in diags {
        let primary = d.site().map(|s| position(sources, s));
        let j = JsonDiagnostic {
            severity: d.severity().name(),
            code: d.code.as_str(),
            message: &d.message,
            file: Some(primary.as_ref().map_or(fallback, |p| p.file)),
            line: primary.as_ref().map(|p| p.line),
            column: primary.as_ref().map(|p| p.column),
            end_line: primary.as_ref().map(|p| p.end_line),
            end_column: primary.as_ref().map(|p| p.end_column),
            labels: d
                .labels
                .iter()
                .map(|l| JsonLabel {
                    position: position(sources, l.site),
                    message: &l.message,
                    primary: l.primary,
                })
                .collect(),
            notes: &d.notes,
            help: &d.help,
        };
        // Plain data with string keys always serialises.
        out.push_str(&serde_json::to_string(&j).unwrap_or_default());
        out.push('\n');
    }
    out
}
