//! Human names for grammar rules, used to say what a syntax error expected.
//!
//! A user never sees a pest rule name: every rule that can be "expected" maps to
//! the words a user knows, and the order of this table is the order in which
//! alternatives are listed in a message.

use crate::parser::Rule;

/// What a rule is called in an error message, and its rank in a list of
/// alternatives (lower first). `None` for rules that never reach a message.
pub(crate) fn describe(rule: Rule) -> Option<(u8, &'static str)> {
    let d = match rule {
        Rule::table_stmt | Rule::kw_table => (0, "`table`"),
        Rule::host_stmt | Rule::kw_host => (1, "`host`"),
        Rule::pool_stmt | Rule::kw_pool => (2, "`pool`"),
        Rule::snat_stmt | Rule::kw_snat => (3, "`snat`"),
        Rule::vip_stmt | Rule::kw_vip => (4, "`vip`"),
        Rule::include_stmt | Rule::kw_include => (5, "`include`"),
        Rule::opt_counter | Rule::kw_counter => (10, "`counter`"),
        Rule::opt_comment | Rule::kw_comment => (11, "`comment`"),
        Rule::opt_sticky | Rule::kw_sticky => (12, "`sticky`"),
        Rule::opt_snat => (13, "`snat`"),
        Rule::listen | Rule::listen_address => {
            (20, "a listening address and port such as `10.0.0.1:443`")
        }
        Rule::address | Rule::endpoint => (21, "an address"),
        Rule::ipv4 => (22, "an IPv4 address"),
        Rule::ipv6_bracketed => (23, "a bracketed IPv6 address such as `[2001:db8::1]`"),
        Rule::ipv6_bare => (24, "an IPv6 address"),
        Rule::ipv6_inner => (25, "an IPv6 address"),
        Rule::member_target => (26, "an address or a host name"),
        Rule::host_ref => (27, "a host name"),
        Rule::pool_ref => (28, "a pool name"),
        Rule::name => (29, "a name"),
        Rule::members => (30, "a member list `[...]` or a pool name"),
        Rule::member_list | Rule::lbracket => (31, "`[`"),
        Rule::member => (32, "a member"),
        Rule::colon => (33, "`:`"),
        Rule::port_list | Rule::port_item | Rule::port => (34, "a port"),
        Rule::dash => (35, "`-`"),
        Rule::comma | Rule::trailing_comma => (36, "`,`"),
        Rule::rbracket => (37, "`]`"),
        Rule::slash => (38, "`/`"),
        Rule::protocol | Rule::kw_tcp | Rule::kw_udp => (39, "`tcp` or `udp`"),
        Rule::weight | Rule::kw_weight => (40, "`weight`"),
        Rule::number => (41, "a number"),
        Rule::equals => (42, "`=`"),
        Rule::arrow => (43, "`->`"),
        Rule::algorithm | Rule::kw_rr | Rule::kw_random | Rule::kw_hash => {
            (44, "an algorithm (`rr`, `random` or `hash`)")
        }
        Rule::snat_mode | Rule::kw_masquerade | Rule::kw_none | Rule::snat_to | Rule::kw_to => {
            (45, "`masquerade`, `none` or `to ADDRESS`")
        }
        Rule::duration => (46, "a duration such as `30s`, `10m`, `3h` or `1d`"),
        Rule::string => (47, "a string in double quotes"),
        Rule::closing_quote => (48, "a closing `\"`"),
        Rule::string_body => (49, "the rest of the string"),
        Rule::EOI => (60, "the end of the file"),
        Rule::WHITESPACE
        | Rule::COMMENT
        | Rule::comment_text
        | Rule::trivia
        | Rule::keyword
        | Rule::statement_ahead
        | Rule::statement
        | Rule::statement_start
        | Rule::ipv6_char
        | Rule::ident_char
        | Rule::vip_option => return None,
    };
    Some(d)
}
