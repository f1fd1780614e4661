//! The typed, spanned syntax tree of one lbdsl file, exactly as written.
//!
//! Nothing here is checked beyond the grammar: an address that does not parse, a
//! port above 65535 or an unknown duration unit is kept (with its span) for the
//! checker to report with its own diagnostic code.

use std::net::IpAddr;

/// A byte range in one source file. `u32` keeps the tree small at 100,000 vips;
/// `parse` refuses inputs that do not fit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span {
            start: start as u32,
            end: end as u32,
        }
    }

    /// The smallest span that covers both.
    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// One parsed file: its statements in source order and every `#` comment.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct File {
    pub statements: Vec<Statement>,
    pub comments: Vec<Comment>,
}

/// A `#` comment; `text` is what follows the `#`, up to the end of the line.
#[derive(Clone, Debug, PartialEq)]
pub struct Comment {
    pub text: String,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Statement {
    Table(TableStmt),
    Host(HostStmt),
    Pool(PoolStmt),
    Snat(SnatStmt),
    Vip(VipStmt),
    Include(IncludeStmt),
}

impl Statement {
    pub fn span(&self) -> Span {
        match self {
            Statement::Table(s) => s.span,
            Statement::Host(s) => s.span,
            Statement::Pool(s) => s.span,
            Statement::Snat(s) => s.span,
            Statement::Vip(s) => s.span,
            Statement::Include(s) => s.span,
        }
    }
}

/// A user-chosen name (host, pool or table).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// `table NAME`
#[derive(Clone, Debug, PartialEq)]
pub struct TableStmt {
    pub name: Ident,
    pub span: Span,
}

/// `host NAME = ADDR[:PORT]`
#[derive(Clone, Debug, PartialEq)]
pub struct HostStmt {
    pub name: Ident,
    pub address: AddrLit,
    pub port: Option<Number>,
    pub span: Span,
}

/// `pool NAME = [MEMBER, ...]`
#[derive(Clone, Debug, PartialEq)]
pub struct PoolStmt {
    pub name: Ident,
    pub members: MemberList,
    pub span: Span,
}

/// `snat masquerade | none | to ADDR` at top level: the default for every vip.
#[derive(Clone, Debug, PartialEq)]
pub struct SnatStmt {
    pub mode: SnatMode,
    pub span: Span,
}

/// `include "PATH"`
#[derive(Clone, Debug, PartialEq)]
pub struct IncludeStmt {
    pub path: StrLit,
    pub span: Span,
}

/// `vip LISTEN -> ALGO MEMBERS OPTION*`
#[derive(Clone, Debug, PartialEq)]
pub struct VipStmt {
    pub listen: Listen,
    pub algorithm: Algorithm,
    pub algorithm_span: Span,
    pub members: Members,
    pub options: Vec<VipOption>,
    pub span: Span,
}

/// `ADDR:PORTS[/PROTO]`
#[derive(Clone, Debug, PartialEq)]
pub struct Listen {
    pub address: AddrLit,
    pub ports: Vec<PortItem>,
    pub protocol: Option<(Protocol, Span)>,
    pub span: Span,
}

/// One port (`80`) or range (`30000-32767`) of a listen port list.
#[derive(Clone, Debug, PartialEq)]
pub struct PortItem {
    pub first: Number,
    pub last: Option<Number>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Protocol {
    Tcp,
    Udp,
}

impl Protocol {
    pub fn keyword(self) -> &'static str {
        match self {
            Protocol::Tcp => "tcp",
            Protocol::Udp => "udp",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Algorithm {
    RoundRobin,
    Random,
    Hash,
}

impl Algorithm {
    pub fn keyword(self) -> &'static str {
        match self {
            Algorithm::RoundRobin => "rr",
            Algorithm::Random => "random",
            Algorithm::Hash => "hash",
        }
    }
}

/// The members of a vip: a literal list or the name of a pool.
#[derive(Clone, Debug, PartialEq)]
pub enum Members {
    List(MemberList),
    Pool(Ident),
}

impl Members {
    pub fn span(&self) -> Span {
        match self {
            Members::List(l) => l.span,
            Members::Pool(p) => p.span,
        }
    }
}

/// `[MEMBER, ...]`
#[derive(Clone, Debug, PartialEq)]
pub struct MemberList {
    pub members: Vec<Member>,
    pub trailing_comma: bool,
    pub span: Span,
}

/// `(HOSTNAME | ADDR)[:PORT] [weight N]`
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    pub target: MemberTarget,
    pub port: Option<Number>,
    pub weight: Option<Number>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum MemberTarget {
    Address(AddrLit),
    Host(Ident),
}

impl MemberTarget {
    pub fn span(&self) -> Span {
        match self {
            MemberTarget::Address(a) => a.span,
            MemberTarget::Host(h) => h.span,
        }
    }
}

/// A vip option. Each carries the span of the whole option (keyword and value).
#[derive(Clone, Debug, PartialEq)]
pub enum VipOption {
    Counter { span: Span },
    Comment { text: StrLit, span: Span },
    Sticky { duration: DurationLit, span: Span },
    Snat { mode: SnatMode, span: Span },
}

impl VipOption {
    pub fn span(&self) -> Span {
        match self {
            VipOption::Counter { span }
            | VipOption::Comment { span, .. }
            | VipOption::Sticky { span, .. }
            | VipOption::Snat { span, .. } => *span,
        }
    }

    pub fn keyword(&self) -> &'static str {
        match self {
            VipOption::Counter { .. } => "counter",
            VipOption::Comment { .. } => "comment",
            VipOption::Sticky { .. } => "sticky",
            VipOption::Snat { .. } => "snat",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum SnatMode {
    Masquerade,
    None,
    To(AddrLit),
}

/// Which textual form an address literal had.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AddrForm {
    V4,
    /// `[2001:db8::1]`
    V6Bracketed,
    /// `2001:db8::1`
    V6Bare,
}

/// An address literal. `value` is `None` when the text is not a valid address
/// (`10.0.0.256`, `2001:db8:::1`); the checker reports it.
#[derive(Clone, Debug, PartialEq)]
pub struct AddrLit {
    /// The text as written (without brackets) when `value` is `None`; empty
    /// for a valid address, whose text is its value.
    pub text: String,
    pub form: AddrForm,
    pub value: Option<IpAddr>,
    pub span: Span,
}

/// A decimal number as written. `value` is `None` when it does not fit in a `u64`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Number {
    pub value: Option<u64>,
    pub span: Span,
}

/// A `"…"` string. `value` has the escapes resolved; `bad_escapes` lists the spans
/// of escapes other than `\"` and `\\`, which the checker reports.
#[derive(Clone, Debug, PartialEq)]
pub struct StrLit {
    pub value: String,
    pub bad_escapes: Vec<Span>,
    pub span: Span,
}

/// A duration as written (`3h`); validated by the checker.
#[derive(Clone, Debug, PartialEq)]
pub struct DurationLit {
    pub text: String,
    pub span: Span,
}
