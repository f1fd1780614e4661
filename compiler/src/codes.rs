//! Every diagnostic code lbc can emit. A code is stable: never renumbered, never
//! reused for another meaning. Each has a long explanation in `docs/codes/`,
//! compiled in for `lbc explain`, and a fixture named after it in
//! `tests/fixtures/diagnostics/`.

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

macro_rules! codes {
    ($( $variant:ident = $code:literal, $sev:ident, $title:literal; )*) => {
        /// A diagnostic code.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $( $variant, )* }

        impl Code {
            pub const ALL: &'static [Code] = &[ $( Code::$variant, )* ];

            /// `E0001`
            pub fn as_str(self) -> &'static str {
                match self { $( Code::$variant => $code, )* }
            }

            pub fn severity(self) -> Severity {
                match self { $( Code::$variant => Severity::$sev, )* }
            }

            /// A few words naming the problem.
            pub fn title(self) -> &'static str {
                match self { $( Code::$variant => $title, )* }
            }

            /// The long explanation shown by `lbc explain` (Markdown).
            pub fn explanation(self) -> &'static str {
                match self {
                    $( Code::$variant => include_str!(concat!("../../docs/codes/", $code, ".md")), )*
                }
            }
        }
    };
}

codes! {
    Syntax = "E0001", Error, "syntax error";
    InvalidAddress = "E0002", Error, "invalid address";
    InvalidPort = "E0003", Error, "invalid port";
    ReversedPortRange = "E0004", Error, "port range with its first port after its last";
    UndefinedName = "E0005", Error, "undefined name";
    DuplicateDefinition = "E0006", Error, "name defined twice";
    WrongKindOfName = "E0007", Error, "a pool where a host is required, or a host where a pool is required";
    IncludeNotFound = "E0008", Error, "included file cannot be read";
    IncludeCycle = "E0009", Error, "include cycle";
    VipConflict = "E0010", Error, "vips with overlapping ports";
    FamilyMismatch = "E0011", Error, "vip and member of different address families";
    SnatFamilyMismatch = "E0012", Error, "`snat to` address of the wrong family";
    EmptyMembers = "E0013", Error, "empty member list";
    AllDrained = "E0014", Error, "every member has weight 0";
    WeightTooLarge = "E0015", Error, "weight above 1000";
    MemberIsVip = "E0016", Error, "member equal to its own vip";
    AmbiguousMemberPort = "E0017", Error, "member port on a vip with several ports";
    UnroutableVip = "E0018", Error, "vip address that can never be routed to";
    DuplicateOption = "E0019", Error, "option given twice";
    InvalidDuration = "E0020", Error, "invalid duration";
    CommentTooLong = "E0021", Error, "comment longer than 128 bytes";
    ControlCharacter = "E0022", Error, "control character in a string";
    DuplicateSetting = "E0023", Error, "setting given twice";
    UnsupportedByTarget = "E0024", Error, "feature the target cannot express";
    InvalidEscape = "E0025", Error, "unknown escape in a string";
    NameTooLong = "E0026", Error, "name longer than 32 bytes";
    UnroutableMember = "E0027", Error, "member address that can never be a destination";
    PluginFailed = "E0028", Error, "backend plugin failed";
    NotUtf8 = "E0029", Error, "file is not UTF-8";
    LimitExceeded = "E0030", Error, "input beyond lbc's limits";
    DuplicateMember = "W0001", Warning, "member listed twice";
    UnusedHost = "W0002", Warning, "unused host";
    UnusedPool = "W0003", Warning, "unused pool";
    LoopbackVip = "W0004", Warning, "loopback vip address";
    StickyWithHash = "W0005", Warning, "`sticky` with `hash`";
    RepeatedInclude = "W0006", Warning, "file included more than once";
    HostPortOnMultiPortVip = "W0007", Warning, "host default port on a vip with several ports";
    LoopbackMember = "W0008", Warning, "loopback member address";
    NoVips = "W0009", Warning, "program without vips";
    StickySingleMember = "W0010", Warning, "`sticky` with a single member";
}

impl Code {
    /// Looks a code up by its text, ignoring case (`e0001` works).
    pub fn parse(text: &str) -> Option<Code> {
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str().eq_ignore_ascii_case(text.trim()))
    }
}
