//! The pest parser and the driver that parses a file statement by statement,
//! recovering at the next line that starts a statement so that every syntax error
//! of a file is reported in one run.

use pest::iterators::Pair;
use pest::Parser as _;

use crate::ast::{Comment, File, Span};
use crate::build::build_statement;
use crate::error::SyntaxError;

#[derive(pest_derive::Parser)]
#[grammar = "lbdsl.pest"]
pub(crate) struct LbdslParser;

/// The result of parsing one file: every statement that parsed, every comment,
/// and every syntax error (empty when the file is well formed).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Parsed {
    pub file: File,
    pub errors: Vec<SyntaxError>,
}

/// The largest file `parse` accepts: spans are `u32` byte offsets.
pub const MAX_SOURCE_LEN: usize = u32::MAX as usize;

/// Parses one lbdsl source text. Never panics; a file longer than
/// [`MAX_SOURCE_LEN`] is one syntax error at its start.
pub fn parse(source: &str) -> Parsed {
    let mut parsed = Parsed::default();
    if source.len() > MAX_SOURCE_LEN {
        parsed.errors.push(SyntaxError::too_long(source.len()));
        return parsed;
    }
    let mut pos = 0;
    loop {
        pos = skip_trivia(source, pos, &mut parsed.file.comments);
        if pos >= source.len() {
            break;
        }
        match LbdslParser::parse(Rule::statement_ahead, &source[pos..]) {
            Ok(mut pairs) => {
                let Some(pair) = pairs.next() else { break };
                let end = pos + pair.as_span().end();
                if source[pos..end].contains('#') {
                    collect_comments(&pair, pos, &mut parsed.file.comments);
                }
                parsed.file.statements.push(build_statement(pair, pos));
                if end <= pos {
                    break;
                }
                pos = end;
            }
            Err(err) => {
                let error = SyntaxError::from_pest(&err, source, pos);
                let resume = next_statement_line(source, error.span.start as usize);
                parsed.errors.push(error);
                match resume {
                    Some(next) => pos = next,
                    None => break,
                }
            }
        }
    }
    parsed.file.comments.sort_by_key(|c| c.span.start);
    parsed
}

/// Skips whitespace and comments from `pos`, recording the comments.
fn skip_trivia(source: &str, pos: usize, comments: &mut Vec<Comment>) -> usize {
    match LbdslParser::parse(Rule::trivia, &source[pos..]) {
        Ok(mut pairs) => match pairs.next() {
            Some(trivia) => {
                collect_comments(&trivia, pos, comments);
                pos + trivia.as_span().end()
            }
            None => pos,
        },
        // `trivia` matches the empty string, so it cannot fail.
        Err(_) => pos,
    }
}

fn collect_comments(pair: &Pair<'_, Rule>, offset: usize, comments: &mut Vec<Comment>) {
    for p in pair.clone().into_inner().flatten() {
        if p.as_rule() == Rule::COMMENT {
            let text = p
                .clone()
                .into_inner()
                .next()
                .map(|t| t.as_str().to_string())
                .unwrap_or_default();
            let sp = p.as_span();
            comments.push(Comment {
                text,
                span: Span::new(offset + sp.start(), offset + sp.end()),
            });
        }
    }
}

/// The start of the first line after `from` whose first word is a statement
/// keyword: where parsing resumes after a syntax error.
fn next_statement_line(source: &str, from: usize) -> Option<usize> {
    let mut line_start = source[from.min(source.len())..]
        .find('\n')
        .map(|i| from + i + 1)?;
    loop {
        let rest = &source[line_start..];
        let trimmed = rest.trim_start_matches([' ', '\t', '\r']);
        let word: String = trimmed
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
            .collect();
        if matches!(
            word.as_str(),
            "table" | "host" | "pool" | "snat" | "vip" | "include"
        ) {
            return Some(line_start + (rest.len() - trimmed.len()));
        }
        line_start += rest.find('\n')? + 1;
    }
}
