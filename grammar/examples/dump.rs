fn main() {
    let path = std::env::args().nth(1).expect("path");
    let src = std::fs::read_to_string(path).expect("read");
    let p = lbc_grammar::parse(&src);
    print!("{}", lbc_grammar::dump::dump(&p.file, &src));
    for e in &p.errors {
        println!("ERROR {:?}: {} hint={:?}", e.span, e.message(), e.hint);
    }
}
