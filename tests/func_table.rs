//! The function table (`expr::func::FUNCS`) is the one list of functions:
//! the documentation's table, the reserved words and the parser all follow
//! it. These tests fail when the docs drift from the table.

use nabla_engine::expr::decl::{is_reserved, reserved_words};
use nabla_engine::expr::func::{FUNCS, docs_table};
use nabla_engine::expr::{Decls, parse};

fn expressions_md() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/expressions.md"))
        .expect("docs/expressions.md is readable")
}

#[test]
fn the_docs_function_table_is_the_table() {
    let table = docs_table();
    assert!(
        expressions_md().contains(&table),
        "docs/expressions.md should contain the function table exactly as `docs_table` writes it:\n{table}"
    );
}

#[test]
fn the_docs_name_every_reserved_word() {
    let md = expressions_md();
    for word in reserved_words() {
        assert!(
            md.contains(&format!("`{word}`")),
            "docs/expressions.md does not mention the reserved word `{word}`"
        );
    }
}

#[test]
fn every_spelling_in_the_table_is_reserved_and_parses_as_a_call() {
    let decls = Decls::parse("A: n x n").unwrap();
    for spec in FUNCS {
        for name in std::iter::once(spec.name).chain(spec.aliases.iter().copied()) {
            assert!(is_reserved(name), "{name}");
            let e = parse(&format!("{name}(A)"), Some(&decls)).unwrap();
            assert!(!e.names().is_empty(), "{name}(A) uses A");
        }
    }
}
