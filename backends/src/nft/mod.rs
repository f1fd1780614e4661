//! The nftables targets: one layout ([`layout`]) printed as an nft script
//! ([`text`]) or as libnftables JSON.

pub mod json;
pub mod keywords;
pub mod layout;
pub mod plan;
pub mod text;

use lbc_ir::capability::{full_except, Capabilities, Feature, Limit, Support};

/// What the nftables targets can express: everything, with a table name that
/// nft's scanner does not read as a keyword, and comments without `"` (nft
/// strings have no escape for it).
pub const CAPABILITIES: Capabilities = Capabilities { table: &TABLE };

const TABLE: [(Feature, Support); Feature::ALL.len()] = full_except([
    (
        Feature::Comment,
        Support::Limited(Limit::CommentWithout('"')),
    ),
    (
        Feature::TableName,
        Support::Limited(Limit::NotReserved(keywords::NFT_RESERVED)),
    ),
]);
