//! A small model of the nftables objects lbc creates: one table, its chains,
//! sets, maps, named counters and rules. The layout builds it once from the IR;
//! the text and JSON renderers print the same plan, which is why `nft` and
//! `nft-json` outputs load into identical kernel rulesets.

use std::net::IpAddr;
use std::rc::Rc;

use lbc_ir::{Family, Protocol};

/// Everything in lbc's table. The chains of the vips (`vip_N`, the bulk of a
/// large program) are not stored: renderers build each from its vip when they
/// print it ([`Table::vip_chains`]), so the plan stays small.
#[derive(Clone, Debug)]
pub struct Table<'a> {
    pub name: String,
    pub counters: Vec<NamedCounter>,
    pub sets: Vec<Set>,
    /// The base chains and the source-NAT chains.
    pub chains: Vec<Chain>,
    /// The vips, each of which has its chain.
    pub vips: &'a [lbc_ir::Vip],
}

impl Table<'_> {
    /// Whether the table has anything to define.
    pub fn is_empty(&self) -> bool {
        self.vips.is_empty()
    }

    /// Every vip's chain, built one at a time.
    pub fn vip_chains(&self) -> impl Iterator<Item = Chain> + '_ {
        self.vips.iter().map(super::layout::vip_chain)
    }
}

#[derive(Clone, Debug)]
pub struct NamedCounter {
    pub name: String,
    pub comment: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChainType {
    Nat,
    Filter,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hook {
    Prerouting,
    Output,
    Postrouting,
}

#[derive(Clone, Copy, Debug)]
pub struct BaseChain {
    pub kind: ChainType,
    pub hook: Hook,
    pub priority: i32,
}

#[derive(Clone, Debug)]
pub struct Chain {
    pub name: String,
    pub base: Option<BaseChain>,
    pub rules: Vec<Rule>,
}

/// The type of one field of a set key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyType {
    Addr(Family),
    Proto,
    Service,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MapData {
    Verdict,
    Counter,
}

/// A named set (`data == None`) or map.
#[derive(Clone, Debug)]
pub struct Set {
    pub name: String,
    pub key: Vec<KeyType>,
    pub data: Option<MapData>,
    pub interval: bool,
    /// `flags dynamic,timeout` and a size: a set that rules add to.
    pub dynamic: Option<u32>,
    pub elements: Vec<Element>,
}

/// One field of an element key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyPart {
    Addr(IpAddr),
    Proto(Protocol),
    Port(u16),
    PortRange(u16, u16),
}

/// Names and comments are shared (`Rc<str>`): at 100,000 vips, one string
/// per vip rather than one per rule and element.
#[derive(Clone, Debug)]
pub enum ElementValue {
    Goto(Rc<str>),
    Counter(Rc<str>),
}

#[derive(Clone, Debug)]
pub struct Element {
    pub key: Vec<KeyPart>,
    pub comment: Option<Rc<str>>,
    pub value: Option<ElementValue>,
}

#[derive(Clone, Debug, Default)]
pub struct Rule {
    pub stmts: Vec<Stmt>,
    pub comment: Option<Rc<str>>,
}

/// A packet field or computed value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expr {
    /// `ip saddr`, `ip6 daddr`
    Addr {
        family: Family,
        source: bool,
    },
    /// `th dport`
    ThDport,
    /// `meta l4proto`
    L4Proto,
    /// `ct direction`
    CtDirection,
    /// `ct status`
    CtStatus,
    /// `ct original ip daddr`
    CtOriginalDaddr(Family),
    /// `ct original proto-dst`
    CtOriginalProtoDst,
    /// `numgen inc|random mod N`
    Numgen {
        random: bool,
        modulus: u32,
    },
    /// `jhash ip saddr mod N seed S`
    Jhash {
        family: Family,
        modulus: u32,
        seed: u32,
    },
    Concat(Vec<Expr>),
}

/// A constant compared against.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Int(u32),
    Proto(Protocol),
    /// `original` (ct direction)
    Original,
    /// `dnat` (ct status flag)
    Dnat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Eq,
    Lt,
    /// A flag test (`ct status dnat`).
    In,
}

#[derive(Clone, Debug)]
pub enum Stmt {
    Match {
        left: Expr,
        op: Op,
        right: Value,
    },
    /// `EXPR @set`
    Lookup {
        key: Expr,
        set: String,
    },
    /// `EXPR vmap @map`
    Vmap {
        key: Expr,
        map: String,
    },
    /// `counter name EXPR map @map`
    CounterMap {
        key: Expr,
        map: String,
    },
    /// `update @set { EXPR timeout Ns }`
    Update {
        set: String,
        key: Expr,
        timeout: u32,
    },
    Dnat {
        family: Family,
        addr: IpAddr,
        port: Option<u16>,
    },
    Snat {
        family: Family,
        addr: IpAddr,
    },
    Masquerade,
}
