//! Build step of the `nabla` binary: how it links (the course itself is
//! embedded by the engine's build script, `crates/nabla-engine/build.rs`).

fn main() {
    link_unwinder_statically();
}

/// On Linux with glibc, the unwinder (`_Unwind_*`) is linked from libgcc's
/// static archive rather than from libgcc_s.so.1. Every start then skips
/// loading that library and its constructor, which probes the CPU with a
/// dozen `cpuid`s (each one a VM exit on a virtual machine): ~0.1–0.2 ms of a
/// ~1.3 ms `nabla check`. std still asks for `-lgcc_s`, but this archive
/// comes first on the link line, so the symbols are already defined there
/// and `--as-needed` (rustc's default) drops the shared library. Unwinding
/// itself is unchanged: the same libgcc code, linked in. The archive ships
/// with gcc, which Rust already needs on Linux to link.
fn link_unwinder_statically() {
    let var = |k: &str| std::env::var(k).unwrap_or_default();
    if var("CARGO_CFG_TARGET_OS") == "linux"
        && var("CARGO_CFG_TARGET_ENV") == "gnu"
        && !var("CARGO_CFG_TARGET_FEATURE")
            .split(',')
            .any(|f| f == "crt-static")
    {
        println!("cargo::rustc-link-lib=static:-bundle=gcc_eh");
    }
}
