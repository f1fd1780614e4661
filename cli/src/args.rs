//! The command line (spec section 4).

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::render::MessageFormat;

#[derive(Parser, Debug)]
#[command(
    name = "lbc",
    version,
    about = "lbc compiles load-balancer rule files (.lbdsl) into nftables and iptables rulesets",
    after_help = "Examples:\n  lbc compile lb.lbdsl --target nft -o lb.nft && nft -f lb.nft\n  lbc check lb.lbdsl --message-format short\n  lbc explain E0010"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Compile a program for one target
    Compile {
        /// The .lbdsl file, or `-` for standard input
        file: String,
        /// nft | nft-json | iptables | iptables-restore | ir | NAME (runs lbc-backend-NAME)
        #[arg(short, long)]
        target: String,
        /// Write the output here (atomically) instead of standard output
        #[arg(short, long)]
        output: Option<PathBuf>,
        #[command(flatten)]
        report: Report,
    },
    /// Check programs and report every problem
    Check {
        /// The .lbdsl files (`-` for standard input)
        #[arg(required = true)]
        files: Vec<String>,
        /// Treat warnings as errors (exit code 1)
        #[arg(long)]
        deny_warnings: bool,
        #[command(flatten)]
        report: Report,
    },
    /// Rewrite files in the canonical layout
    Fmt {
        /// The .lbdsl files; `-` reads standard input and writes standard output
        #[arg(required = true)]
        files: Vec<String>,
        /// Change nothing; list the files that would change and exit 1 if any
        #[arg(long)]
        check: bool,
        #[command(flatten)]
        report: Report,
    },
    /// Explain a diagnostic code in detail
    Explain {
        /// A code such as E0010
        code: String,
    },
    /// List the targets and what each can express
    Backends,
}

/// How diagnostics are reported.
#[derive(clap::Args, Debug, Clone, Copy)]
pub struct Report {
    /// human | short | json (one object per line)
    #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
    pub message_format: MessageFormat,
    /// Colour in human output
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}
