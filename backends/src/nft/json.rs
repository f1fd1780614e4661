//! `--target nft-json`: the layout as libnftables JSON for `nft -j -f`, from a
//! serde model of its own (struct fields serialise in declaration order, so the
//! output is deterministic).
//!
//! Written for what nft 1.0.6 accepts (nftables-notes §1): an `add`, `delete`,
//! `add` of the table for an atomic replace; objects in the order table, chains,
//! counters and sets, rules; integer chain priorities; `{"counter": null}`-free
//! named counters; `match` with an explicit `op` (`in` for `ct status dnat`);
//! comments on rules and elements only.

use serde::Serialize;

use lbc_ir::capability::Capabilities;
use lbc_ir::{Family, Program};

use super::plan::{self, *};
use super::{layout, CAPABILITIES};
use crate::Backend;

pub struct NftJson;

impl Backend for NftJson {
    fn name(&self) -> &'static str {
        "nft-json"
    }

    fn description(&self) -> &'static str {
        "libnftables JSON for `nft -j -f` (same kernel ruleset as nft)"
    }

    fn capabilities(&self) -> Capabilities {
        CAPABILITIES
    }

    fn render(&self, program: &Program) -> String {
        render(&layout::layout(program))
    }
}

#[derive(Serialize)]
#[serde(rename_all = "lowercase")]
enum Command {
    Metainfo { json_schema_version: u32 },
    Add(Object),
    Delete(Object),
}

#[derive(Serialize)]
#[serde(rename_all = "lowercase")]
enum Object {
    Table(TableObj),
    Chain(ChainObj),
    Counter(CounterObj),
    Set(SetObj),
    Map(SetObj),
    Rule(RuleObj),
}

#[derive(Serialize)]
struct TableObj {
    family: &'static str,
    name: String,
}

#[derive(Serialize)]
struct ChainObj {
    family: &'static str,
    table: String,
    name: String,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    kind: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hook: Option<&'static str>,
    /// Must be an integer: a string silently makes a regular chain (notes §1.3).
    #[serde(skip_serializing_if = "Option::is_none")]
    prio: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    policy: Option<&'static str>,
}

#[derive(Serialize)]
struct CounterObj {
    family: &'static str,
    table: String,
    name: String,
    comment: String,
}

#[derive(Serialize)]
struct SetObj {
    family: &'static str,
    table: String,
    name: String,
    #[serde(rename = "type")]
    key: JType,
    #[serde(skip_serializing_if = "Option::is_none")]
    map: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    flags: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    size: Option<u32>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    elem: Vec<JElem>,
}

#[derive(Serialize)]
struct RuleObj {
    family: &'static str,
    table: String,
    chain: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    comment: Option<String>,
    expr: Vec<JStmt>,
}

/// A set's key type: a name, or an array of names for a concatenation.
#[derive(Serialize)]
#[serde(untagged)]
enum JType {
    One(&'static str),
    Concat(Vec<&'static str>),
}

/// A map element: `[key, value]`.
#[derive(Serialize)]
struct JElem(JKey, JData);

#[derive(Serialize)]
#[serde(untagged)]
enum JKey {
    Plain(JExpr),
    Commented { elem: JCommented },
}

#[derive(Serialize)]
struct JCommented {
    val: JExpr,
    comment: String,
}

#[derive(Serialize)]
#[serde(untagged)]
enum JData {
    Verdict { goto: JTarget },
    Name(String),
}

#[derive(Serialize)]
struct JTarget {
    target: String,
}

#[derive(Serialize)]
#[serde(rename_all = "lowercase")]
enum JStmt {
    Match {
        op: &'static str,
        left: JExpr,
        right: JValue,
    },
    Vmap {
        key: JExpr,
        data: String,
    },
    Counter {
        map: JMapRef,
    },
    Set {
        op: &'static str,
        elem: JTimedElem,
        set: String,
    },
    Dnat {
        family: &'static str,
        addr: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        port: Option<u16>,
    },
    Snat {
        family: &'static str,
        addr: String,
    },
    Masquerade(()),
}

#[derive(Serialize)]
struct JMapRef {
    key: JExpr,
    data: String,
}

#[derive(Serialize)]
struct JTimedElem {
    elem: JTimed,
}

#[derive(Serialize)]
struct JTimed {
    val: JExpr,
    timeout: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "lowercase")]
enum JExpr {
    Payload {
        protocol: &'static str,
        field: &'static str,
    },
    Meta {
        key: &'static str,
    },
    Ct {
        key: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        dir: Option<&'static str>,
    },
    Numgen {
        mode: &'static str,
        #[serde(rename = "mod")]
        modulus: u32,
        offset: u32,
    },
    Jhash {
        #[serde(rename = "mod")]
        modulus: u32,
        seed: u32,
        expr: Box<JExpr>,
    },
    Concat(Vec<JExpr>),
    /// A constant inside a concatenation.
    #[serde(untagged)]
    Const(JValue),
    #[serde(untagged)]
    Range {
        range: [u16; 2],
    },
}

#[derive(Serialize)]
#[serde(untagged)]
enum JValue {
    Int(u32),
    Str(String),
}

/// The JSON document of a table, one command per line.
pub fn render(t: &Table) -> String {
    let table = |name: &str| TableObj {
        family: "inet",
        name: name.to_string(),
    };
    // Commands are serialised as they are made, one per line, so that large
    // outputs stay readable and the commands never all sit in memory.
    let mut out = String::with_capacity(4096 + t.vips.len() * 2400);
    out.push_str("{\"nftables\": [\n");
    let mut first = true;
    let mut emit = |c: Command| {
        if !first {
            out.push_str(",\n");
        }
        first = false;
        // Serialising plain data with string keys cannot fail.
        out.push_str(&serde_json::to_string(&c).unwrap_or_default());
    };
    emit(Command::Metainfo {
        json_schema_version: 1,
    });
    emit(Command::Add(Object::Table(table(&t.name))));
    emit(Command::Delete(Object::Table(table(&t.name))));
    if !t.is_empty() {
        emit(Command::Add(Object::Table(table(&t.name))));
        // Chains first, so that verdict map elements can jump to them.
        for c in &t.chains {
            emit(Command::Add(Object::Chain(chain(&t.name, c))));
        }
        for vip in t.vips {
            emit(Command::Add(Object::Chain(ChainObj {
                family: "inet",
                table: t.name.clone(),
                name: layout::vip_chain_name(vip),
                kind: None,
                hook: None,
                prio: None,
                policy: None,
            })));
        }
        for c in &t.counters {
            emit(Command::Add(Object::Counter(CounterObj {
                family: "inet",
                table: t.name.clone(),
                name: c.name.clone(),
                comment: c.comment.clone(),
            })));
        }
        for s in &t.sets {
            let obj = set(&t.name, s);
            emit(Command::Add(if s.data.is_some() {
                Object::Map(obj)
            } else {
                Object::Set(obj)
            }));
        }
        let mut rules = |c: &Chain| {
            for r in &c.rules {
                emit(Command::Add(Object::Rule(RuleObj {
                    family: "inet",
                    table: t.name.clone(),
                    chain: c.name.clone(),
                    comment: r.comment.as_deref().map(str::to_string),
                    expr: r.stmts.iter().map(stmt).collect(),
                })));
            }
        };
        for c in &t.chains {
            rules(c);
        }
        for c in t.vip_chains() {
            rules(&c);
        }
    }
    out.push_str("\n]}\n");
    out
}

fn chain(table: &str, c: &Chain) -> ChainObj {
    let base = c.base;
    ChainObj {
        family: "inet",
        table: table.to_string(),
        name: c.name.clone(),
        kind: base.map(|b| match b.kind {
            ChainType::Nat => "nat",
            ChainType::Filter => "filter",
        }),
        hook: base.map(|b| match b.hook {
            Hook::Prerouting => "prerouting",
            Hook::Output => "output",
            Hook::Postrouting => "postrouting",
        }),
        prio: base.map(|b| b.priority),
        policy: base.map(|_| "accept"),
    }
}

fn set(table: &str, s: &plan::Set) -> SetObj {
    let mut flags = Vec::new();
    if s.interval {
        flags.push("interval");
    }
    if s.dynamic.is_some() {
        flags.push("timeout");
    }
    let types: Vec<&'static str> = s
        .key
        .iter()
        .map(|k| match k {
            KeyType::Addr(Family::Ipv4) => "ipv4_addr",
            KeyType::Addr(Family::Ipv6) => "ipv6_addr",
            KeyType::Proto => "inet_proto",
            KeyType::Service => "inet_service",
        })
        .collect();
    SetObj {
        family: "inet",
        table: table.to_string(),
        name: s.name.clone(),
        key: match types.as_slice() {
            [one] => JType::One(one),
            _ => JType::Concat(types),
        },
        map: s.data.map(|d| match d {
            MapData::Verdict => "verdict",
            MapData::Counter => "counter",
        }),
        flags,
        size: s.dynamic,
        elem: s.elements.iter().filter_map(element).collect(),
    }
}

fn element(e: &Element) -> Option<JElem> {
    let parts = e
        .key
        .iter()
        .map(|p| match p {
            KeyPart::Addr(a) => JExpr::Const(JValue::Str(a.to_string())),
            KeyPart::Proto(p) => JExpr::Const(JValue::Str(p.name().to_string())),
            KeyPart::Port(p) => JExpr::Const(JValue::Int(u32::from(*p))),
            KeyPart::PortRange(a, b) => JExpr::Range { range: [*a, *b] },
        })
        .collect();
    let key = match &e.comment {
        Some(c) => JKey::Commented {
            elem: JCommented {
                val: JExpr::Concat(parts),
                comment: c.to_string(),
            },
        },
        None => JKey::Plain(JExpr::Concat(parts)),
    };
    let data = match e.value.as_ref()? {
        ElementValue::Goto(chain) => JData::Verdict {
            goto: JTarget {
                target: chain.to_string(),
            },
        },
        ElementValue::Counter(name) => JData::Name(name.to_string()),
    };
    Some(JElem(key, data))
}

fn stmt(s: &Stmt) -> JStmt {
    match s {
        Stmt::Match { left, op, right } => JStmt::Match {
            op: match op {
                Op::Eq => "==",
                Op::Lt => "<",
                Op::In => "in",
            },
            left: expr(left),
            right: value(right),
        },
        Stmt::Lookup { key, set } => JStmt::Match {
            op: "==",
            left: expr(key),
            right: JValue::Str(format!("@{set}")),
        },
        Stmt::Vmap { key, map } => JStmt::Vmap {
            key: expr(key),
            data: format!("@{map}"),
        },
        Stmt::CounterMap { key, map } => JStmt::Counter {
            map: JMapRef {
                key: expr(key),
                data: format!("@{map}"),
            },
        },
        Stmt::Update { set, key, timeout } => JStmt::Set {
            op: "update",
            elem: JTimedElem {
                elem: JTimed {
                    val: expr(key),
                    timeout: *timeout,
                },
            },
            set: format!("@{set}"),
        },
        Stmt::Dnat { family, addr, port } => JStmt::Dnat {
            family: family_word(*family),
            addr: addr.to_string(),
            port: *port,
        },
        Stmt::Snat { family, addr } => JStmt::Snat {
            family: family_word(*family),
            addr: addr.to_string(),
        },
        Stmt::Masquerade => JStmt::Masquerade(()),
    }
}

fn family_word(f: Family) -> &'static str {
    match f {
        Family::Ipv4 => "ip",
        Family::Ipv6 => "ip6",
    }
}

fn payload(family: Family, source: bool) -> JExpr {
    JExpr::Payload {
        protocol: family_word(family),
        field: if source { "saddr" } else { "daddr" },
    }
}

fn expr(e: &Expr) -> JExpr {
    match e {
        Expr::Addr { family, source } => payload(*family, *source),
        Expr::ThDport => JExpr::Payload {
            protocol: "th",
            field: "dport",
        },
        Expr::L4Proto => JExpr::Meta { key: "l4proto" },
        Expr::CtDirection => JExpr::Ct {
            key: "direction".to_string(),
            dir: None,
        },
        Expr::CtStatus => JExpr::Ct {
            key: "status".to_string(),
            dir: None,
        },
        Expr::CtOriginalDaddr(f) => JExpr::Ct {
            key: format!("{} daddr", family_word(*f)),
            dir: Some("original"),
        },
        Expr::CtOriginalProtoDst => JExpr::Ct {
            key: "proto-dst".to_string(),
            dir: Some("original"),
        },
        Expr::Numgen { random, modulus } => JExpr::Numgen {
            mode: if *random { "random" } else { "inc" },
            modulus: *modulus,
            offset: 0,
        },
        Expr::Jhash {
            family,
            modulus,
            seed,
        } => JExpr::Jhash {
            modulus: *modulus,
            seed: *seed,
            expr: Box::new(payload(*family, true)),
        },
        Expr::Concat(parts) => JExpr::Concat(parts.iter().map(expr).collect()),
    }
}

fn value(v: &Value) -> JValue {
    match v {
        Value::Int(i) => JValue::Int(*i),
        Value::Proto(p) => JValue::Str(p.name().to_string()),
        Value::Original => JValue::Str("original".to_string()),
        Value::Dnat => JValue::Str("dnat".to_string()),
    }
}
