//! The files of one compilation: names, texts, and line/column lookup.
//!
//! Reading files is not done here (the compiler does no I/O): the CLI hands
//! texts in through a [`Loader`].

use lbc_grammar::ast::Span;

/// Index of a file in [`Sources`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// A place in a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Site {
    pub file: FileId,
    pub span: Span,
}

impl Site {
    pub fn new(file: FileId, span: Span) -> Site {
        Site { file, span }
    }
}

/// One source file.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// How the file is shown to the user (the path as given, or joined to the
    /// including file's directory).
    pub name: String,
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(name: String, text: String) -> SourceFile {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceFile {
            name,
            text,
            line_starts,
        }
    }

    /// 0-based line index of a byte offset.
    pub fn line_index(&self, offset: usize) -> usize {
        self.line_starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    /// Byte offset where 0-based line `line` starts.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.line_starts.get(line).copied()
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        let line = self.line_index(offset);
        let start = self.line_starts[line];
        let col = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (line as u32 + 1, col as u32 + 1)
    }
}

/// All files of one compilation, in the order they were loaded.
#[derive(Clone, Debug, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
}

impl Sources {
    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        FileId(self.files.len() as u32 - 1)
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The text a site covers.
    pub fn text(&self, site: Site) -> &str {
        self.get(site.file)
            .text
            .get(site.span.range())
            .unwrap_or("")
    }
}

/// A file handed to the compiler.
#[derive(Clone, Debug)]
pub struct LoadedFile {
    pub id: FileKey,
    pub text: String,
}

/// What identifies a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileKey {
    /// Identity for cycle detection (a canonical path).
    pub key: String,
    /// How the file is shown to the user.
    pub name: String,
}

impl LoadedFile {
    pub fn new(
        key: impl Into<String>,
        name: impl Into<String>,
        text: impl Into<String>,
    ) -> LoadedFile {
        LoadedFile {
            id: FileKey {
                key: key.into(),
                name: name.into(),
            },
            text: text.into(),
        }
    }
}

/// Why an included file could not be loaded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadError {
    NotFound,
    IsDirectory,
    /// The bytes are not UTF-8; `offset` is the first bad byte.
    NotUtf8 {
        offset: usize,
    },
    TooLarge {
        size: u64,
        limit: u64,
    },
    Other(String),
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::NotFound => write!(f, "no such file"),
            LoadError::IsDirectory => write!(f, "it is a directory"),
            LoadError::NotUtf8 { offset } => {
                write!(
                    f,
                    "it is not valid UTF-8 (first bad byte at offset {offset})"
                )
            }
            LoadError::TooLarge { size, limit } => {
                write!(f, "it is {size} bytes long; the limit is {limit} bytes")
            }
            LoadError::Other(why) => write!(f, "{why}"),
        }
    }
}

/// How the compiler reads the files that `include` names. The CLI implements it
/// with the file system; tests implement it with a map.
pub trait Loader {
    /// Loads `path`, written in an `include` of the file `from`, relative to
    /// that file's directory.
    fn load_include(&mut self, from: &FileKey, path: &str) -> Result<LoadedFile, LoadError>;
}

/// A loader over a fixed set of files, keyed by name; includes are resolved
/// relative to the including file's directory with `/` separators.
#[derive(Clone, Debug, Default)]
pub struct MemoryLoader {
    pub files: std::collections::BTreeMap<String, String>,
}

impl MemoryLoader {
    pub fn new<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> MemoryLoader {
        MemoryLoader {
            files: files
                .into_iter()
                .map(|(n, t)| (n.to_string(), t.to_string()))
                .collect(),
        }
    }

    pub fn root(&self, name: &str) -> Option<LoadedFile> {
        self.files
            .get(name)
            .map(|text| LoadedFile::new(name, name, text.clone()))
    }
}

impl Loader for MemoryLoader {
    fn load_include(&mut self, from: &FileKey, path: &str) -> Result<LoadedFile, LoadError> {
        let name = join_relative(&from.name, path);
        self.files
            .get(&name)
            .map(|text| LoadedFile::new(name.clone(), name.clone(), text.clone()))
            .ok_or(LoadError::NotFound)
    }
}

/// `path` relative to the directory of `from` (`/`-separated), as a display
/// name, with `.` and `..` segments resolved where they can be.
pub fn join_relative(from: &str, path: &str) -> String {
    let joined = if path.starts_with('/') {
        path.to_string()
    } else {
        match from.rfind('/') {
            Some(i) => format!("{}/{}", &from[..i], path),
            None => path.to_string(),
        }
    };
    normalize(&joined)
}

/// Resolves `.` and `..` segments lexically (`a/b/../c` is `a/c`).
fn normalize(path: &str) -> String {
    let absolute = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => match parts.last() {
                Some(&last) if last != ".." => {
                    parts.pop();
                }
                _ if absolute => {}
                _ => parts.push(".."),
            },
            s => parts.push(s),
        }
    }
    let body = parts.join("/");
    match (absolute, body.is_empty()) {
        (true, _) => format!("/{body}"),
        (false, true) => ".".to_string(),
        (false, false) => body,
    }
}

#[cfg(test)]
mod tests {
    use super::join_relative;

    #[test]
    fn includes_are_relative_to_the_including_file() {
        assert_eq!(join_relative("lb.lbdsl", "more.lbdsl"), "more.lbdsl");
        assert_eq!(join_relative("a/b/lb.lbdsl", "../c.lbdsl"), "a/c.lbdsl");
        assert_eq!(join_relative("a/lb.lbdsl", "./x/../y.lbdsl"), "a/y.lbdsl");
        assert_eq!(join_relative("lb.lbdsl", "../up.lbdsl"), "../up.lbdsl");
        assert_eq!(
            join_relative("/etc/lb/lb.lbdsl", "/abs.lbdsl"),
            "/abs.lbdsl"
        );
        assert_eq!(join_relative("/x.lbdsl", "../../y.lbdsl"), "/y.lbdsl");
    }
}
