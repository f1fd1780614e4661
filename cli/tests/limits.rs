//! Input that is not a program, or too much of one: a clear diagnostic and exit
//! code 1 or 2, never a crash, and nothing written over the user's files.

mod common;
use common::*;

#[test]
fn a_file_beyond_the_size_limit_is_refused_before_it_is_read() {
    let t = Temp::new("huge");
    let path = t.0.join("huge.lbdsl");
    let f = std::fs::File::create(&path).expect("create");
    f.set_len(64 * 1024 * 1024 + 1).expect("sparse file");
    let out = lbc(&["check", path.to_str().expect("utf-8")], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("E0030"), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("at most 67108864 bytes"));
}

#[test]
fn non_utf8_input_reports_the_byte_offset() {
    let t = Temp::new("latin1");
    let path = t.0.join("l.lbdsl");
    std::fs::write(&path, b"host a = 198.18.1.11\n# caf\xe9\n").expect("write");
    let out = lbc(
        &[
            "check",
            "--message-format",
            "short",
            path.to_str().expect("utf-8"),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let s = text(&out.stdout);
    assert!(s.contains("error[E0029]") && s.contains("offset 26"), "{s}");
    assert!(s.contains(":2:6:"), "line and column of the bad byte: {s}");
}

#[test]
fn unreadable_and_odd_paths_are_io_errors() {
    for path in ["/", "/nonexistent/x.lbdsl", "/proc/self/mem"] {
        let out = lbc(&["compile", path, "--target", "nft"], None);
        assert_eq!(out.status.code(), Some(2), "{path}: {}", text(&out.stderr));
        assert!(text(&out.stderr).contains("cannot read"), "{path}");
    }
}

#[test]
fn output_paths_that_cannot_be_written_are_io_errors_and_leave_nothing() {
    let t = Temp::new("outdir");
    let src = t.file("p.lbdsl", "vip 198.18.2.1:80 -> rr [198.18.1.11]\n");
    let dir = t.0.to_str().expect("utf-8").to_string();
    let missing = format!("{dir}/no/such/dir/out.nft");
    for out in [dir.as_str(), missing.as_str()] {
        let o = lbc(&["compile", &src, "--target", "nft", "-o", out], None);
        assert_eq!(o.status.code(), Some(2), "{out}");
        assert!(
            text(&o.stderr).contains("cannot write"),
            "{}",
            text(&o.stderr)
        );
    }
    let names: Vec<String> = std::fs::read_dir(&t.0)
        .expect("dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["p.lbdsl"], "no temporary file left");
}

#[test]
fn an_empty_file_compiles_to_the_removal_of_lbcs_table() {
    let out = lbc(&["compile", "-", "--target", "nft"], Some(""));
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("delete table inet lbc"));
    assert!(text(&out.stderr).contains("warning[W0009]"));
}

#[test]
fn hostile_inputs_exit_with_0_1_or_2() {
    let inputs: Vec<String> = vec![
        "\u{0}".into(),
        "vip".into(),
        "vip [".into(),
        "[[[[[[[[[[[[[[[[[[[[".repeat(1000),
        "vip 198.18.2.1:80 -> rr [".to_string() + &"a,".repeat(50_000) + "]",
        "#".repeat(100_000),
        "\"".repeat(10_000),
        "vip 198.18.2.1:80 -> rr [198.18.1.11] comment \"".to_string() + &"é".repeat(10_000) + "\"",
        "include \"/dev/zero\"\n".into(),
        "include \"/proc/self/mem\"\n".into(),
        "include \"-\"\n".into(),
        "table ".to_string() + &"a".repeat(10_000),
        "vip 999999999999.1.1.1:99999999999999999999 -> rr [x weight 99999999999999999999999]"
            .into(),
        "\u{feff}vip 198.18.2.1:80 -> rr [198.18.1.11]".into(),
    ];
    for input in inputs {
        for target in ["nft", "nft-json", "iptables", "iptables-restore", "ir"] {
            let out = lbc(&["compile", "-", "--target", target], Some(&input));
            let code = out.status.code();
            assert!(
                matches!(code, Some(0..=2)),
                "exit {code:?} for {:?}: {}",
                &input[..input.len().min(60)],
                text(&out.stderr)
            );
        }
    }
}
