//! The limits lbc enforces on its input, so that hostile or broken input gets a
//! clear diagnostic instead of unbounded time or memory. Documented in
//! `docs/security.md`; each has a test.

/// The largest file the CLI reads (root or included).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// How deep includes may nest (the root file is depth 0).
pub const MAX_INCLUDE_DEPTH: usize = 32;
/// How many files one program may consist of.
pub const MAX_FILES: usize = 1024;
/// How many vips one program may have.
pub const MAX_VIPS: usize = 250_000;
/// How many members one vip (or pool) may have.
pub const MAX_MEMBERS: usize = 4096;
/// The longest name (host, pool, table), in bytes (spec 2.1).
pub const MAX_NAME_BYTES: usize = 32;
/// The longest comment, in bytes (spec 2.2).
pub const MAX_COMMENT_BYTES: usize = 128;
/// The longest include path, in bytes.
pub const MAX_PATH_BYTES: usize = 4096;
/// The largest weight (spec 2.2).
pub const MAX_WEIGHT: u64 = 1000;
/// The shortest and longest `sticky` duration, in seconds (spec 2.2).
pub const MIN_STICKY_SECONDS: u64 = 1;
pub const MAX_STICKY_SECONDS: u64 = 30 * 24 * 3600;

/// The resource limits of one compilation (the language's own rules, such as
/// name and comment lengths, are not here). `Limits::default()` is what `lbc`
/// uses; tests use smaller ones to exercise each limit cheaply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub include_depth: usize,
    pub files: usize,
    pub vips: usize,
    pub members: usize,
    pub path_bytes: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            include_depth: MAX_INCLUDE_DEPTH,
            files: MAX_FILES,
            vips: MAX_VIPS,
            members: MAX_MEMBERS,
            path_bytes: MAX_PATH_BYTES,
        }
    }
}
