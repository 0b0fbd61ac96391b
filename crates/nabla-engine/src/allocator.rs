//! Large matrices reuse the memory freed by the last ones. glibc's malloc
//! hands out blocks above its mmap threshold (at most 32 MB, the size of one
//! 2048×2048 matrix) as fresh mappings and unmaps them on free, so every new
//! matrix of a grading pays a page fault and a zeroing per 4 kB page — a
//! sixth of the time of a 2048×2048 `logdet` check. `keep_freed_memory`
//! raises the threshold and the trim threshold so freed blocks stay in the
//! heap for the next matrix; the peak memory is the same, since a grading
//! frees its matrices trial by trial.

/// Makes malloc keep freed large blocks for reuse (glibc on Linux; a no-op
/// elsewhere).
pub fn keep_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        const LARGE: libc::c_int = 1 << 30;
        // SAFETY: mallopt only changes malloc's tuning parameters; it is
        // called before the grading allocates anything large. Its result
        // (0 when a value is refused) leaves malloc as it was, which is fine.
        unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, LARGE);
            libc::mallopt(libc::M_TRIM_THRESHOLD, LARGE);
        }
    }
}
