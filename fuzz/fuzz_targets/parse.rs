//! Fuzzes the expression language: whatever the input, nothing panics,
//! overflows the stack or hangs, and whatever parses reads back to itself.
//!
//! The input is an expression; if its first line is a valid declaration text
//! (`A: n x n; x: n`), the rest is also tried under those declarations.

#![no_main]

use libfuzzer_sys::fuzz_target;
use nabla_engine::expr::{Decls, compile, parse, print};

const GIVEN: &str = "A, B: n x n; x, y: n; s, t: scalar; M: m x n; b: m; r: 1 x n";

/// Parse, compile and read back `src`; the read-back must parse to the same
/// tree, print the same way again, and compile to the same shape.
fn check(src: &str, decls: Option<&Decls>) {
    let parsed = parse(src, decls);
    let compiled = compile(src, decls);
    let e = match parsed {
        Ok(e) => e,
        Err(err) => {
            assert!(compiled.is_err(), "{src:?} compiles but does not parse");
            assert!(err.span.start <= err.span.end);
            assert!(err.span.start <= src.chars().count());
            let _ = err.with_caret(src);
            return;
        }
    };
    let printed = print(&e);
    let back = match parse(&printed, decls) {
        Ok(back) => back,
        Err(err) => panic!(
            "{src:?} reads as {printed:?}, which does not parse: {}",
            err.message
        ),
    };
    assert!(
        back.same_tree(&e),
        "{src:?} reads as {printed:?}, which parses to a different tree"
    );
    assert_eq!(print(&back), printed, "printing is not idempotent");
    match compiled {
        Ok(c) => {
            assert_eq!(c.read_as, printed);
            let again = compile(&printed, decls)
                .unwrap_or_else(|err| panic!("{printed:?} does not compile: {}", err.message));
            assert_eq!(again.shape(), c.shape(), "{src:?} vs {printed:?}");
        }
        Err(err) => {
            let _ = err.with_caret(src);
            // The read-back of an ill-shaped expression is ill-shaped too.
            assert!(compile(&printed, decls).is_err(), "{src:?} vs {printed:?}");
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    // Declarations never panic either, and their errors point inside the text.
    if let Err(err) = Decls::parse(src) {
        assert!(err.span.end <= src.chars().count());
        let _ = err.with_caret(src);
    }
    let given = Decls::parse(GIVEN).unwrap();
    check(src, Some(&given));
    check(src, None);
    if let Some((first, rest)) = src.split_once('\n')
        && let Ok(decls) = Decls::parse(first)
    {
        check(rest, Some(&decls));
    }
});
