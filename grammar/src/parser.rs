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

/// Files larger than this are parsed in parallel chunks.
const PARALLEL_BYTES: usize = 512 * 1024;

/// Parses one lbdsl source text. Never panics; a file longer than
/// [`MAX_SOURCE_LEN`] is one syntax error at its start.
///
/// A large file is cut into chunks at lines that start a statement (`vip`,
/// `host`, `pool`, `table`, `include`: those words never continue a statement,
/// unlike `snat`, which is also an option) and the chunks are parsed on
/// separate threads; the result is the same as parsing it whole.
pub fn parse(source: &str) -> Parsed {
    if source.len() > MAX_SOURCE_LEN {
        let mut parsed = Parsed::default();
        parsed.errors.push(SyntaxError::too_long(source.len()));
        return parsed;
    }
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    let chunks = if source.len() >= PARALLEL_BYTES && threads > 1 {
        chunk_bounds(source, threads)
    } else {
        vec![(0, source.len())]
    };
    if chunks.len() == 1 {
        return parse_range(source, 0, source.len());
    }
    let parts: Vec<Parsed> = std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .iter()
            .map(|&(start, end)| scope.spawn(move || parse_range(source, start, end)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    let mut parsed = Parsed::default();
    for mut p in parts {
        parsed.file.statements.append(&mut p.file.statements);
        parsed.file.comments.append(&mut p.file.comments);
        parsed.errors.append(&mut p.errors);
    }
    parsed
}

/// Up to `n` chunks of `source`, each starting at a statement line.
fn chunk_bounds(source: &str, n: usize) -> Vec<(usize, usize)> {
    let mut starts = vec![0];
    for i in 1..n {
        let target = source.len() * i / n;
        let Some(line) = source[target..].find('\n').map(|p| target + p + 1) else {
            break;
        };
        if let Some(start) = next_unambiguous_statement_line(source, line) {
            if start > *starts.last().unwrap_or(&0) {
                starts.push(start);
            }
        }
    }
    let mut bounds: Vec<(usize, usize)> = starts.windows(2).map(|w| (w[0], w[1])).collect();
    bounds.push((*starts.last().unwrap_or(&0), source.len()));
    bounds
}

/// The first line at or after `from` that starts with a statement keyword that
/// cannot continue a statement (not `snat`).
fn next_unambiguous_statement_line(source: &str, from: usize) -> Option<usize> {
    let mut line = from;
    while line < source.len() {
        let rest = &source[line..];
        let word: &str = rest
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .next()
            .unwrap_or("");
        if matches!(word, "vip" | "host" | "pool" | "table" | "include") {
            return Some(line);
        }
        line += rest.find('\n')? + 1;
    }
    None
}

/// Parses `source[start..end]` statement by statement (spans stay relative to
/// the whole source), resuming after a syntax error at the next line that
/// starts a statement.
fn parse_range(source: &str, start: usize, end: usize) -> Parsed {
    let mut parsed = Parsed::default();
    let text = &source[..end];
    let mut pos = start;
    loop {
        pos = skip_trivia(text, pos, &mut parsed.file.comments);
        if pos >= end {
            break;
        }
        match LbdslParser::parse(Rule::statement_ahead, &text[pos..]) {
            Ok(mut pairs) => {
                let Some(pair) = pairs.next() else { break };
                let stmt_end = pos + pair.as_span().end();
                if text[pos..stmt_end].contains('#') {
                    collect_comments(&pair, pos, &mut parsed.file.comments);
                }
                parsed.file.statements.push(build_statement(pair, pos));
                if stmt_end <= pos {
                    break;
                }
                pos = stmt_end;
            }
            Err(err) => {
                let error = SyntaxError::from_pest(&err, text, pos);
                let resume = next_statement_line(text, error.span.start as usize);
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A large program with comments, multi-line statements, `snat` options on
    /// lines of their own and a few syntax errors.
    fn big(errors: bool) -> String {
        let mut s = String::new();
        for i in 0..12_000 {
            s.push_str(&format!("# vip number {i}\n"));
            s.push_str(&format!("vip 198.19.{}.{}:80 -> rr [\n    198.18.1.11,  # one\n    198.18.1.12,\n]\n  snat none\n", i / 256, i % 256));
            if i % 3 == 0 {
                s.push_str(&format!("host h{i} = 198.18.1.13\nsnat masquerade\n"));
            }
            if errors && i % 2500 == 7 {
                s.push_str("vip 198.19.0.1 -> rr [x]\n");
            }
        }
        s
    }

    #[test]
    fn parallel_parsing_gives_the_same_result_as_sequential_parsing() {
        for errors in [false, true] {
            let src = big(errors);
            assert!(src.len() > PARALLEL_BYTES);
            let chunks = chunk_bounds(&src, 4);
            assert!(chunks.len() > 1, "the file is cut");
            let parallel = parse(&src);
            let sequential = parse_range(&src, 0, src.len());
            assert_eq!(parallel, sequential);
            assert_eq!(parallel.errors.is_empty(), !errors);
        }
    }
}
