//! Syntax errors as data: where, what was expected (in words a user knows) and
//! what was found. Rendering is the compiler's and the CLI's business.

use pest::error::{ErrorVariant, InputLocation};

use crate::ast::Span;
use crate::expected::describe;
use crate::parser::Rule;

const KEYWORDS: &[&str] = &[
    "table",
    "host",
    "pool",
    "vip",
    "include",
    "snat",
    "masquerade",
    "none",
    "to",
    "rr",
    "random",
    "hash",
    "counter",
    "comment",
    "weight",
    "sticky",
    "tcp",
    "udp",
];

/// Whether `word` is one of the language's reserved words.
pub fn is_keyword(word: &str) -> bool {
    KEYWORDS.contains(&word)
}

/// What a syntax error found where it expected something else.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Found {
    /// A word (`bogus`, `10.0.0.1`) or a single character (`]`).
    Token(String),
    EndOfLine,
    EndOfFile,
}

impl Found {
    fn describe(&self) -> String {
        match self {
            Found::Token(t) => format!("`{t}`"),
            Found::EndOfLine => "the end of the line".to_string(),
            Found::EndOfFile => "the end of the file".to_string(),
        }
    }

    fn len(&self) -> usize {
        match self {
            Found::Token(t) => t.len(),
            Found::EndOfLine | Found::EndOfFile => 0,
        }
    }
}

/// One syntax error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// Where the unexpected input starts (empty at the end of the file).
    pub span: Span,
    /// What would have been accepted here, in words, most relevant first.
    pub expected: Vec<&'static str>,
    /// The unexpected input.
    pub found: Found,
    /// A more specific explanation, when the situation is a common one.
    pub hint: Option<String>,
}

impl SyntaxError {
    /// "expected a name, found `rr`"
    pub fn message(&self) -> String {
        let found = self.found.describe();
        if self.expected.is_empty() {
            return format!("unexpected {found}");
        }
        format!(
            "expected {}, found {found}",
            join_alternatives(&self.expected)
        )
    }

    pub(crate) fn too_long(len: usize) -> SyntaxError {
        SyntaxError {
            span: Span::default(),
            expected: Vec::new(),
            found: Found::EndOfFile,
            hint: Some(format!(
                "the file is {len} bytes long; lbc reads files of at most 4 GiB"
            )),
        }
    }

    /// Converts a pest error for the text starting at `offset` of `source`.
    pub(crate) fn from_pest(
        err: &pest::error::Error<Rule>,
        source: &str,
        offset: usize,
    ) -> SyntaxError {
        let at = offset
            + match err.location {
                InputLocation::Pos(p) => p,
                InputLocation::Span((s, _)) => s,
            };
        let at = at.min(source.len());
        let mut expected: Vec<(u8, &'static str)> = match &err.variant {
            ErrorVariant::ParsingError { positives, .. } => {
                positives.iter().filter_map(|r| describe(*r)).collect()
            }
            ErrorVariant::CustomError { .. } => Vec::new(),
        };
        expected.sort();
        expected.dedup_by(|a, b| a.1 == b.1);
        let expected: Vec<&'static str> = expected.into_iter().map(|(_, s)| s).collect();
        let found = found_token(source, at);
        let span = Span::new(at, at + found.len());
        let hint = hint_for(&expected, &found, source, at);
        SyntaxError {
            span,
            expected,
            found,
            hint,
        }
    }
}

fn join_alternatives(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// The word (or single character) at `at`, as a user would point at it.
fn found_token(source: &str, at: usize) -> Found {
    let rest = &source[at..];
    let Some(first) = rest.chars().next() else {
        return Found::EndOfFile;
    };
    let is_word = |c: char| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':');
    if first == '\n' || first == '\r' {
        Found::EndOfLine
    } else if rest.starts_with("->") {
        Found::Token("->".to_string())
    } else if is_word(first) {
        Found::Token(rest.chars().take_while(|c| is_word(*c)).take(40).collect())
    } else {
        Found::Token(first.to_string())
    }
}

fn hint_for(expected: &[&str], found: &Found, source: &str, at: usize) -> Option<String> {
    if *found == Found::EndOfLine && expected.contains(&"a closing `\"`") {
        return Some("a string ends on the line where it starts".to_string());
    }
    let Found::Token(found) = found else {
        return None;
    };
    let wants_name = expected.iter().any(|e| e.ends_with("name"));
    if wants_name && is_keyword(found) {
        return Some(format!(
            "`{found}` is a keyword and cannot be used as a name"
        ));
    }
    // `vip 2001:db8::1:443` : a bare IPv6 address swallows the port.
    let last_word = source[..at]
        .rsplit(char::is_whitespace)
        .find(|w| !w.is_empty())
        .unwrap_or("");
    if expected.contains(&"`:`") && last_word.matches(':').count() >= 2 && !last_word.contains('[')
    {
        return Some(
            "an IPv6 address followed by a port is written in brackets: `[ADDRESS]:PORT`"
                .to_string(),
        );
    }
    None
}
