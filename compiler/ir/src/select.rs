//! How a vip picks a member, as numbers every backend shares: the cascade of
//! weighted slots and the source-hash seed.
//!
//! A cascade tries the members in order; slot i takes `weight` of the
//! `remaining` connections that reach it (the sum of its weight and those after
//! it), so every member gets exactly w_i / Σw. For round robin each rule keeps
//! its own counter (`numgen inc`, `statistic --mode nth`); for random each rule
//! draws again; for hash every rule computes the same hash of the client address
//! and slot i takes the values below `cumulative_end`.

use crate::{Member, Vip};

/// One step of a selection cascade.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Slot {
    /// Index into `Vip::members`.
    pub member: usize,
    /// The member's weight divided by the gcd of all active weights.
    pub weight: u32,
    /// The sum of this slot's weight and of all later slots' weights.
    pub remaining: u32,
    /// The sum of the weights of all slots up to and including this one.
    pub cumulative_end: u32,
    /// The sum of all slots' weights.
    pub total: u32,
}

impl Slot {
    /// Whether this is the last slot (it takes everything that reaches it).
    pub fn is_last(&self) -> bool {
        self.weight == self.remaining
    }
}

pub fn gcd(a: u32, b: u32) -> u32 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

impl Vip {
    /// The members that receive new connections (weight > 0), with their
    /// reduced weights, in source order.
    pub fn slots(&self) -> Vec<Slot> {
        let active: Vec<(usize, &Member)> = self
            .members
            .iter()
            .enumerate()
            .filter(|(_, m)| m.weight > 0)
            .collect();
        let g = active.iter().fold(0, |g, (_, m)| gcd(g, m.weight)).max(1);
        let total: u32 = active.iter().map(|(_, m)| m.weight / g).sum();
        let mut before = 0;
        active
            .into_iter()
            .map(|(member, m)| {
                let weight = m.weight / g;
                let slot = Slot {
                    member,
                    weight,
                    remaining: total - before,
                    cumulative_end: before + weight,
                    total,
                };
                before += weight;
                slot
            })
            .collect()
    }

    /// A seed for the source-address hash, derived from what identifies the vip
    /// (not its position in the file), so that reordering a file or reloading
    /// keeps every client on its member.
    pub fn hash_seed(&self) -> u32 {
        // FNV-1a over the address, protocol and first port.
        let mut h: u32 = 0x811c_9dc5;
        let mut eat = |b: u8| {
            h ^= u32::from(b);
            h = h.wrapping_mul(0x0100_0193);
        };
        match self.address {
            std::net::IpAddr::V4(a) => a.octets().into_iter().for_each(&mut eat),
            std::net::IpAddr::V6(a) => a.octets().into_iter().for_each(&mut eat),
        }
        eat(self.protocol as u8);
        let first = self.ports.first().map_or(0, |p| p.first);
        first.to_be_bytes().into_iter().for_each(&mut eat);
        h
    }
}

#[cfg(test)]
mod tests {
    use crate::*;

    fn vip(weights: &[u32]) -> Vip {
        let origin = Origin {
            file: "t".into(),
            line: 1,
            column: 1,
        };
        Vip {
            id: 1,
            origin: origin.clone(),
            family: Family::Ipv4,
            address: "198.18.0.1".parse().expect("literal"),
            protocol: Protocol::Tcp,
            ports: vec![PortRange {
                first: 80,
                last: 80,
            }],
            algorithm: Algorithm::Rr,
            members: weights
                .iter()
                .map(|&weight| Member {
                    address: "198.18.1.1".parse().expect("literal"),
                    port: None,
                    weight,
                    host: None,
                    origin: origin.clone(),
                })
                .collect(),
            sticky_seconds: None,
            snat: Snat::Masquerade,
            counter: false,
            comment: None,
        }
    }

    #[test]
    fn slots_reduce_by_gcd_and_skip_drained_members() {
        let s = vip(&[4, 0, 2, 6]).slots();
        let got: Vec<(usize, u32, u32, u32)> = s
            .iter()
            .map(|s| (s.member, s.weight, s.remaining, s.cumulative_end))
            .collect();
        assert_eq!(got, vec![(0, 2, 6, 2), (2, 1, 4, 3), (3, 3, 3, 6)]);
        assert!(s[2].is_last());
        assert!(!s[0].is_last());
        assert!(s.iter().all(|s| s.total == 6));
    }

    #[test]
    fn cascade_gives_every_member_its_exact_share() {
        // Simulate per-rule counters (numgen inc / statistic nth) over 3 cycles.
        let v = vip(&[3, 1, 2]);
        let slots = v.slots();
        let mut counters = vec![0u32; slots.len()];
        let mut got = vec![0u32; v.members.len()];
        for _ in 0..18 {
            for (i, s) in slots.iter().enumerate() {
                let hit = counters[i] % s.remaining < s.weight;
                counters[i] += 1;
                if hit || s.is_last() {
                    got[s.member] += 1;
                    break;
                }
            }
        }
        assert_eq!(got, vec![9, 3, 6]);
    }

    #[test]
    fn hash_seed_depends_on_identity_not_position() {
        let a = vip(&[1]);
        let mut b = vip(&[1, 1]);
        b.id = 7;
        assert_eq!(a.hash_seed(), b.hash_seed());
        b.ports[0].first = 81;
        assert_ne!(a.hash_seed(), b.hash_seed());
    }
}
