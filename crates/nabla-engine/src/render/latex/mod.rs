//! The LaTeX math subset: [`lexer`] → [`parse`] (validating, producing the
//! [`ast`]) → layout into [`layout::Block`]s by [`render`], with scripts in
//! [`scripts`] and delimiters/matrices in [`matrix`].

mod ast;
mod layout;
mod lexer;
mod matrix;
mod parse;
mod render;
mod scripts;
#[cfg(test)]
mod tests;

pub use layout::Block;

use super::RenderError;
use render::Ctx;

/// Parse and lay out `src`; in inline mode (`display == false`) the result
/// is always exactly one row.
pub fn render(src: &str, display: bool) -> Result<Block, RenderError> {
    let nodes = parse::parse(src)?;
    let ctx = if display { Ctx::DISPLAY } else { Ctx::INLINE };
    Ok(render::seq(&nodes, ctx))
}
