//! The forward pass of reverse mode: evaluates every node once and keeps its
//! value, mirroring the tree, so the backward pass can reuse them.

use nalgebra::DMatrix;

use crate::expr::eval::{self, Sizes};
use crate::expr::{ExprError, Typed};

/// Values of a node and of its children, in the order of `Typed::children`.
#[derive(Clone, Debug)]
pub struct Tape {
    pub value: DMatrix<f64>,
    pub children: Vec<Tape>,
}

/// Evaluates `t`, recording every intermediate value.
pub fn record(t: &Typed, sizes: &Sizes, values: &[DMatrix<f64>]) -> Result<Tape, ExprError> {
    if eval::is_leaf(t) {
        return Ok(Tape {
            value: eval::leaf(t, sizes, values)?,
            children: Vec::new(),
        });
    }
    let children = t
        .children()
        .into_iter()
        .map(|c| record(c, sizes, values))
        .collect::<Result<Vec<_>, _>>()?;
    let value = eval::apply(t, children.iter().map(|c| c.value.clone()).collect())?;
    Ok(Tape { value, children })
}
