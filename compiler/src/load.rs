//! Parses the root file and, through the [`Loader`], every file it includes,
//! splicing included statements in place of their `include`.
//!
//! Cycles are errors; a file included a second time (not in a cycle) is skipped
//! with a warning, like `#pragma once`. Depth and file count are bounded.

use lbc_grammar::ast::{File, Statement};

use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::limits::Limits;
use crate::source::{FileId, FileKey, LoadError, LoadedFile, Loader, Site, SourceFile, Sources};

/// A statement of the spliced program: file and index into that file's
/// statements.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StmtRef {
    pub file: FileId,
    pub index: usize,
}

/// Every file's syntax tree and the order of the spliced program.
#[derive(Clone, Debug, Default)]
pub struct Spliced {
    /// Indexed by `FileId`.
    pub files: Vec<File>,
    /// Every statement (includes too) in program order.
    pub order: Vec<StmtRef>,
    /// Whether statements may be missing: a file had a syntax error, or an
    /// include could not be loaded. Checks that would then only report
    /// consequences (undefined or unused names, no vips) are skipped.
    pub incomplete: bool,
}

impl Spliced {
    pub fn statement(&self, r: StmtRef) -> &Statement {
        &self.files[r.file.0 as usize].statements[r.index]
    }

    /// Statements in program order, with their file.
    pub fn statements(&self) -> impl Iterator<Item = (FileId, &Statement)> {
        self.order.iter().map(|r| (r.file, self.statement(*r)))
    }
}

/// Loads `root` and its includes.
pub fn load(
    root: LoadedFile,
    loader: &mut dyn Loader,
    limits: &Limits,
    sources: &mut Sources,
    diags: &mut Vec<Diagnostic>,
) -> Spliced {
    let mut l = Load {
        limits: *limits,
        loader,
        sources,
        diags,
        spliced: Spliced::default(),
        seen: Vec::new(),
    };
    let mut stack = Vec::new();
    l.visit(root, None, &mut stack);
    l.spliced
}

struct Load<'a> {
    limits: Limits,
    loader: &'a mut dyn Loader,
    sources: &'a mut Sources,
    diags: &'a mut Vec<Diagnostic>,
    spliced: Spliced,
    /// Keys of every file loaded so far, with where it was first included.
    seen: Vec<(String, Option<Site>)>,
}

/// An open file on the include stack: its key and the include that opened it
/// (`None` for the root).
struct Open {
    key: FileKey,
    included_at: Option<Site>,
}

impl Load<'_> {
    fn visit(&mut self, file: LoadedFile, included_at: Option<Site>, stack: &mut Vec<Open>) {
        let key = file.id.clone();
        let id = self
            .sources
            .add(SourceFile::new(key.name.clone(), file.text));
        let parsed = lbc_grammar::parse(&self.sources.get(id).text);
        self.diags
            .extend(parsed.errors.iter().map(|e| syntax_diagnostic(id, e)));
        self.spliced.incomplete |= !parsed.errors.is_empty();
        self.spliced.files.push(parsed.file);
        self.seen.push((key.key.clone(), included_at));
        let count = self.spliced.files[id.0 as usize].statements.len();
        stack.push(Open { key, included_at });
        for index in 0..count {
            self.spliced.order.push(StmtRef { file: id, index });
            let stmt = &self.spliced.files[id.0 as usize].statements[index];
            if let Statement::Include(inc) = stmt {
                let path = &inc.path;
                if path.value.chars().any(crate::check::is_forbidden_char)
                    || !path.bad_escapes.is_empty()
                    || path.value.len() > self.limits.path_bytes
                {
                    // Reported by the string checks.
                    self.spliced.incomplete = true;
                    continue;
                }
                let site = Site::new(id, inc.span);
                let path = inc.path.value.clone();
                self.include(site, &path, stack);
            }
        }
        stack.pop();
    }

    fn include(&mut self, site: Site, path: &str, stack: &mut Vec<Open>) {
        let diags_before = self.diags.len();
        self.include_file(site, path, stack);
        // Any error here means statements of the program are missing.
        if self.diags[diags_before..].iter().any(Diagnostic::is_error) {
            self.spliced.incomplete = true;
        }
    }

    fn include_file(&mut self, site: Site, path: &str, stack: &mut Vec<Open>) {
        let from = &stack.last().expect("the including file is open").key;
        let loaded = match self.loader.load_include(from, path) {
            Ok(f) => f,
            Err(LoadError::NotUtf8 { offset }) => {
                self.diags.push(
                    Diagnostic::new(
                        Code::NotUtf8,
                        format!("`{path}` is not UTF-8: the byte at offset {offset} is not valid"),
                    )
                    .primary(site, "included here")
                    .help("lbdsl files are UTF-8 text; convert the file (e.g. with iconv)"),
                );
                return;
            }
            Err(LoadError::TooLarge { size, limit }) => {
                self.diags.push(
                    Diagnostic::new(
                        Code::LimitExceeded,
                        format!("`{path}` is {size} bytes long; lbc reads files of at most {limit} bytes"),
                    )
                    .primary(site, "included here"),
                );
                return;
            }
            Err(e) => {
                self.diags.push(
                    Diagnostic::new(
                        Code::IncludeNotFound,
                        format!("cannot include `{path}`: {e}"),
                    )
                    .primary(site, "included here")
                    .note(format!(
                        "the path is relative to the directory of `{}`",
                        from.name
                    )),
                );
                return;
            }
        };
        if let Some(pos) = stack.iter().position(|o| o.key.key == loaded.id.key) {
            let mut d = Diagnostic::new(
                Code::IncludeCycle,
                format!("`{}` includes itself through this include", loaded.id.name),
            )
            .primary(site, "this include closes the cycle");
            for open in &stack[pos + 1..] {
                if let Some(at) = open.included_at {
                    d = d.secondary(at, format!("`{}` is included here", open.key.name));
                }
            }
            let chain: Vec<&str> = stack[pos..]
                .iter()
                .map(|o| o.key.name.as_str())
                .chain(std::iter::once(loaded.id.name.as_str()))
                .collect();
            self.diags
                .push(d.note(format!("cycle: {}", chain.join(" -> "))));
            return;
        }
        if let Some((_, first)) = self.seen.iter().find(|(k, _)| *k == loaded.id.key) {
            let mut d = Diagnostic::new(
                Code::RepeatedInclude,
                format!(
                    "`{}` is already included; this include is ignored",
                    loaded.id.name
                ),
            )
            .primary(site, "included again here");
            if let Some(first) = first {
                d = d.secondary(*first, "first included here");
            }
            self.diags.push(d);
            return;
        }
        // The root is depth 0, so the new file is at depth `stack.len()`.
        if stack.len() > self.limits.include_depth {
            self.diags.push(
                Diagnostic::new(
                    Code::LimitExceeded,
                    format!(
                        "includes are nested more than {} deep",
                        self.limits.include_depth
                    ),
                )
                .primary(site, "this include is too deep"),
            );
            return;
        }
        if self.sources.len() >= self.limits.files {
            self.diags.push(
                Diagnostic::new(
                    Code::LimitExceeded,
                    format!("a program can have at most {} files", self.limits.files),
                )
                .primary(site, "one file too many"),
            );
            return;
        }
        self.visit(loaded, Some(site), stack);
    }
}

/// The diagnostic (E0001) of a syntax error in file `id`.
pub fn syntax_diagnostic(id: FileId, e: &lbc_grammar::SyntaxError) -> Diagnostic {
    let label = match e.expected.as_slice() {
        [one] => format!("expected {one}"),
        _ => "unexpected here".to_string(),
    };
    let d = Diagnostic::new(Code::Syntax, e.message()).primary(Site::new(id, e.span), label);
    match &e.hint {
        Some(hint) => d.help(hint.clone()),
        None => d,
    }
}
