//! The iptables targets: one layout ([`layout`]) printed as input for
//! `iptables-nft-restore --noflush` ([`restore`]) or as a shell script of
//! iptables-nft commands ([`script`]).
//!
//! lbc owns a fixed set of chains per family, named after the table (`T`):
//!
//! | chain | table | jumped from | contents |
//! |---|---|---|---|
//! | `T.DNAT` | nat | PREROUTING, OUTPUT | per vip, one rule per selection slot |
//! | `T.SNAT` | nat | POSTROUTING | `--ctstate DNAT` + original vip tuple → MASQUERADE / SNAT |
//! | `T.COUNT` | mangle | PREROUTING, OUTPUT | one rule per vip port item; its counters are the vip's |
//!
//! The chain set does not depend on the program, so a reload never leaves
//! chains of an older program behind. Member selection (see `lbc_ir::Slot`):
//! `rr` is the `statistic --mode nth` cascade over unit slots (a member of
//! weight w has w of them, so it gets exactly w of every Σw connections);
//! `random` is the `statistic --mode random` probability cascade (quantised to
//! 1/2³¹ as the kernel stores it); `hash` is `-m cluster` over Σw hash buckets
//! (each member matches its buckets; every rule hashes the client address with
//! the same seed); `sticky` is `-m recent`, one list per vip member.

pub mod restore;
pub mod script;

use std::net::IpAddr;

use lbc_ir::capability::{full_except, Capabilities, Feature, Limit, Support};
use lbc_ir::{Algorithm, Family, PortRange, Program, Snat, Vip};

use crate::common::origin_comment;

/// What the iptables targets can express.
pub const CAPABILITIES: Capabilities = Capabilities { table: &TABLE };

const TABLE: [(Feature, Support); Feature::ALL.len()] = full_except([
    (
        Feature::PortList,
        Support::Limited(Limit::MaxPortEntries(MULTIPORT_MAX)),
    ),
    (
        Feature::Hash,
        Support::Limited(Limit::HashSlots(CLUSTER_MAX_NODES)),
    ),
    (
        Feature::TableName,
        Support::Limited(Limit::TableNameBytes(MAX_TABLE_NAME)),
    ),
]);

/// `-m multiport` takes at most 15 ports (a range counts as two).
pub const MULTIPORT_MAX: u32 = 15;
/// `-m cluster` hashes over at most 32 nodes.
pub const CLUSTER_MAX_NODES: u32 = 32;
/// Chain names have at most 28 characters; the longest suffix is `.COUNT`.
pub const MAX_TABLE_NAME: usize = 22;

/// An iptables table lbc uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IptTable {
    Nat,
    Mangle,
}

impl IptTable {
    pub fn name(self) -> &'static str {
        match self {
            IptTable::Nat => "nat",
            IptTable::Mangle => "mangle",
        }
    }
}

/// One `-A CHAIN ARGS...` rule; `args` are argv elements, unquoted.
#[derive(Clone, Debug)]
pub struct Rule {
    pub table: IptTable,
    pub chain: String,
    pub args: Vec<String>,
}

/// A jump from a built-in chain into one of lbc's chains.
#[derive(Clone, Debug)]
pub struct Jump {
    pub table: IptTable,
    pub from: &'static str,
    pub to: String,
}

/// Everything lbc creates for one family.
#[derive(Clone, Debug)]
pub struct Layout {
    pub family: Family,
    /// lbc's chains, by table, in declaration order.
    pub chains: Vec<(IptTable, String)>,
    pub rules: Vec<Rule>,
    pub jumps: Vec<Jump>,
}

/// The layout of `program`'s vips of `family`.
pub fn layout(program: &Program, family: Family) -> Layout {
    let t = &program.table;
    let dnat = format!("{t}.DNAT");
    let snat = format!("{t}.SNAT");
    let count = format!("{t}.COUNT");
    let mut rules = Vec::new();
    for vip in program.vips.iter().filter(|v| v.family == family) {
        dnat_rules(t, vip, &dnat, &mut rules);
    }
    for vip in program.vips.iter().filter(|v| v.family == family) {
        snat_rules(vip, &snat, &mut rules);
    }
    for vip in program
        .vips
        .iter()
        .filter(|v| v.family == family && v.counter)
    {
        count_rules(vip, &count, &mut rules);
    }
    let jump = |table, from, to: &String| Jump {
        table,
        from,
        to: to.clone(),
    };
    Layout {
        family,
        chains: vec![
            (IptTable::Nat, dnat.clone()),
            (IptTable::Nat, snat.clone()),
            (IptTable::Mangle, count.clone()),
        ],
        rules,
        jumps: vec![
            jump(IptTable::Nat, "PREROUTING", &dnat),
            jump(IptTable::Nat, "OUTPUT", &dnat),
            jump(IptTable::Nat, "POSTROUTING", &snat),
            jump(IptTable::Mangle, "PREROUTING", &count),
            jump(IptTable::Mangle, "OUTPUT", &count),
        ],
    }
}

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn host(addr: &IpAddr) -> String {
    match addr {
        IpAddr::V4(a) => format!("{a}/32"),
        IpAddr::V6(a) => format!("{a}/128"),
    }
}

fn port_item(r: &PortRange) -> String {
    if r.is_single() {
        r.first.to_string()
    } else {
        format!("{}:{}", r.first, r.last)
    }
}

/// `-d VIP -p PROTO` and the port match.
fn vip_match(vip: &Vip) -> Vec<String> {
    let mut a = vec![
        "-d".to_string(),
        host(&vip.address),
        "-p".to_string(),
        vip.protocol.name().to_string(),
    ];
    match vip.ports.as_slice() {
        [one] => {
            a.extend(args(&["-m", vip.protocol.name(), "--dport"]));
            a.push(port_item(one));
        }
        many => {
            a.extend(args(&["-m", "multiport", "--dports"]));
            a.push(many.iter().map(port_item).collect::<Vec<_>>().join(","));
        }
    }
    a
}

fn comment(vip: &Vip) -> Vec<String> {
    let mut text = origin_comment(&vip.origin);
    if let Some(c) = &vip.comment {
        text = format!("{text} {c}");
    }
    vec!["-m".into(), "comment".into(), "--comment".into(), text]
}

fn dnat_target(vip: &Vip, member: usize) -> Vec<String> {
    let m = &vip.members[member];
    let to = match (m.address, m.port) {
        (IpAddr::V6(a), Some(p)) => format!("[{a}]:{p}"),
        (a, Some(p)) => format!("{a}:{p}"),
        (a, None) => a.to_string(),
    };
    vec!["-j".into(), "DNAT".into(), "--to-destination".into(), to]
}

/// The `-m recent` list that remembers the clients of one vip member.
fn recent_list(table: &str, vip: &Vip, member: usize) -> String {
    format!("{table}.v{}.m{member}", vip.id)
}

fn recent(list: &str, family: Family, update_seconds: Option<u32>) -> Vec<String> {
    let mask = match family {
        Family::Ipv4 => "255.255.255.255",
        Family::Ipv6 => "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
    };
    let mut a = args(&["-m", "recent"]);
    match update_seconds {
        Some(s) => {
            a.extend(args(&["--update", "--seconds"]));
            a.push(s.to_string());
            a.push("--reap".into());
        }
        None => a.push("--set".into()),
    }
    a.extend(args(&["--name", list, "--mask", mask, "--rsource"]));
    a
}

/// `p` quantised as the kernel stores it (`lround(p * 2^31)`) and printed as
/// `iptables-save` prints it.
pub fn probability(weight: u32, remaining: u32) -> String {
    let scale = f64::from(1u32 << 31);
    let k = (f64::from(weight) * scale / f64::from(remaining)).round();
    format!("{:.11}", k / scale)
}

fn dnat_rules(table: &str, vip: &Vip, chain: &str, rules: &mut Vec<Rule>) {
    let base = vip_match(vip);
    let note = comment(vip);
    let slots = vip.slots();
    let push = |rules: &mut Vec<Rule>, extra: Vec<String>, member: usize| {
        let mut a = base.clone();
        a.extend(extra);
        a.extend(note.clone());
        a.extend(dnat_target(vip, member));
        rules.push(Rule {
            table: IptTable::Nat,
            chain: chain.to_string(),
            args: a,
        });
    };
    if let Some(seconds) = vip.sticky_seconds {
        for s in &slots {
            push(
                rules,
                recent(
                    &recent_list(table, vip, s.member),
                    vip.family,
                    Some(seconds),
                ),
                s.member,
            );
        }
    }
    let remember = |member: usize| -> Vec<String> {
        match vip.sticky_seconds {
            Some(_) => recent(&recent_list(table, vip, member), vip.family, None),
            None => Vec::new(),
        }
    };
    match vip.algorithm {
        Algorithm::Rr => {
            // Unit slots: rule j of W matches 1 of the (W - j) connections that
            // reach it, so each unit gets exactly 1 of every W.
            let total = slots.first().map_or(0, |s| s.total);
            let mut j = 0;
            for s in &slots {
                for _ in 0..s.weight {
                    let mut extra = Vec::new();
                    if j + 1 < total {
                        extra.extend(args(&["-m", "statistic", "--mode", "nth", "--every"]));
                        extra.push((total - j).to_string());
                        extra.extend(args(&["--packet", "0"]));
                    }
                    extra.extend(remember(s.member));
                    push(rules, extra, s.member);
                    j += 1;
                }
            }
        }
        Algorithm::Random => {
            for s in &slots {
                let mut extra = Vec::new();
                if !s.is_last() {
                    extra.extend(args(&[
                        "-m",
                        "statistic",
                        "--mode",
                        "random",
                        "--probability",
                    ]));
                    extra.push(probability(s.weight, s.remaining));
                }
                extra.extend(remember(s.member));
                push(rules, extra, s.member);
            }
        }
        Algorithm::Hash => {
            for s in &slots {
                let mut extra = Vec::new();
                if !s.is_last() {
                    let first = s.cumulative_end - s.weight;
                    let mask = mask_bits(first, s.cumulative_end);
                    extra.extend(args(&["-m", "cluster", "--cluster-total-nodes"]));
                    extra.push(s.total.to_string());
                    extra.push("--cluster-local-nodemask".into());
                    extra.push(format!("0x{mask:08x}"));
                    extra.push("--cluster-hash-seed".into());
                    extra.push(format!("0x{:08x}", vip.hash_seed()));
                }
                extra.extend(remember(s.member));
                push(rules, extra, s.member);
            }
        }
    }
}

/// Bits `first..end` set (end <= 32).
fn mask_bits(first: u32, end: u32) -> u32 {
    let upto = |n: u32| if n >= 32 { u32::MAX } else { (1u32 << n) - 1 };
    upto(end) & !upto(first)
}

fn snat_rules(vip: &Vip, chain: &str, rules: &mut Vec<Rule>) {
    let target = match &vip.snat {
        Snat::None => return,
        Snat::Masquerade => args(&["-j", "MASQUERADE"]),
        Snat::To { address } => vec![
            "-j".into(),
            "SNAT".into(),
            "--to-source".into(),
            address.to_string(),
        ],
    };
    conntrack_rules(
        vip,
        IptTable::Nat,
        chain,
        &["--ctstate", "DNAT"],
        &target,
        rules,
    );
}

fn count_rules(vip: &Vip, chain: &str, rules: &mut Vec<Rule>) {
    let target = args(&["-j", "RETURN"]);
    conntrack_rules(
        vip,
        IptTable::Mangle,
        chain,
        &["--ctdir", "ORIGINAL"],
        &target,
        rules,
    );
}

/// One rule per port item of `vip`, matching the connections whose original
/// destination is that vip port (plus the conntrack condition `extra`).
fn conntrack_rules(
    vip: &Vip,
    table: IptTable,
    chain: &str,
    extra: &[&str],
    target: &[String],
    rules: &mut Vec<Rule>,
) {
    for r in &vip.ports {
        let mut a = args(&["-p", vip.protocol.name(), "-m", "conntrack"]);
        a.extend(args(extra));
        a.push("--ctorigdst".into());
        a.push(host(&vip.address));
        a.push("--ctorigdstport".into());
        a.push(port_item(r));
        a.extend(comment(vip));
        a.extend(target.iter().cloned());
        rules.push(Rule {
            table,
            chain: chain.to_string(),
            args: a,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probabilities_are_quantised_like_the_kernel() {
        assert_eq!(probability(1, 2), "0.50000000000");
        assert_eq!(probability(1, 3), "0.33333333349");
        assert_eq!(probability(3, 10), "0.29999999981");
    }

    #[test]
    fn masks_cover_slot_ranges() {
        assert_eq!(mask_bits(0, 1), 0b1);
        assert_eq!(mask_bits(1, 3), 0b110);
        assert_eq!(mask_bits(0, 32), u32::MAX);
        assert_eq!(mask_bits(31, 32), 1 << 31);
    }
}
