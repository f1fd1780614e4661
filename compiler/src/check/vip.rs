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

/// A problem with one member: where, its label, and its message when it is
/// reported on its own (members of a literal list).
struct Finding {
    site: Site,
    label: String,
    message: String,
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
        let family = Family::of(&address);
        let multi_port = ports.is_some_and(|p| p.len() > 1 || p.iter().any(|r| !r.is_single()));
        let single_port = match ports {
            Some([r]) if r.is_single() => Some(r.first),
            _ => None,
        };
        let mut wrong_family = Vec::new();
        let mut loops = Vec::new();
        let mut ambiguous = Vec::new();
        let mut host_port = None;
        for m in &source.members {
            if Family::of(&m.address) != family {
                let theirs = family_name(Family::of(&m.address));
                wrong_family.push(Finding {
                    site: m.site,
                    label: format!("{theirs} member"),
                    message: format!(
                        "vip {address} is {} but its member {} is {theirs}",
                        family_name(family),
                        m.address
                    ),
                });
                continue;
            }
            let back_to_vip = m.address == address
                && match (m.port, ports) {
                    (None, _) => true,
                    (Some(p), Some(ports)) => ports.iter().any(|r| r.first <= p && p <= r.last),
                    (Some(_), None) => false,
                };
            if back_to_vip {
                let target = m
                    .port
                    .map_or("the port the client connected to".to_string(), |p| {
                        format!("port {p}")
                    });
                loops.push(Finding {
                    site: m.site,
                    label: format!("the vip's own address and {target}"),
                    message: format!(
                        "member {} sends connections back to its own vip",
                        show_member(m)
                    ),
                });
            }
            if multi_port {
                match m.port_origin {
                    PortOrigin::Member(port_site) => ambiguous.push(Finding {
                        site: port_site,
                        label: "rewrites every listened port to this one".to_string(),
                        message:
                            "a member port on a vip that listens on several ports is ambiguous"
                                .to_string(),
                    }),
                    PortOrigin::Host(host_site) => {
                        host_port.get_or_insert((m.site, host_site, m.port, m.host.clone()));
                    }
                    PortOrigin::None => {}
                }
            }
        }
        let pool = source.pool.as_deref();
        let ok = wrong_family.is_empty() && loops.is_empty() && ambiguous.is_empty();
        self.member_findings(
            Code::FamilyMismatch,
            &wrong_family,
            pool,
            members_site,
            |n| match n {
                1 => format!(
                    "vip {address} is {} but a member is not",
                    family_name(family)
                ),
                _ => format!(
                    "vip {address} is {} but {n} members are not",
                    family_name(family)
                ),
            },
            "a vip and its members must share one address family; give IPv6 members an IPv6 vip",
        );
        self.member_findings(
            Code::MemberIsVip,
            &loops,
            pool,
            members_site,
            |_| "a member of the pool sends connections back to this vip".to_string(),
            "a member must be a real server behind the vip",
        );
        self.member_findings(
            Code::AmbiguousMemberPort,
            &ambiguous,
            pool,
            members_site,
            |_| "a member port in the pool is ambiguous on a vip that listens on several ports".to_string(),
            "remove the member's `:PORT` to keep the port the client connected to, or give the port-rewriting members a vip of their own",
        );
        if let Some((member_site, host_site, port, host)) = host_port {
            let primary = if pool.is_some() {
                members_site
            } else {
                member_site
            };
            self.diags.push(
                Diagnostic::new(
                    Code::HostPortOnMultiPortVip,
                    format!(
                        "every port of this vip is sent to port {} of `{}`",
                        port.unwrap_or_default(),
                        host.as_deref().unwrap_or("the host")
                    ),
                )
                .primary(primary, "this member uses its host's default port")
                .secondary(host_site, "the host's default port")
                .note("a host's default port applies to every port the vip listens on"),
            );
        }
        if pool.is_none() {
            self.duplicate_members(&source.members, single_port);
        }
        if ok && source.members.iter().all(|m| m.weight == 0) {
            let mut d = Diagnostic::new(Code::AllDrained, "every member of this vip has weight 0")
                .primary(members_site, "no member can receive a connection")
                .help("give at least one member a weight above 0");
            if let (Some(name), Some(first)) = (pool, source.members.first()) {
                d = d.secondary(first.site, format!("the members of `{name}` start here"));
            }
            self.diags.push(d);
            return false;
        }
        ok
    }

    /// One diagnostic per member of a literal list; one per vip, with every
    /// member as a secondary label, for members that come from a pool.
    fn member_findings(
        &mut self,
        code: Code,
        findings: &[Finding],
        pool: Option<&str>,
        members_site: Site,
        message: impl Fn(usize) -> String,
        help: &str,
    ) {
        if findings.is_empty() {
            return;
        }
        match pool {
            None => {
                for f in findings {
                    self.diags.push(
                        Diagnostic::new(code, f.message.clone())
                            .primary(f.site, f.label.clone())
                            .help(help),
                    );
                }
            }
            Some(name) => {
                let mut d = Diagnostic::new(code, message(findings.len())).primary(
                    members_site,
                    format!("the members of `{name}` are used here"),
                );
                for f in findings {
                    d = d.secondary(f.site, f.label.clone());
                }
                self.diags.push(d.help(help));
            }
        }
    }

    /// W0001: the same target twice in one member list. `single_port` is the
    /// vip's port when it listens on one: then `ADDR` and `ADDR:PORT` are the
    /// same target.
    pub(super) fn duplicate_members(
        &mut self,
        members: &[ResolvedMember],
        single_port: Option<u16>,
    ) {
        let target = |m: &ResolvedMember| (m.address, m.port.or(single_port));
        for (i, m) in members.iter().enumerate() {
            if let Some(first) = members[..i].iter().find(|o| target(o) == target(m)) {
                self.diags.push(
                    Diagnostic::new(
                        Code::DuplicateMember,
                        format!("member {} is listed twice", show_member(m)),
                    )
                    .primary(m.site, "listed again here")
                    .secondary(first.site, "first listed here")
                    .note("a member listed twice gets the sum of both weights")
                    .help("list it once, with a weight"),
                );
            }
        }
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
