//! Member lists, in pools and vips: each member resolved to an address, a
//! target port (its own, else its host's default, else none) and a weight.

use std::net::IpAddr;

use lbc_grammar::ast::{MemberList, MemberTarget, Statement};

use super::names::Kind;
use super::Checker;
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Site};

/// Where a member's target port comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PortOrigin {
    /// No port: the connected port is kept.
    None,
    /// `member:PORT`, written here.
    Member(Site),
    /// The host's default port, written here.
    Host(Site),
}

#[derive(Clone, Debug)]
pub(crate) struct ResolvedMember {
    pub address: IpAddr,
    pub port: Option<u16>,
    pub port_origin: PortOrigin,
    pub weight: u32,
    pub host: Option<String>,
    /// The whole member as written.
    pub site: Site,
}

impl Checker<'_> {
    /// Resolves every pool once (its problems are reported at the pool).
    pub(super) fn resolve_pools(&mut self) {
        let spliced = self.spliced;
        for (file, stmt) in spliced.statements() {
            let Statement::Pool(p) = stmt else { continue };
            if self.pools.contains_key(&p.name.name) {
                continue; // a duplicate, already reported
            }
            let members = self.member_list(file, &p.members, "pool");
            if let Some(m) = &members {
                self.duplicate_members(m, None);
            }
            self.pools.insert(p.name.name.clone(), members);
        }
    }

    /// Resolves a member list; `None` when any member is invalid (reported).
    pub(super) fn member_list(
        &mut self,
        file: FileId,
        list: &MemberList,
        owner: &str,
    ) -> Option<Vec<ResolvedMember>> {
        let site = Site::new(file, list.span);
        if list.members.is_empty() {
            self.diags.push(
                Diagnostic::new(Code::EmptyMembers, format!("this {owner} has no members"))
                    .primary(site, "empty member list")
                    .help("list at least one member: `[ADDRESS, HOST:PORT weight 2]`"),
            );
            return None;
        }
        if list.members.len() > self.limits.members {
            self.diags.push(
                Diagnostic::new(
                    Code::LimitExceeded,
                    format!(
                        "this {owner} has {} members; the limit is {}",
                        list.members.len(),
                        self.limits.members
                    ),
                )
                .primary(site, "too many members"),
            );
            return None;
        }
        let mut out = Vec::with_capacity(list.members.len());
        let mut ok = true;
        for m in &list.members {
            match self.member(file, m) {
                Some(r) => out.push(r),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn member(&mut self, file: FileId, m: &lbc_grammar::ast::Member) -> Option<ResolvedMember> {
        let site = Site::new(file, m.span);
        let (address, host, host_port) = match &m.target {
            MemberTarget::Address(a) => (self.address(file, a), None, None),
            MemberTarget::Host(h) => match self.lookup(file, h, Kind::Host) {
                Some((_, Some(value))) => {
                    if value.port_invalid {
                        (None, None, None)
                    } else {
                        let port = value.port.zip(value.port_site);
                        (value.address, Some(h.name.clone()), port)
                    }
                }
                Some((_, None)) | None => (None, None, None),
            },
        };
        let own_port = m
            .port
            .as_ref()
            .map(|n| self.port(file, n).map(|p| (p, Site::new(file, n.span))));
        let weight = match &m.weight {
            Some(n) => self.weight(file, n),
            None => Some(1),
        };
        let (port, port_origin) = match own_port {
            Some(Some((p, s))) => (Some(p), PortOrigin::Member(s)),
            Some(None) => return None,
            None => match host_port {
                Some((p, s)) => (Some(p), PortOrigin::Host(s)),
                None => (None, PortOrigin::None),
            },
        };
        let address = address?;
        self.member_address(address, Site::new(file, m.target.span()));
        Some(ResolvedMember {
            address,
            port,
            port_origin,
            weight: weight?,
            host,
            site,
        })
    }

    /// A member address must be a possible unicast destination.
    fn member_address(&mut self, address: IpAddr, site: Site) {
        if let Some(why) = never_unicast(&address) {
            self.diags.push(
                Diagnostic::new(
                    Code::UnroutableMember,
                    format!("member address {address} is {why}; connections cannot be sent to it"),
                )
                .primary(site, why),
            );
        } else if address.is_loopback() {
            self.diags.push(
                Diagnostic::new(Code::LoopbackMember, format!("member address {address} is a loopback address"))
                    .primary(site, "loopback address")
                    .note("the kernel does not route DNATed traffic from other hosts to a loopback address (see the `route_localnet` sysctl)")
                    .help("use an address of the member's network interface"),
            );
        }
    }
}

/// Why an address can never be a unicast destination, if it cannot.
pub(crate) fn never_unicast(address: &IpAddr) -> Option<&'static str> {
    if address.is_unspecified() {
        Some("the unspecified address")
    } else if address.is_multicast() {
        Some("a multicast address")
    } else if matches!(address, IpAddr::V4(a) if a.is_broadcast()) {
        Some("the broadcast address")
    } else {
        None
    }
}
