//! `lbc-ir`: the target-neutral program that every backend reads, and the JSON
//! that external backend plugins receive on stdin (`lbc compile --target ir`).
//!
//! Invariants (established by the checker, relied on by every backend):
//! - every vip has at least one member with a non-zero weight;
//! - a vip and its members, and a `snat to` address, share the vip's family;
//! - ports are in 1..=65535 and every range has `first <= last`;
//! - a member has a `port` only when the vip listens on exactly one port or the
//!   port comes from its host's default (then every listened port maps to it);
//! - no two vips of one family, address and protocol share a port;
//! - `id`s are 1, 2, 3… in source order.
//!
//! The schema is versioned by [`SCHEMA_VERSION`]; `docs/ir.md` documents it.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};

pub mod capability;
mod select;

pub use select::{gcd, Slot};

/// Bumped on every change a plugin could notice.
pub const SCHEMA_VERSION: u32 = 1;

/// A whole compiled program.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Program {
    pub schema_version: u32,
    /// The table name (`table NAME`, default `lbc`): every table, chain and set a
    /// backend creates is derived from it, and nothing else is touched.
    pub table: String,
    pub vips: Vec<Vip>,
}

/// Where a vip or member was written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    /// The file as it was named on the command line, or joined to the including
    /// file's directory for an include. Shared by every origin in that file.
    pub file: std::sync::Arc<str>,
    /// 1-based.
    pub line: u32,
    /// 1-based, in characters.
    pub column: u32,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    Ipv4,
    Ipv6,
}

impl Family {
    pub fn of(addr: &IpAddr) -> Family {
        match addr {
            IpAddr::V4(_) => Family::Ipv4,
            IpAddr::V6(_) => Family::Ipv6,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    Tcp,
    Udp,
}

impl Protocol {
    pub fn name(self) -> &'static str {
        match self {
            Protocol::Tcp => "tcp",
            Protocol::Udp => "udp",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Algorithm {
    /// Exact round robin per vip: member i gets w_i of every Σw new connections.
    Rr,
    /// Uniform random, weighted.
    Random,
    /// Source-address hash, weighted: a client address always reaches the same
    /// member while the member set is unchanged.
    Hash,
}

/// An inclusive port range; a single port has `first == last`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PortRange {
    pub first: u16,
    pub last: u16,
}

impl PortRange {
    pub fn is_single(self) -> bool {
        self.first == self.last
    }
}

/// Source NAT applied to the connections a vip DNATs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "lowercase")]
pub enum Snat {
    /// Rewrite the source to the outgoing interface's address.
    Masquerade,
    /// Keep the client's address (members route replies back through this host).
    None,
    /// Rewrite the source to a fixed address of the vip's family.
    To { address: IpAddr },
}

/// A load-balanced virtual service.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vip {
    pub id: u32,
    pub origin: Origin,
    pub family: Family,
    pub address: IpAddr,
    pub protocol: Protocol,
    /// In source order, never empty, never overlapping.
    pub ports: Vec<PortRange>,
    pub algorithm: Algorithm,
    /// In source order, including drained members (weight 0).
    pub members: Vec<Member>,
    /// Client-address affinity: seconds a client keeps its member after its
    /// last new connection.
    pub sticky_seconds: Option<u32>,
    pub snat: Snat,
    pub counter: bool,
    pub comment: Option<String>,
}

/// A real server behind a vip.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub address: IpAddr,
    /// The target port; `None` keeps the port the client connected to.
    pub port: Option<u16>,
    /// 0..=1000; 0 means drained (no new connections).
    pub weight: u32,
    /// The host name when the member was written as one.
    pub host: Option<String>,
    pub origin: Origin,
}

impl Vip {
    /// Whether the vip listens on more than one port.
    pub fn is_multi_port(&self) -> bool {
        self.ports.len() > 1 || self.ports.iter().any(|p| !p.is_single())
    }

    /// Whether any member's target port differs from the connected port.
    pub fn rewrites_port(&self) -> bool {
        self.members.iter().any(|m| m.port.is_some())
    }
}

impl Program {
    /// Reads a program from its JSON form (what `to_json` writes).
    pub fn from_json(text: &str) -> Result<Program, serde_json::Error> {
        serde_json::from_str(text)
    }

    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_else(|e| {
            // Serialising plain data with string keys cannot fail.
            format!("{{\"error\": \"{e}\"}}")
        });
        s.push('\n');
        s
    }
}
