//! Lowering: the checked model to the IR. Takes the checker's proof
//! ([`Checked`]), so nothing is validated again and nothing can fail.

use lbc_ir::capability::{self, Capabilities, Feature};
use lbc_ir::{Family, Member, Origin, Program, Vip, SCHEMA_VERSION};

use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::model::{Checked, VipModel};
use crate::source::{Site, Sources};

/// The IR of a checked program.
pub fn lower(checked: &Checked, sources: &Sources) -> Program {
    let m = checked.model();
    // One shared name per file.
    let names: Vec<std::sync::Arc<str>> = sources
        .files()
        .map(|(_, f)| f.name.as_str().into())
        .collect();
    let origin = |site: Site| -> Origin {
        let file = sources.get(site.file);
        let (line, column) = file.line_col(site.span.start as usize);
        Origin {
            file: names[site.file.0 as usize].clone(),
            line,
            column,
        }
    };
    Program {
        schema_version: SCHEMA_VERSION,
        table: m.table.clone(),
        vips: m
            .vips
            .iter()
            .enumerate()
            .map(|(i, v)| Vip {
                id: i as u32 + 1,
                origin: origin(v.site),
                family: Family::of(&v.address),
                address: v.address,
                protocol: v.protocol,
                ports: v.ports.clone(),
                algorithm: v.algorithm,
                members: v
                    .members
                    .iter()
                    .map(|mm| Member {
                        address: mm.address,
                        port: mm.port,
                        weight: mm.weight,
                        host: mm.host.clone(),
                        origin: origin(mm.site),
                    })
                    .collect(),
                sticky_seconds: v.sticky.map(|(s, _)| s),
                snat: v.snat.clone(),
                counter: v.counter.is_some(),
                comment: v.comment.as_ref().map(|(c, _)| c.clone()),
            })
            .collect(),
    }
}

/// An error (E0024) for every feature of `program` that the backend `target`
/// cannot express, at the place in the source that uses it.
pub fn unsupported(
    checked: &Checked,
    program: &Program,
    target: &str,
    caps: &Capabilities,
) -> Vec<Diagnostic> {
    let model = checked.model();
    capability::check(program, target, caps)
        .into_iter()
        .map(|v| {
            let d = Diagnostic::new(
                Code::UnsupportedByTarget,
                format!("the `{target}` target cannot express {} here", v.feature.name()),
            )
            .note(v.reason)
            .help("choose another target (`lbc backends` lists what each can express), or change this part of the program");
            let site = match v.vip {
                Some(i) => Some(feature_site(&model.vips[i], v.feature)),
                None => model.table_site,
            };
            match site {
                Some(s) => d.primary(s, format!("{} is used here", v.feature.name())),
                None => d,
            }
        })
        .collect()
}

/// Where a vip uses a feature.
fn feature_site(v: &VipModel, feature: Feature) -> Site {
    match feature {
        Feature::Ipv4
        | Feature::Ipv6
        | Feature::Tcp
        | Feature::Udp
        | Feature::PortList
        | Feature::PortRange
        | Feature::TableName => v.listen_site,
        Feature::RoundRobin | Feature::Random | Feature::Hash => v.algorithm_site,
        Feature::Weights | Feature::Drained | Feature::PortRewrite => v.members_site,
        Feature::Sticky => v.sticky.map_or(v.site, |(_, s)| s),
        Feature::SnatMasquerade | Feature::SnatTo | Feature::SnatNone => {
            v.snat_site.unwrap_or(v.site)
        }
        Feature::Counter => v.counter.unwrap_or(v.site),
        Feature::Comment => v.comment.as_ref().map_or(v.site, |(_, s)| *s),
    }
}
