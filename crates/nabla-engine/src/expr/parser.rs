//! Recursive-descent parser for the expression language, following the
//! contract's precedence (loosest first): `+ -`; products and divisions
//! (including juxtaposition); unary minus; `^ .^` (right to left); postfix
//! transpose, calls and parentheses.
//!
//! Names run together (`x'Ax`) are split into declared names before parsing,
//! so `Ax'` reads as `A·xᵀ` exactly as if it had been typed with a space.

use super::ast::{BinOp, Expr, ExprKind, Fill, Func};
use super::decl::{Decls, Dim, is_reserved, parse_dim_symbol};
use super::error::{ErrorKind, ExprError, Span};
use super::func::{self, Sugar};
use super::lexer::{Tok, Token, describe, lex};
use super::limits::{MAX_DIM, MAX_EXPR_CHARS, MAX_NESTING, MAX_TREE_DEPTH};

/// Parses `src`. With declarations, every name must be declared (or split
/// into declared names); without, any name is accepted.
pub fn parse(src: &str, decls: Option<&Decls>) -> Result<Expr, ExprError> {
    let chars: Vec<char> = src.chars().collect();
    if chars.len() > MAX_EXPR_CHARS {
        return Err(ExprError::syntax(
            format!(
                "the expression is {} characters long; the limit is {MAX_EXPR_CHARS}",
                chars.len()
            ),
            Span::new(0, chars.len()),
        ));
    }
    let is_declared = |name: &str| decls.is_some_and(|d| d.get(name).is_some());
    let tokens = lex(&chars, &is_declared)?;
    let tokens = match decls {
        Some(d) => split_run_together_names(tokens, d),
        None => tokens,
    };
    let mut p = Parser {
        chars: &chars,
        toks: tokens,
        pos: 0,
        decls,
        nesting: 0,
        norm_depth: 0,
    };
    if p.peek() == &Tok::Eof {
        return Err(ExprError::syntax(
            "the expression is empty",
            Span::new(0, 0),
        ));
    }
    let e = p.expr(Ctx::default())?;
    match p.peek() {
        Tok::Eof => within_read_back_limit(e, chars.len()),
        Tok::RParen => Err(ExprError::syntax("this ')' has no matching '('", p.span())),
        Tok::NormBar => Err(ExprError::syntax("this '‖' closes no norm", p.span())),
        other => Err(ExprError::syntax(
            format!("unexpected {} after a complete expression", describe(other)),
            p.span(),
        )),
    }
}

/// The length limit holds for the read-back too: nabla writes spaces around
/// `+`/`-`, `·` for juxtaposition and parentheses around a negated operand,
/// so a text just under the limit can print longer. Accepting it would
/// accept a tree whose own read-back (shown by `parse`, re-read by derive's
/// self-check, copied by a student) is refused.
fn within_read_back_limit(e: Expr, typed: usize) -> Result<Expr, ExprError> {
    let printed = super::print::print(&e).chars().count();
    if printed > MAX_EXPR_CHARS {
        return Err(ExprError::syntax(
            format!(
                "the expression is {printed} characters long as nabla writes it back (with spaces and ·); the limit is {MAX_EXPR_CHARS}"
            ),
            Span::new(0, typed),
        ));
    }
    Ok(e)
}

#[derive(Clone, Copy, Default)]
struct Ctx {
    /// Inside a matrix literal: white space separates entries, so there is
    /// no juxtaposition and `1 -2` is two entries.
    literal: bool,
}

struct Parser<'a> {
    /// The source, for quoting an operator as it was typed (`·`, not `*`).
    chars: &'a [char],
    toks: Vec<Token>,
    pos: usize,
    decls: Option<&'a Decls>,
    nesting: usize,
    norm_depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> &Tok {
        &self.toks[self.pos.min(self.toks.len() - 1)].tok
    }

    fn peek_at(&self, k: usize) -> &Token {
        &self.toks[(self.pos + k).min(self.toks.len() - 1)]
    }

    fn span(&self) -> Span {
        self.peek_at(0).span
    }

    fn advance(&mut self) -> Token {
        let t = self.peek_at(0).clone();
        if self.pos < self.toks.len() - 1 {
            self.pos += 1;
        }
        t
    }

    fn node(&self, kind: ExprKind, span: Span) -> Result<Expr, ExprError> {
        let e = Expr::new(kind, span);
        if e.depth > MAX_TREE_DEPTH {
            return Err(ExprError::syntax(
                format!("the expression is nested more than {MAX_TREE_DEPTH} levels deep"),
                span,
            ));
        }
        Ok(e)
    }

    fn binary(&self, op: BinOp, a: Expr, b: Expr) -> Result<Expr, ExprError> {
        let span = a.span.to(b.span);
        self.node(ExprKind::Binary(op, Box::new(a), Box::new(b)), span)
    }

    /// Guards recursion: every nested construct goes through here.
    fn enter(&mut self, span: Span) -> Result<(), ExprError> {
        self.nesting += 1;
        if self.nesting > MAX_NESTING {
            return Err(ExprError::syntax(
                format!("the expression nests more than {MAX_NESTING} levels deep"),
                span,
            ));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.nesting -= 1;
    }

    fn starts_operand(&self, tok: &Tok) -> bool {
        match tok {
            Tok::Num(_) | Tok::Ident(_) | Tok::LParen | Tok::LBracket | Tok::Frac | Tok::LAngle => {
                true
            }
            // Inside a norm, a bar after an operand closes it.
            Tok::NormBar => self.norm_depth == 0,
            _ => false,
        }
    }

    fn expect_operand(&self, after: &str) -> Result<(), ExprError> {
        let tok = self.peek();
        if self.starts_operand(tok) || matches!(tok, Tok::Minus | Tok::Plus | Tok::NormBar) {
            Ok(())
        } else {
            Err(ExprError::syntax(
                format!("expected an expression after {after}"),
                self.span(),
            ))
        }
    }

    fn expr(&mut self, ctx: Ctx) -> Result<Expr, ExprError> {
        let mut lhs = self.term(ctx)?;
        loop {
            let op = match self.peek() {
                Tok::Plus => BinOp::Add,
                Tok::Minus => BinOp::Sub,
                _ => break,
            };
            // `[1 -2]` is two entries, `[1 - 2]` and `[1-2]` one.
            if ctx.literal && self.peek_at(0).space_before && !self.peek_at(1).space_before {
                break;
            }
            let op_tok = self.advance();
            self.expect_operand(&format!("'{}'", if op == BinOp::Add { '+' } else { '-' }))
                .map_err(|e| spanned_if_eof(e, op_tok.span))?;
            let rhs = self.term(ctx)?;
            lhs = self.binary(op, lhs, rhs)?;
        }
        Ok(lhs)
    }

    fn term(&mut self, ctx: Ctx) -> Result<Expr, ExprError> {
        let mut lhs = self.unary(ctx)?;
        loop {
            let tok = self.peek().clone();
            if matches!(tok, Tok::Colon | Tok::Backslash | Tok::Kron) {
                lhs = self.special_product(&tok, lhs, ctx)?;
                continue;
            }
            let op = match tok {
                Tok::Mul => Some(BinOp::Mul),
                Tok::Hadamard => Some(BinOp::Hadamard),
                Tok::ElemDiv => Some(BinOp::ElemDiv),
                Tok::Slash => Some(BinOp::Div),
                // In a matrix literal white space separates entries, but a
                // coefficient written against a name is one entry: `[2x 3]`.
                _ if (!ctx.literal || !self.peek_at(0).space_before)
                    && self.starts_operand(&tok) =>
                {
                    None
                }
                _ => break,
            };
            let op = match op {
                Some(op) => {
                    let t = self.advance();
                    let typed: String = self.chars[t.span.start..t.span.end].iter().collect();
                    self.expect_operand(&format!("'{typed}'"))
                        .map_err(|e| spanned_if_eof(e, t.span))?;
                    op
                }
                None => BinOp::Mul, // juxtaposition
            };
            let rhs = self.unary(ctx)?;
            lhs = self.binary(op, lhs, rhs)?;
        }
        Ok(lhs)
    }

    fn unary(&mut self, ctx: Ctx) -> Result<Expr, ExprError> {
        match self.peek() {
            Tok::Minus => {
                let t = self.advance();
                self.enter(t.span)?;
                self.expect_operand("'-'")
                    .map_err(|e| spanned_if_eof(e, t.span))?;
                let inner = self.unary(ctx)?;
                self.leave();
                let span = t.span.to(inner.span);
                self.node(ExprKind::Neg(Box::new(inner)), span)
            }
            Tok::Plus => {
                let t = self.advance();
                self.enter(t.span)?;
                self.expect_operand("'+'")
                    .map_err(|e| spanned_if_eof(e, t.span))?;
                let inner = self.unary(ctx)?;
                self.leave();
                Ok(inner)
            }
            _ => self.power(ctx),
        }
    }

    fn power(&mut self, ctx: Ctx) -> Result<Expr, ExprError> {
        let base = self.postfix(ctx)?;
        let op = match self.peek() {
            Tok::Caret => BinOp::Pow,
            // NumPy's `**` is entry by entry, and reads back as `.^`.
            Tok::DotCaret | Tok::StarStar => BinOp::ElemPow,
            _ => return Ok(base),
        };
        let t = self.advance();
        self.enter(t.span)?;
        let exponent = self.exponent(ctx, &t)?;
        self.leave();
        let mut e = self.binary(op, base, exponent)?;
        // `A^-1'`, `x.^2'`: a transpose after a number exponent is the
        // power's (see `exponent`), as every text means it.
        while matches!(self.peek(), Tok::Transpose | Tok::InvTranspose) {
            e = self.postfix_transpose(e)?;
        }
        Ok(e)
    }

    /// `e'` or `e⁻ᵀ` (the transpose of the inverse, read as `(e⁻¹)ᵀ`).
    fn postfix_transpose(&mut self, e: Expr) -> Result<Expr, ExprError> {
        let t = self.advance();
        let span = e.span.to(t.span);
        let e = if t.tok == Tok::InvTranspose {
            let one = self.node(ExprKind::Number(1.0), t.span)?;
            let minus_one = self.node(ExprKind::Neg(Box::new(one)), t.span)?;
            self.node(
                ExprKind::Binary(BinOp::Pow, Box::new(e), Box::new(minus_one)),
                span,
            )?
        } else {
            e
        };
        self.node(ExprKind::Transpose(Box::new(e)), span)
    }

    /// `A : B` (the Frobenius inner product, `sum(A ⊙ B)`), MATLAB's `A\b`
    /// (`inv(A)·b`), and `⊗`, which is refused: products that bind like `*`.
    fn special_product(&mut self, tok: &Tok, lhs: Expr, ctx: Ctx) -> Result<Expr, ExprError> {
        let t = self.advance();
        let typed: String = self.chars[t.span.start..t.span.end].iter().collect();
        self.expect_operand(&format!("'{typed}'"))
            .map_err(|e| spanned_if_eof(e, t.span))?;
        let rhs = self.unary(ctx)?;
        match tok {
            Tok::Colon => self.frobenius(lhs, rhs),
            Tok::Kron => self.binary(BinOp::Kron, lhs, rhs),
            _ => {
                let span = lhs.span;
                let inv = self.node(ExprKind::Call(Func::Inv, Box::new(lhs)), span)?;
                self.binary(BinOp::Mul, inv, rhs)
            }
        }
    }

    /// ⟨A, B⟩ = A : B = sum(A ⊙ B).
    fn frobenius(&self, a: Expr, b: Expr) -> Result<Expr, ExprError> {
        let span = a.span.to(b.span);
        let had = self.binary(BinOp::Hadamard, a, b)?;
        self.node(ExprKind::Call(Func::Sum, Box::new(had)), span)
    }

    /// The right side of `^`: a signed power expression (`x^-1`, `a^b^c`).
    fn exponent(&mut self, ctx: Ctx, caret: &Token) -> Result<Expr, ExprError> {
        match self.peek() {
            Tok::Minus => {
                let t = self.advance();
                self.enter(t.span)?;
                let inner = self.exponent(ctx, caret)?;
                self.leave();
                let span = t.span.to(inner.span);
                self.node(ExprKind::Neg(Box::new(inner)), span)
            }
            // `A^2'`: the transpose is the power's, not the exponent's.
            Tok::Num(v) if matches!(self.peek_at(1).tok, Tok::Transpose | Tok::InvTranspose) => {
                let v = *v;
                let t = self.advance();
                self.node(ExprKind::Number(v), t.span)
            }
            tok if self.starts_operand(tok) || *tok == Tok::NormBar => self.power(ctx),
            _ => Err(spanned_if_eof(
                ExprError::syntax(
                    format!("expected an exponent after {}", describe(&caret.tok)),
                    self.span(),
                ),
                caret.span,
            )),
        }
    }

    fn postfix(&mut self, ctx: Ctx) -> Result<Expr, ExprError> {
        let mut e = self.primary(ctx)?;
        loop {
            match self.peek().clone() {
                Tok::Transpose | Tok::InvTranspose => {
                    // `1'x` is the sum 𝟙ᵀx most texts mean, not x.
                    // (Written as the digit itself: `(1)'` stays the number.)
                    if matches!(e.kind, ExprKind::Number(v) if v == 1.0)
                        && self.chars[e.span.start..e.span.end] == ['1']
                    {
                        e = self.node(ExprKind::Fill(Fill::Ones, None), e.span)?;
                    }
                    e = self.postfix_transpose(e)?;
                }
                Tok::Method(_) => {
                    // `A.dot(x)`: NumPy's matrix product.
                    let t = self.advance();
                    let (mut args, end) = self.call_args("dot", t.span)?;
                    if args.len() != 1 {
                        return Err(ExprError::syntax(
                            "A.dot(...) takes one argument",
                            t.span.to(end),
                        ));
                    }
                    let arg = args.pop().expect("one").expr("dot")?;
                    e = self.binary(BinOp::Mul, e, arg)?;
                }
                Tok::Superscript(k) => {
                    let t = self.advance();
                    let number = self.node(ExprKind::Number(k.unsigned_abs() as f64), t.span)?;
                    let exponent = if k < 0 {
                        self.node(ExprKind::Neg(Box::new(number)), t.span)?
                    } else {
                        number
                    };
                    e = self.binary(BinOp::Pow, e, exponent)?;
                }
                _ => return Ok(e),
            }
        }
    }

    fn primary(&mut self, ctx: Ctx) -> Result<Expr, ExprError> {
        let t = self.advance();
        match t.tok {
            Tok::Num(v) => self.node(ExprKind::Number(v), t.span),
            Tok::Ident(ref name) => self.identifier(name, t.span),
            Tok::LParen => {
                self.enter(t.span)?;
                let inner = self.expr(Ctx { literal: false })?;
                self.leave();
                let close = self.close(Tok::RParen, "')'", t.span)?;
                // The span covers the parentheses, so carets underline what was typed.
                Ok(Expr {
                    span: t.span.to(close),
                    ..inner
                })
            }
            Tok::NormBar => {
                self.enter(t.span)?;
                self.norm_depth += 1;
                let inner = self.expr(Ctx { literal: false });
                self.norm_depth -= 1;
                let inner = inner?;
                self.leave();
                let mut close = self.close(Tok::NormBar, "'‖'", t.span)?;
                if let Tok::NormSub(sub) = *self.peek() {
                    close = self.advance().span;
                    self.norm_kind(&inner, sub, t.span.to(close))?;
                }
                self.node(
                    ExprKind::Call(Func::Norm, Box::new(inner)),
                    t.span.to(close),
                )
            }
            Tok::Frac => {
                // `\frac{a}{b}`: the braces lex as parentheses.
                self.enter(t.span)?;
                let mut parts = Vec::with_capacity(2);
                for _ in 0..2 {
                    if *self.peek() != Tok::LParen {
                        self.leave();
                        return Err(ExprError::syntax(
                            "\\frac takes two groups: \\frac{a}{b}",
                            self.span(),
                        ));
                    }
                    parts.push(self.primary(Ctx { literal: false })?);
                }
                self.leave();
                let b = parts.pop().expect("two parts");
                let a = parts.pop().expect("two parts");
                let span = t.span.to(b.span);
                let e = self.binary(BinOp::Div, a, b)?;
                Ok(Expr { span, ..e })
            }
            Tok::LAngle => {
                // ⟨A, B⟩: the Frobenius inner product.
                self.enter(t.span)?;
                let a = self.expr(Ctx { literal: false })?;
                if *self.peek() != Tok::Comma {
                    self.leave();
                    return Err(ExprError::syntax(
                        "⟨A, B⟩ needs two arguments separated by ','",
                        self.span(),
                    ));
                }
                self.advance();
                let b = self.expr(Ctx { literal: false })?;
                self.leave();
                let close = self.close(Tok::RAngle, "'⟩'", t.span)?;
                let e = self.frobenius(a, b)?;
                Ok(Expr {
                    span: t.span.to(close),
                    ..e
                })
            }
            Tok::LBracket => {
                self.enter(t.span)?;
                let m = self.matrix_literal(t.span);
                self.leave();
                m
            }
            Tok::Eof => Err(ExprError::syntax("expected an expression", t.span)),
            ref other => {
                let _ = ctx;
                Err(ExprError::syntax(
                    format!("expected an expression, found {}", describe(other)),
                    t.span,
                ))
            }
        }
    }

    fn close(&mut self, want: Tok, text: &str, open: Span) -> Result<Span, ExprError> {
        if *self.peek() == want {
            Ok(self.advance().span)
        } else {
            let found = describe(self.peek());
            Err(ExprError::syntax(
                format!(
                    "expected {text} to close the one opened at column {}, found {found}",
                    open.start + 1
                ),
                self.span(),
            ))
        }
    }

    fn identifier(&mut self, name: &str, span: Span) -> Result<Expr, ExprError> {
        if let Some(func) = Func::from_name(name) {
            return self.call(func, name, span);
        }
        if let Some(spec) = func::sugar(name) {
            return self.sugar(spec, name, span);
        }
        let fill = match name {
            "I" | "eye" => Some(Fill::Identity),
            "ones" => Some(Fill::Ones),
            "zeros" => Some(Fill::Zeros),
            _ => None,
        };
        if let Some(fill) = fill {
            return self.fill(fill, name, span);
        }
        // `K(m, n)` is the commutation matrix unless K is a declared name
        // (a lesson's K: n x n stays a matrix; `K(x)` is then a product).
        if name == "K"
            && self.decls.is_none_or(|d| d.get(name).is_none())
            && *self.peek() == Tok::LParen
        {
            return match self.try_sizes()? {
                Some((dims, end)) if dims.len() == 2 => self.node(
                    ExprKind::Commutation(dims[0].clone(), dims[1].clone()),
                    span.to(end),
                ),
                _ => Err(ExprError::syntax(
                    "K takes two sizes: K(m, n) is the commutation matrix, vec(Xᵀ) = K(m, n) vec(X) for X m×n",
                    span,
                )),
            };
        }
        if name == "T" {
            return Err(ExprError::syntax(
                "'T' is reserved for the transpose: write A' or A^T",
                span,
            ));
        }
        if let Some(decls) = self.decls
            && decls.get(name).is_none()
        {
            // A size as a number: `x/n`, `sum(x)/n` for a mean.
            if decls.symbols().iter().any(|s| s == name) {
                return self.node(ExprKind::Size(name.to_string()), span);
            }
            // `lambda` for a declared `λ`, and `λ` for a declared `lambda`.
            if let Some(other) = super::spelling::greek_spellings(name)
                .into_iter()
                .find(|g| decls.get(g).is_some())
            {
                return self.node(ExprKind::Name(other.to_string()), span);
            }
            return Err(unknown_name(name, decls, span));
        }
        self.node(ExprKind::Name(name.to_string()), span)
    }

    /// The `(` after a function's name, entered as one level of nesting.
    fn open_call(&mut self, name: &str, span: Span) -> Result<Span, ExprError> {
        if *self.peek() != Tok::LParen {
            return Err(ExprError::syntax(
                format!("'{name}' is a function: write {name}(...)"),
                span,
            ));
        }
        let open = self.advance().span;
        self.enter(open)?;
        Ok(open)
    }

    fn call(&mut self, func: Func, name: &str, span: Span) -> Result<Expr, ExprError> {
        let open = self.open_call(name, span)?;
        if *self.peek() == Tok::RParen {
            return Err(ExprError::syntax(
                format!("{name}(...) needs an argument"),
                self.span(),
            ));
        }
        let arg = self.expr(Ctx { literal: false })?;
        self.leave();
        if *self.peek() == Tok::Comma && func == Func::Norm {
            // `norm(x, 2)`, `norm(X, 'fro')`: which norm, as NumPy and MATLAB write it.
            self.advance();
            let which = self.advance();
            let sub = match &which.tok {
                Tok::Num(v) if *v == 2.0 => '2',
                Tok::Str(w) if w == "fro" => 'F',
                _ => {
                    return Err(ExprError::syntax(
                        "nabla has the 2-norm of a vector and the Frobenius norm: write norm(x), norm(x, 2) or norm(X, 'fro')",
                        which.span,
                    ));
                }
            };
            self.norm_kind(&arg, sub, span.to(which.span))?;
        }
        if *self.peek() == Tok::Comma {
            return Err(ExprError::syntax(
                format!("{name}(...) takes one argument"),
                self.span(),
            ));
        }
        let close = self.close(Tok::RParen, "')'", open)?;
        let span = span.to(close);
        if func == Func::Transpose {
            return self.node(ExprKind::Transpose(Box::new(arg)), span);
        }
        self.node(ExprKind::Call(func, Box::new(arg)), span)
    }

    /// A norm written with its kind (`‖x‖_2`, `norm(X, 'fro')`): the 2-norm
    /// of a matrix is its largest singular value, which nabla does not have,
    /// so `_2` is refused on what the declarations make a matrix.
    fn norm_kind(&self, inner: &Expr, sub: char, span: Span) -> Result<(), ExprError> {
        if sub != '2' {
            return Ok(());
        }
        if let Some(decls) = self.decls
            && let Ok(t) = super::shape::check(inner, Some(decls))
            && !t.shape.is_vector()
            && !t.shape.is_scalar()
        {
            return Err(ExprError::syntax(
                format!(
                    "the 2-norm of the matrix {} ({}) is its largest singular value, which nabla does not have: write ‖{}‖_F or norm(…, 'fro') for the Frobenius norm",
                    super::print::print(inner),
                    t.shape,
                    super::print::print(inner),
                ),
                span,
            ));
        }
        Ok(())
    }

    /// The arguments of a call, `(a, b, …)`, after its name; quoted words
    /// (`'fro'`) are kept as words. Also the closing parenthesis's span.
    fn call_args(&mut self, name: &str, span: Span) -> Result<(Vec<Arg>, Span), ExprError> {
        let open = self.open_call(name, span)?;
        let mut args = Vec::new();
        loop {
            if *self.peek() == Tok::RParen && args.is_empty() {
                self.leave();
                return Err(ExprError::syntax(
                    format!("{name}(...) needs an argument"),
                    self.span(),
                ));
            }
            if let Tok::Str(w) = self.peek().clone() {
                let t = self.advance();
                args.push(Arg::Word(w, t.span));
            } else {
                args.push(Arg::Expr(self.expr(Ctx { literal: false })?));
            }
            if *self.peek() == Tok::Comma {
                self.advance();
            } else {
                break;
            }
        }
        self.leave();
        let close = self.close(Tok::RParen, "')'", open)?;
        Ok((args, close))
    }

    /// A spelling that reads as another expression (`func::SUGAR`).
    fn sugar(&mut self, spec: &func::SugarSpec, name: &str, span: Span) -> Result<Expr, ExprError> {
        let (args, close) = self.call_args(name, span)?;
        let whole = span.to(close);
        if args.len() != spec.arity {
            return Err(ExprError::syntax(
                format!(
                    "{name}(...) takes {} argument{}",
                    spec.arity,
                    if spec.arity == 1 { "" } else { "s" }
                ),
                whole,
            ));
        }
        let mut args = args
            .into_iter()
            .map(|a| a.expr(name))
            .collect::<Result<Vec<_>, _>>()?;
        let b = args.pop().expect("arity ≥ 1");
        let e = match spec.sugar {
            Sugar::LogSumExp => {
                let exp = self.node(ExprKind::Call(Func::Exp, Box::new(b)), whole)?;
                let sum = self.node(ExprKind::Call(Func::Sum, Box::new(exp)), whole)?;
                self.node(ExprKind::Call(Func::Log, Box::new(sum)), whole)?
            }
            Sugar::Max => {
                let a = args.pop().expect("two arguments");
                let zero = |e: &Expr| matches!(e.kind, ExprKind::Number(v) if v == 0.0);
                let x = if zero(&a) {
                    b
                } else if zero(&b) {
                    a
                } else {
                    return Err(ExprError::syntax(
                        format!(
                            "{name}(...) is supported with 0 as one argument: {name}(0, x) is relu(x)"
                        ),
                        whole,
                    ));
                };
                self.node(ExprKind::Call(Func::Relu, Box::new(x)), whole)?
            }
            Sugar::Outer => {
                let a = args.pop().expect("two arguments");
                let bt = self.node(ExprKind::Transpose(Box::new(b)), whole)?;
                self.binary(BinOp::Mul, a, bt)?
            }
            Sugar::Dot => {
                let a = args.pop().expect("two arguments");
                self.binary(BinOp::Mul, a, b)?
            }
            Sugar::Kron => {
                let a = args.pop().expect("two arguments");
                self.binary(BinOp::Kron, a, b)?
            }
        };
        Ok(Expr { span: whole, ..e })
    }

    /// `I`, `ones`, `zeros`, optionally with sizes: `I(n)`, `ones(m, n)`.
    /// `I (A + B)` is not a size, so it is left to juxtaposition.
    fn fill(&mut self, fill: Fill, name: &str, span: Span) -> Result<Expr, ExprError> {
        if *self.peek() == Tok::LParen
            && let Some((dims, end)) = self.try_sizes()?
        {
            let (rows, cols) = match (fill, dims.as_slice()) {
                (Fill::Identity, [n]) => (n.clone(), n.clone()),
                (Fill::Identity, [m, n]) if m == n => (m.clone(), n.clone()),
                (Fill::Identity, _) => {
                    return Err(ExprError::syntax("I takes one size: I(n)", span.to(end)));
                }
                (_, [n]) => (n.clone(), Dim::one()),
                (_, [m, n]) => (m.clone(), n.clone()),
                _ => {
                    return Err(ExprError::syntax(
                        format!("{name} takes one or two sizes: {name}(n) or {name}(m, n)"),
                        span.to(end),
                    ));
                }
            };
            return self.node(ExprKind::Fill(fill, Some((rows, cols))), span.to(end));
        }
        if fill != Fill::Identity && *self.peek() == Tok::LParen {
            return Err(ExprError::syntax(
                format!("{name}(...) takes sizes, like {name}(n) or {name}(m, n)"),
                span,
            ));
        }
        self.node(ExprKind::Fill(fill, None), span)
    }

    /// Reads `(d1)` or `(d1, d2)` of sizes if that is what follows; otherwise
    /// consumes nothing. A whole number out of range (`I(0)`, `I(99999)`) is
    /// still a size, and an error: read as a product it would mislead.
    fn try_sizes(&mut self) -> Result<Option<(Vec<Dim>, Span)>, ExprError> {
        let mut k = 1;
        let mut dims = Vec::new();
        let mut out_of_range = None;
        loop {
            let t = self.peek_at(k);
            let dim = match &t.tok {
                Tok::Num(v) if v.fract() == 0.0 => {
                    if *v < 1.0 || *v > MAX_DIM as f64 {
                        out_of_range.get_or_insert(t.span);
                    }
                    Dim::Lit(*v as usize)
                }
                Tok::Ident(s) if self.decls.is_none_or(|d| d.get(s).is_none()) => {
                    match parse_dim_symbol(s) {
                        Some(d) => d,
                        None => return Ok(None),
                    }
                }
                _ => return Ok(None),
            };
            dims.push(dim);
            match self.peek_at(k + 1).tok {
                Tok::Comma if dims.len() < 3 => k += 2,
                Tok::RParen => {
                    if let Some(span) = out_of_range {
                        return Err(ExprError::syntax(
                            format!("a size must be a whole number from 1 to {MAX_DIM}"),
                            span,
                        ));
                    }
                    let end = self.peek_at(k + 1).span;
                    for _ in 0..k + 2 {
                        self.advance();
                    }
                    return Ok(Some((dims, end)));
                }
                _ => return Ok(None),
            }
        }
    }

    fn matrix_literal(&mut self, open: Span) -> Result<Expr, ExprError> {
        let mut rows: Vec<Vec<Expr>> = Vec::new();
        if *self.peek() == Tok::LBracket {
            // `[[1, 2], [3, 4]]`: each inner list is a row.
            loop {
                let row_open = self.advance().span;
                self.enter(row_open)?;
                let mut row = Vec::new();
                self.literal_entries(&mut row, true)?;
                self.leave();
                self.close(Tok::RBracket, "']'", row_open)?;
                rows.push(row);
                match self.peek() {
                    Tok::Comma | Tok::Semicolon if self.peek_at(1).tok == Tok::LBracket => {
                        self.advance();
                    }
                    _ => break,
                }
            }
        } else {
            loop {
                let mut row = Vec::new();
                self.literal_entries(&mut row, false)?;
                rows.push(row);
                if *self.peek() == Tok::Semicolon {
                    self.advance();
                    // A trailing ';' before ']' is harmless.
                    if *self.peek() == Tok::RBracket {
                        break;
                    }
                } else {
                    break;
                }
            }
        }
        let close = self.close(Tok::RBracket, "']'", open)?;
        let span = open.to(close);
        if rows.iter().all(Vec::is_empty) {
            return Err(ExprError::syntax(
                "a matrix literal needs at least one entry",
                span,
            ));
        }
        if let Some((i, _)) = rows.iter().enumerate().find(|(_, r)| r.is_empty()) {
            return Err(ExprError::syntax(format!("row {} is empty", i + 1), span));
        }
        let width = rows[0].len();
        if let Some((i, r)) = rows.iter().enumerate().find(|(_, r)| r.len() != width) {
            return Err(ExprError::syntax(
                format!(
                    "row {} has {} entries but row 1 has {width}: every row needs the same number",
                    i + 1,
                    r.len()
                ),
                span,
            ));
        }
        self.node(ExprKind::Matrix(rows), span)
    }

    /// Entries of one row, separated by commas or white space, up to `;` or `]`.
    fn literal_entries(&mut self, row: &mut Vec<Expr>, nested: bool) -> Result<(), ExprError> {
        loop {
            match self.peek() {
                Tok::RBracket | Tok::Eof => return Ok(()),
                Tok::Semicolon if !nested => return Ok(()),
                Tok::Comma => {
                    if row.is_empty() {
                        return Err(ExprError::syntax(
                            "an entry is missing before ','",
                            self.span(),
                        ));
                    }
                    self.advance();
                    if matches!(self.peek(), Tok::RBracket | Tok::Semicolon | Tok::Comma) {
                        return Err(ExprError::syntax(
                            "an entry is missing after ','",
                            self.span(),
                        ));
                    }
                }
                _ => row.push(self.expr(Ctx { literal: true })?),
            }
        }
    }
}

/// An argument of a call: an expression, or a quoted word (`'fro'`).
enum Arg {
    Expr(Expr),
    Word(String, Span),
}

impl Arg {
    fn expr(self, name: &str) -> Result<Expr, ExprError> {
        match self {
            Arg::Expr(e) => Ok(e),
            Arg::Word(w, span) => Err(ExprError::syntax(
                format!("'{w}' is not an argument {name}(...) takes"),
                span,
            )),
        }
    }
}

/// At the end of the input, point at the operator that wanted more.
fn spanned_if_eof(mut e: ExprError, op: Span) -> ExprError {
    if e.span.start == e.span.end {
        e.span = Span::new(e.span.start, e.span.start + 1).to(Span::new(op.end, op.end));
    }
    e
}

/// Longest run of letters that is tried as names run together. Identifiers
/// are short; the cap keeps the split search (recursive, one level per name
/// in the run) cheap and shallow.
const MAX_SPLIT_CHARS: usize = 64;

fn unknown_name(name: &str, decls: &Decls, span: Span) -> ExprError {
    let splits = if name.chars().count() <= MAX_SPLIT_CHARS {
        count_splits(name, decls, 3)
    } else {
        Vec::new()
    };
    let message = if splits.len() > 1 {
        let readings: Vec<String> = splits.iter().map(|s| s.join("·")).collect();
        format!(
            "'{name}' can be read as {}: write it with spaces or '*' between the names (the declared names are {})",
            readings.join(" or "),
            decls.name_list()
        )
    } else if decls.entries.is_empty() {
        format!("unknown name '{name}': nothing is declared")
    } else {
        format!(
            "unknown name '{name}': the declared names are {}",
            decls.name_list()
        )
    };
    ExprError::new(ErrorKind::Name, message, span)
}

/// The ways (up to `limit`) to write `word` as a run of declared names.
fn count_splits(word: &str, decls: &Decls, limit: usize) -> Vec<Vec<String>> {
    let chars: Vec<char> = word.chars().collect();
    let names: Vec<Vec<char>> = decls.names().map(|n| n.chars().collect()).collect();
    // finishes[i]: the rest of the word from i splits into names. Computed
    // first so the enumeration below never explores a dead end (which made
    // words like "aaaa…ab" exponential).
    let mut finishes = vec![false; chars.len() + 1];
    finishes[chars.len()] = true;
    for i in (0..chars.len()).rev() {
        finishes[i] = names
            .iter()
            .any(|n| chars[i..].starts_with(n) && finishes[i + n.len()]);
    }
    let mut out = Vec::new();
    let mut path = Vec::new();
    splits_from(&chars, 0, &names, &finishes, &mut path, &mut out, limit);
    out
}

fn splits_from(
    word: &[char],
    at: usize,
    names: &[Vec<char>],
    finishes: &[bool],
    path: &mut Vec<String>,
    out: &mut Vec<Vec<String>>,
    limit: usize,
) {
    if out.len() >= limit {
        return;
    }
    if at == word.len() {
        if path.len() > 1 {
            out.push(path.clone());
        }
        return;
    }
    for n in names {
        if word[at..].starts_with(n) && finishes[at + n.len()] {
            path.push(n.iter().collect());
            splits_from(word, at + n.len(), names, finishes, path, out, limit);
            path.pop();
        }
    }
}

/// Replaces each identifier that is not declared, not a function or reserved
/// word, and splits in exactly one way into declared names, by those names.
///
/// A word that is a declared size is never split: in `zeros(sc)` with
/// `s: sc x k; c: 2` it is the size sc, not s·c (which is how derive writes
/// a zero derivative by s, and must read back).
fn split_run_together_names(tokens: Vec<Token>, decls: &Decls) -> Vec<Token> {
    let sizes = decls.symbols();
    let mut out = Vec::with_capacity(tokens.len());
    for t in tokens {
        if let Tok::Ident(name) = &t.tok
            && decls.get(name).is_none()
            && !sizes.contains(name)
            && !is_reserved(name)
            && name.chars().count() <= MAX_SPLIT_CHARS
        {
            let splits = count_splits(name, decls, 2);
            if let [only] = splits.as_slice() {
                let mut at = t.span.start;
                for (i, piece) in only.iter().enumerate() {
                    let len = piece.chars().count();
                    out.push(Token {
                        tok: Tok::Ident(piece.clone()),
                        span: Span::new(at, at + len),
                        space_before: i == 0 && t.space_before,
                    });
                    at += len;
                }
                continue;
            }
        }
        out.push(t);
    }
    out
}
