//! Diagnostics as plain data: a code, a message, labelled places, notes and help.
//! The CLI turns them into text (codespan-reporting), `short` lines or JSON; the
//! compiler never formats for a terminal.

use crate::codes::{Code, Severity};
use crate::source::Site;

/// A labelled place in the source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub site: Site,
    pub message: String,
    /// The primary label marks the problem; secondary ones the other places
    /// involved ("first defined here").
    pub primary: bool,
}

/// One problem found in the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub message: String,
    /// The primary label first, then secondary labels in source order.
    pub labels: Vec<Label>,
    pub notes: Vec<String>,
    /// How to fix it.
    pub help: Vec<String>,
}

impl Diagnostic {
    pub fn new(code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            message: message.into(),
            labels: Vec::new(),
            notes: Vec::new(),
            help: Vec::new(),
        }
    }

    pub fn severity(&self) -> Severity {
        self.code.severity()
    }

    pub fn is_error(&self) -> bool {
        self.severity() == Severity::Error
    }

    /// Adds the primary label.
    pub fn primary(mut self, site: Site, message: impl Into<String>) -> Diagnostic {
        self.labels.insert(
            0,
            Label {
                site,
                message: message.into(),
                primary: true,
            },
        );
        self
    }

    /// Adds a secondary label.
    pub fn secondary(mut self, site: Site, message: impl Into<String>) -> Diagnostic {
        self.labels.push(Label {
            site,
            message: message.into(),
            primary: false,
        });
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help.push(help.into());
        self
    }

    /// The primary label's site, if any.
    pub fn site(&self) -> Option<Site> {
        self.labels.iter().find(|l| l.primary).map(|l| l.site)
    }
}

/// Sorts diagnostics by the position of their primary label (diagnostics
/// without a place first), keeping the order of diagnostics at the same place.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by_key(|d| {
        d.site()
            .map(|s| (1, s.file, s.span.start, s.span.end))
            .unwrap_or((0, crate::source::FileId(0), 0, 0))
    });
}

/// Whether any diagnostic is an error.
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(Diagnostic::is_error)
}
