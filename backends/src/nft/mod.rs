//! The nftables targets: one layout ([`layout`]) printed as an nft script
//! ([`text`]) or as libnftables JSON.

pub mod json;
pub mod keywords;
pub mod layout;
pub mod plan;
pub mod text;

use lbc_ir::capability::{Capabilities, Feature, Limit, Support};

/// What the nftables targets can express: everything, with a table name that
/// nft's scanner does not read as a keyword, and comments without `"` (nft
/// strings have no escape for it).
pub const CAPABILITIES: Capabilities = Capabilities {
    table: &[
        (Feature::Ipv4, Support::Full),
        (Feature::Ipv6, Support::Full),
        (Feature::Tcp, Support::Full),
        (Feature::Udp, Support::Full),
        (Feature::PortList, Support::Full),
        (Feature::PortRange, Support::Full),
        (Feature::RoundRobin, Support::Full),
        (Feature::Random, Support::Full),
        (Feature::Hash, Support::Full),
        (Feature::Weights, Support::Full),
        (Feature::Drained, Support::Full),
        (Feature::PortRewrite, Support::Full),
        (Feature::Sticky, Support::Full),
        (Feature::SnatMasquerade, Support::Full),
        (Feature::SnatTo, Support::Full),
        (Feature::SnatNone, Support::Full),
        (Feature::Counter, Support::Full),
        (
            Feature::Comment,
            Support::Limited(Limit::CommentWithout('"')),
        ),
        (
            Feature::TableName,
            Support::Limited(Limit::NotReserved(keywords::NFT_RESERVED)),
        ),
    ],
};
