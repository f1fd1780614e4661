//! What a backend can express, as data, and the one function that holds a
//! program against it.
//!
//! A backend lists a [`Support`] for every [`Feature`]; `lbc backends` prints the
//! table and `lbc compile` turns every [`Violation`] into an error that names the
//! target, the feature and the source span. Nothing is ever dropped or
//! approximated silently.

use crate::{Algorithm, Program, Snat, Vip};

/// A language feature a program can use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Feature {
    Ipv4,
    Ipv6,
    Tcp,
    Udp,
    PortList,
    PortRange,
    RoundRobin,
    Random,
    Hash,
    Weights,
    Drained,
    PortRewrite,
    Sticky,
    SnatMasquerade,
    SnatTo,
    SnatNone,
    Counter,
    Comment,
    /// The table name, from which every table and chain name is derived.
    TableName,
}

impl Feature {
    pub const ALL: [Feature; 19] = [
        Feature::Ipv4,
        Feature::Ipv6,
        Feature::Tcp,
        Feature::Udp,
        Feature::PortList,
        Feature::PortRange,
        Feature::RoundRobin,
        Feature::Random,
        Feature::Hash,
        Feature::Weights,
        Feature::Drained,
        Feature::PortRewrite,
        Feature::Sticky,
        Feature::SnatMasquerade,
        Feature::SnatTo,
        Feature::SnatNone,
        Feature::Counter,
        Feature::Comment,
        Feature::TableName,
    ];

    /// The short name used in `lbc backends` and in diagnostics.
    pub fn name(self) -> &'static str {
        match self {
            Feature::Ipv4 => "ipv4",
            Feature::Ipv6 => "ipv6",
            Feature::Tcp => "tcp",
            Feature::Udp => "udp",
            Feature::PortList => "port list",
            Feature::PortRange => "port range",
            Feature::RoundRobin => "rr",
            Feature::Random => "random",
            Feature::Hash => "hash",
            Feature::Weights => "weights",
            Feature::Drained => "weight 0 (drained)",
            Feature::PortRewrite => "member port rewrite",
            Feature::Sticky => "sticky",
            Feature::SnatMasquerade => "snat masquerade",
            Feature::SnatTo => "snat to",
            Feature::SnatNone => "snat none",
            Feature::Counter => "counter",
            Feature::Comment => "comment",
            Feature::TableName => "table name",
        }
    }
}

/// How well a backend expresses a feature.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Support {
    /// Exactly as the spec says.
    Full,
    /// Exactly as the spec says, within a limit; beyond it, an error.
    Limited(Limit),
    /// Not at all: any use is an error.
    Unsupported(&'static str),
}

/// A limit under which a feature is still expressed faithfully.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limit {
    /// A source hash over at most this many slots (the sum of the members'
    /// weights divided by their gcd).
    HashSlots(u32),
    /// A table name of at most this many bytes.
    TableNameBytes(usize),
    /// Not on a vip that listens on a port range.
    NotWithPortRange,
    /// At most this many port entries per vip (a range counts as two).
    MaxPortEntries(u32),
    /// A table name that is not one of these reserved words of the target.
    NotReserved(&'static [&'static str]),
    /// A comment without this character (the target's strings cannot hold it).
    CommentWithout(char),
}

impl Limit {
    pub fn describe(self) -> String {
        match self {
            Limit::HashSlots(n) => format!("at most {n} hash slots (sum of weights / their gcd)"),
            Limit::TableNameBytes(n) => format!("at most {n} bytes"),
            Limit::NotWithPortRange => "not on a vip with a port range".to_string(),
            Limit::MaxPortEntries(n) => format!("at most {n} ports per vip (a range counts as 2)"),
            Limit::NotReserved(_) => "not a reserved word of the target".to_string(),
            Limit::CommentWithout(c) => format!("without {c:?}"),
        }
    }
}

/// What one backend can express.
#[derive(Clone, Copy, Debug)]
pub struct Capabilities {
    pub table: &'static [(Feature, Support)],
}

/// A full capability table: every feature `Support::Full` except those listed
/// in `exceptions` (usable in a `const`).
pub const fn full_except<const N: usize>(
    exceptions: [(Feature, Support); N],
) -> [(Feature, Support); Feature::ALL.len()] {
    let mut table = [(Feature::Ipv4, Support::Full); Feature::ALL.len()];
    let mut i = 0;
    while i < Feature::ALL.len() {
        table[i] = (Feature::ALL[i], Support::Full);
        let mut j = 0;
        while j < N {
            if exceptions[j].0 as u8 == Feature::ALL[i] as u8 {
                table[i] = exceptions[j];
            }
            j += 1;
        }
        i += 1;
    }
    table
}

impl Capabilities {
    /// The support for `feature`; a feature missing from the table is unsupported.
    pub fn support(&self, feature: Feature) -> Support {
        self.table.iter().find(|(f, _)| *f == feature).map_or(
            Support::Unsupported("not declared by this backend"),
            |(_, s)| *s,
        )
    }
}

/// One use of a feature that a backend cannot express.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// Index into `Program::vips`, or `None` for a program-wide feature.
    pub vip: Option<usize>,
    pub feature: Feature,
    /// Why, in words: "the iptables target supports at most 32 hash slots; this vip needs 40".
    pub reason: String,
}

/// The features `vip` uses.
pub fn features(vip: &Vip) -> Vec<Feature> {
    let mut f = vec![match vip.family {
        crate::Family::Ipv4 => Feature::Ipv4,
        crate::Family::Ipv6 => Feature::Ipv6,
    }];
    f.push(match vip.protocol {
        crate::Protocol::Tcp => Feature::Tcp,
        crate::Protocol::Udp => Feature::Udp,
    });
    if vip.ports.len() > 1 {
        f.push(Feature::PortList);
    }
    if vip.ports.iter().any(|p| !p.is_single()) {
        f.push(Feature::PortRange);
    }
    f.push(match vip.algorithm {
        Algorithm::Rr => Feature::RoundRobin,
        Algorithm::Random => Feature::Random,
        Algorithm::Hash => Feature::Hash,
    });
    let active: Vec<u32> = vip
        .members
        .iter()
        .map(|m| m.weight)
        .filter(|w| *w > 0)
        .collect();
    if active.windows(2).any(|w| w[0] != w[1]) {
        f.push(Feature::Weights);
    }
    if vip.members.iter().any(|m| m.weight == 0) {
        f.push(Feature::Drained);
    }
    if vip.rewrites_port() {
        f.push(Feature::PortRewrite);
    }
    if vip.sticky_seconds.is_some() {
        f.push(Feature::Sticky);
    }
    f.push(match vip.snat {
        Snat::Masquerade => Feature::SnatMasquerade,
        Snat::None => Feature::SnatNone,
        Snat::To { .. } => Feature::SnatTo,
    });
    if vip.counter {
        f.push(Feature::Counter);
    }
    if vip.comment.is_some() {
        f.push(Feature::Comment);
    }
    f
}

/// Every use in `program` of a feature that `caps` (the backend `target`)
/// cannot express, in vip order.
pub fn check(program: &Program, target: &str, caps: &Capabilities) -> Vec<Violation> {
    let mut out = Vec::new();
    match caps.support(Feature::TableName) {
        Support::Full => {}
        Support::Limited(limit) => {
            if let Some(reason) = exceeds(limit, None, program, target) {
                out.push(Violation {
                    vip: None,
                    feature: Feature::TableName,
                    reason,
                });
            }
        }
        Support::Unsupported(why) => out.push(Violation {
            vip: None,
            feature: Feature::TableName,
            reason: format!("the {target} target cannot express a table name: {why}"),
        }),
    }
    for (i, vip) in program.vips.iter().enumerate() {
        for feature in features(vip) {
            let reason = match caps.support(feature) {
                Support::Full => None,
                Support::Limited(limit) => exceeds(limit, Some(vip), program, target),
                Support::Unsupported(why) => Some(format!(
                    "the {target} target cannot express {}: {why}",
                    feature.name()
                )),
            };
            if let Some(reason) = reason {
                out.push(Violation {
                    vip: Some(i),
                    feature,
                    reason,
                });
            }
        }
    }
    out
}

/// Why `vip` (or the program) goes beyond `limit`, if it does.
fn exceeds(limit: Limit, vip: Option<&Vip>, program: &Program, target: &str) -> Option<String> {
    match limit {
        Limit::HashSlots(max) => {
            let total = vip?.slots().first().map_or(0, |s| s.total);
            (total > max).then(|| {
                format!(
                    "the {target} target hashes over at most {max} slots; this vip needs {total} \
                     (the sum of its weights divided by their gcd)"
                )
            })
        }
        Limit::TableNameBytes(max) => (program.table.len() > max).then(|| {
            format!(
                "the {target} target derives chain names from the table name, which must then be \
                 at most {max} bytes; `{}` has {}",
                program.table,
                program.table.len()
            )
        }),
        Limit::NotReserved(words) => words.contains(&program.table.as_str()).then(|| {
            format!(
                "`{}` is a reserved word of the {target} target's syntax and cannot name a table there",
                program.table
            )
        }),
        Limit::CommentWithout(c) => {
            let comment = vip?.comment.as_deref()?;
            comment.contains(c).then(|| {
                format!("the {target} target cannot put {c:?} in a comment; this comment contains one")
            })
        }
        Limit::MaxPortEntries(max) => {
            let entries: u32 = vip?.ports.iter().map(|p| if p.is_single() { 1 } else { 2 }).sum();
            (entries > max).then(|| {
                format!(
                    "the {target} target matches at most {max} ports per vip (a range counts as 2); \
                     this vip lists {entries}"
                )
            })
        }
        Limit::NotWithPortRange => {
            let v = vip?;
            v.ports.iter().any(|p| !p.is_single()).then(|| {
                format!(
                    "the {target} target keeps affinity per listed port, which it cannot do for \
                     every port of a range"
                )
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_except_overrides_only_what_it_lists() {
        const T: [(Feature, Support); Feature::ALL.len()] =
            full_except([(Feature::Hash, Support::Unsupported("no"))]);
        let caps = Capabilities { table: &T };
        for f in Feature::ALL {
            let want = if f == Feature::Hash {
                Support::Unsupported("no")
            } else {
                Support::Full
            };
            assert_eq!(caps.support(f), want, "{f:?}");
        }
    }
}
