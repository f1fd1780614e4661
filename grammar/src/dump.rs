//! A compact, readable rendering of the AST with `line:col` spans, for snapshot
//! tests and `lbc` debugging. One node per line, children indented.

use std::fmt::Write as _;

use crate::ast::*;

/// Renders `file` (parsed from `source`) as an indented tree.
pub fn dump(file: &File, source: &str) -> String {
    let mut d = Dumper {
        out: String::new(),
        lines: LineIndex::new(source),
    };
    for s in &file.statements {
        d.statement(s);
    }
    for c in &file.comments {
        let at = d.at(c.span);
        let _ = writeln!(d.out, "comment {at} {:?}", c.text);
    }
    d.out
}

struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(source: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(source.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    fn line_col(&self, offset: u32) -> (usize, usize) {
        let offset = offset as usize;
        let line = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        (line + 1, offset - self.starts[line] + 1)
    }
}

struct Dumper {
    out: String,
    lines: LineIndex,
}

impl Dumper {
    fn at(&self, span: Span) -> String {
        let (l1, c1) = self.lines.line_col(span.start);
        let (l2, c2) = self.lines.line_col(span.end);
        format!("@{l1}:{c1}-{l2}:{c2}")
    }

    fn line(&mut self, depth: usize, text: String) {
        let _ = writeln!(self.out, "{}{text}", "  ".repeat(depth));
    }

    fn statement(&mut self, s: &Statement) {
        let at = self.at(s.span());
        match s {
            Statement::Table(t) => {
                let name = self.ident(&t.name);
                self.line(0, format!("table {at} name={name}"));
            }
            Statement::Host(h) => {
                let name = self.ident(&h.name);
                let addr = self.addr(&h.address);
                let port = self.opt_number(&h.port);
                self.line(
                    0,
                    format!("host {at} name={name} address={addr} port={port}"),
                );
            }
            Statement::Pool(p) => {
                let name = self.ident(&p.name);
                self.line(0, format!("pool {at} name={name}"));
                self.member_list(1, &p.members);
            }
            Statement::Snat(s) => {
                let mode = self.snat(&s.mode);
                self.line(0, format!("snat {at} {mode}"));
            }
            Statement::Include(i) => {
                let path = self.string(&i.path);
                self.line(0, format!("include {at} path={path}"));
            }
            Statement::Vip(v) => self.vip(v, at),
        }
    }

    fn vip(&mut self, v: &VipStmt, at: String) {
        self.line(0, format!("vip {at}"));
        let l = &v.listen;
        let addr = self.addr(&l.address);
        let proto = match l.protocol {
            Some((p, sp)) => format!("{}{}", p.keyword(), self.at(sp)),
            None => "(tcp)".to_string(),
        };
        self.line(
            1,
            format!("listen {} address={addr} protocol={proto}", self.at(l.span)),
        );
        for p in &l.ports {
            let first = self.number(&p.first);
            let last = self.opt_number(&p.last);
            self.line(
                2,
                format!("ports {} first={first} last={last}", self.at(p.span)),
            );
        }
        self.line(
            1,
            format!(
                "algorithm {}{}",
                v.algorithm.keyword(),
                self.at(v.algorithm_span)
            ),
        );
        match &v.members {
            Members::List(list) => self.member_list(1, list),
            Members::Pool(p) => {
                let name = self.ident(p);
                self.line(1, format!("members pool={name}"));
            }
        }
        for o in &v.options {
            let at = self.at(o.span());
            let text = match o {
                VipOption::Counter { .. } => "counter".to_string(),
                VipOption::Comment { text, .. } => format!("comment {}", self.string(text)),
                VipOption::Sticky { duration, .. } => {
                    format!("sticky {:?}{}", duration.text, self.at(duration.span))
                }
                VipOption::Snat { mode, .. } => format!("snat {}", self.snat(mode)),
            };
            self.line(1, format!("option {at} {text}"));
        }
    }

    fn member_list(&mut self, depth: usize, list: &MemberList) {
        let trailing = if list.trailing_comma {
            " trailing-comma"
        } else {
            ""
        };
        self.line(depth, format!("members {}{trailing}", self.at(list.span)));
        for m in &list.members {
            let target = match &m.target {
                MemberTarget::Address(a) => self.addr(a),
                MemberTarget::Host(h) => format!("host:{}", self.ident(h)),
            };
            let port = self.opt_number(&m.port);
            let weight = self.opt_number(&m.weight);
            self.line(
                depth + 1,
                format!(
                    "member {} {target} port={port} weight={weight}",
                    self.at(m.span)
                ),
            );
        }
    }

    fn ident(&self, i: &Ident) -> String {
        format!("{}{}", i.name, self.at(i.span))
    }

    fn addr(&self, a: &AddrLit) -> String {
        let value = match a.value {
            Some(v) => v.to_string(),
            None => format!("{:?}=INVALID", a.text),
        };
        let form = match a.form {
            AddrForm::V4 => "v4",
            AddrForm::V6Bracketed => "v6[]",
            AddrForm::V6Bare => "v6",
        };
        format!("{form}:{value}{}", self.at(a.span))
    }

    fn number(&self, n: &Number) -> String {
        match n.value {
            Some(v) => format!("{v}{}", self.at(n.span)),
            None => format!("OVERFLOW{}", self.at(n.span)),
        }
    }

    fn opt_number(&self, n: &Option<Number>) -> String {
        n.as_ref().map_or("-".to_string(), |n| self.number(n))
    }

    fn string(&self, s: &StrLit) -> String {
        let bad: Vec<String> = s.bad_escapes.iter().map(|b| self.at(*b)).collect();
        let bad = if bad.is_empty() {
            String::new()
        } else {
            format!(" bad-escapes={}", bad.join(","))
        };
        format!("{:?}{}{bad}", s.value, self.at(s.span))
    }

    fn snat(&self, m: &SnatMode) -> String {
        match m {
            SnatMode::Masquerade => "masquerade".to_string(),
            SnatMode::None => "none".to_string(),
            SnatMode::To(a) => format!("to {}", self.addr(a)),
        }
    }
}
