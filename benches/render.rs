//! Rendering cost, in process, with the library renderer (`nabla::render`) on
//! the heaviest lesson of the course, `lessons/05-backprop.toml`:
//!
//! - `lesson`: the whole lesson as the reader lays it out when it is opened —
//!   `render_markdown` of every section body and `render_math` (display) of
//!   every identity statement.
//! - `lesson_revealed`: the same plus the summary, every identity note and
//!   every derivation step (what the reader draws after `R`, reveal all).
//! - `page`: the heaviest screenful: for each item (section body or
//!   statement) the run of items from it that fills `PAGE_ROWS` rows; the run
//!   that is slowest in a quick pre-timing is the one benchmarked.
//! - `formula`: a single display formula.
//!
//! Widths 76 and 116 are the text columns of an 80- and a 120-column
//! terminal. The goal is a page under 1 ms.
//!
//! Run: `cargo bench --bench render` (results in docs/performance.md).

use std::sync::LazyLock;
use std::time::{Duration, Instant};

use divan::{Bencher, black_box};
use nabla::lesson::{Lesson, load};
use nabla::render::{render_markdown, render_math};

fn main() {
    divan::main();
}

const WIDTHS: [usize; 2] = [76, 116];

/// Rows of text on one screen: a 30-row terminal less the title and key bars.
const PAGE_ROWS: usize = 28;

/// Rows the reader adds around each item: a heading, a blank line after it
/// and one after the item.
const ITEM_ROWS: usize = 3;

static LESSON: LazyLock<Lesson> = LazyLock::new(|| {
    load::builtin()
        .lesson("backprop")
        .expect("the built-in course has the backprop lesson")
        .clone()
});

/// What the reader renders for one entry of the document.
#[derive(Clone, Copy)]
enum Item<'a> {
    Markdown(&'a str),
    /// A display formula, as identity statements are drawn.
    Math(&'a str),
    /// A derivation step: Markdown, 4 columns narrower (the step number).
    Step(&'a str),
}

/// Renders one item; returns its rows (so the work cannot be skipped).
fn render(item: Item, width: usize) -> usize {
    match item {
        Item::Markdown(md) => render_markdown(md, width).expect("renders").len(),
        Item::Step(md) => render_markdown(md, width - 4).expect("renders").len(),
        Item::Math(tex) => render_math(tex, true).expect("renders").lines.len(),
    }
}

fn render_all(items: &[Item], width: usize) -> usize {
    items.iter().map(|&i| render(black_box(i), width)).sum()
}

/// Section bodies, then identity statements: what opening the lesson draws.
fn lesson_items(l: &Lesson) -> Vec<Item<'_>> {
    let d = &l.data;
    let sections = d.sections.iter().map(|s| Item::Markdown(s.body.get_ref()));
    let statements = d
        .identities
        .iter()
        .map(|i| Item::Math(i.statement.get_ref()));
    sections.chain(statements).collect()
}

/// Everything the reader can show of the lesson's text, all steps revealed.
fn revealed_items(l: &Lesson) -> Vec<Item<'_>> {
    let d = &l.data;
    let mut items: Vec<Item> = d
        .summary
        .iter()
        .map(|s| Item::Markdown(s.get_ref()))
        .collect();
    items.extend(d.sections.iter().map(|s| Item::Markdown(s.body.get_ref())));
    for id in &d.identities {
        items.push(Item::Math(id.statement.get_ref()));
        items.extend(id.note.iter().map(|n| Item::Markdown(n.get_ref())));
        items.extend(id.derivation.iter().map(|s| Item::Step(s.get_ref())));
    }
    items
}

/// The heaviest screenful at `width`: of the runs of items that fill
/// `PAGE_ROWS` rows starting at each item, the slowest to render (the
/// fastest of 30 runs each, timed here once before the benchmark).
fn heaviest_page(width: usize) -> Vec<Item<'static>> {
    let items = lesson_items(&LESSON);
    let rows: Vec<usize> = items
        .iter()
        .map(|&i| render(i, width) + ITEM_ROWS)
        .collect();
    let mut worst: (Duration, Vec<Item>) = (Duration::ZERO, Vec::new());
    for start in 0..items.len() {
        let mut end = start;
        let mut filled = 0;
        while end < items.len() && filled < PAGE_ROWS {
            filled += rows[end];
            end += 1;
        }
        let page = &items[start..end];
        let best = (0..30)
            .map(|_| {
                let t = Instant::now();
                black_box(render_all(page, width));
                t.elapsed()
            })
            .min()
            .unwrap_or_default();
        if best > worst.0 {
            worst = (best, page.to_vec());
        }
    }
    worst.1
}

#[divan::bench(args = WIDTHS)]
fn lesson(bencher: Bencher, width: usize) {
    let items = lesson_items(&LESSON);
    bencher.bench_local(|| render_all(&items, black_box(width)));
}

#[divan::bench(args = WIDTHS)]
fn lesson_revealed(bencher: Bencher, width: usize) {
    let items = revealed_items(&LESSON);
    bencher.bench_local(|| render_all(&items, black_box(width)));
}

#[divan::bench(args = WIDTHS)]
fn page(bencher: Bencher, width: usize) {
    let page = heaviest_page(width);
    bencher.bench_local(|| render_all(&page, black_box(width)));
}

/// The Jacobian of `lessons/02-vector-by-vector.toml` (a matrix of stacked
/// fractions, the biggest formula in the course), and a typical statement.
const FORMULAS: &[(&str, &str)] = &[
    (
        "jacobian",
        r"J = \frac{\partial \mathbf{f}}{\partial \mathbf{x}} = \begin{bmatrix} \dfrac{\partial f_1}{\partial x_1} & \cdots & \dfrac{\partial f_1}{\partial x_n} \\ \vdots & \ddots & \vdots \\ \dfrac{\partial f_m}{\partial x_1} & \cdots & \dfrac{\partial f_m}{\partial x_n} \end{bmatrix} \in \mathbb{R}^{m \times n}, \qquad J_{ij} = \frac{\partial f_i}{\partial x_j}",
    ),
    (
        "quadratic_form",
        r"\frac{\partial}{\partial \mathbf{x}} (\mathbf{x}^T A \mathbf{x}) = (A + A^T)\mathbf{x}",
    ),
];

#[divan::bench(args = ["jacobian", "quadratic_form"])]
fn formula(bencher: Bencher, name: &str) {
    let tex = FORMULAS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, t)| *t)
        .expect("a formula of that name");
    assert!(render_math(tex, true).expect("renders").lines.len() > 1);
    bencher.bench_local(|| render_math(black_box(tex), true));
}
