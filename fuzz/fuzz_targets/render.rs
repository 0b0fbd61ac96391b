//! Fuzzes the renderer of lesson text: LaTeX math (display and inline) and
//! Markdown with math, at a width taken from the first byte. Nothing panics
//! or hangs; error offsets lie inside the source, on a character boundary; a
//! math block is a rectangle (every line one width) with its baseline in it,
//! one line inline; Markdown fails exactly when `check_markdown` (what lint
//! reports) finds a problem, and then with the first of them.

#![no_main]

use libfuzzer_sys::fuzz_target;
use nabla_engine::render::{
    RenderError, check_markdown, markdown_to_plain, math_to_plain, render_markdown, render_math,
};

/// Longest text tried: lesson fields are short, and a renderer's cost grows
/// with nesting, which a few kilobytes already reach.
const MAX_LEN: usize = 4096;

fn located(e: &RenderError, src: &str) {
    assert!(e.offset <= src.len(), "{src:?}: offset {}", e.offset);
    assert!(
        src.is_char_boundary(e.offset),
        "{src:?}: offset {}",
        e.offset
    );
    assert!(!e.message.is_empty(), "{src:?}");
}

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    if rest.len() > MAX_LEN {
        return;
    }
    let Ok(src) = std::str::from_utf8(rest) else {
        return;
    };
    for display in [true, false] {
        match render_math(src, display) {
            Ok(block) => {
                assert!(!block.lines.is_empty(), "{src:?}");
                assert!(block.baseline < block.lines.len(), "{src:?}");
                let w = block.width();
                assert!(
                    block.lines.iter().all(|l| l.width() == w),
                    "{src:?}: lines of different widths"
                );
                if !display {
                    assert_eq!(block.lines.len(), 1, "{src:?}: inline math is one line");
                }
            }
            Err(e) => located(&e, src),
        }
    }
    match math_to_plain(src) {
        Ok(text) => assert!(!text.contains('\n'), "{src:?}: plain math is one line"),
        Err(e) => located(&e, src),
    }
    let width = usize::from(first) * 2;
    let problems = check_markdown(src);
    for e in &problems {
        located(e, src);
    }
    match render_markdown(src, width) {
        Ok(_) => assert!(
            problems.is_empty(),
            "{src:?}: renders, but lint finds {problems:?}"
        ),
        Err(e) => assert_eq!(
            problems.first(),
            Some(&e),
            "{src:?}: fails, but not with lint's first problem"
        ),
    }
    if let Err(e) = markdown_to_plain(src) {
        located(&e, src);
    }
});
