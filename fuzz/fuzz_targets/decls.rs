//! Fuzzes declarations, in both forms a lesson can write them: the text
//! (`A: n x n; x: n`, what `--given` takes) and the table (`{ A = "n x n" }`,
//! here one `name = spec` pair a line). Nothing panics; errors point inside
//! the text; what parses writes back (`Decl::spec`) to the same declarations,
//! and every declared name compiles on its own to its declared shape.

#![no_main]

use libfuzzer_sys::fuzz_target;
use nabla_engine::expr::{Decls, ErrorKind, compile};

fn holds(decls: &Decls, src: &str) {
    let text = decls.text();
    let back = Decls::parse(&text).unwrap_or_else(|e| {
        panic!(
            "{src:?} writes back as {text:?}, which fails: {}",
            e.message
        )
    });
    assert_eq!(
        back.entries, decls.entries,
        "{src:?} writes back as {text:?}"
    );
    for d in &decls.entries {
        let c = compile(&d.name, Some(decls))
            .unwrap_or_else(|e| panic!("{src:?}: {} does not compile: {}", d.name, e.message));
        assert_eq!(c.shape(), &d.shape, "{src:?}: {}", d.name);
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    match Decls::parse(src) {
        Ok(d) => holds(&d, src),
        Err(e) => {
            assert_eq!(e.kind, ErrorKind::Declaration, "{src:?}");
            assert!(e.span.start <= e.span.end, "{src:?}: {:?}", e.span);
            assert!(e.span.end <= src.chars().count(), "{src:?}: {:?}", e.span);
            let _ = e.with_caret(src);
        }
    }
    let pairs: Vec<(&str, &str)> = src
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim(), v.trim()))
        .collect();
    match Decls::from_pairs(pairs.iter().copied()) {
        Ok(d) => holds(&d, src),
        Err(e) => assert_eq!(e.kind, ErrorKind::Declaration, "{src:?}"),
    }
});
