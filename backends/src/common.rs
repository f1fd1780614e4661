//! Text helpers shared by every backend.

use lbc_ir::Origin;

/// The longest comment nft and iptables keep, in bytes.
pub const MAX_COMMENT_BYTES: usize = 128;

/// The `file:line` pointer a generated rule carries back to its source. Double
/// quotes (which no target can carry in a comment) become single quotes, and a
/// path too long for a comment keeps its end.
pub fn origin_comment(origin: &Origin) -> String {
    let text = format!("{}:{}", origin.file, origin.line).replace('"', "'");
    truncate_start(&text, MAX_COMMENT_BYTES)
}

/// `text`, or its end preceded by `...` when it is longer than `max` bytes.
pub fn truncate_start(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let keep = max - 3;
    let mut start = text.len() - keep;
    while !text.is_char_boundary(start) {
        start += 1;
    }
    format!("...{}", &text[start..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_comment_is_short_and_quote_free() {
        let o = Origin {
            file: "a\"b.lbdsl".into(),
            line: 7,
            column: 1,
        };
        assert_eq!(origin_comment(&o), "a'b.lbdsl:7");
        let long = Origin {
            file: format!("{}/lb.lbdsl", "é".repeat(100)).into(),
            line: 12,
            column: 1,
        };
        let c = origin_comment(&long);
        assert!(c.len() <= MAX_COMMENT_BYTES, "{}", c.len());
        assert!(c.starts_with("...") && c.ends_with("/lb.lbdsl:12"));
    }
}
