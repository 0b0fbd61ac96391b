//! Fuzzes `check` and `derive` as the command line and the Python package
//! call them (`nabla_engine::report`). The input is up to four lines:
//! the declarations, F, the answer, and X (empty or missing: inferred);
//! an even-length input asks for the denominator layout.
//!
//! Nothing panics. A failure is located inside the input it names. A check's
//! read-back of the answer parses to the answer's tree. A derivative that
//! `derive` returns reads back under the declarations (so holds no `infx`
//! or `∞`), and `check` grades it correct (or finds no instance of F where
//! derive's own draws found one: a domain hard to hit); `derive` never answers "please
//! report" (its own word for a bug in it).
//!
//! Only cheap inputs are tried: at most `MAX_LEN` bytes and no whole number
//! above 16 (see `nabla_fuzz::small_numbers`), so sizes stay symbolic and
//! are drawn small; one check or derive then takes milliseconds.

#![no_main]

use libfuzzer_sys::fuzz_target;
use nabla_engine::calculus::Layout;
use nabla_engine::expr::{Decls, parse};
use nabla_engine::report::{self, CheckRequest, Failure};

const MAX_LEN: usize = 400;

fn located(f: &Failure, inputs: &[(&str, &str)]) {
    assert!(!f.message.is_empty());
    let _ = f.to_json();
    let _ = f.report();
    if let Some(l) = &f.location {
        let text = inputs
            .iter()
            .find(|(name, _)| *name == l.input)
            .map(|(_, t)| *t)
            .unwrap_or_else(|| panic!("{inputs:?}: a failure located in {:?}", l.input));
        assert!(l.span.start <= l.span.end, "{inputs:?}: {:?}", l.span);
        assert!(
            l.span.start <= text.chars().count(),
            "{inputs:?}: {:?}",
            l.span
        );
    }
}

fuzz_target!(|data: &[u8]| {
    if data.len() > MAX_LEN {
        return;
    }
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    if !nabla_fuzz::small_numbers(src) {
        return;
    }
    let mut lines = src.splitn(4, '\n');
    let given = lines.next().unwrap_or("");
    let Some(f) = lines.next() else {
        return;
    };
    let answer = lines.next().unwrap_or("0");
    let wrt = lines.next().map(str::trim).filter(|w| !w.is_empty());
    let layout = if data.len() % 2 == 0 {
        Layout::Denominator
    } else {
        Layout::Numerator
    };
    let inputs = [
        ("f", f),
        ("given", given),
        ("answer", answer),
        ("wrt", wrt.unwrap_or("")),
    ];
    let decls = Decls::parse(given).ok();

    let req = CheckRequest {
        wrt,
        layout,
        ..CheckRequest::new(f, given, answer)
    };
    match report::check(&req) {
        Ok(v) => {
            assert!(v["verdict"].is_string(), "{inputs:?}: {v}");
            if let (Some(read_as), Some(d)) = (v["read_as"].as_str(), decls.as_ref())
                && let Ok(typed) = parse(answer, Some(d))
            {
                let back = parse(read_as, Some(d)).unwrap_or_else(|e| {
                    panic!(
                        "{inputs:?}: read as {read_as:?}, which fails: {}",
                        e.message
                    )
                });
                assert!(back.same_tree(&typed), "{inputs:?}: read as {read_as:?}");
            }
        }
        Err(e) => located(&e, &inputs),
    }

    match report::derive(f, wrt, given, layout, true) {
        Ok(v) => {
            let text = v["derivative"].as_str().expect("a derivative is text");
            // Reading back under the declarations also rules out `infx`
            // (no such name) and `∞` (no such character).
            let d = decls
                .as_ref()
                .expect("derive succeeded, so the declarations parse");
            if let Err(e) = parse(text, Some(d)) {
                panic!("{inputs:?}: derived {text:?}, which fails: {}", e.message);
            }
            let graded = report::check(&CheckRequest {
                wrt,
                layout,
                ..CheckRequest::new(f, given, text)
            });
            match graded {
                Ok(g) => assert_eq!(
                    g["verdict"], "correct",
                    "{inputs:?}: derived {text:?}, graded {g}"
                ),
                // derive's draws found F's domain and check's did not: F is
                // defined somewhere, but hard to hit (not a contradiction).
                Err(e) if e.message.starts_with("F has no usable instance") => {}
                Err(e) => panic!(
                    "{inputs:?}: derived {text:?}, but check fails: {}",
                    e.message
                ),
            }
        }
        Err(e) => {
            assert!(
                !e.message.contains("please report"),
                "{inputs:?}: {}",
                e.message
            );
            located(&e, &inputs);
        }
    }
});
