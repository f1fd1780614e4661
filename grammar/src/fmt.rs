//! `lbc fmt`: one canonical layout for lbdsl files.
//!
//! - one statement per line, tokens separated by one space (`[a, b]`,
//!   `80,8080`, `->`), valid addresses in their canonical text (RFC 5952 for
//!   IPv6, brackets only before a port);
//! - statements keep their order; runs of blank lines become one blank line;
//! - every comment is kept: whole-line comments on their own line, a comment
//!   after a statement stays after it (two spaces before `#`), comments inside a
//!   member list stay with their member;
//! - a member list that would make the line longer than [`MAX_WIDTH`], or that
//!   holds comments, is written one member per line with a trailing comma.
//!
//! Formatting a formatted file changes nothing.

use crate::ast::*;

/// The longest line the formatter writes on its own accord.
pub const MAX_WIDTH: usize = 100;

const INDENT: &str = "    ";

/// The canonical text of `file`, parsed from `source` without syntax errors.
pub fn format(file: &File, source: &str) -> String {
    let mut f = Formatter {
        source,
        comments: &file.comments,
        next_comment: 0,
        out: String::new(),
        last_end: 0,
    };
    for stmt in &file.statements {
        f.statement(stmt);
    }
    f.leading(source.len() as u32);
    let mut out = f.out;
    while out.ends_with("\n\n") {
        out.pop();
    }
    if out.trim().is_empty() {
        return String::new();
    }
    out
}

struct Formatter<'a> {
    source: &'a str,
    comments: &'a [Comment],
    next_comment: usize,
    out: String,
    /// Where the last thing written ended in the source.
    last_end: u32,
}

impl<'a> Formatter<'a> {
    fn text(&self, span: Span) -> &str {
        self.source.get(span.range()).unwrap_or("")
    }

    /// A blank line if the source had one (or more) between `last_end` and `at`.
    fn blank_line_before(&mut self, at: u32) {
        if self.out.is_empty() {
            return;
        }
        let between = self
            .source
            .get(self.last_end as usize..at as usize)
            .unwrap_or("");
        if between.matches('\n').count() >= 2 && !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
    }

    /// Writes the comments that start before `at` on lines of their own.
    fn leading(&mut self, at: u32) {
        while let Some(c) = self.comments.get(self.next_comment) {
            if c.span.start >= at {
                break;
            }
            self.blank_line_before(c.span.start);
            self.out.push('#');
            self.out.push_str(c.text.trim_end());
            self.out.push('\n');
            self.last_end = c.span.end;
            self.next_comment += 1;
        }
    }

    /// Takes the comments inside `span` (they are written elsewhere).
    fn inside(&mut self, span: Span) -> Vec<&'a Comment> {
        let mut found = Vec::new();
        while let Some(c) = self.comments.get(self.next_comment) {
            if c.span.start >= span.end {
                break;
            }
            found.push(c);
            self.next_comment += 1;
        }
        found
    }

    /// The comment that follows `end` on the same line, if any.
    fn trailing(&mut self, end: u32) -> Option<&'a Comment> {
        let c = self.comments.get(self.next_comment)?;
        let between = self.source.get(end as usize..c.span.start as usize)?;
        if between.contains('\n') {
            return None;
        }
        self.next_comment += 1;
        Some(c)
    }

    fn statement(&mut self, stmt: &Statement) {
        let span = stmt.span();
        self.leading(span.start);
        self.blank_line_before(span.start);
        let interior = self.inside(span);
        // Comments inside a member list stay there; others move before the statement.
        let list_span = match stmt {
            Statement::Pool(p) => Some(p.members.span),
            Statement::Vip(v) => match &v.members {
                Members::List(l) => Some(l.span),
                Members::Pool(_) => None,
            },
            Statement::Table(_)
            | Statement::Host(_)
            | Statement::Snat(_)
            | Statement::Include(_) => None,
        };
        let (in_list, elsewhere): (Vec<&'a Comment>, Vec<&'a Comment>) =
            interior.into_iter().partition(|c| {
                list_span.is_some_and(|l| l.start < c.span.start && c.span.end <= l.end)
            });
        for c in elsewhere {
            self.out.push('#');
            self.out.push_str(c.text.trim_end());
            self.out.push('\n');
        }
        let text = match stmt {
            Statement::Table(t) => format!("table {}", t.name.name),
            Statement::Host(h) => {
                let port = h.port.map(|p| self.number(&p));
                format!(
                    "host {} = {}",
                    h.name.name,
                    self.endpoint(&h.address, port.as_deref())
                )
            }
            Statement::Pool(p) => {
                let head = format!("pool {} = ", p.name.name);
                self.members(&head, &p.members, "", &in_list)
            }
            Statement::Snat(s) => format!("snat {}", self.snat(&s.mode)),
            Statement::Include(i) => format!("include {}", self.string(&i.path)),
            Statement::Vip(v) => self.vip(v, &in_list),
        };
        self.out.push_str(&text);
        self.last_end = span.end;
        if let Some(c) = self.trailing(span.end) {
            self.out.push_str("  #");
            self.out.push_str(c.text.trim_end());
            self.last_end = c.span.end;
        }
        self.out.push('\n');
    }

    fn vip(&self, v: &VipStmt, comments: &[&Comment]) -> String {
        let l = &v.listen;
        let ports: Vec<String> = l
            .ports
            .iter()
            .map(|p| match &p.last {
                Some(last) => format!("{}-{}", self.number(&p.first), self.number(last)),
                None => self.number(&p.first),
            })
            .collect();
        let address = match (l.address.form, l.address.value) {
            (AddrForm::V4, Some(a)) => a.to_string(),
            (AddrForm::V4, None) => l.address.text.clone(),
            (AddrForm::V6Bracketed | AddrForm::V6Bare, value) => {
                format!(
                    "[{}]",
                    value.map_or(l.address.text.clone(), |a| a.to_string())
                )
            }
        };
        let proto = l
            .protocol
            .map(|(p, _)| format!("/{}", p.keyword()))
            .unwrap_or_default();
        let head = format!(
            "vip {address}:{}{proto} -> {} ",
            ports.join(","),
            v.algorithm.keyword()
        );
        let options: Vec<String> = v.options.iter().map(|o| self.option(o)).collect();
        let tail = if options.is_empty() {
            String::new()
        } else {
            format!(" {}", options.join(" "))
        };
        match &v.members {
            Members::List(list) => self.members(&head, list, &tail, comments),
            Members::Pool(p) => format!("{head}{}{tail}", p.name),
        }
    }

    fn option(&self, o: &VipOption) -> String {
        match o {
            VipOption::Counter { .. } => "counter".to_string(),
            VipOption::Comment { text, .. } => format!("comment {}", self.string(text)),
            VipOption::Sticky { duration, .. } => format!("sticky {}", duration.text),
            VipOption::Snat { mode, .. } => format!("snat {}", self.snat(mode)),
        }
    }

    /// `HEAD[a, b]TAIL` on one line, or one member per line when it is too
    /// long or holds comments.
    fn members(&self, head: &str, list: &MemberList, tail: &str, comments: &[&Comment]) -> String {
        let members: Vec<String> = list.members.iter().map(|m| self.member(m)).collect();
        let one_line = format!("{head}[{}]{tail}", members.join(", "));
        if comments.is_empty() && one_line.len() <= MAX_WIDTH {
            return one_line;
        }
        let mut out = format!("{head}[\n");
        let mut pending = comments.iter().peekable();
        for (m, text) in list.members.iter().zip(&members) {
            // Comments before this member, on lines of their own.
            while let Some(c) = pending.next_if(|c| c.span.start < m.span.start) {
                out.push_str(&format!("{INDENT}#{}\n", c.text.trim_end()));
            }
            out.push_str(&format!("{INDENT}{text},"));
            // A comment on the same line, after the member (and its comma).
            if let Some(c) = pending.next_if(|c| {
                self.source
                    .get(m.span.end as usize..c.span.start as usize)
                    .is_some_and(|between| !between.contains('\n'))
            }) {
                out.push_str(&format!("  #{}", c.text.trim_end()));
            }
            out.push('\n');
        }
        for c in pending {
            out.push_str(&format!("{INDENT}#{}\n", c.text.trim_end()));
        }
        out.push_str(&format!("]{tail}"));
        out
    }

    fn member(&self, m: &Member) -> String {
        let port = m.port.map(|p| self.number(&p));
        let target = match &m.target {
            MemberTarget::Host(h) => match &port {
                Some(p) => format!("{}:{p}", h.name),
                None => h.name.clone(),
            },
            MemberTarget::Address(a) => self.endpoint(a, port.as_deref()),
        };
        match &m.weight {
            Some(w) => format!("{target} weight {}", self.number(w)),
            None => target,
        }
    }

    /// An address with an optional port, IPv6 bracketed only before a port.
    fn endpoint(&self, a: &AddrLit, port: Option<&str>) -> String {
        let text = a.value.map_or(a.text.clone(), |v| v.to_string());
        match (a.form, port) {
            (AddrForm::V4, Some(p)) => format!("{text}:{p}"),
            (AddrForm::V4, None) => text,
            (AddrForm::V6Bracketed | AddrForm::V6Bare, Some(p)) => format!("[{text}]:{p}"),
            (AddrForm::V6Bracketed, None) if a.value.is_none() => format!("[{text}]"),
            (AddrForm::V6Bracketed | AddrForm::V6Bare, None) => text,
        }
    }

    fn snat(&self, m: &SnatMode) -> String {
        match m {
            SnatMode::Masquerade => "masquerade".to_string(),
            SnatMode::None => "none".to_string(),
            SnatMode::To(a) => format!("to {}", self.endpoint(a, None)),
        }
    }

    fn number(&self, n: &Number) -> String {
        match n.value {
            Some(v) => v.to_string(),
            None => self.text(n.span).to_string(),
        }
    }

    fn string(&self, s: &StrLit) -> String {
        if !s.bad_escapes.is_empty() {
            return self.text(s.span).to_string();
        }
        let mut out = String::with_capacity(s.value.len() + 2);
        out.push('"');
        for c in s.value.chars() {
            if c == '"' || c == '\\' {
                out.push('\\');
            }
            out.push(c);
        }
        out.push('"');
        out
    }
}
