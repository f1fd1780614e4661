//! The checker: every rule of spec section 2.4. It walks the spliced program
//! once, pushes every problem it finds into a list (it never stops at the first)
//! and builds the checked [`Model`] from what is valid. The model is handed out
//! only when no error was found.

mod conflicts;
mod members;
mod names;
mod values;
mod vip;

use std::collections::HashMap;

use lbc_grammar::ast::{SnatMode, Statement};
use lbc_ir::Snat;

use crate::codes::Code;
use crate::diagnostic::{self, Diagnostic};
use crate::limits::Limits;
use crate::load::Spliced;
use crate::model::{Checked, Model, VipModel};
use crate::source::{FileId, Site};

use members::ResolvedMember;
use names::Names;
pub use values::is_forbidden_char;

/// The default table name (spec 2.2).
pub const DEFAULT_TABLE: &str = "lbc";

/// Checks a loaded program. Returns the checked program when there is no error,
/// and every diagnostic (errors and warnings), unsorted.
pub fn check(spliced: &Spliced, limits: &Limits) -> (Option<Checked>, Vec<Diagnostic>) {
    let mut c = Checker {
        limits: *limits,
        spliced,
        diags: Vec::new(),
        names: Names::default(),
        pools: HashMap::new(),
        default_snat: (Snat::Masquerade, None),
        listeners: Vec::new(),
    };
    c.collect_definitions();
    let table = c.table();
    c.default_snat();
    c.resolve_pools();
    let mut vips: Vec<VipModel> = Vec::new();
    let mut vip_count = 0usize;
    for (file, stmt) in spliced.statements() {
        match stmt {
            Statement::Vip(v) => {
                vip_count += 1;
                if vip_count == c.limits.vips + 1 {
                    c.diags.push(
                        Diagnostic::new(
                            Code::LimitExceeded,
                            format!("a program can have at most {} vips", c.limits.vips),
                        )
                        .primary(Site::new(file, v.span), "this vip is one too many"),
                    );
                }
                if let Some(model) = c.vip(file, v) {
                    vips.push(model);
                }
            }
            Statement::Include(inc) => {
                c.string_chars(file, &inc.path, "include path");
            }
            Statement::Table(_) | Statement::Host(_) | Statement::Pool(_) | Statement::Snat(_) => {}
        }
    }
    conflicts::check(&c.listeners, &mut c.diags);
    if !spliced.incomplete {
        c.unused();
        if vip_count == 0 {
            c.diags.push(
                Diagnostic::new(Code::NoVips, "this program has no vips")
                    .note("its output removes every rule lbc loaded before under this table name")
                    .help("add a `vip` statement, or ignore this warning if removing the rules is intended"),
            );
        }
    }
    let checked = (!diagnostic::has_errors(&c.diags)).then_some(Checked {
        model: Model {
            table: table.0,
            table_site: table.1,
            vips,
        },
    });
    (checked, c.diags)
}

pub(crate) struct Checker<'a> {
    limits: Limits,
    spliced: &'a Spliced,
    diags: Vec<Diagnostic>,
    names: Names,
    /// Resolved members of each valid pool (`None`: the pool has errors, already
    /// reported).
    pools: HashMap<String, Option<Vec<ResolvedMember>>>,
    /// The default `snat` and the statement that set it.
    default_snat: (Snat, Option<Site>),
    /// Every vip with a valid address and ports, for the conflict check.
    listeners: Vec<conflicts::Listener>,
}

impl Checker<'_> {
    /// `table NAME`: at most once.
    fn table(&mut self) -> (String, Option<Site>) {
        let mut first: Option<(String, Site)> = None;
        let spliced = self.spliced;
        for (file, stmt) in spliced.statements() {
            let Statement::Table(t) = stmt else { continue };
            let site = Site::new(file, t.span);
            match &first {
                Some((_, first_site)) => {
                    let first_site = *first_site;
                    self.diags.push(
                        Diagnostic::new(Code::DuplicateSetting, "the table name is set twice")
                            .primary(site, "set again here")
                            .secondary(first_site, "first set here")
                            .help("keep one `table` statement"),
                    );
                }
                None => {
                    self.name_length(file, &t.name);
                    first = Some((t.name.name.clone(), site));
                }
            }
        }
        match first {
            Some((name, site)) => (name, Some(site)),
            None => (DEFAULT_TABLE.to_string(), None),
        }
    }

    /// The top-level `snat` statement: at most once.
    fn default_snat(&mut self) {
        let mut first: Option<Site> = None;
        let spliced = self.spliced;
        for (file, stmt) in spliced.statements() {
            let Statement::Snat(s) = stmt else { continue };
            let site = Site::new(file, s.span);
            if let Some(first_site) = first {
                self.diags.push(
                    Diagnostic::new(Code::DuplicateSetting, "the default `snat` is set twice")
                        .primary(site, "set again here")
                        .secondary(first_site, "first set here")
                        .help("keep one top-level `snat` statement; override it per vip with a `snat` option"),
                );
                continue;
            }
            first = Some(site);
            if let Some(snat) = self.snat_mode(file, &s.mode) {
                self.default_snat = (snat, Some(site));
            }
        }
    }

    /// Validates a `snat` mode; `None` when its address is invalid (reported).
    fn snat_mode(&mut self, file: FileId, mode: &SnatMode) -> Option<Snat> {
        match mode {
            SnatMode::Masquerade => Some(Snat::Masquerade),
            SnatMode::None => Some(Snat::None),
            SnatMode::To(a) => self.address(file, a).map(|address| Snat::To { address }),
        }
    }
}
