//! One `vip` statement: its listening address and ports, its members and
//! options, and the rules that tie them together (families, a member equal to
//! the vip, port rewrites on several ports, weights, option combinations).

use std::net::IpAddr;

use lbc_grammar::ast::{self, Members, VipOption, VipStmt};
use lbc_ir::{Algorithm, Family, PortRange, Protocol, Snat};

use super::conflicts::Listener;
use super::members::{never_unicast, PortOrigin, ResolvedMember};
use super::names::Kind;
use super::Checker;
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::model::{MemberModel, VipModel};
use crate::source::{FileId, Site};

/// A vip's validated options (`None` where absent or invalid).
#[derive(Default)]
struct Options {
    counter: Option<Site>,
    comment: Option<(String, Site)>,
    sticky: Option<(u32, Site)>,
    snat: Option<(Snat, Site)>,
    valid: bool,
}

/// The vip's members and, when they come from a pool, the pool reference.
struct MemberSource {
    members: Vec<ResolvedMember>,
    pool: Option<String>,
}

impl Checker<'_> {
    pub(super) fn vip(&mut self, file: FileId, v: &VipStmt) -> Option<VipModel> {
        let at = |span| Site::new(file, span);
        let address = self.address(file, &v.listen.address);
        if let Some(a) = address {
            self.vip_address(a, at(v.listen.address.span));
        }
        let ports = self.ports(file, &v.listen.ports);
        let protocol = match v.listen.protocol {
            Some((ast::Protocol::Udp, _)) => Protocol::Udp,
            Some((ast::Protocol::Tcp, _)) | None => Protocol::Tcp,
        };
        if let (Some(address), Some(ports)) = (address, &ports) {
            self.listeners.push(Listener {
                address,
                protocol,
                ports: ports
                    .iter()
                    .zip(&v.listen.ports)
                    .map(|(r, item)| (*r, at(item.span)))
                    .collect(),
                site: at(v.listen.span),
            });
        }
        let algorithm = match v.algorithm {
            ast::Algorithm::RoundRobin => Algorithm::Rr,
            ast::Algorithm::Random => Algorithm::Random,
            ast::Algorithm::Hash => Algorithm::Hash,
        };
        let members_site = at(v.members.span());
        let source = match &v.members {
            Members::List(list) => {
                self.member_list(file, list, "vip")
                    .map(|members| MemberSource {
                        members,
                        pool: None,
                    })
            }
            Members::Pool(name) => match self.lookup(file, name, Kind::Pool) {
                Some(_) => self
                    .pools
                    .get(&name.name)
                    .cloned()
                    .flatten()
                    .map(|members| MemberSource {
                        members,
                        pool: Some(name.name.clone()),
                    }),
                None => None,
            },
        };
        let options = self.options(file, &v.options);
        let (snat, snat_site) = match &options.snat {
            Some((s, site)) => (s.clone(), Some(*site)),
            None => self.default_snat.clone(),
        };
        let mut valid = options.valid;

        if let (Some(address), Some(source)) = (address, &source) {
            valid &= self.vip_members(address, ports.as_deref(), source, members_site);
        }
        if let Some(address) = address {
            if let Snat::To { address: to } = &snat {
                if Family::of(to) != Family::of(&address) {
                    valid = false;
                    self.snat_family(
                        address,
                        *to,
                        options.snat.as_ref().map(|s| s.1),
                        snat_site,
                        at(v.span),
                    );
                }
            }
        }
        if let (Some((_, sticky_site)), Some(source)) = (options.sticky, &source) {
            self.sticky_smells(algorithm, source, sticky_site, at(v.algorithm_span));
        }

        let (address, ports, source) = (address?, ports?, source?);
        if !valid {
            return None;
        }
        Some(VipModel {
            site: at(v.span),
            listen_site: at(v.listen.span),
            address,
            protocol,
            ports,
            algorithm,
            algorithm_site: at(v.algorithm_span),
            members: source
                .members
                .into_iter()
                .map(|m| MemberModel {
                    address: m.address,
                    port: m.port,
                    weight: m.weight,
                    host: m.host,
                    site: m.site,
                })
                .collect(),
            members_site,
            sticky: options.sticky,
            snat,
            snat_site,
            counter: options.counter,
            comment: options.comment,
        })
    }

    fn vip_address(&mut self, address: IpAddr, site: Site) {
        if let Some(why) = never_unicast(&address) {
            self.diags.push(
                Diagnostic::new(
                    Code::UnroutableVip,
                    format!("vip address {address} is {why}; no connection can be addressed to it"),
                )
                .primary(site, why)
                .help("a vip needs a unicast address that clients can route to"),
            );
        } else if address.is_loopback() {
            self.diags.push(
                Diagnostic::new(
                    Code::LoopbackVip,
                    format!("vip address {address} is a loopback address"),
                )
                .primary(site, "loopback address")
                .note("only programs on the load balancer itself can reach a loopback address")
                .help("use an address that clients route to this host"),
            );
        }
    }

    /// The listened ports; `None` if any is invalid (reported).
    fn ports(&mut self, file: FileId, items: &[ast::PortItem]) -> Option<Vec<PortRange>> {
        let mut out = Vec::with_capacity(items.len());
        let mut ok = true;
        for item in items {
            let first = self.port(file, &item.first);
            let last = match &item.last {
                Some(n) => self.port(file, n),
                None => first,
            };
            match (first, last) {
                (Some(first), Some(last)) if first <= last => out.push(PortRange { first, last }),
                (Some(first), Some(last)) => {
                    ok = false;
                    self.diags.push(
                        Diagnostic::new(
                            Code::ReversedPortRange,
                            format!("port range {first}-{last} starts after it ends"),
                        )
                        .primary(
                            Site::new(file, item.span),
                            "the first port is greater than the last",
                        )
                        .help(format!("write it as {last}-{first}")),
                    );
                }
                _ => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn options(&mut self, file: FileId, options: &[VipOption]) -> Options {
        let mut o = Options {
            valid: true,
            ..Options::default()
        };
        let mut seen: Vec<(&'static str, Site)> = Vec::new();
        for opt in options {
            let site = Site::new(file, opt.span());
            if let Some((_, first)) = seen.iter().find(|(k, _)| *k == opt.keyword()) {
                o.valid = false;
                self.diags.push(
                    Diagnostic::new(
                        Code::DuplicateOption,
                        format!("the option `{}` is given twice", opt.keyword()),
                    )
                    .primary(site, "given again here")
                    .secondary(*first, "first given here")
                    .help("give each option at most once"),
                );
                continue;
            }
            seen.push((opt.keyword(), site));
            match opt {
                VipOption::Counter { .. } => o.counter = Some(site),
                VipOption::Comment { text, .. } => match self.comment(file, text) {
                    Some(c) => o.comment = Some((c, site)),
                    None => o.valid = false,
                },
                VipOption::Sticky { duration, .. } => match self.duration(file, duration) {
                    Some(s) => o.sticky = Some((s, site)),
                    None => o.valid = false,
                },
                VipOption::Snat { mode, .. } => match self.snat_mode(file, mode) {
                    Some(s) => o.snat = Some((s, site)),
                    None => o.valid = false,
                },
            }
        }
        o
    }

    /// The rules between a vip and its members. Returns whether none is broken.
    fn vip_members(
        &mut self,
        address: IpAddr,
        ports: Option<&[PortRange]>,
        source: &MemberSource,
        members_site: Site,
    ) -> bool {
        let mut ok = true;
        let family = Family::of(&address);
        let multi_port = ports.is_some_and(|p| p.len() > 1 || p.iter().any(|r| !r.is_single()));
        // A problem with a pool member is shown at the pool reference in this
        // vip, with the member itself as the secondary label.
        let place = |m: &ResolvedMember| -> (Site, Option<Site>) {
            match &source.pool {
                Some(_) => (members_site, Some(m.site)),
                None => (m.site, None),
            }
        };
        let in_pool = |d: Diagnostic, secondary: Option<Site>, what: &str| match secondary {
            Some(s) => d.secondary(s, what.to_string()),
            None => d,
        };
        let mut host_port_warned = false;
        for (i, m) in source.members.iter().enumerate() {
            let (primary, secondary) = place(m);
            if Family::of(&m.address) != family {
                ok = false;
                let d = Diagnostic::new(
                    Code::FamilyMismatch,
                    format!(
                        "vip {address} is {} but its member {} is {}",
                        family_name(family),
                        m.address,
                        family_name(Family::of(&m.address))
                    ),
                )
                .primary(primary, format!("{} member", family_name(Family::of(&m.address))))
                .help("a vip and its members must share one address family; list IPv6 members under an IPv6 vip");
                self.diags.push(in_pool(d, secondary, "this member"));
                continue;
            }
            if m.address == address {
                let loops = match (m.port, ports) {
                    (None, _) => true,
                    (Some(p), Some(ports)) => ports.iter().any(|r| r.first <= p && p <= r.last),
                    (Some(_), None) => false,
                };
                if loops {
                    ok = false;
                    let target = m
                        .port
                        .map_or("the port the client connected to".to_string(), |p| {
                            format!("port {p}")
                        });
                    let d = Diagnostic::new(
                        Code::MemberIsVip,
                        format!("member {} sends connections back to its own vip", m.address),
                    )
                    .primary(
                        primary,
                        format!("this member is the vip's own address and {target}"),
                    )
                    .help("a member must be a real server behind the vip");
                    self.diags.push(in_pool(d, secondary, "this member"));
                }
            }
            if multi_port {
                match m.port_origin {
                    PortOrigin::Member(port_site) => {
                        ok = false;
                        let d = Diagnostic::new(
                            Code::AmbiguousMemberPort,
                            "a member port on a vip that listens on several ports is ambiguous",
                        )
                        .primary(
                            if source.pool.is_some() { members_site } else { port_site },
                            "this member rewrites every listened port to one port",
                        )
                        .help("remove the member's `:PORT` to keep the port the client connected to, or give the port-rewriting members a vip of their own");
                        self.diags.push(in_pool(
                            d,
                            secondary.map(|_| port_site),
                            "the member port",
                        ));
                    }
                    PortOrigin::Host(host_port_site) if !host_port_warned => {
                        host_port_warned = true;
                        self.diags.push(
                            Diagnostic::new(
                                Code::HostPortOnMultiPortVip,
                                format!(
                                    "every port of this vip is sent to port {} of `{}`",
                                    m.port.unwrap_or_default(),
                                    m.host.as_deref().unwrap_or("the host")
                                ),
                            )
                            .primary(primary, "this member uses its host's default port")
                            .secondary(host_port_site, "the host's default port")
                            .note("a host's default port applies to every port the vip listens on"),
                        );
                    }
                    PortOrigin::Host(_) | PortOrigin::None => {}
                }
            }
            if let Some(first) = source.members[..i]
                .iter()
                .find(|o| o.address == m.address && o.port == m.port)
            {
                let d = Diagnostic::new(
                    Code::DuplicateMember,
                    format!("member {} is listed twice", show_member(m)),
                )
                .primary(
                    if source.pool.is_some() {
                        m.site
                    } else {
                        primary
                    },
                    "listed again here",
                )
                .secondary(first.site, "first listed here")
                .note("a member listed twice gets the sum of both weights")
                .help("list it once, with a weight");
                self.diags.push(d);
            }
        }
        if ok && source.members.iter().all(|m| m.weight == 0) {
            ok = false;
            let mut d = Diagnostic::new(Code::AllDrained, "every member of this vip has weight 0")
                .primary(members_site, "no member can receive a connection")
                .help("give at least one member a weight above 0");
            if source.pool.is_some() {
                if let Some(first) = source.members.first() {
                    d = d.secondary(first.site, "in this pool");
                }
            }
            self.diags.push(d);
        }
        ok
    }

    fn snat_family(
        &mut self,
        vip: IpAddr,
        to: IpAddr,
        option: Option<Site>,
        default: Option<Site>,
        vip_site: Site,
    ) {
        let message = format!(
            "`snat to {to}` is {} but vip {vip} is {}",
            family_name(Family::of(&to)),
            family_name(Family::of(&vip))
        );
        let d = Diagnostic::new(Code::SnatFamilyMismatch, message);
        let d = match (option, default) {
            (Some(o), _) => d.primary(o, "wrong family for this vip"),
            (None, Some(def)) => d
                .primary(vip_site, "this vip uses the default `snat`")
                .secondary(def, "the default is set here"),
            (None, None) => d.primary(vip_site, "this vip"),
        };
        self.diags.push(d.help(format!(
            "give this vip a `snat` option with an {} address, or `snat masquerade`",
            family_name(Family::of(&vip))
        )));
    }

    fn sticky_smells(
        &mut self,
        algorithm: Algorithm,
        source: &MemberSource,
        sticky: Site,
        algo: Site,
    ) {
        if algorithm == Algorithm::Hash {
            self.diags.push(
                Diagnostic::new(Code::StickyWithHash, "`sticky` adds nothing to `hash`")
                    .primary(sticky, "redundant")
                    .secondary(
                        algo,
                        "`hash` already sends a client address to the same member",
                    )
                    .help("remove `sticky`, or use `rr` or `random` with `sticky`"),
            );
        } else if source.members.iter().filter(|m| m.weight > 0).count() == 1 {
            self.diags.push(
                Diagnostic::new(
                    Code::StickySingleMember,
                    "`sticky` with a single member has no effect",
                )
                .primary(sticky, "every client reaches the one member anyway")
                .help("remove `sticky`, or add members"),
            );
        }
    }
}

fn family_name(f: Family) -> &'static str {
    match f {
        Family::Ipv4 => "IPv4",
        Family::Ipv6 => "IPv6",
    }
}

fn show_member(m: &ResolvedMember) -> String {
    let addr = match m.address {
        IpAddr::V6(a) if m.port.is_some() => format!("[{a}]"),
        a => a.to_string(),
    };
    match m.port {
        Some(p) => format!("{addr}:{p}"),
        None => addr,
    }
}
