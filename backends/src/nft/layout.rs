//! The nftables layout of a program, built once for both nft renderers.
//!
//! One `inet` table named after the program. A fixed number of maps, so that a
//! load is linear in the number of vips (nftables-notes §3), and hash lookups,
//! so that picking a vip does not grow with their number:
//!
//! - `vips4`/`vips6` (`ranges` variants with `flags interval` for port ranges):
//!   `daddr . l4proto . dport : goto vip_N`, used from the nat `prerouting` and
//!   `output` hooks (connections from the host itself are balanced too);
//! - `vip_N` chains pick a member with a cascade of rules (see `lbc_ir::Slot`):
//!   `numgen inc` (rr), `numgen random` (random) or `jhash` of the client
//!   address (hash) compared with the slot's share; no per-vip set;
//! - `snat4`/`snat6`: the original `daddr . l4proto . dport` of connections
//!   this ruleset DNATed (`ct status dnat`) to `goto` a masquerade or `snat to`
//!   chain, so that nothing else is source-NATed;
//! - `count4`/`count6`: the same key to a named counter per vip, counted for
//!   every original-direction packet in filter chains before NAT;
//! - `sticky4_K`/`sticky6_K`: one dynamic set per member position K holding
//!   `client . daddr . l4proto . dport`; a client found in set K goes to member
//!   K of its vip, and every choice refreshes the entry's timeout. A sticky vip
//!   with several ports has sets of its own keyed by the client alone
//!   (`sticky_N_K`), so that the affinity holds across its ports.

use std::rc::Rc;

use lbc_ir::{Algorithm, Family, PortRange, Program, Protocol, Snat, Vip};

use super::plan::*;
use crate::common::origin_comment;

/// The size of each affinity set (entries are client, vip and port).
pub const STICKY_SET_SIZE: u32 = 1 << 20;

const FAMILIES: [Family; 2] = [Family::Ipv4, Family::Ipv6];
const PROTOCOLS: [Protocol; 2] = [Protocol::Tcp, Protocol::Udp];

pub fn layout(program: &Program) -> Table<'_> {
    let mut t = Table {
        name: program.table.clone(),
        counters: Vec::new(),
        sets: Vec::new(),
        chains: Vec::new(),
        vips: &program.vips,
    };
    if program.vips.is_empty() {
        return t;
    }
    let mut snat_chains: Vec<(Snat, String)> = Vec::new();
    let mut maps = Maps::default();
    for vip in &program.vips {
        let chain = vip_chain_name(vip);
        maps.add_vip(vip, &chain, &mut snat_chains, &mut t.counters);
    }

    let mut pre = Vec::new();
    let mut post = Vec::new();
    let mut count = Vec::new();
    for (fi, family) in FAMILIES.into_iter().enumerate() {
        let suffix = family_suffix(family);
        for (ranges, rs) in [(false, ""), (true, "_ranges")] {
            let vips = std::mem::take(&mut maps.vips[fi][ranges as usize]);
            if !vips.is_empty() {
                let name = format!("vips{suffix}{rs}");
                pre.push(Rule {
                    stmts: vec![Stmt::Vmap {
                        key: packet_key(family),
                        map: name.clone(),
                    }],
                    comment: None,
                });
                t.sets
                    .push(map(name, family, MapData::Verdict, ranges, vips));
            }
            let snat = std::mem::take(&mut maps.snat[fi][ranges as usize]);
            if !snat.elements.is_empty() {
                let name = format!("snat{suffix}{rs}");
                for p in PROTOCOLS.into_iter().filter(|p| snat.protocols.contains(p)) {
                    post.push(Rule {
                        stmts: vec![
                            Stmt::Match {
                                left: Expr::CtStatus,
                                op: Op::In,
                                right: Value::Dnat,
                            },
                            l4proto(p),
                            Stmt::Vmap {
                                key: ct_original_key(family),
                                map: name.clone(),
                            },
                        ],
                        comment: None,
                    });
                }
                t.sets
                    .push(map(name, family, MapData::Verdict, ranges, snat.elements));
            }
            let counted = std::mem::take(&mut maps.count[fi][ranges as usize]);
            if !counted.elements.is_empty() {
                let name = format!("count{suffix}{rs}");
                for p in PROTOCOLS
                    .into_iter()
                    .filter(|p| counted.protocols.contains(p))
                {
                    count.push(Rule {
                        stmts: vec![
                            Stmt::Match {
                                left: Expr::CtDirection,
                                op: Op::Eq,
                                right: Value::Original,
                            },
                            l4proto(p),
                            Stmt::CounterMap {
                                key: ct_original_key(family),
                                map: name.clone(),
                            },
                        ],
                        comment: None,
                    });
                }
                t.sets.push(map(
                    name,
                    family,
                    MapData::Counter,
                    ranges,
                    counted.elements,
                ));
            }
        }
        for k in 0..maps.sticky_sets[fi] {
            t.sets.push(Set {
                name: sticky_set(family, k),
                key: vec![
                    KeyType::Addr(family),
                    KeyType::Addr(family),
                    KeyType::Proto,
                    KeyType::Service,
                ],
                data: None,
                interval: false,
                dynamic: Some(STICKY_SET_SIZE),
                elements: Vec::new(),
            });
        }
    }

    t.sets.append(&mut maps.own_sticky_sets);

    let base = |name: &str, kind, hook, priority, rules| Chain {
        name: name.to_string(),
        base: Some(BaseChain {
            kind,
            hook,
            priority,
        }),
        rules,
    };
    if !count.is_empty() {
        t.chains.push(base(
            "count_prerouting",
            ChainType::Filter,
            Hook::Prerouting,
            -150,
            count.clone(),
        ));
        t.chains.push(base(
            "count_output",
            ChainType::Filter,
            Hook::Output,
            -150,
            count,
        ));
    }
    t.chains.push(base(
        "prerouting",
        ChainType::Nat,
        Hook::Prerouting,
        -100,
        pre.clone(),
    ));
    t.chains
        .push(base("output", ChainType::Nat, Hook::Output, -100, pre));
    t.chains.push(base(
        "postrouting",
        ChainType::Nat,
        Hook::Postrouting,
        100,
        post,
    ));
    for (snat, name) in snat_chains {
        let stmt = match snat {
            Snat::To { address } => Stmt::Snat {
                family: Family::of(&address),
                addr: address,
            },
            Snat::Masquerade | Snat::None => Stmt::Masquerade,
        };
        t.chains.push(Chain {
            name,
            base: None,
            rules: vec![Rule {
                stmts: vec![stmt],
                comment: None,
            }],
        });
    }
    t
}

/// The elements of one map and the protocols they use.
#[derive(Default)]
struct Keyed {
    elements: Vec<Element>,
    protocols: Vec<Protocol>,
}

/// Map elements by family (0: IPv4, 1: IPv6) and kind (0: single ports, 1: ranges).
#[derive(Default)]
struct Maps {
    vips: [[Vec<Element>; 2]; 2],
    snat: [[Keyed; 2]; 2],
    count: [[Keyed; 2]; 2],
    /// How many shared affinity sets each family needs.
    sticky_sets: [usize; 2],
    /// The affinity sets of vips with several ports.
    own_sticky_sets: Vec<Set>,
}

impl Maps {
    fn add_vip(
        &mut self,
        vip: &Vip,
        chain: &str,
        snat_chains: &mut Vec<(Snat, String)>,
        counters: &mut Vec<NamedCounter>,
    ) {
        let fi = family_index(vip.family);
        let snat_target = match &vip.snat {
            Snat::None => None,
            s @ (Snat::Masquerade | Snat::To { .. }) => Some(snat_chain(s, snat_chains)),
        };
        let counter: Option<Rc<str>> = vip.counter.then(|| {
            let name = vip_chain_name(vip);
            counters.push(NamedCounter {
                name: name.clone(),
                comment: origin_comment(&vip.origin),
            });
            name.into()
        });
        let chain: Rc<str> = chain.into();
        let comment: Option<Rc<str>> = vip.comment.as_deref().map(Rc::from);
        if vip.sticky_seconds.is_some() {
            let active = vip.members.iter().filter(|m| m.weight > 0).count();
            match affinity(vip) {
                Affinity::Shared => self.sticky_sets[fi] = self.sticky_sets[fi].max(active),
                Affinity::PerVip => {
                    for k in 0..active {
                        self.own_sticky_sets.push(Set {
                            name: affinity_set(vip, k),
                            key: vec![KeyType::Addr(vip.family)],
                            data: None,
                            interval: false,
                            dynamic: Some(STICKY_SET_SIZE),
                            elements: Vec::new(),
                        });
                    }
                }
            }
        }
        for range in &vip.ports {
            let ri = usize::from(!range.is_single());
            let key = element_key(vip, *range);
            self.vips[fi][ri].push(Element {
                key: key.clone(),
                comment: comment.clone(),
                value: Some(ElementValue::Goto(chain.clone())),
            });
            if let Some(target) = &snat_target {
                push_keyed(
                    &mut self.snat[fi][ri],
                    vip.protocol,
                    Element {
                        key: key.clone(),
                        comment: None,
                        value: Some(ElementValue::Goto(target.clone())),
                    },
                );
            }
            if let Some(name) = &counter {
                push_keyed(
                    &mut self.count[fi][ri],
                    vip.protocol,
                    Element {
                        key,
                        comment: None,
                        value: Some(ElementValue::Counter(name.clone())),
                    },
                );
            }
        }
    }
}

fn push_keyed(k: &mut Keyed, protocol: Protocol, e: Element) {
    if !k.protocols.contains(&protocol) {
        k.protocols.push(protocol);
    }
    k.elements.push(e);
}

/// The chain for a source-NAT mode, created on first use.
fn snat_chain(snat: &Snat, chains: &mut Vec<(Snat, String)>) -> Rc<str> {
    if let Some((_, name)) = chains.iter().find(|(s, _)| s == snat) {
        return name.as_str().into();
    }
    let name = match snat {
        Snat::To { .. } => format!(
            "snat_to_{}",
            chains
                .iter()
                .filter(|(s, _)| matches!(s, Snat::To { .. }))
                .count()
                + 1
        ),
        Snat::Masquerade | Snat::None => "snat_masquerade".to_string(),
    };
    let shared: Rc<str> = name.as_str().into();
    chains.push((snat.clone(), name));
    shared
}

fn map(name: String, family: Family, data: MapData, interval: bool, elements: Vec<Element>) -> Set {
    Set {
        name,
        key: vec![KeyType::Addr(family), KeyType::Proto, KeyType::Service],
        data: Some(data),
        interval,
        dynamic: None,
        elements,
    }
}

fn element_key(vip: &Vip, range: PortRange) -> Vec<KeyPart> {
    let port = if range.is_single() {
        KeyPart::Port(range.first)
    } else {
        KeyPart::PortRange(range.first, range.last)
    };
    vec![
        KeyPart::Addr(vip.address),
        KeyPart::Proto(vip.protocol),
        port,
    ]
}

/// The chain of one vip.
pub fn vip_chain(vip: &Vip) -> Chain {
    Chain {
        name: vip_chain_name(vip),
        base: None,
        rules: vip_rules(vip),
    }
}

pub fn vip_chain_name(vip: &Vip) -> String {
    format!("vip_{}", vip.id)
}

fn sticky_set(family: Family, k: usize) -> String {
    format!("sticky{}_{k}", family_suffix(family))
}

fn family_suffix(family: Family) -> &'static str {
    match family {
        Family::Ipv4 => "4",
        Family::Ipv6 => "6",
    }
}

fn family_index(family: Family) -> usize {
    match family {
        Family::Ipv4 => 0,
        Family::Ipv6 => 1,
    }
}

/// `ip daddr . meta l4proto . th dport`
fn packet_key(family: Family) -> Expr {
    Expr::Concat(vec![
        Expr::Addr {
            family,
            source: false,
        },
        Expr::L4Proto,
        Expr::ThDport,
    ])
}

/// `ct original ip daddr . meta l4proto . ct original proto-dst`
fn ct_original_key(family: Family) -> Expr {
    Expr::Concat(vec![
        Expr::CtOriginalDaddr(family),
        Expr::L4Proto,
        Expr::CtOriginalProtoDst,
    ])
}

/// Where a sticky vip remembers its clients.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Affinity {
    /// In the family's shared sets `sticky4_K`, keyed by client and vip port:
    /// a vip with one port is identified by its address, protocol and port.
    Shared,
    /// In sets of its own, keyed by client: a vip with several ports must keep
    /// a client on one member whichever of its ports it connects to. Each such
    /// vip adds sets, so loading grows faster than linearly only with the
    /// number of sticky vips that have several ports.
    PerVip,
}

fn affinity(vip: &Vip) -> Affinity {
    if vip.is_multi_port() {
        Affinity::PerVip
    } else {
        Affinity::Shared
    }
}

/// The set that holds the clients of member position `k` of `vip`.
fn affinity_set(vip: &Vip, k: usize) -> String {
    match affinity(vip) {
        Affinity::Shared => sticky_set(vip.family, k),
        Affinity::PerVip => format!("sticky_{}_{k}", vip.id),
    }
}

/// The key of a client in `vip`'s affinity sets.
fn affinity_key(vip: &Vip) -> Expr {
    let family = vip.family;
    let client = Expr::Addr {
        family,
        source: true,
    };
    match affinity(vip) {
        Affinity::Shared => Expr::Concat(vec![
            client,
            Expr::Addr {
                family,
                source: false,
            },
            Expr::L4Proto,
            Expr::ThDport,
        ]),
        Affinity::PerVip => client,
    }
}

fn l4proto(p: Protocol) -> Stmt {
    Stmt::Match {
        left: Expr::L4Proto,
        op: Op::Eq,
        right: Value::Proto(p),
    }
}

/// The rules of a vip's chain: affinity hits, the selection cascade and, for
/// sticky vips, the cascade again without affinity updates (reached only when
/// an affinity set is full, so that a connection is never left unbalanced).
/// The first rule carries the vip's `file:line`.
fn vip_rules(vip: &Vip) -> Vec<Rule> {
    let slots = vip.slots();
    let comment: Option<Rc<str>> = Some(origin_comment(&vip.origin).into());
    let sticky = vip.sticky_seconds;
    let mut rules = Vec::new();
    let dnat = |slot: &lbc_ir::Slot| -> Vec<Stmt> {
        let m = &vip.members[slot.member];
        let mut s = Vec::new();
        if m.port.is_some() {
            s.push(l4proto(vip.protocol));
        }
        s.push(Stmt::Dnat {
            family: vip.family,
            addr: m.address,
            port: m.port,
        });
        s
    };
    let update = |k: usize, timeout: u32| Stmt::Update {
        set: affinity_set(vip, k),
        key: affinity_key(vip),
        timeout,
    };
    if let Some(timeout) = sticky {
        for (k, slot) in slots.iter().enumerate() {
            let mut stmts = vec![
                Stmt::Lookup {
                    key: affinity_key(vip),
                    set: affinity_set(vip, k),
                },
                update(k, timeout),
            ];
            stmts.extend(dnat(slot));
            rules.push(Rule {
                stmts,
                comment: comment.clone(),
            });
        }
    }
    let passes: &[bool] = if sticky.is_some() {
        &[true, false]
    } else {
        &[false]
    };
    for &with_update in passes {
        for (k, slot) in slots.iter().enumerate() {
            let mut stmts = Vec::new();
            if !slot.is_last() {
                stmts.push(pick(vip, slot));
            }
            if let (true, Some(timeout)) = (with_update, sticky) {
                stmts.push(update(k, timeout));
            }
            stmts.extend(dnat(slot));
            rules.push(Rule {
                stmts,
                comment: comment.clone(),
            });
        }
    }
    // The `file:line` pointer on the first rule of the chain is enough to find
    // the vip; leaving it off the others makes a load about 10% faster (the
    // kernel parses every rule's user data).
    for r in rules.iter_mut().skip(1) {
        r.comment = None;
    }
    rules
}

/// The condition under which a cascade slot takes a connection.
fn pick(vip: &Vip, slot: &lbc_ir::Slot) -> Stmt {
    let (left, bound) = match vip.algorithm {
        Algorithm::Rr => (
            Expr::Numgen {
                random: false,
                modulus: slot.remaining,
            },
            slot.weight,
        ),
        Algorithm::Random => (
            Expr::Numgen {
                random: true,
                modulus: slot.remaining,
            },
            slot.weight,
        ),
        Algorithm::Hash => (
            Expr::Jhash {
                family: vip.family,
                modulus: slot.total,
                seed: vip.hash_seed(),
            },
            slot.cumulative_end,
        ),
    };
    Stmt::Match {
        left,
        op: Op::Lt,
        right: Value::Int(bound),
    }
}
