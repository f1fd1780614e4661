//! Literal values: addresses, ports, weights, durations and strings. Each
//! validator reports its own problem and returns the typed value when valid.

use std::net::IpAddr;

use lbc_grammar::ast::{AddrForm, AddrLit, DurationLit, Number, StrLit};

use super::Checker;
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::limits::{MAX_COMMENT_BYTES, MAX_STICKY_SECONDS, MAX_WEIGHT, MIN_STICKY_SECONDS};
use crate::source::{FileId, Site};

impl Checker<'_> {
    pub(super) fn address(&mut self, file: FileId, a: &AddrLit) -> Option<IpAddr> {
        if let Some(v) = a.value {
            return Some(v);
        }
        let site = Site::new(file, a.span);
        let mut d = match a.form {
            AddrForm::V4 => {
                let why = ipv4_problem(&a.text);
                Diagnostic::new(
                    Code::InvalidAddress,
                    format!("`{}` is not a valid IPv4 address", a.text),
                )
                .primary(site, why)
            }
            AddrForm::V6Bracketed | AddrForm::V6Bare => Diagnostic::new(
                Code::InvalidAddress,
                format!("`{}` is not a valid IPv6 address", a.text),
            )
            .primary(site, "not an IPv6 address"),
        };
        if a.form == AddrForm::V6Bracketed && a.text.parse::<std::net::Ipv4Addr>().is_ok() {
            d = d.help(format!(
                "brackets are for IPv6 addresses; write `{}` without them",
                a.text
            ));
        } else if a.form != AddrForm::V4 {
            d = d
                .note("IPv6 addresses are written as in RFC 4291 and RFC 5952, e.g. `2001:db8::1`");
        }
        self.diags.push(d);
        None
    }

    pub(super) fn port(&mut self, file: FileId, n: &Number) -> Option<u16> {
        match n.value {
            Some(v @ 1..=65535) => Some(v as u16),
            other => {
                let message = match other {
                    Some(v) => format!("port {v} is out of range"),
                    None => "this port is far out of range".to_string(),
                };
                self.diags.push(
                    Diagnostic::new(Code::InvalidPort, message)
                        .primary(Site::new(file, n.span), "ports are 1 to 65535"),
                );
                None
            }
        }
    }

    pub(super) fn weight(&mut self, file: FileId, n: &Number) -> Option<u32> {
        match n.value {
            Some(v) if v <= MAX_WEIGHT => Some(v as u32),
            other => {
                let message = match other {
                    Some(v) => format!("weight {v} is above {MAX_WEIGHT}"),
                    None => format!("this weight is far above {MAX_WEIGHT}"),
                };
                self.diags.push(
                    Diagnostic::new(Code::WeightTooLarge, message)
                        .primary(
                            Site::new(file, n.span),
                            format!("weights are 0 to {MAX_WEIGHT}"),
                        )
                        .help("weights are relative: divide them all by the same number"),
                );
                None
            }
        }
    }

    /// `30s`, `10m`, `3h`, `1d` in 1s..=30d, as seconds.
    pub(super) fn duration(&mut self, file: FileId, d: &DurationLit) -> Option<u32> {
        let site = Site::new(file, d.span);
        let digits: String = d.text.chars().take_while(char::is_ascii_digit).collect();
        let unit = &d.text[digits.len()..];
        let scale: u64 = match unit {
            "s" => 1,
            "m" => 60,
            "h" => 3600,
            "d" => 86400,
            _ => {
                let why = if unit.is_empty() {
                    "a duration needs a unit".to_string()
                } else {
                    format!("unknown unit `{unit}`")
                };
                self.diags.push(
                    Diagnostic::new(
                        Code::InvalidDuration,
                        format!("`{}` is not a duration", d.text),
                    )
                    .primary(site, why)
                    .help(
                        "write a whole number followed by `s`, `m`, `h` or `d`, e.g. `30s` or `3h`",
                    ),
                );
                return None;
            }
        };
        let seconds = digits
            .parse::<u64>()
            .ok()
            .and_then(|n| n.checked_mul(scale));
        match seconds {
            Some(s @ MIN_STICKY_SECONDS..=MAX_STICKY_SECONDS) => Some(s as u32),
            _ => {
                self.diags.push(
                    Diagnostic::new(
                        Code::InvalidDuration,
                        format!("duration `{}` is out of range", d.text),
                    )
                    .primary(site, "sticky durations are 1s to 30d"),
                );
                None
            }
        }
    }

    /// Reports control characters and unknown escapes in a string; returns
    /// whether the string is clean.
    pub(super) fn string_chars(&mut self, file: FileId, s: &StrLit, what: &str) -> bool {
        let mut ok = true;
        for bad in &s.bad_escapes {
            ok = false;
            self.diags.push(
                Diagnostic::new(Code::InvalidEscape, format!("unknown escape in a {what}"))
                    .primary(Site::new(file, *bad), "not `\\\"` or `\\\\`")
                    .note("strings know only two escapes: `\\\"` for a quote and `\\\\` for a backslash"),
            );
        }
        if let Some(c) = s.value.chars().find(|c| is_forbidden_char(*c)) {
            ok = false;
            self.diags.push(
                Diagnostic::new(
                    Code::ControlCharacter,
                    format!("the {what} contains the character U+{:04X}", c as u32),
                )
                .primary(Site::new(file, s.span), "this string contains it")
                .note("strings may not contain control characters, or invisible characters that change how text is displayed (bidirectional controls, zero-width characters)"),
            );
        }
        if what == "include path" && s.value.len() > self.limits.path_bytes {
            ok = false;
            self.diags.push(
                Diagnostic::new(
                    Code::LimitExceeded,
                    format!(
                        "the include path is {} bytes long; the limit is {}",
                        s.value.len(),
                        self.limits.path_bytes
                    ),
                )
                .primary(Site::new(file, s.span), "too long"),
            );
        }
        ok
    }

    /// A vip comment: clean and at most 128 bytes.
    pub(super) fn comment(&mut self, file: FileId, s: &StrLit) -> Option<String> {
        let mut ok = self.string_chars(file, s, "comment");
        if s.value.len() > MAX_COMMENT_BYTES {
            ok = false;
            self.diags.push(
                Diagnostic::new(
                    Code::CommentTooLong,
                    format!(
                        "the comment is {} bytes long; comments have at most {MAX_COMMENT_BYTES}",
                        s.value.len()
                    ),
                )
                .primary(Site::new(file, s.span), "too long")
                .note("the comment is carried into the kernel ruleset, which stores at most 128 bytes"),
            );
        }
        ok.then(|| s.value.clone())
    }
}

/// Control characters, and characters that reorder or hide text (bidi
/// controls, zero-width characters): they could make a comment look different
/// from what it is in a review.
pub fn is_forbidden_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{061C}'
        )
}

/// Why a dotted quad is not an IPv4 address.
fn ipv4_problem(text: &str) -> String {
    for part in text.split('.') {
        match part.parse::<u64>() {
            Ok(n) if n > 255 => return format!("{part} is above 255"),
            Ok(_) if part.len() > 1 && part.starts_with('0') => {
                return format!("`{part}` has a leading zero, which some tools read as octal")
            }
            Ok(_) => {}
            Err(_) => return format!("`{part}` is not a number from 0 to 255"),
        }
    }
    "not an IPv4 address".to_string()
}
