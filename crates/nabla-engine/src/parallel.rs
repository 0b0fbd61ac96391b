//! How many cores the matrix products use. nalgebra multiplies large `f64`
//! matrices with `matrixmultiply`, which (with its `threading` feature) takes
//! its thread count from `MATMUL_NUM_THREADS` once, at the first product, and
//! otherwise counts *physical* cores — one on a virtual machine that shows
//! two logical ones. `use_every_core` sets the variable from
//! `available_parallelism` (matrixmultiply uses at most 4), unless the user
//! set it.

/// Sets `MATMUL_NUM_THREADS` to the cores this process may use, unless it is
/// set already.
///
/// # Safety
///
/// Changes the environment, so it must run before any other thread of the
/// process exists (at the start of `main`): another thread reading the
/// environment at the same time is undefined behaviour.
pub unsafe fn use_every_core() {
    const VAR: &str = "MATMUL_NUM_THREADS";
    if std::env::var_os(VAR).is_some() {
        return;
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    // SAFETY: the caller guarantees no other thread exists yet.
    unsafe { std::env::set_var(VAR, cores.to_string()) };
}
