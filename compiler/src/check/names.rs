//! Hosts and pools: definitions, duplicates, lookups with a suggestion for an
//! undefined name, and the unused-definition warnings.

use std::collections::HashMap;
use std::net::IpAddr;

use lbc_grammar::ast::{Ident, Statement};

use super::Checker;
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::limits::MAX_NAME_BYTES;
use crate::source::{FileId, Site};

#[derive(Default)]
pub(crate) struct Names {
    defs: HashMap<String, Def>,
    /// Names in definition order, for deterministic warnings.
    order: Vec<String>,
}

pub(crate) struct Def {
    pub kind: Kind,
    /// A host's value; `None` for pools.
    pub host: Option<HostValue>,
    /// Where the name is written in its definition.
    pub site: Site,
    used: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Host,
    Pool,
}

impl Kind {
    fn word(self) -> &'static str {
        match self {
            Kind::Host => "host",
            Kind::Pool => "pool",
        }
    }
}

/// A host's validated value (`None` parts were invalid and are reported).
#[derive(Clone, Copy, Debug)]
pub(crate) struct HostValue {
    pub address: Option<IpAddr>,
    pub port: Option<u16>,
    pub port_site: Option<Site>,
    pub port_invalid: bool,
}

impl Checker<'_> {
    /// Collects every host and pool definition, reporting duplicates.
    pub(super) fn collect_definitions(&mut self) {
        let spliced = self.spliced;
        for (file, stmt) in spliced.statements() {
            let (ident, kind) = match stmt {
                Statement::Host(h) => (&h.name, Kind::Host),
                Statement::Pool(p) => (&p.name, Kind::Pool),
                Statement::Table(_)
                | Statement::Snat(_)
                | Statement::Vip(_)
                | Statement::Include(_) => continue,
            };
            self.name_length(file, ident);
            let host = match stmt {
                Statement::Host(h) => Some(self.host_value(file, h)),
                _ => None,
            };
            let site = Site::new(file, ident.span);
            if let Some(first) = self.names.defs.get(&ident.name) {
                let what = if first.kind == kind {
                    format!("the {} `{}` is defined twice", kind.word(), ident.name)
                } else {
                    format!(
                        "`{}` is defined as a {} and as a {}",
                        ident.name,
                        first.kind.word(),
                        kind.word()
                    )
                };
                let first_site = first.site;
                self.diags.push(
                    Diagnostic::new(Code::DuplicateDefinition, what)
                        .primary(site, "defined again here")
                        .secondary(first_site, "first defined here")
                        .help("hosts and pools share one namespace; rename or remove one of them"),
                );
                continue;
            }
            self.names.order.push(ident.name.clone());
            self.names.defs.insert(
                ident.name.clone(),
                Def {
                    kind,
                    host,
                    site,
                    used: false,
                },
            );
        }
    }

    fn host_value(&mut self, file: FileId, h: &lbc_grammar::ast::HostStmt) -> HostValue {
        let address = self.address(file, &h.address);
        let port = h.port.as_ref().and_then(|p| self.port(file, p));
        HostValue {
            address,
            port,
            port_site: h.port.map(|p| Site::new(file, p.span)),
            port_invalid: h.port.is_some() && port.is_none(),
        }
    }

    /// Reports a name longer than the spec allows.
    pub(super) fn name_length(&mut self, file: FileId, ident: &Ident) {
        if ident.name.len() > MAX_NAME_BYTES {
            self.diags.push(
                Diagnostic::new(
                    Code::NameTooLong,
                    format!(
                        "the name `{}` is {} bytes long; names have at most {MAX_NAME_BYTES}",
                        ident.name,
                        ident.name.len()
                    ),
                )
                .primary(Site::new(file, ident.span), "this name is too long"),
            );
        }
    }

    /// Looks a name up as `want`, marking it used; reports an undefined name or
    /// one of the other kind. Returns the definition's site (and a host's value)
    /// when it is found with the right kind.
    pub(super) fn lookup(
        &mut self,
        file: FileId,
        ident: &Ident,
        want: Kind,
    ) -> Option<(Site, Option<HostValue>)> {
        let site = Site::new(file, ident.span);
        match self.names.defs.get_mut(&ident.name) {
            Some(def) if def.kind == want => {
                def.used = true;
                Some((def.site, def.host))
            }
            Some(def) => {
                def.used = true;
                let (kind, def_site) = (def.kind, def.site);
                let (message, help) = match want {
                    Kind::Host => (
                        format!("`{}` is a pool, but a member must be a host or an address", ident.name),
                        "to balance over a pool, write its name in place of the member list: `-> rr POOL`",
                    ),
                    Kind::Pool => (
                        format!("`{}` is a host, but a member list or a pool name is required here", ident.name),
                        "put the host in a list: `[HOST]`",
                    ),
                };
                self.diags.push(
                    Diagnostic::new(Code::WrongKindOfName, message)
                        .primary(
                            site,
                            format!("expected a {}, found a {}", want.word(), kind.word()),
                        )
                        .secondary(def_site, format!("`{}` is defined here", ident.name))
                        .help(help),
                );
                None
            }
            None => {
                // A statement lost to a syntax error or a failed include may have defined it.
                if !self.spliced.incomplete {
                    let mut d = Diagnostic::new(
                        Code::UndefinedName,
                        format!("no {} named `{}` is defined", want.word(), ident.name),
                    )
                    .primary(site, "not defined");
                    if let Some((similar, similar_site)) = self.similar_name(&ident.name, want) {
                        d = d
                            .secondary(
                                similar_site,
                                format!("a {} with a similar name is defined here", want.word()),
                            )
                            .help(format!("did you mean `{similar}`?"));
                    }
                    self.diags.push(d);
                }
                None
            }
        }
    }

    /// The defined name of kind `want` closest to `name`, if one is close:
    /// fewest edits (a swap of two neighbours counts as one), then the most
    /// similar (Jaro-Winkler), then the first in the alphabet.
    fn similar_name(&self, name: &str, want: Kind) -> Option<(String, Site)> {
        self.names
            .order
            .iter()
            .filter_map(|n| {
                let def = &self.names.defs[n];
                if def.kind != want {
                    return None;
                }
                let distance = strsim::osa_distance(name, n);
                let close = distance <= (name.len().max(n.len()) / 3).max(1)
                    || n.eq_ignore_ascii_case(name);
                // Similarity in thousandths, negated so that smaller sorts first.
                let similarity = (strsim::jaro_winkler(name, n) * 1000.0) as i64;
                close.then_some(((distance, -similarity, n.clone()), def.site))
            })
            .min_by(|a, b| a.0.cmp(&b.0))
            .map(|((_, _, n), s)| (n, s))
    }

    /// Warns about every host and pool that no vip or pool uses.
    pub(super) fn unused(&mut self) {
        for name in &self.names.order {
            let def = &self.names.defs[name];
            if def.used {
                continue;
            }
            let (code, what) = match def.kind {
                Kind::Host => (Code::UnusedHost, "host"),
                Kind::Pool => (Code::UnusedPool, "pool"),
            };
            self.diags.push(
                Diagnostic::new(code, format!("the {what} `{name}` is never used"))
                    .primary(def.site, "defined here")
                    .help(format!(
                        "remove it, or use it in a {}",
                        match def.kind {
                            Kind::Host => "vip or pool",
                            Kind::Pool => "vip",
                        }
                    )),
            );
        }
    }
}
