//! Forward mode with dual numbers: the exact directional derivative
//! dF\[V\] = lim (F(X + hV) − F(X))/h, by evaluating F on X + εV with ε² = 0.
//! Used for derivatives by a scalar (one pass gives all of F's shape) and as
//! an independent check of reverse mode.

use nalgebra::DMatrix;
use num_dual::Dual64;

use crate::expr::eval::{Sizes, eval};
use crate::expr::{ExprError, Typed};

/// dF along `direction` (shaped like variable `wrt`), with F's shape.
pub fn jvp(
    t: &Typed,
    sizes: &Sizes,
    values: &[DMatrix<f64>],
    wrt: usize,
    direction: &DMatrix<f64>,
) -> Result<DMatrix<f64>, ExprError> {
    let duals: Vec<DMatrix<Dual64>> = values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            if i == wrt {
                v.zip_map(direction, Dual64::new)
            } else {
                v.map(Dual64::from_re)
            }
        })
        .collect();
    let out = eval(t, sizes, &duals)?;
    Ok(out.map(|d| d.eps))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::linalg::random;
    use crate::expr::{Decls, compile};

    fn directional(
        f: &str,
        given: &str,
        n: usize,
        values: &[DMatrix<f64>],
        v: &DMatrix<f64>,
    ) -> f64 {
        let decls = Decls::parse(given).unwrap();
        let c = compile(f, Some(&decls)).unwrap();
        let sizes = Sizes::from([("n".to_string(), n)]);
        jvp(&c.typed, &sizes, values, 0, v).unwrap()[(0, 0)]
    }

    #[test]
    fn dual_numbers_through_a_shifted_log_sum_exp() {
        let x = DMatrix::from_column_slice(3, 1, &[0.2, -0.7, 1.1]);
        let v = DMatrix::from_column_slice(3, 1, &[1.0, 0.5, -2.0]);
        let want = crate::expr::eval::softmax(&x).dot(&v);
        for shift in ["- 1000", "", "+ 1000"] {
            let f = format!("log(sum(exp(x {shift})))");
            let d = directional(&f, "x: n", 3, std::slice::from_ref(&x), &v);
            assert!((d - want).abs() < 1e-14, "{f}: {d} vs {want}");
        }
    }

    #[test]
    fn dual_numbers_through_logdet_of_a_large_matrix() {
        // d logdet(A)[V] = tr(A⁻¹V), with det A far beyond f64.
        let a = random(150, 2);
        let v = random(150, 3);
        let d = directional("logdet(A)", "A: n x n", 150, std::slice::from_ref(&a), &v);
        let want = (a.try_inverse().unwrap() * &v).trace();
        assert!(
            (d - want).abs() < 1e-9 * want.abs().max(1.0),
            "{d} vs {want}"
        );
    }
}
