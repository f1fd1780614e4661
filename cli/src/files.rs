//! Everything lbc reads from and writes to the file system: source files
//! (with size and UTF-8 checks), includes relative to the including file, and
//! atomic output files.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use lbc_compiler::limits::MAX_FILE_BYTES;
use lbc_compiler::source::join_relative;
use lbc_compiler::{FileKey, LoadError, LoadedFile, Loader};

/// The key and name of standard input.
pub const STDIN: &str = "<stdin>";

/// Reads the file at `path`, shown to the user as `name`.
pub fn read_source(path: &Path, name: &str) -> Result<LoadedFile, LoadError> {
    let meta = fs::metadata(path).map_err(io_error)?;
    if meta.is_dir() {
        return Err(LoadError::IsDirectory);
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(LoadError::TooLarge {
            size: meta.len(),
            limit: MAX_FILE_BYTES,
        });
    }
    let file = fs::File::open(path).map_err(io_error)?;
    let text = read_limited(file)?;
    let key = fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .to_string_lossy()
        .into_owned();
    Ok(LoadedFile::new(key, name, text))
}

/// Reads standard input.
pub fn read_stdin() -> Result<LoadedFile, LoadError> {
    let text = read_limited(std::io::stdin().lock())?;
    Ok(LoadedFile::new(STDIN, STDIN, text))
}

fn read_limited(reader: impl Read) -> Result<String, LoadError> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io_error)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(LoadError::TooLarge {
            size: bytes.len() as u64,
            limit: MAX_FILE_BYTES,
        });
    }
    String::from_utf8(bytes).map_err(|e| LoadError::NotUtf8 {
        offset: e.utf8_error().valid_up_to(),
    })
}

fn io_error(e: std::io::Error) -> LoadError {
    match e.kind() {
        std::io::ErrorKind::NotFound => LoadError::NotFound,
        std::io::ErrorKind::IsADirectory => LoadError::IsDirectory,
        _ => LoadError::Other(e.to_string()),
    }
}

/// Loads includes from the file system, relative to the including file.
pub struct FsLoader;

impl Loader for FsLoader {
    fn load_include(&mut self, from: &FileKey, path: &str) -> Result<LoadedFile, LoadError> {
        let base = if from.key == STDIN {
            PathBuf::from(".")
        } else {
            Path::new(&from.key)
                .parent()
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
        };
        let name = if from.key == STDIN {
            path.to_string()
        } else {
            join_relative(&from.name, path)
        };
        read_source(&base.join(path), &name)
    }
}

/// Writes `contents` to `path` atomically: a temporary file in the same
/// directory, flushed, then renamed over `path`. On any error `path` is left
/// as it was and the temporary file is removed.
pub fn write_atomic(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let file_name = path
        .file_name()
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a file path"))?;
    if path.is_dir() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::IsADirectory,
            "is a directory",
        ));
    }
    let tmp = dir.join(format!(
        ".{}.lbc-{}.tmp",
        file_name.to_string_lossy(),
        std::process::id()
    ));
    let result = (|| {
        let mut f = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        f.write_all(contents)?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}
