//! Build step of the `nabla` binary: how it links (the course itself is
//! embedded by the engine's build script, `crates/nabla-engine/build.rs`).

use std::path::Path;

fn main() {
    link_unwinder_statically();
    link_binary_statically();
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

/// On Linux with glibc, the `nabla` binary is linked statically
/// (`-static-pie`, so it keeps address-space randomisation) when
/// `tools/linker.sh` is the linker (`.cargo/config.toml`) and a static libc
/// is installed (`libc.a`, from the C library's development package, which
/// gcc needs anyway on Debian and most distributions). The script turns the
/// rest of the link line static; this only asks for it, for the binaries
/// alone (tests, benches and proc macros link as before). Without `libc.a`,
/// or with `NABLA_LINK_DYNAMIC=1`, the binary is linked dynamically as
/// usual: start-up is ~0.3 ms slower, nothing else changes.
fn link_binary_statically() {
    println!("cargo::rerun-if-env-changed=NABLA_LINK_DYNAMIC");
    println!("cargo::rerun-if-env-changed=RUSTC_LINKER");
    let var = |k: &str| std::env::var(k).unwrap_or_default();
    let ours = var("RUSTC_LINKER").ends_with("tools/linker.sh");
    if ours
        && var("CARGO_CFG_TARGET_OS") == "linux"
        && var("CARGO_CFG_TARGET_ENV") == "gnu"
        && var("NABLA_LINK_DYNAMIC") != "1"
        && static_libc_installed()
    {
        println!("cargo::rustc-link-arg-bins=-static-pie");
    }
}

/// Whether the C compiler finds `libc.a`: `cc -print-file-name` answers with
/// a full path when it does and with the bare name when it does not.
fn static_libc_installed() -> bool {
    let cc = std::env::var("NABLA_CC").unwrap_or_else(|_| "cc".into());
    std::process::Command::new(cc)
        .arg("-print-file-name=libc.a")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .is_some_and(|p| Path::new(p.trim()).is_absolute() && Path::new(p.trim()).is_file())
}
