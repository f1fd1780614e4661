//! Vips of one address and protocol whose ports overlap (E0010).
//!
//! Vips are grouped by (address, protocol) in a hash map and each group's port
//! intervals are sorted and swept once, so 100,000 vips cost O(n log n), never
//! a comparison of every pair.

use std::collections::HashMap;
use std::net::IpAddr;

use lbc_ir::{PortRange, Protocol};

use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::source::Site;

/// What the conflict check needs of a vip whose address and ports are valid.
#[derive(Clone, Debug)]
pub(crate) struct Listener {
    pub address: IpAddr,
    pub protocol: Protocol,
    /// Each port item with where it is written.
    pub ports: Vec<(PortRange, Site)>,
    pub site: Site,
}

struct Interval {
    range: PortRange,
    listener: usize,
    item: usize,
}

pub(crate) fn check(listeners: &[Listener], diags: &mut Vec<Diagnostic>) {
    let mut groups: HashMap<(IpAddr, Protocol), Vec<Interval>> = HashMap::new();
    for (li, l) in listeners.iter().enumerate() {
        let group = groups.entry((l.address, l.protocol)).or_default();
        for (item, (range, _)) in l.ports.iter().enumerate() {
            group.push(Interval {
                range: *range,
                listener: li,
                item,
            });
        }
    }
    // Each reported pair once, keyed by (earlier, later) listener and, within
    // one vip, by item.
    let mut reported: Vec<(usize, usize, usize, usize)> = Vec::new();
    let mut groups: Vec<_> = groups.into_values().filter(|g| g.len() > 1).collect();
    groups.sort_by_key(|g| g.iter().map(|i| i.listener).min());
    for mut group in groups {
        group.sort_by_key(|i| (i.range.first, i.range.last, i.listener, i.item));
        let mut reach = 0;
        for k in 1..group.len() {
            let (a, b) = (&group[reach], &group[k]);
            if b.range.first <= a.range.last {
                // Order the pair by position in the program.
                let (first, second) = if (a.listener, a.item) < (b.listener, b.item) {
                    (a, b)
                } else {
                    (b, a)
                };
                let key = if first.listener == second.listener {
                    (first.listener, second.listener, first.item, second.item)
                } else {
                    (first.listener, second.listener, 0, 0)
                };
                if !reported.contains(&key) {
                    reported.push(key);
                    diags.push(conflict(listeners, first, second));
                }
            }
            if group[k].range.last > group[reach].range.last {
                reach = k;
            }
        }
    }
}

fn conflict(listeners: &[Listener], first: &Interval, second: &Interval) -> Diagnostic {
    let (l1, l2) = (&listeners[first.listener], &listeners[second.listener]);
    let proto = l2.protocol.name();
    if first.listener == second.listener {
        let overlap = show(&intersect(&[first.range], &[second.range]));
        return Diagnostic::new(
            Code::VipConflict,
            format!("this vip lists port {overlap} more than once"),
        )
        .primary(l2.ports[second.item].1, format!("port {overlap} again"))
        .secondary(l1.ports[first.item].1, "already listed here")
        .help("list every port once");
    }
    let a: Vec<PortRange> = l1.ports.iter().map(|p| p.0).collect();
    let b: Vec<PortRange> = l2.ports.iter().map(|p| p.0).collect();
    let overlap = show(&intersect(&a, &b));
    let address = match l2.address {
        IpAddr::V6(a) => format!("[{a}]"),
        a @ IpAddr::V4(_) => a.to_string(),
    };
    Diagnostic::new(
        Code::VipConflict,
        format!("vip {address}/{proto} overlaps another vip on port {overlap}"),
    )
    .primary(l2.site, format!("also listens on {proto} port {overlap}"))
    .secondary(l1.site, "the other vip listens here")
    .note("a connection to an address, protocol and port can go to one vip only")
    .help("remove the shared ports from one of the vips")
}

/// The ports in both `a` and `b`, merged and sorted.
fn intersect(a: &[PortRange], b: &[PortRange]) -> Vec<PortRange> {
    let mut out: Vec<PortRange> = Vec::new();
    for x in a {
        for y in b {
            let (first, last) = (x.first.max(y.first), x.last.min(y.last));
            if first <= last {
                out.push(PortRange { first, last });
            }
        }
    }
    out.sort();
    let mut merged: Vec<PortRange> = Vec::new();
    for r in out {
        match merged.last_mut() {
            Some(m) if u32::from(r.first) <= u32::from(m.last) + 1 => m.last = m.last.max(r.last),
            _ => merged.push(r),
        }
    }
    merged
}

fn show(ranges: &[PortRange]) -> String {
    let parts: Vec<String> = ranges
        .iter()
        .map(|r| {
            if r.is_single() {
                r.first.to_string()
            } else {
                format!("{}-{}", r.first, r.last)
            }
        })
        .collect();
    parts.join(", ")
}
