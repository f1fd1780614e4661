//! The checked program: every value validated and typed, every name resolved,
//! with the source sites that diagnostics after checking (target capabilities)
//! point at. Only the checker builds one, and only when it found no error, so
//! lowering never re-validates.

use std::net::IpAddr;

use lbc_ir::{Algorithm, PortRange, Protocol, Snat};

use crate::source::Site;

/// Proof that a program passed every check.
#[derive(Clone, Debug)]
pub struct Checked {
    pub(crate) model: Model,
}

impl Checked {
    pub fn model(&self) -> &Model {
        &self.model
    }
}

#[derive(Clone, Debug)]
pub struct Model {
    pub table: String,
    pub table_site: Option<Site>,
    pub vips: Vec<VipModel>,
}

#[derive(Clone, Debug)]
pub struct VipModel {
    /// The whole `vip` statement.
    pub site: Site,
    pub listen_site: Site,
    pub address: IpAddr,
    pub protocol: Protocol,
    pub ports: Vec<PortRange>,
    pub algorithm: Algorithm,
    pub algorithm_site: Site,
    pub members: Vec<MemberModel>,
    /// The member list or pool name.
    pub members_site: Site,
    pub sticky: Option<(u32, Site)>,
    pub snat: Snat,
    /// The `snat` option of the vip, or the default `snat` statement it uses.
    pub snat_site: Option<Site>,
    pub counter: Option<Site>,
    pub comment: Option<(String, Site)>,
}

#[derive(Clone, Debug)]
pub struct MemberModel {
    pub address: IpAddr,
    pub port: Option<u16>,
    pub weight: u32,
    pub host: Option<String>,
    /// Where the member is written (in the vip, or in its pool).
    pub site: Site,
}
