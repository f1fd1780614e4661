//! Turns pest pairs into the typed AST: one function per grammar rule.
//!
//! The grammar guarantees the shape of every pair handed to these functions, so a
//! missing child is an internal error; it is reported through `expect` with the
//! grammar rule that guarantees it.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use pest::iterators::{Pair, Pairs};

use crate::ast::*;
use crate::parser::Rule;

/// Builds one statement; `offset` is where the parsed text starts in the file.
pub(crate) fn build_statement(pair: Pair<'_, Rule>, offset: usize) -> Statement {
    let b = Builder { offset };
    b.statement(pair)
}

struct Builder {
    offset: usize,
}

/// The children of a pair, without the comments that implicit whitespace leaves.
struct Children<'i> {
    pairs: Pairs<'i, Rule>,
}

impl<'i> Iterator for Children<'i> {
    type Item = Pair<'i, Rule>;
    fn next(&mut self) -> Option<Pair<'i, Rule>> {
        self.pairs.by_ref().find(|p| p.as_rule() != Rule::COMMENT)
    }
}

fn children(pair: Pair<'_, Rule>) -> std::iter::Peekable<Children<'_>> {
    Children {
        pairs: pair.into_inner(),
    }
    .peekable()
}

/// Where the last token of `pair` ends.
fn content_end(pair: &Pair<'_, Rule>) -> usize {
    let span = pair.as_span();
    if is_atomic(pair.as_rule()) {
        return span.end();
    }
    // Fast path: trailing whitespace only (no comment inside the pair).
    let text = span.as_str();
    if !text.contains('#') {
        return span.start() + text.trim_end_matches([' ', '\t', '\r', '\n']).len();
    }
    let last = pair
        .clone()
        .into_inner()
        .filter(|p| p.as_rule() != Rule::COMMENT)
        .last();
    match last {
        Some(child) => content_end(&child),
        None => pair.as_span().end(),
    }
}

/// Rules whose pairs never end in skipped whitespace (pest `@` and `$` rules, and
/// rules that are a single literal).
fn is_atomic(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::ipv4
            | Rule::ipv6_bare
            | Rule::ipv6_inner
            | Rule::ipv6_bracketed
            | Rule::port
            | Rule::number
            | Rule::duration
            | Rule::string
            | Rule::string_body
            | Rule::closing_quote
            | Rule::name
            | Rule::equals
            | Rule::arrow
            | Rule::colon
            | Rule::slash
            | Rule::comma
            | Rule::dash
            | Rule::lbracket
            | Rule::rbracket
            | Rule::trailing_comma
            | Rule::kw_table
            | Rule::kw_host
            | Rule::kw_pool
            | Rule::kw_vip
            | Rule::kw_include
            | Rule::kw_snat
            | Rule::kw_masquerade
            | Rule::kw_none
            | Rule::kw_to
            | Rule::kw_rr
            | Rule::kw_random
            | Rule::kw_hash
            | Rule::kw_counter
            | Rule::kw_comment
            | Rule::kw_weight
            | Rule::kw_sticky
            | Rule::kw_tcp
            | Rule::kw_udp
    )
}

/// The text of an address literal, kept only when it is not a valid address
/// (a valid one is its value; this saves an allocation per address).
fn invalid_text(value: Option<IpAddr>, text: &str) -> String {
    match value {
        Some(_) => String::new(),
        None => text.to_string(),
    }
}

const GRAMMAR: &str = "the grammar guarantees this child";

impl Builder {
    /// The span of a pair without the whitespace and comments that pest leaves at
    /// the end of a non-atomic rule (the implicit skip before a failed optional).
    fn span(&self, pair: &Pair<'_, Rule>) -> Span {
        let s = pair.as_span();
        Span::new(self.offset + s.start(), self.offset + content_end(pair))
    }

    fn statement(&self, pair: Pair<'_, Rule>) -> Statement {
        let span = self.span(&pair);
        let rule = pair.as_rule();
        let mut c = children(pair);
        c.next(); // the keyword
        match rule {
            Rule::table_stmt => Statement::Table(TableStmt {
                name: self.ident(c.next().expect(GRAMMAR)),
                span,
            }),
            Rule::host_stmt => {
                let name = self.ident(c.next().expect(GRAMMAR));
                c.next(); // `=`
                let (address, port) = self.endpoint(c.next().expect(GRAMMAR));
                Statement::Host(HostStmt {
                    name,
                    address,
                    port,
                    span,
                })
            }
            Rule::pool_stmt => {
                let name = self.ident(c.next().expect(GRAMMAR));
                c.next(); // `=`
                let members = self.member_list(c.next().expect(GRAMMAR));
                Statement::Pool(PoolStmt {
                    name,
                    members,
                    span,
                })
            }
            Rule::snat_stmt => Statement::Snat(SnatStmt {
                mode: self.snat_mode(c.next().expect(GRAMMAR)),
                span,
            }),
            Rule::include_stmt => Statement::Include(IncludeStmt {
                path: self.string(c.next().expect(GRAMMAR)),
                span,
            }),
            Rule::vip_stmt => Statement::Vip(self.vip(c, span)),
            other => unreachable!("statement_ahead only yields statements, got {other:?}"),
        }
    }

    fn vip<'i>(&self, mut c: std::iter::Peekable<Children<'i>>, span: Span) -> VipStmt {
        let listen = self.listen(c.next().expect(GRAMMAR));
        c.next(); // `->`
        let algo = c.next().expect(GRAMMAR);
        let algorithm_span = self.span(&algo);
        let algorithm = match children(algo).next().map(|p| p.as_rule()) {
            Some(Rule::kw_random) => Algorithm::Random,
            Some(Rule::kw_hash) => Algorithm::Hash,
            _ => Algorithm::RoundRobin,
        };
        let members_pair = children(c.next().expect(GRAMMAR)).next().expect(GRAMMAR);
        let members = match members_pair.as_rule() {
            Rule::member_list => Members::List(self.member_list(members_pair)),
            _ => Members::Pool(self.ident(children(members_pair).next().expect(GRAMMAR))),
        };
        let options = c.map(|p| self.option(p)).collect();
        VipStmt {
            listen,
            algorithm,
            algorithm_span,
            members,
            options,
            span,
        }
    }

    fn option(&self, pair: Pair<'_, Rule>) -> VipOption {
        let span = self.span(&pair);
        let rule = pair.as_rule();
        let mut c = children(pair);
        c.next(); // the keyword
        match rule {
            Rule::opt_comment => VipOption::Comment {
                text: self.string(c.next().expect(GRAMMAR)),
                span,
            },
            Rule::opt_sticky => {
                let d = c.next().expect(GRAMMAR);
                VipOption::Sticky {
                    duration: DurationLit {
                        text: d.as_str().to_string(),
                        span: self.span(&d),
                    },
                    span,
                }
            }
            Rule::opt_snat => VipOption::Snat {
                mode: self.snat_mode(c.next().expect(GRAMMAR)),
                span,
            },
            _ => VipOption::Counter { span },
        }
    }

    fn listen(&self, pair: Pair<'_, Rule>) -> Listen {
        let span = self.span(&pair);
        let mut c = children(pair);
        let address = self.address(children(c.next().expect(GRAMMAR)).next().expect(GRAMMAR));
        c.next(); // `:`
        let ports = children(c.next().expect(GRAMMAR))
            .filter(|p| p.as_rule() == Rule::port_item)
            .map(|p| self.port_item(p))
            .collect();
        let protocol = c.find(|p| p.as_rule() == Rule::protocol).map(|p| {
            let sp = self.span(&p);
            match children(p).next().map(|k| k.as_rule()) {
                Some(Rule::kw_udp) => (Protocol::Udp, sp),
                _ => (Protocol::Tcp, sp),
            }
        });
        Listen {
            address,
            ports,
            protocol,
            span,
        }
    }

    fn port_item(&self, pair: Pair<'_, Rule>) -> PortItem {
        let span = self.span(&pair);
        let mut numbers = children(pair).filter(|p| p.as_rule() == Rule::port);
        let first = self.number(numbers.next().expect(GRAMMAR));
        let last = numbers.next().map(|p| self.number(p));
        PortItem { first, last, span }
    }

    fn member_list(&self, pair: Pair<'_, Rule>) -> MemberList {
        let span = self.span(&pair);
        let mut members = Vec::new();
        let mut trailing_comma = false;
        for p in children(pair) {
            match p.as_rule() {
                Rule::member => members.push(self.member(p)),
                Rule::trailing_comma => trailing_comma = true,
                _ => {}
            }
        }
        MemberList {
            members,
            trailing_comma,
            span,
        }
    }

    fn member(&self, pair: Pair<'_, Rule>) -> Member {
        let span = self.span(&pair);
        let mut c = children(pair);
        let target_pair = children(c.next().expect(GRAMMAR)).next().expect(GRAMMAR);
        let target = match target_pair.as_rule() {
            Rule::host_ref => {
                MemberTarget::Host(self.ident(children(target_pair).next().expect(GRAMMAR)))
            }
            _ => MemberTarget::Address(self.address(target_pair)),
        };
        let mut port = None;
        let mut weight = None;
        for p in c {
            match p.as_rule() {
                Rule::port => port = Some(self.number(p)),
                Rule::weight => {
                    let n = children(p).find(|q| q.as_rule() == Rule::number);
                    weight = Some(self.number(n.expect(GRAMMAR)));
                }
                _ => {}
            }
        }
        Member {
            target,
            port,
            weight,
            span,
        }
    }

    fn endpoint(&self, pair: Pair<'_, Rule>) -> (AddrLit, Option<Number>) {
        let mut c = children(pair);
        let address = self.address(children(c.next().expect(GRAMMAR)).next().expect(GRAMMAR));
        let port = c
            .find(|p| p.as_rule() == Rule::port)
            .map(|p| self.number(p));
        (address, port)
    }

    fn snat_mode(&self, pair: Pair<'_, Rule>) -> SnatMode {
        let inner = children(pair).next().expect(GRAMMAR);
        match inner.as_rule() {
            Rule::kw_none => SnatMode::None,
            Rule::snat_to => {
                let addr = children(inner)
                    .find(|p| p.as_rule() == Rule::address)
                    .expect(GRAMMAR);
                SnatMode::To(self.address(children(addr).next().expect(GRAMMAR)))
            }
            _ => SnatMode::Masquerade,
        }
    }

    /// An `ipv4`, `ipv6_bracketed` or `ipv6_bare` pair.
    fn address(&self, pair: Pair<'_, Rule>) -> AddrLit {
        let span = self.span(&pair);
        match pair.as_rule() {
            Rule::ipv4 => {
                let value = pair.as_str().parse::<Ipv4Addr>().ok().map(IpAddr::V4);
                AddrLit {
                    text: invalid_text(value, pair.as_str()),
                    form: AddrForm::V4,
                    value,
                    span,
                }
            }
            Rule::ipv6_bracketed => {
                let inner = children(pair).next().map_or("", |p| p.as_str());
                let value = inner.parse::<Ipv6Addr>().ok().map(IpAddr::V6);
                AddrLit {
                    text: invalid_text(value, inner),
                    form: AddrForm::V6Bracketed,
                    value,
                    span,
                }
            }
            _ => {
                let value = pair.as_str().parse::<Ipv6Addr>().ok().map(IpAddr::V6);
                AddrLit {
                    text: invalid_text(value, pair.as_str()),
                    form: AddrForm::V6Bare,
                    value,
                    span,
                }
            }
        }
    }

    fn ident(&self, pair: Pair<'_, Rule>) -> Ident {
        Ident {
            name: pair.as_str().to_string(),
            span: self.span(&pair),
        }
    }

    fn number(&self, pair: Pair<'_, Rule>) -> Number {
        Number {
            value: pair.as_str().parse::<u64>().ok(),
            span: self.span(&pair),
        }
    }

    fn string(&self, pair: Pair<'_, Rule>) -> StrLit {
        let span = self.span(&pair);
        let body = children(pair)
            .find(|p| p.as_rule() == Rule::string_body)
            .expect(GRAMMAR);
        let body_start = self.offset + body.as_span().start();
        let raw = body.as_str();
        let mut value = String::with_capacity(raw.len());
        let mut bad_escapes = Vec::new();
        let mut chars = raw.char_indices();
        while let Some((i, ch)) = chars.next() {
            if ch != '\\' {
                value.push(ch);
                continue;
            }
            match chars.next() {
                Some((_, c @ ('"' | '\\'))) => value.push(c),
                Some((j, c)) => {
                    bad_escapes.push(Span::new(body_start + i, body_start + j + c.len_utf8()));
                    value.push(c);
                }
                None => bad_escapes.push(Span::new(body_start + i, body_start + i + 1)),
            }
        }
        StrLit {
            value,
            bad_escapes,
            span,
        }
    }
}
