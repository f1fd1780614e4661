//! The syntax tree of every fixture and example, shown with its source.

use lbc_grammar::{dump::dump, parse};

fn snapshot_ast(path: &std::path::Path) {
    let src = std::fs::read_to_string(path).expect("fixture is readable");
    let parsed = parse(&src);
    assert!(
        parsed.errors.is_empty(),
        "{}: {:?}",
        path.display(),
        parsed.errors
    );
    insta::assert_snapshot!(format!(
        "{src}\n----- AST -----\n{}",
        dump(&parsed.file, &src)
    ));
}

#[test]
fn ast_of_every_fixture() {
    insta::glob!("../fixtures/lang", "**/*.lbdsl", snapshot_ast);
}

#[test]
fn ast_of_every_example() {
    insta::glob!("../../examples", "**/*.lbdsl", snapshot_ast);
}
